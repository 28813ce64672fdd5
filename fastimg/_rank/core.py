"""The rank family's one core: the k-th element of every (padded) window.

The public wrappers (``fastimg.rank``, ``fastimg.rank_median``) check their
arguments the anchors' way and call :func:`rank_core` with a boolean
footprint of the input's ndim, one origin per axis, one canonical boundary
rule and the rank to take.  This module normalises the data to a small
closed set of kernel dtypes, pads it with the boundary rule, chooses the
kernel and writes the result into the output with SciPy's casts.

Kernel dtypes: uint8 and uint16 (also int8 / int16 with the sign bit
flipped, and bool as its bytes), float32 and float64 (every other integer
type as float64: SciPy's n-D rank filter reads every element into a C
double, so this is what SciPy computes).

Kernel choice (measured on photographs, one thread, see the constants):

* 3x3 and 5x5 box medians (any dtype): straight-line pruned Batcher
  networks (``_kernels/rank_small.py``) over a ring of extended rows,
  vectorised across the row; floats as order-preserving integer keys;
* other windows of at most ``NETWORK_MAX`` cells (default NaN rule): the
  same networks driven by a comparator table over blocks of windows;
* full 8-bit boxes of at least ``BOX_MIN`` rows: Perreault-Hebert column
  histograms (cost per pixel independent of the window), read through
  border maps (no padded copy);
* other 8- and 16-bit data: Huang's sliding histogram generalised to any
  footprint (cells entering / leaving per step), two levels sized to the
  data's largest value;
* float data with larger windows: if the padded data has at most 65536
  distinct values, their ranks (``np.unique``) as 8/16-bit codes through the
  sliding histogram, else a sorted window per line (insert / delete);
* what is left (float data with a NaN policy and at most ``NETWORK_MAX``
  cells): gather + quickselect per window.

Memory: the padded copy (or none, for the two box kernels), the output and
per-thread buffers of O(window) or O(stripe * 256); never O(window) per
pixel.
"""
from __future__ import annotations

import functools

import numpy as np

from .._core import ndi_args
from .._core.dispatch import run
from . import kernels as rank_kernels
from . import networks as rank_small
from .._core.cast import c_cast_numpy

__all__ = ["rank_core", "RankSpec", "NETWORK_MAX"]

#: Largest window the comparator network takes.  Measured on a 1024x1024
#: photograph, one thread: float32 7x7 network 177 ms against 1690 ms for
#: quickselect; uint8 5x5 ~17 ms against 75 ms for the sliding histogram.
#: Beyond ~49 cells (a pruned Batcher network of 49 cells has ~320
#: comparators) the histograms win.
NETWORK_MAX = 49
#: full 8-bit boxes from this height take the column-histogram kernel (its
#: cost per pixel does not grow with the window; Huang's grows with the
#: height: they cross near 15 rows on a 1024x1024 photograph, measured)
BOX_MIN = 15
#: float data with at most this many distinct values is ranked as codes
CODES_MAX = 65536
#: float windows above this many cells try the uint16-codes histogram path
CODES_MIN = 64

POLICIES = {None: rank_kernels.POLICY_SORT, "propagate": rank_kernels.POLICY_PROPAGATE,
            "omit": rank_kernels.POLICY_OMIT}


class RankSpec:
    """Which element: ``k`` for the default rule, plus how to find it from
    the count of non-NaN values when NaN are omitted."""

    def __init__(self, k, op=rank_kernels.OP_FIXED, pct=0.0, rank=0):
        self.k, self.op, self.pct, self.rank = int(k), op, float(pct), int(rank)


def check_nan_policy(nan_policy):
    if nan_policy not in POLICIES:
        raise ValueError("nan_policy must be None, 'propagate' or 'omit'"
                         f" (got nan_policy={nan_policy!r})")
    return POLICIES[nan_policy]


