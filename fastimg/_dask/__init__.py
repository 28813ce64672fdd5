"""fastimg on dask arrays: the machinery behind :mod:`fastimg.dask`.

``strategies`` says how each public function runs on chunks; ``local`` the
overlap each local call needs; ``halo`` the overlapped blocks (one copy of
each block's region); ``apply`` the elementwise, local, planewise,
whole-array and eager executors; ``geometry`` the affine maps by output
chunk; ``distance`` (with ``edt_kernels``) the Euclidean distance transform
by passes; ``shapes`` the output shapes of whole-array results;
``registry`` the twins; ``docs`` the strategy table of docs/dask.md.
Global operations (exact reductions and multi-pass algorithms) live in the
``global_*`` modules (``label_kernels``: the label merge's jitted passes)
and reach the twins through ``global_ops``.  Importing
this package imports dask.
"""
