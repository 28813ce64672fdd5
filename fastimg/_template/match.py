"""Public wrapper of ``match_template`` (scikit-image 0.26
``skimage.feature.match_template``), with OpenCV's six scores as
``method=``.

The wrapper validates like skimage, pads with ``np.pad`` exactly as skimage
does (by the template's shape on every side, whatever ``pad_input``: the
padding enters the cumulative sums, so it is needed for their rounding),
then calls the jitted window sums, the correlation (direct float64 sums or
an overlap-save FFT in the image's float type, chosen by a cost estimate)
and the score pass of
``fastimg._template.match_kernels``.
"""
from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import fft as sp_fft

from .._core.arrays import contiguous_writable
from .._core.dispatch import SLICE_NS, resolve_workers, run
from .._core.docs import fill_doc
from . import match_kernels as mk

__all__ = ["match_template"]

#: method= names, in the order of the kernel's score codes.
METHODS = ("ccoeff_normed", "ccoeff", "ccorr", "ccorr_normed", "sqdiff", "sqdiff_normed")

#: Cost model: ns per multiply-add of the direct sums (float64 accumulation,
#: vectorised along output rows), and ns per ``n log2 n`` of one tiled real
#: FFT per float size (the FFT path does two per tile: forward and inverse).
#: Measured on this machine kind at 512x512 with templates of 2..16 pixels a
#: side: direct 0.5-0.9 ns per tap; FFT 0.2-0.7 (float32) and 1.1-1.3
#: (float64) ns per n log2 n.  The crossover lands near 4x4 templates.
_DIRECT_NS = 0.6
_FFT_NS = {4: 0.5, 8: 1.2}


def _float_type(dtype):
    """skimage's ``_supported_float_type`` (complex raises)."""
    if dtype.kind == "c":
        raise ValueError(f"complex valued input is not supported (got image dtype {dtype})")
    if dtype in (np.float32, np.float16):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _validate(image, template):
    if image.size == 0:
        raise ValueError("The parameter `image` cannot be an empty array "
                         f"(got shape {image.shape})")
    if image.ndim not in (2, 3):
        raise ValueError("The parameter `image` must be a 2-or-3-dimensional array "
                         f"(got {image.ndim} dimensions)")
    if image.ndim < template.ndim:
        raise ValueError("Dimensionality of template must be less than or equal to the "
                         f"dimensionality of image (got template {template.shape}, "
                         f"image {image.shape}).")
    if template.ndim != image.ndim:
        # skimage fails later (a broadcasting ValueError or an IndexError)
        raise ValueError(f"template must have the image's {image.ndim} dimensions "
                         f"(got template {template.shape}, image {image.shape})")
    if np.any(np.less(image.shape, template.shape)):
        raise ValueError(f"Image must be larger than template (got image {image.shape}, "
                         f"template {template.shape}).")
    if template.size == 0:
        # skimage's own failure (its response has no positions to index)
        raise IndexError("too many indices for array: array is 1-dimensional, but "
                         f"{image.ndim} were indexed (got an empty template, shape "
                         f"{template.shape})")
    if template.dtype.kind == "c":
        raise TypeError("Cannot cast ufunc 'multiply' output from dtype('complex128') to "
                        f"dtype('float64') (got a complex template, {template.dtype})")


def _windows(padded3, wshape, workers):
    """skimage's ``_window_sum_2d/3d`` of ``padded3`` (3-D, float type) and
    of its squares, axis after axis."""
    cur = cur2 = padded3
    for axis, w in enumerate(wshape):
        shape = cur.shape
        outer = math.prod(shape[:axis])
        inner = math.prod(shape[axis + 1:])
        n = shape[axis]
        m = max(n - w - 1, 0)
        views = (cur.reshape(outer, n, inner), cur2.reshape(outer, n, inner))
        outs = tuple(np.empty((outer, m, inner), cur.dtype) for _ in range(2))
        rings = tuple(np.empty((outer, w + 1, inner), cur.dtype) for _ in range(2))
        by_inner = outer == 1
        run(mk.window_sums, (*views, w, axis == 0, *rings, *outs, by_inner),
            items=inner if by_inner else outer, size=2 * views[0].size, cost=1.0,
            workers=workers)
        new_shape = shape[:axis] + (m,) + shape[axis + 1:]
        cur, cur2 = outs[0].reshape(new_shape), outs[1].reshape(new_shape)
    return cur, cur2