# --------------------------------------------------------------- networks
@functools.lru_cache(maxsize=64)
def _batcher_pairs(n: int) -> tuple:
    """Batcher's odd-even merge sort comparators for n inputs (built for
    the next power of two; comparators touching the missing inputs, which
    stand for +inf, are dropped)."""
    p2 = 1
    while p2 < n:
        p2 *= 2
    pairs = []
    p = 1
    while p < p2:
        k = p
        while k >= 1:
            for j in range(k % p, p2 - k, 2 * k):
                for i in range(min(k, p2 - j - k)):
                    a, b = i + j, i + j + k
                    if a // (2 * p) == b // (2 * p) and b < n:
                        pairs.append((a, b))
            k //= 2
        p *= 2
    return tuple(pairs)


@functools.lru_cache(maxsize=256)
def network(n: int, k: int) -> np.ndarray:
    """The comparators that can change output ``k`` of the sorting network
    (walked backwards from ``k``)."""
    needed = {k}
    keep = []
    for a, b in reversed(_batcher_pairs(n)):
        if a in needed or b in needed:
            keep.append((a, b))
            needed.update((a, b))
    arr = np.array(keep[::-1], dtype=np.int64).reshape(-1, 2)
    arr.setflags(write=False)
    return arr


# ----------------------------------------------------------- data to codes
def _kernel_data(x: np.ndarray):
    """(kernel array, decode) for the input: decode(values) gives the values
    in the dtype SciPy would see them (``None``: the kernel dtype itself)."""
    dt = x.dtype.newbyteorder("=")
    if dt == np.bool_:
        return np.ascontiguousarray(x).view(np.uint8), None
    if dt in (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.float32),
              np.dtype(np.float64)):
        return x.astype(dt, copy=False), None
    if dt == np.int8 or dt == np.int16:
        # flipping the sign bit maps the signed order onto the unsigned one
        u = np.dtype(np.uint8 if dt == np.int8 else np.uint16)
        flip = u.type(1 << (8 * u.itemsize - 1))
        codes = np.ascontiguousarray(x, dtype=dt).view(u) ^ flip
        return codes, lambda v: (v ^ flip).view(dt)
    return x.astype(np.float64), None


def _cval_in(x, kdt, cval, decode, out_dtype, rule):
    """SciPy's ``cval`` for this path, in the kernel dtype, or None when the
    kernel dtype cannot hold it (then the float64 kernel is used).

    SciPy's three paths treat ``cval`` differently (measured): the n-D C
    code casts it to the input type first ("input": uint8 with cval=-2
    pads 254); the 1-D min/max passes of separable filters keep it as a
    double and cast the result ("double"); the 1-D rank path converts it
    with ``x.dtype.type`` where x is int64, float32 or float64 ("oned").
    """
    if rule == "input":
        if x.dtype.kind == "f":
            c = x.dtype.type(cval)
        else:
            c = c_cast_numpy(np.array([cval], np.float64), x.dtype.newbyteorder("="))[0]
        if decode is not None:
            return _encode(c, kdt)
        if kdt == np.float64 and x.dtype.kind != "f":
            return np.float64(c)
        if x.dtype == np.bool_:
            return np.uint8(np.array(c).view(np.uint8))
        return kdt.type(c)
    if rule == "oned":
        if x.dtype.kind == "f":
            if x.dtype.itemsize <= 4:
                return kdt.type(np.float32(cval))
            return kdt.type(cval)
        try:
            cval = float(np.int64(cval))
        except (OverflowError, ValueError):
            return None
    if np.isnan(cval):
        return kdt.type(cval) if kdt.kind == "f" else None
    if kdt.kind == "f":
        c = kdt.type(cval)
        # float32 rounding is monotone: ranking float32(cval) among float32
        # values picks the element whose float32 value SciPy stores, when
        # the output is float32
        if float(c) == cval or out_dtype == kdt:
            return c
        return None
    # integer kernels: truncation toward zero is monotone, so ranking
    # trunc(cval) gives trunc(result), which is what an integer output holds
    if not np.isfinite(cval):
        return None
    t = int(cval)
    if t != cval and out_dtype.kind not in "iub":
        return None
    if decode is not None:
        sdt = np.dtype(np.int8 if kdt == np.uint8 else np.int16)
        info = np.iinfo(sdt)
        if not info.min <= t <= info.max:
            return None
        return _encode(sdt.type(t), kdt)
    info = np.iinfo(kdt)
    if not info.min <= t <= info.max:
        return None
    return kdt.type(t)


