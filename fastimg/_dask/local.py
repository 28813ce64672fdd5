"""The overlap each local operation needs: one rule per function.

A rule reads the call's arguments (``params``: every parameter by name, the
defaults filled in) and the image's dimension count, and returns the depth
per axis that makes a chunk's result equal the whole image's in the chunk's
core: the kernel's reach (``size // 2``, one more for an even size whose
centre moves with the origin or a flip) plus ``|origin|``, times the number
of passes that widen it (opening = erosion then dilation; ``iterations``).
A Gaussian reaches ``int(truncate * sigma + 0.5)`` (SciPy's radius) or
``radius=``.  More depth than needed is exact too; less is not.

A rule raises :class:`NotLocal` when the call is not local after all
(``iterations < 1`` repeats until nothing changes; ``convolve2d`` outside
``mode='same'``); the twin then runs the whole-array strategy.  Any other
error (a malformed argument) also sends the call there, so the function
itself reports it with its own exception.
"""
from __future__ import annotations

import numpy as np

__all__ = ["NotLocal", "RULES", "boundaries", "WRAP_MODES"]

#: modes that continue the image periodically: dask's ``'periodic'``
#: boundary supplies the far side's pixels at the true edge
WRAP_MODES = ("wrap", "grid-wrap")


class NotLocal(Exception):
    """This call of a local function is not local (see the module)."""


def _axes(p, ndim, key="axes"):
    axes = p.get(key)
    if axes is None:
        return list(range(ndim))
    axes = [axes] if np.ndim(axes) == 0 else list(axes)
    return [int(a) % ndim for a in axes]


def _per_axis(value, count):
    """A scalar or sequence as ``count`` values."""
    if np.ndim(value) == 0:
        return [value] * count
    value = list(value)
    if len(value) != count:
        raise ValueError("sequence length differs from the axes")
    return value


def _reach(size, origin=0):
    """Pixels a window of ``size`` with ``origin`` reads on either side."""
    size = int(size)
    return size // 2 + (1 if size % 2 == 0 else 0) + abs(int(origin))


def _spread(values, axes, ndim):
    out = [0] * ndim
    for a, v in zip(axes, values):
        out[a] = max(out[a], int(v))
    return tuple(out)


def _window(shape, p, ndim, origin_key="origin", times=1):
    axes = _axes(p, ndim)
    if len(shape) != len(axes):
        raise ValueError("footprint rank differs from the axes")
    origins = _per_axis(p.get(origin_key) or 0, len(axes))
    return _spread([times * _reach(s, o) for s, o in zip(shape, origins)], axes, ndim)


def _gaussian(p, ndim):
    axes = _axes(p, ndim)
    sigmas = _per_axis(p["sigma"], len(axes))
    if p.get("radius") is not None:
        radii = _per_axis(p["radius"], len(axes))
    else:
        radii = [int(float(p["truncate"]) * float(s) + 0.5) for s in sigmas]
    return _spread(radii, axes, ndim)


def _gaussian1d(p, ndim):
    r = p["radius"] if p.get("radius") is not None else int(
        float(p["truncate"]) * float(p["sigma"]) + 0.5)
    return _spread([r], [int(p["axis"]) % ndim], ndim)


def _weights(p, ndim):
    return _window(np.shape(p["weights"]), p, ndim)


def _weights1d(p, ndim):
    n = np.shape(p["weights"])[0]
    return _spread([_reach(n, p.get("origin") or 0)], [int(p["axis"]) % ndim], ndim)


#: a depth no axis reaches: the axis becomes one chunk (whole lines)
WHOLE = 1 << 62


def _running_mean_drifts(p):
    """True where SciPy's running mean rounds differently in a chunk than
    in the whole line: it sums the first window, then adds ``(new - old) /
    size`` along the line, so each value carries the rounding of every step
    before it.  In float64 (and complex128) that rounding shows; narrower
    types are accumulated in double and rounded back, which absorbs it
    (checked by tests/test_dask_speed_paths.py)."""
    types = [p.get("input"), p.get("output")]
    for t in types:
        if t is None:
            continue
        if isinstance(t, (type, str, np.dtype)):
            dt = np.dtype(t)
        else:
            dt = getattr(t, "dtype", None)
            dt = np.dtype(dt) if dt is not None else np.asarray(t).dtype
        if dt.kind == "f" and dt.itemsize >= 8 or dt.kind == "c" and dt.itemsize >= 16:
            return True
    return False


def _uniform(p, ndim):
    axes = _axes(p, ndim)
    sizes = _per_axis(p["size"], len(axes))
    if _running_mean_drifts(p):
        # SciPy skips the axes of size 1: they keep their chunks
        return _spread([WHOLE if int(s) > 1 else 0 for s in sizes], axes, ndim)
    return _window(sizes, p, ndim)


def _uniform1d(p, ndim):
    if _running_mean_drifts(p):
        return _spread([WHOLE], [int(p["axis"]) % ndim], ndim)
    return _spread([_reach(p["size"], p.get("origin") or 0)], [int(p["axis"]) % ndim], ndim)


def _ones(p, ndim):
    return (1,) * ndim


def _footprint_shape(p, ndim, keys=("footprint", "structure")):
    for key in keys:
        if p.get(key) is not None:
            return np.shape(p[key])
    if p.get("size") is None:
        raise ValueError("no size nor footprint")
    return tuple(_per_axis(p["size"], len(_axes(p, ndim))))


