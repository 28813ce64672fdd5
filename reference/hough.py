"""Hough transforms, written the obvious way (the definition fastimg is
tested against).  Encodes scikit-image 0.26's rules:

* rho bin ``round(cos(t) * x + sin(t) * y) + offset``, offset
  ``ceil(hypot(M, N))``, with C's half-away-from-zero rounding
  (``trunc(r + 0.5)`` for r > 0, ``trunc(r - 0.5)`` otherwise), uint64 votes;
* peaks: zero-border maximum filter (rows by ``min_ydistance``, columns by
  ``min_xdistance``), plateau mask, threshold (default half the maximum),
  8-connected regions in raster order, visited by decreasing maximum (ties:
  later region first), centroid rounded half to even, neighbourhood
  suppression on rows 1 .. M-1 with columns wrapped onto the mirrored row;
* circles: Bresenham perimeter (``draw.circle_perimeter`` order and
  duplicates), each vote adding ``1 / len(perimeter)`` (or 1) in sequence;
* probabilistic lines and ellipses: skimage's loops, in plain Python.

Never imports fastimg or scikit-image.  Slow: small images only.
"""
from __future__ import annotations

import math
from collections import deque

import numpy as np


def round_half_away(r):
    """C's ``(Py_ssize_t)(r + 0.5)`` / ``(Py_ssize_t)(r - 0.5)``."""
    r = np.asarray(r, dtype=np.float64)
    return np.where(r > 0, np.trunc(r + 0.5), np.trunc(r - 0.5)).astype(np.int64)


def hough_line(image, theta=None):
    if theta is None:
        theta = np.linspace(-np.pi / 2, np.pi / 2, 180, endpoint=False)
    image = np.asarray(image)
    rows, cols = image.shape
    offset = math.ceil(math.sqrt(rows * rows + cols * cols))
    accum = np.zeros((2 * offset + 1, len(theta)), dtype=np.uint64)
    ys, xs = np.nonzero(image)
    for j, t in enumerate(theta):
        rho = np.cos(t) * xs + np.sin(t) * ys
        np.add.at(accum[:, j], round_half_away(rho) + offset, 1)
    return accum, theta, np.linspace(-offset, offset, 2 * offset + 1)


def _max_filter1d(img, half, axis):
    """Maximum over a window of 2 * half + 1 along ``axis``, zero beyond
    the border (scipy.ndimage.maximum_filter1d, mode='constant', cval=0)."""
    pad = [(0, 0), (0, 0)]
    pad[axis] = (half, half)
    padded = np.pad(img, pad, mode="constant", constant_values=0)
    n = img.shape[axis]
    windows = [np.take(padded, np.arange(k, k + n), axis=axis) for k in range(2 * half + 1)]
    return np.maximum.reduce(windows)


def _label8(mask):
    """8-connected components numbered 1, 2, ... in raster order of their
    first pixel (scipy.ndimage.label with a 3x3 structure), by breadth-first
    search."""
    labels = np.zeros(mask.shape, np.int64)
    n = 0
    rows, cols = mask.shape
    for y0 in range(rows):
        for x0 in range(cols):
            if not mask[y0, x0] or labels[y0, x0]:
                continue
            n += 1
            labels[y0, x0] = n
            queue = deque([(y0, x0)])
            while queue:
                y, x = queue.popleft()
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        yy, xx = y + dy, x + dx
                        if (0 <= yy < rows and 0 <= xx < cols and mask[yy, xx]
                                and not labels[yy, xx]):
                            labels[yy, xx] = n
                            queue.append((yy, xx))
    return labels, n


def prominent_peaks(image, min_xdistance=1, min_ydistance=1, threshold=None,
                    num_peaks=np.inf):
    img = np.array(image, copy=True)
    rows, cols = img.shape
    if threshold is None:
        threshold = 0.5 * np.max(img)
    img_max = _max_filter1d(img, min_ydistance, axis=0)
    img_max = _max_filter1d(img_max, min_xdistance, axis=1)
    img = img * (img == img_max)
    labels, n = _label8(img > threshold)
    regions = []
    for lab in range(1, n + 1):
        rr, cc = np.nonzero(labels == lab)
        regions.append((float(np.max(img_max[rr, cc])), lab,
                        int(np.round(rr.mean())), int(np.round(cc.mean()))))
    # decreasing maximum; equal maxima: the later region first
    regions.sort(key=lambda reg: (reg[0], reg[1]), reverse=True)
    peaks = []
    for _, _, y, x in regions:
        value = img_max[y, x]
        if not value > threshold:
            continue
        for dy in range(-min_ydistance, min_ydistance + 1):
            yy = y + dy
            if not 0 < yy < rows:
                continue
            for dx in range(-min_xdistance, min_xdistance + 1):
                xx, ty = x + dx, yy
                if xx < 0:
                    xx, ty = xx + cols, rows - yy
                elif xx >= cols:
                    xx, ty = xx - cols, rows - yy
                img_max[ty, xx] = 0
        peaks.append((value, y, x))
    h = np.array([p[0] for p in peaks])
    y = np.array([p[1] for p in peaks])
    x = np.array([p[2] for p in peaks])
    if num_peaks < len(h):
        keep = np.argsort(h)[::-1][:num_peaks]
        h, x, y = h[keep], x[keep], y[keep]
    return h, x, y


