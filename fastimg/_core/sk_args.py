"""scikit-image's dtype rules and argument checks, written once.

``img_as_float``, ``_supported_float_type``, ``dtype_limits`` and the RGB
warning as scikit-image 0.26 applies them (scikit-image is not a run-time
dependency).  Used by every family that mirrors ``skimage``: linear,
histogram, threshold, intensity, and Canny, butterworth and template matching
to come.
"""
from __future__ import annotations


import numpy as np
from .warn import warn_at_caller

_FLOAT_KEEP = {np.dtype(np.float32): np.float32, np.dtype(np.float64): np.float64,
               np.dtype(np.complex64): np.complex64, np.dtype(np.complex128): np.complex128,
               np.dtype(np.float16): np.float32}


def supported_float_type(dtype, allow_complex=False):
    """skimage's float policy: float32/64 (and complex) kept, float16 ->
    float32, everything else (bool, integers) -> float64."""
    dtype = np.dtype(dtype)
    if not allow_complex and dtype.kind == "c":
        raise ValueError(f"complex valued input is not supported (got dtype {dtype})")
    return _FLOAT_KEEP.get(dtype.newbyteorder("="), np.float64)


def img_as_float(image):
    """skimage.util.img_as_float: integers scaled by ``1 / dtype max`` in
    float64 (signed ones clipped at -1), bool to 0/1, floats unchanged."""
    kind = image.dtype.kind
    if kind == "f":
        return image
    if kind == "b":
        return image.astype(np.float64)
    if kind in "ui":
        imax = np.iinfo(image.dtype).max
        out = np.multiply(image, 1.0 / imax, dtype=np.float64)
        if kind == "i":
            np.maximum(out, -1.0, out=out)
        return out
    raise ValueError(f"Cannot convert from {image.dtype} to float64.")


def convert_to_float(image, preserve_range):
    if image.dtype == np.float16:
        return image.astype(np.float32)
    if preserve_range:
        if image.dtype.char not in "df":
            image = image.astype(float)
        return image
    return img_as_float(image)



#: skimage.util.dtype.dtype_range (0.26): keys are scalar types.
_DTYPE_RANGE = {
    bool: (False, True), np.bool_: (False, True), float: (-1, 1),
    np.float16: (-1, 1), np.float32: (-1, 1), np.float64: (-1, 1),
}
_DTYPE_RANGE.update({t: (np.iinfo(t).min, np.iinfo(t).max) for t in (
    np.int8, np.byte, np.int16, np.short, np.int32, np.int64, np.longlong,
    np.int_, np.intp, np.intc, int, np.uint8, np.ubyte, np.uint16, np.ushort,
    np.uint32, np.uint64, np.ulonglong, np.uint, np.uintp, np.uintc)})


def dtype_limits(image, clip_negative=False):
    """skimage.util.dtype_limits: (min, max) of the intensity range of
    ``image``'s dtype (``image`` may also be a dtype); KeyError for types
    skimage does not list, as skimage raises."""
    dtype = image if isinstance(image, np.dtype) else image.dtype
    imin, imax = _DTYPE_RANGE[dtype.type]
    if clip_negative:
        imin = 0
    return imin, imax


def rgb_warning(name, image):
    """skimage's warning for a threshold of what looks like an RGB image."""
    if image is not None and image.ndim > 2 and image.shape[-1] in (3, 4):
        warn_at_caller(f"{name} is expected to work correctly only for "
                       f"grayscale images; image shape {image.shape} looks like "
                       f"that of an RGB image.", UserWarning)


def label_swaps(shape):
    """scikit-image's ``_get_swaps`` for ``measure.label``: pair the length-1
    axes (last first) with the longer axes (first first) while the length-1
    axis comes later; skimage labels the swapped view, so its numbering
    follows the swapped order."""
    ones = [i for i in range(len(shape)) if shape[i] == 1][::-1]
    bigs = [i for i in range(len(shape)) if shape[i] > 1]
    swaps = []
    for one, big in zip(ones, bigs):
        if one < big:
            break
        swaps.append((one, big))
    return swaps


def apply_label_swaps(arr, swaps):
    """``arr`` with skimage's swaps applied: skimage swaps from the original
    array each time, so only the last swap counts (it never has two in 1- to
    3-D)."""
    out = arr
    for a, b in swaps:
        out = arr.swapaxes(a, b)
    return out


def hysteresis_masks(image, low, high):
    """scikit-image's rule for ``apply_hysteresis_threshold``'s arguments:
    ``low`` clipped to at most ``high``, then the masks ``image > low`` and
    ``image > high`` (NumPy or dask arrays alike), and its error for an
    empty image.  Returns ``(low, mask_low, mask_high)``."""
    low = np.clip(low, a_min=None, a_max=high)
    mask_low = image > low
    mask_high = image > high
    if mask_low.size == 0:
        # skimage: ndi.sum over an empty labels image fails in a reduction
        raise ValueError("zero-size array to reduction operation minimum which has no "
                         f"identity (got an empty image of shape {mask_low.shape})")
    return low, mask_low, mask_high
