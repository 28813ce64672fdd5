"""Jitted pieces shared by every interpolation function (SciPy 1.17,
``scipy/ndimage/src/ni_interpolation.c`` and ``ni_splines.c``).

Rules reproduced operation for operation, since the results must be
bit-identical:

* ``map_coordinate``: SciPy's mapping of a coordinate outside the input,
  in double precision with C's truncating ``(npy_intp)`` casts (NaN or out
  of range: ``INT64_MIN``, as x86-64 gives);
* the footprint of a point starts at ``(npy_intp)floor(c) - order // 2``
  (odd orders) or ``floor(c + 0.5) - order // 2`` (even); its indices
  outside the input are mapped with the *spline* mode (``constant`` and
  ``wrap`` use ``mirror``); ``grid-constant`` reads ``cval`` there;
* weights: SciPy's closed forms per order, the last weight ``1 - sum`` of
  the others;
* the value is ``t = 0.0; t += ((v * w0) * w1) ...`` over the footprint in
  C order (last axis fastest): no factoring, no other summation order;
* stores: floats convert, integers round half away from zero (unsigned:
  ``t > 0 ? t + 0.5 : 0``), clip to the type's range, then C's cast.
"""
from __future__ import annotations


import numpy as np
from numba import types

from .._core.cast import c_cast
from .._core.jit import kernel, overload

#: SciPy's extension codes (``_ni_support._extend_mode_to_code``).
NEAREST, WRAP, REFLECT, MIRROR, CONSTANT, GRID_WRAP, GRID_CONSTANT = range(7)

_I64_MIN = -9223372036854775808
_TWO63 = 9223372036854775808.0


@kernel
def c_i64(x):
    """C's ``(npy_intp)x`` on x86-64: truncation, INT64_MIN when out of range."""
    if x >= -_TWO63 and x < _TWO63:
        return np.int64(x)
    return np.int64(_I64_MIN)


@kernel
def map_coordinate(x, n, mode):
    """SciPy's ``map_coordinate``: ``x`` outside ``[0, n - 1]`` mapped back
    by ``mode`` (``constant``: -1)."""
    if x < 0:
        if mode == MIRROR:
            if n <= 1:
                return 0.0
            sz2 = 2 * n - 2
            x = np.float64(sz2 * c_i64(-x / sz2)) + x
            return x + sz2 if x <= 1 - n else -x
        if mode == REFLECT:
            if n <= 1:
                return 0.0
            sz2 = 2 * n
            if x < -sz2:
                x = np.float64(sz2 * c_i64(-x / sz2)) + x
            if x < -n:
                return x + sz2
            return (1e-15 if x > -1e-15 else -x) - 1
        if mode == WRAP:
            if n <= 1:
                return 0.0
            sz = n - 1
            return x + np.float64(sz * (c_i64(-x / sz) + 1))
        if mode == GRID_WRAP:
            if n <= 1:
                return 0.0
            return x + np.float64(n * (c_i64((-1 - x) / n) + 1))
        if mode == NEAREST:
            return 0.0
        if mode == CONSTANT:
            return -1.0
        return x
    if x > n - 1:
        if mode == MIRROR:
            if n <= 1:
                return 0.0
            sz2 = 2 * n - 2
            x -= np.float64(sz2 * c_i64(x / sz2))
            return sz2 - x if x >= n else x
        if mode == REFLECT:
            if n <= 1:
                return 0.0
            sz2 = 2 * n
            x -= np.float64(sz2 * c_i64(x / sz2))
            return sz2 - x - 1 if x >= n else x
        if mode == WRAP:
            if n <= 1:
                return 0.0
            sz = n - 1
            return x - np.float64(sz * c_i64(x / sz))
        if mode == GRID_WRAP:
            if n <= 1:
                return 0.0
            return x - np.float64(n * c_i64(x / n))
        if mode == NEAREST:
            return np.float64(n - 1)
        if mode == CONSTANT:
            return -1.0
    return x


@kernel
def spline_mode(mode):
    """The mode of footprint indices outside the input: ``constant`` and
    ``wrap`` have no exact prefilter and use ``mirror``."""
    if mode == CONSTANT or mode == WRAP:
        return MIRROR
    return mode


