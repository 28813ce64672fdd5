"""Morphology-family benchmarks: binary and grey morphology against SciPy,
scikit-image and OpenCV (scikit-image's own functions against
scikit-image).

Binary cases run on the photograph thresholded with Otsu's method (the
threshold computed once, outside the timing).  fastimg is checked against
SciPy exactly before timing; scikit-image's results are checked against
SciPy too where they compute the same array.  OpenCV computes the same
pixels on uint8 0/255 images (``borderValue=0`` as SciPy's
``border_value=0``) but returns another dtype: it is timed, not compared.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.filters as skf
import skimage.morphology as skm

from fastimg import morphology as fm
from fastimg import ndimage as fn

from ._harness import Impl, params, run

CROSS = ndi.generate_binary_structure(2, 1)
DISK5 = skm.disk(5).astype(bool)
DISK5_U8 = skm.disk(5)


def _binary(x):
    return x > skf.threshold_otsu(x)


def _u8(b):
    return b.astype(np.uint8) * 255


def _cv_morph(op, k, iterations=1):
    kernel = np.asarray(k, np.uint8)

    def make(x):
        u = _u8(_binary(x))
        return lambda: cv2.morphologyEx(u, op, kernel, iterations=iterations,
                                        borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return make


def _on_binary(f):
    def make(x):
        b = _binary(x)
        return lambda: f(b)
    return make


CASES = {
    "binary_erosion3": {
        "fastimg": Impl(_on_binary(fn.binary_erosion), truth="scipy"),
        "scipy": Impl(_on_binary(ndi.binary_erosion)),
        "opencv": Impl(_cv_morph(cv2.MORPH_ERODE, CROSS)),
    },
    "binary_opening3": {
        "fastimg": Impl(_on_binary(lambda b: fn.binary_opening(b, np.ones((3, 3)))),
                        truth="scipy"),
        "scipy": Impl(_on_binary(lambda b: ndi.binary_opening(b, np.ones((3, 3))))),
        "opencv": Impl(_cv_morph(cv2.MORPH_OPEN, np.ones((3, 3)))),
    },
    "binary_fill_holes": {
        "fastimg": Impl(_on_binary(fn.binary_fill_holes), truth="scipy"),
        "scipy": Impl(_on_binary(ndi.binary_fill_holes)),
    },
    "sk_opening_disk5": {
        "fastimg": Impl(lambda x: lambda: fm.opening(x, DISK5_U8), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skm.opening(x, DISK5_U8)),
        "opencv": Impl(lambda x: lambda: cv2.morphologyEx(x, cv2.MORPH_OPEN, DISK5_U8,
                                                          borderType=cv2.BORDER_REFLECT)),
    },
    "remove_small_objects": {
        "fastimg": Impl(_on_binary(lambda b: fm.remove_small_objects(b, max_size=64)),
                        truth="skimage"),
        "skimage": Impl(_on_binary(lambda b: skm.remove_small_objects(b, max_size=64))),
    },
    "grey_dilation3": {
        "fastimg": Impl(lambda x: lambda: fn.grey_dilation(x, size=(3, 3)), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.grey_dilation(x, size=(3, 3))),
        "opencv": Impl(lambda x: lambda: cv2.dilate(x, np.ones((3, 3), np.uint8),
                                                    borderType=cv2.BORDER_REFLECT)),
    },
    "grey_dilation15": {
        "fastimg": Impl(lambda x: lambda: fn.grey_dilation(x, size=(15, 15)), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.grey_dilation(x, size=(15, 15))),
        "opencv": Impl(lambda x: lambda: cv2.dilate(x, np.ones((15, 15), np.uint8),
                                                    borderType=cv2.BORDER_REFLECT)),
    },
    "grey_erosion_disk5": {
        "fastimg": Impl(lambda x: lambda: fn.grey_erosion(x, footprint=DISK5), truth="scipy"),
        "scipy": Impl(lambda x: lambda: ndi.grey_erosion(x, footprint=DISK5)),
        "opencv": Impl(lambda x: lambda: cv2.erode(x, DISK5.astype(np.uint8),
                                                   borderType=cv2.BORDER_REFLECT)),
    },
}
DTYPES = {"binary_erosion3": ("uint8",), "binary_opening3": ("uint8",),
          "binary_fill_holes": ("uint8",), "grey_dilation3": ("uint8", "float32"),
          "grey_dilation15": ("uint8",), "grey_erosion_disk5": ("uint8", "float32"),
          "sk_opening_disk5": ("uint8", "float32"), "remove_small_objects": ("uint8",)}

TITLES = {
    "binary_erosion3": "`ndimage.binary_erosion(x > otsu)`",
    "binary_opening3": "`ndimage.binary_opening(x > otsu, np.ones((3, 3)))`",
    "binary_fill_holes": "`ndimage.binary_fill_holes(x > otsu)`",
    "grey_dilation3": "`ndimage.grey_dilation(x, size=(3, 3))`",
    "grey_dilation15": "`ndimage.grey_dilation(x, size=(15, 15))`",
    "grey_erosion_disk5": "`ndimage.grey_erosion(x, footprint=disk(5))`",
    "sk_opening_disk5": "`morphology.opening(x, disk(5))`",
    "remove_small_objects": "`morphology.remove_small_objects(x > otsu, max_size=64)`",
}
FUNCTIONS = {"binary_erosion3": "ndimage.binary_erosion",
             "binary_opening3": "ndimage.binary_opening",
             "binary_fill_holes": "ndimage.binary_fill_holes",
             "grey_dilation3": "ndimage.grey_dilation",
             "grey_dilation15": "ndimage.grey_dilation",
             "grey_erosion_disk5": "ndimage.grey_erosion",
             "sk_opening_disk5": "morphology.opening",
             "remove_small_objects": "morphology.remove_small_objects"}


#: The issue's goals (4096x4096 uint8 photographs, 2 threads).
GOALS = [
    ("binary_erosion3", 4096, "uint8", "scipy", 30.0),
    ("binary_erosion3", 4096, "uint8", "opencv", 1.0),
    ("binary_opening3", 4096, "uint8", "scipy", 30.0),
    ("binary_opening3", 4096, "uint8", "opencv", 1.0),
    ("grey_dilation3", 4096, "uint8", "opencv", 1.0),
    ("grey_dilation15", 4096, "uint8", "opencv", 1.0),
    ("binary_fill_holes", 4096, "uint8", "scipy", 20.0),
    ("sk_opening_disk5", 2048, "uint8", "skimage", 10.0),
    ("remove_small_objects", 4096, "uint8", "skimage", 10.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_morphology(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
