"""Reference (oracle) labelling and measurements with SciPy 1.17 semantics.

Mirrors ``scipy.ndimage`` label, find_objects and the measurements.  Plain
Python loops over pixels, the obvious way; valid arguments only (the error
paths are tested against SciPy).

Rules encoded (checked against SciPy 1.17.1):

* ``label``: two pixels are connected when their coordinate difference is a
  True cell of the (symmetric, 3**n) structure offset from its centre;
  components are numbered 1, 2, ... in the order of their first pixel in C
  scan order (SciPy's order for its own C-ordered output); default output
  dtype int32;
* ``find_objects``: for label value v the object index is ``int(v - 1)``
  truncated toward zero (SciPy's C cast), objects 0 .. max_label - 1; the
  box is (min, max + 1) per axis, None for an absent object;
* measurements with an array ``index`` (integer labels and index here):
  sums are float64, accumulated pixel by pixel in C order (``np.bincount``'s
  order); a label without pixels measures 0 (count 0: mean NaN); the
  variance sums ``(value - mean) ** 2`` in float64 the same way;
* with ``labels=None`` (every pixel), ``index=None`` (positive labels) or a
  scalar index, one group measured with NumPy's own reductions
  (``np.sum`` etc., SciPy's result types);
* selections follow SciPy's sort: in ``np.argsort`` order of all values
  (NaN last) a label's minimum is its first value, its maximum its last
  (so the minimum skips NaN, the maximum is NaN when one value is); absent
  labels give 0 and position 0; positions are flat C indices unravelled;
* median: a label's values sorted stably (NaN last), the mean of the
  elements ``(k - 1) // 2`` and ``k - 1 - (k - 1) // 2`` (integers averaged
  in float64, floats in their dtype); an absent label takes the smallest
  value of the smallest label present;
* distance transforms (brute force over every feature = zero pixel): the
  Euclidean distance ``sqrt(sum_d ((q_d - p_d) * sampling_d) ** 2)``
  (summed from axis 0) to the nearest feature; the chessboard / taxicab
  distance ``max |q_d - p_d|`` / ``sum |q_d - p_d|`` (-1 without features,
  where SciPy's two passes reach every pixel exactly);
* ``histogram``: edges ``np.linspace(min, max, bins + 1)``; a value v
  counts in the last bin i with ``edges[i] <= v`` (the last bin closed at
  ``max``), values outside and NaN nowhere; per label of an array index
  an array of counts, None for a label without pixels;
* ``clear_border`` (scikit-image 0.26): objects are groups of equal
  nonzero values (``astype(np.intp)``; bool as 0/1) connected through any
  of the 3**n - 1 neighbours; an object (or the background) with a pixel
  among the ``buffer_size + 1`` outer pixels of any axis (or where ``mask``
  is False) is set to ``bgval``.
"""
from collections import deque
from itertools import product

import numpy as np

__all__ = ["label", "find_objects", "sum_labels", "mean", "variance", "standard_deviation",
           "minimum", "maximum", "median", "minimum_position", "maximum_position",
           "extrema", "center_of_mass", "distance_transform_edt", "distance_transform_cdt",
           "clear_border", "histogram"]


def label(input, structure=None):
    """Flood fill from each unlabelled feature pixel in C scan order."""
    x = np.asarray(input) != 0
    nd = x.ndim
    if structure is None:
        structure = np.zeros((3,) * nd, bool)
        for off in product((-1, 0, 1), repeat=nd):
            if sum(abs(o) for o in off) <= 1:
                structure[tuple(o + 1 for o in off)] = True
    structure = np.asarray(structure, bool)
    steps = [off for off in product((-1, 0, 1), repeat=nd)
             if structure[tuple(o + 1 for o in off)] and any(off)]
    out = np.zeros(x.shape, np.int32)
    n = 0
    for start in np.ndindex(*x.shape):
        if not x[start] or out[start]:
            continue
        n += 1
        out[start] = n
        todo = deque([start])
        while todo:
            p = todo.popleft()
            for off in steps:
                q = tuple(a + b for a, b in zip(p, off))
                if all(0 <= c < s for c, s in zip(q, x.shape)) and x[q] and not out[q]:
                    out[q] = n
                    todo.append(q)
    return out, n


def find_objects(input, max_label=0):
    """Bounding boxes per object index, by a loop over every pixel."""
    x = np.asarray(input)
    if max_label < 1:
        max_label = int(x.max())
    lo = [None] * max_label
    hi = [None] * max_label
    for p in np.ndindex(*x.shape):
        v = x[p]
        s = int(v - 1) if x.dtype.kind == "f" else int(v) - 1
        if 0 <= s < max_label:
            lo[s] = p if lo[s] is None else tuple(map(min, lo[s], p))
            hi[s] = p if hi[s] is None else tuple(map(max, hi[s], p))
    return [None if lo[s] is None else
            tuple(slice(a, b + 1) for a, b in zip(lo[s], hi[s])) for s in range(max_label)]


