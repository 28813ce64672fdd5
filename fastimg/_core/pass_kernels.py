"""Jitted 1-D passes of the ndimage filters (correlation with a weight line,
SciPy's running mean) and their building blocks: extended border lines and
ring buffers of extended rows.

Border handling uses index maps built by the wrapper (``ndi_args.extend_map``):
``imap[m]`` is the source index of extended position ``m`` along an axis
(source position ``m - lo``), or -1 where the constant ``cval`` stands.
Extended source lines are kept in small ring buffers (slot ``m % k``) so each
source line is converted once per block of output rows, not once per kernel
row.  The passes run through ``passes.line_pass``; the correlate and signal2d
kernels use the line and ring helpers too.
"""
from __future__ import annotations

import numpy as np

from .cast import c_cast
from .jit import kernel


@kernel
def fill_line(src, imap, lo, cval, buf):
    """buf[m] = src[imap[m]] (cval where imap[m] < 0) in buf's type (float64
    for ndimage, the result type for signal); the interior ``[lo, lo + n)`` is
    a straight converting copy."""
    n = src.shape[0]
    ext = buf.shape[0]
    for m in range(lo):
        s = imap[m]
        buf[m] = src[s] if s >= 0 else cval
    mid = buf[lo:lo + n]
    for j in range(n):
        mid[j] = src[j]
    for m in range(lo + n, ext):
        s = imap[m]
        buf[m] = src[s] if s >= 0 else cval


@kernel
def fill_const(buf, cval):
    for m in range(buf.shape[0]):
        buf[m] = cval


@kernel
def store_line(acc, out_line):
    like = out_line[0]
    for j in range(acc.shape[0]):
        out_line[j] = c_cast(acc[j], like)


@kernel
def ring_rows(x, a, imap, m0, m1, cval, ring):
    """Convert extended rows m in [m0, m1) of plane a into ring slot m % k."""
    k = ring.shape[0]
    for m in range(m0, m1):
        s = imap[m]
        slot = m % k
        if s >= 0:
            src = x[a, s]
            for b in range(src.shape[0]):
                ring[slot, b] = src[b]
        else:
            fill_const(ring[slot], cval)


# ------------------------------------------- correlation with a weight line
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


@kernel
def corr1d_narrow(x, fw, sym, imap, lo, cval, out, start, stop):
    """Correlate along axis 1 of 3-D x, one line ``x[a, :, c]`` per flat
    ``(a, c)`` item in [start, stop): for a short last axis (colour
    channels), where a ring of rows that short leaves nothing to vectorise;
    the same arithmetic as :func:`corr1d_last` per line."""
    post = x.shape[2]
    buf = np.empty(imap.shape[0], np.float64)
    acc = np.empty(x.shape[1], np.float64)
    for item in range(start, stop):
        a = item // post
        c = item % post
        fill_line(x[a, :, c], imap, lo, cval, buf)
        _corr1d_sum(buf, fw, sym, acc)
        store_line(acc, out[a, :, c])


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


# ------------------------------------------- uniform filter (running sum)
@kernel
def uniform1d_last(x, size, imap, lo, cval, out, start, stop):
    """NI_UniformFilter1D (SciPy 1.17): a running sum ``s`` (first window
    summed, then ``s += new - old``), each output ``s / size``."""
    n = x.shape[1]
    buf = np.empty(imap.shape[0], np.float64)
    acc = np.empty(n, np.float64)
    fs = np.float64(size)
    for i in range(start, stop):
        fill_line(x[i], imap, lo, cval, buf)
        tmp = 0.0
        for m in range(size):
            tmp += buf[m]
        acc[0] = tmp / fs
        for m in range(1, n):
            tmp += buf[m + size - 1] - buf[m - 1]
            acc[m] = tmp / fs
        store_line(acc, out[i])


@kernel
def uniform1d_mid(x, size, imap, cval, out, width, start, stop):
    """Running mean along axis 1 of 3-D x, for items = (plane, column block).

    Item q covers plane ``q // nblk`` and columns ``[c0, c0 + width)``; every
    column keeps its own running sum, updated row by row exactly as SciPy
    updates one line.
    """
    n = x.shape[1]
    nb = x.shape[2]
    nblk = (nb + width - 1) // width
    fs = np.float64(size)
    tmp = np.empty(width, np.float64)
    v1 = np.empty(width, np.float64)
    v2 = np.empty(width, np.float64)
    like = out[0, 0, 0]
    for q in range(start, stop):
        a = q // nblk
        c0 = (q % nblk) * width
        w = min(c0 + width, nb) - c0
        for c in range(w):
            tmp[c] = 0.0
        for m in range(size):
            s = imap[m]
            if s >= 0:
                src = x[a, s, c0:c0 + w]
                for c in range(w):
                    tmp[c] += src[c]
            else:
                for c in range(w):
                    tmp[c] += cval
        orow = out[a, 0, c0:c0 + w]
        for c in range(w):
            orow[c] = c_cast(tmp[c] / fs, like)
        for i in range(1, n):
            s2 = imap[i + size - 1]
            s1 = imap[i - 1]
            orow = out[a, i, c0:c0 + w]
            if s2 >= 0 and s1 >= 0:  # interior: read both rows in place
                src2 = x[a, s2, c0:c0 + w]
                src1 = x[a, s1, c0:c0 + w]
                for c in range(w):  # SciPy subtracts in double
                    tmp[c] += np.float64(src2[c]) - np.float64(src1[c])
                    orow[c] = c_cast(tmp[c] / fs, like)
                continue
            if s2 >= 0:
                src = x[a, s2, c0:c0 + w]
                for c in range(w):
                    v2[c] = src[c]
            else:
                fill_const(v2[:w], cval)
            if s1 >= 0:
                src = x[a, s1, c0:c0 + w]
                for c in range(w):
                    v1[c] = src[c]
            else:
                fill_const(v1[:w], cval)
            for c in range(w):
                tmp[c] += v2[c] - v1[c]
                orow[c] = c_cast(tmp[c] / fs, like)

