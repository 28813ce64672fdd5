"""Connected components of a binary image as runs along its last axis:
``binary_fill_holes`` with a ``generate_binary_structure`` connectivity
(holes: the background components that do not reach the border) and the
boolean ``remove_small_objects`` / ``remove_small_holes``.

The runs are listed by :mod:`fastimg._core.row_run_kernels` (rows in
parallel blocks, eight bytes per test), joined by a union-find over runs (blocks
of rows, then the rows between blocks; the smaller run stays the root),
and the result is written by rows in parallel.  Every serial pass runs in slices
that return to Python (Ctrl-C).  At 4096x4096 (a thresholded photograph,
0.26 M runs, one thread) hole filling took 7.5 ms where the queue flood
from the frame took 30 ms (measured); images of runs shorter than
:data:`MIN_RUN` cells keep the flood (memory).
"""
from __future__ import annotations

import functools
import sys

import numpy as np

from .._core.dispatch import run
from . import binary_run_kernels, run_kernels
from .binary_core import generate_binary_structure

__all__ = ["run_neighbours", "connectivity_of", "fill_holes_fast", "remove_small_runs"]


@functools.lru_cache(maxsize=64)
def run_neighbours(ndim, connectivity):
    """(lead offsets, smallest and largest column shift per offset) of the
    earlier rows the structure of ``connectivity`` reaches, for the run
    kernels; None when the structure does not join cells along the last
    axis (connectivity < 1) or the input is 0-D.  Cached (building it
    cost 40 us a call); the arrays are never written."""
    if ndim == 0:
        return None
    structure = generate_binary_structure(ndim, connectivity)
    centre = (1,) * ndim
    if not (structure[centre[:-1] + (0,)] and structure[centre[:-1] + (2,)]):
        return None
    nbr, smin, smax = [], [], []
    for lead in np.ndindex(*structure.shape[:-1]):
        if lead >= centre[:-1]:
            break          # C order: the earlier rows come first
        shifts = np.flatnonzero(structure[lead]) - 1
        if shifts.size:
            nbr.append(np.array(lead) - 1)
            smin.append(shifts.min())
            smax.append(shifts.max())
    return (np.array(nbr, np.int64).reshape(len(nbr), ndim - 1),
            np.array(smin, np.int64), np.array(smax, np.int64))


def connectivity_of(structure, ndim):
    """``c`` when ``structure`` (None: connectivity 1) equals
    ``generate_binary_structure(ndim, c)`` for some ``1 <= c <= ndim``,
    else None."""
    if structure is None:
        return 1
    s = np.asarray(structure)
    if s.dtype.kind not in "biuf" or s.shape != (3,) * ndim:
        return None
    s = s != 0
    for c, known in enumerate(_structures(ndim), 1):
        if np.array_equal(s, known):
            return c
    return None


@functools.lru_cache(maxsize=16)
def _structures(ndim):
    return [generate_binary_structure(ndim, c) for c in range(1, ndim + 1)]


#: Fewer runs than cells / MIN_RUN or the queue flood: 25 bytes a run
#: (three int64 and a byte), at most about 3 bytes a cell, where a
#: pixel-sized pattern would have made half the cells runs (12 bytes a cell)
MIN_RUN = 8


def _runs(rows, want, workers, bounded=False):
    """(first, ra, rb) of the runs of ``(rows != 0) == want`` (rows,
    ncols), uint8 C-contiguous; None when ``bounded`` and they are more
    than one per :data:`MIN_RUN` cells."""
    nrows, ncols = rows.shape
    words = (sys.byteorder == "little" and ncols % 8 == 0 and rows.ctypes.data % 8 == 0)
    nper = np.empty(nrows, np.int64)
    run(binary_run_kernels.count_row_runs, (rows, words, want, nper), items=nrows,
        size=rows.size, cost=0.15, workers=workers)
    first = np.zeros(nrows + 1, np.int64)
    np.cumsum(nper, out=first[1:])
    nruns = int(first[-1])
    if bounded and nruns > rows.size // MIN_RUN:
        return None
    ra = np.empty(nruns, np.int64)
    rb = np.empty(nruns, np.int64)
    run(binary_run_kernels.list_row_runs, (rows, words, want, first, ra, rb), items=nrows,
        size=rows.size, cost=0.3, workers=workers)
    return first, ra, rb


