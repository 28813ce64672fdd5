"""fastimg: Numba-compiled drop-ins for scipy.ndimage / scipy.signal / skimage.

Swap the import and keep your code::

    from fastimg import ndimage as ndi        # for: from scipy import ndimage as ndi
    from fastimg.filters import gaussian      # for: from skimage.filters import gaussian

Parity targets: SciPy 1.17 and scikit-image 0.26.  Every public function is a
row of ``fastimg._catalog``; names that mean different things in two anchors
(``sobel``) live only in the namespaces.
"""
__version__ = "0.1.0"

import importlib as _importlib  # noqa: E402

from ._core import catalog as _catalog
from ._core.dispatch import set_num_threads
from ._core.warmup import warmup

# the namespaces (fastimg.ndimage, fastimg.filters ...) are lazy modules (see
# _catalog.populate_namespace); every unambiguous name is also reachable at
# the top level, resolved on first access so that importing fastimg loads no
# kernel module
for _ns in _catalog.namespaces():
    globals()[_ns] = _importlib.import_module(f"{__name__}.{_ns}")
_TOP_LEVEL = _catalog.top_level_names()


def __getattr__(name):
    row = _TOP_LEVEL.get(name)
    if row is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    fn = _catalog.function(row)
    globals()[name] = fn
    return fn


def __dir__():
    return sorted(set(globals()) | set(_TOP_LEVEL))


__all__ = ["__version__", "warmup", "set_num_threads", *_catalog.namespaces(), *_catalog.top_level_names()]
