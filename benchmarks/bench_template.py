"""Template-family benchmarks: ``match_template`` against scikit-image and
``cv2.matchTemplate(TM_CCOEFF_NORMED)``; ``peak_local_max`` and
``corner_peaks`` against scikit-image.

Every case checks its result against scikit-image *before* timing (so
``--benchmark-disable`` still verifies them):

* ``match_template``: fastimg within 1e-9 (uint8: float64 scores) or
  1e-2 (float32) of skimage.  Both round the correlation (skimage's FFT in
  the image's float type, fastimg's tiled FFT) and a normalised score
  divides that rounding by the window's denominator: the test suite's
  tolerance is per position (``TOLERANCES["match-template"]``); these are
  global bounds above its worst value on the photograph (a near-flat 32x32
  window at 2048x2048 float32 scores -6.779 in skimage, rounding noise
  itself, and differs by 1.1e-3).  OpenCV is a second anchor, timed but not checked here: on
  windows whose variance is within float32 rounding of zero (saturated
  patches of the photograph) skimage's score is rounding noise (up to ~5
  here) while OpenCV applies its own rule (0 or +-1), so no global bound
  separates them; tests/test_template.py compares OpenCV's six scores with
  fastimg's ``method=`` away from such windows.
* peaks: coordinates identical to skimage's, in the same order.

The template is a patch of the image itself (32x32 or 128x128 from (100,
150)); the peak cases search a Gaussian-smoothed photograph (sigma 2,
smoothed outside the timing).  The reference is not timed here (its
pure-Python loops over positions would take hours at 512x512); the test
suite compares it on small images.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.feature as skf
from scipy import ndimage as ndi

import fastimg._template as ft

from ._harness import Impl, params, run

DTYPES = {"match32": ("uint8", "float32"), "match128": ("uint8", "float32"),
          "peaks5": ("uint8", "float32"), "corners5": ("float32",)}


def _patch(x, k):
    return np.ascontiguousarray(x[100:100 + k, 150:150 + k])


def _smooth(x):
    """The photograph smoothed (sigma 2) in its own dtype, so the peaks are
    the image's blobs rather than its pixel noise."""
    return ndi.gaussian_filter(x, 2.0)


def _match_case(k):
    return {
        "fastimg": Impl(lambda x: (lambda t: lambda: ft.match_template(x, t))(_patch(x, k)),
                        truth="skimage", tol={"uint8": 1e-9, "float32": 1e-2}),
        "skimage": Impl(lambda x: (lambda t: lambda: skf.match_template(x, t))(_patch(x, k))),
        # a second anchor (unchecked here: see the module docstring)
        "opencv": Impl(lambda x: (lambda t: lambda: cv2.matchTemplate(
            x, t, cv2.TM_CCOEFF_NORMED))(_patch(x, k))),
    }


def _peak_case(name):
    return {
        "fastimg": Impl(lambda x: (lambda s: lambda: getattr(ft, name)(s, min_distance=5))(
            _smooth(x)), truth="skimage"),
        "skimage": Impl(lambda x: (lambda s: lambda: getattr(skf, name)(s, min_distance=5))(
            _smooth(x))),
    }


CASES: dict[str, dict[str, Impl]] = {
    "match32": _match_case(32),
    "match128": _match_case(128),
    "peaks5": _peak_case("peak_local_max"),
    "corners5": _peak_case("corner_peaks"),
}

TITLES = {
    "match32": "`feature.match_template` (32x32 template)",
    "match128": "`feature.match_template` (128x128 template)",
    "peaks5": "`feature.peak_local_max(min_distance=5)` (smoothed photograph)",
    "corners5": "`feature.corner_peaks(min_distance=5)` (smoothed photograph)",
}

FUNCTIONS = {"match32": "feature.match_template", "match128": "feature.match_template",
             "peaks5": "feature.peak_local_max", "corners5": "feature.corner_peaks"}

GOALS = [
    ("match32", 2048, "float32", "opencv", 1.0),
    ("match32", 2048, "float32", "skimage", 5.0),
    ("match128", 2048, "float32", "opencv", 1.0),
    ("match128", 2048, "float32", "skimage", 5.0),
    ("peaks5", 2048, "float32", "skimage", 10.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_template(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
