"""scikit-image 0.26's warps, written the obvious way (the definition
fastimg is tested against).  Encodes these rules:

* ``warp`` of a 3x3 matrix at orders 1 and 3 (2-D or colour images):
  for every output pixel (row, col), the source is the matrix applied to
  ``(x=col, y=row, 1)`` in the image's float type (float32 images:
  float32), affine terms alone when the last row is ``(0, 0, 1)``;
  bilinear: float64 left weights ``1 - d`` and products, right products
  ``d * pixel`` in the image's type; bicubic: Keys' cubic (a = -0.5) along
  rows then along the column, in the image's type; out-of-image taps by
  numpy.pad's rules (constant, edge, symmetric, reflect, wrap);
* other orders: SciPy's ``map_coordinates`` (``reference.interpolation``)
  at the source coordinates (ndimage mode names translated);
* ``rotate``: the matrix ``T(c) @ R(angle) @ T(-c)`` about
  ``c = (cols / 2 - 0.5, rows / 2 - 0.5)``;
* ``resize``: Gaussian of sigma ``max(0, (in / out - 1) / 2)`` then a
  grid-mode spline zoom (``reference.separable``, ``reference.interpolation``);
* ``downscale_local_mean``: pad with ``cval`` to whole blocks, then the
  mean of each block (here summed in float64 and stored in the result's
  type: float64 for integers, the image's float type for floats);
* ``integral_image``: cumulative sums along each axis in turn;
* ``pixelate``: OpenCV's INTER_NEAREST index ``floor(d * (1 / (dst /
  src)))`` both ways, INTER_AREA block means.

Never imports fastimg or scikit-image.  Slow: small images only.
"""
from __future__ import annotations

import math

import numpy as np

from reference import interpolation as RI
from reference import separable as RS

NDI_MODES = {"constant": "grid-constant", "edge": "nearest", "symmetric": "reflect",
             "reflect": "mirror", "wrap": "grid-wrap"}


def as_float(image, preserve_range=False):
    """skimage's ``convert_to_float`` then float16 -> float32."""
    if image.dtype == np.float16:
        return image.astype(np.float32)
    if image.dtype.kind == "f":
        return image
    if preserve_range:
        return image.astype(np.float64)
    if image.dtype == np.bool_:
        return image.astype(np.float64)
    info = np.iinfo(image.dtype)
    out = image.astype(np.float64) * (1.0 / info.max)
    return np.maximum(out, -1.0) if image.dtype.kind == "i" else out


def pad_index(i, n, mode):
    """numpy.pad's source index for index ``i`` of an axis of length n, or
    None for the constant."""
    if 0 <= i < n:
        return i
    if mode == "constant":
        return None
    if mode == "edge":
        return min(max(i, 0), n - 1)
    if mode == "wrap":
        return i % n
    if mode == "symmetric":
        period = 2 * n
        i = i % period
        return i if i < n else period - 1 - i
    if n == 1:                                   # reflect
        return 0
    period = 2 * (n - 1)
    i = i % period
    return i if i < n else period - i


def _pixel(img, r, c, mode, cval):
    i, j = pad_index(r, img.shape[0], mode), pad_index(c, img.shape[1], mode)
    return cval if i is None or j is None else img[i, j]


def _cubic(x, f, t):
    half, two, three, four, five = t(0.5), t(2), t(3), t(4), t(5)
    return f[1] + half * x * (f[2] - f[0] + x * (two * f[0] - five * f[1] + four * f[2] - f[3]
                                               + x * (three * (f[1] - f[2]) + f[3] - f[0])))


