"""Hypothesis strategies shared by the test modules (images, kernels, origins;
gray images for the histogram and threshold families)."""
import numpy as np
from hypothesis import strategies as st

IN_DTYPES = ["uint8", "uint16", "int32", "float32", "float64"]
OUT_DTYPES = [None, "uint8", "int8", "uint16", "int16", "int32", "uint32", "int64",
              "uint64", "float32", "float64"]


@st.composite
def images(draw, dtypes=IN_DTYPES, max_side=12, special=True):
    shape = draw(st.tuples(st.integers(1, max_side), st.integers(1, max_side)))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if dtype.kind == "c":
        x = rng.normal(0, 50, shape) + 1j * rng.normal(0, 50, shape)
    elif dtype.kind == "f":
        x = rng.normal(0, 50, shape)
    elif dtype.kind == "b":
        x = rng.random(shape) < 0.5
    else:
        info = np.iinfo(dtype)
        x = rng.integers(max(info.min, -300), min(info.max, 300), shape, endpoint=True)
    x = x.astype(dtype)
    if special and dtype.kind in "fc" and draw(st.booleans()):
        x.flat[draw(st.integers(0, x.size - 1))] = draw(
            st.sampled_from([np.nan, np.inf, -np.inf]))
    return x


@st.composite
def kernels(draw, ndim=2, max_side=5, allow_complex=False):
    shape = tuple(draw(st.integers(1, max_side)) for _ in range(ndim))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    w = rng.integers(-3, 4, shape) * draw(st.sampled_from([1.0, 0.37, 1 / 3, 0.25]))
    kind = draw(st.sampled_from(["random", "symmetric", "antisymmetric"]))
    flip = (slice(None, None, -1),) * ndim
    if kind == "symmetric":
        w = w + w[flip]
    elif kind == "antisymmetric":
        w = w - w[flip]
    if allow_complex and draw(st.booleans()):
        w = w + 0.5j * rng.integers(-2, 3, shape)
    return w


def origins_for(draw, shape, allow_invalid=False):
    slack = 1 if allow_invalid else 0
    return [draw(st.integers(-(k // 2) - slack, (k - 1) // 2 + slack)) for k in shape]


outputs = st.sampled_from(OUT_DTYPES).map(lambda d: None if d is None else np.dtype(d))


INT_DTYPES = ["uint8", "int8", "uint16", "int16", "int32", "int64", "uint32"]
FLOAT_DTYPES = ["float32", "float64"]


@st.composite
def gray_images(draw, dtypes=INT_DTYPES + FLOAT_DTYPES, max_side=24, levels=None):
    shape = (draw(st.integers(1, max_side)), draw(st.integers(1, max_side)))
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype.kind == "f":
        x = rng.normal(0, 1, shape)
        if draw(st.booleans()):            # few distinct values / exact edges
            x = np.round(x * 4) / 4
        x = x * draw(st.sampled_from([1.0, 1e-3, 255.0]))
        x = x + draw(st.sampled_from([0.0, 0.0, 1000.0]))   # rounded edges
    else:
        info = np.iinfo(dtype)
        lo = max(info.min, draw(st.sampled_from([-300, -5, 0, 10])))
        hi = min(info.max, lo + draw(st.sampled_from([3, 40, 600])))
        x = rng.integers(lo, hi, shape, endpoint=True)
    return x.astype(dtype)
