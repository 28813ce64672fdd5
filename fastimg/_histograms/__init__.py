"""The histograms family: scikit-image's histogram.

Its public functions are the only names other families may use.
"""
from .api import histogram

__all__ = ["histogram"]
