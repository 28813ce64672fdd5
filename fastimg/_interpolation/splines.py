"""Public wrappers ``spline_filter1d`` and ``spline_filter`` (SciPy 1.17
``scipy.ndimage``), and the prefilter every interpolating function shares.

Rules reproduced from SciPy (``_interpolation.py``, ``ni_interpolation.c``):

* orders 0 and 1 copy the input with NumPy's assignment (no filter);
* the filter reads every element as a C double, filters in float64 and
  stores with C's cast into the output type (truncation, wrap-around);
  ``spline_filter`` filters axis 0 first and reads each next axis back from
  the output (so an integer output truncates between axes);
* the interpolating functions prefilter in float64 after padding the input
  by 12 for ``nearest`` (edge values) and ``grid-constant`` (``cval``).
"""
from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .._core.arrays import copy_in_slabs
from .._core.cast import c_cast_numpy
from .._core.dispatch import run
from .._core.docs import fill_doc
from .._core.ndi_args import as_c_int, as_kernel_input, check_writable, get_output, \
    normalize_axis
from . import spline_kernels as sk
from .kernels import CONSTANT, GRID_CONSTANT, GRID_WRAP, MIRROR, NEAREST, REFLECT, WRAP

__all__ = ["spline_filter1d", "spline_filter", "mode_code", "prefiltered"]

_MODE_CODES = {"nearest": NEAREST, "wrap": WRAP, "reflect": REFLECT, "grid-mirror": REFLECT,
               "mirror": MIRROR, "constant": CONSTANT, "grid-wrap": GRID_WRAP,
               "grid-constant": GRID_CONSTANT}

#: dtypes SciPy's C code reads and writes (native byte order)
_C_TYPES = set(np.dtype(t) for t in (
    np.bool_, np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16, np.int32,
    np.int64, np.float32, np.float64))

#: serial ns per element and pole of the prefilter (measured, 2048x2048)
_FILTER_NS = 3.0

_MODE_DOC = """\
mode : {'reflect', 'grid-mirror', 'constant', 'grid-constant', 'nearest', \
'mirror', 'grid-wrap', 'wrap'}, optional
    The `mode` parameter determines how the input array is extended beyond
    its boundaries: 'reflect' (`d c b a | a b c d | d c b a`, alias
    'grid-mirror'), 'grid-constant' (`k k k k | a b c d | k k k k`, `cval`
    and interpolation beyond the edges), 'constant' (as 'grid-constant'
    but no interpolation beyond the edges), 'nearest' (`a a a a | a b c d
    | d d d d`), 'mirror' (`d c b | a b c d | c b a`), 'grid-wrap' (`a b c
    d | a b c d | a b c d`), 'wrap' (`d b c d | a b c d | b c a b`)."""

_interp_doc = fill_doc.with_texts(mode_interp=_MODE_DOC)


def mode_code(mode) -> int:
    """SciPy's ``_extend_mode_to_code`` for the interpolation functions."""
    try:
        return _MODE_CODES[mode]
    except (KeyError, TypeError):
        raise RuntimeError(f"boundary mode not supported (got mode={mode!r})") from None


def check_c_type(arr: np.ndarray, line: bool) -> None:
    """SciPy's C code refuses other dtypes (float16, long double ...): the
    line buffers name the dtype, the interpolation loops do not."""
    if arr.dtype.newbyteorder("=") not in _C_TYPES:
        if line:
            raise RuntimeError(f"array type {arr.dtype!r} not supported")
        raise RuntimeError(f"data type not supported (got dtype {arr.dtype})")


def filter_f64(c: np.ndarray, order: int, mode: int, axes, workers) -> None:
    """Prefilter the C-contiguous float64 array ``c`` in place along ``axes``
    in turn."""
    poles = np.array(sk.POLES[order], np.float64)
    for axis in axes:
        shape = c.shape
        n = shape[axis]
        if n <= 1:
            continue
        view = c.reshape(math.prod(shape[:axis]), n, math.prod(shape[axis + 1:]))
        by_inner = view.shape[0] == 1
        run(sk.spline_lines, (view, poles, mode, by_inner),
            items=view.shape[2] if by_inner else view.shape[0], size=c.size,
            cost=_FILTER_NS * poles.size, workers=workers)


def prefiltered(input: np.ndarray, order: int, mode: str, cval, prefilter, workers):
    """What SciPy's interpolating functions interpolate: the B-spline
    coefficients (float64, padded by ``npad``) or the input itself."""
    if not (prefilter and order > 1):
        return input, 0
    npad = 0
    if mode == "nearest":
        npad = 12
        input = np.pad(input, npad, mode="edge")
    elif mode == "grid-constant":
        npad = 12
        input = np.pad(input, npad, mode="constant", constant_values=cval)
    code = mode_code(mode)
    check_c_type(input, True)
    # the float64 working copy in slabs: Ctrl-C stays prompt on large images
    c = np.empty(input.shape, np.float64)
    copy_in_slabs(c, as_kernel_input(input))
    filter_f64(c, order, code, range(c.ndim), workers)
    return c, npad


