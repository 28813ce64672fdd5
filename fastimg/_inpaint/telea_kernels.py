"""Jitted loops of Telea's fast-marching inpainting, step for step the
algorithm of OpenCV's ``cv2.inpaint(..., cv2.INPAINT_TELEA)`` (OpenCV 4.x /
5.x ``modules/photo/src/inpaint.cpp``), re-derived from its description:

* the grids carry a one-pixel frame (padded coordinates; the frame is
  known and never visited); ``flags``: 0 known, 1 band, 2 inside (to
  inpaint), 3 changed (the outward pass);
* a binary heap pops the smallest arrival time ``T`` first, the earliest
  pushed on ties (OpenCV's queue orders by ``(T, insertion count)``);
* the arrival times outside the hole (within ``radius``) are marched first
  and negated; then the hole is filled in arrival order, each pixel the
  weighted mean of the known pixels within ``radius`` (direction, distance
  and level-set weights, OpenCV's gradient term), in float32 arithmetic as
  OpenCV computes it, integer images rounded as OpenCV rounds them
  (``round(value + 0.5)``, half to even, clipped).
"""
from __future__ import annotations

import math

import numpy as np

from .._core.jit import kernel

KNOWN, BAND, INSIDE, CHANGE = 0, 1, 2, 3


@kernel
def heap_key(T, order, fbuf, ibuf):
    """One int64 ordering ``(T, order)``: for T >= 0 the bits of a float32
    sort as its value (``ibuf`` is an int32 view of the float32 ``fbuf``)."""
    fbuf[0] = T
    return (np.int64(ibuf[0]) << 32) | np.int64(order)


@kernel
def heap_push(hkey, hpos, size, key, pos):
    """Push ``key`` with payload ``pos``; returns the new size."""
    k = size
    while k > 0:
        parent = (k - 1) >> 1
        if hkey[parent] < key:
            break
        hkey[k] = hkey[parent]
        hpos[k] = hpos[parent]
        k = parent
    hkey[k] = key
    hpos[k] = pos
    return size + 1


@kernel
def heap_pop(hkey, hpos, size):
    """Remove the smallest key; returns its payload (the caller decrements
    ``size``)."""
    top = hpos[0]
    n = size - 1
    key = hkey[n]
    pos = hpos[n]
    k = 0
    while True:
        c = 2 * k + 1
        if c >= n:
            break
        if c + 1 < n and hkey[c + 1] < hkey[c]:
            c += 1
        if key < hkey[c]:
            break
        hkey[k] = hkey[c]
        hpos[k] = hpos[c]
        k = c
    hkey[k] = key
    hpos[k] = pos
    return top


@kernel
def solve(flags, t, i1, j1, i2, j2):
    """OpenCV's ``FastMarching_solve`` (double arithmetic, float result)."""
    a11 = np.float64(t[i1, j1])
    a22 = np.float64(t[i2, j2])
    m12 = min(a11, a22)
    if flags[i1, j1] != INSIDE:
        if flags[i2, j2] != INSIDE:
            if abs(a11 - a22) >= 1.0:
                sol = 1.0 + m12
            else:
                sol = (a11 + a22 + math.sqrt(2.0 - (a11 - a22) * (a11 - a22))) * 0.5
        else:
            sol = 1.0 + a11
    elif flags[i2, j2] != INSIDE:
        sol = 1.0 + a22
    else:
        sol = 1.0 + m12
    return np.float32(sol)


@kernel
def arrival(flags, t, i, j):
    """The smallest of the four one-sided solutions at ``(i, j)``."""
    a = min(solve(flags, t, i - 1, j, i, j - 1), solve(flags, t, i + 1, j, i, j - 1))
    b = min(solve(flags, t, i - 1, j, i, j + 1), solve(flags, t, i + 1, j, i, j + 1))
    return min(a, b)


