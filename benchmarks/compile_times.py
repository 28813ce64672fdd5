"""What each kernel costs to compile, from Numba's own compile events.

In a fresh process with an empty ``NUMBA_CACHE_DIR`` (and
``FASTIMG_JIT=foreground``), ``fastimg.warmup`` runs every catalog function
for the given dtypes while a recorder listens to ``numba:compile`` events:
each event spans one kernel signature's compile, callees included.  The
exclusive time of a compile is its span minus the spans of the compiles
nested in it (a kernel's callees compile inside it).  Prints the most
expensive compiles and writes them all as JSON.

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
dtypes, functions = json.loads(sys.argv[1]), json.loads(sys.argv[2])
with event.install_recorder("numba:compile") as rec:
    t0 = time.perf_counter()
    warmup.warmup(dtypes=dtypes, functions=functions)
    total = time.perf_counter() - t0
stack, rows = [], []
for t, ev in rec.buffer:
    if ev.is_start:
        stack.append([t, 0.0, ev.data])
        continue
    start, nested, data = stack.pop()
    span = t - start
    if stack:
        stack[-1][1] += span
    disp = data["dispatcher"]
    rows.append({"kernel": f"{disp.py_func.__module__}.{disp.py_func.__qualname__}",
                 "signature": str(data["args"]), "inclusive_s": span,
                 "exclusive_s": span - nested})
print("COMPILE" + json.dumps({"warmup_s": total, "compiles": rows}))
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
                   "cpu_count": os.cpu_count(),
                   "command": shlex.join(["python", "benchmarks/compile_times.py",
                                          *sys.argv[1:]])}
    return out


def table(result: dict, top: int) -> str:
    """The ``top`` most expensive compiles (exclusive time) as Markdown."""
    lines = ["| kernel | signature | compile (s) | with callees (s) |", "|---|---|---|---|"]
    for row in result["compiles"][:top]:
        lines.append(f"| `{row['kernel']}` | `{row['signature']}` | "
                     f"{row['exclusive_s']:.2f} | {row['inclusive_s']:.2f} |")
    total = sum(r["exclusive_s"] for r in result["compiles"])
    lines.append("")
    dtypes = result["dtypes"]
    lines.append(f"{len(result['compiles'])} compiles, {total:.1f} s of compiling in "
                 f"`warmup` ({result['warmup_s']:.1f} s in all, one process), dtypes "
                 f"{', '.join(dtypes) if isinstance(dtypes, list) else dtypes}.")
    return "\n".join(lines)


def kernel_table(result: dict, top: int) -> str:
    """The ``top`` kernels costing most over all their signatures (Markdown):
    where fewer specialisations would save most."""
    per: dict = {}
    for row in result["compiles"]:
        n, t = per.get(row["kernel"], (0, 0.0))
        per[row["kernel"]] = (n + 1, t + row["exclusive_s"])
    lines = ["| kernel | signatures | compile, all signatures (s) |", "|---|---|---|"]
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
