"""SciPy's binary erosion primitive (``_binary_erosion`` of
``scipy/ndimage/_morphology.py`` and ``NI_BinaryErosion`` /
``NI_BinaryErosion2`` of its C code), which every binary operation of
``scipy.ndimage`` is written in.

One pass: ``out[p]`` is the AND (erosion) or, inverted, the OR (dilation,
structure already reflected) of ``input != 0`` over the structure's True
cells, cell ``j`` reading position ``p + j - (k // 2 + origin)``, positions
outside the image reading ``border_value != 0``; where ``mask`` is False
the output is ``input != 0``.  ``iterations`` passes (until nothing changes
when < 1) when the structure's centre is True are run as one pass and then
a breadth-first propagation of the changed pixels (what SciPy's coordinate
lists do); otherwise pass after pass, as SciPy does.
"""
from __future__ import annotations

import operator

import numpy as np

from .._core import ndi_args
from .._core.dispatch import run
from . import kernels
from .prepare import offsets, rowbase, window_widths

__all__ = ["erode", "generate_binary_structure", "check_data_type"]


def generate_binary_structure(rank, connectivity):
    """SciPy's rule: cells within ``connectivity`` unit steps of the centre
    of a ``3 ** rank`` cube (a 0-d True for rank < 1)."""
    if connectivity < 1:
        connectivity = 1
    if rank < 1:
        return np.array(True, dtype=bool)
    steps = np.fabs(np.indices([3] * rank) - 1)
    return np.add.reduce(steps, 0) <= connectivity


def check_data_type(arr, what):
    """The C code's type switches: RuntimeError for dtypes it does not read."""
    if arr.dtype.newbyteorder("=") not in ndi_args._NDI_TYPES:
        raise RuntimeError(f"data type not supported (got {what} dtype {arr.dtype})")


def _flip_origin(structure, origin):
    """SciPy's dilation: the structure reflected, the origin negated (minus
    one along even axes) so the same erosion code reads the mirror image."""
    structure = structure[tuple([slice(None, None, -1)] * structure.ndim)]
    # one origin per filtered axis, indexing the structure's shape (a
    # structure of another rank raises IndexError here, as in SciPy)
    origin = [-origin[ii] - (0 if structure.shape[ii] & 1 else 1)
              for ii in range(len(origin))]
    return structure, origin


def dilation_args(input, structure, origin, axes):
    """``binary_dilation``'s own steps before the primitive: default
    structure, the reflection and the origin per filtered axis."""
    input = np.asarray(input)
    axes = ndi_args.check_axes(axes, input.ndim)
    if structure is None:
        structure = generate_binary_structure(len(axes), 1)
    origin = ndi_args.normalize_sequence(origin, len(axes))
    structure, origin = _flip_origin(np.asarray(structure), origin)
    return input, structure, origin


