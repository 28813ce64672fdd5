"""Image files for the command line: the built-in photograph, reading a
user's PNG / TIFF / JPEG ..., and writing results as PNG or TIFF.

Reading uses Pillow (any format it knows) and tifffile (``.tif``,
``.tiff``), imported when needed; without Pillow, the small PNG reader of
:mod:`fastimg._cli.png` reads plain PNGs.  PNG files are written by that
module (8/16-bit grey, grey+alpha, RGB, RGBA; no dependency), TIFF files by
tifffile.

How a result becomes a file (:func:`to_file_dtype`):

* bool -> uint8, False 0 and True 255;
* uint8, uint16 -> as they are;
* other integers -> uint8 when every value fits 0..255, uint16 when it fits
  0..65535; otherwise TIFF keeps them as they are and PNG refuses;
* floats -> TIFF keeps them as float32; PNG: values in [0, 1] become 8-bit
  (0..255) when the input was 8-bit, else 16-bit (0..65535); other values
  are scaled linearly from their minimum..maximum to the same range, with a
  note on stderr saying so (write a ``.tif`` to keep the values).
"""
from __future__ import annotations

import importlib.resources
import os

import numpy as np

from .common import IO_HINT, CliError
from .png import read_png, write_png_array

#: The built-in photograph and the text naming its source and licence.
PHOTO = "coffee.png"
PHOTO_LICENCE = "coffee.txt"
TIFF_SUFFIXES = (".tif", ".tiff")


def photograph() -> np.ndarray:
    """The built-in photograph, (400, 400, 3) uint8 RGB.

    A crop of scikit-image's "coffee" photograph: "No copyright restrictions.
    CC0 by the photographer (Rachel Michetti)" (courtesy of Pikolo Espresso
    Bar); ``fastimg/_data/coffee.txt`` says so beside the file.
    """
    with importlib.resources.as_file(
            importlib.resources.files("fastimg") / "_data" / PHOTO) as path:
        return read_png(path)


def read_image(path: str) -> np.ndarray:
    """The pixels of the image file ``path`` as a NumPy array: (H, W) or
    (H, W, C), in the file's own dtype (palette images become RGB)."""
    if not os.path.exists(path):
        raise CliError(f"{path}: no such file")
    if os.path.isdir(path):
        raise CliError(f"{path}: is a folder, not an image file")
    if path.lower().endswith(TIFF_SUFFIXES):
        try:
            import tifffile
        except ImportError:
            raise CliError(f"{path}: reading TIFF needs tifffile: {IO_HINT}") from None
        try:
            return np.asarray(tifffile.imread(path))
        except Exception as e:  # tifffile raises several types for a bad file
            raise CliError(f"{path}: not a TIFF image tifffile can read ({e})") from None
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        try:
            return read_png(path)
        except ValueError as e:
            raise CliError(f"{path}: {e}; other formats need Pillow: {IO_HINT}") from None
        except OSError as e:
            raise CliError(f"{path}: cannot read ({e.strerror or e})") from None
    try:
        with Image.open(path) as im:
            if im.mode in ("P", "PA", "CMYK", "YCbCr", "LAB", "HSV"):
                im = im.convert("RGBA" if "A" in im.mode or "transparency" in im.info
                                else "RGB")
            return np.asarray(im)
    except UnidentifiedImageError:
        raise CliError(f"{path}: not an image file (Pillow cannot identify it)") from None
    except OSError as e:
        raise CliError(f"{path}: cannot read ({e.strerror or e})") from None


def grey(img: np.ndarray) -> np.ndarray:
    """An image as float32 grey in [0, 1] (integers by their dtype's range,
    colour by ITU-R BT.601 luma, alpha dropped)."""
    a = unit_float(img)
    if a.ndim == 3:
        a = a[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32) if a.shape[2] >= 3 \
            else a[..., 0]
    return np.ascontiguousarray(a, dtype=np.float32)


def colour(img: np.ndarray) -> np.ndarray:
    """An image as float32 RGB in [0, 1] (grey repeated, alpha dropped)."""
    a = unit_float(img)
    if a.ndim == 2:
        a = a[..., None]
    if a.shape[2] < 3:
        a = np.repeat(a[..., :1], 3, axis=2)
    return np.ascontiguousarray(a[..., :3], dtype=np.float32)


