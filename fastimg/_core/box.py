"""Full-box minimum / maximum of 1-D and 2-D integer images in one sweep
over the rows, shared by grey erosion / dilation and the minimum /
maximum filters.

SciPy runs a full box as ``minimum_filter1d`` / ``maximum_filter1d`` along
each axis, in doubles, each pass stored in the output dtype.  For integer
data of at most 32 bits (:data:`EXACT`: exact in a double) stored back
into their own dtype, the minimum / maximum of the integers themselves is
the same number whatever the order of the axes, and ``cval`` can be
replaced by the integer :func:`box_cval` gives, so the box runs on the
data in its own type (:func:`box_sweep`,
:func:`fastimg._core.box_kernels.box2d_rows`): borders read through index
maps, no padded copy, no intermediate image.
"""
from __future__ import annotations

import math

import numpy as np

from . import ndi_args
from .box_kernels import box2d_rows
from .dispatch import run

__all__ = ["EXACT", "box_cval", "box_sweep"]

#: integer dtypes whose every value a double holds exactly
EXACT = frozenset(np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16,
                                         np.uint32, np.int32))


def box_cval(dtype, cval: float, minimum: bool):
    """The value of ``dtype`` that, used as ``cval`` by the integer box,
    gives what SciPy's double passes store into ``dtype``; None when there
    is none (NaN, or a result SciPy's C cast would take out of range).

    Every window holds at least one pixel of the image (an origin keeps
    the window on its centre).  The C cast truncates toward zero, which is
    monotone, so the truncated extreme is the extreme of the truncated
    values: ``trunc(cval)`` serves when the dtype holds it.  A ``cval``
    beyond the dtype on the side the filter never picks (above the maximum
    for a minimum filter, below the minimum for a maximum filter) loses to
    every pixel, as the dtype's own limit does.
    """
    info = np.iinfo(dtype)
    if math.isnan(cval):
        return None
    if minimum and cval >= info.max:
        return dtype.type(info.max)
    if not minimum and cval <= info.min:
        return dtype.type(info.min)
    if not math.isfinite(cval):
        return None
    t = int(cval)
    if not info.min <= t <= info.max:
        return None
    return dtype.type(t)


def box_sweep(x, sizes, origins, modes, cval, minimum, out, workers):
    """``out`` = the minimum / maximum of the 1-D or 2-D C-contiguous
    ``x`` over a box of ``sizes`` with ``origins`` (SciPy's meaning) and
    the canonical ``modes`` (:func:`ndi_args.ndi_mode`), one per axis;
    ``cval`` (of ``x``'s dtype) for 'constant'.  ``out``: C-contiguous,
    ``x``'s dtype and shape, not overlapping ``x``."""
    x2 = x.reshape(1, -1) if x.ndim == 1 else x
    kh, kw = ([1] + list(sizes))[-2:]
    oh, ow = ([0] + list(origins))[-2:]
    mh, mw = (["nearest"] + list(modes))[-2:]
    rlo, clo = kh // 2 + oh, kw // 2 + ow
    rmap = ndi_args.extend_map(x2.shape[0], rlo, kh - 1 - rlo, mh)
    cmap = ndi_args.extend_map(x2.shape[1], clo, kw - 1 - clo, mw)
    # per pixel: about one vectorised row operation per comparison step
    steps = (min(kh, 3) - 1 if kh <= 3 else 2) + (min(kw, 3) - 1 if kw <= 3
                                                   else kw.bit_length())
    run(box2d_rows, (x2, rmap, cmap, kh, kw, clo, cval, bool(minimum),
                     out.reshape(x2.shape)),
        items=x2.shape[0], size=x2.size, cost=0.05 * (steps + 1), workers=workers)
    return out
