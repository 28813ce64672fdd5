"""Jitted cores of the rank family (median, rank, percentile, min, max):
the shared rules (NaN policies, rank of the valid values, selection) and
the cores that read windows cell by cell.

The line cores work on the same prepared data (built by
:func:`fastimg._rank.core.rank_core`):

* ``P``: the input padded with SciPy's boundary rule, C-contiguous, flattened;
* ``lbase``: for each output line (a line runs along the last axis) the flat
  index in ``P`` of its first window's corner;
* ``offs``: flat offsets in ``P`` of the footprint's True cells;
* ``out``: a 2-D (lines, line length) array of ``P``'s dtype.

So one code path serves 1-D, 2-D, 3-D and n-D inputs and any footprint.  The
k-th element is taken in numpy's sort order (NaN above +inf), which makes the
NaN result deterministic; ``policy`` selects the NaN rules of ``nan_policy``.

* ``network_lines``: a pruned Batcher sorting network applied to a block of
  windows at once (one row of the buffer per footprint cell, the min/max of
  every comparator vectorised across the block): small windows, any dtype.
* ``sorted_lines``: the window kept sorted, one insertion / deletion per
  entering / leaving cell: float windows too large for the networks.
* ``gather_lines``: gather each window, quickselect (Hoare/Wirth).  The
  general fallback (float data with NaN policies and small windows).
* ``minmax_lines``: van Herk / Gil-Werman for the long 1-D passes of the
  separable minimum and maximum.

The histogram cores (8- and 16-bit data) are in
:mod:`fastimg._rank.histogram_kernels`, the straight-line 3x3 and 5x5
medians in :mod:`fastimg._rank.networks`.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel

#: NaN rules (``nan_policy``): None -> NaN sorts above every number
POLICY_SORT = 0
POLICY_PROPAGATE = 1
POLICY_OMIT = 2

#: How the rank is found when NaN are omitted (from the valid count)
OP_FIXED = 0
OP_MEDIAN = 1
OP_PERCENTILE = 2
OP_RANK = 3


@kernel
def _lt(a, b):
    """numpy's sort order: NaN is above every number (for integers the NaN
    tests fold away)."""
    return a < b or (a == a and b != b)


@kernel
def rank_index(op, kfix, pct, rank, nvalid):
    """The 0-based rank for a window with ``nvalid`` non-NaN values (-1:
    none).  SciPy's rules applied to the valid count: median n // 2,
    percentile ``int(n * p / 100)`` (n - 1 at 100), a negative rank counts
    from the top."""
    if op == OP_FIXED:
        return kfix
    if nvalid <= 0:
        return -1
    if op == OP_MEDIAN:
        return nvalid // 2
    if op == OP_PERCENTILE:
        if pct == 100.0:
            return nvalid - 1
        return int(float(nvalid) * pct / 100.0)
    r = rank + nvalid if rank < 0 else rank
    if r < 0 or r >= nvalid:
        return -1
    return r


@kernel
def select(buf, n, k):
    """k-th smallest of ``buf[:n]`` in numpy's order (Hoare's FIND, as
    Wirth writes it; insertion sort below 16 elements).  Permutes ``buf``."""
    lo = 0
    hi = n - 1
    while hi - lo >= 16:
        mid = (lo + hi) // 2
        # median of three as the pivot avoids the sorted-input worst case
        if _lt(buf[mid], buf[lo]):
            buf[mid], buf[lo] = buf[lo], buf[mid]
        if _lt(buf[hi], buf[lo]):
            buf[hi], buf[lo] = buf[lo], buf[hi]
        if _lt(buf[hi], buf[mid]):
            buf[hi], buf[mid] = buf[mid], buf[hi]
        pivot = buf[mid]
        i = lo
        j = hi
        while i <= j:
            while _lt(buf[i], pivot):
                i += 1
            while _lt(pivot, buf[j]):
                j -= 1
            if i <= j:
                buf[i], buf[j] = buf[j], buf[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return buf[k]
    for i in range(lo + 1, hi + 1):
        v = buf[i]
        j = i - 1
        while j >= lo and _lt(v, buf[j]):
            buf[j + 1] = buf[j]
            j -= 1
        buf[j + 1] = v
    return buf[k]


# ------------------------------------------------------------------ gather
@kernel
def gather_lines(P, lbase, offs, op, kfix, pct, rank, policy, out, start, stop):
    """Gather + quickselect for output lines [start, stop)."""
    n = offs.shape[0]
    L = out.shape[1]
    buf = np.empty(n, P.dtype)
    for li in range(start, stop):
        b0 = lbase[li]
        row = out[li]
        for j in range(L):
            b = b0 + j
            nn = 0
            for t in range(n):
                v = P[b + offs[t]]
                if v != v:
                    nn += 1
                buf[t] = v
            if policy == POLICY_SORT:
                row[j] = select(buf, n, kfix)
                continue
            if policy == POLICY_PROPAGATE and nn > 0:
                row[j] = np.nan
                continue
            k = rank_index(op, kfix, pct, rank, n - nn)
            if k < 0:
                row[j] = np.nan
            else:
                row[j] = select(buf, n, k)


# ----------------------------------------------------------------- network
@kernel
def _float_key(v, flip, sh, mask):
    """Floats viewed as signed integers map to an order-preserving key
    (negative values: all bits but the sign flipped); the map is its own
    inverse (``sh``: bits - 1; ``mask``: all bits but the sign).  Integer comparisons vectorise where float selects did not
    (a 25-cell network: 67 ns/px as float32 selects, measured, against a few
    ns/px as int32)."""
    if flip:
        return v ^ ((v >> sh) & mask)
    return v


@kernel
def _apply_network(buf, pairs, w):
    """Every comparator as a select across one row of the block (a
    function of its own: written inline the loop did not vectorise, 15.7
    against ~4 ns per pixel for a 25-cell uint8 network, measured)."""
    for p in range(pairs.shape[0]):
        i0 = pairs[p, 0]
        i1 = pairs[p, 1]
        for j in range(w):
            a = buf[i0, j]
            c = buf[i1, j]
            lt = c < a
            buf[i0, j] = c if lt else a
            buf[i1, j] = a if lt else c


@kernel
def network_lines(P, lbase, offs, pairs, kout, flip, sh, mask, blk, out, start, stop):
    """Comparator network over blocks of ``blk`` windows, lines [start, stop).

    ``pairs``: (lo, hi) comparators (a sorting network pruned to those that
    can move element ``kout``).  ``P`` is integer data; ``flip``: it holds
    float bits, compared through :func:`_float_key`.  Each comparator is a
    select over a row of the block, which the compiler vectorises."""
    n = offs.shape[0]
    L = out.shape[1]
    buf = np.empty((n, blk), P.dtype)
    for li in range(start, stop):
        row = out[li]
        for j0 in range(0, L, blk):
            w = min(blk, L - j0)
            b = lbase[li] + j0
            for t in range(n):
                o = b + offs[t]
                for j in range(w):
                    buf[t, j] = _float_key(P[o + j], flip, sh, mask)
            _apply_network(buf, pairs, w)
            for j in range(w):
                row[j0 + j] = _float_key(buf[kout, j], flip, sh, mask)


# ------------------------------------------------------ separable min / max
#: ``op`` of :func:`minmax_lines`: the extreme and the NaN order
MIN_NAN_LAST = 0    # minimum, NaN above every number (default; 'omit')
MAX_NAN_LAST = 1    # maximum, NaN above every number (default; 'propagate')
MIN_NAN_FIRST = 2   # minimum, NaN below every number ('propagate')
MAX_NAN_FIRST = 3   # maximum, NaN below every number ('omit')


@kernel
def _wins(a, b, op):
    """Whether ``a`` replaces ``b`` as the running extreme."""
    if op == MIN_NAN_LAST:
        return _lt(a, b)
    if op == MAX_NAN_LAST:
        return _lt(b, a)
    if op == MIN_NAN_FIRST:
        return a < b or (a != a and b == b)
    return b < a or (b != b and a == a)


@kernel
def minmax_lines(P, k, op, ch, out, start, stop):
    """1-D minimum or maximum of length ``k`` along the middle axis of ``P``
    (pre, n + k - 1, post), padded, into ``out`` (pre, n, post): van Herk /
    Gil-Werman (prefix and suffix extremes in blocks of k, 3 comparisons per
    element whatever k; SciPy's MINLIST is O(1) too, and ranking k cells
    per pixel was 15x slower than SciPy at k = 101, measured).  Work item:
    one ``pre`` index and one chunk of ``ch`` columns of ``post``,
    vectorised across the chunk."""
    m = P.shape[1]
    post = P.shape[2]
    n = out.shape[1]
    nch = (post + ch - 1) // ch
    g = np.empty((m, ch), P.dtype)
    h = np.empty((m, ch), P.dtype)
    for item in range(start, stop):
        p = item // nch
        c0 = (item - p * nch) * ch
        w = min(ch, post - c0)
        for i in range(m):
            if i % k == 0:
                for j in range(w):
                    g[i, j] = P[p, i, c0 + j]
            else:
                for j in range(w):
                    a = P[p, i, c0 + j]
                    b = g[i - 1, j]
                    g[i, j] = a if _wins(a, b, op) else b
        for i in range(m - 1, -1, -1):
            if i == m - 1 or (i + 1) % k == 0:
                for j in range(w):
                    h[i, j] = P[p, i, c0 + j]
            else:
                for j in range(w):
                    a = P[p, i, c0 + j]
                    b = h[i + 1, j]
                    h[i, j] = a if _wins(a, b, op) else b
        for i in range(n):
            for j in range(w):
                a = h[i, j]
                b = g[i + k - 1, j]
                out[p, i, c0 + j] = a if _wins(a, b, op) else b


# ---------------------------------------------------------- sorted window
@kernel
def _lower_bound(sb, lo, hi, v):
    """First index in [lo, hi) whose element is not below ``v`` (numpy's
    order)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if _lt(sb[mid], v):
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
def sorted_lines(P, lbase, offs, enter, leave, op, kfix, pct, rank, policy, out,
                 start, stop):
    """Sorted-window rank filter for float data, output lines [start, stop).

    The window's values are kept sorted (numpy's order: NaN last) in a
    buffer of n elements: per step each leaving value is replaced by an
    entering one, shifting only the elements between the two positions
    (short shifts on photographs, where neighbours are close).  O(n)
    memory; used for float windows too large for the networks whose data
    has too many distinct values for 16-bit codes (15x15 float32 1024x1024,
    noisy data: 1.3 s against 5.4 s for gather + quickselect, measured)."""
    n = offs.shape[0]
    ne = enter.shape[0]
    L = out.shape[1]
    sb = np.empty(n, P.dtype)
    for li in range(start, stop):
        b0 = lbase[li]
        row = out[li]
        for t in range(n):
            sb[t] = P[b0 + offs[t]]
        sb.sort()
        for j in range(L):
            b = b0 + j
            if j > 0:
                for t in range(ne):
                    old = P[b + leave[t]]
                    new = P[b + enter[t]]
                    po = _lower_bound(sb, 0, n, old)
                    if _lt(new, old):
                        pn = _lower_bound(sb, 0, po, new)
                        for i in range(po, pn, -1):
                            sb[i] = sb[i - 1]
                        sb[pn] = new
                    else:
                        pn = _lower_bound(sb, po + 1, n, new)
                        for i in range(po, pn - 1):
                            sb[i] = sb[i + 1]
                        sb[pn - 1] = new
            if policy == POLICY_SORT:
                row[j] = sb[kfix]
                continue
            # NaN sit at the end: find the first one
            lo = 0
            hi = n
            while lo < hi:
                mid = (lo + hi) >> 1
                if sb[mid] == sb[mid]:
                    lo = mid + 1
                else:
                    hi = mid
            nn = n - lo
            if policy == POLICY_PROPAGATE and nn > 0:
                row[j] = np.nan
                continue
            k = rank_index(op, kfix, pct, rank, n - nn)
            row[j] = np.nan if k < 0 else sb[k]
