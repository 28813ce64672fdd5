"""signal2d-family benchmarks (``signal.convolve2d``, ``signal.correlate2d``):
fastimg against SciPy / OpenCV / reference.

Every case checks its result against the anchor *before* timing, so that
``--benchmark-disable`` (one run of each body, as in CI) still verifies them:
fastimg and the reference (512 only) bit-identical to SciPy, OpenCV within a
documented tolerance.  Groups and ``extra_info`` as in bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.signal as ssig

import fastimg
import reference.signal2d as rsig
from fastimg._core.catalog import K55

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, exact_case, params, run
from .conftest import DTYPES

# K55, the catalog's sample kernel: non-separable (rank > 1), non-symmetric
# 5x5 float64.
assert np.linalg.matrix_rank(K55) > 1

CASES: dict[str, dict[str, Impl]] = {
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
        "reference": Impl(lambda x: lambda: rsig.convolve2d(x, K55, mode="same",
                                                            boundary="symm"),
                          truth="scipy", sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "correlate2d_5x5_fill": exact_case(
        lambda x: fastimg.signal.correlate2d(x, K55, mode="same"),
        lambda x: ssig.correlate2d(x, K55, mode="same"),
        lambda x: rsig.correlate2d(x, K55, mode="same")),
}

TITLES = {
    "convolve2d_5x5_symm": "`signal.convolve2d`, 5x5, `mode='same', boundary='symm'`",
    "correlate2d_5x5_fill": "`signal.correlate2d`, 5x5, `mode='same'`",
}

FUNCTIONS = {
    "convolve2d_5x5_symm": "signal.convolve2d",
    "correlate2d_5x5_fill": "signal.correlate2d",
}

GOALS = [
    ("convolve2d_5x5_symm", 2048, "float64", "scipy", 10.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_signal2d(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
