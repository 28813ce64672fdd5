"""``scipy.ndimage`` mirror: ``from fastimg import ndimage as ndi``."""
from .convolution import (convolve, convolve1d, correlate, correlate1d,
                          gaussian_filter, gaussian_filter1d, prewitt, sobel,
                          uniform_filter, uniform_filter1d)

__all__ = ["convolve", "convolve1d", "correlate", "correlate1d",
           "gaussian_filter", "gaussian_filter1d", "prewitt", "sobel",
           "uniform_filter", "uniform_filter1d"]
