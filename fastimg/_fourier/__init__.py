"""The fourier family: frequency-domain filtering: Butterworth and the frequency masks.

Its public functions are the only names other families may use.
"""
from .api import butterworth, frequency_filter
from .masks import ideal_mask, gaussian_mask, butterworth_mask

__all__ = ["butterworth", "ideal_mask", "gaussian_mask", "butterworth_mask", "frequency_filter"]
