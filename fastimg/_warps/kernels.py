"""Jitted loops of the warps family.

``linear_rows`` and ``cubic_rows`` are scikit-image 0.26's ``_warp_fast`` (``_warps_cy.pyx``) with
the bilinear and bicubic interpolation of ``_shared/interpolation.pxd``:
the rules it copies are named in the helpers below.  The arithmetic is done
in the image's float type (float32 images: float32), in the anchor's
operation order, because the anchor's Cython does so:

* the inverse map of output pixel (row, col) is evaluated at
  ``x = col, y = row`` as ``H0*x + H2`` / ``H4*y + H5`` (metric: no
  off-diagonal terms), ``H0*x + H1*y + H2`` / ``H3*x + H4*y + H5`` (affine)
  or the affine terms divided by ``H6*x + H7*y + H8`` (projective);
* bilinear: the weights ``1 - d`` and their products in float64, the
  products ``d * pixel`` in the float type, sums in float64 (what the
  anchor's compiled code does for float32 images: measured, no other
  order matches);
* bicubic: Catmull-Rom (Keys) rows, then a column, in the float type;
* out-of-image taps follow numpy.pad's modes (``coord_map``) or ``cval``.

The other kernels are the local-mean and integral-image loops (pixelate's
are in ``pixel_kernels``).
"""
from __future__ import annotations

import numpy as np

from .._core.cast import as_type_of
from .._core.jit import kernel

#: Mode codes of the warp kernels (skimage's mode letters C, E, S, R, W).
MODES = {"constant": 0, "edge": 1, "symmetric": 2, "reflect": 3, "wrap": 4}
#: Transform codes (skimage chooses by the matrix's zero pattern).
METRIC, AFFINE, PROJECTIVE = 0, 1, 2

#: x86-64's result of a C cast of NaN or an out-of-range float to ``long``
#: (LLVM leaves it undefined, so it is spelled out).
_NAN_LONG = np.int64(-(2 ** 63))


@kernel
def _to_long(v):
    """``<long>v`` for a float ``v`` already integral (a floor)."""
    if v >= -9.2e18 and v <= 9.2e18:
        return np.int64(v)
    return _NAN_LONG


