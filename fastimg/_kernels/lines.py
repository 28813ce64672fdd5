"""Jitted building blocks for line-by-line filters: extended border lines
and ring buffers of extended rows.

Border handling uses index maps built by the wrapper (``_ndi_args.extend_map``):
``imap[m]`` is the source index of extended position ``m`` along an axis
(source position ``m - lo``), or -1 where the constant ``cval`` stands.
Extended source lines are kept in small ring buffers (slot ``m % k``) so each
source line is converted once per block of output rows, not once per kernel
row.  Used by the correlate, separable and signal2d kernels.
"""
from __future__ import annotations

from .._jit import kernel
from .cast import c_cast

@kernel
def fill_line(src, imap, lo, cval, buf):
    """buf[m] = src[imap[m]] (cval where imap[m] < 0) in buf's type (float64
    for ndimage, the result type for signal); the interior ``[lo, lo + n)`` is
    a straight converting copy."""
    n = src.shape[0]
    ext = buf.shape[0]
    for m in range(lo):
        s = imap[m]
        buf[m] = src[s] if s >= 0 else cval
    mid = buf[lo:lo + n]
    for j in range(n):
        mid[j] = src[j]
    for m in range(lo + n, ext):
        s = imap[m]
        buf[m] = src[s] if s >= 0 else cval


@kernel
def fill_const(buf, cval):
    for m in range(buf.shape[0]):
        buf[m] = cval


@kernel
def store_line(acc, out_line):
    like = out_line[0]
    for j in range(acc.shape[0]):
        out_line[j] = c_cast(acc[j], like)


@kernel
def ring_rows(x, a, imap, m0, m1, cval, ring):
    """Convert extended rows m in [m0, m1) of plane a into ring slot m % k."""
    k = ring.shape[0]
    for m in range(m0, m1):
        s = imap[m]
        slot = m % k
        if s >= 0:
            src = x[a, s]
            for b in range(src.shape[0]):
                ring[slot, b] = src[b]
        else:
            fill_const(ring[slot], cval)
