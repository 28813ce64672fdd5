"""fastimg's inpaint family: ``restoration.inpaint`` (Telea, its own
function) against the reference (bit for bit) and ``cv2.inpaint`` with
``INPAINT_TELEA`` (bit for bit: OpenCV's float32 arithmetic and rounding are
reproduced; measured on 300 random images of every supported kind and on
photographs before this was made an exact test), and
``restoration.inpaint_biharmonic`` against scikit-image 0.26 and the
reference (the same linear system, another sparse solver: the
``biharmonic-*`` tolerances of conftest.py); invariants, errors, and the
restoration error of a scratched photograph."""
import cv2
import numpy as np
import pytest
from conftest import assert_close, assert_same_outcome
from hypothesis import given
from hypothesis import strategies as st
from skimage import data
from skimage.restoration import inpaint_biharmonic as sk_biharmonic

from fastimg import restoration as F
from reference import inpaint as R


@st.composite
def telea_cases(draw, min_side=1, max_side=9, dtypes=("uint8", "uint16", "float32", "float64"),
                colour=True):
    h, w = draw(st.integers(min_side, max_side)), draw(st.integers(min_side, max_side))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    nch = draw(st.sampled_from([None, 3, 1, 2])) if colour else None
    shape = (h, w) if nch is None else (h, w, nch)
    scale = float(np.iinfo(dtype).max) if dtype.kind == "u" else 3.0
    x = (rng.random(shape) * scale).astype(dtype)
    if draw(st.booleans()):                       # smooth: gradients matter
        x = np.sort(x, axis=1)
    mask = rng.random((h, w)) < draw(st.sampled_from([0.05, 0.3, 0.7]))
    radius = draw(st.sampled_from([1, 2, 3, 5, 2.5, 0.2]))
    return x, mask, radius, (None if nch is None else -1)


