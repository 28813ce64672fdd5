"""The anchors' own tests for the mirrored functions, run against fastimg.

The ``fastimg_patch`` plugin (tests/anchor_suites/) swaps fastimg's functions
in for the anchor's before the tests are collected, so the anchor's
assertions check fastimg.

* SciPy ships its test suite inside the wheel: always run.
* scikit-image 0.26 does not ship its tests (they live in its repository
  under ``tests/skimage/``).  Point ``FASTIMG_SKIMAGE_TESTS`` at that folder
  of a v0.26.0 checkout to run them; without it that test is skipped, with
  the reason shown (nothing is fetched from the network).
"""
import os
import subprocess
import sys

import pytest

PLUGIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "anchor_suites")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


SKIMAGE_TESTS = os.environ.get("FASTIMG_SKIMAGE_TESTS")
#: scikit-image 0.26's test files for the functions fastimg mirrors.
SKIMAGE_FILES = [
    "filters/test_thresholding.py", "filters/test_gaussian.py",
    "filters/test_edges.py", "exposure/test_exposure.py", "util/test_invert.py",
    # edges
    "feature/test_canny.py",
    # hough
    "transform/test_hough_transform.py",
    # fourier
    "filters/test_fft_based.py",
    # rank
    "filters/test_median.py",
    # template (test_corner.py for corner_peaks)
    "feature/test_template.py", "feature/test_peak.py", "feature/test_corner.py",
    # morphology
    "morphology/test_gray.py", "morphology/test_binary.py", "morphology/test_misc.py",
    "morphology/test_footprints.py",
    # labels
    "segmentation/test_clear_border.py",
    # inpaint (inpaint_biharmonic)
    "restoration/test_inpaint.py",
    # measure (test_label.py compares skimage's private labelling paths;
    # test_ccomp.py holds the label tests that call measure.label)
    "measure/test_label.py", "measure/test_ccomp.py", "measure/test_find_contours.py",
    "measure/test_polygon.py", "measure/test_regionprops.py",
    # warps (swirl, warp_polar and the pyramids there run skimage's own
    # functions on top of fastimg's warp and resize)
    "transform/test_warps.py", "transform/test_integral.py",
]


#: SciPy's own memory gate (``scipy._lib._testutils.check_free_memory``)
#: skips its tests that declare they need more than this.  The one such
#: test here, ``TestConvolve2d::test_large_array`` (2**31 elements: 4.3 GB
#: with SciPy, 6.4 GB with fastimg, which copies the strided input), would
#: make the suite's peak memory; set ``SCIPY_AVAILABLE_MEM`` (e.g. ``8G``)
#: to run it.
SCIPY_MEMORY_BUDGET = "1G"


def _run_suite(anchors, *args, cwd=PLUGIN_DIR):
    env = dict(os.environ, FASTIMG_ANCHORS=anchors)
    env.setdefault("SCIPY_AVAILABLE_MEM", SCIPY_MEMORY_BUDGET)
    env["PYTHONPATH"] = os.pathsep.join([PLUGIN_DIR, REPO, env.get("PYTHONPATH", "")])
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "fastimg_patch", "-p", "no:cacheprovider",
         "-o", "addopts=", "--tb=short", *args],
        env=env, capture_output=True, text=True, timeout=1800, cwd=cwd)
    out = r.stdout + r.stderr
    assert "fastimg_patch:" in out and "fastimg_patch: 0 " not in out, out[-3000:]
    assert r.returncode == 0, out[-5000:]
    assert " passed" in out


@pytest.mark.parametrize("module,selection", [
    ("scipy.ndimage.tests.test_filters", []),
    # morphology
    ("scipy.ndimage.tests.test_morphology", []),
    # labels
    ("scipy.ndimage.tests.test_measurements", []),
    # interpolation
    ("scipy.ndimage.tests.test_interpolation", []),
    ("scipy.signal.tests.test_signaltools", ["-k", "2d or 2D or MedFilt or medfilt"]),
])
def test_scipy_own_tests_pass_against_fastimg(module, selection):
    _run_suite("scipy", "--pyargs", module, *selection)


@pytest.mark.skipif(not SKIMAGE_TESTS, reason="set FASTIMG_SKIMAGE_TESTS to the tests/skimage "
                    "folder of a scikit-image v0.26.0 checkout to run its own tests")
def test_skimage_own_tests_pass_against_fastimg():
    files = [os.path.join(SKIMAGE_TESTS, f) for f in SKIMAGE_FILES]
    missing = [f for f in files if not os.path.exists(f)]
    assert not missing, f"not a scikit-image tests/skimage folder: {missing}"
    # its top-level conftest needs pytest-pretty: stop conftest lookup at tests/skimage
    _run_suite("skimage", "--confcutdir", SKIMAGE_TESTS, *files, cwd=SKIMAGE_TESTS)
