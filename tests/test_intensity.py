"""fastimg's intensity family (invert, adjust_gamma, adjust_log) against the
reference (the definition), scikit-image 0.26 (the anchor), invariants, odd
inputs and every error path.  Every comparison is exact: values, dtype and
warnings (see fastimg/intensity.py for why no tolerance is needed)."""
import inspect
import warnings

import numpy as np
import pytest
from conftest import assert_close
from hypothesis import given
from hypothesis import strategies as st

from fastimg._intensity import elementwise
from fastimg._intensity import api as F
from reference import intensity as R

DTYPES = ["uint8", "uint16", "int8", "int16", "int32", "uint32", "int64",
          "float16", "float32", "float64", "bool"]
GAMMAS = [0, 0.5, 1, 2, 0.3, 2.2, 1.0, np.float64(0.7), np.float32(2.0)]
GAINS = [1, 0.7, 2.5, np.float64(1.3)]
FUNCS = ["invert", "adjust_gamma", "adjust_log"]


def outcome(fn):
    """(result or exception, sorted set of warning messages)."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        try:
            res = fn()
        except Exception as exc:  # noqa: BLE001 - the error is the outcome
            res = exc
    return res, sorted({str(w.message) for w in rec})


def assert_same_outcome(ours, theirs, warn=True):
    """Equal arrays (exact, same dtype), or the same exception type with the
    anchor's message at the start of ours; the same warnings."""
    expected, w_exp = outcome(theirs)
    actual, w_act = outcome(ours)
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (str(actual), str(expected))
    else:
        assert not isinstance(actual, Exception), actual
        assert_close(actual, expected, "direct")
    if warn:
        assert w_act == w_exp


@st.composite
def images(draw, dtypes=DTYPES, max_side=9, negatives=False):
    shape = draw(st.tuples(st.integers(1, max_side), st.integers(1, max_side)))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype.kind == "b":
        x = rng.random(shape) < 0.5
    elif dtype.kind == "f":
        x = rng.random(shape) * draw(st.sampled_from([1.0, 3.0, 1e-3]))
        if negatives:
            x -= 0.3
        x = x.astype(dtype)
        if draw(st.booleans()):
            x.flat[draw(st.integers(0, x.size - 1))] = draw(
                st.sampled_from([np.nan, np.inf, -0.0, 0.0, 1.0]))
    else:
        info = np.iinfo(dtype)
        lo = max(info.min, -50) if negatives else 0
        hi = draw(st.sampled_from([min(info.max, 300), info.max]))
        x = rng.integers(lo, hi, shape, endpoint=True, dtype=np.int64
                         if hi <= np.iinfo(np.int64).max else np.uint64).astype(dtype)
    return x


def call(mod, name, x, args):
    return lambda: getattr(mod, name)(x, *args)


def _args(name, gamma, gain, flag):
    if name == "invert":
        return (flag,)
    if name == "adjust_gamma":
        return (gamma, gain)
    return (gain, flag)


# ------------------------------------------------------------ vs reference
@given(x=images(), name=st.sampled_from(FUNCS), gamma=st.sampled_from(GAMMAS),
       gain=st.sampled_from(GAINS), flag=st.booleans())
def test_equal_reference(x, name, gamma, gain, flag):
    args = _args(name, gamma, gain, flag)
    # the reference is the plain expression: its warnings are not the point here
    assert_same_outcome(call(F, name, x, args), call(R, name, x, args), warn=False)


@given(x=images(negatives=True), name=st.sampled_from(FUNCS[1:]),
       gamma=st.sampled_from(GAMMAS))
def test_negative_values_equal_reference(x, name, gamma):
    args = _args(name, gamma, 1, False)
    assert_same_outcome(call(F, name, x, args), call(R, name, x, args), warn=False)


# ------------------------------------------------------------ vs skimage
@pytest.fixture(scope="module")
def sk():
    pytest.importorskip("skimage", minversion="0.26")
    import skimage.exposure
    import skimage.util
    return {"invert": skimage.util.invert, "adjust_gamma": skimage.exposure.adjust_gamma,
            "adjust_log": skimage.exposure.adjust_log}


