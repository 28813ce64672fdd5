"""Public wrappers of the convolution family.

scipy.ndimage: correlate1d, convolve1d, correlate, convolve, gaussian_filter1d,
gaussian_filter, uniform_filter1d, uniform_filter, sobel, prewitt.
scipy.signal: convolve2d, correlate2d.

Each wrapper validates like SciPy 1.17 (same exception types and key phrases),
normalises the input (native byte order, contiguous, a closed set of dtypes),
allocates the output with NumPy and calls one jitted core from
``fastimg._kernels.convolution``.  Sums are float64 in SciPy's order, so
results are identical to SciPy's, integer truncation and wrap-around included;
the exceptions (FFT for large kernels with float outputs) are named in each
docstring.
"""
from __future__ import annotations

import numbers
import operator
from collections.abc import Iterable

import numpy as np

from . import _validate as V
from ._kernels import convolution as K
from ._kernels.cast import c_cast_numpy
from ._threads import nblocks, resolve_workers, use_parallel, workers_context

__all__ = [
    "correlate1d", "convolve1d", "correlate", "convolve",
    "gaussian_filter1d", "gaussian_filter", "uniform_filter1d",
    "uniform_filter", "sobel", "prewitt", "convolve2d", "correlate2d",
]

_EPS = np.finfo(np.float64).eps
#: Kernels with at least this many non-zero taps and a float output may use the
#: FFT (see ``_fft_preferred``).
_FFT_MIN_TAPS = 121
#: uint32 / int64 / uint64 / int8 / bool outputs: kernels write float64 and
#: the C cast rules are applied in NumPy (rare types, few specialisations).
_KERNEL_OUTPUT_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.int16),
                         np.dtype(np.int32), np.dtype(np.float32), np.dtype(np.float64))


# --------------------------------------------------------------- plumbing

class _Target:
    """Where a kernel writes: the output itself, or a temporary copied back."""

    def __init__(self, output: np.ndarray, shape3, safe_unsigned=False):
        self.output = output
        self.safe_unsigned = safe_unsigned
        dt = output.dtype.newbyteorder("=")
        direct = (dt in _KERNEL_OUTPUT_DTYPES or dt == np.bool_)
        if (direct and output.flags.c_contiguous and output.dtype.isnative
                and output.flags.writeable):
            arr = output.view(np.uint8) if dt == np.bool_ else output
            self.array = arr.reshape(shape3)
            self._tmp = None
        else:
            kdt = dt if dt in _KERNEL_OUTPUT_DTYPES else np.dtype(np.float64)
            self._tmp = np.empty(shape3, kdt)
            self.array = self._tmp

    def finish(self):
        if self._tmp is None:
            return
        vals = self._tmp.reshape(self.output.shape)
        if vals.dtype == np.float64 and self.output.dtype.kind in "biu":
            vals = c_cast_numpy(vals, self.output.dtype, safe_unsigned=self.safe_unsigned)
        self.output[...] = vals


def _prepare_input(input: np.ndarray, output: np.ndarray, copy_if_shared: bool):
    x = V.as_kernel_input(input)
    if copy_if_shared and np.may_share_memory(x, output):
        x = x.copy()
    return x


def _run(serial, parallel, items, args, workers, size):
    n = resolve_workers(workers)
    if use_parallel(n, size) and items > 1:
        with workers_context(n):
            parallel(*args, nblocks(items, n))
    else:
        serial(*args, 0, items)


def _symmetry(fw: np.ndarray) -> int:
    """NI_Correlate1D's test: 1 symmetric, -1 antisymmetric, 0 neither."""
    k = fw.shape[0]
    if not k & 1:
        return 0
    c = k // 2
    i = np.arange(1, c + 1)
    if np.all(np.abs(fw[c + i] - fw[c - i]) <= _EPS):
        return 1
    if np.all(np.abs(fw[c + i] + fw[c - i]) <= _EPS):
        return -1
    return 0


def _split_axis(shape, axis):
    pre = int(np.prod(shape[:axis], dtype=np.int64))
    post = int(np.prod(shape[axis + 1:], dtype=np.int64))
    return pre, shape[axis], post


