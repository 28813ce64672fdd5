"""Property names of ``skimage.measure.regionprops`` (scikit-image 0.26):
the deprecated aliases, the properties that need an intensity image or a
2-D image, the columns' dtypes, those the all-labels table computes, and
the table's columns as skimage lays them out."""
from __future__ import annotations

import numpy as np

__all__ = ["RENAMED", "KNOWN", "NEEDS_INTENSITY", "ONLY_2D", "SUPPORTED", "FAST", "columns"]

#: deprecated property names (skimage's ``PROPS``) -> current names
RENAMED = {
    'Area': 'area', 'BoundingBox': 'bbox', 'BoundingBoxArea': 'area_bbox',
    'bbox_area': 'area_bbox', 'CentralMoments': 'moments_central', 'Centroid': 'centroid',
    'ConvexArea': 'area_convex', 'convex_area': 'area_convex', 'ConvexImage': 'image_convex',
    'convex_image': 'image_convex', 'Coordinates': 'coords', 'Eccentricity': 'eccentricity',
    'EquivDiameter': 'equivalent_diameter_area',
    'equivalent_diameter': 'equivalent_diameter_area', 'EulerNumber': 'euler_number',
    'Extent': 'extent', 'FeretDiameter': 'feret_diameter_max',
    'FeretDiameterMax': 'feret_diameter_max', 'FilledArea': 'area_filled',
    'filled_area': 'area_filled', 'FilledImage': 'image_filled',
    'filled_image': 'image_filled', 'HuMoments': 'moments_hu', 'Image': 'image',
    'InertiaTensor': 'inertia_tensor', 'InertiaTensorEigvals': 'inertia_tensor_eigvals',
    'IntensityImage': 'image_intensity', 'intensity_image': 'image_intensity',
    'Label': 'label', 'LocalCentroid': 'centroid_local', 'local_centroid': 'centroid_local',
    'MajorAxisLength': 'axis_major_length', 'major_axis_length': 'axis_major_length',
    'MaxIntensity': 'intensity_max', 'max_intensity': 'intensity_max',
    'MeanIntensity': 'intensity_mean', 'mean_intensity': 'intensity_mean',
    'MinIntensity': 'intensity_min', 'min_intensity': 'intensity_min',
    'std_intensity': 'intensity_std', 'MinorAxisLength': 'axis_minor_length',
    'minor_axis_length': 'axis_minor_length', 'Moments': 'moments',
    'NormalizedMoments': 'moments_normalized', 'Orientation': 'orientation',
    'Perimeter': 'perimeter', 'CroftonPerimeter': 'perimeter_crofton', 'Slice': 'slice',
    'Solidity': 'solidity', 'WeightedCentralMoments': 'moments_weighted_central',
    'weighted_moments_central': 'moments_weighted_central',
    'WeightedCentroid': 'centroid_weighted', 'weighted_centroid': 'centroid_weighted',
    'WeightedHuMoments': 'moments_weighted_hu', 'weighted_moments_hu': 'moments_weighted_hu',
    'WeightedLocalCentroid': 'centroid_weighted_local',
    'weighted_local_centroid': 'centroid_weighted_local',
    'WeightedMoments': 'moments_weighted', 'weighted_moments': 'moments_weighted',
    'WeightedNormalizedMoments': 'moments_weighted_normalized',
    'weighted_moments_normalized': 'moments_weighted_normalized',
}
#: every property skimage 0.26 knows
KNOWN = set(RENAMED.values()) | {'num_pixels', 'coords_scaled', 'intensity_median',
                                   'intensity_std'}
NEEDS_INTENSITY = {'image_intensity', 'intensity_max', 'intensity_mean', 'intensity_median',
                    'intensity_min', 'intensity_std', 'moments_weighted',
                    'moments_weighted_central', 'centroid_weighted', 'centroid_weighted_local',
                    'moments_weighted_hu', 'moments_weighted_normalized'}
ONLY_2D = {'eccentricity', 'orientation', 'moments_hu', 'moments_weighted_hu', 'perimeter',
            'perimeter_crofton'}
#: every property's column dtype (skimage's ``COL_DTYPES``)
SUPPORTED = {
    'label': int, 'bbox': int, 'num_pixels': int, 'area': float, 'area_bbox': float,
    'extent': float, 'equivalent_diameter_area': float, 'centroid': float,
    'centroid_local': float, 'inertia_tensor': float, 'inertia_tensor_eigvals': float,
    'eccentricity': float, 'orientation': float, 'axis_major_length': float,
    'axis_minor_length': float, 'intensity_mean': float, 'intensity_min': float,
    'intensity_max': float, 'intensity_std': float, 'image': object, 'coords': object,
    'slice': object, 'moments': float, 'moments_central': float,
    'moments_normalized': float, 'moments_hu': float, 'centroid_weighted': float,
    'centroid_weighted_local': float, 'moments_weighted': float,
    'moments_weighted_central': float, 'moments_weighted_normalized': float,
    'moments_weighted_hu': float, 'area_convex': float, 'area_filled': float,
    'coords_scaled': object, 'euler_number': int, 'feret_diameter_max': float,
    'image_convex': object, 'image_filled': object, 'image_intensity': object,
    'intensity_median': float, 'perimeter': float, 'perimeter_crofton': float,
    'solidity': float,
}
#: the properties the table computes for all labels at once (the others,
#: and these on multichannel or float16 intensities or as 3-D moments, come
#: from the per-region objects)
FAST = {
    'label', 'bbox', 'num_pixels', 'area', 'area_bbox', 'extent',
    'equivalent_diameter_area', 'centroid', 'centroid_local', 'inertia_tensor',
    'inertia_tensor_eigvals', 'eccentricity', 'orientation', 'axis_major_length',
    'axis_minor_length', 'intensity_mean', 'intensity_min', 'intensity_max',
    'intensity_std', 'image', 'coords', 'slice', 'moments', 'moments_central',
    'moments_normalized', 'moments_hu', 'centroid_weighted', 'centroid_weighted_local',
    'moments_weighted', 'moments_weighted_central', 'moments_weighted_normalized',
    'moments_weighted_hu',
}
#: computed from the moment sums; 3-D: from the per-region objects, whose
#: N-D tensor contractions sum in an order the table does not reproduce
MOMENT_PROPS = {'moments', 'moments_central', 'moments_normalized', 'centroid_weighted',
                'centroid_weighted_local', 'moments_weighted', 'moments_weighted_central',
                'moments_weighted_normalized', 'centroid_local', 'inertia_tensor',
                'inertia_tensor_eigvals', 'axis_major_length', 'axis_minor_length'}


