"""Where the heavy work runs: pick the GPU when TensorFlow sees one, describe the machine, seed everything.

    >>> from cnnkit.device import pick_device, set_seed
    >>> set_seed(0)
    >>> pick_device() in ("/GPU:0", "/CPU:0")
    True

Notebooks run their heavy cells inside ``with tf.device(pick_device()):``.
"""
import os
import platform
import random

import numpy as np

COLAB_HINT = "No GPU found. On Colab: Runtime → Change runtime type → Hardware accelerator: GPU."


def _tf():
    import tensorflow as tf  # imported lazily: cnnkit.device is cheap to import

    return tf


def gpus():
    """The physical GPUs TensorFlow can see (an empty list on a CPU-only machine)."""
    try:
        return _tf().config.list_physical_devices("GPU")
    except Exception:  # noqa: BLE001 - a broken CUDA install must not stop a CPU lesson
        return []


def has_gpu():
    """True when TensorFlow sees at least one GPU."""
    return len(gpus()) > 0


def pick_device():
    """``"/GPU:0"`` when TensorFlow sees a GPU, else ``"/CPU:0"``."""
    return "/GPU:0" if has_gpu() else "/CPU:0"


def _gpu_details(tf, gpu):
    details = {}
    try:
        details = tf.config.experimental.get_device_details(gpu) or {}
    except Exception:  # noqa: BLE001
        pass
    name = details.get("device_name", gpu.name)
    memory = None
    try:
        import subprocess

        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=5,
        ).stdout.split()
        memory = float(out[0]) / 1024 if out else None
    except Exception:  # noqa: BLE001 - nvidia-smi is optional
        pass
    return name, memory


def describe(file=None):
    """Print the versions, the devices, the GPU's name and memory, and a hint when there is no GPU.

    Returns a dict of what it printed, so tests and notebooks can use the values.
    """
    tf = _tf()
    import keras

    info = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "keras_backend": keras.backend.backend(),
        "cpu_cores": os.cpu_count(),
        "devices": [d.name for d in tf.config.list_physical_devices()],
        "gpus": [],
        "device": pick_device(),
    }
    for gpu in gpus():
        name, memory = _gpu_details(tf, gpu)
        info["gpus"].append({"name": name, "memory_gib": memory})
    lines = [
        f"Python {info['python']} · TensorFlow {info['tensorflow']} · Keras {info['keras']} "
        f"(backend: {info['keras_backend']})",
        f"CPU cores: {info['cpu_cores']}",
        f"Devices: {', '.join(info['devices'])}",
    ]
    for g in info["gpus"]:
        mem = f", {g['memory_gib']:.1f} GiB" if g["memory_gib"] else ""
        lines.append(f"GPU: {g['name']}{mem}")
    if not info["gpus"]:
        lines.append(COLAB_HINT)
    lines.append(f"Heavy cells will run on {info['device']}")
    print("\n".join(lines), file=file)
    return info


def set_seed(seed=42):
    """Seed Python's ``random``, NumPy and Keras/TensorFlow so a run can be repeated (returns None)."""
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    try:
        import keras

        keras.utils.set_random_seed(seed)  # seeds Python, NumPy and the backend (TF) together
    except ImportError:  # pragma: no cover - keras is a hard requirement, but stay useful without it
        pass
