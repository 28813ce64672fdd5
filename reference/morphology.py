"""Reference (oracle) morphology with SciPy 1.17 ``scipy.ndimage`` semantics.

Plain loops over every pixel and every structure cell; iterations run as
literally defined (pass after pass).  Valid arguments only (the error paths
are tested against the anchor); ``axes`` is not taken (all axes).

Rules encoded (checked against SciPy 1.17):

* structure cell ``j`` (per axis, structure length ``k``) is the offset
  ``d = j - (k // 2 + origin)``; erosion: ``out[p]`` is True when every
  cell's ``input[p + d] != 0``, dilation: when any cell's
  ``input[p - d] != 0``; positions outside read ``border_value != 0``;
* ``mask``: where False the output is ``input != 0``; ``iterations < 1``:
  passes until nothing changes (a structure whose centre is False may
  never settle: callers avoid it);
* opening / closing: erosion then dilation / dilation then erosion, both
  with the same arguments; propagation: dilation until stable;
  fill_holes: not (propagation of the border through the background);
  hit-or-miss: erosion of the input by ``structure1`` and of its
  complement (outside counting as complement) by ``structure2``;
* grey erosion / dilation without a structure and with a full box: the
  separable minimum / maximum filters of :mod:`reference.rank`;
* otherwise SciPy's C loop: cells in C order of the footprint (reflected
  with the structure for the dilation, origin negated and minus one along
  even axes), the first cell's value as a double plus its structure value
  (minus for the erosion), later cells' value plus the structure value cast
  to the input type computed in the input type (integers wrap), a strictly
  smaller (larger) value replacing the running extreme (so NaN in the first
  cell propagates); ``cval`` cast to the input type; the double result
  stored with the n-D C cast (:func:`reference.correlation._cast_like_c`,
  unsigned outputs "safe");
* the composed grey operations use NumPy arithmetic in the input dtype
  exactly as SciPy composes them.
"""

import numpy as np

from . import rank as _rank
from .correlation import _cast_like_c

__all__ = ["generate_binary_structure", "iterate_structure", "binary_erosion",
           "binary_dilation", "binary_opening", "binary_closing", "binary_hit_or_miss",
           "binary_propagation", "binary_fill_holes", "grey_erosion", "grey_dilation",
           "grey_opening", "grey_closing", "morphological_gradient", "morphological_laplace",
           "white_tophat", "black_tophat", "erosion", "dilation", "opening", "closing",
           "disk", "diamond", "ellipse", "octagon", "star", "remove_small_objects",
           "remove_small_holes"]


def generate_binary_structure(rank, connectivity):
    if rank < 1:
        return np.array(True)
    out = np.zeros((3,) * rank, bool)
    for idx in np.ndindex(*out.shape):
        out[idx] = sum(abs(i - 1) for i in idx) <= max(connectivity, 1)
    return out


