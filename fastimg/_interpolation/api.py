"""Public wrappers ``zoom``, ``shift``, ``affine_transform``,
``map_coordinates`` and ``rotate`` (SciPy 1.17 ``scipy.ndimage``).

Each validates and computes its coordinates exactly as SciPy's
``_interpolation.py`` does (same NumPy expressions for output shapes,
zoom factors, offsets and rotation matrices: ``scipy.special.cosdg`` and
``sindg``), splits complex inputs into their real and imaginary parts,
then runs one core of ``transform_kernels`` through
:class:`fastimg._interpolation.common.Job`.
"""
from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from .._core.ndi_args import get_output, normalize_sequence
from .._core.warn import warn_at_caller
from .common import Job, check_order
from .splines import _interp_doc

__all__ = ["zoom", "shift", "affine_transform", "map_coordinates", "rotate"]

_COMMON = """\
order : int, optional
    The order of the spline interpolation, default is 3.
    The order has to be in the range 0-5.
{mode_interp}
    Default is 'constant'.
cval : scalar, optional
    Value to fill past edges of input if `mode` is 'constant'. Default
    is 0.0.
prefilter : bool, optional
    Determines if the input array is prefiltered with `spline_filter`
    before interpolation. The default is True, which will create a
    temporary `float64` array of filtered values if ``order > 1``. If
    setting this to False, the output will be slightly blurred if
    ``order > 1``, unless the input is prefiltered, i.e. it is the result
    of calling `spline_filter` on the original input."""

_NOTES = """\
Differences from the SciPy function: none in the values (bit for bit,
every order, mode and output dtype) nor in the errors. A coordinate that
is NaN takes `cval` in every mode (SciPy crashes on a NaN coordinate with
some modes) and, when `output` shares memory with the input, the input is
read before anything is written; an empty input gives `cval` everywhere
(SciPy reads uninitialised memory there). As in SciPy 1.17, ``zoom`` of a
complex input ignores ``grid_mode``."""

_doc = _interp_doc.with_texts(interp_common=_COMMON, interp_notes=_NOTES)


def _rank_check(input):
    if input.ndim < 1:
        raise RuntimeError(f"input and output rank must be > 0 (got input.ndim={input.ndim})")


@_doc
def zoom(input: npt.ArrayLike, zoom, output=None, order: int = 3, mode: str = "constant",
         cval=0.0, prefilter: bool = True, *, grid_mode: bool = False,
         workers: int | None = None) -> np.ndarray:
    """Zoom an array.

    Drop-in for :func:`scipy.ndimage.zoom` (SciPy 1.17). The array is zoomed
    using spline interpolation of the requested order.

    Parameters
    ----------
    input : array_like
        The input array.
    zoom : float or sequence
        The zoom factor along the axes. If a float, `zoom` is the same for
        each axis. If a sequence, `zoom` should contain one value for each
        axis.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the
        returned array. By default an array of the same dtype as input
        will be created.
    {interp_common}
    grid_mode : bool, optional
        If False, the distance from the pixel centers is zoomed. Otherwise,
        the distance including the full pixel extent is used (the edges of
        the input and output grids coincide).
    {workers}

    Returns
    -------
    zoom : ndarray
        The zoomed input.

    Notes
    -----
    {interp_notes}

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import zoom
    >>> zoom(np.array([[0.0, 1.0], [2.0, 3.0]]), 1.5, order=1)
    array([[0. , 0.5, 1. ],
           [1. , 1.5, 2. ],
           [2. , 2.5, 3. ]])
    """
    order = check_order(order)
    input = np.asarray(input)
    _rank_check(input)
    zooms = normalize_sequence(zoom, input.ndim)
    output_shape = tuple(int(round(ii * jj)) for ii, jj in zip(input.shape, zooms))
    complex_output = np.iscomplexobj(input)
    output = get_output(output, input, shape=output_shape, complex_output=complex_output)
    if all(z == 1 for z in zooms) and prefilter:
        # zoom 1 returns the input (SciPy's early exit; not with prefilter
        # off, where the input is spline coefficients)
        output[...] = input
        return output
    if complex_output:
        # SciPy 1.17 zooms the two parts without passing grid_mode on
        kw = dict(order=order, mode=mode, prefilter=prefilter, workers=workers)
        globals()["zoom"](input.real, zooms, output=output.real, cval=np.real(cval), **kw)
        globals()["zoom"](input.imag, zooms, output=output.imag, cval=np.imag(cval), **kw)
        return output
    job = Job(input, output, order, mode, cval, prefilter, workers)
    if grid_mode and mode in ("constant", "wrap"):
        suggest = "grid-constant" if mode == "constant" else "grid-wrap"
        warn_at_caller(f"It is recommended to use mode = {suggest} instead of {mode} "
                       "when grid_mode is True.")
    zoom_div = np.array(output_shape)
    zoom_nominator = np.array(input.shape)
    if not grid_mode:
        zoom_div -= 1
        zoom_nominator -= 1
    # zooming to an infinite factor is unpredictable: SciPy uses 1
    factors = np.divide(zoom_nominator, zoom_div,
                        out=np.ones_like(input.shape, dtype=np.float64), where=zoom_div != 0)
    return job.zoom_shift(np.ascontiguousarray(factors), None, grid_mode)


