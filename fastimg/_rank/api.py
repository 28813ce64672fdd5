"""Public wrappers of the rank family: SciPy 1.17's ``scipy.ndimage``
median_filter, rank_filter, percentile_filter, minimum_filter and
maximum_filter.

Each wrapper checks its arguments in SciPy's order (``_rank_filter`` and
``_min_or_max_filter`` in ``scipy/ndimage/_filters.py``) and calls the one
core, :func:`fastimg._rank.core.rank_core`, with the rank to take:

* median: element ``n // 2`` of the sorted window (n = True cells);
* percentile p (p < 0: p + 100): ``n - 1`` at 100, else ``int(n * p / 100)``;
* a negative rank counts from the top; rank 0 and n - 1 are the minimum and
  maximum filters, which SciPy runs as 1-D passes along each axis (every
  pass stored in the output dtype) when the footprint is a full box
  (:mod:`fastimg._rank.minmax`);
* SciPy's 1-D inputs take another path (``_rank_filter_1d``) that uses the
  whole footprint box, False cells included, and casts ``cval`` to the data
  type first: reproduced (without ``nan_policy``).
"""
from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .._core import ndi_args
from .._core.docs import DocFiller, fill_doc
from .._core.passes import chain
from . import kernels as rank_kernels
from .args import (check_footprint_origins, expand_footprint, expand_mode, expand_origin,
                   real_input, warn_size)
from .core import RankSpec, check_nan_policy, rank_core
from .minmax import box_passes, minmax1d
from .scipy_order import first_cell_filter, needs_scipy_order

__all__ = ["median_filter", "rank_filter", "percentile_filter", "minimum_filter",
           "maximum_filter"]


def _notes(name: str) -> DocFiller:
    """fill_doc that also puts the shared Notes (naming the anchor's
    ``name``) at the ``{notes}`` line."""
    return fill_doc.with_texts(notes=_NOTES.format(name=name))


# ---------------------------------------------------------------- min/max
def _min_or_max(input, size, footprint, output, mode, cval, origin, minimum, axes,
                workers, policy):
    warn_size(size, footprint)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint provided (got size=None and footprint=None)")
        separable = True
    else:
        footprint = np.asarray(footprint, dtype=bool)
        if not footprint.any():
            raise ValueError("All-zero footprint is not supported."
                             f" (got a footprint of shape {footprint.shape})")
        if footprint.all():
            size = footprint.shape
            footprint = None
            separable = True
        else:
            separable = False
    input = real_input(input)
    output = ndi_args.get_output(output, input)
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    rank = 0 if minimum else -1
    if separable:
        origins = ndi_args.normalize_sequence(origin, num_axes)
        sizes = ndi_args.normalize_sequence(size, num_axes)
        modes = ndi_args.normalize_sequence(mode, num_axes)
        # SciPy's minimum_filter1d / maximum_filter1d along each axis of size > 1
        passes = [(axes[ii], sizes[ii], origins[ii], modes[ii])
                  for ii in range(num_axes) if sizes[ii] > 1]
        fast = box_passes(input, output, passes, cval, minimum, workers)
        if fast is not None:
            return fast
        one_pass = functools.partial(minmax1d, cval=cval, minimum=minimum, policy=policy,
                                     workers=workers)
        return chain(input, output, passes, one_pass)
    footprint = expand_footprint(input.ndim, axes, footprint)
    origins = expand_origin(input.ndim, axes, origin)
    origins = check_footprint_origins(footprint, origins, input.ndim, num_axes)
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError("A sequence of modes is not supported for non-separable "
                           f"footprints (got mode={mode!r})")
    mode = ndi_args.ndi_mode(mode)
    cval = ndi_args.closing_checks(input, output, cval, False)
    if policy == rank_kernels.POLICY_SORT and needs_scipy_order(input, mode, cval):
        return first_cell_filter(input, footprint, origins, mode, cval, output, minimum,
                                 workers)
    n = int(footprint.sum())
    spec = RankSpec(0 if minimum else n - 1, rank_kernels.OP_RANK, 0.0, rank)
    return rank_core(input, footprint, origins, mode, cval, output, spec, policy, workers,
                     "input")