@given(x=images(),
       name=st.sampled_from(FUNCS), gamma=st.sampled_from(GAMMAS + [3.7, 1e-3, 3.0]),
       gain=st.sampled_from(GAINS + [-1.0, 1e300]), flag=st.booleans())
def test_equal_skimage(sk, x, name, gamma, gain, flag):
    args = _args(name, gamma, gain, flag)
    assert_same_outcome(call(F, name, x, args), lambda: sk[name](x, *args))


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int16", "float16", "float32",
                                   "float64", "int32"])
@pytest.mark.parametrize("name", FUNCS)
def test_parallel_path_equals_skimage(sk, dtype, name):
    """300x300 > fastimg._threads.SMALL: the threaded paths run."""
    rng = np.random.default_rng(7)
    x = (rng.random((300, 300)) * (255 if dtype[0] in "ui" else 1)).astype(dtype)
    for args in ([(False,), (True,)] if name == "invert" else
                 [(0.3, 1), (2, 0.5), (0.5, 1)] if name == "adjust_gamma" else
                 [(1, False), (0.8, True)]):
        assert_same_outcome(call(F, name, x, args), lambda: sk[name](x, *args))
        ours1 = getattr(F, name)(x, *args, workers=1)
        np.testing.assert_array_equal(ours1, getattr(F, name)(x, *args), strict=True)


@given(dtype=st.sampled_from(["float32", "float64"]), side=st.integers(257, 300),
       name=st.sampled_from(FUNCS[1:]),
       gamma=st.sampled_from([2.2, 0.3, 3.7, 1, np.float32(1.7), np.float64(0.7)]),
       gain=st.sampled_from([1, 1.0, 0.7, True, np.float32(1.5), np.float64(1.3), 1e300]),
       flag=st.booleans(), special=st.sampled_from([None, np.nan, np.inf, -0.0, 1e-40, -1.0]),
       seed=st.integers(0, 2**32 - 1))
def test_large_float_images_equal_skimage(sk, dtype, side, name, gamma, gain, flag, special,
                                          seed):
    """Float images run skimage's expression in one block per thread, each
    block in steps (made 4096 pixels here so that these images have two
    blocks of many steps): same values and warnings as skimage, also with
    NaN / inf / -0 / subnormal / negative pixels and odd scalar types."""
    rng = np.random.default_rng(seed)
    x = (rng.random((side, side - 3)) * rng.choice([1.0, 3.0])).astype(dtype)
    if special is not None:
        x.flat[rng.integers(0, x.size)] = special
    args = _args(name, gamma, gain, flag)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(elementwise, "STEP", 4096)
        assert_same_outcome(call(F, name, x, args), lambda: sk[name](x, *args))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("gamma", [3.0, 5.0, 0.45, 2.2, 1e-3, np.float32(3.0)])
@pytest.mark.parametrize("step", [4096, None])
def test_gamma_signed_zeros_equal_skimage(sk, dtype, gamma, step):
    """Zero pixels are raised to gamma as ones and given NumPy's 0 ** gamma
    afterwards (see fastimg.intensity._gamma_into): +0 and -0 keep their
    own results (-0 ** odd integer is -0), in every step and thread."""
    rng = np.random.default_rng(11)
    x = rng.random((300, 297)).astype(dtype)
    x[rng.random(x.shape) < 0.05] = 0.0
    x[rng.random(x.shape) < 0.05] = -0.0
    x[0, :3] = [-0.0, 0.0, -0.0]
    with pytest.MonkeyPatch.context() as mp:
        if step is not None:
            mp.setattr(elementwise, "STEP", step)
        for gain in (1, 0.7):
            assert_same_outcome(lambda: F.adjust_gamma(x, gamma, gain),
                                lambda: sk["adjust_gamma"](x, gamma, gain))


@pytest.mark.parametrize("where", [0, -1])
@pytest.mark.parametrize("name", FUNCS[1:])
def test_negative_error_wins_over_a_warning_elsewhere(sk, name, where):
    """A negative pixel in one thread's block and an overflow in another:
    skimage checks negatives first, so the error is its ValueError."""
    x = np.random.default_rng(3).random((800, 800)) + 0.5     # > 2 steps of 2**18
    x.flat[where] = -1.0
    args = (0.3, 1e300) if name == "adjust_gamma" else (1e308, True)
    assert_same_outcome(call(F, name, x, args), lambda: sk[name](x, *args))


