"""One minimum / maximum pass along an axis by doubling
(:mod:`fastimg._core.doubling_kernels`), for totally ordered data: integers,
or floats without NaN and -0.0 (where SciPy's comparison order decides, the
rank family runs SciPy's own).  The morphology family's integer boxes and
the rank family's separable minimum / maximum passes share it."""
from __future__ import annotations

import numpy as np

from .dispatch import run
from .doubling_kernels import doubling_lines

__all__ = ["doubling_pass"]


def doubling_pass(P, shape, axis, k, minimum, out, workers):
    """``out`` (of ``shape``, C-contiguous) = the minimum / maximum of ``k``
    consecutive values along ``axis`` of ``P``, the input padded along that
    axis by ``k - 1``, in the same dtype."""
    pre = int(np.prod(shape[:axis], dtype=np.int64))
    post = int(np.prod(shape[axis + 1:], dtype=np.int64))
    m = shape[axis]
    if m == 0 or pre == 0 or post == 0:
        return out
    # along the last axis: whole lines; otherwise blocks of lines of post
    # values whose two working buffers stay in L2
    block = m if post == 1 else max(8, (1 << 18) // (post * P.itemsize) - k + 1)
    block = min(block, m)
    items = pre * ((m + block - 1) // block)
    run(doubling_lines, (P.reshape(pre, m + k - 1, post), k, bool(minimum), block,
                         out.reshape(pre, m, post)),
        items=items, size=out.size, cost=0.3 * (k.bit_length() + 1), workers=workers)
    return out
