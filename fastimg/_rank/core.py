"""The rank family's one core: the k-th element of every (padded) window.

The public wrappers (:mod:`fastimg._rank.api`, :mod:`fastimg._rank.medians`,
:mod:`fastimg._rank.minmax`) check their arguments the anchors' way and call
:func:`rank_core` with a boolean footprint of the input's ndim, one origin
per axis, one canonical boundary rule and the rank to take.  The core
normalises the data to a small closed set of kernel dtypes
(:mod:`fastimg._rank.prepare`), describes the call once (``_Case``), takes
the first kernel of :data:`KERNELS` that applies and writes the result into
the output with SciPy's casts.

Kernel dtypes: uint8 and uint16 (also int8 / int16 with the sign bit
flipped, and bool as its bytes), float32 and float64 (every other integer
type as float64: SciPy's n-D rank filter reads every element into a C
double, so this is what SciPy computes).

Kernel choice (:data:`KERNELS`, in this order; measured on photographs, one
thread, see the constants):

* full 8-bit boxes of at least ``BOX_MIN`` rows and more than
  ``NETWORK_MAX`` cells: Perreault-Hebert column histograms (cost per pixel
  independent of the window), read through border maps (no padded copy);
* 3x3 and 5x5 box medians (any dtype): straight-line pruned Batcher
  networks (:mod:`fastimg._rank.networks`) over a ring of extended rows,
  vectorised across the row; floats as order-preserving integer keys;
* other windows of at most ``NETWORK_MAX`` cells (default NaN rule): the
  same networks driven by a comparator table over blocks of windows;
* other 8- and 16-bit data: Huang's sliding histogram generalised to any
  footprint (cells entering / leaving per step), two levels sized to the
  data's largest value;
* float data with windows of at least ``CODES_MIN`` cells whose padded data
  has at most ``CODES_MAX`` distinct values: their ranks (``np.unique``) as
  8-bit codes (at most 256 values) or 32-bit codes through the sliding
  histogram (three levels: a smoothed photograph has hundreds of
  thousands of values);
* other float windows of more than ``NETWORK_MAX`` cells: a sorted window
  per line (insert / delete);
* what is left (float data with a NaN policy and at most ``NETWORK_MAX``
  cells): gather + quickselect per window.

Memory: the padded copy (or none, for the two box kernels), the output and
per-thread buffers of O(window) or O(stripe * 256); never O(window) per
pixel.
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .._core import ndi_args
from .._core.dispatch import run
from .._core.ndi_args import pad_once
from . import histogram_kernels
from . import kernels as rank_kernels
from . import networks
from .prepare import cval_in, kernel_data, offsets, slide_offsets, store

__all__ = ["rank_core", "RankSpec", "check_nan_policy", "KERNELS", "Kernel", "choose",
           "network", "NETWORK_MAX"]

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
#: (8, 16 or, with a three-level histogram of at most 16 MB per thread,
#: 32 bits)
CODES_MAX = 1 << 22
#: ... as 32-bit codes (three-level histogram) from this many distinct
#: values: faster than two levels over 16-bit codes too (43k distinct values,
#: windows 9 to 51 on a 512x512 photograph: 0.034-0.065 s against
#: 0.052-0.073 s, measured)
CODES32_FROM = 257
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


# ------------------------------------------------------------------- case
class _Lines(NamedTuple):
    """The padded data the line kernels read (see :mod:`.kernels`)."""

    P: np.ndarray         # the padded input, flattened
    pstrides: list        # element strides of the padded input
    offs: np.ndarray      # flat offsets of the footprint's True cells
    lbase: np.ndarray     # flat index of each output line's first window
    nlines: int
    L: int                # line length (the last axis)
    direct: bool          # the output can take the kernel's lines itself


@dataclasses.dataclass(eq=False)
class _Case:
    """One call of :func:`rank_core` as the kernel choice reads it: the data
    in its kernel dtype and the facts about the footprint, computed once;
    the padded lines and the value codes on first use."""

    x: np.ndarray         # the input as given
    kx: np.ndarray        # the input in its kernel dtype
    kdt: np.dtype         # its dtype: uint8, uint16, float32 or float64
    decode: Callable | None  # kernel values -> the values SciPy sees
    c: object             # cval in the kernel dtype
    fp: np.ndarray
    widths: list          # (before, after) extension per axis
    mode: str
    output: np.ndarray
    spec: RankSpec
    policy: int           # rank_kernels.POLICY_*
    sorting: bool         # the default NaN rule (NaN sorts last, fixed rank)
    workers: int | None
    cval_rule: str
    nan_code: int | float | None
    n: int                # True cells of the footprint
    plane_box: bool       # a full box over the last two axes, 1 elsewhere

    @functools.cached_property
    def lines(self) -> _Lines:
        """The padded input and where each line starts (on first use: the
        two box kernels read the input itself)."""
        P = pad_once(self.kx, self.widths, self.mode, self.c)
        pstrides = [s // P.itemsize for s in P.strides]
        lines_shape = self.x.shape[:-1]
        lbase = np.zeros(lines_shape, np.int64)
        for d, nd in enumerate(lines_shape):
            shape = [1] * len(lines_shape)
            shape[d] = nd
            lbase = lbase + (np.arange(nd, dtype=np.int64) * pstrides[d]).reshape(shape)
        lbase = np.ascontiguousarray(lbase.reshape(-1))
        out = self.output
        direct = (self.decode is None and out.dtype == self.kdt and out.flags.c_contiguous
                  and out.flags.writeable)
        return _Lines(P.reshape(-1), pstrides, offsets(self.fp, pstrides), lbase,
                      lbase.shape[0], self.x.shape[-1], direct)

    @functools.cached_property
    def codes(self):
        """(distinct values, index of each padded element among them) of
        float data, or None when there are more than ``CODES_MAX``."""
        uniq, inv = np.unique(self.lines.P, return_inverse=True)
        return (uniq, inv) if uniq.shape[0] <= CODES_MAX else None


def _case(x, fp, origins, mode, cval, output, spec, policy, workers, cval_rule, nan_code):
    if cval_rule == "oned" and x.dtype.newbyteorder("=") in (np.int64, np.uint64):
        # SciPy's 1-D path ranks these as int64 (uint64 wrapped by astype),
        # exactly: float64 would round values beyond 2**53
        kx, decode = x.astype(np.int64), None
    else:
        kx, decode = kernel_data(x)
    kdt = kx.dtype
    c = cval_in(x, kdt, cval, decode, output.dtype.newbyteorder("="), cval_rule)
    if c is None:
        kx, decode, kdt = x.astype(np.float64), None, np.dtype(np.float64)
        c = cval_in(x, kdt, cval, decode, output.dtype.newbyteorder("="), cval_rule)
        c = cval if c is None else c
    if policy != rank_kernels.POLICY_SORT and kdt.kind != "f" and nan_code is None:
        policy = rank_kernels.POLICY_SORT  # no NaN in integer data
    widths = [(s // 2 + o, s - 1 - s // 2 - o) for s, o in zip(fp.shape, origins)]
    plane_box = fp.ndim >= 2 and bool(fp.all()) and all(s == 1 for s in fp.shape[:-2])
    return _Case(x, kx, kdt, decode, c, fp, widths, mode, output, spec, policy,
                 policy == rank_kernels.POLICY_SORT, workers, cval_rule, nan_code,
                 int(np.count_nonzero(fp)), plane_box)


# ---------------------------------------------------------------- runners
#: straight-line median kernels for these (rows, columns) boxes
_SMALL = {(3, 3): networks.median3x3_rows, (5, 5): networks.median5x5_rows}
_KEY = {1: np.dtype(np.uint8), 2: np.dtype(np.uint16), 4: np.dtype(np.int32),
        8: np.dtype(np.int64)}


def _planes(case):
    """The input as (planes, rows, columns), the border maps of its last two
    axes, and where the kernel writes (the output itself when it can)."""
    x, kx, output = case.x, case.kx, case.output
    X3 = np.ascontiguousarray(kx).reshape(-1, x.shape[-2], x.shape[-1])
    rmap = ndi_args.extend_map(x.shape[-2], *case.widths[-2], case.mode)
    cmap = ndi_args.extend_map(x.shape[-1], *case.widths[-1], case.mode)
    direct = (case.decode is None and output.dtype == case.kdt and output.flags.c_contiguous
              and output.flags.writeable and not np.may_share_memory(kx, output))
    kout = output if direct else np.empty(x.shape, case.kdt)
    return X3, rmap, cmap, direct, kout


def _run_box(case):
    """Full 8-bit boxes: the column-histogram kernel, reading the input
    through the border maps of its last two axes (no padded copy: an 80x80
    median of a 2048x2048 image peaks at ~1.2x the image besides the
    output, bench_rank.py ``test_rank_memory``)."""
    X3, rmap, cmap, direct, kout = _planes(case)
    kh, kw = case.fp.shape[-2:]
    out3 = kout.reshape(X3.shape)
    rows = out3.shape[0] * out3.shape[1]
    # stripes of 512 columns: their histograms (~280 KB) stay in L2; two
    # blocks per thread (each block rebuilds its column histograms).  Cost
    # per pixel, one thread, 31x31: ~15 ns packed, ~40 ns int32
    packed = kh * kw <= histogram_kernels.PACKED_MAX
    run(histogram_kernels.box_hist_rows if packed else histogram_kernels.box_hist_wide,
        (X3, rmap, cmap, np.uint8(case.c), kh, kw, case.spec.k, 512, out3),
        items=rows, size=case.x.size, cost=20.0 if packed else 60.0, workers=case.workers,
        per_thread=2)
    if not direct:
        store(kout if case.decode is None else case.decode(kout), case.output)


def _run_small(case):
    """3x3 and 5x5 box medians: straight-line networks over a ring of
    extended rows (no padded copy; floats as integer keys)."""
    X3, rmap, cmap, direct, kout = _planes(case)
    kdt = case.kdt
    out3 = kout.reshape(X3.shape)
    flip = kdt.kind == "f"
    if flip:
        idt = _KEY[kdt.itemsize]
        bits = 8 * idt.itemsize
        inf = np.array(np.inf, kdt).view(idt)[()]
        qnan = np.array(np.nan, kdt).view(idt)[()]
        X3, out3 = X3.view(idt), out3.view(idt)
        cval = np.array(case.c, kdt).view(idt)[()]
        sh, mask = idt.type(bits - 1), idt.type((1 << (bits - 1)) - 1)
    else:
        zero = kdt.type(0)
        cval, sh, mask, inf, qnan = kdt.type(case.c), zero, zero, zero, zero
    rows = out3.shape[0] * out3.shape[1]
    run(_SMALL[case.fp.shape[-2:]],
        (X3, rmap, cmap, case.widths[-1][0], cval, flip, sh, mask, inf, qnan, out3),
        items=rows, size=case.x.size, cost=2.0, workers=case.workers)
    if not direct:
        store(kout if case.decode is None else case.decode(kout), case.output)


def _line_output(case, dt):
    """Where a line kernel writes: the output itself when it has the
    kernel's dtype and layout, else a (lines, L) temporary."""
    ln = case.lines
    if ln.direct and dt == case.kdt:
        return case.output.reshape(ln.nlines, ln.L)
    return np.empty((ln.nlines, ln.L), dt)


