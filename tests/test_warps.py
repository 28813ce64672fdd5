"""Warps family: resize, rescale, rotate, warp, downscale_local_mean,
resize_local_mean, integral_image against scikit-image 0.26 (bit-identical)
and the reference (the definition); pixelate against its reference and the
OpenCV recipe; invariants, odd inputs and the error paths.
"""
import inspect
import warnings

import numpy as np
import pytest
import skimage.transform as skt
from conftest import assert_close, assert_same_outcome
from hypothesis import given, settings
from hypothesis import strategies as st

from fastimg import transform as T
from reference import warps as R

DTYPES = ["uint8", "uint16", "int16", "float32", "float64"]
MODES = ["constant", "edge", "symmetric", "reflect", "wrap"]
NAMES = ["resize", "rescale", "rotate", "warp", "downscale_local_mean", "resize_local_mean",
         "integral_image"]


def exact(actual, expected):
    assert_close(actual, expected, "direct")


def same(ours, theirs):
    """fastimg's outcome equals skimage's (bit for bit, or the same error)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same_outcome(ours, theirs, exact)


@st.composite
def pictures(draw, dtypes=DTYPES, max_side=9, colour=True):
    """2-D images (1xN and Nx1 included) or colour images, smooth plus
    noise, in the image type's range."""
    rows, cols = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    shape = (rows, cols, draw(st.sampled_from([3, 4]))) if colour and draw(
        st.booleans()) else (rows, cols)
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.random(shape)
    if dtype.kind == "b":
        return x < 0.5
    if dtype.kind in "ui":
        hi = min(np.iinfo(dtype).max, 1000)
        return (x * hi).astype(dtype)
    return (x * draw(st.sampled_from([1.0, 255.0])) - 0.25).astype(dtype)


@st.composite
def matrices(draw):
    """Metric, affine and projective 3x3 inverse maps."""
    kind = draw(st.sampled_from(["metric", "affine", "projective", "identity"]))
    f = st.floats(-1.5, 1.5, allow_nan=False)
    m = np.eye(3)
    if kind == "identity":
        return m
    m[0, 0], m[1, 1] = draw(st.floats(0.3, 2.5)), draw(st.floats(0.3, 2.5))
    m[0, 2], m[1, 2] = draw(st.floats(-4, 4)), draw(st.floats(-4, 4))
    if kind != "metric":
        m[0, 1], m[1, 0] = draw(f), draw(f)
    if kind == "projective":
        m[2, 0], m[2, 1] = draw(st.floats(0, 0.05)), draw(st.floats(0, 0.05))
    return m


# ------------------------------------------------------------- warp, rotate
@given(pictures(), matrices(), st.sampled_from([1, 3]), st.sampled_from(MODES),
       st.sampled_from([None, (5, 7), (1, 12)]), st.sampled_from([0.0, 0.7]))
@settings(max_examples=60)
def test_warp_fast_path_equals_skimage_and_reference(image, m, order, mode, shape, cval):
    ours = T.warp(image, m, output_shape=shape, order=order, mode=mode, cval=cval)
    exact(ours, skt.warp(image, m, output_shape=shape, order=order, mode=mode, cval=cval))
    exact(ours, R.warp(image, m, shape, order, mode, cval))


@given(pictures(dtypes=DTYPES + ["bool"], max_side=7), matrices(),
       st.sampled_from([0, 2, 4, 5]), st.sampled_from(MODES))
@settings(max_examples=25)
def test_warp_spline_orders_equal_skimage_and_reference(image, m, order, mode):
    if image.dtype == bool:
        order = 0
    same(lambda: T.warp(image, m, order=order, mode=mode),
         lambda: skt.warp(image, m, order=order, mode=mode))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact(T.warp(image, m, order=order, mode=mode), R.warp(image, m, None, order, mode))


