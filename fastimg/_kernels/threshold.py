"""Jitted cores of the histogram / Otsu family.

Conventions (see fastimg/_jit.py): serial cores loop over a ``[start, stop)``
range of flat pixel indices; ``*_par`` drivers ``prange`` over blocks, each
block filling its own sub-histogram (no shared ``+=``), summed afterwards;
``*_ser`` twins loop over the same blocks in one thread.  Inputs are 1-D
(raveled) native contiguous arrays; ``mask`` is a uint8 array of the same
length, read only when ``has_mask``.

Speed rules: 8- and 16-bit images are counted in one pass over the whole
value range of their type (min and max come from the counts); counts go to
interleaved uint32 sub-histograms (``count_lanes``), indexed unsigned;
min/max run on integers (float bit patterns mapped to order keys) so the
loop vectorises; float bin indices are computed per chunk in a loop without
table lookups, then counted.

Arithmetic rules copied from the anchors (the helpers name them):

* float bin index: numpy 2.x ``histogram``'s uniform-bin path in the bin-edge
  dtype, ``int((x - first) / denom * n)``, then one step down if
  ``x < edges[i]`` and one step up if ``x >= edges[i + 1]`` (not from the
  last bin), exactly as numpy corrects it;
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
from numba.extending import overload

from .._jit import kernel, parallel_kernel


# ------------------------------------------------------------ min / max
def as_type_of(value, like):  # pragma: no cover - replaced by the overload
    raise NotImplementedError


@overload(as_type_of, jit_options={"nogil": True, "error_model": "numpy"})
def _as_type_of_impl(value, like):
    nb_type = like

    def impl(value, like):
        return nb_type(value)
    return impl


@kernel
def minmax(x, mask, has_mask, kmask, lo0, hi0, start, stop):
    """(min, max, count) of the order keys ``v ^ ((v >> bits-1) & kmask)`` of
    the selected integers of ``x[start:stop]``.

    ``kmask = 0`` gives the integers themselves.  For the bit patterns of
    IEEE floats (an int32 / int64 view) ``kmask = 0x7fff...`` turns them
    into integers in the floats' order (NaNs beyond the infinities), so the
    loop is an integer min/max that vectorises.  ``lo0``/``hi0`` are the
    type's largest and smallest values (the result when nothing is selected).
    """
    xs = x[start:stop]
    sh = xs.itemsize * 8 - 1
    lo = lo0
    hi = hi0
    cnt = 0
    if has_mask:
        ms = mask[start:stop]
        for i in range(xs.shape[0]):
            v = xs[i]
            k = as_type_of(v ^ ((v >> sh) & kmask), lo0)
            m = ms[i] != 0
            lo = min(lo, k if m else lo0)
            hi = max(hi, k if m else hi0)
            cnt += m
    else:
        for i in range(xs.shape[0]):
            v = xs[i]
            k = as_type_of(v ^ ((v >> sh) & kmask), lo0)
            lo = min(lo, k)
            hi = max(hi, k)
        cnt = xs.shape[0]
    return lo, hi, cnt


@parallel_kernel
def minmax_par(x, mask, has_mask, kmask, lo0, hi0, nblocks):
    n = x.shape[0]
    los = np.empty(nblocks, x.dtype)
    his = np.empty(nblocks, x.dtype)
    cnts = np.zeros(nblocks, np.int64)
    for b in prange(nblocks):
        lo, hi, c = minmax(x, mask, has_mask, kmask, lo0, hi0,
                           b * n // nblocks, (b + 1) * n // nblocks)
        los[b] = lo
        his[b] = hi
        cnts[b] = c
    return los.min(), his.max(), cnts.sum()


# -------------------------------------------- 8- and 16-bit: one full pass
@kernel
def _ix(v, offset):
    """Counter index ``v - offset`` as an unsigned integer: Numba then emits
    no negative-index wrap-around test (measured 1.5x on the count loop)."""
    return np.uintp(np.intp(v) - offset)


@kernel
def count_lanes(vals, offset, ms, has_mask, sub):
    """``sub[lane, vals[i] - offset] += 1`` (``+= ms[i]`` when ``has_mask``)
    for every ``i``, the (lanes, nvalues) uint32 block ``sub`` holding
    ``lanes`` interleaved sub-histograms.

    The loop is unrolled by 8 and pixel ``i`` goes to row ``i % lanes``:
    consecutive pixels of equal value (common in photographs) then increment
    different counters and do not wait on each other's store.  The wrapper
    picks ``lanes`` so that the block stays in cache (8 rows of 256 counters
    for 8-bit images, 2 rows of 65536 for 16-bit).  The caller keeps
    ``vals.shape[0] < 2**32``.
    """
    lanes = sub.shape[0]
    s0 = sub[0]
    s1 = sub[1 % lanes]
    s2 = sub[2 % lanes]
    s3 = sub[3 % lanes]
    s4 = sub[4 % lanes]
    s5 = sub[5 % lanes]
    s6 = sub[6 % lanes]
    s7 = sub[7 % lanes]
    n = vals.shape[0]
    n8 = n - n % 8
    if has_mask:
        for i in range(0, n8, 8):
            s0[_ix(vals[i], offset)] += ms[i]
            s1[_ix(vals[i + 1], offset)] += ms[i + 1]
            s2[_ix(vals[i + 2], offset)] += ms[i + 2]
            s3[_ix(vals[i + 3], offset)] += ms[i + 3]
            s4[_ix(vals[i + 4], offset)] += ms[i + 4]
            s5[_ix(vals[i + 5], offset)] += ms[i + 5]
            s6[_ix(vals[i + 6], offset)] += ms[i + 6]
            s7[_ix(vals[i + 7], offset)] += ms[i + 7]
        for i in range(n8, n):
            s0[_ix(vals[i], offset)] += ms[i]
    else:
        for i in range(0, n8, 8):
            s0[_ix(vals[i], offset)] += 1
            s1[_ix(vals[i + 1], offset)] += 1
            s2[_ix(vals[i + 2], offset)] += 1
            s3[_ix(vals[i + 3], offset)] += 1
            s4[_ix(vals[i + 4], offset)] += 1
            s5[_ix(vals[i + 5], offset)] += 1
            s6[_ix(vals[i + 6], offset)] += 1
            s7[_ix(vals[i + 7], offset)] += 1
        for i in range(n8, n):
            s0[_ix(vals[i], offset)] += 1


@kernel
def small_hist(x, mask, has_mask, offset, sub, start, stop):
    """``count_lanes`` over the selected pixels of ``x[start:stop]``."""
    count_lanes(x[start:stop], offset, mask[start:stop] if has_mask else mask, has_mask, sub)


@kernel
def add_blocks(sub, out):
    """``out += `` the totals of (blocks, lanes, :) counts over their first
    ``out.shape[0]`` columns."""
    for b in range(sub.shape[0]):
        for k in range(sub.shape[1]):
            for v in range(out.shape[0]):
                out[v] += sub[b, k, v]


@kernel
def small_hist_ser(x, mask, has_mask, offset, nvalues, lanes, nblocks):
    """One histogram over the whole value range of an 8- or 16-bit type."""
    n = x.shape[0]
    out = np.zeros(nvalues, np.int64)
    for b in range(nblocks):
        sub = np.zeros((1, lanes, nvalues), np.uint32)
        small_hist(x, mask, has_mask, offset, sub[0], b * n // nblocks, (b + 1) * n // nblocks)
        add_blocks(sub, out)
    return out


@parallel_kernel
def small_hist_par(x, mask, has_mask, offset, nvalues, lanes, nblocks):
    n = x.shape[0]
    sub = np.zeros((nblocks, lanes, nvalues), np.uint32)
    for b in prange(nblocks):
        small_hist(x, mask, has_mask, offset, sub[b], b * n // nblocks, (b + 1) * n // nblocks)
    out = np.zeros(nvalues, np.int64)
    add_blocks(sub, out)
    return out


# ------------------------------------------------------- integer histogram
@kernel
def int_hist(x, mask, has_mask, lo, out, start, stop):
    """out[x - lo] += 1 (np.bincount of the offset values)."""
    xs = x[start:stop]
    if has_mask:
        ms = mask[start:stop]
        for i in range(xs.shape[0]):
            out[_ix(xs[i], lo)] += ms[i]
    else:
        for i in range(xs.shape[0]):
            out[_ix(xs[i], lo)] += 1


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
#: Pixels per chunk of the float histogram: the bin indices of a chunk are
#: computed in one vectorisable loop, then counted.
CHUNK = 2048


@kernel
def _float_guess(xs, ms, has_mask, first, last, denom, nf, n, guess):
    """numpy's uniform-bin index before its edge correction, all arithmetic
    in the edge dtype: ``int((x - first) / denom * nf)``, ``n`` moved to
    ``n - 1``; ``n`` (dropped) for values outside ``[first, last]`` (NaN
    included) and unselected pixels.  No table lookup, so it vectorises
    (int32 indices: the wrapper keeps ``n`` below 2**20)."""
    n32 = np.int32(n)
    for i in range(xs.shape[0]):
        v = xs[i]
        ok = (v >= first) & (v <= last)
        if has_mask:
            ok = ok & (ms[i] != 0)
        w = v if ok else first
        j = min(np.int32((w - first) / denom * nf), np.int32(n32 - 1))
        guess[i] = j if ok else n32


@kernel
def _float_correct(xs, first, step, n, bins):
    """numpy's correction of the guesses in ``bins`` (from ``_float_guess``)
    for edges that are ``j * step + first`` in the edge dtype (the wrapper
    checks this against ``np.linspace``): one step down if ``x < edges[j]``,
    then one step up if ``x >= edges[j + 1]`` (not from the last bin);
    dropped pixels (``n``) stay.  No table lookup, so it vectorises."""
    n32 = np.int32(n)
    one = np.int32(1)
    for i in range(xs.shape[0]):
        w = xs[i]
        g = bins[i]
        j = np.int32(g - np.int32(w < first + as_type_of(g, first) * step))
        up = (w >= first + as_type_of(np.int32(j + one), first) * step) & (j + one < n32)
        j = np.int32(j + np.int32(up))
        bins[i] = j if g < n32 else n32


@kernel
def float_hist(x, mask, has_mask, first, last, denom, nf, e, step, search, sub, start, stop):
    """Counts of ``x[start:stop]`` per bin into the (lanes, n + 1) uint32
    block ``sub`` (column n: dropped pixels); ``e`` holds the n + 1 edges
    with the last one replaced by +inf (numpy never moves a value up from
    the last bin).

    ``search=False``: numpy's uniform-bin rule, the guess moved one step
    down if ``x < edges[j]``, then one step up if ``x >= edges[j + 1]`` (not
    from the last bin); ``step > 0`` says the edges are ``j * step + first``
    (no table lookups).  ``search=True``: the bin ``np.histogram`` gives for
    explicit edges (``edges[j] <= x < edges[j + 1]``, the last bin closed),
    the guess only being where the search starts.
    """
    n = e.shape[0] - 1
    bins = np.empty(CHUNK, np.int32)
    ms = mask
    formula = step > 0 and not search
    for c in range(start, stop, CHUNK):
        stop_c = min(c + CHUNK, stop)
        xs = x[c:stop_c]
        if has_mask:
            ms = mask[c:stop_c]
        m = xs.shape[0]
        _float_guess(xs, ms, has_mask, first, last, denom, nf, n, bins)
        if formula:
            _float_correct(xs, first, step, n, bins)
        else:
            for k in range(m):
                j = bins[k]
                if j < n:
                    v = xs[k]
                    if v < e[j]:
                        j -= 1
                        while search and v < e[j]:
                            j -= 1
                    elif v >= e[j + 1]:
                        j += 1
                        while search and v >= e[j + 1]:
                            j += 1
                    bins[k] = j
        count_lanes(bins[:m], 0, ms, False, sub)


@kernel
def float_hist_ser(x, mask, has_mask, first, last, denom, nf, e, step, search, lanes,
                   nblocks):
    n = x.shape[0]
    nbins = e.shape[0] - 1
    out = np.zeros(nbins, np.int64)
    for b in range(nblocks):
        sub = np.zeros((1, lanes, nbins + 1), np.uint32)
        float_hist(x, mask, has_mask, first, last, denom, nf, e, step, search, sub[0],
                   b * n // nblocks, (b + 1) * n // nblocks)
        add_blocks(sub, out)
    return out


@parallel_kernel
def float_hist_par(x, mask, has_mask, first, last, denom, nf, e, step, search, lanes,
                   nblocks):
    n = x.shape[0]
    nbins = e.shape[0] - 1
    sub = np.zeros((nblocks, lanes, nbins + 1), np.uint32)
    for b in prange(nblocks):
        float_hist(x, mask, has_mask, first, last, denom, nf, e, step, search, sub[b],
                   b * n // nblocks, (b + 1) * n // nblocks)
    out = np.zeros(nbins, np.int64)
    add_blocks(sub, out)
    return out


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


#: Bit pattern of float32 +inf; non-negative float32 values order like their
#: bit patterns read as int32, and NaNs lie above it.
_F32_INF_BITS = 0x7F800000


@kernel
def _enum2(P, S, Pc, Sc, Hl, pos, lim, first_lo, first_hi, best):
    """``multiotsu_enum`` for two thresholds (the common case), on the moments
    gathered at the candidates.  For each first threshold the row of sums
    ``(H(0, t0) + H(t1 + 1, n - 1)) + H(t0 + 1, t1)`` (skimage's float32
    order) is computed in one loop without branches, then its maximum is
    taken on the int32 bit patterns: every sum is >= 0, so that is the float
    maximum, and the first position holding it is the sequential scan's
    first strict maximum.  A row with a NaN (bits above +inf) is scanned as
    skimage does."""
    hi = lim[1]
    row = np.zeros(max(hi, 1), np.float32)
    bits = row.view(np.int32)
    top = np.zeros(1, np.float32)           # the best sum so far, and its bits
    top_bits = top.view(np.int32)
    found = False
    for c0 in range(first_lo, first_hi):
        lo = c0 + 1
        if lo >= hi:
            continue
        t0 = pos[c0]
        base = _lut(P, S, 0, t0)
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
                if row[c1] > top[0]:
                    top[0] = row[c1]
                    best[0] = c0
                    best[1] = c1
                    found = True
        elif mx > top_bits[0]:
            for c1 in range(lo, hi):
                if bits[c1] == mx:
                    best[0] = c0
                    best[1] = c1
                    break
            top_bits[0] = mx
            found = True
    return top[0], found


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
        return _enum2(P, S, Pc, Sc, Hl, pos, lim, first_lo, first_hi, best)
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
