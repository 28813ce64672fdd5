"""scikit-image 0.26's grey morphology (``skimage.morphology`` erosion,
dilation, opening, closing): scikit-image runs ``scipy.ndimage``'s
grey_erosion / grey_dilation once per element of a footprint (or footprint
sequence), after padding even-sized footprints at their start and
mirroring them for the dilation; fastimg runs its own grey_erosion /
grey_dilation the same way.

scikit-image's ``white_tophat`` and ``black_tophat`` are in :mod:`.sk_tophat`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Integral
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from .binary_core import generate_binary_structure
from .grey import grey_dilation, grey_erosion

__all__ = ["erosion", "dilation", "opening", "closing"]

_F = TypeVar("_F", bound=Callable[..., Any])

_SUPPORTED_MODES = {"reflect", "constant", "nearest", "mirror", "wrap", "max", "min",
                    "ignore"}

_NOTES = """
    Notes
    -----
    Differences from :func:`skimage.morphology.{name}`: none in results,
    NaN and -0.0 included.
"""


def _is_sequence(footprint):
    """scikit-image's rule: an array is one footprint; otherwise a sequence
    of ``(array, repetitions)`` pairs or a ValueError."""
    if hasattr(footprint, "__array_interface__"):
        return False

    def valid(t):
        return (isinstance(t, Sequence) and len(t) == 2
                and hasattr(t[0], "__array_interface__") and isinstance(t[1], Integral))

    if isinstance(footprint, Sequence):
        if not all(valid(t) for t in footprint):
            raise ValueError("All elements of footprint sequence must be a 2-tuple where "
                             "the first element of the tuple is an ndarray and the second "
                             "is an integer indicating the number of iterations."
                             f" (got {type(footprint).__name__} footprint)")
    else:
        raise ValueError("footprint must be either an ndarray or Sequence"
                         f" (got {type(footprint).__name__})")
    return True


def _mirror(footprint):
    if _is_sequence(footprint):
        return tuple((_mirror(fp), n) for fp, n in footprint)
    footprint = np.asarray(footprint)
    return footprint[(slice(None, None, -1),) * footprint.ndim]


def _pad_start(footprint):
    """Even-sized axes padded by one False cell at their start, so the
    centre is the one scikit-image means."""
    if _is_sequence(footprint):
        return tuple((_pad_start(fp), n) for fp, n in footprint)
    footprint = np.asarray(footprint)
    return np.pad(footprint, [(1, 0) if k % 2 == 0 else (0, 0) for k in footprint.shape])


def _constant_mode(dtype, mode, cval):
    """'max' / 'min': constant padding with the dtype's extreme."""
    if mode == "max":
        if np.issubdtype(dtype, bool):
            return "constant", True
        if np.issubdtype(dtype, np.integer):
            return "constant", np.iinfo(dtype).max
        return "constant", np.inf
    if mode == "min":
        if np.issubdtype(dtype, bool):
            return "constant", False
        if np.issubdtype(dtype, np.integer):
            return "constant", np.iinfo(dtype).min
        return "constant", -np.inf
    return mode, cval


def _iterate(func, image, footprints, out, mode, cval, workers):
    fp, reps = footprints[0]
    func(image, footprint=fp, output=out, mode=mode, cval=cval, workers=workers)
    for _ in range(1, reps):
        func(out.copy(), footprint=fp, output=out, mode=mode, cval=cval, workers=workers)
    for fp, reps in footprints[1:]:
        for _ in range(reps):
            func(out.copy(), footprint=fp, output=out, mode=mode, cval=cval, workers=workers)
    return out


def _grey(image, footprint, out, mode, cval, erode, workers):
    if out is None:
        out = np.empty_like(image)
    if mode not in _SUPPORTED_MODES:
        raise ValueError(f"unsupported mode, got {mode!r}")
    if mode == "ignore":
        mode = "max" if erode else "min"
    mode, cval = _constant_mode(image.dtype, mode, cval)
    footprint = _pad_start(footprint)
    if not erode:
        # ndimage's grey_dilation mirrors the footprint; scikit-image mirrors
        # it back
        footprint = _mirror(footprint)
    if not _is_sequence(footprint):
        footprint = [(footprint, 1)]
    return _iterate(grey_erosion if erode else grey_dilation, image, footprint, out, mode,
                    cval, workers)