def _warp_plane(img, m, shape, order, mode, cval):
    t = img.dtype.type
    cval = t(cval)
    out = np.zeros(shape, img.dtype)
    affine = m[2, 0] == 0 and m[2, 1] == 0 and m[2, 2] == 1
    with np.errstate(all="ignore"):
        for row in range(shape[0]):
            for col in range(shape[1]):
                x, y = t(col), t(row)
                if affine and m[0, 1] == 0 and m[1, 0] == 0:
                    c, r = m[0, 0] * x + m[0, 2], m[1, 1] * y + m[1, 2]
                elif affine:
                    c = m[0, 0] * x + m[0, 1] * y + m[0, 2]
                    r = m[1, 0] * x + m[1, 1] * y + m[1, 2]
                else:
                    z = m[2, 0] * x + m[2, 1] * y + m[2, 2]
                    c = (m[0, 0] * x + m[0, 1] * y + m[0, 2]) / z
                    r = (m[1, 0] * x + m[1, 1] * y + m[1, 2]) / z
                if not (np.isfinite(r) and np.isfinite(c)):
                    raise ValueError("the reference takes finite source coordinates only")
                r0, c0 = math.floor(r), math.floor(c)
                if order == 1:
                    r1, c1 = math.ceil(r), math.ceil(c)
                    dr, dc = r - t(r0), c - t(c0)
                    wr, wc = 1.0 - float(dr), 1.0 - float(dc)
                    top = wc * float(_pixel(img, r0, c0, mode, cval)) + float(
                        dc * _pixel(img, r0, c1, mode, cval))
                    bottom = wc * float(_pixel(img, r1, c0, mode, cval)) + float(
                        dc * _pixel(img, r1, c1, mode, cval))
                    out[row, col] = wr * top + float(dr) * bottom
                else:
                    xr, xc = r - t(r0), c - t(c0)
                    rows = [_cubic(xc, [_pixel(img, r0 - 1 + a, c0 - 1 + b, mode, cval)
                                        for b in range(4)], t) for a in range(4)]
                    out[row, col] = _cubic(xr, rows, t)
    return out


def _clip(image, out, mode, cval):
    lo, hi = np.nanmin(image), np.nanmax(image)
    if (mode == "constant" and not lo <= cval <= hi
            and np.nanmin(out) <= cval <= np.nanmax(out)):
        cval = image.dtype.type(cval)
        lo, hi = min(lo, cval), max(hi, cval)
    np.clip(out, lo, hi, out=out)


def warp(image, matrix, output_shape=None, order=1, mode="constant", cval=0.0, clip=True,
         preserve_range=False):
    """``skimage.transform.warp`` of a 3x3 matrix (2-D or colour images)."""
    image = np.asarray(image)
    if order > 0:
        image = as_float(image, preserve_range)
    shape = image.shape[:2] if output_shape is None else tuple(int(s) for s in
                                                               output_shape[:2])
    matrix = np.asarray(matrix, np.float64)
    if order in (1, 3):
        m = matrix.astype(image.dtype)
        planes = image[..., None] if image.ndim == 2 else image
        out = np.stack([_warp_plane(planes[..., k], m, shape, order, mode, cval)
                        for k in range(planes.shape[2])], axis=-1)
        out = out[..., 0] if image.ndim == 2 else out
    else:
        rows, cols = np.indices(shape, dtype=np.float64)
        pts = np.stack([cols.ravel(), rows.ravel(), np.ones(rows.size)])
        src = matrix @ pts
        src = src[:2] / np.where(src[2] == 0, np.finfo(float).eps, src[2])
        coords = [src[1].reshape(shape), src[0].reshape(shape)]
        if image.ndim == 3:
            coords = [np.repeat(c[..., None], image.shape[2], axis=2) for c in coords]
            coords.append(np.broadcast_to(np.arange(image.shape[2], dtype=np.float64),
                                          coords[0].shape))
        src = image.view(np.uint8) if image.dtype == np.bool_ else image
        out = RI.map_coordinates(src, np.array(coords), order=order, mode=NDI_MODES[mode],
                                 cval=cval, prefilter=order > 1)
        out = out.astype(bool) if image.dtype == np.bool_ else out
    if clip:
        _clip(image, out, mode, cval)
    return out


def rotation_matrix(shape, angle, resize=False, center=None):
    """skimage's rotate matrix (about ``center``, (col, row)) and the output
    shape (None: the input's)."""
    rows, cols = shape[0], shape[1]
    center = np.array((cols, rows)) / 2.0 - 0.5 if center is None else np.asarray(center)

    def similarity(rotation=0.0, translation=(0.0, 0.0)):
        m = np.eye(3)
        m[:2, :2] = [[math.cos(rotation), -math.sin(rotation)],
                     [math.sin(rotation), math.cos(rotation)]]
        m[:2, 2] = translation
        return m

    m = similarity(translation=center) @ (similarity(rotation=np.deg2rad(angle))
                                          @ similarity(translation=-center))
    out_shape = None
    if resize:
        corners = np.array([[0, 0, 1], [0, rows - 1, 1], [cols - 1, rows - 1, 1],
                            [cols - 1, 0, 1]], float) @ np.linalg.inv(m).T
        corners = corners[:, :2] / corners[:, 2:]
        lo, hi = corners.min(axis=0), corners.max(axis=0)
        out_shape = np.around((hi[1] - lo[1] + 1, hi[0] - lo[0] + 1)).astype(int)
        m = m @ similarity(translation=(lo[0], lo[1]))
    m[2] = (0, 0, 1)
    return m, out_shape


