"""The house rules of the package layout, checked on the source text.

* A family (``fastimg/_<family>/``) uses another family only through the
  public functions its package exports (``from .._separable import
  gaussian_filter``), never its modules or private names; the shared
  machinery (``fastimg/_core/``) imports no family at all.
* The public namespaces and the top level import only from ``_core`` and
  from family packages.
* Every family has its wrapper package, reference, test and benchmark under
  one name; every module stays under :data:`MAX_LINES` lines.
"""
import ast
import pathlib

import pytest

import fastimg
from fastimg._core import catalog

ROOT = pathlib.Path(fastimg.__file__).parent
REPO = ROOT.parent
#: Modules longer than this are split along a seam (a generated file is
#: exempt, and the catalog: one table of every public function, which grows
#: by a row per function; a standalone file the cold-start benchmark loads).
MAX_LINES = 500
GENERATED = {"_rank/networks.py", "_core/catalog.py"}
FAMILIES = sorted({row.family for row in catalog.ROWS})


def _public(family):
    return {row.impl for row in catalog.ROWS if row.family == family}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        dotted = ".".join(("fastimg",) + rel.with_suffix("").parts)
        if dotted.endswith(".__init__"):
            dotted, package = dotted[: -len(".__init__")], dotted[: -len(".__init__")]
        else:
            package = dotted.rpartition(".")[0]
        yield rel.as_posix(), dotted, package, ast.parse(path.read_text(), str(path))


def _imports(package, tree):
    """(absolute module, imported names) of every fastimg import in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "fastimg" or module.startswith("fastimg."):
                names = [a.name for a in node.names]
                if node.module is None:  # from . import x: x may be a module
                    for name in names:
                        yield f"{module}.{name}", []
                else:
                    yield module, names
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("fastimg."):
                    yield a.name, []


def _family_of(module):
    parts = module.split(".")
    if len(parts) > 1 and parts[1].startswith("_") and parts[1][1:] in FAMILIES:
        return parts[1][1:]
    return None


def test_the_layout_checker_sees_every_family():
    assert set(FAMILIES) == {p.name[1:] for p in ROOT.iterdir()
                             if p.is_dir() and p.name.startswith("_") and p.name not in (
                                 "_core", "_cli", "_accelerate", "_dask", "_data", "__pycache__")}


@pytest.mark.parametrize("rel, dotted, package, tree", list(_modules()), ids=lambda v: v
                         if isinstance(v, str) and v.endswith(".py") else "")
def test_no_module_reaches_into_another_family(rel, dotted, package, tree):
    own = _family_of(dotted)
    for module, names in _imports(package, tree):
        other = _family_of(module)
        if other is None or other == own:
            continue
        # only the family package itself, and only its public functions
        assert module == f"fastimg._{other}", (
            f"{rel} imports {module}: use `from fastimg._{other} import <public function>`")
        assert set(names) <= _public(other), (rel, module, sorted(set(names) - _public(other)))


def test_core_imports_no_family():
    for rel, dotted, package, tree in _modules():
        if rel.startswith("_core/"):
            for module, _ in _imports(package, tree):
                assert _family_of(module) is None, (rel, module)


def test_modules_stay_small():
    long = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        n = len(path.read_text().splitlines())
        if rel not in GENERATED and n > MAX_LINES:
            long[rel] = n
    assert not long, long


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_name_finds_every_place(family):
    assert (ROOT / f"_{family}" / "__init__.py").is_file()
    assert (REPO / "reference" / f"{family}.py").is_file()
    assert (REPO / "tests" / f"test_{family}.py").is_file()
    assert (REPO / "benchmarks" / f"bench_{family}.py").is_file()
    exported = set(getattr(__import__(f"fastimg._{family}", fromlist=["*"]), "__all__"))
    assert exported == _public(family)