@_doc
def shift(input: npt.ArrayLike, shift, output=None, order: int = 3, mode: str = "constant",
          cval=0.0, prefilter: bool = True, *, workers: int | None = None) -> np.ndarray:
    """Shift an array.

    Drop-in for :func:`scipy.ndimage.shift` (SciPy 1.17). The array is
    shifted using spline interpolation of the requested order. Points
    outside the boundaries of the input are filled according to the given
    mode.

    Parameters
    ----------
    input : array_like
        The input array.
    shift : float or sequence
        The shift along the axes. If a float, `shift` is the same for each
        axis. If a sequence, `shift` should contain one value for each axis.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the
        returned array. By default an array of the same dtype as input
        will be created.
    {interp_common}
    {workers}

    Returns
    -------
    shift : ndarray
        The shifted input.

    Notes
    -----
    {interp_notes}

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import shift
    >>> shift(np.arange(5.0), 1.5, order=1)
    array([0. , 0. , 0.5, 1.5, 2.5])
    """
    order = check_order(order)
    input = np.asarray(input)
    _rank_check(input)
    complex_output = np.iscomplexobj(input)
    output = get_output(output, input, complex_output=complex_output)
    if complex_output:
        kw = dict(order=order, mode=mode, prefilter=prefilter, workers=workers)
        globals()["shift"](input.real, shift, output=output.real, cval=np.real(cval), **kw)
        globals()["shift"](input.imag, shift, output=output.imag, cval=np.imag(cval), **kw)
        return output
    job = Job(input, output, order, mode, cval, prefilter, workers)
    shifts = [-ii for ii in normalize_sequence(shift, input.ndim)]
    return job.zoom_shift(None, np.asarray(shifts, dtype=np.float64), False)


