"""``fastimg._core.compiler.main([_, FOLDER, FD, SLOT])``: a compile process
(spawned by ``fastimg._core.tiers``) that compiles the kinds of call queued
in the tier folder ``FOLDER`` into the kernel cache, one after another,
until none is left.

It inherits the lock of its worker slot as file descriptor ``FD`` and holds
it while it works, so at most ``tiers.WORKERS`` such processes run per
folder.  For each queued kind it takes the kind's lock (skipping a kind
another process holds), marks it ``started``, replays the caller's call on a
small corner of its image (the same kernel specialisations) and the
function's warm-up calls for that dtype, then writes ``KIND.ready``.  It
runs at a lower priority and imports Numba and fastimg once for the whole
queue.  A compile that fails or is killed writes no ``ready``: the kernel
cache stays valid (Numba writes each file whole, under fastimg's lock) and
the next call of that kind compiles in its own process.

With the queue empty it gives up its slot, then looks once more: a kind
queued while it was giving up (its caller found every slot busy) is taken
again rather than left waiting.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pickle
import sys


def _queued(folder) -> list:
    """Queued kinds, oldest first."""
    paths = glob.glob(os.path.join(folder, "*.queued"))
    with_times = []
    for p in paths:
        with contextlib.suppress(OSError):
            with_times.append((os.stat(p).st_mtime_ns, p))
    return [os.path.basename(p)[:-len(".queued")] for _, p in sorted(with_times)]


def _compile(folder, kind) -> None:
    """Compile one kind (its lock held by the caller)."""
    spec = os.path.join(folder, f"{kind}.call")
    from fastimg._core.cache import owned_file
    if not owned_file(spec):
        return      # not written by us: never unpickled
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
        return
    ready = os.path.join(folder, f"{kind}.ready")
    tmp = f"{ready}.tmp.{os.getpid()}"
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.replace(tmp, ready)
    with contextlib.suppress(OSError):
        os.unlink(spec)


def _take(folder, kind) -> None:
    """Compile ``kind`` unless another compile process has it."""
    import time

    from fastimg._core import tiers
    fd = tiers._try_lock(folder, kind)
    deadline = time.monotonic() + 2.0
    while fd is None:
        if os.path.exists(os.path.join(folder, f"{kind}.started")) or \
                time.monotonic() > deadline:
            return      # another compile process is on it
        time.sleep(0.02)    # its caller is still writing the call down
        fd = tiers._try_lock(folder, kind)
    try:
        queued = os.path.join(folder, f"{kind}.queued")
        if os.path.exists(os.path.join(folder, f"{kind}.ready")):
            with contextlib.suppress(OSError):
                os.unlink(queued)
            return
        os.close(os.open(os.path.join(folder, f"{kind}.started"),
                         os.O_WRONLY | os.O_CREAT, 0o600))
        with contextlib.suppress(OSError):
            os.unlink(queued)
        # one line per compile started (the tests count them)
        log = os.open(os.path.join(folder, "compiles.log"),
                      os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(log, f"{kind}:{os.getpid()}\n".encode())
        os.close(log)
        with contextlib.suppress(Exception):
            _compile(folder, kind)
    finally:
        os.close(fd)


def main(argv) -> int:
    folder, fd, slot = argv[1], int(argv[2]), int(argv[3])
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)
    from fastimg._core import tiers
    tried: set = set()
    while True:
        kinds = [k for k in _queued(folder) if k not in tried]
        for kind in kinds:
            tried.add(kind)
            _take(folder, kind)
        if kinds:
            continue
        os.close(fd)            # the slot is free ...
        if not [k for k in _queued(folder) if k not in tried]:
            return 0            # ... and nothing was queued meanwhile
        fd = tiers._try_lock(folder, f"worker{slot}")
        if fd is None:
            return 0            # another compile process took the slot


if __name__ == "__main__":
    sys.exit(main(sys.argv))
