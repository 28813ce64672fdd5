"""SciPy's separable minimum and maximum: one 1-D pass per axis.

``minimum_filter`` and ``maximum_filter`` with a full box run as
``minimum_filter1d`` / ``maximum_filter1d`` along every axis of size > 1,
each pass reading the previous one's output (stored in the output dtype),
through the ndimage pass pipeline (:func:`fastimg._core.passes.chain`).
:func:`minmax1d` is one such pass with the checks SciPy makes per pass.
Without a NaN policy the values it sees are totally ordered (NaN and -0.0
take SciPy's own order, :mod:`.scipy_order`), so any window length runs by
doubling (:mod:`fastimg._core.doubling`: 2048² uint8, 15-40x SciPy at every
size, where the comparator networks and van Herk / Gil-Werman were 2-10x,
measured on a loaded machine); under a NaN policy windows up to
``PASS_NETWORK_MAX`` go to the rank core (its comparator network; gather +
quickselect for float data), longer ones to van Herk / Gil-Werman
(:func:`minmax_pass`), which order NaN by the policy.

:func:`box_passes` answers the whole chain at once for 1-D and 2-D
integer data of at most 32 bits stored into their own dtype (any policy:
such data hold no NaN): the box in one sweep over the rows
(:func:`fastimg._core.box.box_sweep`, the kernel grey erosion / dilation
use), no padded copy, no intermediate image.  Old and new in one process,
2 threads, best of 7, loaded 2-core machine (3 runs): 4096² uint8
photograph, size 15 2.5-4.7x (2.6-7.1 ms), size 3 2.3-6x (2.6-2.7 ms),
size 31 4.2-5.9x (2.5-2.8 ms, cv2.dilate 8.5-20 ms); 2048² int16 sizes 3
and 15 5-27x (1.3-2.2 ms).
"""
from __future__ import annotations

import operator

import numpy as np

from .._core import ndi_args
from .._core.box import EXACT, box_cval, box_sweep
from .._core.dispatch import run
from .._core.doubling import doubling_pass
from .._core.ndi_args import pad_once
from . import kernels as rank_kernels
from .core import RankSpec, rank_core
from .prepare import cval_in, kernel_data, store
from .scipy_order import harter_pass, needs_scipy_order

__all__ = ["box_passes", "minmax1d", "minmax_pass", "PASS_NETWORK_MAX"]

#: Under a NaN policy, passes up to this length take the comparator
#: network (2048x2048 uint8, size 3: ~10 ms against ~50 ms for van Herk /
#: Gil-Werman; size 9: ~22 against ~36 ms; beyond, vHGW's constant cost
#: wins, measured)
PASS_NETWORK_MAX = 9

_OPS = {  # (minimum, policy) -> minmax_lines op
    (True, rank_kernels.POLICY_SORT): rank_kernels.MIN_NAN_LAST,
    (True, rank_kernels.POLICY_OMIT): rank_kernels.MIN_NAN_LAST,
    (True, rank_kernels.POLICY_PROPAGATE): rank_kernels.MIN_NAN_FIRST,
    (False, rank_kernels.POLICY_SORT): rank_kernels.MAX_NAN_LAST,
    (False, rank_kernels.POLICY_PROPAGATE): rank_kernels.MAX_NAN_LAST,
    (False, rank_kernels.POLICY_OMIT): rank_kernels.MAX_NAN_FIRST,
}


