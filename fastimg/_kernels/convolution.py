"""Jitted cores of the convolution family.

Conventions (see fastimg/_jit.py): serial functions take a ``[start, stop)``
range of work items and loop; ``*_par`` drivers split the items into blocks and
``prange`` over them.  Border handling is done with index maps built by the
wrapper: ``imap[m]`` is the source index of extended position ``m`` along an
axis, or -1 where the constant ``cval`` stands.  All sums are float64 in the
order SciPy's C code uses, so integer outputs (which truncate) match bit for
bit.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .._jit import kernel, parallel_kernel
from .cast import c_cast


# ---------------------------------------------------------------- helpers
@kernel
def _fill_line(src, imap, cval, buf):
    """buf[m] = src[imap[m]] (or cval where imap[m] < 0), as float64."""
    for m in range(buf.shape[0]):
        s = imap[m]
        buf[m] = src[s] if s >= 0 else cval


@kernel
def _store_line(acc, out_line):
    like = out_line[0]
    for j in range(acc.shape[0]):
        out_line[j] = c_cast(acc[j], like)


# ------------------------------------------- 1-D correlation, last axis
@kernel
def _corr1d_sum(buf, fw, sym, acc):
    """SciPy NI_Correlate1D arithmetic for one extended line ``buf``."""
    n = acc.shape[0]
    k = fw.shape[0]
    size1 = k // 2
    size2 = k - size1 - 1
    if sym > 0:
        wc = fw[size1]
        for j in range(n):
            acc[j] = buf[j + size1] * wc
        for jj in range(-size1, 0):
            wv = fw[size1 + jj]
            for j in range(n):
                acc[j] += (buf[j + size1 + jj] + buf[j + size1 - jj]) * wv
    elif sym < 0:
        wc = fw[size1]
        for j in range(n):
            acc[j] = buf[j + size1] * wc
        for jj in range(-size1, 0):
            wv = fw[size1 + jj]
            for j in range(n):
                acc[j] += (buf[j + size1 + jj] - buf[j + size1 - jj]) * wv
    else:
        wl = fw[size1 + size2]
        for j in range(n):
            acc[j] = buf[j + size1 + size2] * wl
        for t in range(k - 1):
            wv = fw[t]
            for j in range(n):
                acc[j] += buf[j + t] * wv


@kernel
def corr1d_last(x, fw, sym, imap, cval, out, start, stop):
    """Correlate each row x[i] (i in [start, stop)) with fw; x, out are 2-D."""
    n = x.shape[1]
    buf = np.empty(imap.shape[0], np.float64)
    acc = np.empty(n, np.float64)
    for i in range(start, stop):
        _fill_line(x[i], imap, cval, buf)
        _corr1d_sum(buf, fw, sym, acc)
        _store_line(acc, out[i])


@parallel_kernel
def corr1d_last_par(x, fw, sym, imap, cval, out, nblocks):
    rows = x.shape[0]
    for b in prange(nblocks):
        corr1d_last(x, fw, sym, imap, cval, out,
                    b * rows // nblocks, (b + 1) * rows // nblocks)


# ------------------------------------------- 1-D correlation, other axes
@kernel
def _fill_rows(x, a, imap, i, k, cval, rows):
    """rows[t, :] = x[a, imap[i + t], :] as float64 (cval rows where -1)."""
    for t in range(k):
        s = imap[i + t]
        if s >= 0:
            for b in range(x.shape[2]):
                rows[t, b] = x[a, s, b]
        else:
            for b in range(x.shape[2]):
                rows[t, b] = cval


@kernel
def corr1d_mid(x, fw, sym, imap, cval, out, start, stop):
    """Correlate along axis 1 of 3-D x for flat (a, i) items in [start, stop).

    The sums run over the last axis in vectorisable loops; each element gets
    exactly NI_Correlate1D's sequence of operations.
    """
    n = x.shape[1]
    nb = x.shape[2]
    k = fw.shape[0]
    size1 = k // 2
    size2 = k - size1 - 1
    rows = np.empty((k, nb), np.float64)
    acc = np.empty(nb, np.float64)
    for item in range(start, stop):
        a = item // n
        i = item % n
        _fill_rows(x, a, imap, i, k, cval, rows)
        if sym > 0:
            wc = fw[size1]
            for b in range(nb):
                acc[b] = rows[size1, b] * wc
            for jj in range(-size1, 0):
                wv = fw[size1 + jj]
                for b in range(nb):
                    acc[b] += (rows[size1 + jj, b] + rows[size1 - jj, b]) * wv
        elif sym < 0:
            wc = fw[size1]
            for b in range(nb):
                acc[b] = rows[size1, b] * wc
            for jj in range(-size1, 0):
                wv = fw[size1 + jj]
                for b in range(nb):
                    acc[b] += (rows[size1 + jj, b] - rows[size1 - jj, b]) * wv
        else:
            wl = fw[size1 + size2]
            for b in range(nb):
                acc[b] = rows[size1 + size2, b] * wl
            for t in range(k - 1):
                wv = fw[t]
                for b in range(nb):
                    acc[b] += rows[t, b] * wv
        _store_line(acc, out[a, i])


@parallel_kernel
def corr1d_mid_par(x, fw, sym, imap, cval, out, nblocks):
    items = x.shape[0] * x.shape[1]
    for b in prange(nblocks):
        corr1d_mid(x, fw, sym, imap, cval, out,
                   b * items // nblocks, (b + 1) * items // nblocks)


# ------------------------------------------- uniform filter (running sum)
@kernel
def uniform1d_last(x, size, imap, cval, out, start, stop):
    """NI_UniformFilter1D: running mean with SciPy's update order."""
    n = x.shape[1]
    buf = np.empty(imap.shape[0], np.float64)
    acc = np.empty(n, np.float64)
    fs = np.float64(size)
    for i in range(start, stop):
        _fill_line(x[i], imap, cval, buf)
        tmp = 0.0
        for m in range(size):
            tmp += buf[m]
        tmp /= fs
        acc[0] = tmp
        for m in range(1, n):
            tmp += (buf[m + size - 1] - buf[m - 1]) / fs
            acc[m] = tmp
        _store_line(acc, out[i])


