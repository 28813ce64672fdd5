"""Public wrappers of the Hough family's shapes: scikit-image 0.26's
``skimage.transform.hough_circle``, ``hough_circle_peaks``,
``probabilistic_hough_line`` and ``hough_ellipse`` (the line transform and
the shared helpers live in :mod:`.api`).
"""
from __future__ import annotations

import math
import operator

import numpy as np
import numpy.typing as npt

from .._core.dispatch import resolve_workers, run, run_blocks, split
from .._core.docs import fill_doc
from . import shape_kernels
from .api import _check_filter_args, _default_theta, _edge_coords, _peaks_stack, _prominent_peaks, _received, _require_float64_vector, _require_ndarray

__all__ = ["hough_circle", "hough_circle_peaks", "probabilistic_hough_line", "hough_ellipse"]

#: hough_ellipse's output table, as skimage builds it
ELLIPSE_DTYPE = np.dtype([("accumulator", np.intp), ("yc", np.float64), ("xc", np.float64),
                          ("a", np.float64), ("b", np.float64), ("orientation", np.float64)])


@fill_doc
def hough_circle(image: np.ndarray, radius: npt.ArrayLike, normalize: bool = True,
                 full_output: bool = False, *, workers: int | None = None) -> np.ndarray:
    """Perform a circular Hough transform.

    Drop-in for :func:`skimage.transform.hough_circle` (scikit-image 0.26).

    Parameters
    ----------
    image : ndarray, shape (M, N)
        Input image with nonzero values representing edges.
    radius : scalar or sequence of scalars
        Radii at which to compute the Hough transform.
        Floats are converted to integers.
    normalize : bool, optional
        Normalize the accumulator with the number
        of pixels used to draw the radius.
    full_output : bool, optional
        Extend the output size by twice the largest
        radius in order to detect centers outside the
        input picture.
    {workers}

    Returns
    -------
    H : ndarray, shape (radius index, M + 2R, N + 2R)
        Hough transform accumulator for each radius.
        R designates the larger radius if full_output is True.
        Otherwise, R = 0.

    Notes
    -----
    Differences from :func:`skimage.transform.hough_circle`: none in
    results (float64, bit-identical).  Each edge pixel votes along
    skimage's Bresenham perimeter (``draw.circle_perimeter``, duplicates
    included); skimage adds ``1 / len(perimeter)`` once per vote, so a
    cell's value depends only on its vote count, which fastimg counts
    exactly and maps through the same sequence of float64 additions.
    Radii run in parallel; within a radius the pixels are visited once per
    perimeter offset, walking the accumulator in raster order.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import transform
    >>> img = np.zeros((40, 40), dtype=bool)
    >>> t = np.linspace(0, 2 * np.pi, 200)
    >>> img[np.round(20 + 10 * np.sin(t)).astype(int),
    ...     np.round(18 + 10 * np.cos(t)).astype(int)] = True
    >>> H = transform.hough_circle(img, [9, 10, 11])
    >>> ridx, r, c = np.unravel_index(np.argmax(H), H.shape)
    >>> int(r), int(c), [9, 10, 11][ridx]
    (20, 18, 10)
    """
    radius = np.atleast_1d(np.asarray(radius))
    radius = radius.astype(np.intp)
    _require_ndarray(image, "img")
    if radius.ndim != 1:
        raise ValueError(f"Buffer has wrong number of dimensions (expected 1, got "
                         f"{radius.ndim}) {_received(radius)}")
    if image.ndim != 2:
        raise ValueError(f"The input image must be 2D {_received(image)}.")
    n_threads = resolve_workers(workers)
    offset = int(radius.max()) if full_output else 0
    rows, cols = image.shape
    acc = np.zeros((radius.size, rows + 2 * offset, cols + 2 * offset), dtype=np.float64)
    ys, xs = _edge_coords(image, n_threads)
    if ys.size and radius.size:
        radii = np.ascontiguousarray(radius, dtype=np.int64)
        pad = max(int(np.abs(radii).max()), offset)
        w2 = cols + 2 * pad
        lin = (ys.astype(np.int64) + pad) * w2 + (xs.astype(np.int64) + pad)
        per = sum(8 * (abs(int(r)) + 1) for r in radii)
        run(shape_kernels.circle_vote, (lin, radii, pad, offset, bool(normalize), acc), items=radius.size,
            size=ys.size * per, n_threads=n_threads)
    return acc


