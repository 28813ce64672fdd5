"""Public wrappers of the threshold family: scikit-image 0.26's
``skimage.filters.threshold_otsu`` and ``threshold_multiotsu``.

Each wrapper validates like skimage (same exception types, messages and
warnings), counts through the shared histogram counting
(:class:`fastimg._core.histogram.Flat`) and calls the jitted cores of
``fastimg._threshold.kernels``.

Rules reproduced (see the kernel module for the arithmetic):

* Otsu: counts cast to float32, skimage's cumsum/quotient arithmetic, the
  first maximum wins; a uniform image returns its first pixel;
* multi-Otsu: skimage's float32 LUT values and summation order, first strict
  maximum in its lexicographic order, found on the *candidate* thresholds
  only (see ``threshold_multiotsu``) so uint16 images need no nbins**2 LUT.
"""
from __future__ import annotations

import operator
import warnings
from math import comb

import numpy as np
import numpy.typing as npt

from .._core.arrays import contiguous_writable
from .._core.dispatch import resolve_workers, run_blocks, split
from .._core.docs import fill_doc
from . import kernels as threshold_kernels
from .._core.sk_args import rgb_warning
from .._core.histogram import FLOAT_KERNEL, Flat, hist_flat

__all__ = ["threshold_otsu", "threshold_multiotsu"]

#: Above this many candidate tuples multi-Otsu switches from the exact
#: enumeration to the dynamic programme (see threshold_multiotsu).
_ENUM_BUDGET = 400_000_000


# ------------------------------------------------------------------- Otsu
def _counts_centers_from_hist(hist):
    """skimage's ``_validate_image_histogram`` for a given ``hist``."""
    if isinstance(hist, (tuple, list)):
        counts, centers = hist
    else:
        counts = hist
        centers = np.arange(counts.size)
    if counts[0] == 0 or counts[-1] == 0:
        cond = counts > 0
        start = np.argmax(cond)
        end = cond.size - np.argmax(cond[::-1])
        counts, centers = counts[start:end], centers[start:end]
    return counts.astype("float32", copy=False), centers


def _np_otsu(counts, centers):
    """skimage's between-class variance search, verbatim."""
    weight1 = np.cumsum(counts)
    weight2 = np.cumsum(counts[::-1])[::-1]
    mean1 = np.cumsum(counts * centers) / weight1
    mean2 = (np.cumsum((counts * centers)[::-1]) / weight2[::-1])[::-1]
    variance12 = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2
    return np.argmax(variance12)


def _otsu_idx(counts, centers):
    """Index of the Otsu threshold (jitted when the types allow it)."""
    c = np.asarray(centers)
    if (isinstance(counts, np.ndarray) and counts.ndim == 1 and counts.size >= 2
            and counts.dtype == np.float32 and c.ndim == 1 and c.shape == counts.shape
            and c.dtype.kind in "iuf"):
        ct = np.result_type(np.float32, c.dtype)
        if ct in FLOAT_KERNEL and not (c.dtype.kind in "iu" and c.size
                                        and np.abs(c).max() > 2**53):
            return int(threshold_kernels.otsu_index(counts, contiguous_writable(c, ct)))
    with warnings.catch_warnings():
        return int(_np_otsu(counts, centers))


def _prepare_image(image, mask):
    if image is None:
        if mask is not None:
            raise ValueError("mask requires an image (got mask with image=None)")
        return None
    return np.asarray(image)


