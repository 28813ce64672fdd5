"""Put fastimg behind the anchors' public functions, and take it away again.

For every catalog row with an anchor, the anchor's *public* module
(``scipy.ndimage``, ``scipy.signal``, ``skimage.filters`` ...) gets, in place
of the function, a proxy: a plain function with the original's name,
docstring and signature (``__wrapped__``) that asks fastimg's tiered function
(``fastimg._core.tiers``) to answer and falls back to the original when
fastimg cannot.  The anchors' private modules (``scipy.ndimage._filters``)
are left alone, so the anchors' internal calls keep their own functions; a
call of a proxy from inside SciPy, scikit-image or fastimg (a private module
that imported the name from the public one) goes straight to the original
too.  The anchors' own test modules (``*.tests.*``) count as users.

Modules already imported are patched at once; the others by an import hook
(a ``sys.meta_path`` finder wrapping the loader of exactly those modules) right
after they run.  scikit-image's lazily loaded modules get their proxy at the
first lookup of the name (their ``__getattr__`` is wrapped), so patching
imports nothing the script does not use.  The originals stay reachable:
``fastimg._core.tiers.ORIGINALS`` for the anchor tier, each proxy's
``__wrapped__`` for everyone else.
"""
from __future__ import annotations

import functools
import sys
import threading
import time

from .._core import catalog as _catalog
from .._core import tiers as _tiers
from . import report as _report

__all__ = ["targets", "accelerate", "deaccelerate", "is_accelerated", "is_proxy"]

#: callers from these packages get the original (the anchors keep their own
#: functions; fastimg asks an anchor only on purpose)
_INSIDE = ("scipy", "skimage", "fastimg")
_lock = threading.RLock()
_state = {"on": False, "finder": None}
#: module name -> name -> (original, whether it was in the module's dict)
_PATCHED: dict = {}
#: module name -> the module's own ``__getattr__`` (lazily loaded modules)
_GETATTR: dict = {}
#: (module name, name, id(original)) -> proxy: one proxy per original
_PROXIES: dict = {}


def targets() -> dict:
    """From the catalog: anchor module -> {name: row} of the functions
    fastimg mirrors there, e.g. ``'scipy.ndimage'`` ->
    ``{'correlate': Row(...), ...}``."""
    out: dict = {}
    for row in _catalog.ROWS:
        if row.anchor is not None:
            out.setdefault(row.anchor, {})[row.name] = row
    return out


_TARGETS = targets()


def is_proxy(obj) -> bool:
    """Whether ``obj`` is a proxy put in an anchor module by :func:`accelerate`."""
    return getattr(obj, "_fastimg_row", None) is not None


def is_accelerated() -> bool:
    """Whether :func:`accelerate` is in effect."""
    return _state["on"]


def _called_from_inside(frame) -> bool:
    name = frame.f_globals.get("__name__") or ""
    parts = name.split(".")
    if parts[0] not in _INSIDE:
        return False
    # the anchors' test modules call the public functions as a user does
    return not any(p == "tests" or p == "conftest" or p.startswith("test_") for p in parts)


def _make_proxy(row, module_name: str, original):
    tiered = _catalog.public(row)
    key = f"{module_name}.{row.name}"
    record = _report.record
    clock = time.perf_counter

    def proxy(*args, **kwargs):
        t0 = clock()
        if _called_from_inside(sys._getframe(1)):
            try:
                return original(*args, **kwargs)
            finally:
                record(key, "internal", t0)
        try:
            fn, kw, ours = tiered.choose(args, kwargs)
        except Exception as exc:   # noqa: BLE001 - never fail because of fastimg
            fn, ours, reason = None, True, _report.summary(exc)
        if not ours:
            # the anchor answers while fastimg compiles: its result and its
            # errors are the original's
            try:
                return fn(*args, **kw)
            finally:
                record(key, "anchor tier", t0)
        if fn is not None:
            try:
                result = fn(*args, **kw)
            except Exception as exc:   # noqa: BLE001 - never fail because of fastimg
                reason = _report.summary(exc)
            else:
                record(key, "kernels", t0)
                return result
        # outside the handler: if the original rejects the call too, its
        # error is the one the user sees, not chained to fastimg's
        failed = True
        try:
            result = original(*args, **kwargs)
            failed = False
            return result
        finally:
            record(key, "original", t0, reason + (" (the original raised too)" if failed else ""))

    functools.update_wrapper(proxy, original)
    # pickled by reference to the public name, which is this proxy here and
    # the original in a process that is not accelerated
    proxy.__module__ = module_name
    proxy.__qualname__ = row.name
    proxy._fastimg_row = row
    return proxy


