"""Histogram reductions on dask arrays: ``exposure.histogram``,
``ndimage.histogram``, ``filters.threshold_otsu`` and
``filters.threshold_multiotsu``.

Every block is counted with the single-machine counting
(:class:`fastimg._core.histogram.Flat`, one thread per block: Dask runs the
blocks in parallel) over bins fixed for the whole image, and the int64
counts are summed in a tree.  The bins are the single-machine ones:

* 8- and 16-bit integers: each block counts every value of its type (one
  pass); the range [min, max] comes from the summed counts;
* other integers and floats: a first pass of per-block (min, max, count,
  NaN) statistics, then the counts over [min, max] (floats: the
  ``np.histogram`` uniform bins of the single-machine function, whose bin
  index depends only on the pixel and the global range).

The threshold is then computed by the single-machine function from the
summed histogram (``hist=(counts, centres)``), which is bit-identical to
its ``image=`` path (same float32 counts, same centres).  Dtypes the counting
does not cover (bool, float16, uint64, ...) and empty images run the
single-machine function on the whole image (one task).
"""
from __future__ import annotations

import operator

import numpy as np

import dask
import dask.array as da

from .. import exposure as _exposure
from .. import filters as _filters
from .. import ndimage as _ndimage
from .._core.histogram import FLOAT_KERNEL, MAX_FLOAT_BINS, Flat, check_source_range, float_bins
from .._core.sk_args import dtype_limits, rgb_warning
from .._core.warn import warn_at_caller
from .global_common import array_of, as_dask, block_slices, blocks, scalar, tree, twin, whole

__all__ = ["histogram", "ndi_histogram", "threshold_otsu", "threshold_multiotsu"]

_SMALL = tuple(np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16))
_OTHER_INT = tuple(np.dtype(t) for t in (np.int32, np.uint32, np.int64))


def _native(dt):
    return dt.newbyteorder("=")


def _covered(dt):
    dt = _native(dt)
    return dt in _SMALL or dt in _OTHER_INT or dt in FLOAT_KERNEL


def _add(*parts):
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


def _add_objects(*parts):
    """Sum of per-label histograms (object arrays; None: the label is not
    in that block)."""
    parts = [p for p in parts if p is not None]     # a scalar index absent there
    if not parts:
        return None
    if not (isinstance(parts[0], np.ndarray) and parts[0].dtype == object):
        return _add(*parts)
    out = np.empty(parts[0].shape, object)
    for i in np.ndindex(out.shape):
        got = [p[i] for p in parts if p[i] is not None]
        out[i] = _add(*got) if got else None
    return out


# ------------------------------------------------------------ block passes
def _block_full(block, mask, workers=1):
    """8/16-bit: int64 counts of every value of the type."""
    return Flat(block, mask, workers).full_counts()


def _block_stats(block, mask, workers=1):
    return Flat(block, mask, workers).minmax()


def _merge_stats(*parts):
    lo = hi = None
    cnt, nan = 0, False
    for p_lo, p_hi, p_cnt, p_nan in parts:
        cnt += p_cnt
        nan = nan or p_nan
        if p_cnt and not p_nan:
            lo = p_lo if lo is None or p_lo < lo else lo
            hi = p_hi if hi is None or p_hi > hi else hi
    return lo, hi, cnt, nan


def _stats_from_full(full, dtype):
    """(min, max, count, False) of the values counted in ``full``."""
    nz = np.flatnonzero(full)
    if nz.size == 0:
        return None, None, 0, False
    off = int(np.iinfo(dtype).min)
    t = dtype.type
    return t(nz[0] + off), t(nz[-1] + off), int(full.sum()), False


def _int_range(stats, source_range, dtype):
    if source_range == "dtype":
        return dtype_limits(dtype)
    lo, hi, cnt, _ = stats
    if cnt == 0:
        return None         # no pixel selected: the caller raises
    return int(lo), int(hi)


def _block_counts(block, mask, spec, channels, workers=1):
    """int64 counts of one block over the bins of ``spec``; with
    ``channels``, one row per channel (last axis)."""
    if spec is None:
        return 0
    kind = spec[0]

    def count(b, m):
        flat = Flat(b, m, workers)
        if kind == "int":
            return flat.int_counts(spec[1], spec[2])
        return flat.float_counts(spec[1], spec[2], spec[3], search=spec[4])
    if channels is None:
        return count(block, mask)
    return np.stack([count(block[..., c], None) for c in range(channels)], axis=0)


