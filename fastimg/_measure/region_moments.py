"""The moment properties of ``regionprops_table`` (2-D): raw, central,
normalized and Hu moments, plain and intensity-weighted, with the weighted
centroids, summed as scikit-image's ``moments_central`` sums them (see
:func:`fastimg._measure.region_kernels.region_moments_2d`)."""
from __future__ import annotations

import itertools

import numpy as np

from . import region_kernels as K

__all__ = ["MomentsMixin"]


class MomentsMixin:
    """Moment properties of :class:`fastimg._measure.region_table._Regions`
    (its boxes, labels, spacing and intensity image)."""

    def _moments_2d(self, centre, weighted=False):
        """Moments (regions, 4, 4) of order <= 3 about ``centre`` (per
        region, local coordinates), as skimage's ``moments_central``
        computes them: powers of the offsets by NumPy's pow, then the sums
        of its two matrix products (see ``region_moments_2d``)."""
        size = self.hi - self.lo
        sp = self.spacing.astype(np.float64)
        offs, powers = [], []
        for d in range(2):
            off = np.zeros(self.nlab + 2, np.int64)
            off[self.present + 1] = size[:, d]
            np.cumsum(off, out=off)
            local = np.arange(off[-1]) - np.repeat(off[self.present], size[:, d])
            delta = local * sp[d] - np.repeat(centre[:, d], size[:, d])
            # skimage's ``delta[:, None] ** arange(4.)`` (NumPy's pow, not
            # x * x): elementwise the same values
            pw = np.empty((delta.size, 4))
            pw[:, 0] = 1.0
            pw[:, 1] = delta
            for e in (2, 3):
                np.power(delta, np.full_like(delta, float(e)), out=pw[:, e])
            offs.append(off)
            powers.append(pw)
        lo = np.zeros((self.nlab + 1, 2), np.int64)
        lo[self.present] = self.lo
        out = np.zeros((self.nlab + 1, 4, 4))
        weights = (np.ascontiguousarray(self.intensity, dtype=np.float64) if weighted
                   else np.zeros((1, 1)))
        K.region_moments_2d(np.ascontiguousarray(self.lab3[0]), self.nlab, lo, offs[0],
                            offs[1], powers[0], powers[1], weights, weighted,
                            np.zeros((offs[1][-1], 4)), out)
        out = out[self.present]
        # one-column boxes: NumPy hands skimage's first product to BLAS's
        # matrix-vector kernel, which sums in its own order; the same NumPy
        # calls give the same values
        for k in np.flatnonzero((size[:, 1] == 1) & (size[:, 0] > 1)):
            (r0, c0), (r1, _) = self.lo[k], self.hi[k]
            col = self.labels_img[r0:r1, c0:c0 + 1] == self.present[k]
            vals = (self.intensity[r0:r1, c0:c0 + 1] * col if weighted else col)
            out[k] = _column_moments(vals.astype(np.float64), sp, centre[k])
        return out

    def _moments(self):
        self._no_3d_moments("moments")
        return self._moments_2d(np.zeros((len(self), 2)))

    def _moments_central(self):
        self._no_3d_moments("moments_central")
        return self._moments_2d(self.get("centroid_local"))

    def _moments_weighted(self):
        self._no_3d_moments("moments_weighted")
        return self._moments_2d(np.zeros((len(self), 2)), weighted=True)

    def _centroid_weighted_local(self):
        m = self.get("moments_weighted")
        return np.stack([m[:, 1, 0], m[:, 0, 1]], axis=1) / m[:, :1, 0]

    def _centroid_weighted(self):
        return self.get("centroid_weighted_local") + self.lo * self.spacing.astype(np.float64)

    def _moments_weighted_central(self):
        self._no_3d_moments("moments_weighted_central")
        return self._moments_2d(self.get("centroid_weighted_local"), weighted=True)

    def _moments_weighted_normalized(self):
        return self._normalized(self.get("moments_weighted_central"))

    def _moments_weighted_hu(self):
        if any(s != 1.0 for s in self.spacing):
            raise NotImplementedError('`moments_hu` supports spacing = (1, 1) only')
        return _hu(self.get("moments_weighted_normalized"))

    def _moments_normalized(self):
        return self._normalized(self.get("moments_central"))

    def _normalized(self, mu):
        # NumPy scalars, as skimage's (C pow; a zero mu0 gives inf or NaN)
        scale = min(self.spacing.astype(np.float64))
        nu = np.empty_like(mu)
        for k in range(len(self)):
            mu0 = mu[k, 0, 0]
            for p in range(4):
                for q in range(4):
                    s = p + q
                    nu[k, p, q] = np.nan if s < 2 else (
                        (mu[k, p, q] / scale ** s) / mu0 ** (s / 2 + 1))
        return nu

    def _moments_hu(self):
        if any(s != 1.0 for s in self.spacing):
            raise NotImplementedError('`moments_hu` supports spacing = (1, 1) only')
        return _hu(self.get("moments_normalized"))

    def _no_3d_moments(self, name):
        if self.ndim == 3:
            raise NotImplementedError(f"fastimg.measure.regionprops_table does not compute "
                                      f"'{name}' of 3-D images yet")


