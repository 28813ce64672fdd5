"""The command line (``fastimg demo``, ``fastimg warmup``) and the PNG writer."""
import os
import subprocess
import sys

import warnings

import numpy as np
import pytest

import fastimg
from fastimg._core import catalog as _catalog
from fastimg._cli.png import to_uint8, write_png
from fastimg._cli.demo import builtin_image

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _fastimg(*args):
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "fastimg", *args], env=env,
                          capture_output=True, text=True, timeout=900)


def test_demo_writes_pngs_and_reports_identical_results(tmp_path):
    r = _fastimg("demo", "--size", "96", "--repeat", "1", "--out", str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    # one PNG per catalog row whose shown result is an image (not the
    # histogram, labels with their count, measurements, object slices)
    x = builtin_image(16)

    def image(v):
        return isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind in "biuf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)      # skimage's square
        shown = [f"{i:02d}-{row.qualname}.png"
                 for i, row in enumerate(_catalog.ROWS, start=1)
                 if image((row.show or row.sample)(_catalog.function(row), x))]
    assert "00-input.png" in pngs and pngs == sorted(["00-input.png", *shown]), pngs
    assert "ndimage.gaussian_filter" in r.stdout and "speed-up" in r.stdout
    assert "largest difference from an anchor: 0.0e+00" in r.stdout


def test_warmup_command_and_function():
    r = _fastimg("warmup")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "done in" in r.stdout
    timings = fastimg.warmup(dtypes=("float32",))
    assert set(timings) >= {"ndimage.correlate", "ndimage.gaussian_filter", "signal.convolve2d",
                           "filters.sobel"}


def test_png_round_trip(tmp_path):
    image = pytest.importorskip("PIL.Image")
    img = builtin_image(64)
    path = tmp_path / "x.png"
    write_png(path, img)
    back = np.asarray(image.open(path))
    np.testing.assert_array_equal(back, to_uint8(img))


def test_builtin_image_is_deterministic_and_in_range():
    a, b = builtin_image(128), builtin_image(128)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and a.min() >= 0 and a.max() <= 1 and a.std() > 0.1


def test_warmup_tasks_cover_each_function_and_dtype_once():
    from fastimg._core import catalog as _catalog, warmup as _warmup
    tasks = _warmup._tasks(_catalog.ROWS, None)
    done = sorted((name, dt) for _, dt, names in tasks for name in names)
    assert done == sorted((r.qualname, dt) for r in _catalog.ROWS for dt in r.dtypes)
    # families that compile the same kernels stay in one task per dtype, so
    # two workers never compile one kernel for one dtype at once
    group = {r.qualname: _warmup.kernel_groups()[r.family] for r in _catalog.ROWS}
    assert all(len({group[n] for n in names}) == 1 for _, _, names in tasks)
    assert len({(group[names[0]], dt) for _, dt, names in tasks}) == len(tasks)
    assert [t[0] for t in tasks] == sorted((t[0] for t in tasks), reverse=True)
    only = _warmup._tasks(_catalog.ROWS[:2], ["float32"])
    assert [dt for _, dt, _ in only] == ["float32"]


def test_warmup_groups_families_by_the_kernels_they_compile():
    from fastimg._core import warmup as _warmup
    group = _warmup.kernel_groups()
    assert set(group) == {r.family for r in _catalog.ROWS}
    # linear calls separable's and correlation's public functions, which run
    # the shared pass kernels; threshold counts with the histograms' kernels
    assert group["separable"] == group["linear"] == group["correlation"]
    assert group["threshold"] == group["histograms"] != group["correlation"]
    # hough compiles only its own kernels; canny borrows only a NumPy helper
    # from the module that drives the pass kernels
    assert group["hough"] == "hough" and group["edges"] == "edges"


def test_warmup_in_worker_processes_then_loads_here():
    names = ["util.invert", "exposure.adjust_log"]
    timings = fastimg.warmup(dtypes=("float32", "uint8"), functions=names, jobs=2)
    assert sorted(timings) == sorted(names)
    # loaded into this process: calling compiles nothing more
    from fastimg._core import jit as _jit
    before = {id(d): len(d.signatures) for d in _jit.REGISTRY}
    fastimg.exposure.adjust_log(np.ones((256, 256), np.float32))
    assert {id(d): len(d.signatures) for d in _jit.REGISTRY} == before


def test_warmup_rejects_no_jobs():
    with pytest.raises(ValueError, match="jobs must be >= 1, got 0"):
        fastimg.warmup(functions=["util.invert"], jobs=0)
