"""Public wrappers of ``scipy.ndimage``'s grey morphology (SciPy 1.17):
grey erosion and dilation (:mod:`fastimg._morphology.grey_core`) and the
operations SciPy composes of them, composed the same way (so integer
results wrap in the input's dtype exactly as SciPy's do)."""
from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._core.docs import DocFiller, fill_doc
from .grey_core import flip_for_dilation, min_or_max

__all__ = ["grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
           "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat"]

_PARAMS = """
    input : array_like
        The input array.
    size : tuple of ints, optional
        Shape of a flat, full structuring element (optional if `footprint`
        or `structure` is given).
    footprint : array of ints, optional
        Positions of the elements of a flat structuring element.
    structure : array of ints, optional
        Values of a non-flat structuring element (subtracted for the
        erosion, added for the dilation).
    output : array or dtype, optional
        The array in which to place the output, or its dtype (default: the
        input's dtype).
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, optional
        How the input is extended beyond its boundaries (a sequence of modes
        only for a full box without `structure`); 'grid-*' aliases too.
    cval : scalar, optional
        Value past the edges when `mode` is 'constant'.
    origin : int or sequence of ints, optional
        Placement of the structuring element (0: centred).
    axes : tuple of int or None, optional
        The axes to filter (default: all).
"""

_NOTES = """
    Notes
    -----
    Differences from :func:`scipy.ndimage.{name}`: none in results, NaN
    and -0.0 included.  Footprints that are not a full box and non-flat
    structures reproduce SciPy's C arithmetic (a NaN in the first cell of
    a window propagates, later ones are skipped; structure values are
    added in the input's dtype).  A full box (``size``, or an all-True
    footprint) is SciPy's separable filter, run by fastimg's
    ``minimum_filter`` / ``maximum_filter`` in SciPy's comparison order.
    A structure with an all-False footprint raises ValueError (SciPy reads
    an unset value).  ``workers`` is extra.  Every message adds what was
    received.
"""


def _doc(name: str) -> DocFiller:
    return fill_doc.with_texts(grey_params=_PARAMS.lstrip("\n"),
                               grey_notes=_NOTES.format(name=name))


def _warn_size(size, footprint):
    if size is not None and footprint is not None:
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=3)


@_doc("grey_erosion")
def grey_erosion(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                 footprint: npt.ArrayLike | None = None,
                 structure: npt.ArrayLike | None = None,
                 output: np.ndarray | npt.DTypeLike | None = None,
                 mode: str = "reflect", cval: float = 0.0,
                 origin: int | Sequence[int] = 0, *,
                 axes: Sequence[int] | None = None,
                 workers: int | None = None) -> np.ndarray:
    """Calculate a greyscale erosion with a flat footprint or a structuring element.

    Drop-in for :func:`scipy.ndimage.grey_erosion` (SciPy 1.17): the minimum
    over the footprint of ``input - structure``.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    grey_erosion : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.grey_erosion(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[1, 1, 1, 1, 1]]
    """
    if size is None and footprint is None and structure is None:
        raise ValueError("size, footprint, or structure must be specified"
                         " (got size=None, footprint=None and structure=None)")
    return min_or_max(input, size, footprint, structure, output, mode, cval, origin, 1,
                      axes, workers)


@_doc("grey_dilation")
def grey_dilation(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                  footprint: npt.ArrayLike | None = None,
                  structure: npt.ArrayLike | None = None,
                  output: np.ndarray | npt.DTypeLike | None = None,
                  mode: str = "reflect", cval: float = 0.0,
                  origin: int | Sequence[int] = 0, *,
                  axes: Sequence[int] | None = None,
                  workers: int | None = None) -> np.ndarray:
    """Calculate a greyscale dilation with a flat footprint or a structuring element.

    Drop-in for :func:`scipy.ndimage.grey_dilation` (SciPy 1.17): the
    maximum over the reflected footprint of ``input + structure``.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    grey_dilation : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.grey_dilation(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[3, 4, 4, 5, 5]]
    """
    if size is None and footprint is None and structure is None:
        raise ValueError("size, footprint, or structure must be specified"
                         " (got size=None, footprint=None and structure=None)")
    input, footprint, structure, origin = flip_for_dilation(input, size, footprint,
                                                            structure, origin, axes)
    return min_or_max(input, size, footprint, structure, output, mode, cval, origin, 0,
                      axes, workers)


