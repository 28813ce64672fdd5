"""The spectrum plumbing of the fourier family's filters.

* :func:`sfft`: ``scipy.fft``, imported on first use;
* :func:`mask_threads` / :func:`fft_workers`: the threads of a mask pass
  and of the FFTs (small calls run on one);
* :func:`batch_first` / :func:`restore`: an image's non-spatial axes first
  (the FFT axes are the last ones), and back;
* :func:`as_3d`: the ``(B, R, L)`` view of a spectrum the kernels write
  into (:mod:`fastimg._fourier.kernels`);
* :func:`irfftn`: ``scipy.fft.irfftn``'s own steps, without its temporary;
* :func:`fold`: the reduced index ``min(i, d - i)`` of an FFT index.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["sfft", "mask_threads", "fft_workers", "batch_first", "restore", "as_3d",
           "row_count", "irfftn", "fold"]

#: Mask passes over fewer bins than this run on one thread (the FFTs still
#: get ``workers``): a mask pass is a few percent of the transforms' time
#: (512x512: ~0.5 ms against ~5 ms), so a second thread saves little there
#: and, on a busy machine, can cost more than it saves.
_PARALLEL_MIN = 1 << 20

#: FFTs of fewer pixels than this run with one worker: a second pocketfft
#: thread made the rfftn + irfftn pair slower up to 512x512 (64x64: 67 vs
#: 139 us; 256x256: 0.54 vs 0.66 ms; 512x512: 2.2 vs 2.3 ms, 1 vs 2
#: workers; the 2048x2048 benchmark cases gain from it).
_FFT_PARALLEL_MIN = 1 << 19


def sfft():
    """scipy.fft, imported on first use (importing it costs ~0.2 s, which
    every ``import fastimg`` would pay otherwise)."""
    import scipy.fft
    return scipy.fft


def mask_threads(nt, bins):
    """Threads of a mask pass over ``bins`` bins (see ``_PARALLEL_MIN``)."""
    return nt if bins >= _PARALLEL_MIN else 1


def fft_workers(nt, pixels):
    """``workers`` of the FFTs of ``pixels`` pixels (see ``_FFT_PARALLEL_MIN``)."""
    return nt if pixels >= _FFT_PARALLEL_MIN else 1


def batch_first(image, spatial):
    """``image`` with its non-spatial axes first (a view) and the axis order
    to restore; spatial axes keep their order (the FFT axes are the last
    ``len(spatial)`` axes of the view)."""
    batch = [a for a in range(image.ndim) if a not in spatial]
    order = batch + list(spatial)
    if order == list(range(image.ndim)):
        return image, None
    return np.transpose(image, order), np.argsort(order)


def restore(out, inverse):
    """Undo :func:`batch_first` on a result (C-contiguous)."""
    if inverse is None:
        return out
    return np.ascontiguousarray(np.transpose(out, inverse))


def as_3d(spec, k):
    """(B, R, L) view of a C-contiguous spectrum whose last ``k`` axes are
    spatial (a view, never a copy: the kernels write into it; the callers
    pass scipy.fft's freshly allocated, C-contiguous outputs)."""
    shape = spec.shape
    b = math.prod(shape[:-k])
    r = math.prod(shape[-k:-1])
    view = spec.reshape((b, r, shape[-1]))
    if not np.may_share_memory(view, spec):    # cannot happen for C-contiguous
        raise RuntimeError("internal error: spectrum reshape copied")
    return view


def row_count(spec3):
    """The kernels' work items: the rows of all ``B`` planes."""
    return spec3.shape[0] * spec3.shape[1]


def irfftn(spec, shape, nt, scaled=True):
    """``scipy.fft.irfftn(spec, s=shape, axes=<last k axes>)``, bit for bit,
    in less time: the complex passes over the leading axes run in place
    (``ifftn``, ``overwrite_x=True``), then ``irfft`` over the last axis,
    both unnormalised (``norm='forward'`` on an inverse: factor 1), then
    one multiplication by ``1 / prod(shape)`` rounded from long double to
    the output dtype: exactly what pocketfft's multi-axis c2r does (c2c
    with factor 1 into a temporary, then c2r with that factor applied to
    each output), without its extra temporary.  Measured on the 2048x2048
    butterworth case: about 35% less time than ``irfftn``.  ``scaled=False``
    leaves the factor to the caller (frequency_filter folds it into the
    mask)."""
    k = len(shape)
    nd = spec.ndim
    if k == 1:
        if scaled:
            return sfft().irfft(spec, n=shape[0], axis=-1, workers=nt, overwrite_x=True)
        return sfft().irfft(spec, n=shape[0], axis=-1, norm="forward", workers=nt,
                            overwrite_x=True)
    spec = sfft().ifftn(spec, axes=tuple(range(nd - k, nd - 1)), norm="forward",
                        overwrite_x=True, workers=nt)
    out = sfft().irfft(spec, n=shape[-1], axis=-1, norm="forward", workers=nt)
    if scaled:
        fct = out.dtype.type(1 / np.longdouble(math.prod(shape)))
        if fct != 1:
            np.multiply(out, fct, out=out)
    return out


def fold(d):
    """Reduced index of each FFT index: min(i, d - i)."""
    i = np.arange(d)
    return np.minimum(i, d - i)
