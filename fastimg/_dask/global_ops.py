"""The global (whole-image) operations of ``fastimg.dask``, exact.

``FUNCTIONS`` maps namespace -> function name -> dask twin; the registry
(:mod:`fastimg._dask.registry`) uses these in place of its generic
strategies.  Every twin has the single-machine function's name and
signature, takes a dask array (NumPy is converted with ``da.asarray``) and
returns what the single-machine function returns, lazily:

* arrays: dask arrays (lengths that depend on the data, e.g. an integer
  histogram's bins or Hough peaks, are NaN until computed);
* scalars (thresholds, label counts): 0-d dask arrays whose ``compute()``
  is exactly the single-machine value, same type (``numpy.int64``,
  ``numpy.float32``, a Python ``int`` count, ...); they broadcast in dask
  expressions such as ``image > threshold``.

Blocks run the single-machine kernels with one thread each (Dask runs the
blocks in parallel); the histogram, threshold and Canny twins pass their
``workers`` argument to the blocks when it is given.  Argument errors are
raised by the call, data errors
(a NaN histogram range, too few grey levels for multi-Otsu, too many labels
for the output dtype) by ``compute()``; both with the single-machine
exception type.  See the modules for the algorithms:

* :mod:`.global_hist`: ``exposure.histogram``, ``ndimage.histogram``,
  ``filters.threshold_otsu``, ``filters.threshold_multiotsu``;
* :mod:`.global_label` / :mod:`.global_regions`: ``ndimage.label``,
  ``measure.label``, ``filters.apply_hysteresis_threshold``,
  ``ndimage.binary_fill_holes``;
* :mod:`.global_edges`: ``feature.canny``, ``transform.hough_line``,
  ``transform.hough_line_peaks``.

* :mod:`.global_props`: ``measure.regionprops_table`` (label, area,
  num_pixels, bbox, intensity_max / _min by blocks; other properties in
  one whole-image task).
"""
from __future__ import annotations

from .global_edges import canny, hough_line, hough_line_peaks
from .global_hist import histogram, ndi_histogram, threshold_multiotsu, threshold_otsu
from .global_props import regionprops_table
from .global_regions import (apply_hysteresis_threshold, binary_fill_holes, measure_label,
                             ndi_label)

__all__ = ["FUNCTIONS"]

FUNCTIONS = {
    "exposure": {"histogram": histogram},
    "ndimage": {"histogram": ndi_histogram, "label": ndi_label,
                "binary_fill_holes": binary_fill_holes},
    "filters": {"threshold_otsu": threshold_otsu,
                "threshold_multiotsu": threshold_multiotsu,
                "apply_hysteresis_threshold": apply_hysteresis_threshold},
    "measure": {"label": measure_label, "regionprops_table": regionprops_table},
    "feature": {"canny": canny},
    "transform": {"hough_line": hough_line, "hough_line_peaks": hough_line_peaks},
}
