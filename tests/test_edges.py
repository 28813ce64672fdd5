"""canny / canny_stages / apply_hysteresis_threshold against the reference
(the definition, bool equality), scikit-image 0.26 (the same edge pixels, on
random images and on every 2-D image shipped in skimage.data), invariants,
the edge-case corpus and every error path.
"""
import inspect

import numpy as np
import pytest
import skimage.data as skdata
import skimage.feature as skfeature
import skimage.filters as skfilters
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import assert_close, outcome
from helpers import CORPUS
from helpers import assert_identical_outcome as assert_same_outcome

import fastimg
from fastimg._edges import api as E
from fastimg._edges import hysteresis as H
from fastimg._edges import hysteresis_kernels as HK
from fastimg import feature, filters
from reference import edges as R

DTYPES = ["uint8", "uint16", "int16", "float32", "float64"]
MODES = ["constant", "reflect", "nearest", "mirror", "wrap"]


@st.composite
def canny_cases(draw, max_side=40, dtypes=DTYPES, min_side=1):
    h = draw(st.integers(min_side, max_side))
    w = draw(st.integers(min_side, max_side))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["noise", "blocks", "ramp"]))
    if kind == "noise":
        v = rng.random((h, w))
    elif kind == "blocks":  # flat regions and straight edges: exact ties
        v = np.kron(rng.integers(0, 3, (h // 4 + 1, w // 4 + 1)), np.ones((4, 4)))[:h, :w] / 2
    else:
        v = (np.add.outer(np.arange(h) * rng.random(), np.arange(w) * rng.random())
             % 1.0)
    if dtype.kind == "f":
        x = (v * draw(st.sampled_from([1.0, 1.0, 7.5]))).astype(dtype)
    else:
        x = np.round(v * min(np.iinfo(dtype).max, 2000)).astype(dtype)
    sigma = draw(st.sampled_from([0.0, 0.7, 1.0, 1.5, 3.0, (0.0, 1.2), (2.0, 0.5)]))
    mode = draw(st.sampled_from(MODES + ["grid-constant", ("reflect", "constant")]))
    cval = draw(st.sampled_from([0.0, 0.0, 0.3]))
    mask = None
    if draw(st.booleans()):
        mask = rng.random((h, w)) < draw(st.sampled_from([0.7, 0.95, 1.0]))
    use_quantiles = draw(st.booleans())
    if use_quantiles:
        lo, hi = sorted(draw(st.lists(st.floats(0, 1), min_size=2, max_size=2)))
    elif draw(st.booleans()):
        lo = hi = None
    else:
        dmax = 1.0 if dtype.kind == "f" else np.iinfo(dtype).max
        lo, hi = sorted(draw(st.lists(st.floats(0, 0.4), min_size=2, max_size=2)))
        lo, hi = lo * dmax, hi * dmax
    return x, dict(sigma=sigma, low_threshold=lo, high_threshold=hi, mask=mask,
                   use_quantiles=use_quantiles, mode=mode, cval=cval)


# ------------------------------------------------------------ reference
@given(case=canny_cases())
def test_canny_equals_reference(case):
    x, kw = case
    np.testing.assert_array_equal(feature.canny(x, **kw), R.canny(x, **kw), strict=True)


@settings(max_examples=25)
@given(case=canny_cases(max_side=24))
def test_canny_stages_equal_reference(case):
    x, kw = case
    ours = feature.canny_stages(x, **kw)
    smoothed, magnitude, nms, lo, hi, edges = R.canny_stages(x, **kw)
    assert_close(ours.smoothed, smoothed, "direct")
    assert_close(ours.magnitude, magnitude, "direct")
    assert_close(ours.nms, nms, "direct")
    assert ours.low_threshold == lo or (np.isnan(lo) and np.isnan(ours.low_threshold))
    assert ours.high_threshold == hi or (np.isnan(hi) and np.isnan(ours.high_threshold))
    np.testing.assert_array_equal(ours.edges, edges, strict=True)
    np.testing.assert_array_equal(ours.edges, feature.canny(x, **kw), strict=True)


# ------------------------------------------------------------- skimage
@given(case=canny_cases(max_side=40))
def test_canny_equals_skimage(case):
    x, kw = case
    assert_same_outcome(lambda: feature.canny(x, **kw), lambda: skfeature.canny(x, **kw))


def _shipped_images():
    """Every 2-D image of skimage.data that ships with the wheel (RGB(A)
    ones converted with rgb2gray)."""
    from skimage.color import rgb2gray, rgba2rgb
    out = {}
    for name in sorted(skdata.__all__):
        fn = getattr(skdata, name)
        if name in ("download_all", "data_dir", "file_hash", "binary_blobs",
                    "lbp_frontal_face_cascade_filename") or not callable(fn):
            continue
        try:
            got = fn()
        except Exception:  # noqa: BLE001  needs a download (pooch) or is not an image
            continue
        items = got if isinstance(got, tuple) else (got,)
        for k, im in enumerate(items):
            if not isinstance(im, np.ndarray) or im.ndim not in (2, 3):
                continue
            key = name if len(items) == 1 else f"{name}[{k}]"
            if im.ndim == 3 and im.shape[-1] == 4:
                im = rgb2gray(rgba2rgb(im))
            elif im.ndim == 3 and im.shape[-1] == 3:
                im = rgb2gray(im)
            elif im.ndim == 3:
                im = im[0]  # lfw_subset: a stack of faces
            out[key] = im
    return out


SHIPPED = _shipped_images()


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_canny_equals_skimage_on_shipped_images(name):
    im = SHIPPED[name]
    for kw in (dict(), dict(sigma=2.0), dict(sigma=1.0, mode="reflect")):
        np.testing.assert_array_equal(feature.canny(im, **kw), skfeature.canny(im, **kw),
                                      strict=True, err_msg=str(kw))
    qs = dict(low_threshold=0.6, high_threshold=0.9, use_quantiles=True)
    np.testing.assert_array_equal(feature.canny(im, 1.5, **qs), skfeature.canny(im, 1.5, **qs))


def test_shipped_images_found():
    assert {"camera", "coins", "moon", "astronaut"} <= set(SHIPPED)


# ----------------------------------------------------------- invariants
@settings(max_examples=30)
@given(case=canny_cases(max_side=32))
def test_invariants(case):
    x, kw = case
    st_ = feature.canny_stages(x, **kw)
    edges = st_.edges
    # no edge on the one-pixel border
    assert not edges[0].any() and not edges[-1].any()
    assert not edges[:, 0].any() and not edges[:, -1].any()
    # every edge pixel survived NMS and the (float32) low threshold
    lo32 = float(np.float32(st_.low_threshold))
    assert np.all(st_.nms[edges] > 0)
    assert np.all(st_.magnitude[edges].astype(np.float64) >= lo32)
    # raising the low threshold never adds edges (absolute thresholds)
    if not kw["use_quantiles"] and kw["low_threshold"] is not None:
        kw2 = dict(kw, low_threshold=(kw["low_threshold"] + kw["high_threshold"]) / 2)
        assert not np.any(feature.canny(x, **kw2) & ~edges)


@settings(max_examples=30)
@given(case=canny_cases(max_side=32))
def test_transpose_symmetry(case):
    x, kw = case
    kt = dict(kw)   # the same settings for the transposed image
    for key in ("sigma", "mode"):
        if isinstance(kw[key], tuple):
            kt[key] = kw[key][::-1]
    if kw["mask"] is not None:
        kt["mask"] = kw["mask"].T
    # skimage's canny is transpose-symmetric only up to its tie rules (NMS
    # sends |isobel| == |jsobel| to one side) and the rounding of its
    # axis-0-then-axis-1 Gaussian: the pixels where the transposed result
    # differs must be exactly skimage's own
    ours = feature.canny(x.T, **kt) ^ feature.canny(x, **kw).T
    theirs = skfeature.canny(x.T, **kt) ^ skfeature.canny(x, **kw).T
    # (how asymmetric skimage is has no bound of its own: a 3-row image with
    # sigma (2, 0.5) differs in 3 of 6 edge pixels)
    np.testing.assert_array_equal(ours, theirs)


def test_workers_give_identical_results():
    # 650x640 pixels: large enough for dispatch.run to split the rows
    rng = np.random.default_rng(5)
    x = rng.random((650, 640)).astype(np.float32)
    one = feature.canny(x, 1.5, workers=1)
    two = feature.canny(x, 1.5, workers=-1)   # all threads (2 on the CI machines)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, skfeature.canny(x, 1.5))
    q = dict(low_threshold=0.5, high_threshold=0.8, use_quantiles=True, mask=x > 0.05)
    np.testing.assert_array_equal(feature.canny(x, 2, **q, workers=-1), skfeature.canny(x, 2, **q))


# ------------------------------------------------------ odd inputs, NaN
CANNY_CORPUS = {k: v for k, v in CORPUS.items()
                if k not in ("empty", "empty-float", "3d", "rgb-like", "uint64")}


@pytest.mark.parametrize("name", sorted(CANNY_CORPUS))
@pytest.mark.parametrize("kw", [dict(), dict(sigma=0.5, low_threshold=0.0, high_threshold=0.0),
                                dict(sigma=2.0, mode="nearest"),
                                dict(low_threshold=0.2, high_threshold=0.7,
                                     use_quantiles=True)])
def test_corpus_like_skimage(name, kw):
    x = CANNY_CORPUS[name]
    assert_same_outcome(lambda: feature.canny(x, **kw), lambda: skfeature.canny(x, **kw))


def test_nan_image_gives_skimage_edges():
    """NaN spreads through the smoothing; every comparison with it fails, so
    nothing near it is an edge; the rest is skimage's result."""
    rng = np.random.default_rng(1)
    x = rng.random((40, 40))
    x[20, 20] = np.nan
    x[:3, :5] = np.nan
    for kw in (dict(), dict(sigma=0.0, low_threshold=0.0, high_threshold=0.1),
               dict(low_threshold=0.1, high_threshold=0.9, use_quantiles=True)):
        ours = feature.canny(x, **kw)
        np.testing.assert_array_equal(ours, skfeature.canny(x, **kw))
    assert not feature.canny(np.full((9, 9), np.nan)).any()


def test_more_dtypes_like_skimage():
    rng = np.random.default_rng(2)
    base = rng.random((25, 31))
    for dt in (np.int8, np.int32, np.uint32, np.float16, np.bool_, ">f4", ">u2"):
        x = (base > 0.5) if dt is np.bool_ else (
            (base * 120).astype(dt) if np.dtype(dt).kind in "iu" else base.astype(dt))
        for kw in (dict(), dict(low_threshold=5, high_threshold=20)):
            assert_same_outcome(lambda: feature.canny(x, **kw),
                                lambda: skfeature.canny(x, **kw))


def test_threshold_scalar_types_compare_like_numpy():
    """A NumPy float64 high threshold compares in float64, a Python float in
    the map's float32 (NEP 50), as in skimage."""
    rng = np.random.default_rng(4)
    x = rng.random((30, 30)).astype(np.float32)
    for lo, hi in ((0.05, 0.2), (np.float64(0.05), np.float64(0.2)),
                   (np.float32(0.05), np.float32(0.3)), (0, 1), (-1.0, 0.0)):
        assert_same_outcome(lambda: feature.canny(x, 1.0, lo, hi),
                            lambda: skfeature.canny(x, 1.0, lo, hi))


# ---------------------------------------------------------------- errors
ERRORS = [
    (np.zeros((5, 5, 5)), {}),
    (np.zeros((5,)), {}),
    (np.zeros((0, 5)), {}),
    (np.zeros((5, 5), np.int64), {}),
    (np.zeros((5, 5), np.uint64), {}),
    (np.zeros((5, 5)), dict(low_threshold=0.5, high_threshold=0.2)),
    (np.zeros((5, 5), np.uint8), dict(low_threshold=100)),
    (np.zeros((5, 5)), dict(low_threshold=-0.1, high_threshold=0.5, use_quantiles=True)),
    (np.zeros((5, 5)), dict(low_threshold=0.1, high_threshold=1.5, use_quantiles=True)),
    (np.zeros((5, 5)), dict(sigma=-1.0)),
    (np.zeros((5, 5)), dict(sigma=[1.0, 2.0, 3.0])),
    (np.zeros((5, 5)), dict(mode="bogus")),
    (np.zeros((5, 5)), dict(mask=np.ones((4, 4), bool))),
    (np.zeros((5, 5), np.complex128), {}),
]


@pytest.mark.parametrize("x,kw", ERRORS)
def test_errors_like_skimage(x, kw):
    expected = outcome(lambda: skfeature.canny(x, **kw))
    assert isinstance(expected, Exception)
    assert_same_outcome(lambda: feature.canny(x, **kw), lambda: skfeature.canny(x, **kw))


def test_error_messages_say_what_was_received():
    with pytest.raises(ValueError, match=r"64-bit integer images are not supported \(got"):
        feature.canny(np.zeros((5, 5), np.int64))
    with pytest.raises(ValueError, match=r"2-dimensional array \(got 3 dimensions"):
        feature.canny(np.zeros((5, 5, 5)))
    with pytest.raises(ValueError, match=r"lower then high_threshold \(got low_threshold=0.5"):
        feature.canny(np.zeros((5, 5)), 1, 0.5, 0.2)
    with pytest.raises(ValueError, match=r"between 0 and 1. \(got high_threshold=3.6"):
        feature.canny(np.zeros((5, 5)), 1, 0.5, 3.6, use_quantiles=True)


def test_signatures():
    for ours, theirs in ((feature.canny, skfeature.canny),
                         (filters.apply_hysteresis_threshold,
                          skfilters.apply_hysteresis_threshold)):
        a = [(p.name, p.kind, p.default) for p in inspect.signature(ours).parameters.values()]
        b = [(p.name, p.kind, p.default) for p in inspect.signature(theirs).parameters.values()]
        assert a[:len(b)] == b
        assert all(kind is inspect.Parameter.KEYWORD_ONLY for _, kind, _ in a[len(b):])
    assert list(inspect.signature(feature.canny_stages).parameters) == list(
        inspect.signature(feature.canny).parameters)
    assert fastimg.canny is feature.canny


# ------------------------------------------------ apply_hysteresis_threshold
@st.composite
def hysteresis_cases(draw):
    nd = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 12 if nd < 3 else 6)) for _ in range(nd))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from(["uint8", "float32", "float64", "int16"]))
    x = (rng.random(shape) * 10).astype(dtype)
    lo = draw(st.sampled_from([1.0, 3.0, 5.5, 8]))
    hi = draw(st.sampled_from([2.0, 4.0, 7.0, 9.5]))
    if draw(st.booleans()):
        lo = (rng.random(shape) * 6).astype(np.float64)
    return x, lo, hi


