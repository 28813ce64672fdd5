"""Public wrappers of ``resize`` and ``rescale`` (scikit-image 0.26
``skimage.transform``): an optional Gaussian (fastimg's
``gaussian_filter``, identical to SciPy's) then ``zoom(..., grid_mode=True)``
(fastimg's, identical to SciPy's), as scikit-image chains them."""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core.docs import fill_doc
from .._core.sk_args import convert_to_float
from .._core.warn import warn_at_caller
from .._separable import gaussian_filter
from .geometric import clip_warp_output, ndimage_mode, validate_order

__all__ = ["resize", "rescale", "resize_output_shape"]

_fill = fill_doc.with_texts(resize_options="""\
order : int, optional
    The order of the spline interpolation, default is 0 if image.dtype is
    bool and 1 otherwise. The order has to be in the range 0-5. See
    `skimage.transform.warp` for detail.
mode : {'constant', 'edge', 'symmetric', 'reflect', 'wrap'}, optional
    Points outside the boundaries of the input are filled according to the
    given mode.  Modes match the behaviour of `numpy.pad`.
cval : float, optional
    Used in conjunction with mode 'constant', the value outside the image
    boundaries.
clip : bool, optional
    Whether to clip the output to the range of values of the input image.
    This is enabled by default, since higher order interpolation may
    produce values outside the given input range.
preserve_range : bool, optional
    Whether to keep the original range of values. Otherwise, the input
    image is converted according to the conventions of `img_as_float`.""")


def resize_output_shape(image, output_shape):
    """skimage's ``_preprocess_resize_output_shape``."""
    output_shape = tuple(output_shape)
    output_ndim = len(output_shape)
    input_shape = image.shape
    if output_ndim > image.ndim:
        input_shape += (1,) * (output_ndim - image.ndim)
        image = np.reshape(image, input_shape)
    elif output_ndim == image.ndim - 1:
        output_shape = output_shape + (image.shape[-1],)
    elif output_ndim < image.ndim:
        raise ValueError("output_shape length cannot be smaller than the image number of "
                         f"dimensions (got output_shape {output_shape} for an image of "
                         f"shape {image.shape})")
    return image, output_shape


