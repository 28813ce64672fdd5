"""fastimg's labels family (``scipy.ndimage`` label, find_objects, the
measurements and the distance transforms; ``skimage.segmentation``
clear_border) against the reference (the definition), the anchors, odd
inputs and errors.

Labels, boxes, counts, positions and integer results are compared exactly;
float measurements are exact too (fastimg sums in SciPy's order)."""
import warnings

import numpy as np
import pytest
import scipy.ndimage as ndi
from conftest import outcome
from hypothesis import given
from hypothesis import strategies as st

from fastimg import ndimage as N
from fastimg import segmentation as S
from reference import labels as R

LABEL_DTYPES = ["bool", "uint8", "int16", "int32", "int64", "uint64", "float32", "float64"]


def same(actual, expected):
    """Equal results: arrays (dtype, shape, values), numbers (type and value),
    tuples / lists element by element; NaN equals NaN."""
    assert not isinstance(actual, Exception), actual
    if isinstance(expected, (tuple, list)):
        assert type(actual) is type(expected), (type(actual), type(expected))
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            same(a, e)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), type(actual)
        assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
        if expected.dtype == object:
            assert actual.shape == expected.shape
            for a, e in zip(actual.ravel(), expected.ravel()):
                same(a, e)
            return
        np.testing.assert_array_equal(actual, expected, strict=True)
        return
    assert type(actual) is type(expected), (type(actual), type(expected), actual, expected)
    if isinstance(expected, slice) or expected is None:
        assert actual == expected
        return
    np.testing.assert_array_equal(actual, expected)


def same_outcome(ours, theirs):
    expected = outcome(theirs)
    actual = outcome(ours)
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (str(actual), str(expected))
        return
    same(actual, expected)


