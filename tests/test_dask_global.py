"""The global Dask twins (``fastimg._dask.global_ops``) equal the
single-machine fastimg functions exactly: histograms, Otsu thresholds,
Hough lines, labels, hysteresis and Canny, for uneven chunkings, one-row /
one-column chunks and one chunk, on the synchronous and on the threaded
scheduler (8 threads); errors have the single-machine exception type."""
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

dask = pytest.importorskip("dask")
import dask.array as da  # noqa: E402

from fastimg import exposure, feature, filters, measure, ndimage, transform  # noqa: E402
from fastimg._dask.global_ops import FUNCTIONS  # noqa: E402
from tests.helpers import graph_examples, photo_image  # noqa: E402

G = {f"{ns}.{name}": fn for ns, names in FUNCTIONS.items() for name, fn in names.items()}
SHAPE = (40, 57)
CHUNKS = [(7, 13), (1, 57), (40, 1), (40, 57)]
DTYPES = [np.uint8, np.uint16, np.int16, np.int32, np.float32, np.float64]
SCHEDULERS = [("sync", {}), ("threads", {"num_workers": 8})]


def _compute(obj, scheduler="sync", **kw):
    if isinstance(obj, tuple):
        return dask.compute(*obj, scheduler=scheduler, **kw)
    return obj.compute(scheduler=scheduler, **kw)


def assert_identical(got, ref):
    if isinstance(ref, tuple):
        assert isinstance(got, tuple) and len(got) == len(ref)
        for g, r in zip(got, ref):
            assert_identical(g, r)
        return
    if isinstance(ref, np.ndarray):
        assert isinstance(got, np.ndarray), type(got)
        assert got.dtype == ref.dtype and got.shape == ref.shape
        if ref.dtype == object:
            for g, r in zip(got.ravel(), ref.ravel()):
                assert_identical(g, r)
        else:
            np.testing.assert_array_equal(got, ref)
        return
    assert type(got) is type(ref), (type(got), type(ref))
    assert got == ref or (got != got and ref != ref), (got, ref)


def outcome(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return type(e)


def assert_same_outcome(twin_call, ref_call, scheduler="sync", **kw):
    ref = outcome(ref_call)
    got = outcome(lambda: _compute(twin_call(), scheduler, **kw))
    if isinstance(ref, type):
        assert got is ref, (got, ref)
    else:
        assert not isinstance(got, type), (got, ref)
        assert_identical(got, ref)


def photo(dtype, shape=SHAPE, at=(100, 200)):
    cam = photo_image()
    if cam.shape[0] < at[0] + shape[0] or cam.shape[1] < at[1] + shape[1]:
        cam = np.tile(cam, (4, 4))
    im = cam[at[0]:at[0] + shape[0], at[1]:at[1] + shape[1]]
    return _as(im.astype(np.float64) / max(float(cam.max()), 1.0), dtype)


def _as(unit, dtype):
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return unit.astype(dt)
    if dt == np.int16:
        return (unit * 2000 - 1000).astype(dt)
    if dt == np.int32:
        return (unit * 3e6 - 7).astype(dt)
    return (unit * np.iinfo(dt).max).astype(dt)


def snakes(rng, shape, n=6):
    """Bool image of long random walks (they cross many chunks), plus noise."""
    im = rng.random(shape) < 0.08
    for _ in range(n):
        p = [int(rng.integers(0, s)) for s in shape]
        for _ in range(4 * sum(shape)):
            im[tuple(p)] = True
            d = int(rng.integers(0, len(shape)))
            p[d] = int(np.clip(p[d] + rng.choice([-1, 1]), 0, shape[d] - 1))
    return im


def test_every_twin_keeps_the_single_machine_signature():
    import inspect
    import fastimg
    for qual, fn in G.items():
        ns, name = qual.split(".")
        single = getattr(getattr(fastimg, ns), name)
        assert fn.__name__ == name
        assert inspect.signature(fn) == inspect.signature(single), qual


# --------------------------------------------------------------- histograms
@pytest.mark.parametrize("dtype", DTYPES + [np.float16, np.bool_])
@pytest.mark.parametrize("chunks", CHUNKS)
def test_histogram(dtype, chunks):
    im = photo(dtype) if dtype != np.bool_ else photo(np.uint8) > 120
    x = da.from_array(im, chunks=chunks)
    kws = [{}, {"nbins": 7}, {"normalize": True}, {"source_range": "dtype"}]
    for kw in kws:
        if kw.get("source_range") == "dtype" and np.dtype(dtype) == np.int32:
            continue        # 2**32 bins, in both
        assert_same_outcome(lambda: G["exposure.histogram"](x, **kw),
                            lambda: exposure.histogram(im, **kw))


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32])
def test_histogram_channels(dtype):
    im = np.stack([photo(dtype), photo(dtype, at=(0, 0)), photo(dtype, at=(300, 10))], axis=0)
    x = da.from_array(im, chunks=(2, 7, 13))
    for kw in [{"channel_axis": 0}, {"channel_axis": 0, "nbins": 5, "normalize": True}]:
        assert_same_outcome(lambda: G["exposure.histogram"](x, **kw),
                            lambda: exposure.histogram(im, **kw))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_histogram_errors(bad):
    im = photo(np.float64)
    im[3, 4] = bad
    x = da.from_array(im, chunks=(7, 13))
    assert_same_outcome(lambda: G["exposure.histogram"](x), lambda: exposure.histogram(im))
    assert_same_outcome(lambda: G["filters.threshold_otsu"](x),
                        lambda: filters.threshold_otsu(im))
    with pytest.raises(ValueError):
        G["exposure.histogram"](x, source_range="nope")


