"""``kmeans_colors``: k-means clustering of an image's pixel colours
(fastimg's own function, ``fastimg.segmentation``).

Lloyd's algorithm with k-means++ seeding, as scikit-learn's ``KMeans``
(``algorithm='lloyd'``) runs it: greedy k-means++ with ``2 + int(log(k))``
candidates per centre, ``tol`` scaled by the mean per-channel variance,
stop on unchanged labels or a total squared centre shift ``<= tol``, the
labels of the final centres, the lowest inertia of ``n_init`` runs.  An
empty cluster takes the pixel farthest from its centre.  The heavy loops
are jitted (``fastimg._kmeans.kernels``); the random draws are NumPy's
(``numpy.random.default_rng(rng)``), so a seed gives the same result on
every machine and thread count.
"""
from __future__ import annotations

import math
import operator

import numpy as np
import numpy.typing as npt

from .._core.dispatch import resolve_workers, run
from .._core.docs import fill_doc
from . import block_kernels as bk
from . import kernels as kk

__all__ = ["kmeans_colors"]

#: dtypes the kernels read directly; others are converted to float64
_NATIVE = (np.uint8, np.uint16, np.float32, np.float64)
#: rough serial ns per pixel and centre of a distance pass
_COST = 2.0


def _pixels(image, channel_axis):
    """(N, C) pixel rows of ``image`` and the shape of the labels."""
    image = np.asarray(image)
    if image.dtype.kind not in "buif":
        raise TypeError(f"kmeans_colors needs a real-valued image (got dtype {image.dtype})")
    if channel_axis is None:
        if image.ndim < 1:
            raise ValueError(f"image must have at least 1 dimension (got a {image.ndim}-D "
                             "array)")
        shape = image.shape
        x = image.reshape(-1, 1)
    else:
        if image.ndim < 2:
            raise ValueError("a colour image (channel_axis not None) needs at least 2 "
                             f"dimensions (got shape {image.shape})")
        try:
            axis = operator.index(channel_axis)
        except TypeError:
            raise TypeError(f"channel_axis must be an int or None (got {channel_axis!r})"
                            ) from None
        if not -image.ndim <= axis < image.ndim:
            raise ValueError(f"channel_axis {channel_axis} is out of bounds for an image "
                             f"of {image.ndim} dimensions (shape {image.shape})")
        moved = np.moveaxis(image, axis, -1)
        shape = moved.shape[:-1]
        x = moved.reshape(-1, moved.shape[-1])
    dtype = x.dtype.newbyteorder("=")
    if dtype.type not in _NATIVE:
        dtype = np.dtype(np.float64)
    x = np.ascontiguousarray(x, dtype=dtype)
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError("Input contains NaN or infinity (kmeans_colors needs finite "
                         "pixel values)")
    return x, shape


def _check_counts(n_clusters, n_init, max_iter, tol):
    try:
        k = operator.index(n_clusters)
    except TypeError:
        raise TypeError(f"n_clusters must be an integer (got {n_clusters!r})") from None
    if k < 1:
        raise ValueError(f"n_clusters must be >= 1 (got {n_clusters})")
    if operator.index(n_init) < 1:
        raise ValueError(f"n_init must be >= 1 (got {n_init})")
    if operator.index(max_iter) < 1:
        raise ValueError(f"max_iter must be >= 1 (got {max_iter})")
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0 (got {tol})")
    return k


def _merge(parts):
    """The rows of ``parts`` (chunks) added in chunk order."""
    out = np.empty(parts.shape[1], np.float64)
    kk.merge_sums(np.ascontiguousarray(parts), out)
    return out


