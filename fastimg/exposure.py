"""``skimage.exposure`` mirror: ``from fastimg import exposure``."""
from .intensity import adjust_gamma, adjust_log

__all__ = ["adjust_gamma", "adjust_log"]
