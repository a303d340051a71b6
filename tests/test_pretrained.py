"""cnnkit.pretrained and cnnkit._net: Keras' own weights names, bounded downloads, one line and random weights offline."""
import hashlib
import http.server
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import cnnkit  # noqa: F401  (before keras: quiet TF start-up)
import h5py
import keras
import numpy as np
import pytest
from keras.src.backend import config as keras_config   # (tests only: Keras' cache folder, pointed at tmp)
from keras.src.legacy.saving import legacy_h5_format   # (tests only: writes Keras' published .h5 layout)

from cnnkit import _net, _weights, pretrained
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


def test_keras_home_is_where_keras_get_file_writes(tmp_path):
    """Asked of Keras itself, through its public get_file, in a process where KERAS_HOME is set before Keras."""
    source = tmp_path / "probe.bin"
    source.write_bytes(b"probe")
    code = ("import cnnkit, keras, os; from cnnkit import _net; "
            f"p = keras.utils.get_file('probe.bin', origin={source.as_uri()!r}, cache_subdir='models'); "
            "print(os.path.dirname(os.path.dirname(p)) == _net.keras_home() == os.environ['KERAS_HOME'])")
    env = {**os.environ, "KERAS_HOME": str(tmp_path / "kh"), "PYTHONPATH": str(Path(__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "True", out.stdout + out.stderr[-2000:]


def test_keras_home_falls_back_to_tmp_as_keras_get_file_does(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert _net.keras_home() == str(tmp_path)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode))
    assert _net.keras_home() == "/tmp/.keras"
    source = tmp_path / "probe.bin"
    source.write_bytes(b"probe")
    # Keras' get_file, asked to cache in the unwritable folder, falls back to the same place
    path = keras.utils.get_file("probe.bin", origin=source.as_uri(), cache_dir=str(tmp_path), cache_subdir="models")
    assert os.path.dirname(os.path.dirname(path)) == _net.keras_home()
    os.remove(path)


def test_keras_home_without_keras_follows_keras_home_variable(tmp_path):
    code = "import sys, cnnkit._net as n; print(n.keras_home()); print('keras' in sys.modules)"
    env = {**os.environ, "KERAS_HOME": str(tmp_path / "kh"), "PYTHONPATH": str(Path(__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.split() == [str(tmp_path / "kh"), "False"], out.stderr


def test_fetch_bounds_a_stalled_download_without_a_global_timeout(monkeypatch, keras_home, no_proxy):
    monkeypatch.setattr(socket, "setdefaulttimeout", lambda *a: pytest.fail("process-wide timeout set"))
    with Server(stall=True) as server:
        out = in_thread(lambda: _net.fetch("stalled.bin", f"{server.url}/stalled.bin", cache_subdir="models",
                                           timeout=0.5))
    assert isinstance(out.get("error"), ConnectionError), out
    assert "stalled.bin" in str(out["error"]) and "timed out" in str(out["error"])
    assert list((keras_home / "models").iterdir()) == []          # no file, no partial file left


def test_fetch_downloads_checks_the_hash_and_then_needs_no_network(monkeypatch, keras_home, no_proxy):
    body = os.urandom(200_000)
    good = hashlib.sha256(body).hexdigest()
    with Server(body) as server:
        path = _net.fetch("good.bin", f"{server.url}/good.bin", cache_subdir="models", file_hash=good, timeout=5.0)
        with pytest.raises(ConnectionError, match="does not match its published sha256 hash"):
            _net.fetch("bad.bin", f"{server.url}/bad.bin", cache_subdir="models", file_hash="0" * 64, timeout=5.0)
        md5 = hashlib.md5(body).hexdigest()
        assert Path(_net.fetch("md5.bin", f"{server.url}/x", cache_subdir="models", file_hash=md5,
                               timeout=5.0)).read_bytes() == body                    # 32 digits: MD5, as Keras
    assert path == str(keras_home / "models" / "good.bin") and Path(path).read_bytes() == body
    assert sorted(p.name for p in (keras_home / "models").iterdir()) == ["good.bin", "md5.bin"]
    monkeypatch.setattr(_net, "network_available", lambda *a, **k: pytest.fail("the network was probed"))
    assert _net.fetch("good.bin", "https://weights.invalid/good.bin", cache_subdir="models", file_hash=good,
                      timeout=5.0) == path                                          # cached: no network


def test_a_cached_file_failing_its_hash_is_downloaded_again_or_named(keras_home, no_proxy, monkeypatch):
    body = b"the real weights"
    (keras_home / "models" / "w.h5").write_bytes(b"half a file")
    with Server(body) as server:
        path = _net.fetch("w.h5", f"{server.url}/w.h5", cache_subdir="models",
                          file_hash=hashlib.md5(body).hexdigest(), timeout=5.0)
    assert Path(path).read_bytes() == body                                         # replaced by a good copy
    (keras_home / "models" / "w.h5").write_bytes(b"half a file")
    monkeypatch.setattr(_net, "network_available", lambda *a, **k: False)
    with pytest.raises(_net.CorruptCacheError, match=r"w\.h5 is corrupt.*md5 hash.*no network connection"):
        _net.fetch("w.h5", "https://weights.invalid/w.h5", cache_subdir="models",
                   file_hash=hashlib.md5(body).hexdigest(), timeout=5.0)


def test_fetch_is_thread_safe_and_changes_nothing_shared(keras_home, no_proxy):
    """Eight threads fetch one file at once: each gets the whole file, no partial file is left, and no module
    attribute, urllib opener or process-wide socket timeout has changed."""
    body = os.urandom(300_000)
    file_hash = hashlib.sha256(body).hexdigest()
    before = (dict(vars(urllib.request)), dict(vars(socket)), socket.getdefaulttimeout(), dict(vars(keras.utils)))
    out = []

    def worker():
        out.append(in_thread(lambda: Path(_net.fetch("many.bin", url, cache_subdir="models", file_hash=file_hash,
                                                     timeout=5.0)).read_bytes()))

    with Server(body) as server:
        url = f"{server.url}/many.bin"
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
    assert len(out) == 8 and all(o.get("value") == body for o in out), [o.get("error") for o in out]
    assert [p.name for p in (keras_home / "models").iterdir()] == ["many.bin"]
    after = (dict(vars(urllib.request)), dict(vars(socket)), socket.getdefaulttimeout(), dict(vars(keras.utils)))
    assert after == before


def test_net_and_pretrained_use_no_private_keras_module():
    root = Path(pretrained.__file__).parent
    for name in ("_net.py", "_weights.py", "pretrained.py", "data/keras_sets.py"):
        assert "keras.src" not in (root / name).read_text(encoding="utf-8"), name


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


# the configurations the course builds, and a few more that change the file Keras picks
TABLE_CASES = [(name, top, {}) for name in KERAS_NOTOP_96 for top in (True, False)] + [
    ("VGG19", False, {}), ("VGG16", True, {}), ("ResNet50", False, {}),
    ("MobileNetV2", False, {"input_shape": (32, 32, 3), "alpha": 0.35}),
    ("MobileNetV2", False, {"input_shape": (160, 160, 3), "alpha": 1.4}),
    ("MobileNetV2", True, {"input_shape": (96, 96, 3), "alpha": 0.5}),
    ("MobileNet", False, {"input_shape": (128, 128, 3), "alpha": 0.25}),
    ("MobileNet", True, {"alpha": 0.75}),
    ("MobileNetV3Small", False, {"minimalistic": True}), ("MobileNetV3Large", True, {"alpha": 0.75}),
]


def _what_keras_asks_for(app_name, include_top, kwargs):
    """(fname, origin, file_hash) of the get_file call Keras makes for these weights (a test-only peek)."""
    from keras.src.utils import file_utils

    asked = {}

    class Asked(Exception):
        pass

    def record(fname=None, origin=None, *args, file_hash=None, **kw):
        asked.update(fname=fname, origin=origin, file_hash=file_hash)
        raise Asked

    original = file_utils.get_file
    file_utils.get_file = record
    try:
        getattr(keras.applications, app_name)(weights="imagenet", include_top=include_top, **kwargs)
    except Asked:
        pass
    finally:
        file_utils.get_file = original
    return asked["fname"], asked["origin"], asked["file_hash"]


@pytest.mark.parametrize("app_name, include_top, kwargs", [
    pytest.param(a, top, kw, marks=() if a in QUICK else pytest.mark.slow, id=f"{a}-{top}-{sorted(kw.items())}")
    for a, top, kw in TABLE_CASES])
def test_the_known_files_are_the_ones_keras_asks_for(app_name, include_top, kwargs):
    """cnnkit's table (name, address, hash) against the get_file call Keras itself makes: if a Keras release
    renames or re-hashes a file, this fails (and cnnkit still works: Keras then downloads it itself)."""
    assert _weights.weights_file(app_name, include_top, **kwargs) == _what_keras_asks_for(app_name, include_top,
                                                                                         kwargs)


def test_an_unknown_application_has_no_known_file():
    assert "DenseNet121" not in _weights.KNOWN
    with pytest.raises(ValueError, match="app_name: cnnkit downloads the ImageNet weights of .*DenseNet121"):
        pretrained.cached_weights("DenseNet121")
    model, source = pretrained.load_application("DenseNet121", weights=None, include_top=False,
                                                input_shape=(32, 32, 3))
    assert source == "random" and model is not None                       # without ImageNet weights it builds


def test_a_cached_file_failing_its_published_hash_is_named_offline(offline, capsys):
    name = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
    (offline / "models" / name).write_bytes(b"\x89HDF\r\n\x1a\n but truncated")
    assert pretrained.load_application("VGG19", include_top=False, fallback=None) == (None, "unavailable")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and name in out[0] and "md5 hash" in out[0] and "could not be downloaded again" in out[0]


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


# ------------------------------------------------------------------ the dataset files, read as Keras reads them
def test_cifar10_archive_is_read_as_keras_reads_its_batches(tmp_path):
    import io
    import pickle
    import tarfile

    from keras.src.datasets.cifar import load_batch   # (tests only: Keras' own reader, to compare with)

    from cnnkit.data import keras_sets

    rng = np.random.default_rng(0)
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for name in names:
        batch = {b"data": rng.integers(0, 256, (4, 3072), dtype=np.uint8), b"labels": [int(v) for v in rng.integers(0, 10, 4)]}
        (folder / name).write_bytes(pickle.dumps(batch))
    archive = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in names:
            tar.add(folder / name, arcname=f"cifar-10-batches-py/{name}")
    (x_train, y_train), (x_test, y_test) = keras_sets._read_cifar10(archive)
    by_keras = [load_batch(str(folder / name)) for name in names]
    expected_x = np.concatenate([x for x, _ in by_keras[:5]]).transpose(0, 2, 3, 1)    # Keras: channels first
    np.testing.assert_array_equal(x_train, expected_x)
    np.testing.assert_array_equal(y_train, np.concatenate([y for _, y in by_keras[:5]]))
    np.testing.assert_array_equal(x_test, by_keras[5][0].transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_test, by_keras[5][1])
    assert x_train.shape == (20, 32, 32, 3) and x_train.dtype == np.uint8
    bad = tmp_path / "bad.tar.gz"                 # a batch that would rebuild something else is refused
    (folder / "data_batch_1").write_bytes(pickle.dumps({b"data": os.getcwd, b"labels": []}))
    with tarfile.open(bad, "w:gz") as tar:
        for name in names:
            tar.add(folder / name, arcname=f"cifar-10-batches-py/{name}")
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        keras_sets._read_cifar10(bad)
