"""SciPy's own order for minimum and maximum filters of float data holding
NaN or -0.0.

fastimg's fast paths (comparator networks, van Herk / Gil-Werman, the rank
core) agree with SciPy whenever the values are totally ordered.  With NaN
(unordered) or both zeros (equal, of different signs) SciPy's result
depends on the order of its comparisons: its separable passes run Richard
Harter's deque (``NI_MinOrMaxFilter1D``), its footprint path a running
extreme from the first cell (``NI_MinOrMaxFilter``).  For such data the
filters run those same comparisons here instead (:mod:`.scipy_order_kernels`),
at about SciPy's own speed, so the results are SciPy's bit for bit.
"""
from __future__ import annotations

import numpy as np

from .._core.dispatch import run
from .._core.ndi_args import pad_once
from .prepare import store
from .scipy_order_kernels import first_cell_points, harter_lines, has_unordered

__all__ = ["needs_scipy_order", "harter_pass", "first_cell_filter"]


def needs_scipy_order(x: np.ndarray, mode: str, cval: float) -> bool:
    """Whether the float data ``x`` (with ``cval`` at a constant border) has
    values SciPy's comparison order decides: NaN, or a -0.0 (next to +0.0,
    which of the two is returned depends on the order)."""
    if x.dtype.kind != "f":
        return False
    if mode == "constant":
        if np.isnan(cval):
            return True
        if cval == 0 and np.signbit(cval) and (x == 0).any():
            return True
    if x.flags.c_contiguous and x.dtype.isnative:
        # one pass, stopping at the first such value (NumPy's isnan, signbit
        # and == made four passes and three temporaries)
        return bool(run(has_unordered, (x.reshape(-1),), items=x.size, size=x.size,
                        cost=0.3, flags=True))
    return bool(np.isnan(x).any() or (np.signbit(x) & (x == 0)).any())


def harter_pass(x, axis, size, origin, mode, cval, output, minimum, workers):
    """One 1-D pass of ``minimum_filter1d`` / ``maximum_filter1d`` in
    SciPy's order: the line extended as doubles (``cval`` a double, as in
    SciPy's line buffer), the deque, the result cast into ``output``."""
    if x.size == 0:
        return output
    lo = size // 2 + origin
    widths = [(0, 0)] * x.ndim
    widths[axis] = (lo, size - 1 - lo)
    P = pad_once(x.astype(np.float64), widths, mode, float(cval))
    pre = int(np.prod(x.shape[:axis], dtype=np.int64))
    post = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    P3 = P.reshape(pre, P.shape[axis], post)
    vals = np.empty(x.shape, np.float64)
    items = pre * post
    ring_value = np.empty(items * size, np.float64)
    ring_death = np.empty(items * size, np.int64)
    run(harter_lines, (P3, size, bool(minimum), ring_value, ring_death,
                       vals.reshape(pre, x.shape[axis], post)),
        items=items, size=x.size, cost=4.0, workers=workers)
    store(vals, output)
    return output


def first_cell_filter(x, footprint, origins, mode, cval, output, minimum, workers):
    """``minimum_filter`` / ``maximum_filter`` with a footprint, in SciPy's
    order: cells read in C order, the constant border ``cval`` cast to the
    input type first (as SciPy's C code does), the result cast into
    ``output``."""
    if x.size == 0:
        return output
    widths = []
    for s, o in zip(footprint.shape, origins):
        lo = s // 2 + o
        widths.append((lo, s - 1 - lo))
    x = np.ascontiguousarray(x, dtype=x.dtype.newbyteorder("="))
    P = pad_once(x, widths, mode, x.dtype.type(cval))
    pstrides = np.array([st // P.itemsize for st in P.strides], np.int64)
    cells = np.argwhere(footprint)
    offsets = (cells * pstrides).sum(axis=1).astype(np.int64)
    vals = np.empty(x.size, x.dtype)
    run(first_cell_points, (P.ravel(), offsets, np.array(x.shape, np.int64), pstrides,
                            bool(minimum), vals),
        items=x.size, size=x.size * len(offsets), cost=1.0, workers=workers)
    store(vals.reshape(x.shape), output)
    return output
