"""Stylisation statistics the optimiser never sees: colour, texture and layout (for benchmarks/style_quality.py).

* :func:`colour_distance`: sliced Wasserstein-1 distance between two images' pixel-colour distributions (RGB in
  [0, 1], 64 fixed directions) — do the result's colours come from the style?
* :func:`texture_distance`: distance between the energy statistics of a fixed Gabor bank (4 orientations ×
  4 wavelengths, on luminance) — log mean energy per filter, so the measure ignores where things are.
* :func:`layout_correlation`: correlation of the two images' blurred luminance (σ = 1/32 of the longer side) —
  is the photo's layout still there?

    >>> import numpy as np
    >>> a = np.zeros((32, 32, 3), np.uint8); b = np.full((32, 32, 3), 255, np.uint8)
    >>> round(colour_distance(a, b), 3), round(colour_distance(a, a), 3)
    (1.0, 0.0)
"""
import numpy as np
from cnnkit._checks import Image, Int, contract

_DIRECTIONS = None


def _unit(image, name):
    from cnnkit.images import as_rgb

    return np.asarray(as_rgb(image, name), np.float64) / 255.0


def _luminance(rgb):
    return rgb @ np.array([0.299, 0.587, 0.114])


@contract(a=Image(), b=Image(), quantiles=Int(low=1))
def colour_distance(a, b, *, quantiles=128):
    """Sliced Wasserstein-1 distance between the pixel colours of ``a`` and ``b``.

    Each image's pixels are projected on 64 fixed unit directions in RGB space (the seed is fixed) and
    the 1-D distributions are compared at ``quantiles`` quantiles; the mean absolute gap, scaled so black
    against white is 1. Sizes may differ.

    Args:
        a: an image (uint8, uint16, bool or float in [0, 1]; gray or RGB).
        b: another image, of any size.
        quantiles: how many quantiles are compared (≥ 1).

    Returns:
        The distance, a float: 0 for the same colours, 1 for black against white.

    Example:
        >>> a = np.zeros((32, 32, 3), np.uint8); b = np.full((32, 32, 3), 255, np.uint8)
        >>> round(colour_distance(a, b), 3), round(colour_distance(a, a), 3)
        (1.0, 0.0)
    """
    global _DIRECTIONS
    if _DIRECTIONS is None:
        d = np.random.default_rng(2017).normal(size=(64, 3))
        _DIRECTIONS = d / np.linalg.norm(d, axis=1, keepdims=True)
    pa, pb = _unit(a, "a").reshape(-1, 3) @ _DIRECTIONS.T, _unit(b, "b").reshape(-1, 3) @ _DIRECTIONS.T
    q = (np.arange(quantiles) + 0.5) / quantiles
    gap = np.abs(np.quantile(pa, q, axis=0) - np.quantile(pb, q, axis=0)).mean(axis=0)
    return float(gap.mean() / np.abs(_DIRECTIONS @ np.ones(3)).mean())  # black against white: 1


def _gabor_bank(wavelengths=(4, 8, 16, 32), orientations=4):
    bank = []
    for lam in wavelengths:
        sigma = 0.56 * lam
        r = int(np.ceil(2.5 * sigma))
        y, x = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float64)
        for k in range(orientations):
            t = np.pi * k / orientations
            u = x * np.cos(t) + y * np.sin(t)
            env = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
            even, odd = env * np.cos(2 * np.pi * u / lam), env * np.sin(2 * np.pi * u / lam)
            even -= env * even.sum() / env.sum()  # zero mean: flat areas give no energy
            norm = np.sqrt((even ** 2).sum() + (odd ** 2).sum())
            bank.append((even / norm, odd / norm))
    return bank