def _trim_full(full, lo, hi, dtype):
    off = int(np.iinfo(dtype).min)
    if full.ndim == 1:
        return full[lo - off:hi - off + 1].copy()
    return full[:, lo - off:hi - off + 1].copy()


class _Counts:
    """The lazy histogram of a dask array (optionally masked, optionally per
    channel): ``self.stats`` (delayed (min, max, count, nan)) and
    :meth:`counts` (delayed (int64 counts, centres))."""

    def __init__(self, x, mask=None, channels=None, workers=None):
        self.x, self.channels = x, channels
        # one thread per block unless asked: Dask runs the blocks in parallel
        self.workers = w = 1 if workers is None else workers
        self.dtype = _native(x.dtype)
        self.parts = blocks(x)
        if mask is not None:
            mask = as_dask(mask)
            if mask.shape != x.shape:
                raise IndexError("boolean index did not match indexed array: mask shape "
                                 f"{mask.shape}, image shape {x.shape}")
            mask = mask.rechunk(x.chunks)
            self.masks = [m for _, m in blocks(mask)]
        else:
            self.masks = [None] * len(self.parts)
        self._full = None
        if self.dtype in _SMALL:
            if channels is None:
                full = [dask.delayed(_block_full, pure=True)(b, m, w)
                        for (_, b), m in zip(self.parts, self.masks)]
            else:
                full = [dask.delayed(_block_counts, pure=True)(
                    b, None, ("int", int(np.iinfo(self.dtype).min),
                              1 << (8 * self.dtype.itemsize)), channels, w)
                    for _, b in self.parts]
            self._full = tree(full, _add)
            self.stats = dask.delayed(_full_stats, pure=True)(self._full, self.dtype)
        else:
            st = [dask.delayed(_block_stats, pure=True)(b, m, w)
                  for (_, b), m in zip(self.parts, self.masks)]
            self.stats = tree(st, _merge_stats)

    def counts(self, nbins, source_range):
        """Delayed (counts, centres) of the single-machine histogram."""
        if self._full is not None:
            return dask.delayed(_small_counts, pure=True)(self._full, self.stats,
                                                          source_range, self.dtype)
        spec = dask.delayed(_spec, pure=True)(self.stats, nbins, source_range, self.dtype,
                                              self.channels is not None)
        parts = [dask.delayed(_block_counts, pure=True)(b, m, spec, self.channels,
                                                        self.workers)
                 for (_, b), m in zip(self.parts, self.masks)]
        return dask.delayed(_with_centres, pure=True)(tree(parts, _add), spec)


def _full_stats(full, dtype):
    return _stats_from_full(full if full.ndim == 1 else full.sum(axis=0), dtype)


def _small_counts(full, stats, source_range, dtype):
    rng = _int_range(stats, source_range, dtype)
    if rng is None:
        return None
    lo, hi = rng
    return _trim_full(full, lo, hi, dtype), np.arange(lo, hi + 1)


def _spec(stats, nbins, source_range, dtype, search):
    if stats[2] == 0 and not stats[3] and source_range == "image":
        return None
    if dtype.kind in "iu":
        lo, hi = _int_range(stats, source_range, dtype)
        return ("int", lo, hi - lo + 1)
    first, last, edges = float_bins(stats, nbins, source_range, dtype)
    return ("float", first, last, edges, search)


def _with_centres(counts, spec):
    if spec is None:
        return None
    if spec[0] == "int":
        return counts, np.arange(spec[1], spec[1] + spec[2])
    edges = spec[3]
    return counts, (edges[:-1] + edges[1:]) / 2.0


def _nbins_ok(nbins):
    return (isinstance(nbins, (int, np.integer)) and not isinstance(nbins, bool)
            and 1 <= operator.index(nbins) <= MAX_FLOAT_BINS)


# --------------------------------------------------------------- histogram
def _empty_error():
    return ValueError("zero-size array to reduction operation minimum which has no identity")


