"""fastimg's linear family (``skimage.filters`` gaussian, sobel) against the
reference (the definition), the anchor (scikit-image 0.26) and its errors;
and the top-level re-exports of the ndimage / signal / filters names
(``sobel`` is ambiguous between ndimage and skimage.filters)."""

import numpy as np
import pytest
from conftest import assert_close, outcome
from helpers import BASIC, assert_same_outcome, photo_image
from hypothesis import given
from hypothesis import strategies as st
from strategies import images

import fastimg
from fastimg import filters as F
from fastimg import ndimage as N
from fastimg import signal as S
from reference import linear as R


# ------------------------------------------------------------ vs reference
SK_DTYPES = ["uint8", "uint16", "int8", "int16", "int32", "bool", "float16",
             "float32", "float64"]


@given(x=images(dtypes=SK_DTYPES), sigma=st.sampled_from([0.0, 0.5, 1.0, 2.0, [1.0, 0.0]]),
       mode=st.sampled_from(BASIC), preserve_range=st.booleans(),
       truncate=st.sampled_from([4.0, 2.0]))
def test_skimage_gaussian_equal_reference(x, sigma, mode, preserve_range, truncate):
    kw = dict(mode=mode, cval=0.25, preserve_range=preserve_range, truncate=truncate)
    assert_same_outcome(lambda: F.gaussian(x, sigma, **kw),
                        lambda: R.gaussian(x, sigma, **kw))


@given(data=st.data(), x=images(dtypes=SK_DTYPES), axis=st.sampled_from([None, 0, 1, (0, 1)]),
       mode=st.sampled_from(BASIC), use_mask=st.booleans())
def test_skimage_sobel_equal_reference(data, x, axis, mode, use_mask):
    mask = None
    if use_mask:
        rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
        mask = rng.random(x.shape) < 0.8
    kw = dict(mask=mask, axis=axis, mode=mode, cval=0.5)
    assert_same_outcome(lambda: F.sobel(x, **kw), lambda: R.sobel(x, **kw))


# ------------------------------------------------------------ anchor parity
@pytest.fixture(scope="module")
def photo():
    return photo_image()


def test_skimage_parity_on_photo(photo):
    skf = pytest.importorskip("skimage.filters")
    rgb = np.stack([photo, photo[::-1], photo.T], axis=-1)
    assert_close(F.gaussian(photo, 1.5), skf.gaussian(photo, 1.5), "direct")
    assert_close(F.gaussian(rgb, 2.0, channel_axis=-1), skf.gaussian(rgb, 2.0, channel_axis=-1),
                 "direct")
    assert_close(F.gaussian(photo.astype(np.float32), 3, preserve_range=True, mode="wrap"),
                 skf.gaussian(photo.astype(np.float32), 3, preserve_range=True, mode="wrap"),
                 "direct")
    mask = np.zeros(photo.shape, bool)
    mask[20:200, 30:220] = True
    assert_close(F.sobel(photo, mask), skf.sobel(photo, mask), "direct")
    assert_close(F.sobel(photo.astype(np.float32), axis=1), skf.sobel(photo.astype(np.float32), axis=1),
                 "direct")


# ------------------------------------------------------------ errors
def test_skimage_error_paths():
    skf = pytest.importorskip("skimage.filters")
    x = np.ones((5, 5))
    for call in (lambda m: m.gaussian(x, -1.0),
                 lambda m: m.gaussian(x, 1.0, out=np.zeros((5, 5), np.int32))):
        expected = outcome(lambda: call(skf))
        assert isinstance(expected, Exception)
        assert_same_outcome(lambda: call(F), lambda: call(skf))


def test_top_level_reexports():
    assert fastimg.convolve2d is S.convolve2d
    assert fastimg.gaussian_filter is N.gaussian_filter
    assert fastimg.gaussian is F.gaussian
    assert not hasattr(fastimg, "sobel")  # ambiguous: ndimage.sobel vs filters.sobel
    assert fastimg.ndimage.sobel is not fastimg.filters.sobel
