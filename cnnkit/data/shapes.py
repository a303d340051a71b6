"""Generated geometric shapes: a seeded, balanced, offline image-classification set.

Each image shows one filled shape (random centre, size, rotation and colour) on a darker,
noisy background. Rendering is vectorised over the batch with NumPy, with anti-aliased edges
from a signed distance per shape, so 10,000 images of 32 × 32 take a couple of seconds.

    >>> from cnnkit.data import make_shapes, shift_images
    >>> data = make_shapes(500, size=32, seed=0)
    >>> data.train.x.shape, data.train.x.dtype.name, data.class_names[:3]
    ((350, 32, 32, 3), 'float32', ['circle', 'square', 'triangle'])
    >>> shift_images(data.test.x, dx=4, dy=0).shape          # 4 pixels to the right
    (75, 32, 32, 3)

``center_jitter`` controls how far from the middle a shape may sit: ``0`` centres every shape
(the set where a dense network only ever sees one position), the default lets it wander.

``clutter`` makes the set harder: that many random line strokes, in colours like the shapes', are
drawn on the background of every image before the shape (so they run behind it and touch its outline),
and a network can no longer find the shape by brightness alone::

    >>> hard = make_shapes(500, size=32, seed=0, clutter=4)
    >>> bool(abs(hard.train.x.mean() - data.train.x.mean()) > 0.01)   # the strokes brighten the background
    True
"""
import numbers

import numpy as np

from cnnkit._checks import (Array, Choice, Fraction, Int, Number, Pair, Seed, Seq, check_choice, check_int,
                            check_number, check_seed, check_size, contract)
from cnnkit.data.splits import split_arrays

SHAPE_CLASSES = ("circle", "square", "triangle", "cross", "ring")

#: the rules of the drawing options render_shapes and make_shapes share
_OPTIONS = dict(center_jitter=Number(low=0, high=0.5), noise=Number(low=0, high=1), clutter=Int(low=0, high=32),
                scale=Pair(Number(low=0.05, high=0.5), what="a (low, high) pair of radius fractions in [0.05, 0.5]"))
_CLASSES = (Choice(*SHAPE_CLASSES) | Seq(Choice(*SHAPE_CLASSES))).describe(
    "a shape name or a sequence of names from SHAPE_CLASSES")

_CHUNK_PIXELS = 1 << 20  # pixels rendered at once: keeps the temporaries in cache-friendly, bounded memory


def _signed_distance(name, u, v):
    """Distance (in shape radii, negative inside) from points ``(u, v)`` to the outline of ``name``."""
    if name == "circle":
        return np.hypot(u, v) - 1.0
    if name == "square":
        return np.maximum(np.abs(u), np.abs(v)) - 0.8
    if name == "triangle":  # equilateral, circumradius 1: three edges at distance 0.5 from the centre
        angles = np.deg2rad([90.0, 210.0, 330.0])
        return np.max([u * np.cos(a) + v * np.sin(a) for a in angles], axis=0) - 0.5
    if name == "cross":
        au, av = np.abs(u), np.abs(v)
        return np.minimum(np.maximum(au - 0.3, av - 1.0), np.maximum(av - 0.3, au - 1.0))
    if name == "ring":
        rho = np.hypot(u, v)
        return np.maximum(rho - 1.0, 0.55 - rho)
    raise ValueError(f"unknown shape {name!r}; choose from {SHAPE_CLASSES}")


def _check_classes(classes):
    if isinstance(classes, str):
        classes = (classes,)
    if not isinstance(classes, (tuple, list)):
        raise TypeError(f"classes must be a shape name or a sequence of names from {SHAPE_CLASSES}, "
                        f"got {type(classes).__name__}")
    classes = tuple(classes)
    unknown = [c for c in classes if c not in SHAPE_CLASSES]
    if not classes or unknown:
        raise ValueError(f"classes must be names from {SHAPE_CLASSES}, got unknown {unknown or 'none given'}")
    if len(set(classes)) != len(classes):
        raise ValueError(f"classes must not repeat a name, got {classes}")
    return classes


