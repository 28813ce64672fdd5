"""Jitted cores of the labels family: connected-component labelling and
the bounding boxes of labelled objects.

Labelling is a two-pass union-find over a C-ordered image:

* pass 1 visits the pixels in scan order and looks only at the neighbours
  before the pixel (the first half of a symmetric structure, in raveled
  order).  A pixel none of whose earlier neighbours is foreground opens a
  provisional label; a pixel joining two labels unions them, the smaller
  label staying the root.  Because every root is the smallest provisional
  label of its set, roots appear in the order of the first pixel of their
  component in scan order;
* pass 2 numbers the roots 1, 2, ... in increasing order (SciPy's final
  numbering: components ordered by their first pixel in scan order) and
  rewrites every pixel.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def _find(parent, a):
    # path halving: every visited node then points two steps closer
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


@kernel
def label_scan(fg, shape, deltas, flat_off, lab, parent, state, start, stop):
    """Pass 1 over the flat C-ordered values ``fg`` of ``shape`` (0:
    background; neighbours join when their values are equal: a 0/1 mask for
    ndimage, any integers for scikit-image's labelling).

    ``deltas[k]`` is the coordinate step to the k-th earlier neighbour and
    ``flat_off[k]`` its flat offset; ``lab`` receives provisional labels
    (0: background), ``parent`` the union-find forest (size >= n + 1).
    Cells ``[start, stop)``; successive serial calls over consecutive ranges
    equal one pass (``state[0]``: the next provisional label, 1 at first).
    """
    nd = shape.shape[0]
    nk = flat_off.shape[0]
    coord = np.zeros(nd, np.int64)
    rest = start
    for d in range(nd - 1, -1, -1):
        coord[d] = rest % shape[d]
        rest //= shape[d]
    nxt = state[0]
    for p in range(start, stop):
        if fg[p] != 0:
            cur = 0
            for k in range(nk):
                inside = True
                for d in range(nd):
                    c = coord[d] + deltas[k, d]
                    if c < 0 or c >= shape[d]:
                        inside = False
                        break
                if not inside:
                    continue
                q = p + flat_off[k]
                nb = lab[q]
                if nb == 0 or fg[q] != fg[p]:
                    continue
                r = _find(parent, nb)
                if cur == 0:
                    cur = r
                elif r != cur:
                    if r < cur:
                        parent[cur] = r
                        cur = r
                    else:
                        parent[r] = cur
            if cur == 0:
                cur = nxt
                parent[nxt] = nxt
                nxt += 1
            lab[p] = cur
        else:
            lab[p] = 0
        d = nd - 1
        while d >= 0:
            coord[d] += 1
            if coord[d] < shape[d]:
                break
            coord[d] = 0
            d -= 1
    state[0] = nxt
    return 0


@kernel
def label_scan_2d(fg, ul, u, ur, left, lab, parent, state, start, stop):
    """Pass 1 for 2-D values (``fg`` (H, W), ``lab`` (H, W)): the
    flags say which earlier neighbours the structure connects (up-left, up,
    up-right, left).  Same rule as :func:`label_scan`, without coordinate
    bookkeeping.  Rows ``[start, stop)``, ``state`` as in
    :func:`label_scan`."""
    h, w = fg.shape
    nxt = state[0]
    for r in range(start, stop):
        for c in range(w):
            if fg[r, c] == 0:
                lab[r, c] = 0
                continue
            cur = 0
            v = fg[r, c]
            for k in range(4):
                nb = 0
                if k == 0:
                    if left and c > 0 and fg[r, c - 1] == v:
                        nb = lab[r, c - 1]
                elif r > 0:
                    if k == 1:
                        if u and fg[r - 1, c] == v:
                            nb = lab[r - 1, c]
                    elif k == 2:
                        if ul and c > 0 and fg[r - 1, c - 1] == v:
                            nb = lab[r - 1, c - 1]
                    elif ur and c + 1 < w and fg[r - 1, c + 1] == v:
                        nb = lab[r - 1, c + 1]
                if nb == 0 or nb == cur:
                    continue
                # root of nb, halving the path on the way
                a = nb
                while parent[a] != a:
                    parent[a] = parent[parent[a]]
                    a = parent[a]
                if cur == 0:
                    cur = a
                elif a != cur:
                    if a < cur:
                        parent[cur] = a
                        cur = a
                    else:
                        parent[a] = cur
            if cur == 0:
                cur = nxt
                parent[nxt] = nxt
                nxt += 1
            lab[r, c] = cur
    state[0] = nxt
    return 0


@kernel
def _union(parent, a, b):
    """Join the sets of provisional labels ``a`` and ``b``; the smaller
    root stays the root (SciPy's numbering needs it).  Returns it."""
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    while parent[b] != b:
        parent[b] = parent[parent[b]]
        b = parent[b]
    if a < b:
        parent[b] = a
        return a
    parent[a] = b
    return b


@kernel
def label_scan_2d_4(fg, lab, parent, state, start, stop):
    """:func:`label_scan_2d` for connectivity 1 (up and left).  A pixel
    whose left and upper neighbours both belong to it needs no union when
    the upper-left one does too: they are joined through it already."""
    h, w = fg.shape
    nxt = state[0]
    for r in range(start, stop):
        for c in range(w):
            v = fg[r, c]
            if v == 0:
                lab[r, c] = 0
                continue
            up = r > 0 and fg[r - 1, c] == v
            if c > 0 and fg[r, c - 1] == v:
                cur = lab[r, c - 1]
                if up and fg[r - 1, c - 1] != v:
                    cur = _union(parent, cur, lab[r - 1, c])
            elif up:
                cur = lab[r - 1, c]
            else:
                cur = nxt
                parent[nxt] = nxt
                nxt += 1
            lab[r, c] = cur
    state[0] = nxt
    return 0


@kernel
def label_scan_2d_8(fg, lab, parent, state, start, stop):
    """:func:`label_scan_2d` for the full 3x3 structure: the upper
    neighbour is joined to every other earlier neighbour already; the
    upper-right one needs a union only with the upper-left or left one."""
    h, w = fg.shape
    nxt = state[0]
    for r in range(start, stop):
        for c in range(w):
            v = fg[r, c]
            if v == 0:
                lab[r, c] = 0
                continue
            if r > 0 and fg[r - 1, c] == v:
                cur = lab[r - 1, c]
            elif r > 0 and c + 1 < w and fg[r - 1, c + 1] == v:
                cur = lab[r - 1, c + 1]
                if c > 0 and fg[r - 1, c - 1] == v:
                    cur = _union(parent, cur, lab[r - 1, c - 1])
                elif c > 0 and fg[r, c - 1] == v:
                    cur = _union(parent, cur, lab[r, c - 1])
            elif r > 0 and c > 0 and fg[r - 1, c - 1] == v:
                cur = lab[r - 1, c - 1]
            elif c > 0 and fg[r, c - 1] == v:
                cur = lab[r, c - 1]
            else:
                cur = nxt
                parent[nxt] = nxt
                nxt += 1
            lab[r, c] = cur
    state[0] = nxt
    return 0


@kernel
def label_numbering(parent, final, state, start, stop):
    """Pass 2a: number the roots among provisional labels ``start + 1 ..
    stop`` in increasing order into ``final`` (serial calls in order;
    ``state[0]``: roots numbered so far, ends as the component count)."""
    count = state[0]
    for v in range(start + 1, stop + 1):
        r = _find(parent, v)
        if r == v:
            count += 1
            final[v] = count
        else:
            # r < v: already numbered
            final[v] = final[r]
    state[0] = count
    return 0


@kernel
def label_rewrite(lab, final, start, stop):
    """Pass 2b: the final labels of cells ``[start, stop)``."""
    for p in range(start, stop):
        lab[p] = final[lab[p]]
    return 0


@kernel
def object_boxes(idx, shape, regions):
    """Bounding boxes: ``regions[l] = (start_0.., stop_0..)`` of the pixels
    whose ``idx`` (label - 1, already truncated as SciPy's C cast does) is
    ``l``; -1 where a label has no pixel.  ``idx`` is flat C order."""
    nd = shape.shape[0]
    nlab = regions.shape[0]
    coord = np.zeros(nd, np.int64)
    for p in range(idx.shape[0]):
        s = idx[p]
        if s >= 0 and s < nlab:
            if regions[s, 0] < 0:
                for d in range(nd):
                    regions[s, d] = coord[d]
                    regions[s, d + nd] = coord[d] + 1
            else:
                for d in range(nd):
                    c = coord[d]
                    if c < regions[s, d]:
                        regions[s, d] = c
                    if c + 1 > regions[s, d + nd]:
                        regions[s, d + nd] = c + 1
        d = nd - 1
        while d >= 0:
            coord[d] += 1
            if coord[d] < shape[d]:
                break
            coord[d] = 0
            d -= 1
