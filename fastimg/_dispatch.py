"""The one path from a wrapper to a kernel, and ``workers=``.

Kernel twins are named ``foo`` (serial core) and, for block twins only,
``foo_par`` (a ``prange`` driver).  Two shapes exist:

* range cores: ``foo(*args, start, stop)`` loops over work items
  ``[start, stop)``.  :func:`run` splits the items into blocks and runs the
  core on them from a small pool of Python threads (the cores are compiled
  ``nogil``), the calling thread taking blocks too.  No ``prange`` driver is
  compiled for them: Numba's parfors pass made a first call compile about
  twice as long (``ndimage.gaussian_filter`` float32 512x512, empty cache:
  9.7 s with the drivers against 3.8-5.1 s without, same run), for the same
  speed once compiled.  Blocks are taken from a shared counter, so a thread
  the OS does not schedule (a busy machine) delays the call by at most the
  block it holds, and forked children simply start a new pool.
* block twins: ``foo(*args, nblocks)`` and ``foo_par(*args, nblocks)`` both
  take the block count (the histogram kernels, whose blocks bound the size of
  their uint32 sub-histograms); the driver runs under Numba's threading layer
  with the call's thread count set and restored in the calling thread.

Calls from non-main Python threads run a block twin's serial version when
Numba's threading layer is not thread-safe (``workqueue``) or not started
yet, so that concurrent callers (ThreadPoolExecutor, dask's threaded
scheduler) never abort the process.  Range cores have no such limit.
"""
from __future__ import annotations

import contextlib
import ctypes
import glob
import operator
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

__all__ = ["run", "parallel_for", "worth_parallel", "PARALLEL_NS", "set_num_threads", "choose_threading_layer", "resolve_workers", "workers_context", "use_parallel", "nblocks", "SMALL"]

#: Inputs with fewer elements than this run serially: a 2-thread call on a
#: busy machine ran up to 10x slower than 1 thread on small images.
SMALL = 1 << 16

#: Calls whose estimated serial work (``size * cost`` ns) is below this run
#: on one thread.  With another process holding a core, a helper thread
#: descheduled while it holds a block delays the call by up to a scheduler
#: time slice (a few ms): measured on a loaded 2-core machine, 512x512
#: ``gaussian_filter`` (about 1.3 ms) took 1.9x longer on 2 threads than on
#: one and ``invert`` (0.03 ms) 6x, while calls of 20 ms and more stayed
#: within 1.2x.  Costs per element are rough serial ns figures from the same
#: runs, given by each call site.
PARALLEL_NS = 4_000_000

#: Target serial work per block of a range core (ns): a thread descheduled
#: while holding a block delays the call by that block's remaining work
#: stretched by the machine's load, so blocks are kept short (a block costs
#: a few microseconds of Python to hand out).
BLOCK_NS = 500_000

_SAFE_LAYERS = ("tbb", "omp")

#: fastimg's choice when the user has not named a layer: TBB's work stealing
#: lets the calling thread do the work of a descheduled one, and workqueue
#: has no barrier to stall on.  Numba's own default would take OpenMP in a
#: plain venv (pip's TBB is not on the loader's path there), whose barrier
#: waited for scheduler quanta when another process held a core (a 512x512
#: histogram: 73-104 ms against 0.4 ms with one thread) and which hangs a
#: fork-based process pool after one parallel call.
LAYER_PRIORITY = ["tbb", "workqueue", "omp"]


def _user_chose_layer() -> bool:
    return any(os.environ.get(v) for v in ("NUMBA_THREADING_LAYER",
                                            "NUMBA_THREADING_LAYER_PRIORITY"))


def _preload_pip_tbb() -> bool:
    """Load pip's ``libtbb.so.12`` from ``<prefix>/lib`` (where the ``tbb``
    wheel puts it; the loader does not search there in a virtual
    environment), so that Numba's TBB layer can import.  True if loaded."""
    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix)):
        for path in sorted(glob.glob(os.path.join(prefix, "lib", "libtbb.so.12*"))):
            try:
                ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
                return True
            except OSError:
                continue
    return False


def choose_threading_layer() -> None:
    """Apply :data:`LAYER_PRIORITY` unless the user set Numba's layer
    variables or a layer is already running.  Called once at import."""
    if _user_chose_layer() or numba.config.THREADING_LAYER != "default":
        return
    try:
        numba.threading_layer()
        return  # already started by other code: leave it
    except ValueError:
        pass
    _preload_pip_tbb()
    numba.config.THREADING_LAYER_PRIORITY = list(LAYER_PRIORITY)


def set_num_threads(n) -> None:
    """Set the threads fastimg's functions use by default in this thread
    (``workers=None``): an int up to ``NUMBA_NUM_THREADS``, or -1 for all.

    Examples
    --------
    >>> import fastimg
    >>> fastimg.set_num_threads(1)
    >>> fastimg.set_num_threads(-1)
    """
    numba.set_num_threads(resolve_workers(-1 if n is None else n))


def resolve_workers(workers) -> int:
    """Translate ``workers`` into a thread count for this call.

    None: Numba's current setting for this thread; -1 (or -k): all cores
    (minus k-1), like SciPy; a positive int up to ``numba.config.NUMBA_NUM_THREADS``.
    """
    n_max = numba.config.NUMBA_NUM_THREADS
    if workers is None:
        return numba.get_num_threads()
    try:
        w = operator.index(workers)
    except TypeError:
        raise ValueError(
            f"workers must be None or an integer, got {workers!r}") from None
    if w < 0:
        w = n_max + 1 + w
        if w < 1:
            raise ValueError(
                f"workers value out of range; got {workers}, must not be"
                f" less than {-n_max}")
        return w
    if w == 0:
        raise ValueError("workers must not be zero")
    if w > n_max:
        raise ValueError(
            f"workers={w} exceeds the {n_max} threads Numba was started with"
            " (NUMBA_NUM_THREADS)")
    return w


