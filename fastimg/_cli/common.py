"""What the commands share: the one-line error, the output folder check,
the progress bar and the table of timings against the anchors (the timing
and the check themselves: :mod:`fastimg._cli.cases`)."""
from __future__ import annotations

import os
import sys
import tempfile

from . import cases as _cases


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


def timing_cells(t_ours: float, t_anchor: float | None, diff: float | None,
                 missing: str = "", note: str = "") -> str:
    """The table's columns after the step name."""
    if t_anchor is None:
        return f"{t_ours:>11.1f}{'n/a':>11}{'':>9}{'n/a':>12}  {missing}"
    return (f"{t_ours:>11.1f}{t_anchor:>11.1f}{t_anchor / max(t_ours, 1e-6):>8.1f}x"
            f"{diff:>12.1e}" + (f"  {note}" if note else ""))


TABLE_HEADER = f"{'step':<34}{'fastimg ms':>11}{'anchor ms':>11}{'speed-up':>9}{'max |diff|':>12}"


class Table:
    """The table of ``fastimg demo`` and ``fastimg bench``: one line per
    step (:func:`fastimg._cli.cases.measure`), the steps that failed or
    differ from their anchor beyond their rule, the largest such
    difference, and the pictures.

    ``lenient``: a step whose function refuses the picture (ValueError:
    one grey level for multi-Otsu's three classes, fewer colours than
    k-means' clusters) is "not applicable" rather than failed when its
    anchor refuses it too (or it has none): a user's picture need not suit
    every step, the built-in photograph does."""

    def __init__(self, lenient: bool = False):
        self.lines, self.tiles, self.failed, self.differ, self.skipped = [], [], [], [], []
        self.worst, self.lenient = 0.0, lenient

    def measure(self, name, ours, anchor, repeat, check):
        """Time ``ours()`` against ``anchor()``, check the results with
        ``check(result, expected)`` and add the line; returns fastimg's
        result, or None when the call failed (the line says why)."""
        try:
            m = _cases.measure(ours, anchor, repeat, check)
        except Exception as e:  # noqa: BLE001 - one failed step must not end the run
            if self.lenient and isinstance(e, ValueError) and _both_refuse(ours, anchor):
                self.skipped.append(name)
                self.lines.append(f"  {name:<32}n/a: {_first_line(e)}")
            else:
                self.failed.append(name)
                self.lines.append(f"  {name:<32}failed: {type(e).__name__}: {_first_line(e)}")
            return None
        if m.check is not None and not m.check.ok:
            self.differ.append(name)
            self.worst = max(self.worst, m.check.diff)
        self.lines.append(f"  {name:<32}" + timing_cells(
            m.ms, m.anchor_ms, m.check and m.check.diff, m.missing, m.check and m.check.note))
        return m.result

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing differs from its anchor beyond its rule."""
        return not (self.failed or self.differ)

    def summary(self) -> list[str]:
        """The lines after the table."""
        out = [f"largest difference from an anchor: {self.worst:.1e} (0 means bit-identical; "
               f"within its tolerance for {', '.join(_cases.TOLERANT)})"]
        if self.skipped:
            out.append(f"not applicable to this picture (fastimg and the anchor both refuse "
                       f"it): {'; '.join(self.skipped)}")
        if self.differ:
            out.append(f"differ from their anchor: {', '.join(self.differ)}")
        if self.failed:
            out.append(f"failed: {', '.join(self.failed)}")
        return out


def _first_line(e: Exception, width: int = 100) -> str:
    line = (str(e).strip().splitlines() or [""])[0]
    return line if len(line) <= width else line[:width - 3] + "..."


def _both_refuse(ours, anchor) -> bool:
    """Whether ``ours()`` raises ValueError and ``anchor()`` raises it
    too or has no anchor (:class:`fastimg._cli.cases.NoAnchor`)."""
    for call in (ours, anchor):
        try:
            call()
        except (ValueError, _cases.NoAnchor):
            continue
        except Exception:  # noqa: BLE001 - another error: a failure
            return False
        return False
    return True
