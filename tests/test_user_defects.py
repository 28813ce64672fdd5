"""Regression tests for the defects found by probing fastimg as a user would
(issue 8): each failed on the code before its fix."""
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
