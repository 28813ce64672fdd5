"""Output shapes of whole-array functions whose result is not shaped like
their input, from the call's arguments (the single-machine functions' own
rules), so their lazy results have known sizes.  A function missing here,
or a rule that cannot read its arguments, gives unknown (NaN) sizes until
computed; ``tests/test_dask.py`` checks every lazy shape against the
computed result."""
from __future__ import annotations

import numpy as np

__all__ = ["output_shape"]


def _seq(value, n):
    return [value] * n if np.ndim(value) == 0 else list(value)


def _zoom(p, shape):
    return tuple(int(round(s * z)) for s, z in zip(shape, _seq(p["zoom"], len(shape))))


def _affine(p, shape):
    return tuple(int(s) for s in p["output_shape"]) if p.get("output_shape") is not None \
        else None


def _map_coordinates(p, shape):
    return tuple(np.shape(p["coordinates"])[1:])


def _resize(p, shape):
    out = tuple(int(s) for s in p["output_shape"])
    return out + tuple(shape[len(out):]) if len(out) == len(shape) - 1 else out


def _rescale(p, shape):
    scale = _seq(p["scale"], len(shape))
    channel = p.get("channel_axis")
    if channel is not None:
        scale = _seq(p["scale"], len(shape) - 1)
        scale.insert(int(channel) % len(shape), 1)
    return tuple(int(v) for v in np.maximum(np.round(np.multiply(scale, shape)), 1))


def _downscale(p, shape):
    factors = _seq(p["factors"], len(shape))
    return tuple(-(-int(s) // int(f)) for s, f in zip(shape, factors))


def _resize_local_mean(p, shape):
    out = tuple(int(s) for s in p["output_shape"])
    channel = p.get("channel_axis")
    if channel is not None and len(out) == len(shape) - 1:
        out = list(out)
        out.insert(int(channel) % len(shape), shape[int(channel) % len(shape)])
    return tuple(out)


def _match_template(p, shape):
    if p.get("pad_input"):
        return tuple(shape)
    return tuple(int(s) - int(t) + 1 for s, t in zip(shape, np.shape(p["template"])))


def _hough_circle(p, shape):
    if p.get("full_output"):  # padded by the largest radius
        return None
    return (int(np.size(p["radius"])),) + tuple(shape)


_RULES = {"transform.resize_local_mean": _resize_local_mean,
          "feature.match_template": _match_template, "transform.hough_circle": _hough_circle,
"ndimage.zoom": _zoom, "ndimage.affine_transform": _affine,
          "ndimage.map_coordinates": _map_coordinates, "transform.resize": _resize,
          "transform.rescale": _rescale, "transform.downscale_local_mean": _downscale}


def output_shape(qualname, params, shape):
    """The result's shape, or None when not known without running it."""
    rule = _RULES.get(qualname)
    if rule is None:
        return None
    try:
        return rule(params, shape)
    except Exception:  # a malformed argument: the call itself reports it
        return None
