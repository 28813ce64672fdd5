"""``scipy.signal`` mirror: ``from fastimg import signal`` for ``import scipy.signal``.

Re-exports only; the functions and their families are listed in
``fastimg._catalog``.
"""
from ._core.catalog import populate_namespace as _populate

__all__ = _populate(__name__, globals())