def erode(input, structure, iterations, mask, output, border_value, origin, invert,
          brute_force, axes, workers=None):
    """SciPy's ``_binary_erosion``: its checks in its order, then the passes
    (``invert``: the dilation form).  Returns the output array."""
    try:
        iterations = operator.index(iterations)
    except TypeError:
        raise TypeError("iterations parameter should be an integer"
                        f" (got iterations={iterations!r})") from None
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError(f"Complex type not supported (got dtype {input.dtype})")
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    if structure is None:
        structure = generate_binary_structure(num_axes, 1)
    else:
        structure = np.asarray(structure, dtype=bool)
    if input.ndim > num_axes:
        if structure.ndim != num_axes:
            raise RuntimeError(f"structure.ndim ({structure.ndim}) must match "
                               f"len(axes) ({num_axes})")
        structure = np.expand_dims(structure, tuple(ax for ax in range(input.ndim)
                                                    if ax not in axes))
    if structure.ndim != input.ndim:
        raise RuntimeError("structure and input must have same dimensionality (got "
                           f"structure.ndim={structure.ndim}, input.ndim={input.ndim})")
    if structure.size < 1:
        raise RuntimeError(f"structure must not be empty (got shape {structure.shape})")
    if mask is not None:
        mask = np.asarray(mask)
        if mask.shape != input.shape:
            raise RuntimeError("mask and input must have equal sizes (got mask shape "
                               f"{mask.shape}, input shape {input.shape})")
    origins = ndi_args.normalize_sequence(origin, num_axes)
    if num_axes < input.ndim:
        full = [0] * input.ndim
        for o, ax in zip(origins, axes):
            full[ax] = o
        origins = full
    for o, k in zip(origins, structure.shape):
        # SciPy reads outside the structure (and crashes) below this bound
        if not isinstance(o, (str, bytes)) and k // 2 + o < 0:
            raise ValueError(f"invalid origin (got origin={o!r} for a structure of length {k})")
    cit = bool(structure[tuple(o + k // 2 for k, o in zip(structure.shape, origins))])
    if isinstance(output, np.ndarray):
        if np.iscomplexobj(output):
            raise TypeError(f"Complex output type not supported (got dtype {output.dtype})")
    else:
        output = bool
    output = ndi_args.get_output(output, input)
    # the C code's argument conversion and type switches, in its order
    ndi_args.check_writable(output)
    border = ndi_args.as_c_int(border_value, "border_value")
    if mask is not None:
        check_data_type(mask, "mask")
    check_data_type(input, "input")
    check_data_type(output, "output")
    origins = [ndi_args.as_c_int(o, "origin") for o in origins]
    if input.size == 0:
        return output
    bv = 1 if border else 0
    if input.ndim == 0:
        input, structure, origins = input.reshape(1), structure.reshape(1), [0]
    if (iterations < 1 and invert and bv == 1 and cit and not brute_force
            and mask is not None and not input.any()):
        # binary_fill_holes' call: how far the border reaches through the
        # mask, one flood instead of a first pass and a propagation
        output[...] = _reach_of_border(np.asarray(mask != 0).reshape(input.shape),
                                       structure, origins)
        return output
    if iterations == 1 and mask is None:
        # one pass: the padded bytes made straight from the input and, for
        # one-byte outputs, the kernel writing into the output itself
        direct = (output.dtype.itemsize == 1 and output.dtype.kind in "biu"
                  and output.flags.c_contiguous and not np.may_share_memory(input, output))
        out = output.view(np.uint8).reshape(input.shape) if direct else None
        out = _pass(input, structure, origins, bv, invert, None, workers, out)
        if not direct:
            output[...] = out.reshape(output.shape).view(bool)
        return output
    x = np.asarray(input != 0, dtype=np.uint8)
    keep = None if mask is None else np.asarray(mask != 0).reshape(x.shape)
    result = _pass(x, structure, origins, bv, invert, keep, workers)
    if iterations != 1:
        if cit and not brute_force:
            result = _propagate(x, result, structure, origins, invert, keep,
                                iterations - 1 if iterations > 1 else -1)
        else:
            done = 1
            while done < iterations or (iterations < 1 and not np.array_equal(result, x)):
                x, result = result, _pass(result, structure, origins, bv, invert, keep,
                                          workers)
                done += 1
    output[...] = result.reshape(output.shape).view(bool)
    return output


def _pass(x, structure, origins, bv, invert, keep, workers, out=None):
    """One erosion (or, inverted, dilation) pass of ``x != 0`` (into the
    uint8 ``out`` when given)."""
    if keep is None and x.ndim == 2 and x.dtype == np.bool_ and x.flags.c_contiguous:
        # a bool image's bytes read in place: no padded copy
        cells = np.argwhere(structure)
        lo = np.array([k // 2 + o for k, o in zip(structure.shape, origins)], np.int64)
        if out is None:
            out = np.empty(x.shape, np.uint8)
        run(kernels.binary_rows_2d, (x.view(np.uint8), cells[:, 0] - lo[0],
                                     cells[:, 1] - lo[1], bv, bool(invert), out),
            items=x.shape[0], size=x.size, cost=0.2 + 0.05 * len(cells), workers=workers)
        return out
    widths = window_widths(structure.shape, origins)
    P = np.full([n + a + b for n, (a, b) in zip(x.shape, widths)], bv, np.uint8)
    inner = tuple(slice(a, a + n) for n, (a, _) in zip(x.shape, widths))
    np.not_equal(x, 0, out=P[inner].view(bool))
    rb = rowbase(x.shape, P.shape)
    offs = offsets(structure, P.shape)
    if out is None:
        out = np.empty(x.shape, np.uint8)
    run(kernels.binary_rows, (P.reshape(-1), rb, offs, bool(invert),
                              out.reshape(-1, x.shape[-1])),
        items=rb.size, size=x.size, cost=0.2 + 0.05 * offs.size, workers=workers)
    if keep is not None:
        out = np.where(keep, out, x != 0)
    return out


def _propagate(x, first, structure, origins, invert, keep, generations):
    """More passes after the ``first`` as a breadth-first propagation of
    the pixels it changed (``generations < 0``: until nothing changes)."""
    # a frozen frame as wide as the structure: no neighbour index leaves it
    shape = [n + 2 * k for n, k in zip(x.shape, structure.shape)]
    S = np.zeros(shape, np.uint8)
    F = np.ones(shape, np.uint8)
    inner = tuple(slice(k, k + n) for k, n in zip(structure.shape, x.shape))
    rb = rowbase(x.shape, shape) + offsets(np.ones([1] * x.ndim, bool), shape,
                                           shift=[-k for k in structure.shape])[0]
    rows = (-1, x.shape[-1])
    has_keep = keep is not None
    kept = keep.reshape(rows) if has_keep else np.zeros((1, 1), bool)
    # every cell changes at most once: the queue never holds more
    queue = np.empty(S.size, np.int64)
    # (tail, end of the generation, generation, done): both kernels run
    # on one thread in order, in slices that return to Python (Ctrl-C)
    state = np.zeros(4, np.int64)
    first_rows = first.reshape(rows)
    run(kernels.propagation_seeds, (first_rows, x.reshape(rows), kept, has_keep,
                                    rb, S.reshape(-1), F.reshape(-1), queue, state),
        items=first_rows.shape[0], size=first.size, cost=2.0, n_threads=1)
    state[1] = state[0]
    old, new = (0, 1) if invert else (1, 0)
    lo = [k // 2 + o for k, o in zip(structure.shape, origins)]
    offs = offsets(structure, S.shape, shift=lo)
    # the work items are the queue's pops (at most one per cell)
    run(kernels.propagate, (S.reshape(-1), F.reshape(-1), queue, state, offs, old, new,
                            generations), items=queue.size, size=queue.size,
        cost=1.0 + offs.size, n_threads=1)
    return S[inner]


def _frame_band(shape, width):
    """Flat indices, in an array of ``shape`` framed ``2 * width`` wide on
    every side, of the frame cells within ``width`` of the inner box."""
    full = [n + 4 * w for n, w in zip(shape, width)]
    inner = [(2 * w, 2 * w + n) for n, w in zip(shape, width)]
    band = [(w, 3 * w + n) for n, w in zip(shape, width)]
    cells = []
    for d in range(len(shape)):
        for lo, hi in ((band[d][0], inner[d][0]), (inner[d][1], band[d][1])):
            # axes before d on their inner range: each cell listed once
            ranges = [np.arange(*inner[e]) if e < d else np.arange(*band[e])
                      for e in range(len(shape))]
            ranges[d] = np.arange(lo, hi)
            grid = np.meshgrid(*ranges, indexing="ij")
            cells.append(np.ravel_multi_index([g.ravel() for g in grid], full))
    return np.concatenate(cells).astype(np.int64)


def _reach_of_border(keep, structure, origins):
    """The cells of ``keep`` that the dilation of an empty image with border
    value 1, repeated until stable inside ``keep``, sets: a flood from a
    frame of set cells (SciPy's changed-pixel loop gives the same closure
    whenever the structure holds its centre)."""
    width = list(structure.shape)
    S = np.ones([n + 4 * w for n, w in zip(keep.shape, width)], np.uint8)
    inner = tuple(slice(2 * w, 2 * w + n) for n, w in zip(keep.shape, width))
    # 0: may change, 2: frozen by the mask
    np.left_shift(np.logical_not(keep).view(np.uint8), 1, out=S[inner])
    seeds = _frame_band(keep.shape, width)
    queue = np.empty(S.size, np.int32 if S.size < 2**31 else np.int64)
    queue[:seeds.size] = seeds
    lo = [k // 2 + o for k, o in zip(structure.shape, origins)]
    offs = offsets(structure, S.shape, shift=lo)
    # the work items are the queue's pops (at most one per cell), taken on
    # one thread in order, in slices that return to Python (Ctrl-C)
    run(kernels.flood_from_frame, (S.reshape(-1), queue, np.array([seeds.size], np.int64),
                                   offs), items=queue.size, size=queue.size,
        cost=1.0 + offs.size, n_threads=1)
    return S[inner] == 1