# ------------------------------------------------------------ invariants
@given(x=images(dtypes=["uint8", "uint16", "uint32", "uint64", "bool", "int8", "int16"]))
def test_invert_twice_is_identity(x):
    np.testing.assert_array_equal(F.invert(F.invert(x)), x, strict=True)


@given(x=images(dtypes=["uint8", "uint16", "int16", "float32", "float64", "float16"]))
def test_gamma_one_is_identity(x):
    np.testing.assert_array_equal(F.adjust_gamma(x, 1, 1), x, strict=True)


@pytest.mark.parametrize("dtype", ["uint8", "uint16"])
@pytest.mark.parametrize("gamma", [0.2, 0.5, 1, 2.2, 7])
def test_lut_monotonic(dtype, gamma):
    ramp = np.arange(np.iinfo(dtype).max + 1, dtype=np.int64).astype(dtype)
    for out in (F.adjust_gamma(ramp, gamma), F.adjust_log(ramp),
                F.adjust_log(ramp, inv=True)):
        assert np.all(np.diff(out.astype(np.int64)) >= 0)


# ------------------------------------------------------------ odd inputs
def _corpus():
    rng = np.random.default_rng(3)
    base = (rng.random((6, 8)) * 200).astype(np.uint16)
    f = rng.random((6, 8)).astype(np.float32)
    ro = f.copy()
    ro.setflags(write=False)
    nan = f.copy()
    nan[2, 3] = np.nan
    snan16 = np.array([[0.5, 0.25]], np.float16)
    snan16.view(np.uint16)[0, 1] = 0x7D01          # signalling NaN
    weird_bool = np.array([0, 1, 2, 255], np.uint8).view(np.bool_)
    return {
        "1xN": base[:1], "Nx1": base[:, :1], "constant": np.full((4, 5), 7, np.uint8),
        "single": np.array([[0.25]], np.float64), "nan": nan, "float16": f.astype(np.float16),
        "big-endian-f4": f.astype(">f4"), "big-endian-u2": base.astype(">u2"),
        "big-endian-f2": f.astype(">f2"), "strided": f[::2, ::3],
        "negative-strides": base[::-1, ::-2], "fortran": np.asfortranarray(f),
        "read-only": ro, "3-D": (rng.random((4, 5, 3)) * 255).astype(np.uint8),
        "rgb-float": rng.random((5, 4, 3)), "1-D": base[0], "0-d": np.array(0.5, np.float32),
        "empty": np.zeros((0, 3), np.float32), "int8": base.astype(np.int8),
        "snan-f16": snan16, "weird-bool": weird_bool, "inf": np.array([[np.inf, 1.0]]),
        "list": [[1, 2], [3, 4]],
    }


CORPUS = _corpus()


@pytest.mark.parametrize("case", list(CORPUS))
@pytest.mark.parametrize("name,args", [
    ("invert", (False,)), ("invert", (True,)), ("adjust_gamma", (0.4, 1.5)),
    ("adjust_gamma", (2, 1)), ("adjust_gamma", (1, 1)), ("adjust_log", (1, False)),
    ("adjust_log", (2, True))])
def test_odd_inputs_equal_skimage(sk, case, name, args):
    x = CORPUS[case]
    if (name == "invert" and case.startswith("big-endian")
            and isinstance(outcome(lambda: sk[name](x, *args))[0], TypeError)):
        # skimage 0.26 raises TypeError from np.subtract(..., dtype='>u2')
        # (all but signed_float floats); fastimg inverts (documented
        # difference): compare with the native-order input
        assert not args[0] or case.endswith("u2")
        native = x.astype(x.dtype.newbyteorder("="))
        assert_same_outcome(call(F, name, x, args), lambda: sk[name](native, *args))
        return
    assert_same_outcome(call(F, name, x, args), lambda: sk[name](x, *args))


