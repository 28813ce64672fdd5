"""Jitted cores of the 2-D Euclidean distances without indices, on integer
squared distances (``distance_transform_edt`` with unit sampling and
``return_indices=False``).

With unit spacing every distance SciPy computes is ``sqrt`` of an integer
(the squared offset to the feature its transform picked, summed exactly in
float64), and that feature is a nearest one (Maurer's transform is exact
while the sums stay below 2**53), so the distances depend only on the
smallest squared distance, not on which of two equally near features
wins: any exact transform gives SciPy's float64 values bit for bit.  This
one skips the feature coordinates altogether:

* columns: the distance to the nearest feature of the column (int32, two
  sweeps, row after row over a strip of columns so the loops run across
  columns);
* rows: the lower envelope of the parabolas ``g[j] ** 2 + (i - j) ** 2``
  in int64, the square root written straight to the float64 output.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def edt_sq_columns(fg, g, start, stop):
    """``g[r, c]``: rows from ``(r, c)`` to the nearest zero of ``fg`` in
    column ``c`` (``2 ** 30`` where the column has none), for columns
    ``[start, stop)``, in strips of 256 columns (a strip's int32 distances
    stay in cache between the two sweeps)."""
    h = fg.shape[0]
    far = np.int32(1 << 30)
    for c0 in range(start, stop, 256):
        c1 = min(stop, c0 + 256)
        # (1-D rows and unsigned indices: the loops run as vectors)
        frow = fg[0]
        cur = g[0]
        for c in range(c0, c1):
            cur[c] = np.int32(0) if frow[c] == 0 else far
        for r in range(1, h):
            frow = fg[r]
            prev = cur
            cur = g[r]
            for c in range(np.uint64(c0), np.uint64(c1)):
                up = min(prev[c] + np.int32(1), far)
                cur[c] = np.int32(0) if frow[c] == 0 else up
        for r in range(h - 2, -1, -1):
            nxt = cur
            cur = g[r]
            for c in range(np.uint64(c0), np.uint64(c1)):
                cur[c] = min(cur[c], nxt[c] + np.int32(1))
    return 0


@kernel
def _scan(pos, val, top, orow, lo, hi):
    """``orow[i]`` for i in ``[lo, hi)``: the square root of the lowest of
    the parabolas ``val[k] + (i - pos[k]) ** 2``, k <= ``top`` (the
    envelope's sites, left to right)."""
    l = 0
    for i in range(lo, hi):
        t = i - pos[l]
        d1 = val[l] + t * t
        while l < top:
            t = i - pos[l + 1]
            d2 = val[l + 1] + t * t
            if d1 <= d2:
                break
            d1 = d2
            l += 1
        orow[i] = np.sqrt(np.float64(d1))


@kernel
def edt_sq_rows(g, out, start, stop):
    """``out[r, i] = sqrt(min_j (g[r, j] ** 2 + (i - j) ** 2))`` over the
    columns ``j`` with a feature (``g < 2 ** 30``), rows ``[start, stop)``;
    every row needs at least one such column.

    A feature of the row itself (``g == 0``) is a wall: it is nearer to
    the pixels beyond it than any site behind it, so the pixels between
    two walls are done from the sites between them (walls included), and
    the walls' own zeros cost no envelope work."""
    w = g.shape[1]
    far = np.int32(1 << 30)
    pos = np.empty(w + 1, np.int64)
    val = np.empty(w + 1, np.int64)
    for r in range(start, stop):
        grow = g[r]
        orow = out[r]
        # the sites that own part of the segment, left to right: a new
        # site j removes the top one while the top's cell lies entirely at
        # or right of where j beats it (Maurer's test, exact in int64)
        top = -1
        lo = 0                  # the first pixel not yet written
        for j in range(w):
            gj = grow[j]
            if gj >= far:
                continue
            if gj == 0 and lo == j:
                # a wall right after the previous one (or at the start)
                orow[j] = 0.0
                top = 0
                pos[0] = j
                val[0] = 0
                lo = j + 1
                continue
            fj = np.int64(gj) * np.int64(gj)
            while top >= 1:
                a = pos[top] - pos[top - 1]
                b = j - pos[top]
                c = a + b
                if c * val[top] - b * val[top - 1] - a * fj - a * b * c <= 0:
                    break
                top -= 1
            top += 1
            pos[top] = j
            val[top] = fj
            if gj == 0:
                _scan(pos, val, top, orow, lo, j)
                orow[j] = 0.0
                top = 0
                pos[0] = j
                val[0] = 0
                lo = j + 1
        _scan(pos, val, top, orow, lo, w)
    return 0
