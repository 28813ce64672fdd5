"""inpaint-family benchmarks: ``restoration.inpaint`` (Telea) against
``cv2.inpaint(..., cv2.INPAINT_TELEA)`` and ``restoration.inpaint_biharmonic``
against scikit-image, on a scratched photograph.

The photograph is the benchmark image (``camera`` at 512, the mosaic
above), uint8 or float32 in [0, 1]; the mask is 5 % of the pixels in
horizontal scratches (3 x 40 pixels, a fixed seed) set to 0 in the image.
Sizes are the benchmark sizes capped at 1024 (scikit-image's solve grows
quickly with the masked pixels; the goals are at 512x512).

Checks before timing: Telea equals OpenCV bit for bit; biharmonic is within
the test suite's ``biharmonic-*`` tolerances of scikit-image (1e-11 of the
range for float64 results, 1e-3 for float32).  The restoration error of
each method against the undamaged photograph (RMSE over the scratched
pixels) is printed once per size and dtype (``-s``).
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage.restoration import inpaint_biharmonic as sk_biharmonic

from fastimg._inpaint import inpaint, inpaint_biharmonic

from ._harness import Impl, run
from .conftest import bench_sizes, make_image

SIZES = sorted({min(n, 1024) for n in bench_sizes()})
DTYPES = ("uint8", "float32")
RADIUS = 3
_PRINTED: set = set()


def scratch_mask(shape, fraction=0.05, seed=0):
    """About ``fraction`` of the pixels in 3 x 40 horizontal scratches."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(shape, bool)
    while mask.mean() < fraction:
        r, c = rng.integers(0, shape[0] - 3), rng.integers(0, shape[1] - 40)
        mask[r:r + 3, c:c + 40] = True
    return mask


def damaged(n, dtype):
    """The photograph with its scratches set to 0, and the mask."""
    x = make_image(n, dtype).copy()
    mask = scratch_mask(x.shape)
    x[mask] = 0
    return x


def _report(x):
    """RMSE against the undamaged photograph, printed once per image."""
    key = (x.shape, x.dtype.str)
    if key in _PRINTED:
        return
    _PRINTED.add(key)
    orig = make_image(x.shape[0], x.dtype.name).astype(np.float64)
    mask = scratch_mask(x.shape)
    scale = 255.0 if x.dtype == np.uint8 else 1.0
    results = {"fastimg telea": inpaint(x, mask, RADIUS),
               "opencv telea": cv2.inpaint(x, mask.astype(np.uint8), RADIUS,
                                           cv2.INPAINT_TELEA),
               "biharmonic": inpaint_biharmonic(x, mask) * scale, "damaged": x}
    text = ", ".join(
        f"{k} {np.sqrt(np.mean((np.asarray(v, np.float64)[mask] - orig[mask]) ** 2)):.4g}"
        for k, v in results.items())
    print(f"\ninpaint {x.shape} {x.dtype}: RMSE on the scratches: {text}")


def _telea(x):
    _report(x)
    mask = scratch_mask(x.shape)
    return lambda: inpaint(x, mask, RADIUS)


def _opencv(x):
    mask = scratch_mask(x.shape).astype(np.uint8)
    return lambda: cv2.inpaint(x, mask, RADIUS, cv2.INPAINT_TELEA)


def _biharmonic(f):
    def make(x):
        mask = scratch_mask(x.shape)
        return lambda: f(x, mask)
    return make


CASES: dict[str, dict[str, Impl]] = {
    "telea": {
        "fastimg": Impl(_telea, truth="opencv"),
        "opencv": Impl(_opencv),
    },
    "biharmonic": {
        "fastimg": Impl(_biharmonic(inpaint_biharmonic), truth="skimage",
                        tol={"uint8": 1e-11, "float32": 1e-3}),
        "skimage": Impl(_biharmonic(sk_biharmonic)),
    },
}

TITLES = {"telea": "`restoration.inpaint` (Telea, radius 3, 5 % scratched)",
          "biharmonic": "`restoration.inpaint_biharmonic` (5 % scratched)"}
FUNCTIONS = {"telea": "restoration.inpaint", "biharmonic": "restoration.inpaint_biharmonic"}
GOALS = [
    ("telea", 512, "uint8", "opencv", 1.0),
    ("biharmonic", 512, "uint8", "skimage", 10.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), [
    pytest.param(c, i, n, d, id=f"{c}-{i}-{n}-{d}")
    for c, impls in CASES.items() for n in SIZES for d in DTYPES for i in impls])
def test_inpaint(benchmark, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, damaged, bench_env, case, impl, n, dtype)
