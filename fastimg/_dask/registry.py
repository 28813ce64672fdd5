"""The dask twins: one per catalog row, built on first use.

A twin has its public function's name, signature and docstring (behind a
first paragraph naming its strategy).  A call binds the arguments to that
signature, turns the image (the first parameter) into a dask array, and runs
the row's strategy (:mod:`fastimg._dask.strategies`); a call whose
arguments fall outside its strategy (a reshaping result, ``iterations <
1``, an interpolation order above 1, a sampled distance transform) runs the
whole-array strategy instead.  Global operations come from
``fastimg._dask.global_ops`` when that module is installed (``FUNCTIONS``:
namespace -> name -> function), overriding the table's entry.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import warnings

import dask.array as da
import numpy as np

from .._core import catalog
from . import apply
from .distance import run_edt
from .geometry import run_mapped
from .local import NotLocal
from .strategies import STRATEGIES, Strategy

__all__ = ["twin", "populate", "strategy_of", "global_functions", "strategy_table"]

_P = inspect.Parameter
#: the strategies that run by chunks (the others are handled in _run)
_CHUNKED = {"elementwise": apply.run_elementwise, "local": apply.run_local,
            "planewise": apply.run_planewise, "mapped": run_mapped, "passes": run_edt}
_TWINS: dict = {}


@functools.cache
def global_functions() -> dict:
    """``{qualname: function}`` from ``fastimg._dask.global_ops`` (empty
    while that module is absent)."""
    try:
        module = importlib.import_module("fastimg._dask.global_ops")
    except ModuleNotFoundError as e:
        if e.name != "fastimg._dask.global_ops":
            warnings.warn(f"fastimg._dask.global_ops failed to import ({e}): global "
                          f"operations run as whole-array calls", RuntimeWarning, stacklevel=2)
        return {}
    except Exception as e:  # a broken module must not take every twin down
        warnings.warn(f"fastimg._dask.global_ops failed to import ({e!r}): global "
                      f"operations run as whole-array calls", RuntimeWarning, stacklevel=2)
        return {}
    table = getattr(module, "FUNCTIONS", {}) or {}
    return {f"{ns}.{name}": fn for ns, names in table.items() for name, fn in names.items()}


def strategy_of(qualname: str) -> Strategy:
    """The strategy a twin runs (``global`` where global_ops provides it)."""
    if qualname in global_functions():
        return Strategy("global")
    return STRATEGIES[qualname]


class _Context:
    """One call's arguments, as the executors read them."""

    def __init__(self, qualname, sig, given):
        self.qualname = qualname
        self.sig = sig
        self.given = given
        self.image = next(iter(sig.parameters))
        self.params = {n: p.default for n, p in sig.parameters.items()
                       if p.default is not _P.empty}
        self.params.update(given)
        self.positional = [n for n, p in sig.parameters.items()
                           if p.kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)]

    def chunk_call(self, names):
        """The call for chunks: ``workers=1`` unless the caller chose (dask
        already runs the chunks in parallel)."""
        # small array arguments (weights, footprints) given as dask arrays
        # are computed once here, not in every chunk
        arguments = {k: v.compute() if isinstance(v, da.Array) and k not in names else v
                     for k, v in self.given.items()}
        if "workers" in self.sig.parameters and self.given.get("workers") is None:
            arguments["workers"] = 1
        return apply.ChunkCall(self.qualname, arguments, names, self.positional)


def _run(qualname, sig, args, kwargs):
    bound = sig.bind(*args, **kwargs)
    given = dict(bound.arguments)
    strategy = STRATEGIES[qualname]
    ctx = _Context(qualname, sig, given)
    if strategy.kind == "constructor":
        return apply.ChunkCall(qualname, given, (), ctx.positional)()
    if strategy.kind == "mask":
        return apply.run_eager(ctx)
    image = given.get(ctx.image)
    if image is None or not hasattr(image, "ndim") and not isinstance(image, (list, tuple)):
        return apply.run_eager(ctx)
    x = image if isinstance(image, da.Array) else da.asarray(np.asarray(image))
    given[ctx.image] = x
    if any(isinstance(given.get(n), np.ndarray) for n in apply.OUTPUT_ARRAYS):
        return apply.run_eager(ctx)
    if x.size == 0 or any(isinstance(s, float) and np.isnan(s) for s in x.shape):
        return apply.run_eager(ctx)
    runner = _CHUNKED.get(strategy.kind)
    if runner is not None:
        try:
            return runner(ctx, strategy, x)
        except NotLocal:
            pass
        except Exception:
            # a malformed argument: the whole-array call reports it with
            # the function's own exception
            pass
    return apply.run_whole(ctx, strategy, x)


def _doc(row, public):
    kind = strategy_of(row.qualname).kind
    head = (f"Dask twin of ``fastimg.{row.qualname}`` (strategy: ``{kind}``; see "
            f"docs/dask.md).  Takes and returns dask arrays; a NumPy image is "
            f"converted with ``dask.array.asarray``.\n\n")
    return head + (inspect.getdoc(public) or "")


def twin(row):
    """The dask twin of catalog row ``row`` (one object per row)."""
    fn = _TWINS.get(row.qualname)
    if fn is not None:
        return fn
    public = catalog.public(row)
    sig = inspect.signature(public)
    qualname = row.qualname
    glob = global_functions().get(qualname)

    @functools.wraps(public)
    def fn(*args, **kwargs):
        if glob is not None:
            return glob(*args, **kwargs)
        return _run(qualname, sig, args, kwargs)

    fn.__signature__ = sig
    fn.__module__ = f"fastimg.dask.{row.namespace}"
    fn.__qualname__ = row.name
    fn.__doc__ = _doc(row, public)
    return _TWINS.setdefault(qualname, fn)


def populate(module_name: str, namespace: dict) -> list:
    """Give the public module ``fastimg.dask.<ns>`` its twins (built on
    first lookup); returns its ``__all__``."""
    ns = module_name.rpartition(".")[2]
    table = {r.name: r for r in catalog.rows(ns)}

    def __getattr__(name):
        row = table.get(name)
        if row is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        namespace[name] = fn = twin(row)
        return fn

    def __dir__():
        return sorted(set(namespace) | set(table))

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
    return list(table)


def strategy_table() -> str:
    """The strategies as a Markdown table (docs/dask.md carries it)."""
    notes = {"elementwise": "map_blocks", "local": "overlapped blocks, exact depth",
             "planewise": "one chunk per plane (one plane in memory)",
             "passes": "one pass per axis over slabs of whole lines (a slab in memory)",
             "mapped": "each output chunk reads the input region it needs (order <= 1, "
                       "cases in the notes; else whole)",
             "whole": "one chunk: the whole array in one worker's memory",
             "constructor": "no image: the function's own result",
             "mask": "built at call time, one chunk",
             "global": "exact reduction / multi-pass over chunks"}
    lines = ["| function | strategy | how |", "|---|---|---|"]
    for row in catalog.ROWS:
        kind = strategy_of(row.qualname).kind
        lines.append(f"| `{row.qualname}` | {kind} | {notes[kind]} |")
    return "\n".join(lines) + "\n"
