"""The catalog: one row per public function.

Every place that needs the list of public functions reads it from here: the
namespace modules and the top-level re-exports, ``fastimg warmup``, the demo,
the cold-start benchmark, the signature tests and the benchmark report.  A new
family adds its own modules, its rows below, one test file and one benchmark
file, and edits nothing else.

A row's ``sample`` is a Python expression in ``f`` (the function: fastimg's,
or the anchor's of the same name) and ``x`` (a 2-D image), with the names of
:data:`SAMPLE_NAMES` (NumPy as ``np`` and a few kernels) in scope.  The same
expression runs fastimg and the anchor, so the demo and the cold-start
benchmark compare like with like.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np

__all__ = ["Row", "ROWS", "SAMPLE_NAMES", "COMMON_DTYPES", "rows", "function",
           "anchor_function", "sample_env", "populate_namespace", "namespaces",
           "top_level_names", "namespace_table", "write_readme_table"]

#: dtypes ``fastimg warmup`` compiles for unless a row narrows them.
COMMON_DTYPES = ("uint8", "uint16", "int16", "float32", "float64")

_W33 = np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]]) / 10.0
_K55 = np.array([[1.0, 0.0, 2.0, -1.0, 0.0], [0.0, 3.0, 1.0, 0.0, 1.0],
                 [2.0, 1.0, -4.0, 1.0, 0.0], [0.0, 1.0, 1.0, 2.0, 0.0],
                 [1.0, -1.0, 0.0, 0.0, 2.0]]) / 8.0

#: Names a sample expression may use besides ``f`` and ``x``.
SAMPLE_NAMES = {"np": np, "W33": _W33, "K55": _K55}


@dataclass(frozen=True)
class Row:
    """One public function."""

    name: str
    #: fastimg namespace module that exports it (``fastimg.<namespace>``)
    namespace: str
    #: family module that implements it (``fastimg.<family>``)
    family: str
    #: module of the anchor it stands in for (None: fastimg's own)
    anchor: str | None
    #: one typical call (see the module docstring)
    sample: str
    #: keyword-only parameters fastimg adds after the anchor's, in order
    extras: tuple = ("workers",)
    #: more calls ``fastimg warmup`` makes (other cores, outputs, options)
    warm: tuple = ()
    #: dtypes ``fastimg warmup`` runs the calls with
    dtypes: tuple = COMMON_DTYPES
    #: what the demo draws: an expression like ``sample`` (None: the sample)
    show: str | None = None


def _ndi(name, family, sample, warm=(), extras=("workers",)):
    return Row(name, "ndimage", family, "scipy.ndimage", sample, extras, warm)


ROWS = (
    # correlation: scipy.ndimage's general correlation and convolution
    _ndi("correlate", "correlation", "f(x, W33)",
         warm=("f(x, K55)", "f(x, W33, output=np.float64)", "f(x[None], W33[None])"),
         extras=("method", "workers")),
    _ndi("convolve", "correlation", "f(x, K55, mode='mirror')", extras=("method", "workers")),
    _ndi("correlate1d", "correlation", "f(x, [1.0, 2.0, 4.0], axis=0)",
         warm=("f(x, [1.0, 2.0, 4.0], axis=-1)",)),
    _ndi("convolve1d", "correlation", "f(x, [1.0, 2.0, 4.0, 1.0], axis=1)"),
    # separable: filters made of 1-D passes
    _ndi("gaussian_filter", "separable", "f(x, 2.0)",
         warm=("f(x, 1.0, output=np.float64)",)),
    _ndi("gaussian_filter1d", "separable", "f(x, 3.0)"),
    _ndi("uniform_filter", "separable", "f(x, 5)"),
    _ndi("uniform_filter1d", "separable", "f(x, 9, axis=0)"),
    _ndi("sobel", "separable", "f(x, 0)"),
    _ndi("prewitt", "separable", "f(x, 1)"),
    # signal2d: scipy.signal's 2-D convolution
    Row("convolve2d", "signal", "signal2d", "scipy.signal",
        "f(x, K55.astype(x.dtype), 'same', 'symm')", extras=("method", "workers"),
        warm=("f(x, np.ones((3, 3), dtype=int), 'same')",)),
    Row("correlate2d", "signal", "signal2d", "scipy.signal",
        "f(x, K55.astype(x.dtype), 'same')", extras=("method", "workers")),
    # linear: scikit-image's Gaussian and Sobel
    Row("gaussian", "filters", "linear", "skimage.filters", "f(x, 2.0)"),
    Row("sobel", "filters", "linear", "skimage.filters", "f(x)"),
    # histograms: scikit-image's histogram
    Row("histogram", "exposure", "histograms", "skimage.exposure", "f(x)[0]"),
    # threshold: Otsu's method
    Row("threshold_otsu", "filters", "threshold", "skimage.filters", "f(x)",
        extras=("mask", "workers"), show="x > f(x)", warm=("f(x.astype(np.int64))",)),
    Row("threshold_multiotsu", "filters", "threshold", "skimage.filters", "f(x)",
        extras=("mask", "workers"), show="np.digitize(x, f(x))",
        warm=("f(x, classes=2)", "f(x, classes=4)")),
    # intensity: point transforms
    Row("adjust_gamma", "exposure", "intensity", "skimage.exposure", "f(x, 0.45)",
        warm=("f(x, 2)",)),
    Row("adjust_log", "exposure", "intensity", "skimage.exposure", "f(x)",
        warm=("f(x, inv=True)",)),
    Row("invert", "util", "intensity", "skimage.util", "f(x)"),
    # edges: Canny (issue 9) -- rows go here
    Row("canny", "feature", "edges", "skimage.feature", "f(x, 2.0)",
        warm=("f(x, 1.0, mask=np.ones(x.shape, bool))", "f(x, 1.0, 0.6, 0.8, use_quantiles=True)"),
        dtypes=("uint8", "float32", "float64")),
    Row("canny_stages", "feature", "edges", None, "f(x, 2.0).edges", show="f(x, 2.0).magnitude",
        dtypes=("uint8", "float32")),
    Row("apply_hysteresis_threshold", "filters", "edges", "skimage.filters",
        "f(x, np.percentile(x, 70), np.percentile(x, 90))", extras=("connectivity",),
        dtypes=("uint8", "float32")),
    # hough: Hough transforms (issue 10) -- rows go here
    # (edge images are bool whatever x is, so one dtype warms every kernel;
    # the peak samples read x itself as a Hough space)
    Row("hough_line", "transform", "hough", "skimage.transform", "f(x > x.mean())[0]",
        dtypes=("uint8",), show="np.log1p(f(x > x.mean())[0])"),
    Row("hough_line_peaks", "transform", "hough", "skimage.transform",
        "f(x.astype(np.uint64), np.linspace(-1.5, 1.5, x.shape[1]), "
        "np.arange(x.shape[0]) - x.shape[0] / 2.0)[0]", extras=(),
        dtypes=("uint8", "float32"),
        # the second call filters a whole space >= 2**19 cells (threshold < 0)
        warm=("f(x.astype(np.float64), np.arange(x.shape[1]) * 1.0, "
              "np.arange(x.shape[0]) * 1.0)[0]",
              "f(np.tile(x, (9, 1)).astype(np.float64), np.arange(x.shape[1]) * 1.0, "
              "np.arange(9 * x.shape[0]) * 1.0, threshold=-1.0)[0]"),
        show="(lambda h: np.isin(np.arange(x.size).reshape(x.shape), "
             "np.round(h[2] + x.shape[0] / 2.0).astype(int) * x.shape[1] "
             "+ np.searchsorted(np.linspace(-1.5, 1.5, x.shape[1]), h[1])))"
             "(f(x.astype(np.uint64), np.linspace(-1.5, 1.5, x.shape[1]), "
             "np.arange(x.shape[0]) - x.shape[0] / 2.0))"),
    Row("hough_circle", "transform", "hough", "skimage.transform",
        "f(x > x.mean(), [4, 8])", dtypes=("uint8",),
        warm=("f(x > x.mean(), 3, normalize=False, full_output=True)",),
        show="f(x > x.mean(), [8])[0]"),
    Row("hough_circle_peaks", "transform", "hough", "skimage.transform",
        "f(x.astype(np.float64)[None], [5], 3, 3)[0]", dtypes=("uint8",),
        warm=("f(np.tile(x, (3, 3)).astype(np.float64)[None], [5])[0]",),
        show="(lambda p, m, t: ([m.__setitem__((np.clip(np.round(y + r * np.sin(t))"
             ".astype(int), 0, x.shape[0] - 1), np.clip(np.round(c + r * np.cos(t))"
             ".astype(int), 0, x.shape[1] - 1)), 1.0) for c, y, r in zip(*p[1:])], m)[1])"
             "(f(x.astype(np.float64)[None], [20], 10, 10, total_num_peaks=15), "
             "np.zeros(x.shape), np.linspace(0, 2 * np.pi, 128))"),
    Row("probabilistic_hough_line", "transform", "hough", "skimage.transform",
        "f(x > x.mean(), 10, 20, 3, rng=0)", extras=(), dtypes=("uint8",),
        show="(lambda L, m: ([m.__setitem__((np.linspace(a[1], b[1], 400).round()"
             ".astype(int), np.linspace(a[0], b[0], 400).round().astype(int)), 1.0) "
             "for a, b in L], m)[1])(f(x > x.mean(), 10, 20, 3, rng=0), np.zeros(x.shape))"),
    # a 24x24 crop keeps the O(n**3) ellipse search instant for warmup / demo
    Row("hough_ellipse", "transform", "hough", "skimage.transform",
        "f(x[:24, :24] >= x[:24, :24].max(), 2)", dtypes=("uint8",),
        show="(lambda r: np.histogram2d(r['yc'], r['xc'], bins=24, range=[[0, 24], "
             "[0, 24]])[0])(f(x[:24, :24] >= x[:24, :24].max(), 2))"),
    # fourier: frequency-domain filtering (issue 11) -- rows go here
    Row("butterworth", "filters", "fourier", "skimage.filters", "f(x, 0.05, False)",
        warm=("f(x, 0.05, True, 3.5, squared_butterworth=False)",),
        show="f(x, 0.02, True)"),
    Row("ideal_mask", "frequency", "fourier", None, "f(x.shape, cutoff_ratio=0.1)",
        extras=(), dtypes=("float64",),
        warm=("f(x.shape, 'bandpass', cutoff_pixels=(4, 20), layout='rfft')",)),
    Row("gaussian_mask", "frequency", "fourier", None, "f(x.shape, cutoff_ratio=0.1)",
        extras=(), dtypes=("float64",),
        warm=("f(x.shape, 'highpass', cutoff_pixels=10, layout='rfft')",)),
    Row("butterworth_mask", "frequency", "fourier", None, "f(x.shape, cutoff_ratio=0.1)",
        extras=(), dtypes=("float64",),
        warm=("f(x.shape, 'bandstop', cutoff_pixels=(4, 20), order=2.5, layout='rfft')",)),
    Row("frequency_filter", "frequency", "fourier", None,
        "f(x, 'gaussian', cutoff_ratio=0.05)", extras=(),
        warm=("f(x, 'ideal', cutoff_ratio=0.05)", "f(x, 'butterworth', cutoff_ratio=0.05)",
              "f(x, 'gaussian', 'highpass', cutoff_pixels=10)"),
        # the classic tour's grid: rows low-, high-, band-pass; columns ideal
        # (ringing), Gaussian, Butterworth; each tile scaled to 0..1
        show="np.block([[(lambda t: (t - t.min()) / max(np.ptp(t), 1e-12))"
             "(f(x, k, b, cutoff_ratio=c)) for k in ('ideal', 'gaussian', 'butterworth')] "
             "for b, c in (('lowpass', 0.05), ('highpass', 0.05), ('bandpass', (0.02, 0.1)))])"),
    # rank: median and rank filters (issue 12) -- rows go here
    _ndi("median_filter", "rank", "f(x, 5)", extras=("workers", "nan_policy"),
         warm=("f(x, 3)", "f(x, 15)")),
    _ndi("rank_filter", "rank", "f(x, 3, size=5)", extras=("workers", "nan_policy")),
    _ndi("percentile_filter", "rank", "f(x, 30, size=5)", extras=("workers", "nan_policy")),
    _ndi("minimum_filter", "rank", "f(x, 5)", extras=("workers", "nan_policy")),
    _ndi("maximum_filter", "rank", "f(x, 5)", extras=("workers", "nan_policy")),
    Row("median", "filters", "rank", "skimage.filters", "f(x, np.ones((5, 5)))",
        extras=("workers", "nan_policy")),
    Row("medfilt2d", "signal", "rank", "scipy.signal", "f(x, 5)",
        dtypes=("uint8", "float32", "float64")),
)


def rows(namespace: str | None = None, family: str | None = None) -> list:
    """The rows of one namespace and/or family, in catalog order."""
    return [r for r in ROWS if (namespace is None or r.namespace == namespace)
            and (family is None or r.family == family)]


def _row(qualname: str) -> Row:
    """The row of ``'namespace.name'`` (e.g. ``'ndimage.sobel'``)."""
    ns, _, name = qualname.rpartition(".")
    for r in ROWS:
        if r.name == name and r.namespace == ns:
            return r
    raise KeyError(f"no catalog row {qualname!r}")


def function(row: Row):
    """fastimg's implementation of ``row`` (from its family module)."""
    return getattr(importlib.import_module(f"fastimg._{row.family}"), row.name)


