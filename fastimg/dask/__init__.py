"""fastimg's functions on dask arrays: ``fastimg.dask.<namespace>.<name>``.

The same names and signatures as ``fastimg.<namespace>``, taking and
returning lazy ``dask.array.Array`` objects (a NumPy image is converted
with ``dask.array.asarray``; the result is a dask array).  Local operations
run through ``map_overlap`` with the exact overlap each call needs, global
ones as exact reductions where available, the rest on the whole array in
one chunk: ``docs/dask.md`` lists every function's strategy and what must
fit in one worker's memory.  Chunks call fastimg with ``workers=1`` unless
the call passes ``workers``.

Needs the ``dask`` extra: ``pip install "fastimg[dask]"``.

Example
-------
>>> import dask.array as da
>>> import fastimg.dask
>>> x = da.random.random((1024, 1024), chunks=256)
>>> y = fastimg.dask.ndimage.gaussian_filter(x, 2.0)   # lazy
>>> y.shape
(1024, 1024)
"""
try:
    import dask.array  # noqa: F401
except ImportError as e:  # pragma: no cover - exercised in a subprocess
    raise ImportError('fastimg.dask needs Dask, which is not installed: '
                      'pip install "fastimg[dask]"') from e

from . import (exposure, feature, filters, frequency, measure, morphology,  # noqa: E402
               ndimage, restoration, segmentation, signal, transform, util)

__all__ = ["exposure", "feature", "filters", "frequency", "measure", "morphology", "ndimage",
           "restoration", "segmentation", "signal", "transform", "util"]
