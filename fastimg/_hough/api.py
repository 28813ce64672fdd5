"""Public wrappers of the Hough family's line transform: scikit-image
0.26's ``skimage.transform.hough_line`` and ``hough_line_peaks``, and the
helpers the whole family shares (argument checks, edge pixels, the peak
search); circles, probabilistic lines and ellipses live in ``shapes``.

Each wrapper checks its arguments in skimage's order (same exception types
and messages, plus what was received), gathers the edge pixels once (raster
order, as ``np.nonzero``) and calls the jitted loops of
``kernels`` through ``fastimg._core.dispatch.run``.
"""
from __future__ import annotations

import math
import operator

import numpy as np

from .._core.arrays import contiguous_writable
from .._core.dispatch import resolve_workers, run, split
from .._core.docs import fill_doc
from . import kernels as hough_kernels

__all__ = ["hough_line", "hough_line_peaks"]

#: Cython's names of numpy dtypes in its buffer-mismatch messages.
_C_NAMES = {
    "float32": "'float'", "int8": "'signed char'", "uint8": "'unsigned char'",
    "int16": "'short'", "uint16": "'unsigned short'", "int32": "'int'",
    "uint32": "'unsigned int'", "int64": "'long'", "uint64": "'unsigned long'",
    "complex64": "'complex float'", "complex128": "'complex double'", "bool": "'bool'",
    "longdouble": "'long double'", "object": "Python object",
}


def _received(a) -> str:
    if isinstance(a, np.ndarray):
        return f"(got a {a.ndim}-D {a.dtype} array of shape {a.shape})"
    return f"(got {type(a).__name__})"


def _require_ndarray(obj, name):
    """Cython's check of a ``cnp.ndarray`` argument."""
    if not isinstance(obj, np.ndarray):
        raise TypeError(f"Argument '{name}' has incorrect type (expected numpy.ndarray, "
                        f"got {type(obj).__name__})")


def _require_float64_vector(theta, name="theta"):
    """Cython's checks of a ``cnp.ndarray[ndim=1, dtype=float64_t]`` argument."""
    _require_ndarray(theta, name)
    if theta.ndim != 1:
        raise ValueError(f"Buffer has wrong number of dimensions (expected 1, got "
                         f"{theta.ndim}) {_received(theta)}")
    dt = theta.dtype
    if dt == np.float16:
        raise ValueError("Does not understand character buffer dtype format string ('e') "
                         f"{_received(theta)}")
    if dt.kind == "f" and dt.itemsize == 8 and not dt.isnative:
        raise ValueError("Big-endian buffer not supported on little-endian compiler "
                         f"{_received(theta)}")
    if dt != np.float64:
        cname = _C_NAMES.get(np.dtype(dt).name, f"'{dt.name}'")
        if dt == np.longdouble:
            cname = _C_NAMES["longdouble"]
        raise ValueError(f"Buffer dtype mismatch, expected 'float64_t' but got {cname} "
                         f"{_received(theta)}")


def _default_theta():
    # skimage's default: 180 angles in [-pi/2, pi/2)
    return np.linspace(-np.pi / 2, np.pi / 2, 180, endpoint=False)


