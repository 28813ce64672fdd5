"""Every public function on degenerate shapes: empty images (0x0, 0xN,
Nx0), single rows and columns, a single pixel.

Catalog-driven: each row's sample call runs on each shape with fastimg's
function and with its anchor's; the outcomes must agree (equal results, or
the same exception type with the anchor's message).  fastimg's own
functions (no anchor) must return or raise ValueError, never crash.  CI
runs this file under ``NUMBA_BOUNDSCHECK=1`` too, so an out-of-bounds read
on a zero-length axis fails loudly instead of reading garbage.
"""
import numpy as np
import pytest
from conftest import assert_same_outcome, outcome

from fastimg._core import catalog as _catalog

SHAPES = [(0, 0), (0, 7), (7, 0), (1, 9), (9, 1), (1, 1), (2, 3)]
DTYPES = ["uint8", "float32"]

#: (function, dtype, empty?) -> why the anchor's outcome is not the bar.
#: There fastimg must raise ValueError.
ANCHOR_UNDEFINED = {
    ("filters.threshold_multiotsu", "float32", True):
        "skimage 0.26 indexes an uninitialised array (IndexError with a garbage index)",
}
#: The warning the anchor gives on the way there, which fastimg gives too:
#: threshold_multiotsu normalises the empty histogram first (0 / 0).
UNDEFINED_WARNS = {
    ("filters.threshold_multiotsu", "float32", True):
        (RuntimeWarning, "invalid value encountered in divide"),
}


def _image(shape, dtype):
    x = (np.arange(int(np.prod(shape))).reshape(shape) * 37 % 251).astype(np.float64)
    return (x / 250.0 if dtype == "float32" else x).astype(dtype)


def _same(actual, expected):
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            _same(a, e)
        return
    a, e = np.asarray(actual), np.asarray(expected)
    assert a.shape == e.shape and a.dtype == e.dtype, (a.shape, a.dtype, e.shape, e.dtype)
    if e.dtype.kind in "fc":
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6, equal_nan=True)
    else:
        np.testing.assert_array_equal(a, e)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("row", _catalog.ROWS, ids=lambda r: r.qualname)
def test_degenerate_shapes_like_the_anchor(row, shape, dtype):
    x = _image(shape, dtype)
    ours = _catalog.function(row)

    def call(f):
        return lambda: row.sample(f, x.copy())

    if row.anchor is None:
        got = outcome(call(ours))
        assert not isinstance(got, Exception) or isinstance(got, ValueError), repr(got)
        return
    pytest.importorskip(row.anchor)
    if (row.qualname, dtype, x.size == 0) in ANCHOR_UNDEFINED:
        category, message = UNDEFINED_WARNS[(row.qualname, dtype, x.size == 0)]
        with pytest.warns(category, match=message), pytest.raises(ValueError):
            call(ours)()
        return
    assert_same_outcome(call(ours), call(_catalog.anchor_function(row)), _same)
