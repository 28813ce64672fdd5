"""The signal2d family: scipy.signal's 2-D convolution and correlation.

Its public functions are the only names other families may use.
"""
from .api import convolve2d, correlate2d

__all__ = ["convolve2d", "correlate2d"]
