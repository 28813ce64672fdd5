"""fastimg.dask global operations: ``threshold_otsu`` and ``label`` on a
chunked uint8 array (chunks a quarter of the side: 8192² in 2048² chunks at
full size), fastimg's dask twin against the single-machine fastimg call on
the same array in memory, and (``label``) against
``dask_image.ndmeasure.label``.  dask-image has no Otsu threshold: its
``otsu`` case has no dask-image row (``extra_info["note"]`` says so).

Each case checks its result before timing: the twins equal the
single-machine call exactly (threshold value and type; labels, numbering
and count).  dask-image numbers its labels its own way: its case checks the
same number of components and the same partition (a one-to-one map between
the two labellings), and is timed without a result comparison.  The dask
cases time building the graph and computing it on dask's threaded
scheduler (one thread per core); the input is a dask array over the
in-memory image.  ``label`` labels the photograph thresholded with Otsu
(computed outside the timing); its ``fastimg`` row is the automatic plan
(an in-memory source: phase 2 reuses the labels held from phase 1), its
``fastimg_recompute`` row the streaming plan (phase 2 labels each block
again from its packed mask), ``dask.config`` ``"fastimg.label-strategy"``.

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

DTYPES = ("uint8",)


def _chunked(x):
    return da.from_array(x, chunks=max(x.shape[0] // 4, 1))


def _threads(*graphs):
    with dask.config.set(scheduler="threads"):
        return dask.compute(*graphs)


def _mask(x):
    return x > fastimg.filters.threshold_otsu(x)


def _otsu_twin(x):
    dx = _chunked(x)
    return lambda: _threads(fd.filters.threshold_otsu(dx))[0]


def _label_twin(x, plan="auto"):
    dx = _chunked(_mask(x))

    def call():
        # the plan applies when the graph is built (phase 2's inputs)
        with dask.config.set({"fastimg.label-strategy": plan}):
            graph = fd.ndimage.label(dx)
        return tuple(_threads(*graph))
    return call


def _same_partition(a, b):
    """One-to-one map between the labels of ``a`` and ``b``."""
    pairs = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1)
    return (np.unique(pairs[0]).size == pairs.shape[1]
            and np.unique(pairs[1]).size == pairs.shape[1])


def _dask_image_label(x):
    from dask_image import ndmeasure
    m = _mask(x)
    dx = _chunked(m)
    lab, n = _threads(*ndmeasure.label(dx))
    ref, nref = fastimg.ndimage.label(m)
    assert int(n) == nref and _same_partition(lab, ref)
    return lambda: _threads(*ndmeasure.label(dx))


CASES: dict[str, dict[str, Impl]] = {
    "dask_otsu": {
        "fastimg": Impl(_otsu_twin, truth="single_machine"),
        "single_machine": Impl(lambda x: lambda: fastimg.filters.threshold_otsu(x)),
    },
    "dask_label": {
        "fastimg": Impl(_label_twin, truth="single_machine"),
        "fastimg_recompute": Impl(lambda x: _label_twin(x, "recompute"),
                                  truth="single_machine"),
        "dask_image": Impl(_dask_image_label),
        "single_machine": Impl(lambda x: (lambda m: lambda: fastimg.ndimage.label(m))(
            _mask(x))),
    },
}

TITLES = {
    "dask_otsu": "`fastimg.dask.filters.threshold_otsu(x)` on a dask array (chunks side/4; "
                 "dask-image has no Otsu)",
    "dask_label": "`fastimg.dask.ndimage.label(x > otsu)` on a dask array (chunks side/4)",
}

FUNCTIONS = {"dask_otsu": "filters.threshold_otsu", "dask_label": "ndimage.label"}

NOTES = {"dask_otsu": "dask-image has no Otsu threshold: no dask-image row"}


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_dask_global(benchmark, images, bench_env, case, impl, n, dtype):
    if case in NOTES:
        benchmark.extra_info["note"] = NOTES[case]
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