@given(case=hysteresis_cases())
def test_apply_hysteresis_equals_skimage_and_reference(case):
    x, lo, hi = case
    ours = filters.apply_hysteresis_threshold(x, lo, hi)
    np.testing.assert_array_equal(ours, skfilters.apply_hysteresis_threshold(x, lo, hi),
                                  strict=True)
    np.testing.assert_array_equal(ours, R.apply_hysteresis_threshold(x, lo, hi), strict=True)
    for c in (2, 3):
        np.testing.assert_array_equal(
            filters.apply_hysteresis_threshold(x, lo, hi, connectivity=c),
            R.apply_hysteresis_threshold(x, lo, hi, connectivity=c), strict=True)


def test_apply_hysteresis_odd_inputs():
    rng = np.random.default_rng(0)
    x = rng.random((9, 11))
    cases = [(x, np.nan, 0.5), (x, 0.3, np.nan), (x, 0.9, 0.2), (np.zeros((0, 3)), 0.1, 0.2),
             (x[::2, ::-1], 0.3, 0.6), (x.astype(">f8"), 0.3, 0.6), (np.array([0.5]), 0.1, 0.2),
             (np.where(x > 0.5, np.nan, x), 0.1, 0.3), (x, 0.3, x * 0 + 0.6),
             (x, x[0] * 0.5, 0.6), (x > 0.5, 0, 0), (x.astype(np.float16), 0.2, 0.7)]
    for img, lo, hi in cases:
        assert_same_outcome(lambda: filters.apply_hysteresis_threshold(img, lo, hi),
                            lambda: skfilters.apply_hysteresis_threshold(img, lo, hi))


