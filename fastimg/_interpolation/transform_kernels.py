"""Range cores of the interpolation functions: every output element in
C order, ``[start, stop)`` a range of flat output indices.

* ``zoom_shift``: SciPy's ``NI_ZoomShift``: each axis's coordinates
  depend on that axis only, so footprints and weights come from per-axis
  tables (``axis_tables``);
* ``geometric``: SciPy's ``NI_GeometricTransform`` with an affine map
  (``shift[h] + sum_l oc[l] * matrix[h, l]``, summed from ``l = 0``) or a
  coordinates array (``map_coordinates``).

Both sum the footprint as ``fastimg._interpolation.kernels`` describes.
These are the cores of any rank; 2-D and 3-D inputs take the faster cores
of ``plane_kernels`` and ``volume_kernels``.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .kernels import axis_setup, first_tap, interp_store, mapped, outside, spline_weights, tap


@kernel
def axis_tables(n, nout, zoom, shift, has_zoom, has_shift, grid_mode, nprepad, order, mode,
                zero, pos, w):
    """One axis of ``NI_ZoomShift``: for output index k, ``zero[k]`` (the
    point takes ``cval``), footprint ``pos[k, :]`` and weights ``w[k, :]``."""
    for k in range(nout):
        cc = np.float64(k)
        if has_shift:
            cc += shift
        if has_zoom:
            if grid_mode:
                cc += 0.5
                cc *= zoom
                cc -= 0.5
            else:
                cc *= zoom
        cc += nprepad
        zero[k] = not axis_setup(cc, n, order, mode, pos, w, k)


@kernel
def _unravel(k, shape, oc):
    for d in range(shape.size - 1, -1, -1):
        oc[d] = k % shape[d]
        k //= shape[d]


# The footprint sums below are written out in each core: a jitted call
# taking arrays costs reference counting per call, which dominated the
# per-point time.

@kernel
def zoom_shift(src, istrides, oshape, zero, pos, w, order, cval, out, start, stop):
    """Output elements [start, stop) of ``NI_ZoomShift`` from the tables of
    ``axis_tables`` (``zero``, ``pos``, ``w`` stacked per axis)."""
    rank = oshape.size
    width = order + 1
    oc = np.zeros(rank, np.int64)
    fc = np.zeros(rank, np.int64)
    _unravel(start, oshape, oc)
    like = out[0]
    if rank == 2:
        s0 = istrides[0]
        ncol = oshape[1]
        k = start
        while k < stop:
            r = k // ncol
            c = k - r * ncol
            end = min(stop, (r + 1) * ncol)
            if zero[0, r]:
                for kk in range(k, end):
                    out[kk] = interp_store(cval, like)
                k = end
                continue
            for kk in range(k, end):
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
                                coeff = np.float64(src[p0 * s0 + p1])
                            if order > 0:
                                coeff *= w[0, r, i]
                                coeff *= w[1, c, j]
                            t += coeff
                out[kk] = interp_store(t, like)
                c += 1
            k = end
        return
    fsize = width ** rank
    for k in range(start, stop):
        t = cval
        inside = True
        for d in range(rank):
            if zero[d, oc[d]]:
                inside = False
                break
        if inside:
            t = 0.0
            for d in range(rank):
                fc[d] = 0
            for _ in range(fsize):
                flat = 0
                is_cval = False
                for d in range(rank):
                    p = pos[d, oc[d], fc[d]]
                    if p < 0:
                        is_cval = True
                    flat += p * istrides[d]
                coeff = cval if is_cval else np.float64(src[flat])
                if order > 0:
                    for d in range(rank):
                        coeff *= w[d, oc[d], fc[d]]
                t += coeff
                d = rank - 1
                while d >= 0:
                    if fc[d] < order:
                        fc[d] += 1
                        break
                    fc[d] = 0
                    d -= 1
        out[k] = interp_store(t, like)
        d = rank - 1
        while d >= 0:
            oc[d] += 1
            if oc[d] < oshape[d]:
                break
            oc[d] = 0
            d -= 1


@kernel
def geometric(src, ishape, istrides, matrix, shift, coords, use_coords, oshape, nprepad,
              order, mode, cval, out, start, stop):
    """Output elements [start, stop) of ``NI_GeometricTransform``: input
    coordinates from ``coords[:, k]`` (``use_coords``) or the affine map
    of the output coordinates (``matrix`` (irank, orank), ``shift``)."""
    irank = ishape.size
    orank = oshape.size
    width = order + 1
    fsize = width ** irank
    oc = np.zeros(orank, np.int64)
    fc = np.zeros(irank, np.int64)
    pos = np.zeros((irank, 6), np.int64)
    w = np.ones((irank, 6))
    _unravel(start, oshape, oc)
    like = out[0]
    s0 = istrides[0]
    for k in range(start, stop):
        inside = True
        for h in range(irank):
            if use_coords:
                cc = coords[h, k]
            else:
                cc = shift[h]
                for l in range(orank):
                    cc += oc[l] * matrix[h, l]
            n = ishape[h]
            cc = mapped(cc + nprepad, n, mode)
            if outside(cc, mode):
                inside = False
                break
            first = first_tap(cc, order)
            for i in range(width):
                pos[h, i] = tap(first, i, n, order, mode)
            if order > 0:
                wt = spline_weights(cc, order)
                for i in range(width):
                    w[h, i] = wt[i]
        t = cval
        if inside and irank == 2:
            t = 0.0
            for i in range(width):
                p0 = pos[0, i]
                for j in range(width):
                    p1 = pos[1, j]
                    if p0 < 0 or p1 < 0:
                        coeff = cval
                    else:
                        coeff = np.float64(src[p0 * s0 + p1])
                    if order > 0:
                        coeff *= w[0, i]
                        coeff *= w[1, j]
                    t += coeff
        elif inside:
            t = 0.0
            for d in range(irank):
                fc[d] = 0
            for _ in range(fsize):
                flat = 0
                is_cval = False
                for d in range(irank):
                    p = pos[d, fc[d]]
                    if p < 0:
                        is_cval = True
                    flat += p * istrides[d]
                coeff = cval if is_cval else np.float64(src[flat])
                if order > 0:
                    for d in range(irank):
                        coeff *= w[d, fc[d]]
                t += coeff
                d = irank - 1
                while d >= 0:
                    if fc[d] < order:
                        fc[d] += 1
                        break
                    fc[d] = 0
                    d -= 1
        out[k] = interp_store(t, like)
        d = orank - 1
        while d >= 0:
            oc[d] += 1
            if oc[d] < oshape[d]:
                break
            oc[d] = 0
            d -= 1