def _encode(c, kdt):
    """int8 / int16 value -> its order-preserving unsigned code."""
    sdt = np.dtype(np.int8 if kdt == np.uint8 else np.int16)
    return (np.array(c, sdt).view(kdt) ^ kdt.type(1 << (8 * kdt.itemsize - 1)))[()]


# ------------------------------------------------------------------- core
def _offsets(fp, pstrides):
    idx = np.nonzero(fp)
    return sum(i.astype(np.int64) * s for i, s in zip(idx, pstrides)).astype(np.int64)


def _slide_offsets(fp, pstrides):
    """Offsets (relative to the new position) of the cells entering and
    leaving the window when it moves one step along the last axis."""
    prev = np.zeros_like(fp)
    prev[..., 1:] = fp[..., :-1]
    nxt = np.zeros_like(fp)
    nxt[..., :-1] = fp[..., 1:]
    # new cell c (at b + c) was outside the old window (b - 1 + fp) iff
    # c + 1 is not in fp; old cell c (at b - 1 + c) is outside the new one
    # iff c - 1 is not in fp
    enter = _offsets(fp & ~nxt, pstrides)
    leave = _offsets(fp & ~prev, pstrides) - 1
    return enter, leave


def _pad_once(kx, widths, mode, c):
    """``kx`` extended by SciPy's rule in one allocation, border lines copied
    from the already-filled part (``np.pad`` axis by axis, or fancy indexing,
    keep an intermediate alive: 1.4-1.6x the image at the peak for an 80x80
    window instead of 1.08x)."""
    shape = tuple(n + a + b for n, (a, b) in zip(kx.shape, widths))
    P = np.empty(shape, kx.dtype)
    core = tuple(slice(a, a + n) for n, (a, _) in zip(kx.shape, widths))
    P[core] = kx
    for axis, (n, (a, b)) in enumerate(zip(kx.shape, widths)):
        emap = ndi_args.extend_map(n, a, b, mode)
        # axes before this one are complete, later ones only on their core
        region = [slice(None)] * axis + [None] + list(core[axis + 1:])
        for i in list(range(a)) + list(range(a + n, a + n + b)):
            dst = list(region)
            dst[axis] = i
            if emap[i] < 0:
                P[tuple(dst)] = c
            else:
                src = list(region)
                src[axis] = a + emap[i]
                P[tuple(dst)] = P[tuple(src)]
    return P


#: straight-line median kernels for these (rows, columns) boxes
_SMALL = {(3, 3): rank_small.median3x3_rows, (5, 5): rank_small.median5x5_rows}
_KEY = {1: np.dtype(np.uint8), 2: np.dtype(np.uint16), 4: np.dtype(np.int32),
        8: np.dtype(np.int64)}


def _small(kernel, kx, decode, c, x, widths, mode, output, workers):
    """3x3 and 5x5 box medians: straight-line networks over a ring of
    extended rows (no padded copy; floats as integer keys)."""
    kdt = kx.dtype
    X3 = np.ascontiguousarray(kx).reshape(-1, x.shape[-2], x.shape[-1])
    rmap = ndi_args.extend_map(x.shape[-2], *widths[-2], mode)
    cmap = ndi_args.extend_map(x.shape[-1], *widths[-1], mode)
    direct = (decode is None and output.dtype == kdt and output.flags.c_contiguous
              and output.flags.writeable and not np.may_share_memory(kx, output))
    kout = output if direct else np.empty(x.shape, kdt)
    out3 = kout.reshape(X3.shape)
    flip = kdt.kind == "f"
    if flip:
        idt = _KEY[kdt.itemsize]
        bits = 8 * idt.itemsize
        inf = np.array(np.inf, kdt).view(idt)[()]
        qnan = np.array(np.nan, kdt).view(idt)[()]
        X3, out3 = X3.view(idt), out3.view(idt)
        cval = np.array(c, kdt).view(idt)[()]
        sh, mask = idt.type(bits - 1), idt.type((1 << (bits - 1)) - 1)
    else:
        zero = kdt.type(0)
        cval, sh, mask, inf, qnan = kdt.type(c), zero, zero, zero, zero
    rows = out3.shape[0] * out3.shape[1]
    run(kernel, (X3, rmap, cmap, widths[-1][0], cval, flip, sh, mask, inf, qnan, out3),
        items=rows, size=x.size, cost=2.0, workers=workers)
    if not direct:
        store(kout if decode is None else decode(kout), output)