@pytest.mark.parametrize("tform", [
    skt.AffineTransform(scale=(1.3, 0.7), rotation=0.4, translation=(-2, 3)),
    skt.SimilarityTransform(scale=0.5, rotation=-1.1, translation=(1.5, -0.5)),
    skt.EuclideanTransform(rotation=0.3, translation=(2, 1)),
    skt.ProjectiveTransform(np.array([[1, 0.1, 2], [0.05, 0.9, -1], [0.01, 0.02, 1]])),
    skt.AffineTransform(shear=0.3).inverse,
    skt.PolynomialTransform(np.array([[0, 1.1, 0.05, 0, 0, 0], [0, 0, 0.9, 0, 0.01, 0]])),
])
@pytest.mark.parametrize("order", [0, 1, 3, 5])
def test_warp_takes_transform_objects(tform, order):
    image = np.random.default_rng(3).random((11, 9, 3)).astype(np.float32)
    same(lambda: T.warp(image, tform, order=order), lambda: skt.warp(image, tform, order=order))


def test_warp_callable_map_args_and_coordinate_arrays():
    image = np.random.default_rng(4).random((10, 12))

    def shift(xy, dx):
        return xy + np.array([dx, -1.0])
    same(lambda: T.warp(image, shift, map_args={"dx": 0.5}),
         lambda: skt.warp(image, shift, map_args={"dx": 0.5}))
    volume = np.random.default_rng(5).random((6, 7, 5))
    coords = np.mgrid[:4, :5, :3] * 1.3 + 0.2
    for order in (0, 1, 3):
        same(lambda: T.warp(volume, coords, order=order),
             lambda: skt.warp(volume, coords, order=order))


@given(pictures(dtypes=DTYPES + ["bool"]), st.sampled_from([0, 90, 180, -90, 33.3, 271.5]),
       st.booleans(), st.sampled_from([None, 0, 1, 3]), st.sampled_from(MODES))
@settings(max_examples=50)
def test_rotate_equals_skimage_and_reference(image, angle, resize, order, mode):
    if image.dtype == bool:
        order = None
    ours = T.rotate(image, angle, resize=resize, order=order, mode=mode)
    exact(ours, skt.rotate(image, angle, resize=resize, order=order, mode=mode))
    if order in (None, 1, 3) and image.dtype != bool:
        exact(ours, R.rotate(image, angle, resize, order or 1, mode))


def test_rotate_center_preserve_range_and_clip():
    image = (np.random.default_rng(6).random((9, 13)) * 4000).astype(np.uint16)
    for kw in ({"center": (2, 3)}, {"preserve_range": True}, {"clip": False, "order": 3},
               {"cval": 9000, "preserve_range": True}):
        same(lambda: T.rotate(image, 17, **kw), lambda: skt.rotate(image, 17, **kw))


@pytest.mark.parametrize("m", [
    [[1, 0.2, 0], [0.1, 1, 0], [-0.25, 0.0, 1.0]],     # z = 0 on a column: inf
    [[1, 0.2, 0], [0.1, 1, 0], [-0.25, 0.5, 0.0]],     # z = 0 at the origin: 0 / 0
    [[0.0, 0, 0], [0, 0, 0], [0, 0, 0.0]]])            # NaN everywhere
@pytest.mark.parametrize("order", [1, 3])
@pytest.mark.parametrize("mode", MODES)
def test_warp_infinite_and_nan_coordinates(m, order, mode):
    image = np.random.default_rng(13).random((9, 11)).astype(np.float32)
    for cval in (0.0, 0.5):
        same(lambda: T.warp(image, np.array(m), order=order, mode=mode, cval=cval, clip=False),
             lambda: skt.warp(image, np.array(m), order=order, mode=mode, cval=cval,
                              clip=False))


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
def test_identity_warp_returns_the_input(order, dtype):
    image = (np.random.default_rng(7).random((8, 11)) * 200).astype(dtype)
    out = T.warp(image, np.eye(3), order=order, preserve_range=True)
    expected = image if order == 0 else image.astype(out.dtype)
    np.testing.assert_array_equal(out, expected)


# ------------------------------------------------------------ resize, rescale
@given(pictures(dtypes=DTYPES + ["bool", "float16"]), st.integers(1, 14), st.integers(1, 14),
       st.sampled_from([None, 0, 1, 2, 3, 4, 5]), st.sampled_from([None, True, False]),
       st.sampled_from(MODES), st.booleans())
