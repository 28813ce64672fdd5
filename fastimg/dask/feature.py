"""``fastimg.feature``'s functions on dask arrays (same names and signatures).

Each function is built from its catalog row on first use
(``fastimg._dask.registry``); ``docs/dask.md`` lists their strategies.
"""
from .._dask.registry import populate as _populate

__all__ = _populate(__name__, globals())
