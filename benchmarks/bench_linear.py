"""Linear-family benchmarks (scikit-image's ``filters.gaussian`` and
``filters.sobel``): fastimg against scikit-image / reference.

Every case checks its result against the anchor *before* timing, so that
``--benchmark-disable`` (one run of each body, as in CI) still verifies them:
fastimg and the reference (512 only) bit-identical to scikit-image.  Groups
and ``extra_info`` as in bench_correlation.py.
"""
from __future__ import annotations

import pytest
import skimage.filters as skf

import fastimg
import reference.linear as rlin

from ._harness import exact_case, params, run
from .conftest import DTYPES

CASES = {
    # skimage.filters.gaussian: mode='nearest', uint8 -> float64 in [0, 1]
    "skimage_gaussian_sigma2": exact_case(lambda x: fastimg.filters.gaussian(x, 2),
                                          lambda x: skf.gaussian(x, 2),
                                          lambda x: rlin.gaussian(x, 2), anchor="skimage"),
    "skimage_sobel": exact_case(lambda x: fastimg.filters.sobel(x), lambda x: skf.sobel(x),
                                lambda x: rlin.sobel(x), anchor="skimage"),
}

TITLES = {
    "skimage_gaussian_sigma2": "`filters.gaussian(x, 2)` (skimage)",
    "skimage_sobel": "`filters.sobel(x)` (skimage)",
}

FUNCTIONS = {
    "skimage_gaussian_sigma2": "filters.gaussian",
    "skimage_sobel": "filters.sobel",
}


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_linear(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
