"""Intensity-family benchmarks: fastimg against skimage / OpenCV / reference.

Every case checks its result against the anchor *before* timing, so that
``--benchmark-disable`` (one run of each body, as in CI) still verifies them;
every comparison is exact (same dtype, same values):

* fastimg vs skimage: bit-identical;
* OpenCV ``cv2.LUT`` with skimage's own uint8 table, ``cv2.bitwise_not``:
  bit-identical (they compute the same quantity);
* reference oracle (512 only): bit-identical to the anchor.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info["impl"]`` names the
implementation, ``extra_info["baseline"]`` the one speed-ups are computed
against (``report.py``).
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.exposure as ske
import skimage.util as sku

import fastimg._intensity.api as fi
import reference.intensity as ri

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, params, run

DTYPES = ("uint8", "float32")
GAMMA = 0.45        # a general exponent: NumPy's pow, not a fast path


def _skimage_u8_table(gamma, gain=1):
    """skimage 0.26's ``_adjust_gamma_u8`` table, for cv2.LUT."""
    lut = 255 * gain * (np.linspace(0, 1, 256) ** gamma)
    return np.minimum(np.rint(lut), 255).astype("uint8")


U8_TABLE = _skimage_u8_table(GAMMA)


U8_ONLY = ("uint8",)

CASES: dict[str, dict[str, Impl]] = {
    "adjust_gamma": {
        "fastimg": Impl(lambda x: lambda: fi.adjust_gamma(x, GAMMA), truth="skimage"),
        "skimage": Impl(lambda x: lambda: ske.adjust_gamma(x, GAMMA)),
        "opencv": Impl(lambda x: lambda: cv2.LUT(x, U8_TABLE), truth="skimage",
                       dtypes=U8_ONLY, skip_reason="cv2.LUT takes 8-bit input only"),
        "reference": Impl(lambda x: lambda: ri.adjust_gamma(x, GAMMA), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "adjust_gamma2": {   # exponent 2: fastimg's jitted float kernel (t * t)
        "fastimg": Impl(lambda x: lambda: fi.adjust_gamma(x, 2), truth="skimage"),
        "skimage": Impl(lambda x: lambda: ske.adjust_gamma(x, 2)),
        "reference": Impl(lambda x: lambda: ri.adjust_gamma(x, 2), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "adjust_log": {
        "fastimg": Impl(lambda x: lambda: fi.adjust_log(x), truth="skimage"),
        "skimage": Impl(lambda x: lambda: ske.adjust_log(x)),
        "reference": Impl(lambda x: lambda: ri.adjust_log(x), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "invert": {
        "fastimg": Impl(lambda x: lambda: fi.invert(x), truth="skimage"),
        "skimage": Impl(lambda x: lambda: sku.invert(x)),
        "opencv": Impl(lambda x: lambda: cv2.bitwise_not(x), truth="skimage",
                       dtypes=U8_ONLY, skip_reason="float invert is 1 - x, not a bitwise NOT"),
        "reference": Impl(lambda x: lambda: ri.invert(x), truth="skimage",
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
}

TITLES = {
    "adjust_gamma": "`exposure.adjust_gamma` (general exponent)",
    "adjust_gamma2": "`exposure.adjust_gamma(x, 2)`",
    "adjust_log": "`exposure.adjust_log`",
    "invert": "`util.invert`",
}

FUNCTIONS = {
    "adjust_gamma": "exposure.adjust_gamma",
    "adjust_gamma2": "exposure.adjust_gamma",
    "adjust_log": "exposure.adjust_log",
    "invert": "util.invert",
}

GOALS = [
    ("adjust_gamma", 4096, "uint8", "opencv", 1 / 1.2),
    ("adjust_gamma", 4096, "float32", "skimage", 8.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_intensity(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
