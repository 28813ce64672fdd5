"""Hough family: hough_line, hough_line_peaks, hough_circle,
hough_circle_peaks, probabilistic_hough_line, hough_ellipse against the
reference (the definition), scikit-image 0.26 (bit-identical), invariants,
odd inputs and every error path.
"""
import inspect

import numpy as np
import pytest
import skimage.transform as skt
from conftest import outcome
from helpers import assert_same
from hypothesis import given, settings
from hypothesis import strategies as st

import fastimg._hough.api as H
import fastimg._hough.shapes as HS
from fastimg import transform as T
from fastimg._hough import kernels as hough_kernels
from reference import hough as R


@pytest.fixture(autouse=True, scope="module")
def kernel_max_filter():
    """Small Hough spaces take SciPy's maximum filter (cold start); the
    tests run fastimg's filter on every size (one test checks the default)."""
    saved = H._SCIPY_FILTER_BELOW
    H._SCIPY_FILTER_BELOW = 0
    yield
    H._SCIPY_FILTER_BELOW = saved


def assert_table_same(actual, expected):
    """Structured (ellipse) tables: dtype and bytes."""
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    assert actual.tobytes() == expected.tobytes(), (actual, expected)


def same_outcome(ours, theirs):
    """Equal (value, dtype, type; structured tables byte for byte), or the
    anchor's exception type with its message at the start of ours."""
    expected = outcome(theirs)
    actual = outcome(ours)
    if isinstance(expected, Exception):
        assert type(actual) is type(expected), (actual, expected)
        assert str(actual).startswith(str(expected).rstrip(".")), (str(actual), str(expected))
        return
    assert not isinstance(actual, Exception), actual
    if isinstance(expected, np.ndarray) and expected.dtype.names:
        assert_table_same(actual, expected)
    elif isinstance(expected, list):
        assert actual == expected
        assert all(type(v) is int for line in actual for p in line for v in p)
    else:
        assert_same(actual, expected)


