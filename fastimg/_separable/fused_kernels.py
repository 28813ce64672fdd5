"""The Gaussian of a 2-D image (two symmetric passes, columns then rows) in
one sweep, with the taps summed in registers.

SciPy's ``gaussian_filter`` runs ``NI_Correlate1D`` along axis 0, stores the
result in the output, then runs it along axis 1 over that.  For a symmetric
weight line ``w`` of radius ``r`` each output element is, in double::

    tmp = in[0] * w[r]
    for j in -r .. -1:  tmp += (in[j] + in[-j]) * w[r + j]

The kernels here do exactly that, per output row: the column pass of row
``i`` reads its ``2r + 1`` source rows in place (converted to double in
the loop, exact for every kernel input type), is stored in the output
type as SciPy stores it, read back into an extended float64 line, and the
row pass of that line is stored in the output.  The image is read once and
the output written once, and the accumulator stays in registers across
groups of four tap pairs (one load and one store of it per group instead of
per tap: the one-tap-at-a-time loops were load/store bound at about a tenth
of the memory floor).  Every element gets the same operations in the same
order as SciPy (multiply, then add; no fused multiply-add: ``fastmath`` is
off, so LLVM does not contract).

Rows whose column window reaches a ``cval`` row (mode 'constant', the top and
bottom ``r`` rows) take the ring path of ``pass_kernels``.

The column pass makes rows in pairs (:func:`_cols_pair`), so that one load
serves two outputs: the one-output loop was bound by its loads.  The input is read
strip by strip (1 KiB runs 16 KiB apart at 4096 float32 columns), which the
hardware prefetchers do not follow: each block first reads the source rows
of the next block, one element per cache line along whole rows
(:func:`_touch_rows`), so the strips find them in cache (the strip reads
were about a third of the call).  4096² float32, one thread, best CPU time
of 7 in alternating processes: sigma 1 / 2 / 3 took about 5 / 10 / 20 %
less than the one-output loop without the read-ahead (a first call compiles
about 0.4 s longer).
"""
from __future__ import annotations

import numpy as np

from .._core.cast import c_cast
from .._core.jit import kernel
from .._core.pass_kernels import store_line


#: Columns per strip of the column pass, and the ring's row pitch: the ring
#: of 2r + 1 converted strips stays in L1, and a pitch that is not a
#: multiple of 4 KiB keeps its rows off the same cache sets (rows of the
#: image itself, 16 KiB apart at 4096 float32 columns, thrash them).
STRIP = 256
PITCH = STRIP + 8
#: Output rows per block: the block's pass-1 lines (float64) stay in L2
#: until the row pass reads them.  Even: the column pass makes rows in pairs.
ROWS = 16


@kernel
def _ring_strip(ring, x, a, rmap, m, s0, s1, cval):
    """Extended row ``m`` (columns [s0, s1)) into ring slot ``m % K``
    (elements by index: a slice per strip costs more than its copy)."""
    slot = m % ring.shape[0]
    s = rmap[m] if m < rmap.shape[0] else -1   # past the end: a row never stored
    if s >= 0:
        u0 = np.uint64(s0)   # unsigned: no negative-index test per element
        for b in range(s1 - s0):
            ring[slot, b] = x[a, s, u0 + np.uint64(b)]
    else:
        for b in range(s1 - s0):
            ring[slot, b] = cval


