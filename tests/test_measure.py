"""fastimg's measure family (``skimage.measure`` label, find_contours,
approximate_polygon, subdivide_polygon) against the reference (the
definition), scikit-image 0.26, invariants, odd inputs and errors.

Labels and contour coordinates are compared exactly (contours: their
number, order, orientation and float64 points bit for bit); polygons too,
except the reference's subdivision, whose sums run in another order than
SciPy's ``convolve2d`` ("subdivide-reference" tolerance)."""
import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.measure as skm
from conftest import assert_close, assert_same_outcome
from hypothesis import given
from hypothesis import strategies as st

from fastimg import measure as M
from reference import measure as R

VALUE_DTYPES = ["bool", "uint8", "int16", "int32", "int64", "uint16", "float32", "float64"]


def same(actual, expected):
    """Equal arrays (dtype, shape, values, sign of zero), lists of arrays,
    tuples, numbers (type and value)."""
    if isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            same(a, e)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray) and actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected, strict=True)
        if expected.dtype.kind == "f":
            keep = ~np.isnan(expected)
            np.testing.assert_array_equal(np.signbit(actual[keep]), np.signbit(expected[keep]))
        return
    assert type(actual) is type(expected) and actual == expected, (actual, expected)


@st.composite
def label_images(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    side = 12 if nd < 3 else 5
    shape = [draw(st.integers(1, side)) for _ in range(nd)]
    if nd > 1 and draw(st.booleans()):
        shape[draw(st.integers(0, nd - 1))] = 1     # skimage swaps such axes
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["random", "none", "all", "one"]))
    vals = rng.integers(0, draw(st.sampled_from([2, 3, 5])), shape)
    if kind == "none":
        vals[...] = 0
    elif kind == "all":
        vals[...] = 1
    elif kind == "one":
        vals[...] = 0
        vals[tuple(rng.integers(0, s) for s in shape)] = 2
    dtype = draw(st.sampled_from(VALUE_DTYPES))
    x = vals.astype(dtype)
    if dtype.startswith("float") and draw(st.booleans()):
        x = x + np.asarray(0.25, dtype)      # truncated by skimage's intp cast
    return x


# ---------------------------------------------------------------- label
@given(x=label_images(), data=st.data())
def test_label_equals_reference_and_skimage(x, data):
    conn = data.draw(st.sampled_from([None] + list(range(1, x.ndim + 1))))
    bg = data.draw(st.sampled_from([None, 0, 1, 2, -1]))
    got = M.label(x, background=bg, return_num=True, connectivity=conn)
    same(got, R.label(x, background=bg, return_num=True, connectivity=conn))
    expected = skm.label(x, background=bg, return_num=True, connectivity=conn)
    same(got, expected)
    # skimage returns a swapped-back view for shapes it swaps: same strides
    assert got[0].strides == expected[0].strides
    same(M.label(x, bg, False, conn), expected[0])


@given(x=label_images())
def test_label_count_is_the_number_of_flood_fill_components(x):
    """Invariant: with a bool image, the count equals SciPy's component
    count with the full structure, and labels are exactly 1..count."""
    b = x.astype(bool)
    lab, n = M.label(b, return_num=True)
    assert n == ndi.label(b, np.ones((3,) * b.ndim, bool))[1]
    assert set(np.unique(lab)) <= set(range(n + 1)) and (n == 0 or lab.max() == n)
    assert ((lab > 0) == b).all()


def test_label_examples():
    x = np.eye(3).astype(int)
    assert M.label(x, connectivity=1).tolist() == [[1, 0, 0], [0, 2, 0], [0, 0, 3]]
    assert M.label(x, connectivity=2).tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert M.label(x, background=-1).tolist() == [[1, 2, 2], [2, 1, 2], [2, 2, 1]]
    assert M.label(np.array([[1, 0, 0], [1, 1, 5], [0, 0, 0]])).tolist() == [
        [1, 0, 0], [1, 1, 2], [0, 0, 0]]
    lab, n = M.label(np.ones((2, 2), bool), background=1, return_num=True)
    assert n == 0 and lab.dtype == np.int32 and not lab.any()


