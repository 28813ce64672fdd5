"""Jitted cores of ``regionprops_table``: every label's statistics in a few
passes over the label image (3-D; a 2-D image is one plane).

* :func:`region_scan`: counts, boxes and integer
  coordinate sums;
* :func:`region_int_stats`: min, max and exact sums of small integer
  intensities;
* :func:`region_moments_2d`: the moments of order <= 3 summed as
  scikit-image's matrix products sum them;
* :func:`region_order`: each label's pixels in C order (a counting sort),
  the order of scikit-image's ``image_intensity[image]``;
* :func:`region_intensity`, :func:`region_sums`: min, max, mean and
  variance, and plain sums, with NumPy's pairwise summation (so float
  means equal ``np.mean``'s);
* :func:`grid_in_polygon`: where each grid point lies relative to a
  polygon (the convex hull image).
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def region_scan(lab, nlab, count, lo, hi, isum):
    """``lab`` (D, H, W) integers; labels 1..nlab counted (others
    ignored).  ``lo`` / ``hi`` (nlab+1, 3) receive the box (hi exclusive),
    ``isum`` (nlab+1, 3) the integer coordinate sums."""
    d, h, w = lab.shape
    for z in range(d):
        for r in range(h):
            for c in range(w):
                v = lab[z, r, c]
                if v < 1 or v > nlab:
                    continue
                k = np.int64(v)
                if count[k] == 0:
                    lo[k, 0] = z
                    lo[k, 1] = r
                    lo[k, 2] = c
                    hi[k, 0] = z + 1
                    hi[k, 1] = r + 1
                    hi[k, 2] = c + 1
                else:
                    lo[k, 0] = min(lo[k, 0], z)
                    lo[k, 1] = min(lo[k, 1], r)
                    lo[k, 2] = min(lo[k, 2], c)
                    hi[k, 0] = max(hi[k, 0], z + 1)
                    hi[k, 1] = max(hi[k, 1], r + 1)
                    hi[k, 2] = max(hi[k, 2], c + 1)
                count[k] += 1
                isum[k, 0] += z
                isum[k, 1] += r
                isum[k, 2] += c


@kernel
def region_order(lab, nlab, start, order):
    """Flat C indices of each label's pixels, label by label, in C order:
    label k's are ``order[start[k]:start[k + 1]]`` (``start`` holds the
    exclusive prefix sums of the counts; it is advanced in place)."""
    flat = lab.reshape(-1)
    for p in range(flat.shape[0]):
        v = flat[p]
        if v < 1 or v > nlab:
            continue
        k = np.int64(v)
        order[start[k]] = p
        start[k] += 1


@kernel
def _pairwise(a, lo, n, zero):
    """NumPy's pairwise sum of ``a[lo:lo + n]`` (8 accumulators per block
    of at most 128, halves split at a multiple of 8), in ``a``'s type
    (``zero``: a 0 of that type)."""
    if n < 8:
        res = zero
        for i in range(lo, lo + n):
            res += a[i]
        return res
    if n <= 128:
        r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
        r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
        m = n - n % 8
        for i in range(8, m, 8):
            j = lo + i
            r0 += a[j]
            r1 += a[j + 1]
            r2 += a[j + 2]
            r3 += a[j + 3]
            r4 += a[j + 4]
            r5 += a[j + 5]
            r6 += a[j + 6]
            r7 += a[j + 7]
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for i in range(m, n):
            res += a[lo + i]
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _pairwise(a, lo, n2, zero) + _pairwise(a, lo + n2, n - n2, zero)


@kernel
def region_intensity(vals, start, cnt, dev, mn, mx, mean, var):
    """Per label k (``vals[start[k]:start[k + 1]]``, the values in the
    accumulation type: float64 for integers): min, max, ``sum / n`` and the
    mean squared deviation, as ``np.min``, ``np.max``, ``np.mean`` and
    ``np.var`` compute them; ``cnt`` holds the counts in that type, ``dev``
    is scratch of ``vals``' size; ``mean`` and ``var`` are of that type."""
    for k in range(start.shape[0] - 1):
        lo = start[k]
        n = start[k + 1] - lo
        if n == 0:
            continue
        a = vals[lo]
        b = vals[lo]
        for i in range(lo, lo + n):
            x = vals[i]
            # NaN wins, as in NumPy's reductions
            if x < a or np.isnan(x):
                a = x if not np.isnan(a) else a
            if x > b or np.isnan(x):
                b = x if not np.isnan(b) else b
        mn[k] = a
        mx[k] = b
        z = cnt[k] - cnt[k]
        m = _pairwise(vals, lo, n, z) / cnt[k]
        mean[k] = m
        for i in range(lo, lo + n):
            t = vals[i] - m
            dev[i] = t * t
        var[k] = _pairwise(dev, lo, n, z) / cnt[k]


