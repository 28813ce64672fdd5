"""Jitted cores of the histogram / Otsu family.

Conventions (see fastimg/_jit.py): serial cores loop over a ``[start, stop)``
range of flat pixel indices; ``*_par`` drivers ``prange`` over blocks, each
block filling its own row of a per-block sub-histogram (no shared ``+=``),
summed afterwards.  Inputs are 1-D (raveled) native contiguous arrays;
``mask`` is a uint8 array of the same length, read only when ``has_mask``.

Arithmetic rules copied from the anchors (the helpers name them):

* float bin index: numpy 2.x ``histogram``'s uniform-bin path in the bin-edge
  dtype, ``int((x - first) / denom * n)``, then corrected against the edges
  so that ``edges[i] <= x < edges[i + 1]`` (last bin closed);
* Otsu: skimage 0.26 ``threshold_otsu`` with float32 counts, numpy's
  sequential ``cumsum`` order and the first maximum (``np.argmax``, a NaN
  counts as the maximum);
* multi-Otsu: skimage 0.26 ``_multiotsu.pyx`` LUT values (float32 moments,
  ``first_moment[0] = prob[0]``, ``H(0, 0) = 0``) summed in its float32 order,
  first strict maximum in its lexicographic enumeration order.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .._jit import kernel, parallel_kernel


# ------------------------------------------------------------ min / max
@kernel
def minmax(x, mask, has_mask, start, stop):
    """(min, max, count, has_nan) over the selected pixels of ``[start, stop)``.

    NaN propagates like numpy's ``min``/``max`` (reported by ``has_nan``).
    """
    lo = x[0]
    hi = x[0]
    cnt = 0
    nan = False
    for i in range(start, stop):
        if has_mask and mask[i] == 0:
            continue
        v = x[i]
        if v != v:
            nan = True
            continue
        if cnt == 0:
            lo = v
            hi = v
        elif v < lo:
            lo = v
        elif v > hi:
            hi = v
        cnt += 1
    return lo, hi, cnt, nan


@parallel_kernel
def minmax_par(x, mask, has_mask, nblocks):
    n = x.shape[0]
    los = np.empty(nblocks, x.dtype)
    his = np.empty(nblocks, x.dtype)
    cnts = np.zeros(nblocks, np.int64)
    nans = np.zeros(nblocks, np.bool_)
    for b in prange(nblocks):
        lo, hi, c, nn = minmax(x, mask, has_mask, b * n // nblocks, (b + 1) * n // nblocks)
        los[b] = lo
        his[b] = hi
        cnts[b] = c
        nans[b] = nn
    lo = x[0]
    hi = x[0]
    cnt = 0
    nan = False
    for b in range(nblocks):
        nan = nan or nans[b]
        if cnts[b] == 0:
            continue
        if cnt == 0 or los[b] < lo:
            lo = los[b]
        if cnt == 0 or his[b] > hi:
            hi = his[b]
        cnt += cnts[b]
    return lo, hi, cnt, nan


# ------------------------------------------------------- integer histogram
@kernel
def int_hist(x, mask, has_mask, lo, out, start, stop):
    """out[x - lo] += 1 (np.bincount of the offset values)."""
    for i in range(start, stop):
        if has_mask and mask[i] == 0:
            continue
        out[np.int64(x[i]) - lo] += 1


@parallel_kernel
def int_hist_par(x, mask, has_mask, lo, out, nblocks):
    n = x.shape[0]
    nb = out.shape[0]
    sub = np.zeros((nblocks, nb), np.int64)
    for b in prange(nblocks):
        int_hist(x, mask, has_mask, lo, sub[b], b * n // nblocks, (b + 1) * n // nblocks)
    for b in range(nblocks):
        row = sub[b]
        for k in range(nb):
            out[k] += row[k]


# --------------------------------------------------------- float histogram
@kernel
def _float_bin(v, first, denom, nf, edges):
    """numpy's uniform-bin index of ``v`` (all arithmetic in the edge dtype),
    corrected so that ``edges[i] <= v < edges[i + 1]`` (last bin closed)."""
    n = edges.shape[0] - 1
    idx = np.intp((v - first) / denom * nf)
    if idx >= n:
        idx = n - 1
    if idx < 0:
        idx = 0
    while idx > 0 and v < edges[idx]:
        idx -= 1
    while idx < n - 1 and v >= edges[idx + 1]:
        idx += 1
    return idx


@kernel
def float_hist(x, mask, has_mask, first, last, denom, nf, edges, out, start, stop):
    """Counts of the values in ``[first, last]`` per bin of ``edges``
    (values outside, NaN included, are skipped as numpy does)."""
    for i in range(start, stop):
        if has_mask and mask[i] == 0:
            continue
        v = x[i]
        if not (v >= first and v <= last):
            continue
        out[_float_bin(v, first, denom, nf, edges)] += 1


@parallel_kernel
def float_hist_par(x, mask, has_mask, first, last, denom, nf, edges, out, nblocks):
    n = x.shape[0]
    nb = out.shape[0]
    sub = np.zeros((nblocks, nb), np.int64)
    for b in prange(nblocks):
        float_hist(x, mask, has_mask, first, last, denom, nf, edges, sub[b],
                   b * n // nblocks, (b + 1) * n // nblocks)
    for b in range(nblocks):
        row = sub[b]
        for k in range(nb):
            out[k] += row[k]


# ------------------------------------------------------------------- Otsu
@kernel
def otsu_index(counts, centers):
    """skimage's ``np.argmax(variance12)`` for float32 ``counts``.

    ``centers`` is float32 (float32 images: every product, cumsum and quotient
    in float32, as numpy does) or float64 (integer centres converted exactly,
    float64 images: products and means in float64).  ``weight1 * weight2`` is
    a float32 product in both cases, as in skimage.
    """
    n = counts.shape[0]
    if n < 2:
        return -1
    zero_w = np.float32(0.0)
    zero_c = centers[0] - centers[0]
    # suffix sums, accumulated from the end as np.cumsum(x[::-1]) does
    w2 = np.empty(n, np.float32)
    m2 = np.empty(n, centers.dtype)
    aw = zero_w
    ac = zero_c
    for i in range(n - 1, -1, -1):
        c = counts[i]
        aw = aw + c
        ac = ac + c * centers[i]
        w2[i] = aw
        m2[i] = ac / aw
    best = -1
    bestv = zero_c
    aw = zero_w
    ac = zero_c
    for i in range(n - 1):
        c = counts[i]
        aw = aw + c
        ac = ac + c * centers[i]
        d = ac / aw - m2[i + 1]
        v = (aw * w2[i + 1]) * (d * d)
        if v != v:          # np.argmax: the first NaN is the maximum
            return i
        if best < 0 or v > bestv:
            best = i
            bestv = v
    return best


# ------------------------------------------------------------- multi-Otsu
@kernel
def multiotsu_moments(prob):
    """skimage's ``zeroth_moment`` / ``first_moment`` (float32), including its
    ``first_moment[0] = prob[0]``."""
    n = prob.shape[0]
    P = np.empty(n, np.float32)
    S = np.empty(n, np.float32)
    P[0] = prob[0]
    S[0] = prob[0]
    for i in range(1, n):
        P[i] = P[i - 1] + prob[i]
        S[i] = S[i - 1] + np.float32(i) * prob[i]
    return P, S


@kernel
def _lut(P, S, i, j):
    """The LUT entry ``var_btwcls[i, j]`` (float32); entries the Cython code
    never sets (``(0, 0)`` and empty classes) are 0."""
    if i == 0:
        if j == 0:
            return np.float32(0.0)
        p = P[j]
        if p > 0:
            s = S[j]
            return (s * s) / p
        return np.float32(0.0)
    p = P[j] - P[i - 1]
    if p > 0:
        s = S[j] - S[i - 1]
        return (s * s) / p
    return np.float32(0.0)


@kernel
def _sigma(P, S, pos, cur, K, nbins):
    """sigma of the thresholds ``pos[cur[0]] < ... < pos[cur[K-1]]`` summed in
    skimage's float32 order: H(0, t0) + H(t_last + 1, n - 1), then the middle
    classes left to right."""
    sig = _lut(P, S, 0, pos[cur[0]]) + _lut(P, S, pos[cur[K - 1]] + 1, nbins - 1)
    for k in range(K - 1):
        sig = sig + _lut(P, S, pos[cur[k]] + 1, pos[cur[k + 1]])
    return sig


@kernel
def multiotsu_enum(P, S, Pc, Sc, Hl, pos, lim, K, nbins, first_lo, first_hi, best):
    """Exhaustive search of skimage's LUT recursion restricted to candidate
    positions ``pos`` (sorted bin indices), first threshold in candidates
    ``[first_lo, first_hi)``.  ``lim[k]`` is one past the last candidate the
    k-th threshold may take.  Tuples are visited in lexicographic order and
    replace the best only when strictly larger (skimage's ``sigma > sigma_max``
    starting from 0).  Writes the winning candidate indices to ``best`` and
    returns (sigma_max, found).
    """
    cur = np.empty(K, np.int64)
    smax = np.float32(0.0)
    found = False
    for c0 in range(first_lo, first_hi):
        cur[0] = c0
        # initialise the remaining thresholds to their smallest values
        ok = True
        for k in range(1, K):
            cur[k] = cur[k - 1] + 1
            if cur[k] >= lim[k]:
                ok = False
        if not ok:
            continue
        while True:
            if K == 2:
                # the common case: a tight inner loop over the last threshold
                # on the moments gathered at the candidates
                t0 = pos[c0]
                base = _lut(P, S, 0, t0)
                p0 = P[t0]
                s0 = S[t0]
                for c1 in range(cur[1], lim[1]):
                    d = Pc[c1] - p0
                    mid = np.float32(0.0)
                    if d > 0:
                        e = Sc[c1] - s0
                        mid = (e * e) / d
                    sig = (base + Hl[c1]) + mid
                    if sig > smax:
                        smax = sig
                        best[0] = c0
                        best[1] = c1
                        found = True
                break
            sig = _sigma(P, S, pos, cur, K, nbins)
            if sig > smax:
                smax = sig
                for k in range(K):
                    best[k] = cur[k]
                found = True
            # advance the odometer (positions 1..K-1); a tail that cannot
            # fit after cur[k] cannot fit after a larger cur[k] either: carry
            k = K - 1
            while k >= 1:
                cur[k] += 1
                if cur[k] < lim[k]:
                    fits = True
                    for q in range(k + 1, K):
                        cur[q] = cur[q - 1] + 1
                        if cur[q] >= lim[q]:
                            fits = False
                    if fits:
                        break
                    cur[k] = lim[k]
                k -= 1
            if k < 1:
                break
    return smax, found


@parallel_kernel
def multiotsu_enum_par(P, S, Pc, Sc, Hl, pos, lim, K, nbins, bounds):
    """Blocks of the first threshold in parallel; the block results are
    combined in block order with a strict ``>``, which is the sequential
    first-maximum rule."""
    nblocks = bounds.shape[0] - 1
    bests = np.zeros((nblocks, K), np.int64)
    smaxs = np.zeros(nblocks, np.float32)
    founds = np.zeros(nblocks, np.bool_)
    for b in prange(nblocks):
        # ``bounds`` split the first threshold into blocks of equal work
        s, f = multiotsu_enum(P, S, Pc, Sc, Hl, pos, lim, K, nbins,
                              bounds[b], bounds[b + 1], bests[b])
        smaxs[b] = s
        founds[b] = f
    out = np.zeros(K, np.int64)
    smax = np.float32(0.0)
    found = False
    for b in range(nblocks):
        if founds[b] and smaxs[b] > smax:
            smax = smaxs[b]
            out[:] = bests[b]
            found = True
    return out, found


@kernel
def gather_moments(P, S, pos, nbins):
    """P, S at the candidates and the last-class LUT entry H(pos + 1, n - 1)."""
    m = pos.shape[0]
    Pc = np.empty(m, np.float32)
    Sc = np.empty(m, np.float32)
    Hl = np.empty(m, np.float32)
    for c in range(m):
        Pc[c] = P[pos[c]]
        Sc[c] = S[pos[c]]
        Hl[c] = _lut(P, S, pos[c] + 1, nbins - 1)
    return Pc, Sc, Hl


@kernel
def multiotsu_dp(P, S, pos, lim, K, nbins):
    """Dynamic programme over candidate positions (for very large searches).

    f_1(j) = H(0, pos[j]);  f_{k+1}(j) = max_{i<j} f_k(i) + H(pos[i]+1, pos[j]);
    answer max_i f_K(i) + H(pos[i]+1, n-1).  The LUT values are skimage's
    float32 entries, the sums are float64; ties go to the smallest index at
    every step (the lexicographically first tuple among float64-equal sums).
    Each layer uses divide-and-conquer on the monotone argmax (the
    between-class variance is a Monge cost), O(K m log m) for m candidates.
    """
    m = pos.shape[0]
    f = np.full(m, -np.inf)
    for j in range(lim[0]):
        f[j] = np.float64(_lut(P, S, 0, pos[j]))
    arg = np.full((K, m), -1, np.int64)
    stack = np.empty((4 * (m + 2) + 64, 4), np.int64)
    for k in range(1, K):
        g = np.full(m, -np.inf)
        # divide and conquer over j in [k, lim[k]) with opt range [k-1, lim[k-1])
        sp = 0
        stack[sp, 0] = k
        stack[sp, 1] = lim[k] - 1
        stack[sp, 2] = k - 1
        stack[sp, 3] = lim[k - 1] - 1
        sp += 1
        while sp > 0:
            sp -= 1
            jlo = stack[sp, 0]
            jhi = stack[sp, 1]
            olo = stack[sp, 2]
            ohi = stack[sp, 3]
            if jlo > jhi:
                continue
            mid = (jlo + jhi) // 2
            bi = -1
            bv = -np.inf
            top = min(mid - 1, ohi)
            for i in range(olo, top + 1):
                if f[i] == -np.inf:
                    continue
                v = f[i] + np.float64(_lut(P, S, pos[i] + 1, pos[mid]))
                if bi < 0 or v > bv:
                    bi = i
                    bv = v
            g[mid] = bv
            arg[k, mid] = bi
            o = bi if bi >= 0 else olo
            stack[sp, 0] = jlo
            stack[sp, 1] = mid - 1
            stack[sp, 2] = olo
            stack[sp, 3] = o
            sp += 1
            stack[sp, 0] = mid + 1
            stack[sp, 1] = jhi
            stack[sp, 2] = o
            stack[sp, 3] = ohi
            sp += 1
        f = g
    bi = -1
    bv = -np.inf
    for i in range(K - 1, lim[K - 1]):
        if f[i] == -np.inf:
            continue
        v = f[i] + np.float64(_lut(P, S, pos[i] + 1, nbins - 1))
        if bi < 0 or v > bv:
            bi = i
            bv = v
    out = np.zeros(K, np.int64)
    j = bi
    for k in range(K - 1, -1, -1):
        out[k] = j
        if k > 0:
            j = arg[k, j]
    return out
