"""Jitted core of ``approximate_polygon``: the distances of one
Douglas-Peucker step, with scikit-image's arithmetic (same operations in
the same order and precision, so the chosen points are the same)."""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def farthest(coords, start, end, cos_a, sin_a, seg_dist, tolerance, dists):
    """Distances of ``coords[start + 1:end]`` to the segment from
    ``coords[start]`` to ``coords[end]`` (into ``dists``): perpendicular
    when the point projects inside the segment, else to the nearer end.
    Returns the index of the largest distance (NumPy's ``argmax``: a NaN
    first, else the first maximum) when one exceeds ``tolerance``, else -1.
    """
    r0 = coords[start, 0]
    c0 = coords[start, 1]
    r1 = coords[end, 0]
    c1 = coords[end, 1]
    dr = r1 - r0
    dc = c1 - c0
    over = False
    best = -1
    for i in range(start + 1, end):
        r = coords[i, 0]
        c = coords[i, 1]
        dr0 = r - r0
        dc0 = c - c0
        dr1 = r - r1
        dc1 = c - c1
        if dr0 * dr + dc0 * dc > 0 and -dr1 * dr - dc1 * dc > 0:
            d = np.abs(r * cos_a + c * sin_a - seg_dist)
        else:
            a = np.sqrt(dc0 * dc0 + dr0 * dr0)
            b = np.sqrt(dc1 * dc1 + dr1 * dr1)
            d = a if (a <= b or np.isnan(a)) else b
        dists[i] = d
        if dists[i] > tolerance:
            over = True
        if best < 0:
            best = i
        elif not np.isnan(dists[best]) and (np.isnan(dists[i]) or dists[i] > dists[best]):
            best = i
    return best if over else -1
