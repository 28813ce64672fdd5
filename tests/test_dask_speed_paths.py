"""fastimg.dask's fast local path (fastimg._dask.halo): each block gathers
its overlapped region itself into a per-thread buffer.  Results equal the
single-machine call for uint8, float32 and float64, every mode (wrap through
Dask's periodic boundary), thin and uneven chunks, aligned masks and 3-D
images; a result that aliases the reused buffer is copied out."""
import dask.array as da
import numpy as np
import pytest
from hypothesis import given, strategies as st

import fastimg
import fastimg.dask as fd
from fastimg._dask import halo

MODES = ["reflect", "mirror", "nearest", "wrap", "constant", "grid-mirror", "grid-wrap",
         "grid-constant"]
DTYPES = ["uint8", "float32", "float64"]


@st.composite
def chunked(draw, ndim=2, max_side=24):
    """(image, chunks) of a drawn dtype, random pieces from one pixel up."""
    shape = tuple(draw(st.integers(1, max_side)) for _ in range(ndim))
    dtype = draw(st.sampled_from(DTYPES))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = (rng.random(shape) * 255).astype(dtype)
    chunks = [[] for _ in shape]
    for sizes, n in zip(chunks, shape):
        while sum(sizes) < n:
            sizes.append(draw(st.integers(1, n - sum(sizes))))
    return x, tuple(map(tuple, chunks))


def _check(name, x, chunks, *args, ns="ndimage", **kwargs):
    expected = getattr(getattr(fastimg, ns), name)(x, *args, **kwargs)
    actual = getattr(getattr(fd, ns), name)(da.from_array(x, chunks=chunks), *args, **kwargs)
    out = actual.compute(scheduler="threads")
    assert out.dtype == expected.dtype == actual.dtype
    np.testing.assert_array_equal(out, expected)


@given(chunked(), st.floats(0.0, 3.0), st.sampled_from(MODES), st.floats(-5, 300))
def test_gaussian_dtypes_and_modes_drawn(xc, sigma, mode, cval):
    _check("gaussian_filter", *xc, sigma, mode=mode, cval=cval)


@given(chunked(), st.integers(1, 6), st.sampled_from(MODES), st.integers(0, 1))
def test_uniform_and_sobel_drawn(xc, size, mode, axis):
    _check("uniform_filter", *xc, size, mode=mode)
    _check("sobel", *xc, axis, mode=mode)


@given(chunked(ndim=3, max_side=10), st.floats(0.3, 2.0), st.sampled_from(MODES))
def test_gaussian_3d_drawn(xc, sigma, mode):
    _check("gaussian_filter", *xc, sigma, mode=mode)


@given(chunked(), st.integers(1, 3))
def test_binary_erosion_with_mask_drawn(xc, iterations):
    """Two inputs gathered per block (the image and its aligned mask)."""
    x, chunks = xc
    image, mask = x > 100, x % 3 > 0
    expected = fastimg.ndimage.binary_erosion(image, iterations=iterations, mask=mask)
    actual = fd.ndimage.binary_erosion(da.from_array(image, chunks=chunks),
                                       iterations=iterations,
                                       mask=da.from_array(mask, chunks=chunks))
    np.testing.assert_array_equal(actual.compute(scheduler="threads"), expected)


def test_benchmark_shape_float32_in_large_chunks():
    """The benchmark's layout (four chunks a side), scaled down."""
    x = (np.random.default_rng(0).random((256, 256)) * 100).astype(np.float32)
    _check("gaussian_filter", x, 64, 2.0)
    _check("gaussian_filter", x.astype(np.uint8), 64, 2.0, mode="constant", cval=7)
    _check("gaussian_filter", x.astype(np.float64), 64, 2.0, mode="wrap")


def test_local_graph_uses_halo_except_for_wrap():
    x = da.zeros((64, 64), np.float32, chunks=16)
    layers = fd.ndimage.gaussian_filter(x, 2.0).dask.layers
    assert any(k.startswith("fastimg-halo-") for k in layers)
    assert not any("overlap" in k for k in layers)
    layers = fd.ndimage.gaussian_filter(x, 2.0, mode="wrap").dask.layers
    assert not any(k.startswith("fastimg-halo-") for k in layers)


@pytest.mark.parametrize("limit", [0, 1 << 25])
def test_identity_result_is_copied_out_of_the_reused_buffer(monkeypatch, limit):
    """A function returning its input: with the per-thread buffer the block
    must be copied out, or the next block would overwrite it."""
    monkeypatch.setattr(halo, "SCRATCH_BYTES", limit)
    x = np.arange(30 * 28, dtype=np.float64).reshape(30, 28)
    y = halo.map_halo(lambda b: b, da.from_array(x, chunks=(7, 9)), depth=(2, 3),
                      periodic=(False, False), dtype=x.dtype, meta=np.empty((0, 0)))
    np.testing.assert_array_equal(y.compute(scheduler="threads"), x)


@given(chunked(max_side=20), st.integers(0, 25), st.integers(0, 25))
def test_periodic_regions_equal_wrap_drawn(xc, d0, d1):
    """map_halo's periodic axes (any depth, even beyond the extent) give the
    function's own wrap result."""
    x, chunks = xc
    x = x.astype(np.float64)
    # a direct correlation: each output its own fixed-order sum
    w = np.arange((2 * d0 + 1) * (2 * d1 + 1), dtype=np.float64).reshape(2 * d0 + 1, -1)
    expected = fastimg.ndimage.correlate(x, w, mode="wrap")
    y = halo.map_halo(lambda b: fastimg.ndimage.correlate(b, w, mode="wrap"),
                      da.from_array(x, chunks=chunks), depth=(d0, d1), periodic=(True, True),
                      dtype=x.dtype, meta=np.empty((0, 0)))
    np.testing.assert_array_equal(y.compute(scheduler="threads"), expected)


def test_blocks_are_chunked_as_the_input_and_named_by_arguments():
    x = da.from_array(np.ones((20, 30), np.float32), chunks=((5, 15), (10, 20)))
    a = fd.ndimage.gaussian_filter(x, 1.0)
    b = fd.ndimage.gaussian_filter(x, 2.0)
    assert a.chunks == x.chunks and a.name != b.name
    assert a.name == fd.ndimage.gaussian_filter(x, 1.0).name


@given(chunked(), st.integers(2, 7), st.sampled_from([None, "float32", "float64"]),
       st.integers(0, 1))
def test_uniform_running_mean_exact_drawn(xc, size, output, axis):
    """SciPy's running mean carries its rounding along the line in float64:
    such calls get whole lines along the filtered axes; others keep chunks."""
    x, chunks = xc
    _check("uniform_filter", x, chunks, size, output=output)
    _check("uniform_filter1d", x, chunks, size, axis=axis, output=output)
    _check("uniform_filter", x.astype(np.float64), chunks, (size, 1))


def test_uniform_float64_gets_whole_lines_float32_keeps_chunks():
    x = da.zeros((40, 30), np.float64, chunks=10)
    assert fd.ndimage.uniform_filter1d(x, 3, axis=0).chunks == ((40,), (10, 10, 10))
    assert fd.ndimage.uniform_filter(x, (3, 1)).chunks == ((40,), (10, 10, 10))
    assert fd.ndimage.uniform_filter(x.astype(np.float32), 3).chunks == x.chunks
