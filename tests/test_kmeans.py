"""fastimg's ``segmentation.kmeans_colors`` (its own function) against the
reference (the definition, bit for bit: same draws, same summation order),
its invariants, scikit-learn's and OpenCV's k-means on a photograph, odd
inputs and errors."""
import numpy as np
import pytest
from conftest import outcome
from hypothesis import given
from hypothesis import strategies as st

from fastimg import segmentation as S
from fastimg._kmeans import kernels as kk
from reference import kmeans as R


def _same(actual, expected):
    assert not isinstance(actual, Exception), actual
    (la, ca), (le, ce) = actual, expected
    np.testing.assert_array_equal(la, le, strict=True)
    np.testing.assert_array_equal(ca, ce, strict=True)


@st.composite
def kmeans_cases(draw):
    grey = draw(st.booleans())
    shape = (draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    if not grey:
        shape = shape + (draw(st.integers(1, 4)),)
    dtype = draw(st.sampled_from(["uint8", "uint16", "int16", "float32", "float64"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    levels = draw(st.sampled_from([2, 4, 50, 255]))       # few colours: ties, duplicates
    x = rng.integers(0, levels, shape)
    if dtype.startswith("float"):
        x = x * draw(st.sampled_from([1.0, 0.37, 1e-3]))
    x = x.astype(dtype)
    axis = None if grey else draw(st.sampled_from([-1, 2, 0]))
    if axis == 0:
        x = np.moveaxis(x, -1, 0)
    kw = dict(n_init=draw(st.integers(1, 3)), max_iter=draw(st.sampled_from([1, 2, 300])),
              tol=draw(st.sampled_from([0.0, 1e-4, 0.5])), rng=draw(st.integers(0, 99)))
    return x, draw(st.integers(1, 6)), axis, kw


@given(kmeans_cases())
def test_equals_reference(case):
    x, k, axis, kw = case
    got = outcome(lambda: S.kmeans_colors(x, k, channel_axis=axis, **kw))
    want = outcome(lambda: R.kmeans_colors(x, k, channel_axis=axis, **kw))
    if isinstance(want, Exception):
        assert isinstance(got, ValueError) and isinstance(want, ValueError), (got, want)
        return
    _same(got, want)
    labels, centres = got
    assert labels.shape == (x.shape if axis is None else tuple(np.delete(x.shape, axis)))
    assert centres.shape == ((k,) if axis is None else (k, x.shape[axis]))
    assert centres.dtype == np.float64 and labels.dtype == np.int32


def _photo(step=4):
    from skimage import data
    return data.astronaut()[::step, ::step]


def test_several_chunks_equal_reference():
    x = np.ascontiguousarray(_photo(2)[:160, :220])          # 35200 pixels: 3 chunks
    assert x.shape[0] * x.shape[1] > 2 * kk.CHUNK
    for seed in (0, 1):
        _same(S.kmeans_colors(x, 4, rng=seed, n_init=2),
              R.kmeans_colors(x, 4, rng=seed, n_init=2))


def test_labels_are_nearest_centres_and_centres_their_means():
    x = _photo()
    labels, centres = S.kmeans_colors(x, 6, rng=3, tol=0.0)
    px = x.reshape(-1, 3).astype(np.float64)
    d = ((px[:, None, :] - centres[None]) ** 2).sum(-1)
    np.testing.assert_array_equal(labels.ravel(), np.argmin(d, axis=1))
    for j in range(6):
        np.testing.assert_allclose(centres[j], px[labels.ravel() == j].mean(0), rtol=1e-12)


def test_same_seed_same_result_and_threads_do_not_matter():
    # 720x720 pixels x 5 centres is worth two threads (fastimg._core.dispatch)
    x = np.tile(_photo(2), (3, 3, 1))[:720, :720]
    one = S.kmeans_colors(x, 5, rng=7, max_iter=5, workers=1)
    _same(S.kmeans_colors(x, 5, rng=7, max_iter=5, workers=1), one)
    _same(S.kmeans_colors(x, 5, rng=np.random.default_rng(7), max_iter=5, workers=2), one)
    other = S.kmeans_colors(x, 5, rng=8, max_iter=5, workers=1)
    assert not np.array_equal(other[1], one[1])


def test_one_colour_and_one_cluster():
    x = np.empty((5, 7, 3), np.uint8)
    x[:] = (10, 20, 30)
    labels, centres = S.kmeans_colors(x, 1, rng=0)
    assert (labels == 0).all() and centres.tolist() == [[10.0, 20.0, 30.0]]
    with pytest.raises(ValueError, match="n_clusters=2 is more than the 1 distinct"):
        S.kmeans_colors(x, 2)
    y = _photo().astype(np.float32)
    labels, centres = S.kmeans_colors(y, 1, rng=0)
    assert (labels == 0).all()
    np.testing.assert_allclose(centres[0], y.reshape(-1, 3).astype(np.float64).mean(0),
                               rtol=1e-13)
    g = np.arange(12.0).reshape(3, 4)
    labels, centres = S.kmeans_colors(g, 12, channel_axis=None, rng=1)
    np.testing.assert_array_equal(centres[labels], g)          # one pixel per cluster


def test_odd_layouts_equal_the_plain_call():
    x = _photo(8)
    want = S.kmeans_colors(x, 3, rng=2)
    _same(S.kmeans_colors(np.asfortranarray(x), 3, rng=2), want)
    _same(S.kmeans_colors(x.astype(">u2").astype(np.uint8), 3, rng=2), want)
    ro = x.copy()
    ro.setflags(write=False)
    _same(S.kmeans_colors(ro, 3, rng=2), want)
    _same(S.kmeans_colors(np.moveaxis(x, -1, 1), 3, channel_axis=1, rng=2), want)
    big = x.astype(">f8")
    _same(S.kmeans_colors(big, 3, rng=2), S.kmeans_colors(x.astype(np.float64), 3, rng=2))


@pytest.mark.parametrize("other", ["sklearn", "opencv"])
def test_inertia_on_a_photograph_no_worse_than(other):
    # each seed reaches some local minimum (they differ by ~0.1% here):
    # compared on the mean over seeds, with that much slack
    x = _photo()
    px = x.reshape(-1, 3).astype(np.float64)
    ours, theirs = [], []
    for seed in range(5):
        labels, centres = S.kmeans_colors(x, 5, n_init=3, rng=seed)
        ours.append(((px - centres[labels.ravel()]) ** 2).sum())
        if other == "sklearn":
            from sklearn.cluster import KMeans
            theirs.append(KMeans(5, n_init=3, random_state=seed).fit(px).inertia_)
        else:
            import cv2
            cv2.setRNGSeed(seed)
            crit = (cv2.TERM_CRITERIA_MAX_ITER + cv2.TERM_CRITERIA_EPS, 300, 1e-4)
            comp, lab, cen = cv2.kmeans(px.astype(np.float32), 5, None, crit, 3,
                                        cv2.KMEANS_PP_CENTERS)
            theirs.append(((px - cen.astype(np.float64)[lab.ravel()]) ** 2).sum())
    assert np.mean(ours) <= np.mean(theirs) * 1.001, (ours, theirs)


def test_errors_name_what_was_received():
    x = _photo(16)
    for k in (0, -2):
        with pytest.raises(ValueError, match=f"n_clusters must be >= 1 \\(got {k}\\)"):
            S.kmeans_colors(x, k)
    with pytest.raises(TypeError, match="n_clusters must be an integer"):
        S.kmeans_colors(x, 2.5)
    with pytest.raises(ValueError, match="channel_axis 3 is out of bounds .* 3 dimensions"):
        S.kmeans_colors(x, 2, channel_axis=3)
    with pytest.raises(ValueError, match="needs at least 2 dimensions"):
        S.kmeans_colors(np.arange(5.0), 2)
    with pytest.raises(ValueError, match="n_clusters=3 is more than the 2 distinct"):
        S.kmeans_colors(np.array([[0, 1], [1, 0]]), 3, channel_axis=None)
    with pytest.raises(ValueError, match="0 distinct"):
        S.kmeans_colors(np.zeros((0, 4, 3)), 1)
    bad = x.astype(np.float64)
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        S.kmeans_colors(bad, 2)
    with pytest.raises(TypeError, match="complex128"):
        S.kmeans_colors(x.astype(complex), 2)
    for name, value in (("n_init", 0), ("max_iter", 0), ("tol", -1.0)):
        with pytest.raises(ValueError, match=f"{name} must be"):
            S.kmeans_colors(x, 2, **{name: value})


@st.composite
def step_cases(draw):
    """Pixels over several chunks and partial blocks, centres among them."""
    from fastimg._kmeans import block_kernels as bk
    n = draw(st.sampled_from([1, 7, bk.BLOCK - 1, bk.BLOCK + 3, kk.CHUNK + 5,
                              2 * kk.CHUNK + bk.BLOCK + 1]))
    nc = draw(st.integers(1, 4))
    dtype = draw(st.sampled_from(["uint8", "uint16", "float32", "float64"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    top = {"uint8": 256, "uint16": 65536}.get(dtype, 256)
    x = rng.integers(0, draw(st.sampled_from([3, top])), (n, nc))
    if dtype.startswith("float"):
        x = x * draw(st.sampled_from([1.0, 0.37, 1e-3]))
    x = x.astype(dtype)
    k = draw(st.integers(1, 7))
    centres = x[rng.integers(0, n, k)].astype(np.float64)
    if draw(st.booleans()):                 # centres off the pixel grid
        centres += rng.normal(0, 0.3, centres.shape)
    return x, centres


@given(step_cases(), st.booleans())
def test_blocked_lloyd_step_equals_per_pixel_step(case, want_inertia):
    """The blocked step (vectorised distances, integer sums taken per centre)
    gives the per-pixel kernel's labels, sums, counts and changed counts bit
    for bit, and its inertia when asked for (0 otherwise)."""
    from fastimg._kmeans import block_kernels as bk
    x, centres = case
    n, nc = x.shape
    k = centres.shape[0]
    nch = -(-n // kk.CHUNK)

    def bufs():
        return (np.full((nch, k, nc), np.nan), np.full((nch, k), -1, np.int64),
                np.full(nch, np.nan), np.full(nch, -1, np.int64))
    start = np.random.default_rng(0).integers(-1, k, n).astype(np.int32)
    la, lb = start.copy(), start.copy()
    want, got = bufs(), bufs()
    kk.lloyd_step(x, centres, la, *want, 0, nch)
    bk.lloyd_step_blocked(x, centres, lb, *got, want_inertia, x.dtype.kind in "ui", 0, nch)
    np.testing.assert_array_equal(lb, la)
    for name, a, b in zip(("sums", "counts", "inertia", "changed"), got, want):
        if name == "inertia" and not want_inertia:
            b = np.zeros_like(b)
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("dtype", ["float32", "float64", "uint16"])
def test_several_chunks_equal_reference_other_dtypes(dtype):
    x = np.ascontiguousarray(_photo(2)[:160, :220])          # 35200 pixels: 3 chunks
    x = x.astype(np.uint16) * 257 if dtype == "uint16" else (x / 255.0).astype(dtype)
    _same(S.kmeans_colors(x, 5, rng=3, max_iter=15, tol=0.0),
          R.kmeans_colors(x, 5, rng=3, max_iter=15, tol=0.0))
