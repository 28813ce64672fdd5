"""Helpers shared by the test modules of several families.

* ndimage / signal / skimage.filters families: boundary-mode lists, the
  tolerance-aware outcome comparison and the photograph the parity tests use.
* histogram / threshold families: the exact (value, dtype, type) comparison
  and the edge-case corpus of gray images.
"""
import numpy as np
import pytest
from hypothesis import settings

import conftest
from conftest import assert_close

MODES = ["reflect", "mirror", "nearest", "wrap", "constant",
         "grid-mirror", "grid-wrap", "grid-constant"]
BASIC = ["reflect", "mirror", "nearest", "wrap", "constant"]


def graph_examples(n=60):
    """Hypothesis settings for tests whose every example builds and computes
    a Dask graph (0.1-0.5 s each, most of it Dask's own scheduling): at most
    ``n`` examples, fewer if the profile asks for fewer.  The ci profile's
    200 cost about a minute per such test; 60 derandomized draws still cover
    the shapes and chunkings (chunks smaller than the kernel, uneven, one
    chunk) and keep CI inside its time budget."""
    return settings(max_examples=min(n, settings.default.max_examples))


def assert_same_outcome(ours, theirs, case="direct"):
    """Equal arrays within the named tolerance, or the anchor's error."""
    conftest.assert_same_outcome(ours, theirs, lambda a, e: assert_close(a, e, case))


def photo_image():
    """A real photograph: skimage's camera, every other pixel (256x256
    uint8).  Skips the test when scikit-image is not installed.  Each module
    wraps it in a module-scoped ``photo`` fixture (a fixture imported from
    here would be shadowed by the test's argument of the same name)."""
    skdata = pytest.importorskip("skimage.data")
    return skdata.camera()[::2, ::2]


def assert_identical_outcome(ours, theirs):
    """Equal results (value, dtype, type), or the same exception type with
    skimage's message at the start of ours."""
    conftest.assert_same_outcome(ours, theirs, assert_same)


def assert_same(actual, expected):
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same(a, e)
        return
    assert type(actual) is type(expected), (type(actual), type(expected))
    np.testing.assert_array_equal(actual, expected, strict=True)


def _corpus():
    """The edge-case corpus of gray images: shapes, layouts, byte orders,
    NaN / inf, empty, odd dtypes."""
    rng = np.random.default_rng(3)
    base = rng.integers(0, 255, (17, 23)).astype(np.uint8)
    f = rng.normal(size=(9, 11))
    ro = base.copy()
    ro.setflags(write=False)
    nan = f.copy()
    nan[2, 3] = np.nan
    inf = f.copy()
    inf[0, 0] = np.inf
    return {
        "1xN": base[:1], "Nx1": base[:, :1], "constant": np.full((5, 5), 7, np.uint8),
        "constant-float": np.full((4, 4), -0.0), "single": np.array([[3.5]]),
        "nan": nan, "inf": inf, "all-nan": np.full((3, 3), np.nan),
        "big-endian": f.astype(">f8"), "big-endian-int": base.astype(">i4"),
        "strided": base[::2, ::-3], "fortran": np.asfortranarray(f),
        "read-only": ro, "uint16-full": np.array([[0, 65535], [1, 300]], np.uint16),
        "int8-neg": rng.integers(-128, 0, (6, 6)).astype(np.int8),
        "two-values": np.array([[0, 0, 1]], np.uint8), "empty": np.zeros((0, 4), np.uint8),
        "empty-float": np.zeros((0, 4)), "bool": base > 100, "float16": f.astype(np.float16),
        "uint64": base.astype(np.uint64), "3d": rng.integers(0, 9, (4, 5, 6)),
        "rgb-like": rng.integers(0, 9, (4, 5, 3)).astype(np.uint8),
    }


CORPUS = _corpus()
