"""The reference oracles equal their anchors (SciPy 1.17 / scikit-image 0.26).

Every comparison is EXACT (np.testing.assert_array_equal, NaN == NaN, dtype and shape
checked): the reference reproduces the anchors' float64 operation order, the C cast
rules and the intermediate dtypes, so no tolerance is needed.  Bool outputs are
compared byte for byte (SciPy can store bytes other than 0/1 in a bool array).
"""

import types
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import correlation as RC
from reference import separable as RS
from reference import signal2d as RSIG

from strategies import images, kernels, origins_for, outputs, IN_DTYPES, OUT_DTYPES

ndi = pytest.importorskip("scipy.ndimage")
signal = pytest.importorskip("scipy.signal")

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

MODES = ["reflect", "mirror", "nearest", "wrap", "constant",
         "grid-mirror", "grid-wrap", "grid-constant"]
BASIC_MODES = ["reflect", "mirror", "nearest", "wrap", "constant"]


# ------------------------------------------------------------------------ helpers
def assert_same(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if actual.dtype == np.bool_:
        actual, expected = actual.view(np.uint8), expected.view(np.uint8)
    np.testing.assert_array_equal(actual, expected, strict=True)


def same_outcome(ours, theirs):
    """Both raise the same exception type and message, or both return equal arrays."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = theirs()
        except Exception as exc:  # noqa: BLE001 - the anchor's error is the spec
            with pytest.raises(type(exc)) as info:
                ours()
            assert str(info.value) == str(exc)
            return
        actual = ours()
    assert_same(actual, expected)


# --------------------------------------------------------------- the cast rule
CAST_VALUES = np.array([
    0.0, 0.5, -0.5, -0.99, -1.0, -1.5, 1.9, 255.9, 256.0, 300.0, -300.0, 1800.0,
    70000.5, -70000.5, 2.0**31 - 0.5, 2.0**31, -(2.0**31), -(2.0**31) - 5,
    2.0**32 + 3, -(2.0**32) - 3, 2.0**63, 2.0**63 + 4096, 2.0**64, -(2.0**63),
    -(2.0**63) - 4096, -(2.0**64), 1e30, -1e30, np.inf, -np.inf, np.nan])


@pytest.mark.parametrize("dtype", [d for d in OUT_DTYPES if d] + ["bool"])
def test_cast_rule_matches_scipy_both_paths(dtype):
    # n-D path (NI_Correlate, "safe" unsigned store) and 1-D line-buffer path
    same_outcome(lambda: RC.correlate(CAST_VALUES, [1.0], output=np.dtype(dtype)),
                 lambda: ndi.correlate(CAST_VALUES, [1.0], output=np.dtype(dtype)))
    same_outcome(lambda: RC.correlate1d(CAST_VALUES, [1.0], output=np.dtype(dtype)),
                 lambda: ndi.correlate1d(CAST_VALUES, [1.0], output=np.dtype(dtype)))


def test_cast_examples():
    assert RC._cast_like_c(np.array([1800.0]), np.uint8)[0] == 8
    assert RC._cast_like_c(np.array([-1.5]), np.uint8)[0] == 255
    assert RC._cast_like_c(np.array([-0.5]), np.uint8)[0] == 0
    assert RC._cast_like_c(np.array([np.nan]), np.int32)[0] == np.iinfo(np.int32).min


# ------------------------------------------------------- n-D correlate / convolve
@SETTINGS
@given(data=st.data(), x=images(), mode=st.sampled_from(MODES),
       cval=st.sampled_from([0.0, 1.5, -7.0]), output=outputs,
       func=st.sampled_from(["correlate", "convolve"]))
def test_correlate_convolve(data, x, mode, cval, output, func):
    w = data.draw(kernels(allow_complex=False))
    origin = origins_for(data.draw, w.shape, allow_invalid=True)
    kw = dict(mode=mode, cval=cval, origin=origin, output=output)
    same_outcome(lambda: getattr(RC, func)(x, w, **kw),
                 lambda: getattr(ndi, func)(x, w, **kw))


@SETTINGS
@given(data=st.data(), x=images(dtypes=["float64", "complex128", "uint8"], max_side=6),
       mode=st.sampled_from(BASIC_MODES), func=st.sampled_from(["correlate", "convolve"]))
def test_correlate_convolve_complex(data, x, mode, func):
    w = data.draw(kernels(allow_complex=True))
    cval = data.draw(st.sampled_from([0.0, 2.0, 1 + 2j]))
    same_outcome(lambda: getattr(RC, func)(x, w, mode=mode, cval=cval),
                 lambda: getattr(ndi, func)(x, w, mode=mode, cval=cval))


@SETTINGS
@given(data=st.data(), x=images(max_side=8), mode=st.sampled_from(BASIC_MODES),
       axis=st.integers(-2, 1))
def test_correlate_axes(data, x, mode, axis):
    w = data.draw(kernels(ndim=1))
    origin = data.draw(st.integers(-(len(w) // 2), (len(w) - 1) // 2))
    same_outcome(lambda: RC.correlate(x, w, mode=mode, origin=origin, axes=(axis,)),
                 lambda: ndi.correlate(x, w, mode=mode, origin=origin, axes=(axis,)))


def test_correlate_into_output_array():
    x = np.arange(20, dtype=np.float64).reshape(4, 5)
    w = np.array([[1.0, 2.0], [3.0, -1.0]])
    ours, theirs = np.zeros((4, 5), np.int16), np.zeros((4, 5), np.int16)
    assert RC.correlate(x, w, output=ours) is ours
    ndi.correlate(x, w, output=theirs)
    assert_same(ours, theirs)


# ------------------------------------------------------------ 1-D correlation
@SETTINGS
@given(data=st.data(), x=images(), mode=st.sampled_from(MODES),
       cval=st.sampled_from([0.0, 2.5]), output=outputs, axis=st.integers(-2, 1),
       func=st.sampled_from(["correlate1d", "convolve1d"]))
def test_correlate1d_convolve1d(data, x, mode, cval, output, axis, func):
    w = data.draw(kernels(ndim=1, max_side=5))  # incl. (anti)symmetric odd kernels
    origin = data.draw(st.integers(-(len(w) // 2) - 1, (len(w) - 1) // 2 + 1))
    kw = dict(axis=axis, mode=mode, cval=cval, origin=origin, output=output)
    same_outcome(lambda: getattr(RC, func)(x, w, **kw),
                 lambda: getattr(ndi, func)(x, w, **kw))


@SETTINGS
@given(data=st.data(), x=images(dtypes=["float32", "complex128", "complex64"],
                                max_side=6),
       mode=st.sampled_from(BASIC_MODES), func=st.sampled_from(["correlate1d",
                                                                 "convolve1d"]))
def test_correlate1d_complex(data, x, mode, func):
    w = data.draw(kernels(ndim=1, allow_complex=True))
    same_outcome(lambda: getattr(RC, func)(x, w, mode=mode, cval=1.0),
                 lambda: getattr(ndi, func)(x, w, mode=mode, cval=1.0))


def test_symmetric_trick_changes_rounding_like_scipy():
    # symmetric kernel: x0*w0 + (x[-1] + x[+1]) * w1, not a plain left-to-right sum
    x = np.array([0.1, 0.7, 0.2, 0.3, 1e16, 0.9, 0.05])
    for w in ([0.3, 0.1, 0.3], [0.3, 0.0, -0.3], [0.3, 0.1, 0.2], [0.25, 0.5]):
        assert_same(RC.correlate1d(x, w), ndi.correlate1d(x, w))


# ------------------------------------------------------ separable filters
@SETTINGS
@given(x=images(dtypes=IN_DTYPES + ["complex128"]), output=outputs,
       sigma=st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.7, 3.0]), min_size=2,
                      max_size=2),
       order=st.lists(st.integers(0, 2), min_size=2, max_size=2),
       modes=st.lists(st.sampled_from(MODES), min_size=2, max_size=2),
       cval=st.sampled_from([0.0, 3.0]), truncate=st.sampled_from([4.0, 1.0, 2.5]),
       radius=st.sampled_from([None, 0, 1, 3]))
def test_gaussian_filter(x, output, sigma, order, modes, cval, truncate, radius):
    if x.dtype.kind == "c":
        output = None
    kw = dict(output=output, mode=modes, cval=cval, truncate=truncate, radius=radius)
    same_outcome(lambda: RS.gaussian_filter(x, sigma, order, **kw),
                 lambda: ndi.gaussian_filter(x, sigma, order, **kw))


@SETTINGS
@given(x=images(), sigma=st.sampled_from([0.3, 1.0, 2.2]), axis=st.integers(-2, 1),
       order=st.integers(0, 3), output=outputs, mode=st.sampled_from(MODES))
def test_gaussian_filter1d(x, sigma, axis, order, output, mode):
    kw = dict(axis=axis, order=order, output=output, mode=mode)
    same_outcome(lambda: RS.gaussian_filter1d(x, sigma, **kw),
                 lambda: ndi.gaussian_filter1d(x, sigma, **kw))


@SETTINGS
@given(data=st.data(), x=images(dtypes=IN_DTYPES + ["complex128"]), output=outputs,
       size=st.lists(st.integers(0, 6), min_size=2, max_size=2),
       modes=st.lists(st.sampled_from(MODES), min_size=2, max_size=2),
       cval=st.sampled_from([0.0, 2.0]))
def test_uniform_filter(data, x, output, size, modes, cval):
    origin = [data.draw(st.integers(-(s // 2) - 1, max((s - 1) // 2, 0) + 1))
              for s in size]
    if x.dtype.kind == "c":
        output = None
    kw = dict(output=output, mode=modes, cval=cval, origin=origin)
    same_outcome(lambda: RS.uniform_filter(x, size, **kw),
                 lambda: ndi.uniform_filter(x, size, **kw))


@SETTINGS
@given(data=st.data(), x=images(), size=st.integers(1, 6), axis=st.integers(-2, 1),
       output=outputs, mode=st.sampled_from(MODES))
def test_uniform_filter1d(data, x, size, axis, output, mode):
    origin = data.draw(st.integers(-(size // 2), (size - 1) // 2))
    kw = dict(axis=axis, output=output, mode=mode, origin=origin)
    same_outcome(lambda: RS.uniform_filter1d(x, size, **kw),
                 lambda: ndi.uniform_filter1d(x, size, **kw))


@SETTINGS
@given(x=images(dtypes=IN_DTYPES + ["bool"]), axis=st.integers(-2, 1), output=outputs,
       modes=st.one_of(st.sampled_from(MODES),
                       st.lists(st.sampled_from(MODES), min_size=2, max_size=2)),
       cval=st.sampled_from([0.0, 5.0]), func=st.sampled_from(["sobel", "prewitt"]))
def test_sobel_prewitt(x, axis, output, modes, cval, func):
    kw = dict(axis=axis, output=output, mode=modes, cval=cval)
    same_outcome(lambda: getattr(RS, func)(x, **kw), lambda: getattr(ndi, func)(x, **kw))


# --------------------------------------------------------------- scipy.signal
@SETTINGS
@given(x=images(dtypes=["uint8", "int16", "int32", "float32", "float64", "complex128"],
                special=False),
       k=images(dtypes=["uint8", "int8", "int64", "float32", "float64", "complex128"],
                max_side=5, special=False),
       mode=st.sampled_from(["full", "same", "valid"]),
       boundary=st.sampled_from(["fill", "wrap", "symm", "circular", "symmetric"]),
       fillvalue=st.sampled_from([0, 1, 2.5, -3]),
       func=st.sampled_from(["convolve2d", "correlate2d"]), swap=st.booleans())
def test_convolve2d_correlate2d(x, k, mode, boundary, fillvalue, func, swap):
    if swap:  # the kernel may be the larger input (valid mode swaps them)
        x, k = k, x
    same_outcome(lambda: getattr(RSIG, func)(x, k, mode, boundary, fillvalue),
                 lambda: getattr(signal, func)(x, k, mode, boundary, fillvalue))


@pytest.mark.parametrize("args", [
    dict(mode="bad"), dict(boundary="bad"), dict(boundary="reflect"),
    dict(fillvalue=1j), dict(fillvalue=[]), dict(fillvalue=[1.0, 2.0])])
def test_convolve2d_errors(args):
    a, b = np.ones((3, 4)), np.ones((2, 2))
    same_outcome(lambda: RSIG.convolve2d(a, b, **args),
                 lambda: signal.convolve2d(a, b, **args))
    same_outcome(lambda: RSIG.correlate2d(a, b, **args),
                 lambda: signal.correlate2d(a, b, **args))


def test_convolve2d_shape_errors():
    a, b = np.ones((3, 5)), np.ones((5, 3))
    same_outcome(lambda: RSIG.convolve2d(a, b, "valid"),
                 lambda: signal.convolve2d(a, b, "valid"))
    same_outcome(lambda: RSIG.convolve2d(np.ones(3), b), lambda: signal.convolve2d(np.ones(3), b))
    same_outcome(lambda: RSIG.convolve2d(a > 0, b > 0), lambda: signal.convolve2d(a > 0, b > 0))


# ------------------------------------------------------------------ error paths
#: the reference's scipy.ndimage functions (two families) under one name, as the
#: error calls below use them
REF_NDIMAGE = types.SimpleNamespace(**{name: getattr(module, name) for module in (RC, RS)
                                       for name in module.__all__})


@pytest.mark.parametrize("call", [
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), origin=2),
    lambda m: m.convolve(np.ones((3, 3)), np.ones((2, 2)), origin=1),
    lambda m: m.correlate(np.ones((3, 3)), np.ones(3)),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), mode="bogus"),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), mode=["wrap", "wrap"]),
    lambda m: m.correlate(np.ones((3, 3), np.float16), np.ones((3, 3))),
    lambda m: m.correlate1d(np.ones((3, 3)), [], axis=0),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], origin=-2),
    lambda m: m.correlate1d(np.ones((3, 3), np.float16), [1, 2, 3]),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], output=np.complex128),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], output="bool"),
    lambda m: m.correlate1d(np.ones((3, 3)), [1, 2, 3], output=np.ones((2, 3))),
    lambda m: m.correlate(np.ones((3, 3)), np.ones((3, 3)), cval=1j),
    lambda m: m.uniform_filter1d(np.ones((3, 3)), 0),
    lambda m: m.uniform_filter1d(np.ones((3, 3)), 3, origin=2),
    lambda m: m.gaussian_filter1d(np.ones((3, 3)), 1.0, radius=-1),
    lambda m: m.gaussian_filter1d(np.ones((3, 3)), 1.0, order=-1),
    lambda m: m.gaussian_filter(np.ones((3, 3)), [1.0, 1.0, 1.0]),
    lambda m: m.sobel(np.ones((3, 3)), axis=2),
])
def test_error_paths(call):
    same_outcome(lambda: call(REF_NDIMAGE), lambda: call(ndi))


# ------------------------------------------------------------ skimage.filters
SK_DTYPES = ["uint8", "uint16", "int8", "int16", "int32", "uint64", "bool",
             "float16", "float32", "float64"]


@SETTINGS
@given(data=st.data(), x=images(dtypes=SK_DTYPES),
       sigma=st.sampled_from([0.0, 0.5, 1.0, 2.0, [1.0, 0.0]]),
       mode=st.sampled_from(BASIC_MODES), cval=st.sampled_from([0, 0.25]),
       preserve_range=st.booleans(), truncate=st.sampled_from([4.0, 2.0]))
def test_skimage_gaussian(data, x, sigma, mode, cval, preserve_range, truncate):
    skf = pytest.importorskip("skimage.filters")
    from reference import linear as RL

    channel_axis = None
    if data.draw(st.booleans()):  # add a channel axis
        x = np.stack([x, x[::-1]], axis=-1)
        channel_axis = data.draw(st.sampled_from([None, -1, 2]))
    out_dtype = data.draw(st.sampled_from([None, "float32", "float64", "int32"]))

    def kw():
        out = None if out_dtype is None else np.zeros(x.shape, out_dtype)
        return dict(mode=mode, cval=cval, preserve_range=preserve_range,
                    truncate=truncate, channel_axis=channel_axis, out=out)

    same_outcome(lambda: RL.gaussian(x, sigma, **kw()), lambda: skf.gaussian(x, sigma, **kw()))


@SETTINGS
@given(data=st.data(), x=images(dtypes=SK_DTYPES + ["complex128"]),
       axis=st.sampled_from([None, 0, 1, -1, (0, 1), [1]]),
       mode=st.sampled_from(BASIC_MODES), cval=st.sampled_from([0.0, 0.5]))
def test_skimage_sobel(data, x, axis, mode, cval):
    skf = pytest.importorskip("skimage.filters")
    from reference import linear as RL

    mask = None
    if data.draw(st.booleans()):
        seed = data.draw(st.integers(0, 2**32 - 1))
        mask = np.random.default_rng(seed).random(x.shape) < 0.8
    same_outcome(lambda: RL.sobel(x, mask, axis=axis, mode=mode, cval=cval),
                 lambda: skf.sobel(x, mask, axis=axis, mode=mode, cval=cval))


def test_skimage_gaussian_negative_sigma():
    skf = pytest.importorskip("skimage.filters")
    from reference import linear as RL

    same_outcome(lambda: RL.gaussian(np.ones((3, 3)), -1.0),
                 lambda: skf.gaussian(np.ones((3, 3)), -1.0))


# --------------------------------------------------------------- policy
def test_reference_imports_only_numpy():
    import ast
    import pathlib

    import reference

    forbidden = ("scipy", "skimage", "fastimg")
    for path in pathlib.Path(reference.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert not name.split(".")[0] in forbidden, (path.name, name)


def test_signatures_match_anchors():
    import inspect

    for module in (RC, RS, RSIG):
        for name in module.__all__:
            anchor = getattr(signal if name.endswith("2d") else ndi, name)
            assert inspect.signature(getattr(module, name)) == inspect.signature(anchor), name
    skf = pytest.importorskip("skimage.filters")
    from reference import linear as RL

    for name in RL.__all__:
        assert inspect.signature(getattr(RL, name)) == inspect.signature(getattr(skf, name))
