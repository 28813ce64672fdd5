"""``fastimg demo``: run every public function on a built-in image, write
PNGs, time them.

The functions come from the catalog (:mod:`fastimg._core.catalog`): each
row's sample call runs with fastimg's function and with its anchor's (SciPy,
scikit-image when installed), and what the row shows (the result, or for a
threshold the segmentation it gives) is written as a PNG when it is an image.

The image is generated (no file, no network): shapes with sharp edges, smooth
gradients, fine texture and noise, so every filter has something to show.
Each function is timed against its anchor and the maximum difference from
the anchor is printed.
"""
from __future__ import annotations

import functools
import os
import time

import numpy as np

from .._core import catalog as _catalog
from .png import write_png


def builtin_image(size: int = 1024) -> np.ndarray:
    """A deterministic float32 test scene in [0, 1], ``size`` x ``size``."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) / size
    img = 0.35 + 0.25 * xx - 0.15 * yy
    img += 0.4 * (((xx - 0.3) ** 2 + (yy - 0.35) ** 2) < 0.04)        # disc
    img -= 0.3 * ((np.abs(xx - 0.72) < 0.12) & (np.abs(yy - 0.3) < 0.2))  # square
    img += 0.2 * ((yy > 0.62) & (yy < 0.9) & (xx > 0.1) & (xx < 0.9)
                  & (np.sin(40 * np.pi * xx) > 0))                   # stripes
    ring = np.hypot(xx - 0.7, yy - 0.75)
    img += 0.15 * np.cos(60 * ring) * (ring < 0.2)                   # rings
    img += np.random.default_rng(2024).normal(0, 0.03, img.shape)    # sensor noise
    return np.clip(img, 0, 1).astype(np.float32)


def _best_ms(fn, repeat):
    fn()  # compile / warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def _cases():
    """(name, why there is no anchor, fastimg call, anchor call or None,
    show call) per catalog row; each call takes the image."""
    cases = []
    for row in _catalog.ROWS:
        ours = _catalog.function(row)
        anchor = None
        missing = "(no anchor)"
        if row.anchor is not None:
            try:
                anchor = _catalog.anchor_function(row)
            except ImportError:  # scikit-image is a test extra, not a dependency
                missing = f"({row.anchor.partition('.')[0]} not installed)"
        cases.append((row.qualname, missing, functools.partial(row.sample, ours),
                      functools.partial(row.sample, anchor) if anchor is not None else None,
                      functools.partial(row.show or row.sample, ours)))
    return cases


#: Functions whose results equal the anchor's within a tolerance, not bit
#: for bit: the largest |difference| the demo accepts (match_template's
#: correlation is a float32 FFT in the anchor for float32 images, direct or
#: FFT sums here; scores lie in [-1, 1], and a nearly flat window's small
#: denominator magnifies rounding: 2.5e-4 on the demo image; the bound is
#: tests/conftest.py's TOLERANCES "match-template").
TOLERANT = {"feature.match_template": 1e-3,
            # the same linear system, solved in float64 where scikit-image
            # solves float32 images in float32 (tests/conftest.py's
            # "biharmonic-float32" bound, image in [0, 1])
            "restoration.inpaint_biharmonic": 1e-3}


def _as_float(result) -> np.ndarray:
    """A result's numbers as float64: an array as it is, a table's fields
    side by side, tuples and lists (labels and their count, measurements,
    slices of objects) flattened in order."""
    if isinstance(result, slice):
        return np.array([np.nan if v is None else v
                         for v in (result.start, result.stop, result.step)], np.float64)
    if result is None:
        return np.array([np.nan])
    if isinstance(result, (tuple, list)) and not all(
            isinstance(v, (int, float, np.number)) for v in result):
        parts = [_as_float(v).ravel() for v in result]
        return np.concatenate(parts) if parts else np.zeros(0)
    a = np.asarray(result)
    if a.dtype.names:  # a table (hough_ellipse): its fields side by side
        from numpy.lib import recfunctions
        a = recfunctions.structured_to_unstructured(a, dtype=np.float64)
    return np.asarray(a, dtype=np.float64)


def _max_diff(result, expected) -> float:
    a = _as_float(result)
    b = _as_float(expected)
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    both_nan = np.isnan(a) & np.isnan(b)
    return float(np.max(np.where(both_nan, 0.0, np.abs(a - b))))


def run_demo(out_dir: str, size: int = 1024, repeat: int = 3) -> int:
    """Run the demo; returns a process exit code (1 if any result differs)."""
    import fastimg
    from .._core import dispatch as _dispatch
    os.makedirs(out_dir, exist_ok=True)
    image = builtin_image(size)
    write_png(os.path.join(out_dir, "00-input.png"), image)
    print(f"fastimg {fastimg.__version__} demo: {size}x{size} float32 image, "
          f"{_dispatch.resolve_workers(None)} threads; PNG files in {out_dir}")
    header = f"{'function':<30}{'fastimg ms':>11}{'anchor ms':>11}{'speed-up':>9}{'max |diff|':>12}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    import warnings
    # deprecated functions (skimage's square) are shown like the others
    warnings.simplefilter("ignore", FutureWarning)
    for i, (name, missing, ours, anchor, show) in enumerate(_cases(), start=1):
        t_first = time.perf_counter()
        result = ours(image)
        first = time.perf_counter() - t_first
        shown = show(image)
        if isinstance(shown, np.ndarray) and shown.ndim == 2 and shown.dtype.kind in "biuf":
            write_png(os.path.join(out_dir, f"{i:02d}-{name}.png"), shown)
        t_ours = _best_ms(lambda: ours(image), repeat)
        if anchor is not None:
            diff = _max_diff(result, anchor(image))
            t_anchor = _best_ms(lambda: anchor(image), max(1, repeat - 1))
            anchor_txt = f"{t_anchor:>11.1f}{t_anchor / t_ours:>8.1f}x"
            diff_txt = f"{diff:>12.1e}"
            if diff > TOLERANT.get(name, 0.0):
                worst = max(worst, diff)
        else:
            anchor_txt = f"  {missing}"
            diff_txt = f"{'n/a':>12}"
        print(f"{name:<30}{t_ours:>11.1f}{anchor_txt}{diff_txt}"
              f"   (first call {first:.2f} s)")
    print(f"\nlargest difference from an anchor: {worst:.1e} (0 means bit-identical; "
          f"within its tolerance for {', '.join(TOLERANT)})")
    return 0 if worst == 0.0 else 1