@settings(max_examples=60)
def test_resize_equals_skimage(image, rows, cols, order, aa, mode, preserve):
    same(lambda: T.resize(image, (rows, cols), order=order, anti_aliasing=aa, mode=mode,
                          preserve_range=preserve),
         lambda: skt.resize(image, (rows, cols), order=order, anti_aliasing=aa, mode=mode,
                            preserve_range=preserve))


@given(pictures(dtypes=["uint8", "float32", "float64"], colour=False), st.integers(1, 12),
       st.integers(1, 12), st.sampled_from([0, 1, 3]), st.booleans(), st.sampled_from(MODES))
@settings(max_examples=30)
def test_resize_equals_reference(image, rows, cols, order, aa, mode):
    ours = T.resize(image, (rows, cols), order=order, anti_aliasing=aa, mode=mode)
    exact(ours, R.resize(image, (rows, cols), order, mode, 0.0, aa))


@pytest.mark.parametrize("dtype", ["uint8", "uint16"])
@pytest.mark.parametrize("mode", MODES)
def test_resize_colour_plane_by_plane_path(dtype, mode):
    # unsigned colour images at order 1 without anti-aliasing are zoomed one
    # channel plane at a time: still skimage's 3-D zoom bit for bit
    image = (np.random.default_rng(14).random((13, 11, 3)) * 250).astype(dtype)
    for shape in [(5, 4), (20, 7), (13, 11, 3)]:
        for kw in ({}, {"cval": 2.0, "preserve_range": True}, {"clip": False, "cval": 0.4}):
            same(lambda: T.resize(image, shape, anti_aliasing=False, mode=mode, **kw),
                 lambda: skt.resize(image, shape, anti_aliasing=False, mode=mode, **kw))


def test_resize_volumes_channels_and_sigma():
    vol = np.random.default_rng(8).random((6, 7, 5))
    for shape in [(3, 4, 2), (9, 3, 5), (3, 4), (3, 4, 5, 1)]:
        same(lambda: T.resize(vol, shape), lambda: skt.resize(vol, shape))
    for sigma in (0.5, (1.0, 0.0, 0.0), -1):
        same(lambda: T.resize(vol, (3, 3, 5), anti_aliasing=True, anti_aliasing_sigma=sigma),
             lambda: skt.resize(vol, (3, 3, 5), anti_aliasing=True,
                                anti_aliasing_sigma=sigma))


@given(pictures(), st.sampled_from([0.5, 1.7, 0.25, (0.4, 1.5)]),
       st.sampled_from([None, 0, 1, 3]))
@settings(max_examples=30)
def test_rescale_equals_skimage(image, scale, order):
    ca = -1 if image.ndim == 3 else None
    same(lambda: T.rescale(image, scale, order=order, channel_axis=ca),
         lambda: skt.rescale(image, scale, order=order, channel_axis=ca))
    if image.ndim == 3:
        moved = np.moveaxis(image, -1, 0)
        same(lambda: T.rescale(moved, scale, channel_axis=0),
             lambda: skt.rescale(moved, scale, channel_axis=0))


# --------------------------------------------------------------- local means
@given(pictures(dtypes=DTYPES + ["bool", "float16", "int64"], max_side=20),
       st.sampled_from([(2, 2), (3, 3), (4, 4), (2, 5), (8, 8), (1, 9), (17, 3), 2]),
       st.sampled_from([0, 3.5]))
@settings(max_examples=60)
def test_downscale_local_mean_equals_skimage(image, factors, cval):
    if image.ndim == 3 and not np.isscalar(factors):
        factors = factors + (1,)
    same(lambda: T.downscale_local_mean(image, factors, cval),
         lambda: skt.downscale_local_mean(image, factors, cval))
    if not np.isscalar(factors) and image.dtype.kind in "uif" and image.dtype != np.float16:
        # the definition sums in float64, in its own order
        case = "local-mean-float32" if image.dtype == np.float32 else "local-mean"
        assert_close(T.downscale_local_mean(image, factors, cval),
                     R.downscale_local_mean(image, factors, cval), case)


