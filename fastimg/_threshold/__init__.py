"""The threshold family: Otsu's thresholds, single and multi-level.

Its public functions are the only names other families may use.
"""
from .api import threshold_otsu, threshold_multiotsu

__all__ = ["threshold_otsu", "threshold_multiotsu"]
