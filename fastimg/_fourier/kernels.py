"""Jitted cores of the fourier family: frequency masks applied in place to
a spectrum, and skimage's Butterworth mask finished and applied.

Layout: a spectrum is handled as a 3-D C-contiguous view ``(B, R, L)``:
``B`` batch (channels, stacked images), ``R`` the flattened rows (every
spatial axis but the last), ``L`` the last spatial axis (half length for a
``scipy.fft.rfftn`` spectrum).  A mask value depends on the squared distance
of a bin from the zero frequency, which is separable:
``d2 = row_a[r] + col_a[l]`` where the wrapper builds ``row_a`` (summed over
the non-last axes in axis order) and ``col_a`` from ``np.fft.fftfreq``-style
integer frequencies.  The kernels never allocate the spectrum, never build a
full-size complex mask and never shift it.

Range cores ``foo(..., start, stop)`` (rows ``[start, stop)`` of the
flattened ``B * R`` rows), split into blocks by
``fastimg._core.dispatch.run``.
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel

#: mask kinds (compile-time codes)
IDEAL = 0
GAUSSIAN = 1
BUTTERWORTH = 2
#: bands
LOWPASS = 0
HIGHPASS = 1
BANDPASS = 2
BANDSTOP = 3


@kernel
def filter_rows(spec, row_a, col_a, row_b, col_b, code, band, c1, c1sq, c2, c2sq,
                order_int, order, squared, scale, start, stop):
    """Multiply the spectrum ``spec`` (B, R, L) in place by ``scale`` times
    the mask, rows [start, stop) of the flattened B * R rows.

    Per row, the gains are computed in float64 as plain array passes (the
    codes are tested once per row, so every inner loop vectorises), rounded
    to the spectrum's real precision (complex64 stays complex64) and
    multiplied in.  ``scale`` is the inverse FFT's 1 / prod(shape), folded
    in here so that the inverse runs unnormalised and needs no pass of its
    own; the mask builders call this kernel on ones with ``scale`` 1.

    One pass per cutoff: lowpass / highpass with cutoff 1 (tables ``row_a``,
    ``col_a``); bandpass = highpass(cutoff 1) * lowpass(cutoff 2, tables
    ``row_b``, ``col_b``); bandstop = 1 - bandpass.  Per pass:

    * ideal: D <= D0 passes, D = sqrt of the squared distance
      ``row[r] + col[j]`` (the reference's meshgrid distance); highpass
      ``1 - lowpass``;
    * gaussian: ``row[r] * col[j]`` is exp(-D**2 / (2 D0**2)) (the caller's
      separable tables); highpass ``1 - lowpass``;
    * butterworth: q = (D**2 / D0**2) ** n, by binary exponentiation over
      the row for integral n (no libm ``pow`` per bin), ``math.pow``
      otherwise; lowpass ``1 / (1 + q)``, highpass ``q * (1 / (1 + q))``
      (skimage's squared form), square roots when not ``squared``.

    Everything is written in this one function: each jitted helper is
    inlined and optimised again in every caller, which tripled the compile
    time of the first call.
    """
    R = spec.shape[1]
    L = spec.shape[2]
    g = np.empty(L, np.float64)
    u = np.empty(L, np.float64)
    t = np.empty(L, np.float64)
    w = np.empty(L, spec.real.dtype)
    two = band == BANDPASS or band == BANDSTOP
    for row in range(start, stop):
        b = row // R
        r = row - b * R
        for p in range(2 if two else 1):
            first = p == 0
            dst = g if first else u
            ra = row_a[r] if first else row_b[r]
            col = col_a if first else col_b
            high = band != LOWPASS if first else False
            if code == IDEAL:
                cut = c1 if first else c2
                hit = 0.0 if high else 1.0
                for j in range(L):
                    dst[j] = hit if math.sqrt(ra + col[j]) <= cut else 1.0 - hit
            elif code == GAUSSIAN:
                if high:
                    for j in range(L):
                        dst[j] = 1.0 - ra * col[j]
                else:
                    for j in range(L):
                        dst[j] = ra * col[j]
            else:
                cutsq = c1sq if first else c2sq
                for j in range(L):
                    t[j] = (ra + col[j]) / cutsq
                if order_int < 0:
                    for j in range(L):
                        dst[j] = math.pow(t[j], order)
                else:
                    for j in range(L):
                        dst[j] = 1.0
                    n = order_int
                    while n > 0:
                        if n & 1:
                            for j in range(L):
                                dst[j] *= t[j]
                        n >>= 1
                        if n > 0:
                            for j in range(L):
                                t[j] *= t[j]
                if high:
                    # q = inf (a tiny cutoff, a high order) passes fully;
                    # inf * (1 / (1 + inf)) would be NaN
                    for j in range(L):
                        q = dst[j]
                        dst[j] = 1.0 if q == math.inf else q * (1.0 / (1.0 + q))
                else:
                    for j in range(L):
                        dst[j] = 1.0 / (1.0 + dst[j])
                if not squared:
                    for j in range(L):
                        dst[j] = math.sqrt(dst[j])
        if band == BANDPASS:
            for j in range(L):
                g[j] = g[j] * u[j]
        elif band == BANDSTOP:
            for j in range(L):
                g[j] = 1.0 - g[j] * u[j]
        for j in range(L):
            w[j] = g[j] * scale
        for j in range(L):
            spec[b, r, j] = spec[b, r, j] * w[j]


@kernel
def table_rows(spec, table, row_off, col_off, zero, start, stop):
    """``spec *= table`` gathered by offsets, rows [start, stop) of B * R.

    ``table`` is a real mask stored once per distinct frequency magnitude
    (rows i and M - i of a spectrum share their mask values), indexed by
    ``row_off[r] + col_off[j]``.  The product is NumPy's complex product of
    ``(w + 0j) * s`` written out (``w*re - 0*im``, ``w*im + 0*re``, with
    ``zero`` of the mask's dtype), the operation skimage's
    ``wfilt * fft.rfftn(image)`` performs: same values, same signed zeros.
    """
    R = spec.shape[1]
    L = spec.shape[2]
    for t in range(start, stop):
        b = t // R
        r = t - b * R
        base = row_off[r]
        for j in range(L):
            w = table[base + col_off[j]]
            s = spec[b, r, j]
            spec[b, r, j] = complex(w * s.real - zero * s.imag, w * s.imag + zero * s.real)


@kernel
def butterworth_q2(out, rows, cols):
    """skimage's ``q2 = reduce(np.add, meshgrid(ranges)).astype(dtype)`` on
    the reduced grid, written once in the output dtype: ``rows`` holds the
    float64 sums of the leading axes (in axis order), each value is
    ``rows[r] + cols[j]`` in float64 (the same additions, in the same order)
    rounded by the store as ``astype`` rounds.  Avoids NumPy's float64
    temporary (measured: its allocation and page faults were most of the
    mask's time on a busy machine)."""
    L = cols.shape[0]
    for r in range(rows.shape[0]):
        a = rows[r]
        for j in range(L):
            out[r, j] = a + cols[j]


@kernel
def butterworth_finish(p, one, high_pass, squared, start, stop):
    """skimage's ``wfilt = 1 / (1 + q2); wfilt *= q2 (high pass);
    sqrt (not squared)`` on ``p = q2 ** order``, in place, in p's dtype
    (``one`` has that dtype, so float32 masks stay float32 as in skimage).
    The flags are tested outside the loops so that each loop vectorises."""
    if high_pass:
        for i in range(start, stop):
            q = p[i]
            p[i] = (one / (one + q)) * q
    else:
        for i in range(start, stop):
            p[i] = one / (one + p[i])
    if not squared:
        for i in range(start, stop):
            p[i] = np.sqrt(p[i])

