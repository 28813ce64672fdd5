"""Connected components of a binary image as runs along its last axis:
the small-object removal of :mod:`.sk_misc` (a union-find over runs, not
pixels: a thresholded photograph has 10-50 pixels per run)."""
import numpy as np

from .._core.jit import kernel


@kernel
def _root(parent, i):
    """Root of run ``i`` (path halving)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@kernel
def count_runs(x, nper, start, stop):
    """``nper[r]``: the runs of non-0 bytes in row ``r`` of ``x`` (rows,
    ncols), rows ``[start, stop)``."""
    ncols = x.shape[1]
    for r in range(start, stop):
        n = 0
        prev = False
        for c in range(ncols):
            v = x[r, c] != 0
            if v and not prev:
                n += 1
            prev = v
        nper[r] = n
    return 0


@kernel
def list_runs(x, first, ra, rb, start, stop):
    """The runs of rows ``[start, stop)``: run ``first[r] + i`` of row r
    covers columns ``[ra, rb)``."""
    ncols = x.shape[1]
    for r in range(start, stop):
        n = first[r]
        c = 0
        while c < ncols:
            if x[r, c] != 0:
                ra[n] = c
                while c < ncols and x[r, c] != 0:
                    c += 1
                rb[n] = c
                n += 1
            else:
                c += 1
    return 0


@kernel
def join_runs(lead_shape, nbr, smin, smax, first, ra, rb, parent, start, stop):
    """Union-find of the runs of rows ``[start, stop)`` with the runs they
    touch (successive serial calls over the rows in order equal one pass).
    Cells next to each other along a row are connected; row ``r`` connects
    to the row ``nbr[k]`` away in the leading axes (``lead_shape``, the
    earlier rows of the structure) where a cell at column c meets one at a
    column in ``[c + smin[k], c + smax[k]]``."""
    nl = lead_shape.shape[0]
    coord = np.zeros(nl, np.int64)
    for r in range(start, stop):
        rem = r
        for d in range(nl - 1, -1, -1):
            coord[d] = rem % lead_shape[d]
            rem //= lead_shape[d]
        for k in range(nbr.shape[0]):
            r2 = 0
            inside = True
            for d in range(nl):
                q = coord[d] + nbr[k, d]
                if q < 0 or q >= lead_shape[d]:
                    inside = False
                r2 = r2 * lead_shape[d] + q
            if not inside:
                continue
            # the runs of both rows in column order: every overlapping pair
            i = first[r]
            j = first[r2]
            while i < first[r + 1] and j < first[r2 + 1]:
                a = ra[i] + smin[k]
                b = rb[i] - 1 + smax[k]
                if b < ra[j]:
                    i += 1
                elif rb[j] - 1 < a:
                    j += 1
                else:
                    p = _root(parent, i)
                    q = _root(parent, j)
                    if p < q:
                        parent[q] = p
                    elif q < p:
                        parent[p] = q
                    if b <= rb[j] - 1:
                        i += 1
                    else:
                        j += 1
    return 0


@kernel
def run_sizes(parent, ra, rb, size, start, stop):
    """After :func:`join_runs`: point runs ``[start, stop)`` at their roots
    and add their cells to their root's ``size`` (serial calls in order)."""
    for i in range(start, stop):
        p = _root(parent, i)
        parent[i] = p
        size[p] += rb[i] - ra[i]
    return 0


@kernel
def clear_small_runs(first, ra, rb, parent, size, max_size, out, start, stop):
    """Zero in ``out`` (rows, ncols) the cells of rows ``[start, stop)``
    whose component (:func:`run_sizes`) has at most ``max_size`` cells."""
    for r in range(start, stop):
        for i in range(first[r], first[r + 1]):
            if size[parent[i]] <= max_size:
                for c in range(ra[i], rb[i]):
                    out[r, c] = 0
    return 0
