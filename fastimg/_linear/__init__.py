"""The linear family: scikit-image's Gaussian and Sobel filters.

Its public functions are the only names other families may use.
"""
from .api import gaussian, sobel

__all__ = ["gaussian", "sobel"]
