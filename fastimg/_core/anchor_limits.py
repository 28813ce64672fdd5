"""Calls an anchor answers with a result that is not defined.

The background tier (:mod:`fastimg._core.tiers`) lets the anchor answer
while fastimg's kernels compile, on the contract that both give the same
result.  Where the anchor's result depends on memory outside the array,
there is no such result to match: fastimg's tier answers those calls.
"""
from __future__ import annotations

__all__ = ["anchor_defined"]

_SIGNATURES: dict = {}
#: the arguments that give a SciPy filter's window its shape
_WINDOW_ARGS = ("weights", "footprint", "structure", "size")


def anchor_defined(row, anchor, args, kwargs) -> bool:
    """False for a call of a SciPy n-D filter whose window (``size``,
    ``footprint``, ``weights`` or ``structure``, moved by ``origin``)
    reaches beyond the image along some axis: there SciPy's result can
    depend on memory outside the array (``NI_InitFilterOffsets``' reflect
    offsets, the 1-D rank path; README, parity notes), so fastimg's tier
    answers (:mod:`fastimg._core.tiers`).  Conservative (the smallest
    axis against the largest reach): it only has to keep the anchor from
    those calls, and calls it cannot read (bad arguments) go to fastimg's
    tier too, which raises."""
    if row.anchor != "scipy.ndimage":
        return True
    sig = _SIGNATURES.get(row.qualname)
    if sig is None:
        import inspect
        try:
            sig = inspect.signature(anchor)
        except (TypeError, ValueError):
            sig = False
        _SIGNATURES[row.qualname] = sig
    if sig is False or not any(a in sig.parameters for a in _WINDOW_ARGS):
        return True
    import numpy as np
    try:
        bound = sig.bind(*args, **kwargs).arguments
        shape = np.shape(next(iter(bound.values())))
        reach = 0
        for a in _WINDOW_ARGS:
            v = bound.get(a)
            if v is not None:
                reach = max(reach, int(np.max(np.shape(v) if a != "size" else v)))
        origin = int(np.max(np.abs(bound.get("origin", 0))))
        return min(shape) > 0 and reach + 2 * origin <= min(shape)
    except Exception:
        return False
