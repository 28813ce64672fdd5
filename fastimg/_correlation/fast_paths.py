"""The alternative paths of n-D correlation: FFT and two 1-D passes for a
rank-1 kernel, and when each would be taken.
"""
from __future__ import annotations

import numpy as np

from .._core import ndi_args
from .._core.passes import line_pass

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
            and input.ndim == 2 and input.size >= 4096 and fft_allowed(input))


#: Elements of extended input per strip of ``correlate_fft``: the strip's
#: float64 copy and its transforms stay a few tens of MiB whatever the image.
_FFT_STRIP_ELEMENTS = 1 << 20


def fft_allowed(input):
    """The FFT path needs finite input: one NaN or inf would spread over
    every output pixel of its strip (SciPy's direct sum keeps it within the
    kernel's reach), so such inputs take the direct sum."""
    return input.dtype.kind != "f" or bool(np.isfinite(input).all())


def correlate_fft(input, weights, output, modes_canon, cval, origins):
    """Correlation of a 2-D input through scipy.signal.fftconvolve, strip by
    strip of output rows.

    Each strip gathers its extended rows (``extend_map``), extends its
    columns, and convolves in float64 ('valid'), so peak memory stays near
    the output's own size plus one strip's transforms instead of the 10x+ of
    one whole-image transform.  Used only for float outputs of finite inputs
    (``fft_allowed``); results differ from the direct sum by FFT rounding
    (see the tolerance table)."""
    from scipy.signal import fftconvolve
    kh, kw = weights.shape
    (top, bottom), (left, right) = [(k // 2 + o, k - 1 - k // 2 - o)
                                    for k, o in zip(weights.shape, origins)]
    rmap = ndi_args.extend_map(input.shape[0], top, bottom, modes_canon[0])
    kernel = weights[::-1, ::-1]
    rows = output.shape[0]
    width = input.shape[1] + left + right
    strip = max(4 * kh, _FFT_STRIP_ELEMENTS // max(1, width))
    for r0 in range(0, rows, strip):
        r1 = min(rows, r0 + strip)
        idx = rmap[r0:r1 + kh - 1]
        block = np.asarray(input[np.maximum(idx, 0)], dtype=np.float64)
        block[idx < 0] = cval
        block = ndi_args.pad(block, [(0, 0), (left, right)], [modes_canon[0], modes_canon[1]],
                             cval)
        output[r0:r1] = fftconvolve(block, kernel, mode="valid")
    return output


def extend_nd(x, wshape, origins, modes_canon, cval):
    """The input extended for a correlation with a kernel of ``wshape``."""
    widths = [(k // 2 + o, k - 1 - k // 2 - o) for k, o in zip(wshape, origins)]
    return ndi_args.pad(x, widths, modes_canon, cval)
