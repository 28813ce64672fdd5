"""Histogram counting shared by ``exposure.histogram`` and the Otsu
thresholds: scikit-image 0.26's ``_histogram`` rules (:class:`Flat`,
:func:`hist_flat`) on the jitted cores of ``histogram_kernels``.

Validation follows skimage (same exception types, messages and warnings);
inputs are normalised (native byte order, contiguous, a closed set of
dtypes) before a core is called.
Inputs the cores do not cover (uint64, bool, float16, ``nbins`` given as a
string, ...) go through a NumPy transcription of skimage's own code, so the
result is the same everywhere.

Rules reproduced (see the kernel module for the arithmetic):

* integer images: one bin per integer value from min to max (``nbins``
  ignored), int64 counts, integer bin centres;
* float images: ``np.histogram``'s uniform bins over [min, max] (a constant
  image gets [v - 0.5, v + 0.5]), edges from ``np.linspace`` in the image's
  float dtype, bin index ``int((x - first) / (last - first) * nbins)`` in that
  dtype corrected against the edges; centres ``(e[:-1] + e[1:]) / 2``.
"""
from __future__ import annotations

import operator
import threading

import numpy as np
import numpy.typing as npt

from .arrays import contiguous_writable
from .dispatch import resolve_workers, run, run_blocks, split
from . import accumulate_kernels
from . import histogram_kernels
from .sk_args import dtype_limits
from .warn import warn_at_caller

__all__ = ["Flat", "hist_flat", "float_bins", "FLOAT_KERNEL", "MAX_FLOAT_BINS",
           "check_source_range", "np_histogram1", "np_bin_edges", "np_int_centers",
           "np_get_range", "warn"]

_INT_KERNEL = tuple(np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16,
                                          np.int32, np.uint32, np.int64))
FLOAT_KERNEL = (np.dtype(np.float32), np.dtype(np.float64))
#: Counted once over their whole value range (256 or 65536 bins).
_SMALL_INT = _INT_KERNEL[:4]
#: Pixels per block at most: sub-histograms count in uint32.
_MAX_BLOCK = 1 << 32
#: Float histograms with more bins go through np.histogram itself.
MAX_FLOAT_BINS = 1 << 20
_EMPTY_MASK = np.zeros(1, np.uint8)


def warn(msg):
    warn_at_caller(msg, UserWarning)



