"""Tiered execution: the anchor answers while fastimg's kernels compile.

fastimg's results equal its anchor's by contract, so the anchor is a correct
first tier.  A public function with an anchor is exposed as a
:class:`Tiered` callable.  In the default ``background`` mode a call whose
kernels are not ready is answered by the anchor (SciPy or scikit-image,
``workers`` dropped; not where its result is undefined: ``anchor_limits``),
and a compile of exactly that kind of call starts in a spawned,
lower-priority process (``fastimg._core.compiler``) that fills the shared
on-disk cache; once it is done, a thread of this process loads the kernels
from the cache, and the calls after that run fastimg's kernels.  Nothing here
imports Numba or a family until fastimg's tier is used: a first call costs
what the anchor's costs.

A *kind* of call is the function plus the types of its arguments (an
array's dtype, dimensions and memory order; a scalar's type): what decides
which kernel specialisations it needs.  A kind compiled by another process
is loaded from its second call on, once the process has run a second
(:data:`LOAD_AFTER_S`): a short script never pays for loading Numba.  Per
kind, files in the tier folder (beside the kernel cache, owner-only) say
``queued`` (waiting for a compile process), ``ready`` (compiled into the
cache) or ``started`` (a compile ran; with its lock free and no ``ready``,
it failed or was killed).  A lock per kind makes one compile per kind on
the machine, however many processes ask at once; at most :data:`WORKERS`
compile processes run per folder, each taking queued kinds in turn.

Modes (``FASTIMG_JIT``, or :func:`set_jit_mode`):

* ``background`` (default): as above;
* ``foreground``: fastimg's kernels always, compiled in the calling process
  when needed (the test suite and the benchmarks use this);
* ``anchor``: the anchor always, where it can answer.

The call compiles in the foreground whatever the mode when tiering cannot
apply: no anchor installed, an option only fastimg has (``workers`` aside),
the kernel cache off or not writable, a compile that failed before, or a
platform that cannot start processes."""
from __future__ import annotations

import collections
import contextlib
import glob
import hashlib
import importlib
import os
import pickle
import subprocess
import sys
import threading
import time

from .anchor_limits import anchor_defined
from .cache import owned_file

__all__ = ["Tiered", "set_jit_mode", "jit_mode", "MODES", "recent", "tier_folder", "call_kind",
           "running_compiles"]

MODES = ("background", "foreground", "anchor")
#: A kind compiled by another process is loaded into this one from its
#: second call, once the process has run this long (s): loading Numba and
#: the kernels takes a few tenths of a second that a short script would
#: spend waiting for the loading thread at exit.
LOAD_AFTER_S = 1.0
_T0 = time.monotonic()
_ENV = "FASTIMG_JIT"
_lock = threading.Lock()
_state = {"mode": None, "folder": False}
#: (qualified name, tier) of the last calls, newest last
_RECENT: collections.deque = collections.deque(maxlen=32)
#: calls served per tier ("fastimg", "anchor") in this process
COUNTS: collections.Counter = collections.Counter()
#: kinds of call this process runs on fastimg's kernels
_READY: set = set()
#: kind -> "compiling" (waited for), "seen" (compiled by another process,
#: called once here) or "loading" (a thread of this process loads its
#: kernels)
_KIND_STATE: dict = {}


def _after_fork_in_child() -> None:
    # a forked child has none of the parent's threads: a lock one of them
    # held would never be released, and a kernel load it ran never ends here
    global _lock
    _lock = threading.Lock()
    for kind, state in list(_KIND_STATE.items()):
        if state == "loading":
            _KIND_STATE[kind] = "seen"


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _mode_from_env() -> str:
    mode = os.environ.get(_ENV, "background").strip().lower() or "background"
    return mode if mode in MODES else "background"


def jit_mode() -> str:
    """The current mode (see the module docstring)."""
    if _state["mode"] is None:
        _state["mode"] = _mode_from_env()
    return _state["mode"]


def set_jit_mode(mode: str) -> None:
    """Choose how calls whose kernels are not compiled yet are served:
    ``'background'`` (the anchor answers while fastimg compiles in another
    process), ``'foreground'`` (compile in this process, as a plain Numba
    library would) or ``'anchor'`` (the anchor always).  The default comes
    from the ``FASTIMG_JIT`` environment variable.

    Examples
    --------
    >>> import fastimg
    >>> fastimg.set_jit_mode("foreground")
    >>> fastimg.set_jit_mode("background")
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES} (got {mode!r})")
    _state["mode"] = mode


def recent() -> list:
    """``(function, tier)`` of the last calls, oldest first; tier is
    ``'fastimg'`` or the anchor's module name."""
    return list(_RECENT)


