"""Interpolation-family benchmarks: ``ndimage.rotate`` (order 1 and 3),
``ndimage.zoom`` (x2, order 3) and ``ndimage.map_coordinates`` (order 1 and
3, a smooth displacement field) against SciPy, with OpenCV's nearest
equivalents timed beside them.

Every fastimg case checks its result against SciPy *before* timing (so
``--benchmark-disable`` still verifies them): exact equality, values and
dtype.  OpenCV is timed but not checked: ``cv2.warpAffine`` / ``remap``
interpolate bilinearly in fixed point (``INTER_LINEAR``) or with Keys'
cubic convolution (``INTER_CUBIC``), not SciPy's B-splines, so its results
differ by design; it is the speed bar for the order-1 rotation.  The
reference is not timed here (its pure-Python loop over output pixels takes
minutes at 512x512); the test suite compares it on small images.

The displacement field moves each pixel by up to 3 pixels along smooth
sines (periods of 50 and 70 pixels), made outside the timing.  Groups are
``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from scipy import ndimage as ndi

import fastimg._interpolation as fi

from ._harness import Impl, params, run

DTYPES = ("uint8", "float32")


def _field(x):
    """(rows, cols) float64 coordinates: the pixel grid displaced by a
    smooth field of up to 3 pixels."""
    r, c = np.indices(x.shape, dtype=np.float64)
    return np.array([r + 3.0 * np.sin(c / 50.0), c + 3.0 * np.cos(r / 70.0)])


def _cv_rotation(x):
    n0, n1 = x.shape
    return cv2.getRotationMatrix2D(((n1 - 1) / 2.0, (n0 - 1) / 2.0), 30.0, 1.0)


def _rotate_case(order, cv_flag):
    return {
        "fastimg": Impl(lambda x: lambda: fi.rotate(x, 30, reshape=False, order=order),
                        truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.rotate(x, 30, reshape=False, order=order)),
        "opencv": Impl(lambda x: (lambda m: lambda: cv2.warpAffine(
            x, m, x.shape[::-1], flags=cv_flag))(_cv_rotation(x))),
    }


def _map_case(order, cv_flag):
    def cv_maps(x):
        f = _field(x).astype(np.float32)
        return f[1], f[0]
    return {
        "fastimg": Impl(lambda x: (lambda f: lambda: fi.map_coordinates(x, f, order=order))(
            _field(x)), truth="scipy"),
        "scipy": Impl(lambda x: (lambda f: lambda: ndi.map_coordinates(x, f, order=order))(
            _field(x))),
        "opencv": Impl(lambda x: (lambda m: lambda: cv2.remap(x, m[0], m[1], cv_flag))(
            cv_maps(x))),
    }


CASES: dict[str, dict[str, Impl]] = {
    "rotate1": _rotate_case(1, cv2.INTER_LINEAR),
    "rotate3": _rotate_case(3, cv2.INTER_CUBIC),
    "zoom3": {
        "fastimg": Impl(lambda x: lambda: fi.zoom(x, 2, order=3), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.zoom(x, 2, order=3)),
        "opencv": Impl(lambda x: lambda: cv2.resize(x, None, fx=2, fy=2,
                                                    interpolation=cv2.INTER_CUBIC)),
    },
    "map1": _map_case(1, cv2.INTER_LINEAR),
    "map3": _map_case(3, cv2.INTER_CUBIC),
    # the cases once no faster than SciPy: order 0 where many footprints
    # cross the border, and the prefilter along contiguous lines
    "rotate0": {
        "fastimg": Impl(lambda x: lambda: fi.rotate(x, 17, order=0, mode="nearest"),
                        truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.rotate(x, 17, order=0, mode="nearest")),
    },
    "spline1d": {
        "fastimg": Impl(lambda x: lambda: fi.spline_filter1d(x, 3, axis=-1), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.spline_filter1d(x, 3, axis=-1)),
    },
}

TITLES = {
    "rotate1": "`ndimage.rotate(x, 30, reshape=False, order=1)` (OpenCV: warpAffine bilinear)",
    "rotate3": "`ndimage.rotate(x, 30, reshape=False, order=3)` (OpenCV: warpAffine cubic)",
    "zoom3": "`ndimage.zoom(x, 2, order=3)` (OpenCV: resize cubic)",
    "map1": "`ndimage.map_coordinates(x, field, order=1)` (OpenCV: remap bilinear)",
    "map3": "`ndimage.map_coordinates(x, field, order=3)` (OpenCV: remap cubic)",
    "rotate0": "`ndimage.rotate(x, 17, order=0, mode='nearest')`",
    "spline1d": "`ndimage.spline_filter1d(x, 3, axis=-1)`",
}

FUNCTIONS = {"rotate1": "ndimage.rotate", "rotate3": "ndimage.rotate",
             "zoom3": "ndimage.zoom", "map1": "ndimage.map_coordinates",
             "map3": "ndimage.map_coordinates", "rotate0": "ndimage.rotate",
             "spline1d": "ndimage.spline_filter1d"}

GOALS = [
    ("rotate1", 2048, "float32", "scipy", 20.0),
    ("rotate1", 2048, "float32", "opencv", 0.7),
    ("rotate3", 2048, "float32", "scipy", 10.0),
    ("zoom3", 2048, "float32", "scipy", 10.0),
    ("map1", 2048, "float32", "scipy", 10.0),
    ("map3", 2048, "float32", "scipy", 10.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_interpolation(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
