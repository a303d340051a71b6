"""Stylisation statistics the optimiser never sees: colour, texture and layout, and the controls that must fail them.

* :func:`colour_distance`: sliced Wasserstein-1 distance between two images' pixel-colour distributions (RGB in
  [0, 1], 64 fixed directions) — do the result's colours come from the style?
* :func:`texture_distance`: distance between :func:`texture_statistics` — statistics of a fixed bank of complex
  Gabor filters (4 orientations × 3 octaves, wavelengths 4, 8, 16 px) on luminance and two opponent colour
  channels, in the spirit of Portilla & Simoncelli (2000): the energy per band, how sparse each band's magnitudes
  are, and how the magnitudes of neighbouring orientations and octaves go together (edges and bars line up across
  them; a noise with the same spectrum does not). Nothing here is a random filter or a Gram matrix of the
  optimised extractor.
* :func:`layout_correlation`: correlation of the two images' blurred luminance (σ = 1/32 of the longer side) —
  is the photo's layout still there?
* :func:`edge_correlation`: correlation of where the two images' brightness changes (Sobel gradient magnitudes at
  full resolution) — are the photo's outlines, its objects, still there? A blurred-luminance layout survives as a
  bright blob in bold stripes; outlines do not.
* :func:`scores` states texture relative to a recolouring of the photo, the negative control of
  :mod:`cnnkit.style.controls` that a stylised result must beat.

    >>> import numpy as np
    >>> a = np.zeros((32, 32, 3), np.uint8); b = np.full((32, 32, 3), 255, np.uint8)
    >>> round(colour_distance(a, b), 3), round(colour_distance(a, a), 3)
    (1.0, 0.0)
"""
import numpy as np

from cnnkit._checks import Image, Int, Mapping, Number, Str, contract
from cnnkit.style.texture import _unit, texture_distance, texture_statistics  # noqa: F401  (published here too)

#: the goals of a stylised result (benchmarks/style_quality.py): colour and texture distances to the style at most
#: half the photo's and the recolouring's, layout and edge correlations with the photo of at least 0.5
GOALS = {"colour": 0.5, "texture": 0.5, "layout": 0.5, "edges": 0.5}
#: (photo, style, pattern seed) pairs the package's default weights are chosen on (benchmarks/style_quality.py):
#: notebook 07's photos and other instances (seed 1) of the single-scale patterns
TUNING_PAIRS = (("chelsea", "swirls", 0), ("coffee", "brush_strokes", 0), ("astronaut", "mosaic", 0),
                ("chelsea", "stripes", 1), ("coffee", "dots", 1), ("astronaut", "checks", 1))
#: the pairs the defaults are reported on, none seen while choosing them or before: photos notebook 07's tuning
#: does not use, other instances (seeds 2 and 3) of every procedural style, scikit-image's real textures (brick,
#: gravel, grass) in new combinations; fixed before the edge term's tuning grid ran
HELD_OUT_PAIRS = (("camera", "stripes", 2), ("flower", "checks", 2), ("grace_hopper", "dots", 2),
                  ("motorcycle", "swirls", 2), ("rocket", "brush_strokes", 2), ("china", "mosaic", 2),
                  ("rocket", "grass", 0), ("flower", "brick", 0), ("china", "gravel", 0),
                  ("grace_hopper", "stripes", 3))
#: the first held-out set: the previous default (no edge term) was reported on it, after one look had widened its
#: grid, so it is not clean; kept to compare the defaults on it (rocket × stripes is issue 18's failing pair)
FIRST_HELD_OUT_PAIRS = (("rocket", "stripes", 0), ("rocket", "dots", 0), ("motorcycle", "checks", 0),
                        ("china", "brick", 0), ("flower", "gravel", 0), ("grace_hopper", "grass", 0),
                        ("camera", "swirls", 0), ("motorcycle", "gravel", 0), ("china", "stripes", 0),
                        ("grace_hopper", "brick", 0))
#: the third held-out set, fixed on 2026-12-05 before anything was run on it (the fresh set above had been looked at
#: twice by then): new instances (seeds 4, 5) of every procedural style and two gray textures, on photos the tuning
#: does not use
THIRD_HELD_OUT_PAIRS = (("camera", "dots", 4), ("china", "checks", 4), ("flower", "swirls", 4),
                        ("grace_hopper", "mosaic", 4), ("motorcycle", "stripes", 4), ("camera", "brush_strokes", 4),
                        ("flower", "stripes", 5), ("rocket", "checks", 5), ("camera", "grass", 0),
                        ("motorcycle", "brick", 0))

_DIRECTIONS = None


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


