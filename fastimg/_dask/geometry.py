"""Affine maps of 2-D images by output chunk (``ndimage.affine_transform``,
``ndimage.rotate``, ``ndimage.zoom`` and ``ndimage.shift``, interpolation
order 0 or 1).

Each output chunk reads only the input region its coordinates reach: the
bounding box of the chunk's corners mapped through the matrix, plus a margin
of two pixels, clipped to the image. The chunk's coordinates are computed as
SciPy's loops compute them (affine: ``(offset + r * m[:, 0]) +
c * m[:, 1]``; zoom and shift: ``k * factor`` or ``k - shift`` per axis; in float64, in the order
fastimg's kernels keep), moved into the region by an integer (exact), and interpolated there
by ``map_coordinates``: the same values (``tests/test_dask.py`` checks
random maps, modes and chunkings). A clipped side of the region is the
image's own edge, so the ``mode`` sees the same edge; an interior side lies
at least the margin beyond every coordinate. Modes that fetch pixels from
far away (``reflect``, ``mirror``, ``wrap`` ...) qualify only while every
coordinate stays inside the image, and never for the wrap modes; other calls
(order > 1, whose spline prefilter is global; N-D inputs; complex data) run
as a whole-array call.
"""
from __future__ import annotations

import dask
import dask.array as da
import numpy as np

from .local import NotLocal, WRAP_MODES
from .pixel_blocks import run_pixelate
from .scaling import run_downscale, run_resize

__all__ = ["run_mapped"]

#: modes whose value outside the image needs no pixel beyond the edge region
EDGE_MODES = ("constant", "grid-constant", "nearest")
MARGIN = 2


def _affine(p, shape):
    matrix = np.asarray(p["matrix"], dtype=np.float64)
    offset = p.get("offset", 0.0)
    if matrix.ndim == 2 and matrix.shape[1] == 3 and matrix.shape[0] in (2, 3):
        if matrix.shape[0] == 3 and not np.all(matrix[2] == [0, 0, 1]):
            raise NotLocal("not a homogeneous matrix: the function reports it")
        offset = matrix[:2, 2]
        matrix = matrix[:2, :2]
    if matrix.shape != (2, 2):
        raise NotLocal("only a full 2x2 matrix runs by chunks")
    offset = np.broadcast_to(np.asarray(offset, dtype=np.float64), (2,)).copy()
    out_shape = shape if p.get("output_shape") is None else tuple(p["output_shape"])
    return _Affine(matrix, offset), tuple(int(s) for s in out_shape)


def _zoom(p, shape):
    zooms = [p["zoom"]] * 2 if np.ndim(p["zoom"]) == 0 else list(p["zoom"])
    if len(zooms) != 2 or all(z == 1 for z in zooms):
        raise NotLocal("zoom 1 copies the input; malformed zooms are reported whole")
    out_shape = tuple(int(round(s * z)) for s, z in zip(shape, zooms))
    grid = bool(p.get("grid_mode"))
    num = np.array(shape) - (0 if grid else 1)
    div = np.array(out_shape) - (0 if grid else 1)
    factors = np.divide(num, div, out=np.ones(2), where=div != 0)
    return _Zoom(factors, grid), out_shape


def _shift(p, shape):
    shifts = [p["shift"]] * 2 if np.ndim(p["shift"]) == 0 else list(p["shift"])
    if len(shifts) != 2:
        raise NotLocal("malformed shifts are reported whole")
    return _Zoom(None, False, np.array([-float(v) for v in shifts])), tuple(shape)


def _rotate(p, shape):
    from scipy import special
    axes = sorted(int(a) % 2 for a in p["axes"])
    if axes != [0, 1]:
        raise NotLocal("rotation plane")
    c, s = special.cosdg(p["angle"]), special.sindg(p["angle"])
    matrix = np.array([[c, s], [-s, c]])
    in_plane = np.asarray(shape)
    if p["reshape"]:
        iy, ix = in_plane
        bounds = matrix @ [[0, 0, iy, iy], [0, ix, 0, ix]]
        out_plane = (np.ptp(bounds, axis=1) + 0.5).astype(int)
    else:
        out_plane = in_plane
    offset = (in_plane - 1) / 2 - matrix @ ((out_plane - 1) / 2)
    return _Affine(matrix, offset), tuple(int(v) for v in out_plane)


class _Affine:
    """Coordinates of SciPy's affine loop: ``(offset + r * m[:, 0]) + c * m[:, 1]``."""

    def __init__(self, matrix, offset):
        self.matrix, self.offset = matrix, offset

    def coords(self, rows, cols):
        r = np.asarray(rows, dtype=np.float64)[:, None]
        c = np.asarray(cols, dtype=np.float64)[None, :]
        m, o = self.matrix, self.offset
        return [(o[h] + r * m[h, 0]) + c * m[h, 1] for h in (0, 1)]


