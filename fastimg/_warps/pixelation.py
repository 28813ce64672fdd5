"""fastimg's ``pixelate``: the OpenCV tutorial recipe (shrink, then a
nearest-neighbour blow-up back to the original shape) in one call, without
OpenCV."""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core.arrays import contiguous_writable
from .._core.dispatch import run
from .._core.docs import fill_doc
from . import pixel_kernels as k

__all__ = ["pixelate"]

METHODS = ("mean", "nearest", "linear")
_LINEAR_DTYPES = (np.uint8, np.uint16, np.float32, np.float64)


def _nearest_map(src, dst):
    """``cv2.resize`` INTER_NEAREST: destination index -> source index,
    ``min(floor(d * (1 / (dst / src))), src - 1)`` in double."""
    ifx = 1.0 / (dst / src)
    return np.minimum(np.floor(np.arange(dst) * ifx), src - 1).astype(np.int64)


def _linear_taps(src, dst):
    """``cv2.resize`` INTER_LINEAR: first tap and the two weights per
    destination index (``fx = float32((d + 0.5) * scale - 0.5)`` minus its
    floor, weights ``1 - fx`` and ``fx`` in float64; taps clamped to the
    image with the whole weight on the inner one)."""
    scale = 1.0 / (dst / src)
    fx = ((np.arange(dst) + 0.5) * scale - 0.5).astype(np.float32)
    sx = np.floor(fx).astype(np.int64)
    fx = fx - sx.astype(np.float32)
    low, high = sx < 0, sx >= src - 1
    fx[low | high] = 0
    sx[low] = 0
    sx[high] = src - 1
    weights = np.empty(2 * dst, np.float64)
    weights[0::2] = 1.0 - fx.astype(np.float64)
    weights[1::2] = fx
    return sx, weights


def _area_weights(src, dst):
    """INTER_AREA's cells: small cell i covers source ``[i * s, (i + 1) * s)``
    with ``s = src / dst``; the first source index, the count and the
    overlap weights (flat, ``kmax`` per cell) in float64."""
    s = src / dst
    first = np.floor(np.arange(dst) * s).astype(np.int64)
    last = np.minimum(np.ceil((np.arange(dst) + 1) * s).astype(np.int64), src)
    count = last - first
    kmax = int(count.max())
    weights = np.zeros(dst * kmax)
    for i in range(dst):
        lo, hi = i * s, (i + 1) * s
        idx = np.arange(first[i], last[i])
        weights[i * kmax:i * kmax + count[i]] = (np.minimum(idx + 1, hi)
                                                 - np.maximum(idx, lo)) / s
    return first, count, weights


def _store(values, dtype):
    """Float results stored as OpenCV's ``saturate_cast`` stores them:
    integers rounded half to even and saturated, floats converted."""
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)
    return values.astype(dtype)


def _shrink(img3, sh, sw, method, workers):
    h, w = img3.shape[:2]
    if method == "nearest":
        return img3[_nearest_map(h, sh)][:, _nearest_map(w, sw)]
    if method == "linear" and not (h == 2 * sh and w == 2 * sw):
        sy, ay = _linear_taps(h, sh)
        sx, ax = _linear_taps(w, sw)
        fixed = img3.dtype == np.uint8
        if fixed:    # OpenCV's 8-bit fixed point: weights * 2048, rounded
            ax = np.rint(ax * 2048).astype(np.int16)
            ay = np.rint(ay * 2048).astype(np.int16)
        ftype = img3.dtype if img3.dtype.kind == "f" else np.dtype(np.float32)
        small = np.empty((sh, sw, img3.shape[2]), np.uint8 if fixed else ftype)
        run(k.linear_small_rows, (img3, sx, ax, sy, ay, fixed, small), items=sh,
            size=small.size * 4, cost=2.0, workers=workers)
        return small if fixed else _store(small, img3.dtype)
    # INTER_AREA (and OpenCV's INTER_LINEAR at exactly 2x, which it runs as
    # INTER_AREA): whole blocks are summed exactly and divided once
    small = np.empty((sh, sw, img3.shape[2]), np.float64)
    scale = 1.0
    if h % sh == 0 and w % sw == 0:
        br, bc = h // sh, w // sw
        flat = img3.reshape(h, -1)
        run(k.block_sum_rows, (flat, br, bc, small), items=sh, size=img3.size, cost=0.3,
            workers=workers)
        scale = 1.0 / (br * bc)
        small /= br * bc
    else:
        r0, nr, rw = _area_weights(h, sh)
        c0, nc, cw = _area_weights(w, sw)
        run(k.area_rows, (img3, rw, cw, r0, c0, nr, nc, small), items=sh, size=img3.size,
            cost=1.0, workers=workers)
    if img3.dtype.kind in "ui" and scale == 0.25:
        # OpenCV's 2x2 fast path rounds integer means half up ((s + 2) >> 2)
        small = np.floor(small + 0.5)
    return _store(small, img3.dtype)


