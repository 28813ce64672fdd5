"""Separable-family benchmarks (``ndimage.gaussian_filter(1d)``,
``uniform_filter(1d)``, ``sobel``, ``prewitt``): fastimg against SciPy /
OpenCV / reference.

Every case checks its result against the anchor *before* timing, so that
``--benchmark-disable`` (one run of each body, as in CI) still verifies them:

* fastimg vs SciPy: ``np.testing.assert_array_equal`` (bit-identical);
* OpenCV: within a documented tolerance (different rounding / kernels);
* reference oracle (512 only, it is slow): bit-identical to the anchor.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as sndi

import fastimg
import reference.separable as rsep

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, exact_case, params, run
from .conftest import DTYPES

# OpenCV tolerances (absolute; float images hold values in [0, 1]).
#  * uint8: ndimage truncates the float result toward zero (and the separable
#    filters truncate the intermediate 1-D pass to uint8 too), OpenCV rounds
#    and saturates, and for 8-bit GaussianBlur uses a fixed-point kernel:
#    measured max |diff| 2 grey levels (GaussianBlur, blur).
#  * GaussianBlur(ksize=17, sigma=2): OpenCV builds its own normalised 17-tap
#    kernel (same truncation radius int(4*2+0.5)=8 as ndimage) in float64 for
#    float images, but rounds it to fixed point for uint8.  The max |diff|
#    measured on the photographs is 2 grey levels (uint8) and ~2.4e-7
#    (float32); 2e-6 allowed.
#  * float64: summation order only; 1e-12 allowed.
CV_TOL_SEPARABLE = {"uint8": 2, "float32": 2e-6, "float64": 1e-12}
FLOAT_ONLY = ("float32", "float64")


def _cv_depth(x):
    return cv2.CV_32F if x.dtype == np.float32 else cv2.CV_64F


CASES: dict[str, dict[str, Impl]] = {
    "gaussian_sigma2": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.gaussian_filter(x, 2), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.gaussian_filter(x, 2)),
        "opencv": Impl(lambda x: lambda: cv2.GaussianBlur(x, (17, 17), 2,
                                                          borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol=CV_TOL_SEPARABLE),
        "reference": Impl(lambda x: lambda: rsep.gaussian_filter(x, 2), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "uniform5": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.uniform_filter(x, 5), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.uniform_filter(x, 5)),
        "opencv": Impl(lambda x: lambda: cv2.blur(x, (5, 5), borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol=CV_TOL_SEPARABLE),
        "reference": Impl(lambda x: lambda: rsep.uniform_filter(x, 5), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "sobel": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.sobel(x, 0), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.sobel(x, 0)),
        # d/dy ([-1, 0, 1] down axis 0) smoothed by [1, 2, 1] along axis 1.
        "opencv": Impl(lambda x: lambda: cv2.Sobel(x, _cv_depth(x), 0, 1, ksize=3,
                                                   borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol={"float32": 4e-6, "float64": 1e-12},
                       dtypes=FLOAT_ONLY,
                       skip_reason="uint8: ndimage wraps the result into uint8, "
                                   "cv2.Sobel cannot produce that"),
        "reference": Impl(lambda x: lambda: rsep.sobel(x, 0), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "gaussian_filter1d_sigma3": exact_case(
        lambda x: fastimg.ndimage.gaussian_filter1d(x, 3.0, axis=-1),
        lambda x: sndi.gaussian_filter1d(x, 3.0, axis=-1),
        lambda x: rsep.gaussian_filter1d(x, 3.0, axis=-1)),
    "uniform_filter1d_9": exact_case(lambda x: fastimg.ndimage.uniform_filter1d(x, 9, axis=0),
                                     lambda x: sndi.uniform_filter1d(x, 9, axis=0),
                                     lambda x: rsep.uniform_filter1d(x, 9, axis=0)),
    "prewitt": exact_case(lambda x: fastimg.ndimage.prewitt(x, 1),
                          lambda x: sndi.prewitt(x, 1), lambda x: rsep.prewitt(x, 1)),
}

TITLES = {
    "gaussian_sigma2": "`ndimage.gaussian_filter(x, 2)`",
    "uniform5": "`ndimage.uniform_filter(x, 5)`",
    "sobel": "`ndimage.sobel(x, 0)`",
    "gaussian_filter1d_sigma3": "`ndimage.gaussian_filter1d(x, 3)`",
    "uniform_filter1d_9": "`ndimage.uniform_filter1d(x, 9, axis=0)`",
    "prewitt": "`ndimage.prewitt(x, 1)`",
}

FUNCTIONS = {
    "gaussian_sigma2": "ndimage.gaussian_filter",
    "uniform5": "ndimage.uniform_filter",
    "sobel": "ndimage.sobel",
    "gaussian_filter1d_sigma3": "ndimage.gaussian_filter1d",
    "uniform_filter1d_9": "ndimage.uniform_filter1d",
    "prewitt": "ndimage.prewitt",
}

GOALS = [
    ("gaussian_sigma2", 4096, "float32", "opencv", 1.2),
    ("gaussian_sigma2", 4096, "float32", "scipy", 20.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_separable(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
