"""Public wrappers of ``scipy.ndimage``'s binary morphology (SciPy 1.17):
every operation is the erosion primitive of
:mod:`fastimg._morphology.binary_core`, composed as SciPy composes it."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._core import ndi_args
from .._core.docs import DocFiller, fill_doc
from .binary_components import fill_holes_fast
from .binary_core import dilation_args, erode
from .binary_core import generate_binary_structure as _generate

__all__ = ["generate_binary_structure", "iterate_structure", "binary_erosion",
           "binary_dilation", "binary_opening", "binary_closing", "binary_hit_or_miss",
           "binary_propagation", "binary_fill_holes"]

_TEXTS = {
    "bin_input": "input : array_like\n    Binary image (non-zero elements are True).",
    "bin_structure": ("structure : array_like, optional\n"
                  "    Structuring element (non-zero elements are True), any shape, with\n"
                  "    the rank of the filtered axes.  Default: connectivity 1\n"
                  "    (:func:`generate_binary_structure` with connectivity 1)."),
    "bin_iterations": ("iterations : int, optional\n"
                   "    Number of passes.  Less than 1: repeated until the result no\n"
                   "    longer changes."),
    "bin_mask": ("mask : array_like, optional\n"
             "    Only elements where ``mask`` is True are modified."),
    "bin_output": ("output : ndarray, optional\n"
               "    Array of the input's shape to place the result in (any numeric dtype\n"
               "    SciPy takes); by default a new bool array."),
    "bin_border_value": ("border_value : int (cast to 0 or 1), optional\n"
                     "    Value of the elements outside the image."),
    "bin_origin": ("origin : int or tuple of ints, optional\n"
               "    Placement of the structure (0: centred; ``k // 2 + origin`` is its\n"
               "    centre cell along an axis of length ``k``)."),
    "bin_brute_force": ("brute_force : bool, optional\n"
                    "    Accepted for compatibility: the result is the same either way\n"
                    "    (fastimg always propagates changed pixels when the structure's\n"
                    "    centre is True)."),
    "bin_axes": ("axes : tuple of int or None, optional\n"
             "    The axes to filter (default: all); the structure has ``len(axes)``\n"
             "    dimensions."),
}
_NOTES = """
    Notes
    -----
    Differences from :func:`scipy.ndimage.{name}`: none in results, except
    where SciPy's changed-pixel path (``iterations != 1`` without
    ``brute_force``) is unsound: a structure longer than the image along an
    axis, or an ``output`` array of more than one byte per element (SciPy
    then differs from its own ``brute_force=True`` result and may corrupt
    memory); fastimg gives the ``brute_force=True`` result.  An
    ``origin`` that places the structure's centre before its first cell
    raises ValueError (SciPy reads outside the structure and may crash);
    a scalar ``axes`` out of range raises ValueError.  ``workers`` is
    extra (not on the two structure builders).  Every message adds what
    was received.
