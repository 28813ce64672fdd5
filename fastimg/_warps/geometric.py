"""Public wrappers of ``warp`` and ``rotate`` (scikit-image 0.26
``skimage.transform``).

scikit-image interpolates orders 1 and 3 of a 3x3 matrix (or a homography
transform object) on 2-D and 2-D colour images with its own Cython loop
(``_warp_fast``): fastimg runs the same loop jitted (``kernels.linear_rows``,
``kernels.cubic_rows``).
Every other call (orders 0, 2, 4, 5, callables, coordinate arrays, N-D
images) goes, as in scikit-image, through ``map_coordinates``, here
fastimg's own (``fastimg._interpolation``), on coordinates computed with
the same NumPy operations scikit-image uses.  Transform objects are
recognised by duck typing (a ``params`` matrix and a class named
``ProjectiveTransform`` in their MRO): scikit-image is not imported.
"""
from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .._core.arrays import contiguous_writable
from .._core.dispatch import run
from .._core.docs import fill_doc
from .._core.sk_args import convert_to_float
from .._core.warn import warn_at_caller
from . import kernels as k

__all__ = ["warp", "rotate", "validate_order", "ndimage_mode", "clip_warp_output"]

_NDI_MODES = {"constant": "grid-constant", "edge": "nearest", "symmetric": "reflect",
              "reflect": "mirror", "wrap": "grid-wrap"}

_ORDER2_WARNING = (
    "Bi-quadratic interpolation behavior has changed due to a bug in the implementation "
    "of scikit-image. The new version now serves as a wrapper around SciPy's "
    "interpolation functions, which itself is not verified to be a correct "
    "implementation. Until skimage's implementation is fixed, we recommend to use "
    "bi-linear or bi-cubic interpolation instead.")


def validate_order(dtype, order):
    """skimage's ``_validate_interpolation_order``."""
    if order is None:
        return 0 if dtype == bool else 1
    if order < 0 or order > 5:
        raise ValueError("Spline interpolation order has to be in the range 0-5 "
                         f"(got order={order!r}).")
    if dtype == bool and order != 0:
        raise ValueError("Input image dtype is bool. Interpolation is not defined with bool "
                         "data type. Please set order to 0 or explicitly cast input image "
                         f"to another data type (got order={order!r}).")
    return order


def ndimage_mode(mode):
    """skimage's ``_to_ndimage_mode`` (numpy.pad name -> ndimage's)."""
    if mode not in _NDI_MODES:
        raise ValueError(f"Unknown mode: '{mode}', or cannot translate mode. The mode should "
                         "be one of 'constant', 'edge', 'symmetric', 'reflect', or 'wrap'. "
                         "See the documentation of numpy.pad for more info.")
    return _NDI_MODES[mode]


def clip_warp_output(input_image, output_image, mode, cval, clip):
    """skimage's ``_clip_warp_output``: clip ``output_image`` in place to the
    input's range (NaN-safe), widened to ``cval`` when constant padding put
    it in the output."""
    if not clip:
        return
    min_val = np.min(input_image)
    if np.isnan(min_val):
        min_func, max_func = np.nanmin, np.nanmax
        min_val = min_func(input_image)
    else:
        min_func, max_func = np.min, np.max
    max_val = max_func(input_image)
    preserve_cval = (mode == "constant" and not min_val <= cval <= max_val
                     and min_func(output_image) <= cval <= max_func(output_image))
    if preserve_cval:
        cval = input_image.dtype.type(cval)
        min_val = min(min_val, cval)
        max_val = max(max_val, cval)
    np.clip(output_image, np.asarray(min_val), np.asarray(max_val), out=output_image)


def _is_homography(obj):
    """A scikit-image ProjectiveTransform (or subclass: Affine, Similarity,
    Euclidean), recognised without importing scikit-image."""
    return any(c.__name__ == "ProjectiveTransform" and c.__module__.startswith("skimage")
               for c in type(obj).__mro__) and hasattr(obj, "params")


