"""The benchmark tools (benchmarks/busy.py, cold_start.py, compile_times.py,
tour_script.py, report.py) work: a tiny busy-machine run, the cold-start
child's code, the tour script on the anchors, and the report's tables and
goal lines from hand-made JSON (no timing claims)."""
import json
import re
import subprocess
import sys

import numpy as np

from benchmarks import busy, cold_start, compile_times, report, tour_script
from fastimg._core import catalog


def _busy_result(function, size, default, workers1, anchor, anchor_label="scipy"):
    return {"function": function, "size": size, "dtype": "float32", "anchor": anchor_label,
            "notes": [], "default_s": default, "workers1_s": workers1, "anchor_s": anchor,
            "default_over_workers1": default / workers1 if workers1 else None,
            "anchor_over_default": anchor / default if anchor is not None else None,
            "rounds": 3}


BUSY = {"meta": {"busy": True, "busy_process": "python -c 'while True: pass'", "repeats": 3,
                 "command": "python benchmarks/busy.py", "loadavg_start": [1.0, 1.0, 1.0]},
        "results": [_busy_result("ndimage.gaussian_filter", 512, 2e-3, 1e-3, 4e-3),
                    _busy_result("ndimage.sobel", 512, 1e-3, 1e-3, 0.5e-3),
                    _busy_result("frequency.ideal_mask", 512, 1e-3, None, None, None),
                    {"function": "util.invert", "size": 512, "dtype": "float32",
                     "skipped": "sample failed: ValueError: no", "notes": []}]}


def test_busy_goals_and_table():
    g = busy.goals(BUSY)
    assert g["worst_ratio"]["function"] == "ndimage.gaussian_filter"
    assert [r["function"] for r in g["above_limit"]] == ["ndimage.gaussian_filter"]
    assert [r["function"] for r in g["slower_than_anchor"]] == ["ndimage.sobel"]
    table = report.busy_section(BUSY)
    assert "**2.00x**" in table           # default / workers=1 above 1.3
    assert "**0.50x**" in table           # slower than the anchor
    assert "`util.invert` 512² float32: skipped" in table
    lines = report.busy_goal_lines(BUSY)
    assert [met for _, _, met in lines] == ["no", "no"]


def test_busy_tiny_run_without_busy_process(tmp_path):
    data = busy.run_busy(["util.invert", "frequency.ideal_mask"], sizes=(32,),
                         dtypes=("uint8",), repeats=1, busy=False, min_time=1e-4)
    by = {r["function"]: r for r in data["results"]}
    assert by["util.invert"]["workers1_s"] > 0 and by["util.invert"]["anchor_s"] > 0
    assert by["util.invert"]["same_result"]
    assert by["frequency.ideal_mask"]["workers1_s"] is None     # no workers= there
    assert data["meta"]["busy"] is False and data["meta"]["numba_num_threads"] >= 1
    path = tmp_path / "busy.json"
    path.write_text(json.dumps(data))
    out = tmp_path / "bench.md"
    assert report.main(["--busy", str(path), "--out", str(out)]) == 0
    text = out.read_text()
    assert "## Busy machine" in text and "without the busy process" in text


def test_cold_start_child_code_and_goal_lines():
    (f_imp, f_call), _ = cold_start.FUNCTIONS["ndimage.sobel"]
    compile(cold_start._child(f_imp, f_call, "/a.npy", "/b.npy"), "<child>", "exec")
    assert cold_start.second_dtype("float32") == "uint8"
    assert cold_start.second_dtype("uint8") == "float32"

    def row(cache, first, imp=0.3, second=None):
        r = {"function": "ndimage.sobel", "size": 512, "dtype": "float32",
             "library": "fastimg", "cache": cache, "process_s": 1.0, "import_s": imp,
             "first_call_s": first, "numpy_import_s": 0.1, "second_dtype": "uint8"}
        if second is not None:
            r["second_call_s"] = second
        return r

    data = {"results": [row("cold", 1.5, second=0.7), row("warm", 0.1)],
            "warmup": {"command": "python -m fastimg warmup", "functions": "all",
                       "limit_s": 30.0, "cold_wall_s": 40.0, "warm_wall_s": 3.0,
                       "met": False}}
    lines = cold_start.goal_lines(data)
    assert [met for _, _, met in lines] == ["yes", "", "yes", "no"]
    assert "40.0 s with an empty cache" in lines[-1][1]
    assert "| 0.700 (uint8) |" in cold_start.format_table(data)   # 2nd dtype's column
    assert np.isclose(float(lines[2][1].split()[1]), 0.4)


