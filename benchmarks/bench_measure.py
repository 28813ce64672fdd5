"""Measure-family benchmarks: ``measure.label`` against scikit-image and
``cv2.connectedComponents``, ``find_contours``, ``approximate_polygon``,
``subdivide_polygon``, ``regionprops_table`` and ``regionprops`` (the
list of region objects, reading each one's area and centroid) against
scikit-image.

Inputs are the photographs thresholded with Otsu (scikit-image's
threshold, computed outside the timing).  Every case checks its result
against scikit-image's before timing (so ``--benchmark-disable`` still
verifies them): fastimg's labels and contours are bit-identical (contours:
the same list, order and float64 points).  OpenCV numbers its components
its own way: its case checks the same count and partition (a one-to-one
map between the labellings) and is timed without a result comparison.
The polygon cases run on the longest contour of the thresholded
photograph.  The reference (pure-Python loops per pixel) is not timed; the
test suite compares it on small images.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.measure as skm

import fastimg._measure as fm

from ._harness import Impl, params, run
from .bench_labels import _mask, _same_partition

DTYPES = ("uint8",)


def _opencv(connectivity):
    def make(x):
        m = _mask(x).astype(np.uint8)
        n, lab = cv2.connectedComponents(m, connectivity=connectivity, ltype=cv2.CV_32S)
        ref, nref = skm.label(m, connectivity=1 if connectivity == 4 else 2,
                              return_num=True)
        assert n - 1 == nref and _same_partition(lab, ref)
        return lambda: cv2.connectedComponents(m, connectivity=connectivity,
                                               ltype=cv2.CV_32S)
    return make


def _label_case(prepare, connectivity):
    conn = 1 if connectivity == 4 else 2
    return {
        "fastimg": Impl(lambda x: (lambda m: lambda: fm.label(m, connectivity=conn))(
            prepare(x)), truth="skimage"),
        "skimage": Impl(lambda x: (lambda m: lambda: skm.label(m, connectivity=conn))(
            prepare(x))),
        "opencv": Impl(_opencv(connectivity)),
    }


def _flat(contours):
    """find_contours' list as one array (the harness compares arrays): the
    points of all contours, then their lengths."""
    if not contours:
        return np.zeros((0,))
    pts = np.concatenate(contours).ravel()
    return np.concatenate([pts, np.array([len(c) for c in contours], np.float64)])


def _contour_case():
    def prepare(x):
        return _mask(x).astype(np.float64)
    return {
        "fastimg": Impl(lambda x: (lambda m: lambda: _flat(fm.find_contours(m, 0.5)))(
            prepare(x)), truth="skimage"),
        "skimage": Impl(lambda x: (lambda m: lambda: _flat(skm.find_contours(m, 0.5)))(
            prepare(x))),
    }


def _longest_contour(x):
    return max(skm.find_contours(_mask(x).astype(np.float64), 0.5), key=len)


def _polygon_case(ours, theirs):
    return {
        "fastimg": Impl(lambda x: (lambda c: lambda: ours(c))(_longest_contour(x)),
                        truth="skimage"),
        "skimage": Impl(lambda x: (lambda c: lambda: theirs(c))(_longest_contour(x))),
    }


#: the goal's columns: 10,000 regions at 4096x4096
TABLE_PROPS = ("label", "area", "centroid", "bbox", "eccentricity", "intensity_mean")


def _table_case():
    """``regionprops_table`` of the photograph's Otsu components
    (connectivity 1: ~12,000 regions at 4096x4096, ~3,000 at 2048) with
    the photograph as intensity.  The columns are compared exactly: the
    eccentricity of a region whose box exceeds 256 pixels on a side (the
    background-sized ones, where OpenBLAS blocks the moment sums the
    all-labels pass reproduces) comes from the region objects' own tensor
    contractions, as skimage's; those few regions cost most of the time."""
    def prepare(x):
        return fm.label(_mask(x), connectivity=1), x

    def table(f):
        return lambda a: lambda: tuple(f(*a, properties=TABLE_PROPS).values())
    return {
        "fastimg": Impl(lambda x: table(fm.regionprops_table)(prepare(x)), truth="skimage"),
        "skimage": Impl(lambda x: table(skm.regionprops_table)(prepare(x))),
    }


def _objects_case():
    """``regionprops`` of the photograph's Otsu components (connectivity
    1), then each region's area and centroid read, as a loop over regions
    does: the (regions, 3) array of them, compared exactly."""
    def objects(f):
        def call(lab):
            return lambda: np.array([(r.area, *r.centroid) for r in f(lab)])
        return lambda x: call(fm.label(_mask(x), connectivity=1))
    return {
        "fastimg": Impl(objects(fm.regionprops), truth="skimage"),
        "skimage": Impl(objects(skm.regionprops)),
    }


CASES: dict[str, dict[str, Impl]] = {
    "label_bool8": _label_case(_mask, 8),
    "label_uint8_4": _label_case(lambda x: _mask(x).astype(np.uint8), 4),
    "find_contours": _contour_case(),
    "approximate_polygon": _polygon_case(lambda c: fm.approximate_polygon(c, 1.0),
                                         lambda c: skm.approximate_polygon(c, 1.0)),
    "subdivide_polygon": _polygon_case(lambda c: fm.subdivide_polygon(c, 3),
                                       lambda c: skm.subdivide_polygon(c, 3)),
    "regionprops_table": _table_case(),
    "regionprops": _objects_case(),
}

TITLES = {
    "label_bool8": "`measure.label` of an Otsu-thresholded photograph (bool, connectivity 2)",
    "label_uint8_4": "`measure.label` of an Otsu-thresholded photograph (0/1 uint8, "
                     "connectivity 1)",
    "find_contours": "`measure.find_contours` at 0.5 of an Otsu-thresholded photograph",
    "approximate_polygon": "`measure.approximate_polygon` (tolerance 1) of its longest "
                           "contour",
    "subdivide_polygon": "`measure.subdivide_polygon` (degree 3) of its longest contour",
    "regionprops_table": "`measure.regionprops_table` (label, area, centroid, bbox, "
                         "eccentricity, intensity_mean) of the Otsu components",
    "regionprops": "`measure.regionprops` of the Otsu components, each region's area and "
                   "centroid read",
}

FUNCTIONS = {"label_bool8": "measure.label", "label_uint8_4": "measure.label",
             "find_contours": "measure.find_contours",
             "approximate_polygon": "measure.approximate_polygon",
             "subdivide_polygon": "measure.subdivide_polygon",
             "regionprops_table": "measure.regionprops_table",
             "regionprops": "measure.regionprops"}

GOALS = [
    ("find_contours", 2048, "uint8", "skimage", 5.0),
    ("regionprops_table", 4096, "uint8", "skimage", 20.0),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_measure(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
