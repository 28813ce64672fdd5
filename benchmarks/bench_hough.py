"""Hough-family benchmarks: fastimg against scikit-image (and OpenCV's
``HoughLines`` for context).

Inputs are Canny edges (``skimage.feature.canny``, default sigma) of the
benchmark photographs, computed once per size:

* ``line``: ``hough_line`` of the n x n edge image; ``opencv_lines`` times
  ``cv2.HoughLines`` (rho 1, theta pi/180, threshold 150) on the same edges:
  a *different output* (a list of lines, not the accumulator), not checked;
* ``line_peaks``: ``hough_line_peaks`` of skimage's accumulator of those
  edges (timed at 512 and 2048);
* ``circle``: ``hough_circle`` with 10 radii (10, 15, ..., 55) on the
  top-left 1024 x 1024 edge crop (the whole 512 image at 512), timed at
  512 and 2048 (whose group holds the 1024 crop);
* ``ellipse``: ``hough_ellipse`` (threshold 20) on a 128 x 128 edge image:
  Canny (sigma 3) of the 512 photograph taken every 4th pixel, timed at the
  512 size only (skimage takes ~20 s per call there).

Every case checks fastimg's result against skimage's exactly before timing.
The dtype label is the photograph's (uint8); the transforms see a bool edge
image.  Groups are ``"{case}|{N}x{N}|{dtype}"``.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.transform as skt
from skimage.feature import canny

import fastimg.transform as ft

from ._harness import Impl, params, run

_EDGES: dict = {}


def _edges(x):
    """Canny edges of the photograph x (cached by size)."""
    key = ("edges", x.shape)
    if key not in _EDGES:
        _EDGES[key] = canny(x)
    return _EDGES[key]


def _crop1024(x):
    e = _edges(x)
    return np.ascontiguousarray(e[:1024, :1024])


def _small128(x):
    """Canny edges (sigma 3, ~600 pixels) of the 512 photograph shrunk to 128."""
    key = ("small", x.shape)
    if key not in _EDGES:
        _EDGES[key] = canny(np.ascontiguousarray(x[:512:4, :512:4]), 3)
    return _EDGES[key]


def _hspace(x):
    key = ("hspace", x.shape)
    if key not in _EDGES:
        _EDGES[key] = skt.hough_line(_edges(x))
    return _EDGES[key]


RADII = np.arange(10, 60, 5)
PEAK_SIZES = (512, 2048)
ELLIPSE_SIZES = (512,)


def _cspace(x):
    key = ("cspace", x.shape)
    if key not in _EDGES:
        _EDGES[key] = skt.hough_circle(_crop1024(x), RADII)
    return _EDGES[key]


def _peaks(r):
    """hough_circle_peaks' (accums, cx, cy, radii) as one array."""
    return np.stack([np.asarray(a, np.float64) for a in r])


def _segments(r):
    """probabilistic_hough_line's list of ((x0, y0), (x1, y1)) as an array."""
    return np.asarray(r, np.int64).reshape(-1, 4)


def _as_tuple(r):
    return tuple(r)


def _table(r):
    """The ellipse table as bytes (the harness compares plain arrays)."""
    return np.frombuffer(r.tobytes(), np.uint8)


