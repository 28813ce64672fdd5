"""fastimg.dask's scaling transforms by output chunk: ``resize`` and
``rescale`` (orders 0 and 1, with and without anti-aliasing, colour
images, every mode but ``wrap``), ``downscale_local_mean`` by blocks and
``pixelate`` (``'nearest'``; ``'mean'`` of whole blocks) equal the
single-machine calls exactly, for drawn shapes, chunkings
(chunks thinner than the zoom's and the Gaussian's reach included) and
parameters; the graph never gathers the whole image; the calls outside the
mapped cases run whole and report errors as the function does."""
import warnings

import dask
import dask.array as da
import numpy as np
import pytest
from dask.callbacks import Callback
from hypothesis import given, settings, strategies as st

import fastimg
import fastimg.dask as fd
from fastimg._dask import apply
from fastimg._dask.strategies import STRATEGIES

SK_MODES = ["constant", "edge", "symmetric", "reflect"]
#: uneven chunks, chunks thinner than the zoom's and the Gaussian's reach,
#: one chunk
CHUNKINGS = {"uneven": ((13, 17, 10), (20, 16)), "thin": (2, 3), "one": -1}


@pytest.fixture
def no_fallback(monkeypatch):
    """Fails the test if a call runs the whole-array strategy."""
    fell = []
    whole = apply.run_whole
    monkeypatch.setattr(apply, "run_whole",
                        lambda ctx, s, x: fell.append(ctx.qualname) or whole(ctx, s, x))
    yield fell
    assert fell == []


class _Shapes(Callback):
    """Records the shape of every array a task returns."""

    def __init__(self):
        super().__init__()
        self.shapes = []

    def _posttask(self, key, result, dsk, state, id):
        if isinstance(result, np.ndarray):
            self.shapes.append(result.shape)