class _Zoom:
    """Coordinates of SciPy's zoom-and-shift tables: ``k * f`` per axis,
    ``(k + 0.5) * f - 0.5`` in grid mode, ``k - shift`` for a shift."""

    def __init__(self, factors, grid, shifts=None):
        self.factors, self.grid, self.shifts = factors, grid, shifts

    def coords(self, rows, cols):
        out = []
        for h, k in enumerate((rows, cols)):
            k = np.asarray(k, dtype=np.float64)
            if self.shifts is not None:  # shift: ``k + (-shift)``
                v = k + self.shifts[h]
            else:
                v = (k + 0.5) * self.factors[h] - 0.5 if self.grid else k * self.factors[h]
            out.append(v[:, None] if h == 0 else v[None, :])
        return [np.broadcast_to(c, (len(rows), len(cols))) for c in out]


def _region(mapping, r0, r1, c0, c1, shape):
    """(start, stop) per axis of the input region output rows [r0, r1),
    columns [c0, c1) read, and whether every coordinate is inside (both
    maps are affine: the corners bound the coordinates)."""
    cc = mapping.coords([r0, r1 - 1], [c0, c1 - 1])
    region, inside = [], True
    for h, n in enumerate(shape):
        lo, hi = float(cc[h].min()), float(cc[h].max())
        inside &= lo >= 0 and hi <= n - 1
        start = int(np.clip(np.floor(lo) - MARGIN, 0, n - 1))
        stop = int(np.clip(np.floor(hi) + MARGIN + 2, start + 1, n))
        region.append((start, stop))
    return region, inside


class _Block:
    """One output chunk: coordinates as the affine loop makes them, moved
    into the region and interpolated there."""

    def __init__(self, mapping, kwargs):
        self.mapping, self.kwargs = mapping, kwargs

    def __call__(self, sub, rows, cols, start):
        from .apply import public_function
        cc = self.mapping.coords(np.arange(*rows), np.arange(*cols))
        local = np.stack([cc[0] - start[0], cc[1] - start[1]])
        return public_function("ndimage.map_coordinates")(sub, local, **self.kwargs)


#: the scaling functions (:mod:`fastimg._dask.scaling`,
#: :mod:`fastimg._dask.pixel_blocks`)
TRANSFORMS = {"transform.resize": run_resize, "transform.rescale": run_resize,
              "transform.downscale_local_mean": run_downscale,
              "transform.pixelate": run_pixelate}


def run_mapped(ctx, strategy, x):
    if ctx.qualname in TRANSFORMS:
        return TRANSFORMS[ctx.qualname](ctx, strategy, x)
    p = ctx.params
    if x.ndim != 2 or np.iscomplexobj(np.empty(0, x.dtype)) or p.get("order") not in (0, 1):
        raise NotLocal("2-D real images, order 0 or 1")
    output = p.get("output")
    if output is not None and not isinstance(output, (type, np.dtype, str)):
        raise NotLocal("an output array")
    rule = {"ndimage.rotate": _rotate, "ndimage.zoom": _zoom,
            "ndimage.shift": _shift}.get(ctx.qualname, _affine)
    mapping, out_shape = rule(p, x.shape)
    mode = p.get("mode", "constant")
    if mode in WRAP_MODES or not all(out_shape):
        raise NotLocal("wrap modes or an empty output")
    kwargs = {"output": output, "order": p["order"], "mode": mode, "cval": p.get("cval", 0.0),
              "prefilter": p.get("prefilter", True),
              "workers": 1 if ctx.given.get("workers") is None else ctx.given["workers"]}
    block = _Block(mapping, kwargs)
    # the function itself on a 2x2 image: its dtype, warnings and errors
    probe = ctx.chunk_call([ctx.image])
    if ctx.qualname == "ndimage.affine_transform":
        probe.arguments["output_shape"] = (2, 2)
    dtype = probe(np.zeros((2, 2), x.dtype)).dtype
    chunks = da.core.normalize_chunks(x.chunksize, out_shape)
    edges = [np.cumsum((0,) + c) for c in chunks]
    rows_of_blocks = []
    for r0, r1 in zip(edges[0][:-1], edges[0][1:]):
        row = []
        for c0, c1 in zip(edges[1][:-1], edges[1][1:]):
            region, inside = _region(mapping, r0, r1, c0, c1, x.shape)
            if mode not in EDGE_MODES and not inside:
                raise NotLocal("a mode reading far pixels, with coordinates outside")
            sub = x[region[0][0]:region[0][1], region[1][0]:region[1][1]]
            task = dask.delayed(block, pure=True)(sub, (int(r0), int(r1)), (int(c0), int(c1)),
                                                  (region[0][0], region[1][0]))
            row.append(da.from_delayed(task, (int(r1 - r0), int(c1 - c0)), dtype=dtype,
                                       meta=np.empty((0, 0), dtype)))
        rows_of_blocks.append(row)
    return da.block(rows_of_blocks)