@kernel
def prepare(flags, t, outer, radius, band):
    """From ``flags`` (2 inside the hole, 0 elsewhere, frame 0): mark the
    band (known pixels 4-adjacent to the hole, not the frame), set ``t``
    (0 on the band, 1e6 elsewhere), ``outer`` (2 on known pixels within
    ``radius`` (square) of the hole, neither band nor frame) and list the
    band's flat positions in raster order in ``band``.  Returns the band's
    size and the number of ``outer`` pixels."""
    rows, cols = flags.shape
    size = 0
    n_outer = 0
    for i in range(rows):
        for j in range(cols):
            t[i, j] = np.float32(1.0e6)
            outer[i, j] = 0
    for i in range(1, rows - 1):
        for j in range(1, cols - 1):
            if flags[i, j] != INSIDE and (flags[i - 1, j] == INSIDE or flags[i + 1, j] == INSIDE
                                          or flags[i, j - 1] == INSIDE
                                          or flags[i, j + 1] == INSIDE):
                flags[i, j] = BAND
                t[i, j] = np.float32(0.0)
                band[size] = i * cols + j
                size += 1
    # square dilation of the hole by radius: a running count along rows,
    # then along columns
    near = np.zeros((rows, cols), np.int32)
    for i in range(rows):
        count = 0
        for j in range(-radius, cols):
            hi = j + radius
            if hi < cols and flags[i, hi] == INSIDE:
                count += 1
            lo = j - radius - 1
            if lo >= 0 and flags[i, lo] == INSIDE:
                count -= 1
            if j >= 0:
                near[i, j] = count
    # columns: one running count per column, rows visited in order
    colcount = np.zeros(cols, np.int32)
    for i in range(-radius, rows):
        hi = i + radius
        lo = i - radius - 1
        for j in range(cols):
            if hi < rows and near[hi, j] > 0:
                colcount[j] += 1
            if lo >= 0 and near[lo, j] > 0:
                colcount[j] -= 1
        if 0 < i < rows - 1:
            for j in range(1, cols - 1):
                if colcount[j] > 0 and flags[i, j] == KNOWN:
                    outer[i, j] = INSIDE
                    n_outer += 1
    return size, n_outer


@kernel
def _neighbour(ii, jj, q):
    """The q-th 4-neighbour in OpenCV's order: up, left, down, right."""
    if q == 0:
        return ii - 1, jj
    if q == 1:
        return ii, jj - 1
    if q == 2:
        return ii + 1, jj
    return ii, jj + 1


@kernel
def _next_pixel(band, nband, hkey, hpos, size, nb):
    """The next pixel of a march: the band's (in raster order) first, then
    the heap's earliest; ``(pos, size, nb)`` after taking it, ``pos`` -1
    when both are used up."""
    if nb < nband:
        return band[nb], size, nb + 1
    if size <= 0:
        return -1, size, nb
    return heap_pop(hkey, hpos, size), size - 1, nb


@kernel
def march_outside(outer, t, band, nband, hkey, hpos, fbuf, ibuf, state, start, stop):
    """OpenCV's ``icvCalcFMM(..., negate=true)``: arrival times of the known
    pixels around the hole, from the band (negated by
    :func:`negate_changed`).  The band (time 0, raster order) is popped
    first: every pushed time is positive.  The work items are the pops:
    each call makes ``stop - start`` of them (fewer when the march ends),
    serial calls in order, so that a long march returns to Python between
    them; ``state``: (heap size, push count, band pixels popped), (0,
    nband, 0) at first."""
    rows, cols = outer.shape
    size = state[0]
    order = state[1]
    nb = state[2]
    for _ in range(start, stop):
        pos, size, nb = _next_pixel(band, nband, hkey, hpos, size, nb)
        if pos < 0:
            break
        ii = pos // cols
        jj = pos - ii * cols
        outer[ii, jj] = CHANGE
        for q in range(4):
            i, j = _neighbour(ii, jj, q)
            if i <= 0 or j <= 0 or i >= rows - 1 or j >= cols - 1:
                continue
            if outer[i, j] == INSIDE:
                dist = arrival(outer, t, i, j)
                t[i, j] = dist
                outer[i, j] = BAND
                size = heap_push(hkey, hpos, size, heap_key(dist, order, fbuf, ibuf), i * cols + j)
                order += 1
    state[0] = size
    state[1] = order
    state[2] = nb
    return 0


