"""Tiered execution (``fastimg._core.tiers``): the anchor answers while
fastimg's kernels compile in another process, and every result is the same
whichever tier served it.

The process tests run fresh interpreters with their own ``NUMBA_CACHE_DIR``
(an empty kernel cache) in the default ``background`` mode."""
import glob
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import fastimg
from fastimg._core import anchor_limits, catalog, tiers

pytestmark = pytest.mark.tiers
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANCHORED = [r for r in catalog.ROWS if r.anchor]
#: results equal to the anchor's within this absolute tolerance, not bit for bit
TOLERANT = {"feature.match_template": 1e-4,
            # the same linear system, another sparse LU: tests/conftest.py's
            # "biharmonic-float64" bound (results in [0, 1])
            "restoration.inpaint_biharmonic": 1e-11}


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.names:
            return a.dtype == b.dtype and all(_same(a[n], b[n]) for n in a.dtype.names)
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _image(dtype):
    x = np.random.default_rng(0).random((48, 40)) * 200
    return x.astype(dtype)


@pytest.mark.parametrize("row", ANCHORED, ids=lambda r: r.qualname)
def test_both_tiers_give_the_same_result(row):
    f = catalog.public(row)
    x = _image(row.dtypes[0])
    try:
        fastimg.set_jit_mode("anchor")
        before = tiers.COUNTS["anchor"]
        by_anchor = row.sample(f, x)
        assert tiers.COUNTS["anchor"] == before + 1
        fastimg.set_jit_mode("foreground")
        before = tiers.COUNTS["fastimg"]
        by_fastimg = row.sample(f, x)
        assert tiers.COUNTS["fastimg"] == before + 1
    finally:
        fastimg.set_jit_mode("foreground")
    if row.qualname in TOLERANT:
        # scores in [-1, 1] from an FFT in the anchor, direct or FFT sums in
        # fastimg: equal within tests/conftest.py's "match-template" bound
        assert by_anchor.dtype == by_fastimg.dtype and by_anchor.shape == by_fastimg.shape
        np.testing.assert_allclose(by_fastimg, by_anchor, rtol=0, atol=TOLERANT[row.qualname])
    else:
        assert _same(by_anchor, by_fastimg)


def test_fastimg_only_options_and_no_anchor_stay_on_fastimg():
    x = _image("float32")
    try:
        fastimg.set_jit_mode("anchor")
        before = tiers.COUNTS["fastimg"]
        fastimg.filters.threshold_otsu(x, mask=x > 50)        # skimage has no mask=
        fastimg.ndimage.correlate(x, np.ones((3, 3)), method="direct")
        assert tiers.COUNTS["fastimg"] == before + 2
    finally:
        fastimg.set_jit_mode("foreground")
    assert fastimg.frequency.ideal_mask is catalog.function(catalog.find_row("frequency.ideal_mask"))


def test_windows_beyond_the_image_stay_off_the_anchor(monkeypatch, tmp_path):
    """Where SciPy's result depends on memory outside the array (a window
    reaching beyond the image: README, parity notes), fastimg's tier
    answers even while the kind compiles; other calls keep the anchor."""
    monkeypatch.setattr(tiers, "tier_folder", lambda: str(tmp_path))
    monkeypatch.setattr(tiers, "_status", lambda folder, kind: "compiling")
    served = lambda: tiers.recent()[-1][1]   # noqa: E731
    x = np.array([3.0, 1.0])
    y = _image("float32")
    try:
        fastimg.set_jit_mode("background")
        # window -4..0 on the mirrored line 3 1 3 1 3 ...: medians 3 and 1
        out = fastimg.ndimage.median_filter(x, 5, mode="mirror", origin=2)
        assert served() == "fastimg" and out.tolist() == [3.0, 1.0]
        fastimg.ndimage.median_filter(y, 5, workers=2)   # workers: fastimg's own
        assert served() == "scipy.ndimage"
        fastimg.ndimage.correlate(y[:2], np.ones((3, 3)), mode="reflect")
        assert served() == "fastimg"
        fastimg.ndimage.correlate(y[:3], np.ones((3, 3)), mode="reflect")
        assert served() == "scipy.ndimage"
        fastimg.ndimage.minimum_filter(y, footprint=np.ones((3, 41), bool))
        assert served() == "fastimg"
        fastimg.ndimage.gaussian_filter(x, 5.0)          # no window argument
        assert served() == "scipy.ndimage"
    finally:
        fastimg.set_jit_mode("foreground")
    row = catalog.find_row("ndimage.rank_filter")
    anchor = catalog.anchor_function(row)
    assert anchor_limits.anchor_defined(row, anchor, (y, 1), {"size": (3, 40)})
    assert not anchor_limits.anchor_defined(row, anchor, (y, 1), {"size": (3, 41)})
    assert not anchor_limits.anchor_defined(row, anchor, (y,), {"sise": 3})   # unreadable