# ------------------------------------------------------------ plumbing
class Flat:
    """A raveled, native, contiguous view (copy only when needed) of an image
    and the optional mask, plus the thread decision for this call.

    8- and 16-bit images are counted once over their whole value range; the
    min / max, the count and every histogram of them come from those counts.
    """

    def __init__(self, image, mask, workers):
        self.dtype = image.dtype.newbyteorder("=")
        self.fast = self.dtype in _INT_KERNEL or self.dtype in FLOAT_KERNEL
        x = image.reshape(-1)
        if self.fast:
            x = contiguous_writable(x)
        self.x = x
        if mask is None:
            self.mask, self.has_mask = _EMPTY_MASK, False
        else:
            mask = np.asarray(mask)
            if mask.shape != image.shape:
                raise IndexError(
                    "boolean index did not match indexed array: mask shape "
                    f"{mask.shape}, image shape {image.shape}")
            self.mask = contiguous_writable(mask.reshape(-1).astype(np.bool_, copy=False)
                                              .view(np.uint8))
            self.has_mask = True
        n = resolve_workers(workers)
        self.n_threads = n
        self._full = None

    def selected(self):
        """``image[mask]`` (a copy), for the NumPy fallback paths."""
        return self.x[self.mask.view(np.bool_)] if self.has_mask else self.x

    def _blocks(self, per_thread, cost):
        """Block bounds of the pixels: ``per_thread`` blocks per thread when
        the image is worth splitting at about ``cost`` ns per pixel, and
        blocks of at most 2**32 pixels (the uint32 sub-histogram counters)."""
        size = self.x.size
        return split(size, size=size, cost=cost, n_threads=self.n_threads,
                     per_thread=per_thread, max_items=_MAX_BLOCK)

    def _each_block(self, body, bounds):
        """``[body(b, start, stop) for each block b]``, blocks in parallel."""
        return run_blocks(body, bounds, self.n_threads)

    def _small(self):
        """Counted over the whole type range: 8-bit images, and 16-bit images
        with at least as many pixels as values (smaller ones would spend
        more on the 65536 counters than on the pixels)."""
        return self.dtype in _SMALL_INT and (self.dtype.itemsize == 1
                                             or self.x.size >= 1 << 16)

    def full_counts(self):
        """8/16-bit images: int64 counts of every value of the type."""
        if self._full is None:
            info = np.iinfo(self.dtype)
            # 8-bit: two blocks per thread balance the threads better (measured);
            # 16-bit: one (each block holds _lanes(65536) x 65536 counters)
            nvalues = 1 << (8 * self.dtype.itemsize)
            bounds = self._blocks(2 if self.dtype.itemsize == 1 else 1, 0.6)
            sub = np.zeros((len(bounds) - 1, _lanes(nvalues), nvalues), np.uint32)
            off = int(info.min)
            self._each_block(lambda b, start, stop: histogram_kernels.small_hist_block(
                self.x, self.mask, self.has_mask, off, sub[b], start, stop), bounds)
            self._full = np.zeros(nvalues, np.int64)
            accumulate_kernels.add_blocks(sub, self._full)
        return self._full

    def minmax(self):
        """(min, max, count, has_nan) of the selected pixels: min and max as
        numpy scalars of the image dtype, ``count`` the number of selected
        pixels (NaN included), ``has_nan`` whether one of them is NaN."""
        t = self.x.dtype.type
        if self.x.size == 0:
            return None, None, 0, False
        if self._small():
            counts = self.full_counts()
            nz = np.flatnonzero(counts)
            if nz.size == 0:
                return None, None, 0, False
            off = int(np.iinfo(self.dtype).min)
            return t(nz[0] + off), t(nz[-1] + off), int(counts.sum()), False
        flt = self.dtype.kind == "f"
        keys = self.x.view(np.dtype(f"i{self.dtype.itemsize}")) if flt else self.x
        info = np.iinfo(keys.dtype)
        kt = keys.dtype.type
        kmask = kt(info.max if flt else 0)
        lo0, hi0 = kt(info.max), kt(info.min)
        parts = run(histogram_kernels.minmax, (keys, self.mask, self.has_mask, kmask, lo0, hi0),
                    bounds=self._blocks(4, 0.5), n_threads=self.n_threads, collect=True)
        lo = min(p[0] for p in parts)
        hi = max(p[1] for p in parts)
        cnt = sum(int(p[2]) for p in parts)
        if cnt == 0:
            return None, None, 0, False
        if not flt:
            return t(lo), t(hi), cnt, False
        pinf = np.array(np.inf, self.dtype).view(kt)[()]
        ninf = np.array(-np.inf, self.dtype).view(kt)[()] ^ kmask
        if hi > pinf or lo < ninf:          # keys beyond the infinities: NaN
            return t(np.nan), t(np.nan), cnt, True

        def value(k):
            return np.array(k if k >= 0 else k ^ kmask, kt).view(self.dtype)[()]
        return value(lo), value(hi), cnt, False

    def int_counts(self, lo, nb):
        """int64 counts of the values ``lo .. lo + nb - 1``."""
        lo = int(lo)
        if self._small():
            off = lo - int(np.iinfo(self.dtype).min)
            return self.full_counts()[off:off + nb].copy()
        if self.x.size == 0:
            return np.zeros(nb, np.int64)
        # counters beyond the caches cost a miss per pixel (measured: 16 M
        # counters about 7 ns per pixel, against 1 ns for a few thousand)
        bounds = self._blocks(4, 1.0 if nb <= 1 << 16 else 8.0)
        # one row of counters per thread, not per block: blocks are many and
        # short (a long call returns to Python between them for Ctrl-C),
        # and each row may be large; a thread adds its blocks into its row
        # (integer counts: the sum does not depend on which row holds what)
        rows = min(len(bounds) - 1, self.n_threads)
        sub = np.zeros((rows, nb), np.int64)
        slots = {}
        lock = threading.Lock()

        def body(b, start, stop):
            with lock:
                r = slots.setdefault(threading.get_ident(), len(slots))
            # (never more threads than rows: dispatch runs at most n_threads)
            histogram_kernels.int_hist(self.x, self.mask, self.has_mask, lo, sub[r],
                                       start, stop)
        self._each_block(body, bounds)
        return sub.sum(axis=0) if rows > 1 else sub[0]

    def float_counts(self, first, last, edges, search=False):
        """int64 counts per bin of ``edges``: numpy's uniform-bin rule over
        ``[first, last]``, or (``search``) its rule for explicit edges."""
        nb = edges.shape[0] - 1
        if self.x.size == 0:
            return np.zeros(nb, np.int64)
        T = edges.dtype.type
        x = self.x if self.x.dtype == edges.dtype else self.x.astype(edges.dtype)
        # numpy's scaling (first/last may be Python ints, e.g. 'dtype' range)
        args = (x, self.mask, self.has_mask, T(first), T(last), T(last - first), T(nb),
                _padded_edges(edges), _edge_step(edges), search)
        bounds = self._blocks(2, 4.0)
        sub = np.zeros((len(bounds) - 1, _lanes(nb + 1), nb + 1), np.uint32)
        self._each_block(lambda b, start, stop: histogram_kernels.float_hist_block(
            *args, sub[b], start, stop), bounds)
        out = np.zeros(nb, np.int64)
        accumulate_kernels.add_blocks(sub, out)
        return out