@st.composite
def edge_images(draw, max_side=30):
    shape = (draw(st.integers(1, max_side)), draw(st.integers(1, max_side)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density = draw(st.sampled_from([0.0, 0.02, 0.1, 0.4]))
    img = rng.random(shape) < density
    kind = draw(st.sampled_from(["bool", "uint8", "float64", "int32"]))
    if kind == "bool":
        return img
    if kind == "float64":
        return img * rng.normal(size=shape)
    return img.astype(kind) * 3


@st.composite
def thetas(draw):
    kind = draw(st.sampled_from(["default", "empty", "one", "unsorted", "nonuniform",
                                 "ties"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "default":
        return None
    if kind == "empty":
        return np.zeros(0)
    if kind == "one":
        return np.array([rng.uniform(-4, 4)])
    if kind == "unsorted":
        return rng.uniform(-np.pi, 2 * np.pi, rng.integers(2, 40))
    if kind == "nonuniform":
        return np.sort(rng.uniform(-np.pi / 2, np.pi / 2, 30) ** 3)
    # cos / sin near 1/2 and 0: bins on .5 ties and on sign changes
    return np.array([np.pi / 3, -np.pi / 3, 2 * np.pi / 3, np.pi / 6, -np.pi / 6, 0.0,
                     np.pi / 2, -np.pi / 2, np.pi, np.pi / 4])


# ------------------------------------------------------------------ lines
@given(img=edge_images(), theta=thetas())
def test_hough_line_equals_reference_and_skimage(img, theta):
    ours = T.hough_line(img, theta)
    ref = R.hough_line(img, theta)
    for a, b in zip(ours, ref):
        assert_same(a, b)
    assert_same(ours, skt.hough_line(img, theta))
    if theta is not None:
        assert ours[1] is theta
    # invariant: every edge pixel votes once per angle
    assert int(ours[0].sum()) == np.count_nonzero(img) * ours[0].shape[1]


def test_round_half_away_ties():
    """skimage's round: half away from zero, C truncation (not half-even)."""
    cases = [(0.5, 1), (-0.5, -1), (1.5, 2), (2.5, 3), (-2.5, -3), (0.0, 0), (-0.0, 0),
             (0.49999999999999994, 1), (-0.49999999999999994, -1), (2.4999999999999996, 2)]
    for r, k in cases:
        assert hough_kernels.round_half_away(r) == k, r
        assert R.round_half_away(r) == k, r


def test_hough_line_exact_half_ties_match_skimage():
    # theta = 0 and pi: rho = +-x exactly; pi/3 gives 0.5000000000000001 * x
    img = np.zeros((9, 13), bool)
    img[::2, ::3] = True
    theta = np.array([0.0, np.pi, np.pi / 3, -2 * np.pi / 3, np.pi / 6])
    assert_same(T.hough_line(img, theta), skt.hough_line(img, theta))


#: Angles whose rho lands on .5 ties (sin = +-0.5 exactly one ulp above
#: pi / 6 in magnitude: rho = +-y / 2 at x = 0), just below them (sin(pi / 6)
#: = 0.49999999999999994: rho + 0.5 rounds up to 1 at y = 1), on +-0 (the
#: pixel at the origin) and on sign changes: 16 fill two vectorised groups.
_TIE_ANGLES = np.array([0.0, np.pi, 0.5235987755982989, -0.5235987755982989, np.pi / 6,
                        -np.pi / 6, np.pi / 2, -np.pi / 2, np.pi / 4, 2 * np.pi / 3, -np.pi / 3,
                        5 * np.pi / 6, -0.0, 3 * np.pi / 2, -np.pi, np.pi / 3])


def test_hough_line_ties_in_full_groups_match_skimage():
    # more pixels than a batch (LINE_BATCH), ties in the vectorised bins
    img = np.zeros((61, 47), bool)
    img[::2, ::3] = True
    img[1::2, 1::2] = True
    img[:, 0] = img[0, :] = True
    assert np.sin(_TIE_ANGLES[2]) == 0.5 and np.sin(_TIE_ANGLES[3]) == -0.5
    assert np.count_nonzero(img) > 2 * hough_kernels.LINE_BATCH
    for theta in (_TIE_ANGLES, _TIE_ANGLES[::-1].copy(), np.concatenate([_TIE_ANGLES] * 3)[:43]):
        assert_same(T.hough_line(img, theta), skt.hough_line(img, theta))


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), shape=st.tuples(st.integers(1, 70), st.integers(1, 70)),
       density=st.sampled_from([0.05, 0.3, 0.9]), nth=st.integers(1, 40),
       ties=st.booleans(), data=st.data())
def test_line_vote_any_block_equals_skimage(seed, shape, density, nth, ties, data):
    """The kernel on any angle range [start, stop) (parallel blocks of any
    alignment: full groups of 8, partial groups, one angle) and any pixel
    count (batches and their remainder) fills exactly skimage's columns."""
    rng = np.random.default_rng(seed)
    img = rng.random(shape) < density
    img[:, 0] |= ties
    theta = (rng.choice(_TIE_ANGLES, nth) if ties else rng.uniform(-np.pi, np.pi, nth))
    start = data.draw(st.integers(0, nth - 1))
    stop = data.draw(st.integers(start + 1, nth))
    expected = skt.hough_line(img, theta)[0]
    ys, xs = H._edge_coords(img, 1)
    offset = (expected.shape[0] - 1) // 2
    accum = np.zeros(expected.shape, np.uint64)
    hough_kernels.line_vote(ys, xs, np.cos(theta), np.sin(theta), offset, accum, start, stop)
    assert np.array_equal(accum[:, start:stop], expected[:, start:stop])
    assert not accum[:, :start].any() and not accum[:, stop:].any()


def test_line_blocks_cover_the_angles_and_parallel_votes_equal_skimage():
    group = hough_kernels.LINE_ANGLES
    for nth, npix, threads in [(180, 426549, 2), (180, 1712209, 1), (180, 10**6, 4), (20, 10**7, 2),
                               (63, 10**7, 2), (64, 10**7, 2), (3, 10**7, 2), (1, 10, 2)]:
        b = H._line_blocks(nth, npix, threads)
        assert b[0] == 0 and b[-1] == nth and all(x < y for x, y in zip(b, b[1:])), b
        if nth >= 4 * group * threads:   # whole groups, the partial one last
            assert all(x % group == 0 for x in b[:-1]), b
    rng = np.random.default_rng(3)
    img = rng.random((1200, 1200)) < 0.35
    for theta in (np.linspace(-1.5, 1.5, 20), rng.uniform(-4, 4, 70)):
        assert len(H._line_blocks(theta.size, np.count_nonzero(img), 2)) > 2   # parallel
        assert_same(T.hough_line(img, theta, workers=-1), skt.hough_line(img, theta))


@pytest.mark.parametrize("angle_deg,dist", [(0, 17), (45, 20), (-30, -9), (80, 33)])
def test_drawn_line_found_at_its_angle_and_distance(angle_deg, dist):
    t = np.deg2rad(angle_deg)
    img = np.zeros((80, 90), bool)
    for s in np.linspace(-200, 200, 4001):
        x = dist * np.cos(t) - s * np.sin(t)
        y = dist * np.sin(t) + s * np.cos(t)
        xi, yi = int(round(x)), int(round(y))
        if 0 <= xi < 90 and 0 <= yi < 80:
            img[yi, xi] = True
    theta = np.deg2rad(np.arange(-90, 90))
    hspace, angles, dists = T.hough_line(img, theta)
    _, a, d = T.hough_line_peaks(hspace, angles, dists, num_peaks=1)
    assert abs(np.rad2deg(a[0]) - angle_deg) <= 1 and abs(d[0] - dist) <= 1


@settings(max_examples=30)
@given(img=edge_images(), theta=thetas(), md=st.integers(0, 12), ma=st.integers(0, 12),
       thr=st.sampled_from([None, 0, 1, 2.5, -1]),
       num=st.sampled_from([np.inf, 0, 1, 3]))
def test_hough_line_peaks_equals_reference_and_skimage(img, theta, md, ma, thr, num):
    hs, angles, dists = T.hough_line(img, theta)
    ours = outcome(lambda: T.hough_line_peaks(hs, angles, dists, md, ma, thr, num))
    same_outcome(lambda: T.hough_line_peaks(hs, angles, dists, md, ma, thr, num),
                 lambda: skt.hough_line_peaks(hs, angles, dists, md, ma, thr, num))
    if not isinstance(ours, Exception):
        ref = R.hough_line_peaks(hs, angles, dists, md, ma, thr, num)
        for a, b in zip(ours, ref):
            np.testing.assert_array_equal(a, b)


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), dtype=st.sampled_from(
    ["uint8", "int16", "float32", "float64", "uint64", "bool"]),
       shape=st.tuples(st.integers(1, 25), st.integers(1, 25)),
       md=st.integers(0, 6), ma=st.integers(0, 6), thr=st.sampled_from([None, 0, 2, -0.5]))
def test_peaks_of_arbitrary_spaces_equal_skimage(seed, dtype, shape, md, ma, thr):
    """Plateaus, ties, negative values (the zero border matters) and every
    dtype skimage's filter takes."""
    rng = np.random.default_rng(seed)
    hs = rng.integers(-3, 6, shape)
    hs = np.abs(hs) if dtype in ("uint8", "uint64", "bool") else hs
    hs = hs.astype(dtype)
    angles, dists = np.arange(shape[1]) * 0.1, np.arange(shape[0]) - 3.0
    same_outcome(lambda: T.hough_line_peaks(hs, angles, dists, md, ma, thr),
                 lambda: skt.hough_line_peaks(hs, angles, dists, md, ma, thr))


def test_hough_line_peaks_large_space_and_many_regions():
    rng = np.random.default_rng(7)
    hs = rng.integers(0, 50, (400, 180)).astype(np.uint64)
    for md, ma, thr in ((9, 10, None), (0, 0, 1), (1, 1, 10)):
        same_outcome(lambda: T.hough_line_peaks(hs, np.arange(180.0), np.arange(400.0),
                                                md, ma, thr),
                     lambda: skt.hough_line_peaks(hs, np.arange(180.0), np.arange(400.0),
                                                  md, ma, thr))


def test_peaks_default_filter_switch_matches_skimage(monkeypatch):
    """Both sides of the SciPy / fastimg filter switch (the 2048x2048 image's
    accumulator has 5795 x 180 cells, above it)."""
    monkeypatch.setattr(H, "_SCIPY_FILTER_BELOW", 1 << 19)
    rng = np.random.default_rng(4)
    for shape in ((300, 180), (3000, 180)):
        hs = rng.integers(0, 40, shape).astype(np.uint64)
        same_outcome(lambda: T.hough_line_peaks(hs, np.arange(180.0), np.arange(shape[0]) * 1.0),
                     lambda: skt.hough_line_peaks(hs, np.arange(180.0),
                                                  np.arange(shape[0]) * 1.0))


def test_peaks_nan_and_huge_integers_match_skimage():
    rng = np.random.default_rng(3)
    f = rng.normal(size=(12, 9))
    f[3, 4] = np.nan
    big = (rng.integers(0, 5, (8, 8)).astype(np.uint64) + np.uint64(2**60))
    for hs, thr in ((f, 0.5), (f, None), (big, None), (big, 2**60 + 2)):
        same_outcome(lambda: T.hough_line_peaks(hs, np.arange(hs.shape[1]) * 1.0,
                                                np.arange(hs.shape[0]) * 1.0, 1, 1, thr),
                     lambda: skt.hough_line_peaks(hs, np.arange(hs.shape[1]) * 1.0,
                                                  np.arange(hs.shape[0]) * 1.0, 1, 1, thr))


# ----------------------------------------------------------------- circles
@settings(max_examples=40)
@given(img=edge_images(max_side=24), radii=st.lists(st.integers(-2, 12), min_size=1,
                                                    max_size=4),
       normalize=st.booleans(), full=st.booleans())
def test_hough_circle_equals_reference_and_skimage(img, radii, normalize, full):
    same_outcome(lambda: T.hough_circle(img, radii, normalize, full),
                 lambda: skt.hough_circle(img, radii, normalize, full))
    ours = outcome(lambda: T.hough_circle(img, radii, normalize, full))
    if not isinstance(ours, Exception):
        assert_same(ours, R.hough_circle(img, radii, normalize, full))


@settings(max_examples=40)
@given(img=edge_images(max_side=24), radii=st.lists(st.integers(0, 10), min_size=1,
                                                    max_size=4),
       normalize=st.booleans(), mx=st.integers(1, 6), my=st.integers(1, 6),
       thr=st.sampled_from([None, 0.1, 0.3]), num=st.sampled_from([np.inf, 2]),
       total=st.sampled_from([np.inf, 1, 3]))
def test_hough_circle_peaks_equals_reference_and_skimage(img, radii, normalize, mx, my, thr,
                                                         num, total):
    hs = skt.hough_circle(img, radii)
    args = (radii, mx, my, thr, num, total, normalize)
    same_outcome(lambda: T.hough_circle_peaks(hs, *args),
                 lambda: skt.hough_circle_peaks(hs, *args))
    ours = outcome(lambda: T.hough_circle_peaks(hs, *args))
    if not isinstance(ours, Exception):
        for a, b in zip(ours, R.hough_circle_peaks(hs, *args)):
            np.testing.assert_array_equal(a, b)


_CIRCLE_IMG = np.zeros((30, 30), bool)
_CIRCLE_IMG[5, :] = True
_CIRCLE_IMG[::3, 7] = True
_CIRCLE_HS = skt.hough_circle(_CIRCLE_IMG, [3, 5, 8])

ODD_CIRCLE_CALLS = {
    "list-of-spaces": lambda m: m.hough_circle_peaks(list(_CIRCLE_HS), [3, 5, 8]),
    "float-radii-normalize": lambda m: m.hough_circle_peaks(_CIRCLE_HS, np.array([3., 5., 8.]),
                                                            normalize=True),
    "fewer-radii": lambda m: m.hough_circle_peaks(_CIRCLE_HS, [3, 5]),
    "more-radii": lambda m: m.hough_circle_peaks(_CIRCLE_HS, [3, 5, 8, 9, 10]),
    "float32": lambda m: m.hough_circle_peaks(_CIRCLE_HS.astype(np.float32), [3, 5, 8], 2, 2),
    "empty-spaces": lambda m: m.hough_circle_peaks(_CIRCLE_HS[:, :0], [3, 5, 8]),
    "high-threshold": lambda m: m.hough_circle_peaks(_CIRCLE_HS, [3, 5, 8], threshold=10),
    "num-and-total": lambda m: m.hough_circle_peaks(_CIRCLE_HS, [3, 5, 8], num_peaks=2,
                                                    total_num_peaks=3, min_xdistance=3),
    "no-radii": lambda m: m.hough_circle_peaks(np.zeros((0, 5, 5)), []),
    "float-radius": lambda m: m.hough_circle(_CIRCLE_IMG, 2.7),
    "no-radius": lambda m: m.hough_circle(_CIRCLE_IMG, []),
}


@pytest.mark.parametrize("case", sorted(ODD_CIRCLE_CALLS))
def test_odd_circle_arguments_like_skimage(case):
    same_outcome(lambda: ODD_CIRCLE_CALLS[case](T), lambda: ODD_CIRCLE_CALLS[case](skt))


def test_circle_votes_total():
    """Invariant: without normalisation and with full_output every perimeter
    point of every edge pixel lands in the accumulator."""
    rng = np.random.default_rng(1)
    img = rng.random((30, 40)) < 0.05
    radii = [0, 3, 7]
    acc = T.hough_circle(img, radii, normalize=False, full_output=True)
    for i, r in enumerate(radii):
        assert acc[i].sum() == np.count_nonzero(img) * R.circle_perimeter(r)[0].size


# ----------------------------------------------------------- probabilistic
@settings(max_examples=30)
@given(img=edge_images(max_side=40), theta=thetas(), seed=st.integers(0, 2**32 - 1),
       threshold=st.integers(-3, 8), length=st.integers(-2, 20), gap=st.integers(-3, 4))
def test_probabilistic_equals_reference_and_skimage(img, theta, seed, threshold, length,
                                                    gap):
    # thresholds and lengths <= 0 keep every segment; a negative gap ends a
    # walk at its first miss (the pyx tests the gap only after one)
    if theta is not None and theta.size == 0:
        theta = None
    kw = dict(threshold=threshold, line_length=length, line_gap=gap, theta=theta, rng=seed)
    same_outcome(lambda: T.probabilistic_hough_line(img, **kw),
                 lambda: skt.probabilistic_hough_line(img, **kw))
    assert T.probabilistic_hough_line(img, **kw) == R.probabilistic_hough_line(img, **kw)


def test_probabilistic_generator_advances_like_skimage():
    img = np.zeros((50, 50), bool)
    img[10, :] = img[:, 20] = True
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    a = T.probabilistic_hough_line(img, line_length=10, rng=g1)
    b = skt.probabilistic_hough_line(img, line_length=10, rng=g2)
    assert a == b and g1.random() == g2.random()


def test_probabilistic_on_a_photograph_matches_skimage():
    from skimage import data, feature
    edges = feature.canny(data.camera()[::2, ::2])
    for seed in (0, 41537233):
        same_outcome(lambda: T.probabilistic_hough_line(edges, 10, 15, 3, rng=seed),
                     lambda: skt.probabilistic_hough_line(edges, 10, 15, 3, rng=seed))


# ---------------------------------------------------------------- ellipses
@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), shape=st.tuples(st.integers(1, 20),
                                                       st.integers(1, 20)),
       npix=st.integers(0, 25), threshold=st.integers(0, 5),
       accuracy=st.sampled_from([0.5, 1, 2, 3.3]), min_size=st.integers(0, 6),
       max_size=st.sampled_from([None, 4, 100]))