# ----------------------------------------------------------- measurements
def _groups(input, labels, index):
    """(values, flat label array, list of index values or None, scalar?)."""
    x = np.asarray(input)
    if labels is None:
        return x, None, None, True
    x, lab = np.broadcast_arrays(x, np.asarray(labels))
    return x, lab, index, index is None or np.isscalar(index)


def _selected(x, lab, index):
    if lab is None:
        return x.ravel()
    return x[lab > 0] if index is None else x[lab == index]


def _per_label(input, labels, index, fn):
    """fn(values in C order, positions) per entry of an array index."""
    x, lab, index, single = _groups(input, labels, index)
    idx = np.asarray(index)
    flat_x = x.ravel()
    flat_l = lab.ravel()
    out = []
    for v in idx.ravel():
        sel = [i for i in range(flat_x.size) if flat_l[i] == int(v)]
        out.append(fn([flat_x[i] for i in sel], sel))
    return out, idx.shape


def _sum_loop(vals):
    total = 0.0
    for v in vals:
        total += float(v)
    return total


def sum_labels(input, labels=None, index=None):
    x, lab, index, single = _groups(input, labels, index)
    if single:
        return _selected(x, lab, index).sum()
    out, shape = _per_label(input, labels, index, lambda vals, pos: _sum_loop(vals))
    return np.array(out, np.float64).reshape(shape)


def mean(input, labels=None, index=None):
    x, lab, index, single = _groups(input, labels, index)
    if single:
        vals = _selected(x, lab, index)
        return vals.sum() / np.float64(vals.size)
    out, shape = _per_label(input, labels, index,
                            lambda vals, pos: _sum_loop(vals) / len(vals) if vals
                            else np.nan)
    return np.array(out, np.float64).reshape(shape)


def _sq_loop(vals):
    m = _sum_loop(vals) / len(vals)
    total = 0.0
    for v in vals:
        total += (float(v) - m) * (float(v) - m)
    return total / len(vals)


def variance(input, labels=None, index=None):
    x, lab, index, single = _groups(input, labels, index)
    if single:
        vals = _selected(x, lab, index)
        c = vals - vals.mean()
        return (c * c).sum() / np.float64(vals.size)
    out, shape = _per_label(input, labels, index,
                            lambda vals, pos: _sq_loop(vals) if vals else np.nan)
    return np.array(out, np.float64).reshape(shape)


def standard_deviation(input, labels=None, index=None):
    return np.sqrt(variance(input, labels, index))


def _sort_ranks(x):
    """Rank of every flat position in ``np.argsort`` order (SciPy's)."""
    order = np.argsort(x.ravel())
    rank = np.empty(order.size, int)
    for r, p in enumerate(order):
        rank[p] = r
    return rank


def _extreme(input, labels, index, largest, position):
    x, lab, index, single = _groups(input, labels, index)
    if single:
        vals = _selected(x, lab, index)
        if not position:
            return vals.max() if largest else vals.min()
        pos = np.arange(x.size).reshape(x.shape)
        pos = pos.ravel() if lab is None else (pos[lab > 0] if index is None
                                               else pos[lab == index])
        m = vals.max() if largest else vals.min()
        return pos[vals == m][0]
    rank = _sort_ranks(x)

    def pick(vals, pos):
        if not pos:
            return 0
        best = pos[0]
        for p in pos:
            if (rank[p] > rank[best]) if largest else (rank[p] < rank[best]):
                best = p
        return best if position else x.ravel()[best]
    out, shape = _per_label(input, labels, index, pick)
    return np.array(out, int if position else x.dtype).reshape(shape)


def minimum(input, labels=None, index=None):
    return _extreme(input, labels, index, False, False)


def maximum(input, labels=None, index=None):
    return _extreme(input, labels, index, True, False)


def _coords(flat_positions, shape):
    if np.ndim(flat_positions) == 0:
        return tuple(np.int64(c) for c in np.unravel_index(int(flat_positions), shape))
    return [tuple(np.int64(c) for c in np.unravel_index(int(p), shape))
            for p in np.ravel(flat_positions)]


def minimum_position(input, labels=None, index=None):
    return _coords(_extreme(input, labels, index, False, True), np.shape(input))


def maximum_position(input, labels=None, index=None):
    return _coords(_extreme(input, labels, index, True, True), np.shape(input))


def extrema(input, labels=None, index=None):
    return (minimum(input, labels, index), maximum(input, labels, index),
            minimum_position(input, labels, index), maximum_position(input, labels, index))


