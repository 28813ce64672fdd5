"""Reference (oracle) rank filters with SciPy 1.17 / scikit-image 0.26 semantics.

Mirrors ``scipy.ndimage`` median_filter, rank_filter, percentile_filter,
minimum_filter, maximum_filter, ``skimage.filters.median`` and
``scipy.signal.medfilt2d``.  Pure NumPy, the obvious way: pad the input by
the boundary mode, gather every window, sort it (``np.sort``: NaN last) and
take one element.  Valid arguments only (the error paths are tested against
the anchors).

Rules encoded (checked against SciPy 1.17.1 / scikit-image 0.26.0):

* window of output i along an axis of footprint length s and origin o:
  input positions ``i - (s // 2 + o) ... i - (s // 2 + o) + s - 1``;
* median: element ``n // 2`` of the sorted window (n = True cells);
  percentile p (p < 0: p + 100): ``n - 1`` at 100, else ``int(n * p / 100)``;
  a negative rank adds n; rank 0 / n - 1 are the minimum / maximum filters;
* minimum/maximum with a full box (or ``size``): 1-D passes along each axis
  with size > 1, each stored in the output dtype, ``cval`` used as a double;
* the n-D path casts ``cval`` to the input dtype (C cast) before ranking;
* 1-D input whose footprint fits (``size - ((len(fp) - 1) // 2 - origin) >=
  0``) and rank not extreme: the whole footprint box is used (False cells
  included) and ``cval`` is converted with int64 / float32 / float64 (not
  with a ``nan_policy``: fastimg's extension keeps the n-D rules);
* results are stored with the C cast of ``reference.correlation``;
* minimum / maximum without a ``nan_policy`` follow SciPy's comparisons
  (they decide where NaN and which of -0.0 / +0.0 end up): a separable
  pass runs Richard Harter's deque (``NI_MinOrMaxFilter1D``: the front is
  replaced by a value ``<=`` it (``>=`` for the maximum), the back popped
  while ``>=`` the new value); a footprint keeps the first cell's value
  (C order) and takes a later one only if strictly smaller (larger);
* other ranks: NaN (SciPy: undefined) sorts above +inf; ``nan_policy='propagate'``: NaN
  if the window holds one; ``'omit'``: the rank among the m non-NaN values
  (median m // 2, percentile from m, negative rank + m), NaN if none;
* skimage ``median(behavior='rank')``: element m // 2 of the m footprint
  cells inside the image (0 when none), uint8 / uint16 only;
* ``medfilt2d``: zero padding (``rank_filter`` of rank n // 2, 'constant').
"""

import numpy as np

from .correlation import _cast_like_c

__all__ = ["median_filter", "rank_filter", "percentile_filter", "minimum_filter",
           "maximum_filter", "median", "medfilt2d"]

_NP_MODE = {"reflect": "symmetric", "grid-mirror": "symmetric", "mirror": "reflect",
            "nearest": "edge", "wrap": "wrap", "grid-wrap": "wrap",
            "constant": "constant", "grid-constant": "constant"}


def _pad(x, widths, mode, cval):
    """Pad float64 ``x`` (wide extensions repeat, as SciPy's line buffers)."""
    out = x
    for axis, (a, b) in enumerate(widths):
        m = _NP_MODE[mode]
        if m == "reflect" and x.shape[axis] == 1:
            m = "edge"
        w = [(0, 0)] * x.ndim
        w[axis] = (a, b)
        if m == "constant":
            out = np.pad(out, w, mode="constant", constant_values=cval)
        else:
            out = np.pad(out, w, mode=m)
    return out


def _kth(window, k_rule, policy):
    """One window's value (window: float64 values of the True cells)."""
    s = np.sort(window)
    nn = int(np.isnan(s).sum())
    if policy == "propagate" and nn:
        return np.nan
    if policy == "omit":
        k = k_rule(len(s) - nn)
        return np.nan if k is None else s[k]
    return s[k_rule(len(s))]


