"""``transform.resize`` and ``transform.rescale`` by output chunk
(interpolation order 0 or 1), and ``transform.downscale_local_mean`` by
blocks.

``resize`` is scikit-image's chain: the image converted to float (order >
0), an optional Gaussian (a local operation: the ``ndimage.gaussian_filter``
twin, overlapped blocks of the exact depth, the function's own ``mode`` and
``cval``), ``zoom(..., grid_mode=True)``, then a clip to the converted
image's range.  The zoom is separable: output index ``k`` of an axis reads
the input around ``(k + 0.5) * f - 0.5`` (``f = n_in / n_out``, the same
float64 operations as SciPy's zoom tables), so each output chunk reads a
box of the input: its corner coordinates plus a margin of two pixels,
clipped to the image.  The chunk's coordinates, moved into the box by an
integer (exact), are interpolated there by ``map_coordinates``, which
weighs and sums the taps as the zoom does.  Grid coordinates stay within
half a pixel of the image, so the mirror modes only ever read the pixels
next to an edge, which a box touching that edge holds; ``wrap`` reads the
far side and runs whole.  The clip's bounds are a reduction: per-chunk
minima and maxima (NaN-aware, as scikit-image's clip), and with ``mode=
'constant'`` the unclipped output's extremes (recomputed per output chunk,
not held) decide whether ``cval`` widens them.  Order > 1 (the spline
prefilter is global) runs whole.

``downscale_local_mean`` averages blocks of ``factors`` pixels, padding
the end of each axis with ``cval``: with chunks that are whole multiples
of the factors, each chunk's blocks are the image's, and the last chunk's
padding is the image's.  The function adds a block row by row, except when
one block spans the whole width (one pairwise run): chunks are at least
two blocks wide unless they span the axis, so each chunk takes the
image's path.  Colour images keep the channel axis in one chunk; N-D and
complex images (NumPy's reduction, whose order follows the layout) run
whole.
"""
from __future__ import annotations

import itertools
import math

import dask.array as da
import numpy as np
from dask.array.core import Array
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph

from .._core.sk_args import convert_to_float
from .._core.warn import warn_at_caller
from .local import NotLocal

__all__ = ["run_resize", "run_downscale"]

#: scikit-image mode -> ndimage mode (``wrap`` reads the far side: whole)
NDI_MODES = {"constant": "grid-constant", "edge": "nearest", "symmetric": "reflect",
             "reflect": "mirror"}
MARGIN = 2


def _workers(ctx):
    return 1 if ctx.given.get("workers") is None else ctx.given["workers"]


def run_resize(ctx, strategy, x):
    p = ctx.params
    if ctx.qualname == "transform.rescale":
        return _rescale(x, p, _workers(ctx))
    return _resize(x, p["output_shape"], p, _workers(ctx))


def _rescale(x, p, workers):
    """scikit-image's rescale: the output shape, then :func:`_resize`."""
    channel_axis = p.get("channel_axis")
    if channel_axis is not None:
        axes = (channel_axis,) if np.isscalar(channel_axis) else tuple(channel_axis)
        if len(axes) > 1:
            raise NotLocal("several channel axes: the function reports it")
        if axes[0] != -1:
            out = _rescale(da.moveaxis(x, axes[0], -1), {**p, "channel_axis": -1}, workers)
            return da.moveaxis(out, -1, axes[0])
    scale = np.atleast_1d(p["scale"])
    multichannel = channel_axis is not None
    if len(scale) > 1 and len(scale) != x.ndim - multichannel:
        raise NotLocal("malformed scales: the function reports them")
    if len(scale) > 1 and multichannel:
        scale = np.concatenate((scale, [1]))
    orig_shape = np.asarray(x.shape)
    output_shape = np.maximum(np.round(scale * orig_shape), 1)
    if multichannel:
        output_shape[-1] = orig_shape[-1]
    return _resize(x, output_shape, p, workers)


