"""fastimg's correlation family (``scipy.ndimage`` correlate, convolve,
correlate1d, convolve1d) against the reference (the definition), the anchor
(SciPy 1.17), invariants, odd inputs and errors.

Tests that span families stay here when this family owns most of their
calls: the delta-kernel identity and convolve-vs-flipped-correlate
invariants (also checking ``convolve2d`` / ``correlate2d``), the FFT-path
tolerance test (also ``convolve2d``), constant / NaN / empty images, float16,
output arrays and in-place calls, and the error messages naming what was
received.  The ndimage error table is split by family (its separable rows are
in test_separable.py)."""

import numpy as np
import pytest
from conftest import assert_close, outcome
from helpers import BASIC, MODES, assert_same_outcome, photo_image
from hypothesis import given
from hypothesis import strategies as st
from strategies import IN_DTYPES, images, kernels, origins_for, outputs

from fastimg import filters as F
from fastimg import ndimage as N
from fastimg import signal as S
from reference import correlation as R


# ------------------------------------------------------------ vs reference
@given(data=st.data(), x=images(), mode=st.sampled_from(MODES),
       cval=st.sampled_from([0.0, 1.5, -7.0]), output=outputs,
       func=st.sampled_from(["correlate", "convolve"]))
def test_correlate_convolve_equal_reference(data, x, mode, cval, output, func):
    w = data.draw(kernels())
    origin = origins_for(data.draw, w.shape, allow_invalid=True)
    kw = dict(mode=mode, cval=cval, origin=origin, output=output)
    assert_same_outcome(lambda: getattr(N, func)(x, w, **kw),
                        lambda: getattr(R, func)(x, w, **kw))


@given(data=st.data(), x=images(dtypes=["float64", "complex128", "uint8"], max_side=6),
       mode=st.sampled_from(BASIC), func=st.sampled_from(["correlate", "convolve"]))
def test_correlate_complex_equal_reference(data, x, mode, func):
    w = data.draw(kernels(allow_complex=True, max_side=3))
    assert_same_outcome(lambda: getattr(N, func)(x, w, mode=mode),
                        lambda: getattr(R, func)(x, w, mode=mode))


@given(data=st.data(), shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
       dtype=st.sampled_from(IN_DTYPES), mode=st.sampled_from(BASIC))
def test_correlate_any_ndim_equal_reference(data, shape, dtype, mode):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = (rng.normal(0, 40, shape)).astype(dtype) if dtype[0] == "f" else \
        rng.integers(0, 200, shape).astype(dtype)
    w = rng.integers(-2, 3, [data.draw(st.integers(1, 3)) for _ in shape]) * 0.37
    origin = origins_for(data.draw, w.shape)
    assert_same_outcome(lambda: N.correlate(x, w, mode=mode, origin=origin),
                        lambda: R.correlate(x, w, mode=mode, origin=origin))


@given(data=st.data(), x=images(max_side=8), mode=st.sampled_from(BASIC),
       axis=st.sampled_from([0, 1, -1, (0,), (1, 0)]))
def test_correlate_axes_equal_reference(data, x, mode, axis):
    axes = (axis,) if isinstance(axis, int) else axis
    w = data.draw(kernels(ndim=len(axes), max_side=4))
    assert_same_outcome(lambda: N.correlate(x, w, mode=mode, axes=axis),
                        lambda: R.correlate(x, w, mode=mode, axes=axis))


@given(data=st.data(), x=images(), mode=st.sampled_from(MODES),
       cval=st.sampled_from([0.0, 2.5]), output=outputs, axis=st.integers(-2, 1),
       func=st.sampled_from(["correlate1d", "convolve1d"]))
def test_correlate1d_equal_reference(data, x, mode, cval, output, axis, func):
    w = data.draw(kernels(ndim=1, max_side=7))
    (origin,) = origins_for(data.draw, w.shape, allow_invalid=True)
    kw = dict(axis=axis, mode=mode, cval=cval, origin=origin, output=output)
    assert_same_outcome(lambda: getattr(N, func)(x, w, **kw),
                        lambda: getattr(R, func)(x, w, **kw))


# ------------------------------------------------------------ invariants
@given(x=images(dtypes=["uint8", "float32", "float64"]), mode=st.sampled_from(BASIC),
       k=st.integers(1, 5), data=st.data())
