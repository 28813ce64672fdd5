"""Reference (oracle) correlation and convolution with SciPy 1.17 semantics.

Mirrors ``scipy.ndimage`` correlate, convolve, correlate1d and convolve1d, and
holds the rules every ndimage reference builds on (the C cast, boundary
padding, argument checks; :mod:`reference.separable` imports them).  Pure
NumPy, written for clarity, not speed.  It is the definition fastimg is tested
against; SciPy is a second oracle.

Rules encoded (all checked bit for bit against SciPy 1.17.1 on x86-64):

Boundary modes (ndimage)
    ``reflect``/``grid-mirror`` = numpy ``symmetric`` (dcba|abcd|dcba),
    ``mirror`` = numpy ``reflect`` (dcb|abcd|cba), ``nearest`` = numpy ``edge``,
    ``wrap``/``grid-wrap`` = numpy ``wrap``, ``constant``/``grid-constant`` = ``cval``
    (a float64, never cast to the input dtype).  Padding wider than the axis
    repeats periodically (numpy does the same).  An axis of length 1 with ``mirror``
    behaves like ``nearest``.  Any other name: ``RuntimeError('boundary mode not
    supported')``.

Kernel placement
    Centre at ``k // 2`` plus ``origin``; output[i] = sum_j w[j] * x[i + j - k//2 -
    origin].  Valid origins: ``-(k//2) <= origin <= (k-1)//2`` (ValueError).
    ``convolve`` = correlate with reversed weights and ``origin = -origin - (k even)``.

Arithmetic (float64 throughout; inputs are converted to float64 first)
    * n-D ``correlate``/``convolve`` (C ``NI_Correlate``): weights with
      ``|w| <= DBL_EPSILON`` are dropped; ``acc = 0.0`` then ``acc += w * x`` over the
      remaining weights in C order.
    * 1-D ``correlate1d`` and everything built on it (``NI_Correlate1D``): for an odd
      kernel with centre c and half size h, if ``|w[c+i] - w[c-i]| <= DBL_EPSILON`` for
      all i (symmetric) it computes ``x0*w[c]`` then ``+= (x[-i] + x[+i]) * w[c-i]``
      for i = h..1; else if ``|w[c+i] + w[c-i]| <= DBL_EPSILON`` (antisymmetric) the
      same with ``(x[-i] - x[+i])``; otherwise it starts from the LAST tap
      ``x[last]*w[last]`` and adds ``x[j]*w[j]`` for j = first..last-1.  No weight is
      dropped on this path.

Output
    ``output=None`` -> input dtype (complex input -> complex); a dtype or an array is
    accepted.  float64 -> output dtype follows :func:`_cast_like_c`.  float16 (and
    other unsupported dtypes) raise ``RuntimeError``.

Complex
    ndimage splits complex data into real / imaginary real-valued passes exactly like
    SciPy's ``_complex_via_real_components`` (correlate conjugates complex weights).

Known anchor behaviour NOT reproduced
    ndimage n-D ``reflect`` maps an out-of-range index that is an exact multiple
    (>= 2) of ``2*len`` below zero to -1 (reads outside the array; needs a kernel
    longer than 4*len + 1).  The reference uses the periodic rule instead.
"""

import warnings

import numpy as np

__all__ = ["correlate", "convolve", "correlate1d", "convolve1d"]

DBL_EPSILON = np.finfo(np.float64).eps

