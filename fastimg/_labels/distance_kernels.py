"""Jitted cores of the distance transforms (SciPy 1.17 semantics).

* Euclidean (``distance_transform_edt``): Maurer, Qi and Raghavan's exact
  feature transform, one pass per axis (axis 0 first), SciPy's
  ``_VoronoiFT`` arithmetic operation for operation in float64 (which
  sites a line keeps and which of two equally near sites a pixel gets
  depend on those roundings: ``<= 0`` keeps a site, the earlier site wins
  a tie);
* chamfer (``distance_transform_cdt``): SciPy's one-pass propagation over
  the first half of the metric (in raveled order), forward in C order and
  then backward; the first neighbour in metric order giving the strictly
  smallest ``distance + 1`` wins.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def edt_init(fg, shape, ft, start, stop):
    """``ft[:, p]``: the pixel's own coordinates where ``fg`` is 0 (a
    feature), ``ft[0, p] = -1`` elsewhere (other rows left as they are);
    pixels ``[start, stop)``."""
    nd = shape.shape[0]
    coord = np.zeros(nd, np.int64)
    rest = start
    for d in range(nd - 1, -1, -1):
        coord[d] = rest % shape[d]
        rest //= shape[d]
    for p in range(start, stop):
        if fg[p] != 0:
            ft[0, p] = -1
        else:
            for d in range(nd):
                ft[d, p] = coord[d]
        d = nd - 1
        while d >= 0:
            coord[d] += 1
            if coord[d] < shape[d]:
                break
            coord[d] = 0
            d -= 1


@kernel
def edt_first_down(fg, inner, ft, up, start, stop):
    """``edt_init`` and the axis-0 Voronoi pass, first sweep (rows
    ``[start, stop)`` top-down, serial calls in order): ``ft[0]`` the last
    feature row at or above, -1 if none (``up``: its value per column,
    -1 at first).

    Along axis 0 every site of a line shares the other coordinates, so
    SciPy's pass keeps them all and gives each pixel the nearest feature
    of its column, the upper one on a tie (for a finite, positive spacing
    along axis 0 and finite other spacings: the wrapper checks).  Columns
    without a feature keep ``ft[0] = -1`` and their other rows as they are.
    """
    for r in range(start, stop):
        for i in range(inner):
            p = r * inner + i
            if fg[p] == 0:
                up[i] = r
            ft[0, p] = up[i]
    return 0


@kernel
def edt_first_up(fg, shape, ft, down, start, stop):
    """The second sweep of :func:`edt_first_down`: rows ``n0 - 1 - s`` for
    s in ``[start, stop)`` (bottom-up, serial calls in order; ``down``: the
    last feature row at or below per column, -1 at first)."""
    rank = shape.shape[0]
    n0 = shape[0]
    inner = fg.shape[0] // n0 if n0 else 0
    coord = np.zeros(rank, np.int64)
    for s in range(start, stop):
        r = n0 - 1 - s
        for k in range(1, rank):
            coord[k] = 0
        for i in range(inner):
            p = r * inner + i
            if fg[p] == 0:
                down[i] = r
            u = ft[0, p]
            dn = down[i]
            if u >= 0 or dn >= 0:
                if u < 0 or (dn >= 0 and dn - r < r - u):
                    u = dn
                ft[0, p] = u
                for k in range(1, rank):
                    ft[k, p] = coord[k]
            k = rank - 1
            while k >= 1:
                coord[k] += 1
                if coord[k] < shape[k]:
                    break
                coord[k] = 0
                k -= 1
    return 0


@kernel
def _voronoi(ft, base, stride, n, d, coor, samp, f, g):
    """SciPy's ``_VoronoiFT`` on the line ``base + i * stride``, i < n."""
    rank = ft.shape[0]
    for i in range(n):
        for j in range(rank):
            f[i, j] = ft[j, base + i * stride]
    top = -1
    for i in range(n):
        if f[i, 0] < 0:
            continue
        fd = np.float64(f[i, d])
        wr = 0.0
        for j in range(rank):
            if j != d:
                tw = np.float64(f[i, j] - coor[j]) * samp[j]
                wr += tw * tw
        while top >= 1:
            i1 = g[top]
            i2 = g[top - 1]
            f1 = np.float64(f[i1, d])
            a = (f1 - np.float64(f[i2, d])) * samp[d]
            b = (fd - f1) * samp[d]
            c = a + b
            ur = 0.0
            vr = 0.0
            for j in range(rank):
                if j != d:
                    cc = np.float64(coor[j])
                    tu = (np.float64(f[i2, j]) - cc) * samp[j]
                    tv = (np.float64(f[i1, j]) - cc) * samp[j]
                    ur += tu * tu
                    vr += tv * tv
            if c * vr - b * ur - a * wr - a * b * c <= 0.0:
                break
            top -= 1
        top += 1
        g[top] = i
    if top < 0:
        return
    last = top
    l = 0
    for i in range(n):
        d1 = 0.0
        for j in range(rank):
            t = np.float64(f[g[l], j] - (i if j == d else coor[j])) * samp[j]
            d1 += t * t
        while l < last:
            d2 = 0.0
            for j in range(rank):
                t = np.float64(f[g[l + 1], j] - (i if j == d else coor[j])) * samp[j]
                d2 += t * t
            if d1 <= d2:
                break
            d1 = d2
            l += 1
        for j in range(rank):
            ft[j, base + i * stride] = f[g[l], j]