def _box(kx, decode, c, x, fp, widths, mode, output, spec, workers):
    """Full 8-bit boxes: the column-histogram kernel, reading the input
    through the border maps of its last two axes (no padded copy: an 80x80
    median of a 2048x2048 image peaks at ~1.2x the image besides the
    output, bench_rank.py ``test_rank_memory``)."""
    kdt = kx.dtype
    kh, kw = fp.shape[-2:]
    X3 = np.ascontiguousarray(kx).reshape(-1, x.shape[-2], x.shape[-1])
    rmap = ndi_args.extend_map(x.shape[-2], *widths[-2], mode)
    cmap = ndi_args.extend_map(x.shape[-1], *widths[-1], mode)
    direct = (decode is None and output.dtype == kdt and output.flags.c_contiguous
              and output.flags.writeable and not np.may_share_memory(kx, output))
    kout = output if direct else np.empty(x.shape, kdt)
    out3 = kout.reshape(X3.shape)
    rows = out3.shape[0] * out3.shape[1]
    # stripes of 512 columns: their histograms (~280 KB) stay in L2; two
    # blocks per thread (each block rebuilds its column histograms)
    run(rank_kernels.box_hist_rows, (X3, rmap, cmap, np.uint8(c), kh, kw, spec.k, 512, out3),
        items=rows, size=x.size, cost=60.0, workers=workers,
        blocks=lambda nt: min(rows, 2 * nt))
    if not direct:
        store(kout if decode is None else decode(kout), output)


