"""The kernel of :mod:`fastimg._core.doubling`: minimum / maximum of k
consecutive values along one axis by doubling (windows of 1, 2, 4, ...
cells, then two overlapping windows of the largest power of two not above
k: exact, as min and max are idempotent), about log2(k) + 1 comparisons per
value where a cell-by-cell loop makes k - 1."""
import numpy as np

from .._core.jit import kernel


@kernel
def doubling_lines(P, k, minimum, block, out, start, stop):
    """Minimum or maximum of ``k`` consecutive values along the middle axis
    of ``P`` (pre, m + k - 1, post), padded, into ``out`` (pre, m, post).
    Work item: one ``pre`` index and one block of ``block`` output lines.
    With ``post`` > 1 each step combines whole lines of ``post`` values,
    otherwise whole runs along the axis: both loops are contiguous and
    vectorise."""
    m = out.shape[1]
    post = P.shape[2]
    nb = (m + block - 1) // block
    pw = 1
    while pw * 2 <= k:
        pw *= 2
    size = block + k - 1
    A = np.empty((size, post), P.dtype)
    B = np.empty((size, post), P.dtype)
    for item in range(start, stop):
        p = item // nb
        i0 = (item - p * nb) * block
        nout = min(block, m - i0)
        n = nout + k - 1
        # the lines as one flat run, copied by index: Numba's slice
        # assignment steps a generic element loop that never vectorises
        # (grey_dilation, size 15, of a 4096x4096 uint8 image took 1.9x as
        # long with it)
        src = P[p].reshape(-1)[i0 * post:(i0 + n) * post]
        dst = A.reshape(-1)[:n * post]
        for j in range(n * post):
            dst[j] = src[j]
        cur = A
        nxt = B
        s = 1
        while s < pw:
            n -= s
            if post == 1:
                c1 = cur.reshape(-1)
                n1 = nxt.reshape(-1)
                lo = c1[:n]
                hi = c1[s:s + n]
                dst = n1[:n]
                if minimum:
                    for i in range(n):
                        dst[i] = lo[i] if lo[i] < hi[i] else hi[i]
                else:
                    for i in range(n):
                        dst[i] = lo[i] if lo[i] > hi[i] else hi[i]
            else:
                for i in range(n):
                    lo = cur[i]
                    hi = cur[i + s]
                    dst = nxt[i]
                    if minimum:
                        for q in range(post):
                            dst[q] = lo[q] if lo[q] < hi[q] else hi[q]
                    else:
                        for q in range(post):
                            dst[q] = lo[q] if lo[q] > hi[q] else hi[q]
            cur, nxt = nxt, cur
            s *= 2
        d = k - pw
        if post == 1:
            c1 = cur.reshape(-1)
            lo = c1[:nout]
            hi = c1[d:d + nout]
            dst = out[p].reshape(-1)[i0:i0 + nout]
            if minimum:
                for i in range(nout):
                    dst[i] = lo[i] if lo[i] < hi[i] else hi[i]
            else:
                for i in range(nout):
                    dst[i] = lo[i] if lo[i] > hi[i] else hi[i]
            continue
        for i in range(nout):
            lo = cur[i]
            hi = cur[i + d]
            dst = out[p, i0 + i]
            if minimum:
                for q in range(post):
                    dst[q] = lo[q] if lo[q] < hi[q] else hi[q]
            else:
                for q in range(post):
                    dst[q] = lo[q] if lo[q] > hi[q] else hi[q]
