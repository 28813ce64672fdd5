"""The ``fastimg`` command line: ``demo``, ``run``, ``bench``, ``info`` and
``warmup`` (the ``--help`` texts are plain text, not this docstring).

Every problem with the user's input is one line on stderr and a non-zero
exit status: 2 for a usage error (argparse's), 1 for a file that cannot be
read or written or a parameter a function refuses; ``FASTIMG_DEBUG=1``
shows the traceback of an unexpected error.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from .common import CliError

DESCRIPTION = """\
Numba-compiled drop-in replacements for SciPy and scikit-image image
functions. Use them from Python (from fastimg import ndimage as ndi), on an
unchanged script (python -m fastimg script.py), or from here."""

EPILOG = """\
examples:
  fastimg demo                      the tour on a built-in photograph, pictures in ./fastimg-demo
  fastimg demo my.png --size 256    the tour on your picture
  fastimg run filters.gaussian in.png out.png --sigma 3
  fastimg bench --quick             every function against its anchor on this machine
  fastimg info                      versions, threads, kernel cache, CPU features
  fastimg warmup                    compile every kernel once after installing
  fastimg <command> --help          the options of one command"""

DEMO_DESCRIPTION = """\
The classic image-processing tour (negative, log, gamma; box, sharpen, edge
and Gaussian kernels; Sobel; Gaussian and median filters; Otsu and
multi-Otsu; morphology and labels; k-means colours; Canny; Hough lines,
circles and ellipses drawn on the image; contours; template matching; ideal,
Gaussian and Butterworth low- and high-pass; pixelation; inpainting) and then
every public function, on a built-in photograph (scikit-image's "coffee",
CC0) or IMAGE (any size; grey, colour, 8 or 16 bits). Writes each result as
a PNG and one contact sheet (contact-sheet.png), and prints each step's time
against its anchor (SciPy, scikit-image when installed) with the largest
difference from it (0: bit-identical). A step IMAGE does not suit, which the
anchor refuses too, is marked n/a. Exits with status 1 if a step fails or a
function differs from its anchor beyond its documented rule."""

RUN_DESCRIPTION = """\
Apply one public function to an image file: fastimg run FUNCTION INPUT OUTPUT
[--name value ...]. FUNCTION is namespace.name (filters.gaussian,
ndimage.median_filter; fastimg run --list). Values are Python literals
(2, 2.5, (3, 5), True) or strings (reflect), checked against the function's
signature. Colour images go whole to functions with channel_axis, channel by
channel to the others. Reads what Pillow reads and TIFF (tifffile); writes
PNG (8/16-bit) and TIFF. Results: bool -> 0/255; uint8/uint16 as they are;
other integers -> 8 or 16 bits when they fit; floats -> float32 TIFF, or PNG
in the input's bit depth (values in [0, 1] as they are, others scaled from
their minimum..maximum, with a note). A tuple result writes its first array;
a result that is no picture (a number, (N, 2) coordinates, a histogram) is
refused."""

BENCH_DESCRIPTION = """\
Time every public function against its anchor on the built-in photograph:
its catalog sample call (the case the demo and the benchmark suite's
bench_catalog.py run), the result checked against the anchor's first (bit
for bit, or the function's documented rule), then the best of --repeat
calls of each. Prints the table with this machine's CPU and versions; exit
status 1 if a result differs from its anchor's."""

