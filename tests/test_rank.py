"""fastimg's rank family (``scipy.ndimage`` median/rank/percentile/minimum/
maximum filters, ``skimage.filters.median``, ``scipy.signal.medfilt2d``)
against the reference (the definition), the anchors, invariants, odd inputs
and errors.

Exact comparisons everywhere (a rank filter returns one of its inputs);
``-0.0`` and ``+0.0`` are not told apart (which one a selection returns is
the algorithm's choice, in SciPy too)."""

import tracemalloc
import warnings

import numpy as np
import pytest
from conftest import outcome
from helpers import CORPUS, MODES, photo_image
from hypothesis import given, settings
from hypothesis import strategies as st

from fastimg import filters as F
from fastimg import ndimage as N
from fastimg._rank import core as rank_core
from fastimg import signal as S
from fastimg._rank.core import network
from reference import rank as R

RANK_DTYPES = ["uint8", "uint16", "int16", "float32", "float64", "int8", "int32", "bool"]
FUNCS = ["median_filter", "rank_filter", "percentile_filter", "minimum_filter",
         "maximum_filter"]


def assert_equal(actual, expected):
    """Same dtype, shape and values (NaN == NaN; -0.0 == 0.0)."""
    assert not isinstance(actual, Exception), actual
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    np.testing.assert_array_equal(actual, expected, strict=True)


def same_outcome(ours, theirs):
    expected = outcome(theirs)
    actual = outcome(ours)
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (str(actual), str(expected))
        return
    assert_equal(actual, expected)


@st.composite
def rank_images(draw, dtypes=RANK_DTYPES, max_side=12, ndim=(1, 2, 3), nan=True):
    nd = draw(st.sampled_from(ndim))
    side = max_side if nd < 3 else 6
    shape = tuple(draw(st.integers(1, side)) for _ in range(nd))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype.kind == "b":
        x = rng.random(shape) < 0.5
    elif dtype.kind == "f":
        x = np.round(rng.normal(0, 30, shape), draw(st.sampled_from([0, 2])))
        if nan and draw(st.booleans()):
            x.flat[rng.integers(0, x.size, 1 + x.size // 5)] = np.nan
    else:
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -200), min(info.max, draw(st.sampled_from([5, 300, 70000])))
        x = rng.integers(lo, hi, shape, endpoint=True)
    return x.astype(dtype)


@st.composite
def windows(draw, ndim, max_size=15, footprint=True):
    """(size, footprint, origin) keyword arguments for one call."""
    sizes = [draw(st.integers(1, max_size if ndim < 3 else 4)) for _ in range(ndim)]
    kw = {}
    if footprint and draw(st.booleans()):
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        fp = rng.random(sizes) < draw(st.sampled_from([0.4, 0.8]))
        fp.flat[rng.integers(0, fp.size)] = True
        kw["footprint"] = fp
    else:
        kw["size"] = sizes
    kw["origin"] = [draw(st.integers(-(s // 2), (s - 1) // 2)) for s in sizes]
    return kw


def _rank_arg(draw, func, n):
    if func == "rank_filter":
        return (draw(st.integers(-n, n - 1)),)
    if func == "percentile_filter":
        return (draw(st.sampled_from([0.0, 10.0, 37.5, 50.0, 99.0, 100.0, -25.0])),)
    return ()


# ------------------------------------------------------------ vs reference
@given(data=st.data(), x=rank_images(max_side=10), func=st.sampled_from(FUNCS),
       mode=st.sampled_from(MODES), cval=st.sampled_from([0.0, 3.0, -2.5, 1e10]),
       output=st.sampled_from([None, "float64", "int16", "uint8", "float32"]),
       nan_policy=st.sampled_from([None, None, "propagate", "omit"]))
def test_equal_reference(data, x, func, mode, cval, output, nan_policy):
    kw = data.draw(windows(x.ndim, max_size=7))
    n = int(kw["footprint"].sum()) if "footprint" in kw else int(np.prod(kw["size"]))
    args = _rank_arg(data.draw, func, n)
    if output is not None and output.startswith("float") and x.dtype.kind != "f":
        output = None  # integer results in float outputs: covered by parity
    kw.update(mode=mode, cval=cval, output=None if output is None else np.dtype(output),
              nan_policy=nan_policy)
    if x.ndim == 1 and "footprint" not in kw and func not in ("minimum_filter",
                                                              "maximum_filter"):
        # SciPy's 1-D path reads outside its buffer when the window is longer
        # than the line; the reference (and fastimg) give the n-D result
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda: getattr(N, func)(x, *args, **kw),
                     lambda: getattr(R, func)(x, *args, **kw))


@settings(max_examples=25)
@given(data=st.data(), x=rank_images(dtypes=["uint8", "uint16", "int16", "float32",
                                            "float64"], max_side=16, ndim=(2,), nan=False),
       mode=st.sampled_from(MODES))
def test_large_windows_equal_reference(data, x, mode):
    """Windows up to 15x15: the sliding histogram (and float codes) path."""
    kw = data.draw(windows(2, max_size=15))
    kw["mode"] = mode
    same_outcome(lambda: N.median_filter(x, **kw), lambda: R.median_filter(x, **kw))


# ------------------------------------------------------------ anchor parity
scipy_ndi = pytest.importorskip("scipy.ndimage")
scipy_signal = pytest.importorskip("scipy.signal")


@given(data=st.data(), x=rank_images(max_side=12, nan=False), func=st.sampled_from(FUNCS),
       mode=st.sampled_from(MODES), cval=st.sampled_from([0.0, 7.0, -2.0, 0.5]))
def test_equal_scipy(data, x, func, mode, cval):
    kw = data.draw(windows(x.ndim, max_size=9))
    if x.ndim == 1:
        size = len(kw.get("footprint", kw.get("size", [1]))) if "footprint" in kw \
            else kw["size"][0]
        if size > x.shape[0]:  # see test_scipy_1d_path_long_window
            kw["size"] = [x.shape[0]]
            kw.pop("footprint", None)
            kw["origin"] = [0]
    n = int(kw["footprint"].sum()) if "footprint" in kw else int(np.prod(kw["size"]))
    args = _rank_arg(data.draw, func, n)
    kw.update(mode=mode, cval=cval)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda: getattr(N, func)(x, *args, **kw),
                     lambda: getattr(scipy_ndi, func)(x, *args, **kw))


@pytest.fixture(scope="module")
def photo():
    return photo_image()


@pytest.mark.parametrize("size", [3, 4, 5, 8, 15, 31])
@pytest.mark.parametrize("dtype", ["uint8", "float32", "int16"])
def test_photo_median_equal_scipy(photo, size, dtype):
    x = photo[:96, :80].astype(dtype)
    if dtype == "float32":
        x = x / np.float32(7)
    assert_equal(N.median_filter(x, size), scipy_ndi.median_filter(x, size))


@pytest.mark.parametrize("mode", MODES)
def test_photo_modes_equal_scipy(photo, mode):
    x = photo[:40, :50]
    fp = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 1]], bool)
    for kw in (dict(size=(4, 3), origin=(1, -1)), dict(footprint=fp)):
        assert_equal(N.median_filter(x, mode=mode, cval=9, **kw),
                     scipy_ndi.median_filter(x, mode=mode, cval=9, **kw))
        assert_equal(N.minimum_filter(x, mode=mode, cval=9, **kw),
                     scipy_ndi.minimum_filter(x, mode=mode, cval=9, **kw))
        assert_equal(N.percentile_filter(x, 70, mode=mode, cval=9, **kw),
                     scipy_ndi.percentile_filter(x, 70, mode=mode, cval=9, **kw))


