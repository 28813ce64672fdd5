"""Slow, readable pure-NumPy reference implementations ("oracles") for fastimg.

Each function here has the same name and signature as the anchor it mirrors and is
written the obvious way (pad by mode, then sum shifted slices) so that it can be read
as the *definition* of the behaviour fastimg must reproduce.

Anchors: SciPy 1.17 (``scipy.ndimage``, ``scipy.signal``) and scikit-image 0.26
(``skimage.filters``, ``skimage.exposure``, ``skimage.util``, ``skimage.feature``, ``skimage.transform``).  One module per
fastimg family, with the same name (``reference/<family>.py`` for
``fastimg/<family>.py``): correlation, separable, signal2d, linear, histograms,
threshold, intensity, edges, fourier, rank, hough.  The exact rules encoded are listed in each module docstring.

This package only imports NumPy: never fastimg, scipy.ndimage, scipy.signal or skimage.
"""

from . import (correlation, edges, fourier, histograms, hough, intensity, linear,
               rank, separable, signal2d, threshold)

__all__ = ["correlation", "separable", "signal2d", "linear", "histograms", "threshold",
           "intensity", "edges", "fourier", "rank", "hough"]
