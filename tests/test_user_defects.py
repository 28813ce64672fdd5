"""Regression tests for the defects found by probing fastimg as a user
would: each failed on the code before its fix."""
import numpy as np
import pytest
import scipy.ndimage as sn
import scipy.signal as ss
import skimage.filters as skf
from conftest import assert_same_outcome

from fastimg import filters as F
from fastimg import ndimage as N
from fastimg import signal as S

X = np.random.default_rng(0).random((32, 32))


@pytest.mark.parametrize("func", ["convolve2d", "correlate2d"])
@pytest.mark.parametrize("kshape", [(0, 3), (3, 0), (0, 0)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_empty_kernel_axis_gives_zeros_like_scipy(func, kshape, mode):
    # the kernels were called with border maps of negative length: heap
    # corruption ("free(): corrupted unsorted chunks") after a few calls
    x = np.ones((16, 16))
    for _ in range(20):
        ours = getattr(S, func)(x, np.zeros(kshape), mode)
    theirs = getattr(ss, func)(x, np.zeros(kshape), mode)
    np.testing.assert_array_equal(ours, theirs, strict=True)


@pytest.mark.parametrize("axis", [-1, -2, (0, -1), (-1, -2), 1, (1, 0)])
def test_skimage_sobel_negative_axes(axis):
    # skimage removes the edge axis as given: a negative one is smoothed too
    np.testing.assert_array_equal(F.sobel(X, axis=axis), skf.sobel(X, axis=axis))


RO = np.zeros_like(X)
RO.flags.writeable = False

SCIPY_ERRORS = [
    ("uniform_filter", (X, 3), dict(origin=1.5)),
    ("uniform_filter", (X, 3), dict(origin=0.5)),
    ("uniform_filter1d", (X, 3), dict(origin=1.5)),
    ("correlate", (X, np.ones((3, 3))), dict(origin=1.5)),
    ("correlate", (X, np.ones((3, 3))), dict(origin=0.5)),
    ("correlate1d", (X, [1.0, 2.0, 3.0]), dict(origin=0.5)),
    ("correlate", (X, np.ones((3, 3))), dict(cval="1", mode="constant")),
    ("gaussian_filter", (X, 1.0), dict(cval="1", mode="constant")),
    ("correlate", (X, np.ones((3, 3))), dict(output=RO)),
    ("gaussian_filter", (X, 1.0), dict(output=RO)),
    ("uniform_filter", (X, 3), dict(output=RO)),
    ("correlate1d", (X, [1.0, 2.0]), dict(output=RO)),
    ("sobel", (X, 0), dict(output=RO)),
]


@pytest.mark.parametrize("name,args,kw", SCIPY_ERRORS)
def test_rejected_like_scipy(name, args, kw):
    # each was accepted with a made-up result, or raised another exception
    # or message than SciPy's
    assert_same_outcome(lambda: getattr(N, name)(*args, **kw),
                        lambda: getattr(sn, name)(*args, **kw),
                        lambda a, b: np.testing.assert_array_equal(a, b))
    with pytest.raises(Exception, match="got"):   # plus what was received
        getattr(N, name)(*args, **kw)


def test_fillvalue_array_of_one_element_like_scipy():
    # SciPy 1.17 accepts a one-element array (the report did not
    # reproduce here); fastimg gives the same result
    a = ss.convolve2d(X, np.ones((3, 3)), fillvalue=np.array([3.0]))
    np.testing.assert_array_equal(S.convolve2d(X, np.ones((3, 3)),
                                               fillvalue=np.array([3.0])), a)


@pytest.mark.parametrize("k", [9, 15, 30, 60])
def test_tutorial_box_blur_gives_scipys_uint8_pixels(k):
    # float kernels of 64 taps and more silently took the FFT path: 4,308
    # pixels differed by one for k = 9 on an RGB photograph
    from skimage import data
    rgb = data.astronaut()[::2, ::2]
    for c in range(3):
        ch = rgb[..., c].astype(float)
        box = np.ones((k, k)) / k ** 2
        ours = S.convolve2d(ch, box, mode="same", boundary="symm").astype("uint8")
        theirs = ss.convolve2d(ch, box, mode="same", boundary="symm").astype("uint8")
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("k", [4, 9, 13])
def test_default_correlate_is_exact_for_large_and_rank_one_kernels(k):
    rng = np.random.default_rng(k)
    x = rng.random((80, 90))
    for w in (rng.random((k, k)), np.outer(rng.random(k), rng.random(k))):
        ours = N.correlate(x, w)
        theirs = sn.correlate(x, w)
        np.testing.assert_array_equal(ours, theirs)
        np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))


