"""``fastimg bench [--quick] [--family NAME] [--size N] [--dtype D]``: time
every public function against its anchor on this machine.

What it runs: the catalog's cases (:mod:`fastimg._cli.cases`), one per
public function: the row's sample call on :func:`~fastimg._cli.cases.
bench_image` (the built-in photograph in grey, ``--size`` square, cast to
``--dtype``), with fastimg's function and with its anchor's; the results
are checked against the anchor's first (bit for bit, or by the function's
rule in ``TOLERANCES``), then each call is timed, best of ``--repeat``
after one untimed call.  The repository's ``benchmarks/bench_catalog.py``
runs the same cases (same image, same calls, same check) under
pytest-benchmark, and ``fastimg demo`` times its catalog part with them;
the other ``benchmarks/bench_<family>.py`` files add sizes, dtypes, OpenCV
and the references, and are not installed with the package: this command
needs only the package.
"""
from __future__ import annotations

import os
import platform
import warnings

import numpy as np

from .._core import catalog as _catalog
from . import cases as _cases
from .common import TABLE_HEADER, CliError, Progress, Table

QUICK_SIZE, QUICK_REPEAT = 256, 1


def families() -> list[str]:
    return sorted({r.family for r in _catalog.ROWS})


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run_bench(size: int, repeat: int, family: str | None, dtype: str) -> int:
    """The ``bench`` command; exit status 1 if a result differs from its
    anchor's beyond its rule or a call fails."""
    import fastimg
    from .._core import dispatch as _dispatch
    cases = _cases.cases(family)
    if not cases:
        raise CliError(f"--family {family}: no such family; known: {', '.join(families())}")
    x = _cases.bench_image(size, dtype)
    table = Table()
    progress = Progress(len(cases), "fastimg bench")
    warnings.simplefilter("ignore", FutureWarning)
    try:
        for case in cases:
            progress.step(case.name)
            table.measure(case.name, lambda: case.ours(x), lambda: case.anchor(x), repeat,
                          lambda r, e: case.check(r, e, x))
    finally:
        progress.close()
    print(f"fastimg {fastimg.__version__} bench: {len(cases)} function{'s' * (len(cases) != 1)}"
          f"{f' (family {family})' if family else ''}, {size}x{size} {dtype}, best of "
          f"{repeat}, {_dispatch.resolve_workers(None)} threads")
    print(TABLE_HEADER)
    print("-" * len(TABLE_HEADER))
    print("\n".join(line[2:] for line in table.lines))
    import numba
    import scipy
    try:
        import skimage
        sk = f", scikit-image {skimage.__version__}"
    except ImportError:
        sk = ", scikit-image not installed"
    print(f"\n{_cpu()}, {os.cpu_count()} logical cores; Python {platform.python_version()}, "
          f"NumPy {np.__version__}, Numba {numba.__version__}, SciPy {scipy.__version__}{sk}")
    print("\n".join(table.summary()))
    return 0 if table.ok else 1