def _resize(x, output_shape, p, workers):
    output_shape = tuple(output_shape)
    if len(output_shape) > x.ndim:
        x = x.reshape(x.shape + (1,) * (len(output_shape) - x.ndim))
    elif len(output_shape) == x.ndim - 1:
        output_shape = output_shape + (x.shape[-1],)
    elif len(output_shape) < x.ndim:
        raise NotLocal("output_shape too short: the function reports it")
    input_shape, input_type = x.shape, x.dtype
    if x.ndim < 2 or input_type.kind not in "buif":
        raise NotLocal("2-D and up, real images")
    if input_type == np.float16:
        x = x.astype(np.float32)
    order, anti_aliasing = p.get("order"), p.get("anti_aliasing")
    if anti_aliasing is None:
        anti_aliasing = (input_type != bool
                         and not (np.issubdtype(input_type, np.integer) and order == 0)
                         and any(a < b for a, b in zip(output_shape, input_shape)))
    if order is None:
        order = 0 if input_type == bool else 1
    if order not in (0, 1) or input_type == bool and (order != 0 or anti_aliasing):
        raise NotLocal("order > 1 (a global prefilter) or an error the function reports")
    mode, cval = p.get("mode", "reflect"), p.get("cval", 0)
    if mode not in NDI_MODES:
        raise NotLocal("wrap (the far side) or an unknown mode")
    ndi_mode = NDI_MODES[mode]
    factors = np.divide(input_shape, output_shape)
    image = x
    if order > 0:
        dtype = convert_to_float(np.zeros(1, x.dtype), p.get("preserve_range", False)).dtype
        image = x.map_blocks(convert_to_float, p.get("preserve_range", False), dtype=dtype)
    filtered = image
    if anti_aliasing:
        sigma = p.get("anti_aliasing_sigma")
        if sigma is None:
            sigma = np.maximum(0, (factors - 1) / 2)
        else:
            sigma = np.atleast_1d(sigma) * np.ones_like(factors)
            if np.any(sigma < 0):
                raise NotLocal("an error the function reports")
            if np.any((sigma > 0) & (factors <= 1)):
                warn_at_caller("Anti-aliasing standard deviation greater than zero but not "
                               "down-sampling along all axes")
        from ..dask import ndimage as dndi
        filtered = dndi.gaussian_filter(image, sigma, cval=cval, mode=ndi_mode,
                                        workers=workers)
    zooms = [1 / f for f in factors]
    out_shape = tuple(int(round(n * z)) for n, z in zip(input_shape, zooms))
    if not all(out_shape) or any(math.isnan(n) for n in input_shape):
        raise NotLocal("an empty output")
    kwargs = {"order": order, "mode": ndi_mode, "cval": cval, "workers": workers}
    block = _ZoomBlock(np.divide(input_shape, out_shape), all(z == 1 for z in zooms), kwargs)
    clip = {"mode": mode, "cval": cval} if p.get("clip", True) else None
    return _assemble(block, filtered, image, out_shape, clip)


class _ZoomBlock:
    """One output chunk of ``zoom(..., grid_mode=True)`` from the input box
    ``sub`` starting at ``start``: SciPy's zoom coordinates (``k += 0.5;
    k *= f; k -= 0.5`` in float64), moved into the box by an integer."""

    def __init__(self, factors, identity, kwargs):
        self.factors, self.identity, self.kwargs = factors, identity, kwargs

    def coords(self, axis, k):
        return (np.asarray(k, dtype=np.float64) + 0.5) * self.factors[axis] - 0.5

    def region(self, axis, a, b, n):
        """The input box ``[start, stop)`` output indices ``[a, b)`` read."""
        if self.identity:
            return a, b
        lo, hi = self.coords(axis, [a, b - 1])
        if lo < -1 or hi > n:
            raise NotLocal("coordinates far outside the image")
        start = int(np.clip(np.floor(lo) - MARGIN, 0, n - 1))
        return start, int(np.clip(np.floor(hi) + MARGIN + 2, start + 1, n))

    def __call__(self, sub, ranges, start):
        from .apply import public_function
        if self.identity:  # zoom 1 copies its input
            return np.array(sub)
        axes = [self.coords(h, np.arange(a, b)) - s
                for h, ((a, b), s) in enumerate(zip(ranges, start))]
        coords = np.stack(np.meshgrid(*axes, indexing="ij"))
        return public_function("ndimage.map_coordinates")(sub, coords, **self.kwargs)