def rank_core(x, fp, origins, mode, cval, output, spec, policy, workers, cval_rule,
              nan_code=None):
    """Write the rank filter of ``x`` into ``output``.

    ``x``: real ndarray; ``fp``: boolean footprint of ``x.ndim`` with at
    least ``spec.k + 1`` True cells; ``origins``: ints, checked; ``mode``:
    a canonical rule of ``_ndi_args.extend_map``; ``cval``: float;
    ``output``: ndarray of x's shape; ``cval_rule``: "input", "double" or
    "oned" (see :func:`_cval_in`); ``nan_code``: an integer code of
    ``x`` that ``policy`` treats as NaN (skimage's cells outside the image).
    """
    if x.size == 0:
        return output
    kx, decode = _kernel_data(x)
    kdt = kx.dtype
    c = _cval_in(x, kdt, cval, decode, output.dtype.newbyteorder("="), cval_rule)
    if c is None:
        kx, decode, kdt = x.astype(np.float64), None, np.dtype(np.float64)
        c = _cval_in(x, kdt, cval, decode, output.dtype.newbyteorder("="), cval_rule)
        c = cval if c is None else c
    widths = [(s // 2 + o, s - 1 - s // 2 - o) for s, o in zip(fp.shape, origins)]
    n = int(np.count_nonzero(fp))
    if policy != rank_kernels.POLICY_SORT and kdt.kind != "f" and nan_code is None:
        policy = rank_kernels.POLICY_SORT  # no NaN in integer data
    box2d = (fp.ndim >= 2 and fp.all() and all(s == 1 for s in fp.shape[:-2])
             and fp.shape[-2] >= BOX_MIN and fp.shape[-1] >= 2)
    if (policy == rank_kernels.POLICY_SORT and kdt == np.uint8 and box2d
            and n > NETWORK_MAX):
        _box(kx, decode, c, x, fp, widths, mode, output, spec, workers)
        return output
    small = _SMALL.get(fp.shape[-2:]) if fp.ndim >= 2 else None
    if (policy == rank_kernels.POLICY_SORT and small is not None and fp.all()
            and all(d == 1 for d in fp.shape[:-2]) and spec.k == n // 2):
        _small(small, kx, decode, c, x, widths, mode, output, workers)
        return output
    P = _pad_once(kx, widths, mode, c)
    pstrides = [s // P.itemsize for s in P.strides]
    offs = _offsets(fp, pstrides)
    lines_shape = x.shape[:-1]
    L = x.shape[-1]
    lbase = np.zeros(lines_shape, np.int64)
    for d, nd in enumerate(lines_shape):
        shape = [1] * len(lines_shape)
        shape[d] = nd
        lbase = lbase + (np.arange(nd, dtype=np.int64) * pstrides[d]).reshape(shape)
    lbase = np.ascontiguousarray(lbase.reshape(-1))
    nlines = lbase.shape[0]
    Pf = P.reshape(-1)
    codes = None
    direct = (decode is None and output.dtype == kdt and output.flags.c_contiguous
              and output.flags.writeable)

    def result_array(dt):
        # write straight into the output when it has the kernel's dtype
        if direct and dt == kdt:
            return output.reshape(nlines, L)
        return np.empty((nlines, L), dt)

    if policy == rank_kernels.POLICY_SORT and n <= NETWORK_MAX:
        kout = result_array(kdt)
        flip = kdt.kind == "f"
        if flip:
            nan = np.isnan(Pf)
            if nan.any():
                Pf = np.where(nan, kdt.type(np.nan), Pf)  # one NaN, positive: sorts last
            idt = np.dtype(np.int32 if kdt.itemsize == 4 else np.int64)
            Pf, kview = Pf.view(idt), kout.view(idt)
        else:
            kview = kout
        blk = max(64, 512 // Pf.itemsize)  # the n rows of a block stay in L1
        bits = 8 * Pf.itemsize
        sh = Pf.dtype.type(bits - 1)
        mask = Pf.dtype.type((1 << (bits - 1)) - 1) if flip else Pf.dtype.type(0)
        pairs = network(n, spec.k)
        run(rank_kernels.network_lines, (Pf, lbase, offs, pairs, spec.k, flip, sh, mask, blk, kview),
            items=nlines, size=x.size, cost=0.2 * (pairs.shape[0] + n), workers=workers)
    else:
        nan_code = -1 if nan_code is None or kdt.kind == "f" else int(nan_code)
        if kdt.kind == "f" and n >= CODES_MIN:
            uniq, inv = np.unique(Pf, return_inverse=True)
            if uniq.shape[0] <= CODES_MAX:
                codes = uniq
                Pf = inv.astype(np.uint16 if uniq.shape[0] > 256 else np.uint8)
                if np.isnan(uniq[-1]):
                    nan_code = uniq.shape[0] - 1
        if Pf.dtype.kind == "u":
            enter, leave = _slide_offsets(fp, pstrides)
            kout = result_array(Pf.dtype) if codes is None else np.empty((nlines, L), Pf.dtype)
            # as few bits as the data's largest code needs (even, so the two
            # levels split evenly): the k-th search scans at most 2**(bits/2)
            # coarse bins, the cost that dominated 16-bit data (5x5 uint16:
            # 330 ms against 45 ms for the network on a 1024x1024 photograph)
            top = int(Pf.max()) if nan_code < 0 else max(int(Pf.max()), nan_code)
            nbits = max(2, (top.bit_length() + 1) // 2 * 2)
            run(rank_kernels.hist_lines, (Pf, lbase, offs, enter, leave, nbits, spec.op, spec.k, spec.pct,
                 spec.rank, policy, nan_code, kout),
                items=nlines, size=x.size, cost=4.0 * (enter.shape[0] + leave.shape[0]) + 30,
                workers=workers)
        elif n > NETWORK_MAX:
            enter, leave = _slide_offsets(fp, pstrides)
            kout = result_array(kdt)
            run(rank_kernels.sorted_lines, (Pf, lbase, offs, enter, leave, spec.op, spec.k, spec.pct, spec.rank,
                 policy, kout),
                items=nlines, size=x.size, cost=2.0 * n + 20.0, workers=workers)
        else:
            kout = result_array(kdt)
            run(rank_kernels.gather_lines, (Pf, lbase, offs, spec.op, spec.k, spec.pct, spec.rank, policy, kout),
                items=nlines, size=x.size, cost=8.0 * n, workers=workers)
    if direct and codes is None and kout.base is not None and np.shares_memory(kout, output):
        return output
    vals = kout.reshape(x.shape)
    if codes is not None:
        vals = codes[vals]
    if decode is not None:
        vals = decode(vals)
    if (cval_rule == "oned" and x.dtype.kind in "iub" and output.dtype.kind in "iub"
            and vals.dtype.kind == "f"):
        # SciPy's 1-D path computes in int64 and copies with numpy's cast
        output[...] = vals.astype(np.int64).astype(output.dtype)
        return output
    store(vals, output)
    return output


_MINMAX_OPS = {  # (minimum, policy) -> minmax_lines op
    (True, rank_kernels.POLICY_SORT): rank_kernels.MIN_NAN_LAST,
    (True, rank_kernels.POLICY_OMIT): rank_kernels.MIN_NAN_LAST,
    (True, rank_kernels.POLICY_PROPAGATE): rank_kernels.MIN_NAN_FIRST,
    (False, rank_kernels.POLICY_SORT): rank_kernels.MAX_NAN_LAST,
    (False, rank_kernels.POLICY_PROPAGATE): rank_kernels.MAX_NAN_LAST,
    (False, rank_kernels.POLICY_OMIT): rank_kernels.MAX_NAN_FIRST,
}


def minmax_pass(x, axis, size, origin, mode, cval, output, minimum, policy, workers):
    """One 1-D minimum / maximum pass of SciPy's separable filters (``cval``
    used as a double, the result stored into ``output`` with the C cast)."""
    if x.size == 0:
        return output
    kx, decode = _kernel_data(x)
    kdt = kx.dtype
    c = _cval_in(x, kdt, cval, decode, output.dtype.newbyteorder("="), "double")
    if c is None:
        kx, decode, kdt = x.astype(np.float64), None, np.dtype(np.float64)
        c = cval
    lo = size // 2 + origin
    widths = [(0, 0)] * x.ndim
    widths[axis] = (lo, size - 1 - lo)
    P = _pad_once(kx, widths, mode, c)
    pre = int(np.prod(x.shape[:axis], dtype=np.int64))
    post = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    P3 = P.reshape(pre, P.shape[axis], post)
    direct = (decode is None and output.dtype == kdt and output.flags.c_contiguous
              and output.flags.writeable)
    kout = output if direct else np.empty(x.shape, kdt)
    out3 = kout.reshape(pre, x.shape[axis], post)
    ch = 1 if post == 1 else 256
    items = pre * ((post + ch - 1) // ch)
    op = _MINMAX_OPS[(bool(minimum), policy if kdt.kind == "f" else rank_kernels.POLICY_SORT)]
    run(rank_kernels.minmax_lines, (P3, size, op, ch, out3),
        items=items, size=x.size, cost=3.0, workers=workers)
    if not direct:
        store(kout if decode is None else decode(kout), output)
    return output


def store(vals, output):
    """``output[...] = vals`` with SciPy's C casts (through double)."""
    odt = output.dtype.newbyteorder("=")
    if vals.dtype == odt:
        output[...] = vals
    elif odt.kind == "b" or vals.dtype == np.bool_:
        output[...] = c_cast_numpy(vals.astype(np.float64), odt)
    else:
        output[...] = c_cast_numpy(vals.astype(np.float64), odt)
