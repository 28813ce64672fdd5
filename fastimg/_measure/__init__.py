"""The measure family: ``skimage.measure``'s labelling, contours and
polygons (scikit-image 0.26).

Its public functions are the only names other families may use.
"""
from .contours import find_contours
from .labelling import label
from .polygon import approximate_polygon, subdivide_polygon
from .regionprops import regionprops_table

__all__ = ["label", "find_contours", "approximate_polygon", "subdivide_polygon",
           "regionprops_table"]
