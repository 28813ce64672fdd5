"""Convolution-family benchmarks: fastimg against scipy / skimage / OpenCV / reference.

Every case checks its result against the anchor *before* timing, so that
``--benchmark-disable`` (one run of each body, as in CI) still verifies them:

* fastimg vs scipy / skimage: ``np.testing.assert_array_equal`` (bit-identical);
* OpenCV: within a documented tolerance (different rounding / kernels);
* reference oracle (512 only, it is slow): bit-identical to the anchor.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info["impl"]`` names the
implementation and ``extra_info["baseline"]`` the fastimg implementation its
speed-up is computed against (``report.py``).
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as sndi
import scipy.signal as ssig
import skimage.filters as skf

import fastimg
import reference.convolution as rconv
import reference.filters as rfilt

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, params, run
from .conftest import DTYPES


#: Fixed non-symmetric 3x3 kernel; non-negative and summing to 1 so uint8
#: results stay in [0, 255] (no out-of-range float->uint8 casts, where ndimage
#: and OpenCV legitimately differ: C cast vs saturation).
W33 = np.array([[1.0, 2.0, 0.0],
                [0.0, 3.0, 1.0],
                [1.0, 1.0, 1.0]]) / 10.0

#: Non-separable (rank > 1), non-symmetric 5x5 float64 kernel.
K55 = np.array([[1.0, 0.0, 2.0, -1.0, 0.0],
                [0.0, 3.0, 1.0, 0.0, 1.0],
                [2.0, 1.0, -4.0, 1.0, 0.0],
                [0.0, 1.0, 1.0, 2.0, 0.0],
                [1.0, -1.0, 0.0, 0.0, 2.0]]) / 8.0
assert np.linalg.matrix_rank(K55) > 1

# OpenCV tolerances (absolute; float images hold values in [0, 1]).
#  * uint8: ndimage truncates the float result toward zero (and the separable
#    filters truncate the intermediate 1-D pass to uint8 too), OpenCV rounds
#    and saturates, and for 8-bit GaussianBlur uses a fixed-point kernel:
#    measured max |diff| 1 (filter2D) and 2 (GaussianBlur, blur) grey levels.
#  * float32: different summation order / float32 accumulation: ~2.4e-7
#    measured; 2e-6 allowed.
#  * float64: summation order only; 1e-12 allowed.
CV_TOL_EXACTISH = {"uint8": 1, "float32": 2e-6, "float64": 1e-12}
#  GaussianBlur(ksize=17, sigma=2): OpenCV builds its own normalised 17-tap
#  kernel (same truncation radius int(4*2+0.5)=8 as ndimage) in float64 for
#  float images, but rounds it to fixed point for uint8.  The max |diff|
#  measured on the photographs is 2 grey levels (uint8) and ~2.4e-7 (float32).
CV_TOL_SEPARABLE = {"uint8": 2, "float32": 2e-6, "float64": 1e-12}


def _cv_depth(x):
    return cv2.CV_32F if x.dtype == np.float32 else cv2.CV_64F


FLOAT_ONLY = ("float32", "float64")

CASES: dict[str, dict[str, Impl]] = {
    "correlate3x3": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.correlate(x, W33), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.correlate(x, W33)),
        # ndimage 'reflect' == OpenCV BORDER_REFLECT; filter2D correlates.
        "opencv": Impl(lambda x: lambda: cv2.filter2D(x, -1, W33, borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol=CV_TOL_EXACTISH),
        "reference": Impl(lambda x: lambda: rconv.correlate(x, W33), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "gaussian_sigma2": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.gaussian_filter(x, 2), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.gaussian_filter(x, 2)),
        "opencv": Impl(lambda x: lambda: cv2.GaussianBlur(x, (17, 17), 2,
                                                          borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol=CV_TOL_SEPARABLE),
        # skimage.filters.gaussian has other semantics (mode='nearest',
        # uint8 -> float64 in [0, 1]): it is compared with, and its speed-up
        # computed against, fastimg.filters.gaussian.
        "fastimg.filters": Impl(lambda x: lambda: fastimg.filters.gaussian(x, 2),
                                truth="skimage", baseline="fastimg.filters"),
        "skimage": Impl(lambda x: lambda: skf.gaussian(x, 2), baseline="fastimg.filters"),
        "reference": Impl(lambda x: lambda: rconv.gaussian_filter(x, 2), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "uniform5": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.uniform_filter(x, 5), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.uniform_filter(x, 5)),
        "opencv": Impl(lambda x: lambda: cv2.blur(x, (5, 5), borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol=CV_TOL_SEPARABLE),
        "reference": Impl(lambda x: lambda: rconv.uniform_filter(x, 5), truth="scipy",
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
        "reference": Impl(lambda x: lambda: rconv.sobel(x, 0), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "skimage_sobel": {
        "fastimg": Impl(lambda x: lambda: fastimg.filters.sobel(x), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skf.sobel(x)),
        "reference": Impl(lambda x: lambda: rfilt.sobel(x), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "convolve2d_5x5_symm": {
        "fastimg": Impl(lambda x: lambda: fastimg.signal.convolve2d(x, K55, mode="same",
                                                                    boundary="symm"),
                        truth="scipy"),
        "scipy": Impl(lambda x: lambda: ssig.convolve2d(x, K55, mode="same", boundary="symm")),
        # 'symm' == BORDER_REFLECT; filter2D correlates, so flip the kernel.
        # float64 output from uint8/float64 input matches scipy's result dtype.
        "opencv": Impl(lambda x: lambda: cv2.filter2D(x, cv2.CV_64F,
                                                      np.ascontiguousarray(K55[::-1, ::-1]),
                                                      borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol={"uint8": 1e-9, "float64": 1e-12},
                       dtypes=("uint8", "float64"),
                       skip_reason="float32: OpenCV has no float32 -> float64 filter2D "
                                   "(scipy upcasts to float64)"),
        "reference": Impl(lambda x: lambda: rconv.convolve2d(x, K55, mode="same",
                                                             boundary="symm"),
                          truth="scipy", sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
}

#: Seven non-symmetric taps (the general NI_Correlate1D path).
W7 = np.array([1.0, -2.0, 3.0, 0.5, -1.0, 2.0, 1.5]) / 5.0
#: A 7x7 rank-1 kernel (fastimg runs it as two 1-D passes for float outputs).
K77_RANK1 = np.outer([1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0], [1.0, 3.0, 5.0, 7.0, 5.0, 3.0, 2.0]) / 400.0


def _scipy_case(ours, theirs, ref):
    """fastimg vs SciPy (bit-identical), with the reference at 512."""
    return {
        "fastimg": Impl(lambda x: lambda: ours(x), truth="scipy"),
        "scipy": Impl(lambda x: lambda: theirs(x)),
        "reference": Impl(lambda x: lambda: ref(x), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    }


# The remaining public functions, one case each, against SciPy.
CASES.update({
    "convolve_5x5": _scipy_case(lambda x: fastimg.ndimage.convolve(x, K55, mode="mirror"),
                                lambda x: sndi.convolve(x, K55, mode="mirror"),
                                lambda x: rconv.convolve(x, K55, mode="mirror")),
    "correlate_rank1_7x7": {
        **_scipy_case(lambda x: fastimg.ndimage.correlate(x, K77_RANK1),
                      lambda x: sndi.correlate(x, K77_RANK1),
                      lambda x: rconv.correlate(x, K77_RANK1)),
        # float outputs take the two-pass path: within the "separable" rows
        # of the tolerance table (tests/conftest.py), exact for uint8
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.correlate(x, K77_RANK1),
                        truth="scipy", tol={"uint8": 0, "float32": 2.0 ** -22,
                                            "float64": 1e-13}),
    },
    "correlate1d_axis0": _scipy_case(lambda x: fastimg.ndimage.correlate1d(x, W7, axis=0),
                                     lambda x: sndi.correlate1d(x, W7, axis=0),
                                     lambda x: rconv.correlate1d(x, W7, axis=0)),
    "convolve1d_axis1": _scipy_case(lambda x: fastimg.ndimage.convolve1d(x, W7, axis=1),
                                    lambda x: sndi.convolve1d(x, W7, axis=1),
                                    lambda x: rconv.convolve1d(x, W7, axis=1)),
    "gaussian_filter1d_sigma3": _scipy_case(
        lambda x: fastimg.ndimage.gaussian_filter1d(x, 3.0, axis=-1),
        lambda x: sndi.gaussian_filter1d(x, 3.0, axis=-1),
        lambda x: rconv.gaussian_filter1d(x, 3.0, axis=-1)),
    "uniform_filter1d_9": _scipy_case(lambda x: fastimg.ndimage.uniform_filter1d(x, 9, axis=0),
                                      lambda x: sndi.uniform_filter1d(x, 9, axis=0),
                                      lambda x: rconv.uniform_filter1d(x, 9, axis=0)),
    "prewitt": _scipy_case(lambda x: fastimg.ndimage.prewitt(x, 1),
                           lambda x: sndi.prewitt(x, 1), lambda x: rconv.prewitt(x, 1)),
    "correlate2d_5x5_fill": _scipy_case(
        lambda x: fastimg.signal.correlate2d(x, K55, mode="same"),
        lambda x: ssig.correlate2d(x, K55, mode="same"),
        lambda x: rconv.correlate2d(x, K55, mode="same")),
})


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_convolution(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