def test_apply_hysteresis_docstring_example():
    image = np.array([1, 2, 3, 2, 1, 2, 1, 3, 2])
    assert filters.apply_hysteresis_threshold(image, 1.5, 2.5).astype(int).tolist() == [
        0, 1, 1, 1, 0, 0, 0, 1, 1]


# ------------------------------------------------------ boundscheck pass
@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (7, 1), (2, 2), (2, 9), (3, 3), (9, 2)])
def test_tiny_shapes(shape):
    """1xN / Nx1 / 2x2: the kernels' border paths (run under NUMBA_BOUNDSCHECK=1 in CI)."""
    rng = np.random.default_rng(sum(shape))
    x = rng.random(shape)
    for kw in (dict(), dict(sigma=0.0, low_threshold=0.0, high_threshold=0.0),
               dict(mask=rng.random(shape) < 0.9), dict(low_threshold=0.1, high_threshold=0.2,
                                                        use_quantiles=True)):
        np.testing.assert_array_equal(feature.canny(x, **kw), skfeature.canny(x, **kw))
        st_ = feature.canny_stages(x, **kw)
        np.testing.assert_array_equal(st_.edges, R.canny(x, **kw))
    np.testing.assert_array_equal(filters.apply_hysteresis_threshold(x, 0.3, 0.6),
                                  skfilters.apply_hysteresis_threshold(x, 0.3, 0.6))
    assert E.canny is feature.canny.__wrapped__


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), nb=st.integers(1, 9), shape=st.tuples(
    st.integers(1, 40), st.integers(1, 40)))
