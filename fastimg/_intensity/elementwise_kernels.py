"""Jitted building blocks for elementwise transforms: table look-ups and the
value scan that flags negative, NaN and zero pixels.

Every core works on flat (1-D, C-contiguous, native) arrays and a
``[start, stop)`` range of elements; ``dispatch.run`` runs them on blocks
in parallel.  Flag cores return their block's flags; ``run`` ORs them.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


# ------------------------------------------------------------------ LUTs
@kernel
def lut_apply(x, lut, out, start, stop):
    """out[i] = lut[x[i]] for i in [start, stop); x is uint8 or uint16."""
    xs = x[start:stop]
    os = out[start:stop]
    for i in range(xs.shape[0]):
        os[i] = lut[xs[i]]


@kernel
def lut_apply_checked(x, lut, codes, out, start, stop):
    """As :func:`lut_apply`; returns the bitwise OR of ``codes[x[i]]`` (uint8
    per table entry: non-zero marks a value the wrapper must not map, e.g. a
    negative one skimage rejects)."""
    xs = x[start:stop]
    os = out[start:stop]
    hit = 0
    for i in range(xs.shape[0]):
        v = xs[i]
        os[i] = lut[v]
        hit |= codes[v]
    return hit


# ------------------------------------------------------------------ invert


# ------------------------------------------------------------------ checks
#: Flags of ``value_scan`` and ``scan_zeros_to_one``.
HAS_NEGATIVE, HAS_NAN, HAS_ZERO = 1, 2, 4


@kernel
def value_scan(x, start, stop):
    """``HAS_NEGATIVE`` if some x[i] < 0 (NaN is not negative), ``| HAS_NAN``
    if some x[i] is NaN, over ``[start, stop)`` (no early exit: the loop
    vectorises)."""
    xs = x[start:stop]
    neg = False
    nan = False
    for i in range(xs.shape[0]):
        v = xs[i]
        neg |= v < 0
        nan |= v != v
    return np.int64(neg) * HAS_NEGATIVE | np.int64(nan) * HAS_NAN

