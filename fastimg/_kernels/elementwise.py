"""Jitted building blocks for elementwise transforms: table look-ups and the
value scan that flags negative, NaN and zero pixels.

Every core works on flat (1-D, C-contiguous, native) arrays and a
``[start, stop)`` range of elements; ``*_par`` drivers split the elements
into ``nblocks`` blocks and ``prange`` over them.  Flags are written per block
into a small array the wrapper allocates, never shared.
"""
from __future__ import annotations

import numpy as np
from numba import prange

from .._jit import kernel, parallel_kernel


# ------------------------------------------------------------------ LUTs
@kernel
def lut_apply(x, lut, out, start, stop):
    """out[i] = lut[x[i]] for i in [start, stop); x is uint8 or uint16."""
    xs = x[start:stop]
    os = out[start:stop]
    for i in range(xs.shape[0]):
        os[i] = lut[xs[i]]


@parallel_kernel
def lut_apply_par(x, lut, out, nblocks):
    n = x.shape[0]
    for b in prange(nblocks):
        lut_apply(x, lut, out, b * n // nblocks, (b + 1) * n // nblocks)


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


@parallel_kernel
def lut_apply_checked_par(x, lut, codes, out, flags, nblocks):
    n = x.shape[0]
    for b in prange(nblocks):
        flags[b] = lut_apply_checked(x, lut, codes, out, b * n // nblocks,
                                     (b + 1) * n // nblocks)


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


@parallel_kernel
def value_scan_par(x, flags, nblocks):
    n = x.shape[0]
    for b in prange(nblocks):
        flags[b] = value_scan(x, b * n // nblocks, (b + 1) * n // nblocks)
