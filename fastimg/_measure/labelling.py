"""Public wrapper of ``skimage.measure.label`` (scikit-image 0.26).

Rules reproduced from scikit-image (``_label.py`` and ``_ccomp.pyx``):

* a bool image is labelled as ``scipy.ndimage.label`` labels it (int32
  labels, any rank) with the structure of ``connectivity`` (pixels within
  that many orthogonal hops); ``background == 1`` labels the inverse;
* any other image is cast to ``intp`` (floats truncate), pixels equal to
  ``background`` (default 0; a float truncates, as the Cython cast does)
  are 0 and neighbours of equal value join (1- to 3-D only);
* a shape with a length-1 axis after a longer one is first swapped
  (skimage's ``reshape_array``; only its last swap is applied), labelled,
  and the result swapped back (a view), so labels are numbered by the first
  pixel of each component in the swapped array's C order;
* ``return_num`` gives a Python int.

The bool path is fastimg's ``ndimage.label`` (the labels family); the
other labels runs of equal values (:mod:`fastimg._measure.label_kernels`),
numbering components by their first pixel in C order, as skimage does.
"""
from __future__ import annotations

import operator

import numpy as np

from .._core.sk_args import apply_label_swaps as _apply_swaps
from .._core.sk_args import label_swaps as _swaps
from .._labels import label as _ndi_label
from . import label_kernels as K

__all__ = ["label"]


def _structure(ndim, connectivity):
    """``scipy.ndimage.generate_binary_structure(ndim, connectivity)``:
    the cells of the 3**ndim cube within ``connectivity`` hops."""
    if ndim == 0:
        return np.array(connectivity > 0)
    hops = np.add.reduce(np.fabs(np.indices([3] * ndim) - 1), 0)
    return hops <= connectivity


def _c_intp(value, what="an integer is required"):
    """A Python value converted to a C ``npy_intp`` as Cython converts it:
    ``__index__``, else ``__int__`` (floats truncate), else TypeError."""
    try:
        v = operator.index(value)
    except TypeError:
        if isinstance(value, (str, bytes)) or not hasattr(type(value), "__int__"):
            raise TypeError(f"{what} (got {type(value).__name__} {value!r})") from None
        v = int(value)
    if not -2**63 <= v < 2**63:
        raise OverflowError("Python int too large to convert to C long "
                            f"(got {value!r})")
    return v


def _label_bool(image, background, return_num, connectivity):
    if background == 1:
        image = ~image
    if connectivity is None:
        connectivity = image.ndim
    if not 1 <= connectivity <= image.ndim:
        raise ValueError(f'Connectivity for {image.ndim}D image should '
                         f'be in [1, ..., {image.ndim}]. Got {connectivity}.')
    result = _ndi_label(image, structure=_structure(image.ndim, connectivity))
    return result if return_num else result[0]


def _label_values(image, background, return_num, connectivity):
    swaps = _swaps(image.shape)
    swapped = _apply_swaps(image, swaps)
    ndim = swapped.ndim
    data = np.array(swapped, order="C", dtype=np.intp)
    if not 1 <= ndim <= 3:
        raise NotImplementedError("Only for images of dimension 1-3 are supported, "
                                  f"got a {ndim}D one")
    bg = 0 if background is None else _c_intp(background)
    if connectivity is None:
        connectivity = ndim
    if not 1 <= connectivity <= ndim:
        raise ValueError(f'Connectivity for {ndim}D image should '
                         f'be in [1, ..., {ndim}]. Got {connectivity}.')
    conn = _c_intp(connectivity)
    count = 0
    if data.size:
        out = np.empty(data.shape, np.intp)
        shape3 = (1,) * (3 - ndim) + data.shape
        count = int(K.label_runs(data.reshape(shape3), bg, conn, out.reshape(shape3)))
        data = out
    if swaps:
        data = _apply_swaps(data, swaps[::-1])
    return (data, count) if return_num else data


def label(label_image, background=None, return_num=False, connectivity=None):
    r"""Label connected regions of an integer array.

    Drop-in for :func:`skimage.measure.label` (scikit-image 0.26).

    Two pixels are connected when they are neighbors and have the same
    value.  In 2D, they can be neighbors either in a 1- or 2-connected
    sense; the value is the maximum number of orthogonal hops to consider
    a pixel/voxel a neighbor.

    Parameters
    ----------
    label_image : ndarray of dtype int
        Image to label (bool: any rank; other dtypes: 1- to 3-D, cast to
        ``intp``).
    background : int, optional
        Consider all pixels with this value as background pixels, and label
        them as 0. By default, 0-valued pixels are considered as background
        pixels.
    return_num : bool, optional
        Whether to return the number of assigned labels.
    connectivity : int, optional
        Maximum number of orthogonal hops to consider a pixel/voxel as a
        neighbor. Accepted values are ranging from 1 to input.ndim. If
        ``None``, a full connectivity of ``input.ndim`` is used.

    Returns
    -------
    labels : ndarray of dtype int
        Labeled array, where all connected regions are assigned the same
        integer value (int32 for a bool image, intp otherwise).
    num : int, optional
        Number of labels, which equals the maximum label index and is only
        returned if return_num is `True`.

    Notes
    -----
    Differences from :func:`skimage.measure.label`: none (same labels,
    numbering, dtypes, strides and errors; error messages add what was
    received).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.measure import label
    >>> x = np.eye(3).astype(int)
    >>> print(label(x, connectivity=1))
    [[1 0 0]
     [0 2 0]
     [0 0 3]]
    >>> print(label(x, background=-1))
    [[1 2 2]
     [2 1 2]
     [2 2 1]]
    """
    if label_image.dtype == bool:
        return _label_bool(label_image, background, return_num, connectivity)
    return _label_values(label_image, background, return_num, connectivity)