def test_public_functions_pickle_by_name():
    import pickle
    for row in ANCHORED:
        f = catalog.public(row)
        assert pickle.loads(pickle.dumps(f)) is f


def test_mode_setter_and_kinds():
    with pytest.raises(ValueError, match="must be one of"):
        fastimg.set_jit_mode("sometimes")
    a = np.zeros((4, 4), np.float32)
    k1 = tiers.call_kind("ndimage.gaussian_filter", (a, 1.0), {})
    assert k1 == tiers.call_kind("ndimage.gaussian_filter", (a + 1, 2.0), {})
    assert k1 != tiers.call_kind("ndimage.gaussian_filter", (a.astype(np.uint8), 1.0), {})
    assert k1 != tiers.call_kind("ndimage.gaussian_filter", (a, 1.0), {"output": np.float64})


# ------------------------------------------------------- fresh processes
CALL = """
import json, sys, time
import numpy as np, scipy.ndimage as sn
from fastimg import ndimage
from fastimg._core import tiers
x = np.random.default_rng(0).random((96, 80)).astype(np.float32)
served = []
deadline = time.monotonic() + float(sys.argv[1])
while True:
    assert np.array_equal(ndimage.gaussian_filter(x, 1.5), sn.gaussian_filter(x, 1.5))
    served.append(tiers.recent()[-1][1])
    if served[-1] == "fastimg" or time.monotonic() > deadline:
        break
    time.sleep(0.2)
print(json.dumps({"served": served, "folder": tiers.tier_folder()}))
"""


def _run(cache, wait=0.0, env=None, code=CALL):
    full = dict(os.environ, NUMBA_CACHE_DIR=str(cache), FASTIMG_JIT="background",
                FASTIMG_CACHE="1")
    full.update(env or {})
    full["PYTHONPATH"] = REPO + os.pathsep + full.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-c", code, str(wait)], env=full, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    import json
    return json.loads(r.stdout.strip().splitlines()[-1])


