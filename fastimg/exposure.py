"""``skimage.exposure`` mirror: ``from fastimg import exposure``."""
from .intensity import adjust_gamma, adjust_log
from .threshold import histogram

__all__ = ["adjust_gamma", "adjust_log", "histogram"]
