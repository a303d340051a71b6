"""cnnkit: the small package behind the cnnkit course.

Submodules are imported on first use, so ``import cnnkit`` is instant and only the
lessons that need TensorFlow pay for it::

    >>> import cnnkit
    >>> cnnkit.ops.output_size(32, 3, stride=1, padding="same")
    32

Importing cnnkit also imports TensorFlow once with its C++ start-up banner silenced (the
oneDNN and "no CUDA driver" lines that absl writes to stderr before any log level applies), and
sets ``TF_CPP_MIN_LOG_LEVEL=3`` unless you set it yourself, so notebook outputs stay readable.
Import cnnkit before tensorflow.
"""
import importlib
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TF's C++ INFO/WARNING log
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _import_tensorflow_quietly():
    """Import TensorFlow with file descriptor 2 pointed at /dev/null (its banner ignores log levels)."""
    if "tensorflow" in sys.modules or os.environ.get("KERAS_BACKEND") != "tensorflow":
        return
    try:
        sys.stderr.flush()
        saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):  # no real stderr (embedded interpreters): import as usual
        saved = None
    if saved is not None:
        os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        pass
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)


_import_tensorflow_quietly()

__version__ = "0.1.0"

_SUBMODULES = {
    "audio", "audio_tf", "datasets", "device", "explain", "images", "kernels", "metrics", "models",
    "notebook_runner", "ops", "preprocess", "recommend", "style", "style_losses", "transfer_learning",
    "viz", "weights",
}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"cnnkit.{name}")
    raise AttributeError(f"module 'cnnkit' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
