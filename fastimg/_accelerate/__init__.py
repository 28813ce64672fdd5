"""Zero-code acceleration: fastimg serves the SciPy and scikit-image
functions it mirrors, inside an unchanged program.

``fastimg.accelerate()`` (this package's :func:`accelerate`), ``python -m
fastimg script.py`` (:mod:`.launch`) and ``%load_ext fastimg`` in IPython
(:mod:`.ipython`) all come here.  :mod:`.patch` puts the proxies in the
anchors' public modules, :mod:`.report` counts what served each call.
"""
from __future__ import annotations

from . import patch as _patch
from .ipython import load_ipython_extension, unload_ipython_extension
from .patch import deaccelerate, is_accelerated
from .report import format_report, print_report

__all__ = ["accelerate", "deaccelerate", "is_accelerated", "format_report", "print_report",
           "load_ipython_extension", "unload_ipython_extension"]


def accelerate(report: bool = False) -> None:
    """Serve every SciPy and scikit-image function that fastimg mirrors by
    fastimg, without changing the program that calls them.

    Each such function in the anchors' public modules (``scipy.ndimage``,
    ``scipy.signal``, ``skimage.filters``, ``skimage.feature``,
    ``skimage.transform`` ...) is replaced by a proxy that calls fastimg's
    function, whatever way the program reaches it: ``from scipy import
    ndimage``, ``import scipy.ndimage as ndi``, ``from skimage.filters import
    gaussian``, ``import skimage as ski; ski.filters.gaussian``, in modules
    imported before or after this call.  Names a program bound before the
    call (``from skimage.filters import gaussian`` run earlier) keep the
    original function.

    A call fastimg cannot serve (it raises, e.g. for an argument type or an
    option it does not take) goes to the original function, so a program
    never fails because of fastimg; if the original rejects the call too,
    its error is the one raised.  Calls from inside SciPy, scikit-image and
    fastimg keep the original functions.  fastimg's tiering applies as in
    any call (``FASTIMG_JIT``): by default the first calls of a kind are
    answered by the anchor while fastimg's kernels compile in another
    process.  Calling it again does nothing more (but ``report=True`` still
    asks for the report).

    Parameters
    ----------
    report : bool, optional
        Print to standard error, when the interpreter exits, per function:
        the calls served by fastimg's kernels, by the anchor while they
        compiled, by the original function (and why), from inside the
        anchors, and the time spent.  Default False.

    Returns
    -------
    None

    See Also
    --------
    fastimg.deaccelerate : put the original functions back.

    Notes
    -----
    ``python -m fastimg script.py [args]`` (or ``python -m fastimg -m module
    [args]``) runs a script with this already done; ``--report`` asks for
    the report.  In IPython or Jupyter, ``%load_ext fastimg`` does the same.
    The anchors' private modules (``scipy.ndimage._filters``) are not
    touched.  Child processes started by ``fork`` inherit the acceleration
    (their calls are not in the report); those started by ``spawn`` or
    ``forkserver`` call the original functions.

    Examples
    --------
    >>> import numpy as np
    >>> import fastimg
    >>> fastimg.accelerate()
    >>> from scipy import ndimage
    >>> ndimage.gaussian_filter.__module__      # a proxy: fastimg serves it
    'scipy.ndimage'
    >>> ndimage.gaussian_filter(np.eye(3), 1.0).shape
    (3, 3)
    >>> fastimg.deaccelerate()                  # the originals again
    >>> ndimage.gaussian_filter.__module__
    'scipy.ndimage._filters'
    """
    _patch.accelerate(report=report)
