"""The catalog's benchmark cases: one code path for ``fastimg bench``,
``fastimg demo`` and the repository's ``benchmarks/bench_catalog.py``.

* the input: :func:`bench_image`, the built-in photograph in grey, resized
  and cast (what ``fastimg bench`` times; the demo's catalog part is the
  same picture in float32, or the user's);
* the case: :func:`case` pairs a catalog row's sample call with fastimg's
  function and with its anchor's (:func:`resolver` gives either by name);
* the check: :func:`compare`, exact for every bit-identical function (the
  values, NaN where NaN, and the arrays' dtypes), else the function's
  documented rule in :data:`TOLERANCES`;
* the timing: :func:`measure`, the best of N calls of each after one
  untimed call (compiling or loading kernels is not timed).

Nothing here needs the repository: a pip-installed user's ``fastimg bench``
runs the cases the benchmark suite runs.
"""
from __future__ import annotations

import functools
import time
from typing import Any, Callable, NamedTuple

import numpy as np

from .._core import catalog as _catalog

__all__ = ["TOLERANCES", "TOLERANT", "Case", "Check", "Measurement", "NoAnchor",
           "bench_image", "case", "cases", "compare", "exact", "measure", "resolver",
           "best_ms", "as_float", "max_diff", "match_bound"]

#: ``match_template``'s bound: |ours - anchor| <= C_MATCH * eps(float type)
#: * ||padded image|| * ||template|| / denominator at each position (the
#: constant of tests/conftest.py's TOLERANCES["match-template"]).
C_MATCH = 16.0

#: Functions whose results equal the anchor's within a tolerance, not bit
#: for bit: a bound and why (the bounds of tests/conftest.py's TOLERANCES;
#: ``tools/parity_table.py`` puts them in the README's parity table).  The
#: check is :data:`_RULES`': ``inpaint_biharmonic``'s bound is absolute;
#: ``match_template``'s holds on photographs, and the rule is per position
#: (:func:`match_bound`), as its reason says: a nearly flat window divides
#: the correlation's rounding by a denominator near 0 in both libraries.
TOLERANCES = {
    "feature.match_template": (
        1e-3, "the correlation is summed directly or by FFT tiles, scikit-image's by one "
              "FFT (float32 for float32 images); scores in [-1, 1] differ by rounding, "
              "magnified where a window is nearly flat (tests: |diff| <= 16 eps "
              "||image|| ||template|| / denominator)"),
    "restoration.inpaint_biharmonic": (
        1e-3, "the same linear systems, solved per region in float64 where scikit-image "
              "solves float32 images in float32 (measured 6.6e-5 of the range; float64 "
              "images within 1e-11)"),
}
TOLERANT = {name: bound for name, (bound, _) in TOLERANCES.items()}


class NoAnchor(Exception):
    """A call of a function without an anchor, or one not installed."""


def resolver(anchor: bool) -> Callable[[str], Any]:
    """``fn("namespace.name")``: fastimg's function (the catalog's) or the
    anchor's (raises :class:`NoAnchor`)."""
    @functools.lru_cache(maxsize=None)
    def fn(qualname):
        row = _catalog.find_row(qualname)
        if not anchor:
            return _catalog.function(row)
        if row.anchor is None:
            raise NoAnchor("(fastimg's own)")
        try:
            return _catalog.anchor_function(row)
        except ImportError:
            raise NoAnchor(f"({row.anchor.partition('.')[0]} not installed)") from None
    return fn


_OURS, _ANCHOR = resolver(False), resolver(True)


# ------------------------------------------------------------------ input
@functools.lru_cache(maxsize=8)
def _bench_image(size: int, dtype: str) -> np.ndarray:
    from . import images
    grey = images.grey(images.fit(images.photograph(), size))
    if dtype in ("uint8", "uint16"):
        out = np.round(grey * np.iinfo(dtype).max).astype(dtype)
    else:
        out = grey.astype(dtype)
    out.setflags(write=False)
    return out


def bench_image(size: int, dtype: str = "float32") -> np.ndarray:
    """The benchmark input: the built-in photograph's centred square in
    grey, resized to ``size`` x ``size``; floats in [0, 1], integers over
    their dtype's range.  A fresh writable copy each call."""
    return _bench_image(int(size), str(np.dtype(dtype))).copy()


# ------------------------------------------------------------------ check
class Check(NamedTuple):
    """A result against the anchor's: the largest |difference|, whether it
    passes the function's rule, and what the rule was when not exact."""

    diff: float
    ok: bool
    note: str = ""


