"""Procedural style images for lesson 07, made here, so no artwork is needed.

Three painterly styles with many scales (brush strokes, swirls, a mosaic) and three single-scale patterns
(stripes, dots, checks: one period each, so a study of scales can see which feature level reproduces them).

Each image is generated deterministically from ``(name, size, seed)`` in resolution-independent coordinates,
so a 64-pixel and a 512-pixel version show the same picture::

    >>> from cnnkit.style import STYLE_NAMES, make_style_image
    >>> STYLE_NAMES
    ('brush_strokes', 'swirls', 'mosaic', 'stripes', 'dots', 'checks')
    >>> img = make_style_image("swirls", size=64, seed=0)
    >>> img.shape, img.dtype
    ((64, 64, 3), dtype('uint8'))
    >>> make_style_image("mosaic", size=(48, 80)).shape
    (48, 80, 3)
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from cnnkit._checks import Choice, Int, Pair, Seed, check_choice, check_seed, check_side_pair, contract

#: warm/cool palettes the generators draw from (RGB, 0-255)
_PALETTE = np.array([
    [32, 48, 110], [38, 92, 160], [232, 186, 60], [214, 96, 38],
    [150, 40, 40], [240, 230, 200], [40, 110, 80], [20, 24, 32],
], dtype=np.float64)


def _grid(h, w):
    """Pixel-centre coordinates scaled so the shorter side spans [0, 1]."""
    scale = min(h, w)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    return (y + 0.5) / scale, (x + 0.5) / scale


def _brush_strokes(h, w, rng):
    """Short thick strokes that follow a smooth flow field, painted over a dark ground."""
    canvas = Image.new("RGB", (w, h), tuple(int(c) for c in _PALETTE[0]))
    draw = ImageDraw.Draw(canvas)
    scale = min(h, w)
    f1, f2 = rng.uniform(2, 5, 2)
    p1, p2 = rng.uniform(0, 2 * np.pi, 2)
    n = int(900 * (h * w) / scale ** 2)
    ys, xs = rng.uniform(0, h / scale, n), rng.uniform(0, w / scale, n)
    colors = _PALETTE[rng.integers(1, len(_PALETTE) - 1, n)] + rng.normal(0, 12, (n, 3))
    lengths = rng.uniform(0.04, 0.10, n)
    widths = np.maximum(1, np.round(rng.uniform(0.012, 0.03, n) * scale)).astype(int)
    for y, x, c, length, width in zip(ys, xs, colors, lengths, widths):
        angle = np.sin(f1 * x + p1) * np.pi + np.cos(f2 * y + p2)  # the flow field
        dy, dx = np.sin(angle) * length / 2, np.cos(angle) * length / 2
        ends = [((x - dx) * scale, (y - dy) * scale), ((x + dx) * scale, (y + dy) * scale)]
        draw.line(ends, fill=tuple(int(v) for v in np.clip(c, 0, 255)), width=int(width))
    return np.asarray(canvas.filter(ImageFilter.GaussianBlur(radius=max(0.4, scale / 400))))


def _swirls(h, w, rng):
    """Colour bands twisted around a few vortices (each vortex rotates the plane by a Gaussian-decaying angle)."""
    y, x = _grid(h, w)
    for _ in range(5):
        cy, cx = rng.uniform(0, h / min(h, w)), rng.uniform(0, w / min(h, w))
        dy, dx = y - cy, x - cx
        angle = rng.choice([-1, 1]) * rng.uniform(4, 8) * np.exp(-(dy ** 2 + dx ** 2) / rng.uniform(0.02, 0.06))
        c, s = np.cos(angle), np.sin(angle)
        y, x = cy + s * dx + c * dy, cx + c * dx - s * dy
    t = (7 * x + 4 * y + 0.15 * np.sin(25 * y)) % 1.0  # stripes, slightly wavy
    colors = _PALETTE[rng.permutation(len(_PALETTE) - 1)[:5]]
    pos = t * len(colors)
    i = np.floor(pos).astype(int)
    frac = (pos - i)[..., None]
    rgb = (1 - frac) * colors[i % len(colors)] + frac * colors[(i + 1) % len(colors)]
    return np.round(rgb).astype(np.uint8)


def _mosaic(h, w, rng):
    """Voronoi tiles in palette colours separated by dark grout lines.

    The two nearest tile centres of every pixel come from a KD-tree: memory grows with the pixels only
    (about 120 MiB at 1024²), where a pixels × tiles distance matrix would need 37 GiB at 4096².
    """
    from scipy.spatial import cKDTree

    y, x = _grid(h, w)
    n = int(140 * (h * w) / min(h, w) ** 2)
    seeds = np.stack([rng.uniform(0, h / min(h, w), n), rng.uniform(0, w / min(h, w), n)], axis=1)
    colors = _PALETTE[rng.integers(1, len(_PALETTE) - 1, n)] + rng.normal(0, 18, (n, 3))
    dist, nearest = cKDTree(seeds).query(np.column_stack([y.ravel(), x.ravel()]), k=2)
    del y, x
    edge = (dist[:, 1] - dist[:, 0]) < 0.012
    rgb = colors[nearest[:, 0]]
    rgb[edge] = _PALETTE[-1]
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8).reshape(h, w, 3)


# saturated colours for the single-scale patterns (RGB, 0-255): red, blue, yellow, green, orange, navy, cream
_BOLD = np.array([[200, 40, 40], [40, 80, 190], [240, 200, 40], [40, 150, 70], [235, 120, 30], [25, 30, 70],
                  [245, 235, 210]], dtype=np.float64)


def _edge(distance, pixel):
    """Anti-aliased coverage of a shape at signed ``distance`` (inside < 0), one ``pixel`` wide ramp."""
    return np.clip(0.5 - distance / pixel, 0.0, 1.0)[..., None]


def _stripes(h, w, rng):
    """Straight bands of three bold colours (red, blue, yellow, in an order and at an angle of 30–60° drawn
    from the seed), each band 1/12 of the shorter side wide."""
    y, x = _grid(h, w)
    angle = rng.uniform(np.pi / 6, np.pi / 3)
    colors = _BOLD[rng.permutation(3)]
    t = (x * np.cos(angle) + y * np.sin(angle)) * 12 + rng.uniform(0, 3)   # band units: one band is 1/12
    band, frac = np.floor(t).astype(int), t - np.floor(t)
    pixel = 12 / min(h, w)                                                 # one pixel, in band units
    lower = np.clip(0.5 - frac / pixel, 0, 1)[..., None]                   # anti-aliasing at the two edges
    upper = np.clip(0.5 - (1 - frac) / pixel, 0, 1)[..., None]
    rgb = (1 - lower - upper) * colors[band % 3] + lower * colors[(band - 1) % 3] + upper * colors[(band + 1) % 3]
    return np.round(rgb).astype(np.uint8)


def _dots(h, w, rng):
    """A square lattice of discs (spacing 1/8 of the shorter side, radius 0.3 of it) in four bold colours on
    cream."""
    y, x = _grid(h, w)
    spacing, pixel = 1 / 8, 1 / min(h, w)
    oy, ox = rng.uniform(0, spacing, 2)
    iy, ix = np.floor((y - oy) / spacing), np.floor((x - ox) / spacing)
    cy, cx = oy + (iy + 0.5) * spacing, ox + (ix + 0.5) * spacing
    distance = np.hypot(y - cy, x - cx) - 0.3 * spacing
    n = int(iy.max() - iy.min() + 1) * int(ix.max() - ix.min() + 1)
    table = _BOLD[rng.integers(0, 4, n)] + rng.normal(0, 8, (n, 3))
    cell = ((iy - iy.min()) * (ix.max() - ix.min() + 1) + (ix - ix.min())).astype(int)
    cover = _edge(distance, pixel)
    rgb = cover * table[cell] + (1 - cover) * _BOLD[-1]
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


def _checks(h, w, rng):
    """A checkerboard of squares 1/8 of the shorter side, two bold colours, each square's shade jittered."""
    y, x = _grid(h, w)
    side, pixel = 1 / 8, 1 / min(h, w)
    oy, ox = rng.uniform(0, side, 2)
    iy, ix = np.floor((y - oy) / side), np.floor((x - ox) / side)
    parity = ((iy + ix) % 2).astype(int)
    pair = _BOLD[rng.choice([[5, 4], [1, 2], [0, 6], [3, 6]][rng.integers(0, 4)], 2, replace=False)]
    ny, nx = int(iy.max() - iy.min() + 1), int(ix.max() - ix.min() + 1)
    shade = 1 + rng.normal(0, 0.06, (ny, nx))[(iy - iy.min()).astype(int), (ix - ix.min()).astype(int)]
    # anti-aliased edges: blend towards the neighbour's colour within half a pixel of a square's border
    fy, fx = (y - oy) / side - iy, (x - ox) / side - ix
    near = np.minimum(np.minimum(fy, 1 - fy), np.minimum(fx, 1 - fx)) * side
    mix = np.clip(0.5 - near / pixel, 0, 1)[..., None] * 0.5
    rgb = ((1 - mix) * pair[parity] + mix * pair[1 - parity]) * shade[..., None]
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