def _finish_hist(res, normalize):
    if res is None:
        raise _empty_error()
    counts, centres = res
    if normalize and counts.ndim == 2:          # each channel by its own sum
        counts = np.stack([c / np.sum(c) for c in counts], axis=0)
    elif normalize:
        counts = counts / np.sum(counts)
    return counts, centres


def _first(pair, i):
    return pair[i]


def _split_pair(res, hist_shape, hist_dtype, centre_dtype):
    h = array_of(dask.delayed(_first, pure=True)(res, 0), hist_shape, hist_dtype)
    c = array_of(dask.delayed(_first, pure=True)(res, 1), hist_shape[-1:], centre_dtype)
    return h, c


@twin(_exposure.histogram)
def histogram(image, nbins=256, source_range="image", normalize=False, *,
              channel_axis=None, workers=None):
    """Dask twin of ``exposure.histogram``: lazy ``(hist, bin_centers)``
    (integer images: the number of bins is known after computing)."""
    x = as_dask(image)
    if channel_axis is not None:
        ax = (channel_axis,) if np.isscalar(channel_axis) else tuple(channel_axis)
        if len(ax) > 1:
            raise ValueError("only a single channel axis is currently supported")
        x = as_dask(np.moveaxis(x, ax[0], -1)) if ax[0] not in (-1, x.ndim - 1) else x
    elif x.ndim == 3 and x.shape[-1] < 4:
        warn_at_caller("This might be a color image. The histogram will be "
                       "computed on the flattened image. You can instead "
                       "apply this function to each color channel, or set "
                       "channel_axis.", UserWarning)
    dt = _native(x.dtype)
    integer = dt.kind in "iu"
    if integer or dt.kind == "f":
        check_source_range(source_range)
    if x.size == 0 or not _covered(dt) or (not integer and not _nbins_ok(nbins)):
        res = whole(_exposure.histogram, x, nbins, source_range, normalize,
                    channel_axis=None if channel_axis is None else -1)
    else:
        channels = None if channel_axis is None else x.shape[-1]
        if channels is not None:
            x = x.rechunk({x.ndim - 1: -1})     # every block holds all channels
        bins = nbins if integer else operator.index(nbins)
        counts = _Counts(x, channels=channels, workers=workers).counts(bins, source_range)
        res = dask.delayed(_finish_hist, pure=True)(counts, normalize)
    nb = float("nan") if integer else (nbins if _nbins_ok(nbins) else float("nan"))
    hshape = (nb,) if channel_axis is None else (x.shape[-1], nb)
    hdt = np.float64 if normalize else np.int64
    cdt = np.int64 if integer else dt
    return _split_pair(res, hshape, hdt, cdt)


def _ndi_block(block, lab, lo, hi, bins, index):
    return _ndimage.histogram(block, lo, hi, bins, lab, index)


@twin(_ndimage.histogram)
def ndi_histogram(input, min, max, bins, labels=None, index=None):
    """Dask twin of ``ndimage.histogram``: per-block histograms over the
    fixed bins, summed (exact: counts)."""
    x = as_dask(input)
    if labels is not None:
        labels = as_dask(labels)
        if labels.shape != x.shape:
            labels = da.broadcast_to(labels, x.shape)
        labs = [b for _, b in blocks(labels.rechunk(x.chunks))]
    else:
        labs = [None] * int(np.prod(x.numblocks))
    if x.size == 0:
        res = whole(_ndimage.histogram, x, min, max, bins, labels, index)
    else:
        parts = [dask.delayed(_ndi_block, pure=True)(b, lab, min, max, bins, index)
                 for (_, b), lab in zip(blocks(x), labs)]
        res = tree(parts, _add_objects)
    if labels is None or index is None or np.isscalar(index):
        return array_of(res, (operator.index(bins),), np.int64)
    return array_of(res, np.shape(index), object)


# -------------------------------------------------------------- thresholds
def _block_first(block, mask, start, strides):
    """(global C index, value) of the block's first selected pixel."""
    if mask is None:
        return start, block.reshape(-1)[0]
    m = np.asarray(mask, bool)
    if not m.any():
        return None
    local = np.unravel_index(int(np.argmax(m)), m.shape)
    return start + int(np.dot(local, strides)), block[local]


