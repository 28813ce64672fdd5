"""The hough family: Hough transforms: lines, circles, ellipses, and their peaks.

Its public functions are the only names other families may use.
"""
from .api import hough_line, hough_line_peaks
from .shapes import hough_circle, hough_circle_peaks, probabilistic_hough_line, hough_ellipse

__all__ = ["hough_line", "hough_line_peaks", "hough_circle", "hough_circle_peaks", "probabilistic_hough_line", "hough_ellipse"]
