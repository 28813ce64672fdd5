"""Per-stage profile of the hot paths: time per pass, bytes moved, fraction
of the memory floor, beside the whole call, its anchor and OpenCV.

For each row (the hot paths users compare with OpenCV first, declared in
``profile_rows.py``), the public call is timed whole, then stage by stage: each stage calls the
family's own internal pieces (its kernels through ``fastimg._core.dispatch``,
its preparation helpers) with the arguments the public wrapper passes, in
the wrapper's order, each stage reading what the previous one produced.  A
test (``tests/test_benchmark_tools.py``) checks that the stages composed
give the public function's result and make the same ``dispatch.run`` calls
(kernel, threads, work split), so the profile times what the function does.  Stages marked "extra" are not part of the call (they split a fused
pass, or show the next call a user makes, e.g. the peaks after a Hough
transform).

Bytes moved are an estimate, stated with its formula: every array a stage
touches, read and/or written once (the compulsory traffic; re-reads from
cache, scatter traffic and page tables not counted).  The memory floor of
a stage is the measured time of ``np.copyto`` of a buffer of half that
byte count (a copy reads and writes each byte once), on one thread for
``workers=1`` and the faster of one thread and all threads split (NumPy
releases the GIL) for the default, best of N in the same run, interleaved
with the stages.  Stages write into a new output per call, as the call
does (first-touch page faults included); the copy writes into touched
memory.  "floor / time" near 100 % means the stage runs at memory speed;
far below, compute, latency, page faults or overhead bound it.  Whole calls, stages, floors, anchors and OpenCV are timed round-robin
(rep after rep), best of ``--repeats``; anchors whose first call takes
over a second are timed once more.  Everything is called once before
timing (kernels compiled or loaded from the cache with
``FASTIMG_JIT=foreground``, the anchors' modules imported).

Usage::

    python benchmarks/profile_stages.py --out docs/profile.md --json profile.json
    python benchmarks/profile_stages.py --rows gaussian,hough_line_2048 --repeats 3
    python benchmarks/profile_stages.py --size 256     # every row at 256² (a quick check)
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import shlex
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

os.environ.setdefault("FASTIMG_JIT", "foreground")   # time fastimg, not the anchor

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.dirname(HERE) not in sys.path:   # run as a script from anywhere
    sys.path.insert(0, os.path.dirname(HERE))

from benchmarks.conftest import environment_info  # noqa: E402
from fastimg._core.dispatch import resolve_workers  # noqa: E402
from benchmarks.profile_rows import ROWS, RowSpec  # noqa: E402

#: anchors (and OpenCV) whose first call takes longer are not repeated
SLOW_ANCHOR_S = 1.0
#: pause after each anchor or OpenCV call (its threads spinning down)
FOREIGN_PAUSE_S = 0.05


# ------------------------------------------------------------------ timing
@dataclass
class Stage:
    """One stage of a row as its pipeline declared it (see :class:`RowSpec`)."""

    name: str
    fn: Callable
    setup: Callable | None = None
    nbytes: int = 0
    formula: str = ""
    part: bool = True      # part of the public call (False: "extra")


class Recorder:
    """What a pipeline calls for each stage: runs it once (the warm-up, and
    the value the next stage reads) and keeps it for timing."""

    def __init__(self):
        self.stages: list[Stage] = []

    def __call__(self, name, fn, *, setup=None, nbytes=0, formula="", part=True):
        st = Stage(name, fn, setup, 0, formula, part)
        self.stages.append(st)
        out = _call(st)
        st.nbytes = int(nbytes(out) if callable(nbytes) else nbytes)
        return out


def _call(st):
    return st.fn(st.setup()) if st.setup is not None else st.fn()


def run_pipeline(row: RowSpec, data, workers):
    """``(result, stages)`` of ``row``'s pipeline with ``workers``."""
    rec = Recorder()
    result = row.pipeline(data, workers, rec)
    return result, rec.stages


