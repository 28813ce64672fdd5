"""Template family: match_template (with OpenCV's scores as method=),
peak_local_max and corner_peaks against the reference (the definition),
scikit-image 0.26, cv2.matchTemplate, invariants, odd inputs and every
error path.

match_template's scores carry the correlation's rounding (skimage's FFT,
OpenCV's float32 sums): they are compared with the bound of
``TOLERANCES["match-template"]``; its zeros (flat windows) and the peak
finders' coordinates are compared exactly.
"""
import contextlib
import warnings

import numpy as np
import pytest
import skimage.feature as skf
from conftest import TOLERANCES, assert_same_outcome, outcome
from helpers import assert_same
from hypothesis import given, settings
from hypothesis import strategies as st

from fastimg import feature as F
from fastimg._template import match as M
from reference import template as R

C_MATCH = TOLERANCES["match-template"][1]


@contextlib.contextmanager
def correlation_path(path):
    """Force the direct sums or the FFT (the cost model picks one)."""
    saved = M._DIRECT_NS
    M._DIRECT_NS = {"direct": 0.0, "fft": 1e12, "auto": saved}[path]
    try:
        yield
    finally:
        M._DIRECT_NS = saved


def match_bound(image, template, pad_input, mode, constant_values, ftype, eps=None):
    """Per-position bound of TOLERANCES['match-template'] and the
    denominator (from the reference's skimage rules)."""
    pad = [(w, w) for w in np.shape(template)]
    img = np.asarray(image).astype(ftype)
    if mode == "constant":
        padded = np.pad(img, pad, mode=mode, constant_values=constant_values)
    else:
        padded = np.pad(img, pad, mode=mode)
    den = R.match_denominator(image, template, pad_input, mode, constant_values)
    eps = np.finfo(ftype).eps if eps is None else eps
    with np.errstate(all="ignore"):
        scale = eps * np.linalg.norm(padded.astype(np.float64)) * np.linalg.norm(
            np.asarray(template, np.float64))
        return C_MATCH * scale / np.maximum(den.astype(np.float64), 1e-300), den


def assert_scores_close(actual, expected, bound):
    assert actual.dtype == expected.dtype and actual.shape == expected.shape, (
        actual.dtype, expected.dtype, actual.shape, expected.shape)
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    nan = np.isnan(e)
    np.testing.assert_array_equal(np.isnan(a), nan)
    with np.errstate(invalid="ignore"):
        bad = ~nan & (a != e) & ~(np.abs(a - e) <= bound)
    assert not bad.any(), (a[bad][:5], e[bad][:5], np.broadcast_to(bound, a.shape)[bad][:5])


# ----------------------------------------------------------- strategies
@st.composite
def match_cases(draw, max_side=11, max_side3=5):
    ndim = draw(st.sampled_from([2, 2, 3]))
    side = max_side if ndim == 2 else max_side3
    shape = tuple(draw(st.integers(1, side)) for _ in range(ndim))
    tshape = tuple(draw(st.integers(1, n)) for n in shape)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = np.dtype(draw(st.sampled_from(["uint8", "int16", "float16", "float32",
                                           "float64"])))
    kind = draw(st.sampled_from(["random", "levels", "constant", "blocks"]))
    if kind == "random":
        image = rng.normal(40, 20, shape)
    elif kind == "levels":          # few grey levels: many flat windows and ties
        image = rng.integers(0, 3, shape) * 10.0
    elif kind == "constant":
        image = np.full(shape, 7.0)
    else:                           # a constant half beside a textured half
        image = rng.normal(40, 20, shape)
        image[: shape[0] // 2] = 5.0
    if dtype.kind in "ui":
        image = np.clip(image, 0, 255)
    image = image.astype(dtype)
    tkind = draw(st.sampled_from(["random", "patch", "constant", "int"]))
    if tkind == "random":
        template = rng.normal(0, 1, tshape)
    elif tkind == "patch":
        start = [int(rng.integers(0, n - t + 1)) for n, t in zip(shape, tshape)]
        template = image[tuple(slice(s, s + t) for s, t in zip(start, tshape))].copy()
    elif tkind == "constant":
        template = np.full(tshape, 2.0)
    else:
        template = rng.integers(0, 5, tshape).astype(np.int32)
    pad_input = draw(st.booleans())
    mode = draw(st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]))
    cval = draw(st.sampled_from([0, 3.5]))
    return image, template, pad_input, mode, cval


