"""Jitted cores of the edges family (Canny, hysteresis thresholding).

* ``canny_rows``: a range core (``_dispatch.run`` hands blocks of rows to
  threads) that sweeps the input image once: each block computes its
  smoothed rows (SciPy's two Gaussian passes on skimage's float image, the
  bleed-over division), their Sobel responses, the magnitude and
  scikit-image's bilinear non-maximum suppression, keeping only a ring of
  converted input rows and 3-row rings of smoothed rows, row derivatives,
  gradients and magnitudes, and writes one class byte per pixel (0 none,
  1 weak: NMS value > 0, 2 strong: also >= high).  The smoothed image, the
  gradients and the magnitude never go to memory unless a stage asks for
  them (``flags``).  A block recomputes two smoothed rows on each side.
* Canny's hysteresis: ``hysteresis_bits`` (sweeps over bit-packed rows);
  its fallback ``hysteresis_rows`` + ``hysteresis_seams`` (a flood fill with
  an explicit stack per block of rows, then from the block boundaries).
* ``hysteresis``: a flood fill with an explicit stack from every strong pixel
  through the non-zero classes, any neighbour offsets (N-D
  ``apply_hysteresis_threshold``).

Fusing the stages keeps one kernel specialisation per input dtype (uint8,
uint16, float32, float64; the wrapper converts the rest) and saves the
full-size intermediate arrays skimage allocates (smoothed image, two
gradients, magnitude, NMS map).

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

import numpy as np

from .._core.jit import kernel

#: ``flags`` bits of canny_rows
WANT_MAGNITUDE = 1   # write the magnitude of rows [start, stop) into mag_out
WANT_NMS = 2         # write the NMS values of rows [start, stop) into nms_out
MAGNITUDE_ONLY = 4   # skip NMS and classes (quantile thresholds need the magnitude first)
SMOOTH_ONLY = 8      # only the smoothed rows (the smoothed mask of a masked canny)
WANT_SMOOTHED = 16   # also write the smoothed rows [start, stop) into sm_out


@kernel
def _load_row(x, src, scale, cval, out):
    """Extended row ``src`` of the input as skimage's float image (double):
    ``double(v) * scale`` (img_as_float's ``v * (1 / max)`` for uint8 /
    uint16; scale 1.0 for floats, which leaves every value as it is), or
    ``cval`` where ``src < 0`` (SciPy extends the converted image)."""
    w = out.shape[0]
    if src < 0:
        for c in range(w):
            out[c] = cval
        return
    row = x[src]
    for c in range(w):
        out[c] = np.float64(row[c]) * scale


@kernel
def _smooth_row(x, i, scale, fv, fh, rmap, cmap, cval, bleed, ri, has_bleed,
                ring, acc, vrow, ext, hrow, orow):
    """Row ``i`` of skimage canny's smoothed image into ``orow``: SciPy's
    Gaussian pass along axis 0 (weights ``fv``, extended rows ``rmap``),
    stored in the float type, then along axis 1 (``fh``, ``cmap``), stored
    again, then divided by ``bleed[ri[i]]`` when ``has_bleed``.  The ring
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
    _load_row(x, rmap[m_new], scale, cval, ring[m_new % kv])
    center = ring[(i + rv) % kv]
    wc = fv[rv]
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
    for c in range(w):
        ext[rh + c] = vrow[c]
    for m in range(rh + w, w + 2 * rh):
        s = cmap[m]
        ext[m] = vrow[s] if s >= 0 else cval
    wc = fh[rh]
    for c in range(w):
        acc[c] = ext[c + rh] * wc
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
def canny_rows(x, scale, fv, fh, rmap, cmap, cval, bleed, ri, has_bleed,
               mask, has_mask, low, high, flags, cls, sm_out, mag_out, nms_out,
               start, stop):
    """Rows ``[start, stop)`` of canny's class map (0 / 1 weak / 2 strong)
    and of the stages ``flags`` ask for, from the input image ``x`` in one
    sweep: smoothed rows (``_smooth_row``), their row derivatives, gradient
    rows and NMS rows each computed once per block into 3-row rings, so the
    smoothed image, the gradients and the magnitude never go to memory.
    A block recomputes two smoothed rows on each side.

    ``low`` is the float32 low threshold as a double, ``high`` the high
    threshold as NumPy would compare it (a double holding the value in the
    comparison dtype).  ``sm_out`` (at least a 1x1 dummy) gives the float
    type.  With SMOOTH_ONLY, only the smoothed rows are written."""
    h, w = x.shape
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
        _load_row(x, rmap[m], scale, cval, ring[m % kv])
    for r in range(g0, g1):
        rm = max(r - 1, 0)
        rp = min(r + 1, h - 1)
        last = r if smooth_only else rp
        while s_next <= last:
            slot = s_next % 3
            _smooth_row(x, s_next, scale, fv, fh, rmap, cmap, cval, bleed, ri,
                        has_bleed, ring, acc, vrow, ext, hrow, sr[slot])
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
            _nms_row(xr, mag[(xr - 1) % 3], mag[xr % 3], mag[k], iso[xr % 3], jso[xr % 3],
                     mask, has_mask, low, high, cls[xr],
                     nms_out[xr] if want_nms else nms_out[0], want_nms)
    if mag_only:
        return
    for xr in range(start, stop):  # the one-pixel border is never an edge
        if xr == 0 or xr == h - 1:
            for c in range(w):
                cls[xr, c] = 0
            if want_nms:
                for c in range(w):
                    nms_out[xr, c] = 0


