"""Public wrappers of the intensity family: invert, adjust_gamma, adjust_log.

Drop-ins for scikit-image 0.26's ``skimage.util.invert``,
``skimage.exposure.adjust_gamma`` and ``skimage.exposure.adjust_log``, with
identical results (bit for bit, output dtype included), exceptions and
warnings.  How each dtype is computed:

* uint8 / uint16 / int8 / int16 / float16 (at most 65536 distinct values): a
  lookup table holding skimage's expression evaluated *by NumPy* on every
  admissible value (for uint8 ``adjust_gamma`` skimage's own LUT), applied in
  one parallel jitted pass.  The table is built with floating-point errors
  raised; if any value would warn (overflow, NaN cast, signalling NaN) the
  call takes the exact path below instead, so the warnings are skimage's.
* float32 / float64 ``adjust_gamma`` with an exponent NumPy's power loop
  special-cases (0, 0.5, 1, 2 after the cast to the image type): a jitted
  elementwise kernel (``1``, ``sqrt``, copy, ``t * t``: exact operations).
* float32 / float64 with a general exponent, ``log2`` or ``2 ** x``: NumPy
  evaluates skimage's expression with in-place ufuncs over one contiguous
  block per thread (NumPy releases the GIL), dropping only its exact
  identities (``/ 1.0``, ``* 1``) when no pixel is NaN.  Numba's ``pow`` /
  ``log2`` / ``exp2`` call libm, and NumPy uses SVML-derived AVX-512 code on
  this machine class; they differ in the last bit for 5-20 % of inputs, so
  those functions are never jitted here, and NumPy's ``pow`` bounds the
  speed-up (about the thread count).
* everything else (other dtypes, scalar arguments of another precision,
  NaN pixels, an expression that would warn): skimage's expression in one
  NumPy call, as fast as skimage.
* invert: bitwise NOT of the bytes for every integer type (``max - x`` and
  ``-1 - x`` are the NOT of the word), logical NOT for bool, ``1 - x`` / ``-x``
  for float32/float64, a table for float16; all jitted.
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from . import elementwise
from .._core.dispatch import resolve_workers, run, worth_parallel
from .._core.docs import fill_doc
from . import elementwise_kernels
from . import kernels as intensity_kernels
from .._core.sk_args import dtype_limits

__all__ = ["invert", "adjust_gamma", "adjust_log"]

_NONNEG_MSG = ("Image Correction methods work correctly only on images with "
               "non-negative values. Use skimage.exposure.rescale_intensity.")
_GAMMA_MSG = "Gamma should be a non-negative real number."

_LUT_TYPES = (np.uint8, np.uint16, np.int8, np.int16, np.float16)
_FLOAT_KERNEL = (np.dtype(np.float32), np.dtype(np.float64))

#: Rough serial ns per byte of a memory-bound pass (invert): such passes stay
#: on one thread below tens of megapixels (``fastimg._core.dispatch.PARALLEL_NS``).
_COPY_NS = 0.1


# ------------------------------------------------------------ skimage's rules
def _scale(image):
    lo, hi = dtype_limits(image, clip_negative=True)
    return float(hi - lo)


def _raise_negative(image):
    arr = np.asarray(image)
    got = arr[arr < 0].min()
    raise ValueError(f"{_NONNEG_MSG} Got an image with minimum value {got}.")


def _assert_non_negative(image):
    """skimage's ``_assert_non_negative`` (same test, same message)."""
    if np.any(image < 0):
        _raise_negative(image)


def _gamma_expr(image, gamma, gain, scale, dtype):
    return (((image / scale) ** gamma) * scale * gain).astype(dtype)


def _log_expr(image, gain, inv, scale, dtype):
    if inv:
        out = (2 ** (image / scale) - 1) * scale * gain
        return dtype(out)
    out = np.log2(1 + image / scale) * scale * gain
    return out.astype(dtype)


def _gamma_u8_lut(gamma, gain):
    """skimage's ``_adjust_gamma_u8`` table."""
    lut = 255 * gain * (np.linspace(0, 1, 256) ** gamma)
    return np.minimum(np.rint(lut), 255).astype('uint8')


