"""Reference (oracle) histogram with scikit-image 0.26 semantics.

Plain NumPy, written from the definition; never imports skimage or fastimg.

Rules encoded (skimage 0.26 ``exposure.histogram``):

histogram
    Integer images: one bin per integer value from min to max (``nbins``
    ignored), int64 counts, centres ``arange(min, max + 1)``.  Floats:
    ``np.histogram(image, nbins)`` over [min, max] (constant image:
    [v - 0.5, v + 0.5]); centres ``(e[:-1] + e[1:]) / 2``.
"""
from __future__ import annotations

import numpy as np

__all__ = ["histogram"]


def histogram(image, nbins=256):
    image = np.asarray(image).reshape(-1)
    if np.issubdtype(image.dtype, np.integer):
        lo, hi = int(image.min()), int(image.max())
        counts = np.zeros(hi - lo + 1, np.int64)
        np.add.at(counts, image.astype(np.int64) - lo, 1)
        return counts, np.arange(lo, hi + 1)
    counts, edges = np.histogram(image, bins=nbins)
    return counts, (edges[:-1] + edges[1:]) / 2.0
