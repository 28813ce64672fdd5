"""Cold-start cost: ``import`` + first call, each in a fresh ``python`` process.

For every public function, a new interpreter runs ``import <lib>`` and one call
on a 64x64 float32 photograph crop (``camera()[::8, ::8] / 255``, handed over
as a ``.npy`` file so the child never imports skimage for fastimg rows).
Measured three ways: whole-process wall time (parent side, includes
interpreter start-up and numpy import), in-process ``import`` time (after
numpy is imported) and in-process first-call time.

fastimg rows are measured twice:

* ``cold``: an EMPTY Numba cache (``NUMBA_CACHE_DIR`` = a new temp dir per run),
  so the first call compiles;
* ``warm``: the same temp dir populated by one unmeasured run, so the first
  call loads the cached machine code.

A 64x64 image is below fastimg's parallel threshold, so only the serial
kernels are compiled / loaded here.  Anchors (scipy / skimage) have no JIT:
one unmeasured run, then the measured ones.  Every figure is the median of
``--repeats`` runs (default 3).

Usage::

    python benchmarks/cold_start.py --json cold.json

Goal reported against: warm cache, ``import fastimg`` + first
``gaussian_filter`` under 0.8 s of process wall time.
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

GOAL_FUNCTION = "ndimage.gaussian_filter"
GOAL_SECONDS = 0.8

_KERNELS = (
    "W33 = np.array([[1., 2., 0.], [0., 3., 1.], [1., 1., 1.]]) / 10.0\n"
    "K55 = np.array([[1., 0., 2., -1., 0.], [0., 3., 1., 0., 1.], [2., 1., -4., 1., 0.],"
    " [0., 1., 1., 2., 0.], [1., -1., 0., 0., 2.]]) / 8.0\n"
)

#: name -> (fastimg (import, call), anchor (label, import, call))
FUNCTIONS = {
    "ndimage.gaussian_filter": (
        ("import fastimg", "fastimg.ndimage.gaussian_filter(x, 2.0)"),
        ("scipy", "import scipy.ndimage", "scipy.ndimage.gaussian_filter(x, 2.0)")),
    "ndimage.correlate": (
        ("import fastimg", "fastimg.ndimage.correlate(x, W33)"),
        ("scipy", "import scipy.ndimage", "scipy.ndimage.correlate(x, W33)")),
    "ndimage.uniform_filter": (
        ("import fastimg", "fastimg.ndimage.uniform_filter(x, 5)"),
        ("scipy", "import scipy.ndimage", "scipy.ndimage.uniform_filter(x, 5)")),
    "ndimage.sobel": (
        ("import fastimg", "fastimg.ndimage.sobel(x, 0)"),
        ("scipy", "import scipy.ndimage", "scipy.ndimage.sobel(x, 0)")),
    "signal.convolve2d": (
        ("import fastimg", "fastimg.signal.convolve2d(x, K55, 'same', 'symm')"),
        ("scipy", "import scipy.signal", "scipy.signal.convolve2d(x, K55, 'same', 'symm')")),
    "filters.gaussian": (
        ("import fastimg", "fastimg.filters.gaussian(x, 2.0)"),
        ("skimage", "import skimage.filters", "skimage.filters.gaussian(x, 2.0)")),
    "filters.sobel": (
        ("import fastimg", "fastimg.filters.sobel(x)"),
        ("skimage", "import skimage.filters", "skimage.filters.sobel(x)")),
    "filters.threshold_otsu": (
        ("import fastimg", "fastimg.filters.threshold_otsu(x)"),
        ("skimage", "import skimage.filters", "skimage.filters.threshold_otsu(x)")),
    "filters.threshold_multiotsu": (
        ("import fastimg", "fastimg.filters.threshold_multiotsu(x)"),
        ("skimage", "import skimage.filters", "skimage.filters.threshold_multiotsu(x)")),
    "exposure.histogram": (
        ("import fastimg", "fastimg.exposure.histogram(x)[0]"),
        ("skimage", "import skimage.exposure", "skimage.exposure.histogram(x)[0]")),
    "exposure.adjust_gamma": (
        ("import fastimg", "fastimg.exposure.adjust_gamma(x, 0.45)"),
        ("skimage", "import skimage.exposure", "skimage.exposure.adjust_gamma(x, 0.45)")),
    "exposure.adjust_log": (
        ("import fastimg", "fastimg.exposure.adjust_log(x)"),
        ("skimage", "import skimage.exposure", "skimage.exposure.adjust_log(x)")),
    "util.invert": (
        ("import fastimg", "fastimg.util.invert(x)"),
        ("skimage", "import skimage.util", "skimage.util.invert(x)")),
}

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
_r = {call}
t4 = time.perf_counter()
print("COLDSTART" + json.dumps({{"numpy_import_s": t1 - t0, "import_s": t2 - t1,
                                 "first_call_s": t4 - t3, "result_dtype": str(_r.dtype)}}))
"""


def _write_input(path: str) -> None:
    import numpy as np
    from skimage import data
    x = (data.camera()[::8, ::8] / 255.0).astype(np.float32)
    assert x.shape == (64, 64)
    np.save(path, x)


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
    import numpy as np
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


