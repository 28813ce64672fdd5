"""Jitted cores of Canny's sweep (the hysteresis is in
``hysteresis_kernels``).

``canny_rows`` is a range core (``fastimg._core.dispatch.run`` hands blocks
of rows to threads) that sweeps the input image once: each block computes
its smoothed rows (SciPy's two Gaussian passes on skimage's float image, the
bleed-over division), their Sobel responses, the magnitude and
scikit-image's bilinear non-maximum suppression, keeping only a ring of
converted input rows and 3-row rings of smoothed rows, row derivatives,
gradients and magnitudes, and writes one class byte per pixel (0 none,
1 weak: NMS value > 0, 2 strong: also >= high) and, with ``WANT_BITS``, the
class rows packed into bits for the hysteresis.  The smoothed image, the
gradients and the magnitude never go to memory unless a stage asks for
them (``flags``).  A block recomputes two smoothed rows on each side.

Its arguments are two named tuples (Numba unboxes them into plain structs
once per call; reading a field costs nothing in the loops):
:class:`Smoothing`, what the smoothing reads, and :class:`Sweep`, what one
sweep computes and where it writes.

Fusing the stages saves the full-size intermediate arrays skimage allocates
(smoothed image, two gradients, magnitude, NMS map).  The input comes in one
of three typed slots (:class:`Smoothing` ``x8`` / ``x16`` / ``xf``, the
others empty), so the sweep compiles once per float type (float32, float64),
not once per input dtype: uint8, uint16 and float64 images, which skimage
all smooths in double, share one specialisation (the wrapper converts the
other dtypes first).

Arithmetic copied from the anchors:

* ``scipy.ndimage.sobel`` (SciPy 1.17, mode 'reflect'): ``[-1, 0, 1]`` along
  the derivative axis as ``x0 * 0 + (x[-1] - x[+1]) * -1`` in double, stored
  in the smoothed dtype, then ``[1, 2, 1]`` across as ``x0 * 2 + (x[-1] +
  x[+1]) * 1`` in double, stored again (NI_Correlate1D's symmetric forms);
* skimage 0.26 ``canny``: ``isobel * isobel + jsobel * jsobel`` and the
  square root in the smoothed dtype;
* skimage 0.26 ``_nonmaximum_suppression_bilinear``: the low threshold is a
  C float (the caller passes it as a double holding a float32 value), ``w``
  is a quotient in the image's float type, ``n2 * w`` a product in that type
  and ``n1 * (1.0 - w)`` and the sum in double (the literal ``1.0`` is a
  double in the Cython source).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._core.jit import kernel

#: ``Sweep.flags`` bits
WANT_MAGNITUDE = 1   # write the magnitude of rows [start, stop) into magnitude
WANT_NMS = 2         # write the NMS values of rows [start, stop) into nms
MAGNITUDE_ONLY = 4   # skip NMS and classes (quantile thresholds need the magnitude first)
SMOOTH_ONLY = 8      # only the smoothed rows (bleed-over divisors: the smoothed mask or ones)
WANT_SMOOTHED = 16   # also write the smoothed rows [start, stop) into smoothed
WANT_BITS = 32       # also pack the classes into bit rows (weak-or-strong, strong)

#: Stand-ins for the arrays a sweep leaves out (outputs it does not write,
#: no mask, no bleed-over table), one per dtype those arrays have: empty,
#: made once at import, never indexed (``Sweep.flags``, ``has_mask`` and
#: ``has_bleed`` say which arrays are real).  Typed like the real arrays, so
#: every call on one input dtype shares one compiled specialisation;
#: ``None`` would compile one per combination of absent arrays.
NO_OUTPUT = {np.dtype(t): np.empty((0, 0), t)
             for t in (np.uint8, np.uint16, np.uint64, np.float32, np.float64)}
#: ``Smoothing.code``: which slot holds the input
X8, X16, XF = 0, 1, 2
#: ``Smoothing.ri`` without a bleed-over table.
NO_ROWS = np.empty(0, np.int64)


class Smoothing(NamedTuple):
    """What the smoothing of ``canny_rows`` reads: skimage's float image of
    ``x`` and SciPy's two Gaussian passes over it, then the bleed-over
    division."""
    x8: np.ndarray      #: the input when uint8 (else NO_OUTPUT), 2-D C
    x16: np.ndarray     #: ... when uint16
    xf: np.ndarray      #: ... when in the float type (float32 / float64)
    code: int           #: X8, X16 or XF: the slot holding the input
    scale: float        #: skimage's float image is ``double(x) * scale``
    fv: np.ndarray      #: Gaussian weights along axis 0 ([1.0]: axis skipped)
    fh: np.ndarray      #: ... along axis 1
    rmap: np.ndarray    #: extended row index -> row of x (-1: cval)
    cmap: np.ndarray    #: extended column index -> column (-1: cval)
    cval: float
    has_bleed: bool     #: divide row i by ``bleed[ri[i]]``
    bleed: np.ndarray   #: divisor rows, 2-D C in the float type (or NO_OUTPUT)
    ri: np.ndarray      #: row of ``bleed`` for each image row (or NO_ROWS)


class Sweep(NamedTuple):
    """What one ``canny_rows`` sweep computes and where it writes.  The
    arrays are full-size 2-D C arrays, or ``NO_OUTPUT`` of their dtype when
    ``flags`` (or ``has_mask``) leaves them out; ``smoothed``,
    ``magnitude`` and ``nms`` are in the float type (float32 / float64);
    ``wbits`` / ``mbits`` hold ``ceil(width / 64)`` words per row, pixel
    ``64 q + b`` in bit ``b`` of word ``q`` (the hysteresis' layout)."""
    flags: int          #: WANT_* / *_ONLY bits
    low: float          #: the float32 low threshold, as a double
    high: float         #: the high threshold as NumPy compares it (a double)
    has_mask: bool
    mask: np.ndarray    #: uint8, read when ``has_mask``
    cls: np.ndarray     #: uint8 classes (0 / 1 weak / 2 strong), unless *_ONLY
    smoothed: np.ndarray
    magnitude: np.ndarray
    nms: np.ndarray
    wbits: np.ndarray   #: uint64 bit rows of the weak-or-strong pixels (WANT_BITS)
    mbits: np.ndarray   #: ... of the strong pixels


@kernel
def _load_row(x8, x16, xf, code, src, scale, cval, out):
    """Extended row ``src`` of the input (slot ``code``) as skimage's float
    image (double): ``double(v) * scale`` (img_as_float's ``v * (1 / max)``
    for uint8 / uint16; scale 1.0 for floats, which leaves every value as
    it is), or ``cval`` where ``src < 0`` (SciPy extends the converted
    image)."""
    w = out.shape[0]
    if src < 0:
        for c in range(w):
            out[c] = cval
    elif code == X8:
        r8 = x8[src]
        for c in range(w):
            out[c] = np.float64(r8[c]) * scale
    elif code == X16:
        r16 = x16[src]
        for c in range(w):
            out[c] = np.float64(r16[c]) * scale
    else:
        rf = xf[src]
        for c in range(w):
            out[c] = np.float64(rf[c]) * scale


@kernel
def _smooth_row(x8, x16, xf, code, i, scale, fv, fh, rmap, cmap, cval, bleed, ri,
                has_bleed, ring, acc, vrow, ext, hrow, orow):
    """Row ``i`` of skimage canny's smoothed image into ``orow`` (the fields
    of :class:`Smoothing`): SciPy's Gaussian pass along axis 0 (weights
    ``fv``, extended rows ``rmap``), stored in the float type, then along
    axis 1 (``fh``, ``cmap``), stored again, then divided by
    ``bleed[ri[i]]`` when ``has_bleed``.  The ring
    holds converted extended rows ``i .. i + kv - 2``; row ``i + kv - 1`` is
    loaded here, so rows must come in increasing order.

    Arithmetic of NI_Correlate1D for symmetric weights, in double:
    ``x0 * w0``, then ``+= (x[-j] + x[+j]) * w[-j]`` for j = r .. 1.  An
    axis SciPy skips (sigma <= 1e-15) gets the weights ``[1.0]``, which
    leave every value unchanged (``x * 1.0 == x``)."""
    w = acc.shape[0]
    kv = fv.shape[0]
    rv = kv // 2
    rh = fh.shape[0] // 2
    m_new = i + kv - 1
    direct = code == X8
    for m in range(i, m_new + 1):
        direct = direct and rmap[m] >= 0
    wc = fv[rv]
    if direct:
        # 8-bit rows read and converted in the loops (``double(v) * scale``,
        # the ring's values): the ring of double rows (nine rows of 32 KiB
        # at 4096 columns) stays out of the cache; the uint8 sweep took
        # 5-12% less CPU time at 4096x4096, 3-5% at 2048x2048
        r0 = x8[rmap[i + rv]]
        for c in range(w):
            acc[c] = (np.float64(r0[c]) * scale) * wc
        for jj in range(-rv, 0):
            ra = x8[rmap[i + rv + jj]]
            rb = x8[rmap[i + rv - jj]]
            wj = fv[rv + jj]
            for c in range(w):
                acc[c] += (np.float64(ra[c]) * scale + np.float64(rb[c]) * scale) * wj
    else:
        # the direct rows leave the ring stale: reload all of it after them
        first = i if code == X8 else m_new
        for m in range(first, m_new + 1):
            _load_row(x8, x16, xf, code, rmap[m], scale, cval, ring[m % kv])
        center = ring[(i + rv) % kv]
        for c in range(w):
            acc[c] = center[c] * wc
        for jj in range(-rv, 0):
            a = ring[(i + rv + jj) % kv]
            b = ring[(i + rv - jj) % kv]
            wj = fv[rv + jj]
            for c in range(w):
                acc[c] += (a[c] + b[c]) * wj
    for c in range(w):
        vrow[c] = acc[c]           # SciPy stores the pass in the output dtype
    for m in range(rh):
        s = cmap[m]
        ext[m] = vrow[s] if s >= 0 else cval
    # the interior through a view: ``ext[rh + c]`` (rh known at run time
    # only) tests each index for wrap-around, which kept these two loops
    # scalar (the whole sweep took 1.13x as long at 2048x2048)
    emid = ext[rh:rh + w]
    for c in range(w):
        emid[c] = vrow[c]
    for m in range(rh + w, w + 2 * rh):
        s = cmap[m]
        ext[m] = vrow[s] if s >= 0 else cval
    wc = fh[rh]
    for c in range(w):
        acc[c] = emid[c] * wc
    jj = -rh
    while jj + 2 <= 0:
        wa = fh[rh + jj]
        wb = fh[rh + jj + 1]
        a1 = ext[rh + jj:rh + jj + w]
        a2 = ext[rh - jj:rh - jj + w]
        b1 = ext[rh + jj + 1:rh + jj + 1 + w]
        b2 = ext[rh - jj - 1:rh - jj - 1 + w]
        for c in range(w):
            acc[c] = (acc[c] + (a1[c] + a2[c]) * wa) + (b1[c] + b2[c]) * wb
        jj += 2
    if jj < 0:
        wa = fh[rh + jj]
        a1 = ext[rh + jj:rh + jj + w]
        a2 = ext[rh - jj:rh - jj + w]
        for c in range(w):
            acc[c] += (a1[c] + a2[c]) * wa
    if has_bleed:
        # the table row is contiguous: a gather per pixel here cost more
        # than both Gaussian passes
        brow = bleed[ri[i]]
        for c in range(w):
            hrow[c] = acc[c]
        for c in range(w):     # skimage: smoothed_image /= bleed_over
            orow[c] = hrow[c] / brow[c]
    else:
        for c in range(w):
            orow[c] = acc[c]


@kernel
def _deriv_row(srow, e):
    """Sobel's [-1, 0, 1] pass along a row (reflect), stored in e's dtype."""
    w = srow.shape[0]
    if w == 1:
        e[0] = np.float64(srow[0]) * 0.0 + (np.float64(srow[0]) - np.float64(srow[0])) * -1.0
        return
    e[0] = np.float64(srow[0]) * 0.0 + (np.float64(srow[0]) - np.float64(srow[1])) * -1.0
    for c in range(1, w - 1):
        e[c] = (np.float64(srow[c]) * 0.0
                + (np.float64(srow[c - 1]) - np.float64(srow[c + 1])) * -1.0)
    e[w - 1] = (np.float64(srow[w - 1]) * 0.0
                + (np.float64(srow[w - 2]) - np.float64(srow[w - 1])) * -1.0)


@kernel
def _grad_row(sm, s0, sp, em, e0, ep, d0, iso, jso, mag):
    """isobel, jsobel and the magnitude of one row from the smoothed rows
    above / at / below (``sm``, ``s0``, ``sp``, reflect already applied) and
    their [-1, 0, 1] row derivatives (``em``, ``e0``, ``ep``)."""
    w = s0.shape[0]
    for c in range(w):  # [-1, 0, 1] along axis 0
        d0[c] = np.float64(s0[c]) * 0.0 + (np.float64(sm[c]) - np.float64(sp[c])) * -1.0
    for c in range(w):  # [1, 2, 1] along axis 0 of the row derivative
        jso[c] = np.float64(e0[c]) * 2.0 + (np.float64(em[c]) + np.float64(ep[c])) * 1.0
    if w == 1:
        iso[0] = np.float64(d0[0]) * 2.0 + (np.float64(d0[0]) + np.float64(d0[0])) * 1.0
    else:
        iso[0] = np.float64(d0[0]) * 2.0 + (np.float64(d0[0]) + np.float64(d0[1])) * 1.0
        for c in range(1, w - 1):
            iso[c] = np.float64(d0[c]) * 2.0 + (np.float64(d0[c - 1])
                                                 + np.float64(d0[c + 1])) * 1.0
        iso[w - 1] = np.float64(d0[w - 1]) * 2.0 + (np.float64(d0[w - 2])
                                                     + np.float64(d0[w - 1])) * 1.0
    for c in range(w):  # skimage: magnitude = i*i; magnitude += j*j; sqrt (smoothed dtype)
        a = iso[c] * iso[c]
        b = jso[c] * jso[c]
        mag[c] = np.sqrt(a + b)


@kernel
def _nms_row(x, mm, m0, mp, iso, jso, mask, has_mask, low, high, crow, nrow, want_nms):
    """skimage's bilinear NMS on interior row ``x``: class byte per pixel
    (0 / 1 weak / 2 strong) and, if ``want_nms``, the NMS value.

    Written without branches on the data (every neighbour loaded, then
    selects instead of skimage's four cases) so LLVM vectorises it: on a
    noisy 2048x2048 image the case tests are unpredictable and the branchy
    form took ~1.5x as long for the whole gradient + NMS sweep.  The four cases,
    with s = +1 where both gradients have the same sign (skimage's
    ``cond1``, tested first) and -1 otherwise (``cond2``): along the
    dominant axis ("vertical" when |isobel| wins: ``>`` for cond1, ``>=``
    for cond2) n1 = M[x+s, y] (vertical) or M[x, y+1], n2 = M[x+s, y+1];
    on the other side M[x-s, y] or M[x, y-1], and M[x-s, y-1].  The weight
    is the smaller over the larger absolute gradient in either case (the
    quotients agree when they are equal)."""
    w = m0.shape[0]
    crow[0] = 0
    crow[w - 1] = 0
    if want_nms:
        nrow[0] = 0
        nrow[w - 1] = 0
    for y in range(1, w - 1):
        m = m0[y]
        md = np.float64(m)
        gi = iso[y]
        gj = jso[y]
        # every neighbour loaded up front: the choices below are selects
        p0 = mp[y]
        p1 = mp[y + 1]
        pl = mp[y - 1]
        q0 = mm[y]
        q1 = mm[y + 1]
        ql = mm[y - 1]
        r1 = m0[y + 1]
        rl = m0[y - 1]
        is_down = gi <= 0
        is_up = gi >= 0
        is_left = gj <= 0
        is_right = gj >= 0
        cond1 = (is_up & is_right) | (is_down & is_left)
        cond2 = (is_down & is_right) | (is_up & is_left)
        ai = abs(gi)
        aj = abs(gj)
        vert = (ai > aj) | (~cond1 & (ai == aj))
        num = aj if vert else ai
        den = ai if vert else aj
        wt = num / den
        a0 = p0 if cond1 else q0
        a1 = p1 if cond1 else q1
        b0 = q0 if cond1 else p0
        b1 = ql if cond1 else pl
        n11 = a0 if vert else r1
        n21 = b0 if vert else rl
        # Cython: ``n2 * w`` in the image's float type, ``1.0 - w`` a double
        om = 1.0 - np.float64(wt)
        ok = ((md >= low) & (cond1 | cond2)
              & (np.float64(a1 * wt) + np.float64(n11) * om <= md)
              & (np.float64(b1 * wt) + np.float64(n21) * om <= md))
        # skimage: low_mask = low_masked > 0; strong where also >= high
        c = np.uint8(ok & (md > 0.0)) * (np.uint8(1) + np.uint8(md >= high))
        crow[y] = c
        if want_nms:
            nrow[y] = m if ok else 0
    if has_mask:
        # the eroded mask (ndi.binary_erosion, full 3x3 element, border 0):
        # clear what it excludes
        for y in range(1, w - 1):
            inside = True
            for i in range(x - 1, x + 2):
                for j in range(y - 1, y + 2):
                    inside = inside and mask[i, j] != 0
            if not inside:
                crow[y] = 0
                if want_nms:
                    nrow[y] = 0


@kernel
def _pack_row(crow, wrow, mrow):
    """Class row ``crow`` (0 / 1 / 2) as bit words: ``wrow`` the non-zero
    pixels, ``mrow`` the strong ones (bits past the row's end 0).  Packed
    here while the row is in L1, instead of ``hysteresis.pack_rows`` on the
    whole map afterwards (two comparisons and ``np.packbits``, serial:
    about 3 ms at 4096x4096)."""
    w = crow.shape[0]
    full = w // 64
    for q in range(full):     # a constant trip count: the loop vectorises
        seg = crow[64 * q:64 * q + 64]
        wv = np.uint64(0)
        mv = np.uint64(0)
        for b in range(64):
            v = seg[b]
            wv |= np.uint64(v != 0) << np.uint64(b)
            mv |= np.uint64(v >> 1) << np.uint64(b)
        wrow[q] = wv
        mrow[q] = mv
    if full < wrow.shape[0]:
        seg = crow[64 * full:]
        wv = np.uint64(0)
        mv = np.uint64(0)
        for b in range(w - 64 * full):
            v = seg[b]
            wv |= np.uint64(v != 0) << np.uint64(b)
            mv |= np.uint64(v >> 1) << np.uint64(b)
        wrow[full] = wv
        mrow[full] = mv


@kernel
def canny_rows(sm, sw, start, stop):
    """Rows ``[start, stop)`` of canny's class map (0 / 1 weak / 2 strong)
    and of the stages ``sw.flags`` ask for, from the input image ``sm.x``
    (its slot ``sm.code``) in one sweep (:class:`Smoothing` ``sm``, :class:`Sweep` ``sw``):
    smoothed rows (``_smooth_row``), their row derivatives, gradient rows
    and NMS rows each computed once per block into 3-row rings, so the
    smoothed image, the gradients and the magnitude never go to memory.
    A block recomputes two smoothed rows on each side.

    ``sw.smoothed`` (an output or ``NO_OUTPUT``) gives the float type.
    With SMOOTH_ONLY, only the smoothed rows are written."""
    # every field read once here: the row helpers take arrays, not the
    # tuples (an array read from a tuple is a new reference, and counting
    # references in helpers called per row made small images ~25% slower)
    x8, x16, xf, code = sm.x8, sm.x16, sm.xf, sm.code
    scale, fv, fh, rmap, cmap, cval = sm.scale, sm.fv, sm.fh, sm.rmap, sm.cmap, sm.cval
    has_bleed, bleed, ri = sm.has_bleed, sm.bleed, sm.ri
    flags, low, high, has_mask, mask = sw.flags, sw.low, sw.high, sw.has_mask, sw.mask
    cls, sm_out, mag_out, nms_out = sw.cls, sw.smoothed, sw.magnitude, sw.nms
    wbits, mbits = sw.wbits, sw.mbits
    if code == X8:
        h, w = x8.shape
    elif code == X16:
        h, w = x16.shape
    else:
        h, w = xf.shape
    if stop <= start:
        return
    kv = fv.shape[0]
    rh = fh.shape[0] // 2
    ring = np.empty((kv, w), np.float64)
    acc = np.empty(w, np.float64)
    vrow = np.empty(w, sm_out.dtype)
    ext = np.empty(w + 2 * rh, np.float64)
    hrow = np.empty(w, sm_out.dtype)
    smooth_only = (flags & SMOOTH_ONLY) != 0
    mag_only = smooth_only or (flags & MAGNITUDE_ONLY) != 0
    want_sm = smooth_only or (flags & WANT_SMOOTHED) != 0
    want_mag = (flags & WANT_MAGNITUDE) != 0
    want_nms = (flags & WANT_NMS) != 0
    want_bits = (flags & WANT_BITS) != 0
    sr = np.empty((3, w), sm_out.dtype)
    e = np.empty((3, w), sm_out.dtype)
    iso = np.empty((3, w), sm_out.dtype)
    jso = np.empty((3, w), sm_out.dtype)
    mag = np.empty((3, w), sm_out.dtype)
    d0 = np.empty(w, sm_out.dtype)
    if mag_only:
        g0 = start
        g1 = stop
    else:
        g0 = max(start - 1, 0)
        g1 = min(stop + 1, h)
    s_next = g0 if smooth_only else max(g0 - 1, 0)
    # one call site per helper (each is inlined and optimised again in
    # this function: fewer sites, shorter compile)
    for m in range(s_next, s_next + kv - 1):   # the ring for the first row
        _load_row(x8, x16, xf, code, rmap[m], scale, cval, ring[m % kv])
    for r in range(g0, g1):
        rm = max(r - 1, 0)
        rp = min(r + 1, h - 1)
        last = r if smooth_only else rp
        while s_next <= last:
            slot = s_next % 3
            _smooth_row(x8, x16, xf, code, s_next, scale, fv, fh, rmap, cmap, cval, bleed,
                        ri, has_bleed, ring, acc, vrow, ext, hrow, sr[slot])
            if not smooth_only:
                _deriv_row(sr[slot], e[slot])
            if want_sm and start <= s_next < stop:
                for c in range(w):
                    sm_out[s_next, c] = sr[slot, c]
            s_next += 1
        if smooth_only:
            continue
        k = r % 3
        _grad_row(sr[rm % 3], sr[k], sr[rp % 3], e[rm % 3], e[k], e[rp % 3], d0,
                  iso[k], jso[k], mag[k])
        if want_mag and start <= r < stop:
            for c in range(w):
                mag_out[r, c] = mag[k, c]
        if mag_only:
            continue
        xr = r - 1  # its three magnitude rows are ready now
        if start <= xr < stop and xr >= 1:
            # NO_OUTPUT has no rows: without an NMS output the scratch row
            # d0 stands in (_nms_row then writes no NMS values)
            _nms_row(xr, mag[(xr - 1) % 3], mag[xr % 3], mag[k], iso[xr % 3], jso[xr % 3],
                     mask, has_mask, low, high, cls[xr],
                     nms_out[xr] if want_nms else d0, want_nms)
            if want_bits:
                _pack_row(cls[xr], wbits[xr], mbits[xr])
    if mag_only:
        return
    for xr in range(start, stop):  # the one-pixel border is never an edge
        if xr == 0 or xr == h - 1:
            for c in range(w):
                cls[xr, c] = 0
            if want_nms:
                for c in range(w):
                    nms_out[xr, c] = 0
            if want_bits:
                for q in range(wbits.shape[1]):
                    wbits[xr, q] = 0
                    mbits[xr, q] = 0
