"""Per-region shape measures of ``skimage.measure.regionprops`` (scikit-image
0.26) on one region's mask: perimeter (4-connected border, Benkrid and
Crookes' weights), Crofton perimeter, Euler number (Ohser's lookup tables),
convex hull image (SciPy's ``ConvexHull`` of the pixels' edge midpoints, then
the grid points inside, on a vertex or an edge of the hull polygon) and the
largest Feret diameter.

Each follows skimage's steps with the same NumPy / SciPy calls in the same
order, so values and types are identical (``np.float64`` perimeters,
``np.int64`` 2-D Euler numbers, a Python ``int`` in 3-D)."""
from __future__ import annotations

import math

import numpy as np
from scipy import ndimage as ndi
from scipy.spatial import ConvexHull, QhullError
from scipy.spatial.distance import pdist

from .._core.warn import warn_at_caller
from . import region_kernels as K

__all__ = ["perimeter", "perimeter_crofton", "euler_number", "convex_hull_image",
           "feret_diameter_max"]

_CROSS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.uint8)
_SQUARE = np.ones((3, 3), dtype=np.uint8)
#: a 2x2 (2-D) or 2x2x2 (3-D) configuration's code: one bit per pixel
_CONFIG_2D = np.array([[0, 0, 0], [0, 1, 4], [0, 2, 8]])
_CONFIG_3D = np.stack([np.zeros((3, 3), int), _CONFIG_2D, 16 * _CONFIG_2D])
#: Ohser, Nagel and Schladitz (2002): each configuration's contribution
_EULER_2D = {1: [0, 1, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0],
             2: [0, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, -1, 0]}
_EULER_3D_26 = np.array([
    0, 1, 1, 0, 1, 0, -2, -1, 1, -2, 0, -1, 0, -1, -1, 0, 1, 0, -2, -1, -2, -1, -1, -2,
    -6, -3, -3, -2, -3, -2, 0, -1, 1, -2, 0, -1, -6, -3, -3, -2, -2, -1, -1, -2, -3, 0,
    -2, -1, 0, -1, -1, 0, -3, -2, 0, -1, -3, 0, -2, -1, 0, 1, 1, 0, 1, -2, -6, -3, 0, -1,
    -3, -2, -2, -1, -3, 0, -1, -2, -2, -1, 0, -1, -3, -2, -1, 0, 0, -1, -3, 0, 0, 1, -2,
    -1, 1, 0, -2, -1, -3, 0, -3, 0, 0, 1, -1, 4, 0, 3, 0, 3, 1, 2, -1, -2, -2, -1, -2, -1,
    1, 0, 0, 3, 1, 2, 1, 2, 2, 1, 1, -6, -2, -3, -2, -3, -1, 0, 0, -3, -1, -2, -1, -2,
    -2, -1, -2, -3, -1, 0, -1, 0, 4, 3, -3, 0, 0, 1, 0, 1, 3, 2, 0, -3, -1, -2, -3, 0, 0,
    1, -1, 0, 0, -1, -2, 1, -1, 0, -1, -2, -2, -1, 0, 1, 3, 2, -2, 1, -1, 0, 1, 2, 2, 1,
    0, -3, -3, 0, -1, -2, 0, 1, -1, 0, -2, 1, 0, -1, -1, 0, -1, -2, 0, 1, -2, -1, 3, 2,
    -2, 1, 1, 2, -1, 0, 2, 1, -1, 0, -2, 1, -2, 1, 1, 2, -2, 3, -1, 2, -1, 2, 0, 1, 0, -1,
    -1, 0, -1, 0, 2, 1, -1, 2, 0, 1, 0, 1, 1, 0])
_R2 = math.sqrt(2)
#: Crofton weights of the 16 configurations (four directions)
_CROFTON_4 = [0, np.pi / 4 * (1 + 1 / (np.sqrt(2))), np.pi / (4 * np.sqrt(2)),
              np.pi / (2 * np.sqrt(2)), 0, np.pi / 4 * (1 + 1 / (np.sqrt(2))), 0,
              np.pi / (4 * np.sqrt(2)), np.pi / 4, np.pi / 2, np.pi / (4 * np.sqrt(2)),
              np.pi / (4 * np.sqrt(2)), np.pi / 4, np.pi / 2, 0, 0]


def _perimeter_weights():
    # a border pixel's code: 1 + 2 * (its 4-neighbours on the border)
    # + 10 * (its diagonal ones); straight runs weigh 1, corners sqrt(2),
    # a straight-to-diagonal step (1 + sqrt(2)) / 2
    w = np.zeros(50, dtype=np.float64)
    w[[5, 7, 15, 17, 25, 27]] = 1
    w[[21, 33]] = _R2
    w[[13, 23]] = (1 + _R2) / 2
    return w


_PERIMETER_WEIGHTS = _perimeter_weights()
_PERIMETER_CODES = np.array([[10, 2, 10], [2, 1, 2], [10, 2, 10]])


def perimeter(mask, neighborhood=4):
    """Perimeter of the True pixels of the 2-D ``mask``: the pixels an
    erosion by the cross (4) or the square (8) removes, each weighted by its
    border neighbours' pattern."""
    img = mask.astype(np.uint8)
    strel = _CROSS if neighborhood == 4 else _SQUARE
    border = img - ndi.binary_erosion(img, strel, border_value=0)
    codes = ndi.convolve(border, _PERIMETER_CODES, mode='constant', cval=0)
    return np.bincount(codes.ravel(), minlength=50) @ _PERIMETER_WEIGHTS