def _filter(x, fp, origins, mode, cval, k_rule, policy):
    """float64 result of ranking every window of float64 ``x``."""
    widths = [(s // 2 + o, s - 1 - s // 2 - o) for s, o in zip(fp.shape, origins)]
    p = _pad(x, widths, mode, cval)
    out = np.empty(x.shape)
    cells = np.argwhere(fp)
    for idx in np.ndindex(*x.shape):
        window = np.array([p[tuple(np.add(idx, c))] for c in cells], dtype=np.float64)
        out[idx] = _kth(window, k_rule, policy)
    return out


def _harter_line(line, k, minimum):
    """SciPy's deque over one extended line: the n = len(line) - k + 1
    window extremes, as its C code finds them."""
    def keeps_front(v, front):
        return v <= front if minimum else v >= front

    def pops_back(back, v):
        return back >= v if minimum else back <= v

    deque = [(line[0], k)]          # (value, step at which it leaves)
    out = []
    for step in range(1, len(line)):
        v = line[step]
        if deque[0][1] == step:
            deque.pop(0)
        if keeps_front(v, deque[0][0]):
            deque = [(v, step + k)]
        else:
            while pops_back(deque[-1][0], v):
                deque.pop()
            deque.append((v, step + k))
        if step >= k - 1:
            out.append(deque[0][0])
    return out


def _harter_pass(x, axis, size, origin, mode, cval, minimum):
    """One separable pass of SciPy's minimum / maximum in its own order."""
    lo = size // 2 + origin
    widths = [(lo, size - 1 - lo) if d == axis else (0, 0) for d in range(x.ndim)]
    p = np.moveaxis(_pad(x, widths, mode, cval), axis, -1)
    out = np.empty(p.shape[:-1] + (x.shape[axis],))
    for idx in np.ndindex(*p.shape[:-1]):
        out[idx] = _harter_line(p[idx], size, minimum) if size > 1 else p[idx]
    return np.moveaxis(out, -1, axis)


def _first_cell(window, minimum):
    """SciPy's footprint extreme: the first cell, replaced only by a value
    strictly smaller (larger)."""
    res = window[0]
    for t in window[1:]:
        if (t < res) if minimum else (t > res):
            res = t
    return res


def _output(output, input):
    if output is None:
        return np.zeros(input.shape, input.dtype)
    if isinstance(output, np.ndarray):
        return output
    return np.zeros(input.shape, np.dtype(output))


def _store(values, output):
    output[...] = _cast_like_c(values, output.dtype)
    return output


def _fixed(k):
    return lambda n: k


def _rank_rule(rank):
    def rule(n):
        r = rank + n if rank < 0 else rank
        return r if 0 <= r < n else None
    return rule


def _min_max(input, size, footprint, output, mode, cval, origin, minimum, axes, nan_policy):
    x = np.asarray(input)
    out = _output(output, x)
    ndim = x.ndim
    axes = list(range(ndim)) if axes is None else [a % ndim for a in np.atleast_1d(axes)]
    rule = _rank_rule(0 if minimum else -1)
    if footprint is not None:
        footprint = np.asarray(footprint, bool)
    if footprint is None or footprint.all():
        sizes = footprint.shape if footprint is not None else size
        sizes = list(sizes) if np.iterable(sizes) else [sizes] * len(axes)
        origins = list(origin) if np.iterable(origin) else [origin] * len(axes)
        modes = list(mode) if not isinstance(mode, str) else [mode] * len(axes)
        cur = x
        passes = [(a, s, o, m) for a, s, o, m in zip(axes, sizes, origins, modes) if s > 1]
        if not passes:
            out[...] = x
            return out
        for a, s, o, m in passes:
            fp = np.ones([s if d == a else 1 for d in range(ndim)], bool)
            org = [o if d == a else 0 for d in range(ndim)]
            if nan_policy is None:
                vals = _harter_pass(cur.astype(np.float64), a, s, o, m, float(cval), minimum)
            else:
                vals = _filter(cur.astype(np.float64), fp, org, m, float(cval), rule,
                               nan_policy)
            _store(vals, out)
            cur = out
        return out
    if len(axes) < ndim:
        footprint = np.expand_dims(footprint, tuple(d for d in range(ndim) if d not in axes))
    origins = list(origin) if np.iterable(origin) else [origin] * len(axes)
    if len(origins) < ndim:
        full = [0] * ndim
        for o, a in zip(origins, axes):
            full[a] = o
        origins = full
    c = _cast_like_c(np.array([float(cval)]), x.dtype)[0]
    if nan_policy is None:
        widths = [(s // 2 + o, s - 1 - s // 2 - o) for s, o in zip(footprint.shape, origins)]
        p = _pad(x.astype(np.float64), widths, mode, float(c))
        cells = np.argwhere(footprint)
        vals = np.empty(x.shape)
        for idx in np.ndindex(*x.shape):
            vals[idx] = _first_cell([p[tuple(np.add(idx, cell))] for cell in cells], minimum)
        return _store(vals, out)
    vals = _filter(x.astype(np.float64), footprint, origins, mode, float(c), rule, nan_policy)
    return _store(vals, out)


def _rank(input, rank, size, footprint, output, mode, cval, origin, operation, axes,
          nan_policy):
    x = np.asarray(input)
    ndim = x.ndim
    axes = list(range(ndim)) if axes is None else [a % ndim for a in np.atleast_1d(axes)]
    if footprint is None:
        sizes = list(size) if np.iterable(size) else [size] * len(axes)
        footprint = np.ones(sizes, bool)
    footprint = np.asarray(footprint, bool)
    if len(axes) < ndim:
        footprint = np.expand_dims(footprint, tuple(d for d in range(ndim) if d not in axes))
    origins = list(origin) if np.iterable(origin) else [origin] * len(axes)
    if len(origins) < ndim:
        full = [0] * ndim
        for o, a in zip(origins, axes):
            full[a] = o
        origins = full
    n = int(footprint.sum())
    if operation == "median":
        k = n // 2
        rule = lambda m: m // 2 if m else None
    elif operation == "percentile":
        p = rank + 100.0 if rank < 0 else rank
        k = n - 1 if p == 100.0 else int(float(n) * p / 100.0)
        rule = lambda m: None if not m else (m - 1 if p == 100.0
                                             else int(float(m) * p / 100.0))
    else:
        k = rank + n if rank < 0 else rank
        rule = _rank_rule(rank)
    if k == 0:
        return _min_max(x, None, footprint, output, mode, cval, origins, True, None, nan_policy)
    if k == n - 1:
        return _min_max(x, None, footprint, output, mode, cval, origins, False, None,
                        nan_policy)
    out = _output(output, x)
    if nan_policy != "omit":
        rule = _fixed(k)
    if (ndim == 1 and nan_policy is None
            and (x.size - ((footprint.size - 1) // 2 - origins[0]) >= 0 or x.size == 1)):
        footprint = np.ones(footprint.shape, bool)
        if x.dtype.kind == "f":
            c = float(np.float32(cval)) if x.dtype.itemsize <= 4 else float(cval)
        else:
            c = float(np.int64(cval))
            vals = _filter(x.astype(np.float64), footprint, origins, mode, c, rule, nan_policy)
            if out.dtype.kind in "iub":
                # SciPy's 1-D path ranks in int64 and copies with NumPy's
                # cast (wrap-around; != 0 for bool), not a C cast of a double
                out[...] = vals.astype(np.int64).astype(out.dtype)
                return out
            return _store(vals, out)
    else:
        c = float(_cast_like_c(np.array([float(cval)]), x.dtype)[0])
    vals = _filter(x.astype(np.float64), footprint, origins, mode, c, rule, nan_policy)
    return _store(vals, out)


def median_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                  origin=0, *, axes=None, nan_policy=None):
    return _rank(input, 0, size, footprint, output, mode, cval, origin, "median", axes,
                 nan_policy)


def rank_filter(input, rank, size=None, footprint=None, output=None, mode="reflect",
                cval=0.0, origin=0, *, axes=None, nan_policy=None):
    return _rank(input, rank, size, footprint, output, mode, cval, origin, "rank", axes,
                 nan_policy)


def percentile_filter(input, percentile, size=None, footprint=None, output=None,
                      mode="reflect", cval=0.0, origin=0, *, axes=None, nan_policy=None):
    return _rank(input, percentile, size, footprint, output, mode, cval, origin,
                 "percentile", axes, nan_policy)


def minimum_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None, nan_policy=None):
    return _min_max(input, size, footprint, output, mode, cval, origin, True, axes,
                    nan_policy)


def maximum_filter(input, size=None, footprint=None, output=None, mode="reflect", cval=0.0,
                   origin=0, *, axes=None, nan_policy=None):
    return _min_max(input, size, footprint, output, mode, cval, origin, False, axes,
                    nan_policy)


def median(image, footprint=None, out=None, mode="nearest", cval=0.0, behavior="ndimage"):
    image = np.asarray(image)
    if footprint is None:
        footprint = np.ones((3,) * image.ndim, bool)
    if behavior == "ndimage":
        return median_filter(image, footprint=footprint, output=out, mode=mode, cval=cval)
    # skimage.filters.rank.median: only the cells inside the image count
    fp = np.asarray(footprint) != 0
    x = image.astype(np.float64)
    vals = _filter(x, fp, [0] * image.ndim, "constant", np.nan,
                   lambda m: m // 2 if m else None, "omit")
    vals[np.isnan(vals)] = 0
    result = vals.astype(image.dtype)
    if out is not None:
        out[...] = result
        return out
    return result


def medfilt2d(input, kernel_size=3):
    x = np.asarray(input)
    ks = [kernel_size] * 2 if np.ndim(kernel_size) == 0 else list(kernel_size)
    n = int(np.prod(ks))
    return rank_filter(x, n // 2, size=ks, mode="constant")