def _check(name, x, chunks, *args, mapped=False, **kwargs):
    """The twin on ``x`` in ``chunks`` equals the function (values and
    dtype), by chunks where ``mapped``; returns the lazy result."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the function's own warnings, alike
        expected = getattr(fastimg.transform, name)(x, *args, **kwargs)
        lazy = getattr(fd.transform, name)(da.from_array(x, chunks=chunks), *args, **kwargs)
        assert isinstance(lazy, da.Array)
        if mapped:
            assert any(str(k).startswith(("fastimg-resize", "fastimg-block-mean",
                                          "fastimg-pixel-cells", "getitem"))
                       for k in lazy.dask.layers), list(lazy.dask.layers)
        actual = lazy.compute(scheduler="sync")
    assert actual.dtype == expected.dtype == lazy.dtype
    np.testing.assert_array_equal(actual, expected)
    return lazy


def _image(rng, shape, dtype, nan=False):
    x = rng.random(shape) * 200 - (40 if dtype in ("float64", "int16") else 0)
    x = x.astype(dtype)
    if nan and x.dtype.kind == "f":
        x.flat[rng.integers(0, x.size, 2)] = [np.nan, np.inf]
    return x


@pytest.fixture(scope="module")
def photo():
    return _image(np.random.default_rng(7), (40, 36), "uint8")


# ------------------------------------------------------------ fixed cases
@pytest.mark.parametrize("chunks", CHUNKINGS.values(), ids=CHUNKINGS.keys())
@pytest.mark.parametrize("call", [
    ("resize", ((17, 50),), {}),
    ("resize", ((23, 11),), {"order": 0}),
    ("resize", ((9, 30),), {"mode": "constant", "cval": 300.0, "preserve_range": True}),
    ("resize", ((12, 12),), {"anti_aliasing_sigma": (3.0, 1.5), "mode": "symmetric"}),
    ("rescale", (0.37,), {"mode": "edge"}),
    ("rescale", ((2.5, 0.5),), {"order": 0, "anti_aliasing": True}),
    ("downscale_local_mean", ((3, 4),), {"cval": 7.5}),
    ("downscale_local_mean", ((1, 5),), {}),
], ids=lambda c: f"{c[0]}-{c[1]}-{sorted(c[2])}")
def test_mapped_equals_single_machine(photo, call, chunks, no_fallback):
    name, args, kwargs = call
    for x in (photo, photo.astype(np.float32) / 7):
        _check(name, x, chunks, *args, **kwargs)


@pytest.mark.parametrize("chunks", [((5, 9, 6), (7, 13), (3,)), (4, 3, 1), -1])
def test_colour_images(chunks, no_fallback):
    rng = np.random.default_rng(3)
    x = _image(rng, (20, 20, 3), "uint8")
    _check("resize", x, chunks, (13, 31))                 # channels kept
    _check("resize", x, chunks, (13, 31), order=1, anti_aliasing=False)
    _check("rescale", x, chunks, 0.6, channel_axis=-1)
    _check("rescale", np.moveaxis(x, 2, 0).copy(), chunks[::-1] if chunks != -1 else -1,
           1.7, channel_axis=0, order=0)
    _check("downscale_local_mean", x, chunks, (3, 2, 1))
    _check("resize", x, chunks, (7, 9, 3, 1), anti_aliasing=False)  # a new trailing axis


def test_nan_and_inf(no_fallback):
    rng = np.random.default_rng(5)
    for dtype in ("float32", "float64"):
        x = _image(rng, (21, 19), dtype, nan=True)
        for mode in SK_MODES:
            _check("resize", x, (4, 6), (30, 9), mode=mode, cval=1e3)
            _check("resize", x, (4, 6), (8, 40), order=0, mode=mode, cval=-1e3)
        _check("downscale_local_mean", x, (4, 6), 3)
    x = np.full((9, 8), np.nan)
    _check("resize", x, (2, 3), (5, 13), mode="constant", cval=2.0)


# ------------------------------------------------------------------ drawn
@st.composite
def chunked(draw, dtypes=("uint8", "float32", "float64"), max_side=24, colour=True):
    """(image, chunks): a seeded image (grey or colour) and a chunking with
    pieces from one pixel up."""
    shape = (draw(st.integers(1, max_side)), draw(st.integers(1, max_side)))
    if colour and draw(st.booleans()):
        shape += (draw(st.integers(1, 4)),)
    dtype = draw(st.sampled_from(dtypes))
    x = _image(np.random.default_rng(draw(st.integers(0, 2**32 - 1))), shape, dtype,
               nan=draw(st.integers(0, 9)) == 0)
    chunks = []
    for n in shape:
        sizes = []
        while sum(sizes) < n:
            sizes.append(draw(st.integers(1, n - sum(sizes))))
        chunks.append(tuple(sizes))
    return x, tuple(chunks)


KEYWORDS = st.fixed_dictionaries({
    "order": st.sampled_from([None, 0, 1]), "mode": st.sampled_from(SK_MODES),
    "cval": st.sampled_from([0.0, 0.5, -3.0, 250.0]),
    "anti_aliasing": st.sampled_from([None, True, False]), "clip": st.booleans(),
    "preserve_range": st.booleans()})


@settings(max_examples=60)
@given(chunked(), st.integers(1, 40), st.integers(1, 40), st.integers(0, 4), KEYWORDS)
def test_resize_drawn(xc, h, w, c, kwargs):
    x, chunks = xc
    shape = (h, w, c) if c else (h, w)   # 3-D: channels resized too; 2-D: a new axis
    _check("resize", x, chunks, shape, mapped=True, **kwargs)


@settings(max_examples=40)
@given(chunked(), st.floats(0.2, 2.5), st.floats(0.2, 2.5), KEYWORDS, st.booleans())
def test_rescale_drawn(xc, s0, s1, kwargs, per_axis):
    x, chunks = xc
    channel_axis = -1 if x.ndim == 3 else None
    scale = (s0, s1) if per_axis else s0
    _check("rescale", x, chunks, scale, channel_axis=channel_axis, mapped=True, **kwargs)


@settings(max_examples=60)
@given(chunked(("uint8", "int16", "float32", "float64", "float16"), max_side=40),
       st.integers(1, 5), st.integers(1, 5), st.sampled_from([0.0, 7.5]))
def test_downscale_local_mean_drawn(xc, f0, f1, cval):
    x, chunks = xc
    factors = (f0, f1) + ((1,) if x.ndim == 3 else ())
    _check("downscale_local_mean", x, chunks, factors, cval=cval, mapped=True)


def _fit(sizes, n):
    """Chunk sizes ``sizes`` cut or extended to sum to ``n``."""
    out, total = [], 0
    for c in sizes:
        if total + c >= n:
            break
        out.append(c)
        total += c
    return tuple(out) + (n - total,)


@settings(max_examples=60)
@given(chunked(("uint8", "uint16", "float32", "float64"), max_side=40, colour=False),
       st.integers(1, 9), st.sampled_from(["mean", "nearest"]), st.sampled_from([None, 0, 2]),
       st.sampled_from([(True, True), (True, False), (False, True)]))
def test_pixelate_drawn(xc, block, method, channel_axis, divided):
    x, chunks = xc
    if method == "mean":  # whole blocks along one side or both: crop to multiples
        h, w = (max(block, n - n % block) if d else n for n, d in zip(x.shape, divided))
        x = np.resize(x, (h, w))
        chunks = tuple(_fit(cs, n) for cs, n in zip(chunks, x.shape))
    if channel_axis is not None:
        x = np.stack([x, x[::-1, ::-1], x[::-1]], axis=channel_axis)
        chunks = chunks[:channel_axis] + ((2, 1),) + chunks[channel_axis:]
    _check("pixelate", x, chunks, block, method=method, channel_axis=channel_axis,
           mapped=True)


def test_pixelate_maps_that_round_off_the_blocks(no_fallback):
    """Blocks of 49: OpenCV's nearest map ``floor(d * (1 / (dst / src)))``
    leaves some rows in the previous block, by the image's extent."""
    x = _image(np.random.default_rng(9), (49 * 8, 98), "uint8")
    for method in ("mean", "nearest"):
        _check("pixelate", x, ((100, 200, 92), 50), 49, method=method)