def _column_moments(img, sp, centre):
    """Moments of order <= 3 of a one-column (H, 1) float64 image about
    ``centre``, by skimage's sequence of NumPy calls (a product per axis
    with the powers 0..3 of the offsets, the axis moved last first)."""
    calc = img
    for d in range(2):
        delta = np.arange(img.shape[d], dtype=np.float64) * sp[d] - centre[d]
        calc = np.rollaxis(calc, d, 2)
        calc = np.dot(calc, delta[:, np.newaxis] ** np.arange(4, dtype=np.float64))
        calc = np.rollaxis(calc, 1, d)
    return calc


def _hu(nu):
    """skimage's ``moments_hu`` of each region's normalized moments (same
    operations in the same order)."""
    n = lambda p, q: nu[:, p, q]  # noqa: E731
    t0, t1 = n(3, 0) + n(1, 2), n(2, 1) + n(0, 3)
    q0, q1 = t0 * t0, t1 * t1
    n4 = 4 * n(1, 1)
    s, d = n(2, 0) + n(0, 2), n(2, 0) - n(0, 2)
    hu = np.empty((nu.shape[0], 7))
    hu[:, 0] = s
    hu[:, 1] = d * d + n4 * n(1, 1)
    hu[:, 3] = q0 + q1
    hu[:, 5] = d * (q0 - q1) + n4 * t0 * t1
    t0 = t0 * (q0 - 3 * q1)
    t1 = t1 * (3 * q0 - q1)
    q0, q1 = n(3, 0) - 3 * n(1, 2), 3 * n(2, 1) - n(0, 3)
    hu[:, 2] = q0 * q0 + q1 * q1
    hu[:, 4] = q0 * t0 + q1 * t1
    hu[:, 6] = q1 * t0 - q0 * t1
    return hu


def _moments_about(image, centre, spacing):
    """Moments of order <= 3 of ``image`` about ``centre``: one tensor
    contraction per axis with the powers 0..3 of the offsets (NumPy's
    ``einsum`` with the greedy path, as skimage contracts them)."""
    ftype = np.float32 if image.dtype in (np.float16, np.float32) else np.float64
    calc = image.astype(ftype, copy=False)
    nd = image.ndim
    axes = list(range(nd))
    for d, n in enumerate(image.shape):
        delta = np.arange(n, dtype=ftype) * spacing[d] - centre[d]
        powers = delta[:, np.newaxis] ** np.arange(4, dtype=ftype)
        calc = np.einsum(calc, axes[:d] + [nd] + axes[d + 1:], powers, [nd, nd + 1],
                         axes[:d] + [nd + 1] + axes[d + 1:], optimize='greedy')
    return calc


def _normalized(mu, spacing):
    if np.any(np.array(mu.shape) <= 3):
        raise ValueError("Shape of image moments must be >= `order`")
    nu = np.zeros_like(mu)
    mu0 = mu.ravel()[0]
    scale = min(spacing)
    for powers in itertools.product(range(4), repeat=mu.ndim):
        s = sum(powers)
        nu[powers] = np.nan if s < 2 else (mu[powers] / scale ** s) / (
            mu0 ** (s / nu.ndim + 1))
    return nu


def _local_centroid(m, nd):
    m0 = m[(0,) * nd]
    return np.asarray(tuple(m[(0,) * a + (1,) + (0,) * (nd - 1 - a)] / m0 for a in range(nd)))
