"""Jitted loops of ``kmeans_colors``: k-means++ distance updates and the
Lloyd step (assignment, centre sums, inertia and changed labels in one pass).

Pixels are rows of ``x`` (N, C), read in their own dtype and converted to
float64 one value at a time (a uint8 photograph is never copied to float).
Every sum is taken per *chunk* of :data:`CHUNK` consecutive pixels (pixels
added in order, from 0.0), and the chunks' sums are added in chunk order by
:func:`merge_sums`.  The chunks do not depend on the thread count, so the
result is the same for every ``workers``; the range cores loop over chunks
``[start, stop)``.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel

#: Pixels per chunk of partial sums (fixed: results never depend on threads).
CHUNK = 16384


@kernel
def sq_dist(x, i, centres, j):
    """Squared distance of pixel ``i`` to ``centres[j]``, channels added in
    order."""
    if x.shape[1] == 3:
        t0 = np.float64(x[i, 0]) - centres[j, 0]
        t1 = np.float64(x[i, 1]) - centres[j, 1]
        t2 = np.float64(x[i, 2]) - centres[j, 2]
        return t0 * t0 + t1 * t1 + t2 * t2
    d = 0.0
    for c in range(x.shape[1]):
        t = np.float64(x[i, c]) - centres[j, c]
        d += t * t
    return d


@kernel
def first_distances(x, centre, closest, pots, start, stop):
    """``closest[i]`` = squared distance of pixel i to ``centre`` (1, C), and
    ``pots[chunk, 0]`` their sum per chunk (chunks ``[start, stop)``)."""
    n = x.shape[0]
    for ch in range(start, stop):
        acc = 0.0
        for i in range(ch * CHUNK, min((ch + 1) * CHUNK, n)):
            if x.shape[1] == 3:     # sq_dist written out (see update_closest)
                t0 = np.float64(x[i, 0]) - centre[0, 0]
                t1 = np.float64(x[i, 1]) - centre[0, 1]
                t2 = np.float64(x[i, 2]) - centre[0, 2]
                d = t0 * t0 + t1 * t1 + t2 * t2
            else:
                d = sq_dist(x, i, centre, 0)
            closest[i] = d
            acc += d
        pots[ch, 0] = acc


@kernel
def candidate_pots(x, cands, closest, pots, start, stop):
    """``pots[chunk, t]``: the chunk's sum of ``min(closest, d2(candidate t))``
    (pixels added in order)."""
    n = x.shape[0]
    trials = cands.shape[0]
    m0 = np.empty(256, np.float64)
    m1 = np.empty(256, np.float64)
    m2 = np.empty(256, np.float64)
    for ch in range(start, stop):
        lo = ch * CHUNK
        hi = min((ch + 1) * CHUNK, n)
        if trials == 3 and x.shape[1] == 3:
            # the usual case (k = 3..7, colour): the three candidates'
            # min(d, closest) for a block of pixels in vectorised loops, then
            # three independent in-order sums
            a0 = 0.0
            a1 = 0.0
            a2 = 0.0
            for b0 in range(lo, hi, 256):
                m = min(256, hi - b0)
                ub = np.uint64(b0)    # unsigned: no wraparound selects
                for i in range(m):
                    xi = ub + np.uint64(i)
                    p0 = np.float64(x[xi, 0])
                    p1 = np.float64(x[xi, 1])
                    p2 = np.float64(x[xi, 2])
                    ci = closest[xi]
                    t0 = p0 - cands[0, 0]
                    t1 = p1 - cands[0, 1]
                    t2 = p2 - cands[0, 2]
                    d = t0 * t0 + t1 * t1 + t2 * t2
                    m0[i] = d if d < ci else ci
                    t0 = p0 - cands[1, 0]
                    t1 = p1 - cands[1, 1]
                    t2 = p2 - cands[1, 2]
                    d = t0 * t0 + t1 * t1 + t2 * t2
                    m1[i] = d if d < ci else ci
                    t0 = p0 - cands[2, 0]
                    t1 = p1 - cands[2, 1]
                    t2 = p2 - cands[2, 2]
                    d = t0 * t0 + t1 * t1 + t2 * t2
                    m2[i] = d if d < ci else ci
                for i in range(m):
                    a0 += m0[i]
                    a1 += m1[i]
                    a2 += m2[i]
            pots[ch, 0] = a0
            pots[ch, 1] = a1
            pots[ch, 2] = a2
            continue
        for t in range(trials):
            acc = 0.0
            for i in range(lo, hi):
                d = sq_dist(x, i, cands, t)
                ci = closest[i]
                acc += d if d < ci else ci
            pots[ch, t] = acc


@kernel
def locate(closest, draws, ids):
    """``ids[t]``: the first index where the running sum of ``closest``
    (added in order, as ``np.cumsum``) reaches ``draws[t]``; ``len(closest)``
    if it never does (``np.searchsorted(np.cumsum(closest), draws)``)."""
    n = closest.shape[0]
    left = draws.shape[0]
    for t in range(left):
        ids[t] = n
    acc = 0.0
    for i in range(n):
        acc += closest[i]
        for t in range(draws.shape[0]):
            if ids[t] == n and acc >= draws[t]:
                ids[t] = i
                left -= 1
        if left == 0:
            break


@kernel
def update_closest(x, centre, closest, start, stop):
    """``closest = min(closest, d2(centre))`` (centre: (1, C)) on chunks
    ``[start, stop)``."""
    n = x.shape[0]
    c0 = centre[0, 0]
    c1 = centre[0, 1] if x.shape[1] > 1 else 0.0
    c2 = centre[0, 2] if x.shape[1] > 2 else 0.0
    for i in range(start * CHUNK, min(stop * CHUNK, n)):
        # colour pixels: sq_dist's operations written out (a call per pixel
        # is not inlined and costs more than the arithmetic)
        if x.shape[1] == 3:
            t0 = np.float64(x[i, 0]) - c0
            t1 = np.float64(x[i, 1]) - c1
            t2 = np.float64(x[i, 2]) - c2
            d = t0 * t0 + t1 * t1 + t2 * t2
        else:
            d = sq_dist(x, i, centre, 0)
        c = closest[i]
        # a select, not a branch: about half the pixels move closer
        closest[i] = d if d < c else c


@kernel
def lloyd_step(x, centres, labels, sums, counts, inertia, changed, start, stop):
    """Assign each pixel of chunks ``[start, stop)`` to its nearest centre
    (the lowest index on ties) and accumulate, per chunk, the centre sums
    ``sums[chunk, k, c]``, the counts, the inertia and how many labels
    changed.  The plain per-pixel statement of the step: the wrapper runs
    :func:`fastimg._kmeans.block_kernels.lloyd_step_blocked`, which the
    tests hold to this one bit for bit."""
    n = x.shape[0]
    k, nc = centres.shape
    px = np.empty(nc, np.float64)
    for ch in range(start, stop):
        csum = sums[ch]
        ccount = counts[ch]
        csum[:] = 0.0
        ccount[:] = 0
        acc = 0.0
        moved = 0
        for i in range(ch * CHUNK, min((ch + 1) * CHUNK, n)):
            best = 0
            dbest = np.inf
            if nc == 3:
                # colour pixels: the same additions in the same order,
                # without the inner loops
                p0 = px[0] = np.float64(x[i, 0])
                p1 = px[1] = np.float64(x[i, 1])
                p2 = px[2] = np.float64(x[i, 2])
                for j in range(k):
                    t0 = p0 - centres[j, 0]
                    t1 = p1 - centres[j, 1]
                    t2 = p2 - centres[j, 2]
                    d = t0 * t0 + t1 * t1 + t2 * t2
                    if d < dbest:
                        dbest = d
                        best = j
            else:
                for c in range(nc):
                    px[c] = np.float64(x[i, c])
                for j in range(k):
                    d = 0.0
                    for c in range(nc):
                        t = px[c] - centres[j, c]
                        d += t * t
                    if d < dbest:
                        dbest = d
                        best = j
            if labels[i] != best:
                moved += 1
                labels[i] = best
            ccount[best] += 1
            for c in range(nc):
                csum[best, c] += px[c]
            acc += dbest
        inertia[ch] = acc
        changed[ch] = moved


@kernel
def merge_sums(parts, out):
    """``out`` = sum of the rows of ``parts`` (2-D), added in order from 0.0."""
    for j in range(out.shape[0]):
        out[j] = 0.0
    for ch in range(parts.shape[0]):
        for j in range(out.shape[0]):
            out[j] += parts[ch, j]


@kernel
def distinct_upto(x, k, found):
    """How many distinct pixels ``x`` holds, counting stops at ``k``
    (``found``, (k, C), receives them): a photograph answers within its
    first pixels."""
    n, nc = x.shape
    m = 0
    for i in range(n):
        new = True
        for j in range(m):
            same = True
            for c in range(nc):
                if np.float64(x[i, c]) != found[j, c]:
                    same = False
                    break
            if same:
                new = False
                break
        if new:
            for c in range(nc):
                found[m, c] = np.float64(x[i, c])
            m += 1
            if m >= k:
                break
    return m
