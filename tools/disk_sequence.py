"""Writes ``fastimg/_data/disk_sequence.txt``: the repetitions of the three
3x3 elements whose successive dilations approximate each disk, the table
behind ``fastimg.morphology.disk(radius, decomposition='sequence')``.

The definition (scikit-image 0.26's ``disk_decompositions.npy``, made by a
brute-force search in its ``tools/precompute``; scikit-image is BSD-3-Clause):
for each radius ``r`` in 2..250 the target is ``disk(r, strict_radius=False)``
and a candidate is ``n_t`` repetitions of each of the four T-shaped elements
(the T and its rotations by 90, 180 and 270 degrees), ``n_d`` of the 3x3
diamond (the cross) and ``n_s`` of the 3x3 square, with ``4 n_t + n_d + n_s
= r`` (each repetition grows the extent by one).  The error of a candidate is
the number of pixels where its composite footprint (the point dilated by the
sequence) and the target differ.  The search visits ``n_t = 0 .. r // 4``
in turn; for each, ``n_d`` runs down from ``r - 4 n_t`` and stops at the
first candidate worse than the one before it; a candidate at most as bad as
the best so far replaces it (so ties go to the last visited).  Radius 1 is
``(0, 0, 1)``, radius 0 ``(0, 0, 0)``.

Composites are counted row by row, not dilated: every element is the set of
lattice points of a lattice polygon, and in the plane the lattice points of
a Minkowski sum of lattice polygons are the sums of their lattice points, so
the composite is the lattice points of the polygon ``n_t T + n_d D + n_s S``
(``T`` the sum of the four Ts): the points ``p`` with ``u . p <= h(u)`` for
the sixteen edge normals ``u`` of the summands, ``h`` the summed support
functions.  ``--check R`` dilates every candidate up to radius R with SciPy
and asserts the counts agree (R = 40 checked: every candidate equal).  The
table written equals scikit-image 0.26's ``disk_decompositions.npy`` in all
251 rows (compared once with the file; the tests compare
``skimage.morphology.disk(r, decomposition='sequence')`` with fastimg's).

Run ``python tools/disk_sequence.py`` from the repository root (~6 s of CPU);
``tests/test_morphology.py`` checks the file is current.
"""
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "fastimg", "_data", "disk_sequence.txt")
RADIUS_MAX = 250

# (row, column) offsets of the 3x3 elements; T points up (its bar on top)
SQUARE = [(i, j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
DIAMOND = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]
T_UP = [(-1, -1), (-1, 0), (-1, 1), (0, 0), (1, 0)]
# the edge normals of the summands (square: axes; diamond: diagonals; Ts:
# (1, 2) and its images): the sixteen sides of the composite
NORMALS = [(a, b) for a in range(-2, 3) for b in range(-2, 3)
           if (abs(a), abs(b)) in ((1, 0), (0, 1), (1, 1), (1, 2), (2, 1))]


def _rotations(points):
    """The element and its rotations by 90, 180 and 270 degrees."""
    out = [points]
    for _ in range(3):
        out.append([(-c, r) for r, c in out[-1]])
    return out


def support(points, u):
    """max over the element's points of ``u . p``."""
    return max(u[0] * r + u[1] * c for r, c in points)


def _supports():
    """h(u) of (the four Ts together, the diamond, the square) per normal."""
    ts = _rotations(T_UP)
    return np.array([[sum(support(t, u) for t in ts), support(DIAMOND, u), support(SQUARE, u)]
                     for u in NORMALS], dtype=np.int64)


def row_counts(counts, radius):
    """Pixels per row (rows -radius..radius) of the composites of the
    candidates ``counts`` (k, 3) = (n_t, n_d, n_s): shape (k, 2 radius + 1)."""
    h = np.asarray(counts, dtype=np.int64) @ _supports().T           # (k, normals)
    y = np.arange(-radius, radius + 1)
    xmax = np.full((h.shape[0], y.size), np.iinfo(np.int64).max // 4)
    inside = np.ones(xmax.shape, dtype=bool)
    for k, (uy, ux) in enumerate(NORMALS):
        rest = h[:, k:k + 1] - uy * y[None, :]
        if ux == 0:
            inside &= rest >= 0
        elif ux > 0:  # the footprint is symmetric: the bound on +x is enough
            xmax = np.minimum(xmax, rest // ux)
    return np.where(inside & (xmax >= 0), 2 * xmax + 1, 0)


def target_counts(radius):
    """Pixels per row of ``disk(radius, strict_radius=False)``."""
    from fastimg.morphology import disk
    return disk(radius, strict_radius=False).sum(axis=1, dtype=np.int64)


def best(radius):
    """The search of the module docstring for one radius >= 2."""
    want = target_counts(radius)
    best_err, choice = np.inf, None
    for n_t in range(radius // 4 + 1):
        rest = radius - 4 * n_t
        n_d = np.arange(rest, -1, -1)
        cands = np.stack([np.full_like(n_d, n_t), n_d, rest - n_d], axis=1)
        errors = np.abs(row_counts(cands, radius) - want[None, :]).sum(axis=1)
        prev = np.inf
        for cand, err in zip(cands, errors):
            if err > prev:
                break
            prev = err
            if err <= best_err:
                best_err, choice = err, tuple(int(v) for v in cand)
    return choice


def table(radius_max=RADIUS_MAX):
    """The (radius_max + 1, 3) uint8 table, rows indexed by radius."""
    rows = [(0, 0, 0), (0, 0, 1)] + [best(r) for r in range(2, radius_max + 1)]
    return np.array(rows, dtype=np.uint8)


def source(radius_max=RADIUS_MAX):
    """The text of ``fastimg/_data/disk_sequence.txt``."""
    head = ("# Repetitions (n_t, n_d, n_s) of the four T-shaped 3x3 elements, the 3x3\n"
            "# diamond and the 3x3 square approximating disk(radius), one row per\n"
            "# radius from 0.  Generated by tools/disk_sequence.py (which states the\n"
            "# search): do not edit by hand.  The search is scikit-image's\n"
            "# (tools/precompute/_precompute_nsphere_decompositions.py, BSD-3-Clause,\n"
            "# Copyright (c) the scikit-image team); these numbers were recomputed.\n")
    return head + "".join(f"{t} {d} {s}\n" for t, d, s in table(radius_max).tolist())


def check(radius_max):
    """Dilate every candidate up to ``radius_max`` and compare the rows."""
    from scipy import ndimage as ndi
    elements = [_rotations(T_UP), [DIAMOND], [SQUARE]]
    for radius in range(2, radius_max + 1):
        for n_t in range(radius // 4 + 1):
            for n_d in range(radius - 4 * n_t + 1):
                cand = (n_t, n_d, radius - 4 * n_t - n_d)
                img = np.zeros((2 * radius + 1,) * 2, dtype=bool)
                img[radius, radius] = True
                for group, reps in zip(elements, cand):
                    for pts in group:
                        fp = np.zeros((3, 3), dtype=bool)
                        for r, c in pts:
                            fp[r + 1, c + 1] = True
                        for _ in range(reps):
                            img = ndi.binary_dilation(img, fp)
                got = row_counts([cand], radius)[0]
                assert (img.sum(axis=1) == got).all(), (radius, cand)
    print(f"every candidate up to radius {radius_max}: composite rows equal")


def main() -> None:
    """Write the table file."""
    with open(TARGET, "w", encoding="utf-8") as f:
        f.write(source())


if __name__ == "__main__":
    if ROOT not in sys.path:    # run as a script
        sys.path.insert(0, ROOT)
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(int(sys.argv[2]))
    else:
        main()