def test_hough_ellipse_equals_reference_and_skimage(seed, shape, npix, threshold, accuracy,
                                                    min_size, max_size):
    rng = np.random.default_rng(seed)
    img = np.zeros(shape, np.uint8)
    img.flat[rng.integers(0, img.size, npix)] = 1
    kw = dict(threshold=threshold, accuracy=accuracy, min_size=min_size, max_size=max_size)
    same_outcome(lambda: T.hough_ellipse(img, **kw), lambda: skt.hough_ellipse(img, **kw))
    ours = T.hough_ellipse(img, **kw)
    ref = R.hough_ellipse(img, **kw)
    if ref.dtype.names:
        assert_table_same(ours, ref)
    else:
        assert_same(ours, ref)


def test_hough_ellipse_drawn_ellipse_matches_skimage():
    from skimage.draw import ellipse_perimeter
    img = np.zeros((30, 24), np.uint8)
    rr, cc = ellipse_perimeter(15, 10, 12, 6, orientation=np.pi / 1.35)
    img[rr, cc] = 1
    for kw in (dict(threshold=15, accuracy=3), dict(threshold=4), dict(accuracy=0.7)):
        same_outcome(lambda: T.hough_ellipse(img, **kw),
                     lambda: skt.hough_ellipse(img, **kw))


