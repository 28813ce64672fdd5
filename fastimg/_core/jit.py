"""The one place where Numba options are chosen.

Every jitted function in fastimg is created here, once, at import time of the
module that defines it (never per call):

* ``kernel``          serial core: ``nogil=True``, ``error_model="numpy"``,
  ``fastmath=False``, lazily compiled, cached on disk when possible.
* ``overload(py_func)`` a ``numba.extending.overload`` with the same options
  (a generic helper resolved per argument type at compile time).

Caching: on by default; ``FASTIMG_CACHE=0`` turns it off.  If Numba finds no
writable cache location (read-only install, no home directory) decorating with
``cache=True`` raises; the probe catches that once and falls back to no cache
instead of failing at import.

Processes sharing one cache: Numba's index update is a read-modify-write
with no lock, so two processes saving different signatures of one function
at the same time can give both the same data file name, and a later process
then loads one signature's machine code for the other (a crash or a wrong
result).  fastimg takes an advisory file lock (``flock``, POSIX) around each
of its kernels' index loads and saves, which makes parallel ``fastimg
warmup`` and pools of first-calling processes safe.  Without ``fcntl``
(Windows) Numba's own behaviour is kept.
"""
from __future__ import annotations

import os

import numba

try:
    import fcntl
except ImportError:  # Windows: no flock; Numba's unlocked behaviour
    fcntl = None

__all__ = ["kernel", "overload", "REGISTRY", "OVERLOADS",
           "CACHE_ENABLED", "OPTIONS", "OVERLOAD_OPTIONS"]

#: Options every fastimg kernel is compiled with.
OPTIONS = {"nogil": True, "error_model": "numpy", "fastmath": False}

#: Options of every ``@overload`` (an overload is inlined into the kernel that
#: calls it, so its own options must not differ; fastmath is the caller's).
OVERLOAD_OPTIONS = {"nogil": True, "error_model": "numpy"}

#: Every dispatcher created through this module, in creation order.
REGISTRY: list = []
#: Every overload created through this module: (python function, options).
OVERLOADS: list = []


def _cache_wanted() -> bool:
    return os.environ.get("FASTIMG_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


CACHE_ENABLED = _cache_wanted()


def _locked(method, lock_path):
    """``method`` run while holding an exclusive flock on ``lock_path``."""
    def call(*args):
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            # no cache folder yet (nothing to load) or not writable: Numba
            # handles both itself
            return method(*args)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return method(*args)
        finally:
            os.close(fd)  # closing releases the lock
    return call


def lock_cache_file(disp) -> bool:
    """Serialise the on-disk cache index of dispatcher ``disp`` across
    processes (see the module docstring); True if a lock was installed."""
    cache_file = getattr(getattr(disp, "_cache", None), "_cache_file", None)
    index_path = getattr(cache_file, "_index_path", None)
    if fcntl is None or index_path is None:
        return False
    lock_path = index_path + ".lock"
    cache_file.save = _locked(cache_file.save, lock_path)
    cache_file.load = _locked(cache_file.load, lock_path)
    return True


def _make(fn):
    global CACHE_ENABLED
    # never parallel=True: fastimg/_dispatch.py runs cores on its own
    # threads (Numba's parfors doubled compile times)
    opts = dict(OPTIONS)
    if CACHE_ENABLED:
        try:
            disp = numba.njit(cache=True, **opts)(fn)
            lock_cache_file(disp)
        except RuntimeError:
            # "cannot cache function ...: no locator available": nowhere to
            # write the cache.  Run without it rather than fail at import.
            CACHE_ENABLED = False
            disp = numba.njit(cache=False, **opts)(fn)
    else:
        disp = numba.njit(cache=False, **opts)(fn)
    REGISTRY.append(disp)
    return disp


def kernel(fn):
    """Compile ``fn`` as a serial fastimg kernel (lazy signatures)."""
    return _make(fn)


def overload(py_func):
    """``numba.extending.overload(py_func)`` with fastimg's options."""
    from numba.extending import overload as _numba_overload

    def register(impl):
        OVERLOADS.append((py_func, dict(OVERLOAD_OPTIONS)))
        return _numba_overload(py_func, jit_options=dict(OVERLOAD_OPTIONS))(impl)
    return register
