"""First calls: after ``fastimg warmup`` the calls users commonly make
compile nothing (the common calls: int16 input, ``output=np.float64``, a 5x5
``correlate``, uint8 ``convolve2d`` with an integer kernel, int64 Otsu,
``threshold_multiotsu(classes=4)``, ``uniform_filter(size=5)``).

Compiled specialisations are counted on every dispatcher fastimg created
(``_jit.REGISTRY``) before and after each call.  ``warmup`` loads from the
on-disk cache when CI's ``fastimg warmup`` step filled it, so this costs
seconds there; from an empty cache it compiles.
"""
import numpy as np
import pytest

import fastimg
from fastimg._core import catalog as _catalog, jit as _jit
from fastimg import exposure as E
from fastimg import filters as F
from fastimg import ndimage as N
from fastimg import signal as S

FUNCTIONS = ["ndimage.gaussian_filter", "ndimage.correlate", "ndimage.uniform_filter",
             "ndimage.sobel", "signal.convolve2d", "filters.threshold_otsu",
             "filters.threshold_multiotsu", "filters.gaussian", "exposure.histogram"]

X = (np.arange(300 * 300).reshape(300, 300) % 251).astype(np.uint8)

COMMON_CALLS = {
    "gaussian_filter int16": lambda: N.gaussian_filter(X.astype(np.int16), 2.0),
    "correlate int16": lambda: N.correlate(X.astype(np.int16), _catalog.W33),
    "gaussian_filter output=float64": lambda: N.gaussian_filter(X, 1.0, output=np.float64),
    "correlate 5x5 float32": lambda: N.correlate(X.astype(np.float32), _catalog.K55),
    "convolve2d uint8, int kernel": lambda: S.convolve2d(X, np.ones((3, 3), int), "same"),
    "threshold_otsu int64": lambda: F.threshold_otsu(X.astype(np.int64)),
    "threshold_otsu int16": lambda: F.threshold_otsu(X.astype(np.int16)),
    "threshold_multiotsu classes=4": lambda: F.threshold_multiotsu(X, classes=4),
    "uniform_filter size=5": lambda: N.uniform_filter(X, size=5),
    "sobel int16": lambda: N.sobel(X.astype(np.int16)),
    "skimage gaussian uint8": lambda: F.gaussian(X, 2),
    "histogram int16": lambda: E.histogram(X.astype(np.int16)),
}


def _signatures():
    return {disp.py_func.__qualname__: len(disp.signatures) for disp in _jit.REGISTRY}


@pytest.fixture(scope="module")
def warmed():
    fastimg.warmup(functions=FUNCTIONS)


@pytest.mark.parametrize("name", list(COMMON_CALLS))
def test_common_call_compiles_nothing_after_warmup(warmed, name):
    before = _signatures()
    COMMON_CALLS[name]()
    after = _signatures()
    compiled = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    assert not compiled, f"{name} compiled {compiled} after fastimg warmup"
