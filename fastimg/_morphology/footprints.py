"""scikit-image 0.26's footprint builders (``skimage.morphology``): the
same arrays, dtypes and decompositions, written from their definitions.

``octagon`` and ``star`` are convex hulls of a few points in scikit-image
(``convex_hull_image``); here they are the half-planes through the hull's
edges (checked against scikit-image for every size up to 20).  ``ellipse``
is scikit-image's ``draw.ellipse`` test, ``(dr / (h + 1))**2 + (dc / (w +
1))**2 < 1`` in float64.  ``disk(..., decomposition='sequence')`` reads the
table ``fastimg/_data/disk_sequence.txt``, recomputed by
``tools/disk_sequence.py`` from the search that made scikit-image's
``disk_decompositions.npy`` (the same numbers, a test checks).
"""
from __future__ import annotations

import functools
import importlib.resources

import numpy as np
import numpy.typing as npt

from .._core.warn import warn_at_caller

__all__ = ["disk", "footprint_rectangle", "square", "diamond", "ellipse", "octagon", "star"]

_NOTES = """
    Notes
    -----
    Differences from :func:`skimage.morphology.{name}`: none.
"""


def _decompose_size(size, kernel_size=3):
    """Repetitions of a ``kernel_size`` element that grow to ``size``."""
    if kernel_size % 2 != 1:
        raise ValueError("only odd length kernel_size is supported")
    return 1 + (size - kernel_size) // (kernel_size - 1)


def _cross(r0, r1, dtype=np.uint8):
    """A (2 r0 + 1, 2 r1 + 1) cross: the central row and column."""
    c = np.zeros((int(2 * r0 + 1), int(2 * r1 + 1)), dtype=dtype)
    if r1 != 0:
        c[r0, :] = 1
    if r0 != 0:
        c[:, r1] = 1
    return c


