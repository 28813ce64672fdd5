"""The pass pipeline of the ``scipy.ndimage`` filters: 1-D passes along an
axis (correlation with a weight line, or a running mean) written into the
output with SciPy's casts, chained axis after axis.

Used by correlate1d and the separable filters, the rank family's separable
minimum and maximum, and Canny's smoothing.  The public wrappers check their
arguments once (``ndi_args``); :func:`correlate1d_pass` and
:func:`uniform1d_pass` add the checks SciPy's C code makes last, and
:func:`line_pass` validates nothing.  :func:`chain` runs one pass per axis,
each reading the previous one's output, as SciPy does (integer outputs
truncate after every pass).
"""
from __future__ import annotations

import numpy as np

import numbers
import operator

from . import ndi_args, pair_kernels, pass_kernels
from .cast import c_cast_numpy
from .dispatch import run

__all__ = ["Target", "line_pass", "prepare_input", "correlate1d_pass", "uniform1d_pass",
           "chain", "correlate_chain", "gaussian_weights", "check_uniform_origin"]

_EPS = np.finfo(np.float64).eps
#: uint32 / int64 / uint64 / int8 / bool outputs: kernels write float64 and
#: the C cast rules are applied in NumPy (rare types, few specialisations).
_KERNEL_OUTPUT_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.int16),
                         np.dtype(np.int32), np.dtype(np.float32), np.dtype(np.float64))

#: Rough serial ns per output element for ``dispatch.run``'s decision,
#: fitted to 2048² runs (uint8 ... float64, 3 to 31 taps; within ~2x: a
#: cost per tap alone overestimates short kernels and splits short calls
#: into tiny blocks): a 1-D correlation pass costs about _PASS_NS + _TAP_NS
#: per tap; a running-sum (uniform) pass along the last axis
#: _RUNNING_SUM_NS, along another axis (vectorised across columns) less, by
#: itemsize.
_PASS_NS = 0.9
_TAP_NS = 0.04
_RUNNING_SUM_NS = 2.0


def _running_sum_mid_ns(itemsize):
    return 0.25 + 0.2 * itemsize


class Target:
    """Where a kernel writes: the output itself, or a temporary copied back."""

    def __init__(self, output: np.ndarray, shape3, safe_unsigned=False):
        self.output = output
        self.safe_unsigned = safe_unsigned
        dt = output.dtype.newbyteorder("=")
        direct = (dt in _KERNEL_OUTPUT_DTYPES or dt == np.bool_)
        if (direct and output.flags.c_contiguous and output.dtype.isnative
                and output.flags.writeable):
            arr = output.view(np.uint8) if dt == np.bool_ else output
            self.array = arr.reshape(shape3)
            self._tmp = None
        else:
            kdt = dt if dt in _KERNEL_OUTPUT_DTYPES else np.dtype(np.float64)
            self._tmp = np.empty(shape3, kdt)
            self.array = self._tmp

    def finish(self):
        if self._tmp is None:
            return
        vals = self._tmp.reshape(self.output.shape)
        if vals.dtype == np.float64 and self.output.dtype.kind in "biu":
            vals = c_cast_numpy(vals, self.output.dtype, safe_unsigned=self.safe_unsigned)
        self.output[...] = vals


def prepare_input(input: np.ndarray, output: np.ndarray, copy_if_shared: bool):
    x = ndi_args.as_kernel_input(input)
    if copy_if_shared and np.may_share_memory(x, output):
        x = x.copy()
    return x


def _symmetry(fw: np.ndarray) -> int:
    """NI_Correlate1D's test: 1 symmetric, -1 antisymmetric, 0 neither."""
    k = fw.shape[0]
    if not k & 1:
        return 0
    c = k // 2
    i = np.arange(1, c + 1)
    if np.all(np.abs(fw[c + i] - fw[c - i]) <= _EPS):
        return 1
    if np.all(np.abs(fw[c + i] + fw[c - i]) <= _EPS):
        return -1
    return 0


def _split_axis(shape, axis):
    pre = int(np.prod(shape[:axis], dtype=np.int64))
    post = int(np.prod(shape[axis + 1:], dtype=np.int64))
    return pre, shape[axis], post


#: Below this many elements after the axis (colour channels), a correlation
#: pass runs line by line (``corr1d_narrow``): rows that short leave the
#: row-ring kernel nothing to vectorise (7-14x slower on (H, W, 3)).
NARROW = 16