def test_big_endian_output_is_native():
    x = np.arange(6, dtype=">f4").reshape(2, 3) / 6
    for out in (F.adjust_gamma(x, 0.3), F.adjust_log(x), F.invert(x), F.invert(x, True)):
        assert out.dtype == np.dtype("=f4")


# ------------------------------------------------------------ errors
ERRORS = [
    ("adjust_gamma", np.ones((3, 3), np.float32), (-1,)),
    ("adjust_gamma", np.ones((3, 3), np.uint8), (-0.5, 2)),
    ("adjust_gamma", -np.ones((3, 3), np.float32), (0.5,)),
    ("adjust_gamma", -np.ones((3, 3), np.float32), (2,)),
    ("adjust_gamma", -np.ones((300, 300), np.float64), (0.3,)),
    ("adjust_gamma", np.full((3, 3), -4, np.int16), (2.2,)),
    ("adjust_gamma", np.full((3, 3), -4, np.int8), (2.2,)),
    ("adjust_gamma", np.full((3, 3), -4, np.int32), (2.2,)),
    ("adjust_gamma", -np.ones((3, 3), np.float16), (0.3,)),
    ("adjust_gamma", np.ones((3, 3), np.complex128), (0.3,)),
    ("adjust_gamma", [[1, 2]], (0.5,)),
    ("adjust_gamma", np.ones((3, 3)), ("a",)),
    ("adjust_log", -np.ones((3, 3), np.float32), ()),
    ("adjust_log", np.full((3, 3), -4, np.int16), (1, True)),
    ("adjust_log", -np.ones((300, 300), np.float32), ()),
    ("adjust_log", np.ones((3, 3), np.complex64), ()),
    ("adjust_log", [[1, 2]], ()),
    ("invert", [[1, 2]], ()),
]


@pytest.mark.parametrize("name,x,args", ERRORS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ERRORS)])
def test_errors_equal_skimage(sk, name, x, args):
    assert_same_outcome(call(F, name, x, args), lambda: sk[name](x, *args))


@pytest.mark.parametrize("name,x,args", ERRORS[:9] + ERRORS[12:15])
def test_errors_equal_reference_and_say_what(name, x, args):
    assert_same_outcome(call(F, name, x, args), call(R, name, x, args), warn=False)
    with pytest.raises(ValueError, match="Got"):
        getattr(F, name)(x, *args)


@pytest.mark.parametrize("workers", [0, "2", 10**6])
def test_bad_workers(workers):
    with pytest.raises(ValueError):
        F.adjust_gamma(np.ones((3, 3)), 2, workers=workers)


def test_errstate_is_honoured_on_threads():
    x = np.full((400, 400), 1e300)
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            F.adjust_gamma(x, 0.3, 1e300)


# ------------------------------------------------------------ signatures
@pytest.mark.parametrize("name", FUNCS)
def test_signature_is_skimage_plus_workers(sk, name):
    ours = inspect.signature(getattr(F, name))
    theirs = inspect.signature(sk[name])
    params = list(ours.parameters.values())
    assert params[-1].name == "workers" and params[-1].kind is inspect.Parameter.KEYWORD_ONLY
    assert params[-1].default is None
    # names, kinds and defaults: fastimg's type hints are not the anchor's
    plain = [(p.name, p.kind, p.default) for p in params[:-1]]
    assert plain == [(p.name, p.kind, p.default) for p in theirs.parameters.values()]


@given(x=images(dtypes=["uint8", "uint16", "float32", "float64", "int16"], max_side=6),
       name=st.sampled_from(FUNCS))
def test_workers_one_equals_default(x, name):
    args = _args(name, 0.6, 1.2, False)
    np.testing.assert_array_equal(getattr(F, name)(x, *args, workers=1),
                                  getattr(F, name)(x, *args), strict=True)


def test_mirrored_namespaces():
    import fastimg
    assert fastimg.exposure.adjust_gamma.__wrapped__ is F.adjust_gamma
    assert fastimg.exposure.adjust_log.__wrapped__ is F.adjust_log
    assert fastimg.util.invert.__wrapped__ is F.invert
    assert fastimg.invert is fastimg.util.invert