# ------------------------------------------------------------ plumbing

def _float_numpy(into, expr, image, dt, n_threads, operands):
    """Float32/float64 images: ``elementwise.numpy_blocks`` when every scalar operand
    keeps ``dt``; skimage's expression in one call otherwise or when a step
    would warn; skimage's error for a negative pixel."""
    if not elementwise.stays_in(dt, *operands):
        if elementwise.scan(image, n_threads) & elementwise_kernels.HAS_NEGATIVE:
            _raise_negative(image)
        return elementwise.numpy_expr(expr, image)
    res = elementwise.numpy_blocks(into, expr, image, dt, n_threads)
    if res is None:
        return elementwise.numpy_expr(expr, image)
    if isinstance(res, int):
        _raise_negative(image)
    return res


def _lut_or_exact(image, expr, exact, n_threads):
    """8/16-bit and float16 images: skimage's expression ``expr(values,
    scale)`` through a table of every admissible value, applied in one
    parallel pass; negative pixels raise skimage's error; ``exact()`` (the
    NumPy path) when any table value would warn."""
    dt = image.dtype.newbyteorder("=")
    scale = _scale(image)
    built = elementwise.build_lut(lambda v: expr(v, scale), dt, check_negative=True)
    if built is not None:
        out, hit = elementwise.apply_lut(image.astype(dt, copy=False), *built, n_threads)
        if hit & elementwise.NEG:
            _raise_negative(image)
        if not hit & elementwise.EXACT:
            return out
    return exact()


def _is_plain(image) -> bool:
    return type(image) is np.ndarray and image.ndim > 0 and image.size > 0


def _is_one(v) -> bool:
    """``v`` is a Python number equal to 1: ``* v`` is exact identity."""
    return type(v) in (int, float, bool) and v == 1


# ------------------------------------------------------------ invert
@fill_doc
def invert(image: npt.ArrayLike, signed_float: bool = False, *,
           workers: int | None = None) -> np.ndarray:
    """Invert an image.

    Drop-in for :func:`skimage.util.invert` (scikit-image 0.26): unsigned
    integers are subtracted from the dtype maximum, signed integers from -1,
    floats from 1 (or negated if `signed_float`), bool is logically negated.

    Parameters
    ----------
    image : ndarray
        Input image.
    signed_float : bool, optional
        If True and the image is of type float, the range is assumed to
        be [-1, 1]. If False and the image is of type float, the range is
        assumed to be [0, 1].
    {workers}

    Returns
    -------
    inverted : ndarray
        Inverted image, same shape and dtype (native byte order).

    Notes
    -----
    Differences from :func:`skimage.util.invert`: none in values or
    dtypes.  Integer and float16 inputs in non-native byte order are
    inverted (skimage 0.26 raises ``TypeError`` from ``np.subtract(...,
    dtype=image.dtype)`` for them); the result is in native byte order, as
    skimage returns for the inputs it accepts.  The result is always
    C-contiguous.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import util
    >>> util.invert(np.array([0, 100, 255], np.uint8)).tolist()
    [255, 155, 0]
    """
    n = resolve_workers(workers)
    if not _is_plain(image):
        return _invert_numpy(image, signed_float)
    dt = image.dtype.newbyteorder("=")
    if dt == np.bool_:
        x = elementwise.flat(image).view(np.uint8)
        out = np.empty(image.shape, np.bool_)
        run(intensity_kernels.bool_not, (x, out.reshape(-1).view(np.uint8)),
            items=x.size, size=x.size, cost=_COPY_NS, n_threads=n)
        return out
    if dt.kind in "ui":
        out = np.empty(image.shape, dt)
        if not worth_parallel(n, image.size, _COPY_NS * dt.itemsize):
            # one thread: NumPy's SIMD loop is the fastest there is (and a
            # Numba dispatch costs more than the work on small images);
            # ~v == max - v for unsigned, -1 - v for signed integers
            return np.invert(image.astype(dt, copy=False), out=out)
        x = elementwise.flat(image.astype(dt, copy=False)).view(np.uint8)
        run(intensity_kernels.bytes_not, (x, out.reshape(-1).view(np.uint8)),
            items=x.size, size=x.size, cost=_COPY_NS * dt.itemsize, n_threads=n)
        return out
    if dt in _FLOAT_KERNEL:
        out = np.empty(image.shape, dt)
        if not worth_parallel(n, image.size, _COPY_NS * dt.itemsize):
            # one IEEE operation per pixel, as in skimage
            if signed_float:
                return np.negative(image, out=out)
            return np.subtract(dt.type(1), image, out=out)
        x = elementwise.flat(image)
        run(intensity_kernels.float_invert, (x, dt.type(1), bool(signed_float), out.reshape(-1)),
            items=x.size, size=x.size, cost=_COPY_NS * dt.itemsize, n_threads=n)
        return out
    if dt == np.float16:
        img = image.astype(dt, copy=False)
        if signed_float:
            built = elementwise.build_lut(lambda v: -v, dt, check_negative=False)
        else:
            built = elementwise.build_lut(lambda v: np.subtract(1, v, dtype=v.dtype), dt,
                               check_negative=False)
        if built is not None:
            out, hit = elementwise.apply_lut(img, *built, n)
            if not hit & elementwise.EXACT:
                return out
        return _invert_numpy(img, signed_float)
    return _invert_numpy(image, signed_float)


