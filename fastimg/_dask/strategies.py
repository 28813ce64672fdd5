"""How each public function runs on a dask array: the strategy table.

One entry per catalog row, keyed by qualname (``'ndimage.gaussian_filter'``);
a test checks every row has one.  The kinds:

``elementwise``
    ``map_blocks``: each output pixel depends on its own input pixel only
    (scikit-image's intensity rescaling is per dtype, not per image).
``local``
    ``map_overlap`` with the depth :data:`fastimg._dask.local.RULES` computes
    for the call's arguments; results equal the single-machine call.
``planewise``
    the spatial axes (all but ``channel_axis``, or ``axes=``) are rechunked
    into one chunk and the function maps over the others: one plane must
    fit in one worker's memory.
``mapped``
    affine maps of 2-D images and ``resize``/``rescale`` with interpolation
    order 0 or 1, ``downscale_local_mean``'s blocks and ``pixelate``'s
    cells: each output chunk reads the input region it needs
    (:mod:`fastimg._dask.geometry`, :mod:`fastimg._dask.scaling`,
    :mod:`fastimg._dask.pixel_blocks`); other calls run whole.
``passes``
    the exact Euclidean distance transform, one pass per axis over slabs of
    whole lines (:mod:`fastimg._dask.distance`); other calls run whole.
``whole``
    the array is gathered into one chunk and the function applied: the whole
    array must fit in one worker's memory.  A result that is not one array
    (tuples, lists, tables, scalars) is computed at call time and returned
    as the function's own result.
``constructor``
    takes no image (footprints, structures): the function's own result.
``mask``
    a frequency mask of a given shape: built at call time, returned as a
    one-chunk dask array.
``global``
    an exact multi-pass or reduction algorithm over the chunks
    (``fastimg._dask.global_ops``), where one is installed.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Strategy", "STRATEGIES", "KINDS"]

KINDS = ("elementwise", "local", "planewise", "mapped", "passes", "whole", "constructor",
         "mask", "global")


class Strategy(NamedTuple):
    """How one function runs on dask arrays."""

    kind: str
    #: parameters holding arrays of the image's shape, chunked with it
    aligned: tuple[str, ...] = ()
    #: planewise: parameter naming the channel axis, or the spatial axes
    planes: str | None = None


_E = Strategy("elementwise")
_L = Strategy("local")
_W = Strategy("whole")
_C = Strategy("constructor")

STRATEGIES: dict[str, Strategy] = {
    # intensity: per-pixel transforms
    "util.invert": _E, "exposure.adjust_gamma": _E, "exposure.adjust_log": _E,
    # correlation, separable, signal2d, linear, rank: bounded kernels
    **{f"ndimage.{n}": _L for n in (
        "correlate", "convolve", "correlate1d", "convolve1d", "gaussian_filter",
        "gaussian_filter1d", "uniform_filter", "uniform_filter1d", "sobel", "prewitt",
        "median_filter", "rank_filter", "percentile_filter", "minimum_filter",
        "maximum_filter", "grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
        "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat")},
    "ndimage.binary_erosion": Strategy("local", ("mask",)),
    "ndimage.binary_dilation": Strategy("local", ("mask",)),
    "ndimage.binary_opening": Strategy("local", ("mask",)),
    "ndimage.binary_closing": Strategy("local", ("mask",)),
    "ndimage.binary_hit_or_miss": _L,
    "signal.convolve2d": _L, "signal.correlate2d": _L, "signal.medfilt2d": _L,
    "filters.gaussian": _L, "filters.sobel": Strategy("local", ("mask",)),
    "filters.median": _L,
    **{f"morphology.{n}": _L for n in ("erosion", "dilation", "opening", "closing",
                                       "white_tophat", "black_tophat")},
    # fourier: whole planes
    "filters.butterworth": Strategy("planewise", planes="channel_axis"),
    "frequency.frequency_filter": Strategy("planewise", planes="axes"),
    **{f"frequency.{n}": Strategy("mask") for n in ("ideal_mask", "gaussian_mask",
                                                    "butterworth_mask")},
    # structuring elements
    "ndimage.generate_binary_structure": _C, "ndimage.iterate_structure": _C,
    **{f"morphology.{n}": _C for n in ("disk", "footprint_rectangle", "square", "diamond",
                                       "ellipse", "octagon", "star")},
    # whole-array: global by nature and not (yet) distributed
    **{q: _W for q in (
        "exposure.histogram", "filters.threshold_otsu", "filters.threshold_multiotsu",
        "feature.canny", "feature.canny_stages", "filters.apply_hysteresis_threshold",
        "transform.hough_line", "transform.hough_line_peaks", "transform.hough_circle",
        "transform.hough_circle_peaks", "transform.probabilistic_hough_line",
        "transform.hough_ellipse",
        "transform.rotate", "transform.warp",
        "transform.resize_local_mean", "transform.integral_image",
        "feature.match_template", "feature.peak_local_max", "feature.corner_peaks",
        "ndimage.label", "ndimage.find_objects", "ndimage.histogram",
        "ndimage.distance_transform_cdt",
        "ndimage.sum_labels", "ndimage.sum", "ndimage.mean", "ndimage.variance",
        "ndimage.standard_deviation", "ndimage.minimum", "ndimage.maximum", "ndimage.median",
        "ndimage.minimum_position", "ndimage.maximum_position", "ndimage.extrema",
        "ndimage.center_of_mass", "segmentation.clear_border", "measure.label",
        "measure.find_contours", "measure.approximate_polygon", "measure.subdivide_polygon",
        "measure.regionprops_table", "measure.regionprops", "segmentation.kmeans_colors",
        "restoration.inpaint", "restoration.inpaint_biharmonic",
        "ndimage.binary_fill_holes", "ndimage.binary_propagation",
        "morphology.remove_small_objects", "morphology.remove_small_holes",
        "ndimage.spline_filter1d", "ndimage.spline_filter",
        "ndimage.map_coordinates")},
    "ndimage.distance_transform_edt": Strategy("passes"),
    **{f"ndimage.{n}": Strategy("mapped") for n in ("affine_transform", "rotate", "zoom",
                                                          "shift")},
    **{f"transform.{n}": Strategy("mapped") for n in ("resize", "rescale",
                                                            "downscale_local_mean", "pixelate")},
}