def _scratched(shape, rng):
    mask = np.zeros(shape, bool)
    for _ in range(max(shape) // 8):
        r, c = rng.integers(0, shape[0] - 3), rng.integers(0, max(shape[1] - 40, 1))
        mask[r:r + 3, c:c + 40] = True
    return mask


@given(telea_cases())
def test_telea_equals_reference_and_changes_only_masked_pixels(case):
    x, mask, radius, axis = case
    if mask.all():
        with pytest.raises(ValueError, match="covers the whole image"):
            F.inpaint(x, mask, radius, channel_axis=axis)
        return
    got = F.inpaint(x, mask, radius, channel_axis=axis)
    assert_close(got, R.inpaint(x, mask, radius, channel_axis=axis), "direct")
    np.testing.assert_array_equal(got[~mask], x[~mask])


@given(telea_cases(min_side=2, max_side=20, dtypes=("uint8", "uint16", "float32"),
                   colour=False), st.booleans())
def test_telea_equals_opencv(case, colour):
    x, mask, radius, _ = case
    if mask.all():
        return
    if colour and x.dtype == np.uint8:            # OpenCV's 3-channel path: uint8 only
        x = np.stack([x, x[::-1], np.sort(x, axis=0)], axis=-1)
    want = cv2.inpaint(x, mask.astype(np.uint8), radius, cv2.INPAINT_TELEA)
    got = F.inpaint(x, mask, radius, channel_axis=-1 if x.ndim == 3 else None)
    assert_close(got, want, "direct")


@pytest.mark.parametrize("kind", ["uint8", "float32", "rgb"])
def test_telea_equals_opencv_on_a_scratched_photograph(kind):
    x = data.astronaut()[:160, :200] if kind == "rgb" else data.camera()[:160, :200]
    if kind == "float32":
        x = x.astype(np.float32) / 255
    mask = _scratched(x.shape[:2], np.random.default_rng(3))
    want = cv2.inpaint(x, mask.astype(np.uint8), 3, cv2.INPAINT_TELEA)
    assert_close(F.inpaint(x, mask, 3, channel_axis=-1 if kind == "rgb" else None), want,
                 "direct")


def test_telea_layouts_and_invariants():
    x = data.astronaut()[:40, :50]
    mask = _scratched(x.shape[:2], np.random.default_rng(1))
    want = F.inpaint(x, mask, 3, channel_axis=-1)
    moved = F.inpaint(np.moveaxis(x, -1, 0), mask, 3, channel_axis=0)
    np.testing.assert_array_equal(np.moveaxis(moved, 0, -1), want)
    np.testing.assert_array_equal(F.inpaint(np.asfortranarray(x), mask.astype(np.uint8), 3,
                                            channel_axis=-1), want)
    big = x.astype(">u2")
    np.testing.assert_array_equal(F.inpaint(big, mask, 3, channel_axis=-1),
                                  F.inpaint(x.astype(np.uint16), mask, 3, channel_axis=-1))
    # an empty mask changes nothing (and returns a new array)
    grey = x[..., 0]
    out = F.inpaint(grey, np.zeros(grey.shape, bool))
    np.testing.assert_array_equal(out, grey)
    assert out is not grey and not np.shares_memory(out, grey)
    # OpenCV's gradient term is normalised to length ~1: on a constant image
    # the rounding of the first filled pixels (Ia / s) makes gradients of
    # ~1e-8 that add up to +-sqrt(2): OpenCV's result, reproduced, not a
    # constant image
    flat = np.full((20, 30), 0.625, np.float32)
    got = F.inpaint(flat, mask[:20, :30], 4)
    assert_close(got, cv2.inpaint(flat, mask[:20, :30].astype(np.uint8), 4,
                                  cv2.INPAINT_TELEA), "direct")
    assert np.abs(got - flat).max() <= np.sqrt(2) + 1e-6
    # OpenCV's rounding of integer images (value + 0.5, half to even)
    one = np.zeros((5, 5), bool)
    one[2, 2] = True
    assert F.inpaint(np.full((5, 5), 101, np.uint8), one)[2, 2] == 102
    assert F.inpaint(np.full((5, 5), 100, np.uint8), one)[2, 2] == 100


def test_telea_errors_name_what_was_received():
    x = np.zeros((6, 7), np.uint8)
    with pytest.raises(ValueError, match=r"mask shape \(6, 6\) does not match .*\(6, 7\)"):
        F.inpaint(x, np.zeros((6, 6), bool))
    with pytest.raises(ValueError, match=r"covers the whole image \(shape \(6, 7\)\)"):
        F.inpaint(x, np.ones((6, 7), bool))
    with pytest.raises(ValueError, match="needs a 2-D image.*3-D image of shape"):
        F.inpaint(np.zeros((6, 7, 3)), np.zeros((6, 7), bool))
    with pytest.raises(ValueError, match="must be 3-D .*shape \\(6, 7\\)"):
        F.inpaint(x, np.zeros((6, 7), bool), channel_axis=-1)
    with pytest.raises(ValueError, match="channel_axis 3 is out of bounds"):
        F.inpaint(np.zeros((6, 7, 3)), np.zeros((6, 7), bool), channel_axis=3)
    with pytest.raises(TypeError, match="got dtype int16"):
        F.inpaint(x.astype(np.int16), np.zeros((6, 7), bool))
    with pytest.raises(ValueError, match="got 'ns'"):
        F.inpaint(x, np.zeros((6, 7), bool), method="ns")
    with pytest.raises(TypeError, match="radius must be a number"):
        F.inpaint(x, np.zeros((6, 7), bool), "big")


# ---------------------------------------------------------- biharmonic
@st.composite
def biharmonic_cases(draw):
    ndim = draw(st.sampled_from([1, 2, 2, 2, 3]))
    shape = tuple(draw(st.integers(1, 12 if ndim < 3 else 5)) for _ in range(ndim))
    dtype = draw(st.sampled_from(["uint8", "float16", "float32", "float64"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    axis = draw(st.sampled_from([None, None, -1, 0]))
    full = shape if axis is None else shape + (draw(st.integers(1, 3)),)
    x = rng.random(full) * (255 if dtype == "uint8" else 1)
    x = x.astype(dtype)
    if axis == 0:
        x = np.moveaxis(x, -1, 0)
    mask = rng.random(shape) < draw(st.sampled_from([0.1, 0.4, 0.8]))
    if draw(st.booleans()):
        mask = mask.astype(np.uint8)
    return x, mask, axis, draw(st.booleans())


def _case(x):
    return "biharmonic-float32" if x.dtype == np.float32 else "biharmonic-float64"


@given(biharmonic_cases())
def test_biharmonic_like_scikit_image_and_reference(case):
    x, mask, axis, split = case

    def ours():
        return F.inpaint_biharmonic(x, mask, split_into_regions=split, channel_axis=axis)

    def theirs():
        return sk_biharmonic(x, mask, split_into_regions=split, channel_axis=axis)

    assert_same_outcome(ours, theirs, lambda a, e: assert_close(a, e, _case(e)))
    if np.asarray(mask).astype(bool).all():
        return
    got = ours()
    assert_close(got, R.inpaint_biharmonic(x, mask, channel_axis=axis), _case(got))
    keep = ~np.asarray(mask, bool)
    if axis == 0:
        got, x = np.moveaxis(got, 0, -1), np.moveaxis(x, 0, -1)
    from skimage.util import img_as_float
    np.testing.assert_array_equal(got[keep], img_as_float(x)[keep].astype(got.dtype))


def test_biharmonic_on_a_photograph_and_empty_mask():
    x = data.astronaut()[:96, :128]
    mask = _scratched(x.shape[:2], np.random.default_rng(2))
    for img in (x, x.astype(np.float32) / 255):
        got = F.inpaint_biharmonic(img, mask, channel_axis=-1)
        assert_close(got, sk_biharmonic(img, mask, channel_axis=-1), _case(got))
    grey = data.camera()[:50, :60] / 255.0
    np.testing.assert_array_equal(F.inpaint_biharmonic(grey, np.zeros(grey.shape)), grey)


@pytest.mark.parametrize("path", ["superlu", "fallback"])
def test_biharmonic_solver_paths_agree(monkeypatch, path):
    """The pivot-free band LU (the default), SuperLU for wide regions, and
    the fallback when a band solve's residual is not small: the same
    solution within the tolerance."""
    from fastimg._inpaint import biharmonic
    x = data.astronaut()[:64, :80] / 255.0
    mask = _scratched(x.shape[:2], np.random.default_rng(4))
    mask[20:40, 30:50] = True                      # a blob beside the scratches
    want = F.inpaint_biharmonic(x, mask, channel_axis=-1)
    monkeypatch.setattr(biharmonic, "MAX_BAND" if path == "superlu" else "RESIDUAL", -1)
    got = F.inpaint_biharmonic(x, mask, channel_axis=-1)
    assert_close(got, want, "biharmonic-float64")
    assert_close(got, sk_biharmonic(x, mask, channel_axis=-1), "biharmonic-float64")


def test_biharmonic_errors_like_scikit_image():
    cases = [(np.zeros(()), np.zeros(())), (np.zeros((2, 2)), np.zeros((4, 1))),
             (np.ma.array(np.zeros((2, 2)), mask=[[0, 0], [0, 0]]), np.zeros((2, 2))),
             (np.zeros((3, 3)), np.ones((3, 3)))]
    for x, mask in cases:
        assert_same_outcome(lambda: F.inpaint_biharmonic(x, mask),
                            lambda: sk_biharmonic(x, mask), lambda a, e: None)
    with pytest.raises(ValueError, match=r"got image shape \(2, 2\) and mask shape \(4, 1\)"):
        F.inpaint_biharmonic(np.zeros((2, 2)), np.zeros((4, 1)))


def test_restoration_error_of_a_scratched_photograph():
    """How close each method gets to the undamaged photograph (printed:
    ``pytest -s``); each must beat leaving the scratches at zero."""
    orig = data.camera()[100:300, 100:300]
    mask = _scratched(orig.shape, np.random.default_rng(7))
    damaged = orig.copy()
    damaged[mask] = 0

    def rmse(img):
        return float(np.sqrt(np.mean((np.asarray(img, float)[mask] - orig[mask]) ** 2)))

    errors = {
        "damaged": rmse(damaged),
        "fastimg telea": rmse(F.inpaint(damaged, mask, 3)),
        "opencv telea": rmse(cv2.inpaint(damaged, mask.astype(np.uint8), 3,
                                          cv2.INPAINT_TELEA)),
        "fastimg biharmonic": rmse(F.inpaint_biharmonic(damaged, mask) * 255),
        "skimage biharmonic": rmse(sk_biharmonic(damaged, mask) * 255),
    }
    print("\nRMSE on the scratched pixels (grey levels):",
          ", ".join(f"{k} {v:.2f}" for k, v in errors.items()))
    assert errors["fastimg telea"] == errors["opencv telea"]
    assert errors["fastimg biharmonic"] == pytest.approx(errors["skimage biharmonic"], 1e-6)
    assert max(errors["fastimg telea"], errors["fastimg biharmonic"]) < errors["damaged"] / 4
