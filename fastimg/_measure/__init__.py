"""The measure family: ``skimage.measure``'s labelling, contours and
polygons (scikit-image 0.26).

Its public functions are the only names other families may use.
"""
from .contours import find_contours
from .labelling import label
from .polygon import approximate_polygon, subdivide_polygon
from .region_table import regionprops_table
from .regions import regionprops

__all__ = ["label", "find_contours", "approximate_polygon", "subdivide_polygon",
           "regionprops", "regionprops_table"]
