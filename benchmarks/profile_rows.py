"""The rows of ``profile_stages.py``: for each hot path, its inputs, its
public call, the same call stage by stage (the family's own kernels through
``fastimg._core.dispatch``, with the arguments and work split the wrapper
uses), its anchor and OpenCV.  ``tests/test_benchmark_tools.py`` checks that
each pipeline composes to the public result through the same dispatch calls.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from fastimg._core.dispatch import resolve_workers


# -------------------------------------------------------------------- rows
@dataclass
class RowSpec:
    """A row: ``make(n)`` the inputs, ``call(data, workers)`` the public
    call, ``pipeline(data, workers, stage)`` the same call stage by stage
    (``stage(name, fn, setup=, nbytes=, formula=, part=)`` runs ``fn()``, or
    ``fn(setup())``, and returns its value; ``nbytes`` may be a function
    of that value), anchor and OpenCV thunks."""

    key: str
    title: str
    size: int
    dtype: str
    input_text: str
    make: Callable
    call: Callable
    pipeline: Callable
    anchor: Callable | None = None
    anchor_label: str = ""
    opencv: Callable | None = None
    opencv_label: str = "OpenCV"
    serial: bool = False
    notes: tuple = field(default_factory=tuple)


def _photo(n, dtype):
    from benchmarks.conftest import make_image
    return np.ascontiguousarray(make_image(n, dtype)).copy()    # writable, as users' images


def _edges(n):
    """Canny edges (sigma 1) of the n x n photograph (fastimg's, equal to
    skimage's: tests/test_edges.py)."""
    from fastimg import feature
    return feature.canny(_photo(n, "uint8"))


# correlate 3x3 ------------------------------------------------------------
def _correlate_pipeline(x, workers, stage):
    from fastimg._core import ndi_args
    from fastimg._core.catalog import W33
    from fastimg._core.dispatch import run
    from fastimg._core.passes import Target, prepare_input
    from fastimg._correlation import kernels as ck

    shape3 = (1,) + x.shape

    def prepare():      # _correlate_or_convolve after its checks: 2-D, origin 0
        w3 = np.array(W33, dtype=np.float64, order="C").reshape((1,) + W33.shape)
        maps = [ndi_args.extend_map(n, k // 2, k - 1 - k // 2, "reflect")
                for n, k in zip(shape3, w3.shape)]
        nz = np.nonzero(np.abs(w3) > np.finfo(np.float64).eps)
        _, wy, wx = (np.ascontiguousarray(a, dtype=np.int64) for a in nz)
        x3 = prepare_input(x, x, copy_if_shared=False).reshape(shape3)
        wv = np.ascontiguousarray(w3[nz])
        wv9, wy9, wx9 = ck.corr2d_taps(wv, wy, wx)   # one plane deep, <= 9 taps: corr2d
        return wv.shape[0], (x3, wv9, wy9, wx9, 3, maps[1], maps[2], 1, 0.0)
    ntaps, args = stage("checks, border maps", prepare)

    def output():       # get_output, Target: a new output per call
        out = ndi_args.get_output(None, x)
        return out, Target(out, shape3, safe_unsigned=True)

    def kernel(state):
        out, tgt = state
        run(ck.corr2d, (*args, tgt.array), items=x.shape[0], size=x.size,
            cost=0.6 + 0.07 * ntaps, workers=workers)
        tgt.finish()
        return out
    return stage("kernel corr2d (3x3 taps, one pass)", kernel, setup=output, nbytes=2 * x.nbytes,
                 formula="read x + write out: 2·N²·4")


# gaussian_filter(x, 2) ------------------------------------------------------
def _gaussian_pipeline(x, workers, stage):
    import functools

    from fastimg._core import ndi_args
    from fastimg._core.passes import gaussian_weights
    from fastimg._separable.fused import gaussian_pair
    w = functools.partial(gaussian_weights, 2.0, 0, 4.0, None)
    # gaussian_filter's two passes as one sweep (fused_kernels.gauss_vh):
    # columns in strips through a small buffer of rows, then the row pass
    return stage("one sweep (gauss_vh): columns in strips, then rows; 17 + 17 taps",
                 lambda o: gaussian_pair(x, o, [(0, w, "reflect"), (1, w, "reflect")], 0.0,
                                         workers),
                 setup=lambda: ndi_args.get_output(None, x), nbytes=2 * x.nbytes,
                 formula="read x + write out: 2·N²·4")


# canny -------------------------------------------------------------------
def _canny_pipeline(x, workers, stage):
    from fastimg._edges import api as ea
    from fastimg._edges import kernels as ek
    from fastimg._edges.hysteresis import canny_hysteresis

    def plan():     # _canny: checks, default thresholds, _Plan (weights, maps, bleed-over)
        image = ea._check_image(x)
        lo, hi = ea._thresholds(image, None, None, False)
        p = ea._Plan(image, 1.0, None, "constant", 0.0, workers)
        return p, ea._low_for_nms(lo), ea._high_for_compare(hi, p.ftype)
    p, lo, hi = stage("checks, thresholds, plan (weights, maps, bleed-over rows)", plan)
    fsize = np.dtype(p.ftype).itemsize
    n2 = x.size
    stage(f"smoothing alone (SMOOTH_ONLY sweep, {np.dtype(p.ftype).name})",
          lambda sm: p.sweep(ek.SMOOTH_ONLY, smoothed=sm),
          setup=lambda: np.empty(x.shape, p.ftype), nbytes=x.nbytes + n2 * fsize,
          formula=f"read x + write smoothed: N²·({x.itemsize} + {fsize})", part=False)

    def sweep(out):     # the class map and its bit rows (for the hysteresis)
        p.sweep(0, low=lo, high=hi, cls=out[0], bits=out[1])
        return out
    cls, bits = stage("fused sweep: smoothing, Sobel, magnitude, NMS, thresholds, bit rows",
                      sweep, setup=lambda: (np.empty(x.shape, np.uint8), ea._bit_rows(x.shape)),
                      nbytes=x.nbytes + n2 + n2 // 4,
                      formula=f"read x + write class map and 2 bit maps: "
                      f"N²·({x.itemsize} + 1 + 1/4)")
    # the hysteresis grows the strong bit rows in place: a fresh copy per run
    return stage("hysteresis", lambda b: canny_hysteresis(cls, workers, b),
                 setup=lambda: None if bits is None else (bits[0], bits[1].copy()),
                 nbytes=n2 + n2 // 4,
                 formula="bit maps read, strong one written: N²/4, + write edges: N²")


# median_filter -------------------------------------------------------------
def _median_pipeline(k):
    def pipeline(x, workers, stage):
        from fastimg._core import ndi_args
        from fastimg._rank import core as rc
        from fastimg._rank import kernels as rk

        def case():     # _rank after its checks: a k x k box, origin 0, mode 'nearest'
            fp = np.ones((k, k), bool)
            output = ndi_args.get_output(None, x)
            spec = rc.RankSpec(k * k // 2, rk.OP_MEDIAN, 0.0, 0)
            return rc._case(x, fp, [0, 0], "nearest", 0.0, output, spec,
                            rc.check_nan_policy(None), workers, "input", None)
        c = stage("checks, kernel data, case", case)
        kern = rc.choose(c)

        def kernel(cs):
            kern.run(cs)
            return cs.output
        return stage(f"kernel: {kern.name}", kernel, nbytes=x.nbytes + c.output.nbytes,
                     setup=lambda: dataclasses.replace(c, output=np.empty_like(c.output)),
                     formula="read x + write out: 2·N²")
    return pipeline


# hough ---------------------------------------------------------------------
def _listing(e, n_threads, stage):
    from fastimg._hough.api import _edge_coords
    return stage("edge listing (2 passes over the mask)", lambda: _edge_coords(e, n_threads),
                 nbytes=lambda r: 2 * e.size + r[0].nbytes + r[1].nbytes,
                 formula="read mask twice + write coordinates: 2·N² + 8·E")


def _hough_line_pipeline(e, workers, stage):
    from fastimg._core.dispatch import run
    from fastimg._hough import kernels as hk
    from fastimg._hough.api import _default_theta, _line_blocks, hough_line_peaks
    n = resolve_workers(workers)

    def prepare():      # hough_line: theta, offset, bins, cos / sin
        theta = _default_theta()
        rows, cols = e.shape
        offset = int(math.ceil(math.sqrt(rows * rows + cols * cols)))
        bins = np.linspace(-offset, offset, 2 * offset + 1)
        return theta, offset, bins, np.cos(theta), np.sin(theta)
    theta, offset, bins, ct, st = stage("angles, bins, cos / sin", prepare)
    ys, xs = _listing(e, n, stage)
    shape = (2 * offset + 1, theta.shape[0])
    nacc = shape[0] * shape[1] * 8
    acc = stage("voting (line_vote; accumulator np.zeros untimed, its page faults timed)",
                lambda a: (run(hk.line_vote, (ys, xs, ct, st, offset, a),
                               bounds=_line_blocks(shape[1], ys.size, n), n_threads=n), a)[1],
                setup=lambda: np.zeros(shape, np.uint64), nbytes=ys.nbytes + xs.nbytes + nacc,
                formula="read coordinates + write accumulator: 8·E + 8·180·P (the 180·E "
                "increments of per-angle uint32 columns in cache: not counted)")
    stage("hough_line_peaks of the accumulator", lambda: hough_line_peaks(acc, theta, bins),
          nbytes=nacc, formula="read accumulator: 8·180·P (a few cells filtered)", part=False)
    return acc, theta, bins


RADII = np.arange(10, 60, 5)


def _hough_circle_pipeline(e, workers, stage):
    from fastimg._core.dispatch import run
    from fastimg._hough import shape_kernels as sk
    n = resolve_workers(workers)
    radii = np.ascontiguousarray(RADII.astype(np.intp), dtype=np.int64)
    ys, xs = _listing(e, n, stage)
    rows, cols = e.shape
    pad = int(np.abs(radii).max())

    def linear():
        return (ys.astype(np.int64) + pad) * (cols + 2 * pad) + (xs.astype(np.int64) + pad)
    lin = stage("linear indices", linear, nbytes=ys.nbytes + xs.nbytes + 8 * ys.size,
                formula="read coordinates + write indices: 16·E")
    shape = (radii.size, rows, cols)
    per = sum(8 * (abs(int(r)) + 1) for r in radii)
    nacc = 8 * radii.size * rows * cols
    return stage("voting (circle_vote; accumulator np.zeros untimed, its page faults timed)",
                 lambda a: (run(sk.circle_vote, (lin, radii, pad, 0, True, a), items=radii.size,
                                size=ys.size * per, n_threads=n), a)[1],
                 setup=lambda: np.zeros(shape, np.float64), nbytes=lin.nbytes + nacc,
                 formula="read indices + write accumulator: 8·E + 8·R·N² (R = 10 radii; the "
                 "8·(r + 1) increments per pixel and radius: not counted)")


def _probabilistic_pipeline(e, workers, stage):
    from fastimg._hough import shape_kernels as sk
    from fastimg._hough.api import _default_theta
    h, w = e.shape
    ys, xs = _listing(e, 1, stage)

    def mask_of():
        m = np.zeros((h, w), np.uint8)
        m[ys, xs] = 1
        return m
    mask = stage("mask (np.zeros + scatter)", mask_of, nbytes=e.size + 8 * ys.size,
                 formula="write mask + read coordinates: N² + 8·E")

    def shuffle():
        order = np.arange(ys.size, dtype=np.intp)
        np.random.default_rng(0).shuffle(order)
        theta = _default_theta()
        return order.astype(np.int64, copy=False), np.cos(theta), np.sin(theta)
    order, ct, st = stage("shuffle (default_rng(0)), cos / sin", shuffle, nbytes=16 * ys.size,
                          formula="write + shuffle order: 16·E")
    from fastimg._hough.shapes import line_accumulator
    acc_bytes = line_accumulator(h, w, ct, st, ys.size).itemsize
    nacc = acc_bytes * 180 * 2 * int(math.ceil(math.sqrt(h * h + w * w)))

    def lines(m):
        out = np.zeros((sk.LINES_MAX, 4), np.int64)
        acc = line_accumulator(h, w, ct, st, ys.size)
        k = sk.probabilistic_lines(m, ys, xs, order, ct, st, 10, 20, 3, out, acc)
        return out[:k]
    found = stage("line search (probabilistic_lines; consumes a copy of the mask)", lines,
                  setup=mask.copy, nbytes=16 * ys.size + nacc,
                  formula="read order + coordinates + zero accumulator: "
                          f"16·E + {acc_bytes}·180·P")
    return stage("list of segments", lambda: [((a, b), (c, d)) for a, b, c, d in found.tolist()])


def _cv2():
    import cv2
    return cv2


def _sk(name):
    import importlib
    mod, _, fn = name.rpartition(".")
    return getattr(importlib.import_module(mod), fn)


def _fi(name):
    import importlib
    ns, _, fn = name.rpartition(".")
    return getattr(importlib.import_module(f"fastimg.{ns}"), fn)


def _canny_row(dtype):
    return RowSpec(
        f"canny_{dtype}", "`feature.canny(x)`", 2048, dtype,
        f"{dtype} photograph" + (" / 255" if dtype != "uint8" else ""),
        lambda n: _photo(n, dtype), lambda x, w: _fi("feature.canny")(x, workers=w),
        _canny_pipeline, lambda x: lambda: _sk("skimage.feature.canny")(x), "skimage",
        lambda x: (lambda u=np.rint(np.asarray(x, np.float64) * (255 if dtype != "uint8" else 1))
                   .astype(np.uint8): lambda: _cv2().Canny(_cv2().GaussianBlur(u, (0, 0), 1.0),
                                                           25.5, 51.0, L2gradient=True))(),
        "GaussianBlur + Canny",
        notes=("OpenCV: `GaussianBlur` (sigma 1) + `Canny` (L2, thresholds 25.5 / 51) on the "
               "8-bit photograph (`cv2.Canny` takes 8-bit input only): a different output, "
               "timed as comparable work.",))


def _median_row(k, size):
    return RowSpec(
        f"median_{k}", f"`ndimage.median_filter(x, {k}, mode='nearest')`", size, "uint8",
        "uint8 photograph", lambda n: _photo(n, "uint8"),
        lambda x, w: _fi("ndimage.median_filter")(x, k, mode="nearest", workers=w),
        _median_pipeline(k),
        (lambda x: lambda: _sk("scipy.ndimage.median_filter")(x, k, mode="nearest"))
        if k <= 5 else None, "SciPy",
        lambda x: lambda: _cv2().medianBlur(x, k), "medianBlur",
        notes=(("mode 'nearest': the border rule of `cv2.medianBlur`, same array.",)
               + (() if k <= 5 else ("SciPy not timed: its O(window) selection per pixel "
                                     "takes minutes at this size.",))))


def _hough_line_row(size):
    return RowSpec(
        f"hough_line_{size}", "`transform.hough_line`", size, "bool",
        "Canny edges (sigma 1) of the uint8 photograph", _edges,
        lambda e, w: _fi("transform.hough_line")(e, workers=w), _hough_line_pipeline,
        lambda e: lambda: _sk("skimage.transform.hough_line")(e), "skimage")


ROWS = (
    RowSpec("correlate3x3", "`ndimage.correlate(x, W33)` 3x3", 4096, "float32",
            "float32 photograph / 255", lambda n: _photo(n, "float32"),
            lambda x, w: _fi("ndimage.correlate")(x, _w33(), workers=w), _correlate_pipeline,
            lambda x: lambda: _sk("scipy.ndimage.correlate")(x, _w33()), "SciPy",
            lambda x: lambda: _cv2().filter2D(x, -1, _w33(), borderType=_cv2().BORDER_REFLECT),
            "filter2D"),
    RowSpec("gaussian", "`ndimage.gaussian_filter(x, 2)`", 4096, "float32",
            "float32 photograph / 255", lambda n: _photo(n, "float32"),
            lambda x, w: _fi("ndimage.gaussian_filter")(x, 2, workers=w), _gaussian_pipeline,
            lambda x: lambda: _sk("scipy.ndimage.gaussian_filter")(x, 2), "SciPy",
            lambda x: lambda: _cv2().GaussianBlur(x, (17, 17), 2,
                                                  borderType=_cv2().BORDER_REFLECT),
            "GaussianBlur"),
    _canny_row("float32"),
    _canny_row("uint8"),
    _median_row(5, 4096),
    _median_row(31, 2048),
    _hough_line_row(2048),
    _hough_line_row(4096),
    RowSpec("hough_circle", "`transform.hough_circle(e, 10 radii 10..55)`", 1024, "bool",
            "top-left N x N crop of the Canny edges of the 2N x 2N photograph",
            lambda n: np.ascontiguousarray(_edges(2 * n)[:n, :n]),
            lambda e, w: _fi("transform.hough_circle")(e, RADII, workers=w),
            _hough_circle_pipeline,
            lambda e: lambda: _sk("skimage.transform.hough_circle")(e, RADII), "skimage"),
    RowSpec("probabilistic", "`transform.probabilistic_hough_line(e, 10, 20, 3, rng=0)`",
            2048, "bool", "Canny edges (sigma 1) of the uint8 photograph", _edges,
            lambda e, w: _fi("transform.probabilistic_hough_line")(e, 10, 20, 3, rng=0),
            _probabilistic_pipeline,
            lambda e: lambda: _sk("skimage.transform.probabilistic_hough_line")(
                e, 10, 20, 3, rng=0), "skimage", serial=True,
            notes=("Serial by design: it must draw scikit-image's random lines in order.",)),
)


def _w33():
    from fastimg._core.catalog import W33
    return W33
