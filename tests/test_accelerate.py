"""Zero-code acceleration: ``fastimg.accelerate()``, ``python -m fastimg
script.py`` and ``%load_ext fastimg`` (``fastimg._accelerate``).

Every accelerated program runs in a subprocess, so this process keeps the
anchors' own functions: the references below are the anchors called here.
"""
import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.ndimage
import skimage.feature
import skimage.filters
import skimage.morphology
import skimage.segmentation
import skimage.transform

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
X = np.random.default_rng(0).random((32, 32)).astype(np.float32)
#: a report row: function, then kernels, anchor tier, original, internal calls
ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+$", re.MULTILINE)


def _env(mode="foreground"):
    env = dict(os.environ, PYTHONPATH=REPO)
    env.pop("FASTIMG_JIT", None)
    if mode is not None:
        env["FASTIMG_JIT"] = mode
    return env


def _python(args, tmp_path, mode="foreground", timeout=300):
    return subprocess.run([sys.executable, *args], cwd=tmp_path, env=_env(mode),
                          capture_output=True, text=True, timeout=timeout)


def _fastimg(args, tmp_path, mode="foreground", timeout=300):
    return _python(["-m", "fastimg", *args], tmp_path, mode, timeout)


def _script(tmp_path, text, name="script.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def _report(stderr):
    """function -> {kind: calls} from the report's table."""
    assert "fastimg accelerate report:" in stderr, stderr
    return {m[1]: dict(zip(("kernels", "anchor tier", "original", "internal"),
                           map(int, m.groups()[1:])))
            for m in ROW.finditer(stderr)}


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


FIVE_STYLES = """\
    import json
    import sys
    import numpy as np
    from skimage import feature                  # imported before accelerate
    feature.peak_local_max                       # resolved before accelerate
    import fastimg
    fastimg.accelerate(report=True)
    fastimg.accelerate(report=True)              # idempotent
    from scipy import ndimage
    import scipy.ndimage as ndi
    from skimage.filters import gaussian
    import skimage as ski
    x = np.load("x.npy")
    out = {
        "gaussian_filter": ndimage.gaussian_filter(x, 1.5),
        "median_filter": ndi.median_filter(x, 3),
        "gaussian": gaussian(x, sigma=2),
        "threshold_otsu": np.asarray(ski.filters.threshold_otsu(x)),
        "resize": ski.transform.resize(x, (20, 24)),
        "dilation": ski.morphology.dilation(x),
        "canny": feature.canny(x, sigma=1.0),
        "peak_local_max": feature.peak_local_max(x, min_distance=3),
    }
    np.savez("out.npz", **out)
    json.dump({"modules": [f.__module__ for f in (ndimage.gaussian_filter, gaussian,
               ski.filters.threshold_otsu, feature.canny, feature.peak_local_max)]},
              sys.stdout)
"""

REFERENCES = {
    "gaussian_filter": lambda x: scipy.ndimage.gaussian_filter(x, 1.5),
    "median_filter": lambda x: scipy.ndimage.median_filter(x, 3),
    "gaussian": lambda x: skimage.filters.gaussian(x, sigma=2),
    "threshold_otsu": lambda x: np.asarray(skimage.filters.threshold_otsu(x)),
    "resize": lambda x: skimage.transform.resize(x, (20, 24)),
    "dilation": lambda x: skimage.morphology.dilation(x),
    "canny": lambda x: skimage.feature.canny(x, sigma=1.0),
    "peak_local_max": lambda x: skimage.feature.peak_local_max(x, min_distance=3),
}
FUNCTIONS = ["scipy.ndimage.gaussian_filter", "scipy.ndimage.median_filter",
             "skimage.filters.gaussian", "skimage.filters.threshold_otsu",
             "skimage.transform.resize", "skimage.morphology.dilation",
             "skimage.feature.canny", "skimage.feature.peak_local_max"]


@pytest.mark.parametrize("mode", ["foreground", "background", "anchor"])
def test_five_import_styles_are_served_by_fastimg(tmp_path, mode):
    np.save(tmp_path / "x.npy", X)
    _script(tmp_path, FIVE_STYLES)
    r = _python(["script.py"], tmp_path, mode)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["modules"] == [
        "scipy.ndimage", "skimage.filters", "skimage.filters", "skimage.feature",
        "skimage.feature"]
    got = np.load(tmp_path / "out.npz")
    for name, ref in REFERENCES.items():
        assert _same(got[name], ref(X)), name
    rows = _report(r.stderr)
    assert set(FUNCTIONS) <= set(rows), r.stderr
    # the rest: calls from inside the anchors (skimage's dilation asks
    # scipy.ndimage.generate_binary_structure), left to the originals
    for fn in set(rows) - set(FUNCTIONS):
        assert rows[fn]["kernels"] == rows[fn]["anchor tier"] == rows[fn]["original"] == 0
    for fn in FUNCTIONS:
        # (internal calls: the anchors calling each other, when they answer)
        assert rows[fn]["original"] == 0, (fn, r.stderr)
        assert rows[fn]["kernels"] + rows[fn]["anchor tier"] == 1, (fn, r.stderr)
    tiers = {kind: sum(row[kind] for row in rows.values()) for kind in ("kernels", "anchor tier")}
    if mode == "foreground":
        assert tiers["kernels"] == len(FUNCTIONS), r.stderr
    elif mode == "anchor":
        assert tiers["anchor tier"] == len(FUNCTIONS), r.stderr
    else:
        # first calls in a fresh process: the anchor answers through
        # fastimg's tier (compiling, or compiled elsewhere and not loaded
        # yet), and the proxy does not call itself back
        assert tiers["anchor tier"] >= 1, r.stderr


def test_an_unsupported_call_goes_to_the_original(tmp_path):
    _script(tmp_path, """\
        import pickle
        import numpy as np
        import fastimg
        import fastimg._morphology.footprints as footprints
        fastimg.accelerate(report=True)
        from skimage.morphology import disk

        def unsupported(radius, dtype):  # stands for a call fastimg cannot serve
            raise NotImplementedError("disk(decomposition='sequence') unsupported here")

        footprints._disk_sequence = unsupported
        seq = disk(3, decomposition="sequence")
        pickle.dump(seq, open("seq.pkl", "wb"))
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    import pickle
    with open(tmp_path / "seq.pkl", "rb") as fh:
        seq = pickle.load(fh)
    ref = skimage.morphology.disk(3, decomposition="sequence")
    assert len(seq) == len(ref)
    for (a, n), (b, m) in zip(seq, ref):
        assert _same(a, b) and n == m
    rows = _report(r.stderr)
    assert rows["skimage.morphology.disk"]["original"] == 1, r.stderr
    assert "skimage.morphology.disk: 1 x NotImplementedError: disk(decomposition=" in r.stderr


def test_a_call_both_reject_raises_the_anchors_own_error(tmp_path):
    _script(tmp_path, """\
        import numpy as np
        import fastimg
        fastimg.accelerate(report=True)
        from skimage import feature
        try:
            feature.canny(np.zeros((8, 8), np.int64))
        except ValueError as exc:
            print(repr(str(exc)), exc.__context__ is None and exc.__cause__ is None)
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    with pytest.raises(ValueError) as anchor:
        skimage.feature.canny(np.zeros((8, 8), np.int64))
    assert r.stdout.strip() == f"{str(anchor.value)!r} True"
    assert _report(r.stderr)["skimage.feature.canny"]["original"] == 1
    assert "(the original raised too)" in r.stderr


def test_calls_from_inside_the_anchors_keep_their_own_functions(tmp_path):
    np.save(tmp_path / "x.npy", X)
    _script(tmp_path, """\
        import json
        import numpy as np
        import fastimg
        from fastimg._accelerate.patch import is_proxy
        fastimg.accelerate(report=True)
        import scipy.ndimage
        import scipy.ndimage._filters as private
        from skimage.segmentation import find_boundaries
        import skimage.segmentation.boundaries as boundaries
        x = np.load("x.npy")
        lab = np.zeros((16, 16), np.int64)
        lab[4:10, 3:9] = 1
        lab[10:14, 9:15] = 2
        np.savez("out.npz", fb=find_boundaries(lab, mode="thick"),
                 gl=scipy.ndimage.gaussian_laplace(x, 1.0))
        json.dump({"private": private.gaussian_filter is scipy.ndimage.gaussian_filter.__wrapped__,
                   "bound": is_proxy(boundaries.dilation)}, open("checks.json", "w"))
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    # the private module keeps the original; a private module that imported
    # the public name after accelerate() holds the proxy, whose calls from
    # there go to the original
    assert json.loads((tmp_path / "checks.json").read_text()) == {"private": True,
                                                                   "bound": True}
    got = np.load(tmp_path / "out.npz")
    lab = np.zeros((16, 16), np.int64)
    lab[4:10, 3:9] = 1
    lab[10:14, 9:15] = 2
    assert _same(got["fb"], skimage.segmentation.find_boundaries(lab, mode="thick"))
    assert _same(got["gl"], scipy.ndimage.gaussian_laplace(X, 1.0))
    rows = _report(r.stderr)
    assert "scipy.ndimage.gaussian_filter" not in rows, r.stderr
    dilation = rows["skimage.morphology.dilation"]
    assert dilation["internal"] >= 1 and dilation["kernels"] == dilation["original"] == 0


def test_proxies_look_like_the_originals(tmp_path):
    _script(tmp_path, """\
        import inspect
        import pickle
        import fastimg
        from fastimg._accelerate import deaccelerate
        import scipy.ndimage as ndi
        import skimage.filters as skf
        before = (ndi.gaussian_filter, skf.gaussian)
        fastimg.accelerate()
        after = (ndi.gaussian_filter, skf.gaussian)
        checks = [a is not b for a, b in zip(before, after)]
        checks += [inspect.signature(a) == inspect.signature(b) for a, b in zip(before, after)]
        checks += [a.__doc__ == b.__doc__ and a.__name__ == b.__name__
                   for a, b in zip(before, after)]
        checks += [pickle.loads(pickle.dumps(f)) is f for f in after]
        deaccelerate()
        deaccelerate()
        checks += [ndi.gaussian_filter is before[0], skf.gaussian is before[1]]
        from skimage.filters import gaussian
        checks.append(gaussian is before[1])
        print(checks)
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str([True] * 11)


def test_public_submodules_get_the_same_proxies(tmp_path):
    np.save(tmp_path / "x.npy", X)
    _script(tmp_path, """\
        import numpy as np
        import skimage.morphology.gray as gray         # imported before accelerate
        import fastimg
        from fastimg._accelerate import deaccelerate
        from fastimg._accelerate.patch import is_proxy
        original = gray.dilation
        fastimg.accelerate(report=True)
        from skimage.filters.thresholding import threshold_otsu
        import skimage.filters
        import skimage.morphology
        import warnings
        import scipy.ndimage
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from scipy.ndimage.filters import gaussian_filter   # deprecated, still public
        x = np.load("x.npy")
        checks = [is_proxy(threshold_otsu), threshold_otsu is skimage.filters.threshold_otsu,
                  gray.dilation is skimage.morphology.dilation, is_proxy(gray.dilation),
                  gaussian_filter is scipy.ndimage.gaussian_filter]
        np.save("otsu.npy", threshold_otsu(x))
        np.save("opening.npy", gray.opening(x))     # calls dilation inside gray
        deaccelerate()
        checks += [gray.dilation is original,
                   not is_proxy(skimage.filters.thresholding.threshold_otsu)]
        print(checks)
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str([True] * 7)
    assert _same(np.load(tmp_path / "otsu.npy"), np.asarray(skimage.filters.threshold_otsu(X)))
    assert _same(np.load(tmp_path / "opening.npy"), skimage.morphology.opening(X))
    rows = _report(r.stderr)
    assert rows["skimage.filters.threshold_otsu"]["kernels"] == 1
    # opening itself is fastimg's; no call of the anchors' went to fastimg
    # from inside skimage.morphology.gray
    assert rows["skimage.morphology.opening"]["kernels"] == 1
    assert "skimage.morphology.dilation" not in rows or \
        rows["skimage.morphology.dilation"]["kernels"] == 0


def test_python_dash_m_fastimg_runs_a_script(tmp_path):
    (tmp_path / "sub").mkdir()
    _script(tmp_path, """\
        import json
        import sys
        import numpy as np
        from scipy import ndimage
        print(json.dumps([__name__, sys.argv, sys.path[0]]))
        ndimage.uniform_filter(np.eye(6), 3)
        sys.exit(int(sys.argv[1]))
    """, "sub/prog.py")
    r = _fastimg(["--report", "sub/prog.py", "7", "--flag"], tmp_path)
    assert r.returncode == 7, r.stderr
    assert json.loads(r.stdout) == ["__main__", ["sub/prog.py", "7", "--flag"],
                                    os.path.realpath(tmp_path / "sub")]
    assert _report(r.stderr)["scipy.ndimage.uniform_filter"]["kernels"] == 1


def test_python_dash_m_fastimg_runs_a_module(tmp_path):
    (tmp_path / "mymod.py").write_text(textwrap.dedent("""\
        import sys
        import scipy.ndimage
        print(__name__, sys.argv[1:], scipy.ndimage.sobel.__module__)
        raise SystemExit(3)
    """))
    r = _fastimg(["-m", "mymod", "a", "b"], tmp_path)
    assert (r.returncode, r.stdout.split()) == (3, ["__main__", "['a',", "'b']", "scipy.ndimage"])
    assert "accelerate report" not in r.stderr


def test_the_scripts_own_error_is_shown_as_python_shows_it(tmp_path):
    _script(tmp_path, "def f():\n    raise KeyError('boom')\n\nf()\n")
    r = _fastimg(["script.py"], tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("Traceback (most recent call last):\n")
    assert "fastimg" not in r.stderr and "runpy" not in r.stderr
    assert r.stderr.rstrip().endswith("KeyError: 'boom'")


@pytest.mark.parametrize("args,status,message", [
    (["missing.py"], 2, "fastimg: can't open file 'missing.py': no such file"),
    (["-m", "no_such_module_xyz"], 1, "fastimg: no module named 'no_such_module_xyz'"),
    (["-m"], 2, "fastimg: -m needs a module name"),
    (["--report", "info"], 2, "fastimg: --report applies to a script or -m module"),
    # neither a script nor a command: the command line's own message
    (["nope"], 2, "fastimg: error: argument <command>: invalid choice: 'nope'"),
])
def test_bad_targets_are_one_line(tmp_path, args, status, message):
    r = _fastimg(args, tmp_path)
    assert r.returncode == status
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith(message), r.stderr


def test_commands_still_reach_the_command_line(tmp_path):
    r = _fastimg(["info"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "fastimg" in r.stdout
    r = _fastimg(["--help"], tmp_path)
    assert r.returncode == 0 and "python -m fastimg [--report] script.py" in r.stdout


def test_ipython_extension_accelerates_the_session(tmp_path):
    _script(tmp_path, """\
        import fastimg
        import scipy.ndimage
        fastimg.load_ipython_extension(object())
        a = scipy.ndimage.median_filter.__module__
        fastimg.unload_ipython_extension(object())
        print(a, scipy.ndimage.median_filter.__module__)
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["scipy.ndimage", "scipy.ndimage._filters"]


def test_docstring_examples_run(tmp_path):
    # in a subprocess: the examples accelerate the process they run in
    _script(tmp_path, """\
        import doctest
        import fastimg
        from fastimg._accelerate import ipython
        runner = doctest.DocTestRunner()
        for obj in (fastimg.accelerate, ipython.load_ipython_extension,
                    ipython.unload_ipython_extension):
            for t in doctest.DocTestFinder(recurse=False).find(obj, obj.__name__, globs={}):
                assert t.examples
                runner.run(t)
        print("ok" if runner.summarize(verbose=False).failed == 0 else "failed")
    """)
    r = _python(["script.py"], tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stdout + r.stderr


def _suite(tmp_path, *args, cwd=None):
    """An anchor's own tests under ``python -m fastimg --report -m pytest``:
    they pass, fastimg's kernels served calls, and every call sent to the
    original was one the original rejects too (the tests of its errors)."""
    env = dict(_env("foreground"), SCIPY_AVAILABLE_MEM="1G")
    r = subprocess.run([sys.executable, "-m", "fastimg", "--report", "-m", "pytest", "-q",
                        "-p", "no:cacheprovider", "-o", "addopts=", *args],
                       cwd=cwd or tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    assert " passed" in r.stdout
    rows = _report(r.stderr)
    served = sum(row["kernels"] for row in rows.values())
    reasons = [line for line in r.stderr.splitlines() if line.startswith("  ") and " x " in line]
    assert all(line.endswith("(the original raised too)") for line in reasons), reasons
    return rows, served


@pytest.mark.slow
@pytest.mark.parametrize("module,selection,least", [
    ("scipy.ndimage.tests.test_filters", [], 6000),
    ("scipy.ndimage.tests.test_morphology", [], 2000),
    ("scipy.ndimage.tests.test_measurements", [], 500),
    ("scipy.ndimage.tests.test_interpolation", [], 900),
    ("scipy.signal.tests.test_signaltools", ["-k", "2d or 2D or MedFilt or medfilt"], 40),
])
def test_scipys_own_tests_pass_under_python_dash_m_fastimg(tmp_path, module, selection, least):
    rows, served = _suite(tmp_path, "--pyargs", module, *selection)
    assert served >= least, rows


SKIMAGE_TESTS = os.environ.get("FASTIMG_SKIMAGE_TESTS")


@pytest.mark.slow
@pytest.mark.skipif(not SKIMAGE_TESTS, reason="set FASTIMG_SKIMAGE_TESTS to the tests/skimage "
                    "folder of a scikit-image v0.26.0 checkout to run its own tests")
def test_skimages_own_tests_pass_under_python_dash_m_fastimg(tmp_path):
    # the files for the functions fastimg mirrors (filters, feature, morphology ...)
    from test_anchor_suites import SKIMAGE_FILES
    # its top-level conftest needs pytest-pretty: stop conftest lookup there
    rows, served = _suite(tmp_path, "--confcutdir", SKIMAGE_TESTS, *SKIMAGE_FILES,
                          cwd=SKIMAGE_TESTS)
    assert served > 2000, rows
    # the functions imported from public submodules (skimage.filters.thresholding) too
    for fn in ("skimage.filters.threshold_otsu", "skimage.filters.gaussian",
               "skimage.feature.canny", "skimage.feature.peak_local_max"):
        assert rows[fn]["kernels"] > 0, rows


def test_a_script_sees_what_python_script_py_gives_it(tmp_path):
    # __file__, __name__, sys.argv, sys.path[0] (a module next to the script
    # imports) and the exit status, against plain python on the same script
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "neighbour.py").write_text("VALUE = 42\n")
    _script(tmp_path, """\
        import json, os, sys
        import neighbour
        os.chdir(os.path.dirname(__file__))      # files next to the script stay found
        print(json.dumps([__file__, __name__, sys.argv, sys.path[0], neighbour.VALUE,
                          os.path.exists(os.path.basename(__file__))]))
        sys.exit(3)
    """, "sub/prog.py")
    ours = _fastimg(["sub/prog.py", "x"], tmp_path)
    plain = _python(["sub/prog.py", "x"], tmp_path)
    assert (ours.returncode, plain.returncode) == (3, 3), ours.stderr + plain.stderr
    assert json.loads(ours.stdout) == json.loads(plain.stdout)


_CHILDREN = """\
    import multiprocessing as mp
    import sys
    from scipy import ndimage

    def served(_):
        return getattr(ndimage.gaussian_filter, "_fastimg_row", None) is not None

    if __name__ == "__main__":
        with mp.get_context(sys.argv[1]).Pool(1) as pool:
            print(served(0), pool.map(served, [0])[0])
"""


@pytest.mark.parametrize("method,child", [("fork", "True"), ("spawn", "False")])
def test_child_processes_as_the_readme_says(tmp_path, method, child):
    # fork children inherit the proxies; spawn children import the originals
    _script(tmp_path, _CHILDREN)
    r = _fastimg(["script.py", method], tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", child]


def test_the_report_heads_with_the_programs_own_calls(tmp_path):
    # calls from inside the anchors are counted apart, not as the program's
    _script(tmp_path, """\
        import warnings
        import numpy as np
        from scipy import ndimage
        from skimage import morphology
        warnings.simplefilter("ignore")                   # binary_erosion is deprecated
        morphology.binary_erosion(np.eye(8, dtype=bool))   # scikit-image calls SciPy
        ndimage.uniform_filter(np.eye(6), 3)
    """)
    r = _fastimg(["--report", "script.py"], tmp_path)
    assert r.returncode == 0, r.stderr
    head = next(line for line in r.stderr.splitlines()
                if line.startswith("fastimg accelerate report:"))
    rows = _report(r.stderr)
    program = sum(v for k, kinds in rows.items() for kind, v in kinds.items()
                  if kind != "internal")
    inside = sum(kinds["internal"] for kinds in rows.values())
    assert inside >= 1, r.stderr
    assert head.startswith(f"fastimg accelerate report: {program} call"), head
    assert f"{inside} call{'s' * (inside != 1)} from inside" in head, head


def test_python_dash_m_fastimg_dash_c_runs_code_as_python_dash_c(tmp_path):
    code = ("import sys, numpy as np; from scipy import ndimage; "
            "print(sys.argv, sys.path[0]); ndimage.sobel(np.eye(4))")
    ours = _fastimg(["--report", "-c", code, "a"], tmp_path)
    plain = _python(["-c", code, "a"], tmp_path)
    assert ours.returncode == plain.returncode == 0, ours.stderr
    assert ours.stdout == plain.stdout
    assert _report(ours.stderr)["scipy.ndimage.sobel"]["kernels"] == 1
    r = _fastimg(["-c"], tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == \
        "fastimg: -c needs the code to run (python -m fastimg -c code [args])"