@kernel
def _grown(stack):
    """The stack, twice as long (an element loop: a slice assignment here
    cost ~2.5 s of compile time)."""
    bigger = np.empty(2 * stack.shape[0], np.int64)
    for i in range(stack.shape[0]):
        bigger[i] = stack[i]
    return bigger


@kernel
def hysteresis(cls, offsets, out):
    """Flood fill: ``out[p] = 1`` for every pixel with ``cls[p] != 0``
    connected through such pixels (steps ``offsets`` in the flat index) to a
    pixel with ``cls == 2``.  ``cls`` is flat and zero on its border, so a
    step from a non-zero pixel never leaves the array; ``out`` doubles as the
    visited mark, so a pixel is pushed at most once.  An explicit stack
    (grown by doubling) instead of recursion or labelling.  (Variants that
    zeroed ``cls`` instead of reading ``out``, or pushed branch-free, ran
    ~2x slower on the noisy 2048x2048 benchmark class map.)"""
    n = cls.shape[0]
    nk = offsets.shape[0]
    stack = np.empty(4096, np.int64)
    for p in range(n):
        if cls[p] != 2 or out[p] != 0:
            continue
        out[p] = 1
        stack[0] = p
        sp = 1
        while sp > 0:
            sp -= 1
            q = stack[sp]
            for k in range(nk):
                r = q + offsets[k]
                if cls[r] != 0 and out[r] == 0:
                    out[r] = 1
                    if sp == stack.shape[0]:
                        stack = _grown(stack)
                    stack[sp] = r
                    sp += 1


@kernel
def hysteresis_rows(cls, out, start, stop):
    """Canny's 8-connected flood fill restricted to rows ``[start, stop)`` of
    the 2-D class map (zero on its border): the first phase of the
    parallel hysteresis.  Whatever a block reaches from its own strong
    pixels is final; paths that cross into another block are finished by
    :func:`hysteresis_seams`."""
    h, w = cls.shape
    stack = np.empty(4096, np.int64)
    for i in range(start, stop):
        for j in range(w):
            if cls[i, j] != 2 or out[i, j] != 0:
                continue
            out[i, j] = 1
            stack[0] = i * w + j
            sp = 1
            while sp > 0:
                sp -= 1
                q = stack[sp]
                qi = q // w
                qj = q - qi * w
                for ii in range(max(qi - 1, start), min(qi + 2, stop)):
                    for jj in range(qj - 1, qj + 2):
                        if cls[ii, jj] != 0 and out[ii, jj] == 0:
                            out[ii, jj] = 1
                            if sp == stack.shape[0]:
                                stack = _grown(stack)
                            stack[sp] = ii * w + jj
                            sp += 1


@kernel
def hysteresis_seams(cls, out, seams):
    """Second phase: a global flood fill seeded by the marked pixels on both
    rows of every block boundary (``seams[k]`` is the first row of a block).
    A path from a strong pixel into another block crosses a boundary at a
    pixel its own block has marked, so these seeds reach everything the
    blocks missed."""
    h, w = cls.shape
    stack = np.empty(4096, np.int64)
    sp = 0
    for k in range(seams.shape[0]):
        for i in (seams[k] - 1, seams[k]):
            if i < 0 or i >= h:
                continue
            for j in range(w):
                if out[i, j] != 0 and cls[i, j] != 0:
                    if sp == stack.shape[0]:
                        stack = _grown(stack)
                    stack[sp] = i * w + j
                    sp += 1
    while sp > 0:
        sp -= 1
        q = stack[sp]
        qi = q // w
        qj = q - qi * w
        for ii in range(qi - 1, qi + 2):
            for jj in range(qj - 1, qj + 2):
                if cls[ii, jj] != 0 and out[ii, jj] == 0:
                    out[ii, jj] = 1
                    if sp == stack.shape[0]:
                        stack = _grown(stack)
                    stack[sp] = ii * w + jj
                    sp += 1