def _output_chunks(block, chunksize, out_shape):
    """Output chunks reading about one input chunk each, and no larger than
    an input chunk."""
    sizes = []
    for h, (c, n) in enumerate(zip(chunksize, out_shape)):
        sizes.append(max(1, min(c, math.ceil(c / block.factors[h]))))
    return da.core.normalize_chunks(tuple(sizes), out_shape)


def _stats(values):
    """(minimum, maximum, any NaN) of a block, NaN-aware (NaN only where
    the block is all NaN)."""
    values = np.asarray(values)
    nan = values.dtype.kind in "fc" and bool(np.isnan(values).any())
    return np.fmin.reduce(values, axis=None), np.fmax.reduce(values, axis=None), nan


def _bounds(in_stats, out_stats, mode, cval, dtype):
    """scikit-image's ``_clip_warp_output`` bounds from per-chunk extremes:
    the converted image's range (``nanmin``/``nanmax`` once it holds NaN),
    widened to ``cval`` when constant padding put it in the output."""
    dtype = np.dtype(dtype)
    min_val = np.fmin.reduce(np.array([s[0] for s in in_stats], dtype))
    max_val = np.fmax.reduce(np.array([s[1] for s in in_stats], dtype))
    has_nan = any(s[2] for s in in_stats)
    if mode == "constant" and not min_val <= cval <= max_val:
        out_nan = any(s[2] for s in out_stats)
        kind = np.array([s[0] for s in out_stats]).dtype
        out_min = np.fmin.reduce(np.array([s[0] for s in out_stats], kind))
        out_max = np.fmax.reduce(np.array([s[1] for s in out_stats], kind))
        # np.min of an output holding NaN is NaN (no comparison holds)
        if (has_nan or not out_nan) and out_min <= cval <= out_max:
            cval = dtype.type(cval)
            min_val, max_val = min(min_val, cval), max(max_val, cval)
    return np.asarray(min_val), np.asarray(max_val)


def _box_pieces(bounds, start, stop):
    """The chunks along one axis that box ``[start, stop)`` reads: (chunk,
    slice in the chunk, slice in the box)."""
    first = int(np.searchsorted(bounds, start, side="right")) - 1
    pieces = []
    for c in range(first, len(bounds) - 1):
        c0, c1 = bounds[c], bounds[c + 1]
        if c0 >= stop:
            break
        a, b = max(start, c0), min(stop, c1)
        pieces.append((c, slice(a - c0, b - c0), slice(a - start, b - start)))
    return pieces


class _Task:
    """One output chunk's task: the input box from its chunks, then the
    zoom; clipped to ``bounds`` (``stats``: their extremes instead)."""

    def __init__(self, block, shape, pieces, ranges, start, stats=False):
        self.block, self.shape, self.pieces = block, shape, pieces
        self.ranges, self.start, self.stats = ranges, start, stats

    def __call__(self, bounds, *chunks):
        if len(chunks) == 1 and chunks[0][self.pieces[0][0]].shape == self.shape:
            box = chunks[0][self.pieces[0][0]]
        else:
            box = np.empty(self.shape, chunks[0].dtype)
            for (src, dst), chunk in zip(self.pieces, chunks):
                box[dst] = chunk[src]
        out = self.block(box, self.ranges, self.start)
        if self.stats:
            return _stats(out)
        if bounds is not None:
            np.clip(out, bounds[0], bounds[1], out=out)
        return out


