"""Turn pytest-benchmark JSON (and optionally cold-start JSON) into Markdown.

Usage::

    pytest benchmarks --benchmark-only --benchmark-json=bench.json
    python benchmarks/cold_start.py --json cold.json --warmup
    python benchmarks/busy.py --json busy.json
    python benchmarks/report.py bench.json --cold cold.json --busy busy.json   # print
    python benchmarks/report.py bench.json --cold cold.json --busy busy.json --readme README.md
    # plus a user's script and the compile costs:
    python benchmarks/tour_script.py --json tour.json
    python benchmarks/compile_times.py --json compile.json
    python benchmarks/report.py bench.json ... --tour tour.json --compile compile.json --readme README.md

With ``--readme`` the full tables are written to ``docs/benchmarks.md`` (next
to the README; ``--docs`` names another file) and the text between
``<!-- bench:start -->`` and ``<!-- bench:end -->`` in the README is replaced
by a short summary: one line per public function (best and median speed-up
against its anchor at 2048², else the largest size measured), the goals table
and a link to the full tables.  If the markers are absent the README is left
alone and the summary is printed instead.  ``--run-cold`` measures the cold
start now (``cold_start.run_cold_start``) instead of reading ``--cold``.
``--busy`` (``busy.py``'s JSON; several are merged) adds the "Busy machine"
table: default threads against ``workers=1`` and the anchor, one core kept
busy by another process.  The goals table gets the busy-machine and
cold-start goals (``busy.goals``, ``cold_start.goal_lines``).

One table per case: rows are size | dtype, columns the fastimg median (ms),
then for each anchor its median and the speed-up ``anchor / fastimg``.  The
speed-up of an anchor is taken against its ``baseline`` fastimg implementation
(``extra_info["baseline"]``).

Nothing here names a family or a case: the case titles (``TITLES``), the
catalog function each case times (``FUNCTIONS``) and the performance goals
(``GOALS``) come from the ``benchmarks/bench_*.py`` modules, imported here,
and the function list from ``fastimg._core.catalog``.
"""
from __future__ import annotations

import argparse
import glob
import importlib
import json
import os
import re
import shlex
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:    # run as a script: ``benchmarks`` and ``fastimg`` importable
    sys.path.insert(0, ROOT)

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"

IMPL_ORDER = ["fastimg", "scipy", "skimage", "opencv", "reference"]
DTYPE_ORDER = {"uint8": 0, "uint16": 1, "float32": 2, "float64": 3}
SUMMARY_SIZE = 2048
DOCS = os.path.join("docs", "benchmarks.md")
ANCHOR_LABELS = {"scipy": "SciPy", "skimage": "scikit-image", "opencv": "OpenCV",
                 "reference": "reference"}


def bench_metadata() -> dict:
    """What the ``bench_*.py`` modules declare, in catalog family order:
    ``{"families": {family: [case, ...]}, "titles": {case: title},
    "functions": {case: "namespace.name"}, "goals": [(case, size, dtype,
    anchor, minimum speed-up), ...]}``."""
    from fastimg._core.catalog import ROWS
    family_order = list(dict.fromkeys(r.family for r in ROWS))
    package = os.path.basename(HERE)
    mods = {}
    for path in glob.glob(os.path.join(HERE, "bench_*.py")):
        stem = os.path.splitext(os.path.basename(path))[0]
        mods[stem[len("bench_"):]] = importlib.import_module(f"{package}.{stem}")
    out = {"families": {}, "titles": {}, "functions": {}, "goals": []}
    for fam in sorted(mods, key=lambda f: (family_order.index(f) if f in family_order
                                           else len(family_order), f)):
        mod = mods[fam]
        titles = getattr(mod, "TITLES", {})
        cases = list(titles) + [c for c in getattr(mod, "CASES", {}) if c not in titles]
        out["families"][fam] = cases
        out["titles"].update(titles)
        out["functions"].update(getattr(mod, "FUNCTIONS", {}))
        out["goals"].extend(getattr(mod, "GOALS", []))
    return out


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1e3
    if ms >= 100:
        return f"{ms:.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3f}"


