"""pytest plugin: run the anchors' own test suites against fastimg.

``python -m pytest -p fastimg_patch --pyargs scipy.ndimage.tests.test_filters``
(with this folder and the repository on ``sys.path``) replaces, before the
tests are imported, each public function fastimg mirrors (and every reference
to it inside the anchor's modules, e.g. ``scipy.ndimage._filters.correlate``
used by ``gaussian_laplace``) with fastimg's.  The anchors' tests then check
fastimg.  Nothing is copied from the anchors: SciPy's tests run from the
installed wheel, scikit-image's from its source tree.

``FASTIMG_ANCHORS`` names the anchors to patch: ``scipy`` (default),
``skimage``, or both (``scipy,skimage``).  What is patched comes from the
catalog (``fastimg._core.catalog``): every row with an anchor, grouped by the
anchor's module.
"""
import importlib
import os
import sys

from fastimg._accelerate import patch as _accelerate


def _targets():
    """From the catalog (as ``fastimg.accelerate()`` reads it): anchor top
    package (``scipy``, ``skimage``) -> anchor module -> (fastimg namespace
    module, names), e.g. ``'scipy.ndimage'`` -> ``('fastimg.ndimage',
    ['correlate', ...])``.  Rows without an anchor (fastimg's own functions)
    have no suite to run."""
    targets = {}
    for anchor, rows in _accelerate.targets().items():
        ours = {f"fastimg.{row.namespace}" for row in rows.values()}
        assert len(ours) == 1, f"{anchor} is mirrored by {sorted(ours)}"
        targets.setdefault(anchor.split(".")[0], {})[anchor] = (ours.pop(), list(rows))
    return targets


TARGETS = _targets()
PATCHED = []


def _scipy_tables(targets):
    """SciPy's test decorators look functions up in its capabilities table
    (keyed by function object): give fastimg's functions the same entries."""
    importlib.import_module("scipy.ndimage._filters")
    importlib.import_module("scipy.signal._signaltools")
    from scipy._lib import _array_api
    table = _array_api.xp_capabilities_table
    for anchor, (ours, names) in targets.items():
        a = importlib.import_module(anchor)
        f = importlib.import_module(ours)
        for n in names:
            if getattr(a, n) in table:
                table[getattr(f, n)] = table[getattr(a, n)]


def _patch(targets):
    for anchor, (ours, names) in targets.items():
        a = importlib.import_module(anchor)
        f = importlib.import_module(ours)
        # getattr also loads the defining submodule of a lazily loaded package
        originals = {id(getattr(a, n)): getattr(f, n) for n in names}
        for modname, mod in list(sys.modules.items()):
            if not modname.startswith(anchor.split(".")[0] + ".") or mod is None:
                continue
            for attr, value in list(vars(mod).items()):
                repl = originals.get(id(value))
                if repl is not None:
                    setattr(mod, attr, repl)
                    PATCHED.append(f"{modname}.{attr}")


def pytest_configure(config):
    for family in os.environ.get("FASTIMG_ANCHORS", "scipy").split(","):
        targets = TARGETS[family.strip()]
        if family.strip() == "scipy":
            _scipy_tables(targets)
        _patch(targets)


def pytest_report_header(config):
    return f"fastimg_patch: {len(PATCHED)} references replaced by fastimg functions"
