"""``skimage.measure.regionprops``'s lazy region objects (scikit-image 0.26):
one :class:`RegionProperties` per present label, each property computed on
first access from the region's box, with skimage's NumPy / SciPy steps in
the same order (so values, shapes and types are identical), or, for the
properties the table computes exactly for all labels at once (area,
centroid, intensity statistics), read from that shared table."""
from __future__ import annotations

import inspect
import itertools
import math
import warnings
from functools import wraps

import numpy as np
from scipy import ndimage as ndi

from . import region_shape as S
from .region_moments import _hu, _local_centroid, _moments_about, _normalized
from .region_names import NEEDS_INTENSITY, RENAMED

__all__ = ["RegionProperties", "required_args", "infer_dtype"]

#: every current property name (what ``iter(region)`` lists)
PROP_VALS = set(RENAMED.values())


def required_args(func):
    """How many positional arguments ``func`` requires (skimage's rule:
    named arguments minus those with defaults)."""
    spec = inspect.getfullargspec(func)
    return len(spec.args) - (len(spec.defaults) if spec.defaults is not None else 0)


def infer_dtype(func, *, intensity, ndim):
    """The column dtype of an extra property: its result's type on two
    small masks (one pixel, then a 2x..x2 block), object when the two
    results' shapes differ."""
    one = np.pad(np.ones((1,) * ndim, dtype=bool), (0, 1), constant_values=False)
    two = np.pad(np.ones((2,) * ndim, dtype=bool), (1, 0), constant_values=False)
    rng = np.random.default_rng()
    call = func
    if intensity and required_args(func) == 2:
        def call(mask):
            return func(mask, rng.random(mask.shape))
    a, b = call(one), call(two)
    if np.isscalar(a) and np.isscalar(b) or np.array(a).shape == np.array(b).shape:
        return np.array(a).dtype.type
    return np.object_


def _cached(f):
    """Computed once per region when the region's cache is active."""
    @wraps(f)
    def wrapper(self):
        if not self._cache_active:
            return f(self)
        cache = self._cache
        if f.__name__ not in cache:
            cache[f.__name__] = f(self)
        return cache[f.__name__]
    return wrapper


def _only2d(f):
    @wraps(f)
    def wrapper(self):
        if self._ndim > 2:
            raise NotImplementedError(f"Property {f.__name__} is not implemented for 3D "
                                      "images")
        return f(self)
    return wrapper


def _bulk(f):
    """Taken from the shared all-labels table when the region has one."""
    @wraps(f)
    def wrapper(self):
        shared = self._shared
        if shared is not None:
            table, k = shared
            return table.region_value(f.__name__, k)
        return f(self)
    return wrapper