CASES: dict[str, dict[str, Impl]] = {
    "line": {
        "fastimg": Impl(lambda x: (lambda e=_edges(x): lambda: ft.hough_line(e)[0])(),
                        truth="skimage"),
        "skimage": Impl(lambda x: (lambda e=_edges(x): lambda: skt.hough_line(e)[0])()),
        # a list of (rho, theta) lines, not the accumulator: context only
        "opencv_lines": Impl(lambda x: (lambda e=_edges(x).astype(np.uint8) * 255:
                                        lambda: cv2.HoughLines(e, 1, np.pi / 180, 150))()),
    },
    "line_peaks": {
        "fastimg": Impl(lambda x: (lambda h=_hspace(x): lambda: ft.hough_line_peaks(*h))(),
                        truth="skimage", sizes=PEAK_SIZES, skip_reason="timed at 512, 2048"),
        "skimage": Impl(lambda x: (lambda h=_hspace(x): lambda: skt.hough_line_peaks(*h))(),
                        sizes=PEAK_SIZES, skip_reason="timed at 512, 2048"),
    },
    "circle": {
        "fastimg": Impl(lambda x: (lambda e=_crop1024(x): lambda: ft.hough_circle(e, RADII))(),
                        truth="skimage", sizes=PEAK_SIZES, skip_reason="1024 crop at 2048"),
        "skimage": Impl(lambda x: (lambda e=_crop1024(x):
                                   lambda: skt.hough_circle(e, RADII))(),
                        sizes=PEAK_SIZES, skip_reason="1024 crop at 2048"),
    },
    "circle_peaks": {
        "fastimg": Impl(lambda x: (lambda h=_cspace(x): lambda: _peaks(
            ft.hough_circle_peaks(h, RADII, total_num_peaks=20)))(),
            truth="skimage", sizes=PEAK_SIZES, skip_reason="1024 crop at 2048"),
        "skimage": Impl(lambda x: (lambda h=_cspace(x): lambda: _peaks(
            skt.hough_circle_peaks(h, RADII, total_num_peaks=20)))(),
            sizes=PEAK_SIZES, skip_reason="1024 crop at 2048"),
    },
    "probabilistic": {
        "fastimg": Impl(lambda x: (lambda e=_edges(x): lambda: _segments(
            ft.probabilistic_hough_line(e, 10, 20, 3, rng=0)))(), truth="skimage"),
        "skimage": Impl(lambda x: (lambda e=_edges(x): lambda: _segments(
            skt.probabilistic_hough_line(e, 10, 20, 3, rng=0)))()),
    },
    "ellipse": {
        "fastimg": Impl(lambda x: (lambda e=_small128(x):
                                   lambda: _table(ft.hough_ellipse(e, 20)))(),
                        truth="skimage", sizes=ELLIPSE_SIZES, skip_reason="128x128 edges at 512"),
        "skimage": Impl(lambda x: (lambda e=_small128(x):
                                   lambda: _table(skt.hough_ellipse(e, 20)))(),
                        sizes=ELLIPSE_SIZES, skip_reason="128x128 edges at 512"),
    },
}

DTYPES = ("uint8",)

TITLES = {
    "line": "`transform.hough_line` on Canny edges (opencv_lines: cv2.HoughLines, a "
            "different output)",
    "line_peaks": "`transform.hough_line_peaks` of the edges' accumulator",
    "circle": "`transform.hough_circle`, 10 radii, on a 1024x1024 edge crop (2048 row)",
    "circle_peaks": "`transform.hough_circle_peaks`, 20 peaks, of the circle case's space",
    "probabilistic": "`transform.probabilistic_hough_line(e, 10, 20, 3, rng=0)` on Canny edges",
    "ellipse": "`transform.hough_ellipse` on a 128x128 edge image (512 row)",
}

FUNCTIONS = {"line": "transform.hough_line", "line_peaks": "transform.hough_line_peaks",
             "circle": "transform.hough_circle", "ellipse": "transform.hough_ellipse",
             "circle_peaks": "transform.hough_circle_peaks",
             "probabilistic": "transform.probabilistic_hough_line"}

GOALS = [
    ("line", 2048, "uint8", "skimage", 4.0),
    ("line", 4096, "uint8", "skimage", 4.0),
    ("line_peaks", 2048, "uint8", "skimage", 4.0),
    ("circle", 2048, "uint8", "skimage", 4.0),
    ("probabilistic", 2048, "uint8", "skimage", 1.0),
    ("ellipse", 512, "uint8", "skimage", 20.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_hough(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
