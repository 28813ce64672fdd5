"""Jitted loops of the morphology family.

Every core reads data prepared once by its wrapper
(:mod:`fastimg._morphology.prepare`):

* ``P``: the input padded by the boundary rule, C-contiguous, flattened;
* ``rowbase``: for each output row (a row runs along the last axis) the flat
  index in ``P`` of its first window's corner;
* ``offs``: flat offsets in ``P`` of the structure's True cells, in C order
  (SciPy's C code visits them in that order, which decides NaN results);
* ``out``: a 2-D (rows, row length) array.

So one code path serves 1-D, 2-D, 3-D and n-D inputs and any structure.
"""
from __future__ import annotations

import numpy as np

from .._core.cast import as_type_of
from .._core.jit import kernel


@kernel
def binary_rows(P, rowbase, offs, any_true, out, start, stop):
    """One pass of SciPy's binary erosion primitive on rows ``[start, stop)``
    of 0/1 bytes: ``out`` is 1 where every cell under the structure is 1
    (erosion) or, with ``any_true``, where any is (dilation, the structure
    already reflected).  A whole row is combined with one shifted row of
    ``P`` per structure cell: branch-free byte loops over slices, which the
    compiler vectorises (an early exit per pixel was 10x slower, and the
    same loop indexing ``P`` directly 10x slower too, measured at 4096x4096)."""
    n = offs.shape[0]
    ncols = out.shape[1]
    for r in range(start, stop):
        b = rowbase[r]
        row = out[r]
        if n == 0:
            row[:] = 0 if any_true else 1
            continue
        seg = P[b + offs[0]:b + offs[0] + ncols]
        for c in range(ncols):
            row[c] = seg[c]
        for j in range(1, n):
            seg = P[b + offs[j]:b + offs[j] + ncols]
            if any_true:
                for c in range(ncols):
                    row[c] |= seg[c]
            else:
                for c in range(ncols):
                    row[c] &= seg[c]


@kernel
def binary_rows_2d(x, dr, dc, bv, any_true, out, start, stop):
    """:func:`binary_rows` reading a 2-D image's bytes (``x``, a bool image
    viewed as uint8: any non-zero byte is True) in place of a padded copy:
    cell j of the structure reads ``x[r + dr[j], c + dc[j]]``, and
    ``bv`` (0 or 1) outside the image.  Rows ``[start, stop)`` of ``out``."""
    nrows, ncols = x.shape
    n = dr.shape[0]
    one = np.uint8(1)   # (an int literal would widen the byte loops to int64)
    for r in range(start, stop):
        row = out[r]
        if n == 0:
            row[:] = 0 if any_true else 1
            continue
        for j in range(n):
            sr = r + dr[j]
            d = dc[j]
            lo = min(max(0, -d), ncols)
            hi = max(min(ncols, ncols - d), lo)
            if sr < 0 or sr >= nrows:
                lo = hi = 0
            # the source and target cells as slices (a byte > 1 counts as
            # 1): indexing row[lo + c] instead kept the loops scalar, 35x
            # slower (measured)
            seg = x[min(max(sr, 0), nrows - 1), lo + d:hi + d]
            mid = row[lo:hi]
            if j == 0:
                row[:lo] = bv
                row[hi:] = bv
                for c in range(mid.shape[0]):
                    mid[c] = min(seg[c], one)
            elif any_true:
                if bv:
                    row[:lo] = 1
                    row[hi:] = 1
                for c in range(mid.shape[0]):
                    mid[c] |= min(seg[c], one)
            else:
                if not bv:
                    row[:lo] = 0
                    row[hi:] = 0
                for c in range(mid.shape[0]):
                    mid[c] &= min(seg[c], one)


@kernel
def propagate(S, F, queue, state, offs, old, new, generations, start, stop):
    """Breadth-first propagation of the value ``new`` through cells holding
    ``old``: generation g + 1 is every unfrozen (``F == 0``) cell p holding
    ``old`` with a generation-g cell at ``p + offs[j]``.  This is exactly
    what one more erosion pass would change (only cells next to a change
    can change), at the cost of the changed cells only.  ``queue`` is
    first-in first-out, so its h-th pop is ``queue[h]``: the work items are
    the pops, ``[start, stop)`` taken in order by successive serial calls
    (never in parallel) so that a long flood returns to Python between
    them.  ``state`` holds (tail, end of the current generation, generation,
    done); set by :func:`propagation_seeds` to (nq, nq, 0, 0), where
    ``queue[:nq]`` is the first generation.  ``generations < 0`` runs until
    nothing changes.  The frame of ``S`` is frozen, so no index check is
    needed."""
    if state[3]:
        return 0
    tail = state[0]
    end = state[1]
    gen = state[2]
    n = offs.shape[0]
    for h in range(start, stop):
        if h == end:
            gen += 1
            end = tail
        if h >= tail or (generations >= 0 and gen >= generations):
            state[3] = 1
            break
        q = queue[h]
        for j in range(n):
            p = q - offs[j]
            if F[p] == 0 and S[p] == old:
                S[p] = new
                queue[tail] = p
                tail += 1
    state[0] = tail
    state[1] = end
    state[2] = gen
    return 0


