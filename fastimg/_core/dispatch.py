"""The one path from a wrapper to a kernel, and ``workers=``.

Kernels are serial range cores, ``core(*args, start, stop)`` looping over
work items ``[start, stop)``, compiled ``nogil`` (``fastimg._core.jit``).  A
call worth splitting (:func:`worth_parallel`: a rough cost per element from
the call site) runs the core on blocks of items from a small pool of Python
threads, the calling thread taking blocks too.

This module is the only place where work is split: :func:`split` turns a
call's size into block bounds (the serial-or-parallel decision and the block
count), :func:`run` calls a range core on them, and :func:`run_blocks` a
Python block body (several kernels or NumPy code per block, or per-block
output rows).  Families never count blocks themselves.

Why not Numba's ``prange``: the parfors pass made a first call
compile about twice as long (``ndimage.gaussian_filter`` float32 512x512,
empty cache: 11.1 s with ``prange`` loops against 3.9 s without, same loaded
machine) for the same speed once compiled; a threading layer brings its own
trouble (OpenMP's barrier stalled on a busy machine, forked pools hung,
``workqueue`` is not thread-safe).  Blocks are taken from a shared counter,
so a thread the OS does not schedule delays a call by at most the block it
holds; forked children start a new pool; calls from many Python threads at
once are safe.

Interrupts: a jitted kernel does not return to Python until it ends, and
Python handles a signal (Ctrl-C) only between bytecodes, so a long call is
always cut into slices of about :data:`SLICE_S` seconds, serial calls
included: a range core's serial run adapts its slices to the time they
take, and :func:`split` never makes a block of more than :data:`SLICE_NS`
estimated work.  When a ``KeyboardInterrupt`` (or any exception) reaches the
calling thread, the helper threads take no further block and the call
returns only after the blocks they hold end, so no kernel keeps running
behind the exception.

``workers=None`` means the calling thread's setting
(:func:`set_num_threads`, default ``NUMBA_NUM_THREADS``: all cores).
"""
from __future__ import annotations

import math
import operator
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["run", "run_blocks", "split", "worth_parallel", "resolve_workers",
           "set_num_threads", "PARALLEL_NS", "BLOCK_NS", "SMALL", "SLICE_S", "SLICE_NS"]

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

#: Seconds a serial run of a range core spends in one kernel call before it
#: returns to Python (where a pending Ctrl-C is raised): short enough that
#: an interrupt is honoured well within a second, long enough that the few
#: microseconds of Python per slice do not show.
SLICE_S = 0.05

#: The same bound on estimated work (ns) for blocks chosen up front, whose
#: count cannot adapt as they run (per-block outputs); cost estimates are
#: rough, so this is a fraction of the second an interrupt may wait.
SLICE_NS = 50_000_000

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


def _max_threads() -> int:
    # Numba's own count (NUMBA_NUM_THREADS, default: the usable cores),
    # imported on first use: importing fastimg must not cost Numba's import
    # when the anchor answers the calls
    import numba
    return numba.config.NUMBA_NUM_THREADS


def resolve_workers(workers) -> int:
    """Translate ``workers`` into a thread count for this call.

    None: this thread's :func:`set_num_threads` (default all cores); -1 (or -k): all cores
    (minus k-1), like SciPy; a positive int up to ``numba.config.NUMBA_NUM_THREADS``.
    """
    n_max = _max_threads()
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


def _nblocks(items: int, n_threads: int) -> int:
    """Four blocks per thread (load balance), at most one per item."""
    return max(1, min(items, 4 * n_threads))


def worth_parallel(n_threads: int, size: int, cost: float = 1.0) -> bool:
    """Whether ``size`` elements at about ``cost`` ns each are worth
    splitting over ``n_threads`` threads (:data:`PARALLEL_NS`)."""
    return n_threads > 1 and size >= SMALL and size * cost >= PARALLEL_NS


