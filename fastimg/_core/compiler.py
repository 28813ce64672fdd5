"""``fastimg._core.compiler.main([_, FOLDER, KIND, FD])``: compile one kind of
call into the kernel cache, in a process of its own (spawned by
``fastimg._core.tiers``).

It inherits the kind's lock as file descriptor ``FD`` and holds it until it
exits, so no other process starts the same compile; it runs at a lower
priority, replays the caller's call on a small corner of its image (the
same kernel specialisations) and the function's warm-up calls for that
dtype, then writes ``KIND.ready``.  A compile that fails or is killed writes
nothing: the kernel cache stays valid (Numba writes each file whole, under
fastimg's lock) and the next call compiles in its own process.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import sys


def main(argv) -> int:
    folder, kind, fd = argv[1], argv[2], int(argv[3])
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)
    # one line per compile started (the tests count them)
    log = os.open(os.path.join(folder, "compiles.log"),
                  os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.write(log, f"{kind}:{os.getpid()}\n".encode())
    os.close(log)
    spec = os.path.join(folder, f"{kind}.call")
    from fastimg._core.cache import owned_file
    if not owned_file(spec):
        return 1    # not written by us: never unpickled
    with open(spec, "rb") as fh:
        namespace, name, args, kwargs = pickle.load(fh)

    import numpy as np

    from fastimg._core import catalog, jit, tiers, warmup
    tiers.set_jit_mode("foreground")
    row = catalog.find_row(f"{namespace}.{name}")
    fn = catalog.function(row)
    with contextlib.suppress(Exception):   # an error path compiles what it uses too
        fn(*args, **kwargs)
    dtype = args[0].dtype.name if args and isinstance(args[0], np.ndarray) else None
    if dtype in row.dtypes:
        warmup.warmup(dtypes=[dtype], functions=[row.qualname])
    if not jit.CACHE_ENABLED:
        return 1
    ready = os.path.join(folder, f"{kind}.ready")
    tmp = f"{ready}.tmp.{os.getpid()}"
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.replace(tmp, ready)
    with contextlib.suppress(OSError):
        os.unlink(spec)
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
