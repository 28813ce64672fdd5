"""Policy checks: one JIT policy, a small closed set of specialisations, the
anchors' signatures (every catalog row), a layout where namespaces only
re-export, and caching that never breaks an import."""
import ast
import importlib
import inspect
import os
import pathlib
import pkgutil
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest

import fastimg
from fastimg._core import catalog as _catalog, jit as _jit
from fastimg import filters as F
from fastimg import ndimage as N
from fastimg import signal as S

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _fastimg_modules():
    """Every module of the package (imported), but ``__main__`` (it runs the CLI)."""
    for info in pkgutil.walk_packages(fastimg.__path__, "fastimg."):
        if info.name != "fastimg.__main__":
            yield importlib.import_module(info.name)


def _kernel_dispatchers():
    found = []
    for m in _fastimg_modules():
        for name, obj in vars(m).items():
            if (isinstance(obj, numba.core.registry.CPUDispatcher)
                    and obj.py_func.__module__ == m.__name__):
                found.append((f"{m.__name__}.{name}", obj))
    return found


def test_every_kernel_comes_from_jit_with_the_agreed_options():
    kernels = _kernel_dispatchers()
    assert len(kernels) >= 10
    registry = set(map(id, _jit.REGISTRY))
    for name, disp in kernels:
        assert id(disp) in registry, f"{name} was not created through fastimg._jit"
        opts = disp.targetoptions
        assert opts.get("nogil") is True, name
        assert opts.get("error_model") == "numpy", name
        assert not opts.get("fastmath"), name
    # overloads are inlined into the kernels that call them: the same options
    for py_func, options in _jit.OVERLOADS:
        assert options == _jit.OVERLOAD_OPTIONS, py_func.__qualname__
        assert options["nogil"] is True and options["error_model"] == "numpy"
    # kernels live in the families' and the shared package's kernel modules:
    # public modules and wrapper modules define none
    for name, _ in kernels:
        module = name.rsplit(".", 1)[0]
        assert module.split(".")[1].startswith("_"), name
        assert module.endswith(("kernels", "networks", "_core.cast")), name


def test_no_dispatcher_is_created_per_call():
    before = len(_jit.REGISTRY)
    x = np.ones((20, 20), np.float32)
    N.gaussian_filter(x, 1)
    N.correlate(x, np.ones((3, 3)))
    S.convolve2d(x, np.ones((2, 2), np.float32))
    assert len(_jit.REGISTRY) == before


def test_specialisations_stay_few_after_odd_inputs():
    rng = np.random.default_rng(0)
    base = rng.random((40, 30)) * 100
    odd = [base.astype(dt) for dt in ("int8", "uint8", "int16", "uint16", "int32", "uint32",
                                      "int64", "uint64", "float32", "float64", "bool")]
    ro = base.astype(np.float32)
    ro.flags.writeable = False
    odd += [base.astype(">f8"), base.astype(">u2"), np.asfortranarray(base),
            base[::-1, ::2], base.astype(np.float32)[::2], ro]
    for x in odd:
        for out in (None, np.float64, np.int32, np.uint8, np.int64):
            N.correlate(x, np.ones((3, 2)), output=out)
            N.gaussian_filter(x, 1.0, output=out)
            N.uniform_filter(x, 3, output=out)
            N.correlate1d(x, [1, 2, 3], axis=0, output=out)
        F.gaussian(x, 1.0)
        if x.dtype != bool:  # (SciPy has no bool convolve2d)
            S.convolve2d(x, np.ones((2, 3), x.dtype), "same", "symm")
    from numba.core import types
    for name, disp in _kernel_dispatchers():
        # 4 kernel input dtypes x 6 kernel output dtypes is the hard ceiling;
        # the odd inputs above must not push any kernel beyond it.  A tuple
        # argument is a compile-time constant chosen on purpose (the
        # interpolation kernels' spline order, one specialisation per order):
        # the ceiling holds for each such constant
        per_constant = {}
        for sig in disp.signatures:
            key = tuple(a for a in sig if isinstance(a, types.BaseTuple))
            per_constant[key] = per_constant.get(key, 0) + 1
        assert max(per_constant.values(), default=0) <= 24, (name, disp.signatures)


