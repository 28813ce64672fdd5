"""The morphology family: ``scipy.ndimage``'s binary and grey morphology and
``skimage.morphology``'s grey morphology and footprints (its top-hats as
``skimage_white_tophat`` / ``skimage_black_tophat``: their names are
ndimage's here).

Its public functions are the only names other families may use.
"""
from .binary import (binary_closing, binary_dilation, binary_erosion, binary_fill_holes,
                     binary_hit_or_miss, binary_opening, binary_propagation,
                     generate_binary_structure, iterate_structure)
from .footprints import diamond, disk, ellipse, footprint_rectangle, octagon, square, star
from .grey import (black_tophat, grey_closing, grey_dilation, grey_erosion, grey_opening,
                   morphological_gradient, morphological_laplace, white_tophat)
from .sk_gray import closing, dilation, erosion, opening
from .sk_misc import remove_small_holes, remove_small_objects
from .sk_tophat import skimage_black_tophat, skimage_white_tophat

__all__ = ["generate_binary_structure", "iterate_structure", "binary_erosion",
           "binary_dilation", "binary_opening", "binary_closing", "binary_hit_or_miss",
           "binary_propagation", "binary_fill_holes", "grey_erosion", "grey_dilation",
           "grey_opening", "grey_closing", "morphological_gradient", "morphological_laplace",
           "white_tophat", "black_tophat", "erosion", "dilation", "opening", "closing",
           "disk", "footprint_rectangle", "square", "diamond", "ellipse", "octagon", "star",
           "remove_small_objects", "remove_small_holes", "skimage_white_tophat",
           "skimage_black_tophat"]
