"""The ``fastimg`` command line: ``fastimg demo`` and ``fastimg warmup``
(the ``--help`` texts are plain text, not this docstring)."""
from __future__ import annotations

import argparse
import os
import sys
import time


def _cmd_warmup(args):
    import fastimg
    from fastimg._core import jit as _jit
    from fastimg._core import warmup as _warmup
    jobs = _warmup._default_jobs() if args.jobs is None else args.jobs
    where = f"{jobs} processes" if jobs > 1 and _jit.CACHE_ENABLED else "this process"
    print(f"fastimg {fastimg.__version__}: compiling kernels in {where} "
          f"(on-disk cache {'on' if _jit.CACHE_ENABLED else 'off'})")
    t0 = time.perf_counter()
    fastimg.warmup(dtypes=args.dtypes, functions=args.functions, verbose=True, jobs=jobs,
                   load=False)
    print(f"done in {time.perf_counter() - t0:.2f} s")
    return 0


def _cmd_info(args):
    from fastimg import show_config
    show_config()
    return 0


def _cmd_demo(args):
    from .demo import run_demo
    return run_demo(args.out, size=args.size, repeat=args.repeat)


DESCRIPTION = """\
Numba-compiled drop-in replacements for SciPy and scikit-image image
functions. Use them from Python (from fastimg import ndimage as ndi); this
command runs the demo and compiles the kernels ahead of time."""

EPILOG = """\
examples:
  fastimg demo                      run the demo, PNG files in ./fastimg-demo
  fastimg warmup                    compile every kernel once after installing
  fastimg <command> --help          the options of one command"""

DEMO_DESCRIPTION = """\
Run every public function on a built-in image (generated, no download),
write the results as PNG files and print each function's time against its
anchor (SciPy, scikit-image when installed) with the largest difference from
it (0: bit-identical). Exits with status 1 if any result differs."""

WARMUP_DESCRIPTION = """\
Compile (or load from the on-disk cache) every kernel for the common image
dtypes, so that later first calls are fast. Run it once after installing and
before starting process pools."""


def _parser():
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="fastimg", description=DESCRIPTION,
                                     epilog=EPILOG, formatter_class=formatter)
    sub = parser.add_subparsers(title="commands", dest="command", required=True,
                                metavar="<command>")
    p = sub.add_parser("demo", description=DEMO_DESCRIPTION, formatter_class=formatter,
                       help="run every function on a built-in image, write PNGs, "
                            "print timings against the anchors")
    p.add_argument("--out", metavar="DIR", default=os.path.join(os.getcwd(), "fastimg-demo"),
                   help="folder for the PNG files (default: ./fastimg-demo)")
    p.add_argument("--size", type=int, default=1024, metavar="N",
                   help="image side in pixels (default: 1024)")
    p.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="timed runs per function (default: 3)")
    p.set_defaults(func=_cmd_demo)
    p = sub.add_parser("warmup", description=WARMUP_DESCRIPTION, formatter_class=formatter,
                       help="compile every kernel for the common dtypes")
    p.add_argument("--dtypes", nargs="+", metavar="DTYPE",
                   help="image dtypes (default: each function's own, from uint8 uint16 int16 "
                        "float32 float64)")
    p.add_argument("--functions", nargs="+", metavar="NAME",
                   help="functions as namespace.name, e.g. ndimage.gaussian_filter "
                        "(default: all)")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="worker processes compiling in parallel (default: one per core)")
    p.set_defaults(func=_cmd_warmup)
    p = sub.add_parser("info", help="versions, JIT mode, kernel cache, which tier served calls",
                       description="Print fastimg's configuration (fastimg.show_config()).")
    p.set_defaults(func=_cmd_info)
    return parser


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
