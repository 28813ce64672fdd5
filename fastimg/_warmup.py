"""Compile every kernel for the common dtypes once (``fastimg warmup``).

The calls come from the catalog: each row's sample call and its ``warm``
calls, for each of its dtypes, on a 256x256 image and a 16x16 image (some
families choose their core by size, e.g. 16-bit histograms).  Parallel calls
run the same compiled cores as serial ones (``_dispatch.parallel_for``), so a
bigger image never compiles again.

Run it after installing, and before starting process pools: concurrent first
compiles of the same function can race on the cache.
"""
from __future__ import annotations

import time

import numpy as np

from . import _catalog


def _image(side, dtype):
    """A non-constant image with a few distinct values (so thresholds have
    classes to separate) in every dtype."""
    x = (np.arange(side * side).reshape(side, side) % 7).astype(np.float64)
    return (x / 6.0 if np.dtype(dtype).kind == "f" else x).astype(dtype)


def warmup(dtypes=None, functions=None, verbose=False):
    """Compile (or load from the on-disk cache) every kernel.

    Parameters
    ----------
    dtypes : sequence of str, optional
        Image dtypes to compile for; default: each function's catalog dtypes
        (uint8, uint16, float32, float64).
    functions : sequence of str, optional
        ``'namespace.name'`` (or ``'name'``) of the functions to warm up;
        default: all of them.
    verbose : bool, optional
        Print the seconds spent per function.

    Returns
    -------
    dict
        Seconds spent per ``'namespace.name'``.

    Examples
    --------
    >>> import fastimg
    >>> t = fastimg.warmup(dtypes=["float32"], functions=["util.invert"])
    >>> list(t)
    ['util.invert']
    """
    rows = _catalog.ROWS
    if functions is not None:
        wanted = set(functions)
        rows = [r for r in rows if f"{r.namespace}.{r.name}" in wanted or r.name in wanted]
        unknown = wanted - {f"{r.namespace}.{r.name}" for r in rows} - {r.name for r in rows}
        if unknown:
            raise ValueError(f"unknown function(s) {sorted(unknown)}; "
                             f"known: {[f'{r.namespace}.{r.name}' for r in _catalog.ROWS]}")
    timings = {}
    for row in rows:
        f = _catalog.function(row)
        t0 = time.perf_counter()
        for dt in (row.dtypes if dtypes is None else dtypes):
            for side in (256, 16):
                x = _image(side, dt)
                for call in (row.sample, *row.warm):
                    eval(call, _catalog.sample_env(f, x))  # noqa: S307 (catalog text)
        key = f"{row.namespace}.{row.name}"
        timings[key] = time.perf_counter() - t0
        if verbose:
            print(f"  {key:<32} {timings[key]:7.2f} s")
    return timings
