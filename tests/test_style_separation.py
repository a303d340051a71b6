"""The offline loss that keeps the photo (layout term, normalised Grams, isotropic TV), the start images, the texture
statistic against its negative controls, and Adam's options."""
import numpy as np
import pytest

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.controls import phase_scramble, recolour
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.losses import StyleContentLoss, layout_loss, luminance_layout, total_variation_loss
from cnnkit.style.quality import GOALS, scores, texture_distance, texture_statistics


@pytest.fixture(scope="module")
def pyramid():
    return PyramidExtractor(filters=8, seed=0)


def test_luminance_layout_is_the_blurred_halved_brightness_with_its_mean_removed():
    x = np.random.default_rng(0).uniform(size=(1, 32, 48, 3)).astype("float32")
    lay = luminance_layout(x, level=2).numpy()
    assert lay.shape == (1, 8, 12, 1) and abs(lay.mean()) < 1e-6
    lum = x @ np.array([0.299, 0.587, 0.114], np.float32)
    assert np.allclose(luminance_layout(x, level=0).numpy()[0, ..., 0], lum[0] - lum.mean(), atol=1e-6)


def test_layout_loss_is_one_minus_the_correlation_and_ignores_contrast():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(1, 6, 6, 1)), rng.normal(size=(1, 6, 6, 1))
    a, b = a - a.mean(), b - b.mean()
    corr = np.corrcoef(a.ravel(), b.ravel())[0, 1]
    assert float(layout_loss(a.astype("float32"), b.astype("float32"))) == pytest.approx(1 - corr, abs=1e-5)
    assert float(layout_loss(5 * a.astype("float32"), a.astype("float32"))) == pytest.approx(0.0, abs=1e-6)


def test_isotropic_tv_of_a_flat_image_is_zero_and_it_counts_edge_length_alike_in_every_direction():
    assert float(total_variation_loss(np.full((8, 8, 3), 0.3, "float32"), isotropic=True)[0]) == pytest.approx(0, abs=1e-6)
    i, j = np.mgrid[0:64, 0:64]
    vertical = np.clip(0.5 + (j - 32) / 4, 0, 1).astype("float32")[..., None]
    diagonal = np.clip(0.5 + (i - j) / (4 * np.sqrt(2)), 0, 1).astype("float32")[..., None]

    def ratio(iso):
        d = float(total_variation_loss(diagonal, isotropic=iso)[0]) / (64 * np.sqrt(2))
        return d / (float(total_variation_loss(vertical, isotropic=iso)[0]) / 64)
    assert ratio(False) == pytest.approx(np.sqrt(2), rel=0.05) and ratio(True) == pytest.approx(1, abs=0.05)


@pytest.mark.parametrize("name", ["swirls", "stripes", "dots"])
def test_normalised_style_term_is_one_at_a_featureless_image_for_every_style(pyramid, name):
    # one β for all styles: at a mid-gray image every random filter's response (on x − 0.5) is 0, so G = 0 and
    # each level's relative error is exactly 1, whatever the style's own Gram magnitudes
    gray = np.full((1, 32, 32, 3), 0.5, "float32")
    loss = StyleContentLoss(pyramid, gray, make_style_image(name, size=64), content_weight=0.0, style_weight=1.0,
                            tv_weight=0.0)
    assert loss.normalize_style and loss.content_term == "layout"
    assert float(loss(gray)[2]) == pytest.approx(1.0, rel=1e-5)


def test_paper_options_for_an_extractor_without_loss_options(pyramid):
    class Plain:
        def __call__(self, x):
            return pyramid(x)
    photo = np.full((1, 32, 32, 3), 0.5, "float32")
    loss = StyleContentLoss(Plain(), photo, make_style_image("swirls", size=32), style_weight=1.0)
    assert (loss.normalize_style, loss.content_term, loss.isotropic) == (False, "features", False)
    assert loss.content_weight == 1e4 and loss.tv_weight == 30.0 * 256 ** 2     # the VGG19 defaults


def test_layer_weights_pick_levels(pyramid):
    photo = np.random.default_rng(0).uniform(size=(1, 32, 32, 3)).astype("float32")
    s = make_style_image("stripes", size=32)
    parts = [float(StyleContentLoss(pyramid, photo, s, content_weight=0, tv_weight=0,
                                    layer_weights=w)(photo)[2]) for w in
             ((1, 0, 0, 0, 0), (0, 1, 0, 0, 0), (1, 1, 0, 0, 0))]
    assert parts[2] == pytest.approx((parts[0] + parts[1]) / 2, rel=1e-5)
    with pytest.raises(ValueError, match="layer_weights must hold 5 weights"):
        StyleContentLoss(pyramid, photo, s, layer_weights=(1, 1))


