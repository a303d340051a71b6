"""cnnkit.data.load_digits (sklearn's 8×8 digits) and the offline behaviour of the keras.datasets loaders."""
import time

import numpy as np
import pytest
from sklearn.datasets import load_digits

import cnnkit.data
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


@pytest.mark.parametrize("size", [4, 0, 7.5, "16", True])
def test_bad_size(size):
    with pytest.raises(ValueError, match="size"):
        digits(size=size)


@pytest.mark.parametrize("loader, stand_in", [("fetch_mnist", "load_digits"), ("fetch_cifar10", "make_shapes")])
def test_offline_loader_fails_fast_and_names_the_offline_alternative(monkeypatch, tmp_path, loader, stand_in):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # an empty cache
    calls = []
    monkeypatch.setattr(keras_sets.weights, "network_available", lambda **kw: calls.append(kw) or False)
    start = time.perf_counter()
    with pytest.raises(ConnectionError, match=f"cnnkit.data.{stand_in}"):
        getattr(cnnkit.data, loader)()
    assert calls and calls[0]["timeout"] <= 5.0  # the check it made was bounded
    assert time.perf_counter() - start < 60  # generous: it must simply not hang on a download


def test_cached_mnist_loads_without_the_network(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"")
    monkeypatch.setattr(keras_sets.weights, "network_available", lambda **kw: pytest.fail("network was probed"))
    rng = np.random.default_rng(0)
    train = (rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), np.arange(100) % 10)
    test = (rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), np.arange(20) % 10)
    import keras

    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (train, test))
    data = keras_sets.fetch_mnist(val=0.2)
    assert (len(data.train), len(data.val), len(data.test)) == (80, 20, 20)
    assert data.train.x.shape[1:] == (28, 28, 1) and data.train.x.dtype == np.float32
    np.testing.assert_allclose(data.test.x[..., 0], test[0] / 255.0, rtol=1e-6)
    assert data.class_names == [str(d) for d in range(10)]


def test_failed_download_becomes_a_clear_connection_error(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras_sets.weights, "network_available", lambda **kw: True)
    import keras

    def stalled():
        raise TimeoutError("read timed out")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", stalled)
    with pytest.raises(ConnectionError, match="TimeoutError.*cnnkit.data.make_shapes"):
        keras_sets.fetch_cifar10()