_POOL = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """The helper threads of :func:`_parallel_for` (created on first use)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max(1, _max_threads() - 1),
                                       thread_name_prefix="fastimg")
        return _POOL


def _forget_pool() -> None:
    # a forked child has none of the parent's threads: start a new pool
    global _POOL, _POOL_LOCK
    _POOL = None
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _parallel_for(body, nblocks: int, n_threads: int) -> list:
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
    try:
        work()
    except BaseException as exc:
        # a KeyboardInterrupt between two blocks of this thread: helpers
        # take no further block; the ones they hold end below
        with lock:
            if state["error"] is None:
                state["error"] = exc
    finally:
        for f in futures:
            if not f.cancel():  # started: wait for the block it holds
                f.result()
    if state["error"] is not None:
        raise state["error"]
    return results


def split(items, *, size, cost=1.0, n_threads, per_thread=None, min_items=1,
          max_items=None, weights=None) -> list:
    """Block bounds of a call: block ``b`` is items ``[bounds[b],
    bounds[b + 1])`` (Python ints, ``bounds[0] == 0``, ``bounds[-1] ==
    items``).

    One block unless the call is worth splitting (:func:`worth_parallel` of
    ``size`` elements at ``cost`` ns each over ``n_threads``, and at least
    two items).  Then:

    * by default, blocks of about :data:`BLOCK_NS` of work, at least four
      per thread (one item each at most); the work-sized blocks hold at
      least ``min_items`` items (for blocks that recompute a halo);
    * with ``per_thread``, that many blocks per thread, of at least
      ``min_items`` items each (one block at least);
    * with ``weights`` (the work of each item: an array, or a callable
      returning one, evaluated only when the call is split), ``per_thread``
      blocks per thread of about equal total weight; empty ones are dropped.

    ``max_items``: no block holds more items, serial calls included (for
    kernels counting in 32 bits).  Serial calls included too, no block holds
    more than about :data:`SLICE_NS` of estimated work, so that the calling
    thread returns to Python (and honours Ctrl-C) between blocks.
    """
    items = operator.index(items)
    nb = 1
    if items > 1 and worth_parallel(n_threads, size, cost):
        if weights is not None:
            nb = per_thread * n_threads
        elif per_thread is not None:
            nb = max(1, min(items // min_items, per_thread * n_threads))
        else:
            nb = max(_nblocks(items, n_threads),
                     min(items // min_items, int(size * cost // BLOCK_NS)))
    nb = max(nb, min(items // min_items, math.ceil(size * cost / SLICE_NS)))
    if max_items is not None:
        nb = max(nb, -(-items // max_items))
    if weights is not None and nb > 1:
        w = weights() if callable(weights) else weights
        cw = np.concatenate(([0.0], np.cumsum(w)))
        bounds = np.searchsorted(cw, np.linspace(0, cw[-1], nb + 1), side="left")
        bounds[0], bounds[-1] = 0, items
        return np.unique(bounds).tolist()
    return [b * items // nb for b in range(nb + 1)]


def run_blocks(body, bounds, n_threads) -> list:
    """``[body(b, start, stop) for each block b]`` of ``bounds`` (from
    :func:`split`), on ``n_threads`` threads.  For block bodies that are
    more than one call of a range core: per-block output rows, several
    kernels, NumPy code.  ``body`` must release the GIL for its work to run
    in parallel.  The first exception raised by a block is re-raised after
    the started blocks end."""
    if len(bounds) == 2:   # serial: no thread pool
        return [body(0, bounds[0], bounds[1])]
    return _parallel_for(lambda b: body(b, bounds[b], bounds[b + 1]), len(bounds) - 1,
                         n_threads)


def run(core, args, *, items=None, size=None, cost=1.0, workers=None, n_threads=None,
        per_thread=None, min_items=1, bounds=None, flags=False, collect=False):
    """Call a range core on ``[0, items)``, on blocks in parallel when worth
    it; return its result (None for parallel calls without ``flags`` or
    ``collect``).

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
    per_thread, min_items : int, optional
        The block rule (:func:`split`).
    bounds : list of int, optional
        Blocks already chosen by :func:`split` (``items``, ``size``,
        ``cost`` and the block rule are then unused).
    flags : bool
        The core returns an int flag per block; the call returns their OR.
    collect : bool
        Return the list of the blocks' results, in block order.
    """
    n = resolve_workers(workers) if n_threads is None else n_threads
    if bounds is None:
        if items > 1 and worth_parallel(n, size, cost):
            bounds = split(items, size=size, cost=cost, n_threads=n, per_thread=per_thread,
                           min_items=min_items)
        else:
            bounds = (0, items)
            if not collect and size * cost > SLICE_NS:
                return _serial_slices(core, args, items, size * cost, flags)
    if len(bounds) == 2 and not collect:   # serial: no thread pool, no closure
        result = core(*args, bounds[0], bounds[1])
        return int(result) if flags else result
    results = run_blocks(lambda b, start, stop: core(*args, start, stop), bounds, n)
    if collect:
        return results
    if flags:
        out = 0
        for r in results:
            out |= int(r)
        return out
    return None


def _serial_slices(core, args, items, work_ns, flags):
    """``core`` on ``[0, items)`` in this thread, in slices of about
    :data:`SLICE_S` seconds (sized from the estimate first, then from the
    time the previous slice took), so a pending signal is raised between
    two slices; returns the OR of the flags (``flags``) or None."""
    out = 0
    step = max(1, int(items * SLICE_NS / work_ns))
    start = 0
    while start < items:
        stop = min(items, start + step)
        t0 = time.perf_counter()
        r = core(*args, start, stop)
        took = time.perf_counter() - t0
        if flags:
            out |= int(r)
        # at most 4x longer than the last slice: one cheap slice (a border
        # row, a run of zeros) must not make the next one huge
        step = max(1, min(4 * (stop - start), int((stop - start) * SLICE_S / max(took, 1e-6))))
        start = stop
    return out if flags else None
