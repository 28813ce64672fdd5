"""Cold-start cost: ``import`` + first call, each in a fresh ``python`` process.

For every public function (every row of ``fastimg._core.catalog``), a new
interpreter runs ``import <lib>`` and one call, the row's ``sample(f, x)``
with ``f`` = ``fastimg.<namespace>.<name>`` or the anchor's function of the
same name (``import <row.anchor>``), on a ``--size`` x ``--size`` photograph
(default 512: ``camera()``; other sizes: ``camera()`` tiled and cropped, or
subsampled by an integer step when the size divides 512, so ``--size 64`` is
the former ``camera()[::8, ::8]``) handed over as a ``.npy`` file so the child
never imports skimage for fastimg rows.  float32 in [0, 1], and for ``uint8``
that image times 255, rounded (the photograph's own grey levels).

The child finds the sample in the catalog after the timed import: a fastimg
child reads the catalog module ``import fastimg`` has loaded anyway; an
anchor child loads the catalog's one file (``fastimg/_core/catalog.py``) as
a standalone module, so it never imports fastimg.  That file imports
nothing NumPy has not already imported (a test checks), and it is loaded
after the anchor's import, so it takes nothing off the anchor's import or
first call.  The loading (``harness_s``, ~0 for fastimg) is taken out of
the process time.  Measured three ways:
whole-process wall time (parent side, includes interpreter start-up and
numpy import), in-process ``import`` time (after numpy is imported) and
in-process first-call time.

Then a second dtype, in the same process: after the first call, the same
sample on the same photograph in a second dtype (uint8 after float32, float32
after any other dtype), timed as its own first call ("2nd dtype 1st call":
what compiling, or loading from the cache, one more specialisation costs
once the first is there).  It is not part of ``process``: the parent's wall
time minus the child's own time of that second part.

fastimg rows are measured twice:

* ``cold``: an EMPTY Numba cache (``NUMBA_CACHE_DIR`` = a new temp dir per run),
  so the first call compiles;
* ``warm``: the same temp dir populated by one unmeasured run, so the first
  call loads the cached machine code.

They run in the caller's ``FASTIMG_JIT`` mode (default ``background``: with
nothing compiled, the anchor answers the first call while a background
process compiles it; ``FASTIMG_JIT=foreground`` times compiling in the
calling process).  A background compile a child leaves running ends before
the next measurement starts, so it never takes a core from one.

No size threshold switches between serial and parallel kernels: a parallel
call runs the same compiled serial cores on blocks from Python threads
(there are no ``prange`` drivers to compile, see ``fastimg._core.dispatch``), so
64x64 and 512x512 (the default) compile the same cores, unless a function
picks its algorithm by size; the size changes the time of the call itself.
Anchors (scipy / skimage) have no JIT: one unmeasured run, then the measured
ones.  Every figure is the median of ``--repeats`` runs (default 3).  One row
per (function, size, dtype, library, cache).

``--warmup`` also times ``python -m fastimg warmup`` (``fastimg warmup``) in a
fresh process with an empty ``NUMBA_CACHE_DIR`` (wall time), then once more
with the cache it filled; ``--warmup=ndimage.sobel,util.invert`` warms only
those functions (a quick check of the tool; the goal is about all of them).

Usage::

    python benchmarks/cold_start.py --json cold.json --warmup
    python benchmarks/cold_start.py --size 64,512 --dtypes float32 --functions ndimage.sobel

Goals reported against: warm cache, ``import fastimg`` + first
``gaussian_filter`` (float32, the first size measured) under 0.8 s of process
wall time (``goal`` in the JSON); and, computed from the JSON by
:func:`goal_lines` (max over functions and dtypes at 512², else the first
size measured): every empty-cache first call under 2 s, every warm-cache
in-process ``import`` + first call under 0.8 s, and ``fastimg warmup`` with
an empty cache under 30 s.
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

from fastimg._core import catalog as _catalog
from fastimg._core.catalog import ROWS
from fastimg._core.tiers import running_compiles

GOAL_FUNCTION = "ndimage.gaussian_filter"
GOAL_SECONDS = 0.8
#: goal: every empty-cache first call (512²) under this many seconds
COLD_CALL_LIMIT_S = 2.0
#: goal: every warm-cache import + first call (512²) under this
WARM_LIMIT_S = 0.8
#: goal: ``fastimg warmup`` from an empty cache under this
WARMUP_LIMIT_S = 20.0
#: goal: fastimg's import + first call (process time) at most this many
#: times the anchor's plus :data:`ANCHOR_SLACK_S`; the same for a second
#: dtype's first call
ANCHOR_RATIO = 1.2
ANCHOR_SLACK_S = 0.05
GOAL_SIZE = 512
DEFAULT_SIZES = (512,)
DEFAULT_DTYPES = ("float32", "uint8")


def _calls(row) -> tuple:
    """(fastimg (import, call), anchor (label, import, call) or None); the
    call runs in the child, where ``catalog`` is the catalog module."""
    sample = f"_r = catalog.find_row({row.qualname!r}).sample(f, x)"
    fast = ("import fastimg", f"f = fastimg.{row.qualname}\n{sample}")
    if row.anchor is None:
        return fast, None
    anchor = (row.anchor.split(".")[0], f"import {row.anchor}",
              f"f = {row.anchor}.{row.name}\n{sample}")
    return fast, anchor


#: name -> (fastimg (import, call), anchor (label, import, call) or None),
#: from the catalog, in its order
FUNCTIONS = {r.qualname: _calls(r) for r in ROWS}

_CHILD = """\
import sys
import time
t0 = time.perf_counter()
import json
import numpy as np
t1 = time.perf_counter()
{imp}
t2 = time.perf_counter()
catalog = sys.modules.get("fastimg._core.catalog")
if catalog is None:     # an anchor's process: the catalog's file alone
    import importlib.util
    spec = importlib.util.spec_from_file_location("fastimg_catalog", {catalog!r})
    catalog = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalog)
