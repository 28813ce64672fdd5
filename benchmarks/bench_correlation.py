"""Correlation-family benchmarks (``ndimage.correlate``, ``convolve``,
``correlate1d``, ``convolve1d``): fastimg against SciPy / OpenCV / reference.

Every case checks its result against the anchor *before* timing, so that
``--benchmark-disable`` (one run of each body, as in CI) still verifies them:

* fastimg vs SciPy: ``np.testing.assert_array_equal`` (bit-identical); the
  opt-in ``method='separable'`` (two 1-D passes for float outputs) of the
  rank-1 7x7 kernel within its documented tolerance;
* OpenCV: within a documented tolerance (different rounding);
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

import fastimg
import reference.correlation as rcorr
from fastimg._core.catalog import K55, W33

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, exact_case, params, run
from .conftest import DTYPES

# The catalog's sample kernels.  W33: fixed, non-symmetric 3x3, non-negative
# and summing to 1 so uint8 results stay in [0, 255] (no out-of-range
# float->uint8 casts, where ndimage and OpenCV legitimately differ: C cast vs
# saturation).  K55: non-separable (rank > 1), non-symmetric 5x5 float64.
assert np.linalg.matrix_rank(K55) > 1
#: Seven non-symmetric taps (the general NI_Correlate1D path).
W7 = np.array([1.0, -2.0, 3.0, 0.5, -1.0, 2.0, 1.5]) / 5.0
#: A 7x7 rank-1 kernel (``method='separable'`` runs it as two 1-D passes).
K77_RANK1 = np.outer([1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0], [1.0, 3.0, 5.0, 7.0, 5.0, 3.0, 2.0]) / 400.0

# OpenCV tolerance (absolute; float images hold values in [0, 1]).
#  * uint8: ndimage truncates the float result toward zero, OpenCV rounds and
#    saturates: measured max |diff| 1 grey level.
#  * float32: different summation order / float32 accumulation: ~2.4e-7
#    measured; 2e-6 allowed.
#  * float64: summation order only; 1e-12 allowed.
CV_TOL_EXACTISH = {"uint8": 1, "float32": 2e-6, "float64": 1e-12}

CASES: dict[str, dict[str, Impl]] = {
    "correlate3x3": {
        "fastimg": Impl(lambda x: lambda: fastimg.ndimage.correlate(x, W33), truth="scipy"),
        "scipy": Impl(lambda x: lambda: sndi.correlate(x, W33)),
        # ndimage 'reflect' == OpenCV BORDER_REFLECT; filter2D correlates.
        "opencv": Impl(lambda x: lambda: cv2.filter2D(x, -1, W33, borderType=cv2.BORDER_REFLECT),
                       truth="scipy", tol=CV_TOL_EXACTISH),
        "reference": Impl(lambda x: lambda: rcorr.correlate(x, W33), truth="scipy",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "convolve_5x5": exact_case(lambda x: fastimg.ndimage.convolve(x, K55, mode="mirror"),
                               lambda x: sndi.convolve(x, K55, mode="mirror"),
                               lambda x: rcorr.convolve(x, K55, mode="mirror")),
    "correlate_rank1_7x7": {
        **exact_case(lambda x: fastimg.ndimage.correlate(x, K77_RANK1),
                     lambda x: sndi.correlate(x, K77_RANK1),
                     lambda x: rcorr.correlate(x, K77_RANK1)),
        # the opt-in two-pass path (float outputs): within the "separable"
        # rows of the tolerance table (tests/conftest.py), exact for uint8
        "fastimg-separable": Impl(
            lambda x: lambda: fastimg.ndimage.correlate(x, K77_RANK1, method="separable"),
            truth="scipy", tol={"uint8": 0, "float32": 2.0 ** -22, "float64": 1e-13}),
    },
    "correlate1d_axis0": exact_case(lambda x: fastimg.ndimage.correlate1d(x, W7, axis=0),
                                    lambda x: sndi.correlate1d(x, W7, axis=0),
                                    lambda x: rcorr.correlate1d(x, W7, axis=0)),
    "convolve1d_axis1": exact_case(lambda x: fastimg.ndimage.convolve1d(x, W7, axis=1),
                                   lambda x: sndi.convolve1d(x, W7, axis=1),
                                   lambda x: rcorr.convolve1d(x, W7, axis=1)),
}

TITLES = {
    "correlate3x3": "`ndimage.correlate`, 3x3 kernel",
    "convolve_5x5": "`ndimage.convolve`, 5x5 non-separable, `mode='mirror'`",
    "correlate_rank1_7x7": "`ndimage.correlate`, 7x7 rank-1 kernel",
    "correlate1d_axis0": "`ndimage.correlate1d`, 7 taps, axis 0",
    "convolve1d_axis1": "`ndimage.convolve1d`, 7 taps, axis 1",
}

FUNCTIONS = {
    "correlate3x3": "ndimage.correlate",
    "convolve_5x5": "ndimage.convolve",
    "correlate_rank1_7x7": "ndimage.correlate",
    "correlate1d_axis0": "ndimage.correlate1d",
    "convolve1d_axis1": "ndimage.convolve1d",
}

GOALS = [
    ("correlate3x3", 4096, "float32", "opencv", 1.0),
    ("correlate3x3", 4096, "float32", "scipy", 8.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_correlation(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
