"""Public wrappers of the rank family outside ``scipy.ndimage``:
scikit-image 0.26's ``skimage.filters.median`` and SciPy 1.17's
``scipy.signal.medfilt2d``, both on the rank core.

* ``filters.median(behavior='ndimage')`` is ``ndimage.median_filter`` with
  skimage's default footprint (a full 3**ndim box) and mode 'nearest';
* ``filters.median(behavior='rank')`` runs the algorithm of
  ``skimage.filters.rank.median`` for uint8 / uint16 images of 2 or 3
  dimensions: the median of the footprint cells that fall inside the image
  (element ``m // 2`` of the m cells inside); other dtypes raise
  (skimage converts them to uint8 with a precision-loss warning);
* ``medfilt2d``: zero padding, odd kernel sizes; uint8, float32 and float64
  as sigtools' own median, every other dtype through ``rank_filter`` with
  mode 'constant', as SciPy's ``medfilt`` does.
"""
from __future__ import annotations


import numpy as np
import numpy.typing as npt

from .._core.docs import fill_doc
from .._core.warn import warn_at_caller
from . import kernels as rank_kernels
from .api import median_filter, rank_filter
from .core import RankSpec, rank_core

__all__ = ["median", "medfilt2d"]


def _rank_behaviour(image, footprint, out, workers):
    """skimage.filters.rank.median: in-image cells only, element m // 2."""
    image = np.asanyarray(image)
    if footprint is None:
        footprint = np.ones((3,) * image.ndim, bool)
    if image.ndim not in (2, 3):
        raise ValueError(f'`image` must have 2 or 3 dimensions, got {image.ndim}.')
    dt = image.dtype.newbyteorder("=")
    if dt not in (np.dtype(np.uint8), np.dtype(np.uint16)):
        raise ValueError("fastimg's behavior='rank' takes uint8 and uint16 images only"
                         f" (skimage converts others to uint8 with a warning; got dtype"
                         f" {image.dtype})")
    footprint = np.asarray(footprint)
    if footprint.ndim != image.ndim:
        raise ValueError(f"footprint and image must have the same number of dimensions"
                         f" (got footprint.ndim={footprint.ndim}, image.ndim={image.ndim})")
    fp = footprint != 0
    if out is None:
        out = np.empty(image.shape, image.dtype)
    # cells outside the image are a code above every value, omitted like NaN
    x = np.asarray(image)
    if dt == np.uint8:
        codes, outside = x.astype(np.uint16), 256
    elif x.size and int(x.max()) < 65535:
        codes, outside = x.astype(np.uint16), 65535
    else:
        codes, outside = x.astype(np.float64), np.nan
    result = np.empty(image.shape, codes.dtype)
    spec = RankSpec(0, rank_kernels.OP_MEDIAN)
    rank_core(codes, fp, [0] * image.ndim, "constant", float(outside), result, spec,
              rank_kernels.POLICY_OMIT, workers, "input", nan_code=outside)
    # a window with no cell inside the image: skimage writes 0
    if isinstance(outside, float):
        result[np.isnan(result)] = 0
    else:
        result[result == outside] = 0
    out[...] = result
    return out


@fill_doc
def median(image: npt.ArrayLike, footprint: npt.ArrayLike | None = None,
           out: np.ndarray | None = None, mode: str = "nearest", cval: float = 0.0,
           behavior: str = "ndimage", *, workers: int | None = None,
           nan_policy: str | None = None) -> np.ndarray:
    """Return local median of an image.

    Drop-in for :func:`skimage.filters.median` (scikit-image 0.26).

    Parameters
    ----------
    image : array-like
        Input image.
    footprint : ndarray, optional
        If ``behavior=='rank'``, ``footprint`` is a 2-D array of 1's and 0's.
        If ``behavior=='ndimage'``, ``footprint`` is a N-D array of 1's and 0's
        with the same number of dimension than ``image``.
        If None, ``footprint`` will be a N-D array with 3 elements for each
        dimension (e.g., vector, square, cube, etc.)
    out : ndarray, (same dtype as image), optional
        If None, a new array is allocated.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, optional
        The mode parameter determines how the array borders are handled, where
        ``cval`` is the value when mode is equal to 'constant'.
        Default is 'nearest'.
    cval : scalar, optional
        Value to fill past edges of input if mode is 'constant'. Default is 0.0
    behavior : {'ndimage', 'rank'}, optional
        Either to use the old behavior (i.e., < 0.15) or the new behavior.
        The old behavior runs the algorithm of
        :func:`skimage.filters.rank.median`, the new behavior the one of
        :func:`scipy.ndimage.median_filter`. Default is 'ndimage'.
    {workers}
    {nan_policy}

    Returns
    -------
    out : 2-D array, same dtype as input `image`
        Output image.

    Notes
    -----
    Differences from :func:`skimage.filters.median`: none in results for
    ``behavior='ndimage'`` (see :func:`fastimg.ndimage.median_filter`);
    ``workers`` and ``nan_policy`` are extra.  ``behavior='rank'`` runs
    skimage's rank algorithm (the median of the footprint cells inside the
    image, element ``m // 2`` of m) for uint8 and uint16 images; other
    dtypes raise ValueError where skimage converts them to uint8 with a
    warning.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> filters.median(np.array([[1, 9, 2], [8, 3, 7], [4, 6, 5]], np.uint8)).tolist()
    [[3, 3, 3], [4, 5, 5], [4, 5, 5]]
    """
    if behavior == "rank":
        if mode != "nearest" or not np.isclose(cval, 0.0):
            warn_at_caller("Change 'behavior' to 'ndimage' if you want to use the "
                           "parameters 'mode' or 'cval'. They will be discarded "
                           "otherwise.")
        return _rank_behaviour(image, footprint, out, workers)
    if footprint is None:
        ndim = np.ndim(image)
        footprint = np.ones((3,) * ndim, bool)
    return median_filter(image, footprint=footprint, output=out, mode=mode, cval=cval,
                         workers=workers, nan_policy=nan_policy)


