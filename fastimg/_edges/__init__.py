"""The edges family: Canny edge detection and hysteresis thresholding.

Its public functions are the only names other families may use.
"""
from .api import canny, canny_stages
from .hysteresis import apply_hysteresis_threshold

__all__ = ["canny", "canny_stages", "apply_hysteresis_threshold"]
