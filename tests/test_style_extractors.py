"""Issue 12: the offline extractor that carries style, the choice of extractor, the size-invariant balance,
the ImageNet path through Keras' cache, and the style loss falling at the package's defaults."""
import numpy as np
import pytest

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.extractors import PyramidExtractor, describe_extractor, make_extractor
from cnnkit.style.losses import StyleContentLoss
from cnnkit.style.vgg import FeatureExtractor, clear_trunk_cache, vgg19_trunk
from cnnkit.style.quality import colour_distance, layout_correlation, scores, texture_distance


@pytest.fixture
def offline(monkeypatch):
    """Downloads meet no network, as on a machine with none and nothing cached."""
    from cnnkit import _net

    def no_network(*args, **kwargs):
        raise ConnectionError("no network connection to storage.googleapis.com")

    monkeypatch.setattr(_net, "fetch", no_network)
    clear_trunk_cache()
    yield
    clear_trunk_cache()


def test_pyramid_levels_halve_and_filters_are_seeded():
    ex = PyramidExtractor(levels=4, sizes=(3, 5), filters=6, seed=2)
    s, c = ex(np.random.default_rng(0).uniform(size=(1, 40, 24, 3)).astype(np.float32))
    assert [tuple(f.shape) for f in s] == [(1, 40, 24, 12), (1, 20, 12, 12), (1, 10, 6, 12), (1, 5, 3, 12)]
    assert tuple(c[0].shape) == (1, 5, 3, 12) and ex.content_layers == ("level3",)   # the coarsest level ≤ 3
    again = PyramidExtractor(levels=4, sizes=(3, 5), filters=6, seed=2)
    other = PyramidExtractor(levels=4, sizes=(3, 5), filters=6, seed=3)
    np.testing.assert_array_equal(ex.kernels[1].numpy(), again.kernels[1].numpy())
    assert not np.array_equal(ex.kernels[1].numpy(), other.kernels[1].numpy())
    assert min(float(tf.reduce_min(f)) for f in s) >= 0.0  # rectified


@pytest.mark.parametrize("kwargs, error, match", [
    ({"levels": 0}, ValueError, "levels must be ≥ 1"), ({"sizes": (3, 4)}, ValueError, "sizes must be odd"),
    ({"filters": 1.5}, TypeError, "filters must be an integer"),
    ({"content_level": 5}, ValueError, "content_level must be ≤ 4"),
])
def test_pyramid_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        PyramidExtractor(**kwargs)


def test_auto_offline_chooses_the_pyramid_and_says_why_in_one_line(offline, capsys):
    ex = make_extractor("auto", weights="imagenet", filters=4)
    out = capsys.readouterr().out.strip().splitlines()
    assert isinstance(ex, PyramidExtractor) and ex.source == "pyramid"
    assert len(out) == 1
    assert out[0].startswith("extractor: random multi-scale filters") and "unavailable" in out[0]


def test_transfer_offline_runs_the_pyramid_and_prints_one_line(offline, capsys):
    r = style.stylize("camera", make_style_image("swirls", size=32), max_side=32, steps=2, progress=False)
    out = capsys.readouterr().out.strip().splitlines()
    assert r.source == "pyramid" and len(out) == 1 and "random multi-scale filters" in out[0]


def test_random_vgg19_stays_available_and_says_so(offline, capsys):
    ex = make_extractor("vgg19", weights="imagenet", style_layers=("block1_conv1",), content_layers=("block2_conv1",))
    out = capsys.readouterr().out.strip().splitlines()
    assert ex.source == "random" and len(out) == 1 and "seeded random weights" in out[0]
    assert describe_extractor(ex) == "VGG19 (seeded random weights)"
    with pytest.raises(ValueError, match="kind='auto' needs weights"):
        make_extractor("auto", weights=None)
    with pytest.raises(ValueError, match="kind must be one of"):
        make_extractor("resnet")


