"""Public wrappers of ``peak_local_max`` and ``corner_peaks``
(scikit-image 0.26 ``skimage.feature``).

The candidate mask is skimage's: fastimg's ``maximum_filter`` (the rank
family's public function, ``mode='nearest'``), ``image == maximum``, the
flat-image rule, the threshold and the border; candidates are sorted by
``-intensity`` with a stable sort exactly as skimage sorts them (NumPy's
negation, so unsigned images wrap the same way).  The spacing that skimage
enforces with a KD-tree and Python loops is one jitted greedy pass over a
grid (``fastimg._template.peak_kernels``).
"""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import numpy.typing as npt
from scipy import ndimage as ndi

from .._core.docs import fill_doc
from .._rank import maximum_filter
from . import peak_kernels as pk

__all__ = ["peak_local_max", "corner_peaks"]


def _border_widths(image, min_distance, exclude_border):
    """skimage's ``_get_excluded_border_width`` (same checks and messages)."""
    if isinstance(exclude_border, bool):
        return (min_distance if exclude_border else 0,) * image.ndim
    if isinstance(exclude_border, int):
        if exclude_border < 0:
            raise ValueError(f"`exclude_border` cannot be a negative value "
                             f"(got {exclude_border})")
        return (exclude_border,) * image.ndim
    if isinstance(exclude_border, tuple):
        if len(exclude_border) != image.ndim:
            raise ValueError("`exclude_border` should have the same length as the "
                             f"dimensionality of the image (got {exclude_border} for an "
                             f"image of {image.ndim} dimensions).")
        for exclude in exclude_border:
            if not isinstance(exclude, int):
                raise ValueError("`exclude_border`, when expressed as a tuple, must only "
                                 f"contain ints (got {exclude_border}).")
            if exclude < 0:
                raise ValueError(f"`exclude_border` can not be a negative value "
                                 f"(got {exclude_border})")
        return exclude_border
    raise TypeError("`exclude_border` must be bool, int, or tuple with the same length as "
                    f"the dimensionality of the image (got {type(exclude_border).__name__}).")


def _isolated(mask):
    """Pixels of ``mask`` outside its binary opening (default structure)."""
    if mask.ndim > 3:
        return np.logical_xor(mask, ndi.binary_opening(mask))
    real = np.array([i >= 3 - mask.ndim for i in range(3)], np.bool_)
    m3 = np.ascontiguousarray(mask.reshape((1,) * (3 - mask.ndim) + mask.shape), np.bool_)
    out = np.empty_like(m3)
    pk.isolated_pixels(m3, real, out)
    return out.reshape(mask.shape)


def _peak_mask(image, footprint, threshold, mask=None, workers=None):
    """skimage's ``_get_peak_mask``."""
    if footprint.size == 1 or image.size == 1:
        return image > threshold
    out = image == maximum_filter(image, footprint=footprint, mode="nearest",
                                  workers=workers)
    if np.all(out) if mask is None else np.all(out[mask]):
        out[:] = False
        if mask is not None:
            out[_isolated(mask)] = True
    out &= image > threshold
    return out


def _exclude_border(label, widths):
    for i, width in enumerate(widths):
        if width == 0:
            continue
        label[(slice(None),) * i + (slice(None, width),)] = 0
        label[(slice(None),) * i + (slice(-width, None),)] = 0
    return label


def _pcode(p_norm):
    if not p_norm > 0:
        # skimage's KD-tree query then finds no point, not even the query
        # point itself, and its loop fails removing it
        raise ValueError(f"list.remove(x): x not in list (got p_norm={p_norm}; "
                         "p_norm must be positive)")
    if np.isinf(p_norm):
        return pk.P_INF
    return {1: pk.P_ONE, 2: pk.P_TWO}.get(p_norm, pk.P_ANY)