@_doc("grey_opening")
def grey_opening(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                 footprint: npt.ArrayLike | None = None,
                 structure: npt.ArrayLike | None = None,
                 output: np.ndarray | npt.DTypeLike | None = None,
                 mode: str = "reflect", cval: float = 0.0,
                 origin: int | Sequence[int] = 0, *,
                 axes: Sequence[int] | None = None,
                 workers: int | None = None) -> np.ndarray:
    """Multidimensional grayscale opening.

    Drop-in for :func:`scipy.ndimage.grey_opening` (SciPy 1.17): grey
    erosion, then grey dilation.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    grey_opening : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.grey_opening(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[1, 1, 1, 1, 1]]
    """
    _warn_size(size, footprint)
    tmp = grey_erosion(input, size, footprint, structure, None, mode, cval, origin,
                       axes=axes, workers=workers)
    return grey_dilation(tmp, size, footprint, structure, output, mode, cval, origin,
                         axes=axes, workers=workers)


@_doc("grey_closing")
def grey_closing(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                 footprint: npt.ArrayLike | None = None,
                 structure: npt.ArrayLike | None = None,
                 output: np.ndarray | npt.DTypeLike | None = None,
                 mode: str = "reflect", cval: float = 0.0,
                 origin: int | Sequence[int] = 0, *,
                 axes: Sequence[int] | None = None,
                 workers: int | None = None) -> np.ndarray:
    """Multidimensional grayscale closing.

    Drop-in for :func:`scipy.ndimage.grey_closing` (SciPy 1.17): grey
    dilation, then grey erosion.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    grey_closing : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.grey_closing(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[3, 3, 4, 4, 5]]
    """
    _warn_size(size, footprint)
    tmp = grey_dilation(input, size, footprint, structure, None, mode, cval, origin,
                        axes=axes, workers=workers)
    return grey_erosion(tmp, size, footprint, structure, output, mode, cval, origin,
                        axes=axes, workers=workers)


@_doc("morphological_gradient")
def morphological_gradient(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                           footprint: npt.ArrayLike | None = None,
                           structure: npt.ArrayLike | None = None,
                           output: np.ndarray | npt.DTypeLike | None = None,
                           mode: str = "reflect", cval: float = 0.0,
                           origin: int | Sequence[int] = 0, *,
                           axes: Sequence[int] | None = None,
                           workers: int | None = None) -> np.ndarray:
    """Multidimensional morphological gradient.

    Drop-in for :func:`scipy.ndimage.morphological_gradient` (SciPy 1.17):
    grey dilation minus grey erosion, in the input's dtype.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    morphological_gradient : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.morphological_gradient(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[2, 3, 3, 4, 4]]
    """
    tmp = grey_dilation(input, size, footprint, structure, None, mode, cval, origin,
                        axes=axes, workers=workers)
    if isinstance(output, np.ndarray):
        grey_erosion(input, size, footprint, structure, output, mode, cval, origin,
                     axes=axes, workers=workers)
        return np.subtract(tmp, output, output)
    return tmp - grey_erosion(input, size, footprint, structure, None, mode, cval, origin,
                              axes=axes, workers=workers)


