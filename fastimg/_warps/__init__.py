"""The warps family: scikit-image's geometric warps (warp, rotate, resize,
rescale), local means, integral images, and fastimg's pixelate.

Its public functions are the only names other families may use.
"""
from .pixelation import pixelate
from .local import downscale_local_mean, integral_image, resize_local_mean
from .scaling import rescale, resize
from .geometric import rotate, warp

__all__ = ["resize", "rescale", "rotate", "warp", "downscale_local_mean", "resize_local_mean",
           "integral_image", "pixelate"]
