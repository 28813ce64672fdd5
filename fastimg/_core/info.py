"""``fastimg.show_config()`` and ``fastimg info``: what this process runs on."""
from __future__ import annotations

import importlib
import os
import sys

__all__ = ["show_config"]


def _version(module):
    try:
        return importlib.import_module(module).__version__
    except ImportError:
        return "not installed"


def show_config(file=None) -> dict:
    """Print (and return) fastimg's configuration: versions, the JIT mode,
    where the kernel cache is, which tier served the last calls, what is
    compiled in this process, and which names of each mirrored namespace
    are the anchor's own functions.

    Parameters
    ----------
    file : file-like or False, optional
        Where to print (default: standard output); ``False``: print nothing.

    Returns
    -------
    dict
        The same facts.

    Examples
    --------
    >>> import fastimg, io
    >>> facts = fastimg.show_config(file=io.StringIO())
    >>> facts["jit_mode"] in ("background", "foreground", "anchor")
    True
    """
    import fastimg

    from . import catalog, jit, tiers
    from .cache import location
    compiled = {}
    for disp in jit.REGISTRY:
        if disp.signatures:
            compiled[f"{disp.py_func.__module__}.{disp.py_func.__name__}"] = len(disp.signatures)
    folders = sorted({os.path.dirname(p) for p in map(location, jit.REGISTRY) if p})
    facts = {
        "fastimg": fastimg.__version__,
        "python": sys.version.split()[0],
        "numba": _version("numba"), "numpy": _version("numpy"), "scipy": _version("scipy"),
        "scikit-image": _version("skimage"),
        "jit_mode": tiers.jit_mode(),
        "cache_enabled": jit.CACHE_ENABLED,
        "numba_cache_dir": os.environ.get("NUMBA_CACHE_DIR") or None,
        "cache_folders": folders,
        "tier_folder": tiers.tier_folder(),
        "recent_calls": tiers.recent(),
        "calls_per_tier": dict(tiers.COUNTS),
        "background_compiles": tiers.running_compiles(),
        "compiled_kernels": compiled,
        "anchor_names": {ns: catalog.anchor_names(ns) for ns in catalog.namespaces()
                         if catalog.anchor_of(ns)},
    }
    if file is False:
        return facts
    out = file or sys.stdout
    for key in ("fastimg", "python", "numba", "numpy", "scipy", "scikit-image", "jit_mode",
                "cache_enabled", "numba_cache_dir", "tier_folder", "calls_per_tier",
                "background_compiles"):
        print(f"{key + ':':<16} {facts[key]}", file=out)
    print(f"{'cache folders:':<16} {', '.join(folders) or '(none loaded yet)'}", file=out)
    print(f"compiled kernels in this process: {len(compiled)}", file=out)
    for name, tier in facts["recent_calls"][-10:]:
        print(f"  last call {name}: {tier}", file=out)
    for ns, names in facts["anchor_names"].items():
        n_own = len(catalog.rows(ns))
        print(f"fastimg.{ns}: {n_own} fastimg function{'' if n_own == 1 else 's'}, "
              f"{len(names)} names answered by {catalog.anchor_of(ns)}", file=out)
    return facts