@kernel
def negate_changed(outer, t, start, stop):
    """After :func:`march_outside`: negate the times it set, rows
    ``[start, stop)``."""
    cols = outer.shape[1]
    for i in range(start, stop):
        for j in range(cols):
            if outer[i, j] == CHANGE:
                t[i, j] = -t[i, j]
    return 0


@kernel
def _grad_t(flags, t, i, j):
    """OpenCV's one- or two-sided differences of ``t`` at ``(i, j)``."""
    if flags[i, j + 1] != INSIDE:
        if flags[i, j - 1] != INSIDE:
            gx = np.float32(t[i, j + 1] - t[i, j - 1]) * np.float32(0.5)
        else:
            gx = np.float32(t[i, j + 1] - t[i, j])
    elif flags[i, j - 1] != INSIDE:
        gx = np.float32(t[i, j] - t[i, j - 1])
    else:
        gx = np.float32(0.0)
    if flags[i + 1, j] != INSIDE:
        if flags[i - 1, j] != INSIDE:
            gy = np.float32(t[i + 1, j] - t[i - 1, j]) * np.float32(0.5)
        else:
            gy = np.float32(t[i + 1, j] - t[i, j])
    elif flags[i - 1, j] != INSIDE:
        gy = np.float32(t[i, j] - t[i - 1, j])
    else:
        gy = np.float32(0.0)
    return gx, gy


@kernel
def _diff(a, b):
    """``a - b`` as OpenCV takes it: an int difference for integer images
    (exact in float64), then float32."""
    return np.float32(np.float64(a) - np.float64(b))


@kernel
def _store(out, r, c, ch, sat, hi):
    """OpenCV's ``round_cast``: integer images (``hi``: the dtype's
    maximum) get ``saturate(round(sat + 0.5))``, float ones ``sat``."""
    if hi > 0.0:
        v = np.rint(np.float64(sat) + 0.5)
        out[r, c, ch] = min(max(v, 0.0), hi)
    else:
        out[r, c, ch] = sat


@kernel
def _grad_i(out, ch, km, kp, lm, lp, fx1, fx0, fy1, fy0):
    """OpenCV's image gradient at a known pixel (its quirks: two-sided
    differences doubled, not halved; the first row and column read their
    neighbour's)."""
    if fx1:
        if fx0:
            gix = _diff(out[km, lp + 1, ch], out[km, lm - 1, ch]) * np.float32(2.0)
        else:
            gix = _diff(out[km, lp + 1, ch], out[km, lm, ch])
    elif fx0:
        gix = _diff(out[km, lp, ch], out[km, lm - 1, ch])
    else:
        gix = np.float32(0.0)
    if fy1:
        if fy0:
            giy = _diff(out[kp + 1, lm, ch], out[km - 1, lm, ch]) * np.float32(2.0)
        else:
            giy = _diff(out[kp + 1, lm, ch], out[km, lm, ch])
    elif fy0:
        giy = _diff(out[kp, lm, ch], out[km - 1, lm, ch])
    else:
        giy = np.float32(0.0)
    return gix, giy