@pytest.mark.parametrize("k", [3, 5, 15, 18])
@pytest.mark.parametrize("dtype", ["uint8", "float32", "int8"])
def test_box_kernels_origins_modes_equal_scipy(photo, k, dtype):
    """The straight-line 3x3 / 5x5 networks and the column-histogram kernel
    (8-bit boxes of 15 rows and more) read the input through border maps:
    every mode and extreme origins, 2-D and stacked planes."""
    x = photo[:37, :41].astype(dtype)
    for mode in MODES:
        for origin in ((0, 0), (-(k // 2), (k - 1) // 2), ((k - 1) // 2, -(k // 2))):
            kw = dict(mode=mode, cval=5, origin=origin)
            assert_equal(N.median_filter(x, k, **kw), scipy_ndi.median_filter(x, k, **kw))
            assert_equal(N.maximum_filter(x, k, **kw), scipy_ndi.maximum_filter(x, k, **kw))
    y = np.stack([x, x[::-1]])
    assert_equal(N.median_filter(y, (1, k, k)), scipy_ndi.median_filter(y, (1, k, k)))
    assert_equal(N.rank_filter(x, 2, (k, k)), scipy_ndi.rank_filter(x, 2, (k, k)))


@st.composite
def u8_planes(draw):
    """uint8 (planes, rows, columns) of full-range, narrow-band (the k-th
    element near a 16-value segment boundary) or two-value data."""
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 40)), draw(st.integers(1, 40)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["full", "band", "two"]))
    if kind == "full":
        return rng.integers(0, 256, shape).astype(np.uint8)
    if kind == "band":
        lo = draw(st.integers(0, 235))
        return rng.integers(lo, lo + 21, shape).astype(np.uint8)
    return np.where(rng.random(shape) < 0.5, 0, 255).astype(np.uint8)


