"""Jitted cores of the correlate family (``scipy.ndimage`` correlate,
correlate1d and their convolutions).

Conventions (see fastimg/_core/jit.py and fastimg/_core/dispatch.py): cores
take a ``[start, stop)`` range of work items and loop; ``dispatch.run`` runs
them on blocks of items in parallel.  The 1-D passes (correlate1d) are in
``fastimg._core.pass_kernels``.  All sums are float64 in the order
SciPy's C code uses, so integer outputs (which truncate) match bit for bit.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .._core.cast import c_cast
from .._core.pass_kernels import fill_const, fill_line, store_line

# ------------------------------------------- n-D correlation (1-3 dims)
@kernel
def _line_start(item, nr, kh, prev_p, prev_i):
    """(plane, row, first ring row to load) of output line ``item``: after
    the line just above it only the newest row of the ring is loaded."""
    p = item // nr
    i = item % nr
    a0 = kh - 1 if p == prev_p and i == prev_i + 1 else 0
    return p, i, a0


@kernel
def _ring_taps3d(ring, wv, wz, wy, wx, kh, i, acc):
    """corr3d's weighted sum for output row ``i`` from the float64 ring
    (apart from the reading so that it compiles once for every dtype).

    Several taps share one loop over the whole row, so the accumulator
    stays in a register; every element still gets ``0.0``, then
    ``+ w * v`` weight by weight.  Ring elements are read by unsigned
    index: no slice per tap (each costs two reference-count updates) and
    no negative-index test per element.  The taps of a row read
    neighbouring columns of at most ``kd * kh`` rows, so whole rows stream
    through L1 without tiling.  Few loop shapes: each costs compile time.
    """
    nc = acc.shape[0]
    nw = wv.shape[0]
    q = 0
    if nw >= 4:   # the first taps from 0.0, as SciPy's tmp
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        r2, u2, w2 = wz[q + 2] * kh + (i + wy[q + 2]) % kh, np.uint64(wx[q + 2]), wv[q + 2]
        r3, u3, w3 = wz[q + 3] * kh + (i + wy[q + 3]) % kh, np.uint64(wx[q + 3]), wv[q + 3]
        for j in range(nc):
            v = 0.0 + w0 * ring[r0, u0 + np.uint64(j)]
            v += w1 * ring[r1, u1 + np.uint64(j)]
            v += w2 * ring[r2, u2 + np.uint64(j)]
            v += w3 * ring[r3, u3 + np.uint64(j)]
            acc[j] = v
        q += 4
    elif nw >= 1:   # the first taps from 0.0, as SciPy's tmp
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        for j in range(nc):
            acc[j] = 0.0 + w0 * ring[r0, u0 + np.uint64(j)]
        q += 1
    else:
        for j in range(nc):
            acc[j] = 0.0
    while q + 8 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        r2, u2, w2 = wz[q + 2] * kh + (i + wy[q + 2]) % kh, np.uint64(wx[q + 2]), wv[q + 2]
        r3, u3, w3 = wz[q + 3] * kh + (i + wy[q + 3]) % kh, np.uint64(wx[q + 3]), wv[q + 3]
        r4, u4, w4 = wz[q + 4] * kh + (i + wy[q + 4]) % kh, np.uint64(wx[q + 4]), wv[q + 4]
        r5, u5, w5 = wz[q + 5] * kh + (i + wy[q + 5]) % kh, np.uint64(wx[q + 5]), wv[q + 5]
        r6, u6, w6 = wz[q + 6] * kh + (i + wy[q + 6]) % kh, np.uint64(wx[q + 6]), wv[q + 6]
        r7, u7, w7 = wz[q + 7] * kh + (i + wy[q + 7]) % kh, np.uint64(wx[q + 7]), wv[q + 7]
        for j in range(nc):
            v = acc[j] + w0 * ring[r0, u0 + np.uint64(j)]
            v += w1 * ring[r1, u1 + np.uint64(j)]
            v += w2 * ring[r2, u2 + np.uint64(j)]
            v += w3 * ring[r3, u3 + np.uint64(j)]
            v += w4 * ring[r4, u4 + np.uint64(j)]
            v += w5 * ring[r5, u5 + np.uint64(j)]
            v += w6 * ring[r6, u6 + np.uint64(j)]
            v += w7 * ring[r7, u7 + np.uint64(j)]
            acc[j] = v
        q += 8
    while q + 4 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        r2, u2, w2 = wz[q + 2] * kh + (i + wy[q + 2]) % kh, np.uint64(wx[q + 2]), wv[q + 2]
        r3, u3, w3 = wz[q + 3] * kh + (i + wy[q + 3]) % kh, np.uint64(wx[q + 3]), wv[q + 3]
        for j in range(nc):
            v = acc[j] + w0 * ring[r0, u0 + np.uint64(j)]
            v += w1 * ring[r1, u1 + np.uint64(j)]
            v += w2 * ring[r2, u2 + np.uint64(j)]
            v += w3 * ring[r3, u3 + np.uint64(j)]
            acc[j] = v
        q += 4
    while q + 2 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        r1, u1, w1 = wz[q + 1] * kh + (i + wy[q + 1]) % kh, np.uint64(wx[q + 1]), wv[q + 1]
        for j in range(nc):
            acc[j] = (acc[j] + w0 * ring[r0, u0 + np.uint64(j)]) + w1 * ring[r1, u1 + np.uint64(j)]
        q += 2
    while q + 1 <= nw:
        r0, u0, w0 = wz[q] * kh + (i + wy[q]) % kh, np.uint64(wx[q]), wv[q]
        for j in range(nc):
            acc[j] = acc[j] + w0 * ring[r0, u0 + np.uint64(j)]
        q += 1


@kernel
def corr3d(x, wv, wz, wy, wx, kd, kh, pmap, rmap, cmap, clo, cval, out, start, stop):
    """NI_Correlate for a 3-D array (1-D and 2-D come in with unit axes).

    ``wv`` holds the weights with ``|w| > DBL_EPSILON`` in C order and
    ``wz, wy, wx`` their kernel coordinates.  For output line (plane p, row
    i) the extended source lines (p + c, i + a) sit in ring slots
    ``c * kh + (i + a) % kh``; then ``w * v`` is added weight by weight from
    0.0, as SciPy does per element.
    """
    nr = x.shape[1]
    nc = x.shape[2]
    ext = cmap.shape[0]
    ring = np.empty((kd * kh, ext), np.float64)
    acc = np.empty(nc, np.float64)
    prev_p = -1
    prev_i = -2
    for item in range(start, stop):
        p, i, a0 = _line_start(item, nr, kh, prev_p, prev_i)
        prev_p = p
        prev_i = i
        for c in range(kd):
            ps = pmap[p + c]
            for a in range(a0, kh):
                rs = rmap[i + a]
                slot = c * kh + (i + a) % kh
                if ps < 0 or rs < 0:
                    fill_const(ring[slot], cval)
                else:
                    fill_line(x[ps, rs], cmap, clo, cval, ring[slot])
        _ring_taps3d(ring, wv, wz, wy, wx, kh, i, acc)
        store_line(acc, out[p, i])


# ------------------------- 2-D correlation: all taps in one pass
#: Taps of corr2d's one pass (a full 3x3 kernel); kernels with more non-zero
#: taps take corr3d.
GROUP = 9


@kernel
def _tap(wy, wx, kh, rw, i, t):
    """Flat ring index of tap t's first element for output row i; padding
    taps (``wy < 0``) read the ring's last row, all 1.0."""
    if wy[t] < 0:
        return np.uint64(kh * rw)
    return np.uint64(((i + wy[t]) % kh) * rw + wx[t])


