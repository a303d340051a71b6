"""cnnkit.pretrained and cnnkit._net: Keras' own weights names, bounded downloads, one line and random weights offline."""
import hashlib
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import cnnkit  # noqa: F401  (before keras: quiet TF start-up)
import h5py
import keras
import numpy as np
import pytest
from keras.src.backend import config as keras_config
from keras.src.legacy.saving import legacy_h5_format
from keras.src.utils import file_utils

from cnnkit import _net, pretrained
from cnnkit.device import set_seed

# Keras 3 warns when ImageNet weights of another input size are used for a small input, and its
# legacy .h5 writer trips a NumPy 2 copy= deprecation: both harmless here
pytestmark = [pytest.mark.filterwarnings("ignore:`input_shape` is undefined:UserWarning"),
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]

SMALL = {"include_top": False, "input_shape": (32, 32, 3), "alpha": 0.35}   # the smallest MobileNetV2
# Keras' file for SMALL, read from keras/src/applications/mobilenet_v2.py (rows 32 → the 224 weights)
SMALL_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"

# Keras' no-top ImageNet file for input_shape=(96, 96, 3), read from keras/src/applications/*.py
KERAS_NOTOP_96 = {
    "MobileNet": "mobilenet_1_0_224_tf_no_top.h5",                       # rows 96 → the 224 weights
    "MobileNetV2": "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5",
    "ResNet50V2": "resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "InceptionV3": "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "Xception": "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "NASNetMobile": "nasnet_mobile_no_top.h5",
    "MobileNetV3Small": "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5",
    "MobileNetV3Large": "weights_mobilenet_v3_large_224_1.0_float_no_top_v2.h5",
    "EfficientNetB0": "efficientnetb0_notop.h5",
    "EfficientNetB1": "efficientnetb1_notop.h5",
    "EfficientNetV2B0": "efficientnetv2-b0_notop.h5",
    "ConvNeXtTiny": "convnext_tiny_notop.h5",
}
QUICK = {"MobileNet", "MobileNetV2", "MobileNetV3Small", "ConvNeXtTiny"}  # the others take seconds to build


@pytest.fixture
def keras_home(monkeypatch, tmp_path):
    """Keras, and so cnnkit, cache in ``tmp_path`` (Keras fixes its home at import: its global is patched)."""
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    return tmp_path


@pytest.fixture
def offline(monkeypatch, keras_home):
    """No network (every connect fails), an empty Keras cache, no download, no process-wide timeout."""
    def refuse(*args, **kwargs):
        raise OSError("Network is unreachable")

    def no_download(*args, **kwargs):
        raise AssertionError("a download was attempted")

    def no_global_timeout(*args, **kwargs):
        raise AssertionError("socket.setdefaulttimeout was called")

    monkeypatch.setattr(_net.socket, "create_connection", refuse)
    monkeypatch.setattr(_net.urllib.request, "urlopen", no_download)
    monkeypatch.setattr(socket, "setdefaulttimeout", no_global_timeout)
    return keras_home


@pytest.fixture
def hanging_network(monkeypatch):
    """Every connect blocks (a black-holed DNS or host) until the test ends."""
    release = threading.Event()

    def hang(*args, **kwargs):
        release.wait(60)
        raise OSError("timed out")

    monkeypatch.setattr(_net.socket, "create_connection", hang)
    yield
    release.set()


@pytest.fixture
def no_proxy(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def save_cached(home, name, **kwargs):
    """Put a seeded MobileNetV2's weights into the fake cache under ``name`` (Keras' legacy .h5 layout)."""
    set_seed(3)
    model = keras.applications.MobileNetV2(weights=None, **kwargs)
    with h5py.File(home / "models" / name, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    return model


def same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


def in_thread(function, limit=60):
    """``function()``'s result or exception, run in a thread so a hang fails the test instead of stalling it."""
    out = {}

    def target():
        try:
            out["value"] = function()
        except BaseException as err:  # noqa: BLE001 - handed to the test
            out["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    assert out, f"still waiting after {limit} s: the call hangs"
    return out


class Server:
    """A local HTTP server: ``body`` for GET, or (``stall=True``) headers never sent."""

    def __init__(self, body=b"", stall=False):
        release = self.release = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if stall:
                    release.wait(30)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------------------------------- _net
def test_network_available_returns_when_the_connect_hangs(hanging_network, no_proxy):
    assert _net.network_available("weights.example", timeout=0.2) is False


def test_network_available_sees_a_local_server_and_a_closed_port(no_proxy):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    try:
        assert _net.network_available("127.0.0.1", port, timeout=2.0) is True
    finally:
        server.close()
    assert _net.network_available("127.0.0.1", port, timeout=2.0) is False   # nobody listens any more


def test_network_available_probes_the_https_proxy(monkeypatch, no_proxy):
    proxy = socket.create_server(("127.0.0.1", 0))
    try:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.getsockname()[1]}")
        assert _net.network_available("weights.invalid", timeout=2.0) is True     # urllib would use the proxy
        monkeypatch.setenv("NO_PROXY", "weights.invalid")
        assert _net.network_available("weights.invalid", timeout=2.0) is False    # … unless told not to
    finally:
        proxy.close()
    monkeypatch.delenv("NO_PROXY")
    assert _net.network_available("weights.invalid", timeout=2.0) is False        # the proxy is gone


def test_keras_home_is_where_keras_get_file_writes(monkeypatch, tmp_path):
    """Asked of Keras itself: the folder its get_file chooses, writable home or not (then /tmp/.keras)."""
    def where_keras_downloads():
        seen = []

        def record(original, url, filename=None, *args, **kwargs):
            seen.append(filename)
            raise ConnectionError("recorded")

        with _net.hooked(file_utils, "urlretrieve", record), pytest.raises(ConnectionError, match="recorded"):
            file_utils.get_file("probe.bin", "http://127.0.0.1:9/probe.bin", cache_subdir="models")
        return os.path.dirname(os.path.dirname(seen[0]))

    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(tmp_path))
    assert _net.keras_home() == where_keras_downloads() == str(tmp_path)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode))
    assert _net.keras_home() == where_keras_downloads() == "/tmp/.keras"