# ------------------------------------------------------------ match_template
@settings(max_examples=30)
@given(match_cases(), st.sampled_from(["direct", "fft"]))
def test_match_template_reference_and_anchor(case, path):
    image, template, pad_input, mode, cval = case
    with correlation_path(path), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = F.match_template(image, template, pad_input, mode, cval)
        ref = R.match_template(image, template, pad_input, mode, cval)
        theirs = skf.match_template(image, template, pad_input, mode, cval)
    bound, den = match_bound(image, template, pad_input, mode, cval, ours.dtype)
    assert_scores_close(ours, ref, bound)
    assert_scores_close(ours, theirs, bound)
    # skimage's flat-window rule: the same positions score exactly 0
    flat = ~(den > np.finfo(ours.dtype).eps)
    assert np.all(ours[flat] == 0) and np.all(theirs[flat] == 0)


@settings(max_examples=15)
@given(match_cases(), st.sampled_from(["ccoeff", "ccorr", "ccorr_normed", "sqdiff",
                                       "sqdiff_normed"]))
def test_match_template_methods_reference(case, method):
    image, template, pad_input, mode, cval = case
    ours = F.match_template(image, template, pad_input, mode, cval, method=method)
    ref = R.match_template(image, template, pad_input, mode, cval, method=method)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    scale = np.finfo(ours.dtype).eps * C_MATCH * (np.abs(ref).max(initial=0) + 1.0)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=scale)


@pytest.mark.parametrize("dtype", ["uint8", "float32"])
@pytest.mark.parametrize("method", M.METHODS)
def test_match_template_opencv(method, dtype):
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(7)
    image = np.clip(rng.normal(120, 50, (37, 45)), 0, 255).astype(dtype)
    image[:10, :12] = 90                           # a flat corner
    for tshape in [(1, 1), (5, 7), (12, 3), (37, 45)]:
        template = image[3:3 + tshape[0], 2:2 + tshape[1]].copy()
        template[0, 0] += 1
        cvcode = getattr(cv2, "TM_" + method.upper())
        theirs = cv2.matchTemplate(image, template, cvcode).astype(np.float64)
        ours = F.match_template(image, template, method=method).astype(np.float64)
        assert ours.shape == theirs.shape
        bound, _ = match_bound(image, template, False, "constant", 0, np.float64,
                               eps=np.finfo(np.float32).eps)
        ws = R.window_sums(np.pad(image.astype(np.float64), [(w, w) for w in tshape]),
                           tshape)[tshape[0] - 1:, tshape[1] - 1:][:ours.shape[0],
                                                                  :ours.shape[1]]
        ws2 = R.window_sums(np.pad(image.astype(np.float64) ** 2, [(w, w) for w in tshape]),
                            tshape)[tshape[0] - 1:, tshape[1] - 1:][:ours.shape[0],
                                                                   :ours.shape[1]]
        if method.endswith("_normed"):
            # OpenCV zeroes windows whose variance is within float32 rounding
            # of zero (its own rule): compare elsewhere
            var = ws2 - ws * ws / template.size
            keep = var > 1e-3 * ws2
            if method == "ccoeff_normed":
                bound = np.broadcast_to(bound, ours.shape)[keep]
            else:
                bound = C_MATCH * np.finfo(np.float32).eps * 4
            ours, theirs = ours[keep], theirs[keep]
        else:
            t2 = float(np.sum(template.astype(np.float64) ** 2))
            bound = C_MATCH * np.finfo(np.float32).eps * (np.abs(theirs).max() + ws2.max() + t2)
        assert np.all(np.abs(ours - theirs) <= bound), (method, tshape)


def test_match_template_default_is_ccoeff_normed():
    rng = np.random.default_rng(1)
    image, template = rng.random((15, 17)), rng.random((4, 5))
    assert_same(F.match_template(image, template),
                F.match_template(image, template, method="ccoeff_normed"))


