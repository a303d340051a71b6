"""cnnkit.data.load_digits (sklearn's 8×8 digits) and the offline behaviour of the keras.datasets loaders."""
import socket
import tracemalloc

import cnnkit.data  # noqa: I001  (before keras: quiet TF start-up)
import numpy as np
import pytest
from sklearn.datasets import load_digits

from cnnkit import _net
from cnnkit.data import keras_sets
from cnnkit.data.digits import load_digits as digits


def test_native_size_keeps_every_image_with_its_label():
    data = digits(seed=0)
    x = np.concatenate([data.train.x, data.val.x, data.test.x])
    y = np.concatenate([data.train.y, data.val.y, data.test.y])
    assert x.shape == (1797, 8, 8, 1) and x.dtype == np.float32
    assert data.class_names == [str(d) for d in range(10)]
    bunch = load_digits()
    # every (image, label) pair of scikit-learn is there exactly once, scaled from 0..16 to 0..1
    ours = sorted(zip(y.tolist(), map(bytes, (x[..., 0] * 16).round().astype(np.uint8))))
    theirs = sorted(zip(bunch.target.tolist(), map(bytes, bunch.images.astype(np.uint8))))
    assert ours == theirs


def test_upscaled_is_in_range_and_looks_like_the_original():
    small, big = digits(seed=1), digits(size=32, seed=1)
    assert big.train.x.shape[1:] == (32, 32, 1) and big.train.x.dtype == np.float32
    assert 0.0 <= big.train.x.min() and big.train.x.max() <= 1.0
    np.testing.assert_array_equal(small.train.y, big.train.y)  # same seed, same split
    # averaging each 4×4 block of the upscaled image gives back roughly the 8×8 original
    down = big.train.x[..., 0].reshape(-1, 8, 4, 8, 4).mean(axis=(2, 4))
    assert np.corrcoef(down.ravel(), small.train.x[..., 0].ravel())[0, 1] > 0.9


def test_split_is_seeded_and_stratified():
    a, b = digits(seed=3, val=0.1, test=0.2), digits(seed=3, val=0.1, test=0.2)
    np.testing.assert_array_equal(a.test.x, b.test.x)
    assert abs(len(a.test) - 0.2 * 1797) <= 10 and abs(len(a.val) - 0.1 * 1797) <= 10
    share = np.bincount(a.test.y) / len(a.test)
    assert np.abs(share - np.bincount(load_digits().target) / 1797).max() < 0.01
    assert cnnkit.data.load_digits is digits and cnnkit.data.load_digits is digits  # twice: no module shadows the name


@pytest.mark.parametrize("size, error", [(4, ValueError), (0, ValueError), (7.5, TypeError), ("16", TypeError),
                                         (True, TypeError)])
def test_bad_size(size, error):
    with pytest.raises(error, match="size"):
        digits(size=size)


def test_numpy_integer_size_and_keyword_only_options():
    assert digits(size=np.int64(16), seed=0).train.x.shape[1:] == (16, 16, 1)
    with pytest.raises(TypeError, match="positional"):
        digits(16)