def _invert_numpy(image, signed_float):
    """skimage 0.26's invert, verbatim."""
    if image.dtype == 'bool':
        inverted = ~image
    elif np.issubdtype(image.dtype, np.unsignedinteger):
        max_val = dtype_limits(image, clip_negative=False)[1]
        inverted = np.subtract(max_val, image, dtype=image.dtype)
    elif np.issubdtype(image.dtype, np.signedinteger):
        inverted = np.subtract(-1, image, dtype=image.dtype)
    else:  # float dtype
        if signed_float:
            inverted = -image
        else:
            inverted = np.subtract(1, image, dtype=image.dtype)
    return inverted


# ------------------------------------------------------------ adjust_gamma
def _gamma_numpy(image, gamma, gain):
    """skimage 0.26's adjust_gamma after the gamma check, in NumPy."""
    dtype = image.dtype.type
    if dtype is np.uint8:
        return _gamma_u8_lut(gamma, gain)[image]
    _assert_non_negative(image)
    scale = _scale(image)
    if not _is_plain(image):
        return _gamma_expr(image, gamma, gain, scale, dtype)
    return elementwise.numpy_expr(lambda v: _gamma_expr(v, gamma, gain, scale, dtype), image)


def _special_code(dt, gamma, gain, scale):
    """Kernel exponent code if skimage's float expression runs entirely in
    ``dt`` and NumPy's power loop evaluates it without ``pow``; else None."""
    if np.ndim(gamma) != 0 or np.ndim(gain) != 0:
        return None
    try:
        if (np.result_type(dt, scale) != dt or np.result_type(dt, gamma) != dt
                or np.result_type(dt, gain) != dt):
            return None
        with np.errstate(all="raise"):
            g = dt.type(gamma)
            gn = dt.type(gain)
    except (TypeError, ValueError, OverflowError, FloatingPointError):
        return None
    codes = {0.0: intensity_kernels.POW_ZERO, 0.5: intensity_kernels.POW_HALF, 1.0: intensity_kernels.POW_ONE, 2.0: intensity_kernels.POW_TWO}
    if np.isnan(g) or float(g) not in codes:
        return None
    return codes[float(g)], gn


def _pow_at_zeros(dt, gamma):
    """NumPy's ``[+0, -0] ** gamma`` in ``dt``, through the same ufunc loop
    as an image (16 elements: whole SIMD vectors), or None if that
    raises a floating-point flag."""
    probe = np.ones(16, dt)
    probe[1] = -0.0
    probe[0] = 0.0
    try:
        with np.errstate(all="raise"):
            r = np.power(probe, gamma)
    except FloatingPointError:
        return None
    if r.dtype != dt:
        return None
    return r[0], r[1]


