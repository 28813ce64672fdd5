"""Fourier-family benchmarks: ``filters.butterworth`` against scikit-image,
``frequency.frequency_filter`` against the tutorial NumPy pipeline, both
against the bare FFT pair they are built on.

Every case checks its result before timing (``--benchmark-disable`` still
verifies them):

* butterworth vs skimage: bit-identical (``assert_array_equal``, dtype too);
* frequency_filter vs the reference (reference/fourier.py: ``np.fft.fftn``,
  ``fftshift``, a full centred mask from ``np.meshgrid`` distances,
  ``ifftshift``, ``ifftn``, real part, the way tutorials write it): within
  the FFT tolerances of tests/conftest.py (1e-10 of max |image| for float64
  results, 1e-5 for float32; the float images are in [0, 1], uint8 ones in
  [0, 255]);
* ``fft-pair``: ``scipy.fft.irfftn(scipy.fft.rfftn(x))`` with the threads
  fastimg uses (``fastimg._core.dispatch.resolve_workers(None)``), the floor
  of any FFT filter: not the same quantity (no mask), so not checked; its
  column in the table shows what the mask costs on top of the transforms.

The reference pipeline is slow (complex128 full spectra, a float64 distance
grid): it is timed at 512 and 2048 only, where the goals are.

Groups are ``"{case}|{N}x{N}|{dtype}"``; ``extra_info`` as in
bench_correlation.py.
"""
from __future__ import annotations

import pytest
import scipy.fft as sfft
import skimage.filters as skf

import fastimg._fourier.api as ff
import reference.fourier as rf
from fastimg._core.dispatch import resolve_workers

from ._harness import REF_REASON, REFERENCE_SIZES, Impl, params, run

#: Absolute tolerances against the reference: the FFT entries of the test
#: tolerance table times max |image| (255 for uint8, 1 for float images).
TOL = {"uint8": 1e-10 * 255, "float32": 1e-5, "float64": 1e-10}
PIPELINE_SIZES = (512, 2048)
PIPELINE_REASON = "the tutorial NumPy pipeline is timed at 512 and 2048 only (slow)"
CUTOFF = 0.02


def _fft_pair(x):
    nt = resolve_workers(None)
    return lambda: sfft.irfftn(sfft.rfftn(x, workers=nt), s=x.shape, workers=nt)


def _filter_case(kind):
    kw = dict(cutoff_ratio=CUTOFF)
    if kind == "butterworth":
        kw["order"] = 2.0
    return {
        "fastimg": Impl(lambda x: lambda: ff.frequency_filter(x, kind, **kw),
                        truth="reference", tol=TOL, sizes=PIPELINE_SIZES,
                        skip_reason="checked against the reference, timed at 512 and 2048"),
        "reference": Impl(lambda x: lambda: rf.frequency_filter(x, kind, **kw),
                          sizes=PIPELINE_SIZES, skip_reason=PIPELINE_REASON),
        "fft-pair": Impl(_fft_pair, sizes=PIPELINE_SIZES, skip_reason=PIPELINE_REASON),
    }


CASES: dict[str, dict[str, Impl]] = {
    "butterworth": {
        "fastimg": Impl(lambda x: lambda: ff.butterworth(x, CUTOFF, False), truth="skimage"),
        "skimage": Impl(lambda x: lambda: skf.butterworth(x, CUTOFF, False)),
        "fft-pair": Impl(_fft_pair),
        "reference": Impl(lambda x: lambda: rf.butterworth(x, CUTOFF, False), truth="skimage",
                          tol=TOL, sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    },
    "frequency_filter-ideal": _filter_case("ideal"),
    "frequency_filter-gaussian": _filter_case("gaussian"),
    "frequency_filter-butterworth": _filter_case("butterworth"),
}

DTYPES = {"butterworth": ("uint8", "float32", "float64"),
          "frequency_filter-ideal": ("float32", "float64"),
          "frequency_filter-gaussian": ("float32", "float64"),
          "frequency_filter-butterworth": ("float32", "float64")}

TITLES = {
    "butterworth": f"`filters.butterworth(x, {CUTOFF}, high_pass=False)`",
    "frequency_filter-ideal": f"`frequency.frequency_filter(x, 'ideal', cutoff_ratio={CUTOFF})`",
    "frequency_filter-gaussian":
        f"`frequency.frequency_filter(x, 'gaussian', cutoff_ratio={CUTOFF})`",
    "frequency_filter-butterworth":
        f"`frequency.frequency_filter(x, 'butterworth', cutoff_ratio={CUTOFF})`",
}

FUNCTIONS = {"butterworth": "filters.butterworth",
             "frequency_filter-ideal": "frequency.frequency_filter",
             "frequency_filter-gaussian": "frequency.frequency_filter",
             "frequency_filter-butterworth": "frequency.frequency_filter"}

#: fft-pair goals: fastimg within 1.15x the bare transforms' time, i.e. a
#: "speed-up" over them of at least 1 / 1.15.
GOALS = [
    ("butterworth", 2048, "float32", "skimage", 2.5),
    ("butterworth", 2048, "float64", "skimage", 1.5),
    ("butterworth", 2048, "float32", "fft-pair", 1 / 1.15),
    ("butterworth", 2048, "float64", "fft-pair", 1 / 1.15),
    *[(f"frequency_filter-{k}", 2048, dt, anchor, target)
      for k in ("ideal", "gaussian", "butterworth") for dt in ("float32", "float64")
      for anchor, target in (("reference", 4.0), ("fft-pair", 1 / 1.15))],
]


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_fourier(benchmark, images, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, images, bench_env, case, impl, n, dtype)
