"""The correlation family: scipy.ndimage's general correlation and convolution.

Its public functions are the only names other families may use.
"""
from .api import correlate, convolve, correlate1d, convolve1d

__all__ = ["correlate", "convolve", "correlate1d", "convolve1d"]
