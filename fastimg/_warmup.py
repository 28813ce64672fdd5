"""Compile every kernel for the common dtypes once (``fastimg warmup``).

Run it after installing, and before starting process pools: concurrent first
compiles of the same function can race on the cache.
"""
from __future__ import annotations

import time

import numpy as np

COMMON_DTYPES = ("uint8", "uint16", "float32", "float64")


def _calls():
    from . import exposure, filters, ndimage, signal, util
    w33 = np.array([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0], [2.0, 1.0, 1.0]])
    return {
        "correlate": lambda x: ndimage.correlate(x, w33),
        "correlate-3d": lambda x: ndimage.correlate(x[None], w33[None]),
        "correlate1d": lambda x: ndimage.correlate1d(x, [1.0, 2.0, 4.0], axis=-1),
        "correlate1d-axis0": lambda x: ndimage.correlate1d(x, [1.0, 2.0, 4.0], axis=0),
        "gaussian_filter": lambda x: ndimage.gaussian_filter(x, 1.0),
        "uniform_filter": lambda x: ndimage.uniform_filter(x, 3),
        "sobel": lambda x: ndimage.sobel(x),
        "convolve2d": lambda x: signal.convolve2d(x, w33.astype(x.dtype), "same", "symm"),
        "filters.gaussian": lambda x: filters.gaussian(x, 1.0),
        "filters.sobel": lambda x: filters.sobel(x),
        "adjust_gamma": lambda x: exposure.adjust_gamma(x, 2.0),
        "adjust_log": lambda x: exposure.adjust_log(x),
        "invert": lambda x: util.invert(x),
        "threshold_otsu": lambda x: filters.threshold_otsu(x + np.eye(*x.shape, dtype=x.dtype)),
        "threshold_multiotsu": lambda x: filters.threshold_multiotsu(
            np.arange(x.size, dtype=x.dtype).reshape(x.shape) % 7),
    }


def warmup(dtypes=COMMON_DTYPES, verbose=False):
    """Compile (or load from the on-disk cache) every kernel for ``dtypes``.

    Each function is called once on a 256x256 image (large enough to take the
    parallel path) and once on a 16x16 image (the serial path).

    Returns
    -------
    dict
        Seconds spent per function name.
    """
    timings = {}
    for name, call in _calls().items():
        t0 = time.perf_counter()
        for dt in dtypes:
            for side in (256, 16):
                call(np.ones((side, side), dtype=dt))
        timings[name] = time.perf_counter() - t0
        if verbose:
            print(f"  {name:<20} {timings[name]:7.2f} s")
    return timings
