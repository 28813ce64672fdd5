"""Rank-family benchmarks: median filters against SciPy and OpenCV.

Every case checks its result against the anchor before timing (so
``--benchmark-disable`` still verifies them).  All cases use mode 'nearest',
the border rule of ``cv2.medianBlur`` (BORDER_REPLICATE), so fastimg, SciPy
and OpenCV compute the same array and are compared exactly.

SciPy's median filter costs O(window) per pixel (a selection per window,
memory n**4 per its docs): it is timed at 512x512 only for the 5x5 and 31x31
cases (about 5 s per call for 31x31) and not at all for 101x101 (about 45 s
at 512x512); the goals against SciPy are therefore stated at 512x512, where
fastimg's fixed overheads weigh most.  The reference (a Python loop over
windows) is tested in tests/test_rank.py and not timed.

``test_rank_memory`` measures the peak memory of an 80x80 median in a fresh
subprocess (tracemalloc: NumPy's and Numba's allocations) and records it
relative to the image size.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss
import skimage.filters as skf

from fastimg import filters as ff
from fastimg import ndimage as fn
from fastimg import signal as fs

from ._harness import Impl, params, run

SCIPY_SIZES = (512,)
SCIPY_REASON = "SciPy's O(window) selection per pixel: timed at 512x512 only"


def _case(k, scipy_sizes=SCIPY_SIZES, sizes=None, cv_dtypes=("uint8",)):
    """fastimg, OpenCV and SciPy on one window size.  OpenCV's result (equal
    to SciPy's median with mode 'nearest' for odd windows) is the truth at
    every size, SciPy's is checked against it where SciPy is timed."""
    impls = {
        "opencv": Impl(lambda x: lambda: cv2.medianBlur(x, k), dtypes=cv_dtypes, sizes=sizes,
                       skip_reason="not timed at this size for this window"),
        "fastimg": Impl(lambda x: lambda: fn.median_filter(x, k, mode="nearest"),
                        truth="opencv", sizes=sizes,
                        skip_reason="not timed at this size for this window"),
    }
    if scipy_sizes:
        impls["scipy"] = Impl(lambda x: lambda: ndi.median_filter(x, k, mode="nearest"),
                              truth="opencv", sizes=scipy_sizes, skip_reason=SCIPY_REASON)
    return impls


def _smoothed(x):
    """A smoothed photograph (Gaussian, sigma 2, float32): every pixel its
    own value (~258k distinct at 512x512), the float median's hard case;
    camera() / 255 has 256 values."""
    return ndi.gaussian_filter(x.astype(np.float32), 2.0)


def _float_case(k):
    """The float median on a smoothed photograph against SciPy (timed at
    512x512 only: 2.4 s for window 31, 8 s for 51, about 30 s for 101)."""
    return {
        "fastimg": Impl(lambda x: (lambda y: lambda: fn.median_filter(y, k, mode="nearest"))(
            _smoothed(x)), truth="scipy", sizes=SCIPY_SIZES, skip_reason=SCIPY_REASON),
        "scipy": Impl(lambda x: (lambda y: lambda: ndi.median_filter(y, k, mode="nearest"))(
            _smoothed(x)), sizes=SCIPY_SIZES, skip_reason=SCIPY_REASON),
    }


