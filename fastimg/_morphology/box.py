"""Full-box grey erosion and dilation of integer images, as separable 1-D
passes of the vectorised flat kernel.

SciPy runs a full box as ``minimum_filter1d`` / ``maximum_filter1d`` along
each axis, in doubles, each pass stored in the output dtype.  For integer
data of at most 32 bits (exact in a double), an output of the input's
dtype and a ``cval`` the dtype holds exactly, the minimum / maximum of the
integers themselves is the same number, so the passes can run on the data
in its own type with :func:`fastimg._morphology.kernels.flat_minmax_rows`
(whole rows per window cell, vectorised).  :func:`box_minmax` answers only
those calls, and only with arguments SciPy accepts without a warning; every
other call returns None and goes to the rank family's separable filters.
"""
from __future__ import annotations

import operator

import numpy as np

from .._core import ndi_args
from .._core.dispatch import run
from .._core.doubling import doubling_pass
from . import kernels
from .prepare import offsets, pad, rowbase, window_widths

__all__ = ["box_minmax"]

_EXACT = {np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16, np.uint32,
                                  np.int32)}


def _ints(value, n):
    """``value`` as n ints (a scalar repeated), or None."""
    try:
        seq = list(value) if np.iterable(value) else [value] * n
        if len(seq) != n:
            return None
        return [operator.index(v) for v in seq]
    except TypeError:
        return None


#: Windows from this length run by doubling (:mod:`fastimg._core.doubling`),
#: shorter ones cell by cell (the same comparison count up to 3).
DOUBLING_FROM = 4


def box_minmax(input, size, footprint, output, mode, cval, origin, minimum, axes, workers):
    """The passes, or None when the call is not one this path answers."""
    if (not isinstance(input, np.ndarray) or input.ndim == 0 or input.size == 0
            or axes is not None or not isinstance(mode, str)
            or input.dtype.newbyteorder("=") not in _EXACT
            or (size is not None and footprint is not None)):
        return None
    dt = input.dtype.newbyteorder("=")
    if footprint is not None:
        fp = np.asarray(footprint, dtype=bool)
        if fp.ndim != input.ndim or fp.size == 0 or not fp.all():
            return None
        sizes = list(fp.shape)
    else:
        sizes = _ints(size, input.ndim)
    origins = _ints(origin, input.ndim)
    if sizes is None or origins is None or min(sizes) < 1:
        return None
    if any(not -(k // 2) <= o <= (k - 1) // 2 for k, o in zip(sizes, origins)):
        return None
    try:
        mode = ndi_args.ndi_mode(mode)
        c = float(cval)
    except (RuntimeError, TypeError, ValueError):
        return None
    info = np.iinfo(dt)
    if mode == "constant" and not (c == int(c) and info.min <= c <= info.max):
        return None  # SciPy's passes compare the double cval: not exact here
    if output is None:
        out = np.zeros(input.shape, dt)
    elif (isinstance(output, np.ndarray) and output.dtype == dt and output.shape == input.shape
          and output.flags.c_contiguous and output.flags.writeable
          and not np.may_share_memory(input, output)):
        out = output
    else:
        return None
    cur = np.ascontiguousarray(input, dtype=dt)
    done = False
    for axis, (k, o) in enumerate(zip(sizes, origins)):
        if k == 1:
            continue
        shape = [1] * input.ndim
        shape[axis] = k
        orig = [0] * input.ndim
        orig[axis] = o
        fp = np.ones(shape, bool)
        P = pad(cur, window_widths(shape, orig), mode, dt.type(int(c) if mode == "constant"
                                                               else 0))
        if k >= DOUBLING_FROM:
            doubling_pass(P, cur.shape, axis, k, minimum, out, workers)
        else:
            rb = rowbase(cur.shape, P.shape)
            offs = offsets(fp, P.shape)
            run(kernels.flat_minmax_rows, (P.reshape(-1), rb, offs, bool(minimum),
                                           out.reshape(-1, cur.shape[-1])),
                items=rb.size, size=cur.size, cost=0.1 * k, workers=workers)
        cur = out
        done = True
    if not done:
        out[...] = input
    return out