def hough_line_peaks(hspace, angles, dists, min_distance=9, min_angle=10, threshold=None,
                     num_peaks=np.inf):
    min_angle = min(min_angle, hspace.shape[1])
    h, a, d = prominent_peaks(hspace, min_angle, min_distance, threshold, num_peaks)
    if a.size:
        return h, angles[a], dists[d]
    return h, np.array([]), np.array([])


def circle_perimeter(radius):
    """Bresenham's circle around (0, 0): rows, columns (8 points per step)."""
    rr, cc = [], []
    r, c, d = radius, 0, 3 - 2 * radius
    while r >= c:
        rr += [r, -r, r, -r, c, -c, c, -c]
        cc += [c, c, -c, -c, r, r, -r, -r]
        if d < 0:
            d += 4 * c + 6
        else:
            d += 4 * (c - r) + 10
            r -= 1
        c += 1
    return np.array(rr, dtype=np.intp), np.array(cc, dtype=np.intp)


def hough_circle(image, radius, normalize=True, full_output=False):
    radius = np.atleast_1d(np.asarray(radius)).astype(np.intp)
    rows, cols = image.shape
    offset = int(radius.max()) if full_output else 0
    acc = np.zeros((radius.size, rows + 2 * offset, cols + 2 * offset))
    ys, xs = np.nonzero(image)
    for i, rad in enumerate(radius):
        pr, pc = circle_perimeter(int(rad))
        incr = 1.0 / pr.size if (normalize and pr.size) else 1.0
        tr = (ys[:, None] + pr[None, :] + offset).ravel()
        tc = (xs[:, None] + pc[None, :] + offset).ravel()
        ok = (tr >= 0) & (tr < acc.shape[1]) & (tc >= 0) & (tc < acc.shape[2])
        # np.add.at adds repeated cells one after the other, as skimage does
        np.add.at(acc[i], (tr[ok], tc[ok]), incr)
    return acc


def hough_circle_peaks(hspaces, radii, min_xdistance=1, min_ydistance=1, threshold=None,
                       num_peaks=np.inf, total_num_peaks=np.inf, normalize=False):
    r, cx, cy, accum = [], [], [], []
    for rad, hp in zip(radii, hspaces):
        h, x, y = prominent_peaks(hp, min_xdistance, min_ydistance, threshold, num_peaks)
        r += [rad] * len(h)
        cx += list(x)
        cy += list(y)
        accum += list(h)
    r, cx, cy, accum = map(np.array, (r, cx, cy, accum))
    with np.errstate(divide="ignore", invalid="ignore"):   # radius 0, as skimage
        s = np.argsort(accum / r) if normalize else np.argsort(accum)
    accum, cx, cy, r = accum[s][::-1], cx[s][::-1], cy[s][::-1], r[s][::-1]
    tnp = len(accum) if total_num_peaks == np.inf else total_num_peaks
    if (min_xdistance == 1 and min_ydistance == 1) or len(accum) == 0:
        return accum[:tnp], cx[:tnp], cy[:tnp], r[:tnp]
    # the first point is kept; later ones only if no kept point is within
    # both distances (and at most tnp kept).  skimage finds the candidates
    # with a KD-tree ball of radius hypot(dx, dy), whose test is squared
    # distance <= radius**2 in float64: a box corner can fall outside it
    # (hypot(5, 1)**2 < 26), and then that point is not suppressed
    near = np.zeros(len(cx), dtype=bool)
    kept = 0
    r2 = np.hypot(min_xdistance, min_ydistance) ** 2
    for i in range(len(cx)):
        if kept >= tnp:
            near[i] = True
        elif not near[i]:
            dx, dy = np.abs(cx - cx[i]), np.abs(cy - cy[i])
            close = ((dx <= min_xdistance) & (dy <= min_ydistance)
                     & (dx.astype(float) ** 2 + dy.astype(float) ** 2 <= r2))
            close[:i + 1] = False
            near |= close
            kept += 1
    keep = ~near
    return accum[keep], cx[keep], cy[keep], r[keep]