def test_keras_home_without_keras_follows_keras_home_variable(tmp_path):
    code = "import sys, cnnkit._net as n; print(n.keras_home()); print('keras' in sys.modules)"
    env = {**os.environ, "KERAS_HOME": str(tmp_path / "kh"), "PYTHONPATH": str(Path(__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.split() == [str(tmp_path / "kh"), "False"], out.stderr


def test_keras_downloads_bounds_a_stalled_download_without_a_global_timeout(monkeypatch, tmp_path, no_proxy):
    monkeypatch.setattr(socket, "setdefaulttimeout", lambda *a: pytest.fail("process-wide timeout set"))
    with Server(stall=True) as server:
        def download():
            with _net.keras_downloads(0.5):
                return file_utils.get_file("stalled.bin", f"{server.url}/stalled.bin", cache_dir=str(tmp_path))

        out = in_thread(download)
    assert isinstance(out.get("error"), ConnectionError), out
    assert "stalled.bin" in str(out["error"]) and "timed out" in str(out["error"])
    assert not (tmp_path / "datasets" / "stalled.bin").exists()   # Keras removes the partial file


def test_keras_downloads_fetches_and_keras_checks_the_hash(tmp_path, no_proxy):
    body = os.urandom(200_000)
    with Server(body) as server, _net.keras_downloads(5.0) as files:
        path = file_utils.get_file("good.bin", f"{server.url}/good.bin", cache_dir=str(tmp_path),
                                   file_hash=hashlib.sha256(body).hexdigest())
    assert Path(path).read_bytes() == body and files == [path]


def test_keras_downloads_only_changes_the_calling_thread(monkeypatch):
    """Another thread calling Keras' get_file meanwhile gets Keras' own function, not the bounded one."""
    def other(*args, **kwargs):
        return "keras' own"

    monkeypatch.setattr(file_utils, "get_file", other)
    with _net.keras_downloads(1.0):
        from_other_thread = in_thread(lambda: file_utils.get_file("x", "http://127.0.0.1:9/x"))
    assert from_other_thread["value"] == "keras' own"


# -------------------------------------------------------------------------------- cached_weights
@pytest.mark.parametrize("app_name", [
    pytest.param(name, marks=() if name in QUICK else pytest.mark.slow) for name in KERAS_NOTOP_96])
def test_cached_weights_finds_keras_own_file_name(keras_home, app_name):
    (keras_home / "models" / KERAS_NOTOP_96[app_name]).write_bytes(b"")
    found = pretrained.cached_weights(app_name, include_top=False, input_shape=(96, 96, 3))
    assert found == str(keras_home / "models" / KERAS_NOTOP_96[app_name])


def test_mobilenet_does_not_take_mobilenet_v2_files(keras_home):
    (keras_home / "models" / KERAS_NOTOP_96["MobileNetV2"]).write_bytes(b"")
    assert pretrained.cached_weights("MobileNet", include_top=False, input_shape=(96, 96, 3)) is None
    assert pretrained.cached_weights("MobileNetV2", include_top=True) is None   # the top is another file


# ------------------------------------------------------------------------------ load_application
@pytest.mark.slow
def test_offline_gives_seeded_random_weights_and_one_line(offline, capsys):
    set_seed(0)
    model, source = pretrained.load_application("MobileNetV2", **SMALL)
    lines = capsys.readouterr().out.strip().splitlines()
    assert source == "random"
    assert model.output_shape == (None, 1, 1, 1280)
    assert len(lines) == 1
    assert "MobileNetV2" in lines[0] and "unavailable" in lines[0] and "random" in lines[0]
    set_seed(0)
    again, _ = pretrained.load_application("MobileNetV2", quiet=True, **SMALL)
    assert same_weights(model, again)                                         # seeded: repeatable
    assert capsys.readouterr().out == ""                                      # quiet means quiet


@pytest.mark.slow
def test_a_hanging_network_still_returns(offline, hanging_network, no_proxy, capsys):
    out = in_thread(lambda: pretrained.load_application("MobileNetV2", timeout=0.3, **SMALL))
    model, source = out["value"]
    assert source == "random" and model is not None
    assert "no network connection" in capsys.readouterr().out


def test_fallback_none_builds_nothing(offline, capsys):
    model, source = pretrained.load_application("MobileNetV2", fallback=None, **SMALL)
    assert (model, source) == (None, "unavailable")
    assert "continuing without them" in capsys.readouterr().out


@pytest.mark.slow
def test_cached_weights_are_used_without_network(offline, capsys):
    saved = save_cached(offline, SMALL_FILE, **SMALL)
    model, source = pretrained.load_application("MobileNetV2", **SMALL)
    assert source == "imagenet"
    assert same_weights(model, saved)
    assert capsys.readouterr().out == ""


def test_a_corrupt_cached_file_is_named_and_falls_back(offline, capsys):
    (offline / "models" / SMALL_FILE).write_bytes(b"not an HDF5 file")
    model, source = pretrained.load_application("MobileNetV2", **SMALL)
    out = capsys.readouterr().out
    assert source == "random" and model is not None
    assert SMALL_FILE in out and "could not be read" in out


def test_a_weights_file_path_is_loaded(offline):
    saved = save_cached(offline, "mine.h5", **SMALL)
    model, source = pretrained.load_application("MobileNetV2", weights=str(offline / "models" / "mine.h5"), **SMALL)
    assert source == "file" and same_weights(model, saved)


def test_a_missing_weights_file_is_a_file_not_found_error(tmp_path):
    missing = tmp_path / "nowhere.weights.h5"
    with pytest.raises(FileNotFoundError, match="weights.*nowhere.weights.h5"):
        pretrained.load_application("MobileNetV2", weights=str(missing), **SMALL)


@pytest.mark.parametrize("name, error", [("MobileNetV9", ValueError), ("not a model", ValueError),
                                         ("mobilenet_v2", ValueError), (42, TypeError)])
def test_unknown_application_is_refused(name, error):
    with pytest.raises(error, match="app_name"):
        pretrained.load_application(name)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"fallback": "zeros"}, ValueError, "fallback"), ({"timeout": 0}, ValueError, "timeout"),
    ({"timeout": "20"}, TypeError, "timeout"), ({"weights": 3}, TypeError, "weights"),
])
def test_bad_options_are_refused(kwargs, error, word):
    with pytest.raises(error, match=word):
        pretrained.load_application("MobileNetV2", **kwargs)