def test_compile_times_lists_each_kernel_signature_from_numba_events():
    result = compile_times.measure(["float32"], ["ndimage.uniform_filter1d"])
    rows = result["compiles"]
    assert rows and all(r["inclusive_s"] >= r["exclusive_s"] >= 0 for r in rows)
    assert [r["exclusive_s"] for r in rows] == sorted((r["exclusive_s"] for r in rows),
                                                       reverse=True)
    # (Numba compiles its own overloads, np.empty say, inside the kernels)
    assert any(r["kernel"].startswith("fastimg._core.pass_kernels.") for r in rows)
    text = compile_times.table(result, 3)
    assert text.count("\n| `") == min(3, len(rows))
    assert f"{len(rows)} compiles" in text


def test_cold_start_anchor_goal_lines_count_rows_within_the_goal():
    def row(lib, function, process, second, cache="n/a"):
        return {"function": function, "size": 512, "dtype": "uint8", "library": lib,
                "cache": cache, "process_s": process, "import_s": 0.0, "first_call_s": 0.0,
                "second_call_s": second}
    data = {"meta": {"jit_mode": "background"},
            "results": [row("scipy", "ndimage.sobel", 0.5, 0.01),
                        row("fastimg", "ndimage.sobel", 0.64, 0.05, "cold"),   # 0.65 allowed
                        row("fastimg", "ndimage.sobel", 0.7, 0.01, "warm"),
                        row("skimage", "filters.sobel", 1.0, 0.01),
                        row("fastimg", "filters.sobel", 1.3, 0.01, "cold"),
                        row("fastimg", "filters.sobel", 1.0, 0.2, "warm")]}
    lines = cold_start.anchor_goal_lines(data, 512)
    assert [(m, met) for _, m, met in lines] == [
        ("1 of 2 rows; worst `filters.sobel` uint8: 1.30 s vs 1.00 s", "no"),
        ("2 of 2 rows; worst `ndimage.sobel` uint8: 0.05 s vs 0.01 s", "yes"),
        ("1 of 2 rows; worst `ndimage.sobel` uint8: 0.70 s vs 0.50 s", "no"),
        ("1 of 2 rows; worst `filters.sobel` uint8: 0.20 s vs 0.01 s", "no")]


def test_tour_script_calls_fastimg_kernels_and_runs_on_the_anchors(tmp_path):
    # every step calls a function fastimg implements (not an anchor fallback),
    # each with an anchor to compare against
    used = set()
    for _, stmt in tour_script.STEPS:
        used.update(re.findall(r"\b(ndimage|filters|feature|transform|exposure|util)\.(\w+)",
                               stmt))
    assert len(used) >= 10
    for ns, name in used:
        assert catalog.find_row(f"{ns}.{name}").anchor is not None
    f = (np.arange(64 * 64, dtype=np.float32).reshape(64, 64) % 17) / 16
    np.save(tmp_path / "f.npy", f)
    np.save(tmp_path / "u.npy", np.rint(f * 255).astype(np.uint8))
    path = tmp_path / "tour.py"
    path.write_text(tour_script.script("anchors", str(tmp_path / "f.npy"),
                                       str(tmp_path / "u.npy")))
    compile(tour_script.script("fastimg", "f.npy", "u.npy"), "<tour>", "exec")
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          check=True)
    out = json.loads(proc.stdout.splitlines()[-1][len("TOUR"):])
    assert [label for label, _ in out["steps"]] == [label for label, _ in tour_script.STEPS]


def _tour(anchor, first, second):
    steps = [label for label, _ in tour_script.STEPS]

    def res(t):
        return {"process_s": t, "import_s": 0.1, "steps": dict.fromkeys(steps, 0.01)}
    data = {"meta": {"jit_mode": "background", "repeats": 1, "size": 64, "input": "x",
                     "command": "python benchmarks/tour_script.py"},
            "steps": steps,
            "results": {"anchors": res(anchor), "fastimg first run (background)": res(first),
                        "fastimg second run (background)": res(second)}}
    data["results"]["fastimg first run (background)"]["compiles_after_s"] = 12.0
    return data