def medfilt2d(input: npt.ArrayLike, kernel_size: int | npt.ArrayLike = 3, *,
              workers: int | None = None) -> np.ndarray:
    """Median filter a 2-dimensional array.

    Drop-in for :func:`scipy.signal.medfilt2d` (SciPy 1.17): zero padding,
    the middle of each sorted window.

    Parameters
    ----------
    input : array_like
        A 2-dimensional input array.
    kernel_size : array_like, optional
        A scalar or a list of length 2, giving the size of the
        median filter window in each dimension.  Elements of
        `kernel_size` should be odd.  If `kernel_size` is a scalar,
        then this scalar is used as the size in each dimension.
        Default is a kernel of size (3, 3).
    workers : int or None, optional
        Keyword-only; fastimg's addition (the anchor has no such
        parameter). The number of threads for this call: None (the
        default) uses this thread's ``fastimg.set_num_threads`` (all cores
        unless set),
        -1 all cores (-k: all but k - 1), a positive integer at most
        ``NUMBA_NUM_THREADS``. Small inputs may run on one thread whatever
        its value.

    Returns
    -------
    out : ndarray
        An array the same size as input containing the median filtered
        result.

    Notes
    -----
    Differences from :func:`scipy.signal.medfilt2d`: none in results for
    data without NaN; ``workers`` is extra.  With NaN SciPy's result is
    undefined; fastimg's is numpy's sort order (NaN above +inf).  A
    negative ``kernel_size`` raises SciPy's ValueError for every sign
    pattern (SciPy returns uninitialised memory when both sizes are
    negative).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import signal
    >>> signal.medfilt2d(np.arange(25.0).reshape(5, 5)).tolist()[1]
    [1.0, 6.0, 7.0, 8.0, 4.0]
    """
    image = np.asarray(input)
    if image.dtype.type not in (np.ubyte, np.float32, np.float64):
        return _medfilt(image, kernel_size, workers)
    if kernel_size is None:
        kernel_size = [3] * 2
    kernel_size = np.asarray(kernel_size)
    if kernel_size.shape == ():
        kernel_size = np.repeat(kernel_size.item(), 2)
    for size in kernel_size:
        if (size % 2) != 1:
            raise ValueError(f"Each element of kernel_size should be odd. (got {size})")
    if image.ndim < 2:
        raise ValueError("object of too small depth for desired array"
                         f" (got an input of ndim {image.ndim})")
    if image.ndim > 2:
        raise ValueError(f"object too deep for desired array (got an input of ndim {image.ndim})")
    ks = [int(k) for k in kernel_size[:2]]
    if min(ks) < 0:
        # SciPy fails to allocate a window of negative size (ValueError),
        # or, where the product of the sizes is positive, returns
        # uninitialised memory: never an answer fastimg gives
        raise ValueError("ERROR: unable to allocate enough memory in _medfilt2d! "
                         f"(kernel_size must be positive, got {ks})")
    out = np.empty(image.shape, image.dtype.newbyteorder("="))
    fp = np.ones(ks, bool)
    n = ks[0] * ks[1]
    rank_core(image, fp, [0, 0], "constant", 0.0, out, RankSpec(n // 2),
              rank_kernels.POLICY_SORT, workers,
              "input")
    return out


def _medfilt(volume, kernel_size, workers):
    """SciPy's ``medfilt`` (medfilt2d's path for the other dtypes)."""
    if volume.ndim == 0:
        volume = volume.reshape(1)
    if not (volume.dtype.kind in "iu" or volume.dtype in (np.float32, np.float64)):
        raise ValueError(f"dtype={volume.dtype} is not supported by medfilt")
    if kernel_size is None:
        kernel_size = [3] * volume.ndim
    kernel_size = np.asarray(kernel_size)
    if kernel_size.shape == ():
        kernel_size = np.repeat(kernel_size.item(), volume.ndim)
    for k in range(volume.ndim):
        if (kernel_size[k] % 2) != 1:
            raise ValueError(f"Each element of kernel_size should be odd. (got {kernel_size[k]})")
    if any(k > s for k, s in zip(kernel_size, volume.shape)):
        warn_at_caller("kernel_size exceeds volume extent: the volume will be "
                       "zero-padded.")
    size = int(np.prod(kernel_size))
    return rank_filter(volume, size // 2, size=kernel_size, mode="constant",
                       workers=workers)