@parallel_kernel
def uniform1d_last_par(x, size, imap, cval, out, nblocks):
    rows = x.shape[0]
    for b in prange(nblocks):
        uniform1d_last(x, size, imap, cval, out,
                       b * rows // nblocks, (b + 1) * rows // nblocks)


@kernel
def uniform1d_mid(x, size, imap, cval, out, start, stop, width):
    """Running mean along axis 1 of 3-D x, for items = (a, column block).

    Item q covers plane ``q // nblk`` and columns
    ``[c0, c0 + width)`` of block ``q % nblk``; every column keeps its own
    running sum, updated row by row exactly as SciPy updates one line.
    """
    n = x.shape[1]
    nb = x.shape[2]
    nblk = (nb + width - 1) // width
    fs = np.float64(size)
    tmp = np.empty(width, np.float64)
    for q in range(start, stop):
        a = q // nblk
        c0 = (q % nblk) * width
        c1 = min(c0 + width, nb)
        w = c1 - c0
        for c in range(w):
            tmp[c] = 0.0
        for m in range(size):
            s = imap[m]
            for c in range(w):
                tmp[c] += x[a, s, c0 + c] if s >= 0 else cval
        for c in range(w):
            tmp[c] /= fs
        like = out[0, 0, 0]
        for c in range(w):
            out[a, 0, c0 + c] = c_cast(tmp[c], like)
        for i in range(1, n):
            s2 = imap[i + size - 1]
            s1 = imap[i - 1]
            for c in range(w):
                v2 = x[a, s2, c0 + c] if s2 >= 0 else cval
                v1 = x[a, s1, c0 + c] if s1 >= 0 else cval
                tmp[c] += (v2 - v1) / fs
                out[a, i, c0 + c] = c_cast(tmp[c], like)


@parallel_kernel
def uniform1d_mid_par(x, size, imap, cval, out, width, nblocks):
    nblk = (x.shape[2] + width - 1) // width
    items = x.shape[0] * nblk
    for b in prange(nblocks):
        uniform1d_mid(x, size, imap, cval, out,
                      b * items // nblocks, (b + 1) * items // nblocks, width)


# ------------------------------------------- n-D correlation (1-3 dims)
@kernel
def corr3d(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, cval, out, start, stop):
    """NI_Correlate for a 3-D array (1-D and 2-D come in with unit axes).

    ``wv`` holds the weights with ``|w| > DBL_EPSILON`` in C order and
    ``wz, wy, wx`` their kernel coordinates.  Each output line (plane p, row
    i) gathers the ``kd * kh`` extended source lines it needs, then adds
    ``w * v`` weight by weight starting from 0.0, as SciPy does per element.
    """
    nr = x.shape[1]
    nc = x.shape[2]
    ext = cmap.shape[0]
    lines = np.empty((kd * kh, ext), np.float64)
    acc = np.empty(nc, np.float64)
    nw = wv.shape[0]
    for item in range(start, stop):
        p = item // nr
        i = item % nr
        for c in range(kd):
            ps = pmap[p + c]
            for a in range(kh):
                rs = rmap[i + a]
                row = c * kh + a
                if ps < 0 or rs < 0:
                    for m in range(ext):
                        lines[row, m] = cval
                else:
                    _fill_line(x[ps, rs], cmap, cval, lines[row])
        for j in range(nc):
            acc[j] = 0.0
        for q in range(nw):
            row = wz[q] * kh + wy[q]
            off = wx[q]
            w = wv[q]
            for j in range(nc):
                acc[j] += w * lines[row, j + off]
        _store_line(acc, out[p, i])


@parallel_kernel
def corr3d_par(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, cval, out, nblocks):
    items = x.shape[0] * x.shape[1]
    for b in prange(nblocks):
        corr3d(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, cval, out,
               b * items // nblocks, (b + 1) * items // nblocks)


# ------------------------------------------- scipy.signal 2-D (result type)
@kernel
def corr2d_signal(xp, w, out, start, stop):
    """out[i, j] = sum_{a,b} w[a, b] * xp[i + a, j + b], accumulated in the
    output's type (SciPy's sigtools accumulates in the result dtype)."""
    kh = w.shape[0]
    kw = w.shape[1]
    nc = out.shape[1]
    for i in range(start, stop):
        for j in range(nc):
            out[i, j] = 0
        for a in range(kh):
            for b in range(kw):
                wab = w[a, b]
                for j in range(nc):
                    out[i, j] += wab * xp[i + a, j + b]


@parallel_kernel
def corr2d_signal_par(xp, w, out, nblocks):
    rows = out.shape[0]
    for b in prange(nblocks):
        corr2d_signal(xp, w, out, b * rows // nblocks, (b + 1) * rows // nblocks)