def test_tour_goals_and_report_sections(tmp_path):
    assert [met for _, _, met in tour_script.goal_lines(_tour(1.0, 1.2, 0.9))] == [True, True]
    assert [met for _, _, met in tour_script.goal_lines(_tour(1.0, 1.3, 1.1))] == [False, False]
    table = tour_script.format_table(_tour(1.0, 1.3, 1.1))
    assert "| **whole script (process)** | **1.00** | **1.30** | **1.10** |" in table
    assert "went on for 12.0 s" in table
    compiles = {"warmup_s": 3.0, "dtypes": ["uint8"], "meta": {"command": "c"},
                "compiles": [{"kernel": "m.k", "signature": "(a,)", "inclusive_s": 2.0,
                              "exclusive_s": 1.5},
                             {"kernel": "m.k", "signature": "(b,)", "inclusive_s": 1.0,
                              "exclusive_s": 1.0}]}
    assert "| `m.k` | 2 | 2.50 |" in compile_times.kernel_table(compiles, 10)
    (tmp_path / "tour.json").write_text(json.dumps(_tour(1.0, 1.3, 0.9)))
    (tmp_path / "compile.json").write_text(json.dumps(compiles))
    out = tmp_path / "bench.md"
    assert report.main(["--tour", str(tmp_path / "tour.json"), "--compile",
                        str(tmp_path / "compile.json"), "--out", str(out)]) == 0
    text = out.read_text()
    assert "## A user's script: the classic tour" in text
    assert "## Compile times: the 10 most expensive" in text
    assert "1.30 s vs 1.00 s (1.30x) | no |" in text


def _same(result, expected):
    if isinstance(expected, (tuple, list)):
        assert type(result) is type(expected) and len(result) == len(expected)
        for r, e in zip(result, expected):
            _same(r, e)
    elif isinstance(expected, np.ndarray):
        assert isinstance(result, np.ndarray) and result.dtype == expected.dtype
        np.testing.assert_array_equal(result, expected)
    else:
        assert result == expected


def test_profile_stages_compose_to_the_public_call():
    # the profile times what the function does: every row's stages, run in
    # order on what the previous one produced, give the public call's result
    from benchmarks import profile_stages as ps
    for row in ps.ROWS:
        data = row.make(128)
        for workers in ([None] if row.serial else [None, 1]):
            result, stages = ps.run_pipeline(row, data, workers)
            _same(result, row.call(data, workers))
            assert any(s.part and s.nbytes > 0 for s in stages), row.key
            assert all(s.nbytes == 0 or s.formula for s in stages), row.key


def test_profile_stages_table_and_json_have_every_row(tmp_path):
    from benchmarks import profile_stages as ps
    md, js = tmp_path / "profile.md", tmp_path / "profile.json"
    assert ps.main(["--size", "128", "--repeats", "1", "-q", "--out", str(md),
                    "--json", str(js)]) == 0
    text = md.read_text()
    data = json.loads(js.read_text())
    assert [r["key"] for r in data["rows"]] == [r.key for r in ps.ROWS]
    assert data["meta"]["loadavg_start"] and data["meta"]["loadavg_end"]
    assert "Load average" in text and "floor / time" in text
    summary = text.split("## Summary")[1].split("\n## ")[0]
    for row in ps.ROWS:
        assert f"| {row.title} 128² {row.dtype} |" in summary
        assert f"## {row.title} 128² {row.dtype}" in text
    for r in data["rows"]:
        assert r["default_s"] > 0 and r["stages"]
        assert (r["workers1_s"] is None) == r["serial"]
        for s in r["stages"]:
            assert s["default_s"] > 0
            assert (s["floor_default_s"] is None) == (s["bytes"] == 0)


def test_profile_stages_dispatch_the_kernels_as_the_public_call(monkeypatch):
    # same kernels, same work split: every ``dispatch.run`` of the call's
    # stages (extras excluded) has the public call's arguments, in its order
    import threading

    import fastimg._core.dispatch as dispatch
    from benchmarks import profile_stages as ps
    real, calls, active = dispatch.run, [], [True]
    me = threading.get_ident()

    def spy(core, args, **kw):
        # this thread's calls only (earlier tests may leave fastimg's
        # background tiers running kernels in other threads)
        if active[0] and threading.get_ident() == me:
            threads = kw.get("n_threads") or dispatch.resolve_workers(kw.get("workers"))
            calls.append((core.py_func.__qualname__, threads, kw.get("items"), kw.get("size"),
                          kw.get("cost", 1.0), kw.get("min_items", 1), kw.get("per_thread"),
                          kw.get("bounds")))
        return real(core, args, **kw)
    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith("fastimg") and \
                getattr(mod, "run", None) is real:
            monkeypatch.setattr(mod, "run", spy)

    class Parts(ps.Recorder):
        def __call__(self, name, fn, **kw):
            active[0] = kw.get("part", True)
            try:
                return super().__call__(name, fn, **kw)
            finally:
                active[0] = True
    for row in ps.ROWS:
        data = row.make(128)
        for workers in ([None] if row.serial else [None, 1]):
            calls.clear()
            row.call(data, workers)
            public = list(calls)
            assert public, row.key
            calls.clear()
            row.pipeline(data, workers, Parts())
            assert calls == public, (row.key, workers)
