"""``scipy.ndimage``'s argument rules, written once.

Modes, axes, origins, ``output`` (array or dtype), ``cval`` and the dtypes
ndimage's C code takes, as SciPy 1.17's ``scipy.ndimage._ni_support`` and
``_filters`` check them: the same exception types and key phrases, plus what
was received.  Also the border index maps and padding that implement the
modes for the kernels.
"""
from __future__ import annotations

import operator
from collections.abc import Iterable

import numpy as np

from .arrays import contiguous_writable, copy_in_slabs
from .warn import warn_at_caller

# ndimage filter mode names -> the five extension rules
_NDI_MODES = {
    "nearest": "nearest",
    "wrap": "wrap",
    "grid-wrap": "wrap",
    "reflect": "reflect",
    "grid-mirror": "reflect",
    "mirror": "mirror",
    "constant": "constant",
    "grid-constant": "constant",
}

#: dtypes the kernels are compiled for; everything else is converted to float64
#: first (SciPy converts every element to double anyway, so this is exact).
KERNEL_INPUT_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16),
                       np.dtype(np.float32), np.dtype(np.float64))

_NDI_TYPES = set(np.dtype(t) for t in (
    np.bool_, np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16,
    np.int32, np.int64, np.float32, np.float64))


def ndi_mode(mode) -> str:
    """Canonical extension rule for an ndimage filter ``mode``."""
    try:
        return _NDI_MODES[mode]
    except (KeyError, TypeError):
        raise RuntimeError(f"boundary mode not supported (got mode={mode!r})") from None


def normalize_sequence(value, rank: int) -> list:
    """SciPy's ``_normalize_sequence``: a scalar repeated or a sequence of ``rank``."""
    if not isinstance(value, str) and np.iterable(value):
        seq = list(value)
        if len(seq) != rank:
            raise RuntimeError(
                "sequence argument must have length equal to input rank"
                f" (got {len(seq)} values for rank {rank})")
        return seq
    return [value] * rank


def check_axes(axes, ndim: int) -> tuple:
    """SciPy's ``_check_axes``."""
    if axes is None:
        return tuple(range(ndim))
    if np.isscalar(axes):
        axes = (operator.index(axes),)
    elif isinstance(axes, Iterable):
        axes = tuple(operator.index(ax) for ax in axes)
    else:
        raise ValueError("axes must be an integer, iterable of integers, or None"
                         f" (got {axes!r})")
    for ax in axes:
        if ax < -ndim or ax > ndim - 1:
            raise ValueError(f"specified axis: {ax} is out of range")
    axes = tuple(ax % ndim if ax < 0 else ax for ax in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"axes must be unique (got {axes})")
    return axes


def normalize_axis(axis, ndim: int) -> int:
    """numpy's normalize_axis_index (AxisError is a ValueError and IndexError)."""
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis % ndim


def get_output(output, input, shape=None, complex_output=False) -> np.ndarray:
    """SciPy's ``_get_output``: None, a dtype, a dtype string or an array."""
    if shape is None:
        shape = input.shape
    if output is None:
        if not complex_output:
            return np.zeros(shape, dtype=input.dtype.name)
        return np.zeros(shape, dtype=np.promote_types(input.dtype, np.complex64))
    if isinstance(output, (type, np.dtype)):
        if complex_output and np.dtype(output).kind != "c":
            warn_at_caller("promoting specified output dtype to complex")
            output = np.promote_types(output, np.complex64)
        return np.zeros(shape, dtype=output)
    if isinstance(output, str):
        dt = np.dtype(output)
        if complex_output and dt.kind != "c":
            raise RuntimeError(f"output must have complex dtype (got {dt})")
        if not issubclass(dt.type, np.number):
            raise RuntimeError(f"output must have numeric dtype (got {dt})")
        return np.zeros(shape, dtype=dt)
    output = np.asarray(output)
    if output.shape != tuple(shape):
        raise RuntimeError(f"output shape not correct (got {output.shape}, expected {tuple(shape)})")
    if complex_output and output.dtype.kind != "c":
        raise RuntimeError(f"output must have complex dtype (got {output.dtype})")
    return output


def check_ndi_dtype(arr: np.ndarray, line_path: bool) -> None:
    """Raise SciPy's RuntimeError for dtypes ndimage's C code does not take
    (its 1-D line buffers name the dtype, the n-D path does not)."""
    if arr.dtype.newbyteorder("=") not in _NDI_TYPES:
        if line_path:
            raise RuntimeError(f"array type {arr.dtype!r} not supported")
        raise RuntimeError(f"array type not supported (got dtype {arr.dtype})")


def as_cval(cval) -> float:
    """``cval`` as the C double SciPy converts it to: numbers and objects
    with ``__float__``, never strings (Python's ``float('1')`` would parse
    one)."""
    try:
        if isinstance(cval, (str, bytes, bytearray)):
            raise TypeError
        return float(cval)
    except TypeError:
        raise TypeError(f"must be real number, not {type(cval).__name__}"
                        f" (got cval={cval!r})") from None


