"""fastimg's interpolation family (``scipy.ndimage`` spline_filter1d,
spline_filter, zoom, shift, rotate, affine_transform, map_coordinates)
against the reference (the definition), SciPy (the anchor), invariants, odd
inputs and errors.  Every comparison is exact (bit for bit, signs of zero
included); the reference's weights are checked against the Cox-de Boor
definition of the B-spline within ``TOLERANCES['bspline-definition']``."""
import math
import warnings

import numpy as np
import pytest
from conftest import TOLERANCES, assert_close, assert_same_outcome, outcome
from hypothesis import given
from hypothesis import strategies as st

from fastimg import ndimage as N
from reference import interpolation as R

ndi = pytest.importorskip("scipy.ndimage")

MODES = ["constant", "grid-constant", "nearest", "reflect", "grid-mirror", "mirror",
         "wrap", "grid-wrap"]
IN_DTYPES = ["uint8", "uint16", "int16", "float32", "float64"]
OUT_DTYPES = [None, "uint8", "int8", "uint16", "int32", "uint64", "int64", "float32",
              "float64", "bool", np.bool_]
TRANSFORMS = ["zoom", "shift", "affine_transform", "map_coordinates", "rotate"]


def exact(actual, expected):
    assert_close(actual, expected, "direct")


def same(ours, theirs):
    assert_same_outcome(ours, theirs, exact)


@st.composite
def arrays(draw, dtypes=IN_DTYPES, ndims=(1, 2, 2, 3), side=7):
    nd = draw(st.sampled_from(ndims))
    shape = [draw(st.integers(1, side if nd < 3 else 4)) for _ in range(nd)]
    if nd == 2 and draw(st.booleans()):
        shape[draw(st.integers(0, 1))] = 1          # 1xN and Nx1
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    if dtype.kind == "f":
        x = rng.normal(0, 60, shape) + draw(st.sampled_from([0.0, 100.0]))
        if draw(st.integers(0, 4)) == 0:     # non-finite values now and then
            x.flat[draw(st.integers(0, x.size - 1))] = draw(
                st.sampled_from([np.nan, np.inf, -np.inf, -0.0]))
    else:
        info = np.iinfo(dtype)
        x = rng.integers(max(info.min, -300), min(info.max, 300), shape, endpoint=True)
    return x.astype(dtype)


