"""What each kernel costs to compile, from Numba's own compile events.

In a fresh process with an empty ``NUMBA_CACHE_DIR`` (and
``FASTIMG_JIT=foreground``), ``fastimg.warmup`` runs every catalog function
for the given dtypes while a recorder listens to ``numba:compile`` events:
each event spans one kernel signature's compile, callees included.  The
exclusive time of a compile is its span minus the spans of the compiles
nested in it (a kernel's callees compile inside it), in CPU time of the
compiling thread (steady on a shared machine; the tables rank by it) and in
wall time.  Prints the most expensive compiles and writes them all as JSON.

Usage::

    python benchmarks/compile_times.py --json compile.json --top 10
    python benchmarks/compile_times.py --dtypes float32 --functions ndimage.gaussian_filter
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shlex
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
from numba.core import event
import fastimg
from fastimg._core import warmup


class Recorder(event.Listener):
    # wall time and the compiling thread's CPU time of every event: on a
    # shared machine the CPU time is the steadier measure
    def __init__(self):
        self.buffer = []

    def on_start(self, ev):
        self.buffer.append((time.perf_counter(), time.thread_time(), ev))

    def on_end(self, ev):
        self.buffer.append((time.perf_counter(), time.thread_time(), ev))


dtypes, functions = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rec = Recorder()
with event.install_listener("numba:compile", rec):
    t0, c0 = time.perf_counter(), time.process_time()
    warmup.warmup(dtypes=dtypes, functions=functions)
    total, total_cpu = time.perf_counter() - t0, time.process_time() - c0
stack, rows = [], []
for t, c, ev in rec.buffer:
    if ev.is_start:
        stack.append([t, c, 0.0, 0.0, ev.data])
        continue
    start, cstart, nested, cnested, data = stack.pop()
    span, cspan = t - start, c - cstart
    if stack:
        stack[-1][2] += span
        stack[-1][3] += cspan
    disp = data["dispatcher"]
    rows.append({"kernel": f"{disp.py_func.__module__}.{disp.py_func.__qualname__}",
                 "signature": str(data["args"]), "inclusive_s": span,
                 "exclusive_s": span - nested, "inclusive_cpu_s": cspan,
                 "exclusive_cpu_s": cspan - cnested})
print("COMPILE" + json.dumps({"warmup_s": total, "warmup_cpu_s": total_cpu,
                             "compiles": rows}))
"""


def measure(dtypes=None, functions=None) -> dict:
    """Compile events of ``warmup(dtypes, functions)`` in a fresh process
    with an empty kernel cache (``dtypes`` None: warmup's own, every
    catalog row's dtypes)."""
    with tempfile.TemporaryDirectory(prefix="fastimg-compile-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, FASTIMG_JIT="foreground",
                   FASTIMG_CACHE="1")
        r = subprocess.run([sys.executable, "-c", CHILD, json.dumps(None if dtypes is None else list(dtypes)),
                            json.dumps(None if functions is None else list(functions))],
                           env=env, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-3000:])
    line = [ln for ln in r.stdout.splitlines() if ln.startswith("COMPILE")][-1]
    out = json.loads(line[len("COMPILE"):])
    out["compiles"].sort(key=lambda row: -row["exclusive_s"])
    out["dtypes"] = list(dtypes) if dtypes is not None else "warmup's (every row's)"
    out["meta"] = {"date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                   "cpu_count": os.cpu_count(), "load_average": os.getloadavg(),
                   "command": shlex.join(["python", "benchmarks/compile_times.py",
                                          *sys.argv[1:]])}
    return out


def _cpu(row: dict, key: str = "exclusive") -> float:
    # JSON written before CPU times were recorded: the wall time
    return row.get(f"{key}_cpu_s", row[f"{key}_s"])


def table(result: dict, top: int) -> str:
    """The ``top`` most expensive compiles (exclusive CPU time) as Markdown."""
    ranked = sorted(result["compiles"], key=lambda row: -_cpu(row))
    lines = ["| kernel | signature | compile, CPU (s) | with callees, CPU (s) | compile, wall (s) |",
             "|---|---|---|---|---|"]
    for row in ranked[:top]:
        lines.append(f"| `{row['kernel']}` | `{row['signature']}` | "
                     f"{_cpu(row):.2f} | {_cpu(row, 'inclusive'):.2f} | "
                     f"{row['exclusive_s']:.2f} |")
    total = sum(r["exclusive_s"] for r in result["compiles"])
    cpu = sum(_cpu(r) for r in result["compiles"])
    lines.append("")
    dtypes = result["dtypes"]
    load = result.get("meta", {}).get("load_average")
    lines.append(f"{len(result['compiles'])} compiles, {cpu:.1f} s CPU ({total:.1f} s wall) of "
                 f"compiling in `warmup` ({result.get('warmup_cpu_s', float('nan')):.1f} s CPU, "
                 f"{result['warmup_s']:.1f} s wall in all, one process), dtypes "
                 f"{', '.join(dtypes) if isinstance(dtypes, list) else dtypes}"
                 + (f"; load average {load[0]:.1f} at the end." if load else "."))
    return "\n".join(lines)


def kernel_table(result: dict, top: int) -> str:
    """The ``top`` kernels costing most over all their signatures (Markdown):
    where fewer specialisations would save most."""
    per: dict = {}
    for row in result["compiles"]:
        n, t = per.get(row["kernel"], (0, 0.0))
        per[row["kernel"]] = (n + 1, t + _cpu(row))
    lines = ["| kernel | signatures | compile, all signatures, CPU (s) |", "|---|---|---|"]
    for name, (n, t) in sorted(per.items(), key=lambda kv: -kv[1][1])[:top]:
        lines.append(f"| `{name}` | {n} | {t:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--json", help="write every compile to this JSON file")
    ap.add_argument("--dtypes", help="comma list (default: warmup's, every row's dtypes)")
    ap.add_argument("--functions", help="comma list of namespace.name (default: all)")
    ap.add_argument("--top", type=int, default=10, help="rows printed (default %(default)s)")
    args = ap.parse_args(argv)
    functions = args.functions.split(",") if args.functions else None
    result = measure(args.dtypes.split(",") if args.dtypes else None, functions)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1)
    print(table(result, args.top))
    print()
    print(kernel_table(result, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
