"""The labels family: connected-component labelling, object boxes and the
measurements per label and the distance transforms (``scipy.ndimage``);
``skimage.segmentation.clear_border``.

Its public functions are the only names other families may use.
"""
from .api import find_objects, label
from .border import clear_border
from .distance import distance_transform_cdt, distance_transform_edt
from .label_hist import histogram
from .measure import center_of_mass, mean, standard_deviation, sum, sum_labels, variance
from .select import extrema, maximum, maximum_position, median, minimum, minimum_position

__all__ = ["label", "find_objects", "sum_labels", "sum", "mean", "variance",
           "standard_deviation", "minimum", "maximum", "median", "minimum_position",
           "maximum_position", "extrema", "center_of_mass", "distance_transform_edt",
           "distance_transform_cdt", "clear_border", "histogram"]