def _edge_coords(image, n_threads):
    """Row and column (int32) of the nonzero pixels in raster order, as
    ``np.nonzero`` gives them, from one pass over a uint8 mask."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        mask = image
    elif image.dtype == np.bool_:
        mask = np.ascontiguousarray(image).view(np.uint8)
    elif image.dtype.kind in "iufc":
        mask = (image != 0).view(np.uint8)
    else:   # strings, objects: numpy's own truth values
        ys, xs = np.nonzero(image)
        return ys.astype(np.int32), xs.astype(np.int32)
    mask = contiguous_writable(mask)
    rows, cols = mask.shape
    counts = np.empty(rows, np.int64)
    run(hough_kernels.nonzero_rows, (mask, counts),
        items=rows, size=mask.size, cost=0.3, n_threads=n_threads)
    first = np.zeros(rows, np.int64)
    if rows > 1:
        np.cumsum(counts[:-1], out=first[1:])
    total = int(counts.sum()) if rows else 0
    ys = np.empty(total, np.int32)
    xs = np.empty(total, np.int32)
    if total:
        run(hough_kernels.nonzero_fill, (mask, first, ys, xs), items=rows, size=mask.size, cost=0.3, n_threads=n_threads)
    return ys, xs


# --------------------------------------------------------------- lines
@fill_doc
def hough_line(image: np.ndarray, theta: np.ndarray | None = None, *,
               workers: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Perform a straight line Hough transform.

    Drop-in for :func:`skimage.transform.hough_line` (scikit-image 0.26).

    Parameters
    ----------
    image : (M, N) ndarray
        Input image with nonzero values representing edges.
    theta : ndarray of double, shape (K,), optional
        Angles at which to compute the transform, in radians.
        Defaults to a vector of 180 angles evenly spaced in the
        range [-pi/2, pi/2).
    {workers}

    Returns
    -------
    hspace : ndarray of uint64, shape (P, Q)
        Hough transform accumulator.
    angles : ndarray
        Angles at which the transform is computed, in radians (the ``theta``
        object itself when given).
    distances : ndarray
        Distance values.

    Notes
    -----
    Differences from :func:`skimage.transform.hough_line`: none in results.
    The origin is the top left corner of the image; a pixel (x, y) votes
    for the bin ``round(cos(t) * x + sin(t) * y) + offset`` with
    ``offset = ceil(hypot(M, N))`` and skimage's rounding, half away from
    zero.  The edge pixels are gathered once and the angles are split
    between threads (each thread owns its angles' columns of the
    accumulator).  An angle whose cosine or sine is NaN votes in the
    rho = 0 row, which is where skimage's C cast of NaN lands its votes on
    x86-64.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import transform
    >>> img = np.zeros((20, 30), dtype=bool)
    >>> img[5, :] = True
    >>> hspace, angles, dists = transform.hough_line(img)
    >>> hspace.dtype, hspace.shape
    (dtype('uint64'), (75, 180))
    >>> int(hspace.max()), float(dists[hspace.argmax() // 180])
    (30, -5.0)
    """
    if image.ndim != 2:
        raise ValueError(f"The input image `image` must be 2D {_received(image)}.")
    if theta is None:
        theta = _default_theta()
    _require_ndarray(image, "img")
    _require_float64_vector(theta)
    n_threads = resolve_workers(workers)
    rows, cols = image.shape
    offset = int(math.ceil(math.sqrt(rows * rows + cols * cols)))
    nrho = 2 * offset + 1
    accum = np.zeros((nrho, theta.shape[0]), dtype=np.uint64)
    bins = np.linspace(-offset, offset, nrho)
    with np.errstate(invalid="ignore"):
        ctheta = np.cos(theta)
        stheta = np.sin(theta)
    # NaN angles: skimage's (Py_ssize_t)NaN is INT64_MIN, whose address
    # arithmetic wraps to the rho = 0 row; cos = sin = 0 votes there too
    bad = np.isnan(ctheta) | np.isnan(stheta)
    if bad.any():
        ctheta[bad] = 0.0
        stheta[bad] = 0.0
    ys, xs = _edge_coords(image, n_threads)
    if ys.size and theta.shape[0]:
        run(hough_kernels.line_vote, (ys, xs, ctheta, stheta, offset, accum),
            bounds=_line_blocks(theta.shape[0], ys.size, n_threads), n_threads=n_threads)
    return accum, theta, bins


