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
        # the last axis of a 2-D image: one running sum per line in a scalar
        for o in range(o0, o1):
            cur, old = 0, 0
            acc = src[o, 0, 0]
            acc2 = src2[o, 0, 0]
            for i in range(n - 1):
                v = src[o, i, 0]
                v2 = v * v if first_axis else src2[o, i, 0]
                if i == 0:
                    acc = v
                    acc2 = v2
                else:
                    acc = acc + v
                    acc2 = acc2 + v2
                ring[o, cur, 0] = acc
                ring2[o, cur, 0] = acc2
                if i >= w:
                    out[o, i - w, 0] = acc - ring[o, old, 0]
                    out2[o, i - w, 0] = acc2 - ring2[o, old, 0]
                    old = old + 1 if old + 1 < period else 0
                cur = cur + 1 if cur + 1 < period else 0
        return
    for o in range(o0, o1):
        # ring slots of rows i, i - 1 and i - w, advanced without a modulo
        cur, prev, old = 0, period - 1, 0
        for i in range(n - 1):
            if i == 0:
                for k in range(k0, k1):
                    v = src[o, i, k]
                    ring[o, cur, k] = v
                    ring2[o, cur, k] = v * v if first_axis else src2[o, i, k]
            else:
                for k in range(k0, k1):
                    v = src[o, i, k]
                    v2 = v * v if first_axis else src2[o, i, k]
                    ring[o, cur, k] = ring[o, prev, k] + v
                    ring2[o, cur, k] = ring2[o, prev, k] + v2
            if i >= w:
                for k in range(k0, k1):
                    out[o, i - w, k] = ring[o, cur, k] - ring[o, old, k]
                    out2[o, i - w, k] = ring2[o, cur, k] - ring2[o, old, k]
                old = old + 1 if old + 1 < period else 0
            prev = cur
            cur = cur + 1 if cur + 1 < period else 0


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
    f0, f1, f2 = first[0], first[1], first[2]
    for r in range(start, stop):
        for c in range(ow):
            for p in range(od):
                s = ws[f0 + r, f1 + c, f2 + p]
                s2 = ws2[f0 + r, f1 + c, f2 + p]
                x = xcorr[r, c, p]
                if code == CCOEFF_NORMED:
                    # skimage: denominator in the float type (see module doc)
                    q = s * s
                    q = q / volf
                    d = s2 - q
                    d = np.float64(d) * ssd
                    out[r, c, p] = d            # rounds to the float type
                    dd = np.float64(out[r, c, p])
                    if dd < 0:          # np.maximum(d, 0): NaN stays NaN
                        dd = 0.0
                    out[r, c, p] = math.sqrt(dd)    # sqrt rounded to the float type
                    den = np.float64(out[r, c, p])
                    if den > eps:
                        out[r, c, p] = (x - np.float64(s) * mean) / den
                    else:
                        out[r, c, p] = 0.0
                elif code == CCOEFF:
                    out[r, c, p] = x - np.float64(s) * mean
                elif code == CCORR:
                    out[r, c, p] = x
                elif code == SQDIFF:
                    out[r, c, p] = np.float64(s2) - 2.0 * x + sum_t2
                else:
                    den = math.sqrt(max(np.float64(s2), 0.0) * sum_t2)
                    num = x
                    if code == SQDIFF_NORMED:
                        num = np.float64(s2) - 2.0 * x + sum_t2
                    if den > eps:
                        out[r, c, p] = num / den
                    else:
                        out[r, c, p] = 0.0