def test_opt_in_methods_and_their_errors():
    x = np.random.default_rng(3).random((70, 70))
    w = np.random.default_rng(4).random((13, 13))
    ref = sn.correlate(x, w)
    for method in ("separable", "fft", "auto"):
        np.testing.assert_allclose(N.correlate(x, w, method=method), ref, rtol=0, atol=1e-10)
    with pytest.raises(ValueError, match="method"):
        N.correlate(x, w, method="magic")
    np.testing.assert_allclose(S.convolve2d(x, w, method="fft"), ss.convolve2d(x, w),
                               rtol=0, atol=1e-10)
    with pytest.raises(ValueError, match="Acceptable method flags"):
        S.convolve2d(x, w, method="separable")


@pytest.mark.parametrize("method", ["fft", "auto"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_fft_method_keeps_non_finite_pixels_local(method, bad):
    # one NaN pixel turned all 4096 outputs NaN (SciPy: the 121 in reach)
    x = np.random.default_rng(5).random((64, 64))
    x[20, 30] = bad
    w = np.ones((11, 11))
    ours = N.correlate(x, w, method=method)
    theirs = sn.correlate(x, w)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_array_equal(np.isinf(ours), np.isinf(theirs))


@pytest.mark.parametrize("mode", ["reflect", "mirror", "nearest", "wrap", "constant"])
@pytest.mark.parametrize("origin", [0, (-2, 1)])
def test_fft_method_strips_match_scipy(mode, origin):
    # several strips of rows (a narrow strip forced by a wide, short image)
    x = np.random.default_rng(6).random((300, 4000)).astype(np.float32)
    w = np.random.default_rng(7).random((7, 9))
    ours = N.correlate(x, w, mode=mode, cval=0.5, origin=origin, method="fft")
    theirs = sn.correlate(x, w, mode=mode, cval=0.5, origin=origin)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_fft_method_peak_memory_within_3x_the_input():
    # 13x13 on 4096x4096 float32 took +841 MiB (SciPy: +64 MiB); the strips
    # keep it to a few tens of MiB.  Measured in a fresh process (ru_maxrss).
    import subprocess
    import sys
    code = (
        "import resource, numpy as np\n"
        "from fastimg import ndimage as N\n"
        "x = np.random.default_rng(0).random((4096, 4096)).astype(np.float32)\n"
        "w = np.random.default_rng(1).random((13, 13))\n"
        "N.correlate(x[:64, :64], w, method='fft')\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "N.correlate(x, w, method='fft')\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024 / x.nbytes)\n")
    ratio = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout)
    assert ratio <= 3.0, f"peak memory {ratio:.1f}x the input"


# ------------------------------------------------- probed defects (issue 19)
@pytest.mark.parametrize("x", [
    np.array([2**53 + 1, 2**53, 2**53 + 3]),
    np.array([2**63 + 5, 3, 2**64 - 1, 2**63, 7], dtype=np.uint64),
    np.random.default_rng(1).integers(-2**62, 2**62, 60),
    np.random.default_rng(2).integers(0, 2**64 - 1, 60, dtype=np.uint64)],
    ids=["int64-2**53", "uint64-2**63", "int64", "uint64"])
@pytest.mark.parametrize("mode", ["reflect", "constant", "wrap"])
def test_1d_rank_filters_are_exact_on_64_bit_integers(x, mode):
    # they went through float64: 2**53 + 1 came back as 2**53, and every
    # uint64 at or above 2**63 as 2**63; SciPy ranks them as int64
    outs = [None] if x.dtype == np.int64 else [None, np.int64, np.uint64]
    for name, args in [("median_filter", (3,)), ("rank_filter", (1, 5)),
                       ("percentile_filter", (30, 41))]:
        for out in outs:
            ours = getattr(N, name)(x, *args, mode=mode, cval=5, output=out)
            theirs = getattr(sn, name)(x, *args, mode=mode, cval=5, output=out)
            np.testing.assert_array_equal(ours, theirs, strict=True)


@pytest.mark.parametrize("dt", [">f8", ">i4", ">u2", ">i8"])
def test_hough_peaks_return_native_byte_order(dt):
    # the intensities kept the accumulator's byte order; skimage's are native
    import skimage.transform as st

    from fastimg import transform as T
    h = np.zeros((50, 20), dt)
    h[10, 5], h[30, 15] = 5, 3
    ang, d = np.linspace(-1.5, 1.5, 20), np.arange(50.0)
    for ours, theirs in zip(T.hough_line_peaks(h, ang, d), st.hough_line_peaks(h, ang, d)):
        np.testing.assert_array_equal(ours, theirs, strict=True)
    hs = np.zeros((2, 40, 40), dt)
    hs[0, 10, 10], hs[1, 20, 25] = 4, 6
    for ours, theirs in zip(T.hough_circle_peaks(hs, [3, 5]), st.hough_circle_peaks(hs, [3, 5])):
        np.testing.assert_array_equal(ours, theirs, strict=True)


@pytest.mark.parametrize("name", ["ideal_mask", "gaussian_mask", "butterworth_mask"])
@pytest.mark.parametrize("band", ["lowpass", "highpass", "bandstop"])
def test_masks_with_tiny_cutoffs_are_refused_or_free_of_nan(name, band):
    # cutoff_pixels=1e-170 passed validation and gave NaN masks (its square
    # is 0); a tiny cutoff with a normal square overflowed Butterworth's
    # high pass to inf * 0
    from fastimg import frequency as Q
    f = getattr(Q, name)
    two = band == "bandstop"
    with pytest.raises(ValueError, match="too small: its square underflows"):
        f((8, 8), band, cutoff_pixels=(1e-170, 1.0) if two else 1e-170)
    for c in (1e-160, 1e-100, 1e-30):
        m = f((8, 8), band, cutoff_pixels=(c, 2 * c) if two else c)
        assert not np.isnan(m).any() and m.min() >= 0.0 and m.max() <= 1.0
        if c > 1e-50:
            continue
        # D**2 / D0**2 overflows for every D > 0: the limits, exactly
        centre = m[4, 4]                    # D = 0: the low pass keeps it
        assert centre == (1.0 if band == "lowpass" else 0.0 if band == "highpass" else 1.0)
        assert np.all(np.delete(m.ravel(), 36) == (0.0 if band == "lowpass" else 1.0))


def test_butterworth_with_no_spatial_axis_raises_the_anchors_type():
    # a 1-D image with channel_axis leaves no spatial axis: skimage raises
    # UnboundLocalError, fastimg raised IndexError
    x = np.arange(16.0)
    for axis in (0, -1):
        with pytest.raises(UnboundLocalError):
            skf.butterworth(x, channel_axis=axis)
        with pytest.raises(UnboundLocalError, match="no spatial axis"):
            F.butterworth(x, channel_axis=axis)


@pytest.mark.parametrize("ks", [-3, [-3, 3], [3, -1], [-1, -1]])
def test_medfilt2d_negative_kernel_size_raises_valueerror(ks):
    # SciPy raises ValueError (cannot allocate) when the product of the
    # sizes is negative and returns uninitialised memory when it is
    # positive; fastimg raises SciPy's ValueError for every sign pattern
    x = np.arange(25.0).reshape(5, 5)
    with pytest.raises(ValueError, match=r"kernel_size must be positive"):
        S.medfilt2d(x, ks)
    if np.prod(np.broadcast_to(ks, 2)) < 0:
        with pytest.raises(ValueError):
            ss.medfilt2d(x, ks)


def test_hough_ellipse_with_more_results_than_a_buffer_holds():
    # a block with more results than its buffer (4096) was searched again,
    # serially, from its start (50 s for 354k results); now it resumes at
    # the first pixel that may not fit: the same results, in skimage's order
    import skimage.transform as st

    from fastimg import transform as T
    rng = np.random.default_rng(3)
    img = np.zeros((40, 40), bool)
    img.flat[rng.choice(1600, 130, replace=False)] = True
    theirs = st.hough_ellipse(img, threshold=0, accuracy=2)
    assert theirs.size > 4096
    for workers in (None, 1):
        ours = T.hough_ellipse(img, threshold=0, accuracy=2, workers=workers)
        np.testing.assert_array_equal(ours, theirs, strict=True)
