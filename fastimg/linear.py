"""Public wrappers of the linear family: scikit-image 0.26's ``gaussian`` and
``sobel`` (``skimage.filters``).

scikit-image's dtype rules come from ``_sk_args``; the filtering runs on the
separable and correlate families.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._sk_args import convert_to_float, img_as_float, supported_float_type
from .correlation import convolve
from .separable import gaussian_filter

__all__ = ["gaussian", "sobel"]

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
    image = convert_to_float(image, preserve_range)
    image = image.astype(supported_float_type(image.dtype), copy=False)
    if (out is not None) and (not np.issubdtype(out.dtype, np.floating)):
        raise ValueError(f"dtype of `out` must be float; got {out.dtype!r}.")
    return gaussian_filter(image, sigma, output=out, mode=mode, cval=cval,
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
        image = image.astype(supported_float_type(image.dtype), copy=False)
    else:
        image = img_as_float(image)
    output = np.zeros(image.shape, dtype=image.dtype)
    for edge_dim in axes:
        kernel = _along(_SOBEL_EDGE, ndim, edge_dim)
        # skimage removes ``edge_dim`` as given: a negative axis is not
        # removed, so every axis (the edge axis too) is smoothed
        for smooth_dim in sorted(set(range(ndim)) - {edge_dim}):
            kernel = kernel * _along(_SOBEL_SMOOTH, ndim, smooth_dim)
        ax_output = convolve(image, kernel, mode=mode, cval=cval, workers=workers)
        if return_magnitude:
            ax_output *= ax_output
        output += ax_output
    if return_magnitude:
        output = np.sqrt(output) / np.sqrt(ndim, dtype=output.dtype)
    if mask is not None:
        output *= _binary_erosion_full(mask)
    return output
