"""SciPy's own tests for the mirrored functions, run against fastimg.

SciPy ships its test suite inside the wheel; the ``fastimg_patch`` plugin
(tests/anchor_suites/) swaps fastimg's functions in for SciPy's before the
tests are collected, so SciPy's assertions check fastimg.  (scikit-image 0.26
does not ship its tests; they were run from its v0.26.0 sources by hand, see
the README.)
"""
import os
import subprocess
import sys

import pytest

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "anchor_suites")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run_scipy_suite(module, *extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([PLUGIN_DIR, REPO, env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "fastimg_patch", "--pyargs", module,
         "-p", "no:cacheprovider", "-o", "addopts=", "--tb=short", *extra],
        env=env, capture_output=True, text=True, timeout=1800, cwd=PLUGIN_DIR)


@pytest.mark.parametrize("module,selection", [
    ("scipy.ndimage.tests.test_filters", []),
    ("scipy.signal.tests.test_signaltools", ["-k", "2d or 2D"]),
])
def test_scipy_own_tests_pass_against_fastimg(module, selection):
    r = _run_scipy_suite(module, *selection)
    out = r.stdout + r.stderr
    assert "fastimg_patch:" in out and "fastimg_patch: 0 " not in out, out[-3000:]
    assert r.returncode == 0, out[-5000:]
    assert " passed" in out