def _gamma_into(gamma, gain, dt):
    """``elementwise.numpy_blocks``'s ``(scan, apply)`` for skimage's float
    ``((v / scale) ** gamma) * scale * gain`` with in-place ufuncs (``x ** g``
    is ``np.power(x, g)``).  For floats ``scale`` is 1.0, and the caller
    checks that every operand keeps the image dtype and that the pixels hold
    no NaN, so the exact identities ``/ 1.0``, ``* 1.0``, ``* 1`` and
    ``.astype(dtype)`` are dropped.

    Zeros (dark pixels: 5 % of the benchmark photograph) are raised to
    ``gamma`` as ones and given NumPy's ``0 ** gamma`` afterwards: NumPy's
    SIMD ``pow`` (SVML) handles each vector holding a zero with a scalar
    call-out, which made the whole ``pow`` 35 % slower.  The other lanes of
    a vector are computed independently, so every value is still NumPy's."""
    zeros = _pow_at_zeros(dt, gamma)
    one = dt.type(1)

    def scan(x, o, s, e):
        # the scan also copies the step to ``o`` with zeros replaced by ones
        return intensity_kernels.scan_zeros_to_one(x, o, one, s, e)

    def apply(v, o, flags):
        np.power(o, gamma, out=o)
        if flags & elementwise_kernels.HAS_ZERO:
            intensity_kernels.restore_zeros(v, o, *zeros)
        if not _is_one(gain):
            np.multiply(o, gain, out=o)

    def apply_plain(v, o, flags):
        np.power(v, gamma, out=o)
        if not _is_one(gain):
            np.multiply(o, gain, out=o)

    return (scan, apply) if zeros is not None else (elementwise.plain_scan, apply_plain)


@fill_doc
def adjust_gamma(image: npt.ArrayLike, gamma: float = 1, gain: float = 1, *,
                 workers: int | None = None) -> np.ndarray:
    """Perform gamma correction on the input image.

    Drop-in for :func:`skimage.exposure.adjust_gamma` (scikit-image 0.26):
    ``O = ((I / scale) ** gamma) * scale * gain`` cast back to the input
    dtype, with ``scale`` the dtype's positive range (1 for floats); uint8 goes
    through skimage's rounded, clipped 256-entry table.

    Parameters
    ----------
    image : ndarray
        Input image.
    gamma : float, optional
        Non negative real number. Default value is 1.
    gain : float, optional
        The constant multiplier. Default value is 1.
    {workers}

    Returns
    -------
    out : ndarray
        Gamma corrected output image (the input's dtype, native byte order).

    Raises
    ------
    ValueError
        ``gamma < 0``, or (non-uint8 images) a negative pixel value; the
        message is skimage's followed by what was received.

    Notes
    -----
    Differences from :func:`skimage.exposure.adjust_gamma`: none in values,
    dtypes or warnings (NumPy evaluates every ``pow``; see the "Parity
    notes" of fastimg's README).  The result is always C-contiguous;
    messages add the offending value.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import exposure
    >>> exposure.adjust_gamma(np.array([0, 64, 128, 255], np.uint8), 2).tolist()
    [0, 16, 64, 255]
    """
    if gamma < 0:
        raise ValueError(f"{_GAMMA_MSG} Got gamma={gamma!r}.")
    n = resolve_workers(workers)
    if not _is_plain(image):
        return _gamma_numpy(image, gamma, gain)
    dtype = image.dtype.type
    if dtype is np.uint8:
        lut = _gamma_u8_lut(gamma, gain)
        if lut.shape != (256,) or lut.dtype != np.uint8:
            return lut[image]
        return elementwise.apply_lut(image, lut, None, np.dtype(np.uint8), n)[0]
    if dtype in _LUT_TYPES:
        return _lut_or_exact(image, lambda v, scale: _gamma_expr(v, gamma, gain, scale, dtype),
                             lambda: _gamma_numpy(image, gamma, gain), n)
    dt = image.dtype.newbyteorder("=")
    if dt in _FLOAT_KERNEL:
        special = _special_code(dt, gamma, gain, 1.0)
        if special is not None:
            code, gn = special
            x = elementwise.flat(image)
            out = np.empty(image.shape, dt)
            neg = run(intensity_kernels.gamma_special, (x, dt.type(1.0), code, gn, out.reshape(-1)),
                      items=x.shape[0], size=x.shape[0], cost=2.0, n_threads=n,
                      flags=True)
            if neg:
                _raise_negative(image)
            return out
        scale = _scale(image)          # 1.0 for floats
        return _float_numpy(_gamma_into(gamma, gain, dt),
                            lambda v: _gamma_expr(v, gamma, gain, scale, dtype),
                            image, dt, n, (scale, gamma, gain))
    return _gamma_numpy(image, gamma, gain)