harness_s = time.perf_counter() - t2
x = np.load({path!r})
t3 = time.perf_counter()
{call}
t4 = time.perf_counter()
out = {{"numpy_import_s": t1 - t0, "import_s": t2 - t1, "first_call_s": t4 - t3,
        "harness_s": harness_s,
        "result_dtype": str(getattr(_r, "dtype", type(_r).__name__))}}
if {path2!r}:
    x = np.load({path2!r})
    t5 = time.perf_counter()
    try:
{call2}
        out["second_call_s"] = time.perf_counter() - t5
    except Exception as exc:
        out["second_error"] = type(exc).__name__ + ": " + str(exc)[:200]
    out["second_part_s"] = time.perf_counter() - t4
print("COLDSTART" + json.dumps(out))
"""


def second_dtype(dtype: str) -> str:
    """The dtype of the second first call: uint8 after float32, float32
    after anything else."""
    return "uint8" if dtype == "float32" else "float32"


def _child(imp: str, call: str, path: str, path2: str = "") -> str:
    call2 = "".join(f"        {ln}\n" for ln in call.splitlines()).rstrip("\n")
    return _CHILD.format(imp=imp, catalog=_catalog.__file__, path=path, call=call,
                         path2=path2, call2=call2)


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
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, check=False,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    # a compile the child left running in the background (the anchor
    # answered its call) finishes before the next measurement starts: it
    # would take a core from it
    cache = env.get("NUMBA_CACHE_DIR")
    deadline = time.monotonic() + 600
    while cache and running_compiles(cache) and time.monotonic() < deadline:
        time.sleep(0.1)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("COLDSTART")][-1]
    out = json.loads(line[len("COLDSTART"):])
    # neither the second dtype's part nor finding the sample is the cold
    # start of the first call
    out["process_s"] = wall - out.get("second_part_s", 0.0) - out.get("harness_s", 0.0)
    out["process_total_s"] = wall
    return out


def _median_row(runs: list[dict], **labels) -> dict:
    row = dict(labels)
    for key in ("process_s", "import_s", "first_call_s", "numpy_import_s", "second_call_s"):
        vals = [r[key] for r in runs if key in r]
        if vals:
            row[key] = statistics.median(vals)
    errors = [r["second_error"] for r in runs if "second_error" in r]
    if errors:
        row["second_error"] = errors[0]
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


def run_warmup(functions=None, *, env=None, cwd=None) -> dict:
    """Wall time of ``python -m fastimg warmup`` (``fastimg warmup``) in a
    fresh process with an empty ``NUMBA_CACHE_DIR``, then once more with the
    cache that run filled.  ``functions``: warm only these
    (``--functions``); None: all, the figure the goal is about."""
    cmd = [sys.executable, "-m", "fastimg", "warmup"]
    if functions:
        cmd += ["--functions", *functions]
    env = dict(os.environ if env is None else env)
    cache = tempfile.mkdtemp(prefix="fastimg-warmup-")
    out = {"command": shlex.join(["python", *cmd[1:]]),
           "functions": list(functions) if functions else "all", "limit_s": WARMUP_LIMIT_S}
    try:
        for label in ("cold", "warm"):      # empty cache, then the one it filled
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, env=dict(env, NUMBA_CACHE_DIR=cache), cwd=cwd, check=False,
                                  capture_output=True, text=True)
            out[f"{label}_wall_s"] = time.perf_counter() - t0
            # "fastimg 0.1.0: compiling kernels in 2 processes (...)": how it ran
            out.setdefault("header", (proc.stdout.splitlines() or [""])[0])
            if proc.returncode != 0:      # recorded, the cold start goes on
                tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
                out["error"] = f"{label} run failed ({proc.returncode}): {tail[:300]}"
                break
            done = [ln for ln in proc.stdout.splitlines() if ln.startswith("done in")]
            if done:
                out[f"{label}_reported_s"] = float(done[-1].split()[2])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    out["met"] = (None if functions else
                  "error" not in out and out["cold_wall_s"] < WARMUP_LIMIT_S)
    return out


def run_cold_start(repeats: int = 3, functions=None, *, sizes=DEFAULT_SIZES,
                   dtypes=DEFAULT_DTYPES, verbose: bool = False, warmup=False) -> dict:
    """Measure every function in ``functions`` (default: all of ``FUNCTIONS``)
    for every size and dtype; with ``warmup`` (True: every function, or a
    list of ``'namespace.name'``) also ``fastimg warmup`` (:func:`run_warmup`).

    Returns a JSON-serialisable dict with ``meta``, ``goal``, ``warmup``
    (None unless measured) and ``results`` (one row per (function, size,
    dtype, library, cache) with the medians and the raw runs; a row whose
    child failed has ``error`` instead).
    """
    names = list(FUNCTIONS) if functions is None else list(functions)
    sizes, dtypes = [int(n) for n in sizes], [str(d) for d in dtypes]
    work = tempfile.mkdtemp(prefix="fastimg-coldstart-")
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("NUMBA_CACHE_DIR", "NUMBA_DISABLE_JIT", "FASTIMG_CACHE")}
    anchors = sorted({r.anchor for r in ROWS if r.anchor})
    results = []
    warm_up = None

    def log(msg):
        if verbose:
            print(msg, file=sys.stderr, flush=True)

    def measure(label: str, code: str, env_of, labels: dict, populate: bool = False):
        """``repeats`` runs (``env_of()`` per run), median row appended."""
        try:
            if populate:
                _run_child(code, env_of(), work)            # unmeasured
            runs = [_run_child(code, env_of(), work) for _ in range(repeats)]
        except RuntimeError as exc:     # a broken sample: note it, go on
            results.append(dict(labels, error=str(exc).splitlines()[-1][:300]))
            log(f"{labels['function']:28s} {labels['size']:5d} {labels['dtype']:8s} "
                f"{label} FAILED: {results[-1]['error']}")
            return
        results.append(_median_row(runs, **labels))
        r = results[-1]
        second = (f", {r['second_dtype']} 1st call {r['second_call_s']:.3f}s"
                  if "second_call_s" in r else "")
        log(f"{labels['function']:28s} {labels['size']:5d} {labels['dtype']:8s} {label} "
            f"{r['process_s']:.3f}s (1st call {r['first_call_s']:.3f}s{second})")

    try:
        if warmup:
            wf = None if warmup is True else list(warmup)
            warm_up = run_warmup(wf, env=base_env, cwd=work)
            log(f"{warm_up['command']}: " + _warmup_text(warm_up))
        paths = {}
        for n in sizes:
            for dtype in dict.fromkeys([*dtypes, *map(second_dtype, dtypes)]):
                paths[n, dtype] = os.path.join(work, f"camera{n}_{dtype}.npy")
                _write_input(paths[n, dtype], n, dtype)
        # Fill the OS file cache so the first measured process is not a disk test.
        _run_child(_child("import " + ", ".join(["fastimg", *anchors]), "_r = x",
                          paths[sizes[0], dtypes[0]]),
                   dict(base_env, NUMBA_CACHE_DIR=os.path.join(work, "prime")), work)

        for name in names:
            (f_imp, f_call), anchor = FUNCTIONS[name]
            for n in sizes:
                for dtype in dtypes:
                    dtype2 = second_dtype(dtype)
                    labels = {"function": name, "size": n, "dtype": dtype, "second_dtype": dtype2}
                    path, path2 = paths[n, dtype], paths[n, dtype2]
                    code = _child(f_imp, f_call, path, path2)

                    def fresh_cache():
                        return dict(base_env,
                                    NUMBA_CACHE_DIR=tempfile.mkdtemp(prefix="cold-", dir=work))

                    measure("fastimg cold", code, fresh_cache,
                            dict(labels, library="fastimg", cache="cold"))
                    cache = tempfile.mkdtemp(prefix="warm-", dir=work)
                    env = dict(base_env, NUMBA_CACHE_DIR=cache)
                    measure("fastimg warm", code, lambda env=env: env,
                            dict(labels, library="fastimg", cache="warm"), populate=True)
                    for d in os.listdir(work):      # the caches of this row
                        if d.startswith(("cold-", "warm-")):
                            shutil.rmtree(os.path.join(work, d), ignore_errors=True)

                    if anchor is None:
                        continue
                    alib, a_imp, a_call = anchor
                    measure(alib, _child(a_imp, a_call, path, path2), lambda: base_env,
                            dict(labels, library=alib, cache="n/a"), populate=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    goal = None
    for r in results:
        if (goal is None and r["function"] == GOAL_FUNCTION and r["library"] == "fastimg"
                and r["cache"] == "warm" and r["dtype"] == "float32" and "error" not in r):
            goal = {"function": GOAL_FUNCTION, "limit_s": GOAL_SECONDS,
                    "size": r["size"], "dtype": r["dtype"],
                    "process_s": r["process_s"], "met": r["process_s"] < GOAL_SECONDS}
    return {
        "meta": dict(_environment(), repeats=repeats, sizes=sizes, dtypes=dtypes,
                     jit_mode=os.environ.get("FASTIMG_JIT", "background"),
                     second_dtypes={d: second_dtype(d) for d in dtypes},
                     input=("camera() (tiled and cropped, or subsampled, to size x size) "
                            "/ 255 as float32; uint8: that times 255, rounded"),
                     date=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     command=shlex.join(["python", *sys.argv]) if sys.argv[0] else ""),
        "goal": goal,
        "warmup": warm_up,
        "results": results,
    }


def _max_row(rows: list, key) -> dict | None:
    rows = [r for r in rows if key(r) is not None]
    return max(rows, key=key, default=None)


def goal_lines(data: dict) -> list:
    """The cold-start goals from a cold-start JSON, as
    ``(goal, measured, met)`` strings (``met``: "yes", "no" or ""): every
    empty-cache first call and every warm-cache ``import`` + first call at
    512² (else the first size measured; max over functions and dtypes),
    and ``fastimg warmup`` when measured."""
    res = [r for r in data.get("results", []) if r.get("library") == "fastimg"
           and "error" not in r]
    sizes = [r.get("size", 64) for r in res]
    size = GOAL_SIZE if GOAL_SIZE in sizes else (sizes[0] if sizes else None)
    res = [r for r in res if r.get("size", 64) == size]
    out = []

    def where(r):
        return f"`{r['function']}` {r.get('dtype', 'float32')}"

    mode = data.get("meta", {}).get("jit_mode", "background")
    cold = _max_row([r for r in res if r["cache"] == "cold"], lambda r: r["first_call_s"])
    if cold:
        out.append((f"empty cache, `FASTIMG_JIT={mode}`: every first call ({size}²) < {COLD_CALL_LIMIT_S:g} s",
                    f"max {cold['first_call_s']:.2f} s ({where(cold)})",
                    "yes" if cold["first_call_s"] < COLD_CALL_LIMIT_S else "no"))
    second = _max_row([r for r in res if r["cache"] == "cold"], lambda r: r.get("second_call_s"))
    if second:
        out.append((f"empty cache: every 2nd dtype's first call ({size}²), for information",
                    (f"max {second['second_call_s']:.2f} s ({where(second)} then "
                    f"{second.get('second_dtype', '?')})"), ""))
    warm = _max_row([r for r in res if r["cache"] == "warm"],
                    lambda r: r["import_s"] + r["first_call_s"])
    if warm:
        t = warm["import_s"] + warm["first_call_s"]
        out.append(((f"warm cache: every `import fastimg` + first call ({size}²) "
                    f"< {WARM_LIMIT_S:g} s"), f"max {t:.2f} s ({where(warm)})",
                    "yes" if t < WARM_LIMIT_S else "no"))
    out += anchor_goal_lines(data, size)
    w = data.get("warmup")
    if w:
        which = "" if w.get("functions") == "all" else f" ({', '.join(w['functions'])} only)"
        out.append((f"`fastimg warmup`{which}, empty cache: < {w['limit_s']:g} s wall",
                    _warmup_text(w),
                    "" if w.get("met") is None else ("yes" if w["met"] else "no")))
    return out


def anchor_goal_lines(data: dict, size) -> list:
    """``(goal, measured, met)``: how many function x dtype rows at ``size``
    are within :data:`ANCHOR_RATIO` x the anchor's time + :data:`ANCHOR_SLACK_S`,
    per cache, for the process (import + first call) and the second dtype's
    first call; the worst row named."""
    anchors = {(r["function"], r.get("dtype")): r for r in data.get("results", [])
               if r.get("library") != "fastimg" and "error" not in r
               and r.get("size", 64) == size}
    mode = data.get("meta", {}).get("jit_mode", "background")
    out = []
    for cache, label in (("cold", "empty"), ("warm", "warm")):
        rows = [r for r in data.get("results", []) if r.get("library") == "fastimg"
                and r.get("cache") == cache and "error" not in r
                and r.get("size", 64) == size and (r["function"], r.get("dtype")) in anchors]
        for key, what in (("process_s", "import + first call (process)"),
                          ("second_call_s", "2nd dtype's first call")):
            pairs = [(r, anchors[r["function"], r.get("dtype")]) for r in rows
                     if key in r and key in anchors[r["function"], r.get("dtype")]]
            if not pairs:
                continue

            def excess(p, key=key):
                return p[0][key] / (ANCHOR_RATIO * p[1][key] + ANCHOR_SLACK_S)
            ok = sum(excess(p) <= 1.0 for p in pairs)
            worst, anchor = max(pairs, key=excess)
            out.append((f"{label} cache, `FASTIMG_JIT={mode}`: every {what} <= "
                        f"{ANCHOR_RATIO:g}x the anchor's + {ANCHOR_SLACK_S * 1000:g} ms "
                        f"({size}²)",
                        f"{ok} of {len(pairs)} rows; worst `{worst['function']}` "
                        f"{worst.get('dtype')}: {worst[key]:.2f} s vs {anchor[key]:.2f} s",
                        "yes" if ok == len(pairs) else "no"))
    return out


def _warmup_text(w: dict) -> str:
    if "error" in w:
        return f"{w['error']} (after {w.get('cold_wall_s', 0):.1f} s)"
    return (f"{w['cold_wall_s']:.1f} s with an empty cache, then "
            f"{w['warm_wall_s']:.1f} s with the cache it filled")


def format_table(data: dict) -> str:
    """Markdown table: one row per (function, size, dtype), seconds (median)."""
    rows: dict = {}
    failed = []
    for r in data["results"]:
        if "error" in r:
            failed.append(r)
            continue
        # rows of files written before size / dtype were recorded: 64x64 float32
        key = (r["function"], r.get("size", 64), r.get("dtype", "float32"))
        rows.setdefault(key, {})[(r["library"], r["cache"])] = r
    head = ("| function | size | dtype | fastimg cold: process / import / 1st call | "
            "fastimg cold: 2nd dtype 1st call | "
            "fastimg warm: process / import / 1st call | anchor | "
            "anchor: process / import / 1st call |")
    lines = [head, "| --- | --- | --- | --- | --- | --- | --- | --- |"]

    def cell(r):
        if r is None:
            return "n/a"
        return f"{r['process_s']:.2f} / {r['import_s']:.2f} / {r['first_call_s']:.3f}"

    def second(r):
        if r is None or "second_call_s" not in r:
            return "failed" if r is not None and "second_error" in r else "n/a"
        return f"{r['second_call_s']:.3f} ({r.get('second_dtype', '?')})"

    for (name, size, dtype), by in rows.items():
        anchor = next((v for (lib, c), v in by.items() if lib != "fastimg"), None)
        cold = by.get(("fastimg", "cold"))
        lines.append(f"| {name} | {size}² | {dtype} | {cell(cold)} | {second(cold)} | "
                     f"{cell(by.get(('fastimg', 'warm')))} | "
                     f"{anchor['library'] if anchor else ''} | {cell(anchor)} |")
    if failed:
        lines.append("")
        lines += [f"* failed: {r['function']} {r.get('size', 64)}² {r.get('dtype', '?')} "
                  f"{r.get('library', '')} {r.get('cache', '')}: {r['error']}" for r in failed]
    goal = data.get("goal")
    if goal:
        verdict = "met" if goal["met"] else "NOT met"
        lines.append("")
        lines.append(f"Goal: warm cache `import fastimg` + first `{goal['function']}` "
                     f"({_goal_input(goal)}) < {goal['limit_s']} s process wall: "
                     f"{goal['process_s']:.2f} s ({verdict}).")
    w = data.get("warmup")
    if w:
        lines.append("")
        lines.append(f"`{w['command']}` (wall time; goal < {w['limit_s']:g} s with an empty "
                     f"cache): {_warmup_text(w)}.")
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
    ap.add_argument("--warmup", nargs="?", const="all", metavar="FUNCTIONS",
                    help="also time `python -m fastimg warmup` with an empty cache; "
                         "optionally only these functions (comma list, a quick check)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    warmup = False
    if args.warmup:
        warmup = True if args.warmup == "all" else _csv(args.warmup)
        unknown = sorted(set(warmup) - set(FUNCTIONS)) if warmup is not True else []
        if unknown:
            ap.error(f"--warmup: unknown functions {unknown}")
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
                          verbose=not args.quiet, warmup=warmup)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(data, fh, indent=1)
    print(format_table(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
