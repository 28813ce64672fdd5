"""pytest plugin: run the anchors' own test suites against fastimg.

``python -m pytest -p fastimg_patch --pyargs scipy.ndimage.tests.test_filters``
(with this folder on ``sys.path``) replaces, before the tests are imported,
each public function fastimg mirrors (and every reference to it inside SciPy's
modules, e.g. ``scipy.ndimage._filters.correlate`` used by ``gaussian_laplace``)
with fastimg's.  The anchors' tests then check fastimg.  Nothing is copied
from SciPy: its tests run from the installed wheel.
"""
import importlib
import sys

TARGETS = {
    "scipy.ndimage": ("fastimg.ndimage",
                      ["correlate", "convolve", "correlate1d", "convolve1d",
                       "gaussian_filter", "gaussian_filter1d", "uniform_filter",
                       "uniform_filter1d", "sobel", "prewitt"]),
    "scipy.signal": ("fastimg.signal", ["convolve2d", "correlate2d"]),
}
PATCHED = []


def _patch():
    from scipy._lib import _array_api
    table = _array_api.xp_capabilities_table  # keyed by function object
    for anchor, (ours, names) in TARGETS.items():
        a = importlib.import_module(anchor)
        f = importlib.import_module(ours)
        originals = {id(getattr(a, n)): getattr(f, n) for n in names}
        for n in names:  # the test decorators look functions up in this table
            if getattr(a, n) in table:
                table[getattr(f, n)] = table[getattr(a, n)]
        for modname, mod in list(sys.modules.items()):
            if not modname.startswith(anchor) or mod is None:
                continue
            for attr, value in list(vars(mod).items()):
                repl = originals.get(id(value))
                if repl is not None:
                    setattr(mod, attr, repl)
                    PATCHED.append(f"{modname}.{attr}")


def pytest_configure(config):
    importlib.import_module("scipy.ndimage._filters")
    importlib.import_module("scipy.signal._signaltools")
    _patch()


def pytest_report_header(config):
    return f"fastimg_patch: {len(PATCHED)} references replaced by fastimg functions"
