"""Connected components of a binary image as runs along its last axis:
the small-object removal of :mod:`.sk_misc`, called through
:mod:`.binary_components` (the runs are listed and joined by
:mod:`fastimg._core.row_run_kernels`; a union-find over runs, not
pixels: a thresholded photograph has 10-50 pixels per run)."""
from .._core.jit import kernel
from .._core.row_run_kernels import find_root


@kernel
def run_sizes(parent, ra, rb, size, start, stop):
    """After the union-find (:func:`fastimg._core.row_run_kernels.join_row_runs`):
    point runs ``[start, stop)`` at their roots and add their cells to
    their root's ``size`` (serial calls in order)."""
    for i in range(start, stop):
        p = find_root(parent, i)
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