def _spacing(coords, shape, spacing, p_norm, strict, max_out):
    """Indices of the rows of ``coords`` kept by the greedy spacing."""
    ndim = coords.shape[1]
    pcode = _pcode(p_norm)
    cell = max(int(np.ceil(spacing)), 1)
    cdims = np.array([s // cell + 1 for s in shape], np.int64)
    offsets = np.array(list(itertools.product((-1, 0, 1), repeat=ndim)), np.int64)
    head = np.full(int(np.prod(cdims)), -1, np.int64)
    nxt = np.full(len(coords), -1, np.int64)
    keep = np.empty(len(coords), np.int64)
    c = np.ascontiguousarray(coords, np.int64)
    n = pk.greedy_spacing(c, cell, cdims, offsets, float(spacing), float(p_norm), pcode,
                          strict, max_out, head, nxt, keep)
    return keep[:n]


def _high_peaks(image, mask, num_peaks, min_distance, p_norm):
    """skimage's ``_get_high_intensity_peaks``."""
    coord = np.nonzero(mask)
    intensities = image[coord]
    idx_maxsort = np.argsort(-intensities, kind="stable")
    coord = np.transpose(coord)[idx_maxsort]
    if np.isfinite(num_peaks):
        max_out = int(num_peaks)
    else:
        max_out = len(coord)
    if min_distance > 1 and len(coord):
        coord = coord[_spacing(coord, image.shape, min_distance, p_norm, False, max_out)]
    if len(coord) > num_peaks:
        coord = coord[:num_peaks]
    return coord


@fill_doc
def peak_local_max(image: npt.ArrayLike, min_distance: int = 1, threshold_abs=None,
                   threshold_rel=None, exclude_border=True, num_peaks=np.inf,
                   footprint: npt.ArrayLike | None = None, labels: npt.ArrayLike | None = None,
                   num_peaks_per_label=np.inf, p_norm=np.inf, *,
                   workers: int | None = None) -> np.ndarray:
    """Find peaks in an image as coordinate list.

    Drop-in for :func:`skimage.feature.peak_local_max` (scikit-image 0.26).
    Peaks are the local maxima in a region of ``2 * min_distance + 1``
    (peaks are separated by at least ``min_distance``).  If both
    ``threshold_abs`` and ``threshold_rel`` are provided, the maximum of the
    two is the minimum intensity of peaks.

    Parameters
    ----------
    image : ndarray
        Input image.
    min_distance : int, optional
        The minimal allowed distance separating peaks. To find the maximum
        number of peaks, use ``min_distance=1``.
    threshold_abs : float or None, optional
        Minimum intensity of peaks. By default, the minimum of the image.
    threshold_rel : float or None, optional
        Minimum intensity of peaks, calculated as ``max(image) * threshold_rel``.
    exclude_border : int, tuple of ints, or bool, optional
        Excludes peaks within that many pixels of the border (per axis for a
        tuple); True takes ``min_distance``; 0 or False excludes none.
    num_peaks : int, optional
        Maximum number of peaks (the highest are returned).
    footprint : ndarray of bools, optional
        The local region within which to search for peaks at every point.
    labels : ndarray of ints, optional
        Each region ``labels == value`` is searched separately; 0 is
        background.
    num_peaks_per_label : int, optional
        Maximum number of peaks for each label.
    p_norm : float
        Which Minkowski p-norm to use (1 to inf; inf is the Chebyshev
        distance, 2 the Euclidean).
    {workers}

    Returns
    -------
    output : ndarray
        The coordinates of the peaks, highest first (ties in raster order).

    Notes
    -----
    Differences from :func:`skimage.feature.peak_local_max`: none in
    results; ``workers`` is extra (the maximum filter's threads).  The
    spacing between peaks is enforced by one greedy pass over a grid of
    cells instead of skimage's KD-tree queries, with the same decisions
    (a candidate is kept unless a kept, higher-ranked one is closer than
    ``min_distance``, distances as SciPy's ``cdist`` computes them).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.feature import peak_local_max
    >>> img = np.zeros((7, 7))
    >>> img[3, 4] = 1
    >>> img[3, 2] = 1.5
    >>> peak_local_max(img, min_distance=1)
    array([[3, 2],
           [3, 4]])
    >>> peak_local_max(img, min_distance=2)
    array([[3, 2]])
    """
    image = np.asarray(image)
    if (footprint is None or np.size(footprint) == 1) and min_distance < 1:
        warnings.warn("When min_distance < 1, peak_local_max acts as finding "
                      "image > max(threshold_abs, threshold_rel * max(image)).",
                      RuntimeWarning, stacklevel=2)
    widths = _border_widths(image, min_distance, exclude_border)
    threshold = threshold_abs if threshold_abs is not None else image.min()
    if threshold_rel is not None:
        threshold = max(threshold, threshold_rel * image.max())
    if footprint is None:
        size = 2 * min_distance + 1
        footprint = np.ones((size,) * image.ndim, dtype=bool)
    else:
        footprint = np.asarray(footprint)
    if labels is None:
        mask = _exclude_border(_peak_mask(image, footprint, threshold, workers=workers), widths)
        return _high_peaks(image, mask, num_peaks, min_distance, p_norm)
    labels = np.asarray(labels)
    _labels = _exclude_border(labels.astype(int, casting="safe"), widths)
    if np.issubdtype(image.dtype, np.floating):
        bg_val = np.finfo(image.dtype).min
    else:
        bg_val = np.iinfo(image.dtype).min
    found = []
    for label_idx, roi in enumerate(ndi.find_objects(_labels)):
        if roi is None:
            continue
        label_mask = labels[roi] == label_idx + 1
        img_object = image[roi].copy()
        img_object[np.logical_not(label_mask)] = bg_val
        mask = _peak_mask(img_object, footprint, threshold, label_mask, workers=workers)
        coords = _high_peaks(img_object, mask, num_peaks_per_label, min_distance, p_norm)
        coords += np.array([s.start for s in roi], coords.dtype)
        found.append(coords)
    coords = np.vstack(found) if found else np.empty((0, 2), dtype=int)
    if len(coords) > num_peaks:
        out = np.zeros_like(image, dtype=bool)
        out[tuple(coords.T)] = True
        coords = _high_peaks(image, out, num_peaks, min_distance, p_norm)
    return coords


@fill_doc
def corner_peaks(image: npt.ArrayLike, min_distance: int = 1, threshold_abs=None,
                 threshold_rel=None, exclude_border=True, indices: bool = True,
                 num_peaks=np.inf, footprint: npt.ArrayLike | None = None,
                 labels: npt.ArrayLike | None = None, *, num_peaks_per_label=np.inf,
                 p_norm=np.inf, workers: int | None = None) -> np.ndarray:
    """Find peaks in corner measure response image.

    Drop-in for :func:`skimage.feature.corner_peaks` (scikit-image 0.26).
    This differs from :func:`peak_local_max` in that it suppresses multiple
    connected peaks with the same accumulator value.

    Parameters
    ----------
    image : (M, N) ndarray
        Input image.
    min_distance : int, optional
        The minimal allowed distance separating peaks.
    threshold_abs, threshold_rel, exclude_border, num_peaks, footprint, labels, num_peaks_per_label
        See :func:`peak_local_max`.
    indices : bool, optional
        True: the coordinates of the peaks; False: a boolean array shaped
        like ``image`` with the peaks set.
    p_norm : float
        Which Minkowski p-norm to use (1 to inf) when suppressing peaks
        within ``min_distance`` of a kept one.
    {workers}

    Returns
    -------
    output : ndarray or ndarray of bools
        Coordinates (``indices=True``) or a boolean mask of the peaks.

    Notes
    -----
    Differences from :func:`skimage.feature.corner_peaks`: none in
    results; ``workers`` is extra.  As in skimage, ``num_peaks`` applies
    after the suppression of close peaks, and peaks within ``min_distance``
    (distance <= ``min_distance``) of a kept, higher-ranked peak are
    removed; fastimg does it in one greedy pass over a grid of cells instead
    of KD-tree queries.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.feature import corner_peaks
    >>> response = np.zeros((5, 5))
    >>> response[2:4, 2:4] = 1
    >>> corner_peaks(response)
    array([[2, 2]])
    """
    num = None if np.isinf(num_peaks) else num_peaks
    coords = peak_local_max(image, min_distance=min_distance, threshold_abs=threshold_abs,
                            threshold_rel=threshold_rel, exclude_border=exclude_border,
                            num_peaks=np.inf, footprint=footprint, labels=labels,
                            num_peaks_per_label=num_peaks_per_label, workers=workers)
    if len(coords):
        keep = _spacing(coords, np.shape(image), min_distance, p_norm, True, len(coords))
        coords = coords[np.sort(keep)][:num]
    if indices:
        return coords
    peaks = np.zeros_like(image, dtype=bool)
    peaks[tuple(coords.T)] = True
    return peaks