def test_downscale_local_mean_large_blocks_and_volumes():
    rng = np.random.default_rng(9)
    big = rng.random((300, 520)).astype(np.float32)
    same(lambda: T.downscale_local_mean(big, (150, 260)),
         lambda: skt.downscale_local_mean(big, (150, 260)))
    vol = (rng.random((5, 6, 7)) * 200).astype(np.uint8)
    same(lambda: T.downscale_local_mean(vol, (2, 3, 2)),
         lambda: skt.downscale_local_mean(vol, (2, 3, 2)))


@given(pictures(dtypes=DTYPES), st.integers(1, 12), st.integers(1, 12), st.booleans(),
       st.booleans())
@settings(max_examples=30)
def test_resize_local_mean_equals_skimage(image, rows, cols, grid_mode, preserve):
    ca = -1 if image.ndim == 3 else None
    same(lambda: T.resize_local_mean(image, (rows, cols), grid_mode, preserve,
                                     channel_axis=ca),
         lambda: skt.resize_local_mean(image, (rows, cols), grid_mode, preserve,
                                       channel_axis=ca))


@given(pictures(dtypes=DTYPES + ["bool", "int8", "float16"], max_side=12),
       st.sampled_from([None, np.float32, np.int64]))
@settings(max_examples=40)
def test_integral_image_equals_skimage_and_reference(image, dtype):
    same(lambda: T.integral_image(image, dtype=dtype),
         lambda: skt.integral_image(image, dtype=dtype))
    if dtype is None and image.dtype != np.float16:
        exact(T.integral_image(image), R.integral_image(image))


def test_integral_image_last_cell_is_the_total():
    image = np.random.default_rng(10).integers(0, 256, (7, 9, 3)).astype(np.uint8)
    assert T.integral_image(image)[-1, -1, -1] == int(image.astype(np.int64).sum())


# ------------------------------------------------------------------ pixelate
def recipe(image, block, method):
    """The OpenCV tutorial recipe (shrink, nearest blow-up)."""
    cv2 = pytest.importorskip("cv2")
    shrink = {"mean": cv2.INTER_AREA, "nearest": cv2.INTER_NEAREST,
              "linear": cv2.INTER_LINEAR}[method]
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(w // block, 1), max(h // block, 1)), interpolation=shrink)
    out = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    return out.reshape(image.shape)


@given(pictures(dtypes=["uint8", "uint16", "float32", "float64"], max_side=40),
       st.integers(1, 9), st.sampled_from(["mean", "nearest", "linear"]))
@settings(max_examples=60)
def test_pixelate_follows_the_opencv_recipe(image, block, method):
    ca = -1 if image.ndim == 3 else None
    ours = T.pixelate(image, block, method=method, channel_axis=ca)
    theirs = recipe(image, block, method)
    assert ours.dtype == image.dtype and ours.shape == image.shape
    h, w = image.shape[:2]
    whole = h % block == 0 and w % block == 0 and h >= block and w >= block
    if method == "nearest" or (method == "mean" and whole and image.dtype.kind == "u"):
        np.testing.assert_array_equal(ours, theirs)
    elif image.dtype.kind == "u":       # documented: OpenCV's own rounding steps
        assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 1
    else:                               # documented: float32 sums / weights
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-5 * 255 * 4)
    if image.ndim == 2 and (method == "nearest" or whole and method == "mean"):
        # integer sums are exact; float sums run in another order (float64)
        case = {"f4": "local-mean-float32", "f8": "local-mean"}.get(
            image.dtype.str[1:], "direct") if method == "mean" else "direct"
        assert_close(ours, R.pixelate(image, block, method), case)