# ---------------------------------------------------------------- kinds
def _kind_of(value) -> str:
    import numpy as np
    if isinstance(value, np.ndarray):
        order = "C" if value.flags.c_contiguous else "F" if value.flags.f_contiguous else "A"
        return f"a{value.dtype.str}{value.ndim}{order}{'' if value.flags.writeable else 'r'}"
    if isinstance(value, (list, tuple)):
        try:
            return "l" + _kind_of(np.asarray(value))
        except Exception:       # ragged or odd: its own kind
            return type(value).__name__
    if isinstance(value, (type, np.dtype)):
        try:
            return "d" + np.dtype(value).str
        except TypeError:
            return type(value).__name__
    return type(value).__name__


def call_kind(qualname: str, args, kwargs) -> str:
    """The kind of a call (see the module docstring), as a short hex key."""
    text = "|".join([qualname, ",".join(map(_kind_of, args)),
                     ",".join(f"{k}={_kind_of(v)}" for k, v in sorted(kwargs.items()))])
    return hashlib.sha1(text.encode()).hexdigest()[:20]


# ---------------------------------------------------------------- where
def _stamp() -> str:
    """What the kernel cache's validity depends on: fastimg's sources,
    Numba's installation, the interpreter and the machine (cheap: no Numba
    import, no subprocess)."""
    import importlib.util
    import platform
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    h = hashlib.sha1()
    for root, _, files in sorted(os.walk(pkg)):
        for f in sorted(files):
            if f.endswith(".py"):
                st = os.stat(os.path.join(root, f))
                h.update(f"{root}/{f}:{st.st_size}:{st.st_mtime_ns};".encode())
    spec = importlib.util.find_spec("numba")
    numba_id = "?"
    if spec is not None and spec.origin:
        st = os.stat(spec.origin)
        numba_id = f"{spec.origin}:{st.st_size}:{st.st_mtime_ns}"
    cpu = ""
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            cpu = next((line for line in fh if line.startswith("model name")), "")
    h.update(f"{numba_id}|{sys.version}|{platform.machine()}|{cpu}".encode())
    return h.hexdigest()[:16]


def tier_folder() -> str | None:
    """The owner-only folder of the tier files (None: tiering cannot apply
    here: the cache is off, or no folder beside it can be written)."""
    with _lock:
        if _state["folder"] is not False:
            return _state["folder"]
        folder = None
        off = os.environ.get("FASTIMG_CACHE", "1").strip().lower() in ("0", "false", "no", "off")
        if not off:
            root = os.environ.get("NUMBA_CACHE_DIR") or os.path.join(
                os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "__pycache__")
            path = os.path.join(root, "fastimg-tiers", _stamp())
            try:
                from .cache import private_makedirs
                private_makedirs(path)
                if os.stat(path).st_uid == os.geteuid() and os.access(path, os.W_OK):
                    folder = path
            except (OSError, AttributeError):
                folder = None
        _state["folder"] = folder
        return folder


def _path(folder, kind, suffix):
    return os.path.join(folder, f"{kind}.{suffix}")


def running_compiles(prefix: str | None = None) -> list:
    """Pids of the background compile processes at work (Linux: read from
    ``/proc``; empty elsewhere), those whose tier folder starts with
    ``prefix`` if given (a ``NUMBA_CACHE_DIR``, say)."""
    pids = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(cmdline, "rb") as fh:
                args = fh.read().split(b"\0")
        except OSError:
            continue
        if not any(b"fastimg._core.compiler" in a for a in args):
            continue
        if prefix is None or any(a.startswith(prefix.encode()) for a in args):
            pids.append(int(cmdline.split("/")[2]))
    return pids


