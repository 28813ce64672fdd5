"""Compile every kernel for the common dtypes once (``fastimg warmup``).

The calls come from the catalog: each row's sample call and its ``warm``
calls, for each of its dtypes, on a 256x256 image and a 16x16 image (some
families choose their core by size, e.g. 16-bit histograms).  Parallel calls
run the same compiled cores as serial ones (``dispatch.run``), so a
bigger image never compiles again.

With ``jobs > 1`` (the ``fastimg warmup`` command: one per core) and the
on-disk cache on, the compiling is spread over spawned worker processes:
each compiles a share of the functions into the shared cache (whose index
fastimg locks, see ``fastimg/_core/cache.py``), one task per group of
families that compile the same kernels (:func:`kernel_groups`) and dtype,
then the calling process loads everything from it, so it ends up warm as
with one job.  Numba holds one
compiler lock per process, so threads would not help.  The Python function
defaults to ``jobs=1``: spawned workers re-import a calling script's
``__main__``, which a script without an ``if __name__ == "__main__":``
guard cannot take.
"""
from __future__ import annotations

import ast
import functools
import os
import time
import warnings
from pathlib import Path

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


# Kernel-sharing families, derived from the sources.  Two worker processes
# compiling one kernel for one dtype both pay for it, so families that
# compile the same kernels warm up in one task.  A family compiles the
# kernels of the families it calls (their public functions) and the shared
# kernels of ``_core`` (its modules with ``@kernel``-decorated functions)
# that the ``_core`` functions it imports reach.  Imports are followed name
# by name, so a family that only borrows a NumPy helper from a module that
# also drives kernels (canny's Gaussian weights) stays out of that group.
# ``cast``'s two scalar helpers (``kernel(_trunc32)``, not decorated) do not
# count: nearly every kernel inlines them, they compile in moments, and
# counting them would put nearly every family in one task.

#: the fastimg package folder
_PACKAGE = Path(__file__).resolve().parent.parent


def _source(module: str) -> Path | None:
    """The source file of the fastimg module or package ``module``."""
    path = _PACKAGE.joinpath(*module.split(".")[1:])
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _is_kernel(decorator) -> bool:
    core = decorator.func if isinstance(decorator, ast.Call) else decorator
    return getattr(core, "id", getattr(core, "attr", None)) == "kernel"


@functools.lru_cache(maxsize=None)
def _facts(module: str):
    """``(imports, mentions, defines_kernels)`` of a fastimg module:
    local name -> ``(module, attribute or None)`` for what it imports from
    fastimg; top-level name -> the names its definition mentions; whether
    it defines ``@kernel`` functions.  Empty when the source is missing."""
    path = _source(module)
    if path is None:
        return {}, {}, False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    imports = {}
    for node in ast.walk(tree):     # imports inside functions count too
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            target = ".".join(filter(None, (base, node.module)))
            if target.split(".")[0] != "fastimg":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                imports[a.asname or a.name] = (sub, None) if _source(sub) else (target, a.name)
        elif isinstance(node, ast.Import):
            imports.update({a.asname: (a.name, None) for a in node.names
                            if a.asname and a.name.split(".")[0] == "fastimg"})
    mentions = {}
    for node in tree.body:
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            mentions[node.name] = names
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        mentions[n.id] = names - {n.id}
    defines_kernels = any(_is_kernel(d) for node in tree.body
                          if isinstance(node, ast.FunctionDef) for d in node.decorator_list)
    return imports, mentions, defines_kernels


def _shared_kernels(module: str, name: str | None, seen: set) -> set:
    """The ``_core`` kernel modules that using ``name`` of the ``_core``
    module ``module`` (None: any of it) may compile."""
    if (module, name) in seen or not module.startswith("fastimg._core"):
        return set()
    seen.add((module, name))
    imports, mentions, defines_kernels = _facts(module)
    if defines_kernels:
        return {module}
    if name is None:
        used = set(imports).union(mentions, *mentions.values())
    elif name in imports:       # a name this module re-exports
        target, attr = imports[name]
        return _shared_kernels(target, attr, seen)
    else:
        used = mentions.get(name, set())
    found = set()
    for n in used:
        if n in imports:
            target, attr = imports[n]
            found |= _shared_kernels(target, attr, seen)
        elif n in mentions:
            found |= _shared_kernels(module, n, seen)
    return found


@functools.lru_cache(maxsize=None)
def kernel_groups() -> dict[str, str]:
    """family -> the families that compile kernels it compiles too, joined
    by ``+`` (the family alone when it shares none); see the comment above."""
    families = {r.family for r in _catalog.ROWS}
    parent: dict[str, str] = {}

    def root(a):
        parent.setdefault(a, a)
        while parent[a] != a:
            a = parent[a]
        return a

    def join(a, b):
        parent[root(a)] = root(b)

    for family in families:
        root(family)
        for path in sorted((_PACKAGE / f"_{family}").glob("*.py")):
            module = f"fastimg._{family}" + ("" if path.stem == "__init__" else f".{path.stem}")
            for target, attr in _facts(module)[0].values():
                other = target.split(".")[1] if "." in target else ""
                if other == "_core":
                    for kernels in _shared_kernels(target, attr, set()):
                        join(family, kernels)
                elif other[1:] in families and other[1:] != family:
                    join(family, other[1:])
    members: dict[str, list[str]] = {}
    for family in sorted(families):
        members.setdefault(root(family), []).append(family)
    return {f: "+".join(group) for group in members.values() for f in group}


def _tasks(rows, dtypes):
    """(calls, dtype, names) per group of kernel-sharing families
    (:func:`kernel_groups`) and dtype, heaviest first: the workers take them
    in this order as they free up, and two workers never compile one kernel
    for one dtype."""
    group_of = kernel_groups()
    groups = {}
    for row in rows:
        for dt in (row.dtypes if dtypes is None else dtypes):
            key = (group_of[row.family], str(dt))
            groups.setdefault(key, []).append(row)
    tasks = [(sum(1 + len(r.warm) for r in rs), dt, [r.qualname for r in rs])
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

    timings = dict.fromkeys((r.qualname for r in rows), 0.0)
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
        rows = [r for r in rows if r.qualname in wanted or r.name in wanted]
        unknown = wanted - {r.qualname for r in rows} - {r.name for r in rows}
        if unknown:
            raise ValueError(f"unknown function(s) {sorted(unknown)}; "
                             f"known: {[r.qualname for r in _catalog.ROWS]}")
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
                with warnings.catch_warnings():
                    # a deprecated function (skimage's square) warns its
                    # callers, not the one compiling it
                    warnings.simplefilter("ignore", FutureWarning)
                    for call in (row.sample, *row.warm):
                        call(f, x)
        key = row.qualname
        timings[key] = time.perf_counter() - t0
        if verbose:
            print(f"  {key:<32} {timings[key]:7.2f} s")
    return timings
