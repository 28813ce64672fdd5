"""fastimg: Numba-compiled drop-ins for scipy.ndimage / scipy.signal / skimage.

Swap the import and keep your code::

    from fastimg import ndimage as ndi        # for: from scipy import ndimage as ndi
    from fastimg.filters import gaussian      # for: from skimage.filters import gaussian
"""
__version__ = "0.1.0"

from . import ndimage  # noqa: E402

__all__ = ["ndimage", "__version__"]