def _distant_points(xs, ys, min_xdistance, min_ydistance, max_points):
    """skimage's ``label_distant_points``: keep a point unless an earlier kept
    point lies within both distances; at most ``max_points`` kept.  The
    candidates come from the same KD-tree ball query as skimage's."""
    from scipy.spatial import cKDTree
    n = len(xs)
    near = np.zeros(n, dtype=bool)
    tree = cKDTree(np.stack([xs, ys], axis=1))
    kept = 0
    radius = np.hypot(min_xdistance, min_ydistance)
    for i in range(n):
        if kept >= max_points:
            near[i] = True
            continue
        if near[i]:
            continue
        for j in tree.query_ball_point((xs[i], ys[i]), radius):
            if (j > i and abs(xs[j] - xs[i]) <= min_xdistance
                    and abs(ys[j] - ys[i]) <= min_ydistance):
                near[j] = True
        kept += 1
    return ~near


@fill_doc
def hough_circle_peaks(hspaces: np.ndarray, radii: npt.ArrayLike, min_xdistance: int = 1,
                       min_ydistance: int = 1, threshold: float | None = None,
                       num_peaks: float = np.inf, total_num_peaks: float = np.inf,
                       normalize: bool = False, *, workers: int | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return peaks in a circle Hough transform.

    Drop-in for :func:`skimage.transform.hough_circle_peaks` (scikit-image 0.26).

    Identifies most prominent circles separated by certain distances in given
    Hough spaces. Non-maximum suppression with different sizes is applied
    separately in the first and second dimension of the Hough space to
    identify peaks. For circles with different radius but close in distance,
    only the one with highest peak is kept.

    Parameters
    ----------
    hspaces : (M, N, P) array
        Hough spaces returned by the `hough_circle` function.
    radii : (M,) array
        Radii corresponding to Hough spaces.
    min_xdistance : int, optional
        Minimum distance separating centers in the x dimension.
    min_ydistance : int, optional
        Minimum distance separating centers in the y dimension.
    threshold : float, optional
        Minimum intensity of peaks in each Hough space.
        Default is `0.5 * max(hspace)`.
    num_peaks : int, optional
        Maximum number of peaks in each Hough space. When the
        number of peaks exceeds `num_peaks`, only `num_peaks`
        coordinates based on peak intensity are considered for the
        corresponding radius.
    total_num_peaks : int, optional
        Maximum number of peaks. When the number of peaks exceeds `num_peaks`,
        return `num_peaks` coordinates based on peak intensity.
    normalize : bool, optional
        If True, normalize the accumulator by the radius to sort the prominent
        peaks.
    {workers}

    Returns
    -------
    accum, cx, cy, rad : tuple of array
        Peak values in Hough space, x and y center coordinates and radii.

    Notes
    -----
    Differences from :func:`skimage.transform.hough_circle_peaks`: none in
    results.  The per-radius peak search (see :func:`hough_line_peaks`) runs
    for all radii in parallel; the merge, the final sort and the removal of
    close centres follow skimage step for step.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import transform
    >>> img = np.zeros((40, 40), dtype=bool)
    >>> t = np.linspace(0, 2 * np.pi, 200)
    >>> img[np.round(20 + 10 * np.sin(t)).astype(int),
    ...     np.round(18 + 10 * np.cos(t)).astype(int)] = True
    >>> H = transform.hough_circle(img, [10])
    >>> accum, cx, cy, rad = transform.hough_circle_peaks(H, [10], total_num_peaks=1)
    >>> int(cx[0]), int(cy[0]), int(rad[0])
    (18, 20, 10)
    """
    n_threads = resolve_workers(workers)
    pairs = list(zip(radii, hspaces))
    found = []
    if (isinstance(hspaces, np.ndarray) and hspaces.ndim == 3 and len(pairs)
            and hspaces.dtype.kind in "biuf" and hspaces.dtype != np.float16
            and hspaces.dtype.itemsize <= 8 and hspaces.shape[1] * hspaces.shape[2] > 0):
        stack = hspaces[:len(pairs)]
        my, mx = _check_filter_args(stack[0], min_xdistance, min_ydistance)
        if threshold is None:
            thresholds = [0.5 * np.max(hp) for hp in stack]
        else:
            thresholds = [threshold] * len(pairs)
        per = _peaks_stack(stack, thresholds, my, mx, n_threads)
        for h, x, y in per:
            if num_peaks < len(h):
                order = np.argsort(h)[::-1][:num_peaks]
                h, x, y = h[order], x[order], y[order]
            found.append((h, x, y))
    else:
        for rad, hp in pairs:
            found.append(_prominent_peaks(hp, min_xdistance=min_xdistance,
                                          min_ydistance=min_ydistance, threshold=threshold,
                                          num_peaks=num_peaks, n_threads=n_threads))
    r, cx, cy, accum = [], [], [], []
    for (rad, _), (h, x, y) in zip(pairs, found):
        r.extend((rad,) * len(h))
        cx.extend(x)
        cy.extend(y)
        accum.extend(h)
    r = np.array(r)
    cx = np.array(cx)
    cy = np.array(cy)
    accum = np.array(accum)
    s = np.argsort(accum / r) if normalize else np.argsort(accum)
    accum_sorted, cx_sorted, cy_sorted, r_sorted = accum[s][::-1], cx[s][::-1], \
        cy[s][::-1], r[s][::-1]
    tnp = len(accum_sorted) if total_num_peaks == np.inf else total_num_peaks
    if (min_xdistance == 1 and min_ydistance == 1) or len(accum_sorted) == 0:
        return accum_sorted[:tnp], cx_sorted[:tnp], cy_sorted[:tnp], r_sorted[:tnp]
    keep = _distant_points(cx_sorted, cy_sorted, min_xdistance, min_ydistance, tnp)
    return accum_sorted[keep], cx_sorted[keep], cy_sorted[keep], r_sorted[keep]


def probabilistic_hough_line(image: np.ndarray, threshold: int = 10, line_length: int = 50,
                             line_gap: int = 10, theta: np.ndarray | None = None,
                             rng: np.random.Generator | int | None = None) -> list:
    """Return lines from a progressive probabilistic line Hough transform.

    Drop-in for :func:`skimage.transform.probabilistic_hough_line`
    (scikit-image 0.26).

    Parameters
    ----------
    image : ndarray, shape (M, N)
        Input image with nonzero values representing edges.
    threshold : int, optional
        Threshold
    line_length : int, optional
        Minimum accepted length of detected lines.
        Increase the parameter to extract longer lines.
    line_gap : int, optional
        Maximum gap between pixels to still form a line.
        Increase the parameter to merge broken lines more aggressively.
    theta : ndarray of dtype, shape (K,), optional
        Angles at which to compute the transform, in radians.
        Defaults to a vector of 180 angles evenly spaced in the
        range [-pi/2, pi/2).
    rng : {`numpy.random.Generator`, int}, optional
        Pseudo-random number generator.
        By default, a PCG64 generator is used (see :func:`numpy.random.default_rng`).
        If `rng` is an int, it is used to seed the generator.

    Returns
    -------
    lines : list
      List of lines identified, lines in format ((x0, y0), (x1, y1)),
      indicating line start and end.

    Notes
    -----
    Differences from :func:`skimage.transform.probabilistic_hough_line`:
    none.  The pixel order is skimage's draw, ``np.random.default_rng(rng)``
    shuffling ``np.arange(number of edge pixels)`` (a given Generator is
    advanced the same way), and the vote / walk / unvote loop is skimage's,
    compiled (it is sequential by nature: each line removes pixels that
    later draws would have used).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import transform
    >>> img = np.zeros((60, 60), dtype=bool)
    >>> img[30, 5:55] = True
    >>> transform.probabilistic_hough_line(img, line_length=20, rng=0)
    [((54, 30), (5, 30))]
    """
    if image.ndim != 2:
        raise ValueError(f"The input image `image` must be 2D {_received(image)}.")
    if theta is None:
        theta = _default_theta()
    # Cython's conversions, in argument order
    threshold = operator.index(threshold)
    line_length = operator.index(line_length)
    line_gap = operator.index(line_gap)
    _require_ndarray(image, "img")
    _require_ndarray(theta, "theta")
    _require_float64_vector(theta)
    height, width = image.shape
    ys, xs = _edge_coords(image, 1)
    mask = np.zeros((height, width), np.uint8)
    mask[ys, xs] = 1
    random_state = np.random.default_rng(rng)
    order = np.arange(ys.size, dtype=np.intp)
    random_state.shuffle(order)
    with np.errstate(invalid="ignore"):
        ctheta = np.cos(theta)
        stheta = np.sin(theta)
    bad = np.isnan(ctheta) | np.isnan(stheta)
    if bad.any():   # as in hough_line: NaN angles vote on rho = 0
        ctheta[bad] = 0.0
        stheta[bad] = 0.0
    lines = np.zeros((shape_kernels.LINES_MAX, 4), np.int64)
    accum = line_accumulator(height, width, ctheta, stheta, ys.size)
    n = shape_kernels.probabilistic_lines(mask, ys, xs, order.astype(np.int64, copy=False),
                                          ctheta, stheta, threshold, line_length, line_gap,
                                          lines, accum)
    return [((x0, y0), (x1, y1)) for x0, y0, x1, y1 in lines[:n].tolist()]


def line_accumulator(height: int, width: int, ctheta: np.ndarray, stheta: np.ndarray,
                     n_edges: int) -> np.ndarray:
    """The zeroed, flat accumulator of ``probabilistic_lines`` in the
    narrowest of int16 / int32 / int64 that holds every count exactly.

    Each edge pixel votes at most once (the order is a permutation) and is
    unvoted at most once (when a line removes it from the mask), so a cell
    (angle c, s; rho bin k) stays within +-(the edge pixels whose rounded
    c x + s y is k): at most ``n_edges``.  These lie within 1/2 (plus the
    float rounding, far below 1/2) of the line c x + s y = k: at most
    1 / |s| + 2 per column and 1 / |c| + 2 per row, so at most
    width * (1 / |s| + 2) and height * (1 / |c| + 2).  For a finite angle
    max(|c|, |s|) >= 0.7: 2048² with any angles fits int16 (<= 7000);
    zeroed (NaN) angles put every pixel in one cell: ``n_edges``.
    """
    max_distance = 2 * math.ceil(math.sqrt(height * height + width * width))
    with np.errstate(divide="ignore", over="ignore"):
        per_col = width * (1.0 / np.abs(stheta) + 2.0)
        per_row = height * (1.0 / np.abs(ctheta) + 2.0)
    bound = np.minimum(np.minimum(per_col, per_row), float(n_edges)).max(initial=0.0)
    for dtype in (np.int16, np.int32, np.int64):
        if bound <= np.iinfo(dtype).max:
            break
    return np.zeros(ctheta.size * max_distance, dtype)


@fill_doc
def hough_ellipse(image: np.ndarray, threshold: int = 4, accuracy: float = 1,
                  min_size: int = 4, max_size: float | None = None, *,
                  workers: int | None = None) -> np.ndarray:
    """Perform an elliptical Hough transform.

    Drop-in for :func:`skimage.transform.hough_ellipse` (scikit-image 0.26).

    Parameters
    ----------
    image : (M, N) ndarray
        Input image with nonzero values representing edges.
    threshold : int, optional
        Accumulator threshold value. A lower value will return more ellipses.
    accuracy : double, optional
        Bin size on the minor axis used in the accumulator. A higher value
        will return more ellipses, but lead to a less precise estimation of
        the minor axis lengths.
    min_size : int, optional
        Minimal major axis length.
    max_size : int, optional
        Maximal minor axis length.
        If None, the value is set to half of the smaller
        image dimension.
    {workers}

    Returns
    -------
    result : ndarray with fields [(accumulator, yc, xc, a, b, orientation)].
        Where ``(yc, xc)`` is the center, ``(a, b)`` the major and minor
        axes, respectively. The `orientation` value follows the
        `skimage.draw.ellipse_perimeter` convention.  An image without
        nonzero pixels gives ``np.zeros((0, 6))``, as in skimage.

    Notes
    -----
    Differences from :func:`skimage.transform.hough_ellipse`: none in
    results (same table, same order, bit-identical floats).  For every pair
    of edge pixels (p2 before p1) farther apart than ``min_size``, every
    edge pixel votes for a squared minor axis with the pyx's float64
    expressions; the histogram is numpy's (``np.arange`` edges, half-open
    bins but the last, values past the last edge dropped) counted in a
    reused buffer, not rebuilt per pair.  First pixels are split into
    blocks of equal work run in parallel, and the blocks' results are
    concatenated in order.  The search stays O(n**3) in edge pixels.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import transform
    >>> img = np.zeros((25, 25), dtype=np.uint8)
    >>> t = np.linspace(0, 2 * np.pi, 100)
    >>> img[np.round(10 + 6 * np.sin(t)).astype(int),
    ...     np.round(10 + 8 * np.cos(t)).astype(int)] = 1
    >>> result = transform.hough_ellipse(img, threshold=8)
    >>> result.dtype.names
    ('accumulator', 'yc', 'xc', 'a', 'b', 'orientation')
    """
    threshold = operator.index(threshold)
    if isinstance(accuracy, (str, bytes)):
        raise TypeError(f"must be real number, not {type(accuracy).__name__}")
    accuracy = float(accuracy)
    min_size = operator.index(min_size)
    _require_ndarray(image, "img")
    if image.ndim != 2:
        raise ValueError(f"The input image must be 2D {_received(image)}.")
    if not np.any(image):
        return np.zeros((0, 6))
    n_threads = resolve_workers(workers)
    ys, xs = _edge_coords(image, n_threads)
    n = ys.size
    bin_size = accuracy * accuracy
    if max_size is None:
        half = np.round(0.5 * image.shape[0]) if image.shape[0] < image.shape[1] else \
            np.round(0.5 * image.shape[1])
        max_b2 = float(half) * float(half)
    else:
        max_b2 = float(max_size * max_size)
    nbins_max = 0
    if bin_size > 0 and math.isfinite(max_b2) and math.isfinite(bin_size):
        bound = math.ceil((max(max_b2, 0.0) + bin_size) / bin_size) + 2
        nbins_max = bound if bound <= 1 << 22 else 0
    args = (ys, xs, threshold, bin_size, min_size, max_b2, nbins_max)
    work = n * n * (n - 1) // 2
    # blocks of first pixels p1 of equal work: p1 pairs (p2 < p1), each
    # voted on by every edge pixel
    bounds = split(n, size=work, cost=2.0, n_threads=n_threads, per_thread=8,
                   weights=lambda: np.arange(n, dtype=np.float64))
    nb = len(bounds) - 1
    # results buffered per block; a block whose buffer may not hold its next
    # first pixel's results resumes there with a new buffer (a first pixel
    # p1 gives at most p1 results, so a buffer of n always makes progress).
    # Long serial searches have many short blocks (dispatch.SLICE_NS), so
    # the first buffers together stay under a million results.
    cap = max(64, min(4096, (1 << 20) // nb), n)

    def search(b, start, stop):
        pieces = []
        while True:
            acc_k = np.empty(cap, np.int64)
            f_k = np.empty((cap, 5), np.float64)
            m, err, start = shape_kernels.ellipse_search(*args, acc_k, f_k, start, stop)
            pieces.append((acc_k[:m], f_k[:m]))
            if err or start >= stop:
                return pieces, err

    # blocks of first pixels, each into its own buffers (results
    # concatenated in block order: the sequential order)
    blocks = run_blocks(search, bounds, n_threads)
    errs = [err for _, err in blocks]
    if any(errs):
        if 1 in errs:
            raise ValueError("Maximum allowed size exceeded (np.arange of the histogram "
                             f"edges with bin size accuracy**2 = {bin_size})")
        raise ValueError(f"arange: cannot compute length (histogram edges with bin size "
                         f"accuracy**2 = {bin_size})")
    parts = [piece for pieces, _ in blocks for piece in pieces]
    total = sum(p[0].size for p in parts)
    result = np.empty(total, dtype=ELLIPSE_DTYPE)
    pos = 0
    for acc_k, f_k in parts:
        m = acc_k.size
        result["accumulator"][pos:pos + m] = acc_k
        for j, name in enumerate(("yc", "xc", "a", "b", "orientation")):
            result[name][pos:pos + m] = f_k[:, j]
        pos += m
    return result
