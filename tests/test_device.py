import random

import numpy as np
import pytest

from cnnkit import device


def test_pick_device_matches_what_tensorflow_sees():
    import tensorflow as tf

    expected = "/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"
    assert device.pick_device() == expected


def test_describe_prints_versions_devices_and_hint(capsys):
    import keras
    import tensorflow as tf

    info = device.describe()
    out = capsys.readouterr().out
    assert tf.__version__ in out and keras.__version__ in out
    assert info["device"] == device.pick_device()
    if not info["gpus"]:
        assert "Runtime → Change runtime type" in out
    else:
        assert "GPU:" in out


def test_set_seed_repeats_python_numpy_and_keras():
    import keras

    def draw():
        device.set_seed(7)
        return random.random(), np.random.rand(), float(keras.random.uniform(()).numpy())

    assert draw() == draw()


@pytest.mark.parametrize("bad", [-1, 1.5, "7", None])
def test_set_seed_rejects_bad_seed(bad):
    with pytest.raises(ValueError, match="seed"):
        device.set_seed(bad)
