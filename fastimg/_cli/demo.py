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

The timing and the check are :mod:`fastimg._cli.cases`' (``fastimg bench``
and the benchmark suite's ``bench_catalog.py`` use the same cases): the
largest difference from the anchor is 0 for every bit-identical function
(the exit status is 1 otherwise); ``TOLERANCES`` lists the functions that
match within a documented rule.
"""
from __future__ import annotations

import os
import re
import warnings

import numpy as np

from .._core import catalog as _catalog
from . import cases as _cases
from . import images as _images
from .cases import TOLERANCES, TOLERANT  # noqa: F401 - tools/parity_table.py reads them here
from .common import TABLE_HEADER, CliError, Progress, Table, output_folder
from . import draw
from .png import to_uint8, write_png_array
from .sheet import contact_sheet, for_display
from .tour import TOUR, Scene

#: Defaults: the tour and every function in about a minute on 2 cores with
#: a warm kernel cache (``fastimg warmup``).
DEFAULT_SIZE = 512
DEFAULT_REPEAT = 2

#: fastimg's function or the anchor's by name (tests use it).
_resolver = _cases.resolver


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


def _step_check(step):
    """A tour step's pictures are bit-identical unless the step calls a
    function in ``TOLERANCES`` (its own rule is checked in the catalog
    part; a picture drawn from its result is not held to it)."""
    tolerant = [u for u in step.uses if u in TOLERANT]
    if not tolerant:
        return _cases.exact
    return lambda r, e: _cases.Check(_cases.max_diff(r, e), True, f"uses {tolerant[0]}")


def _source(image):
    if image is None:
        return _images.photograph(), "built-in photograph (coffee, CC0)"
    return _images.read_image(image), os.path.basename(image)


def run_demo(out_dir: str, size: int = DEFAULT_SIZE, repeat: int = DEFAULT_REPEAT,
             image: str | None = None) -> int:
    """Run the demo; returns a process exit code (1 if a bit-identical
    function's result differs from its anchor's or a step fails)."""
    import fastimg
    from .._core import dispatch as _dispatch
    picture, name = _source(image)           # a bad file fails before any output
    if (picture.ndim not in (2, 3) or 0 in picture.shape
            or (picture.ndim == 3 and picture.shape[2] > 4)):
        raise CliError(f"{name}: an image of shape {picture.shape}: the demo needs a 2-D "
                       f"grey or colour picture (at most 4 channels)")
    output_folder(out_dir)
    square = _images.fit(picture, size)
    scene = Scene(_images.grey(square), _images.colour(square))
    write_png_array(os.path.join(out_dir, "input.png"), for_display(scene.rgb))
    print(f"fastimg {fastimg.__version__} demo: {name} at {size}x{size}, "
          f"{_dispatch.resolve_workers(None)} threads, best of {repeat}; "
          f"pictures in {out_dir}")
    ours_fn, anchor_fn = _cases.resolver(False), _cases.resolver(True)
    table = Table(lenient=image is not None)
    progress = Progress(len(TOUR) + len(_catalog.ROWS), "fastimg demo")
    warnings.simplefilter("ignore", FutureWarning)  # deprecated skimage names run too
    try:
        table.lines.append("tour")
        for j, step in enumerate(TOUR, start=1):
            progress.step(step.title)
            shown = table.measure(step.title, lambda: step.run(ours_fn, scene),
                                  lambda: step.run(anchor_fn, scene), repeat,
                                  _step_check(step))
            if shown is not None:
                write_png_array(os.path.join(out_dir, f"tour-{j:02d}-{_slug(step.title)}.png"),
                                for_display(shown))
                table.tiles.append((step.title, shown))
        table.lines.append("every public function (the benchmarks' sample calls)")
        x = scene.grey
        for i, row in enumerate(_catalog.ROWS, start=1):
            progress.step(row.qualname)
            case = _cases.Case(row)
            done = table.measure(row.qualname, lambda: case.ours(x), lambda: case.anchor(x),
                                 repeat, lambda r, e: case.check(r, e, x))
            try:
                shown = ((row.show or row.sample)(ours_fn(row.qualname), x)
                         if done is not None else None)
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
    print()
    print("\n".join(table.summary()))
    print(f"contact sheet: {os.path.join(out_dir, 'contact-sheet.png')} ({len(table.tiles)} "
          f"pictures{'' if titled else '; titles in contact-sheet.txt'})")
    return 0 if table.ok else 1
