"""Test configuration: hypothesis profiles and the one tolerance table.

Profiles (``HYPOTHESIS_PROFILE``): ``dev`` (default, ~50 examples) and ``ci``
(~200).  ``deadline=None`` everywhere: a first call compiles.
"""
import os
import warnings

# fastimg's own kernels answer every call of the suite (never the anchor
# while they compile): tests of fastimg's tiers set their mode explicitly
os.environ.setdefault("FASTIMG_JIT", "foreground")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("dev", max_examples=50, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# CI's gate is reproducible (the same 200 examples per test on every run, so
# a landing never hinges on a lucky draw); the dev profile keeps exploring
# new random examples on every run, and what it finds becomes a test.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: The tolerance table: (rtol, atol relative to max |reference|) per case.
#: Every other comparison in the suite is exact.
TOLERANCES = {
    # reference/measure.py's B-spline subdivision sums each coordinate's 2-5
    # weighted neighbours in its own order, not SciPy convolve2d's: the
    # results may differ by a few ulps of the largest coordinate (dyadic
    # weights, <= 5 terms: bound 5 * eps * max|x|).
    "subdivide-reference": (0.0, 1e-14),
    # regionprops_table's second central moments: scikit-image sums them in
    # its BLAS matrix products (2-D: reproduced exactly by fastimg; 3-D:
    # N-D dot products, not reproduced) and reference/measure.py pixel by
    # pixel.  Sums of <= 300 terms: relative error <= 300 * eps ~ 7e-14.
    "regionprops-moments": (1e-11, 1e-12),
    # what takes the square root of a difference of nearly equal
    # eigenvalues (eccentricity, 3-D axis lengths): an error d in the
    # eigenvalues becomes sqrt(d) ~ sqrt(1e-13) of the largest one.
    "regionprops-sqrt": (0.0, 1e-6),
    # moments of order <= 3 (plain and intensity-weighted) against
    # reference/measure.py's pixel-by-pixel sums: terms up to 300 * 14**3 ~
    # 1e6 over <= 196 pixels round to ~196 * eps * 1e6 ~ 4e-8 absolute,
    # which is all a central moment that should be 0 holds; 1e-7 of
    # max(|column|, 1) covers that, rtol 1e-10 the large moments.
    "regionprops-moment-sums": (1e-10, 1e-7),
    # reference/interpolation.py's B-spline weights (SciPy's closed forms,
    # which fastimg and SciPy share bit for bit) against the textbook
    # Cox-de Boor recursion: two evaluation orders of polynomials of degree
    # <= 5 in [0, 3) with weights <= 1, a few ulps apart (measured <= 1.2e-15);
    # a wrong weight is off by O(0.01) or more.
    "bspline-definition": (0.0, 1e-14),
    # Direct sums reproduce SciPy's float64 operation order and C casts, so
    # ndimage and signal results are bit-identical: no tolerance.
    "direct": (0.0, 0.0),
    # Rank-1 kernels >= 4x4 with a float output run as two 1-D passes: the
    # same products summed in another order.  Error bound (kh + kw) * eps *
    # sum|w| * max|x|; measured <= 7e-16 of max|result| for float64.  1e-13
    # is 100x the measured value for kernels up to 15x15 and far below a
    # wrong result.
    "separable-float64": (0.0, 1e-13),
    # float32 output of the same: the float64 results differ by ~1e-15, so
    # the cast to float32 can differ by one float32 ulp (2**-23 relative).
    "separable-float32": (0.0, 2.0 ** -22),
    # FFT path (float outputs, >= 121 taps, or choose_conv_method says fft):
    # FFT rounding grows like eps * log2(n) * sum|w| * max|x|.  Measured
    # worst case over the test corpus ~1e-13 (float64) relative to max|x|;
    # 1e-10 leaves margin without hiding a wrong result (which is O(1)).
    "fft-float64": (0.0, 1e-10),
    # float32 FFT output: rounding of float32 storage dominates (2**-24 ~ 6e-8)
    # times log2(n); 1e-5 relative to max|x| is 100x that bound's typical value.
    "fft-float32": (0.0, 1e-5),
    # Otsu / multi-Otsu ties (rtol on the between-class variance, atol 0):
    # skimage sums float32 counts (and, for float32 images, float32 centres),
    # so two thresholds whose exact variances are equal or differ by less
    # than that rounding can swap.  A cumulative float32 sum over at most
    # 600 populated bins carries a relative error below 600 * 2**-24 ~ 4e-5
    # in the worst case and ~1e-7 typically; 1e-5 accepts every such tie in
    # the test corpus while a wrong bin (variance off by O(1/nbins)) fails.
    "otsu-tie": (1e-5, 0.0),
    # fastimg.frequency masks (gains in [0, 1]) against the textbook
    # formulas: fastimg evaluates (D**2 / D0**2) ** n by repeated
    # multiplication (np.power in the reference, of sqrt'ed distances) and
    # the Gaussian as a product of per-axis exponentials; each is a few
    # float64 ulps (measured <= 4e-16 absolute on the test corpus).  1e-12
    # is far below any wrong gain; ideal masks compare the same sqrt'ed
    # distances and are exact.
    "frequency-mask": (0.0, 1e-12),
    # match_template against scikit-image, the reference and cv2.matchTemplate
    # (tests/test_template.py): the window sums and the flat-window rule (a
    # denominator <= eps scores 0) are reproduced operation for operation,
    # so the zeros must match exactly.  The correlation differs: skimage
    # uses an FFT in the image's float type (float32 for float32 images),
    # cv2 float32 sums, fastimg direct float64 sums or a float64 FFT.  An
    # FFT's error at any position is bounded by ~eps * log2(n) * ||image||_2
    # * ||template||_2 (global L2 norms of the padded image and the
    # template, not of the window), and a normalised score divides it by
    # that position's denominator.  The atol here is c in
    # |ours - other| <= c * eps(float type) * ||image|| * ||template|| /
    # denominator (denominator 1 for unnormalised scores); measured worst
    # c = 1.4 over 150 random 2-D/3-D cases of both paths (skimage float64),
    # 0.31 for float32.  16 is ten times that; a wrong score fails by O(1)
    # relative to the bound wherever the window is not nearly flat.
    "match-template": (0.0, 16.0),
    # inpaint_biharmonic against scikit-image and reference/inpaint.py: the
    # same linear system, solved by another sparse LU (fastimg: per group
    # of regions, COLAMD/MMD ordering, float64; scikit-image: one spsolve in
    # the image's float type; the reference: spsolve in float64).  LU
    # rounding is ~cond(A) * eps, and the biharmonic blocks of the test
    # images (<= 12x12) have cond up to ~1e3-1e4: measured worst 1.2e-13 of
    # max|result| for float64 over 400 random cases, 6.6e-5 for float32
    # (scikit-image's single-precision solve).  The bounds are ~80x and 15x
    # those; a wrong equation moves pixels by O(0.1) of the range.
    "biharmonic-float64": (0.0, 1e-11),
    "biharmonic-float32": (0.0, 1e-3),
    # downscale_local_mean against reference/warps.py (fastimg equals
    # scikit-image bit for bit): fastimg adds each block in NumPy's order
    # (pairwise row sums), the reference one pixel after another in float64.
    # Blocks of the tests hold <= 64 pixels: float64 sums differ by at most
    # 64 * eps * max|x| ~ 1.4e-14; 1e-13 leaves margin, a wrong block is
    # off by O(1/64) of max|x|.
    "local-mean": (0.0, 1e-13),
    # float32 images are summed in float32 (NumPy's mean keeps the type),
    # the reference in float64: <= 64 * 2**-24 ~ 4e-6 of max|x|.
    "local-mean-float32": (0.0, 1e-5),
}


def assert_close(actual, expected, case):
    """Compare with the named tolerance (exact when the table says 0)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    rtol, atol_rel = TOLERANCES[case]
    if rtol == 0 and atol_rel == 0:
        if actual.dtype == np.bool_:
            actual, expected = actual.view(np.uint8), expected.view(np.uint8)
        np.testing.assert_array_equal(actual, expected, strict=True)
        if actual.dtype.kind in "fc":
            # exact means the sign of zero too (array_equal has -0.0 == 0.0);
            # NaN signs are not compared (x86 makes -NaN where C code may not)
            parts = (np.real, np.imag) if actual.dtype.kind == "c" else (np.real,)
            for part in parts:
                a, e = part(actual), part(expected)
                keep = ~np.isnan(e)
                np.testing.assert_array_equal(np.signbit(a[keep]), np.signbit(e[keep]),
                                              err_msg="signs of zero differ")
        return
    scale = float(np.nanmax(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol_rel * max(scale, 1.0))


def outcome(fn):
    """What calling ``fn`` gives: its result, or the exception it raised
    (warnings silenced; the error is the outcome)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            return exc


def assert_same_outcome(ours, theirs, compare):
    """``compare(ours(), theirs())``, or the same exception type with the
    anchor's message at the start of ours (ours may add what was received)."""
    expected = outcome(theirs)
    actual = outcome(ours)
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (str(actual), str(expected))
        return
    assert not isinstance(actual, Exception), actual
    compare(actual, expected)


@pytest.fixture(autouse=True)
def _fastimg_answers(request):
    """Fail a test that an anchor answered in fastimg's place (a kernel test
    must test fastimg's kernels); tests of the tiers are marked ``tiers``."""
    from fastimg._core import tiers
    before = tiers.COUNTS["anchor"]
    yield
    if request.node.get_closest_marker("tiers") is None:
        assert tiers.COUNTS["anchor"] == before, (
            f"{tiers.COUNTS['anchor'] - before} call(s) answered by the anchor, not fastimg")