def _capabilities(original, proxy, add: bool) -> None:
    # SciPy's test decorators look functions up in its capabilities table,
    # keyed by function object: the proxy gets the original's entry
    mod = sys.modules.get("scipy._lib._array_api")
    table = getattr(mod, "xp_capabilities_table", None)
    if table is None:
        return
    if add and original in table:
        table[proxy] = table[original]
    elif not add:
        table.pop(proxy, None)


def _put(module, name, original, proxy, in_dict: bool) -> None:
    _PATCHED.setdefault(module.__name__, {})[name] = (original, in_dict)
    vars(module)[name] = proxy


def _install(module, row, original, in_dict: bool):
    """Put the proxy of ``original`` in ``module`` (the anchor's public
    module, or the public submodule that defines it) and in that defining
    module if already imported (the caller holds the lock)."""
    if is_proxy(original):
        return original
    key = (row.anchor, row.name, id(original))
    proxy = _PROXIES.get(key)
    if proxy is None:
        proxy = _PROXIES[key] = _make_proxy(row, row.anchor, original)
        _capabilities(original, proxy, True)
    _tiers.ORIGINALS[(row.anchor, row.name)] = original
    _put(module, row.name, original, proxy, in_dict)
    # skimage.filters.thresholding.threshold_otsu: the same function under a
    # public path (its own module's calls of it still get the original)
    home = sys.modules.get(getattr(original, "__module__", None) or "")
    if (home is not None and home is not module and _public_below(home.__name__)
            and vars(home).get(row.name) is original):
        _put(home, row.name, original, proxy, True)
    return proxy


def _public_below(name: str):
    """The anchor module that ``name`` is a public submodule of (None: it
    is not one, or it is private or a test module)."""
    parts = name.split(".")
    if any(p.startswith("_") or p in ("tests", "conftest") for p in parts):
        return None
    for i in range(len(parts) - 1, 0, -1):
        if ".".join(parts[:i]) in _TARGETS:
            return ".".join(parts[:i])
    return None


