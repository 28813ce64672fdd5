"""Hysteresis of the edges family: Canny's last stage and
``skimage.filters.apply_hysteresis_threshold``.

Canny's hysteresis (:func:`canny_hysteresis`) grows the strong pixels of the
class map through runs of weak ones on bit-packed rows (the sweep's, grown
by ``hysteresis_kernels.hysteresis_bits_rows`` on blocks of rows in
parallel, then ``hysteresis_bits_seams``), with a flood fill (explicit stack,
blocks of rows in parallel, then the block seams) to finish paths that turn
back more often than the sweep limit.
"""
from __future__ import annotations

import sys

import numpy as np
import numpy.typing as npt

from .._core.dispatch import resolve_workers, run, split
from .._core.sk_args import hysteresis_masks
from . import hysteresis_kernels

__all__ = ["apply_hysteresis_threshold", "canny_hysteresis", "pack_rows"]

#: serial ns per pixel of the flood fill (about 3 ms serial at 2048x2048 on
#: a noisy class map), for the serial-or-parallel decision
_HYSTERESIS_NS = 1
#: serial ns per pixel of the bit-packed sweeps (about 1 ms at 2048x2048
#: on the photograph's class map, 3 ms at 4096x4096)
_BITS_NS = 0.25
#: rows per block of the bit-packed sweeps at least (a block's rows are
#: closed on their own; the seam pass then starts from 2 rows per boundary)
_BIT_ROWS = 64


def _offsets(shape, connectivity):
    """Flat-index steps to the neighbours within ``connectivity`` (ndimage's
    generate_binary_structure rule: at most that many non-zero coordinates)."""
    strides = np.cumprod((1,) + tuple(shape[::-1]))[:-1][::-1]
    offs = []
    for d in np.ndindex(*(3,) * len(shape)):
        d = np.array(d) - 1
        nz = int(np.count_nonzero(d))
        if 0 < nz <= connectivity:
            offs.append(int(np.dot(d, strides)))
    return np.array(offs, np.int64)


