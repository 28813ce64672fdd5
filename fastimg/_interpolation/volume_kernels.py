"""Range cores for 3-D inputs (colour images, volumes): ``NI_ZoomShift``
and ``NI_GeometricTransform`` with the three axes' loops written out and the
order in the compiled type (``taps``, as in ``plane_kernels``); the same
operations in the same order as the cores of any rank in
``transform_kernels``.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .kernels import first_tap, interior, interp_store, mapped, outside, spline_weights, tap


@kernel
def zoom3d(src, zero, pos, w, oshape, taps, cval, out, start, stop):
    """``zoom_shift`` for a 3-D input (``src`` 3-D; colour images, volumes):
    the three axes' loops written out, ``taps`` as in ``geometric2d``."""
    order = len(taps) - 1
    width = order + 1
    n1 = oshape[1]
    n2 = oshape[2]
    like = out[0]
    r0 = start // (n1 * n2)
    r1 = (start // n2) % n1
    r2 = start % n2
    for k in range(start, stop):
        t = cval
        if not (zero[0, r0] or zero[1, r1] or zero[2, r2]):
            t = 0.0
            for i in range(width):
                p0 = pos[0, r0, i]
                for j in range(width):
                    p1 = pos[1, r1, j]
                    for m in range(width):
                        p2 = pos[2, r2, m]
                        if p0 < 0 or p1 < 0 or p2 < 0:
                            coeff = cval
                        else:
                            coeff = np.float64(src[p0, p1, p2])
                        if order > 0:
                            coeff *= w[0, r0, i]
                            coeff *= w[1, r1, j]
                            coeff *= w[2, r2, m]
                        t += coeff
        out[k] = interp_store(t, like)
        r2 += 1
        if r2 == n2:
            r2 = 0
            r1 += 1
            if r1 == n1:
                r1 = 0
                r0 += 1


@kernel
def geometric3d(src, matrix, shift, coords, use_coords, oshape, nprepad, taps, mode, cval, out,
                start, stop):
    """``geometric`` for a 3-D input (``src`` 3-D) and, for the affine map,
    a 3-D output: the three axes' loops written out, footprints inside
    without border lookups; ``taps`` as in ``geometric2d``."""
    order = len(taps) - 1
    width = order + 1
    n0, n1, n2 = src.shape
    pos = np.zeros((3, 6), np.int64)
    w = np.ones((3, 6))
    ee = np.zeros(3)
    oc = np.zeros(3, np.int64)
    if not use_coords:
        oc[0] = start // (oshape[1] * oshape[2])
        oc[1] = (start // oshape[2]) % oshape[1]
        oc[2] = start % oshape[2]
    like = out[0]
    for k in range(start, stop):
        for h in range(3):
            if use_coords:
                cc = coords[h, k]
            else:
                cc = shift[h]
                cc += oc[0] * matrix[h, 0]
                cc += oc[1] * matrix[h, 1]
                cc += oc[2] * matrix[h, 2]
            ee[h] = cc + nprepad
        s0 = interior(ee[0], n0, order, mode)
        s1 = interior(ee[1], n1, order, mode)
        s2 = interior(ee[2], n2, order, mode)
        if s0 >= 0 and s1 >= 0 and s2 >= 0:
            for i in range(width):
                pos[0, i] = s0 + i
                pos[1, i] = s1 + i
                pos[2, i] = s2 + i
            inside = True
        else:
            inside = True
            for h in range(3):
                n = src.shape[h]
                ee[h] = mapped(ee[h], n, mode)
                if outside(ee[h], mode):
                    inside = False
                    break
                first = first_tap(ee[h], order)
                for i in range(width):
                    pos[h, i] = tap(first, i, n, order, mode)
        t = cval
        if inside:
            if order > 0:
                wa = spline_weights(ee[0], order)
                wb = spline_weights(ee[1], order)
                wc = spline_weights(ee[2], order)
            t = 0.0
            for i in range(width):
                p0 = pos[0, i]
                for j in range(width):
                    p1 = pos[1, j]
                    for m in range(width):
                        p2 = pos[2, m]
                        if p0 < 0 or p1 < 0 or p2 < 0:
                            coeff = cval
                        else:
                            coeff = np.float64(src[p0, p1, p2])
                        if order > 0:
                            coeff *= wa[i]
                            coeff *= wb[j]
                            coeff *= wc[m]
                        t += coeff
        out[k] = interp_store(t, like)
        if not use_coords:
            oc[2] += 1
            if oc[2] == oshape[2]:
                oc[2] = 0
                oc[1] += 1
                if oc[1] == oshape[1]:
                    oc[1] = 0
                    oc[0] += 1

