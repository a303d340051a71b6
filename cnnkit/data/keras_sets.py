"""MNIST and CIFAR-10, the files ``keras.datasets`` uses, when they are cached or the network answers, never a hang.

    >>> from cnnkit.data import fetch_mnist
    >>> data = fetch_mnist()          # doctest: +SKIP
    >>> data.train.x.shape            # doctest: +SKIP
    (51000, 28, 28, 1)

cnnkit fetches the files Keras' own loaders read (their addresses and published SHA-256 hashes) into Keras'
cache, ``~/.keras/datasets`` (:func:`cnnkit._net.fetch`: the host is probed for a few seconds before a download,
every read has a timeout, a download is kept only if it matches its hash), and reads them as Keras does. Offline,
without a cached copy, you get a ``ConnectionError`` that names the offline stand-in
(``cnnkit.data.load_digits`` or ``cnnkit.data.make_shapes``). A cached file that is corrupt gives an
``OSError`` naming the file.
"""
import pickle
import tarfile

import numpy as np

from cnnkit import _net
from cnnkit._checks import Fraction, Number, Seed, check_number, contract
from cnnkit.data.splits import Split, Splits, split_arrays

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

_STAND_IN = {"mnist": "cnnkit.data.load_digits(size=28)", "cifar10": "cnnkit.data.make_shapes(n, size=32)"}

# the files keras.datasets.mnist and .cifar10 read: name in Keras' cache, address, published SHA-256
_FILES = {
    "mnist": ("mnist.npz", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
              "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
    "cifar10": ("cifar-10-python.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"),
}


def _read_mnist(path):
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


class _ArraysOnly(pickle.Unpickler):
    """An unpickler that rebuilds NumPy arrays and nothing else (CIFAR's batches are arrays and lists), as Keras'."""

    ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
               ("numpy._core.multiarray", "_reconstruct")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to rebuild {module}.{name} from a CIFAR-10 batch")


def _read_cifar10(path):
    """CIFAR-10's python batches, read from the archive as Keras reads them (RGB, 32 × 32 × 3 uint8)."""
    def batch(tar, name):
        with tar.extractfile(f"cifar-10-batches-py/{name}") as f:
            d = _ArraysOnly(f, encoding="bytes").load()   # (the archive also matched its published hash)
        x = np.asarray(d[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return x, np.asarray(d[b"labels"], dtype=np.uint8)

    with tarfile.open(path, "r:gz") as tar:
        parts = [batch(tar, f"data_batch_{i}") for i in range(1, 6)]
        test = batch(tar, "test_batch")
    return (np.concatenate([x for x, _ in parts]), np.concatenate([y for _, y in parts])), test


def _load(name, read, timeout):
    """``read(path)`` of the cached (or fetched) file; network failures → ConnectionError, a bad cache → OSError."""
    timeout = check_number(timeout, "timeout", low=0.0, low_open=True)
    fname, origin, file_hash = _FILES[name]
    stand_in = _STAND_IN[name]
    try:
        path = _net.fetch(fname, origin, cache_subdir="datasets", file_hash=file_hash, timeout=timeout)
        with _net.reading(path):
            return read(path)
    except _net.CorruptCacheError as err:
        raise _net.CorruptCacheError(f"{name}: {err}; delete it if it is still there and retry online, "
                                     f"or use the offline {stand_in}") from err
    except ConnectionError as err:  # network errors only
        raise ConnectionError(f"{name} could not be downloaded ({type(err).__name__}: {err}); "
                              f"use the offline {stand_in} instead") from err


def _as_unit_float32(x):
    """``x / 255`` as float32, without a float64 copy (one float32 array, divided in place)."""
    out = np.asarray(x).astype(np.float32)
    out /= np.float32(255)
    return out


def _splits(train, test, class_names, val, seed):
    (x_train, y_train), (x_test, y_test) = train, test
    x_train, x_test = _as_unit_float32(x_train), _as_unit_float32(x_test)
    if x_train.ndim == 3:
        x_train, x_test = x_train[..., None], x_test[..., None]
    y_train, y_test = np.ravel(y_train).astype(np.int64), np.ravel(y_test).astype(np.int64)
    part = split_arrays(x_train, y_train, class_names, val=val, test=0.0, seed=seed)
    return Splits(part.train, part.val, Split(x_test, y_test), list(class_names))


@contract(val=Fraction(), seed=Seed(), timeout=Number(low=0, low_open=True))
def fetch_mnist(*, val=0.15, seed=0, timeout=30.0):
    """MNIST (60,000 + 10,000 handwritten digits, 28 × 28 × 1, float32 in [0, 1]); ``val`` of train is held out.

    Args:
        val: the share of the 60,000 training images held out for validation (stratified).
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` for that split.
        timeout: seconds allowed for the connection and each read of the download (the host is probed
            for at most 5 s first).

    Returns:
        A :class:`~cnnkit.data.Splits` whose test part is MNIST's own test set.

    Raises:
        TypeError, ValueError: a wrong argument, before anything is downloaded.
        ConnectionError: MNIST is neither cached nor reachable (the message names ``cnnkit.data.load_digits``).
        OSError: the cached file is corrupt (the message names it).

    Example:
        >>> fetch_mnist(val=2.0)                              # checked before any download
        Traceback (most recent call last):
        ...
        ValueError: val must be in [0, 1), got 2
        >>> fetch_mnist(val=0.1).val.x.shape                 # doctest: +SKIP
        (6000, 28, 28, 1)
    """
    train, test = _load("mnist", _read_mnist, timeout)
    return _splits(train, test, [str(d) for d in range(10)], val, seed)


@contract(val=Fraction(), seed=Seed(), timeout=Number(low=0, low_open=True))
def fetch_cifar10(*, val=0.15, seed=0, timeout=60.0):
    """CIFAR-10 (50,000 + 10,000 colour photos, 32 × 32 × 3, float32 in [0, 1]); ``val`` of train is held out.

    Args:
        val: the share of the 50,000 training images held out for validation (stratified).
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` for that split.
        timeout: seconds allowed for the connection and each read of the download.

    Returns:
        A :class:`~cnnkit.data.Splits` whose test part is CIFAR-10's own test set, class names
        ``CIFAR10_CLASSES``.

    Raises:
        TypeError, ValueError: a wrong argument, before anything is downloaded.
        ConnectionError: CIFAR-10 is neither cached nor reachable (the message names
            ``cnnkit.data.make_shapes``).
        OSError: the cached file is corrupt (the message names it).

    Example:
        >>> fetch_cifar10(seed=-1)                            # checked before any download
        Traceback (most recent call last):
        ...
        ValueError: seed must be ≥ 0, got -1
        >>> fetch_cifar10().class_names[:3]                  # doctest: +SKIP
        ['airplane', 'automobile', 'bird']
    """
    train, test = _load("cifar10", _read_cifar10, timeout)
    return _splits(train, test, list(CIFAR10_CLASSES), val, seed)