def pack_rows(bits):
    """Rows of a bool image as little-endian uint64 words (bit b of word q:
    pixel 64 q + b)."""
    packed = np.packbits(bits, axis=1, bitorder="little")
    words = np.zeros((bits.shape[0], -(-packed.shape[1] // 8) * 8), np.uint8)
    words[:, :packed.shape[1]] = packed
    return words.view(np.uint64)


def canny_hysteresis(cls, workers=None, bits=None):
    """Canny's 8-connected hysteresis on a class map with a zero border.

    First on bit-packed rows (``bits``: the weak-or-strong and the strong
    bit rows of ``cls``, as the sweep writes them, the strong ones grown
    in place; packed here when not given): ``hysteresis_bits_rows`` on
    blocks of rows in parallel, then ``hysteresis_bits_seams`` across the
    block boundaries (sweeps that grow the strong set through whole runs,
    about 1 ms on a 2048x2048 photograph).  If that has not converged after
    64 sweep pairs (paths that turn back many times), the pixels reached
    so far become strong seeds of the flood fill: blocks of rows in
    parallel, then one pass from the block boundaries."""
    h, w = cls.shape
    if h < 3 or w < 3:
        return np.zeros(cls.shape, bool)
    n = resolve_workers(workers)
    if sys.byteorder == "little":
        if bits is None:
            bits = pack_rows(cls != 0), pack_rows(cls == 2)
        wbits, mbits = bits
        bounds = split(h, size=h * w, cost=_BITS_NS, n_threads=n, per_thread=2,
                       min_items=_BIT_ROWS)
        failed = run(hysteresis_kernels.hysteresis_bits_rows, (wbits, mbits, 64, True),
                     bounds=bounds, n_threads=n, flags=True)
        done = not failed and (len(bounds) == 2 or hysteresis_kernels.hysteresis_bits_seams(
            wbits, mbits, 64, True, np.array(bounds[1:-1], np.int64)))
        reached = np.unpackbits(mbits.view(np.uint8), axis=1, count=w, bitorder="little")
        if done:
            return reached.view(bool)
        cls = np.where(reached != 0, np.uint8(2), cls)
    out = np.zeros(cls.shape, bool)
    o8 = out.view(np.uint8)
    bounds = split(h, size=h * w, cost=_HYSTERESIS_NS, n_threads=n, per_thread=4)
    run(hysteresis_kernels.hysteresis_rows, (cls, o8), bounds=bounds, n_threads=n)
    if len(bounds) > 2:   # paths from one block into another
        hysteresis_kernels.hysteresis_seams(cls, o8, np.array(bounds[1:-1], np.int64))
    return out


def apply_hysteresis_threshold(image: npt.ArrayLike, low: float | npt.ArrayLike,
                               high: float | npt.ArrayLike, *,
                               connectivity: int = 1) -> np.ndarray:
    """Apply hysteresis thresholding to ``image``.

    Drop-in for :func:`skimage.filters.apply_hysteresis_threshold`
    (scikit-image 0.26): regions where ``image`` is greater than ``high``,
    or greater than ``low`` *and* connected to a region greater than
    ``high``.

    Parameters
    ----------
    image : (M[, ...]) ndarray
        Grayscale input image.
    low : float, or array of same shape as ``image``
        Lower threshold.
    high : float, or array of same shape as ``image``
        Higher threshold.
    connectivity : int, optional
        Keyword-only; fastimg's addition.  Neighbours are pixels with at
        most ``connectivity`` coordinates differing by one (``ndimage``'s
        ``generate_binary_structure`` rule).  The default 1 (face
        neighbours) is scikit-image's (its ``ndi.label`` default); Canny's
        hysteresis is ``connectivity=2`` in 2-D.

    Returns
    -------
    thresholded : (M[, ...]) array of bool
        Array in which ``True`` indicates the locations where ``image``
        was above the hysteresis threshold.

    Notes
    -----
    Differences from :func:`skimage.filters.apply_hysteresis_threshold`:
    none in results (``low`` is clipped to at most ``high`` first, as
    there); ``connectivity`` is extra.  The labelling is replaced by
    growing the pixels above ``high`` through those above ``low``: for 2-D
    images by sweeps over bit-packed rows (64 pixels per word operation;
    about 8x faster than scikit-image on a 2048x2048 Sobel map), otherwise
    (and for paths that turn back very often) by a flood fill with an
    explicit stack.  A quirk kept
    for parity: if some pixel is above ``high`` but not above ``low``
    (possible only with a NaN ``low``), scikit-image counts it in the
    background label, and then every pixel not above ``low`` is True.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> image = np.array([1, 2, 3, 2, 1, 2, 1, 3, 2])
    >>> filters.apply_hysteresis_threshold(image, 1.5, 2.5).astype(int).tolist()
    [0, 1, 1, 1, 0, 0, 0, 1, 1]
    """
    _, mask_low, mask_high = hysteresis_masks(np.asarray(image), low, high)
    if mask_low.ndim == 0:
        return np.asarray(bool(mask_low and mask_high))
    connectivity = int(connectivity)
    if (mask_low.ndim == 2 and mask_low.shape[0] >= 2 and connectivity >= 1
            and sys.byteorder == "little"):
        # 2-D: the bit-packed sweeps (the flood fill if they do not converge)
        mbits = pack_rows(mask_high & mask_low)
        done = hysteresis_kernels.hysteresis_bits(pack_rows(mask_low), mbits, 64,
                                                  connectivity >= 2)
        if done:
            result = np.unpackbits(mbits.view(np.uint8), axis=1, count=mask_low.shape[1],
                                   bitorder="little").view(bool)
            if np.any(mask_high & ~mask_low):
                result |= ~mask_low
            return result
    cls = np.pad(np.where(mask_low, mask_high.astype(np.uint8) + np.uint8(1), np.uint8(0))
                 .astype(np.uint8), 1)
    out = np.zeros(cls.shape, np.uint8)
    if mask_high.any():
        hysteresis_kernels.hysteresis(cls.reshape(-1), _offsets(cls.shape, connectivity),
                                      out.reshape(-1))
    inner = tuple(slice(1, -1) for _ in range(out.ndim))
    result = out[inner].astype(bool)
    if np.any(mask_high & ~mask_low):
        result |= ~mask_low
    return result

