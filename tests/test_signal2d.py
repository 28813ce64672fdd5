"""fastimg's signal2d family (``scipy.signal`` convolve2d, correlate2d)
against the reference (the definition), the anchor (SciPy 1.17) and its
errors."""

import numpy as np
import pytest
from conftest import assert_close, outcome
from helpers import assert_same_outcome, photo_image
from hypothesis import given
from hypothesis import strategies as st
from strategies import images

from fastimg import signal as S
from reference import signal2d as R


# ------------------------------------------------------------ vs reference
@given(x=images(dtypes=["uint8", "int16", "int32", "float32", "float64", "complex128"],
                special=False),
       k=images(dtypes=["uint8", "float32", "float64", "complex128"], max_side=6,
                special=False),
       mode=st.sampled_from(["full", "same", "valid"]),
       boundary=st.sampled_from(["fill", "wrap", "symm", "circular", "symmetric"]),
       fillvalue=st.sampled_from([0, 2, 1.5]),
       func=st.sampled_from(["convolve2d", "correlate2d"]), swap=st.booleans())
def test_convolve2d_correlate2d_equal_reference(x, k, mode, boundary, fillvalue, func, swap):
    if swap:
        x, k = k, x
    assert_same_outcome(lambda: getattr(S, func)(x, k, mode, boundary, fillvalue),
                        lambda: getattr(R, func)(x, k, mode, boundary, fillvalue))


# ------------------------------------------------------------ anchor parity
scipy_signal = pytest.importorskip("scipy.signal")


@pytest.fixture(scope="module")
def photo():
    return photo_image()


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
def test_signal_parity_on_photo(photo, dtype, mode, boundary):
    x = photo[:64, :80].astype(dtype)
    k = (np.arange(15.0).reshape(3, 5) - 6).astype(dtype if dtype != "uint8" else "float64")
    for f in ("convolve2d", "correlate2d"):
        assert_close(getattr(S, f)(x, k, mode, boundary, 3),
                     getattr(scipy_signal, f)(x, k, mode, boundary, 3), "direct")


# ------------------------------------------------------------ errors
SIGNAL_ERRORS = [
    dict(mode="bad"), dict(boundary="bad"), dict(boundary="reflect"),
    dict(fillvalue=1j), dict(fillvalue=[]), dict(fillvalue=[1.0, 2.0]),
    dict(fillvalue=300, a=np.ones((3, 4), np.uint8), b=np.ones((2, 2), np.uint8)),
    dict(a=np.ones((3, 4), np.float16), b=np.ones((2, 2), np.float16)),
    dict(a=np.ones((3, 4), bool), b=np.ones((2, 2), bool)),
    dict(a=np.ones(3)), dict(mode="valid", b=np.ones((2, 5))),
]


@pytest.mark.parametrize("args", SIGNAL_ERRORS)
def test_signal_error_paths_match_scipy(args):
    args = dict(args)
    a = args.pop("a", np.ones((3, 4)))
    b = args.pop("b", np.ones((2, 2)))
    for f in ("convolve2d", "correlate2d"):
        expected = outcome(lambda: getattr(scipy_signal, f)(a, b, **args))
        assert isinstance(expected, Exception)
        assert_same_outcome(lambda: getattr(S, f)(a, b, **args),
                            lambda: getattr(scipy_signal, f)(a, b, **args))
