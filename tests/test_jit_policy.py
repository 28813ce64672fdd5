"""Policy checks: one JIT policy, a small closed set of specialisations, the
anchors' signatures, and caching that never breaks an import."""
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest

import fastimg
import fastimg._kernels
from fastimg import _jit
from fastimg import filters as F
from fastimg import ndimage as N
from fastimg import signal as S

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _kernel_dispatchers():
    found = []
    for mod in pkgutil.iter_modules(fastimg._kernels.__path__):
        m = importlib.import_module(f"fastimg._kernels.{mod.name}")
        for name, obj in vars(m).items():
            if isinstance(obj, numba.core.registry.CPUDispatcher):
                found.append((f"{mod.name}.{name}", obj))
    return found


def test_every_kernel_comes_from_jit_with_the_agreed_options():
    kernels = _kernel_dispatchers()
    assert len(kernels) >= 10
    registry = set(map(id, _jit.REGISTRY))
    for name, disp in kernels:
        assert id(disp) in registry, f"{name} was not created through fastimg._jit"
        opts = disp.targetoptions
        assert opts.get("nogil") is True, name
        assert opts.get("error_model") == "numpy", name
        assert not opts.get("fastmath"), name
    # public modules hold no Numba dispatchers of their own
    for info in pkgutil.iter_modules(fastimg.__path__):
        if info.name == "_kernels":
            continue
        mod = importlib.import_module(f"fastimg.{info.name}")
        for name, obj in vars(mod).items():
            assert not isinstance(obj, numba.core.registry.CPUDispatcher), name


def test_no_dispatcher_is_created_per_call():
    before = len(_jit.REGISTRY)
    x = np.ones((20, 20), np.float32)
    N.gaussian_filter(x, 1)
    N.correlate(x, np.ones((3, 3)))
    S.convolve2d(x, np.ones((2, 2), np.float32))
    assert len(_jit.REGISTRY) == before


def test_specialisations_stay_few_after_odd_inputs():
    rng = np.random.default_rng(0)
    base = rng.random((40, 30)) * 100
    odd = [base.astype(dt) for dt in ("int8", "uint8", "int16", "uint16", "int32", "uint32",
                                      "int64", "uint64", "float32", "float64", "bool")]
    ro = base.astype(np.float32)
    ro.flags.writeable = False
    odd += [base.astype(">f8"), base.astype(">u2"), np.asfortranarray(base),
            base[::-1, ::2], base.astype(np.float32)[::2], ro]
    for x in odd:
        for out in (None, np.float64, np.int32, np.uint8, np.int64):
            N.correlate(x, np.ones((3, 2)), output=out)
            N.gaussian_filter(x, 1.0, output=out)
            N.uniform_filter(x, 3, output=out)
            N.correlate1d(x, [1, 2, 3], axis=0, output=out)
        F.gaussian(x, 1.0)
        if x.dtype != bool:  # (SciPy has no bool convolve2d)
            S.convolve2d(x, np.ones((2, 3), x.dtype), "same", "symm")
    for name, disp in _kernel_dispatchers():
        # 4 kernel input dtypes x 6 kernel output dtypes is the hard ceiling;
        # the odd inputs above must not push any kernel beyond it
        assert len(disp.signatures) <= 24, (name, disp.signatures)


def _params(fn):
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", ["correlate", "convolve", "correlate1d", "convolve1d",
                                  "gaussian_filter", "gaussian_filter1d", "uniform_filter",
                                  "uniform_filter1d", "sobel", "prewitt"])
def test_ndimage_signatures_match_scipy(name):
    import scipy.ndimage as anchor
    ours, theirs = _params(getattr(N, name)), _params(getattr(anchor, name))
    assert ours[:len(theirs)] == theirs
    assert ours[len(theirs):] == [("workers", inspect.Parameter.KEYWORD_ONLY, None)]


@pytest.mark.parametrize("name", ["convolve2d", "correlate2d"])
def test_signal_signatures_match_scipy(name):
    import scipy.signal as anchor
    ours, theirs = _params(getattr(S, name)), _params(getattr(anchor, name))
    assert ours[:len(theirs)] == theirs
    assert ours[len(theirs):] == [("workers", inspect.Parameter.KEYWORD_ONLY, None)]


@pytest.mark.parametrize("name", ["gaussian", "sobel"])
def test_filters_signatures_match_skimage(name):
    anchor = pytest.importorskip("skimage.filters")
    ours, theirs = _params(getattr(F, name)), _params(getattr(anchor, name))
    assert ours[:len(theirs)] == theirs
    assert ours[len(theirs):] == [("workers", inspect.Parameter.KEYWORD_ONLY, None)]


def _run(code, **env):
    full_env = dict(os.environ, **env)
    full_env["PYTHONPATH"] = REPO + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full_env,
                          capture_output=True, text=True, timeout=600)


CALL = """
import numpy as np, scipy.ndimage as sn
import fastimg, fastimg._jit as J
x = np.random.default_rng(0).random((50, 40)).astype(np.float32)
assert np.array_equal(fastimg.ndimage.gaussian_filter(x, 1.5), sn.gaussian_filter(x, 1.5))
print("cache", J.CACHE_ENABLED)
"""


def test_cache_can_be_turned_off():
    r = _run(CALL, FASTIMG_CACHE="0")
    assert r.returncode == 0, r.stderr
    assert "cache False" in r.stdout


def test_no_writable_cache_location_falls_back_to_no_cache():
    # Numba finds a cache location through its locator classes; with none
    # usable (read-only install, no home) decorating with cache=True raises
    # "no locator available".  Emulate exactly that condition, then import.
    r = _run("import numba.core.caching as c\nc.CacheImpl._locator_classes = []\n" + CALL,
             NUMBA_CACHE_DIR="")
    assert r.returncode == 0, r.stderr
    assert "cache False" in r.stdout


def test_cache_is_on_by_default_and_used(tmp_path):
    env = dict(NUMBA_CACHE_DIR=str(tmp_path))
    r = _run(CALL, **env)
    assert r.returncode == 0, r.stderr
    assert "cache True" in r.stdout
    assert any(p.suffix == ".nbi" for p in tmp_path.rglob("*")), "no cache index written"
