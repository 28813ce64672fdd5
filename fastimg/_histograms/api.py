"""Public wrapper of the histograms family: scikit-image 0.26's
``skimage.exposure.histogram`` on the shared counting of
``fastimg._core.histogram``."""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._core.docs import fill_doc
from .._core.histogram import (MAX_FLOAT_BINS, Flat, check_source_range, hist_flat, np_bin_edges,
                               np_get_range, np_histogram1, np_int_centers, warn)
from .._core.sk_args import dtype_limits

__all__ = ["histogram"]


@fill_doc
def histogram(image: npt.ArrayLike, nbins: int = 256, source_range: str = "image",
              normalize: bool = False, *, channel_axis: int | None = None,
              workers: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return histogram of image.

    Drop-in for :func:`skimage.exposure.histogram` (scikit-image 0.26).

    Unlike `numpy.histogram`, this function returns the centers of bins and
    does not rebin integer arrays. For integer arrays, each integer value has
    its own bin.

    Parameters
    ----------
    image : array_like
        Input image.
    nbins : int, optional
        Number of bins used to calculate histogram. This value is ignored for
        integer arrays.
    source_range : {'image', 'dtype'}, optional
        'image' (default) determines the range from the input image.
        'dtype' determines the range from the expected range of the images
        of that data type.
    normalize : bool, optional
        If True, normalize the histogram by the sum of its values.
    channel_axis : int or None, optional
        Keyword-only. If None, the image is assumed to be a grayscale
        (single channel) image. Otherwise, this parameter indicates which
        axis of the array corresponds to channels (one histogram per
        channel, common bins).
    {workers}

    Returns
    -------
    hist : array
        The values of the histogram (int64, float64 when normalized). When
        ``channel_axis`` is not None, hist is 2D with channels first.
    bin_centers : array
        The values at the center of the bins.

    Notes
    -----
    Differences from :func:`skimage.exposure.histogram`: none in results;
    ``workers`` is extra.  Counting is one parallel pass with per-thread
    sub-histograms.  Float bin assignment reproduces
    ``np.histogram`` exactly (its uniform-bin index formula in the image's
    float dtype, corrected against the ``np.linspace`` edges).  skimage's
    decorator moves ``channel_axis`` only when ``image`` is passed
    positionally; fastimg always moves it.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg import exposure
    >>> hist, centers = exposure.histogram(np.array([[0, 1, 1], [2, 2, 2]], np.uint8))
    >>> hist.tolist(), centers.tolist()
    ([1, 2, 3], [0, 1, 2])
    """
    if (channel_axis is None and not isinstance(image, np.ndarray)
            and hasattr(image, "__array_function__") and hasattr(image, "shape")):
        # duck arrays (dask...): skimage's NumPy code dispatches to them and
        # returns their type; do the same
        if len(image.shape) == 3 and image.shape[-1] < 4:
            warn("This might be a color image. The histogram will be "
                  "computed on the flattened image. You can instead "
                  "apply this function to each color channel, or set "
                  "channel_axis.")
        return np_histogram1(image, nbins, source_range, normalize)
    image = np.asarray(image)
    if channel_axis is not None:
        ax = channel_axis
        if np.isscalar(ax):
            ax = (ax,)
        if len(ax) > 1:
            raise ValueError("only a single channel axis is currently supported")
        if not (ax == (-1,) or ax == -1):
            image = np.moveaxis(image, ax[0], -1)
    sh = image.shape
    if len(sh) == 3 and sh[-1] < 4 and channel_axis is None:
        warn("This might be a color image. The histogram will be "
              "computed on the flattened image. You can instead "
              "apply this function to each color channel, or set "
              "channel_axis.")
    if channel_axis is None:
        return hist_flat(image, nbins, source_range, normalize, workers=workers)

    channels = sh[-1]
    integer = np.issubdtype(image.dtype, np.integer)
    if integer:
        check_source_range(source_range)
    else:
        hist_range = np_get_range(source_range, image.dtype)
    flat = Flat(image, None, workers)
    if flat.fast and integer:
        if source_range == "image":
            lo, hi, cnt, _ = flat.minmax()
            if cnt == 0:
                raise ValueError("zero-size array to reduction operation minimum "
                                 "which has no identity")
            lo, hi = int(lo), int(hi)
        else:
            lo, hi = dtype_limits(image.dtype)
        centers = np.arange(lo, hi + 1)
        hists = []
        for c in range(channels):
            h = Flat(image[..., c], None, workers).int_counts(lo, hi - lo + 1)
            hists.append(h / np.sum(h) if normalize else h)
        return np.stack(hists, axis=0), centers
    if flat.fast and image.size and isinstance(nbins, (int, np.integer)) \
            and not isinstance(nbins, bool) and 1 <= nbins <= MAX_FLOAT_BINS:
        edges = np_bin_edges(image, nbins, hist_range)
        centers = (edges[:-1] + edges[1:]) / 2.0
        hists = []
        for c in range(channels):
            # explicit edges: np.histogram's searchsorted rule, which the
            # corrected index reproduces; nothing outside [e0, e-1] counts
            h = Flat(image[..., c], None, workers).float_counts(edges[0], edges[-1], edges,
                                                                  search=True)
            hists.append(h / np.sum(h) if normalize else h)
        return np.stack(hists, axis=0), centers
    # NumPy transcription of skimage for everything else
    if integer:
        bins = np_int_centers(image, source_range)
    else:
        bins = np_bin_edges(image, nbins, hist_range)
    hists = []
    for c in range(channels):
        h, bc = np_histogram1(image[..., c], bins, source_range, normalize)
        hists.append(h)
    return np.stack(hists, axis=0), np.asarray(bc)