# ------------------------------------------------------ threads, layouts
def test_parallel_paths_equal_serial_and_skimage():
    from skimage import data, feature
    edges = feature.canny(data.camera()[::2, ::2])         # 256x256, parallel size
    theta = np.linspace(0, np.pi, 90)
    one = T.hough_line(edges, theta, workers=1)
    assert_same(T.hough_line(edges, theta, workers=-1), one)
    assert_same(one, skt.hough_line(edges, theta))
    radii = [5, 9, 14]
    c1 = T.hough_circle(edges, radii, workers=1)
    assert_same(T.hough_circle(edges, radii, workers=-1), c1)
    assert_same(c1, skt.hough_circle(edges, radii))
    args = (radii, 3, 3, None, 5)
    assert_same(T.hough_circle_peaks(c1, *args, workers=1),
                T.hough_circle_peaks(c1, *args, workers=-1))
    assert_same(T.hough_circle_peaks(c1, *args), skt.hough_circle_peaks(c1, *args))
    small = np.zeros((40, 40), np.uint8)
    small.flat[np.random.default_rng(0).integers(0, 1600, 70)] = 1
    e1 = T.hough_ellipse(small, 3, workers=1)
    assert_table_same(T.hough_ellipse(small, 3, workers=-1), e1)
    assert_table_same(e1, skt.hough_ellipse(small, 3))


