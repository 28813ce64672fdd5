"""The catalog: one row per public function.

Every place that needs the list of public functions reads it from here: the
namespace modules and the top-level re-exports (generated from it by
``tools/namespaces.py``), ``fastimg warmup``, the demo, the cold-start and
busy-machine benchmarks, the signature and degenerate-shape tests and the
benchmark report.  A new family adds its own package, its rows below, one
test file and one benchmark file, then runs ``python tools/generate.py``.

A row's ``sample`` is a function ``sample(f, x)`` making one typical call of
``f`` (fastimg's function, or the anchor's of the same name) on ``x`` (a 2-D
image).  The same function runs fastimg and the anchor, so the demo and the
benchmarks compare like with like.  ``warm`` holds more such calls for
``fastimg warmup``, ``show`` what the demo draws.

This module imports nothing of fastimg, and nothing NumPy has not already
imported: the cold-start benchmark loads this one file into its anchors'
processes to call their samples, which neither imports fastimg nor
pre-imports a module an anchor's first call would pay for.
"""
import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

__all__ = ["Row", "ROWS", "COMMON_DTYPES", "W33", "K55", "rows", "find_row", "function",
           "anchor_function", "namespaces", "top_level_names", "exports",
           "populate_namespace", "anchor_of", "anchor_names", "public"]

#: dtypes ``fastimg warmup`` compiles for unless a row narrows them.
COMMON_DTYPES = ("uint8", "uint16", "int16", "float32", "float64")

#: Non-symmetric 3x3 weights (a sample kernel).
W33 = np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]]) / 10.0
#: Non-separable (rank > 1), non-symmetric 5x5 weights (a sample kernel).
K55 = np.array([[1.0, 0.0, 2.0, -1.0, 0.0], [0.0, 3.0, 1.0, 0.0, 1.0],
                [2.0, 1.0, -4.0, 1.0, 0.0], [0.0, 1.0, 1.0, 2.0, 0.0],
                [1.0, -1.0, 0.0, 0.0, 2.0]]) / 8.0

#: ``call(f, x)``: one call of ``f`` on the 2-D image ``x``.
Call = Callable[[Any, np.ndarray], Any]


class Row(NamedTuple):
    """One public function."""

    name: str
    #: fastimg namespace module that exports it (``fastimg.<namespace>``)
    namespace: str
    #: family package that implements it (``fastimg._<family>``)
    family: str
    #: module of the anchor it stands in for (None: fastimg's own)
    anchor: str | None
    #: one typical call (see the module docstring)
    sample: Call
    #: keyword-only parameters fastimg adds after the anchor's, in order
    extras: tuple[str, ...] = ("workers",)
    #: more calls ``fastimg warmup`` makes (other cores, outputs, options)
    warm: tuple[Call, ...] = ()
    #: dtypes ``fastimg warmup`` runs the calls with
    dtypes: tuple[str, ...] = COMMON_DTYPES
    #: what the demo draws, a call like ``sample`` (None: the sample)
    show: Call | None = None
    #: the function's name in its family package when two anchors' functions
    #: of the same name live in one family (skimage's and ndimage's
    #: ``white_tophat``); None: ``name``
    attr: str | None = None

    @property
    def impl(self) -> str:
        """The name of fastimg's function in its family package."""
        return self.attr or self.name

    @property
    def qualname(self) -> str:
        """``'namespace.name'``, e.g. ``'ndimage.sobel'``."""
        return f"{self.namespace}.{self.name}"


def _many_values(x):
    """``x`` with more than 256 distinct values when it is float (the rank
    filters' 32-bit codes, a smoothed photograph's case), else ``x``."""
    if x.dtype.kind != "f":
        return x
    return x + np.linspace(0.0, 1e-3, x.size).reshape(x.shape).astype(x.dtype)


def _ndi(name, family, sample, warm=(), extras=("workers",)):
    return Row(name, "ndimage", family, "scipy.ndimage", sample, extras, warm)


# ---------------------------------------------------------------- hough
# The peak finders read the image itself as a Hough space (its grey levels
# as votes), so the samples need no transform first.

def _line_space_axes(x):
    """Angles (one per column) and distances (one per row) that make ``x``
    a ``hough_line`` space."""
    return np.linspace(-1.5, 1.5, x.shape[1]), np.arange(x.shape[0]) - x.shape[0] / 2.0


