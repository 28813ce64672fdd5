"""fastimg under ``python -OO`` (docstrings are None): every namespace
imports and every public function runs once (``tools/optimized_check.py``,
which CI also runs on the installed package)."""
import os
import subprocess
import sys

CHECK = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "tools", "optimized_check.py")


def test_imports_and_calls_under_python_OO():
    r = subprocess.run([sys.executable, "-OO", CHECK], capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    assert "public functions called once each" in r.stdout, r.stdout