def test_pixelate_block_one_is_the_identity_and_errors():
    image = (np.random.default_rng(11).random((5, 7, 3)) * 255).astype(np.uint8)
    for method in ("mean", "nearest", "linear"):
        np.testing.assert_array_equal(T.pixelate(image, 1, method=method, channel_axis=2),
                                      image)
    with pytest.raises(ValueError, match="block must be"):
        T.pixelate(image[..., 0], 0)
    with pytest.raises(ValueError, match="method must be"):
        T.pixelate(image[..., 0], 2, method="cubic")
    with pytest.raises(ValueError, match="channel_axis"):
        T.pixelate(image, 2)
    with pytest.raises(TypeError, match="int16"):
        T.pixelate(image[..., 0].astype(np.int16), 2)


# ----------------------------------------------------------- errors, API
@pytest.mark.parametrize("call", [
    lambda m: m.warp(np.ones((4, 4)), np.eye(3), order=6),
    lambda m: m.warp(np.ones((4, 4), bool), np.eye(3), order=1),
    lambda m: m.warp(np.ones((0, 4)), np.eye(3)),
    lambda m: m.warp(np.ones((4, 4)), np.eye(3), mode="mirror"),
    lambda m: m.warp(np.ones((4, 4)), np.eye(3), order=0, mode="nearest"),
    lambda m: m.warp(np.ones(4), lambda xy: xy),
    lambda m: m.warp(np.ones((4, 4)), np.eye(3), output_shape=(2.5, 3)),
    lambda m: m.resize(np.ones((4, 4, 3)), (2,)),
    lambda m: m.resize(np.ones((4, 4), bool), (2, 2), anti_aliasing=True),
    lambda m: m.resize(np.ones((4, 4)), (2, 2), mode="nearest"),
    lambda m: m.rescale(np.ones((4, 4)), (0.5, 0.5, 0.5)),
    lambda m: m.downscale_local_mean(np.ones((4, 4)), (0, 2)),
    lambda m: m.downscale_local_mean(np.ones((4, 4)), (2, 2, 2)),
    lambda m: m.resize_local_mean(np.ones((4, 4, 3)), (2, 2, 2), channel_axis=-1),
    lambda m: m.resize_local_mean(np.ones((4, 4, 3)), (2,), channel_axis=-1),
    lambda m: m.resize_local_mean(np.ones((4, 4, 3)), (2, 2), channel_axis=5),
])
def test_errors_match_skimage(call):
    same(lambda: call(T), lambda: call(skt))


@pytest.mark.parametrize("name", NAMES)
def test_signatures_are_skimages_plus_workers(name):
    ours = inspect.signature(getattr(T, name))
    theirs = inspect.signature(getattr(skt, name))
    extra = [p for p in ours.parameters if p not in theirs.parameters]
    assert list(ours.parameters)[:len(theirs.parameters)] == list(theirs.parameters)
    assert extra == ([] if name == "resize_local_mean" else ["workers"])
    for p in theirs.parameters.values():
        assert ours.parameters[p.name].default == p.default or (
            p.default is None and ours.parameters[p.name].default is None)


def test_order2_warns_like_skimage():
    with pytest.warns(UserWarning, match="Bi-quadratic") as record:
        T.warp(np.ones((4, 4)), np.eye(3), order=2)
    assert record[0].filename == __file__


