"""Docstring texts shared by the public functions, written once.

A public wrapper's docstring names a shared text by a placeholder line
holding only ``{key}`` (``{mode}``, ``{cval}``, ``{origin}``, ``{output}``,
``{workers}`` ...) at the indentation of the other parameters, and the
wrapper is decorated with :data:`fill_doc`, which replaces the line by the
text of :data:`PARAMETERS` indented the same way.

A family with texts of its own (parameters several of its functions share,
a common Notes section) makes its decorator from :data:`fill_doc` with
:meth:`DocFiller.with_texts`, e.g.
``_mask_doc = fill_doc.with_texts(mask_params=_MASK_PARAMS)``, and decorates
with it instead: it fills the family's keys (``{mask_params}``) and the
shared ones (``{workers}``) alike.

Under ``python -OO`` docstrings are None and the decorators leave them so.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, TypeVar

# decorating returns the function itself: type checkers keep its signature
_F = TypeVar("_F", bound=Callable[..., Any])

__all__ = ["PARAMETERS", "DocFiller", "fill_doc"]

_MODE_VALUES = """\
'reflect' (`d c b a | a b c d | d c b a`)
    The input is extended by reflecting about the edge of the last
    pixel. This mode is also sometimes referred to as half-sample
    symmetric.

'constant' (`k k k k | a b c d | k k k k`)
    The input is extended by filling all values beyond the edge with
    the same constant value, defined by the `cval` parameter.

'nearest' (`a a a a | a b c d | d d d d`)
    The input is extended by replicating the last pixel.

'mirror' (`d c b | a b c d | c b a`)
    The input is extended by reflecting about the center of the last
    pixel. This mode is also sometimes referred to as whole-sample
    symmetric.

'wrap' (`a b c d | a b c d | a b c d`)
    The input is extended by wrapping around to the opposite edge.

For consistency with the interpolation functions, the following mode
names can also be used:

'grid-mirror'
    This is a synonym for 'reflect'.

'grid-constant'
    This is a synonym for 'constant'.