@pytest.mark.parametrize("x,kw", [
    (np.ones((3, 3), int), {"connectivity": 0}),
    (np.ones((3, 3), int), {"connectivity": 3}),
    (np.ones((3, 3), bool), {"connectivity": 3}),
    (np.ones((3, 3), bool), {"connectivity": 0}),
    (np.ones((3, 3), int), {"connectivity": "1"}),
    (np.ones((3, 3), int), {"connectivity": 1.5}),
    (np.ones((2, 2, 2, 2), int), {}),
    (np.ones((2, 2, 2, 2), bool), {}),
    (np.ones((), int), {}),
    (np.ones((0, 3), int), {}),
    (np.ones((3, 0), bool), {}),
    (np.ones((3, 3), int), {"background": "x"}),
    (np.ones((3, 3), int), {"background": 2**70}),
    (np.ones((3, 3), int), {"background": 1.7}),
    (np.array([[1, 2, 2], [0, 2, 1]]), {"background": np.float64(2.0)}),
])
def test_label_odd_arguments_and_errors(x, kw):
    assert_same_outcome(lambda: M.label(x, return_num=True, **kw),
                        lambda: skm.label(x, return_num=True, **kw), same)


def test_label_odd_layouts():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 3, (6, 7))
    for v in (x.T, x[::-1, ::2], np.asfortranarray(x), x.astype(">i4"),
              x.astype(np.uint8)[:, :, None]):
        same(M.label(v, return_num=True), skm.label(v, return_num=True))
    ro = x.copy()
    ro.setflags(write=False)
    same(M.label(ro), skm.label(ro))


# ---------------------------------------------------------------- find_contours
@st.composite
def contour_images(draw):
    h, w = draw(st.integers(2, 12)), draw(st.integers(2, 12))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["levels", "random", "blobs", "flat"]))
    if kind == "levels":      # ties with the level: points on the vertices
        x = rng.integers(0, 4, (h, w)).astype(float)
    elif kind == "random":
        x = rng.random((h, w))
    elif kind == "blobs":
        x = ndi.gaussian_filter(rng.random((h, w)), 1.0)
    else:
        x = np.full((h, w), 2.0)
    if draw(st.booleans()):
        x[rng.random((h, w)) < 0.1] = np.nan
    return x.astype(draw(st.sampled_from(["float64", "float32", "float64"])))


@given(x=contour_images(), data=st.data())
def test_find_contours_equals_reference_and_skimage(x, data):
    level = data.draw(st.sampled_from([None, 0.5, 1.0, 1.5, 2.0]))
    fc = data.draw(st.sampled_from(["low", "high"]))
    po = data.draw(st.sampled_from(["low", "high"]))
    mask = None
    if data.draw(st.booleans()):
        rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
        mask = rng.random(x.shape) > 0.15
    got = M.find_contours(x, level, fc, po, mask=mask)
    same(got, R.find_contours(x, level, fc, po, mask=mask))
    same(got, skm.find_contours(x, level, fc, po, mask=mask))


