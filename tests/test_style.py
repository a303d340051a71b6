import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.losses import StyleContentLoss, content_loss, gram_matrix, style_loss, total_variation_loss
from cnnkit.style.vgg import FeatureExtractor


@pytest.fixture(scope="module")
def extractor():
    return FeatureExtractor(weights=None, seed=0)


@settings(max_examples=20, deadline=None)
@given(b=st.integers(1, 2), h=st.integers(1, 6), w=st.integers(1, 6), c=st.integers(1, 5), seed=st.integers(0, 99))
def test_gram_matrix_matches_numpy(b, h, w, c, seed):
    f = np.random.default_rng(seed).normal(size=(b, h, w, c)).astype(np.float32)
    flat = f.reshape(b, h * w, c).astype(np.float64)
    expected = np.einsum("bmc,bmd->bcd", flat, flat) / (h * w)
    np.testing.assert_allclose(gram_matrix(f).numpy(), expected, rtol=1e-4, atol=1e-4)


def test_gram_of_one_image_gets_a_batch_axis():
    assert gram_matrix(np.ones((3, 3, 2), np.float32)).shape == (1, 2, 2)


def test_style_loss_is_the_papers_normalisation():
    rng = np.random.default_rng(1)
    f, g = rng.normal(size=(1, 5, 4, 3)), rng.normal(size=(1, 5, 4, 3))
    m, n = 20, 3
    F, G = f.reshape(m, n), g.reshape(m, n)
    paper = ((F.T @ F - G.T @ G) ** 2).sum() / (4 * n ** 2 * m ** 2)
    assert float(style_loss(f, gram_matrix(g))) == pytest.approx(paper, rel=1e-4)