def _lanes(nvalues):
    """Interleaved sub-histograms per block for ``nvalues`` counters: as many
    as keep a block within 32 KiB (L1) up to 8, at least 2 up to 65536
    counters (512 KiB, inside L2), else 1.  Measured on a 2048² photograph:
    8 rows of 256 counters 1.17 ms against 1.31 ms with 4; 2 rows of 65536
    2.0 ms against 2.5 ms with 4 and 3.7 ms with 8 (L2 misses)."""
    for lanes in (8, 4, 2):
        if lanes * nvalues * 4 <= 32 * 1024:
            return lanes
    return 2 if nvalues <= 1 << 16 else 1


def _padded_edges(edges):
    """``edges`` with the last one replaced by +inf, for the float histogram
    kernel: numpy never moves a value up from the last bin."""
    e = np.array(edges, copy=True)
    e[-1] = np.inf
    return e


def _edge_step(edges):
    """``step`` if ``edges[j] == j * step + edges[0]`` in the edges' dtype for
    every edge but the last (``np.linspace``'s own arithmetic when it runs
    in that dtype), so the kernel can compute edges instead of looking them
    up; 0 otherwise."""
    T = edges.dtype.type
    nb = edges.shape[0] - 1
    with np.errstate(all="ignore"):
        step = (edges[-1] - edges[0]) / T(nb)
        ok = (nb < (1 << 24) and np.isfinite(step) and step > 0
              and np.array_equal(np.arange(nb, dtype=edges.dtype) * step + edges[0],
                                 edges[:-1]))
    return step if ok else T(0)


def check_source_range(source_range):
    if source_range not in ["image", "dtype"]:
        raise ValueError(f"Incorrect value for `source_range` argument: {source_range}")


# ------------------------------------------------- NumPy transcription
def _np_offset_array(arr, low, high):
    if low < 0:
        offset = low
        dyn_range = high - low
        offset_dtype = np.promote_types(np.min_scalar_type(dyn_range),
                                        np.min_scalar_type(low))
        if arr.dtype != offset_dtype:
            arr = arr.astype(offset_dtype)
        arr = arr - offset
    return arr


def np_int_centers(image, source_range):
    check_source_range(source_range)
    if source_range == "image":
        lo = int(image.min().astype(np.int64))
        hi = int(image.max().astype(np.int64))
    else:
        lo, hi = dtype_limits(image.dtype)
    return np.arange(lo, hi + 1)


def np_histogram1(image, bins, source_range, normalize):
    """skimage's ``_histogram`` (flattened image), verbatim in NumPy."""
    image = image.flatten()
    if np.issubdtype(image.dtype, np.integer):
        centers = bins if isinstance(bins, np.ndarray) else np_int_centers(image, source_range)
        lo, hi = centers[0], centers[-1]
        arr = _np_offset_array(image, lo, hi)
        hist = np.bincount(arr.ravel(), minlength=hi - min(lo, 0) + 1)
        if source_range == "image":
            hist = hist[max(lo, 0):]
    else:
        check_source_range(source_range)
        hist_range = None if source_range == "image" else dtype_limits(image.dtype)
        hist, edges = np.histogram(image, bins=bins, range=hist_range)
        centers = (edges[:-1] + edges[1:]) / 2.0
    if normalize:
        # an empty selection divides 0 by 0: NaN probabilities and NumPy's
        # RuntimeWarning, as in skimage's histogram (and its
        # threshold_multiotsu, which normalises first)
        hist = hist / np.sum(hist)
    return hist, centers