def _lazy_home(anchor, name: str):
    """The submodule a lazily loaded anchor module loads ``name`` from, as
    lazy_loader's ``__getattr__`` keeps it (None if it does not say)."""
    own = _GETATTR.get(anchor.__name__) or vars(anchor).get("__getattr__")
    own = getattr(own, "_fastimg_own", own)
    for cell in getattr(own, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if isinstance(value, dict) and isinstance(value.get(name), str):
            return f"{anchor.__name__}.{value[name]}"
    return None


def _patch_home(module) -> None:
    """A public submodule of an anchor module (``skimage.filters.thresholding``)
    that defines functions the anchor exports: the same proxies."""
    anchor_name = _public_below(module.__name__)
    anchor = sys.modules.get(anchor_name or "")
    if anchor is None:
        return
    d, ad = vars(module), vars(anchor)
    for name, row in _TARGETS[anchor_name].items():
        value = d.get(name)
        if value is None or is_proxy(value) or getattr(value, "__module__", None) != \
                module.__name__:
            continue
        current = ad.get(name)
        if is_proxy(current) and current.__wrapped__ is value:
            _put(module, name, value, current, True)
        elif current is value or (current is None and
                                  _lazy_home(anchor, name) == module.__name__):
            _install(module, row, value, True)
        # else: an anchor module still running: its own patch does this
    own = d.get("__getattr__")
    if callable(own) and not hasattr(own, "_fastimg_own") and module.__name__ not in _GETATTR:
        # SciPy's deprecated public modules (scipy.ndimage.filters) forward
        # to the private ones: answer the anchor's functions with the proxies
        _GETATTR[module.__name__] = own
        d["__getattr__"] = _forwarding_getattr(anchor_name, own)


def _forwarding_getattr(anchor_name, own):
    rows = _TARGETS[anchor_name]

    def __getattr__(name):
        value = own(name)
        if name in rows and _state["on"]:
            proxy = vars(sys.modules[anchor_name]).get(name)
            if is_proxy(proxy) and proxy.__wrapped__ is value:
                return proxy
        return value

    __getattr__._fastimg_own = own
    return __getattr__


def _lazy_getattr(module, own):
    rows = _TARGETS[module.__name__]

    def __getattr__(name):
        value = own(name)
        row = rows.get(name)
        if row is not None and _state["on"] and not is_proxy(value):
            with _lock:
                value = _install(module, row, value, False)
        return value

    __getattr__._fastimg_own = own
    return __getattr__


def _patch_module(module) -> None:
    name = getattr(module, "__name__", None)
    if not _state["on"] or not isinstance(name, str):
        return
    rows = _TARGETS.get(name)
    if not rows:
        if _public_below(name):
            with _lock:
                _patch_home(module)
        return
    with _lock:
        d = vars(module)
        for name, row in rows.items():
            if name in d:
                _install(module, row, d[name], True)
        own = d.get("__getattr__")
        if (any(n not in d for n in rows) and callable(own)
                and not hasattr(own, "_fastimg_own")):
            _GETATTR[module.__name__] = own
            d["__getattr__"] = _lazy_getattr(module, own)


class _Loader:
    """The real loader of an anchor module, which patches it once it ran."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        # hand the module its real loader back (resources, reloads)
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        _patch_module(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Finder:
    """A ``sys.meta_path`` entry that finds nothing itself: for an anchor
    module, it asks the finders after it and wraps the loader they give."""

    def find_spec(self, fullname, path=None, target=None):
        if not _state["on"] or (fullname not in _TARGETS and not _public_below(fullname)):
            return None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Loader(spec.loader)
        return spec

    def invalidate_caches(self):
        pass


def accelerate(report: bool = False) -> None:
    """Serve the SciPy and scikit-image functions fastimg mirrors by fastimg
    (see :func:`fastimg.accelerate`)."""
    with _lock:
        if not _state["on"]:
            _state["on"] = True
            finder = _state["finder"] = _Finder()
            sys.meta_path.insert(0, finder)
            for name in _TARGETS:
                module = sys.modules.get(name)
                if module is not None:
                    _patch_module(module)
            for name, module in list(sys.modules.items()):
                if module is not None and name not in _TARGETS and _public_below(name):
                    _patch_module(module)
    if report:
        _report.report_at_exit()


def deaccelerate() -> None:
    """Put the original functions back and remove the import hook (names a
    program bound to proxies meanwhile keep calling them)."""
    with _lock:
        if not _state["on"]:
            return
        _state["on"] = False
        finder = _state.pop("finder", None)
        _state["finder"] = None
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        for name, patched in _PATCHED.items():
            module = sys.modules.get(name)
            if module is None:
                continue
            d = vars(module)
            for attr, (original, in_dict) in patched.items():
                _capabilities(original, d.get(attr), False)
                if in_dict:
                    d[attr] = original
                else:
                    d.pop(attr, None)   # the lazy loader finds it again
        for name, own in _GETATTR.items():
            module = sys.modules.get(name)
            if module is not None:
                vars(module)["__getattr__"] = own
        _GETATTR.clear()
        _PATCHED.clear()
        _tiers.ORIGINALS.clear()