@_doc
def affine_transform(input: npt.ArrayLike, matrix, offset=0.0, output_shape=None,
                     output=None, order: int = 3, mode: str = "constant", cval=0.0,
                     prefilter: bool = True, *, workers: int | None = None) -> np.ndarray:
    """Apply an affine transformation.

    Drop-in for :func:`scipy.ndimage.affine_transform` (SciPy 1.17). Given
    an output image pixel index vector ``o``, the pixel value is determined
    from the input image at position ``np.dot(matrix, o) + offset``.

    Parameters
    ----------
    input : array_like
        The input array.
    matrix : ndarray
        The inverse coordinate transformation matrix, mapping output
        coordinates to input coordinates: ``(ndim, ndim)`` or a homogeneous
        ``(ndim, ndim + 1)`` / ``(ndim + 1, ndim + 1)`` matrix (the offset
        taken from its last column), or ``(ndim,)`` (a diagonal matrix:
        faster).
    offset : float or sequence, optional
        The offset into the array where the transform is applied. If a
        float, `offset` is the same for each axis.
    output_shape : tuple of ints, optional
        Shape tuple.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the
        returned array. By default an array of the same dtype as input
        will be created.
    {interp_common}
    {workers}

    Returns
    -------
    affine_transform : ndarray
        The transformed input.

    Notes
    -----
    {interp_notes}

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import affine_transform
    >>> affine_transform(np.arange(4.0), [0.5], order=1)
    array([0. , 0.5, 1. , 1.5])
    """
    order = check_order(order)
    input = np.asarray(input)
    if output_shape is None:
        output_shape = output.shape if isinstance(output, np.ndarray) else input.shape
    if input.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0 (got input.ndim="
                           f"{input.ndim}, output_shape={tuple(output_shape)})")
    complex_output = np.iscomplexobj(input)
    output = get_output(output, input, shape=output_shape, complex_output=complex_output)
    if complex_output:
        kw = dict(offset=offset, output_shape=output_shape, order=order, mode=mode,
                  prefilter=prefilter, workers=workers)
        affine_transform(input.real, matrix, output=output.real, cval=np.real(cval), **kw)
        affine_transform(input.imag, matrix, output=output.imag, cval=np.imag(cval), **kw)
        return output
    job = Job(input, output, order, mode, cval, prefilter, workers)
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim not in [1, 2] or matrix.shape[0] < 1:
        raise RuntimeError(f"no proper affine matrix provided (got shape {matrix.shape})")
    if (matrix.ndim == 2 and matrix.shape[1] == input.ndim + 1
            and matrix.shape[0] in (input.ndim, input.ndim + 1)):
        if matrix.shape[0] == input.ndim + 1:
            exptd = [0] * input.ndim + [1]
            if not np.all(matrix[input.ndim] == exptd):
                raise ValueError(f"Expected homogeneous transformation matrix with shape "
                                 f"{matrix.shape} for image shape {input.shape}, but bottom "
                                 f"row was not equal to {exptd}")
        offset = matrix[:input.ndim, input.ndim]
        matrix = matrix[:input.ndim, :input.ndim]
    if matrix.shape[0] != input.ndim:
        raise RuntimeError(f"affine matrix has wrong number of rows (got {matrix.shape[0]} "
                           f"for input.ndim={input.ndim})")
    if matrix.ndim == 2 and matrix.shape[1] != output.ndim:
        raise RuntimeError(f"affine matrix has wrong number of columns (got "
                           f"{matrix.shape[1]} for output.ndim={output.ndim})")
    offset = np.asarray(normalize_sequence(offset, input.ndim), dtype=np.float64)
    if offset.ndim != 1 or offset.shape[0] < 1:
        raise RuntimeError(f"no proper offset provided (got shape {offset.shape})")
    matrix = np.ascontiguousarray(matrix)
    offset = np.ascontiguousarray(offset)
    if matrix.ndim == 1:
        return job.zoom_shift(matrix, offset / matrix, False)
    return job.geometric(matrix=matrix, shift=offset)


@_doc
def map_coordinates(input: npt.ArrayLike, coordinates: npt.ArrayLike, output=None,
                    order: int = 3, mode: str = "constant", cval=0.0, prefilter: bool = True,
                    *, workers: int | None = None) -> np.ndarray:
    """Map the input array to new coordinates by interpolation.

    Drop-in for :func:`scipy.ndimage.map_coordinates` (SciPy 1.17). The
    array of coordinates is used to find, for each point in the output, the
    corresponding coordinates in the input. The value of the input at those
    coordinates is determined by spline interpolation of the requested
    order. The shape of the output is derived from that of the coordinate
    array by dropping the first axis.

    Parameters
    ----------
    input : array_like
        The input array.
    coordinates : array_like
        The coordinates at which `input` is evaluated.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the
        returned array. By default an array of the same dtype as input
        will be created.
    {interp_common}
    {workers}

    Returns
    -------
    map_coordinates : ndarray
        The result of transforming the input. The shape of the output is
        derived from that of `coordinates` by dropping the first axis.

    Notes
    -----
    {interp_notes}

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import map_coordinates
    >>> a = np.arange(12.).reshape((4, 3))
    >>> map_coordinates(a, [[0.5, 2], [0.5, 1]], order=1)
    array([2., 7.])
    """
    order = check_order(order)
    input = np.asarray(input)
    coordinates = np.asarray(coordinates)
    if np.iscomplexobj(coordinates):
        raise TypeError(f"Complex type not supported (got coordinates of dtype "
                        f"{coordinates.dtype})")
    output_shape = coordinates.shape[1:]
    if input.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError("input and output rank must be > 0 (got input.ndim="
                           f"{input.ndim}, coordinates.shape={coordinates.shape})")
    if coordinates.shape[0] != input.ndim:
        raise RuntimeError(f"invalid shape for coordinate array (got {coordinates.shape} "
                           f"for input.ndim={input.ndim})")
    complex_output = np.iscomplexobj(input)
    output = get_output(output, input, shape=output_shape, complex_output=complex_output)
    if complex_output:
        kw = dict(order=order, mode=mode, prefilter=prefilter, workers=workers)
        map_coordinates(input.real, coordinates, output=output.real, cval=np.real(cval), **kw)
        map_coordinates(input.imag, coordinates, output=output.imag, cval=np.imag(cval), **kw)
        return output
    job = Job(input, output, order, mode, cval, prefilter, workers)
    if coordinates.dtype.newbyteorder("=") not in _COORD_TYPES:
        raise RuntimeError(f"coordinate array data type not supported (got "
                           f"{coordinates.dtype})")
    coords = np.ascontiguousarray(coordinates.reshape(input.ndim, -1), dtype=np.float64)
    return job.geometric(coords=coords)


