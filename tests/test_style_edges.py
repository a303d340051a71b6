"""The edge term (the photo's outlines in the content term) and the edge statistic the goals judge, each checked by
hand and against images that must fail it: a result that lost the photo's outlines, a phase-scrambled style."""
import numpy as np
import pytest

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.controls import phase_scramble, recolour
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.losses import PAPER_LOSS, StyleContentLoss, layout_loss, luminance_edges
from cnnkit.style.quality import GOALS, edge_correlation, layout_correlation, meets_goals, missed_goals, scores

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


@pytest.fixture(scope="module")
def photo():
    return style.fit_size(style.as_rgb_image("camera"), 96)


def test_luminance_edges_at_level_0_is_the_gradient_magnitude_by_hand():
    x = np.random.default_rng(0).uniform(size=(1, 12, 16, 3)).astype("float32")
    lum = x[0] @ LUMA
    dy, dx = lum[1:, :-1] - lum[:-1, :-1], lum[:-1, 1:] - lum[:-1, :-1]
    g = np.sqrt(dy ** 2 + dx ** 2 + 1e-6)
    assert np.allclose(luminance_edges(x, level=0).numpy()[0, :, :, 0], g - g.mean(), atol=1e-5)
    assert luminance_edges(x, level=1).shape == (1, 5, 7, 1)          # halved once, then one row/column fewer


def test_blurred_edges_are_the_magnitudes_gaussian_filtered_by_hand_inside_and_any_size_works():
    from scipy.ndimage import convolve1d

    x = np.random.default_rng(2).uniform(size=(1, 40, 48, 3)).astype("float32")
    sharp = luminance_edges(x, level=0).numpy()[0, :, :, 0]
    blurred = luminance_edges(x, level=0, blur=2.0).numpy()[0, :, :, 0]
    k = np.exp(-np.arange(-6, 7) ** 2 / 8.0)
    k /= k.sum()
    ones = np.ones_like(sharp)                                         # a normalised convolution: zeros outside
    by_hand = convolve1d(convolve1d(sharp, k, 0, mode="constant"), k, 1, mode="constant") / convolve1d(
        convolve1d(ones, k, 0, mode="constant"), k, 1, mode="constant")
    assert np.allclose(blurred, by_hand - by_hand.mean(), atol=1e-5)
    assert np.allclose(luminance_edges(x, level=1, blur=0).numpy(), luminance_edges(x, level=1).numpy())
    tiny = luminance_edges(x[:, :6, :5], level=1, blur=4.0)            # a 2×2 map, a 25-tap kernel: still defined
    assert tiny.shape == (1, 2, 2, 1) and np.isfinite(tiny.numpy()).all()
    for bad in (-1, 65):                                               # no negative σ, none wider than 64 px
        with pytest.raises(ValueError, match="blur"):
            luminance_edges(x, blur=bad)


