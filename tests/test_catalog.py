"""The catalog is plain code: samples, warm-up calls and demo pictures are
functions (no source text is evaluated anywhere), and the catalog's file
loads on its own, so the cold-start benchmark's anchor processes call their
samples without importing fastimg."""
import ast
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from benchmarks import cold_start
from fastimg._core import catalog as _catalog

REPO = pathlib.Path(__file__).resolve().parent.parent


def _calls_to(name, folder):
    for path in sorted((REPO / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == name):
                yield f"{path.relative_to(REPO)}:{node.lineno}"


#: the one place that runs source text on purpose: ``python -m fastimg
#: script.py`` executes the user's script (or ``-c`` code) as ``python`` does
USER_PROGRAMS = {"fastimg/_accelerate/launch.py"}


@pytest.mark.parametrize("folder", ["fastimg", "benchmarks"])
def test_no_source_text_is_evaluated(folder):
    calls = [*_calls_to("eval", folder), *_calls_to("exec", folder)]
    assert not [c for c in calls if c.split(":")[0] not in USER_PROGRAMS]
    # and the launcher's exec runs a program only, once
    if folder == "fastimg":
        assert len(calls) == 1 and not list(_calls_to("eval", folder)), calls


def test_rows_hold_functions():
    for row in _catalog.ROWS:
        assert callable(row.sample) and all(map(callable, row.warm)), row.qualname
        assert row.show is None or callable(row.show), row.qualname
        assert _catalog.find_row(row.qualname) is row
    with pytest.raises(KeyError, match="no catalog row 'ndimage.nope'"):
        _catalog.find_row("ndimage.nope")


def test_catalog_file_loads_alone_and_imports_nothing_numpy_has_not():
    code = f"""
import importlib.util, sys
import numpy as np
before = set(sys.modules)
spec = importlib.util.spec_from_file_location("catalog_alone", {_catalog.__file__!r})
catalog = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(catalog)
assert set(sys.modules) - before == {{"catalog_alone"}}, set(sys.modules) - before
x = np.arange(12.0).reshape(3, 4)
assert catalog.find_row("util.invert").sample(lambda image: -image, x)[0, 1] == -1.0
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr


def test_cold_start_anchor_child_calls_the_sample_without_fastimg(tmp_path):
    pytest.importorskip("scipy")
    path = str(tmp_path / "x.npy")
    np.save(path, (np.arange(32 * 32).reshape(32, 32) % 7).astype(np.float32))
    _, (_, imp, call) = cold_start.FUNCTIONS["ndimage.gaussian_filter"]
    code = cold_start._child(imp, call, path, path) + (
        "assert not [m for m in sys.modules if m.split('.')[0] == 'fastimg'], "
        "sorted(m for m in sys.modules if 'fastimg' in m)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = cold_start._run_child(code, env, str(tmp_path))
    assert out["result_dtype"] == "float32" and "second_call_s" in out
    assert 0 <= out["harness_s"] < out["process_total_s"]
    assert out["process_s"] == pytest.approx(
        out["process_total_s"] - out["second_part_s"] - out["harness_s"])