def _check_options(center_jitter, scale, noise, clutter=0):
    """The drawing options, checked: ``center_jitter`` in [0, 0.5], ``scale`` (low, high), ``noise`` in [0, 1],
    ``clutter`` an int in [0, 32]."""
    center_jitter = check_number(center_jitter, "center_jitter", low=0, high=0.5)
    if isinstance(scale, (str, bytes)) or not hasattr(scale, "__len__"):
        raise TypeError(f"scale must be a (low, high) pair of radius fractions, got {scale!r}")
    if len(scale) != 2:
        raise ValueError(f"scale must be a (low, high) pair of radius fractions, got {scale!r}")
    lo = check_number(scale[0], "scale[0]", low=0.05, high=0.5)
    hi = check_number(scale[1], "scale[1]", low=0.05, high=0.5)
    if lo > hi:
        raise ValueError(f"scale must be (low, high) with low ≤ high, got {scale!r}")
    return (center_jitter, (lo, hi), check_number(noise, "noise", low=0, high=1),
            check_int(clutter, "clutter", low=0, high=32))


def _segment_distance(px, py, x0, y0, x1, y1):
    """Distance from points ``(px, py)`` to the segments ``(x0, y0)–(x1, y1)`` (broadcast together)."""
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((px - x0) * dx + (py - y0) * dy) / np.maximum(dx * dx + dy * dy, 1e-9), 0.0, 1.0)
    return np.hypot(px - (x0 + t * dx), py - (y0 + t * dy))


@contract(names=Seq(Choice(*SHAPE_CLASSES), min_len=0, what="a sequence of shape names (one per image)"),
          size=Int(low=8), seed=Seed() | None, **_OPTIONS)
