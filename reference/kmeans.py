"""Reference k-means of pixel colours (fastimg's own ``kmeans_colors``).

The definition, in plain NumPy:

* pixels are the rows of the image with its channel axis moved last (one
  column for grey images), as float64;
* k-means++ as scikit-learn's ``_kmeans_plusplus`` (greedy, ``2 +
  int(log(k))`` candidates per centre), with draws from
  ``numpy.random.default_rng(rng)``: the first centre ``x[rng.integers(n)]``;
  then per centre ``rng.random(trials) * pot`` located in the cumulative
  sum of the squared distances to the closest centre (index clipped to
  ``n - 1``); the candidate with the lowest potential wins (the first on
  ties);
* Lloyd: nearest centre (lowest index on ties), new centres = mean of
  their pixels; an empty cluster takes the pixel farthest from its centre
  (farthest first, ties by index); stop when no label changes (the
  centres are then unchanged) or the total squared centre shift is at most
  ``tol * mean(var(x, axis=0))``; after a stop on the shift or at
  ``max_iter``, the labels and inertia of the final centres;
* ``n_init`` runs from the same generator, the lowest inertia kept (the
  first on ties).

Summation order (what makes fastimg's results bit-identical): a squared
distance adds its channels in order; a sum over pixels (centre sums,
inertia, potentials) is the sum, in order, of per-chunk sums of
``CHUNK = 16384`` consecutive pixels, each chunk's sum added in pixel
order from 0.0 (``np.bincount`` and ``np.cumsum`` add in that order).
"""
import math

import numpy as np

CHUNK = 16384


def _pixels(image, channel_axis):
    image = np.asarray(image)
    if channel_axis is None:
        return image.reshape(-1, 1).astype(np.float64), image.shape
    moved = np.moveaxis(image, channel_axis, -1)
    return moved.reshape(-1, moved.shape[-1]).astype(np.float64), moved.shape[:-1]


def _chunked(values, labels=None, k=1):
    """Sum of ``values`` (per label when ``labels`` is given): per-chunk
    sequential sums, then the chunks in order."""
    total = np.zeros(k)
    for start in range(0, len(values), CHUNK):
        v = values[start:start + CHUNK]
        if labels is None:
            part = np.array([np.cumsum(v)[-1]])
        else:
            part = np.bincount(labels[start:start + CHUNK], weights=v, minlength=k)
        for j in range(k):
            total[j] = total[j] + part[j]
    return total


def _sq_dists(x, centre):
    d = np.zeros(len(x))
    for c in range(x.shape[1]):
        d = d + (x[:, c] - centre[c]) ** 2
    return d


def _seed(x, k, rng):
    n = len(x)
    centres = [x[rng.integers(n)]]
    closest = _sq_dists(x, centres[0])
    pot = _chunked(closest)[0]
    trials = 2 + int(math.log(k))
    for _ in range(1, k):
        draws = rng.random(trials) * pot
        ids = np.minimum(np.searchsorted(np.cumsum(closest), draws), n - 1)
        best = None
        for t in range(trials):
            dist = np.minimum(closest, _sq_dists(x, x[ids[t]]))
            p = _chunked(dist)[0]
            if best is None or p < best[0]:
                best = (p, ids[t], dist)
        pot, chosen, closest = best
        centres.append(x[chosen])
    return np.array(centres)


def _assign(x, centres):
    d = np.array([_sq_dists(x, c) for c in centres])      # (k, n)
    labels = np.argmin(d, axis=0)                           # first minimum
    return labels, d[labels, np.arange(len(x))]


def _lloyd(x, centres, max_iter, tol):
    k, nc = centres.shape
    labels = np.full(len(x), -1)
    for _ in range(max_iter):
        new_labels, dmin = _assign(x, centres)
        unchanged = np.array_equal(new_labels, labels)
        labels = new_labels
        if unchanged:
            return labels, centres, _chunked(dmin)[0]
        counts = np.bincount(labels, minlength=k)
        sums = np.array([_chunked(x[:, c], labels, k) for c in range(nc)]).T
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            far = np.argsort(-dmin, kind="stable")[:len(empty)]
            for j, i in zip(empty, far):
                sums[labels[i]] -= x[i]
                counts[labels[i]] -= 1
                sums[j] = x[i]
                counts[j] = 1
        new = sums / counts[:, None]
        shift = 0.0
        for j in range(k):
            for c in range(nc):
                shift += (new[j, c] - centres[j, c]) ** 2
        centres = new
        if shift <= tol:
            break
    labels, dmin = _assign(x, centres)
    return labels, centres, _chunked(dmin)[0]


def kmeans_colors(image, n_clusters, *, channel_axis=-1, n_init=1, max_iter=300, tol=1e-4,
                  rng=None):
    """(labels (int32, the image shape without channels), centres (float64,
    (k, C), or (k,) for grey)).  Raises ValueError for fewer distinct pixels
    than clusters or ``n_clusters < 1``."""
    if n_clusters < 1:
        raise ValueError(f"n_clusters must be >= 1 (got {n_clusters})")
    x, shape = _pixels(image, channel_axis)
    if len(np.unique(x, axis=0)) < n_clusters:
        raise ValueError("n_clusters is more than the distinct pixel values")
    tol_abs = float(np.mean(np.var(x, axis=0))) * tol if tol else 0.0
    gen = np.random.default_rng(rng)
    best = None
    for _ in range(n_init):
        result = _lloyd(x, _seed(x, n_clusters, gen), max_iter, tol_abs)
        if best is None or result[2] < best[2]:
            best = result
    labels, centres, _ = best
    if channel_axis is None:
        centres = centres[:, 0]
    return labels.astype(np.int32).reshape(shape), centres