def test_delta_kernel_is_identity(x, mode, k, data):
    shape = (k, data.draw(st.integers(1, 5)))
    w = np.zeros(shape)
    w[shape[0] // 2, shape[1] // 2] = 1.0
    # n-D path: zero weights are skipped, so even inf/NaN pass through
    np.testing.assert_array_equal(N.correlate(x, w, mode=mode), x)
    ident = np.zeros((1, 1), x.dtype)
    ident[0, 0] = 1
    assert_close(S.convolve2d(x, ident, "same"), x.astype(np.result_type(x, ident)), "direct")
    # 1-D path multiplies every tap (0 * inf is NaN there, as in SciPy)
    finite = np.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0)
    np.testing.assert_array_equal(N.correlate1d(finite, w[:, shape[1] // 2], axis=0, mode=mode),
                                  finite)


@given(x=images(dtypes=["float64"], special=False), data=st.data(), mode=st.sampled_from(BASIC))
def test_convolve_is_correlate_with_flipped_kernel(x, data, mode):
    w = data.draw(kernels(max_side=5))
    origin = [(-1 if s % 2 == 0 else 0) for s in w.shape]  # convolve's centre rule
    np.testing.assert_array_equal(N.convolve(x, w, mode=mode),
                                  N.correlate(x, w[::-1, ::-1], mode=mode, origin=origin))
    # signal sums in the anchor's term order, which differs between the two
    np.testing.assert_allclose(S.convolve2d(x, w, "full"), S.correlate2d(x, w[::-1, ::-1], "full"),
                               rtol=1e-12, atol=1e-12 * max(1.0, np.abs(x).max()) * w.size)


@given(x=images(dtypes=["float64"], special=False), y=st.integers(0, 2**32 - 1),
       mode=st.sampled_from(BASIC), data=st.data())
def test_linearity(x, y, mode, data):
    w = data.draw(kernels(max_side=4))
    z = np.random.default_rng(y).normal(0, 10, x.shape)
    lhs = N.correlate(2.0 * x + 3.0 * z, w, mode=mode)
    rhs = 2.0 * N.correlate(x, w, mode=mode) + 3.0 * N.correlate(z, w, mode=mode)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-9, atol=1e-9 * max(1.0, np.abs(lhs).max()))


# ------------------------------------------------------------ anchor parity
scipy_ndi = pytest.importorskip("scipy.ndimage")
scipy_signal = pytest.importorskip("scipy.signal")


@pytest.fixture(scope="module")
def photo():
    return photo_image()


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
@pytest.mark.parametrize("case", [
    ("correlate", lambda m, x: m.correlate(x, np.arange(9.0).reshape(3, 3) - 4)),
    ("correlate1d", lambda m, x: m.correlate1d(x, [1, 3, -2, 5], axis=0, origin=-1)),
    ("convolve-3d", lambda m, x: m.convolve(np.stack([x, x[::-1]]), np.ones((2, 3, 3)) / 18)),
])
def test_ndimage_parity_on_photo(photo, dtype, case):
    x = photo.astype(dtype)
    assert_close(case[1](N, x), case[1](scipy_ndi, x), "direct")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_large_kernel_fft_path_within_tolerance(photo, dtype):
    x = photo.astype(dtype)
    w = np.random.default_rng(3).random((15, 15))
    case = "fft-" + dtype
    assert_close(N.correlate(x, w), scipy_ndi.correlate(x, w), case)
    assert_close(N.convolve(x, w, mode="wrap"), scipy_ndi.convolve(x, w, mode="wrap"), case)
    # an integer output keeps the exact direct path
    assert_close(N.correlate(photo, w), scipy_ndi.correlate(photo, w), "direct")
    k = w.astype(dtype)
    assert_close(S.convolve2d(x, k, "same", "symm"), scipy_signal.convolve2d(x, k, "same", "symm"),
                 case)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("mode", BASIC)
def test_rank_one_kernel_two_pass_path_within_tolerance(photo, dtype, mode):
    x = photo.astype(dtype)
    rng = np.random.default_rng(5)
    w = np.outer(rng.random(7) - 0.3, rng.random(5))
    case = "separable-" + dtype
    for origin in ((0, 0), (2, -1)):
        assert_close(N.correlate(x, w, mode=mode, origin=origin),
                     scipy_ndi.correlate(x, w, mode=mode, origin=origin), case)
        assert_close(N.convolve(x, w, mode=mode, origin=origin),
                     scipy_ndi.convolve(x, w, mode=mode, origin=origin), case)
    # non-finite inputs keep the direct sum (SciPy skips zero taps; 0 * inf)
    y = x.copy()
    y[10, 10] = np.inf
    y[50, 60] = np.nan
    assert_close(N.correlate(y, w, mode=mode), scipy_ndi.correlate(y, w, mode=mode), "direct")
    # non-zero cval with 'constant' does not commute with a 1-D pass: direct
    assert_close(N.correlate(x, w, mode="constant", cval=3.0),
                 scipy_ndi.correlate(x, w, mode="constant", cval=3.0), "direct")
    # integer outputs (truncation) always take the exact direct sum
    assert_close(N.correlate(photo, w * 3), scipy_ndi.correlate(photo, w * 3), "direct")


# ------------------------------------------------------------ odd inputs
def test_constant_nan_and_empty_images():
    const = np.full((6, 5), 7.0)
    np.testing.assert_array_equal(N.gaussian_filter(const, 2), scipy_ndi.gaussian_filter(const, 2))
    nan = np.ones((5, 5))
    nan[2, 2] = np.nan
    for f in (lambda m: m.correlate(nan, np.ones((3, 3))),
              lambda m: m.gaussian_filter(nan, 1),
              lambda m: m.correlate(nan, np.ones((3, 3)), output=np.int32)):
        assert_close(f(N), f(scipy_ndi), "direct")
    empty = np.zeros((0, 4))
    assert N.correlate(empty, np.ones((3, 3))).shape == (0, 4)
    assert N.gaussian_filter(empty, 1).shape == (0, 4)
    assert_close(S.convolve2d(np.zeros((0, 2)), np.ones((2, 2))),
                 scipy_signal.convolve2d(np.zeros((0, 2)), np.ones((2, 2))), "direct")
    assert_close(N.correlate(np.array(5.0), np.array(2.0)), scipy_ndi.correlate(np.array(5.0), np.array(2.0)),
                 "direct")


def test_float16_like_the_anchors():
    x = np.ones((4, 4), np.float16)
    assert_same_outcome(lambda: N.correlate(x, np.ones((3, 3))),
                        lambda: scipy_ndi.correlate(x, np.ones((3, 3))))
    assert_same_outcome(lambda: N.gaussian_filter(x, 1), lambda: scipy_ndi.gaussian_filter(x, 1))
    assert F.gaussian(x, 1).dtype == np.float32  # skimage promotes float16


def test_output_array_views_and_in_place():
    x = np.random.default_rng(1).random((8, 9))
    out = np.zeros((9, 8)).T  # a non-contiguous output array
    res = N.correlate(x, np.ones((3, 3)), output=out)
    assert res is out
    np.testing.assert_array_equal(out, scipy_ndi.correlate(x, np.ones((3, 3))))
    for f in ("correlate", "correlate1d_0", "sobel", "uniform_filter", "gaussian_filter"):
        a, b = x.copy(), x.copy()
        call = {
            "correlate": lambda m, y: m.correlate(y, np.ones((3, 2)), output=y),
            "correlate1d_0": lambda m, y: m.correlate1d(y, [1, 2, 3], axis=0, output=y),
            "sobel": lambda m, y: m.sobel(y, output=y),
            "uniform_filter": lambda m, y: m.uniform_filter(y, 4, output=y),
            "gaussian_filter": lambda m, y: m.gaussian_filter(y, 1, output=y),
        }[f]
        call(N, a)
        call(scipy_ndi, b)
        np.testing.assert_array_equal(a, b, err_msg=f)


# ------------------------------------------------------------ errors
ERROR_CALLS = [
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), origin=2),
    lambda m: m.convolve(np.ones((3, 3)), np.ones((2, 2)), origin=1),
    lambda m: m.correlate(np.ones((3, 3)), np.ones(3)),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), mode="bogus"),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), mode=["wrap", "wrap"]),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), axes=(0, 0)),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), axes=(5,)),
    lambda m: m.correlate(np.ones((3, 3), object), np.ones((3, 3))),
    lambda m: m.correlate1d(np.ones((3, 3)), [], axis=0),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], origin=-2),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], axis=3),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], output=np.complex128),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], output="bool"),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], output=np.ones((2, 3))),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), cval=1j),
]


