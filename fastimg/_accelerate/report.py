"""What served each call of an accelerated process, and the table printed at exit.

Every call of a proxy (``fastimg._accelerate.patch``) is counted under one
of four ways it was served, with its time:

* ``kernels``: fastimg's compiled kernels;
* ``anchor tier``: fastimg's tiering answered with the anchor's own function
  while fastimg's kernels compiled in another process (``FASTIMG_JIT``
  ``background``, the default outside the test suite), or the mode is
  ``anchor``;
* ``original``: fastimg could not serve the call (it raised, e.g. for an
  argument type or an option it does not take) and the original function
  answered; the reasons are kept;
* ``internal``: a call from inside SciPy, scikit-image or fastimg, left to the
  original function (the anchors keep their own functions).
"""
from __future__ import annotations

import atexit
import collections
import sys
import threading
import time

__all__ = ["KINDS", "record", "stats", "reset", "format_report", "print_report",
           "report_at_exit", "summary"]

#: the ways a call is served, in the table's order
KINDS = ("kernels", "anchor tier", "original", "internal")
_lock = threading.Lock()
#: "module.name" -> kind -> [calls, seconds]
_STATS: dict = {}
#: "module.name" -> Counter of "reason" (why a call went to the original)
_REASONS: dict = {}
_state = {"at_exit": False}


def record(key: str, kind: str, t0: float, reason: str | None = None) -> None:
    """Count one call of ``key`` served by ``kind`` that started at ``t0``
    (``time.perf_counter()``)."""
    dt = time.perf_counter() - t0
    with _lock:
        per = _STATS.setdefault(key, {})
        cell = per.setdefault(kind, [0, 0.0])
        cell[0] += 1
        cell[1] += dt
        if reason is not None:
            _REASONS.setdefault(key, collections.Counter())[reason] += 1


def stats() -> dict:
    """``{"module.name": {kind: (calls, seconds)}}`` so far (a copy)."""
    with _lock:
        return {k: {kind: tuple(c) for kind, c in v.items()} for k, v in _STATS.items()}


def reset() -> None:
    """Forget the calls counted so far."""
    with _lock:
        _STATS.clear()
        _REASONS.clear()


def summary(exc: BaseException) -> str:
    """One line naming an exception: its type and the first line of its
    message, cut to 100 characters."""
    text = str(exc).strip().splitlines()
    line = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return line if len(line) <= 100 else line[:97] + "..."


def format_report() -> str:
    """The table: per function, calls and time per way of serving, then why
    calls went to the original."""
    with _lock:
        table = {k: {kind: tuple(c) for kind, c in v.items()} for k, v in _STATS.items()}
        reasons = {k: collections.Counter(v) for k, v in _REASONS.items()}
    if not table:
        return "fastimg accelerate report: no function fastimg mirrors was called"
    calls = {k: sum(c[0] for c in v.values()) for k, v in table.items()}
    n = lambda k, kind: table[k].get(kind, (0, 0.0))[0]  # noqa: E731
    s = lambda k, *kinds: sum(table[k].get(kind, (0, 0.0))[1] for kind in kinds)  # noqa: E731
    served = sum(n(k, "kernels") + n(k, "anchor tier") for k in table)
    width = max(30, *(len(k) for k in table))
    # the program's calls head the report: calls from inside the anchors
    # (importing scikit-image calls SciPy) are not the program's to speed up
    inside = sum(n(k, "internal") for k in table)
    total = sum(calls.values()) - inside
    mine = sum(1 for k in table if calls[k] > n(k, "internal"))
    lines = [f"fastimg accelerate report: {total} call{'s' * (total != 1)} of {mine} "
             f"function{'s' * (mine != 1)} by the program, {served} served by fastimg"
             + (f"; {inside} call{'s' * (inside != 1)} from inside SciPy, scikit-image "
                f"or fastimg left to the original" if inside else ""),
             f"{'function':<{width}} {'kernels':>8} {'anchor tier':>12} {'original':>9} "
             f"{'internal':>9} {'fastimg s':>10} {'original s':>11}"]
    for k in sorted(table):
        lines.append(f"{k:<{width}} {n(k, 'kernels'):>8} {n(k, 'anchor tier'):>12} "
                     f"{n(k, 'original'):>9} {n(k, 'internal'):>9} "
                     f"{s(k, 'kernels', 'anchor tier'):>10.4f} "
                     f"{s(k, 'original', 'internal'):>11.4f}")
    lines.append("kernels: fastimg's compiled kernels; anchor tier: fastimg answered with the "
                 "anchor while its kernels compiled (FASTIMG_JIT=background); original: "
                 "fastimg could not serve the call; internal: called from inside SciPy, "
                 "scikit-image or fastimg, left to the original")
    if reasons:
        lines.append("calls sent to the original, and why:")
        for k in sorted(reasons):
            for reason, count in reasons[k].most_common():
                lines.append(f"  {k}: {count} x {reason}")
    return "\n".join(lines)


def print_report(file=None) -> None:
    """Print :func:`format_report` (to ``sys.stderr`` by default)."""
    print(format_report(), file=sys.stderr if file is None else file, flush=True)


def report_at_exit() -> None:
    """Print the report when the interpreter exits (once, however many
    times this is called)."""
    with _lock:
        if _state["at_exit"]:
            return
        _state["at_exit"] = True
    atexit.register(print_report)
