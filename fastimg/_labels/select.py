"""Public wrappers of the selections per label: ``scipy.ndimage``'s
minimum, maximum, median, minimum_position, maximum_position and extrema
(SciPy 1.17).

SciPy defines them by sorting: every value sorted with ``np.argsort`` (the
minimum of a label is its first value in that order, the maximum its last)
or, for the median, sorted stably by (label, value).  NaN sorts last, so a
label's minimum ignores NaN unless all its values are NaN, and its maximum
is NaN as soon as one value is.  A label without pixels gets 0 (position 0)
and, for the median, the first value of the whole sorted array.

fastimg finds the extrema in one jitted pass.  Where SciPy's answer depends
on the order ``np.argsort`` gives equal values (a position among tied
extrema, the sign of a zero tied with another zero) the wrapper sorts as
SciPy does.  Medians sort the values stably once and by label in a jitted
counting sort (SciPy's ``np.lexsort`` order).
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core.docs import fill_doc
from . import groups as G
from . import measure_kernels as MK

__all__ = ["minimum", "maximum", "median", "minimum_position", "maximum_position",
           "extrema"]

_PARAMS = """\
input : array_like
    Array_like of values. For each region specified by `labels`, the
    selected value of `input` over the region is computed.
labels : array_like, optional
    An array_like of integers marking different regions over which the
    value of `input` is to be computed. `labels` must have the same shape
    as `input` (or broadcast to it). If `labels` is not specified, the
    whole array is used.
index : array_like, optional
    A list of region labels that are taken into account for computing the
    values. If `index` is None, all values where `labels` is non-zero
    (positive) are used."""

_select_doc = fill_doc.with_texts(select_params=_PARAMS)


def _single(vals, pos, want):
    out = []
    for w in want:
        if w == "min":
            out.append(vals.min())
        elif w == "minpos":
            out.append(pos[vals == vals.min()][0])
        elif w == "max":
            out.append(vals.max())
        elif w == "maxpos":
            out.append(pos[vals == vals.max()][0])
        else:
            out.append(np.median(vals))
    return out


def _select(input, labels, index, want):
    """SciPy's selections ``want`` (a tuple of 'min', 'minpos', 'max',
    'maxpos', 'median') with its result shapes and dtypes."""
    input = np.asanyarray(input)
    positions = None
    if "minpos" in want or "maxpos" in want:
        positions = np.arange(input.size).reshape(input.shape)
    if labels is None:
        return _single(input, positions, want)
    labels = np.asarray(labels)
    input, labels = G.broadcast(input, labels)
    if index is None or np.isscalar(index):
        mask = labels > 0 if index is None else labels == index
        return _single(input[mask], None if positions is None else positions[mask], want)
    ids = G.Ids(labels)
    idxs = ids.lookup_select(index)
    if want == ("median",):
        # one stable sort of the values, then a counting sort by label
        values = input.ravel()
        order = np.argsort(values, kind="stable").astype(np.int64, copy=False)
        lo = np.zeros(ids.n + 1, np.int64)
        hi = np.zeros(ids.n + 1, np.int64)
        MK.median_picks(ids.lab, order, ids.n + 1, lo, hi)
        return [_median_values(values, lo[idxs], hi[idxs])]
    x = G.kernel_values(input)
    if x is None or (positions is not None and positions.size != input.size):
        return _sorted_select(input, ids, idxs, positions, want)
    first_min = np.full(ids.n + 1, -1, np.int64)
    first_max = np.full(ids.n + 1, -1, np.int64)
    n_min = np.zeros(ids.n + 1, np.int64)
    n_max = np.zeros(ids.n + 1, np.int64)
    MK.label_extrema(ids.lab, x, first_min, n_min, first_max, n_max)
    if _ties_matter(x, want, idxs, first_min, n_min, first_max, n_max):
        return _sorted_select(input, ids, idxs, positions, want)
    return [_pick(input.ravel(), first_min if w.startswith("min") else first_max,
                  idxs, w.endswith("pos")) for w in want]


def _ties_matter(x, want, idxs, first_min, n_min, first_max, n_max):
    """Whether SciPy's argsort tie order can change a requested result."""
    sel = np.unique(idxs)
    for w, first, count in (("min", first_min, n_min), ("max", first_max, n_max)):
        if w not in want and w + "pos" not in want:
            continue
        tied = (count[sel] > 1) & (first[sel] >= 0)
        if w + "pos" in want and tied.any():
            return True
        if x.dtype.kind == "f" and tied.any():
            # equal values differ only in the sign of zero or a NaN's bits
            v = x[first[sel][tied]]
            if ((v == 0) | np.isnan(v)).any():
                return True
    return False


