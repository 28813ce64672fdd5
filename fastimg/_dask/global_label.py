"""Connected components across the blocks of a dask array: the machinery
of the ``label`` twins and of the hysteresis (``apply_hysteresis_threshold``,
``canny``).

1. Every block is labelled on its own by the single-machine function
   (fastimg's ``ndimage.label`` or ``measure.label``, one thread), giving
   provisional labels ``1..n_b``; the block's component count, the global
   C-order index of each component's first pixel and its border layers
   (labels, and the values when equal values connect) are kept.
2. One small merge task gives the provisional labels global numbers
   (offsets by block), rebuilds for every block boundary the two-pixel
   thick slab across the whole image from the border layers, and pairs the
   labels that touch across it along every offset of the structure (so
   diagonal neighbours across block corners join too).  A union-find
   (``scipy.sparse.csgraph.connected_components``) joins them.
3. Numbering: each component gets the rank of its first pixel in C order,
   which is how SciPy and scikit-image number components (the single
   machine scan); hysteresis instead keeps the components holding a strong
   pixel.  A per-block look-up table rewrites every block.
"""
from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import dask
import dask.array as da

from .. import measure as _measure
from .. import ndimage as _ndimage
from .global_common import block_slices, blocks

__all__ = ["components"]


def _faces(arr, nd):
    """{(axis, 0 | 1): first / last layer along axis} of a block."""
    out = {}
    for d in range(nd):
        lo = [slice(None)] * nd
        hi = [slice(None)] * nd
        lo[d] = slice(0, 1)
        hi[d] = slice(arr.shape[d] - 1, arr.shape[d])
        out[(d, 0)] = np.ascontiguousarray(arr[tuple(lo)])
        out[(d, 1)] = np.ascontiguousarray(arr[tuple(hi)])
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
    first pixels: (global row over the leading axes, local rank).  Two
    blocks' labels with the same global row are ordered by the blocks'
    start along the last axis (the caller's third key)."""
    if raster:
        rank = np.arange(n, dtype=np.int64)
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


def _swap_pairs(shape):
    """skimage's ``_get_swaps`` (length-1 axes after longer ones)."""
    ones = [i for i in range(len(shape)) if shape[i] == 1][::-1]
    bigs = [i for i in range(len(shape)) if shape[i] > 1]
    return [(one, big) for one, big in zip(ones, bigs) if one > big]


def _local(block, how, start, shape, strong=None):
    """Label one block; return its summary (see the module docstring)."""
    kind = how[0]
    values = None
    # the single-machine labels are numbered in C order of their first
    # pixel, except measure.label's for shapes it swaps
    raster = True
    if kind == "values":
        lab, n = _measure.label(block, background=how[1], return_num=True,
                                connectivity=how[2])
        values = np.asarray(block).astype(np.intp)
        raster = not any(a > b for a, b in _swap_pairs(block.shape))
    else:
        lab, n = _ndimage.label(block, structure=how[1])
    n = int(n)
    out = {"lab": lab, "n": n, "faces": _faces(lab, lab.ndim),
           "vfaces": _faces(values, lab.ndim) if values is not None else None}
    if strong is None:
        out["keys"] = _keys(lab, n, start, shape, raster) + (
            np.full(n, start[-1], np.int64),)
    else:
        has = np.zeros(n + 1, bool)
        has[lab[np.asarray(strong, bool)]] = True
        out["has"] = has
    return out


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
        grow, rank, col = (np.concatenate([s["keys"][i] for s in summaries])
                           for i in range(3))
        # provisional labels in global C order of their first pixels; a
        # component is numbered by its earliest provisional label
        order = np.lexsort((rank, col, grow))
        comp_in_order = comp[order]
        present, first_at = np.unique(comp_in_order, return_index=True)
        number = np.zeros(ncomp, np.int64)
        number[present[np.argsort(first_at, kind="stable")]] = np.arange(1, present.size + 1)
        final = np.concatenate([[0], number[comp]])
        count = int(present.size)
    luts = []
    for i in range(len(summaries)):
        lut = final[base[i]:base[i + 1] + 1].copy()
        lut[0] = final[0]
        luts.append(lut)
    return luts, count


def _rewrite(summary, merged, i, dtype):
    luts, count = merged
    lut = luts[i]
    if dtype is not None and dtype.kind in "iu" and count > np.iinfo(dtype).max:
        raise RuntimeError("insufficient bit-depth in requested output type "
                           f"(got {count} labels for output dtype {dtype})")
    if dtype is not None:
        lut = lut.astype(dtype)
    # (never in place: a summary may feed several rewrites, e.g. two output
    # dtypes of the same labels computed together)
    return np.take(lut, summary["lab"])


def _count(merged):
    return merged[1]


def _structure_offsets(structure):
    centre = np.ones(structure.ndim, int)
    return [tuple(int(v) for v in c - centre) for c in np.argwhere(structure)]


def components(x, how, structure, dtype, strong=None):
    """Lazy global labels of ``x`` (dask): ``how`` is ``("binary",
    structure)`` or ``("values", background, connectivity)``; with
    ``strong`` (a dask bool array of x's shape), the hysteresis: a bool
    array of the pixels of components holding a strong pixel.  Returns
    (dask array, delayed count)."""
    slices = block_slices(x)
    grid = list(np.ndindex(*x.numblocks))
    parts = blocks(x)
    strongs = [b for _, b in blocks(strong.rechunk(x.chunks))] if strong is not None \
        else [None] * len(parts)
    summaries = [dask.delayed(_local, pure=True)(b, how, tuple(s.start for s in slices[idx]),
                                                x.shape, sb)
                 for (idx, b), sb in zip(parts, strongs)]
    mode = "number" if strong is None else "any"
    merged = dask.delayed(_merge, pure=True)(summaries, grid, slices, x.shape,
                                             _structure_offsets(structure), mode)
    out_dt = np.dtype(bool) if strong is not None else dtype
    arrs = np.empty(x.numblocks, object)
    for i, idx in enumerate(grid):
        shp = tuple(s.stop - s.start for s in slices[idx])
        arrs[idx] = da.from_delayed(
            dask.delayed(_rewrite, pure=True)(summaries[i], merged, i, out_dt), shp, out_dt)
    return da.block(arrs.tolist()), dask.delayed(_count, pure=True)(merged)
