"""Public wrapper of ``skimage.measure.regionprops_table`` (scikit-image
0.26) for the properties computed over all labels at once.

Rules reproduced from scikit-image (``_regionprops.py``):

* checks in its order: rank 2 or 3 (TypeError), integer labels (bool and
  other dtypes: TypeError), spacing (scalar or one per axis, real, finite),
  the intensity image's shape (ValueError, only when a region exists);
* regions are the labels 1..max present in the image (``find_objects``);
  with none, the columns come from a one-pixel dummy image, emptied;
* columns: scalar properties one column each, fixed-size ones one column
  per element named ``prop{separator}i[{separator}j]`` (views of one
  (regions, columns) array, as skimage's are), object properties
  (``image``, ``coords``, ``slice``) object arrays; deprecated names are
  accepted and kept as the column name;
* values: ``area = count * prod(spacing)``, the centroid the mean of
  ``coordinate * spacing`` (NumPy's pairwise column sums), intensity
  statistics as ``np.min`` / ``np.max`` / ``np.mean`` / ``np.std`` of the
  region's values in C order (pairwise sums);
* 2-D moments of order <= 3 (raw, central about the local centroid) as
  skimage's two matrix products sum them: NumPy's pow of the offsets, row
  sums per column, then column sums with fused multiply-adds (OpenBLAS's
  kernels; identical for boxes up to 256 pixels a side, above which
  OpenBLAS blocks its sums: larger boxes take the region objects' path);
  normalized and
  Hu moments from them as skimage computes them (the intensity-weighted
  moments and centroids likewise, with fused products in the row sums;
  one-column boxes by skimage's own NumPy calls, whose matrix-vector
  product BLAS sums its own way); the inertia tensor from
  the second central moments, its eigenvalues by ``np.linalg.eigvalsh``
  clipped at 0, largest first, ``eccentricity``, ``orientation``
  (``math.atan2``) and axis lengths as skimage derives them.

2-D perimeters and Euler numbers come from one pass each: per label, the
histogram of skimage's border-pixel codes (perimeter) or of the 2x2
configurations of its padded box (Crofton perimeter, Euler number with
connectivity 2), dotted with skimage's weights region by region as skimage
dots them.

The other properties (3-D Euler numbers, convex and filled images, Feret
diameter, intensity image and median, scaled coordinates),
every moment-derived property in 3-D or of a region whose box exceeds 256
pixels a side, multichannel or float16 intensities and ``extra_properties``
come from the region objects (:mod:`.region_object`), column by column as
skimage assembles them (:func:`.region_names.columns`).
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

from .._core.docs import fill_doc
from . import region_kernels as K
from .region_moments import MomentsMixin
from .region_names import SUPPORTED, columns

__all__ = ["regionprops_table", "SUPPORTED"]

def _spacing(spacing, ndim):
    """skimage's ``_normalize_spacing``."""
    spacing = np.array(spacing)
    if spacing.shape == ():
        spacing = np.broadcast_to(spacing, shape=(ndim,))
    elif spacing.shape != (ndim,):
        raise ValueError(f"spacing isn't a scalar nor a sequence of shape {(ndim,)}, "
                         f"got {spacing}.")
    if not all(isinstance(s, Real) for s in spacing):
        raise TypeError(f"Element of spacing isn't float or integer type, got {spacing}.")
    if not all(np.isfinite(spacing)):
        raise ValueError("Invalid spacing parameter. All elements must be finite, "
                         f"got {spacing}.")
    return spacing


def _check_labels(label_image):
    if label_image.ndim not in (2, 3):
        raise TypeError(f'Only 2-D and 3-D images supported (got {label_image.ndim}-D).')
    if not np.issubdtype(label_image.dtype, np.integer):
        if np.issubdtype(label_image.dtype, bool):
            raise TypeError('Non-integer image types are ambiguous: use '
                            'skimage.measure.label to label the connected components of '
                            'label_image, or label_image.astype(np.uint8) to interpret the '
                            'True values as a single label.')
        raise TypeError('Non-integer label_image types are ambiguous '
                        f'(got dtype {label_image.dtype})')


