"""Reference (oracle) B-spline interpolation with SciPy 1.17 semantics.

Mirrors ``scipy.ndimage`` spline_filter1d, spline_filter, zoom, shift,
affine_transform, map_coordinates and rotate for real inputs, written the
obvious way: every output pixel's input coordinate is computed, its
footprint of ``order + 1`` taps per axis found and weighted, one pixel at
a time in plain Python.  Valid arguments only (the error paths are tested
against SciPy).

Rules encoded (read from SciPy's ``ni_interpolation.c`` / ``ni_splines.c``):

* prefilter: per line, gain ``prod (1 - z)(1 - 1/z)`` over the poles, then
  per pole a causal pass ``c[i] += z c[i-1]`` and an anticausal pass
  ``c[i] = z (c[i+1] - c[i])``, each started by the mode's initial value
  (mirror, periodic for ``grid-wrap``, half-sample reflect for
  ``reflect``/``nearest``), summed over the whole line; ``nearest`` and
  ``grid-constant`` pad 12 samples first (edge values / ``cval``);
* a coordinate outside ``[0, n - 1]`` is mapped by the mode (``constant``:
  the pixel takes ``cval``); the footprint starts at ``floor(c) - order//2``
  (odd orders) or ``floor(c + 0.5) - order//2`` (even); taps outside the
  input are mapped by ``mirror`` (for ``constant`` and ``wrap``) or the
  mode itself, and read ``cval`` for ``grid-constant``;
* weights: the B-spline of the order at the tap offsets, in SciPy's closed
  forms (checked against the Cox-de Boor definition, :func:`bspline`);
  the last weight is ``1 -`` the others;
* value: ``t = 0; t += value * w_axis0 * w_axis1 ...`` over the footprint in
  C order; integer outputs round half away from zero and clip.
"""
import math

import numpy as np

# the poles: roots of the B-spline's sampled z-transform, as SciPy's
# 36-digit literals (sqrt(8) - 3, sqrt(3) - 2, ...; the closed forms round
# differently in the last bit)
_POLES = {2: [-0.171572875253809902396622551580603843],
          3: [-0.267949192431122706472553658494127633],
          4: [-0.361341225900220177092212841325675255,
              -0.013725429297339121360331226939128204],
          5: [-0.430575347099973791851434783493520110,
              -0.043096288203264653822712376822550182]}


# Cephes' degree-based sine and cosine (SciPy's special.sindg / cosdg):
# octants of 45 degrees, then a polynomial in radians on [0, 45].
_SIN = (1.58962301572218447952e-10, -2.50507477628503540135e-8,
        2.75573136213856773549e-6, -1.98412698295895384658e-4,
        8.33333333332211858862e-3, -1.66666666666666307295e-1)
_COS = (1.13678171382044553091e-11, -2.08758833757683644217e-9,
        2.75573155429816611547e-7, -2.48015872936186303776e-5,
        1.38888888888806666760e-3, -4.16666666666666348141e-2,
        4.99999999999999999798e-1)


def _horner(x, coefs):
    acc = coefs[0]
    for c in coefs[1:]:
        acc = acc * x + c
    return acc


def _degrees(x, cosine):
    """sin (or cos) of ``x`` degrees the way SciPy computes it."""
    sign = 1
    if x < 0:
        x = -x
        sign = 1 if cosine else -1
    if x > 1.0e14:
        return 0.0
    y = math.floor(x / 45.0)
    octant = int(y - 16.0 * math.floor(y / 16.0))
    if octant & 1:      # odd octants measured from the next multiple of 90
        octant += 1
        y += 1.0
    octant &= 7
    if octant > 3:
        sign = -sign
        octant -= 4
    if cosine and octant > 1:
        sign = -sign
    z = (x - y * 45.0) * 1.74532925199432957692e-2
    zz = z * z
    if (octant in (1, 2)) != cosine:
        v = 1.0 - zz * _horner(zz, _COS)
    else:
        v = z + z * (zz * _horner(zz, _SIN))
    return -v if sign < 0 else v


def bspline(x, order):
    """The centred B-spline of ``order`` at ``x`` (Cox-de Boor recursion)."""
    def b(k, t):
        if k == 0:
            return 1.0 if 0 <= t < 1 else 0.0
        return (t * b(k - 1, t) + (k + 1 - t) * b(k - 1, t - 1)) / k
    return b(order, x + (order + 1) / 2)