def _in_place(input: np.ndarray, output: np.ndarray) -> bool:
    """Whether the filter can run in ``output`` itself (a native, C-ordered
    float64 array apart from the input), after copying the input there:
    the float64 copy holds the same values as the working copy would
    (bool stays out: SciPy reads its raw byte), and one image-sized
    allocation and copy fewer is a third of a 512x512 call."""
    if not (output.dtype == np.float64 and output.dtype.isnative
            and output.flags.c_contiguous and input.dtype != np.bool_
            and input.dtype.newbyteorder("=") in _C_TYPES):
        return False
    if np.may_share_memory(input, output):
        return False
    output[...] = input
    return True


def _store(output: np.ndarray, c: np.ndarray) -> None:
    """C's ``(type)double`` store of ``c`` into ``output``."""
    output[...] = c if output.dtype == np.float64 else c_cast_numpy(c, output.dtype)


@_interp_doc
def spline_filter1d(input: npt.ArrayLike, order: int = 3, axis: int = -1, output=np.float64,
                    mode: str = "mirror", *, workers: int | None = None) -> np.ndarray:
    """Calculate a 1-D spline filter along the given axis.

    Drop-in for :func:`scipy.ndimage.spline_filter1d` (SciPy 1.17). The lines
    of the array along the given axis are filtered by a spline filter. The
    order of the spline must be >= 2 and <= 5.

    Parameters
    ----------
    input : array_like
        The input array.
    order : int, optional
        The order of the spline, default is 3.
    axis : int, optional
        The axis along which the spline filter is applied. Default is the
        last axis.
    output : ndarray or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. Default is ``numpy.float64``.
    {mode_interp}
        Default is 'mirror'.
    {workers}

    Returns
    -------
    spline_filter1d : ndarray
        The filtered input.

    Notes
    -----
    Differences from :func:`scipy.ndimage.spline_filter1d`: none (same
    values bit for bit, same errors). Complex inputs are filtered as their
    real and imaginary parts.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import spline_filter1d
    >>> spline_filter1d(np.array([0.0, 1.0, 0.0, 0.0]), order=3).round(4)
    array([-0.9333,  1.8667, -0.5333,  0.2667])
    """
    if order < 0 or order > 5:
        raise RuntimeError(f"spline order not supported (got order={order!r})")
    input = np.asarray(input)
    complex_output = np.iscomplexobj(input)
    output = get_output(output, input, complex_output=complex_output)
    if complex_output:
        spline_filter1d(input.real, order, axis, output.real, mode, workers=workers)
        spline_filter1d(input.imag, order, axis, output.imag, mode, workers=workers)
        return output
    if order in (0, 1):
        output[...] = np.array(input)
        return output
    code = mode_code(mode)
    axis = normalize_axis(axis, input.ndim)
    order = as_c_int(order, "order")
    check_c_type(input, True)
    check_c_type(output, True)
    check_writable(output)
    if _in_place(input, output):
        filter_f64(output, order, code, (axis,), workers)
        return output
    c = np.array(as_kernel_input(input), dtype=np.float64, order="C")
    filter_f64(c, order, code, (axis,), workers)
    _store(output, c)
    return output


@_interp_doc
def spline_filter(input: npt.ArrayLike, order: int = 3, output=np.float64,
                  mode: str = "mirror", *, workers: int | None = None) -> np.ndarray:
    """Multidimensional spline filter.

    Drop-in for :func:`scipy.ndimage.spline_filter` (SciPy 1.17): the
    one-dimensional spline filter along every axis in turn, axis 0 first.

    Parameters
    ----------
    input : array_like
        The input array.
    order : int, optional
        The order of the spline, default is 3.
    output : ndarray or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. Default is ``numpy.float64``.
    {mode_interp}
        Default is 'mirror'.
    {workers}

    Returns
    -------
    spline_filter : ndarray
        Filtered array. Has the same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.spline_filter`: none (same values
    bit for bit, same errors). With an integer output the values truncate
    after each axis, as in SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.ndimage import spline_filter
    >>> x = np.zeros((3, 3))
    >>> x[1, 1] = 1.0
    >>> float(spline_filter(x)[1, 1].round(4))
    4.0
    """
    if order < 2 or order > 5:
        raise RuntimeError(f"spline order not supported (got order={order!r})")
    input = np.asarray(input)
    complex_output = np.iscomplexobj(input)
    output = get_output(output, input, complex_output=complex_output)
    if complex_output:
        spline_filter(input.real, order, output.real, mode, workers=workers)
        spline_filter(input.imag, order, output.imag, mode, workers=workers)
        return output
    if input.ndim == 0:
        output[...] = input[...]
        return output
    code = mode_code(mode)
    order = as_c_int(order, "order")
    check_c_type(input, True)
    check_c_type(output, True)
    check_writable(output)
    if _in_place(input, output):
        filter_f64(output, order, code, range(output.ndim), workers)
        return output
    c = np.array(as_kernel_input(input), dtype=np.float64, order="C")
    if output.dtype == np.float64:
        filter_f64(c, order, code, range(c.ndim), workers)
    else:
        for axis in range(c.ndim):
            # SciPy stores each axis's result in the output and reads it back
            filter_f64(c, order, code, (axis,), workers)
            c = np.array(c_cast_numpy(c, output.dtype), dtype=np.float64, order="C")
    _store(output, c)
    return output