_GENERATORS = {"brush_strokes": _brush_strokes, "swirls": _swirls, "mosaic": _mosaic, "stripes": _stripes,
               "dots": _dots, "checks": _checks}
#: the procedural style images :func:`make_style_image` can make
STYLE_NAMES = tuple(_GENERATORS)
_MIN_SIDE, _MAX_SIDE = 8, 4096  # per side, in pixels


def _stream(seed, name):
    """The picture's random stream: a Generator as it is, else one stream per ``(seed, name)``.

    An int ``s`` and ``SeedSequence(s)`` give the same stream (``SeedSequence([s, index of name])``).
    """
    check_seed(seed, "seed")  # TypeError / ValueError naming seed
    if isinstance(seed, np.random.Generator):
        return seed
    seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
    entropy = [int(e) for e in np.atleast_1d(seq.entropy)] + [STYLE_NAMES.index(name)]
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=seq.spawn_key, pool_size=seq.pool_size))


@contract(name=Choice(*STYLE_NAMES), seed=Seed(),
          size=(Int(low=1) | Pair(Int(low=1), what="an int or a (height, width) pair")).describe(
              "an int or a (height, width) pair"))
def make_style_image(name, *, size=256, seed=0):
    """Make a procedural style image: uint8 H×W×3 RGB, the same pixels for the same ``(name, size, seed)``.

    Args:
        name: one of :data:`STYLE_NAMES`: ``"brush_strokes"``, ``"swirls"``, ``"mosaic"`` (many scales) or
            ``"stripes"``, ``"dots"``, ``"checks"`` (one period, 1/12 or 1/8 of the shorter side).
        size: the side of a square image, or a ``(height, width)`` pair; each side between 8 and 4096 pixels.
            The picture is drawn in coordinates where the shorter side spans [0, 1], so sizes differ in detail,
            not in content.
        seed: an int ≥ 0, a ``numpy.random.SeedSequence`` (``SeedSequence(s)`` gives the same image as ``s``)
            or a ``numpy.random.Generator`` (drawn from, so its state advances).

    Returns:
        A uint8 H×W×3 RGB array (C-contiguous), H×W being ``size``.

    Raises:
        TypeError: for an argument of the wrong type, naming it.
        ValueError: for a wrong value, naming it.

    Example:
        >>> make_style_image("mosaic", size=(2, 3), seed=0)
        Traceback (most recent call last):
        ...
        ValueError: size must have sides between 8 and 4096 pixels, got (2, 3)
        >>> a = make_style_image("brush_strokes", size=(24, 40), seed=np.random.SeedSequence(7))
        >>> a.shape, bool((a == make_style_image("brush_strokes", size=(24, 40), seed=7)).all())
        ((24, 40, 3), True)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {', '.join(map(repr, STYLE_NAMES))}; got {name!r}")
    check_choice(name, "name", STYLE_NAMES)
    h, w = check_side_pair(size, "size")
    if not (_MIN_SIDE <= h <= _MAX_SIDE and _MIN_SIDE <= w <= _MAX_SIDE):
        raise ValueError(f"size must have sides between {_MIN_SIDE} and {_MAX_SIDE} pixels, got {size!r}")
    return np.ascontiguousarray(_GENERATORS[name](h, w, _stream(seed, name)))