@fill_doc
def threshold_otsu(image: npt.ArrayLike | None = None, nbins: int = 256, *,
                   hist: npt.ArrayLike | tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
                   mask: npt.ArrayLike | None = None,
                   workers: int | None = None) -> np.number:
    """Return threshold value based on Otsu's method.

    Drop-in for :func:`skimage.filters.threshold_otsu` (scikit-image 0.26).

    Either image or hist must be provided. If hist is provided, the actual
    histogram of the image is ignored.

    Parameters
    ----------
    image : (M, N[, ...]) ndarray, optional
        Grayscale input image.
    nbins : int, optional
        Number of bins used to calculate histogram. This value is ignored for
        integer arrays.
    hist : array, or 2-tuple of arrays, optional
        Keyword-only. Histogram from which to determine the threshold, and
        optionally a corresponding array of bin center intensities.
    mask : array of bool, optional
        Keyword-only; fastimg's addition (not in scikit-image): the
        threshold of ``image[mask]``, computed without copying the selected
        pixels.  Same shape as ``image``.
    {workers}

    Returns
    -------
    threshold : float or int
        Upper threshold value. All pixels with an intensity higher than
        this value are assumed to be foreground.  An integer (numpy.int64)
        for integer images; a uniform image returns its value.

    Notes
    -----
    Differences from :func:`skimage.filters.threshold_otsu`: none in
    results; ``mask`` and ``workers`` are extra.  8- and 16-bit images are
    read once: one parallel pass counts every value of the type in
    per-thread sub-histograms, and the min / max (skimage's "uniform image"
    check and the histogram range) come from the counts.  Other images are
    read twice (a parallel min/max pass, then the parallel histogram pass).
    The between-class variance is one pass over the bins in skimage's
    float32 / float64 arithmetic with the first maximum winning, so the
    threshold is the same bin centre.  With ``mask`` the RGB-shape warning
    is not issued (``image[mask]`` is 1-D).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> image = np.array([[10, 10, 20], [200, 210, 220]], np.uint8)
    >>> int(filters.threshold_otsu(image))
    20
    """
    image = _prepare_image(image, mask)
    if mask is None:
        rgb_warning("threshold_otsu", image)
    flat = stats = None
    if image is not None:
        flat = Flat(image, mask, workers)
        if flat.fast:
            stats = flat.minmax()
            lo, hi, cnt, nan = stats
            if cnt == 0 and not nan:
                flat.selected().reshape(-1)[0]      # skimage's IndexError
            first = _first_selected(flat)
            if not nan and lo == hi:
                return first
        else:
            sel = flat.selected()
            first = sel.reshape(-1)[0]
            if np.all(sel == first):
                return first
    if hist is not None:
        counts, centers = _counts_centers_from_hist(hist)
    else:
        if image is None:
            raise Exception("Either image or hist must be provided.")
        counts, centers = hist_flat(image, nbins, "image", False, flat=flat, stats=stats)
        counts = counts.astype("float32", copy=False)
    return centers[_otsu_idx(counts, centers)]


def _first_selected(flat):
    if not flat.has_mask:
        return flat.x[0]
    i = int(np.argmax(flat.mask))
    return flat.x[i]


# ------------------------------------------------------------- multi-Otsu
def _multiotsu_indices(prob, nth, workers):
    n = prob.shape[0]
    P, S = threshold_kernels.multiotsu_moments(prob)
    pos = threshold_kernels.multiotsu_candidates(prob, nth)
    lim = np.array([np.searchsorted(pos, n - 1 - nth + k, side="right") for k in range(nth)],
                   np.int64)
    m = pos.shape[0]
    Pc, Sc, Hl = threshold_kernels.gather_moments(P, S, pos, n)
    work = comb(m, nth)
    if work > _ENUM_BUDGET:
        best = threshold_kernels.multiotsu_dp(P, S, pos, lim, nth, n)
        return pos[best]
    nt = resolve_workers(workers)
    # blocks of first thresholds weighted by the candidate tuples that start
    # there (about 3 ns each), 16 per thread
    c0 = int(lim[0])
    bounds = split(c0, size=work, cost=3.0, n_threads=nt, per_thread=16,
                   weights=lambda: np.maximum(m - np.arange(c0, dtype=np.float64),
                                              1.0) ** (nth - 1))
    bests = np.zeros((len(bounds) - 1, nth), np.int64)
    if nth == 2:
        def block(b, start, stop):
            row = np.zeros(int(lim[1]) + 1, np.float32)
            return threshold_kernels.multiotsu_enum2(P, S, Pc, Sc, Hl, pos, lim, start, stop,
                                                     row, row.view(np.int32), bests[b])
    else:
        def block(b, start, stop):
            return threshold_kernels.multiotsu_enum(P, S, Pc, Sc, Hl, pos, lim, nth, n,
                                                    start, stop, bests[b])
    parts = run_blocks(block, bounds, nt)
    # block results combined in block order with a strict ``>`` (from 0, as
    # in each block): the sequential first-maximum rule
    best, smax, found = bests[0], 0.0, False
    for b, (s, f) in enumerate(parts):
        if f and s > smax:
            best, smax, found = bests[b], s, True
    if not found:
        # skimage leaves its np.empty result uninitialised here (no sum > 0)
        best = np.arange(nth, dtype=np.int64)
    return pos[best]


