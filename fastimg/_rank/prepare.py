"""The data the rank kernels read, and the way back to SciPy's output.

* :func:`kernel_data`: the input in one of the kernel dtypes (uint8,
  uint16, float32, float64; int8 / int16 as order-preserving unsigned
  codes, bool as its bytes, every other integer type as float64: SciPy's
  n-D rank filter reads every element into a C double);
* :func:`cval_in`: ``cval`` in the kernel dtype, by the rule of the SciPy
  path being reproduced;
* :func:`offsets` / :func:`slide_offsets`: flat offsets of the footprint's
  cells in the padded array, and of the cells entering and leaving the
  window at each step along a line;
* :func:`store`: the result written into the output with SciPy's C casts.
"""
from __future__ import annotations

import numpy as np

from .._core import ndi_args
from .._core.cast import c_cast_numpy

__all__ = ["kernel_data", "cval_in", "offsets", "slide_offsets", "store"]


def kernel_data(x: np.ndarray):
    """(kernel array, decode) for the input: decode(values) gives the values
    in the dtype SciPy would see them (``None``: the kernel dtype itself)."""
    dt = x.dtype.newbyteorder("=")
    if dt == np.bool_:
        return np.ascontiguousarray(x).view(np.uint8), None
    if dt in (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.float32),
              np.dtype(np.float64)):
        return x.astype(dt, copy=False), None
    if dt == np.int8 or dt == np.int16:
        # flipping the sign bit maps the signed order onto the unsigned one
        u = np.dtype(np.uint8 if dt == np.int8 else np.uint16)
        flip = u.type(1 << (8 * u.itemsize - 1))
        codes = np.ascontiguousarray(x, dtype=dt).view(u) ^ flip
        return codes, lambda v: (v ^ flip).view(dt)
    return x.astype(np.float64), None


def cval_in(x, kdt, cval, decode, out_dtype, rule):
    """SciPy's ``cval`` for this path, in the kernel dtype, or None when the
    kernel dtype cannot hold it (then the float64 kernel is used).

    SciPy's three paths treat ``cval`` differently (measured): the n-D C
    code casts it to the input type first ("input": uint8 with cval=-2
    pads 254); the 1-D min/max passes of separable filters keep it as a
    double and cast the result ("double"); the 1-D rank path converts it
    with ``x.dtype.type`` where x is int64, float32 or float64 ("oned").
    """
    if rule == "input":
        if x.dtype.kind == "f":
            c = x.dtype.type(cval)
        else:
            c = c_cast_numpy(np.array([cval], np.float64), x.dtype.newbyteorder("="))[0]
        if decode is not None:
            return _encode(c, kdt)
        if kdt == np.float64 and x.dtype.kind != "f":
            return np.float64(c)
        if x.dtype == np.bool_:
            return np.uint8(np.array(c).view(np.uint8))
        return kdt.type(c)
    if rule == "oned":
        if x.dtype.kind == "f":
            if x.dtype.itemsize <= 4:
                return kdt.type(np.float32(cval))
            return kdt.type(cval)
        try:
            cval = float(np.int64(cval))
        except (OverflowError, ValueError):
            return None
    if np.isnan(cval):
        return kdt.type(cval) if kdt.kind == "f" else None
    if kdt.kind == "f":
        c = kdt.type(cval)
        # float32 rounding is monotone: ranking float32(cval) among float32
        # values picks the element whose float32 value SciPy stores, when
        # the output is float32
        if float(c) == cval or out_dtype == kdt:
            return c
        return None
    # integer kernels: truncation toward zero is monotone, so ranking
    # trunc(cval) gives trunc(result), which is what an integer output holds
    if not np.isfinite(cval):
        return None
    t = int(cval)
    if t != cval and out_dtype.kind not in "iub":
        return None
    if decode is not None:
        sdt = np.dtype(np.int8 if kdt == np.uint8 else np.int16)
        info = np.iinfo(sdt)
        if not info.min <= t <= info.max:
            return None
        return _encode(sdt.type(t), kdt)
    info = np.iinfo(kdt)
    if not info.min <= t <= info.max:
        return None
    return kdt.type(t)


def _encode(c, kdt):
    """int8 / int16 value -> its order-preserving unsigned code."""
    sdt = np.dtype(np.int8 if kdt == np.uint8 else np.int16)
    return (np.array(c, sdt).view(kdt) ^ kdt.type(1 << (8 * kdt.itemsize - 1)))[()]


def offsets(fp, pstrides):
    """Flat offsets of the True cells of ``fp`` in an array of element
    strides ``pstrides``."""
    idx = np.nonzero(fp)
    return sum(i.astype(np.int64) * s for i, s in zip(idx, pstrides)).astype(np.int64)


def slide_offsets(fp, pstrides):
    """Offsets (relative to the new position) of the cells entering and
    leaving the window when it moves one step along the last axis."""
    prev = np.zeros_like(fp)
    prev[..., 1:] = fp[..., :-1]
    nxt = np.zeros_like(fp)
    nxt[..., :-1] = fp[..., 1:]
    # new cell c (at b + c) was outside the old window (b - 1 + fp) iff
    # c + 1 is not in fp; old cell c (at b - 1 + c) is outside the new one
    # iff c - 1 is not in fp
    enter = offsets(fp & ~nxt, pstrides)
    leave = offsets(fp & ~prev, pstrides) - 1
    return enter, leave


def store(vals, output):
    """``output[...] = vals`` with SciPy's C casts (through double)."""
    odt = output.dtype.newbyteorder("=")
    if vals.dtype == odt:
        output[...] = vals
    else:
        output[...] = c_cast_numpy(vals.astype(np.float64), odt)
