"""``ndimage.distance_transform_edt`` by passes across chunks, exact.

SciPy's distances are ``sqrt(dy**2 + dx**2 + ...)`` of the displacement to
a nearest feature (a zero of the input), summed in float64 from integers:
the square root of the exact minimum squared distance, whichever nearest
feature a tie picks.  That minimum separates by axes: the first pass gives
each pixel its squared distance to the nearest feature along axis 0, each
further pass the lower envelope of those along the next axis (Felzenszwalb
and Huttenlocher); integer arithmetic throughout, one square root at the
end.  Each pass needs whole lines along its axis: the array is rechunked
so that axis is one chunk, and a task holds one slab of full lines.

An input with no feature at all gets SciPy's distances to the point
``(-1, 0, ..., 0)``.  Other calls (``sampling``, ``return_indices``, output
arrays, 0-D and 1-D inputs) run as a whole-array call.
"""
from __future__ import annotations

import dask.array as da
import numpy as np

from .local import NotLocal

# the kernels (and Numba) load with the first pass that runs, not with
# ``import fastimg.dask``

__all__ = ["run_edt"]


def _lines(block, axis):
    """``block`` with ``axis`` last, as rows of a contiguous 2-D array."""
    moved = np.moveaxis(block, axis, -1)
    return np.ascontiguousarray(moved).reshape(-1, block.shape[axis]), moved.shape


def _unlines(rows, shape, axis):
    return np.moveaxis(rows.reshape(shape), -1, axis)


def _first(block):
    from .edt_kernels import first_pass
    rows, shape = _lines(block == 0, 0)
    out = np.empty(rows.shape, np.int64)
    first_pass(rows, out)
    return _unlines(out, shape, 0)


def _envelope(block, axis):
    from .edt_kernels import envelope_pass
    rows, shape = _lines(block, axis)
    out = np.empty(rows.shape, np.int64)
    n = rows.shape[1]
    envelope_pass(rows, out, np.zeros(n, np.int64), np.zeros(n + 1))
    return _unlines(out, shape, axis)


def _finish(block, block_info=None):
    from .edt_kernels import INF
    out = np.sqrt(block.astype(np.float64))
    empty = block >= INF
    if empty.any():  # no feature anywhere: SciPy measures from (-1, 0, ...)
        loc = block_info[0]["array-location"]
        grid = np.ix_(*(np.arange(a, b) for a, b in loc))
        d2 = (grid[0] + 1.0) ** 2
        for g in grid[1:]:
            d2 = d2 + np.asarray(g, np.float64) ** 2
        out[empty] = np.sqrt(np.broadcast_to(d2, block.shape))[empty]
    return out


def run_edt(ctx, strategy, x):
    p = ctx.given
    if (x.ndim < 2 or p.get("sampling") is not None or p.get("return_indices")
            or p.get("return_distances", True) is not True
            or p.get("distances") is not None or p.get("indices") is not None):
        raise NotLocal("only the distances of an unsampled N-D image run by passes")
    # the anchor reads the input as 0 / not 0 (complex and object data
    # are left to the whole-array call, which reports them)
    if x.dtype.kind not in "biuf":
        raise NotLocal("dtype")
    def whole_along(a, axis):  # the input's chunks, but whole lines along axis
        return a.rechunk(tuple(-1 if i == axis else c for i, c in enumerate(x.chunks)))

    d = whole_along(x, 0).map_blocks(_first, dtype=np.int64)
    for axis in range(1, x.ndim):
        d = whole_along(d, axis).map_blocks(_envelope, axis, dtype=np.int64)
    return whole_along(d, -1).map_blocks(_finish, dtype=np.float64)