def _line_pass(input, output, axis, mode, cval, origin, *, fw=None, size=None,
               workers=None):
    """One 1-D pass along ``axis`` (correlation with ``fw`` or a uniform mean
    of ``size``), written into ``output`` with SciPy's casting."""
    if input.size == 0:
        return output
    k = fw.shape[0] if fw is not None else size
    size1 = k // 2
    lo = size1 + origin
    hi = k - size1 - 1 - origin
    pre, n, post = _split_axis(input.shape, axis)
    imap = V.extend_map(n, lo, hi, mode)
    last = post == 1
    x = _prepare_input(input, output, copy_if_shared=not last)
    if last:
        x = x.reshape(pre, n)
        tgt = _Target(output, (pre, n))
        if fw is not None:
            _run(K.corr1d_last, K.corr1d_last_par, pre,
                 (x, fw, _symmetry(fw), imap, lo, cval, tgt.array), workers, x.size)
        else:
            _run(K.uniform1d_last, K.uniform1d_last_par, pre,
                 (x, size, imap, lo, cval, tgt.array), workers, x.size)
    else:
        x = x.reshape(pre, n, post)
        tgt = _Target(output, (pre, n, post))
        if fw is not None:
            _run(K.corr1d_mid, K.corr1d_mid_par, pre * n,
                 (x, fw, _symmetry(fw), imap, cval, tgt.array), workers, x.size)
        else:
            width = 256  # columns per work item, each with its own running sum
            items = pre * ((post + width - 1) // width)
            _run(K.uniform1d_mid, K.uniform1d_mid_par, items,
                 (x, size, imap, cval, tgt.array, width), workers, x.size)
    tgt.finish()
    return output


def _complex_via_real_components(func, input, weights, output, cval, **kwargs):
    """Complex filtering as a linear combination of real ones (SciPy's rule)."""
    complex_input = input.dtype.kind == "c"
    complex_weights = weights.dtype.kind == "c"
    if complex_input and complex_weights:
        func(input.real, weights.real, output=output.real, cval=np.real(cval), **kwargs)
        output.real -= func(input.imag, weights.imag, output=None, cval=np.imag(cval), **kwargs)
        func(input.real, weights.imag, output=output.imag, cval=np.real(cval), **kwargs)
        output.imag += func(input.imag, weights.real, output=None, cval=np.imag(cval), **kwargs)
    elif complex_input:
        func(input.real, weights, output=output.real, cval=np.real(cval), **kwargs)
        func(input.imag, weights, output=output.imag, cval=np.imag(cval), **kwargs)
    else:
        if np.iscomplexobj(cval):
            raise ValueError("Cannot provide a complex-valued cval when the "
                             f"input is real (got cval={cval!r}).")
        func(input, weights.real, output=output.real, cval=cval, **kwargs)
        func(input, weights.imag, output=output.imag, cval=cval, **kwargs)
    return output


# --------------------------------------------------------------- 1-D
def correlate1d(input, weights, axis=-1, output=None, mode="reflect",
                cval=0.0, origin=0, *, workers=None):
    """Calculate a 1-D correlation along the given axis.

    Drop-in for :func:`scipy.ndimage.correlate1d` (SciPy 1.17).

    Parameters
    ----------
    input : array_like
        The input array.
    weights : array
        1-D sequence of numbers.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. By default an array of the same dtype as input is created.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'grid-constant', 'grid-mirror', 'grid-wrap'}, optional
        How the input is extended beyond its boundaries. Default 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int, optional
        Controls the placement of the filter. Default 0.
    workers : int or None, optional, keyword-only
        Threads for this call (None: Numba's current setting, -1: all cores).
        Not in SciPy.

    Returns
    -------
    result : ndarray
        Correlation result. Has the same shape as `input`.

    Notes
    -----
    Differences from SciPy: none in results (float64 sums in SciPy's order,
    the same symmetric-kernel pairing, the same C casting into integer
    outputs); ``workers`` is extra.
    """
    input = np.asarray(input)
    weights = np.asarray(weights)
    if input.dtype.kind == "c" or weights.dtype.kind == "c":
        if weights.dtype.kind == "c":
            weights = weights.conj().astype(np.complex128, copy=False)
        output = V.get_output(output, input, complex_output=True)
        return _complex_via_real_components(
            correlate1d, input, weights, output, cval, axis=axis, mode=mode,
            origin=origin, workers=workers)
    output = V.get_output(output, input)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or weights.shape[0] < 1:
        raise RuntimeError(f"no filter weights given (got weights of shape {weights.shape})")
    weights = np.ascontiguousarray(weights)
    axis = V.normalize_axis(axis, input.ndim)
    origin = V.check_origin(origin, len(weights),
                            "Invalid origin; origin must satisfy "
                            "-(len(weights) // 2) <= origin <= (len(weights)-1) // 2")
    mode = V.ndi_mode(mode)
    V.check_ndi_dtype(input, True)
    V.check_ndi_dtype(output, True)
    cval = V.as_cval(cval)
    return _line_pass(input, output, axis, mode, cval, origin, fw=weights,
                      workers=workers)


def convolve1d(input, weights, axis=-1, output=None, mode="reflect",
               cval=0.0, origin=0, *, workers=None):
    """Calculate a 1-D convolution along the given axis.

    Drop-in for :func:`scipy.ndimage.convolve1d`: the weights are reversed and
    the origin mirrored (``-origin - 1`` for even lengths), then
    :func:`correlate1d` runs.  Parameters as in :func:`correlate1d`.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    weights = np.asarray(weights)
    weights = weights[::-1]
    origin = -origin
    if not weights.shape[0] & 1:
        origin -= 1
    if weights.dtype.kind == "c":
        weights = weights.conj()
    return correlate1d(input, weights, axis, output, mode, cval, origin,
                       workers=workers)


def _gaussian_kernel1d(sigma, order, radius):
    """Normalised sampled Gaussian (or its ``order``-th derivative), radius r."""
    if order < 0:
        raise ValueError(f"order must be non-negative (got order={order})")
    sigma2 = sigma * sigma
    x = np.arange(-radius, radius + 1)
    phi_x = np.exp(-0.5 / sigma2 * x ** 2)
    phi_x = phi_x / phi_x.sum()
    if order == 0:
        return phi_x
    # derivative: q(x) * phi(x), with q built by applying d/dx repeatedly
    exponent_range = np.arange(order + 1)
    q = np.zeros(order + 1)
    q[0] = 1
    deriv = np.diag(exponent_range[1:], 1) + np.diag(np.ones(order) / -sigma2, -1)
    for _ in range(order):
        q = deriv.dot(q)
    q = (x[:, None] ** exponent_range).dot(q)
    return q * phi_x


def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None,
                      mode="reflect", cval=0.0, truncate=4.0, *, radius=None,
                      workers=None):
    """1-D Gaussian filter.

    Drop-in for :func:`scipy.ndimage.gaussian_filter1d`: radius
    ``int(truncate * sigma + 0.5)`` unless ``radius`` is given; ``order``
    selects a derivative of the Gaussian.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    sd = float(sigma)
    lw = int(truncate * sd + 0.5)
    if radius is not None:
        lw = radius
    if not isinstance(lw, numbers.Integral) or lw < 0:
        raise ValueError(f"Radius must be a nonnegative integer (got radius={lw!r}).")
    weights = _gaussian_kernel1d(sigma, order, lw)[::-1]
    return correlate1d(input, weights, axis, output, mode, cval, 0, workers=workers)


def gaussian_filter(input, sigma, order=0, output=None, mode="reflect",
                    cval=0.0, truncate=4.0, *, radius=None, axes=None,
                    workers=None):
    """Multidimensional Gaussian filter.

    Drop-in for :func:`scipy.ndimage.gaussian_filter`: a sequence of 1-D
    Gaussian passes, one per axis with ``sigma > 1e-15``, each written into
    the output dtype (so integer outputs truncate after every pass, as in
    SciPy).  ``sigma``, ``order``, ``mode`` and ``radius`` may be per axis.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    input = np.asarray(input)
    output = V.get_output(output, input)
    axes = V.check_axes(axes, input.ndim)
    num_axes = len(axes)
    orders = V.normalize_sequence(order, num_axes)
    sigmas = V.normalize_sequence(sigma, num_axes)
    modes = V.normalize_sequence(mode, num_axes)
    radiuses = V.normalize_sequence(radius, num_axes)
    passes = [(axes[ii], sigmas[ii], orders[ii], modes[ii], radiuses[ii])
              for ii in range(num_axes) if sigmas[ii] > 1e-15]
    if passes:
        for axis, sig, ordr, md, rad in passes:
            gaussian_filter1d(input, sig, axis, ordr, output, md, cval,
                              truncate, radius=rad, workers=workers)
            input = output
    else:
        output[...] = input[...]
    return output


def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect",
                     cval=0.0, origin=0, *, workers=None):
    """Calculate a 1-D uniform filter along the given axis.

    Drop-in for :func:`scipy.ndimage.uniform_filter1d`: a running mean updated
    in SciPy's order (first window summed then divided, then
    ``+= (new - old) / size``), so rounding matches SciPy bit for bit.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    input = np.asarray(input)
    axis = V.normalize_axis(axis, input.ndim)
    if size < 1:
        raise RuntimeError(f"incorrect filter size (got size={size})")
    complex_output = input.dtype.kind == "c"
    output = V.get_output(output, input, complex_output=complex_output)
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError(f"invalid origin (got origin={origin} for size={size})")
    mode = V.ndi_mode(mode)
    size = operator.index(size)
    if complex_output:
        _line_pass(input.real, output.real, axis, mode, np.real(cval), origin,
                   size=size, workers=workers)
        _line_pass(input.imag, output.imag, axis, mode, np.imag(cval), origin,
                   size=size, workers=workers)
        return output
    V.check_ndi_dtype(input, True)
    V.check_ndi_dtype(output, True)
    cval = V.as_cval(cval)
    return _line_pass(input, output, axis, mode, cval, origin, size=size,
                      workers=workers)


