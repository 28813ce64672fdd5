"""Kernels of the cross-block labels (:mod:`fastimg._dask.global_label`):
a block's final labels as one look-up of its local labels, or painted back
from its packed mask and the label of each run."""
import numpy as np

from .._core.jit import kernel

__all__ = ["relabel", "run_starts", "paint_runs"]


@kernel
def relabel(lab, lut, out, start, stop):
    """``out[p] = lut[lab[p]]`` for the flat cells ``[start, stop)``
    (``np.take`` first widens int32 indices to intp: a second pass).
    Labels are never negative: the unsigned index skips the wraparound
    test, a third faster."""
    for p in range(start, stop):
        out[p] = lut[np.uint64(lab[p])]
    return 0


@kernel
def run_starts(lab, runs, ncols, joined):
    """The label of every run of a binary block's labels (``lab``, flat C
    order, rows of ``ncols``; 0 is background) into ``runs``; returns the
    number of runs.  A run is a stretch of foreground along a row when the
    structure joins neighbours along the last axis (``joined``: their
    labels are equal), else a single foreground pixel.  (Scanning the labels
    alone measured twice as fast as scanning the mask bytes.)"""
    k = 0
    for base in range(0, lab.size, ncols):
        prev = 0
        for p in range(base, base + ncols):
            lab_p = lab[p]
            if lab_p != 0 and (prev == 0 or not joined):
                runs[k] = lab_p
                k += 1
            prev = lab_p
    return k


@kernel
def paint_runs(fg, runs, lut, out, ncols, joined):
    """Inverse of :func:`run_starts` through a look-up: ``out`` is
    ``lut[label]`` on the foreground (``fg``, 0 / 1 bytes), ``lut[0]``
    elsewhere."""
    k = 0
    bg = lut[0]
    cur = bg
    for base in range(0, fg.size, ncols):
        prev = 0
        for p in range(base, base + ncols):
            f = fg[p]
            if f != 0:
                if prev == 0 or not joined:
                    cur = lut[np.uint64(runs[k])]
                    k += 1
                out[p] = cur
            else:
                out[p] = bg
            prev = f
    return 0
