"""Busy machine: every public function with one core kept busy by another process.

The scenario: a separate process (``python -c "while True: pass"``)
spins on one core for the whole run; for every row of ``fastimg._core.catalog``
(read at run time, so rows added later are included) and every ``--sizes``
x ``--dtypes`` input, three variants of the row's ``sample`` call are timed:

* ``default``: fastimg with its default thread count (``workers`` not passed);
* ``workers1``: fastimg with ``workers=1`` (rows with ``"workers"`` in
  ``row.extras`` only: the sample is called with
  ``f = functools.partial(fastimg_function, workers=1)``);
* ``anchor``: the anchor's function of the same name (rows with an anchor).

Inputs are cold_start.py's photographs (``cold_start.make_input``:
``camera()`` subsampled, or tiled and cropped, to size x size; float32 in
[0, 1], uint8 that times 255, rounded).  Each variant is called once first,
untimed as a figure (fastimg compiles or loads its cache there, and is then
called once more); that call's time picks ``number``, the calls per sample
(a sample lasts at least ``--min-time``).
Samples are interleaved in rounds (default, workers1, anchor, default, ...)
so that drifts of the machine's load hit the variants alike; each figure is
the median over ``--repeats`` rounds of the per-call time of a sample.
Slow rows get fewer rounds (at most ``--budget`` seconds of rounds per row
and input, at least one), and the anchor is skipped (with a note) when one
call takes longer than ``--anchor-limit`` seconds, or is not even called when
its time at the previous (smaller) size, scaled by the pixel count, predicts
more than twice that.  A row whose sample fails
is skipped with a note, the run goes on.

Goals: default time / ``workers=1`` time at most 1.3 for every
function at 512² and 2048²; fastimg (default threads) never slower than the
anchor.

Usage::

    python benchmarks/busy.py --json busy.json
    python benchmarks/busy.py --sizes 256 --functions ndimage.gaussian_filter,util.invert \\
        --repeats 3 --json /tmp/b.json
    python benchmarks/busy.py --no-busy --json quiet.json     # the same without the busy process

``benchmarks/report.py --busy busy.json`` renders the table and the goals.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import functools
import importlib
import json
import math
import os
import shlex
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
for _p in (os.path.dirname(HERE), HERE):    # run as a script from anywhere
    if _p not in sys.path:
        sys.path.insert(0, _p)

from cold_start import make_input

DEFAULT_SIZES = (512, 2048)
DEFAULT_DTYPES = ("float32", "uint8")
#: goal: default threads / workers=1 at most this on a busy machine
RATIO_LIMIT = 1.3
#: the anchor is skipped at a size where one call takes longer (seconds)
ANCHOR_LIMIT_S = 5.0
#: at most this many seconds of timed rounds per (function, size, dtype)
BUDGET_S = 3.0
#: a sample (``number`` calls) lasts at least this long (seconds)
MIN_TIME_S = 0.02
MAX_NUMBER = 1000
VARIANTS = ("default", "workers1", "anchor")
BUSY_CODE = "while True: pass"


def _rows():
    """The catalog's rows, read now (rows added later are included)."""
    from fastimg._core import catalog as _catalog
    return _catalog, list(_catalog.ROWS)


def _same(a, b) -> bool:
    """Results equal (arrays bit for bit, NaN equal to NaN; tuples and
    dataclasses item by item)."""
    if hasattr(a, "__dataclass_fields__"):
        return type(a) is type(b) and _same(tuple(vars(a).values()), tuple(vars(b).values()))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(u, v) for u, v in zip(a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    except Exception:   # noqa: BLE001  (objects NumPy cannot compare: say no)
        return False


def _timed(call) -> float:
    t0 = time.perf_counter()
    call()
    return time.perf_counter() - t0


def _sample(call, number: int) -> float:
    """Per-call seconds of ``number`` back-to-back calls."""
    t0 = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - t0) / number


def _number(call, single: float, min_time: float) -> int:
    """Calls per sample so that a sample lasts about ``min_time``: from one
    call's time, checked on a trial sample (one slow call, e.g. descheduled,
    would otherwise give short samples that one preemption dominates)."""
    t = single
    for _ in range(3):
        n = max(1, min(MAX_NUMBER, math.ceil(min_time / max(t, 1e-9))))
        if n == 1:
            return 1
        per = _sample(call, n)
        if n * per >= 0.5 * min_time or n == MAX_NUMBER:
            return n
        t = per
    return n


