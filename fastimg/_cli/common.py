"""What the commands share: the one-line error, the output folder check,
the progress bar and the timing of one call against its anchor."""
from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np


class CliError(Exception):
    """A problem with the user's input: ``fastimg`` prints its message on
    one line and exits with status 1 (no traceback)."""


IO_HINT = 'pip install "fastimg[io]"'


def output_folder(path: str) -> str:
    """Create the folder ``path`` if needed and check that files can be
    written in it; raises CliError naming the problem."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise CliError(f"--out {path}: exists and is not a folder")
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as e:
        raise CliError(f"--out {path}: cannot write there ({e.strerror or e})") from None
    return path


class Progress:
    """A progress bar on stderr: tqdm's when it is installed, else a
    one-line counter rewritten in place (``[ 12/130] step``)."""

    def __init__(self, total: int, desc: str):
        self.total, self.desc, self.done = total, desc, 0
        try:
            from tqdm import tqdm
        except ImportError:
            self._bar = None
        else:
            self._bar = tqdm(total=total, desc=desc, unit="step", leave=False,
                             file=sys.stderr, dynamic_ncols=True)

    def step(self, label: str) -> None:
        """Count one step, ``label`` naming the next."""
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(label, refresh=False)
            self._bar.update(1)
        else:
            sys.stderr.write(f"\r{self.desc} [{self.done:>4}/{self.total}] {label[:40]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        else:
            sys.stderr.write("\r" + " " * (len(self.desc) + 54) + "\r")
            sys.stderr.flush()


def best_ms(fn, repeat: int, warm: bool = True) -> float:
    """The best of ``repeat`` timed calls of ``fn()`` in milliseconds (one
    untimed call first unless ``warm`` is False: compiling or loading
    kernels is not timed)."""
    if warm:
        fn()
    times = []
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def as_float(result) -> np.ndarray:
    """A result's numbers as float64: an array as it is, a table's fields
    side by side, tuples and lists (labels and their count, measurements,
    slices of objects) flattened in order."""
    if isinstance(result, slice):
        return np.array([np.nan if v is None else v
                         for v in (result.start, result.stop, result.step)], np.float64)
    if result is None:
        return np.array([np.nan])
    if isinstance(result, dict):
        result = tuple(result.values())
    if isinstance(result, (tuple, list)) and not all(
            isinstance(v, (int, float, np.number)) for v in result):
        parts = [as_float(v).ravel() for v in result]
        return np.concatenate(parts) if parts else np.zeros(0)
    a = np.asarray(result)
    if a.dtype.names:  # a table (hough_ellipse): its fields side by side
        from numpy.lib import recfunctions
        a = recfunctions.structured_to_unstructured(a, dtype=np.float64)
    return np.asarray(a, dtype=np.float64)


def max_diff(result, expected) -> float:
    """The largest |difference| between two results (inf if their shapes
    differ; NaN where both are NaN counts as equal)."""
    a = as_float(result)
    b = as_float(expected)
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    both_nan = np.isnan(a) & np.isnan(b)
    return float(np.max(np.where(both_nan, 0.0, np.abs(a - b))))


def timing_cells(t_ours: float, t_anchor: float | None, diff: float | None,
                 missing: str = "") -> str:
    """The table's columns after the step name."""
    if t_anchor is None:
        return f"{t_ours:>11.1f}{'n/a':>11}{'':>9}{'n/a':>12}  {missing}"
    return (f"{t_ours:>11.1f}{t_anchor:>11.1f}{t_anchor / max(t_ours, 1e-6):>8.1f}x"
            f"{diff:>12.1e}")


TABLE_HEADER = f"{'step':<34}{'fastimg ms':>11}{'anchor ms':>11}{'speed-up':>9}{'max |diff|':>12}"