WARMUP_DESCRIPTION = """\
Compile (or load from the on-disk cache) every kernel for the common image
dtypes, so that later first calls are fast. Run it once after installing and
before starting process pools."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (no usage block)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _count(minimum, maximum=None):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {value}")
        return value
    parse.__name__ = "number"
    return parse


def _version():
    import fastimg
    return f"fastimg {fastimg.__version__}"


def _cmd_warmup(args):
    import numpy as np

    import fastimg
    from .._core import jit as _jit
    from .._core import warmup as _warmup
    from .._core import catalog as _catalog
    known = {r.qualname for r in _catalog.ROWS}
    unknown = [n for n in args.functions or () if n not in known]
    if unknown:
        raise CliError(f"unknown function(s) {', '.join(unknown)} (namespace.name, e.g. "
                       f"ndimage.gaussian_filter; fastimg run --list lists them)")
    for name in args.dtypes or ():
        try:
            np.dtype(name)
        except TypeError:
            raise CliError(f"--dtypes: unknown dtype {name!r} (e.g. uint8 uint16 float32 "
                           f"float64)") from None
    jobs = _warmup._default_jobs() if args.jobs is None else args.jobs
    where = f"{jobs} processes" if jobs > 1 and _jit.CACHE_ENABLED else "this process"
    print(f"fastimg {fastimg.__version__}: compiling kernels in {where} "
          f"(on-disk cache {'on' if _jit.CACHE_ENABLED else 'off'})")
    t0 = time.perf_counter()
    try:
        fastimg.warmup(dtypes=args.dtypes, functions=args.functions, verbose=True,
                       jobs=jobs, load=False)
    except (ValueError, KeyError) as e:
        raise CliError(str(e).strip("'\"")) from None
    print(f"done in {time.perf_counter() - t0:.2f} s")
    return 0


def _cmd_info(args):
    from .info import show_info
    return show_info()


def _cmd_demo(args):
    from .demo import run_demo
    return run_demo(args.out, size=args.size, repeat=args.repeat, image=args.image)


def _cmd_run(args):
    from .run import list_functions, run_function
    if args.list:
        return list_functions()
    # the files may come after the parameters too (run f --sigma 2 in.png
    # out.png): each --name takes the next word unless written --name=value
    files = [a for a in (args.input, args.output) if a is not None]
    params, tokens, i = [], list(args.params), 0
    while i < len(tokens):
        if tokens[i].startswith("--") and tokens[i] != "--":
            params.append(tokens[i])
            if "=" not in tokens[i] and i + 1 < len(tokens):
                params.append(tokens[i + 1])
                i += 1
        else:
            files.append(tokens[i])
        i += 1
    if args.function is None or len(files) != 2:
        got = f"; got {len(files)} file name{'s' * (len(files) != 1)}" if files else ""
        raise CliError(f"give FUNCTION INPUT OUTPUT [--name value ...]{got} "
                       f"(see fastimg run --help)")
    return run_function(args.function, files[0], files[1], params)


def _cmd_bench(args):
    from .bench import QUICK_REPEAT, QUICK_SIZE, run_bench
    size = args.size or (QUICK_SIZE if args.quick else 1024)
    repeat = args.repeat or (QUICK_REPEAT if args.quick else 3)
    return run_bench(size, repeat, args.family, args.dtype)


def _parser():
    from .demo import DEFAULT_REPEAT, DEFAULT_SIZE
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="fastimg", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=formatter)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(title="commands", dest="command", required=True,
                                metavar="<command>")
    p = sub.add_parser("demo", description=DEMO_DESCRIPTION, formatter_class=formatter,
                       help="the image-processing tour and every function on a photograph, "
                            "timed against the anchors")
    p.add_argument("image", nargs="?", metavar="IMAGE",
                   help="your picture (PNG, JPEG, TIFF ...; default: the built-in photograph)")
    p.add_argument("--out", metavar="DIR", default=os.path.join(os.getcwd(), "fastimg-demo"),
                   help="folder for the PNG files (default: ./fastimg-demo)")
    p.add_argument("--size", type=_count(8, 8192), default=DEFAULT_SIZE, metavar="N",
                   help=f"the side of the centred square cut from the picture and "
                        f"resized, in pixels (default: {DEFAULT_SIZE})")
    p.add_argument("--repeat", type=_count(1), default=DEFAULT_REPEAT, metavar="N",
                   help=f"timed runs per step (default: {DEFAULT_REPEAT})")
    p.set_defaults(func=_cmd_demo)
    p = sub.add_parser("run", description=RUN_DESCRIPTION, formatter_class=formatter,
                       help="apply one function to an image file",
                       usage="fastimg run FUNCTION INPUT OUTPUT [--name value ...]")
    p.add_argument("--list", action="store_true", help="list the functions run can apply")
    p.add_argument("function", nargs="?", metavar="FUNCTION")
    p.add_argument("input", nargs="?", metavar="INPUT")
    p.add_argument("output", nargs="?", metavar="OUTPUT")
    p.add_argument("params", nargs=argparse.REMAINDER, metavar="--name value",
                   help="the function's parameters")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("bench", description=BENCH_DESCRIPTION, formatter_class=formatter,
                       help="time every function against its anchor on this machine")
    p.add_argument("--quick", action="store_true",
                   help="a small image (256x256) and one timed run")
    p.add_argument("--family", metavar="NAME", help="only this family (e.g. separable)")
    p.add_argument("--size", type=_count(8, 8192), metavar="N", help="image side (default 1024)")
    p.add_argument("--repeat", type=_count(1), metavar="N", help="timed runs (default 3)")
    p.add_argument("--dtype", default="float32",
                   choices=("uint8", "uint16", "float32", "float64"),
                   help="image dtype (default: float32)")
    p.set_defaults(func=_cmd_bench)
    p = sub.add_parser("warmup", description=WARMUP_DESCRIPTION, formatter_class=formatter,
                       help="compile every kernel for the common dtypes")
    p.add_argument("--dtypes", nargs="+", metavar="DTYPE",
                   help="image dtypes (default: each function's own, from uint8 uint16 int16 "
                        "float32 float64)")
    p.add_argument("--functions", nargs="+", metavar="NAME",
                   help="functions as namespace.name, e.g. ndimage.gaussian_filter "
                        "(default: all)")
    p.add_argument("--jobs", type=_count(1), metavar="N",
                   help="worker processes compiling in parallel (default: one per core)")
    p.set_defaults(func=_cmd_warmup)
    p = sub.add_parser("info", help="versions, threads, kernel cache, CPU features",
                       description="Print fastimg's configuration (fastimg.show_config()), "
                                   "threads, the kernel cache and the CPU features Numba "
                                   "sees.")
    p.set_defaults(func=_cmd_info)
    return parser


def main(argv=None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``);
    returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    prog = f"fastimg {args.command}"
    try:
        return args.func(args)
    except CliError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:        # output piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as e:  # noqa: BLE001 - one line; FASTIMG_DEBUG=1 for the traceback
        if os.environ.get("FASTIMG_DEBUG"):
            raise
        message = str(e).strip().splitlines()[0] if str(e).strip() else ""
        print(f"{prog}: error: {type(e).__name__}: {message} (FASTIMG_DEBUG=1 shows the "
              f"traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
