"""Ben Graham's fundus preprocessing (winner of Kaggle's 2015 diabetic-retinopathy competition).

    >>> import numpy as np
    >>> from cnnkit.medical.graham import ben_graham
    >>> photo = np.zeros((100, 140, 3), np.uint8); photo[10:90, 30:110] = (180, 80, 40)
    >>> out = ben_graham(photo, radius=32)
    >>> out.shape, out.dtype, int(out[32, 32, 0])      # flat colour -> the neutral 128
    ((64, 64, 3), dtype('uint8'), 128)

The steps, each a function you can call on its own:

1. :func:`crop_black_borders` — drop the black rows and columns around the camera field;
2. :func:`scale_radius` — resize so the eye's radius is ``radius`` pixels (every photo at one scale);
3. :func:`subtract_local_average` — ``4·I − 4·G_σ∗I + 128`` with σ = radius/30: the local mean colour
   becomes grey 128, so illumination and pigmentation differences vanish and small lesions stand out;
4. :func:`circular_mask` — keep a disc at 90% of the radius (the bright rim artefact goes) on grey,
   as a ``2·radius`` square.

Images are H×W×3 (or H×W) arrays read by the one dtype rule of :mod:`cnnkit.images`: ``uint8`` in 0–255
(``uint16`` and ``bool`` are turned into uint8 by that rule), or float in [0, 1]; the output has the input's
kind (for floats the neutral grey is 0.5 instead of 128, and the result is float32).
"""
import numpy as np
from scipy import ndimage
from skimage.transform import resize

from cnnkit._checks import Array, Image, Int, Number, check_image, check_int, check_number, check_size, contract
from cnnkit.images import as_uint8


def _check(img, name="img"):
    """``img`` by the one dtype rule of :mod:`cnnkit.images`, and whether it is worked on as uint8.

    uint8 stays uint8 (0–255); uint16 and bool become uint8 by that rule (``÷ 257``; 0/255); a float
    must lie in [0, 1] and stays float.
    """
    a, white = check_image(img, name)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 3)):
        raise ValueError(f"{name} must be H×W or H×W×3 (or ×1), got shape {a.shape}")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {a.shape})")
    if np.issubdtype(a.dtype, np.floating):
        return a, False
    return (a if white == 255 else as_uint8(img, name)), True


_IMAGE = Image(channels=(1, 3))
_TOL = Number(low=0, high=255, high_open=True)


def _positive(value, name):
    return check_number(value, name, low=0, low_open=True)


def _brightness(img):
    """Per-pixel brightness in 0–255 units (mean over channels)."""
    b = img.astype(np.float32)
    b = b.mean(axis=2) if b.ndim == 3 else b
    return b if img.dtype == np.uint8 else b * 255


@contract(img=_IMAGE, tol=_TOL)
def crop_black_borders(img, *, tol=7):
    """Crop the rows and columns whose brightness is ≤ ``tol`` (0–255 units) everywhere.

    An image with nothing brighter than ``tol`` comes back unchanged.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        tol: the brightness, in [0, 255), at or below which a pixel counts as black.

    Returns:
        The cropped image, of the input's kind.

    Example:
        >>> img = np.zeros((10, 12), np.uint8); img[2:8, 3:9] = 200
        >>> crop_black_borders(img).shape
        (6, 6)
    """
    img, _ = _check(img)
    tol = check_number(tol, "tol", low=0, high=255, high_open=True)
    return img[_bright_box(img, tol)]


