"""Connected components across the blocks of a dask array: the machinery
of the ``label`` twins and of the hysteresis (``apply_hysteresis_threshold``,
``canny``, ``binary_fill_holes``).

Phase 1, per block: the single-machine function (fastimg's
``ndimage.label`` or ``measure.label``, one thread) labels the block
``1..n_b``; only a small summary leaves the task: ``n_b``, the block's
border layers (labels, and the values when equal values connect), the sort
keys of its labels' first pixels (or, for the hysteresis, which labels hold
a strong pixel).

Merge, one small task on the summaries only (face slices, never whole
blocks): provisional labels get global numbers (offsets by block); for
every block boundary the two-pixel thick slab across the image is rebuilt
from the border layers and the labels that touch across it along every
offset of the structure are paired (diagonal neighbours across block
corners join too); ``scipy.sparse.csgraph.connected_components`` joins
them.  Each component gets the rank of its first pixel in C order (how
SciPy and scikit-image number components); the hysteresis keeps the
components holding a strong pixel.  The result is one compact table per
block, indexed by the block's local labels.

Phase 2, per block: the final labels are ``table[local labels]``, one
vectorised look-up (:mod:`.label_kernels`).  The local labels are either
*held* from phase 1 (4 bytes a pixel for every block until its phase 2
runs; the fastest) or *rebuilt*: for a binary input phase 1 keeps the mask
packed to one bit a pixel and the label of each run of foreground along a
row (a uint16 per run when the block has fewer than 65536 labels), and
phase 2 paints the labels back in one pass, no second labelling; when
values connect (``measure.label`` of integers) phase 2 labels its block
again (it keeps the input block, whatever its dtype).  Rebuilding lets
``da.store`` / ``to_zarr`` stream: a 4096² zarr mask in 512² chunks
labelled to zarr takes about 1 byte a pixel of peak memory beyond the
interpreter against 4.5 when holding.  Measured at 8192² in 2048² chunks
on two threads (a photograph's Otsu mask, loaded machine): phase 1 about
7.5 ms a block (the labelling), the merge 4 ms, phase 2 about 2 ms a
block holding and 3 ms rebuilding plus 4 ms more in phase 1 (the runs,
the packing).  The choice is ``dask.config`` ``"fastimg.label-strategy"``:
``"hold"``, ``"recompute"`` (rebuild) or ``"auto"`` (default): hold when
every data source of the input's graph is an in-memory NumPy array (the
image is in memory already and ``compute()`` gathers the labels there
anyway), rebuild otherwise (zarr, HDF5, ... sources, or none found: an
``inline_array=True`` source hides in its tasks).
"""
from __future__ import annotations

import functools
import operator

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import dask
from dask.base import tokenize
from dask.delayed import Delayed
from dask.highlevelgraph import HighLevelGraph, MaterializedLayer
import dask.array as da

from .. import measure as _measure
from .. import ndimage as _ndimage
from .._core.dispatch import run
from .._core.sk_args import label_swaps
from .global_common import block_slices

__all__ = ["components", "strategy"]

#: ``dask.config`` key choosing how phase 2 gets the local labels
CONFIG_KEY = "fastimg.label-strategy"


def _faces(arr, nd):
    """{(axis, 0 | 1): first / last layer along axis} of a block."""
    out = {}
    for d in range(nd):
        lo = [slice(None)] * nd
        hi = [slice(None)] * nd
        lo[d] = slice(0, 1)
        hi[d] = slice(arr.shape[d] - 1, arr.shape[d])
        # copies: a contiguous face is a view that would keep the block alive
        out[(d, 0)] = arr[tuple(lo)].copy()
        out[(d, 1)] = arr[tuple(hi)].copy()
    return out


def _first_rows(lab, n):
    """Local row (index over the leading axes, C order) of the first pixel
    of labels 1..n numbered in C order of their first pixel (the
    single-machine labels of a block): the labels new in row r are those
    above every earlier row's maximum.  Vectorised: one max per row."""
    rows = lab.reshape(-1, lab.shape[-1]) if lab.ndim > 1 else lab.reshape(1, -1)
    cummax = np.maximum.accumulate(rows.max(axis=1))
    return np.searchsorted(cummax, np.arange(1, n + 1))


