"""Jitted loops of ``match_template`` (scikit-image 0.26
``skimage/feature/template.py``).

Rules copied from the anchor (the zero-denominator test depends on them, so
they are reproduced operation for operation):

* window sums: a cumulative sum along each axis of the padded image (or of
  its squares) in the image's float type, summed in index order like
  ``np.cumsum``, then ``cs[w:-1] - cs[:-w-1]``, axis after axis;
* denominator: ``(ws2 - ws * ws / volume)`` in the float type, times the
  template's sum of squared deviations (a float64 product rounded once to the
  float type, which is what NumPy's in-place multiply by a float64 scalar
  does), clipped at 0, square-rooted; a position scores 0 unless the
  denominator exceeds the float type's ``eps``.

The correlation (``correlate_direct``, or the wrapper's tiled FFT) is not
reproduced bit for bit: the anchor's FFT is a floating-point approximation
of the same sums (see the tolerance table in ``tests/conftest.py``).
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel

#: Score codes (compile-time integers, see ``scores``).
CCOEFF_NORMED, CCOEFF, CCORR, CCORR_NORMED, SQDIFF, SQDIFF_NORMED = range(6)


@kernel
def window_sums(src, src2, w, first_axis, ring, ring2, out, out2, by_inner, start, stop):
    """Window sums of two arrays along axis 1 of (outer, n, inner) views, in
    one traversal: ``np.cumsum`` along the axis, then ``out[:, i] =
    cs[:, i + w] - cs[:, i]`` for ``i < n - w - 1``; ``out`` from ``src``,
    ``out2`` from ``src2``, or from ``src ** 2`` when ``first_axis`` (the
    image and its squares, as skimage's ``_window_sum_2d(image ** 2)``).
    [start, stop) is a range of outer slices, or of inner columns when
    ``by_inner`` (a single outer slice): blocks never share a ring column.

    ``ring``/``ring2`` (outer, w + 1, inner) keep the last w + 1 cumulative
    rows, so the whole cumulative array is never stored; row 0 is a copy of
    the first element like NumPy's accumulate (not 0 + x, which loses -0.0).
    """
    n = src.shape[1]
    period = w + 1
    o0, o1, k0, k1 = start, stop, 0, src.shape[2]
    if by_inner:
        o0, o1, k0, k1 = 0, src.shape[0], start, stop
    if src.shape[2] == 1:
        # the last axis of a 2-D image: running sums along lines, a serial
        # chain per line; four lines at a time keep eight chains in flight.
        # The sums go to line buffers, then the differences vectorise.
        cs = np.empty((4, n), src.dtype)
        cs2 = np.empty((4, n), src.dtype)
        un = np.uint64(n - 1)
        uw = np.uint64(w)
        m = n - w - 1
        o = o0
        while o < o1:
            g = min(4, o1 - o)
            if g == 4:
                a0 = src[o, 0, 0]
                a1 = src[o + 1, 0, 0]
                a2 = src[o + 2, 0, 0]
                a3 = src[o + 3, 0, 0]
                if first_axis:
                    b0, b1, b2, b3 = a0 * a0, a1 * a1, a2 * a2, a3 * a3
                else:
                    b0 = src2[o, 0, 0]
                    b1 = src2[o + 1, 0, 0]
                    b2 = src2[o + 2, 0, 0]
                    b3 = src2[o + 3, 0, 0]
                for i in range(un):
                    if i > 0:
                        v0 = src[o, i, 0]
                        v1 = src[o + 1, i, 0]
                        v2 = src[o + 2, i, 0]
                        v3 = src[o + 3, i, 0]
                        a0 = a0 + v0
                        a1 = a1 + v1
                        a2 = a2 + v2
                        a3 = a3 + v3
                        if first_axis:
                            b0 = b0 + v0 * v0
                            b1 = b1 + v1 * v1
                            b2 = b2 + v2 * v2
                            b3 = b3 + v3 * v3
                        else:
                            b0 = b0 + src2[o, i, 0]
                            b1 = b1 + src2[o + 1, i, 0]
                            b2 = b2 + src2[o + 2, i, 0]
                            b3 = b3 + src2[o + 3, i, 0]
                    cs[0, i] = a0
                    cs[1, i] = a1
                    cs[2, i] = a2
                    cs[3, i] = a3
                    cs2[0, i] = b0
                    cs2[1, i] = b1
                    cs2[2, i] = b2
                    cs2[3, i] = b3
            else:
                for l in range(g):
                    acc = src[o + l, 0, 0]
                    acc2 = acc * acc if first_axis else src2[o + l, 0, 0]
                    for i in range(un):
                        if i > 0:
                            v = src[o + l, i, 0]
                            acc = acc + v
                            acc2 = acc2 + (v * v if first_axis else src2[o + l, i, 0])
                        cs[l, i] = acc
                        cs2[l, i] = acc2
            for l in range(g):
                for j in range(max(m, 0)):
                    uj = np.uint64(j)
                    out[o + l, uj, 0] = cs[l, uj + uw] - cs[l, uj]
                    out2[o + l, uj, 0] = cs2[l, uj + uw] - cs2[l, uj]
            o += g
        return
    # unsigned indices: no wraparound selects, so the loops along the inner
    # axis vectorise
    uk0 = np.uint64(k0)
    nk = np.uint64(k1 - k0)
    for o in range(o0, o1):
        uo = np.uint64(o)
        # ring slots of rows i, i - 1 and i - w, advanced without a modulo
        cur, prev, old = np.uint64(0), np.uint64(period - 1), np.uint64(0)
        for i in range(n - 1):
            ui = np.uint64(i)
            if i == 0:
                for kk in range(nk):
                    k = uk0 + kk
                    v = src[uo, ui, k]
                    ring[uo, cur, k] = v
                    ring2[uo, cur, k] = v * v if first_axis else src2[uo, ui, k]
            else:
                for kk in range(nk):
                    k = uk0 + kk
                    v = src[uo, ui, k]
                    v2 = v * v if first_axis else src2[uo, ui, k]
                    ring[uo, cur, k] = ring[uo, prev, k] + v
                    ring2[uo, cur, k] = ring2[uo, prev, k] + v2
            if i >= w:
                ow_ = np.uint64(i - w)
                for kk in range(nk):
                    k = uk0 + kk
                    out[uo, ow_, k] = ring[uo, cur, k] - ring[uo, old, k]
                    out2[uo, ow_, k] = ring2[uo, cur, k] - ring2[uo, old, k]
                old = old + np.uint64(1) if old + np.uint64(1) < period else np.uint64(0)
            prev = cur
            cur = cur + np.uint64(1) if cur + np.uint64(1) < period else np.uint64(0)


@kernel
def correlate_direct(padded, tmpl, first, out, start, stop):
    """``out[r, c, p] = sum tmpl[a, b, d] * padded[first + (r + a, c + b, p + d)]``
    in float64 for output rows [start, stop) (3-D; 2-D images arrive with a
    last axis of length 1).  The innermost loop runs along an output row so
    it vectorises."""
    th, tw, td = tmpl.shape
    ow = out.shape[1]
    od = out.shape[2]
    f0, f1, f2 = first[0], first[1], first[2]
    for r in range(start, stop):
        for c in range(ow):
            for p in range(od):
                out[r, c, p] = 0.0
        for a in range(th):
            for b in range(tw):
                for d in range(td):
                    t = tmpl[a, b, d]
                    if t == 0.0:
                        continue
                    if od == 1:     # 2-D images: one flat loop that vectorises
                        for c in range(ow):
                            out[r, c, 0] += np.float64(padded[f0 + r + a, f1 + c + b,
                                                              f2 + d]) * t
                        continue
                    for c in range(ow):
                        for p in range(od):
                            out[r, c, p] += np.float64(padded[f0 + r + a, f1 + c + b,
                                                              f2 + p + d]) * t


@kernel
def scores(xcorr, ws, ws2, first, volf, mean, ssd, sum_t2, eps, code,
           out, start, stop):
    """The score ``code`` at output rows [start, stop) from the correlation
    ``xcorr`` (float64, or float32 from a float32 FFT) and the window sums ``ws``/``ws2`` (float type, read
    from offset ``first``).  ``volf`` is the template volume in the float
    type (skimage divides by it there)."""
    oh, ow, od = out.shape
    # unsigned offsets: an index that cannot be negative needs no wraparound
    # select, which keeps the row loops vectorised
    f1 = np.uint64(first[1])
    for r in range(start, stop):
        # the innermost loop runs along a row (a 2-D image's od is 1), one
        # loop per score and selects rather than branches: it vectorises,
        # square roots and divisions included
        r0 = np.uint64(first[0] + r)
        for p in range(od):
            p0 = np.uint64(first[2] + p)
            if code == CCOEFF_NORMED:
                for c in range(ow):
                    s = ws[r0, f1 + np.uint64(c), p0]
                    q = s * s
                    q = q / volf
                    d = ws2[r0, f1 + np.uint64(c), p0] - q
                    # skimage: denominator in the float type (see module doc);
                    # the stores into out round to it
                    out[r, c, p] = np.float64(d) * ssd
                    dd = np.float64(out[r, c, p])
                    dd = 0.0 if dd < 0 else dd      # np.maximum(d, 0): NaN stays NaN
                    out[r, c, p] = math.sqrt(dd)
                    den = np.float64(out[r, c, p])
                    num = xcorr[r, c, p] - np.float64(s) * mean
                    out[r, c, p] = num / den if den > eps else 0.0
            elif code == CCOEFF:
                for c in range(ow):
                    out[r, c, p] = xcorr[r, c, p] - np.float64(ws[r0, f1 + np.uint64(c),
                                                                  p0]) * mean
            elif code == CCORR:
                for c in range(ow):
                    out[r, c, p] = xcorr[r, c, p]
            elif code == SQDIFF:
                for c in range(ow):
                    out[r, c, p] = (np.float64(ws2[r0, f1 + np.uint64(c), p0])
                                    - 2.0 * xcorr[r, c, p] + sum_t2)
            else:
                for c in range(ow):
                    s2 = np.float64(ws2[r0, f1 + np.uint64(c), p0])
                    x = xcorr[r, c, p]
                    den = math.sqrt(max(s2, 0.0) * sum_t2)
                    num = s2 - 2.0 * x + sum_t2 if code == SQDIFF_NORMED else x
                    out[r, c, p] = num / den if den > eps else 0.0