def _fast_matrix(inverse_map):
    """The 3x3 matrix skimage's fast path uses, or None."""
    if isinstance(inverse_map, np.ndarray) and inverse_map.shape == (3, 3):
        return inverse_map
    if _is_homography(inverse_map):
        return inverse_map.params
    if (getattr(inverse_map, "__name__", None) == "inverse"
            and _is_homography(getattr(inverse_map, "__self__", None))):
        return np.linalg.inv(inverse_map.__self__.params)
    return None


def _as_int_shape(val, atol=1e-3):
    """skimage's ``safe_as_int``."""
    mod = np.asarray(val) % 1
    if mod.ndim == 0:
        if mod > 0.5:
            mod = 1 - mod
    else:
        mod[mod > 0.5] = 1 - mod[mod > 0.5]
    if not np.allclose(mod, 0, atol=atol):
        raise ValueError(f"Integer argument required but received {val}, check inputs.")
    return np.round(val).astype(np.int64)


def _warp_fast(image, matrix, output_shape, order, mode, cval, workers):
    """skimage's ``_warp_fast`` on each channel of a 2-D or 2-D colour
    float image (the channels share one pass over the output)."""
    if mode not in k.MODES:
        raise ValueError("Invalid mode specified.  Please use `constant`, `edge`, `wrap`, "
                         f"`reflect` or `symmetric` (got mode={mode!r}).")
    dtype = image.dtype.type
    m = contiguous_writable(matrix.astype(dtype).ravel())
    if m[6] == 0 and m[7] == 0 and m[8] == 1:
        kind = k.METRIC if (m[1] == 0 and m[3] == 0) else k.AFFINE
    else:
        kind = k.PROJECTIVE
    img3 = contiguous_writable(image if image.ndim == 3 else image[:, :, None])
    out_r, out_c = int(output_shape[0]), int(output_shape[1])
    out = np.zeros((out_r, out_c, img3.shape[2]), dtype)
    if out.size:
        cost = 6.0 if order == 1 else 25.0
        core = k.linear_rows if order == 1 else k.cubic_rows
        run(core, (img3, m, kind, k.MODES[mode], dtype(cval), out),
            items=out_r, size=out.size, cost=cost, workers=workers)
    return out if image.ndim == 3 else out[:, :, 0]


def _apply_matrix(matrix, points):
    """skimage's ``ProjectiveTransform.__call__`` (``_apply_homogeneous``),
    the same NumPy operations."""
    points = np.array(points, copy=None, ndmin=2)
    points_h = np.hstack((points, np.ones((len(points), 1))))
    new_points_h = points_h @ matrix.T
    divs = new_points_h[:, -1]
    divs = np.where(divs == 0, np.finfo(float).eps, divs)
    return new_points_h[:, :-1] / divs[:, None]


def _warp_coords(coord_map, shape):
    """skimage's ``warp_coords`` (float64)."""
    shape = _as_int_shape(shape)
    rows, cols = shape[0], shape[1]
    coords_shape = [len(shape), rows, cols]
    if len(shape) == 3:
        coords_shape.append(shape[2])
    coords = np.empty(coords_shape, dtype=np.float64)
    tf_coords = np.indices((cols, rows), dtype=np.float64).reshape(2, -1).T
    tf_coords = coord_map(tf_coords)
    tf_coords = tf_coords.T.reshape((-1, cols, rows)).swapaxes(1, 2)
    for dst, src in ((coords[1, ...], tf_coords[0, ...]), (coords[0, ...], tf_coords[1, ...])):
        if dst.ndim == 3:
            dst[:] = src[:, :, np.newaxis]
        else:
            dst[:] = src
    if len(shape) == 3:
        coords[2, ...] = range(shape[2])
    return coords


#: points per block of :func:`_matrix_coords`: NumPy's temporaries stay
#: small and are reused (whole-image temporaries cost more in page faults
#: than the arithmetic: 0.3 s for a 2048x2048 ``hstack`` on a loaded box)
_BLOCK_POINTS = 1 << 15


def _plain_matrix(inverse_map, map_args):
    """The matrix of a ``_warp_coords`` whose map is skimage's
    ``_apply_homogeneous`` (a 3x3 array, or a homography whose call is
    ``ProjectiveTransform.__call__``), else None."""
    if map_args:
        return None
    if isinstance(inverse_map, np.ndarray):
        return inverse_map if inverse_map.shape == (3, 3) else None
    if not _is_homography(inverse_map):
        return None
    base = next(c for c in type(inverse_map).__mro__ if c.__name__ == "ProjectiveTransform")
    return inverse_map.params if type(inverse_map).__call__ is base.__call__ else None