@pytest.mark.parametrize("period", [6, 12])
def test_blurred_edges_let_a_fine_texture_cover_the_photo(period):
    # a bright square on a flat ground, and the same with fine stripes laid over all of it (as a style's pattern
    # fills a result): unblurred, every stripe is an outline the photo lacks; blurred, the stripes add a nearly even
    # edge density, which the correlation ignores, so the square's outline counts again (what edge_blur is for)
    img = np.zeros((1, 64, 64, 3), "float32")
    img[:, 20:44, 20:44] = 0.6
    textured = img + ((np.arange(64) % period < period // 2) * np.float32(0.3))[None, None, :, None]
    losses = {b: float(layout_loss(luminance_edges(textured, blur=b), luminance_edges(img, blur=b))) for b in (0, 2)}
    assert losses[0] > 0.25 and losses[2] < 0.5 * losses[0]


def test_edges_ignore_which_side_is_bright_and_the_contrast():
    # the edge map of an image and of its negative, or of a fainter copy, are the same up to contrast
    x = np.random.default_rng(1).uniform(size=(1, 32, 32, 3)).astype("float32")
    e = luminance_edges(x)
    assert float(layout_loss(luminance_edges(1 - x), e)) == pytest.approx(0, abs=1e-3)
    assert float(layout_loss(luminance_edges(0.3 * x + 0.2), e)) == pytest.approx(0, abs=1e-2)


def test_the_edge_term_is_zero_at_the_photo_and_grows_when_its_outlines_are_gone(photo):
    ex = PyramidExtractor(filters=4, seed=0)
    p = photo[None] / np.float32(255)
    s = make_style_image("stripes", size=64)
    with_edges = StyleContentLoss(ex, p, s, content_weight=1, style_weight=0, tv_weight=0, edge_weight=1)
    without = StyleContentLoss(ex, p, s, content_weight=1, style_weight=0, tv_weight=0, edge_weight=0)
    assert float(with_edges(p)[1]) == pytest.approx(0, abs=1e-5)
    from scipy.ndimage import gaussian_filter

    blurred = gaussian_filter(p, (0, 8, 8, 0))                       # the layout kept, the outlines soft
    gap = float(with_edges(blurred)[1]) - float(without(blurred)[1])
    level, sigma = with_edges.edge_level, with_edges.edge_blur
    edges_only = float(layout_loss(luminance_edges(blurred, level=level, blur=sigma),
                                   luminance_edges(p, level=level, blur=sigma)))
    assert gap == pytest.approx(edges_only, rel=1e-4) and edges_only > 0.1


def test_edge_weight_comes_from_the_extractor_and_the_paper_has_none():
    assert PAPER_LOSS["edge_weight"] == 0
    ex = PyramidExtractor(filters=4, seed=0)
    img = np.full((1, 32, 32, 3), 0.5, "float32")
    img[:, :, 16:] = 0.8
    loss = StyleContentLoss(ex, img, make_style_image("dots", size=32))
    assert loss.edge_weight == ex.loss_options["edge_weight"] > 0 and ex.loss_options["edge_level"] == "auto"
    with pytest.raises(ValueError, match="edge_weight"):
        StyleContentLoss(ex, img, img, edge_weight=-1)
    with pytest.raises(TypeError, match="edge_level"):
        StyleContentLoss(ex, img, img, edge_level=1.5)
    assert PAPER_LOSS["edge_blur"] == 0 and loss.edge_blur == ex.loss_options["edge_blur"] > 0
    assert StyleContentLoss(ex, img, img, edge_blur=0).edge_blur == 0                 # an explicit blur wins
    with pytest.raises(ValueError, match="edge_blur"):
        StyleContentLoss(ex, img, img, edge_blur=-0.5)
    with pytest.raises(TypeError, match="edge_blur"):
        StyleContentLoss(ex, img, img, edge_blur="wide")


@pytest.mark.parametrize("shape, level", [((64, 96), 1), ((128, 128), 1), ((171, 256), 1), ((341, 512), 2),
                                          ((512, 1024), 3)])
def test_the_auto_edge_level_compares_outlines_near_128_px_whatever_the_size(shape, level):
    # the edge statistic's blur is a fraction of the side, so the term's level follows the size (EDGE_SIDE = 128),
    # never at full resolution (level 0: single-pixel grain)
    from cnnkit.style.content import EDGE_SIDE

    ex = PyramidExtractor(levels=2, filters=2, seed=0)
    img = np.full((1, *shape, 3), 0.5, "float32")
    img[:, :, shape[1] // 2:] = 0.8
    assert StyleContentLoss(ex, img, img[:, :32, :32]).edge_level == level
    nearest = min(range(9), key=lambda k: abs(max(shape) / 2 ** k - EDGE_SIDE))
    assert level == max(1, nearest)
    assert StyleContentLoss(ex, img, img[:, :32, :32], edge_level=0).edge_level == 0       # an explicit level wins


def test_edge_correlation_by_hand_and_against_images_without_the_photo(photo):
    from scipy.ndimage import gaussian_filter, sobel

    def by_hand(img):
        lum = gaussian_filter(img.astype(np.float64) / 255 @ LUMA.astype(np.float64), 96 / 128)
        return gaussian_filter(np.hypot(sobel(lum, 0), sobel(lum, 1)), 96 / 64).ravel()
    other = style.fit_size(style.as_rgb_image("coffee"), 144)[:96, :96]
    assert edge_correlation(photo, other) == pytest.approx(np.corrcoef(by_hand(photo), by_hand(other))[0, 1],
                                                           abs=1e-9)
    s = make_style_image("stripes", size=96)
    assert edge_correlation(recolour(photo, s), photo) > 0.5                  # every outline kept
    assert abs(edge_correlation(phase_scramble(s, seed=0)[:photo.shape[0], :photo.shape[1]], photo)) < 0.2
    assert abs(edge_correlation(s[:photo.shape[0], :photo.shape[1]], photo)) < 0.2   # the style alone: no photo
    with pytest.raises(ValueError, match="same size"):
        edge_correlation(photo, photo[:-1])
    with pytest.raises(ValueError, match="no outline"):
        edge_correlation(np.zeros((32, 32), np.uint8), photo[:32, :32])


def test_a_bright_blob_passes_the_layout_and_fails_the_edges():
    # the failure the edge statistic was added for: stripes over a blurred copy of the photo's brightness
    photo = style.fit_size(style.as_rgb_image("camera"), 128).astype(np.float64)
    from scipy.ndimage import gaussian_filter

    blob = gaussian_filter(photo, (8, 8, 0))                           # the photo's brightness, no outline
    stripes = make_style_image("stripes", size=128)[:photo.shape[0], :photo.shape[1]].astype(np.float64)
    painted = np.clip(0.6 * stripes + 0.4 * blob, 0, 255).astype(np.uint8)
    assert layout_correlation(painted, photo.astype(np.uint8)) >= GOALS["layout"]
    assert edge_correlation(painted, photo.astype(np.uint8)) < GOALS["edges"]


def test_scores_and_meets_goals_judge_all_four(photo):
    s = make_style_image("stripes", size=96)
    q = scores(recolour(photo, s), photo, s)
    assert set(q) == set(GOALS) and q["texture"] == pytest.approx(1.0)
    assert not meets_goals(q)                                         # the recolouring keeps the photo's texture
    good = {"colour": 0.5, "texture": 0.5, "layout": 0.5, "edges": 0.5}
    assert meets_goals(good)
    assert missed_goals(good) == []
    for key, bad in (("colour", 0.51), ("texture", 0.51), ("layout", 0.49), ("edges", 0.49)):
        assert not meets_goals({**good, key: bad}), key
        assert missed_goals({**good, key: bad}) == [key]
    with pytest.raises(TypeError, match="result_scores"):
        meets_goals([0.1, 0.1, 0.9, 0.9])
    with pytest.raises(ValueError, match=r"result_scores .*missing \[.edges.\]"):
        meets_goals({"colour": 0.1, "texture": 0.1, "layout": 0.9})
