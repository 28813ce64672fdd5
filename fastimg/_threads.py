"""``workers=`` handling: set and restore Numba's thread count per call.

``numba.set_num_threads`` is thread-local, so it is set in the calling thread
on every call and restored afterwards.  Calls from non-main Python threads run
the serial twin of a kernel when the threading layer is not thread-safe
(``workqueue``) or not started yet, so that concurrent callers
(ThreadPoolExecutor, dask's threaded scheduler) never abort the process.
"""
from __future__ import annotations

import contextlib
import operator
import threading

import numba

__all__ = ["resolve_workers", "workers_context", "use_parallel", "nblocks", "SMALL"]

#: Inputs with fewer elements than this run serially: a 2-thread call on a
#: busy machine ran up to 10x slower than 1 thread on small images.
SMALL = 1 << 16

_SAFE_LAYERS = ("tbb", "omp")


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


def use_parallel(n_threads: int, size: int) -> bool:
    """Whether a call with ``n_threads`` on ``size`` elements should go parallel."""
    if n_threads <= 1 or size < SMALL:
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
