"""Plumbing shared by the global (whole-image) Dask twins.

A global twin builds its graph from ``dask.delayed`` calls on the blocks of
the input (``x.to_delayed(optimize_graph=False)``, so that blocks shared by
several inputs of a task are computed once): per-block partial results, a tree
reduction, and a final step that reuses the single-machine function on the
small reduced data (a histogram, an equivalence table).  Array results are
lazy ``dask.array.Array``; scalar results are lazy 0-d dask arrays whose
``compute()`` returns exactly the single-machine value (same type and
dtype).  Data-dependent errors (a NaN range, too few values for multi-Otsu,
...) are raised by ``compute()``, with the single-machine exception type;
argument errors are raised by the call.
"""
from __future__ import annotations

import functools
import inspect
import itertools

import numpy as np

import dask
import dask.array as da

__all__ = ["as_dask", "twin", "tree", "blocks", "scalar", "array_of", "whole",
           "block_slices", "region"]

#: Blocks combined per node of a reduction tree.
_WIDTH = 8


def as_dask(x):
    """``x`` as a dask array (NumPy and array-likes through ``da.asarray``)."""
    return x if isinstance(x, da.Array) else da.asarray(np.asarray(x))


def twin(single):
    """Decorator: give a twin the name, docstring and signature of the
    single-machine function ``single`` (its own docstring is prepended)."""
    def wrap(f):
        own = f.__doc__ or ""
        functools.update_wrapper(f, single)
        f.__signature__ = inspect.signature(single)
        f.__wrapped__ = single
        f.__doc__ = own + "\n\n    Single-machine documentation follows.\n\n" + (single.__doc__
                                                                                 or "")
        return f
    return wrap


def tree(parts, combine):
    """Reduce a list of delayed values with ``combine(*group)`` in a tree of
    fan-in :data:`_WIDTH` (a long list never makes one huge task)."""
    parts = list(parts)
    if not parts:
        raise ValueError("nothing to reduce")
    while len(parts) > 1:
        parts = [dask.delayed(combine, pure=True)(*parts[i:i + _WIDTH])
                 for i in range(0, len(parts), _WIDTH)]
    return parts[0]


def blocks(x):
    """``[(block index, delayed block)]`` of a dask array in C order."""
    d = x.to_delayed(optimize_graph=False)
    return [(idx, d[idx]) for idx in np.ndindex(*x.numblocks)]


def block_slices(x):
    """``{block index: tuple of global slices}``."""
    starts = [np.concatenate([[0], np.cumsum(c)]).astype(int) for c in x.chunks]
    out = {}
    for idx in np.ndindex(*x.numblocks):
        out[idx] = tuple(slice(int(s[i]), int(s[i + 1])) for s, i in zip(starts, idx))
    return out


def scalar(value, dtype):
    """A lazy 0-d dask array of the delayed ``value`` (its compute() returns
    the value itself: a NumPy scalar keeps its type)."""
    return da.from_delayed(value, shape=(), dtype=dtype)


def array_of(value, shape, dtype):
    """A lazy dask array (one chunk) of the delayed ndarray ``value``;
    unknown lengths are NaN (``compute()`` still gives the array)."""
    return da.from_delayed(value, shape=tuple(shape), dtype=dtype)


def _call_whole(fn, args, kwargs):
    return fn(*args, **kwargs)


def whole(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` as one delayed task on the computed arrays
    (dask arguments become NumPy): exact by construction, and the whole
    image must fit in one worker's memory.  Returns the Delayed."""
    return dask.delayed(_call_whole, pure=True)(fn, list(args), dict(kwargs))


def _region(parts, shape, local):
    grid = np.empty(shape, object)
    for k, p in enumerate(parts):
        grid[np.unravel_index(k, shape)] = p
    return np.block(grid.tolist())[local]


def region(x, delayed_blocks, sl):
    """Delayed ndarray ``x[sl]`` assembled from the blocks it intersects
    (``delayed_blocks``: ``x.to_delayed(optimize_graph=False)``): one small task, where passing
    the sliced dask array to ``dask.delayed`` nests a graph per call."""
    bounds = [np.concatenate([[0], np.cumsum(c)]).astype(int) for c in x.chunks]
    ranges = []
    for s, b in zip(sl, bounds):
        i0 = int(np.searchsorted(b, s.start, "right")) - 1
        i1 = int(np.searchsorted(b, s.stop, "left"))
        ranges.append(range(i0, i1))
    idxs = list(itertools.product(*ranges))
    origin = tuple(int(b[r[0]]) for b, r in zip(bounds, ranges))
    local = tuple(slice(s.start - o, s.stop - o) for s, o in zip(sl, origin))
    return dask.delayed(_region, pure=True)([delayed_blocks[i] for i in idxs],
                                            tuple(len(r) for r in ranges), local)
