"""A minimal PNG writer and reader, so the demo needs nothing beyond NumPy.

The writer takes grey, grey+alpha, RGB or RGBA images of 8 or 16 bits; it
filters each row with the cheapest of PNG's "None", "Sub" and "Up" filters
(the ones NumPy can undo without a loop over pixels).  The reader takes
non-interlaced 8/16-bit PNGs of those colour types; it undoes "Sub" and
"Up" with NumPy and "Average" and "Paeth" with a per-pixel loop (slow, but
right), so the built-in photograph (written by :func:`write_png_array`)
loads in milliseconds and other simple PNGs load at all.  Palette and
interlaced PNGs need Pillow.
"""
from __future__ import annotations

import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG colour type -> channels (0 grey, 2 RGB, 4 grey+alpha, 6 RGBA)
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def _chunk(tag: bytes, data: bytes) -> bytes:
    body = tag + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def to_uint8(img: np.ndarray) -> np.ndarray:
    """Scale any real image linearly to 0..255 for display (NaN -> 0)."""
    a = np.asarray(img, dtype=np.float64)
    a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
    lo, hi = float(a.min()), float(a.max())
    if hi <= lo:
        return np.zeros(a.shape, np.uint8)
    return np.round((a - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def write_png(path, img: np.ndarray) -> None:
    """Write a 2-D array as an 8-bit grayscale PNG (values scaled to 0..255)."""
    a = np.asarray(img)
    if a.ndim != 2:
        raise ValueError(f"write_png takes a 2-D image, got shape {a.shape}")
    write_png_array(path, to_uint8(a))


def write_png_array(path, a: np.ndarray) -> None:
    """Write a uint8 or uint16 image as it is: (H, W) grey, or (H, W, C)
    with C = 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA)."""
    a = np.asarray(a)
    if a.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"write_png_array takes uint8 or uint16, got {a.dtype}")
    if a.ndim == 2:
        a = a[:, :, None]
    if a.ndim != 3 or a.shape[2] not in (1, 2, 3, 4) or 0 in a.shape:
        raise ValueError(f"cannot write an image of shape {a.shape} as PNG")
    h, w, c = a.shape
    colour = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    bpp = c * a.itemsize  # bytes per pixel: "Sub" subtracts the pixel to the left
    raw = np.ascontiguousarray(a.astype(a.dtype.newbyteorder(">"))).view(np.uint8)
    raw = raw.reshape(h, w * bpp)
    rows = []
    prev = np.zeros(w * bpp, np.uint8)
    for row in raw:
        sub = row.copy()
        sub[bpp:] -= row[:-bpp]
        up = row - prev
        # the usual heuristic: the filter whose bytes, read as signed, sum smallest
        best = min(((0, row), (1, sub), (2, up)),
                   key=lambda kv: int(np.abs(kv[1].view(np.int8).astype(np.int32)).sum()))
        rows.append(bytes([best[0]]) + best[1].tobytes())
        prev = row
    data = (_SIGNATURE
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8 * a.itemsize, colour, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + _chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def _unfilter_slow(kind, row, prev, bpp):
    """Undo the "Average" (3) or "Paeth" (4) filter of one row, in place."""
    for i in range(len(row)):
        left = int(row[i - bpp]) if i >= bpp else 0
        up = int(prev[i])
        if kind == 3:
            row[i] = (int(row[i]) + (left + up) // 2) & 0xFF
        else:
            upleft = int(prev[i - bpp]) if i >= bpp else 0
            p = left + up - upleft
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
            pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
            row[i] = (int(row[i]) + pred) & 0xFF


def read_png(path) -> np.ndarray:
    """Read a non-interlaced 8/16-bit grey, grey+alpha, RGB or RGBA PNG:
    (H, W) for grey, else (H, W, C); uint8 or uint16.

    Raises ValueError for a file that is not such a PNG.
    """
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG file")
    pos, header, idat = len(_SIGNATURE), None, []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        tag, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if tag == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif tag == b"IDAT":
            idat.append(body)
        elif tag == b"IEND":
            break
    if header is None or not idat:
        raise ValueError("a damaged PNG file (no header or no image data)")
    w, h, depth, colour, _, _, interlace = header
    if colour not in _CHANNELS or depth not in (8, 16) or interlace:
        raise ValueError(f"a PNG of colour type {colour}, {depth} bits, interlace "
                         f"{interlace}: this reader takes 8/16-bit grey or RGB(A), not "
                         f"interlaced (install Pillow for the others)")
    c = _CHANNELS[colour]
    bpp = c * depth // 8
    try:
        raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8)
        raw = raw.reshape(h, 1 + w * bpp)
    except (zlib.error, ValueError):
        raise ValueError("a damaged PNG file (its image data does not decode)") from None
    out = np.empty((h, w * bpp), np.uint8)
    prev = np.zeros(w * bpp, np.uint8)
    for i in range(h):
        kind, row = raw[i, 0], raw[i, 1:].copy()
        if kind == 1:  # Sub: a running sum per byte of the pixel, mod 256
            row = np.cumsum(row.reshape(w, bpp), axis=0, dtype=np.uint8).ravel()
        elif kind == 2:
            row += prev
        elif kind in (3, 4):
            _unfilter_slow(kind, row, prev, bpp)
        elif kind != 0:
            raise ValueError(f"a damaged PNG file (row filter {kind})")
        out[i] = prev = row
    dtype = np.dtype(">u2") if depth == 16 else np.dtype(np.uint8)
    img = out.view(dtype).reshape(h, w, c).astype(dtype.newbyteorder("="))
    return img[:, :, 0] if c == 1 else img
