"""Public wrappers of the signal2d family: ``scipy.signal.convolve2d`` and
``correlate2d``.

Sums are accumulated in the result type ``np.result_type(in1, in2)`` in
sigtools' order (so integer results wrap around and float results match bit
for bit); the extended rows are built on the fly from index maps.  Long
doubles run a NumPy path with the same terms in the same order.
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core import ndi_args
from .._core.arrays import contiguous_writable
from .._core.dispatch import run
from .._core.docs import fill_doc
from . import kernels as signal2d_kernels

__all__ = ["convolve2d", "correlate2d"]

_SIGNAL_MODES = {"valid": "valid", "same": "same", "full": "full"}
_SIGNAL_BOUNDARIES = {"fill": "constant", "pad": "constant", "wrap": "wrap",
                      "circular": "wrap", "symm": "reflect", "symmetric": "reflect"}
#: result types sigtools computes in; numba handles all but the long doubles
_SIGNAL_TYPES = set(np.dtype(t) for t in (
    np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
    np.uint64, np.float32, np.float64, np.complex64, np.complex128,
    np.longdouble, np.clongdouble))
_NUMBA_SIGNAL_TYPES = _SIGNAL_TYPES - {np.dtype(np.longdouble), np.dtype(np.clongdouble)}


def signal_fft_preferred(oshape, w):
    """Direct or FFT, decided as ``scipy.signal.choose_conv_method`` would for
    the valid-mode correlation of the extended input (of shape oshape + w - 1)."""
    if w.size < 64 or oshape[0] * oshape[1] < 4096:
        return False
    from scipy.signal import choose_conv_method
    ext = np.empty((oshape[0] + w.shape[0] - 1, oshape[1] + w.shape[1] - 1), w.dtype)
    return choose_conv_method(ext, w, mode="valid") == "fft"


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


def _signal_correlate(x, w, mode, boundary, fill, same_start, flip, workers, method):
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
    if out.size == 0 or w.size == 0:
        # an empty kernel sums no terms: zeros, as sigtools gives (the
        # kernels' border maps assume at least one tap on each axis)
        return out
    canon = _SIGNAL_BOUNDARIES[boundary]
    widths = []
    for n, k, s, o in zip((M, N), (Kr, Kc), starts, oshape):
        lo = k - 1 - s
        widths.append((lo, o + k - 1 - n - lo))
    # the FFT only when asked for: 'direct' (the default) is sigtools' sum
    use_fft = dtype.kind in "fc" and (
        method == "fft" or (method == "auto" and signal_fft_preferred(oshape, w)))
    if dtype in _NUMBA_SIGNAL_TYPES and M > 0 and N > 0 and not use_fft:
        # extended rows are built on the fly from index maps (no padded copy)
        rmap = ndi_args.extend_map(M, widths[0][0], widths[0][1], canon)
        cmap = ndi_args.extend_map(N, widths[1][0], widths[1][1], canon)
        w = contiguous_writable(w, dtype)
        run(signal2d_kernels.corr2d_signal, (contiguous_writable(x), w, flip, rmap, cmap, widths[1][0], fill[()], out),
            items=oshape[0], size=out.size, cost=_cost_ns(out.itemsize, w.size),
            workers=workers)
        return out
    xp = np.ascontiguousarray(ndi_args.pad(x, widths, (canon, canon), fill))
    if use_fft:
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


def _check_method(method):
    """scipy.signal's ``method`` vocabulary ('auto', 'direct', 'fft')."""
    if method not in ("direct", "fft", "auto"):
        raise ValueError("Acceptable method flags are 'auto', 'direct', or 'fft'."
                         f" (got method={method!r})")


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


def _cost_ns(itemsize, taps):
    """Nanoseconds per output element of ``corr2d_signal`` on one thread,
    fitted to 512² and 2048² runs of 3x3 to 15x15 kernels in uint8, int16,
    float32 and float64 (within ~30 %: a cost per tap alone overestimates
    small kernels and splits 1 ms calls into blocks of tens of microseconds)."""
    return itemsize * (0.15 + 0.008 * max(1, taps))


