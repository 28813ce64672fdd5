"""Jitted histogram cores of the rank family: Huang's sliding histogram
over any footprint, and Perreault-Hebert column histograms for full 8-bit
boxes.  Data layout and NaN rules: see :mod:`fastimg._rank.kernels`.

* ``hist_lines``: Huang's sliding histogram, generalised to any footprint
  (the cells that leave and enter the window when it moves one step along
  the line), with a two-level (coarse + fine) histogram so that finding the
  k-th element scans at most 2 * 2**(bits/2) bins.  For 8- and 16-bit codes;
  ``hist3_lines``, its three-level twin, for the 32-bit ranks of float data
  with more than 65,536 distinct values.
* ``box_hist_rows``: full boxes of 8-bit data read through border maps (no
  padded copy), one histogram per column: a cost per pixel that hardly
  grows with the window.  Counts packed four to a 64-bit word (windows of
  at most ``PACKED_MAX`` cells); ``box_hist_wide``, its int32 twin, for
  larger windows.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .kernels import POLICY_PROPAGATE, POLICY_SORT, rank_index

# --------------------------------------------------------------- histogram
@kernel
def _hist_kth(coarse, fine, sh, k):
    acc = 0
    c = 0
    while acc + coarse[c] <= k:
        acc += coarse[c]
        c += 1
    v = c << sh
    while acc + fine[v] <= k:
        acc += fine[v]
        v += 1
    return v


@kernel
def hist_lines(P, lbase, offs, enter, leave, nbits, op, kfix, pct, rank, policy,
               nan_code, out, start, stop):
    """Sliding two-level histogram over 8- or 16-bit codes, lines [start, stop).

    ``enter`` / ``leave``: offsets (relative to the new window position) of
    the cells that enter / leave when the window moves one step along the
    line.  ``nan_code`` >= 0 is the code of NaN (data coded from floats).
    """
    nfine = 1 << nbits
    sh = nbits // 2
    fine = np.zeros(nfine, np.int32)
    coarse = np.zeros((nfine >> sh) + 1, np.int32)
    n = offs.shape[0]
    ne = enter.shape[0]
    nl = leave.shape[0]
    L = out.shape[1]
    for li in range(start, stop):
        b0 = lbase[li]
        row = out[li]
        for t in range(n):
            v = np.int64(P[b0 + offs[t]])
            fine[v] += 1
            coarse[v >> sh] += 1
        for j in range(L):
            b = b0 + j
            if j > 0:
                for t in range(nl):
                    v = np.int64(P[b + leave[t]])
                    fine[v] -= 1
                    coarse[v >> sh] -= 1
                for t in range(ne):
                    v = np.int64(P[b + enter[t]])
                    fine[v] += 1
                    coarse[v >> sh] += 1
            if policy == POLICY_SORT:
                row[j] = _hist_kth(coarse, fine, sh, kfix)
                continue
            nn = fine[nan_code] if nan_code >= 0 else 0
            if policy == POLICY_PROPAGATE and nn > 0:
                row[j] = nan_code
                continue
            k = rank_index(op, kfix, pct, rank, n - nn)
            row[j] = nan_code if k < 0 else _hist_kth(coarse, fine, sh, k)
        # remove the last window: cheaper than clearing 2**16 bins per line
        b = b0 + L - 1
        for t in range(n):
            v = np.int64(P[b + offs[t]])
            fine[v] -= 1
            coarse[v >> sh] -= 1


@kernel
def _hist3_kth(top, mid, fine, sh, k):
    """The k-th code of a three-level histogram (``top`` bins cover
    2**(2 sh) codes, ``mid`` bins 2**sh, ``fine`` one)."""
    acc = 0
    c = 0
    while acc + top[c] <= k:
        acc += top[c]
        c += 1
    m = c << sh
    while acc + mid[m] <= k:
        acc += mid[m]
        m += 1
    v = m << sh
    while acc + fine[v] <= k:
        acc += fine[v]
        v += 1
    return v


@kernel
def hist3_lines(P, lbase, offs, enter, leave, nbits, op, kfix, pct, rank, policy,
                nan_code, out, start, stop):
    """``hist_lines`` with a three-level histogram, for codes of up to 24
    bits (the ranks of float data with many distinct values): finding the
    k-th element scans at most 3 * 2**(bits/3) bins, where two levels would
    scan 2 * 2**(bits/2) (4096 bins for a 2048x2048 photograph's 4M
    values)."""
    nfine = 1 << nbits
    sh = nbits // 3
    fine = np.zeros(nfine, np.int32)
    mid = np.zeros((nfine >> sh) + 1, np.int32)
    top = np.zeros((nfine >> (2 * sh)) + 1, np.int32)
    sh2 = 2 * sh
    n = offs.shape[0]
    ne = enter.shape[0]
    nl = leave.shape[0]
    L = out.shape[1]
    for li in range(start, stop):
        b0 = lbase[li]
        row = out[li]
        for t in range(n):
            v = np.int64(P[b0 + offs[t]])
            fine[v] += 1
            mid[v >> sh] += 1
            top[v >> sh2] += 1
        for j in range(L):
            b = b0 + j
            if j > 0:
                for t in range(nl):
                    v = np.int64(P[b + leave[t]])
                    fine[v] -= 1
                    mid[v >> sh] -= 1
                    top[v >> sh2] -= 1
                for t in range(ne):
                    v = np.int64(P[b + enter[t]])
                    fine[v] += 1
                    mid[v >> sh] += 1
                    top[v >> sh2] += 1
            if policy == POLICY_SORT:
                row[j] = _hist3_kth(top, mid, fine, sh, kfix)
                continue
            nn = fine[nan_code] if nan_code >= 0 else 0
            if policy == POLICY_PROPAGATE and nn > 0:
                row[j] = nan_code
                continue
            k = rank_index(op, kfix, pct, rank, n - nn)
            row[j] = nan_code if k < 0 else _hist3_kth(top, mid, fine, sh, k)
        b = b0 + L - 1
        for t in range(n):
            v = np.int64(P[b + offs[t]])
            fine[v] -= 1
            mid[v >> sh] -= 1
            top[v >> sh2] -= 1


# ------------------------------------------------------- box, 8-bit, large
@kernel
def _box_row(X, pl, m, rmap, cmap, c0, cval, colv, sign, colc, shift):
    """Add (sign 1) or remove (sign -1) extended row m of plane pl, columns
    c0 .. c0 + len(colv) - 1, to the column histograms (rows and columns of
    the unpadded input through the border maps; -1: ``cval``)."""
    s = rmap[m]
    for c in range(colv.shape[0]):
        t = cmap[c0 + c]
        v = np.int64(cval) if s < 0 or t < 0 else np.int64(X[pl, s, t])
        colv[c, v] += sign
        colc[c, v >> shift] += sign


@kernel
def _zero2(a):
    # loops, not ``a[:] = 0``: slice assignment doubled the compile time
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = 0


@kernel
def box_hist_wide(X, rmap, cmap, cval, kh, kw, k, sw, out, start, stop):
    """Perreault-Hebert median/rank for a full kh x kw box over 8-bit data,
    output rows [start, stop) of ``out`` (planes, H, W) viewed as planes * H
    rows.  ``X`` (planes, H, W) is the unpadded input, ``rmap`` / ``cmap``
    the border maps of its last two axes (extended position -> source index,
    -1 for ``cval``): no padded copy of the image is made.

    One histogram per extended column (moved down one row per output row:
    two updates per column), and the window's histogram moved along the row
    by adding the entering column's histogram and subtracting the leaving
    one's (16 coarse bins every step; the 16 fine bins of the segment
    holding the k-th element brought up to date lazily, as Perreault and
    Hebert do).  The cost per pixel hardly depends on the window, where
    Huang's grows with its height.  For windows of more than ``PACKED_MAX``
    cells (``box_hist_rows`` otherwise).  The image is processed in vertical
    stripes of ``sw`` output columns so that the column histograms
    (``sw + kw - 1`` of them) stay small and cached."""
    H = out.shape[1]
    W = out.shape[2]
    col = np.zeros((min(sw, W) + kw - 1, 256), np.uint16)
    colc = np.zeros((min(sw, W) + kw - 1, 16), np.uint16)
    kern = np.zeros(256, np.int32)
    kc = np.zeros(16, np.int32)
    stamp = np.full(16, -1, np.int64)
    one = np.uint16(1)
    for s0 in range(0, W, sw):
        s1 = min(W, s0 + sw)
        ncol = s1 - s0 + kw - 1
        colv = col[:ncol]
        colcv = colc[:ncol]
        prev = -2
        for g in range(start, stop):
            pl = g // H
            r = g - pl * H
            if g != prev + 1 or r == 0:
                _zero2(colv)
                _zero2(colcv)
                for i in range(kh):
                    _box_row(X, pl, r + i, rmap, cmap, s0, cval, colv, one, colcv, 4)
            else:
                _box_row(X, pl, r - 1, rmap, cmap, s0, cval, colv, -one, colcv, 4)
                _box_row(X, pl, r + kh - 1, rmap, cmap, s0, cval, colv, one, colcv, 4)
            prev = g
            for b in range(16):
                kc[b] = 0
            for c in range(kw):
                for b in range(16):
                    kc[b] += colc[c, b]
            for b in range(16):
                stamp[b] = -1
            orow = out[pl, r]
            for jj in range(s1 - s0):
                if jj > 0:
                    # 2-D indexing, no row views: a view per pixel costs
                    # reference counting (3x slower, measured)
                    ia = jj + kw - 1
                    ir = jj - 1
                    for b in range(16):
                        kc[b] += np.int32(colc[ia, b]) - np.int32(colc[ir, b])
                # branch-free scans (16 fixed steps): the data-dependent
                # while loops mispredicted on photographs (measured ~1.5x)
                acc = 0
                c = 0
                run = 0
                for b in range(16):
                    run += kc[b]
                    le = run <= k
                    c += le
                    acc = run if le else acc
                # bring the fine bins of segment c up to position jj (lazily:
                # the k-th element stays in one or two segments along a row)
                lo = c << 4
                st = stamp[c]
                if st < 0 or 2 * (jj - st) >= kw:  # catching up costs 2x a rebuild's column
                    for b in range(16):
                        kern[lo + b] = 0
                    for cc in range(jj, jj + kw):
                        for b in range(16):
                            kern[lo + b] += col[cc, lo + b]
                else:
                    for t in range(st + 1, jj + 1):
                        ia = t + kw - 1
                        ir = t - 1
                        for b in range(16):
                            kern[lo + b] += np.int32(col[ia, lo + b]) - np.int32(col[ir, lo + b])
                stamp[c] = jj
                v = lo
                run = acc
                for b in range(16):
                    run += kern[lo + b]
                    v += run <= k
                orow[s0 + jj] = v


# Packed counts: 16 bins of 16-bit counts in four uint64 words (bin 4w + j in
# lane j of word w).  Adding and subtracting whole words is exact as long as
# every lane's final count fits its lane, so a histogram moves by four scalar
# adds instead of sixteen (Numba does not vectorise the 16-bin loops: 16-bit
# scalar code, measured), and prefix sums and comparisons work on four lanes
# at once.  The comparisons borrow bit 15 of each lane: prefix sums up to the
# window's size, at most PACKED_MAX.

#: Largest window (cells) of ``box_hist_rows``.
PACKED_MAX = 0x7FFF
_M = np.uint64(0x0001000100010001)    # x * _M: prefix sums of x's lanes
_HI = np.uint64(0x8000800080008000)
_LO = np.uint64(0x7FFF7FFF7FFF7FFF)
_FF = np.uint64(0xFFFF)
_S15 = np.uint64(15)
_S48 = np.uint64(48)


@kernel
def _prefix(w0, w1, w2, w3):
    """Running prefix sums of the 16 packed bins (the last lane: the
    total).  A chain of multiplies: fewer instructions than independent
    ones, the latency hidden by the next pixels' work (measured)."""
    q0 = w0 * _M
    q1 = (w1 + (q0 >> _S48)) * _M
    q2 = (w2 + (q1 >> _S48)) * _M
    q3 = (w3 + (q2 >> _S48)) * _M
    return q0, q1, q2, q3