def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None, workers=None):
    """Multidimensional uniform filter.

    Drop-in for :func:`scipy.ndimage.uniform_filter`: 1-D running means along
    each axis with ``size > 1``, intermediate results in the output dtype.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    input = np.asarray(input)
    output = V.get_output(output, input, complex_output=input.dtype.kind == "c")
    axes = V.check_axes(axes, input.ndim)
    num_axes = len(axes)
    sizes = V.normalize_sequence(size, num_axes)
    origins = V.normalize_sequence(origin, num_axes)
    modes = V.normalize_sequence(mode, num_axes)
    passes = [(axes[ii], sizes[ii], origins[ii], modes[ii])
              for ii in range(num_axes) if sizes[ii] > 1]
    if passes:
        for axis, sz, org, md in passes:
            uniform_filter1d(input, int(sz), axis, output, md, cval, org,
                             workers=workers)
            input = output
    else:
        output[...] = input[...]
    return output


def _derivative_filter(input, axis, output, mode, cval, smooth, workers):
    input = np.asarray(input)
    axis = V.normalize_axis(axis, input.ndim)
    output = V.get_output(output, input)
    modes = V.normalize_sequence(mode, input.ndim)
    correlate1d(input, [-1, 0, 1], axis, output, modes[axis], cval, 0, workers=workers)
    for ii in range(input.ndim):
        if ii != axis:
            correlate1d(output, smooth, ii, output, modes[ii], cval, 0, workers=workers)
    return output


def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0, *, workers=None):
    """Calculate a Sobel filter.

    Drop-in for :func:`scipy.ndimage.sobel`: ``[-1, 0, 1]`` along ``axis``,
    then ``[1, 2, 1]`` along every other axis, all in the output dtype
    (unnormalised; integer outputs truncate and wrap as in SciPy).

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    return _derivative_filter(input, axis, output, mode, cval, [1, 2, 1], workers)


