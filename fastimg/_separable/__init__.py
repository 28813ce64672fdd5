"""The separable family: scipy.ndimage's filters made of 1-D passes.

Its public functions are the only names other families may use.
"""
from .api import gaussian_filter, gaussian_filter1d, uniform_filter, uniform_filter1d, sobel, prewitt

__all__ = ["gaussian_filter", "gaussian_filter1d", "uniform_filter", "uniform_filter1d", "sobel", "prewitt"]
