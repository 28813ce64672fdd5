"""``skimage.util`` mirror: ``from fastimg.util import invert``."""
from .intensity import invert

__all__ = ["invert"]
