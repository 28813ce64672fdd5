"""Jitted cores of the threshold family (Otsu and multi-Otsu).

Arithmetic rules copied from the anchors (the helpers name them):

* Otsu: skimage 0.26 ``threshold_otsu`` with float32 counts, numpy's
  sequential ``cumsum`` order and the first maximum (``np.argmax``, a NaN
  counts as the maximum);
* multi-Otsu: skimage 0.26 ``_multiotsu.pyx`` LUT values (float32 moments,
  ``first_moment[0] = prob[0]``, ``H(0, 0) = 0``) summed in its float32 order,
  first strict maximum in its lexicographic enumeration order.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


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


#: The first bin as an argument of ``_lut``: a literal 0 would compile a
#: specialisation of its own.
_ZERO = np.int64(0)


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
    sig = _lut(P, S, _ZERO, pos[cur[0]]) + _lut(P, S, pos[cur[K - 1]] + 1, nbins - 1)
    for k in range(K - 1):
        sig = sig + _lut(P, S, pos[cur[k]] + 1, pos[cur[k + 1]])
    return sig


#: Bit pattern of float32 +inf; non-negative float32 values order like their
#: bit patterns read as int32, and NaNs lie above it.
_F32_INF_BITS = 0x7F800000


@kernel
def multiotsu_enum2(P, S, Pc, Sc, Hl, pos, lim, first_lo, first_hi, row, bits, best):
    """``multiotsu_enum`` for two thresholds (the common case), on the moments
    gathered at the candidates.  For each first threshold the row of sums
    ``(H(0, t0) + H(t1 + 1, n - 1)) + H(t0 + 1, t1)`` (skimage's float32
    order) is computed in one loop without branches, then its maximum is
    taken on the int32 bit patterns: every sum is >= 0, so that is the float
    maximum, and the first position holding it is the sequential scan's
    first strict maximum.  A row with a NaN (bits above +inf) is scanned as
    skimage does.

    ``row`` is float32 scratch of ``lim[1] + 1`` zeros and ``bits`` the same
    memory as int32 (``row.view(np.int32)``, made by the caller: a view made
    here is one more compile); its last cell holds the best sum so far."""
    hi = lim[1]
    last = row.shape[0] - 1
    found = False
    for c0 in range(first_lo, first_hi):
        lo = c0 + 1
        if lo >= hi:
            continue
        t0 = pos[c0]
        base = _lut(P, S, _ZERO, t0)
        p0 = P[t0]
        s0 = S[t0]
        pc = Pc[lo:hi]
        sc = Sc[lo:hi]
        hl = Hl[lo:hi]
        r = row[lo:hi]
        rb = bits[lo:hi]
        for i in range(r.shape[0]):
            d = pc[i] - p0
            e = sc[i] - s0
            q = (e * e) / d
            r[i] = (base + hl[i]) + (q if d > 0 else np.float32(0.0))
        mx = rb[0]
        for i in range(rb.shape[0]):
            mx = max(mx, rb[i])
        if mx > _F32_INF_BITS:
            for c1 in range(lo, hi):
                if row[c1] > row[last]:
                    row[last] = row[c1]
                    best[0] = c0
                    best[1] = c1
                    found = True
        elif mx > bits[last]:
            for c1 in range(lo, hi):
                if bits[c1] == mx:
                    best[0] = c0
                    best[1] = c1
                    break
            bits[last] = mx
            found = True
    return row[last], found


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
    if K == 2:
        # (the wrapper calls multiotsu_enum2 itself: a first call compiles
        # only that)
        row = np.zeros(lim[1] + 1, np.float32)
        return multiotsu_enum2(P, S, Pc, Sc, Hl, pos, lim, first_lo, first_hi, row,
                               row.view(np.int32), best)
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


@kernel
def multiotsu_candidates(prob, nth):
    """Threshold positions that can hold a first maximum.

    Positions t and t + 1 give bit-identical sums when prob[t + 1] == 0 (the
    float32 cumulative moments do not change), and skimage keeps the first
    one, so each run of equal cumulative moments needs only its first nth
    positions (K thresholds may share a run, leaving empty classes).
    Positions 0 and 1 always start a run (skimage never sets LUT entry
    (0, 0)).  Thresholds lie in [0, n - 2].
    """
    top = prob.shape[0] - 1
    pos = np.empty(max(top, 0), np.int64)
    m = 0
    run = 0
    for t in range(top):
        if t <= 1 or prob[t] != 0:
            run = 0
        if run < nth:
            pos[m] = t
            m += 1
        run += 1
    return pos[:m]


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
        f[j] = np.float64(_lut(P, S, _ZERO, pos[j]))
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