def _assemble(block, filtered, image, out_shape, clip):
    """The output chunks as one dask array (clipped when ``clip``), one
    task each reading the chunks its box overlaps."""
    chunks = _output_chunks(block, filtered.chunksize, out_shape)
    spans = [list(zip(e[:-1], e[1:])) for e in (np.cumsum((0,) + c).tolist() for c in chunks)]
    in_bounds = [np.cumsum((0,) + c).tolist() for c in filtered.chunks]
    boxes = [[block.region(h, a, b, filtered.shape[h]) for a, b in s]
             for h, s in enumerate(spans)]
    token = tokenize(block.factors, block.identity, block.kwargs, filtered.name, image.name,
                     out_shape, chunks, clip)
    name, bname = f"fastimg-resize-{token}", f"fastimg-resize-bounds-{token}"
    dsk, stat_keys, plans = {}, [], {}
    for index in itertools.product(*(range(len(s)) for s in spans)):
        ranges = tuple(spans[h][i] for h, i in enumerate(index))
        box = [boxes[h][i] for h, i in enumerate(index)]
        axes = [_box_pieces(in_bounds[h], a, b) for h, (a, b) in enumerate(box)]
        combos = list(itertools.product(*axes))
        pieces = [(tuple(c[1] for c in combo), tuple(c[2] for c in combo)) for combo in combos]
        keys = [(filtered.name, *(c[0] for c in combo)) for combo in combos]
        plans[index] = (tuple(b - a for a, b in box), pieces, ranges, tuple(a for a, _ in box),
                        keys)
    bounds = None
    dependencies = [filtered]
    if clip is not None:
        dependencies.append(image)
        for index in itertools.product(*(range(len(c)) for c in image.chunks)):
            stat_keys.append((f"{bname}-in", *index))
            dsk[stat_keys[-1]] = (_stats, (image.name, *index))
        if clip["mode"] == "constant":
            # recomputed per chunk: held blocks would keep the whole output
            for index, (shape, pieces, ranges, start, keys) in plans.items():
                key = (f"{bname}-out", *index)
                dsk[key] = (_Task(block, shape, pieces, ranges, start, True), None, *keys)
        out_keys = [k for k in dsk if k[0] == f"{bname}-out"]
        dsk[bname] = (_bounds, stat_keys, out_keys, clip["mode"], clip["cval"], image.dtype)
        bounds = bname
    for index, (shape, pieces, ranges, start, keys) in plans.items():
        dsk[(name, *index)] = (_Task(block, shape, pieces, ranges, start), bounds, *keys)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=dependencies)
    dtype = filtered.dtype
    return Array(graph, name, chunks=chunks, dtype=dtype,
                 meta=np.empty((0,) * len(out_shape), dtype))


# ------------------------------------------------------------ block means
#: dtypes the function's block-mean loop takes (others: NumPy's mean)
_MEAN_KINDS = "buif"


def _mean_chunks(n, f, size):
    """Chunks along one axis for blocks of ``f``: whole multiples of ``f``,
    at least two blocks each (the last one padded), or the whole axis."""
    blocks = -(-n // f)
    per = max(2, round(size / f))
    if blocks < 4 or per >= blocks:
        return (n,)
    sizes = [per * f] * (blocks // per)
    rest = n - sum(sizes)
    if rest and -(-rest // f) < 2:
        sizes[-1] += rest
    elif rest:
        sizes.append(rest)
    return tuple(sizes)


class _Contiguous:
    """The function on a C-contiguous copy of the chunk (its loop's order
    is NumPy's for C-contiguous images, as the whole array is)."""

    def __init__(self, call):
        self.call = call

    def __call__(self, chunk):
        return self.call(np.ascontiguousarray(chunk))


def run_downscale(ctx, strategy, x):
    p = ctx.params
    factors = p["factors"]
    factors = (factors,) * x.ndim if np.isscalar(factors) else tuple(factors)
    if len(factors) != x.ndim or not all(
            isinstance(f, (int, np.integer)) and not isinstance(f, bool) and f >= 1
            for f in factors):
        raise NotLocal("malformed factors: the function reports them")
    factors = tuple(int(f) for f in factors)
    colour = x.ndim == 3 and factors[2] == 1
    if x.dtype.kind not in _MEAN_KINDS or not (x.ndim == 2 or colour):
        raise NotLocal("N-D and complex images: NumPy's mean, whose order follows the layout")
    chunks = [_mean_chunks(n, f, c) for n, f, c in zip(x.shape, factors, x.chunksize)]
    if colour:
        chunks[2] = (x.shape[2],)
    x = x.rechunk(tuple(chunks))
    call = _Contiguous(ctx.chunk_call([ctx.image]))
    dtype = call(np.zeros(factors, x.dtype)).dtype
    out_chunks = tuple(tuple(-(-c // f) for c in cs) for cs, f in zip(x.chunks, factors))
    name = "fastimg-block-mean-" + tokenize(call.call.arguments, x.name, factors)
    return da.map_blocks(call, x, chunks=out_chunks, dtype=dtype, name=name,
                         meta=np.empty((0,) * x.ndim, dtype))