'grid-wrap'
    This is a synonym for 'wrap'."""


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else "" for line in text.split("\n"))


#: key -> numpydoc parameter entry (name line unindented, description
#: indented by four spaces)
PARAMETERS = {
    "mode": (
        "mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap'}, optional\n"
        "    The `mode` parameter determines how the input array is extended\n"
        "    beyond its boundaries. Default is 'reflect'. Behavior for each valid\n"
        "    value is as follows:\n\n" + _indent(_MODE_VALUES)),
    "mode_multiple": (
        "mode : str or sequence, optional\n"
        "    The `mode` parameter determines how the input array is extended\n"
        "    when the filter overlaps a border. By passing a sequence of modes\n"
        "    with length equal to the number of dimensions of the input array\n"
        "    (of `axes`, when given), different modes can be specified along\n"
        "    each axis. Default value is 'reflect'. The valid values and their\n"
        "    behavior is as follows:\n\n" + _indent(_MODE_VALUES)),
    "cval": (
        "cval : scalar, optional\n"
        "    Value to fill past edges of input if `mode` is 'constant'. Default\n"
        "    is 0.0."),
    "origin": (
        "origin : int, optional\n"
        "    Controls the placement of the filter on the input array's pixels.\n"
        "    A value of 0 (the default) centers the filter over the pixel, with\n"
        "    positive values shifting the filter to the left, and negative ones\n"
        "    to the right."),
    "origin_multiple": (
        "origin : int or sequence, optional\n"
        "    Controls the placement of the filter on the input array's pixels.\n"
        "    A value of 0 (the default) centers the filter over the pixel, with\n"
        "    positive values shifting the filter to the left, and negative ones\n"
        "    to the right. By passing a sequence of origins with length equal to\n"
        "    the number of dimensions of the input array (of `axes`, when\n"
        "    given), different shifts can be specified along each axis."),
    "output": (
        "output : array or dtype, optional\n"
        "    The array in which to place the output, or the dtype of the\n"
        "    returned array. By default an array of the same dtype as input\n"
        "    will be created."),
    "signal_mode": (
        "mode : str {'full', 'valid', 'same'}, optional\n"
        "    A string indicating the size of the output:\n\n"
        "    ``full``\n"
        "       The output is the full discrete linear convolution (or\n"
        "       cross-correlation) of the inputs. (Default)\n"
        "    ``valid``\n"
        "       The output consists only of those elements that do not\n"
        "       rely on the zero-padding. In 'valid' mode, either `in1` or `in2`\n"
        "       must be at least as large as the other in every dimension.\n"
        "    ``same``\n"
        "       The output is the same size as `in1`, centered\n"
        "       with respect to the 'full' output."),
    "signal_boundary": (
        "boundary : str {'fill', 'wrap', 'symm'}, optional\n"
        "    A flag indicating how to handle boundaries ('pad', 'circular' and\n"
        "    'symmetric' are accepted as aliases of these three):\n\n"
        "    ``fill``\n"
        "       pad input arrays with fillvalue. (default)\n"
        "    ``wrap``\n"
        "       circular boundary conditions.\n"
        "    ``symm``\n"
        "       symmetrical boundary conditions."),
    "signal_method": (
        "method : {'direct', 'fft', 'auto'}, optional\n"
        "    Keyword-only; fastimg's addition (scipy.signal's 2-D functions\n"
        "    have no such parameter). ``'direct'`` (the default) is sigtools'\n"
        "    sum, bit for bit; ``'fft'`` computes float and complex results\n"
        "    with ``scipy.signal.fftconvolve``; ``'auto'`` does so where\n"
        "    ``scipy.signal.choose_conv_method`` would pick the FFT. Integer\n"
        "    results always take the direct sum. See Notes."),
    "workers": (
        "workers : int or None, optional\n"
        "    Keyword-only; fastimg's addition (the anchor has no such\n"
        "    parameter). The number of threads for this call: None (the\n"
        "    default) uses this thread's ``fastimg.set_num_threads`` (all cores\n"
        "    unless set),\n"
        "    -1 all cores (-k: all but k - 1), a positive integer at most\n"
        "    ``NUMBA_NUM_THREADS``. Small inputs may run on one thread whatever\n"
        "    its value."),
    # median and rank filters
    "size_foot": (
        "size : scalar or tuple, optional\n"
        "    See footprint, below. Ignored if footprint is given.\n"
        "footprint : array, optional\n"
        "    Either `size` or `footprint` must be defined. `size` gives\n"
        "    the shape that is taken from the input array, at every element\n"
        "    position, to define the input to the filter function.\n"
        "    `footprint` is a boolean array that specifies (implicitly) a\n"
        "    shape, but also which of the elements within this shape will get\n"
        "    passed to the filter function. Thus ``size=(n,m)`` is equivalent\n"
        "    to ``footprint=np.ones((n,m))``. We adjust `size` to the number\n"
        "    of dimensions of the input array, so that, if the input array is\n"
        "    shape (10,10,10), and `size` is 2, then the actual size used is\n"
        "    (2,2,2). When `footprint` is given, `size` is ignored."),
    "rank_axes": (
        "axes : tuple of int or None, optional\n"
        "    Keyword-only. If None, `input` is filtered along all axes.\n"
        "    Otherwise, `input` is filtered along the specified axes. When `axes`\n"
        "    is specified, any tuples used for `size`, `origin`, and/or `mode`\n"
        "    must match the length of `axes`. The ith entry in any of these\n"
        "    tuples corresponds to the ith entry in `axes`."),
    "nan_policy": (
        "nan_policy : {None, 'propagate', 'omit'}, optional\n"
        "    Keyword-only; fastimg's addition (SciPy leaves NaN results\n"
        "    undefined). None (the default): NaN sorts above every number, as\n"
        "    in ``np.sort``, so a window's result is NaN only when its rank\n"
        "    falls on a NaN. ``'propagate'``: NaN wherever the window holds a\n"
        "    NaN. ``'omit'``: the rank is taken among the window's non-NaN\n"
        "    values (median: element ``m // 2`` of the m valid values;\n"
        "    percentile and negative ranks from m; minimum/maximum of the valid\n"
        "    values); NaN when no valid value or the rank is >= m. With a\n"
        "    nan_policy, 1-D inputs rank only the footprint's True cells (SciPy's\n"
        "    1-D path, reproduced by default, ranks the whole footprint box)."),
    # region measurement (regionprops, regionprops_table)
    "label_image": (
        "label_image : (M, N[, P]) ndarray\n"
        "    Labeled input image. Labels with value 0 are ignored."),
    "intensity_image": (
        "intensity_image : (M, N[, P][, C]) ndarray, optional\n"
        "    Intensity (i.e., input) image with same size as labeled image, plus\n"
        "    optionally an extra dimension for multichannel data (the last axis).\n"
        "    Default is None."),
    "extra_properties": (
        "extra_properties : Iterable of callables\n"
        "    Extra property functions: each takes the region's mask, and the\n"
        "    region's intensity image when it requires two arguments; the\n"
        "    property is named after the function."),
    "region_spacing": (
        "spacing : tuple of float, shape (ndim,)\n"
        "    The pixel spacing along each axis of the image."),
}

_PLACEHOLDER = re.compile(r"^([ \t]*)\{([A-Za-z_]+)\}[ \t]*$", re.MULTILINE)


def _normalise(text: str) -> str:
    # a family may write its texts at its docstrings' indentation; the
    # placeholder's line end ends the text, so trailing newlines would add
    # blank lines
    return textwrap.dedent(text).rstrip("\n")


class DocFiller:
    """Decorator: replace every placeholder line ``{key}`` of a function's
    docstring by the text of ``key``, indented like the placeholder.

    Parameters
    ----------
    texts : mapping of str to str
        key -> text (a numpydoc entry or section).  Texts are dedented and
        their trailing newlines dropped; a text may hold placeholder lines
        itself (``{workers}`` inside a family's shared tail), filled the
        same way.

    Notes
    -----
    Unknown keys raise ``KeyError`` at decoration, i.e. at import, so a
    typo cannot ship.  A missing docstring (``python -OO``) is left as it
    is.
    """

    def __init__(self, texts):
        self._texts = {key: _normalise(text) for key, text in texts.items()}

    @property
    def texts(self):
        """The texts this filler knows, read-only."""
        return MappingProxyType(self._texts)

    def with_texts(self, texts=None, /, **more) -> DocFiller:
        """A filler that knows ``texts`` (and the keyword ``more``) besides
        this one's texts.

        A key this filler already has raises ``ValueError``: a family adds
        texts, it does not silently change a shared one.
        """
        new = dict(texts or {}, **more)
        clash = sorted(set(new) & set(self._texts))
        if clash:
            raise ValueError(f"docstring texts already defined: {clash}")
        return DocFiller({**self._texts, **new})

    def fill(self, doc: str) -> str:
        """``doc`` with its placeholder lines replaced."""
        return self._fill(doc, ())

    def _fill(self, doc, outer):
        def text(m):
            key = m.group(2)
            if key in outer:
                raise ValueError(f"docstring text {key!r} contains itself "
                                 f"(through {' -> '.join(outer)})")
            return _indent(self._fill(self._texts[key], outer + (key,)), m.group(1))
        return _PLACEHOLDER.sub(text, doc)

    def __call__(self, func: _F) -> _F:
        doc = func.__doc__
        if doc:
            func.__doc__ = self.fill(doc)
        return func


#: The decorator filling the keys of :data:`PARAMETERS`.
fill_doc = DocFiller(PARAMETERS)
