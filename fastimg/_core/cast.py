"""Storing a float64 result into an output element the way SciPy's C code does.

SciPy's ndimage writes ``(type)double_value`` in C.  On x86-64 (gcc) that is:

* 8-, 16- and 32-bit signed/unsigned (except uint32): truncate to int32 with
  ``cvttsd2si`` (NaN or out of int32 range gives INT32_MIN), then keep the low
  bits (wrap-around);
* uint32 and int64: truncate to int64 (NaN/out of range: INT64_MIN), keep the
  low bits;
* uint64: ``x < 2**63`` (false for NaN) ? int64(x) : int64(x - 2**63) ^ 2**63;
* floats: an ordinary conversion.

``c_cast(value, like)`` returns ``value`` converted to the type of the scalar
``like`` under those rules; it is resolved per output type at compile time.
"""
from __future__ import annotations

import numpy as np
from numba import types

from .jit import kernel, overload

_I32_LO = -2147483649.0
_I32_HI = 2147483648.0
_I64_LO = -9223372036854775808.0  # exactly -2**63, representable
_I64_HI = 9223372036854775808.0   # 2**63


def c_cast(value, like):  # pragma: no cover - replaced by the overload in jitted code
    raise NotImplementedError


def _trunc32(v):
    if v > _I32_LO and v < _I32_HI:
        return np.int32(v)
    return np.int32(-2147483648)


def _trunc64(v):
    if v >= _I64_LO and v < _I64_HI:
        return np.int64(v)
    return np.int64(-9223372036854775808)


@overload(c_cast)
def _c_cast_impl(value, like):
    if isinstance(like, types.Float):
        nb_type = like

        def impl(value, like):
            return nb_type(value)
        return impl
    if isinstance(like, types.Boolean):
        def impl(value, like):  # npy_bool is an unsigned char
            return np.uint8(_trunc32_j(value)) != 0
        return impl
    if isinstance(like, types.Integer):
        nb_type = like
        if like.bitwidth <= 16 or (like.bitwidth == 32 and like.signed):
            def impl(value, like):
                return nb_type(_trunc32_j(value))
            return impl
        if like.bitwidth == 32 or like.signed:  # uint32, int64
            def impl(value, like):
                return nb_type(_trunc64_j(value))
            return impl

        def impl(value, like):  # uint64
            if not (value >= _I64_HI):
                return np.uint64(_trunc64_j(value))
            return np.uint64(_trunc64_j(value - _I64_HI)) ^ np.uint64(9223372036854775808)
        return impl
    return None


def c_cast_numpy(values: np.ndarray, dtype, *, safe_unsigned=False) -> np.ndarray:
    """The same rules on a float64 NumPy array (used for rare output types).

    ``safe_unsigned``: SciPy's n-D correlate stores unsigned outputs as
    ``t > -1 ? (T)t : -(T)(-t)``; that equals the plain rule for every
    unsigned type but uint64, where it differs below -2**63.
    """
    dtype = np.dtype(dtype)
    v = np.asarray(values, dtype=np.float64)
    if safe_unsigned and dtype == np.uint64:
        with np.errstate(invalid="ignore"):
            neg = ~(v > -1)
            pos = c_cast_numpy(np.where(neg, -v, v), dtype)
        return np.where(neg & ~np.isnan(v), np.uint64(0) - pos, pos)
    if dtype.kind in "fc":
        return v.astype(dtype)
    with np.errstate(invalid="ignore"):
        if dtype.kind == "b" or dtype.itemsize <= 2 or dtype == np.int32:
            ok = (v > _I32_LO) & (v < _I32_HI)
            i = np.where(ok, v, -2147483648.0).astype(np.int32)
            if dtype.kind == "b":
                return i.astype(np.uint8).view(np.bool_)
            return i.astype(dtype)
        if dtype == np.uint64:
            big = v >= _I64_HI
            w = np.where(big, v - _I64_HI, v)
            ok = (w >= _I64_LO) & (w < _I64_HI)
            i = np.where(ok, w, _I64_LO).astype(np.int64).view(np.uint64)
            return np.where(big, i ^ np.uint64(1 << 63), i)
        ok = (v >= _I64_LO) & (v < _I64_HI)
        return np.where(ok, v, _I64_LO).astype(np.int64).astype(dtype)


# jitted helpers used by the overload (compiled lazily, inlined by LLVM)

_trunc32_j = kernel(_trunc32)
_trunc64_j = kernel(_trunc64)


def as_type_of(value, like):  # pragma: no cover - replaced by the overload
    """``value`` converted to the Numba type of the scalar ``like`` (an
    ordinary conversion, not SciPy's C cast)."""
    raise NotImplementedError


@overload(as_type_of)
def _as_type_of_impl(value, like):
    nb_type = like

    def impl(value, like):
        return nb_type(value)
    return impl
