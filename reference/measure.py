"""Reference (oracle) ``skimage.measure`` labelling, contours and polygons
with scikit-image 0.26 semantics.

Plain Python, the obvious way; valid arguments only (the error paths are
tested against scikit-image).  Rules encoded (checked against 0.26.0):

* ``label``: pixels are neighbours when their coordinates differ by at
  most 1 per axis and by 1 on at most ``connectivity`` axes (default: all);
  a bool image's feature is True (False with ``background == 1``), int32
  labels; any other image is cast to ``intp`` and neighbours of equal
  value other than ``background`` (default 0) connect, intp labels.
  Components (found by flood fill) are numbered by their first pixel in C
  order, of the image with its axes swapped as skimage's ``reshape_array``
  swaps them for the non-bool path (a length-1 axis after a longer one);
* ``find_contours``: marching squares square by square, rows first; a
  corner is high when ``> level``; the crossing on a side from value a to
  b is ``start + (level - a) / (b - a)`` (0 when a == b); squares with a
  NaN or masked-out corner are skipped.  Segments are then joined in order
  with two dicts (point -> contour starting / ending there): a segment
  whose end starts one contour and whose start ends one joins the two (the
  older contour's number survives; the same contour: closed), one match
  extends, none opens a contour; contours in opening order, reversed for
  ``positive_orientation='high'``; the default level is
  ``(nanmin + nanmax) / 2.0`` in the image's dtype;
* ``approximate_polygon``: Douglas-Peucker on a stack of (start, end)
  spans; a point's distance is perpendicular when both projections onto
  the span are positive, else to the nearer end; the farthest point (first
  on ties) splits a span when its distance exceeds the tolerance;
* ``subdivide_polygon``: B-spline subdivision, each output coordinate the
  weighted sum of its 2-5 neighbours (weights of ``_MASKS``), wrapping for
  a closed polygon (first point == last point);
* ``regionprops_table``: region by region (see its docstring), for the
  properties computed from the pixels and moments;
* per-region shape measures of a mask (``region_perimeter``,
  ``region_euler_number``, ``region_area_filled``, ``region_perimeter_crofton``):
  textbook definitions by loops, see each docstring.
"""
from __future__ import annotations

import itertools

import numpy as np

__all__ = ["label", "find_contours", "approximate_polygon", "subdivide_polygon",
           "regionprops_table", "region_perimeter", "region_perimeter_crofton",
           "region_euler_number", "region_area_filled"]


def _swap(shape):
    ones = [i for i, s in enumerate(shape) if s == 1][::-1]
    bigs = [i for i, s in enumerate(shape) if s > 1]
    pair = None
    for one, big in zip(ones, bigs):
        if one < big:
            break
        pair = (one, big)
    return pair


def label(label_image, background=None, return_num=False, connectivity=None):
    img = np.asarray(label_image)
    ndim = img.ndim
    conn = ndim if connectivity is None else connectivity
    if img.dtype == bool:
        feature = ~img if background == 1 else img
        values = feature.astype(np.intp)
        bg, pair, dtype = 0, None, np.int32
    else:
        values = img.astype(np.intp)
        bg = 0 if background is None else int(background)
        pair, dtype = _swap(img.shape), np.intp
    if pair is not None:
        values = values.swapaxes(*pair)
    out = np.zeros(values.shape, np.intp)
    steps = [d for d in itertools.product((-1, 0, 1), repeat=ndim)
             if 0 < sum(map(abs, d)) <= conn]
    count = 0
    for start in np.ndindex(values.shape):
        if values[start] == bg or out[start]:
            continue
        count += 1
        out[start] = count
        todo = [start]
        while todo:
            p = todo.pop()
            for d in steps:
                q = tuple(a + b for a, b in zip(p, d))
                if all(0 <= a < s for a, s in zip(q, values.shape)) and not out[q] \
                        and values[q] == values[start]:
                    out[q] = count
                    todo.append(q)
    if pair is not None:
        out = out.swapaxes(*pair)
    out = out.astype(dtype)
    return (out, count) if return_num else out


def _crossing(a, b, level):
    return 0.0 if a == b else (level - a) / (b - a)


