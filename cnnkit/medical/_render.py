"""The fundus renderer behind :func:`cnnkit.medical.render_fundus`: canvas, layout, vessel tree, lesions, camera.

One image is drawn in five steps, each taking the image's own ``numpy.random.Generator`` (``rng``) and
drawing from it in a fixed order (so an image depends only on its stream and its lesion plan):

1. :class:`Layout` — camera field (centre, radius, cropping), left/right eye, rotation, optic disc, fovea;
2. :func:`background` — orange-red retina, choroidal texture, darker macula, the disc and its cup;
3. :func:`vessels` — a branching tree of arteries and veins from the disc (:class:`Tree`), with venous beading;
4. :func:`lesions` — the lesions a grade's plan asks for, each recorded on the :class:`Canvas`
   (per-quadrant counts and a lesion mask);
5. :func:`camera` — vignetting, uneven illumination, colour cast, exposure, gamma, blur, noise, black surround,
   each shifted by the camera setting (:mod:`cnnkit.medical.cameras`).

Sizes are in pixels; ``Layout.px`` is one pixel of a 128-pixel image, so a drawing scales with ``size``.
Private: the public names (``render_fundus``, ``Lesions``, ``LESION_KINDS``…) live in :mod:`cnnkit.medical.fundus`.
"""
import math

import numpy as np
from scipy import ndimage

#: lesion kinds in the inventory; the lesion mask stores ``LESION_KINDS.index(kind) + 1``
LESION_KINDS = ("microaneurysm", "haemorrhage", "hard_exudate", "cotton_wool_spot",
                "neovascularisation", "preretinal_haemorrhage", "venous_beading")
#: image quadrants about the centre of the camera field, in the order of ``Lesions.counts[kind]``
QUADRANTS = ("upper-left", "upper-right", "lower-left", "lower-right")

# colours (linear RGB in [0, 1])
_VEIN, _ARTERY = np.float32([0.42, 0.07, 0.05]), np.float32([0.62, 0.16, 0.08])
_MA, _HAEM = np.float32([0.40, 0.04, 0.03]), np.float32([0.38, 0.05, 0.04])
_EXUDATE, _COTTON = np.float32([0.96, 0.86, 0.38]), np.float32([0.92, 0.86, 0.72])
_NEW_VESSEL, _PRERETINAL = np.float32([0.52, 0.08, 0.05]), np.float32([0.30, 0.02, 0.02])


class Canvas:
    """Layers drawn in pixel space: soft blobs composited over an image, lesion bookkeeping."""

    def __init__(self, size, centre, radius):
        self.size, self.centre, self.radius = size, centre, radius
        self.counts = {kind: np.zeros(4, dtype=int) for kind in LESION_KINDS}
        self.mask = np.zeros((size, size), dtype=np.uint8)

    def quadrant(self, x, y):
        return int(y >= self.centre[1]) * 2 + int(x >= self.centre[0])

    def record(self, kind, x, y, alpha=None):
        """Count a lesion at (x, y); mark it in the mask where ``alpha`` (a :meth:`blob` result) > 0.5."""
        self.counts[kind][self.quadrant(x, y)] += 1
        for where, a in ([alpha] if isinstance(alpha, tuple) else [(np.s_[:, :], alpha)] if alpha is not None
                         else []):
            self.mask[where][a > 0.5] = LESION_KINDS.index(kind) + 1

    def blob(self, img, x, y, r, colour, opacity=1.0, edge=0.6, flat_top=None):
        """Composite a soft disc of radius ``r`` px at (x, y); return ``(slices, alpha)`` of its patch."""
        pad = int(np.ceil(r + 3 * edge + 1))
        x0, x1 = max(int(x) - pad, 0), min(int(x) + pad + 1, self.size)
        y0, y1 = max(int(y) - pad, 0), min(int(y) + pad + 1, self.size)
        if x0 >= x1 or y0 >= y1:
            return np.s_[0:0, 0:0], np.zeros((0, 0))
        yy, xx = np.arange(y0, y1)[:, None], np.arange(x0, x1)[None, :]
        d = np.sqrt((xx - x) ** 2 + (yy - y) ** 2)
        a = (np.clip((r - d) / max(edge, 1e-3) + 0.5, 0.0, 1.0) * opacity).astype(np.float32)
        if flat_top is not None:  # preretinal blood settles: a flat upper level
            a *= np.clip((yy - flat_top) / max(edge, 1e-3) + 0.5, 0.0, 1.0)
        patch = img[y0:y1, x0:x1]
        patch += (colour - patch) * a[..., None]
        return np.s_[y0:y1, x0:x1], a


