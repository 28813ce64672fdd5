"""Dask twins built on the cross-block components of :mod:`.global_label`:
``ndimage.label``, ``measure.label``, ``filters.apply_hysteresis_threshold``
and ``ndimage.binary_fill_holes``.

Counts (``num_features``, ``return_num``) are lazy 0-d dask arrays whose
``compute()`` is the single-machine Python int.  ``output=`` may be None or
a dtype (an ndarray cannot receive a lazy result: TypeError); a bool
``output`` (SciPy writes label bytes through a uint8 view, depending on its
provisional labels) raises NotImplementedError.  Argument errors are
raised by the call: the single-machine function is first called on a 2**n
array of zeros of the same dtype and rank, so the exception (type and
message) is its own.
"""
from __future__ import annotations

import numpy as np

import dask
import dask.array as da

from .. import filters as _filters
from .. import measure as _measure
from .. import ndimage as _ndimage
from .._core.sk_args import apply_label_swaps, hysteresis_masks, label_swaps
from .global_common import array_of, as_dask, scalar, twin, whole
from .global_label import components

__all__ = ["ndi_label", "measure_label", "apply_hysteresis_threshold", "binary_fill_holes"]


def _hops(ndim, connectivity):
    """``generate_binary_structure(ndim, connectivity)``."""
    if ndim == 0:
        return np.array(connectivity > 0)
    return np.add.reduce(np.fabs(np.indices([3] * ndim) - 1), 0) <= connectivity


def _probe(x):
    return np.zeros((2,) * x.ndim, x.dtype)


def _item(r, i):
    return r[i]


def _split_whole(res, shape, dtype, with_num=True):
    lab = array_of(dask.delayed(_item, pure=True)(res, 0), shape, dtype)
    if not with_num:
        return lab
    return lab, scalar(dask.delayed(_item, pure=True)(res, 1), int)


@twin(_ndimage.label)
def ndi_label(input, structure=None, output=None):
    """Dask twin of ``ndimage.label``: lazy ``(labels, num_features)``,
    labels numbered exactly as the single-machine call numbers them."""
    if isinstance(output, (np.ndarray, da.Array)):
        raise TypeError("output must be None or a dtype for a dask input (an array "
                        f"cannot receive the lazy labels; got {type(output).__name__})")
    x = as_dask(input)
    _ndimage.label(_probe(x), structure, output)
    dt = np.dtype(np.intp if x.size >= 2**31 - 2 else np.int32) if output is None \
        else np.dtype(output)
    if dt.kind == "b":
        raise NotImplementedError("a bool output is not supported by the dask twin of "
                                  "ndimage.label (SciPy writes provisional label bytes)")
    if x.ndim == 0 or x.size == 0:
        return _split_whole(whole(_ndimage.label, x, structure, dt), x.shape, dt)
    st = _hops(x.ndim, 1) if structure is None else np.asarray(structure, bool)
    lab, count = components(x, ("binary", st), st, dt)
    return lab, scalar(count, int)


@twin(_measure.label)
def measure_label(label_image, background=None, return_num=False, connectivity=None):
    """Dask twin of ``measure.label``: lazy labels (and a lazy count with
    ``return_num``), numbered exactly as the single-machine call numbers
    them."""
    x = as_dask(label_image)
    _measure.label(_probe(x), background, False, connectivity)
    dt = np.dtype(np.int32) if x.dtype == bool else np.dtype(np.intp)
    if x.dtype == bool and x.size >= 2**31 - 2:
        dt = np.dtype(np.intp)
    if x.ndim == 0 or x.size == 0:
        res = whole(_measure.label, x, background, True, connectivity)
        return _split_whole(res, x.shape, dt, return_num)
    if x.dtype == bool:
        if background == 1:
            x = ~x
        st = _hops(x.ndim, x.ndim if connectivity is None else connectivity)
        lab, count = components(x, ("binary", st), st, dt)
    else:
        swaps = label_swaps(x.shape)
        xs = apply_label_swaps(x, swaps)
        conn = xs.ndim if connectivity is None else int(connectivity)
        st = _hops(xs.ndim, conn)
        lab, count = components(xs, ("values", background, conn), st, dt)
        for a, b in swaps[::-1]:
            lab = lab.swapaxes(a, b)
            break
    return (lab, scalar(count, int)) if return_num else lab


def _or_quirk(result, mask_low, mask_high):
    quirk = da.any(mask_high & ~mask_low)
    return result | (~mask_low & quirk)


@twin(_filters.apply_hysteresis_threshold)
def apply_hysteresis_threshold(image, low, high, *, connectivity=1):
    """Dask twin of ``filters.apply_hysteresis_threshold``: components of
    ``image > low`` joined across blocks, kept when they hold a pixel above
    ``high``."""
    x = as_dask(image)
    low, mask_low, mask_high = hysteresis_masks(x, low, high)
    if mask_low.ndim == 0:
        return array_of(whole(_filters.apply_hysteresis_threshold, x, low, high,
                              connectivity=connectivity), (), bool)
    st = _hops(mask_low.ndim, int(connectivity))
    result, _ = components(mask_low, ("binary", st), st, None, strong=mask_high & mask_low)
    return _or_quirk(result, mask_low, mask_high)


def _frame_block(block, block_info=None):
    """True on the pixels of this block that lie on the image's frame."""
    info = block_info[0]
    out = np.zeros(block.shape, bool)
    for d, ((lo, hi), n) in enumerate(zip(info["array-location"], info["shape"])):
        sl = [slice(None)] * block.ndim
        if lo == 0:
            sl[d] = slice(0, 1)
            out[tuple(sl)] = True
        if hi == n:
            sl[d] = slice(block.shape[d] - 1, block.shape[d])
            out[tuple(sl)] = True
    return out


@twin(_ndimage.binary_fill_holes)
def binary_fill_holes(input, structure=None, output=None, origin=0, *, axes=None,
                      workers=None):
    """Dask twin of ``ndimage.binary_fill_holes``: the background components
    (``structure``-connected, joined across blocks) that touch the frame are
    background, every other pixel is True.  A non-symmetric structure, a
    non-zero ``origin`` or ``axes`` run the single-machine function in one
    task."""
    if isinstance(output, (np.ndarray, da.Array)):
        raise TypeError("output must be None for a dask input (an array cannot receive "
                        f"the lazy result; got {type(output).__name__})")
    x = as_dask(input)
    _ndimage.binary_fill_holes(_probe(x), structure, None, origin, axes=axes)
    st = _hops(x.ndim, 1) if structure is None else np.asarray(structure, bool)
    simple = (axes is None and np.all(np.asarray(origin) == 0) and x.ndim > 0 and x.size > 0
              and st.shape == (3,) * x.ndim
              and np.array_equal(st, st[(slice(None, None, -1),) * st.ndim]))
    if not simple:
        return array_of(whole(_ndimage.binary_fill_holes, x, structure, None, origin,
                              axes=axes), x.shape, bool)
    background = x == 0
    frame = background.map_blocks(_frame_block, dtype=bool)
    outside, _ = components(background, ("binary", st), st, None, strong=frame & background)
    return ~outside
