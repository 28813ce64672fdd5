"""The B-spline prefilter (SciPy 1.17 ``ni_splines.c``, ``apply_filter``).

A line of ``n > 1`` values is multiplied by the gain, then filtered once
per pole ``z``: a causal pass ``c[i] += z * c[i - 1]`` after the causal
initialisation, and an anticausal pass ``c[i] = z * (c[i + 1] - c[i])``
after the anticausal one.  The initialisations depend on the mode:
``mirror`` (also ``constant``, ``grid-constant``, ``wrap``), ``grid-wrap``
(periodic) and ``reflect`` (also ``nearest``), each summed over the whole
line as SciPy does (``pow`` from the C library for ``z ** n``).

Lines are ``c[o, :, k]`` of a float64 ``(outer, n, inner)`` array; the
innermost loops run over ``k``, many lines at once, each line still seeing
SciPy's operations in SciPy's order.
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel
from .kernels import CONSTANT, GRID_CONSTANT, GRID_WRAP, MIRROR, NEAREST, REFLECT, WRAP

#: SciPy's poles per order (``get_filter_poles``).
POLES = {
    2: (-0.171572875253809902396622551580603843,),
    3: (-0.267949192431122706472553658494127633,),
    4: (-0.361341225900220177092212841325675255, -0.013725429297339121360331226939128204),
    5: (-0.430575347099973791851434783493520110, -0.043096288203264653822712376822550182),
}

_INIT_MIRROR, _INIT_WRAP, _INIT_REFLECT = 0, 1, 2

#: Lines filtered together when the lines are contiguous (``spline_lines``).
GROUP = 16


@kernel
def _init_kind(mode):
    if mode == GRID_CONSTANT or mode == CONSTANT or mode == MIRROR or mode == WRAP:
        return _INIT_MIRROR
    if mode == GRID_WRAP:
        return _INIT_WRAP
    if mode == NEAREST or mode == REFLECT:
        return _INIT_REFLECT
    return _INIT_MIRROR


@kernel
def _one_pole(c, o, k0, k1, z, kind):
    n = c.shape[1]
    # causal initialisation of c[o, 0, k]
    if kind == _INIT_MIRROR:
        z_n_1 = math.pow(z, float(n - 1))
        for k in range(k0, k1):
            c[o, 0, k] = c[o, 0, k] + z_n_1 * c[o, n - 1, k]
        z_i = z
        for i in range(1, n - 1):
            for k in range(k0, k1):
                c[o, 0, k] += z_i * (c[o, i, k] + z_n_1 * c[o, n - 1 - i, k])
            z_i *= z
        d = 1 - z_n_1 * z_n_1
        for k in range(k0, k1):
            c[o, 0, k] /= d
    elif kind == _INIT_WRAP:
        z_i = z
        for i in range(1, n):
            for k in range(k0, k1):
                c[o, 0, k] += z_i * c[o, n - i, k]
            z_i *= z
        d = 1 - z_i
        for k in range(k0, k1):
            c[o, 0, k] /= d
    else:
        z_n = math.pow(z, float(n))
        c0 = c[o, 0, k0:k1].copy()
        for k in range(k0, k1):
            c[o, 0, k] = c[o, 0, k] + z_n * c[o, n - 1, k]
        z_i = z
        for i in range(1, n):
            # i = n - 1 reads c[o, 0] itself, as SciPy's in-place sum does
            for k in range(k0, k1):
                c[o, 0, k] += z_i * (c[o, i, k] + z_n * c[o, n - 1 - i, k])
            z_i *= z
        f = z / (1 - z_n * z_n)
        for k in range(k0, k1):
            c[o, 0, k] *= f
            c[o, 0, k] += c0[k - k0]
    # causal pass
    for i in range(1, n):
        for k in range(k0, k1):
            c[o, i, k] += z * c[o, i - 1, k]
    # anticausal initialisation of c[o, n - 1, k]
    if kind == _INIT_MIRROR:
        d = z * z - 1
        for k in range(k0, k1):
            c[o, n - 1, k] = (z * c[o, n - 2, k] + c[o, n - 1, k]) * z / d
    elif kind == _INIT_WRAP:
        z_i = z
        for i in range(n - 1):
            for k in range(k0, k1):
                c[o, n - 1, k] += z_i * c[o, i, k]
            z_i *= z
        f = z / (z_i - 1)
        for k in range(k0, k1):
            c[o, n - 1, k] *= f
    else:
        f = z / (z - 1)
        for k in range(k0, k1):
            c[o, n - 1, k] *= f
    # anticausal pass
    for i in range(n - 2, -1, -1):
        for k in range(k0, k1):
            c[o, i, k] = z * (c[o, i + 1, k] - c[o, i, k])


@kernel
def spline_lines(c, poles, mode, by_inner, start, stop):
    """Prefilter the lines ``c[o, :, k]`` in place for outer slices ``o`` in
    [start, stop), or for columns ``k`` in [start, stop) of every slice when
    ``by_inner``.  Lines of one value are left alone, as in SciPy."""
    n = c.shape[1]
    if n <= 1:
        return
    o0, o1, k0, k1 = start, stop, 0, c.shape[2]
    if by_inner:
        o0, o1, k0, k1 = 0, c.shape[0], start, stop
    gain = 1.0
    for p in range(poles.size):
        z = poles[p]
        gain *= (1.0 - z) * (1.0 - 1.0 / z)
    kind = _init_kind(mode)
    if c.shape[2] == 1 and not by_inner:
        # contiguous lines: filtered GROUP at a time in a transposed copy,
        # so the innermost loops run across lines (each recursion is a
        # chain of dependent operations along its line)
        buf = np.empty((1, n, GROUP))
        for g in range(o0, o1, GROUP):
            m = min(GROUP, o1 - g)
            for i in range(n):
                for k in range(m):
                    buf[0, i, k] = c[g + k, i, 0] * gain
            for p in range(poles.size):
                _one_pole(buf, 0, 0, m, poles[p], kind)
            for i in range(n):
                for k in range(m):
                    c[g + k, i, 0] = buf[0, i, k]
        return
    for o in range(o0, o1):
        for i in range(n):
            for k in range(k0, k1):
                c[o, i, k] *= gain
        for p in range(poles.size):
            _one_pole(c, o, k0, k1, poles[p], kind)