# ------------------------------------------------------------------------------ fetch_mnist / fetch_cifar10
@pytest.fixture
def keras_home(monkeypatch, tmp_path):
    """Keras, and so cnnkit, cache in ``tmp_path`` (Keras fixes its home at import: its global is patched)."""
    from keras.src.backend import config

    monkeypatch.setattr(config, "_KERAS_DIR", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def offline(monkeypatch, keras_home):
    """The probe says no (and records its calls); any download or process-wide timeout fails the test."""
    probes = []
    monkeypatch.setattr(_net, "network_available", lambda host, port=443, *, timeout=3.0:
                        probes.append((host, timeout)) or False)
    monkeypatch.setattr(_net.urllib.request, "urlopen", lambda *a, **k: pytest.fail("a download was attempted"))
    monkeypatch.setattr(socket, "setdefaulttimeout", lambda *a: pytest.fail("process-wide socket timeout set"))
    return probes


@pytest.mark.parametrize("loader, host, stand_in", [("fetch_mnist", "storage.googleapis.com", "load_digits"),
                                                    ("fetch_cifar10", "www.cs.toronto.edu", "make_shapes")])
def test_offline_loader_probes_instead_of_downloading_and_names_the_offline_alternative(offline, loader, host,
                                                                                        stand_in):
    with pytest.raises(ConnectionError, match=f"no network connection to {host}.*cnnkit.data.{stand_in}"):
        getattr(cnnkit.data, loader)()
    assert offline and {h for h, _ in offline} == {host}      # the bounded probe was asked, nothing downloaded
    assert max(t for _, t in offline) <= 5.0


def test_cached_mnist_loads_without_the_network(monkeypatch, offline, keras_home):
    rng = np.random.default_rng(0)
    train = (rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), np.arange(100) % 10)
    test = (rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), np.arange(20) % 10)
    (keras_home / "datasets").mkdir()        # Keras' own file layout: mnist.npz with these four arrays
    np.savez(keras_home / "datasets" / "mnist.npz", x_train=train[0], y_train=train[1], x_test=test[0],
             y_test=test[1])
    monkeypatch.setattr(_net, "file_matches", lambda *a, **k: True)   # as if it had the published hash
    data = keras_sets.fetch_mnist(val=0.2)
    assert (len(data.train), len(data.val), len(data.test)) == (80, 20, 20)
    assert data.train.x.shape[1:] == (28, 28, 1) and data.train.x.dtype == np.float32
    np.testing.assert_array_equal(data.test.x[..., 0], test[0].astype(np.float32) / np.float32(255))
    assert data.class_names == [str(d) for d in range(10)]
    assert offline == []                                      # cached: not even a probe


def test_scaling_to_unit_floats_makes_no_float64_copy():
    x = np.random.default_rng(0).integers(0, 256, (500, 32, 32, 3), dtype=np.uint8)
    tracemalloc.start()
    try:
        out = keras_sets._as_unit_float32(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.dtype == np.float32 and out.max() <= 1.0
    np.testing.assert_allclose(out, x / 255.0, rtol=1e-6)
    assert peak < 5.5 * x.nbytes   # the float32 result is 4 bytes a pixel; a float64 step would add 8 more


def test_a_corrupt_cached_mnist_is_named_not_called_offline(offline, keras_home):
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"not a zip archive")
    with pytest.raises(OSError, match=r"mnist.*datasets/mnist\.npz.*corrupt") as caught:
        keras_sets.fetch_mnist()
    assert not isinstance(caught.value, ConnectionError)


def test_an_unreadable_cached_mnist_that_passes_the_hash_check_is_named(monkeypatch, offline, keras_home):
    monkeypatch.setattr(_net, "file_matches", lambda *a, **k: True)   # as if the hash matched
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"not a zip archive")
    with pytest.raises(OSError, match=r"mnist.*datasets/mnist\.npz could not be read") as caught:
        keras_sets.fetch_mnist()
    assert not isinstance(caught.value, ConnectionError)


def test_failed_download_becomes_a_clear_connection_error(monkeypatch, offline):
    def stalled(*args, **kwargs):
        raise TimeoutError("read timed out")

    monkeypatch.setattr(_net, "network_available", lambda *a, **k: True)   # the host answers, the read stalls
    monkeypatch.setattr(_net.urllib.request, "urlopen", stalled)
    with pytest.raises(ConnectionError, match="TimeoutError.*cnnkit.data.make_shapes"):
        keras_sets.fetch_cifar10()


@pytest.mark.parametrize("kwargs, error, word", [({"timeout": 0}, ValueError, "timeout"),
                                                 ({"timeout": "30"}, TypeError, "timeout")])
def test_bad_timeout(offline, kwargs, error, word):
    with pytest.raises(error, match=word):
        keras_sets.fetch_mnist(**kwargs)
