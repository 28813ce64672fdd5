"""Dask twins of ``feature.canny`` and ``transform.hough_line`` /
``hough_line_peaks``.

Canny: every block is computed from a piece of the image holding the block
and a halo of ``ceil``-free depth ``int(4 * sigma + 0.5) + 3`` per axis
(SciPy's Gaussian radius, then the Sobel and non-maximum-suppression
neighbours, plus one), cut at the image border; the single-machine
``feature.canny_stages`` on the piece gives the block's weak and strong
pixels exactly (every value there depends only on the pixels within that
depth, and at the image border the piece's border is the image's, so
``mode``, the mask-normalised smoothing and the border rules apply as in
the single-machine call).  The 8-connected hysteresis then joins weak
pixels across blocks (:mod:`.global_label`).  ``use_quantiles`` takes a
first pass for the magnitude and the global percentiles (``np.percentile``
of the whole magnitude image in one task: it must fit in memory).
``mode='wrap'`` needs the far side of the image: one whole-image task.

Hough: each block votes with its pixels' global coordinates (scikit-image's
``round`` of ``cos(t) x + sin(t) y``, half away from zero) into a full
accumulator; the uint64 accumulators are summed.  Angles and distances
are returned as dask arrays of the single-machine arrays.
``hough_line_peaks`` runs the single-machine function in one task on the
(small) accumulator: lazy results of unknown length.
"""
from __future__ import annotations

import math

import numpy as np

import dask
import dask.array as da

from .. import feature as _feature
from .. import transform as _transform
from .global_common import (array_of, as_dask, block_slices, blocks, region, tree, twin,
                             whole)
from .global_label import components

__all__ = ["canny", "hough_line", "hough_line_peaks"]

_SQUARE = np.ones((3, 3), bool)


def _depths(sigma, ndim=2):
    s = np.broadcast_to(np.asarray(sigma, dtype=float), (ndim,))
    return tuple((int(4.0 * float(v) + 0.5) if v > 1e-15 else 0) + 3 for v in s)


def _pieces(x, depth):
    """[(block index, piece slices, crop slices inside the piece)]."""
    out = []
    for idx, sl in block_slices(x).items():
        piece, crop = [], []
        for s, d, n in zip(sl, depth, x.shape):
            a, b = max(0, s.start - d), min(n, s.stop + d)
            piece.append(slice(a, b))
            crop.append(slice(s.start - a, s.stop - a))
        out.append((idx, tuple(piece), tuple(crop)))
    return out


def _classes(piece, mpiece, crop, sigma, low, high, mode, cval, workers):
    """0 / 1 (weak) / 2 (strong) of the block inside ``piece``."""
    st = _feature.canny_stages(piece, sigma, low, high, mpiece, False, mode=mode, cval=cval,
                               workers=workers)
    nms = st.nms[crop]
    weak = nms > 0
    strong = weak & (nms >= st.high_threshold)
    return weak.view(np.uint8) + strong.view(np.uint8)


def _maps(piece, mpiece, crop, sigma, mode, cval, workers):
    """(magnitude, suppressed map with the smallest low threshold)."""
    st = _feature.canny_stages(piece, sigma, 0, 0, mpiece, False, mode=mode, cval=cval,
                               workers=workers)
    return np.stack([st.magnitude[crop], st.nms[crop]])


def _low_for_nms(low):
    """scikit-image's float32 low threshold (0 becomes 1e-14)."""
    with np.errstate(over="ignore", invalid="ignore"):
        low32 = np.float32(low)
    return np.float32(1e-14) if low32 == 0 else low32


def _quantile_classes(maps, q):
    lo, hi = q
    mag, nms = maps[0], maps[1]
    weak = (nms > 0) & (mag >= _low_for_nms(lo))
    strong = weak & (nms >= hi)
    return weak.view(np.uint8) + strong.view(np.uint8)


def _percentiles(mag, lo, hi):
    return tuple(np.percentile(mag, [100.0 * lo, 100.0 * hi]))


def _grid(x, parts, delayeds, dtype):
    """The dask array of x's shape and chunks made of one delayed per block."""
    arrs = np.empty(x.numblocks, object)
    sl = block_slices(x)
    for (idx, _, _), d in zip(parts, delayeds):
        arrs[idx] = da.from_delayed(d, tuple(s.stop - s.start for s in sl[idx]), dtype)
    return da.block(arrs.tolist())


def _first(maps):
    return maps[0]


