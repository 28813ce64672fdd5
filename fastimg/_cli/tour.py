"""The classic image-processing tour that ``fastimg demo`` runs on a
photograph: point transforms, kernels, filters, thresholds, morphology,
k-means, Canny, Hough transforms drawn over the image, contours, template
matching, frequency-domain filters, pixelation and inpainting.

Each step is a function ``step(fn, scene)`` returning a picture (a 2-D grey
or an (H, W, 3) RGB image); ``fn("namespace.name")`` gives the function to
call: fastimg's (the catalog's :func:`~fastimg._core.catalog.function`, what
the benchmarks time) or its anchor's.  The same step code therefore runs
fastimg and the anchor, and the two pictures are compared.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from . import draw


class Scene(NamedTuple):
    """The tour's input: the same picture as float32 grey and RGB in [0, 1]."""

    grey: np.ndarray
    rgb: np.ndarray


class Step(NamedTuple):
    """One picture of the tour."""

    title: str
    #: the catalog functions the step calls (``namespace.name``)
    uses: tuple[str, ...]
    run: Callable[[Callable[[str], Any], Scene], np.ndarray]


def _kernel(weights):
    def run(fn, s):
        return fn("ndimage.correlate")(s.grey, np.asarray(weights, np.float32))
    return run


_BINOMIAL = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0


def _mask(fn, s):
    return s.grey > fn("filters.threshold_otsu")(s.grey)


def _opened(fn, s):
    return fn("ndimage.binary_opening")(_mask(fn, s), fn("morphology.disk")(3))


def _labels(fn, s):
    labels, _ = fn("ndimage.label")(_opened(fn, s))
    return draw.label_colours(labels)


def _kmeans(fn, s):
    labels, centres = fn("segmentation.kmeans_colors")(s.rgb, 5, rng=0)
    return centres[labels]


def _edges(fn, s):
    # the smoothing grows with the picture, so every size finds the same edges
    return fn("feature.canny")(s.grey, max(1.0, s.grey.shape[0] / 128))


