"""Public wrapper of ``scipy.ndimage.histogram`` (SciPy 1.17).

SciPy computes ``np.histogram(values, np.linspace(min, max, bins + 1))[0]``
per label through ``labeled_comprehension``; the rules reproduced:

* ``labels=None`` (an ``index`` then raises), ``index=None`` (the values
  with a positive label) and a scalar ``index`` (one array of counts, as
  NumPy gives it);
* an array ``index`` (made at least 1-D) is cast to the labels' dtype
  (ValueError when that loses precision) and gives an object array with,
  per entry, the counts of that label, or None when no pixel has it;
* SciPy fails on an index of more than one dimension (a ValueError,
  TypeError or IndexError from inside its loop, depending on the shape):
  fastimg raises ValueError.

An array ``index`` is answered by one jitted pass that bins every value of
every requested label at once (NumPy's rule for explicit edges).
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from . import groups as G
from . import measure_kernels as MK

__all__ = ["histogram"]


def histogram(input: npt.ArrayLike, min, max, bins: int, labels: npt.ArrayLike | None = None,
              index: npt.ArrayLike | None = None):
    """Calculate the histogram of the values of an array, optionally at labels.

    Drop-in for :func:`scipy.ndimage.histogram` (SciPy 1.17).

    Parameters
    ----------
    input : array_like
        Data for which to calculate histogram.
    min, max : int
        Minimum and maximum values of range of histogram bins.
    bins : int
        Number of bins.
    labels : array_like, optional
        Labels for objects in `input`. If not None, must be same shape as
        `input`.
    index : int or sequence of ints, optional
        Label or labels for which to calculate histogram. If None, all
        values where label is greater than zero are used.

    Returns
    -------
    hist : ndarray
        Histogram counts; for a sequence `index`, an object array holding
        one array of counts per label (None for a label without pixels).

    Notes
    -----
    Differences from :func:`scipy.ndimage.histogram`: none in results.  A
    sequence `index` is counted in one pass over the image instead of a
    sort of the labels and one ``np.histogram`` call per label.  An
    `index` of two or more dimensions, where SciPy fails inside its loop
    (with an error that depends on the shape), raises ValueError.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0.1, 0.7], [0.4, 0.9]])
    >>> ndimage.histogram(a, 0, 1, 2, labels=[[1, 1], [2, 2]], index=[1, 2, 3])
    array([array([1, 1]), array([1, 1]), None], dtype=object)
    """
    edges = np.linspace(min, max, bins + 1)
    as_scalar = np.isscalar(index)
    input = np.asarray(input)
    if labels is None:
        if index is not None:
            raise ValueError("index without defined labels")
        return np.histogram(input.ravel(), edges)[0]
    labels = np.asarray(labels)
    try:
        input, labels = G.broadcast(input, labels)
    except ValueError as e:
        raise ValueError("input and labels must have the same shape "
                         "(excepting dimensions with width 1)") from e
    if index is None:
        return np.histogram(input[labels > 0], edges)[0]
    index = np.atleast_1d(index)
    if np.any(index.astype(labels.dtype).astype(index.dtype) != index):
        raise ValueError(f"Cannot convert index values from <{index.dtype}> to "
                         f"<{labels.dtype}> (labels' type) without loss of precision")
    index = index.astype(labels.dtype)
    lo, hi = index.min(), index.max()
    if index.ndim > 1:
        # SciPy fails there, with an error that depends on the shape
        raise ValueError("index must be a scalar or a 1-D sequence "
                         f"(got an index of shape {index.shape})")
    out = np.empty(index.shape, object)
    per_label = _per_label(input, labels, index, lo, hi, edges)
    for i, v in enumerate(index):
        out[i] = per_label(v)
    return out[0] if as_scalar else out


def _per_label(input, labels, index, lo, hi, edges):
    """``label value -> counts array or None``."""
    keys = np.unique(index)
    x = G.kernel_values(input)
    if x is None or np.any(edges[:-1] > edges[1:]):
        # NumPy's own histogram: other dtypes, and its error for
        # decreasing edges
        def numpy_hist(v):
            sel = input[labels == v]
            return np.histogram(sel, edges)[0] if sel.size else None
        return numpy_hist
    lab = G.flat(labels)
    slot = np.searchsorted(keys, lab)
    slot[slot >= keys.size] = 0
    slot = np.where((keys[slot] == lab) & (lab >= lo) & (lab <= hi), slot, -1)
    counts = np.zeros((keys.size, edges.size - 1), np.intp)
    present = np.zeros(keys.size, np.int64)
    MK.label_histograms(slot.astype(np.int64), x, np.ascontiguousarray(edges, np.float64),
                        counts, present)

    def hist(v):
        s = int(np.searchsorted(keys, v))
        return counts[s].copy() if present[s] else None
    return hist
