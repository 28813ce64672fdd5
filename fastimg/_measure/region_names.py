"""Property names of ``skimage.measure.regionprops`` (scikit-image 0.26):
the deprecated aliases, the properties that need an intensity image or a
2-D image, those fastimg's ``regionprops_table`` computes, and the table's
columns as skimage lays them out."""
from __future__ import annotations

import numpy as np

__all__ = ["RENAMED", "KNOWN", "NEEDS_INTENSITY", "ONLY_2D", "SUPPORTED", "columns"]

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
#: the properties fastimg computes, with their column dtype
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
    'moments_weighted_hu': float,
}


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
    if name not in SUPPORTED:
        raise NotImplementedError(
            f"fastimg.measure.regionprops_table does not compute '{name}' yet (it computes "
            f"{', '.join(sorted(SUPPORTED))}); use skimage.measure.regionprops_table")
    return name


def columns(regions, properties, separator):
    """The table: one column per scalar or object property, one per
    element of the others (``prop{separator}i[{separator}j]``, views of one
    (regions, columns) array), from ``regions.get(name)``."""
    out = {}
    n = len(regions)
    for prop in properties:
        name = _prop_name(prop, regions)
        values = regions.get(name)
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