"""


def _doc(name: str) -> DocFiller:
    return fill_doc.with_texts(notes=_NOTES.format(name=name), **_TEXTS)


@_doc("generate_binary_structure")
def generate_binary_structure(rank: int, connectivity: int) -> np.ndarray:
    """Generate a binary structure for binary morphological operations.

    Drop-in for :func:`scipy.ndimage.generate_binary_structure` (SciPy
    1.17): the cells of a ``3 ** rank`` cube within ``connectivity`` unit
    steps of its centre.

    Parameters
    ----------
    rank : int
        Number of dimensions (a 0-d True array when < 1).
    connectivity : int
        Largest number of unit steps to the centre (values < 1 mean 1).

    Returns
    -------
    output : ndarray of bools
        The structure.
    {notes}
    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.generate_binary_structure(2, 1).astype(int).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    """
    return _generate(rank, connectivity)


@_doc("iterate_structure")
def iterate_structure(structure: npt.ArrayLike, iterations: int,
                      origin: int | Sequence[int] | None = None):
    """Iterate a structure by dilating it with itself.

    Drop-in for :func:`scipy.ndimage.iterate_structure` (SciPy 1.17).

    Parameters
    ----------
    structure : array_like
        Structuring element to dilate with itself.
    iterations : int
        Number of dilations (the result grows by ``iterations - 1`` times
        the structure's reach).
    origin : int or tuple of ints, optional
        If given, returned multiplied by ``iterations`` beside the structure.

    Returns
    -------
    iterate_structure : ndarray of bools
        The grown structure (and the origin when ``origin`` is given).
    {notes}
    Examples
    --------
    >>> from fastimg import ndimage
    >>> s = ndimage.generate_binary_structure(2, 1)
    >>> ndimage.iterate_structure(s, 2).astype(int).tolist()[2]
    [1, 1, 1, 1, 1]
    """
    structure = np.asarray(structure)
    if iterations < 2:
        return structure.copy()
    ni = iterations - 1
    shape = [k + ni * (k - 1) for k in structure.shape]
    pos = [ni * (k // 2) for k in structure.shape]
    out = np.zeros(shape, bool)
    out[tuple(slice(p, p + k) for p, k in zip(pos, structure.shape))] = structure != 0
    out = binary_dilation(out, structure, iterations=ni)
    if origin is None:
        return out
    origin = ndi_args.normalize_sequence(origin, structure.ndim)
    return out, [iterations * o for o in origin]


@_doc("binary_erosion")
def binary_erosion(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
                   iterations: int = 1, mask: npt.ArrayLike | None = None,
                   output: np.ndarray | None = None, border_value: int = 0,
                   origin: int | Sequence[int] = 0, brute_force: bool = False, *,
                   axes: Sequence[int] | None = None,
                   workers: int | None = None) -> np.ndarray:
    """Multidimensional binary erosion with a given structuring element.

    Drop-in for :func:`scipy.ndimage.binary_erosion` (SciPy 1.17): a pixel
    stays True when every structure cell over it reads True.

    Parameters
    ----------
    {bin_input}
    {bin_structure}
    {bin_iterations}
    {bin_mask}
    {bin_output}
    {bin_border_value}
    {bin_origin}
    {bin_brute_force}
    {bin_axes}
    {workers}

    Returns
    -------
    binary_erosion : ndarray of bools
        Erosion of the input (``output`` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.zeros((5, 5), bool)
    >>> a[1:4, 1:4] = True
    >>> ndimage.binary_erosion(a).astype(int)[1:4, 1:4].tolist()
    [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    """
    return erode(input, structure, iterations, mask, output, border_value, origin, 0,
                 brute_force, axes, workers)


@_doc("binary_dilation")
def binary_dilation(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
                    iterations: int = 1, mask: npt.ArrayLike | None = None,
                    output: np.ndarray | None = None, border_value: int = 0,
                    origin: int | Sequence[int] = 0, brute_force: bool = False, *,
                    axes: Sequence[int] | None = None,
                    workers: int | None = None) -> np.ndarray:
    """Multidimensional binary dilation with the given structuring element.

    Drop-in for :func:`scipy.ndimage.binary_dilation` (SciPy 1.17): a pixel
    becomes True when a cell of the reflected structure over it reads True.

    Parameters
    ----------
    {bin_input}
    {bin_structure}
    {bin_iterations}
    {bin_mask}
    {bin_output}
    {bin_border_value}
    {bin_origin}
    {bin_brute_force}
    {bin_axes}
    {workers}

    Returns
    -------
    binary_dilation : ndarray of bools
        Dilation of the input (``output`` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.zeros((3, 5), bool)
    >>> a[1, 2] = True
    >>> ndimage.binary_dilation(a).astype(int).tolist()
    [[0, 0, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 0, 0]]
    """
    input, structure, origin = dilation_args(input, structure, origin, axes)
    return erode(input, structure, iterations, mask, output, border_value, origin, 1,
                 brute_force, axes, workers)


def _default_structure(input, structure, axes):
    input = np.asarray(input)
    axes = ndi_args.check_axes(axes, input.ndim)
    if structure is None:
        structure = _generate(len(axes), 1)
    return input, structure


@_doc("binary_opening")
def binary_opening(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
                   iterations: int = 1, output: np.ndarray | None = None,
                   origin: int | Sequence[int] = 0, mask: npt.ArrayLike | None = None,
                   border_value: int = 0, brute_force: bool = False, *,
                   axes: Sequence[int] | None = None,
                   workers: int | None = None) -> np.ndarray:
    """Multidimensional binary opening with the given structuring element.

    Drop-in for :func:`scipy.ndimage.binary_opening` (SciPy 1.17): erosion
    then dilation, each with ``iterations`` passes.

    Parameters
    ----------
    {bin_input}
    {bin_structure}
    {bin_iterations}
    {bin_output}
    {bin_origin}
    {bin_mask}
    {bin_border_value}
    {bin_brute_force}
    {bin_axes}
    {workers}

    Returns
    -------
    binary_opening : ndarray of bools
        Opening of the input (``output`` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.zeros((5, 5), bool)
    >>> a[1:4, 1:4] = True
    >>> a[0, 0] = True
    >>> int(ndimage.binary_opening(a).sum())
    5
    """
    input, structure = _default_structure(input, structure, axes)
    tmp = binary_erosion(input, structure, iterations, mask, None, border_value, origin,
                         brute_force, axes=axes, workers=workers)
    return binary_dilation(tmp, structure, iterations, mask, output, border_value, origin,
                           brute_force, axes=axes, workers=workers)


@_doc("binary_closing")
def binary_closing(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
                   iterations: int = 1, output: np.ndarray | None = None,
                   origin: int | Sequence[int] = 0, mask: npt.ArrayLike | None = None,
                   border_value: int = 0, brute_force: bool = False, *,
                   axes: Sequence[int] | None = None,
                   workers: int | None = None) -> np.ndarray:
    """Multidimensional binary closing with the given structuring element.

    Drop-in for :func:`scipy.ndimage.binary_closing` (SciPy 1.17): dilation
    then erosion, each with ``iterations`` passes.

    Parameters
    ----------
    {bin_input}
    {bin_structure}
    {bin_iterations}
    {bin_output}
    {bin_origin}
    {bin_mask}
    {bin_border_value}
    {bin_brute_force}
    {bin_axes}
    {workers}

    Returns
    -------
    binary_closing : ndarray of bools
        Closing of the input (``output`` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.ones((5, 5), bool)
    >>> a[2, 2] = False
    >>> bool(ndimage.binary_closing(a)[2, 2])
    True
    """
    input, structure = _default_structure(input, structure, axes)
    tmp = binary_dilation(input, structure, iterations, mask, None, border_value, origin,
                          brute_force, axes=axes, workers=workers)
    return binary_erosion(tmp, structure, iterations, mask, output, border_value, origin,
                          brute_force, axes=axes, workers=workers)


@_doc("binary_hit_or_miss")
def binary_hit_or_miss(input: npt.ArrayLike, structure1: npt.ArrayLike | None = None,
                       structure2: npt.ArrayLike | None = None,
                       output: np.ndarray | None = None,
                       origin1: int | Sequence[int] = 0,
                       origin2: int | Sequence[int] | None = None, *,
                       axes: Sequence[int] | None = None,
                       workers: int | None = None) -> np.ndarray | None:
    """Multidimensional binary hit-or-miss transform.

    Drop-in for :func:`scipy.ndimage.binary_hit_or_miss` (SciPy 1.17):
    True where ``structure1`` fits the foreground and ``structure2`` the
    background (outside the image counts as background).

    Parameters
    ----------
    {bin_input}
    structure1 : array_like, optional
        Part of the structuring element fitted to the foreground (default:
        connectivity 1).
    structure2 : array_like, optional
        Part fitted to the background (default: ``not structure1``).
    output : ndarray, optional
        Array to place the result in (then None is returned).
    origin1 : int or tuple of ints, optional
        Placement of ``structure1``.
    origin2 : int or tuple of ints, optional
        Placement of ``structure2`` (default: ``origin1``).
    {bin_axes}
    {workers}

    Returns
    -------
    binary_hit_or_miss : ndarray or None
        The transform, or None when ``output`` is an array.
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.zeros((5, 5), int)
    >>> a[2, 2] = 1
    >>> s1 = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    >>> s2 = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    >>> ndimage.binary_hit_or_miss(a, s1, s2).nonzero()
    (array([2]), array([2]))
    """
    input = np.asarray(input)
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    if structure1 is None:
        structure1 = _generate(num_axes, 1)
    else:
        structure1 = np.asarray(structure1)
    if structure2 is None:
        structure2 = np.logical_not(structure1)
    origin1 = ndi_args.normalize_sequence(origin1, num_axes)
    if origin2 is None:
        origin2 = origin1
    else:
        origin2 = ndi_args.normalize_sequence(origin2, num_axes)
    tmp1 = erode(input, structure1, 1, None, None, 0, origin1, 0, False, axes, workers)
    inplace = isinstance(output, np.ndarray)
    result = erode(input, structure2, 1, None, output, 0, origin2, 1, False, axes, workers)
    if inplace:
        np.logical_not(output, output)
        np.logical_and(tmp1, output, output)
        return None
    np.logical_not(result, result)
    return np.logical_and(tmp1, result)


@_doc("binary_propagation")
def binary_propagation(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
                       mask: npt.ArrayLike | None = None, output: np.ndarray | None = None,
                       border_value: int = 0, origin: int | Sequence[int] = 0, *,
                       axes: Sequence[int] | None = None,
                       workers: int | None = None) -> np.ndarray:
    """Multidimensional binary propagation with the given structuring element.

    Drop-in for :func:`scipy.ndimage.binary_propagation` (SciPy 1.17): the
    dilation of ``input`` inside ``mask`` repeated until it no longer
    changes, computed as one flood from the seeds (each pixel visited
    once) when the structure's centre is True.

    Parameters
    ----------
    input : array_like
        Binary image of the seeds.
    {bin_structure}
    mask : array_like, optional
        The region the seeds may grow into.
    {bin_output}
    {bin_border_value}
    {bin_origin}
    {bin_axes}
    {workers}

    Returns
    -------
    binary_propagation : ndarray of bools
        The propagation of the seeds (``output`` when given).
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> mask = np.array([[1, 1, 0, 1], [0, 1, 0, 1], [0, 1, 0, 0]], bool)
    >>> seeds = np.zeros_like(mask)
    >>> seeds[0, 0] = True
    >>> ndimage.binary_propagation(seeds, mask=mask).astype(int).tolist()
    [[1, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]
    """
    return binary_dilation(input, structure, -1, mask, output, border_value, origin,
                           axes=axes, workers=workers)


@_doc("binary_fill_holes")
def binary_fill_holes(input: npt.ArrayLike, structure: npt.ArrayLike | None = None,
                      output: np.ndarray | None = None, origin: int | Sequence[int] = 0,
                      *, axes: Sequence[int] | None = None,
                      workers: int | None = None) -> np.ndarray | None:
    """Fill the holes in binary objects.

    Drop-in for :func:`scipy.ndimage.binary_fill_holes` (SciPy 1.17): the
    background not reachable from the image border (through ``structure``
    steps) becomes True, found by one flood fill from the border.

    Parameters
    ----------
    {bin_input}
    structure : array_like, optional
        Structuring element of the background's connectivity (default:
        connectivity 1).
    output : ndarray, optional
        Array to place the result in (then None is returned).
    {bin_origin}
    {bin_axes}
    {workers}

    Returns
    -------
    binary_fill_holes : ndarray of bools or None
        The input with its holes filled, or None when ``output`` is an array.
    {notes}
    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ring = np.array([[0, 1, 1, 1], [0, 1, 0, 1], [0, 1, 1, 1]])
    >>> ndimage.binary_fill_holes(ring).astype(int).tolist()
    [[0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]
    """
    input = np.asarray(input)
    done = fill_holes_fast(input, structure, output, origin, axes, workers)
    if done is not None:
        return None if isinstance(output, np.ndarray) else done
    mask = np.logical_not(input)
    tmp = np.zeros(mask.shape, bool)
    if isinstance(output, np.ndarray):
        binary_dilation(tmp, structure, -1, mask, output, 1, origin, axes=axes,
                        workers=workers)
        np.logical_not(output, output)
        return None
    output = binary_dilation(tmp, structure, -1, mask, None, 1, origin, axes=axes,
                             workers=workers)
    np.logical_not(output, output)
    return output
