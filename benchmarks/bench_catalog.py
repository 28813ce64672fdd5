"""Every public function with an anchor, as ``fastimg bench`` times it:
one case per catalog row, fastimg against SciPy or scikit-image.

The cases are :mod:`fastimg._cli.cases`' (the installed package's, so that
a user's ``fastimg bench`` and this file run the same code): the input is
``cases.bench_image(n, dtype)`` (the built-in coffee photograph in grey,
n x n, float32: ``fastimg bench``'s default dtype), the call is the row's
sample, and fastimg's result is checked against the anchor's *before*
timing (so ``--benchmark-disable``, as in CI, still verifies it) by the
same rule ``fastimg bench`` and ``fastimg demo`` apply: bit for bit (values
and dtypes), or the documented rule of ``cases.TOLERANCES``
(``match_template``: per position, its rounding divided by the window's
denominator).

The family files time more inputs (sizes up to 4096², three dtypes, OpenCV,
the references); these cases are the per-function baseline, one per public
function.  Groups are ``"catalog:{namespace.name}|{N}x{N}|float32"``.
"""
from __future__ import annotations

import pytest

from fastimg._cli import cases as _cases

from ._harness import Impl, params, run

DTYPES = ("float32",)


def _checker(case):
    def compare(result, expected, x):
        verdict = case.check(result, expected, x)
        assert verdict.ok, (f"{case.name}: max |diff| {verdict.diff:.3g} from the anchor "
                            f"{verdict.note}".rstrip())
    return compare


def _case(case):
    anchor = case.row.anchor.partition(".")[0]
    return {
        "fastimg": Impl(lambda x: lambda: case.ours(x), truth=anchor, compare=_checker(case)),
        anchor: Impl(lambda x: lambda: case.anchor(x)),
    }


_CASES = _cases.cases(with_anchor=True)
CASES = {f"catalog:{c.name}": _case(c) for c in _CASES}

TITLES = {f"catalog:{c.name}": (f"`{c.name}`: the catalog's sample call on the coffee "
                                f"photograph (`fastimg bench`)") for c in _CASES}

FUNCTIONS = {f"catalog:{c.name}": c.name for c in _CASES}

GOALS: list = []


def _images(n, dtype):
    return _cases.bench_image(n, dtype)


@pytest.mark.parametrize(("case", "impl", "n", "dtype"), params(CASES, DTYPES))
def test_catalog(benchmark, bench_env, case, impl, n, dtype):
    run(CASES, benchmark, _images, bench_env, case, impl, n, dtype)