def fmt_speedup(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio >= 1 else f"{ratio:.2f}x"


def _order(impl: str) -> tuple:
    return (IMPL_ORDER.index(impl) if impl in IMPL_ORDER else len(IMPL_ORDER), impl)


def collect(bench: dict) -> dict:
    """{case: {(size, dtype): {impl: (median_s, baseline)}}}"""
    out: dict = {}
    for b in bench.get("benchmarks", []):
        ei = b.get("extra_info", {})
        group = b.get("group") or ""
        parts = group.split("|")
        case = ei.get("case", parts[0])
        size = int(ei.get("size", parts[1].split("x")[0] if len(parts) > 1 else 0))
        dtype = ei.get("dtype", parts[2] if len(parts) > 2 else "?")
        impl = ei.get("impl", b.get("name", "?"))
        out.setdefault(case, {}).setdefault((size, dtype), {})[impl] = (
            b["stats"]["median"], ei.get("baseline", "fastimg"))
    return out


def case_table(rows: dict) -> str:
    impls = sorted({i for r in rows.values() for i in r}, key=_order)
    fast = [i for i in impls if i.startswith("fastimg")]
    anchors = [i for i in impls if not i.startswith("fastimg")]
    head = ["size", "dtype"] + [f"{i} ms" for i in fast]
    for a in anchors:
        base = next((r[a][1] for r in rows.values() if a in r), "fastimg")
        label = ANCHOR_LABELS.get(a, a)
        head += [f"{label} ms", f"{label} / {base}" if base != "fastimg" else f"vs {label}"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for (size, dtype) in sorted(rows, key=lambda k: (k[0], DTYPE_ORDER.get(k[1], 9), k[1])):
        r = rows[(size, dtype)]
        cells = [f"{size}²", dtype]
        cells += [fmt_ms(r[i][0]) if i in r else "" for i in fast]
        for a in anchors:
            if a not in r:
                cells += ["", ""]
                continue
            t, base = r[a]
            cells.append(fmt_ms(t))
            cells.append(fmt_speedup(t / r[base][0]) if base in r else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _sibling(name: str):
    """``benchmarks/<name>.py`` (cold_start, busy) as a module."""
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    return importlib.import_module(name)


def _cold_table(cold: dict) -> str:
    return _sibling("cold_start").format_table(cold)


#: busy-machine goals: default / workers=1 at most this
BUSY_RATIO_LIMIT = 1.3


def _busy_cells(r: dict, limit: float) -> list:
    d, w, a = r.get("default_s"), r.get("workers1_s"), r.get("anchor_s")
    ratio, vs = r.get("default_over_workers1"), r.get("anchor_over_default")
    cells = [fmt_ms(d), fmt_ms(w) if w is not None else "n/a"]
    if ratio is None:
        cells.append("")
    else:
        cells.append(f"**{ratio:.2f}x**" if ratio > limit else f"{ratio:.2f}x")
    cells.append(fmt_ms(a) if a is not None else ("skipped" if r.get("anchor_single_s")
                                                 else "" if not r.get("anchor") else "n/a"))
    if vs is None:
        cells.append("")
    else:
        cells.append(f"**{fmt_speedup(vs)}**" if vs < 1 else fmt_speedup(vs))
    return cells


def busy_section(busy: dict, limit: float = BUSY_RATIO_LIMIT) -> str:
    """The busy-machine table (``busy.py``'s results): one row per function,
    size and dtype, in catalog order, with the ratios; notes below it."""
    from fastimg._core.catalog import ROWS
    order = {f"{r.namespace}.{r.name}": i for i, r in enumerate(ROWS)}
    res = sorted(busy.get("results", []),
                 key=lambda r: (order.get(r["function"], len(order)), r["function"],
                                r["size"], DTYPE_ORDER.get(r["dtype"], 9), r["dtype"]))
    head = ["function", "size", "dtype", "default ms", "workers=1 ms", "default / workers=1",
            "anchor", "anchor ms", "anchor / default"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    notes = []
    for r in res:
        where = f"`{r['function']}` {r['size']}² {r['dtype']}"
        if r.get("skipped"):
            notes.append(f"{where}: skipped, {r['skipped']}")
            continue
        c = _busy_cells(r, limit)
        label = ANCHOR_LABELS.get(r.get("anchor"), r.get("anchor") or "")
        lines.append(f"| `{r['function']}` | {r['size']}² | {r['dtype']} | "
                     + " | ".join(c[:3] + [label] + c[3:]) + " |")
        notes += [f"{where}: {n}" for n in r.get("notes", [])]
    m = busy.get("meta", {})
    lines += ["", (f"Bold: default threads / `workers=1` above {limit:g}x, or anchor / "
                   f"default below 1x (fastimg slower than the anchor). "
                   + ("One core kept busy by another process (`"
                      + (m.get("busy_process") or "python -c 'while True: pass'") + "`)."
                      if m.get("busy", True) else
                      "Measured WITHOUT the busy process (`--no-busy`)."))]
    if notes:
        lines += [""] + [f"* {n}" for n in notes]
    return "\n".join(lines)


def merge_busy(paths: list[str]) -> dict:
    """Load one or more busy.py JSON files into one: results concatenated
    (a later file wins on the same function, size and dtype), meta of the
    first, all commands kept; busy and ``--no-busy`` runs are not mixed
    (ValueError)."""
    merged: dict | None = None
    seen: dict = {}
    commands = []
    for path in paths:
        with open(path) as fh:
            data = json.load(fh)
        if merged is None:
            merged = dict(data, results=[])
            merged["meta"] = dict(data.get("meta", {}))
        elif data.get("meta", {}).get("busy", True) != merged["meta"].get("busy", True):
            raise ValueError(f"{path}: busy and --no-busy runs cannot be merged")
        cmd = data.get("meta", {}).get("command")
        if cmd and cmd not in commands:
            commands.append(cmd)
        for r in data.get("results", []):
            key = (r["function"], r["size"], r["dtype"])
            if key in seen:
                merged["results"][seen[key]] = r
            else:
                seen[key] = len(merged["results"])
                merged["results"].append(r)
    if commands:
        merged["meta"]["command"] = "`; `".join(commands)
    return merged


def busy_goal_lines(busy: dict, limit: float = BUSY_RATIO_LIMIT) -> list:
    """The busy-machine goals as goals-table rows."""
    g = _sibling("busy").goals(busy, limit)
    sizes = sorted({r["size"] for r in busy.get("results", [])})
    at = ", ".join(f"{n}²" for n in sizes)
    quiet = "" if busy.get("meta", {}).get("busy", True) else " (measured without the busy process)"
    out = []
    w = g["worst_ratio"]
    if w:
        above = g["above_limit"]
        text = (f"worst {w['ratio']:.2f}x (`{w['function']}` {w['size']}² {w['dtype']}); "
                f"{len(above)} of {g['ratios_measured']} above")
        out.append(((f"busy machine{quiet}: default threads / `workers=1` <= {limit:g}x for "
                    f"every function ({at})"), text, "no" if above else "yes"))
    lo = g["lowest_anchor_ratio"]
    if lo:
        slower = g["slower_than_anchor"]
        if slower:
            names = ", ".join(f"`{r['function']}` {r['size']}² {r['dtype']} "
                              f"{fmt_speedup(r['ratio'])}" for r in slower[:4])
            text = (f"{len(slower)} of {g['anchors_measured']} slower: {names}"
                    + (", ..." if len(slower) > 4 else ""))
        else:
            text = (f"none; lowest anchor / fastimg {fmt_speedup(lo['ratio'])} "
                    f"(`{lo['function']}` {lo['size']}² {lo['dtype']})")
        if g["anchors_skipped"]:
            text += f"; anchor skipped (too slow) {len(g['anchors_skipped'])}x"
        out.append(((f"busy machine{quiet}: fastimg (default threads) never slower than the "
                    f"anchor ({at})"), text, "no" if slower else "yes"))
    return out


def footnote(bench: dict | None, cold: dict | None, argv: list[str],
             busy: dict | None = None) -> str:
    parts = []
    if bench is not None:
        mi = bench.get("machine_info", {})
        fb = mi.get("fastimg_bench", {})
        cpu = fb.get("cpu_model") or mi.get("cpu", {}).get("brand_raw", "?")
        cores = fb.get("cpu_count") or mi.get("cpu", {}).get("count", "?")
        versions = ", ".join(f"{k} {fb[k]}" for k in
                             ("fastimg", "numba", "numpy", "scipy", "skimage", "cv2", "python")
                             if k in fb)
        runs = bench.get("fastimg_runs") or [_run_stamp(bench)]
        when = (f"Date {runs[0]}" if len(runs) == 1 else
                "Runs merged, a later run's rows replacing an earlier one's: "
                + "; ".join(runs))
        parts.append(
            f"Timings: median of pytest-benchmark rounds on {cpu}, {cores} cores; fastimg ran "
            f"with {fb.get('numba_threads', '?')} threads (its own pool; Numba's threading "
            f"layer: {fb.get('numba_threading_layer', '?')}), OpenCV with "
            f"{fb.get('cv2_threads', '?')} threads, SciPy and scikit-image single-threaded. "
            f"{versions}. {when}. "
            f"Command: `{fb.get('command', '?')}`. Inputs: `skimage.data.camera()` (512²) and a "
            f"mosaic of camera + gray astronaut (tiled for larger sizes); float inputs in [0, 1].")
    if cold is not None:
        m = cold.get("meta", {})
        sizes = ", ".join(f"{n}²" for n in m.get("sizes", [64]))
        dtypes = ", ".join(m.get("dtypes", ["float32"]))
        parts.append(
            f"Cold start: median of {m.get('repeats', '?')} fresh process"
            f"{'es' if m.get('repeats') != 1 else ''} per row, seconds; "
            f"process = whole `python -c` wall time, import = `import <lib>` after numpy, "
            f"1st call = the catalog's sample call on a {sizes} {dtypes} image "
            f"({m.get('input', 'camera()[::8, ::8] / 255')}); cold = empty "
            f"`NUMBA_CACHE_DIR`, warm = populated"
            + ("; 2nd dtype 1st call = then, in the same process, the sample on the "
               "other dtype (uint8 after float32, else float32), not part of process"
               if "second_dtypes" in m else "")
            + ("; `fastimg warmup` = wall time of `" + cold["warmup"]["command"]
               + "` with an empty `NUMBA_CACHE_DIR`"
               + (f" (it printed: \"{cold['warmup']['header']}\")"
                  if cold["warmup"].get("header") else "")
               if cold.get("warmup") else "")
            + f". {m.get('cpu_model', '')}, "
            f"{m.get('cpu_count', '?')} cores, {m.get('date', '')}. "
            f"Command: `{m.get('command', '?')}`.")
    if busy is not None:
        m = busy.get("meta", {})
        parts.append(
            "Busy machine: "
            + (f"one core kept busy by `{m.get('busy_process')}` for the whole run; "
               if m.get("busy", True) else "no busy process (`--no-busy`); ")
            + f"per function, size and dtype, after a warm-up call (compilation "
            f"excluded), the median over up to {m.get('repeats', '?')} interleaved rounds "
            f"(default, `workers=1`, anchor) of the per-call time of each sample "
            f"(back-to-back calls lasting >= {m.get('min_time_s', '?')} s); default = "
            f"`workers` not passed ({m.get('default_threads', '?')} threads, "
            f"NUMBA_NUM_THREADS={m.get('numba_num_threads', '?')}); anchor skipped where "
            f"one call took > {m.get('anchor_limit_s', '?')} s. Inputs: "
            f"{m.get('input', '?')}. {m.get('cpu_model', '')}, {m.get('cpu_count', '?')} "
            f"cores, numba {m.get('numba', '?')}, load average "
            f"{'/'.join(f'{v:.1f}' for v in m.get('loadavg_start', [])[:1])} at the start, "
            f"{m.get('date', '')}, {m.get('elapsed_s', 0):.0f} s. "
            f"Command: `{m.get('command', '?')}`.")
    parts.append(f"Generated by `{shlex.join(['python', *argv])}`.")
    # One footnote, one paragraph (GitHub renders it at the bottom of the page).
    return "[^bench]: " + " ".join(parts)


def goals_table(bench: dict | None, cold: dict | None, meta: dict,
                busy: dict | None = None, tour: dict | None = None,
                more_cold: list = ()) -> str:
    """The performance goals (``GOALS`` of the bench modules, the
    cold-start and busy-machine goals): each met or not, with the measured
    figure."""
    lines = ["| goal | measured | met |", "| --- | --- | --- |"]
    data = collect(bench) if bench is not None else {}
    # without a benchmark run, the speed goals are not this report's subject
    for case, size, dtype, anchor, target in (meta["goals"] if bench is not None else ()):
        row = data.get(case, {}).get((size, dtype), {})
        label = ANCHOR_LABELS.get(anchor, anchor)
        goal = f"{meta['titles'].get(case, case)} {size}² {dtype}: >= {target:.2g}x {label}"
        if "fastimg" in row and anchor in row:
            ratio = row[anchor][0] / row["fastimg"][0]
            lines.append(f"| {goal} | {fmt_speedup(ratio)} ({fmt_ms(row['fastimg'][0])} vs "
                         f"{fmt_ms(row[anchor][0])} ms) | {'yes' if ratio >= target else 'no'} |")
        else:
            lines.append(f"| {goal} | not measured | |")
    g = (cold or {}).get("goal")
    if g:   # written by cold_start.py
        where = f"{g.get('size', 64)}² {g.get('dtype', 'float32')}"
        lines.append(f"| warm-cache `import fastimg` + first `{g['function']}` ({where}): "
                     f"< {g['limit_s']:g} s process wall | {g['process_s']:.2f} s | "
                     f"{'yes' if g['met'] else 'no'} |")
    extra = []
    for c in ([cold] if cold is not None else []) + list(more_cold):
        extra += _sibling("cold_start").goal_lines(c)
    if busy is not None:
        extra += busy_goal_lines(busy)
    if tour is not None:
        extra += [(goal, measured, "yes" if met else "no")
                  for goal, measured, met in _sibling("tour_script").goal_lines(tour)]
    lines += [f"| {goal} | {measured} | {met} |" for goal, measured, met in extra]
    return "\n".join(lines) if len(lines) > 2 else ""


def summary_table(bench: dict, meta: dict) -> str:
    """One line per catalog function: best and median speed-up against its
    anchor over its cases and dtypes, at 2048² if measured there, else at
    the largest size measured."""
    from fastimg._core.catalog import ROWS
    data = collect(bench)
    lines = ["| function | anchor | size | best | median | cases x dtypes |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in ROWS:
        qual = f"{row.namespace}.{row.name}"
        anchor = row.anchor.split(".")[0] if row.anchor else None
        label = ANCHOR_LABELS.get(anchor, anchor or "")
        ratios: dict = {}       # size -> [speed-up]
        for case, fn in meta["functions"].items():
            if fn != qual:
                continue
            for (size, _dtype), r in data.get(case, {}).items():
                if anchor in r and r[anchor][1] in r:
                    t, base = r[anchor]
                    ratios.setdefault(size, []).append(t / r[base][0])
        if not ratios:
            lines.append(f"| `{qual}` | {label} | | not measured | | |")
            continue
        size = SUMMARY_SIZE if SUMMARY_SIZE in ratios else max(ratios)
        vals = ratios[size]
        lines.append(f"| `{qual}` | {label} | {size}² | {fmt_speedup(max(vals))} | "
                     f"{fmt_speedup(statistics.median(vals))} | {len(vals)} |")
    return "\n".join(lines)


def _provenance(data: dict) -> str:
    m = data.get("meta", {})
    where = ", ".join(str(v) for v in (m.get("cpu_model"), m.get("cpu_count") and
                                       f"{m['cpu_count']} cores", m.get("date")) if v)
    return f"Command: `{m.get('command', '?')}`" + (f"; {where}." if where else ".")


def extra_sections(tour: dict | None, compiles: dict | None, top: int = 10) -> list:
    """The tour script's and the compile times' sections of the full report."""
    out = []
    if tour is not None:
        ts = _sibling("tour_script")
        out += ["## A user's script: the classic tour (seconds)", "",
                ("The same script of the classic tour run in a fresh process with the "
                 "anchors' imports, then fastimg's on a fresh install (empty kernel cache), "
                 "then again (the cache that run filled); whole-process wall time, then "
                 "each step's time inside the script. Median of "
                 f"{tour['meta'].get('repeats')} runs, {tour['meta'].get('size')}² "
                 f"photographs ({tour['meta'].get('input')})."), "",
                ts.format_table(tour), "", _provenance(tour), ""]
    if compiles is not None:
        ct = _sibling("compile_times")
        out += [f"## Compile times: the {top} most expensive", "",
                ("From Numba's `numba:compile` events while `fastimg warmup` compiles "
                 "everything in one fresh process with an empty cache "
                 "(`FASTIMG_JIT=foreground`): a kernel signature's own time, its callees' "
                 "compiles excluded, and with them."), "",
                ct.table(compiles, top), "", ct.kernel_table(compiles, top), "",
                _provenance(compiles), ""]
    return out


def render_full(bench: dict | None, cold: dict | None, argv: list[str],
                meta: dict | None = None, busy: dict | None = None,
                tour: dict | None = None, compiles: dict | None = None,
                more_cold: list = ()) -> str:
    """Every table: goals, one per case (grouped by family), busy machine,
    cold start (and more cold-start runs, in other modes), the tour script
    and the compile times."""
    meta = bench_metadata() if meta is None else meta
    cmd = shlex.join(["python", *argv])
    title = "Benchmarks" if bench is not None else "Cold start, first calls and compile costs"
    out = [f"<!-- Generated by `{cmd}`; do not edit by hand. -->",
           f"# {title}", "",
           (f"Generated by `{cmd}` from the benchmark JSON named there (see the footnote "
           "for the runs' commands); do not edit by hand. Speed-up = anchor median / "
           "fastimg median, same inputs (real photographs), same run."), ""]
    goals = goals_table(bench, cold, meta, busy, tour, more_cold)
    if goals:
        out += ["## Performance goals[^bench]", "", goals, ""]
    if bench is not None:
        data = collect(bench)
        known = set()
        for fam, cases in meta["families"].items():
            present = [c for c in cases if c in data]
            known.update(cases)
            if not present:
                continue
            out += [f"## {fam}", ""]
            for case in present:
                out += [f"### {meta['titles'].get(case, case)}[^bench]", "",
                        case_table(data[case]), ""]
        other = sorted(set(data) - known)
        if other:
            out += ["## other cases", ""]
            for case in other:
                out += [f"### {case}[^bench]", "", case_table(data[case]), ""]
        out.append("Speed-up columns are anchor time / fastimg time (higher is better "
                   "for fastimg); all times in milliseconds.\n")
    if busy is not None:
        out += ["## Busy machine[^bench]", "",
                ("Every public function with one core kept busy by another process: fastimg "
                "with its default threads against `workers=1` (goal: at most "
                f"{BUSY_RATIO_LIMIT:g}x) and against the anchor (goal: never slower); "
                "milliseconds per call."), "", busy_section(busy), ""]
    if cold is not None:
        mode = cold.get("meta", {}).get("jit_mode")
        out += [f"## Cold start{f', `FASTIMG_JIT={mode}`' if mode else ''} (seconds)[^bench]",
                "", _cold_table(cold), ""]
    for extra in more_cold:
        out += [f"## Cold start, `FASTIMG_JIT={extra['meta'].get('jit_mode')}` (seconds)", "",
                "The same measurement as the cold-start table of the footnote, in this mode.",
                "", _cold_table(extra), "", _provenance(extra), ""]
    out += extra_sections(tour, compiles)
    out.append(footnote(bench, cold, argv, busy))
    return "\n".join(out).rstrip() + "\n"


def render_summary(bench: dict | None, cold: dict | None, argv: list[str], docs_link: str,
                   meta: dict | None = None, busy: dict | None = None,
                   tour: dict | None = None) -> str:
    """The README's part: one line per function, the goals, a link."""
    meta = bench_metadata() if meta is None else meta
    out = [f"<!-- Generated by `{shlex.join(['python', *argv])}`; do not edit by hand. -->",
           ""]
    if bench is not None:
        out += ["#### Speed-up against the anchor[^bench]", "", summary_table(bench, meta), "",
                (f"Best and median over the function's benchmark cases and input dtypes "
                f"of anchor time / fastimg time, at {SUMMARY_SIZE}² (else the largest "
                f"size measured)."), ""]
    goals = goals_table(bench, cold, meta, busy, tour)
    if goals:
        out += ["#### Performance goals[^bench]", "", goals, ""]
    out += [(f"Every table (each case, size, dtype and anchor, OpenCV, the reference, "
             f"the busy machine, the cold start per function, the tour script and the "
             f"most expensive compiles): "
             f"[{docs_link}]({docs_link})."), ""]
    out.append(footnote(bench, cold, argv, busy))
    return "\n".join(out).rstrip() + "\n"


def merge_bench(paths: list[str]) -> dict:
    """Load one or more pytest-benchmark JSON files (e.g. one run per size)
    into one: benchmarks concatenated (a later file wins on the same
    group + impl), machine info of the first, all commands kept."""
    merged: dict | None = None
    seen: dict = {}
    commands = []
    runs = []
    for path in paths:
        with open(path) as fh:
            data = json.load(fh)
        benches = data.get("benchmarks", [])
        if merged is None:
            merged = dict(data, benchmarks=[])
        runs.append(_run_stamp(data))
        cmd = data.get("machine_info", {}).get("fastimg_bench", {}).get("command")
        if cmd and cmd not in commands:
            commands.append(cmd)
        for b in benches:
            key = (b.get("group"), b.get("extra_info", {}).get("impl", b.get("name")))
            if key in seen:
                merged["benchmarks"][seen[key]] = b
            else:
                seen[key] = len(merged["benchmarks"])
                merged["benchmarks"].append(b)
    fb = merged.setdefault("machine_info", {}).setdefault("fastimg_bench", {})
    if commands:
        fb["command"] = "`; `".join(commands)
    merged["fastimg_runs"] = list(dict.fromkeys(runs))
    return merged


def _run_stamp(bench: dict) -> str:
    """``date, commit`` of one pytest-benchmark run."""
    commit = bench.get("commit_info", {})
    rev = commit.get("id", "")[:10]
    if rev and commit.get("dirty"):
        rev += " (dirty)"
    return f"{bench.get('datetime', '?')[:19]}" + (f", commit {rev}" if rev else "")


def replace_between_markers(text: str, body: str) -> str | None:
    pat = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pat.search(text):
        return None
    return pat.sub(lambda _m: f"{START}\n{body.rstrip()}\n{END}", text, count=1)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", nargs="*",
                    help="pytest-benchmark JSON file(s) (--benchmark-json); several are merged")
    ap.add_argument("--cold", action="append", metavar="COLD_JSON",
                    help="cold-start JSON (cold_start.py --json); repeat for runs in other "
                         "FASTIMG_JIT modes (each its own table; the first feeds the README)")
    ap.add_argument("--busy", action="append", metavar="BUSY_JSON",
                    help="busy-machine JSON (busy.py --json); repeat to merge several")
    ap.add_argument("--tour", help="tour-script JSON (tour_script.py --json)")
    ap.add_argument("--compile", dest="compiles",
                    help="compile-times JSON (compile_times.py --json)")
    ap.add_argument("--run-cold", action="store_true",
                    help="measure the cold start now instead of reading --cold")
    ap.add_argument("--readme", help="write the summary between the bench markers of this "
                                     "file and the full tables to --docs")
    ap.add_argument("--docs", help=f"the full tables' file (default with --readme: {DOCS} "
                                   "next to the README)")
    ap.add_argument("-o", "--out", help="also write the full tables to this file")
    args = ap.parse_args(argv)
    if not (args.bench or args.cold or args.run_cold or args.busy or args.tour
            or args.compiles):
        ap.error("give a benchmark JSON and/or --cold / --run-cold / --busy / --tour / "
                 "--compile")

    bench = cold = busy = None
    if args.busy:
        try:
            busy = merge_busy(args.busy)
        except ValueError as exc:
            ap.error(str(exc))
    if args.bench:
        bench = merge_bench(args.bench)
    if args.run_cold:
        sys.path.insert(0, HERE)
        from cold_start import run_cold_start
        cold = run_cold_start()
    more_cold = []
    if args.cold:
        colds = []
        for path in args.cold:
            with open(path) as fh:
                colds.append(json.load(fh))
        if not args.run_cold:
            cold = colds.pop(0)
        more_cold = colds

    tour = compiles = None
    if args.tour:
        with open(args.tour) as fh:
            tour = json.load(fh)
    if args.compiles:
        with open(args.compiles) as fh:
            compiles = json.load(fh)

    meta = bench_metadata()
    cmd = ["benchmarks/report.py", *argv]
    full = render_full(bench, cold, cmd, meta, busy, tour, compiles, more_cold)
    docs = args.docs
    if docs is None and args.readme:
        docs = os.path.join(os.path.dirname(os.path.abspath(args.readme)), DOCS)
    for path in filter(None, (args.out, docs)):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(full)
        print(f"{path}: written", file=sys.stderr)
    if not args.readme:
        if not docs:
            print(full)
        return 0
    link = os.path.relpath(os.path.abspath(docs),
                           os.path.dirname(os.path.abspath(args.readme))).replace(os.sep, "/")
    summary = render_summary(bench, cold, cmd, link, meta, busy, tour)
    with open(args.readme) as fh:
        text = fh.read()
    new = replace_between_markers(text, summary)
    if new is None:
        print(f"{args.readme}: markers {START} / {END} not found; "
              "file left unchanged", file=sys.stderr)
        print(summary)
        return 0
    if new != text:
        with open(args.readme, "w") as fh:
            fh.write(new)
    print(f"{args.readme}: benchmark summary updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
