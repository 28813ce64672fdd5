"""Template matching and peak finding, written the obvious way (the
definition fastimg is tested against).  Encodes scikit-image 0.26's rules:

* ``match_template``: the image in its float type (float16 -> float32,
  float32 kept, anything else float64), padded with ``np.pad`` by the
  template's shape on every side; the correlation coefficient at every
  position as a loop over positions (the correlation summed directly in
  float64).  The window sums and the flat-window rule are skimage's
  definition, not a formula of our choosing: they are cumulative sums along
  each axis of the padded image in its float type followed by differences
  (``cs[w:-1] - cs[:-w-1]``), and a position scores 0 unless
  ``sqrt(max((ws2 - ws**2 / volume) * ssd, 0))`` in the float type exceeds
  its ``eps``.  Their rounding decides which near-flat windows score 0, so
  they are spelled out here the same way.  A NaN or inf anywhere in the
  padded image makes the correlation NaN at every position (skimage's FFT
  spreads it);
* OpenCV's scores (``method=``): the textbook sums over each window;
* ``peak_local_max``: a brute-force maximum over the footprint (edge pixels
  repeated), the plateau rule (an image whose every pixel is its own maximum
  has no peaks), the threshold, the border, candidates sorted by
  ``-intensity`` (stable: raster order among equals, NumPy's wrap-around for
  unsigned images), then greedy spacing: a candidate is kept unless an
  already kept one is closer than ``min_distance`` in the ``p_norm``;
  labels region by region (bounding box, background at the dtype's minimum,
  isolated pixels of the region allowed on a flat region);
* ``corner_peaks``: ``peak_local_max`` with no limit, then candidates closer
  than ``min_distance`` (distance <= it) to an earlier kept one removed.

Never imports fastimg or scikit-image.  Slow: small images only.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

METHODS = ("ccoeff_normed", "ccoeff", "ccorr", "ccorr_normed", "sqdiff", "sqdiff_normed")


def float_type(dtype):
    dtype = np.dtype(dtype)
    return np.dtype(np.float32) if dtype in (np.float16, np.float32) else np.dtype(np.float64)


def window_sums(padded, wshape):
    """skimage's window sums: cumulative sum along each axis, then
    differences ``cs[w:-1] - cs[:-w-1]``."""
    out = padded
    for axis, w in enumerate(wshape):
        cs = np.cumsum(out, axis=axis)
        n = cs.shape[axis]
        hi = np.take(cs, np.arange(w, n - 1), axis=axis)
        lo = np.take(cs, np.arange(0, n - w - 1), axis=axis)
        with np.errstate(invalid="ignore"):     # inf - inf is NaN, as in skimage
            out = hi - lo
    return out


def _prepare(image, template, pad_input, mode, constant_values):
    """The padded image, its window sums, and the output positions (as
    indices into skimage's full response)."""
    image = np.asarray(image)
    template = np.asarray(template)
    ftype = float_type(image.dtype)
    img = image.astype(ftype)
    pad = [(w, w) for w in template.shape]
    if mode == "constant":
        padded = np.pad(img, pad, mode=mode, constant_values=constant_values)
    else:
        padded = np.pad(img, pad, mode=mode)
    ws = window_sums(padded, template.shape)
    ws2 = window_sums(padded ** 2, template.shape)
    starts, sizes = [], []
    for i, t in enumerate(template.shape):
        starts.append((t - 1) // 2 if pad_input else t - 1)
        sizes.append(image.shape[i] if pad_input else image.shape[i] - t + 1)
    return template, ftype, padded, ws, ws2, starts, sizes


def _denominator(s, s2, ftype, vol, t_ssd):
    """skimage's denominator in the float type (NaN stays NaN)."""
    with np.errstate(invalid="ignore", over="ignore"):
        d = ftype.type(s2 - ftype.type(s * s / ftype.type(vol)))
        d = ftype.type(float(d) * float(t_ssd))
    if np.isnan(d):
        return d
    return ftype.type(math.sqrt(max(d, ftype.type(0))))


def match_denominator(image, template, pad_input=False, mode="constant", constant_values=0):
    """skimage's denominator ``sqrt(window variance * volume * template
    ssd)`` at every output position (a position scores 0 unless it exceeds
    ``eps``)."""
    template, ftype, padded, ws, ws2, starts, sizes = _prepare(
        image, template, pad_input, mode, constant_values)
    t_ssd = np.sum((template - template.mean()) ** 2)
    out = np.zeros(sizes, ftype)
    for pos in itertools.product(*(range(n) for n in sizes)):
        at = tuple(s + p for s, p in zip(starts, pos))
        out[pos] = _denominator(ws[at], ws2[at], ftype, template.size, t_ssd)
    return out


def match_template(image, template, pad_input=False, mode="constant", constant_values=0,
                   *, method="ccoeff_normed"):
    template, ftype, padded, ws, ws2, starts, sizes = _prepare(
        image, template, pad_input, mode, constant_values)
    t_mean = template.mean()
    t_ssd = np.sum((template - t_mean) ** 2)
    t64 = template.astype(np.float64)
    sum_t2 = float(np.sum(t64 * t64))
    eps = np.finfo(ftype).eps
    out = np.zeros(sizes, ftype)
    for pos in itertools.product(*(range(n) for n in sizes)):
        # response index (start + pos) correlates the padded image from there + 1
        at = tuple(s + p for s, p in zip(starts, pos))
        window = padded[tuple(slice(a + 1, a + 1 + t) for a, t in zip(at, template.shape))]
        w64 = window.astype(np.float64)
        xcorr = 0.0
        for idx in np.ndindex(*template.shape):
            xcorr += w64[idx] * t64[idx]
        if not np.isfinite(padded).all():
            xcorr = np.nan      # skimage's FFT spreads NaN / inf everywhere
        s, s2 = ws[at], ws2[at]
        if method == "ccoeff_normed":
            den = _denominator(s, s2, ftype, template.size, t_ssd)
            if den > eps:
                out[pos] = (xcorr - float(s) * float(t_mean)) / float(den)
        elif method == "ccorr":
            out[pos] = xcorr
        elif method == "ccoeff":
            out[pos] = xcorr - float(s) * float(t_mean)
        elif method == "sqdiff":
            out[pos] = float(s2) - 2.0 * xcorr + sum_t2
        else:
            num = xcorr if method == "ccorr_normed" else float(s2) - 2.0 * xcorr + sum_t2
            den = math.sqrt(max(float(s2), 0.0) * sum_t2)
            if den > eps:
                out[pos] = num / den
    return out


# ------------------------------------------------------------------- peaks
def minkowski(u, v, p):
    """SciPy's ``cdist(..., 'minkowski', p=p)`` of two points."""
    d = np.abs(np.asarray(u, np.float64) - np.asarray(v, np.float64))
    if p == np.inf:
        return float(d.max()) if d.size else 0.0
    if p == 1:
        return float(d.sum())
    if p == 2:
        return math.sqrt(float((d * d).sum()))
    return float(np.sum(d ** p)) ** (1.0 / p)


def local_max_nearest(image, footprint):
    """Maximum over ``footprint`` (centred at ``k // 2``) with edge pixels
    repeated (``mode='nearest'``)."""
    out = np.empty_like(image)
    offs = [np.array(o) - np.array(footprint.shape) // 2 for o in np.argwhere(footprint)]
    for pos in np.ndindex(*image.shape):
        best = None
        for o in offs:
            q = tuple(min(max(p + d, 0), n - 1) for p, d, n in zip(pos, o, image.shape))
            v = image[q]
            if best is None or v > best or (v != v):
                best = v if best is None or not (best != best) else best
        out[pos] = best
    return out


def _opening_isolated(mask):
    """``mask`` minus its binary opening (cross structure, zero border)."""
    ero = np.zeros_like(mask)
    for pos in np.ndindex(*mask.shape):
        ok = mask[pos]
        for ax in range(mask.ndim):
            for d in (-1, 1):
                q = list(pos)
                q[ax] += d
                if not 0 <= q[ax] < mask.shape[ax] or not mask[tuple(q)]:
                    ok = False
        ero[pos] = ok
    dil = ero.copy()
    for pos in zip(*np.nonzero(ero)):
        for ax in range(mask.ndim):
            for d in (-1, 1):
                q = list(pos)
                q[ax] += d
                if 0 <= q[ax] < mask.shape[ax]:
                    dil[tuple(q)] = True
    return mask & ~dil


def peak_mask(image, footprint, threshold, mask=None):
    if footprint.size == 1 or image.size == 1:
        return image > threshold
    out = image == local_max_nearest(image, footprint)
    if np.all(out if mask is None else out[mask]):
        out[:] = False
        if mask is not None:
            out[_opening_isolated(mask)] = True
    return out & (image > threshold)


def border(mask, widths):
    for i, w in enumerate(widths):
        if w:
            idx = [slice(None)] * mask.ndim
            idx[i] = slice(None, w)
            mask[tuple(idx)] = 0
            idx[i] = slice(-w, None)
            mask[tuple(idx)] = 0
    return mask


def high_peaks(image, mask, num_peaks, min_distance, p_norm):
    coords = np.argwhere(mask)
    order = np.argsort(-image[mask], kind="stable")
    coords = coords[order]
    limit = int(num_peaks) if np.isfinite(num_peaks) else len(coords)
    if min_distance > 1:
        kept = []
        for c in coords:
            if len(kept) >= limit:
                break
            if all(minkowski(c, k, p_norm) >= min_distance for k in kept):
                kept.append(c)
        coords = np.array(kept, dtype=coords.dtype).reshape(-1, image.ndim)
    return coords[:limit]


def border_widths(ndim, min_distance, exclude_border):
    if isinstance(exclude_border, bool):
        return (min_distance if exclude_border else 0,) * ndim
    if isinstance(exclude_border, int):
        return (exclude_border,) * ndim
    return tuple(exclude_border)


def peak_local_max(image, min_distance=1, threshold_abs=None, threshold_rel=None,
                   exclude_border=True, num_peaks=np.inf, footprint=None, labels=None,
                   num_peaks_per_label=np.inf, p_norm=np.inf):
    image = np.asarray(image)
    widths = border_widths(image.ndim, min_distance, exclude_border)
    threshold = threshold_abs if threshold_abs is not None else image.min()
    if threshold_rel is not None:
        threshold = max(threshold, threshold_rel * image.max())
    if footprint is None:
        footprint = np.ones((2 * min_distance + 1,) * image.ndim, bool)
    footprint = np.asarray(footprint)
    if labels is None:
        mask = border(peak_mask(image, footprint, threshold), widths)
        return high_peaks(image, mask, num_peaks, min_distance, p_norm)
    lab = border(np.asarray(labels).astype(int), widths)
    bg = (np.finfo(image.dtype).min if image.dtype.kind == "f"
          else np.iinfo(image.dtype).min)
    found = []
    for value in range(1, int(lab.max(initial=0)) + 1):
        where = np.argwhere(lab == value)
        if not len(where):
            continue
        lo, hi = where.min(axis=0), where.max(axis=0) + 1
        box = tuple(slice(a, b) for a, b in zip(lo, hi))
        region = np.asarray(labels)[box] == value
        obj = image[box].copy()
        obj[~region] = bg
        m = peak_mask(obj, footprint, threshold, region)
        c = high_peaks(obj, m, num_peaks_per_label, min_distance, p_norm)
        found.append(c + lo)
    coords = np.vstack(found) if found else np.empty((0, 2), int)
    if len(coords) > num_peaks:
        m = np.zeros(image.shape, bool)
        m[tuple(coords.T)] = True
        coords = high_peaks(image, m, num_peaks, min_distance, p_norm)
    return coords


def corner_peaks(image, min_distance=1, threshold_abs=None, threshold_rel=None,
                 exclude_border=True, indices=True, num_peaks=np.inf, footprint=None,
                 labels=None, *, num_peaks_per_label=np.inf, p_norm=np.inf):
    coords = peak_local_max(image, min_distance, threshold_abs, threshold_rel, exclude_border,
                            np.inf, footprint, labels, num_peaks_per_label)
    kept = []
    for c in coords:
        if all(minkowski(c, k, p_norm) > min_distance for k in kept):
            kept.append(c)
    coords = np.array(kept, dtype=coords.dtype).reshape(-1, coords.shape[1])
    if np.isfinite(num_peaks):
        coords = coords[:int(num_peaks)]
    if indices:
        return coords
    out = np.zeros(np.shape(image), bool)
    out[tuple(coords.T)] = True
    return out
