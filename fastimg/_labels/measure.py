"""Public wrappers of the measurements per label: ``scipy.ndimage``'s
sum_labels (and its alias sum), mean, variance, standard_deviation and
center_of_mass (SciPy 1.17).

``labels=None``, ``index=None`` and a scalar ``index`` measure one group
with NumPy reductions on the selected values (SciPy's pairwise sums and
result types).  An array ``index`` counts and sums every label in one
jitted pass in flat order (SciPy's ``np.bincount`` order: bit-identical
float64 sums); see :mod:`fastimg._labels.groups` for the label lookup.
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core.docs import fill_doc
from . import groups as G
from . import measure_kernels as MK

__all__ = ["sum_labels", "sum", "mean", "variance", "standard_deviation", "center_of_mass"]

_PARAMS = """\
input : array_like
    Values of `input` inside the regions defined by `labels` are summed
    together.
labels : array_like of ints, optional
    Assign labels to the values of the array. Has to have the same shape
    as `input` (or broadcast to it).
index : array_like, optional
    A single label number or a sequence of label numbers of the objects to
    be measured. Without `labels`, every value is measured; without
    `index`, every value with a positive label."""

_measure_doc = fill_doc.with_texts(measure_params=_PARAMS)


def _single(vals, centered):
    if centered:
        c = vals - vals.mean()
        return vals.size, vals.sum(), (c * c.conjugate()).sum()
    return vals.size, vals.sum()


def _cannot_bincount(x):
    if not np.can_cast(x.dtype, np.float64, "safe"):
        raise TypeError(f"Cannot cast array data from {x.dtype!r} to dtype('float64') "
                        "according to the rule 'safe'")


def _stats(input, labels=None, index=None, centered=False):
    """(counts, sums[, centred sums of squares]) with SciPy's shapes."""
    input = np.asarray(input)
    if labels is None:
        return _single(input, centered)
    input, labels = G.broadcast(input, np.asarray(labels))
    if index is None:
        return _single(input[labels > 0], centered)
    if np.isscalar(index):
        return _single(input[labels == index], centered)
    ids = G.Ids(labels)
    _cannot_bincount(input)
    x = G.kernel_values(input)
    counts = np.zeros(ids.n, np.intp)
    sums = np.zeros(ids.n, np.float64)
    MK.label_sums(ids.lab, x, counts, sums)
    if centered:
        with np.errstate(divide="ignore", invalid="ignore"):
            means = sums / counts
        sums_c = np.zeros(ids.n, np.float64)
        MK.label_centered(ids.lab, x, means, sums_c)
    idxs, found = ids.lookup_stats(index)
    counts = counts[idxs]
    counts[~found] = 0
    sums = sums[idxs]
    sums[~found] = 0
    if not centered:
        return counts, sums
    sums_c = sums_c[idxs]
    sums_c[~found] = 0
    return counts, sums, sums_c


@_measure_doc
def sum_labels(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
               index: npt.ArrayLike | None = None):
    """Calculate the sum of the values of the array.

    Drop-in for :func:`scipy.ndimage.sum_labels` (SciPy 1.17).

    Parameters
    ----------
    {measure_params}

    Returns
    -------
    sum : ndarray or scalar
        An array of the sums of values of `input` inside the regions defined
        by `labels` with the same shape as `index`. If 'index' is None or
        scalar, a scalar is returned.

    Notes
    -----
    Differences from :func:`scipy.ndimage.sum_labels`: none.  An array
    `index` sums every label in one pass in float64, in SciPy's order.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.sum_labels([1, 2, 3, 4], labels=[1, 1, 2, 2], index=[1, 2])
    array([3., 7.])
    """
    return _stats(input, labels, index)[1]


@_measure_doc
def sum(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
        index: npt.ArrayLike | None = None):
    """Calculate the sum of the values of the array (alias of sum_labels).

    Drop-in for :func:`scipy.ndimage.sum` (SciPy 1.17).

    Parameters
    ----------
    {measure_params}

    Returns
    -------
    sum : ndarray or scalar
        The sums per label, as :func:`sum_labels` returns them.

    Notes
    -----
    Differences from :func:`scipy.ndimage.sum`: none (see
    :func:`sum_labels`).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.sum([1, 2, 3, 4], labels=[1, 1, 2, 2], index=[1, 2])
    array([3., 7.])
    """
    return sum_labels(input, labels, index)


