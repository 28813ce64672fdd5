"""Reference (oracle) Otsu / multi-Otsu with scikit-image 0.26 semantics.

Plain NumPy, written from the definitions; never imports skimage or fastimg.
The histogram is :func:`reference.histograms.histogram`.

Rules encoded (skimage 0.26 ``filters.threshold_otsu``,
``filters.threshold_multiotsu``):

threshold_otsu
    A uniform image returns its first pixel.  Counts are cast to **float32**
    (as skimage does) and then, textbook, for every threshold index t the
    between-class variance w1(t) w2(t) (mu1(t) - mu2(t))**2 is computed in
    float64 (w1 = counts[:t+1].sum(), mu1 its mean bin centre, w2 / mu2 for
    the rest); the threshold is the centre of the **first maximum**.  skimage
    computes the same quantity partly in float32; near-equal maxima can
    therefore differ by float rounding (the tests compare tie-aware).
threshold_multiotsu
    prob = normalised counts as float32.  Fewer non-zero bins than classes:
    ValueError; exactly as many: thresholds at the non-zero bins but the last.
    Otherwise maximise sum over classes of S_k**2 / P_k (P_k the class
    probability, S_k its first moment over *bin indices*), with skimage's LUT
    conventions: bin 0 weighs 1 (not 0) in first moments of classes starting
    at bin 0, the class ``[0, 0]`` contributes 0, empty classes contribute 0.
    Every increasing tuple of thresholds is evaluated in float64 (thresholds
    only at the first position after each populated bin, which gives the same
    sum as the later positions and comes first); first maximum in
    lexicographic order.
"""
from __future__ import annotations

import itertools

import numpy as np

from .histograms import histogram

__all__ = ["threshold_otsu", "threshold_multiotsu"]


def threshold_otsu(image, nbins=256):
    image = np.asarray(image)
    first = image.reshape(-1)[0]
    if np.all(image == first):
        return first
    counts, centers = histogram(image, nbins)
    c = counts.astype(np.float32).astype(np.float64)
    x = centers.astype(np.float64)
    best, best_t = -1.0, 0
    for t in range(len(c) - 1):
        w1, w2 = c[:t + 1].sum(), c[t + 1:].sum()
        mu1 = (c[:t + 1] * x[:t + 1]).sum() / w1
        mu2 = (c[t + 1:] * x[t + 1:]).sum() / w2
        v = w1 * w2 * (mu1 - mu2) ** 2
        if v > best:
            best, best_t = v, t
    return centers[best_t]


def _class_term(cp, cs, p0, i, j):
    """S**2 / P of bins [i, j] with skimage's LUT conventions, from the
    float64 prefix sums ``cp`` (probabilities) and ``cs`` (index-weighted)."""
    if i == 0:
        if j == 0:
            return 0.0
        p, s = cp[j], cs[j] + p0          # bin 0 weighs 1 in classes from 0
    else:
        p, s = cp[j] - cp[i - 1], cs[j] - cs[i - 1]
    if p <= 0:
        return 0.0
    return s * s / p


def threshold_multiotsu(image, classes=3, nbins=256):
    counts, centers = histogram(image, nbins)
    prob = (counts / counts.sum()).astype(np.float32).astype(np.float64)
    nvalues = np.count_nonzero(prob)
    if nvalues < classes:
        raise ValueError(
            f"After discretization into bins, the input image has only {nvalues} "
            f"different values. It cannot be thresholded in {classes} classes.")
    if nvalues == classes:
        return centers[np.flatnonzero(prob)[:-1]]
    n = len(prob)
    k = classes - 1
    # candidate positions: 0, 1, and each populated bin (first of its run),
    # plus the next k - 1 positions of each run (empty middle classes)
    starts = sorted(set([0, 1][:max(0, min(2, n - 1))]) | set(np.flatnonzero(prob[:n - 1]).tolist()))
    cand = []
    for a, b in zip(starts, starts[1:] + [n - 1]):
        cand.extend(range(a, min(b, a + k)))
    cp = np.cumsum(prob)
    cs = np.cumsum(prob * np.arange(n))
    best, best_t = 0.0, None
    for tup in itertools.combinations(cand, k):
        if any(tup[q] > n - 1 - k + q for q in range(k)):
            continue
        bounds = (-1,) + tup + (n - 1,)
        s = sum(_class_term(cp, cs, prob[0], bounds[q] + 1, bounds[q + 1])
                for q in range(k + 1))
        if s > best:
            best, best_t = s, tup
    return centers[np.array(best_t, dtype=np.int64)]
