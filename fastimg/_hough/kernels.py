"""Jitted loops of the Hough family's line transform and peak search
(scikit-image 0.26 ``_hough_transform.pyx`` and
``feature.peak._prominent_peaks``; circles, probabilistic lines and
ellipses are in ``shape_kernels``).

Rules copied from the anchor (the helpers name them):

* the rho bin is skimage's ``round``: ``(Py_ssize_t)(r + 0.5)`` for r > 0,
  else ``(Py_ssize_t)(r - 0.5)`` (half away from zero, C truncation), on
  ``cos(theta) * x + sin(theta) * y`` evaluated in that order in float64;
* peaks: separable maximum filter with a zero border (``mode='constant'``),
  8-connected regions numbered in raster order, centroids rounded half to
  even, regions visited by decreasing ``float64(max)`` with ties by
  decreasing label (``sorted(...)[::-1]``), skimage's neighbourhood wrap.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel

#: x86-64's result of converting NaN to an integer (cvttsd2si), which the
#: anchor's C casts produce; LLVM's conversion of NaN is undefined, so it is
#: spelled out.
NAN_INDEX = np.int64(-(2 ** 63))


@kernel
def round_half_away(r):
    """skimage's ``round`` (``_shared/interpolation.pxd``): half away from
    zero by adding +-0.5 and truncating (Numba's ``round`` is half-even)."""
    if r > 0:
        return np.int64(r + 0.5)
    if r <= 0:
        return np.int64(r - 0.5)
    return NAN_INDEX


@kernel
def round_half_even(r):
    """``np.round`` of a float64 (centroids)."""
    return np.int64(np.rint(r))


# ------------------------------------------------------------- edge pixels
@kernel
def nonzero_rows(mask, counts, start, stop):
    """Nonzero pixels per row of ``mask`` (uint8) for rows [start, stop)."""
    w = mask.shape[1]
    for r in range(start, stop):
        s = 0
        for c in range(w):
            s += mask[r, c] != 0
        counts[r] = s


@kernel
def nonzero_fill(mask, first, ys, xs, start, stop):
    """Coordinates of the nonzero pixels in raster order (``np.nonzero``);
    ``first[r]`` is the index of row r's first pixel.  Every column goes to
    a row buffer whose end moves past nonzero ones: no branch per pixel (a
    branch mispredicted on Canny edges: 2048² 3.4 -> 1.3 ms, one thread)."""
    w = mask.shape[1]
    tmp = np.empty(w + 1, np.int32)
    for r in range(start, stop):
        row = mask[r]
        k = 0
        for c in range(w):
            tmp[k] = c
            k += row[c] != 0
        f = first[r]
        for i in range(k):
            xs[f + i] = tmp[i]
            ys[f + i] = r


# ------------------------------------------------------------ line voting
@kernel
def rho_bin(r):
    """skimage's ``round`` of a finite rho: +-0.5, then truncation (the
    wrapper zeroes NaN angles, whose votes land on rho = 0 as in skimage)."""
    return np.int64(r + (0.5 if r > 0 else -0.5))


#: Angles per pass of :func:`line_vote` over the pixels (the wrapper's
#: blocks hold whole groups), and pixels per batch (bins in L1).
LINE_ANGLES = 8
LINE_BATCH = 512


@kernel
def line_vote(ys, xs, ctheta, stheta, offset, accum, start, stop):
    """Votes of every edge pixel for the angles [start, stop) into
    ``accum[:, start:stop]`` (uint64, zeroed); parallel blocks own columns.
    Per group of 8 angles and batch of pixels: the bins (``rho_bin`` +
    offset + the angle's histogram start, uint32) in loops LLVM vectorises,
    then 8 counts per pixel in uint32 histograms (independent chains, no
    negative-index fix-up).  2048² / 4096² Canny edges, one thread: 0.37 /
    0.43 ns per vote, 0.75 / 0.8 computing and counting 4 angles' votes one
    by one; uint16 histograms: no faster.  Fewer angles: 0.6-0.7 ns."""
    n = xs.shape[0]
    nrho = accum.shape[0]
    group = LINE_ANGLES if LINE_ANGLES * nrho < 2 ** 31 else 1   # uint32 bins
    cnt = np.zeros(min(group, max(stop - start, 0)) * nrho, np.uint32)
    bins = np.empty((LINE_ANGLES, LINE_BATCH), np.uint32)
    xf = np.empty(LINE_BATCH, np.float64)
    yf = np.empty(LINE_BATCH, np.float64)
    j0 = start
    while j0 < stop:
        g = min(group, stop - j0)
        for i0 in range(0, n, LINE_BATCH):
            m = min(LINE_BATCH, n - i0)
            xb = xs[i0:i0 + m]   # slices: loops over i alone vectorise
            yb = ys[i0:i0 + m]
            for i in range(m):
                xf[i] = xb[i]
                yf[i] = yb[i]
            for a in range(g):
                c, s, base = ctheta[j0 + a], stheta[j0 + a], a * nrho + offset
                row = bins[a]
                for i in range(m):
                    row[i] = np.uint32(rho_bin(c * xf[i] + s * yf[i]) + base)
            if g == LINE_ANGLES:
                for i in range(m):
                    for a in range(LINE_ANGLES):
                        cnt[bins[a, i]] += 1
            else:
                for a in range(g):
                    row = bins[a]
                    for i in range(m):
                        cnt[row[i]] += 1
        for rho in range(nrho):
            for a in range(g):
                accum[rho, j0 + a] = cnt[a * nrho + rho]
        cnt[:] = 0
        j0 += g


# ------------------------------------------------------------------ peaks
@kernel
def max_filter_2d(img, my, mx, out):
    """Zero-border maximum filter, axis 0 (half-width my) then axis 1 (mx):
    ``ndi.maximum_filter1d`` twice with ``mode='constant', cval=0`` (exact:
    no NaN here, the wrapper sends NaN images to SciPy)."""
    rows, cols = img.shape
    if rows == 0 or cols == 0:
        return
    if my == 0:
        _max_filter_axis1(img, mx, out, 0, rows)
        return
    tmp = np.empty((rows, cols), img.dtype)
    _max_filter_axis0(img, my, tmp, 0, cols)
    _max_filter_axis1(tmp, mx, out, 0, rows)


@kernel
def _max_filter_axis0(img, my, tmp, c0, c1):
    """Axis-0 maximum (half-width my > 0) of columns [c0, c1) into tmp.

    Padded row i is image row i - my (zeros outside: the cval); out row
    r = max(H[r], G[r + 2my]), H / G the suffix / prefix maxima within
    blocks of w = 2my + 1 rows (van Herk / Gil-Werman: 3 comparisons per
    cell whatever w).  Only block k's H and blocks k, k+1 of G are alive
    (cache-resident; whole-image G / H arrays measured 2x slower on the
    2048 Hough space); plain 2-D indexing, no per-row views or calls
    (those cost more than the comparisons).
    """
    rows = img.shape[0]
    nc = c1 - c0
    if nc <= 0:
        return
    w = 2 * my + 1
    total = rows + 2 * my
    nb = (total + w - 1) // w
    H = np.empty((w, nc), img.dtype)
    G = np.empty((2, w, nc), img.dtype)
    _prefix_block(img, 0, min(w, total), my, G, 0, c0)
    for k in range(nb):
        b0 = k * w
        b1 = min(b0 + w, total)
        # suffix maxima of block k
        for i in range(b1 - 1, b0 - 1, -1):
            r = i - my
            ii = i - b0
            inside = 0 <= r < rows
            if i == b1 - 1:
                for c in range(nc):
                    H[ii, c] = img[r, c0 + c] if inside else 0
            elif inside:
                for c in range(nc):
                    hn = H[ii + 1, c]
                    v = img[r, c0 + c]
                    H[ii, c] = hn if hn >= v else v
            else:
                for c in range(nc):
                    hn = H[ii + 1, c]
                    H[ii, c] = hn if hn >= 0 else 0
        if b1 < total:
            _prefix_block(img, b1, min(b1 + w, total), my, G, (k + 1) % 2, c0)
        g0 = k % 2
        g1 = (k + 1) % 2
        for r in range(b0, min(b1, rows)):
            t = r + 2 * my
            for c in range(nc):
                a = H[r - b0, c]
                if t < b1:
                    b = G[g0, t - b0, c]
                else:
                    b = G[g1, t - b1, c]
                tmp[r, c0 + c] = a if a >= b else b


@kernel
def _prefix_block(img, b0, b1, my, G, g, c0):
    """Prefix maxima of padded rows [b0, b1) (columns from c0) into G[g]."""
    rows = img.shape[0]
    nc = G.shape[2]
    for i in range(b0, b1):
        r = i - my
        ii = i - b0
        inside = 0 <= r < rows
        if i == b0:
            for c in range(nc):
                G[g, ii, c] = img[r, c0 + c] if inside else 0
        elif inside:
            for c in range(nc):
                gp = G[g, ii - 1, c]
                v = img[r, c0 + c]
                G[g, ii, c] = gp if gp >= v else v
        else:
            for c in range(nc):
                gp = G[g, ii - 1, c]
                G[g, ii, c] = gp if gp >= 0 else 0


@kernel
def _max_filter_axis1(tmp, mx, out, ra, rb):
    """The zero-border maximum filter along axis 1 (half-width mx), rows
    [ra, rb)."""
    cols = tmp.shape[1]
    if mx == 0:
        for r in range(ra, rb):
            for c in range(cols):
                out[r, c] = tmp[r, c]
        return
    # axis 1: the same blocks along columns on tiles of _TILE rows stored
    # column-major, so the running maxima are vectorised across the rows
    # (a per-row scan is one dependent comparison per element)
    w1 = 2 * mx + 1
    L = cols + 2 * mx
    tile = np.zeros((L, _TILE), tmp.dtype)
    G = np.empty((L, _TILE), tmp.dtype)
    Hs = np.empty((L, _TILE), tmp.dtype)
    for r0 in range(ra, rb, _TILE):
        nr = min(_TILE, rb - r0)
        for q in range(nr):
            src = tmp[r0 + q]
            for c in range(cols):
                tile[c + mx, q] = src[c]
        for b0 in range(0, L, w1):
            b1 = min(b0 + w1, L)
            for q in range(_TILE):
                G[b0, q] = tile[b0, q]
            for i in range(b0 + 1, b1):
                for q in range(_TILE):
                    a = G[i - 1, q]
                    v = tile[i, q]
                    G[i, q] = a if a >= v else v
            for q in range(_TILE):
                Hs[b1 - 1, q] = tile[b1 - 1, q]
            for i in range(b1 - 2, b0 - 1, -1):
                for q in range(_TILE):
                    a = Hs[i + 1, q]
                    v = tile[i, q]
                    Hs[i, q] = a if a >= v else v
        for q in range(nr):
            dst = out[r0 + q]
            for c in range(cols):
                a = Hs[c, q]
                b = G[c + 2 * mx, q]
                dst[c] = a if a >= b else b


#: Rows per tile of the axis-1 maximum filter.
_TILE = 8


@kernel
def prominent_peaks(img, img_max, my, mx, thr, lazy, out_v, out_y, out_x):
    """skimage's ``_prominent_peaks`` after the maximum filter.

    ``img_max`` is modified (suppressed neighbourhoods).  Peaks are written
    up to the capacity of ``out_*``.  Returns (number of peaks, bad index,
    error flag): flag 1 means skimage's fancy assignment would raise
    IndexError for that x index.
    """
    rows, cols = img.shape
    labels = np.empty((rows, cols), np.int32)
    # foreground: (img * (img == img_max)) > threshold
    nreg = 0
    for r in range(rows):
        for c in range(cols):
            v = img[r, c]
            m = img_max[r, c]
            wv = v if v == m else v - v
            labels[r, c] = -1 if wv > thr else 0
    # 8-connected regions numbered in raster order of their first pixel
    # (skimage's label); no array is reassigned inside these loops (Numba
    # would refcount them on every pixel)
    stack = np.empty(max(rows * cols, 1), np.int64)
    for r in range(rows):
        for c in range(cols):
            if labels[r, c] != -1:
                continue
            nreg += 1
            labels[r, c] = nreg
            sp = 0
            stack[sp] = r * cols + c
            sp += 1
            while sp > 0:
                sp -= 1
                p = stack[sp]
                pr = p // cols
                pc = p - pr * cols
                for qr in range(max(pr - 1, 0), min(pr + 2, rows)):
                    for qc in range(max(pc - 1, 0), min(pc + 2, cols)):
                        if labels[qr, qc] == -1:
                            labels[qr, qc] = nreg
                            stack[sp] = qr * cols + qc
                            sp += 1
    sum_r = np.zeros(nreg, np.int64)
    sum_c = np.zeros(nreg, np.int64)
    cnt = np.zeros(nreg, np.int64)
    key = np.zeros(nreg, np.float64)
    seen = np.zeros(nreg, np.bool_)
    for r in range(rows):
        for c in range(cols):
            g = labels[r, c] - 1
            if g < 0:
                continue
            sum_r[g] += r
            sum_c[g] += c
            cnt[g] += 1
            # regionprops' intensity_max: np.max (NaN wins) as float64
            val = np.float64(img_max[r, c])
            if not seen[g]:
                key[g] = val
                seen[g] = True
            elif key[g] == key[g] and (val > key[g] or val != val):
                key[g] = val
    # sorted by key (stable, ascending), visited in reverse
    order = stable_argsort(key)
    npk = 0
    for o in range(nreg - 1, -1, -1):
        g = order[o]
        y = round_half_even(np.float64(sum_r[g]) / np.float64(cnt[g]))
        x = round_half_even(np.float64(sum_c[g]) / np.float64(cnt[g]))
        acc = img_max[y, x]
        if lazy and acc != acc:     # not computed by lazy_max: compute now
            acc = window_max(img, y, x, my, mx)
        if not acc > thr:
            continue
        # numpy checks every index of the fancy assignment first
        for dy in range(-my, my + 1):
            yy = y + dy
            if not (yy > 0 and yy < rows):
                continue
            for dx in range(-mx, mx + 1):
                xx = x + dx
                if xx < 0:
                    xx += cols
                elif xx >= cols:
                    xx -= cols
                if xx < -cols or xx >= cols:
                    return npk, xx, 1
        for dy in range(-my, my + 1):
            yy = y + dy
            if not (yy > 0 and yy < rows):
                continue
            for dx in range(-mx, mx + 1):
                xx = x + dx
                ty = yy
                if xx < 0:
                    ty = rows - yy
                    xx += cols
                elif xx >= cols:
                    ty = rows - yy
                    xx -= cols
                if xx < 0:
                    xx += cols
                img_max[ty, xx] = 0
        if npk < out_v.shape[0]:
            out_v[npk] = acc
            out_y[npk] = y
            out_x[npk] = x
        npk += 1
    return npk, 0, 0


@kernel
def window_max(img, r, c, my, mx):
    """The zero-border filter's value at (r, c): the maximum over the
    window inside the image, and 0 if the window crosses the border (no
    NaN: the maximum is the same in any order)."""
    rows, cols = img.shape
    r0 = max(r - my, 0)
    r1 = min(r + my + 1, rows)
    c0 = max(c - mx, 0)
    c1 = min(c + mx + 1, cols)
    m = img[r0, c0]
    for rr in range(r0, r1):
        for cc in range(c0, c1):
            v = img[rr, cc]
            if v > m:
                m = v
    if (r - my < 0 or r + my + 1 > rows or c - mx < 0 or c + mx + 1 > cols) and m < 0:
        m = 0.0
    return m


@kernel
def lazy_max(img, my, mx, thr, budget, img_max):
    """The filter only where ``prominent_peaks`` needs it when thr >= 0:
    cells with img > thr (the plateau mask; elsewhere img * mask is 0 or
    less, never above thr).  Other cells get NaN, "not computed", and the
    peak loop computes a centroid's value on demand (``window_max``).
    Returns False, doing nothing, when more than ``budget`` cells are
    above thr (then filtering everything is cheaper)."""
    rows, cols = img.shape
    n = 0
    for r in range(rows):
        for c in range(cols):
            n += img[r, c] > thr
    if n > budget:
        return False
    for r in range(rows):
        for c in range(cols):
            v = img[r, c]
            if v > thr:
                img_max[r, c] = window_max(img, r, c, my, mx)
            else:
                img_max[r, c] = np.nan
    return True


@kernel
def stable_argsort(key):
    """Indices sorting ``key`` ascending, ties in index order (bottom-up
    merge sort; Numba's ``argsort(kind='mergesort')`` compiled for seconds)."""
    n = key.shape[0]
    a = np.arange(n)
    b = np.empty(n, np.int64)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                # take the right element only if strictly smaller (stable)
                if key[a[j]] < key[a[i]]:
                    b[k] = a[j]
                    j += 1
                else:
                    b[k] = a[i]
                    i += 1
                k += 1
            while i < mid:
                b[k] = a[i]
                i += 1
                k += 1
            while j < hi:
                b[k] = a[j]
                j += 1
                k += 1
        for q in range(n):
            a[q] = b[q]
        width *= 2
    return a


@kernel
def prominent_peaks_stack(imgs, maxes, my, mx, thr, lazy, out_v, out_y, out_x,
                          counts, errs, start, stop):
    """``prominent_peaks`` of the 2-D slices [start, stop) (circle peaks)."""
    for i in range(start, stop):
        n, bad, flag = prominent_peaks(imgs[i], maxes[i], my, mx, thr[i], lazy,
                                       out_v[i], out_y[i], out_x[i])
        counts[i] = n
        errs[i, 0] = bad
        errs[i, 1] = flag


@kernel
def max_filter_stack(imgs, my, mx, out, start, stop):
    for i in range(start, stop):
        max_filter_2d(imgs[i], my, mx, out[i])

