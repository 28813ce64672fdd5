"""Otsu-family benchmarks: fastimg against skimage / OpenCV / reference.

Every case checks its result against the anchor *before* timing (so
``--benchmark-disable`` still verifies them): fastimg, OpenCV's Otsu retval
and the reference must equal skimage's threshold(s) exactly (OpenCV's retval
is a Python float: equal in value, tolerance 0).  The uint16 multi-Otsu case
has no skimage timing (its nbins**2 LUT is 8.6 GB for 65 536 bins); its truth
is skimage's result on the uint8 photograph scaled by 257 (the uint16 image is
that photograph times 257): the skimage impl's ``make`` returns it, and that
impl is skipped (not timed) for uint16.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.filters as skf

import fastimg._threshold.api as ft
import reference.threshold as rt

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, params, run


def _skimage_multiotsu3(x):
    """skimage's 3-class thresholds; for the uint16 image (the uint8 photograph
    times 257) those of the uint8 photograph scaled by 257, as int64."""
    if x.dtype == np.uint8:
        return lambda: skf.threshold_multiotsu(x, 3)
    u8 = (x // 257).astype(np.uint8)
    assert np.array_equal(u8.astype(x.dtype) * 257, x)
    return lambda: skf.threshold_multiotsu(u8, 3).astype(np.int64) * 257


DTYPES = {"otsu": ("uint8", "float32"), "multiotsu3": ("uint8", "uint16")}

CASES: dict[str, dict[str, Impl]] = {
    "otsu": {
        "fastimg": Impl(lambda x: lambda: ft.threshold_otsu(x), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skf.threshold_otsu(x)),
        # retval of cv2's 8-bit Otsu: the same 256-bin criterion; a Python
        # float, so equal in value (tolerance 0), not in type
        "opencv": Impl(lambda x: lambda: cv2.threshold(x, 0, 255,
                                                       cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0],
                       truth="skimage", tol={"uint8": 0}, dtypes=("uint8",),
                       skip_reason="cv2's Otsu takes 8-bit input only"),
        "reference": Impl(lambda x: lambda: rt.threshold_otsu(x), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "multiotsu3": {
        "fastimg": Impl(lambda x: lambda: ft.threshold_multiotsu(x, 3), truth="skimage"),
        "skimage": Impl(_skimage_multiotsu3, dtypes=("uint8",),
                        skip_reason="uint16: skimage's nbins**2 table would take 8.6 GB; "
                                    "the truth is its uint8 result times 257, not timed"),
        "reference": Impl(lambda x: lambda: rt.threshold_multiotsu(x, 3), truth="skimage",
                          sizes=REFERENCE_SIZES, dtypes=("uint16",),
                          skip_reason="timed for uint16 at 512 only (slow)"),
    },
}

TITLES = {
    "otsu": "`filters.threshold_otsu`",
    "multiotsu3": "`filters.threshold_multiotsu(x, 3)`",
}

FUNCTIONS = {"otsu": "filters.threshold_otsu", "multiotsu3": "filters.threshold_multiotsu"}

GOALS = [
    ("otsu", 4096, "uint8", "opencv", 1.0),
    ("otsu", 4096, "uint8", "skimage", 6.0),
    ("otsu", 4096, "float32", "skimage", 6.0),
    ("multiotsu3", 2048, "uint8", "skimage", 10.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_threshold(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
