"""Writes the README's parity table (between the markers :data:`MARKERS`
in ``README.md``): for every public function of the catalog, whether its
default result is its anchor's bit for bit or within a tolerance (the
demo's ``TOLERANCES``, which ``fastimg demo`` enforces and which restate
``tests/conftest.py``'s bounds), and why; fastimg's own functions name the
reference they are tested against; opt-in options that leave bit-identity
are named.

Run ``python tools/parity_table.py`` (or ``python tools/generate.py``) from
the repository root; ``tests/test_docs.py`` checks the table is current.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:    # run as a script
    sys.path.insert(0, REPO)

from fastimg._cli.demo import TOLERANCES  # noqa: E402
from fastimg._core import catalog  # noqa: E402
from tools import blocks  # noqa: E402

MARKERS = ("<!-- parity:start -->", "<!-- parity:end -->")
README = os.path.join(REPO, "README.md")

#: What the default path's bit-identity rests on, per family.
BIT_IDENTICAL = "same operations in the anchor's order and dtype"
#: Options outside the default path whose results are within a tolerance.
_METHODS = ("`method='separable'` / `'fft'` / `'auto'`: within summation-order or FFT "
            "rounding (~1e-15 / ~1e-13 relative in float64)")
_SIGNAL_METHODS = "`method='fft'` / `'auto'`: within FFT rounding (~1e-13 relative in float64)"
OPT_IN = {"ndimage.correlate": _METHODS, "ndimage.convolve": _METHODS,
          "signal.convolve2d": _SIGNAL_METHODS, "signal.correlate2d": _SIGNAL_METHODS}
NAN_POLICY = "`nan_policy=`: fastimg's own NaN handling (SciPy leaves NaN undefined)"
#: Notes on a bit-identical default path that a user may meet.
NOTES = {
    "filters.threshold_multiotsu": "above 4e8 candidate tuples a dynamic programme, which "
                                   "can differ only where two sums tie within float32 "
                                   "rounding",
    "exposure.adjust_gamma": "float images through NumPy's own `pow` (Numba's differs in "
                             "the last bit)",
}


def _row(r) -> str:
    if r.anchor is None:
        kind = "fastimg's own"
        why = f"no anchor; tested against `reference/{r.family}.py`"
    elif r.qualname in TOLERANCES:
        bound, reason = TOLERANCES[r.qualname]
        kind = f"within {bound:g}"
        why = reason
    else:
        kind = "bit-identical"
        why = NOTES.get(r.qualname, "")
    nan = NAN_POLICY if "nan_policy" in r.extras else ""
    why = "; ".join(t for t in (why, OPT_IN.get(r.qualname, ""), nan) if t)
    anchor = f"`{r.anchor}`" if r.anchor else ""
    return f"| `{r.qualname}` | {anchor} | {kind} | {why} |"


def table() -> str:
    """The table (Markdown inside a collapsed block, ending with a newline)."""
    rows = catalog.ROWS
    same = sum(1 for r in rows if r.anchor and r.qualname not in TOLERANCES)
    close = sum(1 for r in rows if r.anchor and r.qualname in TOLERANCES)
    own = sum(1 for r in rows if r.anchor is None)
    lines = [f"{len(rows)} functions: **{same} bit-identical** to their anchor on the "
             f"default path ({BIT_IDENTICAL}; the tests compare with "
             f"`assert_array_equal`, `fastimg demo` fails on any difference), "
             f"{close} within a stated tolerance, {own} fastimg's own.",
             "", "<details><summary>Per function</summary>", "",
             "| function | anchor | default result | why, and options that leave it |",
             "|---|---|---|---|"]
    lines += [_row(r) for r in rows]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def main() -> None:
    blocks.rewrite(README, *MARKERS, table())


if __name__ == "__main__":
    main()