def _middle(sorted_vals, dtype):
    k = len(sorted_vals)
    a, b = sorted_vals[(k - 1) // 2], sorted_vals[k - 1 - (k - 1) // 2]
    if np.dtype(dtype).kind in "iub":
        return (np.float64(a) + np.float64(b)) / 2.0
    return (a + b) / 2.0


def median(input, labels=None, index=None):
    x, lab, index, single = _groups(input, labels, index)
    if single:
        return np.median(_selected(x, lab, index))
    flat_l = lab.ravel()
    smallest = min(flat_l)
    first = np.sort(x.ravel()[flat_l == smallest], kind="stable")[0]

    def med(vals, pos):
        if not vals:
            return _middle([first], x.dtype)
        return _middle(list(np.sort(np.array(vals, x.dtype), kind="stable")), x.dtype)
    out, shape = _per_label(input, labels, index, med)
    kind = np.float64 if x.dtype.kind in "iub" else x.dtype
    return np.array(out, kind).reshape(shape)


def center_of_mass(input, labels=None, index=None):
    x = np.asarray(input)
    coords = np.indices(x.shape).reshape(x.ndim, -1)
    total = sum_labels(x, labels, index)
    if labels is None or index is None or np.isscalar(index):
        res = []
        for d in range(x.ndim):
            w = x * coords[d].reshape(x.shape).astype(float)
            res.append(sum_labels(w, labels, index) / total)
        return tuple(res)
    res = []
    for d in range(x.ndim):
        out, shape = _per_label(x * coords[d].reshape(x.shape).astype(float), labels, index,
                                lambda vals, pos: _sum_loop(vals))
        res.append(np.array(out, np.float64).reshape(shape) / total)
    return [tuple(v) for v in np.array(res).T]


# ----------------------------------------------------- distance transforms
def _features(x):
    return [p for p in np.ndindex(*x.shape) if not x[p]]


def distance_transform_edt(input, sampling=None):
    """Distances only (the indices' tie rule is SciPy's algorithm's)."""
    x = np.atleast_1d(np.asarray(input))
    samp = [1.0] * x.ndim if sampling is None else list(np.broadcast_to(sampling, (x.ndim,)))
    feats = _features(x)
    out = np.zeros(x.shape, np.float64)
    for p in np.ndindex(*x.shape):
        best = None
        for q in feats:
            s = None
            for d in range(x.ndim):
                t = float(q[d] - p[d]) * float(samp[d])
                s = t * t if s is None else s + t * t
            best = s if best is None or s < best else best
        if best is None:
            # no feature: SciPy measures to index -1 along axis 0, 0 elsewhere
            best = None
            for d in range(x.ndim):
                t = float((-1 if d == 0 else 0) - p[d]) * float(samp[d])
                best = t * t if best is None else best + t * t
        out[p] = np.sqrt(best)
    return out


def distance_transform_cdt(input, metric="chessboard"):
    x = np.asarray(input)
    feats = _features(x)
    out = np.full(x.shape, -1, np.int32)
    for p in np.ndindex(*x.shape):
        for q in feats:
            diffs = [abs(a - b) for a, b in zip(p, q)]
            dist = max(diffs) if metric == "chessboard" else sum(diffs)
            if out[p] < 0 or dist < out[p]:
                out[p] = dist
    return out


# ------------------------------------------------------------ clear_border
def clear_border(labels, buffer_size=0, bgval=0, mask=None):
    out = np.array(labels, copy=True)
    values = out.astype(np.intp)
    if mask is None:
        border = np.zeros(out.shape, bool)
        for p in np.ndindex(*out.shape):
            border[p] = any(c <= buffer_size or c >= s - 1 - buffer_size
                            for c, s in zip(p, out.shape))
    else:
        border = ~np.asarray(mask)
    steps = [off for off in product((-1, 0, 1), repeat=out.ndim) if any(off)]
    cleared = np.zeros(out.shape, bool)
    seen = np.zeros(out.shape, bool)
    for start in np.ndindex(*out.shape):
        if seen[start]:
            continue
        # one object: flood fill over equal values (the background, 0,
        # is one group however it is split)
        v = values[start]
        group = [start] if v else [tuple(p) for p in np.argwhere(values == 0)]
        seen[start] = True
        todo = deque(group if v else [])
        for p in group:
            seen[p] = True
        while todo:
            p = todo.popleft()
            for off in steps:
                q = tuple(a + b for a, b in zip(p, off))
                if (all(0 <= c < s for c, s in zip(q, out.shape)) and not seen[q]
                        and values[q] == v):
                    seen[q] = True
                    group.append(q)
                    todo.append(q)
        if any(border[p] for p in group):
            for p in group:
                cleared[p] = True
    out[cleared] = bgval
    return out


# --------------------------------------------------------------- histogram
def _bin_counts(values, edges):
    counts = np.zeros(len(edges) - 1, np.intp)
    for v in values:
        v = float(v)
        if not edges[0] <= v <= edges[-1]:
            continue
        i = max(k for k in range(len(edges)) if edges[k] <= v)
        counts[min(i, len(edges) - 2)] += 1
    return counts


def histogram(input, min, max, bins, labels=None, index=None):
    edges = np.linspace(min, max, bins + 1)
    x = np.asarray(input)
    if labels is None:
        return _bin_counts(x.ravel(), edges)
    x, lab = np.broadcast_arrays(x, np.asarray(labels))
    if index is None:
        return _bin_counts(x[lab > 0], edges)
    scalar = np.isscalar(index)
    out = np.empty(np.atleast_1d(index).shape, object)
    for i, v in enumerate(np.atleast_1d(index)):
        vals = [a for a, b in zip(x.ravel(), lab.ravel()) if b == v]
        out[i] = _bin_counts(vals, edges) if vals else None
    return out[0] if scalar else out