def _walks(rng, starts, angles, lengths, curls, wiggle, step=0.5):
    """Smooth random walks, one per row of ``starts`` (pixel coords), all drawn at once.

    Returns ``(points B×K×2, angles B×K, steps B)``: walk ``b`` is ``points[b, :steps[b]]``.
    """
    steps = np.maximum((np.asarray(lengths) / step).astype(int), 2)
    turns = np.asarray(curls)[:, None] + wiggle * rng.standard_normal((len(steps), steps.max()))
    heading = np.asarray(angles)[:, None] + np.cumsum(turns, axis=1) * step
    moves = np.empty(heading.shape + (2,))
    moves[..., 0], moves[..., 1] = np.cos(heading) * step, np.sin(heading) * step
    return np.asarray(starts)[:, None, :] + np.cumsum(moves, axis=1), heading, steps


class Tree:
    """Every point of the vessel tree, flat: ``points`` N×2 and per point its vessel ``segment``,
    ``width`` class (1 = trunk … 0.28 = twig), ``vein`` flag and ``index`` along its segment."""

    def __init__(self, rng, disc, axis, radius):
        temporal = axis + np.pi  # from the disc towards the fovea
        a0, curl, length, width, vein = [], [], [], [], []
        for side in (-1, 1):  # superior / inferior
            for is_vein in (True, False):
                offset = 0.10 if is_vein else -0.10
                # temporal arcade: leaves at ~70° and curves around the macula
                a0.append(temporal + side * (1.15 + offset + 0.15 * rng.standard_normal()))
                curl.append(-side * 1.0 / radius), length.append(radius), width.append(1.0), vein.append(is_vein)
                # nasal vessel: away from the fovea
                a0.append(axis + side * (0.6 + offset + 0.2 * rng.standard_normal()))
                curl.append(side * 0.8 / radius), length.append(0.6 * radius), width.append(0.75), vein.append(is_vein)
        starts = np.repeat(np.asarray(disc, float)[None], len(a0), axis=0)
        level = [starts, np.array(a0), np.array(length), np.array(curl), np.array(width), np.array(vein)]
        parts, self.midpoints, n_seg = [], [], 0
        for depth in range(3):
            starts, a0, length, curl, width, vein = level
            pts, heading, steps = _walks(rng, starts, a0, length, curl, 0.6 / np.sqrt(radius))
            valid = np.arange(pts.shape[1])[None, :] < steps[:, None]
            seg = np.broadcast_to(np.arange(len(steps))[:, None] + n_seg, valid.shape)
            parts.append((pts[valid], seg[valid], np.broadcast_to(width[:, None], valid.shape)[valid],
                          np.broadcast_to(vein[:, None], valid.shape)[valid],
                          np.broadcast_to(np.arange(pts.shape[1])[None], valid.shape)[valid]))
            self.midpoints += [pts[b, steps[b] // 2] for b in range(len(steps))]
            n_seg += len(steps)
            if depth == 2:
                break
            kids = rng.integers(2, 4, size=len(steps)) if depth == 0 else rng.integers(1, 3, size=len(steps))
            parent = np.repeat(np.arange(len(steps)), kids)
            lo = steps[parent] // 5
            at = lo + (rng.random(len(parent)) * (steps[parent] - 1 - lo)).astype(int)
            turn = rng.choice([-1, 1], size=len(parent)) * rng.uniform(0.5, 1.1, size=len(parent))
            level = [pts[parent, at], heading[parent, at] + turn, length[parent] * rng.uniform(0.35, 0.6, len(parent)),
                     rng.normal(0, 1.2, len(parent)) / radius, width[parent] * 0.65, vein[parent]]
        self.points, self.segment, self.width, self.vein, self.index = (np.concatenate(c) for c in zip(*parts))
        self.segment_width = np.zeros(n_seg)
        self.segment_width[self.segment] = self.width
        self.segment_vein = np.zeros(n_seg, dtype=bool)
        self.segment_vein[self.segment] = self.vein


def _splat(size, pts, weights):
    """Bilinear splat of weighted points onto a size×size grid."""
    x, y = pts[:, 0], pts[:, 1]
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    grid = np.zeros(size * size)
    for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                      (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        xi, yi = x0 + dx, y0 + dy
        ok = (xi >= 0) & (xi < size) & (yi >= 0) & (yi < size)
        grid += np.bincount(yi[ok] * size + xi[ok], weights=(w * weights)[ok], minlength=size * size)
    return grid.reshape(size, size)


def _line_alpha(size, pts, weights, sigma, step=0.5, gain=1.6):
    """Opacity of lines through ``pts`` (spacing ``step`` px) with a Gaussian profile of ``sigma`` px."""
    if len(pts) == 0:
        return np.zeros((size, size))
    density = ndimage.gaussian_filter(_splat(size, pts, weights).astype(np.float32), sigma, mode="constant")
    return np.clip(density * (step * np.sqrt(2 * np.pi) * sigma * gain), 0.0, 1.0).astype(np.float32)




class Layout:
    """Where things are in one image (pixels): camera field, eye side and rotation, disc, fovea, pixel grids."""

    def __init__(self, rng, size, nz):
        self.size, self.nz, self.px = size, nz, size / 128.0  # px: one pixel of a 128-pixel image
        self.radius = size / 2 * (0.92 + nz * rng.uniform(-0.06, 0.14))  # > size/2: top and bottom cropped
        self.centre = np.array([size / 2, size / 2]) + nz * rng.normal(0, 1.2 * self.px, size=2)
        self.rotation = nz * rng.uniform(-0.35, 0.35)
        self.axis = self.rotation + (0.0 if rng.random() < 0.5 else np.pi)  # disc to the right (one eye) or left
        direction = np.array([np.cos(self.axis), np.sin(self.axis)])
        self.disc = self.centre + direction * self.radius * rng.uniform(0.48, 0.58)
        self.fovea = self.centre - direction * self.radius * rng.uniform(0.0, 0.12)
        self.disc_r = self.radius * rng.uniform(0.12, 0.15)
        self.yy, self.xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
        self.rr = self.distance(self.centre)

    def distance(self, point):
        """Distance of every pixel centre from ``point``, in field radii (float32)."""
        return np.hypot(self.xx - np.float32(point[0]), self.yy - np.float32(point[1])) / np.float32(self.radius)

    def spot(self, rng, canvas, min_r=0.12, max_r=0.88, quadrant=None, near=None, spread=None):
        """A random position on the retina away from the disc (optionally in a quadrant / near a point)."""
        for _ in range(200):
            if near is not None:
                p = near + rng.normal(0, spread, size=2)
            else:
                ang = rng.uniform(0, 2 * np.pi) if quadrant is None else \
                    rng.uniform(0, np.pi / 2) + {0: np.pi, 1: 1.5 * np.pi, 2: 0.5 * np.pi, 3: 0.0}[quadrant]
                dist = self.radius * np.sqrt(rng.uniform(min_r ** 2, max_r ** 2))
                p = self.centre + dist * np.array([np.cos(ang), np.sin(ang)])
            inside = (0 <= p[0] < self.size) and (0 <= p[1] < self.size)
            in_field = math.hypot(p[0] - self.centre[0], p[1] - self.centre[1]) < 0.9 * self.radius
            if inside and in_field and math.hypot(p[0] - self.disc[0], p[1] - self.disc[1]) > self.disc_r * 1.6 \
                    and (quadrant is None or canvas.quadrant(*p) == quadrant):
                return p
        return None


def background(rng, lay, canvas):
    """Orange-red retina with choroidal texture, a darker macula, the optic disc and its cup."""
    size, px = lay.size, lay.px
    base = np.array([0.80, 0.34, 0.13]) * rng.uniform(0.85, 1.1, size=3) ** (0.5 + lay.nz)
    ramp = np.clip(1 - np.abs(np.linspace(0, 5, size)[:, None] - np.arange(6)[None, :]), 0, 1)
    texture = ramp @ rng.normal(0, 1, size=(6, 6)) @ ramp.T  # smooth choroidal blotches
    img = (base[None, None, :] * (1 + 0.05 * texture[..., None])).astype(np.float32)
    img *= (1 - 0.38 * np.exp(lay.distance(lay.fovea) ** 2 * np.float32(-1 / (2 * 0.11 ** 2))))[..., None]
    canvas.blob(img, *lay.disc, lay.disc_r * 1.15, np.array([0.95, 0.62, 0.35]), 0.6, edge=2.0 * px)
    canvas.blob(img, *lay.disc, lay.disc_r, np.array([0.98, 0.84, 0.56]), 1.0, edge=1.0 * px)
    cup = lay.disc + rng.normal(0, 0.15 * lay.disc_r, size=2)
    canvas.blob(img, *cup, lay.disc_r * rng.uniform(0.35, 0.55), np.array([1.0, 0.95, 0.82]), 0.9, edge=1.2 * px)
    return img


def vessels(rng, lay, canvas, img, beads):
    """Arteries and veins from the disc; ``beads`` of the larger veins get venous beading."""
    px = lay.px
    tree = Tree(rng, lay.disc, lay.axis, lay.radius)
    veins = np.flatnonzero(tree.segment_vein & (tree.segment_width >= 0.6))
    beaded = rng.choice(veins, size=min(beads, len(veins)), replace=False) if beads else np.array([], int)
    weight = np.ones(len(tree.points))
    for sid in beaded:  # beads: alternating thick and thin stretches, period 5 px (of a 128-px image)
        on = tree.segment == sid
        weight[on] = 0.55 + 0.9 * (np.sin(2 * np.pi * tree.index[on] * 0.5 / px / 5.0) > 0.3)
        canvas.record("venous_beading", *tree.midpoints[sid])
    thick = tree.width > 0.7  # two widths, one blur each
    for vein, colour, opacity in ((False, _ARTERY, 0.75), (True, _VEIN, 0.9)):
        for is_thick, sigma in ((True, 0.75), (False, 0.375)):
            on = (tree.vein == vein) & (thick == is_thick)
            if on.any():
                alpha = _line_alpha(lay.size, tree.points[on], weight[on] * opacity, sigma * px, gain=1.3)
                img += (colour - img) * alpha[..., None]


def lesions(rng, lay, canvas, img, plan):
    """Draw and record the lesions of ``plan`` (see ``cnnkit.medical.fundus._grade_plan``)."""
    px = lay.px
    for _ in range(plan["cotton_wool_spot"]):
        p = lay.spot(rng, canvas, max_r=0.6)
        if p is not None:
            a = canvas.blob(img, *p, rng.uniform(2.0, 3.2) * px, _COTTON, 0.75, edge=1.5 * px)
            canvas.record("cotton_wool_spot", *p, a)
    quadrant_plan = plan["haemorrhage_per_quadrant"]
    haem_quadrants = [q for q in range(4) for _ in range(quadrant_plan[q])] if quadrant_plan is not None \
        else [None] * int(plan["haemorrhage"])
    for q in haem_quadrants:
        p = lay.spot(rng, canvas, quadrant=q)
        if p is None:
            continue
        r = rng.uniform(1.0, 2.4) * px
        canvas.record("haemorrhage", *p, canvas.blob(img, *p, r, _HAEM, 0.95, edge=0.7 * px))
        if rng.random() < 0.5:  # blot: an irregular outline of overlapping lobes (one lesion)
            for _ in range(2):
                lobe = canvas.blob(img, *(p + rng.normal(0, 0.6 * r, 2)), r * 0.7, _HAEM, 0.95, edge=0.7 * px)
                canvas.mask[lobe[0]][lobe[1] > 0.5] = LESION_KINDS.index("haemorrhage") + 1
    centres = [lay.fovea + rng.normal(0, 0.25 * lay.radius, 2) for _ in range(3)]  # exudates come in clusters
    for i in range(plan["hard_exudate"]):
        p = lay.spot(rng, canvas, near=centres[i % 3], spread=0.07 * lay.radius)
        if p is not None:
            a = canvas.blob(img, *p, max(rng.uniform(0.7, 1.3) * px, 0.55), _EXUDATE, 1.0, edge=max(0.4 * px, 0.3))
            canvas.record("hard_exudate", *p, a)
    for _ in range(plan["microaneurysm"]):
        p = lay.spot(rng, canvas, max_r=0.75)
        if p is not None:
            a = canvas.blob(img, *p, max(rng.uniform(0.7, 1.0) * px, 0.6), _MA, 1.0, edge=max(0.35 * px, 0.3))
            canvas.record("microaneurysm", *p, a)
    for _ in range(plan["neovascularisation"]):
        at_disc = rng.random() < 0.5
        origin = lay.disc + rng.normal(0, lay.disc_r * 0.5, 2) if at_disc else \
            lay.spot(rng, canvas, min_r=0.3, max_r=0.75)
        if origin is None:
            continue
        k = rng.integers(4, 8)  # a tangle of fine, tortuous loops
        loops, _, steps = _walks(rng, np.repeat(origin[None], k, axis=0), rng.uniform(0, 2 * np.pi, k),
                                 rng.uniform(12, 22, k) * px, rng.choice([-1, 1], k) * rng.uniform(0.25, 0.45, k) / px,
                                 0.5 / px)
        pts = loops[np.arange(loops.shape[1])[None, :] < steps[:, None]]
        alpha = _line_alpha(lay.size, pts, np.full(len(pts), 0.95), max(0.5 * px, 0.45), gain=2.0)
        img += (_NEW_VESSEL - img) * alpha[..., None]
        canvas.record("neovascularisation", *origin, alpha)
    for _ in range(plan["preretinal_haemorrhage"]):
        p = lay.spot(rng, canvas, min_r=0.2, max_r=0.6)
        if p is not None:
            r = rng.uniform(5, 8) * px
            a = canvas.blob(img, *p, r, _PRERETINAL, 0.95, edge=1.0 * px, flat_top=p[1] - r * 0.3)
            canvas.record("preretinal_haemorrhage", *p, a)


def camera(rng, lay, img, setting):
    """Vignetting, uneven illumination, colour cast, exposure, gamma, blur, noise, black surround.

    ``setting`` (a :class:`cnnkit.medical.cameras.Camera`) shifts each nuisance after it is drawn, so the
    random draws, and with them everything else in the image, do not depend on the camera.
    """
    nz, f32 = lay.nz, np.float32
    g_ang = rng.uniform(0, 2 * np.pi)
    vignette = f32(0.35 + 0.2 * nz * rng.random() + setting.vignetting)
    shading = 1 - vignette * np.clip(lay.rr, 0, 1) ** 2.5  # vignetting
    slope = f32(nz * rng.uniform(0, 0.25) / lay.radius * setting.illumination)  # uneven illumination along g_ang
    shading *= 1 + slope * ((lay.xx - f32(lay.centre[0])) * f32(np.cos(g_ang)) +
                            (lay.yy - f32(lay.centre[1])) * f32(np.sin(g_ang)))
    cast = np.exp(nz * rng.normal(0, 0.08, size=3)) * np.asarray(setting.colour)  # colour cast and exposure
    img *= shading[..., None] * (cast * np.exp(nz * rng.normal(0, 0.18)) * setting.exposure).astype(f32)
    img = np.clip(img, 0, 1) ** f32(np.exp(nz * rng.normal(0, 0.12)))  # gamma
    blur = nz * rng.uniform(0.0, 0.9) * lay.px + setting.blur * lay.px
    if blur > 0.05:
        img = ndimage.gaussian_filter(img, (blur, blur, 0))
    img += f32(nz * 0.012 * setting.noise) * rng.standard_normal(img.shape, dtype=f32)
    field_alpha = np.clip((1 - lay.rr) * f32(lay.radius / lay.px) + 0.5, 0, 1)
    img = np.clip(img * field_alpha[..., None], 0, 1).astype(f32, copy=False)
    return img, {"rotation": float(lay.rotation), "blur": float(blur),
                 "eye": "disc right" if np.cos(lay.axis) > 0 else "disc left", "cast": cast.round(3).tolist()}

