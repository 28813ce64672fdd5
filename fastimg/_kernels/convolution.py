"""Jitted cores of the convolution family.

Conventions (see fastimg/_jit.py): serial functions take a ``[start, stop)``
range of work items and loop; ``*_par`` drivers split the items into blocks and
``prange`` over them.  Border handling uses index maps built by the wrapper:
``imap[m]`` is the source index of extended position ``m`` along an axis
(source position ``m - lo``), or -1 where the constant ``cval`` stands.  All
sums are float64 in the order SciPy's C code uses, so integer outputs (which
truncate) match bit for bit.

Extended source lines are kept in small ring buffers (slot ``m % k``) so each
source line is converted to float64 once per block of output rows, not once
per kernel row.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .._jit import kernel, parallel_kernel
from .cast import c_cast

#: Columns per tile: the accumulator and the source slices of one tile
#: (a few 4 KiB float64 runs) stay in L1 while every tap is added.
TILE = 512


# ---------------------------------------------------------------- helpers
@kernel
def _fill_line(src, imap, lo, cval, buf):
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
def _fill_const(buf, cval):
    for m in range(buf.shape[0]):
        buf[m] = cval


@kernel
def _store_line(acc, out_line):
    like = out_line[0]
    for j in range(acc.shape[0]):
        out_line[j] = c_cast(acc[j], like)


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
        _fill_line(x[i], imap, lo, cval, buf)
        _corr1d_sum(buf, fw, sym, acc)
        _store_line(acc, out[i])


@parallel_kernel
def corr1d_last_par(x, fw, sym, imap, lo, cval, out, nblocks):
    rows = x.shape[0]
    for b in prange(nblocks):
        corr1d_last(x, fw, sym, imap, lo, cval, out,
                    b * rows // nblocks, (b + 1) * rows // nblocks)


# ------------------------------------------- 1-D correlation, other axes
@kernel
def _ring_rows(x, a, imap, m0, m1, cval, ring):
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
            _fill_const(ring[slot], cval)


@kernel
def corr1d_mid(x, fw, sym, imap, cval, out, start, stop):
    """Correlate along axis 1 of 3-D x for flat (a, i) items in [start, stop).

    Each output row is a vectorised sum over the last axis; every element gets
    exactly NI_Correlate1D's sequence of operations.
    """
    n = x.shape[1]
    nb = x.shape[2]
    k = fw.shape[0]
    size1 = k // 2
    size2 = k - size1 - 1
    ring = np.empty((k, nb), np.float64)
    acc = np.empty(nb, np.float64)
    prev_a = -1
    prev_i = -2
    for item in range(start, stop):
        a = item // n
        i = item % n
        if a == prev_a and i == prev_i + 1:
            _ring_rows(x, a, imap, i + k - 1, i + k, cval, ring)
        else:
            _ring_rows(x, a, imap, i, i + k, cval, ring)
        prev_a = a
        prev_i = i
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
        _store_line(acc, out[a, i])


@parallel_kernel
def corr1d_mid_par(x, fw, sym, imap, cval, out, nblocks):
    items = x.shape[0] * x.shape[1]
    for b in prange(nblocks):
        corr1d_mid(x, fw, sym, imap, cval, out,
                   b * items // nblocks, (b + 1) * items // nblocks)


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
        _fill_line(x[i], imap, lo, cval, buf)
        tmp = 0.0
        for m in range(size):
            tmp += buf[m]
        acc[0] = tmp / fs
        for m in range(1, n):
            tmp += buf[m + size - 1] - buf[m - 1]
            acc[m] = tmp / fs
        _store_line(acc, out[i])


@parallel_kernel
def uniform1d_last_par(x, size, imap, lo, cval, out, nblocks):
    rows = x.shape[0]
    for b in prange(nblocks):
        uniform1d_last(x, size, imap, lo, cval, out,
                       b * rows // nblocks, (b + 1) * rows // nblocks)


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
                _fill_const(v2[:w], cval)
            if s1 >= 0:
                src = x[a, s1, c0:c0 + w]
                for c in range(w):
                    v1[c] = src[c]
            else:
                _fill_const(v1[:w], cval)
            for c in range(w):
                tmp[c] += v2[c] - v1[c]
                orow[c] = c_cast(tmp[c] / fs, like)


@parallel_kernel
def uniform1d_mid_par(x, size, imap, cval, out, width, nblocks):
    nblk = (x.shape[2] + width - 1) // width
    items = x.shape[0] * nblk
    for b in prange(nblocks):
        uniform1d_mid(x, size, imap, cval, out, width,
                      b * items // nblocks, (b + 1) * items // nblocks)


# ------------------------------------------- n-D correlation (1-3 dims)
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
    nw = wv.shape[0]
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
                    _fill_const(ring[slot], cval)
                else:
                    _fill_line(x[ps, rs], cmap, clo, cval, ring[slot])
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
        _store_line(acc, out[p, i])


@parallel_kernel
def corr3d_par(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, clo, cval, out, nblocks):
    items = x.shape[0] * x.shape[1]
    for b in prange(nblocks):
        corr3d(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, clo, cval, out,
               b * items // nblocks, (b + 1) * items // nblocks)


# ------------------------------------------- scipy.signal 2-D (result type)
@kernel
def corr2d_signal(x, w, flip, rmap, cmap, clo, fill, out, start, stop):
    """out[i, j] = sum_{a,b} w[a, b] * ext(x)[i + a, j + b] in the output's type.

    ``ext(x)`` is x extended through the index maps (``fill`` where -1); its
    rows live in a ring of ``kh`` lines.  The terms are added in sigtools'
    order: kernel rows in the anchor's kernel order (reversed when ``flip``,
    i.e. for convolve2d), within a row the products summed in groups of four
    ``((p0 + p1) + p2) + p3`` added to the total, then the remaining products
    one by one.  Integer results wrap.
    """
    kh = w.shape[0]
    kw = w.shape[1]
    nc = out.shape[1]
    ring = np.empty((kh, cmap.shape[0]), out.dtype)
    prev = -2
    for i in range(start, stop):
        a0 = kh - 1 if i == prev + 1 else 0
        prev = i
        for a in range(a0, kh):
            s = rmap[i + a]
            slot = (i + a) % kh
            if s >= 0:
                _fill_line(x[s], cmap, clo, fill, ring[slot])
            else:
                for m in range(ring.shape[1]):
                    ring[slot, m] = fill
        orow = out[i]
        for j in range(nc):
            orow[j] = 0
        for aa in range(kh):
            a = kh - 1 - aa if flip else aa
            row = ring[(i + a) % kh]
            bb = 0
            while bb + 4 <= kw:
                if flip:
                    b0, b1, b2, b3 = kw - 1 - bb, kw - 2 - bb, kw - 3 - bb, kw - 4 - bb
                else:
                    b0, b1, b2, b3 = bb, bb + 1, bb + 2, bb + 3
                w0, w1, w2, w3 = w[a, b0], w[a, b1], w[a, b2], w[a, b3]
                x0 = row[b0:b0 + nc]
                x1 = row[b1:b1 + nc]
                x2 = row[b2:b2 + nc]
                x3 = row[b3:b3 + nc]
                for j in range(nc):
                    orow[j] += ((w0 * x0[j] + w1 * x1[j]) + w2 * x2[j]) + w3 * x3[j]
                bb += 4
            while bb < kw:
                b = kw - 1 - bb if flip else bb
                wab = w[a, b]
                xr = row[b:b + nc]
                for j in range(nc):
                    orow[j] += wab * xr[j]
                bb += 1


@parallel_kernel
def corr2d_signal_par(x, w, flip, rmap, cmap, clo, fill, out, nblocks):
    rows = out.shape[0]
    for b in prange(nblocks):
        corr2d_signal(x, w, flip, rmap, cmap, clo, fill, out,
                      b * rows // nblocks, (b + 1) * rows // nblocks)