def _min_first(*parts):
    parts = [p for p in parts if p is not None]
    return min(parts, key=lambda p: p[0]) if parts else None


def _otsu_final(stats, first, res, hist, nbins):
    lo, hi, cnt, nan = stats
    if cnt == 0 and not nan:
        raise IndexError("index 0 is out of bounds for axis 0 with size 0")
    if not nan and lo == hi:
        return first[1]
    if hist is None:
        hist = res
    return _filters.threshold_otsu(hist=hist, nbins=nbins)


def _index0(v):
    return 0, v[()]


def _first_pixel(x, c, mask):
    if mask is None:
        return dask.delayed(_index0, pure=True)(x[(0,) * x.ndim])
    strides = np.cumprod((1,) + x.shape[:0:-1])[::-1]
    sl = block_slices(x)
    parts = [dask.delayed(_block_first, pure=True)(
        b, m, int(np.dot([s.start for s in sl[idx]], strides)), strides)
        for (idx, b), m in zip(c.parts, c.masks)]
    return tree(parts, _min_first)


@twin(_filters.threshold_otsu)
def threshold_otsu(image=None, nbins=256, *, hist=None, mask=None, workers=None):
    """Dask twin of ``filters.threshold_otsu``: a lazy 0-d array whose
    ``compute()`` is the single-machine threshold (NumPy scalar)."""
    if image is None:
        if mask is not None:
            raise ValueError("mask requires an image (got mask with image=None)")
        if hist is None:
            raise Exception("Either image or hist must be provided.")
        return scalar(whole(_filters.threshold_otsu, None, nbins, hist=hist), np.float64)
    x = as_dask(image)
    if mask is None:
        rgb_warning("threshold_otsu", x)
    dt = _native(x.dtype)
    out_dt = np.int64 if dt.kind in "iu" else dt
    if x.size == 0 or not _covered(dt) or (dt.kind == "f" and not _nbins_ok(nbins)):
        return scalar(whole(_filters.threshold_otsu, x, nbins, hist=hist, mask=mask), out_dt)
    c = _Counts(x, mask, workers=workers)
    res = c.counts(nbins, "image") if hist is None else None
    first = _first_pixel(x, c, mask)
    return scalar(dask.delayed(_otsu_final, pure=True)(c.stats, first, res, hist, nbins),
                  out_dt)


def _multi_final(res, hist, classes, nbins):
    if hist is None:
        if res is None:
            raise ValueError("After discretization into bins, the input image has only 0 "
                             f"different values. It cannot be thresholded in {classes} "
                             "classes.")
        counts, centres = res
        hist = (counts / np.sum(counts), centres)
    return _filters.threshold_multiotsu(hist=hist, classes=classes, nbins=nbins)


@twin(_filters.threshold_multiotsu)
def threshold_multiotsu(image=None, classes=3, nbins=256, *, hist=None, mask=None,
                        workers=None):
    """Dask twin of ``filters.threshold_multiotsu``: a lazy 1-D array of the
    ``classes - 1`` thresholds."""
    if image is None:
        if mask is not None:
            raise ValueError("mask requires an image (got mask with image=None)")
        if hist is None:
            raise Exception("Either image or hist must be provided.")
        return array_of(whole(_filters.threshold_multiotsu, None, classes, nbins, hist=hist),
                        (float("nan"),), np.float64)
    x = as_dask(image)
    if mask is None:
        rgb_warning("threshold_multiotsu", x)
    dt = _native(x.dtype)
    out_dt = np.int64 if dt.kind in "iu" else dt
    n = operator.index(classes) - 1 if isinstance(classes, (int, np.integer)) else float("nan")
    shape = (n if n >= 0 else float("nan"),)
    if hist is not None or x.size == 0 or not _covered(dt) or (
            dt.kind == "f" and not _nbins_ok(nbins)):
        return array_of(whole(_filters.threshold_multiotsu, x, classes, nbins, hist=hist,
                              mask=mask), shape, out_dt)
    res = _Counts(x, mask, workers=workers).counts(nbins, "image")
    return array_of(dask.delayed(_multi_final, pure=True)(res, None, classes, nbins), shape,
                    out_dt)
