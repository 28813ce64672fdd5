"""When ``gaussian_filter`` runs as one sweep (``fused_kernels.gauss_vh``):
two symmetric passes over a 2-D image (or the last two axes), columns
then rows, written in place into an output of a kernel type.  Anything else
(derivative orders, one pass, 3-D volumes, temporaries) stays on the pass
chain, with the same results.
"""
from __future__ import annotations

import numpy as np

from .._core import ndi_args
from .._core.dispatch import run
from .._core.passes import Target, prepare_input
from . import fused_kernels

#: Serial ns per output element for ``dispatch.run``'s decision: about
#: this plus _TAP_NS per tap of both passes (4096², 17 + 17 taps: ~2.4).
_BASE_NS = 0.6
_TAP_NS = 0.05


def _symmetric(fw) -> bool:
    """NI_Correlate1D's symmetric case (odd length, mirrored within eps)."""
    k = fw.shape[0]
    if not k & 1:
        return False
    c = k // 2
    i = np.arange(1, c + 1)
    return bool(np.all(np.abs(fw[c + i] - fw[c - i]) <= np.finfo(np.float64).eps))


def gaussian_pair(input, output, passes, cval, workers):
    """The two passes ``[(axis, weights_fn, mode), ...]`` in one sweep, or
    None (nothing checked, nothing written) where the sweep does not apply.
    Checks in SciPy's order: pass 1's weights, mode and dtypes, then pass
    2's."""
    if len(passes) != 2 or input.ndim < 2 or input.size == 0:
        return None
    nd = input.ndim
    (a1, f1, m1), (a2, f2, m2) = passes
    if (a1, a2) != (nd - 2, nd - 1) or input.dtype.kind not in "iuf" \
            or output.dtype.kind not in "iuf":
        return None
    shape = input.shape
    pre = int(np.prod(shape[:-2], dtype=np.int64))
    n, nb = shape[-2], shape[-1]
    tgt = Target(output, (pre, n, nb))
    if tgt._tmp is not None:
        return None
    # weights first (their radius check), then mode and dtype checks, per pass
    w1 = f1()
    if not _symmetric(w1):
        return None
    mode1 = ndi_args.ndi_mode(m1)
    c1 = ndi_args.closing_checks(input, output, cval, True)
    w2 = f2()
    mode2 = ndi_args.ndi_mode(m2)
    c2 = ndi_args.closing_checks(output, output, cval, True)
    if not _symmetric(w2):
        return _two_passes(input, output, (a1, w1, mode1), (a2, w2, mode2), c1, workers)
    x = prepare_input(input, output, copy_if_shared=True).reshape(pre, n, nb)
    kv, kh = w1.shape[0], w2.shape[0]
    rmap = ndi_args.extend_map(n, kv // 2, kv // 2, mode1)
    cmap = ndi_args.extend_map(nb, kh // 2, kh // 2, mode2)
    run(fused_kernels.gauss_vh, (x, w1, rmap, c1, w2, cmap, kh // 2, c2, tgt.array),
        items=pre * n, size=x.size, cost=_BASE_NS + _TAP_NS * (kv + kh), workers=workers)
    return output


def _two_passes(input, output, p1, p2, cval, workers):
    """Both passes on the chain once their checks are done (a second weight
    line that is not symmetric: never for order 0)."""
    from .._core.passes import line_pass
    for src, (axis, w, mode) in ((input, p1), (output, p2)):
        line_pass(src, output, axis, mode, cval, 0, fw=w, workers=workers)
    return output
