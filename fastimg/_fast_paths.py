"""The alternative paths of n-D correlation: FFT and two 1-D passes for a
rank-1 kernel, and when each would be taken.

Template matching will reuse the FFT correlation.
"""
from __future__ import annotations

import numpy as np

from . import _ndi_args as ndi_args
from ._lines import line_pass

_EPS = np.finfo(np.float64).eps
#: Kernels with at least this many non-zero taps and a float output may use the
#: FFT (see ``fft_preferred``).
_FFT_MIN_TAPS = 121
#: Rank-1 kernels at least this many taps on each side (with a float output)
#: run as two 1-D passes: 2k taps per pixel instead of k**2.
_SEPARABLE_MIN_SIDE = 4


def separable_factors(input, weights, output, mode, cval):
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


def correlate_separable(input, factors, output, mode, cval, origins, workers):
    """Correlation with a rank-1 kernel as two 1-D passes (float64 between)."""
    u, v = factors
    tmp = np.empty(input.shape, np.float64)
    line_pass(input, tmp, 0, mode, cval, origins[0], fw=u, workers=workers)
    line_pass(tmp, output, 1, mode, cval, origins[1], fw=v, workers=workers)
    return output


def fft_preferred(input, taps, output):
    return (output.dtype.kind == "f" and taps >= _FFT_MIN_TAPS
            and input.ndim == 2 and input.size >= 4096)


def correlate_fft(input, weights, output, modes_canon, cval, origins):
    """Correlation through scipy.signal.fftconvolve on the extended input.

    Used only for float outputs with large kernels; results differ from the
    direct sum by FFT rounding (see the tolerance table)."""
    from scipy.signal import fftconvolve
    x = extend_nd(np.asarray(input, dtype=np.float64), weights.shape,
                   origins, modes_canon, cval)
    res = fftconvolve(x, weights[::-1, ::-1], mode="valid")
    output[...] = res.astype(output.dtype) if output.dtype.kind == "f" else res
    return output


def extend_nd(x, wshape, origins, modes_canon, cval):
    """The input extended for a correlation with a kernel of ``wshape``."""
    widths = [(k // 2 + o, k - 1 - k // 2 - o) for k, o in zip(wshape, origins)]
    return ndi_args.pad(x, widths, modes_canon, cval)


def signal_fft_preferred(oshape, w):
    """Direct or FFT, decided as ``scipy.signal.choose_conv_method`` would for
    the valid-mode correlation of the extended input (of shape oshape + w - 1)."""
    if w.size < 64 or oshape[0] * oshape[1] < 4096:
        return False
    from scipy.signal import choose_conv_method
    ext = np.empty((oshape[0] + w.shape[0] - 1, oshape[1] + w.shape[1] - 1), w.dtype)
    return choose_conv_method(ext, w, mode="valid") == "fft"
