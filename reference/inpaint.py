"""Reference inpainting: Telea's fast marching (fastimg's own ``inpaint``,
the algorithm of ``cv2.inpaint(..., cv2.INPAINT_TELEA)``) and scikit-image
0.26's ``inpaint_biharmonic`` system.

Telea, as OpenCV 4.x/5.x computes it (a Python loop: tiny images only):

* grids padded by one known pixel; the band is the known pixels 4-adjacent
  to the hole (not the padding), arrival time T = 0 there, 1e6 elsewhere;
* ``heapq`` of ``(T, push count)``: the smallest T first, ties in push
  order; the band pushed in raster order;
* first the known pixels within ``radius`` (square) of the hole get their
  arrival times marched outwards from the band, negated afterwards (the
  band's 0 too);
* then each hole pixel, in arrival order (4-neighbours visited up, left,
  down, right), gets T from OpenCV's ``FastMarching_solve`` (double
  arithmetic, float32 result) and the weighted sum over the known pixels
  of the disc of ``radius`` around it: weights |dst * lev * dir| in
  float32; dst = 1 / (|r|^2 |r|) in double, rounded to float32, with
  |r|^2 |r| in float32 for grey images and in double for colour ones
  (OpenCV's two code paths); lev = 1 / (1 + |T_k - T_i|) (double, rounded
  to float32); dir = r . grad T (1e-6 when |dir| <= 0.01); image
  gradients doubled for two-sided differences, the first row and column
  reading their neighbour's (OpenCV's index clamps); the value is
  Ia / s + (Jx + Jy) / (sqrt(Jx^2 + Jy^2) + 1e-20) in float32; integer
  images store round_half_even(value + 0.5), clipped.

Biharmonic: the same sparse system as scikit-image 0.26 (one equation per
masked pixel: the 2-D/N-D biharmonic stencil, ``laplace(laplace(delta))``
truncated at the image border, known pixels moved to the right-hand side),
solved densely in float64, clipped to the known range.
"""
import heapq
import math

import numpy as np

KNOWN, BAND, INSIDE, CHANGE = 0, 1, 2, 3
F32 = np.float32


def _solve(f, t, i1, j1, i2, j2):
    a, b = float(t[i1][j1]), float(t[i2][j2])
    if f[i1][j1] != INSIDE and f[i2][j2] != INSIDE:
        if abs(a - b) >= 1.0:
            return F32(1.0 + min(a, b))
        return F32((a + b + math.sqrt(2.0 - (a - b) * (a - b))) * 0.5)
    if f[i1][j1] != INSIDE:
        return F32(1.0 + a)
    if f[i2][j2] != INSIDE:
        return F32(1.0 + b)
    return F32(1.0 + min(a, b))


def _arrival(f, t, i, j):
    return min(_solve(f, t, i - 1, j, i, j - 1), _solve(f, t, i + 1, j, i, j - 1),
               _solve(f, t, i - 1, j, i, j + 1), _solve(f, t, i + 1, j, i, j + 1))


def _neighbours(i, j):
    return ((i - 1, j), (i, j - 1), (i + 1, j), (i, j + 1))


def _grad(f, a, b, c, fa, fb):
    """OpenCV's difference of ``a`` (forward) and ``b`` (backward) around
    ``c``: ``fa``/``fb`` say whether the forward/backward pixel is known."""
    return (a - b) * 0.5 if fa and fb else (a - c if fa else (c - b if fb else 0.0))


