"""Reference (oracle) Canny edge detector and hysteresis threshold with
scikit-image 0.26 semantics (``skimage.feature.canny``,
``skimage.filters.apply_hysteresis_threshold``).

The five stages written plainly, pure NumPy (never fastimg, SciPy or
scikit-image):

1. smoothing: skimage's ``gaussian`` (``reference.linear.gaussian``) of the
   masked image; with ``mode='constant'`` or a mask, divided by the Gaussian
   of the mask (+ float eps), the "bleed-over" normalisation;
2. gradients: ``scipy.ndimage.sobel`` along axis 0 and 1 (unnormalised,
   ``mode='reflect'``, every pass stored in the smoothed dtype), from
   ``reference.separable.sobel``;
3. magnitude: ``sqrt(isobel*isobel + jsobel*jsobel)`` in the smoothed dtype;
4. non-maximum suppression, one pixel at a time: skimage's bilinear rule
   (``_canny_cy.pyx``), with its C arithmetic: the low threshold is a C
   ``float`` (float32; 0 becomes 1e-14), the weight ``w`` a quotient in the
   image's float type, and the interpolation ``n2 * w + n1 * (1.0 - w)``
   where ``1.0 - w`` is a double (so for float32 images ``n2 * w`` is a
   float32 product and the rest is double);
5. hysteresis: a breadth-first search from every pixel ``>= high`` through
   8-connected pixels of the NMS map that are ``> 0``.

Thresholds: given ones are divided by the dtype's maximum
(``dtype_limits``); defaults 0.1 / 0.2 (of the float image); with
``use_quantiles`` they are ``np.percentile`` of the magnitude.  The high
threshold is compared by NumPy's rules (a Python float against a float32 map
compares in float32).
"""
from collections import deque

import numpy as np

from . import linear as _linear
from . import separable as _separable

__all__ = ["canny", "canny_stages", "apply_hysteresis_threshold"]

