"""Public wrappers of the distance transforms: ``scipy.ndimage``'s
distance_transform_edt and distance_transform_cdt (SciPy 1.17).

Rules reproduced from SciPy (``_morphology.py`` and ``ni_morphology.c``):

* argument checks and their messages and order (``return_*`` flags
  first; output arrays checked where SciPy checks them, the EDT's
  ``distances`` after the transform);
* EDT: feature = zero input (``np.where(input, 1, 0)``, a 0-d input is
  treated as 1-D); pixels of an image without features keep
  ``indices[0] = -1`` and the other rows as they were (zeros, or what the
  caller's ``indices`` held);
* CDT: the metric's raw bytes are read as booleans (SciPy reads the
  array's memory as ``npy_bool``: an integer or float metric is not its
  values), only the first ``metric.size // 2`` of them; feature indices are
  carried as flat indices and unravelled at the end.
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core.ndi_args import normalize_sequence
from .._core.dispatch import run
from . import distance_kernels as DK
from . import distance_sq_kernels as DS

__all__ = ["distance_transform_edt", "distance_transform_cdt"]


def _arg_check(dt_inplace, ft_inplace, return_distances, return_indices):
    msgs = []
    if not return_distances and not return_indices:
        msgs.append('at least one of return_distances/return_indices must be True')
    if dt_inplace and not return_distances:
        msgs.append('return_distances must be True if distances is supplied')
    if ft_inplace and not return_indices:
        msgs.append('return_indices must be True if indices is supplied')
    if msgs:
        raise RuntimeError(', '.join(msgs))


def _results(dt, ft, return_distances, return_indices, dt_inplace, ft_inplace):
    out = []
    if return_distances and not dt_inplace:
        out.append(dt)
    if return_indices and not ft_inplace:
        out.append(ft)
    if len(out) == 2:
        return tuple(out)
    return out[0] if out else None


def distance_transform_edt(input: npt.ArrayLike, sampling=None, return_distances: bool = True,
                           return_indices: bool = False, distances: np.ndarray | None = None,
                           indices: np.ndarray | None = None):
    """Exact Euclidean distance transform.

    Drop-in for :func:`scipy.ndimage.distance_transform_edt` (SciPy 1.17).

    Parameters
    ----------
    input : array_like
        Input data to transform. Can be any type but will be converted into
        binary: 1 wherever input equates to True, 0 elsewhere.
    sampling : float, or sequence of float, optional
        Spacing of elements along each dimension. If a sequence, must be of
        length equal to the input rank; if a single number, this is used for
        all axes. If not specified, a grid spacing of unity is implied.
    return_distances : bool, optional
        Whether to calculate the distance transform. Default is True.
    return_indices : bool, optional
        Whether to calculate the feature transform. Default is False.
    distances : float64 ndarray, optional
        An output array to store the calculated distance transform, instead
        of returning it. `return_distances` must be True. It must be the
        same shape as `input`.
    indices : int32 ndarray, optional
        An output array to store the calculated feature transform, instead
        of returning it. `return_indicies` must be True. Its shape must be
        ``(input.ndim,) + input.shape``.

    Returns
    -------
    distances : float64 ndarray, optional
        The calculated distance transform. Returned only when
        `return_distances` is True and `distances` is not supplied.
    indices : int32 ndarray, optional
        The calculated feature transform (for each axis, the index of the
        nearest background element). Returned only when `return_indices`
        is True and `indices` is not supplied.

    Notes
    -----
    Differences from :func:`scipy.ndimage.distance_transform_edt`: none in
    results.  fastimg runs SciPy's algorithm (Maurer et al.'s feature
    transform, axis after axis) with its float64 arithmetic in the same
    order, so where two features are equally near the same one is chosen,
    and computes the distances from the indices in one pass instead of
    through a (rank, ...) float64 temporary.  For the distances alone of a
    2-D image with unit spacing (every distance then the square root of an
    integer) it skips the indices: integer squared distances, columns then
    rows, split over the threads (``fastimg.set_num_threads``).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 1, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1]])
    >>> ndimage.distance_transform_edt(a)
    array([[0.        , 1.        , 2.        , 2.82842712],
           [0.        , 1.        , 1.41421356, 2.23606798],
           [0.        , 0.        , 1.        , 2.        ]])
    """
    ft_inplace = isinstance(indices, np.ndarray)
    dt_inplace = isinstance(distances, np.ndarray)
    _arg_check(dt_inplace, ft_inplace, return_distances, return_indices)
    mask = _feature_mask(input)
    rank = mask.ndim
    samp = np.ones(rank, np.float64)
    if sampling is not None:
        samp = np.ascontiguousarray(normalize_sequence(sampling, rank), dtype=np.float64)
    if not return_indices and rank == 2 and np.all(samp == 1.0) and max(mask.shape) <= 1 << 20:
        dt = _edt_2d_unit(mask)
        if dt is not None:
            if dt_inplace:
                _check_distances(distances, dt)
                distances[...] = dt
            return _results(dt, None, True, False, dt_inplace, False)
    if ft_inplace:
        if indices.shape != (rank,) + mask.shape:
            raise RuntimeError('indices array has wrong shape '
                               f'(got {indices.shape}, expected {(rank,) + mask.shape})')
        if indices.dtype.type != np.int32:
            raise RuntimeError(f'indices array must be int32 (got {indices.dtype})')
        if not indices.flags.writeable:
            raise ValueError("output array is read-only. (got a read-only indices array)")
        ft = np.ascontiguousarray(indices, dtype=np.int32).reshape(rank, -1).copy()
    else:
        ft = np.zeros((rank, mask.size), np.int32)
    shape = np.array(mask.shape, np.int64)
    if mask.size:
        fg = mask.reshape(-1).view(np.uint8)
        # the sweeps along axis 0 on one thread, in slices that return to
        # Python (Ctrl-C): they carry their state across slices, so
        # consecutive slices equal one pass
        n0, size = mask.shape[0], mask.size
        if _monotonic_axis0(samp, n0):
            inner = size // n0
            run(DK.edt_first_down, (fg, inner, ft, np.full(inner, -1, np.int64)),
                items=n0, size=size, cost=2.0, n_threads=1)
            run(DK.edt_first_up, (fg, shape, ft, np.full(inner, -1, np.int64)),
                items=n0, size=size, cost=4.0, n_threads=1)
        else:
            run(DK.edt_init, (fg, shape, ft), items=size, size=size, cost=3.0, n_threads=1)
            run(DK.edt_axis, (ft, shape, 0, samp), items=1, size=size, cost=30.0,
                n_threads=1)
        if rank == 2:
            # rows are independent: split over the threads
            run(DK.edt_rows_2d, (ft, shape[0], shape[1], samp[0], samp[1]), items=n0,
                size=size, cost=30.0)
        for d in range(1, rank if rank != 2 else 1):
            run(DK.edt_axis, (ft, shape, d, samp), items=int(np.prod(shape[:d])),
                size=size, cost=30.0, n_threads=1)
    ft_nd = ft.reshape((rank,) + mask.shape)
    if ft_inplace:
        indices[...] = ft_nd
        ft_nd = indices
    dt = None
    if return_distances:
        dt = np.empty(mask.shape, np.float64)
        run(DK.edt_distances, (ft, shape, samp, dt.reshape(-1)), items=dt.size,
            size=dt.size, cost=3.0)
        if dt_inplace:
            _check_distances(distances, dt)
            distances[...] = dt
    return _results(dt, ft_nd, return_distances, return_indices, dt_inplace, ft_inplace)


def _check_distances(distances, dt):
    if distances.shape != dt.shape:
        raise RuntimeError('distances array has wrong shape '
                           f'(got {distances.shape}, expected {dt.shape})')
    if distances.dtype.type != np.float64:
        raise RuntimeError(f'distances array must be float64 (got {distances.dtype})')
    if not distances.flags.writeable:
        raise ValueError("output array is read-only (got a read-only distances array)")


def _feature_mask(input):
    """SciPy's ``np.where(input, 1, 0)`` as 0/1 int8 (at least 1-D), without
    its int64 temporary for the usual bool and numeric arrays (``!= 0`` is
    the truth value there, NaN included)."""
    if isinstance(input, np.ndarray) and input.dtype.kind in "biuf":
        if input.dtype.kind == "b":
            # (a read-only view would compile the kernels once more)
            mask = input if input.flags.writeable else input.copy()
            mask = np.ascontiguousarray(mask).view(np.int8)
        else:
            mask = (input != 0).view(np.int8)
        return np.atleast_1d(mask)
    return np.atleast_1d(np.where(input, 1, 0).astype(np.int8))


def _edt_2d_unit(mask):
    """The distances of a 2-D 0/1 mask with unit spacing from integer
    squared distances (:mod:`.distance_sq_kernels`): column pass over strips of
    columns, then rows, each split over the threads; None when the mask
    has no feature (SciPy's distances then come from its ``-1`` indices)."""
    h, w = mask.shape
    if h == 0 or w == 0:
        return None
    fg = mask.view(np.uint8)
    g = np.empty((h, w), np.int32)
    run(DS.edt_sq_columns, (fg, g), items=w, size=mask.size, cost=1.5, min_items=64)
    if g[0].min() >= 1 << 30:   # a column with a feature is finite on every row
        # (an empty call still compiles the row kernel: a first call on a
        # featureless corner, as the background compile makes, warms it)
        DS.edt_sq_rows(g[:0], np.empty((0, w)), 0, 0)
        return None
    dt = np.empty((h, w), np.float64)
    run(DS.edt_sq_rows, (g, dt), items=h, size=mask.size, cost=8.0)
    return dt


def _monotonic_axis0(samp, n0):
    """Whether SciPy's axis-0 pass is "nearest feature of the column, upper
    on a tie": squared distances ``(k * sampling[0]) ** 2`` strictly
    increase with k (normal, finite) and the other spacings are finite."""
    s0 = float(samp[0])
    return bool(np.all(np.isfinite(samp))) and 1e-150 < s0 < 1e150 / max(n0, 1)


def _metric(metric, rank):
    if isinstance(metric, str):
        if metric in ['taxicab', 'cityblock', 'manhattan']:
            conn = 1
        elif metric == 'chessboard':
            conn = rank
        else:
            raise ValueError(f'invalid metric provided (got {metric!r})')
        grid = np.indices((3,) * rank).reshape(rank, -1) if rank else np.zeros((0, 1), int)
        return (np.abs(grid - 1).sum(0) <= conn).reshape((3,) * rank)
    try:
        metric = np.asarray(metric)
    except Exception as e:
        raise ValueError('invalid metric provided') from e
    for s in metric.shape:
        if s != 3:
            raise ValueError(f'metric sizes must be equal to 3 (got shape {metric.shape})')
    return metric


def _footprint(metric, rank):
    """Steps to the neighbours SciPy's one pass reads: the non-zero bytes
    among the first ``size // 2`` of the metric's C-ordered memory."""
    if metric.ndim != rank:
        # SciPy reads past the metric (undefined, it may crash)
        raise RuntimeError(f'metric and input must have equal rank '
                           f'(got metric ndim {metric.ndim}, input ndim {rank})')
    m = np.ascontiguousarray(metric)
    if not m.dtype.isnative:
        m = m.astype(m.dtype.newbyteorder("="))
    raw = np.frombuffer(m.tobytes(), np.uint8)[: m.size // 2]
    cells = np.array([np.unravel_index(j, m.shape) for j in np.flatnonzero(raw)],
                     np.int64).reshape(-1, rank) - 1
    return cells


def distance_transform_cdt(input: npt.ArrayLike, metric='chessboard',
                           return_distances: bool = True, return_indices: bool = False,
                           distances: np.ndarray | None = None,
                           indices: np.ndarray | None = None):
    """Distance transform for chamfer type of transforms.

    Drop-in for :func:`scipy.ndimage.distance_transform_cdt` (SciPy 1.17).

    Parameters
    ----------
    input : array_like
        Input. Values of 0 are treated as background.
    metric : {'chessboard', 'taxicab'} or array_like, optional
        The `metric` determines the type of chamfering that is done
        ('cityblock' and 'manhattan' are aliases of 'taxicab'); an array
        must have every side 3 (SciPy reads its memory as booleans).
    return_distances : bool, optional
        Whether to calculate the distance transform. Default is True.
    return_indices : bool, optional
        Whether to calculate the feature transform. Default is False.
    distances : int32 ndarray, optional
        An output array to store the calculated distance transform, instead
        of returning it. `return_distances` must be True. It must be the
        same shape as `input`.
    indices : int32 ndarray, optional
        An output array to store the calculated feature transform, instead
        of returning it. `return_indicies` must be True. Its shape must be
        ``(input.ndim,) + input.shape``.

    Returns
    -------
    distances : int32 ndarray, optional
        The calculated distance transform (-1 where no background exists).
    indices : int32 ndarray, optional
        The calculated feature transform.

    Notes
    -----
    Differences from :func:`scipy.ndimage.distance_transform_cdt`: none in
    results; a metric whose rank differs from the input's raises
    RuntimeError (SciPy reads out of bounds there); a non-contiguous
    `indices` array is filled (SciPy 1.17 leaves it untouched).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 1, 1, 1], [1, 1, 1, 1]])
    >>> ndimage.distance_transform_cdt(a, metric='taxicab')
    array([[0, 1, 2, 3],
           [1, 2, 3, 4]], dtype=int32)
    """
    ft_inplace = isinstance(indices, np.ndarray)
    dt_inplace = isinstance(distances, np.ndarray)
    _arg_check(dt_inplace, ft_inplace, return_distances, return_indices)
    input = np.asarray(input)
    metric = _metric(metric, input.ndim)
    if dt_inplace:
        if distances.dtype.type != np.int32:
            raise ValueError(f'distances must be of int32 type (got {distances.dtype})')
        if distances.shape != input.shape:
            raise ValueError(f'distances has wrong shape (got {distances.shape}, '
                             f'expected {input.shape})')
    if input.ndim == 0:
        # SciPy's second pass receives a scalar
        raise TypeError("WRITEBACKIFCOPY used for non-array input.")
    cells = _footprint(metric, input.ndim)
    shape = np.array(input.shape, np.int64)
    strides = np.ones(input.ndim, np.int64)
    for d in range(input.ndim - 2, -1, -1):
        strides[d] = strides[d + 1] * shape[d + 1]
    off = np.ascontiguousarray(cells @ strides, np.int64)
    fg = np.ascontiguousarray(input, bool).reshape(-1)
    dt = np.empty(fg.size, np.int32)
    ft = np.empty(fg.size, np.int32)
    if dt.size:
        run(DK.cdt_init, (fg, dt, ft), items=dt.size, size=dt.size, cost=1.0, n_threads=1)
        for backward in (False, True):
            # one thread in scan order, in slices that return to Python
            # (Ctrl-C): consecutive slices equal one pass
            if input.ndim == 2:
                run(DK.cdt_pass_2d, (dt.reshape(input.shape), ft.reshape(input.shape),
                                     return_indices, np.ascontiguousarray(cells[:, 0]),
                                     np.ascontiguousarray(cells[:, 1]), backward),
                    items=input.shape[0], size=dt.size, cost=2.0 + cells.shape[0],
                    n_threads=1)
            else:
                run(DK.cdt_pass, (dt, ft, return_indices, shape, cells, off, backward),
                    items=dt.size, size=dt.size, cost=2.0 + 2 * cells.shape[0],
                    n_threads=1)
    dt = dt.reshape(input.shape)
    if dt_inplace:
        distances[...] = dt
        dt = distances
    ft_nd = None
    if return_indices:
        if ft_inplace:
            if indices.dtype.type != np.int32:
                raise ValueError(f'indices array must be int32 (got {indices.dtype})')
            if indices.shape != (dt.ndim,) + dt.shape:
                raise ValueError('indices array has wrong shape '
                                 f'(got {indices.shape}, expected {(dt.ndim,) + dt.shape})')
            ft_nd = indices
        else:
            ft_nd = np.empty((dt.ndim,) + dt.shape, np.int32)
        # a user's non-contiguous or read-only `indices` is filled through a
        # contiguous buffer (the read-only one then raises NumPy's error, as in SciPy)
        direct = ft_nd.flags.c_contiguous and ft_nd.flags.writeable
        target = ft_nd if direct else np.empty(ft_nd.shape, np.int32)
        if ft.size:
            run(DK.cdt_coordinates, (ft, strides, shape, target.reshape(dt.ndim, -1)),
                items=ft.size, size=ft.size, cost=2.0, n_threads=1)
        if target is not ft_nd:
            ft_nd[...] = target
    return _results(dt, ft_nd, return_distances, return_indices, dt_inplace, ft_inplace)