class _Regions(MomentsMixin):
    """The statistics of every present label, computed once, property by
    property on demand."""

    def __init__(self, label_image, intensity_image, spacing, *, cache=True,
                 extra_properties=None, offset=None, raw_spacing=None):
        self.ndim = nd = label_image.ndim
        # what the region objects are built from (see ``objects``)
        self.cache_active, self.extra, self.offset = cache, extra_properties, offset
        self.raw_spacing = raw_spacing
        self.extra_names = {f.__name__ for f in extra_properties or ()}
        self._objects = None
        self.labels_img = label_image
        self.intensity = intensity_image
        self.spacing = spacing
        # native byte order: the kernels compile for native dtypes only
        lab3 = np.ascontiguousarray(label_image.reshape((1,) * (3 - nd) + label_image.shape),
                                    dtype=label_image.dtype.newbyteorder('='))
        if lab3.dtype.kind == "u" and lab3.dtype.itemsize == 8:
            # labels above 2**63 are never counted (no such label can exist in
            # an image that fits in memory: they would need that many boxes)
            lab3 = np.minimum(lab3, np.uint64(2**62)).astype(np.int64)
        self.lab3 = lab3
        # (an empty image raises NumPy's ValueError, as find_objects does)
        nlab = int(label_image.max())
        self.nlab = nlab = max(nlab, 0)
        count = np.zeros(nlab + 1, np.int64)
        lo = np.zeros((nlab + 1, 3), np.int64)
        hi = np.zeros((nlab + 1, 3), np.int64)
        isum = np.zeros((nlab + 1, 3), np.int64)
        K.region_scan(lab3, nlab, count, lo, hi, isum)
        present = np.flatnonzero(count)
        self.present = present
        self.count = count[present]
        self.lo = lo[present][:, 3 - nd:]
        self.hi = hi[present][:, 3 - nd:]
        self.isum = isum[present][:, 3 - nd:]
        self.all_lo, self.all_count = lo, count
        self._cache = {}

    def __len__(self):
        return self.present.size

    def objects(self, shared=False):
        """skimage's region objects, one per present label, in label order
        (``shared``: reading area, centroid and intensity statistics from
        this table).  The first is built as skimage builds each (checking
        the intensity image and spacing, warning about shadowed extra
        properties); without extra properties the others copy its checked
        arguments."""
        if self._objects is None:
            from .region_object import RegionProperties
            slices = self.get("slice")

            def build(k):
                return RegionProperties(
                    slices[k], int(self.present[k]), self.labels_img, self.intensity,
                    self.cache_active, extra_properties=self.extra, spacing=self.raw_spacing,
                    offset=self.offset, _shared=(self, k) if shared else None)
            if self.extra is not None or not len(self):
                self._objects = [build(k) for k in range(len(self))]
            else:
                first = build(0)
                self._objects = [first] + [
                    first._sibling(slices[k], int(self.present[k]),
                                   (self, k) if shared else None)
                    for k in range(1, len(self))]
        return self._objects

    def shared_objects(self):
        """The region objects of a table (no offset)."""
        return self.objects(shared=_shareable(self, 0))

    def shared_object(self, k):
        """Region ``k``'s object of :meth:`shared_objects`, without building
        the others' (a table reads a few large regions from their objects:
        building ten thousand objects cost a third of the table)."""
        if self._objects is not None or self.extra is not None:
            return self.shared_objects()[k]
        from .region_object import RegionProperties
        box = tuple(slice(int(a), int(b)) for a, b in zip(self.lo[k], self.hi[k]))
        shared = (self, k) if _shareable(self, 0) else None
        return RegionProperties(box, int(self.present[k]), self.labels_img, self.intensity,
                                self.cache_active, extra_properties=None,
                                spacing=self.raw_spacing, offset=self.offset, _shared=shared)

    def region_value(self, name, k):
        """Region ``k``'s ``name`` as skimage's region object returns it."""
        if name in ("num_pixels", "area", "intensity_min", "intensity_max"):
            if name.startswith("intensity") and self.intensity is None:
                raise AttributeError('No intensity image specified.')
            return self.get(name)[k]
        if name == "centroid":
            return tuple(self.get(name)[k])
        if self.intensity is None:
            raise AttributeError('No intensity image specified.')
        return self.get(name)[k]

    def get(self, prop):
        if prop not in self._cache:
            self._cache[prop] = getattr(self, "_" + prop)()
        return self._cache[prop]

    # ---------------------------------------------------------- geometry
    def _label(self):
        return self.present

    def _bbox(self):
        return np.concatenate([self.lo, self.hi], axis=1)

    def _num_pixels(self):
        return self.count

    def _pixel_area(self):
        return np.prod(self.spacing)

    def _area(self):
        return self.count * self.get("pixel_area")

    def _area_bbox(self):
        return np.prod(self.hi - self.lo, axis=1) * self.get("pixel_area")

    def _extent(self):
        return self.get("area") / self.get("area_bbox")

    def _equivalent_diameter_area(self):
        nd = self.ndim
        return np.array([(2 * nd * float(a) / math.pi) ** (1 / nd) for a in self.get("area")])

    def _centroid(self):
        sp = self.spacing.astype(np.float64)
        if np.all(sp == np.round(sp)):
            # integer coordinates times integer spacings: the sums are exact
            # whatever their order
            return (self.isum * sp).astype(np.float64) / self.count[:, None]
        # skimage's coords_scaled is Fortran-ordered: NumPy sums each column
        # pairwise, in the pixels' C order
        order, first, last = self.get("order")
        bounds = np.append(first, last[-1:])
        idx = np.unravel_index(order, self.labels_img.shape)
        out = np.empty((len(self), self.ndim))
        for d in range(self.ndim):
            col = np.empty(len(self))
            K.region_sums(np.ascontiguousarray(idx[d] * sp[d]), bounds, col)
            out[:, d] = col
        return out / self.count[:, None]

    def _centroid_local(self):
        sp = self.spacing.astype(np.float64)
        if np.all(sp == np.round(sp)):
            # raw local moments over M00: exact integer sums
            local = (self.isum - self.count[:, None] * self.lo).astype(np.float64)
            return local * sp / self.count[:, None]
        if self.ndim == 2:
            m = self.get("moments")
            return np.stack([m[:, 1, 0], m[:, 0, 1]], axis=1) / m[:, :1, 0]
        local = (self.isum - self.count[:, None] * self.lo).astype(np.float64)
        return local * sp / self.count[:, None]

    def _inertia_tensor(self):
        # 2-D only: 3-D tensors come from the region objects (see
        # region_names.MOMENT_PROPS)
        nd = self.ndim
        m = self.get("moments_central")
        # (m_zz, m_rr, m_cc, m_zr, m_zc, m_rc)
        mu = np.zeros((len(self), 6))
        mu[:, 1], mu[:, 2], mu[:, 5] = m[:, 2, 0], m[:, 0, 2], m[:, 1, 1]
        m0 = self.count.astype(np.float64)
        diag = mu[:, [0, 1, 2]][:, 3 - nd:]
        total = diag[:, 0] + diag[:, 1] if nd == 2 else (diag[:, 0] + diag[:, 1]) + diag[:, 2]
        t = np.zeros((len(self), nd, nd))
        for i in range(nd):
            t[:, i, i] = (total - diag[:, i]) / m0
        pairs = {(0, 1): 3, (0, 2): 4, (1, 2): 5} if nd == 3 else {(0, 1): 5}
        for (i, j), col in pairs.items():
            t[:, i, j] = t[:, j, i] = -mu[:, col] / m0
        return t

    def _inertia_tensor_eigvals(self):
        ev = np.linalg.eigvalsh(self.get("inertia_tensor"))
        np.clip(ev, 0, None, out=ev)
        return ev[:, ::-1]

    def _eccentricity(self):
        ev = self.get("inertia_tensor_eigvals")
        l1, l2 = ev[:, 0], ev[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(l1 == 0, 0.0, np.sqrt(1 - l2 / np.where(l1 == 0, 1, l1)))

    def _orientation(self):
        t = self.get("inertia_tensor")
        out = np.empty(len(self))
        for k in range(len(self)):
            a, b, c = float(t[k, 0, 0]), float(t[k, 0, 1]), float(t[k, 1, 1])
            if a - c == 0:
                out[k] = math.pi / 4.0 if b < 0 else -math.pi / 4.0
            else:
                out[k] = 0.5 * math.atan2(-2 * b, c - a)
        return out

    def _axis_major_length(self):
        ev = self.get("inertia_tensor_eigvals")
        if self.ndim == 2:
            return 4 * np.sqrt(ev[:, 0])
        return np.sqrt(np.maximum(0, 10 * (ev[:, 0] + ev[:, 1] - ev[:, 2])))

    def _axis_minor_length(self):
        ev = self.get("inertia_tensor_eigvals")
        if self.ndim == 2:
            return 4 * np.sqrt(ev[:, -1])
        return np.sqrt(np.maximum(0, 10 * (-ev[:, 0] + ev[:, 1] + ev[:, 2])))

    def _perimeter(self):
        """skimage's per-region perimeter for all labels from one pass
        (each region's code histogram dotted with the weights as skimage
        dots it, then times the spacing)."""
        from .region_shape import _PERIMETER_WEIGHTS
        hist = np.zeros((self.nlab + 1, 50), np.int64)
        lab = self.lab3[0]
        K.region_perimeter_codes(lab, self.nlab, np.empty(lab.shape, np.uint8), hist)
        sp = self.spacing[0]
        return np.array([hist[k] @ _PERIMETER_WEIGHTS * sp for k in self.present])

    def _configurations(self):
        """Each region's 2x2 configuration histogram (16 codes)."""
        hist = np.zeros((self.nlab + 1, 16), np.int64)
        K.region_configurations(self.lab3[0], self.nlab, hist)
        return hist[self.present]

    def _euler_number(self):
        from .region_shape import _EULER_2D
        # skimage's connectivity for regions: the image's rank (2)
        return np.array([_EULER_2D[2] @ h for h in self.get("configurations")])

    def _perimeter_crofton(self):
        from .region_shape import _CROFTON_4
        sp = self.spacing[0]
        return np.array([_CROFTON_4 @ h * sp for h in self.get("configurations")])

    # ---------------------------------------------------------- objects
    def _order(self):
        start = np.zeros(self.nlab + 2, np.int64)
        np.cumsum(self.all_count, out=start[1:])
        order = np.empty(int(start[-1]), np.int64)
        K.region_order(self.lab3, self.nlab, start[:-1].copy(), order)
        return order, start[self.present], start[self.present + 1]

    def _slice(self):
        return [tuple(slice(int(a), int(b)) for a, b in zip(lo, hi))
                for lo, hi in zip(self.lo, self.hi)]

    def _image(self):
        img = self.labels_img
        return [img[s] == lab for s, lab in zip(self.get("slice"), self.present)]

    def _coords(self):
        order, first, last = self.get("order")
        idx = np.stack(np.unravel_index(order, self.labels_img.shape), axis=1)
        return [idx[a:b] for a, b in zip(first, last)]

    # ---------------------------------------------------------- intensity
    def _small_int_stats(self):
        """Min, max and mean of 8- and 16-bit integer (or bool) intensities
        in one pass: their sums are exact in float64 whatever the order."""
        vals = np.ascontiguousarray(self.intensity,
                                    dtype=self.intensity.dtype.newbyteorder('=')).reshape(-1)
        if vals.dtype == np.bool_:
            vals = vals.view(np.uint8)
        info = np.iinfo(vals.dtype)
        mn = np.full(self.nlab + 1, info.max, vals.dtype)
        mx = np.full(self.nlab + 1, info.min, vals.dtype)
        total = np.zeros(self.nlab + 1, np.int64)
        K.region_int_stats(self.lab3.reshape(-1), self.nlab, vals, mn, mx, total)
        p = self.present
        return mn[p], mx[p], total[p].astype(np.float64) / self.count

    def _stats(self):
        """(min, max, mean, std) in the accumulation type."""
        order, first, last = self.get("order")
        raw = self.intensity.reshape(-1)[order]
        acc = np.float64 if raw.dtype.kind in "biu" else raw.dtype.newbyteorder('=')
        if raw.dtype == np.float16:
            raise NotImplementedError("fastimg.measure.regionprops_table: float16 intensity "
                                      "images are not supported (convert to float32)")
        vals = np.ascontiguousarray(raw, dtype=acc)
        bounds = np.append(first, last[-1:]) if len(first) else np.zeros(1, np.int64)
        n = len(self)
        cnt = self.count.astype(acc)
        mn, mx = np.empty(n, acc), np.empty(n, acc)
        mean, var = np.empty(n, acc), np.empty(n, acc)
        K.region_intensity(vals, bounds, cnt, np.empty_like(vals), mn, mx, mean, var)
        return mn, mx, mean, np.sqrt(var)

    def _quick_stats(self):
        small = self.intensity.dtype.kind in "biu" and self.intensity.dtype.itemsize <= 2
        return self.get("small_int_stats" if small else "stats")

    def _intensity_min(self):
        return self.get("quick_stats")[0].astype(np.float64)

    def _intensity_max(self):
        return self.get("quick_stats")[1].astype(np.float64)

    def _intensity_mean(self):
        return self.get("quick_stats")[2]

    def _intensity_std(self):
        return self.get("stats")[3]


@fill_doc
def regionprops_table(label_image, intensity_image=None, properties=('label', 'bbox'), *,
                      cache=True, separator='-', extra_properties=None, spacing=None):
    """Compute image properties and return them as a pandas-compatible table.

    Drop-in for :func:`skimage.measure.regionprops_table` (scikit-image
    0.26): every property of :func:`fastimg.measure.regionprops`.

    Parameters
    ----------
    {label_image}
    {intensity_image}
    properties : tuple or list of str, optional
        Properties that will be included in the resulting dictionary.
    cache : bool, optional
        Whether the region objects cache the properties they compute (the
        all-labels columns are computed once either way).
    separator : str, optional
        Separator between a property name and the element index of its
        columns (``centroid-0``, ``inertia_tensor-0-1``; the channel of a
        multichannel intensity image: ``intensity_mean-0``).
    {extra_properties}
    {region_spacing}

    Returns
    -------
    out_dict : dict
        Dictionary mapping property names to an array of values of that
        property, one value per region.

    Notes
    -----
    Differences from :func:`skimage.measure.regionprops_table`: none in
    the results (values, dtypes, column names); error messages add what
    was received.  Columns computed for all labels at once where the sums
    can be reproduced (see the module notes), the others region by region
    (boxes above 256 pixels a side: the moment-derived values of those
    regions).  An extra property's column dtype is inferred from two small
    calls.

    Examples
    --------
    >>> import numpy as np
    >>> from fastimg.measure import regionprops_table
    >>> lab = np.array([[1, 1, 0], [0, 2, 2], [0, 2, 2]])
    >>> t = regionprops_table(lab, properties=('label', 'area', 'centroid'))
    >>> t['label'], t['area'], t['centroid-0']
    (array([1, 2]), array([2., 4.]), array([0. , 1.5]))
    """
    _check_labels(label_image)
    raw_spacing = spacing
    spacing = _spacing(np.full(label_image.ndim, 1.0) if spacing is None else spacing,
                       label_image.ndim)
    regions = _Regions(label_image, intensity_image, spacing, cache=cache,
                       extra_properties=extra_properties, raw_spacing=raw_spacing)
    if extra_properties is not None:
        properties = list(properties) + [f.__name__ for f in extra_properties]
    if len(regions) == 0:
        nd = label_image.ndim
        dummy = np.zeros((3,) * nd, dtype=int)
        dummy[(1,) * nd] = 1
        dummy_int = None
        if intensity_image is not None:
            dummy_int = np.zeros(dummy.shape + intensity_image.shape[nd:],
                                 dtype=intensity_image.dtype)
        extra_names = {f.__name__ for f in extra_properties or ()}
        return {k: v[:0] for k, v in regionprops_table(
            dummy, dummy_int, [p for p in properties if p not in extra_names],
            cache=cache, separator=separator, extra_properties=extra_properties,
            spacing=raw_spacing).items()}
    _check_intensity(label_image, intensity_image)
    if extra_properties is not None:
        regions.shared_objects()       # skimage warns here about shadowed names
    return columns(regions, properties, separator)


def _check_intensity(label_image, intensity_image):
    nd = label_image.ndim
    if intensity_image is not None and not (intensity_image.shape[:nd] == label_image.shape
                                            and intensity_image.ndim in [nd, nd + 1]):
        raise ValueError('Label and intensity image shapes must match, except for '
                         f'channel (last) axis (got {label_image.shape} and '
                         f'{intensity_image.shape}).')


def _shareable(regions, offset):
    """Whether region objects may read the all-labels table: it reproduces
    skimage's sums without an offset and for one-channel intensities NumPy
    sums natively."""
    inten = regions.intensity
    return not np.any(offset) and (
        inten is None or (inten.ndim == regions.ndim and inten.dtype != np.float16))