@kernel
def _le(q0, q1, q2, q3, t):
    """Bit 0 of each lane set where the prefix sum is <= t, 0 <= t < 0x7FFF:
    (t + 1 + 0x7FFF - q) has bit 15 set iff q <= t, with no borrow across
    lanes."""
    u = np.uint64(t + 1) * _M + _LO
    return (((u - q0) & _HI) >> _S15, ((u - q1) & _HI) >> _S15,
            ((u - q2) & _HI) >> _S15, ((u - q3) & _HI) >> _S15)


@kernel
def _count(q0, q1, q2, q3, t):
    """Number of bins whose prefix sum is <= t: the bin of the t-th element
    (0-based), t below the total."""
    m0, m1, m2, m3 = _le(q0, q1, q2, q3, t)
    return np.int64(((m0 + m1 + m2 + m3) * _M) >> _S48)


@kernel
def _scan(w0, w1, w2, w3, t):
    """``_count`` of the packed bins ``w`` and the number of elements in the
    bins below that one."""
    m0, m1, m2, m3 = _le(*_prefix(w0, w1, w2, w3), t)
    cnt = ((m0 + m1 + m2 + m3) * _M) >> _S48
    acc = ((((m0 * _FF) & w0) + ((m1 * _FF) & w1) + ((m2 * _FF) & w2)
            + ((m3 * _FF) & w3)) * _M) >> _S48
    return np.int64(cnt), np.int64(acc)