def test_blockwise_hysteresis_equals_labelling(seed, nb, shape):
    """The parallel hysteresis's two phases (blocks of rows, then the seams)
    on random class maps and block splits equal skimage's labelling rule
    (reference BFS)."""
    rng = np.random.default_rng(seed)
    cls = rng.choice(np.array([0, 1, 2], np.uint8), size=shape, p=[0.4, 0.5, 0.1])
    cls[0] = cls[-1] = 0
    cls[:, 0] = cls[:, -1] = 0
    h = shape[0]
    nb = min(nb, h)
    out = np.zeros(shape, np.uint8)
    bounds = sorted(set([0, h] + list(rng.integers(0, h + 1, nb - 1))))
    for a, b in zip(bounds[:-1], bounds[1:]):
        HK.hysteresis_rows(cls, out, a, b)
    HK.hysteresis_seams(cls, out, np.array(bounds[1:-1], np.int64))
    eight = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    expected = R._bfs(cls == 2, cls > 0, eight)
    np.testing.assert_array_equal(out.astype(bool), expected)


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), shape=st.tuples(st.integers(1, 30), st.integers(1, 200)),
       p_weak=st.sampled_from([0.3, 0.5, 0.7]))
def test_bit_packed_hysteresis_equals_labelling(seed, shape, p_weak):
    """The bit-packed sweeps (words of 64 pixels, runs across words) give the
    flood fill's result on random class maps."""
    rng = np.random.default_rng(seed)
    cls = rng.choice(np.array([0, 1, 2], np.uint8), size=shape,
                     p=[1 - p_weak, p_weak * 0.85, p_weak * 0.15])
    cls[0] = cls[-1] = 0
    cls[:, 0] = cls[:, -1] = 0
    eight = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    expected = R._bfs(cls == 2, cls > 0, eight)
    np.testing.assert_array_equal(H.canny_hysteresis(cls), expected)
    # the same sweeps in apply_hysteresis_threshold, both connectivities
    for c in (1, 2):
        np.testing.assert_array_equal(
            filters.apply_hysteresis_threshold(cls, 0.5, 1.5, connectivity=c),
            R.apply_hysteresis_threshold(cls, 0.5, 1.5, connectivity=c))