_COORD_TYPES = set(np.dtype(t) for t in (
    np.bool_, np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16, np.int32,
    np.int64, np.float32, np.float64))


@_doc
def rotate(input: npt.ArrayLike, angle, axes=(1, 0), reshape: bool = True, output=None,
           order: int = 3, mode: str = "constant", cval=0.0, prefilter: bool = True, *,
           workers: int | None = None) -> np.ndarray:
    """Rotate an array.

    Drop-in for :func:`scipy.ndimage.rotate` (SciPy 1.17). The array is
    rotated in the plane defined by the two axes given by the `axes`
    parameter using spline interpolation of the requested order.

    Parameters
    ----------
    input : array_like
        The input array.
    angle : float
        The rotation angle in degrees.
    axes : tuple of 2 ints, optional
        The two axes that define the plane of rotation. Default is the first
        two axes.
    reshape : bool, optional
        If `reshape` is true, the output shape is adapted so that the input
        array is contained completely in the output. Default is True.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the
        returned array. By default an array of the same dtype as input
        will be created.
    {interp_common}
    {workers}

    Returns
    -------
    rotate : ndarray
        The rotated input.

    Notes
    -----
    {interp_notes}

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import rotate
    >>> rotate(np.array([[1.0, 2.0], [3.0, 4.0]]), 90, order=0)
    array([[2., 4.],
           [1., 3.]])
    """
    from scipy import special

    input_arr = np.asarray(input)
    ndim = input_arr.ndim
    if ndim < 2:
        raise ValueError(f"input array should be at least 2D (got {ndim} dimensions)")
    axes = list(axes)
    if len(axes) != 2:
        raise ValueError(f"axes should contain exactly two values (got {axes})")
    if not all(float(ax).is_integer() for ax in axes):
        raise ValueError(f"axes should contain only integer values (got {axes})")
    if axes[0] < 0:
        axes[0] += ndim
    if axes[1] < 0:
        axes[1] += ndim
    if axes[0] < 0 or axes[1] < 0 or axes[0] >= ndim or axes[1] >= ndim:
        raise ValueError(f"invalid rotation plane specified (got axes {axes} for "
                         f"{ndim} dimensions)")
    axes.sort()
    c, s = special.cosdg(angle), special.sindg(angle)
    rot_matrix = np.array([[c, s], [-s, c]])
    img_shape = np.asarray(input_arr.shape)
    in_plane_shape = img_shape[axes]
    if reshape:
        iy, ix = in_plane_shape
        out_bounds = rot_matrix @ [[0, 0, iy, iy], [0, ix, 0, ix]]
        out_plane_shape = (np.ptp(out_bounds, axis=1) + 0.5).astype(int)
    else:
        out_plane_shape = img_shape[axes]
    out_center = rot_matrix @ ((out_plane_shape - 1) / 2)
    in_center = (in_plane_shape - 1) / 2
    offset = in_center - out_center
    output_shape = img_shape
    output_shape[axes] = out_plane_shape
    output_shape = tuple(output_shape)
    complex_output = np.iscomplexobj(input_arr)
    output = get_output(output, input_arr, shape=output_shape, complex_output=complex_output)
    check_order(order)
    if ndim <= 2:
        affine_transform(input_arr, rot_matrix, offset, output_shape, output, order, mode,
                         cval, prefilter, workers=workers)
        return output
    # planes parallel to the rotation axes, one after another
    planes = itertools.product(*[[slice(None)] if ax in axes else range(img_shape[ax])
                                 for ax in range(ndim)])
    out_plane_shape = tuple(out_plane_shape)
    for coordinates in planes:
        affine_transform(input_arr[coordinates], rot_matrix, offset, out_plane_shape,
                         output[coordinates], order, mode, cval, prefilter, workers=workers)
    return output
