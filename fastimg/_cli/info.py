"""``fastimg info``: :func:`fastimg.show_config` plus what the command line
adds: threads, the kernel cache (where, writable, warm), the CPU features
Numba compiles for."""
from __future__ import annotations

import os
import sys

#: CPU features worth naming (vector units Numba's LLVM can use).
_SIMD = ("sse4.2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "neon", "sve")


def _cache_facts():
    """(kernels, warm kernels, folders, writable folders, kernels by family)
    after importing every family (their kernels register as they load)."""
    from .._core import catalog, jit
    for row in catalog.ROWS:
        catalog.function(row)
    total, warm, folders, by_family = 0, 0, set(), {}
    for disp in jit.REGISTRY:
        total += 1
        cache = getattr(disp, "_cache", None)
        index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
        path = getattr(cache, "_cache_path", None)
        if path:
            folders.add(path)
        family = disp.py_func.__module__.split(".")[1]
        counts = by_family.setdefault(family, [0, 0])
        counts[0] += 1
        if index and os.path.exists(index):
            warm += 1
            counts[1] += 1
    writable = {f for f in folders if os.access(f, os.W_OK)}
    return total, warm, sorted(folders), writable, by_family


def _cpu_features():
    try:
        import llvmlite.binding as ll
        name = ll.get_host_cpu_name()
        flags = ll.get_host_cpu_features().flatten().split(",")
    except Exception:  # noqa: BLE001 - an informational line only
        return "unknown", []
    on = {f[1:] for f in flags if f.startswith("+")}
    return name, [f for f in _SIMD if f in on]


def show_info(out=None) -> int:
    """Print the facts; returns 0."""
    out = out or sys.stdout
    import numba

    from fastimg import show_config

    from .._core import dispatch, jit
    show_config(file=out)
    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel region has run in this process yet
        layer = f"not chosen yet (NUMBA_THREADING_LAYER={numba.config.THREADING_LAYER})"
    print(f"{'threads:':<16} {dispatch.resolve_workers(None)} fastimg workers by default; "
          f"Numba {numba.config.NUMBA_NUM_THREADS} threads, layer {layer}; "
          f"{os.cpu_count()} logical cores", file=out)
    cpu, simd = _cpu_features()
    print(f"{'cpu (Numba):':<16} {cpu}; vector features: {' '.join(simd) or 'none found'}",
          file=out)
    total, warm, folders, writable, by_family = _cache_facts()
    if not jit.CACHE_ENABLED:
        print(f"{'kernel cache:':<16} off (FASTIMG_CACHE=0 or no writable location)", file=out)
    else:
        where = os.environ.get("NUMBA_CACHE_DIR") or "each family's __pycache__"
        print(f"{'kernel cache:':<16} {where}; {len(folders)} folders, "
              f"{'all' if len(writable) == len(folders) else len(writable)} writable", file=out)
        state = "warm" if warm == total else ("cold" if warm == 0 else "partly warm")
        print(f"{'cache state:':<16} {state}: {warm} of {total} kernels have compiled code "
              f"on disk{'' if warm == total else ' (fastimg warmup compiles the rest)'}",
              file=out)
        print("kernels cached / defined, by family: " + ", ".join(
            f"{fam} {w}/{n}" for fam, (n, w) in sorted(by_family.items())), file=out)
    return 0
