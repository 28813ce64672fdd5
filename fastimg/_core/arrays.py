"""Array normalisation every family shares before calling a kernel."""
from __future__ import annotations

import numpy as np

__all__ = ["contiguous_writable"]


def contiguous_writable(arr: np.ndarray, dtype=None) -> np.ndarray:
    """C-contiguous, native, writeable (a copy only when needed).

    Numba types read-only arrays separately; copying them keeps every kernel
    to one specialisation per dtype (kernels never write their inputs).
    """
    out = np.ascontiguousarray(arr, dtype=dtype)
    if not out.dtype.isnative:
        out = out.astype(out.dtype.newbyteorder("="))
    if not out.flags.writeable:
        out = out.copy()
    return out