@_doc("morphological_laplace")
def morphological_laplace(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                          footprint: npt.ArrayLike | None = None,
                          structure: npt.ArrayLike | None = None,
                          output: np.ndarray | npt.DTypeLike | None = None,
                          mode: str = "reflect", cval: float = 0.0,
                          origin: int | Sequence[int] = 0, *,
                          axes: Sequence[int] | None = None,
                          workers: int | None = None) -> np.ndarray:
    """Multidimensional morphological laplace.

    Drop-in for :func:`scipy.ndimage.morphological_laplace` (SciPy 1.17):
    grey dilation plus grey erosion minus twice the input, in the input's
    dtype.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    morphological_laplace : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.morphological_laplace(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[-2, 3, -3, 4, -4]]
    """
    input = np.asarray(input)
    tmp1 = grey_dilation(input, size, footprint, structure, None, mode, cval, origin,
                         axes=axes, workers=workers)
    if isinstance(output, np.ndarray):
        grey_erosion(input, size, footprint, structure, output, mode, cval, origin,
                     axes=axes, workers=workers)
        np.add(tmp1, output, output)
        np.subtract(output, input, output)
        return np.subtract(output, input, output)
    tmp2 = grey_erosion(input, size, footprint, structure, None, mode, cval, origin,
                        axes=axes, workers=workers)
    np.add(tmp1, tmp2, tmp2)
    np.subtract(tmp2, input, tmp2)
    np.subtract(tmp2, input, tmp2)
    return tmp2


@_doc("white_tophat")
def white_tophat(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                 footprint: npt.ArrayLike | None = None,
                 structure: npt.ArrayLike | None = None,
                 output: np.ndarray | npt.DTypeLike | None = None,
                 mode: str = "reflect", cval: float = 0.0,
                 origin: int | Sequence[int] = 0, *,
                 axes: Sequence[int] | None = None,
                 workers: int | None = None) -> np.ndarray:
    """Multidimensional white tophat filter.

    Drop-in for :func:`scipy.ndimage.white_tophat` (SciPy 1.17): the input
    minus its grey opening.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    white_tophat : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.white_tophat(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[2, 0, 3, 0, 4]]
    """
    input = np.asarray(input)
    _warn_size(size, footprint)
    tmp = grey_erosion(input, size, footprint, structure, None, mode, cval, origin,
                       axes=axes, workers=workers)
    tmp = grey_dilation(tmp, size, footprint, structure, output, mode, cval, origin,
                        axes=axes, workers=workers)
    if input.dtype == np.bool_ and tmp.dtype == np.bool_:
        np.bitwise_xor(input, tmp, out=tmp)
    else:
        np.subtract(input, tmp, out=tmp)
    return tmp


@_doc("black_tophat")
def black_tophat(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                 footprint: npt.ArrayLike | None = None,
                 structure: npt.ArrayLike | None = None,
                 output: np.ndarray | npt.DTypeLike | None = None,
                 mode: str = "reflect", cval: float = 0.0,
                 origin: int | Sequence[int] = 0, *,
                 axes: Sequence[int] | None = None,
                 workers: int | None = None) -> np.ndarray:
    """Multidimensional black tophat filter.

    Drop-in for :func:`scipy.ndimage.black_tophat` (SciPy 1.17): the grey
    closing minus the input.

    Parameters
    ----------
    {grey_params}
    {workers}

    Returns
    -------
    black_tophat : ndarray
        The result, of the input's shape (``output`` when given).
    {grey_notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.black_tophat(np.array([[3, 1, 4, 1, 5]]), size=(1, 3)).tolist()
    [[0, 2, 0, 3, 0]]
    """
    input = np.asarray(input)
    _warn_size(size, footprint)
    tmp = grey_dilation(input, size, footprint, structure, None, mode, cval, origin,
                        axes=axes, workers=workers)
    tmp = grey_erosion(tmp, size, footprint, structure, output, mode, cval, origin,
                       axes=axes, workers=workers)
    if input.dtype == np.bool_ and tmp.dtype == np.bool_:
        np.bitwise_xor(tmp, input, out=tmp)
    else:
        np.subtract(tmp, input, out=tmp)
    return tmp
