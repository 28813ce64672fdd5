"""Public wrappers of the edges family's Canny edge detector:
scikit-image 0.26's ``skimage.feature.canny`` and its stages
(``canny_stages``, fastimg's own).  ``apply_hysteresis_threshold`` is in
:mod:`.hysteresis`.

Pipeline of :func:`canny`, each stage with skimage's arithmetic:

1. the wrapper checks like skimage, resolves the thresholds and prepares the
   smoothing (:class:`_Plan`): SciPy's Gaussian weights and boundary maps,
   the masked image, and the bleed-over divisor when ``mode == 'constant'``
   or a mask is given.  Both divisors are smoothed by the sweep kernel
   itself (``SMOOTH_ONLY``): with a mask, the mask; without one, ones on an
   image of at most ``2r + 1`` pixels per axis, expanded afterwards (rows
   and columns at the same distances from both borders get the same
   values);
2. one row sweep (``kernels.canny_rows``, rows in parallel): smoothing,
   Sobel gradients, magnitude, bilinear non-maximum suppression and the
   thresholds, one class byte per pixel written, and the class map's bit
   rows for the hysteresis;
3. hysteresis (:func:`.hysteresis.canny_hysteresis`).
"""
from __future__ import annotations

import sys
from collections import namedtuple
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._core import ndi_args
from .._core.arrays import contiguous_writable
from .._core.dispatch import run
from .._core.docs import fill_doc
from .._core.passes import gaussian_weights
from . import kernels as edges_kernels
from .hysteresis import canny_hysteresis
from .kernels import NO_OUTPUT, NO_ROWS, X8, X16, XF, Smoothing, Sweep
from .._core.sk_args import convert_to_float, dtype_limits, supported_float_type

__all__ = ["canny", "canny_stages", "CannyStages"]

#: What :func:`canny_stages` returns.
CannyStages = namedtuple("CannyStages", ["smoothed", "magnitude", "nms", "low_threshold",
                                         "high_threshold", "edges"])

# --------------------------------------------------------------- checks
def _check_image(image):
    """skimage's checks, in its order: 64-bit integers, then check_nD."""
    image = np.asarray(image)
    if np.issubdtype(image.dtype, np.int64) or np.issubdtype(image.dtype, np.uint64):
        raise ValueError(f"64-bit integer images are not supported (got dtype {image.dtype})")
    if image.size == 0:
        raise ValueError(f"The parameter `image` cannot be an empty array (got shape "
                         f"{image.shape})")
    if image.ndim != 2:
        raise ValueError(f"The parameter `image` must be a 2-dimensional array (got "
                         f"{image.ndim} dimensions, shape {image.shape})")
    return image


def _thresholds(image, low_threshold, high_threshold, use_quantiles):
    """skimage's defaults (0.1 / 0.2 of the float image), the division by the
    dtype's maximum, the quantile range and order checks."""
    dtype_max = dtype_limits(image, clip_negative=False)[1]
    lo, hi = low_threshold, high_threshold
    if lo is None:
        lo = 0.1
    elif use_quantiles:
        if not (0.0 <= lo <= 1.0):
            raise ValueError(f"Quantile thresholds must be between 0 and 1. (got "
                             f"low_threshold={low_threshold!r})")
    else:
        lo = lo / dtype_max
    if hi is None:
        hi = 0.2
    elif use_quantiles:
        if not (0.0 <= hi <= 1.0):
            raise ValueError(f"Quantile thresholds must be between 0 and 1. (got "
                             f"high_threshold={high_threshold!r})")
    else:
        hi = hi / dtype_max
    if hi < lo:
        raise ValueError(f"low_threshold should be lower then high_threshold (got "
                         f"low_threshold={low_threshold!r}, high_threshold="
                         f"{high_threshold!r})")
    return lo, hi


def _low_for_nms(low):
    """skimage passes the low threshold to a C ``float`` parameter (float32)
    and replaces 0 by 1e-14 (also a float) so zero magnitudes never pass."""
    with np.errstate(over="ignore", invalid="ignore"):
        low32 = np.float32(low)
    if low32 == 0:
        low32 = np.float32(1e-14)
    return float(low32)