def _fastimg_sources():
    """(path, syntax tree) of every module of the package but ``_core/jit.py``."""
    root = pathlib.Path(fastimg.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() != "_core/jit.py":
            yield path.relative_to(root).as_posix(), ast.parse(path.read_text(), str(path))


def test_no_overload_outside_jit():
    """Only ``_jit`` imports Numba's ``overload`` (and passes ``jit_options``);
    every ``@overload(f)`` elsewhere is ``_jit.overload`` and is registered in
    ``_jit.OVERLOADS``."""
    list(_fastimg_modules())
    decorated = set()
    for name, tree in _fastimg_sources():
        from_jit = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                assert "extending" not in module, (name, module)
                if module.startswith("numba"):
                    assert not any(a.name == "extending" or a.name.startswith("overload")
                                   for a in node.names), (name, module)
                if module.lstrip(".") in ("jit", "_core.jit", "fastimg._core.jit"):
                    from_jit |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                assert not any("extending" in a.name for a in node.names), name
            elif isinstance(node, ast.Attribute):
                assert node.attr not in ("extending", "overload") or (
                    isinstance(node.value, ast.Name) and node.value.id == "_jit"), (
                    name, ast.unparse(node))
            elif isinstance(node, ast.keyword):
                assert node.arg != "jit_options", name
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for dec in node.decorator_list:
                call = dec.func if isinstance(dec, ast.Call) else dec
                label = ast.unparse(call)
                if label.split(".")[-1] != "overload":
                    continue
                assert label == "_jit.overload" or (label == "overload" and "overload" in from_jit), (
                    name, node.name, label)
                assert isinstance(dec, ast.Call) and dec.args, (name, node.name)
                decorated.add(ast.unparse(dec.args[0]).split(".")[-1])
    assert decorated == {py_func.__name__ for py_func, _ in _jit.OVERLOADS}


def _params(fn):
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("row", _catalog.ROWS, ids=lambda row: f"{row.namespace}.{row.name}")
def test_catalog_function_importable_with_the_anchors_signature(row):
    ours = _catalog.function(row)
    public = _catalog.public(row)
    assert getattr(importlib.import_module(f"fastimg.{row.namespace}"), row.name) is public
    assert getattr(public, "__wrapped__", public) is ours
    assert _params(public) == _params(ours)
    if row.name in _catalog.top_level_names():
        assert getattr(fastimg, row.name) is public
    if row.anchor is None:
        return
    pytest.importorskip(row.anchor)
    params, theirs = _params(ours), _params(_catalog.anchor_function(row))
    assert params[:len(theirs)] == theirs
    extras = params[len(theirs):]
    assert [(n, kind) for n, kind, _ in extras] == [
        (n, inspect.Parameter.KEYWORD_ONLY) for n in row.extras]
    assert all(default is None for n, _, default in extras if n == "workers")


def test_no_module_named_like_a_public_function():
    # a submodule is an attribute of its package once imported: a module named
    # like a re-exported function would shadow it (fastimg.<name>, or the
    # family package's own exports)
    public = set(_catalog.top_level_names()) | {row.name for row in _catalog.ROWS}
    packages = {"fastimg": public}
    for row in _catalog.ROWS:
        packages.setdefault(f"fastimg._{row.family}", set()).add(row.impl)
    for m in _fastimg_modules():
        package, _, name = m.__name__.rpartition(".")
        assert name not in packages.get(package, ()), m.__name__


@pytest.mark.parametrize("namespace", _catalog.namespaces())
def test_namespace_modules_only_re_export(namespace):
    module = importlib.import_module(f"fastimg.{namespace}")
    expected = {row.name: row for row in _catalog.rows(namespace)}
    # dir() lists fastimg's functions and the anchor's other public names
    # (answered with the anchor's objects), nothing else
    assert set(module.__all__) == set(expected)
    public = {name for name in dir(module) if not name.startswith("_")}
    assert public == set(expected) | set(_catalog.anchor_names(namespace))
    for name, row in expected.items():
        obj = getattr(module, name)
        assert obj is _catalog.public(row)
        ours = getattr(obj, "__wrapped__", obj)   # tiered when it has an anchor
        assert ours is _catalog.function(row)
        assert ours.__module__.startswith(f"fastimg._{row.family}."), (name, ours.__module__)
    tree = ast.parse(pathlib.Path(module.__file__).read_text())
    defined = [node.name for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    assert not defined, defined


def _run(code, **env):
    full_env = dict(os.environ, **env)
    full_env["PYTHONPATH"] = REPO + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full_env,
                          capture_output=True, text=True, timeout=600)


CALL = """
import numpy as np, scipy.ndimage as sn
import fastimg, fastimg._core.jit as J
x = np.random.default_rng(0).random((50, 40)).astype(np.float32)
assert np.array_equal(fastimg.ndimage.gaussian_filter(x, 1.5), sn.gaussian_filter(x, 1.5))
print("cache", J.CACHE_ENABLED)
"""


def test_cache_can_be_turned_off():
    r = _run(CALL, FASTIMG_CACHE="0")
    assert r.returncode == 0, r.stderr
    assert "cache False" in r.stdout


def test_no_writable_cache_location_falls_back_to_no_cache():
    # Numba finds a cache location through its locator classes; with none
    # usable (read-only install, no home) decorating with cache=True raises
    # "no locator available".  Emulate exactly that condition, then import.
    r = _run("import numba.core.caching as c\nc.CacheImpl._locator_classes = []\n" + CALL,
             NUMBA_CACHE_DIR="")
    assert r.returncode == 0, r.stderr
    assert "cache False" in r.stdout


def test_cache_is_on_by_default_and_used(tmp_path):
    env = dict(NUMBA_CACHE_DIR=str(tmp_path))
    r = _run(CALL, **env)
    assert r.returncode == 0, r.stderr
    assert "cache True" in r.stdout
    assert any(p.suffix == ".nbi" for p in tmp_path.rglob("*")), "no cache index written"


def test_import_loads_no_kernel_module_until_a_function_is_used():
    # namespaces resolve their functions on first access, so `import fastimg`
    # stays cheap and a script pays only for the families it calls
    r = _run("""
        import sys, fastimg
        print(sorted(m for m in sys.modules if m.endswith("kernels")))
        from fastimg.ndimage import gaussian_filter
        gaussian_filter([[1.0]], 1.0)   # (FASTIMG_JIT=foreground: fastimg's kernels)
        print("fastimg._separable.api" in sys.modules, "fastimg._hough.kernels" in sys.modules)
        print(fastimg.threshold_otsu is fastimg.filters.threshold_otsu)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:3] == ["[]", "True False", "True"]


def _save_many(worker, n, start_at):
    # one real fastimg kernel's cache file, saved to by several processes
    # starting together
    import time
    from fastimg._core.pass_kernels import fill_const
    cache_file = fill_const._cache._cache_file
    time.sleep(max(0.0, start_at - time.time()))
    for i in range(n):
        cache_file.save(("fastimg-test", worker, i), (worker, i))


def _load_all(workers, n):
    from fastimg._core.pass_kernels import fill_const
    cache_file = fill_const._cache._cache_file
    return [(w, i) for w in range(workers) for i in range(n)
            if cache_file.load(("fastimg-test", w, i)) != (w, i)]


@pytest.mark.skipif(_jit.cache.fcntl is None, reason="flock is POSIX-only")
def test_processes_saving_to_one_cache_never_mix_up_entries(tmp_path, monkeypatch):
    # Numba's index update is an unlocked read-modify-write: two processes
    # saving different keys at once can lose one key or, worse, give two
    # keys the same data file.  fastimg locks each kernel's index.
    import multiprocessing
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    import time
    workers, n = 3, 100
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        start_at = time.time() + 3.0  # after every worker has imported fastimg
        pool.starmap(_save_many, [(w, n, start_at) for w in range(workers)])
        wrong = pool.apply(_load_all, (workers, n))
    assert wrong == []
