"""Public wrappers of the fourier family: frequency-domain filtering.

* :func:`butterworth`: scikit-image 0.26's ``skimage.filters.butterworth``,
  bit for bit (same ``scipy.fft`` transforms, the same mask values in the
  same dtype, the same complex product), with ``workers=`` for the FFTs;
* fastimg's own ``frequency`` namespace: :func:`frequency_filter`, which
  applies an ideal, Gaussian or Butterworth mask (lowpass, highpass,
  bandpass, bandstop) to an image, a colour image or a stack in one call;
  the masks themselves are built by :mod:`fastimg._fourier.masks`.

Both compute the mask only where it is needed: a bin's gain depends on its
frequency magnitude only, so it is computed per row of the half spectrum
that ``scipy.fft.rfftn`` returns (no ``fftshift``, no full-size complex
mask) and multiplied into the spectrum in place; the FFTs are
``scipy.fft.rfftn`` and ``irfftn``'s own passes (see
:func:`fastimg._fourier.spectrum.irfftn`: the same values without its
temporary) with ``workers=`` passed through.
"""
from __future__ import annotations

import functools
import math
import operator

import numpy as np
import numpy.typing as npt

from .._core.dispatch import resolve_workers, run
from .._core.docs import fill_doc
from .._core.sk_args import supported_float_type
from . import kernels as fourier_kernels
from .masks import MaskSpec
from .spectrum import (as_3d, batch_first, fft_workers, fold, irfftn, mask_threads, restore,
                       row_count, sfft)

__all__ = ["butterworth", "frequency_filter"]