def test_ndimage_histogram():
    im = photo(np.float64)
    labels = (photo(np.uint8) // 64).astype(np.int32)
    x = da.from_array(im, chunks=(7, 13))
    for kw in [{}, {"labels": labels}, {"labels": labels, "index": [1, 2, 5]},
               {"labels": labels, "index": 2}, {"labels": labels, "index": 3},
               {"labels": labels, "index": 7}]:
        assert_same_outcome(lambda: G["ndimage.histogram"](x, 0.1, 0.8, 9, **kw),
                            lambda: ndimage.histogram(im, 0.1, 0.8, 9, **kw))


# -------------------------------------------------------------- thresholds
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("chunks", CHUNKS)
@pytest.mark.parametrize("scheduler, kw", SCHEDULERS)
def test_otsu(dtype, chunks, scheduler, kw):
    im = photo(dtype)
    x = da.from_array(im, chunks=chunks)
    mask = im >= np.median(im)
    for args in [{}, {"nbins": 17}, {"mask": mask}, {"mask": da.from_array(mask, chunks=9)}]:
        ref = args if not isinstance(args.get("mask"), da.Array) else {"mask": mask}
        assert_same_outcome(lambda: G["filters.threshold_otsu"](x, **args),
                            lambda: filters.threshold_otsu(im, **ref), scheduler, **kw)
    assert_same_outcome(lambda: G["filters.threshold_multiotsu"](x),
                        lambda: filters.threshold_multiotsu(im), scheduler, **kw)
    assert_same_outcome(lambda: G["filters.threshold_multiotsu"](x, classes=4, nbins=30),
                        lambda: filters.threshold_multiotsu(im, classes=4, nbins=30))


@pytest.mark.parametrize("dtype", DTYPES)
def test_otsu_special_images(dtype):
    const = np.full(SHAPE, 3, dtype)
    two = const.copy()
    two[5:9, 20:30] = 9
    empty_mask = np.zeros(SHAPE, bool)
    for im in (const, two):
        x = da.from_array(im, chunks=(7, 13))
        assert_same_outcome(lambda: G["filters.threshold_otsu"](x),
                            lambda: filters.threshold_otsu(im))
        assert_same_outcome(lambda: G["filters.threshold_multiotsu"](x),
                            lambda: filters.threshold_multiotsu(im))
        assert_same_outcome(lambda: G["filters.threshold_otsu"](x, mask=empty_mask),
                            lambda: filters.threshold_otsu(im, mask=empty_mask))
    h = exposure.histogram(two)
    assert_same_outcome(lambda: G["filters.threshold_otsu"](hist=h),
                        lambda: filters.threshold_otsu(hist=h))
    assert_same_outcome(lambda: G["filters.threshold_otsu"](),
                        lambda: filters.threshold_otsu())


@given(data=st.data())
@graph_examples()
def test_otsu_hypothesis(data):
    h = data.draw(st.integers(1, 30))
    w = data.draw(st.integers(1, 30))
    dtype = data.draw(st.sampled_from(DTYPES))
    at = (data.draw(st.integers(0, 400)), data.draw(st.integers(0, 400)))
    chunks = (data.draw(st.integers(1, h)), data.draw(st.integers(1, w)))
    nbins = data.draw(st.integers(2, 300))
    im = photo(dtype, (h, w), at)
    x = da.from_array(im, chunks=chunks)
    assert_same_outcome(lambda: G["filters.threshold_otsu"](x, nbins),
                        lambda: filters.threshold_otsu(im, nbins))
    assert_same_outcome(lambda: G["filters.threshold_multiotsu"](x, 3, nbins),
                        lambda: filters.threshold_multiotsu(im, 3, nbins))
    assert_same_outcome(lambda: G["exposure.histogram"](x, nbins),
                        lambda: exposure.histogram(im, nbins))


def test_threshold_is_lazy_and_broadcasts():
    im = photo(np.uint8)
    x = da.from_array(im, chunks=(7, 13))
    t = G["filters.threshold_otsu"](x)
    assert isinstance(t, da.Array) and t.shape == ()
    np.testing.assert_array_equal((x > t).compute(), im > filters.threshold_otsu(im))


# ------------------------------------------------------------------ labels
@pytest.mark.parametrize("chunks", CHUNKS)
@pytest.mark.parametrize("scheduler, kw", SCHEDULERS)
def test_ndimage_label(chunks, scheduler, kw):
    im = snakes(np.random.default_rng(0), SHAPE)
    x = da.from_array(im, chunks=chunks)
    for structure in (None, np.ones((3, 3), bool), [[0, 1, 0], [1, 1, 1], [0, 1, 0]]):
        assert_same_outcome(lambda: G["ndimage.label"](x, structure),
                            lambda: ndimage.label(im, structure), scheduler, **kw)
    for output in (np.uint16, np.int64, np.float32, np.uint8):
        assert_same_outcome(lambda: G["ndimage.label"](x, output=output),
                            lambda: ndimage.label(im, output=output))


def test_ndimage_label_output_errors():
    im = np.zeros((30, 30), bool)
    im[::2, ::2] = True                 # 225 labels: too many for int8
    x = da.from_array(im, chunks=(7, 13))
    assert_same_outcome(lambda: G["ndimage.label"](x, output=np.int8),
                        lambda: ndimage.label(im, output=np.int8))
    with pytest.raises(TypeError):
        G["ndimage.label"](x, output=np.empty(im.shape, np.int32))
    with pytest.raises(NotImplementedError):
        G["ndimage.label"](x, output=bool)
    for bad in (dict(structure=np.ones((3, 3, 3))), dict(structure=np.ones((2, 2))),
                dict(structure=[[1, 1, 0], [0, 1, 0], [0, 0, 0]]), dict(output=np.float16)):
        ref = outcome(lambda: ndimage.label(im, **bad))
        assert isinstance(ref, type)
        with pytest.raises(ref):
            G["ndimage.label"](x, **bad)
    with pytest.raises(TypeError):
        G["ndimage.label"](da.from_array(im.astype(complex), chunks=7))


@given(data=st.data())
@graph_examples()
def test_label_hypothesis(data):
    ndim = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.integers(1, 14 if ndim == 3 else 30)) for _ in range(ndim))
    chunks = tuple(data.draw(st.integers(1, s)) for s in shape)
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    im = snakes(rng, shape, n=2)
    x = da.from_array(im, chunks=chunks)
    conn = data.draw(st.integers(1, ndim))
    structure = ndimage.generate_binary_structure(ndim, conn)
    assert_same_outcome(lambda: G["ndimage.label"](x, structure),
                        lambda: ndimage.label(im, structure))
    vals = np.where(im, rng.integers(0, 3, shape), 0)
    bg = data.draw(st.sampled_from([None, 0, 1, 2.7]))
    assert_same_outcome(
        lambda: G["measure.label"](da.from_array(vals, chunks=chunks), bg, True, conn),
        lambda: measure.label(vals, bg, True, conn))
    bgb = data.draw(st.sampled_from([None, 1]))
    assert_same_outcome(lambda: G["measure.label"](x, bgb, False, conn),
                        lambda: measure.label(im, bgb, False, conn))
    f = np.where(im, rng.random(shape), 0.0)
    assert_same_outcome(lambda: G["filters.apply_hysteresis_threshold"](
        da.from_array(f, chunks=chunks), 0.2, 0.9, connectivity=conn),
        lambda: filters.apply_hysteresis_threshold(f, 0.2, 0.9, connectivity=conn))