def test_odd_layouts():
    rng = np.random.default_rng(12)
    base = rng.random((9, 8)).astype(np.float32)
    for image in (base[::-1, ::2], np.asfortranarray(base), base.astype(">f4")):
        ro = image.copy()
        ro.flags.writeable = False
        for img in (image, ro):
            # skimage's Cython rejects read-only and big-endian float images
            # ("buffer source array is read-only", "Big-endian buffer not
            # supported"); fastimg warps them like a native, writable copy
            native = img.astype(img.dtype.newbyteorder("="))
            same(lambda: T.warp(img, np.diag([0.9, 1.1, 1.0])),
                 lambda: skt.warp(native, np.diag([0.9, 1.1, 1.0])))
            same(lambda: T.downscale_local_mean(img, (2, 3)),
                 lambda: skt.downscale_local_mean(img, (2, 3)))
            same(lambda: T.integral_image(img), lambda: skt.integral_image(img))


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("mode", MODES)
def test_resize_colour_anti_aliasing_plane_by_plane(dtype, order, mode):
    # a colour image blurred before a shrink is filtered one channel plane
    # at a time (no blur across channels): still skimage's 3-D Gaussian
    rng = np.random.default_rng(21)
    for channels in (3, 4):
        image = (rng.random((17, 14, channels)) * 250).astype(dtype)
        for shape, kw in [((6, 5), {}), ((8, 20), {"cval": 0.5}),
                          ((5, 7, channels), {"anti_aliasing": True, "preserve_range": True}),
                          ((9, 9), {"anti_aliasing_sigma": (1.5, 0.7, 0.0)}),
                          ((9, 9), {"anti_aliasing_sigma": (1.0, 1.0, 0.5)})]:
            kw = {"anti_aliasing": True, **kw}
            same(lambda: T.resize(image, shape, order=order, mode=mode, **kw),
                 lambda: skt.resize(image, shape, order=order, mode=mode, **kw))
        same(lambda: T.rescale(image, 0.4, order=order, mode=mode, channel_axis=-1),
             lambda: skt.rescale(image, 0.4, order=order, mode=mode, channel_axis=-1))


@given(pictures(dtypes=DTYPES + ["bool"], max_side=11), matrices(),
       st.sampled_from([0, 2, 5]), st.sampled_from(MODES),
       st.sampled_from([None, (4, 13), (12, 3)]), st.integers(1, 40))
@settings(max_examples=40)
def test_warp_matrix_coordinates_in_blocks(image, m, order, mode, shape, block):
    # the general branch of a matrix map computes its coordinates in blocks
    # of output rows (any block length gives skimage's values), a colour
    # image at order 0 one channel plane at a time
    from fastimg._warps import geometric
    if image.dtype == bool and order > 0:
        order = 0
    saved = geometric._BLOCK_POINTS
    geometric._BLOCK_POINTS = block
    try:
        for inverse_map in (m, skt.ProjectiveTransform(m)):
            same(lambda: T.warp(image, inverse_map, order=order, mode=mode, output_shape=shape,
                                cval=0.25),
                 lambda: skt.warp(image, inverse_map, order=order, mode=mode,
                                  output_shape=shape, cval=0.25))
    finally:
        geometric._BLOCK_POINTS = saved


def test_warp_matrix_blocks_on_a_large_picture():
    # several default-sized blocks, a remainder block, colour planes
    rng = np.random.default_rng(5)
    for image in ((rng.random((300, 257)) * 255).astype(np.uint8), rng.random((150, 231, 3))):
        for angle in (17, 33.3):
            for resize in (False, True):
                same(lambda: T.rotate(image, angle, resize=resize, order=0),
                     lambda: skt.rotate(image, angle, resize=resize, order=0))
        tf = skt.AffineTransform(rotation=0.2, translation=(3, 4), shear=0.1)
        same(lambda: T.warp(image, tf, order=0, mode="symmetric"),
             lambda: skt.warp(image, tf, order=0, mode="symmetric"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("order", [1, 3])
@pytest.mark.parametrize("mode", MODES)
def test_warp_fast_rows_interior_and_wide_borders(dtype, order, mode):
    # whole rows of interior pixels (float32 order 3: gathered, then summed
    # across pixels) beside wide borders (their interpolation written out)
    rng = np.random.default_rng(9)
    for shape in ((37, 41), (29, 33, 3)):
        image = (rng.random(shape) * 2 - 0.5).astype(dtype)
        image[5, 6] = np.nan
        for tf in (skt.AffineTransform(rotation=0.3, translation=(6, -9)),
                   skt.ProjectiveTransform(np.array([[1.1, 0.1, -3], [0.05, 0.9, 4],
                                                     [0.002, 0.001, 1]]))):
            for cval in (0.0, 0.75):
                same(lambda: T.warp(image, tf, order=order, mode=mode, cval=cval,
                                    output_shape=(45, 50)),
                     lambda: skt.warp(image, tf, order=order, mode=mode, cval=cval,
                                      output_shape=(45, 50)))