@kernel
def _touch_rows(x, a, rmap, m0, m1):
    """Read one element per 64-byte line of the source rows of extended rows
    [m0, m1) of plane ``a`` (whole rows, in order: a stream the prefetchers
    follow); the sum is returned only so the loads are kept."""
    step = max(1, 64 // x.itemsize)
    t = 0.0
    for m in range(max(m0, 0), min(m1, rmap.shape[0])):
        s = rmap[m]
        if s >= 0:
            for b in range(0, x.shape[2], step):
                t += x[a, s, b]
    return t


@kernel
def _wrap(s, k):
    """``s % k`` for ``0 <= s < 2k`` without a division (17 integer
    divisions per 256-column strip cost as much as the taps)."""
    return s if s < k else s - k


@kernel
def _cols_pair(ring, i, fw, at, at2, m):
    """Symmetric pass down the ring for output rows ``i`` and ``i + 1``
    (slot of extended row m: m % K, K = ring.shape[0] >= k + 1), columns
    [0, m), into ``at`` and ``at2``.

    Each ring element loaded serves both rows (row i's pair j is front row
    j with back row j + 1, row i + 1's is front row j + 1 with back row j),
    each row keeping its own operations in SciPy's order: a loop for one
    row is bound by its 2r + 1 loads per element (17 taps, in L1: 0.66-0.80
    ns per element, against 0.40-0.51 for this one; consecutive rows
    instead of ring slots measured no faster).  Rows are taken by index
    (``ring[a0, b]``), not as slices: every slice passed or made costs two
    atomic reference-count updates, which per strip cost as much as the
    arithmetic.  The loops are written out (not helpers) so that LLVM
    vectorises each with one overlap check; up to eight tap pairs per loop
    (the first eight, then fours, then single pairs: few loop shapes, each
    costs compile time) keep the accumulators in registers.
    """
    k = fw.shape[0]
    K = ring.shape[0]
    r = k // 2
    i0 = i % K
    c0, c1 = _wrap(i0 + r, K), _wrap(i0 + r + 1, K)
    wc = fw[r]
    j = 0   # front row t: i + j + t; back row t: i + k - j - t
    if r >= 8:
        a0, a1, a2 = _wrap(i0, K), _wrap(i0 + 1, K), _wrap(i0 + 2, K)
        a3, a4, a5 = _wrap(i0 + 3, K), _wrap(i0 + 4, K), _wrap(i0 + 5, K)
        a6, a7, a8 = _wrap(i0 + 6, K), _wrap(i0 + 7, K), _wrap(i0 + 8, K)
        z0, z1, z2 = _wrap(i0 + k, K), _wrap(i0 + k - 1, K), _wrap(i0 + k - 2, K)
        z3, z4, z5 = _wrap(i0 + k - 3, K), _wrap(i0 + k - 4, K), _wrap(i0 + k - 5, K)
        z6, z7, z8 = _wrap(i0 + k - 6, K), _wrap(i0 + k - 7, K), _wrap(i0 + k - 8, K)
        w0, w1, w2, w3 = fw[0], fw[1], fw[2], fw[3]
        w4, w5, w6, w7 = fw[4], fw[5], fw[6], fw[7]
        for b in range(m):
            f0, f1, f2 = ring[a0, b], ring[a1, b], ring[a2, b]
            f3, f4, f5 = ring[a3, b], ring[a4, b], ring[a5, b]
            f6, f7, f8 = ring[a6, b], ring[a7, b], ring[a8, b]
            g0, g1, g2 = ring[z0, b], ring[z1, b], ring[z2, b]
            g3, g4, g5 = ring[z3, b], ring[z4, b], ring[z5, b]
            g6, g7, g8 = ring[z6, b], ring[z7, b], ring[z8, b]
            v = ring[c0, b] * wc + (f0 + g1) * w0
            u = ring[c1, b] * wc + (f1 + g0) * w0
            v += (f1 + g2) * w1
            u += (f2 + g1) * w1
            v += (f2 + g3) * w2
            u += (f3 + g2) * w2
            v += (f3 + g4) * w3
            u += (f4 + g3) * w3
            v += (f4 + g5) * w4
            u += (f5 + g4) * w4
            v += (f5 + g6) * w5
            u += (f6 + g5) * w5
            v += (f6 + g7) * w6
            u += (f7 + g6) * w6
            v += (f7 + g8) * w7
            u += (f8 + g7) * w7
            at[b] = v
            at2[b] = u
        j += 8
    else:   # r < 8: the centre products, then fours (one loop shape fewer)
        for b in range(m):
            at[b] = ring[c0, b] * wc
            at2[b] = ring[c1, b] * wc
    while j + 4 <= r:
        a0, a1, a2 = _wrap(i0 + j, K), _wrap(i0 + j + 1, K), _wrap(i0 + j + 2, K)
        a3, a4 = _wrap(i0 + j + 3, K), _wrap(i0 + j + 4, K)
        z0, z1, z2 = _wrap(i0 + k - j, K), _wrap(i0 + k - j - 1, K), _wrap(i0 + k - j - 2, K)
        z3, z4 = _wrap(i0 + k - j - 3, K), _wrap(i0 + k - j - 4, K)
        w0, w1, w2, w3 = fw[j], fw[j + 1], fw[j + 2], fw[j + 3]
        for b in range(m):
            f0, f1, f2, f3, f4 = ring[a0, b], ring[a1, b], ring[a2, b], ring[a3, b], ring[a4, b]
            g0, g1, g2, g3, g4 = ring[z0, b], ring[z1, b], ring[z2, b], ring[z3, b], ring[z4, b]
            v = at[b] + (f0 + g1) * w0
            u = at2[b] + (f1 + g0) * w0
            v += (f1 + g2) * w1
            u += (f2 + g1) * w1
            v += (f2 + g3) * w2
            u += (f3 + g2) * w2
            v += (f3 + g4) * w3
            u += (f4 + g3) * w3
            at[b] = v
            at2[b] = u
        j += 4
    while j < r:
        a0, a1 = _wrap(i0 + j, K), _wrap(i0 + j + 1, K)
        z0, z1 = _wrap(i0 + k - j, K), _wrap(i0 + k - j - 1, K)
        w0 = fw[j]
        for b in range(m):
            f0, f1, g0, g1 = ring[a0, b], ring[a1, b], ring[z0, b], ring[z1, b]
            at[b] = at[b] + (f0 + g1) * w0
            at2[b] = at2[b] + (f1 + g0) * w0
        j += 1


@kernel
def _line_sym(buf, fw, at):
    """Symmetric pass over the extended float64 line ``buf`` into ``at``
    (``at[b]`` centred on ``buf[b + r]``), as :func:`_cols_pair`: one slice
    per tap for the whole line (a few reference counts per row), the taps
    reading nearby elements of one line (no tiling needed)."""
    k = fw.shape[0]
    r = k // 2
    m = at.shape[0]
    c = buf[r:r + m]
    wc = fw[r]
    j = 0   # pair j: offsets j and k - 1 - j, weight fw[j]
    if r >= 8:
        p0, q0, w0 = buf[j:j + m], buf[k - 1 - j:k - 1 - j + m], fw[j]
        p1, q1, w1 = buf[j + 1:j + 1 + m], buf[k - 2 - j:k - 2 - j + m], fw[j + 1]
        p2, q2, w2 = buf[j + 2:j + 2 + m], buf[k - 3 - j:k - 3 - j + m], fw[j + 2]
        p3, q3, w3 = buf[j + 3:j + 3 + m], buf[k - 4 - j:k - 4 - j + m], fw[j + 3]
        p4, q4, w4 = buf[j + 4:j + 4 + m], buf[k - 5 - j:k - 5 - j + m], fw[j + 4]
        p5, q5, w5 = buf[j + 5:j + 5 + m], buf[k - 6 - j:k - 6 - j + m], fw[j + 5]
        p6, q6, w6 = buf[j + 6:j + 6 + m], buf[k - 7 - j:k - 7 - j + m], fw[j + 6]
        p7, q7, w7 = buf[j + 7:j + 7 + m], buf[k - 8 - j:k - 8 - j + m], fw[j + 7]
        for b in range(m):
            v = c[b] * wc + (p0[b] + q0[b]) * w0
            v += (p1[b] + q1[b]) * w1
            v += (p2[b] + q2[b]) * w2
            v += (p3[b] + q3[b]) * w3
            v += (p4[b] + q4[b]) * w4
            v += (p5[b] + q5[b]) * w5
            v += (p6[b] + q6[b]) * w6
            v += (p7[b] + q7[b]) * w7
            at[b] = v
        j += 8
    elif r >= 4:
        p0, q0, w0 = buf[j:j + m], buf[k - 1 - j:k - 1 - j + m], fw[j]
        p1, q1, w1 = buf[j + 1:j + 1 + m], buf[k - 2 - j:k - 2 - j + m], fw[j + 1]
        p2, q2, w2 = buf[j + 2:j + 2 + m], buf[k - 3 - j:k - 3 - j + m], fw[j + 2]
        p3, q3, w3 = buf[j + 3:j + 3 + m], buf[k - 4 - j:k - 4 - j + m], fw[j + 3]
        for b in range(m):
            v = c[b] * wc + (p0[b] + q0[b]) * w0
            v += (p1[b] + q1[b]) * w1
            v += (p2[b] + q2[b]) * w2
            v += (p3[b] + q3[b]) * w3
            at[b] = v
        j += 4
    else:
        for b in range(m):
            at[b] = c[b] * wc
    while j + 4 <= r:
        p0, q0, w0 = buf[j:j + m], buf[k - 1 - j:k - 1 - j + m], fw[j]
        p1, q1, w1 = buf[j + 1:j + 1 + m], buf[k - 2 - j:k - 2 - j + m], fw[j + 1]
        p2, q2, w2 = buf[j + 2:j + 2 + m], buf[k - 3 - j:k - 3 - j + m], fw[j + 2]
        p3, q3, w3 = buf[j + 3:j + 3 + m], buf[k - 4 - j:k - 4 - j + m], fw[j + 3]
        for b in range(m):
            v = at[b] + (p0[b] + q0[b]) * w0
            v += (p1[b] + q1[b]) * w1
            v += (p2[b] + q2[b]) * w2
            v += (p3[b] + q3[b]) * w3
            at[b] = v
        j += 4
    while j < r:
        p0, q0, w0 = buf[j:j + m], buf[k - 1 - j:k - 1 - j + m], fw[j]
        for b in range(m):
            at[b] = (at[b] + (p0[b] + q0[b]) * w0)
        j += 1


@kernel
def gauss_vh(x, fv, rmap, cval1, fh, cmap, loh, cval2, out, start, stop):
    """Rows [start, stop) of the (plane, row) items of 3-D ``x``: the
    symmetric pass ``fv`` along axis 1 (extended-row map ``rmap``), rounded
    to ``out``'s type as SciPy stores it, then the symmetric pass ``fh``
    along axis 2 (``cmap``, ``loh`` cells before the row) over that, stored
    in ``out``.  In blocks of ``ROWS`` rows of one plane: the column pass
    strip by strip into extended float64 lines ``mid``, then the row pass
    line by line; the source rows of the next block are read ahead
    (:func:`_touch_rows`).  Returns a meaningless number (the touched
    elements' sum)."""
    n = x.shape[1]
    nb = x.shape[2]
    kv = fv.shape[0]
    ext = cmap.shape[0]
    ring = np.empty((kv + 1, PITCH), np.float64)   # two rows' windows
    at = np.empty(STRIP, np.float64)
    at2 = np.empty(STRIP, np.float64)
    acc = np.empty(nb, np.float64)
    mid = np.empty((ROWS, ext), np.float64)
    like = out[0, 0, 0]
    item = start
    touched = 0.0
    if start < stop:
        touched = _touch_rows(x, start // n, rmap, start % n,
                              min(start % n + ROWS, n, start % n + stop - start) + kv - 1)
    while item < stop:
        a = item // n
        i0 = item % n
        i1 = min(i0 + ROWS, n, i0 + stop - item)
        if i1 < n:      # the next block's new rows, in this plane
            touched += _touch_rows(x, a, rmap, i1 + kv - 1,
                                   min(i1 + ROWS, n, i0 + stop - item) + kv - 1)
        elif item + i1 - i0 < stop:
            touched += _touch_rows(x, a + 1, rmap, 0, min(ROWS, n) + kv - 1)
        for s0 in range(0, nb, STRIP):
            s1 = min(s0 + STRIP, nb)
            w = s1 - s0
            for m in range(i0, i0 + kv - 1):
                _ring_strip(ring, x, a, rmap, m, s0, s1, cval1)
            # pairs of rows; an odd block's last pair makes one row more,
            # into a row of mid the row pass does not read (ROWS is even)
            for i in range(i0, i1, 2):
                _ring_strip(ring, x, a, rmap, i + kv - 1, s0, s1, cval1)
                _ring_strip(ring, x, a, rmap, i + kv, s0, s1, cval1)
                _cols_pair(ring, i, fv, at, at2, w)
                mrow = mid[i - i0, loh + s0:loh + s1]
                mrow2 = mid[i + 1 - i0, loh + s0:loh + s1]
                for b in range(w):   # pass 1 in the output type, as double
                    mrow[b] = c_cast(at[b], like)
                    mrow2[b] = c_cast(at2[b], like)
        for i in range(i0, i1):
            line = mid[i - i0]
            for m in range(loh):
                s = cmap[m]
                line[m] = line[loh + s] if s >= 0 else cval2
            for m in range(loh + nb, ext):
                s = cmap[m]
                line[m] = line[loh + s] if s >= 0 else cval2
            _line_sym(line, fh, acc)
            store_line(acc, out[a, i])
        item += i1 - i0
    return touched
