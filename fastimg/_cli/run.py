"""``fastimg run FUNCTION INPUT OUTPUT [--param value ...]``: apply one
public function to an image file.

* FUNCTION is ``namespace.name`` as in Python (``filters.gaussian``,
  ``ndimage.median_filter``); the public function is called (the one
  ``from fastimg import filters`` gives).
* Each ``--name value`` (or ``--name=value``) is a keyword argument; the
  value is read as a Python literal (``2``, ``2.5``, ``(3, 5)``, ``True``,
  ``None``) and as a string when it is not one (``reflect``).  Names are
  checked against the function's signature; ``-`` in a name reads as ``_``.
* The image is the function's first argument.  A colour image (H, W, C) goes
  whole to a function with a ``channel_axis`` parameter (``channel_axis=-1``
  unless given), and channel by channel to the others (SciPy's n-D filters
  would otherwise filter across the colours too).
* A tuple or list result (``kmeans_colors``'s labels and centres,
  ``hough_line``'s space and axes) writes its first array.  How values
  become a file: :mod:`fastimg._cli.images`.
"""
from __future__ import annotations

import ast
import difflib
import importlib
import inspect
import sys

import numpy as np

from .._core import catalog as _catalog
from . import images as _images
from .common import CliError

#: First-parameter names that receive an image.
IMAGE_PARAMETERS = ("input", "in1", "image", "labels", "label_image", "ar")


def find_function(qualname: str):
    """(catalog row, public function) of ``namespace.name``."""
    try:
        row = _catalog.find_row(qualname)
    except KeyError:
        names = [r.qualname for r in _catalog.ROWS]
        close = difflib.get_close_matches(qualname, names, n=3, cutoff=0.6)
        if "." not in qualname:
            close = [n for n in names if n.endswith("." + qualname)] or close
        hint = f"; did you mean {' or '.join(close)}?" if close else \
            " (give namespace.name, e.g. filters.gaussian; fastimg run --list)"
        raise CliError(f"unknown function {qualname!r}{hint}") from None
    module = importlib.import_module(f"fastimg.{row.namespace}")
    return row, getattr(module, row.name)


def parse_params(tokens, qualname: str, signature: inspect.Signature) -> dict:
    """``['--sigma', '2', '--mode=reflect']`` -> ``{'sigma': 2, 'mode':
    'reflect'}``, names checked against ``signature`` (its first parameter,
    the image, excluded)."""
    names = list(signature.parameters)[1:]
    valid = f"valid: {', '.join('--' + n for n in names)}" if names else "it takes none"
    kwargs = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith("--") or token == "--":
            raise CliError(f"{qualname}: expected --name value, got {token!r}")
        name, eq, value = token[2:].partition("=")
        if not eq:
            if i + 1 >= len(tokens):
                raise CliError(f"{qualname}: --{name} needs a value")
            value = tokens[i + 1]
            i += 1
        i += 1
        name = name.replace("-", "_")
        if name not in names:
            raise CliError(f"{qualname}: unknown parameter --{name}; {valid}")
        if name in kwargs:
            raise CliError(f"{qualname}: --{name} given twice")
        try:
            kwargs[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            kwargs[name] = value
    return kwargs


def _first_array(result):
    if isinstance(result, (tuple, list)) and result and isinstance(result[0], np.ndarray):
        return result[0]
    return result


def _is_picture(result, image) -> bool:
    """Whether an array result is a picture: the input's shape, or both
    sides at least 8 (a Hough space); not coordinates (N, 2) or a
    histogram per channel (3, 256)."""
    return (result.shape[:2] == image.shape[:2]
            or (result.ndim in (2, 3) and min(result.shape[:2]) >= 8))


def _apply(fn, qualname, image, kwargs, takes_channel_axis):
    """Call ``fn`` on ``image`` (per channel when it is colour and ``fn``
    has no channel_axis); errors become one line naming the function."""
    try:
        if image.ndim == 3 and not takes_channel_axis:
            planes = [_first_array(fn(image[..., c], **kwargs))
                      for c in range(image.shape[2])]
            if not all(isinstance(p, np.ndarray) and p.ndim == 2
                       and p.shape == planes[0].shape and _is_picture(p, image)
                       for p in planes):
                raise CliError(f"{qualname} applied per colour channel does not give an "
                               f"image per channel (convert the image to grey first)")
            return np.stack(planes, axis=-1)
        if image.ndim == 3 and "channel_axis" not in kwargs:
            kwargs = dict(kwargs, channel_axis=-1)
        return _first_array(fn(image, **kwargs))
    except CliError:
        raise
    except MemoryError:
        raise CliError(f"{qualname}: out of memory for this image and these "
                       f"parameters") from None
    except Exception as e:  # noqa: BLE001 - the function's own error, in one line
        message = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise CliError(f"{qualname}: {type(e).__name__}: {message}") from None


def run_function(qualname: str, source: str, target: str, tokens) -> int:
    """The ``run`` command; returns the exit status."""
    row, fn = find_function(qualname)
    signature = inspect.signature(_catalog.function(row))
    params = list(signature.parameters)
    if not params or params[0] not in IMAGE_PARAMETERS:
        first = params[0] if params else "nothing"
        raise CliError(f"{qualname} does not take an image (its first parameter is "
                       f"{first}): call it from Python")
    kwargs = parse_params(tokens, qualname, signature)
    image = _images.read_image(source)
    result = _apply(fn, qualname, image, kwargs, "channel_axis" in params)
    if isinstance(result, np.ndarray) and result.ndim == 2 and not _is_picture(result, image):
        raise CliError(f"{qualname} gives an array of shape {result.shape} (coordinates or "
                       f"a table, not an image): nothing written")
    if not isinstance(result, np.ndarray) or result.ndim not in (2, 3) or result.size == 0:
        text = repr(result)
        text = text if len(text) < 80 else text[:77] + "..."
        raise CliError(f"{qualname} gives {text}, not an image: nothing written")
    eight_bit = image.dtype in (np.uint8, np.bool_)
    note = _images.write_image(target, result, eight_bit=eight_bit)
    if note:
        print(f"fastimg run: note: {note}", file=sys.stderr)
    print(f"{qualname}: {source} {image.shape} {image.dtype} -> {target} "
          f"{result.shape} {result.dtype}")
    return 0


def list_functions() -> int:
    """``fastimg run --list``: the functions that take an image."""
    for row in _catalog.ROWS:
        params = list(inspect.signature(_catalog.function(row)).parameters)
        if params and params[0] in IMAGE_PARAMETERS:
            more = ", ..." if len(params) > 6 else ""
            print(f"{row.qualname:<34}({', '.join(params[1:6])}{more})")
    return 0
