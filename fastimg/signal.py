"""``scipy.signal`` mirror (2-D convolution): ``from fastimg import signal``."""
from .convolution import convolve2d, correlate2d

__all__ = ["convolve2d", "correlate2d"]
