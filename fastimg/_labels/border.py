"""Public wrapper of ``skimage.segmentation.clear_border`` (scikit-image
0.26).

Rules reproduced from scikit-image:

* checks in its order: ``buffer_size`` against every side (without a
  mask), then the mask's shape (scikit-image raises a tuple there, which
  Python reports as ``TypeError: exceptions must derive from
  BaseException``) and dtype;
* the border is ``buffer_size + 1`` pixels on each side of each axis, by
  slicing (``slice(ext)`` / ``slice(-ext, None)``: a negative buffer makes
  odd borders, as in scikit-image), or ``~mask``;
* the objects are labelled from ``out`` (the caller's array when given):
  a bool image as 0/1 with full connectivity, any other as integers
  (``astype(np.intp)``, background 0) where neighbours of equal value
  connect, full connectivity, 1- to 3-D only;
* every object with a pixel in the border is set to ``bgval`` (the
  background too when a border pixel is background).
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .api import label_flat

__all__ = ["clear_border"]


def _objects(out):
    """Labels of ``out`` as scikit-image's ``label(out, background=0)``
    groups pixels (the numbering is not needed)."""
    ndim = out.ndim
    if out.dtype == bool:
        if not 1 <= ndim:
            raise ValueError(f'Connectivity for {ndim}D image should '
                             f'be in [1, ..., {ndim}]. Got {ndim}.')
        values = False
        data = out
    else:
        if not 1 <= ndim <= 3:
            raise NotImplementedError("Only for images of dimension 1-3 are supported, "
                                      f"got a {ndim}D one")
        values = True
        data = np.asarray(out).astype(np.intp)
    lab = np.empty(out.shape, np.intp)
    if out.size:
        label_flat(data, np.ones((3,) * ndim, bool), lab, values=values)
    return lab


def clear_border(labels: npt.ArrayLike, buffer_size: int = 0, bgval=0,
                 mask: npt.ArrayLike | None = None, *, out: np.ndarray | None = None):
    """Clear objects connected to the label image border.

    Drop-in for :func:`skimage.segmentation.clear_border` (scikit-image 0.26).

    Parameters
    ----------
    labels : (M[, N[, ..., P]]) array of int or bool
        Imaging data labels.
    buffer_size : int, optional
        The width of the border examined.  By default, only objects
        that touch the outside of the image are removed.
    bgval : float or int, optional
        Cleared objects are set to this value.
    mask : ndarray of bool, same shape as `image`, optional.
        Image data mask. Objects in labels image overlapping with False
        pixels of mask will be removed. If defined, the argument
        buffer_size will be ignored.
    out : ndarray
        Array of the same shape as `labels`, into which the output is
        placed. By default, a new array is created.

    Returns
    -------
    out : (M[, N[, ..., P]]) array
        Imaging data labels with cleared borders

    Notes
    -----
    Differences from :func:`skimage.segmentation.clear_border`: none in
    results.  The objects come from fastimg's union-find labelling (one
    pass, equal values connect) instead of scikit-image's ``label``.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import segmentation
    >>> labels = np.array([[1, 0, 0, 0], [0, 0, 2, 0], [0, 2, 2, 0], [0, 0, 0, 3]])
    >>> segmentation.clear_border(labels)
    array([[0, 0, 0, 0],
           [0, 0, 2, 0],
           [0, 2, 2, 0],
           [0, 0, 0, 0]])
    """
    if any(buffer_size >= s for s in labels.shape) and mask is None:
        raise ValueError("buffer size may not be greater than labels size "
                         f"(got buffer_size={buffer_size}, labels shape {labels.shape})")
    if out is None:
        out = labels.copy()
    if mask is not None:
        if out.shape != mask.shape:
            # scikit-image raises (ValueError, message), a tuple
            raise TypeError("exceptions must derive from BaseException (labels and mask "
                            f"should have the same shape but are {out.shape} and "
                            f"{mask.shape})")
        if mask.dtype != bool:
            raise TypeError(f"mask should be of type bool. (got {mask.dtype})")
        borders = ~mask
    else:
        borders = np.zeros(out.shape, dtype=bool)
        ext = buffer_size + 1
        every = [slice(None)] * out.ndim
        for d in range(out.ndim):
            for sl in (slice(ext), slice(-ext, None)):
                idx = list(every)
                idx[d] = sl
                borders[tuple(idx)] = True
    lab = _objects(out)
    touching = np.zeros(int(lab.max(initial=0)) + 1, bool)
    touching[lab[borders]] = True
    out[touching[lab]] = bgval
    return out
