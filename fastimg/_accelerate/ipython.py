"""``%load_ext fastimg`` in IPython and Jupyter: accelerate the session."""
from __future__ import annotations

from . import patch as _patch

__all__ = ["load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython) -> None:
    """Called by IPython's ``%load_ext fastimg``: :func:`fastimg.accelerate`
    for the session (modules imported before are covered; names already
    bound to the original functions keep them).

    Parameters
    ----------
    ipython : IPython.core.interactiveshell.InteractiveShell
        The shell (not used: the patch is process-wide).

    Examples
    --------
    >>> from fastimg import load_ipython_extension, unload_ipython_extension
    >>> load_ipython_extension(None)
    >>> import scipy.ndimage
    >>> scipy.ndimage.median_filter.__module__
    'scipy.ndimage'
    >>> unload_ipython_extension(None)
    """
    _patch.accelerate()


def unload_ipython_extension(ipython) -> None:
    """Called by IPython's ``%unload_ext fastimg``: the original functions
    again (:func:`fastimg._accelerate.deaccelerate`).

    Parameters
    ----------
    ipython : IPython.core.interactiveshell.InteractiveShell
        The shell (not used).

    Examples
    --------
    >>> from fastimg import load_ipython_extension, unload_ipython_extension
    >>> load_ipython_extension(None)
    >>> unload_ipython_extension(None)
    """
    _patch.deaccelerate()