CASES = {
    # separable maximum (SciPy's MINLIST is O(1) per pixel: timed everywhere)
    "maximum31": {
        "fastimg": Impl(lambda x: lambda: fn.maximum_filter(x, 31), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.maximum_filter(x, 31)),
    },
    "median5": _case(5, scipy_sizes=(512, 2048), cv_dtypes=("uint8", "float32")),
    "median31": _case(31, sizes=(512, 2048)),
    "median101": _case(101, scipy_sizes=(), sizes=(512, 2048)),
    # float medians on a smoothed photograph (hundreds of thousands of values)
    "median_smooth5": _float_case(5),
    "median_smooth31": _float_case(31),
    "median_smooth51": _float_case(51),
    "median_smooth101": _float_case(101),
    # the other entry points of the family, each against its own anchor
    # (SciPy's selection per pixel: 512x512 only)
    "rank5": {
        "fastimg": Impl(lambda x: lambda: fn.rank_filter(x, 3, size=5), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.rank_filter(x, 3, size=5), sizes=SCIPY_SIZES,
                      skip_reason=SCIPY_REASON),
    },
    "percentile5": {
        "fastimg": Impl(lambda x: lambda: fn.percentile_filter(x, 30, size=5), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.percentile_filter(x, 30, size=5),
                      sizes=SCIPY_SIZES, skip_reason=SCIPY_REASON),
    },
    "skimage_median5": {
        "fastimg": Impl(lambda x: lambda: ff.median(x, np.ones((5, 5))), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skf.median(x, np.ones((5, 5))), sizes=SCIPY_SIZES,
                        skip_reason=SCIPY_REASON + " (skimage calls it)"),
    },
    "medfilt2d5": {
        "fastimg": Impl(lambda x: lambda: fs.medfilt2d(x, 5), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ss.medfilt2d(x, 5), sizes=SCIPY_SIZES,
                      skip_reason="scipy.signal.medfilt2d: timed at 512x512 only"),
    },
}
DTYPES = {"maximum31": ("uint8", "float32"), "median5": ("uint8", "float32"), "median31": ("uint8",),
          "median101": ("uint8",), "rank5": ("uint8", "float32"),
          "percentile5": ("uint8", "float32"), "skimage_median5": ("uint8", "float32"),
          "medfilt2d5": ("float32",), "median_smooth5": ("float32",),
          "median_smooth31": ("float32",), "median_smooth51": ("float32",),
          "median_smooth101": ("float32",)}

TITLES = {
    "maximum31": "`ndimage.maximum_filter(x, 31)`",
    "median5": "`ndimage.median_filter(x, 5, mode='nearest')`",
    "median31": "`ndimage.median_filter(x, 31, mode='nearest')`",
    "median101": "`ndimage.median_filter(x, 101, mode='nearest')`",
    "rank5": "`ndimage.rank_filter(x, 3, size=5)`",
    "percentile5": "`ndimage.percentile_filter(x, 30, size=5)`",
    "skimage_median5": "`filters.median(x, np.ones((5, 5)))`",
    "medfilt2d5": "`signal.medfilt2d(x, 5)`",
    **{f"median_smooth{k}": f"`ndimage.median_filter(x, {k}, mode='nearest')`, x a smoothed "
       "float32 photograph" for k in (5, 31, 51, 101)},
}
FUNCTIONS = {c: "ndimage.median_filter" for c in CASES}
FUNCTIONS.update({"maximum31": "ndimage.maximum_filter", "rank5": "ndimage.rank_filter",
                  "percentile5": "ndimage.percentile_filter",
                  "skimage_median5": "filters.median", "medfilt2d5": "signal.medfilt2d"})

GOALS = [
    ("median5", 4096, "uint8", "opencv", 1.2),
    ("median5", 512, "uint8", "scipy", 300.0),
    ("median5", 2048, "float32", "scipy", 20.0),
    ("median31", 2048, "uint8", "opencv", 1.0),
    ("median31", 512, "uint8", "scipy", 100.0),
    *((f"median_smooth{k}", 512, "float32", "scipy", 10.0) for k in (5, 31, 51, 101)),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_rank(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)


_MEMORY_SCRIPT = """
import json, sys, tracemalloc
import numpy as np
sys.path.insert(0, {root!r})
from benchmarks.conftest import make_image
from fastimg import ndimage
n = {n}
x = make_image(n, "uint8").copy()
ndimage.median_filter(x[:128, :128], 80)      # compile / load the cache first
tracemalloc.start()
out = ndimage.median_filter(x, 80)
_, peak = tracemalloc.get_traced_memory()
print(json.dumps(dict(peak=peak, image=x.nbytes, output=out.nbytes)))
"""


@pytest.mark.parametrize("n", [2048])
def test_rank_memory(n):
    """Peak memory of an 80x80 median: the padded copy, the output and
    per-thread column histograms of one stripe; never O(window) per pixel."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT.format(root=root, n=n)],
                       capture_output=True, text=True, timeout=600, check=True)
    m = json.loads(r.stdout.strip().splitlines()[-1])
    extra = (m["peak"] - m["output"]) / m["image"]
    print(f"80x80 median {n}x{n}: peak {m['peak'] / m['image']:.2f}x the image "
          f"(output included), {extra:.2f}x besides the output")
    assert extra < 2.0, m