def _prop_name(prop, regions):
    """The current name of ``prop``, or the error skimage's attribute lookup
    raises for it."""
    name = RENAMED.get(prop, prop)
    if not isinstance(name, str) or name not in KNOWN:
        raise AttributeError(f"'RegionProperties' object has no attribute '{prop}'")
    if regions.intensity is None and name in NEEDS_INTENSITY:
        raise AttributeError(f"Attribute '{name}' unavailable when `intensity_image` has "
                             "not been specified.")
    if regions.ndim > 2 and name in ONLY_2D:
        raise NotImplementedError(f"Property {name} is not implemented for 3D images")
    return name


#: derived from the 2-D moment sums, whose BLAS order the table reproduces
#: for boxes up to 256 pixels a side
DERIVED_2D = MOMENT_PROPS | {'eccentricity', 'orientation', 'moments_hu',
                             'moments_weighted_hu'}


def _fast(name, regions):
    """Whether the all-labels table computes ``name`` for ``regions``."""
    if name in ('perimeter', 'perimeter_crofton'):
        return len(np.unique(regions.spacing)) == 1      # else the objects raise
    if name == 'euler_number':
        return regions.ndim == 2
    if name not in FAST or (regions.ndim == 3 and name in MOMENT_PROPS):
        return False
    inten = regions.intensity
    return name not in NEEDS_INTENSITY or (inten.ndim == regions.ndim
                                           and inten.dtype != np.float16)


def columns(regions, properties, separator):
    """The table: one column per scalar or object property, one per
    element of the others (``prop{separator}i[{separator}j]``, views of one
    (regions, columns) array), from ``regions.get(name)``."""
    out = {}
    n = len(regions)
    for prop in properties:
        if prop in regions.extra_names:
            out.update(_object_columns(regions.shared_objects(), prop, prop, separator))
            continue
        name = _prop_name(prop, regions)
        if not _fast(name, regions):
            out.update(_object_columns(regions.shared_objects(), prop, name, separator))
            continue
        values = regions.get(name)
        if name in DERIVED_2D:
            values = _big_boxes(regions, name, values)
        dtype = SUPPORTED[name]
        if dtype is object:
            col = np.empty(n, dtype=object)
            for i in range(n):
                col[i] = values[i]
            out[prop] = col
            continue
        values = np.asarray(values)
        if values.ndim == 1:
            out[prop] = values.astype(dtype)
            continue
        shape = values.shape[1:]
        block = values.reshape(n, -1).astype(dtype)
        for i, ind in enumerate(np.ndindex(shape)):
            out[separator.join(map(str, (prop,) + ind))] = block[:, i]
    return out


def _big_boxes(regions, name, values):
    """``values`` with the rows of regions whose box exceeds 256 pixels a
    side (where OpenBLAS blocks the moment sums the table reproduces) taken
    from the region objects."""
    big = np.flatnonzero(np.any(regions.hi - regions.lo > 256, axis=1))
    if big.size == 0:
        return values
    values = np.array(values)
    for k in big:
        values[k] = np.asarray(getattr(regions.shared_object(k), name))
    return values


def _object_columns(objs, prop, name, separator):
    """skimage's columns of ``name`` from the region objects: one per
    scalar or object property, else one per element of the first region's
    value (coerced to the column dtype)."""
    first = getattr(objs[0], name)
    if name in SUPPORTED:
        dtype = SUPPORTED[name]
    else:
        from .region_object import infer_dtype
        obj = objs[0]
        dtype = infer_dtype(obj._extra_properties[name],
                            intensity=obj._intensity_image is not None, ndim=obj.image.ndim)
    n = len(objs)
    if np.isscalar(first) or dtype is object or dtype is np.object_:
        col = np.empty(n, dtype=dtype)
        for i in range(n):
            col[i] = objs[i][name]
        return {prop: np.copy(col)}
    names, locs = [], []
    for ind in np.ndindex(np.shape(first)):
        names.append(separator.join(map(str, (prop,) + ind)))
        locs.append(ind if len(ind) > 1 else ind[0])
    data = np.empty((n, len(locs)), dtype=dtype)
    for k in range(n):
        value = np.asarray(objs[k][name])
        for i, loc in enumerate(locs):
            data[k, i] = value[loc]
    return {nm: data[:, i] for i, nm in enumerate(names)}
