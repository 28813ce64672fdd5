"""The interpolation family: ``scipy.ndimage``'s B-spline prefilter and
geometric transforms (zoom, shift, rotate, affine_transform,
map_coordinates).

Its public functions are the only names other families may use.
"""
from .api import affine_transform, map_coordinates, rotate, shift, zoom
from .splines import spline_filter, spline_filter1d

__all__ = ["spline_filter1d", "spline_filter", "zoom", "shift", "rotate", "affine_transform",
           "map_coordinates"]
