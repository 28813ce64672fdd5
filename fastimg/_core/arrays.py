"""Array normalisation every family shares before calling a kernel."""
from __future__ import annotations

import numpy as np

__all__ = ["contiguous_writable", "copy_in_slabs"]

#: bytes of the destination one slab of :func:`copy_in_slabs` writes
SLAB_BYTES = 1 << 24


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


def copy_in_slabs(dst: np.ndarray, src: np.ndarray) -> None:
    """``dst[...] = src`` (same shapes), in slabs of about 16 MB along the
    first axis.  One NumPy copy of a large image, first touch of new
    memory included, holds Ctrl-C for seconds on a busy machine; Python
    handles signals between the slabs."""
    if dst.ndim == 0 or dst.size == 0:
        dst[...] = src
        return
    n0 = dst.shape[0]
    step = max(1, SLAB_BYTES // max(1, dst[0].nbytes))
    for s in range(0, n0, step):
        dst[s:s + step] = src[s:s + step]