@st.composite
def masks(draw, dtypes=LABEL_DTYPES, max_side=10):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    side = max_side if nd < 3 else 5
    shape = tuple(draw(st.integers(1, side)) for _ in range(nd))
    if nd == 2 and draw(st.booleans()):
        shape = draw(st.sampled_from([(1, shape[1]), (shape[0], 1)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.random(shape) < draw(st.sampled_from([0.2, 0.5, 0.8]))
    vals = rng.integers(1, 4, shape) * x
    return vals.astype(draw(st.sampled_from(dtypes)))


@st.composite
def structures(draw, nd):
    """None, or a random symmetric 3**nd structure."""
    if draw(st.booleans()):
        return None
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    s = rng.random((3,) * nd) < draw(st.sampled_from([0.3, 0.7]))
    s = s | s[(slice(None, None, -1),) * nd]
    return s


# ---------------------------------------------------------------- label
@given(x=masks(), data=st.data())
def test_label_equals_reference_and_scipy(x, data):
    s = data.draw(structures(x.ndim))
    lab, n = N.label(x, s)
    ref, rn = R.label(x, s)
    same(lab, ref)
    assert n == rn and type(n) is int
    same_outcome(lambda: N.label(x, s), lambda: ndi.label(x, s))


@given(x=masks(), data=st.data())
def test_label_into_output_arrays_any_layout(x, data):
    """SciPy scans lines along the output's smallest stride: the numbering
    follows the output array's layout."""
    s = data.draw(structures(x.ndim))
    dtype = data.draw(st.sampled_from(["int32", "uint8", "int8", "float64", "uint16"]))
    layout = data.draw(st.sampled_from(["C", "F", "reversed", "strided"]))

    def make():
        if layout == "C":
            return np.zeros(x.shape, dtype)
        if layout == "F":
            return np.zeros(x.shape, dtype, order="F")
        if layout == "reversed":
            return np.zeros(x.shape, dtype)[(slice(None, None, -1),) * x.ndim]
        return np.zeros(tuple(2 * d for d in x.shape), dtype)[(slice(None, None, 2),) * x.ndim]
    o1, o2 = make(), make()
    same_outcome(lambda: (N.label(x, s, output=o1), o1), lambda: (ndi.label(x, s, output=o2), o2))


@pytest.mark.parametrize("output", [np.uint8, np.int8, bool, "f4", np.int64, np.uint64,
                                    np.intp, np.int16])
def test_label_output_dtypes_and_bit_depth(output):
    # many components (checkerboard with connectivity 1) overflow small types
    for side in (4, 23, 40):
        x = (np.indices((side, side)).sum(0) % 2).astype(np.uint8)
        same_outcome(lambda: N.label(x, output=output), lambda: ndi.label(x, output=output))
        o1 = np.ones((side, side), output)
        o2 = np.ones((side, side), output)
        same_outcome(lambda: (N.label(x, output=o1), o1.view(np.uint8) if o1.dtype == bool
                              else o1),
                     lambda: (ndi.label(x, output=o2), o2.view(np.uint8) if o2.dtype == bool
                              else o2))


def test_label_refuses_a_read_only_output():
    # SciPy's Cython code writes through the flag; fastimg raises instead
    out = np.zeros((2, 3), np.int32)
    out.setflags(write=False)
    with pytest.raises(ValueError, match="output array is read-only"):
        N.label(np.ones((2, 3)), output=out)
    assert not out.any()


@pytest.mark.parametrize("name", ["distance_transform_edt", "distance_transform_cdt"])
def test_distance_transforms_read_only_outputs_raise_like_scipy(name):
    x = np.ones((3, 4))
    x[1, 1] = 0
    for kw in ({"distances": np.zeros((3, 4), np.float64 if "edt" in name else np.int32)},
               {"return_indices": True, "indices": np.zeros((2, 3, 4), np.int32)}):
        for v in kw.values():
            if isinstance(v, np.ndarray):
                v.setflags(write=False)
        same_outcome(lambda: getattr(N, name)(x, **kw), lambda: getattr(ndi, name)(x, **kw))


def test_label_bool_output_holds_scipys_label_bytes():
    x = np.array([[1, 0, 1], [1, 0, 1]])
    o1, o2 = np.zeros(x.shape, bool), np.zeros(x.shape, bool)
    assert N.label(x, output=o1) == ndi.label(x, output=o2) == 2
    same(o1.view(np.uint8), o2.view(np.uint8))


def test_label_invariants_and_odd_inputs():
    x = np.zeros((5, 7), np.uint8)
    same(N.label(x)[0], ndi.label(x)[0])
    assert N.label(x)[1] == 0
    x = np.ones((5, 7), np.float64)
    assert N.label(x)[1] == 1
    # one pixel, all features, 1xN, Nx1, big inputs of many components
    for y in (np.ones((1, 1)), np.ones((1, 9)), np.ones((9, 1)),
              np.eye(6, dtype=bool), np.array(3.0), np.array(0), np.zeros((0, 4)),
              np.zeros((3, 0), np.float16)):
        same_outcome(lambda: N.label(y), lambda: ndi.label(y))
        same_outcome(lambda: N.label(y, output=np.uint8), lambda: ndi.label(y, output=np.uint8))
    rng = np.random.default_rng(5)
    big = rng.random((300, 400)) < 0.45
    for s in (None, np.ones((3, 3))):
        same(N.label(big, s), ndi.label(big, s))
    # strided, reversed, Fortran, read-only, non-native byte order inputs
    base = (rng.random((9, 12)) < 0.5).astype(np.int32)
    ro = base.copy()
    ro.setflags(write=False)
    for y in (base[::2, ::-1], np.asfortranarray(base), ro, base.T):
        same(N.label(y, np.ones((3, 3))), ndi.label(y, np.ones((3, 3))))
    same_outcome(lambda: N.label(base.astype(">i4")), lambda: ndi.label(base.astype(">i4")))


def test_label_reads_any_nonzero_byte_of_a_bool_array_as_a_feature():
    x = np.array([[1, 0, 1], [1, 0, 1]])
    o = np.zeros(x.shape, bool)
    ndi.label(x, output=o)          # label bytes 1 and 2 in a bool array
    same(N.label(o, np.ones((3, 3))), ndi.label(o, np.ones((3, 3))))
    same(N.label(o[None], np.ones((3, 3, 3))), ndi.label(o[None], np.ones((3, 3, 3))))


def test_label_counts_flood_fill_components():
    rng = np.random.default_rng(11)
    x = rng.random((6, 7, 8)) < 0.4
    s = np.ones((3, 3, 3), bool)
    lab, n = N.label(x, s)
    assert n == R.label(x, s)[1]
    assert set(np.unique(lab)) == set(range(n + 1))


@pytest.mark.parametrize("args, kwargs", [
    ((np.ones((3, 3), complex),), {}),
    ((np.ones((3, 3)), np.ones((3, 3, 3))), {}),
    ((np.ones((3, 3)), np.ones((3, 2))), {}),
    ((np.ones((3, 3)), [[0, 1, 0], [1, 1, 0], [0, 1, 0]]), {}),
    ((np.ones((3, 3), np.float16),), {}),
    ((np.ones((3, 3), object),), {}),
    ((np.ones((3, 3)),), {"output": np.float16}),
    ((np.ones((3, 3)),), {"output": np.complex64}),
    ((np.ones((3, 3)),), {"output": "foo"}),
    ((np.ones((3, 3)),), {"output": np.zeros((3, 4), np.int32)}),
])
def test_label_errors_match_scipy(args, kwargs):
    same_outcome(lambda: N.label(*args, **kwargs), lambda: ndi.label(*args, **kwargs))


# --------------------------------------------------------- find_objects
@given(x=masks(dtypes=["uint8", "int16", "int32", "int64", "uint64", "bool", "float64"]),
       max_label=st.integers(-1, 5))
def test_find_objects_equals_reference_and_scipy(x, max_label):
    x = N.label(x)[0] if x.dtype == bool else x
    same_outcome(lambda: N.find_objects(x, max_label), lambda: ndi.find_objects(x, max_label))
    if not isinstance(outcome(lambda: ndi.find_objects(x, max_label)), Exception):
        same(N.find_objects(x, max_label), R.find_objects(x, max_label))


@pytest.mark.parametrize("x, max_label", [
    (np.array([[0.5, 2.5], [-0.5, 3.9]]), 0), (np.array([[0.5, 2.5]], np.float32), 3),
    (np.array([[0, 0]]), 0), (np.zeros((0, 3), int), 0), (np.array([True, False]), 0),
    (np.array([True, False]), 2), (np.array(3), 0), (np.array([1, 3]), 2.5),
    (np.array([1, 3]), 2), (np.array([-1, -3]), 0), (np.array([-1, -3]), 4),
    (np.array([1 + 0j]), 0), (np.ones(3, np.float16), 2), (np.array([2**63 + 5], np.uint64), 3),
])
def test_find_objects_odd_inputs_and_errors(x, max_label):
    same_outcome(lambda: N.find_objects(x, max_label), lambda: ndi.find_objects(x, max_label))


# --------------------------------------------------------- measurements
MEASURES = ["sum_labels", "sum", "mean", "variance", "standard_deviation", "minimum",
            "maximum", "median", "minimum_position", "maximum_position", "extrema",
            "center_of_mass"]      # histogram (other arguments): its own tests below
VALUE_DTYPES = ["uint8", "int16", "int64", "uint64", "float16", "float32", "float64", "bool"]


@st.composite
def measured(draw, general=True):
    """(input, labels, index): few distinct values (ties), NaN and signed
    zeros in float inputs; labels with absent, negative or float values."""
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    shape = tuple(draw(st.integers(1, 8 if nd < 3 else 4)) for _ in range(nd))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = np.dtype(draw(st.sampled_from(VALUE_DTYPES)))
    x = rng.integers(-3, 4, shape)
    if dtype.kind == "u":
        x = np.abs(x)
    x = x.astype(dtype)
    if dtype.kind == "f":
        if draw(st.booleans()):
            x.flat[rng.integers(0, x.size, 1 + x.size // 6)] = np.nan
        if draw(st.booleans()):
            x[x == 0] = -0.0
            x.flat[rng.integers(0, x.size)] = 0.0
    lo = -1 if general and draw(st.booleans()) else 0
    labels = rng.integers(lo, draw(st.sampled_from([2, 4, 7])), shape)
    if general:
        labels = labels.astype(draw(st.sampled_from(["int32", "int64", "uint8", "float64",
                                                     "uint64", "int16"])))
        if draw(st.booleans()) and labels.size:
            labels.flat[0] = labels.size + 3        # SciPy remaps large labels
    kind = draw(st.sampled_from(["none", "scalar", "list", "array2d", "empty", "nolabels"]))
    index = {"none": None, "scalar": draw(st.integers(-1, 5)),
             "list": draw(st.lists(st.integers(-1, 8), min_size=1, max_size=6)),
             "array2d": rng.integers(0, 6, (2, 3)), "empty": [],
             "nolabels": None}[kind]
    if kind == "nolabels":
        labels = None
    return x, labels, index


def _quiet(f):
    def call():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return f()
    return call


@pytest.mark.parametrize("name", MEASURES)
@given(case=measured())
def test_measurements_equal_scipy(name, case):
    x, labels, index = case
    same_outcome(_quiet(lambda: getattr(N, name)(x, labels, index)),
                 _quiet(lambda: getattr(ndi, name)(x, labels, index)))


@pytest.mark.parametrize("name", [m for m in MEASURES if m != "sum"])
@given(case=measured(general=False))
def test_measurements_equal_reference(name, case):
    x, labels, index = case
    expected = outcome(_quiet(lambda: getattr(ndi, name)(x, labels, index)))
    if isinstance(expected, Exception) or (x.dtype == np.float16 and name == "center_of_mass"):
        return
    same(_quiet(lambda: getattr(N, name)(x, labels, index))(),
         _quiet(lambda: getattr(R, name)(x, labels, index))())


@pytest.mark.parametrize("name", MEASURES)
def test_measurements_on_a_labelled_photograph(name):
    """Many regions and many tied values (uint8): the tie rules at scale."""
    rng = np.random.default_rng(4)
    x = rng.integers(0, 30, (120, 150)).astype(np.uint8)
    labels, n = ndi.label(x > 12)
    index = np.arange(-1, n + 3)
    for v in (x, x.astype(np.float32) - 15):
        same_outcome(lambda: getattr(N, name)(v, labels, index),
                     lambda: getattr(ndi, name)(v, labels, index))


@pytest.mark.parametrize("name", MEASURES)
@pytest.mark.parametrize("case", ["broadcast", "mismatch", "complex", "object", "empty",
                                  "empty-float-labels", "index-0d", "strided", "bigendian"])
def test_measurement_odd_inputs_and_errors(name, case):
    x = np.arange(12.0).reshape(3, 4) % 5
    labels = np.array([[1, 1, 2, 0], [0, 2, 2, 3], [1, 3, 3, 3]])
    index = [1, 2, 3, 4]
    if case == "broadcast":
        labels = labels[:1]
    elif case == "mismatch":
        labels = labels[:, :3]
    elif case == "complex":
        x = x + 1j
    elif case == "object":
        x = x.astype(object)
    elif case == "empty":
        x, labels = np.zeros((0, 3)), np.zeros((0, 3), int)
    elif case == "empty-float-labels":
        x, labels = np.zeros((0, 3)), np.zeros((0, 3))
    elif case == "index-0d":
        index = np.array(2)
    elif case == "strided":
        x, labels = x[::-1, ::2], labels[::2, ::-2].T.copy().T[:, :]
        x, labels = np.broadcast_arrays(x, labels[:1, :])
    elif case == "bigendian":
        x, labels = x.astype(">f8"), labels.astype(">i4")
    same_outcome(_quiet(lambda: getattr(N, name)(x, labels, index)),
                 _quiet(lambda: getattr(ndi, name)(x, labels, index)))


# -------------------------------------------------- distance transforms
@st.composite
def feature_masks(draw, max_side=9):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    shape = tuple(draw(st.integers(1, max_side if nd < 3 else 5)) for _ in range(nd))
    if nd == 2 and draw(st.booleans()):
        shape = draw(st.sampled_from([(1, shape[1]), (shape[0], 1)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["random", "sparse", "grid", "none", "all"]))
    if kind == "grid":          # regularly spaced features: many equal distances
        step = draw(st.integers(2, 4))
        x = np.indices(shape).sum(0) % step != 0
    elif kind == "none":
        x = np.ones(shape, bool)
    elif kind == "all":
        x = np.zeros(shape, bool)
    else:
        x = rng.random(shape) < (0.6 if kind == "random" else 0.95)
    dtype = draw(st.sampled_from(["bool", "uint8", "float64", "int32"]))
    return x.astype(dtype)


@st.composite
def samplings(draw, nd):
    kind = draw(st.sampled_from(["none", "scalar", "seq"]))
    values = st.sampled_from([0.5, 1.0, 2.0, 3.0, 1.3, 0.7])
    if kind == "none":
        return None
    if kind == "scalar":
        return draw(values)
    return [draw(values) for _ in range(nd)]


@given(x=feature_masks(), data=st.data())
def test_edt_equals_scipy_indices_and_ties(x, data):
    sampling = data.draw(samplings(x.ndim))
    same_outcome(lambda: N.distance_transform_edt(x, sampling, return_indices=True),
                 lambda: ndi.distance_transform_edt(x, sampling, return_indices=True))


@given(x=feature_masks())
def test_edt_equals_reference(x):
    # integer and half spacings: every distance is exact in float64
    for sampling in (None, [2.0, 0.5, 1.0][: x.ndim]):
        d, i = N.distance_transform_edt(x, sampling, return_indices=True)
        same(d, R.distance_transform_edt(x, sampling))
        # the chosen feature is one at the minimum distance
        if np.any(x == 0):
            assert not np.take(x, np.ravel_multi_index(tuple(i), x.shape)).any()


def test_edt_of_one_pixels_complement_is_the_distance_to_it():
    x = np.ones((13, 17), bool)
    x[4, 9] = False
    r, c = np.indices(x.shape)
    np.testing.assert_array_equal(N.distance_transform_edt(x),
                                  np.sqrt((r - 4.0) ** 2 + (c - 9.0) ** 2))


@pytest.mark.parametrize("flags", [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize("outputs", ["none", "distances", "indices", "both"])
def test_edt_output_arrays(flags, outputs):
    rng = np.random.default_rng(8)
    x = rng.random((7, 9)) < 0.8
    for shape_ok in (True, False):
        def call(f):
            kw = {}
            if outputs in ("distances", "both"):
                kw["distances"] = np.full((7, 9) if shape_ok else (7, 8), 5.0)
            if outputs in ("indices", "both"):
                kw["indices"] = np.full((2, 7, 9), 3, np.int32)
            r = f(x, return_distances=flags[0], return_indices=flags[1], **kw)
            return r, kw.get("distances"), kw.get("indices")
        same_outcome(lambda: call(N.distance_transform_edt),
                     lambda: call(ndi.distance_transform_edt))


@pytest.mark.parametrize("args, kwargs", [
    ((np.ones((3, 4)),), {"return_distances": False}),
    ((np.ones((3, 4)),), {"return_distances": False, "distances": np.zeros((3, 4))}),
    ((np.ones((3, 4)),), {"indices": np.zeros((2, 3, 4), np.int32)}),
    ((np.ones((3, 4)),), {"sampling": [1, 2, 3]}),
    ((np.ones((3, 4)),), {"return_indices": True, "indices": np.zeros((2, 3, 4), np.int64)}),
    ((np.ones((3, 4)),), {"return_indices": True, "indices": np.zeros((3, 3, 4), np.int32)}),
    ((np.ones((3, 4)),), {"distances": np.zeros((3, 4), np.float32)}),
    ((np.ones((3, 4)) + 1j,), {}),
    ((np.array(1.0),), {}), ((np.array(0.0),), {"return_indices": True}),
    ((np.zeros((0, 3)),), {}), ((np.ones((2, 3)),), {"return_indices": True}),
    ((np.ones((2, 3)),), {"return_indices": True,
                          "indices": np.full((2, 2, 3), 7, np.int32)}),
])
def test_edt_odd_inputs_and_errors(args, kwargs):
    def call(f):
        return f(*args, **kwargs), kwargs.get("indices"), kwargs.get("distances")
    same_outcome(lambda: call(N.distance_transform_edt), lambda: call(ndi.distance_transform_edt))


@given(x=feature_masks(), data=st.data())
def test_cdt_equals_scipy_any_metric(x, data):
    kind = data.draw(st.sampled_from(["chessboard", "taxicab", "cityblock", "array",
                                      "int-array"]))
    metric = kind
    if kind in ("array", "int-array"):
        rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
        metric = rng.random((3,) * x.ndim) < 0.6
        # SciPy reads an integer metric's bytes as booleans
        metric = metric.astype(np.int16) if kind == "int-array" else metric
    same_outcome(lambda: N.distance_transform_cdt(x, metric, return_indices=True),
                 lambda: ndi.distance_transform_cdt(x, metric, return_indices=True))


@given(x=feature_masks())
def test_cdt_equals_reference(x):
    for metric in ("chessboard", "taxicab"):
        same(N.distance_transform_cdt(x, metric), R.distance_transform_cdt(x, metric))


@pytest.mark.parametrize("args, kwargs", [
    ((np.ones((3, 4)),), {"metric": "foo"}),
    ((np.ones((3, 4)),), {"metric": np.ones((3, 4))}),
    ((np.ones((3, 4)),), {"metric": [[1, 1, 1], [1, 1, 1], [1, 1, 1.0]]}),
    ((np.ones((3, 4)),), {"metric": np.ones((3, 3), ">i2")}),
    ((np.ones((3, 4)),), {"metric": np.asfortranarray(np.tri(3, dtype=bool))}),
    ((np.ones((3, 4)),), {"return_distances": False}),
    ((np.ones((3, 4)),), {"distances": np.zeros((3, 4), np.int64)}),
    ((np.ones((3, 4)),), {"distances": np.zeros((3, 5), np.int32)}),
    ((np.ones((3, 4)),), {"return_indices": True, "indices": np.zeros((2, 3, 4), np.int64)}),
    ((np.ones((3, 4)),), {"return_indices": True, "indices": np.zeros((2, 3, 5), np.int32)}),
    ((np.eye(4),), {"return_indices": True, "indices": np.zeros((2, 4, 4), np.int32),
                    "distances": np.zeros((4, 4), np.int32)}),
    ((np.ones((3, 4)) + 1j,), {}), ((np.array(1.0),), {}), ((np.zeros((0, 3)),), {}),
])
def test_cdt_odd_inputs_and_errors(args, kwargs):
    def call(f):
        return f(*args, **kwargs), kwargs.get("indices"), kwargs.get("distances")
    same_outcome(lambda: call(N.distance_transform_cdt), lambda: call(ndi.distance_transform_cdt))


def test_cdt_metric_of_another_rank_raises_instead_of_reading_out_of_bounds():
    with pytest.raises(RuntimeError, match="metric and input must have equal rank"):
        N.distance_transform_cdt(np.ones((3, 4)), metric=np.ones((3, 3, 3), bool))


@pytest.mark.parametrize("sampling", [[0.0, 1.0], [-1.0, 2.0], [1.0, -0.5], [np.inf, 1.0],
                                      [1.0, np.nan], [1e-300, 1e300], [1e300, 1.0],
                                      [1e-160, 1.0]])
def test_edt_odd_samplings_follow_scipys_arithmetic(sampling):
    rng = np.random.default_rng(9)
    x = rng.random((9, 11)) < 0.7
    same_outcome(lambda: N.distance_transform_edt(x, sampling, return_indices=True),
                 lambda: ndi.distance_transform_edt(x, sampling, return_indices=True))
    y = rng.random((4, 5, 6)) < 0.7
    same_outcome(lambda: N.distance_transform_edt(y, sampling + [1.0], return_indices=True),
                 lambda: ndi.distance_transform_edt(y, sampling + [1.0], return_indices=True))


# ---------------------------------------------------------- clear_border
@st.composite
def label_images(draw):
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    shape = tuple(draw(st.integers(1, 9 if nd < 3 else 5)) for _ in range(nd))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(0, draw(st.sampled_from([2, 4])), shape) * (rng.random(shape) < 0.6)
    return x.astype(draw(st.sampled_from(["int32", "int64", "uint8", "bool", "float64"])))


@given(x=label_images(), buffer_size=st.integers(-1, 3), bgval=st.integers(0, 3),
       use_mask=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_clear_border_equals_reference_and_skimage(x, buffer_size, bgval, use_mask, seed):
    sks = pytest.importorskip("skimage.segmentation")
    mask = np.random.default_rng(seed).random(x.shape) < 0.8 if use_mask else None
    same_outcome(lambda: S.clear_border(x.copy(), buffer_size, bgval, mask),
                 lambda: sks.clear_border(x.copy(), buffer_size, bgval, mask))
    if buffer_size >= 0 and not isinstance(outcome(lambda: sks.clear_border(
            x.copy(), buffer_size, bgval, mask)), Exception):
        same(S.clear_border(x, buffer_size, bgval, mask),
             R.clear_border(x, buffer_size, bgval, mask))


@pytest.mark.parametrize("case", ["out", "mask-shape", "mask-dtype", "too-big", "4d", "0d",
                                  "4d-bool", "float-bgval", "list"])
def test_clear_border_odd_inputs_and_errors(case):
    sks = pytest.importorskip("skimage.segmentation")
    x = np.array([[1, 0, 0, 0], [0, 0, 2, 0], [0, 2, 2, 0], [0, 0, 0, 3]])
    kw = {}
    if case == "out":
        kw["out"] = np.ones_like(x)
    elif case == "mask-shape":
        kw["mask"] = np.ones((2, 2), bool)
    elif case == "mask-dtype":
        kw["mask"] = np.ones(x.shape, int)
    elif case == "too-big":
        kw["buffer_size"] = 4
    elif case == "4d":
        x = np.zeros((3, 3, 3, 3), int)
        x[1, 1, 1, 1] = 1
    elif case == "0d":
        x = np.array(True)
        kw["mask"] = np.array(True)
    elif case == "4d-bool":
        x = np.zeros((3, 3, 3, 3), bool)
        x[1, 1, 1, 1] = x[0, 0, 0, 0] = True
    elif case == "float-bgval":
        kw["bgval"] = 2.5
    elif case == "list":
        x = x.tolist()

    def call(f):
        out = kw.get("out")
        kws = dict(kw, out=None if out is None else out.copy())
        return f(x.copy() if isinstance(x, np.ndarray) else x, **kws), kws["out"]
    same_outcome(lambda: call(S.clear_border), lambda: call(sks.clear_border))


# ------------------------------------------------------------- histogram
@given(case=measured(), rng_=st.sampled_from([(0, 3, 3), (-2, 2, 4), (1, 1, 2), (3, 0, 2),
                                              (-3.5, 3.5, 7)]))
def test_histogram_equals_scipy_and_reference(case, rng_):
    x, labels, index = case
    if np.ndim(index) > 1:
        index = np.ravel(index)
    lo, hi, bins = rng_
    same_outcome(_quiet(lambda: N.histogram(x, lo, hi, bins, labels, index)),
                 _quiet(lambda: ndi.histogram(x, lo, hi, bins, labels, index)))
    if not isinstance(outcome(lambda: ndi.histogram(x, lo, hi, bins, labels, index)),
                      Exception):
        same(_quiet(lambda: N.histogram(x, lo, hi, bins, labels, index))(),
             R.histogram(x, lo, hi, bins, labels, index))


@pytest.mark.parametrize("args", [
    (np.ones((2, 3)), 0, 1, 2.0, np.ones((2, 3), int), [1]),
    (np.ones((2, 3)), 0, 1, 2, np.ones((2, 2), int), [1]),
    (np.ones((2, 3)), 0, 1, 2, None, 1),
    (np.ones((2, 3)), 0, 1, 2, np.ones((2, 3), int), [1.5]),
    (np.ones((2, 3)), 0, 1, 2, np.ones((2, 3), int), []),
    (np.ones((2, 3)) + 1j, 0, 1, 2, np.ones((2, 3), int), [1, 2]),
    (np.ones((2, 3), np.longdouble), 0, 1, 2, np.ones((2, 3), int), [1, 2]),
    (np.ones((2, 3)), 1, 0, 2, np.ones((2, 3), int), [1, 2]),
    (np.ones((2, 3)), 1, 0, 2, np.ones((2, 3), int), [5]),
])
def test_histogram_odd_inputs_and_errors(args):
    same_outcome(_quiet(lambda: N.histogram(*args)), _quiet(lambda: ndi.histogram(*args)))


def test_histogram_index_of_two_dimensions_raises_valueerror():
    # SciPy fails inside its loop with an error depending on the shape
    with pytest.raises(ValueError, match="index must be a scalar or a 1-D sequence"):
        N.histogram(np.ones((2, 3)), 0, 1, 2, np.ones((2, 3), int), [[1], [2]])


# ------------------------------------------------- label over runs
@pytest.fixture(scope="module")
def photo():
    from helpers import photo_image
    return photo_image()


@st.composite
def run_masks(draw, dtypes=("bool", "uint8", "float32", "int64")):
    """Masks of long runs along the last axis, the run labelling's inputs
    (pixel noise falls back to the pixel scan): a coarse random mask
    repeated along the last axis, cut to any width, its bytes starting at
    any offset (the eight-byte reads and the byte tail)."""
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    lead = tuple(draw(st.integers(1, 12 if nd < 3 else 5)) for _ in range(nd - 1))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    coarse = rng.random(lead + (draw(st.integers(1, 6)),)) < draw(st.sampled_from([0.3, 0.6]))
    x = np.repeat(coarse, draw(st.sampled_from([8, 9, 16])), axis=-1)
    x = x[..., draw(st.integers(0, 3)):]
    offset = draw(st.integers(0, 7))
    buf = np.zeros(x.size + offset, bool)[offset:]
    buf[:] = x.ravel()
    return buf.reshape(x.shape).astype(draw(st.sampled_from(dtypes)), copy=False)


@given(x=run_masks(), data=st.data())
def test_label_over_runs_equals_scipy_and_reference(x, data):
    s = data.draw(st.one_of(structures(x.ndim), st.sampled_from(
        [ndi.generate_binary_structure(x.ndim, c) for c in range(1, x.ndim + 1)])))
    ref, rn = R.label(x, s)
    same_outcome(lambda: N.label(x, s), lambda: ndi.label(x, s))
    lab, n = N.label(x, s)
    same(lab, ref)
    assert n == rn
    for dtype in ("int32", "intp", "uint16"):
        o1, o2 = np.zeros(x.shape, dtype), np.zeros(x.shape, dtype)
        same_outcome(lambda: (N.label(x, s, output=o1), o1),
                     lambda: (ndi.label(x, s, output=o2), o2))


def test_label_over_runs_of_a_thresholded_photograph(photo):
    mask = photo > photo.mean()
    for s in (None, np.ones((3, 3), bool), [[0, 1, 0], [1, 1, 1], [0, 1, 0]]):
        same_outcome(lambda: N.label(mask, s), lambda: ndi.label(mask, s))
        # the same mask at a byte offset, and as a transposed view
        buf = np.zeros(mask.size + 3, bool)[3:].reshape(mask.shape)
        buf[...] = mask
        same_outcome(lambda: N.label(buf, s), lambda: ndi.label(buf, s))
        same_outcome(lambda: N.label(mask.T, s), lambda: ndi.label(mask.T, s))
    # pixel noise (runs shorter than the run labelling takes) and a
    # structure whose row above is not an interval of columns
    noise = np.random.default_rng(3).random((64, 64)) < 0.5
    same_outcome(lambda: N.label(noise), lambda: ndi.label(noise))
    gap = np.array([[1, 0, 1], [1, 1, 1], [1, 0, 1]], bool)
    same_outcome(lambda: N.label(mask, gap), lambda: ndi.label(mask, gap))


@given(x=run_masks(dtypes=("bool",)), data=st.data())
def test_label_over_runs_joins_blocks_of_rows(x, data):
    """The union-find over blocks of rows, any blocks, then the rows
    between them gives SciPy's labels (the blocks a 2-core machine makes
    only at large sizes, forced here)."""
    from fastimg._labels import api, run_kernels
    real = api.run
    rows = int(np.prod(x.shape[:-1]))
    cuts = sorted(set(data.draw(st.lists(st.integers(0, rows), max_size=4))) | {0, rows})

    def run(core, args, **kw):
        if core is run_kernels.join_runs and args[-1] is True:
            kw = dict(kw, bounds=cuts, n_threads=2)
        return real(core, args, **kw)
    s = data.draw(st.sampled_from(
        [None] + [ndi.generate_binary_structure(x.ndim, c) for c in range(1, x.ndim + 1)]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(api, "run", run)
        same_outcome(lambda: N.label(x, s), lambda: ndi.label(x, s))


@st.composite
def plane_masks(draw):
    """2-D masks up to 40x60 (rows with many parabolas), of every
    input kind the distances-only path reads."""
    shape = (draw(st.integers(1, 40)), draw(st.integers(1, 60)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p = draw(st.sampled_from([0.3, 0.8, 0.97, 1.0]))
    x = rng.random(shape) < p
    kind = draw(st.sampled_from(["bool", "readonly", "strided", "float-nan", "int32", "list"]))
    if kind == "readonly":
        x.setflags(write=False)
    elif kind == "strided":
        x = np.repeat(x, 2, axis=1)[:, ::2]
    elif kind == "float-nan":     # NaN is a true value in SciPy's np.where
        x = np.where(x, np.where(rng.random(shape) < 0.5, np.nan, 2.5), 0.0)
    elif kind == "int32":
        x = x.astype(np.int32) * -3
    elif kind == "list":
        x = x.tolist()
    return x


@given(x=plane_masks(), data=st.data())
def test_edt_distances_only_2d_equals_scipy(x, data):
    sampling = data.draw(st.sampled_from([None, 1.0, [1, 1], (1.0, 1.0)]))
    same_outcome(lambda: N.distance_transform_edt(x, sampling),
                 lambda: ndi.distance_transform_edt(x, sampling))


def test_edt_distances_only_on_threads_equal_scipy():
    # large enough for the column strips and the rows to split over threads
    rng = np.random.default_rng(5)
    x = rng.random((700, 900)) < 0.999
    x[:, 450:470] = True            # columns without a feature
    out = np.full(x.shape, -1.0)
    same(N.distance_transform_edt(x), ndi.distance_transform_edt(x))
    assert N.distance_transform_edt(x, distances=out) is None
    same(out, ndi.distance_transform_edt(x))
