"""Range cores for 2-D inputs (the common case): ``NI_GeometricTransform``
(affine map or coordinates) and ``NI_ZoomShift`` with the two axes' loops
written out, ``[start, stop)`` a range of flat output indices.

Same operations in the same order as the cores of any rank in
``transform_kernels``; what makes them faster:

* the order is part of the compiled type (``taps``, a tuple of order + 1
  zeros), so each order's loops are specialised (a runtime order ran 2.5x
  slower);
* points whose footprint lies inside the input skip every border lookup;
* four points at a time: four independent chains of adds overlap, where one
  point's (order + 1) ** 2 dependent adds wait on each other;
* no jitted call taking an array in the per-point path (each costs
  reference counting, which dominated the per-point time).
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .kernels import first_tap, interior, interp_store, mapped, outside, spline_weights, tap


@kernel
def _slow2(src, c0, c1, order, mode, cval, pos, w):
    """One point of a 2-D input the general way, from coordinates already
    mapped and inside (footprints across a border)."""
    n0, n1 = src.shape
    width = order + 1
    f0 = first_tap(c0, order)
    f1 = first_tap(c1, order)
    for i in range(width):
        pos[0, i] = tap(f0, i, n0, order, mode)
        pos[1, i] = tap(f1, i, n1, order, mode)
    if order > 0:
        wa = spline_weights(c0, order)
        wb = spline_weights(c1, order)
        for i in range(width):
            w[0, i] = wa[i]
            w[1, i] = wb[i]
    t = 0.0
    for i in range(width):
        p0 = pos[0, i]
        for j in range(width):
            p1 = pos[1, j]
            if p0 < 0 or p1 < 0:
                coeff = cval
            else:
                coeff = np.float64(src[p0, p1])
            if order > 0:
                coeff *= w[0, i]
                coeff *= w[1, j]
            t += coeff
    return t


@kernel
def _fast2(src, s0, s1, c0, c1, order):
    """The footprint sum of an interior 2-D point, orders 1 and 3 written
    out (the same operations as the general loop, in its order)."""
    if order == 1:
        x0 = c0 - np.floor(c0)
        x1 = c1 - np.floor(c1)
        a0 = 1.0 - x0
        b0 = 1.0 - a0
        a1 = 1.0 - x1
        b1 = 1.0 - a1
        t = 0.0
        t += np.float64(src[s0, s1]) * a0 * a1
        t += np.float64(src[s0, s1 + 1]) * a0 * b1
        t += np.float64(src[s0 + 1, s1]) * b0 * a1
        t += np.float64(src[s0 + 1, s1 + 1]) * b0 * b1
        return t
    if order == 3:
        wa = spline_weights(c0, 3)
        wb = spline_weights(c1, 3)
        t = 0.0
        for i in range(4):
            wi = wa[i]
            for j in range(4):
                t += np.float64(src[s0 + i, s1 + j]) * wi * wb[j]
        return t
    width = order + 1
    wa = spline_weights(c0, order)
    wb = spline_weights(c1, order)
    t = 0.0
    for i in range(width):
        for j in range(width):
            coeff = np.float64(src[s0 + i, s1 + j])
            if order > 0:
                coeff *= wa[i]
                coeff *= wb[j]
            t += coeff
    return t


@kernel
def geometric2d(src, matrix, shift, coords, use_coords, ncol, nprepad, taps, mode, cval, out,
                start, stop):
    """``geometric`` for a 2-D input (``src`` 2-D) and, for the affine map,
    a 2-D output of ``ncol`` columns: four points at a time when their
    footprints lie inside, the general path otherwise.  ``taps`` is a tuple
    of order + 1 zeros: the order is part of the compiled type, so each
    order's loops are specialised (a runtime order ran 2.5x slower)."""
    order = len(taps) - 1
    width = order + 1
    n0, n1 = src.shape
    pos = np.zeros((2, 6), np.int64)
    w = np.ones((2, 6))
    cc = np.zeros((2, 4))
    like = out[0]
    k = start
    while k < stop:
        r = k // ncol
        end = min(stop, (r + 1) * ncol)
        # SciPy's sum for the affine map: shift + r * m[h, 0] + c * m[h, 1]
        base0 = shift[0] + r * matrix[0, 0]
        base1 = shift[1] + r * matrix[1, 0]
        m01 = matrix[0, 1]
        m11 = matrix[1, 1]
        kk = k
        while kk < end:
            nq = 1
            if kk + 4 <= end:
                nq = 4
                for q in range(4):
                    if use_coords:
                        cc[0, q] = coords[0, kk + q] + nprepad
                        cc[1, q] = coords[1, kk + q] + nprepad
                    else:
                        c = kk + q - r * ncol
                        cc[0, q] = (base0 + c * m01) + nprepad
                        cc[1, q] = (base1 + c * m11) + nprepad
            elif use_coords:
                cc[0, 0] = coords[0, kk] + nprepad
                cc[1, 0] = coords[1, kk] + nprepad
            else:
                c = kk - r * ncol
                cc[0, 0] = (base0 + c * m01) + nprepad
                cc[1, 0] = (base1 + c * m11) + nprepad
            if nq == 4:
                a0 = interior(cc[0, 0], n0, order, mode)
                a1 = interior(cc[0, 1], n0, order, mode)
                a2 = interior(cc[0, 2], n0, order, mode)
                a3 = interior(cc[0, 3], n0, order, mode)
                b0 = interior(cc[1, 0], n1, order, mode)
                b1 = interior(cc[1, 1], n1, order, mode)
                b2 = interior(cc[1, 2], n1, order, mode)
                b3 = interior(cc[1, 3], n1, order, mode)
                if min(min(a0, a1), min(a2, a3)) >= 0 and min(min(b0, b1), min(b2, b3)) >= 0:
                    # four independent chains of adds overlap, where one
                    # point's (order + 1) ** 2 dependent adds wait on each
                    # other; each point sums its taps in SciPy's order
                    # (written here, not called: a jitted call taking an
                    # array costs reference counting per call)
                    if order > 0:
                        u0 = spline_weights(cc[0, 0], order)
                        u1 = spline_weights(cc[0, 1], order)
                        u2 = spline_weights(cc[0, 2], order)
                        u3 = spline_weights(cc[0, 3], order)
                        v0 = spline_weights(cc[1, 0], order)
                        v1 = spline_weights(cc[1, 1], order)
                        v2 = spline_weights(cc[1, 2], order)
                        v3 = spline_weights(cc[1, 3], order)
                    t0 = t1 = t2 = t3 = 0.0
                    for i in range(width):
                        for j in range(width):
                            x0 = np.float64(src[a0 + i, b0 + j])
                            x1 = np.float64(src[a1 + i, b1 + j])
                            x2 = np.float64(src[a2 + i, b2 + j])
                            x3 = np.float64(src[a3 + i, b3 + j])
                            if order > 0:
                                x0 = x0 * u0[i] * v0[j]
                                x1 = x1 * u1[i] * v1[j]
                                x2 = x2 * u2[i] * v2[j]
                                x3 = x3 * u3[i] * v3[j]
                            t0 += x0
                            t1 += x1
                            t2 += x2
                            t3 += x3
                    out[kk] = interp_store(t0, like)
                    out[kk + 1] = interp_store(t1, like)
                    out[kk + 2] = interp_store(t2, like)
                    out[kk + 3] = interp_store(t3, like)
                    kk += 4
                    continue
            # the points one by one from the coordinates at hand (stepping
            # one point and retrying four cost several times the work
            # wherever footprints cross the border)
            for q in range(nq):
                e0 = cc[0, q]
                e1 = cc[1, q]
                s0 = interior(e0, n0, order, mode)
                s1 = interior(e1, n1, order, mode)
                if s0 >= 0 and s1 >= 0:
                    if order == 0:
                        t = 0.0
                        t += np.float64(src[s0, s1])
                    else:
                        t = _fast2(src, s0, s1, e0, e1, order)
                else:
                    e0 = mapped(e0, n0, mode)
                    e1 = mapped(e1, n1, mode)
                    if outside(e0, mode) or outside(e1, mode):
                        t = cval
                    elif order == 0:
                        # one tap, no weights: the general loop's
                        # ``t = 0.0; t += v`` without a call taking arrays
                        p0 = tap(first_tap(e0, 0), 0, n0, 0, mode)
                        p1 = tap(first_tap(e1, 0), 0, n1, 0, mode)
                        t = 0.0
                        if p0 < 0 or p1 < 0:
                            t += cval
                        else:
                            t += np.float64(src[p0, p1])
                    else:
                        t = _slow2(src, e0, e1, order, mode, cval, pos, w)
                out[kk + q] = interp_store(t, like)
            kk += nq
        k = end