@pytest.mark.parametrize("call", ERROR_CALLS)
def test_ndimage_error_paths_match_scipy(call):
    expected = outcome(lambda: call(scipy_ndi))
    assert isinstance(expected, Exception)
    assert_same_outcome(lambda: call(N), lambda: call(scipy_ndi))


def test_error_messages_say_what_was_received():
    with pytest.raises(RuntimeError, match="boundary mode not supported.*'bogus'"):
        N.correlate(np.ones((3, 3)), np.ones((3, 3)), mode="bogus")
    with pytest.raises(ValueError, match="Invalid origin.*origin=2"):
        N.correlate1d(np.ones(5), [1, 2, 3], origin=2)
    with pytest.raises(ValueError, match="Acceptable mode flags.*'bad'"):
        S.convolve2d(np.ones((3, 3)), np.ones((2, 2)), "bad")


@given(st.integers(0, 25), st.sampled_from(["float32", "float64", "uint8"]),
       st.sampled_from(["reflect", "constant", "wrap"]), st.sampled_from([1, 2]))
def test_correlate_every_tap_count_equals_scipy(taps, dtype, mode, workers):
    # up to 9 non-zero taps run in corr2d's one pass (padded with -0.0
    # taps), more in corr3d's groups (a first group of up to eight from 0.0,
    # then eights, fours and a last one to three): every count of a 5x5
    # kernel, zeros of either sign kept as SciPy keeps them
    import scipy.ndimage as ndi
    rng = np.random.default_rng(taps)
    w = np.zeros(25)
    w[rng.permutation(25)[:taps]] = rng.normal(size=taps)
    w = w.reshape(5, 5)
    x = (rng.random((19, 37)) * 200 - 20).astype(dtype)
    x.flat[::5] = -0.0 if dtype[0] == "f" else 0
    got = N.correlate(x, w, mode=mode, cval=-1.5, workers=workers)
    want = ndi.correlate(x, w, mode=mode, cval=-1.5)
    np.testing.assert_array_equal(got, want, strict=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))


