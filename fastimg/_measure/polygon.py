"""Public wrappers of ``skimage.measure.approximate_polygon`` and
``subdivide_polygon`` (scikit-image 0.26).

Rules reproduced from scikit-image (``_polygon.py``):

* ``approximate_polygon`` returns ``coords`` itself for ``tolerance <= 0``;
  otherwise Douglas-Peucker with an explicit stack (the right half pushed
  first, so the left half is split first), the segment's angle
  ``-arctan2(dr, dc)`` and offset ``c0 sin + r0 cos`` from NumPy scalars,
  distances in the coordinates' precision stored as float64;
* ``subdivide_polygon``: B-spline masks of degree 1-7 (ValueError
  otherwise), a closed polygon (first point == last point) convolved with
  wrap-around (``'same'``) and closed again, an open one ``'valid'``, with
  the ends kept on ``preserve_ends``; the convolutions are SciPy's
  ``convolve2d`` (fastimg's, bit-identical).
"""
from __future__ import annotations

import numpy as np

from .._signal2d import convolve2d
from . import polygon_kernels as K

__all__ = ["approximate_polygon", "subdivide_polygon"]

#: B-spline subdivision masks (even, odd) per degree: rows of Pascal's
#: triangle, divided by 2**degree
_MASKS = {
    1: ([1, 1], [1, 1]),
    2: ([3, 1], [1, 3]),
    3: ([1, 6, 1], [0, 4, 4]),
    4: ([5, 10, 1], [1, 10, 5]),
    5: ([1, 15, 15, 1], [0, 6, 20, 6]),
    6: ([7, 35, 21, 1], [1, 21, 35, 7]),
    7: ([1, 28, 70, 28, 1], [0, 8, 56, 56, 8]),
}


def _distances_numpy(coords, start, end, cos_a, sin_a, seg_dist, tolerance, dists):
    """:func:`polygon_kernels.farthest` in NumPy, for the dtypes whose
    arithmetic Numba types differently (small integers, float16)."""
    r0, c0 = coords[start, :]
    r1, c1 = coords[end, :]
    dr, dc = r1 - r0, c1 - c0
    pts = coords[start + 1:end, :]
    dr0, dc0 = pts[:, 0] - r0, pts[:, 1] - c0
    dr1, dc1 = pts[:, 0] - r1, pts[:, 1] - c1
    inside = ((dr0 * dr + dc0 * dc) > 0) & ((-dr1 * dr - dc1 * dc) > 0)
    d = dists[start + 1:end]
    d[inside] = np.abs(pts[inside, 0] * cos_a + pts[inside, 1] * sin_a - seg_dist)
    out = ~inside
    d[out] = np.minimum(np.sqrt(dc0[out] ** 2 + dr0[out] ** 2),
                        np.sqrt(dc1[out] ** 2 + dr1[out] ** 2))
    if np.any(d > tolerance):
        return start + 1 + int(np.argmax(d))
    return -1


def approximate_polygon(coords, tolerance):
    """Approximate a polygonal chain with the specified tolerance.

    Drop-in for :func:`skimage.measure.approximate_polygon` (scikit-image
    0.26). It is based on the Douglas-Peucker algorithm.

    Parameters
    ----------
    coords : (K, 2) array
        Coordinate array.
    tolerance : float
        Maximum distance from original points of polygon to approximated
        polygonal chain. If tolerance is 0, the original coordinate array
        is returned.

    Returns
    -------
    coords : (L, 2) array
        Approximated polygonal chain where L <= K.

    Notes
    -----
    Differences from :func:`skimage.measure.approximate_polygon`: none
    (the same points are kept; the distances of float64 and float32
    chains are computed by a jitted kernel with skimage's arithmetic).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.measure import approximate_polygon
    >>> chain = np.array([[0, 0], [1, 0.1], [2, 0], [3, 2], [4, 0]], float)
    >>> approximate_polygon(chain, tolerance=0.5)
    array([[0., 0.],
           [2., 0.],
           [3., 2.],
           [4., 0.]])
    """
    if tolerance <= 0:
        return coords
    n = coords.shape[0]
    keep = np.zeros(n, bool)
    dists = np.zeros(n)
    keep[0] = True
    keep[-1] = True
    jitted = coords.dtype in (np.dtype(np.float64), np.dtype(np.float32))
    if jitted:
        data = np.ascontiguousarray(coords)
        tol = float(tolerance)
    stack = [(0, n - 1)]
    while stack:
        start, end = stack.pop()
        r0, c0 = coords[start, :]
        r1, c1 = coords[end, :]
        # the trigonometry on NumPy scalars, as skimage computes it
        angle = -np.arctan2(r1 - r0, c1 - c0)
        cos_a, sin_a = np.cos(angle), np.sin(angle)
        seg_dist = c0 * sin_a + r0 * cos_a
        if jitted and end - start > 1 and np.isfinite(tol):
            split = int(K.farthest(data, start, end, cos_a, sin_a, seg_dist, tol, dists))
        else:
            split = _distances_numpy(coords, start, end, cos_a, sin_a, seg_dist,
                                     tolerance, dists)
        if split >= 0:
            stack.append((split, end))
            stack.append((start, split))
            keep[split] = True
    return coords[keep, :]


def subdivide_polygon(coords, degree=2, preserve_ends=False):
    """Subdivision of polygonal curves using B-Splines.

    Drop-in for :func:`skimage.measure.subdivide_polygon` (scikit-image
    0.26).

    Parameters
    ----------
    coords : (K, 2) array
        Coordinate array.
    degree : {1, 2, 3, 4, 5, 6, 7}, optional
        Degree of B-Spline. Default is 2.
    preserve_ends : bool, optional
        Preserve first and last coordinate of non-circular polygon. Default
        is False.

    Returns
    -------
    coords : (L, 2) array
        Subdivided coordinate array.

    Notes
    -----
    Differences from :func:`skimage.measure.subdivide_polygon`: none; the
    error message adds the degree received.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.measure import subdivide_polygon
    >>> corner = np.array([[0, 0], [0, 4], [4, 4]], float)
    >>> subdivide_polygon(corner, degree=2)
    array([[0., 1.],
           [0., 3.],
           [1., 4.],
           [3., 4.]])
    """
    if degree not in _MASKS:
        raise ValueError("Invalid B-Spline degree. Only degree 1 - 7 is supported "
                         f"(got {degree!r}).")
    circular = np.all(coords[0, :] == coords[-1, :])
    mode = 'valid'
    if circular:
        # the last point repeats the first: drop it and wrap around
        coords = coords[:-1, :]
        mode = 'same'
    even_w, odd_w = _MASKS[degree]
    even_w = np.array(even_w, float) / (2**degree)
    odd_w = np.array(odd_w, float) / (2**degree)
    even = convolve2d(coords.T, np.atleast_2d(even_w), mode=mode, boundary='wrap')
    odd = convolve2d(coords.T, np.atleast_2d(odd_w), mode=mode, boundary='wrap')
    out = np.zeros((even.shape[1] + odd.shape[1], 2))
    out[1::2] = even.T
    out[::2] = odd.T
    if circular:
        out = np.vstack([out, out[0, :]])
    if preserve_ends and not circular:
        out = np.vstack([coords[0, :], out, coords[-1, :]])
    return out
