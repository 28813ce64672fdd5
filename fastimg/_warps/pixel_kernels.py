"""Jitted loops of ``pixelate``: OpenCV's INTER_AREA and INTER_LINEAR
shrinks and the nearest-neighbour blow-up (``pixelation.py`` holds the
pixel-centre rules that choose their taps and weights)."""
from __future__ import annotations

import numpy as np

from .._core.cast import as_type_of
from .._core.jit import kernel


@kernel
def area_rows(img, rw, cw, r0, c0, nr, nc, small, start, stop):
    """Area means (``cv2.INTER_AREA``) of ``img`` (rows, cols, channels)
    into ``small`` (float64) for small rows [start, stop): small cell (i, j)
    weighs input rows ``r0[i] .. r0[i] + nr[i] - 1`` by ``rw`` (flat, from
    offset ``i * kmax``) and columns likewise."""
    kr = rw.shape[0] // small.shape[0]
    kc = cw.shape[0] // small.shape[1]
    for i in range(start, stop):
        for j in range(small.shape[1]):
            for k in range(small.shape[2]):
                total = 0.0
                for a in range(nr[i]):
                    row = 0.0
                    for b in range(nc[j]):
                        row += cw[j * kc + b] * np.float64(img[r0[i] + a, c0[j] + b, k])
                    total += rw[i * kr + a] * row
                small[i, j, k] = total


@kernel
def linear_small_rows(img, sxs, axs, sys_, ays, fixed, small, start, stop):
    """``cv2.resize`` INTER_LINEAR of ``img`` (rows, cols, channels) into
    ``small`` for small rows [start, stop): taps ``sxs[j], sxs[j] + 1``
    (clamped) weighed ``axs[2j], axs[2j+1]``, rows likewise.  ``fixed``:
    OpenCV's 8-bit fixed point (weights scaled by 2048, products rounded
    by ``+ 2**21 >> 22``); else float arithmetic in the type of ``small``
    (the image's float type, float32 for uint16)."""
    cols = img.shape[1]
    rows = img.shape[0]
    for i in range(start, stop):
        y0 = sys_[i]
        y1 = min(y0 + 1, rows - 1)
        for j in range(small.shape[1]):
            x0 = sxs[j]
            x1 = min(x0 + 1, cols - 1)
            for k in range(small.shape[2]):
                if fixed:
                    h0 = (np.int64(img[y0, x0, k]) * np.int64(axs[2 * j])
                          + np.int64(img[y0, x1, k]) * np.int64(axs[2 * j + 1]))
                    h1 = (np.int64(img[y1, x0, k]) * np.int64(axs[2 * j])
                          + np.int64(img[y1, x1, k]) * np.int64(axs[2 * j + 1]))
                    v = (h0 * np.int64(ays[2 * i]) + h1 * np.int64(ays[2 * i + 1])
                         + (1 << 21)) >> 22
                    small[i, j, k] = as_type_of(v, small[i, j, k])
                else:
                    a0 = as_type_of(axs[2 * j], small[i, j, k])
                    a1 = as_type_of(axs[2 * j + 1], a0)
                    h0 = (as_type_of(img[y0, x0, k], a0) * a0
                          + as_type_of(img[y0, x1, k], a0) * a1)
                    h1 = (as_type_of(img[y1, x0, k], a0) * a0
                          + as_type_of(img[y1, x1, k], a0) * a1)
                    small[i, j, k] = (h0 * as_type_of(ays[2 * i], a0)
                                      + h1 * as_type_of(ays[2 * i + 1], a0))


@kernel
def expand_rows(small, ymap, xmap, out, start, stop):
    """The nearest-neighbour blow-up: ``out[y, x] = small[ymap[y], xmap[x]]``
    for output rows [start, stop): a row is built once per small row, the
    rows after it that read the same small row are copies of it."""
    flat = out.reshape(out.shape[0], out.shape[1] * out.shape[2])
    for y in range(start, stop):
        sy = ymap[y]
        if y > start and ymap[y - 1] == sy:
            for x in range(flat.shape[1]):
                flat[y, x] = flat[y - 1, x]
            continue
        for x in range(out.shape[1]):
            sx = xmap[x]
            for k in range(out.shape[2]):
                out[y, x, k] = small[sy, sx, k]


@kernel
def block_sum_rows(img, br, bc, small, start, stop):
    """Sums of the ``br x bc`` blocks of ``img`` (rows, cols * channels,
    flattened per row) into ``small`` (rows, cols, channels; float64, exact
    for integer images) for small rows [start, stop): each band of ``br``
    rows is first added column by column (contiguous, vectorised), then
    the columns of each block."""
    nk = small.shape[2]
    width = img.shape[1]
    acc = np.empty(width, np.float64)
    for i in range(start, stop):
        acc[:] = 0.0
        for r in range(i * br, (i + 1) * br):
            for x in range(width):
                acc[x] += np.float64(img[r, x])
        for j in range(small.shape[1]):
            for k in range(nk):
                total = 0.0
                for p in range(j * bc, (j + 1) * bc):
                    total += acc[p * nk + k]
                small[i, j, k] = total