def nblocks(items: int, n_threads: int) -> int:
    """Blocks for a ``prange`` driver: four per thread (load balance), at
    most one per item."""
    return max(1, min(items, 4 * n_threads))


def _layer_is_safe() -> bool:
    try:
        return numba.threading_layer() in _SAFE_LAYERS
    except ValueError:  # layer not initialised yet
        return False


def worth_parallel(n_threads: int, size: int, cost: float = 1.0) -> bool:
    """Whether ``size`` elements at about ``cost`` ns each are worth
    splitting over ``n_threads`` threads (:data:`PARALLEL_NS`)."""
    return n_threads > 1 and size >= SMALL and size * cost >= PARALLEL_NS


def use_parallel(n_threads: int, size: int, cost: float = 1.0) -> bool:
    """Whether a block twin's Numba driver should run (:func:`worth_parallel`,
    and a threading layer safe for this thread)."""
    if not worth_parallel(n_threads, size, cost):
        return False
    if threading.current_thread() is threading.main_thread():
        return True
    return _layer_is_safe()


@contextlib.contextmanager
def workers_context(n_threads: int):
    """Set Numba's thread count in this thread for the duration of a call."""
    old = numba.get_num_threads()
    if n_threads == old:
        yield
        return
    numba.set_num_threads(n_threads)
    try:
        yield
    finally:
        numba.set_num_threads(old)


_POOL = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """The helper threads of :func:`parallel_for` (created on first use)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max(1, numba.config.NUMBA_NUM_THREADS - 1),
                                       thread_name_prefix="fastimg")
        return _POOL


def _forget_pool() -> None:
    # a forked child has none of the parent's threads: start a new pool
    global _POOL, _POOL_LOCK
    _POOL = None
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def parallel_for(body, nblocks: int, n_threads: int) -> list:
    """``[body(b) for b in range(nblocks)]`` on ``n_threads`` threads.

    The calling thread is one of them: it takes blocks from the shared
    counter like the helpers, so the call finishes even if no helper thread
    gets a core (or the pool is busy with other callers), and it waits only
    for blocks a helper has already started.  ``body`` must release the GIL
    for its work (a ``nogil`` kernel) to run in parallel.  The first
    exception raised by a block is re-raised after the started blocks end.
    """
    results = [None] * nblocks
    lock = threading.Lock()
    state = {"next": 0, "error": None}

    def work():
        while True:
            with lock:
                b = state["next"]
                if b >= nblocks or state["error"] is not None:
                    return
                state["next"] = b + 1
            try:
                results[b] = body(b)
            except BaseException as exc:  # re-raised in the calling thread
                with lock:
                    if state["error"] is None:
                        state["error"] = exc
                return

    helpers = min(n_threads, nblocks) - 1
    futures = [_pool().submit(work) for _ in range(helpers)] if helpers > 0 else []
    work()
    for f in futures:
        if not f.cancel():  # started: wait for the block it holds
            f.result()
    if state["error"] is not None:
        raise state["error"]
    return results


def run(serial, parallel, args, *, items, size, cost=1.0, workers=None, n_threads=None,
        blocks=None, serial_blocks=None, flags=False):
    """Call a kernel's serial core, on blocks in parallel when worth it;
    return its result.

    Parameters
    ----------
    serial : Numba dispatcher
        The core ``foo``: a range core ``foo(*args, start, stop)``, or a
        block twin ``foo(*args, nblocks)`` when ``serial_blocks`` is given.
    parallel : Numba dispatcher or None
        Block twins: the driver ``foo_par(*args, nblocks)``.  Range cores
        need none (:func:`parallel_for` splits them); pass None.
    args : tuple
        The leading arguments.
    items : int
        Work items (rows, lines, pixels) that may be split into blocks.
    size : int
        Elements touched, for the serial-or-parallel decision.
    cost : float
        Rough serial time per element of ``size`` in ns (a 3x3 float32
        correlation: about 5): the call goes parallel when ``size * cost``
        reaches :data:`PARALLEL_NS`.
    workers : int or None
        The public ``workers=`` (ignored when ``n_threads`` is given).
    n_threads : int, optional
        An already resolved thread count.
    blocks : callable, optional
        ``blocks(n_threads)``: the parallel block count (default
        :func:`nblocks` of ``items``).
    serial_blocks : int, optional
        Block twins: the block count the serial twin gets.
    flags : bool
        The core returns an int flag per block; the call returns their OR.
        (A block twin's driver instead takes an int64 array of one flag per
        block.)
    """
    n = resolve_workers(workers) if n_threads is None else n_threads
    if serial_blocks is not None:
        if use_parallel(n, size, cost) and items > 1:
            nb = blocks(n) if blocks is not None else nblocks(items, n)
            with workers_context(n):
                if flags:
                    block_flags = np.zeros(nb, dtype=np.int64)
                    parallel(*args, block_flags, nb)
                    return int(np.bitwise_or.reduce(block_flags))
                return parallel(*args, nb)
        result = serial(*args, serial_blocks)
        return int(result) if flags else result
    if worth_parallel(n, size, cost) and items > 1:
        if blocks is not None:
            nb = blocks(n)
        else:
            nb = max(nblocks(items, n), min(items, int(size * cost // BLOCK_NS)))
        results = parallel_for(
            lambda b: serial(*args, b * items // nb, (b + 1) * items // nb), nb, n)
        if flags:
            out = 0
            for r in results:
                out |= int(r)
            return out
        return None
    result = serial(*args, 0, items)
    return int(result) if flags else result


choose_threading_layer()