# dtypes the ndimage C code can read and write (anything else: RuntimeError)
_NDIMAGE_TYPES = {"b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "f", "d", "?"}


# --------------------------------------------------------------------------------------
# float64 -> dtype conversion, as the C code compiled for x86-64 does it
# --------------------------------------------------------------------------------------
def _c_cast_plain(t, dtype):
    """C ``(T)t`` for a float64 array ``t`` as gcc emits it on x86-64 (SSE2).

    * 8/16-bit ints (and bool, stored as a byte): convert to int32 (cvttsd2si), keep
      the low bits.  Out of int32 range, inf, NaN -> 0.
    * int32: truncate; out of range, inf, NaN -> INT32_MIN.
    * uint32: convert to int64, keep the low 32 bits; out of int64 range -> 0.
    * int64: truncate; out of range, inf, NaN -> INT64_MIN.
    * uint64: below 2**63 convert to int64 (out of range / -inf / NaN -> 2**63),
      [2**63, 2**64) exact, >= 2**64 or +inf -> 0.
    * float32: round to nearest; float64: unchanged.
    """
    dtype = np.dtype(dtype)
    t = np.asarray(t, dtype=np.float64)
    if dtype.kind == "f":
        return t.astype(dtype)
    with np.errstate(invalid="ignore"):
        v = np.trunc(t)
        finite = np.isfinite(v)
        in32 = finite & (v >= -(2.0**31)) & (v <= 2.0**31 - 1)
        in64 = finite & (v >= -(2.0**63)) & (v < 2.0**63)
        if dtype.kind == "b":
            as_byte = np.where(in32, v, 0).astype(np.int64).astype(np.uint8)
            return as_byte.view(np.bool_)
        if dtype.itemsize <= 2:
            return np.where(in32, v, 0).astype(np.int64).astype(dtype)
        if dtype == np.int32:
            return np.where(in32, v, -(2.0**31)).astype(np.int64).astype(dtype)
        if dtype == np.uint32:
            return np.where(in64, v, 0).astype(np.int64).astype(dtype)
        if dtype == np.int64:
            return np.where(in64, v, -(2.0**63)).astype(np.int64)
        if dtype == np.uint64:
            low = np.where(in64, v, -(2.0**63)).astype(np.int64).view(np.uint64)
            high_mask = finite & (v >= 2.0**63) & (v < 2.0**64)
            high = (np.where(high_mask, v, 2.0**63) - 2.0**63).astype(np.int64)
            high = high.view(np.uint64) + np.uint64(2**63)
            too_big = (v >= 2.0**64)  # includes +inf; NaN compares False
            out = np.where(high_mask, high, low)
            return np.where(too_big, np.uint64(0), out).astype(np.uint64)
    raise RuntimeError("array type not supported")


def _cast_like_c(values, dtype, *, safe_unsigned=False):
    """Convert float64 ``values`` to ``dtype`` the way SciPy's C filters do.

    ``safe_unsigned=False``: plain C cast ``(T)t`` (the 1-D line-buffer path:
    correlate1d, gaussian, uniform, sobel, prewitt).  ``safe_unsigned=True``: the n-D
    ``correlate``/``convolve`` path, which writes unsigned outputs as
    ``t > -1 ? (T)t : -(T)(-t)``.  The two differ only for uint64 and t < -2**63.
    Summary (v = trunc(t)):

    ========  ==========================================  =========================
    dtype     v in range of the C conversion               otherwise (incl. inf/NaN)
    ========  ==========================================  =========================
    (u)int8,  |v| < 2**31: v mod 2**bits (wraps: 1800 ->   0
    (u)int16  8 as uint8; -1.5 -> 255 as uint8)
    int32     v                                           INT32_MIN
    uint32    |v| < 2**63: v mod 2**32                    0
    int64     v                                           INT64_MIN
    uint64    [-2**63, 2**64): v mod 2**64                 NaN, < -2**63: 2**63;
                                                          >= 2**64: 0
    ========  ==========================================  =========================
    """
    dtype = np.dtype(dtype)
    if dtype.char not in _NDIMAGE_TYPES:
        raise RuntimeError("array type not supported")
    t = np.asarray(values, dtype=np.float64)
    if not safe_unsigned or dtype.kind not in "ub":
        return _c_cast_plain(t, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        direct = _c_cast_plain(t, dtype)
        negated = _c_cast_plain(-t, dtype)
        if dtype.kind == "b":
            negated = (0 - negated.view(np.uint8).astype(np.int64)).astype(np.uint8)
            return np.where(t > -1, direct.view(np.uint8), negated).view(np.bool_)
        negated = (np.zeros((), dtype) - negated).astype(dtype)  # unsigned wrap-around
        return np.where(t > -1, direct, negated).astype(dtype)


# --------------------------------------------------------------------------------------
# small helpers shared by the ndimage functions
# --------------------------------------------------------------------------------------
_MODE_TO_NUMPY = {
    "reflect": "symmetric",
    "grid-mirror": "symmetric",
    "mirror": "reflect",
    "nearest": "edge",
    "wrap": "wrap",
    "grid-wrap": "wrap",
    "constant": "constant",
    "grid-constant": "constant",
}


def _numpy_pad_mode(mode):
    if not isinstance(mode, str) or mode not in _MODE_TO_NUMPY:
        raise RuntimeError("boundary mode not supported")
    return _MODE_TO_NUMPY[mode]


def _pad_axis(x, axis, before, after, mode, cval):
    """Pad float64 ``x`` along one axis by ndimage ``mode``."""
    np_mode = _numpy_pad_mode(mode)
    if np_mode == "reflect" and x.shape[axis] == 1:
        np_mode = "edge"  # scipy: mirror of a single sample is that sample
    widths = [(0, 0)] * x.ndim
    widths[axis] = (before, after)
    if np_mode == "constant":
        return np.pad(x, widths, mode="constant", constant_values=cval)
    return np.pad(x, widths, mode=np_mode)


def _normalize_sequence(value, rank):
    if not isinstance(value, str) and np.iterable(value):
        normalized = list(value)
        if len(normalized) != rank:
            raise RuntimeError("sequence argument must have length equal to input rank")
        return normalized
    return [value] * rank


def _normalize_axis(axis, ndim):
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis % ndim


def _check_axes(axes, ndim):
    if axes is None:
        return tuple(range(ndim))
    if np.isscalar(axes):
        axes = (int(axes),)
    for ax in axes:
        if ax < -ndim or ax > ndim - 1:
            raise ValueError(f"specified axis: {ax} is out of range")
    axes = tuple(int(ax) % ndim for ax in axes)
    if len(set(axes)) != len(axes):
        raise ValueError("axes must be unique")
    return axes


def _get_output(output, input, shape=None, complex_output=False):
    """The output array, as ``scipy.ndimage._ni_support._get_output`` makes it."""
    if shape is None:
        shape = input.shape
    if output is None:
        if not complex_output:
            return np.zeros(shape, dtype=input.dtype.name)
        return np.zeros(shape, dtype=np.promote_types(input.dtype, np.complex64))
    if isinstance(output, (type, np.dtype)):
        if complex_output and np.dtype(output).kind != "c":
            output = np.promote_types(output, np.complex64)
        return np.zeros(shape, dtype=output)
    if isinstance(output, str):
        output = np.dtype(output)
        if complex_output and output.kind != "c":
            raise RuntimeError("output must have complex dtype")
        if not issubclass(output.type, np.number):
            raise RuntimeError("output must have numeric dtype")
        return np.zeros(shape, dtype=output)
    output = np.asarray(output)
    if output.shape != shape:
        raise RuntimeError("output shape not correct")
    if complex_output and output.dtype.kind != "c":
        raise RuntimeError("output must have complex dtype")
    return output


def _check_ndimage_type(dtype, line_path):
    """The C filters read/write bool, 8..64-bit ints, float32, float64 only."""
    if dtype.char not in _NDIMAGE_TYPES:
        if line_path:  # the line-buffer code names the dtype
            raise RuntimeError(f"array type {dtype!r} not supported")
        raise RuntimeError("array type not supported")


def _as_float64_input(input, line_path=True):
    _check_ndimage_type(input.dtype, line_path)
    if input.dtype == np.bool_:  # C reads the raw byte (a bool output may hold 2..255)
        return input.view(np.uint8).astype(np.float64)
    return input.astype(np.float64)


def _c_double(cval):
    """``cval`` as the C code parses it (PyArg "d"): a Python complex is refused,
    anything else goes through ``float()`` (numpy complex scalars lose the imag part)."""
    if type(cval) is complex:
        raise TypeError("must be real number, not complex")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cval)


def _invalid_origin(origin, lenw):
    return origin < -(lenw // 2) or origin > (lenw - 1) // 2


def _complex_via_real_components(func, input, weights, output, cval, **kwargs):
    """Complex filtering as real filterings of the components (SciPy's recipe)."""
    complex_input = input.dtype.kind == "c"
    complex_weights = weights.dtype.kind == "c"
    if complex_input and complex_weights:
        func(input.real, weights.real, output=output.real, cval=np.real(cval), **kwargs)
        output.real -= func(input.imag, weights.imag, output=None,
                            cval=np.imag(cval), **kwargs)
        func(input.real, weights.imag, output=output.imag, cval=np.real(cval), **kwargs)
        output.imag += func(input.imag, weights.real, output=None,
                            cval=np.imag(cval), **kwargs)
    elif complex_input:
        func(input.real, weights, output=output.real, cval=np.real(cval), **kwargs)
        func(input.imag, weights, output=output.imag, cval=np.imag(cval), **kwargs)
    else:
        if np.iscomplexobj(cval):
            raise ValueError("Cannot provide a complex-valued cval when the "
                             "input is real.")
        func(input, weights.real, output=output.real, cval=cval, **kwargs)
        func(input, weights.imag, output=output.imag, cval=cval, **kwargs)
    return output


# --------------------------------------------------------------------------------------
# n-D correlation / convolution
# --------------------------------------------------------------------------------------
def _correlate_or_convolve(input, weights, output, mode, cval, origin, convolution,
                           axes):
    input = np.asarray(input)
    weights = np.asarray(weights)
    if input.dtype.kind == "c" or weights.dtype.kind == "c":
        if weights.dtype.kind == "c" and not convolution:
            weights = weights.conj()
        output = _get_output(output, input, complex_output=True)
        return _complex_via_real_components(
            _correlate_or_convolve, input, weights, output, cval,
            mode=mode, origin=origin, convolution=convolution, axes=axes)

    axes = _check_axes(axes, input.ndim)
    weights = np.asarray(weights, dtype=np.float64)
    if len(axes) < input.ndim:  # filtered axes only: singleton weights elsewhere
        if weights.ndim != len(axes):
            raise RuntimeError(f"weights.ndim ({weights.ndim}) must match "
                               f"len(axes) ({len(axes)})")
        weights = np.expand_dims(
            weights, tuple(ax for ax in range(input.ndim) if ax not in axes))
        origins = [0] * input.ndim
        for o, ax in zip(_normalize_sequence(origin, len(axes)), axes):
            origins[ax] = o
    else:
        origins = _normalize_sequence(origin, len(axes))
    wshape = [n for n in weights.shape if n > 0]
    if len(wshape) != input.ndim:
        raise RuntimeError(f"weights.ndim ({len(wshape)}) must match "
                           f"len(axes) ({len(axes)})")
    if convolution:
        weights = weights[(slice(None, None, -1),) * weights.ndim]
        origins = [-o - (1 if weights.shape[i] % 2 == 0 else 0)
                   for i, o in enumerate(origins)]
    for o, lenw in zip(origins, wshape):
        if _invalid_origin(o, lenw):
            raise ValueError("Invalid origin; origin must satisfy "
                             "-(weights.shape[k] // 2) <= origin[k] <= "
                             "(weights.shape[k]-1) // 2")
    output = _get_output(output, input)
    if not isinstance(mode, str):
        raise RuntimeError("A sequence of modes is not supported")

    # pad: kernel index j on an axis reads input index i + j - (k//2 + origin)
    cval = _c_double(cval)
    x = _as_float64_input(input, line_path=False)
    _check_ndimage_type(output.dtype, line_path=False)
    for ax in range(x.ndim):
        k = weights.shape[ax]
        before = k // 2 + origins[ax]
        x = _pad_axis(x, ax, before, k - 1 - before, mode, cval)

    acc = np.zeros(input.shape, dtype=np.float64)
    for idx in np.ndindex(*weights.shape):  # C order, like the C footprint
        w = weights[idx]
        if abs(w) <= DBL_EPSILON:  # NI_Correlate drops (near-)zero weights
            continue
        window = x[tuple(slice(j, j + n) for j, n in zip(idx, input.shape))]
        acc += w * window
    output[...] = _cast_like_c(acc, output.dtype, safe_unsigned=True)
    return output


def correlate(input, weights, output=None, mode='reflect', cval=0.0, origin=0, *,
              axes=None):
    """Multidimensional correlation (``scipy.ndimage.correlate``)."""
    return _correlate_or_convolve(input, weights, output, mode, cval, origin, False,
                                  axes)


def convolve(input, weights, output=None, mode='reflect', cval=0.0, origin=0, *,
             axes=None):
    """Multidimensional convolution (``scipy.ndimage.convolve``)."""
    return _correlate_or_convolve(input, weights, output, mode, cval, origin, True,
                                  axes)


# --------------------------------------------------------------------------------------
# 1-D correlation along one axis (the line-buffer path)
# --------------------------------------------------------------------------------------
def _symmetry(w):
    """+1 symmetric, -1 antisymmetric, 0 neither (odd sizes only), as NI_Correlate1D."""
    k = len(w)
    if k % 2 == 0:
        return 0
    c = k // 2
    if all(abs(w[c + i] - w[c - i]) <= DBL_EPSILON for i in range(1, c + 1)):
        return 1
    if all(abs(w[c + i] + w[c - i]) <= DBL_EPSILON for i in range(1, c + 1)):
        return -1
    return 0


def _correlate1d_float64(x, w, axis, mode, cval, origin):
    """float64 result of correlating float64 ``x`` with float64 ``w`` along ``axis``."""
    k = len(w)
    size1 = k // 2
    size2 = k - size1 - 1
    n = x.shape[axis]
    padded = _pad_axis(x, axis, size1 + origin, size2 - origin, mode, cval)

    def tap(j):  # input shifted by kernel offset j (j = -size1 .. size2)
        start = size1 + j
        return np.take(padded, np.arange(start, start + n), axis=axis)

    symmetric = _symmetry(w)
    if symmetric > 0:
        out = tap(0) * w[size1]
        for j in range(-size1, 0):
            out = out + (tap(j) + tap(-j)) * w[size1 + j]
    elif symmetric < 0:
        out = tap(0) * w[size1]
        for j in range(-size1, 0):
            out = out + (tap(j) - tap(-j)) * w[size1 + j]
    else:
        out = tap(size2) * w[size1 + size2]
        for j in range(-size1, size2):
            out = out + tap(j) * w[size1 + j]
    return out


def correlate1d(input, weights, axis=-1, output=None, mode='reflect', cval=0.0,
                origin=0):
    """1-D correlation along ``axis`` (``scipy.ndimage.correlate1d``)."""
    input = np.asarray(input)
    weights = np.asarray(weights)
    if input.dtype.kind == "c" or weights.dtype.kind == "c":
        if weights.dtype.kind == "c":
            weights = weights.conj().astype(np.complex128, copy=False)
        output = _get_output(output, input, complex_output=True)
        return _complex_via_real_components(correlate1d, input, weights, output, cval,
                                            axis=axis, mode=mode, origin=origin)
    output = _get_output(output, input)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or weights.shape[0] < 1:
        raise RuntimeError("no filter weights given")
    axis = _normalize_axis(axis, input.ndim)
    if _invalid_origin(origin, len(weights)):
        raise ValueError("Invalid origin; origin must satisfy "
                         "-(len(weights) // 2) <= origin <= "
                         "(len(weights)-1) // 2")
    _numpy_pad_mode(mode)
    cval = _c_double(cval)
    x = _as_float64_input(input)
    _check_ndimage_type(output.dtype, line_path=True)
    result = _correlate1d_float64(x, weights, axis, mode, cval, origin)
    output[...] = _cast_like_c(result, output.dtype)
    return output


def convolve1d(input, weights, axis=-1, output=None, mode='reflect', cval=0.0,
               origin=0):
    """1-D convolution along ``axis`` (``scipy.ndimage.convolve1d``)."""
    weights = np.asarray(weights)[::-1]
    origin = -origin
    if weights.shape[0] % 2 == 0:
        origin -= 1
    if weights.dtype.kind == "c":
        weights = weights.conj()  # undone by the conjugation in correlate1d
    return correlate1d(input, weights, axis, output, mode, cval, origin)