@kernel
def _gather_row(X, pl, s, cmap, c0, cval, buf):
    """Extended row of source row ``s`` (-1: ``cval``) of plane ``pl``,
    extended columns c0 .. c0 + len(buf) - 1, into ``buf``."""
    if s < 0:
        for c in range(buf.shape[0]):
            buf[c] = cval
        return
    for c in range(buf.shape[0]):
        t = cmap[c0 + c]
        buf[c] = cval if t < 0 else X[pl, s, t]


@kernel
def _add_row(buf, fine, colc, sign):
    """Add (sign 1) or remove (sign 2**64 - 1) an extended row to the
    column histograms (wrapping arithmetic on the packed words)."""
    for c in range(buf.shape[0]):
        v = np.int64(buf[c])
        fine[v >> 4, c, (v >> 2) & 3] += sign << np.uint64((v & 3) << 4)
        colc[c, v >> 6] += sign << np.uint64(((v >> 4) & 3) << 4)


@kernel
def box_hist_rows(X, rmap, cmap, cval, kh, kw, k, sw, out, start, stop):
    """Perreault-Hebert median/rank for a full kh x kw box of at most
    ``PACKED_MAX`` cells over 8-bit data, output rows [start, stop) of
    ``out`` (planes, H, W) viewed as planes * H rows; ``X``, ``rmap``,
    ``cmap`` as in ``box_hist_wide`` (no padded copy), same result.

    Column histograms (16 coarse bins, 16 x 16 fine) in packed words, the
    fine ones segment-major (``fine[segment, column]``: the columns of one
    segment are contiguous, 32 bytes each), moved down one row per output
    row.  Along the row the window's coarse histogram moves by whole words,
    and the fine histogram of the segment holding the k-th element lives in
    registers, moved one column per pixel; while the k-th element stays in
    that segment (the count below the segment, a masked sum of the coarse
    words, and the segment's total say so) no coarse scan is made.  When it
    leaves, the segment is parked with its column stamp, and the new one is
    caught up from its stamp or rebuilt from the column histograms
    (Perreault and Hebert's lazy fine update; on a photograph the k-th
    element leaves its segment at ~6 % of the pixels).  Measured on a
    2048x2048 photograph, 31x31, one thread: ~13 ns per pixel, 3.1x the
    int32 kernel (``box_hist_wide``, whose 16-bin loops Numba leaves
    scalar); stripe widths from 128 to 2048 within 5 %."""
    H = out.shape[1]
    W = out.shape[2]
    nc = min(sw, W) + kw - 1
    fine = np.zeros((16, nc, 4), np.uint64)
    colc = np.zeros((nc, 4), np.uint64)
    park = np.zeros((16, 4), np.uint64)     # parked fine segments ...
    stamp = np.full(16, -1, np.int64)       # ... and the column they are at
    bo = np.zeros(nc, np.uint8)
    bn = np.zeros(nc, np.uint8)
    one = np.uint64(1)
    mone = ~np.uint64(0)                    # -1: (-1 << s) == -(1 << s)
    low = np.zeros((16, 4), np.uint64)      # lanes of the bins below segment c
    for c in range(16):
        for w in range(4):
            nb = min(max(c - 4 * w, 0), 4)
            low[c, w] = mone if nb == 4 else (one << np.uint64(16 * nb)) - one
    for s0 in range(0, W, sw):
        s1 = min(W, s0 + sw)
        ncol = s1 - s0 + kw - 1
        prev = -2
        for g in range(start, stop):
            pl = g // H
            r = g - pl * H
            if g != prev + 1 or r == 0:
                for a in range(16):
                    for c in range(ncol):
                        for w in range(4):
                            fine[a, c, w] = 0
                for c in range(ncol):
                    for w in range(4):
                        colc[c, w] = 0
                for i in range(kh):
                    _gather_row(X, pl, rmap[r + i], cmap, s0, cval, bn[:ncol])
                    _add_row(bn[:ncol], fine, colc, one)
            else:
                _gather_row(X, pl, rmap[r - 1], cmap, s0, cval, bo[:ncol])
                _gather_row(X, pl, rmap[r + kh - 1], cmap, s0, cval, bn[:ncol])
                _add_row(bo[:ncol], fine, colc, mone)
                _add_row(bn[:ncol], fine, colc, one)
            prev = g
            k0 = k1 = k2 = k3 = np.uint64(0)
            for c in range(kw):
                k0 += colc[c, 0]
                k1 += colc[c, 1]
                k2 += colc[c, 2]
                k3 += colc[c, 3]
            for b in range(16):
                stamp[b] = -1
            cur = -1
            f0 = f1 = f2 = f3 = np.uint64(0)
            l0 = l1 = l2 = l3 = np.uint64(0)
            orow = out[pl, r]
            for jj in range(s1 - s0):
                if jj > 0:
                    # 2-D indexing, no row views: a view per pixel costs
                    # reference counting (3x slower, measured)
                    ia = jj + kw - 1
                    ir = jj - 1
                    k0 += colc[ia, 0] - colc[ir, 0]
                    k1 += colc[ia, 1] - colc[ir, 1]
                    k2 += colc[ia, 2] - colc[ir, 2]
                    k3 += colc[ia, 3] - colc[ir, 3]
                    f0 += fine[cur, ia, 0] - fine[cur, ir, 0]
                    f1 += fine[cur, ia, 1] - fine[cur, ir, 1]
                    f2 += fine[cur, ia, 2] - fine[cur, ir, 2]
                    f3 += fine[cur, ia, 3] - fine[cur, ir, 3]
                    acc = np.int64((((k0 & l0) + (k1 & l1) + (k2 & l2) + (k3 & l3)) * _M) >> _S48)
                    q0, q1, q2, q3 = _prefix(f0, f1, f2, f3)
                    tt = k - acc
                    if tt >= 0 and tt < np.int64(q3 >> _S48):
                        orow[s0 + jj] = (cur << 4) + _count(q0, q1, q2, q3, tt)
                        continue
                    park[cur, 0] = f0
                    park[cur, 1] = f1
                    park[cur, 2] = f2
                    park[cur, 3] = f3
                    stamp[cur] = jj
                c, acc = _scan(k0, k1, k2, k3, k)
                st = stamp[c]
                if st < 0 or 2 * (jj - st) >= kw:  # catching up costs 2x a rebuild's column
                    f0 = f1 = f2 = f3 = np.uint64(0)
                    for cc in range(jj, jj + kw):
                        f0 += fine[c, cc, 0]
                        f1 += fine[c, cc, 1]
                        f2 += fine[c, cc, 2]
                        f3 += fine[c, cc, 3]
                else:
                    f0 = park[c, 0]
                    f1 = park[c, 1]
                    f2 = park[c, 2]
                    f3 = park[c, 3]
                    for t in range(st + 1, jj + 1):
                        ia = t + kw - 1
                        ir = t - 1
                        f0 += fine[c, ia, 0] - fine[c, ir, 0]
                        f1 += fine[c, ia, 1] - fine[c, ir, 1]
                        f2 += fine[c, ia, 2] - fine[c, ir, 2]
                        f3 += fine[c, ia, 3] - fine[c, ir, 3]
                cur = c
                l0 = low[c, 0]
                l1 = low[c, 1]
                l2 = low[c, 2]
                l3 = low[c, 3]
                orow[s0 + jj] = (c << 4) + _count(*_prefix(f0, f1, f2, f3), k - acc)
