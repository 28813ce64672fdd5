"""fastimg's morphology family (``scipy.ndimage`` binary and grey
morphology, ``skimage.morphology`` grey morphology, footprints and small
object removal) against the reference (the definition), SciPy (the anchor),
invariants, odd inputs and errors.  Every comparison is exact.

SciPy's changed-pixel path (``iterations != 1``, ``brute_force=False``)
disagrees with its own brute-force path, and can corrupt memory, when the
structure is longer than the image along an axis, and when ``output`` is an
array of more than one byte per element: there the anchor's bar is
``brute_force=True`` (documented in the docstrings' Notes)."""

import warnings

import numpy as np
import pytest
from conftest import outcome
from helpers import CORPUS, photo_image
from hypothesis import given, settings
from hypothesis import strategies as st

from fastimg import morphology as M
from fastimg import ndimage as N
from reference import morphology as R

ndi = pytest.importorskip("scipy.ndimage")
skm = pytest.importorskip("skimage.morphology")

BINARY = ["binary_erosion", "binary_dilation", "binary_opening", "binary_closing"]
GREY = ["grey_erosion", "grey_dilation", "grey_opening", "grey_closing",
        "morphological_gradient", "morphological_laplace", "white_tophat", "black_tophat"]
MODES = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-wrap"]


def assert_equal(actual, expected):
    """Same type, dtype, shape and bytes (bool outputs compared as bytes:
    SciPy's casts can store bytes other than 0 and 1; NaN's sign aside)."""
    assert not isinstance(actual, Exception), actual
    assert type(actual) is type(expected), (type(actual), type(expected))
    if expected is None:
        return
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    if expected.dtype == np.bool_:
        actual, expected = actual.view(np.uint8), expected.view(np.uint8)
    np.testing.assert_array_equal(actual, expected, strict=True)
    if expected.dtype.kind == "f":   # -0.0 where the anchor has it
        keep = ~np.isnan(expected)
        np.testing.assert_array_equal(np.signbit(actual[keep]), np.signbit(expected[keep]))


def same_outcome(ours, theirs):
    expected = outcome(theirs)
    actual = outcome(ours)
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (str(actual), str(expected))
        return
    assert_equal(actual, expected)


@st.composite
def shapes(draw, ndim=(1, 2, 3)):
    nd = draw(st.sampled_from(ndim))
    side = 9 if nd < 3 else 5
    shape = [draw(st.integers(1, side)) for _ in range(nd)]
    if nd == 2 and draw(st.booleans()):
        shape[0] = 1  # 1xN
    return tuple(shape)