def np_bin_edges(image, nbins, hist_range):
    """skimage's ``_get_bin_edges`` / ``_get_outer_edges``."""
    if hist_range is not None:
        first, last = hist_range
        if first > last:
            raise ValueError("max must be larger than min in hist_range parameter.")
        if not (np.isfinite(first) and np.isfinite(last)):
            raise ValueError(f"supplied hist_range of [{first}, {last}] is not finite")
    elif image.size == 0:
        first, last = 0, 1
    else:
        first, last = image.min(), image.max()
        if not (np.isfinite(first) and np.isfinite(last)):
            raise ValueError(f"autodetected hist_range of [{first}, {last}] is not finite")
    if first == last:
        first = first - 0.5
        last = last + 0.5
    bin_type = np.result_type(first, last, image)
    if np.issubdtype(bin_type, np.integer):
        bin_type = np.result_type(bin_type, float)
    return np.linspace(first, last, nbins + 1, endpoint=True, dtype=bin_type)


# ------------------------------------------------------------ histogram core
def _fast_hist(flat, nbins, source_range, stats=None):
    """(counts int64, centres) of the selected pixels, or None when the
    NumPy transcription must be used.  ``stats``: a precomputed minmax()."""
    dt = flat.dtype
    if dt.kind in "iu":
        if source_range == "image":
            lo, hi, cnt, _ = stats if stats is not None else flat.minmax()
            if cnt == 0:
                raise ValueError("zero-size array to reduction operation minimum "
                                 "which has no identity")
            lo, hi = int(lo), int(hi)
        else:
            lo, hi = dtype_limits(dt)
        return flat.int_counts(lo, hi - lo + 1), np.arange(lo, hi + 1)
    # floats: np.histogram's uniform path
    if isinstance(nbins, bool) or not isinstance(nbins, (int, np.integer)):
        return None
    n = operator.index(nbins)
    if n < 1 or n > MAX_FLOAT_BINS:
        return None  # numpy raises, or np.histogram's own memory behaviour
    if source_range == "image":
        stats = stats if stats is not None else flat.minmax()
        if stats[2] == 0 and not stats[3]:
            return None  # empty: numpy's 0..1 range
    first, last, edges = float_bins(stats, n, source_range, flat.x.dtype)
    counts = flat.float_counts(first, last, edges)
    return counts, (edges[:-1] + edges[1:]) / 2.0


def float_bins(stats, nbins, source_range, dtype):
    """``(first, last, edges)`` of skimage's float histogram of an image of
    ``dtype`` with ``nbins`` bins; ``stats`` is ``(min, max, count, has_nan)``
    of the selected pixels when ``source_range`` is 'image'.  Raises
    NumPy's errors (a non-finite range, too many bins for the range)."""
    if source_range == "image":
        lo, hi, cnt, nan = stats
        if nan:
            lo = hi = dtype.type(np.nan)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"autodetected range of [{lo}, {hi}] is not finite")
        first, last = lo, hi
        if first == last:
            first = first - 0.5
            last = last + 0.5
    else:
        first, last = dtype_limits(dtype)
    bin_type = np.result_type(first, last, np.empty(0, dtype))
    edges = np.linspace(first, last, nbins + 1, endpoint=True, dtype=bin_type)
    if np.any(edges[:-1] >= edges[1:]):
        raise ValueError(f"Too many bins for data range. Cannot create {nbins} "
                         f"finite-sized bins.")
    return first, last, edges


def hist_flat(image, nbins, source_range, normalize, mask=None, workers=None, stats=None,
               flat=None):
    """skimage's ``_histogram`` on a whole (flattened) image."""
    if image.dtype.kind in "iu":
        check_source_range(source_range)
    if flat is None:
        flat = Flat(image, mask, workers)
    res = None
    if flat.fast and (image.dtype.kind in "iu" or source_range in ("image", "dtype")):
        if image.dtype.kind == "f":
            check_source_range(source_range)
        res = _fast_hist(flat, nbins, source_range, stats)
    if res is None:
        return np_histogram1(flat.selected(), nbins, source_range, normalize)
    hist, centers = res
    if normalize:
        # empty selection: NaN and a RuntimeWarning, as in np_histogram1
        hist = hist / np.sum(hist)
    return hist, centers


def np_get_range(source_range, dtype):
    check_source_range(source_range)
    return None if source_range == "image" else dtype_limits(dtype)
