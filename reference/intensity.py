"""Reference (oracle) intensity transforms with scikit-image 0.26 semantics:
``skimage.util.invert``, ``skimage.exposure.adjust_gamma`` and
``skimage.exposure.adjust_log``.

Built only on NumPy, written the obvious way: one whole-array expression per
function, evaluated by NumPy's ufuncs (so ``pow``, ``log2`` and ``2 ** x``
are NumPy's own, as in skimage).

Rules encoded:

Intensity range (``skimage.util.dtype.dtype_limits``)
    bool (0, 1); floats (-1, 1); integers ``iinfo`` min/max; other types
    (complex, longdouble) are not listed: ``KeyError``.  The gamma/log
    ``scale`` is ``float(max - 0)`` (negative range clipped): 1.0 for floats,
    255.0 for uint8, 65535.0 for uint16, 127.0 for int8 ...

invert
    bool: logical NOT; unsigned: ``max - x``; signed: ``-1 - x`` (both in the
    input dtype, i.e. the bitwise NOT); float: ``1 - x`` in the input dtype,
    or ``-x`` if ``signed_float``.

adjust_gamma
    ``gamma < 0``: ``ValueError("Gamma should be a non-negative real number.")``.
    uint8: table ``t = 255 * gain * linspace(0, 1, 256) ** gamma`` in float64,
    ``minimum(rint(t), 255)`` (round half to even, clip above only) cast to
    uint8, then ``t[image]`` (no negativity check: uint8 cannot be negative).
    Other dtypes: any value ``< 0`` (NaN is not) raises
    ``ValueError("Image Correction methods work correctly only on images with
    non-negative values. Use skimage.exposure.rescale_intensity.")``; then
    ``(((x / scale) ** gamma) * scale * gain).astype(dtype)`` with NumPy 2
    promotion (Python scalars are weak: float32 stays float32, float16 stays
    float16 (computed per op in float32 and rounded), integers go through
    float64) and a C cast back (truncation toward zero).

adjust_log
    The negativity check first (every dtype), then
    ``(log2(1 + x / scale) * scale * gain).astype(dtype)``, or with ``inv``
    ``dtype((2 ** (x / scale) - 1) * scale * gain)``.
"""

import numpy as np

__all__ = ["invert", "adjust_gamma", "adjust_log", "dtype_limits"]

_RANGES = {np.dtype(np.bool_): (False, True)}
for _t in (np.float16, np.float32, np.float64):
    _RANGES[np.dtype(_t)] = (-1, 1)
for _t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
           np.uint64):
    _RANGES[np.dtype(_t)] = (np.iinfo(_t).min, np.iinfo(_t).max)

NONNEG_MSG = ("Image Correction methods work correctly only on images with "
              "non-negative values. Use skimage.exposure.rescale_intensity.")
GAMMA_MSG = "Gamma should be a non-negative real number."


def dtype_limits(image, clip_negative=False):
    """(min, max) intensity of ``image``'s dtype (skimage's table)."""
    dt = np.dtype(image.dtype.type)
    if dt not in _RANGES:
        raise KeyError(image.dtype.type)
    imin, imax = _RANGES[dt]
    if clip_negative:
        imin = 0
    return imin, imax


def _check_non_negative(image):
    if np.any(image < 0):
        raise ValueError(NONNEG_MSG)


def invert(image, signed_float=False):
    dt = image.dtype
    if dt.kind == "b":
        return np.logical_not(image)
    if dt.kind == "u":
        return (np.array(np.iinfo(dt).max, dtype=dt.type) - image).astype(dt.type)
    if dt.kind == "i":
        return (np.array(-1, dtype=dt.type) - image).astype(dt.type)
    if signed_float:
        return np.negative(image)
    return (np.array(1, dtype=dt.type) - image).astype(dt.type)


def adjust_gamma(image, gamma=1, gain=1):
    if gamma < 0:
        raise ValueError(GAMMA_MSG)
    if image.dtype.type is np.uint8:
        table = 255 * gain * (np.linspace(0, 1, 256) ** gamma)
        table = np.minimum(np.rint(table), 255).astype(np.uint8)
        return table[image]
    _check_non_negative(image)
    lo, hi = dtype_limits(image, clip_negative=True)
    scale = float(hi - lo)
    t = image / scale
    p = t ** gamma
    return (p * scale * gain).astype(image.dtype.type)


def adjust_log(image, gain=1, inv=False):
    _check_non_negative(image)
    lo, hi = dtype_limits(image, clip_negative=True)
    scale = float(hi - lo)
    t = image / scale
    if inv:
        out = (2 ** t - 1) * scale * gain
    else:
        out = np.log2(1 + t) * scale * gain
    return out.astype(image.dtype.type)
