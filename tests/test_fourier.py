"""fourier family: ``filters.butterworth`` against scikit-image 0.26
(bit-identical) and the textbook reference, ``frequency`` masks and
``frequency_filter`` against the reference (reference/fourier.py: np.fft,
fftshift, meshgrid distances), invariants, odd inputs and every error.

Tolerances (tests/conftest.py): butterworth vs skimage exact; masks vs the
reference "frequency-mask"; filtered images vs the reference "fft-float64" /
"fft-float32", relative to max |image| (FFT rounding scales with the input,
not with the possibly tiny filtered output).
"""
import numpy as np
import pytest
import scipy.fft as sfft
import skimage.filters as skf
from hypothesis import given
from hypothesis import strategies as st
from skimage.filters._fft_based import _get_nd_butterworth_filter

from conftest import TOLERANCES, assert_close
from helpers import CORPUS
from helpers import assert_same_outcome as assert_outcome

import fastimg
from fastimg import filters, frequency
from reference import fourier as R

KINDS = ["ideal", "gaussian", "butterworth"]
BANDS = ["lowpass", "highpass", "bandpass", "bandstop"]
MASKS = {"ideal": frequency.ideal_mask, "gaussian": frequency.gaussian_mask,
         "butterworth": frequency.butterworth_mask}
REF_MASKS = {"ideal": R.ideal_mask, "gaussian": R.gaussian_mask,
             "butterworth": R.butterworth_mask}


