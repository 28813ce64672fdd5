"""fastimg's ``regionprops`` (the lazy region objects) and the per-region
properties of ``regionprops_table`` (perimeters, Euler number, convex and
filled images, Feret diameter, intensity image and median, scaled
coordinates, multichannel and float16 intensities, extra properties)
against scikit-image 0.26 (every value, shape and type identical), the
reference's textbook definitions, invariants, odd inputs (big-endian,
Fortran, strided, read-only, uint64 and negative labels) and skimage's
errors and warnings."""
import warnings

import numpy as np
import pytest
import skimage.measure as skm
from conftest import assert_same_outcome
from hypothesis import given
from hypothesis import strategies as st

from fastimg import measure as M
from fastimg._measure.region_names import NEEDS_INTENSITY, ONLY_2D, SUPPORTED
from reference import measure as R

ALL = sorted(SUPPORTED)


def same(a, b):
    """Equal values of equal types: arrays (dtype, shape, NaN where NaN),
    tuples and lists element by element, scalars of the same type."""
    if isinstance(b, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            same(x, y)
    elif isinstance(b, np.ndarray):
        assert isinstance(a, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b, strict=True)
    else:
        assert type(a) is type(b), (type(a), type(b))
        assert a == b or (a != a and b != b), (a, b)


def same_table(a, b):
    assert list(a) == list(b)
    for k, e in b.items():
        assert a[k].dtype == e.dtype and a[k].shape == e.shape, k
        if e.dtype == object:
            for x, y in zip(a[k], e):
                same(x, y)
        else:
            np.testing.assert_array_equal(a[k], e, err_msg=k, strict=True)


def outcome(f):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            # (first lines: Qhull's error text, quoted in the hull warning,
            # carries a per-call run id)
            return f(), [(x.category, str(x.message).split("\n")[0]) for x in w]
    except Exception as e:       # noqa: BLE001 - the outcome is compared
        return e, []


@st.composite
def cases(draw, nd=None):
    nd = nd or draw(st.sampled_from([2, 2, 3]))
    shape = tuple(draw(st.integers(1, 12 if nd == 2 else 5)) for _ in range(nd))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lab = M.label(rng.random(shape) < draw(st.sampled_from([0.0, 0.3, 0.6, 0.9])),
                  connectivity=draw(st.sampled_from([1, nd])))
    lab = lab.astype(draw(st.sampled_from(["int32", "int64", "uint8", "uint16"])))
    kind = draw(st.sampled_from(["none", "float64", "float32", "uint8", "float16", "multi"]))
    inten = None
    if kind == "multi":
        inten = rng.random(shape + (draw(st.integers(1, 3)),))
    elif kind != "none":
        inten = (rng.random(shape) * 300).astype(kind)
    spacing = draw(st.sampled_from([None, None, 2, 0.7, (1.5, 0.3, 2.0)[:nd]]))
    offset = draw(st.sampled_from([None, None, (2, -3, 1)[:nd]]))
    return lab, inten, spacing, offset


def _props(lab, inten, spacing):
    nd = lab.ndim
    return [p for p in ALL if not (nd == 3 and p in ONLY_2D)
            and not (inten is None and p in NEEDS_INTENSITY)
            and not (spacing is not None and ("_hu" in p or "perimeter" in p))]


@given(case=cases())
def test_region_objects_equal_skimage_property_by_property(case):
    lab, inten, spacing, offset = case
    ours = M.regionprops(lab, inten, spacing=spacing, offset=offset)
    theirs = skm.regionprops(lab, inten, spacing=spacing, offset=offset)
    assert [r.label for r in ours] == [r.label for r in theirs]
    for a, b in zip(ours, theirs):
        assert list(a) == list(b) and repr(a) == repr(b) and a.slice == b.slice
        for p in ALL + ["made_up"]:
            x, y = outcome(lambda: getattr(a, p)), outcome(lambda: getattr(b, p))
            if isinstance(y[0], Exception):
                assert type(x[0]) is type(y[0]) and str(x[0]) == str(y[0]), (p, x, y)
            else:
                same(x[0], y[0])
                assert x[1] == y[1], p


@given(case=cases())
def test_regionprops_table_every_property_equals_skimage(case):
    lab, inten, spacing, _ = case

    def pixels(mask):
        return mask.sum()

    def quartiles(mask, image):
        return np.percentile(image[mask], q=(25, 50, 75))
    extra = [pixels] + ([quartiles] if inten is not None else [])
    props = _props(lab, inten, spacing)
    # (a flat 3-D region has no hull: both warn, then the Feret diameter raises)
    got = outcome(lambda: M.regionprops_table(lab, inten, props, spacing=spacing,
                                              extra_properties=extra))
    want = outcome(lambda: skm.regionprops_table(lab, inten, props, spacing=spacing,
                                                 extra_properties=extra))
    if isinstance(want[0], Exception):
        assert type(got[0]) is type(want[0]) and str(got[0]) == str(want[0])
    else:
        same_table(got[0], want[0])


@given(case=cases(nd=2))
def test_shape_measures_equal_the_textbook_definitions(case):
    lab = case[0]
    for r in M.regionprops(lab):
        img = r.image
        assert r.perimeter == pytest.approx(R.region_perimeter(img), rel=1e-12)
        assert r.perimeter_crofton == pytest.approx(R.region_perimeter_crofton(img),
                                                    rel=1e-12)
        assert r.euler_number == R.region_euler_number(img, 2)
        assert r.area_filled == R.region_area_filled(img)
        # the hull holds the region; the region is at most its hull
        assert np.all(r.image_convex[img]) and 0 < r.solidity <= 1
        assert r.feret_diameter_max >= max(np.array(img.shape) - 1)


def test_ring_disc_and_square_invariants():
    yy, xx = np.mgrid[:41, :41]
    d2 = (yy - 20) ** 2 + (xx - 20) ** 2
    disc, ring = (d2 <= 225).astype(np.uint8), ((d2 <= 225) & (d2 > 64)).astype(np.uint8)
    r = M.regionprops(ring)[0]
    assert r.area_filled == M.regionprops(disc)[0].area
    assert r.euler_number == 0 and M.regionprops(disc)[0].euler_number == 1
    assert r.solidity < 1 and r.area_convex == M.regionprops(disc)[0].area_convex
    sq = np.zeros((9, 9), np.uint8)
    sq[2:7, 2:7] = 1
    s = M.regionprops(sq)[0]
    assert s.solidity == 1 and s.feret_diameter_max == pytest.approx(np.hypot(5, 5), abs=1)
    holes = np.ones((5, 7), np.uint8)
    holes[1, 1] = holes[3, 3] = holes[1, 5] = 0
    assert M.regionprops(holes)[0].euler_number == 1 - 3


def test_intensity_median_multichannel_and_names():
    lab = np.array([[1, 1, 0], [0, 2, 2], [0, 2, 2]])
    inten = np.arange(18.).reshape(3, 3, 2)
    r = M.regionprops(lab, inten)[1]
    # region 2's pixels are flat 4, 5, 7, 8: channel 0 holds 8, 10, 14, 16
    assert r.intensity_median.tolist() == [12.0, 13.0]
    t = M.regionprops_table(lab, inten, ("intensity_median", "moments_weighted_hu"))
    assert "intensity_median-0" in t and "moments_weighted_hu-6-1" in t
    assert t["intensity_median-1"].tolist() == [2.0, 13.0]


def test_deprecated_names_warn_like_skimage():
    lab = np.array([[1, 1, 0], [0, 2, 2]])
    a, b = M.regionprops(lab)[0], skm.regionprops(lab)[0]
    for get in (lambda r: r.filled_area, lambda r: r["bbox_area"], lambda r: r.convex_image,
                lambda r: r.BoundingBox, lambda r: r.mean_intensity):
        x, y = outcome(lambda: get(a)), outcome(lambda: get(b))
        if isinstance(y[0], Exception):
            assert type(x[0]) is type(y[0]) and str(x[0]) == str(y[0])
        else:
            same(x[0], y[0])
            assert x[1] == y[1]


def test_cache_extra_properties_and_equality():
    lab = np.array([[1, 1, 0], [0, 2, 2]])

    def area(mask):
        return 0

    def three(a, b, c):
        return 0
    x, y = outcome(lambda: M.regionprops(lab, extra_properties=[area])), outcome(
        lambda: skm.regionprops(lab, extra_properties=[area]))
    assert x[1] == y[1] and x[0][0].area == 2.0
    r = M.regionprops(lab, cache=False, extra_properties=[three])[0]
    with pytest.raises(AttributeError, match="must be 1 or 2, but three takes 3"):
        r.three
    assert M.regionprops(lab)[0] == M.regionprops(lab)[0]
    assert M.regionprops(lab)[0] != M.regionprops(lab)[1]
    assert M.regionprops(lab)[0] != 3


@pytest.mark.parametrize("args,kw", [
    ((np.ones((3, 3), bool),), {}),
    ((np.ones((3, 3)),), {}),
    ((np.ones(3, int),), {}),
    ((np.ones((3, 3), int),), {"offset": (1, 2, 3)}),
    ((np.ones((3, 3), int), np.ones((3, 4))), {}),
    ((np.ones((3, 3), int),), {"spacing": np.inf}),
    ((np.zeros((3, 3), int),), {"spacing": np.inf}),
    ((np.zeros((0, 3), int),), {}),
])
def test_regionprops_errors_like_skimage(args, kw):
    def ours():
        return [r.bbox for r in M.regionprops(*args, **kw)]

    def theirs():
        return [r.bbox for r in skm.regionprops(*args, **kw)]
    assert_same_outcome(ours, theirs, same)


def test_property_errors_like_skimage():
    lab3 = np.ones((2, 2, 2), int)
    cases = [(lab3, None, "perimeter"), (lab3, None, "moments_hu"),
             (np.ones((3, 3), int), None, "intensity_median"),
             (np.ones((3, 3), int), None, "no_such_property"),
             (np.ones((3, 3), int), None, "Perimeter")]
    for lab, inten, p in cases:
        x = outcome(lambda: getattr(M.regionprops(lab, inten)[0], p))
        y = outcome(lambda: getattr(skm.regionprops(lab, inten)[0], p))
        assert type(x[0]) is type(y[0]) and str(x[0]) == str(y[0]), (p, x, y)
    sp = (1, 2)
    for p in ("perimeter", "perimeter_crofton", "moments_hu"):
        x = outcome(lambda: getattr(M.regionprops(np.ones((3, 3), int), spacing=sp)[0], p))
        y = outcome(lambda: getattr(skm.regionprops(np.ones((3, 3), int), spacing=sp)[0], p))
        assert type(x[0]) is type(y[0]) and str(x[0]) == str(y[0]), (p, x, y)


def test_large_regions_equal_skimage():
    """Boxes above 256 pixels a side: the moment columns from the region
    objects (the table's BLAS-order sums stop there)."""
    yy, xx = np.mgrid[:300, :280]
    lab = (((yy - 150) ** 2 / 140 ** 2 + (xx - 140) ** 2 / 130 ** 2) <= 1).astype(np.int32)
    lab[:40, :40] = 2
    inten = np.sin(yy * 0.37) + xx * 1e-3
    props = ("label", "moments_central", "inertia_tensor", "orientation", "moments_hu",
             "moments_weighted_normalized", "feret_diameter_max", "perimeter", "solidity")
    same_table(M.regionprops_table(lab, inten, props),
               skm.regionprops_table(lab, inten, props))


def _three(mask, image, extra):
    return 0


def _needs_intensity(mask, image):
    return 0


@pytest.mark.parametrize("args,kw", [
    ((np.array([[1, 1], [0, 2]]),), {"extra_properties": [_three]}),
    ((np.array([[1, 1], [0, 2]]),), {"extra_properties": [_needs_intensity]}),
    ((np.array([[1, 1], [0, 2]]),), {"properties": ("perimeter",), "spacing": (1, 2)}),
    ((np.ones((2, 2, 2), int),), {"properties": ("perimeter_crofton",)}),
    ((np.array([[1, 1], [0, 2]]), np.ones((2, 2, 3))), {"properties": ("moments_hu",)}),
    ((np.zeros((3, 3), int),), {"properties": ("label", "euler_number"),
                                "extra_properties": [_needs_intensity]}),
])
def test_regionprops_table_new_property_errors_like_skimage(args, kw):
    assert_same_outcome(lambda: M.regionprops_table(*args, **kw),
                        lambda: skm.regionprops_table(*args, **kw), same_table)


def _odd_inputs():
    rng = np.random.default_rng(3)
    lab = M.label(rng.random((11, 13)) < 0.6, connectivity=1)
    x = rng.random((11, 13)) * 100
    ro_lab, ro_x = lab.copy(), x.copy()
    ro_lab.flags.writeable = ro_x.flags.writeable = False
    return {"big-endian": (lab.astype(">i4"), x.astype(">f8")),
            "big-endian-small": (lab.astype(">u2"), (x * 100).astype(">i2")),
            "fortran": (np.asfortranarray(lab), np.asfortranarray(x)),
            "strided": (np.repeat(lab, 2, axis=1)[:, ::2], x[:, ::-1]),
            "read-only": (ro_lab, ro_x),
            "uint64": (lab.astype(np.uint64), x.astype(np.float32)),
            "negative-int8": (np.where(lab > 0, lab, -1).astype(np.int8), x > 50),
            "float16": (lab, x.astype(np.float16))}


@pytest.mark.parametrize("name", sorted(_odd_inputs()))
def test_odd_inputs_equal_skimage(name):
    lab, x = _odd_inputs()[name]
    props = _props(lab, x, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_table(M.regionprops_table(lab, x, props), skm.regionprops_table(lab, x, props))
        for a, b in zip(M.regionprops(lab, x), skm.regionprops(lab, x), strict=True):
            for p in props:
                same(getattr(a, p), getattr(b, p))
