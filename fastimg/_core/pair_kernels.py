"""Two 1-D correlation passes over the last two axes in one sweep.

``scipy.ndimage`` filters made of two passes (``sobel`` and ``prewitt`` of
a 2-D image; ``gaussian_filter`` too, but it stays on the chain: its double
arithmetic bounds it, not memory) run the first pass over the whole image,
store it in the output, then run the second pass over that.  These kernels do the same
arithmetic row by row: the first pass of the rows the second needs is kept
in a small ring (each row computed once per block of output rows), so the
image is read once and the output written once instead of twice each.

Per output row, in SciPy's order and types:

* ``pair_vh`` (first along axis -2, then axis -1: ``sobel(x, 0)``): the column pass of row
  ``i`` from a ring of converted input rows (``_ring_sum1d``), stored in the
  output dtype as SciPy stores its first pass, then the row pass of that
  row (``fill_line`` with the second pass's border rule, ``_corr1d_sum``);
* ``pair_hv`` (first along axis -1, then axis -2): the row pass of each
  input row entering the ring, stored in the output dtype, kept converted
  to double; then the column pass over the ring.

Items are (plane, row) pairs of the (planes, rows, columns) view, as in
``pass_kernels.corr1d_mid``.
"""
from __future__ import annotations

import numpy as np

from .jit import kernel
from .pass_kernels import _corr1d_sum, _ring_sum1d, fill_line, ring_rows, store_line


@kernel
def pair_vh(x, fv, symv, rmap, cval1, fh, symh, cmap, loh, cval2, out, start, stop):
    """Rows [start, stop) of the (plane, row) items: pass 1 along axis 1 of
    3-D ``x`` (weights ``fv``, extended-row map ``rmap``), pass 2 along
    axis 2 (``fh``, ``cmap`` with ``loh`` cells before the row)."""
    n = x.shape[1]
    nb = x.shape[2]
    kv = fv.shape[0]
    ring = np.empty((kv, nb), np.float64)
    acc = np.empty(nb, np.float64)
    buf = np.empty(cmap.shape[0], np.float64)
    mid = np.empty(nb, out.dtype)     # pass 1 as SciPy stores it
    prev_a = -1
    prev_i = -2
    for item in range(start, stop):
        a = item // n
        i = item % n
        if a == prev_a and i == prev_i + 1:
            ring_rows(x, a, rmap, i + kv - 1, i + kv, cval1, ring)
        else:
            ring_rows(x, a, rmap, i, i + kv, cval1, ring)
        prev_a = a
        prev_i = i
        _ring_sum1d(ring, fv, symv, i, acc)
        store_line(acc, mid)
        fill_line(mid, cmap, loh, cval2, buf)
        _corr1d_sum(buf, fh, symh, acc)
        store_line(acc, out[a, i])


@kernel
def pair_hv(x, fh, symh, cmap, loh, cval1, fv, symv, rmap, cval2, out, start, stop):
    """Rows [start, stop) of the (plane, row) items: pass 1 along axis 2 of
    3-D ``x`` (``fh``, ``cmap``, ``loh``), pass 2 along axis 1 (``fv``,
    extended-row map ``rmap``) over a ring of pass-1 rows."""
    n = x.shape[1]
    nb = x.shape[2]
    kv = fv.shape[0]
    ring = np.empty((kv, nb), np.float64)
    acc = np.empty(nb, np.float64)
    buf = np.empty(cmap.shape[0], np.float64)
    mid = np.empty(nb, out.dtype)     # pass 1 as SciPy stores it
    prev_a = -1
    prev_i = -2
    for item in range(start, stop):
        a = item // n
        i = item % n
        m0 = i + kv - 1 if a == prev_a and i == prev_i + 1 else i
        prev_a = a
        prev_i = i
        for m in range(m0, i + kv):
            s = rmap[m]
            slot = ring[m % kv]
            if s >= 0:
                fill_line(x[a, s], cmap, loh, cval1, buf)
                _corr1d_sum(buf, fh, symh, acc)
                store_line(acc, mid)
                for b in range(nb):
                    slot[b] = mid[b]
            else:
                for b in range(nb):
                    slot[b] = cval2
        _ring_sum1d(ring, fv, symv, i, acc)
        store_line(acc, out[a, i])
