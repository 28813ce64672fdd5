"""What the interpolating wrappers share: argument checks in SciPy's
words, the output buffer and the calls of the range cores."""
from __future__ import annotations

import numpy as np

from .._core.dispatch import run
from .._core.ndi_args import as_c_int, as_cval, as_kernel_input, check_writable
from . import plane_kernels as k2
from . import volume_kernels as k3
from . import transform_kernels as tk
from .kernels import round_store_numpy
from .splines import check_c_type, mode_code, prefiltered

#: output dtypes the cores store directly (others: float64, then NumPy)
_DIRECT_OUT = (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.float32),
               np.dtype(np.float64))


def check_order(order) -> int:
    """SciPy's range test, then its C int conversion."""
    if order < 0 or order > 5:
        raise RuntimeError(f"spline order not supported (got order={order!r})")
    return as_c_int(order, "order")


def ns_per_point(order: int, rank: int) -> float:
    """Rough serial ns per output element (the footprint has (order + 1) **
    rank taps)."""
    return 4.0 + 1.5 * (order + 1) ** rank


class Job:
    """One interpolation call after the prefilter: the coefficients (or
    input) ready for a core, the output buffer, and the final store."""

    def __init__(self, input, output, order, mode, cval, prefilter, workers):
        self.order = check_order(order)
        filtered, self.npad = prefiltered(input, self.order, mode, cval, prefilter, workers)
        self.mode = mode_code(mode)
        check_c_type(filtered, False)
        check_c_type(output, False)
        check_writable(output)
        self.cval = as_cval(cval)
        src = as_kernel_input(filtered)
        if np.shares_memory(src, output):
            src = src.copy()   # blocks run in parallel: never read what is written
        self.src = src
        self.ishape = np.array(src.shape, np.int64)
        self.istrides = np.array([s // src.itemsize for s in src.strides], np.int64)
        self.output = output
        odt = output.dtype.newbyteorder("=")
        direct = odt in _DIRECT_OUT and output.flags.c_contiguous and output.dtype.isnative
        if direct:
            self.buf = output
        else:
            self.buf = np.empty(output.shape, odt if odt in _DIRECT_OUT else np.float64)
        self.workers = workers

    def run(self, core, args) -> np.ndarray:
        """``core(*args, out, start, stop)`` over the flat output, then the
        store into the user's output."""
        out = self.buf.reshape(-1)
        if out.size and self.src.size == 0:
            # nothing to read: SciPy reads past an empty input (uninitialised
            # values) in the modes that map coordinates back inside
            self.output[...] = round_store_numpy(np.full(self.output.shape, self.cval),
                                                 self.output.dtype.newbyteorder("="))
            return self.output
        if out.size:
            run(core, (*args, out), items=out.size, size=out.size,
                cost=ns_per_point(self.order, self.src.ndim), workers=self.workers)
        if self.buf is not self.output:
            odt = self.output.dtype.newbyteorder("=")
            if self.buf.dtype == odt:
                self.output[...] = self.buf
            else:
                self.output[...] = round_store_numpy(self.buf, odt)
        return self.output

    def zoom_shift(self, zoom, shift, grid_mode) -> np.ndarray:
        """SciPy's ``zoom_shift``: per-axis ``zoom`` and ``shift`` arrays or None."""
        rank = self.src.ndim
        oshape = self.output.shape
        width = self.order + 1
        nmax = max(oshape) if oshape else 1
        zero = np.zeros((rank, nmax), np.bool_)
        pos = np.zeros((rank, nmax, width), np.int64)
        w = np.ones((rank, nmax, width))
        for d in range(rank):
            tk.axis_tables(self.ishape[d], oshape[d], 1.0 if zoom is None else zoom[d],
                           0.0 if shift is None else shift[d], zoom is not None,
                           shift is not None, bool(grid_mode), self.npad, self.order,
                           self.mode, zero[d], pos[d], w[d])
        if rank == 2:
            plain = ~zero & np.all(pos >= 0, axis=2)
            return self.run(k2.zoom2d, (self.src, zero, pos, w, plain, max(oshape[1], 1),
                                        (0,) * width, self.cval))
        if rank == 3:
            return self.run(k3.zoom3d, (self.src, zero, pos, w, np.array(oshape, np.int64),
                                        (0,) * width, self.cval))
        return self.run(tk.zoom_shift, (self.src.reshape(-1), self.istrides,
                                        np.array(oshape, np.int64), zero, pos, w,
                                        self.order, self.cval))

    def geometric(self, matrix=None, shift=None, coords=None) -> np.ndarray:
        """SciPy's ``geometric_transform`` with an affine map or coordinates."""
        oshape = np.array(self.output.shape, np.int64)
        use_coords = coords is not None
        if use_coords:
            matrix = np.zeros((2, 2))
            shift = np.zeros(2)
        else:
            coords = np.zeros((2, 1))
        if self.src.ndim == 3 and (use_coords or self.output.ndim == 3):
            if use_coords:
                matrix, shift = np.zeros((3, 3)), np.zeros(3)
            else:
                coords = np.zeros((3, 1))
            return self.run(k3.geometric3d, (self.src, matrix, shift, coords, use_coords,
                                             oshape, self.npad, (0,) * (self.order + 1),
                                             self.mode, self.cval))
        if self.src.ndim == 2 and (use_coords or self.output.ndim == 2):
            ncol = max(self.output.shape[-1], 1) if not use_coords else max(self.output.size, 1)
            return self.run(k2.geometric2d, (self.src, matrix, shift, coords, use_coords, ncol,
                                             self.npad, (0,) * (self.order + 1), self.mode,
                                             self.cval))
        return self.run(tk.geometric, (self.src.reshape(-1), self.ishape, self.istrides,
                                       matrix, shift, coords, use_coords, oshape, self.npad,
                                       self.order, self.mode, self.cval))