def test_hysteresis_falls_back_to_flood_fill_on_serpentines():
    """A path reversing its vertical direction more often than the sweep
    limit (64 pairs) is finished by the flood fill: same result."""
    teeth = 150   # each sweep pair (down, up) crosses two teeth
    cls = np.zeros((12, 2 * teeth + 3), np.uint8)
    for t in range(teeth):
        c = 1 + 2 * t
        cls[1:11, c] = 1                      # a tooth
        r = 10 if t % 2 == 0 else 1           # joined alternately at the bottom / top
        cls[r, c:c + 3] = 1
    cls[1, 1] = 2
    eight = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    expected = R._bfs(cls == 2, cls > 0, eight)
    assert expected.sum() > 10 * teeth
    mb = H.pack_rows(cls == 2)
    assert not HK.hysteresis_bits(H.pack_rows(cls != 0), mb, 64, True)   # the fallback runs
    np.testing.assert_array_equal(H.canny_hysteresis(cls), expected)


@settings(max_examples=40)
@given(case=canny_cases(max_side=150, min_side=3))
def test_sweep_bit_rows_pack_the_class_map(case):
    """The bit rows the sweep writes for the hysteresis (weak-or-strong,
    strong; 64 pixels a word, a partial last word) are the class map's,
    and canny is still skimage's labelling of it (reference)."""
    x, kw = case
    kw = dict(kw, use_quantiles=False)
    if kw["low_threshold"] is not None and kw["low_threshold"] > 1:
        kw["low_threshold"] = kw["high_threshold"] = None
    image = E._check_image(x)
    lo, hi = E._thresholds(image, kw["low_threshold"], kw["high_threshold"], False)
    plan = E._Plan(image, kw["sigma"], kw["mask"], kw["mode"], kw["cval"], 1)
    cls = np.empty(image.shape, np.uint8)
    bits = E._bit_rows(image.shape)
    plan.sweep(0, low=E._low_for_nms(lo), high=E._high_for_compare(hi, plan.ftype), cls=cls,
               bits=bits)
    np.testing.assert_array_equal(bits[0], H.pack_rows(cls != 0))
    np.testing.assert_array_equal(bits[1], H.pack_rows(cls == 2))
    np.testing.assert_array_equal(feature.canny(x, **kw), R.canny(x, **kw), strict=True)


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), nb=st.integers(1, 9),
       shape=st.tuples(st.integers(2, 40), st.integers(1, 200)),
       p_weak=st.sampled_from([0.3, 0.5, 0.7, 0.9]), diag=st.booleans())