@settings(max_examples=40)
@given(x=u8_planes(), data=st.data(), mode=st.sampled_from(MODES))
def test_box_histogram_kernel_equal_scipy(x, data, mode):
    """The column-histogram kernel (packed 16-bit counts): any rank, window,
    origin, mode and cval, windows larger than the image, stacked planes."""
    kh, kw = data.draw(st.integers(15, 30)), data.draw(st.integers(4, 30))
    rank = data.draw(st.integers(-kh * kw, kh * kw - 1))
    origin = (0, data.draw(st.integers(-(kh // 2), (kh - 1) // 2)),
              data.draw(st.integers(-(kw // 2), (kw - 1) // 2)))
    kw_ = dict(size=(1, kh, kw), mode=mode, cval=data.draw(st.integers(0, 255)), origin=origin)
    assert _chosen(x[0], np.ones((kh, kw), bool), rank % (kh * kw)) == "box column histograms"
    ours = N.rank_filter(x, rank, **kw_)
    if mode in ("reflect", "grid-mirror") and any(
            k // 2 + o >= 4 * n for k, o, n in zip((kh, kw), origin[1:], x.shape[1:])):
        # SciPy's n-D filter offsets map a reach of 2k * (2 n), k >= 2, before
        # an axis of n to index -1: it reads outside the array (README,
        # parity notes); the reference reflects
        assert_equal(ours, R.rank_filter(x, rank, **kw_))
        return
    assert_equal(ours, scipy_ndi.rank_filter(x, rank, **kw_))


def test_box_histogram_packed_limit():
    """Windows up to ``PACKED_MAX`` cells take the packed kernel, larger ones
    the int32 one: both equal SciPy near the extreme ranks and at the
    median, windows almost all ``cval`` (one bin's count near the window's)
    too."""
    from fastimg._rank import histogram_kernels as hk
    assert 181 * 181 <= hk.PACKED_MAX < 182 * 181
    rng = np.random.default_rng(2)
    for x in (rng.integers(0, 256, (9, 11)).astype(np.uint8),
              rng.integers(0, 256, (4, 6)).astype(np.uint8)):
        for kh, kw in ((181, 181), (127, 258), (182, 181)):
            n = kh * kw
            for mode, cval in (("nearest", 0), ("constant", 0), ("constant", 255), ("wrap", 0)):
                for rank in (1, n // 2, n - 2):   # not 0, n - 1: min / max filters
                    kw_ = dict(size=(kh, kw), mode=mode, cval=cval)
                    assert_equal(N.rank_filter(x, rank, **kw_),
                                 scipy_ndi.rank_filter(x, rank, **kw_))


@pytest.mark.parametrize("sw", [1, 5, 512])
def test_box_histogram_kernels_agree(photo, sw):
    """The packed kernel and the int32 one called directly: narrow stripes
    (``sw``), blocks of rows starting anywhere in any plane, noise (the k-th
    element changing segment often) and a photograph."""
    from fastimg._core import ndi_args
    from fastimg._rank import histogram_kernels as hk
    rng = np.random.default_rng(5)
    X = np.stack([photo[:45, :70], rng.integers(0, 256, (45, 70)).astype(np.uint8)])
    for kh, kw, k, mode in ((15, 4, 29, "reflect"), (31, 31, 480, "constant"),
                            (17, 23, 0, "wrap"), (20, 9, 179, "nearest")):
        rmap = ndi_args.extend_map(45, kh // 2, kh - 1 - kh // 2, mode)
        cmap = ndi_args.extend_map(70, kw // 2, kw - 1 - kw // 2, mode)
        outs = []
        for fn in (hk.box_hist_rows, hk.box_hist_wide):
            out = np.zeros_like(X)
            for a, b in ((0, 7), (7, 52), (52, 90)):
                fn(X, rmap, cmap, np.uint8(200), kh, kw, k, sw, out, a, b)
            outs.append(out)
        assert_equal(outs[0], outs[1])


@settings(max_examples=25)
@given(x=rank_images(dtypes=["uint8", "int16", "float32", "float64"], max_side=14,
                     ndim=(1, 2, 3)),
       size=st.integers(10, 23), data=st.data(), func=st.sampled_from(["minimum_filter",
                                                                     "maximum_filter"]),
       mode=st.sampled_from(MODES), nan_policy=st.sampled_from([None, "propagate", "omit"]),
       output=st.sampled_from([None, "int8", "float64"]))
def test_long_minmax_passes_equal_reference(x, size, data, func, mode, nan_policy, output):
    """Separable passes longer than 9: van Herk / Gil-Werman."""
    origin = data.draw(st.integers(-(size // 2), (size - 1) // 2))
    kw = dict(mode=mode, cval=-3.5, origin=origin, nan_policy=nan_policy,
              output=None if output is None else np.dtype(output))
    same_outcome(lambda: getattr(N, func)(x, size, **kw),
                 lambda: getattr(R, func)(x, size, **kw))


@settings(max_examples=25)
@given(data=st.data(), x=rank_images(dtypes=["float32", "float64"], max_side=16,
                                     ndim=(1, 2, 3)),
       func=st.sampled_from(FUNCS[:3]), mode=st.sampled_from(MODES),
       nan_policy=st.sampled_from([None, "propagate", "omit"]))
def test_sorted_window_equal_reference(data, x, func, mode, nan_policy):
    """Float windows over 49 cells with more distinct values than 16-bit
    codes hold: the sorted window (forced here on small images)."""
    sizes = [data.draw(st.integers(4, 9)) for _ in range(x.ndim)]
    if int(np.prod(sizes)) <= 49:
        sizes[0] = 60 // int(np.prod(sizes[1:]))
    kw = dict(size=sizes, mode=mode, cval=1.5, nan_policy=nan_policy)
    n = int(np.prod(sizes))
    args = _rank_arg(data.draw, func, n)
    saved = rank_core.CODES_MAX
    rank_core.CODES_MAX = 0
    try:
        same_outcome(lambda: getattr(N, func)(x, *args, **kw),
                     lambda: getattr(R, func)(x, *args, **kw))
    finally:
        rank_core.CODES_MAX = saved


@settings(max_examples=25)
@given(data=st.data(), x=rank_images(dtypes=["float32", "float64"], max_side=16,
                                     ndim=(1, 2, 3)),
       func=st.sampled_from(FUNCS[:3]), mode=st.sampled_from(MODES),
       nan_policy=st.sampled_from([None, "propagate", "omit"]))
def test_32_bit_codes_equal_reference(data, x, func, mode, nan_policy):
    """Float windows of at least 64 cells with more distinct values than
    16-bit codes hold (a smoothed photograph): their ranks as 32-bit codes
    through the three-level sliding histogram (forced here on small
    images), random footprints included."""
    sizes = [data.draw(st.integers(2, 9)) for _ in range(x.ndim)]
    if int(np.prod(sizes)) < 64:
        sizes[0] = -(-64 // int(np.prod(sizes[1:])))
    fp = data.draw(st.sampled_from([None, "random"]))
    if fp == "random":
        fp = np.random.default_rng(data.draw(st.integers(0, 99))).random(sizes) < 0.8
        fp.flat[0] = True
        kw = dict(footprint=fp)
        n = int(fp.sum())
    else:
        kw = dict(size=sizes)
        n = int(np.prod(sizes))
    kw.update(mode=mode, cval=1.5, nan_policy=nan_policy)
    args = _rank_arg(data.draw, func, n)
    saved = rank_core.CODES32_FROM
    rank_core.CODES32_FROM = 0
    try:
        same_outcome(lambda: getattr(N, func)(x, *args, **kw),
                     lambda: getattr(R, func)(x, *args, **kw))
    finally:
        rank_core.CODES32_FROM = saved


def test_small_networks_nan_equal_reference():
    rng = np.random.default_rng(2)
    for dtype in (np.float32, np.float64):
        x = rng.normal(0, 9, (11, 13)).astype(dtype)
        x.flat[::5] = np.nan
        x.flat[::7] = -np.nan
        x.flat[::9] = -np.inf
        for k in (3, 5):
            for mode in ("constant", "reflect"):
                assert_equal(N.median_filter(x, k, mode=mode, cval=np.nan),
                             R.median_filter(x, k, mode=mode, cval=np.nan))


def test_3d_and_4d_equal_scipy():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 200, (7, 8, 9)).astype(np.uint8)
    for kw in (dict(size=3), dict(size=(2, 5, 4)), dict(size=5, axes=(0, 2))):
        assert_equal(N.median_filter(x, **kw), scipy_ndi.median_filter(x, **kw))
        assert_equal(N.median_filter(x.astype(np.float32), **kw),
                     scipy_ndi.median_filter(x.astype(np.float32), **kw))
    y = rng.normal(size=(3, 4, 5, 3))
    assert_equal(N.rank_filter(y, 5, size=2), scipy_ndi.rank_filter(y, 5, size=2))
    assert_equal(N.maximum_filter(y, size=(1, 3, 2, 2), mode=["wrap", "reflect", "nearest",
                                                             "constant"]),
                 scipy_ndi.maximum_filter(y, size=(1, 3, 2, 2),
                                          mode=["wrap", "reflect", "nearest", "constant"]))


def test_output_arrays_and_dtypes_equal_scipy(photo):
    x = photo[:30, :30]
    for output in (np.float64, "int8", np.zeros(x.shape, np.uint16), np.bool_):
        ours = N.median_filter(x, 4, output=output)
        theirs = scipy_ndi.median_filter(x, 4, output=output)
        assert_equal(ours, theirs)
    out = np.zeros(x.shape, np.float32)
    assert N.minimum_filter(x, 3, output=out) is out
    assert_equal(out, scipy_ndi.minimum_filter(x, 3, output=np.float32))
    # in place: input and output are the same array
    y = x.astype(np.float64)
    expected = scipy_ndi.median_filter(y, 5)
    N.median_filter(y, 5, output=y)
    assert_equal(y, expected)


def test_scipy_1d_path_long_window():
    """SciPy's 1-D rank path reads outside its buffer when the window is
    longer than the input (its result varies from call to call): fastimg
    gives the n-D path's result, which is the reference's."""
    x = np.array([3.0, 1.0])
    # window -4..0 on the mirrored line 3 1 3 1 3 ...: medians 3 and 1
    ours = N.median_filter(x, 5, mode="mirror", origin=2)
    assert_equal(ours, np.array([3.0, 1.0]))
    assert_equal(ours, R.median_filter(x, 5, mode="mirror", origin=2))
    assert_equal(ours, scipy_ndi.median_filter(x[None], (1, 5), mode="mirror",
                                               origin=(0, 2))[0])


def test_scipy_1d_path_ignores_false_cells():
    """SciPy's 1-D path ranks the whole footprint box: reproduced."""
    x = np.array([5, 1, 4, 2, 8, 7, 3, 6, 0, 9.0])
    fp = np.array([1, 0, 1, 1, 0], bool)
    assert_equal(N.rank_filter(x, 1, footprint=fp), scipy_ndi.rank_filter(x, 1, footprint=fp))
    assert_equal(N.rank_filter(x[None], 1, footprint=fp[None]),
                 scipy_ndi.rank_filter(x[None], 1, footprint=fp[None]))


# ----------------------------------------------------- skimage and signal
@given(x=rank_images(dtypes=["uint8", "uint16"], ndim=(2, 3), nan=False),
       data=st.data(), behavior=st.sampled_from(["ndimage", "rank"]))
def test_filters_median_equal_reference(x, data, behavior):
    fp = None
    if data.draw(st.booleans()):
        rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
        fp = (rng.random(tuple(rng.integers(1, 5, x.ndim))) < 0.6).astype(np.uint8)
        fp.flat[0] = 1
    assert_equal(F.median(x, fp, behavior=behavior), R.median(x, fp, behavior=behavior))


def test_filters_median_equal_skimage(photo):
    skf = pytest.importorskip("skimage.filters")
    disk = np.add.outer(np.arange(-3, 4) ** 2, np.arange(-3, 4) ** 2) <= 9
    for x in (photo[:60, :70], photo[:60, :70].astype(np.uint16) * 200):
        for behavior in ("ndimage", "rank"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert_equal(F.median(x, disk, behavior=behavior),
                             skf.median(x, disk, behavior=behavior))
        assert_equal(F.median(x), skf.median(x))
    y = photo[:20, :20].astype(np.float32) / 255
    assert_equal(F.median(y, mode="constant", cval=0.5), skf.median(y, mode="constant", cval=0.5))
    with pytest.warns(UserWarning, match="Change 'behavior'"):
        F.median(photo[:10, :10], behavior="rank", mode="reflect")
    with pytest.raises(ValueError, match="must have 2 or 3 dimensions"):
        F.median(np.ones(5, np.uint8), behavior="rank")
    with pytest.raises(ValueError, match="uint8 and uint16 images only"):
        F.median(np.ones((5, 5)), behavior="rank")


@given(x=rank_images(dtypes=["uint8", "float32", "float64", "int16", "uint16"], ndim=(2,),
                     nan=False),
       ks=st.sampled_from([1, 3, 5, (3, 1), (1, 7), (5, 3)]))
def test_medfilt2d_equal_scipy_and_reference(x, ks):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda: S.medfilt2d(x, ks), lambda: scipy_signal.medfilt2d(x, ks))
        same_outcome(lambda: S.medfilt2d(x, ks), lambda: R.medfilt2d(x, ks))


@pytest.mark.parametrize("case", [
    lambda m: m.medfilt2d(np.ones(5)), lambda m: m.medfilt2d(np.ones((3, 3, 3))),
    lambda m: m.medfilt2d(np.ones((3, 3)), 4), lambda m: m.medfilt2d(np.ones((3, 3), bool)),
    lambda m: m.medfilt2d(np.ones((3, 3), np.float16)),
    lambda m: m.medfilt2d(np.ones((3, 3), np.int16), (2, 3)),
])
def test_medfilt2d_errors(case):
    same_outcome(lambda: case(S), lambda: case(scipy_signal))


# -------------------------------------------------------------- invariants
@given(x=rank_images(nan=False), data=st.data(), func=st.sampled_from(FUNCS))
def test_constant_image_unchanged(x, data, func):
    c = np.full(x.shape, x.flat[0])
    kw = data.draw(windows(x.ndim, max_size=9))
    n = int(kw["footprint"].sum()) if "footprint" in kw else int(np.prod(kw["size"]))
    args = _rank_arg(data.draw, func, n)
    assert_equal(getattr(N, func)(c, *args, mode="nearest", **kw), c)


@given(x=rank_images(nan=False, ndim=(2,)), data=st.data())
def test_rank_zero_is_minimum_and_last_is_maximum(x, data):
    kw = data.draw(windows(2, max_size=9))
    n = int(kw["footprint"].sum()) if "footprint" in kw else int(np.prod(kw["size"]))
    assert_equal(N.rank_filter(x, 0, **kw), N.minimum_filter(x, **kw))
    assert_equal(N.rank_filter(x, -1, **kw), N.maximum_filter(x, **kw))
    assert_equal(N.percentile_filter(x, 100, **kw), N.rank_filter(x, n - 1, **kw))


@given(x=rank_images(nan=False, ndim=(2,), max_side=20), k=st.sampled_from([1, 3, 5, 7, 9]),
       mode=st.sampled_from(["reflect", "mirror", "nearest", "wrap", "constant"]))
def test_flip_commutes_with_symmetric_median(x, k, mode):
    flip = (slice(None, None, -1),) * 2
    assert_equal(N.median_filter(x[flip], k, mode=mode)[flip], N.median_filter(x, k, mode=mode))


def test_networks_sort():
    """Every pruned network puts the k-th smallest at k (0/1 principle on
    all binary inputs for n <= 12, random data beyond)."""
    rng = np.random.default_rng(0)
    for n in range(1, 26):
        for k in {0, n // 2, n - 1}:
            pairs = network(n, k)
            data = rng.integers(0, 5, (400, n))
            for row in data:
                v = row.copy()
                for a, b in pairs:
                    if v[a] > v[b]:
                        v[a], v[b] = v[b], v[a]
                assert v[k] == np.sort(row)[k]


# ------------------------------------------------------------ kernel choice
def _chosen(x, fp, k, policy=None):
    spec = rank_core.RankSpec(k)
    case = rank_core._case(x, fp, [0] * x.ndim, "reflect", 0.0, np.empty(x.shape, x.dtype),
                           spec, rank_core.check_nan_policy(policy), 1, "input", None)
    return rank_core.choose(case).name


def test_kernel_choice_table(monkeypatch):
    """The first entry of ``KERNELS`` that applies runs, in the order of
    the core's docstring."""
    rng = np.random.default_rng(3)
    u8 = rng.integers(0, 255, (40, 40)).astype(np.uint8)
    noisy = rng.normal(0, 1, (40, 40)).astype(np.float32)
    few = np.round(noisy * 4)
    box = lambda h, w: np.ones((h, w), bool)  # noqa: E731
    assert _chosen(u8, box(31, 31), 480) == "box column histograms"
    assert _chosen(u8, box(15, 4), 30) == "box column histograms"
    assert _chosen(u8, box(14, 4), 28) == "sliding histogram"
    assert _chosen(noisy, box(3, 3), 4) == "straight-line networks"
    assert _chosen(u8.astype(np.int16), box(5, 5), 12, "omit") == "straight-line networks"
    assert _chosen(u8, box(5, 5), 3) == "comparator network"
    assert _chosen(noisy, box(7, 7), 24) == "comparator network"
    assert _chosen(u8.astype(np.uint16), box(9, 9), 40) == "sliding histogram"
    assert _chosen(few, box(9, 9), 40) == "value codes"
    assert _chosen(noisy, box(9, 9), 40) == "value codes"
    monkeypatch.setattr(rank_core, "CODES_MAX", 0)
    assert _chosen(few, box(9, 9), 40) == "sorted window"
    assert _chosen(noisy, box(3, 3), 4, "omit") == "gather + quickselect"
    assert [k.name for k in rank_core.KERNELS][-1] == "gather + quickselect"


# ------------------------------------------------- generated small kernels
def test_small_kernels_are_the_generated_ones():
    # fastimg/_rank/networks.py is written by tools/rank_networks.py
    import fastimg._rank.networks as mod
    from tools import rank_networks
    with open(mod.__file__) as f:
        assert f.read() == rank_networks.source(), "run: python tools/rank_networks.py"


# ---------------------------------------------------------------- NaN policy
def test_nan_policies():
    x = np.array([[1.0, np.nan, 3.0, 4.0, np.nan, np.nan, np.nan, 2.0]])
    fp = np.ones((1, 3), bool)
    assert_equal(N.median_filter(x, footprint=fp, mode="nearest"),
                 np.array([[1.0, 3.0, 4.0, 4.0, np.nan, np.nan, np.nan, 2.0]]))
    assert_equal(N.median_filter(x, footprint=fp, mode="nearest", nan_policy="propagate"),
                 np.array([[np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan]]))
    assert_equal(N.median_filter(x, footprint=fp, mode="nearest", nan_policy="omit"),
                 np.array([[1.0, 3.0, 4.0, 4.0, 4.0, np.nan, 2.0, 2.0]]))
    assert np.isnan(N.minimum_filter(x, 3, mode="nearest", nan_policy="omit")[0, 5])
    with pytest.raises(ValueError, match="nan_policy must be"):
        N.median_filter(x, 3, nan_policy="raise")


# -------------------------------------------------------------- edge cases
@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize("func", ["median_filter", "maximum_filter", "percentile_filter"])
def test_corpus_equal_scipy(name, func):
    x = CORPUS[name]
    if name in ("nan", "all-nan", "inf") and func != "maximum_filter":
        # NaN ranks are undefined in SciPy: the reference is the definition
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert_equal(getattr(N, func)(x, *((30,) if "perc" in func else ()), size=3),
                         getattr(R, func)(x, *((30,) if "perc" in func else ()), size=3))
        return
    args = (30,) if func == "percentile_filter" else ()
    if name in ("nan", "all-nan"):
        return
    same_outcome(lambda: getattr(N, func)(x, *args, size=3),
                 lambda: getattr(scipy_ndi, func)(x, *args, size=3))


def test_read_only_and_workers(photo):
    x = photo[:64, :64].copy()
    x.setflags(write=False)
    expected = scipy_ndi.median_filter(x, 7)
    for workers in (None, 1, -1):
        assert_equal(N.median_filter(x, 7, workers=workers), expected)
        assert_equal(N.median_filter(x.astype(np.float64), 7, workers=workers),
                     expected.astype(np.float64))


# ------------------------------------------------------------------ errors
ERRORS = [
    ("median_filter", (np.ones((5, 5)), 3), dict(mode="foo")),
    ("rank_filter", (np.ones((5, 5)), 9, 3), {}),
    ("rank_filter", (np.ones((5, 5)), -10, 3), {}),
    ("percentile_filter", (np.ones((5, 5)), 101, 3), {}),
    ("percentile_filter", (np.ones((5, 5)), -101, 3), {}),
    ("median_filter", (np.ones((5, 5)), 0), {}),
    ("median_filter", (np.ones((5, 5)),), dict(footprint=np.zeros((3, 3)))),
    ("minimum_filter", (np.ones((5, 5)),), dict(footprint=np.zeros((3, 3)))),
    ("median_filter", (np.ones((5, 5)), 3), dict(mode=["reflect", "wrap"])),
    ("median_filter", (np.ones((5, 5)), 3), dict(origin=2)),
    ("minimum_filter", (np.ones((5, 5)), 3), dict(origin=2)),
    ("maximum_filter", (np.ones((5, 5)),), dict(footprint=np.eye(3), origin=-2)),
    ("median_filter", (np.ones((5, 5)), (3, 3, 3)), {}),
    ("median_filter", (np.ones((5, 5)),), dict(footprint=np.ones(3))),
    ("median_filter", (np.ones((5, 5)),), {}),
    ("minimum_filter", (np.ones((5, 5)),), {}),
    ("median_filter", (np.ones((5, 5), np.float16), 3), {}),
    ("minimum_filter", (np.ones((5, 5), np.float16), 3), {}),
    ("median_filter", (np.ones((5, 5), complex), 3), {}),
    ("maximum_filter", (np.ones((5, 5), complex), 3), {}),
    ("median_filter", (np.ones((5, 5)), 3), dict(output=np.ones((4, 4)))),
    ("median_filter", (np.ones((5, 5)), 3), dict(axes=(0, 0))),
    ("maximum_filter", (np.ones((5, 5)),), dict(footprint=np.eye(3), mode=["wrap", "wrap"])),
    ("rank_filter", (np.ones((5, 5)), 1.5, 3), {}),
    ("median_filter", (np.ones((0, 5)), 3), {}),
    ("minimum_filter", (np.ones((0, 5)), 3), {}),
    ("median_filter", (np.ones(0), 3), {}),
    ("median_filter", (np.ones((5, 5), np.float16), 1), {}),
    ("minimum_filter", (np.ones((5, 5)), 0), {}),
    # SciPy's C code converts cval before the origin
    ("minimum_filter", (np.ones((5, 5)), 3), dict(origin=0.0, cval="a")),
    ("median_filter", (np.ones((5, 5)), 3), dict(cval="a")),
    ("maximum_filter", (np.ones((5, 5)),), dict(footprint=np.eye(3), cval="a")),
]


@pytest.mark.parametrize("func,args,kw", ERRORS)
def test_errors_like_scipy(func, args, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda: getattr(N, func)(*args, **kw),
                     lambda: getattr(scipy_ndi, func)(*args, **kw))


def test_size_and_footprint_warns():
    with pytest.warns(UserWarning, match="ignoring size because footprint is set"):
        N.median_filter(np.ones((5, 5)), size=3, footprint=np.ones((3, 3)))
    with pytest.warns(UserWarning, match="ignoring size because footprint is set"):
        N.minimum_filter(np.ones((5, 5)), size=3, footprint=np.ones((3, 3)))


# ------------------------------------------------------------------ memory
def test_memory_is_o_image_not_o_window():
    """An 80x80 median of a 512x512 uint8 image allocates the padded copy
    and nothing of window size per pixel (the benchmark measures 2048x2048)."""
    x = np.random.default_rng(0).integers(0, 255, (512, 512)).astype(np.uint8)
    N.median_filter(x[:64, :64], 80)  # compile first
    tracemalloc.start()
    out = N.median_filter(x, 80)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    padded = (512 + 79) ** 2
    window = 80 * 80 * 40   # offsets of the footprint cells and their temporaries
    threads = 2 * (256 + 79) * 272 * 2  # column histograms of a 256-wide stripe per block
    assert peak < out.nbytes + padded + window + threads + 100_000, peak


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "uint16"])
@pytest.mark.parametrize("cval", [1e10, -2.5, -70000.0, 300.0])
def test_oned_out_of_range_cval_like_scipy(dtype, cval):
    # SciPy's 1-D path ranks in int64 and copies with NumPy's cast (bool:
    # != 0), not a C cast of a double (x=[False], cval=1e10, grid-constant:
    # True in SciPy)
    x = np.array([0, 3, 1, 4, 2, 0, 1], dtype=dtype)
    for size in (1, 3, 5):
        kw = dict(size=size, mode="constant", cval=cval)
        expected = pytest.importorskip("scipy.ndimage").median_filter(x, **kw)
        np.testing.assert_array_equal(R.median_filter(x, **kw), expected, strict=True)
        np.testing.assert_array_equal(N.median_filter(x, **kw), expected, strict=True)


# ------------------------------------------------- SciPy's order with NaN, -0.0
def assert_same_bits(actual, expected):
    """Equal values and, for floats, equal signs of zero (NaN's sign aside)."""
    assert_equal(actual, expected)
    if expected.dtype.kind == "f":
        keep = ~np.isnan(expected)
        np.testing.assert_array_equal(np.signbit(actual[keep]), np.signbit(expected[keep]))


@st.composite
def unordered_images(draw):
    """Float images with NaN and both zeros in their windows."""
    nd = draw(st.sampled_from([1, 2, 3]))
    shape = tuple(draw(st.integers(1, 14 if nd < 3 else 6)) for _ in range(nd))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = np.round(rng.normal(0, 3, shape))
    for value, share in ((np.nan, draw(st.sampled_from([0.05, 0.3]))), (0.0, 0.15),
                         (-0.0, 0.15)):
        x[rng.random(shape) < share] = value
    return x.astype(draw(st.sampled_from(["float32", "float64"])))


@settings(max_examples=60)
@given(x=unordered_images(), data=st.data(),
       func=st.sampled_from(["minimum_filter", "maximum_filter", "grey_erosion",
                             "grey_dilation"]),
       mode=st.sampled_from(MODES), cval=st.sampled_from([0.0, -0.0, np.nan, 1.5]),
       output=st.sampled_from([None, "float32", "int16"]))
def test_nan_and_zeros_in_scipys_order(x, data, func, mode, cval, output):
    """Where NaN and -0.0 land is decided by SciPy's comparisons: its deque
    in separable passes (short windows, and long ones past the comparator
    networks), its running extreme from the first cell for footprints."""
    kw = data.draw(windows(x.ndim, max_size=12))
    kw.update(mode=mode, cval=cval, output=None if output is None else np.dtype(output))
    ours = outcome(lambda: getattr(N, func)(x, **kw))
    theirs = outcome(lambda: getattr(scipy_ndi, func)(x, **kw))
    if isinstance(theirs, Exception):
        assert type(ours) is type(theirs), (ours, theirs)
        return
    assert_same_bits(ours, theirs)
    if func.endswith("filter"):
        assert_same_bits(ours, getattr(R, func)(x, **kw))


# ---------------------------- integer min / max boxes in one sweep over the rows
SWEEP_DTYPES = ["uint8", "int8", "uint16", "int16", "uint32", "int32"]


def _sweep_cvals(info):
    lo, hi = int(info.min), int(info.max)
    return [0, 7, -3.7, 2.5, lo, hi, lo - 1, hi + 1, lo - 0.5, hi + 0.5, lo + 0.5,
            hi - 0.5, 1e20, -1e20, np.inf, -np.inf, np.nan]


@st.composite
def sweep_calls(draw):
    """Full boxes (``size`` or an all-True footprint, sizes 1-23 incl. even)
    on 1-D / 2-D integer images (some narrower than the box): origins,
    ``axes``, per-axis modes, ``cval`` at and beyond the dtype's limits
    (non-integer, infinite, NaN), ``output`` as None, a dtype, an array or
    a strided view, ``nan_policy``."""
    nd = draw(st.sampled_from([1, 2]))
    shape = tuple(draw(st.integers(1, 40)) for _ in range(nd))
    dtype = np.dtype(draw(st.sampled_from(SWEEP_DTYPES)))
    info = np.iinfo(dtype)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        x = rng.integers(info.min, info.max, shape, endpoint=True, dtype=np.int64)
    else:   # few values near one limit: the border's value often wins
        lim = int(draw(st.sampled_from([info.min, info.max])))
        x = np.clip(lim + rng.integers(-3, 4, shape), info.min, info.max)
    x = x.astype(dtype)
    axes = draw(st.sampled_from([None, (0,), (-1,)] + ([(1, 0), (1,)] if nd == 2 else [])))
    na = nd if axes is None else len(axes)
    size = [draw(st.integers(1, 23)) for _ in range(na)]
    kw = {"origin": [draw(st.integers(-(k // 2), (k - 1) // 2)) for k in size],
          "axes": axes}
    if draw(st.booleans()):
        kw["size"] = size if na > 1 or draw(st.booleans()) else size[0]
    else:
        kw["footprint"] = np.ones(size, bool)
    kw["mode"] = draw(st.sampled_from(MODES)) if draw(st.booleans()) else [
        draw(st.sampled_from(MODES)) for _ in range(na)]
    kw["cval"] = draw(st.sampled_from(_sweep_cvals(info)))
    out = draw(st.sampled_from([None, "dtype", "array", "strided", "int64"]))
    # (a NaN border under a NaN policy is that policy's, not SciPy's)
    policy = None if np.isnan(kw["cval"]) else draw(st.sampled_from([None, "propagate",
                                                                     "omit"]))
    return x, kw, out, policy


def _sweep_expected(x, kw, minimum):
    """Whether the call should take the sweep: a pass to run, and a border
    value the integer box can stand for (see fastimg._core.box.box_cval)."""
    na = x.ndim if kw["axes"] is None else len(kw["axes"])
    sizes = list(kw["footprint"].shape) if "footprint" in kw else (
        kw["size"] if np.iterable(kw["size"]) else [kw["size"]] * na)
    modes = kw["mode"] if not isinstance(kw["mode"], str) else [kw["mode"]] * na
    used = [m for k, m in zip(sizes, modes) if k > 1]
    if not used:
        return False
    if not any(m in ("constant", "grid-constant") for m in used):
        return True
    info, c = np.iinfo(x.dtype), kw["cval"]
    if np.isnan(c):
        return False
    if (minimum and c >= info.max) or (not minimum and c <= info.min):
        return True
    return bool(np.isfinite(c)) and info.min <= int(c) <= info.max


def _sweep_output(x, out):
    if out is None:
        return None
    if out == "dtype":
        return x.dtype
    if out == "int64":
        return np.zeros(x.shape, np.int64)
    if out == "array":
        return np.full(x.shape, 3, x.dtype)
    return np.full(x.shape + (2,), 3, x.dtype)[..., 0]


@settings(max_examples=250)
@given(call=sweep_calls(), name=st.sampled_from(["minimum_filter", "maximum_filter",
                                                  "rank_min", "rank_max"]))
def test_integer_min_max_boxes_in_one_sweep(call, name):
    from fastimg._rank import minmax
    x, kw, out, policy = call
    minimum = name in ("minimum_filter", "rank_min")
    if name.startswith("rank"):
        def f(mod, x, output, **k):
            return mod.rank_filter(x, 0 if minimum else -1, output=output, **k)
    else:
        def f(mod, x, output, **k):
            return getattr(mod, name)(x, output=output, **k)
    expected = f(scipy_ndi, x, _sweep_output(x, out), **kw)
    calls = []
    real = minmax.box_sweep

    def counted(*a, **k):
        calls.append(a)
        return real(*a, **k)
    into = _sweep_output(x, out)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(minmax, "box_sweep", counted)
        ours = f(N, x, into, nan_policy=policy, **kw)
    assert_equal(ours, expected)
    if isinstance(into, np.ndarray):
        assert ours is into
    if not name.startswith("rank") or isinstance(kw["mode"], str):
        # (the reference's rank path takes a single mode only)
        assert_equal(f(R, x, _sweep_output(x, out), **kw), expected)
    taken = _sweep_expected(x, kw, minimum) and out != "int64"
    assert len(calls) == int(taken), (taken, len(calls))


def test_integer_min_max_boxes_of_a_photograph_over_threads(photo):
    x = np.tile(photo, (3, 2)).astype(np.int16) * 97 - 12000
    for size in (3, 15, (2, 16), (31, 1)):
        for name in ("minimum_filter", "maximum_filter"):
            expected = getattr(scipy_ndi, name)(x, size, mode="mirror")
            for workers in (1, 2):
                assert_equal(getattr(N, name)(x, size, mode="mirror", workers=workers),
                             expected)


def test_integer_min_max_boxes_of_strided_swapped_and_shared_inputs():
    rng = np.random.default_rng(5)
    x = rng.integers(-300, 300, (23, 31)).astype(np.int16)
    for view in (x[::-1, ::2], x.T, x.astype(">i2"), x[5], x[:, 7]):
        for kw in ({"size": 4}, {"size": 16, "mode": "wrap"},
                   {"size": 3, "mode": "constant", "cval": -32768.9}):
            for name in ("minimum_filter", "maximum_filter"):
                assert_equal(getattr(N, name)(view, **kw), getattr(scipy_ndi, name)(view, **kw))
                # the output is the input (SciPy filters line by line, in place)
                ours, theirs = view.copy(), view.copy()
                getattr(N, name)(ours, output=ours, **kw)
                getattr(scipy_ndi, name)(theirs, output=theirs, **kw)
                assert_equal(ours, theirs)


@settings(max_examples=200)
@given(data=st.data(), dtype=st.sampled_from(SWEEP_DTYPES), minimum=st.booleans(),
       near=st.sampled_from(["lo", "hi", "zero"]),
       offset=st.sampled_from([-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5]))
def test_integer_min_max_boxes_border_values_near_the_data(data, dtype, minimum, near,
                                                           offset):
    """A constant border whose value is close to the data's (at the dtype's
    limits, beyond them, around zero): it often decides the result, so its
    rounding (truncation, as SciPy's C cast) and the limits stand out."""
    info = np.iinfo(dtype)
    base = {"lo": int(info.min), "hi": int(info.max), "zero": 0}[near]
    nd = data.draw(st.sampled_from([1, 2]))
    shape = tuple(data.draw(st.integers(1, 8)) for _ in range(nd))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = np.clip(base + rng.integers(-1, 2, shape), info.min, info.max).astype(dtype)
    size = [data.draw(st.integers(1, 9)) for _ in range(nd)]
    kw = {"size": size, "origin": [data.draw(st.integers(-(k // 2), (k - 1) // 2))
                                   for k in size],
          "mode": data.draw(st.sampled_from(["constant", "grid-constant"])),
          "cval": base + offset + data.draw(st.sampled_from([0, -1, 1]))}
    name = "minimum_filter" if minimum else "maximum_filter"
    expected = getattr(scipy_ndi, name)(x, **kw)
    assert_equal(getattr(N, name)(x, **kw), expected)
    assert_equal(getattr(R, name)(x, **kw), expected)


@pytest.mark.parametrize("dtype", SWEEP_DTYPES)
def test_integer_min_max_boxes_every_border_value_near_the_limits(dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(11)
    for base in (int(info.min), 0, int(info.max)):
        images = [np.clip(base + d, info.min, info.max).astype(dtype)
                  for d in (np.full(5, -1), np.zeros(5, int), np.ones(5, int),
                            rng.integers(-1, 2, (6, 7)))]
        for cval in base + np.arange(-2.0, 2.01, 0.25):
            for x in images:
                for name in ("minimum_filter", "maximum_filter"):
                    kw = {"size": 3, "mode": "constant", "cval": cval}
                    assert_equal(getattr(N, name)(x, **kw), getattr(scipy_ndi, name)(x, **kw))