@st.composite
def structures(draw, ndim, p=None):
    """(structure, origin): random, empty, full, non-symmetric, even-sized."""
    ks = tuple(draw(st.integers(1, 4 if ndim < 3 else 3)) for _ in range(ndim))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["random", "random", "full", "empty"]))
    if kind == "full":
        s = np.ones(ks, bool)
    elif kind == "empty":
        s = np.zeros(ks, bool)
    else:
        s = rng.random(ks) < (p if p is not None else draw(st.sampled_from([0.4, 0.7])))
    origin = [draw(st.integers(-(k // 2), (k - 1) // 2)) for k in ks]
    return s, origin


@st.composite
def binary_images(draw, shape):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.random(shape) < draw(st.sampled_from([0.3, 0.6, 0.9]))
    dtype = draw(st.sampled_from(["bool", "uint8", "float64", "int16"]))
    return (x * rng.integers(1, 5, shape)).astype(dtype)


def _centre(s, origin):
    return bool(s[tuple(k // 2 + o for k, o in zip(s.shape, origin))])


def _anchor_kw(s, shape, iterations, out_dtype="bool"):
    """SciPy's brute-force path where its changed-pixel path is unsound: a
    structure longer than the image, an output array of more than one
    byte per element (read and written as bytes there)."""
    longer = any(k > n for k, n in zip(s.shape, shape))
    wide = np.dtype(out_dtype).itemsize > 1
    return {"brute_force": True} if iterations != 1 and (longer or wide) else {}


@st.composite
def binary_cases(draw):
    shape = draw(shapes())
    x = draw(binary_images(shape))
    s, origin = draw(structures(len(shape)))
    iterations = draw(st.sampled_from([1, 1, 2, 3, 0, -1]))
    if iterations < 1 and not _centre(s, origin):
        iterations = 2  # SciPy may loop forever: a structure without its centre
    kw = {"structure": s, "origin": origin, "iterations": iterations,
          "border_value": draw(st.sampled_from([0, 1]))}
    if draw(st.booleans()):
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        kw["mask"] = rng.random(shape) < 0.7
    return x, kw


# ----------------------------------------------------------------- binary
@settings(max_examples=30)
@given(case=binary_cases(), name=st.sampled_from(BINARY))
def test_binary_equals_reference_and_scipy(case, name):
    x, kw = case
    ours = getattr(N, name)(x, **kw)
    assert_equal(ours, getattr(R, name)(x, **kw))
    theirs = getattr(ndi, name)(x, **kw, **_anchor_kw(kw["structure"], x.shape,
                                                       kw["iterations"]))
    assert_equal(ours, theirs)


@settings(max_examples=20)
@given(case=binary_cases(), out_dtype=st.sampled_from(["uint8", "float32", "int64", "bool"]))
def test_binary_into_output_arrays(case, out_dtype):
    x, kw = case
    anchor = _anchor_kw(kw["structure"], x.shape, kw["iterations"], out_dtype)
    for name in ("binary_erosion", "binary_dilation"):
        ours = np.full(x.shape, 7, out_dtype)
        theirs = np.full(x.shape, 7, out_dtype)
        r = getattr(N, name)(x, output=ours, **kw)
        getattr(ndi, name)(x, output=theirs, **kw, **anchor)
        assert r is ours
        assert_equal(ours, theirs)


@settings(max_examples=25)
@given(data=st.data())
def test_propagation_fill_holes_hit_or_miss(data):
    shape = data.draw(shapes())
    x = data.draw(binary_images(shape))
    s, origin = data.draw(structures(len(shape), p=0.6))
    s[tuple(k // 2 + o for k, o in zip(s.shape, origin))] = True
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    mask = rng.random(shape) < 0.7
    anchor = _anchor_kw(s, shape, -1)
    ours = N.binary_propagation(x, s, mask, origin=origin)
    assert_equal(ours, R.binary_propagation(x, s, mask, origin=origin))
    assert_equal(ours, ndi.binary_dilation(x, s, -1, mask, origin=origin, **anchor))
    if not anchor:
        assert_equal(ours, ndi.binary_propagation(x, s, mask, origin=origin))
    filled = N.binary_fill_holes(x, s, origin=origin)
    assert_equal(filled, R.binary_fill_holes(x, s, origin=origin))
    if not anchor:
        assert_equal(filled, ndi.binary_fill_holes(x, s, origin=origin))
    s2, origin2 = data.draw(structures(len(shape)))
    hm = N.binary_hit_or_miss(x, s, s2 if s2.any() else None, origin1=origin,
                              origin2=origin2 if s2.any() else None)
    assert_equal(hm, R.binary_hit_or_miss(x, s, s2 if s2.any() else None, origin1=origin,
                                          origin2=origin2 if s2.any() else None))
    assert_equal(hm, ndi.binary_hit_or_miss(x, s, s2 if s2.any() else None, origin1=origin,
                                            origin2=origin2 if s2.any() else None))
    out = np.zeros(shape, np.int32)
    assert N.binary_hit_or_miss(x, s, output=out, origin1=origin) is None
    assert_equal(out, ndi.binary_hit_or_miss(x, s, origin1=origin).astype(np.int32))


@settings(max_examples=20)
@given(shape=shapes(), rank=st.integers(-1, 4), conn=st.integers(-1, 4),
       iterations=st.integers(-1, 4), origin=st.integers(-1, 1))
def test_structures(shape, rank, conn, iterations, origin):
    assert_equal(N.generate_binary_structure(rank, conn),
                 ndi.generate_binary_structure(rank, conn))
    assert_equal(N.generate_binary_structure(rank, conn),
                 R.generate_binary_structure(rank, conn))
    s = ndi.generate_binary_structure(len(shape), min(len(shape), max(conn, 1)))
    assert_equal(N.iterate_structure(s, iterations), ndi.iterate_structure(s, iterations))
    assert_equal(N.iterate_structure(s, iterations), R.iterate_structure(s, iterations))
    ours = N.iterate_structure(s, iterations, origin)
    theirs = ndi.iterate_structure(s, iterations, origin)
    if iterations < 2:  # SciPy returns the structure alone
        assert_equal(ours, theirs)
        return
    assert_equal(ours[0], theirs[0])
    assert ours[1] == theirs[1]


def test_binary_invariants_on_a_photograph(photo):
    x = photo > photo.mean()
    s = ndi.generate_binary_structure(2, 2)
    ero, dil = N.binary_erosion(x, s), N.binary_dilation(x, s)
    assert np.all(ero <= x) and np.all(x <= dil)
    opened = N.binary_opening(x, s)
    assert_equal(N.binary_opening(opened, s), opened)
    closed = N.binary_closing(x, s)
    assert_equal(N.binary_closing(closed, s), closed)
    for name in BINARY + ["binary_fill_holes", "binary_hit_or_miss"]:
        assert_equal(getattr(N, name)(x), getattr(ndi, name)(x))
    # propagation from every pixel of the mask gives the mask
    assert_equal(N.binary_propagation(x, mask=x), x)


def test_fill_holes_of_a_ring_is_a_disc():
    yy, xx = np.mgrid[-20:21, -20:21]
    r2 = yy ** 2 + xx ** 2
    disc = r2 <= 15 ** 2
    ring = disc & (r2 >= 10 ** 2)
    assert_equal(N.binary_fill_holes(ring), disc)
    out = np.zeros(ring.shape, bool)
    assert N.binary_fill_holes(ring, output=out) is None
    assert_equal(out, disc)


def test_iterations_count_passes():
    x = np.zeros((1, 21), bool)
    x[0, 10] = True
    for it in (1, 2, 5):
        assert N.binary_dilation(x, iterations=it).sum() == 2 * it + 1
    # less than one: until nothing changes (the whole row)
    assert N.binary_dilation(x, iterations=0).all()
    mask = np.ones_like(x)
    mask[0, 14] = False
    assert N.binary_dilation(x, iterations=-1, mask=mask).sum() == 14


# ------------------------------------------------------------------- grey
@st.composite
def grey_cases(draw, nan=True):
    shape = draw(shapes())
    dtype = np.dtype(draw(st.sampled_from(["uint8", "int16", "float32", "float64"])))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype.kind == "f":
        x = np.round(rng.normal(0, 30, shape), 1)
    else:
        x = rng.integers(0 if dtype.kind == "u" else -100, 250, shape)
    x = x.astype(dtype)
    nd = len(shape)
    s, origin = draw(structures(nd))
    kind = draw(st.sampled_from(["size", "footprint", "structure", "both"]))
    kw = {"origin": origin, "mode": draw(st.sampled_from(MODES)),
          "cval": draw(st.sampled_from([0.0, 2.5, -3.0, 300.0]))}
    if kind == "size":
        kw["size"] = s.shape
    else:
        s.flat[draw(st.integers(0, s.size - 1))] = True
        if kind in ("footprint", "both"):
            kw["footprint"] = s
        if kind in ("structure", "both"):
            kw["structure"] = np.round(rng.normal(0, 3, s.shape), 1)
    # SciPy's comparisons decide where NaN and -0.0 go (its deque for a full
    # box, its running extreme from the first cell otherwise): put both in
    # the windows
    if nan and dtype.kind == "f" and draw(st.booleans()):
        x.flat[rng.integers(0, x.size, 1 + x.size // 4)] = np.nan
        x.flat[rng.integers(0, x.size, 1 + x.size // 4)] = -0.0
        x.flat[rng.integers(0, x.size, 1 + x.size // 4)] = 0.0
    return x, kw


@settings(max_examples=30)
@given(case=grey_cases(), name=st.sampled_from(GREY))
def test_grey_equals_reference_and_scipy(case, name):
    x, kw = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf - inf of the composed ops
        ours = getattr(N, name)(x, **kw)
        assert_equal(ours, getattr(R, name)(x, **kw))
        assert_equal(ours, getattr(ndi, name)(x, **kw))


@settings(max_examples=20)
@given(case=grey_cases(nan=False),
       out_dtype=st.sampled_from(["uint8", "int8", "uint16", "int32", "uint64", "float32",
                                  "float64", "bool"]),
       as_array=st.booleans())
def test_grey_outputs(case, out_dtype, as_array):
    x, kw = case
    for name in ("grey_erosion", "grey_dilation"):
        if as_array:
            ours, theirs = np.zeros(x.shape, out_dtype), np.zeros(x.shape, out_dtype)
            getattr(N, name)(x, output=ours, **kw)
            getattr(ndi, name)(x, output=theirs, **kw)
            assert_equal(ours, theirs)
        else:  # a dtype string ('bool' is refused: not numeric)
            same_outcome(lambda: getattr(N, name)(x, output=out_dtype, **kw),
                         lambda: getattr(ndi, name)(x, output=out_dtype, **kw))


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int16", "int32", "uint32",
                                   "int64", "float32"])
def test_full_boxes_like_scipy(dtype):
    # integer data run fastimg's own separable passes, the rest the rank
    # family's: both must be SciPy's
    rng = np.random.default_rng(7)
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    lo, hi = (max(info.min, -2000), min(info.max, 70000)) if info else (-50, 50)
    x = rng.integers(lo, hi, (13, 17)).astype(dtype)
    for kw in ({"size": (3, 5)}, {"size": 4, "origin": (-2, 1)}, {"size": (1, 15)},
               {"footprint": np.ones((2, 3))}, {"size": 3, "mode": "constant", "cval": 7},
               {"size": 3, "mode": "constant", "cval": -3.5}, {"size": 1},
               {"size": (3, 3), "mode": ["wrap", "nearest"]}, {"size": 2, "axes": (1,)}):
        for name in GREY:
            same_outcome(lambda: getattr(N, name)(x, **kw), lambda: getattr(ndi, name)(x, **kw))
        ours, theirs = x.copy(), x.copy()
        N.grey_dilation(ours, output=ours, **kw)
        ndi.grey_dilation(theirs, output=theirs, **kw)
        assert_equal(ours, theirs)


def test_bool_outputs_hold_scipys_bytes():
    # SciPy's C cast stores (unsigned char) value into a bool; with no pass
    # at all (size 1) it copies with NumPy (True is 1)
    x = np.array([[212, 3, 0], [7, 0, 255]], np.uint8)
    for kw in ({"size": (1, 2)}, {"size": 1}, {"footprint": [[1, 0, 1]]},
               {"size": (2, 2), "mode": "constant", "cval": -3.0}):
        for name in ("grey_erosion", "grey_dilation", "grey_opening"):
            ours, theirs = np.zeros(x.shape, bool), np.zeros(x.shape, bool)
            getattr(N, name)(x, output=ours, **kw)
            getattr(ndi, name)(x, output=theirs, **kw)
            assert_equal(ours, theirs)
            assert_equal(getattr(N, name)(x > 5, **kw), getattr(ndi, name)(x > 5, **kw))


def test_grey_invariants_on_a_photograph(photo):
    fp = np.array([[0, 1, 1], [1, 1, 0], [0, 1, 0]], bool)
    ero = N.grey_erosion(photo, footprint=fp)
    dil = N.grey_dilation(photo, footprint=fp)
    assert np.all(ero <= photo) and np.all(photo <= dil)
    opened = N.grey_opening(photo, footprint=fp)
    # idempotent away from the reflected border (4 passes of reach 1)
    inner = (slice(4, -4), slice(4, -4))
    assert_equal(N.grey_opening(opened, footprint=fp)[inner], opened[inner])
    structure = np.array([[0, 1, 0], [1, 2, 1], [0, 1, 0]])
    for name in GREY:
        for kw in ({"size": (3, 5)}, {"footprint": fp}, {"structure": structure}):
            assert_equal(getattr(N, name)(photo, **kw), getattr(ndi, name)(photo, **kw))
    # a flat structure of zeros is the footprint
    assert_equal(N.grey_erosion(photo, structure=np.zeros((3, 3))),
                 N.grey_erosion(photo, size=(3, 3)))


def test_grey_axes_and_sequences():
    x = np.arange(60, dtype=np.float64).reshape(3, 4, 5) % 7
    for name in GREY:
        for kw in ({"size": (3, 2), "axes": (0, 2)}, {"footprint": [[1, 0, 1]], "axes": (1, 2)},
                   {"size": 3, "mode": ["wrap", "constant", "nearest"]},
                   {"structure": np.arange(6.0).reshape(3, 2), "axes": (0, 1)},
                   {"structure": np.arange(6.0).reshape(2, 3), "footprint": [[1, 0, 1], [0, 1, 1]],
                    "axes": (2, 0)}):
            same_outcome(lambda: getattr(N, name)(x, **kw), lambda: getattr(ndi, name)(x, **kw))


# ----------------------------------------------------- odd inputs, errors
@pytest.mark.parametrize("key", sorted(CORPUS))
def test_corpus_like_scipy(key):
    x = CORPUS[key]
    s = np.array([[1, 1, 0], [0, 1, 1]], bool)
    for name in BINARY + ["binary_fill_holes", "binary_propagation", "binary_hit_or_miss"]:
        same_outcome(lambda: getattr(N, name)(x), lambda: getattr(ndi, name)(x))
    for name in ("binary_erosion", "grey_erosion", "grey_dilation", "white_tophat"):
        kw = {"footprint": s} if name.startswith(("grey", "white")) else {"structure": s}
        if x.ndim != 2:
            kw = {"size": 3} if name.startswith(("grey", "white")) else {}
        same_outcome(lambda: getattr(N, name)(x, **kw), lambda: getattr(ndi, name)(x, **kw))


def test_zero_dim_and_aliased_output():
    for name in BINARY:
        same_outcome(lambda: getattr(N, name)(np.array(True)),
                     lambda: getattr(ndi, name)(np.array(True)))
    x = np.random.default_rng(0).random((6, 7)) > 0.4
    ours, theirs = x.copy(), x.copy()
    N.binary_erosion(ours, output=ours)
    ndi.binary_erosion(theirs, output=theirs)
    assert_equal(ours, theirs)
    g = np.random.default_rng(1).integers(0, 9, (6, 7)).astype(np.uint8)
    ours, theirs = g.copy(), g.copy()
    N.grey_dilation(ours, footprint=[[1, 0, 1]], output=ours)
    ndi.grey_dilation(theirs, footprint=[[1, 0, 1]], output=theirs)
    assert_equal(ours, theirs)


X = (np.arange(30).reshape(5, 6) % 3 == 0)
RO = np.zeros((5, 6), bool)
RO.setflags(write=False)
ERRORS = [
    ("binary_erosion", (X,), {"iterations": 1.5}),
    ("binary_erosion", (X,), {"iterations": None}),
    ("binary_erosion", (X + 1j,), {}),
    ("binary_erosion", (X.astype(object),), {}),
    ("binary_erosion", (X.astype(np.float16),), {}),
    ("binary_erosion", (X,), {"output": np.zeros((5, 6), np.float16)}),
    ("binary_erosion", (X,), {"output": np.zeros((5, 6), np.complex64)}),
    ("binary_erosion", (X,), {"output": np.zeros((2, 2))}),
    ("binary_erosion", (X,), {"output": RO}),
    ("binary_erosion", (X,), {"mask": np.ones((2, 2))}),
    ("binary_erosion", (X,), {"mask": np.ones((5, 6), np.float16)}),
    ("binary_erosion", (X,), {"structure": np.ones(3)}),
    ("binary_erosion", (X,), {"structure": np.ones((0, 3))}),
    ("binary_erosion", (X,), {"structure": [1, 1], "axes": (0, 1)}),
    ("binary_erosion", (X,), {"border_value": 0.5}),
    ("binary_erosion", (X,), {"border_value": "a"}),
    ("binary_erosion", (X,), {"origin": 2}),
    ("binary_erosion", (X,), {"origin": 1.0}),
    ("binary_erosion", (X,), {"origin": (1,)}),
    ("binary_dilation", (X,), {"iterations": 2.0}),
    ("binary_opening", (X,), {"mask": np.ones((3, 3))}),
    ("binary_closing", (X,), {"structure": np.ones((3, 3, 3))}),
    ("binary_propagation", (X,), {"mask": np.ones(4)}),
    ("binary_fill_holes", (X,), {"structure": np.ones(3)}),
    ("binary_hit_or_miss", (X,), {"structure1": np.ones(3)}),
    ("generate_binary_structure", (2.5, 1), {}),
    ("iterate_structure", (np.ones((3, 3)), 2.5), {}),
    ("grey_erosion", (X.astype(float),), {}),
    ("grey_erosion", (X.astype(float),), {"footprint": np.zeros((3, 3))}),
    ("grey_erosion", (X.astype(float),), {"footprint": [[1, 0, 1]], "origin": 2}),
    ("grey_erosion", (X.astype(float),), {"footprint": [[1, 0, 1]], "mode": "nope"}),
    ("grey_erosion", (X.astype(float),), {"footprint": [[1, 0, 1]], "mode": ["wrap"] * 2}),
    ("grey_erosion", (X.astype(float),), {"structure": np.ones(3)}),
    ("grey_erosion", (X.astype(float),), {"structure": np.ones((3, 3)), "cval": "a",
                                          "mode": "constant"}),
    ("grey_erosion", (X + 1j,), {"structure": np.ones((3, 3))}),
    ("grey_erosion", (X.astype(np.float16),), {"structure": np.ones((3, 3))}),
    ("grey_erosion", (X.astype(float),), {"structure": np.ones((3, 3)), "output": RO}),
    ("grey_erosion", (X.astype(float),), {"footprint": [[1, 0]], "output": np.float16}),
    ("grey_dilation", (X.astype(float),), {}),
    ("grey_dilation", (X.astype(float),), {"footprint": np.ones((3, 3, 3))}),
    ("grey_dilation", (X.astype(float),), {"size": 2.5}),
    ("grey_opening", (X.astype(float),), {"footprint": [[1, 0, 1]], "origin": (0, 0, 0)}),
    ("white_tophat", (X,), {"size": 3, "output": np.zeros((5, 6), np.uint8)}),
    ("morphological_gradient", (X.astype(float),), {"size": 0}),
]


@pytest.mark.parametrize("name, args, kw", ERRORS,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_errors_and_edge_calls_like_scipy(name, args, kw):
    same_outcome(lambda: getattr(N, name)(*args, **kw),
                 lambda: getattr(ndi, name)(*args, **kw))


@pytest.mark.parametrize("name", ["binary_erosion", "binary_dilation"])
def test_origin_before_the_structure_raises(name):
    # SciPy reads outside the structure there (and may crash): not called
    with pytest.raises(ValueError, match="invalid origin"):
        getattr(N, name)(X, origin=-2 if name == "binary_erosion" else 2)


def test_workers_give_the_same_result(photo):
    x = np.tile(photo, (2, 2))  # large enough to be split over threads
    b = x > x.mean()
    fp = np.array([[0, 1, 1], [1, 1, 0], [0, 1, 0]], bool)
    for name in BINARY + ["binary_fill_holes", "binary_hit_or_miss", "binary_propagation"]:
        assert_equal(getattr(N, name)(b, workers=1), getattr(N, name)(b, workers=2))
    for name in GREY:
        for kw in ({"size": (3, 5)}, {"footprint": fp}, {"structure": fp * 2.0}):
            assert_equal(getattr(N, name)(x, workers=1, **kw),
                         getattr(N, name)(x, workers=2, **kw))
    for name in SK_GREY:
        assert_equal(getattr(M, name)(x, skm.disk(3), workers=1),
                     getattr(M, name)(x, skm.disk(3), workers=2))
    with pytest.raises(ValueError, match="workers"):
        N.binary_erosion(b, workers=0)


def test_size_with_footprint_warns_like_scipy():
    x = np.arange(20.0).reshape(4, 5)
    for name in GREY:
        with pytest.warns(UserWarning, match="ignoring size"):
            getattr(N, name)(x, size=3, footprint=[[1, 0, 1]])


# ----------------------------------------------------- skimage.morphology
SK_GREY = ["erosion", "dilation", "opening", "closing", "white_tophat", "black_tophat"]


def sk_reference(name):
    """The reference of scikit-image's ``name`` (its top-hats are
    ``skimage_*`` there: ndimage's hold their names)."""
    return getattr(R, f"skimage_{name}" if name.endswith("tophat") else name)


def same_footprint(actual, expected):
    """Equal arrays (dtype too), or equal (array, repetitions) sequences."""
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for (a, n), (e, m) in zip(actual, expected):
            assert_equal(a, e)
            assert n == m
        return
    assert_equal(actual, expected)


@settings(max_examples=25)
@given(size=st.integers(0, 12), other=st.integers(0, 6),
       dtype=st.sampled_from(["uint8", "bool", "float32", "int64"]))
def test_footprints_equal_reference_and_skimage(size, other, dtype):
    calls = [("disk", (size, dtype), {}), ("disk", (size,), {"strict_radius": False}),
             ("disk", (size,), {"decomposition": "crosses"}),
             ("diamond", (size, dtype), {}),
             ("diamond", (size + 1,), {"decomposition": "sequence"}),
             ("ellipse", (size, other, dtype), {}),
             ("ellipse", (size, other), {"decomposition": "crosses"}),
             ("star", (size + 1, dtype), {}),
             ("footprint_rectangle", ((size + 1, other + 1),), {"dtype": dtype}),
             ("footprint_rectangle", ((size + 1, other + 1, 3),), {"decomposition": "separable"}),
             ("footprint_rectangle", ((2 * size + 1, 2 * other + 3),),
              {"decomposition": "sequence"})]
    if size or other:
        calls += [("octagon", (size, other, dtype), {}),
                  ("octagon", (size, other), {"decomposition": "sequence"})]
    for name, args, kw in calls:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # even widths: separable
            ours = getattr(M, name)(*args, **kw)
            same_footprint(ours, getattr(skm, name)(*args, **kw))
        if not kw and name in ("disk", "diamond", "ellipse", "star", "octagon"):
            same_footprint(ours, getattr(R, name)(*args))


def test_footprint_errors_and_warnings_like_skimage():
    for name, args, kw in [("octagon", (0, 0), {}), ("diamond", (2,), {"decomposition": "x"}),
                           ("footprint_rectangle", ((3, 3),), {"decomposition": "x"}),
                           ("octagon", (2, 2), {"decomposition": "x"}),
                           ("ellipse", (2, 2), {"decomposition": "x"}),
                           ("disk", (2,), {"decomposition": "x"})]:
        same_outcome(lambda: getattr(M, name)(*args, **kw),
                     lambda: getattr(skm, name)(*args, **kw))
    with pytest.warns(UserWarning, match="only supported for uneven"):
        M.footprint_rectangle((4, 3), decomposition="sequence")
    # deprecated in 0.25, still there in 0.26: the same warning and result
    for args, kw in (((3,), {}), ((4, bool), {}), ((5,), {"decomposition": "sequence"})):
        with warnings.catch_warnings(record=True) as ours_w:
            warnings.simplefilter("always")
            ours = M.square(*args, **kw)
        with warnings.catch_warnings(record=True) as theirs_w:
            warnings.simplefilter("always")
            theirs = skm.square(*args, **kw)
        assert [(w.category, str(w.message), w.filename) for w in ours_w] == [
            (w.category, str(w.message), w.filename) for w in theirs_w]
        same_footprint(ours, theirs)


@st.composite
def sk_footprints(draw, ndim):
    kind = draw(st.sampled_from(["random", "none", "sequence", "crosses"]))
    if kind == "none" or (kind == "crosses" and ndim != 2):
        return None
    if kind == "sequence":
        return skm.footprint_rectangle((3,) * ndim, decomposition="separable") + (
            (np.ones((1,) * ndim, np.uint8), 2),)
    if kind == "crosses":
        return skm.disk(draw(st.integers(1, 3)), decomposition="crosses")
    s, _ = draw(structures(ndim))
    s.flat[draw(st.integers(0, s.size - 1))] = True
    return s.astype(draw(st.sampled_from([np.uint8, bool])))


@settings(max_examples=30)
@given(data=st.data(), name=st.sampled_from(SK_GREY),
       mode=st.sampled_from(["reflect", "constant", "nearest", "mirror", "wrap", "max", "min",
                             "ignore"]))
def test_skimage_grey_equals_reference_and_skimage(data, name, mode):
    x, _ = data.draw(grey_cases())
    if data.draw(st.booleans()):
        x = x > x.mean()
    fp = data.draw(sk_footprints(x.ndim))
    ours = getattr(M, name)(x, fp, mode=mode, cval=2.0)
    assert_equal(ours, getattr(skm, name)(x, fp, mode=mode, cval=2.0))
    assert_equal(ours, sk_reference(name)(x, fp, mode=mode, cval=2.0))
    out = np.empty_like(x)
    assert getattr(M, name)(x, fp, out=out, mode=mode, cval=2.0) is out
    assert_equal(out, ours)


def test_skimage_grey_errors_and_photograph(photo):
    for name in SK_GREY:
        same_outcome(lambda: getattr(M, name)(photo, mode="nope"),
                     lambda: getattr(skm, name)(photo, mode="nope"))
        same_outcome(lambda: getattr(M, name)(photo, [(1, 2)]),
                     lambda: getattr(skm, name)(photo, [(1, 2)]))
        same_outcome(lambda: getattr(M, name)(photo, 3),
                     lambda: getattr(skm, name)(photo, 3))
        assert_equal(getattr(M, name)(photo, skm.disk(4)), getattr(skm, name)(photo, skm.disk(4)))
    # in place, as scikit-image allows
    for name in SK_GREY:
        for x in (photo, photo > photo.mean()):
            ours, theirs = x.copy(), x.copy()
            getattr(M, name)(ours, skm.disk(2), out=ours)
            getattr(skm, name)(theirs, skm.disk(2), out=theirs)
            assert_equal(ours, theirs)


@settings(max_examples=25)
@given(data=st.data(), connectivity=st.integers(0, 3), max_size=st.sampled_from([0, 1, 3, 9]))
def test_remove_small_objects_and_holes(data, connectivity, max_size):
    shape = data.draw(shapes())
    x = data.draw(binary_images(shape)).astype(bool)
    for name in ("remove_small_objects", "remove_small_holes"):
        ours = getattr(M, name)(x, connectivity=connectivity, max_size=max_size)
        assert_equal(ours, getattr(skm, name)(x, connectivity=connectivity, max_size=max_size))
        assert_equal(ours, getattr(R, name)(x, connectivity, max_size=max_size))
        # into a transposed (not C-contiguous) out array
        out = np.zeros(x.shape[::-1], bool).T
        assert getattr(M, name)(x, connectivity=connectivity, max_size=max_size, out=out) is out
        assert_equal(out, ours)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    labels = rng.integers(0, 6, shape).astype(data.draw(st.sampled_from(["int32", "uint8"])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Only one label was provided"
        ours = M.remove_small_objects(labels, max_size=max_size)
        assert_equal(ours, skm.remove_small_objects(labels, max_size=max_size))
    assert_equal(ours, R.remove_small_objects(labels, max_size=max_size))


def test_remove_small_deprecations_and_errors_like_skimage():
    x = np.zeros((5, 9), bool)
    x[1:3, 1:3] = True
    x[0, 6] = True
    for name, old in (("remove_small_objects", "min_size"),
                      ("remove_small_holes", "area_threshold")):
        for args, kw in (((3,), {}), ((), {old: 4}), ((3,), {"max_size": 3}),
                         ((), {"out": np.zeros((5, 9), int)})):
            with warnings.catch_warnings(record=True) as ours_w:
                warnings.simplefilter("always")
                ours = outcome(lambda: getattr(M, name)(x, *args, **kw))
            with warnings.catch_warnings(record=True) as theirs_w:
                warnings.simplefilter("always")
                theirs = outcome(lambda: getattr(skm, name)(x, *args, **kw))
            assert [(w.category, str(w.message)) for w in ours_w] == [
                (w.category, str(w.message)) for w in theirs_w]
            same_outcome(lambda: ours, lambda: theirs) if isinstance(theirs, Exception) else \
                assert_equal(ours, theirs)
        for bad in (x.astype(np.float32), np.array([[-1, 2]])):
            same_outcome(lambda: getattr(M, name)(bad), lambda: getattr(skm, name)(bad))
    with pytest.warns(UserWarning, match="Only one label"):
        M.remove_small_objects(x.astype(np.uint8))
    with pytest.warns(UserWarning, match="returned as a boolean array"):
        M.remove_small_holes(x.astype(np.uint8))


@pytest.fixture(scope="module")
def photo():
    return photo_image()


def test_disk_sequence_like_skimage(photo):
    """disk(decomposition='sequence'): scikit-image's table (recomputed by
    tools/disk_sequence.py), element for element, repetitions' types, the
    errors past its end, and the same morphology."""
    def same_sequence(ours, theirs):
        assert type(ours) is type(theirs)
        if isinstance(theirs, Exception):
            assert str(ours) == str(theirs)
            return
        same_footprint(ours, theirs)
        assert [type(n) for _, n in ours] == [type(n) for _, n in theirs]

    radii = [*range(-3, 40), *range(40, 262, 7), 249, 250, 251, 252, 300, -251, -252,
             1.0, 2.0, True, None, np.int64(7)]
    for radius in radii:
        for dtype, strict in ((np.uint8, True), (bool, False), ("float32", True)):
            same_sequence(outcome(lambda: M.disk(radius, dtype, strict_radius=strict,
                                                 decomposition="sequence")),
                          outcome(lambda: skm.disk(radius, dtype, strict_radius=strict,
                                                   decomposition="sequence")))
    x = photo[:96, :96]
    for radius in (2, 5, 10):
        fp = M.disk(radius, decomposition="sequence")
        for name in ("erosion", "dilation"):
            assert_equal(getattr(M, name)(x, fp),
                         getattr(skm, name)(x, skm.disk(radius, decomposition="sequence")))


def test_disk_sequence_table_is_current():
    """The shipped table is the generator's (a prefix: the whole search
    takes ~10 s), and the generator's row counts are real dilations."""
    from fastimg._morphology.footprints import _disk_table
    from tools import disk_sequence
    assert (disk_sequence.table(48) == _disk_table()[:49]).all(), \
        "run: python tools/disk_sequence.py"
    with open(disk_sequence.TARGET, encoding="utf-8") as f:
        head = f.read().split("\n0 0 0\n")[0]
    assert disk_sequence.source(1).startswith(head)
    disk_sequence.check(10)


def test_footprint_odd_sizes_like_skimage():
    """Negative and float sizes: scikit-image's errors (or its arrays, where
    its vertex marks wrap round and still succeed)."""
    calls = [("octagon", (m, n)) for m in (-3, -1, 0, 2, 3, 2.0) for n in (-1, 0, 2, 3, 1.5)
             if (m, n) != (0, 0)]
    calls += [("star", (a,)) for a in (-2, -1, 0, 2.0, 2.5, 1.0)]
    calls += [("ellipse", (w, h)) for w in (-2, -1, 0, 1.0, 2) for h in (-1, 0, 1.5, 2)]
    for name, args in calls:
        for kw in ({}, {"decomposition": "crosses"} if name == "ellipse" else
                   {"decomposition": "sequence"} if name == "octagon" else {}):
            ours = outcome(lambda: getattr(M, name)(*args, **kw))
            theirs = outcome(lambda: getattr(skm, name)(*args, **kw))
            if isinstance(theirs, Exception):
                assert type(ours) is type(theirs) and str(ours) == str(theirs), (ours, theirs)
            else:
                same_footprint(ours, theirs)


# ------------------------------------------- hole filling over runs
@st.composite
def run_images(draw):
    """Binary images of long runs along the last axis, the run path's
    inputs (pixel noise falls back to the queue flood): a coarse random
    mask repeated along the last axis, cut to any width, its bytes starting
    at any offset (the eight-byte reads and the byte tail)."""
    nd = draw(st.sampled_from([1, 2, 2, 3]))
    lead = tuple(draw(st.integers(1, 12 if nd < 3 else 5)) for _ in range(nd - 1))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    coarse = rng.random(lead + (draw(st.integers(1, 6)),)) < draw(st.sampled_from([0.3, 0.7]))
    x = np.repeat(coarse, draw(st.sampled_from([8, 9, 16])), axis=-1)
    x = x[..., draw(st.integers(0, 3)):]
    offset = draw(st.integers(0, 7))
    buf = np.zeros(x.size + offset, bool)[offset:]
    buf[:] = x.ravel()
    return buf.reshape(x.shape)


@given(x=run_images(), data=st.data())
def test_fill_holes_and_small_objects_over_runs(x, data):
    c = data.draw(st.integers(1, x.ndim))
    s = ndi.generate_binary_structure(x.ndim, c)
    xs = x.astype(data.draw(st.sampled_from(["bool", "uint8", "float64"])), copy=False)
    ours = N.binary_fill_holes(xs, s if c > 1 or data.draw(st.booleans()) else None)
    assert_equal(ours, ndi.binary_fill_holes(xs, s))
    assert_equal(ours, R.binary_fill_holes(xs, s))
    for out in (np.zeros(x.shape, bool), np.zeros(x.shape[::-1], bool).T,
                np.zeros(x.shape, np.uint8)):
        theirs = np.zeros_like(out)
        assert N.binary_fill_holes(xs, s, output=out) is None
        ndi.binary_fill_holes(xs, s, output=theirs)
        assert_equal(out, theirs)
    # in place: the output is the input
    inplace = x.copy()
    N.binary_fill_holes(inplace, s, output=inplace)
    assert_equal(inplace, ndi.binary_fill_holes(x, s))
    for name in ("remove_small_objects", "remove_small_holes"):
        ours = getattr(M, name)(x, connectivity=c, max_size=20)
        assert_equal(ours, getattr(skm, name)(x, connectivity=c, max_size=20))


def test_fill_holes_over_runs_of_a_thresholded_photograph(photo):
    x = photo > photo.mean()
    for s in (None, np.ones((3, 3), int)):
        assert_equal(N.binary_fill_holes(x, s), ndi.binary_fill_holes(x, s))
        assert_equal(N.binary_fill_holes(x.T, s), ndi.binary_fill_holes(x.T, s))
        assert_equal(N.binary_fill_holes(x, s, workers=1), ndi.binary_fill_holes(x, s))
    # pixel noise: the queue flood
    noise = np.random.default_rng(3).random((64, 64)) < 0.5
    assert_equal(N.binary_fill_holes(noise), ndi.binary_fill_holes(noise))


@given(x=run_images(), data=st.data())
def test_fill_holes_over_runs_joins_blocks_of_rows(x, data):
    """The union-find over blocks of rows, any blocks, then the rows
    between them gives SciPy's result (the blocks a 2-core machine makes
    only at large sizes, forced here)."""
    from fastimg._morphology import binary_components, binary_run_kernels
    real = binary_components.run
    rows = int(np.prod(x.shape[:-1]))
    cuts = sorted(set(data.draw(st.lists(st.integers(0, rows), max_size=4))) | {0, rows})

    def run(core, args, **kw):
        if core is binary_run_kernels.join_row_runs and args[-1] is True:
            kw = dict(kw, bounds=cuts, n_threads=2)
        return real(core, args, **kw)
    c = data.draw(st.integers(1, x.ndim))
    s = ndi.generate_binary_structure(x.ndim, c)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(binary_components, "run", run)
        assert_equal(N.binary_fill_holes(x, s), ndi.binary_fill_holes(x, s))
        assert_equal(M.remove_small_objects(x, connectivity=c, max_size=20),
                     skm.remove_small_objects(x, connectivity=c, max_size=20))


# ------------------------------------------- integer boxes in one sweep
@st.composite
def sweep_cases(draw):
    """1-D and 2-D integer images (some narrower than the box) with full
    boxes long enough for several van Herk / Gil-Werman blocks."""
    nd = draw(st.sampled_from([1, 2]))
    shape = tuple(draw(st.integers(1, 40)) for _ in range(nd))
    size = tuple(draw(st.sampled_from([1, 2, 3, 4, 5, 8, 15, 16, 23])) for _ in range(nd))
    origin = [draw(st.integers(-(k // 2), (k - 1) // 2)) for k in size]
    dtype = np.dtype(draw(st.sampled_from(["uint8", "int8", "uint16", "int16", "int32",
                                           "uint32"])))
    info = np.iinfo(dtype)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(max(info.min, -5000), min(info.max, 70000), shape, endpoint=True)
    mode = draw(st.sampled_from(MODES))
    cval = draw(st.sampled_from([0, 7, int(info.min), int(info.max)]))
    return x.astype(dtype), {"size": size, "origin": origin, "mode": mode, "cval": cval}


@settings(max_examples=150)
@given(case=sweep_cases(), name=st.sampled_from(["grey_erosion", "grey_dilation",
                                                  "minimum_filter", "maximum_filter"]))
def test_integer_boxes_in_one_sweep(case, name):
    x, kw = case
    ours = getattr(N, name)(x, **kw)
    assert_equal(ours, getattr(ndi, name)(x, **kw))
    if name.startswith("grey"):
        assert_equal(ours, getattr(R, name)(x, **kw))
        into = np.full(x.shape, 3, x.dtype)
        assert getattr(N, name)(x, output=into, **kw) is into
        assert_equal(into, ours)


@settings(max_examples=40)
@given(case=sweep_cases(), cuts=st.lists(st.integers(0, 40), max_size=4),
       minimum=st.booleans())
def test_sweep_kernel_over_any_split_of_rows(case, cuts, minimum):
    # the threads run the rows in ranges, each one stream: any split must
    # give the whole image's result
    from fastimg._core.ndi_args import extend_map
    from fastimg._core.box_kernels import box2d_rows
    from fastimg._morphology.prepare import window_widths
    x, kw = case
    x2 = x.reshape(1, -1) if x.ndim == 1 else x
    kh, kwid = ([1] + list(kw["size"]))[-2:]
    (rlo, rhi), (clo, chi) = window_widths((kh, kwid), ([0] + kw["origin"])[-2:])
    mode = "wrap" if kw["mode"] == "grid-wrap" else kw["mode"]
    rmap = extend_map(x2.shape[0], rlo, rhi, mode)
    cmap = extend_map(x2.shape[1], clo, chi, mode)
    c = x.dtype.type(kw["cval"] if mode == "constant" else 0)
    out = np.zeros(x2.shape, x.dtype)
    bounds = sorted({0, x2.shape[0], *(min(b, x2.shape[0]) for b in cuts)})
    for a, b in zip(bounds[:-1], bounds[1:]):
        box2d_rows(x2, rmap, cmap, kh, kwid, clo, c, minimum, out, a, b)
    f = ndi.minimum_filter if minimum else ndi.maximum_filter
    expected = f(x2, size=(kh, kwid), origin=([0] + kw["origin"])[-2:], mode=mode,
                 cval=kw["cval"])
    assert_equal(out, expected)


def test_integer_boxes_of_a_photograph_over_threads(photo):
    x = np.tile(photo, (2, 2))
    for size in ((3, 3), (15, 15), (2, 16), (9, 1)):
        for name in ("grey_dilation", "grey_erosion"):
            expected = getattr(ndi, name)(x, size=size, mode="mirror")
            for workers in (1, 2):
                assert_equal(getattr(N, name)(x, size=size, mode="mirror", workers=workers),
                             expected)


def test_integer_boxes_of_strided_and_swapped_inputs():
    rng = np.random.default_rng(3)
    x = rng.integers(-300, 300, (23, 31)).astype(np.int16)
    for view in (x[::-1, ::2], x.T, x.astype(">i2"), x[5]):
        for kw in ({"size": (4, 7)}, {"size": 16, "mode": "wrap"},
                   {"size": 3, "mode": "constant", "cval": -32768}):
            kw = {k: v[-view.ndim:] if k == "size" and np.iterable(v) else v
                  for k, v in kw.items()}
            for name in ("grey_erosion", "grey_dilation"):
                assert_equal(getattr(N, name)(view, **kw), getattr(ndi, name)(view, **kw))


@settings(max_examples=150)
@given(case=sweep_cases(), nd3=st.booleans(), name=st.sampled_from(["grey_erosion",
                                                                    "grey_dilation"]),
       cval=st.sampled_from(["lo-1", "hi+1", "lo-0.5", "hi+0.5", "lo+0.5", "hi-0.5", -3.7,
                             2.5, 1e20, -1e20, np.inf, -np.inf, np.nan]))
def test_integer_boxes_with_a_border_beyond_the_dtype(case, nd3, name, cval):
    """A ``cval`` the dtype does not hold: truncated as SciPy's C cast
    truncates the stored result, or the dtype's limit where it always
    loses; 1-D / 2-D in one sweep, 3-D by the per-axis passes."""
    x, kw = case
    info = np.iinfo(x.dtype)
    if isinstance(cval, str):
        base = int(info.min) if cval.startswith("lo") else int(info.max)
        cval = base + float(cval[2:])
    kw = dict(kw, mode="constant", cval=cval)
    if nd3:
        x = np.stack([x, x[..., ::-1]], axis=-1)
        kw.update(size=tuple(kw["size"]) + (2,), origin=list(kw["origin"]) + [0])
    ours = getattr(N, name)(x, **kw)
    assert_equal(ours, getattr(ndi, name)(x, **kw))
    assert_equal(ours, getattr(R, name)(x, **kw))
