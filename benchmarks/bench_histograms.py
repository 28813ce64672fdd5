"""Histogram-family benchmarks (``exposure.histogram``): fastimg against
scikit-image / reference.

Every case checks its result against the anchor *before* timing (so
``--benchmark-disable`` still verifies them): counts and bin centres of
fastimg and of the reference (512 only) equal scikit-image's exactly (values
and dtypes).  Groups and ``extra_info`` as in bench_correlation.py.
"""
from __future__ import annotations

import pytest
import skimage.exposure as ske

import fastimg
import reference.histograms as rhist

from ._harness import exact_case, params, run

DTYPES = ("uint8", "float32")

CASES = {
    "histogram": exact_case(lambda x: fastimg.exposure.histogram(x),
                            lambda x: ske.histogram(x),
                            lambda x: rhist.histogram(x), anchor="skimage"),
}

TITLES = {"histogram": "`exposure.histogram(x)`"}

FUNCTIONS = {"histogram": "exposure.histogram"}


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_histograms(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
