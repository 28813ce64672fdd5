"""Packaging: what the wheel ships, and what may import what.

The wheel holds the ``fastimg`` package only (with ``py.typed``) and the
licence; ``reference/`` is a repository folder for the tests and benchmarks,
so nothing installed may import it.  (``tests/test_reference.py`` checks the
reference's import statements; the test here imports it.)
"""
import ast
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent

# build artefacts and tool state that a clean clone does not have; a stale
# build/lib would otherwise end up in the wheel
_NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", "*.py[cod]", "*.nbi", "*.nbc",
    ".venv", ".ci-venv", ".hypothesis", ".benchmarks", ".pytest_cache", ".ruff_cache",
    "fastimg-demo")


@pytest.mark.slow
def test_wheel_ships_only_the_fastimg_package(tmp_path):
    # a copy of the working tree, so the build neither reads nor writes the
    # repository's build/ folder (tests may run in parallel with other builds)
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=_NOT_IN_A_CLONE)
    out = tmp_path / "wheel"
    # with build isolation, as CI's `pip install .` builds it
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps",
                        "-w", str(out), "-q"], cwd=src, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = out.glob("fastimg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = [n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")]
    assert len(set(dist_info)) == 1, set(dist_info)
    dist_info = dist_info[0]
    assert dist_info.startswith("fastimg-"), dist_info
    outside = [n for n in names if not n.startswith(("fastimg/", dist_info + "/"))]
    assert not outside, outside
    assert "fastimg/py.typed" in names
    assert "fastimg/__init__.py" in names and "fastimg/_core/__init__.py" in names
    assert any(n.startswith(dist_info + "/") and n.endswith("/LICENSE") for n in names), names
    assert not [n for n in names if n.startswith("reference/") or "/reference/" in n]


def test_reference_runs_without_fastimg_scipy_skimage_numba():
    # every module of the package, imported in a fresh interpreter
    code = (
        "import pkgutil, sys, reference\n"
        "for m in pkgutil.walk_packages(reference.__path__, 'reference.'):\n"
        "    __import__(m.name)\n"
        "bad = sorted({n.split('.')[0] for n in sys.modules}\n"
        "             & {'fastimg', 'scipy', 'skimage', 'numba'})\n"
        "assert not bad, bad\n")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_installed_code_does_not_import_reference():
    # reference/ is not installed: the demo (and every other module) must not need it
    demo = REPO / "fastimg" / "_cli" / "demo.py"
    assert not [m for m in _imported_modules(demo) if m.split(".")[0] == "reference"]
    for path in (REPO / "fastimg").rglob("*.py"):
        found = [m for m in _imported_modules(path) if m.split(".")[0] == "reference"]
        assert not found, (path.relative_to(REPO), found)
