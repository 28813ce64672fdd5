"""The demo's contact sheet: every picture in one titled grid.

Titles are drawn with Pillow's default font (``ImageDraw``) when Pillow is
installed; without it the grid has no titles, and ``contact-sheet.txt``
(always written) names each tile by its row and column.
"""
from __future__ import annotations

import math
import os

import numpy as np

from .png import to_uint8, write_png_array

#: Title strip height above each tile, in pixels.
TITLE = 14


def for_display(picture) -> np.ndarray:
    """A picture as uint8, (H, W) grey or (H, W, 3) RGB: bool as 0/255,
    floats in [0, 1] as they are (x 255), anything else scaled from its
    minimum..maximum."""
    a = np.asarray(picture)
    if a.dtype == bool:
        return a.astype(np.uint8) * np.uint8(255)
    if a.ndim == 3 and a.shape[2] not in (3, 4):
        a = a[..., 0]
    if a.ndim == 3:
        a = a[..., :3]
    if a.dtype == np.uint8:
        return a
    f = np.asarray(a, np.float64)
    finite = np.isfinite(f)
    if a.dtype.kind == "f" and finite.all() and f.min() >= 0 and f.max() <= 1:
        return np.round(255 * f).astype(np.uint8)
    return to_uint8(f)


def _tile(picture: np.ndarray, side: int) -> np.ndarray:
    """``picture`` as RGB uint8 fitted into a ``side`` x ``side`` tile
    (nearest pixel, aspect kept, centred on black)."""
    a = for_display(picture)
    if a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=2)
    h, w = a.shape[:2]
    k = side / max(h, w)
    th, tw = max(int(h * k), 1), max(int(w * k), 1)
    rows = np.minimum((np.arange(th) / k).astype(int), h - 1)
    cols = np.minimum((np.arange(tw) / k).astype(int), w - 1)
    out = np.zeros((side, side, 3), np.uint8)
    r0, c0 = (side - th) // 2, (side - tw) // 2
    out[r0:r0 + th, c0:c0 + tw] = a[rows][:, cols]
    return out


def contact_sheet(tiles, path: str, side: int = 160, columns: int | None = None) -> bool:
    """Write the titled grid of ``tiles`` ((title, picture) pairs) as the
    PNG ``path`` and its index as ``path`` with ``.txt``; returns whether
    the titles were drawn (Pillow installed)."""
    n = len(tiles)
    columns = columns or max(1, math.ceil(math.sqrt(n * 1.3)))
    rows = math.ceil(n / columns)
    cell = side + TITLE
    sheet = np.full((rows * cell, columns * side, 3), 24, np.uint8)
    for i, (_, picture) in enumerate(tiles):
        r, c = divmod(i, columns)
        sheet[r * cell + TITLE:(r + 1) * cell, c * side:(c + 1) * side] = _tile(picture, side)
    titled = False
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        write_png_array(path, sheet)
    else:
        image = Image.fromarray(sheet)
        pen = ImageDraw.Draw(image)
        for i, (title, _) in enumerate(tiles):
            r, c = divmod(i, columns)
            pen.text((c * side + 3, r * cell + 1), title[:side // 6], fill=(235, 235, 235))
        write_png_array(path, np.asarray(image))
        titled = True
    with open(os.path.splitext(path)[0] + ".txt", "w", encoding="utf-8") as f:
        f.write(f"{os.path.basename(path)}: {rows} rows x {columns} columns of "
                f"{side}-pixel tiles, left to right, top to bottom\n")
        for i, (title, _) in enumerate(tiles):
            r, c = divmod(i, columns)
            f.write(f"row {r + 1:>2} column {c + 1:>2}: {title}\n")
    return titled