class _Copy:
    """The memory floor of ``nbytes`` moved: ``np.copyto`` of ``nbytes / 2``
    bytes split over ``threads`` threads."""

    def __init__(self, nbytes, threads, pool):
        half = max(1, nbytes // 2)
        self.src = np.ones(half, np.uint8)
        self.dst = np.zeros(half, np.uint8)     # pages touched before timing
        edges = np.linspace(0, half, threads + 1).astype(np.int64)
        self.parts = [(self.dst[a:b], self.src[a:b]) for a, b in zip(edges[:-1], edges[1:])]
        self.pool = pool if threads > 1 else None

    def __call__(self):
        if self.pool is None:
            np.copyto(*self.parts[0])
        else:
            list(self.pool.map(lambda p: np.copyto(*p), self.parts))


def _best_round_robin(thunks, repeats):
    """Best time of each ``(setup, fn, foreign)`` of ``thunks``, measured
    round-robin ``repeats`` times.  A ``foreign`` thunk (anchor, OpenCV)
    whose first time exceeds :data:`SLOW_ANCHOR_S` is measured once, and
    each is followed by a short pause, so that its worker threads (OpenCV's
    pool) are idle before the next thunk starts."""
    best = [math.inf] * len(thunks)
    done = [False] * len(thunks)
    for _ in range(repeats):
        for i, (setup, fn, foreign) in enumerate(thunks):
            if done[i]:
                continue
            state = setup() if setup is not None else None
            t0 = time.perf_counter()
            if setup is not None:
                fn(state)
            else:
                fn()
            dt = time.perf_counter() - t0
            best[i] = min(best[i], dt)
            if foreign:
                done[i] = dt > SLOW_ANCHOR_S
                time.sleep(FOREIGN_PAUSE_S)
    return best


def profile_row(row: RowSpec, repeats: int = 5, size: int | None = None) -> dict:
    """Measure one row: whole call and stages at ``workers=None`` and
    ``workers=1`` (serial rows: once), floors, anchor and OpenCV."""
    n = size or row.size
    data = row.make(n)
    threads = resolve_workers(None)
    settings = [None] if row.serial else [None, 1]
    pipes = {w: run_pipeline(row, data, w)[1] for w in settings}
    for w in settings:                                   # compiles / loads kernels
        row.call(data, w)
    others = [(label, fn) for label, fn in (("anchor", row.anchor(data) if row.anchor else None),
                                            ("opencv", row.opencv(data) if row.opencv else None))
              if fn is not None]
    for _, fn in others:        # imports, first-call set-up
        fn()
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    try:
        floors = {}
        for w in settings:
            for st in pipes[w]:
                for t in ((1, threads) if w is None else (1,)):
                    if st.nbytes and (st.nbytes, t) not in floors:
                        floors[st.nbytes, t] = _Copy(st.nbytes, t, pool)
        thunks = [(None, (lambda w=w: row.call(data, w)), False) for w in settings]
        thunks += [(st.setup, st.fn, False) for w in settings for st in pipes[w]]
        thunks += [(None, c, False) for c in floors.values()]
        thunks += [(None, fn, True) for _, fn in others]
        best = iter(_best_round_robin(thunks, repeats))
        whole = {w: next(best) for w in settings}
        stage_t = {w: [next(best) for _ in pipes[w]] for w in settings}
        floor_t = {k: next(best) for k in floors}
        other_t = {label: next(best) for label, _ in others}
    finally:
        if pool is not None:
            pool.shutdown()
    stages = []
    for i, st in enumerate(pipes[None]):
        rec = {"name": st.name, "part": st.part, "bytes": st.nbytes, "formula": st.formula}
        for w, tag in ((None, "default"), (1, "workers1")):
            if w not in stage_t:
                continue
            rec[f"{tag}_s"] = stage_t[w][i]
            # default: the faster of the copy on 1 and on all threads
            # (threads cost more than they gain on small buffers)
            ts = (1, threads) if w is None else (1,)
            fl = [floor_t[st.nbytes, t] for t in ts if (st.nbytes, t) in floor_t]
            rec[f"floor_{tag}_s"] = min(fl) if fl else None
        stages.append(rec)
    return {"key": row.key, "title": row.title, "size": n, "dtype": row.dtype,
            "input": row.input_text, "serial": row.serial, "notes": list(row.notes),
            "default_s": whole[None], "workers1_s": whole.get(1),
            "anchor": ({"label": row.anchor_label, "s": other_t["anchor"]}
                       if "anchor" in other_t else None),
            "opencv": ({"label": row.opencv_label, "s": other_t["opencv"]}
                       if "opencv" in other_t else None),
            "stages": stages}


def loadavg():
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:     # pragma: no cover - no /proc/loadavg
        return None


def run_profile(keys=None, repeats: int = 5, size: int | None = None,
                verbose: bool = False) -> dict:
    """Profile the rows named in ``keys`` (default all of ``ROWS``)."""
    by = {r.key: r for r in ROWS}
    unknown = sorted(set(keys or ()) - set(by))
    if unknown:
        raise ValueError(f"unknown rows {unknown}; known: {list(by)}")
    rows = [by[k] for k in keys] if keys else list(ROWS)
    meta = {"date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "loadavg_start": loadavg(), "repeats": repeats, "size_override": size,
            "threads_default": resolve_workers(None),
            "fastimg_jit": os.environ.get("FASTIMG_JIT"),
            "command": shlex.join(["python", "benchmarks/profile_stages.py", *sys.argv[1:]])
            if os.path.basename(sys.argv[0]) == "profile_stages.py" else None}
    meta.update(environment_info())
    meta.pop("sizes", None)
    results = []
    for row in rows:
        t0 = time.perf_counter()
        results.append(profile_row(row, repeats, size))
        if verbose:
            r = results[-1]
            print(f"{row.key:24s} {r['size']:5d}² {1e3 * r['default_s']:9.2f} ms "
                  f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    meta["loadavg_end"] = loadavg()
    return {"meta": meta, "rows": results}


# ------------------------------------------------------------------ report
def _ms(s):
    if s is None:
        return "–"
    ms = s * 1e3
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 10 else f"{ms:.2f}" if ms >= 1 \
        else f"{ms:.3f}"


def _ratio(a, b):
    return "–" if a is None or b is None or not b else f"{a / b:.2f}x"


def _pct(floor, t):
    return "–" if floor is None or not t else f"{100 * floor / t:.0f} %"


def _mb(b):
    return "≈0" if not b else f"{b / 1e6:.1f}" if b >= 1e5 else f"{b / 1e6:.3f}"


def _next_step(r):
    """The stage of the call taking the most time beyond its floor."""
    def excess(s):
        return s["default_s"] - (s.get("floor_default_s") or 0.0)
    part = [s for s in r["stages"] if s["part"]]
    if not part:
        return ""
    s = max(part, key=excess)
    share = s["default_s"] / r["default_s"] if r["default_s"] else 0.0
    return (f"{s['name']}: {share:.0%} of the call, {_pct(s.get('floor_default_s'), s['default_s'])} "
            f"of its floor")


def format_markdown(data: dict) -> str:
    """The profile as Markdown: header, summary table, one table per row."""
    m = data["meta"]
    threads = m.get("threads_default")
    lines = ["# Per-stage profile of the hot paths", "",
             "Generated by `benchmarks/profile_stages.py` "
             f"(`{m.get('command') or 'profile_stages.run_profile'}`), do not edit by hand.",
             "",
             f"- Date: {m['date']}; machine: {m.get('cpu_model')}, {m.get('cpu_count')} cores; "
             f"fastimg {m.get('fastimg')}, NumPy {m.get('numpy')}, Numba {m.get('numba')}, "
             f"SciPy {m.get('scipy')}, scikit-image {m.get('skimage')}, OpenCV {m.get('cv2')} "
             f"({m.get('cv2_threads')} threads).",
             f"- Load average (1, 5, 15 min) at start {m.get('loadavg_start')}, at end "
             f"{m.get('loadavg_end')}: the machine is shared (other processes ran during the "
             "measurement), so times are best of "
             f"{m['repeats']} and ratios within one run matter more than absolute values.",
             f"- `default` = `workers=None` ({threads} threads), `w=1` = `workers=1`. Times in "
             "ms, best of the repeats, measured round-robin in one run.",
             "- Bytes moved: an estimate, the compulsory traffic (every array the stage touches "
             "read and/or written once; formula given, N = image side, E = edge pixels, "
             "P = rho bins). Floor: measured `np.copyto` time of half that many bytes "
             f"(read + write): on 1 thread for `w=1`, the faster of 1 and {threads} threads "
             "for `default`. "
             "`floor / time` 100 % = at memory speed. Stages write into a new output per "
             "call, as the call does (first-touch page faults included); the copy writes "
             "into touched memory.",
             "- Stages marked *extra* are not part of the call (they split a fused pass or show "
             "a following call); a test checks that the call's stages composed give the public "
             "function's result through the same kernel calls and work split.", "",
             "## Summary", "",
             "| row | fastimg default | fastimg w=1 | anchor | OpenCV | vs anchor | vs OpenCV "
             "| stages / call | next step (largest time beyond its floor) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in data["rows"]:
        a, cv = r.get("anchor"), r.get("opencv")
        total = sum(s["default_s"] for s in r["stages"] if s["part"])
        lines.append(
            f"| {r['title']} {r['size']}² {r['dtype']} | {_ms(r['default_s'])} | "
            f"{'serial' if r['serial'] else _ms(r['workers1_s'])} | "
            f"{(a['label'] + ' ' + _ms(a['s'])) if a else '–'} | "
            f"{(cv['label'] + ' ' + _ms(cv['s'])) if cv else '–'} | "
            f"{_ratio(a['s'], r['default_s']) if a else '–'} | "
            f"{_ratio(cv['s'], r['default_s']) if cv else '–'} | "
            f"{total / r['default_s']:.2f} | {_next_step(r)} |")
    for r in data["rows"]:
        lines += ["", f"## {r['title']} {r['size']}² {r['dtype']}", "",
                  f"Input: {r['input']}. Whole call: {_ms(r['default_s'])} ms default, "
                  + ("serial (no `workers`)" if r["serial"] else
                     f"{_ms(r['workers1_s'])} ms `workers=1`") + "."]
        for note in r["notes"]:
            lines.append(f"{note}")
        lines += ["", "| stage | MB moved | bytes formula | default | floor | floor / time "
                  "| w=1 | floor (1 thread) | floor / time |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for s in r["stages"]:
            name = s["name"] if s["part"] else f"*extra:* {s['name']}"
            w1 = ("serial", "", "") if r["serial"] else (
                _ms(s.get("workers1_s")), _ms(s.get("floor_workers1_s")),
                _pct(s.get("floor_workers1_s"), s.get("workers1_s")))
            lines.append(f"| {name} | {_mb(s['bytes'])} | {s['formula'] or '–'} | "
                         f"{_ms(s['default_s'])} | {_ms(s.get('floor_default_s'))} | "
                         f"{_pct(s.get('floor_default_s'), s['default_s'])} | "
                         f"{w1[0]} | {w1[1] or '–'} | {w1[2] or '–'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", help=f"comma list of rows (default all: "
                    f"{','.join(r.key for r in ROWS)})")
    ap.add_argument("--repeats", type=int, default=5, help="best of (default %(default)s)")
    ap.add_argument("--size", type=int, help="every row at this N x N (default: each row's)")
    ap.add_argument("--out", help="write the Markdown here (e.g. docs/profile.md)")
    ap.add_argument("--json", help="write the measurements as JSON here")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats: at least 1")
    keys = [k.strip() for k in args.rows.split(",") if k.strip()] if args.rows else None
    try:
        data = run_profile(keys, args.repeats, args.size, verbose=not args.quiet)
    except ValueError as exc:
        ap.error(str(exc))
    text = format_markdown(data)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
