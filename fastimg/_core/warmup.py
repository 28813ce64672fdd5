"""Compile every kernel for the common dtypes once (``fastimg warmup``).

The calls come from the catalog: each row's sample call and its ``warm``
calls, for each of its dtypes, on a 256x256 image and a 16x16 image (some
families choose their core by size, e.g. 16-bit histograms).  Parallel calls
run the same compiled cores as serial ones (``_dispatch.parallel_for``), so a
bigger image never compiles again.

With ``jobs > 1`` (the ``fastimg warmup`` command: one per core) and the
on-disk cache on, the compiling is spread over spawned worker processes:
each compiles a share of the functions into the shared cache (whose index
fastimg locks, see ``fastimg/_jit.py``), then the calling process loads
everything from it, so it ends up warm as with one job.  Numba holds one
compiler lock per process, so threads would not help.  The Python function
defaults to ``jobs=1``: spawned workers re-import a calling script's
``__main__``, which a script without an ``if __name__ == "__main__":``
guard cannot take.
"""
from __future__ import annotations

import os
import time

import numpy as np

from . import catalog as _catalog


def _image(side, dtype):
    """A non-constant image with a few distinct values (so thresholds have
    classes to separate) in every dtype."""
    x = (np.arange(side * side).reshape(side, side) % 7).astype(np.float64)
    return (x / 6.0 if np.dtype(dtype).kind == "f" else x).astype(dtype)


def _default_jobs():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


#: Families that compile the same kernels: a worker takes them together (per
#: dtype), so two workers never compile one kernel for one dtype.
_SAME_KERNELS = {"separable": "correlation", "linear": "correlation",
                 "rank_median": "rank", "threshold": "histograms",
                 "hough_shapes": "hough"}


def _qualname(row):
    return f"{row.namespace}.{row.name}"


def _tasks(rows, dtypes):
    """(calls, dtype, names) per group of kernel-sharing families and dtype,
    heaviest first: the workers take them in this order as they free up."""
    groups = {}
    for row in rows:
        for dt in (row.dtypes if dtypes is None else dtypes):
            key = (_SAME_KERNELS.get(row.family, row.family), str(dt))
            groups.setdefault(key, []).append(row)
    tasks = [(sum(1 + len(r.warm) for r in rs), dt, [_qualname(r) for r in rs])
             for (_, dt), rs in groups.items()]
    return sorted(tasks, key=lambda t: -t[0])


def _warm_task(dtype, functions):
    # a worker process: compile into the shared on-disk cache
    return warmup(dtypes=[dtype], functions=functions, jobs=1)


def _compile_in_workers(rows, tasks, jobs):
    """Seconds per function, summed over its tasks (:func:`_tasks`),
    compiled by ``jobs`` spawned processes into the on-disk cache."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    timings = dict.fromkeys((_qualname(r) for r in rows), 0.0)
    # spawn: a fresh interpreter per worker, whatever this process holds
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=ctx) as pool:
        for part in pool.map(_warm_task, [t[1] for t in tasks], [t[2] for t in tasks]):
            for name, sec in part.items():
                timings[name] += sec
    return timings


def warmup(dtypes=None, functions=None, verbose=False, *, jobs=1, load=True):
    """Compile (or load from the on-disk cache) every kernel.

    Parameters
    ----------
    dtypes : sequence of str, optional
        Image dtypes to compile for; default: each function's catalog dtypes
        (from uint8, uint16, int16, float32, float64).
    functions : sequence of str, optional
        ``'namespace.name'`` (or ``'name'``) of the functions to warm up;
        default: all of them.
    verbose : bool, optional
        Print the seconds spent per function.
    jobs : int, optional
        Worker processes (spawned) that compile into the on-disk cache
        before this process loads from it; ``None``: one per available
        core.  With the default 1, or when the cache is off
        (``FASTIMG_CACHE=0``), this process compiles everything itself.
        From a script, call it with ``jobs > 1`` under ``if __name__ ==
        "__main__":``, as any spawn-based pool requires.
    load : bool, optional
        With ``jobs > 1``: also load every kernel into this process
        afterwards (default).  ``False`` only fills the on-disk cache, as
        the ``fastimg warmup`` command does.

    Returns
    -------
    dict
        Seconds spent per ``'namespace.name'`` (in the worker that compiled
        it, when ``jobs > 1``).

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
    from . import jit as _jit
    jobs = _default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    tasks = _tasks(rows, dtypes) if jobs > 1 and _jit.CACHE_ENABLED else []
    if len(tasks) > 1:
        timings = _compile_in_workers(rows, tasks, jobs)
        if verbose:
            for name, sec in timings.items():
                print(f"  {name:<32} {sec:7.2f} s")
        if load:  # everything now loads from the cache
            warmup(dtypes=dtypes, functions=list(timings), jobs=1)
        return timings
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
