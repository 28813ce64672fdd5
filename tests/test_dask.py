"""fastimg.dask: every public function's twin on dask arrays equals the
single-machine call, for uneven chunks, chunks thinner than the overlap and
one chunk; the local strategy under hypothesis; the wrap and constant
modes; threads, a two-process cluster, and an out-of-core run."""
import inspect
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import dask
import dask.array as da
import numpy as np
import pytest
from hypothesis import given, strategies as st

import fastimg
import fastimg.dask as fd
from fastimg._core import catalog
from fastimg._dask import registry
from fastimg._dask.strategies import KINDS, STRATEGIES
from helpers import photo_image

ROWS = catalog.ROWS
IDS = [r.qualname for r in ROWS]
SHAPE = (40, 36)
#: uneven chunks, chunks thinner than most overlaps, one chunk
CHUNKINGS = {"uneven": ((13, 17, 10), (20, 16)), "thin": (3, 4), "one": -1}
#: samples whose own NumPy preparation cannot take a dask array (np.argwhere,
#: np.percentile): they get the NumPy image, which the twin converts
NUMPY_SAMPLE = {"measure.approximate_polygon", "measure.subdivide_polygon",
                "filters.apply_hysteresis_threshold"}


@pytest.fixture(scope="module")
def photo():
    return photo_image()[40:40 + SHAPE[0], 60:60 + SHAPE[1]]


def _image(photo, row):
    dtype = "float32" if "float32" in row.dtypes else row.dtypes[0]
    return photo.astype(dtype)