@pytest.mark.parametrize("ndim", [2, 3])
def test_match_template_cut_scores_one(ndim):
    """A template cut from the image scores 1 at its own position, which is
    the maximum."""
    rng = np.random.default_rng(5)
    image = rng.random((20, 18, 9)[:ndim])
    at = (6, 4, 2)[:ndim]
    tshape = (5, 7, 3)[:ndim]
    template = image[tuple(slice(a, a + t) for a, t in zip(at, tshape))]
    for pad in (False, True):
        res = F.match_template(image, template, pad_input=pad)
        peak = tuple(a + ((t - 1) // 2 if pad else 0) for a, t in zip(at, tshape))
        assert np.unravel_index(np.argmax(res), res.shape) == peak
        assert abs(res[peak] - 1.0) < 1e-12


@pytest.mark.parametrize("name", ["1xN", "Nx1", "strided", "fortran", "big-endian",
                                  "read-only", "float16", "bool", "nan", "inf",
                                  "constant", "int8", "large-fft"])
def test_match_template_odd_inputs(name):
    rng = np.random.default_rng(2)
    base = rng.normal(size=(13, 16))
    image = {
        "1xN": base[:1], "Nx1": base[:, :1], "strided": base[::2, ::-3],
        "fortran": np.asfortranarray(base), "big-endian": base.astype(">f8"),
        "read-only": np.require(base, requirements="C"), "float16": base.astype(np.float16),
        "bool": base > 0, "nan": np.where(base > 1.5, np.nan, base),
        "inf": np.where(base > 1.5, np.inf, base), "constant": np.full((6, 7), 3, np.uint8),
        "int8": (base * 30).astype(np.int8), "large-fft": rng.normal(size=(70, 80)),
    }[name]
    if name == "read-only":
        image.setflags(write=False)
    tshape = (1, 1) if image.shape[0] == 1 or image.shape[1] == 1 else (3, 2)
    if name == "large-fft":
        tshape = (20, 24)
    template = rng.normal(size=tshape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = skf.match_template(image, template, pad_input=True)
        ours = F.match_template(image, template, pad_input=True)
    bound, _ = match_bound(image, template, True, "constant", 0, ours.dtype)
    assert_scores_close(ours, theirs, bound)


@pytest.mark.parametrize("shape, tshape", [((150, 90), (5, 3)), ((70, 9, 66), (4, 2, 6)),
                                           ((3, 200), (2, 9))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_match_template_fft_tiles(shape, tshape, dtype):
    """The overlap-save FFT over several tiles per axis."""
    rng = np.random.default_rng(11)
    image = rng.normal(size=shape).astype(dtype)
    template = rng.normal(size=tshape)
    for pad in (False, True):
        with correlation_path("fft"):
            ours = F.match_template(image, template, pad_input=pad, mode="reflect")
        theirs = skf.match_template(image, template, pad_input=pad, mode="reflect")
        bound, _ = match_bound(image, template, pad, "reflect", 0, ours.dtype)
        assert_scores_close(ours, theirs, bound)


@pytest.mark.parametrize("image, template, kwargs", [
    (np.zeros((0, 4)), np.ones((1, 1)), {}),
    (np.ones(7), np.ones(3), {}),
    (np.ones((3, 3, 3, 3)), np.ones((2, 2, 2, 2)), {}),
    (np.ones((4, 5)), np.ones((5, 2)), {}),
    (np.ones((4, 5)), np.ones((2, 2, 2)), {}),
    (np.ones((4, 5, 3)), np.ones((4, 6, 1)), {}),
    (np.ones((4, 5)) + 1j, np.ones((2, 2)), {}),
    (np.ones((4, 5)), np.ones((2, 2)), {"mode": "bogus"}),
    (np.ones((4, 5)), np.ones((0, 2)), {}),
    (np.ones((4, 5, 3)), np.ones((2, 2, 0)), {}),
])
def test_match_template_errors(image, template, kwargs):
    assert_same_outcome(lambda: F.match_template(image, template, **kwargs),
                        lambda: skf.match_template(image, template, **kwargs),
                        lambda a, e: pytest.fail("expected an error"))


def test_match_template_fastimg_errors():
    """Cases where skimage fails late (or the parameter is fastimg's)."""
    with pytest.raises(ValueError, match=r"method must be one of .*got 'nope'"):
        F.match_template(np.ones((4, 4)), np.ones((2, 2)), method="nope")
    with pytest.raises(ValueError, match=r"got template \(2,\)"):
        F.match_template(np.ones((4, 4)), np.ones(2))
    assert isinstance(outcome(lambda: skf.match_template(np.ones((4, 4, 4)), np.ones((2, 2)))),
                      ValueError)
    with pytest.raises(ValueError, match=r"3 dimensions"):
        F.match_template(np.ones((4, 4, 4)), np.ones((2, 2)))


# ------------------------------------------------------------------ peaks
@st.composite
def peak_cases(draw):
    ndim = draw(st.sampled_from([1, 2, 2, 2, 3]))
    side = {1: 25, 2: 14, 3: 6}[ndim]
    shape = tuple(draw(st.integers(1, side)) for _ in range(ndim))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["ties", "random", "single", "flat"]))
    dtype = draw(st.sampled_from(["uint8", "int16", "float32", "float64"]))
    if kind == "ties":
        image = rng.integers(0, 4, shape)
    elif kind == "random":
        image = rng.normal(50, 20, shape)
    elif kind == "single":
        image = np.zeros(shape)
        image[tuple(int(rng.integers(0, n)) for n in shape)] = 9
    else:
        image = np.full(shape, 3)
    image = np.clip(image, 0, 255).astype(dtype)
    kw = {"min_distance": draw(st.integers(0, 4))}
    kw["exclude_border"] = draw(st.one_of(st.booleans(), st.integers(0, 2),
                                          st.tuples(*[st.integers(0, 2)] * ndim)))
    if draw(st.booleans()):
        kw["threshold_rel"] = draw(st.sampled_from([0.0, 0.3, 0.8]))
    if draw(st.booleans()):
        kw["threshold_abs"] = draw(st.sampled_from([-1, 1, 2.5]))
    if draw(st.booleans()):
        kw["num_peaks"] = draw(st.integers(0, 6))
    if draw(st.booleans()):
        kw["p_norm"] = draw(st.sampled_from([1, 2, 1.5, np.inf]))
    if draw(st.booleans()):
        kw["footprint"] = rng.random((draw(st.integers(1, 3)),) * ndim) < 0.7
    if draw(st.booleans()):
        kw["labels"] = rng.integers(0, draw(st.integers(1, 4)), shape)
        if draw(st.booleans()):
            kw["num_peaks_per_label"] = draw(st.integers(0, 3))
    return image, kw


def _quiet(fn):
    def call():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    return call


@settings(max_examples=60)
@given(peak_cases())
def test_peak_local_max_reference_and_anchor(case):
    image, kw = case
    ours = _quiet(lambda: F.peak_local_max(image, **kw))
    assert_same_outcome(ours, _quiet(lambda: skf.peak_local_max(image, **kw)), assert_same)
    expected = outcome(ours)
    if not isinstance(expected, Exception):
        assert_same(expected, _quiet(lambda: R.peak_local_max(image, **kw))())


@settings(max_examples=60)
@given(peak_cases(), st.booleans())
def test_corner_peaks_reference_and_anchor(case, indices):
    image, kw = case
    kw["indices"] = indices
    ours = _quiet(lambda: F.corner_peaks(image, **kw))
    assert_same_outcome(ours, _quiet(lambda: skf.corner_peaks(image, **kw)), assert_same)
    expected = outcome(ours)
    if not isinstance(expected, Exception):
        assert_same(expected, _quiet(lambda: R.corner_peaks(image, **kw))())


def test_peaks_photograph():
    """Many peaks, big spacings (the grid's multi-cell searches), labels."""
    from skimage import data, filters
    image = filters.gaussian(data.camera()[::2, ::2], 2, preserve_range=True)
    labels = (image > image.mean()).astype(np.int32) + (image > 1.3 * image.mean())
    for kw in [dict(min_distance=1), dict(min_distance=5), dict(min_distance=12, p_norm=2),
               dict(min_distance=3, labels=labels, num_peaks_per_label=40),
               dict(min_distance=4, num_peaks=25, exclude_border=False)]:
        assert_same(F.peak_local_max(image, **kw), skf.peak_local_max(image, **kw))
        assert_same(F.corner_peaks(image, **kw), skf.corner_peaks(image, **kw))


def test_peak_order_ties_and_unsigned_wrap():
    """Equal peaks come in raster order; a zero peak of an unsigned image
    sorts first (skimage sorts by -intensity, which wraps)."""
    image = np.zeros((9, 9), np.uint8)
    image[[2, 2, 6, 6], [2, 6, 2, 6]] = 5
    for kw in [dict(min_distance=1), dict(min_distance=1, threshold_abs=-1, exclude_border=0)]:
        assert_same(F.peak_local_max(image, **kw), skf.peak_local_max(image, **kw))
    assert F.peak_local_max(image, min_distance=1).tolist() == [[2, 2], [2, 6], [6, 2], [6, 6]]


def test_peak_local_max_warning():
    with pytest.warns(RuntimeWarning, match="min_distance < 1"):
        F.peak_local_max(np.ones((4, 4)), min_distance=0)


@pytest.mark.parametrize("fn", ["peak_local_max", "corner_peaks"])
@pytest.mark.parametrize("image, kwargs", [
    (np.ones((5, 5)), {"exclude_border": -1}),
    (np.ones((5, 5)), {"exclude_border": (1,)}),
    (np.ones((5, 5)), {"exclude_border": (1, 1.5)}),
    (np.ones((5, 5)), {"exclude_border": (1, -1)}),
    (np.ones((5, 5)), {"exclude_border": 1.5}),
    (np.ones((5, 5)), {"labels": np.ones((5, 5))}),
    (np.eye(9), {"min_distance": 2, "p_norm": 0, "exclude_border": False}),
    (np.eye(5, dtype=bool), {"exclude_border": False}),
])
def test_peak_errors(fn, image, kwargs):
    assert_same_outcome(_quiet(lambda: getattr(F, fn)(image, **kwargs)),
                        _quiet(lambda: getattr(skf, fn)(image, **kwargs)), assert_same)


@pytest.mark.parametrize("shape, wshape", [((7, 30), (3, 5)), ((9, 5), (2, 1)),
                                           ((1, 12), (1, 4)), ((4, 40), (4, 9)),
                                           ((13, 6), (13, 6)), ((6, 7, 5), (2, 3, 2)),
                                           ((1403, 1500), (5, 7))])     # parallel blocks
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_window_sums_are_the_anchors_cumsum_differences(shape, wshape, dtype):
    """The window sums (lines four at a time along a 2-D image's last axis,
    vectorised along the others) equal skimage's ``np.cumsum`` differences
    axis after axis, bit for bit (their rounding decides which windows are
    flat)."""
    rng = np.random.default_rng(5)
    image = rng.normal(3, 2, shape).astype(dtype)
    padded = np.pad(image, [(w, w) for w in wshape])
    want = [padded, padded * padded]
    for axis, w in enumerate(wshape):
        for i, a in enumerate(want):
            cs = np.cumsum(a, axis=axis)
            want[i] = (cs.take(np.arange(w, cs.shape[axis] - 1), axis)
                       - cs.take(np.arange(0, cs.shape[axis] - w - 1), axis))
    p3 = padded if padded.ndim == 3 else padded[:, :, None]
    for workers in (1, 2):
        got = M._windows(p3, wshape, workers)
        for g, e in zip(got, want):
            np.testing.assert_array_equal(g.reshape(e.shape), e, strict=True)


def test_tile_lengths_are_fast_and_cover_the_output():
    """The FFT tile search returns a 5-smooth length longer than the
    template that is at most the whole extent's fast length."""
    from scipy import fft as sp_fft
    for extent in (5, 64, 300, 2048, 4100):
        for t in (1, 2, 9, 32, 128):
            if t > extent:
                continue
            L = M._tile_length(t, extent)
            whole = sp_fft.next_fast_len(extent, real=True)
            assert L <= whole and (L >= t or extent == 1)
            m = L
            for p in (2, 3, 5):
                while m % p == 0:
                    m //= p
            assert m == 1, (t, extent, L)
