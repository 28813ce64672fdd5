"""Public wrappers of the fourier family: frequency-domain filtering.

* :func:`butterworth`: scikit-image 0.26's ``skimage.filters.butterworth``,
  bit for bit (same ``scipy.fft`` transforms, the same mask values in the
  same dtype, the same complex product), with ``workers=`` for the FFTs;
* fastimg's own ``frequency`` namespace: :func:`ideal_mask`,
  :func:`gaussian_mask`, :func:`butterworth_mask` (lowpass, highpass,
  bandpass, bandstop) and :func:`frequency_filter`, which applies one to an
  image, a colour image or a stack in one call.

Both compute the mask only where it is needed: a bin's gain depends on its
frequency magnitude only, so it is computed per row of the half spectrum
that ``scipy.fft.rfftn`` returns (no ``fftshift``, no full-size complex
mask) and multiplied into the spectrum in place; the FFTs are
``scipy.fft.rfftn`` and ``irfftn``'s own passes (see ``_irfftn``: the same
values without its temporary) with ``workers=`` passed through.
"""
from __future__ import annotations

import functools
import math
import numbers
import operator

import numpy as np
import numpy.typing as npt

from .._core.dispatch import resolve_workers, run
from .._core.docs import fill_doc
from . import kernels as fourier_kernels
from .._core.sk_args import supported_float_type

__all__ = ["butterworth", "ideal_mask", "gaussian_mask", "butterworth_mask",
           "frequency_filter"]

_KINDS = {"ideal": fourier_kernels.IDEAL, "gaussian": fourier_kernels.GAUSSIAN,
          "butterworth": fourier_kernels.BUTTERWORTH}
_BANDS = {"lowpass": fourier_kernels.LOWPASS, "highpass": fourier_kernels.HIGHPASS,
          "bandpass": fourier_kernels.BANDPASS, "bandstop": fourier_kernels.BANDSTOP}
_LAYOUTS = ("centered", "fft", "rfft")

#: Mask passes over fewer bins than this run on one thread (the FFTs still
#: get ``workers``): a mask pass is a few percent of the transforms' time
#: (512x512: ~0.5 ms against ~5 ms), so a second thread saves little there,
#: and the serial twin alone compiles in about half the time of both (the
#: first call at 512x512 is what a short script pays).
_PARALLEL_MIN = 1 << 20


#: FFTs of fewer pixels than this run with one worker: a second pocketfft
#: thread made the rfftn + irfftn pair slower up to 512x512 (64x64: 67 vs
#: 139 us; 256x256: 0.54 vs 0.66 ms; 512x512: 2.2 vs 2.3 ms, 1 vs 2
#: workers; the 2048x2048 benchmark cases gain from it).
_FFT_PARALLEL_MIN = 1 << 19


def _sfft():
    """scipy.fft, imported on first use (importing it costs ~0.2 s, which
    every ``import fastimg`` would pay otherwise)."""
    import scipy.fft
    return scipy.fft


def _mask_threads(nt, bins):
    return nt if bins >= _PARALLEL_MIN else 1


def _fft_workers(nt, pixels):
    return nt if pixels >= _FFT_PARALLEL_MIN else 1


# ------------------------------------------------------------ shared layout
def _batch_first(image, spatial):
    """``image`` with its non-spatial axes first (a view) and the axis order
    to restore; spatial axes keep their order (the FFT axes are the last
    ``len(spatial)`` axes of the view)."""
    batch = [a for a in range(image.ndim) if a not in spatial]
    order = batch + list(spatial)
    if order == list(range(image.ndim)):
        return image, None
    return np.transpose(image, order), np.argsort(order)


def _restore(out, inverse):
    if inverse is None:
        return out
    return np.ascontiguousarray(np.transpose(out, inverse))


