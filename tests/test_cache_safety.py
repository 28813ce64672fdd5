"""The on-disk kernel cache shared with other processes and other users
(``fastimg._core.cache``): a held lock cannot hang a call, a file another
user planted is never unpickled, and what fastimg creates is owner-only.

Each case runs in a fresh interpreter with its own ``NUMBA_CACHE_DIR``."""
import os
import pathlib
import pickle
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from fastimg._core import cache

REPO = pathlib.Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(cache.fcntl is None, reason="flock is POSIX-only")

#: One 1-D pass (a single small kernel) keeps each child quick.
CALL = """
import numpy as np, scipy.ndimage
import fastimg._core.cache as C
C.LOCK_TIMEOUT = {timeout}
from fastimg import ndimage
x = np.arange(64 * 64, dtype=np.float64).reshape(64, 64) % 7
assert np.array_equal(ndimage.correlate1d(x, [1.0, 2.0, 1.0]),
                      scipy.ndimage.correlate1d(x, [1.0, 2.0, 1.0]))
from fastimg._core import pass_kernels as K
print("hits", sum(K.corr1d_last.stats.cache_hits.values()))
"""


def _child(cache_dir, timeout=10.0, **env):
    full = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir), FASTIMG_CACHE="1", **env)
    full["PYTHONPATH"] = str(REPO) + os.pathsep + full.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", CALL.format(timeout=timeout)], env=full,
                          capture_output=True, text=True, timeout=600)


def _files(root, suffix):
    return [p for p in pathlib.Path(root).rglob(f"*{suffix}")]


def test_cache_files_folders_and_locks_are_owner_only(tmp_path):
    root = tmp_path / "cache"
    r = _child(root)
    assert r.returncode == 0, r.stderr
    made = [p for p in root.rglob("*")]
    assert _files(root, ".nbi") and _files(root, ".nbc") and _files(root, ".lock")
    for p in made + [root]:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, (p, oct(p.stat().st_mode))
    again = _child(root)
    assert again.returncode == 0, again.stderr
    assert "hits 1" in again.stdout  # and the cache still serves its owner


def test_a_held_lock_delays_a_call_by_the_timeout_at_most(tmp_path):
    root = tmp_path / "cache"
    assert _child(root).returncode == 0  # the cache exists, with its lock files
    (lock,) = [p for p in _files(root, ".lock") if "corr1d_last" in p.name]
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import fcntl, os, sys, time
            fd = os.open({str(lock)!r}, os.O_RDONLY)  # read-only is enough to flock
            fcntl.flock(fd, fcntl.LOCK_EX)
            print("held", flush=True)
            time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        r = _child(root, timeout=1.0)
        elapsed = time.monotonic() - t0
        assert r.returncode == 0, r.stderr
        assert "hits 0" in r.stdout  # skipped the cache: compiled in the process
        assert elapsed < 120, elapsed
    finally:
        holder.kill()
        holder.wait()


class _Planted:
    """A pickle that, when loaded, leaves a marker file: what an attacker's
    index would do to whoever unpickles it."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give a file to another user")
def test_a_file_planted_by_another_user_is_never_loaded(tmp_path):
    root = tmp_path / "cache"
    assert _child(root).returncode == 0
    marker = tmp_path / "pwned"
    for index in _files(root, ".nbi"):
        with open(index, "wb") as f:
            pickle.dump(_Planted(str(marker)), f)
        os.chown(index, 12345, 12345)
    for data in _files(root, ".nbc"):
        os.chown(data, 12345, 12345)
    r = _child(root)
    assert r.returncode == 0, r.stderr
    assert not marker.exists(), "a planted index was unpickled"
    assert "hits 0" in r.stdout


def test_an_unusable_cache_dir_is_named_once(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    r = _child(not_a_dir)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("is not a writable folder") == 1, r.stderr
    assert str(not_a_dir) in r.stderr