def materialize(value):
    """``value`` with every dask collection inside computed (tuples, lists,
    dicts, named tuples)."""
    if isinstance(value, da.Array):
        out = value.compute()
        # the lazy metadata tells the truth (unknown sizes are NaN)
        arr = np.asarray(out)
        assert arr.dtype == value.dtype, (arr.dtype, value.dtype)
        assert arr.ndim == value.ndim and all(
            np.isnan(s) or s == t for s, t in zip(value.shape, arr.shape)), value.shape
        return out
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(materialize(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(materialize(v) for v in value)
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    return value


def assert_equal(actual, expected):
    """Exactly equal, nested structures too (NaN equals NaN)."""
    if isinstance(expected, (tuple, list)) and not isinstance(expected, np.ndarray):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected), (
            type(actual), type(expected))
        for a, e in zip(actual, expected):
            assert_equal(a, e)
    elif isinstance(expected, dict):
        assert actual.keys() == expected.keys()
        assert_equal(list(actual.values()), list(expected.values()))
    else:
        assert np.asarray(actual).dtype == np.asarray(expected).dtype
        np.testing.assert_array_equal(actual, expected)


def twin_of(row):
    return getattr(getattr(fd, row.namespace), row.name)


# ------------------------------------------------------------- the package
def test_import_without_dask_names_the_extra():
    code = textwrap.dedent("""
        import sys
        sys.modules["dask"] = None  # hidden: importing it raises ImportError
        try:
            import fastimg.dask
        except ImportError as e:
            print("MESSAGE", e)
        import fastimg
        print("PLAIN", fastimg.ndimage.__name__)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert 'pip install "fastimg[dask]"' in out
    assert "PLAIN fastimg.ndimage" in out


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_every_row_has_a_strategy_and_a_twin_with_its_signature(row):
    assert STRATEGIES[row.qualname].kind in KINDS
    fn = twin_of(row)
    assert fn.__name__ == row.name
    public = getattr(getattr(fastimg, row.namespace), row.name)
    assert inspect.signature(fn) == inspect.signature(public)
    assert row.name in getattr(fd, row.namespace).__all__


# ----------------------------------------------------- every row, exactly
@pytest.mark.parametrize("chunks", CHUNKINGS.values(), ids=CHUNKINGS.keys())
@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_twin_equals_single_machine(row, chunks, photo):
    x = _image(photo, row)
    expected = row.sample(catalog.public(row), x)
    dx = x if row.qualname in NUMPY_SAMPLE else da.from_array(x, chunks=chunks)
    with dask.config.set(scheduler="threads"):
        actual = materialize(row.sample(twin_of(row), dx))
    assert_equal(actual, expected)


def test_chunked_strategies_never_fall_back(photo, monkeypatch):
    """The samples of the chunked kinds run chunked (a silent fallback to
    the whole-array strategy would still give equal results)."""
    from fastimg._dask import apply
    fell = []
    whole = apply.run_whole
    monkeypatch.setattr(apply, "run_whole", lambda ctx, s, x: fell.append(ctx.qualname)
                        or whole(ctx, s, x))
    for row in ROWS:
        if STRATEGIES[row.qualname].kind in ("elementwise", "local", "planewise", "mapped"):
            out = row.sample(twin_of(row), da.from_array(_image(photo, row), chunks=(13, 17)))
            assert isinstance(out, da.Array), row.qualname
    for fn in (fd.ndimage.distance_transform_edt, fd.ndimage.binary_fill_holes):
        assert fn(da.from_array(photo > 90, chunks=(13, 17))).npartitions > 1
    assert fell == []


# ------------------------------------------------- the local strategy, drawn
MODES = ["reflect", "mirror", "nearest", "wrap", "constant", "grid-mirror", "grid-wrap",
         "grid-constant"]


@st.composite
def chunked(draw, dtype="float32", max_side=24):
    """(image, chunks): a seeded random image and a random chunking (pieces
    from one pixel up)."""
    shape = (draw(st.integers(1, max_side)), draw(st.integers(1, max_side)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        x = rng.random(shape) > 0.4
    elif dtype == "uint8":
        x = rng.integers(0, 256, shape).astype(np.uint8)
    else:
        x = (rng.random(shape) * 100).astype(dtype)
    chunks = [[] for _ in shape]
    for sizes, n in zip(chunks, shape):
        while sum(sizes) < n:
            sizes.append(draw(st.integers(1, n - sum(sizes))))
    return x, tuple(map(tuple, chunks))


def _same_as_single_machine(name, x, chunks, *args, ns="ndimage", **kwargs):
    expected = getattr(getattr(fastimg, ns), name)(x, *args, **kwargs)
    twin = getattr(getattr(fd, ns), name)
    actual = twin(da.from_array(x, chunks=chunks), *args, **kwargs)
    assert isinstance(actual, da.Array)
    assert_equal(actual.compute(scheduler="threads"), expected)


@given(chunked(), st.floats(0.0, 3.0), st.sampled_from(MODES), st.floats(0.5, 4.5),
       st.floats(-5, 5), st.integers(0, 2))
def test_gaussian_filter_drawn(xc, sigma, mode, truncate, cval, order):
    _same_as_single_machine("gaussian_filter", *xc, sigma, order=order, mode=mode,
                            truncate=truncate, cval=cval)


@given(chunked(), st.integers(1, 7), st.data(), st.sampled_from(MODES))
def test_uniform_filter_drawn(xc, size, data, mode):
    origin = data.draw(st.integers(-(size // 2), (size - 1) // 2))
    _same_as_single_machine("uniform_filter", *xc, size, mode=mode, origin=origin)


@given(chunked("uint8"), st.integers(1, 5), st.sampled_from(MODES[:5]))
def test_median_filter_drawn(xc, size, mode):
    _same_as_single_machine("median_filter", *xc, size, mode=mode)


@given(chunked("uint8"), st.integers(1, 4), st.integers(1, 4), st.sampled_from(MODES[:5]),
       st.integers(0, 255))
def test_grey_dilation_drawn(xc, h, w, mode, cval):
    _same_as_single_machine("grey_dilation", *xc, size=(h, w), mode=mode, cval=cval)


@given(chunked("bool"), st.integers(1, 4), st.integers(1, 2), st.integers(0, 1))
def test_binary_erosion_and_distance_drawn(xc, iterations, connectivity, border_value):
    structure = fastimg.ndimage.generate_binary_structure(2, connectivity)
    _same_as_single_machine("binary_erosion", *xc, structure, iterations=iterations,
                            border_value=border_value)
    _same_as_single_machine("distance_transform_edt", *xc)  # by passes
    _same_as_single_machine("binary_fill_holes", *xc, structure)  # global
    _same_as_single_machine("distance_transform_edt", xc[0] * 0 + 1, xc[1])  # no zero


GEOMETRY_MODES = ["constant", "grid-constant", "nearest", "reflect", "mirror", "wrap"]


@given(chunked(max_side=30), st.lists(st.floats(-1.5, 1.5), min_size=4, max_size=4),
       st.lists(st.floats(-20, 20), min_size=2, max_size=2), st.integers(0, 1),
       st.sampled_from(GEOMETRY_MODES), st.integers(1, 45), st.integers(1, 45))
def test_affine_transform_drawn(xc, m, offset, order, mode, h, w):
    _same_as_single_machine("affine_transform", *xc, np.reshape(m, (2, 2)), offset,
                            output_shape=(h, w), order=order, mode=mode, cval=2.5)


@given(chunked("uint8", max_side=30), st.floats(-360, 360), st.booleans(), st.integers(0, 1),
       st.sampled_from(GEOMETRY_MODES))
def test_rotate_drawn(xc, angle, reshape, order, mode):
    _same_as_single_machine("rotate", *xc, angle, reshape=reshape, order=order, mode=mode)


@given(chunked("float64", max_side=30), st.floats(0.2, 3.0), st.floats(0.2, 3.0),
       st.integers(0, 1), st.sampled_from(GEOMETRY_MODES[:5]), st.booleans())
def test_zoom_and_shift_drawn(xc, z0, z1, order, mode, grid_mode):
    _same_as_single_machine("zoom", *xc, (z0, z1), order=order, mode=mode, grid_mode=grid_mode)
    _same_as_single_machine("shift", *xc, (9 * z0 - 12, -7 * z1), order=order, mode=mode)


def test_geometry_runs_by_output_chunk(photo):
    x = da.from_array(photo.astype(np.float32), chunks=(10, 9))
    for out in (fd.ndimage.rotate(x, 30, order=1), fd.ndimage.zoom(x, 2.5, order=0),
                fd.ndimage.shift(x, (3.5, -20.25), order=1),
                fd.ndimage.affine_transform(x, [[0.9, 0.2], [-0.2, 0.9]], order=1)):
        assert out.npartitions > 4
        # each output chunk reads a bounded region, not the whole input
        deps = max(len(v) for v in dict(out.dask.dependencies).values())
        assert deps < x.npartitions
    with pytest.warns(UserWarning, match="grid-constant"):
        fd.ndimage.zoom(x, 2.0, order=1, grid_mode=True)  # the function's own warning
    out = fd.ndimage.rotate(x, 30)  # order 3: the prefilter is global
    assert out.npartitions == 1


# ------------------------------------------------------ wrap and constant
K55, FP35, FP33 = catalog.K55, np.ones((3, 5), np.uint8), np.ones((3, 3), np.uint8)
MODE_CALLS = {  # case: (namespace, name, arguments, keywords)
    "gaussian-wrap": ("ndimage", "gaussian_filter", (3.0,), {"mode": "wrap"}),
    "gaussian-grid-wrap": ("ndimage", "gaussian_filter", (1.5,), {"mode": "grid-wrap"}),
    "gaussian-constant": ("ndimage", "gaussian_filter", (2.0,), {"mode": "constant", "cval": 7.5}),
    "gaussian-per-axis": ("ndimage", "gaussian_filter", (2.0,), {"mode": ["wrap", "nearest"]}),
    "uniform-wrap": ("ndimage", "uniform_filter", (6,), {"mode": "wrap", "origin": 1}),
    "correlate-constant": ("ndimage", "correlate", (K55,), {"mode": "constant", "cval": -3.0}),
    "convolve-wrap": ("ndimage", "convolve", (K55,), {"mode": "wrap"}),
    "median-constant": ("ndimage", "median_filter", (4,), {"mode": "constant", "cval": 9}),
    "maximum-wrap": ("ndimage", "maximum_filter", (5,), {"mode": "wrap"}),
    "grey-opening-wrap": ("ndimage", "grey_opening", (), {"size": (3, 5), "mode": "wrap"}),
    "convolve2d-wrap": ("signal", "convolve2d", (K55, "same", "wrap"), {}),
    "correlate2d-fill": ("signal", "correlate2d", (K55, "same", "fill", 2.0), {}),
    "sk-gaussian-wrap": ("filters", "gaussian", (2.0,), {"mode": "wrap"}),
    "sk-gaussian-constant": ("filters", "gaussian", (2.0,), {"mode": "constant", "cval": 0.3}),
    "sk-erosion-wrap": ("morphology", "erosion", (FP35,), {"mode": "wrap"}),
    "sk-dilation-constant": ("morphology", "dilation", (FP33,), {"mode": "constant", "cval": 200}),
}


@pytest.mark.parametrize("chunks", CHUNKINGS.values(), ids=CHUNKINGS.keys())
@pytest.mark.parametrize("case", MODE_CALLS)
def test_wrap_and_constant_modes(case, chunks, photo):
    ns, name, args, kwargs = MODE_CALLS[case]
    x = photo.astype(np.float32) if ns != "morphology" else photo
    _same_as_single_machine(name, x, chunks, *args, ns=ns, **kwargs)


def test_kernel_wider_than_the_image_and_non_local_calls(photo):
    for mode in ("wrap", "reflect", "constant"):
        _same_as_single_machine("gaussian_filter", photo[:6, :5] * 1.0, (2, 3), 4.0, mode=mode)
    mask = photo > photo.mean()
    _same_as_single_machine("binary_erosion", mask, (7, 9), iterations=0)  # until stable
    _same_as_single_machine("convolve2d", photo.astype(np.float32), (7, 9), catalog.K55,
                            ns="signal")  # mode='full': another shape


def test_workers_reach_the_chunks(photo, monkeypatch):
    seen = []
    from fastimg._dask import apply
    real = apply.public_function

    def spy(qualname):
        fn = real(qualname)
        return lambda *a, **k: seen.append(k.get("workers")) or fn(*a, **k)

    monkeypatch.setattr(apply, "public_function", spy)
    x = da.from_array(photo.astype(np.float32), chunks=20)
    for given_workers, used in ((None, 1), (2, 2)):  # 1 unless the caller chose
        seen.clear()
        fd.ndimage.gaussian_filter(x, 1.0, workers=given_workers).compute(scheduler="sync")
        assert set(seen) == {used}


def test_bad_input_raises_the_functions_error(photo):
    x = da.from_array(photo.astype(np.float32), chunks=20)
    with pytest.raises(Exception) as theirs:
        fastimg.ndimage.gaussian_filter(photo.astype(np.float32), 1.0, mode="nope")
    with pytest.raises(type(theirs.value)):
        fd.ndimage.gaussian_filter(x, 1.0, mode="nope").compute()
    with pytest.raises(TypeError):
        fd.ndimage.gaussian_filter(x)  # sigma missing: the signature's error
    with pytest.raises(ValueError):
        fd.exposure.adjust_gamma(x, -1.0).compute()


# ------------------------------------------------------ threads, processes
def test_many_threads_at_once(photo):
    x = photo.astype(np.float32)
    calls = [("ndimage", "gaussian_filter", (2.0,)), ("ndimage", "median_filter", (5,)),
             ("ndimage", "grey_dilation", ((3, 3),)), ("filters", "sobel", ()),
             ("ndimage", "uniform_filter", (4,)), ("morphology", "erosion", ()),
             ("util", "invert", ()), ("ndimage", "correlate", (catalog.W33,))]
    expected = [getattr(getattr(fastimg, ns), n)(x, *a) for ns, n, a in calls]

    def work(call):
        y = getattr(getattr(fd, call[0]), call[1])(da.from_array(x, chunks=(9, 11)), *call[2])
        return y.compute(scheduler="threads", num_workers=8)

    with ThreadPoolExecutor(8) as pool:  # eight graphs at once, eight threads each
        results = list(pool.map(work, calls))
    for r, e in zip(results, expected):
        assert_equal(r, e)


@pytest.fixture(scope="module")
def cluster_client():
    import distributed
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


def test_distributed_cluster(cluster_client, photo):
    x = photo.astype(np.float32)
    calls = [("gaussian_filter", (x, 2.0), {"mode": "wrap"}),
             ("grey_opening", (photo,), {"size": (3, 5)}),
             ("binary_erosion", (x > 100,), {"iterations": 2}),
             ("rotate", (x, 30.0), {"order": 1}), ("distance_transform_edt", (x > 100,), {})]
    lazy = [getattr(fd.ndimage, n)(da.from_array(a[0], chunks=(15, 13)), *a[1:], **k)
            for n, a, k in calls]
    for (n, a, k), got in zip(calls, cluster_client.compute(lazy, sync=True)):
        assert_equal(got, getattr(fastimg.ndimage, n)(*a, **k))
    assert len(cluster_client.scheduler_info()["workers"]) == 2  # two processes


# ------------------------------------------------------------ out of core
OOC_SCRIPT = textwrap.dedent("""
    import itertools, json, resource, sys
    import numpy as np, zarr, dask, dask.array as da
    import fastimg, fastimg.dask as fd
    from fastimg._dask import registry
    n, chunk, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    glob = registry.global_functions()
    steps = ["gaussian"] + [s for s, q in (("otsu", "filters.threshold_otsu"),
                                           ("label", "measure.label")) if q in glob]

    def store(arr, name):
        target = zarr.open_array(store=f"{tmp}/{name}.zarr", mode="w", shape=arr.shape,
                                 chunks=(chunk, chunk), dtype=arr.dtype)
        da.store(arr, target)
        return target

    def pipeline(x, tag):
        g = store(fd.ndimage.gaussian_filter(x, 2.0), f"gauss{tag}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t, labels = None, None
        if "otsu" in steps:
            t = fd.filters.threshold_otsu(da.from_zarr(g))
            t = t.compute() if hasattr(t, "compute") else t
        if "label" in steps:
            labels = store(fd.measure.label(da.from_zarr(g) > t), f"label{tag}")
        return g, t, labels, rss

    # compile and import everything on a small image first
    with dask.config.set(scheduler="threads", num_workers=2):
        pipeline(da.from_array((np.arange(256 * 256) % 251).reshape(256, 256)
                               .astype(np.uint8), chunks=64), "warm")
    src = zarr.open_array(store=f"{tmp}/in.zarr", mode="w", shape=(n, n),
                          chunks=(chunk, chunk), dtype="uint8")
    for r0, c0 in itertools.product(range(0, n, chunk), repeat=2):  # tile by tile
        r, c = np.ogrid[r0:min(r0 + chunk, n), c0:min(c0 + chunk, n)]
        src[r0:r0 + chunk, c0:c0 + chunk] = (
            (np.sin(r / 37) * np.cos(c / 53) + 1) * 127).astype("u1")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with dask.config.set(scheduler="threads", num_workers=2):
        g, t, labels, after_gauss = pipeline(da.from_zarr(src), "")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # the check, once the peak is measured: a window, against one machine
    win = np.s_[n // 2 - 64:n // 2 + 64, n // 3 - 64:n // 3 + 64]
    inner = np.s_[n // 2 - 40:n // 2 + 40, n // 3 - 40:n // 3 + 40]
    local = fastimg.ndimage.gaussian_filter(src[win], 2.0)[24:-24, 24:-24]
    ok = bool(np.array_equal(g[inner], local))
    if n <= 4096:                          # small enough to check whole
        full = fastimg.ndimage.gaussian_filter(src[:], 2.0)
        ok &= bool(np.array_equal(g[:], full))
        if "otsu" in steps:
            ok &= bool(t == fastimg.filters.threshold_otsu(full))
        if "label" in steps:
            ok &= bool(np.array_equal(labels[:], fastimg.measure.label(full > t)))
    print(json.dumps({"base_kib": base, "gauss_kib": after_gauss, "peak_kib": peak,
                      "steps": steps, "ok": ok,
                      "label_itemsize": labels.dtype.itemsize if labels is not None else 0}))
""")


def test_out_of_core_run_streams_with_bounded_memory(tmp_path):
    """A uint8 image in a zarr store on disk (side ``FASTIMG_DASK_OOC_SIDE``,
    default 4096) through Gaussian into a zarr store, then Otsu and label of
    the stored result into another (where the global operations are
    installed).  Peak RSS over the process's baseline: the streamed
    Gaussian stays under one image; the whole run under the arrays the
    single-machine pipeline holds (input, Gaussian, mask, labels)."""
    import json
    n = int(os.environ.get("FASTIMG_DASK_OOC_SIDE", "4096"))
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}  # glibc arenas per thread inflate RSS
    out = subprocess.run([sys.executable, "-c", OOC_SCRIPT, str(n), "512", str(tmp_path)],
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["ok"], r
    assert r["steps"] == ["gaussian", "otsu", "label"], r  # the global operations are in
    image = n * n
    assert (r["gauss_kib"] - r["base_kib"]) * 1024 < image, r
    held = image * (1 + 1 + 1 + r["label_itemsize"])
    assert (r["peak_kib"] - r["base_kib"]) * 1024 < held, r


# ------------------------------------------------------------------- docs
def test_docs_list_every_function_with_its_strategy_and_no_other():
    assert set(STRATEGIES) == {r.qualname for r in ROWS}
    with pytest.raises(AttributeError, match="no attribute"):
        fd.ndimage.not_a_function
    from fastimg._dask import docs
    text = docs.page_path().read_text(encoding="utf-8")
    assert text == docs.render(text), "docs/dask.md is stale: python -m fastimg._dask.docs"
    for row in ROWS:
        assert f"| `{row.qualname}` | {registry.strategy_of(row.qualname).kind} |" in text


def test_stacks_and_axes(photo):
    rng = np.random.default_rng(5)
    vol = (rng.random((5, 20, 18)) * 255).astype(np.uint8)
    chunks = (2, 7, 5)
    _same_as_single_machine("gaussian_filter", vol.astype(np.float32), chunks, 1.5)
    _same_as_single_machine("gaussian_filter", vol.astype(np.float32), chunks, 1.5, axes=(1, 2))
    _same_as_single_machine("gaussian_filter", vol.astype(np.float32), chunks, [0.0, 1.0, 2.5],
                            mode=["wrap", "constant", "mirror"])
    _same_as_single_machine("uniform_filter", vol, chunks, 3, axes=(0,), origin=1)
    _same_as_single_machine("binary_dilation", vol > 128, chunks, iterations=2)
    _same_as_single_machine("distance_transform_edt", vol > 40, chunks)
    _same_as_single_machine("median_filter", vol, chunks, footprint=np.ones((1, 3, 3), bool))
    _same_as_single_machine("gaussian", vol, chunks, 2.0, channel_axis=0, ns="filters")
    _same_as_single_machine("erosion", vol, chunks, np.ones((1, 3, 3), np.uint8),
                            ns="morphology")


def test_planewise_maps_over_the_stack(photo):
    rgb = np.stack([photo, photo[::-1], photo[:, ::-1]], -1).astype(np.float32)
    dx = da.from_array(rgb, chunks=(13, 17, 1))
    out = fd.filters.butterworth(dx, 0.05, channel_axis=-1)
    assert out.numblocks == (1, 1, 3)       # one chunk per plane
    assert_equal(out.compute(), fastimg.filters.butterworth(rgb, 0.05, channel_axis=-1))
    stack = np.moveaxis(rgb, -1, 0)
    out = fd.frequency.frequency_filter(da.from_array(stack, chunks=(1, 9, 9)), "gaussian",
                                        cutoff_ratio=0.1, axes=(1, 2))
    assert out.numblocks == (3, 1, 1)
    assert_equal(out.compute(), fastimg.frequency.frequency_filter(
        stack, "gaussian", cutoff_ratio=0.1, axes=(1, 2)))


def test_dask_kernel_arguments(photo):
    x = photo.astype(np.float32)
    w = da.from_array(catalog.K55, chunks=2)
    out = fd.ndimage.correlate(da.from_array(x, chunks=(9, 11)), w)
    assert_equal(out.compute(), fastimg.ndimage.correlate(x, catalog.K55))
    mask = da.from_array(photo > 90, chunks=(20, 20))
    out = fd.ndimage.binary_erosion(da.from_array(photo > 100, chunks=(9, 11)), mask=mask)
    assert_equal(out.compute(), fastimg.ndimage.binary_erosion(photo > 100, mask=photo > 90))


def test_numpy_input_output_dtype_and_output_array(photo):
    x = photo.astype(np.float32)
    out = fd.ndimage.gaussian_filter(x, 1.5)  # NumPy in: dask out
    assert isinstance(out, da.Array)
    assert_equal(out.compute(), fastimg.ndimage.gaussian_filter(x, 1.5))
    _same_as_single_machine("gaussian_filter", x, (9, 11), 2.0, output=np.float64)
    target = np.empty(x.shape, np.float32)
    fd.ndimage.gaussian_filter(da.from_array(x, chunks=9), 2.0, output=target)
    assert_equal(target, fastimg.ndimage.gaussian_filter(x, 2.0))