@kernel
def region_sums(vals, start, out):
    """``out[k]``: NumPy's pairwise sum of ``vals[start[k]:start[k + 1]]``
    (float64)."""
    for k in range(start.shape[0] - 1):
        out[k] = _pairwise(vals, start[k], start[k + 1] - start[k], 0.0)


@kernel
def _fma(a, b, c):
    """``a * b + c`` rounded once (BLAS kernels' fused multiply-add),
    emulated: the product's exact error (Dekker) and the sum's (Knuth)
    folded into the rounded sum."""
    p = a * b
    split = 134217729.0     # 2**27 + 1
    t = split * a
    ah = t - (t - a)
    al = a - ah
    t = split * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    v = s - p
    err = (p - (s - v)) + (c - v)
    return s + (err + e)


@kernel
def region_moments_2d(lab, nlab, lo, rowoff, coloff, prow, pcol, weights, weighted, colsum,
                      out):
    """Moments of order <= 3 of each label of the 2-D ``lab`` as
    scikit-image's two matrix products give them: per column of the
    label's box, ``colsum[j, p] = sum over rows of prow[i, p]`` (row by
    row; ``weighted``: of ``weights[r, c] * prow[i, p]``, fused), then
    ``out[k, p, q]`` summed column by column with fused multiply-adds.  ``prow`` / ``pcol`` hold the powers 0..3 of each box
    row's / column's offset (``rowoff`` / ``coloff``: a label's first row
    there); ``colsum`` starts at 0."""
    h, w = lab.shape
    for r in range(h):
        for c in range(w):
            v = lab[r, c]
            if v < 1 or v > nlab:
                continue
            k = np.int64(v)
            i = rowoff[k] + r - lo[k, 0]
            j = coloff[k] + c - lo[k, 1]
            if weighted:
                x = weights[r, c]
                for p in range(4):
                    colsum[j, p] = _fma(x, prow[i, p], colsum[j, p])
            else:
                for p in range(4):
                    colsum[j, p] += prow[i, p]
    for k in range(1, nlab + 1):
        for p in range(4):
            for q in range(4):
                acc = 0.0
                for j in range(coloff[k], coloff[k + 1]):
                    acc = _fma(colsum[j, p], pcol[j, q], acc)
                out[k, p, q] = acc
@kernel
def region_int_stats(lab, nlab, vals, mn, mx, total):
    """Min, max and exact integer sum of the (small integer) ``vals`` of
    each label (flat ``lab`` and ``vals`` of one size); ``mn`` / ``mx``
    start at the type's max / min."""
    for p in range(lab.shape[0]):
        v = lab[p]
        if v < 1 or v > nlab:
            continue
        k = np.int64(v)
        x = vals[p]
        if x < mn[k]:
            mn[k] = x
        if x > mx[k]:
            mx[k] = x
        total[k] += x