def box_passes(input, output, passes, cval, minimum, workers):
    """The chain of ``passes`` ``(axis, size, origin, mode)`` as one box
    (:func:`fastimg._core.box.box_sweep`), or None when the data are not
    1-D / 2-D integers of :data:`~fastimg._core.box.EXACT` stored into
    their own dtype, or when a pass would raise or warn (the caller then
    runs the passes, which raise SciPy's errors in its order)."""
    dt = input.dtype.newbyteorder("=")
    if (not passes or input.ndim > 2 or input.size == 0 or dt not in EXACT
            or output.dtype != dt or not output.flags.writeable
            or np.may_share_memory(input, output)):
        return None
    sizes, origins, modes = [1] * input.ndim, [0] * input.ndim, ["nearest"] * input.ndim
    try:
        for axis, size, origin, mode in passes:
            # the checks of minmax1d, as conditions
            k, o = operator.index(size), operator.index(origin)
            if k < 1 or not -(k // 2) <= o <= (k - 1) // 2:
                return None
            sizes[axis], origins[axis], modes[axis] = k, o, ndi_args.ndi_mode(mode)
        c = ndi_args.as_cval(cval)
    except (RuntimeError, TypeError, ValueError):
        return None
    cv = box_cval(dt, c, minimum) if "constant" in modes else dt.type(0)
    if cv is None:
        return None
    x = np.ascontiguousarray(input, dtype=dt)
    out = output if output.flags.c_contiguous else np.empty(input.shape, dt)
    box_sweep(x, sizes, origins, modes, cv, minimum, out, workers)
    if out is not output:
        output[...] = out
    return output


def minmax1d(input, output, axis, size, origin, mode, *, cval, minimum, policy, workers):
    """One pass of SciPy's separable minimum / maximum: the checks of
    ``minimum_filter1d`` (size, origin, mode, then the C code's closing
    checks and the origin as a C integer), then the pass into ``output``."""
    size = int(size)
    if size < 1:
        raise RuntimeError(f"incorrect filter size (got size={size})")
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError(f"invalid origin (got origin={origin!r} for size={size})")
    mode = ndi_args.ndi_mode(mode)
    cval = ndi_args.closing_checks(input, output, cval, True)
    origin = ndi_args.as_c_int(origin, "origin")
    # (a NaN cval is a double in SciPy's line buffer whatever the data type:
    # integer data with a NaN border need its order too)
    if policy == rank_kernels.POLICY_SORT and (
            needs_scipy_order(input, mode, cval) or (mode == "constant" and np.isnan(cval))):
        return harter_pass(input, axis, size, origin, mode, cval, output, minimum, workers)
    if size > PASS_NETWORK_MAX or policy == rank_kernels.POLICY_SORT:
        return minmax_pass(input, axis, size, origin, mode, cval, output, minimum, policy,
                           workers)
    fshape = [1] * input.ndim
    fshape[axis] = size
    origins = [0] * input.ndim
    origins[axis] = origin
    spec = RankSpec(0 if minimum else size - 1, rank_kernels.OP_RANK, 0.0,
                    0 if minimum else -1)
    return rank_core(input, np.ones(fshape, bool), origins, mode, cval, output, spec,
                     policy, workers, "double")


def minmax_pass(x, axis, size, origin, mode, cval, output, minimum, policy, workers):
    """One 1-D minimum / maximum pass, by doubling without a NaN policy,
    by van Herk / Gil-Werman under one (``cval`` used as a double, the
    result stored into ``output`` with the C cast)."""
    if x.size == 0:
        return output
    kx, decode = kernel_data(x)
    kdt = kx.dtype
    c = cval_in(x, kdt, cval, decode, output.dtype.newbyteorder("="), "double")
    if c is None:
        kx, decode, kdt = x.astype(np.float64), None, np.dtype(np.float64)
        c = cval
    lo = size // 2 + origin
    widths = [(0, 0)] * x.ndim
    widths[axis] = (lo, size - 1 - lo)
    P = pad_once(kx, widths, mode, c)
    pre = int(np.prod(x.shape[:axis], dtype=np.int64))
    post = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    P3 = P.reshape(pre, P.shape[axis], post)
    direct = (decode is None and output.dtype == kdt and output.flags.c_contiguous
              and output.flags.writeable)
    kout = output if direct else np.empty(x.shape, kdt)
    out3 = kout.reshape(pre, x.shape[axis], post)
    if policy == rank_kernels.POLICY_SORT:
        # no NaN and no -0.0 here (minmax1d sent those to SciPy's order):
        # the values are totally ordered
        doubling_pass(P, x.shape, axis, size, minimum, kout, workers)
    else:
        ch = 1 if post == 1 else 256
        items = pre * ((post + ch - 1) // ch)
        op = _OPS[(bool(minimum), policy if kdt.kind == "f" else rank_kernels.POLICY_SORT)]
        run(rank_kernels.minmax_lines, (P3, size, op, ch, out3),
            items=items, size=x.size, cost=3.0, workers=workers)
    if not direct:
        store(kout if decode is None else decode(kout), output)
    return output
