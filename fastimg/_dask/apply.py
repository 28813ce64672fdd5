"""The strategies' executors: one public function applied to dask arrays.

Each executor gets the call's arguments by name (``given``: what the caller
passed; ``params``: with the defaults filled in) and the image (a dask
array) under the first parameter's name, and builds the lazy result.  The
function runs in the chunks as a :class:`ChunkCall`, which names the
function by its qualname (a worker process looks it up in its own fastimg:
the call pickles small, and each process uses its own compile cache and
first-call tiers).
"""
from __future__ import annotations

import dask
import dask.array as da
import numpy as np

from .._core import catalog
from .halo import map_halo
from .local import RULES, NotLocal, boundaries
from .shapes import output_shape

__all__ = ["ChunkCall", "run_elementwise", "run_local", "run_planewise", "run_whole",
           "run_eager", "OUTPUT_ARRAYS"]

#: parameters through which a caller may hand in arrays to fill; a lazy
#: result cannot fill them, so such calls run at once (see run_eager)
OUTPUT_ARRAYS = ("output", "out", "distances", "indices")
#: probe crops (pixels per axis) of the whole strategy; smaller images run
#: at once
_PROBES = (12, 9)


def public_function(qualname):
    """fastimg's public function of ``qualname`` in this process."""
    return catalog.public(catalog.find_row(qualname))


class ChunkCall:
    """A picklable call of a public function: fixed arguments by name, and
    the arrays it is called with in the slots ``names``."""

    def __init__(self, qualname, arguments, names, positional):
        self.qualname = qualname
        self.arguments = {k: v for k, v in arguments.items() if k not in names}
        self.names = tuple(names)
        self.positional = tuple(positional)

    def __call__(self, *arrays):
        values = dict(self.arguments)
        values.update(zip(self.names, arrays))
        ordered, args = dict(values), []
        # positional as far as the caller's order allows (a keyword-only
        # rename in an anchor then never matters)
        for name in self.positional:
            if name not in ordered:
                break
            args.append(ordered.pop(name))
        return public_function(self.qualname)(*args, **ordered)

    def __repr__(self):
        return f"ChunkCall({self.qualname})"


def _probe(call, x, aligned):
    """(dtype, same shape?) of the call on small zero blocks."""
    small = tuple(min(s, 8) for s in x.shape)
    out = call(np.zeros(small, x.dtype), *(np.zeros(small, a.dtype) for a in aligned))
    if not isinstance(out, np.ndarray):
        raise NotLocal("the result is not an array")
    return out.dtype, out.shape == small


def _aligned(ctx, strategy, x):
    names, arrays = [], []
    for name in strategy.aligned:
        value = ctx.given.get(name)
        if value is None:
            continue
        arr = da.asarray(value)
        if arr.shape != x.shape:
            raise NotLocal(f"{name} is not of the image's shape")
        names.append(name)
        arrays.append(arr.rechunk(x.chunks))
    return names, arrays


def _meta(ndim, dtype):
    return np.empty((0,) * ndim, dtype)


def run_elementwise(ctx, strategy, x):
    call = ctx.chunk_call([ctx.image])
    dtype, same = _probe(call, x, ())
    if not same:
        raise NotLocal("the result's shape differs")
    return da.map_blocks(call, x, dtype=dtype, meta=_meta(x.ndim, dtype))


def run_local(ctx, strategy, x):
    depth = list(RULES[ctx.qualname](ctx.params, x.ndim))
    boundary = boundaries(ctx.qualname, ctx.params, x.ndim)
    names, aligned = _aligned(ctx, strategy, x)
    call = ctx.chunk_call([ctx.image, *names])
    dtype, same = _probe(call, x, aligned)
    if not same:
        raise NotLocal("the result's shape differs")
    # an axis the kernel reaches across entirely is one chunk (dask's
    # periodic boundary and minimum chunk sizes need depth < extent)
    whole_axes = {a: -1 for a in range(x.ndim) if depth[a] >= x.shape[a]}
    if whole_axes:
        x = x.rechunk(whole_axes)
        aligned = [a.rechunk(x.chunks) for a in aligned]
        for a in whole_axes:
            depth[a] = 0
    if not any(depth):
        return da.map_blocks(call, x, *aligned, dtype=dtype, meta=_meta(x.ndim, dtype))
    periodic = [boundary[a] == "periodic" and depth[a] > 0 for a in range(x.ndim)]
    if not any(periodic):
        # one task per block gathers its region from the chunks it touches
        # (fastimg._dask.halo: cheaper than map_overlap's pieces, and thin
        # chunks need no rechunking)
        return map_halo(call, x, *aligned, depth=depth, periodic=periodic, dtype=dtype,
                        meta=_meta(x.ndim, dtype))
    # wrap modes: dask's periodic boundary; chunks thinner than the depth
    # are merged by map_overlap's allow_rechunk (ensure_minimum_chunksize)
    return da.map_overlap(call, x, *aligned, depth=dict(enumerate(depth)), boundary=boundary,
                          trim=True, allow_rechunk=True, dtype=dtype,
                          meta=_meta(x.ndim, dtype))


