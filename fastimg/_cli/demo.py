"""``fastimg demo``: the classic image-processing tour and every public
function, on a built-in photograph or the user's image, timed against the
anchors.

The built-in photograph is a 400 x 400 crop of scikit-image's "coffee"
(CC0 by the photographer, Rachel Michetti; ``fastimg/_data/coffee.txt``).
The picture is cropped to a centred square and resized to ``--size``.

Two parts, one table and one contact sheet:

* the tour (:mod:`fastimg._cli.tour`): each step runs with fastimg's
  functions and with the anchors' (SciPy, scikit-image when installed), and
  the two pictures are compared;
* every row of the catalog (:mod:`fastimg._core.catalog`): its sample call,
  the call the benchmarks time, with fastimg's function and its anchor's;
  what the row shows, when it is an image, is written as a PNG.

The largest difference from the anchor is 0 for every bit-identical function
(the exit status is 1 otherwise); ``TOLERANT`` lists the functions that
match within a tolerance.
"""
from __future__ import annotations

import functools
import os
import re
import warnings

import numpy as np

from .._core import catalog as _catalog
from . import images as _images
from .common import (TABLE_HEADER, CliError, Progress, best_ms, max_diff, output_folder,
                     timing_cells)
from . import draw
from .png import to_uint8, write_png_array
from .sheet import contact_sheet, for_display
from .tour import TOUR, Scene

#: Defaults: the tour and every function in about a minute on 2 cores with
#: a warm kernel cache (``fastimg warmup``).
DEFAULT_SIZE = 512
DEFAULT_REPEAT = 2

#: Functions whose results equal the anchor's within a tolerance, not bit
#: for bit: the largest |difference| the demo accepts and why (the bounds
#: of tests/conftest.py's TOLERANCES; ``tools/parity_table.py`` puts the
#: reasons in the README's parity table).
TOLERANCES = {
    "feature.match_template": (
        1e-3, "the correlation is summed directly or by FFT tiles, scikit-image's by one "
              "FFT (float32 for float32 images); scores in [-1, 1] differ by rounding, "
              "magnified where a window is nearly flat (tests: |diff| <= 16 eps "
              "||image|| ||template|| / denominator)"),
    "restoration.inpaint_biharmonic": (
        1e-3, "the same linear systems, solved per region in float64 where scikit-image "
              "solves float32 images in float32 (measured 6.6e-5 of the range; float64 "
              "images within 1e-11)"),
}
TOLERANT = {name: bound for name, (bound, _) in TOLERANCES.items()}


class _NoAnchor(Exception):
    """A step calls a function without an anchor, or one not installed."""


def _resolver(anchor: bool):
    """``fn("namespace.name")``: fastimg's function (the catalog's, as the
    benchmarks call it) or the anchor's (raises _NoAnchor)."""
    @functools.lru_cache(maxsize=None)
    def fn(qualname):
        row = _catalog.find_row(qualname)
        if not anchor:
            return _catalog.function(row)
        if row.anchor is None:
            raise _NoAnchor("(fastimg's own)")
        try:
            return _catalog.anchor_function(row)
        except ImportError:
            raise _NoAnchor(f"({row.anchor.partition('.')[0]} not installed)") from None
    return fn


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-").lower()


def _is_image(v) -> bool:
    return isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind in "biuf" and v.size > 1


