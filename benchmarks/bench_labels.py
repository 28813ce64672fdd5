"""Labels-family benchmarks: labelling, measurements per label, distance
transforms and clear_border against SciPy, scikit-image and OpenCV.

Inputs are the photographs thresholded with Otsu (scikit-image's threshold,
computed outside the timing).  Every case checks its result against SciPy's
(scikit-image's for clear_border) before timing (so ``--benchmark-disable``
still verifies them): fastimg's
labels and measurements are bit-identical to SciPy's.  OpenCV's
``connectedComponents`` (CV_32S labels) numbers its components its own way:
its case checks, before timing, that it finds SciPy's number of components
and the same partition (a one-to-one map between the two labellings), and
is timed without a result comparison; OpenCV's ``distanceTransform``
(``DIST_L2``, ``DIST_MASK_PRECISE``: float32) is checked against SciPy's
distances within float32 rounding the same way.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.filters as skf
import skimage.segmentation as sks

from fastimg import ndimage as fn
from fastimg import segmentation as fs

from ._harness import Impl, params, run

DTYPES = ("uint8",)
BOX = np.ones((3, 3), bool)


def _mask(x):
    return x > skf.threshold_otsu(x)


def _same_partition(a, b):
    """One-to-one map between the labels of ``a`` and ``b``."""
    pairs = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1)
    return (np.unique(pairs[0]).size == pairs.shape[1]
            and np.unique(pairs[1]).size == pairs.shape[1])


def _opencv(connectivity, structure):
    def make(x):
        m = _mask(x).astype(np.uint8)
        n, lab = cv2.connectedComponents(m, connectivity=connectivity, ltype=cv2.CV_32S)
        ref, nref = ndi.label(m, structure)
        assert n - 1 == nref and _same_partition(lab, ref)
        return lambda: cv2.connectedComponents(m, connectivity=connectivity,
                                               ltype=cv2.CV_32S)
    return make


def _label_case(structure, connectivity):
    return {
        "fastimg": Impl(lambda x: (lambda m: lambda: fn.label(m, structure))(_mask(x)),
                        truth="scipy"),
        "scipy": Impl(lambda x: (lambda m: lambda: ndi.label(m, structure))(_mask(x))),
        "opencv": Impl(_opencv(connectivity, structure)),
    }


def _measure_case(name):
    def prepare(x):
        labels, n = ndi.label(_mask(x))
        return x, labels, np.arange(1, n + 1)

    return {
        "fastimg": Impl(lambda x: (lambda a: lambda: getattr(fn, name)(*a))(prepare(x)),
                        truth="scipy"),
        "scipy": Impl(lambda x: (lambda a: lambda: getattr(ndi, name)(*a))(prepare(x))),
    }


def _distance_case(ours, theirs, opencv=None):
    impls = {
        "fastimg": Impl(lambda x: (lambda m: lambda: ours(m))(_mask(x)), truth="scipy"),
        "scipy": Impl(lambda x: (lambda m: lambda: theirs(m))(_mask(x))),
    }
    if opencv is not None:
        impls["opencv"] = Impl(opencv)
    return impls


def _opencv_edt(x):
    """OpenCV's exact L2 transform (float32 distances to the nearest zero
    pixel): checked against SciPy's within float32 rounding before timing."""
    m = _mask(x).astype(np.uint8)
    ref = ndi.distance_transform_edt(m)
    got = cv2.distanceTransform(m, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    assert np.allclose(got, ref, rtol=1e-6, atol=1e-4)
    return lambda: cv2.distanceTransform(m, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)


CASES: dict[str, dict[str, Impl]] = {
    "label4": _label_case(None, 4),
    "label8": _label_case(BOX, 8),
    "mean": _measure_case("mean"),
    "variance": _measure_case("variance"),
    "maximum": _measure_case("maximum"),
    "median": _measure_case("median"),
    "center_of_mass": _measure_case("center_of_mass"),
    "edt": _distance_case(fn.distance_transform_edt, ndi.distance_transform_edt, _opencv_edt),
    "edt_indices": _distance_case(
        lambda m: fn.distance_transform_edt(m, return_indices=True),
        lambda m: ndi.distance_transform_edt(m, return_indices=True)),
    "cdt": _distance_case(fn.distance_transform_cdt, ndi.distance_transform_cdt),
    "clear_border": {
        "fastimg": Impl(lambda x: (lambda m: lambda: fs.clear_border(m))(_mask(x)),
                        truth="skimage"),
        "skimage": Impl(lambda x: (lambda m: lambda: sks.clear_border(m))(_mask(x))),
    },
}

TITLES = {
    "label4": "`ndimage.label` (connectivity 1) of an Otsu-thresholded photograph",
    "label8": "`ndimage.label` (3x3 structure) of an Otsu-thresholded photograph",
    "mean": "`ndimage.mean` over every label",
    "variance": "`ndimage.variance` over every label",
    "maximum": "`ndimage.maximum` over every label",
    "median": "`ndimage.median` over every label",
    "center_of_mass": "`ndimage.center_of_mass` over every label",
    "edt": "`ndimage.distance_transform_edt` of an Otsu-thresholded photograph",
    "edt_indices": "`ndimage.distance_transform_edt(..., return_indices=True)`",
    "cdt": "`ndimage.distance_transform_cdt` (chessboard)",
    "clear_border": "`segmentation.clear_border` of an Otsu-thresholded photograph",
}

FUNCTIONS = {"label4": "ndimage.label", "label8": "ndimage.label", "mean": "ndimage.mean",
             "variance": "ndimage.variance", "maximum": "ndimage.maximum",
             "median": "ndimage.median", "center_of_mass": "ndimage.center_of_mass",
             "edt": "ndimage.distance_transform_edt",
             "edt_indices": "ndimage.distance_transform_edt",
             "cdt": "ndimage.distance_transform_cdt",
             "clear_border": "segmentation.clear_border"}

GOALS = [
    ("label4", 4096, "uint8", "scipy", 5.0),
    ("label4", 4096, "uint8", "opencv", 1.0),
    ("edt", 2048, "uint8", "scipy", 10.0),
    ("edt", 2048, "uint8", "opencv", 1.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_labels(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