def inpaint(image, mask, radius=3, *, method="telea", channel_axis=None):
    assert method == "telea"
    img = np.asarray(image)
    work = img[:, :, None] if channel_axis is None else np.moveaxis(img, channel_axis, -1)
    out = work.copy()
    r = min(max(int(round(float(radius))), 1), 100)
    rows, cols = work.shape[0] + 2, work.shape[1] + 2
    f = [[KNOWN] * cols for _ in range(rows)]
    for i in range(1, rows - 1):
        for j in range(1, cols - 1):
            if mask[i - 1, j - 1]:
                f[i][j] = INSIDE
    t = [[F32(1e6)] * cols for _ in range(rows)]
    heap, count = [], 0
    for i in range(1, rows - 1):
        for j in range(1, cols - 1):
            if f[i][j] != INSIDE and any(f[a][b] == INSIDE for a, b in _neighbours(i, j)):
                f[i][j] = BAND
                t[i][j] = F32(0.0)
                heap.append((F32(0.0), count, i, j))
                count += 1
    band_heap, start = list(heap), count
    # outward march over the known pixels within radius (square) of the hole
    g = [[KNOWN] * cols for _ in range(rows)]
    for i in range(1, rows - 1):
        for j in range(1, cols - 1):
            if f[i][j] == KNOWN and any(
                    f[a][b] == INSIDE for a in range(max(i - r, 0), min(i + r + 1, rows))
                    for b in range(max(j - r, 0), min(j + r + 1, cols))):
                g[i][j] = INSIDE
    while heap:
        _, _, ii, jj = heapq.heappop(heap)
        g[ii][jj] = CHANGE
        for i, j in _neighbours(ii, jj):
            if 0 < i < rows - 1 and 0 < j < cols - 1 and g[i][j] == INSIDE:
                t[i][j] = _arrival(g, t, i, j)
                g[i][j] = BAND
                heapq.heappush(heap, (t[i][j], count, i, j))
                count += 1
    for i in range(rows):
        for j in range(cols):
            if g[i][j] == CHANGE:
                t[i][j] = -t[i][j]
    # fill the hole
    heap, count = band_heap, start
    integer = out.dtype.kind == "u"
    top = float(np.iinfo(out.dtype).max) if integer else 0.0
    while heap:
        _, _, ii, jj = heapq.heappop(heap)
        f[ii][jj] = KNOWN
        for i, j in _neighbours(ii, jj):
            if not (0 < i < rows and 0 < j < cols) or f[i][j] != INSIDE:
                continue
            t[i][j] = _arrival(f, t, i, j)
            known = [f[i][j + 1] != INSIDE, f[i][j - 1] != INSIDE, f[i + 1][j] != INSIDE,
                     f[i - 1][j] != INSIDE]
            gtx = F32(_grad(f, t[i][j + 1], t[i][j - 1], t[i][j], known[0], known[1]))
            gty = F32(_grad(f, t[i + 1][j], t[i - 1][j], t[i][j], known[2], known[3]))
            nch = out.shape[2]
            ia, jx, jy = [F32(0)] * nch, [F32(0)] * nch, [F32(0)] * nch
            s = F32(1e-20)
            for k in range(i - r, i + r + 1):
                for m in range(j - r, j + r + 1):
                    if not (0 < k < rows - 1 and 0 < m < cols - 1) or f[k][m] == INSIDE:
                        continue
                    if (k - i) ** 2 + (m - j) ** 2 > r * r or (k, m) == (i, j):
                        continue
                    ry, rx = F32(i - k), F32(j - m)
                    length = rx * rx + ry * ry
                    if out.shape[2] == 1:      # OpenCV's grey path: float32 product
                        dst = F32(1.0 / float(length * F32(math.sqrt(length))))
                    else:
                        dst = F32(1.0 / (float(length) * math.sqrt(float(length))))
                    lev = F32(1.0 / (1.0 + abs(float(F32(t[k][m] - t[i][j])))))
                    d = rx * gtx + ry * gty
                    if abs(float(d)) <= 0.01:
                        d = F32(1e-6)
                    w = abs(dst * lev * d)
                    # image rows/columns (unpadded) with OpenCV's clamps
                    # (one-pixel-wide images: OpenCV reads past the row;
                    # clamped to the image here)
                    km, kp = min(k - 1 + (k == 1), rows - 3), k - 1 - (k == rows - 2)
                    lm, lp = min(m - 1 + (m == 1), cols - 3), m - 1 - (m == cols - 2)
                    fx1, fx0 = f[k][m + 1] != INSIDE, f[k][m - 1] != INSIDE
                    fy1, fy0 = f[k + 1][m] != INSIDE, f[k - 1][m] != INSIDE
                    for c in range(nch):
                        def v(a, b):
                            return float(out[a, b, c])
                        if fx1 and fx0:
                            gx = F32(v(km, lp + 1) - v(km, lm - 1)) * F32(2)
                        elif fx1 or fx0:
                            gx = F32(v(km, lp + 1) - v(km, lm)) if fx1 else \
                                F32(v(km, lp) - v(km, lm - 1))
                        else:
                            gx = F32(0)
                        if fy1 and fy0:
                            gy = F32(v(kp + 1, lm) - v(km - 1, lm)) * F32(2)
                        elif fy1 or fy0:
                            gy = F32(v(kp + 1, lm) - v(km, lm)) if fy1 else \
                                F32(v(kp, lm) - v(km - 1, lm))
                        else:
                            gy = F32(0)
                        ia[c] = ia[c] + w * F32(out[k - 1, m - 1, c])
                        jx[c] = jx[c] - w * (gx * rx)
                        jy[c] = jy[c] - w * (gy * ry)
                    s = s + w
            for c in range(nch):
                norm = F32(math.sqrt(float(jx[c] * jx[c] + jy[c] * jy[c]))) + F32(1e-20)
                value = ia[c] / s + (jx[c] + jy[c]) / norm
                if integer:
                    value = min(max(np.rint(float(value) + 0.5), 0.0), top)
                out[i - 1, j - 1, c] = value
            f[i][j] = BAND
            heapq.heappush(heap, (t[i][j], count, i, j))
            count += 1
    return out[:, :, 0] if channel_axis is None else np.moveaxis(out, -1, channel_axis)


