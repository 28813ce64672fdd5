"""Public wrappers of the linear family: scikit-image 0.26's ``gaussian`` and
``sobel`` (``skimage.filters``).

scikit-image's dtype rules come from ``fastimg._core.sk_args``; the
filtering runs on the separable and correlation families' public functions.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .._core.docs import fill_doc
from .._core.sk_args import convert_to_float, img_as_float, supported_float_type
from .._correlation import convolve
from .._separable import gaussian_filter

__all__ = ["gaussian", "sobel"]

@fill_doc
def gaussian(image: npt.ArrayLike, sigma: float | Sequence[float] = 1.0, *,
             mode: str = "nearest", cval: float = 0, preserve_range: bool = False,
             truncate: float = 4.0, channel_axis: int | None = None,
             out: np.ndarray | None = None, workers: int | None = None) -> np.ndarray:
    """Multi-dimensional Gaussian filter.

    Drop-in for :func:`skimage.filters.gaussian` (scikit-image 0.26): integer
    and bool images are scaled to [0, 1] (or [-1, 1]) as float64 unless
    ``preserve_range``; float16 becomes float32; float32 stays float32;
    ``sigma`` is 0 along ``channel_axis``; the default ``mode`` is
    ``'nearest'``.

    Parameters
    ----------
    image : array_like
        Input image (grayscale or color) to filter.
    sigma : scalar or sequence of scalars, optional
        Standard deviation for Gaussian kernel. The standard
        deviations of the Gaussian filter are given for each axis as a
        sequence, or as a single number, in which case it is equal for
        all axes.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, optional
        Keyword-only. The ``mode`` parameter determines how the array
        borders are handled, where ``cval`` is the value when mode is equal
        to 'constant'. Default is 'nearest'.
    cval : scalar, optional
        Keyword-only. Value to fill past edges of input if ``mode`` is
        'constant'. Default is 0.
    preserve_range : bool, optional
        Keyword-only. If True, keep the original range of values.
        Otherwise, the input ``image`` is converted according to the
        conventions of ``img_as_float`` (normalized first to values
        [-1.0 ; 1.0] or [0 ; 1.0] depending on dtype of input).
    truncate : float, optional
        Keyword-only. Truncate the filter at this many standard deviations.
        Default is 4.0.
    channel_axis : int or None, optional
        Keyword-only. If None, the image is assumed to be a grayscale
        (single channel) image. Otherwise, this parameter indicates which
        axis of the array corresponds to channels (not filtered).
    out : ndarray, optional
        Keyword-only. A floating-point array to store the filtered image
        in; it is also returned.
    {workers}

    Returns
    -------
    filtered_image : ndarray
        The filtered array.

    Notes
    -----
    Differences from :func:`skimage.filters.gaussian`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> image = np.zeros((3, 3))
    >>> image[1, 1] = 1
    >>> np.round(filters.gaussian(image, sigma=0.5), 3).tolist()
    [[0.011, 0.084, 0.011], [0.084, 0.619, 0.084], [0.011, 0.084, 0.011]]
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


@fill_doc
def sobel(image: npt.ArrayLike, mask: npt.ArrayLike | None = None, *,
          axis: int | Sequence[int] | None = None, mode: str = "reflect",
          cval: float = 0.0, workers: int | None = None) -> np.ndarray:
    """Find edges in an image using the Sobel filter.

    Drop-in for :func:`skimage.filters.sobel` (scikit-image 0.26): the
    normalised kernel ``[1, 0, -1] x [1, 2, 1]/4`` along every axis in
    ``axis`` (default: all), the magnitude ``sqrt(sum of squares) / sqrt(ndim)``
    when more than one axis is used, and results outside the eroded ``mask``
    set to 0.  Integer images are scaled with ``img_as_float``; float32 stays
    float32.

    Parameters
    ----------
    image : array_like
        The input image.
    mask : array of bool, optional
        Clip the output image to this mask. (Values where mask=0 will be set
        to 0.)
    axis : int or sequence of int, optional
        Keyword-only. Compute the edge filter along this axis. If not
        provided, the edge magnitude is computed. This is defined as::

            sobel_mag = np.sqrt(sum([sobel(image, axis=i)**2
                                     for i in range(image.ndim)]) / image.ndim)

        The magnitude is also computed if axis is a sequence.
    mode : str, optional
        Keyword-only. The boundary mode for the convolution, one of the
        modes of :func:`scipy.ndimage.convolve`. Default is 'reflect'.
        (scikit-image's docstring also allows one mode per axis, but
        scikit-image 0.26 raises ``RuntimeError`` for a sequence of modes,
        as fastimg does.)
    cval : float, optional
        Keyword-only. When `mode` is ``'constant'``, this is the constant
        used in values outside the boundary of the image data.
    {workers}

    Returns
    -------
    output : ndarray of float
        The Sobel edge map.

    Notes
    -----
    Differences from :func:`skimage.filters.sobel`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> image = np.zeros((4, 5))
    >>> image[:, 2:] = 1
    >>> np.round(filters.sobel(image), 3)[0].tolist()
    [0.0, 0.707, 0.707, 0.0, 0.0]
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