def as_float(result) -> np.ndarray:
    """A result's numbers as float64: an array as it is, a table's fields
    side by side, tuples and lists (labels and their count, measurements,
    slices of objects) flattened in order."""
    if isinstance(result, slice):
        return np.array([np.nan if v is None else v
                         for v in (result.start, result.stop, result.step)], np.float64)
    if result is None:
        return np.array([np.nan])
    if isinstance(result, dict):
        result = tuple(result.values())
    if isinstance(result, (tuple, list)) and not all(
            isinstance(v, (int, float, np.number)) for v in result):
        parts = [as_float(v).ravel() for v in result]
        return np.concatenate(parts) if parts else np.zeros(0)
    a = np.asarray(result)
    if a.dtype.names:  # a table (hough_ellipse): its fields side by side
        from numpy.lib import recfunctions
        a = recfunctions.structured_to_unstructured(a, dtype=np.float64)
    return np.asarray(a, dtype=np.float64)


def max_diff(result, expected) -> float:
    """The largest |difference| between two results (inf if their shapes
    differ; NaN where both are NaN counts as equal)."""
    a = as_float(result)
    b = as_float(expected)
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    both_nan = np.isnan(a) & np.isnan(b)
    return float(np.max(np.where(both_nan, 0.0, np.abs(a - b))))


def _dtypes(result) -> list:
    """The dtypes of a result's arrays, in order (a bit-identical result
    has the anchor's)."""
    if isinstance(result, dict):
        result = tuple(result.values())
    if isinstance(result, (tuple, list)):
        return [d for v in result for d in _dtypes(v)]
    return [result.dtype] if isinstance(result, np.ndarray) else []


def exact(result, expected) -> Check:
    """Bit-identical: equal values (NaN where NaN), equal array dtypes."""
    diff = max_diff(result, expected)
    ours, theirs = _dtypes(result), _dtypes(expected)
    if ours != theirs:
        return Check(diff, False, f"dtypes {ours} != anchor's {theirs}")
    return Check(diff, diff == 0.0)


def _window_sums(a, wshape):
    """scikit-image's ``_window_sum_2d`` / ``_3d``: cumulative sums, axis
    after axis, in ``a``'s dtype (the same NumPy operations, so the same
    rounding)."""
    for axis, w in enumerate(wshape):
        a = np.cumsum(a, axis=axis)
        n = a.shape[axis]
        a = (a.take(range(w, n - 1), axis=axis) - a.take(range(0, n - w - 1), axis=axis))
    return a


def _match_denominator(image, template, pad_input=False, mode="constant",
                       constant_values=0):
    """scikit-image's ``match_template`` denominator at each output position
    (its NumPy operations, in its float type), the float type and the
    padded image."""
    image, template = np.asarray(image), np.asarray(template)
    ftype = np.dtype(np.float32 if image.dtype in (np.float16, np.float32) else np.float64)
    img = image.astype(ftype, copy=False)
    pad = tuple((w, w) for w in template.shape)
    kw = {"constant_values": constant_values} if mode == "constant" else {}
    padded = np.pad(img, pad, mode=mode, **kw)
    ws, ws2 = _window_sums(padded, template.shape), _window_sums(padded ** 2, template.shape)
    t_ssd = np.sum((template - template.mean()) ** 2)
    den = ws2
    np.multiply(ws, ws, out=ws)
    np.divide(ws, template.size, out=ws)
    den -= ws
    den *= t_ssd
    np.maximum(den, 0, out=den)
    np.sqrt(den, out=den)
    cut = []
    for i, t in enumerate(template.shape):
        d0 = (t - 1) // 2 if pad_input else t - 1
        cut.append(slice(d0, d0 + (image.shape[i] if pad_input else image.shape[i] - t + 1)))
    return den[tuple(cut)], ftype, padded