def _sec(t: float) -> str:
    return f"{t:.1f} s" if t >= 1 else f"{t:.2g} s"


def _brief(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= 160 else text[:157] + "..."


def measure_row(catalog, row, x, *, repeats: int, anchor_limit: float, budget: float,
                min_time: float, anchor_guess: float | None = None) -> dict:
    """Time the variants of one row on one input; see the module docstring.
    ``anchor_guess``: the anchor's expected seconds per call (from a smaller
    size); above twice ``anchor_limit`` the anchor is not even called."""
    out = {"function": row.qualname, "size": int(x.shape[0]), "dtype": str(x.dtype),
           "anchor": row.anchor.split(".")[0] if row.anchor else None, "notes": []}
    fast = getattr(importlib.import_module(f"fastimg.{row.namespace}"), row.name)
    calls = {"default": functools.partial(row.sample, fast, x)}
    if "workers" in row.extras:
        calls["workers1"] = functools.partial(row.sample, functools.partial(fast, workers=1), x)
    # one first call each: fastimg's default compiles (or loads its cache)
    # there, so it gets a second call to set ``number``; workers=1 runs the
    # same compiled cores and the anchor has no JIT, so their first call does
    results, single = {}, {}
    try:
        t0 = time.perf_counter()
        results["default"] = calls["default"]()
        out["first_call_s"] = time.perf_counter() - t0
    except Exception as exc:    # noqa: BLE001
        out["skipped"] = f"sample failed: {_brief(exc)}"
        return out
    if "workers1" in calls:
        try:
            t0 = time.perf_counter()
            results["workers1"] = calls["workers1"]()
            single["workers1"] = time.perf_counter() - t0
        except Exception as exc:    # noqa: BLE001
            out["notes"].append(f"workers=1 failed: {_brief(exc)}")
            del calls["workers1"]
    if "workers1" in results:
        out["same_result"] = _same(results["default"], results["workers1"])
        if not out["same_result"]:
            out["notes"].append("default and workers=1 results differ")
    results.clear()
    single["default"] = _timed(calls["default"])
    if row.anchor is not None and anchor_guess is not None and anchor_guess > 2 * anchor_limit:
        out["notes"].append(f"anchor skipped: one call expected to take {_sec(anchor_guess)} "
                            f"from a smaller size (> {anchor_limit:g} s)")
        out["anchor_single_s"] = anchor_guess
    elif row.anchor is not None:
        try:
            calls["anchor"] = functools.partial(row.sample, catalog.anchor_function(row), x)
            t = out["anchor_single_s"] = _timed(calls["anchor"])
            if t > anchor_limit:
                out["notes"].append(f"anchor skipped: one call took {_sec(t)} "
                                    f"(> {anchor_limit:g} s)")
                del calls["anchor"]
            else:
                single["anchor"] = t
        except Exception as exc:    # noqa: BLE001
            out["notes"].append(f"anchor failed: {_brief(exc)}")
            calls.pop("anchor", None)

    number = {v: _number(calls[v], t, min_time) for v, t in single.items()}
    per_round = sum(number[v] * single[v] for v in calls)
    rounds = repeats
    if per_round * repeats > budget:        # slow row: fewer rounds, at least one
        rounds = max(1, int(budget // max(per_round, 1e-9)))
    runs = {v: [] for v in calls}
    for _ in range(rounds):
        for v in VARIANTS:          # interleaved: A B C A B C ...
            if v in calls:
                runs[v].append(_sample(calls[v], number[v]))
    for v in VARIANTS:
        out[f"{v}_s"] = statistics.median(runs[v]) if v in runs else None
    d, w, a = out["default_s"], out["workers1_s"], out["anchor_s"]
    out["default_over_workers1"] = d / w if w else None
    out["anchor_over_default"] = a / d if a is not None else None
    out.update(rounds=rounds, number=number, runs=runs)
    return out


def goals(data: dict, limit: float = RATIO_LIMIT) -> dict:
    """The busy-machine goals from ``data["results"]``: the worst
    default / workers=1 ratio, every ratio above ``limit`` and every input
    where fastimg (default threads) was slower than the anchor."""
    res = [r for r in data.get("results", []) if not r.get("skipped")]
    ratios = [r for r in res if r.get("default_over_workers1") is not None]
    anchored = [r for r in res if r.get("anchor_over_default") is not None]
    worst = max(ratios, key=lambda r: r["default_over_workers1"], default=None)
    lowest = min(anchored, key=lambda r: r["anchor_over_default"], default=None)

    def key(r):
        return {"function": r["function"], "size": r["size"], "dtype": r["dtype"]}

    return {
        "ratio_limit": limit,
        "ratios_measured": len(ratios),
        "worst_ratio": dict(key(worst), ratio=worst["default_over_workers1"]) if worst else None,
        "above_limit": [dict(key(r), ratio=r["default_over_workers1"]) for r in ratios
                        if r["default_over_workers1"] > limit],
        "anchors_measured": len(anchored),
        "lowest_anchor_ratio": (dict(key(lowest), ratio=lowest["anchor_over_default"])
                                if lowest else None),
        "slower_than_anchor": [dict(key(r), ratio=r["anchor_over_default"]) for r in anchored
                               if r["anchor_over_default"] < 1.0],
        "anchors_skipped": [dict(key(r), note=n) for r in res for n in r.get("notes", [])
                            if n.startswith("anchor skipped")],
    }


def _environment(busy: bool) -> dict:
    import numba
    from cold_start import _environment as versions

    from fastimg._core.dispatch import resolve_workers
    try:
        layer = numba.threading_layer()
    except ValueError:
        layer = "not started"
    return dict(versions(), numba_num_threads=numba.config.NUMBA_NUM_THREADS,
                default_threads=resolve_workers(None), numba_threading_layer=layer,
                busy=busy, busy_process=(shlex.join(["python", "-c", BUSY_CODE])
                                         if busy else None))


def run_busy(functions=None, *, sizes=DEFAULT_SIZES, dtypes=DEFAULT_DTYPES, repeats: int = 7,
             busy: bool = True, anchor_limit: float = ANCHOR_LIMIT_S, budget: float = BUDGET_S,
             min_time: float = MIN_TIME_S, verbose: bool = False) -> dict:
    """Measure every catalog row (or the ``'namespace.name'`` in
    ``functions``) at every size and dtype; returns a JSON-serialisable dict
    with ``meta``, ``goal`` and ``results`` (one per row, size and dtype)."""
    catalog, rows = _rows()
    if functions is not None:
        wanted = list(functions)
        known = {r.qualname: r for r in rows}
        unknown = [f for f in wanted if f not in known]
        if unknown:
            raise ValueError(f"unknown functions {unknown}; known: {sorted(known)}")
        rows = [known[f] for f in wanted]

    def log(msg):
        if verbose:
            print(msg, file=sys.stderr, flush=True)

    for mod in sorted({r.anchor for r in rows if r.anchor}):
        try:
            importlib.import_module(mod)        # import time stays out of the rows
        except Exception as exc:    # noqa: BLE001
            log(f"anchor module {mod}: {_brief(exc)}")
    sizes = sorted(int(n) for n in sizes)     # small first: anchor time guesses
    inputs = {(n, d): make_input(n, d) for n in sizes for d in dtypes}
    results = []
    anchor_times = {}       # (function, dtype) -> (size, seconds per anchor call)
    proc = None
    load_start = os.getloadavg()
    t_start = time.perf_counter()
    try:
        if busy:
            proc = subprocess.Popen([sys.executable, "-c", BUSY_CODE])
            time.sleep(0.5)         # let it get its core
        for n in sizes:
            for row in rows:
                for d in dtypes:
                    x = inputs[n, d].copy()
                    guess = None
                    if (row.qualname, d) in anchor_times:
                        n0, t0 = anchor_times[row.qualname, d]
                        guess = t0 * (n / n0) ** 2      # work ~ pixels
                    try:
                        r = measure_row(catalog, row, x, repeats=repeats,
                                        anchor_limit=anchor_limit, budget=budget,
                                        min_time=min_time, anchor_guess=guess)
                    except Exception as exc:    # noqa: BLE001  (a broken row: note, go on)
                        r = {"function": row.qualname, "size": n, "dtype": d,
                             "skipped": f"failed: {_brief(exc)}", "notes": []}
                    if r.get("anchor_single_s") is not None:
                        anchor_times[row.qualname, d] = (n, r["anchor_single_s"])
                    results.append(r)
                    log(_line(r))
        busy_alive = proc.poll() is None if proc is not None else None
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
    data = {
        "meta": dict(_environment(busy), sizes=list(sizes), dtypes=list(dtypes),
                     repeats=repeats, anchor_limit_s=anchor_limit, budget_s=budget,
                     min_time_s=min_time, busy_alive_at_end=busy_alive,
                     loadavg_start=list(load_start), loadavg_end=list(os.getloadavg()),
                     elapsed_s=time.perf_counter() - t_start,
                     input=("camera() (tiled and cropped, or subsampled, to size x size) "
                            "/ 255 as float32; uint8: that times 255, rounded"),
                     date=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     command=shlex.join(["python", *sys.argv]) if sys.argv[0] else ""),
        "results": results,
    }
    data["goal"] = goals(data)
    return data


def _line(r: dict) -> str:
    head = f"{r['function']:32s} {r['size']:5d} {r['dtype']:8s}"
    if r.get("skipped"):
        return f"{head} skipped: {r['skipped']}"

    def ms(v):
        return f"{v * 1e3:9.3f}" if v is not None else "        -"

    ratio = r.get("default_over_workers1")
    return (f"{head} default {ms(r['default_s'])} ms  workers=1 {ms(r['workers1_s'])} ms  "
            f"anchor {ms(r['anchor_s'])} ms  ratio "
            f"{'-' if ratio is None else f'{ratio:.2f}'}  rounds {r['rounds']}"
            + (f"  ({'; '.join(r['notes'])})" if r["notes"] else ""))


def _csv(text: str) -> list:
    return [t.strip() for t in text.split(",") if t.strip()]


def main(argv=None) -> int:
    # fastimg's kernels are what this measures, never an anchor answering
    # for them while they compile (fastimg._core.tiers)
    os.environ.setdefault("FASTIMG_JIT", "foreground")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", help="write the results to this JSON file")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="image sizes N (N x N), comma list (default %(default)s)")
    ap.add_argument("--dtypes", default=",".join(DEFAULT_DTYPES),
                    help="input dtypes, comma list (default %(default)s)")
    ap.add_argument("--functions", help="comma list of namespace.name (default: every "
                                        "catalog row)")
    ap.add_argument("--repeats", type=int, default=7,
                    help="interleaved rounds per row and input (default %(default)s)")
    ap.add_argument("--no-busy", action="store_true",
                    help="no busy process (a quiet comparison)")
    ap.add_argument("--anchor-limit", type=float, default=ANCHOR_LIMIT_S,
                    help="skip the anchor where one call takes longer, seconds "
                         "(default %(default)s)")
    ap.add_argument("--budget", type=float, default=BUDGET_S,
                    help="seconds of timed rounds per row and input before rounds are cut "
                         "(never below one round; default %(default)s)")
    ap.add_argument("--min-time", type=float, default=MIN_TIME_S,
                    help="a sample's minimum duration, seconds (default %(default)s)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        sizes = [int(n) for n in _csv(args.sizes)]
    except ValueError:
        ap.error(f"--sizes: comma list of integers, got {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        ap.error(f"--sizes: positive sizes, got {args.sizes!r}")
    dtypes = _csv(args.dtypes)
    bad = [d for d in dtypes if d not in ("uint8", "uint16", "float32", "float64")]
    if not dtypes or bad:
        ap.error(f"--dtypes: uint8, uint16, float32 or float64, got {args.dtypes!r}")
    if args.repeats < 1:
        ap.error("--repeats: at least 1")
    funcs = None
    if args.functions:
        funcs = _csv(args.functions)
        known = {r.qualname for r in _rows()[1]}
        unknown = [f for f in funcs if f not in known]
        if unknown:
            ap.error(f"unknown functions {unknown}; known: {sorted(known)}")
    data = run_busy(funcs, sizes=sizes, dtypes=dtypes, repeats=args.repeats,
                    busy=not args.no_busy, anchor_limit=args.anchor_limit,
                    budget=args.budget, min_time=args.min_time, verbose=not args.quiet)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(data, fh, indent=1)
    from report import busy_section
    print(busy_section(data))
    print(f"elapsed {data['meta']['elapsed_s']:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
