"""``fastimg demo``: run the kernels on a built-in image, write PNGs, time them.

Filters, thresholds (shown as the segmentation they give) and intensity
transforms, each against its anchor and the reference.

The image is generated (no file, no network): shapes with sharp edges, smooth
gradients, fine texture and noise, so every filter has something to show.
Each function is timed against its anchor (SciPy, scikit-image when
installed) and the pure-NumPy reference (on a 256x256 crop, it is slow), and
the maximum difference from the anchor is printed.
"""
from __future__ import annotations

import os
import time

import numpy as np

from ._png import write_png


def builtin_image(size: int = 1024) -> np.ndarray:
    """A deterministic float32 test scene in [0, 1], ``size`` x ``size``."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) / size
    img = 0.35 + 0.25 * xx - 0.15 * yy
    img += 0.4 * (((xx - 0.3) ** 2 + (yy - 0.35) ** 2) < 0.04)        # disc
    img -= 0.3 * ((np.abs(xx - 0.72) < 0.12) & (np.abs(yy - 0.3) < 0.2))  # square
    img += 0.2 * ((yy > 0.62) & (yy < 0.9) & (xx > 0.1) & (xx < 0.9)
                  & (np.sin(40 * np.pi * xx) > 0))                   # stripes
    ring = np.hypot(xx - 0.7, yy - 0.75)
    img += 0.15 * np.cos(60 * ring) * (ring < 0.2)                   # rings
    img += np.random.default_rng(2024).normal(0, 0.03, img.shape)    # sensor noise
    return np.clip(img, 0, 1).astype(np.float32)


def _best_ms(fn, repeat):
    fn()  # compile / warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def _cases():
    import scipy.ndimage as sndi
    import scipy.signal as ssig

    from . import exposure, filters, ndimage, signal, util
    from reference import convolution as R
    from reference import filters as RF
    from reference import intensity as RI
    from reference import threshold as RT
    try:
        import skimage.exposure as ske
        import skimage.filters as skf
        import skimage.util as sku
    except ImportError:  # scikit-image is a test extra, not a dependency
        skf = ske = sku = None
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float64)
    k5 = np.outer([1, 4, 6, 4, 1], [1, 2, 0, -2, -1]).astype(np.float32) / 64
    k5[0, 0] += 0.05  # not separable
    return [
        ("ndimage.gaussian_filter s=2", "scipy",
         lambda x: ndimage.gaussian_filter(x, 2.0), lambda x: sndi.gaussian_filter(x, 2.0),
         lambda x: R.gaussian_filter(x, 2.0)),
        ("ndimage.correlate 3x3", "scipy",
         lambda x: ndimage.correlate(x, sharpen), lambda x: sndi.correlate(x, sharpen),
         lambda x: R.correlate(x, sharpen)),
        ("ndimage.uniform_filter 7", "scipy",
         lambda x: ndimage.uniform_filter(x, 7), lambda x: sndi.uniform_filter(x, 7),
         lambda x: R.uniform_filter(x, 7)),
        ("ndimage.sobel axis=0", "scipy",
         lambda x: ndimage.sobel(x, 0), lambda x: sndi.sobel(x, 0), lambda x: R.sobel(x, 0)),
        ("ndimage.prewitt axis=1", "scipy",
         lambda x: ndimage.prewitt(x, 1), lambda x: sndi.prewitt(x, 1), lambda x: R.prewitt(x, 1)),
        ("signal.convolve2d 5x5 symm", "scipy",
         lambda x: signal.convolve2d(x, k5, "same", "symm"),
         lambda x: ssig.convolve2d(x, k5, "same", "symm"),
         lambda x: R.convolve2d(x, k5, "same", "symm")),
        ("filters.gaussian s=3", "skimage",
         lambda x: filters.gaussian(x, 3.0), (lambda x: skf.gaussian(x, 3.0)) if skf else None,
         lambda x: RF.gaussian(x, 3.0)),
        ("filters.sobel", "skimage",
         lambda x: filters.sobel(x), (lambda x: skf.sobel(x)) if skf else None,
         lambda x: RF.sobel(x)),
        # thresholds are shown as the segmentation they give
        ("filters.threshold_otsu", "skimage",
         lambda x: x > filters.threshold_otsu(x),
         (lambda x: x > skf.threshold_otsu(x)) if skf else None,
         lambda x: x > RT.threshold_otsu(x)),
        ("filters.threshold_multiotsu 3", "skimage",
         lambda x: np.digitize(x, filters.threshold_multiotsu(x)),
         (lambda x: np.digitize(x, skf.threshold_multiotsu(x))) if skf else None,
         lambda x: np.digitize(x, RT.threshold_multiotsu(x))),
        ("exposure.adjust_gamma 0.5", "skimage",
         lambda x: exposure.adjust_gamma(x, 0.5),
         (lambda x: ske.adjust_gamma(x, 0.5)) if ske else None,
         lambda x: RI.adjust_gamma(x, 0.5)),
        ("exposure.adjust_log", "skimage",
         lambda x: exposure.adjust_log(x), (lambda x: ske.adjust_log(x)) if ske else None,
         lambda x: RI.adjust_log(x)),
        ("util.invert", "skimage",
         lambda x: util.invert(x), (lambda x: sku.invert(x)) if sku else None,
         lambda x: RI.invert(x)),
    ]


def run_demo(out_dir: str, size: int = 1024, repeat: int = 3) -> int:
    """Run the demo; returns a process exit code (1 if any result differs)."""
    import numba

    import fastimg
    os.makedirs(out_dir, exist_ok=True)
    image = builtin_image(size)
    crop = image[:256, :256]
    write_png(os.path.join(out_dir, "00-input.png"), image)
    print(f"fastimg {fastimg.__version__} demo: {size}x{size} float32 image, "
          f"{numba.get_num_threads()} threads; PNG files in {out_dir}")
    header = (f"{'function':<30}{'fastimg ms':>11}{'anchor ms':>11}{'speed-up':>9}"
              f"{'ref ms (256²)':>15}{'max |diff|':>12}")
    print(header)
    print("-" * len(header))
    worst = 0.0
    for i, (name, anchor_name, ours, anchor, ref) in enumerate(_cases(), start=1):
        t_first = time.perf_counter()
        result = ours(image)
        first = time.perf_counter() - t_first
        write_png(os.path.join(out_dir, f"{i:02d}-{name.split()[0]}.png"), result)
        t_ours = _best_ms(lambda: ours(image), repeat)
        if anchor is not None:
            expected = anchor(image)
            diff = float(np.max(np.abs(result.astype(np.float64) - expected.astype(np.float64))))
            t_anchor = _best_ms(lambda: anchor(image), max(1, repeat - 1))
            anchor_txt = f"{t_anchor:>11.1f}{t_anchor / t_ours:>8.1f}x"
            diff_txt = f"{diff:>12.1e}"
            worst = max(worst, diff)
        else:
            anchor_txt = f"  ({anchor_name} not installed)"
            diff_txt = f"{'n/a':>12}"
        t_ref = _best_ms(lambda: ref(crop), 1)
        ref_diff = float(np.max(np.abs(ours(crop).astype(np.float64)
                                       - np.asarray(ref(crop)).astype(np.float64))))
        worst = max(worst, ref_diff)
        print(f"{name:<30}{t_ours:>11.1f}{anchor_txt}{t_ref:>15.1f}{diff_txt}"
              f"   (first call {first:.2f} s)")
    print(f"\nlargest difference from an anchor or the reference: {worst:.1e}"
          " (0 means bit-identical)")
    return 0 if worst == 0.0 else 1