def _configurations(mask, config, dtype):
    """How many times each 2x2 (2x2x2) configuration occurs in the
    one-pixel padded mask (codes summed in ``dtype``, as skimage's)."""
    padded = np.pad((mask > 0).astype(dtype), pad_width=1, mode='constant')
    codes = ndi.convolve(padded, config, mode='constant', cval=0)
    return np.bincount(codes.ravel(), minlength=16 if config.ndim == 2 else 256)


def perimeter_crofton(mask):
    """Crofton perimeter (four directions) of the True pixels of the 2-D
    ``mask``."""
    return _CROFTON_4 @ _configurations(mask, _CONFIG_2D, np.uint8)


def euler_number(mask, connectivity):
    """Euler number of the True pixels of ``mask`` (2-D: objects minus
    holes; 3-D: objects plus cavities minus tunnels) for ``connectivity``
    (2-D: 1 or 2; 3-D: 1 or 3)."""
    if mask.ndim == 2:
        return _EULER_2D[1 if connectivity == 1 else 2] @ _configurations(
            mask, _CONFIG_2D, int)
    if connectivity == 2:
        raise NotImplementedError('For 3D images, Euler number is implemented '
                                  'for connectivities 1 and 3 only')
    coefs = _EULER_3D_26[::-1] if connectivity == 1 else _EULER_3D_26
    return int(0.125 * coefs @ _configurations(mask, _CONFIG_3D, int))


def _possible_hull(mask):
    """Each row's first and last True pixel, each column's top and bottom:
    a superset of the hull's vertices."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    w, h = mask.shape[1], mask.shape[0]
    left = np.argmax(mask[rows], axis=1)
    right = w - 1 - np.argmax(mask[rows, ::-1], axis=1)
    top = np.argmax(mask[:, cols], axis=0)
    bottom = h - 1 - np.argmax(mask[::-1, cols], axis=0)
    return np.concatenate([np.stack([rows, left], 1), np.stack([top, cols], 1),
                           np.stack([rows, right], 1), np.stack([bottom, cols], 1)])


def _hull_failed(err):
    warn_at_caller("Failed to get convex hull image. Returning empty image, see error "
                   f"message below:\n{err}")


def convex_hull_image(mask):
    """The pixels of ``mask``'s box inside (or on) the convex hull of its
    True pixels, each pixel counted as its four (2-D) / six (3-D) face
    centres."""
    nd = mask.ndim
    if nd == 2:
        coords = _possible_hull(mask).astype(np.float64)
    else:
        coords = np.transpose(np.nonzero(mask))
        try:
            first = ConvexHull(coords)
        except QhullError as err:
            _hull_failed(err)
            return np.zeros(mask.shape, dtype=bool)
        coords = first.points[first.vertices]
    offsets = np.zeros((2 * nd, nd))
    for axis in range(nd):
        offsets[2 * axis, axis], offsets[2 * axis + 1, axis] = -0.5, 0.5
    coords = np.unique((coords[:, None, :] + offsets).reshape(-1, nd), axis=0)
    try:
        hull = ConvexHull(coords)
    except QhullError as err:
        _hull_failed(err)
        return np.zeros(mask.shape, dtype=bool)
    if nd == 2:
        verts = hull.points[hull.vertices]
        where = np.zeros(mask.shape, np.uint8)
        K.grid_in_polygon(np.ascontiguousarray(verts[:, 0]),
                          np.ascontiguousarray(verts[:, 1]), where)
        return where >= 1
    # 3-D: every facet's inequality, tested on all grid points in turn
    grid = np.reshape(np.mgrid[tuple(map(slice, mask.shape))], (nd, -1))
    inside = np.ones(grid.shape[1], dtype=bool)
    dot = np.empty(grid.shape[1], dtype=np.float64)
    ineq = np.empty(grid.shape[1], dtype=np.float64)
    single = np.empty(grid.shape[1], dtype=bool)
    eq = hull.equations
    for i in range(eq.shape[0]):
        np.dot(eq[i, :nd], grid, out=dot)
        np.add(dot, eq[i, nd:], out=ineq)
        np.less(ineq, 1e-10, out=single)
        inside *= single
    return np.reshape(inside, mask.shape)


def feret_diameter_max(hull_image, spacing):
    """Largest distance between two points of the iso-0.5 contour (2-D) or
    surface (3-D) of the 2-pixel padded convex hull image, coordinates times
    ``spacing``.  On a 0/1 image every crossing of the level sits halfway
    along a grid edge between an inside and an outside pixel; the contour's
    points (2-D) and the marching-cubes vertices (3-D) are these midpoints,
    and the largest distance does not depend on their order."""
    padded = np.pad(hull_image, 2, mode='constant', constant_values=0)
    if padded.ndim == 2:
        from .contours import find_contours
        pts = np.vstack(find_contours(padded, 0.5, fully_connected='high'))
    else:
        if not padded.any():
            # (a hull Qhull could not build: skimage's marching cubes refuses)
            raise ValueError("Surface level must be within volume data range.")
        parts = []
        for axis in range(3):
            lo = [slice(None)] * 3
            hi = [slice(None)] * 3
            lo[axis], hi[axis] = slice(None, -1), slice(1, None)
            mid = np.argwhere(padded[tuple(lo)] != padded[tuple(hi)]).astype(np.float32)
            mid[:, axis] += 0.5
            parts.append(mid)
        pts = np.concatenate(parts)
    return math.sqrt(np.max(pdist(pts * spacing, 'sqeuclidean')))
