"""Public wrappers of the correlate family: ``scipy.ndimage``'s
correlate1d, convolve1d, correlate and convolve.

Each wrapper validates like SciPy 1.17 (same exception types and key phrases)
once, normalises the input (native byte order, contiguous, a closed set of
dtypes), allocates the output with NumPy and calls one jitted core from
``kernels`` (or the 1-D passes of ``fastimg._core.passes``) through
``fastimg._core.dispatch.run``.  Sums are float64 in
SciPy's order, so results are identical to SciPy's, integer truncation and
wrap-around included; the exceptions (FFT for large kernels with float
outputs, two passes for rank-1 kernels) live in ``fast_paths`` and are named
in the docstrings.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .._core import ndi_args
from .._core.dispatch import run
from .._core.docs import fill_doc
from .fast_paths import correlate_fft, correlate_separable, extend_nd, fft_allowed, fft_preferred, separable_factors
from . import kernels as correlation_kernels
from .._core.cast import c_cast_numpy
from .._core.passes import Target, correlate1d_pass, prepare_input

__all__ = ["correlate1d", "convolve1d", "correlate", "convolve"]

_EPS = np.finfo(np.float64).eps


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
@fill_doc
def correlate1d(input: npt.ArrayLike, weights: npt.ArrayLike, axis: int = -1,
                output: np.ndarray | npt.DTypeLike | None = None, mode: str = "reflect",
                cval: float | complex = 0.0, origin: int = 0, *,
                workers: int | None = None) -> np.ndarray:
    """Calculate a 1-D correlation along the given axis.

    Drop-in for :func:`scipy.ndimage.correlate1d` (SciPy 1.17).

    The lines of the array along the given axis are correlated with the
    given weights.

    Parameters
    ----------
    input : array_like
        The input array.
    weights : array_like
        1-D sequence of numbers.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    {output}
    {mode}
    {cval}
    {origin}
    {workers}

    Returns
    -------
    result : ndarray
        Correlation result. Has the same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.correlate1d`: none in results
    (float64 sums in SciPy's order, the same symmetric-kernel pairing, the
    same C casting into integer outputs); ``workers`` is extra.

    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.correlate1d([2, 8, 0, 4, 1, 9, 9, 0], weights=[1, 3]).tolist()
    [8, 26, 8, 12, 7, 28, 36, 9]
    """
    input = np.asarray(input)
    weights = np.asarray(weights)
    if input.dtype.kind == "c" or weights.dtype.kind == "c":
        if weights.dtype.kind == "c":
            weights = weights.conj().astype(np.complex128, copy=False)
        output = ndi_args.get_output(output, input, complex_output=True)
        return _complex_via_real_components(
            correlate1d, input, weights, output, cval, axis=axis, mode=mode,
            origin=origin, workers=workers)
    output = ndi_args.get_output(output, input)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or weights.shape[0] < 1:
        raise RuntimeError(f"no filter weights given (got weights of shape {weights.shape})")
    weights = np.ascontiguousarray(weights)
    axis = ndi_args.normalize_axis(axis, input.ndim)
    origin = ndi_args.check_origin(origin, len(weights),
                                   "Invalid origin; origin must satisfy "
                                   "-(len(weights) // 2) <= origin <= (len(weights)-1) // 2")
    return correlate1d_pass(input, weights, axis, output, mode, cval, origin, workers)


@fill_doc
def convolve1d(input: npt.ArrayLike, weights: npt.ArrayLike, axis: int = -1,
               output: np.ndarray | npt.DTypeLike | None = None, mode: str = "reflect",
               cval: float | complex = 0.0, origin: int = 0, *,
               workers: int | None = None) -> np.ndarray:
    """Calculate a 1-D convolution along the given axis.

    Drop-in for :func:`scipy.ndimage.convolve1d` (SciPy 1.17): the weights
    are reversed and the origin mirrored (``-origin - 1`` for even lengths),
    then :func:`correlate1d` runs.

    Parameters
    ----------
    input : array_like
        The input array.
    weights : array_like
        1-D sequence of numbers.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    {output}
    {mode}
    {cval}
    {origin}
    {workers}

    Returns
    -------
    convolve1d : ndarray
        Convolved array with same shape as input.

    Notes
    -----
    Differences from :func:`scipy.ndimage.convolve1d`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.convolve1d([2, 8, 0, 4, 1, 9, 9, 0], weights=[1, 3]).tolist()
    [14, 24, 4, 13, 12, 36, 27, 0]
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


def _correlate_numpy(input, weights, output, modes_canon, cval, origins):
    """Any ndim: SciPy's per-element sum (nonzero weights, C order) with
    shifted slices of the extended float64 array."""
    x = extend_nd(np.asarray(input, dtype=np.float64), weights.shape, origins,
                   modes_canon, cval)
    acc = np.zeros(input.shape, np.float64)
    for idx in zip(*np.nonzero(np.abs(weights) > _EPS)):
        sl = tuple(slice(i, i + n) for i, n in zip(idx, input.shape))
        acc += weights[idx] * x[sl]
    output[...] = (c_cast_numpy(acc, output.dtype, safe_unsigned=True)
                   if output.dtype.kind in "biu" else acc)
    return output


#: The ``method=`` vocabulary of correlate / convolve (fastimg's own keyword).
METHODS = ("direct", "separable", "fft", "auto")


def _check_method(method):
    if method not in METHODS:
        raise ValueError("method must be 'direct', 'separable', 'fft' or 'auto'"
                         f" (got method={method!r})")


def _correlate_or_convolve(input, weights, output, mode, cval, origin,
                           convolution, axes, workers, method="direct"):
    _check_method(method)
    input = np.asarray(input)
    weights = np.asarray(weights)
    complex_input = input.dtype.kind == "c"
    complex_weights = weights.dtype.kind == "c"
    if complex_input or complex_weights:
        if complex_weights and not convolution:
            weights = weights.conj()
        output = ndi_args.get_output(output, input, complex_output=True)
        return _complex_via_real_components(
            _correlate_or_convolve, input, weights, output, cval, mode=mode,
            origin=origin, convolution=convolution, axes=axes, workers=workers,
            method=method)

    axes = ndi_args.check_axes(axes, input.ndim)
    weights = np.asarray(weights, dtype=np.float64)
    num_axes = len(axes)
    if num_axes < input.ndim:
        if weights.ndim != num_axes:
            raise RuntimeError(f"weights.ndim ({weights.ndim}) must match len(axes) ({num_axes})")
        weights = np.expand_dims(weights, tuple(ax for ax in range(input.ndim) if ax not in axes))
    origins = ndi_args.normalize_sequence(origin, num_axes)
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
        origins[ii] = ndi_args.check_origin(
            o, lenw, "Invalid origin; origin must satisfy "
            "-(weights.shape[k] // 2) <= origin[k] <= (weights.shape[k]-1) // 2")
    weights = np.array(weights, order="C")  # (ascontiguousarray makes 0-d 1-d)
    output = ndi_args.get_output(output, input)
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError("A sequence of modes is not supported")
    mode = ndi_args.ndi_mode(mode)
    cval = ndi_args.closing_checks(input, output, cval, False)
    if input.size == 0:
        return output
    modes = [mode] * input.ndim
    taps = int(np.count_nonzero(np.abs(weights) > _EPS))
    # identical to SciPy unless the caller opts in to another summation
    factors = (separable_factors(input, weights, output, mode, cval)
               if method in ("separable", "auto") else None)
    if factors is not None:
        return correlate_separable(input, factors, output, mode, cval, origins, workers)
    if (method == "fft" and output.dtype.kind == "f" and input.ndim == 2
            and fft_allowed(input)) or (method == "auto" and fft_preferred(input, taps, output)):
        return correlate_fft(input, weights, output, modes, cval, origins)
    if input.ndim > 3:
        return _correlate_numpy(input, weights, output, modes, cval, origins)

    pad = 3 - input.ndim
    shape3 = (1,) * pad + input.shape
    w3 = weights.reshape((1,) * pad + weights.shape)
    o3 = [0] * pad + list(origins)
    maps = []
    for n, k, o in zip(shape3, w3.shape, o3):
        lo = k // 2 + o
        maps.append(ndi_args.extend_map(n, lo, k - 1 - lo, mode))
    nz = np.nonzero(np.abs(w3) > _EPS)
    wv = np.ascontiguousarray(w3[nz])
    wz, wy, wx = (np.ascontiguousarray(a, dtype=np.int64) for a in nz)
    x = prepare_input(input, output, copy_if_shared=True).reshape(shape3)
    tgt = Target(output, shape3, safe_unsigned=True)  # NI_Correlate's store
    items = shape3[0] * shape3[1]
    # ns per output element, fitted to 3x3..15x15 kernels at 2048² in
    # uint8 / float32 / float64 (within ~30 %)
    cost = 0.6 + 0.07 * max(1, wv.shape[0])
    if w3.shape[0] == 1 and 1 <= wv.shape[0] <= correlation_kernels.GROUP:
        # small kernels one plane deep: all taps in one pass, no accumulator row
        wv9, wy9, wx9 = correlation_kernels.corr2d_taps(wv, wy, wx)
        run(correlation_kernels.corr2d, (x, wv9, wy9, wx9, w3.shape[1], maps[1], maps[2],
                                         w3.shape[2] // 2 + o3[2], cval, tgt.array),
            items=items, size=x.size, cost=cost, workers=workers)
        tgt.finish()
        return output
    run(correlation_kernels.corr3d, (x, wv, wz, wy, wx, w3.shape[0], w3.shape[1], maps[0], maps[1], maps[2],
         w3.shape[2] // 2 + o3[2], cval, tgt.array),
        items=items, size=x.size, cost=cost, workers=workers)
    tgt.finish()
    return output


@fill_doc
def correlate(input: npt.ArrayLike, weights: npt.ArrayLike,
              output: np.ndarray | npt.DTypeLike | None = None, mode: str = "reflect",
              cval: float | complex = 0.0, origin: int | Sequence[int] = 0, *,
              axes: int | Sequence[int] | None = None, method: str = "direct",
              workers: int | None = None) -> np.ndarray:
    """Multidimensional correlation.

    Drop-in for :func:`scipy.ndimage.correlate` (SciPy 1.17): weights with
    ``|w| <= DBL_EPSILON`` are skipped, the rest summed in C order in float64
    and written with SciPy's C casting.  1-, 2- and 3-D inputs run the jitted
    kernel (rows in parallel); other ndim run a NumPy path with the same
    arithmetic.

    Parameters
    ----------
    input : array_like
        The input array.
    weights : array_like
        Array of weights, same number of dimensions as input (as `axes`
        when given).
    {output}
    {mode}
    {cval}
    {origin_multiple}
    axes : int, tuple of int or None, optional
        Keyword-only. If None, `input` is filtered along all axes.
        Otherwise, `input` is filtered along the specified axes. When `axes`
        is specified, any tuples used for `origin` must match the length of
        `axes`, and `weights` must have ``len(axes)`` dimensions. The ith
        entry in any of these tuples corresponds to the ith entry in `axes`.
    method : {'direct', 'separable', 'fft', 'auto'}, optional
        Keyword-only, not in SciPy. How the sum is computed: ``'direct'``
        (default) is SciPy's sum, bit for bit; the others are opt-in, faster
        for large kernels and not identical (see Notes).
    {workers}

    Returns
    -------
    result : ndarray
        The result of correlation of `input` with `weights`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.correlate`: none with the default
    ``method='direct'`` (the same float64 sums in SciPy's order, bit for
    bit).  ``method`` and ``workers`` are extra; the other methods apply
    only to 2-D inputs with a floating-point output (others take the direct
    sum):

    * ``'separable'``: a rank-1 kernel (``weights == outer(u, v)`` to 4 ulp,
      no zero taps) of at least 4x4 on a finite input runs as two 1-D passes
      with a float64 intermediate (unless ``mode`` is 'constant' with a
      non-zero ``cval``): sums in another order, relative differences
      ~1e-15 (float64), so a later cast to an integer type can differ by one;
      other kernels take the direct sum;
    * ``'fft'``: ``scipy.signal.fftconvolve`` on the extended input: FFT
      rounding, ~1e-13 relative in float64, ~1e-6 in float32, computed in
      strips of rows (peak memory about the output's size plus a few tens
      of MiB); inputs holding NaN or inf take the direct sum (an FFT would
      spread them over the whole strip);
    * ``'auto'``: ``'separable'`` for a rank-1 kernel, else ``'fft'`` for
      inputs of at least 4096 elements and kernels of 121 or more non-zero
      taps, else direct.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[1, 2, 0, 0], [5, 3, 0, 4], [0, 0, 0, 7], [9, 3, 0, 0]])
    >>> k = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]])
    >>> ndimage.correlate(a, k, mode='constant').tolist()
    [[1, 8, 5, 0], [8, 11, 5, 4], [8, 17, 10, 11], [9, 12, 10, 7]]
    """
    return _correlate_or_convolve(input, weights, output, mode, cval, origin,
                                  False, axes, workers, method)


@fill_doc
def convolve(input: npt.ArrayLike, weights: npt.ArrayLike,
             output: np.ndarray | npt.DTypeLike | None = None, mode: str = "reflect",
             cval: float | complex = 0.0, origin: int | Sequence[int] = 0, *,
             axes: int | Sequence[int] | None = None, method: str = "direct",
             workers: int | None = None) -> np.ndarray:
    """Multidimensional convolution.

    Drop-in for :func:`scipy.ndimage.convolve` (SciPy 1.17): correlation
    with the reversed kernel and mirrored origins (``-origin - 1`` for even
    sizes).

    Parameters
    ----------
    input : array_like
        The input array.
    weights : array_like
        Array of weights, same number of dimensions as input (as `axes`
        when given).
    {output}
    {mode}
    {cval}
    {origin_multiple}
    axes : int, tuple of int or None, optional
        Keyword-only. If None, `input` is filtered along all axes.
        Otherwise, `input` is filtered along the specified axes. When `axes`
        is specified, any tuples used for `origin` must match the length of
        `axes`, and `weights` must have ``len(axes)`` dimensions. The ith
        entry in any of these tuples corresponds to the ith entry in `axes`.
    method : {'direct', 'separable', 'fft', 'auto'}, optional
        Keyword-only, not in SciPy. How the sum is computed: ``'direct'``
        (default) is SciPy's sum, bit for bit; the others are opt-in, faster
        for large kernels and not identical (see Notes).
    {workers}

    Returns
    -------
    result : ndarray
        The result of convolution of `input` with `weights`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.convolve`: as for
    :func:`correlate`: none with the default ``method='direct'``;
    ``method`` and ``workers`` are extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[1, 2, 0, 0], [5, 3, 0, 4], [0, 0, 0, 7], [9, 3, 0, 0]])
    >>> k = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]])
    >>> ndimage.convolve(a, k, mode='constant').tolist()
    [[11, 10, 7, 4], [10, 3, 11, 11], [15, 12, 14, 7], [12, 3, 7, 0]]
    """
    return _correlate_or_convolve(input, weights, output, mode, cval, origin,
                                  True, axes, workers, method)