@twin(_feature.canny)
def canny(image, sigma=1.0, low_threshold=None, high_threshold=None, mask=None,
          use_quantiles=False, *, mode="constant", cval=0.0, workers=None):
    """Dask twin of ``feature.canny``: lazy bool edges."""
    x = as_dask(image)
    probe = np.zeros(tuple(min(n, 2) for n in x.shape), x.dtype)
    _feature.canny(probe, sigma, low_threshold, high_threshold, None, use_quantiles,
                   mode=mode, cval=cval)
    if mask is not None:
        mask = as_dask(mask)
        if mask.shape != x.shape:
            raise IndexError("boolean index did not match indexed array: mask shape "
                             f"{mask.shape}, image shape {x.shape}")
        mask = mask.astype(bool).rechunk(x.chunks)
    if mode == "wrap":
        return array_of(whole(_feature.canny, x, sigma, low_threshold, high_threshold, mask,
                              use_quantiles, mode=mode, cval=cval), x.shape, bool)
    parts = _pieces(x, _depths(sigma))
    w = 1 if workers is None else workers      # one thread per block unless asked

    xd = x.to_delayed(optimize_graph=False)
    md = mask.to_delayed(optimize_graph=False) if mask is not None else None

    def piece_args(p):
        return (region(x, xd, p[1]), region(mask, md, p[1]) if mask is not None else None,
                p[2])
    if not use_quantiles:
        cls = _grid(x, parts, [dask.delayed(_classes, pure=True)(
            *piece_args(p), sigma, low_threshold, high_threshold, mode, cval, w)
            for p in parts], np.uint8)
    else:
        # quantile thresholds: in [0, 1], not divided by the dtype's maximum
        lo = 0.1 if low_threshold is None else low_threshold
        hi = 0.2 if high_threshold is None else high_threshold
        maps = [dask.delayed(_maps, pure=True)(*piece_args(p), sigma, mode, cval, w)
                for p in parts]
        ftype = _feature.canny_stages(probe, sigma).magnitude.dtype
        mag = _grid(x, parts, [dask.delayed(_first, pure=True)(m) for m in maps], ftype)
        q = dask.delayed(_percentiles, pure=True)(mag, lo, hi)
        cls = _grid(x, parts, [dask.delayed(_quantile_classes, pure=True)(m, q)
                               for m in maps], np.uint8)
    edges, _ = components(cls > 0, ("binary", _SQUARE), _SQUARE, None, strong=cls == 2)
    return edges


# ------------------------------------------------------------------ Hough
def _votes(block, start, ctheta, stheta, offset, nrho):
    ys, xs = np.nonzero(block)
    acc = np.zeros((nrho, ctheta.shape[0]), np.uint64)
    if ys.size == 0:
        return acc
    y = (ys + start[0]).astype(np.float64)
    x = (xs + start[1]).astype(np.float64)
    for j in range(ctheta.shape[0]):
        r = ctheta[j] * x + stheta[j] * y
        b = (r + np.where(r > 0, 0.5, -0.5)).astype(np.int64) + offset
        acc[:, j] = np.bincount(b, minlength=nrho)
    return acc


def _add(*parts):
    out = parts[0].copy()
    for p in parts[1:]:
        out += p
    return out


@twin(_transform.hough_line)
def hough_line(image, theta=None, *, workers=None):
    """Dask twin of ``transform.hough_line``: lazy ``(hspace, angles,
    distances)`` (angles and distances: dask arrays of the single-machine
    arrays)."""
    x = as_dask(image)
    probe = np.zeros(tuple(min(n, 2) for n in x.shape), x.dtype)
    _, angles, _ = _transform.hough_line(probe, theta)
    rows, cols = x.shape
    offset = int(math.ceil(math.sqrt(rows * rows + cols * cols)))
    nrho = 2 * offset + 1
    bins = np.linspace(-offset, offset, nrho)
    with np.errstate(invalid="ignore"):
        ctheta, stheta = np.cos(angles), np.sin(angles)
    bad = np.isnan(ctheta) | np.isnan(stheta)
    ctheta[bad] = 0.0
    stheta[bad] = 0.0
    sl = block_slices(x)
    parts = [dask.delayed(_votes, pure=True)(b, tuple(s.start for s in sl[idx]), ctheta, stheta,
                                             offset, nrho) for idx, b in blocks(x)]
    acc = array_of(tree(parts, _add), (nrho, angles.shape[0]), np.uint64)
    return acc, da.from_array(angles, chunks=-1), da.from_array(bins, chunks=-1)


def _peaks(hspace, angles, dists, kw):
    return _transform.hough_line_peaks(hspace, angles, dists, **kw)


def _item(r, i):
    return r[i]


@twin(_transform.hough_line_peaks)
def hough_line_peaks(hspace, angles, dists, min_distance=9, min_angle=10, threshold=None,
                     num_peaks=np.inf):
    """Dask twin of ``transform.hough_line_peaks``: the single-machine
    function in one task on the computed accumulator (it is small); lazy
    ``(peaks, angles, distances)`` of unknown length."""
    h = as_dask(hspace)
    kw = dict(min_distance=min_distance, min_angle=min_angle, threshold=threshold,
              num_peaks=num_peaks)
    res = dask.delayed(_peaks, pure=True)(h, as_dask(angles), as_dask(dists), kw)
    nan = (float("nan"),)
    return (array_of(dask.delayed(_item, pure=True)(res, 0), nan, h.dtype),
            array_of(dask.delayed(_item, pure=True)(res, 1), nan, np.float64),
            array_of(dask.delayed(_item, pure=True)(res, 2), nan, np.float64))
