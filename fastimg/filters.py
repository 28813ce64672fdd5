"""``skimage.filters`` mirror: ``gaussian``, ``sobel`` (here) and
``threshold_otsu``, ``threshold_multiotsu`` (from fastimg.threshold), as in
scikit-image 0.26.

scikit-image is not a run-time dependency: its dtype rules (``img_as_float``,
``_supported_float_type``) are re-stated here, and the filtering runs on
fastimg's own ``ndimage`` functions.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from . import convolution as _conv
from .threshold import threshold_multiotsu, threshold_otsu

__all__ = ["gaussian", "sobel", "threshold_otsu", "threshold_multiotsu"]

_FLOAT_KEEP = {np.dtype(np.float32): np.float32, np.dtype(np.float64): np.float64,
               np.dtype(np.complex64): np.complex64, np.dtype(np.complex128): np.complex128,
               np.dtype(np.float16): np.float32}


def _supported_float_type(dtype, allow_complex=False):
    """skimage's float policy: float32/64 (and complex) kept, float16 ->
    float32, everything else (bool, integers) -> float64."""
    dtype = np.dtype(dtype)
    if not allow_complex and dtype.kind == "c":
        raise ValueError(f"complex valued input is not supported (got dtype {dtype})")
    return _FLOAT_KEEP.get(dtype.newbyteorder("="), np.float64)


def _img_as_float(image):
    """skimage.util.img_as_float: integers scaled by ``1 / dtype max`` in
    float64 (signed ones clipped at -1), bool to 0/1, floats unchanged."""
    kind = image.dtype.kind
    if kind == "f":
        return image
    if kind == "b":
        return image.astype(np.float64)
    if kind in "ui":
        imax = np.iinfo(image.dtype).max
        out = np.multiply(image, 1.0 / imax, dtype=np.float64)
        if kind == "i":
            np.maximum(out, -1.0, out=out)
        return out
    raise ValueError(f"Cannot convert from {image.dtype} to float64.")


def _convert_to_float(image, preserve_range):
    if image.dtype == np.float16:
        return image.astype(np.float32)
    if preserve_range:
        if image.dtype.char not in "df":
            image = image.astype(float)
        return image
    return _img_as_float(image)


def gaussian(image, sigma=1.0, *, mode="nearest", cval=0, preserve_range=False,
             truncate=4.0, channel_axis=None, out=None, workers=None):
    """Multi-dimensional Gaussian filter.

    Drop-in for :func:`skimage.filters.gaussian` (scikit-image 0.26): integer
    and bool images are scaled to [0, 1] (or [-1, 1]) as float64 unless
    ``preserve_range``; float16 becomes float32; float32 stays float32;
    ``sigma`` is 0 along ``channel_axis``; the default ``mode`` is
    ``'nearest'``.

    Parameters
    ----------
    image : ndarray
        Input image (grayscale or color) to filter.
    sigma : scalar or sequence of scalars, optional
        Standard deviation for Gaussian kernel.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, optional
    cval : scalar, optional
    preserve_range : bool, optional
    truncate : float, optional
    channel_axis : int or None, optional
    out : ndarray, optional
        A float array to write the result into.
    workers : int or None, optional, keyword-only
        Threads for this call; not in scikit-image.

    Returns
    -------
    filtered_image : ndarray
        The filtered array.

    Notes
    -----
    Differences from scikit-image: none in results; ``workers`` is extra.
    """
    image = np.asarray(image)
    if np.any(np.asarray(sigma) < 0.0):
        raise ValueError(f"Sigma values less than zero are not valid (got sigma={sigma!r})")
    if channel_axis is not None:
        if not isinstance(sigma, Iterable):
            sigma = [sigma] * (image.ndim - 1)
        if len(sigma) == image.ndim - 1:
            sigma = list(sigma)
            sigma.insert(channel_axis % image.ndim, 0)
    image = _convert_to_float(image, preserve_range)
    image = image.astype(_supported_float_type(image.dtype), copy=False)
    if (out is not None) and (not np.issubdtype(out.dtype, np.floating)):
        raise ValueError(f"dtype of `out` must be float; got {out.dtype!r}.")
    return _conv.gaussian_filter(image, sigma, output=out, mode=mode, cval=cval,
                                 truncate=truncate, workers=workers)


_SOBEL_EDGE = np.array([1, 0, -1])
_SOBEL_SMOOTH = np.array([1, 2, 1]) / 4


def _along(arr, ndim, dim):
    shape = [1] * ndim
    shape[dim] = -1
    return np.reshape(arr, shape)


def _binary_erosion_full(mask):
    """Erosion by the full 3**ndim structuring element, outside = False."""
    mask = np.asarray(mask, dtype=bool)
    padded = np.pad(mask, 1, mode="constant", constant_values=False)
    out = np.ones(mask.shape, bool)
    for offs in np.ndindex(*(3,) * mask.ndim):
        out &= padded[tuple(slice(o, o + n) for o, n in zip(offs, mask.shape))]
    return out


def sobel(image, mask=None, *, axis=None, mode="reflect", cval=0.0, workers=None):
    """Find edges in an image using the Sobel filter.

    Drop-in for :func:`skimage.filters.sobel` (scikit-image 0.26): the
    normalised kernel ``[1, 0, -1] x [1, 2, 1]/4`` along every axis in
    ``axis`` (default: all), the magnitude ``sqrt(sum of squares) / sqrt(ndim)``
    when more than one axis is used, and results outside the eroded ``mask``
    set to 0.  Integer images are scaled with ``img_as_float``; float32 stays
    float32.

    Notes
    -----
    Differences from scikit-image: none in results; ``workers`` is extra.
    """
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
    for edge_dim in axes:
        kernel = _along(_SOBEL_EDGE, ndim, edge_dim)
        for smooth_dim in sorted(set(range(ndim)) - {edge_dim % ndim}):
            kernel = kernel * _along(_SOBEL_SMOOTH, ndim, smooth_dim)
        ax_output = _conv.convolve(image, kernel, mode=mode, cval=cval, workers=workers)
        if return_magnitude:
            ax_output *= ax_output
        output += ax_output
    if return_magnitude:
        output = np.sqrt(output) / np.sqrt(ndim, dtype=output.dtype)
    if mask is not None:
        output *= _binary_erosion_full(mask)
    return output