def _trunc(x):
    """C's ``(npy_intp)x`` on x86-64."""
    if not (-2.0 ** 63 <= x < 2.0 ** 63):
        return -(2 ** 63)
    return int(x)


def _wrap64(i):
    return (i + 2 ** 63) % 2 ** 64 - 2 ** 63


def map_coordinate(x, n, mode):
    """SciPy's mapping of a coordinate outside ``[0, n - 1]``."""
    if x < 0:
        if mode in ("mirror",):
            if n <= 1:
                return 0.0
            s = 2 * n - 2
            x = _wrap64(s * _trunc(-x / s)) + x
            return x + s if x <= 1 - n else -x
        if mode in ("reflect", "grid-mirror"):
            if n <= 1:
                return 0.0
            s = 2 * n
            if x < -s:
                x = _wrap64(s * _trunc(-x / s)) + x
            return x + s if x < -n else (1e-15 if x > -1e-15 else -x) - 1
        if mode == "wrap":
            return 0.0 if n <= 1 else x + _wrap64((n - 1) * (_trunc(-x / (n - 1)) + 1))
        if mode == "grid-wrap":
            return 0.0 if n <= 1 else x + _wrap64(n * (_trunc((-1 - x) / n) + 1))
        if mode == "nearest":
            return 0.0
        if mode == "constant":
            return -1.0
    elif x > n - 1:
        if mode == "mirror":
            if n <= 1:
                return 0.0
            s = 2 * n - 2
            x -= _wrap64(s * _trunc(x / s))
            return s - x if x >= n else x
        if mode in ("reflect", "grid-mirror"):
            if n <= 1:
                return 0.0
            s = 2 * n
            x -= _wrap64(s * _trunc(x / s))
            return s - x - 1 if x >= n else x
        if mode == "wrap":
            return 0.0 if n <= 1 else x - _wrap64((n - 1) * _trunc(x / (n - 1)))
        if mode == "grid-wrap":
            return 0.0 if n <= 1 else x - _wrap64(n * _trunc(x / n))
        if mode == "nearest":
            return float(n - 1)
        if mode == "constant":
            return -1.0
    return x


