"""SciPy's argument rules of ``scipy.ndimage``'s rank filters that the
shared ``fastimg._core.ndi_args`` does not hold: a footprint, origins and
modes given for ``axes`` expanded to every axis, the footprint and origin
checks of ``_rank_filter`` / ``_min_or_max_filter``, the complex-input and
size-with-footprint rules.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .._core import ndi_args
from .._core.warn import warn_at_caller

__all__ = ["expand_footprint", "expand_origin", "expand_mode", "check_footprint_origins",
           "real_input", "warn_size"]


def expand_footprint(ndim, axes, footprint):
    if len(axes) < ndim:
        if footprint.ndim != len(axes):
            raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                               f"len(axes) ({len(axes)})")
        footprint = np.expand_dims(footprint, tuple(ax for ax in range(ndim) if ax not in axes))
    return footprint


def expand_origin(ndim, axes, origin):
    origins = ndi_args.normalize_sequence(origin, len(axes))
    if len(axes) < ndim:
        full = [0] * ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
        origins = full
    return origins


def expand_mode(ndim, axes, mode):
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        modes = ndi_args.normalize_sequence(mode, len(axes))
        full = ["constant"] * ndim
        for m, ax in zip(modes, axes):
            full[ax] = m
        return full
    return mode


def check_footprint_origins(footprint, origins, ndim, naxes):
    fshape = [s for s in footprint.shape if s > 0]
    if len(fshape) != ndim:
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                           f"len(axes) ({naxes})")
    out = []
    for origin, lenf in zip(origins, fshape):
        if (lenf // 2 + origin < 0) or (lenf // 2 + origin >= lenf):
            raise ValueError(f"invalid origin (got origin={origin!r} for a footprint"
                             f" of length {lenf})")
        out.append(ndi_args.as_c_int(origin, "origin"))
    return out


def real_input(input):
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError(f"Complex type not supported (got dtype {input.dtype})")
    return input


def warn_size(size, footprint):
    if size is not None and footprint is not None:
        warn_at_caller("ignoring size because footprint is set", UserWarning)