def render_shapes(names, *, size=32, seed=None, center_jitter=0.25, scale=(0.18, 0.32), noise=0.05, clutter=0):
    """Draw one image per entry of ``names`` (shape names); returns float32 ``(len(names), size, size, 3)``.

    A stroke of ``clutter`` is a line about 1.5 pixels wide, from 0.3 to 0.8 of ``size`` long, anywhere in
    the image, in a colour from the shapes' range.

    Args:
        names: names from ``SHAPE_CLASSES``, one per image (a list, even for one).
        size: the side of the square images in pixels (≥ 8).
        seed: an int, ``SeedSequence`` or ``Generator`` (a Generator's stream advances); None: fresh,
            unrepeatable.
        center_jitter: the largest offset of a shape's centre from the middle, as a fraction of ``size``
            (kept inside the image), in [0, 0.5].
        scale: the (low, high) range of a shape's radius as a fraction of ``size``, within [0.05, 0.5].
        noise: the standard deviation of the pixel noise, in [0, 1].
        clutter: the number of distractor strokes behind each shape (0 to 32; 0 draws none and leaves the
            images exactly as without the option).

    Returns:
        A float32 array ``(len(names), size, size, 3)`` in [0, 1].

    Raises:
        ValueError: a size past this machine's memory, or a value out of its range.

    Example:
        >>> render_shapes(["circle", "ring"], size=16, seed=0).shape
        (2, 16, 16, 3)
        >>> render_shapes(["circle"], size=16, seed=0, clutter=3).shape
        (1, 16, 16, 3)
    """
    if isinstance(names, str):
        raise TypeError(f"names must be a sequence of shape names (one per image), got the string {names!r}")
    names = [check_choice(name, "names", SHAPE_CLASSES) for name in names]
    size = check_int(size, "size", low=8)
    center_jitter, (lo, hi), noise, clutter = _check_options(center_jitter, scale, noise, clutter)
    rng = np.random.default_rng() if seed is None else check_seed(seed)
    n = len(names)
    check_size(4 * n * size * size * 3, "size", size, f"{n} images of {size} × {size} × 3 float32")
    radius = rng.uniform(lo, hi, n) * size
    # how far the centre may move and keep the shape inside (a square's corner reaches 1.14 radii out)
    room = np.maximum(size / 2 - 1.15 * radius - 1, 0)
    reach = np.minimum(room, center_jitter * size)
    cx = size / 2 + rng.uniform(-1, 1, n) * reach
    cy = size / 2 + rng.uniform(-1, 1, n) * reach
    theta = rng.uniform(0, 2 * np.pi, n)
    fg = rng.uniform(0.5, 1.0, (n, 3))
    bg = rng.uniform(0.0, 0.3, (n, 3))
    if clutter:  # drawn only when asked for, so clutter=0 keeps the stream (and the images) of cnnkit 0.2
        start_xy = rng.uniform(0, size, (2, n, clutter))
        angle = rng.uniform(0, 2 * np.pi, (n, clutter))
        length = rng.uniform(0.3, 0.8, (n, clutter)) * size
        end_xy = start_xy + length * np.stack([np.cos(angle), np.sin(angle)])
        stroke_colour = rng.uniform(0.4, 1.0, (n, clutter, 3))

    grid = np.arange(size) + 0.5
    images = np.empty((n, size, size, 3), np.float32)
    names = np.asarray(names)
    chunk = max(1, _CHUNK_PIXELS // (size * size))
    for start in range(0, n, chunk):
        s = slice(start, start + chunk)
        dx = grid[None, None, :] - cx[s, None, None]
        dy = grid[None, :, None] - cy[s, None, None]
        cos, sin = np.cos(theta[s])[:, None, None], np.sin(theta[s])[:, None, None]
        r = radius[s, None, None]
        u, v = (cos * dx + sin * dy) / r, (-sin * dx + cos * dy) / r
        dist = np.empty_like(u)
        for name in np.unique(names[s]):
            pick = names[s] == name
            dist[pick] = _signed_distance(str(name), u[pick], v[pick])
        coverage = np.clip(0.5 - dist * r, 0.0, 1.0)[..., None]  # anti-aliased edge, one pixel wide
        img = np.broadcast_to(bg[s, None, None, :], dx.shape[:1] + (size, size, 3))
        for k in range(clutter):  # strokes behind the shape, one pixel and a half wide, anti-aliased
            d = _segment_distance(grid[None, None, :], grid[None, :, None], *(a[s, k, None, None] for a in
                                  (start_xy[0], start_xy[1], end_xy[0], end_xy[1])))
            line = np.clip(1.25 - d, 0.0, 1.0)[..., None]
            img = img * (1 - line) + stroke_colour[s, k, None, None, :] * line
        img = img * (1 - coverage) + fg[s, None, None, :] * coverage
        if noise:  # drawn chunk by chunk: the same numbers as one big draw, a fraction of the memory
            img += noise * rng.standard_normal(img.shape, dtype=np.float32)
        images[s] = np.clip(img, 0.0, 1.0)
    return images


@contract(n=Int(low=1), size=Int(low=16), classes=_CLASSES, seed=Seed(), val=Fraction(), test=Fraction(), **_OPTIONS)
def make_shapes(n, *, size=32, classes=SHAPE_CLASSES, seed=0, val=0.15, test=0.15, noise=0.05,
                center_jitter=0.25, scale=(0.18, 0.32), clutter=0):
    """A balanced, seeded set of ``n`` shape images split into train / validation / test.

    Images are float32 in [0, 1], ``size × size × 3``; labels index ``class_names`` (= ``classes``).
    Class counts differ by at most one. The same arguments always give the same arrays.

    Args:
        n: the number of images (≥ the number of classes).
        size: the side of the square images in pixels (≥ 16).
        classes: shape names from ``SHAPE_CLASSES``, or one name.
        seed: an int, ``SeedSequence`` or ``Generator``.
        val: the share of each class held out for validation.
        test: the share of each class held out for test.
        noise: as in :func:`render_shapes`.
        center_jitter: as in :func:`render_shapes`.
        scale: as in :func:`render_shapes`.
        clutter: distractor strokes per image (the harder setting), as in :func:`render_shapes`.

    Returns:
        A :class:`~cnnkit.data.Splits` of :class:`~cnnkit.data.Split` parts.

    Raises:
        ValueError: a part asked for that rounds to nothing (``make_shapes(10)`` leaves no image for
            ``val=0.15``: pass ``val=0``), or a value out of its range.

    Example:
        >>> data = make_shapes(1000, size=24, classes=("circle", "cross"), seed=1)
        >>> data.n_classes, data.train.x.shape[1:]
        (2, (24, 24, 3))
    """
    classes = _check_classes(classes)
    n = check_int(n, "n", low=len(classes))
    size = check_int(size, "size", low=16)
    check_size(4 * n * size * size * 3, "size", size, f"{n} images of {size} × {size} × 3 float32")
    _check_options(center_jitter, scale, noise, clutter)
    rng = check_seed(seed)
    labels = rng.permutation(np.arange(n) % len(classes))
    images = render_shapes([classes[k] for k in labels], size=size, seed=rng, center_jitter=center_jitter,
                           scale=scale, noise=noise, clutter=clutter)
    # an int seed starts the split's stream afresh (the cut cnnkit 0.1 made); a Generator or SeedSequence continues
    split_seed = seed if isinstance(seed, numbers.Integral) else rng
    return split_arrays(images, labels, list(classes), val=val, test=test, seed=split_seed)


@contract(x=Array(ndim=(3, 4), finite=False).describe("a batch of images (N, H, W) or (N, H, W, C)"), dx=Int(),
          dy=Int(), fill=(Choice("edge", "wrap") | Number()).describe("'edge', 'wrap' or a number"))
def shift_images(x, dx, dy, *, fill="edge"):
    """Shift a batch ``x`` (N, H, W[, C]) by ``dx`` pixels right and ``dy`` pixels down.

    Args:
        x: the batch, (N, H, W) or (N, H, W, C); it is left unchanged.
        dx: whole pixels to the right (negative: left).
        dy: whole pixels down (negative: up).
        fill: what enters the frame: ``"edge"`` repeats the nearest border pixel, ``"wrap"`` brings in what
            left on the other side, a number paints it with that value (one ``x``'s dtype can hold).

    Returns:
        The shifted batch, of ``x``'s shape and dtype.

    Raises:
        ValueError: a ``fill`` that ``x``'s integer dtype cannot hold (``0.5`` or ``300`` for uint8).

    Example:
        >>> shift_images(np.arange(4.0).reshape(1, 1, 4), dx=1, dy=0, fill=0)[0, 0].tolist()
        [0.0, 0.0, 1.0, 2.0]
    """
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"x must be a batch of images (N, H, W) or (N, H, W, C), got shape {x.shape}")
    dx, dy = check_int(dx, "dx"), check_int(dy, "dy")
    h, w = x.shape[1:3]
    rows, cols = np.arange(h) - dy, np.arange(w) - dx
    if isinstance(fill, str):
        if check_choice(fill, "fill", ("edge", "wrap")) == "edge":
            return x[:, np.clip(rows, 0, h - 1)][:, :, np.clip(cols, 0, w - 1)]
        return x[:, rows % h][:, :, cols % w]
    if isinstance(fill, (bool, np.bool_)) or not isinstance(fill, numbers.Number):
        raise TypeError(f"fill must be 'edge', 'wrap' or a number, got {fill!r}")
    if np.issubdtype(x.dtype, np.integer):      # a fill the pixels' dtype cannot hold would be cut silently
        info = np.iinfo(x.dtype)
        if fill != round(fill) or not info.min <= fill <= info.max:
            raise ValueError(f"fill={fill!r} cannot be stored in x's dtype {x.dtype} (whole numbers "
                             f"{info.min}..{info.max}); give such a number, or convert x to float first")
    out = x[:, np.clip(rows, 0, h - 1)][:, :, np.clip(cols, 0, w - 1)]
    out[:, (rows < 0) | (rows >= h)] = fill
    out[:, :, (cols < 0) | (cols >= w)] = fill
    return out
