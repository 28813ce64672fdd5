"""Cold-start cost: ``import`` + first call, each in a fresh ``python`` process.

For every public function (every row of ``fastimg._catalog``), a new
interpreter runs ``import <lib>`` and one call, the row's ``sample`` with
``f`` = ``fastimg.<namespace>.<name>`` or the anchor's function of the same
name (``import <row.anchor>``), on a ``--size`` x ``--size`` photograph
(default 512: ``camera()``; other sizes: ``camera()`` tiled and cropped, or
subsampled by an integer step when the size divides 512, so ``--size 64`` is
the former ``camera()[::8, ::8]``) handed over as a ``.npy`` file so the child
never imports skimage for fastimg rows.  float32 in [0, 1], and for ``uint8``
that image times 255, rounded (the photograph's own grey levels).  The
sample's names besides ``f`` and ``x`` (``SAMPLE_NAMES``: NumPy and the
kernels) are written into the child as literals, so an anchor child never
imports fastimg.  Measured three ways: whole-process wall time (parent side,
includes interpreter start-up and numpy import), in-process ``import`` time
(after numpy is imported) and in-process first-call time.

fastimg rows are measured twice:

* ``cold``: an EMPTY Numba cache (``NUMBA_CACHE_DIR`` = a new temp dir per run),
  so the first call compiles;
* ``warm``: the same temp dir populated by one unmeasured run, so the first
  call loads the cached machine code.

A 64x64 image is below fastimg's parallel threshold (65,536 pixels), so only
the serial kernels are compiled / loaded there; 512x512 (the default) runs
the parallel ones.  Anchors (scipy / skimage) have no JIT: one unmeasured
run, then the measured ones.  Every figure is the median of ``--repeats``
runs (default 3).  One row per (function, size, dtype, library, cache).

Usage::

    python benchmarks/cold_start.py --json cold.json
    python benchmarks/cold_start.py --size 64,512 --dtypes float32 --functions ndimage.sobel

Goal reported against: warm cache, ``import fastimg`` + first
``gaussian_filter`` under 0.8 s of process wall time (float32, the first
size measured).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.dirname(HERE) not in sys.path:   # run as a script from anywhere
    sys.path.insert(0, os.path.dirname(HERE))

from fastimg._catalog import ROWS, SAMPLE_NAMES  # noqa: E402  (after the path)

GOAL_FUNCTION = "ndimage.gaussian_filter"
GOAL_SECONDS = 0.8
DEFAULT_SIZES = (512,)
DEFAULT_DTYPES = ("float32", "uint8")


def _sample_literals() -> str:
    """``SAMPLE_NAMES`` as source lines (arrays as exact literals)."""
    lines = []
    for name, value in SAMPLE_NAMES.items():
        if value is np:
            continue        # the child imports numpy as np itself
        if not isinstance(value, np.ndarray):
            raise TypeError(f"SAMPLE_NAMES[{name!r}]: no literal for {type(value)}")
        # Python floats repr round-trip exactly
        lines.append(f"{name} = np.array({value.tolist()!r}, dtype=np.{value.dtype})\n")
    return "".join(lines)


_KERNELS = _sample_literals()


def _qualname(row) -> str:
    return f"{row.namespace}.{row.name}"


def _calls(row) -> tuple:
    """(fastimg (import, call), anchor (label, import, call) or None)."""
    fast = ("import fastimg",
            f"f = fastimg.{row.namespace}.{row.name}\n_r = {row.sample}")
    if row.anchor is None:
        return fast, None
    anchor = (row.anchor.split(".")[0], f"import {row.anchor}",
              f"f = {row.anchor}.{row.name}\n_r = {row.sample}")
    return fast, anchor


#: name -> (fastimg (import, call), anchor (label, import, call) or None),
#: from the catalog, in its order
FUNCTIONS = {_qualname(r): _calls(r) for r in ROWS}

_CHILD = """\
import time
t0 = time.perf_counter()
import json
import numpy as np
t1 = time.perf_counter()
{imp}
t2 = time.perf_counter()
{kernels}x = np.load({path!r})
t3 = time.perf_counter()
{call}
t4 = time.perf_counter()
print("COLDSTART" + json.dumps({{"numpy_import_s": t1 - t0, "import_s": t2 - t1,
                                 "first_call_s": t4 - t3,
                                 "result_dtype": str(np.asarray(_r).dtype)}}))
