"""Overlapped blocks without Dask's overlap machinery.

For each output block, one task gathers the source region the kernel reads,
``[start - depth, stop + depth)`` per axis, straight from the chunks that
region touches (one copy into one buffer, or no copy at all where a single
chunk holds the region), calls the function on it and trims the added rim.
Dask's ``map_overlap`` reaches the same result through a getitem task per
neighbour piece, a concatenation and a trim task per block: for a Gaussian
of an 8192² float32 image in 2048² chunks that machinery cost more than the
chunks' own copies.

At the true image edge nothing is added (the function's own ``mode`` and
``cval`` apply there), except along *periodic* axes, where the region wraps
around to the far side as Dask's ``'periodic'`` boundary does (the function's
own wrap then never reaches the kept core).  Chunks thinner than the depth
need no rechunking: the region simply spans more of them.
"""
from __future__ import annotations

import itertools
import threading

import numpy as np
from dask.array.core import Array
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph

__all__ = ["map_halo"]


def _starts(chunks):
    return np.concatenate([[0], np.cumsum(chunks)]).astype(int).tolist()


def _segments(lo, hi, n, periodic):
    """Source index runs ``(src_lo, src_hi)`` that make up ``[lo, hi)``:
    clipped to ``[0, n)``, or wrapped modulo ``n`` along a periodic axis."""
    if not periodic:
        return [(max(lo, 0), min(hi, n))]
    runs, i = [], lo
    while i < hi:
        s = i % n
        step = min(n - s, hi - i)
        runs.append((s, s + step))
        i += step
    return runs


def _axis_plan(bounds, index, depth, periodic):
    """For block ``index`` along one axis: the pieces ``(chunk, src slice in
    that chunk, dst slice in the region)``, the region's length, and the
    slice of the region the block keeps."""
    n = bounds[-1]
    start, stop = bounds[index], bounds[index + 1]
    pieces, filled = [], 0
    for lo, hi in _segments(start - depth, stop + depth, n, periodic):
        # chunks overlapping [lo, hi)
        first = int(np.searchsorted(bounds, lo, side="right")) - 1
        for c in range(first, len(bounds) - 1):
            c0, c1 = bounds[c], bounds[c + 1]
            if c0 >= hi:
                break
            a, b = max(lo, c0), min(hi, c1)
            if b > a:
                pieces.append((c, slice(a - c0, b - c0), slice(filled, filled + b - a)))
                filled += b - a
    before = depth if periodic else start - max(start - depth, 0)
    return pieces, filled, slice(before, before + stop - start)


#: regions up to this many bytes are gathered into a buffer each thread
#: keeps for its next task (a fresh buffer of a few MB costs more in page
#: faults, zeroing and unmapping than its copy when two threads allocate at
#: once); larger ones are allocated each time
SCRATCH_BYTES = 1 << 25
_LOCAL = threading.local()


def _scratch(slot, shape, dtype):
    """A buffer of ``shape`` this thread reuses (slot: which input)."""
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if nbytes > SCRATCH_BYTES:
        return np.empty(shape, dtype)
    pool = getattr(_LOCAL, "pool", None)
    if pool is None:
        pool = _LOCAL.pool = {}
    buf = pool.get(slot)
    if buf is None or buf.nbytes < nbytes:
        buf = pool[slot] = np.empty(max(nbytes, 1), np.uint8)
    return buf[:nbytes].view(dtype).reshape(shape)


def _gather(slot, shape, dtype, pieces, *blocks):
    """One region from its pieces: a view where one chunk holds it all."""
    if len(blocks) == 1:
        src = blocks[0][pieces[0][0]]
        if src.shape == shape:
            return src, False
    out = _scratch(slot, shape, dtype)
    for (src, dst), block in zip(pieces, blocks):
        out[dst] = block[src]
    return out, True


class _Block:
    """The task of one output block: gather each input's region, call, trim."""

    def __init__(self, call, shape, dtypes, pieces, trim, counts):
        self.call = call
        self.shape = shape
        self.dtypes = dtypes
        self.pieces = pieces
        self.trim = trim
        self.counts = counts

    def __call__(self, *blocks):
        regions, scratch, i = [], [], 0
        for slot, (dtype, count) in enumerate(zip(self.dtypes, self.counts)):
            region, reused = _gather(slot, self.shape, dtype, self.pieces,
                                     *blocks[i:i + count])
            regions.append(region)
            if reused:
                scratch.append(region)
            i += count
        out = np.asarray(self.call(*regions))[self.trim]
        # a result sharing a reused buffer would change with the next task
        if any(np.may_share_memory(out, r) for r in scratch):
            out = out.copy()
        return out


def map_halo(call, x, *aligned, depth, periodic, dtype, meta):
    """``call`` on each block of ``x`` (and of the ``aligned`` arrays, chunked
    as ``x``) widened by ``depth`` pixels per axis, trimmed back: a lazy
    array chunked as ``x``.

    Parameters
    ----------
    call : callable
        ``call(region, *aligned_regions) -> ndarray`` of the region's shape.
    x : dask.array.Array
        The image.
    *aligned : dask.array.Array
        Arrays of ``x``'s shape and chunks, gathered alike.
    depth : sequence of int
        Pixels added on each side, per axis.
    periodic : sequence of bool
        Axes whose far side continues the near one (``depth`` below the
        axis's extent).
    dtype, meta
        The result's dtype and meta.
    """
    arrays = (x, *aligned)
    name = "fastimg-halo-" + tokenize(getattr(call, "qualname", call),
                                      getattr(call, "arguments", None),
                                      getattr(call, "names", None),
                                      [a.name for a in arrays], tuple(depth), tuple(periodic))
    bounds = [_starts(c) for c in x.chunks]
    plans = [[_axis_plan(b, i, int(d), bool(p)) for i in range(len(b) - 1)]
             for b, d, p in zip(bounds, depth, periodic)]
    dtypes = tuple(a.dtype for a in arrays)
    dsk = {}
    for index in itertools.product(*(range(len(c)) for c in x.chunks)):
        axes = [plans[a][i] for a, i in enumerate(index)]
        shape = tuple(p[1] for p in axes)
        trim = tuple(p[2] for p in axes)
        combos = list(itertools.product(*(p[0] for p in axes)))
        pieces = [(tuple(c[1] for c in combo), tuple(c[2] for c in combo)) for combo in combos]
        keys = [(a.name, *(c[0] for c in combo)) for a in arrays for combo in combos]
        task = _Block(call, shape, dtypes, pieces, trim, (len(combos),) * len(arrays))
        dsk[(name, *index)] = (task, *keys)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=arrays)
    return Array(graph, name, chunks=x.chunks, dtype=dtype, meta=meta)
