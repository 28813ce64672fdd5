"""The intensity family: point transforms: gamma, log, invert.

Its public functions are the only names other families may use.
"""
from .api import adjust_gamma, adjust_log, invert

__all__ = ["adjust_gamma", "adjust_log", "invert"]