def _picture(shown, x):
    """What a catalog row's result looks like: (N, 2) coordinates (peaks,
    polygon vertices) as points on the photograph, an image scaled to
    0..255 (a constant non-zero one, a footprint of ones, white); None when
    the result is no picture."""
    if not _is_image(shown):
        return None
    if shown.shape[1] == 2 and shown.shape != x.shape:
        out = draw.canvas(x)
        draw.points(out, shown[:, 0], shown[:, 1], draw.RED, width=max(2, x.shape[0] // 128))
        return for_display(out)
    a = np.asarray(shown, np.float64)
    if np.all(a == a.flat[0]) and np.isfinite(a.flat[0]):
        return np.full(a.shape, 255 if a.flat[0] else 0, np.uint8)
    return to_uint8(a)


def _measure(ours, anchor, repeat):
    """(fastimg's result, ms, anchor ms or None, max |diff| or None, why
    no anchor) of two zero-argument calls; ``anchor`` may raise _NoAnchor."""
    result = ours()
    t_ours = best_ms(ours, repeat, warm=False)
    try:
        expected = anchor()
    except _NoAnchor as e:
        return result, t_ours, None, None, str(e)
    t_anchor = best_ms(anchor, max(1, repeat - 1), warm=False)
    return result, t_ours, t_anchor, max_diff(result, expected), ""


def _source(image):
    if image is None:
        return _images.photograph(), "built-in photograph (coffee, CC0)"
    return _images.read_image(image), os.path.basename(image)


class _Table:
    """The demo's table, pictures, worst difference and failed steps."""

    def __init__(self):
        self.lines, self.tiles, self.failed, self.worst = [], [], [], 0.0

    def measure(self, name, ours, anchor, repeat, tolerance):
        """Time ``ours()`` against ``anchor()`` and add the line; returns
        fastimg's result, or None when the call failed (the line says why)."""
        try:
            result, t_ours, t_anchor, diff, missing = _measure(ours, anchor, repeat)
        except Exception as e:  # noqa: BLE001 - one failed step must not end the demo
            self.failed.append(name)
            self.lines.append(f"  {name:<32}failed: {type(e).__name__}: {e}")
            return None
        if diff is not None and diff > tolerance:
            self.worst = max(self.worst, diff)
        self.lines.append(f"  {name:<32}{timing_cells(t_ours, t_anchor, diff, missing)}")
        return result


def run_demo(out_dir: str, size: int = DEFAULT_SIZE, repeat: int = DEFAULT_REPEAT,
             image: str | None = None) -> int:
    """Run the demo; returns a process exit code (1 if a bit-identical
    function's result differs from its anchor's or a step fails)."""
    import fastimg
    from .._core import dispatch as _dispatch
    picture, name = _source(image)           # a bad file fails before any output
    if (picture.ndim not in (2, 3) or min(picture.shape[:2]) < 8
            or (picture.ndim == 3 and picture.shape[2] > 4)):
        raise CliError(f"{name}: an image of shape {picture.shape}: the demo needs a 2-D "
                       f"grey or colour picture at least 8 pixels wide")
    output_folder(out_dir)
    square = _images.fit(picture, size)
    scene = Scene(_images.grey(square), _images.colour(square))
    write_png_array(os.path.join(out_dir, "input.png"), for_display(scene.rgb))
    print(f"fastimg {fastimg.__version__} demo: {name} at {size}x{size}, "
          f"{_dispatch.resolve_workers(None)} threads, best of {repeat}; "
          f"pictures in {out_dir}")
    ours_fn, anchor_fn = _resolver(False), _resolver(True)
    table = _Table()
    progress = Progress(len(TOUR) + len(_catalog.ROWS), "fastimg demo")
    warnings.simplefilter("ignore", FutureWarning)  # deprecated skimage names run too
    try:
        table.lines.append("tour")
        for j, step in enumerate(TOUR, start=1):
            progress.step(step.title)
            tolerance = float("inf") if any(u in TOLERANT for u in step.uses) else 0.0
            shown = table.measure(step.title, lambda: step.run(ours_fn, scene),
                                  lambda: step.run(anchor_fn, scene), repeat, tolerance)
            if shown is not None:
                write_png_array(os.path.join(out_dir, f"tour-{j:02d}-{_slug(step.title)}.png"),
                                for_display(shown))
                table.tiles.append((step.title, shown))
        table.lines.append("every public function (the benchmarks' sample calls)")
        x = scene.grey
        for i, row in enumerate(_catalog.ROWS, start=1):
            progress.step(row.qualname)
            ours = _catalog.function(row)
            done = table.measure(row.qualname, lambda: row.sample(ours, x),
                                 lambda: row.sample(anchor_fn(row.qualname), x), repeat,
                                 TOLERANT.get(row.qualname, 0.0))
            try:
                shown = (row.show or row.sample)(ours, x) if done is not None else None
            except Exception as e:  # noqa: BLE001
                table.failed.append(row.qualname)
                table.lines.append(f"  {row.qualname:<32}picture failed: {e}")
                continue
            picture = _picture(shown, x)
            if picture is not None:
                write_png_array(os.path.join(out_dir, f"fn-{i:03d}-{row.qualname}.png"),
                                picture)
                table.tiles.append((row.qualname, picture))
    finally:
        progress.close()
    titled = contact_sheet(table.tiles, os.path.join(out_dir, "contact-sheet.png"))
    print(TABLE_HEADER)
    print("-" * len(TABLE_HEADER))
    print("\n".join(table.lines))
    print(f"\nlargest difference from an anchor: {table.worst:.1e} (0 means bit-identical; "
          f"within its tolerance for {', '.join(TOLERANT)})")
    print(f"contact sheet: {os.path.join(out_dir, 'contact-sheet.png')} ({len(table.tiles)} "
          f"pictures{'' if titled else '; titles in contact-sheet.txt'})")
    if table.failed:
        print(f"failed: {', '.join(table.failed)}")
    return 0 if table.worst == 0.0 and not table.failed else 1