def _wait_ready(folder, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if glob.glob(os.path.join(folder, "*.ready")) and not _compilers(folder):
            return True
        time.sleep(0.25)
    return False


def _compilers(folder):
    """Pids of the compile processes working for ``folder`` or below it."""
    return tiers.running_compiles(folder)


def test_first_call_by_the_anchor_then_fastimg(tmp_path):
    first = _run(tmp_path)
    assert first["served"][0] == "scipy.ndimage"     # nothing compiled: the anchor
    assert _wait_ready(first["folder"])
    later = _run(tmp_path, wait=60)                 # a new process: loads, then fastimg
    assert later["served"][-1] == "fastimg", later
    assert later["folder"] == first["folder"]


def test_many_processes_start_one_compile_per_kind(tmp_path):
    procs = []
    for _ in range(8):
        full = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), FASTIMG_JIT="background",
                    FASTIMG_CACHE="1")
        full["PYTHONPATH"] = REPO + os.pathsep + full.get("PYTHONPATH", "")
        procs.append(subprocess.Popen([sys.executable, "-c", CALL, "0"], env=full,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
    import json
    folder = json.loads(outs[0][0].strip().splitlines()[-1])["folder"]
    assert _wait_ready(folder)
    log = open(os.path.join(folder, "compiles.log")).read().split()
    assert len(log) == 1, log          # one compile, whoever asked first


KINDS = """
import json
import numpy as np
from fastimg import ndimage
from fastimg._core import tiers
x = np.random.default_rng(0).random((40, 30))
for dtype in ("float32", "uint8", "uint16"):
    ndimage.gaussian_filter((x * 200).astype(dtype), 1.5)
ndimage.sobel(x.astype("float32"))
print(json.dumps({"served": [t for _, t in tiers.recent()], "folder": tiers.tier_folder()}))
"""


def test_a_script_of_many_kinds_starts_one_compile_process_per_worker_slot(tmp_path):
    first = _run(tmp_path, code=KINDS)
    assert first["served"] == ["scipy.ndimage"] * 4
    folder = first["folder"]
    deadline = time.monotonic() + 300
    while (_compilers(folder) or glob.glob(os.path.join(folder, "*.queued"))) \
            and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not _compilers(folder), "the compile processes did not end"
    log = [line.split(":") for line in open(os.path.join(folder, "compiles.log")).read().split()]
    assert len({kind for kind, _ in log}) == len(log) == 4     # each kind once
    assert len({pid for _, pid in log}) <= tiers.WORKERS        # the queue, not a process each
    assert len(glob.glob(os.path.join(folder, "*.ready"))) == 4
    assert not glob.glob(os.path.join(folder, "*.queued"))


def test_a_killed_compile_leaves_a_valid_cache_and_compiles_in_the_foreground(tmp_path):
    first = _run(tmp_path)
    folder = first["folder"]
    pids = []
    for _ in range(100):
        pids = _compilers(folder)
        if pids:
            break
        time.sleep(0.05)
    assert pids, "no compile process"
    os.kill(pids[0], signal.SIGKILL)
    time.sleep(0.5)
    assert not glob.glob(os.path.join(folder, "*.ready"))
    later = _run(tmp_path)
    # the failed kind compiles in the calling process, and the result is right
    assert later["served"] == ["fastimg"], later


PATCHED = """
import json, sys
import numpy as np, scipy.ndimage as sn
from fastimg import ndimage
from fastimg._core import tiers
expected = sn.gaussian_filter(np.ones((40, 30), np.float32), 1.5)
sn.gaussian_filter = ndimage.gaussian_filter   # as the anchors' test suites run here
x = np.ones((40, 30), np.float32)
assert np.array_equal(ndimage.gaussian_filter(x, 1.5), expected)
print(json.dumps({"served": [tiers.recent()[-1][1]], "folder": tiers.tier_folder()}))
"""


def test_an_anchor_patched_with_fastimgs_function_means_the_foreground(tmp_path):
    # with an empty cache the first tier would answer with the anchor's
    # function, which is fastimg's own here: it must compile, not recurse
    assert _run(tmp_path, code=PATCHED)["served"] == ["fastimg"]


def test_no_writable_cache_means_the_foreground(tmp_path):
    off = _run(tmp_path, env={"FASTIMG_CACHE": "0"})
    assert off["served"] == ["fastimg"] and off["folder"] is None


def test_a_script_that_exits_leaves_only_its_compile_running(tmp_path):
    first = _run(tmp_path)                # exits right after its first call
    folder = first["folder"]
    assert _wait_ready(folder), "the compile did not finish on its own"
    assert not _compilers(folder)


POOL = """
import multiprocessing as mp, sys
import numpy as np, scipy.ndimage as sn
from fastimg import ndimage

def work(seed):
    x = np.random.default_rng(seed).random((64, 64)).astype(np.float32)
    return bool(np.array_equal(ndimage.gaussian_filter(x, 1.0), sn.gaussian_filter(x, 1.0)))

if __name__ == "__main__":
    x = np.ones((32, 32), np.float32)
    ndimage.gaussian_filter(x, 1.0)          # the parent calls first (threads, a compile)
    for method in ("fork", "spawn", "forkserver"):
        with mp.get_context(method).Pool(3) as pool:
            assert all(pool.map(work, range(6), chunksize=1)), method
    print('{"served": ["ok"], "folder": null}')
"""


def test_fork_spawn_and_forkserver_pools(tmp_path):
    script = tmp_path / "pool.py"
    script.write_text(textwrap.dedent(POOL))
    full = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"), FASTIMG_JIT="background")
    full["PYTHONPATH"] = REPO + os.pathsep + full.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], env=full, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    # the compile the parent's first call started ends before the next test
    deadline = time.monotonic() + 300
    while _compilers(str(tmp_path / "cache")) and time.monotonic() < deadline:
        time.sleep(0.2)