def _segments(img, level, high, mask):
    segs = []
    h, w = img.shape
    for r in range(h - 1):
        for c in range(w - 1):
            ul, ur, ll, lr = img[r, c], img[r, c + 1], img[r + 1, c], img[r + 1, c + 1]
            if mask is not None and not (mask[r, c] and mask[r, c + 1] and mask[r + 1, c]
                                         and mask[r + 1, c + 1]):
                continue
            if np.isnan([ul, ur, ll, lr]).any():
                continue
            top = (float(r), c + _crossing(ul, ur, level))
            bottom = (float(r + 1), c + _crossing(ll, lr, level))
            left = (r + _crossing(ul, ll, level), float(c))
            right = (r + _crossing(ur, lr, level), float(c + 1))
            case = (ul > level, ur > level, ll > level, lr > level)
            # the segments of each case, low values on the left
            table = {
                (1, 0, 0, 0): [(top, left)], (0, 1, 0, 0): [(right, top)],
                (1, 1, 0, 0): [(right, left)], (0, 0, 1, 0): [(left, bottom)],
                (1, 0, 1, 0): [(top, bottom)], (1, 1, 1, 0): [(right, bottom)],
                (0, 0, 0, 1): [(bottom, right)], (0, 1, 0, 1): [(bottom, top)],
                (1, 1, 0, 1): [(bottom, left)], (0, 0, 1, 1): [(left, right)],
                (1, 0, 1, 1): [(top, right)], (0, 1, 1, 1): [(left, top)],
                (0, 1, 1, 0): ([(left, top), (right, bottom)] if high
                               else [(right, top), (left, bottom)]),
                (1, 0, 0, 1): ([(top, right), (bottom, left)] if high
                               else [(top, left), (bottom, right)]),
            }
            segs.extend(table.get(tuple(int(v) for v in case), []))
    return segs


def find_contours(image, level=None, fully_connected='low', positive_orientation='low', *,
                  mask=None):
    if level is None:
        level = (np.nanmin(image) + np.nanmax(image)) / 2.0
    img = np.asarray(image, np.float64)
    segs = _segments(img, float(level), fully_connected == 'high', mask)
    contours = {}           # number -> list of points
    starts, ends = {}, {}   # point -> number
    n = 0
    for a, b in segs:
        if a == b:
            continue
        t = starts.pop(b, None)
        h = ends.pop(a, None)
        if t is not None and h is not None:
            if t == h:
                contours[h].append(b)
            else:
                keep, gone = min(t, h), max(t, h)
                joined = contours[h] + contours[t]
                if keep == t:
                    starts.pop(contours[h][0], None)
                del contours[gone]
                contours[keep] = joined
                starts[joined[0]] = keep
                ends[joined[-1]] = keep
        elif t is None and h is None:
            contours[n] = [a, b]
            starts[a] = n
            ends[b] = n
            n += 1
        elif h is None:
            contours[t].insert(0, a)
            starts[a] = t
        else:
            contours[h].append(b)
            ends[b] = h
    out = [np.array(contours[k], dtype=np.float64) for k in sorted(contours)]
    if positive_orientation == 'high':
        out = [c[::-1] for c in out]
    return out


def approximate_polygon(coords, tolerance):
    if tolerance <= 0:
        return coords
    n = len(coords)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        s, e = stack.pop()
        r0, c0 = coords[s]
        r1, c1 = coords[e]
        dr, dc = r1 - r0, c1 - c0
        angle = -np.arctan2(dr, dc)
        cos_a, sin_a = np.cos(angle), np.sin(angle)
        offset = c0 * sin_a + r0 * cos_a
        best, best_d = -1, None
        for i in range(s + 1, e):
            r, c = coords[i]
            if (r - r0) * dr + (c - c0) * dc > 0 and -(r - r1) * dr - (c - c1) * dc > 0:
                d = abs(r * cos_a + c * sin_a - offset)
            else:
                d = min(np.sqrt((c - c0) ** 2 + (r - r0) ** 2),
                        np.sqrt((c - c1) ** 2 + (r - r1) ** 2))
            d = np.float64(d)
            if best_d is None or d > best_d:
                best, best_d = i, d
        if best_d is not None and best_d > tolerance:
            stack.append((best, e))
            stack.append((s, best))
            keep[best] = True
    return coords[np.array(keep), :]


