"""The kmeans family: k-means clustering of an image's colours
(``fastimg.segmentation.kmeans_colors``, fastimg's own function).

Its public functions are the only names other families may use.
"""
from .api import kmeans_colors

__all__ = ["kmeans_colors"]