def line_pass(input, output, axis, mode, cval, origin, *, fw=None, size=None,
              workers=None):
    """One 1-D pass along ``axis`` (correlation with ``fw`` or a uniform mean
    of ``size``), written into ``output`` with SciPy's casting."""
    if input.size == 0:
        return output
    k = fw.shape[0] if fw is not None else size
    size1 = k // 2
    lo = size1 + origin
    hi = k - size1 - 1 - origin
    pre, n, post = _split_axis(input.shape, axis)
    imap = ndi_args.extend_map(n, lo, hi, mode)
    last = post == 1
    x = prepare_input(input, output, copy_if_shared=not last)
    if last:
        x = x.reshape(pre, n)
        tgt = Target(output, (pre, n))
        if fw is not None:
            run(pass_kernels.corr1d_last, (x, fw, _symmetry(fw), imap, lo, cval, tgt.array),
                items=pre, size=x.size, cost=_PASS_NS + _TAP_NS * fw.shape[0],
                workers=workers)
        else:
            run(pass_kernels.uniform1d_last, (x, size, imap, lo, cval, tgt.array),
                items=pre, size=x.size, cost=_RUNNING_SUM_NS, workers=workers)
    else:
        x = x.reshape(pre, n, post)
        tgt = Target(output, (pre, n, post))
        if fw is not None and post < NARROW:
            run(pass_kernels.corr1d_narrow, (x, fw, _symmetry(fw), imap, lo, cval, tgt.array),
                items=pre * post, size=x.size, cost=_PASS_NS + _TAP_NS * fw.shape[0],
                workers=workers)
        elif fw is not None:
            run(pass_kernels.corr1d_mid, (x, fw, _symmetry(fw), imap, cval, tgt.array),
                items=pre * n, size=x.size, cost=_PASS_NS + _TAP_NS * fw.shape[0],
                workers=workers)
        else:
            width = 256  # columns per work item, each with its own running sum
            items = pre * ((post + width - 1) // width)
            run(pass_kernels.uniform1d_mid, (x, size, imap, cval, tgt.array, width),
                items=items, size=x.size, cost=_running_sum_mid_ns(x.itemsize),
                workers=workers)
    tgt.finish()
    return output


def correlate1d_pass(input, weights, axis, output, mode, cval, origin, workers):
    """:func:`correlate1d` of real arrays after its argument checks (``weights``
    contiguous float64, ``axis`` and ``origin`` checked, ``output`` an array):
    the checks SciPy makes last (mode, dtypes, cval), then the pass."""
    mode = ndi_args.ndi_mode(mode)
    cval = ndi_args.closing_checks(input, output, cval, True)
    return line_pass(input, output, axis, mode, cval, origin, fw=weights, workers=workers)


def check_uniform_origin(size, origin):
    if (size // 2 + origin < 0) or (size // 2 + origin >= size):
        raise ValueError(f"invalid origin (got origin={origin} for size={size})")


def uniform1d_pass(input, size, axis, output, mode, cval, origin, workers):
    """:func:`uniform_filter1d` after its axis, size, output and origin checks."""
    mode = ndi_args.ndi_mode(mode)
    size = operator.index(size)
    origin = ndi_args.as_c_int(origin, "origin")
    if input.dtype.kind == "c":
        line_pass(input.real, output.real, axis, mode, np.real(cval), origin,
                  size=size, workers=workers)
        line_pass(input.imag, output.imag, axis, mode, np.imag(cval), origin,
                  size=size, workers=workers)
        return output
    cval = ndi_args.closing_checks(input, output, cval, True)
    return line_pass(input, output, axis, mode, cval, origin, size=size, workers=workers)


def chain(input, output, passes, one_pass):
    """``one_pass(input, output, *p)`` for each ``p`` of ``passes``, each
    reading the previous pass's output (SciPy's order: intermediate results
    are stored in the output dtype); no pass: ``input`` copied into
    ``output``."""
    if not passes:
        output[...] = input[...]
        return output
    for p in passes:
        one_pass(input, output, *p)
        input = output
    return output


def correlate_chain(input, output, passes, cval, workers, *, fuse=True):
    """:func:`correlate1d_pass` for each ``(axis, weights, mode)`` of
    ``passes`` (``weights``: an array, or a function making it, called when
    its pass starts, as SciPy computes it), chained (:func:`chain`); two
    passes over the last two axes run as one sweep (``pair_kernels``: the
    image read once, the output written once) when the output holds the
    first pass as the chain would (a kernel dtype, written in place), unless
    ``fuse`` is False."""
    if fuse and len(passes) == 2 and input.ndim >= 2 and input.size > 0:
        (a1, _, _), (a2, _, _) = passes
        nd = input.ndim
        if ({a1, a2} == {nd - 2, nd - 1} and input.dtype.kind in "iuf"
                and output.dtype.kind in "iuf" and output.dtype != np.bool_):
            done = _pair(input, output, passes, cval, workers)
            if done is not None:
                return done
    return chain(input, output, passes,
                 lambda src, dst, axis, weights, mode: correlate1d_pass(
                     src, _weights(weights), axis, dst, mode, cval, 0, workers))


def _weights(w):
    return w() if callable(w) else w


def _pair(input, output, passes, cval, workers):
    """The fused pair (see :func:`correlate_chain`), or None where the
    output cannot hold the first pass in place (a temporary, or a type the
    kernels do not write).  Checks in SciPy's order: pass 1's weights, mode
    and dtypes, then pass 2's."""
    shape = input.shape
    pre = int(np.prod(shape[:-2], dtype=np.int64))
    n, nb = shape[-2], shape[-1]
    tgt = Target(output, (pre, n, nb))
    if tgt._tmp is not None:
        return None
    (a1, w1, m1), (a2, w2, m2) = passes
    w1 = _weights(w1)
    m1 = ndi_args.ndi_mode(m1)
    c1 = ndi_args.closing_checks(input, output, cval, True)
    w2 = _weights(w2)
    m2 = ndi_args.ndi_mode(m2)
    c2 = ndi_args.closing_checks(output, output, cval, True)
    x = prepare_input(input, output, copy_if_shared=True).reshape(pre, n, nb)

    def border(w, size, mode):
        k = w.shape[0]
        lo = k // 2
        return ndi_args.extend_map(size, lo, k - lo - 1, mode), lo
    cost = 2 * _PASS_NS + _TAP_NS * (w1.shape[0] + w2.shape[0])
    if a1 == input.ndim - 2:        # columns first, as sobel(x, 0)
        rmap, _ = border(w1, n, m1)
        cmap, loh = border(w2, nb, m2)
        args = (x, w1, _symmetry(w1), rmap, c1, w2, _symmetry(w2), cmap, loh, c2, tgt.array)
        core = pair_kernels.pair_vh
    else:
        cmap, loh = border(w1, nb, m1)
        rmap, _ = border(w2, n, m2)
        args = (x, w1, _symmetry(w1), cmap, loh, c1, w2, _symmetry(w2), rmap, c2, tgt.array)
        core = pair_kernels.pair_hv
    run(core, args, items=pre * n, size=x.size, cost=cost, workers=workers)
    return output


def gaussian_kernel1d(sigma, order, radius):
    """Normalised sampled Gaussian (or its ``order``-th derivative), radius r."""
    if order < 0:
        raise ValueError(f"order must be non-negative (got order={order})")
    sigma2 = sigma * sigma
    x = np.arange(-radius, radius + 1)
    phi_x = np.exp(-0.5 / sigma2 * x ** 2)
    phi_x = phi_x / phi_x.sum()
    if order == 0:
        return phi_x
    # derivative: q(x) * phi(x), with q built by applying d/dx repeatedly
    exponent_range = np.arange(order + 1)
    q = np.zeros(order + 1)
    q[0] = 1
    deriv = np.diag(exponent_range[1:], 1) + np.diag(np.ones(order) / -sigma2, -1)
    for _ in range(order):
        q = deriv.dot(q)
    q = (x[:, None] ** exponent_range).dot(q)
    return q * phi_x


def gaussian_weights(sigma, order, truncate, radius):
    """The correlation weights of one Gaussian pass, with SciPy's radius rule
    and its checks (contiguous float64)."""
    sd = float(sigma)
    lw = int(truncate * sd + 0.5)
    if radius is not None:
        lw = radius
    if not isinstance(lw, numbers.Integral) or lw < 0:
        raise ValueError(f"Radius must be a nonnegative integer (got radius={lw!r}).")
    return np.ascontiguousarray(gaussian_kernel1d(sigma, order, lw)[::-1], dtype=np.float64)
