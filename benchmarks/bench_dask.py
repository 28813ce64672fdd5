"""fastimg.dask benchmarks: Gaussian sigma=2 on a chunked float32 array
(chunks a quarter of the side: 8192² in 2048² chunks at full size), fastimg's
dask twin against ``dask_image.ndfilters.gaussian_filter`` (SciPy per chunk)
and against the single-machine ``fastimg.ndimage.gaussian_filter`` on the
same array in memory.

Each case computes its result and checks it against the single-machine call
before timing (dask-image's chunks run SciPy, which fastimg equals bit for
bit, so every comparison is exact).  The dask cases time building the graph
and computing it on dask's threaded scheduler (one thread per core); the
input is a dask array over the in-memory image.  ``fastimg_store`` times
``da.store`` into a preallocated array instead of ``.compute()`` (whose
final gathering of the blocks into one array is a serial copy of the whole
result).

Sizes come from ``FASTIMG_BENCH_SIZES``; groups are ``"{case}|{N}x{N}|{dtype}"``.
"""
from __future__ import annotations

import dask
import dask.array as da
import numpy as np
import pytest

import fastimg
import fastimg.dask as fd

from ._harness import Impl, params, run

DTYPES = ("float32",)


def _chunked(x):
    return da.from_array(x, chunks=max(x.shape[0] // 4, 1))


def _threads(graph):
    with dask.config.set(scheduler="threads"):
        return graph.compute()


def _dask_image(x):
    from dask_image import ndfilters
    dx = _chunked(x)
    return lambda: _threads(ndfilters.gaussian_filter(dx, 2.0))


def _fastimg_dask(x):
    dx = _chunked(x)
    return lambda: _threads(fd.ndimage.gaussian_filter(dx, 2.0))


def _fastimg_store(x):
    """The streaming use: ``da.store`` into a preallocated array (each task
    writes its block; no final gathering copy of ``.compute()``)."""
    dx = _chunked(x)

    def call():
        out = np.empty(x.shape, x.dtype)
        da.store(fd.ndimage.gaussian_filter(dx, 2.0), out, lock=False, scheduler="threads")
        return out
    return call


CASES: dict[str, dict[str, Impl]] = {
    "dask_gaussian_sigma2": {
        "fastimg": Impl(_fastimg_dask, truth="single_machine"),
        "fastimg_store": Impl(_fastimg_store, truth="single_machine"),
        "dask_image": Impl(_dask_image, truth="single_machine"),
        "single_machine": Impl(lambda x: lambda: fastimg.ndimage.gaussian_filter(x, 2.0)),
    },
}

TITLES = {"dask_gaussian_sigma2":
          "`fastimg.dask.ndimage.gaussian_filter(x, 2)` on a dask array (chunks side/4)"}

FUNCTIONS = {"dask_gaussian_sigma2": "ndimage.gaussian_filter"}

GOALS = [
    ("dask_gaussian_sigma2", 8192, "float32", "dask_image", 5.0),
    # within 1.3x of the single-machine call: single / dask >= 1 / 1.3
    ("dask_gaussian_sigma2", 8192, "float32", "single_machine", 1 / 1.3),
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_dask(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
