"""Reference (oracle) frequency-domain filtering: the textbook pipeline.

Plain NumPy, written the way tutorials and textbooks (Gonzalez & Woods,
"Digital Image Processing", ch. 4) write it; never imports fastimg or
scikit-image::

    F = np.fft.fftn(image)              # np.fft.fft2 for 2-D
    F = np.fft.fftshift(F)              # zero frequency at index M // 2
    D = distance of every bin from the centre (np.meshgrid)
    G = H(D) * F                        # the full, centred mask
    g = np.fft.ifftn(np.fft.ifftshift(G)).real

Rules encoded:

* distance: the centred index ``u - M // 2`` of every axis (even and odd
  sizes alike), either in pixels (``cutoff_pixels``: D0 a radius in bins) or
  divided by the axis length ``M`` (``cutoff_ratio``: frequency in cycles per
  sample, scikit-image's ``cutoff_frequency_ratio`` convention);
  ``D = sqrt(sum of squares)`` over the axes in order;
* ideal lowpass ``D <= D0``; Gaussian lowpass ``exp(-D**2 / (2 D0**2))``;
  Butterworth lowpass ``1 / (1 + (D / D0) ** (2 n))`` and highpass
  ``1 / (1 + (D0 / D) ** (2 n))`` (0 at D = 0), square roots of both when not
  squared; ideal and Gaussian highpass ``1 - lowpass``; bandpass
  ``highpass(low) * lowpass(high)``, bandstop ``1 - bandpass``;
* computed in float64 (complex128), cast at the end to the output dtype:
  float32 for float16 / float32 images, float64 otherwise, complex for
  complex images (then the complex result, not its real part);
* ``butterworth``: scikit-image 0.26's ``filters.butterworth`` by the same
  pipeline: ratio distances, Butterworth low- or highpass, ``npad`` edge
  padding of the spatial axes cropped afterwards, channels one at a time.
"""
from __future__ import annotations

import numpy as np

__all__ = ["distance", "ideal_mask", "gaussian_mask", "butterworth_mask",
           "frequency_filter", "butterworth"]


def distance(shape, ratio):
    """D of every bin of the centred spectrum of ``shape``."""
    grids = np.meshgrid(*[np.arange(m) - m // 2 for m in shape], indexing="ij")
    d2 = np.zeros(shape)
    for g, m in zip(grids, shape):
        u = g / m if ratio else g.astype(np.float64)
        d2 = d2 + u ** 2
    return np.sqrt(d2)


def _lowpass(kind, D, D0, order, squared):
    if kind == "ideal":
        return (D <= D0).astype(np.float64)
    if kind == "gaussian":
        return np.exp(-(D ** 2) / (2 * D0 ** 2))
    h = 1 / (1 + (D / D0) ** (2 * order))
    return h if squared else np.sqrt(h)


def _highpass(kind, D, D0, order, squared):
    if kind != "butterworth":
        return 1 - _lowpass(kind, D, D0, order, squared)
    with np.errstate(divide="ignore"):
        h = 1 / (1 + (D0 / D) ** (2 * order))
    return h if squared else np.sqrt(h)


def _mask(kind, shape, band, cutoff_ratio, cutoff_pixels, order=2.0, squared=True):
    ratio = cutoff_ratio is not None
    D = distance(shape, ratio)
    c = cutoff_ratio if ratio else cutoff_pixels
    if band == "lowpass":
        return _lowpass(kind, D, c, order, squared)
    if band == "highpass":
        return _highpass(kind, D, c, order, squared)
    low, high = c
    bp = _highpass(kind, D, low, order, squared) * _lowpass(kind, D, high, order, squared)
    return bp if band == "bandpass" else 1 - bp


def ideal_mask(shape, band="lowpass", *, cutoff_ratio=None, cutoff_pixels=None):
    """Centred ideal mask (float64)."""
    return _mask("ideal", tuple(shape), band, cutoff_ratio, cutoff_pixels)


def gaussian_mask(shape, band="lowpass", *, cutoff_ratio=None, cutoff_pixels=None):
    """Centred Gaussian mask (float64)."""
    return _mask("gaussian", tuple(shape), band, cutoff_ratio, cutoff_pixels)


def butterworth_mask(shape, band="lowpass", *, cutoff_ratio=None, cutoff_pixels=None,
                     order=2.0, squared=True):
    """Centred Butterworth mask (float64)."""
    return _mask("butterworth", tuple(shape), band, cutoff_ratio, cutoff_pixels, order,
                 squared)


def _out_dtype(dtype):
    if dtype.kind == "c":
        return np.complex64 if dtype == np.complex64 else np.complex128
    return np.float32 if dtype in (np.float16, np.float32) else np.float64


def _apply(image, mask):
    """The textbook pipeline on one image (all of its axes)."""
    F = np.fft.fftshift(np.fft.fftn(image.astype(np.complex128)))
    g = np.fft.ifftn(np.fft.ifftshift(mask * F))
    return g if image.dtype.kind == "c" else g.real


def _per_image(image, spatial, fn):
    """``fn`` applied to every image of the stack over the ``spatial`` axes."""
    batch = [a for a in range(image.ndim) if a not in spatial]
    moved = np.transpose(image, batch + list(spatial))
    out = np.empty(moved.shape, np.complex128 if image.dtype.kind == "c" else np.float64)
    for idx in np.ndindex(*moved.shape[:len(batch)]):
        out[idx] = fn(moved[idx])
    return np.transpose(out, np.argsort(batch + list(spatial)))


def frequency_filter(image, kind="gaussian", band="lowpass", *, cutoff_ratio=None,
                     cutoff_pixels=None, order=2.0, squared=True, channel_axis=None,
                     axes=None):
    image = np.asarray(image)
    if axes is not None:
        spatial = sorted({a % image.ndim for a in np.atleast_1d(axes)})
    elif channel_axis is not None:
        spatial = [a for a in range(image.ndim) if a != channel_axis % image.ndim]
    else:
        spatial = list(range(image.ndim))
    shape = tuple(image.shape[a] for a in spatial)
    mask = _mask(kind, shape, band, cutoff_ratio, cutoff_pixels, order, squared)
    out = _per_image(image, spatial, lambda im: _apply(im, mask))
    return out.astype(_out_dtype(image.dtype))


def butterworth(image, cutoff_frequency_ratio=0.005, high_pass=True, order=2.0,
                channel_axis=None, *, squared_butterworth=True, npad=0):
    image = np.asarray(image)
    nd = image.ndim
    spatial = [a for a in range(nd) if channel_axis is None or a != channel_axis % nd]
    if npad > 0:
        pad = [(npad, npad) if a in spatial else (0, 0) for a in range(nd)]
        padded = np.pad(image, pad, mode="edge")
    else:
        padded = image
    band = "highpass" if high_pass else "lowpass"
    out = frequency_filter(padded, "butterworth", band, cutoff_ratio=cutoff_frequency_ratio,
                           order=order, squared=squared_butterworth,
                           axes=spatial if channel_axis is not None else None)
    if npad > 0:
        out = out[tuple(slice(npad, npad + image.shape[a]) if a in spatial else slice(None)
                        for a in range(nd))]
    return out