@kernel
def _fill_up(g, p):
    """Bits of ``p`` reachable from the seeds ``g`` (a subset of ``p``)
    towards higher bit positions through runs of ``p``: a Kogge-Stone
    parallel prefix (six doubling steps)."""
    g |= p & (g << np.uint64(1))
    p &= p << np.uint64(1)
    g |= p & (g << np.uint64(2))
    p &= p << np.uint64(2)
    g |= p & (g << np.uint64(4))
    p &= p << np.uint64(4)
    g |= p & (g << np.uint64(8))
    p &= p << np.uint64(8)
    g |= p & (g << np.uint64(16))
    p &= p << np.uint64(16)
    g |= p & (g << np.uint64(32))
    return g


@kernel
def _fill_down(g, p):
    """:func:`_fill_up` towards lower bit positions."""
    g |= p & (g >> np.uint64(1))
    p &= p >> np.uint64(1)
    g |= p & (g >> np.uint64(2))
    p &= p >> np.uint64(2)
    g |= p & (g >> np.uint64(4))
    p &= p >> np.uint64(4)
    g |= p & (g >> np.uint64(8))
    p &= p >> np.uint64(8)
    g |= p & (g >> np.uint64(16))
    p &= p >> np.uint64(16)
    g |= p & (g >> np.uint64(32))
    return g


@kernel
def _grow_row(wrow, mrow, nrow, seed, diag):
    """``mrow`` := the runs of ``wrow`` (weak-or-strong bits) holding a bit
    of ``mrow`` or a neighbour of a bit of ``nrow`` (the row just
    processed; the bit above / below, and with ``diag`` its two diagonal
    neighbours: 8-connectivity).  Returns whether ``mrow`` changed."""
    k = wrow.shape[0]
    one = np.uint64(1)
    top = np.uint64(63)
    for q in range(k):     # seeds: the row itself and the neighbour row
        n = nrow[q]
        d = n
        if diag:
            d |= (n << one) | (n >> one)
            if q > 0:
                d |= nrow[q - 1] >> top
            if q + 1 < k:
                d |= nrow[q + 1] << top
        seed[q] = (mrow[q] | d) & wrow[q]
    carry = np.uint64(0)
    for q in range(k):     # fill upwards through the words
        g = _fill_up(seed[q] | (carry & wrow[q]), wrow[q])
        seed[q] = g
        carry = g >> top
    carry = np.uint64(0)
    changed = False
    for q in range(k - 1, -1, -1):   # and downwards
        g = _fill_down(seed[q] | ((carry << top) & wrow[q]), wrow[q])
        carry = g & one
        if g != mrow[q]:
            changed = True
            mrow[q] = g
    return changed


@kernel
def hysteresis_bits(wbits, mbits, max_passes, diag):
    """Hysteresis on bit-packed rows (8-connected with ``diag``, else
    4-connected): ``wbits`` the weak-or-strong pixels, ``mbits`` the strong
    ones on entry and the result on return (at least 2 rows: every row is
    visited from a neighbour row).  Forward and backward sweeps over the rows grow the marked
    set through whole runs, 64 pixels per word operation, until a sweep
    pair changes nothing (the set is then closed under 8-connectivity: the
    flood fill's result).  A row is redone only when the neighbour row it
    grows from changed since its last visit in that direction.  Returns
    False if ``max_passes`` sweep pairs did not converge (a path reversing
    its direction many times); the caller then finishes with the flood
    fill.

    On a photograph's noisy class map (2048x2048, half a million weak or
    strong pixels) flood fills and union-find spent most of their ~28 ms on
    mispredicted branches, one per neighbour of a weak pixel; these word
    operations have none (8 sweep pairs, ~1/3 of the time)."""
    h, k = wbits.shape
    seed = np.empty(k, np.uint64)
    changed_at = np.ones(h, np.int64)   # "time" of each row's last change
    done_fwd = np.zeros(h, np.int64)    # time of its last visit from above
    done_bwd = np.zeros(h, np.int64)    # ... from below
    t = 1
    for _ in range(max_passes):
        changed = False
        for i in range(1, h):
            if changed_at[i - 1] > done_fwd[i]:
                t += 1
                done_fwd[i] = t
                if _grow_row(wbits[i], mbits[i], mbits[i - 1], seed, diag):
                    changed = True
                    t += 1
                    changed_at[i] = t
        for i in range(h - 2, -1, -1):
            if changed_at[i + 1] > done_bwd[i]:
                t += 1
                done_bwd[i] = t
                if _grow_row(wbits[i], mbits[i], mbits[i + 1], seed, diag):
                    changed = True
                    t += 1
                    changed_at[i] = t
        if not changed:
            return True
    return False