@given(st.data(), st.sampled_from(["uint8", "uint16", "int16", "float32", "float64", "bool"]),
       st.sampled_from(MODES), st.sampled_from([None, "float32", "float64", "uint8", "int16",
                                                "int32", "uint16"]),
       st.sampled_from([0.0, -0.0, 2.5, float("nan"), float("-inf")]), st.booleans())
def test_small_kernel_one_pass_equals_scipy_and_reference(data, dtype, mode, output, cval, planes):
    # corr2d: kernels one plane deep with at most nine non-zero taps, summed
    # in one pass from a ring of converted rows (padding taps add -0.0);
    # images narrower or shorter than the kernel, every origin, NaN, inf and
    # -0.0 in the input and the weights
    import scipy.ndimage as ndi
    kh, kw = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4))
    shape = (data.draw(st.integers(1, 7)), data.draw(st.integers(1, 9)))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    w = rng.integers(-3, 4, (kh, kw)) * data.draw(st.sampled_from([1.0, 0.37, 1 / 3]))
    w[rng.random((kh, kw)) < 0.3] = -0.0
    w.flat[rng.permutation(kh * kw)[9:]] = 0.0
    x = rng.normal(0, 60, ((3,) if planes else ()) + shape)
    if dtype[0] == "f":
        x[rng.random(x.shape) < 0.1] = np.nan
        x[rng.random(x.shape) < 0.1] = np.inf
        x[rng.random(x.shape) < 0.1] = -np.inf
        x[rng.random(x.shape) < 0.2] = -0.0
    x = x.astype(dtype) if dtype != "bool" else x > 0
    if planes:
        w = w[None]
    origin = [data.draw(st.integers(-(k // 2), (k - 1) // 2)) for k in w.shape]
    kwargs = dict(mode=mode, cval=cval, origin=origin, output=output)
    want = ndi.correlate(x, w, **kwargs)
    got = N.correlate(x, w, workers=data.draw(st.sampled_from([1, 2])), **kwargs)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
    with np.errstate(invalid="ignore"):   # inf - inf in the reference's sums
        ref = R.correlate(x, w, **kwargs)
    assert ref.dtype == got.dtype and ref.tobytes() == got.tobytes()