@given(r=st.floats(1.5, 9.0), cy=st.floats(10.0, 14.0), cx=st.floats(10.0, 14.0))
def test_contour_of_a_thresholded_disc_is_closed(r, cy, cx):
    yy, xx = np.mgrid[:24, :24]
    disc = ((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r).astype(float)
    contours = M.find_contours(disc, 0.5)
    assert len(contours) == (1 if disc.any() else 0)
    for c in contours:
        assert c.dtype == np.float64 and c.shape[1] == 2
        np.testing.assert_array_equal(c[0], c[-1])
    same(contours, skm.find_contours(disc, 0.5))


def test_find_contours_integer_images_and_default_level():
    rng = np.random.default_rng(5)
    for dtype in ("uint8", "int16", "bool"):
        x = (rng.integers(0, 2, (9, 11)) * 200 + 50).astype(dtype)
        # uint8 default level: nanmin + nanmax wraps as NumPy's does
        same(M.find_contours(x), skm.find_contours(x))
    big = (rng.random((40, 40)) * 300).astype(np.uint16)[::-1, ::2]
    same(M.find_contours(big, 150, 'high', 'high'), skm.find_contours(big, 150, 'high', 'high'))


@pytest.mark.parametrize("args,kw", [
    ((np.zeros((3, 3)),), {"fully_connected": "x"}),
    ((np.zeros((3, 3)),), {"positive_orientation": "x"}),
    ((np.zeros((1, 3)),), {}),
    ((np.zeros(3),), {}),
    ((np.zeros((3, 3, 3)),), {}),
    ((np.zeros((3, 3)),), {"mask": np.ones((3, 2), bool)}),
    ((np.zeros((3, 3)),), {"mask": np.ones((3, 3), int)}),
    ((np.zeros((3, 3)),), {"mask": np.ones((3, 3), bool)}),
    ((np.full((3, 3), np.nan),), {}),
])
def test_find_contours_errors_and_degenerate_inputs(args, kw):
    assert_same_outcome(lambda: M.find_contours(*args, **kw),
                        lambda: skm.find_contours(*args, **kw), same)


# ---------------------------------------------------------------- polygons
@st.composite
def chains(draw, min_len=2):
    n = draw(st.integers(min_len, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    c = np.cumsum(rng.normal(size=(n, 2)), 0)
    kind = draw(st.sampled_from(["float64", "float32", "int64", "rounded", "closed"]))
    if kind == "float32":
        c = c.astype(np.float32)
    elif kind == "int64":
        c = np.round(3 * c).astype(np.int64)
    elif kind == "rounded":
        c = np.round(c)
    elif kind == "closed":
        c = np.vstack([c, c[:1]])
    return c


@given(c=chains(), tol=st.sampled_from([-1.0, 0.0, 0.1, 0.5, 1.0, 2.0, 10.0]))
def test_approximate_polygon_equals_reference_and_skimage(c, tol):
    got = M.approximate_polygon(c, tol)
    same(got, R.approximate_polygon(c, tol))
    same(got, skm.approximate_polygon(c, tol))
    # invariant: the ends are kept and the chain only shrinks
    same(got[[0, -1]], c[[0, -1]])


@given(c=chains(min_len=3), degree=st.integers(1, 7), ends=st.booleans())
def test_subdivide_polygon_equals_reference_and_skimage(c, degree, ends):
    def ours():
        return M.subdivide_polygon(c, degree, ends)
    assert_same_outcome(ours, lambda: skm.subdivide_polygon(c, degree, ends), same)
    try:
        got = ours()
    except ValueError:
        return      # too short for 'valid' with this degree: skimage's error too
    assert_close(got, R.subdivide_polygon(c, degree, ends), "subdivide-reference")


@pytest.mark.parametrize("degree", [0, 8, 2.5])
def test_subdivide_polygon_rejects_degrees(degree):
    c = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 1.0]])
    assert_same_outcome(lambda: M.subdivide_polygon(c, degree),
                        lambda: skm.subdivide_polygon(c, degree), same)


def test_approximate_polygon_tolerance_zero_returns_the_input():
    c = np.array([[0.0, 0.0], [1.0, 0.1], [2.0, 0.0]])
    assert M.approximate_polygon(c, 0) is c


# ---------------------------------------------------------------- regionprops_table
PROPS = ('label', 'bbox', 'num_pixels', 'area', 'area_bbox', 'extent',
         'equivalent_diameter_area', 'centroid', 'centroid_local', 'inertia_tensor',
         'inertia_tensor_eigvals', 'axis_major_length', 'axis_minor_length', 'image', 'coords',
         'slice')
PROPS_2D = ('eccentricity', 'orientation', 'moments', 'moments_central', 'moments_normalized')
INTENSITY = ('intensity_mean', 'intensity_min', 'intensity_max', 'intensity_std')
WEIGHTED = ('centroid_weighted', 'centroid_weighted_local', 'moments_weighted',
            'moments_weighted_central', 'moments_weighted_normalized')
MOMENT_COLUMNS = ('centroid', 'centroid_local', 'inertia_tensor', 'axis_major_length')


