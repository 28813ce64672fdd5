"""Jitted loop of ``inpaint_biharmonic``: scikit-image 0.26's sparse system,
one row per masked pixel.

Each masked pixel ``p`` has a stencil: the biharmonic coefficients
``laplace(laplace(delta))`` (scipy.ndimage, ``reflect``) on the box of
radius 2 around it, truncated at the image border (a pixel within 2 of an
edge gets the stencil computed on its truncated box).  The stencils are
given as classes (``cls[p]``), each a list of flat offsets and
coefficients in raster order.  A neighbour that is masked gives a matrix
entry (column: its rank among the masked pixels); a known one moves to the
right-hand side, ``rhs[row] -= coef * value`` in the image's float type,
in raster order (as scikit-image accumulates it).
"""
from __future__ import annotations

import numpy as np

from .._core.jit import kernel


@kernel
def build_system(points, rank, cls, offsets, coefs, counts, values, indptr, indices, data,
                 rhs):
    """Rows of the system for the masked pixels ``points`` (flat indices,
    row order); ``rank`` maps a flat index to its column (-1: known);
    ``values`` (N, C) the image.  Writes the CSR arrays (``indptr`` of
    len(points) + 1) and ``rhs`` (len(points), C); returns the entries
    written."""
    nch = values.shape[1]
    nnz = 0
    indptr[0] = 0
    for row in range(points.shape[0]):
        p = points[row]
        c = cls[row]
        for ch in range(nch):
            rhs[row, ch] = 0.0
        for e in range(counts[c]):
            q = p + offsets[c, e]
            coef = coefs[c, e]
            col = rank[q]
            if col >= 0:
                indices[nnz] = col
                data[nnz] = coef
                nnz += 1
            else:
                for ch in range(nch):
                    rhs[row, ch] -= coef * values[q, ch]
        indptr[row + 1] = nnz
    return nnz


@kernel
def bandwidths(indptr, indices, width):
    """``width[row]``: the largest ``|col - row|`` of the row's entries."""
    for row in range(indptr.shape[0] - 1):
        b = 0
        for e in range(indptr[row], indptr[row + 1]):
            d = abs(indices[e] - row)
            if d > b:
                b = d
        width[row] = b


@kernel
def fill_band(indptr, indices, data, start, stop, b, ab):
    """LAPACK band storage (``kl = ku = b``) of rows and columns
    ``[start, stop)``: ``ab[2b + i - j, j] = A[i, j]`` (local indices);
    ``ab`` must be zero."""
    for row in range(start, stop):
        i = row - start
        for e in range(indptr[row], indptr[row + 1]):
            j = indices[e] - start
            ab[2 * b + i - j, j] = data[e]


@kernel
def band_solve(indptr, indices, data, first, n, b, band, rhs, x, state, phase, start, stop):
    """Solve rows and columns ``[first, first + n)`` of the CSR system (a
    block of whole regions, bandwidth ``b``) for ``rhs`` (n, C) into ``x``,
    by LU without pivoting on the band (``band``: (n, 2b + 1) scratch).

    The work is 4n row steps in order: copying row s into the band,
    eliminating with pivot row s - n, back-substituting row 3n - 1 - s,
    and the residual of row s - 3n; a call makes steps ``phase * n + i``
    for i in ``[start, stop)`` (each phase's steps cost about the same).
    Serial calls over consecutive steps equal one solve, so a long solve
    returns to Python between them.  ``state`` (float64): the largest
    ``|entry|`` or ``|rhs|`` so far, the largest residual so far, 1 once a
    pivot is 0 (the remaining steps are then skipped), and after the last
    step the largest residual relative to the largest entry; zeros at
    first.  The caller solves again with pivoting when that residual is
    not small (or not finite, or a pivot was 0)."""
    w = 2 * b + 1
    nch = rhs.shape[1]
    scale = state[0]
    worst = state[1]
    for s in range(phase * n + start, phase * n + stop):
        if state[2] != 0.0:
            break
        if s < n:
            i = s
            row = first + i
            for k in range(w):
                band[i, k] = 0.0
            for e in range(indptr[row], indptr[row + 1]):
                band[i, indices[e] - first - i + b] = data[e]
                scale = max(scale, abs(data[e]))
            for ch in range(nch):
                x[i, ch] = rhs[row, ch]
                scale = max(scale, abs(rhs[row, ch]))
        elif s < 2 * n:
            # Doolittle elimination inside the band
            k = s - n
            pivot = band[k, b]
            if pivot == 0.0:
                state[2] = 1.0
                break
            for i in range(k + 1, min(n, k + b + 1)):
                lik = band[i, k - i + b] / pivot
                if lik == 0.0:
                    continue
                band[i, k - i + b] = lik
                for j in range(k + 1, min(n, k + b + 1)):
                    band[i, j - i + b] -= lik * band[k, j - k + b]
                for ch in range(nch):
                    x[i, ch] -= lik * x[k, ch]
        elif s < 3 * n:
            k = 3 * n - 1 - s
            for ch in range(nch):
                acc = x[k, ch]
                for j in range(k + 1, min(n, k + b + 1)):
                    acc -= band[k, j - k + b] * x[j, ch]
                x[k, ch] = acc / band[k, b]
        else:
            row = first + s - 3 * n
            for ch in range(nch):
                acc = -rhs[row, ch]
                for e in range(indptr[row], indptr[row + 1]):
                    acc += data[e] * x[indices[e] - first, ch]
                worst = max(worst, abs(acc))
            if s == 4 * n - 1:
                state[3] = worst / max(scale, 1e-300)
    state[0] = scale
    state[1] = worst
    return 0


@kernel
def _find(parent, a):
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


@kernel
def label_points(points, rank, shape, before, region, lo, hi):
    """Independent blocks of the system: masked pixels (``points``, raster
    order; ``rank`` their index by flat position, -1 elsewhere) joined when
    one lies in the other's stencil (``before``: the offsets of L1 norm 1
    or 2 that come earlier in raster order).  Writes each point's region
    (0-based, numbered by first pixel) and the regions' boxes ``lo``/``hi``
    (inclusive, (n, ndim)); returns the number of regions."""
    n = points.shape[0]
    ndim = shape.shape[0]
    parent = np.arange(n)
    coord = np.empty(ndim, np.int64)
    for p in range(n):
        rest = points[p]
        for a in range(ndim - 1, -1, -1):
            coord[a] = rest % shape[a]
            rest //= shape[a]
        for o in range(before.shape[0]):
            flat = 0
            inside = True
            for a in range(ndim):
                c = coord[a] + before[o, a]
                if c < 0 or c >= shape[a]:
                    inside = False
                    break
                flat = flat * shape[a] + c
            if not inside:
                continue
            q = rank[flat]
            if q >= 0:
                ra = _find(parent, p)
                rb = _find(parent, q)
                if ra != rb:
                    if ra < rb:
                        parent[rb] = ra
                    else:
                        parent[ra] = rb
    count = 0
    for p in range(n):
        root = _find(parent, p)
        if root == p:
            region[p] = count
            count += 1
        else:
            region[p] = region[root]
        r = region[p]
        rest = points[p]
        for a in range(ndim - 1, -1, -1):
            c = rest % shape[a]
            rest //= shape[a]
            if root == p:
                lo[r, a] = c
                hi[r, a] = c
            else:
                lo[r, a] = min(lo[r, a], c)
                hi[r, a] = max(hi[r, a], c)
    return count