def run_cold_start(repeats: int = 3, functions=None, *, verbose: bool = False) -> dict:
    """Measure every function in ``functions`` (default: all of ``FUNCTIONS``).

    Returns a JSON-serialisable dict with ``meta`` and ``results`` (one row per
    (function, library, cache) with the medians and the raw runs).
    """
    names = list(FUNCTIONS) if functions is None else list(functions)
    work = tempfile.mkdtemp(prefix="fastimg-coldstart-")
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("NUMBA_CACHE_DIR", "NUMBA_DISABLE_JIT", "FASTIMG_CACHE")}
    results = []
    try:
        path = os.path.join(work, "camera64.npy")
        _write_input(path)
        # Fill the OS file cache so the first measured process is not a disk test.
        _run_child(_CHILD.format(imp="import fastimg, scipy.ndimage, scipy.signal, "
                                     "skimage.filters, skimage.exposure, skimage.util",
                                 kernels=_KERNELS, path=path,
                                 call="x"),
                   dict(base_env, NUMBA_CACHE_DIR=os.path.join(work, "prime")), work)

        def log(msg):
            if verbose:
                print(msg, file=sys.stderr, flush=True)

        for name in names:
            (f_imp, f_call), (alib, a_imp, a_call) = FUNCTIONS[name]
            code = _CHILD.format(imp=f_imp, kernels=_KERNELS, path=path, call=f_call)

            cold = []
            for i in range(repeats):
                cache = tempfile.mkdtemp(prefix="cold-", dir=work)
                cold.append(_run_child(code, dict(base_env, NUMBA_CACHE_DIR=cache), work))
                shutil.rmtree(cache, ignore_errors=True)
            results.append(_median_row(cold, function=name, library="fastimg", cache="cold"))
            log(f"{name:26s} fastimg cold {results[-1]['process_s']:.3f}s")

            cache = tempfile.mkdtemp(prefix="warm-", dir=work)
            env = dict(base_env, NUMBA_CACHE_DIR=cache)
            _run_child(code, env, work)                     # populate the cache
            warm = [_run_child(code, env, work) for _ in range(repeats)]
            results.append(_median_row(warm, function=name, library="fastimg", cache="warm"))
            log(f"{name:26s} fastimg warm {results[-1]['process_s']:.3f}s")

            acode = _CHILD.format(imp=a_imp, kernels=_KERNELS, path=path, call=a_call)
            _run_child(acode, base_env, work)               # unmeasured
            anchor = [_run_child(acode, base_env, work) for _ in range(repeats)]
            results.append(_median_row(anchor, function=name, library=alib, cache="n/a"))
            log(f"{name:26s} {alib} {results[-1]['process_s']:.3f}s")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    goal = None
    for r in results:
        if r["function"] == GOAL_FUNCTION and r["library"] == "fastimg" and r["cache"] == "warm":
            goal = {"function": GOAL_FUNCTION, "limit_s": GOAL_SECONDS,
                    "process_s": r["process_s"], "met": r["process_s"] < GOAL_SECONDS}
    return {
        "meta": dict(_environment(), repeats=repeats, input="camera()[::8, ::8]/255 float32 64x64",
                     date=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     command=shlex.join(["python", *sys.argv]) if sys.argv[0] else ""),
        "goal": goal,
        "results": results,
    }


def format_table(data: dict) -> str:
    """Markdown table: one row per function, seconds (median)."""
    rows = {}
    for r in data["results"]:
        rows.setdefault(r["function"], {})[(r["library"], r["cache"])] = r
    head = ("| function | fastimg cold: process / import / 1st call | "
            "fastimg warm: process / import / 1st call | anchor | "
            "anchor: process / import / 1st call |")
    lines = [head, "| --- | --- | --- | --- | --- |"]

    def cell(r):
        if r is None:
            return "n/a"
        return f"{r['process_s']:.2f} / {r['import_s']:.2f} / {r['first_call_s']:.3f}"

    for name, by in rows.items():
        anchor = next((v for (lib, c), v in by.items() if lib != "fastimg"), None)
        lines.append(f"| {name} | {cell(by.get(('fastimg', 'cold')))} | "
                     f"{cell(by.get(('fastimg', 'warm')))} | "
                     f"{anchor['library'] if anchor else ''} | {cell(anchor)} |")
    goal = data.get("goal")
    if goal:
        verdict = "met" if goal["met"] else "NOT met"
        lines.append("")
        lines.append(f"Goal: warm cache `import fastimg` + first `{goal['function']}` "
                     f"< {goal['limit_s']} s process wall: {goal['process_s']:.2f} s ({verdict}).")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", help="write the results to this JSON file")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--functions", help="comma list, e.g. ndimage.gaussian_filter,filters.sobel")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    funcs = None
    if args.functions:
        funcs = [f.strip() for f in args.functions.split(",") if f.strip()]
        unknown = sorted(set(funcs) - set(FUNCTIONS))
        if unknown:
            ap.error(f"unknown functions {unknown}; known: {sorted(FUNCTIONS)}")
    data = run_cold_start(args.repeats, funcs, verbose=not args.quiet)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(data, fh, indent=1)
    print(format_table(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
