"""Jitted cores of the measurements per label (SciPy 1.17 semantics).

``lab`` is the flat C-ordered array of label ids in ``[0, nlab)`` (SciPy's
labels, or their ranks when SciPy remaps them with ``np.unique``) and ``x``
the flat C-ordered values.

* sums are accumulated per label in flat order in float64, the order of
  ``np.bincount(labels, weights=...)``, so they are bit-identical;
* extrema follow SciPy's sort-based rule: the minimum is the smallest
  non-NaN value (NaN only when every value is NaN), the maximum is NaN as
  soon as one value is NaN.  The first such element in flat order and the
  number of elements tying with it are returned: SciPy breaks ties by
  ``np.argsort``'s order, which the wrapper reproduces when a tie matters;
* medians pick, in each label's values sorted stably (NaN last, SciPy's
  ``np.lexsort`` order), positions ``(k - 1) // 2`` and
  ``k - 1 - (k - 1) // 2``.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def label_sums(lab, x, counts, sums):
    """``counts[l]`` and float64 ``sums[l]`` in flat order."""
    for i in range(lab.shape[0]):
        l = lab[i]
        counts[l] += 1
        sums[l] += np.float64(x[i])


@kernel
def label_centered(lab, x, means, out):
    """``out[l] += (x - means[l]) ** 2`` in flat order (float64)."""
    for i in range(lab.shape[0]):
        l = lab[i]
        c = np.float64(x[i]) - means[l]
        out[l] += c * c


@kernel
def label_moments(lab, x, shape, out):
    """``out[l, d] += x * coordinate_d`` in flat order (float64 products,
    as ``input * grid.astype(float)``)."""
    nd = shape.shape[0]
    coord = np.zeros(nd, np.int64)
    for i in range(lab.shape[0]):
        l = lab[i]
        v = np.float64(x[i])
        for d in range(nd):
            out[l, d] += v * np.float64(coord[d])
        d = nd - 1
        while d >= 0:
            coord[d] += 1
            if coord[d] < shape[d]:
                break
            coord[d] = 0
            d -= 1


@kernel
def label_extrema(lab, x, first_min, n_min, first_max, n_max):
    """Per label: flat index of the first minimum / maximum (SciPy's NaN
    rule) and how many elements tie with it; -1 where a label is absent."""
    for i in range(lab.shape[0]):
        l = lab[i]
        v = x[i]
        vnan = v != v
        j = first_min[l]
        if j < 0:
            first_min[l] = i
            n_min[l] = 1
            first_max[l] = i
            n_max[l] = 1
            continue
        m = x[j]
        if m != m:
            if vnan:
                n_min[l] += 1
            else:
                first_min[l] = i
                n_min[l] = 1
        elif not vnan:
            if v < m:
                first_min[l] = i
                n_min[l] = 1
            elif v == m:
                n_min[l] += 1
        j = first_max[l]
        m = x[j]
        if m != m:
            if vnan:
                n_max[l] += 1
        elif vnan or v > m:
            first_max[l] = i
            n_max[l] = 1
        elif v == m:
            n_max[l] += 1


@kernel
def first_last(lab_sorted, order, first, last):
    """First and last entry of ``order`` per label of ``lab_sorted``
    (labels in sorted order)."""
    for k in range(lab_sorted.shape[0]):
        l = lab_sorted[k]
        if first[l] < 0:
            first[l] = order[k]
        last[l] = order[k]


@kernel
def median_picks(lab, order, nlab, lo_pos, hi_pos):
    """Flat positions of the two middle values of each label (equal for an
    odd count).  ``order`` sorts the values stably (NaN last); a stable
    counting sort by label then gives SciPy's (label, value) order.  Labels
    without pixels get the first element of that order (the smallest
    label's smallest value), as in SciPy."""
    n = lab.shape[0]
    start = np.zeros(nlab + 1, np.int64)
    for i in range(n):
        start[lab[i] + 1] += 1
    for l in range(nlab):
        start[l + 1] += start[l]
    fill = start[:nlab].copy()
    perm = np.empty(n, np.int64)
    for k in range(n):
        p = order[k]
        l = lab[p]
        perm[fill[l]] = p
        fill[l] += 1
    for l in range(nlab):
        s = start[l]
        e = start[l + 1]
        if e == s:
            lo_pos[l] = perm[0] if n else 0
            hi_pos[l] = lo_pos[l]
        else:
            h = (e - s - 1) // 2
            lo_pos[l] = perm[s + h]
            hi_pos[l] = perm[e - 1 - h]


@kernel
def label_histograms(slot, x, edges, counts, present):
    """Per slot (-1: not measured) ``np.histogram(values, edges)[0]`` for
    non-decreasing ``edges``: v goes to the last bin i with
    ``edges[i] <= v`` (at most the last bin, which is closed); values
    outside and NaN are not counted (NumPy's sorted-search rule, compared
    in float64).
    ``present[s]`` counts the slot's values, counted or not."""
    nb = edges.shape[0] - 1
    for i in range(slot.shape[0]):
        s = slot[i]
        if s < 0:
            continue
        present[s] += 1
        v = np.float64(x[i])
        if not (v >= edges[0] and v <= edges[nb]):
            continue
        # the last edge <= v (np.searchsorted(edges, v, 'right') - 1)
        lo = 0
        hi = nb + 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if edges[mid] <= v:
                lo = mid
            else:
                hi = mid
        if lo >= nb:
            lo = nb - 1     # v == edges[-1]: the last bin is closed
        counts[s, lo] += 1
