"""The public API is declared statically: every public module names its
functions in ``TYPE_CHECKING`` imports from their families and in an explicit
``__all__`` (what type checkers and IDEs read), the files are the generator's
current output (``tools/namespaces.py``), and a type checker sees the real
signatures."""
import ast
import importlib
import inspect
import os
import pathlib
import subprocess
import sys

import pytest

import fastimg
from fastimg._core import catalog as _catalog
from tools import blocks, namespaces

PACKAGE = pathlib.Path(fastimg.__file__).parent
MODULES = ["fastimg", *(f"fastimg.{ns}" for ns in _catalog.namespaces())]


def _path(module):
    return PACKAGE / ("__init__.py" if module == "fastimg" else f"{module.split('.')[1]}.py")


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _static_declarations(module):
    """(name -> (family package, name there) of its TYPE_CHECKING import,
    the literal ``__all__`` with its ``+=`` parts) of a public module's
    source."""
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    imported, exported = {}, []
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.level == 1, ast.unparse(imp)
                for a in imp.names:
                    # ``x as name``: an explicit re-export for checkers
                    assert a.asname is not None, ast.unparse(imp)
                    imported[a.asname] = (imp.module, a.name)
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", None) == "__all__" for t in targets):
                exported += ast.literal_eval(node.value)
    return imported, exported


@pytest.mark.parametrize("module", MODULES)
def test_every_function_is_declared_statically_from_its_family(module):
    expected = _catalog.exports(module)
    imported, exported = _static_declarations(module)
    assert imported == {name: (f"_{row.family}", row.impl) for name, row in expected.items()}
    functions = [n for n in exported if n in expected]
    assert functions == list(expected)
    if module == "fastimg":
        others = ["__version__", "warmup", "accelerate", "deaccelerate", "set_num_threads", "set_jit_mode",
                  "show_config",
                  *_catalog.namespaces()]
        assert sorted(exported) == sorted([*others, *expected])
    else:
        assert exported == functions
    assert sorted(exported) == sorted(importlib.import_module(module).__all__)


@pytest.mark.parametrize("namespace", _catalog.namespaces())
def test_namespace_module_is_the_generated_text(namespace):
    text = _path(f"fastimg.{namespace}").read_text(encoding="utf-8")
    assert text == namespaces.source(namespace), (
        f"fastimg/{namespace}.py is stale: run python tools/generate.py")


def test_top_level_block_is_the_generated_text():
    _, block, _ = blocks.split(_path("fastimg").read_text(encoding="utf-8"),
                               *namespaces.MARKERS)
    assert block == namespaces.top_level_block(), (
        "fastimg/__init__.py's generated block is stale: run python tools/generate.py")


def test_lazy_names_resolve_and_are_listed():
    for module in MODULES:
        mod = importlib.import_module(module)
        for name, row in _catalog.exports(module).items():
            assert name in dir(mod)
            assert getattr(mod, name) is _catalog.public(row)
    with pytest.raises(AttributeError, match="has no attribute 'sobel'"):
        fastimg.sobel  # noqa: B018 (two anchors' sobel: only in the namespaces)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        fastimg.ndimage.nope  # noqa: B018


def test_blocks_split_and_replace():
    text = "a\n<s> note\nold\n<e>\nz\n"
    assert blocks.split(text, "<s>", "<e>") == ("a\n<s> note\n", "old\n", "<e>\nz\n")
    assert blocks.replace(text, "<s>", "<e>", "new\n") == "a\n<s> note\nnew\n<e>\nz\n"
    with pytest.raises(ValueError, match="'<x>' once, found it 0 times"):
        blocks.split(text, "<x>", "<e>")


def test_type_checker_sees_every_real_signature(tmp_path):
    # mypy reads the TYPE_CHECKING imports, so each public name (namespace
    # and top level) has its function's signature, not Any
    pytest.importorskip("mypy")
    names = [(module, name) for module in MODULES for name in _catalog.exports(module)]
    (tmp_path / "reveal.py").write_text(
        "".join(f"import {module}\n" for module in MODULES)
        + "".join(f"reveal_type({module}.{name})\n" for module, name in names))
    env = dict(os.environ, MYPYPATH=str(PACKAGE.parent))
    r = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                        "--ignore-missing-imports", "--no-error-summary",
                        "--cache-dir", str(tmp_path / "cache"), "reveal.py"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    revealed = [ln.split("Revealed type is ", 1)[1] for ln in r.stdout.splitlines()
                if ln.startswith("reveal.py:") and "Revealed type is" in ln]
    assert len(revealed) == len(names), r.stdout + r.stderr
    for (module, name), text in zip(names, revealed):
        first = next(iter(inspect.signature(getattr(importlib.import_module(module), name))
                          .parameters))
        assert text.startswith('"def (') and f"{first}:" in text, (module, name, text)
    assert not [ln for ln in r.stdout.splitlines()
                if ln.startswith("reveal.py:") and "error:" in ln], r.stdout
