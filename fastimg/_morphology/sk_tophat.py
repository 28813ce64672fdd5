"""scikit-image 0.26's ``white_tophat`` and ``black_tophat``: the image
minus its opening, the closing minus the image, on fastimg's opening and
closing (:mod:`.sk_gray`).

They share their names with ``scipy.ndimage``'s top-hats, which this family
also implements (:mod:`.grey`): here they are ``skimage_white_tophat`` and
``skimage_black_tophat``, and the catalog publishes them as
``fastimg.morphology.white_tophat`` / ``black_tophat``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .binary_core import generate_binary_structure
from .sk_gray import _doc, closing, opening

__all__ = ["skimage_white_tophat", "skimage_black_tophat"]


@_doc
def skimage_white_tophat(image: np.ndarray, footprint: npt.ArrayLike | Sequence | None = None,
                         out: np.ndarray | None = None, *, mode: str = "reflect",
                         cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Return white top hat of an image.

    Drop-in for :func:`skimage.morphology.white_tophat` (scikit-image
    0.26): the image minus its opening (exclusive or for booleans), so the
    bright spots smaller than the footprint.

    Parameters
    ----------
    {params}

    Returns
    -------
    out : ndarray
        The result, of the dtype of `image` (`out` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import morphology
    >>> morphology.white_tophat(np.array([[3, 1, 4, 1, 5]]), np.ones((1, 3))).tolist()
    [[2, 0, 3, 0, 4]]
    """
    return _difference(image, footprint, out, mode, cval, workers, white=True)


@_doc
def skimage_black_tophat(image: np.ndarray, footprint: npt.ArrayLike | Sequence | None = None,
                         out: np.ndarray | None = None, *, mode: str = "reflect",
                         cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Return black top hat of an image.

    Drop-in for :func:`skimage.morphology.black_tophat` (scikit-image
    0.26): the closing minus the image (exclusive or for booleans), so the
    dark spots smaller than the footprint.

    Parameters
    ----------
    {params}

    Returns
    -------
    out : ndarray
        The result, of the dtype of `image` (`out` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import morphology
    >>> morphology.black_tophat(np.array([[3, 1, 4, 1, 5]]), np.ones((1, 3))).tolist()
    [[0, 2, 0, 3, 0]]
    """
    return _difference(image, footprint, out, mode, cval, workers, white=False)


def _difference(image, footprint, out, mode, cval, workers, white):
    """The white top-hat (image minus opening) or the black one (closing
    minus image), exclusive or for booleans, into ``out``; with ``out is
    image`` the opening or closing goes to a temporary first, as in
    scikit-image."""
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    morph = opening if white else closing
    if out is image:
        other = morph(image, footprint, mode=mode, cval=cval, workers=workers)
        first, second = (out, other) if white else (other, out)
    else:
        out = morph(image, footprint, out=out, mode=mode, cval=cval, workers=workers)
        first, second = (image, out) if white else (out, image)
    if np.issubdtype(out.dtype, np.bool_):
        np.logical_xor(first, second, out=out)
    else:
        np.subtract(first, second, out=out)
    return out