def _dtype_max(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return np.iinfo(dtype).max
    if dtype.kind == "b":
        return True
    return 1


def _float_type(dtype):
    return np.float32 if np.dtype(dtype).char in "ef" else np.float64


def _erode_full(mask):
    """3x3 erosion, pixels outside the image count as False."""
    p = np.pad(mask, 1)
    out = np.ones(mask.shape, bool)
    h, w = mask.shape
    for di in range(3):
        for dj in range(3):
            out &= p[di:di + h, dj:dj + w]
    return out


def smooth(image, sigma, mask, mode, cval):
    """Stage 1: the smoothed image and the eroded mask (skimage's _preprocess)."""
    ftype = _float_type(image.dtype)
    bleed = mode == "constant" or mask is not None
    if mask is None:
        weights = np.ones(image.shape, ftype)
        masked = image
        eroded = np.zeros(image.shape, bool)
        eroded[1:-1, 1:-1] = True
    else:
        mask = np.asarray(mask).astype(bool)
        weights = mask.astype(ftype)
        masked = np.zeros_like(image)
        masked[mask] = image[mask]
        eroded = _erode_full(mask)
    smoothed = _linear.gaussian(masked, sigma, mode=mode, cval=cval)
    if bleed:
        norm = _linear.gaussian(weights, sigma, mode=mode, cval=cval) + np.finfo(ftype).eps
        smoothed = smoothed / norm
    return smoothed, eroded


def gradients(smoothed):
    """Stages 2-3: isobel (axis 0), jsobel (axis 1), magnitude."""
    jsobel = _separable.sobel(smoothed, axis=1)
    isobel = _separable.sobel(smoothed, axis=0)
    magnitude = np.sqrt(isobel * isobel + jsobel * jsobel)
    return isobel, jsobel, magnitude


def nms(isobel, jsobel, magnitude, eroded, low):
    """Stage 4: skimage's bilinear non-maximum suppression (low threshold applied)."""
    ft = magnitude.dtype.type
    low32 = np.float32(low)
    if low32 == 0:
        low32 = np.float32(1e-14)
    lowd = float(low32)
    out = np.zeros(magnitude.shape, magnitude.dtype)
    rows, cols = magnitude.shape
    M = magnitude
    for x in range(rows):
        for y in range(cols):
            m = M[x, y]
            if not (eroded[x, y] and float(m) >= lowd):
                continue
            gi, gj = isobel[x, y], jsobel[x, y]
            up, down = gi >= 0, gi <= 0
            left, right = gj <= 0, gj >= 0
            c1 = (up and right) or (down and left)
            c2 = (down and right) or (up and left)
            if not (c1 or c2):
                continue
            ai, aj = ft(abs(gi)), ft(abs(gj))
            if c1:
                if ai > aj:
                    w = ft(aj / ai)
                    n11, n12, n21, n22 = M[x + 1, y], M[x + 1, y + 1], M[x - 1, y], M[x - 1, y - 1]
                else:
                    w = ft(ai / aj)
                    n11, n12, n21, n22 = M[x, y + 1], M[x + 1, y + 1], M[x, y - 1], M[x - 1, y - 1]
            else:
                if ai < aj:
                    w = ft(ai / aj)
                    n11, n12, n21, n22 = M[x, y + 1], M[x - 1, y + 1], M[x, y - 1], M[x + 1, y - 1]
                else:
                    w = ft(aj / ai)
                    n11, n12, n21, n22 = M[x - 1, y], M[x - 1, y + 1], M[x + 1, y], M[x + 1, y - 1]
            # C: float * float stays float; ``1.0 - w`` is a double
            one_minus = 1.0 - float(w)
            plus = float(ft(n12 * w)) + float(n11) * one_minus
            if plus <= float(m):
                minus = float(ft(n22 * w)) + float(n21) * one_minus
                if minus <= float(m):
                    out[x, y] = m
    return out


def _bfs(strong, weak_or_strong, neighbours):
    """Pixels of ``weak_or_strong`` connected (by ``neighbours`` offsets) to ``strong``."""
    out = np.zeros(strong.shape, bool)
    queue = deque(zip(*np.nonzero(strong)))
    for p in queue:
        out[p] = True
    shape = strong.shape
    while queue:
        p = queue.popleft()
        for d in neighbours:
            q = tuple(a + b for a, b in zip(p, d))
            if all(0 <= c < n for c, n in zip(q, shape)) and weak_or_strong[q] and not out[q]:
                out[q] = True
                queue.append(q)
    return out


def thresholds(image, low_threshold, high_threshold, use_quantiles):
    """skimage's threshold rules before the magnitude is known (float image units)."""
    dmax = _dtype_max(image.dtype)
    lo, hi = low_threshold, high_threshold
    if lo is None:
        lo = 0.1
    elif use_quantiles:
        if not 0.0 <= lo <= 1.0:
            raise ValueError("Quantile thresholds must be between 0 and 1.")
    else:
        lo = lo / dmax
    if hi is None:
        hi = 0.2
    elif use_quantiles:
        if not 0.0 <= hi <= 1.0:
            raise ValueError("Quantile thresholds must be between 0 and 1.")
    else:
        hi = hi / dmax
    if hi < lo:
        raise ValueError("low_threshold should be lower then high_threshold")
    return lo, hi


def canny_stages(image, sigma=1.0, low_threshold=None, high_threshold=None, mask=None,
                 use_quantiles=False, *, mode="constant", cval=0.0):
    """All stages: (smoothed, magnitude, nms, low, high, edges)."""
    image = np.asarray(image)
    if np.issubdtype(image.dtype, np.int64) or np.issubdtype(image.dtype, np.uint64):
        raise ValueError("64-bit integer images are not supported")
    if image.size == 0:
        raise ValueError("The parameter `image` cannot be an empty array")
    if image.ndim != 2:
        raise ValueError("The parameter `image` must be a 2-dimensional array")
    lo, hi = thresholds(image, low_threshold, high_threshold, use_quantiles)
    smoothed, eroded = smooth(image, sigma, mask, mode, cval)
    isobel, jsobel, magnitude = gradients(smoothed)
    if use_quantiles:
        lo, hi = np.percentile(magnitude, [100.0 * lo, 100.0 * hi])
    low_masked = nms(isobel, jsobel, magnitude, eroded, lo)
    weak = low_masked > 0
    strong = weak & (low_masked >= hi)
    eight = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    edges = _bfs(strong, weak, eight)
    return smoothed, magnitude, low_masked, lo, hi, edges


def canny(image, sigma=1.0, low_threshold=None, high_threshold=None, mask=None,
          use_quantiles=False, *, mode="constant", cval=0.0):
    """Canny edges (``skimage.feature.canny``): a bool image."""
    return canny_stages(image, sigma, low_threshold, high_threshold, mask, use_quantiles,
                        mode=mode, cval=cval)[-1]


def apply_hysteresis_threshold(image, low, high, *, connectivity=1):
    """``skimage.filters.apply_hysteresis_threshold``: pixels ``> low`` connected
    (face neighbours by default, like ``ndi.label``) to a pixel ``> high``;
    ``low`` is first clipped to at most ``high``."""
    image = np.asarray(image)
    low = np.clip(low, a_min=None, a_max=high)
    weak = image > low
    strong = image > high
    nd = image.ndim
    offs = [d for d in np.ndindex(*(3,) * nd)]
    offs = [tuple(c - 1 for c in d) for d in offs]
    offs = [d for d in offs if any(d) and sum(map(abs, d)) <= connectivity]
    out = _bfs(strong & weak, weak, offs)
    if np.any(strong & ~weak):
        # skimage sums mask_high per label of mask_low: a pixel above high
        # but not above low (NaN low) lands in label 0, the background,
        # which then counts as connected to high
        out |= ~weak
    return out