def same_table(actual, expected, close=()):
    """Same columns in the same order, dtypes and values; columns starting
    with a name of ``close`` compared by (case, names) tolerance pairs."""
    assert list(actual) == list(expected)
    for name, e in expected.items():
        a = actual[name]
        assert a.dtype == e.dtype and a.shape == e.shape, (name, a.dtype, e.dtype)
        if e.dtype == object:
            for x, y in zip(a, e):
                if isinstance(y, np.ndarray):
                    same(x, y)
                else:
                    assert x == y, name
            continue
        case = next((c for c, names in close if name.startswith(names)), None)
        if case is None:
            np.testing.assert_array_equal(a, e, err_msg=name, strict=True)
        else:
            assert_close(a, e, case)


@st.composite
def label_layouts(draw, nd=2):
    side = 14 if nd == 2 else 6
    shape = tuple(draw(st.integers(1, side)) for _ in range(nd))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lab = M.label(rng.random(shape) < draw(st.sampled_from([0.3, 0.6, 0.9])),
                  connectivity=1)
    if draw(st.booleans()):
        lab = lab * 3              # missing labels are skipped
    lab = lab.astype(draw(st.sampled_from(["int32", "int64", "uint8", "uint16"])))
    kind = draw(st.sampled_from(["float64", "float32", "uint8", "int16", "none"]))
    inten = None
    if kind != "none":
        inten = (rng.random(shape) * 300 - 20).astype(kind)
    spacing = draw(st.sampled_from([None, None, 2, 0.7, tuple([1.5, 0.3, 2.0][:nd])]))
    return lab, inten, spacing


@given(case=label_layouts())
def test_regionprops_table_2d_equals_skimage_and_reference(case):
    lab, inten, spacing = case
    props = PROPS + PROPS_2D + (INTENSITY + WEIGHTED if inten is not None else ()) + (
        ('moments_hu',) if spacing is None else ()) + (
        ('moments_weighted_hu',) if spacing is None and inten is not None else ())
    got = M.regionprops_table(lab, inten, props, spacing=spacing)
    same_table(got, skm.regionprops_table(lab, inten, props, spacing=spacing))
    if not lab.any():
        return
    ref = R.regionprops_table(lab, inten, props, spacing=spacing)
    well = _well_conditioned(got)
    for name in ("orientation",):
        ref[name], got[name] = ref[name][well], got[name][well]
    same_table(got, ref, close=(
        ("regionprops-moment-sums", ("moments", "centroid_weighted")),
        ("regionprops-moments", MOMENT_COLUMNS + (
            "inertia_tensor_eigvals", "orientation", "axis_minor_length")),
        ("regionprops-sqrt", ("eccentricity",))))


def _well_conditioned(table):
    """Regions whose inertia tensor is clearly anisotropic and not a zero
    (of either sign) off the diagonal with a > c: elsewhere the orientation
    is the angle of rounding noise (in skimage too), or +-pi/2 by the sign
    of a zero."""
    a, b, c = (table[f"inertia_tensor-{i}-{j}"] for i, j in ((0, 0), (0, 1), (1, 1)))
    tol = 1e-6 * (np.abs(a) + np.abs(c) + 1)
    return (np.abs(a - c) + np.abs(b) > tol) & ((c - a > tol) | (np.abs(b) > tol))


@given(case=label_layouts(nd=3))
def test_regionprops_table_3d_equals_skimage_and_is_close_to_the_reference(case):
    """3-D columns equal skimage's (moments and the inertia tensor come from
    the region objects' tensor contractions); the reference sums pixel by
    pixel: tensor-derived columns within the tolerance table."""
    lab, inten, spacing = case
    props = PROPS + (INTENSITY if inten is not None else ())
    got = M.regionprops_table(lab, inten, props, spacing=spacing)
    close = (("regionprops-sqrt", ("axis_",)),
             ("regionprops-moments", ("inertia_tensor", "centroid_local")))
    same_table(got, skm.regionprops_table(lab, inten, props, spacing=spacing))
    if lab.any():
        close = close + (("regionprops-moments", ("centroid",)),)
        same_table(got, R.regionprops_table(lab, inten, props, spacing=spacing), close)


