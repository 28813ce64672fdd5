"""Jitted cores of the separable family: the running sums of
``scipy.ndimage.uniform_filter1d`` (SciPy's update order, bit for bit).

Twins as in fastimg/_kernels/correlation.py.
"""
from __future__ import annotations

import numpy as np

from .._jit import kernel
from .cast import c_cast
from .lines import fill_const, fill_line, store_line


# ------------------------------------------- uniform filter (running sum)
@kernel
def uniform1d_last(x, size, imap, lo, cval, out, start, stop):
    """NI_UniformFilter1D (SciPy 1.17): a running sum ``s`` (first window
    summed, then ``s += new - old``), each output ``s / size``."""
    n = x.shape[1]
    buf = np.empty(imap.shape[0], np.float64)
    acc = np.empty(n, np.float64)
    fs = np.float64(size)
    for i in range(start, stop):
        fill_line(x[i], imap, lo, cval, buf)
        tmp = 0.0
        for m in range(size):
            tmp += buf[m]
        acc[0] = tmp / fs
        for m in range(1, n):
            tmp += buf[m + size - 1] - buf[m - 1]
            acc[m] = tmp / fs
        store_line(acc, out[i])


@kernel
def uniform1d_mid(x, size, imap, cval, out, width, start, stop):
    """Running mean along axis 1 of 3-D x, for items = (plane, column block).

    Item q covers plane ``q // nblk`` and columns ``[c0, c0 + width)``; every
    column keeps its own running sum, updated row by row exactly as SciPy
    updates one line.
    """
    n = x.shape[1]
    nb = x.shape[2]
    nblk = (nb + width - 1) // width
    fs = np.float64(size)
    tmp = np.empty(width, np.float64)
    v1 = np.empty(width, np.float64)
    v2 = np.empty(width, np.float64)
    like = out[0, 0, 0]
    for q in range(start, stop):
        a = q // nblk
        c0 = (q % nblk) * width
        w = min(c0 + width, nb) - c0
        for c in range(w):
            tmp[c] = 0.0
        for m in range(size):
            s = imap[m]
            if s >= 0:
                src = x[a, s, c0:c0 + w]
                for c in range(w):
                    tmp[c] += src[c]
            else:
                for c in range(w):
                    tmp[c] += cval
        orow = out[a, 0, c0:c0 + w]
        for c in range(w):
            orow[c] = c_cast(tmp[c] / fs, like)
        for i in range(1, n):
            s2 = imap[i + size - 1]
            s1 = imap[i - 1]
            orow = out[a, i, c0:c0 + w]
            if s2 >= 0 and s1 >= 0:  # interior: read both rows in place
                src2 = x[a, s2, c0:c0 + w]
                src1 = x[a, s1, c0:c0 + w]
                for c in range(w):  # SciPy subtracts in double
                    tmp[c] += np.float64(src2[c]) - np.float64(src1[c])
                    orow[c] = c_cast(tmp[c] / fs, like)
                continue
            if s2 >= 0:
                src = x[a, s2, c0:c0 + w]
                for c in range(w):
                    v2[c] = src[c]
            else:
                fill_const(v2[:w], cval)
            if s1 >= 0:
                src = x[a, s1, c0:c0 + w]
                for c in range(w):
                    v1[c] = src[c]
            else:
                fill_const(v1[:w], cval)
            for c in range(w):
                tmp[c] += v2[c] - v1[c]
                orow[c] = c_cast(tmp[c] / fs, like)

