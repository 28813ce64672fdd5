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
from .._core.pass_kernels import TILE, fill_const, fill_line, ring_rows, store_line

# ------------------------------------------- n-D correlation (1-3 dims)
@kernel
def _ring_taps3d(ring, wv, wz, wy, wx, kh, i, acc):
    """corr3d's weighted sum for output row ``i`` from the float64 ring
    (apart from the reading so that it compiles once for every dtype)."""
    nc = acc.shape[0]
    nw = wv.shape[0]
    for t0 in range(0, nc, TILE):
        m = min(TILE, nc - t0)
        at = acc[t0:t0 + m]
        for j in range(m):
            at[j] = 0.0
        # taps in groups of four: the same per-element sequence of
        # additions, with a quarter of the accumulator traffic
        q = 0
        while q + 4 <= nw:
            s0 = ring[wz[q] * kh + (i + wy[q]) % kh, wx[q] + t0:wx[q] + t0 + m]
            s1 = ring[wz[q + 1] * kh + (i + wy[q + 1]) % kh, wx[q + 1] + t0:wx[q + 1] + t0 + m]
            s2 = ring[wz[q + 2] * kh + (i + wy[q + 2]) % kh, wx[q + 2] + t0:wx[q + 2] + t0 + m]
            s3 = ring[wz[q + 3] * kh + (i + wy[q + 3]) % kh, wx[q + 3] + t0:wx[q + 3] + t0 + m]
            w0, w1, w2, w3 = wv[q], wv[q + 1], wv[q + 2], wv[q + 3]
            for j in range(m):
                at[j] = (((at[j] + w0 * s0[j]) + w1 * s1[j]) + w2 * s2[j]) + w3 * s3[j]
            q += 4
        while q < nw:
            src = ring[wz[q] * kh + (i + wy[q]) % kh, wx[q] + t0:wx[q] + t0 + m]
            w = wv[q]
            for j in range(m):
                at[j] += w * src[j]
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

