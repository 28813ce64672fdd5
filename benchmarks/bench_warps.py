"""Warps-family benchmarks: ``resize``, ``warp`` and ``downscale_local_mean``
against scikit-image (and ``cv2.resize`` / ``cv2.warpAffine``), ``pixelate``
against the OpenCV recipe.

Every checked case compares before timing (so ``--benchmark-disable``
still verifies them): fastimg equals scikit-image bit for bit; ``pixelate``
(16-pixel blocks, a shape they divide, uint8) equals the OpenCV recipe
``cv2.resize(INTER_AREA)`` + ``cv2.resize(INTER_NEAREST)`` exactly.
OpenCV's ``resize`` and ``warpAffine`` are timed, not checked: their
pixel-centre conventions and fixed-point rounding are not scikit-image's.
The reference (pure-Python loops per pixel) is not timed here; the test
suite compares it on small images.

Colour cases use a colour photograph (scikit-image's astronaut, tiled to
the size); the others the gray photographs of ``benchmarks/conftest.py``.
Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.transform as skt

import fastimg._warps as fw

from ._harness import Impl, params, run

DTYPES = {"resize8aa": ("float32",), "resize4rgb": ("uint8",), "warp_affine": ("float32",),
          "downscale4": ("uint8", "float32"), "pixelate16": ("uint8",),
          "resize2rgbaa": ("uint8",), "rotate0": ("uint8", "float32"), "warp0rgb": ("uint8",),
          "warp3edge": ("float32", "float64")}

#: The inverse map of the warp cases: a rotation by 0.2 rad, scaled by
#: about 1.1 and shifted (most output pixels read inside the image).
AFFINE = np.array([[1.08, -0.22, 40.0], [0.22, 1.08, -60.0], [0.0, 0.0, 1.0]])

_RGB: dict = {}


def colour(n):
    """An n x n x 3 uint8 colour photograph (astronaut, tiled)."""
    if n not in _RGB:
        from skimage import data
        base = data.astronaut()
        reps = -(-n // base.shape[0])
        _RGB[n] = np.ascontiguousarray(np.tile(base, (reps, reps, 1))[:n, :n])
    return _RGB[n].copy()


def _pixelate_recipe(x, block):
    h, w = x.shape[:2]
    small = cv2.resize(x, (w // block, h // block), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)


def _rgb(fn):
    """An Impl maker timing ``fn(image)`` on the colour photograph of the
    case's size (the gray input only gives the size)."""
    return lambda x: (lambda c: lambda: fn(c))(colour(x.shape[0]))


CASES: dict[str, dict[str, Impl]] = {
    "resize8aa": {
        "fastimg": Impl(lambda x: lambda: fw.resize(x, (x.shape[0] // 8, x.shape[1] // 8)),
                        truth="skimage"),
        "skimage": Impl(lambda x: lambda: skt.resize(x, (x.shape[0] // 8, x.shape[1] // 8))),
        "opencv": Impl(lambda x: lambda: cv2.resize(
            x, (x.shape[1] // 8, x.shape[0] // 8), interpolation=cv2.INTER_AREA)),
    },
    "resize4rgb": {
        "fastimg": Impl(_rgb(lambda c: fw.resize(c, (c.shape[0] // 4, c.shape[1] // 4),
                                                 anti_aliasing=False)), truth="skimage"),
        "skimage": Impl(_rgb(lambda c: skt.resize(c, (c.shape[0] // 4, c.shape[1] // 4),
                                                  anti_aliasing=False))),
        "opencv": Impl(_rgb(lambda c: cv2.resize(c, (c.shape[1] // 4, c.shape[0] // 4),
                                                 interpolation=cv2.INTER_LINEAR))),
    },
    "warp_affine": {
        "fastimg": Impl(lambda x: lambda: fw.warp(x, AFFINE), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skt.warp(x, AFFINE)),
        "opencv": Impl(lambda x: lambda: cv2.warpAffine(
            x, AFFINE[:2], (x.shape[1], x.shape[0]),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)),
    },
    "downscale4": {
        "fastimg": Impl(lambda x: lambda: fw.downscale_local_mean(x, (4, 4)), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skt.downscale_local_mean(x, (4, 4))),
    },
    "pixelate16": {
        "fastimg": Impl(_rgb(lambda c: fw.pixelate(c, 16, channel_axis=-1)), truth="opencv"),
        "opencv": Impl(_rgb(lambda c: _pixelate_recipe(c, 16))),
    },
    # the cases once slower than scikit-image: a colour shrink with
    # anti-aliasing (a Gaussian along the middle axis of (H, W, 3)), and
    # order-0 warps (skimage's whole-image coordinate arrays)
    "resize2rgbaa": {
        "fastimg": Impl(_rgb(lambda c: fw.resize(c, (c.shape[0] // 2, c.shape[1] // 2))),
                        truth="skimage"),
        "skimage": Impl(_rgb(lambda c: skt.resize(c, (c.shape[0] // 2, c.shape[1] // 2)))),
    },
    "rotate0": {
        "fastimg": Impl(lambda x: lambda: fw.rotate(x, 17, resize=True, order=0),
                        truth="skimage"),
        "skimage": Impl(lambda x: lambda: skt.rotate(x, 17, resize=True, order=0)),
    },
    "warp0rgb": {
        "fastimg": Impl(_rgb(lambda c: fw.warp(c, AFFINE, order=0)), truth="skimage"),
        "skimage": Impl(_rgb(lambda c: skt.warp(c, AFFINE, order=0))),
    },
    # order 3 with a wide border read through numpy.pad's 'edge' rule
    "warp3edge": {
        "fastimg": Impl(lambda x: lambda: fw.warp(x, AFFINE, order=3, mode="edge"),
                        truth="skimage"),
        "skimage": Impl(lambda x: lambda: skt.warp(x, AFFINE, order=3, mode="edge")),
    },
}

TITLES = {
    "resize8aa": "`transform.resize` to 1/8 (order 1, anti-aliasing)",
    "resize4rgb": "`transform.resize` of a colour photograph to 1/4 (order 1, no "
                  "anti-aliasing)",
    "warp_affine": "`transform.warp` (affine, order 1)",
    "downscale4": "`transform.downscale_local_mean` by 4",
    "pixelate16": "`transform.pixelate` (16-pixel blocks, colour)",
    "resize2rgbaa": "`transform.resize` of a colour photograph to 1/2 (order 1, "
                    "anti-aliasing)",
    "rotate0": "`transform.rotate(x, 17, resize=True, order=0)`",
    "warp0rgb": "`transform.warp` of a colour photograph (affine, order 0)",
    "warp3edge": "`transform.warp` (affine, order 3, mode 'edge')",
}

FUNCTIONS = {"resize8aa": "transform.resize", "resize4rgb": "transform.resize",
             "warp_affine": "transform.warp", "downscale4": "transform.downscale_local_mean",
             "pixelate16": "transform.pixelate", "resize2rgbaa": "transform.resize",
             "rotate0": "transform.rotate", "warp0rgb": "transform.warp",
             "warp3edge": "transform.warp"}

GOALS = [
    ("resize8aa", 4096, "float32", "skimage", 5.0),
    ("resize4rgb", 4096, "uint8", "opencv", 0.7),
    ("warp_affine", 2048, "float32", "skimage", 5.0),
    ("downscale4", 4096, "float32", "skimage", 10.0),
    ("pixelate16", 4096, "uint8", "opencv", 1.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_warps(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