def unit_float(img: np.ndarray) -> np.ndarray:
    """float32 in [0, 1]: unsigned integers over their dtype's range, bool
    as 0/1, signed integers and floats from their minimum..maximum."""
    a = np.asarray(img)
    if a.dtype == bool:
        return a.astype(np.float32)
    if a.dtype.kind == "u":
        return a.astype(np.float32) / np.float32(np.iinfo(a.dtype).max)
    a = a.astype(np.float64)
    lo, hi = np.nanmin(a), np.nanmax(a)
    if hi > lo and (lo < 0 or hi > 1):
        a = (a - lo) / (hi - lo)
    return np.nan_to_num(a).astype(np.float32)


def fit(img: np.ndarray, size: int) -> np.ndarray:
    """The centred square crop of ``img`` as float32 in [0, 1]
    (:func:`unit_float`), resized to ``size`` x ``size`` (fastimg's
    ``transform.resize``, anti-aliased when shrinking)."""
    from .._core import catalog
    h, w = img.shape[:2]
    side = min(h, w)
    r, c = (h - side) // 2, (w - side) // 2
    square = unit_float(img[r:r + side, c:c + side])
    if side == size:
        return np.ascontiguousarray(square)
    resize = catalog.function(catalog.find_row("transform.resize"))
    out = resize(square, (size, size) + img.shape[2:], anti_aliasing=size < side)
    return np.clip(out, 0, 1).astype(np.float32)


def to_file_dtype(result, path: str, eight_bit: bool):
    """(array to write, note or None) by the rule in the module docstring."""
    a = np.asarray(result)
    tiff = path.lower().endswith(TIFF_SUFFIXES)
    if a.dtype == bool:
        return a.astype(np.uint8) * np.uint8(255), None
    if a.dtype in (np.uint8, np.uint16):
        return a, None
    if a.dtype.kind in "iu":
        lo, hi = (int(a.min()), int(a.max())) if a.size else (0, 0)
        if lo >= 0 and hi <= 255:
            return a.astype(np.uint8), None
        if lo >= 0 and hi <= 65535:
            return a.astype(np.uint16), None
        if tiff:
            return a, None
        raise CliError(f"the result's values {lo}..{hi} do not fit a PNG (0..65535): "
                       f"write a .tif file")
    if a.dtype.kind != "f":
        raise CliError(f"cannot write a result of dtype {a.dtype} as an image")
    if tiff:
        return a.astype(np.float32), None
    top = 255 if eight_bit else 65535
    out_dtype = np.uint8 if eight_bit else np.uint16
    finite = np.isfinite(a)
    lo = float(a[finite].min()) if finite.any() else 0.0
    hi = float(a[finite].max()) if finite.any() else 0.0
    if lo >= 0.0 and hi <= 1.0:
        return np.round(np.nan_to_num(a) * top).astype(out_dtype), None
    scaled = np.zeros(a.shape) if hi <= lo else (np.nan_to_num(a, nan=lo, posinf=hi,
                                                               neginf=lo) - lo) / (hi - lo)
    note = (f"values {lo:.4g}..{hi:.4g} scaled to 0..{top} for {os.path.basename(path)} "
            f"(write a .tif to keep them)")
    return np.round(scaled * top).astype(out_dtype), note


def write_image(path: str, result, eight_bit: bool = True):
    """Write ``result`` to ``path`` (PNG, TIFF, or another format Pillow
    writes in 8 bits); returns the note of :func:`to_file_dtype`."""
    a, note = to_file_dtype(result, path, eight_bit)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] > 4) or 0 in a.shape:
        raise CliError(f"the result has shape {a.shape}: not an image (H, W) or "
                       f"(H, W, channels <= 4)")
    if os.path.isdir(path):
        raise CliError(f"{path}: is a folder: give a file name (out.png, out.tif)")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CliError(f"{path}: the folder {folder} does not exist")
    lower = path.lower()
    try:
        if lower.endswith(TIFF_SUFFIXES):
            try:
                import tifffile
            except ImportError:
                raise CliError(f"{path}: writing TIFF needs tifffile: {IO_HINT}") from None
            tifffile.imwrite(path, a)
        elif lower.endswith(".png"):
            write_png_array(path, a)
        else:
            try:
                from PIL import Image
            except ImportError:
                raise CliError(f"{path}: only .png and .tif files are written without "
                               f"Pillow: {IO_HINT}") from None
            if a.dtype != np.uint8:
                a = (a >> 8).astype(np.uint8)
                note = " ".join(filter(None, (note, "16-bit values kept as 8 bits (write "
                                                    "a .png or .tif to keep them)")))
            try:
                Image.fromarray(a).save(path)
            except (KeyError, ValueError) as e:
                raise CliError(f"{path}: Pillow cannot write this format ({e})") from None
    except OSError as e:
        raise CliError(f"{path}: cannot write ({e.strerror or e})") from None
    return note