@kernel
def edt_rows_2d(ft, h, w, s0, s1, start, stop):
    """:func:`_voronoi` along the rows of a 2-D image (axis 1), the sites'
    values and squared row distances kept on the stack (the same float64
    values SciPy recomputes from its copy of the line).  Rows
    ``[start, stop)``."""
    f0 = np.empty(w, np.int64)
    f1 = np.empty(w, np.int64)
    ws = np.empty(w, np.float64)
    for r in range(start, stop):
        base = r * w
        top = -1
        for i in range(w):
            a0 = np.int64(ft[0, base + i])
            if a0 < 0:
                continue
            a1 = np.int64(ft[1, base + i])
            fd = np.float64(a1)
            tw = np.float64(a0 - r) * s0
            wr = tw * tw
            while top >= 1:
                fa = np.float64(f1[top])
                a = (fa - np.float64(f1[top - 1])) * s1
                b = (fd - fa) * s1
                c = a + b
                if c * ws[top] - b * ws[top - 1] - a * wr - a * b * c <= 0.0:
                    break
                top -= 1
            top += 1
            f0[top] = a0
            f1[top] = a1
            ws[top] = wr
        if top < 0:
            continue
        l = 0
        for i in range(w):
            t = np.float64(f1[l] - i) * s1
            d1 = ws[l] + t * t
            while l < top:
                t = np.float64(f1[l + 1] - i) * s1
                d2 = ws[l + 1] + t * t
                if d1 <= d2:
                    break
                d1 = d2
                l += 1
            ft[0, base + i] = f0[l]
            ft[1, base + i] = f1[l]
    return 0


@kernel
def edt_axis(ft, shape, d, samp, start, stop):
    """One Voronoi pass along axis ``d`` over the lines of ``ft`` whose
    coordinates before ``d`` have flat index in ``[start, stop)``."""
    rank = shape.shape[0]
    n = shape[d]
    inner = 1
    for k in range(d + 1, rank):
        inner *= shape[k]
    f = np.empty((n, rank), np.int64)
    g = np.empty(n, np.int64)
    coor = np.zeros(rank, np.int64)
    for o in range(start, stop):
        r = o
        for k in range(d - 1, -1, -1):
            coor[k] = r % shape[k]
            r //= shape[k]
        for i in range(inner):
            r = i
            for k in range(rank - 1, d, -1):
                coor[k] = r % shape[k]
                r //= shape[k]
            _voronoi(ft, o * n * inner + i, inner, n, d, coor, samp, f, g)
    return 0


