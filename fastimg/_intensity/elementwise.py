"""Elementwise transforms shared by families: lookup tables over every value
of an 8/16-bit type, and NumPy expressions run over one contiguous block per
thread (NumPy releases the GIL in its loops), with a jitted scan that flags
negative and NaN pixels.  Used by the intensity family.
"""
from __future__ import annotations


import numpy as np

from .._core.arrays import contiguous_writable
from .._core.dispatch import run, run_blocks, split
from . import elementwise_kernels

#: LUT entry codes
OK, NEG, EXACT = 0, 1, 2


def flat(x: np.ndarray) -> np.ndarray:
    return contiguous_writable(x).reshape(-1)


def numpy_expr(fn, image):
    """``fn`` (skimage's elementwise NumPy expression) over ``image`` in one
    NumPy call (for argument types that leave the image's dtype)."""
    return fn(np.ascontiguousarray(image))


#: Pixels per step inside a thread's block of ``numpy_blocks``: scanned by
#: a jitted loop, then computed by NumPy while still in cache.
STEP = 1 << 18


def plain_scan(x, o, s, e):
    """The default step scan of ``numpy_blocks``: flags only."""
    return elementwise_kernels.value_scan(x, s, e)


def numpy_blocks(into, expr, image, dt, n_threads):
    """skimage's elementwise expression over one contiguous block per thread,
    in parallel threads (NumPy releases the GIL in its loops).

    ``into`` is ``(scan, apply)``.  Each block goes in steps of ``STEP``
    pixels: ``scan(x, o, start, stop)``, a jitted pass returning the
    ``elementwise_kernels.HAS_*`` flags of the step (it may also prepare ``o``), then
    ``apply(v, o, flags)`` (the expression with in-place ufuncs, its exact
    identities dropped) or, for a step holding a NaN, ``expr(v)`` (the
    expression as written).  Every pixel goes through the same NumPy loops
    as in skimage's whole-array expression, so the values are skimage's.
    Steps run with floating-point errors raised.

    Returns ``out``, or ``elementwise_kernels.HAS_NEGATIVE`` if a pixel is negative, or None
    if a step would warn (the caller then runs skimage's expression whole,
    so that the warnings are skimage's).
    """
    scan, apply = into
    x = flat(image)
    out = np.empty(image.shape, dt)
    o = out.reshape(-1)
    size = x.shape[0]

    def work(b, lo, hi):
        status = 0
        with np.errstate(all="raise"):
            for s in range(lo, hi, STEP):
                e = min(s + STEP, hi)
                flags = scan(x, o, s, e)
                if flags & elementwise_kernels.HAS_NEGATIVE:
                    return elementwise_kernels.HAS_NEGATIVE
                if status:
                    continue            # keep scanning for negatives only
                try:
                    if flags & elementwise_kernels.HAS_NAN:
                        o[s:e] = expr(x[s:e])
                    else:
                        apply(x[s:e], o[s:e], flags)
                except FloatingPointError:
                    status = -1
        return status

    # one block per thread, of STEP pixels at least; NumPy's pow/log run
    # about 5 ns each
    results = run_blocks(work, split(size, size=size, cost=5.0, n_threads=n_threads,
                                     per_thread=1, min_items=STEP), n_threads)
    if elementwise_kernels.HAS_NEGATIVE in results:
        return elementwise_kernels.HAS_NEGATIVE
    if -1 in results:
        return None
    return out


def lut_domain(dtype):
    """(values, positions, codes, index dtype) of a value table for ``dtype``:
    every value skimage can be given (negatives only get code NEG), the
    table positions of those values (their bits as unsigned), and per-entry
    codes (NEG: skimage rejects it; EXACT: computing it would raise a
    floating-point flag, e.g. a signalling NaN)."""
    t = np.dtype(dtype)
    udt = np.dtype(f"u{t.itemsize}")
    bits = np.arange(1 << (8 * t.itemsize), dtype=np.int64).astype(udt)
    vals = bits.view(t)
    codes = np.zeros(bits.shape[0], np.uint8)
    if t.kind == "f":
        mag = bits & 0x7FFF
        nan = mag > 0x7C00
        snan = nan & ((bits & 0x0200) == 0)
        codes[snan] = EXACT
    with np.errstate(all="ignore"):
        neg = vals < 0
    codes[neg] = NEG
    return vals, codes, udt


def build_lut(expr, dtype, check_negative):
    """Table of ``expr`` over every admissible value of ``dtype``; None if
    computing it raises any floating-point flag (then the exact path runs)."""
    vals, codes, udt = lut_domain(dtype)
    ok = codes == OK if check_negative else codes != EXACT
    try:
        with np.errstate(all="raise"):
            res = expr(vals[ok])
    except FloatingPointError:
        return None
    if not isinstance(res, np.ndarray) or res.shape != (int(ok.sum()),) \
            or res.dtype.itemsize != vals.dtype.itemsize or not res.dtype.isnative:
        return None
    lut = np.zeros(vals.shape[0], dtype=res.dtype)
    lut[ok] = res
    if not check_negative:
        codes = np.where(codes == NEG, OK, codes).astype(np.uint8)
    return lut, codes, udt


def apply_lut(image, lut, codes, udt, n_threads):
    """``lut[image]`` in one parallel pass; returns (out, OR of codes hit)."""
    x = flat(image).view(udt)
    out = np.empty(image.shape, dtype=lut.dtype)
    o = out.reshape(-1).view(udt)
    table = lut.view(udt)
    if codes is None or not codes.any():
        run(elementwise_kernels.lut_apply, (x, table, o),
            items=x.shape[0], size=x.shape[0], cost=0.3, n_threads=n_threads)
        return out, 0
    hit = run(elementwise_kernels.lut_apply_checked, (x, table, codes, o), items=x.shape[0], size=x.shape[0], cost=0.5,
              n_threads=n_threads,
              flags=True)
    return out, hit


def scan(image, n_threads) -> int:
    """``elementwise_kernels.HAS_NEGATIVE | elementwise_kernels.HAS_NAN`` flags of a float32/float64 image."""
    x = flat(image)
    return run(elementwise_kernels.value_scan, (x,),
               items=x.shape[0], size=x.shape[0], cost=0.3, n_threads=n_threads, flags=True)


def stays_in(dt, *operands) -> bool:
    """Whether NumPy keeps ``dt`` when combining an array of ``dt`` with each
    scalar operand (Python numbers are weak; numpy scalars of another
    precision or 0-d arrays are not)."""
    try:
        return all(np.ndim(v) == 0 and np.result_type(dt, v) == dt for v in operands)
    except TypeError:
        return False
