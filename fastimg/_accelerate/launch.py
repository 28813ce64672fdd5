"""``python -m fastimg``: run a script or a module as ``python`` would, with
fastimg serving the SciPy and scikit-image functions it mirrors.

* ``python -m fastimg [--report] script.py [args ...]``
* ``python -m fastimg [--report] -m module [args ...]``
* ``python -m fastimg [--report] -c code [args ...]``
* ``python -m fastimg <command> ...`` (``demo``, ``warmup``, ``info`` ..., or
  an option such as ``--help``): the command line, ``fastimg._cli.main``.

The script runs as ``__main__`` with ``sys.argv`` set to the script and its
arguments and its folder first on ``sys.path``, as ``python script.py`` does;
its exit status is the process's.  A script that cannot be found is one
line on standard error and exit status 2, as with ``python``.
"""
from __future__ import annotations

import importlib.util
import os
import runpy
import sys

__all__ = ["main", "USAGE"]

USAGE = """\
usage: python -m fastimg [--report] script.py [args ...]
       python -m fastimg [--report] -m module [args ...]
       python -m fastimg [--report] -c code [args ...]
       python -m fastimg <command> [options]     (python -m fastimg --help)

Runs the script (or module) as python would, with every SciPy and
scikit-image function that fastimg mirrors served by fastimg.
  --report   print at exit, per function, which calls fastimg served, which
             went to the original function and why, and the time spent"""

#: the command line's commands, if its parser cannot be asked
_COMMANDS = ("demo", "warmup", "info", "run", "bench")


def _commands() -> set:
    """The command line's subcommands (asked from its parser)."""
    try:
        import argparse

        from .._cli import main as cli
        parser = cli._parser()
        names = set()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                names.update(action.choices)
        return names or set(_COMMANDS)
    except Exception:       # noqa: BLE001 - the command line is another's: fall back
        return set(_COMMANDS)


def _cli(argv) -> int:
    from .._cli.main import main as cli_main
    return cli_main(argv)


def _fail(message: str, status: int) -> int:
    print(f"fastimg: {message}", file=sys.stderr)
    return status


def _user_traceback(exc: BaseException):
    """The traceback from the user's code on (this module's and runpy's
    frames dropped), as ``python script.py`` shows it."""
    ours = {__file__, runpy.__file__, "<frozen runpy>"}
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in ours:
        tb = tb.tb_next
    return tb


def _run(target, report: bool) -> int:
    """Accelerate, then run ``target()``; an uncaught exception is reported
    as Python reports it (``sys.excepthook``), with exit status 1."""
    from . import accelerate
    accelerate(report=report)
    try:
        target()
    except SystemExit:
        raise
    except Exception as exc:    # noqa: BLE001 - the user's error, shown as python shows it
        tb = _user_traceback(exc)
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        return 1
    return 0


def _script(path: str, args, report: bool) -> int:
    if not os.path.exists(path):
        return _fail(f"can't open file {path!r}: no such file", 2)
    if os.path.isdir(path) and not os.path.exists(os.path.join(path, "__main__.py")):
        return _fail(f"can't find '__main__' module in {path!r}", 2)
    if not os.access(path, os.R_OK):
        return _fail(f"can't open file {path!r}: permission denied", 2)
    sys.argv[:] = [path, *args]
    # the script's folder first on the path, in place of this package's
    # caller's, as python does
    folder = path if os.path.isdir(path) else os.path.dirname(os.path.realpath(path))
    if sys.path and sys.path[0] in ("", os.getcwd()):
        sys.path[0] = folder
    else:
        sys.path.insert(0, folder)
    if os.path.isdir(path) or not path.endswith(".py"):
        # a folder or zip with __main__.py, a .pyc: runpy knows them all
        return _run(lambda: runpy.run_path(path, run_name="__main__"), report)
    return _run(lambda: _exec_main(path), report)


def _code(code: str, args, report: bool) -> int:
    """``-c code``: as ``python -c`` runs it (``sys.argv[0]`` is ``-c``,
    the current folder first on the path)."""
    sys.argv[:] = ["-c", *args]
    if sys.path and sys.path[0] == os.getcwd():
        sys.path[0] = ""
    elif not sys.path or sys.path[0] != "":
        sys.path.insert(0, "")
    return _run(lambda: _exec_main(None, code), report)


def _exec_main(path, source=None) -> None:
    """Run a source file as ``python path`` does (or ``source``, the code
    of ``-c``): the module ``__main__`` for the run, ``__file__`` absolute
    (so a script that changes folder still finds the files next to it)
    while ``sys.argv[0]`` stays as given (``runpy.run_path`` would set both
    to the same path)."""
    import builtins
    import types
    module = types.ModuleType("__main__")
    module.__dict__.update(__package__=None, __spec__=None, __loader__=None,
                           __builtins__=builtins)
    if path is None:                      # -c code: no __file__, as python -c
        code = compile(source, "<string>", "exec", dont_inherit=True)
    else:
        full = os.path.abspath(path)
        with open(full, "rb") as f:
            code = compile(f.read(), full, "exec", dont_inherit=True)
        module.__dict__.update(__file__=full, __cached__=None)
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module      # pickle and multiprocessing look it up here
    try:
        exec(code, module.__dict__)
    finally:
        sys.modules["__main__"] = saved


def _module(name: str, args, report: bool) -> int:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        return _fail(f"error while finding module {name!r}: {exc}", 1)
    if spec is None:
        return _fail(f"no module named {name!r}", 1)
    sys.argv[:] = [name, *args]   # runpy puts the module's file in argv[0]
    return _run(lambda: runpy.run_module(name, run_name="__main__", alter_sys=True), report)


def main(argv=None) -> int:
    """Dispatch ``python -m fastimg`` (see the module docstring).

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``python -m fastimg`` (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status (a script's ``sys.exit`` propagates as ``SystemExit``).

    Examples
    --------
    >>> from fastimg._accelerate.launch import main
    >>> main(["no-such-script.py"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    report = False
    while argv and argv[0] == "--report":
        report = True
        argv.pop(0)
    if not argv:
        print(USAGE, file=sys.stderr)
        return _fail("give a script, -m module or a command", 2)
    first = argv[0]
    if first == "-m" or (first.startswith("-m") and not first.startswith("--")):
        name = first[2:] or (argv[1] if len(argv) > 1 else "")
        rest = argv[1:] if first[2:] else argv[2:]
        if not name:
            return _fail("-m needs a module name (python -m fastimg -m module [args])", 2)
        return _module(name, rest, report)
    if first == "-c":
        if len(argv) < 2:
            return _fail("-c needs the code to run (python -m fastimg -c code [args])", 2)
        return _code(argv[1], argv[2:], report)
    if first.startswith("-") or first in _commands():
        if report:
            return _fail(f"--report applies to a script or -m module, not to {first!r}", 2)
        if first in ("-h", "--help"):
            print(USAGE + "\n")      # then the command line's own help
        return _cli(argv)
    if not os.path.exists(first) and not first.endswith(".py") and os.sep not in first:
        # neither a script nor a command: the command line names its commands
        return _cli(argv)
    return _script(first, argv[1:], report)