def anchor_function(row: Row):
    """The anchor's function (imports SciPy or scikit-image)."""
    return getattr(importlib.import_module(row.anchor), row.name)


def sample_env(f, x) -> dict:
    """Globals for evaluating a sample expression."""
    return dict(SAMPLE_NAMES, f=f, x=x)


def populate_namespace(module_name: str, namespace: dict) -> list:
    """Make a namespace module lazy; returns its ``__all__``.

    The module gets a ``__getattr__`` that imports a function's family the
    first time the function is looked up (and keeps it in the module), and
    a ``__dir__`` listing every function.  ``import fastimg`` therefore loads
    no kernel module: a script pays only for the families it calls.
    """
    ns = module_name.rpartition(".")[2]
    table = {r.name: r for r in rows(ns)}

    def __getattr__(name):
        row = table.get(name)
        if row is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        fn = function(row)
        namespace[name] = fn  # later lookups skip __getattr__
        return fn

    def __dir__():
        return sorted(set(namespace) | set(table))

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
    return list(table)


def namespaces() -> list:
    """The namespace modules, in catalog order."""
    return list(dict.fromkeys(r.namespace for r in ROWS))


def top_level_names() -> dict:
    """name -> row for every name exported by exactly one namespace (names
    such as ``sobel`` mean different things in two anchors and stay in their
    namespaces)."""
    seen: dict = {}
    for r in ROWS:
        seen.setdefault(r.name, []).append(r)
    return {name: rs[0] for name, rs in seen.items() if len(rs) == 1}


#: Markers around the generated namespace table in README.md.
README_TABLE_MARKERS = ("<!-- namespaces:start -->", "<!-- namespaces:end -->")


def namespace_table() -> str:
    """The README's table of namespaces, their anchors and functions
    (Markdown), generated from the rows: fastimg's own functions are marked."""
    lines = ["| fastimg | mirrors | functions |", "|---|---|---|"]
    for ns in namespaces():
        rs = rows(ns)
        anchors = list(dict.fromkeys(r.anchor for r in rs if r.anchor))
        mirrors = ", ".join(f"`{a}`" for a in anchors) or "(fastimg's own)"
        names = ", ".join(f"`{r.name}`" + ("" if r.anchor or not anchors else " (own)")
                          for r in rs)
        lines.append(f"| `fastimg.{ns}` | {mirrors} | {names} |")
    return "\n".join(lines)


def write_readme_table(path: str = "README.md") -> None:
    """Replace the table between :data:`README_TABLE_MARKERS` in ``path``."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    start, end = README_TABLE_MARKERS
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{head}{start}\n{namespace_table()}\n{end}{tail}")
