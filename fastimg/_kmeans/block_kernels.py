"""Blocked Lloyd step of ``kmeans_colors``: the same assignment, sums and
counts as :func:`fastimg._kmeans.kernels.lloyd_step`, computed block by block
so that the loops vectorise.

Each block of :data:`BLOCK` pixels is copied once into channel rows (float64
for the distances, int32 for integer pixels' sums); the distances to each
centre are then a loop over the block per centre, keeping the nearest
(lowest index on ties: strict ``<`` in centre order), with the same float64
operations in the same order as the per-pixel kernel, so the labels are the
same.  Integer pixels' centre sums are exact integers in any order, so they
are taken per centre over the block (vectorised) and rounded once; float
pixels' sums keep the per-pixel order (a float sum depends on it).  The
inertia (a float sum in pixel order, a serial chain) is summed only when
asked for: the wrapper needs it only for the final labels.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .kernels import CHUNK

#: Pixels per block (a divisor of CHUNK; the block's rows stay in L1).
BLOCK = 256


@kernel
def lloyd_step_blocked(x, centres, labels, sums, counts, inertia, changed, want_inertia,
                       int_sums, start, stop):
    """:func:`fastimg._kmeans.kernels.lloyd_step` on chunks ``[start, stop)``
    (``inertia[chunk]`` is 0 unless ``want_inertia``); ``int_sums`` when the
    pixels are integers (uint8, uint16: sums exact in int64)."""
    n = x.shape[0]
    k, nc = centres.shape
    p = np.empty((nc, BLOCK), np.float64)
    u = np.empty((nc, BLOCK), np.int32)
    dbest = np.empty(BLOCK, np.float64)
    best = np.empty(BLOCK, np.int32)
    isum = np.empty((k, nc), np.int64)
    fsum = np.empty((k, nc), np.float64)
    icnt = np.empty(k, np.int64)
    for ch in range(start, stop):
        isum[:] = 0
        fsum[:] = 0.0
        icnt[:] = 0
        acc = 0.0
        moved = 0
        hi = min((ch + 1) * CHUNK, n)
        for b0 in range(ch * CHUNK, hi, BLOCK):
            m = min(BLOCK, hi - b0)
            # unsigned pixel indices: no wraparound selects in the loops
            ub = np.uint64(b0)
            if nc == 3:
                for i in range(m):
                    xi = ub + np.uint64(i)
                    p[0, i] = np.float64(x[xi, 0])
                    p[1, i] = np.float64(x[xi, 1])
                    p[2, i] = np.float64(x[xi, 2])
            else:
                for i in range(m):
                    for c in range(nc):
                        p[c, i] = np.float64(x[ub + np.uint64(i), c])
            if int_sums:
                for c in range(nc):
                    for i in range(m):
                        u[c, i] = np.int32(p[c, i])
            if nc == 3:
                for j in range(k):
                    c0 = centres[j, 0]
                    c1 = centres[j, 1]
                    c2 = centres[j, 2]
                    if j == 0:
                        for i in range(m):
                            t0 = p[0, i] - c0
                            t1 = p[1, i] - c1
                            t2 = p[2, i] - c2
                            dbest[i] = t0 * t0 + t1 * t1 + t2 * t2
                            best[i] = 0
                    else:
                        for i in range(m):
                            t0 = p[0, i] - c0
                            t1 = p[1, i] - c1
                            t2 = p[2, i] - c2
                            d = t0 * t0 + t1 * t1 + t2 * t2
                            closer = d < dbest[i]
                            dbest[i] = d if closer else dbest[i]
                            best[i] = j if closer else best[i]
            else:
                for j in range(k):
                    for i in range(m):
                        d = 0.0
                        for c in range(nc):
                            t = p[c, i] - centres[j, c]
                            d += t * t
                        if j == 0 or d < dbest[i]:
                            dbest[i] = d
                            best[i] = j
            for i in range(m):
                b = best[i]
                xi = ub + np.uint64(i)
                moved += labels[xi] != b
                labels[xi] = b
            if want_inertia:
                for i in range(m):
                    acc += dbest[i]
            if int_sums:
                # int32 is exact here: at most BLOCK * 65535 per block
                for j in range(k):
                    cnt = np.int32(0)
                    s0 = np.int32(0)
                    s1 = np.int32(0)
                    s2 = np.int32(0)
                    if nc == 3:
                        for i in range(m):
                            w = np.int32(best[i] == j)
                            cnt += w
                            s0 += u[0, i] * w
                            s1 += u[1, i] * w
                            s2 += u[2, i] * w
                        isum[j, 0] += s0
                        isum[j, 1] += s1
                        isum[j, 2] += s2
                    else:
                        for i in range(m):
                            cnt += np.int32(best[i] == j)
                        for c in range(nc):
                            s0 = np.int32(0)
                            for i in range(m):
                                s0 += u[c, i] * np.int32(best[i] == j)
                            isum[j, c] += s0
                    icnt[j] += cnt
            else:
                for i in range(m):
                    b = best[i]
                    icnt[b] += 1
                    for c in range(nc):
                        fsum[b, c] += p[c, i]
        for j in range(k):
            counts[ch, j] = icnt[j]
            for c in range(nc):
                sums[ch, j, c] = np.float64(isum[j, c]) if int_sums else fsum[j, c]
        inertia[ch] = acc
        changed[ch] = moved