@fill_doc
def threshold_multiotsu(image: npt.ArrayLike | None = None, classes: int = 3,
                        nbins: int = 256, *,
                        hist: npt.ArrayLike | tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
                        mask: npt.ArrayLike | None = None,
                        workers: int | None = None) -> np.ndarray:
    r"""Generate `classes`-1 thresholds dividing gray levels, by multi-Otsu.

    Generate `classes`-1 threshold values to divide gray levels in `image`,
    following Otsu's method for multiple classes.

    Drop-in for :func:`skimage.filters.threshold_multiotsu` (scikit-image 0.26).

    Parameters
    ----------
    image : (M, N[, ...]) ndarray, optional
        Grayscale input image.
    classes : int, optional
        Number of classes to be thresholded, i.e. the number of resulting
        regions.
    nbins : int, optional
        Number of bins used to calculate the histogram. This value is ignored
        for integer arrays.
    hist : array, or 2-tuple of arrays, optional
        Keyword-only. Histogram from which to determine the threshold, and
        optionally a corresponding array of bin center intensities.
    mask : array of bool, optional
        Keyword-only; fastimg's addition (not in scikit-image): the
        thresholds of ``image[mask]`` without the copy.  Same shape as
        ``image``.
    {workers}

    Returns
    -------
    thresh : array
        Array containing the threshold values for the desired classes.

    Raises
    ------
    ValueError
         If ``image`` contains less grayscale value then the desired
         number of classes.

    Notes
    -----
    Differences from :func:`skimage.filters.threshold_multiotsu`: same
    thresholds, no nbins**2 lookup table; ``mask`` and ``workers`` are extra.
    skimage evaluates sigma = H(0,t0) + H(t_last+1,n-1) + sum of the middle
    H(t_k+1,t_k+1) in float32 for every increasing threshold tuple and keeps
    the first strict maximum.  fastimg evaluates the same float32 values in
    the same order, but only at candidate positions: a threshold placed
    after an empty bin gives a bit-identical sum to the one before it, and
    skimage keeps the earlier one, so only the first ``classes - 1``
    positions of each run of empty bins are visited (memory O(nbins), work
    O(m**(classes-1)) for m populated bins, in parallel over the first
    threshold with a block-ordered first-maximum reduction).  Tie rule:
    lexicographically first tuple among equal float32 sums, as skimage.
    Only when more than 4e8 candidate tuples remain (e.g. 3 classes on
    > 28 000 distinct uint16 values) a divide-and-conquer dynamic programme
    is used: the same float32 LUT values summed in float64, ties to the
    smallest indices; it can differ from skimage only where two tuples'
    sums are equal within float32 rounding.  If no sum is positive skimage
    returns uninitialised indices; fastimg returns the first bins.  An empty
    float image raises the "only 0 different values" ValueError (skimage
    computes 0/0 probabilities and fails at random).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> image = np.array([10, 10, 60, 60, 60, 200, 200], np.uint8)
    >>> filters.threshold_multiotsu(image).tolist()
    [10, 60]
    """
    image = _prepare_image(image, mask)
    if mask is None:
        rgb_warning("threshold_multiotsu", image)
    if hist is not None:
        prob, centers = _counts_centers_from_hist(hist)
    else:
        if image is None:
            raise Exception("Either image or hist must be provided.")
        flat = Flat(image, mask, workers)
        prob, centers = hist_flat(image, nbins, "image", True, flat=flat)
        prob = prob.astype("float32", copy=False)
    prob = prob.astype("float32", copy=False)

    # an empty image gives 0/0 probabilities (NaN): count them as no values,
    # a clear error where skimage reads uninitialised indices
    nvalues = np.count_nonzero((prob != 0) & (prob == prob))
    if nvalues < classes:
        raise ValueError(
            f"After discretization into bins, the input image has "
            f"only {nvalues} different values. It cannot be thresholded "
            f"in {classes} classes. If there are more unique values "
            f"before discretization, try increasing the number of bins "
            f"(`nbins`).")
    if nvalues == classes:
        idx = np.flatnonzero(prob)[:-1]
    else:
        k = operator.index(classes) - 1
        if k < 1:
            raise ValueError(f"classes must be at least 2 (got classes={classes})")
        idx = _multiotsu_indices(contiguous_writable(prob), k, workers)
    return centers[idx]
