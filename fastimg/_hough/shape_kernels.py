"""Jitted loops of the Hough family's shapes: scikit-image 0.26's circle
voting, progressive probabilistic line transform and ellipse search
(``_hough_transform.pyx``), with the pyx's operations in its order.

* circle votes add the same increment ``1 / len(perimeter)`` k times in
  sequence, so a cell's value depends only on its vote count k: votes are
  counted exactly and mapped through the table of sequential sums;
* ellipse candidates use the pyx's float64 expressions operand for operand
  and numpy's ``arange`` / ``histogram`` bin rules.
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel
from .kernels import round_half_away, stable_argsort

#: skimage's fixed-point shift of the line walk
_SHIFT = 16
#: skimage's cut-off on the number of lines
LINES_MAX = 2 ** 15


# --------------------------------------------------------- circle voting
@kernel
def circle_vote(lin, radii, pad, out_off, normalize, acc, start, stop):
    """Votes for radii [start, stop) into ``acc[i]`` (float64).

    ``lin`` holds each edge pixel's flat index in an int32 count image
    padded by ``pad`` >= every radius on each side, so a perimeter offset is
    one constant added to every index: no bounds checks, and the raster
    ordered pixels walk the counts in raster order (skimage loops pixels
    first and adds floats; this measured ~3x faster serially).  The counts
    then become skimage's values: k votes of ``1 / len(perimeter)`` added
    in sequence (a table), or k.  ``out_off`` is where acc's (0, 0) sits in
    the padded image.
    """
    h = acc.shape[1]
    w = acc.shape[2]
    n = lin.shape[0]
    w2 = w + 2 * (pad - out_off)
    h2 = h + 2 * (pad - out_off)
    counts = np.zeros(h2 * w2, np.int32)
    pr = np.empty(0, np.int64)
    pc = np.empty(0, np.int64)
    for i in range(start, stop):
        m = perimeter(radii[i], pr, pc)
        pr = np.empty(m, np.int64)
        pc = np.empty(m, np.int64)
        perimeter(radii[i], pr, pc)
        for q in range(m):
            # unsigned indices: no negative-index test per vote (70 -> 54 ms,
            # 1024² Canny edges, 10 radii, 2 threads).  The offset may be
            # negative: as uint64 it is taken modulo 2**64, and lin + d, a
            # padded index >= 0, wraps back to the index
            d = np.uint64(pr[q] * w2 + pc[q] + w2 * h2) - np.uint64(w2 * h2)
            for p in range(n):
                counts[np.uint64(lin[p]) + d] += 1
        top = 0
        base = (pad - out_off) * w2 + (pad - out_off)
        for r in range(h):
            row = base + r * w2
            for c in range(w):
                top = max(top, counts[row + c])
        table = np.empty(top + 1, np.float64)
        if normalize and m > 0:
            incr = 1.0 / m
            s = 0.0
            table[0] = 0.0
            for k in range(1, top + 1):
                s += incr
                table[k] = s
        else:
            for k in range(top + 1):
                table[k] = np.float64(k)
        a = acc[i]
        for r in range(h):
            row = base + r * w2
            for c in range(w):
                a[r, c] = table[counts[row + c]]
        for k in range(counts.shape[0]):
            counts[k] = 0


@kernel
def perimeter(radius, rr, cc):
    """skimage.draw.circle_perimeter(0, 0, radius) ('bresenham'), in its
    point order; writes up to len(rr) points and returns the count."""
    c = 0
    r = radius
    d = 3 - 2 * radius
    m = 0
    cap = rr.shape[0]
    while r >= c:
        if m + 8 <= cap:
            rr[m] = r
            rr[m + 1] = -r
            rr[m + 2] = r
            rr[m + 3] = -r
            rr[m + 4] = c
            rr[m + 5] = -c
            rr[m + 6] = c
            rr[m + 7] = -c
            cc[m] = c
            cc[m + 1] = c
            cc[m + 2] = -c
            cc[m + 3] = -c
            cc[m + 4] = r
            cc[m + 5] = r
            cc[m + 6] = -r
            cc[m + 7] = -r
        m += 8
        if d < 0:
            d += 4 * c + 6
        else:
            d += 4 * (c - r) + 10
            r -= 1
        c += 1
    return m


@kernel
def probabilistic_lines(mask, ys, xs, order, ctheta, stheta, threshold, line_length,
                        line_gap, lines, accum):
    """skimage's ``_probabilistic_hough_line`` loop.  ``mask`` (uint8, one
    per edge pixel) is consumed; ``order`` is the shuffled pixel order (read
    from its end); ``lines`` (LINES_MAX, 4) receives x0, y0, x1, y1;
    ``accum`` is the zeroed accumulator, flat and angle-major (angle j's
    ``max_distance`` rho bins contiguous), of an integer type the caller
    proved wide enough.  Returns the number of lines.

    The pyx's votes, walks and lines in its order; only the memory layout
    and the shape of the loops differ.  On 2048² Canny edges (threshold 10:
    ~98 % of the voting pixels reach it) this ran ~2.5x faster than the
    pyx's loop compiled as written (int64 rho-major table, running maximum):

    * a pixel's cells are computed first in one branch-free, vectorised
      loop (``_rho_cells``);
    * the votes are written, then their maximum is taken in a separate
      vectorised loop and the first angle holding it searched: the pyx's
      running maximum mispredicts a branch at every new maximum;
    * angle-major cells of a narrow type: the cells one image reaches form
      one run per angle (rho within the image's extent along it), ~1 MB in
      int16 for 2048² and 180 angles, against ~4 MB of int64 spread over
      the rho-major table;
    * unsigned cell indices (no negative-index test in the vote loop);
    * the coordinates are gathered in draw order up front (independent
      loads) instead of one dependent cache miss per draw;
    * pass 1 of the walk is branch-free but for its exits (``_walk_ends``).
    """
    height, width = mask.shape
    nthetas = ctheta.shape[0]
    max_distance = 2 * np.int64(math.ceil(math.sqrt(np.float64(height * height
                                                                 + width * width))))
    offset = max_distance // 2
    # cell of (angle j, rho r) is base[j] + r
    base = np.empty(nthetas, np.int64)
    for j in range(nthetas):
        base[j] = j * max_distance + offset
    # unsigned (every cell index is >= 0): indexing skips numba's
    # negative-index test (~15 % of the call)
    cells = np.empty(nthetas, np.uint64)
    votes = np.empty(nthetas, accum.dtype)
    n = order.shape[0]
    cx = np.empty(n, xs.dtype)
    cy = np.empty(n, ys.dtype)
    for q in range(n):
        index = order[n - 1 - q]
        cx[q] = xs[index]
        cy[q] = ys[index]
    line_end = np.zeros(4, np.int64)
    # the pyx's running maximum starts at threshold - 1 (wrapping as C does)
    start = threshold - 1
    nlines = 0
    for q in range(n):
        x = np.int64(cx[q])
        y = np.int64(cy[q])
        if not mask[y, x]:
            continue
        _rho_cells(ctheta, stheta, x, y, base, cells)
        for j in range(nthetas):
            c = cells[j]
            v = accum[c] + 1
            accum[c] = v
            votes[j] = v
        top = start
        if nthetas > 0:
            m = votes[0]     # in the votes' own type: the loop vectorises
            for j in range(1, nthetas):
                m = max(m, votes[j])
            top = max(top, np.int64(m))
        if top < threshold:
            continue
        max_theta_idx = -1
        if top > start:
            max_theta_idx = 0
            while votes[max_theta_idx] != top:
                max_theta_idx += 1
        if not _take_line(mask, x, y, ctheta[max_theta_idx], stheta[max_theta_idx],
                          ctheta, stheta, line_length, line_gap, line_end, accum, base,
                          cells):
            continue
        for k in range(4):
            lines[nlines, k] = line_end[k]
        nlines += 1
        if nlines >= LINES_MAX:
            break
    return nlines


@kernel
def _rho_cells(ctheta, stheta, x, y, base, cells):
    """cells[j] = base[j] + the pyx's rounded rho of pixel (x, y) at angle
    j.  The pyx's ``(r + 0.5) if r > 0 else (r - 0.5)``, truncated, is
    ``r + copysign(0.5, r)`` truncated (also at r = +-0): no branch, so the
    loop vectorises.  r is finite (the caller zeroes NaN angles)."""
    fx = np.float64(x)
    fy = np.float64(y)
    for j in range(ctheta.shape[0]):
        r = ctheta[j] * fx + stheta[j] * fy
        cells[j] = base[j] + np.int64(r + math.copysign(0.5, r))


@kernel
def _walk_ends(mask, px, py, dx, dy, xshift, yshift, line_gap, ex, ey):
    """Pass 1 of the pyx's walk in one direction: the last mask pixel met
    before leaving the image or a gap longer than ``line_gap`` ((ex, ey)
    if none).  Positions are fixed point in one axis (shifted by
    ``xshift`` or ``yshift``, the other shift 0).  Branch-free but for the
    exits: whether a pixel is set is unpredictable."""
    height, width = mask.shape
    # the pyx tests the gap only after a miss (gap >= 1): a negative
    # line_gap ends at the first miss, as 0 does
    line_gap = max(line_gap, 0)
    gap = 0
    while True:
        x1 = px >> xshift
        y1 = py >> yshift
        if x1 < 0 or x1 >= width or y1 < 0 or y1 >= height:
            break
        hit = mask[y1, x1] != 0
        gap = 0 if hit else gap + 1
        ex = x1 if hit else ex
        ey = y1 if hit else ey
        if gap > line_gap:
            break
        px += dx
        py += dy
    return ex, ey


@kernel
def _take_line(mask, x, y, line_cos, line_sin, ctheta, stheta, line_length, line_gap,
               line_end, accum, base, cells):
    """The pyx's walks from the drawn pixel (x, y) along the line of angle
    (line_cos, line_sin): pass 1 finds both ends in ``line_end`` bridging
    gaps up to ``line_gap``; if the segment is long enough, pass 2 removes
    its pixels from ``mask`` and their votes from ``accum``.  Returns
    whether the segment was kept."""
    shift = _SHIFT
    a = -line_sin
    b = line_cos
    x0 = x
    y0 = y
    xflag = abs(a) > abs(b)
    if xflag:
        dx0 = 1 if a > 0 else -1
        dy0 = round_half_away(b * (1 << shift) / abs(a))
        y0 = (y0 << shift) + (1 << (shift - 1))
    else:
        dy0 = 1 if b > 0 else -1
        dx0 = round_half_away(a * (1 << shift) / abs(b))
        x0 = (x0 << shift) + (1 << (shift - 1))
    # pass 1: walk both ways, bridging gaps up to line_gap
    for k in range(2):
        dx = dx0 if k == 0 else -dx0
        dy = dy0 if k == 0 else -dy0
        if xflag:
            ex, ey = _walk_ends(mask, x0, y0, dx, dy, 0, shift, line_gap,
                                line_end[2 * k], line_end[2 * k + 1])
        else:
            ex, ey = _walk_ends(mask, x0, y0, dx, dy, shift, 0, line_gap,
                                line_end[2 * k], line_end[2 * k + 1])
        line_end[2 * k] = ex
        line_end[2 * k + 1] = ey
    if not (abs(line_end[3] - line_end[1]) >= line_length
            or abs(line_end[2] - line_end[0]) >= line_length):
        return False
    # pass 2: walk again, removing the pixels and their votes
    nthetas = ctheta.shape[0]
    for k in range(2):
        px = x0
        py = y0
        dx = dx0
        dy = dy0
        if k > 0:
            dx = -dx
            dy = -dy
        while True:
            if xflag:
                x1 = px
                y1 = py >> shift
            else:
                x1 = px >> shift
                y1 = py
            if mask[y1, x1]:
                mask[y1, x1] = 0
                _rho_cells(ctheta, stheta, x1, y1, base, cells)
                for j in range(nthetas):
                    accum[cells[j]] -= 1
            if x1 == line_end[2 * k] and y1 == line_end[2 * k + 1]:
                break
            px += dx
            py += dy
    return True


# ---------------------------------------------------------------- ellipses
@kernel
def ellipse_search(ys, xs, threshold, bin_size, min_size, max_b2, nbins_max, out_acc,
                   out_f, start, stop):
    """skimage's ``_hough_ellipse`` for first pixels p1 in [start, stop),
    results in its (p1, p2) order, written up to the capacity of ``out_*``.

    Returns (number of results, error, next p1): error 1 is numpy's
    "Maximum allowed size exceeded" (bin_size 0), 2 its "cannot compute
    length" (NaN/inf).  A first pixel p1 gives at most p1 results, so the
    search stops before a p1 that might not fit in ``out_*`` and returns it
    as the next p1 (``stop`` when done): the caller resumes from there with
    fresh buffers, nothing computed twice.
    The histogram is numpy's: edges ``i * bin_size`` for i < ceil((max +
    bin_size) / bin_size), values in [e_k, e_k+1) except the closed last
    bin, values above the last edge dropped, first maximal bin.
    """
    n = xs.shape[0]
    fx = np.empty(n, np.float64)
    fy = np.empty(n, np.float64)
    for i in range(n):
        fx[i] = np.float64(xs[i])
        fy[i] = np.float64(ys[i])
    cand = np.empty(max(n, 1), np.float64)
    acc = np.empty(max(n, 1), np.float64)
    # dense counts when the bins are bounded (max_b2 finite), else sorting
    counts = np.zeros(max(nbins_max, 1), np.int64)
    bins_of = np.empty(max(n, 1), np.int64)
    nres = 0
    cap = out_acc.shape[0]
    for p1 in range(start, stop):
        if nres + p1 > cap:
            return nres, 0, p1
        p1x = np.int64(xs[p1])
        p1y = np.int64(ys[p1])
        for p2 in range(p1):
            p2x = np.int64(xs[p2])
            p2y = np.int64(ys[p2])
            dx = np.float64(p1x - p2x)
            dy = np.float64(p1y - p2y)
            a = 0.5 * math.sqrt(dx * dx + dy * dy)
            if not a > 0.5 * min_size:
                continue
            xc = 0.5 * np.float64(p1x + p2x)
            yc = 0.5 * np.float64(p1y + p2y)
            m = _candidates(fx, fy, fx[p1], fy[p1], a, xc, yc, min_size, max_b2, cand)
            vmax = 0.0
            for q in range(m):
                b2 = cand[q]
                acc[q] = b2
                if q == 0 or b2 > vmax:
                    vmax = b2
            if m == 0:
                continue
            stop_v = vmax + bin_size
            if bin_size == 0:
                return nres, 1, stop
            ratio = stop_v / bin_size
            if not (ratio == ratio) or ratio == np.inf:
                return nres, 2, stop
            nedges = np.int64(math.ceil(ratio))
            last = nedges - 1
            top = np.float64(last) * bin_size
            nb = nedges - 1
            for q in range(m):
                bins_of[q] = _bin_of(acc[q], bin_size, nb, top)
            if nb <= counts.shape[0]:
                best, best_bin = _mode_dense(bins_of, m, counts)
            else:
                best, best_bin = _mode_sorted(bins_of, m)
            if best > threshold:
                orientation = math.atan2(np.float64(p1x - p2x), np.float64(p1y - p2y))
                b = math.sqrt(np.float64(best_bin) * bin_size)
                if orientation != 0:
                    orientation = math.pi - orientation
                    if orientation > math.pi:
                        orientation = orientation - math.pi / 2.0
                        a, b = b, a
                out_acc[nres] = best
                out_f[nres, 0] = yc
                out_f[nres, 1] = xc
                out_f[nres, 2] = a
                out_f[nres, 3] = b
                out_f[nres, 4] = orientation
                nres += 1
    return nres, 0, stop


@kernel
def _candidates(fx, fy, x1, y1, a, xc, yc, min_size, max_b2, out):
    """The pyx's squared minor axes b2 of one pair (p1 at x1, y1; centre xc,
    yc; half axis a) for every pixel p3, compacted into ``out`` in p3 order;
    returns their number.  The arithmetic is the pyx's, operand for operand
    (``a * a`` and ``2 * a`` hoisted give the same values); the first loop
    has no branches so it runs vectorised (exact: no fast-math, no FMA).
    """
    n = fx.shape[0]
    a2 = a * a
    ta = 2 * a
    # -1 marks a rejected p3 (b2 >= 0 whenever it is accepted)
    for p3 in range(n):
        dx = fx[p3] - xc
        dy = fy[p3] - yc
        d = math.sqrt(dx * dx + dy * dy)
        ex = fx[p3] - x1
        ey = fy[p3] - y1
        c = (a2 + d * d - ex * ex - ey * ey) / (ta * d)
        c2 = c * c
        k = a2 - d * d * c2
        b2 = a2 * d * d * (1 - c2) / k
        ok = (d > min_size) & (k > 0) & (c2 < 1) & (b2 <= max_b2)
        out[p3] = b2 if ok else -1.0
    m = 0
    for p3 in range(n):
        v = out[p3]
        if v >= 0.0:
            out[m] = v
            m += 1
    return m


@kernel
def _bin_of(v, bin_size, nb, top):
    """numpy's histogram bin of v for edges i * bin_size, i <= nb (-1: out)."""
    if not (v >= 0.0 and v <= top):
        return -1
    g = np.int64(v / bin_size)
    if g > nb - 1:
        g = nb - 1
    while g >= 1 and np.float64(g) * bin_size > v:
        g -= 1
    while g + 1 <= nb - 1 and np.float64(g + 1) * bin_size <= v:
        g += 1
    return g


@kernel
def _mode_dense(bins_of, m, counts):
    """(largest count, first bin with it) over bins_of[:m]; counts is zero
    on entry and on exit."""
    best = 0
    best_bin = 0
    for q in range(m):
        g = bins_of[q]
        if g < 0:
            continue
        c = counts[g] + 1
        counts[g] = c
        if c > best or (c == best and g < best_bin):
            best = c
            best_bin = g
    for q in range(m):
        if bins_of[q] >= 0:
            counts[bins_of[q]] = 0
    return best, best_bin


@kernel
def _mode_sorted(bins_of, m):
    """``_mode_dense`` by sorting (unbounded bin counts)."""
    order = stable_argsort(bins_of[:m])
    s = np.empty(m, np.int64)
    for q in range(m):
        s[q] = bins_of[order[q]]
    best = 0
    best_bin = 0
    q = 0
    while q < m:
        r = q
        while r < m and s[r] == s[q]:
            r += 1
        if s[q] >= 0 and r - q > best:
            best = r - q
            best_bin = s[q]
        q = r
    return best, best_bin

