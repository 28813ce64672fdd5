"""Public wrappers of the separable family: ``scipy.ndimage`` filters made
of 1-D passes (gaussian_filter(1d), uniform_filter(1d), sobel, prewitt).

Each public function checks its arguments once and runs its passes through
the prepared 1-D correlation (``correlation._correlate1d_prepared``) or the
running-mean pass (``_lines.line_pass``), in SciPy's order of checks.
Intermediate passes are stored in the output dtype, as SciPy does, so integer
outputs truncate after every pass.
"""
from __future__ import annotations

import numbers
import operator

import numpy as np

from . import _ndi_args as ndi_args
from ._lines import line_pass
from .correlation import _correlate1d_prepared, correlate1d

__all__ = ["gaussian_filter1d", "gaussian_filter", "uniform_filter1d", "uniform_filter",
           "sobel", "prewitt"]


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
    weights = _gaussian_weights(sigma, order, truncate, radius)
    return correlate1d(input, weights, axis, output, mode, cval, 0, workers=workers)


def _gaussian_weights(sigma, order, truncate, radius):
    """The correlation weights of one Gaussian pass, with SciPy's radius rule
    and its checks (contiguous float64)."""
    sd = float(sigma)
    lw = int(truncate * sd + 0.5)
    if radius is not None:
        lw = radius
    if not isinstance(lw, numbers.Integral) or lw < 0:
        raise ValueError(f"Radius must be a nonnegative integer (got radius={lw!r}).")
    return np.ascontiguousarray(_gaussian_kernel1d(sigma, order, lw)[::-1], dtype=np.float64)


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
    output = ndi_args.get_output(output, input)
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    orders = ndi_args.normalize_sequence(order, num_axes)
    sigmas = ndi_args.normalize_sequence(sigma, num_axes)
    modes = ndi_args.normalize_sequence(mode, num_axes)
    radiuses = ndi_args.normalize_sequence(radius, num_axes)
    passes = [(axes[ii], sigmas[ii], orders[ii], modes[ii], radiuses[ii])
              for ii in range(num_axes) if sigmas[ii] > 1e-15]
    if passes:
        real = input.dtype.kind != "c" and output.dtype.kind != "c"
        for axis, sig, ordr, md, rad in passes:
            if real:
                weights = _gaussian_weights(sig, ordr, truncate, rad)
                _correlate1d_prepared(input, weights, axis, output, md, cval, 0, workers)
            else:  # complex: SciPy's split into real passes, in correlate1d
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
    axis = ndi_args.normalize_axis(axis, input.ndim)
    if size < 1:
        raise RuntimeError(f"incorrect filter size (got size={size})")
    complex_output = input.dtype.kind == "c"
    output = ndi_args.get_output(output, input, complex_output=complex_output)
    _check_uniform_origin(size, origin)
    return _uniform1d_prepared(input, size, axis, output, mode, cval, origin, workers)


def _check_uniform_origin(size, origin):
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError(f"invalid origin (got origin={origin} for size={size})")


def _uniform1d_prepared(input, size, axis, output, mode, cval, origin, workers):
    """:func:`uniform_filter1d` after its axis, size, output and origin checks."""
    mode = ndi_args.ndi_mode(mode)
    size = operator.index(size)
    origin = ndi_args.as_c_int(origin, "origin")
    if input.dtype.kind == "c":
        line_pass(input.real, output.real, axis, mode, np.real(cval), origin,
                  size=size, workers=workers)
        line_pass(input.imag, output.imag, axis, mode, np.imag(cval), origin,
                  size=size, workers=workers)
        return output
    ndi_args.check_ndi_dtype(input, True)
    ndi_args.check_ndi_dtype(output, True)
    ndi_args.check_writable(output)
    cval = ndi_args.as_cval(cval)
    return line_pass(input, output, axis, mode, cval, origin, size=size, workers=workers)


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
    output = ndi_args.get_output(output, input, complex_output=input.dtype.kind == "c")
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    sizes = ndi_args.normalize_sequence(size, num_axes)
    origins = ndi_args.normalize_sequence(origin, num_axes)
    modes = ndi_args.normalize_sequence(mode, num_axes)
    passes = [(axes[ii], sizes[ii], origins[ii], modes[ii])
              for ii in range(num_axes) if sizes[ii] > 1]
    if passes:
        for axis, sz, org, md in passes:
            sz = int(sz)
            _check_uniform_origin(sz, org)
            _uniform1d_prepared(input, sz, axis, output, md, cval, org, workers)
            input = output
    else:
        output[...] = input[...]
    return output


_DIFF = np.array([-1.0, 0.0, 1.0])
_SOBEL_SMOOTH = np.array([1.0, 2.0, 1.0])
_PREWITT_SMOOTH = np.array([1.0, 1.0, 1.0])


def _derivative_filter(input, axis, output, mode, cval, smooth, workers):
    input = np.asarray(input)
    axis = ndi_args.normalize_axis(axis, input.ndim)
    output = ndi_args.get_output(output, input)
    modes = ndi_args.normalize_sequence(mode, input.ndim)
    if input.dtype.kind == "c" or output.dtype.kind == "c":  # SciPy's complex split
        correlate1d(input, [-1, 0, 1], axis, output, modes[axis], cval, 0, workers=workers)
        for ii in range(input.ndim):
            if ii != axis:
                correlate1d(output, smooth, ii, output, modes[ii], cval, 0, workers=workers)
        return output
    _correlate1d_prepared(input, _DIFF, axis, output, modes[axis], cval, 0, workers)
    for ii in range(input.ndim):
        if ii != axis:
            _correlate1d_prepared(output, smooth, ii, output, modes[ii], cval, 0, workers)
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
    return _derivative_filter(input, axis, output, mode, cval, _SOBEL_SMOOTH, workers)


def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *, workers=None):
    """Calculate a Prewitt filter.

    Drop-in for :func:`scipy.ndimage.prewitt`: ``[-1, 0, 1]`` along ``axis``,
    then ``[1, 1, 1]`` along every other axis, all in the output dtype.

    Notes
    -----
    Differences from SciPy: none in results; ``workers`` is extra.
    """
    return _derivative_filter(input, axis, output, mode, cval, _PREWITT_SMOOTH, workers)
