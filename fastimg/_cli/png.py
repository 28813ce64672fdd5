"""A minimal PNG writer (8-bit grayscale) so the demo needs nothing beyond NumPy."""
from __future__ import annotations

import struct
import zlib

import numpy as np


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
    a = to_uint8(img)
    if a.ndim != 2:
        raise ValueError(f"write_png takes a 2-D image, got shape {a.shape}")
    h, w = a.shape
    raw = b"".join(b"\x00" + a[i].tobytes() for i in range(h))
    data = (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw, 6))
            + _chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)
