"""Jitted loops of ``peak_local_max`` and ``corner_peaks`` (scikit-image
0.26 ``feature/peak.py``, ``_shared/coord.py``, ``feature/corner.py``).

Greedy spacing replaces skimage's KD-tree: candidates are visited in their
sorted order and one is kept unless an already kept candidate is too close,
which is what skimage's loop over ``query_ball_point`` results decides (a
rejected candidate never rejects another).  Kept candidates are filed in a
grid of cells at least ``spacing`` wide, so only the 3**ndim neighbouring
cells are searched (every p-norm with p >= 1 bounds each coordinate
difference).  Distances follow the anchor's two tests:

* ``peak_local_max`` (``ensure_spacing``): reject when SciPy's
  ``cdist(..., 'minkowski', p)`` distance is ``< spacing``;
* ``corner_peaks`` (``cKDTree.query_ball_point``): reject when the distance
  is ``<= spacing`` (compared as ``sum |d|**p <= spacing**p`` for finite p
  other than 1 and 2, as the tree does).
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel

#: p-norm codes: Chebyshev, Manhattan, Euclidean, any other finite p.
P_INF, P_ONE, P_TWO, P_ANY = range(4)


@kernel
def too_close(coords, i, j, spacing, p, pcode, strict):
    """Whether candidate ``j`` lies within ``spacing`` of candidate ``i``."""
    ndim = coords.shape[1]
    acc = 0.0
    for k in range(ndim):
        d = abs(np.float64(coords[i, k]) - np.float64(coords[j, k]))
        if pcode == P_INF:
            acc = max(acc, d)
        elif pcode == P_ONE:
            acc += d
        elif pcode == P_TWO:
            acc += d * d
        else:
            acc += d ** p
    if strict:                               # query_ball_point: distance > r
        if pcode == P_TWO:
            return acc <= spacing * spacing
        if pcode == P_ANY:
            return acc <= spacing ** p
        return acc <= spacing
    if pcode == P_TWO:                       # cdist: sqrt of the sum
        acc = math.sqrt(acc)
    elif pcode == P_ANY:
        acc = acc ** (1.0 / p)
    return acc < spacing


@kernel
def greedy_spacing(coords, cell, cdims, offsets, spacing, p, pcode, strict, max_out,
                   head, nxt, keep):
    """Keep candidates (rows of ``coords``, in order) that no kept candidate
    is too close to; stop after ``max_out`` kept.  ``cell`` is the grid's
    cell width, ``cdims`` its shape, ``head`` (-1 filled, one per cell) and
    ``nxt`` the kept candidates of each cell as linked lists, ``offsets`` the
    3**ndim neighbour offsets.  Returns how many were written to ``keep``."""
    n, ndim = coords.shape
    kept = 0
    for j in range(n):
        if kept >= max_out:
            break
        ok = True
        for o in range(offsets.shape[0]):
            flat = 0
            inside = True
            for k in range(ndim):
                ck = coords[j, k] // cell + offsets[o, k]
                if ck < 0 or ck >= cdims[k]:
                    inside = False
                    break
                flat = flat * cdims[k] + ck
            if not inside:
                continue
            i = head[flat]
            while i >= 0:
                if too_close(coords, i, j, spacing, p, pcode, strict):
                    ok = False
                    break
                i = nxt[i]
            if not ok:
                break
        if ok:
            flat = 0
            for k in range(ndim):
                flat = flat * cdims[k] + coords[j, k] // cell
            nxt[j] = head[flat]
            head[flat] = j
            keep[kept] = j
            kept += 1
    return kept


@kernel
def isolated_pixels(mask, real, out):
    """``mask & ~binary_opening(mask)`` with SciPy's default cross structure
    and zero border, on a 3-D view (``real[a]``: whether axis a is one of
    the mask's own axes; padded axes of length 1 have no neighbours):
    ``out`` marks the pixels of ``mask`` that no eroded pixel covers."""
    shape = mask.shape
    for i in range(shape[0]):
        for j in range(shape[1]):
            for k in range(shape[2]):
                out[i, j, k] = mask[i, j, k]
    for i in range(shape[0]):
        for j in range(shape[1]):
            for k in range(shape[2]):
                if not mask[i, j, k]:
                    continue
                # eroded: every axis neighbour inside the mask and set
                ero = True
                for ax in range(3):
                    if not real[ax]:
                        continue
                    pos = (i, j, k)[ax]
                    if pos == 0 or pos == shape[ax] - 1:
                        ero = False
                        break
                    if ax == 0:
                        ero = mask[i - 1, j, k] and mask[i + 1, j, k]
                    elif ax == 1:
                        ero = mask[i, j - 1, k] and mask[i, j + 1, k]
                    else:
                        ero = mask[i, j, k - 1] and mask[i, j, k + 1]
                    if not ero:
                        break
                if not ero:
                    continue
                out[i, j, k] = False
                for ax in range(3):
                    if not real[ax]:
                        continue
                    if ax == 0:
                        out[i - 1, j, k] = False
                        out[i + 1, j, k] = False
                    elif ax == 1:
                        out[i, j - 1, k] = False
                        out[i, j + 1, k] = False
                    else:
                        out[i, j, k - 1] = False
                        out[i, j, k + 1] = False