def match_bound(image, template, pad_input=False, mode="constant", constant_values=0, **_):
    """The largest |difference| from scikit-image's score the check allows
    at each output position of ``match_template(image, template, ...)``: 0
    where scikit-image scores 0 (a flat window: denominator <= eps), else
    ``C_MATCH * eps * ||padded image|| * ||template|| / denominator`` (the
    correlation's rounding, divided as the score divides it)."""
    den, ftype, padded = _match_denominator(image, template, pad_input, mode,
                                            constant_values)
    eps = np.finfo(ftype).eps
    scale = eps * np.linalg.norm(padded.astype(np.float64)) * np.linalg.norm(
        np.asarray(template, np.float64))
    den = den.astype(np.float64)
    flat = ~(den > eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(flat, 0.0, C_MATCH * scale / np.where(flat, 1.0, den))


def _match_template(result, expected, args) -> Check:
    check = exact(result, expected)
    if check.ok or check.note or np.shape(result) != np.shape(expected):
        return check
    bound = match_bound(*args[0], **args[1])
    a, e = np.asarray(result, np.float64), np.asarray(expected, np.float64)
    nan = np.isnan(a) & np.isnan(e)
    within = nan | (a == e) | (np.abs(a - e) <= bound)
    return Check(check.diff, bool(within.all()),
                 "within its rounding bound" if within.all()
                 else "beyond its rounding bound")


def _absolute(bound):
    def rule(result, expected, args) -> Check:
        check = exact(result, expected)
        if check.ok or check.note:
            return check
        return Check(check.diff, check.diff <= bound, f"within {bound:g}"
                     if check.diff <= bound else f"beyond {bound:g}")
    return rule


#: How each tolerant function's result is checked: ``rule(result,
#: expected, (args, kwargs))``, the arguments of the call that made them.
_RULES = {"feature.match_template": _match_template,
          "restoration.inpaint_biharmonic": _absolute(TOLERANT["restoration.inpaint_biharmonic"])}


def _arguments(*args, **kwargs):
    return args, kwargs


def compare(qualname: str, result, expected, x: np.ndarray) -> Check:
    """fastimg's result of the catalog row ``qualname``'s sample call on
    ``x`` against the anchor's: exact unless the function is in
    :data:`TOLERANCES`, then by its rule (``match_template``'s bound is
    per position, computed from the sample's own arguments)."""
    rule = _RULES.get(qualname)
    if rule is None:
        return exact(result, expected)
    row = _catalog.find_row(qualname)
    return rule(result, expected, row.sample(_arguments, x))


# ------------------------------------------------------------------- cases
class Case(NamedTuple):
    """One catalog row's benchmark case."""

    row: _catalog.Row

    @property
    def name(self) -> str:
        return self.row.qualname

    def ours(self, x):
        """fastimg's sample call on ``x``."""
        return self.row.sample(_OURS(self.row.qualname), x)

    def anchor(self, x):
        """The anchor's sample call on ``x`` (raises :class:`NoAnchor`)."""
        return self.row.sample(_ANCHOR(self.row.qualname), x)

    def check(self, result, expected, x) -> Check:
        return compare(self.row.qualname, result, expected, x)


def case(qualname: str) -> Case:
    return Case(_catalog.find_row(qualname))


def cases(family: str | None = None, with_anchor: bool = False) -> list[Case]:
    """The cases of every catalog row (of one family; only those with an
    anchor), in catalog order."""
    return [Case(r) for r in _catalog.ROWS if (family is None or r.family == family)
            and (r.anchor is not None or not with_anchor)]


# ----------------------------------------------------------------- timing
def best_ms(fn, repeat: int, warm: bool = True) -> float:
    """The best of ``repeat`` timed calls of ``fn()`` in milliseconds (one
    untimed call first unless ``warm`` is False: compiling or loading
    kernels is not timed)."""
    if warm:
        fn()
    times = []
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


class Measurement(NamedTuple):
    """fastimg's result and time against the anchor's."""

    result: Any
    ms: float
    anchor_ms: float | None     # None: no anchor (``missing`` says why)
    check: Check | None
    missing: str = ""


def measure(ours: Callable[[], Any], anchor: Callable[[], Any], repeat: int,
            check: Callable[[Any, Any], Check]) -> Measurement:
    """Call ``ours()`` and ``anchor()`` once each untimed, check the
    results with ``check(result, expected)``, then time the best of
    ``repeat`` calls of each (``repeat - 1`` of the anchor's, at least one:
    it is not the subject).  ``anchor`` may raise :class:`NoAnchor`."""
    result = ours()
    try:
        expected = anchor()
    except NoAnchor as e:
        return Measurement(result, best_ms(ours, repeat, warm=False), None, None, str(e))
    verdict = check(result, expected)
    return Measurement(result, best_ms(ours, repeat, warm=False),
                       best_ms(anchor, max(1, repeat - 1), warm=False), verdict)
