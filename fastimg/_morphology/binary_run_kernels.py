"""The passes over runs of ``binary_fill_holes`` and
``remove_small_objects`` (:mod:`.binary_components` calls them): the runs of a binary image along its last axis are counted,
listed (eight bytes at a time) and joined by a union-find over runs in
:mod:`fastimg._core.row_run_kernels`, shared with ``ndimage.label``; here
the roots are flattened and marked where their component reaches the
border, and the filled rows written.

Rows are independent: the counting, listing and writing passes split
over blocks of rows, and so does most of the union-find (about 0.3 M
runs at 4096x4096); flattening the roots is serial.
"""
from .._core.jit import kernel
# the shared passes, under the names this family's wrapper calls
from .._core.row_run_kernels import count_row_runs, join_row_runs, list_row_runs  # noqa: F401


@kernel
def flatten_border(lead_shape, first, ra, rb, ncols, parent, touched, start, stop):
    """After the union-find (every run's parent no larger than itself):
    point the runs of rows ``[start, stop)`` at their roots and set
    ``touched[root]`` for runs on the image's border (a first or last row
    along a leading axis, or a run reaching column 0 or ``ncols``).
    Serial calls over the rows in order."""
    nl = lead_shape.shape[0]
    for r in range(start, stop):
        edge = False
        rem = r
        for d in range(nl - 1, -1, -1):
            q = rem % lead_shape[d]
            rem //= lead_shape[d]
            if q == 0 or q == lead_shape[d] - 1:
                edge = True
        for i in range(first[r], first[r + 1]):
            # the parent precedes the run and points at its root already
            p = parent[parent[i]]
            parent[i] = p
            if edge or ra[i] == 0 or rb[i] == ncols:
                touched[p] = 1
    return 0


@kernel
def write_filled(first, ra, rb, parent, touched, out, start, stop):
    """Rows ``[start, stop)`` of ``binary_fill_holes``' result: 1 except
    the background runs whose component reaches the border (runs pointed
    at their roots by :func:`flatten_border`)."""
    for r in range(start, stop):
        row = out[r]
        # slice fills: faster than loops over short runs (measured)
        row[:] = 1
        for i in range(first[r], first[r + 1]):
            if touched[parent[i]]:
                row[ra[i]:rb[i]] = 0
    return 0
