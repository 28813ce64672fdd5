"""workers= handling and concurrent calls from many Python threads."""
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import pytest
import scipy.ndimage as sn
import scipy.signal as ss

from fastimg import _dispatch
from fastimg import ndimage as N
from fastimg import signal as S

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIG = np.random.default_rng(0).random((300, 260)).astype(np.float32)  # > SMALL: parallel path


@pytest.mark.parametrize("workers", [None, 1, -1, numba.config.NUMBA_NUM_THREADS])
def test_workers_values_give_identical_results(workers):
    expected = sn.gaussian_filter(BIG, 2.0)
    before = numba.get_num_threads()
    np.testing.assert_array_equal(N.gaussian_filter(BIG, 2.0, workers=workers), expected)
    assert numba.get_num_threads() == before  # restored in the calling thread


@pytest.mark.parametrize("bad", [0, numba.config.NUMBA_NUM_THREADS + 1,
                                 -numba.config.NUMBA_NUM_THREADS - 1, 1.5, "2"])
def test_bad_workers_raise_value_error(bad):
    with pytest.raises(ValueError, match="workers"):
        N.correlate(BIG, np.ones((3, 3)), workers=bad)


def test_resolve_workers_negative_counts_from_all_cores():
    n = numba.config.NUMBA_NUM_THREADS
    assert _dispatch.resolve_workers(-1) == n
    assert _dispatch.resolve_workers(None) == numba.get_num_threads()


def _jobs():
    w = np.arange(9.0).reshape(3, 3) - 3
    return [
        (lambda: N.gaussian_filter(BIG, 1.5), lambda: sn.gaussian_filter(BIG, 1.5)),
        (lambda: N.correlate(BIG, w), lambda: sn.correlate(BIG, w)),
        (lambda: N.uniform_filter(BIG, 5), lambda: sn.uniform_filter(BIG, 5)),
        (lambda: N.sobel(BIG, 0), lambda: sn.sobel(BIG, 0)),
        (lambda: S.convolve2d(BIG, w.astype(np.float32), "same", "symm"),
         lambda: ss.convolve2d(BIG, w.astype(np.float32), "same", "symm")),
    ]


def test_concurrent_calls_from_a_thread_pool():
    jobs = _jobs() * 4
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda j: j[0](), jobs))
    for (_, anchor), res in zip(jobs, results):
        np.testing.assert_array_equal(res, anchor())


LAYER_SCRIPT = """
import numpy as np, scipy.ndimage as sn, numba
from concurrent.futures import ThreadPoolExecutor
from fastimg import ndimage as N
x = np.random.default_rng(1).random((300, 280)).astype(np.float32)
expected = sn.gaussian_filter(x, 2.0)
N.gaussian_filter(x, 2.0)            # main thread starts the layer
with ThreadPoolExecutor(4) as pool:
    res = list(pool.map(lambda _: N.gaussian_filter(x, 2.0), range(16)))
assert all(np.array_equal(r, expected) for r in res)
print("layer", numba.threading_layer())
"""


@pytest.mark.parametrize("layer", ["omp", "workqueue", "tbb"])
def test_thread_pool_under_each_threading_layer(layer):
    # tbb comes with the test extra (pip package "tbb"); omp and workqueue ship
    # with Numba.  pip puts libtbb.so.12 in <prefix>/lib, which the dynamic
    # loader does not search in a virtual environment: name it.
    env = dict(os.environ, NUMBA_THREADING_LAYER=layer,
               PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if layer == "tbb":
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            p for p in (os.path.join(sys.prefix, "lib"), os.environ.get("LD_LIBRARY_PATH"))
            if p)
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(LAYER_SCRIPT)], env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert f"layer {layer}" in r.stdout
