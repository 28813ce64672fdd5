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
  grows with the window.
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
def box_hist_rows(X, rmap, cmap, cval, kh, kw, k, sw, out, start, stop):
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
    Huang's grows with its height (bench_rank.py: 31x31 and 101x101 cases).
    The image is processed in vertical stripes of ``sw`` output columns so
    that the column histograms (``sw + kw - 1`` of them) stay small and
    cached."""
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
