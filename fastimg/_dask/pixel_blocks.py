"""``transform.pixelate`` by chunks, where that is exact.

The function shrinks the image (OpenCV's INTER_AREA, NEAREST or LINEAR)
and blows it back up with nearest neighbours: output row ``y`` shows small
row ``ymap[y]``, a floating-point ``floor`` over the whole image's extent
(columns alike).  A chunk's own call computes its maps from its own extent,
which need not round as the image's do, so the maps are taken from the
function itself, on index columns (``arange(n)`` as float64, one per axis;
a map depends on the axis's length only):

* ``method='nearest'``: the index column comes back as the source row each
  output row shows, so the output is a gather of the image (any dtype).
* ``method='mean'`` along a side ``block`` divides: the cells along it are
  whole blocks, weighed alike (``1 / block`` a row, or summed and divided
  once), so a chunk of whole blocks along it computes the image's cells;
  the index column's cell means ``i * block + (block - 1) / 2`` (exact)
  give ``ymap``.  A side ``block`` does not divide stays one chunk (its
  partial cells' weights follow its whole extent, which the chunk then
  has).  Each chunk returns its part of the output: the rows (columns)
  of its own call that show the cells the image's map shows there.

Other calls (``'linear'``, whose sample positions round with the absolute
position; ``'mean'`` where ``block`` divides neither side) run whole.
"""
from __future__ import annotations

import functools

import dask.array as da
import numpy as np
from dask.base import tokenize

from .local import NotLocal

__all__ = ["run_pixelate"]

_MEAN_DTYPES = (np.uint8, np.uint16, np.float32, np.float64)


def _pixelate(*args, **kwargs):
    from .apply import public_function
    return public_function("transform.pixelate")(*args, **kwargs)


@functools.lru_cache(maxsize=64)
def _source_map(n, block):
    """The source index ``'nearest'`` shows at each of ``n`` positions."""
    col = np.arange(n, dtype=np.float64)[:, None]
    return _pixelate(col, block, method="nearest", workers=1)[:, 0].astype(np.intp)


@functools.lru_cache(maxsize=64)
def _cell_map(n, block):
    """The cell each of ``n`` positions shows (``n`` a multiple of
    ``block``), from the cell means of an index column."""
    col = np.arange(n, dtype=np.float64)[:, None]
    means = _pixelate(col, block, method="mean", workers=1)[:, 0]
    cells = (means - (block - 1) / 2) / block
    index = cells.astype(np.intp)
    if not np.array_equal(index, cells) or not np.array_equal(
            np.unique(index), np.arange(n // block)):
        raise NotLocal("cell means that do not name every cell")
    return index


class _Cells:
    """A chunk -> its part of the output: its own call, whose rows (columns)
    ``rows[k]`` show the cells the image's map shows in the output rows
    this chunk's cells cover (``None``: a side not divided, kept as is)."""

    def __init__(self, block, rows, cols, workers):
        self.block, self.rows, self.cols, self.workers = block, rows, cols, workers

    def __call__(self, chunk, block_id=None):
        out = _pixelate(np.ascontiguousarray(chunk), self.block, method="mean",
                        channel_axis=-1, workers=self.workers)
        if self.rows is not None:
            out = out[self.rows[block_id[0]]]
        if self.cols is not None:
            out = out[:, self.cols[block_id[1]]]
        return out


def _reads(n, chunks, block):
    """Per chunk of whole blocks along a side of ``n``: where, in the
    chunk's own output, the image's output positions its cells cover read."""
    shown = _cell_map(n, block)
    reads, first = [], 0
    for c in chunks:
        cells = np.arange(first, first + c // block)
        own = np.searchsorted(_cell_map(c, block), np.arange(c // block))
        lo, hi = np.searchsorted(shown, [cells[0], cells[-1] + 1])
        reads.append(own[shown[lo:hi] - first])
        first += c // block
    return reads


def run_pixelate(ctx, strategy, x):
    p = ctx.params
    block, method, channel_axis = p["block"], p.get("method", "mean"), p.get("channel_axis")
    workers = 1 if ctx.given.get("workers") is None else ctx.given["workers"]
    if isinstance(block, bool) or not isinstance(block, (int, np.integer)) or block < 1:
        raise NotLocal("a malformed block: the function reports it")
    block = int(block)
    if channel_axis is not None and x.ndim == 3:
        x3 = da.moveaxis(x, channel_axis, -1)
    elif channel_axis is None and x.ndim == 2:
        x3 = x[:, :, None]
    else:
        raise NotLocal("a malformed shape: the function reports it")
    h, w = x3.shape[:2]
    if method == "nearest":
        out = x3[_source_map(h, block)][:, _source_map(w, block)]
    elif (method == "mean" and x.dtype.type in _MEAN_DTYPES
          and (h % block == 0 or w % block == 0)):
        divided = (h % block == 0, w % block == 0)
        chunks = [tuple(_whole_blocks(c, block)) if d else (sum(c),)
                  for c, d in zip(x3.chunks[:2], divided)] + [(x3.shape[2],)]
        x3 = x3.rechunk(tuple(chunks))
        reads = [_reads(n, c, block) if d else None
                 for n, c, d in zip((h, w), chunks, divided)]
        out_chunks = tuple(c if r is None else tuple(len(v) for v in r)
                           for c, r in zip(chunks, reads)) + ((x3.shape[2],),)
        name = "fastimg-pixel-cells-" + tokenize(x3.name, block)
        out = da.map_blocks(_Cells(block, *reads, workers), x3, chunks=out_chunks,
                            dtype=x.dtype, name=name, meta=np.empty((0, 0, 0), x.dtype))
    else:
        raise NotLocal("'linear' and partial cells on both sides follow the whole extent")
    if channel_axis is None:
        return out[:, :, 0]
    return da.moveaxis(out, -1, channel_axis)


def _whole_blocks(chunks, block):
    """Chunk sizes of whole blocks, about the given ones."""
    n = sum(chunks)
    per = max(1, round(max(chunks) / block)) * block
    sizes = [per] * (n // per)
    if n % per:
        sizes.append(n % per)
    return sizes