def _corpus():
    rng = np.random.default_rng(11)
    base = rng.random((13, 17)) < 0.2
    f = rng.normal(size=(9, 11)) * (rng.random((9, 11)) < 0.3)
    nan = f.copy()
    nan[2, 3] = np.nan
    ro = base.copy()
    ro.setflags(write=False)
    return {
        "1xN": base[:1], "Nx1": base[:, :1], "single": np.ones((1, 1), bool),
        "empty": np.zeros((0, 4), bool), "zeros": np.zeros((6, 5)),
        "nan": nan, "neg-zero": np.full((3, 3), -0.0), "big-endian": f.astype(">f8"),
        "strided": base[::2, ::-3], "fortran": np.asfortranarray(base), "read-only": ro,
        "float16": f.astype(np.float16), "complex": f + 1j * f[::-1],
        "uint16": (base * 300).astype(np.uint16), "int8-neg": (base * -5).astype(np.int8),
        "3d": np.zeros((3, 4, 5)), "1d": np.ones(5),
    }


CORPUS = _corpus()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_lines_and_circles(name):
    x = CORPUS[name]
    same_outcome(lambda: T.hough_line(x), lambda: skt.hough_line(x))
    same_outcome(lambda: T.hough_circle(x, [1, 2]), lambda: skt.hough_circle(x, [1, 2]))
    same_outcome(lambda: T.hough_circle(x, 2, full_output=True),
                 lambda: skt.hough_circle(x, 2, full_output=True))
    same_outcome(lambda: T.probabilistic_hough_line(x, 1, 1, 1, rng=0),
                 lambda: skt.probabilistic_hough_line(x, 1, 1, 1, rng=0))
    same_outcome(lambda: T.hough_ellipse(x, 1), lambda: skt.hough_ellipse(x, 1))