def _cross_decomposition(footprint):
    """scikit-image's decomposition of a symmetric convex footprint into
    crosses (Li and Ritter 1990, its algorithm 1 as scikit-image adapts it):
    every drop of the quadrant's column heights becomes one cross; always
    uint8, as scikit-image's."""
    quadrant = footprint[footprint.shape[0] // 2:, footprint.shape[1] // 2:]
    heights = np.concatenate((quadrant.sum(0, dtype=int), np.asarray([0], dtype=int)))
    last = 0
    counts = {}
    used = 0
    for i in range(heights.size - 1):
        if heights[i] > heights[i + 1]:
            if i == 0:
                continue
            key = (heights[last] - heights[i], i - last)
            used += key[0]
            counts[key] = counts.get(key, 0) + 1
            last = i
    rest = quadrant.shape[0] - 1 - used
    if rest > 0:
        counts[(rest, 0)] = counts.get((rest, 0), 0) + 1
    return tuple((_cross(r0, r1), n) for (r0, r1), n in counts.items())


@functools.lru_cache(maxsize=1)
def _disk_table():
    """(251, 3) uint8: the repetitions (T-shapes, diamond, square) per
    radius, as scikit-image's table (its rows index by radius, so a
    negative radius reads from the end, as there)."""
    with importlib.resources.as_file(
            importlib.resources.files("fastimg") / "_data" / "disk_sequence.txt") as path:
        table = np.loadtxt(path, dtype=np.uint8, comments="#", ndmin=2)
    table.flags.writeable = False
    return table


def _disk_sequence(radius, dtype):
    """scikit-image's sequence decomposition of a disk: repetitions of the
    four rotations of a T-shaped 3x3 element, then the 3x3 diamond, then the
    3x3 square, counts from the table (np.uint8, as scikit-image's)."""
    if radius == 1:
        # (int 1: scikit-image's exact 3x3 answer for radius 1)
        return ((disk(1, dtype=dtype, strict_radius=False), 1),)
    table = _disk_table()
    if radius > table.shape[0]:
        raise ValueError(f"precomputed 2D decomposition unavailable for "
                         f"radius > {table.shape[0]}")
    n_t, n_d, n_s = table[radius]
    sequence = []
    if n_t > 0:
        t_up = np.array([[1, 1, 1], [0, 1, 0], [0, 1, 0]], dtype=dtype)
        sequence += [(np.rot90(t_up, k) if k else t_up, n_t) for k in range(4)]
    if n_d > 0:
        sequence.append((diamond(1, dtype=dtype), n_d))
    if n_s > 0:
        sequence.append((np.ones((3, 3), dtype=dtype), n_s))
    return tuple(sequence)


def disk(radius: int, dtype: npt.DTypeLike = np.uint8, *, strict_radius: bool = True,
         decomposition: str | None = None):
    """Generate a disk-shaped footprint.

    Drop-in for :func:`skimage.morphology.disk` (scikit-image 0.26): the
    cells ``x**2 + y**2 <= radius**2`` of a ``2 * radius + 1`` square.

    Parameters
    ----------
    radius : int
        The radius of the disk.
    dtype : data-type, optional
        The data type of the footprint.
    strict_radius : bool, optional
        If False, the radius is extended by 0.5 (a disk closer to the
        bounding square).
    decomposition : {None, 'sequence', 'crosses'}, optional
        None: one array; 'sequence': a sequence of ``(3x3 element,
        repetitions)`` (T shapes, diamond, square) whose successive
        application approximates ``disk(radius, strict_radius=False)``
        (radius at most 250; ``strict_radius`` is ignored); 'crosses': a
        sequence of ``(cross, repetitions)`` whose successive application
        equals the disk (often, not always).

    Returns
    -------
    footprint : ndarray or tuple
        The footprint, or its decomposition.

    Notes
    -----
    Differences from :func:`skimage.morphology.disk`: none.  The
    'sequence' repetitions come from scikit-image's brute-force search
    (the closest composite, in differing pixels, among T-shape, diamond and
    square counts), recomputed by ``tools/disk_sequence.py``.

    Examples
    --------
    >>> from fastimg import morphology
    >>> morphology.disk(1).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    >>> [(int(fp.sum()), int(n)) for fp, n in morphology.disk(5, decomposition="sequence")]
    [(5, 3), (9, 2)]
    """
    if decomposition is None:
        steps = np.arange(-radius, radius + 1)
        X, Y = np.meshgrid(steps, steps)
        if not strict_radius:
            radius += 0.5
        return np.array((X ** 2 + Y ** 2) <= radius ** 2, dtype=dtype)
    if decomposition == "sequence":
        return _disk_sequence(radius, dtype)
    if decomposition == "crosses":
        fp = disk(radius, dtype, strict_radius=strict_radius, decomposition=None)
        return _cross_decomposition(fp)
    # scikit-image returns an unbound name here
    raise UnboundLocalError("cannot access local variable 'sequence' where it is not "
                            f"associated with a value (got decomposition={decomposition!r})")


def footprint_rectangle(shape, *, dtype: npt.DTypeLike = np.uint8,
                        decomposition: str | None = None):
    """Generate a rectangular or hyper-rectangular footprint.

    Drop-in for :func:`skimage.morphology.footprint_rectangle`
    (scikit-image 0.26).

    Parameters
    ----------
    shape : tuple of int
        The length of the footprint along each dimension.
    dtype : data-type, optional
        The data type of the footprint.
    decomposition : {None, 'separable', 'sequence'}, optional
        None: one array; 'separable': one 1-D footprint per dimension;
        'sequence': repeated 3x3... squares plus 1-D rests (odd widths
        only; even widths warn and fall back to 'separable').

    Returns
    -------
    footprint : ndarray or tuple
        The footprint, or its decomposition.
    {notes}
    Examples
    --------
    >>> from fastimg import morphology
    >>> morphology.footprint_rectangle((2, 3)).tolist()
    [[1, 1, 1], [1, 1, 1]]
    """
    if decomposition == "sequence" and any(width % 2 == 0 for width in shape):
        warn_at_caller("decomposition='sequence' is only supported for uneven footprints, "
                       "falling back to decomposition='separable'")
        decomposition = "sequence_fallback"

    def partial(dim, width):
        return (np.ones((1,) * dim + (width,) + (1,) * (len(shape) - dim - 1), dtype=dtype),
                1)

    if decomposition is None:
        return np.ones(shape, dtype=dtype)
    if decomposition in ("separable", "sequence_fallback"):
        return tuple(partial(dim, width) for dim, width in enumerate(shape))
    if decomposition == "sequence":
        min_width = min(shape)
        footprint = [(np.ones((3,) * len(shape), dtype=dtype), _decompose_size(min_width, 3))]
        for dim, width in enumerate(shape):
            if width > min_width:
                footprint.append(partial(dim, width - min_width + 1))
        return tuple(footprint)
    raise ValueError(f"Unrecognized decomposition: {decomposition}")


def square(width: int, dtype: npt.DTypeLike = np.uint8, *,
           decomposition: str | None = None):
    """Generate a square footprint (deprecated: use footprint_rectangle).

    Drop-in for :func:`skimage.morphology.square` (scikit-image 0.26,
    deprecated since 0.25, removed in 0.27): warns with scikit-image's
    FutureWarning, then returns ``footprint_rectangle((width, width))``.

    Parameters
    ----------
    width : int
        The width and height of the square.
    dtype : data-type, optional
        The data type of the footprint.
    decomposition : {None, 'separable', 'sequence'}, optional
        As for :func:`footprint_rectangle`.

    Returns
    -------
    footprint : ndarray or tuple
        The footprint, or its decomposition.
    {notes}
    Examples
    --------
    >>> import warnings
    >>> from fastimg import morphology
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     morphology.square(2).tolist()
    [[1, 1], [1, 1]]
    """
    warn_at_caller("`square` is deprecated since version 0.25 and will be removed in "
                   "version 0.27. Use `skimage.morphology.footprint_rectangle` instead.",
                   FutureWarning)
    return footprint_rectangle(shape=(width, width), dtype=dtype, decomposition=decomposition)


def diamond(radius: int, dtype: npt.DTypeLike = np.uint8, *,
            decomposition: str | None = None):
    """Generate a flat footprint in the shape of a diamond.

    Drop-in for :func:`skimage.morphology.diamond` (scikit-image 0.26):
    the cells within ``radius`` city-block steps of the centre.

    Parameters
    ----------
    radius : int
        The radius of the diamond.
    dtype : data-type, optional
        The data type of the footprint.
    decomposition : {None, 'sequence'}, optional
        None: one array; 'sequence': the 3x3 diamond repeated.

    Returns
    -------
    footprint : ndarray or tuple
        The footprint, or its decomposition.
    {notes}
    Examples
    --------
    >>> from fastimg import morphology
    >>> morphology.diamond(1).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    """
    if decomposition is None:
        steps = np.arange(0, radius * 2 + 1)
        I, J = np.meshgrid(steps, steps)
        return np.array(np.abs(I - radius) + np.abs(J - radius) <= radius, dtype=dtype)
    if decomposition == "sequence":
        fp = diamond(1, dtype=dtype, decomposition=None)
        return ((fp, _decompose_size(2 * radius + 1, fp.shape[0])),)
    raise ValueError(f"Unrecognized decomposition: {decomposition}")


def ellipse(width: int, height: int, dtype: npt.DTypeLike = np.uint8, *,
            decomposition: str | None = None):
    """Generate a flat footprint in the shape of an ellipse.

    Drop-in for :func:`skimage.morphology.ellipse` (scikit-image 0.26):
    the cells of a ``(2 * height + 1, 2 * width + 1)`` box strictly inside
    the ellipse of half-axes ``height + 1`` and ``width + 1``.

    Parameters
    ----------
    width : int
        The half width of the footprint (its width is ``2 * width + 1``).
    height : int
        The half height of the footprint.
    dtype : data-type, optional
        The data type of the footprint.
    decomposition : {None, 'crosses'}, optional
        None: one array; 'crosses': a sequence of crosses.

    Returns
    -------
    footprint : ndarray or tuple
        The footprint, or its decomposition.
    {notes}
    Examples
    --------
    >>> from fastimg import morphology
    >>> fp = morphology.ellipse(3, 2)
    >>> fp.shape, fp[0].tolist()
    ((5, 7), [0, 1, 1, 1, 1, 1, 0])
    """
    if decomposition is None:
        # allocated first, as scikit-image does: the same errors for a
        # negative or float size
        footprint = np.zeros((2 * height + 1, 2 * width + 1), dtype=dtype)
        rows = np.arange(2 * height + 1, dtype=np.float64)[:, None] - height
        cols = np.arange(2 * width + 1, dtype=np.float64)[None, :] - width
        footprint[(rows / (height + 1)) ** 2 + (cols / (width + 1)) ** 2 < 1] = 1
        return footprint
    if decomposition == "crosses":
        return _cross_decomposition(ellipse(width, height, dtype, decomposition=None))
    raise UnboundLocalError("cannot access local variable 'sequence' where it is not "
                            f"associated with a value (got decomposition={decomposition!r})")


def octagon(m: int, n: int, dtype: npt.DTypeLike = np.uint8, *,
            decomposition: str | None = None):
    """Generate an octagon shaped footprint.

    Drop-in for :func:`skimage.morphology.octagon` (scikit-image 0.26): a
    square of side ``m + 2 * n`` with its corners cut by diagonals, the
    horizontal and vertical sides ``m`` long.

    Parameters
    ----------
    m : int
        The size of the horizontal and vertical sides.
    n : int
        The height or width of the slanted sides.
    dtype : data-type, optional
        The data type of the footprint.
    decomposition : {None, 'sequence'}, optional
        None: one array; 'sequence': squares and diamonds repeated.

    Returns
    -------
    footprint : ndarray or tuple
        The footprint, or its decomposition.
    {notes}
    Examples
    --------
    >>> from fastimg import morphology
    >>> morphology.octagon(1, 1).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    """
    if m == n == 0:
        raise ValueError("m and n cannot both be zero")
    if decomposition is None:
        s = m + 2 * n
        # scikit-image marks the eight vertices in an (s, s) array first:
        # the same errors for negative or float sizes
        marks = np.zeros((s, s))
        for vertex in ((0, n), (n, 0), (0, m + n - 1), (m + n - 1, 0), (-1, n), (n, -1),
                       (-1, m + n - 1), (m + n - 1, -1)):
            marks[vertex] = 1
        i, j = np.mgrid[0:s, 0:s]
        # the hull's top edge runs between columns lo and hi
        lo, hi = min(n, m + n - 1), max(n, m + n - 1)
        inside = (i + j >= lo) & (j - i <= hi) & (i - j <= hi) & (i + j <= s - 1 + hi)
        return inside.astype(dtype)
    if decomposition == "sequence":
        if m <= 2 and n <= 2:
            return ((octagon(m, n, dtype=dtype, decomposition=None), 1),)
        if m == 0:
            m = 2
            n -= 1
        sequence = []
        if m > 1:
            sequence += list(footprint_rectangle((m, m), dtype=dtype, decomposition="sequence"))
        if n > 0:
            sequence += [(diamond(1, dtype=dtype, decomposition=None), n)]
        return tuple(sequence)
    raise ValueError(f"Unrecognized decomposition: {decomposition}")


def star(a: int, dtype: npt.DTypeLike = np.uint8):
    """Generate a star shaped footprint.

    Drop-in for :func:`skimage.morphology.star` (scikit-image 0.26): a
    square of side ``2 * a + 1`` overlaid with the diamond of the same
    centre touching the borders of a ``2 * a + 1 + 2 * (a // 2)`` box.

    Parameters
    ----------
    a : int
        Parameter deciding the size of the star.
    dtype : data-type, optional
        The data type of the footprint.

    Returns
    -------
    footprint : ndarray
        The footprint.
    {notes}
    Examples
    --------
    >>> from fastimg import morphology
    >>> morphology.star(1).tolist()
    [[1, 1, 1], [1, 1, 1], [1, 1, 1]]
    """
    if a == 1:
        return np.ones((3, 3), dtype)
    m = 2 * a + 1
    n = a // 2
    s = m + 2 * n
    c = (s - 1) // 2
    # allocated first, as scikit-image does: the same errors for a float a
    footprint = np.zeros((s, s), dtype=dtype)
    i, j = np.mgrid[0:s, 0:s]
    square = (i >= n) & (i < m + n) & (j >= n) & (j < m + n)
    rotated = np.abs(i - c) + np.abs(j - c) <= c
    footprint[square | rotated] = 1
    return footprint


for _f in (footprint_rectangle, square, diamond, ellipse, octagon, star):
    if _f.__doc__:  # (python -OO strips docstrings)
        _f.__doc__ = _f.__doc__.replace("    {notes}\n", _NOTES.format(name=_f.__name__)[1:])
