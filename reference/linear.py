"""Reference (oracle) ``skimage.filters`` functions with scikit-image 0.26 semantics.

Built only on NumPy, :mod:`reference.correlation` and :mod:`reference.separable`
(SciPy 1.17 ndimage rules).

Rules encoded:

Float conversion (``skimage._shared.utils`` / ``skimage.util.dtype``)
    float16 -> float32; float32 and float64 kept; bool -> float64 (0/1); unsigned ints
    -> ``x * (1.0 / iinfo.max)`` in float64; signed ints -> ``x * (1.0 / iinfo.max)``
    then ``max(., -1.0)`` (so int8 -128 -> -1, 127 -> 1).  ``preserve_range=True``:
    non-float dtypes are cast with ``astype(float)`` instead (no scaling).  Complex:
    ``ValueError("Cannot convert from complex128 to float64.")``.

gaussian
    sigma < 0 anywhere: ValueError.  With ``channel_axis`` a scalar sigma is repeated
    for the spatial axes and 0 inserted at the channel axis (sigma 0 = axis skipped).
    Then ``gaussian_filter(image, sigma, output=out, mode, cval, truncate)``; ``out``
    must have a floating dtype (ValueError otherwise).  Default mode ``nearest``.

sobel
    Kernel per axis = outer product of edge [1, 0, -1] along that axis and smooth
    [1, 2, 1] / 4 along every other axis, applied with ndimage ``convolve`` (so the
    image is correlated with the reversed kernel; zero weights are skipped).  One
    axis: the result is ``0 + response`` (turns -0.0 into 0.0).  Several axes
    (``axis=None``: all): ``sqrt(sum of squares) / sqrt(ndim)`` computed in the image
    float dtype, squares and sum in that dtype.  ``mask``: eroded with a full 3**ndim
    neighbourhood and border value 0 (pixels touching the border or a False pixel
    become False), then ``result *= eroded`` (so NaN stays NaN under the mask).
"""

from collections.abc import Iterable

import numpy as np

from . import correlation as _correlation
from . import separable as _separable

__all__ = ["gaussian", "sobel"]

_FLOAT_TYPES = {"e": np.float32, "f": np.float32, "d": np.float64, "g": np.float64}


def _supported_float_type(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        raise ValueError("complex valued input is not supported")
    return _FLOAT_TYPES.get(dtype.char, np.float64)


def _img_as_float(image):
    """skimage ``img_as_float``: floats untouched, ints scaled by 1/max, bool -> 0/1."""
    image = np.asarray(image)
    kind = image.dtype.kind
    if kind == "f":
        return image
    if kind == "b":
        return image.astype(np.float64)
    if kind == "u":
        return np.multiply(image, 1.0 / np.iinfo(image.dtype).max, dtype=np.float64)
    if kind == "i":
        scaled = np.multiply(image, 1.0 / np.iinfo(image.dtype).max, dtype=np.float64)
        return np.maximum(scaled, -1.0)
    raise ValueError(f"Cannot convert from {image.dtype} to float64.")


def _convert_to_float(image, preserve_range):
    if image.dtype == np.float16:
        return image.astype(np.float32)
    if preserve_range:
        if image.dtype.char not in "df":
            image = image.astype(float)
        return image
    return _img_as_float(image)


def gaussian(image, sigma=1.0, *, mode='nearest', cval=0, preserve_range=False,
             truncate=4.0, channel_axis=None, out=None):
    """Gaussian smoothing (``skimage.filters.gaussian``)."""
    if np.any(np.asarray(sigma) < 0.0):
        raise ValueError("Sigma values less than zero are not valid")
    if channel_axis is not None:  # never smooth across channels
        if not isinstance(sigma, Iterable):
            sigma = [sigma] * (image.ndim - 1)
        if len(sigma) == image.ndim - 1:
            sigma = list(sigma)
            sigma.insert(channel_axis % image.ndim, 0)
    image = _convert_to_float(image, preserve_range)
    image = image.astype(_supported_float_type(image.dtype), copy=False)
    if out is not None and not np.issubdtype(out.dtype, np.floating):
        raise ValueError(f"dtype of `out` must be float; got {out.dtype!r}.")
    return _separable.gaussian_filter(image, sigma, output=out, mode=mode, cval=cval,
                                     truncate=truncate)


def _binary_erosion_full(mask):
    """Erosion with the full 3**ndim structuring element, outside the image = False."""
    mask = np.asarray(mask) != 0
    padded = np.pad(mask, 1, mode="constant", constant_values=False)
    eroded = np.ones(mask.shape, dtype=bool)
    for offset in np.ndindex(*(3,) * mask.ndim):
        eroded &= padded[tuple(slice(o, o + n) for o, n in zip(offset, mask.shape))]
    return eroded


def _along(values, ndim, dim):
    shape = [1] * ndim
    shape[dim] = -1
    return np.reshape(values, shape)


def sobel(image, mask=None, *, axis=None, mode='reflect', cval=0.0):
    """Sobel edge magnitude (or one axis' response) (``skimage.filters.sobel``)."""
    image = np.asarray(image)
    ndim = image.ndim
    if axis is None:
        axes = list(range(ndim))
    elif np.isscalar(axis):
        axes = [axis]
    else:
        axes = axis
    return_magnitude = len(axes) > 1
    if image.dtype.kind == "f":
        image = image.astype(_supported_float_type(image.dtype), copy=False)
    else:
        image = _img_as_float(image)
    output = np.zeros(image.shape, dtype=image.dtype)
    edge = [1, 0, -1]
    smooth = np.array([1, 2, 1]) / 4
    for edge_dim in axes:
        kernel = _along(edge, ndim, edge_dim)
        for smooth_dim in list(set(range(ndim)) - {edge_dim}):
            kernel = kernel * _along(smooth, ndim, smooth_dim)
        response = _correlation.convolve(image, kernel, mode=mode, cval=cval)
        if return_magnitude:
            response *= response
        output += response
    if return_magnitude:
        output = np.sqrt(output) / np.sqrt(ndim, dtype=output.dtype)
    if mask is not None:
        output *= _binary_erosion_full(mask)
    return output