def test_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        pretrained.load_application("MobileNetV2", None)


# ------------------------------------------------------------------------------ imagenet_features
def test_imagenet_features_offline_is_none_after_one_line(offline, capsys):
    assert pretrained.imagenet_features((32, 32, 3), size=32) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "MobileNetV2" in out[0]


def test_imagenet_features_takes_numpy_integers(offline, capsys):
    shape = tuple(np.int64(d) for d in (32, 32, 3))
    assert pretrained.imagenet_features(shape, size=np.int64(32), quiet=True) is None
    assert capsys.readouterr().out == ""


@pytest.mark.slow
def test_imagenet_features_resize_gray_and_rescale_match_the_trunk(offline):
    # Keras' file for MobileNetV2(alpha=1.0, input 32, no top), from keras/src/applications/mobilenet_v2.py
    trunk = save_cached(offline, "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
                        include_top=False, input_shape=(32, 32, 3))
    features = pretrained.imagenet_features((20, 24, 1), app_name="MobileNetV2", size=32)
    assert features.output_shape == (None, 1, 1, 1280)
    x = np.random.default_rng(0).random((2, 20, 24, 1), dtype=np.float32)
    by_hand = keras.ops.image.resize(x, (32, 32))          # bilinear, like the Resizing layer
    by_hand = np.repeat(np.asarray(by_hand), 3, axis=-1) * 2.0 - 1.0   # gray → RGB, [0, 1] → [-1, 1]
    np.testing.assert_allclose(features.predict(x, verbose=0), trunk.predict(by_hand, verbose=0), atol=1e-4)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"app_name": "VGG16"}, ValueError, "app_name"), ({"input_shape": (32, 32)}, ValueError, "input_shape"),
    ({"input_shape": (32, 32, 4)}, ValueError, "input_shape"), ({"input_shape": (32, 32.0, 3)}, TypeError,
                                                                  r"input_shape\[1\]"),
    ({"input_shape": (0, 32, 3)}, ValueError, r"input_shape\[0\]"),
    ({"size": 16}, ValueError, "size"), ({"size": 96.0}, TypeError, "size"),
])
def test_imagenet_features_rejects_bad_arguments(kwargs, error, word):
    args = {"input_shape": (32, 32, 3), **kwargs}
    with pytest.raises(error, match=word):
        pretrained.imagenet_features(**args)