@kernel
def zoom2d(src, zero, pos, w, plain, nc, taps, cval, out, start, stop):
    """``zoom_shift`` for a 2-D input (``src`` 2-D): tables as there;
    ``plain[d, k]``: output index k of axis d neither takes ``cval`` nor has
    a ``cval`` tap; ``nc`` output columns.  Four points of a row at a time where all are plain
    (independent chains of adds overlap; each point sums its taps in
    SciPy's order).  ``taps``: order + 1 zeros, as in ``geometric2d``."""
    order = len(taps) - 1
    width = order + 1
    like = out[0]
    k = start
    while k < stop:
        r = k // nc
        end = min(stop, (r + 1) * nc)
        c = k - r * nc
        if zero[0, r]:
            for kk in range(k, end):
                out[kk] = interp_store(cval, like)
            k = end
            continue
        row_plain = plain[0, r]
        kk = k
        while kk < end:
            if (row_plain and kk + 4 <= end and plain[1, c] and plain[1, c + 1]
                    and plain[1, c + 2] and plain[1, c + 3]):
                t0 = t1 = t2 = t3 = 0.0
                for i in range(width):
                    p0 = pos[0, r, i]
                    wi = w[0, r, i]
                    for j in range(width):
                        x0 = np.float64(src[p0, pos[1, c, j]])
                        x1 = np.float64(src[p0, pos[1, c + 1, j]])
                        x2 = np.float64(src[p0, pos[1, c + 2, j]])
                        x3 = np.float64(src[p0, pos[1, c + 3, j]])
                        if order > 0:
                            x0 = x0 * wi * w[1, c, j]
                            x1 = x1 * wi * w[1, c + 1, j]
                            x2 = x2 * wi * w[1, c + 2, j]
                            x3 = x3 * wi * w[1, c + 3, j]
                        t0 += x0
                        t1 += x1
                        t2 += x2
                        t3 += x3
                out[kk] = interp_store(t0, like)
                out[kk + 1] = interp_store(t1, like)
                out[kk + 2] = interp_store(t2, like)
                out[kk + 3] = interp_store(t3, like)
                kk += 4
                c += 4
                continue
            t = cval
            if not zero[1, c]:
                t = 0.0
                for i in range(width):
                    p0 = pos[0, r, i]
                    for j in range(width):
                        p1 = pos[1, c, j]
                        if p0 < 0 or p1 < 0:
                            coeff = cval
                        else:
                            coeff = np.float64(src[p0, p1])
                        if order > 0:
                            coeff *= w[0, r, i]
                            coeff *= w[1, c, j]
                        t += coeff
            out[kk] = interp_store(t, like)
            kk += 1
            c += 1
        k = end
