"""``skimage.transform`` mirror: ``from fastimg import transform`` for ``import skimage.transform``.

Re-exports only; the functions and their families are listed in
``fastimg._catalog``.
"""
from ._core.catalog import populate_namespace as _populate

__all__ = _populate(__name__, globals())