def _line_blocks(nth, npix, n_threads):
    """Angle bounds of ``line_vote``'s blocks.  Whole LINE_ANGLES groups
    (a partial one counts ~1.7x slower per vote), taken by the threads from
    a shared counter: on 2 threads the 180 angles of a 2048² photograph's
    edges make 23 blocks, the smallest (4 angles) last.  Too few groups to
    share out (under 4 per thread): one block of equal angles per thread."""
    group = hough_kernels.LINE_ANGLES
    size = npix * nth
    if nth < 4 * group * n_threads:
        return split(nth, size=size, cost=0.5, n_threads=n_threads, per_thread=1)
    bounds = split(-(-nth // group), size=size, cost=0.5, n_threads=n_threads)
    return [min(b * group, nth) for b in bounds]


# ---------------------------------------------------------------- peaks
def _kernel_dtype(imgs):
    """float64 whenever it holds every value exactly (one specialisation,
    vectorised comparisons); uint64 / int64 for 64-bit integers beyond 2**53."""
    dt = imgs.dtype
    if dt.kind in "iu" and dt.itemsize == 8 and imgs.size:
        lo, hi = int(imgs.min()), int(imgs.max())
        if lo < -2 ** 53 or hi > 2 ** 53:
            return np.dtype(np.uint64 if dt.kind == "u" else np.int64)
    return np.dtype(np.float64)


def _threshold_for(img_dtype, kdt, threshold):
    """The threshold in the type numpy compares ``img > threshold`` in
    (NEP 50: Python scalars are weak), as the kernel's dtype or float64."""
    try:
        res = np.result_type(img_dtype, threshold)
    except (OverflowError, TypeError, ValueError):
        res = np.dtype(np.float64)
    if res.kind in "biu":
        try:
            if np.can_cast(res, kdt):
                return np.array(threshold, dtype=res).astype(kdt)
        except OverflowError:   # a Python int outside the image's type
            pass
        return np.array(float(threshold))
    return np.array(np.array(threshold).astype(res), dtype=np.float64)


#: Hough spaces (per slice) below this many cells use SciPy's maximum
#: filter; the 2048x2048 image's accumulator (5795 x 180) uses fastimg's.
_SCIPY_FILTER_BELOW = 1 << 19
#: Hough-space stacks with fewer cells search their peaks serially.
_PARALLEL_PEAKS_FROM = 1 << 22


def _lazy_budget(img, my, mx):
    """Filter only the cells above a threshold >= 0 when they are few: a
    photograph's Hough space has a few thousand cells above half its
    maximum, and a window per such cell costs less than filtering the
    whole space; beyond ~2 window cells per space cell it does not."""
    return 2 * img.size // ((2 * my + 1) * (2 * mx + 1))


def _filter_size(d):
    return 2 * d + 1


def _check_filter_args(img, min_xdistance, min_ydistance):
    """scipy.ndimage.maximum_filter1d's checks, axis 0 then axis 1."""
    my = mx = None
    for axis, d in ((0, min_ydistance), (1, min_xdistance)):
        if img.dtype.kind == "c":
            raise TypeError(f"Complex type not supported {_received(img)}")
        size = _filter_size(d)
        if size < 1:
            raise RuntimeError(f"incorrect filter size (got size={size})")
        operator.index(size)
        if axis == 0:
            my = operator.index(d)
        else:
            mx = operator.index(d)
    if img.dtype.kind not in "biuf" or img.dtype.itemsize > 8 or img.dtype == np.float16:
        raise RuntimeError(f"array type {img.dtype!r} not supported")
    return my, mx


def _peaks_stack(imgs, thresholds, my, mx, n_threads, capacity=None):
    """``_prominent_peaks`` of each 2-D slice of ``imgs`` (same dtype):
    list of (values, x, y) arrays, values in the slices' dtype."""
    dt = imgs.dtype
    kdt = _kernel_dtype(imgs)
    data = contiguous_writable(imgs, kdt)
    n, rows, cols = data.shape
    thr = np.stack([_threshold_for(dt, kdt, t) for t in thresholds]) if n else \
        np.zeros(0, np.float64)
    if thr.dtype != kdt:
        thr = thr.astype(np.float64)
    maxes = np.empty_like(data)
    lazy = False
    if (dt.kind == "f" and np.isnan(data).any()) or kdt != np.float64:
        # NaN: scipy's own filter (its comparisons decide where NaN goes);
        # integers beyond 2**53: scipy filters them through float64 and
        # casts back, so its maxima are rounded -- use it as it is
        from scipy import ndimage as ndi
        for i in range(n):
            m = ndi.maximum_filter1d(imgs[i], size=2 * my + 1, axis=0, mode="constant",
                                     cval=0)
            maxes[i] = ndi.maximum_filter1d(m, size=2 * mx + 1, axis=1, mode="constant",
                                            cval=0).astype(kdt)
    elif n == 1 and float(thr[0]) >= 0.0 and hough_kernels.lazy_max(
            data[0], my, mx, thr[0].astype(np.float64), _lazy_budget(data[0], my, mx),
            maxes[0]):
        lazy = True
    elif rows * cols < _SCIPY_FILTER_BELOW:
        # small spaces: SciPy's filter (the same maxima) costs less than
        # compiling ours on a first call (cold start at 512x512)
        from scipy import ndimage as ndi
        for i in range(n):
            ndi.maximum_filter1d(data[i], size=2 * my + 1, axis=0, mode="constant", cval=0,
                                 output=maxes[i])
            ndi.maximum_filter1d(maxes[i], size=2 * mx + 1, axis=1, mode="constant",
                                 cval=0, output=maxes[i])
    else:
        run(hough_kernels.max_filter_stack, (data, my, mx, maxes), items=n, size=data.size, n_threads=n_threads)
    cap = capacity or min(rows * cols, 4096)
    cap = max(cap, 1)
    out_v = np.empty((n, cap), kdt)
    out_y = np.empty((n, cap), np.int64)
    out_x = np.empty((n, cap), np.int64)
    counts = np.zeros(n, np.int64)
    errs = np.zeros((n, 2), np.int64)
    # radii in parallel only for big stacks: small ones (a 512x512 image,
    # a few radii) finish in milliseconds and a first call would also
    # compile the driver
    if n == 1:     # one space: the core itself (one compilation less)
        counts[0], errs[0, 0], errs[0, 1] = hough_kernels.prominent_peaks(
            data[0], maxes[0], my, mx, thr[0], lazy, out_v[0], out_y[0], out_x[0])
    else:
        run(hough_kernels.prominent_peaks_stack, (data, maxes, my, mx, thr, lazy, out_v, out_y, out_x, counts, errs),
            items=n, size=data.size if data.size >= _PARALLEL_PEAKS_FROM else 0,
            n_threads=n_threads)
    result = []
    for i in range(n):
        if errs[i, 1]:
            raise IndexError(f"index {errs[i, 0]} is out of bounds for axis 1 with size "
                             f"{cols} (neighbourhood of a peak with min_xdistance={mx})")
        k = int(counts[i])
        if k > cap:   # more peaks than the first guess: redo this slice
            ((v, x, y),) = _peaks_stack(imgs[i:i + 1], thresholds[i:i + 1], my, mx, 1,
                                        capacity=k)
            result.append((v, x, y))
            continue
        else:
            v, y, x = out_v[i, :k], out_y[i, :k], out_x[i, :k]
        if k:
            # native byte order, as skimage's (its intensities come from
            # a computed array, not the input)
            result.append((v.astype(dt.newbyteorder("=")), x.copy(), y.copy()))
        else:
            result.append((np.array([]), np.array([]), np.array([])))
    return result


def _prominent_peaks(image, min_xdistance=1, min_ydistance=1, threshold=None,
                     num_peaks=np.inf, n_threads=1):
    """skimage.feature.peak._prominent_peaks: (intensity, x, y)."""
    # skimage copies (so a list fails there); the kernel never writes image
    img = image if isinstance(image, np.ndarray) else image.copy()
    _rows, _cols = img.shape   # skimage's unpacking (its error for 1-D / 3-D)
    if threshold is None:
        threshold = 0.5 * np.max(img)
    my, mx = _check_filter_args(img, min_xdistance, min_ydistance)
    if img.size == 0:   # skimage's regionprops takes the labels' maximum
        raise ValueError("zero-size array to reduction operation maximum which has no "
                         f"identity (regions of an empty Hough space {_received(img)})")
    ((h, x, y),) = _peaks_stack(img[None], [threshold], my, mx, n_threads)
    if num_peaks < len(h):
        order = np.argsort(h)[::-1][:num_peaks]
        h, x, y = h[order], x[order], y[order]
    return h, x, y


def hough_line_peaks(hspace: np.ndarray, angles: np.ndarray, dists: np.ndarray,
                     min_distance: int = 9, min_angle: int = 10,
                     threshold: float | None = None,
                     num_peaks: float = np.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return peaks in a straight line Hough transform.

    Drop-in for :func:`skimage.transform.hough_line_peaks` (scikit-image 0.26).

    Identifies most prominent lines separated by a certain angle and distance
    in a Hough transform. Non-maximum suppression with different sizes is
    applied separately in the first (distances) and second (angles) dimension
    of the Hough space to identify peaks.

    Parameters
    ----------
    hspace : ndarray, shape (M, N)
        Hough space returned by the `hough_line` function.
    angles : array, shape (N,)
        Angles returned by the `hough_line` function. Assumed to be continuous.
        (`angles[-1] - angles[0] == PI`).
    dists : array, shape (M,)
        Distances returned by the `hough_line` function.
    min_distance : int, optional
        Minimum distance separating lines (maximum filter size for first
        dimension of hough space).
    min_angle : int, optional
        Minimum angle separating lines (maximum filter size for second
        dimension of hough space).
    threshold : float, optional
        Minimum intensity of peaks. Default is `0.5 * max(hspace)`.
    num_peaks : int, optional
        Maximum number of peaks. When the number of peaks exceeds `num_peaks`,
        return `num_peaks` coordinates based on peak intensity.

    Returns
    -------
    accum, angles, dists : tuple of array
        Peak values in Hough space, angles and distances.

    Notes
    -----
    Differences from :func:`skimage.transform.hough_line_peaks`: none in
    results.  skimage's steps in one pass each: the zero-border maximum
    filter (``min_distance`` rows, ``min_angle`` columns, van Herk /
    Gil-Werman), the plateau mask and threshold, 8-connected regions
    numbered in raster order with their maximum and centroid (rounded half
    to even), regions visited by decreasing maximum (ties: later region
    first, as skimage's reversed stable sort) and skimage's neighbourhood
    suppression (rows 1 .. M-1 only, angles wrapped with the mirrored
    distance).  With a threshold >= 0 and few cells above it (a
    photograph's Hough space) the filter is evaluated only at those cells
    and, on demand, at the region centroids: the other cells cannot be
    peaks.  Otherwise the whole space is filtered: by SciPy for NaN,
    integers beyond 2**53 and spaces under 2**19 cells (the same maxima;
    sparing a first call the compilation), else by fastimg.  One thread.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import transform
    >>> img = np.zeros((15, 15), dtype=bool)
    >>> img[np.arange(15), np.arange(15)] = True
    >>> img[np.arange(15), 14 - np.arange(15)] = True
    >>> hspace, angles, dists = transform.hough_line(img)
    >>> accum, a, d = transform.hough_line_peaks(hspace, angles, dists)
    >>> len(a)
    2
    """
    min_angle = min(min_angle, hspace.shape[1])
    h, a, d = _prominent_peaks(hspace, min_xdistance=min_angle, min_ydistance=min_distance,
                               threshold=threshold, num_peaks=num_peaks)
    if a.size > 0:
        return h, angles[a], dists[d]
    return h, np.array([]), np.array([])
