"""Reference (oracle) separable filters with SciPy 1.17 semantics.

Mirrors ``scipy.ndimage`` gaussian_filter[1d], uniform_filter[1d], sobel and
prewitt.  Pure NumPy, written for clarity, not speed; built on
:mod:`reference.correlation` (``correlate1d``, the C cast rule, boundary
padding and the argument helpers), whose rules (boundary modes, kernel
placement, the 1-D ``NI_Correlate1D`` arithmetic, output and complex handling)
apply here too.  It is the definition fastimg is tested against; SciPy is a
second oracle.

Rules encoded (all checked bit for bit against SciPy 1.17.1 on x86-64):

Arithmetic (float64 throughout; inputs are converted to float64 first)
    * ``uniform_filter1d`` (``NI_UniformFilter1D``): a running mean, not a correlation:
      ``s = x0 + ... + x_{k-1}`` (left to right), then ``s += x_new - x_old`` per
      step; each output is ``s / k``.
    * Separable filters (gaussian_filter, uniform_filter, sobel, prewitt) run 1-D
      passes axis by axis and store every intermediate in the OUTPUT dtype.
"""

import numbers

import numpy as np

from .correlation import (
    _as_float64_input,
    _c_double,
    _cast_like_c,
    _check_axes,
    _check_ndimage_type,
    _get_output,
    _normalize_axis,
    _normalize_sequence,
    _numpy_pad_mode,
    _pad_axis,
    correlate1d,
)

__all__ = [
    "gaussian_filter1d",
    "gaussian_filter",
    "uniform_filter1d",
    "uniform_filter",
    "sobel",
    "prewitt",
]


# --------------------------------------------------------------------------------------
# Gaussian
# --------------------------------------------------------------------------------------
def _gaussian_kernel1d(sigma, order, radius):
    """Sampled Gaussian (order 0) or its ``order``-th derivative, ``2*radius + 1`` taps.

    phi(x) = exp(-x**2 / (2 sigma**2)) normalised to sum 1; the derivative is
    q(x) * phi(x) with the polynomial q obtained by applying d/dx + p'(x)
    (p'(x) = -x / sigma**2) ``order`` times to q = 1.  Same float operations as SciPy.
    """
    if order < 0:
        raise ValueError('order must be non-negative')
    exponent_range = np.arange(order + 1)
    sigma2 = sigma * sigma
    x = np.arange(-radius, radius + 1)
    phi_x = np.exp(-0.5 / sigma2 * x ** 2)
    phi_x = phi_x / phi_x.sum()
    if order == 0:
        return phi_x
    q = np.zeros(order + 1)
    q[0] = 1
    derivative = np.diag(exponent_range[1:], 1)          # q -> q'
    times_p_prime = np.diag(np.ones(order) / -sigma2, -1)  # q -> q * p'
    operator = derivative + times_p_prime
    for _ in range(order):
        q = operator.dot(q)
    q = (x[:, None] ** exponent_range).dot(q)
    return q * phi_x


def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None, mode='reflect',
                      cval=0.0, truncate=4.0, *, radius=None):
    """1-D Gaussian filter (``scipy.ndimage.gaussian_filter1d``)."""
    sd = float(sigma)
    lw = int(truncate * sd + 0.5)
    if radius is not None:
        lw = radius
    if not isinstance(lw, numbers.Integral) or lw < 0:
        raise ValueError('Radius must be a nonnegative integer.')
    weights = _gaussian_kernel1d(sigma, order, lw)[::-1]  # correlate, not convolve
    return correlate1d(input, weights, axis, output, mode, cval, 0)


def gaussian_filter(input, sigma, order=0, output=None, mode='reflect', cval=0.0,
                    truncate=4.0, *, radius=None, axes=None):
    """Separable Gaussian filter (``scipy.ndimage.gaussian_filter``).

    Axes with ``sigma <= 1e-15`` are skipped; each pass writes the output dtype.
    """
    input = np.asarray(input)
    output = _get_output(output, input)
    axes = _check_axes(axes, input.ndim)
    n = len(axes)
    passes = [(axes[i], s, o, m, r) for i, (s, o, m, r) in enumerate(zip(
        _normalize_sequence(sigma, n), _normalize_sequence(order, n),
        _normalize_sequence(mode, n), _normalize_sequence(radius, n))) if s > 1e-15]
    if not passes:
        output[...] = input[...]
        return output
    for axis, s, o, m, r in passes:
        gaussian_filter1d(input, s, axis, o, output, m, cval, truncate, radius=r)
        input = output
    return output


