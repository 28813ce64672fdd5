"""Turn pytest-benchmark JSON (and optionally cold-start JSON) into Markdown.

Usage::

    pytest benchmarks --benchmark-only --benchmark-json=bench.json
    python benchmarks/cold_start.py --json cold.json
    python benchmarks/report.py bench.json --cold cold.json              # print
    python benchmarks/report.py bench.json --cold cold.json --readme README.md

With ``--readme`` the text between ``<!-- bench:start -->`` and
``<!-- bench:end -->`` is replaced; if the markers are absent the file is left
alone and the Markdown is printed instead.  ``--run-cold`` measures the cold
start now (``cold_start.run_cold_start``) instead of reading ``--cold``.

One table per case: rows are size | dtype, columns the fastimg median (ms),
then for each anchor its median and the speed-up ``anchor / fastimg``.  The
speed-up of an anchor is taken against its ``baseline`` fastimg implementation
(``extra_info["baseline"]``; e.g. skimage.filters.gaussian is compared with
fastimg.filters.gaussian, not with fastimg.ndimage.gaussian_filter).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import shlex
import sys

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"

IMPL_ORDER = ["fastimg", "fastimg.filters", "scipy", "skimage", "opencv", "reference"]
DTYPE_ORDER = {"uint8": 0, "uint16": 1, "float32": 2, "float64": 3}
CASE_TITLES = {
    "correlate3x3": "`ndimage.correlate`, 3x3 kernel",
    "gaussian_sigma2": "`ndimage.gaussian_filter(x, 2)` / `filters.gaussian(x, 2)`",
    "uniform5": "`ndimage.uniform_filter(x, 5)`",
    "sobel": "`ndimage.sobel(x, 0)`",
    "skimage_sobel": "`filters.sobel(x)` (skimage)",
    "convolve2d_5x5_symm": "`signal.convolve2d`, 5x5, `mode='same', boundary='symm'`",
    "convolve_5x5": "`ndimage.convolve`, 5x5 non-separable, `mode='mirror'`",
    "correlate_rank1_7x7": "`ndimage.correlate`, 7x7 rank-1 kernel",
    "correlate1d_axis0": "`ndimage.correlate1d`, 7 taps, axis 0",
    "convolve1d_axis1": "`ndimage.convolve1d`, 7 taps, axis 1",
    "gaussian_filter1d_sigma3": "`ndimage.gaussian_filter1d(x, 3)`",
    "uniform_filter1d_9": "`ndimage.uniform_filter1d(x, 9, axis=0)`",
    "prewitt": "`ndimage.prewitt(x, 1)`",
    "correlate2d_5x5_fill": "`signal.correlate2d`, 5x5, `mode='same'`",
    "otsu": "`filters.threshold_otsu`",
    "multiotsu3": "`filters.threshold_multiotsu(x, 3)`",
    "adjust_gamma": "`exposure.adjust_gamma` (general exponent)",
    "adjust_gamma2": "`exposure.adjust_gamma(x, 2)`",
    "adjust_log": "`exposure.adjust_log`",
    "invert": "`util.invert`",
}
ANCHOR_LABELS = {"scipy": "SciPy", "skimage": "scikit-image", "opencv": "OpenCV",
                 "reference": "reference"}


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


def _cold_table(cold: dict) -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    from cold_start import format_table
    return format_table(cold)


def footnote(bench: dict | None, cold: dict | None, argv: list[str]) -> str:
    parts = []
    if bench is not None:
        mi = bench.get("machine_info", {})
        fb = mi.get("fastimg_bench", {})
        cpu = fb.get("cpu_model") or mi.get("cpu", {}).get("brand_raw", "?")
        cores = fb.get("cpu_count") or mi.get("cpu", {}).get("count", "?")
        versions = ", ".join(f"{k} {fb[k]}" for k in
                             ("fastimg", "numba", "numpy", "scipy", "skimage", "cv2", "python")
                             if k in fb)
        commit = bench.get("commit_info", {})
        rev = commit.get("id", "")[:10]
        if rev and commit.get("dirty"):
            rev += " (dirty)"
        parts.append(
            f"Timings: median of pytest-benchmark rounds on {cpu}, {cores} cores; fastimg ran "
            f"with {fb.get('numba_threads', '?')} Numba threads "
            f"(threading layer `{fb.get('numba_threading_layer', '?')}`), OpenCV with "
            f"{fb.get('cv2_threads', '?')} threads, SciPy and scikit-image single-threaded. "
            f"{versions}. Date {bench.get('datetime', '?')[:19]}"
            + (f", commit {rev}" if rev else "") + ". "
            f"Command: `{fb.get('command', '?')}`. Inputs: `skimage.data.camera()` (512²) and a "
            f"mosaic of camera + gray astronaut (tiled for larger sizes); float inputs in [0, 1].")
    if cold is not None:
        m = cold.get("meta", {})
        parts.append(
            f"Cold start: median of {m.get('repeats', '?')} fresh processes, seconds; "
            f"process = whole `python -c` wall time, import = `import <lib>` after numpy, "
            f"1st call on a 64x64 float32 image; cold = empty `NUMBA_CACHE_DIR`, warm = "
            f"populated. {m.get('cpu_model', '')}, {m.get('date', '')}. "
            f"Command: `{m.get('command', '?')}`.")
    parts.append(f"Generated by `{shlex.join(['python', *argv])}`.")
    # One footnote, one paragraph (GitHub renders it at the bottom of the page).
    return "[^bench]: " + " ".join(parts)


#: The performance goals of the issues: (case, size, dtype, anchor,
#: minimum speed-up anchor/fastimg).  The report states each as met or not,
#: with the measured figure; the README explains the ones not met.
GOALS = [
    ("correlate3x3", 4096, "float32", "opencv", 1.0),
    ("correlate3x3", 4096, "float32", "scipy", 8.0),
    ("gaussian_sigma2", 4096, "float32", "opencv", 1.0),
    ("gaussian_sigma2", 4096, "float32", "scipy", 20.0),
    ("convolve2d_5x5_symm", 2048, "float64", "scipy", 10.0),
    # issue 3 (thresholds and intensity transforms)
    ("otsu", 4096, "uint8", "opencv", 1.0),
    ("otsu", 4096, "uint8", "skimage", 6.0),
    ("otsu", 4096, "float32", "skimage", 6.0),
    ("multiotsu3", 2048, "uint8", "skimage", 10.0),
    ("adjust_gamma", 4096, "uint8", "opencv", 1 / 1.2),
    ("adjust_gamma", 4096, "float32", "skimage", 8.0),
]


def goals_table(bench: dict | None, cold: dict | None) -> str:
    lines = ["| goal | measured | met |", "| --- | --- | --- |"]
    data = collect(bench) if bench is not None else {}
    for case, size, dtype, anchor, target in GOALS:
        row = data.get(case, {}).get((size, dtype), {})
        label = ANCHOR_LABELS.get(anchor, anchor)
        goal = f"{CASE_TITLES.get(case, case)} {size}² {dtype}: >= {target:.2g}x {label}"
        if "fastimg" in row and anchor in row:
            ratio = row[anchor][0] / row["fastimg"][0]
            lines.append(f"| {goal} | {fmt_speedup(ratio)} ({fmt_ms(row['fastimg'][0])} vs "
                         f"{fmt_ms(row[anchor][0])} ms) | {'yes' if ratio >= target else 'no'} |")
    if cold is not None and "goal" in cold:
        g = cold["goal"]  # written by cold_start.py
        sec = g["process_s"]
        lines.append(f"| warm-cache `import fastimg` + first `{g['function']}`: "
                     f"< {g['limit_s']:g} s process wall | {sec:.2f} s | "
                     f"{'yes' if g['met'] else 'no'} |")
    return "\n".join(lines) if len(lines) > 2 else ""


def render(bench: dict | None, cold: dict | None, argv: list[str]) -> str:
    out = []
    goals = goals_table(bench, cold)
    if goals:
        out.append("#### Performance goals[^bench]\n")
        out.append(goals)
        out.append("")
    if bench is not None:
        data = collect(bench)
        order = [c for c in CASE_TITLES if c in data] + sorted(set(data) - set(CASE_TITLES))
        for case in order:
            out.append(f"#### {CASE_TITLES.get(case, case)}[^bench]\n")
            out.append(case_table(data[case]))
            out.append("")
        out.append("Speed-up columns are anchor time / fastimg time (higher is better "
                   "for fastimg); all times in milliseconds.\n")
    if cold is not None:
        out.append("#### Cold start (seconds)[^bench]\n")
        out.append(_cold_table(cold))
        out.append("")
    out.append(footnote(bench, cold, argv))
    return "\n".join(out).rstrip() + "\n"


def merge_bench(paths: list[str]) -> dict:
    """Load one or more pytest-benchmark JSON files (e.g. one run per size)
    into one: benchmarks concatenated (a later file wins on the same
    group + impl), machine info of the first, all commands kept."""
    merged: dict | None = None
    seen: dict = {}
    commands = []
    for path in paths:
        with open(path) as fh:
            data = json.load(fh)
        benches = data.get("benchmarks", [])
        if merged is None:
            merged = dict(data, benchmarks=[])
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
    return merged


def replace_between_markers(text: str, body: str) -> str | None:
    pat = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pat.search(text):
        return None
    return pat.sub(lambda _m: f"{START}\n{body.rstrip()}\n{END}", text, count=1)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", nargs="*",
                    help="pytest-benchmark JSON file(s) (--benchmark-json); several are merged")
    ap.add_argument("--cold", help="cold-start JSON (cold_start.py --json)")
    ap.add_argument("--run-cold", action="store_true",
                    help="measure the cold start now instead of reading --cold")
    ap.add_argument("--readme", help="replace the bench markers' content in this file")
    ap.add_argument("-o", "--out", help="also write the Markdown to this file")
    args = ap.parse_args(argv)
    if not args.bench and not args.cold and not args.run_cold:
        ap.error("give a benchmark JSON and/or --cold / --run-cold")

    bench = cold = None
    if args.bench:
        bench = merge_bench(args.bench)
    if args.run_cold:
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, here)
        from cold_start import run_cold_start
        cold = run_cold_start()
    elif args.cold:
        with open(args.cold) as fh:
            cold = json.load(fh)

    md = render(bench, cold, ["benchmarks/report.py", *argv])
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(md)
    if args.readme:
        with open(args.readme) as fh:
            text = fh.read()
        new = replace_between_markers(text, md)
        if new is None:
            print(f"{args.readme}: markers {START} / {END} not found; "
                  "file left unchanged", file=sys.stderr)
            print(md)
            return 0
        if new != text:
            with open(args.readme, "w") as fh:
                fh.write(new)
        print(f"{args.readme}: benchmark section updated", file=sys.stderr)
        return 0
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