class RegionProperties:
    """Properties of one labeled region, computed on first access.

    The region ``label`` of ``label_image`` inside the box ``slice``;
    skimage's attribute names (deprecated lower-case aliases warn),
    ``region[name]`` and ``iter(region)`` over the property names.
    """

    def __init__(self, slice, label, label_image, intensity_image, cache_active, *,
                 extra_properties=None, spacing=None, offset=None, _shared=None):
        multichannel = False
        if intensity_image is not None:
            nd = label_image.ndim
            if not (intensity_image.shape[:nd] == label_image.shape
                    and intensity_image.ndim in [nd, nd + 1]):
                raise ValueError('Label and intensity image shapes must match, except for '
                                 'channel (last) axis.')
            multichannel = label_image.shape < intensity_image.shape
        self.label = label
        self._offset = np.array(np.zeros((label_image.ndim,), dtype=int)
                                if offset is None else offset)
        self._slice = slice
        self.slice = slice
        self._label_image = label_image
        self._intensity_image = intensity_image
        self._cache_active = cache_active
        self._cache = {}
        self._ndim = label_image.ndim
        self._multichannel = multichannel
        self._shared = _shared
        from .region_table import _spacing
        self._spacing = _spacing(np.full(self._ndim, 1.0) if spacing is None else spacing,
                                 self._ndim)
        self._pixel_area = np.prod(self._spacing)
        self._extra_properties = {}
        if extra_properties is not None:
            for func in extra_properties:
                name = func.__name__
                if hasattr(self, name):
                    warnings.warn(f"Extra property '{name}' is shadowed by existing property "
                                  "and will be inaccessible. Consider renaming it.",
                                  stacklevel=2)
            self._extra_properties = {f.__name__: f for f in extra_properties}

    #: the attributes regions of one image share
    _SHARED_ATTRS = ("_offset", "_label_image", "_intensity_image", "_cache_active", "_ndim",
                     "_multichannel", "_spacing", "_pixel_area", "_extra_properties")

    def _sibling(self, slice, label, shared):
        """Another region of the same image and arguments, without checking
        them again (they were checked for this one)."""
        obj = object.__new__(type(self))
        d = obj.__dict__
        for name in self._SHARED_ATTRS:
            d[name] = self.__dict__[name]
        d.update(label=label, _slice=slice, slice=slice, _cache={}, _shared=shared)
        return obj

    def __getattr__(self, attr):
        if attr == "__setstate__":
            # unpickling asks for it before the instance has any attribute
            return self.__getattribute__(attr)
        if self._intensity_image is None and attr in NEEDS_INTENSITY:
            raise AttributeError(f"Attribute '{attr}' unavailable when `intensity_image` "
                                 "has not been specified.")
        if attr in self._extra_properties:
            func = self._extra_properties[attr]
            n = required_args(func)
            if n == 2:
                if self._intensity_image is None:
                    raise AttributeError(f'intensity image required to calculate {attr}')
                if self._multichannel:
                    inten = self.image_intensity
                    return np.stack([func(self.image, inten[..., i])
                                     for i in range(inten.shape[-1])], axis=-1)
                return func(self.image, self.image_intensity)
            if n == 1:
                return func(self.image)
            raise AttributeError(f"Custom regionprop function's number of arguments must be "
                                 f"1 or 2, but {attr} takes {n} arguments.")
        if attr in RENAMED and attr.lower() == attr:
            if self._intensity_image is None and RENAMED[attr] in NEEDS_INTENSITY:
                raise AttributeError(f"Attribute '{attr}' unavailable when `intensity_image` "
                                     "has not been specified.")
            warnings.warn(f"`RegionProperties.{attr}` is deprecated starting in version 0.26 "
                          "and will be removed in version 2.0. Use "
                          f"`RegionProperties.{RENAMED[attr]}` instead. ",
                          category=FutureWarning, stacklevel=2)
            return getattr(self, RENAMED[attr])
        return self.__getattribute__(attr)

    def __setattr__(self, name, value):
        super().__setattr__(RENAMED.get(name, name), value)

    # ------------------------------------------------------------ geometry
    @property
    @_cached
    @_bulk
    def num_pixels(self):
        return np.sum(self.image)

    @property
    @_cached
    @_bulk
    def area(self):
        return np.sum(self.image) * self._pixel_area

    @property
    def bbox(self):
        nd = self._ndim
        return tuple([self.slice[i].start for i in range(nd)]
                     + [self.slice[i].stop for i in range(nd)])

    @property
    def area_bbox(self):
        return self.image.size * self._pixel_area

    @property
    @_bulk
    def centroid(self):
        return tuple(self.coords_scaled.mean(axis=0))

    @property
    @_cached
    def area_convex(self):
        return np.sum(self.image_convex) * self._pixel_area

    @property
    @_cached
    def image_convex(self):
        return S.convex_hull_image(self.image)

    def _box_start(self):
        return np.array([self.slice[i].start for i in range(self._ndim)])

    @property
    def coords_scaled(self):
        return (self._box_start() + np.argwhere(self.image)) * self._spacing + self._offset

    @property
    def coords(self):
        return self._box_start() + np.argwhere(self.image) + self._offset

    @property
    @_only2d
    def eccentricity(self):
        l1, l2 = self.inertia_tensor_eigvals
        return 0 if l1 == 0 else math.sqrt(1 - l2 / l1)

    @property
    def equivalent_diameter_area(self):
        return (2 * self._ndim * self.area / math.pi) ** (1 / self._ndim)

    @property
    def euler_number(self):
        if self._shared is not None and self._ndim == 2:
            return self._shared[0].get("euler_number")[self._shared[1]]
        return S.euler_number(self.image, self._ndim)

    @property
    def extent(self):
        return self.area / self.area_bbox

    @property
    def feret_diameter_max(self):
        return S.feret_diameter_max(self.image_convex, self._spacing)

    @property
    def area_filled(self):
        return np.sum(self.image_filled) * self._pixel_area

    @property
    @_cached
    def image_filled(self):
        return ndi.binary_fill_holes(self.image, np.ones((3,) * self._ndim))

    @property
    @_cached
    def image(self):
        return self._label_image[self.slice] == self.label

    @property
    @_cached
    def inertia_tensor(self):
        mu = self.moments_central
        nd = self._ndim
        mu0 = mu[(0,) * nd]
        out = np.zeros((nd, nd), dtype=mu.dtype)
        corners = tuple(2 * np.eye(nd, dtype=int))
        diag = np.diag(out)
        diag.flags.writeable = True
        diag[:] = (np.sum(mu[corners]) - mu[corners]) / mu0
        for dims in itertools.combinations(range(nd), 2):
            index = np.zeros(nd, dtype=int)
            index[list(dims)] = 1
            out[dims] = -mu[tuple(index)] / mu0
            out.T[dims] = -mu[tuple(index)] / mu0
        return out

    @property
    @_cached
    def inertia_tensor_eigvals(self):
        ev = np.linalg.eigvalsh(self.inertia_tensor)
        ev = np.clip(ev, 0, None, out=ev)
        return sorted(ev, reverse=True)

    @property
    @_cached
    def image_intensity(self):
        if self._intensity_image is None:
            raise AttributeError('No intensity image specified.')
        mask = self.image if not self._multichannel else np.expand_dims(self.image, self._ndim)
        return self._intensity_image[self.slice] * mask

    def _image_intensity_double(self):
        return self.image_intensity.astype(np.float64, copy=False)

    @property
    def centroid_local(self):
        return _local_centroid(self.moments, self._ndim)

    @property
    @_bulk
    def intensity_max(self):
        return np.max(self.image_intensity[self.image], axis=0).astype(np.float64, copy=False)

    @property
    @_bulk
    def intensity_mean(self):
        return np.mean(self.image_intensity[self.image], axis=0)

    @property
    def intensity_median(self):
        return np.median(self.image_intensity[self.image], axis=0)

    @property
    @_bulk
    def intensity_min(self):
        return np.min(self.image_intensity[self.image], axis=0).astype(np.float64, copy=False)

    @property
    @_bulk
    def intensity_std(self):
        return np.std(self.image_intensity[self.image], axis=0)

    @property
    def axis_major_length(self):
        ev = self.inertia_tensor_eigvals
        if self._ndim == 2:
            return 4 * math.sqrt(ev[0])
        return math.sqrt(max(0, 10 * (ev[0] + ev[1] - ev[2])))

    @property
    def axis_minor_length(self):
        ev = self.inertia_tensor_eigvals
        if self._ndim == 2:
            return 4 * math.sqrt(ev[-1])
        return math.sqrt(max(0, 10 * (-ev[0] + ev[1] + ev[2])))

    @property
    @_cached
    def moments(self):
        return _moments_about(self.image.astype(np.uint8), (0,) * self._ndim, self._spacing)

    @property
    @_cached
    def moments_central(self):
        centre = None
        if self._shared is not None and np.all(self._spacing == np.round(self._spacing)):
            # integer spacings: the table's local centroid (exact integer
            # sums over the count) is skimage's m_10 / m_00 bit for bit, and
            # spares a pass over the box
            table, k = self._shared
            centre = table.get("centroid_local")[k]
        if centre is None:
            centre = self.centroid_local
        return _moments_about(self.image.astype(np.uint8), centre, self._spacing)

    @property
    @_only2d
    def moments_hu(self):
        if any(s != 1.0 for s in self._spacing):
            raise NotImplementedError('`moments_hu` supports spacing = (1, 1) only')
        return _hu(self.moments_normalized[None])[0]

    @property
    @_cached
    def moments_normalized(self):
        return _normalized(self.moments_central, self._spacing)

    @property
    @_only2d
    def orientation(self):
        a, b, b, c = self.inertia_tensor.flat
        if a - c == 0:
            return math.pi / 4.0 if b < 0 else -math.pi / 4.0
        return 0.5 * math.atan2(-2 * b, c - a)

    def _isotropic(self):
        if len(np.unique(self._spacing)) != 1:
            raise NotImplementedError('`perimeter` supports isotropic spacings only')

    @property
    @_only2d
    def perimeter(self):
        self._isotropic()
        if self._shared is not None:
            table, k = self._shared
            return table.get("perimeter")[k]
        return S.perimeter(self.image, 4) * self._spacing[0]

    @property
    @_only2d
    def perimeter_crofton(self):
        self._isotropic()
        if self._shared is not None:
            return self._shared[0].get("perimeter_crofton")[self._shared[1]]
        return S.perimeter_crofton(self.image) * self._spacing[0]

    @property
    def solidity(self):
        return self.area / self.area_convex

    # ------------------------------------------------------------ weighted
    def _per_channel(self, fn, *arrays):
        if not self._multichannel:
            return fn(*arrays)
        n = self._intensity_image.shape[-1]
        return np.stack([fn(*(a[..., i] for a in arrays)) for i in range(n)], axis=-1)

    @property
    def centroid_weighted(self):
        ctr = self.centroid_weighted_local
        return tuple(i + s.start * sp for i, s, sp in zip(ctr, self.slice, self._spacing))

    @property
    def centroid_weighted_local(self):
        return _local_centroid(self.moments_weighted, self._ndim)

    @property
    @_cached
    def moments_weighted(self):
        zero = (0,) * self._ndim
        return self._per_channel(lambda im: _moments_about(im, zero, self._spacing),
                                 self._image_intensity_double())

    @property
    @_cached
    def moments_weighted_central(self):
        return self._per_channel(lambda im, c: _moments_about(im, c, self._spacing),
                                 self._image_intensity_double(),
                                 self.centroid_weighted_local)

    @property
    @_only2d
    def moments_weighted_hu(self):
        if not (np.array(self._spacing) == np.array([1, 1])).all():
            raise NotImplementedError('`moments_hu` supports spacing = (1, 1) only')
        return self._per_channel(lambda nu: _hu(nu[None])[0],
                                 self.moments_weighted_normalized)

    @property
    @_cached
    def moments_weighted_normalized(self):
        return self._per_channel(lambda mu: _normalized(mu, self._spacing),
                                 self.moments_weighted_central)

    # ------------------------------------------------------------ protocol
    def __iter__(self):
        props = PROP_VALS
        if self._intensity_image is None:
            props = props.difference(NEEDS_INTENSITY)
        return iter(sorted(props))

    def __getitem__(self, key):
        if key in RENAMED:
            warnings.warn(f"`RegionProperties[{key!r}]` is deprecated starting in version "
                          "0.26 and will be removed in version 2.0. Use "
                          f"`RegionProperties[{RENAMED[key]!r}]` instead. ",
                          category=FutureWarning, stacklevel=2)
            key = RENAMED[key]
        return getattr(self, key)

    def __eq__(self, other):
        if not isinstance(other, RegionProperties):
            return False
        for key in PROP_VALS:
            try:
                # NaNs compare equal here
                np.testing.assert_equal(getattr(self, key, None), getattr(other, key, None))
            except AssertionError:
                return False
        return True

    def __repr__(self):
        return f"<{type(self).__qualname__}: label={self.label!r}, bbox={self.bbox}>"