@contract(image=Image())
def texture_features(image):
    """The log mean energy of each filter of a fixed Gabor bank (16 numbers) on the image's luminance.

    Args:
        image: an image (uint8, uint16, bool or float in [0, 1]; gray or RGB).

    Returns:
        A float array of 16: 4 wavelengths (4, 8, 16, 32 px) × 4 orientations, wavelength-major.

    Example:
        >>> stripes = np.tile(np.repeat([0, 255], 4), (64, 8)).astype(np.uint8)      # vertical, period 8
        >>> f = texture_features(stripes)
        >>> f.shape, int(np.argmax(f))                       # the 8 px wavelength, first orientation
        ((16,), 4)
    """
    from scipy.signal import fftconvolve

    lum = _luminance(_unit(image, "image"))
    lum = lum - lum.mean()
    feats = []
    for even, odd in _gabor_bank():
        pad = even.shape[0] // 2
        x = np.pad(lum, pad, mode="reflect")
        e = fftconvolve(x, even, mode="valid") ** 2 + fftconvolve(x, odd, mode="valid") ** 2
        feats.append(np.log(e.mean() + 1e-6))
    return np.array(feats)


@contract(a=Image(), b=Image())
def texture_distance(a, b):
    """Root-mean-square gap between the :func:`texture_features` of ``a`` and ``b`` (0: the same statistics).

    Args:
        a: an image.
        b: another image, of any size.

    Returns:
        The distance, a float ≥ 0.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> noise = (rng.random((64, 64)) * 255).astype(np.uint8)
        >>> texture_distance(noise, noise), texture_distance(noise, np.fliplr(noise)) < 0.5
        (0.0, True)
    """
    return float(np.sqrt(np.mean((texture_features(a) - texture_features(b)) ** 2)))


@contract(a=Image(), b=Image())
def layout_correlation(a, b):
    """Pearson correlation of the blurred luminance of two images of the same size (σ = longer side / 32).

    Args:
        a: an image.
        b: an image of the same height and width.

    Returns:
        The correlation, a float in [-1, 1]: is ``a``'s layout (where light and dark are) still in ``b``?

    Raises:
        ValueError: the images differ in size, or one is flat (one luminance), so no correlation is defined.

    Example:
        >>> ramp = np.tile(np.linspace(0, 1, 32), (32, 1))
        >>> round(layout_correlation(ramp, ramp), 3), round(layout_correlation(ramp, ramp[:, ::-1]), 3)
        (1.0, -1.0)
    """
    from scipy.ndimage import gaussian_filter

    la, lb = _luminance(_unit(a, "a")), _luminance(_unit(b, "b"))
    if la.shape != lb.shape:
        raise ValueError(f"a {la.shape} and b {lb.shape} must have the same size")
    sigma = max(la.shape) / 32
    la, lb = gaussian_filter(la, sigma), gaussian_filter(lb, sigma)
    for blurred, name in ((la, "a"), (lb, "b")):
        if np.ptp(blurred) < 1e-12:
            raise ValueError(f"{name} is flat (one luminance after the blur): its layout correlation is undefined")
    return float(np.corrcoef(la.ravel(), lb.ravel())[0, 1])


@contract(result=Image(), content=Image(), style=Image())
def scores(result, content, style):
    """``{"colour", "texture", "layout"}`` of a stylised ``result``.

    Its colour and texture distances to the style as a fraction of the content's (goal ≤ 0.5), and its
    layout correlation with the content (goal ≥ 0.35).

    Args:
        result: the stylised image.
        content: the content photo, the result's size.
        style: the style image, any size.

    Returns:
        A dict of three floats.

    Raises:
        ValueError: content and style have the same colours or texture statistics (the ratios are undefined).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> content = np.tile(np.linspace(0, 1, 32), (32, 1))
        >>> style = rng.random((32, 32, 3))
        >>> s = scores(content, content, style)             # the photo itself: no style taken at all
        >>> s["colour"], s["texture"], s["layout"]
        (1.0, 1.0, 1.0)
    """
    colour, texture = colour_distance(content, style), texture_distance(content, style)
    if colour == 0 or texture == 0:
        raise ValueError("content and style have the same " + ("colours" if colour == 0 else "texture statistics")
                         + ": the result's distance as a fraction of theirs is undefined")
    return {"colour": colour_distance(result, style) / colour,
            "texture": texture_distance(result, style) / texture,
            "layout": layout_correlation(result, content)}
