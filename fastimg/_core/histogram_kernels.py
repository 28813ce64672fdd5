"""Jitted cores of the histogram counting (``skimage.exposure.histogram``
and the counts behind the thresholds).

Conventions (see fastimg/_core/dispatch.py): range cores loop over a
``[start, stop)`` range of flat pixel indices; ``histogram.Flat`` runs them
on blocks in parallel, each block filling
its own sub-histogram (no shared ``+=``), summed afterwards.  Inputs are 1-D (raveled) native contiguous arrays;
``mask`` is a uint8 array of the same length, read only when ``has_mask``.

Speed rules: 8- and 16-bit images are counted in one pass over the whole
value range of their type (min and max come from the counts); counts go to
interleaved uint32 sub-histograms (``accumulate_kernels.count_lanes``), indexed
unsigned; min/max run on integers (float bit patterns mapped to order keys)
so the loop vectorises; float bin indices are computed per chunk in a loop
without table lookups, then counted.

Arithmetic rule copied from numpy 2.x ``histogram``'s uniform-bin path: the
float bin index is ``int((x - first) / denom * n)`` in the bin-edge dtype,
then one step down if ``x < edges[i]`` and one step up if
``x >= edges[i + 1]`` (not from the last bin), exactly as numpy corrects it.
"""
from __future__ import annotations

import numpy as np

from .jit import kernel
from .accumulate_kernels import count_lanes, counter_index
from .cast import as_type_of


@kernel
def minmax(x, mask, has_mask, kmask, lo0, hi0, start, stop):
    """(min, max, count) of the order keys ``v ^ ((v >> bits-1) & kmask)`` of
    the selected integers of ``x[start:stop]``.

    ``kmask = 0`` gives the integers themselves.  For the bit patterns of
    IEEE floats (an int32 / int64 view) ``kmask = 0x7fff...`` turns them
    into integers in the floats' order (NaNs beyond the infinities), so the
    loop is an integer min/max that vectorises.  ``lo0``/``hi0`` are the
    type's largest and smallest values (the result when nothing is selected).
    """
    xs = x[start:stop]
    sh = xs.itemsize * 8 - 1
    lo = lo0
    hi = hi0
    cnt = 0
    if has_mask:
        ms = mask[start:stop]
        for i in range(xs.shape[0]):
            v = xs[i]
            k = as_type_of(v ^ ((v >> sh) & kmask), lo0)
            m = ms[i] != 0
            lo = min(lo, k if m else lo0)
            hi = max(hi, k if m else hi0)
            cnt += m
    else:
        for i in range(xs.shape[0]):
            v = xs[i]
            k = as_type_of(v ^ ((v >> sh) & kmask), lo0)
            lo = min(lo, k)
            hi = max(hi, k)
        cnt = xs.shape[0]
    return lo, hi, cnt


# -------------------------------------------- 8- and 16-bit: one full pass
@kernel
def small_hist_block(x, mask, has_mask, offset, sub, start, stop):
    """``count_lanes`` over the selected pixels of ``x[start:stop]``."""
    count_lanes(x[start:stop], offset, mask[start:stop] if has_mask else mask, has_mask, sub)


# ------------------------------------------------------- integer histogram
@kernel
def int_hist(x, mask, has_mask, lo, out, start, stop):
    """out[x - lo] += 1 (np.bincount of the offset values) over the
    selected pixels; ``lo`` and ``out`` span the selected values only, so
    an unselected pixel is never used as an index."""
    xs = x[start:stop]
    if has_mask:
        ms = mask[start:stop]
        for i in range(xs.shape[0]):
            if ms[i]:
                out[counter_index(xs[i], lo)] += 1
    else:
        for i in range(xs.shape[0]):
            out[counter_index(xs[i], lo)] += 1



# --------------------------------------------------------- float histogram
#: Pixels per chunk of the float histogram: the bin indices of a chunk are
#: computed in one vectorisable loop, then counted.
CHUNK = 2048


@kernel
def _float_guess(xs, ms, has_mask, first, last, denom, nf, n, guess):
    """numpy's uniform-bin index before its edge correction, all arithmetic
    in the edge dtype: ``int((x - first) / denom * nf)``, ``n`` moved to
    ``n - 1``; ``n`` (dropped) for values outside ``[first, last]`` (NaN
    included) and unselected pixels.  No table lookup, so it vectorises
    (int32 indices: the wrapper keeps ``n`` below 2**20)."""
    n32 = np.int32(n)
    for i in range(xs.shape[0]):
        v = xs[i]
        ok = (v >= first) & (v <= last)
        if has_mask:
            ok = ok & (ms[i] != 0)
        w = v if ok else first
        j = min(np.int32((w - first) / denom * nf), np.int32(n32 - 1))
        guess[i] = j if ok else n32


@kernel
def _float_correct(xs, first, step, n, bins):
    """numpy's correction of the guesses in ``bins`` (from ``_float_guess``)
    for edges that are ``j * step + first`` in the edge dtype (the wrapper
    checks this against ``np.linspace``): one step down if ``x < edges[j]``,
    then one step up if ``x >= edges[j + 1]`` (not from the last bin);
    dropped pixels (``n``) stay.  No table lookup, so it vectorises."""
    n32 = np.int32(n)
    one = np.int32(1)
    for i in range(xs.shape[0]):
        w = xs[i]
        g = bins[i]
        j = np.int32(g - np.int32(w < first + as_type_of(g, first) * step))
        up = (w >= first + as_type_of(np.int32(j + one), first) * step) & (j + one < n32)
        j = np.int32(j + np.int32(up))
        bins[i] = j if g < n32 else n32


@kernel
def float_hist_block(x, mask, has_mask, first, last, denom, nf, e, step, search, sub, start, stop):
    """Counts of ``x[start:stop]`` per bin into the (lanes, n + 1) uint32
    block ``sub`` (column n: dropped pixels); ``e`` holds the n + 1 edges
    with the last one replaced by +inf (numpy never moves a value up from
    the last bin).

    ``search=False``: numpy's uniform-bin rule, the guess moved one step
    down if ``x < edges[j]``, then one step up if ``x >= edges[j + 1]`` (not
    from the last bin); ``step > 0`` says the edges are ``j * step + first``
    (no table lookups).  ``search=True``: the bin ``np.histogram`` gives for
    explicit edges (``edges[j] <= x < edges[j + 1]``, the last bin closed),
    the guess only being where the search starts.
    """
    n = e.shape[0] - 1
    bins = np.empty(CHUNK, np.int32)
    ms = mask
    formula = step > 0 and not search
    for c in range(start, stop, CHUNK):
        stop_c = min(c + CHUNK, stop)
        xs = x[c:stop_c]
        if has_mask:
            ms = mask[c:stop_c]
        m = xs.shape[0]
        _float_guess(xs, ms, has_mask, first, last, denom, nf, n, bins)
        if formula:
            _float_correct(xs, first, step, n, bins)
        else:
            for k in range(m):
                j = bins[k]
                if j < n:
                    v = xs[k]
                    if v < e[j]:
                        j -= 1
                        while search and v < e[j]:
                            j -= 1
                    elif v >= e[j + 1]:
                        j += 1
                        while search and v >= e[j + 1]:
                            j += 1
                    bins[k] = j
        # typed values, not literals: literal 0 / False would compile a
        # second specialisation of count_lanes (~1 s)
        count_lanes(bins[:m], np.int64(0), ms, np.bool_(False), sub)
