"""The one path from a wrapper to a kernel, and ``workers=``.

Kernels are serial range cores, ``core(*args, start, stop)`` looping over
work items ``[start, stop)``, compiled ``nogil`` (``fastimg._jit``).  A call
worth splitting (:func:`worth_parallel`: a rough cost per element from the
call site) runs the core on blocks of items from a small pool of Python
threads, the calling thread taking blocks too (:func:`parallel_for`).

Why not Numba's ``prange`` drivers: the parfors pass made a first call
compile about twice as long (``ndimage.gaussian_filter`` float32 512x512,
empty cache: 11.1 s with the drivers against 3.9 s without, same loaded
machine) for the same speed once compiled; a threading layer brings its own
trouble (OpenMP's barrier stalled on a busy machine, forked pools hung,
``workqueue`` is not thread-safe).  Blocks are taken from a shared counter,
so a thread the OS does not schedule delays a call by at most the block it
holds; forked children start a new pool; calls from many Python threads at
once are safe.

``workers=None`` means the calling thread's setting
(:func:`set_num_threads`, default ``NUMBA_NUM_THREADS``: all cores).
"""
from __future__ import annotations

import operator
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numba

__all__ = ["run", "parallel_for", "worth_parallel", "resolve_workers", "set_num_threads",
           "nblocks", "PARALLEL_NS", "BLOCK_NS", "SMALL"]

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

_LOCAL = threading.local()


def set_num_threads(n) -> None:
    """Set the threads fastimg's functions use by default in this thread
    (``workers=None``): an int up to ``NUMBA_NUM_THREADS``, or -1 for all.
    Like ``numba.set_num_threads``, the setting belongs to the calling
    thread; other threads keep the default (all cores).

    Examples
    --------
    >>> import fastimg
    >>> fastimg.set_num_threads(1)
    >>> fastimg.set_num_threads(-1)
    """
    _LOCAL.n_threads = resolve_workers(-1 if n is None else n)


def resolve_workers(workers) -> int:
    """Translate ``workers`` into a thread count for this call.

    None: this thread's :func:`set_num_threads` (default all cores); -1 (or -k): all cores
    (minus k-1), like SciPy; a positive int up to ``numba.config.NUMBA_NUM_THREADS``.
    """
    n_max = numba.config.NUMBA_NUM_THREADS
    if workers is None:
        return getattr(_LOCAL, "n_threads", n_max)
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


def worth_parallel(n_threads: int, size: int, cost: float = 1.0) -> bool:
    """Whether ``size`` elements at about ``cost`` ns each are worth
    splitting over ``n_threads`` threads (:data:`PARALLEL_NS`)."""
    return n_threads > 1 and size >= SMALL and size * cost >= PARALLEL_NS


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


def run(core, args, *, items, size, cost=1.0, workers=None, n_threads=None,
        blocks=None, flags=False):
    """Call a range core on ``[0, items)``, on blocks in parallel when worth
    it; return its result (None for parallel calls without ``flags``).

    Parameters
    ----------
    core : Numba dispatcher
        ``core(*args, start, stop)``.
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
        ``blocks(n_threads)``: the parallel block count (default: blocks of
        about :data:`BLOCK_NS` of work, at least four per thread).
    flags : bool
        The core returns an int flag per block; the call returns their OR.
    """
    n = resolve_workers(workers) if n_threads is None else n_threads
    if worth_parallel(n, size, cost) and items > 1:
        if blocks is not None:
            nb = blocks(n)
        else:
            nb = max(nblocks(items, n), min(items, int(size * cost // BLOCK_NS)))
        results = parallel_for(
            lambda b: core(*args, b * items // nb, (b + 1) * items // nb), nb, n)
        if flags:
            out = 0
            for r in results:
                out |= int(r)
            return out
        return None
    result = core(*args, 0, items)
    return int(result) if flags else result