@st.composite
def calls(draw, name, x):
    """(args, kwargs) of one call of ``name`` on ``x`` (the reference takes
    the same, ``output`` a dtype or None)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    nd = x.ndim
    if name == "zoom":
        z = draw(st.sampled_from([0.5, 0.7, 1.0, 1.3, 2.0, 2.5]))
        zooms = [z] * nd if draw(st.booleans()) else \
            [draw(st.sampled_from([0.6, 1.0, 1.5, 3.0])) for _ in range(nd)]
        return (zooms,), {"grid_mode": draw(st.booleans())}
    if name == "shift":
        return ([float(v) for v in rng.uniform(-4, 4, nd).round(2)],), {}
    if name == "map_coordinates":
        npts = draw(st.integers(1, 12))
        return (rng.uniform(-3, max(x.shape) + 3, (nd, npts)),), {}
    if name == "rotate":
        if nd < 2:
            return None
        angle = draw(st.sampled_from([0, 90, 180, -90, 270, 30, 45.5, -123.0, 1e-9]))
        axes = (0, 1) if nd == 2 else tuple(draw(st.permutations(range(3)))[:2])
        return (angle,), {"axes": axes, "reshape": draw(st.booleans())}
    kind = draw(st.sampled_from(["random", "flip", "singular", "diagonal", "homogeneous"]))
    if kind == "random":
        m = rng.normal(0, 1, (nd, nd))
    elif kind == "flip":
        m = -np.eye(nd)
    elif kind == "singular":
        m = np.ones((nd, nd)) * 0.5
    elif kind == "diagonal":
        m = rng.choice([-1.5, 0.5, 0.75, 2.0], nd)
    else:
        m = np.eye(nd + 1)
        m[:nd, :nd] = rng.normal(0, 1, (nd, nd))
        m[:nd, nd] = rng.uniform(-2, 2, nd)
    offset = round(float(rng.uniform(-3, 3)), 2)
    return (m, offset), {}


def _call(mod, name, x, args, kwargs, order, mode, cval, out, prefilter=True):
    return getattr(mod, name)(x, *args, order=order, mode=mode, cval=cval, output=out,
                              prefilter=prefilter, **kwargs)


@given(data=st.data(), name=st.sampled_from(TRANSFORMS), order=st.integers(0, 5),
       mode=st.sampled_from(MODES), out=st.sampled_from(OUT_DTYPES),
       cval=st.sampled_from([0.0, -2.5, 7.0]), prefilter=st.sampled_from([True, True, False]))
def test_transforms_match_reference_and_scipy(data, name, order, mode, out, cval, prefilter):
    x = data.draw(arrays(ndims=(2, 2, 3) if name == "rotate" else (1, 2, 2, 3)))
    call = data.draw(calls(name, x))
    args, kwargs = call
    same(lambda: _call(N, name, x, args, kwargs, order, mode, cval, out, prefilter),
         lambda: _call(ndi, name, x, args, kwargs, order, mode, cval, out, prefilter))
    if out == "bool":
        return      # SciPy refuses a non-numeric dtype string: compared above
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # grid_mode with constant/wrap
        expected = _call(ndi, name, x, args, kwargs, order, mode, cval, out, prefilter)
        if name == "affine_transform" and np.ndim(args[0]) == 2 and \
                np.shape(args[0])[0] == x.ndim + 1:
            return      # the reference takes the plain matrix and offset
        if out is np.bool_ or (np.dtype(out or x.dtype).kind != "f"
                               and not np.isfinite(x).all()):
            return      # the reference stores finite values in numeric types
        ref_kwargs = {k: v for k, v in kwargs.items()}
        ref = getattr(R, name)(x, *args, order=order, mode=mode, cval=cval,
                               prefilter=prefilter, output=out, **ref_kwargs)
    exact(ref, expected)


@given(x=arrays(ndims=(1, 2, 3), side=9), order=st.integers(2, 5),
       mode=st.sampled_from(MODES), axis=st.integers(-3, 2))
def test_spline_filters_match_reference_and_scipy(x, order, mode, axis):
    axis = axis % x.ndim
    exact(N.spline_filter1d(x, order, axis, mode=mode),
          ndi.spline_filter1d(x, order, axis, mode=mode))
    exact(R.spline_filter1d(x, order, axis, mode), ndi.spline_filter1d(x, order, axis,
                                                                        mode=mode))
    exact(N.spline_filter(x, order, mode=mode), ndi.spline_filter(x, order, mode=mode))
    exact(R.spline_filter(x, order, mode), ndi.spline_filter(x, order, mode=mode))


@pytest.mark.parametrize("out", ["float32", "int16", "uint8", "bool"])
@pytest.mark.parametrize("order", [0, 1, 3])
def test_spline_filter_outputs(out, order):
    x = np.random.default_rng(order).normal(0, 80, (6, 7))
    same(lambda: N.spline_filter1d(x, order, 0, out), lambda: ndi.spline_filter1d(x, order, 0,
                                                                                  out))
    same(lambda: N.spline_filter(x, order, out), lambda: ndi.spline_filter(x, order, out))


def test_reference_weights_are_the_bspline():
    _, atol = TOLERANCES["bspline-definition"]
    for order in range(6):
        for x in np.linspace(-3.3, 7.1, 53):
            start = math.floor(x if order & 1 else x + 0.5) - order // 2
            want = [R.bspline(x - (start + k), order) for k in range(order + 1)]
            np.testing.assert_allclose(R.weights(x, order), want, rtol=0, atol=atol)


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("mode", MODES)
def test_identity_transforms_return_the_input(order, mode):
    x = np.random.default_rng(5).normal(0, 10, (5, 8)).astype(np.float32)
    exact(N.affine_transform(x, np.eye(2), order=order, mode=mode), x)
    exact(N.affine_transform(x, [1.0, 1.0], order=order, mode=mode), x)
    exact(N.shift(x, 0, order=order, mode=mode), x)
    exact(N.map_coordinates(x, np.indices(x.shape), order=order, mode=mode), x)
    exact(N.zoom(x, 1, order=order, mode=mode, prefilter=False), x)
    exact(N.zoom(x, 1, order=3, mode=mode), x)


@pytest.mark.parametrize("shape", [(5, 8), (6, 6), (1, 4), (3, 4, 2)])
def test_rotate_four_quarter_turns_is_the_identity(shape):
    x = np.random.default_rng(1).integers(0, 255, shape).astype(np.uint8)
    y = x
    for _ in range(4):
        y = N.rotate(y, 90, order=0)
    exact(y, x)
    exact(N.rotate(x, 90, order=0), np.rot90(x))


@pytest.mark.parametrize("name", TRANSFORMS)
@pytest.mark.parametrize("order", [1, 3])
def test_complex_inputs(name, order):
    rng = np.random.default_rng(2)
    x = (rng.normal(size=(5, 6)) + 1j * rng.normal(size=(5, 6))).astype(np.complex64)
    args = {"zoom": (1.7,), "shift": ((0.5, -1.25),), "rotate": (33,),
            "affine_transform": ([[0.9, 0.3], [-0.2, 1.1]], 0.5),
            "map_coordinates": (rng.uniform(-1, 6, (2, 9)),)}[name]
    for kw in ({}, {"grid_mode": True} if name == "zoom" else {}, {"output": np.complex128}):
        same(lambda: getattr(N, name)(x, *args, order=order, cval=1 + 2j, **kw),
             lambda: getattr(ndi, name)(x, *args, order=order, cval=1 + 2j, **kw))
    same(lambda: N.spline_filter(x, order + 1), lambda: ndi.spline_filter(x, order + 1))


def test_odd_inputs_and_output_arrays():
    rng = np.random.default_rng(4)
    base = rng.normal(0, 50, (9, 8))
    odd = [base[::-2, ::3], np.asfortranarray(base), base.astype(">f8"), base.astype(bool),
           base.astype(np.int64), base.astype(np.uint32), base.astype(np.int8)]
    ro = base.copy()
    ro.flags.writeable = False
    odd.append(ro)
    for x in odd:
        for order in (0, 1, 3):
            same(lambda: N.zoom(x, 1.4, order=order), lambda: ndi.zoom(x, 1.4, order=order))
            same(lambda: N.rotate(x, 20, order=order), lambda: ndi.rotate(x, 20, order=order))
    for dt in ("float32", "uint16", "bool", "int8"):
        ours, theirs = np.zeros((8, 8), dt), np.zeros((8, 8), dt)
        r1 = N.shift(base[:8, :8], 1.5, output=ours, order=1)
        r2 = ndi.shift(base[:8, :8], 1.5, output=theirs, order=1)
        exact(ours, theirs)
        assert r1 is ours and r2 is theirs
        strided = np.zeros((8, 16), dt)
        N.shift(base[:8, :8], 1.5, output=strided[:, ::2], order=1)
        exact(strided[:, ::2], theirs)


def test_workers_give_the_same_bits():
    x = np.random.default_rng(6).random((300, 280)).astype(np.float32)
    for call in (lambda w: N.rotate(x, 30, order=3, workers=w),
                 lambda w: N.zoom(x, 1.7, order=3, workers=w),
                 lambda w: N.spline_filter(x, workers=w)):
        exact(call(1), call(2))
    exact(N.rotate(x, 30, order=3, workers=2), ndi.rotate(x, 30, order=3))


def test_nan_and_infinite_coordinates():
    x = np.arange(20.0).reshape(4, 5)
    c = np.array([[np.nan, 1.0, np.inf, -np.inf, 1e300], [1.0, np.nan, 2.0, 1.0, 1.0]])
    for order in range(4):
        same(lambda: N.map_coordinates(x, c, order=order, cval=-1),
             lambda: ndi.map_coordinates(x, c, order=order, cval=-1))


BAD = [
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, order=6)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, order=-1)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, order=2.5)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, mode="foo")),
    ("zoom", lambda m: m.zoom(np.ones(()), 2)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), (2, 2, 2))),
    ("zoom", lambda m: m.zoom(np.ones((4, 4), np.float16), 2)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4), np.float16), 2, order=1)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, output=np.float16, order=1)),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, output=np.zeros((3, 3)))),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)) * 1j, 2, output=np.zeros((8, 8)))),
    ("zoom", lambda m: m.zoom(np.ones((4, 4)), 2, cval="a")),
    ("shift", lambda m: m.shift(np.ones((4, 4)), 1, output=np.zeros((4, 4)).view())),
    ("map_coordinates", lambda m: m.map_coordinates(np.ones((4, 4)), np.ones((3, 3)))),
    ("map_coordinates", lambda m: m.map_coordinates(np.ones((4, 4)), np.ones((2,)))),
    ("map_coordinates", lambda m: m.map_coordinates(np.ones((4, 4)), np.ones((2, 3)) * 1j)),
    ("map_coordinates", lambda m: m.map_coordinates(np.ones((4, 4)),
                                                    np.ones((2, 3), np.float16))),
    ("affine_transform", lambda m: m.affine_transform(np.ones((4, 4)), np.ones((3, 3)) * 2)),
    ("affine_transform", lambda m: m.affine_transform(np.ones((4, 4)), np.ones((3,)))),
    ("affine_transform", lambda m: m.affine_transform(np.ones((4, 4)), np.ones((2, 3, 1)))),
    ("affine_transform", lambda m: m.affine_transform(np.ones((4, 4)), np.eye(2), [1, 2, 3])),
    ("affine_transform", lambda m: m.affine_transform(np.ones((4, 4)), np.ones((2, 4)))),
    ("rotate", lambda m: m.rotate(np.ones(4), 30)),
    ("rotate", lambda m: m.rotate(np.ones((4, 4)), 30, axes=(0, 1, 2))),
    ("rotate", lambda m: m.rotate(np.ones((4, 4)), 30, axes=(0, 2))),
    ("rotate", lambda m: m.rotate(np.ones((4, 4)), 30, axes=(0.5, 1))),
    ("spline_filter", lambda m: m.spline_filter(np.ones((4, 4)), 1)),
    ("spline_filter", lambda m: m.spline_filter(np.ones((4, 4)), mode="foo")),
    ("spline_filter1d", lambda m: m.spline_filter1d(np.ones((4, 4)), axis=5)),
    ("spline_filter1d", lambda m: m.spline_filter1d(np.ones((4, 4)), 7)),
    ("spline_filter1d", lambda m: m.spline_filter1d(np.ones((4, 4), np.float16))),
    ("spline_filter1d", lambda m: m.spline_filter1d(np.ones((4, 4)), output="int8")),
]


@pytest.mark.parametrize("case", BAD, ids=[f"{n}-{i}" for i, (n, _) in enumerate(BAD)])
def test_errors_are_scipys(case):
    _, call = case
    expected = outcome(lambda: call(ndi))
    actual = outcome(lambda: call(N))
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (actual, expected)
    else:
        exact(actual, expected)


def test_read_only_output_is_refused():
    out = np.zeros((4, 4))
    out.flags.writeable = False
    with pytest.raises(ValueError, match="output array is read-only"):
        N.shift(np.ones((4, 4)), 1, output=out)


def test_documented_departures_where_scipy_reads_out_of_bounds():
    # SciPy crashes on a NaN shift with 'reflect' and reads uninitialised
    # memory for an empty input with 'mirror': fastimg gives cval (see Notes)
    x = np.arange(12.0).reshape(3, 4)
    exact(N.shift(x, np.nan, mode="reflect", order=1, cval=-1.0), np.full((3, 4), -1.0))
    empty = np.ones((0, 4))
    exact(N.affine_transform(empty, np.eye(2), output_shape=(3, 3), mode="mirror", cval=2.0,
                             output=np.uint8), np.full((3, 3), 2, np.uint8))
    same(lambda: N.map_coordinates(empty, np.ones((2, 3)), order=1, cval=5.0),
         lambda: ndi.map_coordinates(empty, np.ones((2, 3)), order=1, cval=5.0))


@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("mode", MODES)
def test_border_points_of_2d_transforms(order, mode):
    # footprints crossing the border take the general path one point at a
    # time, in groups of four and in the row tails; order 0 without a call
    rng = np.random.default_rng(11)
    x = rng.normal(0, 50, (23, 30))
    x[3, 4] = -0.0
    for dtype in ("uint8", "float32", "float64"):
        xd = np.abs(x).astype(dtype) if dtype == "uint8" else x.astype(dtype)
        for angle, reshape in ((17, True), (33.3, False), (90, True)):
            same(lambda: N.rotate(xd, angle, reshape=reshape, order=order, mode=mode, cval=1.5),
                 lambda: ndi.rotate(xd, angle, reshape=reshape, order=order, mode=mode,
                                    cval=1.5))
        m = [[1.3, 0.2], [-0.25, 0.9]]
        same(lambda: N.affine_transform(xd, m, (-4.5, 3.25), (27, 33), order=order, mode=mode),
             lambda: ndi.affine_transform(xd, m, (-4.5, 3.25), (27, 33), order=order,
                                          mode=mode))
        coords = rng.uniform(-6, 36, (2, 7, 11))
        coords[:, 0, :5] = [[-0.5], [29.5]]
        same(lambda: N.map_coordinates(xd, coords, order=order, mode=mode),
             lambda: ndi.map_coordinates(xd, coords, order=order, mode=mode))


@pytest.mark.parametrize("name", ["spline_filter1d", "spline_filter"])
def test_spline_filters_into_a_float64_output(name):
    # a float64 output is filtered in place after a copy of the input: the
    # same values for every input type, the input itself as output, and
    # non-contiguous outputs
    rng = np.random.default_rng(4)
    base = rng.normal(0, 40, (9, 12))
    for x in (base, base.astype(">f8"), base.astype(np.float32), (base * 3).astype(np.int16),
              np.abs(base).astype(np.uint8), base[:, ::2]):
        for mode in ("mirror", "reflect", "grid-wrap"):
            for order in (2, 3, 5):
                ours, theirs = getattr(N, name), getattr(ndi, name)
                same(lambda: ours(x, order, mode=mode), lambda: theirs(x, order, mode=mode))
                o1, o2 = np.zeros(x.shape), np.zeros(x.shape)
                exact(ours(x, order, output=o1, mode=mode), theirs(x, order, output=o2, mode=mode))
                exact(o1, o2)
                o1, o2 = np.zeros((x.shape[0], 2 * x.shape[1]))[:, ::2], np.zeros(x.shape)
                ours(x, order, output=o1, mode=mode)
                exact(o1, theirs(x, order, output=o2, mode=mode))
                if x.dtype == np.float64 and x.flags.c_contiguous:
                    a, b = x.copy(), x.copy()
                    ours(a, order, output=a, mode=mode)
                    theirs(b, order, output=b, mode=mode)
                    exact(a, b)
