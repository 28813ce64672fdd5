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
instead of failing at import.  Every cached kernel goes through
:func:`fastimg._core.cache.harden` (locked index, owner-only files, nothing
loaded that another user wrote).
"""
from __future__ import annotations

import inspect
import os

import numba

from . import cache

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


def _make(fn):
    global CACHE_ENABLED
    # never parallel=True: fastimg/_core/dispatch.py runs cores on its own
    # threads (Numba's parfors doubled compile times)
    opts = dict(OPTIONS)
    if CACHE_ENABLED:
        try:
            cache.prepare_folder(inspect.getfile(fn))
            disp = numba.njit(cache=True, **opts)(fn)
            cache.harden(disp)
            cache.check_location(disp)
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