# ------------------------------------------------------------------ errors
IMG = np.zeros((6, 7), bool)
IMG[2, 3] = IMG[4, 1] = IMG[1, 5] = True
HS_ = skt.hough_line(IMG)

ERRORS = {
    "line-list": lambda m: m.hough_line([[0, 1], [1, 0]]),
    "line-3d": lambda m: m.hough_line(np.zeros((2, 2, 2))),
    "line-1d": lambda m: m.hough_line(np.zeros(5)),
    "theta-list": lambda m: m.hough_line(IMG, [0.1, 0.2]),
    "theta-f32": lambda m: m.hough_line(IMG, np.zeros(2, np.float32)),
    "theta-int": lambda m: m.hough_line(IMG, np.arange(3)),
    "theta-f16": lambda m: m.hough_line(IMG, np.zeros(2, np.float16)),
    "theta-2d": lambda m: m.hough_line(IMG, np.zeros((2, 2))),
    "theta-0d": lambda m: m.hough_line(IMG, np.array(0.3)),
    "theta-be": lambda m: m.hough_line(IMG, np.zeros(2, ">f8")),
    "theta-complex": lambda m: m.hough_line(IMG, np.zeros(2, complex)),
    "theta-nan": lambda m: m.hough_line(IMG, np.array([np.nan, 0.2, np.inf])),
    "peaks-list": lambda m: m.hough_line_peaks(HS_[0].tolist(), HS_[1], HS_[2]),
    "peaks-1d": lambda m: m.hough_line_peaks(HS_[0][0], HS_[1], HS_[2]),
    "peaks-3d": lambda m: m.hough_line_peaks(HS_[0][None], HS_[1], HS_[2]),
    "peaks-float-dist": lambda m: m.hough_line_peaks(*HS_, min_distance=1.5),
    "peaks-neg-dist": lambda m: m.hough_line_peaks(*HS_, min_distance=-1),
    "peaks-complex": lambda m: m.hough_line_peaks(HS_[0] + 0j, HS_[1], HS_[2]),
    "peaks-f16": lambda m: m.hough_line_peaks(HS_[0].astype(np.float16), HS_[1], HS_[2]),
    "peaks-empty": lambda m: m.hough_line_peaks(np.zeros((5, 0)), np.zeros(0), np.zeros(5)),
    "peaks-empty-thr": lambda m: m.hough_line_peaks(np.zeros((5, 0)), np.zeros(0),
                                                    np.zeros(5), threshold=1),
    "peaks-float-num": lambda m: m.hough_line_peaks(*HS_, min_distance=0, min_angle=0,
                                                    threshold=0, num_peaks=1.5),
    "circle-list": lambda m: m.hough_circle(IMG.tolist(), 2),
    "circle-3d": lambda m: m.hough_circle(np.zeros((2, 3, 3)), 2),
    "circle-radius-2d": lambda m: m.hough_circle(IMG, [[1, 2]]),
    "circle-empty-full": lambda m: m.hough_circle(IMG, [], full_output=True),
    "circle-neg-full": lambda m: m.hough_circle(IMG, [-3], full_output=True),
    "cpeaks-big-x": lambda m: m.hough_circle_peaks(skt.hough_circle(IMG, [1, 2]), [1, 2],
                                                   min_xdistance=20, threshold=0),
    "cpeaks-float-dist": lambda m: m.hough_circle_peaks(skt.hough_circle(IMG, [1]), [1],
                                                        min_ydistance=2.5),
    "prob-1d": lambda m: m.probabilistic_hough_line(np.zeros(5)),
    "prob-float-threshold": lambda m: m.probabilistic_hough_line(IMG, threshold=1.5),
    "prob-float-gap": lambda m: m.probabilistic_hough_line(IMG, line_gap=1.0),
    "prob-theta-list": lambda m: m.probabilistic_hough_line(IMG, theta=[0.1]),
    "prob-theta-f32": lambda m: m.probabilistic_hough_line(IMG, theta=np.zeros(3, np.float32)),
    "prob-bad-rng": lambda m: m.probabilistic_hough_line(IMG, rng="a"),
    "ellipse-3d": lambda m: m.hough_ellipse(np.ones((2, 3, 3))),
    "ellipse-list": lambda m: m.hough_ellipse([[1, 0], [0, 1]]),
    "ellipse-float-threshold": lambda m: m.hough_ellipse(IMG, threshold=1.5),
    "ellipse-float-min-size": lambda m: m.hough_ellipse(IMG, min_size=2.5),
    "ellipse-accuracy-0": lambda m: m.hough_ellipse(IMG, 0, accuracy=0, min_size=0),
    "ellipse-accuracy-str": lambda m: m.hough_ellipse(IMG, accuracy="1"),
    "ellipse-accuracy-nan": lambda m: m.hough_ellipse(IMG, 0, accuracy=np.nan, min_size=0),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_and_odd_arguments_like_skimage(case):
    same_outcome(lambda: ERRORS[case](T), lambda: ERRORS[case](skt))


def test_signatures_match_skimage():
    for name in ("hough_line", "hough_line_peaks", "hough_circle", "hough_circle_peaks",
                 "probabilistic_hough_line", "hough_ellipse"):
        ours = list(inspect.signature(getattr(T, name)).parameters.values())
        theirs = list(inspect.signature(getattr(skt, name)).parameters.values())
        assert [(p.name, p.kind, p.default) for p in ours[:len(theirs)]] == \
            [(p.name, p.kind, p.default) for p in theirs]
        assert all(p.kind is p.KEYWORD_ONLY for p in ours[len(theirs):])


def test_modules_export_the_family():
    assert set(H.__all__) | set(HS.__all__) == {
        "hough_line", "hough_line_peaks", "hough_circle", "hough_circle_peaks",
        "probabilistic_hough_line", "hough_ellipse"}


# ------------------------------------- probabilistic: gaps, counts, types
def test_probabilistic_counts_beyond_int16_like_skimage():
    """33000 pixels on one rho bin: the line is found only when the cell
    reaches 33000 votes, beyond int16 (the accumulator type must widen)."""
    img = np.ones((33000, 1), bool)
    kw = dict(threshold=33000, line_length=1, line_gap=0, theta=np.array([0.0]), rng=3)
    assert HS.line_accumulator(33000, 1, np.ones(1), np.zeros(1), 33000).dtype == np.int32
    ours = T.probabilistic_hough_line(img, **kw)
    assert ours == skt.probabilistic_hough_line(img, **kw) == [((0, 32999), (0, 0))]


def test_line_accumulator_type_and_size():
    theta = H._default_theta()
    c, s = np.cos(theta), np.sin(theta)
    acc = HS.line_accumulator(2048, 2048, c, s, 10**6)
    assert acc.dtype == np.int16 and acc.size == 180 * 2 * 2897 and not acc.any()
    assert HS.line_accumulator(20000, 20000, c, s, 10**8).dtype == np.int32
    zero = np.zeros(3)                  # NaN angles, zeroed: one cell gets every pixel
    assert HS.line_accumulator(300, 300, zero, zero, 32767).dtype == np.int16
    assert HS.line_accumulator(300, 300, zero, zero, 32768).dtype == np.int32
    assert HS.line_accumulator(5, 5, np.zeros(0), np.zeros(0), 25).size == 0


@settings(max_examples=40)
@given(h=st.integers(1, 60), w=st.integers(1, 60),
       theta=st.floats(-7, 7, allow_nan=False))
def test_line_accumulator_strip_bound(h, w, theta):
    """line_accumulator's bound: the pixels sharing a rounded rho (every
    pixel an edge) number at most w * (1/|s| + 2) and h * (1/|c| + 2)."""
    c, s = np.cos(theta), np.sin(theta)
    ys, xs = np.mgrid[:h, :w]
    r = c * xs.ravel() + s * ys.ravel()
    k = np.where(r > 0, np.trunc(r + 0.5), np.trunc(r - 0.5)).astype(np.int64)
    most = np.bincount(k - k.min()).max()
    with np.errstate(divide="ignore", over="ignore"):
        assert most <= w * (1 / abs(s) + 2) and most <= h * (1 / abs(c) + 2)