def _width(s):
    """Line width of drawings: visible on a contact sheet's tile."""
    return max(2, s.grey.shape[0] // 100)


def _hough_lines(fn, s):
    space, angles, dists = fn("transform.hough_line")(_edges(fn, s))
    _, found_angles, found_dists = fn("transform.hough_line_peaks")(
        space, angles, dists, num_peaks=4)
    out = draw.canvas(s.grey)
    for angle, dist in zip(found_angles, found_dists):
        draw.hough_line(out, angle, dist, draw.RED, width=_width(s))
    return out


def _radii(size):
    """Radii from 20% to 32% of the side: the cup's opening, the one round
    thing the photograph has at a size a circle fits (seen at an angle it
    is an ellipse; smaller radii find circles in the reflections)."""
    return np.unique(np.linspace(0.20 * size, 0.32 * size, 10).round().astype(int))


def _hough_circles(fn, s):
    radii = _radii(s.grey.shape[0])
    spaces = fn("transform.hough_circle")(_edges(fn, s), radii)
    _, cols, rows, found = fn("transform.hough_circle_peaks")(
        spaces, radii, min_xdistance=s.grey.shape[0] // 10,
        min_ydistance=s.grey.shape[0] // 10, total_num_peaks=1)  # a second crosses the cup
    out = draw.canvas(s.grey)
    for c, r, radius in zip(cols, rows, found):
        draw.ellipse(out, r, c, radius, radius, 0.0, draw.RED, width=_width(s))
    return out


def _segments(fn, s):
    size = s.grey.shape[0]
    found = fn("transform.probabilistic_hough_line")(
        _edges(fn, s), threshold=10, line_length=max(size // 12, 8),
        line_gap=max(size // 128, 3), rng=0)
    out = draw.canvas(s.grey)
    for (c0, r0), (c1, r1) in found:
        draw.segment(out, r0, c0, r1, c1, draw.GREEN, width=_width(s))
    return out


#: side of the small copy the ellipse search runs on: the search is cubic
#: in the number of edge pixels
_ELLIPSE_SIDE = 48


def _hough_ellipse(fn, s):
    size = s.grey.shape[0]
    small = fn("transform.resize")(s.grey, (_ELLIPSE_SIDE, _ELLIPSE_SIDE))
    edges = fn("feature.canny")(small, 2.0)
    found = fn("transform.hough_ellipse")(edges, threshold=8, accuracy=2, min_size=8)
    out = draw.canvas(s.grey)
    if found.dtype.names is None:
        return out      # no edges at all: an empty (0, 6) array, as scikit-image's
    # the strongest ellipse that is not a sliver (an edge seen as a flat ellipse)
    found = found[np.minimum(found["a"], found["b"]) >= _ELLIPSE_SIDE / 6]
    if len(found):
        best = np.sort(found, order="accumulator")[-1]
        k = size / _ELLIPSE_SIDE
        draw.ellipse(out, k * best["yc"], k * best["xc"], k * best["a"], k * best["b"],
                     best["orientation"], draw.YELLOW, width=_width(s))
    return out


def _contours(fn, s):
    level = float(fn("filters.threshold_otsu")(s.grey))
    out = draw.canvas(s.grey)
    for contour in fn("measure.find_contours")(s.grey, level):
        if len(contour) > 20:
            # contour points lie less than a pixel apart: paint them
            draw.points(out, contour[:, 0], contour[:, 1], draw.CYAN, width=_width(s) // 2)
    return out


def _template(fn, s):
    # the spoon's bowl, cut from the picture itself, found again
    size = s.grey.shape[0]
    r0, c0, side = int(0.62 * size), int(0.62 * size), max(size // 8, 2)
    score = fn("feature.match_template")(s.grey, s.grey[r0:r0 + side, c0:c0 + side])
    r, c = np.unravel_index(int(np.argmax(score)), score.shape)
    return draw.box(draw.canvas(s.grey), r, c, side, side, draw.RED, width=_width(s))


def _frequency(kind, band):
    def run(fn, s):
        return fn("frequency.frequency_filter")(s.grey, kind, band, cutoff_ratio=0.05)
    return run


def _scratches(shape):
    """Three-pixel-wide diagonal scratches over about a tenth of the image."""
    r = np.arange(shape[0])[:, None]
    c = np.arange(shape[1])[None, :]
    return (r + c) % 29 < 3


def _scratched(fn, s):
    # 8-bit, as photographs are: Telea's gradient term is scaled for 0..255
    rgb = np.round(255 * s.rgb).astype(np.uint8)
    return np.where(_scratches(s.rgb.shape[:2])[..., None], np.uint8(255), rgb)


def _inpainted(fn, s):
    return fn("restoration.inpaint")(_scratched(fn, s), _scratches(s.rgb.shape[:2]), 3,
                                     channel_axis=-1)


TOUR = (
    Step("negative", ("util.invert",), lambda fn, s: fn("util.invert")(s.grey)),
    Step("log", ("exposure.adjust_log",), lambda fn, s: fn("exposure.adjust_log")(s.grey)),
    Step("gamma 0.5", ("exposure.adjust_gamma",),
         lambda fn, s: fn("exposure.adjust_gamma")(s.grey, 0.5)),
    Step("box kernel 7x7", ("ndimage.correlate",), _kernel(np.full((7, 7), 1 / 49))),
    Step("sharpen kernel", ("ndimage.correlate",),
         _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])),
    Step("edge kernel", ("ndimage.correlate",),
         _kernel([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])),
    Step("Gaussian kernel 5x5", ("ndimage.correlate",), _kernel(_BINOMIAL)),
    Step("Sobel magnitude", ("filters.sobel",), lambda fn, s: fn("filters.sobel")(s.grey)),
    Step("Gaussian filter", ("ndimage.gaussian_filter",),
         lambda fn, s: fn("ndimage.gaussian_filter")(s.grey, 3.0)),
    Step("median filter 7", ("ndimage.median_filter",),
         lambda fn, s: fn("ndimage.median_filter")(s.grey, 7)),
    Step("Otsu threshold", ("filters.threshold_otsu",), _mask),
    Step("multi-Otsu, 3 classes", ("filters.threshold_multiotsu",),
         lambda fn, s: np.digitize(s.grey, fn("filters.threshold_multiotsu")(s.grey))),
    Step("opening (disk 3)", ("filters.threshold_otsu", "ndimage.binary_opening",
                              "morphology.disk"), _opened),
    Step("labels", ("filters.threshold_otsu", "ndimage.binary_opening", "morphology.disk",
                    "ndimage.label"), _labels),
    Step("k-means colours (5)", ("segmentation.kmeans_colors",), _kmeans),
    Step("Canny", ("feature.canny",), _edges),
    Step("Hough lines", ("feature.canny", "transform.hough_line",
                         "transform.hough_line_peaks"), _hough_lines),
    Step("Hough circles", ("feature.canny", "transform.hough_circle",
                           "transform.hough_circle_peaks"), _hough_circles),
    Step("probabilistic Hough", ("feature.canny", "transform.probabilistic_hough_line"),
         _segments),
    Step("Hough ellipse", ("transform.resize", "feature.canny", "transform.hough_ellipse"),
         _hough_ellipse),
    Step("contours", ("filters.threshold_otsu", "measure.find_contours"), _contours),
    Step("template matching", ("feature.match_template",), _template),
    *(Step(f"{name} {band}", ("frequency.frequency_filter",), _frequency(kind, band))
      for band in ("lowpass", "highpass")
      for kind, name in (("ideal", "ideal"), ("gaussian", "Gaussian"),
                         ("butterworth", "Butterworth"))),
    Step("pixelation", ("transform.pixelate",),
         lambda fn, s: fn("transform.pixelate")(s.rgb, max(s.rgb.shape[0] // 40, 2),
                                                channel_axis=-1)),
    Step("scratched copy", (), _scratched),
    Step("inpainted (Telea)", ("restoration.inpaint",), _inpainted),
)
