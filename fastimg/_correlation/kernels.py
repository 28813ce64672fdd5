"""Jitted cores of the correlate family (``scipy.ndimage`` correlate,
correlate1d and their convolutions).

Conventions (see fastimg/_core/jit.py and fastimg/_core/dispatch.py): cores
take a ``[start, stop)`` range of work items and loop; ``dispatch.run`` runs
them on blocks of items in parallel.  The 1-D passes (correlate1d) are in
``fastimg._core.pass_kernels``.  All sums are float64 in the order
SciPy's C code uses, so integer outputs (which truncate) match bit for bit.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .._core.pass_kernels import fill_const, fill_line, store_line

# ------------------------------------------- n-D correlation (1-3 dims)
@kernel
def _ring_taps3d(ring, wv, wz, wy, wx, kh, i, acc):
    """corr3d's weighted sum for output row ``i`` from the float64 ring
    (apart from the reading so that it compiles once for every dtype).

    Several taps share one loop over the whole row, so the accumulator
    stays in a register; every element still gets ``0.0``, then
    ``+ w * v`` weight by weight.  Ring elements are read by unsigned
    index: no slice per tap (each costs two reference-count updates) and
    no negative-index test per element.  The taps of a row read
    neighbouring columns of at most ``kd * kh`` rows, so whole rows stream
    through L1 without tiling.  Few loop shapes: each costs compile time.
    """
    nc = acc.shape[0]
    nw = wv.shape[0]
    q = 0
    if nw >= 4:   # the first taps from 0.0, as SciPy's tmp
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        r2, u2, w2 = wz[q + 2] * kh + (i + wy[q + 2]) % kh, np.uint64(wx[q + 2]), wv[q + 2]
        r3, u3, w3 = wz[q + 3] * kh + (i + wy[q + 3]) % kh, np.uint64(wx[q + 3]), wv[q + 3]
        for j in range(nc):
            v = 0.0 + w0 * ring[r0, u0 + np.uint64(j)]
            v += w1 * ring[r1, u1 + np.uint64(j)]
            v += w2 * ring[r2, u2 + np.uint64(j)]
            v += w3 * ring[r3, u3 + np.uint64(j)]
            acc[j] = v
        q += 4
    elif nw >= 1:   # the first taps from 0.0, as SciPy's tmp
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        for j in range(nc):
            acc[j] = 0.0 + w0 * ring[r0, u0 + np.uint64(j)]
        q += 1
    else:
        for j in range(nc):
            acc[j] = 0.0
    while q + 8 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        r2, u2, w2 = wz[q + 2] * kh + (i + wy[q + 2]) % kh, np.uint64(wx[q + 2]), wv[q + 2]
        r3, u3, w3 = wz[q + 3] * kh + (i + wy[q + 3]) % kh, np.uint64(wx[q + 3]), wv[q + 3]
        r4, u4, w4 = wz[q + 4] * kh + (i + wy[q + 4]) % kh, np.uint64(wx[q + 4]), wv[q + 4]
        r5, u5, w5 = wz[q + 5] * kh + (i + wy[q + 5]) % kh, np.uint64(wx[q + 5]), wv[q + 5]
        r6, u6, w6 = wz[q + 6] * kh + (i + wy[q + 6]) % kh, np.uint64(wx[q + 6]), wv[q + 6]
        r7, u7, w7 = wz[q + 7] * kh + (i + wy[q + 7]) % kh, np.uint64(wx[q + 7]), wv[q + 7]
        for j in range(nc):
            v = acc[j] + w0 * ring[r0, u0 + np.uint64(j)]
            v += w1 * ring[r1, u1 + np.uint64(j)]
            v += w2 * ring[r2, u2 + np.uint64(j)]
            v += w3 * ring[r3, u3 + np.uint64(j)]
            v += w4 * ring[r4, u4 + np.uint64(j)]
            v += w5 * ring[r5, u5 + np.uint64(j)]
            v += w6 * ring[r6, u6 + np.uint64(j)]
            v += w7 * ring[r7, u7 + np.uint64(j)]
            acc[j] = v
        q += 8
    while q + 4 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        r2, u2, w2 = wz[q + 2] * kh + (i + wy[q + 2]) % kh, np.uint64(wx[q + 2]), wv[q + 2]
        r3, u3, w3 = wz[q + 3] * kh + (i + wy[q + 3]) % kh, np.uint64(wx[q + 3]), wv[q + 3]
        for j in range(nc):
            v = acc[j] + w0 * ring[r0, u0 + np.uint64(j)]
            v += w1 * ring[r1, u1 + np.uint64(j)]
            v += w2 * ring[r2, u2 + np.uint64(j)]
            v += w3 * ring[r3, u3 + np.uint64(j)]
            acc[j] = v
        q += 4
    while q + 2 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        for j in range(nc):
            acc[j] = (acc[j] + w0 * ring[r0, u0 + np.uint64(j)]) + w1 * ring[r1, u1 + np.uint64(j)]
        q += 2
    while q + 1 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        for j in range(nc):
            acc[j] = acc[j] + w0 * ring[r0, u0 + np.uint64(j)]
        q += 1


@kernel
def corr3d(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, clo, cval, out, start, stop):
    """NI_Correlate for a 3-D array (1-D and 2-D come in with unit axes).

    ``wv`` holds the weights with ``|w| > DBL_EPSILON`` in C order and
    ``wz, wy, wx`` their kernel coordinates.  For output line (plane p, row
    i) the extended source lines (p + c, i + a) sit in ring slots
    ``c * kh + (i + a) % kh``; then ``w * v`` is added weight by weight from
    0.0, as SciPy does per element.
    """
    nr = x.shape[1]
    nc = x.shape[2]
    ext = cmap.shape[0]
    ring = np.empty((kd * kh, ext), np.float64)
    acc = np.empty(nc, np.float64)
    prev_p = -1
    prev_i = -2
    for item in range(start, stop):
        p = item // nr
        i = item % nr
        a0 = 0
        if p == prev_p and i == prev_i + 1:
            a0 = kh - 1
        prev_p = p
        prev_i = i
        for c in range(kd):
            ps = pmap[p + c]
            for a in range(a0, kh):
                rs = rmap[i + a]
                slot = c * kh + (i + a) % kh
                if ps < 0 or rs < 0:
                    fill_const(ring[slot], cval)
                else:
                    fill_line(x[ps, rs], cmap, clo, cval, ring[slot])
        _ring_taps3d(ring, wv, wz, wy, wx, kh, i, acc)
        store_line(acc, out[p, i])