# --------------------------------------------------------------- butterworth
def _skimage_ranges(fft_shape, factor):
    """skimage's per-axis squared frequencies ``ifftshift(axis**2)``, kept
    for indices 0..d//2 only: index i and d - i hold the same value (the
    squares of k/x and -k/x), so a mask over these reduced axes holds every
    distinct value of skimage's mask (the last axis of a real FFT is already
    0..d//2)."""
    ranges = []
    for d in fft_shape:
        axis = np.arange(-(d - 1) // 2, (d - 1) // 2 + 1) / (d * factor)
        ranges.append(sfft().ifftshift(axis ** 2)[:d // 2 + 1])
    return ranges


def _table_offsets(fft_shape, last_full):
    """Offsets of the reduced table for every (row, column) of the spectrum:
    rows are the flattened non-last axes, the last axis is 0..d//2 (rfft)
    or folded (full FFT of a complex image)."""
    red = [d // 2 + 1 for d in fft_shape]
    strides = np.cumprod([1] + red[::-1])[:-1][::-1]
    parts = [fold(d) * s for d, s in zip(fft_shape[:-1], strides[:-1])]
    if parts:
        row_off = functools.reduce(np.add, np.meshgrid(*parts, indexing="ij", sparse=True))
        row_off = np.ascontiguousarray(row_off, dtype=np.int64).reshape(-1)
    else:
        row_off = np.zeros(1, np.int64)
    d = fft_shape[-1]
    col_off = (fold(d) if last_full else np.arange(d // 2 + 1)).astype(np.int64)
    return row_off, col_off


def _butterworth_table(fft_shape, factor, order, high_pass, dtype, squared, workers):
    """skimage's mask values on the reduced grid, flattened: the same float64
    sums, the same cast, ``np.power`` itself (NumPy may use SIMD power
    routines: calling it keeps the values identical on every CPU), then
    ``1 / (1 + q)`` etc. in a jitted pass when the dtype is float32/64."""
    ranges = _skimage_ranges(fft_shape, factor)
    if np.dtype(dtype) in (np.float32, np.float64) and all(
            r.dtype == np.float64 for r in ranges):
        if len(ranges) > 1:
            rows = functools.reduce(np.add, np.meshgrid(*ranges[:-1], indexing="ij",
                                                        sparse=True))
            rows = np.ascontiguousarray(rows, dtype=np.float64).reshape(-1)
        else:
            rows = np.zeros(1)      # 0.0 + a == a for the squares (>= 0 or NaN)
        q2 = np.empty((rows.shape[0], ranges[-1].shape[0]), dtype)
        fourier_kernels.butterworth_q2(q2, rows, ranges[-1])
        q2 = q2.reshape(-1)
        if np.power(q2[:1], order).dtype == q2.dtype:
            np.power(q2, order, out=q2)
        else:   # e.g. an np.float64 order makes skimage's float32 mask float64
            q2 = np.power(q2, order)
    else:
        q2 = functools.reduce(np.add, np.meshgrid(*ranges, indexing="ij", sparse=True))
        q2 = np.power(np.asarray(q2).astype(dtype), order)
        q2 = np.ascontiguousarray(q2).reshape(-1)
    if q2.dtype in (np.float32, np.float64):
        run(fourier_kernels.butterworth_finish, (q2, q2.dtype.type(1), bool(high_pass), bool(squared)),
            items=q2.shape[0], size=q2.shape[0], cost=2.0,
            n_threads=mask_threads(resolve_workers(workers), q2.shape[0]))
        return q2
    # complex (complex input) or other dtypes: skimage's NumPy operations
    wfilt = 1 / (1 + q2)
    if high_pass:
        wfilt *= q2
    if not squared:
        np.sqrt(wfilt, out=wfilt)
    return wfilt


@fill_doc
def butterworth(image: npt.ArrayLike, cutoff_frequency_ratio: float = 0.005,
                high_pass: bool = True, order: float = 2.0, channel_axis: int | None = None,
                *, squared_butterworth: bool = True, npad: int = 0,
                workers: int | None = None) -> np.ndarray:
    """Apply a Butterworth filter to enhance high or low frequency features.

    Drop-in for :func:`skimage.filters.butterworth` (scikit-image 0.26).

    This filter is defined in the Fourier domain.

    Parameters
    ----------
    image : (M[, N[, ..., P]][, C]) ndarray
        Input image.
    cutoff_frequency_ratio : float, optional
        Determines the position of the cut-off relative to the shape of the
        FFT. Receives a value between [0, 0.5].
    high_pass : bool, optional
        Whether to perform a high pass filter. If False, a low pass filter is
        performed.
    order : float, optional
        Order of the filter which affects the slope near the cut-off. Higher
        order means steeper slope in frequency space.
    channel_axis : int, optional
        If there is a channel dimension, provide the index here. If None
        (default) then all axes are assumed to be spatial dimensions.
    squared_butterworth : bool, optional
        When True, the square of a Butterworth filter is used. See notes below
        for more details.
    npad : int, optional
        Pad each edge of the image by `npad` pixels using `numpy.pad`'s
        ``mode='edge'`` extension.
    {workers}
        The threads are also passed to ``scipy.fft`` as its ``workers``
        (for images of 2**19 pixels or more; smaller FFTs were faster on
        one thread).

    Returns
    -------
    result : ndarray
        The Butterworth-filtered image: float32 for float16 / float32
        images, float64 for other real images, complex for complex images.

    Notes
    -----
    Differences from :func:`skimage.filters.butterworth`: none in results
    (bit-identical, including dtypes and errors); ``workers`` is extra.
    The lowpass, squared Butterworth gain is
    ``1 / (1 + (f / (c f_s)) ** (2 n))`` and the highpass gain
    ``1 - H_low`` (written ``q / (1 + q)``), square roots of both when
    ``squared_butterworth=False``; ``f`` is the frequency magnitude with
    every axis normalised by its own length, ``c`` the cutoff ratio and
    ``n`` the order.  The gain at the cutoff is 0.5 (squared) or
    ``1/sqrt(2)``.

    How: skimage builds the whole half-spectrum mask with NumPy; fastimg
    builds the same values once per distinct frequency magnitude (rows i and
    M - i of a spectrum share them: about half the work, and NumPy's own
    ``np.power`` so that the values are identical on every CPU), finishes
    them in a jitted pass, and multiplies the ``scipy.fft.rfftn`` spectrum
    in place with NumPy's complex product written out (the same rounding and
    signed zeros).  The inverse runs ``irfftn``'s own steps (complex
    passes over the leading axes, then the real pass over the last, then
    the 1/N factor, each as pocketfft applies them) in place, without
    ``irfftn``'s temporary copy: the same bits in about two thirds of its
    time.  The FFTs get ``workers`` threads.  With
    ``channel_axis`` only the spatial axes are padded by ``npad`` (skimage
    pads the channel axis too and drops those channels again).  Complex and
    extended-precision images take skimage's NumPy mask operations.
    Array-likes such as nested lists are accepted (skimage raises
    ``AttributeError`` for them).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import filters
    >>> image = np.zeros((8, 8))
    >>> image[2:6, 2:6] = 1.0
    >>> low = filters.butterworth(image, 0.2, high_pass=False)
    >>> low.shape, low.dtype, bool(abs(low.mean() - image.mean()) < 1e-12)
    ((8, 8), dtype('float64'), True)
    """
    image = np.asarray(image)
    if npad < 0:
        raise ValueError(f"npad must be >= 0 (got npad={npad!r})")
    nd = image.ndim
    if channel_axis is None:
        spatial = list(range(nd))
    else:
        spatial = [int(a) for a in np.delete(np.arange(nd), channel_axis)]
    center_slice = None
    if npad > 0:
        center_slice = tuple(slice(npad, s + npad) if a in spatial else slice(None)
                             for a, s in enumerate(image.shape))
        image = np.pad(image, [(npad, npad) if a in spatial else (0, 0) for a in range(nd)],
                       mode="edge")
    # skimage's shape (a tuple, or np.delete's int64 array) enters the
    # frequency arithmetic: keep its type
    fft_shape = image.shape if channel_axis is None else np.delete(image.shape, channel_axis)
    is_real = np.isrealobj(image)
    float_dtype = supported_float_type(image.dtype, allow_complex=True)
    if cutoff_frequency_ratio < 0 or cutoff_frequency_ratio > 0.5:
        raise ValueError("cutoff_frequency_ratio should be in the range [0, 0.5] "
                         f"(got cutoff_frequency_ratio={cutoff_frequency_ratio!r})")
    if len(fft_shape) == 0:
        # skimage's filter loop over the spatial axes never runs and reads
        # its unset distance: keep its exception type, say why
        raise UnboundLocalError(
            "cannot access local variable 'd' where it is not associated with a value "
            f"(no spatial axis: image of shape {np.shape(image)} with "
            f"channel_axis={channel_axis!r})")
    table = _butterworth_table(fft_shape, cutoff_frequency_ratio, order, high_pass,
                               float_dtype, squared_butterworth, workers)
    nt = resolve_workers(workers)
    x, inverse = batch_first(image, spatial)
    k = len(spatial)
    axes = tuple(range(nd - k, nd))
    fft_nt = fft_workers(nt, image.size)
    shape = tuple(int(d) for d in fft_shape)
    row_off, col_off = _table_offsets(shape, not is_real)
    if is_real:
        spec = sfft().rfftn(x, axes=axes, workers=fft_nt)
    else:
        spec = sfft().fftn(x, axes=axes, workers=fft_nt)
    kernel_ok = (table.dtype in (np.float32, np.float64) and spec.dtype in
                 (np.complex64, np.complex128))
    if kernel_ok:
        spec = np.ascontiguousarray(spec, dtype=np.result_type(table.dtype, spec.dtype))
        spec3 = as_3d(spec, k)
        run(fourier_kernels.table_rows, (spec3, table, row_off, col_off, table.dtype.type(0)),
            items=row_count(spec3), size=spec.size, n_threads=mask_threads(nt, spec.size))
    else:
        # skimage's ``wfilt * spectrum`` with the same values, in NumPy
        full = table[np.add.outer(row_off, col_off)].reshape(spec.shape[-k:])
        spec = full * spec
    if is_real:
        out = irfftn(spec, shape, fft_nt)
    else:
        out = sfft().ifftn(spec, s=shape, axes=axes, workers=fft_nt, overwrite_x=True)
    out = restore(out, inverse)
    if center_slice is not None:
        out = out[center_slice]
    return out


def _spatial_axes(ndim, channel_axis, axes):
    if channel_axis is not None and axes is not None:
        raise ValueError(f"give channel_axis= or axes=, not both (got channel_axis="
                         f"{channel_axis!r}, axes={axes!r})")
    if ndim == 0:
        raise ValueError("image must have at least one dimension (got a 0-d array)")
    if axes is not None:
        seq = list(axes) if np.iterable(axes) else [axes]
        out = set()
        for a in seq:
            try:
                i = operator.index(a)
            except TypeError:
                raise ValueError(f"axes must be integers (got axes={axes!r})") from None
            if not -ndim <= i < ndim:
                raise ValueError(f"axis {a} is out of range for an image with {ndim} "
                                 f"dimensions (got axes={axes!r})")
            out.add(i % ndim)
        if not out:
            raise ValueError(f"axes must name at least one axis (got axes={axes!r})")
        return sorted(out)
    if channel_axis is not None:
        c = operator.index(channel_axis)
        if not -ndim <= c < ndim:
            raise ValueError(f"channel_axis {channel_axis} is out of range for an image "
                             f"with {ndim} dimensions")
        if ndim < 2:
            raise ValueError(f"channel_axis needs an image with at least 2 dimensions "
                             f"(got shape {ndim}-d)")
        return [a for a in range(ndim) if a != c % ndim]
    return list(range(ndim))


@fill_doc
def frequency_filter(image: npt.ArrayLike, kind="gaussian", band: str = "lowpass", *,
                     cutoff_ratio=None, cutoff_pixels=None, order: float = 2.0,
                     squared: bool = True, channel_axis: int | None = None, axes=None,
                     workers: int | None = None) -> np.ndarray:
    """Filter an image in the frequency domain with an ideal, Gaussian or Butterworth mask.

    fastimg's own (no anchor): ``irfftn(mask * rfftn(image))`` over the
    spatial axes, the mask computed row by row in the half-spectrum layout
    and multiplied into the spectrum in place.

    Parameters
    ----------
    image : (M[, N[, ...]]) ndarray
        Image: 1-D, 2-D or n-D, with an optional channel axis
        (``channel_axis``) or stacked images (``axes``).
    kind : {'ideal', 'gaussian', 'butterworth'} or ndarray, optional
        The mask (see :func:`ideal_mask`, :func:`gaussian_mask`,
        :func:`butterworth_mask`), or a mask array in the ``'rfft'`` layout
        of the spatial shape (real, e.g. from ``*_mask(..., layout='rfft')``).
    band : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        What passes (ignored for a mask array).
    cutoff_ratio : float or (float, float), optional
        Keyword-only.  Cutoff as a fraction of the sampling frequency (0,
        0.5]; a pair (low, high) for the bands.
    cutoff_pixels : float or (float, float), optional
        Keyword-only.  Cutoff as a radius in pixels of the centred spectrum.
        Give exactly one of ``cutoff_ratio`` and ``cutoff_pixels``.
    order : float, optional
        Keyword-only.  Butterworth order (> 0).
    squared : bool, optional
        Keyword-only.  Squared Butterworth gain (default) or its root.
    channel_axis : int, optional
        Keyword-only.  Axis of the colour channels, each filtered alike.
    axes : int or sequence of int, optional
        Keyword-only.  The spatial axes (the others are a stack of images);
        default all axes (or all but ``channel_axis``).
    {workers}
        The threads are also passed to ``scipy.fft`` as its ``workers``
        (for images of 2**19 pixels or more; smaller FFTs were faster on
        one thread).

    Returns
    -------
    filtered : ndarray
        Same shape as ``image``: float32 for float16 / float32 images,
        float64 for other real images (values not rescaled), complex64 /
        complex128 for complex images (full FFTs then).

    Notes
    -----
    Differences from the textbook pipeline (``np.fft.fft2``, ``fftshift``,
    a full centred mask from ``np.meshgrid`` distances, ``ifftshift``,
    ``ifft2``, real part): the same result up to FFT rounding, without the
    shifts, the full-size mask and the imaginary half.  Distances follow the
    textbook convention (a bin's radius is its distance from index
    ``M // 2`` of the centred spectrum, for even and odd sizes).  The mask
    gains are computed in float64 and the spectrum keeps the image's
    precision (complex64 for float32).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import frequency
    >>> image = np.full((6, 7), 3.0, np.float32)
    >>> out = frequency.frequency_filter(image, "ideal", cutoff_pixels=2)
    >>> out.dtype, bool(np.allclose(out, 3.0))
    (dtype('float32'), True)
    """
    image = np.asarray(image)
    spatial = _spatial_axes(image.ndim, channel_axis, axes)
    custom = isinstance(kind, np.ndarray)
    if not custom:
        spec = MaskSpec(kind, band, cutoff_ratio, cutoff_pixels, order, squared)
    if image.dtype.kind == "c":
        work = np.complex64 if image.dtype == np.complex64 else np.complex128
    elif image.dtype.kind in "biuf":
        work = supported_float_type(image.dtype)
    else:
        raise ValueError(f"image must be a real or complex numeric array "
                         f"(got dtype {image.dtype})")
    shape = tuple(image.shape[a] for a in spatial)
    real = image.dtype.kind != "c"
    if custom:
        want = shape[:-1] + ((shape[-1] // 2 + 1,) if real else (shape[-1],))
        if kind.shape != want or kind.dtype.kind not in "biuf":
            raise ValueError(f"mask array must be real with shape {want} (the "
                             f"{'rfft' if real else 'fft'} layout of the spatial shape "
                             f"{shape}) (got shape {kind.shape}, dtype {kind.dtype})")
    if image.size == 0:
        raise ValueError(f"image must not be empty (got shape {image.shape})")
    nt = resolve_workers(workers)
    x, inverse = batch_first(image, spatial)
    x = x.astype(work, copy=False)
    k = len(spatial)
    fft_axes = tuple(range(image.ndim - k, image.ndim))
    fwd, inv = (sfft().rfftn, sfft().irfftn) if real else (sfft().fftn, sfft().ifftn)
    fft_nt = fft_workers(nt, image.size)
    sp = np.ascontiguousarray(fwd(x, axes=fft_axes, workers=fft_nt))
    if custom:
        sp *= kind
        if real:
            out = irfftn(sp, shape, fft_nt)
        else:
            out = inv(sp, s=shape, axes=fft_axes, workers=fft_nt, overwrite_x=True)
    else:
        spec3 = as_3d(sp, k)
        # the inverse transform's 1 / prod(shape) is folded into the mask
        run(fourier_kernels.filter_rows, (spec3, *spec.tables(shape, "rfft" if real else "fft"), *spec.args(),
             1.0 / math.prod(shape)),
            items=row_count(spec3), size=sp.size, cost=4.0, n_threads=mask_threads(nt, sp.size))
        if real:
            out = irfftn(sp, shape, fft_nt, scaled=False)
        else:
            out = inv(sp, s=shape, axes=fft_axes, norm="forward", workers=fft_nt,
                      overwrite_x=True)
    return restore(out, inverse)