def _offsets(structure, origin):
    structure = np.asarray(structure, bool)
    origin = list(origin) if np.iterable(origin) else [origin] * structure.ndim
    return [tuple(j - (k // 2 + o) for j, k, o in zip(cell, structure.shape, origin))
            for cell in np.argwhere(structure)]


def _one_pass(x, offsets, border, dilate, mask):
    out = np.empty(x.shape, bool)
    for p in np.ndindex(*x.shape):
        if mask is not None and not mask[p]:
            out[p] = x[p]
            continue
        values = []
        for d in offsets:
            q = tuple(pi - di if dilate else pi + di for pi, di in zip(p, d))
            inside = all(0 <= qi < n for qi, n in zip(q, x.shape))
            values.append(bool(x[q]) if inside else bool(border))
        out[p] = any(values) if dilate else all(values)
    return out


def _passes(input, structure, iterations, mask, output, border_value, origin, dilate):
    x = np.asarray(input) != 0
    if structure is None:
        structure = generate_binary_structure(x.ndim, 1)
    offsets = _offsets(structure, origin)
    mask = None if mask is None else np.asarray(mask) != 0
    done = 0
    while True:
        new = _one_pass(x, offsets, border_value, dilate, mask)
        done += 1
        changed = not np.array_equal(new, x)
        x = new
        if (iterations >= 1 and done >= iterations) or (iterations < 1 and not changed):
            break
    if output is None:
        return x
    output[...] = x
    return output


def binary_erosion(input, structure=None, iterations=1, mask=None, output=None,
                   border_value=0, origin=0, brute_force=False):
    return _passes(input, structure, iterations, mask, output, border_value, origin, False)


def binary_dilation(input, structure=None, iterations=1, mask=None, output=None,
                    border_value=0, origin=0, brute_force=False):
    return _passes(input, structure, iterations, mask, output, border_value, origin, True)


def binary_opening(input, structure=None, iterations=1, output=None, origin=0, mask=None,
                   border_value=0, brute_force=False):
    tmp = binary_erosion(input, structure, iterations, mask, None, border_value, origin)
    return binary_dilation(tmp, structure, iterations, mask, output, border_value, origin)


def binary_closing(input, structure=None, iterations=1, output=None, origin=0, mask=None,
                   border_value=0, brute_force=False):
    tmp = binary_dilation(input, structure, iterations, mask, None, border_value, origin)
    return binary_erosion(tmp, structure, iterations, mask, output, border_value, origin)


def binary_propagation(input, structure=None, mask=None, output=None, border_value=0,
                       origin=0):
    return binary_dilation(input, structure, -1, mask, output, border_value, origin)


def binary_fill_holes(input, structure=None, output=None, origin=0):
    background = np.asarray(input) == 0
    reached = binary_propagation(np.zeros(background.shape, bool), structure, background,
                                 None, 1, origin)
    return ~reached


def binary_hit_or_miss(input, structure1=None, structure2=None, output=None, origin1=0,
                       origin2=None):
    x = np.asarray(input) != 0
    if structure1 is None:
        structure1 = generate_binary_structure(x.ndim, 1)
    if structure2 is None:
        structure2 = ~np.asarray(structure1, bool)
    if origin2 is None:
        origin2 = origin1
    hit = _one_pass(x, _offsets(structure1, origin1), 0, False, None)
    miss = _one_pass(~x, _offsets(structure2, origin2), 1, False, None)
    return hit & miss


def iterate_structure(structure, iterations, origin=None):
    if iterations < 2:
        return np.asarray(structure).copy()  # (SciPy: without the origin)
    structure = np.asarray(structure) != 0
    # the structure centred on a canvas large enough, dilated by itself
    ni = iterations - 1
    shape = [k + ni * (k - 1) for k in structure.shape]
    canvas = np.zeros(shape, bool)
    pos = tuple(slice(ni * (k // 2), ni * (k // 2) + k) for k in structure.shape)
    canvas[pos] = structure
    out = binary_dilation(canvas, structure, ni)
    if origin is None:
        return out
    origin = list(origin) if np.iterable(origin) else [origin] * structure.ndim
    return out, [iterations * o for o in origin]


# ------------------------------------------------------------------ grey
def _index_map(n, lo, hi, mode):
    if mode in ("constant", "grid-constant"):
        pos = np.arange(-lo, n + hi)
        return np.where((pos >= 0) & (pos < n), pos, -1)
    np_mode = _rank._NP_MODE[mode]
    if np_mode == "reflect" and n == 1:
        np_mode = "edge"
    return np.pad(np.arange(n), (lo, hi), mode=np_mode)


def _to_type(values, dt):
    values = np.asarray(values, np.float64)
    return values.astype(dt) if dt.kind == "f" else _cast_like_c(values, dt)


def _cells(x, footprint, structure, origins, mode, cval, minimum):
    dt = np.dtype(np.uint8) if x.dtype == np.bool_ else x.dtype.newbyteorder("=")
    # (the C code reads a bool's byte: a view, not a conversion to 0 / 1)
    x = x.view(np.uint8) if x.dtype == np.bool_ else x.astype(dt)
    cv = _to_type([cval], dt)[0]
    cells = np.argwhere(footprint)
    ss = (np.zeros(len(cells)) if structure is None
          else np.array([structure[tuple(c)] for c in cells], np.float64))
    if minimum:
        ss = -ss
    sst = _to_type(ss, dt)
    maps = [_index_map(n, k // 2 + o, k - 1 - k // 2 - o, mode)
            for n, k, o in zip(x.shape, footprint.shape, origins)]
    out = np.empty(x.shape)
    for p in np.ndindex(*x.shape):
        for i, c in enumerate(cells):
            src = [m[pi + ci] for m, pi, ci in zip(maps, p, c)]
            v = cv if min(src) < 0 else x[tuple(src)]
            if i == 0:
                # (no structure: nothing added, so a -0.0 stays -0.0)
                res = float(v) if structure is None else float(v) + ss[0]
                continue
            t = v
            if structure is not None:
                with np.errstate(over="ignore"):
                    t = (np.array([v], dt) + np.array([sst[i]], dt)).astype(dt)[0]
            if (t < res) if minimum else (t > res):
                res = float(t)
        out[p] = res
    return out


def _output(output, x):
    if output is None:
        return np.zeros(x.shape, x.dtype)
    if isinstance(output, np.ndarray):
        return output
    return np.zeros(x.shape, np.dtype(output))


def _min_or_max(input, size, footprint, structure, output, mode, cval, origin, minimum):
    x = np.asarray(input)
    if structure is None:
        box = footprint is None or np.asarray(footprint, bool).all()
        if box:
            f = _rank.minimum_filter if minimum else _rank.maximum_filter
            if x.dtype == np.bool_ and output is None:
                # a bool holds the byte the C code stores, (unsigned char)
                # value: the same bytes as the uint8 filter's
                out = np.zeros(x.shape, bool)
                out.view(np.uint8)[...] = f(x.view(np.uint8), size, footprint, None, mode,
                                            cval, origin)
                return out
            return f(x, size, footprint, output, mode, cval, origin)
        footprint = np.asarray(footprint, bool)
    else:
        structure = np.asarray(structure, np.float64)
        footprint = (np.ones(structure.shape, bool) if footprint is None
                     else np.asarray(footprint, bool))
    origins = list(origin) if np.iterable(origin) else [origin] * x.ndim
    out = _output(output, x)
    vals = _cells(x, footprint, structure, origins, mode, cval, minimum)
    if out.dtype == np.bool_:
        # the C code stores (unsigned char) value: bytes other than 0 and 1
        out.view(np.uint8)[...] = _cast_like_c(vals, np.dtype(np.uint8), safe_unsigned=True)
        return out
    out[...] = _cast_like_c(vals, out.dtype, safe_unsigned=True)
    return out


def grey_erosion(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0):
    return _min_or_max(input, size, footprint, structure, output, mode, cval, origin, True)


def grey_dilation(input, size=None, footprint=None, structure=None, output=None,
                  mode="reflect", cval=0.0, origin=0):
    # the reflected structuring element; its origin negated, minus one
    # along even axes, so it stays over the same cells
    flip = (lambda a: None if a is None else np.asarray(a)[(slice(None, None, -1),) *
                                                          np.asarray(a).ndim])
    footprint, structure = flip(footprint), flip(structure)
    x = np.asarray(input)
    origins = list(origin) if np.iterable(origin) else [origin] * x.ndim
    if footprint is not None:
        shape = footprint.shape
    elif structure is not None:
        shape = structure.shape
    else:
        shape = list(size) if np.iterable(size) else [size] * x.ndim
    origins = [-o - (0 if k % 2 else 1) for o, k in zip(origins, shape)]
    return _min_or_max(x, size, footprint, structure, output, mode, cval, origins, False)


def grey_opening(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0):
    tmp = grey_erosion(input, size, footprint, structure, None, mode, cval, origin)
    return grey_dilation(tmp, size, footprint, structure, output, mode, cval, origin)


def grey_closing(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0):
    tmp = grey_dilation(input, size, footprint, structure, None, mode, cval, origin)
    return grey_erosion(tmp, size, footprint, structure, output, mode, cval, origin)


def morphological_gradient(input, size=None, footprint=None, structure=None, output=None,
                           mode="reflect", cval=0.0, origin=0):
    dil = grey_dilation(input, size, footprint, structure, None, mode, cval, origin)
    ero = grey_erosion(input, size, footprint, structure, None, mode, cval, origin)
    return dil - ero


def morphological_laplace(input, size=None, footprint=None, structure=None, output=None,
                          mode="reflect", cval=0.0, origin=0):
    x = np.asarray(input)
    dil = grey_dilation(x, size, footprint, structure, None, mode, cval, origin)
    ero = grey_erosion(x, size, footprint, structure, None, mode, cval, origin)
    return dil + ero - x - x


def white_tophat(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0):
    x = np.asarray(input)
    opened = grey_opening(x, size, footprint, structure, None, mode, cval, origin)
    return x ^ opened if x.dtype == np.bool_ else x - opened


def black_tophat(input, size=None, footprint=None, structure=None, output=None,
                 mode="reflect", cval=0.0, origin=0):
    x = np.asarray(input)
    closed = grey_closing(x, size, footprint, structure, None, mode, cval, origin)
    return closed ^ x if x.dtype == np.bool_ else closed - x


# -------------------------------------------------------- skimage.morphology
# scikit-image 0.26: its grey operations are ndimage's grey_erosion /
# grey_dilation per footprint element, even axes padded by one cell at their
# start, the footprint mirrored for the dilation (ndimage mirrors it back);
# 'max' / 'min' / 'ignore' modes pad with the dtype's extreme.

def _sk_pad(fp):
    fp = np.asarray(fp)
    return np.pad(fp, [(1, 0) if k % 2 == 0 else (0, 0) for k in fp.shape])


def _sk_mirror(fp):
    return np.asarray(fp)[(slice(None, None, -1),) * np.asarray(fp).ndim]


def _sk_elements(footprint):
    if hasattr(footprint, "__array_interface__"):
        return [(np.asarray(footprint), 1)]
    return [(np.asarray(fp), n) for fp, n in footprint]


def _sk_mode(dtype, mode, cval, erode):
    if mode == "ignore":
        mode = "max" if erode else "min"
    if mode in ("max", "min"):
        big = mode == "max"
        if dtype == np.bool_:
            return "constant", big
        if np.issubdtype(dtype, np.integer):
            info = np.iinfo(dtype)
            return "constant", info.max if big else info.min
        return "constant", np.inf if big else -np.inf
    return mode, cval


def _sk_grey(image, footprint, mode, cval, erode):
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    mode, cval = _sk_mode(image.dtype, mode, cval, erode)
    out = np.asarray(image)
    for fp, n in _sk_elements(footprint):
        fp = _sk_pad(fp)
        for _ in range(n):
            if erode:
                out = grey_erosion(out, footprint=fp, mode=mode, cval=cval)
            else:
                out = grey_dilation(out, footprint=_sk_mirror(fp), mode=mode, cval=cval)
    return out


def erosion(image, footprint=None, out=None, *, mode="reflect", cval=0.0):
    return _sk_grey(image, footprint, mode, cval, True)


def dilation(image, footprint=None, out=None, *, mode="reflect", cval=0.0):
    return _sk_grey(image, footprint, mode, cval, False)


def _sk_mirror_all(footprint, image):
    if footprint is None:
        footprint = generate_binary_structure(image.ndim, 1)
    return [(_sk_mirror(_sk_pad(fp)), n) for fp, n in _sk_elements(footprint)]


def opening(image, footprint=None, out=None, *, mode="reflect", cval=0.0):
    eroded = erosion(image, footprint, mode=mode, cval=cval)
    return dilation(eroded, _sk_mirror_all(footprint, image), mode=mode, cval=cval)


def closing(image, footprint=None, out=None, *, mode="reflect", cval=0.0):
    dilated = dilation(image, footprint, mode=mode, cval=cval)
    return erosion(dilated, _sk_mirror_all(footprint, image), mode=mode, cval=cval)


def skimage_white_tophat(image, footprint=None, out=None, *, mode="reflect", cval=0.0):
    """scikit-image's white top-hat: the image minus its opening."""
    opened = opening(image, footprint, mode=mode, cval=cval)
    if opened.dtype == np.bool_:
        return image != opened
    return (image - opened).astype(image.dtype)


def skimage_black_tophat(image, footprint=None, out=None, *, mode="reflect", cval=0.0):
    """scikit-image's black top-hat: the closing minus the image."""
    closed = closing(image, footprint, mode=mode, cval=cval)
    if closed.dtype == np.bool_:
        return closed != image
    return (closed - image).astype(image.dtype)


def disk(radius, dtype=np.uint8, *, strict_radius=True):
    r = radius if strict_radius else radius + 0.5
    out = np.zeros((2 * radius + 1, 2 * radius + 1), dtype)
    for i in range(2 * radius + 1):
        for j in range(2 * radius + 1):
            out[i, j] = (i - radius) ** 2 + (j - radius) ** 2 <= r ** 2
    return out


def diamond(radius, dtype=np.uint8):
    out = np.zeros((2 * radius + 1, 2 * radius + 1), dtype)
    for i in range(2 * radius + 1):
        for j in range(2 * radius + 1):
            out[i, j] = abs(i - radius) + abs(j - radius) <= radius
    return out


def ellipse(width, height, dtype=np.uint8):
    out = np.zeros((2 * height + 1, 2 * width + 1), dtype)
    for i in range(2 * height + 1):
        for j in range(2 * width + 1):
            out[i, j] = ((i - height) / (height + 1)) ** 2 + ((j - width) / (width + 1)) ** 2 < 1
    return out


def _hull_image(shape, points):
    """Cells whose centres lie in the convex hull of ``points`` (monotone
    chain hull; edges included)."""
    pts = sorted(set(points))

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    out = np.zeros(shape, bool)
    for i in range(shape[0]):
        for j in range(shape[1]):
            if len(hull) == 1:
                out[i, j] = (i, j) == hull[0]
                continue
            out[i, j] = all(cross(hull[k], hull[(k + 1) % len(hull)], (i, j)) >= 0
                            for k in range(len(hull)))
    return out


def octagon(m, n, dtype=np.uint8):
    s = m + 2 * n
    k = m + n - 1
    pts = [(0, n), (n, 0), (0, k), (k, 0), (s - 1, n), (n, s - 1), (s - 1, k), (k, s - 1)]
    return _hull_image((s, s), pts).astype(dtype)


def star(a, dtype=np.uint8):
    if a == 1:
        return np.ones((3, 3), dtype)
    m, n = 2 * a + 1, a // 2
    s = m + 2 * n
    c = (s - 1) // 2
    out = _hull_image((s, s), [(0, c), (s - 1, c), (c, 0), (c, s - 1)])
    out[n:m + n, n:m + n] = True
    return out.astype(dtype)


def _components(x, connectivity):
    """Label of each True cell (flood fill; neighbours within the
    connectivity's number of unit steps) and the sizes per label."""
    labels = np.zeros(x.shape, np.int64)
    steps = [d for d in np.ndindex(*(3,) * x.ndim)
             if 0 < sum(abs(v - 1) for v in d) <= max(connectivity, 1)]
    sizes = [0]
    for start in np.ndindex(*x.shape):
        if not x[start] or labels[start]:
            continue
        sizes.append(0)
        labels[start] = len(sizes) - 1
        stack = [start]
        while stack:
            p = stack.pop()
            sizes[-1] += 1
            for d in steps:
                q = tuple(pi + di - 1 for pi, di in zip(p, d))
                if all(0 <= qi < n for qi, n in zip(q, x.shape)) and x[q] and not labels[q]:
                    labels[q] = len(sizes) - 1
                    stack.append(q)
    return labels, np.array(sizes)


def remove_small_objects(ar, connectivity=1, *, max_size=64):
    out = ar.copy()
    if ar.dtype == np.bool_:
        labels, sizes = _components(ar, connectivity)
        small = (sizes <= max_size) & (np.arange(len(sizes)) > 0)
        out[small[labels]] = False
        return out
    sizes = np.bincount(ar.ravel())
    out[(sizes <= max_size)[ar]] = 0
    return out


def remove_small_holes(ar, connectivity=1, *, max_size=64):
    return ~remove_small_objects(~ar.astype(bool), connectivity, max_size=max_size)
