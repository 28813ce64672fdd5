"""Public wrappers of the labels family: ``scipy.ndimage.label`` and
``find_objects`` (SciPy 1.17).

Rules reproduced from SciPy (``_measurements.py`` and ``_ni_label.pyx``):

* checks in SciPy's order: complex input, structure rank, structure sides,
  output shape / dtype, then (non-empty inputs only) structure symmetry
  (AssertionError) and the input and output dtypes its Cython code accepts
  (bool, 8- to 64-bit integers, float32, float64);
* labels are numbered by the first pixel of each component in SciPy's scan
  order: lines along the output's smallest positive stride (numpy's
  ``PyArray_IterAllButAxis`` rule), the other axes in C order;
* an output dtype too small for the *provisional* labels makes SciPy label
  again in int32 and cast: RuntimeError when a final label does not fit;
  a bool output receives the label bytes (SciPy writes through a uint8
  view).
"""
from __future__ import annotations

import functools
import operator
import sys

import numpy as np
import numpy.typing as npt

from .._core.dispatch import run
from . import kernels as K
from . import run_kernels as R

__all__ = ["label", "find_objects"]

#: dtypes SciPy's Cython labelling accepts (bool goes as uint8)
_LABEL_KINDS = {("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2), ("u", 4),
                ("u", 8), ("f", 4), ("f", 8), ("b", 1)}


def _label_dtype_ok(dt: np.dtype) -> bool:
    return (dt.kind, dt.itemsize) in _LABEL_KINDS


def _scan_axis(strides) -> int:
    """numpy's ``PyArray_IterAllButAxis`` choice for ``axis = -1``: the first
    non-zero stride seeds the minimum (axis 0 kept as its owner), then the
    first strictly smaller positive stride wins."""
    minaxis, minstride = 0, 0
    i = 0
    while minstride == 0 and i < len(strides):
        minstride = strides[i]
        i += 1
    for i in range(1, len(strides)):
        if 0 < strides[i] < minstride:
            minaxis, minstride = i, strides[i]
    return minaxis


def _backward_offsets(structure: np.ndarray, shape):
    """Coordinate steps and flat C offsets of the structure's cells before
    its centre (the neighbours already visited in scan order)."""
    nd = structure.ndim
    cells = np.argwhere(structure).astype(np.int64) - 1
    centre_rank = (structure.size - 1) // 2
    flat = np.ravel_multi_index(tuple((cells + 1).T), structure.shape) if cells.size else []
    keep = [k for k in range(len(cells)) if flat[k] < centre_rank]
    deltas = cells[keep].reshape(len(keep), nd)
    strides = np.ones(nd, np.int64)
    for d in range(nd - 2, -1, -1):
        strides[d] = strides[d + 1] * shape[d + 1]
    return np.ascontiguousarray(deltas), np.ascontiguousarray(deltas @ strides, np.int64)


def _run_structure(structure: np.ndarray):
    """:func:`_run_neighbours` of ``structure`` (cached by its cells)."""
    return _run_neighbours(structure.shape, structure.tobytes())


@functools.lru_cache(maxsize=64)
def _run_neighbours(shape, cells):
    """(lead offsets, smallest and largest column shift per offset) of the
    earlier rows the structure (symmetric, 3**n, n >= 1) reaches, when it
    joins a row's neighbours and reaches an interval of columns in each
    earlier row (the run labelling's rule); else None."""
    structure = np.frombuffer(cells, bool).reshape(shape)
    nd = structure.ndim
    centre = (1,) * (nd - 1)
    if not structure[centre + (0,)]:
        return None
    nbr, smin, smax = [], [], []
    for lead in np.ndindex(*structure.shape[:-1]):
        if lead >= centre:
            break          # C order: the earlier rows come first
        shifts = np.flatnonzero(structure[lead]) - 1
        if shifts.size:
            if shifts.size != shifts[-1] - shifts[0] + 1:
                return None
            nbr.append(np.array(lead) - 1)
            smin.append(shifts[0])
            smax.append(shifts[-1])
    return (np.array(nbr, np.int64).reshape(len(nbr), nd - 1),
            np.array(smin, np.int64), np.array(smax, np.int64))


#: Fewer runs than cells / MIN_RUN or the pixel scan: the runs take 32
#: bytes each (at most 4 a cell, as the pixel scan's forest), where a
#: pixel-sized pattern would have made half the cells runs
MIN_RUN = 8


def _label_runs(mask, neighbours, lab):
    """:func:`label_flat` by runs (:mod:`.run_kernels`); returns the count,
    or None (``lab`` untouched) when the runs are too short."""
    if mask.dtype.itemsize == 1 and mask.dtype.kind in "biu" and mask.flags.c_contiguous:
        x = mask.view(np.uint8)
    else:
        x = np.ascontiguousarray(mask != 0).view(np.uint8)
    ncols = x.shape[-1]
    rows = x.reshape(-1, ncols)
    nrows = rows.shape[0]
    words = sys.byteorder == "little" and ncols % 8 == 0 and rows.ctypes.data % 8 == 0
    nper = np.empty(nrows, np.int64)
    # want=1: runs of the non-zero (feature) cells
    run(R.count_row_runs, (rows, words, 1, nper), items=nrows, size=rows.size, cost=0.15)
    first = np.zeros(nrows + 1, np.int64)
    np.cumsum(nper, out=first[1:])
    nruns = int(first[-1])
    if nruns > rows.size // MIN_RUN:
        return None
    ra = np.empty(nruns, np.int64)
    rb = np.empty(nruns, np.int64)
    run(R.list_row_runs, (rows, words, 1, first, ra, rb), items=nrows, size=rows.size,
        cost=0.3)
    # the union-find: blocks of rows (in parallel when worth it), then the
    # rows joining two blocks on one thread; the numbering: one thread, in
    # order, in slices that return to Python (Ctrl-C)
    parent = np.empty(nruns, np.int64)  # roots set by the blocked pass
    pending = np.zeros(nrows, np.uint8)
    args = (np.array(x.shape[:-1], np.int64), *neighbours, first, ra, rb, parent, pending)
    run(R.join_runs, args + (True,), items=nrows, size=max(nruns, 1), cost=7.0)
    run(R.join_runs, args + (False,), items=nrows, size=max(nruns, 1), cost=7.0,
        n_threads=1)
    final = np.empty(nruns, lab.dtype)
    state = np.zeros(1, np.int64)
    run(R.number_runs, (parent, final, state), items=nruns, size=max(nruns, 1), cost=2.0,
        n_threads=1)
    run(R.write_runs, (first, ra, rb, final, lab.reshape(-1, ncols)), items=nrows,
        size=rows.size, cost=0.5)
    return int(state[0])


def label_flat(mask: np.ndarray, structure: np.ndarray, lab: np.ndarray, values=False,
               runs=True):
    """Label ``mask`` (nonzero: feature) with a symmetric 3**n
    ``structure``, scan order = C order, into ``lab`` (C-contiguous int32
    or intp, mask's shape).  With ``values`` (an int64 ``mask``), only
    neighbours of equal value connect.  Returns (count, provisional count);
    the provisional count is None when ``runs`` allows the run labelling
    and the structure suits it (it has no provisional labels per pixel)."""
    if runs and not values and mask.ndim >= 1:
        neighbours = _run_structure(structure)
        count = None if neighbours is None else _label_runs(mask, neighbours, lab)
        if count is not None:
            return count, None
    if values:
        fg = np.ascontiguousarray(mask, dtype=np.int64)
    else:
        # 0/1 bytes (a bool array may hold other non-zero bytes, e.g.
        # SciPy's label bytes written into a bool output)
        fg = np.ascontiguousarray(
            (mask.view(np.uint8) if mask.dtype == np.bool_ else mask) != 0).view(np.uint8)
    parent = np.empty(mask.size + 1, lab.dtype)
    s = structure
    # one thread, in order, in slices that return to Python (Ctrl-C):
    # consecutive slices equal one pass; state[0] carries the next label
    state = np.ones(1, np.int64)
    if mask.ndim == 2:
        if s.all():
            core, args = K.label_scan_2d_8, (fg, lab, parent, state)
        elif np.array_equal(s, _default_structure(2)):
            core, args = K.label_scan_2d_4, (fg, lab, parent, state)
        else:
            core, args = K.label_scan_2d, (fg, bool(s[0, 0]), bool(s[0, 1]), bool(s[0, 2]),
                                           bool(s[1, 0]), lab, parent, state)
        run(core, args, items=mask.shape[0], size=mask.size, cost=4.0, n_threads=1)
    else:
        shape = np.array(mask.shape, np.int64)
        deltas, off = _backward_offsets(structure, mask.shape)
        run(K.label_scan, (fg.reshape(-1), shape, deltas, off, lab.reshape(-1), parent, state),
            items=mask.size, size=mask.size, cost=4.0 + 2 * off.size, n_threads=1)
    nprov = int(state[0]) - 1
    final = np.zeros(nprov + 1, np.int64)
    state[0] = 0
    run(K.label_numbering, (parent, final, state), items=nprov, size=nprov, cost=4.0,
        n_threads=1)
    count = int(state[0])
    run(K.label_rewrite, (lab.reshape(-1), final), items=mask.size, size=mask.size,
        cost=2.0, n_threads=1)
    return count, nprov


def _default_structure(ndim):
    if ndim == 0:
        return np.array(True)
    s = np.zeros((3,) * ndim, bool)
    centre = (1,) * ndim
    s[centre] = True
    for d in range(ndim):
        for c in (0, 2):
            idx = list(centre)
            idx[d] = c
            s[tuple(idx)] = True
    return s


def label(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
          output: np.ndarray | npt.DTypeLike | None = None):
    """Label features in an array.

    Drop-in for :func:`scipy.ndimage.label` (SciPy 1.17).

    Parameters
    ----------
    input : array_like
        An array-like object to be labeled. Any non-zero values in `input`
        are counted as features and zero values are considered the
        background.
    structure : array_like, optional
        A structuring element that defines feature connections; symmetric,
        with every side 3. Default: connectivity 1 (no diagonals).
    output : (None, data-type, array_like), optional
        If a data-type, the labels are stored in a new array of that type;
        if an ndarray, it is filled with the labels and only the number of
        features is returned.

    Returns
    -------
    label : ndarray or int
        An integer ndarray where each unique feature in `input` has a
        unique label (1, 2 ... in scan order). Only returned when `output`
        is not an array.
    num_features : int
        How many objects were found. When `output` is an array, only this
        is returned.

    Notes
    -----
    Differences from :func:`scipy.ndimage.label`: none in results, label
    numbering or errors.  The components come from a two-pass union-find
    (earlier neighbours only, the smaller label as root) rather than
    SciPy's line-by-line merge table; both number components by their first
    pixel in SciPy's scan order.  When the output is an array aliasing the
    input, fastimg reads the whole input before writing.  A read-only
    `output` array raises ValueError (SciPy writes into it regardless).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 1, 1, 0], [0, 0, 0, 1], [1, 1, 0, 1]])
    >>> lab, n = ndimage.label(a)
    >>> n
    3
    >>> lab
    array([[0, 1, 1, 0],
           [0, 0, 0, 2],
           [3, 3, 0, 2]], dtype=int32)
    """
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError('Complex type not supported')
    if structure is None:
        structure = _default_structure(input.ndim)
    structure = np.asarray(structure, dtype=bool)
    if structure.ndim != input.ndim:
        raise RuntimeError('structure and input must have equal rank '
                           f'(got structure ndim {structure.ndim}, input ndim {input.ndim})')
    for ii in structure.shape:
        if ii != 3:
            raise ValueError('structure dimensions must be equal to 3 '
                             f'(got structure shape {structure.shape})')
    need_64bits = input.size >= (2**31 - 2)
    provided = isinstance(output, np.ndarray)
    if provided:
        if output.shape != input.shape:
            raise ValueError(f"output shape not correct (got {output.shape}, "
                             f"input shape {input.shape})")
    elif output is None:
        output = np.empty(input.shape, np.intp if need_64bits else np.int32)
    else:
        output = np.empty(input.shape, output)
    if input.ndim == 0 or input.size == 0:
        maxlabel = 0
        if input.ndim == 0:
            maxlabel = 1 if (input != 0) else 0
            output[...] = maxlabel
        return maxlabel if provided else (output, maxlabel)
    if not np.all(structure == structure[(np.s_[::-1],) * structure.ndim]):
        raise AssertionError("Structuring element is not symmetric")
    for what, dt in (("input", input.dtype), ("output", output.dtype)):
        if not _label_dtype_ok(dt):
            raise TypeError(f"No matching signature found (got {what} dtype {dt})")
        if not dt.isnative:
            raise ValueError("Big-endian buffer not supported on little-endian compiler "
                             f"(got {what} dtype {dt})")
    if not output.flags.writeable:
        # SciPy's Cython code writes through the read-only flag
        raise ValueError("output array is read-only (got a read-only output; SciPy "
                         "would write into it)")
    count = _label_into(input, structure, output)
    return count if provided else (output, count)


def _label_into(input, structure, output):
    axis = _scan_axis(output.strides)
    order = [d for d in range(input.ndim) if d != axis] + [axis]
    dt = output.dtype
    direct = (order == list(range(input.ndim)) and output.flags.c_contiguous
              and dt in (np.dtype(np.int32), np.dtype(np.intp)) and dt.isnative
              and not np.shares_memory(input, output))
    # the common case labels straight into the output (int32 / intp)
    out_t = np.transpose(output, order)
    lab = output if direct else np.empty(out_t.shape, np.int32 if input.size < 2**31 - 2
                                         else np.intp)
    # a bool output needs the pixel scan's provisional count
    count, nprov = label_flat(np.transpose(input, order), np.transpose(structure, order), lab,
                              runs=dt.kind != "b")
    if direct:
        return count
    if dt.kind == "b":
        # SciPy writes the labels through a uint8 view of a bool output
        if nprov + 1 <= 255:
            out_t.view(np.uint8)[...] = lab
            return count
        if count > 1:
            raise RuntimeError("insufficient bit-depth in requested output type "
                               f"(got {count} labels for a bool output)")
        out_t[...] = lab
        return count
    if dt.kind in "iu" and count > np.iinfo(dt).max:
        raise RuntimeError("insufficient bit-depth in requested output type "
                           f"(got {count} labels for output dtype {dt})")
    out_t[...] = lab
    return count


def find_objects(input: npt.ArrayLike, max_label: int = 0):
    """Find objects in a labeled array.

    Drop-in for :func:`scipy.ndimage.find_objects` (SciPy 1.17).

    Parameters
    ----------
    input : ndarray of ints
        Array containing objects defined by different labels. Labels with
        value 0 are ignored.
    max_label : int, optional
        Maximum label to be searched for in `input`. If max_label is not
        given (or < 1), the positions of all objects are returned.

    Returns
    -------
    object_slices : list of tuples
        A list of tuples, with each tuple containing N slices (with N the
        dimension of the input array). Slices correspond to the minimal
        parallelepiped that contains the object. If a number is missing,
        None is returned instead of a slice.

    Notes
    -----
    Differences from :func:`scipy.ndimage.find_objects`: none.  Float
    labels are truncated after subtracting one, as SciPy's C code does
    (0.5 counts as label 1).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 1, 1], [2, 0, 0], [2, 2, 0]])
    >>> ndimage.find_objects(a)
    [(slice(0, 1, None), slice(1, 3, None)), (slice(1, 3, None), slice(0, 2, None))]
    """
    input = np.asarray(input)
    if np.iscomplexobj(input):
        raise TypeError('Complex type not supported')
    if max_label < 1:
        max_label = input.max()
    max_label = max(operator.index(max_label), 0)
    dt = input.dtype
    if not ((dt.kind in "biu" and dt.itemsize <= 8) or (dt.kind == "f" and dt.itemsize in (4, 8))):
        raise RuntimeError(f"data type not supported (got input dtype {dt})")
    if max_label == 0:
        return []
    if input.ndim == 0:
        idx = _label_index(input.reshape(1))[0]
        return [() if i == idx else None for i in range(max_label)]
    regions = np.full((max_label, 2 * input.ndim), -1, np.int64)
    K.object_boxes(_label_index(input).reshape(-1), np.array(input.shape, np.int64), regions)
    nd = input.ndim
    return [tuple(slice(int(r[d]), int(r[d + nd])) for d in range(nd)) if r[0] >= 0 else None
            for r in regions]


def _label_index(x):
    """SciPy's ``(npy_intp)(value - 1)`` for every value (C order)."""
    x = np.asarray(x)
    if x.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            v = x.astype(x.dtype.newbyteorder("="), copy=False) - x.dtype.type(1)
            # truncation toward zero; NaN and out-of-range values are
            # undefined in C: they are dropped here
            ok = np.isfinite(v) & (np.abs(v) < 2.0**62)
            return np.where(ok, np.trunc(np.where(ok, v, -1)), -1).astype(np.int64)
    return np.ascontiguousarray(x).astype(np.int64) - 1