def _rank(p, ndim):
    return _window(_footprint_shape(p, ndim, ("footprint",)), p, ndim)


def _grey(times):
    def rule(p, ndim):
        return _window(_footprint_shape(p, ndim), p, ndim, times=times)
    return rule


def _binary(times):
    def rule(p, ndim):
        iterations = int(p.get("iterations", 1))
        if iterations < 1:
            raise NotLocal("iterations < 1 repeats until nothing changes")
        axes = _axes(p, ndim)
        shape = np.shape(p["structure"]) if p.get("structure") is not None else (3,) * len(axes)
        return _window(shape, p, ndim, times=times * iterations)
    return rule


def _hit_or_miss(p, ndim):
    axes = _axes(p, ndim)
    depth = [0] * ndim
    for s_key, o_key in (("structure1", "origin1"), ("structure2", "origin2")):
        shape = np.shape(p[s_key]) if p.get(s_key) is not None else (3,) * len(axes)
        origin = p.get(o_key) if p.get(o_key) is not None else p.get("origin1") or 0
        d = _window(shape, {**p, "origin": origin}, ndim)
        depth = [max(a, b) for a, b in zip(depth, d)]
    return tuple(depth)


def _sk_gaussian(p, ndim):
    sigma = p["sigma"]
    channel = p.get("channel_axis")
    if channel is not None:
        sigma = [sigma] * (ndim - 1) if np.ndim(sigma) == 0 else list(sigma)
        if len(sigma) == ndim - 1:
            sigma.insert(int(channel) % ndim, 0)
    sigmas = _per_axis(sigma, ndim)
    return tuple(int(float(p["truncate"]) * float(s) + 0.5) for s in sigmas)


def _sk_median(p, ndim):
    fp = p.get("footprint")
    shape = np.shape(fp) if fp is not None else (3,) * ndim
    return tuple(_reach(s) for s in shape)


def _sk_footprints(fp, ndim):
    """Per-axis reach of a scikit-image footprint or sequence of
    ``(footprint, repeats)`` pairs (the decomposed forms)."""
    if fp is None:
        return [1] * ndim
    if isinstance(fp, (tuple, list)) and fp and isinstance(fp[0], tuple):
        total = [0] * ndim
        for part, repeats in fp:
            total = [t + int(repeats) * _reach(s) for t, s in zip(total, np.shape(part))]
        return total
    return [_reach(s) for s in np.shape(fp)]


def _sk_morph(times):
    def rule(p, ndim):
        return tuple(times * r for r in _sk_footprints(p.get("footprint"), ndim))
    return rule


def _medfilt2d(p, ndim):
    k = _per_axis(p["kernel_size"], ndim)
    return tuple(int(s) // 2 for s in k)


def _conv2d(p, ndim):
    if p.get("mode") != "same":
        raise NotLocal("only mode='same' keeps the input's shape")
    return tuple(max(int(s) - 1, 0) for s in np.shape(p["in2"]))


#: qualname -> depth rule
RULES = {
    "ndimage.correlate": _weights, "ndimage.convolve": _weights,
    "ndimage.correlate1d": _weights1d, "ndimage.convolve1d": _weights1d,
    "ndimage.gaussian_filter": _gaussian, "ndimage.gaussian_filter1d": _gaussian1d,
    "ndimage.uniform_filter": _uniform, "ndimage.uniform_filter1d": _uniform1d,
    "ndimage.sobel": _ones, "ndimage.prewitt": _ones,
    "signal.convolve2d": _conv2d, "signal.correlate2d": _conv2d,
    "signal.medfilt2d": _medfilt2d,
    "filters.gaussian": _sk_gaussian, "filters.sobel": _ones, "filters.median": _sk_median,
    **{f"ndimage.{n}": _rank for n in ("median_filter", "rank_filter", "percentile_filter",
                                       "minimum_filter", "maximum_filter")},
    **{f"ndimage.{n}": _grey(1) for n in ("grey_erosion", "grey_dilation",
                                          "morphological_gradient", "morphological_laplace")},
    **{f"ndimage.{n}": _grey(2) for n in ("grey_opening", "grey_closing", "white_tophat",
                                          "black_tophat")},
    "ndimage.binary_erosion": _binary(1), "ndimage.binary_dilation": _binary(1),
    "ndimage.binary_opening": _binary(2), "ndimage.binary_closing": _binary(2),
    "ndimage.binary_hit_or_miss": _hit_or_miss,
    "morphology.erosion": _sk_morph(1), "morphology.dilation": _sk_morph(1),
    **{f"morphology.{n}": _sk_morph(2) for n in ("opening", "closing", "white_tophat",
                                                 "black_tophat")},
}


def boundaries(qualname, p, ndim):
    """dask ``boundary`` per axis: ``'periodic'`` where the function's mode
    wraps (its own wrap then never reaches the core), ``'none'`` elsewhere
    (the function's own mode applies at the true edge)."""
    if qualname.startswith("signal.") and "boundary" in p:
        modes = [p["boundary"]] * ndim
    else:
        mode = p.get("mode", "reflect")
        if isinstance(mode, str):
            modes = [mode] * ndim
        else:
            modes = ["reflect"] * ndim
            for a, m in zip(_axes(p, ndim), mode):
                modes[a] = m
    return {a: "periodic" if m in WRAP_MODES else "none" for a, m in enumerate(modes)}