def test_regionprops_table_default_columns_names_and_empty_images():
    lab = np.array([[1, 1, 0], [0, 2, 2], [0, 2, 2]])
    t = M.regionprops_table(lab, properties=('Label', 'area', 'BoundingBox', 'centroid'),
                            separator='_')
    assert list(t) == ['Label', 'area', 'BoundingBox_0', 'BoundingBox_1', 'BoundingBox_2',
                       'BoundingBox_3', 'centroid_0', 'centroid_1']
    assert t['area'].tolist() == [2.0, 4.0] and t['centroid_0'].tolist() == [0.0, 1.5]
    for args in ((np.zeros((4, 5), int),), (np.zeros((4, 5), int), np.ones((4, 5))),
                 (np.zeros((2, 3, 4), np.uint8), np.ones((2, 3, 4)))):
        props = ('label', 'centroid', 'inertia_tensor') + (
            ('intensity_mean',) if len(args) > 1 else ())
        same_table(M.regionprops_table(*args, properties=props),
                   skm.regionprops_table(*args, properties=props))
    same_table(M.regionprops_table(lab), skm.regionprops_table(lab))


@pytest.mark.parametrize("args,kw", [
    ((np.ones((3, 3), bool),), {}),
    ((np.ones((3, 3)),), {}),
    ((np.ones(3, int),), {}),
    ((np.ones((2, 2, 2, 2), int),), {}),
    ((np.ones((3, 3), int),), {"properties": ("no_such_property",)}),
    ((np.ones((3, 3), int),), {"properties": ("intensity_mean",)}),
    ((np.ones((3, 3), int), np.ones((3, 4))), {}),
    ((np.ones((3, 3), int),), {"spacing": (1, 2, 3)}),
    ((np.ones((3, 3), int),), {"spacing": np.inf}),
    ((np.ones((3, 3), int),), {"spacing": ("a", "b")}),
    ((np.ones((2, 2, 2), int),), {"properties": ("eccentricity",)}),
    ((np.zeros((0, 3), int),), {}),
    ((np.ones((3, 3), int),), {"properties": ("moments_hu",), "spacing": (1, 2)}),
])
def test_regionprops_table_errors(args, kw):
    assert_same_outcome(lambda: M.regionprops_table(*args, **kw),
                        lambda: skm.regionprops_table(*args, **kw), same_table)


def _name_width(mask):
    return mask.shape[1]


@pytest.mark.parametrize("extra", [None, (_name_width,)])
@pytest.mark.parametrize("spacing", [None, (1.0, 2.0)])
def test_regionprops_table_large_regions_among_many_equal_skimage(extra, spacing):
    """Regions whose box exceeds 256 pixels a side, not first in label
    order, among many small ones: their moment columns come from their own
    region objects (built alone, or with all others for extra properties)."""
    rng = np.random.default_rng(3)
    lab = np.zeros((320, 300), np.int32)
    small = rng.random((320, 300)) < 0.3
    lab[small] = 1 + (np.arange(small.sum()) % 7)
    yy, xx = np.mgrid[:320, :300]
    lab[((yy - 160) / 150.0) ** 2 + ((xx - 150) / 140.0) ** 2 <= 1] = 9
    lab[:, 290:] = 12
    lab[300:, :] = 11
    inten = np.sin(yy * 0.37) + xx * 1e-3
    props = ("label", "area", "centroid", "bbox", "eccentricity", "intensity_mean",
             "orientation", "inertia_tensor_eigvals")
    if extra:
        props = props + ("_name_width",)
    ours = M.regionprops_table(lab, inten, props, extra_properties=extra, spacing=spacing)
    theirs = skm.regionprops_table(lab, inten, props, extra_properties=extra, spacing=spacing)
    assert list(ours) == list(theirs)
    for k, e in theirs.items():
        assert ours[k].dtype == e.dtype, k
        np.testing.assert_array_equal(ours[k], e, err_msg=k, strict=True)
