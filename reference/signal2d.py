"""Reference (oracle) ``scipy.signal`` convolve2d / correlate2d with SciPy 1.17
semantics.

Pure NumPy, written for clarity, not speed.  It is the definition fastimg is
tested against; SciPy is a second oracle.

Rules encoded (all checked bit for bit against SciPy 1.17.1 on x86-64):

scipy.signal convolve2d / correlate2d
    Result dtype ``np.result_type(in1, in2)``; arithmetic in that dtype (integers wrap).
    For each output pixel, ``acc = 0``; for each kernel row: the row's products are
    summed in groups of four ``((p0 + p1) + p2) + p3`` added to ``acc``, then the
    remaining products one by one.  ``symm`` = numpy ``symmetric``, ``wrap`` =
    periodic, ``fill`` = ``fillvalue`` cast to the result dtype.  In ``valid`` mode the
    inputs are swapped when in2 is the larger one (correlate2d then flips the result).
"""

import numpy as np

__all__ = ["convolve2d", "correlate2d"]


# --------------------------------------------------------------------------------------
# scipy.signal convolve2d / correlate2d
# --------------------------------------------------------------------------------------
_SIGNAL_MODES = ("valid", "same", "full")
_SIGNAL_BOUNDARIES = {"fill": "fill", "pad": "fill", "wrap": "wrap",
                      "circular": "wrap", "symm": "symm", "symmetric": "symm",
                      "reflect": None}


def _inputs_swap_needed(mode, shape1, shape2):
    if mode != "valid" or not shape1:
        return False
    ok1 = all(a >= b for a, b in zip(shape1, shape2))
    ok2 = all(b >= a for a, b in zip(shape1, shape2))
    if not (ok1 or ok2):
        raise ValueError("For 'valid' mode, one must be at least "
                         "as large as the other in every dimension")
    return not ok1


def _fillvalue_as(fillvalue, dtype):
    """fillvalue converted to the result dtype, with SciPy's acceptance rules:
    numpy arrays must cast safely, numpy scalars cast unsafely, Python scalars must
    be representable (e.g. no complex into float, no 300 into uint8)."""
    error = ValueError("could not cast `fillvalue` directly to the output type "
                       "(it was first converted to complex).")
    try:
        if isinstance(fillvalue, np.ndarray):
            if not np.can_cast(fillvalue.dtype, dtype, "safe"):
                raise error
            value = fillvalue.astype(dtype)
        elif isinstance(fillvalue, np.generic):
            with np.errstate(all="ignore"):
                value = np.asarray(fillvalue).astype(dtype)
        else:
            value = np.asarray(fillvalue, dtype=dtype)
    except (TypeError, OverflowError, ValueError):
        raise error from None
    if value.size != 1:
        if value.size == 0:
            raise ValueError("`fillvalue` cannot be an empty array.")
        raise ValueError("`fillvalue` must be scalar or an array with one element.")
    return value.reshape(())


def _signal_index(idx, n, boundary):
    """Map input indices ``idx`` onto [0, n) (symm / wrap) or flag them (fill: -1)."""
    idx = np.asarray(idx)
    outside = (idx < 0) | (idx >= n)
    if boundary == "symm":  # ... 1 0 | 0 1 ... n-1 | n-1 n-2 ...
        k = np.where(idx >= 0, idx, -idx - 1) % (2 * n)
        mapped = np.where(k >= n, 2 * n - k - 1, k)
    elif boundary == "wrap":
        mapped = idx % n
    else:
        mapped = idx
    return np.where(outside, -1 if boundary == "fill" else mapped, idx)


def _c_multiply(a, b):
    """``a * b`` as C does it; for complex the textbook formula
    ``(ar*br - ai*bi) + i(ar*bi + ai*br)`` with each product rounded (NumPy's own
    complex multiply may use fused multiply-add and differ in the last bit).
    The C99 Annex G recovery of inf/NaN results is not modelled."""
    if np.result_type(a, b).kind != "c":
        return a * b
    real = a.real * b.real - a.imag * b.imag
    imag = a.real * b.imag + a.imag * b.real
    out = np.empty(np.shape(real), dtype=np.result_type(a, b))
    out.real = real
    out.imag = imag
    return out


