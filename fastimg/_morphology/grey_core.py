"""SciPy's grey erosion and dilation (``_min_or_max_filter`` of
``scipy/ndimage/_filters.py`` and ``NI_MinOrMaxFilter`` of its C code).

A full box (``size``, or a footprint of True cells only) without a
``structure`` is SciPy's separable minimum / maximum filter: integer data
run :mod:`fastimg._morphology.box` where it is exact, everything else the
rank family's public ``minimum_filter`` / ``maximum_filter``.  Every
other footprint, and every non-flat ``structure``, runs
:func:`fastimg._morphology.kernels.minmax_rows`, which copies the C code's
arithmetic cell by cell (see there), so NaN and integer wrap-around come
out as SciPy's.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np

from .._core import ndi_args
from .._core.cast import c_cast_numpy
from .._core.dispatch import run
from .._rank import maximum_filter, minimum_filter
from . import kernels
from .box import box_minmax
from .prepare import offsets, pad, rowbase, window_widths

__all__ = ["min_or_max", "flip_for_dilation"]


def flip_for_dilation(input, size, footprint, structure, origin, axes):
    """``grey_dilation``'s own steps: footprint and structure reflected, the
    origin negated (minus one along even axes)."""
    if structure is not None:
        structure = np.asarray(structure)
        structure = structure[tuple([slice(None, None, -1)] * structure.ndim)]
    if footprint is not None:
        footprint = np.asarray(footprint)
        footprint = footprint[tuple([slice(None, None, -1)] * footprint.ndim)]
    input = np.asarray(input)
    axes = ndi_args.check_axes(axes, input.ndim)
    origin = ndi_args.normalize_sequence(origin, len(axes))
    for ii in range(len(origin)):
        origin[ii] = -origin[ii]
        if footprint is not None:
            sz = footprint.shape[ii]
        elif structure is not None:
            sz = structure.shape[ii]
        elif np.isscalar(size):
            sz = size
        else:
            sz = size[ii]
        if not sz & 1:
            origin[ii] -= 1
    return input, footprint, structure, origin


def _bool_target(input, size, footprint, output, axes):
    """The bool array to fill when the separable passes write bools (None
    when they do not: no pass at all is NumPy's copy; or when the output is
    refused anyway)."""
    shape = np.shape(input)
    try:
        n_axes = len(ndi_args.check_axes(axes, len(shape)))
        sizes = (np.shape(footprint) if footprint is not None
                 else ndi_args.normalize_sequence(size, n_axes))
        if all(s <= 1 for s in sizes):
            return None
    except (TypeError, ValueError, RuntimeError):
        return None  # the separable filter raises its own error
    if output is None:
        dtype = getattr(input, "dtype", None)
        return np.zeros(shape, bool) if dtype == np.bool_ else None
    if output is bool or output is np.bool_:
        return np.zeros(shape, bool)
    if (isinstance(output, np.ndarray) and output.dtype == np.bool_
            and output.shape == shape and output.flags.writeable):
        return output
    return None


def min_or_max(input, size, footprint, structure, output, mode, cval, origin, minimum,
               axes, workers=None):
    """SciPy's ``_min_or_max_filter``: its checks in its order, then the
    separable passes or the cell-by-cell kernel."""
    if structure is None:
        box = footprint is None
        if not box:
            fp = np.asarray(footprint, dtype=bool)
            box = fp.any() and fp.all()
        if box:
            fast = box_minmax(input, size, footprint, output, mode, cval, origin, minimum,
                              axes, workers)
            if fast is not None:
                return fast
            # SciPy's separable filters; they warn about size and check it
            f = minimum_filter if minimum else maximum_filter
            target = _bool_target(input, size, footprint, output, axes)
            if target is None:
                return f(input, size, footprint, output, mode, cval, origin, axes=axes,
                         workers=workers)
            # a bool output holds the byte SciPy's C cast stores, as a uint8
            # output would (the separable filters store True there); bool
            # data are read as their bytes, as SciPy reads them
            if isinstance(input, np.ndarray) and input.dtype == np.bool_:
                input = input.view(np.uint8)
            raw = f(input, size, footprint, np.zeros(target.shape, np.uint8), mode, cval,
                    origin, axes=axes, workers=workers)
            target.view(np.uint8)[...] = raw
            return target
    if size is not None and footprint is not None:
        warnings.warn("ignoring size because footprint is set", UserWarning, stacklevel=4)
    if structure is None:
        footprint = np.asarray(footprint, dtype=bool)
        if not footprint.any():
            raise ValueError("All-zero footprint is not supported."
                             f" (got a footprint of shape {footprint.shape})")
    else:
        structure = np.asarray(structure, dtype=np.float64)
        if footprint is None:
            footprint = np.ones(structure.shape, bool)
        else:
            footprint = np.asarray(footprint, dtype=bool)
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError(f"Complex type not supported (got dtype {input.dtype})")
    output = ndi_args.get_output(output, input)
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    if num_axes < input.ndim:
        if footprint.ndim != num_axes:
            raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                               f"len(axes) ({num_axes})")
        footprint = np.expand_dims(footprint, tuple(ax for ax in range(input.ndim)
                                                    if ax not in axes))
    origins = ndi_args.normalize_sequence(origin, num_axes)
    if num_axes < input.ndim:
        full = [0] * input.ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
        origins = full
    fshape = [k for k in footprint.shape if k > 0]
    if len(fshape) != input.ndim:
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match "
                           f"len(axes) ({num_axes})")
    for o, k in zip(origins, fshape):
        if (k // 2 + o < 0) or (k // 2 + o >= k):
            raise ValueError(f"invalid origin (got origin={o!r} for a footprint of "
                             f"length {k})")
    if structure is not None:
        if structure.ndim != num_axes:
            raise RuntimeError("structure array has incorrect shape (got structure.ndim="
                               f"{structure.ndim} for {num_axes} axes)")
        structure = np.expand_dims(structure, tuple(ax for ax in range(structure.ndim)
                                                     if ax not in axes))
        if structure.size != footprint.size:
            # SciPy's C code would read past the structure's values
            raise RuntimeError("structure array has incorrect shape (got structure shape "
                               f"{structure.shape} for a footprint of shape "
                               f"{footprint.shape})")
        if not footprint.any():
            # SciPy's C code reads an unset value for an empty footprint
            raise ValueError("All-zero footprint is not supported."
                             f" (got a footprint of shape {footprint.shape})")
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError("A sequence of modes is not supported for non-separable "
                           f"footprints (got mode={mode!r})")
    mode = ndi_args.ndi_mode(mode)
    ndi_args.check_writable(output)
    cval = ndi_args.as_cval(cval)
    origins = [ndi_args.as_c_int(o, "origin") for o in origins]
    ndi_args.check_ndi_dtype(input, False)
    ndi_args.check_ndi_dtype(output, False)
    if input.size == 0:
        return output
    vals = _cells(input, footprint, structure, origins, mode, cval, minimum, workers)
    odt = output.dtype.newbyteorder("=")
    if odt == vals.dtype or odt == np.float64:
        output[...] = vals  # exact: the same values, or floats of them
    else:
        output[...] = c_cast_numpy(vals.astype(np.float64), odt, safe_unsigned=True)
    return output


def _cells(input, footprint, structure, origins, mode, cval, minimum, workers):
    """The C loop over the footprint's True cells: float64 results with a
    structure, results in the input's dtype without one (the values the C
    code's double holds)."""
    dt = input.dtype.newbyteorder("=")
    x = np.ascontiguousarray(input, dtype=dt)
    if dt == np.bool_:
        x, dt = x.view(np.uint8), np.dtype(np.uint8)
    if x.ndim == 0:
        x, footprint, origins = x.reshape(1), footprint.reshape(1), [0]
        structure = None if structure is None else structure.reshape(1)
    # the C code casts cval and the structure values to the input type
    cv = np.array([cval]).astype(dt) if dt.kind == "f" else c_cast_numpy(
        np.array([cval]), dt)
    widths = window_widths(footprint.shape, origins)
    P = pad(x, widths, mode, cv[0])
    rb = rowbase(x.shape, P.shape)
    offs = offsets(footprint, P.shape)
    out = np.empty(x.shape, np.float64 if structure is not None else dt)
    rows = out.reshape(-1, x.shape[-1])
    if structure is None:
        run(kernels.flat_minmax_rows, (P.reshape(-1), rb, offs, bool(minimum), rows),
            items=rb.size, size=x.size, cost=0.3 * offs.size, workers=workers)
        # (bool data stay bytes: the C code stores a bool's byte value)
        return out.reshape(input.shape)
    # the C code pairs the footprint's True cells with the structure's
    # values in flat C order, whatever the two shapes
    ss = structure.reshape(-1)[footprint.reshape(-1)] * (-1.0 if minimum else 1.0)
    sst = ss.astype(dt) if dt.kind == "f" else c_cast_numpy(ss, dt)
    run(kernels.minmax_rows, (P.reshape(-1), rb, offs, ss, sst, bool(minimum), rows),
        items=rb.size, size=x.size, cost=0.5 * offs.size, workers=workers)
    return out.reshape(input.shape)