def _as_3d(spec, k):
    """(B, R, L) view of a C-contiguous spectrum whose last ``k`` axes are
    spatial (a view, never a copy: the kernels write into it; the callers
    pass scipy.fft's freshly allocated, C-contiguous outputs)."""
    shape = spec.shape
    b = math.prod(shape[:-k])
    r = math.prod(shape[-k:-1])
    view = spec.reshape((b, r, shape[-1]))
    if not np.may_share_memory(view, spec):    # cannot happen for C-contiguous
        raise RuntimeError("internal error: spectrum reshape copied")
    return view


def _rows(spec3):
    return spec3.shape[0] * spec3.shape[1]


def _irfftn(spec, shape, nt, scaled=True):
    """``scipy.fft.irfftn(spec, s=shape, axes=<last k axes>)``, bit for bit,
    in less time: the complex passes over the leading axes run in place
    (``ifftn``, ``overwrite_x=True``), then ``irfft`` over the last axis,
    both unnormalised (``norm='forward'`` on an inverse: factor 1), then
    one multiplication by ``1 / prod(shape)`` rounded from long double to
    the output dtype: exactly what pocketfft's multi-axis c2r does (c2c
    with factor 1 into a temporary, then c2r with that factor applied to
    each output), without its extra temporary.  Measured on the 2048x2048
    butterworth case: about 35% less time than ``irfftn``.  ``scaled=False``
    leaves the factor to the caller (frequency_filter folds it into the
    mask)."""
    k = len(shape)
    nd = spec.ndim
    if k == 1:
        if scaled:
            return _sfft().irfft(spec, n=shape[0], axis=-1, workers=nt, overwrite_x=True)
        return _sfft().irfft(spec, n=shape[0], axis=-1, norm="forward", workers=nt,
                          overwrite_x=True)
    spec = _sfft().ifftn(spec, axes=tuple(range(nd - k, nd - 1)), norm="forward",
                      overwrite_x=True, workers=nt)
    out = _sfft().irfft(spec, n=shape[-1], axis=-1, norm="forward", workers=nt)
    if scaled:
        fct = out.dtype.type(1 / np.longdouble(math.prod(shape)))
        if fct != 1:
            np.multiply(out, fct, out=out)
    return out