@fill_doc
def convolve2d(in1: npt.ArrayLike, in2: npt.ArrayLike, mode: str = "full",
               boundary: str = "fill", fillvalue: float | complex = 0, *,
               method: str = "direct", workers: int | None = None) -> np.ndarray:
    """Convolve two 2-dimensional arrays.

    Drop-in for :func:`scipy.signal.convolve2d` (SciPy 1.17): modes
    full/same/valid, boundaries fill/wrap/symm (and their aliases), result
    dtype ``np.result_type(in1, in2)`` with sums accumulated in that type
    (integer results wrap around), complex inputs, SciPy's input swap in
    ``valid`` mode and its error messages.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input. Should have the same number of dimensions as `in1`.
    {signal_mode}
    {signal_boundary}
    fillvalue : scalar, optional
        Value to fill pad input arrays with. Default is 0.
    {signal_method}
    {workers}

    Returns
    -------
    out : ndarray
        A 2-dimensional array containing a subset of the discrete linear
        convolution of `in1` with `in2`.

    Notes
    -----
    Differences from :func:`scipy.signal.convolve2d`: none with the default
    ``method='direct'`` (the same products added in sigtools' order, so
    float results match bit for bit).  ``method`` and ``workers`` are extra.
    ``method='fft'`` computes float and complex results with
    ``scipy.signal.fftconvolve`` (FFT rounding, ~1e-13 relative in float64;
    a NaN or inf spreads to the whole output); ``method='auto'`` does so
    where ``scipy.signal.choose_conv_method`` would pick the FFT for the
    equivalent valid-mode problem.  Integer results always take the direct
    sum.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import signal
    >>> x = np.array([[1, 2, 3], [4, 5, 6]])
    >>> signal.convolve2d(x, np.array([[1, 0], [0, -1]])).tolist()
    [[1, 2, 3, 0], [4, 4, 4, -3], [0, -4, -5, -6]]
    """
    _check_method(method)
    x, w, fill, _ = _signal_common(in1, in2, mode, boundary, fillvalue, "convolve2d")
    return _signal_correlate(x, w[::-1, ::-1], mode, boundary, fill,
                             lambda k: (k - 1) // 2, True, workers, method)


@fill_doc
def correlate2d(in1: npt.ArrayLike, in2: npt.ArrayLike, mode: str = "full",
                boundary: str = "fill", fillvalue: float | complex = 0, *,
                method: str = "direct", workers: int | None = None) -> np.ndarray:
    """Cross-correlate two 2-dimensional arrays.

    Drop-in for :func:`scipy.signal.correlate2d` (SciPy 1.17): correlation
    with the conjugated ``in2``; in ``valid`` mode with ``in2`` the larger
    input the inputs are swapped and the result reversed, as SciPy does.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input. Should have the same number of dimensions as `in1`.
    {signal_mode}
    {signal_boundary}
    fillvalue : scalar, optional
        Value to fill pad input arrays with. Default is 0.
    {signal_method}
    {workers}

    Returns
    -------
    correlate2d : ndarray
        A 2-dimensional array containing a subset of the discrete linear
        cross-correlation of `in1` with `in2`.

    Notes
    -----
    Differences from :func:`scipy.signal.correlate2d`: as for
    :func:`convolve2d` (none with the default ``method='direct'``;
    ``method`` and ``workers`` are extra).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import signal
    >>> x = np.array([[1, 2, 3], [4, 5, 6]])
    >>> signal.correlate2d(x, np.array([[1, 0], [0, -1]]), mode='valid').tolist()
    [[-4, -4]]
    """
    _check_method(method)
    x, w, fill, swapped = _signal_common(in1, in2, mode, boundary, fillvalue, "correlate2d")
    out = _signal_correlate(x, w.conj(), mode, boundary, fill, lambda k: k // 2, False,
                            workers, method)
    if swapped:
        out = out[::-1, ::-1]
    return out
