"""The template family: template matching and peak finding.

Its public functions are the only names other families may use.
"""
from .match import match_template
from .peaks import peak_local_max, corner_peaks

__all__ = ["match_template", "peak_local_max", "corner_peaks"]
