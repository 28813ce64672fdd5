"""Otsu-family benchmarks: fastimg against skimage / OpenCV / reference.

Every case checks its result against the anchor *before* timing (so
``--benchmark-disable`` still verifies them): fastimg, OpenCV's Otsu retval
and the reference must equal skimage's threshold(s) exactly.  The uint16
multi-Otsu case has no skimage timing (its nbins**2 LUT is 8.6 GB for 65 536
bins); its truth is the reference (512 only) and ``camera`` scaled by 257.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_convolution.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.filters as skf

import fastimg.threshold as ft
import reference.threshold as rt

from .conftest import bench_sizes, photo_u8

REFERENCE_SIZES = (512,)

# case -> dtype -> impl -> (callable factory, truth impl or None, sizes or None)
CASES = {
    "otsu": {
        "uint8": {
            "fastimg": (lambda x: lambda: ft.threshold_otsu(x), "skimage", None),
            "skimage": (lambda x: lambda: skf.threshold_otsu(x), None, None),
            # retval of cv2's 8-bit Otsu: the same 256-bin criterion
            "opencv": (lambda x: lambda: cv2.threshold(x, 0, 255, cv2.THRESH_BINARY
                                                       + cv2.THRESH_OTSU)[0],
                       "skimage", None),
            "reference": (lambda x: lambda: rt.threshold_otsu(x), "skimage", REFERENCE_SIZES),
        },
        "float32": {
            "fastimg": (lambda x: lambda: ft.threshold_otsu(x), "skimage", None),
            "skimage": (lambda x: lambda: skf.threshold_otsu(x), None, None),
            "reference": (lambda x: lambda: rt.threshold_otsu(x), "skimage", REFERENCE_SIZES),
        },
    },
    "multiotsu3": {
        "uint8": {
            "fastimg": (lambda x: lambda: ft.threshold_multiotsu(x, 3), "skimage", None),
            "skimage": (lambda x: lambda: skf.threshold_multiotsu(x, 3), None, None),
        },
        "uint16": {
            "fastimg": (lambda x: lambda: ft.threshold_multiotsu(x, 3), "scaled-u8", None),
            "reference": (lambda x: lambda: rt.threshold_multiotsu(x, 3), "scaled-u8",
                          REFERENCE_SIZES),
        },
    },
}


def _image(n, dtype):
    u8 = photo_u8(n).copy()  # writable, as users' images normally are
    if dtype == "uint8":
        return u8
    if dtype == "uint16":
        return u8.astype(np.uint16) * 257
    return (u8 / 255.0).astype(np.float32)


def _truth(case, dtype, n, truth):
    if truth == "scaled-u8":
        return skf.threshold_multiotsu(photo_u8(n), 3).astype(np.int64) * 257
    return CASES[case][dtype][truth][0](_image(n, dtype))()


def _params():
    out = []
    for case, by_dtype in CASES.items():
        for dtype, impls in by_dtype.items():
            for n in bench_sizes():
                for impl, (_, _, sizes) in impls.items():
                    marks = ()
                    if sizes is not None and n not in sizes:
                        marks = (pytest.mark.skip(reason="reference only at 512 (slow)"),)
                    out.append(pytest.param(case, impl, n, dtype, marks=marks,
                                            id=f"{case}-{impl}-{n}-{dtype}"))
    return out


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), _params())
def test_threshold(benchmark, bench_env, case, impl, n, dtype):
    make, truth, _ = CASES[case][dtype][impl]
    x = _image(n, dtype)
    fn = make(x)
    result = fn()
    if truth is not None:
        expected = _truth(case, dtype, n, truth)
        np.testing.assert_array_equal(np.asarray(result, dtype=np.float64),
                                      np.asarray(expected, dtype=np.float64),
                                      err_msg=f"{impl} != {truth} ({case})")
        if impl != "opencv":
            assert np.asarray(result).dtype == np.asarray(expected).dtype
    benchmark.group = f"{case}|{n}x{n}|{dtype}"
    benchmark.extra_info.update(
        impl=impl, case=case, size=n, dtype=dtype, baseline="fastimg",
        numba_threads=bench_env["numba_threads"],
        threading_layer=bench_env["numba_threading_layer"],
    )
    benchmark(fn)