def _write_keras_vgg19_notop(path):
    """A VGG19 weights file in Keras' own (legacy HDF5, by layer name) format, seeded random weights."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    trunk, _ = vgg19_trunk(None, seed=5)
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, trunk)
    return trunk


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_imagenet_path_loads_keras_cache_file_without_the_network(tmp_path, monkeypatch, capsys):
    # the ImageNet code path, end to end, with a file the test writes under Keras' own cache name: the hash
    # checks (cnnkit's and Keras') are the one thing stood in for (the published hash belongs to the real
    # file), and any network access fails the test
    import urllib.request

    from keras.src.backend import config
    from keras.src.utils import file_utils

    from cnnkit import _net
    from cnnkit.pretrained import cached_weights

    clear_trunk_cache()
    monkeypatch.setattr(config, "keras_home", lambda: str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(_net, "network_available", lambda *a, **k: pytest.fail("the network was probed"))
    monkeypatch.setattr(_net, "file_matches", lambda *a, **k: True)
    (tmp_path / "models").mkdir()

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(file_utils, "validate_file", lambda *a, **k: True)
    name = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
    reference = _write_keras_vgg19_notop(tmp_path / "models" / name)
    assert cached_weights("VGG19", include_top=False) == str(tmp_path / "models" / name)
    try:
        ex = make_extractor("auto", weights="imagenet", style_layers=("block1_conv1",),
                            content_layers=("block2_conv1",))
        out = capsys.readouterr().out.strip().splitlines()
        assert ex.source == "imagenet" and isinstance(ex, FeatureExtractor)
        assert out == ["extractor: VGG19 (ImageNet weights), imagenet weights found"]
        x = np.random.default_rng(1).uniform(size=(1, 32, 32, 3)).astype(np.float32)
        by_hand = reference.get_layer("block1_conv1")(keras_preprocess(x))
        np.testing.assert_allclose(ex(x)[0][0].numpy(), np.asarray(by_hand), rtol=1e-4, atol=1e-3)
    finally:
        clear_trunk_cache()


def keras_preprocess(x):
    import keras

    return keras.applications.vgg19.preprocess_input(x * 255.0)


def _periodic(n, seed):
    """A seamlessly periodic n×n colour texture (whole periods of sines), so tiling it changes only the size."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:n, 0:n] / n
    chans = [0.5 + 0.4 * np.sin(2 * np.pi * (rng.integers(1, 4) * x + rng.integers(0, 3) * y) + rng.uniform(0, 6))
             for _ in range(3)]
    return np.stack(chans, -1).astype(np.float32)


def test_the_balance_of_the_terms_does_not_change_with_image_size():
    # the same texture at 3 × 3 times the area: each term is a mean, so each stays within 25 % (border effects of
    # the convolutions); TV as a sum grows 9× (and would grow 64× from 64 px to 512 px)
    ex = PyramidExtractor(levels=3, filters=8)
    a, b, s = _periodic(64, 0), _periodic(64, 1), _periodic(64, 2)
    tile = lambda im: np.tile(im, (3, 3, 1))  # noqa: E731
    small = [float(t) for t in StyleContentLoss(ex, a, s, content_weight=1, style_weight=1, tv_weight=1)(b[None])]
    big = [float(t) for t in StyleContentLoss(ex, tile(a), tile(s), content_weight=1, style_weight=1,
                                              tv_weight=1)(tile(b)[None])]
    for name, v_small, v_big in zip(("total", "content", "style", "tv"), small, big):
        assert v_big == pytest.approx(v_small, rel=0.25), name
    tv_sum_small = float(tf.image.total_variation(tf.constant(b)))
    assert float(tf.image.total_variation(tf.constant(tile(b)))) > 8 * tv_sum_small  # what a sum would have done


def test_style_is_resized_on_its_own_terms(monkeypatch):
    seen = []
    original = StyleContentLoss.__init__

    def spy(self, extractor, content, style_img, **kw):
        seen.append((content.shape, style_img.shape))
        original(self, extractor, content, style_img, **kw)

    monkeypatch.setattr(StyleContentLoss, "__init__", spy)
    ex = PyramidExtractor(levels=2, filters=2)
    style.stylize("camera", make_style_image("swirls", size=300), max_side=32, steps=1, extractor=ex,
                  progress=False)
    style.stylize("camera", make_style_image("swirls", size=300), max_side=48, style_side=64, steps=1,
                  extractor=ex, progress=False)
    assert seen == [((1, 32, 32, 3), (1, 256, 256, 3)), ((1, 48, 48, 3), (1, 64, 64, 3))]


def test_package_defaults_cut_the_style_term_fourfold_and_keep_the_layout(offline, capsys):
    # the package's defaults offline (the pyramid, its weights, L-BFGS, half-photo start), at 64 px: the start is
    # half style already, so the style term falls about 5x in 50 steps (not the 10x a start from the photo allows)
    r = style.stylize("chelsea", make_style_image("swirls"), max_side=64, steps=50, progress=False)
    h = r.history
    assert r.source == "pyramid" and r.image.shape == (43, 64, 3)
    assert h["style"][-1] <= h["style"][0] / 4, (h["style"][0], h["style"][-1])
    content = style.fit_size(style.as_rgb_image("chelsea"), 64)
    assert layout_correlation(r.image, content) >= 0.5


def test_quality_statistics():
    swirls, mosaic = make_style_image("swirls", size=64), make_style_image("mosaic", size=64)
    assert colour_distance(swirls, swirls) == pytest.approx(0.0, abs=1e-9)
    assert 0 < colour_distance(swirls, mosaic) < 1
    assert texture_distance(swirls, swirls) == pytest.approx(0.0, abs=1e-9)
    assert texture_distance(swirls, mosaic) > 0
    assert layout_correlation(swirls, swirls) == pytest.approx(1.0)
    flipped = swirls[::-1]
    assert layout_correlation(swirls, flipped) < 0.9
    assert texture_distance(swirls, flipped) < texture_distance(swirls, mosaic)  # texture ignores where
    with pytest.raises(ValueError, match="must have the same size"):
        layout_correlation(swirls, swirls[:32])
    s = scores(swirls, mosaic, swirls)
    assert s["colour"] == pytest.approx(0.0, abs=1e-9) and s["texture"] == pytest.approx(0.0, abs=1e-9)
