"""Public wrappers of ``downscale_local_mean``, ``resize_local_mean`` and
``integral_image`` (scikit-image 0.26 ``skimage.transform``).

``downscale_local_mean`` is skimage's ``block_reduce(image, factors,
np.mean, cval)``: the block means are summed in NumPy's order (see
``kernels.block_mean_rows``).  ``integral_image`` is a cumulative sum per
axis in NumPy's accumulator types.
"""
from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .._core.arrays import contiguous_writable
from .._core.dispatch import run
from .._core.docs import fill_doc
from .._core.sk_args import convert_to_float
from . import kernels as k
from .scaling import resize_output_shape

__all__ = ["downscale_local_mean", "resize_local_mean", "integral_image"]

#: Image dtypes the block-mean kernel reads (others: NumPy's own mean).
_MEAN_DTYPES = {np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64, np.int8,
                                      np.int16, np.int32, np.int64, np.float32, np.float64,
                                      np.float16, np.bool_)}


def _numpy_block_mean(image, factors):
    """``np.mean`` over the blocks of a padded image (skimage's
    ``view_as_blocks`` + ``np.mean``), for layouts the kernel does not
    take: N-D images, complex dtypes, views that are not C-contiguous (whose
    summation order NumPy takes from their strides)."""
    shape = tuple(s // f for s, f in zip(image.shape, factors)) + tuple(factors)
    strides = tuple(st * f for st, f in zip(image.strides, factors)) + image.strides
    blocked = np.lib.stride_tricks.as_strided(image, shape, strides, writeable=False)
    return np.mean(blocked, axis=tuple(range(image.ndim, blocked.ndim)))


@fill_doc
def downscale_local_mean(image: npt.ArrayLike, factors, cval: float = 0, clip: bool = True,
                         *, workers: int | None = None) -> np.ndarray:
    """Down-sample N-dimensional image by local averaging.

    Drop-in for :func:`skimage.transform.downscale_local_mean`
    (scikit-image 0.26): the mean of each block of ``factors`` pixels; the
    image is padded with `cval` at the end of each axis not divisible by
    its factor.

    Parameters
    ----------
    image : (M[, ...]) ndarray
        Input image.
    factors : array_like
        Array containing down-sampling integer factor along each axis.
    cval : float, optional
        Constant padding value if image is not perfectly divisible by the
        integer factors.
    clip : bool, optional
        Unused, but kept here for API consistency with the other transforms.
    {workers}

    Returns
    -------
    image : ndarray
        Down-sampled image with same number of dimensions as input image:
        float64 for integer and bool images, the float type of float images
        (see :func:`numpy.mean`).

    Notes
    -----
    Differences from :func:`skimage.transform.downscale_local_mean`: none
    in results.  2-D images, and 3-D images with a factor of 1 on the last
    axis (colour), run a jitted loop that adds in NumPy's order (pairwise
    sums of each block row, then the rows in turn; for colour, every pixel
    in turn); other layouts (N-D, complex, views that are not C-contiguous)
    run NumPy's ``mean`` on the blocks, as scikit-image does.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import downscale_local_mean
    >>> a = np.arange(15).reshape(3, 5)
    >>> downscale_local_mean(a, (2, 3)).tolist()
    [[3.5, 4.0], [5.5, 4.5]]
    """
    image = np.asarray(image)
    if np.isscalar(factors):
        factors = (factors,) * image.ndim
    elif len(factors) != image.ndim:
        raise ValueError("`block_size` must be a scalar or have the same length as "
                         f"`image.shape` (got {len(factors)} factors for an image of shape "
                         f"{image.shape})")
    pad_width = []
    for i in range(len(factors)):
        if factors[i] < 1:
            raise ValueError("Down-sampling factors must be >= 1. Use "
                             "`skimage.transform.resize` to up-sample an image "
                             f"(got factors {tuple(factors)}).")
        rest = image.shape[i] % factors[i]
        pad_width.append((0, factors[i] - rest if rest else 0))
    if np.any(np.asarray(pad_width)):
        image = np.pad(image, pad_width=pad_width, mode="constant", constant_values=cval)
    factors = tuple(int(f) for f in factors)
    colour = image.ndim == 3 and factors[2] == 1
    # NumPy's reduction visits the pixels in memory order: the kernel's order
    # is NumPy's for C-contiguous images (np.pad returns one)
    if (image.dtype not in _MEAN_DTYPES or not (image.ndim == 2 or colour)
            or image.size == 0 or not image.flags.c_contiguous):
        return _numpy_block_mean(image, factors)
    if image.dtype.kind == "f":
        acc = np.float64 if image.dtype == np.float64 else np.float32
    else:
        acc = np.float64
    src = image.view(np.uint8) if image.dtype == np.bool_ else image
    if src.dtype == np.float16:
        src = src.astype(np.float32)         # exact; NumPy sums float16 in float32
    img3 = contiguous_writable(src if colour else src[:, :, None])
    fr, fc = factors[0], factors[1]
    if not colour and img3.shape[1] == fc:
        # one block per row band: each block is contiguous and NumPy sums
        # it as one pairwise run of fr * fc pixels
        img3 = img3.reshape(img3.shape[0] // fr, fr * fc, 1)
        fr, fc = 1, fr * fc
    out = np.empty((img3.shape[0] // fr, img3.shape[1] // fc, img3.shape[2]), acc)
    run(k.block_mean_rows, (img3, fr, fc, colour, out), items=out.shape[0],
        size=img3.size, cost=1.0, workers=workers)
    out = out if colour else out[:, :, 0]
    return out.astype(np.float16) if image.dtype == np.float16 else out


def _local_mean_weights(old_size, new_size, grid_mode, dtype):
    """skimage's ``_local_mean_weights``: (new_size, old_size) overlaps."""
    if grid_mode:
        old_breaks = np.linspace(0, old_size, num=old_size + 1, dtype=dtype)
        new_breaks = np.linspace(0, old_size, num=new_size + 1, dtype=dtype)
    else:
        old, new = old_size - 1, new_size - 1
        old_breaks = np.pad(np.linspace(0.5, old - 0.5, old, dtype=dtype), 1, "constant",
                            constant_values=(0, old))
        val = np.inf if new == 0 else 0.5 * old / new
        new_breaks = np.pad(np.linspace(val, old - val, new, dtype=dtype), 1, "constant",
                            constant_values=(0, old))
    upper = np.minimum(new_breaks[1:, np.newaxis], old_breaks[np.newaxis, 1:])
    lower = np.maximum(new_breaks[:-1, np.newaxis], old_breaks[np.newaxis, :-1])
    weights = np.maximum(upper - lower, 0)
    weights /= weights.sum(axis=1, keepdims=True)
    return weights


def resize_local_mean(image: npt.ArrayLike, output_shape, grid_mode: bool = True,
                      preserve_range: bool = False, *, channel_axis=None) -> np.ndarray:
    """Resize an array with the local mean / bilinear scaling.

    Drop-in for :func:`skimage.transform.resize_local_mean` (scikit-image
    0.26): each output pixel is the area-weighted mean of the input pixels
    its cell overlaps ("pixel mixing", OpenCV's ``INTER_AREA`` when
    `grid_mode` is True).

    Parameters
    ----------
    image : ndarray
        Input image. If this is a multichannel image, the axis corresponding
        to channels should be specified using `channel_axis`.
    output_shape : iterable
        Size of the generated output image. When `channel_axis` is not None,
        the `channel_axis` should either be omitted from `output_shape` or
        ``output_shape[channel_axis]`` must match
        ``image.shape[channel_axis]``. If the length of `output_shape`
        exceeds image.ndim, additional singleton dimensions are appended.
    grid_mode : bool, optional
        Defines ``image`` pixels position: if True, pixels are assumed to be
        at grid intersections, otherwise at cell centers (a signal of
        length 5 has length 4 when `grid_mode` is False, 5 when True).
    preserve_range : bool, optional
        Whether to keep the original range of values. Otherwise, the input
        image is converted according to the conventions of `img_as_float`.
    channel_axis : int or None, optional
        Keyword-only. The axis of the channels (not resized); None for a
        grayscale image.

    Returns
    -------
    resized : ndarray
        Resized version of the input.

    Notes
    -----
    Differences from :func:`skimage.transform.resize_local_mean`: none in
    results, and no speed-up: the weights are applied, as in scikit-image,
    by NumPy's ``tensordot`` (BLAS), whose summation order a jitted loop
    cannot reproduce bit for bit.  No ``workers`` (BLAS chooses its
    threads).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import resize_local_mean
    >>> resize_local_mean(np.arange(4.0).reshape(1, 4), (1, 2)).tolist()
    [[0.5, 2.5]]
    """
    image = np.asarray(image)
    if channel_axis is not None:
        if channel_axis < -image.ndim or channel_axis >= image.ndim:
            raise ValueError(f"invalid channel_axis (got {channel_axis} for an image of "
                             f"{image.ndim} dimensions)")
        image = np.moveaxis(image, channel_axis, -1)
        nc = image.shape[-1]
        output_ndim = len(output_shape)
        if output_ndim == image.ndim - 1:
            output_shape = output_shape + (nc,)
        elif output_ndim == image.ndim:
            if output_shape[channel_axis] != nc:
                raise ValueError("Cannot reshape along the channel_axis. Use channel_axis=None "
                                 f"to reshape along all axes (got output_shape {output_shape}"
                                 f" for {nc} channels).")
            channel_axis = channel_axis % image.ndim
            output_shape = output_shape[:channel_axis] + output_shape[channel_axis:] + (nc,)
        else:
            raise ValueError("len(output_shape) must be image.ndim or (image.ndim - 1) when a "
                             f"channel_axis is specified (got {output_shape}).")
        resized = image
    else:
        resized, output_shape = resize_output_shape(image, output_shape)
    resized = convert_to_float(resized, preserve_range)
    dtype = resized.dtype
    for axis, (old_size, new_size) in enumerate(zip(image.shape, output_shape)):
        if old_size == new_size:
            continue
        weights = _local_mean_weights(old_size, new_size, grid_mode, dtype)
        product = np.tensordot(resized, weights, [[axis], [-1]])
        resized = np.moveaxis(product, -1, axis)
    if channel_axis is not None:
        resized = np.moveaxis(resized, -1, channel_axis)
    return resized


#: cumsum accumulator types the kernel runs (others: NumPy's cumsum).
_SUM_DTYPES = {np.dtype(t) for t in (np.int64, np.uint64, np.float64, np.float32, np.int32,
                                     np.uint32, np.int16, np.uint16, np.int8, np.uint8)}


@fill_doc
def integral_image(image: npt.ArrayLike, *, dtype=None,
                   workers: int | None = None) -> np.ndarray:
    r"""Integral image / summed area table.

    Drop-in for :func:`skimage.transform.integral_image` (scikit-image
    0.26): the cumulative sum along every axis in turn, so that
    ``S[m, n] = sum(image[:m + 1, :n + 1])``.

    Parameters
    ----------
    image : ndarray
        Input image.
    dtype : dtype, optional
        Keyword-only. The accumulator's type: by default NumPy's ``cumsum``
        type for integer and bool images (int64 / uint64) and at least
        float64 for float images.
    {workers}

    Returns
    -------
    S : ndarray
        Integral image/summed area table of same shape as input image.

    Notes
    -----
    Differences from :func:`skimage.transform.integral_image`: none in
    results (the sums run in the same order, the accumulator's type);
    complex and float16 accumulators run NumPy's ``cumsum`` as skimage
    does.  ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.transform import integral_image
    >>> integral_image(np.ones((2, 3), dtype=np.uint8)).tolist()
    [[1, 2, 3], [2, 4, 6]]
    """
    image = np.asarray(image)
    if dtype is None and image.real.dtype.kind == "f":
        dtype = np.promote_types(image.dtype, np.float64)
    S = image
    for i in range(image.ndim):
        acc = np.dtype(dtype) if dtype is not None else np.cumsum(S[:0], axis=i).dtype
        if acc not in _SUM_DTYPES or S.dtype.kind not in "biuf":
            S = S.cumsum(axis=i, dtype=dtype)
            continue
        src = S.view(np.uint8) if S.dtype == np.bool_ else S
        if src.dtype == np.float16:
            src = src.astype(np.float32)   # exact
        shape = S.shape
        outer, n = math.prod(shape[:i]), shape[i]
        src3 = contiguous_writable(src).reshape(outer, n, -1) if S.size else None
        out = np.empty(shape, acc)
        if S.size:
            run(k.cumsum_axis, (src3, out.reshape(outer, n, -1)), items=outer,
                size=S.size, cost=1.0, workers=workers)
        S = out
    return S