def _bright_box(img, tol):
    """The (rows, cols) slices of the smallest box holding every pixel brighter than ``tol``."""
    bright = _brightness(img) > tol
    if not bright.any():
        return np.s_[:, :]
    rows, cols = np.flatnonzero(bright.any(axis=1)), np.flatnonzero(bright.any(axis=0))
    return np.s_[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


@contract(img=_IMAGE)
def estimate_radius(img):
    """The eye's radius in pixels, estimated from the image's middle row (Graham's estimate).

    Half the count of the row's pixels brighter than a tenth of its mean.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).

    Returns:
        The radius, a float.

    Raises:
        ValueError: the middle row is black (no eye found).

    Example:
        >>> img = np.zeros((50, 50, 3), np.uint8); img[:, 5:45] = 150     # an "eye" 40 px wide
        >>> estimate_radius(img)
        20.0
    """
    img, _ = _check(img)
    row = _brightness(img)[img.shape[0] // 2]
    radius = (row > row.mean() / 10).sum() / 2 if row.mean() > 0 else 0
    if radius < 1:
        raise ValueError("img: no eye found (the middle row is black), cannot estimate the radius")
    return float(radius)


@contract(img=_IMAGE, radius=Number(low=0, low_open=True))
def scale_radius(img, *, radius):
    """Resize ``img`` (aspect kept) so that the eye's radius (:func:`estimate_radius`) is ``radius`` px.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        radius: the wanted radius in pixels (> 0).

    Returns:
        The resized image, of the input's kind.

    Raises:
        ValueError: no eye found, or a radius whose image would not fit in memory.

    Example:
        >>> img = np.zeros((50, 50, 3), np.uint8); img[:, 5:45] = 150     # an "eye" 40 px wide
        >>> scale_radius(img, radius=40).shape
        (100, 100, 3)
    """
    img, is_uint8 = _check(img)
    _positive(radius, "radius")
    s = radius / estimate_radius(img)
    shape = (max(1, round(img.shape[0] * s)), max(1, round(img.shape[1] * s))) + img.shape[2:]
    check_size(16 * np.prod(shape, dtype=float), "radius", radius, f"an image of {shape[0]} × {shape[1]} pixels")
    out = resize(img.astype(np.float32), shape, order=1, anti_aliasing=s < 1, preserve_range=True)
    return np.clip(np.round(out), 0, 255).astype(np.uint8) if is_uint8 else out.astype(np.float32)


@contract(img=_IMAGE, sigma=Number(low=0, low_open=True))
def local_average(img, *, sigma):
    """``G_σ ∗ img``: the Gaussian-blurred image (per channel, mirrored borders), as float32.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        sigma: the Gaussian's standard deviation in pixels (> 0).

    Returns:
        A float32 array of ``img``'s shape (in the input's units: 0–255 for uint8).

    Example:
        >>> local_average(np.full((8, 8), 100, np.uint8), sigma=2)[4, 4]
        np.float32(100.0)
    """
    img, _ = _check(img)
    _positive(sigma, "sigma")
    sigmas = (sigma, sigma, 0) if img.ndim == 3 else sigma
    return ndimage.gaussian_filter(img.astype(np.float32), sigmas, mode="mirror")


@contract(img=_IMAGE, sigma=Number(low=0, low_open=True))
def subtract_local_average(img, *, sigma):
    """Graham's local-contrast step: ``4·I − 4·G_σ∗I + 128`` (uint8) or ``+ 0.5`` (float, clipped to [0, 1]).

    Flat regions become the neutral grey; edges and small spots are amplified 4×.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        sigma: the local average's Gaussian standard deviation in pixels (> 0).

    Returns:
        The contrast image, of the input's kind.

    Example:
        >>> flat = np.full((20, 20, 3), 90, np.uint8)
        >>> int(subtract_local_average(flat, sigma=2).max())
        128
    """
    img, is_uint8 = _check(img)
    out = 4 * img.astype(np.float32) - 4 * local_average(img, sigma=sigma) + (128 if is_uint8 else 0.5)
    return np.clip(np.round(out), 0, 255).astype(np.uint8) if is_uint8 else np.clip(out, 0, 1).astype(np.float32)


@contract(img=_IMAGE, fraction=Number(low=0, high=1, low_open=True), radius=Number(low=0, low_open=True) | None,
          fill=Number() | None)
def circular_mask(img, *, fraction=0.9, radius=None, fill=None):
    """Keep a centred disc of radius ``fraction · radius`` and paint the rest ``fill``.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        fraction: the share of ``radius`` kept, in (0, 1].
        radius: in pixels (None: half the shorter side).
        fill: the value outside (None: the neutral grey, 128, or 0.5 for floats).

    Returns:
        A masked copy, of the input's kind.

    Example:
        >>> out = circular_mask(np.zeros((10, 10), np.uint8), fraction=0.5)
        >>> int(out[5, 5]), int(out[0, 0])
        (0, 128)
    """
    img, is_uint8 = _check(img)
    fraction = check_number(fraction, "fraction", low=0, high=1, low_open=True)
    radius = min(img.shape[:2]) / 2 if radius is None else _positive(radius, "radius")
    fill = (128 if is_uint8 else 0.5) if fill is None else fill
    h, w = img.shape[:2]
    yy, xx = np.ogrid[:h, :w]
    inside = (yy + 0.5 - h / 2) ** 2 + (xx + 0.5 - w / 2) ** 2 <= (fraction * radius) ** 2
    out = img.copy()
    out[~inside] = fill
    return out


@contract(img=_IMAGE, side=Int(low=1), fill=Number())
def pad_or_crop(img, *, side, fill):
    """Centre ``img`` on a ``side × side`` canvas of ``fill``, cropping what does not fit.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        side: the canvas side in pixels (≥ 1).
        fill: the canvas value.

    Returns:
        A ``side × side`` (× channels) array of the input's kind.

    Example:
        >>> pad_or_crop(np.ones((2, 6), np.uint8), side=4, fill=0).tolist()
        [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0]]
    """
    img, _ = _check(img)
    side = check_int(side, "side", low=1)
    out = np.full((side, side) + img.shape[2:], fill, dtype=img.dtype)
    h, w = img.shape[:2]
    sy, sx = max((h - side) // 2, 0), max((w - side) // 2, 0)  # source offsets (crop)
    dy, dx = max((side - h) // 2, 0), max((side - w) // 2, 0)  # destination offsets (pad)
    ch, cw = min(h, side), min(w, side)
    out[dy:dy + ch, dx:dx + cw] = img[sy:sy + ch, sx:sx + cw]
    return out


@contract(img=_IMAGE, radius=Number(low=0, low_open=True) | None, tol=_TOL,
          fraction=Number(low=0, high=1, low_open=True))
def ben_graham_steps(img, *, radius=None, tol=7, fraction=0.9):
    """Every intermediate image of :func:`ben_graham`, in order, as a dict (for a step-by-step figure).

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        radius: as :func:`ben_graham`.
        tol: as :func:`ben_graham`.
        fraction: as :func:`ben_graham`.

    Returns:
        A dict with the keys ``"original"``, ``"cropped"``, ``"scaled"``, ``"local average"`` (G_σ∗I),
        ``"subtracted"``, ``"masked"`` (the final ``2·radius`` square).

    Example:
        >>> photo = np.zeros((60, 80, 3), np.uint8); photo[10:50, 20:60] = (180, 80, 40)
        >>> steps = ben_graham_steps(photo, radius=16)
        >>> steps["original"].shape, steps["cropped"].shape, steps["masked"].shape
        ((60, 80, 3), (40, 40, 3), (32, 32, 3))
    """
    img, is_uint8 = _check(img)
    cropped = crop_black_borders(img, tol=tol)
    radius = min(cropped.shape[:2]) / 2 if radius is None else _positive(radius, "radius")
    scaled = scale_radius(cropped, radius=radius)
    sigma = radius / 30
    blurred = local_average(scaled, sigma=sigma)
    subtracted = subtract_local_average(scaled, sigma=sigma)
    grey = 128 if is_uint8 else 0.5
    side = max(1, int(round(2 * radius)))
    masked = circular_mask(pad_or_crop(subtracted, side=side, fill=grey), fraction=fraction, radius=radius, fill=grey)
    blurred = np.clip(np.round(blurred), 0, 255).astype(np.uint8) if is_uint8 else blurred
    return {"original": img, "cropped": cropped, "scaled": scaled, "local average": blurred,
            "subtracted": subtracted, "masked": masked}


@contract(img=_IMAGE, radius=Number(low=0, low_open=True) | None, tol=_TOL,
          fraction=Number(low=0, high=1, low_open=True))
def ben_graham(img, *, radius=None, tol=7, fraction=0.9):
    """Ben Graham's preprocessing of one fundus photograph, as a ``2·radius`` square of the input's kind.

    Crop black borders, scale to ``radius``, subtract the local average (σ = radius/30), keep a disc at
    ``fraction`` of the radius.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        radius: the eye's radius in the output, in pixels (None: half the shorter side of the cropped eye).
        tol: the black level of :func:`crop_black_borders`.
        fraction: that of :func:`circular_mask`.

    Returns:
        A ``2·radius`` square: uint8 with grey 128 for uint8 (or uint16, bool) input, float32 with grey 0.5
        for float input.

    Raises:
        ValueError: no eye found (a black photo), or a float image outside [0, 1].

    Example:
        >>> ben_graham(np.full((30, 40, 3), 0.4), radius=8).shape
        (16, 16, 3)
    """
    return ben_graham_steps(img, radius=radius, tol=tol, fraction=fraction)["masked"]


@contract(img=_IMAGE, mask=Array(ndim=2), radius=Number(low=0, low_open=True) | None, tol=_TOL)
def ben_graham_mask(img, mask, *, radius=None, tol=7):
    """Move a label ``mask`` drawn on ``img`` (e.g. a lesion mask) through :func:`ben_graham`'s geometry.

    The same crop, scale (nearest neighbour, so labels stay labels) and centring as the image gets, so the
    result lines up pixel for pixel with ``ben_graham(img, radius=radius, tol=tol)``; outside the eye it is 0.

    Args:
        img: an image, H×W×3 or H×W (see the module: uint8, uint16, bool, or float in [0, 1]).
        mask: an H×W label array of the same height and width.
        radius: as :func:`ben_graham`.
        tol: as :func:`ben_graham`.

    Returns:
        A ``2·radius`` square of ``mask``'s dtype.

    Raises:
        ValueError: ``mask`` and ``img`` differ in height and width.

    Example:
        >>> img = np.zeros((60, 80, 3), np.uint8); img[10:50, 20:60] = 150
        >>> mask = np.zeros((60, 80), np.uint8); mask[25:35, 35:45] = 1
        >>> ben_graham_mask(img, mask, radius=40).shape
        (80, 80)
    """
    img, _ = _check(img)
    mask = np.asarray(mask)
    if mask.shape != img.shape[:2]:
        raise ValueError(f"mask has shape {mask.shape} but img is {img.shape[:2]} (height, width)")
    box = _bright_box(img, tol)
    cropped, labels = img[box], mask[box]
    radius = min(cropped.shape[:2]) / 2 if radius is None else _positive(radius, "radius")
    s = radius / estimate_radius(cropped)
    shape = (max(1, round(labels.shape[0] * s)), max(1, round(labels.shape[1] * s)))
    scaled = resize(labels, shape, order=0, preserve_range=True, anti_aliasing=False).astype(mask.dtype)
    return pad_or_crop(scaled, side=max(1, int(round(2 * radius))), fill=0)
