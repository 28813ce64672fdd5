"""fastimg's separable family (``scipy.ndimage`` gaussian_filter[1d],
uniform_filter[1d], sobel, prewitt) against the reference (the definition),
the anchor (SciPy 1.17), odd inputs and errors.

The edge-case corpus (layouts and byte orders) lives here: most of its calls
are this family's; it also runs ``correlate``, ``correlate1d`` and
``convolve2d`` on the same inputs.  The ndimage error table is split by
family (its correlation rows are in test_correlation.py)."""

import numpy as np
import pytest
from conftest import assert_close, outcome
from helpers import BASIC, assert_same_outcome, photo_image
from hypothesis import given
from hypothesis import strategies as st
from strategies import IN_DTYPES, images, outputs

from fastimg import ndimage as N
from fastimg import signal as S
from reference import separable as R


# ------------------------------------------------------------ vs reference
@given(x=images(dtypes=IN_DTYPES + ["complex128"]), output=outputs,
       sigma=st.sampled_from([0.0, 0.4, 1.0, 2.3, (1.0, 0.0), (0.7, 1.6)]),
       order=st.sampled_from([0, 1, 2, (0, 1)]), mode=st.sampled_from(BASIC),
       truncate=st.sampled_from([4.0, 1.5]), radius=st.sampled_from([None, 0, 2]))
def test_gaussian_filter_equal_reference(x, output, sigma, order, mode, truncate, radius):
    kw = dict(order=order, output=output, mode=mode, cval=1.25, truncate=truncate,
              radius=radius)
    assert_same_outcome(lambda: N.gaussian_filter(x, sigma, **kw),
                        lambda: R.gaussian_filter(x, sigma, **kw))


@given(x=images(), sigma=st.sampled_from([0.3, 1.0, 2.2]), axis=st.integers(-2, 1),
       order=st.integers(0, 2), output=outputs, mode=st.sampled_from(BASIC))
def test_gaussian_filter1d_equal_reference(x, sigma, axis, order, output, mode):
    kw = dict(axis=axis, order=order, output=output, mode=mode)
    assert_same_outcome(lambda: N.gaussian_filter1d(x, sigma, **kw),
                        lambda: R.gaussian_filter1d(x, sigma, **kw))


@given(data=st.data(), x=images(dtypes=IN_DTYPES + ["complex128"]), output=outputs,
       size=st.sampled_from([1, 2, 3, 4, (3, 1), (2, 5)]), mode=st.sampled_from(BASIC))
