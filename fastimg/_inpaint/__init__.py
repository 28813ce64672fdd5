"""The inpaint family: Telea's fast-marching inpainting (fastimg's own
``restoration.inpaint``) and ``skimage.restoration.inpaint_biharmonic``.

Its public functions are the only names other families may use.
"""
from .biharmonic import inpaint_biharmonic
from .telea import inpaint

__all__ = ["inpaint", "inpaint_biharmonic"]
