"""SciPy's label bookkeeping for the measurements (SciPy 1.17
``scipy.ndimage._measurements``), shared by the sums and the selections.

* ``labels`` broadcast against ``input``; ``index=None`` measures every
  pixel with a positive label as one group, a scalar ``index`` the pixels
  equal to it (both answered by NumPy reductions on the selected values,
  as SciPy does: same dtypes, same pairwise sums);
* an array ``index``: labels are used as they are when their dtype is a
  signed integer of at most 8 bytes or an unsigned one below 8 bytes, with
  ``0 <= labels <= labels.size``; otherwise they are replaced by their
  ranks among the sorted unique labels (``np.unique``) and ``index`` is
  searched among them.
"""
from __future__ import annotations

import numpy as np

#: dtypes the kernels read directly (others are converted or refused)
_KERNEL_KINDS = {("b", 1), ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2),
                 ("u", 4), ("u", 8), ("f", 4), ("f", 8)}


def broadcast(input, labels):
    """``input`` and ``labels`` broadcast to one shape."""
    return np.broadcast_arrays(input, labels)


def direct_labels(labels: np.ndarray) -> bool:
    """True when SciPy uses the labels themselves as bin numbers."""
    dt = labels.dtype
    int_size = np.dtype(int).itemsize
    castable = ((np.issubdtype(dt, np.signedinteger) and dt.itemsize <= int_size)
                or (np.issubdtype(dt, np.unsignedinteger) and dt.itemsize < int_size))
    return castable and not (labels.min() < 0 or labels.max() > labels.size)


def flat(x: np.ndarray) -> np.ndarray:
    """C-ordered, native-byte-order 1-D copy or view of ``x``."""
    x = np.ascontiguousarray(x).reshape(-1)
    if not x.dtype.isnative:
        x = x.astype(x.dtype.newbyteorder("="))
    return x


def kernel_values(x: np.ndarray):
    """``x`` flat in a dtype the kernels read with the same order and
    values (bool as uint8, float16 as float32), or None."""
    x = flat(x)
    dt = x.dtype
    if dt.kind == "f" and dt.itemsize == 2:
        return x.astype(np.float32)
    if (dt.kind, dt.itemsize) not in _KERNEL_KINDS:
        return None
    return x.view(np.uint8) if dt.kind == "b" else x


class Ids:
    """Label ids in ``[0, n)`` for an array ``index``, with SciPy's lookup.

    ``lab``: flat int64 ids; ``n``: number of ids; ``direct``: whether ids
    are the labels themselves.
    """

    def __init__(self, labels: np.ndarray):
        self.direct = direct_labels(labels)
        if self.direct:
            self.lab = flat(labels).astype(np.int64)
            self.unique = None
            self.n = int(self.lab.max()) + 1
        else:
            self.unique, inverse = np.unique(labels, return_inverse=True)
            self.lab = np.ascontiguousarray(inverse, dtype=np.int64).reshape(-1)
            self.n = self.unique.size

    def lookup_stats(self, index):
        """(ids, found) as SciPy's sums look ``index`` up (missing -> id 0)."""
        if self.direct:
            idxs = np.asanyarray(index, np.int_).copy()
            found = (idxs >= 0) & (idxs < self.n)
            idxs[~found] = 0
            return idxs, found
        idxs = np.searchsorted(self.unique, index)
        idxs[idxs >= self.unique.size] = 0
        return idxs, self.unique[idxs] == index

    def lookup_select(self, index):
        """ids as SciPy's selections look ``index`` up (missing -> the
        spare id ``n``, one past the largest label)."""
        index = np.asarray(index)
        if self.direct:
            idxs = np.asanyarray(index, np.int_).copy()
            found = (idxs >= 0) & (idxs <= self.n - 1)
        else:
            idxs = np.searchsorted(self.unique, index)
            idxs[idxs >= self.unique.size] = 0
            found = self.unique[idxs] == index
        idxs[~found] = self.n
        return idxs