def test_uniform_filter_equal_reference(data, x, output, size, mode):
    sizes = size if isinstance(size, tuple) else (size, size)
    origin = [data.draw(st.integers(-(s // 2), (s - 1) // 2)) for s in sizes]
    kw = dict(output=output, mode=mode, cval=0.5, origin=origin)
    assert_same_outcome(lambda: N.uniform_filter(x, size, **kw),
                        lambda: R.uniform_filter(x, size, **kw))


@given(data=st.data(), x=images(), size=st.integers(1, 6), axis=st.integers(-2, 1),
       output=outputs, mode=st.sampled_from(BASIC))
def test_uniform_filter1d_equal_reference(data, x, size, axis, output, mode):
    origin = data.draw(st.integers(-(size // 2) - 1, (size - 1) // 2 + 1))
    kw = dict(axis=axis, output=output, mode=mode, origin=origin)
    assert_same_outcome(lambda: N.uniform_filter1d(x, size, **kw),
                        lambda: R.uniform_filter1d(x, size, **kw))


@given(x=images(dtypes=IN_DTYPES + ["bool"]), axis=st.integers(-2, 1), output=outputs,
       mode=st.sampled_from(BASIC + [("wrap", "constant")]),
       func=st.sampled_from(["sobel", "prewitt"]))
def test_sobel_prewitt_equal_reference(x, axis, output, mode, func):
    kw = dict(axis=axis, output=output, mode=mode, cval=3.0)
    assert_same_outcome(lambda: getattr(N, func)(x, **kw),
                        lambda: getattr(R, func)(x, **kw))


# ------------------------------------------------------------ anchor parity
scipy_ndi = pytest.importorskip("scipy.ndimage")
scipy_signal = pytest.importorskip("scipy.signal")


@pytest.fixture(scope="module")
def photo():
    return photo_image()


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
@pytest.mark.parametrize("case", [
    ("gaussian_filter", lambda m, x: m.gaussian_filter(x, 2.0)),
    ("gaussian_filter-order", lambda m, x: m.gaussian_filter(x.astype(float), 1.5, order=(1, 0))),
    ("uniform_filter", lambda m, x: m.uniform_filter(x, 5, mode="wrap")),
    ("sobel", lambda m, x: m.sobel(x, axis=0, mode="nearest")),
    ("prewitt", lambda m, x: m.prewitt(x, mode="constant", cval=7)),
])
def test_ndimage_parity_on_photo(photo, dtype, case):
    x = photo.astype(dtype)
    assert_close(case[1](N, x), case[1](scipy_ndi, x), "direct")


# ------------------------------------------------------------ odd inputs
def _variants(x):
    """The edge-case corpus: layouts and byte orders the anchors accept."""
    yield "c", x
    yield "fortran", np.asfortranarray(x)
    yield "strided", np.repeat(np.repeat(x, 2, 0), 2, 1)[::2, ::2]
    yield "negative-strides", x[::-1, ::-1].copy()[::-1, ::-1]
    be = x.astype(x.dtype.newbyteorder(">"))
    yield "big-endian", be
    ro = x.copy()
    ro.flags.writeable = False
    yield "read-only", ro


@pytest.mark.parametrize("shape", [(1, 9), (9, 1), (1, 1), (5, 7)])
@pytest.mark.parametrize("dtype", ["uint8", "int16", "float32", "float64"])
def test_edge_case_corpus(shape, dtype):
    rng = np.random.default_rng(0)
    base = (rng.random(shape) * 100).astype(dtype)
    calls = [
        lambda m, x: m.correlate(x, [[1, 2], [3, 4.5]], mode="mirror"),
        lambda m, x: m.gaussian_filter(x, 1.2),
        lambda m, x: m.uniform_filter(x, 3, mode="constant", cval=4),
        lambda m, x: m.sobel(x),
        lambda m, x: m.correlate1d(x, [1, -2, 1], axis=0, mode="wrap"),
    ]
    for name, x in _variants(base):
        for call in calls:
            assert_close(call(N, x), call(scipy_ndi, x).astype(call(N, x).dtype), "direct")
        if dtype != "int16":
            k = np.array([[1, 2, 0], [0, 1, 3]], dtype=dtype)
            assert_close(S.convolve2d(x, k, "same", "symm"),
                         scipy_signal.convolve2d(x, k, "same", "symm"), "direct")


# ------------------------------------------------------------ errors
ERROR_CALLS = [
    lambda m: m.uniform_filter1d(np.ones((3, 3)), 0),
    lambda m: m.uniform_filter1d(np.ones((3, 3)), 3, origin=2),
    lambda m: m.uniform_filter(np.ones((3, 3)), (3, 3, 3)),
    lambda m: m.gaussian_filter1d(np.ones((3, 3)), 1.0, radius=-1),
    lambda m: m.gaussian_filter1d(np.ones((3, 3)), 1.0, order=-1),
    lambda m: m.gaussian_filter(np.ones((3, 3)), [1.0, 1.0, 1.0]),
    lambda m: m.sobel(np.ones((3, 3)), axis=2),
    lambda m: m.prewitt(np.ones((3, 3)), mode="nope"),
]


@pytest.mark.parametrize("call", ERROR_CALLS)
def test_ndimage_error_paths_match_scipy(call):
    expected = outcome(lambda: call(scipy_ndi))
    assert isinstance(expected, Exception)
    assert_same_outcome(lambda: call(N), lambda: call(scipy_ndi))


# -------------------------------------- the fused pair of passes (pair_kernels)
@given(x=images(dtypes=IN_DTYPES + ["int16", "int8"], max_side=14), output=outputs,
       data=st.data(), stack=st.booleans())
def test_fused_pair_equals_the_chained_passes(x, output, data, stack):
    """Two passes over the last two axes run as one sweep (sobel, prewitt):
    the same bits as the passes one after another (both orders, per-axis
    modes, a stack of planes, in place), and as SciPy."""
    import scipy.ndimage as sn

    from fastimg._core import passes
    modes = [data.draw(st.sampled_from(BASIC)) for _ in range(2)]
    if stack:
        x = np.stack([x, x[::-1]])
    f, args, kw = data.draw(st.sampled_from([
        ("sobel", (-1,), {}), ("sobel", (-2,), {}), ("prewitt", (-1,), {}),
        ("prewitt", (-2,), {})]))
    modes = ["reflect"] * (x.ndim - 2) + modes
    kw.update(mode=modes, cval=2.5, output=output)
    fused = outcome(lambda: getattr(N, f)(x, *args, **kw))
    saved = passes._pair
    passes._pair = lambda *a: None      # the chain: one pass after the other
    try:
        chained = outcome(lambda: getattr(N, f)(x, *args, **kw))
    finally:
        passes._pair = saved
    assert type(chained) is type(fused)
    if isinstance(fused, np.ndarray):
        np.testing.assert_array_equal(fused, chained, strict=True)
        np.testing.assert_array_equal(fused, getattr(sn, f)(x, *args, **kw), strict=True)
    if x.dtype.kind == "f" and output is None:     # in place, as SciPy allows
        y = x.copy()
        getattr(N, f)(y, *args, **dict(kw, output=y))
        np.testing.assert_array_equal(y, fused, strict=True)


@given(st.integers(1, 15), st.sampled_from(["float32", "float64", "uint8", "int16"]),
       st.sampled_from(["reflect", "constant", "nearest", "mirror", "wrap"]),
       st.integers(-1, 1), st.floats(0.3, 3.0))
def test_passes_along_a_middle_axis_over_few_channels_equal_scipy(channels, dtype, mode,
                                                                 origin, sigma):
    # fewer than passes.NARROW elements after the axis: the line-by-line
    # kernel (colour images), which must give the row-ring kernel's bits
    import scipy.ndimage as ndi
    rng = np.random.default_rng(channels)
    x = (rng.random((9, 23, channels)) * 200).astype(dtype)
    w = np.array([0.25, 1.5, -0.5])
    assert_same_outcome(lambda: N.correlate1d(x, w, axis=1, mode=mode, origin=origin, cval=3),
                        lambda: ndi.correlate1d(x, w, axis=1, mode=mode, origin=origin, cval=3))
    assert_same_outcome(lambda: N.gaussian_filter(x, (0, sigma, 0), mode=mode),
                        lambda: ndi.gaussian_filter(x, (0, sigma, 0), mode=mode))


@given(st.sampled_from(["float32", "float64", "uint8", "int16"]),
       st.sampled_from([(23, 1), (40, 17), (18, 255), (33, 257), (2, 21, 300)]),
       st.integers(0, 20), st.sampled_from(["reflect", "constant", "nearest", "mirror", "wrap"]),
       st.sampled_from([None, "float64", "int16"]), st.sampled_from([1, 2]), st.booleans())
def test_gaussian_one_sweep_equals_scipy(dtype, shape, radius, mode, out_dtype, workers,
                                        in_place):
    # the one-sweep kernel (fused_kernels.gauss_vh): every radius (groups of
    # eight, four and single tap pairs), strips of columns and blocks of rows
    # at their edges, stacks of images, constant rows in reach, other output
    # types and in-place output, against SciPy bit for bit
    import scipy.ndimage as ndi
    rng = np.random.default_rng(radius)
    x = (rng.random(shape) * 300 - 40).astype(dtype)
    x.flat[::7] = -0.0 if dtype[0] == "f" else 0
    kw = dict(mode=mode, cval=-2.5, radius=radius)
    if in_place and out_dtype is None:
        got, want = x.copy(), x.copy()
        N.gaussian_filter(got, 1.7, output=got, workers=workers, **kw)
        ndi.gaussian_filter(want, 1.7, output=want, **kw)
    else:
        got = N.gaussian_filter(x, 1.7, output=out_dtype, workers=workers, **kw)
        want = ndi.gaussian_filter(x, 1.7, output=out_dtype, **kw)
    np.testing.assert_array_equal(got, want, strict=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("shape", [(45, 260), (3, 37, 19)])
def test_gaussian_one_sweep_blocks_equal_scipy(monkeypatch, shape):
    # blocks of (plane, row) items split anywhere (a block may start mid
    # plane and mid ROWS block): every call splits, on 2 threads
    import scipy.ndimage as ndi

    from fastimg._core import dispatch
    monkeypatch.setattr(dispatch, "SMALL", 1)
    monkeypatch.setattr(dispatch, "PARALLEL_NS", 0)
    x = (np.random.default_rng(1).random(shape) * 9).astype(np.float32)
    sigma = (0.0,) * (x.ndim - 2) + (2.0, 2.0)     # a stack: the last two axes
    for mode in ("reflect", "constant"):
        np.testing.assert_array_equal(N.gaussian_filter(x, sigma, mode=mode, workers=2),
                                      ndi.gaussian_filter(x, sigma, mode=mode), strict=True)


@given(st.sampled_from(["float32", "float64", "uint8", "int16", "uint16", "int32", "uint32",
                        "int64"]),
       st.integers(1, 40), st.integers(1, 70),
       st.sampled_from(["reflect", "constant", "nearest", "mirror", "wrap"]),
       st.sampled_from([None, "float32", "uint8", "float64"]), st.booleans())
def test_gaussian_one_sweep_sign_bits(dtype, rows, cols, mode, out_dtype, specials):
    # sigma 2 (the one sweep's 17-tap loops) with NaN, infinities and -0.0
    # in reach: values and sign bits, NaN's included (LLVM may commute an
    # addition, which changes which NaN an add of two NaNs returns)
    import scipy.ndimage as ndi
    rng = np.random.default_rng(rows * 100 + cols)
    v = rng.random((rows, cols)) * 100
    x = (v if dtype[0] == "u" else v - 20).astype(dtype)
    if specials and dtype[0] == "f":
        x.flat[::5] = np.nan
        x.flat[1::7] = np.inf
        x.flat[2::11] = -np.inf
        x.flat[3::13] = -0.0
    kw = dict(mode=mode, cval=-2.5, output=out_dtype)
    got = N.gaussian_filter(x, 2.0, **kw)
    ref = ndi.gaussian_filter(x, 2.0, **kw)
    np.testing.assert_array_equal(got, ref, strict=True)
    np.testing.assert_array_equal(got, R.gaussian_filter(x, 2.0, **kw), strict=True)
    if ref.dtype.kind == "f":
        assert np.array_equal(np.signbit(got), np.signbit(ref))


@pytest.mark.parametrize("radius", [3, 4, 7, 8, 9, 12, 13])
@pytest.mark.parametrize("shape", [(17, 33), (16, 300), (35, 257), (2, 19, 40)])
def test_gaussian_one_sweep_every_group(radius, shape):
    # the column pass's loop shapes (a first group of eight, or the centre
    # only, then fours and single pairs) on blocks of even and odd row
    # counts, strips and stacks: serial and on 2 threads with every call
    # split (blocks start mid plane)
    import scipy.ndimage as ndi

    from fastimg._core import dispatch
    x = (np.random.default_rng(radius).random(shape) * 50 - 10).astype(np.float32)
    sigma = (0.0,) * (x.ndim - 2) + (1.3, 1.3)
    want = ndi.gaussian_filter(x, sigma, radius=radius, mode="mirror")
    np.testing.assert_array_equal(N.gaussian_filter(x, sigma, radius=radius, mode="mirror",
                                                    workers=1), want, strict=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dispatch, "SMALL", 1)
        mp.setattr(dispatch, "PARALLEL_NS", 0)
        np.testing.assert_array_equal(N.gaussian_filter(x, sigma, radius=radius, mode="mirror",
                                                        workers=2), want, strict=True)