def _matrix_coords(matrix, rows, cols):
    """``_warp_coords(lambda p: _apply_matrix(matrix, p), (rows, cols))``
    in blocks of output rows: per point the same NumPy operations (the
    homogeneous product, the guarded division), so the same values; each
    point's product reads only its own row, whatever the block's length."""
    coords = np.empty((2, rows, cols))
    step = max(1, _BLOCK_POINTS // max(cols, 1))
    xs = np.arange(cols, dtype=np.float64)
    eps = np.finfo(float).eps
    for r0 in range(0, rows, step):
        r1 = min(rows, r0 + step)
        points_h = np.empty(((r1 - r0) * cols, 3))
        points_h[:, 0] = np.tile(xs, r1 - r0)
        points_h[:, 1] = np.repeat(np.arange(r0, r1, dtype=np.float64), cols)
        points_h[:, 2] = 1.0
        new_points_h = points_h @ matrix.T
        divs = new_points_h[:, -1]
        divs = np.where(divs == 0, eps, divs)
        res = new_points_h[:, :-1] / divs[:, None]
        coords[1, r0:r1] = res[:, 0].reshape(r1 - r0, cols)
        coords[0, r0:r1] = res[:, 1].reshape(r1 - r0, cols)
    return coords


def _warp_general(image, inverse_map, map_args, output_shape, input_shape, order, mode,
                  cval, workers):
    """skimage's ``ndi.map_coordinates`` branch, on fastimg's map_coordinates."""
    from .._interpolation import map_coordinates
    matrix = _plain_matrix(inverse_map, map_args)
    if matrix is not None and image.ndim in (2, 3):
        out_shape = tuple(int(v) for v in _as_int_shape(output_shape))
        if image.ndim == 3 and len(out_shape) == 2:
            out_shape = out_shape + (int(input_shape[2]),)
        if len(out_shape) == image.ndim:
            return _warp_matrix(image, matrix, out_shape, order, mode, cval, workers)
    if isinstance(inverse_map, np.ndarray) and inverse_map.shape == (3, 3):
        matrix = np.asarray(inverse_map)

        def inverse_map(coords):
            return _apply_matrix(matrix, coords)
    if isinstance(inverse_map, np.ndarray):
        coords = inverse_map
    else:
        if image.ndim < 2 or image.ndim > 3:
            raise ValueError("Only 2-D images (grayscale or color) are supported, when "
                             "providing a callable `inverse_map` "
                             f"(got an image of shape {image.shape}).")

        def coord_map(*args):
            return inverse_map(*args, **map_args)

        if len(input_shape) == 3 and len(output_shape) == 2:
            output_shape = (output_shape[0], output_shape[1], input_shape[2])
        coords = _warp_coords(coord_map, output_shape)
    return map_coordinates(image, coords, prefilter=order > 1, mode=ndimage_mode(mode),
                           order=order, cval=cval, workers=workers)


def _warp_matrix(image, matrix, out_shape, order, mode, cval, workers):
    """The general branch for a matrix map: 2-D coordinates in blocks, and
    a colour image at order 0 one channel plane at a time (the 3-D call
    reads channel k at the whole coordinate k, one tap and no weight: the
    same values)."""
    from .._interpolation import map_coordinates
    coords = _matrix_coords(matrix, out_shape[0], out_shape[1])
    kw = dict(prefilter=order > 1, mode=ndimage_mode(mode), order=order, cval=cval,
              workers=workers)
    if image.ndim == 2:
        return map_coordinates(image, coords, **kw)
    if order == 0 and out_shape[2] == image.shape[2]:
        out = np.empty(out_shape, image.dtype)
        for k in range(out_shape[2]):
            out[..., k] = map_coordinates(np.ascontiguousarray(image[..., k]), coords, **kw)
        return out
    full = np.empty((3,) + out_shape)
    full[:2] = coords[..., None]
    full[2] = np.arange(out_shape[2], dtype=np.float64)
    return map_coordinates(image, full, **kw)


@fill_doc
def warp(image: npt.ArrayLike, inverse_map, map_args=None, output_shape=None, order=None,
         mode: str = "constant", cval: float = 0.0, clip: bool = True,
         preserve_range: bool = False, *, workers: int | None = None) -> np.ndarray:
    """Warp an image according to a given coordinate transformation.

    Drop-in for :func:`skimage.transform.warp` (scikit-image 0.26): each
    output pixel reads the input at ``inverse_map`` of its coordinates.

    Parameters
    ----------
    image : ndarray
        Input image.
    inverse_map : transformation object, callable ``cr = f(cr, **kwargs)``, or ndarray
        Inverse coordinate map, which transforms coordinates in the output
        image into their corresponding coordinates in the input image: a
        ``(3, 3)`` homogeneous matrix or a scikit-image homography object
        (``ProjectiveTransform``, ``AffineTransform``,
        ``SimilarityTransform``, ``EuclideanTransform`` or their
        ``.inverse``) for 2-D images; a function mapping a ``(M, 2)`` array
        of ``(col, row)`` output coordinates to input coordinates (extra
        arguments in `map_args`); or, for N-D images, an array of input
        coordinates of shape ``(image.ndim, *output_shape)``.
    map_args : dict, optional
        Keyword arguments passed to `inverse_map`.
    output_shape : tuple (rows, cols), optional
        Shape of the output image generated. By default the shape of the
        input image is preserved.  Even for multi-band images, only rows and
        columns need to be specified.
    order : int, optional
        The order of interpolation, 0-5: 0 nearest-neighbor, 1 bi-linear
        (default), 2 bi-quadratic, 3 bi-cubic, 4 bi-quartic, 5 bi-quintic.
        Default is 0 if image.dtype is bool and 1 otherwise.
    mode : {'constant', 'edge', 'symmetric', 'reflect', 'wrap'}, optional
        Points outside the boundaries of the input are filled according
        to the given mode.  Modes match the behaviour of `numpy.pad`.
    cval : float, optional
        Used in conjunction with mode 'constant', the value outside
        the image boundaries.
    clip : bool, optional
        Whether to clip the output to the range of values of the input
        image (on by default: higher orders overshoot).
    preserve_range : bool, optional
        Whether to keep the original range of values. Otherwise, the input
        image is converted according to the conventions of `img_as_float`.
    {workers}

    Returns
    -------
    warped : ndarray
        The warped input image: float64, or float32 for float16/float32
        images; the input's dtype for order 0.

    Notes
    -----
    Differences from :func:`skimage.transform.warp`: none in results.
    Orders 1 and 3 with a matrix or a homography object on 2-D (colour)
    images run scikit-image's own bilinear / Catmull-Rom interpolation
    (numpy.pad's modes, the image's float type), jitted, all channels in
    one pass; every other call goes, as in scikit-image, through
    ``map_coordinates`` (fastimg's, identical to SciPy's) on coordinates
    computed by the same NumPy operations, a Python `inverse_map` being
    called exactly as scikit-image calls it.  Read-only and big-endian float
    images, which scikit-image's fast path rejects (``ValueError: buffer
    source array is read-only``, ``Big-endian buffer not supported``), are
    warped like a native, writable copy.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import warp
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> shift = np.array([[1.0, 0, 1], [0, 1, 0], [0, 0, 1]])  # read one column right
    >>> warp(image, shift, preserve_range=True)[0].tolist()
    [1.0, 2.0, 3.0, 0.0]
    """
    if map_args is None:
        map_args = {}
    image = np.asarray(image)
    if image.size == 0:
        raise ValueError("Cannot warp empty image with dimensions", image.shape)
    order = validate_order(image.dtype, order)
    if order > 0:
        image = convert_to_float(image, preserve_range)
        if image.dtype == np.float16:
            image = image.astype(np.float32)
    input_shape = np.array(image.shape)
    output_shape = input_shape if output_shape is None else _as_int_shape(output_shape)
    if order == 2:
        warn_at_caller(_ORDER2_WARNING)
    warped = None
    if order in (1, 3) and not map_args and image.ndim in (2, 3):
        matrix = _fast_matrix(inverse_map)
        if matrix is not None:
            warped = _warp_fast(image, np.asarray(matrix), output_shape, order, mode, cval,
                                workers)
    if warped is None:
        warped = _warp_general(image, inverse_map, map_args, output_shape, input_shape,
                               order, mode, cval, workers)
    clip_warp_output(image, warped, mode, cval, clip)
    return warped


def _similarity(rotation=0.0, translation=(0.0, 0.0)):
    """``SimilarityTransform(rotation=..., translation=...).params``."""
    matrix = np.eye(3)
    cos_r, sin_r = math.cos(rotation), math.sin(rotation)
    matrix[:2, :2] = [[cos_r, -sin_r], [sin_r, cos_r]]
    matrix[0:2, 2] = translation
    return matrix


@fill_doc
def rotate(image: npt.ArrayLike, angle: float, resize: bool = False, center=None,
           order=None, mode: str = "constant", cval: float = 0, clip: bool = True,
           preserve_range: bool = False, *, workers: int | None = None) -> np.ndarray:
    """Rotate image by a certain angle around its center.

    Drop-in for :func:`skimage.transform.rotate` (scikit-image 0.26): a
    :func:`warp` by the similarity transform that rotates about `center`.

    Parameters
    ----------
    image : ndarray
        Input image.
    angle : float
        Rotation angle in degrees in counter-clockwise direction.
    resize : bool, optional
        Determine whether the shape of the output image will be
        automatically calculated, so the complete rotated image exactly
        fits. Default is False.
    center : iterable of length 2
        The rotation center. If ``center=None``, the image is rotated around
        its center, i.e. ``center=(cols / 2 - 0.5, rows / 2 - 0.5)``.  This
        parameter is (cols, rows), contrary to normal skimage ordering.
    order : int, optional
        The order of the spline interpolation, default is 0 if image.dtype
        is bool and 1 otherwise. The order has to be in the range 0-5. See
        `warp` for detail.
    mode : {'constant', 'edge', 'symmetric', 'reflect', 'wrap'}, optional
        Points outside the boundaries of the input are filled according to
        the given mode.  Modes match the behaviour of `numpy.pad`.
    cval : float, optional
        Used in conjunction with mode 'constant', the value outside the
        image boundaries.
    clip : bool, optional
        Whether to clip the output to the range of values of the input
        image.
    preserve_range : bool, optional
        Whether to keep the original range of values. Otherwise, the input
        image is converted according to the conventions of `img_as_float`.
    {workers}

    Returns
    -------
    rotated : ndarray
        Rotated version of the input.

    Notes
    -----
    Differences from :func:`skimage.transform.rotate`: none in results (the
    transform is composed with the same NumPy matrix products);
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import rotate
    >>> image = np.zeros((3, 3))
    >>> image[0, 1] = 1
    >>> np.round(rotate(image, 90), 6).tolist()
    [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    image = np.asarray(image)
    rows, cols = image.shape[0], image.shape[1]
    if image.dtype == np.float16:
        image = image.astype(np.float32)
    center = np.array((cols, rows)) / 2.0 - 0.5 if center is None else np.asarray(center)
    t1 = _similarity(translation=center)
    t2 = _similarity(rotation=np.deg2rad(angle))
    t3 = _similarity(translation=-center)
    # skimage's ``tform3 + tform2 + tform1``: (t3 then t2) then t1
    params = t1 @ (t2 @ t3)
    output_shape = None
    if resize:
        corners = np.array([[0, 0], [0, rows - 1], [cols - 1, rows - 1], [cols - 1, 0]])
        corners = _apply_matrix(np.linalg.inv(params), corners)
        minc, minr = corners[:, 0].min(), corners[:, 1].min()
        maxc, maxr = corners[:, 0].max(), corners[:, 1].max()
        output_shape = np.around((maxr - minr + 1, maxc - minc + 1))
        params = params @ _similarity(translation=(minc, minr))
    params[2] = (0, 0, 1)
    return warp(image, params, output_shape=output_shape, order=order, mode=mode, cval=cval,
                clip=clip, preserve_range=preserve_range, workers=workers)