"""


def make_input(size: int, dtype: str) -> np.ndarray:
    """The ``size`` x ``size`` photograph: ``camera()`` (512), subsampled by
    an integer step when ``size`` divides 512, else tiled and cropped;
    float32 in [0, 1]; integer dtypes: that image times the dtype's maximum,
    rounded."""
    from skimage import data
    cam = data.camera()
    if 512 % size == 0:
        img = cam[::512 // size, ::512 // size]
    else:
        reps = -(-size // cam.shape[0])
        img = np.tile(cam, (reps, reps))[:size, :size]
    x = (img / 255.0).astype(np.float32)
    assert x.shape == (size, size)
    dt = np.dtype(dtype)
    if dt.kind in "ui":
        return np.rint(x.astype(np.float64) * np.iinfo(dt).max).astype(dt)
    return x.astype(dt)


def _write_input(path: str, size: int, dtype: str) -> None:
    np.save(path, make_input(size, dtype))


def _run_child(code: str, env: dict, cwd: str) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("COLDSTART")][-1]
    out = json.loads(line[len("COLDSTART"):])
    out["process_s"] = wall
    return out


def _median_row(runs: list[dict], **labels) -> dict:
    row = dict(labels)
    for key in ("process_s", "import_s", "first_call_s", "numpy_import_s"):
        row[key] = statistics.median(r[key] for r in runs)
    row["runs"] = runs
    return row


def _environment() -> dict:
    import numba
    import scipy
    import skimage

    import fastimg
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu_model": cpu, "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0], "fastimg": fastimg.__version__,
            "numba": numba.__version__, "numpy": np.__version__,
            "scipy": scipy.__version__, "skimage": skimage.__version__}


def run_cold_start(repeats: int = 3, functions=None, *, sizes=DEFAULT_SIZES,
                   dtypes=DEFAULT_DTYPES, verbose: bool = False) -> dict:
    """Measure every function in ``functions`` (default: all of ``FUNCTIONS``)
    for every size and dtype.

    Returns a JSON-serialisable dict with ``meta`` and ``results`` (one row per
    (function, size, dtype, library, cache) with the medians and the raw runs).
    """
    names = list(FUNCTIONS) if functions is None else list(functions)
    sizes, dtypes = [int(n) for n in sizes], [str(d) for d in dtypes]
    work = tempfile.mkdtemp(prefix="fastimg-coldstart-")
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("NUMBA_CACHE_DIR", "NUMBA_DISABLE_JIT", "FASTIMG_CACHE")}
    anchors = sorted({r.anchor for r in ROWS if r.anchor})
    results = []

    def log(msg):
        if verbose:
            print(msg, file=sys.stderr, flush=True)

    try:
        paths = {}
        for n in sizes:
            for dtype in dtypes:
                paths[n, dtype] = os.path.join(work, f"camera{n}_{dtype}.npy")
                _write_input(paths[n, dtype], n, dtype)
        # Fill the OS file cache so the first measured process is not a disk test.
        _run_child(_CHILD.format(imp="import " + ", ".join(["fastimg", *anchors]),
                                 kernels=_KERNELS, path=paths[sizes[0], dtypes[0]],
                                 call="_r = x"),
                   dict(base_env, NUMBA_CACHE_DIR=os.path.join(work, "prime")), work)

        for name in names:
            (f_imp, f_call), anchor = FUNCTIONS[name]
            for n in sizes:
                for dtype in dtypes:
                    labels = dict(function=name, size=n, dtype=dtype)
                    path = paths[n, dtype]
                    code = _CHILD.format(imp=f_imp, kernels=_KERNELS, path=path, call=f_call)

                    cold = []
                    for _ in range(repeats):
                        cache = tempfile.mkdtemp(prefix="cold-", dir=work)
                        cold.append(_run_child(code, dict(base_env, NUMBA_CACHE_DIR=cache),
                                               work))
                        shutil.rmtree(cache, ignore_errors=True)
                    results.append(_median_row(cold, **labels, library="fastimg", cache="cold"))
                    log(f"{name:28s} {n:5d} {dtype:8s} fastimg cold "
                        f"{results[-1]['process_s']:.3f}s")

                    cache = tempfile.mkdtemp(prefix="warm-", dir=work)
                    env = dict(base_env, NUMBA_CACHE_DIR=cache)
                    _run_child(code, env, work)                     # populate the cache
                    warm = [_run_child(code, env, work) for _ in range(repeats)]
                    shutil.rmtree(cache, ignore_errors=True)
                    results.append(_median_row(warm, **labels, library="fastimg", cache="warm"))
                    log(f"{name:28s} {n:5d} {dtype:8s} fastimg warm "
                        f"{results[-1]['process_s']:.3f}s")

                    if anchor is None:
                        continue
                    alib, a_imp, a_call = anchor
                    acode = _CHILD.format(imp=a_imp, kernels=_KERNELS, path=path, call=a_call)
                    _run_child(acode, base_env, work)               # unmeasured
                    runs = [_run_child(acode, base_env, work) for _ in range(repeats)]
                    results.append(_median_row(runs, **labels, library=alib, cache="n/a"))
                    log(f"{name:28s} {n:5d} {dtype:8s} {alib} {results[-1]['process_s']:.3f}s")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    goal = None
    for r in results:
        if (goal is None and r["function"] == GOAL_FUNCTION and r["library"] == "fastimg"
                and r["cache"] == "warm" and r["dtype"] == "float32"):
            goal = {"function": GOAL_FUNCTION, "limit_s": GOAL_SECONDS,
                    "size": r["size"], "dtype": r["dtype"],
                    "process_s": r["process_s"], "met": r["process_s"] < GOAL_SECONDS}
    return {
        "meta": dict(_environment(), repeats=repeats, sizes=sizes, dtypes=dtypes,
                     input=("camera() (tiled and cropped, or subsampled, to size x size) "
                            "/ 255 as float32; uint8: that times 255, rounded"),
                     date=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     command=shlex.join(["python", *sys.argv]) if sys.argv[0] else ""),
        "goal": goal,
        "results": results,
    }


def format_table(data: dict) -> str:
    """Markdown table: one row per (function, size, dtype), seconds (median)."""
    rows: dict = {}
    for r in data["results"]:
        # rows of files written before size / dtype were recorded: 64x64 float32
        key = (r["function"], r.get("size", 64), r.get("dtype", "float32"))
        rows.setdefault(key, {})[(r["library"], r["cache"])] = r
    head = ("| function | size | dtype | fastimg cold: process / import / 1st call | "
            "fastimg warm: process / import / 1st call | anchor | "
            "anchor: process / import / 1st call |")
    lines = [head, "| --- | --- | --- | --- | --- | --- | --- |"]

    def cell(r):
        if r is None:
            return "n/a"
        return f"{r['process_s']:.2f} / {r['import_s']:.2f} / {r['first_call_s']:.3f}"

    for (name, size, dtype), by in rows.items():
        anchor = next((v for (lib, c), v in by.items() if lib != "fastimg"), None)
        lines.append(f"| {name} | {size}² | {dtype} | {cell(by.get(('fastimg', 'cold')))} | "
                     f"{cell(by.get(('fastimg', 'warm')))} | "
                     f"{anchor['library'] if anchor else ''} | {cell(anchor)} |")
    goal = data.get("goal")
    if goal:
        verdict = "met" if goal["met"] else "NOT met"
        lines.append("")
        lines.append(f"Goal: warm cache `import fastimg` + first `{goal['function']}` "
                     f"({_goal_input(goal)}) < {goal['limit_s']} s process wall: "
                     f"{goal['process_s']:.2f} s ({verdict}).")
    return "\n".join(lines)


def _goal_input(goal: dict) -> str:
    return f"{goal.get('size', 64)}² {goal.get('dtype', 'float32')}"


def _csv(text: str) -> list:
    return [t.strip() for t in text.split(",") if t.strip()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", help="write the results to this JSON file")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--functions", help="comma list, e.g. ndimage.gaussian_filter,filters.sobel")
    ap.add_argument("--size", default=",".join(map(str, DEFAULT_SIZES)),
                    help="image size(s) N for N x N inputs, comma list (default %(default)s)")
    ap.add_argument("--dtypes", default=",".join(DEFAULT_DTYPES),
                    help="input dtypes, comma list, in order (default %(default)s)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    funcs = None
    if args.functions:
        funcs = _csv(args.functions)
        unknown = sorted(set(funcs) - set(FUNCTIONS))
        if unknown:
            ap.error(f"unknown functions {unknown}; known: {sorted(FUNCTIONS)}")
    try:
        sizes = [int(n) for n in _csv(args.size)]
    except ValueError:
        ap.error(f"--size: comma list of integers, got {args.size!r}")
    if not sizes or min(sizes) < 1:
        ap.error(f"--size: positive sizes, got {args.size!r}")
    dtypes = _csv(args.dtypes)
    bad = [d for d in dtypes if d not in ("uint8", "uint16", "float32", "float64")]
    if not dtypes or bad:
        ap.error(f"--dtypes: uint8, uint16, float32 or float64, got {args.dtypes!r}")
    data = run_cold_start(args.repeats, funcs, sizes=sizes, dtypes=dtypes,
                          verbose=not args.quiet)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(data, fh, indent=1)
    print(format_table(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
