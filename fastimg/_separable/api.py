"""Public wrappers of the separable family: ``scipy.ndimage`` filters made
of 1-D passes (gaussian_filter(1d), uniform_filter(1d), sobel, prewitt).

Each public function checks its arguments once and chains its passes through
the pass pipeline (``fastimg._core.passes``), in SciPy's order of checks.
Intermediate passes are stored in the output dtype, as SciPy does, so integer
outputs truncate after every pass.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._core import ndi_args
from .._core.docs import fill_doc
from .._core.passes import (chain, check_uniform_origin, correlate1d_pass, correlate_chain,
                            gaussian_weights, uniform1d_pass)
from .._correlation import correlate1d
from .fused import gaussian_pair

__all__ = ["gaussian_filter1d", "gaussian_filter", "uniform_filter1d", "uniform_filter",
           "sobel", "prewitt"]


@fill_doc
def gaussian_filter1d(input: npt.ArrayLike, sigma: float, axis: int = -1, order: int = 0,
                      output: np.ndarray | npt.DTypeLike | None = None,
                      mode: str = "reflect", cval: float | complex = 0.0,
                      truncate: float = 4.0, *, radius: int | None = None,
                      workers: int | None = None) -> np.ndarray:
    """1-D Gaussian filter.

    Drop-in for :func:`scipy.ndimage.gaussian_filter1d` (SciPy 1.17): radius
    ``int(truncate * sigma + 0.5)`` unless ``radius`` is given; ``order``
    selects a derivative of the Gaussian.

    Parameters
    ----------
    input : array_like
        The input array.
    sigma : scalar
        Standard deviation for Gaussian kernel.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    order : int, optional
        An order of 0 corresponds to convolution with a Gaussian
        kernel. A positive order corresponds to convolution with
        that derivative of a Gaussian.
    {output}
    {mode}
    {cval}
    truncate : float, optional
        Truncate the filter at this many standard deviations.
        Default is 4.0.
    radius : None or int, optional
        Keyword-only. Radius of the Gaussian kernel. If specified, the size
        of the kernel will be ``2*radius + 1``, and `truncate` is ignored.
        Default is None.
    {workers}

    Returns
    -------
    gaussian_filter1d : ndarray
        Filtered array. Has the same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.gaussian_filter1d`: none in
    results; ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> result = ndimage.gaussian_filter1d([1.0, 2.0, 3.0, 4.0, 5.0], 1)
    >>> np.round(result, 3).tolist()
    [1.427, 2.068, 3.0, 3.932, 4.573]
    """
    weights = gaussian_weights(sigma, order, truncate, radius)
    return correlate1d(input, weights, axis, output, mode, cval, 0, workers=workers)


@fill_doc
def gaussian_filter(input: npt.ArrayLike, sigma: float | Sequence[float],
                    order: int | Sequence[int] = 0,
                    output: np.ndarray | npt.DTypeLike | None = None,
                    mode: str | Sequence[str] = "reflect", cval: float | complex = 0.0,
                    truncate: float = 4.0, *, radius: int | Sequence[int] | None = None,
                    axes: int | Sequence[int] | None = None,
                    workers: int | None = None) -> np.ndarray:
    """Multidimensional Gaussian filter.

    Drop-in for :func:`scipy.ndimage.gaussian_filter` (SciPy 1.17): a
    sequence of 1-D Gaussian passes, one per axis with ``sigma > 1e-15``,
    each written into the output dtype (so integer outputs truncate after
    every pass, as in SciPy).  ``sigma``, ``order``, ``mode`` and ``radius``
    may be per axis.

    Parameters
    ----------
    input : array_like
        The input array.
    sigma : scalar or sequence of scalars
        Standard deviation for Gaussian kernel. The standard
        deviations of the Gaussian filter are given for each axis as a
        sequence, or as a single number, in which case it is equal for
        all axes.
    order : int or sequence of ints, optional
        The order of the filter along each axis is given as a sequence
        of integers, or as a single number. An order of 0 corresponds
        to convolution with a Gaussian kernel. A positive order
        corresponds to convolution with that derivative of a Gaussian.
    {output}
    {mode_multiple}
    {cval}
    truncate : float, optional
        Truncate the filter at this many standard deviations.
        Default is 4.0.
    radius : None or int or sequence of ints, optional
        Keyword-only. Radius of the Gaussian kernel. The radius are given
        for each axis as a sequence, or as a single number, in which case it
        is equal for all axes. If specified, the size of the kernel along
        each axis will be ``2*radius + 1``, and `truncate` is ignored.
        Default is None.
    axes : int, tuple of int or None, optional
        Keyword-only. If None, `input` is filtered along all axes.
        Otherwise, `input` is filtered along the specified axes. When `axes`
        is specified, any tuples used for `sigma`, `order`, `mode` and/or
        `radius` must match the length of `axes`. The ith entry in any of
        these tuples corresponds to the ith entry in `axes`.
    {workers}

    Returns
    -------
    gaussian_filter : ndarray
        Returned array of same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.gaussian_filter`: none in
    results; ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.arange(0, 32, 2).reshape(4, 4)
    >>> ndimage.gaussian_filter(a, sigma=1).tolist()
    [[3, 5, 6, 8], [8, 10, 11, 13], [15, 17, 18, 20], [20, 22, 23, 25]]
    """
    input = np.asarray(input)
    output = ndi_args.get_output(output, input)
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    orders = ndi_args.normalize_sequence(order, num_axes)
    sigmas = ndi_args.normalize_sequence(sigma, num_axes)
    modes = ndi_args.normalize_sequence(mode, num_axes)
    radiuses = ndi_args.normalize_sequence(radius, num_axes)
    passes = [(axes[ii], sigmas[ii], orders[ii], modes[ii], radiuses[ii])
              for ii in range(num_axes) if sigmas[ii] > 1e-15]
    real = input.dtype.kind != "c" and output.dtype.kind != "c"
    if real:
        # each pass's weights made when it starts (its radius check), as
        # SciPy; two passes over an image: one sweep with the taps summed
        # in registers (``fused``), otherwise the chain
        lines = [(axis, functools.partial(gaussian_weights, sig, ordr, truncate, rad), md)
                 for axis, sig, ordr, md, rad in passes]
        if len(passes) == 2 and passes[0][2] == 0 and passes[1][2] == 0:
            done = gaussian_pair(input, output, lines, cval, workers)
            if done is not None:
                return done
        return correlate_chain(input, output, lines, cval, workers, fuse=False)

    def one_pass(src, dst, axis, sig, ordr, md, rad):
        # complex: SciPy's split into real passes, in correlate1d
        gaussian_filter1d(src, sig, axis, ordr, dst, md, cval, truncate, radius=rad,
                          workers=workers)
    return chain(input, output, passes, one_pass)


@fill_doc
def uniform_filter1d(input: npt.ArrayLike, size: int, axis: int = -1,
                     output: np.ndarray | npt.DTypeLike | None = None,
                     mode: str = "reflect", cval: float | complex = 0.0,
                     origin: int = 0, *, workers: int | None = None) -> np.ndarray:
    """Calculate a 1-D uniform filter along the given axis.

    Drop-in for :func:`scipy.ndimage.uniform_filter1d` (SciPy 1.17): a
    running mean updated in SciPy's order (first window summed then
    divided, then ``+= (new - old) / size``), so rounding matches SciPy bit
    for bit.

    The lines of the array along the given axis are filtered with a
    uniform filter of given size.

    Parameters
    ----------
    input : array_like
        The input array.
    size : int
        Length of uniform filter.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    {output}
    {mode}
    {cval}
    {origin}
    {workers}

    Returns
    -------
    result : ndarray
        Filtered array. Has same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.uniform_filter1d`: none in
    results; ``workers`` is extra.

    Examples
    --------
    >>> from fastimg import ndimage
    >>> ndimage.uniform_filter1d([2, 8, 0, 4, 1, 9, 9, 0], size=3).tolist()
    [4, 3, 4, 1, 4, 6, 6, 3]
    """
    input = np.asarray(input)
    axis = ndi_args.normalize_axis(axis, input.ndim)
    if size < 1:
        raise RuntimeError(f"incorrect filter size (got size={size})")
    complex_output = input.dtype.kind == "c"
    output = ndi_args.get_output(output, input, complex_output=complex_output)
    check_uniform_origin(size, origin)
    return uniform1d_pass(input, size, axis, output, mode, cval, origin, workers)


@fill_doc
def uniform_filter(input: npt.ArrayLike, size: int | Sequence[int] = 3,
                   output: np.ndarray | npt.DTypeLike | None = None,
                   mode: str | Sequence[str] = "reflect", cval: float | complex = 0.0,
                   origin: int | Sequence[int] = 0, *,
                   axes: int | Sequence[int] | None = None,
                   workers: int | None = None) -> np.ndarray:
    """Multidimensional uniform filter.

    Drop-in for :func:`scipy.ndimage.uniform_filter` (SciPy 1.17): 1-D
    running means along each axis with ``size > 1``, intermediate results in
    the output dtype.

    Parameters
    ----------
    input : array_like
        The input array.
    size : int or sequence of ints, optional
        The sizes of the uniform filter are given for each axis as a
        sequence, or as a single number, in which case the size is
        equal for all axes.
    {output}
    {mode_multiple}
    {cval}
    {origin_multiple}
    axes : int, tuple of int or None, optional
        Keyword-only. If None, `input` is filtered along all axes.
        Otherwise, `input` is filtered along the specified axes. When `axes`
        is specified, any tuples used for `size`, `origin`, and/or `mode`
        must match the length of `axes`. The ith entry in any of these
        tuples corresponds to the ith entry in `axes`.
    {workers}

    Returns
    -------
    uniform_filter : ndarray
        Filtered array. Has the same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.uniform_filter`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> ndimage.uniform_filter(np.arange(16).reshape(4, 4), size=3).tolist()
    [[1, 2, 3, 3], [4, 5, 6, 6], [8, 9, 10, 10], [10, 11, 12, 12]]
    """
    input = np.asarray(input)
    output = ndi_args.get_output(output, input, complex_output=input.dtype.kind == "c")
    axes = ndi_args.check_axes(axes, input.ndim)
    num_axes = len(axes)
    sizes = ndi_args.normalize_sequence(size, num_axes)
    origins = ndi_args.normalize_sequence(origin, num_axes)
    modes = ndi_args.normalize_sequence(mode, num_axes)
    passes = [(axes[ii], int(sizes[ii]), origins[ii], modes[ii])
              for ii in range(num_axes) if sizes[ii] > 1]

    def one_pass(src, dst, axis, sz, org, md):
        check_uniform_origin(sz, org)
        uniform1d_pass(src, sz, axis, dst, md, cval, org, workers)
    return chain(input, output, passes, one_pass)


_DIFF = np.array([-1.0, 0.0, 1.0])
_SOBEL_SMOOTH = np.array([1.0, 2.0, 1.0])
_PREWITT_SMOOTH = np.array([1.0, 1.0, 1.0])


def _derivative_filter(input, axis, output, mode, cval, smooth, workers):
    input = np.asarray(input)
    axis = ndi_args.normalize_axis(axis, input.ndim)
    output = ndi_args.get_output(output, input)
    modes = ndi_args.normalize_sequence(mode, input.ndim)
    if input.dtype.kind == "c" or output.dtype.kind == "c":  # SciPy's complex split
        correlate1d(input, [-1, 0, 1], axis, output, modes[axis], cval, 0, workers=workers)
        for ii in range(input.ndim):
            if ii != axis:
                correlate1d(output, smooth, ii, output, modes[ii], cval, 0, workers=workers)
        return output
    passes = [(axis, _DIFF)] + [(ii, smooth) for ii in range(input.ndim) if ii != axis]
    return correlate_chain(input, output, [(ax, w, modes[ax]) for ax, w in passes], cval,
                           workers)


@fill_doc
def sobel(input: npt.ArrayLike, axis: int = -1,
          output: np.ndarray | npt.DTypeLike | None = None,
          mode: str | Sequence[str] = "reflect", cval: float | complex = 0.0, *,
          workers: int | None = None) -> np.ndarray:
    """Calculate a Sobel filter.

    Drop-in for :func:`scipy.ndimage.sobel` (SciPy 1.17): ``[-1, 0, 1]``
    along ``axis``, then ``[1, 2, 1]`` along every other axis, all in the
    output dtype (unnormalised; integer outputs truncate and wrap as in
    SciPy).

    Parameters
    ----------
    input : array_like
        The input array.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    {output}
    {mode_multiple}
    {cval}
    {workers}

    Returns
    -------
    sobel : ndarray
        Filtered array. Has the same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.sobel`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 0, 0, 0], [0, 0, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]])
    >>> ndimage.sobel(a, axis=0).tolist()
    [[0, 1, 3, 4], [1, 3, 4, 4], [1, 2, 1, 0], [0, 0, 0, 0]]
    """
    return _derivative_filter(input, axis, output, mode, cval, _SOBEL_SMOOTH, workers)


@fill_doc
def prewitt(input: npt.ArrayLike, axis: int = -1,
            output: np.ndarray | npt.DTypeLike | None = None,
            mode: str | Sequence[str] = "reflect", cval: float | complex = 0.0, *,
            workers: int | None = None) -> np.ndarray:
    """Calculate a Prewitt filter.

    Drop-in for :func:`scipy.ndimage.prewitt` (SciPy 1.17): ``[-1, 0, 1]``
    along ``axis``, then ``[1, 1, 1]`` along every other axis, all in the
    output dtype.

    Parameters
    ----------
    input : array_like
        The input array.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    {output}
    {mode_multiple}
    {cval}
    {workers}

    Returns
    -------
    prewitt : ndarray
        Filtered array. Has the same shape as `input`.

    Notes
    -----
    Differences from :func:`scipy.ndimage.prewitt`: none in results;
    ``workers`` is extra.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import ndimage
    >>> a = np.array([[0, 0, 0, 0], [0, 0, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]])
    >>> ndimage.prewitt(a, axis=1).tolist()
    [[0, 1, 1, 0], [1, 2, 1, 0], [2, 3, 1, 0], [3, 3, 0, 0]]
    """
    return _derivative_filter(input, axis, output, mode, cval, _PREWITT_SMOOTH, workers)