@kernel
def fill(flags, t, out, hi, band, nband, offsets, dst, hkey, hpos, fbuf, ibuf, acc, state,
         start, stop):
    """OpenCV's ``icvTeleaInpaintFMM``: fill the hole of ``out`` ((H, W, C),
    the image; ``flags`` and ``t`` padded by one; ``hi`` the integer dtype's
    maximum, 0 for floats) in arrival order, the band first (time 0, raster
    order).  ``offsets`` ((n, 2) int64) are the window's offsets within the
    radius in OpenCV's visiting order, ``dst`` their distance weights;
    ``acc`` (3, C) float32 scratch.  Pops ``[start, stop)`` and ``state`` as
    in :func:`march_outside`."""
    rows, cols = flags.shape
    nch = out.shape[2]
    size = state[0]
    order = state[1]
    nb = state[2]
    for _ in range(start, stop):
        pos, size, nb = _next_pixel(band, nband, hkey, hpos, size, nb)
        if pos < 0:
            break
        ii = pos // cols
        jj = pos - ii * cols
        flags[ii, jj] = KNOWN
        for q in range(4):
            i, j = _neighbour(ii, jj, q)
            if i <= 0 or j <= 0 or i > rows - 1 or j > cols - 1:
                continue
            if flags[i, j] != INSIDE:
                continue
            dist = arrival(flags, t, i, j)
            t[i, j] = dist
            gtx, gty = _grad_t(flags, t, i, j)
            for a in range(3):
                for ch in range(nch):
                    acc[a, ch] = 0.0
            s = np.float32(1.0e-20)
            ia = np.float32(0.0)
            jx = np.float32(0.0)
            jy = np.float32(0.0)
            tij = t[i, j]
            for o in range(offsets.shape[0]):
                k = i + offsets[o, 0]
                m = j + offsets[o, 1]
                if k <= 0 or k >= rows - 1 or m <= 0 or m >= cols - 1:
                    continue
                if flags[k, m] == INSIDE:
                    continue
                # OpenCV's clamps; on a one-pixel-wide image they would
                # step outside the image (OpenCV reads past the row there)
                km = min(k - 1 + (1 if k == 1 else 0), rows - 3)
                kp = k - 1 - (1 if k == rows - 2 else 0)
                lm = min(m - 1 + (1 if m == 1 else 0), cols - 3)
                lp = m - 1 - (1 if m == cols - 2 else 0)
                ry = np.float32(i - k)
                rx = np.float32(j - m)
                lev = np.float32(1.0 / (1.0 + abs(np.float64(np.float32(t[k, m] - tij)))))
                d = rx * gtx + ry * gty
                if abs(np.float64(d)) <= 0.01:
                    d = np.float32(1.0e-6)
                w = abs(dst[o] * lev * d)
                fx1 = flags[k, m + 1] != INSIDE
                fx0 = flags[k, m - 1] != INSIDE
                fy1 = flags[k + 1, m] != INSIDE
                fy0 = flags[k - 1, m] != INSIDE
                if nch == 1:
                    # grey: the sums stay in registers
                    gix, giy = _grad_i(out, 0, km, kp, lm, lp, fx1, fx0, fy1, fy0)
                    ia += w * np.float32(out[k - 1, m - 1, 0])
                    jx -= w * (gix * rx)
                    jy -= w * (giy * ry)
                else:
                    for ch in range(nch):
                        gix, giy = _grad_i(out, ch, km, kp, lm, lp, fx1, fx0, fy1, fy0)
                        acc[0, ch] += w * np.float32(out[k - 1, m - 1, ch])
                        acc[1, ch] -= w * (gix * rx)
                        acc[2, ch] -= w * (giy * ry)
                s += w
            if nch == 1:
                acc[0, 0] = ia
                acc[1, 0] = jx
                acc[2, 0] = jy
            for ch in range(nch):
                jx = acc[1, ch]
                jy = acc[2, ch]
                norm = np.float32(math.sqrt(np.float64(jx * jx + jy * jy))) + np.float32(1e-20)
                _store(out, i - 1, j - 1, ch, acc[0, ch] / s + (jx + jy) / norm, hi)
            flags[i, j] = BAND
            size = heap_push(hkey, hpos, size, heap_key(dist, order, fbuf, ibuf), i * cols + j)
            order += 1
    state[0] = size
    state[1] = order
    state[2] = nb
    return 0