def _signal_convolve2d(image, kernel, flip, mode, boundary, fillvalue):
    if mode not in _SIGNAL_MODES:
        raise ValueError("Acceptable mode flags are 'valid', 'same', or 'full'.")
    if boundary not in _SIGNAL_BOUNDARIES:
        raise ValueError("Acceptable boundary flags are 'fill', 'circular' "
                         "(or 'wrap'), and 'symmetric' (or 'symm').")
    dtype = np.result_type(image.dtype, kernel.dtype)
    boundary = _SIGNAL_BOUNDARIES[boundary]
    if boundary is None:
        raise ValueError("Incorrect boundary value.")
    if boundary == "fill":
        fill = _fillvalue_as(fillvalue, dtype)
    else:
        fill = np.zeros((), dtype)
    if dtype.kind not in "iufc" or dtype == np.float16:
        raise ValueError("convolve2d not available for this type.")
    image = image.astype(dtype)
    kernel = kernel.astype(dtype)
    (n0, n1), (w0, w1) = image.shape, kernel.shape
    if mode == "full":
        out_shape = (n0 + w0 - 1, n1 + w1 - 1)
    elif mode == "same":
        out_shape = (n0, n1)
    else:
        out_shape = (n0 - w0 + 1, n1 - w1 + 1)
        if min(out_shape) < 0:
            raise ValueError("no part of the output is valid, use option 1 (same) "
                             "or 2 (full) for third argument")

    def start(m, w):  # first input index read for output index m
        if mode == "full":
            return m if flip else m - w + 1
        if mode == "same":
            return m + (w - 1) // 2 if flip else m - (w - 1) // 2
        return m + w - 1 if flip else m

    step = -1 if flip else 1
    m = np.arange(out_shape[0])
    n = np.arange(out_shape[1])
    rows = _signal_index(start(m, w0)[:, None] + step * np.arange(w0), n0, boundary)
    cols = _signal_index(start(n, w1)[:, None] + step * np.arange(w1), n1, boundary)

    # the value seen by kernel element (j, k) at every output pixel
    padded = np.empty((n0 + 1, n1 + 1), dtype)  # index -1 holds the fill value
    padded[...] = fill
    padded[:n0, :n1] = image
    acc = np.zeros(out_shape, dtype)
    with np.errstate(all="ignore"):
        for j in range(w0):
            r = rows[:, j][:, None]
            prods = []
            for k in range(w1):
                c = cols[:, k][None, :]
                value = np.where((r < 0) | (c < 0), fill, padded[r, c])
                prods.append(_c_multiply(kernel[j, k], value))
            k = 0
            while k + 4 <= w1:  # groups of four, as the C inner loop
                group = prods[k] + prods[k + 1]
                group = group + prods[k + 2]
                group = group + prods[k + 3]
                acc = acc + group
                k += 4
            while k < w1:
                acc = acc + prods[k]
                k += 1
    return acc.astype(dtype)


def convolve2d(in1, in2, mode='full', boundary='fill', fillvalue=0):
    """2-D convolution (``scipy.signal.convolve2d``)."""
    in1 = np.asarray(in1)
    in2 = np.asarray(in2)
    if not in1.ndim == in2.ndim == 2:
        raise ValueError('convolve2d inputs must both be 2-D arrays')
    if _inputs_swap_needed(mode, in1.shape, in2.shape):
        in1, in2 = in2, in1
    return _signal_convolve2d(in1, in2, True, mode, boundary, fillvalue)


def correlate2d(in1, in2, mode='full', boundary='fill', fillvalue=0):
    """2-D cross-correlation (``scipy.signal.correlate2d``): correlate in1 with
    conj(in2); in 'valid' mode with in2 larger the inputs are swapped and the result
    is reversed along both axes."""
    in1 = np.asarray(in1)
    in2 = np.asarray(in2)
    if not in1.ndim == in2.ndim == 2:
        raise ValueError('correlate2d inputs must both be 2-D arrays')
    swapped = _inputs_swap_needed(mode, in1.shape, in2.shape)
    if swapped:
        in1, in2 = in2, in1
    out = _signal_convolve2d(in1, in2.conj(), False, mode, boundary, fillvalue)
    if swapped:
        out = out[::-1, ::-1]
    return out