@pytest.mark.parametrize("shape", [(1, 30), (30, 1), (5, 1, 7), (6, 6, 1)])
def test_measure_label_swapped_shapes(shape):
    vals = np.random.default_rng(3).integers(0, 3, shape)
    x = da.from_array(vals, chunks=tuple(max(1, s // 3) for s in shape))
    assert_same_outcome(lambda: G["measure.label"](x, return_num=True),
                        lambda: measure.label(vals, return_num=True))


def test_measure_label_errors():
    x = da.from_array(np.zeros((4, 4, 4, 4), np.int32), chunks=2)
    with pytest.raises(NotImplementedError):
        G["measure.label"](x)
    with pytest.raises(ValueError):
        G["measure.label"](da.from_array(np.zeros((4, 4), bool), chunks=2), connectivity=3)


@pytest.mark.parametrize("scheduler, kw", SCHEDULERS)
def test_hysteresis(scheduler, kw):
    f = photo(np.float64)
    low_arr = np.linspace(0.2, 0.5, SHAPE[1])
    for chunks in CHUNKS:
        x = da.from_array(f, chunks=chunks)
        for low, high, conn in [(0.3, 0.6, 1), (0.3, 0.6, 2), (low_arr, 0.7, 1), (0.5, 0.4, 1),
                                (np.nan, 0.5, 1)]:
            assert_same_outcome(lambda: G["filters.apply_hysteresis_threshold"](
                x, low, high, connectivity=conn),
                lambda: filters.apply_hysteresis_threshold(f, low, high, connectivity=conn),
                scheduler, **kw)


# ------------------------------------------------------------------- Canny
CANNY_CASES = [dict(), dict(sigma=2.0), dict(sigma=0.5, low_threshold=5, high_threshold=30),
               dict(use_quantiles=True, low_threshold=0.6, high_threshold=0.9),
               dict(mode="reflect"), dict(mode="nearest", sigma=(1.0, 3.0)),
               dict(mode="wrap"), dict(mode="mirror", sigma=1.5)]


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32, np.float64])
@pytest.mark.parametrize("chunks", CHUNKS)
def test_canny(dtype, chunks):
    im = photo(dtype)
    x = da.from_array(im, chunks=chunks)
    for kw in CANNY_CASES:
        assert_same_outcome(lambda: G["feature.canny"](x, **kw),
                            lambda: feature.canny(im, **kw))


@pytest.mark.parametrize("scheduler, kw", SCHEDULERS)
def test_canny_mask_and_nan(scheduler, kw):
    im = photo(np.float64)
    mask = np.random.default_rng(4).random(SHAPE) > 0.05
    x = da.from_array(im, chunks=(7, 13))
    for args in [dict(mask=mask), dict(mask=mask, use_quantiles=True, low_threshold=0.5,
                                       high_threshold=0.7)]:
        assert_same_outcome(lambda: G["feature.canny"](x, **args),
                            lambda: feature.canny(im, **args), scheduler, **kw)
    nan = im.copy()
    nan[20, 30] = np.nan
    xn = da.from_array(nan, chunks=(7, 13))
    for args in [dict(), dict(use_quantiles=True)]:
        assert_same_outcome(lambda: G["feature.canny"](xn, **args),
                            lambda: feature.canny(nan, **args))


@given(data=st.data())
@graph_examples()
def test_canny_hypothesis(data):
    h, w = data.draw(st.integers(3, 40)), data.draw(st.integers(3, 40))
    dtype = data.draw(st.sampled_from([np.uint8, np.float32, np.float64]))
    im = photo(dtype, (h, w), (data.draw(st.integers(0, 400)), data.draw(st.integers(0, 400))))
    chunks = (data.draw(st.integers(max(1, h // 5), h)), data.draw(st.integers(max(1, w // 5), w)))
    sigma = data.draw(st.sampled_from([0.0, 0.7, 1.0, 2.2]))
    mode = data.draw(st.sampled_from(["constant", "reflect", "nearest", "mirror"]))
    quant = data.draw(st.booleans())
    kw = dict(use_quantiles=True, low_threshold=0.4, high_threshold=0.8) if quant else {}
    x = da.from_array(im, chunks=chunks)
    assert_same_outcome(lambda: G["feature.canny"](x, sigma, mode=mode, **kw),
                        lambda: feature.canny(im, sigma, mode=mode, **kw))


def test_canny_errors():
    for im, kw in [(np.zeros((4, 4), np.int64), {}), (np.zeros((4, 4, 4)), {}),
                   (np.zeros((4, 4)), dict(low_threshold=0.5, high_threshold=0.2)),
                   (np.zeros((4, 4)), dict(use_quantiles=True, low_threshold=2.0)),
                   (np.zeros((4, 4)), dict(mode="nope")),
                   (np.zeros((5, 5)), dict(mask=np.ones((4, 4), bool)))]:
        ref = outcome(lambda: feature.canny(im, **kw))
        assert isinstance(ref, type)
        with pytest.raises(ref):
            G["feature.canny"](da.from_array(im, chunks=2), **kw)


# ------------------------------------------------------------------- Hough
@pytest.mark.parametrize("chunks", CHUNKS)
def test_hough_line(chunks):
    edges = feature.canny(photo(np.float64))
    x = da.from_array(edges, chunks=chunks)
    theta = np.linspace(-1.0, 2.5, 37)
    for args in [(), (theta,)]:
        assert_same_outcome(lambda: G["transform.hough_line"](x, *args),
                            lambda: transform.hough_line(edges, *args))
    ref = transform.hough_line_peaks(*transform.hough_line(edges))
    got = _compute(G["transform.hough_line_peaks"](*G["transform.hough_line"](x)))
    assert_identical(got, ref)
    ref = transform.hough_line_peaks(*transform.hough_line(edges), num_peaks=3, threshold=5)
    got = _compute(G["transform.hough_line_peaks"](*G["transform.hough_line"](x), num_peaks=3,
                                                   threshold=5))
    assert_identical(got, ref)


def test_hough_line_errors():
    with pytest.raises(ValueError):
        G["transform.hough_line"](da.zeros((4, 4, 4), chunks=2))
    with pytest.raises(ValueError):
        G["transform.hough_line"](da.zeros((4, 4), chunks=2), theta=np.zeros(3, np.float32))


# ------------------------------------------------------------- fill holes
@given(data=st.data())
def test_binary_fill_holes_hypothesis(data):
    ndim = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.integers(1, 10 if ndim == 3 else 25)) for _ in range(ndim))
    chunks = tuple(data.draw(st.integers(1, s)) for s in shape)
    im = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1))).random(shape) < 0.55
    conn = data.draw(st.integers(1, ndim))
    structure = data.draw(st.sampled_from([None, ndimage.generate_binary_structure(ndim, conn)]))
    x = da.from_array(im, chunks=chunks)
    assert_same_outcome(lambda: G["ndimage.binary_fill_holes"](x, structure),
                        lambda: ndimage.binary_fill_holes(im, structure))


