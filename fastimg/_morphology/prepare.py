"""The data the morphology kernels read: padded inputs, row bases and the
flat offsets of a structure's cells."""
from __future__ import annotations

import numpy as np

from .._core import ndi_args

__all__ = ["pad", "rowbase", "offsets", "window_widths"]


def window_widths(shape, origins):
    """(before, after) extension per axis for a structure of ``shape``
    whose cell ``j`` reads input position ``i + j - (k // 2 + origin)``."""
    return [(k // 2 + o, k - 1 - k // 2 - o) for k, o in zip(shape, origins)]


def pad(x, widths, mode, c):
    """``x`` extended by the ndimage boundary rule ``mode`` (canonical name,
    :func:`fastimg._core.ndi_args.ndi_mode`), the constant ``c`` for
    'constant'; the index maps are SciPy's (:func:`ndi_args.extend_map`)."""
    if x.ndim and min(x.shape) > 0:
        return ndi_args.pad_once(x, widths, mode, c)
    out = x
    for axis, (a, b) in enumerate(widths):
        if a == 0 and b == 0:
            continue
        emap = ndi_args.extend_map(x.shape[axis], a, b, mode)
        if x.shape[axis] == 0:
            shape = list(out.shape)
            shape[axis] = a + b
            out = np.full(shape, c, dtype=x.dtype)
            continue
        out = np.take(out, np.where(emap < 0, 0, emap), axis=axis)
        if mode == "constant":
            idx = [slice(None)] * x.ndim
            idx[axis] = emap < 0
            out[tuple(idx)] = c
    return np.ascontiguousarray(out)


def _strides(shape):
    s = [1] * len(shape)
    for d in range(len(shape) - 2, -1, -1):
        s[d] = s[d + 1] * shape[d + 1]
    return s


def rowbase(shape, pshape):
    """Flat index in an array of shape ``pshape`` of the first element of
    every row (last axis) of an array of ``shape``, rows in C order."""
    ps = _strides(pshape)
    lead = shape[:-1]
    base = np.zeros(int(np.prod(lead, dtype=np.int64)), np.int64)
    if base.size == 0:
        return base
    grids = np.indices(lead, dtype=np.int64).reshape(len(lead), -1) if lead else None
    if grids is not None:
        for d in range(len(lead)):
            base += grids[d] * ps[d]
    return base


def offsets(structure, pshape, shift=None):
    """Flat offsets in an array of shape ``pshape`` of the True cells of
    ``structure`` (C order), each cell index minus ``shift`` (per axis)."""
    ps = _strides(pshape)
    idx = np.nonzero(structure)
    out = np.zeros(idx[0].shape if idx else (1,), np.int64)
    for d, i in enumerate(idx):
        out += (i.astype(np.int64) - (0 if shift is None else shift[d])) * ps[d]
    return out