def test_default_layer_weights_favour_the_fine_levels_and_yield_to_explicit_ones(pyramid):
    photo = np.random.default_rng(0).uniform(size=(1, 32, 32, 3)).astype("float32")
    s = make_style_image("stripes", size=32)
    assert pyramid.default_layer_weights == (4.0, 2.0, 1.0, 1.0, 1.0)
    assert PyramidExtractor(levels=1, filters=2).default_layer_weights == (4.0,)
    assert PyramidExtractor(levels=7, filters=2).default_layer_weights == (4.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    default = StyleContentLoss(pyramid, photo, s)
    assert default.layer_weights == pytest.approx([4 / 9, 2 / 9, 1 / 9, 1 / 9, 1 / 9])
    assert StyleContentLoss(pyramid, photo, s, layer_weights=(1, 1, 1, 1, 1)).layer_weights == pytest.approx([0.2] * 5)
    # the style term is the weighted mean of the levels' terms
    per_level = [float(StyleContentLoss(pyramid, photo, s, content_weight=0, tv_weight=0,
                                        layer_weights=np.eye(5)[i])(photo)[2]) for i in range(5)]
    assert float(StyleContentLoss(pyramid, photo, s, content_weight=0, tv_weight=0)(photo)[2]) == pytest.approx(
        np.dot(default.layer_weights, per_level), rel=1e-5)


@pytest.mark.parametrize("init", ["style", "mix"])
def test_style_and_mix_starts(pyramid, init):
    s = make_style_image("dots", size=40)
    r = style.stylize("chelsea", s, max_side=48, style_side=40, steps=1, extractor=pyramid, init=init,
                      progress=False, frame_every=1)
    start = r.frames[0][1].astype(float)
    content = style.fit_size(style.as_rgb_image("chelsea"), 48).astype(float)
    tiles = np.concatenate([s, s[::-1]], axis=0)[:content.shape[0], :40].astype(float)   # mirrored repeat
    if init == "style":
        np.testing.assert_allclose(start[:, :40], tiles, atol=1)
    else:
        np.testing.assert_allclose(start[:, :40], (tiles + content[:, :40]) / 2, atol=1)


def test_adam_takes_a_keras_optimizer_and_the_default_is_keras_adam(pyramid):
    import keras

    opt = keras.optimizers.Adam(0.02, beta_1=0.99, epsilon=0.1)       # the TF tutorial's
    r = style.stylize("chelsea", make_style_image("swirls", size=32), max_side=32, steps=3, extractor=pyramid,
                      optimizer=opt, progress=False)
    assert len(r.history["total"]) == 4 and int(opt.iterations) == 3
    r2 = style.stylize("chelsea", make_style_image("swirls", size=32), max_side=32, steps=3, extractor=pyramid,
                       optimizer="adam", progress=False)
    assert r2.history["total"][-1] < r2.history["total"][0]


def test_the_recolouring_control_fails_the_texture_goal_and_keeps_the_layout():
    content = style.fit_size(style.as_rgb_image("coffee"), 96)
    s = make_style_image("stripes", size=96)
    q = scores(recolour(content, s), content, s)
    assert q["texture"] == pytest.approx(1.0) and q["texture"] > GOALS["texture"]   # by construction: it fails
    assert q["layout"] >= GOALS["layout"]                                            # it keeps the photo


@pytest.mark.parametrize("name", ["stripes", "dots", "checks", "swirls"])
def test_texture_statistic_tells_a_phase_scrambled_style_from_another_instance_of_it(name):
    s = make_style_image(name, size=128, seed=0)
    other = np.roll(s, (17, 29), axis=(0, 1))                               # the same texture, shifted
    scrambled = phase_scramble(s, seed=0)                                   # its spectrum, no shapes
    assert texture_distance(scrambled, s) > 1.5 * texture_distance(other, s)


def test_texture_statistics_shapes_and_the_gaussian_sparseness():
    noise = (np.clip(np.random.default_rng(0).normal(0.5, 0.15, (128, 128)), 0, 1) * 255).astype(np.uint8)
    t = texture_statistics(noise)
    assert t["energy"].shape == (3, 3, 4) and t["orientations"].shape == (3, 6) and t["octaves"].shape == (2, 4)
    assert np.allclose(t["sparseness"][0], 0.52, atol=0.06)        # a Gaussian field's Rayleigh magnitudes
    with pytest.raises(ValueError, match="at least 16 px"):
        texture_statistics(noise[:8, :8])


def test_texture_gaps_are_the_parts_of_the_distance_and_name_what_changed():
    from cnnkit.style.texture import texture_gaps

    s = make_style_image("swirls", size=96, seed=0).astype(np.float64)
    half = np.clip(np.round(0.5 * (s - s.mean()) + s.mean()), 0, 255).astype(np.uint8)   # half the contrast
    gaps = texture_gaps(half, s.astype(np.uint8))
    # energy is a squared magnitude: a quarter of it, log 4 apart (halved) at most; the floor absorbs part of it
    assert 0.2 < gaps["energy"] < np.log(4) / 2 + 0.01
    # the other three are ratios or correlations of magnitudes: a contrast change leaves them (up to rounding)
    assert max(gaps["sparseness"], gaps["orientations"], gaps["octaves"]) < 0.03 < gaps["energy"] / 10
    rng = np.random.default_rng(1)
    noise = (rng.random((96, 96, 3)) * 255).astype(np.uint8)
    g = texture_gaps(noise, s.astype(np.uint8))
    assert texture_distance(noise, s.astype(np.uint8)) == pytest.approx(np.sqrt(np.mean([v ** 2 for v in g.values()])))
    assert set(g) == {"energy", "sparseness", "orientations", "octaves"} and min(g.values()) >= 0
