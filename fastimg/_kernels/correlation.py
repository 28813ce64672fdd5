"""Jitted cores of the correlate family (``scipy.ndimage`` correlate,
correlate1d and their convolutions).

Conventions (see fastimg/_jit.py and fastimg/_dispatch.py): cores take a
``[start, stop)`` range of work items and loop; ``_dispatch.run`` runs them
on blocks of items in parallel.  All sums are float64 in the order
SciPy's C code uses, so integer outputs (which truncate) match bit for bit.
"""
from __future__ import annotations

import numpy as np

from .._jit import kernel
from .lines import fill_const, fill_line, ring_rows, store_line

#: Columns per tile: the accumulator and the source slices of one tile
#: (a few 4 KiB float64 runs) stay in L1 while every tap is added.
TILE = 512


@kernel
def _corr1d_sum(buf, fw, sym, acc):
    """SciPy NI_Correlate1D arithmetic for one extended line ``buf``.

    Columns are processed in tiles of ``TILE`` so the accumulator and the
    buffer slices stay in L1 across the taps; inner loops index pre-sliced
    views with the loop variable only, so Numba needs no negative-index
    wrap-around and LLVM vectorises them.
    """
    n = acc.shape[0]
    k = fw.shape[0]
    size1 = k // 2
    size2 = k - size1 - 1
    for t0 in range(0, n, TILE):
        m = min(TILE, n - t0)
        at = acc[t0:t0 + m]
        if sym != 0:
            wc = fw[size1]
            bc = buf[t0 + size1:t0 + size1 + m]
            for j in range(m):
                at[j] = bc[j] * wc
            sg = 1.0 if sym > 0 else -1.0
            jj = -size1
            while jj + 2 <= 0:  # pairs of taps per pass (same order)
                wa, wb = fw[size1 + jj], fw[size1 + jj + 1]
                a1 = buf[t0 + size1 + jj:t0 + size1 + jj + m]
                a2 = buf[t0 + size1 - jj:t0 + size1 - jj + m]
                b1 = buf[t0 + size1 + jj + 1:t0 + size1 + jj + 1 + m]
                b2 = buf[t0 + size1 - jj - 1:t0 + size1 - jj - 1 + m]
                if sym > 0:
                    for j in range(m):
                        at[j] = (at[j] + (a1[j] + a2[j]) * wa) + (b1[j] + b2[j]) * wb
                else:
                    for j in range(m):
                        at[j] = (at[j] + (a1[j] - a2[j]) * wa) + (b1[j] - b2[j]) * wb
                jj += 2
            if jj < 0:
                wa = fw[size1 + jj]
                a1 = buf[t0 + size1 + jj:t0 + size1 + jj + m]
                a2 = buf[t0 + size1 - jj:t0 + size1 - jj + m]
                for j in range(m):
                    at[j] += (a1[j] + sg * a2[j]) * wa
        else:
            wl = fw[size1 + size2]
            bl = buf[t0 + size1 + size2:t0 + size1 + size2 + m]
            for j in range(m):
                at[j] = bl[j] * wl
            t = 0
            while t + 2 <= k - 1:
                wa, wb = fw[t], fw[t + 1]
                a1 = buf[t0 + t:t0 + t + m]
                b1 = buf[t0 + t + 1:t0 + t + 1 + m]
                for j in range(m):
                    at[j] = (at[j] + a1[j] * wa) + b1[j] * wb
                t += 2
            if t < k - 1:
                wa = fw[t]
                a1 = buf[t0 + t:t0 + t + m]
                for j in range(m):
                    at[j] += a1[j] * wa


# ------------------------------------------- 1-D correlation, last axis
@kernel
def corr1d_last(x, fw, sym, imap, lo, cval, out, start, stop):
    """Correlate each row x[i] (i in [start, stop)) with fw; x, out are 2-D."""
    n = x.shape[1]
    buf = np.empty(imap.shape[0], np.float64)
    acc = np.empty(n, np.float64)
    for i in range(start, stop):
        fill_line(x[i], imap, lo, cval, buf)
        _corr1d_sum(buf, fw, sym, acc)
        store_line(acc, out[i])


# ------------------------------------------- 1-D correlation, other axes


@kernel
def _ring_sum1d(ring, fw, sym, i, acc):
    """corr1d_mid's taps for output row ``i`` from the float64 ring.

    Kept apart from the dtype-specific reading so that its loops compile
    once (float64) for every input and output dtype.
    """
    nb = acc.shape[0]
    k = fw.shape[0]
    size1 = k // 2
    size2 = k - size1 - 1
    for t0 in range(0, nb, TILE):
        m = min(TILE, nb - t0)
        at = acc[t0:t0 + m]
        if sym != 0:
            rc = ring[(i + size1) % k, t0:t0 + m]
            wc = fw[size1]
            for b in range(m):
                at[b] = rc[b] * wc
            for jj in range(-size1, 0):
                wv = fw[size1 + jj]
                r1 = ring[(i + size1 + jj) % k, t0:t0 + m]
                r2 = ring[(i + size1 - jj) % k, t0:t0 + m]
                if sym > 0:
                    for b in range(m):
                        at[b] += (r1[b] + r2[b]) * wv
                else:
                    for b in range(m):
                        at[b] += (r1[b] - r2[b]) * wv
        else:
            rl = ring[(i + size1 + size2) % k, t0:t0 + m]
            wl = fw[size1 + size2]
            for b in range(m):
                at[b] = rl[b] * wl
            for t in range(k - 1):
                wv = fw[t]
                rt = ring[(i + t) % k, t0:t0 + m]
                for b in range(m):
                    at[b] += rt[b] * wv


@kernel
def corr1d_mid(x, fw, sym, imap, cval, out, start, stop):
    """Correlate along axis 1 of 3-D x for flat (a, i) items in [start, stop).

    Each output row is a vectorised sum over the last axis; every element gets
    exactly NI_Correlate1D's sequence of operations.
    """
    n = x.shape[1]
    nb = x.shape[2]
    k = fw.shape[0]
    ring = np.empty((k, nb), np.float64)
    acc = np.empty(nb, np.float64)
    prev_a = -1
    prev_i = -2
    for item in range(start, stop):
        a = item // n
        i = item % n
        if a == prev_a and i == prev_i + 1:
            ring_rows(x, a, imap, i + k - 1, i + k, cval, ring)
        else:
            ring_rows(x, a, imap, i, i + k, cval, ring)
        prev_a = a
        prev_i = i
        _ring_sum1d(ring, fw, sym, i, acc)
        store_line(acc, out[a, i])


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