def assert_fft_close(actual, expected, image):
    """Within the FFT tolerance of the table, scaled by max |image|."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype and actual.shape == expected.shape, (
        actual.dtype, expected.dtype, actual.shape, expected.shape)
    single = expected.dtype in (np.float32, np.complex64)
    _, atol = TOLERANCES["fft-float32" if single else "fft-float64"]
    scale = float(np.abs(np.asarray(image, np.complex128)).max()) if np.size(image) else 0.0
    np.testing.assert_allclose(actual, expected, rtol=0, atol=atol * max(scale, 1.0))


@st.composite
def images(draw, dtypes=("uint8", "uint16", "int32", "float16", "float32", "float64"),
           max_side=12, ndim=(1, 2, 3)):
    nd = draw(st.sampled_from(ndim))
    shape = tuple(draw(st.integers(1, max_side)) for _ in range(nd))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype.kind == "c":
        x = rng.normal(0, 50, shape) + 1j * rng.normal(0, 50, shape)
    elif dtype.kind == "f":
        x = rng.normal(0, 50, shape)
    else:
        x = rng.integers(0, 256, shape)
    return x.astype(dtype)


@st.composite
def mask_params(draw):
    """(kind, band, keywords) with cutoffs in either convention."""
    kind = draw(st.sampled_from(KINDS))
    band = draw(st.sampled_from(BANDS))
    ratio = draw(st.booleans())
    if ratio:
        cuts = sorted(draw(st.lists(st.floats(0.01, 0.5), min_size=2, max_size=2,
                                    unique=True)))
        name = "cutoff_ratio"
    else:
        cuts = sorted(draw(st.lists(st.sampled_from([0.5, 1, 1.5, 2, 2.5, 3, 4.2, 6, 9]),
                                    min_size=2, max_size=2, unique=True)))
        name = "cutoff_pixels"
    kw = {name: tuple(cuts) if band in ("bandpass", "bandstop") else cuts[0]}
    if kind == "butterworth":
        kw["order"] = draw(st.sampled_from([1, 2, 2.5, 4, 0.7]))
        kw["squared"] = draw(st.booleans())
    return kind, band, kw


# ------------------------------------------------------------ butterworth
@given(x=images(dtypes=("uint8", "uint16", "int32", "float16", "float32", "float64",
                        "complex64", "complex128")),
       cutoff=st.sampled_from([0.0, 0.005, 0.07, 0.25, 0.5]), high=st.booleans(),
       order=st.sampled_from([1, 2.0, 3.5, 0.5, 8]), squared=st.booleans(),
       npad=st.integers(0, 3), special=st.sampled_from([None, np.nan, np.inf]))
def test_butterworth_equals_skimage(x, cutoff, high, order, squared, npad, special):
    if special is not None and x.dtype.kind in "fc":
        x.flat[0] = special
    kw = dict(squared_butterworth=squared, npad=npad)
    assert_outcome(lambda: filters.butterworth(x, cutoff, high, order, **kw),
                   lambda: skf.butterworth(x, cutoff, high, order, **kw))


@given(x=images(dtypes=("uint8", "float32", "float64"), ndim=(3,), max_side=7),
       channel_axis=st.sampled_from([0, 1, 2, -1, -2]), npad=st.integers(0, 2),
       high=st.booleans())
def test_butterworth_channels_equal_skimage(x, channel_axis, npad, high):
    assert_outcome(lambda: filters.butterworth(x, 0.2, high, channel_axis=channel_axis,
                                               npad=npad),
                   lambda: skf.butterworth(x, 0.2, high, channel_axis=channel_axis, npad=npad))


@given(x=images(dtypes=("uint8", "float32", "float64", "complex128")),
       cutoff=st.sampled_from([0.01, 0.1, 0.3, 0.5]), high=st.booleans(),
       order=st.sampled_from([1, 2.0, 3.5]), squared=st.booleans(), npad=st.integers(0, 2))
def test_butterworth_vs_reference(x, cutoff, high, order, squared, npad):
    kw = dict(squared_butterworth=squared, npad=npad)
    assert_fft_close(filters.butterworth(x, cutoff, high, order, **kw),
                     R.butterworth(x, cutoff, high, order, **kw), x)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_butterworth_corpus_equals_skimage(name):
    x = CORPUS[name]
    assert_outcome(lambda: filters.butterworth(x, 0.1, False),
                   lambda: skf.butterworth(x, 0.1, False))
    assert_outcome(lambda: filters.butterworth(x, npad=1), lambda: skf.butterworth(x, npad=1))


@pytest.mark.parametrize("case", [
    "longdouble", "order-float64-scalar", "cutoff-float32-scalar", "bool", "list",
    "int-flags", "int8", "order-int", "complex-channels", "1-d", "4x1-npad"])
def test_butterworth_argument_types_equal_skimage(case):
    """Types that change skimage's dtypes or arithmetic: an np.float64 order
    makes a float32 image's mask (and result) float64, an np.float32 cutoff
    is multiplied in float32, long double images keep long double."""
    rng = np.random.default_rng(7)
    x = rng.random((9, 8)).astype(np.float32)
    args, kw = (0.1, False, 2.0), {}
    if case == "longdouble":
        x = x.astype(np.longdouble)
    elif case == "order-float64-scalar":
        args = (0.1, False, np.float64(2.5))
    elif case == "cutoff-float32-scalar":
        args = (np.float32(0.1), True, 3)
    elif case == "bool":
        x = x > 0.5
    elif case == "list":
        x = x.tolist()
    elif case == "int-flags":
        args, kw = (0.2, 0, 2.0), dict(squared_butterworth=0)
    elif case == "int8":
        x = (x * 200 - 100).astype(np.int8)
    elif case == "order-int":
        args = (0.3, True, 4)
    elif case == "complex-channels":
        x = (rng.random((5, 3, 6)) + 1j).astype(np.complex64)
        kw = dict(channel_axis=1, npad=2)
    elif case == "1-d":
        x = x[0]
    else:
        x = x[:4, :1]
        kw = dict(npad=3)
    assert_outcome(lambda: filters.butterworth(x, *args, **kw),
                   lambda: skf.butterworth(np.asarray(x), *args, **kw))
    if case == "list":      # skimage itself raises AttributeError on a list
        with pytest.raises(AttributeError):
            skf.butterworth(x, *args, **kw)


@pytest.mark.parametrize("kwargs", [
    dict(npad=-1), dict(npad=1.5), dict(cutoff_frequency_ratio=-0.01),
    dict(cutoff_frequency_ratio=0.51), dict(channel_axis=2), dict(channel_axis=-3),
])
def test_butterworth_errors(kwargs):
    x = np.ones((4, 5))
    assert_outcome(lambda: filters.butterworth(x, **kwargs),
                   lambda: skf.butterworth(x, **kwargs))


def test_butterworth_error_messages_name_the_value():
    with pytest.raises(ValueError, match=r"npad must be >= 0 \(got npad=-2\)"):
        filters.butterworth(np.ones((4, 4)), npad=-2)
    with pytest.raises(ValueError, match=r"\[0, 0.5\] \(got cutoff_frequency_ratio=0.7\)"):
        filters.butterworth(np.ones((4, 4)), 0.7)


def test_butterworth_large_workers_and_layouts():
    """Above the parallel threshold, one thread or all, strided / Fortran /
    big-endian / read-only inputs, a 4-D image with channels: skimage's bits."""
    from skimage import data
    cam = data.camera()[:301, :263]
    ro = cam.astype(np.float32)
    ro.setflags(write=False)
    cases = [cam, ro, np.asfortranarray(cam.astype(np.float64)), cam.astype(">f8"),
             cam[::-1, ::2]]
    for x in cases:
        expected = skf.butterworth(x, 0.03, False, 3)
        for workers in (1, -1):
            assert_close(filters.butterworth(x, 0.03, False, 3, workers=workers), expected,
                         "direct")
    rgb = data.astronaut()[:200, :180]
    for ca in (0, -1):
        img = np.moveaxis(rgb, -1, ca)
        assert_close(filters.butterworth(img, 0.05, channel_axis=ca, npad=4),
                     skf.butterworth(img, 0.05, channel_axis=ca, npad=4), "direct")
    vol = np.random.default_rng(1).random((3, 6, 5, 2), np.float32)
    assert_close(filters.butterworth(vol, 0.2, channel_axis=3),
                 skf.butterworth(vol, 0.2, channel_axis=3), "direct")


