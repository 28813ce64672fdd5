"""Dask twin of ``measure.regionprops_table`` for the properties that
combine exactly across blocks: ``label``, ``num_pixels``, ``area`` (the
pixel count times the unit pixel area, as the single-machine function
computes it), ``bbox``, ``intensity_max`` and ``intensity_min``.

Every block's table comes from the single-machine function on the block
(its bounding boxes moved to global coordinates); the tables are merged by
label (counts summed, boxes and intensity extremes reduced), labels in
increasing order as the single-machine table lists them.  Any other
property, ``spacing``, ``extra_properties`` or a multichannel intensity
image runs the single-machine function in one task.  The result is a dict
of lazy 1-D dask arrays (lengths unknown until computed).
"""
from __future__ import annotations

import numpy as np

import dask

from .. import measure as _measure
from .global_common import array_of, as_dask, block_slices, blocks, tree, twin, whole

__all__ = ["regionprops_table"]

_EXACT = {"label", "num_pixels", "area", "bbox", "intensity_max", "intensity_min"}


def _block_table(lab, inten, start, props):
    kw = {} if inten is None else {"intensity_image": inten}
    t = _measure.regionprops_table(lab, properties=props, **kw)
    nd = lab.ndim
    for d in range(nd):
        t[f"bbox-{d}"] = t[f"bbox-{d}"] + start[d]
        t[f"bbox-{d + nd}"] = t[f"bbox-{d + nd}"] + start[d]
    return t


def _combine(*tables):
    keys = list(tables[0])
    cat = {k: np.concatenate([t[k] for t in tables]) for k in keys}
    labels, inverse = np.unique(cat["label"], return_inverse=True)
    out = {"label": labels}
    nd = sum(1 for k in keys if k.startswith("bbox-")) // 2
    for k in keys:
        if k == "label":
            continue
        v = cat[k]
        if k == "num_pixels":
            res = np.zeros(labels.size, v.dtype)
            np.add.at(res, inverse, v)
        elif k.startswith("bbox-") and int(k[5:]) < nd or k == "intensity_min":
            res = np.empty(labels.size, v.dtype)
            res[...] = _extreme(v, inverse, labels.size, np.minimum)
        else:
            res = np.empty(labels.size, v.dtype)
            res[...] = _extreme(v, inverse, labels.size, np.maximum)
        out[k] = res
    return out


def _extreme(v, inverse, n, ufunc):
    """Per label, ``ufunc`` (np.minimum / np.maximum: NaN propagates, as
    the single-machine min / max of the region's values) over its blocks."""
    res = np.empty(n, v.dtype)
    res[inverse[::-1]] = v[::-1]            # each label's first value
    with np.errstate(invalid="ignore"):      # NaN values: NaN, silently
        ufunc.at(res, inverse, v)
    return res


def _finish(table, props, nd):
    out = {}
    for p in props:
        if p == "bbox":
            for d in range(2 * nd):
                out[f"bbox-{d}"] = table[f"bbox-{d}"]
        elif p == "area":
            out["area"] = table["num_pixels"] * np.float64(1.0)
        else:
            out[p] = table[p]
    return out


def _item(d, k):
    return d[k]


@twin(_measure.regionprops_table)
def regionprops_table(label_image, intensity_image=None, properties=("label", "bbox"), *,
                      cache=True, separator="-", extra_properties=None, spacing=None):
    """Dask twin of ``measure.regionprops_table``: a dict of lazy arrays."""
    x = as_dask(label_image)
    inten = None if intensity_image is None else as_dask(intensity_image)
    props = tuple(properties) if not isinstance(properties, str) else (properties,)
    _measure.regionprops_table(np.zeros((2,) * x.ndim, x.dtype),
                               None if inten is None else np.zeros((2,) * inten.ndim,
                                                                   inten.dtype),
                               props, cache=cache, separator=separator,
                               extra_properties=extra_properties, spacing=spacing)
    exact = (set(props) <= _EXACT and spacing is None and extra_properties is None
             and separator == "-" and x.size > 0
             and (inten is None or inten.shape == x.shape))
    ref = _measure.regionprops_table(np.ones((1,) * x.ndim, x.dtype),
                                     None if inten is None else np.ones((1,) * inten.ndim,
                                                                        inten.dtype),
                                     props, separator=separator, spacing=spacing)
    if not exact:
        res = whole(_measure.regionprops_table, x,
                    intensity_image if inten is None else inten, props, cache=cache,
                    separator=separator, extra_properties=extra_properties, spacing=spacing)
    else:
        need = ["label", "num_pixels", "bbox"] + [p for p in props if p.startswith("intensity")]
        sl = block_slices(x)
        ib = [b for _, b in blocks(inten.rechunk(x.chunks))] if inten is not None else \
            [None] * len(sl)
        parts = [dask.delayed(_block_table, pure=True)(b, i, tuple(s.start for s in sl[idx]),
                                                       tuple(need))
                 for (idx, b), i in zip(blocks(x), ib)]
        res = dask.delayed(_finish, pure=True)(tree(parts, _combine), props, x.ndim)
    return {k: array_of(dask.delayed(_item, pure=True)(res, k), (float("nan"),), v.dtype)
            for k, v in ref.items()}