def _keys(lab, n, start, shape, raster):
    """Sort keys of the block's labels 1..n in the global C order of their
    first pixels: (global row over the leading axes, local rank; None when
    the labels are in C order already).  Two
    blocks' labels with the same global row are ordered by the blocks'
    start along the last axis (the caller's third key)."""
    if raster:
        rank = None         # the local labels themselves: 0..n-1
        row = _first_rows(lab, n)
    else:
        flat = lab.reshape(-1)
        idx = np.flatnonzero(flat)
        first = np.zeros(n + 1, np.int64)
        # a repeated index keeps the last assignment: reversed, the first pixel
        first[flat[idx[::-1]]] = idx[::-1]
        first = first[1:]
        rank = np.empty(n, np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(n)
        row = first // lab.shape[-1]
    if lab.ndim > 1:
        lead = np.unravel_index(row, lab.shape[:-1])
        grow = np.ravel_multi_index(tuple(a + s for a, s in zip(lead, start[:-1])),
                                    shape[:-1]).astype(np.int64)
    else:
        grow = np.zeros(n, np.int64)
    return grow, rank


def _label_block(block, how):
    """(local labels, count) of one block by the single-machine function:
    the same call in phase 1 and in a recomputing phase 2, so the same
    labels."""
    if how[0] == "values":
        lab, n = _measure.label(block, background=how[1], return_num=True,
                                connectivity=how[2])
    else:
        lab, n = _ndimage.label(block, structure=how[1])
    return lab, int(n)


def _local(block, strong, how, start, shape, keep):
    """Phase 1: label one block; return (summary, kept) where kept is what
    phase 2 needs of the block (``keep``: "labels", "bits" or None)."""
    block = np.asarray(block)
    lab, n = _label_block(block, how)
    out = {"n": n, "faces": _faces(lab, lab.ndim), "vfaces": None}
    # the single-machine labels are numbered in C order of their first
    # pixel, except measure.label's for shapes it swaps
    raster = True
    if how[0] == "values":
        out["vfaces"] = {k: v.astype(np.intp) for k, v in _faces(block, lab.ndim).items()}
        raster = not label_swaps(block.shape)
    if strong is None:
        # (kept small: the summaries of every block wait for the merge)
        out["keys"] = _keys(lab, n, start, shape, raster) + (start[-1],)
    else:
        has = np.zeros(n + 1, bool)
        has[lab[np.asarray(strong, bool)]] = True
        out["has"] = has
    if keep == "labels":
        kept = lab
    elif keep == "bits":
        # the mask (nonzero is foreground, NaN too) packed to one bit a pixel
        # and the label of each run: phase 2 paints the labels back in one
        # pass, no second labelling
        from .label_kernels import run_starts
        buf = np.empty(lab.size, lab.dtype)
        k = run_starts(lab.reshape(-1), buf, _ncols(lab.shape), _joined(how))
        kept = (np.packbits(block if block.dtype == bool else block != 0, axis=None),
                buf[:k].astype(np.uint16 if n < 2**16 else lab.dtype))
    else:
        kept = None
    return out, kept


def _slab_pairs(a, b, va, vb, d, offsets):
    """Pairs (label in a, label in b) of the layers a (below the boundary
    on axis d) and b (above it) that the structure's offsets join."""
    ps, qs = [], []
    nd = a.ndim
    for off in offsets:
        if off[d] != 1:
            continue
        sa, sb = [slice(None)] * nd, [slice(None)] * nd
        for e in range(nd):
            n = a.shape[e]
            if e != d and off[e] == 1:
                sa[e], sb[e] = slice(0, n - 1), slice(1, n)
            elif e != d and off[e] == -1:
                sa[e], sb[e] = slice(1, n), slice(0, n - 1)
        x, y = a[tuple(sa)], b[tuple(sb)]
        keep = (x > 0) & (y > 0)
        if va is not None:
            keep &= va[tuple(sa)] == vb[tuple(sb)]
        ps.append(x[keep])
        qs.append(y[keep])
    return ps, qs


def _merge(summaries, grid, slices, shape, offsets, mode):
    """Global equivalences; returns (per-block LUTs, number of labels)."""
    counts = np.array([s["n"] for s in summaries], np.int64)
    base = np.concatenate([[0], np.cumsum(counts)])
    total = int(base[-1])
    index = {idx: i for i, idx in enumerate(grid)}
    nd = len(shape)
    ps, qs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    numblocks = tuple(max(i[d] for i in grid) + 1 for d in range(nd))
    for d in range(nd):
        for k in range(1, numblocks[d]):
            slab_shape = list(shape)
            slab_shape[d] = 1
            layers = [np.zeros(slab_shape, np.int64), np.zeros(slab_shape, np.int64)]
            vals = [np.zeros(slab_shape, np.intp), np.zeros(slab_shape, np.intp)] \
                if summaries[0]["vfaces"] is not None else None
            for idx in grid:
                if idx[d] not in (k - 1, k):
                    continue
                side = 0 if idx[d] == k else 1
                pos = 1 if idx[d] == k else 0
                s = summaries[index[idx]]
                sl = list(slices[idx])
                sl[d] = slice(0, 1)
                face = s["faces"][(d, side)].astype(np.int64)
                layers[pos][tuple(sl)] = np.where(face > 0, face + base[index[idx]], 0)
                if vals is not None:
                    vals[pos][tuple(sl)] = s["vfaces"][(d, side)]
            va, vb = (vals[0], vals[1]) if vals is not None else (None, None)
            p, q = _slab_pairs(layers[0], layers[1], va, vb, d, offsets)
            ps += p
            qs += q
    p, q = np.concatenate(ps), np.concatenate(qs)
    graph = coo_matrix((np.ones(p.size, np.int8), (p, q)), shape=(total + 1, total + 1))
    ncomp, comp = connected_components(graph, directed=False)
    comp = comp[1:]
    if mode == "any":
        has = np.concatenate([s["has"][1:] for s in summaries]) if total else np.zeros(0, bool)
        good = np.bincount(comp, weights=has, minlength=ncomp) > 0
        final = np.concatenate([[False], good[comp]])
        count = int(good[np.unique(comp)].sum()) if total else 0
    else:
        grow = np.concatenate([s["keys"][0] for s in summaries])
        rank = np.concatenate([np.arange(s["n"], dtype=np.int64) if s["keys"][1] is None
                               else s["keys"][1] for s in summaries])
        col = np.repeat(np.array([s["keys"][2] for s in summaries], np.int64), counts)
        # provisional labels in global C order of their first pixels; a
        # component is numbered by its earliest provisional label
        order = np.lexsort((rank, col, grow))
        comp_in_order = comp[order]
        present, first_at = np.unique(comp_in_order, return_index=True)
        number = np.zeros(ncomp, np.int64)
        number[present[np.argsort(first_at, kind="stable")]] = np.arange(1, present.size + 1)
        final = np.concatenate([[0], number[comp]])
        count = int(present.size)
    # one compact table per block, indexed by its local labels 0..n_b
    luts = []
    for i in range(len(summaries)):
        lut = final[base[i]:base[i + 1] + 1].copy()
        lut[0] = final[0]
        luts.append(lut)
    return luts, count


#: (local label dtype, output dtype) pairs the relabel kernel takes (a
#: closed set of specialisations); others go through np.take
_FAST = {np.dtype(np.int32), np.dtype(np.int64), np.dtype(bool)}


def _lut(merged, i, dtype):
    """Block i's table in the output dtype (the single-machine error when
    the labels do not fit)."""
    luts, count = merged
    if dtype.kind in "iu" and count > np.iinfo(dtype).max:
        raise RuntimeError("insufficient bit-depth in requested output type "
                           f"(got {count} labels for output dtype {dtype})")
    return luts[i].astype(dtype, copy=False)


def _apply(lab, merged, i, dtype, inplace=False):
    """Phase 2: the block's final labels ``lut[lab]``, written over
    ``lab`` when ``inplace`` and the dtypes agree (held labels: their keys
    name the output dtype, so this task is their only reader), which spares
    a second label array per block while phase 2 runs."""
    lut = _lut(merged, i, dtype)
    out = lab if (inplace and lab.dtype == dtype and lab.flags.writeable) \
        else np.empty(lab.shape, dtype)
    if (lab.dtype in _FAST and dtype in _FAST and lab.dtype.kind == "i"
            and lab.flags.c_contiguous):
        from .label_kernels import relabel
        run(relabel, (lab.reshape(-1), lut, out.reshape(-1)), items=lab.size, size=lab.size,
            cost=0.6, n_threads=1)
    else:
        np.take(lut, lab, out=out)
    return out


def _ncols(shape):
    return int(shape[-1]) if len(shape) else 1


def _joined(how):
    """Whether the structure joins neighbours along the last axis."""
    st = how[1]
    return bool(st[(1,) * (st.ndim - 1) + (0,)])


def _phase2_bits(kept, merged, i, dtype, how, shape):
    from .label_kernels import paint_runs
    bits, runs = kept
    fg = np.unpackbits(bits, count=int(np.prod(shape)))
    lut = _lut(merged, i, dtype)
    wide = lut if dtype in _FAST else lut.astype(np.int64)
    out = np.empty(shape, wide.dtype)
    paint_runs(fg, runs, wide, out.reshape(-1), _ncols(shape), _joined(how))
    return out if out.dtype == dtype else out.astype(dtype)


def _phase2_block(block, merged, i, dtype, how):
    return _apply(_label_block(np.asarray(block), how)[0], merged, i, dtype)


def _count(merged):
    return merged[1]


def _structure_offsets(structure):
    centre = np.ones(structure.ndim, int)
    return [tuple(int(v) for v in c - centre) for c in np.argwhere(structure)]


def _data_sources(x):
    """The data objects (not tasks) held by the materialised layers of
    ``x``'s graph: the arrays ``from_array`` / ``from_zarr`` read."""
    out = []
    for layer in x.__dask_graph__().layers.values():
        if not isinstance(layer, MaterializedLayer):
            continue
        for v in layer.mapping.values():
            if type(v).__module__.startswith("dask"):
                v = getattr(v, "value", None)      # a DataNode's data
            if v is not None and not isinstance(v, (tuple, list, dict, str, bytes, int,
                                                    float, complex)):
                out.append(v)
    return out


def strategy(x):
    """"hold" or "recompute" for the labels of ``x`` (see the module
    docstring): the ``dask.config`` value, or by the input's data sources."""
    how = dask.config.get(CONFIG_KEY, "auto")
    if how not in ("auto", "hold", "recompute"):
        raise ValueError(f"{CONFIG_KEY} must be 'auto', 'hold' or 'recompute' (got {how!r})")
    if how != "auto":
        return how
    src = _data_sources(x)
    return "hold" if src and all(isinstance(s, np.ndarray) for s in src) else "recompute"


def components(x, how, structure, dtype, strong=None):
    """Lazy global labels of ``x`` (dask): ``how`` is ``("binary",
    structure)`` or ``("values", background, connectivity)``; with
    ``strong`` (a dask bool array of x's shape), the hysteresis: a bool
    array of the pixels of components holding a strong pixel.  Returns
    (dask array, delayed count)."""
    slices = block_slices(x)
    grid = list(np.ndindex(*x.numblocks))
    mode = "number" if strong is None else "any"
    plan = strategy(x)
    keep = "labels" if plan == "hold" else ("bits" if how[0] == "binary" else None)
    deps = [x]
    if strong is not None:
        strong = strong.rechunk(x.chunks)
        deps.append(strong)
    out_dt = np.dtype(bool) if strong is not None else np.dtype(dtype)
    # held labels are rewritten in place: their keys are this output's own
    tok = tokenize(x.name, None if strong is None else strong.name, how, structure, keep,
                   out_dt if keep == "labels" else None)
    p1, s1, k1 = f"label-local-{tok}", f"label-summary-{tok}", f"label-kept-{tok}"
    mkey = f"label-merge-{tok}"
    ckey = f"label-count-{tok}"
    name = f"label-{tokenize(tok, out_dt)}"
    dsk = {}
    for idx in grid:
        start = tuple(s.start for s in slices[idx])
        local = functools.partial(_local, how=how, start=start, shape=x.shape, keep=keep)
        dsk[(p1,) + idx] = (local, (x.name,) + idx,
                            None if strong is None else (strong.name,) + idx)
        dsk[(s1,) + idx] = (operator.getitem, (p1,) + idx, 0)
        if keep is not None:
            dsk[(k1,) + idx] = (operator.getitem, (p1,) + idx, 1)
    merge = functools.partial(_merge, grid=grid, slices=slices, shape=x.shape,
                              offsets=_structure_offsets(structure), mode=mode)
    dsk[mkey] = (merge, [(s1,) + idx for idx in grid])
    dsk[ckey] = (_count, mkey)
    for i, idx in enumerate(grid):
        shp = tuple(s.stop - s.start for s in slices[idx])
        if keep == "labels":
            task = (functools.partial(_apply, i=i, dtype=out_dt, inplace=True),
                    (k1,) + idx, mkey)
        elif keep == "bits":
            task = (functools.partial(_phase2_bits, i=i, dtype=out_dt, how=how, shape=shp),
                    (k1,) + idx, mkey)
        else:
            task = (functools.partial(_phase2_block, i=i, dtype=out_dt, how=how),
                    (x.name,) + idx, mkey)
        dsk[(name,) + idx] = task
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=deps)
    return (da.Array(graph, name, x.chunks, out_dt),
            Delayed(ckey, graph, layer=name))
