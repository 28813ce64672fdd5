"""fastimg's own frequency masks: :func:`ideal_mask`, :func:`gaussian_mask`
and :func:`butterworth_mask` (lowpass, highpass, bandpass, bandstop; in the
centred, full-FFT or half-spectrum layout), and their argument rules
(:class:`MaskSpec`), which :func:`fastimg._fourier.api.frequency_filter`
shares.

A mask is built the way ``frequency_filter`` applies one: the kernel that
multiplies a spectrum by the gains, run on ones (one kernel to compile).
"""
from __future__ import annotations

import functools
import math
import numbers
import operator

import numpy as np

from .._core.dispatch import resolve_workers, run
from .._core.docs import fill_doc
from . import kernels as fourier_kernels
from .spectrum import fold, mask_threads

__all__ = ["ideal_mask", "gaussian_mask", "butterworth_mask", "MaskSpec"]

_KINDS = {"ideal": fourier_kernels.IDEAL, "gaussian": fourier_kernels.GAUSSIAN,
          "butterworth": fourier_kernels.BUTTERWORTH}
_BANDS = {"lowpass": fourier_kernels.LOWPASS, "highpass": fourier_kernels.HIGHPASS,
          "bandpass": fourier_kernels.BANDPASS, "bandstop": fourier_kernels.BANDSTOP}
_LAYOUTS = ("centered", "fft", "rfft")


class MaskSpec:
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
            if c * c == 0.0:
                # D**2 / D0**2 would divide by zero: NaN masks
                raise ValueError(f"{name} too small: its square underflows to 0 (got "
                                 f"{name}={value!r})")
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
                kabs = fold(d)
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
                # a tiny cutoff: -D**2 / s overflows to -inf, exp gives 0
                with np.errstate(over="ignore"):
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
        n_threads=mask_threads(resolve_workers(workers), ones.size))
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


#: fill_doc that also knows the masks' shared parameters and Returns
_mask_doc = fill_doc.with_texts(mask_params=_MASK_PARAMS, mask_tail=_MASK_TAIL)


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
    spec = MaskSpec("ideal", band, cutoff_ratio, cutoff_pixels)
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
    spec = MaskSpec("gaussian", band, cutoff_ratio, cutoff_pixels)
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
    spec = MaskSpec("butterworth", band, cutoff_ratio, cutoff_pixels, order, squared)
    return _make_mask(spec, shape, layout, dtype, workers)