def _finish(case, kout, values=None):
    """The line kernels' result into the output (decoded, SciPy's casts);
    ``values``: the distinct values that value codes index."""
    output = case.output
    if (case.lines.direct and values is None and kout.base is not None
            and np.shares_memory(kout, output)):
        return
    vals = kout.reshape(case.x.shape)
    if values is not None:
        vals = values[vals]
    if case.decode is not None:
        vals = case.decode(vals)
    if (case.cval_rule == "oned" and case.x.dtype.kind in "iub" and output.dtype.kind in "iub"
            and vals.dtype.kind in "fi"):
        # SciPy's 1-D path computes in int64 and copies with numpy's cast
        output[...] = vals.astype(np.int64).astype(output.dtype)
        return
    store(vals, output)


def _run_network(case):
    """A comparator network (pruned to output k) over blocks of windows."""
    ln, kdt, spec = case.lines, case.kdt, case.spec
    kout = _line_output(case, kdt)
    Pf = ln.P
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
    pairs = network(case.n, spec.k)
    run(rank_kernels.network_lines,
        (Pf, ln.lbase, ln.offs, pairs, spec.k, flip, sh, mask, blk, kview),
        items=ln.nlines, size=case.x.size, cost=0.2 * (pairs.shape[0] + case.n),
        workers=case.workers)
    _finish(case, kout)