def _pick(values, first, idxs, position):
    """Values (input dtype) or flat positions (int) of the chosen elements;
    0 for labels without pixels."""
    j = first[idxs]
    absent = j < 0
    if position:
        out = np.where(absent, 0, j).astype(int)
        return out if out.ndim else out[()]
    out = values[np.where(absent, 0, j)] if values.size else np.zeros(j.shape, values.dtype)
    if np.ndim(out):
        out[absent] = 0
    elif absent:
        out = values.dtype.type(0)
    return out


def _median_values(values, lo, hi):
    a, b = values[lo], values[hi]
    if values.dtype.kind in "iub":
        return (a.astype("d") + b.astype("d")) / 2.0
    return (a + b) / 2.0


def _sorted_select(input, ids, idxs, positions, want):
    """The definition: SciPy's ``np.argsort`` of the values, a label's
    first and last entries.  Used where ties matter or the dtype has no
    kernel."""
    values = input.ravel()
    lab = ids.lab
    nlab = ids.n + 1
    order = values.argsort()
    first = np.full(nlab, -1, np.int64)
    last = np.full(nlab, -1, np.int64)
    MK.first_last(lab[order], order.astype(np.int64), first, last)
    res = {"min": _pick(values, first, idxs, False), "max": _pick(values, last, idxs, False)}
    if positions is not None:
        if positions.size == values.size:
            # SciPy's positions[order][rank of j] is positions[j]: no
            # gather by the order, no rank array (2 x 4 M-element passes at
            # 2048²)
            pos, fmin, fmax = positions.ravel(), first, last
        else:
            pos = positions.ravel()[order]      # an error where SciPy's is
            fmin, fmax = _in_order(first, order), _in_order(last, order)
        res["minpos"] = _pick(pos, fmin, idxs, False)
        res["maxpos"] = _pick(pos, fmax, idxs, False)
    return [res[w] for w in want]


def _in_order(flat_pos, order):
    """Positions in ``order`` of the flat indices ``flat_pos`` (-1 kept)."""
    rank = np.empty(order.size, np.int64)
    rank[order] = np.arange(order.size)
    return np.where(flat_pos >= 0, rank[np.maximum(flat_pos, 0)] if order.size else -1, -1)


