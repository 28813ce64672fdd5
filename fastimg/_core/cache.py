"""The on-disk kernel cache, made safe to share a machine with.

Numba caches a compiled kernel as an index file (``.nbi``) naming data files
(``.nbc``), both pickles, loaded by whoever runs the kernel next.  Used as
is, that cache can be hung or poisoned by another local user:

* its index update is an unlocked read-modify-write, so two processes
  saving different signatures at once can give both the same data file (a
  later process then runs one signature's machine code for the other);
* a lock that only waits can be held forever by anyone who can open it;
* in a folder others can write to, a file planted under the index's name is
  unpickled, and so runs, as the victim.

:func:`harden` wraps one dispatcher's cache file so that index loads and
saves hold an advisory lock (``flock``) taken with a timeout
(:data:`LOCK_TIMEOUT`; on timeout the call skips the cache: the kernel is
compiled in the process and not saved); files owned by another user, and
symbolic links, are never loaded; files, lock files and folders fastimg
creates are readable and writable by their owner only.  Without ``fcntl``
(Windows) Numba's own behaviour is kept.
"""
from __future__ import annotations

import contextlib
import os
import stat
import time
import uuid
import warnings

try:
    import fcntl
except ImportError:  # Windows: no flock; Numba's unlocked behaviour
    fcntl = None

__all__ = ["harden", "prepare_folder", "location", "owned_file", "private_makedirs",
           "LOCK_TIMEOUT", "fcntl"]

#: Seconds a cache operation waits for another process's lock before it
#: gives up and skips the cache (a lock is held for the few milliseconds of
#: one index read or write, so only a stuck or hostile holder waits this long).
LOCK_TIMEOUT = 10.0
_POLL = 0.01

_UID = os.geteuid() if hasattr(os, "geteuid") else None
_WARNED = []


def owned_file(path: str) -> bool:
    """True if ``path`` is a regular file of ours: not missing, not a link,
    not another user's.  Nothing fastimg did not write itself is loaded."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and (_UID is None or st.st_uid == _UID)


def _owned(path: str) -> bool:
    # a missing file is nothing to distrust: a miss
    return not os.path.lexists(path) or owned_file(path)


@contextlib.contextmanager
def _lock(lock_path: str):
    """Yield True while holding an exclusive flock on ``lock_path``, or
    False when it could not be had within :data:`LOCK_TIMEOUT` (or the lock
    file is not ours): the caller then skips the cache."""
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        # no cache folder yet, not writable, or a link planted in its place
        yield not os.path.lexists(lock_path)
        return
    try:
        if _UID is not None and os.fstat(fd).st_uid != _UID:
            yield False  # anyone who owns it could hold it forever
            return
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(_POLL)
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def _private_open_for_write(cache_file):
    """Numba's write-to-a-temporary-then-rename, with an owner-only mode."""
    @contextlib.contextmanager
    def open_for_write(filepath):
        tmpname = f"{filepath}.tmp.{uuid.uuid4().hex[:16]}"
        fd = os.open(tmpname, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                yield f
            os.replace(tmpname, filepath)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmpname)
            raise
    return open_for_write


def harden(disp) -> bool:
    """Lock, owner-check and privatise the on-disk cache of dispatcher
    ``disp`` (see the module docstring); True if it was done."""
    cache_file = getattr(getattr(disp, "_cache", None), "_cache_file", None)
    index_path = getattr(cache_file, "_index_path", None)
    if fcntl is None or index_path is None:
        return False
    lock_path = index_path + ".lock"
    load, save = cache_file.load, cache_file.save
    load_data = cache_file._load_data

    def locked_load(key):
        with _lock(lock_path) as held:
            if not held or not _owned(index_path):
                return None  # a miss: compile here
            return load(key)

    def locked_save(key, data):
        with _lock(lock_path) as held:
            if held and _owned(index_path):
                try:
                    save(key, data)
                except OSError:
                    pass  # a cache that cannot be written is not an error

    def owned_load_data(name):
        if not _owned(cache_file._data_path(name)):
            raise FileNotFoundError(name)  # Numba's load treats it as a miss
        return load_data(name)

    cache_file.load = locked_load
    cache_file.save = locked_save
    cache_file._load_data = owned_load_data
    cache_file._open_for_write = _private_open_for_write(cache_file)
    return True


def private_makedirs(path: str) -> None:
    """Create the missing folders of ``path`` with an owner-only mode."""
    missing = []
    while path and not os.path.exists(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for p in reversed(missing):
        os.mkdir(p, 0o700)


def prepare_folder(py_file: str) -> None:
    """Create the cache folder Numba is about to choose for the kernels of
    ``py_file`` (``NUMBA_CACHE_DIR``'s, else the source's ``__pycache__``)
    ourselves, owner-only, so Numba finds it existing; errors are left for
    Numba's own search to meet."""
    import numba
    from numba.core.caching import _CacheLocator

    root = numba.config.CACHE_DIR
    if root:
        path = os.path.join(root, _CacheLocator.get_suitable_cache_subpath(py_file))
    else:
        path = os.path.join(os.path.dirname(os.path.abspath(py_file)), "__pycache__")
    with contextlib.suppress(OSError):
        private_makedirs(path)


def location(disp) -> str | None:
    """The folder holding ``disp``'s cache files (None: not cached)."""
    cache = getattr(disp, "_cache", None)
    return getattr(cache, "_cache_path", None)


def check_location(disp) -> None:
    """Warn once when ``NUMBA_CACHE_DIR`` is set but unusable (a file, not
    writable, empty), naming where the kernels are cached instead; Numba
    moves on to its next location silently."""
    if _WARNED or "NUMBA_CACHE_DIR" not in os.environ:
        return
    asked = os.environ["NUMBA_CACHE_DIR"]
    where = location(disp)
    if where is None:
        return
    if asked and os.path.abspath(where).startswith(os.path.abspath(asked) + os.sep):
        return
    _WARNED.append(True)
    warnings.warn(f"NUMBA_CACHE_DIR={asked!r} is not a writable folder; fastimg caches "
                  f"its compiled kernels in {os.path.dirname(where)!r} instead",
                  RuntimeWarning, stacklevel=2)
