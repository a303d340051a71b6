import os
import random
import subprocess

import cnnkit  # noqa: F401  (before TensorFlow: quiet start-up)
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


class FakeGPU:
    def __init__(self, i):
        self.name = f"/physical_device:GPU:{i}"


@pytest.fixture
def two_gpus(monkeypatch):
    """TensorFlow sees two GPUs; nvidia-smi reports 80 GiB for the first and 40 GiB for the second."""
    import tensorflow as tf

    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, stdout="81920\n40960\n", stderr="")

    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.setattr(device, "gpus", lambda: [FakeGPU(0), FakeGPU(1)])
    monkeypatch.setattr(device.subprocess, "run", fake_run)
    monkeypatch.setattr(tf.config.experimental, "get_device_details",
                        lambda gpu: {"device_name": f"Board {gpu.name[-1]}"})
    return calls


def test_describe_reports_each_gpus_own_memory_from_one_query(two_gpus, capsys):
    info = device.describe()
    assert [(g["name"], g["memory_gib"]) for g in info["gpus"]] == [("Board 0", 80.0), ("Board 1", 40.0)]
    assert len(two_gpus) == 1                                    # nvidia-smi ran once
    out = capsys.readouterr().out
    assert "GPU: Board 0, 80.0 GiB" in out and "GPU: Board 1, 40.0 GiB" in out


def test_describe_follows_cuda_visible_devices(two_gpus, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1,0")           # TensorFlow's GPU 0 is nvidia-smi's 1
    info = device.describe(file=None)
    assert [g["memory_gib"] for g in info["gpus"]] == [40.0, 80.0]


def test_describe_without_nvidia_smi_has_no_memory(two_gpus, monkeypatch):
    def missing(cmd, **kwargs):
        raise FileNotFoundError("nvidia-smi")

    monkeypatch.setattr(device.subprocess, "run", missing)
    assert [g["memory_gib"] for g in device.describe()["gpus"]] == [None, None]


def test_set_seed_repeats_python_numpy_and_keras():
    import keras

    def draw():
        device.set_seed(7)
        return random.random(), np.random.rand(), float(keras.random.uniform(()).numpy())

    assert draw() == draw()


def test_set_seed_does_not_touch_pythonhashseed(monkeypatch):
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    device.set_seed(3)
    assert "PYTHONHASHSEED" not in os.environ   # it would only mislead: it acts at interpreter start-up


@pytest.mark.parametrize("deterministic", [False, True])
def test_set_seed_asks_tensorflow_for_op_determinism_only_when_told(monkeypatch, deterministic):
    import tensorflow as tf

    calls = []
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism", lambda: calls.append(True))
    device.set_seed(0, deterministic=deterministic)
    assert calls == ([True] if deterministic else [])


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (2**32, ValueError), (1.5, TypeError), ("7", TypeError),
                                        (None, TypeError), (True, TypeError)])
def test_set_seed_rejects_bad_seed(bad, error):
    with pytest.raises(error, match="seed"):
        device.set_seed(bad)


def test_set_seed_options_are_keyword_only_and_checked():
    with pytest.raises(TypeError, match="positional"):
        device.set_seed(0, True)
    with pytest.raises(TypeError, match="deterministic"):
        device.set_seed(0, deterministic="yes")


def test_versions_compare_the_installed_with_the_lock_file(tmp_path):
    import numpy as np

    lock = tmp_path / "requirements-lock.txt"
    lock.write_text("# header\nnumpy==0.0.1\n    # via scipy\nscikit_learn==9.9\n")
    v = device.versions(("numpy", "scikit-learn", "not-a-package"), lock=lock)
    assert v["numpy"] == (np.__version__, "0.0.1")
    assert v["scikit-learn"][1] == "9.9"                       # names compared as pip normalises them
    assert v["not-a-package"] == (None, None)
    assert device.versions(("numpy",), lock=tmp_path / "absent.txt")["numpy"][1] is None


def test_describe_says_how_to_get_the_verified_versions_when_they_drift(monkeypatch):
    import io

    monkeypatch.setattr(device, "versions", lambda: {"tensorflow": ("2.99.0", "2.21.0"), "keras": ("3.15.1", "3.15.1")})
    out = io.StringIO()
    device.describe(file=out)
    assert "tensorflow 2.99.0 / 2.21.0" in out.getvalue() and "keras 3.15.1 ✓" in out.getvalue()
    assert f"pip install -r {device.LOCK_FILE}" in out.getvalue() and device.LOCK_FILE.startswith("requirements-lock-py3")


def test_global_batch_size_scales_with_the_replicas():
    class Two:
        num_replicas_in_sync = 2

    assert device.global_batch_size(16, Two()) == 32
    with pytest.raises(ValueError, match="per_replica must be ≥ 1"):
        device.global_batch_size(0)
