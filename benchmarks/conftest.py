"""Shared fixtures and hooks for the fastimg benchmarks.

Inputs are real photographs (``skimage.data.camera`` and ``astronaut``), never
random noise: filters on noise have no structure and some implementations take
data-dependent paths.  Sizes come from ``FASTIMG_BENCH_SIZES`` (comma list,
default ``512,2048,4096``); CI sets ``FASTIMG_BENCH_SIZES=512``.

Run (``testpaths`` in pyproject is ``tests``, so name this folder explicitly)::

    FASTIMG_BENCH_SIZES=512 pytest benchmarks --benchmark-disable -q -p no:cacheprovider
    pytest benchmarks --benchmark-only --benchmark-json=bench.json

``bench_*.py`` files are collected by the ``pytest_collect_file`` hook below.
"""
from __future__ import annotations

import os
import platform
import shlex
import sys

# the benchmarks time fastimg's kernels: never the anchor answering for them
# while they compile (fastimg._core.tiers)
os.environ.setdefault("FASTIMG_JIT", "foreground")

import numpy as np  # noqa: E402
import pytest

#: fastimg uses no Numba threading layer (serial kernels on its own thread
#: pool, see ``fastimg/_core/dispatch.py``); the benchmarks record that none was
#: started and the report says so.

DEFAULT_SIZES = "512,2048,4096"
DTYPES = ("uint8", "float32", "float64")


def bench_sizes() -> list[int]:
    raw = os.environ.get("FASTIMG_BENCH_SIZES", DEFAULT_SIZES)
    sizes = [int(s) for s in raw.replace(" ", "").split(",") if s]
    if not sizes:
        raise ValueError(f"FASTIMG_BENCH_SIZES is empty: {raw!r}")
    return sizes


# --------------------------------------------------------------------------
# collection: bench_*.py in this folder are test modules
# --------------------------------------------------------------------------
def pytest_collect_file(file_path, parent):
    if (file_path.suffix == ".py" and file_path.name.startswith("bench_")
            and not parent.session.isinitpath(file_path)):
        # Files named on the command line are collected by pytest itself.
        return pytest.Module.from_parent(parent, path=file_path)
    return None


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------
def _gray_u8(rgb: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2gray
    return np.round(rgb2gray(rgb) * 255.0).astype(np.uint8)


def _mosaic_2048() -> np.ndarray:
    """A 2048x2048 uint8 mosaic of 4x4 tiles of 512x512 photographs
    (camera, gray astronaut and their mirror images, in a fixed pattern)."""
    from skimage import data
    cam = data.camera()
    ast = _gray_u8(data.astronaut())
    tiles = [cam, ast, cam[:, ::-1], ast[::-1, :]]
    rows = []
    for i in range(4):
        rows.append(np.hstack([tiles[(i + j) % 4] for j in range(4)]))
    return np.ascontiguousarray(np.vstack(rows))


_U8_CACHE: dict[int, np.ndarray] = {}


def photo_u8(n: int) -> np.ndarray:
    """Deterministic n x n uint8 photograph: camera at 512, a crop of the
    2048 mosaic below that, ``np.tile`` of the mosaic above it."""
    if n in _U8_CACHE:
        return _U8_CACHE[n]
    if n == 512:
        from skimage import data
        img = data.camera()
    else:
        base = _mosaic_2048()
        reps = -(-n // base.shape[0])
        img = np.tile(base, (reps, reps))[:n, :n]
    img = np.ascontiguousarray(img, dtype=np.uint8)
    img.setflags(write=False)
    _U8_CACHE[n] = img
    return img


def make_image(n: int, dtype: str) -> np.ndarray:
    u8 = photo_u8(n)
    if dtype == "uint8":
        return u8
    if dtype == "uint16":               # the full 16-bit range: 0..65535
        out = u8.astype(np.uint16) * np.uint16(257)
    else:
        out = (u8 / 255.0).astype(dtype)   # values in [0, 1]
    out.setflags(write=False)
    return out


@pytest.fixture(scope="session")
def images():
    """``images(n, dtype)``: a writable copy of the cached (read-only) input
    per (size, dtype).  Users' images are normally writable; fastimg copies
    read-only inputs once (one Numba specialisation per dtype), a cost the
    tests cover and the timings should not include."""
    cache: dict[tuple[int, str], np.ndarray] = {}

    def get(n: int, dtype: str) -> np.ndarray:
        key = (int(n), str(dtype))
        if key not in cache:
            cache[key] = make_image(*key)
        return cache[key].copy()

    return get


# --------------------------------------------------------------------------
# environment record
# --------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(mod: str) -> str:
    try:
        m = __import__(mod)
        return getattr(m, "__version__", "?")
    except Exception:  # pragma: no cover - optional anchor missing
        return "not installed"


def threading_layer() -> str:
    import numba
    try:
        return numba.threading_layer()
    except ValueError:
        return "not initialised"


def environment_info() -> dict:
    import numba

    from fastimg._core.dispatch import resolve_workers
    return {
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        # fastimg's own pool (numba.get_num_threads() would start a Numba
        # threading layer, which fastimg never uses)
        "numba_threads": resolve_workers(None),
        "numba_threading_layer": threading_layer(),
        "python": platform.python_version(),
        "fastimg": _version("fastimg"),
        "numba": numba.__version__,
        "numpy": np.__version__,
        "scipy": _version("scipy"),
        "skimage": _version("skimage"),
        "cv2": _version("cv2"),
        "cv2_threads": _cv2_threads(),
        "sizes": ",".join(map(str, bench_sizes())),
    }


def _cv2_threads():
    try:
        import cv2
        return cv2.getNumThreads()
    except Exception:  # pragma: no cover
        return None


@pytest.fixture(scope="session")
def bench_env():
    """The environment record (fastimg starts no Numba threading layer: its
    kernels are serial and split over its own thread pool)."""
    return environment_info()


def pytest_benchmark_update_machine_info(config, machine_info):
    info = environment_info()
    cmd = shlex.join(["pytest", *config.invocation_params.args])
    if "FASTIMG_BENCH_SIZES" in os.environ:
        cmd = f"FASTIMG_BENCH_SIZES={shlex.quote(os.environ['FASTIMG_BENCH_SIZES'])} {cmd}"
    info["command"] = cmd
    info["python_executable"] = sys.executable
    machine_info["fastimg_bench"] = info