@kernel
def _ring_pass(rf, wv, wy, wx, kh, rw, i, dst, like):
    """One output row: ``GROUP`` taps from the flat ring, each
    element from 0.0, then cast and stored in the same loop (vectorised;
    the accumulator stays in a register)."""
    u0, w0 = _tap(wy, wx, kh, rw, i, 0), wv[0]
    u1, w1 = _tap(wy, wx, kh, rw, i, 1), wv[1]
    u2, w2 = _tap(wy, wx, kh, rw, i, 2), wv[2]
    u3, w3 = _tap(wy, wx, kh, rw, i, 3), wv[3]
    u4, w4 = _tap(wy, wx, kh, rw, i, 4), wv[4]
    u5, w5 = _tap(wy, wx, kh, rw, i, 5), wv[5]
    u6, w6 = _tap(wy, wx, kh, rw, i, 6), wv[6]
    u7, w7 = _tap(wy, wx, kh, rw, i, 7), wv[7]
    u8, w8 = _tap(wy, wx, kh, rw, i, 8), wv[8]
    for k in range(dst.shape[0]):
        uk = np.uint64(k)
        v = 0.0 + w0 * rf[u0 + uk]
        v += w1 * rf[u1 + uk]
        v += w2 * rf[u2 + uk]
        v += w3 * rf[u3 + uk]
        v += w4 * rf[u4 + uk]
        v += w5 * rf[u5 + uk]
        v += w6 * rf[u6 + uk]
        v += w7 * rf[u7 + uk]
        v += w8 * rf[u8 + uk]
        dst[k] = c_cast(v, like)