@fill_doc
def pixelate(image: npt.ArrayLike, block: int, *, method: str = "mean", channel_axis=None,
             workers: int | None = None) -> np.ndarray:
    """Pixelate an image: blocks of ``block x block`` pixels share one value.

    fastimg's own function (no scikit-image anchor): the OpenCV tutorial
    recipe ``cv2.resize(cv2.resize(img, (w // block, h // block),
    interpolation=SHRINK), (w, h), interpolation=cv2.INTER_NEAREST)`` in
    one call, with SHRINK ``INTER_AREA`` (``method='mean'``),
    ``INTER_NEAREST`` (``'nearest'``) or ``INTER_LINEAR`` (``'linear'``).

    Parameters
    ----------
    image : (M, N[, C]) ndarray
        Input image: uint8, uint16, float32 or float64 (any dtype for
        ``'nearest'``).
    block : int
        The side of the blocks, in pixels (at least 1).
    method : {'mean', 'nearest', 'linear'}, optional
        How each block's value is chosen: the block's mean, its top-left
        pixel, or OpenCV's bilinear sample at the block's centre.
    channel_axis : int or None, optional
        The axis of the channels (each pixelated alike); None for a 2-D
        grayscale image.
    {workers}

    Returns
    -------
    pixelated : ndarray
        An array of the image's shape and dtype.

    Notes
    -----
    Pixel-centre conventions (OpenCV's, which this function copies): the
    small image has ``(max(M // block, 1), max(N // block, 1))`` pixels
    (``sh x sw``).

    * INTER_AREA: small pixel i averages the source interval
      ``[i * M / sh, (i + 1) * M / sh)``, partly covered pixels weighed by
      their overlap (when ``block`` divides the shape: exactly the block's
      pixels, summed exactly and divided once).
    * INTER_LINEAR: small pixel i samples the source at
      ``(i + 0.5) * M / sh - 0.5`` (centres aligned), the weights rounded
      to float32 (to 1/2048 for uint8, OpenCV's fixed point), taps past the
      last pixel clamped; at exactly 2x OpenCV runs INTER_AREA instead, and
      so does this function.
    * INTER_NEAREST (both the shrink and the blow-up): destination index d
      reads source ``floor(d * (1 / (dst / src)))`` (corners aligned, no
      half-pixel shift).

    A shape not divisible by ``block`` therefore gives blocks of
    ``M / sh`` (not ``block``) pixels on average: the last pixels of a row
    join the last blocks, as in the recipe.  Integer results are rounded
    half to even and saturated (OpenCV's ``saturate_cast``).  Differences
    from the recipe: float32 ``'mean'`` sums in float64 (OpenCV in
    float32: results may differ in the last bits); with partial blocks
    OpenCV's float32 area weights may put a uint8 mean on the other side of
    a rounding step (differences of 1); OpenCV's 2x2 blocks of integers
    round half up, larger ones half to even, as here.  ``'linear'``
    follows OpenCV's taps and weights, but OpenCV 5's vertical weights are
    not reproduced bit for bit: results differ by a few units in the last
    place of float images, by 1 for integer ones (tested with those
    bounds).
    ``method='mean'`` with a block of 1 returns a copy of the image.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import pixelate
    >>> image = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> pixelate(image, 2).tolist()   # 2x2 means 2.5, 4.5 ... round half up, as OpenCV's
    [[3, 3, 5, 5], [3, 3, 5, 5], [11, 11, 13, 13], [11, 11, 13, 13]]
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS} (got {method!r})")
    image = np.asarray(image)
    if isinstance(block, bool) or not isinstance(block, (int, np.integer)) or block < 1:
        raise ValueError(f"block must be an integer >= 1 (got {block!r})")
    if channel_axis is not None:
        if image.ndim != 3:
            raise ValueError("with channel_axis, image must have 3 dimensions "
                             f"(got shape {image.shape})")
        img3 = np.moveaxis(image, channel_axis, -1)
    elif image.ndim == 2:
        img3 = image[:, :, None]
    else:
        raise ValueError("image must be 2-D, or 3-D with channel_axis "
                         f"(got shape {image.shape} and channel_axis=None)")
    if method != "nearest" and image.dtype.type not in _LINEAR_DTYPES:
        raise TypeError(f"method={method!r} takes uint8, uint16, float32 or float64 images "
                        f"(got {image.dtype})")
    if image.size == 0:
        return image.copy()
    img3 = contiguous_writable(img3)
    h, w = img3.shape[:2]
    sh, sw = max(h // block, 1), max(w // block, 1)
    small = contiguous_writable(_shrink(img3, sh, sw, method, workers))
    out = np.empty(img3.shape, image.dtype)
    run(k.expand_rows, (small, _nearest_map(sh, h), _nearest_map(sw, w), out), items=h,
        size=out.size, cost=0.2, workers=workers)
    if channel_axis is not None:
        return np.moveaxis(out, -1, channel_axis)
    return out[:, :, 0]
