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
#: until the row pass reads them.
ROWS = 16


@kernel
def _ring_strip(ring, x, a, rmap, m, s0, s1, cval):
    """Extended row ``m`` (columns [s0, s1)) into ring slot ``m % k``
    (elements by index: a slice per strip costs more than its copy)."""
    slot = m % ring.shape[0]
    s = rmap[m]
    if s >= 0:
        u0 = np.uint64(s0)   # unsigned: no negative-index test per element
        for b in range(s1 - s0):
            ring[slot, b] = x[a, s, u0 + np.uint64(b)]
    else:
        for b in range(s1 - s0):
            ring[slot, b] = cval


@kernel
def _wrap(s, k):
    """``s % k`` for ``0 <= s < 2k`` without a division (17 integer
    divisions per 256-column strip cost as much as the taps)."""
    return s if s < k else s - k


@kernel
def _cols_sym(ring, i, fw, at, m):
    """Symmetric pass down the ring for output row ``i`` (slot of extended
    row m: m % k), columns [0, m), into ``at``.

    Rows are taken by index (``ring[p0, b]``), not as slices: every slice
    passed or made costs two atomic reference-count updates, which at
    17 taps per strip cost as much as the arithmetic.  The loops are written
    out (not helpers) so that LLVM vectorises each with one overlap check;
    up to eight tap pairs per loop (the first eight, then fours: few
    loop shapes, each costs compile time) keep the accumulator in a register.
    """
    k = fw.shape[0]
    r = k // 2
    i0 = i % k   # one division per row; the taps' slots by _wrap
    c = _wrap(i0 + r, k)
    wc = fw[r]
    j = 0   # pair j: offsets j and k - 1 - j, weight fw[j]
    if r >= 8:
        p0, q0, w0 = _wrap(i0 + j, k), _wrap(i0 + k - 1 - j, k), fw[j]
        p1, q1, w1 = _wrap(i0 + j + 1, k), _wrap(i0 + k - 2 - j, k), fw[j + 1]
        p2, q2, w2 = _wrap(i0 + j + 2, k), _wrap(i0 + k - 3 - j, k), fw[j + 2]
        p3, q3, w3 = _wrap(i0 + j + 3, k), _wrap(i0 + k - 4 - j, k), fw[j + 3]
        p4, q4, w4 = _wrap(i0 + j + 4, k), _wrap(i0 + k - 5 - j, k), fw[j + 4]
        p5, q5, w5 = _wrap(i0 + j + 5, k), _wrap(i0 + k - 6 - j, k), fw[j + 5]
        p6, q6, w6 = _wrap(i0 + j + 6, k), _wrap(i0 + k - 7 - j, k), fw[j + 6]
        p7, q7, w7 = _wrap(i0 + j + 7, k), _wrap(i0 + k - 8 - j, k), fw[j + 7]
        for b in range(m):
            v = ring[c, b] * wc + (ring[p0, b] + ring[q0, b]) * w0
            v += (ring[p1, b] + ring[q1, b]) * w1
            v += (ring[p2, b] + ring[q2, b]) * w2
            v += (ring[p3, b] + ring[q3, b]) * w3
            v += (ring[p4, b] + ring[q4, b]) * w4
            v += (ring[p5, b] + ring[q5, b]) * w5
            v += (ring[p6, b] + ring[q6, b]) * w6
            v += (ring[p7, b] + ring[q7, b]) * w7
            at[b] = v
        j += 8
    elif r >= 4:
        p0, q0, w0 = _wrap(i0 + j, k), _wrap(i0 + k - 1 - j, k), fw[j]
        p1, q1, w1 = _wrap(i0 + j + 1, k), _wrap(i0 + k - 2 - j, k), fw[j + 1]
        p2, q2, w2 = _wrap(i0 + j + 2, k), _wrap(i0 + k - 3 - j, k), fw[j + 2]
        p3, q3, w3 = _wrap(i0 + j + 3, k), _wrap(i0 + k - 4 - j, k), fw[j + 3]
        for b in range(m):
            v = ring[c, b] * wc + (ring[p0, b] + ring[q0, b]) * w0
            v += (ring[p1, b] + ring[q1, b]) * w1
            v += (ring[p2, b] + ring[q2, b]) * w2
            v += (ring[p3, b] + ring[q3, b]) * w3
            at[b] = v
        j += 4
    else:
        for b in range(m):
            at[b] = ring[c, b] * wc
    while j + 4 <= r:
        p0, q0, w0 = _wrap(i0 + j, k), _wrap(i0 + k - 1 - j, k), fw[j]
        p1, q1, w1 = _wrap(i0 + j + 1, k), _wrap(i0 + k - 2 - j, k), fw[j + 1]
        p2, q2, w2 = _wrap(i0 + j + 2, k), _wrap(i0 + k - 3 - j, k), fw[j + 2]
        p3, q3, w3 = _wrap(i0 + j + 3, k), _wrap(i0 + k - 4 - j, k), fw[j + 3]
        for b in range(m):
            v = at[b] + (ring[p0, b] + ring[q0, b]) * w0
            v += (ring[p1, b] + ring[q1, b]) * w1
            v += (ring[p2, b] + ring[q2, b]) * w2
            v += (ring[p3, b] + ring[q3, b]) * w3
            at[b] = v
        j += 4
    while j < r:
        p0, q0, w0 = _wrap(i0 + j, k), _wrap(i0 + k - 1 - j, k), fw[j]
        for b in range(m):
            at[b] = (at[b] + (ring[p0, b] + ring[q0, b]) * w0)
        j += 1


@kernel
def _line_sym(buf, fw, at):
    """Symmetric pass over the extended float64 line ``buf`` into ``at``
    (``at[b]`` centred on ``buf[b + r]``), as :func:`_cols_sym`: one slice
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
    line by line."""
    n = x.shape[1]
    nb = x.shape[2]
    kv = fv.shape[0]
    ext = cmap.shape[0]
    ring = np.empty((kv, PITCH), np.float64)
    at = np.empty(STRIP, np.float64)
    acc = np.empty(nb, np.float64)
    mid = np.empty((ROWS, ext), np.float64)
    like = out[0, 0, 0]
    item = start
    while item < stop:
        a = item // n
        i0 = item % n
        i1 = min(i0 + ROWS, n, i0 + stop - item)
        for s0 in range(0, nb, STRIP):
            s1 = min(s0 + STRIP, nb)
            w = s1 - s0
            for m in range(i0, i0 + kv - 1):
                _ring_strip(ring, x, a, rmap, m, s0, s1, cval1)
            for i in range(i0, i1):
                _ring_strip(ring, x, a, rmap, i + kv - 1, s0, s1, cval1)
                _cols_sym(ring, i, fv, at, w)
                mrow = mid[i - i0, loh + s0:loh + s1]
                for b in range(w):   # pass 1 in the output type, as double
                    mrow[b] = c_cast(at[b], like)
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