def test_bit_packed_blocks_then_seams_equal_labelling(seed, nb, shape, p_weak, diag):
    """The bit-packed sweeps on blocks of rows (each closed on its own),
    then across the block boundaries, give the labelling's result (8- or
    4-connected)."""
    rng = np.random.default_rng(seed)
    cls = rng.choice(np.array([0, 1, 2], np.uint8), size=shape,
                     p=[1 - p_weak, p_weak * 0.9, p_weak * 0.1])
    h = shape[0]
    cuts = sorted(rng.choice(np.arange(2, h - 1), size=min(nb - 1, h - 3), replace=False)
                  if h >= 4 else [])
    bounds = [0]
    for c in cuts:   # blocks of at least 2 rows
        if c - bounds[-1] >= 2 and h - c >= 2:
            bounds.append(int(c))
    bounds.append(h)
    wb, mb = H.pack_rows(cls != 0), H.pack_rows(cls == 2)
    for a, b in zip(bounds[:-1], bounds[1:]):
        assert b - a >= 2
        assert HK.hysteresis_bits_rows(wb, mb, 64, diag, a, b) == 0
    assert HK.hysteresis_bits_seams(wb, mb, 64, diag, np.array(bounds[1:-1], np.int64))
    steps = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)
             if (a, b) != (0, 0) and (diag or a == 0 or b == 0)]
    expected = R._bfs(cls == 2, cls > 0, steps)
    got = np.unpackbits(mb.view(np.uint8), axis=1, count=shape[1], bitorder="little")
    np.testing.assert_array_equal(got.astype(bool), expected)