def _high_for_compare(high, ftype):
    """``low_masked >= high`` as NumPy evaluates it: a Python float is cast
    to the map's dtype (NEP 50), a NumPy float64 scalar makes it float64.
    Returned as the double holding the compared value."""
    ct = np.result_type(np.empty(0, ftype), high)
    if ct.kind != "f":
        ct = np.dtype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.asarray(high).astype(ct))


# ------------------------------------------------------------ smoothing
#: dtypes the smoothing kernel reads directly; others are converted first
_DIRECT = (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.float32),
           np.dtype(np.float64))
_ONE = np.ones(1)
#: serial ns per pixel of the fused sweep (2048x2048 float32, sigma 1, one
#: thread: about 40 ms), for the serial-or-parallel decision
_COST_NS = 10
#: rows per block at least, so that the recomputed halo (two smoothed rows
#: on each side, one gradient row) stays small: blocks of 16 rows cost
#: 10% more CPU time than blocks of 64 at 4096x4096 (256 blocks instead of
#: 64; 8% at 2048x2048), and 64-row blocks are still 16 per thread there
_MIN_ROWS = 64


class _Passes:
    """SciPy gaussian_filter's two passes (truncate 4, axes 0 then 1):
    weights and boundary rule per axis.  An axis with sigma <= 1e-15 (which
    SciPy skips, without checking its mode) gets the weights [1.0]."""

    def __init__(self, sigmas, modes, cval):
        self.weights = []
        self.modes = []
        for sg, md in zip(sigmas, modes):
            if sg > 1e-15:
                self.weights.append(gaussian_weights(sg, 0, 4.0, None))
                self.modes.append(ndi_args.ndi_mode(md))
            else:
                self.weights.append(_ONE)
                self.modes.append("nearest")
        any_pass = any(sg > 1e-15 for sg in sigmas)
        self.cval = ndi_args.as_cval(cval) if any_pass else 0.0

    def maps(self, shape):
        return [ndi_args.extend_map(n, len(fw) // 2, len(fw) // 2, md)
                for n, fw, md in zip(shape, self.weights, self.modes)]

    def smoothing(self, x, scale, ftype):
        """The kernel's :class:`Smoothing` of ``x`` (no bleed-over division)."""
        rmap, cmap = self.maps(x.shape)
        return Smoothing(*_slots(x, ftype), scale, self.weights[0], self.weights[1], rmap,
                         cmap, self.cval, False, NO_OUTPUT[np.dtype(ftype)], NO_ROWS)


def _slots(x, ftype):
    """``(x8, x16, xf, code)`` of :class:`Smoothing`: ``x`` (uint8, uint16 or
    the float type ``ftype``) in its slot, ``NO_OUTPUT`` in the others."""
    ftype = np.dtype(ftype)
    slots = [NO_OUTPUT[np.dtype(np.uint8)], NO_OUTPUT[np.dtype(np.uint16)], NO_OUTPUT[ftype]]
    code = {np.dtype(np.uint8): X8, np.dtype(np.uint16): X16, ftype: XF}[x.dtype]
    slots[code] = x
    return (*slots, code)


def _input(sm):
    """The input image of :class:`Smoothing` ``sm``."""
    return (sm.x8, sm.x16, sm.xf)[sm.code]


def _sweep_args(flags, ftype, *, low=0.0, high=0.0, mask=None, cls=None, smoothed=None,
                magnitude=None, nms=None, bits=None):
    """The kernel's :class:`Sweep`: ``flags`` (a mode) with a WANT_* bit for
    each output given, ``NO_OUTPUT`` in place of the others."""
    k = edges_kernels
    flags |= ((k.WANT_SMOOTHED if smoothed is not None else 0)
              | (k.WANT_MAGNITUDE if magnitude is not None else 0)
              | (k.WANT_NMS if nms is not None else 0)
              | (k.WANT_BITS if bits is not None else 0))
    none_f, none_u8 = NO_OUTPUT[np.dtype(ftype)], NO_OUTPUT[np.dtype(np.uint8)]
    wbits, mbits = (NO_OUTPUT[np.dtype(np.uint64)],) * 2 if bits is None else bits
    return Sweep(flags, low, high, mask is not None, none_u8 if mask is None else mask,
                 none_u8 if cls is None else cls, none_f if smoothed is None else smoothed,
                 none_f if magnitude is None else magnitude, none_f if nms is None else nms,
                 wbits, mbits)


def _bit_rows(shape):
    """The sweep's bit rows of the class map (``bits=``, for the
    hysteresis): two uint64 arrays of ``ceil(width / 64)`` words per row
    (the weak-or-strong pixels, the strong ones), or None on big-endian
    machines (the hysteresis unpacks the words as little-endian bytes)."""
    if sys.byteorder != "little":
        return None
    k = -(-shape[1] // 64)
    return np.empty((shape[0], k), np.uint64), np.empty((shape[0], k), np.uint64)


def _sweep(sm, sw, workers):
    """``canny_rows`` over every row, blocks of rows in parallel when worth it."""
    h, w = _input(sm).shape
    run(edges_kernels.canny_rows, (sm, sw), items=h, size=h * w, cost=_COST_NS,
        workers=workers, min_items=_MIN_ROWS)


def _smoothed_only(sm, ftype, workers):
    """The smoothed image of ``sm`` alone (a SMOOTH_ONLY sweep)."""
    out = np.empty(_input(sm).shape, ftype)
    _sweep(sm, _sweep_args(edges_kernels.SMOOTH_ONLY, ftype, smoothed=out), workers)
    return out


class _Plan:
    """Everything the sweep kernel needs besides thresholds and outputs."""

    def __init__(self, image, sigma, mask, mode, cval, workers):
        if np.any(np.asarray(sigma) < 0.0):
            raise ValueError(f"Sigma values less than zero are not valid (got sigma={sigma!r})")
        compute_bleedover = (isinstance(mode, str) and mode == "constant") or mask is not None
        self.ftype = ftype = supported_float_type(image.dtype)
        passes = _Passes(ndi_args.normalize_sequence(sigma, 2),
                         ndi_args.normalize_sequence(mode, 2), cval)
        self.workers = workers
        self.mask = None
        if mask is None:
            masked = image
        else:
            mask = np.asarray(mask).astype(bool, copy=False)
            masked = np.zeros_like(image)
            masked[mask] = image[mask]
        x, scale = _kernel_input(masked)
        self.smoothing = sm = passes.smoothing(x, scale, ftype)
        if not compute_bleedover:
            return
        if mask is None:
            bleed, ri = _ones_bleed(image.shape, x.dtype, ftype, passes, workers)
        else:
            # the smoothed mask (0 / 1 in the image's kernel dtype, scale 1:
            # the same kernel specialisation as the image)
            ones = contiguous_writable(mask, x.dtype)
            bleed = _smoothed_only(sm._replace(scale=1.0, **dict(zip(
                ("x8", "x16", "xf", "code"), _slots(ones, ftype)))), ftype, workers)
            bleed += np.finfo(ftype).eps
            ri = np.arange(image.shape[0], dtype=np.int64)
            self.mask = contiguous_writable(mask).view(np.uint8)
        self.smoothing = sm._replace(has_bleed=True, bleed=bleed, ri=ri)

    def sweep(self, flags, **outputs):
        """One sweep of the image (:func:`_sweep_args` for ``flags``,
        thresholds and outputs)."""
        _sweep(self.smoothing, _sweep_args(flags, self.ftype, mask=self.mask, **outputs),
               self.workers)


def _ones_bleed(shape, xdtype, ftype, passes, workers):
    """skimage's ``gaussian(ones) + eps`` for a full mask, as a table of
    rows (at most ``2r + 1``, each the full width) and a row index map:
    rows (columns) at the same distances, up to r, from both borders get the
    same values in SciPy's arithmetic, so it is computed on an image of at
    most ``2r + 1`` pixels per axis (by the sweep kernel's own smoothing,
    ones in the image's kernel dtype) and expanded."""
    small_shape, maps = [], []
    for n, fw in zip(shape, passes.weights):
        r = len(fw) // 2
        k = min(n, 2 * r + 1)
        idx = np.arange(n, dtype=np.int64)
        if k < n:
            idx = np.where(idx < r, idx, np.where(idx >= n - r, k - (n - idx), r))
        small_shape.append(k)
        maps.append(np.ascontiguousarray(idx, np.int64))
    small = _smoothed_only(passes.smoothing(np.ones(small_shape, xdtype), 1.0, ftype), ftype,
                           workers)
    small = small + np.finfo(ftype).eps
    return np.ascontiguousarray(small[:, maps[1]]), maps[0]


def _kernel_input(img):
    """(array, scale) for the kernel, which reads ``double(v) * scale``:
    skimage's ``img_as_float`` folded in for uint8 / uint16 (scale
    ``1 / max``) and floats (scale 1.0); other dtypes converted here
    (float16 -> float32, signed integers and others -> float64)."""
    dt = img.dtype.newbyteorder("=")
    if dt not in _DIRECT:
        img = convert_to_float(img, False)
        img = img.astype(supported_float_type(img.dtype), copy=False)
        return contiguous_writable(img), 1.0
    scale = 1.0 / np.iinfo(dt).max if dt.kind == "u" else 1.0
    return contiguous_writable(img, dt), scale


_CANNY_PARAMS = """\
    image : 2D array
        Grayscale input image to detect edges on; can be of any dtype
        (64-bit integers excepted, as in scikit-image).
    sigma : float, optional
        Standard deviation of the Gaussian filter.
    low_threshold : float, optional
        Lower bound for hysteresis thresholding (linking edges).
        If None, low_threshold is set to 10% of dtype's max.
    high_threshold : float, optional
        Upper bound for hysteresis thresholding (linking edges).
        If None, high_threshold is set to 20% of dtype's max.
    mask : array, dtype=bool, optional
        Mask to limit the application of Canny to a certain area.
    use_quantiles : bool, optional
        If ``True`` then treat low_threshold and high_threshold as
        quantiles of the edge magnitude image, rather than absolute
        edge magnitude values. If ``True`` then the thresholds must be
        in the range [0, 1].
    mode : str, {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}
        Keyword-only. The ``mode`` parameter determines how the array
        borders are handled during Gaussian filtering, where ``cval`` is the
        value when mode is equal to 'constant'.
    cval : float, optional
        Keyword-only. Value to fill past edges of input if `mode` is
        'constant'."""


#: fill_doc that also puts the shared Canny parameters at ``{canny_params}``
_canny_doc = fill_doc.with_texts(canny_params=_CANNY_PARAMS)


def _canny(image, sigma, low_threshold, high_threshold, mask, use_quantiles, mode, cval,
           workers, stages):
    image = _check_image(image)
    lo, hi = _thresholds(image, low_threshold, high_threshold, use_quantiles)
    plan = _Plan(image, sigma, mask, mode, cval, workers)
    smoothed = magnitude = nms_map = None
    if stages:
        smoothed = np.empty(image.shape, plan.ftype)
        nms_map = np.empty(image.shape, plan.ftype)
    if stages or use_quantiles:
        magnitude = np.empty(image.shape, plan.ftype)
    again = {"smoothed": smoothed, "magnitude": magnitude}
    if use_quantiles:
        # the thresholds need the whole magnitude first: a first sweep
        # writes it (and the smoothed image), the second neither again
        plan.sweep(edges_kernels.MAGNITUDE_ONLY, **again)
        lo, hi = np.percentile(magnitude, [100.0 * lo, 100.0 * hi])
        again = {}
    cls = np.empty(image.shape, np.uint8)
    bits = _bit_rows(image.shape)
    plan.sweep(0, low=_low_for_nms(lo), high=_high_for_compare(hi, plan.ftype), cls=cls,
               nms=nms_map, bits=bits, **again)
    edges = canny_hysteresis(cls, workers, bits)
    if stages:
        return CannyStages(smoothed, magnitude, nms_map, lo, hi, edges)
    return edges


@_canny_doc
def canny(image: npt.ArrayLike, sigma: float | Sequence[float] = 1.0,
          low_threshold: float | None = None, high_threshold: float | None = None,
          mask: npt.ArrayLike | None = None, use_quantiles: bool = False, *,
          mode: str = "constant", cval: float = 0.0,
          workers: int | None = None) -> np.ndarray:
    """Edge filter an image using the Canny algorithm.

    Drop-in for :func:`skimage.feature.canny` (scikit-image 0.26): the same
    edge pixels, bit for bit.

    Parameters
    ----------
    {canny_params}
    {workers}

    Returns
    -------
    output : 2D array of bool
        The binary edge map.

    Notes
    -----
    Differences from :func:`skimage.feature.canny`: none in results;
    ``workers`` is extra; array-likes are accepted.  Error messages are
    scikit-image's followed by what was received.

    The steps are scikit-image's: Gaussian smoothing of the masked image
    (divided by the smoothed mask when ``mode='constant'`` or a mask is
    given, so the border does not darken), SciPy's unnormalised Sobel
    gradients, the magnitude ``sqrt(isobel**2 + jsobel**2)``, bilinear
    non-maximum suppression with scikit-image's float32 low threshold and
    arithmetic, and 8-connected hysteresis.  Pixels on the one-pixel border
    and next to a masked-out pixel (the mask eroded by a 3x3 square) are
    never edges.  Thresholds are in the units of the image's dtype
    (divided by its maximum; defaults 10% and 20% of it), or quantiles of
    the magnitude with ``use_quantiles``.

    Smoothing, gradients, magnitude and suppression run in one parallel
    row sweep over the input (no full-size intermediate arrays); the
    hysteresis grows the strong pixels through runs of weak ones on
    bit-packed rows (a flood fill with an explicit stack finishes paths
    that turn back very often).  NaN in the image: NaN spreads through the smoothing, its
    magnitudes fail every comparison, so no pixel whose smoothed
    neighbourhood holds a NaN is an edge (as in scikit-image; with
    ``use_quantiles`` the thresholds are NaN and the result is empty).
    See :func:`canny_stages` for the intermediate images and
    :func:`apply_hysteresis_threshold` for the hysteresis on its own.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import feature
    >>> image = np.zeros((8, 8))
    >>> image[2:6, 2:6] = 1.0
    >>> feature.canny(image).astype(int)[1:7, 1:7].tolist()
    [[0, 0, 0, 0, 0, 0], [0, 1, 1, 1, 1, 0], [0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 1, 0], [0, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0]]
    """
    return _canny(image, sigma, low_threshold, high_threshold, mask, use_quantiles, mode,
                  cval, workers, False)


@_canny_doc
def canny_stages(image: npt.ArrayLike, sigma: float | Sequence[float] = 1.0,
                 low_threshold: float | None = None, high_threshold: float | None = None,
                 mask: npt.ArrayLike | None = None, use_quantiles: bool = False, *,
                 mode: str = "constant", cval: float = 0.0,
                 workers: int | None = None) -> CannyStages:
    """The stages of :func:`canny`, each reachable on its own.

    The smoothed image, the gradient magnitude, the non-maximum-suppressed
    map, the thresholds used and the edges.

    fastimg's own function (no scikit-image counterpart); same parameters
    and rules as :func:`canny`, whose ``edges`` it returns too.

    Parameters
    ----------
    {canny_params}
    {workers}

    Returns
    -------
    stages : CannyStages
        A named tuple ``(smoothed, magnitude, nms, low_threshold,
        high_threshold, edges)``: the smoothed float32 / float64 image
        (after the bleed-over division), the Sobel gradient magnitude
        (same dtype), the magnitude where a pixel survives non-maximum
        suppression and the low threshold (0 elsewhere), the thresholds in
        the smoothed image's units (quantiles resolved; the low one is
        compared as a float32, as scikit-image does), and the bool edges.

    Notes
    -----
    Differences from scikit-image: none (the arrays equal the intermediates
    of :func:`skimage.feature.canny`); ``workers`` is extra.  Writing the
    magnitude and NMS maps costs two extra full-size arrays, which
    :func:`canny` does not allocate.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import feature
    >>> image = np.zeros((8, 8))
    >>> image[2:6, 2:6] = 1.0
    >>> st = feature.canny_stages(image, 1.0)
    >>> st.smoothed.dtype, st.low_threshold, st.high_threshold, int(st.edges.sum())
    (dtype('float64'), 0.1, 0.2, 12)
    """
    return _canny(image, sigma, low_threshold, high_threshold, mask, use_quantiles, mode,
                  cval, workers, True)