def _spatial_axes(strategy, params, ndim):
    channel = params.get("channel_axis")
    if strategy.planes == "axes" and params.get("axes") is not None:
        axes = params["axes"]
        axes = [axes] if np.ndim(axes) == 0 else list(axes)
        return sorted({int(a) % ndim for a in axes})
    if channel is not None:
        return [a for a in range(ndim) if a != int(channel) % ndim]
    return list(range(ndim))


def run_planewise(ctx, strategy, x):
    call = ctx.chunk_call([ctx.image])
    dtype, same = _probe(call, x, ())
    if not same:
        raise NotLocal("the result's shape differs")
    spatial = _spatial_axes(strategy, ctx.params, x.ndim)
    x = x.rechunk({a: -1 for a in spatial})
    return da.map_blocks(call, x, dtype=dtype, meta=_meta(x.ndim, dtype))


def run_whole(ctx, strategy, x):
    """Gather into one chunk; a single-array result stays lazy.

    The result's dtype and shape come from two probes on corner crops
    (12 and 9 pixels per axis; arrays of the image's shape cropped alike):
    a result shaped like both crops has the image's shape, others the shape
    :func:`fastimg._dask.shapes.output_shape` derives from the arguments,
    else unknown (NaN) chunk sizes until computed.  A result that is not an
    array, or a probe that fails, makes the call run at once.
    """
    if x.ndim == 0 or min(x.shape) < _PROBES[0]:
        return run_eager(ctx)
    names = [n for n, v in ctx.given.items() if isinstance(v, da.Array) and n != ctx.image]
    names = [ctx.image, *names]
    call = ctx.chunk_call(names)
    values = [x, *(ctx.given[n] for n in names[1:])]
    outs = []
    for size in _PROBES:
        crop = tuple(slice(0, size) for _ in x.shape)
        small = [v[crop] if getattr(v, "shape", None) == x.shape else v for v in values]
        others = {n: v[crop] for n, v in ctx.given.items() if n not in names
                  and isinstance(v, np.ndarray) and v.shape == x.shape}
        probe = ChunkCall(ctx.qualname, {**ctx.given, **others}, names, ctx.positional)
        try:
            outs.append(probe(*dask.compute(*small)))
        except Exception:
            return run_eager(ctx)
    # an empty probe result may not carry the real result's dtype
    # (hough_ellipse's table): such calls run at once
    if (not all(isinstance(o, np.ndarray) and o.size for o in outs)
            or outs[0].dtype != outs[1].dtype or outs[0].ndim != outs[1].ndim):
        return run_eager(ctx)
    same = all(o.shape == (s,) * x.ndim for o, s in zip(outs, _PROBES))
    shape = x.shape if same else output_shape(ctx.qualname, ctx.params, x.shape)
    if shape is None or len(shape) != outs[0].ndim:
        shape = (np.nan,) * outs[0].ndim
    result = dask.delayed(call, pure=True)(*values)
    return da.from_delayed(result, shape, dtype=outs[0].dtype,
                           meta=_meta(outs[0].ndim, outs[0].dtype))


def run_eager(ctx):
    """Compute the arguments and call the function now."""
    (values,) = dask.compute(dict(ctx.given))
    result = ChunkCall(ctx.qualname, values, (), ctx.positional)()
    if isinstance(result, np.ndarray) and not any(
            isinstance(ctx.given.get(n), np.ndarray) for n in OUTPUT_ARRAYS):
        return da.from_array(result, chunks=result.shape or ())
    return result
