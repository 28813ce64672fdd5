"""Jitted cores of Canny's hysteresis and of ``apply_hysteresis_threshold``.

* ``hysteresis_bits``: sweeps over bit-packed rows that grow the strong set
  through whole runs of weak pixels (2-D ``apply_hysteresis_threshold``);
  for Canny the same sweeps on blocks of rows in parallel
  (``hysteresis_bits_rows``, a range core), then across the block
  boundaries (``hysteresis_bits_seams``);
* its fallback for paths that turn back very often: ``hysteresis_rows`` (a
  flood fill with an explicit stack per block of rows, a range core) then
  ``hysteresis_seams`` (from the block boundaries);
* ``hysteresis``: a flood fill with an explicit stack from every strong pixel
  through the non-zero classes, any neighbour offsets (N-D
  ``apply_hysteresis_threshold``).
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def _grown(stack):
    """The stack, twice as long (an element loop: a slice assignment here
    cost ~2.5 s of compile time)."""
    bigger = np.empty(2 * stack.shape[0], np.int64)
    for i in range(stack.shape[0]):
        bigger[i] = stack[i]
    return bigger


@kernel
def hysteresis(cls, offsets, out):
    """Flood fill: ``out[p] = 1`` for every pixel with ``cls[p] != 0``
    connected through such pixels (steps ``offsets`` in the flat index) to a
    pixel with ``cls == 2``.  ``cls`` is flat and zero on its border, so a
    step from a non-zero pixel never leaves the array; ``out`` doubles as the
    visited mark, so a pixel is pushed at most once.  An explicit stack
    (grown by doubling) instead of recursion or labelling.  (Variants that
    zeroed ``cls`` instead of reading ``out``, or pushed branch-free, ran
    ~2x slower on the noisy 2048x2048 benchmark class map.)"""
    n = cls.shape[0]
    nk = offsets.shape[0]
    stack = np.empty(4096, np.int64)
    for p in range(n):
        if cls[p] != 2 or out[p] != 0:
            continue
        out[p] = 1
        stack[0] = p
        sp = 1
        while sp > 0:
            sp -= 1
            q = stack[sp]
            for k in range(nk):
                r = q + offsets[k]
                if cls[r] != 0 and out[r] == 0:
                    out[r] = 1
                    if sp == stack.shape[0]:
                        stack = _grown(stack)
                    stack[sp] = r
                    sp += 1


@kernel
def hysteresis_rows(cls, out, start, stop):
    """Canny's 8-connected flood fill restricted to rows ``[start, stop)`` of
    the 2-D class map (zero on its border): the first phase of the
    parallel hysteresis.  Whatever a block reaches from its own strong
    pixels is final; paths that cross into another block are finished by
    :func:`hysteresis_seams`."""
    h, w = cls.shape
    stack = np.empty(4096, np.int64)
    for i in range(start, stop):
        for j in range(w):
            if cls[i, j] != 2 or out[i, j] != 0:
                continue
            out[i, j] = 1
            stack[0] = i * w + j
            sp = 1
            while sp > 0:
                sp -= 1
                q = stack[sp]
                qi = q // w
                qj = q - qi * w
                for ii in range(max(qi - 1, start), min(qi + 2, stop)):
                    for jj in range(qj - 1, qj + 2):
                        if cls[ii, jj] != 0 and out[ii, jj] == 0:
                            out[ii, jj] = 1
                            if sp == stack.shape[0]:
                                stack = _grown(stack)
                            stack[sp] = ii * w + jj
                            sp += 1


@kernel
def hysteresis_seams(cls, out, seams):
    """Second phase: a global flood fill seeded by the marked pixels on both
    rows of every block boundary (``seams[k]`` is the first row of a block).
    A path from a strong pixel into another block crosses a boundary at a
    pixel its own block has marked, so these seeds reach everything the
    blocks missed."""
    h, w = cls.shape
    stack = np.empty(4096, np.int64)
    sp = 0
    for k in range(seams.shape[0]):
        for i in (seams[k] - 1, seams[k]):
            if i < 0 or i >= h:
                continue
            for j in range(w):
                if out[i, j] != 0 and cls[i, j] != 0:
                    if sp == stack.shape[0]:
                        stack = _grown(stack)
                    stack[sp] = i * w + j
                    sp += 1
    while sp > 0:
        sp -= 1
        q = stack[sp]
        qi = q // w
        qj = q - qi * w
        for ii in range(qi - 1, qi + 2):
            for jj in range(qj - 1, qj + 2):
                if cls[ii, jj] != 0 and out[ii, jj] == 0:
                    out[ii, jj] = 1
                    if sp == stack.shape[0]:
                        stack = _grown(stack)
                    stack[sp] = ii * w + jj
                    sp += 1


@kernel
def _grow_row(wrow, mrow, nrow, seed, run, diag):
    """``mrow`` := the runs of ``wrow`` (weak-or-strong bits) holding a bit
    of ``mrow`` or a neighbour of a bit of ``nrow`` (the row just
    processed; the bit above / below, and with ``diag`` its two diagonal
    neighbours: 8-connectivity).  Returns whether ``mrow`` changed.
    ``seed`` and ``run`` are scratch rows.

    Runs are filled within each word first (no dependence between words:
    the loops vectorise), then the carries between words are added: a
    carry into a word fills the word's run at its edge (the fill of a
    union of seeds is the union of their fills).  Carrying through the
    fill itself put the six fill steps of every word on one dependency
    chain: the sweeps took 2.6x as long on the 2048x2048 photograph's
    class map (2.7 ms against 1.0 ms), 3.2x at 4096x4096."""
    k = wrow.shape[0]
    zero = np.uint64(0)
    one = np.uint64(1)
    top = np.uint64(63)
    high = one << top
    for q in range(k):     # seeds: the row itself and the neighbour row
        n = nrow[q]
        d = n
        if diag:
            d |= (n << one) | (n >> one)
            if q > 0:
                d |= nrow[q - 1] >> top
            if q + 1 < k:
                d |= nrow[q + 1] << top
        seed[q] = (mrow[q] | d) & wrow[q]
    # the six doubling steps written out (a Kogge-Stone prefix): a call to
    # a helper kept these two loops scalar (not inlined before the
    # vectoriser runs)
    for q in range(k):     # upwards within each word; the run at bit 0
        p = wrow[q]
        run[q] = p & ~(p + one)
        g = seed[q]
        g |= p & (g << np.uint64(1))
        p &= p << np.uint64(1)
        g |= p & (g << np.uint64(2))
        p &= p << np.uint64(2)
        g |= p & (g << np.uint64(4))
        p &= p << np.uint64(4)
        g |= p & (g << np.uint64(8))
        p &= p << np.uint64(8)
        g |= p & (g << np.uint64(16))
        p &= p << np.uint64(16)
        g |= p & (g << np.uint64(32))
        seed[q] = g
    carry = zero
    for q in range(k):     # carries upwards through the words
        g = seed[q] | (run[q] & (zero - carry))
        seed[q] = g
        carry = g >> top
    for q in range(k):     # downwards within each word; the run at bit 63
        p = wrow[q]
        g = seed[q]
        r = p & high
        g |= p & (g >> np.uint64(1))
        r |= p & (r >> np.uint64(1))
        p &= p >> np.uint64(1)
        g |= p & (g >> np.uint64(2))
        r |= p & (r >> np.uint64(2))
        p &= p >> np.uint64(2)
        g |= p & (g >> np.uint64(4))
        r |= p & (r >> np.uint64(4))
        p &= p >> np.uint64(4)
        g |= p & (g >> np.uint64(8))
        r |= p & (r >> np.uint64(8))
        p &= p >> np.uint64(8)
        g |= p & (g >> np.uint64(16))
        r |= p & (r >> np.uint64(16))
        p &= p >> np.uint64(16)
        g |= p & (g >> np.uint64(32))
        r |= p & (r >> np.uint64(32))
        seed[q] = g
        run[q] = r
    carry = zero
    changed = False
    for q in range(k - 1, -1, -1):   # carries downwards
        g = seed[q] | (run[q] & (zero - carry))
        carry = g & one
        if g != mrow[q]:
            changed = True
            mrow[q] = g
    return changed


@kernel
def _sweeps(wbits, mbits, max_passes, diag, changed_at):
    """The sweeps of :func:`hysteresis_bits`; ``changed_at[i] > 0`` marks the
    rows whose neighbours must be regrown from them (all rows for a fresh
    start; only the rows on both sides of a seam when the blocks between
    the seams are already closed).  Returns whether they converged."""
    h, k = wbits.shape
    seed = np.empty(k, np.uint64)
    run = np.empty(k, np.uint64)
    done_fwd = np.zeros(h, np.int64)    # time of its last visit from above
    done_bwd = np.zeros(h, np.int64)    # ... from below
    t = 1
    for _ in range(max_passes):
        changed = False
        for i in range(1, h):
            if changed_at[i - 1] > done_fwd[i]:
                t += 1
                done_fwd[i] = t
                if _grow_row(wbits[i], mbits[i], mbits[i - 1], seed, run, diag):
                    changed = True
                    t += 1
                    changed_at[i] = t
        for i in range(h - 2, -1, -1):
            if changed_at[i + 1] > done_bwd[i]:
                t += 1
                done_bwd[i] = t
                if _grow_row(wbits[i], mbits[i], mbits[i + 1], seed, run, diag):
                    changed = True
                    t += 1
                    changed_at[i] = t
        if not changed:
            return True
    return False


@kernel
def hysteresis_bits(wbits, mbits, max_passes, diag):
    """Hysteresis on bit-packed rows (8-connected with ``diag``, else
    4-connected): ``wbits`` the weak-or-strong pixels, ``mbits`` the strong
    ones on entry and the result on return (at least 2 rows: every row is
    visited from a neighbour row).  Forward and backward sweeps over the rows grow the marked
    set through whole runs, 64 pixels per word operation, until a sweep
    pair changes nothing (the set is then closed under 8-connectivity: the
    flood fill's result).  A row is redone only when the neighbour row it
    grows from changed since its last visit in that direction.  Returns
    False if ``max_passes`` sweep pairs did not converge (a path reversing
    its direction many times); the caller then finishes with the flood
    fill.

    On a photograph's noisy class map (2048x2048, half a million weak or
    strong pixels) flood fills and union-find spent most of their ~28 ms on
    mispredicted branches, one per neighbour of a weak pixel; these word
    operations have none (8 sweep pairs, ~1/3 of the time)."""
    return _sweeps(wbits, mbits, max_passes, diag, np.ones(wbits.shape[0], np.int64))


@kernel
def hysteresis_bits_rows(wbits, mbits, max_passes, diag, start, stop):
    """:func:`hysteresis_bits` on rows ``[start, stop)`` alone (at least 2),
    a range core: 1 if they did not converge, else 0.  Each block's result
    is closed within the block; :func:`hysteresis_bits_seams` then grows
    across the block boundaries."""
    done = _sweeps(wbits[start:stop], mbits[start:stop], max_passes, diag,
                   np.ones(stop - start, np.int64))
    return 0 if done else 1


@kernel
def hysteresis_bits_seams(wbits, mbits, max_passes, diag, seams):
    """After :func:`hysteresis_bits_rows` on blocks starting at rows
    ``seams`` (and 0): the sweeps over the whole map, starting from the two
    rows at each boundary only (everything else is closed already, so a
    row is visited only once a neighbour changed).  Returns whether they
    converged."""
    h = wbits.shape[0]
    changed_at = np.zeros(h, np.int64)
    for s in seams:
        changed_at[s - 1] = 1
        changed_at[s] = 1
    return _sweeps(wbits, mbits, max_passes, diag, changed_at)