#: A tile's copies in and out (the batched transform's input is a strided
#: view, its valid part is moved into place), in units of ``log2 L`` per
#: element: without it small tiles looked as cheap as one whole-image
#: transform, which is faster at 512² (32x32 template: 2.7 ms against 3.4 ms
#: in tiles of 128).
_TILE_COPY = 3.0


def _length_weight(L):
    """Relative cost per ``L log2 L`` of a transform length, measured on
    this machine kind (2048² float32 image, 32x32 and 128x128 templates):
    pocketfft's radix-5 passes cost about 12 % more than radix 2, radix 3
    about 4 % (L = 200 took 47 ms, 216 47 ms, where 256-320 took 38-42), and lengths above 1024 (a
    whole-image tile leaves the core's cache) about 35 % more (L = 2048: 52
    ms, L = 768: 43 ms)."""
    w = 1.35 if L > 1024 else 1.0
    while L % 5 == 0:
        w *= 1.12
        L //= 5
    while L % 3 == 0:
        w *= 1.04
        L //= 3
    return w


def _tile_length(t, extent):
    """FFT length per axis for a template side ``t`` and ``extent`` (output
    positions + t - 1): the length with the least estimated work, tiles x
    L (log2 L + copies) x the length's weight, among 5-smooth lengths from
    max(2t, 64) to the whole extent (small tiles stay in cache, large ones
    overlap less)."""
    whole = sp_fft.next_fast_len(extent, real=True)
    if t == 1:
        return 1 if extent == 1 else whole
    out = extent - t + 1
    best, best_cost = whole, _length_weight(whole) * whole * (math.log2(whole) + _TILE_COPY)
    for L in _smooth_lengths(max(2 * t, 64), whole):
        cost = _length_weight(L) * -(-out // (L - t + 1)) * L * (math.log2(L) + _TILE_COPY)
        if cost < best_cost:
            best, best_cost = L, cost
    return best


def _smooth_lengths(lo, hi):
    """The 5-smooth lengths (scipy.fft's fast real lengths) in [lo, hi), in
    increasing order."""
    out = []
    p2 = 1
    while p2 < hi:
        p3 = p2
        while p3 < hi:
            p5 = p3
            while p5 < hi:
                if p5 >= lo:
                    out.append(p5)
                p5 *= 5
            p3 *= 3
        p2 *= 2
    return sorted(out)


def _correlate_fft(padded3, tmpl3, first, oshape, ctype, threads):
    """Overlap-save FFT correlation in ``ctype``: the output is cut into
    tiles of ``L - t + 1`` positions, each correlated by one transform of
    length ``L`` per axis (all tiles in one batched ``scipy.fft`` call on
    ``threads`` threads)."""
    t = tmpl3.shape
    L = tuple(_tile_length(tk, ok + tk - 1) for tk, ok in zip(t, oshape))
    B = tuple(lk - tk + 1 for lk, tk in zip(L, t))
    n = tuple(-(-ok // bk) for ok, bk in zip(oshape, B))
    ext = tuple(nk * bk + tk - 1 for nk, bk, tk in zip(n, B, t))
    sub = np.zeros(ext, ctype)
    avail = tuple(min(e, s - f) for e, s, f in zip(ext, padded3.shape, first))
    sub[:avail[0], :avail[1], :avail[2]] = padded3[first[0]:first[0] + avail[0],
                                                   first[1]:first[1] + avail[1],
                                                   first[2]:first[2] + avail[2]]
    tiles = np.lib.stride_tricks.sliding_window_view(sub, L)[::B[0], ::B[1], ::B[2]]
    # transform only the axes longer than 1 (a 2-D image's third axis has
    # length 1: the real transform's halving must fall on a real axis)
    axes = tuple(3 + k for k in range(3) if L[k] > 1)
    s = tuple(L[a - 3] for a in axes)
    spec_t = sp_fft.rfftn(tmpl3[::-1, ::-1, ::-1].astype(ctype), s,
                          axes=tuple(a - 3 for a in axes), workers=threads)
    out = np.empty((n[0] * B[0], n[1] * B[1], n[2] * B[2]), ctype)
    # rows of tiles in groups of about dispatch.SLICE_NS of transforms: a
    # batched transform does not return to Python until it ends, so the
    # groups let a Ctrl-C through (and bound the spectra's memory)
    nfft = math.prod(L)
    per_row = _FFT_NS[np.dtype(ctype).itemsize] * 2 * n[1] * n[2] * nfft * math.log2(
        max(nfft, 2))
    step = max(1, int(SLICE_NS // max(per_row, 1.0)))
    for g in range(0, n[0], step):
        h = min(step, n[0] - g)
        spec = sp_fft.rfftn(tiles[g:g + h], s, axes=axes, workers=threads)
        spec *= spec_t
        res = sp_fft.irfftn(spec, s, axes=axes, workers=threads)
        res = res[..., t[0] - 1:, t[1] - 1:, t[2] - 1:]       # the valid part of each tile
        out[g * B[0]:(g + h) * B[0]] = res.transpose(0, 3, 1, 4, 2, 5).reshape(
            h * B[0], n[1] * B[1], n[2] * B[2])
    # whole tiles: the positions past ``oshape`` are never read (the score
    # pass loops over the output's shape), so they are not cut off by a copy
    return out


def _correlate(padded3, tmpl3, first, oshape, workers):
    """``xcorr`` (float64, or the image's float type from the FFT) of the
    output region: template taps against the padded image from offset
    ``first`` (direct sums or FFT).  The FFT's array may extend past
    ``oshape`` (whole tiles); ``xcorr[:oshape[0], :oshape[1], :oshape[2]]``
    is the correlation."""
    out_size = math.prod(oshape)
    L = [_tile_length(tk, ok + tk - 1) for tk, ok in zip(tmpl3.shape, oshape)]
    tiles = math.prod(ok / (lk - tk + 1) for ok, lk, tk in zip(oshape, L, tmpl3.shape))
    nfft = math.prod(L)
    direct_ns = _DIRECT_NS * out_size * np.count_nonzero(tmpl3)
    fft_ns = _FFT_NS[padded3.dtype.itemsize] * 2 * tiles * nfft * math.log2(max(nfft, 2))
    if direct_ns <= fft_ns or nfft == 1:
        out = np.empty(oshape, np.float64)
        run(mk.correlate_direct, (padded3, tmpl3, np.array(first, np.int64), out),
            items=oshape[0], size=out_size * tmpl3.size, cost=_DIRECT_NS, workers=workers)
        return out
    # the FFT in the image's float type, as skimage's (float32 images: float32)
    return _correlate_fft(padded3, tmpl3, first, oshape, padded3.dtype,
                          resolve_workers(workers))


@fill_doc
def match_template(image: npt.ArrayLike, template: npt.ArrayLike, pad_input: bool = False,
                   mode: str = "constant", constant_values=0, *,
                   method: str = "ccoeff_normed", workers: int | None = None) -> np.ndarray:
    """Match a template to a 2-D or 3-D image using normalized correlation.

    Drop-in for :func:`skimage.feature.match_template` (scikit-image 0.26).
    The output holds, at every position, the correlation coefficient between
    the template and the image window there (values in [-1, 1]).

    Parameters
    ----------
    image : (M, N[, P]) array
        2-D or 3-D input image.
    template : (m, n[, p]) array
        Template to locate. It must be ``(m <= M, n <= N[, p <= P])``.
    pad_input : bool
        If True, pad ``image`` so that output is the same size as the image,
        and output values correspond to the template center. Otherwise, the
        output has shape ``(M - m + 1, N - n + 1)`` and matches correspond to
        the origin (top-left corner) of the template.
    mode : see `numpy.pad`, optional
        Padding mode.
    constant_values : see `numpy.pad`, optional
        Constant values used in conjunction with ``mode='constant'``.
    method : str, optional
        Keyword-only; fastimg's addition: the score, one of OpenCV's
        ``cv2.matchTemplate`` methods: ``'ccoeff_normed'`` (the default:
        scikit-image's score, with its rule for flat windows),
        ``'ccoeff'``, ``'ccorr'``, ``'ccorr_normed'``, ``'sqdiff'``,
        ``'sqdiff_normed'``.
    {workers}

    Returns
    -------
    output : array
        Response image, float32 for float16/float32 images, float64
        otherwise.

    Notes
    -----
    Differences from :func:`skimage.feature.match_template`: the window sums
    and the test for flat windows (a denominator not above the float type's
    ``eps`` scores 0) are computed exactly as skimage computes them, so the
    same positions score 0.  The correlation itself is summed directly (in
    float64) or by an overlap-save FFT in tiles (in the image's float type,
    like skimage's whole-image FFT), whichever the cost estimate says is
    faster: scores differ from skimage's by the correlation's rounding, which
    a normalised score divides by the window's denominator (large on
    near-flat windows, where skimage's own score is rounding noise): at most
    a small multiple of ``eps * ||image|| * ||template|| / denominator``
    (the FFT's error bound, with the L2 norms of the padded image and the
    template).
    The positions that score 0 never differ.
    As in skimage, a NaN or inf anywhere in the padded image makes every
    position NaN whose window sums are finite and not flat (skimage's FFT
    spreads it; the cumulative window sums are NaN after it, which scores 0).
    A template with fewer dimensions than the image raises ValueError (skimage
    fails later with a ValueError or IndexError).

    ``method`` other than the default scores the same padded image
    (``pad_input`` and ``mode`` apply): ``'ccorr'`` is ``sum(T * I)``,
    ``'sqdiff'`` ``sum((T - I) ** 2)``, ``'ccoeff'`` ``sum(T' * I')`` with
    means removed, the ``_normed`` variants divide by
    ``sqrt(sum(T ** 2) * sum(I ** 2))`` (``ccoeff_normed``: of the
    mean-removed values).  Differences from ``cv2.matchTemplate``: any
    dtype and 3-D images are accepted, the output keeps skimage's float type,
    and a normalised score whose denominator is not above ``eps`` is 0
    (OpenCV applies its own rule to near-flat windows).

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.feature import match_template
    >>> image = np.zeros((6, 6))
    >>> image[1, 1] = 1
    >>> template = np.zeros((3, 3))
    >>> template[1, 1] = 1
    >>> result = match_template(image, template)
    >>> np.unravel_index(np.argmax(result), result.shape)
    (np.int64(0), np.int64(0))
    >>> float(result.max())
    1.0
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS} (got {method!r})")
    image = np.asarray(image)
    template = np.asarray(template)
    _validate(image, template)
    ftype = _float_type(image.dtype)
    image_shape = image.shape
    tshape = template.shape
    img = image.astype(ftype, copy=False)
    pad_width = tuple((w, w) for w in tshape)
    if mode == "constant":
        padded = np.pad(img, pad_width=pad_width, mode=mode, constant_values=constant_values)
    else:
        padded = np.pad(img, pad_width=pad_width, mode=mode)
    padded = contiguous_writable(padded, ftype)
    # template statistics exactly as skimage computes them (NumPy's pairwise sums)
    with np.errstate(all="ignore"):
        t_mean = template.mean()
        t_ssd = np.sum((template - t_mean) ** 2)
    t64 = template.astype(np.float64)
    code = METHODS.index(method)
    # the output region: offsets into skimage's full response
    lo, oshape = [], []
    for i in range(image.ndim):
        if pad_input:
            d0 = (tshape[i] - 1) // 2
            size = image_shape[i]
        else:
            d0 = tshape[i] - 1
            size = image_shape[i] - tshape[i] + 1
        lo.append(d0)
        oshape.append(size)
    if image.ndim == 2:
        padded3 = padded[:, :, None]
        t3 = t64[:, :, None]
        lo3, oshape3 = lo + [0], oshape + [1]
    else:
        padded3, t3, lo3, oshape3 = padded, t64, lo, oshape
    t3 = np.ascontiguousarray(t3)
    # response[i] correlates the padded image from i + 1 (skimage's [1:-1])
    first = [d + 1 for d in lo] + [0] * (3 - image.ndim)
    if np.isfinite(padded).all():
        xcorr = _correlate(padded3, t3, first, tuple(oshape3), workers)
    else:
        # skimage's FFT spreads a NaN or inf of the padded image over the
        # whole correlation: every position whose denominator passes is NaN
        xcorr = np.full(tuple(oshape3), np.nan)
    ws, ws2 = _windows(padded3, t3.shape[:image.ndim], workers)
    out = np.empty(tuple(oshape3), ftype)
    eps = float(np.finfo(ftype).eps)
    run(mk.scores, (xcorr, ws, ws2, np.array(lo3, np.int64), ftype.type(math.prod(tshape)),
                    float(t_mean), float(t_ssd), float(np.sum(t64 * t64)), eps, code, out),
        items=oshape3[0], size=out.size, cost=5.0, workers=workers)
    return out.reshape(tuple(oshape))
