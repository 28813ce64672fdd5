"""The two ways the cross-block labels (``fastimg._dask.global_label``) get
a block's local labels in phase 2 (held from phase 1, or recomputed from
the block's packed mask or values) give the single-machine result exactly;
phase 2 depends on its own block and the merge table only; the automatic
choice follows the input's data sources; a recomputing ``to_zarr`` run
streams (peak memory well under the 4 bytes a pixel that held labels
take)."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, strategies as st

dask = pytest.importorskip("dask")
import dask.array as da  # noqa: E402

from fastimg import feature, filters, measure, ndimage  # noqa: E402
from fastimg._dask import global_label  # noqa: E402
from tests.helpers import graph_examples  # noqa: E402
from tests.test_dask_global import (G, SHAPE, assert_same_outcome, photo,  # noqa: E402
                                    snakes)

PLANS = ["hold", "recompute"]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _plan(plan):
    return dask.config.set({global_label.CONFIG_KEY: plan})


@pytest.mark.parametrize("plan", PLANS)
@given(data=st.data())
@graph_examples()
def test_labels_hypothesis(plan, data):
    ndim = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.integers(1, 12 if ndim == 3 else 30)) for _ in range(ndim))
    chunks = tuple(data.draw(st.integers(1, s)) for s in shape)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    im = snakes(rng, shape, n=2)
    conn = data.draw(st.integers(1, ndim))
    structure = ndimage.generate_binary_structure(ndim, conn)
    vals = np.where(im, rng.integers(0, 3, shape), 0)
    f = np.where(im, rng.random(shape), 0.0)
    with _plan(plan):
        x = da.from_array(im, chunks=chunks)
        assert_same_outcome(lambda: G["ndimage.label"](x, structure),
                            lambda: ndimage.label(im, structure))
        assert_same_outcome(lambda: G["measure.label"](da.from_array(vals, chunks=chunks),
                                                       0, True, conn),
                            lambda: measure.label(vals, 0, True, conn))
        assert_same_outcome(lambda: G["measure.label"](x, 1, False, conn),
                            lambda: measure.label(im, 1, False, conn))
        assert_same_outcome(lambda: G["filters.apply_hysteresis_threshold"](
            da.from_array(f, chunks=chunks), 0.2, 0.9, connectivity=conn),
            lambda: filters.apply_hysteresis_threshold(f, 0.2, 0.9, connectivity=conn))
        assert_same_outcome(lambda: G["ndimage.binary_fill_holes"](x, structure),
                            lambda: ndimage.binary_fill_holes(im, structure))


@pytest.mark.parametrize("plan", PLANS)
def test_outputs_swaps_canny_and_errors(plan):
    im = snakes(np.random.default_rng(1), SHAPE)
    x = da.from_array(im, chunks=(7, 13))
    with _plan(plan):
        for output in (None, np.uint16, np.int64, np.float32, np.uint8):
            assert_same_outcome(lambda: G["ndimage.label"](x, output=output),
                                lambda: ndimage.label(im, output=output), "threads",
                                num_workers=4)
        # structures that do not join neighbours along the last axis
        for structure in ([[0, 1, 0], [0, 1, 0], [0, 1, 0]], [[1, 0, 1], [0, 1, 0], [1, 0, 1]]):
            assert_same_outcome(lambda: G["ndimage.label"](x, structure),
                                lambda: ndimage.label(im, structure))
        dots = np.zeros((30, 30), bool)
        dots[::2, ::2] = True               # 225 labels: too many for int8
        assert_same_outcome(lambda: G["ndimage.label"](da.from_array(dots, chunks=7),
                                                       output=np.int8),
                            lambda: ndimage.label(dots, output=np.int8))
        for shape in [(1, 30), (30, 1), (5, 1, 7)]:
            vals = np.random.default_rng(3).integers(0, 3, shape)
            xv = da.from_array(vals, chunks=tuple(max(1, s // 3) for s in shape))
            assert_same_outcome(lambda: G["measure.label"](xv, return_num=True),
                                lambda: measure.label(vals, return_num=True))
        nan = photo(np.float64)
        nan[5, 5] = np.nan                  # NaN is foreground: the packed mask keeps it
        assert_same_outcome(lambda: G["ndimage.label"](da.from_array(nan, chunks=(9, 11))),
                            lambda: ndimage.label(nan))
        pic = photo(np.float32)
        assert_same_outcome(lambda: G["feature.canny"](da.from_array(pic, chunks=(9, 11)),
                                                       1.5),
                            lambda: feature.canny(pic, 1.5))


def test_a_bad_plan_raises():
    x = da.from_array(np.ones((4, 4), bool), chunks=2)
    with _plan("sometimes"), pytest.raises(ValueError, match="label-strategy"):
        G["ndimage.label"](x)


def test_the_automatic_plan_follows_the_data_sources(tmp_path):
    zarr = pytest.importorskip("zarr")
    im = np.ones((8, 8), bool)
    assert global_label.strategy(da.from_array(im, chunks=4)) == "hold"
    mixed = da.from_array(im, chunks=4) & ~da.zeros(8, dtype=bool, chunks=4)
    assert global_label.strategy(mixed) == "hold"
    z = zarr.open_array(str(tmp_path / "a.zarr"), mode="w", shape=(8, 8), chunks=(4, 4),
                        dtype=bool)
    assert global_label.strategy(da.from_zarr(z)) == "recompute"
    assert global_label.strategy(da.ones((8, 8), chunks=4, dtype=bool)) == "recompute"
    with _plan("hold"):
        assert global_label.strategy(da.from_zarr(z)) == "hold"


@pytest.mark.parametrize("plan", PLANS)
def test_phase_two_reads_its_own_block_and_the_merge_only(plan):
    """Every output block depends on one kept object of its own block
    (labels, or the packed mask and the runs' labels) and the merge; the merge
    depends on the small summaries only, never on whole label arrays."""
    im = snakes(np.random.default_rng(2), (32, 48))
    x = da.from_array(im, chunks=16)
    with _plan(plan):
        lab, _ = G["ndimage.label"](x)
    graph = lab.__dask_graph__()
    deps = graph.get_all_dependencies()
    out_keys = [k for k in deps if isinstance(k, tuple) and k[0] == lab.name]
    assert len(out_keys) == 6
    merge = {d for k in out_keys for d in deps[k] if isinstance(d, str)}
    assert len(merge) == 1
    merge = merge.pop()
    kept = {}
    for k in out_keys:
        own = [d for d in deps[k] if d != merge]
        assert len(own) == 1 and own[0][1:] == k[1:]
        kept[k[1:]] = own[0]
    summaries = deps[merge]
    assert len(summaries) == 6 and not summaries & set(kept.values())
    values = dict(zip(list(summaries) + list(kept.values()),
                      dask.get(graph, list(summaries) + list(kept.values()))))
    for s in summaries:
        faces = values[s]["faces"].values()
        small = sum(v.nbytes for v in faces) + values[s]["keys"][0].nbytes
        assert small < 16 * 16 * 4 // 2
    for idx, k in kept.items():
        if plan == "hold":
            np.testing.assert_array_equal(values[k], ndimage.label(
                im[16 * idx[0]:16 * idx[0] + 16, 16 * idx[1]:16 * idx[1] + 16])[0])
        else:
            bits, runs = values[k]          # the packed mask, one label a run
            assert bits.nbytes == 16 * 16 // 8 and runs.nbytes <= 16 * 16


_RSS_SCRIPT = textwrap.dedent("""
    import os, sys
    import numpy as np, dask, dask.array as da
    import fastimg.dask as fd
    n, c, d = 4096, 512, sys.argv[1]

    def status(k):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith(k))

    yy, xx = da.meshgrid(da.arange(n, chunks=c), da.arange(n, chunks=c), indexing="ij")
    ((da.sin(yy / 37.0) * da.sin(xx / 53.0 + yy / 91.0)) > 0.3).to_zarr(
        os.path.join(d, "in.zarr"))
    small = da.from_array(np.random.default_rng(0).random((64, 64)) < 0.5, chunks=16)
    fd.ndimage.label(small)[0].compute()
    for plan in ("recompute", "hold"):
        with dask.config.set({"fastimg.label-strategy": plan}, scheduler="threads",
                             num_workers=2):
            lab, _ = fd.ndimage.label(da.from_zarr(os.path.join(d, "in.zarr")))
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")             # peak RSS := current RSS
            base = status("VmRSS")
            lab.to_zarr(os.path.join(d, plan + ".zarr"))
            print(plan, (status("VmHWM") - base) / n / n)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_recomputing_labels_stream_to_zarr(tmp_path):
    """4096² bool zarr in 512² chunks -> labels -> zarr: recomputing keeps
    the extra peak memory under 1.5 bytes a pixel; holding takes more than
    2.5 (the int32 labels of every block until their phase 2)."""
    pytest.importorskip("zarr")
    env = dict(os.environ, PYTHONPATH=REPO, FASTIMG_JIT="foreground")
    res = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, str(tmp_path)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    extra = dict((k, float(v)) for k, v in (line.split() for line in res.stdout.split("\n")
                                            if line.strip()))
    assert extra["recompute"] < 1.5, extra
    assert extra["hold"] > 2.5, extra