@pytest.mark.parametrize("scheduler, kw", SCHEDULERS)
def test_binary_fill_holes(scheduler, kw):
    im = ~snakes(np.random.default_rng(5), SHAPE, n=10)
    for chunks in CHUNKS:
        x = da.from_array(im, chunks=chunks)
        for args in [dict(), dict(structure=np.ones((3, 3))), dict(origin=1),
                     dict(structure=[[0, 1, 0], [0, 1, 1], [0, 0, 0]])]:
            assert_same_outcome(lambda: G["ndimage.binary_fill_holes"](x, **args),
                                lambda: ndimage.binary_fill_holes(im, **args), scheduler, **kw)
    with pytest.raises(TypeError):
        G["ndimage.binary_fill_holes"](x, output=np.zeros(SHAPE, bool))
    with pytest.raises(RuntimeError):
        G["ndimage.binary_fill_holes"](x, np.ones((3, 3, 3)))


def test_workers_reach_the_blocks(monkeypatch):
    """Blocks run with one thread unless ``workers`` asks otherwise."""
    from fastimg._core import histogram as core_hist
    seen = []
    real = core_hist.Flat.__init__

    def spy(self, image, mask, workers):
        seen.append(workers)
        real(self, image, mask, workers)
    monkeypatch.setattr(core_hist.Flat, "__init__", spy)
    im = photo(np.float32)
    x = da.from_array(im, chunks=(7, 13))
    assert_same_outcome(lambda: G["filters.threshold_otsu"](x),
                        lambda: filters.threshold_otsu(im, workers=1))
    assert set(seen) == {1}
    seen.clear()
    G["filters.threshold_otsu"](x, workers=2).compute(scheduler="sync")
    assert set(seen) == {2}


