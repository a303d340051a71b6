"""cnnkit.pretrained offline: no network → one line and seeded random weights, never a hang; caches used."""
import socket
import threading

import cnnkit  # noqa: F401  (before keras: quiet TF start-up)
import keras
import keras.src.utils.file_utils as keras_file_utils
import numpy as np
import pytest

from cnnkit import pretrained as weights
from cnnkit.device import set_seed

# Keras 3 reading a .weights.h5 file into MobileNetV2 warns once per nested container, and its
# save_weights trips a NumPy 2 copy= deprecation: both harmless here
pytestmark = [pytest.mark.filterwarnings("ignore:Skipping nested container:UserWarning"),
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

SMALL = {"include_top": False, "input_shape": (32, 32, 3), "alpha": 0.35}   # the smallest MobileNetV2


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network (every connect fails), an empty Keras cache, and any download attempt is an error."""
    def refuse(*args, **kwargs):
        raise OSError("Network is unreachable")

    def no_download(*args, **kwargs):
        raise AssertionError("a download was attempted")

    monkeypatch.setattr(weights.socket, "create_connection", refuse)
    monkeypatch.setattr(keras_file_utils, "get_file", no_download)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def hanging_network(monkeypatch):
    """Every connect blocks (a black-holed DNS or host) until the test ends."""
    release = threading.Event()

    def hang(*args, **kwargs):
        release.wait(60)
        raise OSError("timed out")

    monkeypatch.setattr(weights.socket, "create_connection", hang)
    yield
    release.set()


def save_cached(home, name, **kwargs):
    """Put a seeded model's weights into a fake Keras cache under ``name``; returns the model."""
    set_seed(3)
    model = keras.applications.MobileNetV2(weights=None, **kwargs)
    (home / "models").mkdir(parents=True, exist_ok=True)
    model.save_weights(str(home / "models" / name))
    return model


def same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


# ------------------------------------------------------------------------------ network_available
def test_network_available_returns_when_the_connect_hangs(hanging_network):
    assert weights.network_available("weights.example", timeout=0.2) is False


def test_network_available_sees_a_local_server_and_a_closed_port():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        assert weights.network_available("127.0.0.1", port, timeout=2.0) is True
    finally:
        server.close()
    assert weights.network_available("127.0.0.1", port, timeout=2.0) is False   # nobody listens any more


# ------------------------------------------------------------------------------- load_application
def test_offline_gives_seeded_random_weights_and_one_line(offline, capsys):
    set_seed(0)
    model, source = weights.load_application("MobileNetV2", **SMALL)
    lines = capsys.readouterr().out.strip().splitlines()
    assert source == "random"
    assert model.output_shape == (None, 1, 1, 1280)
    assert len(lines) == 1
    assert "MobileNetV2" in lines[0] and "unavailable" in lines[0] and "random" in lines[0]
    set_seed(0)
    again, _ = weights.load_application("MobileNetV2", quiet=True, **SMALL)
    assert same_weights(model, again)                                         # seeded: repeatable
    assert capsys.readouterr().out == ""                                      # quiet means quiet


def test_a_hanging_network_still_returns(offline, hanging_network, capsys):
    model, source = weights.load_application("MobileNetV2", timeout=0.3, **SMALL)
    assert source == "random" and model is not None
    assert "unavailable" in capsys.readouterr().out


def test_fallback_none_builds_nothing(offline, capsys):
    model, source = weights.load_application("MobileNetV2", fallback=None, **SMALL)
    assert (model, source) == (None, "unavailable")
    assert "continuing without them" in capsys.readouterr().out


def test_cached_weights_are_used_without_network(offline, capsys):
    saved = save_cached(offline, "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_32_no_top.weights.h5", **SMALL)
    model, source = weights.load_application("MobileNetV2", **SMALL)
    assert source == "imagenet"
    assert same_weights(model, saved)
    assert capsys.readouterr().out == ""


def test_a_cached_file_for_another_size_falls_back(offline, capsys):
    save_cached(offline, "mobilenet_v2_weights_other_no_top.weights.h5", include_top=False,
                input_shape=(32, 32, 3), alpha=0.5)                        # other widths: shapes differ
    model, source = weights.load_application("MobileNetV2", **SMALL)
    assert source == "random" and model is not None
    assert "unavailable" in capsys.readouterr().out


def test_cached_weights_tell_top_from_no_top(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    for name in ("vgg19_weights_tf_dim_ordering_tf_kernels.h5", "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
                 "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"):
        (tmp_path / "models" / name).write_bytes(b"")
    assert [p.rsplit("/", 1)[1] for p in weights.cached_weights("VGG19", include_top=False)] == [
        "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"]
    assert [p.rsplit("/", 1)[1] for p in weights.cached_weights("VGG19", include_top=True)] == [
        "vgg19_weights_tf_dim_ordering_tf_kernels.h5"]
    assert len(weights.cached_weights("MobileNetV2", include_top=False)) == 1
    assert weights.cached_weights("MobileNetV2", include_top=True) == []


def test_a_weights_file_path_is_loaded(offline):
    saved = save_cached(offline, "mine.weights.h5", **SMALL)
    model, source = weights.load_application("MobileNetV2", weights=str(offline / "models" / "mine.weights.h5"), **SMALL)
    assert source == "file" and same_weights(model, saved)


def test_a_missing_weights_file_is_a_value_error(tmp_path):
    missing = tmp_path / "nowhere.weights.h5"
    with pytest.raises(ValueError, match="nowhere.weights.h5.*does not exist"):
        weights.load_application("MobileNetV2", weights=str(missing), **SMALL)


@pytest.mark.parametrize("name", ["MobileNetV9", "not a model", 42, "preprocess_input"])
def test_unknown_application_is_a_value_error(name):
    with pytest.raises(ValueError, match="app_name"):
        weights.load_application(name)


def test_bad_fallback_is_a_value_error():
    with pytest.raises(ValueError, match="fallback"):
        weights.load_application("MobileNetV2", fallback="zeros")


# ------------------------------------------------------------------------------ imagenet_features
def test_imagenet_features_offline_is_none_after_one_line(offline, capsys):
    assert weights.imagenet_features((32, 32, 3), size=32) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "MobileNetV2" in out[0]


def test_imagenet_features_resize_gray_and_rescale_match_the_trunk(offline):
    trunk = save_cached(offline, "mobilenet_v2_weights_full_no_top.weights.h5", include_top=False,
                        input_shape=(32, 32, 3))
    features = weights.imagenet_features((20, 24, 1), app_name="MobileNetV2", size=32)
    assert features.output_shape == (None, 1, 1, 1280)
    x = np.random.default_rng(0).random((2, 20, 24, 1), dtype=np.float32)
    by_hand = keras.ops.image.resize(x, (32, 32))          # bilinear, like the Resizing layer
    by_hand = np.repeat(np.asarray(by_hand), 3, axis=-1) * 2.0 - 1.0   # gray → RGB, [0, 1] → [-1, 1]
    np.testing.assert_allclose(features.predict(x, verbose=0), trunk.predict(by_hand, verbose=0), atol=1e-4)


@pytest.mark.parametrize("kwargs, word", [
    ({"app_name": "VGG16"}, "app_name"), ({"input_shape": (32, 32)}, "input_shape"),
    ({"input_shape": (32, 32, 4)}, "input_shape"), ({"size": 16}, "size"), ({"size": 96.0}, "size"),
])
def test_imagenet_features_rejects_bad_arguments(kwargs, word):
    args = {"input_shape": (32, 32, 3), **kwargs}
    with pytest.raises(ValueError, match=word):
        weights.imagenet_features(**args)