@_measure_doc
def mean(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
         index: npt.ArrayLike | None = None):
    """Calculate the mean of the values of an array at labels.

    Drop-in for :func:`scipy.ndimage.mean` (SciPy 1.17).

    Parameters
    ----------
    {measure_params}

    Returns
    -------
    out : list or float
        The means per label (an array for an array `index`); NaN for a
        label without pixels.

    Notes
    -----
    Differences from :func:`scipy.ndimage.mean`: none (float64 sums in
    SciPy's order divided by the counts).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.mean([1, 2, 3, 4], labels=[1, 1, 2, 2], index=[1, 2])
    array([1.5, 3.5])
    """
    count, total = _stats(input, labels, index)
    return total / np.asanyarray(count).astype(np.float64)


@_measure_doc
def variance(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
             index: npt.ArrayLike | None = None):
    """Calculate the variance of the values of an N-D image array.

    Drop-in for :func:`scipy.ndimage.variance` (SciPy 1.17).

    Parameters
    ----------
    {measure_params}

    Returns
    -------
    variance : float or ndarray
        Values of variance, for each sub-region if `labels` and `index` are
        specified.

    Notes
    -----
    Differences from :func:`scipy.ndimage.variance`: none.  For an array
    `index`, the squared deviations from each label's mean are summed in
    float64 in SciPy's order.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.variance([1, 2, 3, 5], labels=[1, 1, 2, 2], index=[1, 2])
    array([0.25, 1.  ])
    """
    count, _, sum_c_sq = _stats(input, labels, index, centered=True)
    return sum_c_sq / np.asanyarray(count).astype(float)


@_measure_doc
def standard_deviation(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
                       index: npt.ArrayLike | None = None):
    """Calculate the standard deviation of the values of an N-D image array.

    Drop-in for :func:`scipy.ndimage.standard_deviation` (SciPy 1.17).

    Parameters
    ----------
    {measure_params}

    Returns
    -------
    standard_deviation : float or ndarray
        Values of standard deviation, for each sub-region if `labels` and
        `index` are specified.

    Notes
    -----
    Differences from :func:`scipy.ndimage.standard_deviation`: none (the
    square root of :func:`variance`).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.standard_deviation([1, 2, 3, 5], labels=[1, 1, 2, 2], index=[1, 2])
    array([0.5, 1. ])
    """
    return np.sqrt(variance(input, labels, index))


@_measure_doc
def center_of_mass(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
                   index: npt.ArrayLike | None = None):
    """Calculate the center of mass of the values of an array at labels.

    Drop-in for :func:`scipy.ndimage.center_of_mass` (SciPy 1.17).

    Parameters
    ----------
    {measure_params}

    Returns
    -------
    center_of_mass : tuple, or list of tuples
        Coordinates of centers-of-mass.

    Notes
    -----
    Differences from :func:`scipy.ndimage.center_of_mass`: none.  For an
    array `index` the weighted coordinate sums of every label and axis come
    from one pass (float64 products ``value * coordinate``, summed in
    SciPy's order) instead of one ``sum_labels`` call per axis.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 1, 1], [0, 1, 1], [0, 0, 0]])
    >>> [float(c) for c in ndimage.center_of_mass(a)]
    [0.5, 1.5]
    """
    input = np.asarray(input)
    normalizer = sum_labels(input, labels, index)
    if labels is None or index is None or np.isscalar(index):
        grids = np.ogrid[[slice(0, i) for i in input.shape]]
        results = [sum_labels(input * grids[d].astype(float), labels, index) / normalizer
                   for d in range(input.ndim)]
    else:
        results = _moments(input, labels, index, normalizer)
    if np.isscalar(results[0]):
        return tuple(results)
    return [tuple(v) for v in np.array(results).T]


def _moments(input, labels, index, normalizer):
    x, labels = G.broadcast(input, np.asarray(labels))
    if x.shape != input.shape:
        # input * grid has input's shape before broadcasting: the per-axis
        # route of the definition handles that rare case
        grids = np.ogrid[[slice(0, i) for i in input.shape]]
        return [sum_labels(input * grids[d].astype(float), labels, index) / normalizer
                for d in range(input.ndim)]
    ids = G.Ids(labels)
    _cannot_bincount(x)
    out = np.zeros((ids.n, max(x.ndim, 1)), np.float64)
    MK.label_moments(ids.lab, G.kernel_values(x), np.array(x.shape, np.int64), out)
    idxs, found = ids.lookup_stats(index)
    results = []
    for d in range(input.ndim):
        s = out[:, d][idxs]
        s[~found] = 0
        results.append(s / normalizer)
    return results
