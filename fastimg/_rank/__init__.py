"""The rank family: median, rank, percentile, minimum and maximum filters.

Its public functions are the only names other families may use.
"""
from .api import median_filter, rank_filter, percentile_filter, minimum_filter, maximum_filter
from .medians import median, medfilt2d

__all__ = ["median_filter", "rank_filter", "percentile_filter", "minimum_filter", "maximum_filter", "median", "medfilt2d"]
