"""What every ``bench_<family>.py`` shares: the case table entry, the
parametrisation, the check against the truth before timing, and the timed run.

A family module defines ``CASES = {case: {impl: Impl(...)}}``, the report's
metadata and one test::

    TITLES = {case: "heading of the case's table"}
    FUNCTIONS = {case: "namespace.name"}    # the catalog function it times
    GOALS = [(case, size, dtype, anchor, minimum speed-up)]   # optional

    @pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
    def test_family(benchmark, images, bench_env, case, impl, n, dtype):
        run(CASES, benchmark, images, bench_env, case, impl, n, dtype)

``report.py`` imports every ``bench_*.py`` for ``TITLES``, ``FUNCTIONS`` and
``GOALS``; a new family adds its file and edits nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest

from .conftest import bench_sizes

REFERENCE_SIZES = (512,)
REF_REASON = "reference oracle is only timed at 512x512 (slow)"


@dataclass
class Impl:
    make: Callable[[np.ndarray], Callable[[], np.ndarray]]
    #: impl whose result is the truth for this one (None: this is an anchor)
    truth: str | None = None
    #: None: exact equality (values and dtype); else per-dtype absolute tolerance
    tol: dict | None = None
    sizes: tuple | None = None          # None: all sizes
    dtypes: tuple | None = None         # None: all dtypes
    skip_reason: str = ""
    baseline: str = "fastimg"
    #: None: the exact or ``tol`` comparison below; else the case's own
    #: check ``compare(result, expected, x)``, raising AssertionError
    compare: Callable | None = None


def exact_case(ours, theirs, ref, anchor="scipy"):
    """fastimg vs its anchor (bit-identical), with the reference at 512."""
    return {
        "fastimg": Impl(lambda x: lambda: ours(x), truth=anchor),
        anchor: Impl(lambda x: lambda: theirs(x)),
        "reference": Impl(lambda x: lambda: ref(x), truth=anchor,
                          sizes=REFERENCE_SIZES, skip_reason=REF_REASON),
    }


def params(cases: dict, dtypes) -> list:
    """One pytest param per (case, impl, size, dtype); the impls of one
    (case, size, dtype) are adjacent so the truth is computed once.
    ``dtypes``: a tuple for every case, or a dict ``{case: tuple}``."""
    out = []
    for case, impls in cases.items():
        for n in bench_sizes():
            for dtype in (dtypes[case] if isinstance(dtypes, dict) else dtypes):
                for impl, spec in impls.items():
                    marks = ()
                    if ((spec.sizes is not None and n not in spec.sizes)
                            or (spec.dtypes is not None and dtype not in spec.dtypes)):
                        marks = (pytest.mark.skip(reason=f"{impl}: {spec.skip_reason}"),)
                    out.append(pytest.param(case, impl, n, dtype, marks=marks,
                                            id=f"{case}-{impl}-{n}-{dtype}"))
    return out


# One-entry cache of the truth result.
_TRUTH: dict = {}


def _truth(cases, case, impl, n, dtype, x):
    key = (id(cases), case, impl, n, dtype)
    if key not in _TRUTH:
        _TRUTH.clear()
        _TRUTH[key] = cases[case][impl].make(x)()
    return _TRUTH[key]


def check(cases, case, impl, n, dtype, x, result):
    """The result against its truth: exact, or within the case's tolerance."""
    spec = cases[case][impl]
    if spec.truth is None:
        return
    expected = _truth(cases, case, spec.truth, n, dtype, x)
    if spec.compare is not None:
        spec.compare(result, expected, x)
        return
    _compare(spec, case, impl, dtype, result, expected)


def _compare(spec, case, impl, dtype, result, expected):
    if isinstance(expected, tuple):     # e.g. histogram's (counts, centres)
        assert isinstance(result, tuple) and len(result) == len(expected), type(result)
        for r, e in zip(result, expected):
            _compare(spec, case, impl, dtype, r, e)
        return
    assert np.shape(result) == np.shape(expected), (np.shape(result), np.shape(expected))
    if spec.tol is None:
        result, expected = np.asarray(result), np.asarray(expected)
        assert result.dtype == expected.dtype, (result.dtype, expected.dtype)
        np.testing.assert_array_equal(result, expected,
                                      err_msg=f"{impl} != {spec.truth} ({case})")
        return
    diff = np.abs(np.asarray(result, np.float64) - np.asarray(expected, np.float64))
    worst = float(diff.max()) if diff.size else 0.0
    assert worst <= spec.tol[dtype], (
        f"{impl} vs {spec.truth} ({case}, {dtype}): max |diff| {worst} > {spec.tol[dtype]}")


def run(cases, benchmark, images, bench_env, case, impl, n, dtype):
    """Warm up (fastimg compiles or loads its cache), check, then time."""
    spec = cases[case][impl]
    x = images(n, dtype)
    fn = spec.make(x)
    check(cases, case, impl, n, dtype, x, fn())
    benchmark.group = f"{case}|{n}x{n}|{dtype}"
    benchmark.extra_info.update(
        impl=impl, case=case, size=n, dtype=dtype, baseline=spec.baseline,
        numba_threads=bench_env["numba_threads"],
        threading_layer=bench_env["numba_threading_layer"],
    )
    benchmark(fn)