def _sliding_histogram(case, Pf, nan_code, kout):
    ln, spec = case.lines, case.spec
    enter, leave = slide_offsets(case.fp, ln.pstrides)
    # as few bits as the data's largest code needs (a multiple of the
    # levels, so they split evenly): the k-th search scans at most
    # 2**(bits/levels) bins per level, the cost that dominated 16-bit data
    # (5x5 uint16: 330 ms against 45 ms for the network on a 1024x1024
    # photograph); three levels for the 32-bit ranks of float data
    top = int(Pf.max()) if nan_code < 0 else max(int(Pf.max()), nan_code)
    levels = 3 if Pf.dtype.itemsize > 2 else 2
    nbits = max(levels, -(-top.bit_length() // levels) * levels)
    kernel = histogram_kernels.hist3_lines if levels == 3 else histogram_kernels.hist_lines
    run(kernel,
        (Pf, ln.lbase, ln.offs, enter, leave, nbits, spec.op, spec.k, spec.pct, spec.rank,
         case.policy, nan_code, kout),
        items=ln.nlines, size=case.x.size, cost=4.0 * (enter.shape[0] + leave.shape[0]) + 30,
        workers=case.workers)


def _run_histogram(case):
    """8- and 16-bit data: Huang's sliding histogram."""
    nan_code = -1 if case.nan_code is None else int(case.nan_code)
    kout = _line_output(case, case.kdt)
    _sliding_histogram(case, case.lines.P, nan_code, kout)
    _finish(case, kout)


def _run_codes(case):
    """Float data with few distinct values: their ranks as 8- or 16-bit
    codes through the sliding histogram, decoded afterwards."""
    uniq, inv = case.codes
    nu = uniq.shape[0]
    codes = inv.astype(np.uint32 if nu >= CODES32_FROM else
                       np.uint8 if nu <= 256 else np.uint16)
    nan_code = uniq.shape[0] - 1 if np.isnan(uniq[-1]) else -1
    kout = np.empty((case.lines.nlines, case.lines.L), codes.dtype)
    _sliding_histogram(case, codes, nan_code, kout)
    _finish(case, kout, uniq)


def _run_sorted(case):
    """Large float windows: the window kept sorted along each line."""
    ln, spec = case.lines, case.spec
    enter, leave = slide_offsets(case.fp, ln.pstrides)
    kout = _line_output(case, case.kdt)
    run(rank_kernels.sorted_lines,
        (ln.P, ln.lbase, ln.offs, enter, leave, spec.op, spec.k, spec.pct, spec.rank,
         case.policy, kout),
        items=ln.nlines, size=case.x.size, cost=2.0 * case.n + 20.0, workers=case.workers)
    _finish(case, kout)


def _run_gather(case):
    """What is left: gather each window, quickselect."""
    ln, spec = case.lines, case.spec
    kout = _line_output(case, case.kdt)
    run(rank_kernels.gather_lines,
        (ln.P, ln.lbase, ln.offs, spec.op, spec.k, spec.pct, spec.rank, case.policy, kout),
        items=ln.nlines, size=case.x.size, cost=8.0 * case.n, workers=case.workers)
    _finish(case, kout)


# ------------------------------------------------------------------ choice
class Kernel(NamedTuple):
    """An entry of the kernel choice: its name, when it applies, its runner."""

    name: str
    applies: Callable[[_Case], bool]
    run: Callable[[_Case], None]


#: The kernel choice: the first entry that applies runs (the module
#: docstring says why each comes where it does).
KERNELS = (
    Kernel("box column histograms",
           lambda c: (c.sorting and c.kdt == np.uint8 and c.plane_box and c.n > NETWORK_MAX
                      and c.fp.shape[-2] >= BOX_MIN and c.fp.shape[-1] >= 2),
           _run_box),
    Kernel("straight-line networks",
           lambda c: (c.sorting and c.plane_box and c.fp.shape[-2:] in _SMALL
                      and c.spec.k == c.n // 2),
           _run_small),
    Kernel("comparator network",
           lambda c: c.sorting and c.n <= NETWORK_MAX,
           _run_network),
    Kernel("sliding histogram",
           lambda c: c.kdt.kind == "u",
           _run_histogram),
    Kernel("value codes",
           lambda c: c.kdt.kind == "f" and c.n >= CODES_MIN and c.codes is not None,
           _run_codes),
    Kernel("sorted window",
           lambda c: c.n > NETWORK_MAX,
           _run_sorted),
    Kernel("gather + quickselect",
           lambda c: True,
           _run_gather),
)


def choose(case) -> Kernel:
    """The first entry of :data:`KERNELS` that applies to ``case``."""
    for k in KERNELS:
        if k.applies(case):
            return k
    raise AssertionError("the last entry applies to every case")


def rank_core(x, fp, origins, mode, cval, output, spec, policy, workers, cval_rule,
              nan_code=None):
    """Write the rank filter of ``x`` into ``output``.

    ``x``: real ndarray; ``fp``: boolean footprint of ``x.ndim`` with at
    least ``spec.k + 1`` True cells; ``origins``: ints, checked; ``mode``:
    a canonical rule of ``fastimg._core.ndi_args.extend_map``; ``cval``:
    float; ``output``: ndarray of x's shape; ``cval_rule``: "input",
    "double" or "oned" (see :func:`fastimg._rank.prepare.cval_in`);
    ``nan_code``: an integer code of ``x`` that ``policy`` treats as NaN
    (skimage's cells outside the image).
    """
    if x.size == 0:
        return output
    case = _case(x, fp, origins, mode, cval, output, spec, policy, workers, cval_rule,
                 nan_code)
    choose(case).run(case)
    return output