# --------------------------------------------------------------- butterworth
def _skimage_ranges(fft_shape, factor, real):
    """skimage's per-axis squared frequencies ``ifftshift(axis**2)``, kept
    for indices 0..d//2 only: index i and d - i hold the same value (the
    squares of k/x and -k/x), so a mask over these reduced axes holds every
    distinct value of skimage's mask (the last axis of a real FFT is already
    0..d//2)."""
    ranges = []
    for d in fft_shape:
        axis = np.arange(-(d - 1) // 2, (d - 1) // 2 + 1) / (d * factor)
        ranges.append(_sfft().ifftshift(axis ** 2)[:d // 2 + 1])
    return ranges


def _fold(d):
    """Reduced index of each FFT index: min(i, d - i)."""
    i = np.arange(d)
    return np.minimum(i, d - i)


def _table_offsets(fft_shape, last_full):
    """Offsets of the reduced table for every (row, column) of the spectrum:
    rows are the flattened non-last axes, the last axis is 0..d//2 (rfft)
    or folded (full FFT of a complex image)."""
    red = [d // 2 + 1 for d in fft_shape]
    strides = np.cumprod([1] + red[::-1])[:-1][::-1]
    parts = [_fold(d) * s for d, s in zip(fft_shape[:-1], strides[:-1])]
    if parts:
        row_off = functools.reduce(np.add, np.meshgrid(*parts, indexing="ij", sparse=True))
        row_off = np.ascontiguousarray(row_off, dtype=np.int64).reshape(-1)
    else:
        row_off = np.zeros(1, np.int64)
    d = fft_shape[-1]
    col_off = (_fold(d) if last_full else np.arange(d // 2 + 1)).astype(np.int64)
    return row_off, col_off


def _butterworth_table(fft_shape, factor, order, high_pass, dtype, squared, real, workers):
    """skimage's mask values on the reduced grid, flattened: the same float64
    sums, the same cast, ``np.power`` itself (NumPy may use SIMD power
    routines: calling it keeps the values identical on every CPU), then
    ``1 / (1 + q)`` etc. in a jitted pass when the dtype is float32/64."""
    ranges = _skimage_ranges(fft_shape, factor, real)
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
            n_threads=_mask_threads(resolve_workers(workers), q2.shape[0]))
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
    table = _butterworth_table(fft_shape, cutoff_frequency_ratio, order, high_pass,
                               float_dtype, squared_butterworth, is_real, workers)
    nt = resolve_workers(workers)
    x, inverse = _batch_first(image, spatial)
    k = len(spatial)
    axes = tuple(range(nd - k, nd))
    fft_nt = _fft_workers(nt, image.size)
    shape = tuple(int(d) for d in fft_shape)
    row_off, col_off = _table_offsets(shape, not is_real)
    if is_real:
        spec = _sfft().rfftn(x, axes=axes, workers=fft_nt)
    else:
        spec = _sfft().fftn(x, axes=axes, workers=fft_nt)
    kernel_ok = (table.dtype in (np.float32, np.float64) and spec.dtype in
                 (np.complex64, np.complex128))
    if kernel_ok:
        spec = np.ascontiguousarray(spec, dtype=np.result_type(table.dtype, spec.dtype))
        spec3 = _as_3d(spec, k)
        run(fourier_kernels.table_rows, (spec3, table, row_off, col_off, table.dtype.type(0)),
            items=_rows(spec3), size=spec.size, n_threads=_mask_threads(nt, spec.size))
    else:
        # skimage's ``wfilt * spectrum`` with the same values, in NumPy
        full = table[np.add.outer(row_off, col_off)].reshape(spec.shape[-k:])
        spec = full * spec
    if is_real:
        out = _irfftn(spec, shape, fft_nt)
    else:
        out = _sfft().ifftn(spec, s=shape, axes=axes, workers=fft_nt, overwrite_x=True)
    out = _restore(out, inverse)
    if center_slice is not None:
        out = out[center_slice]
    return out


# ------------------------------------------------------ fastimg's own masks
class _MaskSpec:
    """Validated mask parameters (kind code, band code, cutoffs, order)."""

    def __init__(self, kind, band, cutoff_ratio, cutoff_pixels, order=2.0, squared=True):
        if not isinstance(kind, str) or kind not in _KINDS:
            raise ValueError(f"kind must be one of {sorted(_KINDS)} (got kind={kind!r})")
        if not isinstance(band, str) or band not in _BANDS:
            raise ValueError(f"band must be one of {list(_BANDS)} (got band={band!r})")
        self.kind, self.band = kind, band
        self.code, self.band_code = _KINDS[kind], _BANDS[band]
        if (cutoff_ratio is None) == (cutoff_pixels is None):
            got = "both" if cutoff_ratio is not None else "neither"
            raise ValueError("give exactly one of cutoff_ratio= (a fraction of the sampling "
                             "frequency, skimage's convention) or cutoff_pixels= (a radius "
                             "in pixels of the centred spectrum) "
                             f"(got {got}: cutoff_ratio={cutoff_ratio!r}, "
                             f"cutoff_pixels={cutoff_pixels!r})")
        self.ratio = cutoff_ratio is not None
        name = "cutoff_ratio" if self.ratio else "cutoff_pixels"
        value = cutoff_ratio if self.ratio else cutoff_pixels
        two = self.band_code >= fourier_kernels.BANDPASS
        if two:
            try:
                lo, hi = (float(v) for v in value)
            except (TypeError, ValueError):
                raise ValueError(f"{band} needs {name}=(low, high), two numbers "
                                 f"(got {name}={value!r})") from None
            if not lo < hi:
                raise ValueError(f"{band} band edges must satisfy low < high "
                                 f"(got {name}={value!r})")
            cuts = (lo, hi)
        else:
            if not isinstance(value, numbers.Real):
                raise ValueError(f"{band} needs one number {name}= (got {name}={value!r})")
            cuts = (float(value), float(value))
        top = 0.5 if self.ratio else math.inf
        for c in cuts:
            if not (0 < c <= top) or not math.isfinite(c):
                rng = "0 < cutoff_ratio <= 0.5" if self.ratio else "0 < cutoff_pixels (finite)"
                raise ValueError(f"{name} out of range: need {rng} (got {name}={value!r})")
        self.c1, self.c2 = cuts
        if not isinstance(order, numbers.Real) or not math.isfinite(order) or order <= 0:
            raise ValueError(f"order must be a finite number > 0 (got order={order!r})")
        self.order = float(order)
        self.order_int = int(order) if float(order).is_integer() and order <= 64 else -1
        self.squared = bool(squared)

    def tables(self, shape, layout):
        """(row_a, col_a, row_b, col_b) for the rows / columns of ``layout``."""
        k = len(shape)
        comps = []
        for a, d in enumerate(shape):
            if layout == "centered":
                kabs = np.abs(np.arange(d) - d // 2)
            elif layout == "rfft" and a == k - 1:
                kabs = np.arange(d // 2 + 1)
            else:
                kabs = _fold(d)
            # the reference's meshgrid distance: ((u - M//2) / M) ** 2 summed
            # over the axes in order (ratio) or (u - M//2) ** 2 (pixels)
            comps.append((kabs / d) ** 2 if self.ratio else kabs.astype(np.float64) ** 2)
        if k > 1:
            rows = functools.reduce(np.add, np.meshgrid(*comps[:-1], indexing="ij",
                                                        sparse=True))
            rows = np.ascontiguousarray(rows, dtype=np.float64).reshape(-1)
        else:
            rows = np.zeros(1)
        cols = np.ascontiguousarray(comps[-1], dtype=np.float64)
        if self.code == fourier_kernels.GAUSSIAN:
            # exp(-D**2 / (2 D0**2)) is separable: exp of the row part times
            # exp of the column part (no exp per bin)
            out = []
            for c in (self.c1, self.c2):
                s = 2.0 * c * c
                out += [np.exp(-rows / s), np.exp(-cols / s)]
            return tuple(out)
        return rows, cols, rows, cols

    def args(self):
        return (self.code, self.band_code, self.c1, self.c1 * self.c1, self.c2,
                self.c2 * self.c2, self.order_int, self.order, self.squared)


def _check_shape(shape):
    try:
        dims = tuple(operator.index(d) for d in (shape if np.iterable(shape) else (shape,)))
    except TypeError:
        raise ValueError(f"shape must be a tuple of positive integers (got shape={shape!r})") from None
    if not dims or any(d < 1 for d in dims):
        raise ValueError(f"shape must be a tuple of positive integers (got shape={shape!r})")
    return dims


def _make_mask(spec, shape, layout, dtype, workers):
    shape = _check_shape(shape)
    if layout not in _LAYOUTS:
        raise ValueError(f"layout must be one of {_LAYOUTS} (got layout={layout!r})")
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64 (got dtype={dtype})")
    out_shape = shape[:-1] + ((shape[-1] // 2 + 1,) if layout == "rfft" else (shape[-1],))
    # the filter kernel applied to ones: one kernel to compile, not two
    ones = np.ones((1, math.prod(out_shape[:-1]), out_shape[-1]), np.complex128)
    run(fourier_kernels.filter_rows, (ones, *spec.tables(shape, layout), *spec.args(), 1.0),
        items=ones.shape[1], size=ones.size, cost=4.0,
        n_threads=_mask_threads(resolve_workers(workers), ones.size))
    return ones.real.reshape(out_shape).astype(dtype)


_MASK_PARAMS = """\
    shape : int or tuple of int
        Shape of the image (of its spatial axes) the mask is for.
    band : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        What passes: frequencies up to the cutoff, above it, between the two
        band edges, or all but those.
    cutoff_ratio : float or (float, float), optional
        Keyword-only.  The cutoff as a fraction of the sampling frequency,
        scikit-image's convention (``cutoff_frequency_ratio``), in (0, 0.5]:
        each axis' frequency is normalised by its length, so the mask is an
        ellipse on a non-square spectrum.  A pair ``(low, high)``, low <
        high, for the bands.
    cutoff_pixels : float or (float, float), optional
        Keyword-only.  The cutoff as a radius D0 in pixels of the centred
        spectrum (the textbook's convention: a bin at index u of the
        ``fftshift``-ed axis of length M is at distance u - M // 2 from the
        centre), > 0.  Give exactly one of the two.
"""

_MASK_TAIL = """\
    layout : {'centered', 'fft', 'rfft'}, optional
        Keyword-only.  ``'centered'`` (default): the full mask with the zero
        frequency at index ``M // 2`` (the ``fftshift`` layout, for display
        and for the textbook pipeline); ``'fft'``: full and unshifted, to
        multiply ``numpy.fft.fftn(image)``; ``'rfft'``: the half spectrum
        ``scipy.fft.rfftn`` returns (last axis ``N // 2 + 1``), to multiply
        it directly.
    dtype : {float64, float32}, optional
        Keyword-only.  dtype of the mask.
    {workers}

    Returns
    -------
    mask : ndarray
        Real gains in [0, 1], of shape ``shape`` (``'rfft'``: last axis
        ``shape[-1] // 2 + 1``).
"""


def _mask_doc(func):
    func.__doc__ = func.__doc__.replace("{mask_params}\n", _MASK_PARAMS).replace(
        "{mask_tail}\n", _MASK_TAIL)
    return fill_doc(func)


@_mask_doc
def ideal_mask(shape, band: str = "lowpass", *, cutoff_ratio=None, cutoff_pixels=None,
               layout: str = "centered", dtype=np.float64,
               workers: int | None = None) -> np.ndarray:
    """Ideal (brick-wall) frequency mask: 1 where the band passes, else 0.

    fastimg's own (no anchor).  Lowpass: 1 where the distance D of a bin
    from the zero frequency is at most D0; highpass: ``1 - lowpass``;
    bandpass: ``highpass(low) * lowpass(high)`` (``low < D <= high``);
    bandstop: ``1 - bandpass``.

    Parameters
    ----------
{mask_params}
{mask_tail}
    Notes
    -----
    Differences from the textbook pipeline (``np.meshgrid`` distances on the
    ``fftshift``-ed grid): none; D is computed as ``sqrt`` of the same
    squared sums, so bins exactly at D0 fall on the same side.  See
    :func:`frequency_filter` to apply a mask without building it.

    Examples
    --------
    >>> from fastimg import frequency
    >>> frequency.ideal_mask((5, 5), cutoff_pixels=1).astype(int)
    array([[0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0],
           [0, 1, 1, 1, 0],
           [0, 0, 1, 0, 0],
           [0, 0, 0, 0, 0]])
    """
    spec = _MaskSpec("ideal", band, cutoff_ratio, cutoff_pixels)
    return _make_mask(spec, shape, layout, dtype, workers)


@_mask_doc
def gaussian_mask(shape, band: str = "lowpass", *, cutoff_ratio=None, cutoff_pixels=None,
                  layout: str = "centered", dtype=np.float64,
                  workers: int | None = None) -> np.ndarray:
    """Gaussian frequency mask ``exp(-D**2 / (2 D0**2))`` and its complements.

    fastimg's own (no anchor).  Lowpass ``exp(-D**2 / (2 D0**2))`` (gain
    ``exp(-1/2)`` at D0); highpass ``1 - lowpass``; bandpass
    ``highpass(low) * lowpass(high)``; bandstop ``1 - bandpass``.

    Parameters
    ----------
{mask_params}
{mask_tail}
    Notes
    -----
    Differences from the textbook pipeline: the exponential is evaluated as
    the product of per-axis exponentials (it is separable), which differs
    from ``exp`` of the summed distance by rounding only (a few ulps).

    Examples
    --------
    >>> from fastimg import frequency
    >>> m = frequency.gaussian_mask((4, 6), cutoff_ratio=0.25, layout="rfft")
    >>> m.shape, float(m[0, 0])
    ((4, 4), 1.0)
    """
    spec = _MaskSpec("gaussian", band, cutoff_ratio, cutoff_pixels)
    return _make_mask(spec, shape, layout, dtype, workers)


@_mask_doc
def butterworth_mask(shape, band: str = "lowpass", *, cutoff_ratio=None, cutoff_pixels=None,
                     order: float = 2.0, squared: bool = True, layout: str = "centered",
                     dtype=np.float64, workers: int | None = None) -> np.ndarray:
    """Butterworth frequency mask ``1 / (1 + (D / D0) ** (2 n))`` and complements.

    fastimg's own (no anchor).  Lowpass ``1 / (1 + q)`` with
    ``q = (D / D0) ** (2 order)``; highpass ``q / (1 + q)`` (= 1 - lowpass);
    square roots of both when ``squared=False`` (the filter-theory
    Butterworth amplitude; ``squared=True`` is the textbook's and
    scikit-image's default); bandpass ``highpass(low) * lowpass(high)``;
    bandstop ``1 - bandpass``.

    Parameters
    ----------
{mask_params}
    order : float, optional
        Keyword-only.  The order n (> 0): the steepness of the transition.
    squared : bool, optional
        Keyword-only.  The squared Butterworth gain (default, gain 0.5 at
        D0) or its square root (gain ``1/sqrt(2)`` at D0).
{mask_tail}
    Notes
    -----
    Differences from the textbook pipeline: ``q`` is ``(D**2 / D0**2) **
    order``, by repeated multiplication when the order is an integer (a few
    ulps from ``np.power``).  With ``cutoff_ratio`` the lowpass equals the
    mask of :func:`fastimg.filters.butterworth` (scikit-image's).

    Examples
    --------
    >>> from fastimg import frequency
    >>> m = frequency.butterworth_mask((1, 9), cutoff_pixels=2, order=3)
    >>> float(m[0, 4]), float(m[0, 6])
    (1.0, 0.5)
    """
    spec = _MaskSpec("butterworth", band, cutoff_ratio, cutoff_pixels, order, squared)
    return _make_mask(spec, shape, layout, dtype, workers)


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
        spec = _MaskSpec(kind, band, cutoff_ratio, cutoff_pixels, order, squared)
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
    x, inverse = _batch_first(image, spatial)
    x = x.astype(work, copy=False)
    k = len(spatial)
    fft_axes = tuple(range(image.ndim - k, image.ndim))
    fwd, inv = (_sfft().rfftn, _sfft().irfftn) if real else (_sfft().fftn, _sfft().ifftn)
    fft_nt = _fft_workers(nt, image.size)
    sp = np.ascontiguousarray(fwd(x, axes=fft_axes, workers=fft_nt))
    if custom:
        sp *= kind
        if real:
            out = _irfftn(sp, shape, fft_nt)
        else:
            out = inv(sp, s=shape, axes=fft_axes, workers=fft_nt, overwrite_x=True)
    else:
        spec3 = _as_3d(sp, k)
        # the inverse transform's 1 / prod(shape) is folded into the mask
        run(fourier_kernels.filter_rows, (spec3, *spec.tables(shape, "rfft" if real else "fft"), *spec.args(),
             1.0 / math.prod(shape)),
            items=_rows(spec3), size=sp.size, cost=4.0, n_threads=_mask_threads(nt, sp.size))
        if real:
            out = _irfftn(sp, shape, fft_nt, scaled=False)
        else:
            out = inv(sp, s=shape, axes=fft_axes, norm="forward", workers=fft_nt,
                      overwrite_x=True)
    return _restore(out, inverse)