def test_two_label_graphs_computed_together():
    """Shared intermediate tasks (same input, same structure) stay intact."""
    im = snakes(np.random.default_rng(6), SHAPE)
    x = da.from_array(im, chunks=(7, 13))
    a, _ = G["ndimage.label"](x)
    b, _ = G["ndimage.label"](x, output=np.int64)
    c = G["measure.label"](x, connectivity=1)
    got = dask.compute(a, b, c, scheduler="threads")
    ref = ndimage.label(im)[0]
    assert_identical(got, (ref, ref.astype(np.int64), measure.label(im, connectivity=1)))


# ------------------------------------------------------- regionprops_table
@pytest.mark.parametrize("chunks", CHUNKS)
def test_regionprops_table(chunks):
    lab = ndimage.label(snakes(np.random.default_rng(7), SHAPE))[0]
    inten = photo(np.float64)
    inten[3, 3] = np.nan
    x = da.from_array(lab, chunks=chunks)
    for args in [dict(), dict(properties=("label", "area", "num_pixels", "bbox")),
                 dict(intensity_image=inten, properties=("label", "intensity_max",
                                                         "intensity_min", "area")),
                 dict(properties=("label", "centroid", "eccentricity")),
                 dict(properties=("label", "area"), spacing=(2.0, 0.5))]:
        ref = measure.regionprops_table(lab, **args)
        got = dask.compute(G["measure.regionprops_table"](x, **args))[0]
        assert list(got) == list(ref)
        for k in ref:
            assert_identical(got[k], ref[k])
    with pytest.raises(TypeError):
        G["measure.regionprops_table"](da.from_array(lab > 0, chunks=7))