def _join(rows, lead_shape, connectivity, want, workers, bounded=False):
    """The runs and their union-find forest (parents no larger than their
    runs); None as :func:`_runs` says."""
    runs = _runs(rows, want, workers, bounded)
    if runs is None:
        return None
    first, ra, rb = runs
    nruns = ra.size
    parent = np.empty(nruns, np.int64)  # roots set by the blocked pass
    pending = np.zeros(rows.shape[0], np.uint8)
    args = (lead_shape, *run_neighbours(len(lead_shape) + 1, connectivity), first, ra, rb,
            parent, pending)
    # blocks of rows (in parallel when worth it), then the rows joining two
    # blocks on one thread
    run(binary_run_kernels.join_row_runs, args + (True,), items=rows.shape[0],
        size=max(nruns, 1), cost=7.0, workers=workers)
    run(binary_run_kernels.join_row_runs, args + (False,), items=rows.shape[0],
        size=max(nruns, 1), cost=7.0, n_threads=1)
    return first, ra, rb, parent


def _zero_origin(origin, ndim):
    if isinstance(origin, (int, np.integer)) and not isinstance(origin, bool):
        return origin == 0
    if isinstance(origin, (tuple, list)) and len(origin) == ndim:
        return all(isinstance(o, (int, np.integer)) and not isinstance(o, bool) and o == 0
                   for o in origin)
    return False


def fill_holes_fast(input, structure, output, origin, axes, workers):
    """``binary_fill_holes`` by runs when the call is the common one (a
    real non-empty array, a ``generate_binary_structure`` connectivity, no
    origin or axes, no output or a writable bool one): the filled bool
    array (``output`` when given), else None (the general path then, with
    SciPy's checks and errors, and the queue flood for images of very
    short runs)."""
    if (input.ndim < 1 or input.size == 0 or input.dtype.kind not in "biuf"
            or axes is not None or not _zero_origin(origin, input.ndim)):
        return None
    connectivity = connectivity_of(structure, input.ndim)
    if connectivity is None:
        return None
    if output is not None and not (isinstance(output, np.ndarray) and output.dtype == bool
                                   and output.shape == input.shape
                                   and output.flags.writeable):
        return None
    if input.dtype.itemsize == 1 and input.flags.c_contiguous:
        x = input.view(np.uint8)
    else:
        x = np.ascontiguousarray(input != 0).view(np.uint8)
    direct = (output is not None and output.flags.c_contiguous
              and not np.may_share_memory(output, input))
    res = output if direct else np.empty(input.shape, bool)
    if _fill_holes_runs(x, connectivity, res.view(np.uint8), workers) is None:
        return None
    if output is not None and not direct:
        output[...] = res
        return output
    return res


def _fill_holes_runs(x, connectivity, out, workers):
    """``binary_fill_holes`` of the C-contiguous bytes ``x`` (ndim >= 1,
    non-empty, non-zero: True) with the structure of ``connectivity``, into
    the C-contiguous uint8 array ``out`` of the same shape: the background
    components reaching the image's border stay 0, all else is 1.  None
    (``out`` untouched) when the runs are too short (:data:`MIN_RUN`)."""
    ncols = x.shape[-1]
    rows = x.reshape(-1, ncols)
    lead_shape = np.array(x.shape[:-1], np.int64)
    joined = _join(rows, lead_shape, connectivity, 0, workers, bounded=True)
    if joined is None:
        return None
    first, ra, rb, parent = joined
    touched = np.zeros(ra.size, np.uint8)
    run(binary_run_kernels.flatten_border, (lead_shape, first, ra, rb, ncols, parent, touched),
        items=rows.shape[0], size=max(ra.size, 1), cost=3.0, n_threads=1)
    run(binary_run_kernels.write_filled, (first, ra, rb, parent, touched,
                                   out.reshape(-1, ncols)),
        items=rows.shape[0], size=x.size, cost=0.3, workers=workers)
    return out


def remove_small_runs(rows, lead_shape, connectivity, max_size, workers=None):
    """Zero the cells of the components of ``rows`` (0 / 1 bytes, (rows,
    ncols), rows arranged in ``lead_shape``) with at most ``max_size``
    cells, connected as the structure of ``connectivity``."""
    first, ra, rb, parent = _join(rows, lead_shape, connectivity, 1, workers)
    size = np.zeros(ra.size, np.int64)
    run(run_kernels.run_sizes, (parent, ra, rb, size), items=ra.size, size=ra.size,
        cost=5.0, n_threads=1)
    # parents point at roots now: rows are independent
    run(run_kernels.clear_small_runs, (first, ra, rb, parent, size, max_size, rows),
        items=rows.shape[0], size=rows.size, cost=0.3, workers=workers)
