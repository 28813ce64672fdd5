"""Warnings attributed to the user's line, as the anchors' are.

Shared by every family.  The anchors' tests check a warning's
``stacklevel``: it must name the caller's file.  A fastimg call passes through a varying number of fastimg
frames (the tiered public function, the wrapper, helpers), so the level is
counted, not fixed."""
from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn_at_caller"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def warn_at_caller(message, category=UserWarning):
    """``warnings.warn`` at the first frame outside the fastimg package."""
    frame = sys._getframe(1)
    level = 2  # 1 would be this function
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE + os.sep):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
