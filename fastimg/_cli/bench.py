"""``fastimg bench [--quick] [--family NAME] [--size N] [--dtype D]``: time
every public function against its anchor on this machine.

The cases are the catalog's sample calls (the calls the repository's
benchmark suite and the demo time) on the built-in photograph in grey,
resized to ``--size`` and cast to ``--dtype``; the repository's
``benchmarks/`` (pytest-benchmark, more sizes and OpenCV) is not installed
with the package, so this command needs only the package.
"""
from __future__ import annotations

import os
import platform
import warnings

import numpy as np

from .._core import catalog as _catalog
from . import images as _images
from .common import TABLE_HEADER, CliError, Progress
from .demo import TOLERANT, _resolver, _Table

QUICK_SIZE, QUICK_REPEAT = 256, 1


def families() -> list[str]:
    return sorted({r.family for r in _catalog.ROWS})


def _image(size: int, dtype: str) -> np.ndarray:
    grey = _images.grey(_images.fit(_images.photograph(), size))
    if dtype in ("uint8", "uint16"):
        return np.round(grey * np.iinfo(dtype).max).astype(dtype)
    return grey.astype(dtype)


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
    """The ``bench`` command; exit status 1 if a bit-identical result differs."""
    import fastimg
    from .._core import dispatch as _dispatch
    rows = [r for r in _catalog.ROWS if family is None or r.family == family]
    if not rows:
        raise CliError(f"--family {family}: no such family; known: {', '.join(families())}")
    x = _image(size, dtype)
    anchor_fn = _resolver(True)
    table = _Table()
    progress = Progress(len(rows), "fastimg bench")
    warnings.simplefilter("ignore", FutureWarning)
    try:
        for row in rows:
            progress.step(row.qualname)
            ours = _catalog.function(row)
            table.measure(row.qualname, lambda: row.sample(ours, x),
                          lambda: row.sample(anchor_fn(row.qualname), x), repeat,
                          TOLERANT.get(row.qualname, 0.0))
    finally:
        progress.close()
    print(f"fastimg {fastimg.__version__} bench: {len(rows)} function{'s' * (len(rows) != 1)}"
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
    print(f"largest difference from an anchor: {table.worst:.1e} (0 means bit-identical)")
    return 0 if table.worst == 0.0 and not table.failed else 1
