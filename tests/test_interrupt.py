"""Ctrl-C is honoured within a second, serial calls included, and no kernel
keeps running behind the ``KeyboardInterrupt``.

Each case runs in a fresh interpreter: a small call first (compiles, or
loads from the cache), then a call that takes many seconds; the test sends
SIGINT once the long call is under way and reads back when the child saw
``KeyboardInterrupt`` (``time.monotonic`` is the machine's clock on Linux)
and how much CPU the process used in the half second after it (helper
threads still running a kernel would show there)."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix",
                                reason="POSIX signals")

#: name -> (imports and inputs, the call; ``w`` is the workers argument)
CASES = {
    "correlation": ("from fastimg import ndimage\n"
                    "small = np.ones((64, 64), np.float32); big = np.ones((4096, 4096), np.float32)\n"
                    "k = np.random.default_rng(1).random((63, 63))",
                    "ndimage.correlate({x}, k, workers=w)"),
    "separable": ("from fastimg import ndimage\n"
                  "small = np.ones((64, 64), np.float32); big = np.ones((8192, 4096), np.float32)",
                  "ndimage.gaussian_filter({x}, 300.0, workers=w)"),
    "signal2d": ("from fastimg import signal\n"
                 "small = np.ones((64, 64)); big = np.ones((3072, 3072)); k = np.ones((81, 81))",
                 "signal.convolve2d({x}, k, 'same', workers=w)"),
    "linear": ("from fastimg import filters\n"
               "small = np.ones((64, 64), np.float32); big = np.ones((8192, 4096), np.float32)",
               "filters.gaussian({x}, 300.0, workers=w)"),
    # a disk on 8-bit data: the sliding histogram, all of it in the kernel
    "rank": ("from fastimg import ndimage\n"
             "rng = np.random.default_rng(0)\n"
             "small = (rng.random((64, 64)) * 255).astype(np.uint8)\n"
             "big = (rng.random((4096, 4096)) * 255).astype(np.uint8)\n"
             "yy, xx = np.mgrid[-100:101, -100:101]; disk = yy ** 2 + xx ** 2 <= 10000",
             "ndimage.median_filter({x}, footprint=disk, workers=w)"),
    "hough": ("from fastimg import transform\n"
              "rng = np.random.default_rng(0)\n"
              "small = rng.random((16, 16)) > 0.8; big = rng.random((160, 160)) > 0.7",
              "transform.hough_ellipse({x})"),
}

CHILD = """
import sys, time
import numpy as np
w = {workers}
{setup}
{call_small}
print("go", flush=True)
try:
    {call_big}
    print("finished", flush=True)
except KeyboardInterrupt:
    seen = time.monotonic()
    c0 = time.process_time()
    time.sleep(0.5)
    print("interrupted", seen, time.process_time() - c0, flush=True)
"""


def _child(name, workers):
    setup, call = CASES[name]
    code = CHILD.format(workers=workers, setup=setup,
                        call_small=call.format(x="small"), call_big=call.format(x="big"))
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("workers", [1, None], ids=["serial", "threads"])
@pytest.mark.parametrize("name", list(CASES))
def test_ctrl_c_is_honoured_within_a_second(name, workers):
    if name == "hough" and workers is None:
        pytest.skip("hough_ellipse has no workers argument (its blocks run on all threads)")
    proc = _child(name, workers)
    try:
        line = proc.stdout.readline().strip()
        assert line == "go", line + proc.stderr.read()
        time.sleep(1.0)            # well inside the long call
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    words = out.split()
    assert words and words[0] == "interrupted", (out, err[-2000:])
    latency, cpu_after = float(words[1]) - sent, float(words[2])
    assert latency < 1.0, f"KeyboardInterrupt {latency:.2f} s after SIGINT"
    # nothing left computing: the half second after the exception is idle
    assert cpu_after < 0.1, f"{cpu_after:.2f} s of CPU after the interrupt"