def _laplace(a):
    """scipy.ndimage.laplace's definition: the sum over axes of the second
    difference [1, -2, 1], the array extended by half-sample reflection
    (ndimage's 'reflect', NumPy's 'symmetric')."""
    out = np.zeros_like(a)
    for axis in range(a.ndim):
        pad = [(0, 0)] * a.ndim
        pad[axis] = (1, 1)
        p = np.pad(a, pad, mode="symmetric")
        n = a.shape[axis]
        out = out + (np.take(p, range(0, n), axis) - 2 * np.take(p, range(1, n + 1), axis)
                     + np.take(p, range(2, n + 2), axis))
    return out


def _stencil_at(shape, point, radius=2):
    """Flat indices and biharmonic coefficients around ``point``: the
    ``laplace(laplace(delta))`` of the box of ``radius`` clipped to the
    image, in raster order (scikit-image's ``_get_neigh_coef``)."""
    lo = [max(p - radius, 0) for p in point]
    hi = [min(p + radius + 1, s) for p, s in zip(point, shape)]
    delta = np.zeros([h - l for l, h in zip(lo, hi)])
    delta[tuple(p - l for p, l in zip(point, lo))] = 1.0
    coef = _laplace(_laplace(delta))
    out = []
    for idx in zip(*np.nonzero(coef)):
        out.append((np.ravel_multi_index([i + l for i, l in zip(idx, lo)], shape), coef[idx]))
    return out


def _as_float(image):
    """scikit-image's img_as_float and float policy: integers / dtype max
    (signed ones clipped at -1), bool 0/1, float16 -> float32."""
    if image.dtype.kind in "ui":
        out = image / float(np.iinfo(image.dtype).max)
        return np.maximum(out, -1.0) if image.dtype.kind == "i" else out
    if image.dtype == np.float16:
        return image.astype(np.float32)
    return image.astype(np.float64) if image.dtype.kind == "b" else image


def inpaint_biharmonic(image, mask, *, split_into_regions=False, channel_axis=None):
    """scikit-image 0.26's biharmonic inpainting: one equation per masked
    pixel (its stencil applied to the image equals zero), known pixels on
    the right-hand side, solved densely in float64 (tiny images), cast to
    the image's float type and clipped to the known per-channel range."""
    image = np.asarray(image)
    if channel_axis is None:
        image = image[..., None]
    else:
        image = np.moveaxis(image, channel_axis, -1)
    mask = np.asarray(mask).astype(bool)
    img = _as_float(image)
    ftype = img.dtype
    shape = mask.shape
    values = img.reshape(-1, img.shape[-1]).astype(np.float64)
    points = np.flatnonzero(mask)
    col = {p: k for k, p in enumerate(points)}
    matrix = np.zeros((len(points), len(points)))
    rhs = np.zeros((len(points), values.shape[1]))
    for row, p in enumerate(points):
        for q, c in _stencil_at(shape, np.unravel_index(p, shape)):
            if q in col:
                matrix[row, col[q]] = c
            else:
                rhs[row] -= c * values[q]
    out = values.copy()
    if len(points):
        out[points] = np.linalg.solve(matrix, rhs)
    out = out.astype(ftype)
    known = img.reshape(-1, img.shape[-1])[~mask.ravel()]
    out = np.clip(out, known.min(axis=0), known.max(axis=0)).reshape(img.shape)
    return out[..., 0] if channel_axis is None else np.moveaxis(out, -1, channel_axis)
