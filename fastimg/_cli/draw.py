"""Drawing what a function found over the photograph (NumPy only): lines,
polylines, circles, ellipses and boxes in colour on an RGB copy."""
from __future__ import annotations

import numpy as np

RED = (1.0, 0.15, 0.1)
GREEN = (0.1, 0.95, 0.2)
CYAN = (0.1, 0.9, 1.0)
YELLOW = (1.0, 0.9, 0.1)


def canvas(grey: np.ndarray) -> np.ndarray:
    """An RGB float copy of a grey image in [0, 1], dimmed so colour shows."""
    return np.repeat(0.75 * np.clip(grey, 0, 1)[..., None], 3, axis=2)


def points(img: np.ndarray, rows, cols, colour, width: int = 1) -> np.ndarray:
    """Paint the points (rows, cols) that fall inside ``img``, ``width``
    pixels wide; returns ``img``."""
    rows = np.round(np.asarray(rows, np.float64)).astype(np.int64)
    cols = np.round(np.asarray(cols, np.float64)).astype(np.int64)
    h, w = img.shape[:2]
    for dr in range(-(width // 2), width - width // 2):
        for dc in range(-(width // 2), width - width // 2):
            r, c = rows + dr, cols + dc
            inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
            img[r[inside], c[inside]] = colour
    return img


def segment(img, r0, c0, r1, c1, colour, width=1):
    """A straight segment from (r0, c0) to (r1, c1)."""
    n = int(max(abs(r1 - r0), abs(c1 - c0))) * 2 + 2
    return points(img, np.linspace(r0, r1, n), np.linspace(c0, c1, n), colour, width)


def hough_line(img, angle, dist, colour, width=1):
    """The whole line ``x cos(angle) + y sin(angle) = dist`` (x the column,
    y the row: scikit-image's convention) across the image."""
    h, w = img.shape[:2]
    reach = float(np.hypot(h, w))
    x0, y0 = dist * np.cos(angle), dist * np.sin(angle)
    t = np.linspace(-reach, reach, int(4 * reach))
    return points(img, y0 + t * np.cos(angle), x0 - t * np.sin(angle), colour, width)


def polyline(img, rc, colour, width=1):
    """A polyline through the (row, col) points ``rc``."""
    for (r0, c0), (r1, c1) in zip(rc[:-1], rc[1:]):
        segment(img, r0, c0, r1, c1, colour, width)
    return img


def ellipse(img, rc, cc, a, b, orientation, colour, width=1):
    """An ellipse centred at (rc, cc) with semi-axes ``a`` and ``b``, ``a``
    turned ``orientation`` radians from the row axis."""
    t = np.linspace(0, 2 * np.pi, int(8 * max(a, b, 1)) + 16)
    ca, sa = np.cos(orientation), np.sin(orientation)
    u, v = a * np.cos(t), b * np.sin(t)
    return points(img, rc + u * ca - v * sa, cc + u * sa + v * ca, colour, width)


def box(img, r0, c0, h, w, colour, width=2):
    """The outline of the ``h`` x ``w`` rectangle at (r0, c0)."""
    r1, c1 = r0 + h - 1, c0 + w - 1
    for a, b, c, d in ((r0, c0, r0, c1), (r1, c0, r1, c1), (r0, c0, r1, c0), (r0, c1, r1, c1)):
        segment(img, a, b, c, d, colour, width)
    return img


def label_colours(labels: np.ndarray) -> np.ndarray:
    """An RGB picture of a label image: background black, each label a
    colour of a fixed pseudo-random palette."""
    rng = np.random.default_rng(7)
    n = int(labels.max()) + 1 if labels.size else 1
    palette = 0.25 + 0.75 * rng.random((max(n, 1), 3))
    palette[0] = 0.0
    return palette[labels]
