"""Public wrapper of ``skimage.measure.find_contours`` (scikit-image 0.26).

Rules reproduced from scikit-image (``_find_contours.py``,
``_find_contours_cy.pyx``):

* checks in its order: ``fully_connected``, ``positive_orientation``, the
  first two sides (at least 2), the rank, the mask's shape and dtype (bool
  only);
* the default level is ``(nanmin + nanmax) / 2.0`` in the image's dtype
  (an integer sum wraps as NumPy's does), then ``float(level)``;
* squares with a masked-out or NaN corner make no segment; a corner is
  "high" when strictly above the level; the crossing on a side is
  ``start + (level - a) / (b - a)`` (0 when ``a == b``);
* segments are joined in the order the squares are visited, by skimage's
  rules (see :mod:`fastimg._measure.contour_kernels`), and contours come
  out in the order they were opened; ``positive_orientation='high'``
  reverses each (a reversed view, as skimage returns).
"""
from __future__ import annotations

import numpy as np

from . import contour_kernels as K

__all__ = ["find_contours"]

_OPTIONS = ("high", "low")

_T, _B, _L, _R = 0, 1, 2, 3
#: skimage's segments per square case, low values on the left: (from, to)
#: sides of up to two segments; the saddle cases 6 and 9 for
#: fully_connected 'low', then 'high'
_SEGMENTS = {1: (_T, _L), 2: (_R, _T), 3: (_R, _L), 4: (_L, _B), 5: (_T, _B),
             7: (_R, _B), 8: (_B, _R), 10: (_B, _T), 11: (_B, _L), 12: (_L, _R),
             13: (_T, _R), 14: (_L, _T)}
_SADDLES = {False: {6: (_R, _T, _L, _B), 9: (_T, _L, _B, _R)},
            True: {6: (_L, _T, _R, _B), 9: (_T, _R, _B, _L)}}


def _table(high):
    table = np.full((16, 4), -1, np.int64)
    for case, sides in {**_SEGMENTS, **_SADDLES[high]}.items():
        table[case, :len(sides)] = sides
    return table


def find_contours(image, level=None, fully_connected='low', positive_orientation='low', *,
                  mask=None):
    """Find iso-valued contours in a 2D array for a given level value.

    Drop-in for :func:`skimage.measure.find_contours` (scikit-image 0.26).

    Parameters
    ----------
    image : (M, N) ndarray of double
        Input image in which to find contours.
    level : float, optional
        Value along which to find contours in the array. By default, the
        level is set to (max(image) + min(image)) / 2
    fully_connected : str, {'low', 'high'}
        Indicates whether array elements below the given level value are to
        be considered fully-connected (and hence elements above the value
        will only be face connected), or vice-versa.
    positive_orientation : str, {'low', 'high'}
        Indicates whether the output contours will produce
        positively-oriented polygons around islands of low- or high-valued
        elements. If 'low' then contours will wind counter-clockwise around
        elements below the iso-value.
    mask : (M, N) ndarray of bool or None
        A boolean mask, True where we want to draw contours. NaN values are
        always excluded from the considered region.

    Returns
    -------
    contours : list of (K, 2) ndarrays
        Each contour is a ndarray of ``(row, column)`` coordinates along
        the contour (float64). Contours touching the array edge, a masked
        region or NaN are open; the others are closed (first point equals
        last point).

    Notes
    -----
    Differences from :func:`skimage.measure.find_contours`: none (same
    contours, order, orientation and coordinates bit for bit).  The
    contours are views into one array of all points; skimage's are
    separate arrays.  Error messages add what was received.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.measure import find_contours
    >>> a = np.zeros((3, 3))
    >>> a[0, 0] = 1
    >>> find_contours(a, 0.5)
    [array([[0. , 0.5],
           [0.5, 0. ]])]
    """
    if fully_connected not in _OPTIONS:
        raise ValueError('Parameters "fully_connected" must be either "high" or "low" '
                         f'(got {fully_connected!r}).')
    if positive_orientation not in _OPTIONS:
        raise ValueError('Parameters "positive_orientation" must be either "high" or '
                         f'"low" (got {positive_orientation!r}).')
    if image.shape[0] < 2 or image.shape[1] < 2:
        raise ValueError(f"Input array must be at least 2x2 (got shape {image.shape}).")
    if image.ndim != 2:
        raise ValueError(f'Only 2D arrays are supported (got {image.ndim} dimensions).')
    if mask is not None:
        if mask.shape != image.shape:
            raise ValueError('Parameters "array" and "mask" must have same shape '
                             f'(got {mask.shape} and {image.shape}).')
        if not np.can_cast(mask.dtype, bool, casting='safe'):
            raise TypeError(f'Parameter "mask" must be a binary array (got dtype '
                            f'{mask.dtype}).')
        mask = np.ascontiguousarray(mask, dtype=np.uint8)
    if level is None:
        level = (np.nanmin(image) + np.nanmax(image)) / 2.0
    img = np.ascontiguousarray(image, dtype=np.float64)
    level = float(level)
    use_mask = mask is not None
    if not use_mask:
        mask = np.ones((1, 1), np.uint8)
    contours = _march(img, mask, use_mask, level, fully_connected == 'high')
    if positive_orientation == 'high':
        contours = [c[::-1] for c in contours]
    return contours


def _state(nseg, width=0):
    """The joining state for at most ``nseg`` segments, as the two flat
    arrays (float64, int64) of :mod:`fastimg._measure.contour_kernels`."""
    npts = 2 * nseg
    cap = 1 << max(4, int(2 * nseg + 16).bit_length())
    fbuf = np.empty(2 * npts + 4 * cap)
    ibuf = np.empty(8 + npts + 3 * nseg + 2 * cap, np.int64)
    ibuf[:8] = (0, 0, width + 1, npts, nseg, cap, 0, 0)
    ibuf[8 + npts + 3 * nseg:] = -1
    return fbuf, ibuf


def _march(img, mask, use_mask, level, high):
    table = _table(high)
    nseg = int(K.march(img, mask, use_mask, level, table, *_state(0), True))
    if nseg == 0:
        return []
    fbuf, ibuf = _state(nseg, img.shape[1])
    K.march(img, mask, use_mask, level, table, fbuf, ibuf, False)
    out = np.empty((int(ibuf[0]), 2))
    offsets = np.empty(nseg + 1, np.int64)
    n = int(K.gather(fbuf, ibuf, out, offsets))
    return [out[offsets[k]:offsets[k + 1]] for k in range(n)]