def test_total_variation_matches_tensorflow():
    x = np.random.default_rng(2).uniform(size=(2, 7, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(total_variation_loss(x).numpy(), tf.image.total_variation(tf.constant(x)).numpy(), rtol=1e-5)


def test_losses_are_zero_for_identical_inputs():
    f = np.random.default_rng(3).normal(size=(1, 6, 6, 4)).astype(np.float32)
    assert float(content_loss(f, f)) == 0.0
    assert float(style_loss(f, gram_matrix(f))) == 0.0
    assert float(total_variation_loss(np.full((1, 4, 4, 3), 0.3, np.float32))[0]) == 0.0


def test_loss_of_the_content_image_has_no_content_term(extractor):
    c = np.asarray(make_style_image("mosaic", size=48), np.float32)[None] / 255
    s = np.asarray(make_style_image("swirls", size=48), np.float32)[None] / 255
    total, content, style_part, tv = StyleContentLoss(extractor, c, s)(c)
    assert float(content) == 0.0 and float(style_part) > 0 and float(tv) > 0
    _, _, zero_style, _ = StyleContentLoss(extractor, c, c)(c)
    assert float(zero_style) == pytest.approx(0.0, abs=1e-6)


def test_bad_loss_arguments(extractor):
    with pytest.raises(ValueError, match=r"features .* and target .* same shape"):
        content_loss(np.zeros((1, 2, 2, 3)), np.zeros((1, 3, 2, 3)))
    with pytest.raises(ValueError, match="target_gram"):
        style_loss(np.zeros((1, 2, 2, 3)), np.zeros((1, 4, 4)))
    with pytest.raises(ValueError, match="features must be"):
        gram_matrix(np.zeros((2, 3)))
    image = np.zeros((1, 32, 32, 3), np.float32)
    with pytest.raises(ValueError, match="content_weight must be in"):
        StyleContentLoss(extractor, image, image, content_weight=-1.0)
    with pytest.raises(TypeError, match="tv_weight must be a number"):
        StyleContentLoss(extractor, image, image, tv_weight="30")
    with pytest.raises(TypeError, match="positional argument"):
        StyleContentLoss(extractor, image, image, 1.0)


def test_extractor_applies_vgg19_preprocess_input(extractor):
    import keras

    x = np.random.default_rng(4).uniform(size=(1, 32, 32, 3)).astype(np.float32)
    first = extractor.model.get_layer("block1_conv1")
    by_hand = first(keras.applications.vgg19.preprocess_input(x * 255.0))
    ours, _ = extractor(x)
    np.testing.assert_allclose(ours[0].numpy(), np.asarray(by_hand), rtol=1e-4, atol=1e-3)


def test_extractor_layers_shapes_and_pooling():
    ex = FeatureExtractor(weights=None, style_layers=("block1_conv1", "block3_conv1"),
                          content_layers=("block2_conv2",), pooling="avg")
    s, c = ex(np.zeros((1, 64, 48, 3), np.float32))
    assert [tuple(f.shape) for f in s] == [(1, 64, 48, 64), (1, 16, 12, 256)]
    assert tuple(c[0].shape) == (1, 32, 24, 128)
    assert any("avgpool" in layer.name for layer in ex.model.layers)
    assert not any("block4" in layer.name for layer in ex.model.layers)  # stops at the deepest layer asked for
    with pytest.raises(ValueError, match="style_layers: unknown VGG19 layer"):
        FeatureExtractor(weights=None, style_layers=("block9_conv1",))
    with pytest.raises(TypeError, match="content_layers must be a sequence"):
        FeatureExtractor(weights=None, content_layers="block4_conv2")
    with pytest.raises(ValueError, match="pooling must be one of"):
        FeatureExtractor(weights=None, pooling="median")
    with pytest.raises(TypeError, match="seed must be an int, a numpy SeedSequence or a numpy Generator"):
        FeatureExtractor(weights=None, seed=0.5)


def test_gradients_are_finite(extractor):
    c = np.asarray(make_style_image("brush_strokes", size=40), np.float32)[None] / 255
    s = np.asarray(make_style_image("swirls", size=56), np.float32)[None] / 255
    loss = StyleContentLoss(extractor, c, s)
    x = tf.constant(np.random.default_rng(5).uniform(size=c.shape).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = loss(x)[0]
    grad = tape.gradient(total, x).numpy()
    assert np.isfinite(grad).all() and np.abs(grad).max() > 0


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_style_loss_falls_tenfold_in_50_steps(extractor, optimizer):
    result = style.stylize("chelsea", make_style_image("swirls", size=96), max_side=64, style_side=64, steps=50,
                           content_weight=0.0,
                           tv_weight=0.0, init="noise", optimizer=optimizer, extractor=extractor, progress=False,
                           learning_rate=0.05)
    h = result.history
    assert len(h["style"]) <= 51 and len(h["time"]) == len(h["style"])
    assert h["style"][-1] <= h["style"][0] / 10
    assert result.image.dtype == np.uint8 and result.image.shape == (43, 64, 3)
    assert np.all(np.diff(h["time"]) >= 0)


def test_transfer_keeps_frames_and_preserves_colour(extractor):
    r = style.stylize("coffee", make_style_image("mosaic", size=64), max_side=48, steps=4, extractor=extractor,
                      frame_every=2, preserve_color=True, progress=True)
    assert [n for n, _ in r.frames] == [0, 2, 4]
    content = style.fit_size(style.as_rgb_image("coffee"), 48)
    yiq = lambda a: tf.image.rgb_to_yiq(a.astype(np.float32) / 255).numpy()  # noqa: E731
    inside = (content > 10).all(-1) & (content < 245).all(-1)  # away from clipping
    chroma_gap = np.abs(yiq(r.image)[..., 1:] - yiq(content)[..., 1:])[inside]
    assert np.median(chroma_gap) < 0.02


@pytest.mark.slow
def test_offline_imagenet_falls_back_with_one_line(monkeypatch, capsys):
    from cnnkit import _net
    from cnnkit.style.vgg import clear_trunk_cache

    def offline(*args, **kwargs):  # what a download meets with no network and no cached file
        raise ConnectionError("no network connection to storage.googleapis.com")

    monkeypatch.setattr(_net, "fetch", offline)
    clear_trunk_cache()
    r = style.stylize("camera", make_style_image("swirls", size=32), max_side=32, steps=2, weights="imagenet",
                      extractor="vgg19", progress=False)
    out = capsys.readouterr().out
    assert r.source == "random"
    assert "VGG19 (seeded random weights)" in out and "ImageNet weights unavailable" in out
    assert len(out.strip().splitlines()) == 1


@pytest.fixture
def fresh_trunks():
    """An empty trunk cache during the test, and none of the test's stand-ins left in it afterwards."""
    from cnnkit.style.vgg import clear_trunk_cache

    clear_trunk_cache()
    yield
    clear_trunk_cache()


def test_an_offline_fallback_is_not_kept_once_the_network_is_back(monkeypatch, capsys, fresh_trunks):
    # issue 10, defect 7: the first (offline) call's random trunk was cached as "imagenet" for the session
    import keras

    from cnnkit import pretrained
    from cnnkit.style.vgg import vgg19_trunk

    def stand_in():
        return keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(2, 3, name="block1_conv1")])

    def offline(app_name, weights, quiet=False, **kwargs):
        if not quiet:
            print(f"ImageNet weights for {app_name} unavailable (no network); using seeded random weights instead.")
        return stand_in(), "random"

    monkeypatch.setattr(pretrained, "load_application", offline)
    assert vgg19_trunk("imagenet", seed=3)[1] == "random"
    assert "unavailable" in capsys.readouterr().out
    assert vgg19_trunk("imagenet", seed=3)[1] == "random"  # asked again: tried again, and says so again
    assert "unavailable" in capsys.readouterr().out
    assert vgg19_trunk("imagenet", seed=3, quiet=True)[1] == "random"
    assert capsys.readouterr().out == ""

    online = stand_in()
    monkeypatch.setattr(pretrained, "load_application", lambda *a, **k: (online, "imagenet"))
    model, source = vgg19_trunk("imagenet", seed=3)
    assert source == "imagenet" and model is online
    monkeypatch.setattr(pretrained, "load_application", offline)
    assert vgg19_trunk("imagenet", seed=0)[0] is online  # ImageNet weights, once obtained, are kept (any seed)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras' own save_weights under NumPy 2
def test_weights_file_is_accepted(tmp_path, extractor):
    path = tmp_path / "vgg19.weights.h5"
    from cnnkit.style.vgg import vgg19_trunk

    trunk, _ = vgg19_trunk(None, seed=0)
    trunk.save_weights(path)
    ex = FeatureExtractor(weights=str(path))
    assert ex.source == "file"
    x = np.random.default_rng(6).uniform(size=(1, 32, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(ex(x)[0][0].numpy(), extractor(x)[0][0].numpy(), rtol=1e-5)
    with pytest.raises(FileNotFoundError, match="weights: no such file"):
        FeatureExtractor(weights=str(tmp_path / "missing.h5"))
    with pytest.raises(TypeError, match="weights must be 'imagenet', None or a weights-file path"):
        FeatureExtractor(weights=19)


def test_image_inputs_are_normalised():
    rgb = style.as_rgb_image(np.zeros((10, 12), np.uint8))
    assert rgb.shape == (10, 12, 3)
    assert style.as_rgb_image(np.ones((5, 5, 1), np.float32)).max() == 255
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 3] = 0  # fully transparent → white
    assert (style.as_rgb_image(rgba) == 255).all()
    huge = np.zeros((3000, 1500, 3), np.uint8)
    assert style.fit_size(huge, 128).shape == (128, 64, 3)
    with pytest.raises(TypeError, match="max_side must be an integer"):
        style.fit_size(huge, 128.0)
    with pytest.raises(ValueError, match="image must be uint8"):
        style.fit_size(huge.astype(np.float32), 128)


def test_content_and_style_of_different_sizes_and_kinds(extractor):
    gray_content = np.random.default_rng(7).uniform(size=(90, 60))
    rgba_style = np.concatenate([make_style_image("mosaic", size=(40, 120)), np.full((40, 120, 1), 255, np.uint8)], -1)
    r = style.stylize(gray_content, rgba_style, max_side=48, steps=2, extractor=extractor, progress=False)
    assert r.image.shape == (48, 32, 3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"optimizer": "sgd"}, ValueError, "optimizer must be one of"), ({"init": "zeros"}, ValueError, "init must be"),
    ({"steps": 0}, ValueError, "steps must be ≥ 1"), ({"steps": 2.0}, TypeError, "steps must be an integer"),
    ({"max_side": 8}, ValueError, "max_side must be ≥ 32"), ({"max_side": 10**5}, ValueError, "max_side must be ≤"),
    ({"max_side": "big"}, TypeError, "max_side must be an integer"),
    ({"style_weight": -1.0}, ValueError, "style_weight must be in"),
    ({"content_weight": float("nan")}, ValueError, "content_weight must be finite"),
    ({"learning_rate": 0}, ValueError, "learning_rate must be in"),
    ({"frame_every": -1}, ValueError, "frame_every must be ≥ 0"), ({"seed": -1}, ValueError, "seed must be ≥ 0"),
    ({"stop_loss": "low"}, TypeError, "stop_loss must be a number"),
    ({"init": np.zeros((5, 5, 3))}, ValueError, "init array must have"),
    ({"init": np.full((32, 32, 3), 2.0)}, ValueError, "init is a float image, so its values must lie in"),
    ({"init": [["x"]]}, TypeError, "init must be 'content', 'noise', 'style', 'mix' or an H×W×3 image"),
])
def test_bad_arguments_raise(extractor, kwargs, error, match):
    args = dict(max_side=32, steps=1, extractor=extractor, progress=False)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        style.stylize("camera", make_style_image("swirls", size=32), **args)


