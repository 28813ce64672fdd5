"""histogram against scikit-image 0.26 (bit-identical): the integer and
float paths, channels, the float edge rules, odd inputs and errors.

The float-edge tests also check ``threshold_otsu`` on the same inputs (it
bins through the same code).  The edge-case corpus and the error table are
shared with test_threshold.py, split by function (the histogram rows are
here)."""
import numpy as np
import pytest
import skimage.exposure as ske
import skimage.filters as skf
from conftest import outcome
from helpers import CORPUS, assert_same
from helpers import assert_identical_outcome as assert_same_outcome
from hypothesis import given
from hypothesis import strategies as st
from strategies import FLOAT_DTYPES, gray_images

import fastimg as fastimg_exports
import fastimg._core.histogram as HC
import fastimg._histograms.api as H
import fastimg._threshold.api as T


# ------------------------------------------------------------ vs skimage
@given(x=gray_images(), nbins=st.sampled_from([2, 5, 64, 256]),
       source_range=st.sampled_from(["image", "dtype"]), normalize=st.booleans())
def test_histogram_equal_skimage(x, nbins, source_range, normalize):
    if source_range == "dtype" and x.dtype.itemsize > 2 and x.dtype.kind in "iu":
        source_range = "image"          # 2**32 bins
    assert_same_outcome(lambda: H.histogram(x, nbins, source_range, normalize),
                        lambda: ske.histogram(x, nbins, source_range, normalize))


@given(x=gray_images(max_side=10), nbins=st.sampled_from([3, 256]),
       axis=st.sampled_from([0, -1, 2]))
def test_histogram_channel_axis_equal_skimage(x, nbins, axis):
    img = np.stack([x, x[::-1], x * 0 + x.flat[0]], axis=axis)
    assert_same_outcome(lambda: H.histogram(img, nbins, channel_axis=axis),
                        lambda: ske.histogram(img, nbins, channel_axis=axis))


def test_float_histogram_values_on_edges_bit_exact():
    rng = np.random.default_rng(1)
    for it in range(200):
        dt = FLOAT_DTYPES[it % 2]
        nb = int(rng.choice([3, 10, 100, 256]))
        lo, hi = sorted(rng.normal(0, 10, 2))
        edges = np.linspace(np.array(lo, dt), np.array(hi, dt), nb + 1, dtype=dt)
        x = np.concatenate([edges, np.nextafter(edges, np.inf).astype(dt),
                            np.nextafter(edges, -np.inf).astype(dt),
                            rng.uniform(lo, hi, 500).astype(dt)])
        x = np.clip(x, edges[0], edges[-1]).astype(dt)
        assert_same(H.histogram(x, nb), ske.histogram(x, nb))
        assert_same(T.threshold_otsu(x, nb), skf.threshold_otsu(x, nb))


@given(x=gray_images(dtypes=FLOAT_DTYPES), nbins=st.sampled_from([2, 7, 256]))
def test_float_histogram_edge_table_path(x, nbins):
    """The edge-lookup path (taken when ``np.linspace``'s edges are not
    ``j * step + first`` in the image dtype) agrees with skimage too."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(HC, "_edge_step", lambda edges: edges.dtype.type(0))
        assert_same_outcome(lambda: H.histogram(x, nbins), lambda: ske.histogram(x, nbins))
        assert_same_outcome(lambda: T.threshold_otsu(x, nbins),
                            lambda: skf.threshold_otsu(x, nbins))


@pytest.mark.parametrize("dt", FLOAT_DTYPES)
def test_channel_histogram_rounded_edges(dt):
    """Channels are binned on explicit edges (np.histogram's searchsorted
    rule); over a range a few ulps wide the edges repeat and the uniform
    guess is off by many bins, so the search must walk all the way."""
    base = np.array(1e6 if dt == "float32" else 1e15, dt)
    x = base + np.arange(12, dtype=dt).reshape(3, 4) / 8
    img = np.stack([x, x[::-1], x * 0 + base], axis=-1)
    for nbins in (5, 256):
        assert_same_outcome(lambda: H.histogram(img, nbins, channel_axis=-1),
                            lambda: ske.histogram(img, nbins, channel_axis=-1))
        assert_same_outcome(lambda: H.histogram(x, nbins), lambda: ske.histogram(x, nbins))


def test_edge_step_matches_linspace():
    """The computed-edges path is taken for the usual float images, and only
    where it reproduces ``np.linspace``."""
    for dt in FLOAT_DTYPES:
        e = np.linspace(np.array(0.0, dt), np.array(1.0, dt), 257, dtype=dt)
        assert HC._edge_step(e) > 0
        for lo, hi, n in ((0.0, 1.0, 256), (-3.25, 7.5, 10), (1e6, 1e6 + 1, 256),
                          (0.1, 0.7, 255), (-1e-30, 1e-30, 3)):
            e = np.linspace(np.array(lo, dt), np.array(hi, dt), n + 1, dtype=dt)
            step = HC._edge_step(e)
            if step:
                np.testing.assert_array_equal(np.arange(n, dtype=dt) * step + e[0], e[:-1])


# ------------------------------------------------------------ edge corpus
@pytest.mark.parametrize("name", list(CORPUS))
def test_edge_corpus(name):
    x = CORPUS[name]
    assert_same_outcome(lambda: fastimg_exports.exposure.histogram(x), lambda: ske.histogram(x))


# ------------------------------------------------------------ errors
ERROR_CASES = [
    ((np.ones((3, 3)),), {"source_range": "foo"}),
    ((np.ones((3, 3), np.uint8),), {"source_range": "foo"}),
    ((np.arange(6.0).reshape(2, 3),), {"nbins": 0}),
    ((np.zeros((2, 3, 2)),), {"channel_axis": (0, 1)}),
    ((np.array([[np.inf, 1.0]]),), {}),
    ((np.array([[1000.0001, 999.9999]], np.float32),), {}),
    ((np.array([[[np.inf, 1.0]]]),), {"channel_axis": -1}),
]


@pytest.mark.parametrize(("args", "kw"), ERROR_CASES)
def test_errors_like_skimage(args, kw):
    expected = outcome(lambda: ske.histogram(*args, **kw))
    assert isinstance(expected, Exception)
    assert_same_outcome(lambda: fastimg_exports.exposure.histogram(*args, **kw),
                        lambda: ske.histogram(*args, **kw))


def test_masked_integer_counts_never_index_with_unselected_pixels():
    # the counters span the selected values only: an unselected pixel far
    # outside them must not be used as an index (NUMBA_BOUNDSCHECK makes an
    # out-of-bounds write fail loudly instead of corrupting memory)
    import subprocess
    import sys
    import os
    code = ("import numpy as np\n"
            "from fastimg._core.histogram import Flat\n"
            "rng = np.random.default_rng(1)\n"
            "x = rng.integers(-2**31, 2**31 - 1, 50000, dtype=np.int64).astype(np.int32)\n"
            "m = rng.random(x.size) < 0.01\n"
            "x[m] = rng.integers(5, 300, int(m.sum()))\n"
            "got = Flat(x, m, 2).int_counts(5, 295)\n"
            "want = np.bincount(x[m] - 5, minlength=295)\n"
            "assert (got == want).all(), (got, want)\n"
            "print('ok')\n")
    env = dict(os.environ, NUMBA_BOUNDSCHECK="1", FASTIMG_CACHE="0", FASTIMG_JIT="foreground")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.stdout.strip() == "ok", proc.stderr[-2000:]
