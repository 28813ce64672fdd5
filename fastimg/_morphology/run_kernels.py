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
def remove_small_runs(x, lead_shape, nbr, smin, smax, max_size, out, start, stop):
    """Zero in ``out`` (rows, ncols) the cells of the components of the
    rows of ``x`` (0 / non-0 bytes, same shape) with at most ``max_size``
    cells.  Cells next to each other along a row are connected; row ``r``
    connects to the row ``nbr[k]`` away in the leading axes (``lead_shape``,
    the earlier rows of the structure) where a cell at column c meets one
    at a column in ``[c + smin[k], c + smax[k]]``.  Single work item;
    returns the number of components."""
    rows, ncols = x.shape
    nl = lead_shape.shape[0]
    nruns = 0
    for r in range(rows):
        prev = False
        for c in range(ncols):
            v = x[r, c] != 0
            if v and not prev:
                nruns += 1
            prev = v
    first = np.empty(rows + 1, np.int64)
    ra = np.empty(nruns, np.int64)
    rb = np.empty(nruns, np.int64)
    n = 0
    for r in range(rows):
        first[r] = n
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
    first[rows] = n
    parent = np.arange(nruns)
    coord = np.zeros(nl, np.int64)
    for r in range(rows):
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
    size = np.zeros(nruns, np.int64)
    components = 0
    for i in range(nruns):
        p = _root(parent, i)
        parent[i] = p
        if p == i:
            components += 1
        size[p] += rb[i] - ra[i]
    for r in range(rows):
        for i in range(first[r], first[r + 1]):
            if size[parent[i]] <= max_size:
                for c in range(ra[i], rb[i]):
                    out[r, c] = 0
    return components
