"""The benchmark tools (benchmarks/busy.py, cold_start.py, report.py) work:
a tiny busy-machine run, the cold-start child's code, and the report's
busy-machine table and goal lines from hand-made JSON (no timing claims)."""
import json

import numpy as np

from benchmarks import busy, cold_start, compile_times, report


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
