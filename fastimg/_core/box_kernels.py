"""The kernel of a full-box minimum / maximum (grey erosion / dilation) of
a 2-D integer image in one sweep over its rows (:func:`fastimg._core.box.box_sweep`).

Per output row: the vertical extreme of the window's input rows, read in
place through a row map (no padded copy of the image), into a row buffer
whose few border cells are then filled through a column map; the
horizontal extreme of that buffer goes to the output row.  Every step
combines whole rows, so the loops vectorise.  Short windows (up to 3)
combine their rows directly; longer ones run van Herk / Gil-Werman down
the rows (a suffix extreme over each block of ``kh`` rows, kept in a
buffer, and a running prefix extreme over the next block, updated and
combined with the suffix in one pass: two passes per output row whatever
``kh``; 1.1-1.25x faster than a separate prefix buffer and combining
pass) and doubling along the row buffer (log2(kw) + 1 row operations, in
L1).  Minimum and maximum of integers are exact and independent of
order, so the result is SciPy's separable passes' bit for bit.
"""
import numpy as np

from .._core.jit import kernel


@kernel
def _ext2(dst, a, b, n, minimum):
    """``dst[:n]`` = elementwise extreme of ``a`` and ``b``."""
    if minimum:
        for i in range(n):
            dst[i] = a[i] if a[i] < b[i] else b[i]
    else:
        for i in range(n):
            dst[i] = a[i] if a[i] > b[i] else b[i]


@kernel
def _ext3(dst, a, b, c, n, minimum):
    """``dst[:n]`` = elementwise extreme of ``a``, ``b`` and ``c``."""
    if minimum:
        for i in range(n):
            t = a[i] if a[i] < b[i] else b[i]
            dst[i] = t if t < c[i] else c[i]
    else:
        for i in range(n):
            t = a[i] if a[i] > b[i] else b[i]
            dst[i] = t if t > c[i] else c[i]


@kernel
def _prefix_and_extreme(pre, a, s, dst, first, n, minimum):
    """``pre`` = the extreme of ``pre`` and ``a`` (``a`` itself when
    ``first``), then ``dst`` = the extreme of ``pre`` and ``s``: one pass."""
    if minimum:
        for i in range(n):
            p = a[i] if first or a[i] < pre[i] else pre[i]
            pre[i] = p
            dst[i] = p if p < s[i] else s[i]
    else:
        for i in range(n):
            p = a[i] if first or a[i] > pre[i] else pre[i]
            pre[i] = p
            dst[i] = p if p > s[i] else s[i]


@kernel
def _row(x, rmap, cvrow, t):
    """Padded row ``t``: an input row, or the constant row."""
    r = rmap[t]
    return cvrow if r < 0 else x[r]


@kernel
def _suffixes(suf, x, rmap, cvrow, top, kh, n, minimum):
    """``suf[j]``: the extreme of padded rows ``top + j .. top + kh - 1``
    (van Herk's suffix pass over one block of ``kh`` rows)."""
    a = _row(x, rmap, cvrow, top + kh - 1)
    for c in range(n):
        suf[kh - 1, c] = a[c]
    for j in range(kh - 2, -1, -1):
        _ext2(suf[j], _row(x, rmap, cvrow, top + j), suf[j + 1], n, minimum)


@kernel
def _horizontal(pb, wb, cmap, cval, lo, kw, minimum, dst):
    """Fill the border cells of the row buffer ``pb`` (its interior
    ``pb[lo:lo + n]`` holds the vertical extremes) through ``cmap``, then
    ``dst`` = the extreme of ``kw`` consecutive cells (``wb``: scratch)."""
    n = dst.shape[0]
    nt = n + kw - 1
    for j in range(lo):
        c = cmap[j]
        pb[j] = cval if c < 0 else pb[lo + c]
    for j in range(lo + n, nt):
        c = cmap[j]
        pb[j] = cval if c < 0 else pb[lo + c]
    if kw == 1:
        for i in range(n):
            dst[i] = pb[i]
        return
    if kw == 2:
        _ext2(dst, pb, pb[1:], n, minimum)
        return
    if kw == 3:
        _ext3(dst, pb, pb[1:], pb[2:], n, minimum)
        return
    pw = 1
    while pw * 2 <= kw:
        pw *= 2
    cur = pb
    nxt = wb
    s = 1
    while s < pw:
        nt -= s
        _ext2(nxt, cur, cur[s:], nt, minimum)
        cur, nxt = nxt, cur
        s *= 2
    _ext2(dst, cur, cur[kw - pw:], n, minimum)


@kernel
def box2d_rows(x, rmap, cmap, kh, kw, lo, cval, minimum, out, start, stop):
    """Rows ``[start, stop)`` of ``out`` (m, n): the minimum / maximum of
    ``x`` (m, n) over a kh x kw box.  Output row ``i`` reads padded rows
    ``i .. i + kh - 1`` (``rmap``: their input rows, -1 for ``cval``) and
    padded columns ``c .. c + kw - 1`` (``cmap``, the same for columns;
    ``lo`` of them before column 0).  A range of rows runs as one stream,
    so the vertical blocks cost one pass over the range."""
    n = x.shape[1]
    cvrow = np.full(n, cval, x.dtype)
    pb = np.empty(n + kw - 1, x.dtype)
    wb = np.empty(n + kw - 1, x.dtype)
    mid = pb[lo:lo + n]
    if kh <= 3:
        for i in range(start, stop):
            if kh == 1:
                a = _row(x, rmap, cvrow, i)
                for c in range(n):
                    mid[c] = a[c]
            elif kh == 2:
                _ext2(mid, _row(x, rmap, cvrow, i), _row(x, rmap, cvrow, i + 1), n, minimum)
            else:
                _ext3(mid, _row(x, rmap, cvrow, i), _row(x, rmap, cvrow, i + 1),
                      _row(x, rmap, cvrow, i + 2), n, minimum)
            _horizontal(pb, wb, cmap, cval, lo, kw, minimum, out[i])
        return
    suf = np.empty((kh, n), x.dtype)
    pre = np.empty(n, x.dtype)
    # suffix extremes of the first block of padded rows (start .. start + kh - 1:
    # all read, as output row ``start`` reads them all)
    _suffixes(suf, x, rmap, cvrow, start, kh, n, minimum)
    base = start
    while base < stop:
        nb = base + kh
        for j in range(min(kh, stop - base)):
            # rows base + j .. base + j + kh - 1: the block's suffix from j,
            # the next block's prefix up to j - 1 (kept in ``pre``)
            if j == 0:
                s0 = suf[0]
                for c in range(n):
                    mid[c] = s0[c]
            else:
                _prefix_and_extreme(pre, _row(x, rmap, cvrow, nb + j - 1), suf[j], mid,
                                    j == 1, n, minimum)
            _horizontal(pb, wb, cmap, cval, lo, kw, minimum, out[base + j])
        if nb < stop:
            # the next block is whole (output row nb reads all of it)
            _suffixes(suf, x, rmap, cvrow, nb, kh, n, minimum)
        base = nb
