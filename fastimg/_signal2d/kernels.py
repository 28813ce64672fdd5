"""Jitted cores of the signal2d family: ``scipy.signal.convolve2d`` /
``correlate2d`` sums in the result type, in sigtools' order.

A range core over output rows (``[start, stop)``), split into blocks by
``fastimg._core.dispatch.run``; extended lines come from
``fastimg._core.pass_kernels.fill_line``.
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel
from .._core.pass_kernels import fill_line


# ------------------------------------------- scipy.signal 2-D (result type)
@kernel
def corr2d_signal(x, w, flip, rmap, cmap, clo, fill, out, start, stop):
    """out[i, j] = sum_{a,b} w[a, b] * ext(x)[i + a, j + b] in the output's type.

    ``ext(x)`` is x extended through the index maps (``fill`` where -1); its
    rows live in a ring of ``kh`` lines.  The terms are added in sigtools'
    order: kernel rows in the anchor's kernel order (reversed when ``flip``,
    i.e. for convolve2d), within a row the products summed in groups of four
    ``((p0 + p1) + p2) + p3`` added to the total, then the remaining products
    one by one.  Integer results wrap.
    """
    kh = w.shape[0]
    kw = w.shape[1]
    nc = out.shape[1]
    ring = np.empty((kh, cmap.shape[0]), out.dtype)
    prev = -2
    for i in range(start, stop):
        a0 = kh - 1 if i == prev + 1 else 0
        prev = i
        for a in range(a0, kh):
            s = rmap[i + a]
            slot = (i + a) % kh
            if s >= 0:
                fill_line(x[s], cmap, clo, fill, ring[slot])
            else:
                for m in range(ring.shape[1]):
                    ring[slot, m] = fill
        orow = out[i]
        for j in range(nc):
            orow[j] = 0
        for aa in range(kh):
            a = kh - 1 - aa if flip else aa
            row = ring[(i + a) % kh]
            bb = 0
            while bb + 4 <= kw:
                if flip:
                    b0, b1, b2, b3 = kw - 1 - bb, kw - 2 - bb, kw - 3 - bb, kw - 4 - bb
                else:
                    b0, b1, b2, b3 = bb, bb + 1, bb + 2, bb + 3
                w0, w1, w2, w3 = w[a, b0], w[a, b1], w[a, b2], w[a, b3]
                x0 = row[b0:b0 + nc]
                x1 = row[b1:b1 + nc]
                x2 = row[b2:b2 + nc]
                x3 = row[b3:b3 + nc]
                for j in range(nc):
                    orow[j] += ((w0 * x0[j] + w1 * x1[j]) + w2 * x2[j]) + w3 * x3[j]
                bb += 4
            while bb < kw:
                b = kw - 1 - bb if flip else bb
                wab = w[a, b]
                xr = row[b:b + nc]
                for j in range(nc):
                    orow[j] += wab * xr[j]
                bb += 1