class _Runner:
    """The kernels of one call, on one pixel array and one thread count."""

    def __init__(self, x, n_threads):
        self.x = x
        self.n = x.shape[0]
        self.nchunks = -(-self.n // kk.CHUNK)
        self.n_threads = n_threads

    def each_chunk(self, core, args, per_pixel):
        run(core, (self.x, *args), items=self.nchunks, size=self.n * per_pixel,
            cost=_COST, n_threads=self.n_threads)

    def seed(self, k, rng):
        """k-means++ (greedy, scikit-learn's): ``(k, C)`` float64 centres."""
        x = self.x
        centres = np.empty((k, x.shape[1]), np.float64)
        centres[0] = x[rng.integers(self.n)]
        closest = np.empty(self.n, np.float64)
        trials = 2 + int(math.log(k))
        pots = np.empty((self.nchunks, trials), np.float64)
        self.each_chunk(kk.first_distances, (centres[:1], closest, pots), 1)
        pot = float(_merge(pots[:, :1])[0])
        for j in range(1, k):
            draws = rng.random(trials) * pot
            ids = np.empty(trials, np.int64)
            kk.locate(closest, draws, ids)
            np.minimum(ids, self.n - 1, out=ids)
            cands = x[ids].astype(np.float64)
            self.each_chunk(kk.candidate_pots, (cands, closest, pots), trials)
            cand_pots = _merge(pots)
            best = int(np.argmin(cand_pots))
            pot = float(cand_pots[best])
            centres[j] = cands[best]
            if j < k - 1:      # the last centre's distances are not needed
                self.each_chunk(kk.update_closest, (centres[j:j + 1], closest), 1)
        return centres

    def step(self, centres, labels, bufs, want_inertia=True):
        """One Lloyd pass; the inertia (a serial sum) only when asked for
        (0.0 otherwise)."""
        sums, counts, inertia, changed = bufs
        self.each_chunk(bk.lloyd_step_blocked,
                        (centres, labels, sums, counts, inertia, changed, want_inertia,
                         self.x.dtype.kind in "ui"), centres.shape[0])
        k, nc = centres.shape
        return (_merge(sums.reshape(self.nchunks, k * nc)).reshape(k, nc), counts.sum(axis=0),
                float(_merge(inertia[:, None])[0]), int(changed.sum()))

    def relocate(self, centres, labels, sums, counts):
        """scikit-learn's rule for empty clusters: each takes one of the
        pixels farthest from their centre (farthest first, ties by index),
        which leaves its old cluster."""
        empty = np.flatnonzero(counts == 0)
        d = np.zeros(self.n, np.float64)
        xf = self.x.astype(np.float64)
        for c in range(xf.shape[1]):
            t = xf[:, c] - centres[labels, c]
            d += t * t
        far = np.argsort(-d, kind="stable")[:len(empty)]
        for j, i in zip(empty, far):
            old = labels[i]
            sums[old] -= xf[i]
            counts[old] -= 1
            sums[j] = xf[i]
            counts[j] = 1

    def lloyd(self, centres, max_iter, tol):
        k, nc = centres.shape
        labels = np.full(self.n, -1, np.int32)
        bufs = (np.empty((self.nchunks, k, nc)), np.empty((self.nchunks, k), np.int64),
                np.empty(self.nchunks), np.empty(self.nchunks, np.int64))
        for _ in range(max_iter):
            sums, counts, _, moved = self.step(centres, labels, bufs, False)
            if moved == 0:
                # unchanged labels: the same sums give the same centres; the
                # same pass again gives their inertia
                _, _, inertia, _ = self.step(centres, labels, bufs)
                return labels, centres, inertia
            if (counts == 0).any():
                self.relocate(centres, labels, sums, counts)
            new = sums / counts[:, None]
            shift = 0.0
            for j in range(k):
                for c in range(nc):
                    t = new[j, c] - centres[j, c]
                    shift += t * t
            centres = new
            if shift <= tol:
                break
        # converged on the shift or out of iterations: the labels (and the
        # inertia) of the final centres
        _, _, inertia, _ = self.step(centres, labels, bufs)
        return labels, centres, inertia


@fill_doc
def kmeans_colors(image: npt.ArrayLike, n_clusters: int, *, channel_axis: int | None = -1,
                  n_init: int = 1, max_iter: int = 300, tol: float = 1e-4, rng=None,
                  workers: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Cluster the colours of an image with k-means.

    Lloyd's iterations from k-means++ seeds, the algorithm of scikit-learn's
    ``KMeans(algorithm='lloyd')``, on the image's pixels (one sample per
    pixel, its channels the features).

    Parameters
    ----------
    image : (M[, N[, ...]][, C]) array_like
        Image; integer and float dtypes.  Values are clustered as they are
        (no scaling).
    n_clusters : int
        Number of clusters, at least 1 and at most the number of distinct
        pixels.
    channel_axis : int or None, optional
        The axis of the colour channels; None clusters grey values.
    n_init : int, optional
        Runs from different seeds; the one with the lowest inertia (sum of
        squared distances to the centres) is returned, the first on ties.
    max_iter : int, optional
        Maximum Lloyd iterations per run.
    tol : float, optional
        Stop when the total squared shift of the centres is at most ``tol``
        times the mean per-channel variance of the pixels (scikit-learn's
        rule); a run also stops when no label changes.
    rng : {{numpy.random.Generator, int, None}}, optional
        Seed or generator for the k-means++ draws
        (``numpy.random.default_rng(rng)``).
    {workers}

    Returns
    -------
    labels : ndarray of int32
        The cluster of each pixel, the image's shape without the channel
        axis.
    centres : ndarray of float64
        ``(n_clusters, C)`` cluster centres (``(n_clusters,)`` when
        ``channel_axis`` is None); ``labels`` are the nearest centres (the
        lowest index on ties).

    Raises
    ------
    ValueError
        ``n_clusters < 1``, more clusters than distinct pixels, a bad
        ``channel_axis``, non-finite values.

    Notes
    -----
    fastimg's own function (no anchor).  Differences from scikit-learn's
    ``KMeans``: distances are summed directly (not through
    ``|x|**2 - 2 x.c + |c|**2``), the random draws come from NumPy's
    ``Generator`` rather than ``RandomState``, and asking for more clusters
    than distinct pixels is an error (scikit-learn warns and returns
    duplicate centres).  Sums are taken per chunk of 16384 pixels and the
    chunks added in order, so a seed gives the same result whatever
    ``workers`` is.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.segmentation import kmeans_colors
    >>> img = np.zeros((4, 4, 3), np.uint8)
    >>> img[:, 2:] = (200, 100, 0)
    >>> labels, centres = kmeans_colors(img, 2, rng=0)
    >>> sorted(map(tuple, centres.tolist()))
    [(0.0, 0.0, 0.0), (200.0, 100.0, 0.0)]
    >>> int((labels == labels[0, 3]).sum())
    8
    """
    k = _check_counts(n_clusters, n_init, max_iter, tol)
    x, shape = _pixels(image, channel_axis)
    n_threads = resolve_workers(workers)
    found = np.empty((k, x.shape[1]), np.float64)
    distinct = kk.distinct_upto(x, k, found) if x.shape[0] else 0
    if distinct < k:
        raise ValueError(f"n_clusters={n_clusters} is more than the {distinct} distinct "
                         f"pixel values of the image (shape {np.shape(image)})")
    gen = np.random.default_rng(rng)
    # scikit-learn's tolerance: tol times the mean per-channel variance
    # (NumPy's var of the float64 pixels, as the reference takes it)
    tol_abs = float(np.mean(np.var(x.astype(np.float64), axis=0))) * tol if tol else 0.0
    runner = _Runner(x, n_threads)
    best = None
    for _ in range(n_init):
        centres = runner.seed(k, gen)
        labels, centres, inertia = runner.lloyd(centres, max_iter, tol_abs)
        if best is None or inertia < best[2]:
            best = (labels, centres, inertia)
    labels, centres, _ = best
    if channel_axis is None:
        centres = centres[:, 0]
    return labels.reshape(shape), centres