def weights(x, order):
    """The ``order + 1`` B-spline weights of the footprint of ``x``."""
    x = x - math.floor(x if order & 1 else x + 0.5)
    y, z = x, 1.0 - x
    if order == 0:
        return [1.0]
    if order == 1:
        w = [1.0 - x]
    elif order == 2:
        w = [0.5 * (0.5 - x) * (0.5 - x), 0.75 - x * x]
    elif order == 3:
        w = [z * z * z / 6.0, (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0,
             (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0]
    elif order == 4:
        t = x * x
        y1 = 1.0 + x
        y2 = 0.5 - x
        w = [y2 * y2 * (y2 * y2) / 24.0,
             y1 * (y1 * (y1 * (5.0 - y1) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0,
             t * (t * 0.25 - 0.625) + 115.0 / 192.0,
             z * (z * (z * (5.0 - z) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0]
    else:
        y1, z1, y2 = y + 1.0, z + 1.0, 1.0 - x
        w = [y2 * (y2 * y2) * (y2 * y2) / 120.0,
             y1 * (y1 * (y1 * (y1 * (y1 / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425,
             y * y * (y * y * (0.25 - y / 12.0) - 0.5) + 0.55,
             z * z * (z * z * (0.25 - z / 12.0) - 0.5) + 0.55,
             z1 * (z1 * (z1 * (z1 * (z1 / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425]
    last = 1.0
    for v in w:
        last -= v
    return w + [last]


def _prefilter_line(c, order, mode):
    n = len(c)
    if n <= 1:
        return c
    poles = _POLES[order]
    gain = 1.0
    for z in poles:
        gain *= (1.0 - z) * (1.0 - 1.0 / z)
    c = [float(v) * gain for v in c]
    for z in poles:
        if mode == "grid-wrap":
            zi = z
            for i in range(1, n):
                c[0] += zi * c[n - i]
                zi *= z
            c[0] /= 1 - zi
        elif mode in ("reflect", "grid-mirror", "nearest"):
            zn = z ** float(n)
            c0 = c[0]
            c[0] = c[0] + zn * c[n - 1]
            zi = z
            for i in range(1, n):
                c[0] += zi * (c[i] + zn * c[n - 1 - i])
                zi *= z
            c[0] *= z / (1 - zn * zn)
            c[0] += c0
        else:
            zn1 = z ** float(n - 1)
            c[0] = c[0] + zn1 * c[n - 1]
            zi = z
            for i in range(1, n - 1):
                c[0] += zi * (c[i] + zn1 * c[n - 1 - i])
                zi *= z
            c[0] /= 1 - zn1 * zn1
        for i in range(1, n):
            c[i] += z * c[i - 1]
        if mode == "grid-wrap":
            zi = z
            for i in range(n - 1):
                c[n - 1] += zi * c[i]
                zi *= z
            c[n - 1] *= z / (zi - 1)
        elif mode in ("reflect", "grid-mirror", "nearest"):
            c[n - 1] *= z / (z - 1)
        else:
            c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1)
        for i in range(n - 2, -1, -1):
            c[i] = z * (c[i + 1] - c[i])
    return c


def spline_filter1d(input, order=3, axis=-1, mode="mirror"):
    """float64 B-spline coefficients along ``axis`` (orders 2 to 5)."""
    c = np.array(input, dtype=np.float64)
    c = np.moveaxis(c, axis, -1).copy()
    for idx in np.ndindex(c.shape[:-1]):
        c[idx] = _prefilter_line(list(c[idx]), order, mode)
    return np.moveaxis(c, -1, axis)


def spline_filter(input, order=3, mode="mirror"):
    """``spline_filter1d`` along every axis, axis 0 first."""
    c = np.array(input, dtype=np.float64)
    for axis in range(c.ndim):
        c = spline_filter1d(c, order, axis, mode)
    return c


def _store(values, dtype):
    """SciPy's store of float64 results: round half away from zero and clip
    for integers."""
    dtype = np.dtype(dtype)
    out = np.empty(values.shape, dtype)
    for idx in np.ndindex(values.shape):
        t = float(values[idx])
        if dtype.kind == "f":
            out[idx] = t
            continue
        info = np.iinfo(dtype)
        t = (t + 0.5 if t > 0 else 0.0) if dtype.kind == "u" else \
            (t + 0.5 if t > 0 else t - 0.5)
        out[idx] = int(min(max(t, info.min), info.max))
    return out


def _coefficients(input, order, mode, cval, prefilter):
    if not (prefilter and order > 1):
        return np.asarray(input, np.float64), 0
    npad = 0
    if mode == "nearest":
        npad, input = 12, np.pad(input, 12, mode="edge")
    elif mode == "grid-constant":
        npad, input = 12, np.pad(input, 12, mode="constant", constant_values=cval)
    return spline_filter(input, order, mode), npad


def _value(c, coord, order, mode, cval, npad):
    """The interpolated value at one input coordinate (a tuple)."""
    taps, ws = [], []
    for h, x in enumerate(coord):
        n = c.shape[h]
        x = x + npad
        if mode not in ("grid-constant", "nearest"):
            x = map_coordinate(x, n, mode)
            if not x > -1.0:
                return cval
        start = _trunc(math.floor(x if order & 1 else x + 0.5)) - order // 2
        spline = "mirror" if mode in ("constant", "wrap") else mode
        idx = []
        for k in range(order + 1):
            i = start + k
            if mode == "grid-constant":
                idx.append(i if 0 <= i < n else None)
            elif start < 0 or start + order >= n:
                idx.append(int(map_coordinate(float(i), n, spline)))
            else:
                idx.append(i)
        taps.append(idx)
        ws.append(weights(x, order))
    t = 0.0
    for combo in np.ndindex(*(order + 1,) * c.ndim):
        pos = [taps[h][k] for h, k in enumerate(combo)]
        v = cval if any(p is None for p in pos) else float(c[tuple(pos)])
        if order > 0:
            for h, k in enumerate(combo):
                v *= ws[h][k]
        t += v
    return t


def map_coordinates(input, coordinates, order=3, mode="constant", cval=0.0, prefilter=True,
                    output=None):
    """The input at each point of ``coordinates`` (first axis: input axes)."""
    input = np.asarray(input)
    coordinates = np.asarray(coordinates, np.float64)
    c, npad = _coefficients(input, order, mode, cval, prefilter)
    res = np.empty(coordinates.shape[1:])
    for idx in np.ndindex(res.shape):
        res[idx] = _value(c, tuple(coordinates[(slice(None),) + idx]), order, mode, cval, npad)
    return _store(res, input.dtype if output is None else output)


def affine_transform(input, matrix, offset=0.0, output_shape=None, order=3, mode="constant",
                     cval=0.0, prefilter=True, output=None):
    """The input at ``matrix @ o + offset`` for each output index ``o``
    (a 2-D ``matrix``, or a 1-D one: its diagonal)."""
    input = np.asarray(input)
    matrix = np.asarray(matrix, np.float64)
    offset = np.broadcast_to(np.asarray(offset, np.float64), (input.ndim,))
    shape = input.shape if output_shape is None else tuple(output_shape)
    c, npad = _coefficients(input, order, mode, cval, prefilter)
    res = np.empty(shape)
    for o in np.ndindex(shape):
        if matrix.ndim == 1:   # SciPy's zoom-and-shift path: (o + offset / m) * m
            coord = tuple((o[h] + offset[h] / matrix[h]) * matrix[h] for h in range(input.ndim))
        else:
            coord = []
            for h in range(input.ndim):
                x = offset[h]
                for m, v in zip(matrix[h], o):
                    x += v * m
                coord.append(x)
        res[o] = _value(c, tuple(coord), order, mode, cval, npad)
    return _store(res, input.dtype if output is None else output)


def _zoom_shift(input, zooms, shifts, shape, order, mode, cval, prefilter, grid_mode, output):
    input = np.asarray(input)
    c, npad = _coefficients(input, order, mode, cval, prefilter)
    res = np.empty(shape)
    for o in np.ndindex(shape):
        coord = []
        for h, k in enumerate(o):
            x = float(k)
            if shifts is not None:
                x += shifts[h]
            if zooms is not None:
                x = (x + 0.5) * zooms[h] - 0.5 if grid_mode else x * zooms[h]
            coord.append(x)
        res[o] = _value(c, tuple(coord), order, mode, cval, npad)
    return _store(res, input.dtype if output is None else output)


def zoom(input, zoom, order=3, mode="constant", cval=0.0, prefilter=True, grid_mode=False,
         output=None):
    """Resample so that axis ``d`` has ``round(n_d * zoom_d)`` samples; the
    corner samples (or, with ``grid_mode``, the pixel edges) coincide."""
    input = np.asarray(input)
    zooms = np.broadcast_to(np.asarray(zoom, np.float64), (input.ndim,))
    shape = tuple(int(round(n * z)) for n, z in zip(input.shape, zooms))
    if np.all(zooms == 1) and prefilter:
        return input.astype(input.dtype if output is None else output)
    factors = []
    for n, m in zip(input.shape, shape):
        num, den = (n, m) if grid_mode else (n - 1, m - 1)
        factors.append(num / den if den != 0 else 1.0)
    return _zoom_shift(input, factors, None, shape, order, mode, cval, prefilter, grid_mode,
                       output)


def shift(input, shift, order=3, mode="constant", cval=0.0, prefilter=True, output=None):
    """The input at ``o - shift`` for each output index ``o``."""
    input = np.asarray(input)
    shifts = [-s for s in np.broadcast_to(np.asarray(shift, np.float64), (input.ndim,))]
    return _zoom_shift(input, None, shifts, input.shape, order, mode, cval, prefilter, False,
                       output)


def rotate(input, angle, axes=(1, 0), reshape=True, order=3, mode="constant", cval=0.0,
           prefilter=True, output=None):
    """Rotation by ``angle`` degrees about the centre of the plane ``axes``
    (every parallel plane alike)."""
    input = np.asarray(input)
    a0, a1 = sorted(ax % input.ndim for ax in axes)
    c, s = _degrees(angle, True), _degrees(angle, False)
    m = np.array([[c, s], [-s, c]])
    ny, nx = input.shape[a0], input.shape[a1]
    if reshape:
        corners = m @ [[0, 0, ny, ny], [0, nx, 0, nx]]
        oy, ox = (np.ptp(corners, axis=1) + 0.5).astype(int)
    else:
        oy, ox = ny, nx
    offset = (np.array([ny, nx]) - 1) / 2 - m @ ((np.array([oy, ox]) - 1) / 2)
    moved = np.moveaxis(input, (a0, a1), (0, 1))
    res = np.empty((oy, ox) + moved.shape[2:], input.dtype if output is None else output)
    for idx in np.ndindex(moved.shape[2:]):
        res[(slice(None), slice(None)) + idx] = affine_transform(
            moved[(slice(None), slice(None)) + idx], m, offset, (oy, ox), order, mode, cval,
            prefilter, output)
    return np.moveaxis(res, (0, 1), (a0, a1))
