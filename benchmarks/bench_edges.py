"""Canny benchmarks: fastimg against skimage / OpenCV / reference, and a
per-stage breakdown.

Every case checks its result against the anchor *before* timing (so
``--benchmark-disable`` still verifies them):

* ``canny`` (sigma 1, default thresholds): fastimg and the reference must
  give skimage's edge pixels exactly.  OpenCV (``GaussianBlur`` with sigma 1
  then ``Canny`` with L2 gradients and the same thresholds scaled to 0..255,
  uint8 only) computes a *different output* (8-bit fixed-point blur, its own
  border rule and NMS): it is timed as comparable work, not checked.
* stages (float32), so the slowest one is visible, each against skimage's
  own code for the same stage, exactly:

  - ``canny_smooth``: the smoothed image (skimage's ``_preprocess``: masked
    Gaussian with the bleed-over division);
  - ``canny_sweep``: fastimg's fused sweep (smoothing + Sobel + magnitude +
    NMS + thresholds -> a class map) against skimage's ``_preprocess``,
    ``ndi.sobel`` x2, magnitude and ``_nonmaximum_suppression_bilinear``;
  - ``canny_hysteresis``: the flood fill on a class map against skimage's
    ``ndi.label`` + ``np.unique`` step on the same map.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.feature as skfeature
from skimage.feature import _canny as sk_canny

import fastimg._edges.api as fe
import reference.edges as re_
from fastimg._edges import hysteresis as fh
from fastimg._edges import kernels as edges_kernels

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, params, run


def _cv_canny(x):
    # skimage's defaults are 0.1 / 0.2 of the float image; OpenCV's Sobel
    # works on 0..255 values, so the same thresholds are 25.5 / 51
    return lambda: cv2.Canny(cv2.GaussianBlur(x, (0, 0), 1.0), 25.5, 51.0, L2gradient=True)


def _fast_smooth(x):
    def f():
        plan = fe._Plan(x, 1.0, None, "constant", 0.0, None)
        out = np.empty(x.shape, plan.ftype)
        plan.sweep(edges_kernels.SMOOTH_ONLY, smoothed=out)
        return out
    return f


def _sk_smooth(x):
    return lambda: sk_canny._preprocess(x, None, 1.0, "constant", 0.0)[0]


def _fast_sweep(x):
    def f():
        plan = fe._Plan(x, 1.0, None, "constant", 0.0, None)
        cls = np.empty(x.shape, np.uint8)
        plan.sweep(0, low=fe._low_for_nms(0.1), high=fe._high_for_compare(0.2, plan.ftype),
                   cls=cls)
        return cls
    return f


def _sk_sweep(x):
    def f():
        smoothed, eroded = sk_canny._preprocess(x, None, 1.0, "constant", 0.0)
        jsobel = ndi.sobel(smoothed, axis=1)
        isobel = ndi.sobel(smoothed, axis=0)
        magnitude = isobel * isobel
        magnitude += jsobel * jsobel
        np.sqrt(magnitude, out=magnitude)
        low_masked = sk_canny._nonmaximum_suppression_bilinear(
            isobel, jsobel, magnitude, eroded, 0.1)
        low = low_masked > 0
        return (low.astype(np.uint8) + (low & (low_masked >= 0.2))).astype(np.uint8)
    return f


def _class_map(x):
    return _fast_sweep(x)()


def _fast_hysteresis(x):
    cls = _class_map(x)
    return lambda: fh.canny_hysteresis(cls)


def _sk_hysteresis(x):
    cls = _class_map(x)

    def f():   # skimage canny's last step on the same weak / strong maps
        low_mask = cls > 0
        labels, count = ndi.label(low_mask, np.ones((3, 3), bool))
        if count == 0:
            return low_mask
        good = np.zeros((count + 1,), bool)
        good[np.unique(labels[cls == 2])] = True
        return good[labels]
    return f


DTYPES = {"canny": ("float32", "uint8"), "canny_smooth": ("float32",),
          "canny_sweep": ("float32",), "canny_hysteresis": ("float32",)}

CASES: dict[str, dict[str, Impl]] = {
    "canny": {
        "fastimg": Impl(lambda x: lambda: fe.canny(x), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skfeature.canny(x)),
        "opencv": Impl(_cv_canny, dtypes=("uint8",),
                       skip_reason="cv2.Canny takes 8-bit input only (a different output: "
                                   "fixed-point blur, its own NMS; not checked)"),
        "reference": Impl(lambda x: lambda: re_.canny(x), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "canny_smooth": {
        "fastimg": Impl(_fast_smooth, truth="skimage"),
        "skimage": Impl(_sk_smooth),
    },
    "canny_sweep": {
        "fastimg": Impl(_fast_sweep, truth="skimage"),
        "skimage": Impl(_sk_sweep),
    },
    "canny_hysteresis": {
        "fastimg": Impl(_fast_hysteresis, truth="skimage"),
        "skimage": Impl(_sk_hysteresis),
    },
}

TITLES = {
    "canny": "`feature.canny(x)` (sigma 1; OpenCV: GaussianBlur + Canny, a different output)",
    "canny_smooth": "canny stage 1: smoothing with the bleed-over division",
    "canny_sweep": "canny stages 1-4: smoothing, Sobel, magnitude, NMS, thresholds (fused)",
    "canny_hysteresis": "canny stage 5: hysteresis on the class map",
}

FUNCTIONS = {"canny": "feature.canny", "canny_smooth": "feature.canny",
             "canny_sweep": "feature.canny", "canny_hysteresis": "feature.canny"}

GOALS = [
    ("canny", 2048, "float32", "skimage", 25.0),
    ("canny", 2048, "uint8", "skimage", 25.0),
    ("canny", 2048, "uint8", "opencv", 1.0),
    ("canny", 4096, "uint8", "opencv", 1.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_edges(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