def closing_checks(input: np.ndarray, output: np.ndarray, cval, line_path: bool) -> float:
    """The checks SciPy's C code makes last on a filter call, in its order:
    the dtypes of ``input`` and ``output``, a writable ``output``, then
    ``cval`` as a C double (returned)."""
    check_ndi_dtype(input, line_path)
    check_ndi_dtype(output, line_path)
    check_writable(output)
    return as_cval(cval)


def as_kernel_input(arr: np.ndarray) -> np.ndarray:
    """Native byte order, C-contiguous, one of ``KERNEL_INPUT_DTYPES``.

    bool becomes uint8; other integer types become float64 (exact for every
    value SciPy can represent, since SciPy computes in double too).
    """
    dt = arr.dtype.newbyteorder("=")
    if dt == np.bool_:
        # a view keeps the raw bytes: SciPy reads a bool element as its byte,
        # and its own bool outputs can hold bytes other than 0/1
        arr = np.ascontiguousarray(arr).view(np.uint8)
        return arr if arr.flags.writeable else arr.copy()
    if dt not in KERNEL_INPUT_DTYPES:
        dt = np.dtype(np.float64)
    return contiguous_writable(arr, dt)


def check_origin(origin, lenw: int, message: str) -> int:
    """SciPy's origin rule: the range test on the value as given (ValueError,
    so 1.5 for a 3-tap filter is out of range), then the C code's integer
    conversion (TypeError for a float inside the range)."""
    try:
        invalid = origin < -(lenw // 2) or origin > (lenw - 1) // 2
    except TypeError:
        invalid = False  # not comparable: the integer conversion says so
    if invalid:
        raise ValueError(f"{message} (got origin={origin!r} for a filter of size {lenw})")
    return as_c_int(origin, "origin")


def as_c_int(value, name: str) -> int:
    """``value`` as the C int SciPy's C code converts it to (TypeError with
    Python's message for a float or a string, plus what was received)."""
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{type(value).__name__!r} object cannot be interpreted as an "
                        f"integer (got {name}={value!r})") from None


def check_writable(output: np.ndarray) -> None:
    """SciPy's C code refuses a read-only output array before filtering."""
    if not output.flags.writeable:
        raise ValueError("output array is read-only. (got an output array with "
                         "writeable=False)")


def extend_map(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Index map of an axis of length ``n`` extended by ``lo`` before and ``hi``
    after: entry ``m`` is the source index of extended position ``m`` (source
    position ``m - lo``), or -1 for the constant value.  Extensions longer than
    the axis repeat periodically, as SciPy's line buffers do.
    """
    pos = np.arange(-lo, n + hi, dtype=np.int64)
    if n == 0:
        return np.full(pos.shape, -1, np.int64)
    if mode == "nearest":
        return np.clip(pos, 0, n - 1)
    if mode == "wrap":
        return np.mod(pos, n)
    if mode == "reflect":
        j = np.mod(pos, 2 * n)
        return np.where(j < n, j, 2 * n - 1 - j)
    if mode == "mirror":
        if n == 1:
            return np.zeros_like(pos)
        j = np.mod(pos, 2 * n - 2)
        return np.where(j < n, j, 2 * n - 2 - j)
    if mode == "constant":
        return np.where((pos >= 0) & (pos < n), pos, -1)
    raise RuntimeError(f"boundary mode not supported (got mode={mode!r})")


_NUMPY_PAD = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge",
              "wrap": "wrap", "constant": "constant"}


def pad(x: np.ndarray, widths, modes, cval=0) -> np.ndarray:
    """``x`` extended by ``widths`` [(before, after), ...] per axis with the
    canonical ndimage rules of ``modes`` (one per axis); the same values as
    indexing with :func:`extend_map` (np.pad repeats wide extensions
    periodically), at the cost of slice copies instead of a gather."""
    if x.size == 0:
        shape = tuple(n + a + b for n, (a, b) in zip(x.shape, widths))
        return np.full(shape, cval, dtype=x.dtype)
    out = x
    for axis, ((a, b), mode) in enumerate(zip(widths, modes)):
        if a == 0 and b == 0:
            continue
        w = [(0, 0)] * x.ndim
        w[axis] = (a, b)
        npm = _NUMPY_PAD[mode]
        if npm == "reflect" and x.shape[axis] == 1:
            npm = "edge"
        if npm == "constant":
            out = np.pad(out, w, mode="constant", constant_values=cval)
        else:
            out = np.pad(out, w, mode=npm)
    return out


def pad_once(kx, widths, mode, c):
    """``kx`` extended by SciPy's rule in one allocation, border lines copied
    from the already-filled part (``np.pad`` axis by axis, or fancy indexing,
    keep an intermediate alive: 1.4-1.6x the image at the peak for an 80x80
    window instead of 1.08x)."""
    shape = tuple(n + a + b for n, (a, b) in zip(kx.shape, widths))
    P = np.empty(shape, kx.dtype)
    core = tuple(slice(a, a + n) for n, (a, _) in zip(kx.shape, widths))
    copy_in_slabs(P[core], kx)
    for axis, (n, (a, b)) in enumerate(zip(kx.shape, widths)):
        emap = extend_map(n, a, b, mode)
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