@kernel
def grid_in_polygon(vr, vc, out):
    """``out[m, n]``: where the point (m, n) lies relative to the polygon of
    vertices (``vr``, ``vc``): 0 outside, 1 inside, 2 on a vertex (within
    1e-12), 3 on an edge (O'Rourke's ray crossings: left and right crossing
    counts of different parity), as scikit-image's ``grid_points_in_poly``
    labels them."""
    nv = vr.shape[0]
    eps = 1e-12
    for m in range(out.shape[0]):
        for n in range(out.shape[1]):
            x = np.float64(m)
            y = np.float64(n)
            x1 = vr[nv - 1] - x
            y1 = vc[nv - 1] - y
            right = 0
            left = 0
            res = np.uint8(255)
            for i in range(nv):
                x0 = vr[i] - x
                y0 = vc[i] - y
                if -eps < x0 < eps and -eps < y0 < eps:
                    res = np.uint8(2)
                    break
                if (y0 > 0) != (y1 > 0):
                    if (x0 * y1 - x1 * y0) / (y1 - y0) > 0:
                        right += 1
                if (y0 < 0) != (y1 < 0):
                    if (x0 * y1 - x1 * y0) / (y1 - y0) < 0:
                        left += 1
                x1 = x0
                y1 = y0
            if res == 255:
                if (right & 1) != (left & 1):
                    res = np.uint8(3)
                elif right & 1:
                    res = np.uint8(1)
                else:
                    res = np.uint8(0)
            out[m, n] = res


@kernel
def region_perimeter_codes(lab, nlab, border, hist):
    """Each label's histogram of skimage's perimeter codes (2-D ``lab``):
    its border pixels (those with a 4-neighbour of another label, or on the
    image's edge: what an erosion of the region's box by the cross removes)
    each coded ``1 + 2 * (4-neighbours on the same label's border) + 10 *
    (diagonal ones)`` into ``hist[label, code]``; ``border`` is uint8
    scratch of ``lab``'s shape."""
    h, w = lab.shape
    for r in range(h):
        for c in range(w):
            v = lab[r, c]
            b = 0
            if v >= 1 and v <= nlab:
                if r == 0 or r == h - 1 or c == 0 or c == w - 1:
                    b = 1
                elif (lab[r - 1, c] != v or lab[r + 1, c] != v or lab[r, c - 1] != v
                      or lab[r, c + 1] != v):
                    b = 1
            border[r, c] = b
    for r in range(h):
        for c in range(w):
            if border[r, c] == 0:
                continue
            v = lab[r, c]
            code = 1
            for dr in range(-1, 2):
                for dc in range(-1, 2):
                    if dr == 0 and dc == 0:
                        continue
                    rr = r + dr
                    cc = c + dc
                    if rr < 0 or rr >= h or cc < 0 or cc >= w:
                        continue
                    if border[rr, cc] == 1 and lab[rr, cc] == v:
                        code += 2 if (dr == 0 or dc == 0) else 10
            hist[np.int64(v), code] += 1


@kernel
def region_configurations(lab, nlab, hist):
    """Each label's histogram of 2x2 configurations (2-D ``lab``), as
    skimage codes them on the region's one-pixel padded box: the window
    whose bottom-right pixel is (r, c) codes ``[r, c] + 2 [r - 1, c] + 4 [r,
    c - 1] + 8 [r - 1, c - 1]`` (1 where the pixel has the label); only the
    windows holding one of the label's pixels are counted (the others code
    0, which no table weighs)."""
    h, w = lab.shape
    for r in range(h + 1):
        for c in range(w + 1):
            # the window's pixels, bottom-right first; -1 outside the image
            p0 = lab[r, c] if r < h and c < w else -1
            p1 = lab[r - 1, c] if r > 0 and c < w else -1
            p2 = lab[r, c - 1] if r < h and c > 0 else -1
            p3 = lab[r - 1, c - 1] if r > 0 and c > 0 else -1
            _count_window(hist, nlab, p0, p1, p2, p3, p0)
            if p1 != p0:
                _count_window(hist, nlab, p0, p1, p2, p3, p1)
            if p2 != p0 and p2 != p1:
                _count_window(hist, nlab, p0, p1, p2, p3, p2)
            if p3 != p0 and p3 != p1 and p3 != p2:
                _count_window(hist, nlab, p0, p1, p2, p3, p3)


@kernel
def _count_window(hist, nlab, p0, p1, p2, p3, v):
    """One window's configuration for label ``v`` (each label of a window
    counted once)."""
    if v < 1 or v > nlab:
        return
    code = ((1 if p0 == v else 0) + (2 if p1 == v else 0) + (4 if p2 == v else 0)
            + (8 if p3 == v else 0))
    hist[np.int64(v), code] += 1
