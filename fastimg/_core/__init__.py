"""Shared machinery of every family: JIT options (``jit``), the work split
(``dispatch``), each anchor's argument rules (``ndi_args``, ``sk_args``),
array normalisation and SciPy's casts (``arrays``, ``cast``), the ndimage
pass pipeline (``passes``, ``pass_kernels``), the histogram counting the
histogram and threshold families share (``histogram``), docstring texts
(``docs``), the catalog of public functions and ``warmup``.

Nothing here imports a family; families import from here.
"""