def _unravel(result, shape):
    dims = np.array(shape)
    dim_prod = np.cumprod([1] + list(dims[:0:-1]))[::-1]
    if np.isscalar(result):
        return tuple((result // dim_prod) % dims)
    return [tuple(v) for v in (result.reshape(-1, 1) // dim_prod) % dims]


@_select_doc
def minimum(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
            index: npt.ArrayLike | None = None):
    """Calculate the minimum of the values of an array over labeled regions.

    Drop-in for :func:`scipy.ndimage.minimum` (SciPy 1.17).

    Parameters
    ----------
    {select_params}

    Returns
    -------
    minimum : float or list of floats
        List of minima of `input` over the regions determined by `labels`
        and whose index is in `index`; a scalar for a scalar or None
        `index`.  0 for a label without pixels.

    Notes
    -----
    Differences from :func:`scipy.ndimage.minimum`: none.  One pass finds
    each label's minimum; SciPy's sort decides only between tied zeros of
    opposite signs, and fastimg sorts as SciPy does in that case.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.minimum([5, 2, 7, 1], labels=[1, 1, 2, 2], index=[1, 2, 3])
    array([2, 1, 0])
    """
    return _select(input, labels, index, ("min",))[0]


@_select_doc
def maximum(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
            index: npt.ArrayLike | None = None):
    """Calculate the maximum of the values of an array over labeled regions.

    Drop-in for :func:`scipy.ndimage.maximum` (SciPy 1.17).

    Parameters
    ----------
    {select_params}

    Returns
    -------
    output : float or list of floats
        List of maxima of `input` over the regions determined by `labels`
        and whose index is in `index`; a scalar for a scalar or None
        `index`.  0 for a label without pixels, NaN for a label holding a
        NaN.

    Notes
    -----
    Differences from :func:`scipy.ndimage.maximum`: none (see
    :func:`minimum`).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.maximum([5, 2, 7, 1], labels=[1, 1, 2, 2], index=[1, 2, 3])
    array([5, 7, 0])
    """
    return _select(input, labels, index, ("max",))[0]


@_select_doc
def median(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
           index: npt.ArrayLike | None = None):
    """Calculate the median of the values of an array over labeled regions.

    Drop-in for :func:`scipy.ndimage.median` (SciPy 1.17).

    Parameters
    ----------
    {select_params}

    Returns
    -------
    median : float or list of floats
        List of medians of `input` over the regions determined by `labels`
        and whose index is in `index`.  A label without pixels gets the
        first value of SciPy's (label, value) sorted array.

    Notes
    -----
    Differences from :func:`scipy.ndimage.median`: none.  One stable sort
    of the values and a jitted counting sort by label replace SciPy's
    ``np.lexsort`` (the same order); integer and bool medians are averaged
    in float64, float ones in their own dtype, as in SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.median([5, 2, 7, 1, 4], labels=[1, 1, 2, 2, 2], index=[1, 2])
    array([3.5, 4. ])
    """
    return _select(input, labels, index, ("median",))[0]


@_select_doc
def minimum_position(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
                     index: npt.ArrayLike | None = None):
    """Find the positions of the minimums of the values of an array at labels.

    Drop-in for :func:`scipy.ndimage.minimum_position` (SciPy 1.17).

    Parameters
    ----------
    {select_params}

    Returns
    -------
    output : list of tuples of ints
        Tuple of ints or list of tuples of ints that specify the location
        of minimum of `input` over the regions determined by `labels` and
        whose index is in `index`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.minimum_position`: none.  Among
    tied minima SciPy returns the first in ``np.argsort``'s order of the
    whole image: fastimg finds the minima in one pass and sorts as SciPy
    does only when a requested label has tied minima.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[5, 2], [7, 1]])
    >>> [tuple(map(int, p)) for p in ndimage.minimum_position(a, [[1, 1], [2, 2]], [1, 2])]
    [(0, 1), (1, 1)]
    """
    shape = np.asarray(input).shape
    return _unravel(_select(input, labels, index, ("minpos",))[0], shape)


@_select_doc
def maximum_position(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
                     index: npt.ArrayLike | None = None):
    """Find the positions of the maximums of the values of an array at labels.

    Drop-in for :func:`scipy.ndimage.maximum_position` (SciPy 1.17).

    Parameters
    ----------
    {select_params}

    Returns
    -------
    output : list of tuples of ints
        List of tuples of ints that specify the location of maximum of
        `input` over the regions determined by `labels` and whose index is
        in `index`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.maximum_position`: none (see
    :func:`minimum_position`; SciPy returns the last tied maximum in its
    sort order).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[5, 2], [7, 1]])
    >>> [tuple(map(int, p)) for p in ndimage.maximum_position(a, [[1, 1], [2, 2]], [1, 2])]
    [(0, 0), (1, 0)]
    """
    shape = np.asarray(input).shape
    return _unravel(_select(input, labels, index, ("maxpos",))[0], shape)


@_select_doc
def extrema(input: npt.ArrayLike, labels: npt.ArrayLike | None = None,
            index: npt.ArrayLike | None = None):
    """Calculate the minimums and maximums of the values of an array at labels.

    The positions of the extrema are returned too.

    Drop-in for :func:`scipy.ndimage.extrema` (SciPy 1.17).

    Parameters
    ----------
    {select_params}

    Returns
    -------
    minimums, maximums : int or ndarray
        Values of minimums and maximums in each feature.
    min_positions, max_positions : tuple or list of tuples
        Each tuple gives the N-D coordinates of the corresponding minimum
        or maximum.

    Notes
    -----
    Differences from :func:`scipy.ndimage.extrema`: none (see
    :func:`minimum` and :func:`minimum_position`).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> lo, hi, _, _ = ndimage.extrema([5, 2, 7, 1], labels=[1, 1, 2, 2], index=[1, 2])
    >>> lo, hi
    (array([2, 1]), array([5, 7]))
    """
    shape = np.asarray(input).shape
    mins, minpos, maxs, maxpos = _select(input, labels, index, ("min", "minpos", "max", "maxpos"))
    return mins, maxs, _unravel(minpos, shape), _unravel(maxpos, shape)