@contract(a=Image(), b=Image())
def edge_correlation(a, b):
    """Pearson correlation of where two images of the same size change brightness: their outlines.

    The luminance is blurred (σ = longer side / 128), its Sobel gradient magnitude taken, and that map blurred
    again (σ = longer side / 64) so that an outline moved by a pixel or two still counts.

    Args:
        a: an image.
        b: an image of the same height and width.

    Returns:
        The correlation, a float in [-1, 1]: 1 when the outlines are in the same places (whatever their colours or
        contrast), about 0 for an image that shares no outline with the other.

    Raises:
        ValueError: the images differ in size, or one has no outline at all (flat).

    Example:
        >>> square = np.zeros((64, 64)); square[16:48, 16:48] = 1
        >>> round(edge_correlation(square, 1 - square), 3), edge_correlation(square, square.T[::-1]) > 0.9
        (1.0, True)
    """
    from scipy.ndimage import gaussian_filter, sobel

    maps = []
    for image, name in ((a, "a"), (b, "b")):
        lum = _luminance(_unit(image, name))
        side = max(lum.shape)
        lum = gaussian_filter(lum, side / 128)
        m = gaussian_filter(np.hypot(sobel(lum, 0), sobel(lum, 1)), side / 64)
        if np.ptp(m) < 1e-12:
            raise ValueError(f"{name} has no outline (flat after the blur): its edge correlation is undefined")
        maps.append(m)
    if maps[0].shape != maps[1].shape:
        raise ValueError(f"a {maps[0].shape} and b {maps[1].shape} must have the same size")
    return float(np.corrcoef(maps[0].ravel(), maps[1].ravel())[0, 1])


@contract(result=Image(), content=Image(), style=Image())
def scores(result, content, style):
    r"""``{"colour", "texture", "layout", "edges"}`` of a stylised ``result``: each against its goal in :data:`GOALS`.

    ``colour``: its colour distance to the style as a fraction of the photo's (goal ≤ 0.5); ``texture``: its
    texture distance to the style as a fraction of the recoloured photo's (:mod:`cnnkit.style.controls`;
    goal ≤ 0.5: a recolouring scores 1); ``layout``: its layout correlation with the photo (goal ≥ 0.5);
    ``edges``: its edge correlation with the photo (goal ≥ 0.5). :func:`meets_goals` says whether all four hold.

    Args:
        result: the stylised image.
        content: the content photo, the result's size.
        style: the style image, any size.

    Returns:
        A dict of four floats.

    Raises:
        ValueError: content and style have the same colours, or the recolouring has the style's texture
            statistics exactly (the ratios are undefined).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> content = (np.tile(np.linspace(0, 1, 32), (32, 1)) * 255).astype(np.uint8)
        >>> style = (rng.random((32, 32, 3)) * 255).astype(np.uint8)
        >>> from cnnkit.style.controls import recolour
        >>> s = scores(recolour(content, style), content, style)     # the control scores 1 on texture
        >>> s["texture"], s["layout"] > 0.9
        (1.0, True)
    """
    from cnnkit.style.controls import recolour

    colour, texture = colour_distance(content, style), texture_distance(recolour(content, style), style)
    if colour == 0 or texture == 0:
        raise ValueError("content and style have the same " + ("colours" if colour == 0 else "texture statistics")
                         + ": the result's distance as a fraction of theirs is undefined")
    return {"colour": colour_distance(result, style) / colour,
            "texture": texture_distance(result, style) / texture,
            "layout": layout_correlation(result, content), "edges": edge_correlation(result, content)}


#: the goals that are distances (met at or below their value); the others are correlations (met at or above)
_AT_MOST = ("colour", "texture")


@contract(result_scores=Mapping(Str(), Number()))
def missed_goals(result_scores):
    """The goals of :data:`GOALS` that a :func:`scores` dict misses (distances above, correlations below their goal).

    Args:
        result_scores: a dict with (at least) the keys of :data:`GOALS`, numbers as values.

    Returns:
        A list of goal names, in the order of :data:`GOALS`; empty when every goal is met.

    Raises:
        ValueError: a key of :data:`GOALS` is missing.

    Example:
        >>> missed_goals({"colour": 0.3, "texture": 0.7, "layout": 0.9, "edges": 0.2})
        ['texture', 'edges']
    """
    missing = sorted(set(GOALS) - set(result_scores))
    if missing:
        raise ValueError(f"result_scores must hold the keys {sorted(GOALS)}; missing {missing}")
    return [k for k, goal in GOALS.items()
            if (result_scores[k] > goal if k in _AT_MOST else result_scores[k] < goal)]


@contract(result_scores=Mapping(Str(), Number()))
def meets_goals(result_scores):
    """Whether a :func:`scores` dict meets every goal of :data:`GOALS` (:func:`missed_goals` is empty).

    Args:
        result_scores: a dict with (at least) the keys of :data:`GOALS`, numbers as values.

    Returns:
        True or False.

    Raises:
        ValueError: a key of :data:`GOALS` is missing.

    Example:
        >>> meets_goals({"colour": 0.3, "texture": 0.4, "layout": 0.9, "edges": 0.6})
        True
        >>> meets_goals({"colour": 0.3, "texture": 0.4, "layout": 0.9, "edges": 0.2})     # the outlines are gone
        False
    """
    return not missed_goals(result_scores)