@kernel
def edt_distances(ft, shape, samp, out, start, stop):
    """``sqrt(sum_d ((ft[d] - coordinate_d) * sampling_d) ** 2)``, summed
    from axis 0 (``np.add.reduce(..., axis=0)``), pixels ``[start, stop)``."""
    nd = shape.shape[0]
    coord = np.zeros(nd, np.int64)
    rest = start
    for d in range(nd - 1, -1, -1):
        coord[d] = rest % shape[d]
        rest //= shape[d]
    for p in range(start, stop):
        s = 0.0
        for d in range(nd):
            t = np.float64(np.int64(ft[d, p]) - coord[d]) * samp[d]
            s = t * t if d == 0 else s + t * t
        out[p] = np.sqrt(s)
        d = nd - 1
        while d >= 0:
            coord[d] += 1
            if coord[d] < shape[d]:
                break
            coord[d] = 0
            d -= 1


@kernel
def cdt_init(fg, dt, ft, start, stop):
    """``dt[p]``: -1 where ``fg`` (to be filled), 0 on the background;
    ``ft[p] = p`` (each pixel its own feature); pixels ``[start, stop)``.
    A kernel rather than NumPy so that Ctrl-C is honoured on large inputs."""
    for p in range(start, stop):
        dt[p] = -1 if fg[p] else 0
        ft[p] = p
    return 0


@kernel
def cdt_coordinates(ft, strides, shape, out, start, stop):
    """``out[:, p]``: the coordinates of the flat index ``ft[p]`` in an
    array of ``shape`` (C order, ``strides`` in elements); pixels
    ``[start, stop)``."""
    nd = shape.shape[0]
    for p in range(start, stop):
        f = ft[p]
        for d in range(nd):
            out[d, p] = (f // strides[d]) % shape[d]
    return 0


@kernel
def cdt_pass(dt, ft, use_ft, shape, deltas, flat_off, backward, start, stop):
    """SciPy's ``distance_transform_op`` over flat C-ordered ``dt`` (int32)
    and ``ft`` (flat feature indices), forward or (``backward``) in reverse
    scan order with the neighbour steps negated: the steps ``[start,
    stop)`` of that order (serial calls in order equal one pass)."""
    nd = shape.shape[0]
    n = dt.shape[0]
    nk = flat_off.shape[0]
    sign = -1 if backward else 1
    coord = np.zeros(nd, np.int64)
    rest = n - 1 - start if backward else start
    for d in range(nd - 1, -1, -1):
        coord[d] = rest % shape[d]
        rest //= shape[d]
    for s in range(start, stop):
        p = n - 1 - s if backward else s
        value = dt[p]
        if value != 0:
            mn = value
            moff = 0
            for k in range(nk):
                inside = True
                for d in range(nd):
                    c = coord[d] + sign * deltas[k, d]
                    if c < 0 or c >= shape[d]:
                        inside = False
                        break
                if not inside:
                    continue
                tt = dt[p + sign * flat_off[k]]
                if tt >= 0 and (mn < 0 or tt + 1 < mn):
                    mn = tt + 1
                    moff = sign * flat_off[k]
            dt[p] = mn
            if use_ft:
                ft[p] = ft[p + moff]
        d = nd - 1
        while d >= 0:
            if backward:
                coord[d] -= 1
                if coord[d] >= 0:
                    break
                coord[d] = shape[d] - 1
            else:
                coord[d] += 1
                if coord[d] < shape[d]:
                    break
                coord[d] = 0
            d -= 1
    return 0


@kernel
def cdt_pass_2d(dt, ft, use_ft, dr, dc, backward, start, stop):
    """:func:`cdt_pass` for a 2-D image (``dt``, ``ft`` of shape (H, W)),
    the neighbour steps ``(dr[k], dc[k])`` in metric order; rows ``[start,
    stop)`` of the pass's order."""
    h, w = dt.shape
    nk = dr.shape[0]
    sign = -1 if backward else 1
    for s in range(start, stop):
        r = h - 1 - s if backward else s
        for t in range(w):
            c = w - 1 - t if backward else t
            value = dt[r, c]
            if value == 0:
                continue
            mn = value
            br = r
            bc = c
            for k in range(nk):
                rr = r + sign * dr[k]
                cc = c + sign * dc[k]
                if rr < 0 or rr >= h or cc < 0 or cc >= w:
                    continue
                tt = dt[rr, cc]
                if tt >= 0 and (mn < 0 or tt + 1 < mn):
                    mn = tt + 1
                    br = rr
                    bc = cc
            dt[r, c] = mn
            if use_ft:
                ft[r, c] = ft[br, bc]
    return 0