def rotate(image, angle, resize=False, order=1, mode="constant", cval=0.0):
    """``skimage.transform.rotate`` about the image's centre."""
    m, out_shape = rotation_matrix(image.shape, angle, resize)
    return warp(image, m, out_shape, order, mode, cval)


def resize(image, output_shape, order=1, mode="reflect", cval=0.0, anti_aliasing=True,
           preserve_range=False):
    """``skimage.transform.resize`` of a 2-D or colour image (the output
    shape's channel count equal to the input's)."""
    image = np.asarray(image)
    shape = tuple(output_shape) + image.shape[len(output_shape):]
    src = as_float(image, preserve_range) if order > 0 else image
    factors = np.divide(image.shape, shape)
    if anti_aliasing:
        src = RS.gaussian_filter(src, np.maximum(0, (factors - 1) / 2), mode=NDI_MODES[mode],
                                 cval=cval)
    out = RI.zoom(src, [1 / f for f in factors], order=order, mode=NDI_MODES[mode],
                  cval=cval, grid_mode=True)
    _clip(as_float(image, preserve_range) if order > 0 else image, out, mode, cval)
    return out


def downscale_local_mean(image, factors, cval=0.0):
    """Block means of ``image`` padded with ``cval`` to whole blocks."""
    image = np.asarray(image)
    factors = tuple(factors)
    out_shape = tuple(-(-s // f) for s, f in zip(image.shape, factors))
    padded = np.full(tuple(o * f for o, f in zip(out_shape, factors)), cval, image.dtype)
    padded[tuple(slice(0, s) for s in image.shape)] = image
    kind = image.dtype.kind
    dtype = image.dtype if kind == "f" else np.dtype(np.float64)
    out = np.empty(out_shape, dtype)
    for idx in np.ndindex(*out_shape):
        block = padded[tuple(slice(i * f, (i + 1) * f) for i, f in zip(idx, factors))]
        total = 0.0
        for v in block.ravel():
            total += float(v)
        out[idx] = total / block.size
    return out


def integral_image(image, dtype=None):
    """Cumulative sums along each axis in turn, one element at a time."""
    image = np.asarray(image)
    if dtype is None:
        dtype = (np.float64 if image.dtype.kind == "f"
                 else np.uint64 if image.dtype.kind == "u" else np.int64)
    s = image.astype(dtype)
    for axis in range(s.ndim):
        s = np.moveaxis(s, axis, 0)
        for i in range(1, s.shape[0]):
            s[i] = s[i - 1] + s[i]
        s = np.moveaxis(s, 0, axis)
    return s


def _nearest(src, dst):
    ifx = 1.0 / (dst / src)
    return [min(math.floor(d * ifx), src - 1) for d in range(dst)]


def pixelate(image, block, method="mean"):
    """The OpenCV recipe (2-D images; 'mean' only for shapes divisible by
    ``block``, 'nearest' for any)."""
    image = np.asarray(image)
    h, w = image.shape
    sh, sw = max(h // block, 1), max(w // block, 1)
    small = np.empty((sh, sw), np.float64)
    if method == "nearest":
        rows, cols = _nearest(h, sh), _nearest(w, sw)
        small = np.array([[image[r, c] for c in cols] for r in rows])
    else:
        bh, bw = h // sh, w // sw
        for i in range(sh):
            for j in range(sw):
                small[i, j] = image[i * bh:(i + 1) * bh, j * bw:(j + 1) * bw].astype(float).sum()
        small /= bh * bw
        if image.dtype.kind in "ui":
            small = np.floor(small + 0.5) if bh * bw == 4 else np.rint(small)
    small = small.astype(image.dtype)
    rows, cols = _nearest(sh, h), _nearest(sw, w)
    return np.array([[small[r, c] for c in cols] for r in rows], image.dtype).reshape(h, w)
