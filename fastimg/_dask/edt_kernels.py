"""Kernels of the exact Euclidean distance transform by passes
(:mod:`fastimg._dask.distance`): squared distances in int64, one line of an
axis at a time (Felzenszwalb and Huttenlocher's lower envelope)."""
import numpy as np

from .._core.jit import kernel

__all__ = ["INF", "first_pass", "envelope_pass"]

#: "no feature on this line yet": larger than any squared distance
INF = np.int64(1) << 62


@kernel
def first_pass(features, out):
    """Per row of ``features`` (True where the pixel is a feature, i.e. a
    zero of the input): squared distance along the row to the nearest
    feature, or INF."""
    n_lines, n = features.shape
    for i in range(n_lines):
        last = -1
        for j in range(n):
            if features[i, j]:
                last = j
            out[i, j] = INF if last < 0 else (j - last) * (j - last)
        last = -1
        for j in range(n - 1, -1, -1):
            if features[i, j]:
                last = j
            if last >= 0:
                d = (last - j) * (last - j)
                if d < out[i, j]:
                    out[i, j] = d


@kernel
def envelope_pass(f, out, v, z):
    """Per row: ``out[j] = min_k (j - k)**2 + f[k]`` over the finite
    ``f[k]`` (INF where none).  Parabolas meeting at an integer give the
    same value there, so the float intersections never change a result."""
    n_lines, n = f.shape
    for i in range(n_lines):
        k = -1
        for q in range(n):
            fq = f[i, q]
            if fq >= INF:
                continue
            s = -np.inf
            while k >= 0:
                p = v[k]
                s = ((fq + q * q) - (f[i, p] + p * p)) / (2.0 * (q - p))
                if s > z[k]:
                    break
                k -= 1
                s = -np.inf
            k += 1
            v[k] = q
            z[k] = s
        if k < 0:
            for j in range(n):
                out[i, j] = INF
            continue
        m = 0
        for j in range(n):
            while m < k and z[m + 1] < j:
                m += 1
            p = v[m]
            out[i, j] = (j - p) * (j - p) + f[i, p]
