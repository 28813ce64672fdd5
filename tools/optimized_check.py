"""Check that fastimg works under ``python -OO``, where docstrings are None.

Imports fastimg, every namespace and every top-level name, and makes one
call of each public function (its catalog row's sample, on a small image
of the row's first dtype), so an import-time docstring edit or anything
else that needs ``__doc__`` fails here.  Run from anywhere::

    python -OO tools/optimized_check.py

Without ``-OO`` the script runs itself again under ``-OO``.  It does not
put the repository on ``sys.path``: it checks the fastimg that is installed.
"""
import os
import subprocess
import sys

# fastimg's own kernels answer the calls (not an anchor while they compile)
os.environ["FASTIMG_JIT"] = "foreground"

import numpy as np  # noqa: E402


def _image(side, dtype):
    # a few distinct values, so thresholds have classes to separate
    x = (np.arange(side * side).reshape(side, side) % 7).astype(np.float64)
    return (x / 6.0 if np.dtype(dtype).kind == "f" else x).astype(dtype)


def check():
    """Import everything and call every public function once; returns the
    number of calls.  Raises on the first failure."""
    import importlib

    import fastimg
    from fastimg._core import catalog

    if fastimg.__doc__ is not None:
        raise RuntimeError("not running under python -OO: fastimg has its docstring")
    for name in fastimg.__all__:
        getattr(fastimg, name)
    calls = 0
    for row in catalog.ROWS:
        namespace = importlib.import_module(f"fastimg.{row.namespace}")
        f = getattr(namespace, row.name)
        try:
            row.sample(f, _image(32, row.dtypes[0]))
        except Exception as exc:
            raise RuntimeError(f"fastimg.{row.namespace}.{row.name} failed under "
                               f"python -OO: {exc!r}") from exc
        calls += 1
    return calls


def main():
    if sys.flags.optimize < 2:
        cmd = [sys.executable, "-OO", os.path.abspath(__file__), *sys.argv[1:]]
        return subprocess.run(cmd, check=False).returncode
    print(f"python -OO: fastimg imported, {check()} public functions called once each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
