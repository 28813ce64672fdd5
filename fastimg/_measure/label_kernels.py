"""Jitted core of ``measure.label`` for non-bool images: connected
components of equal values by runs.

The image is seen as (planes, rows, columns).  Each row is cut into runs
of equal, non-background values (maximal, so two runs of one row never
connect directly).  A run joins the runs of equal value in the earlier
rows within reach (rows one hop away in ``dz`` / ``dr``; the column ranges
overlapping, widened by one column when a diagonal step is still within
``connectivity``).  The union keeps the smaller run index as the root, and
runs are numbered in raster order, so the roots numbered in increasing
order give each component the number of its first pixel in C order
(scikit-image's numbering).
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def _root(parent, a):
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


@kernel
def _find_runs(data, bg, rstart, rend, rval, rowptr, counting):
    """Runs of every row of ``data`` (D, H, W): ``rowptr[row]`` is the
    index of the row's first run (``rowptr[-1]`` the total).  Returns the
    number of runs (``counting``: only that)."""
    d, h, w = data.shape
    n = 0
    for z in range(d):
        for r in range(h):
            if not counting:
                rowptr[z * h + r] = n
            c = 0
            while c < w:
                v = data[z, r, c]
                if v == bg:
                    c += 1
                    continue
                s = c
                while c < w and data[z, r, c] == v:
                    c += 1
                if not counting:
                    rstart[n] = s
                    rend[n] = c
                    rval[n] = v
                n += 1
    if not counting:
        rowptr[d * h] = n
    return n


@kernel
def _join_rows(a0, a1, b0, b1, slack, rstart, rend, rval, parent):
    """Union the runs ``a0:a1`` of one row with the overlapping runs
    ``b0:b1`` of an earlier row (columns widened by ``slack``)."""
    j = b0
    for i in range(a0, a1):
        s = rstart[i]
        e = rend[i]
        # runs of the earlier row that end before this one can reach
        while j < b1 and rend[j] + slack <= s:
            j += 1
        k = j
        while k < b1 and rstart[k] < e + slack:
            if rval[k] == rval[i]:
                ra = _root(parent, i)
                rb = _root(parent, k)
                if ra < rb:
                    parent[rb] = ra
                elif rb < ra:
                    parent[ra] = rb
            k += 1


@kernel
def label_runs(data, bg, connectivity, out):
    """Label ``data`` (D, H, W) integers into ``out`` (same shape, intp):
    background ``bg`` is 0, components 1, 2, ... by first pixel.  Returns
    the number of components."""
    d, h, w = data.shape
    rowptr = np.empty(d * h + 1, np.int64)
    # count first: the run arrays take 24 bytes a run
    n = _find_runs(data, bg, rowptr, rowptr, data[0, 0], rowptr, True)
    rstart = np.empty(n, np.int64)
    rend = np.empty(n, np.int64)
    rval = np.empty(n, data.dtype)
    n = _find_runs(data, bg, rstart, rend, rval, rowptr, False)
    parent = np.arange(n)
    for z in range(d):
        for r in range(h):
            row = z * h + r
            # the earlier rows one hop away: (dz, dr) in raster order
            for dz in range(-1, 1):
                for dr in range(-1, 2):
                    if dz == 0 and dr >= 0:
                        continue
                    hops = abs(dz) + abs(dr)
                    if hops > connectivity or z + dz < 0 or not 0 <= r + dr < h:
                        continue
                    other = (z + dz) * h + r + dr
                    slack = 1 if hops + 1 <= connectivity else 0
                    _join_rows(rowptr[row], rowptr[row + 1], rowptr[other],
                               rowptr[other + 1], slack, rstart, rend, rval, parent)
    final = np.zeros(n, np.int64)
    count = 0
    for i in range(n):
        root = _root(parent, i)
        if root == i:
            count += 1
            final[i] = count
        else:
            final[i] = final[root]
    for z in range(d):
        for r in range(h):
            row = z * h + r
            c = 0
            for i in range(rowptr[row], rowptr[row + 1]):
                while c < rstart[i]:
                    out[z, r, c] = 0
                    c += 1
                while c < rend[i]:
                    out[z, r, c] = final[i]
                    c += 1
            while c < w:
                out[z, r, c] = 0
                c += 1
    return count