def test_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        style.stylize("camera", "camera", 32)


@pytest.mark.parametrize("content, error, match", [
    (np.zeros((4, 4, 2)), ValueError, "content must be"), (np.zeros((0, 5, 3)), ValueError, "content .*empty"),
    (np.full((8, 8, 3), np.nan), ValueError, "content .*NaN"),
    ("no_such_picture", ValueError, "content: unknown image name"),
    (["a", "b"], TypeError, "content must be a sample name, an image file path or an image array"),
])
def test_bad_images_raise(extractor, content, error, match):
    with pytest.raises(error, match=match):
        style.stylize(content, make_style_image("swirls", size=32), max_side=32, steps=1, extractor=extractor,
                      progress=False)


def test_non_finite_loss_stops_with_a_clear_error(extractor):
    with pytest.raises(style.NonFiniteLossError, match="non-finite"):
        style.stylize("camera", make_style_image("swirls", size=32), max_side=32, steps=3, style_weight=1e38,
                      extractor=extractor, progress=False, optimizer="adam")


def test_init_from_an_array(extractor):
    start = np.full((32, 32, 3), 0.5, np.float32)
    r = style.stylize("camera", make_style_image("swirls", size=32), max_side=32, steps=1, init=start,
                      extractor=extractor, frame_every=1, progress=False)
    assert (r.frames[0][1] == 128).all()