@kernel
def spline_weights(x, order):
    """SciPy's B-spline weights of the footprint of coordinate ``x``
    (``get_spline_interpolation_weights``), as a 6-tuple (unused: 0).
    Scalars in and out: a jitted call taking arrays costs reference
    counting per call, which dominated the per-point time."""
    if order & 1:
        x -= np.floor(x)
    else:
        x -= np.floor(x + 0.5)
    y = x
    z = 1.0 - x
    w0 = w1 = w2 = w3 = w4 = 0.0
    if order == 1:
        w0 = 1.0 - x
    elif order == 2:
        w1 = 0.75 - x * x
        y = 0.5 - x
        w0 = 0.5 * y * y
    elif order == 3:
        w1 = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0
        w2 = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0
        w0 = z * z * z / 6.0
    elif order == 4:
        t = x * x
        w2 = t * (t * 0.25 - 0.625) + 115.0 / 192.0
        y = 1.0 + x
        w1 = y * (y * (y * (5.0 - y) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        w3 = z * (z * (z * (5.0 - z) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        y = 0.5 - x
        t = y * y
        w0 = t * t / 24.0
    elif order == 5:
        t = y * y
        w2 = t * (t * (0.25 - y / 12.0) - 0.5) + 0.55
        t = z * z
        w3 = t * (t * (0.25 - z / 12.0) - 0.5) + 0.55
        y += 1.0
        w1 = y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
        z += 1.0
        w4 = z * (z * (z * (z * (z / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
        y = 1.0 - x
        t = y * y
        w0 = y * t * t / 120.0
    # the last weight is 1 minus the others, subtracted in order
    last = 1.0
    if order > 0:
        last -= w0
    if order > 1:
        last -= w1
    if order > 2:
        last -= w2
    if order > 3:
        last -= w3
    if order > 4:
        last -= w4
    if order == 1:
        return (w0, last, 0.0, 0.0, 0.0, 0.0)
    if order == 2:
        return (w0, w1, last, 0.0, 0.0, 0.0)
    if order == 3:
        return (w0, w1, w2, last, 0.0, 0.0)
    if order == 4:
        return (w0, w1, w2, w3, last, 0.0)
    return (w0, w1, w2, w3, w4, last)


@kernel
def mapped(c, n, mode):
    """``c`` after SciPy's border mapping (``grid-constant`` and
    ``nearest`` are not mapped; SciPy extends them otherwise)."""
    if mode != GRID_CONSTANT and mode != NEAREST:
        return map_coordinate(c, n, mode)
    return c


@kernel
def outside(c, mode):
    """Whether a mapped coordinate takes ``cval`` whole (SciPy's test)."""
    return not (c > -1.0 or mode == GRID_CONSTANT or mode == NEAREST)


@kernel
def first_tap(c, order):
    """The footprint's first index: ``(npy_intp)floor(c) - order // 2``
    (odd orders) or ``floor(c + 0.5) - order // 2`` (even)."""
    if order & 1:
        return c_i64(np.floor(c)) - order // 2
    return c_i64(np.floor(c + 0.5)) - order // 2


@kernel
def tap(start, k, n, order, mode):
    """Index of footprint tap ``k`` (-1: ``cval``, grid-constant only)."""
    i = start + k
    if mode == GRID_CONSTANT:
        return i if (i >= 0 and i < n) else np.int64(-1)
    if start < 0 or start > n - 1 - order:
        j = c_i64(map_coordinate(np.float64(i), n, spline_mode(mode)))
        # only absurd coordinates (|c| near 2**63) map outside; SciPy
        # reads past its buffer there, fastimg clamps
        return min(max(j, 0), n - 1)
    return i


@kernel
def axis_setup(c, n, order, mode, pos, w, h):
    """One axis of one point (not for inner loops: it takes arrays):
    ``c`` (input coordinate plus the pre-padding) -> footprint indices
    ``pos[h, :]`` (-1: ``cval``) and weights ``w[h, :]``.  Returns False
    when the point takes ``cval`` whole."""
    c = mapped(c, n, mode)
    if outside(c, mode):
        return False
    start = first_tap(c, order)
    wt = spline_weights(c, order)
    for k in range(order + 1):
        pos[h, k] = tap(start, k, n, order, mode)
        w[h, k] = wt[k] if order > 0 else 1.0
    return True


@kernel
def interior(c, n, order, mode):
    """The first tap of ``c`` when its whole footprint lies inside an axis
    of ``n`` without any border mapping, else -1."""
    if mode != GRID_CONSTANT and mode != NEAREST and not (c >= 0.0 and c <= n - 1):
        return np.int64(-1)
    if not (c > -2.0 ** 62 and c < 2.0 ** 62):
        return np.int64(-1)
    s = first_tap(c, order)
    if s < 0 or s > n - 1 - order:
        return np.int64(-1)
    return s


def interp_store(t, like):  # pragma: no cover - replaced by the overload
    """``t`` stored as SciPy's interpolation stores it in an element like ``like``."""
    raise NotImplementedError


@overload(interp_store)
def _interp_store_impl(t, like):
    if isinstance(like, types.Float):
        nb_type = like

        def impl(t, like):
            return nb_type(t)
        return impl
    if isinstance(like, types.Integer):
        info = np.iinfo(str(like))
        hi, lo = float(info.max), float(info.min)
        if not like.signed:
            def impl(t, like):
                t = t + 0.5 if t > 0 else 0.0
                t = hi if t > hi else t
                t = 0.0 if t < 0 else t
                return c_cast(t, like)
            return impl

        if like.bitwidth == 64:
            # INT64_MAX is 2**63 as a double: SciPy's wheel stores INT64_MAX
            # above it (the clipped branch is a constant its compiler folds
            # with saturation) and C's cast of 2**63 itself (INT64_MIN)
            def impl(t, like):
                t = t + 0.5 if t > 0 else t - 0.5
                if t > hi:
                    return np.int64(9223372036854775807)
                t = lo if t < lo else t
                return c_cast(t, like)
            return impl

        def impl(t, like):
            t = t + 0.5 if t > 0 else t - 0.5
            t = hi if t > hi else t
            t = lo if t < lo else t
            return c_cast(t, like)
        return impl
    return None


def round_store_numpy(t: np.ndarray, dtype) -> np.ndarray:
    """The same stores on a float64 array, for output types the kernels are
    not compiled for (``bool`` keeps C's byte, no rounding)."""
    from .._core.cast import c_cast_numpy
    dtype = np.dtype(dtype)
    t = np.asarray(t, np.float64)
    if dtype.kind in "fb":
        return c_cast_numpy(t, dtype)
    info = np.iinfo(dtype)
    hi, lo = float(info.max), float(info.min)
    with np.errstate(invalid="ignore"):
        if dtype.kind == "u":
            t = np.where(t > 0, t + 0.5, 0.0)
            t = np.where(t > hi, hi, t)
            t = np.where(t < 0, 0.0, t)
        else:
            t = np.where(t > 0, t + 0.5, t - 0.5)
            over = t > hi
            t = np.where(over, hi, t)
            t = np.where(t < lo, lo, t)
    out = c_cast_numpy(t, dtype)
    if dtype.kind == "i" and dtype.itemsize == 8:
        out[over] = info.max    # see interp_store
    return out