@pytest.mark.parametrize("serpentine", [False, True])
def test_canny_hysteresis_in_blocks(monkeypatch, serpentine):
    """canny_hysteresis split into blocks of a few rows (the cost figure
    raised so that a small map is split), with the sweep's bit rows or its
    own, and its flood-fill fallback when a block does not converge."""
    monkeypatch.setattr(H, "_BITS_NS", 1e4)
    monkeypatch.setattr(H, "_BIT_ROWS", 3)
    rng = np.random.default_rng(3)
    if serpentine:   # as in test_hysteresis_falls_back_to_flood_fill_on_serpentines
        teeth = 150
        cls = np.zeros((40, 2 * teeth + 3), np.uint8)
        for t in range(teeth):
            c = 1 + 2 * t
            cls[1:39, c] = 1
            cls[38 if t % 2 == 0 else 1, c:c + 3] = 1
        cls[1, 1] = 2
    else:
        cls = rng.choice(np.array([0, 1, 2], np.uint8), size=(300, 260), p=[0.4, 0.55, 0.05])
    cls[0] = cls[-1] = 0
    cls[:, 0] = cls[:, -1] = 0
    eight = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    expected = R._bfs(cls == 2, cls > 0, eight)
    for workers in (1, -1):
        np.testing.assert_array_equal(H.canny_hysteresis(cls, workers), expected)
        bits = H.pack_rows(cls != 0), H.pack_rows(cls == 2)
        np.testing.assert_array_equal(H.canny_hysteresis(cls, workers, bits), expected)


@pytest.mark.parametrize("mode", ["reflect", "constant", "wrap"])
@pytest.mark.parametrize("sigma", [0.7, 1.0, 2.0])
def test_uint8_rows_read_directly_smooth_like_the_ring(mode, sigma):
    """8-bit rows are converted inside the vertical pass (not through the
    ring of double rows) where every tap is inside the image: every 8-bit
    value at every tap gives the smoothed image of the same values as
    doubles (``double(v) * (1 / 255)``, which goes through the ring)."""
    rng = np.random.default_rng(7)
    x = np.stack([rng.permutation(256) for _ in range(48)]).astype(np.uint8)
    xf = x.astype(np.float64) * (1.0 / 255)
    out = []
    for img in (x, xf):
        plan = E._Plan(img, sigma, None, mode, 0.0, 1)
        sm = np.empty(img.shape, np.float64)
        plan.sweep(E.edges_kernels.SMOOTH_ONLY, smoothed=sm)
        out.append(sm)
    np.testing.assert_array_equal(out[0], out[1], strict=True)
    np.testing.assert_array_equal(feature.canny(x, sigma, mode=mode),
                                  skfeature.canny(x, sigma, mode=mode))