@_fill
def resize(image: npt.ArrayLike, output_shape, order=None, mode: str = "reflect",
           cval: float = 0, clip: bool = True, preserve_range: bool = False,
           anti_aliasing=None, anti_aliasing_sigma=None, *,
           workers: int | None = None) -> np.ndarray:
    """Resize image to match a certain size.

    Drop-in for :func:`skimage.transform.resize` (scikit-image 0.26):
    optional Gaussian anti-aliasing, then spline interpolation of the
    pixel grid (``zoom`` with ``grid_mode=True``).

    Parameters
    ----------
    image : ndarray
        Input image.
    output_shape : iterable
        Size of the generated output image `(rows, cols[, ...][, dim])`. If
        `dim` is not provided, the number of channels is preserved.
    {resize_options}
    anti_aliasing : bool, optional
        Whether to apply a Gaussian filter to smooth the image prior to
        downsampling. If not specified, it is set to True when downsampling
        an image whose data type is not bool, and False for nearest
        neighbor interpolation (``order == 0``) of integer images.
    anti_aliasing_sigma : {{float, tuple of floats}}, optional
        Standard deviation for Gaussian filtering used when anti-aliasing.
        By default, ``(s - 1) / 2`` where s is the downsampling factor.
    {workers}

    Returns
    -------
    resized : ndarray
        Resized version of the input: float64, float32 for float16/float32
        images, the input's dtype for ``order == 0``.

    Notes
    -----
    Differences from :func:`skimage.transform.resize`: none in results (the
    same Gaussian and zoom, fastimg's own, identical to SciPy's).  Unsigned
    colour images resized at order 1 without anti-aliasing, channels kept,
    are zoomed one channel plane at a time (the 3-D zoom reads the channel
    axis at whole coordinates, so with non-negative values and ``cval`` the
    result is the same bit for bit) without a float64 copy of the whole
    image.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import resize
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> resize(image, (2, 2), anti_aliasing=False, preserve_range=True).tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    from .._interpolation import zoom
    image = np.asarray(image)
    image, output_shape = resize_output_shape(image, output_shape)
    input_shape = image.shape
    input_type = image.dtype
    if input_type == np.float16:
        image = image.astype(np.float32)
    if anti_aliasing is None:
        anti_aliasing = (not input_type == bool
                         and not (np.issubdtype(input_type, np.integer) and order == 0)
                         and any(x < y for x, y in zip(output_shape, input_shape)))
    if input_type == bool and anti_aliasing:
        raise ValueError("anti_aliasing must be False for boolean images")
    factors = np.divide(input_shape, output_shape)
    order = validate_order(input_type, order)
    ndi_mode = ndimage_mode(mode)
    if (order == 1 and not anti_aliasing and input_type.kind == "u" and image.ndim == 3
            and factors[-1] == 1 and cval >= 0):
        return _resize_channels(image, factors, ndi_mode, mode, cval, clip, preserve_range,
                                workers)
    if order > 0:
        image = convert_to_float(image, preserve_range)
    if anti_aliasing:
        if anti_aliasing_sigma is None:
            anti_aliasing_sigma = np.maximum(0, (factors - 1) / 2)
        else:
            anti_aliasing_sigma = (np.atleast_1d(anti_aliasing_sigma)
                                   * np.ones_like(factors))
            if np.any(anti_aliasing_sigma < 0):
                raise ValueError("Anti-aliasing standard deviation must be greater than or "
                                 f"equal to zero (got {anti_aliasing_sigma})")
            elif np.any((anti_aliasing_sigma > 0) & (factors <= 1)):
                warn_at_caller("Anti-aliasing standard deviation greater than zero but not "
                               "down-sampling along all axes")
        filtered = _anti_alias(image, anti_aliasing_sigma, cval, ndi_mode, workers)
    else:
        filtered = image
    zoom_factors = [1 / f for f in factors]
    out = zoom(filtered, zoom_factors, order=order, mode=ndi_mode, cval=cval,
               grid_mode=True, workers=workers)
    clip_warp_output(image, out, mode, cval, clip)
    return out


def _anti_alias(image, sigma, cval, ndi_mode, workers):
    """SciPy's ``gaussian_filter(image, sigma, ...)``, as scikit-image calls
    it.  A last axis of a few channels with no blur (sigma 0, which SciPy
    skips) is filtered one channel plane at a time: the passes along the
    other axes treat every line alike, so the planes' results are the
    3-D call's bit for bit, and a pass along a middle axis of 3 elements
    per row is many times slower than the same pass over contiguous planes."""
    sigma = np.broadcast_to(np.asarray(sigma, dtype=np.float64), (image.ndim,))
    if not (image.ndim >= 3 and sigma[-1] <= 1e-15 and image.shape[-1] <= _FEW_CHANNELS
            and image.size and np.any(sigma[:-1] > 1e-15)):
        return gaussian_filter(image, sigma, cval=cval, mode=ndi_mode, workers=workers)
    out = np.empty(image.shape, image.dtype)
    for k in range(image.shape[-1]):
        out[..., k] = gaussian_filter(np.ascontiguousarray(image[..., k]), sigma[:-1],
                                      cval=cval, mode=ndi_mode, workers=workers)
    return out


#: channel counts filtered plane by plane in :func:`_anti_alias`
_FEW_CHANNELS = 16


def _resize_channels(image, factors, ndi_mode, mode, cval, clip, preserve_range, workers):
    """``resize`` at order 1 of an unsigned (colour) image whose last axis
    keeps its size, one channel plane at a time: SciPy's zoom reads that
    axis at whole coordinates (weights 1 and 0), and with non-negative,
    finite values and ``cval`` the zero-weight taps add +0.0 and change
    nothing, so each plane's 2-D zoom equals the 3-D zoom bit for bit
    (measured on every mode).  No float64 copy of the whole image."""
    from .._interpolation import zoom
    zoom_factors = [1 / f for f in factors[:-1]]
    out = None
    lo = hi = None
    for k in range(image.shape[-1]):
        raw = np.ascontiguousarray(image[..., k])
        res = zoom(convert_to_float(raw, preserve_range), zoom_factors, order=1, mode=ndi_mode,
                   cval=cval, grid_mode=True, workers=workers)
        if out is None:
            out = np.empty(res.shape + (image.shape[-1],), res.dtype)
        out[..., k] = res
        lo = raw.min() if lo is None else min(lo, raw.min())
        hi = raw.max() if hi is None else max(hi, raw.max())
    # the converted image's range: the conversion is increasing, so it is
    # the converted extremes of the integer image (cheaper than the floats')
    clip_warp_output(convert_to_float(np.array([lo, hi], image.dtype), preserve_range), out,
                     mode, cval, clip)
    return out


@_fill
def rescale(image: npt.ArrayLike, scale, order=None, mode: str = "reflect", cval: float = 0,
            clip: bool = True, preserve_range: bool = False, anti_aliasing=None,
            anti_aliasing_sigma=None, *, channel_axis=None,
            workers: int | None = None) -> np.ndarray:
    """Scale image by a certain factor.

    Drop-in for :func:`skimage.transform.rescale` (scikit-image 0.26): a
    :func:`resize` to ``round(scale * shape)`` (at least 1).

    Parameters
    ----------
    image : (M, N[, ...][, C]) ndarray
        Input image.
    scale : {{float, tuple of floats}}
        Scale factors for spatial dimensions. Separate scale factors can be
        defined as (m, n[, ...]).
    {resize_options}
    anti_aliasing : bool, optional
        Whether to apply a Gaussian filter to smooth the image prior to
        down-scaling. If input image data type is bool, no anti-aliasing is
        applied.
    anti_aliasing_sigma : {{float, tuple of floats}}, optional
        Standard deviation for Gaussian filtering to avoid aliasing
        artifacts. By default, ``(s - 1) / 2`` where s is the down-scaling
        factor.
    channel_axis : int or None, optional
        Keyword-only. If None, the image is assumed to be a grayscale
        (single channel) image. Otherwise, this parameter indicates which
        axis of the array corresponds to channels.
    {workers}

    Returns
    -------
    scaled : ndarray
        Scaled version of the input.

    Notes
    -----
    Differences from :func:`skimage.transform.rescale`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import rescale
    >>> rescale(np.zeros((10, 6)), 0.5).shape
    (5, 3)
    """
    image = np.asarray(image)
    if channel_axis is not None:
        axes = (channel_axis,) if np.isscalar(channel_axis) else tuple(channel_axis)
        if len(axes) > 1:
            raise ValueError("only a single channel axis is currently supported "
                             f"(got channel_axis={channel_axis!r})")
        if axes[0] != -1:
            moved = np.moveaxis(image, axes[0], -1)
            out = rescale(moved, scale, order, mode, cval, clip, preserve_range,
                          anti_aliasing, anti_aliasing_sigma, channel_axis=-1,
                          workers=workers)
            return np.moveaxis(out, -1, axes[0])
    scale = np.atleast_1d(scale)
    multichannel = channel_axis is not None
    if len(scale) > 1:
        if ((not multichannel and len(scale) != image.ndim)
                or (multichannel and len(scale) != image.ndim - 1)):
            raise ValueError("Supply a single scale, or one value per spatial axis "
                             f"(got {len(scale)} scales for an image of shape {image.shape})")
        if multichannel:
            scale = np.concatenate((scale, [1]))
    orig_shape = np.asarray(image.shape)
    output_shape = np.maximum(np.round(scale * orig_shape), 1)
    if multichannel:
        output_shape[-1] = orig_shape[-1]
    return resize(image, output_shape, order=order, mode=mode, cval=cval, clip=clip,
                  preserve_range=preserve_range, anti_aliasing=anti_aliasing,
                  anti_aliasing_sigma=anti_aliasing_sigma, workers=workers)
