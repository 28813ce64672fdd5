"""fastimg: Numba-compiled drop-ins for scipy.ndimage / scipy.signal / skimage.

Swap the import and keep your code::

    from fastimg import ndimage as ndi        # for: from scipy import ndimage as ndi
    from fastimg.filters import gaussian      # for: from skimage.filters import gaussian

Parity targets: SciPy 1.17 and scikit-image 0.26.  Names that mean different
things in the two anchors (``sobel``) live only in the namespaces.
"""
__version__ = "0.1.0"

from . import exposure, filters, ndimage, signal, util  # noqa: E402
from ._warmup import warmup  # noqa: E402
from .exposure import adjust_gamma, adjust_log, histogram  # noqa: E402
from .filters import gaussian, threshold_multiotsu, threshold_otsu  # noqa: E402
from .ndimage import (convolve, convolve1d, correlate, correlate1d,  # noqa: E402
                      gaussian_filter, gaussian_filter1d, prewitt,
                      uniform_filter, uniform_filter1d)
from .signal import convolve2d, correlate2d  # noqa: E402
from .util import invert  # noqa: E402

__all__ = [
    "__version__", "warmup", "exposure", "filters", "ndimage", "signal", "util",
    "convolve", "convolve1d", "correlate", "correlate1d", "gaussian_filter",
    "gaussian_filter1d", "prewitt", "uniform_filter", "uniform_filter1d",
    "convolve2d", "correlate2d", "gaussian", "adjust_gamma", "adjust_log", "invert",
    "histogram", "threshold_otsu", "threshold_multiotsu",
]