@kernel
def corr2d(x, wv, wy, wx, kh, rmap, cmap, clo, cval, out, start, stop):
    """NI_Correlate for planes of a 3-D array with a kernel one plane deep
    and at most ``GROUP`` non-zero taps (2-D inputs come in with a unit
    first axis).

    ``wv, wy, wx`` are the taps (``|w| > DBL_EPSILON``, C order) padded to
    ``GROUP`` with taps ``w = -0.0, wy = -1`` that read 1.0: ``-0.0 * 1.0``
    is -0.0 and adding -0.0 changes no sum, so every element still gets
    0.0, then ``+ w * v`` tap by tap, as in SciPy.  Each extended source row
    is converted to float64 once, into a ring of ``kh`` rows (plus a row of
    1.0); then all taps of an output row are summed in one loop that casts
    and stores the output (no float64 accumulator row).

    Measured (float32, the 7-tap ``W33``, one thread, output preallocated):
    1024² 0.43 ms, 4096² 13.4 ms, against 0.52 and 16.8 ms for corr3d's
    passes.  Reading the float32 input at every tap instead of the ring
    was as fast at 4096² but twice as slow at 1024² (nine conversions per
    output); column tiles of 512 that convert each row once per output row
    were slower at both sizes.
    """
    nr = x.shape[1]
    ext = cmap.shape[0]
    ring = np.empty((kh + 1, ext), np.float64)
    ring[kh, :] = 1.0
    rf = ring.reshape(ring.size)
    like = out[0, 0, 0]
    prev_p = -1
    prev_i = -2
    for item in range(start, stop):
        p, i, a0 = _line_start(item, nr, kh, prev_p, prev_i)
        prev_p = p
        prev_i = i
        for a in range(a0, kh):
            rs = rmap[i + a]
            slot = ring[(i + a) % kh]
            if rs < 0:
                fill_const(slot, cval)
            else:
                fill_line(x[p, rs], cmap, clo, cval, slot)
        _ring_pass(rf, wv, wy, wx, kh, ext, i, out[p, i], like)


def corr2d_taps(wv, wy, wx):
    """corr2d's tap arguments: ``wv, wy, wx`` padded to ``GROUP`` with
    ``-0.0`` taps (``wy = -1``)."""
    npad = GROUP - wv.shape[0]
    return (np.concatenate([wv, np.full(npad, -0.0)]),
            np.concatenate([wy, np.full(npad, -1, np.int64)]),
            np.concatenate([wx, np.zeros(npad, np.int64)]))
