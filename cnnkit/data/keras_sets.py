"""MNIST and CIFAR-10 through ``keras.datasets`` when they are cached or the network answers, never a hang.

    >>> from cnnkit.data import fetch_mnist
    >>> data = fetch_mnist()          # doctest: +SKIP
    >>> data.train.x.shape      # doctest: +SKIP
    (51000, 28, 28, 1)

Before any download a bounded connection check runs (``cnnkit.pretrained.network_available``, a few
seconds at most). Offline, without a cached copy, you get a ``ConnectionError`` that names the offline
stand-in (``cnnkit.data.load_digits`` or ``cnnkit.data.make_shapes``).
"""
import glob
import os
import socket

import numpy as np

from cnnkit import pretrained as weights
from cnnkit.data.splits import Split, Splits, split_arrays

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

_SOURCES = {  # name -> (host it downloads from, file pattern in Keras' dataset cache, offline stand-in)
    "mnist": ("storage.googleapis.com", "mnist.npz", "cnnkit.data.load_digits(size=28)"),
    "cifar10": ("www.cs.toronto.edu", "cifar-10-batches-py*", "cnnkit.data.make_shapes(n, size=32)"),
}


def keras_datasets_dir():
    """Where ``keras.datasets`` caches downloads (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "datasets")


def is_cached(name):
    """True when ``name`` ("mnist" or "cifar10") is already in Keras' dataset cache."""
    return bool(glob.glob(os.path.join(keras_datasets_dir(), _SOURCES[name][1])))


def _load(name, loader, timeout):
    host, _, stand_in = _SOURCES[name]
    if not is_cached(name) and not weights.network_available(host=host, timeout=min(timeout, 5.0)):
        raise ConnectionError(f"{name} is not in Keras' cache ({keras_datasets_dir()}) and {host} cannot be "
                              f"reached; use the offline {stand_in} instead")
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)  # bounds every read of the download
    try:
        return loader()
    except Exception as err:  # noqa: BLE001 - a broken or stalled download: say what to do instead
        raise ConnectionError(f"{name} could not be loaded ({type(err).__name__}: {err}); "
                              f"use the offline {stand_in} instead") from err
    finally:
        socket.setdefaulttimeout(old)


def _splits(train, test, class_names, val, seed):
    (x_train, y_train), (x_test, y_test) = train, test
    if x_train.ndim == 3:
        x_train, x_test = x_train[..., None], x_test[..., None]
    x_train, x_test = (x_train / 255.0).astype(np.float32), (x_test / 255.0).astype(np.float32)
    y_train, y_test = np.ravel(y_train).astype(np.int64), np.ravel(y_test).astype(np.int64)
    part = split_arrays(x_train, y_train, class_names, val=val, test=0.0, seed=seed)
    return Splits(part.train, part.val, Split(x_test, y_test), list(class_names))


def fetch_mnist(val=0.15, seed=0, timeout=30.0):
    """MNIST (60,000 + 10,000 handwritten digits, 28 × 28 × 1, float32 in [0, 1]); ``val`` of train is held out.

    Raises ``ConnectionError`` naming ``cnnkit.data.load_digits`` when it is neither cached nor reachable.
    """
    import keras

    train, test = _load("mnist", keras.datasets.mnist.load_data, timeout)
    return _splits(train, test, [str(d) for d in range(10)], val, seed)


def fetch_cifar10(val=0.15, seed=0, timeout=60.0):
    """CIFAR-10 (50,000 + 10,000 colour photos, 32 × 32 × 3, float32 in [0, 1]); ``val`` of train is held out.

    Raises ``ConnectionError`` naming ``cnnkit.data.make_shapes`` when it is neither cached nor reachable.
    """
    import keras

    train, test = _load("cifar10", keras.datasets.cifar10.load_data, timeout)
    return _splits(train, test, list(CIFAR10_CLASSES), val, seed)