# ----------------------------------------------------------- the graph
@pytest.mark.parametrize("call", [
    ("resize", (120, 90), {}), ("resize", (20, 15), {}),
    ("resize", (70, 200), {"order": 0, "mode": "constant", "cval": 9.0}),
    ("rescale", 0.3, {"anti_aliasing": True}), ("downscale_local_mean", (4, 3), {}),
    ("pixelate", 4, {}), ("pixelate", 5, {"method": "nearest"})],
    ids=lambda c: str(c))
def test_graph_never_gathers_the_image(call):
    """No task returns an array the size of the input: each output chunk
    reads a box of the input, the clip's bounds are reductions."""
    name, arg, kwargs = call
    x = _image(np.random.default_rng(1), (96, 80), "float32")
    lazy = getattr(fd.transform, name)(da.from_array(x, chunks=(16, 16), inline_array=True),
                                       arg, **kwargs)
    assert lazy.npartitions > 4
    with _Shapes() as seen:
        out = lazy.compute(scheduler="sync")
    np.testing.assert_array_equal(out, getattr(fastimg.transform, name)(x, arg, **kwargs))
    # the last task joins the output chunks
    biggest = max(int(np.prod(s)) for s in seen.shapes if s != out.shape)
    assert biggest < x.size // 4, biggest
    assert STRATEGIES[f"transform.{name}"].kind == "mapped"


# ------------------------------------------------------ whole and errors
@pytest.mark.parametrize("call", [
    ("resize", (30, 30), {"order": 3}), ("resize", (30, 30), {"mode": "wrap"}),
    ("rescale", 0.5, {"order": 2}),
    ("downscale_local_mean", (2, 2, 2), {}),   # N-D: NumPy's layout-dependent mean
    ("downscale_local_mean", (2, 2), {"complex": True}),
    ("pixelate", 7, {}),              # partial cells on both sides: 20 % 7, 18 % 7
    ("pixelate", 2, {"method": "linear"}),
], ids=str)
def test_other_calls_run_whole_and_equal(call):
    name, arg, kwargs = call
    kwargs = dict(kwargs)
    shape = (20, 18, 4) if np.ndim(arg) and len(arg) == 3 else (20, 18)
    x = _image(np.random.default_rng(2), shape, "float64")
    if kwargs.pop("complex", False):
        x = x + 1j * x[::-1]
    lazy = _check(name, x, (6, 5, 2)[:x.ndim], arg, **kwargs)
    assert lazy.npartitions == 1


@pytest.mark.parametrize("call", [
    ("resize", ((10, 10),), {"order": 7}, ValueError),
    ("resize", ((10, 10),), {"mode": "nope"}, ValueError),
    ("resize", ((5, 5),), {"anti_aliasing": True, "order": 0, "bool": True}, ValueError),
    ("rescale", ((0.5, 0.5, 0.5),), {}, ValueError),
    ("rescale", (0.5,), {"channel_axis": (0, 1)}, ValueError),
    ("downscale_local_mean", ((0, 2),), {}, ValueError),
    ("downscale_local_mean", ((2, 2, 2),), {}, ValueError),
    ("pixelate", (0,), {}, ValueError),
    ("pixelate", (2,), {"method": "median"}, ValueError),
    ("pixelate", (2,), {"channel_axis": 0}, ValueError),   # a 2-D image
    ("pixelate", (2,), {"int8": True}, TypeError),
])
def test_errors_are_the_functions(call):
    name, args, kwargs, error = call
    x = _image(np.random.default_rng(4), (16, 16), "float32")
    if kwargs.pop("bool", False):
        x = x > 50
    if kwargs.pop("int8", False):
        x = x.astype(np.int8)
    with pytest.raises(error):
        getattr(fastimg.transform, name)(x, *args, **kwargs)
    with pytest.raises(error):
        getattr(fd.transform, name)(da.from_array(x, chunks=5), *args, **kwargs).compute()


def test_anti_aliasing_warning_is_the_functions(no_fallback):
    x = _image(np.random.default_rng(6), (16, 16), "float32")
    with pytest.warns(UserWarning, match="not down-sampling"):
        fastimg.transform.resize(x, (20, 8), anti_aliasing_sigma=1.0)
    with pytest.warns(UserWarning, match="not down-sampling"):
        out = fd.transform.resize(da.from_array(x, chunks=5), (20, 8), anti_aliasing_sigma=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(out.compute(), fastimg.transform.resize(
            x, (20, 8), anti_aliasing_sigma=1.0))


def test_threads_scheduler():
    x = _image(np.random.default_rng(8), (50, 44, 3), "uint8")
    lazy = fd.transform.rescale(da.from_array(x, chunks=(9, 11, 3)), 0.45, channel_axis=2)
    with dask.config.set(scheduler="threads"):
        np.testing.assert_array_equal(lazy.compute(),
                                      fastimg.transform.rescale(x, 0.45, channel_axis=2))