@kernel
def coord_map(dim, coord, mode):
    """skimage's ``coord_map``: a tap index outside ``[0, dim)`` mapped
    back by numpy.pad's rule (mode 0, constant, is handled by the caller)."""
    cmax = dim - 1
    if mode == 2:     # symmetric
        if coord < 0:
            coord = -coord - 1
        if coord > cmax:
            if (coord // dim) % 2 != 0:
                return cmax - (coord % dim)
            return coord % dim
    elif mode == 4:   # wrap
        if coord < 0:
            return cmax - ((-coord - 1) % dim)
        if coord > cmax:
            return coord % dim
    elif mode == 1:   # edge
        if coord < 0:
            return 0
        if coord > cmax:
            return cmax
    elif mode == 3:   # reflect
        if dim == 1:
            return 0
        if coord < 0:
            if (-coord // cmax) % 2 != 0:
                return cmax - (-coord % cmax)
            return -coord % cmax
        if coord > cmax:
            if (coord // cmax) % 2 != 0:
                return cmax - (coord % cmax)
            return coord % cmax
    return coord


@kernel
def _mapped(dim, coord, mode):
    """The index skimage's ``get_pixel2d`` reads for ``coord`` along an axis
    of length ``dim``, or -1 for the constant (``cval``)."""
    if mode == 0:
        return coord if 0 <= coord < dim else -1
    return coord_map(dim, coord, mode)


@kernel
def _cubic(x, f0, f1, f2, f3):
    """skimage's ``cubic_interpolation`` (Keys, a = -0.5), its operation
    order, in the type of ``x``."""
    half = as_type_of(0.5, x)
    two = as_type_of(2.0, x)
    three = as_type_of(3.0, x)
    four = as_type_of(4.0, x)
    five = as_type_of(5.0, x)
    return f1 + half * x * (f2 - f0 + x * (two * f0 - five * f1 + four * f2 - f3
                                           + x * (three * (f1 - f2) + f3 - f0)))


@kernel
def _source(m, kind, x, y):
    """The inverse map of output pixel (row y, col x): the (row, col) read,
    in the anchor's operation order."""
    if kind == METRIC:
        return m[4] * y + m[5], m[0] * x + m[2]
    if kind == AFFINE:
        return m[3] * x + m[4] * y + m[5], m[0] * x + m[1] * y + m[2]
    z = m[6] * x + m[7] * y + m[8]
    return (m[3] * x + m[4] * y + m[5]) / z, (m[0] * x + m[1] * y + m[2]) / z


@kernel
def _source_row(m, kind, y, rr, cc):
    """The source (row, col) of every pixel of output row ``y`` into
    ``rr``, ``cc``: ``_source``'s operations, one loop per kind (a branch-free
    loop the compiler vectorises; the pixel loops then read the arrays:
    measured about 1.8x faster than computing them pixel by pixel)."""
    if kind == METRIC:
        r = m[4] * y + m[5]
        for tc in range(rr.shape[0]):
            x = as_type_of(tc, y)
            rr[tc] = r
            cc[tc] = m[0] * x + m[2]
    elif kind == AFFINE:
        ry = m[4] * y
        cy = m[1] * y
        for tc in range(rr.shape[0]):
            x = as_type_of(tc, y)
            rr[tc] = m[3] * x + ry + m[5]
            cc[tc] = m[0] * x + cy + m[2]
    else:
        ry = m[4] * y
        cy = m[1] * y
        zy = m[7] * y
        for tc in range(rr.shape[0]):
            x = as_type_of(tc, y)
            z = m[6] * x + zy + m[8]
            rr[tc] = (m[3] * x + ry + m[5]) / z
            cc[tc] = (m[0] * x + cy + m[2]) / z


@kernel
def linear_rows(img, m, kind, mode, cval, out, start, stop):
    """Output rows [start, stop) of ``_warp_fast`` at order 1 for every
    channel of ``img`` (rows, cols, channels) into ``out`` (out_rows,
    out_cols, channels); ``m`` is the flat 3x3 matrix in the image's type.

    Each row is three loops: the source coordinates (``_source_row``), the
    pixels whose taps are all inside the image, written out here (one
    kernel for both orders, or a call in this loop, made it 3-4x slower),
    then the others, listed in ``todo``, through ``_border_row``.  ``out``
    holds zeros on entry: with a constant 0 border, pixels whose taps are
    all outside are 0 (+0.0) and skipped."""
    rows, cols, nk = img.shape[0], img.shape[1], img.shape[2]
    zero_fill = mode == 0 and cval == 0
    one = as_type_of(1.0, cval)
    todo = np.empty(out.shape[1], np.int64)
    src_r = np.empty(out.shape[1], img.dtype)
    src_c = np.empty(out.shape[1], img.dtype)
    for tr in range(start, stop):
        _source_row(m, kind, as_type_of(tr, cval), src_r, src_c)
        n = 0
        for tc in range(out.shape[1]):
            r = src_r[tc]
            c = src_c[tc]
            rf = np.floor(r)
            cf = np.floor(c)
            # ceil without a second libm call (equal for every float: NaN
            # and inf compare unequal or equal to their floor alike)
            rc = rf if rf == r else rf + one
            cc = cf if cf == c else cf + one
            if not (rf >= 0 and rc < rows and cf >= 0 and cc < cols):
                # every tap is cval = 0: the result is +0.0, already in out
                # (not for an infinite coordinate: its weights make NaN)
                if not (zero_fill and np.isfinite(r) and np.isfinite(c)
                        and (rc < 0 or rf >= rows or cc < 0 or cf >= cols)):
                    todo[n] = tc
                    n += 1
                continue
            # unsigned indices: no negative-index wraparound check per read
            minr, minc = np.uint64(rf), np.uint64(cf)
            maxr, maxc = np.uint64(rc), np.uint64(cc)
            dr = r - rf
            dc = c - cf
            # the anchor's compiled ``1 - dc`` is a double: the left weight
            # and its product are float64, the right product is in the
            # image's type (measured: float32 images match only so)
            wr = 1.0 - np.float64(dr)
            wc = 1.0 - np.float64(dc)
            for k in range(nk):
                top = wc * np.float64(img[minr, minc, k]) + np.float64(dc * img[minr, maxc, k])
                bottom = (wc * np.float64(img[maxr, minc, k])
                          + np.float64(dc * img[maxr, maxc, k]))
                out[tr, tc, k] = as_type_of(wr * top + np.float64(dr) * bottom, cval)
        _border_row(img, m, kind, 1, mode, cval, out, tr, todo, n)


#: pixels per block of ``cubic_rows``' gathered taps (16 KiB of float32)
_GATHER = 256
#: coordinates below this in magnitude are exact longs after ``floor``
_BIG = 2.0 ** 62


@kernel
def cubic_rows(img, m, kind, mode, cval, out, start, stop):
    """``linear_rows`` at order 3 (skimage's bicubic, Catmull-Rom)."""
    rows, cols, nk = img.shape[0], img.shape[1], img.shape[2]
    zero_fill = mode == 0 and cval == 0
    half = as_type_of(0.5, cval)
    two = as_type_of(2.0, cval)
    three = as_type_of(3.0, cval)
    four = as_type_of(4.0, cval)
    five = as_type_of(5.0, cval)

    def cubic(x, f0, f1, f2, f3):
        # skimage's ``cubic_interpolation``, its operation order
        return f1 + half * x * (f2 - f0 + x * (two * f0 - five * f1 + four * f2 - f3
                                               + x * (three * (f1 - f2) + f3 - f0)))

    ncol = out.shape[1]
    todo = np.empty(ncol, np.int64)
    src_r = np.empty(ncol, img.dtype)
    src_c = np.empty(ncol, img.dtype)
    # the pixels of a row (their columns, first taps, fractions, whether a
    # tap crosses the border), their 16 taps gathered tap by tap, then the
    # sums in a loop across pixels, which the compiler vectorises (each
    # pixel still sees the anchor's operations in its order): about 2x
    # faster than a loop per pixel
    inner = np.empty(ncol, np.int64)
    edge = np.zeros(ncol, np.bool_)
    first_r = np.empty(ncol, np.int64)
    first_c = np.empty(ncol, np.int64)
    frac_r = np.empty(ncol, img.dtype)
    frac_c = np.empty(ncol, img.dtype)
    # blocks of _GATHER pixels, the rows of ``taps`` padded apart: 16 rows
    # 4 KiB apart share cache sets (a 2048-wide row ran 2x slower)
    taps = np.empty((16, _GATHER + 16), img.dtype)
    res = np.empty(_GATHER, img.dtype)
    for tr in range(start, stop):
        _source_row(m, kind, as_type_of(tr, cval), src_r, src_c)
        n = 0
        ni = 0
        for tc in range(ncol):
            r = src_r[tc]
            c = src_c[tc]
            rf = np.floor(r)
            cf = np.floor(c)
            border = not (rf >= 1 and rf + 2 < rows and cf >= 1 and cf + 2 < cols)
            if border:
                if (zero_fill and np.isfinite(r) and np.isfinite(c)
                        and (rf + 2 < 0 or rf - 1 >= rows or cf + 2 < 0 or cf - 1 >= cols)):
                    continue
                if not (abs(r) < _BIG and abs(c) < _BIG):
                    # NaN, infinite or huge: the anchor's casts to long
                    todo[n] = tc
                    n += 1
                    continue
            xr = r - rf
            xc = c - cf
            r0 = np.int64(rf) - 1
            c0 = np.int64(cf) - 1
            edge[ni] = border
            inner[ni] = tc
            frac_r[ni] = xr
            frac_c[ni] = xc
            first_r[ni] = r0
            first_c[ni] = c0
            ni += 1
        for k in range(nk):
            for j0 in range(0, ni, _GATHER):
                j1 = min(ni, j0 + _GATHER)
                for j in range(j0, j1):
                    r0 = first_r[j]
                    c0 = first_c[j]
                    if edge[j]:
                        # taps across the border: numpy.pad's rule or cval
                        q0 = _mapped(cols, c0, mode)
                        q1 = _mapped(cols, c0 + 1, mode)
                        q2 = _mapped(cols, c0 + 2, mode)
                        q3 = _mapped(cols, c0 + 3, mode)
                        for a in range(4):
                            rq = _mapped(rows, r0 + a, mode)
                            jj = j - j0
                            ok = rq >= 0
                            taps[4 * a, jj] = img[rq, q0, k] if ok and q0 >= 0 else cval
                            taps[4 * a + 1, jj] = img[rq, q1, k] if ok and q1 >= 0 else cval
                            taps[4 * a + 2, jj] = img[rq, q2, k] if ok and q2 >= 0 else cval
                            taps[4 * a + 3, jj] = img[rq, q3, k] if ok and q3 >= 0 else cval
                        continue
                    for a in range(4):
                        for b in range(4):
                            taps[4 * a + b, j - j0] = img[r0 + a, c0 + b, k]
                for j in range(j1 - j0):
                    xc = frac_c[j0 + j]
                    f0 = cubic(xc, taps[0, j], taps[1, j], taps[2, j], taps[3, j])
                    f1 = cubic(xc, taps[4, j], taps[5, j], taps[6, j], taps[7, j])
                    f2 = cubic(xc, taps[8, j], taps[9, j], taps[10, j], taps[11, j])
                    f3 = cubic(xc, taps[12, j], taps[13, j], taps[14, j], taps[15, j])
                    res[j] = cubic(frac_r[j0 + j], f0, f1, f2, f3)
                for j in range(j1 - j0):
                    out[tr, inner[j0 + j], k] = res[j]
        _border_row(img, m, kind, 3, mode, cval, out, tr, todo, n)


@kernel
def _border_row(img, m, kind, order, mode, cval, out, tr, todo, n):
    """The pixels ``todo[:n]`` of output row ``tr`` that the row loops left:
    a tap outside the image, or a NaN coordinate."""
    y = as_type_of(tr, cval)
    rows, cols = img.shape[0], img.shape[1]
    for i in range(n):
        tc = todo[i]
        r, c = _source(m, kind, as_type_of(tc, cval), y)
        if order == 1:
            # skimage's ``bilinear_interpolation`` with border taps,
            # written out (see below)
            minr, minc = _to_long(np.floor(r)), _to_long(np.floor(c))
            maxr, maxc = _to_long(np.ceil(r)), _to_long(np.ceil(c))
            dr = r - as_type_of(minr, cval)
            dc = c - as_type_of(minc, cval)
            wr = 1.0 - np.float64(dr)
            wc = 1.0 - np.float64(dc)
            r0, r1 = _mapped(rows, minr, mode), _mapped(rows, maxr, mode)
            c0, c1 = _mapped(cols, minc, mode), _mapped(cols, maxc, mode)
            for k in range(img.shape[2]):
                tl = img[r0, c0, k] if r0 >= 0 and c0 >= 0 else cval
                tr_ = img[r0, c1, k] if r0 >= 0 and c1 >= 0 else cval
                bl = img[r1, c0, k] if r1 >= 0 and c0 >= 0 else cval
                br = img[r1, c1, k] if r1 >= 0 and c1 >= 0 else cval
                top = wc * np.float64(tl) + np.float64(dc * tr_)
                bottom = wc * np.float64(bl) + np.float64(dc * br)
                out[tr, tc, k] = as_type_of(wr * top + np.float64(dr) * bottom, cval)
            continue
        # skimage's ``bicubic_interpolation`` with border taps, written
        # out: a call taking arrays costs reference counting per pixel,
        # which dominated wide borders (2x on a warp in 'edge' mode)
        r0 = _to_long(np.floor(r))
        c0 = _to_long(np.floor(c))
        xr = r - as_type_of(r0, cval)
        xc = c - as_type_of(c0, cval)
        ra = _mapped(rows, r0 - 1, mode)
        rb = _mapped(rows, r0, mode)
        rc = _mapped(rows, r0 + 1, mode)
        rd = _mapped(rows, r0 + 2, mode)
        ca = _mapped(cols, c0 - 1, mode)
        cb = _mapped(cols, c0, mode)
        ccc = _mapped(cols, c0 + 1, mode)
        cd = _mapped(cols, c0 + 2, mode)
        for k in range(img.shape[2]):
            fr0 = fr1 = fr2 = fr3 = cval
            for q in range(4):
                rq = ra if q == 0 else (rb if q == 1 else (rc if q == 2 else rd))
                v0 = img[rq, ca, k] if rq >= 0 and ca >= 0 else cval
                v1 = img[rq, cb, k] if rq >= 0 and cb >= 0 else cval
                v2 = img[rq, ccc, k] if rq >= 0 and ccc >= 0 else cval
                v3 = img[rq, cd, k] if rq >= 0 and cd >= 0 else cval
                f = _cubic(xc, v0, v1, v2, v3)
                if q == 0:
                    fr0 = f
                elif q == 1:
                    fr1 = f
                elif q == 2:
                    fr2 = f
                else:
                    fr3 = f
            out[tr, tc, k] = _cubic(xr, fr0, fr1, fr2, fr3)


@kernel
def _row_sum(img, r, c0, n, k, acc):
    """NumPy's pairwise sum (``pairwise_sum``, blocks of 8 accumulators) of
    ``n`` pixels of row ``r`` from column ``c0``, channel ``k``, in the type
    of ``acc`` (a zero); NumPy's reduction adds each block row's sum to the
    running total in turn."""
    if n < 8:
        s = acc
        for i in range(n):
            s += as_type_of(img[r, c0 + i, k], acc)
        return s
    if n <= 128:
        a0 = as_type_of(img[r, c0, k], acc)
        a1 = as_type_of(img[r, c0 + 1, k], acc)
        a2 = as_type_of(img[r, c0 + 2, k], acc)
        a3 = as_type_of(img[r, c0 + 3, k], acc)
        a4 = as_type_of(img[r, c0 + 4, k], acc)
        a5 = as_type_of(img[r, c0 + 5, k], acc)
        a6 = as_type_of(img[r, c0 + 6, k], acc)
        a7 = as_type_of(img[r, c0 + 7, k], acc)
        i = 8
        while i < n - (n % 8):
            a0 += as_type_of(img[r, c0 + i, k], acc)
            a1 += as_type_of(img[r, c0 + i + 1, k], acc)
            a2 += as_type_of(img[r, c0 + i + 2, k], acc)
            a3 += as_type_of(img[r, c0 + i + 3, k], acc)
            a4 += as_type_of(img[r, c0 + i + 4, k], acc)
            a5 += as_type_of(img[r, c0 + i + 5, k], acc)
            a6 += as_type_of(img[r, c0 + i + 6, k], acc)
            a7 += as_type_of(img[r, c0 + i + 7, k], acc)
            i += 8
        s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
        while i < n:
            s += as_type_of(img[r, c0 + i, k], acc)
            i += 1
        return s
    n2 = n // 2
    n2 -= n2 % 8
    return _row_sum(img, r, c0, n2, k, acc) + _row_sum(img, r, c0 + n2, n - n2, k, acc)


@kernel
def block_mean_rows(img, fr, fc, seq, out, start, stop):
    """``np.mean`` over ``fr x fc`` blocks of ``img`` (rows, cols, channels;
    already padded to whole blocks) for output rows [start, stop), in
    NumPy's order: for a 2-D image (one channel) the reduction's inner loop
    is a block row, summed pairwise (sequentially from 0 under 8 pixels),
    the rows' sums added in turn; with ``seq`` (colour: the channel is
    NumPy's inner loop) every pixel is added in turn, row by row.  The
    total is divided by the count in the output's type (NumPy's
    ``_mean``).  Blocks of a band are accumulated side by side in ``out``,
    one image row at a time (rows are read once, contiguously)."""
    zero = as_type_of(0.0, out[0, 0, 0])
    count = as_type_of(fr * fc, zero)
    nj, nk = out.shape[1], out.shape[2]
    for i in range(start, stop):
        for j in range(nj):
            for k in range(nk):
                out[i, j, k] = zero
        for q in range(fr):
            r = i * fr + q
            if seq:
                for j in range(nj):
                    for p in range(fc):
                        for k in range(nk):
                            out[i, j, k] += as_type_of(img[r, j * fc + p, k], zero)
            elif fc < 8:
                for j in range(nj):
                    row = zero
                    for p in range(fc):
                        row += as_type_of(img[r, j * fc + p, 0], zero)
                    out[i, j, 0] = out[i, j, 0] + row
            else:
                for j in range(nj):
                    out[i, j, 0] = out[i, j, 0] + _row_sum(img, r, j * fc, fc, 0, zero)
        for j in range(nj):
            for k in range(nk):
                out[i, j, k] = out[i, j, k] / count


@kernel
def cumsum_axis(src, out, start, stop):
    """``np.cumsum`` along axis 1 of ``src`` (outer, n, inner) into ``out``
    (the accumulator's type) for outer indices [start, stop)."""
    for o in range(start, stop):
        for t in range(src.shape[2]):
            out[o, 0, t] = as_type_of(src[o, 0, t], out[o, 0, t])
        for i in range(1, src.shape[1]):
            for t in range(src.shape[2]):
                out[o, i, t] = out[o, i - 1, t] + as_type_of(src[o, i, t], out[o, i, t])