# --------------------------------------------------------------------------------------
# uniform (box) filter
# --------------------------------------------------------------------------------------
def uniform_filter1d(input, size, axis=-1, output=None, mode='reflect', cval=0.0,
                     origin=0):
    """1-D running mean (``scipy.ndimage.uniform_filter1d``)."""
    input = np.asarray(input)
    axis = _normalize_axis(axis, input.ndim)
    if size < 1:
        raise RuntimeError('incorrect filter size')
    complex_output = input.dtype.kind == "c"
    output = _get_output(output, input, complex_output=complex_output)
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError('invalid origin')
    _numpy_pad_mode(mode)
    if complex_output:
        _uniform_line(input.real, size, axis, output.real, mode, np.real(cval), origin)
        _uniform_line(input.imag, size, axis, output.imag, mode, np.imag(cval), origin)
    else:
        _uniform_line(input, size, axis, output, mode, cval, origin)
    return output


def _uniform_line(input, size, axis, output, mode, cval, origin):
    size1 = size // 2
    size2 = size - size1 - 1
    cval = _c_double(cval)
    x = _pad_axis(_as_float64_input(input), axis, size1 + origin, size2 - origin,
                  mode, cval)
    _check_ndimage_type(output.dtype, line_path=True)
    x = np.moveaxis(x, axis, -1)
    n = input.shape[axis]
    result = np.empty(x.shape[:-1] + (n,), dtype=np.float64)
    running = np.zeros(x.shape[:-1], dtype=np.float64)
    for j in range(size):  # first window: plain left-to-right sum
        running = running + x[..., j]
    result[..., 0] = running / size
    for i in range(1, n):  # slide: sum += entering - leaving; output sum / size
        running = running + (x[..., i - 1 + size] - x[..., i - 1])
        result[..., i] = running / size
    output[...] = _cast_like_c(np.moveaxis(result, -1, axis), output.dtype)


def uniform_filter(input, size=3, output=None, mode='reflect', cval=0.0, origin=0, *,
                   axes=None):
    """Separable box filter (``scipy.ndimage.uniform_filter``); axes with size <= 1
    are skipped and each pass writes the output dtype."""
    input = np.asarray(input)
    output = _get_output(output, input, complex_output=input.dtype.kind == "c")
    axes = _check_axes(axes, input.ndim)
    n = len(axes)
    passes = [(axes[i], s, o, m) for i, (s, o, m) in enumerate(zip(
        _normalize_sequence(size, n), _normalize_sequence(origin, n),
        _normalize_sequence(mode, n))) if s > 1]
    if not passes:
        output[...] = input[...]
        return output
    for axis, s, o, m in passes:
        uniform_filter1d(input, int(s), axis, output, m, cval, o)
        input = output
    return output


# --------------------------------------------------------------------------------------
# Sobel / Prewitt (ndimage)
# --------------------------------------------------------------------------------------
def _derivative_filter(input, axis, output, mode, cval, smooth):
    input = np.asarray(input)
    axis = _normalize_axis(axis, input.ndim)
    output = _get_output(output, input)
    modes = _normalize_sequence(mode, input.ndim)
    correlate1d(input, [-1, 0, 1], axis, output, modes[axis], cval, 0)
    for ii in range(input.ndim):
        if ii != axis:
            correlate1d(output, smooth, ii, output, modes[ii], cval, 0)
    return output


def sobel(input, axis=-1, output=None, mode='reflect', cval=0.0):
    """Sobel derivative along ``axis``: [-1, 0, 1] then [1, 2, 1] on the other axes."""
    return _derivative_filter(input, axis, output, mode, cval, [1, 2, 1])


def prewitt(input, axis=-1, output=None, mode='reflect', cval=0.0):
    """Prewitt derivative along ``axis``: [-1, 0, 1] then [1, 1, 1] on the other axes."""
    return _derivative_filter(input, axis, output, mode, cval, [1, 1, 1])
