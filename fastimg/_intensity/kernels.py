"""Jitted cores of the intensity family (invert, adjust_gamma, adjust_log).

Conventions (see fastimg/_core/jit.py): every core works on flat (1-D,
C-contiguous, native) arrays and a ``[start, stop)`` range of elements;
``fastimg._core.dispatch.run`` runs them on blocks in parallel.  Flag cores (a negative
value was seen) return their block's flags; ``run`` ORs them.

Only exact arithmetic lives here: table look-ups, bitwise NOT, ``c - x``,
``-x``, ``x * x``, ``sqrt``, products and copies.  Transcendental functions
(``pow`` for a general exponent, ``log2``, ``2 ** x``) are left to NumPy by
the wrappers: NumPy uses SVML-derived AVX-512 code on this machine class and
Numba's libm calls differ from it in the last bit for ~5-20 % of inputs.
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel
from .elementwise_kernels import HAS_NAN, HAS_NEGATIVE, HAS_ZERO


@kernel
def bytes_not(x, out, start, stop):
    """Bitwise NOT of bytes: for every integer type, ``max - x`` (unsigned)
    and ``-1 - x`` (signed) are the bitwise NOT of the whole word, which is
    the NOT of each of its bytes."""
    xs = x[start:stop]
    os = out[start:stop]
    for i in range(xs.shape[0]):
        os[i] = ~xs[i]


@kernel
def bool_not(x, out, start, stop):
    """Logical NOT of bool bytes (NumPy's ``~`` on bool: any non-zero byte is
    True, the result is 0 or 1)."""
    xs = x[start:stop]
    os = out[start:stop]
    for i in range(xs.shape[0]):
        os[i] = xs[i] == 0


@kernel
def float_invert(x, one, signed, out, start, stop):
    """``-x`` (signed) or ``one - x`` in x's type (``one`` has x's type)."""
    xs = x[start:stop]
    os = out[start:stop]
    if signed:
        for i in range(xs.shape[0]):
            os[i] = -xs[i]
    else:
        for i in range(xs.shape[0]):
            os[i] = one - xs[i]


# ------------------------------------------------------------------ gamma
#: exponent codes of NumPy's scalar-exponent fast paths in its float power
#: loop (exponent compared after the cast to the loop type)
POW_ZERO, POW_HALF, POW_ONE, POW_TWO = 0, 1, 2, 3


@kernel
def gamma_special(x, scale, code, gain, out, start, stop):
    """skimage's ``((x / scale) ** gamma) * scale * gain`` for the exponents
    NumPy evaluates without ``pow``: 0 -> 1, 0.5 -> sqrt, 1 -> copy,
    2 -> t * t; every operand has x's type.  Returns True if some x < 0."""
    xs = x[start:stop]
    os = out[start:stop]
    neg = False
    for i in range(xs.shape[0]):
        v = xs[i]
        neg |= v < 0
        t = v / scale
        if code == 0:
            p = scale / scale  # exactly 1 in t's type (scale > 0)
        elif code == 1:
            p = np.sqrt(t)
        elif code == 2:
            p = t
        else:
            p = t * t
        os[i] = p * scale * gain
    return neg


@kernel
def restore_zeros(x, out, at_pos, at_neg):
    """``out[i] = at_pos`` (``at_neg``) where ``x[i]`` is +0 (-0): the values
    NumPy's ``pow`` gives there, computed by the wrapper through NumPy (see
    ``scan_zeros_to_one``)."""
    for i in range(x.shape[0]):
        v = x[i]
        if v == 0:
            out[i] = at_neg if math.copysign(1.0, v) < 0 else at_pos


@kernel
def scan_zeros_to_one(x, out, one, start, stop):
    """``value_scan`` ``| HAS_ZERO`` if some x[i] is zero (either sign),
    copying ``x[start:stop]`` to ``out[start:stop]`` with every zero replaced
    by ``one`` (1 in x's type).  NumPy's SIMD ``pow`` (SVML) takes a slow
    scalar call-out for each vector holding an ``x <= 0``; ``pow(1, g)``
    takes the fast path, and ``restore_zeros`` puts the zeros' values back."""
    xs = x[start:stop]
    os = out[start:stop]
    neg = False
    nan = False
    zero = False
    for i in range(xs.shape[0]):
        v = xs[i]
        neg |= v < 0
        nan |= v != v
        z = v == 0
        zero |= z
        os[i] = one if z else v
    return np.int64(neg) * HAS_NEGATIVE | np.int64(nan) * HAS_NAN | np.int64(zero) * HAS_ZERO
