"""Kernels of SciPy's own minimum / maximum order (:mod:`.scipy_order`):
the comparisons of its C code, one for one, so that NaN and signed zeros
land where SciPy puts them."""
import numpy as np

from .._core.jit import kernel


@kernel
def harter_lines(P, k, minimum, ring_value, ring_death, out, start, stop):
    """SciPy's ``NI_MinOrMaxFilter1D`` (Richard Harter's ascending-minima
    deque in a ring of ``k`` pairs) along the middle axis of the padded
    float64 ``P`` (pre, n + k - 1, post) into ``out`` (pre, n, post).  The
    comparisons are SciPy's: ``<=`` / ``>=`` against the front (a later
    equal value replaces it), ``>=`` / ``<=`` while popping the back, so a
    NaN at the front stays until it leaves the window and a NaN arriving
    later never pops or replaces anything.  ``ring_*`` hold one ring per
    work item (``k`` entries each).  Work item: one line (pre, post)."""
    m = P.shape[1]
    post = P.shape[2]
    for item in range(start, stop):
        p = item // post
        q = item - p * post
        base = (item - start) * k
        end = base + k
        front = base
        last = base
        ring_value[front] = P[p, 0, q]
        ring_death[front] = k
        o = 0
        if k == 1:
            for i in range(m):
                out[p, i, q] = P[p, i, q]
            continue
        for ll in range(1, m):
            val = P[p, ll, q]
            if ring_death[front] == ll:
                front += 1
                if front >= end:
                    front = base
            if (minimum and val <= ring_value[front]) or (
                    not minimum and val >= ring_value[front]):
                ring_value[front] = val
                ring_death[front] = ll + k
                last = front
            else:
                while (minimum and ring_value[last] >= val) or (
                        not minimum and ring_value[last] <= val):
                    if last == base:
                        last = end
                    last -= 1
                last += 1
                if last >= end:
                    last = base
                ring_value[last] = val
                ring_death[last] = ll + k
            if ll >= k - 1:
                out[p, o, q] = ring_value[front]
                o += 1


@kernel
def first_cell_points(P, offsets, oshape, pstrides, minimum, out, start, stop):
    """SciPy's ``NI_MinOrMaxFilter`` for a footprint: the running extreme
    starts at the first True cell (C order) and takes a later cell only if
    it is strictly smaller (larger), so a NaN in the first cell propagates
    and later ones are skipped.  ``P`` is the padded input, flat;
    ``offsets`` the cells' flat offsets in it; ``out`` flat, of
    ``oshape``; ``pstrides`` P's strides in elements.  Work item: one
    output element."""
    nd = oshape.shape[0]
    nc = offsets.shape[0]
    for i in range(start, stop):
        rem = i
        b = 0
        for d in range(nd - 1, -1, -1):
            c = rem % oshape[d]
            rem //= oshape[d]
            b += c * pstrides[d]
        res = P[b + offsets[0]]
        for j in range(1, nc):
            t = P[b + offsets[j]]
            if minimum:
                if t < res:
                    res = t
            elif t > res:
                res = t
        out[i] = res


@kernel
def has_unordered(x, start, stop):
    """1 if ``x[start:stop]`` holds a NaN or a -0.0, else 0 (stops at the
    first)."""
    for i in range(start, stop):
        v = x[i]
        if v != v or (v == 0 and np.signbit(v)):
            return 1
    return 0