# ------------------------------------------------------------------- rank
def _rank(input, rank, size, footprint, output, mode, cval, origin, operation, axes,
          workers, policy):
    warn_size(size, footprint)
    input = real_input(input)
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint or filter size provided"
                               " (got size=None and footprint=None)")
        sizes = ndi_args.normalize_sequence(size, num_axes)
        footprint = np.ones(sizes, dtype=bool)
    else:
        footprint = np.asarray(footprint, dtype=bool)
    footprint = expand_footprint(input.ndim, axes, footprint)
    origins = expand_origin(input.ndim, axes, origin)
    mode = expand_mode(input.ndim, axes, mode)
    origins = check_footprint_origins(footprint, origins, input.ndim, num_axes)
    filter_size = int(np.count_nonzero(footprint))
    op, pct, user_rank = rank_kernels.OP_RANK, 0.0, rank
    if operation == "median":
        rank = filter_size // 2
        op = rank_kernels.OP_MEDIAN
    elif operation == "percentile":
        percentile = rank
        if percentile < 0.0:
            percentile += 100.0
        if percentile < 0 or percentile > 100:
            raise RuntimeError(f"invalid percentile (got percentile={rank!r})")
        if percentile == 100.0:
            rank = filter_size - 1
        else:
            rank = int(float(filter_size) * percentile / 100.0)
        op, pct = rank_kernels.OP_PERCENTILE, float(percentile)
    if rank < 0:
        rank += filter_size
    if rank < 0 or rank >= filter_size:
        raise RuntimeError("rank not within filter footprint size"
                           f" (got rank={user_rank!r} for {filter_size} footprint cells)")
    pol = {rank_kernels.POLICY_SORT: None, rank_kernels.POLICY_PROPAGATE: "propagate",
           rank_kernels.POLICY_OMIT: "omit"}[policy]
    if rank == 0:
        return minimum_filter(input, None, footprint, output, mode, cval, origins,
                              workers=workers, nan_policy=pol)
    if rank == filter_size - 1:
        return maximum_filter(input, None, footprint, output, mode, cval, origins,
                              workers=workers, nan_policy=pol)
    output = ndi_args.get_output(output, input)
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError("A sequence of modes is not supported by non-separable rank "
                           f"filters (got mode={mode!r})")
    mode = ndi_args.ndi_mode(mode)
    one_d = False
    lim2 = input.size - ((footprint.size - 1) // 2 - origins[0]) if input.ndim == 1 else -1
    if (input.ndim == 1 and (lim2 >= 0 or input.size == 1)
            and policy == rank_kernels.POLICY_SORT):
        # (with a nan_policy the footprint is honoured, as on the n-D path:
        # the rank of the valid values is defined on the footprint's cells)
        # SciPy's 1-D path: the whole footprint box, False cells included,
        # data as int64 / float32 / float64 (float16 -> float32)
        one_d = True
        if input.dtype.kind not in "biuf" or input.dtype.newbyteorder("=") == np.float16:
            if input.dtype.newbyteorder("=") == np.float16:
                input = input.astype(np.float32)
            else:
                raise RuntimeError(f"Unsupported array type (got dtype {input.dtype})")
        footprint = np.ones(footprint.shape, bool)
        # the 1-D path converts the data itself: no dtype check
        ndi_args.check_writable(output)
        cval = ndi_args.as_cval(cval)
    else:
        cval = ndi_args.closing_checks(input, output, cval, False)
    spec = RankSpec(rank, op, pct, user_rank)
    return rank_core(input, footprint, origins, mode, cval, output, spec, policy, workers,
                     "oned" if one_d else "input")


_NOTES = """
    Notes
    -----
    Differences from :func:`scipy.ndimage.{name}`: none in results for
    data without NaN; ``workers`` and ``nan_policy`` are extra.  Minimum
    and maximum filters (rank 0 and n - 1 included) put NaN and -0.0 where
    SciPy's comparisons put them (its deque for separable passes, its
    running extreme from the first footprint cell otherwise).  For other
    ranks SciPy's result with NaN is undefined: fastimg takes the element
    of numpy's sort order (NaN above +inf) unless ``nan_policy`` says
    otherwise, and which of -0.0 and +0.0 is returned when both are in a
    window may differ.  int32,
    uint32, int64 and uint64 data are ranked as float64, as SciPy's n-D
    code does (SciPy's 1-D path ranks int64 exactly: values beyond 2**53
    may differ there).  Where SciPy's 1-D path reads outside its buffer (a
    window longer than the input) or crashes (float16 output), fastimg
    gives the n-D result or raises.  A scalar ``axes`` out of range raises
    ValueError (SciPy: IndexError).  Memory is O(image + window), never
    O(window**2) per pixel.  Algorithms: see ``fastimg._rank.core``.
"""


@_notes("median_filter")
def median_filter(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                  footprint: npt.ArrayLike | None = None,
                  output: np.ndarray | npt.DTypeLike | None = None,
                  mode: str = "reflect", cval: float = 0.0,
                  origin: int | Sequence[int] = 0, *,
                  axes: int | Sequence[int] | None = None,
                  workers: int | None = None, nan_policy: str | None = None) -> np.ndarray:
    """Calculate a multidimensional median filter.

    Drop-in for :func:`scipy.ndimage.median_filter` (SciPy 1.17): element
    ``n // 2`` of each sorted window of ``n`` footprint cells (for even
    ``n`` the upper of the two middle elements, as SciPy).

    Parameters
    ----------
    input : array_like
        The input array.
    {size_foot}
    {output}
    {mode}
    {cval}
    {origin_multiple}
    {rank_axes}
    {workers}
    {nan_policy}

    Returns
    -------
    median_filter : ndarray
        Filtered array. Has the same shape as `input`.
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.median_filter(np.array([[1, 9, 2], [8, 3, 7], [4, 6, 5]]), size=3).tolist()
    [[3, 3, 3], [4, 5, 5], [4, 5, 5]]
    """
    policy = check_nan_policy(nan_policy)
    return _rank(input, 0, size, footprint, output, mode, cval, origin, "median", axes,
                 workers, policy)


@_notes("rank_filter")
def rank_filter(input: npt.ArrayLike, rank: int, size: int | Sequence[int] | None = None,
                footprint: npt.ArrayLike | None = None,
                output: np.ndarray | npt.DTypeLike | None = None,
                mode: str = "reflect", cval: float = 0.0,
                origin: int | Sequence[int] = 0, *,
                axes: int | Sequence[int] | None = None,
                workers: int | None = None, nan_policy: str | None = None) -> np.ndarray:
    """Calculate a multidimensional rank filter.

    Drop-in for :func:`scipy.ndimage.rank_filter` (SciPy 1.17).

    Parameters
    ----------
    input : array_like
        The input array.
    rank : int
        The rank parameter may be less than zero, i.e., rank = -1
        indicates the largest element.
    {size_foot}
    {output}
    {mode}
    {cval}
    {origin_multiple}
    {rank_axes}
    {workers}
    {nan_policy}

    Returns
    -------
    rank_filter : ndarray
        Filtered array. Has the same shape as `input`.
    {notes}
    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.rank_filter([2, 8, 0, 4, 1, 9, 9, 0], rank=1, size=3).tolist()
    [2, 2, 4, 1, 4, 9, 9, 0]
    """
    policy = check_nan_policy(nan_policy)
    rank = operator.index(rank)
    return _rank(input, rank, size, footprint, output, mode, cval, origin, "rank", axes,
                 workers, policy)


@_notes("percentile_filter")
def percentile_filter(input: npt.ArrayLike, percentile: float,
                      size: int | Sequence[int] | None = None,
                      footprint: npt.ArrayLike | None = None,
                      output: np.ndarray | npt.DTypeLike | None = None,
                      mode: str = "reflect", cval: float = 0.0,
                      origin: int | Sequence[int] = 0, *,
                      axes: int | Sequence[int] | None = None,
                      workers: int | None = None, nan_policy: str | None = None) -> np.ndarray:
    """Calculate a multidimensional percentile filter.

    Drop-in for :func:`scipy.ndimage.percentile_filter` (SciPy 1.17): the
    element of rank ``int(n * percentile / 100)`` (``n - 1`` at 100).

    Parameters
    ----------
    input : array_like
        The input array.
    percentile : scalar
        The percentile parameter may be less than zero, i.e.,
        percentile = -20 equals percentile = 80
    {size_foot}
    {output}
    {mode}
    {cval}
    {origin_multiple}
    {rank_axes}
    {workers}
    {nan_policy}

    Returns
    -------
    percentile_filter : ndarray
        Filtered array. Has the same shape as `input`.
    {notes}
    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.percentile_filter([2, 8, 0, 4, 1, 9, 9, 0], 20, size=3).tolist()
    [2, 0, 0, 0, 1, 1, 0, 0]
    """
    policy = check_nan_policy(nan_policy)
    return _rank(input, percentile, size, footprint, output, mode, cval, origin,
                 "percentile", axes, workers, policy)


@_notes("minimum_filter")
def minimum_filter(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                   footprint: npt.ArrayLike | None = None,
                   output: np.ndarray | npt.DTypeLike | None = None,
                   mode: str | Sequence[str] = "reflect", cval: float = 0.0,
                   origin: int | Sequence[int] = 0, *,
                   axes: int | Sequence[int] | None = None,
                   workers: int | None = None, nan_policy: str | None = None) -> np.ndarray:
    """Calculate a multidimensional minimum filter.

    Drop-in for :func:`scipy.ndimage.minimum_filter` (SciPy 1.17): a full
    box runs as 1-D passes along each axis with size > 1, each stored in the
    output dtype; other footprints take the n-D path.

    Parameters
    ----------
    input : array_like
        The input array.
    {size_foot}
    {output}
    {mode_multiple}
    {cval}
    {origin_multiple}
    {rank_axes}
    {workers}
    {nan_policy}

    Returns
    -------
    minimum_filter : ndarray
        Filtered array. Has the same shape as `input`.
    {notes}
    A sequence of modes (one per axis) is only supported when the footprint
    is separable. Otherwise, a single mode string must be provided.

    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.minimum_filter([2, 8, 0, 4, 1, 9, 9, 0], size=3).tolist()
    [2, 0, 0, 0, 1, 1, 0, 0]
    """
    policy = check_nan_policy(nan_policy)
    return _min_or_max(input, size, footprint, output, mode, cval, origin, True, axes,
                       workers, policy)


@_notes("maximum_filter")
def maximum_filter(input: npt.ArrayLike, size: int | Sequence[int] | None = None,
                   footprint: npt.ArrayLike | None = None,
                   output: np.ndarray | npt.DTypeLike | None = None,
                   mode: str | Sequence[str] = "reflect", cval: float = 0.0,
                   origin: int | Sequence[int] = 0, *,
                   axes: int | Sequence[int] | None = None,
                   workers: int | None = None, nan_policy: str | None = None) -> np.ndarray:
    """Calculate a multidimensional maximum filter.

    Drop-in for :func:`scipy.ndimage.maximum_filter` (SciPy 1.17): a full
    box runs as 1-D passes along each axis with size > 1, each stored in the
    output dtype; other footprints take the n-D path.

    Parameters
    ----------
    input : array_like
        The input array.
    {size_foot}
    {output}
    {mode_multiple}
    {cval}
    {origin_multiple}
    {rank_axes}
    {workers}
    {nan_policy}

    Returns
    -------
    maximum_filter : ndarray
        Filtered array. Has the same shape as `input`.
    {notes}
    A sequence of modes (one per axis) is only supported when the footprint
    is separable. Otherwise, a single mode string must be provided.

    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.maximum_filter([2, 8, 0, 4, 1, 9, 9, 0], size=3).tolist()
    [8, 8, 8, 4, 9, 9, 9, 9]
    """
    policy = check_nan_policy(nan_policy)
    return _min_or_max(input, size, footprint, output, mode, cval, origin, False, axes,
                       workers, policy)