# ------------------------------------------------------------ adjust_log
def _log_numpy(image, gain, inv):
    """skimage 0.26's adjust_log, in NumPy."""
    _assert_non_negative(image)
    dtype = image.dtype.type
    scale = float(dtype_limits(image, True)[1] - dtype_limits(image, True)[0])
    if not _is_plain(image):
        return _log_expr(image, gain, inv, scale, dtype)
    return elementwise.numpy_expr(lambda v: _log_expr(v, gain, inv, scale, dtype), image)


def _log_into(gain, inv):
    """``elementwise.numpy_blocks``'s ``(scan, apply)`` for skimage's float
    ``log2(1 + v / scale) * scale * gain`` (or, ``inv``,
    ``(2 ** (v / scale) - 1) * scale * gain``) with in-place ufuncs, under
    the conditions of ``_gamma_into``."""
    def apply(v, o, flags):
        if inv:
            np.power(2, v, out=o)
            np.subtract(o, 1, out=o)
        else:
            np.add(1, v, out=o)
            np.log2(o, out=o)
        if not _is_one(gain):
            np.multiply(o, gain, out=o)
    return elementwise.plain_scan, apply


@fill_doc
def adjust_log(image: npt.ArrayLike, gain: float = 1, inv: bool = False, *,
               workers: int | None = None) -> np.ndarray:
    """Performs Logarithmic correction on the input image.

    Drop-in for :func:`skimage.exposure.adjust_log` (scikit-image 0.26):
    ``O = gain * log2(1 + I / scale) * scale`` (or, with `inv`,
    ``O = gain * (2 ** (I / scale) - 1) * scale``), cast back to the input
    dtype, with ``scale`` the dtype's positive range (1 for floats).

    Parameters
    ----------
    image : ndarray
        Input image.
    gain : float, optional
        The constant multiplier. Default value is 1.
    inv : bool, optional
        If True, it performs inverse logarithmic correction,
        else correction will be logarithmic. Defaults to False.
    {workers}

    Returns
    -------
    out : ndarray
        Logarithm corrected output image (the input's dtype, native order).

    Raises
    ------
    ValueError
        A negative pixel value (skimage's message, then the minimum found).

    Notes
    -----
    Differences from :func:`skimage.exposure.adjust_log`: none in values,
    dtypes or warnings (``log2`` and ``2 ** x`` are NumPy's, evaluated once
    per distinct value for 8/16-bit and float16 images, one block per thread
    otherwise).  The result is always C-contiguous; messages add the
    offending value.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import exposure
    >>> exposure.adjust_log(np.array([0, 64, 128, 255], np.uint8)).tolist()
    [0, 82, 149, 255]
    """
    n = resolve_workers(workers)
    if not _is_plain(image):
        return _log_numpy(image, gain, inv)
    dtype = image.dtype.type
    if dtype in _LUT_TYPES:
        return _lut_or_exact(image, lambda v, scale: _log_expr(v, gain, inv, scale, dtype),
                             lambda: _log_numpy(image, gain, inv), n)
    dt = image.dtype.newbyteorder("=")
    if dt in _FLOAT_KERNEL:
        scale = _scale(image)          # 1.0 for floats
        return _float_numpy(_log_into(gain, inv),
                            lambda v: _log_expr(v, gain, inv, scale, dtype),
                            image, dt, n, (scale, gain))
    return _log_numpy(image, gain, inv)
