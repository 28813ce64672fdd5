"""``fastimg`` command line: ``fastimg demo`` and ``fastimg warmup``."""
from __future__ import annotations

import argparse
import os
import sys


def _cmd_warmup(args):
    import fastimg
    from fastimg import _jit
    print(f"fastimg {fastimg.__version__}: compiling kernels "
          f"(on-disk cache {'on' if _jit.CACHE_ENABLED else 'off'})")
    t = fastimg.warmup(dtypes=args.dtypes, functions=args.functions, verbose=True)
    print(f"done in {sum(t.values()):.2f} s")
    return 0


def _cmd_demo(args):
    from .demo import run_demo
    return run_demo(args.out, size=args.size, repeat=args.repeat)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fastimg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="run every kernel on a built-in image, write PNGs, "
                                    "print timings against the anchors")
    p.add_argument("--out", default=os.path.join(os.getcwd(), "fastimg-demo"),
                   help="folder for the PNG files (default: ./fastimg-demo)")
    p.add_argument("--size", type=int, default=1024, help="image side in pixels")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per function")
    p.set_defaults(func=_cmd_demo)
    p = sub.add_parser("warmup", help="compile every kernel for the common dtypes")
    p.add_argument("--dtypes", nargs="+", metavar="DTYPE",
                   help="image dtypes (default: uint8 uint16 float32 float64)")
    p.add_argument("--functions", nargs="+", metavar="NAME",
                   help="functions as namespace.name, e.g. ndimage.gaussian_filter "
                        "(default: all)")
    p.set_defaults(func=_cmd_warmup)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