def _ellipse_edges(x):
    """The brightest pixels of a 24x24 crop: the O(n**3) ellipse search on
    them is instant for the warmup and the demo."""
    crop = x[:24, :24]
    edges = crop >= crop.max()
    if np.count_nonzero(edges) > 48:
        # a flat crop (a user's blank picture) would make every pixel an
        # edge: the search over 576 pixels takes tens of seconds
        edges &= np.indices(crop.shape).sum(axis=0) % 7 == 0
    return edges


# -------------------------------------------------------------- fourier
def _show_frequency_grid(f, x):
    """The classic tour's grid: rows low-, high-, band-pass; columns ideal
    (ringing), Gaussian, Butterworth; each tile scaled to 0..1."""
    def unit(t):
        return (t - t.min()) / max(np.ptp(t), 1e-12)

    return np.block([[unit(f(x, kind, band, cutoff_ratio=cutoff))
                      for kind in ("ideal", "gaussian", "butterworth")]
                     for band, cutoff in (("lowpass", 0.05), ("highpass", 0.05),
                                          ("bandpass", (0.02, 0.1)))])


# ----------------------------------------------------------- morphology
def _morph(name, sample, namespace="ndimage", bytes_only=False, warm=(), workers=True):
    anchor = "scipy.ndimage" if namespace == "ndimage" else "skimage.morphology"
    return Row(name, namespace, "morphology", anchor, sample, ("workers",) if workers else (),
               warm, ("uint8",) if bytes_only else COMMON_DTYPES)