_PARAMS = """
    image : ndarray
        Image array.
    footprint : ndarray or tuple, optional
        The neighborhood as an array of 1's and 0's, or a sequence of
        ``(footprint, repetitions)`` pairs applied one after the other
        (default: connectivity 1, :func:`fastimg.ndimage.generate_binary_structure`).
    out : ndarray, optional
        The array to store the result in (default: a new array like `image`).
    mode : str, optional
        'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'max', 'min' or
        'ignore' (the extreme that leaves the result unchanged).
    cval : scalar, optional
        Value past the edges when `mode` is 'constant'.
    workers : int or None, optional
        Keyword-only; fastimg's addition (the anchor has no such parameter).
        The number of threads for this call: None (the default) uses this
        thread's ``fastimg.set_num_threads`` (all cores unless set).
"""


def _doc(func: _F) -> _F:
    if func.__doc__:
        func.__doc__ = (func.__doc__.replace("    {params}\n", _PARAMS.lstrip("\n"))
                        .replace("    {notes}\n", _NOTES.format(name=func.__name__)[1:]))
    return func


@_doc
def erosion(image: np.ndarray, footprint: npt.ArrayLike | Sequence | None = None,
            out: np.ndarray | None = None, *, mode: str = "reflect",
            cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Return grayscale morphological erosion of an image.

    Drop-in for :func:`skimage.morphology.erosion` (scikit-image 0.26): the
    minimum over the footprint (even sizes: centre at ``k // 2``).

    Parameters
    ----------
    {params}

    Returns
    -------
    eroded : ndarray
        The result, of the dtype of `image` (`out` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import morphology
    >>> morphology.erosion(np.array([[3, 1, 4, 1, 5]]), np.ones((1, 3))).tolist()
    [[1, 1, 1, 1, 1]]
    """
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    return _grey(image, footprint, out, mode, cval, True, workers)


@_doc
def dilation(image: np.ndarray, footprint: npt.ArrayLike | Sequence | None = None,
             out: np.ndarray | None = None, *, mode: str = "reflect",
             cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Return grayscale morphological dilation of an image.

    Drop-in for :func:`skimage.morphology.dilation` (scikit-image 0.26): the
    maximum over the footprint (not reflected, unlike ``ndimage``).

    Parameters
    ----------
    {params}

    Returns
    -------
    dilated : ndarray
        The result, of the dtype of `image` (`out` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import morphology
    >>> morphology.dilation(np.array([[3, 1, 4, 1, 5]]), np.ones((1, 3))).tolist()
    [[3, 4, 4, 5, 5]]
    """
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    return _grey(image, footprint, out, mode, cval, False, workers)


@_doc
def opening(image: np.ndarray, footprint: npt.ArrayLike | Sequence | None = None,
            out: np.ndarray | None = None, *, mode: str = "reflect",
            cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Return grayscale morphological opening of an image.

    Drop-in for :func:`skimage.morphology.opening` (scikit-image 0.26):
    erosion, then dilation by the mirrored footprint.

    Parameters
    ----------
    {params}

    Returns
    -------
    opening : ndarray
        The result, of the dtype of `image` (`out` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import morphology
    >>> morphology.opening(np.array([[3, 1, 4, 1, 5]]), np.ones((1, 3))).tolist()
    [[1, 1, 1, 1, 1]]
    """
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    footprint = _pad_start(footprint)
    eroded = erosion(image, footprint, mode=mode, cval=cval, workers=workers)
    return dilation(eroded, _mirror(footprint), out=out, mode=mode, cval=cval,
                    workers=workers)


@_doc
def closing(image: np.ndarray, footprint: npt.ArrayLike | Sequence | None = None,
            out: np.ndarray | None = None, *, mode: str = "reflect",
            cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Return grayscale morphological closing of an image.

    Drop-in for :func:`skimage.morphology.closing` (scikit-image 0.26):
    dilation, then erosion by the mirrored footprint.

    Parameters
    ----------
    {params}

    Returns
    -------
    closing : ndarray
        The result, of the dtype of `image` (`out` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import morphology
    >>> morphology.closing(np.array([[3, 1, 4, 1, 5]]), np.ones((1, 3))).tolist()
    [[3, 3, 4, 4, 5]]
    """
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    footprint = _pad_start(footprint)
    dilated = dilation(image, footprint, mode=mode, cval=cval, workers=workers)
    return erosion(dilated, _mirror(footprint), out=out, mode=mode, cval=cval,
                   workers=workers)