def _hu(nu):
    """Hu's seven invariants of normalized central moments ``nu``."""
    a, b = nu[3, 0] + nu[1, 2], nu[2, 1] + nu[0, 3]
    c, e = nu[3, 0] - 3 * nu[1, 2], 3 * nu[2, 1] - nu[0, 3]
    s, d = nu[2, 0] + nu[0, 2], nu[2, 0] - nu[0, 2]
    return np.array([
        s, d ** 2 + 4 * nu[1, 1] ** 2, c ** 2 + e ** 2, a ** 2 + b ** 2,
        c * a * (a ** 2 - 3 * b ** 2) + e * b * (3 * a ** 2 - b ** 2),
        d * (a ** 2 - b ** 2) + 4 * nu[1, 1] * a * b,
        e * a * (a ** 2 - 3 * b ** 2) - c * b * (3 * a ** 2 - b ** 2)])


_MASKS = {1: ([1, 1], [1, 1]), 2: ([3, 1], [1, 3]), 3: ([1, 6, 1], [0, 4, 4]),
          4: ([5, 10, 1], [1, 10, 5]), 5: ([1, 15, 15, 1], [0, 6, 20, 6]),
          6: ([7, 35, 21, 1], [1, 21, 35, 7]), 7: ([1, 28, 70, 28, 1], [0, 8, 56, 56, 8])}