def _try_lock(folder, kind):
    """An fd holding the kind's compile lock, or None if another process
    holds it (a compile of this kind is running)."""
    import fcntl
    fd = os.open(_path(folder, kind, "lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _status(folder, kind) -> str:
    """``'ready'``, ``'compiling'`` (queued or compiling), ``'failed'`` or
    ``'new'``."""
    if owned_file(_path(folder, kind, "ready")):
        return "ready"
    if os.path.exists(_path(folder, kind, "queued")):
        # queued with no compile process alive: the process was killed
        # (or failed) before it got there, which counts as a failed compile
        return "compiling" if _workers_busy(folder) else "failed"
    if not os.path.exists(_path(folder, kind, "started")):
        return "new"
    fd = _try_lock(folder, kind)
    if fd is None:
        return "compiling"
    os.close(fd)
    # a compile ran and ended without saying ready: it failed or was killed
    return "ready" if owned_file(_path(folder, kind, "ready")) else "failed"


# ---------------------------------------------------------------- the work
#: Compile processes per tier folder at most (machine-wide): each one takes
#: the queued kinds one after another, so a script calling fifteen
#: functions starts one or two processes that import Numba once each, not
#: fifteen that compete with it for the cores (measured on 2 cores: the
#: tour script's first run took 2.9 s against the anchors' 0.8 s with a
#: process per kind).
WORKERS = max(1, min(4, (os.cpu_count() or 2) // 2))

#: The compile process: lower priority first, then a pause before any heavy
#: import, so a short script that started it ends without sharing the
#: machine with it (measured: a 0.2 s script took 0.33 s when the compile
#: started at once, 0.22 s when it waited), then fastimg._core.compiler.
_COMPILER = ("import os, sys, time\n"
             "try:\n    os.nice(10)\nexcept (AttributeError, OSError):\n    pass\n"
             "time.sleep(0.5)\n"
             "from fastimg._core.compiler import main\n"
             "sys.exit(main(['fastimg._core.compiler', *sys.argv[1:]]))\n")


def _start_compile(folder, row, kind, args, kwargs) -> str:
    """Queue the compile of ``kind`` unless one runs, and make sure a
    compile process will take it: ``'compiling'``, ``'ready'`` (it ended
    meanwhile) or ``'unable'`` (no process could be started, or the call
    cannot be replayed: compile here)."""
    fd = _try_lock(folder, kind)
    if fd is None:
        return "compiling"      # in another process
    try:
        if owned_file(_path(folder, kind, "ready")):
            return "ready"
        spec = _path(folder, kind, "call")
        with open(os.open(spec, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            pickle.dump(_small_call(row, args, kwargs), fh)
        os.close(os.open(_path(folder, kind, "queued"), os.O_WRONLY | os.O_CREAT, 0o600))
    except (OSError, pickle.PicklingError, TypeError, AttributeError, ValueError):
        return "unable"
    finally:
        os.close(fd)
    # queued first, then a worker: a worker that finds no queue releases its
    # slot and looks once more, so a kind queued meanwhile is never left
    if _ensure_worker(folder):
        return "compiling"
    with contextlib.suppress(OSError):
        os.unlink(_path(folder, kind, "queued"))
    return "unable"


def _workers_busy(folder) -> bool:
    """Whether a compile process holds one of the folder's worker slots."""
    for slot in range(WORKERS):
        fd = _try_lock(folder, f"worker{slot}")
        if fd is None:
            return True
        os.close(fd)
    return False


def _ensure_worker(folder) -> bool:
    """Start a compile process in a free worker slot (it inherits the
    slot's lock and holds it while it lives); if every slot is busy, a
    running one takes the queue.  False: no process could be started."""
    for slot in range(WORKERS):
        fd = _try_lock(folder, f"worker{slot}")
        if fd is None:
            continue
        try:
            env = dict(os.environ, FASTIMG_JIT="foreground")
            # its own session: it finishes the queue if this process exits
            # or is interrupted, then ends
            subprocess.Popen([sys.executable, "-c", _COMPILER, folder, str(fd), str(slot)],
                             env=env, pass_fds=(fd,), start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, close_fds=True)
            return True
        except OSError:
            return False
        finally:
            os.close(fd)
    return True


def _small_call(row, args, kwargs):
    """The call with its image (the first argument) cut to a corner of at
    most 64 pixels a side, and arrays of the image's shape (``output=``)
    likewise: the same kernel specialisations, compiled in milliseconds."""
    import numpy as np
    args = list(args)
    shape = None
    if args:
        img = np.asarray(args[0])
        shape = img.shape
        # a copy keeps the dtype (byte order included) and the memory order
        args[0] = np.array(img[tuple(slice(0, 64) for _ in shape)], order="K")

    def small(v):
        if isinstance(v, np.ndarray) and shape is not None and v.shape == shape:
            return np.zeros(args[0].shape, v.dtype)
        return v
    return (row.namespace, row.name, tuple(small(a) for a in args),
            {k: small(v) for k, v in kwargs.items()})


def _load_in_thread(row, kind, args, kwargs) -> None:
    """Load the compiled kernels of ``kind`` from the cache in a thread of
    this process; calls stay on the anchor until it is done."""
    def load():
        try:
            ns, name, a, kw = _small_call(row, args, kwargs)
            fn = _fastimg_function(row)
            with contextlib.suppress(Exception):
                fn(*a, **kw)
        finally:
            with _lock:
                _READY.add(kind)
    threading.Thread(target=load, name="fastimg-load", daemon=False).start()


_OWN: dict = {}


def _fastimg_function(row):
    # resolved once per row: this is on every call's path
    fn = _OWN.get(row.qualname)
    if fn is None:
        family = importlib.import_module(f"fastimg._{row.family}")
        fn = _OWN[row.qualname] = getattr(family, row.impl)
    return fn


#: (anchor module, name) -> the anchor's function that fastimg.accelerate()
#: replaced by a proxy calling this tier: the tier must answer with it
ORIGINALS: dict = {}


def _anchor(row):
    fn = ORIGINALS.get((row.anchor, row.name))
    if fn is not None:
        return fn
    try:
        fn = getattr(importlib.import_module(row.anchor), row.name)
    except (ImportError, AttributeError):
        return None
    # a lazily loaded module gets its proxy at this first lookup
    fn = ORIGINALS.get((row.anchor, row.name), fn)
    # the anchor's module may hold fastimg's own function (patched in by the
    # anchor suites' tests or a user): it would call this tier again forever
    if (getattr(fn, "__module__", "") or "").split(".")[0] == "fastimg":
        return None
    return fn


def _serve(row, args, kwargs):
    """The function that answers this call (fastimg's or the anchor's) and
    the keyword arguments to pass it."""
    mode = jit_mode()
    own = _fastimg_function
    if mode == "foreground" or any(k in row.extras and k != "workers" for k in kwargs):
        return own(row), kwargs
    anchor = _anchor(row)
    if anchor is None:
        return own(row), kwargs
    plain = {k: v for k, v in kwargs.items() if k != "workers"}
    if mode == "anchor":
        return anchor, plain
    kind = call_kind(row.qualname, args, kwargs)
    if kind in _READY or not anchor_defined(row, anchor, args, plain):
        return own(row), kwargs
    folder = tier_folder()
    if folder is None:
        return own(row), kwargs
    with _lock:
        known = _KIND_STATE.get(kind)
        if known == "loading":
            return anchor, plain
        status = _status(folder, kind)
        if status == "new" and known is None:
            status = _start_compile(folder, row, kind, args, kwargs)
        if status == "ready" and (known is None or time.monotonic() - _T0 < LOAD_AFTER_S):
            # compiled by another process: a short script ends sooner
            # without loading Numba (its exit would wait for the loading
            # thread); a later call of a longer-running one loads it
            _KIND_STATE[kind] = "seen"
        elif status == "ready":
            _KIND_STATE[kind] = "loading"
            _load_in_thread(row, kind, args, kwargs)
        elif status == "compiling":
            _KIND_STATE[kind] = "compiling"
        else:   # failed before, or cannot start: compile here
            _READY.add(kind)
            return own(row), kwargs
    return anchor, plain


def _public_function(namespace: str, name: str):
    """``fastimg.<namespace>.<name>`` (what a pickled :class:`Tiered` is)."""
    return getattr(importlib.import_module(f"fastimg.{namespace}"), name)


class Tiered:
    """A public function with an anchor, served by tiers (see the module
    docstring).  Calls, signature, docstring and pickling are the
    function's own (``__wrapped__``)."""

    def __init__(self, row):
        self._row = row
        self.__name__ = self.__qualname__ = row.name
        self.__module__ = f"fastimg.{row.namespace}"

    @property
    def __wrapped__(self):
        return _fastimg_function(self._row)

    @property
    def __doc__(self):  # noqa: D105 - the wrapped function's
        return self.__wrapped__.__doc__

    @property
    def __signature__(self):
        import inspect
        return inspect.signature(self.__wrapped__)

    def __call__(self, *args, **kwargs):
        fn, kw, _ = self.choose(args, kwargs)
        return fn(*args, **kw)

    def choose(self, args, kwargs):
        """``(function, keyword arguments, ours)`` answering a call (counted):
        ``ours`` False when the anchor answers (compiling, or mode ``anchor``)."""
        fn, kw = _serve(self._row, args, kwargs)
        ours = fn.__module__.startswith("fastimg.")
        COUNTS["fastimg" if ours else "anchor"] += 1
        _RECENT.append((self._row.qualname, "fastimg" if ours else self._row.anchor))
        return fn, kw, ours

    def __reduce__(self):
        # by name, as a function pickles: the same object after unpickling
        return (_public_function, (self._row.namespace, self._row.name))

    def __repr__(self):
        return f"<fastimg function {self._row.qualname} (tiered)>"