def _grid_labels(x):
    """A label image from ``x``: its bright pixels, labelled by 8x8 tile
    (many regions, as a segmentation gives)."""
    r = np.arange(x.shape[0])[:, None] // 8
    c = np.arange(x.shape[1])[None, :] // 8
    return ((x > x.mean()) * (1 + r * (x.shape[1] // 8 + 1) + c)).astype(np.int32)


def _bands(x):
    """A mask of 16-pixel diagonal bands the size of ``x``: long runs in
    every row, so label, hole filling and small-object removal take their
    run kernels (a photograph's mask at warmup's size may not)."""
    return np.indices(x.shape).sum(axis=0) // 16 % 2 == 0


def _scratches(shape):
    """Thin diagonal scratches over about 1/23 of an image of ``shape``: a
    mask to inpaint."""
    return np.add.outer(np.arange(shape[0]), np.arange(shape[1])) % 23 == 0


def _template_patch(x, fraction):
    """A patch of ``x`` a ``fraction`` of its sides (at least one pixel),
    from a quarter of the way in: a template to look for."""
    r, c = x.shape[0] // 4, x.shape[1] // 4
    return x[r:r + max(x.shape[0] // fraction, 1), c:c + max(x.shape[1] // fraction, 1)]


ROWS = (
    # correlation: scipy.ndimage's general correlation and convolution
    _ndi("correlate", "correlation", lambda f, x: f(x, W33),
         warm=(lambda f, x: f(x, K55),
               lambda f, x: f(x, W33, output=np.float64),
               lambda f, x: f(x[None], W33[None])),
         extras=("method", "workers")),
    _ndi("convolve", "correlation", lambda f, x: f(x, K55, mode="mirror"),
         extras=("method", "workers")),
    _ndi("correlate1d", "correlation", lambda f, x: f(x, [1.0, 2.0, 4.0], axis=0),
         warm=(lambda f, x: f(x, [1.0, 2.0, 4.0], axis=-1),)),
    _ndi("convolve1d", "correlation", lambda f, x: f(x, [1.0, 2.0, 4.0, 1.0], axis=1)),
    # separable: filters made of 1-D passes
    _ndi("gaussian_filter", "separable", lambda f, x: f(x, 2.0),
         warm=(lambda f, x: f(x, 1.0, output=np.float64),)),
    _ndi("gaussian_filter1d", "separable", lambda f, x: f(x, 3.0)),
    _ndi("uniform_filter", "separable", lambda f, x: f(x, 5)),
    _ndi("uniform_filter1d", "separable", lambda f, x: f(x, 9, axis=0)),
    _ndi("sobel", "separable", lambda f, x: f(x, 0), warm=(lambda f, x: f(x),)),
    _ndi("prewitt", "separable", lambda f, x: f(x, 1), warm=(lambda f, x: f(x, 0),)),
    # signal2d: scipy.signal's 2-D convolution
    Row("convolve2d", "signal", "signal2d", "scipy.signal",
        lambda f, x: f(x, K55.astype(x.dtype), "same", "symm"), extras=("method", "workers"),
        warm=(lambda f, x: f(x, np.ones((3, 3), dtype=int), "same"),)),
    Row("correlate2d", "signal", "signal2d", "scipy.signal",
        lambda f, x: f(x, K55.astype(x.dtype), "same"), extras=("method", "workers")),
    # linear: scikit-image's Gaussian and Sobel
    Row("gaussian", "filters", "linear", "skimage.filters", lambda f, x: f(x, 2.0)),
    Row("sobel", "filters", "linear", "skimage.filters", lambda f, x: f(x)),
    # histograms: scikit-image's histogram
    Row("histogram", "exposure", "histograms", "skimage.exposure", lambda f, x: f(x)[0]),
    # threshold: Otsu's method (the demo shows the segmentation)
    Row("threshold_otsu", "filters", "threshold", "skimage.filters", lambda f, x: f(x),
        extras=("mask", "workers"), show=lambda f, x: x > f(x),
        warm=(lambda f, x: f(x.astype(np.int64)),)),
    Row("threshold_multiotsu", "filters", "threshold", "skimage.filters", lambda f, x: f(x),
        extras=("mask", "workers"), show=lambda f, x: np.digitize(x, f(x)),
        warm=(lambda f, x: f(x, classes=2), lambda f, x: f(x, classes=4))),
    # intensity: point transforms
    Row("adjust_gamma", "exposure", "intensity", "skimage.exposure", lambda f, x: f(x, 0.45),
        warm=(lambda f, x: f(x, 2),)),
    Row("adjust_log", "exposure", "intensity", "skimage.exposure", lambda f, x: f(x),
        warm=(lambda f, x: f(x, inv=True),)),
    Row("invert", "util", "intensity", "skimage.util", lambda f, x: f(x)),
    # edges: Canny and hysteresis thresholding
    Row("canny", "feature", "edges", "skimage.feature", lambda f, x: f(x, 2.0),
        warm=(lambda f, x: f(x, 1.0, mask=np.ones(x.shape, bool)),
              lambda f, x: f(x, 1.0, 0.6, 0.8, use_quantiles=True)),
        dtypes=("uint8", "float32", "float64")),
    Row("canny_stages", "feature", "edges", None, lambda f, x: f(x, 2.0).edges,
        show=lambda f, x: f(x, 2.0).magnitude, dtypes=("uint8", "float32")),
    Row("apply_hysteresis_threshold", "filters", "edges", "skimage.filters",
        lambda f, x: f(x, np.percentile(x, 70), np.percentile(x, 90)),
        extras=("connectivity",), dtypes=("uint8", "float32")),
    # hough: Hough transforms (edge images are bool whatever x is, so one
    # dtype warms every kernel; the demo's tour draws what they find on the
    # photograph, fastimg/_cli/tour.py)
    Row("hough_line", "transform", "hough", "skimage.transform",
        lambda f, x: f(x > x.mean())[0], dtypes=("uint8",),
        show=lambda f, x: np.log1p(f(x > x.mean())[0])),
    Row("hough_line_peaks", "transform", "hough", "skimage.transform",
        lambda f, x: f(x.astype(np.uint64), *_line_space_axes(x))[0], extras=(),
        dtypes=("uint8", "float32"),
        # the second call filters a whole space >= 2**19 cells (threshold < 0)
        warm=(lambda f, x: f(x.astype(np.float64), np.arange(x.shape[1]) * 1.0,
                             np.arange(x.shape[0]) * 1.0)[0],
              lambda f, x: f(np.tile(x, (9, 1)).astype(np.float64),
                             np.arange(x.shape[1]) * 1.0, np.arange(9 * x.shape[0]) * 1.0,
                             threshold=-1.0)[0])),
    Row("hough_circle", "transform", "hough", "skimage.transform",
        lambda f, x: f(x > x.mean(), [4, 8]), dtypes=("uint8",),
        warm=(lambda f, x: f(x > x.mean(), 3, normalize=False, full_output=True),),
        show=lambda f, x: f(x > x.mean(), [8])[0]),
    Row("hough_circle_peaks", "transform", "hough", "skimage.transform",
        lambda f, x: f(x.astype(np.float64)[None], [5], 3, 3)[0], dtypes=("uint8",),
        warm=(lambda f, x: f(np.tile(x, (3, 3)).astype(np.float64)[None], [5])[0],)),
    Row("probabilistic_hough_line", "transform", "hough", "skimage.transform",
        lambda f, x: f(x > x.mean(), 10, 20, 3, rng=0), extras=(), dtypes=("uint8",)),
    Row("hough_ellipse", "transform", "hough", "skimage.transform",
        lambda f, x: f(_ellipse_edges(x), 2), dtypes=("uint8",)),
    # warps: scikit-image's geometric transforms and local means, and
    # fastimg's pixelate (the OpenCV shrink-and-blow-up recipe)
    Row("resize", "transform", "warps", "skimage.transform",
        lambda f, x: f(x, (x.shape[0] // 4, x.shape[1] // 4)),
        warm=(lambda f, x: f(x, (x.shape[0] // 2, x.shape[1] // 2), anti_aliasing=False),
              lambda f, x: f(x, (2 * x.shape[0], x.shape[1]), order=3))),
    Row("rescale", "transform", "warps", "skimage.transform", lambda f, x: f(x, 0.5)),
    Row("rotate", "transform", "warps", "skimage.transform", lambda f, x: f(x, 30.0),
        warm=(lambda f, x: f(x, 30.0, order=3, mode="reflect"),
              lambda f, x: f(x, 30.0, order=0))),
    Row("warp", "transform", "warps", "skimage.transform",
        lambda f, x: f(x, np.array([[1.1, 0.2, -3.0], [-0.1, 0.9, 5.0], [0.0, 0.0, 1.0]]))),
    Row("downscale_local_mean", "transform", "warps", "skimage.transform",
        lambda f, x: f(x, (4, 4))),
    Row("resize_local_mean", "transform", "warps", "skimage.transform",
        lambda f, x: f(x, (x.shape[0] // 3, x.shape[1] // 3)), extras=()),
    Row("integral_image", "transform", "warps", "skimage.transform", lambda f, x: f(x)),
    Row("pixelate", "transform", "warps", None, lambda f, x: f(x, 8),
        warm=(lambda f, x: f(x, 8, method="linear"), lambda f, x: f(x, 8, method="nearest")),
        dtypes=("uint8", "uint16", "float32", "float64")),
    # fourier: frequency-domain filtering
    Row("butterworth", "filters", "fourier", "skimage.filters",
        lambda f, x: f(x, 0.05, False),
        warm=(lambda f, x: f(x, 0.05, True, 3.5, squared_butterworth=False),),
        show=lambda f, x: f(x, 0.02, True)),
    Row("ideal_mask", "frequency", "fourier", None,
        lambda f, x: f(x.shape, cutoff_ratio=0.1), extras=(), dtypes=("float64",),
        warm=(lambda f, x: f(x.shape, "bandpass", cutoff_pixels=(4, 20), layout="rfft"),)),
    Row("gaussian_mask", "frequency", "fourier", None,
        lambda f, x: f(x.shape, cutoff_ratio=0.1), extras=(), dtypes=("float64",),
        warm=(lambda f, x: f(x.shape, "highpass", cutoff_pixels=10, layout="rfft"),)),
    Row("butterworth_mask", "frequency", "fourier", None,
        lambda f, x: f(x.shape, cutoff_ratio=0.1), extras=(), dtypes=("float64",),
        warm=(lambda f, x: f(x.shape, "bandstop", cutoff_pixels=(4, 20), order=2.5,
                             layout="rfft"),)),
    Row("frequency_filter", "frequency", "fourier", None,
        lambda f, x: f(x, "gaussian", cutoff_ratio=0.05), extras=(),
        warm=(lambda f, x: f(x, "ideal", cutoff_ratio=0.05),
              lambda f, x: f(x, "butterworth", cutoff_ratio=0.05),
              lambda f, x: f(x, "gaussian", "highpass", cutoff_pixels=10)),
        show=_show_frequency_grid),
    # template: template matching (the template is a patch of x itself, an
    # eighth of its sides: a multi-tile FFT at 512, direct sums at 16) and
    # peak finding
    Row("match_template", "feature", "template", "skimage.feature",
        lambda f, x: f(x, _template_patch(x, 8)), extras=("method", "workers"),
        dtypes=("uint8", "float32", "float64"),
        warm=(lambda f, x: f(x, _template_patch(x, 64), pad_input=True),
              lambda f, x: f(x, _template_patch(x, 8), method="sqdiff"))),
    Row("peak_local_max", "feature", "template", "skimage.feature",
        lambda f, x: f(x, min_distance=5),
        warm=(lambda f, x: f(x, min_distance=1, labels=(x > x.mean()).astype(np.int32)),)),
    Row("corner_peaks", "feature", "template", "skimage.feature",
        lambda f, x: f(x, min_distance=5)),
    Row("label", "ndimage", "labels", "scipy.ndimage", lambda f, x: f(x > x.mean()), (),
        (lambda f, x: f(_bands(x)),), ("uint8",)),
    *(Row(n, "ndimage", "labels", "scipy.ndimage", s, (), (), ("uint8",)) for n, s in (  # labels
        ("find_objects", lambda f, x: f(1 * (x > 99))),
        ("histogram", lambda f, x: f(x, 0, 255, 8, 1 * (x > 99), 0)))),
    # distances alone take the squared-distance kernels, indices the others
    Row("distance_transform_edt", "ndimage", "labels", "scipy.ndimage",
        lambda f, x: f(x > x.mean(), return_indices=True), (),
        (lambda f, x: f(x > x.mean()),), ("uint8",)),
    Row("distance_transform_cdt", "ndimage", "labels", "scipy.ndimage",
        lambda f, x: f(x > x.mean(), return_indices=True), (), (), ("uint8",)),
    *(Row(n, "ndimage", "labels", "scipy.ndimage", lambda f, x: f(
        x, 1 * (x > x.mean()) + (x > 1.5 * x.mean()), [1, 2]), ()) for n in (
        "sum_labels", "sum", "mean", "variance", "standard_deviation", "minimum", "maximum",
        "median", "minimum_position", "maximum_position", "extrema", "center_of_mass")),
    Row("clear_border", "segmentation", "labels", "skimage.segmentation",
        lambda f, x: f(1 * (x > x.mean())), (), (), ("uint8",)),
    # measure: skimage.measure's labelling, contours, polygons and region table
    Row("label", "measure", "measure", "skimage.measure",
        lambda f, x: f(x > x.mean()), (), (lambda f, x: f(1 * (x > x.mean())),
                                         lambda f, x: f(1 * (x > x.mean()), connectivity=1)),
        ("uint8",)),
    Row("find_contours", "measure", "measure", "skimage.measure",
        lambda f, x: f(x, x.mean()), (),
        (lambda f, x: f(x, x.mean(), mask=x > 0),), ("uint8", "float32", "float64")),
    Row("approximate_polygon", "measure", "measure", "skimage.measure",
        lambda f, x: f(np.argwhere(x > x.mean())[:512].astype(np.float64), 1.5), (), (),
        ("uint8",)),
    Row("subdivide_polygon", "measure", "measure", "skimage.measure",
        lambda f, x: f(np.argwhere(x > x.mean())[:512].astype(np.float64), 3), (), (),
        ("uint8",)),
    # (the table's columns as a tuple: results compare as arrays)
    Row("regionprops_table", "measure", "measure", "skimage.measure",
        lambda f, x: tuple(f(_grid_labels(x), x, properties=(
            "label", "area", "centroid", "bbox", "eccentricity", "intensity_mean")).values()),
        (), (), ("uint8", "float32", "float64")),
    # (the region objects' areas, centroids and perimeters as a tuple)
    Row("regionprops", "measure", "measure", "skimage.measure",
        lambda f, x: tuple((r.area, r.centroid, r.perimeter) for r in f(_grid_labels(x))),
        (), (), ("uint8",)),
    # kmeans: colour quantisation (fastimg's own; the warm call clusters a
    # three-channel image made of x)
    Row("kmeans_colors", "segmentation", "kmeans", None,
        lambda f, x: f(x, 3, channel_axis=None, rng=0),
        warm=(lambda f, x: f(np.stack([x, x[::-1], x[:, ::-1]], -1), 5, rng=0),),
        dtypes=("uint8", "float32", "float64"),
        show=lambda f, x: f(x, 4, channel_axis=None, rng=0)[0]),
    # inpaint: filling masked pixels (Telea's method is fastimg's own)
    Row("inpaint", "restoration", "inpaint", None, lambda f, x: f(x, _scratches(x.shape), 3),
        extras=(), dtypes=("uint8", "float32"),
        warm=(lambda f, x: f(np.stack([x, x[::-1], x[:, ::-1]], -1), _scratches(x.shape), 3,
                             channel_axis=-1),)),
    Row("inpaint_biharmonic", "restoration", "inpaint", "skimage.restoration",
        lambda f, x: f(x, _scratches(x.shape)), extras=(), dtypes=("uint8", "float32"),
        warm=(lambda f, x: f(np.stack([x, x[::-1]], -1), _scratches(x.shape),
                             channel_axis=-1),)),
    # rank: median and rank filters
    _ndi("median_filter", "rank", lambda f, x: f(x, 5), extras=("workers", "nan_policy"),
         warm=(lambda f, x: f(x, 3), lambda f, x: f(x, 15),
               lambda f, x: f(_many_values(x), 15))),
    _ndi("rank_filter", "rank", lambda f, x: f(x, 3, size=5),
         extras=("workers", "nan_policy")),
    _ndi("percentile_filter", "rank", lambda f, x: f(x, 30, size=5),
         extras=("workers", "nan_policy")),
    _ndi("minimum_filter", "rank", lambda f, x: f(x, 5), extras=("workers", "nan_policy")),
    _ndi("maximum_filter", "rank", lambda f, x: f(x, 5), extras=("workers", "nan_policy")),
    Row("median", "filters", "rank", "skimage.filters", lambda f, x: f(x, np.ones((5, 5))),
        extras=("workers", "nan_policy")),
    Row("medfilt2d", "signal", "rank", "scipy.signal", lambda f, x: f(x, 5),
        dtypes=("uint8", "float32", "float64")),
    # morphology: scipy.ndimage's binary and grey morphology (binary kernels
    # read 0/1 bytes whatever x is: one dtype warms them)
    *(_morph(name, sample, bytes_only=True, workers=False) for name, sample in (
        ("generate_binary_structure", lambda f, x: f(x.ndim, 1)),
        ("iterate_structure", lambda f, x: f(np.ones((3, 3), bool), 2)))),
    _morph("binary_erosion", lambda f, x: f(x > x.mean()), bytes_only=True,
           warm=(lambda f, x: f(x > x.mean(), iterations=2),)),
    *(_morph(name, lambda f, x: f(x > x.mean()), bytes_only=True) for name in (
        "binary_dilation", "binary_hit_or_miss")),
    _morph("binary_fill_holes", lambda f, x: f(x > x.mean()), bytes_only=True,
           warm=(lambda f, x: f(_bands(x)),)),
    *(_morph(name, lambda f, x: f(x > x.mean(), np.ones((3, 3))), bytes_only=True)
      for name in ("binary_opening", "binary_closing")),
    _morph("binary_propagation", lambda f, x: f(x > 1.5 * x.mean(), mask=x > x.mean()),
           bytes_only=True),
    _morph("grey_erosion", lambda f, x: f(x, size=(3, 3)),
           warm=(lambda f, x: f(x, footprint=[[0, 1, 0], [1, 1, 1], [0, 1, 0]]),
                 lambda f, x: f(x, structure=np.ones((3, 3))))),
    *(_morph(name, lambda f, x, k=k: f(x, size=(k, k))) for name, k in (
        ("grey_dilation", 3), ("grey_opening", 5), ("grey_closing", 5),
        ("morphological_gradient", 3), ("morphological_laplace", 3), ("white_tophat", 7),
        ("black_tophat", 7))),
    # morphology: skimage.morphology (its white_tophat / black_tophat share
    # their names with ndimage's in this family: skimage_* in the package)
    *(_morph(name, sample, "morphology") for name, sample in (
        ("erosion", lambda f, x: f(x)), ("dilation", lambda f, x: f(x)),
        ("opening", lambda f, x: f(x, np.eye(5, dtype=np.uint8))),
        ("closing", lambda f, x: f(x, np.eye(5, dtype=np.uint8))))),
    *(_morph(name, lambda f, x: f(x, np.eye(5, dtype=np.uint8)), "morphology")._replace(
        attr=f"skimage_{name}") for name in ("white_tophat", "black_tophat")),
    *(_morph(name, lambda f, x, a=a: f(*a), "morphology", bytes_only=True, workers=False)
      for name, a in (("disk", (5,)), ("footprint_rectangle", ((3, 5),)), ("square", (5,)),
                      ("diamond", (4,)), ("ellipse", (5, 3)), ("octagon", (3, 2)),
                      ("star", (4,)))),
    *(_morph(name, lambda f, x: f(x > x.mean(), max_size=16), "morphology", bytes_only=True,
             warm=(lambda f, x: f(_bands(x), max_size=16),), workers=False)
      for name in ("remove_small_objects", "remove_small_holes")),
    # interpolation: scipy.ndimage's B-spline prefilter and geometric
    # transforms (ndimage's rotate; skimage.transform's is the warps family's)
    _ndi("spline_filter1d", "interpolation", lambda f, x: f(x, 3, axis=0),
         warm=(lambda f, x: f(x, 5, axis=-1, mode="grid-wrap"),)),
    _ndi("spline_filter", "interpolation", lambda f, x: f(x),
         warm=(lambda f, x: f(x, 2, mode="reflect"),)),
    _ndi("zoom", "interpolation", lambda f, x: f(x, 1.5, order=1),
         warm=(lambda f, x: f(x, 0.5),
               lambda f, x: f(x, 2, order=0, mode="grid-constant", grid_mode=True),
               lambda f, x: f(x[None], (1, 0.5, 0.5), order=1))),
    _ndi("shift", "interpolation", lambda f, x: f(x, (2.5, -1.5), order=1),
         warm=(lambda f, x: f(x, 3.5, mode="nearest"),)),
    _ndi("rotate", "interpolation", lambda f, x: f(x, 30, reshape=False, order=1),
         warm=(lambda f, x: f(x, 30), lambda f, x: f(x[..., None], 45, order=0))),
    _ndi("affine_transform", "interpolation",
         lambda f, x: f(x, [[0.9, 0.2], [-0.2, 0.9]], order=1),
         warm=(lambda f, x: f(x, [[0.9, 0.2], [-0.2, 0.9]]),)),
    _ndi("map_coordinates", "interpolation",
         lambda f, x: f(x, np.indices(x.shape) * 0.8 + 0.3, order=1),
         warm=(lambda f, x: f(x, np.indices(x.shape) * 0.8 + 0.3),)),
)

_BY_QUALNAME = {r.qualname: r for r in ROWS}


def rows(namespace: str | None = None, family: str | None = None) -> list[Row]:
    """The rows of one namespace and/or family, in catalog order."""
    return [r for r in ROWS if (namespace is None or r.namespace == namespace)
            and (family is None or r.family == family)]


def find_row(qualname: str) -> Row:
    """The row of ``'namespace.name'`` (e.g. ``'ndimage.sobel'``)."""
    try:
        return _BY_QUALNAME[qualname]
    except KeyError:
        raise KeyError(f"no catalog row {qualname!r}") from None


def function(row: Row):
    """fastimg's implementation of ``row`` (imports its family package)."""
    return getattr(importlib.import_module(f"fastimg._{row.family}"), row.impl)


_PUBLIC: dict = {}


def public(row: Row):
    """What the public modules expose for ``row``: a tiered callable for a
    function with an anchor (``fastimg._core.tiers``: the anchor may answer
    while fastimg's kernels compile; ``__wrapped__`` is fastimg's function),
    fastimg's function itself otherwise.  One object per row."""
    obj = _PUBLIC.get(row)
    if obj is None:
        if row.anchor is None:
            obj = function(row)
        else:
            from .tiers import Tiered
            obj = Tiered(row)
        obj = _PUBLIC.setdefault(row, obj)
    return obj


def anchor_function(row: Row):
    """The anchor's function (imports SciPy or scikit-image)."""
    if row.anchor is None:
        raise ValueError(f"{row.qualname} is fastimg's own: it has no anchor")
    return getattr(importlib.import_module(row.anchor), row.name)


def namespaces() -> list[str]:
    """The namespace modules, in catalog order."""
    return list(dict.fromkeys(r.namespace for r in ROWS))


def top_level_names() -> dict[str, Row]:
    """name -> row for every name exported by exactly one namespace (names
    such as ``sobel`` mean different things in two anchors and stay in their
    namespaces)."""
    import builtins
    seen: dict = {}
    for r in ROWS:
        seen.setdefault(r.name, []).append(r)
    # nor a Python builtin (ndimage's ``sum``): ``from fastimg import *``
    # must not shadow it
    return {name: rs[0] for name, rs in seen.items()
            if len(rs) == 1 and not hasattr(builtins, name)}


def exports(module_name: str) -> dict[str, Row]:
    """name -> row of the functions the public module ``module_name``
    (``'fastimg'`` or ``'fastimg.<namespace>'``) exports, in catalog order."""
    if module_name == "fastimg":
        return top_level_names()
    return {r.name: r for r in rows(module_name.removeprefix("fastimg."))}


#: The distribution that provides each anchor package (for error messages).
_DISTRIBUTIONS = {"scipy": "SciPy", "skimage": "scikit-image"}


def anchor_of(namespace: str) -> str | None:
    """The anchor module a namespace mirrors whole (``'scipy.ndimage'``
    for ``'ndimage'``); None for fastimg's own namespaces."""
    anchors = {r.anchor for r in rows(namespace) if r.anchor}
    return anchors.pop() if len(anchors) == 1 else None


def _public_names(module) -> list:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return list(names)


def anchor_names(namespace: str) -> list:
    """The public names of a namespace's anchor that fastimg does not
    implement: ``fastimg.<namespace>`` answers them with the anchor's own
    objects.  Imports the anchor; empty when it is not installed."""
    anchor = anchor_of(namespace)
    if anchor is None:
        return []
    try:
        module = importlib.import_module(anchor)
    except ImportError:
        return []
    own = {r.name for r in rows(namespace)}
    return [n for n in _public_names(module) if n not in own]


def populate_namespace(module_name: str, namespace: dict, names) -> None:
    """Resolve the functions among ``names`` lazily in a public module.

    The module (its globals ``namespace``) gets a ``__getattr__`` that
    imports a function's family the first time the function is looked up
    (and keeps it in the module), and a ``__dir__`` that lists it.
    ``import fastimg`` therefore loads no kernel module: a script pays only
    for the families it calls.  ``names`` is the module's ``__all__``, which
    lists the functions statically beside their ``TYPE_CHECKING`` imports
    (both generated by ``tools/namespaces.py``); other names in it are
    ordinary globals.

    A namespace that mirrors an anchor module answers every other public
    name of that module with the anchor's own object (imported on first
    use), so swapping ``scipy.ndimage`` for ``fastimg.ndimage`` never breaks
    a script on a function fastimg does not implement yet; ``__all__`` keeps
    listing fastimg's own functions only (:func:`anchor_names` lists the
    others).
    """
    table = exports(module_name)
    lazy = {name: table[name] for name in names if name in table}
    anchor = anchor_of(module_name.rpartition(".")[2]) if module_name != "fastimg" else None

    def from_anchor(name):
        try:
            module = importlib.import_module(anchor)
        except ImportError:
            dist = _DISTRIBUTIONS.get(anchor.partition(".")[0], anchor)
            raise AttributeError(
                f"module {module_name!r} has no attribute {name!r}: fastimg answers the "
                f"names it does not implement with {anchor}'s, and {dist} is not "
                f"installed (pip install {dist.lower()})") from None
        if name not in _public_names(module):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r} "
                                 f"(nor has {anchor})")
        return getattr(module, name)

    def __getattr__(name):
        row = lazy.get(name)
        if row is not None:
            fn = public(row)
        elif anchor is not None and not name.startswith("_"):
            fn = from_anchor(name)
        else:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        namespace[name] = fn  # later lookups skip __getattr__
        return fn

    def __dir__():
        extra = anchor_names(module_name.rpartition(".")[2]) if anchor is not None else []
        return sorted(set(namespace) | set(lazy) | set(extra))

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