def subdivide_polygon(coords, degree=2, preserve_ends=False):
    pts = np.asarray(coords, np.float64)
    closed = bool(np.all(pts[0] == pts[-1]))
    if closed:
        pts = pts[:-1]
    m = len(pts)
    out = []
    for weights_list in _MASKS[degree]:
        w = np.array(weights_list, float) / 2 ** degree
        k = len(w)
        res = []
        if closed:
            # 'same' with wrap-around: output j centred as SciPy centres it
            for j in range(m):
                acc = np.zeros(2)
                for t in range(k):
                    acc = acc + w[t] * pts[(j + (k - 1) // 2 - t) % m]
                res.append(acc)
        else:
            for j in range(m - k + 1):
                acc = np.zeros(2)
                for t in range(k):
                    acc = acc + w[t] * pts[j + k - 1 - t]
                res.append(acc)
        out.append(np.array(res).reshape(-1, 2))
    even, odd = out
    result = np.zeros((len(even) + len(odd), 2))
    result[1::2] = even
    result[::2] = odd
    if closed:
        result = np.vstack([result, result[:1]])
    if preserve_ends and not closed:
        result = np.vstack([pts[:1], result, pts[-1:]])
    return result


def regionprops_table(label_image, intensity_image=None, properties=('label', 'bbox'), *,
                      cache=True, separator='-', extra_properties=None, spacing=None):
    """Region by region: the pixels of each label present (1..max), in C
    order.  Scalars: ``area = count * prod(spacing)``, ``extent``,
    ``equivalent_diameter_area``; the centroid the mean of the scaled
    coordinates; the inertia tensor ``(sum(mu_ii) - mu_ii) / n`` on the
    diagonal and ``-mu_ij / n`` off it from the central moments about the
    local centroid; its eigenvalues clipped at 0, largest first;
    eccentricity ``sqrt(1 - l2 / l1)`` (0 when l1 == 0), orientation
    ``0.5 atan2(-2 b, c - a)`` (+-pi/4 when a == c), axis lengths; the
    intensity statistics NumPy's.  Columns as skimage names them.  Only
    the properties fastimg computes; no empty-image special case."""
    nd = label_image.ndim
    sp = np.ones(nd) if spacing is None else np.broadcast_to(
        np.asarray(spacing, np.float64), (nd,))
    rows = {}
    for k in range(1, int(label_image.max()) + 1):
        pix = np.argwhere(label_image == k)
        if len(pix) == 0:
            continue
        n = len(pix)
        lo, hi = pix.min(0), pix.max(0) + 1
        sl = tuple(slice(int(a), int(b)) for a, b in zip(lo, hi))
        img = label_image[sl] == k
        p = {'label': k, 'bbox': tuple(lo) + tuple(hi), 'num_pixels': n,
             'area': n * np.prod(sp), 'area_bbox': img.size * np.prod(sp),
             'slice': sl, 'image': img, 'coords': pix}
        p['extent'] = p['area'] / p['area_bbox']
        p['equivalent_diameter_area'] = (2 * nd * p['area'] / np.pi) ** (1 / nd)
        p['centroid'] = (pix * sp).mean(axis=0)
        local = (pix - lo) * sp
        cen = local.mean(axis=0)
        p['centroid_local'] = cen
        d = local - cen
        mu = np.array([[np.sum(d[:, i] * d[:, j]) for j in range(nd)] for i in range(nd)])
        t = -mu / n
        for i in range(nd):
            t[i, i] = (np.trace(mu) - mu[i, i]) / n
        p['inertia_tensor'] = t
        ev = sorted(np.clip(np.linalg.eigvalsh(t), 0, None), reverse=True)
        p['inertia_tensor_eigvals'] = ev
        if nd == 2:
            # moments of order <= 3: raw (about the box corner) and central
            m = np.array([[np.sum(local[:, 0] ** a * local[:, 1] ** b) for b in range(4)]
                          for a in range(4)])
            mc = np.array([[np.sum(d[:, 0] ** a * d[:, 1] ** b) for b in range(4)]
                           for a in range(4)])
            nu = np.array([[mc[a, b] / min(sp) ** (a + b) / mc[0, 0] ** ((a + b) / 2 + 1)
                            if a + b >= 2 else np.nan for b in range(4)] for a in range(4)])
            p['moments'], p['moments_central'], p['moments_normalized'] = m, mc, nu
            p['moments_hu'] = _hu(nu)
        if nd == 2:
            p['eccentricity'] = 0.0 if ev[0] == 0 else np.sqrt(1 - ev[1] / ev[0])
            a, b, c = t[0, 0], t[0, 1], t[1, 1]
            p['orientation'] = ((np.pi / 4 if b < 0 else -np.pi / 4) if a - c == 0
                                else 0.5 * np.arctan2(-2 * b, c - a))
            p['axis_major_length'] = 4 * np.sqrt(ev[0])
            p['axis_minor_length'] = 4 * np.sqrt(ev[-1])
        else:
            p['axis_major_length'] = np.sqrt(max(0, 10 * (ev[0] + ev[1] - ev[2])))
            p['axis_minor_length'] = np.sqrt(max(0, 10 * (-ev[0] + ev[1] + ev[2])))
        if intensity_image is not None:
            vals = intensity_image[tuple(pix.T)]
            p['intensity_mean'] = np.mean(vals)
            p['intensity_min'] = np.float64(np.min(vals))
            p['intensity_max'] = np.float64(np.max(vals))
            p['intensity_std'] = np.std(vals)
            if nd == 2:
                # intensity-weighted moments, about the weighted local centroid
                wt = vals.astype(np.float64)
                with np.errstate(all="ignore"):
                    mw = np.array([[np.sum(wt * local[:, 0] ** a * local[:, 1] ** b)
                                    for b in range(4)] for a in range(4)])
                    cw = np.array([mw[1, 0], mw[0, 1]]) / mw[0, 0]
                    dw = local - cw
                    mwc = np.array([[np.sum(wt * dw[:, 0] ** a * dw[:, 1] ** b)
                                     for b in range(4)] for a in range(4)])
                    nuw = np.array([[mwc[a, b] / min(sp) ** (a + b)
                                     / mwc[0, 0] ** ((a + b) / 2 + 1)
                                     if a + b >= 2 else np.nan for b in range(4)]
                                    for a in range(4)])
                    p['moments_weighted_hu'] = _hu(nuw)
                p['moments_weighted'], p['moments_weighted_central'] = mw, mwc
                p['moments_weighted_normalized'] = nuw
                p['centroid_weighted_local'] = cw
                p['centroid_weighted'] = cw + lo * sp
        for prop in properties:
            rows.setdefault(prop, []).append(p[prop])
    out = {}
    for prop in properties:
        vals = rows.get(prop, [])
        if prop in ('image', 'coords', 'slice'):
            col = np.empty(len(vals), object)
            for i, v in enumerate(vals):
                col[i] = v
            out[prop] = col
            continue
        arr = np.array(vals, dtype=int if prop in ('label', 'bbox', 'num_pixels') else float)
        if arr.ndim == 1:
            out[prop] = arr
        else:
            for ind in np.ndindex(arr.shape[1:]):
                out[separator.join(map(str, (prop,) + ind))] = arr[(slice(None),) + ind]
    return out


def _at(mask, p):
    """``mask[p]``, False outside the mask."""
    return all(0 <= a < s for a, s in zip(p, mask.shape)) and bool(mask[p])


def region_perimeter(mask):
    """Benkrid and Crookes' perimeter (skimage's, 4-connected border): a
    border pixel is a True pixel with a False (or outside) 4-neighbour; it
    weighs 1 when its border neighbours run straight (a 4-neighbour on each
    side, or one 4- and one diagonal neighbour, or only two diagonal),
    sqrt(2) at a diagonal corner and (1 + sqrt(2)) / 2 at a straight-to-
    diagonal step, by its code ``1 + 2 * #4-neighbours + 10 * #diagonals``
    on the border."""
    weights = {5: 1, 7: 1, 15: 1, 17: 1, 25: 1, 27: 1, 21: np.sqrt(2), 33: np.sqrt(2),
               13: (1 + np.sqrt(2)) / 2, 23: (1 + np.sqrt(2)) / 2}
    four = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    diag = [(-1, -1), (-1, 1), (1, -1), (1, 1)]

    def border(r, c):
        return _at(mask, (r, c)) and any(not _at(mask, (r + a, c + b)) for a, b in four)
    total = 0.0
    for r, c in np.ndindex(mask.shape):
        if border(r, c):
            code = 1 + 2 * sum(border(r + a, c + b) for a, b in four) + 10 * sum(
                border(r + a, c + b) for a, b in diag)
            total += weights.get(code, 0)
    return total


def _components(mask, conn):
    lab = label(mask.astype(bool), connectivity=conn)
    return lab, int(lab.max())


def region_euler_number(mask, connectivity):
    """2-D Euler number: the objects (``connectivity``-connected) minus the
    holes (components of the background, with the other connectivity, that
    do not touch the padded image's border)."""
    padded = np.pad(mask.astype(bool), 1)
    _, objects = _components(padded, connectivity)
    back, n = _components(~padded, 3 - connectivity)
    return objects - (n - 1)     # the one background component outside


def region_area_filled(mask):
    """Pixels not reachable from outside the box through False pixels
    connected by faces, edges or corners (``binary_fill_holes`` with a full
    structuring element)."""
    padded = np.pad(~mask.astype(bool), 1, constant_values=True)
    back = label(padded, connectivity=mask.ndim)
    return int(padded.size - np.count_nonzero(back == back.flat[0]))


def region_perimeter_crofton(mask):
    """Crofton perimeter with 4 directions: Rivollier's weights of the 16
    configurations of the 2x2 windows of the one-pixel padded mask (bits:
    1 the top-left pixel, 2 the bottom-left, 4 the top-right, 8 the
    bottom-right)."""
    s2 = np.sqrt(2)
    w = [0, np.pi / 4 * (1 + 1 / s2), np.pi / (4 * s2), np.pi / (2 * s2), 0,
         np.pi / 4 * (1 + 1 / s2), 0, np.pi / (4 * s2), np.pi / 4, np.pi / 2,
         np.pi / (4 * s2), np.pi / (4 * s2), np.pi / 4, np.pi / 2, 0, 0]
    m = np.pad(mask.astype(int), 1)
    total = 0.0
    for r in range(m.shape[0]):
        for c in range(m.shape[1]):
            code = sum(bit * (m[r + a, c + b] if r + a < m.shape[0] and c + b < m.shape[1]
                              else 0) for (a, b), bit in
                       (((0, 0), 1), ((1, 0), 2), ((0, 1), 4), ((1, 1), 8)))
            total += w[code]
    return total
