"""Jitted cores of ``find_contours``: marching squares and the joining of
its segments into contours, in one pass.

The squares are visited in scikit-image's order (rows, then columns) and
each segment is joined as soon as it is made, by scikit-image's rules
(``_assemble_contours``), so contours, their order, orientation and points
are the same:

* ``starts`` / ``ends`` map a point (exact float equality, as Python's
  tuple keys compare) to the contour starting / ending there; a later
  contour at the same point replaces the entry;
* a segment whose end starts a contour and whose start ends one joins
  them (the contour numbered first survives) or closes a contour; one
  matching side extends that contour; none opens a new contour;
* a contour is a linked list of points (``nxt``), so every join is O(1).

The maps are open-addressing hash tables of (row, col) keys (linear
probing, backward-shift deletion), sized so that they never fill (each
segment inserts at most two keys in each).

The whole state lives in two flat arrays, ``fbuf`` (float64) and ``ibuf``
(int64), laid out by :func:`fastimg._measure.contours._state` and found
through the header ``ibuf[:8]``: every array a call passes costs reference
counting on each of the ~10^5-10^6 segments (measured: 13 separate arrays
made the joining 3x slower).

* ``ibuf``: header (points used, contours opened, map row stride, point
  capacity P, contour capacity S, map capacity C, 0, 0), then ``nxt``
  (P), ``first`` / ``last`` / ``alive`` (S each), the two maps' values (C
  each: -1 empty);
* ``fbuf``: point rows and columns (P each), then the two maps' key rows
  and columns (C each: starts' rows, starts' columns, ends' rows, ends'
  columns).
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel

_EMPTY = -1
_HEAD = 8


@kernel
def _home(r, c, stride, mask):
    """A key's first slot: its pixel in raster order (``stride``: the
    image's width + 1), so the points near the scan line, the ones looked
    up, share a small, cached part of the table.  NaN and infinite keys
    (which never or rarely match) share one slot."""
    if np.isfinite(r) and np.isfinite(c):
        return (2 * (np.int64(r) * stride + np.int64(c))) & mask
    return 0


@kernel
def _slot(fbuf, ibuf, t, r, c):
    """Slot of (r, c) in map ``t`` (0 starts, 1 ends), or -1 - (the empty
    slot ending its chain)."""
    npts, nseg, cap = ibuf[3], ibuf[4], ibuf[5]
    kr = 2 * npts + 2 * t * cap
    kc = kr + cap
    vo = _HEAD + npts + 3 * nseg + t * cap
    mask = cap - 1
    i = _home(r, c, ibuf[2], mask)
    while True:
        if ibuf[vo + i] == _EMPTY:
            return -1 - i
        if fbuf[kr + i] == r and fbuf[kc + i] == c:
            return i
        i = (i + 1) & mask


@kernel
def _pop(fbuf, ibuf, t, r, c):
    """Remove (r, c) from map ``t`` and return its value (-1: absent).
    Linear probing's backward-shift deletion: the later entries of the
    chain that may move into the hole do, so no tombstone lengthens later
    searches."""
    i = _slot(fbuf, ibuf, t, r, c)
    if i < 0:
        return -1
    npts, nseg, cap = ibuf[3], ibuf[4], ibuf[5]
    kr = 2 * npts + 2 * t * cap
    kc = kr + cap
    vo = _HEAD + npts + 3 * nseg + t * cap
    mask = cap - 1
    v = ibuf[vo + i]
    j = i
    while True:
        ibuf[vo + i] = _EMPTY
        while True:
            j = (j + 1) & mask
            if ibuf[vo + j] == _EMPTY:
                return v
            k = _home(fbuf[kr + j], fbuf[kc + j], ibuf[2], mask)
            # j stays when its home lies cyclically in (i, j]
            if (i < k <= j) if i <= j else (i < k or k <= j):
                continue
            break
        fbuf[kr + i] = fbuf[kr + j]
        fbuf[kc + i] = fbuf[kc + j]
        ibuf[vo + i] = ibuf[vo + j]
        i = j


@kernel
def _put(fbuf, ibuf, t, r, c, v):
    s = _slot(fbuf, ibuf, t, r, c)
    npts, nseg, cap = ibuf[3], ibuf[4], ibuf[5]
    kr = 2 * npts + 2 * t * cap
    if s < 0:
        s = -1 - s
        fbuf[kr + s] = r
        fbuf[kr + cap + s] = c
    ibuf[_HEAD + npts + 3 * nseg + t * cap + s] = v


@kernel
def _fraction(a, b, level):
    if b == a:
        return 0.0
    return (level - a) / (b - a)


@kernel
def _segment(fbuf, ibuf, fr, fc, tr, tc):
    """Join the segment (fr, fc) -> (tr, tc) (skimage's rules, see the
    module docstring)."""
    if fr == tr and fc == tc:
        return
    npts, nseg = ibuf[3], ibuf[4]
    nx = _HEAD                   # nxt[p] = ibuf[nx + p]
    fi = _HEAD + npts            # first[k], last[k], alive[k]
    la = fi + nseg
    al = la + nseg
    pc = npts                    # point p: fbuf[p], fbuf[pc + p]
    tail = _pop(fbuf, ibuf, 0, tr, tc)
    head = _pop(fbuf, ibuf, 1, fr, fc)
    used = ibuf[0]
    if tail >= 0 and head >= 0 and tail != head:
        # head + tail, numbered as the older of the two
        ibuf[nx + ibuf[la + head]] = ibuf[fi + tail]
        if tail > head:
            ibuf[la + head] = ibuf[la + tail]
            ibuf[al + tail] = 0
            p, q = ibuf[fi + head], ibuf[la + head]
            _put(fbuf, ibuf, 0, fbuf[p], fbuf[pc + p], head)
            _put(fbuf, ibuf, 1, fbuf[q], fbuf[pc + q], head)
        else:
            p = ibuf[fi + head]
            ibuf[fi + tail] = p
            ibuf[al + head] = 0
            _pop(fbuf, ibuf, 0, fbuf[p], fbuf[pc + p])
            q = ibuf[la + tail]
            _put(fbuf, ibuf, 0, fbuf[p], fbuf[pc + p], tail)
            _put(fbuf, ibuf, 1, fbuf[q], fbuf[pc + q], tail)
    elif tail < 0 and head < 0:
        k = ibuf[1]
        fbuf[used] = fr
        fbuf[pc + used] = fc
        fbuf[used + 1] = tr
        fbuf[pc + used + 1] = tc
        ibuf[nx + used] = used + 1
        ibuf[nx + used + 1] = -1
        ibuf[fi + k] = used
        ibuf[la + k] = used + 1
        ibuf[al + k] = 1
        ibuf[0] = used + 2
        ibuf[1] = k + 1
        _put(fbuf, ibuf, 0, fr, fc, k)
        _put(fbuf, ibuf, 1, tr, tc, k)
    elif head < 0:
        fbuf[used] = fr
        fbuf[pc + used] = fc
        ibuf[nx + used] = ibuf[fi + tail]
        ibuf[fi + tail] = used
        ibuf[0] = used + 1
        _put(fbuf, ibuf, 0, fr, fc, tail)
    else:
        # appended to head; when it also starts head (tail == head) the
        # contour closes and its end is not recorded again
        fbuf[used] = tr
        fbuf[pc + used] = tc
        ibuf[nx + used] = -1
        ibuf[nx + ibuf[la + head]] = used
        ibuf[la + head] = used
        ibuf[0] = used + 1
        if tail < 0:
            _put(fbuf, ibuf, 1, tr, tc, head)


@kernel
def march(img, mask, use_mask, level, table, fbuf, ibuf, counting):
    """Marching squares over ``img`` (float64, C order) at ``level``,
    joining each segment as it is made (``counting``: only count them, a
    bound for the state arrays).  A square with a masked-out or NaN corner
    makes none; ``table[case]`` (case bits: 1 upper-left, 2 upper-right,
    4 lower-left, 8 lower-right corner above ``level``) holds the sides (0
    top, 1 bottom, 2 left, 3 right) of its segments, from and to, in order
    (-1: none); the saddle cases follow ``fully_connected``.  Returns the
    number of segments."""
    h, w = img.shape
    pr = np.empty(4)
    pc = np.empty(4)
    n = 0
    for r0 in range(h - 1):
        r1 = r0 + 1
        for c0 in range(w - 1):
            c1 = c0 + 1
            if use_mask and not (mask[r0, c0] and mask[r0, c1] and mask[r1, c0]
                                 and mask[r1, c1]):
                continue
            ul = img[r0, c0]
            ur = img[r0, c1]
            ll = img[r1, c0]
            lr = img[r1, c1]
            if np.isnan(ul) or np.isnan(ur) or np.isnan(ll) or np.isnan(lr):
                continue
            case = (ul > level) + 2 * (ur > level) + 4 * (ll > level) + 8 * (lr > level)
            if case == 0 or case == 15:
                continue
            if counting:
                n += (table[case, 0] >= 0) + (table[case, 2] >= 0)
                continue
            # the crossing points of the four sides
            pr[0], pc[0] = float(r0), c0 + _fraction(ul, ur, level)
            pr[1], pc[1] = float(r1), c0 + _fraction(ll, lr, level)
            pr[2], pc[2] = r0 + _fraction(ul, ll, level), float(c0)
            pr[3], pc[3] = r0 + _fraction(ur, lr, level), float(c1)
            for k in range(0, 4, 2):
                a = table[case, k]
                if a >= 0:
                    b = table[case, k + 1]
                    _segment(fbuf, ibuf, pr[a], pc[a], pr[b], pc[b])
                    n += 1
    return n


@kernel
def gather(fbuf, ibuf, out, offsets):
    """Write the live contours' points, in contour order, into ``out``
    ((npoints, 2)); ``offsets`` (ncontours + 1) receives their bounds.
    Returns the number of contours."""
    npts, nseg = ibuf[3], ibuf[4]
    fi = _HEAD + npts
    j = 0
    n = 0
    offsets[0] = 0
    for k in range(ibuf[1]):
        if ibuf[fi + 2 * nseg + k] == 0:
            continue
        p = ibuf[fi + k]
        while p >= 0:
            out[j, 0] = fbuf[p]
            out[j, 1] = fbuf[npts + p]
            j += 1
            p = ibuf[_HEAD + p]
        n += 1
        offsets[n] = j
    return n
