"""Docstrings: every public function (one catalog row each) documents every
parameter of its signature, says how it differs from its anchor, and carries
an example that runs as a doctest."""
import doctest
import inspect
import io
import re
import sys

import numpy as np
import pytest

from fastimg._core import catalog as _catalog, docs as _docs
from fastimg._core.warmup import warmup

ROWS = _catalog.ROWS
IDS = [r.qualname for r in ROWS]
needs_docstrings = pytest.mark.skipif(sys.flags.optimize >= 2,
                                      reason="python -OO strips docstrings")


def _section(doc, title):
    """The text of a numpydoc section (None if absent)."""
    doc = inspect.cleandoc(doc)
    m = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc,
                  re.MULTILINE | re.DOTALL)
    return m.group(1) if m else None


def _documented_names(params_text):
    """Names of the numpydoc entries (``name : type`` / ``a, b : type``)."""
    names = set()
    for line in params_text.splitlines():
        m = re.match(r"^([A-Za-z_][\w, ]*?)\s*(:|$)", line)
        if m and line[:1].strip():
            names.update(n.strip() for n in m.group(1).split(","))
    return names


def _run_doctests(obj, name):
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(obj, name, globs={"np": np})
    examples = sum(len(t.examples) for t in tests)
    assert examples > 0, f"{name}: no doctest examples found"
    out = io.StringIO()
    for t in tests:
        runner.run(t, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: doctest failures\n{out.getvalue()}"


@needs_docstrings
@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_docstring_sections(row):
    f = _catalog.function(row)
    doc = f.__doc__
    assert doc, f"{row.name} has no docstring"
    assert "{" + "workers}" not in doc, "unfilled placeholder (missing @fill_doc?)"
    summary = inspect.cleandoc(doc).splitlines()[0]
    assert summary.strip() and summary.rstrip().endswith("."), summary
    if row.anchor is not None:
        anchor = f"{row.anchor}.{row.name}"
        assert f"Drop-in for :func:`{anchor}`" in doc
    params = _section(doc, "Parameters")
    assert params is not None, "no Parameters section"
    documented = _documented_names(params)
    missing = [p for p in inspect.signature(f).parameters if p not in documented]
    assert not missing, f"parameters not documented: {missing}"
    assert _section(doc, "Returns") is not None, "no Returns section"
    if row.anchor is not None:
        notes = _section(doc, "Notes")
        assert notes is not None and "Differences from" in notes, "no differences in Notes"
    assert "tests/" not in doc, "docstrings point only at what users have"
    assert _section(doc, "Examples") is not None, "no Examples section"


@needs_docstrings
@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_docstring_examples_run(row):
    _run_doctests(_catalog.function(row), row.qualname)


@needs_docstrings
def test_warmup_example_runs():
    if warmup.__doc__ and ">>>" in warmup.__doc__:
        _run_doctests(warmup, "warmup")


def test_fill_doc_indents_and_tolerates_no_docstring():
    def f():
        pass
    # (assigned, not a docstring literal: the test also runs under -OO)
    f.__doc__ = "Summary.\n\n        Parameters\n        ----------\n        {cval}\n        "
    _docs.fill_doc(f)
    assert "\n        cval : scalar, optional\n            Value to fill" in f.__doc__

    def g():
        pass
    g.__doc__ = None  # python -OO
    assert _docs.fill_doc(g).__doc__ is None

    def h():
        pass
    h.__doc__ = "{no_such_text}"
    with pytest.raises(KeyError):
        _docs.fill_doc(h)


def test_readme_namespace_table_is_the_catalogs():
    from tools import blocks, readme_table
    with open(readme_table.README, encoding="utf-8") as fh:
        _, block, _ = blocks.split(fh.read(), *readme_table.MARKERS)
    assert block == readme_table.table(), (
        "README's namespace table is stale: run python tools/generate.py")


def test_readme_parity_table_is_the_catalogs():
    from tools import blocks, parity_table
    with open(parity_table.README, encoding="utf-8") as fh:
        _, block, _ = blocks.split(fh.read(), *parity_table.MARKERS)
    assert block == parity_table.table(), (
        "README's parity table is stale: run python tools/generate.py")