def probabilistic_hough_line(image, threshold=10, line_length=50, line_gap=10, theta=None,
                             rng=None):
    if theta is None:
        theta = np.linspace(-np.pi / 2, np.pi / 2, 180, endpoint=False)
    height, width = image.shape
    ys, xs = np.nonzero(image)
    mask = np.zeros((height, width), dtype=bool)
    mask[ys, xs] = True
    order = np.arange(len(xs), dtype=np.intp)
    np.random.default_rng(rng).shuffle(order)
    cos, sin = np.cos(theta), np.sin(theta)
    offset = math.ceil(math.sqrt(height * height + width * width))
    accum = np.zeros((2 * offset, len(theta)), dtype=np.int64)

    def bins(x, y):
        return round_half_away(cos * x + sin * y) + offset

    cols = np.arange(len(theta))
    lines = []
    for index in order[::-1]:
        x, y = int(xs[index]), int(ys[index])
        if not mask[y, x]:
            continue
        b = bins(x, y)
        accum[b, cols] += 1
        votes = accum[b, cols]
        if votes.max(initial=threshold - 1) < threshold:
            continue
        j = int(np.argmax(votes))          # first angle with the most votes
        a, bb = -sin[j], cos[j]
        xflag = abs(a) > abs(bb)
        if xflag:
            step = (1 if a > 0 else -1, int(round_half_away(bb * 65536 / abs(a))))
            start = (x, (y << 16) + (1 << 15))
        else:
            step = (int(round_half_away(a * 65536 / abs(bb))), 1 if bb > 0 else -1)
            start = ((x << 16) + (1 << 15), y)

        def pixel(px, py):
            return (px, py >> 16) if xflag else (px >> 16, py)

        ends = []
        for sign in (1, -1):
            px, py = start
            gap, end = 0, None
            while True:
                x1, y1 = pixel(px, py)
                if not (0 <= x1 < width and 0 <= y1 < height):
                    break
                gap += 1
                if mask[y1, x1]:
                    gap, end = 0, (x1, y1)
                elif gap > line_gap:
                    break
                px, py = px + sign * step[0], py + sign * step[1]
            ends.append(end)
        (ex0, ey0), (ex1, ey1) = ends
        if abs(ey1 - ey0) < line_length and abs(ex1 - ex0) < line_length:
            continue
        for sign, end in zip((1, -1), ends):
            px, py = start
            while True:
                x1, y1 = pixel(px, py)
                if mask[y1, x1]:
                    mask[y1, x1] = False
                    accum[bins(x1, y1), cols] -= 1
                if (x1, y1) == end:
                    break
                px, py = px + sign * step[0], py + sign * step[1]
        lines.append(((ex0, ey0), (ex1, ey1)))
        if len(lines) >= 2 ** 15:
            break
    return lines


def hough_ellipse(image, threshold=4, accuracy=1, min_size=4, max_size=None):
    if not np.any(image):
        return np.zeros((0, 6))
    ys, xs = np.nonzero(image)
    bin_size = accuracy * accuracy
    if max_size is None:
        half = np.round(0.5 * min(image.shape))
        max_b2 = half * half
    else:
        max_b2 = max_size * max_size
    results = []
    for p1 in range(len(xs)):
        for p2 in range(p1):
            x1, y1, x2, y2 = int(xs[p1]), int(ys[p1]), int(xs[p2]), int(ys[p2])
            a = 0.5 * math.sqrt(float(x1 - x2) ** 2 + float(y1 - y2) ** 2)
            if not a > 0.5 * min_size:
                continue
            xc, yc = 0.5 * (x1 + x2), 0.5 * (y1 + y2)
            acc = []
            for x3, y3 in zip(xs.tolist(), ys.tolist()):
                d = math.sqrt((x3 - xc) * (x3 - xc) + (y3 - yc) * (y3 - yc))
                if d > min_size:
                    dx, dy = float(x3 - x1), float(y3 - y1)
                    cos2 = ((a * a + d * d - dx * dx - dy * dy) / (2 * a * d)) ** 2
                    k = a * a - d * d * cos2
                    if k > 0 and cos2 < 1:
                        b2 = a * a * d * d * (1 - cos2) / k
                        if b2 <= max_b2:
                            acc.append(b2)
            if acc:
                hist, edges = np.histogram(acc, bins=np.arange(0, max(acc) + bin_size, bin_size))
                if hist.max() > threshold:
                    orientation = math.atan2(x1 - x2, y1 - y2)
                    b = math.sqrt(edges[hist.argmax()])
                    if orientation != 0:
                        orientation = math.pi - orientation
                        if orientation > math.pi:
                            orientation -= math.pi / 2.0
                            a, b = b, a
                    results.append((hist.max(), yc, xc, a, b, orientation))
    return np.array(results, dtype=[("accumulator", np.intp), ("yc", np.float64),
                                    ("xc", np.float64), ("a", np.float64), ("b", np.float64),
                                    ("orientation", np.float64)])