@kernel
def minmax_rows(P, rowbase, offs, ss, sst, minimum, out, start, stop):
    """SciPy's n-D grey erosion / dilation with a non-flat structure
    (``NI_MinOrMaxFilter``) on rows ``[start, stop)``, its arithmetic
    copied: the first cell's value is taken as a double plus ``ss[0]``;
    every later cell's value plus the structure value ``sst[j]`` (already
    cast to the input type) is computed in the input type (integers wrap)
    and replaces the running extreme only when strictly smaller (larger),
    so a NaN first cell propagates and a later NaN is skipped.  ``ss``
    holds -structure for the minimum.  Each pixel sees its cells in the
    C code's order; the loops run cell by cell over whole rows so the
    compiler vectorises them."""
    n = offs.shape[0]
    ncols = out.shape[1]
    for r in range(start, stop):
        b = rowbase[r]
        row = out[r]
        seg = P[b + offs[0]:b + offs[0] + ncols]
        s0 = ss[0]
        for c in range(ncols):
            row[c] = np.float64(seg[c]) + s0
        for j in range(1, n):
            seg = P[b + offs[j]:b + offs[j] + ncols]
            sj = sst[j]
            if minimum:
                for c in range(ncols):
                    t = np.float64(as_type_of(seg[c] + sj, sj))
                    row[c] = t if t < row[c] else row[c]
            else:
                for c in range(ncols):
                    t = np.float64(as_type_of(seg[c] + sj, sj))
                    row[c] = t if t > row[c] else row[c]


@kernel
def flat_minmax_rows(P, rowbase, offs, minimum, out, start, stop):
    """SciPy's n-D grey erosion / dilation with a flat footprint on rows
    ``[start, stop)``, in the input type: the first cell's value, then each
    later cell's value when strictly smaller (larger) than the running
    extreme, in the C code's cell order (so NaN decide as in SciPy); whole
    rows per cell, vectorised."""
    n = offs.shape[0]
    ncols = out.shape[1]
    for r in range(start, stop):
        b = rowbase[r]
        row = out[r]
        seg = P[b + offs[0]:b + offs[0] + ncols]
        for c in range(ncols):
            row[c] = seg[c]
        for j in range(1, n):
            seg = P[b + offs[j]:b + offs[j] + ncols]
            if minimum:
                for c in range(ncols):
                    t = seg[c]
                    row[c] = t if t < row[c] else row[c]
            else:
                for c in range(ncols):
                    t = seg[c]
                    row[c] = t if t > row[c] else row[c]


@kernel
def _find(parent, i):
    """Root of ``i`` (path halving)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@kernel
def small_components(P, offs, parent, start, stop):
    """Union-find over the True cells ``[start, stop)`` of ``P`` (neighbours
    at the flat offsets ``offs``, all earlier than the cell), in scan order:
    successive serial calls over consecutive ranges equal one pass.  ``P``
    has a False frame, so no neighbour index leaves it."""
    m = offs.shape[0]
    for i in range(start, stop):
        if P[i] == 0:
            continue
        # joined to the first neighbour found, merged with the others
        root = -1
        for j in range(m):
            q = i + offs[j]
            if P[q] != 0:
                b = _find(parent, q)
                if root < 0:
                    root = b
                elif b != root:
                    # the smaller index as root keeps trees shallow in scan order
                    if b < root:
                        parent[root] = b
                        root = b
                    else:
                        parent[b] = root
        parent[i] = i if root < 0 else root
    return 0


@kernel
def component_sizes(P, parent, count, start, stop):
    """After :func:`small_components` over all cells: point the True cells
    of ``[start, stop)`` at their roots and count them per root (``count``,
    zeros, only its roots' entries are touched); serial calls in order."""
    for i in range(start, stop):
        if P[i] != 0:
            r = _find(parent, i)
            parent[i] = r
            count[r] += 1
    return 0


@kernel
def mark_small(P, parent, count, max_size, remove, start, stop):
    """Mark in ``remove`` the True cells of ``[start, stop)`` whose
    component (sizes by :func:`component_sizes`) has at most ``max_size``
    cells."""
    for i in range(start, stop):
        if P[i] != 0 and count[parent[i]] <= max_size:
            remove[i] = 1
    return 0


@kernel
def flood_from_frame(S, queue, state, offs, start, stop):
    """Breadth-first flood of the value 1 through the cells of ``S`` holding
    0: cell p joins when ``p + offs[j]`` has joined (one dilation pass's
    rule, repeated until nothing changes).  ``S`` holds 1 in its frame (the
    border value, already joined), 2 where the mask forbids a change, 0
    elsewhere; the seeds, ``queue[:state[0]]``, lie in the frame's inner
    band, and the frame is wide enough that no index leaves ``S``.  The
    queue is first-in first-out, so its h-th pop is ``queue[h]``: the work
    items are the pops, ``[start, stop)`` taken in order by successive
    serial calls (never in parallel), so that a long flood returns to Python
    between them; ``state[0]`` is the queue's tail."""
    tail = state[0]
    n = offs.shape[0]
    h = start
    # (the tail grows as the flood goes: checked at every pop)
    while h < stop and h < tail:
        q = queue[h]
        for j in range(n):
            p = q - offs[j]
            if S[p] == 0:
                S[p] = 1
                queue[tail] = p
                tail += 1
        h += 1
    state[0] = tail
    return 0


@kernel
def propagation_seeds(first, x, keep, has_keep, rb, S, F, queue, state, start, stop):
    """Copy the rows ``[start, stop)`` of the first pass ``first`` (rows of
    the image) into the framed state ``S`` (row ``r`` starts at ``rb[r]``),
    unfreeze the cells the mask lets change, and queue the cells the first
    pass changed after the ``state[0]`` already queued (serial calls over
    the rows in order); ``state[0]`` ends as their count."""
    ncols = first.shape[1]
    nq = state[0]
    for r in range(start, stop):
        b = rb[r]
        for c in range(ncols):
            i = b + c
            S[i] = first[r, c]
            if not has_keep or keep[r, c]:
                F[i] = 0
            if first[r, c] != x[r, c]:
                queue[nq] = i
                nq += 1
    state[0] = nq
    return 0