@pytest.mark.parametrize("shape", [(512, 512), (7, 9), (8, 8), (1, 16), (11,), (4, 5, 6)])
@pytest.mark.parametrize("high", [False, True])
@pytest.mark.parametrize("squared", [False, True])
def test_butterworth_mask_parity_with_skimage_builder(shape, high, squared):
    """skimage's own private mask builder is an oracle for butterworth_mask
    in the ratio convention (its layout is the unshifted 'fft' one; its real
    layout is 'rfft')."""
    band = "highpass" if high else "lowpass"
    for real, layout in ((False, "fft"), (True, "rfft")):
        theirs = _get_nd_butterworth_filter(shape, 0.13, 3.0, high, real,
                                            squared_butterworth=squared)
        ours = frequency.butterworth_mask(shape, band, cutoff_ratio=0.13, order=3.0,
                                          squared=squared, layout=layout)
        assert_close(ours, theirs, "frequency-mask")


# ------------------------------------------------------------ masks
@given(params=mask_params(), shape=st.lists(st.integers(1, 12), min_size=1, max_size=3),
       layout=st.sampled_from(["centered", "fft", "rfft"]))
def test_masks_equal_reference(params, shape, layout):
    kind, band, kw = params
    shape = tuple(shape)
    ref = REF_MASKS[kind](shape, band, **kw)
    if layout != "centered":
        ref = np.fft.ifftshift(ref)
        if layout == "rfft":
            ref = ref[..., :shape[-1] // 2 + 1]
    ours = MASKS[kind](shape, band, layout=layout, **kw)
    assert_close(ours, ref, "direct" if kind == "ideal" else "frequency-mask")
    # invariants: real gains in [0, 1]
    assert ours.dtype == np.float64 and np.all((ours >= 0) & (ours <= 1))
    m32 = MASKS[kind](shape, band, layout=layout, dtype=np.float32, **kw)
    assert m32.dtype == np.float32
    np.testing.assert_array_equal(m32, ours.astype(np.float32))


@given(params=mask_params(), shape=st.lists(st.integers(1, 12), min_size=1, max_size=3))
def test_masks_symmetric_and_complementary(params, shape):
    kind, band, kw = params
    shape = tuple(shape)
    m = MASKS[kind](shape, band, layout="fft", **kw)
    # a real image's spectrum is Hermitian: the mask must be even, m[k] == m[-k]
    flipped = m
    for axis, d in enumerate(shape):
        flipped = np.take(flipped, (-np.arange(d)) % d, axis=axis)
    np.testing.assert_array_equal(m, flipped)
    complement = {"lowpass": "highpass", "highpass": "lowpass",
                  "bandpass": "bandstop", "bandstop": "bandpass"}[band]
    other = MASKS[kind](shape, complement, layout="fft", **kw)
    if kind != "butterworth" or kw["squared"] or band in ("bandpass", "bandstop"):
        np.testing.assert_allclose(m + other, 1.0, rtol=0, atol=4e-16)
    else:
        # the true (unsquared) Butterworth is power-complementary
        np.testing.assert_allclose(m ** 2 + other ** 2, 1.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize("n, expected", [
    (4, [0, 1, 1, 1]),         # centred frequencies -2 -1 0 1
    (5, [0, 1, 1, 1, 0]),      # -2 -1 0 1 2
    (1, [1]), (2, [1, 1]),     # -1 0
])
def test_centred_distance_convention(n, expected):
    """Bin u of the centred spectrum is at distance |u - n // 2| (even and odd)."""
    np.testing.assert_array_equal(frequency.ideal_mask(n, cutoff_pixels=1), expected)
    np.testing.assert_array_equal(frequency.ideal_mask((1, n), cutoff_pixels=1)[0], expected)
    # rfft layout: indices 0..n//2 are frequencies 0..n//2
    np.testing.assert_array_equal(frequency.ideal_mask(n, cutoff_pixels=1, layout="rfft"),
                                  [1.0] + [1.0 * (k <= 1) for k in range(1, n // 2 + 1)])


def test_mask_gains_at_the_cutoff():
    b = frequency.butterworth_mask((1, 21), cutoff_pixels=4, order=3)
    assert b[0, 10] == 1.0 and b[0, 14] == 0.5
    b = frequency.butterworth_mask((1, 21), cutoff_pixels=4, order=3, squared=False)
    assert abs(b[0, 14] - 2 ** -0.5) < 1e-15
    g = frequency.gaussian_mask((21,), cutoff_pixels=4)
    assert abs(g[14] - np.exp(-0.5)) < 1e-15


# ------------------------------------------------------------ frequency_filter
@given(x=images(), params=mask_params())
def test_frequency_filter_equals_reference(x, params):
    kind, band, kw = params
    ours = frequency.frequency_filter(x, kind, band, **kw)
    assert_fft_close(ours, R.frequency_filter(x, kind, band, **kw), x)


@given(x=images(dtypes=("uint8", "float32", "complex64", "complex128"), ndim=(3,),
                max_side=7),
       params=mask_params(), how=st.sampled_from(["channel0", "channel-1", "axes01",
                                                  "axes12", "axes2"]))
def test_frequency_filter_channels_and_stacks(x, params, how):
    kind, band, kw = params
    if how.startswith("channel"):
        extra = dict(channel_axis=int(how[7:]))
    else:
        extra = dict(axes=[int(c) for c in how[4:]])
    ours = frequency.frequency_filter(x, kind, band, **kw, **extra)
    assert ours.flags.c_contiguous
    assert_fft_close(ours, R.frequency_filter(x, kind, band, **kw, **extra), x)


@given(x=images(dtypes=("float32", "float64")), kind=st.sampled_from(KINDS),
       ratio=st.booleans(), data=st.data())
def test_lowpass_plus_highpass_is_identity(x, kind, ratio, data):
    kw = ({"cutoff_ratio": data.draw(st.floats(0.01, 0.5))} if ratio
          else {"cutoff_pixels": data.draw(st.floats(0.5, 9))})
    low = frequency.frequency_filter(x, kind, "lowpass", **kw)
    high = frequency.frequency_filter(x, kind, "highpass", **kw)
    assert_fft_close(low + high, x, x)


@given(value=st.floats(-1000, 1000), shape=st.lists(st.integers(1, 12), min_size=1,
                                                      max_size=3),
       params=mask_params())
def test_constant_image_passes_lowpass(value, shape, params):
    kind, _, kw = params
    kw = {k: (v[0] if isinstance(v, tuple) else v) for k, v in kw.items()}
    x = np.full(tuple(shape), value)
    out = frequency.frequency_filter(x, kind, "lowpass", **kw)
    np.testing.assert_allclose(out, value, rtol=0, atol=1e-12 * max(abs(value), 1))
    high = frequency.frequency_filter(x, kind, "highpass", **kw)
    np.testing.assert_allclose(high, 0.0, rtol=0, atol=1e-12 * max(abs(value), 1))


def test_mask_array_and_layouts():
    x = np.random.default_rng(2).normal(size=(9, 10)).astype(np.float32)
    m = frequency.gaussian_mask(x.shape, cutoff_pixels=2.5, layout="rfft")
    ours = frequency.frequency_filter(x, m)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, frequency.frequency_filter(x, "gaussian",
                                                                cutoff_pixels=2.5),
                               rtol=0, atol=1e-5)
    # the textbook pipeline with the centred mask gives the same image
    c = frequency.gaussian_mask(x.shape, cutoff_pixels=2.5)
    text = np.fft.ifft2(np.fft.ifftshift(c * np.fft.fftshift(np.fft.fft2(x)))).real
    np.testing.assert_allclose(ours, text, rtol=0, atol=1e-5)


def test_frequency_filter_dtypes_and_parity_with_skimage():
    from skimage import data
    cam = data.camera()[::4, ::4]
    for dt, out in ((np.uint8, np.float64), (np.float16, np.float32),
                    (np.float32, np.float32), (np.float64, np.float64),
                    (np.complex64, np.complex64), (np.bool_, np.float64)):
        r = frequency.frequency_filter(cam.astype(dt), "ideal", cutoff_ratio=0.1)
        assert r.dtype == out
    for high in (False, True):
        band = "highpass" if high else "lowpass"
        x = cam.astype(np.float64)
        assert_fft_close(frequency.frequency_filter(x, "butterworth", band, cutoff_ratio=0.1,
                                                    order=2.0),
                         skf.butterworth(x, 0.1, high, 2.0), x)


def test_large_images_parallel_twins():
    """Above the mask passes' parallel threshold (2**20 bins): the parallel
    twins give the serial twins' bits (one thread or all), and butterworth
    still equals skimage (its reduced table also goes parallel at ~2000**2)."""
    from skimage import data
    cam = np.tile(data.camera(), (4, 4))
    x = cam[:2001, :1999].astype(np.float32)
    expected = skf.butterworth(x, 0.01, False, 2.5)
    for workers in (1, -1):
        assert_close(filters.butterworth(x, 0.01, False, 2.5, workers=workers), expected,
                     "direct")
    y = cam[:1450, :1460].astype(np.float64)
    for kind in KINDS:
        for band, cut in (("lowpass", 30), ("bandpass", (3, 40))):
            a = frequency.frequency_filter(y, kind, band, cutoff_pixels=cut, workers=1)
            b = frequency.frequency_filter(y, kind, band, cutoff_pixels=cut, workers=-1)
            np.testing.assert_array_equal(a, b)
    m1 = frequency.butterworth_mask((1200, 900), cutoff_ratio=0.1, workers=1)
    np.testing.assert_array_equal(m1, frequency.butterworth_mask((1200, 900), cutoff_ratio=0.1,
                                                                 workers=-1))
    # and the parallel twin's values are the definition's
    assert_fft_close(b, R.frequency_filter(y, "butterworth", "bandpass",
                                           cutoff_pixels=(3, 40)), y)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_frequency_filter_corpus(name):
    x = CORPUS[name]
    if x.size == 0:
        with pytest.raises(ValueError, match="must not be empty"):
            frequency.frequency_filter(x, cutoff_ratio=0.1)
        return
    ours = frequency.frequency_filter(x, "butterworth", cutoff_ratio=0.1)
    ref = R.frequency_filter(x, "butterworth", cutoff_ratio=0.1)
    if np.isfinite(x).all():
        assert_fft_close(ours, ref, x)
    else:
        assert ours.dtype == ref.dtype and np.isnan(ours).all() == np.isnan(ref).all()


# ------------------------------------------------------------ errors
@pytest.mark.parametrize("call, message", [
    (lambda: frequency.ideal_mask((4, 4)), "got neither"),
    (lambda: frequency.ideal_mask((4, 4), cutoff_ratio=0.1, cutoff_pixels=2), "got both"),
    (lambda: frequency.ideal_mask((4, 4), cutoff_ratio=0.6), r"out of range.*0\.6"),
    (lambda: frequency.ideal_mask((4, 4), cutoff_ratio=0.0), r"out of range.*0\.0"),
    (lambda: frequency.ideal_mask((4, 4), cutoff_pixels=-1), r"out of range.*-1"),
    (lambda: frequency.ideal_mask((4, 4), cutoff_pixels=np.inf), r"out of range.*inf"),
    (lambda: frequency.butterworth_mask((4, 4), cutoff_pixels=2, order=-1),
     r"order must be.*order=-1"),
    (lambda: frequency.butterworth_mask((4, 4), cutoff_pixels=2, order=0), "order=0"),
    (lambda: frequency.ideal_mask((4, 4), "bandpass", cutoff_pixels=(3, 1)),
     r"low < high.*\(3, 1\)"),
    (lambda: frequency.ideal_mask((4, 4), "bandstop", cutoff_pixels=2), r"\(low, high\)"),
    (lambda: frequency.ideal_mask((4, 4), "lowpass", cutoff_pixels=(1, 2)), "one number"),
    (lambda: frequency.ideal_mask((4, 4), "notch", cutoff_pixels=2), "band must be"),
    (lambda: frequency.ideal_mask((4, 0), cutoff_pixels=2), r"shape=\(4, 0\)"),
    (lambda: frequency.ideal_mask((4, 4), cutoff_pixels=2, layout="half"), "layout="),
    (lambda: frequency.ideal_mask((4, 4), cutoff_pixels=2, dtype=np.int32), "dtype"),
    (lambda: frequency.frequency_filter(np.ones((4, 4)), "box", cutoff_pixels=2),
     "kind must be"),
    (lambda: frequency.frequency_filter(np.ones((4, 4)), np.ones((4, 4)), cutoff_pixels=2),
     r"shape \(4, 3\).*got shape \(4, 4\)"),
    (lambda: frequency.frequency_filter(np.ones((4, 4)), cutoff_pixels=2, axes=0,
                                        channel_axis=1), "not both"),
    (lambda: frequency.frequency_filter(np.ones((4, 4)), cutoff_pixels=2, axes=2),
     "out of range"),
    (lambda: frequency.frequency_filter(np.ones((4, 4)), cutoff_pixels=2, channel_axis=5),
     "out of range"),
    (lambda: frequency.frequency_filter(np.array(["a"]), cutoff_pixels=2), "dtype <U1"),
    (lambda: frequency.frequency_filter(np.float64(1.0), cutoff_pixels=2), "0-d"),
    (lambda: frequency.frequency_filter(np.ones(4), cutoff_pixels=2, workers=0),
     "workers"),
])
def test_frequency_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_namespace_and_fft_layout_helpers():
    assert fastimg.frequency_filter is frequency.frequency_filter
    assert filters.butterworth is fastimg.butterworth
    # the rfft layout multiplies scipy.fft.rfftn directly
    x = np.random.default_rng(5).normal(size=(6, 7))
    m = frequency.butterworth_mask(x.shape, cutoff_pixels=2, layout="rfft")
    direct = sfft.irfftn(m * sfft.rfftn(x), s=x.shape)
    np.testing.assert_allclose(frequency.frequency_filter(x, "butterworth", cutoff_pixels=2),
                               direct, rtol=0, atol=1e-13)