def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *, workers=None):
    """Calculate a Prewitt filter.

    Drop-in for :func:`scipy.ndimage.prewitt`: ``[-1, 0, 1]`` along ``axis``,
    then ``[1, 1, 1]`` along every other axis, all in the output dtype.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    return _derivative_filter(input, axis, output, mode, cval, [1, 1, 1], workers)


# --------------------------------------------------------------- n-D
#: Rank-1 kernels at least this many taps on each side (with a float output)
#: run as two 1-D passes: 2k taps per pixel instead of k**2.
_SEPARABLE_MIN_SIDE = 4


def _separable_factors(input, weights, output, mode, cval):
    """(u, v) with ``weights == outer(u, v)`` (to rounding), when the two-pass path
    applies: a 2-D input and kernel, a float output, and an extension that
    commutes with a 1-D pass (every mode but a non-zero constant)."""
    if (input.ndim != 2 or output.dtype.kind != "f"
            or min(weights.shape) < _SEPARABLE_MIN_SIDE or (mode == "constant" and cval != 0)):
        return None
    r = int(np.argmax(np.abs(weights).max(axis=1)))
    c = int(np.argmax(np.abs(weights[r])))
    piv = weights[r, c]
    if piv == 0:
        return None
    u = weights[:, c] / piv
    v = weights[r, :].copy()
    # rank 1 up to rounding: the factors reproduce every weight to 4 ulp of
    # the largest one (outer products computed in float64 are rarely exact)
    if np.max(np.abs(np.outer(u, v) - weights)) > 4 * _EPS * np.max(np.abs(weights)):
        return None
    # SciPy skips zero taps, a 1-D pass multiplies them (0 * inf = NaN), and
    # non-finite inputs can meet in other sums: keep such cases direct
    if np.any(np.abs(u) <= _EPS) or np.any(np.abs(v) <= _EPS):
        return None
    if input.dtype.kind == "f" and not np.isfinite(input).all():
        return None
    return u, v


def _correlate_separable(input, factors, output, mode, cval, origins, workers):
    """Correlation with a rank-1 kernel as two 1-D passes (float64 between)."""
    u, v = factors
    tmp = np.empty(input.shape, np.float64)
    _line_pass(input, tmp, 0, mode, cval, origins[0], fw=u, workers=workers)
    _line_pass(tmp, output, 1, mode, cval, origins[1], fw=v, workers=workers)
    return output


def _fft_preferred(input, taps, output):
    return (output.dtype.kind == "f" and taps >= _FFT_MIN_TAPS
            and input.ndim == 2 and input.size >= 4096)


def _correlate_fft(input, weights, output, modes_canon, cval, origins):
    """Correlation through scipy.signal.fftconvolve on the extended input.

    Used only for float outputs with large kernels; results differ from the
    direct sum by FFT rounding (see the tolerance table)."""
    from scipy.signal import fftconvolve
    x = _extend_nd(np.asarray(input, dtype=np.float64), weights.shape,
                   origins, modes_canon, cval)
    res = fftconvolve(x, weights[::-1, ::-1], mode="valid")
    output[...] = res.astype(output.dtype) if output.dtype.kind == "f" else res
    return output


def _extend_nd(x, wshape, origins, modes_canon, cval):
    """The input extended for a correlation with a kernel of ``wshape``."""
    widths = [(k // 2 + o, k - 1 - k // 2 - o) for k, o in zip(wshape, origins)]
    return V.pad(x, widths, modes_canon, cval)


def _correlate_numpy(input, weights, output, modes_canon, cval, origins):
    """Any ndim: SciPy's per-element sum (nonzero weights, C order) with
    shifted slices of the extended float64 array."""
    x = _extend_nd(np.asarray(input, dtype=np.float64), weights.shape, origins,
                   modes_canon, cval)
    acc = np.zeros(input.shape, np.float64)
    for idx in zip(*np.nonzero(np.abs(weights) > _EPS)):
        sl = tuple(slice(i, i + n) for i, n in zip(idx, input.shape))
        acc += weights[idx] * x[sl]
    output[...] = (c_cast_numpy(acc, output.dtype, safe_unsigned=True)
                   if output.dtype.kind in "biu" else acc)
    return output


def _correlate_or_convolve(input, weights, output, mode, cval, origin,
                           convolution, axes, workers):
    input = np.asarray(input)
    weights = np.asarray(weights)
    complex_input = input.dtype.kind == "c"
    complex_weights = weights.dtype.kind == "c"
    if complex_input or complex_weights:
        if complex_weights and not convolution:
            weights = weights.conj()
        output = V.get_output(output, input, complex_output=True)
        return _complex_via_real_components(
            _correlate_or_convolve, input, weights, output, cval, mode=mode,
            origin=origin, convolution=convolution, axes=axes, workers=workers)

    axes = V.check_axes(axes, input.ndim)
    weights = np.asarray(weights, dtype=np.float64)
    num_axes = len(axes)
    if num_axes < input.ndim:
        if weights.ndim != num_axes:
            raise RuntimeError(f"weights.ndim ({weights.ndim}) must match len(axes) ({num_axes})")
        weights = np.expand_dims(weights, tuple(ax for ax in range(input.ndim) if ax not in axes))
    origins = V.normalize_sequence(origin, num_axes)
    if num_axes < input.ndim:
        full = [0] * input.ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
        origins = full
    wshape = [ii for ii in weights.shape if ii > 0]
    if len(wshape) != input.ndim:
        raise RuntimeError(f"weights.ndim ({len(wshape)}) must match len(axes) ({len(axes)})")
    if convolution:
        weights = weights[tuple([slice(None, None, -1)] * weights.ndim)]
        for ii in range(len(origins)):
            origins[ii] = -origins[ii]
            if not weights.shape[ii] & 1:
                origins[ii] -= 1
    for ii, (o, lenw) in enumerate(zip(origins, wshape)):
        origins[ii] = V.check_origin(
            o, lenw, "Invalid origin; origin must satisfy "
            "-(weights.shape[k] // 2) <= origin[k] <= (weights.shape[k]-1) // 2")
    weights = np.array(weights, order="C")  # (ascontiguousarray makes 0-d 1-d)
    output = V.get_output(output, input)
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError("A sequence of modes is not supported")
    mode = V.ndi_mode(mode)
    V.check_ndi_dtype(input, False)
    V.check_ndi_dtype(output, False)
    cval = V.as_cval(cval)
    if input.size == 0:
        return output
    modes = [mode] * input.ndim
    taps = int(np.count_nonzero(np.abs(weights) > _EPS))
    factors = _separable_factors(input, weights, output, mode, cval)
    if factors is not None:
        return _correlate_separable(input, factors, output, mode, cval, origins, workers)
    if _fft_preferred(input, taps, output):
        return _correlate_fft(input, weights, output, modes, cval, origins)
    if input.ndim > 3:
        return _correlate_numpy(input, weights, output, modes, cval, origins)

    pad = 3 - input.ndim
    shape3 = (1,) * pad + input.shape
    w3 = weights.reshape((1,) * pad + weights.shape)
    o3 = [0] * pad + list(origins)
    maps = []
    for n, k, o in zip(shape3, w3.shape, o3):
        lo = k // 2 + o
        maps.append(V.extend_map(n, lo, k - 1 - lo, mode))
    nz = np.nonzero(np.abs(w3) > _EPS)
    wv = np.ascontiguousarray(w3[nz])
    wz, wy, wx = (np.ascontiguousarray(a, dtype=np.int64) for a in nz)
    x = _prepare_input(input, output, copy_if_shared=True).reshape(shape3)
    tgt = _Target(output, shape3, safe_unsigned=True)  # NI_Correlate's store
    items = shape3[0] * shape3[1]
    _run(K.corr3d, K.corr3d_par, items,
         (x, wv, wz, wy, wx, w3.shape[0], w3.shape[1], maps[0], maps[1], maps[2],
          w3.shape[2] // 2 + o3[2], cval, tgt.array), workers, x.size)
    tgt.finish()
    return output


def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0,
              *, axes=None, workers=None):
    """Multidimensional correlation.

    Drop-in for :func:`scipy.ndimage.correlate` (SciPy 1.17): weights with
    ``|w| <= DBL_EPSILON`` are skipped, the rest summed in C order in float64
    and written with SciPy's C casting.  1-, 2- and 3-D inputs run the jitted
    kernel (rows in parallel); other ndim run a NumPy path with the same
    arithmetic.

    Notes
    -----
    Differences from SciPy, both only for 2-D inputs with a floating-point
    output (integer outputs always take the exact direct sum):

    * a rank-1 kernel (``weights == outer(u, v)`` to 4 ulp, no zero taps) of
      at least 4x4 on a finite input runs as two 1-D passes with a float64
      intermediate (unless ``mode`` is 'constant' with a non-zero ``cval``):
      sums in another order, relative differences ~1e-15 (float64);
    * otherwise, inputs of at least 4096 elements and kernels of 121 or more
      non-zero taps are computed by FFT (``scipy.signal.fftconvolve`` on the
      extended input): FFT rounding, ~1e-13 relative in float64, ~1e-6 in
      float32.

    See the tolerance table in ``tests/conftest.py``.  ``workers`` is extra.
    """
    return _correlate_or_convolve(input, weights, output, mode, cval, origin,
                                  False, axes, workers)


def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0,
             *, axes=None, workers=None):
    """Multidimensional convolution.

    Drop-in for :func:`scipy.ndimage.convolve`: correlation with the reversed
    kernel and mirrored origins (``-origin - 1`` for even sizes).

    Notes
    -----
    Differences from SciPy: as for :func:`correlate`.
    """
    return _correlate_or_convolve(input, weights, output, mode, cval, origin,
                                  True, axes, workers)


# --------------------------------------------------------------- scipy.signal
_SIGNAL_MODES = {"valid": "valid", "same": "same", "full": "full"}
_SIGNAL_BOUNDARIES = {"fill": "constant", "pad": "constant", "wrap": "wrap",
                      "circular": "wrap", "symm": "reflect", "symmetric": "reflect"}
#: result types sigtools computes in; numba handles all but the long doubles
_SIGNAL_TYPES = set(np.dtype(t) for t in (
    np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
    np.uint64, np.float32, np.float64, np.complex64, np.complex128,
    np.longdouble, np.clongdouble))
_NUMBA_SIGNAL_TYPES = _SIGNAL_TYPES - {np.dtype(np.longdouble), np.dtype(np.clongdouble)}


def _signal_fill(fillvalue, dtype):
    """sigtools' rule: convert directly to the result type, or fail (after a
    trial through complex) with its message."""
    try:
        afill = np.asarray(fillvalue, dtype=dtype)
    except (TypeError, ValueError, OverflowError):
        try:
            np.asarray(fillvalue, dtype=np.complex128).astype(dtype)
        except (TypeError, ValueError, OverflowError):
            raise
        raise ValueError("could not cast `fillvalue` directly to the output "
                         "type (it was first converted to complex)"
                         f" (got fillvalue={fillvalue!r}, output type {dtype}).") from None
    if afill.size != 1:
        if afill.size == 0:
            raise ValueError("`fillvalue` cannot be an empty array.")
        raise ValueError("`fillvalue` must be scalar or an array with one element"
                         f" (got {afill.size} elements).")
    return afill.reshape(())


def _signal_correlate(x, w, mode, boundary, fill, same_start, flip, workers):
    """out = the ``mode`` part of the full correlation of ``x`` with ``w``:
    full[i, j] = sum_ab w[a, b] * ext(x)[i + a - (K-1), j + b - (L-1)]."""
    dtype = x.dtype
    M, N = x.shape
    Kr, Kc = w.shape
    if mode == "full":
        starts, oshape = (0, 0), (M + Kr - 1, N + Kc - 1)
    elif mode == "same":
        starts, oshape = (same_start(Kr), same_start(Kc)), (M, N)
    else:
        starts, oshape = (Kr - 1, Kc - 1), (M - Kr + 1, N - Kc + 1)
        if oshape[0] < 0 or oshape[1] < 0:
            raise ValueError("no part of the output is valid, use option 1 (same) or 2 "
                             "(full) for third argument")
    out = np.zeros(oshape, dtype)
    if out.size == 0:
        return out
    canon = _SIGNAL_BOUNDARIES[boundary]
    widths = []
    for n, k, s, o in zip((M, N), (Kr, Kc), starts, oshape):
        lo = k - 1 - s
        widths.append((lo, o + k - 1 - n - lo))
    if dtype in _NUMBA_SIGNAL_TYPES and M > 0 and N > 0 and not (
            dtype.kind in "fc" and _signal_fft_preferred(oshape, w)):
        # extended rows are built on the fly from index maps (no padded copy)
        rmap = V.extend_map(M, widths[0][0], widths[0][1], canon)
        cmap = V.extend_map(N, widths[1][0], widths[1][1], canon)
        w = V.contiguous_writable(w, dtype)
        _run(K.corr2d_signal, K.corr2d_signal_par, oshape[0],
             (V.contiguous_writable(x), w, flip, rmap, cmap, widths[1][0], fill[()], out),
             workers, out.size * w.size // 9)
        return out
    xp = np.ascontiguousarray(V.pad(x, widths, (canon, canon), fill))
    if dtype.kind in "fc" and _signal_fft_preferred(oshape, w):
        from scipy.signal import fftconvolve
        return fftconvolve(xp, w[::-1, ::-1], mode="valid").astype(dtype, copy=False)
    rows = range(Kr - 1, -1, -1) if flip else range(Kr)
    cols = list(range(Kc - 1, -1, -1) if flip else range(Kc))
    for a in rows:  # long double: NumPy, the same terms in the same order
        for g in range(0, Kc, 4):
            group = cols[g:g + 4]
            if len(group) == 4:
                terms = [w[a, b] * xp[a:a + oshape[0], b:b + oshape[1]] for b in group]
                out += ((terms[0] + terms[1]) + terms[2]) + terms[3]
            else:
                for b in group:
                    out += w[a, b] * xp[a:a + oshape[0], b:b + oshape[1]]
    return out


def _signal_fft_preferred(oshape, w):
    """Direct or FFT, decided as ``scipy.signal.choose_conv_method`` would for
    the valid-mode correlation of the extended input (of shape oshape + w - 1)."""
    if w.size < 64 or oshape[0] * oshape[1] < 4096:
        return False
    from scipy.signal import choose_conv_method
    ext = np.empty((oshape[0] + w.shape[0] - 1, oshape[1] + w.shape[1] - 1), w.dtype)
    return choose_conv_method(ext, w, mode="valid") == "fft"


def _signal_common(in1, in2, mode, boundary, fillvalue, name):
    in1 = np.asarray(in1)
    in2 = np.asarray(in2)
    if not in1.ndim == in2.ndim == 2:
        raise ValueError(f"{name} inputs must both be 2-D arrays"
                         f" (got ndim {in1.ndim} and {in2.ndim})")
    swapped = False
    if mode == "valid":
        ok1 = all(a >= b for a, b in zip(in1.shape, in2.shape))
        ok2 = all(b >= a for a, b in zip(in1.shape, in2.shape))
        if not (ok1 or ok2):
            raise ValueError("For 'valid' mode, one must be at least as large as the "
                             f"other in every dimension (got shapes {in1.shape} and {in2.shape})")
        swapped = not ok1
        if swapped:
            in1, in2 = in2, in1
    if mode not in _SIGNAL_MODES:
        raise ValueError("Acceptable mode flags are 'valid', 'same', or 'full'"
                         f" (got {mode!r}).")
    if boundary not in _SIGNAL_BOUNDARIES:
        if boundary == "reflect":
            raise ValueError("Incorrect boundary value.")
        raise ValueError("Acceptable boundary flags are 'fill', 'circular' "
                         "(or 'wrap'), and 'symmetric' (or 'symm')"
                         f" (got {boundary!r}).")
    dtype = np.result_type(in1, in2)
    if dtype not in _SIGNAL_TYPES:
        # sigtools names convolve2d for both functions
        raise ValueError(f"convolve2d not available for this type (got {dtype}).")
    fill = (_signal_fill(fillvalue, dtype) if _SIGNAL_BOUNDARIES[boundary] == "constant"
            else np.zeros((), dtype))
    x = np.asarray(in1, dtype=dtype)
    return x, np.asarray(in2, dtype=dtype), fill, swapped


def convolve2d(in1, in2, mode="full", boundary="fill", fillvalue=0, *, workers=None):
    """Convolve two 2-dimensional arrays.

    Drop-in for :func:`scipy.signal.convolve2d` (SciPy 1.17): modes
    full/same/valid, boundaries fill/wrap/symm (and their aliases), result
    dtype ``np.result_type(in1, in2)`` with sums accumulated in that type
    (integer results wrap around), complex inputs, SciPy's input swap in
    ``valid`` mode and its error messages.

    Notes
    -----
    Differences from SciPy: none for direct sums (the same products added in
    sigtools' order, so float results match bit for bit).  Large kernels with float/complex results may run by FFT when
    ``scipy.signal.choose_conv_method`` picks FFT for the equivalent
    valid-mode problem (FFT rounding, see the tolerance table).  ``workers``
    is extra.
    """
    x, w, fill, _ = _signal_common(in1, in2, mode, boundary, fillvalue, "convolve2d")
    return _signal_correlate(x, w[::-1, ::-1], mode, boundary, fill,
                             lambda k: (k - 1) // 2, True, workers)


def correlate2d(in1, in2, mode="full", boundary="fill", fillvalue=0, *, workers=None):
    """Cross-correlate two 2-dimensional arrays.

    Drop-in for :func:`scipy.signal.correlate2d`: correlation with the
    conjugated ``in2``; in ``valid`` mode with ``in2`` the larger input the
    inputs are swapped and the result reversed, as SciPy does.

    Notes
    -----
    Differences from SciPy: as for :func:`convolve2d`.
    """
    x, w, fill, swapped = _signal_common(in1, in2, mode, boundary, fillvalue, "correlate2d")
    out = _signal_correlate(x, w.conj(), mode, boundary, fill, lambda k: k // 2, False,
                            workers)
    if swapped:
        out = out[::-1, ::-1]
    return out
