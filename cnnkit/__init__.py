"""cnnkit: the small package behind the cnnkit course.

The package follows the course: the generic lessons (00–06) are top-level modules, each application
is one namespace::

    cnnkit.device, images, kernels, ops, models, metrics, explain, transfer_learning, pretrained, viz
    cnnkit.data       what lessons 04–06 share: splits, shapes, digits, MNIST, CIFAR-10
    cnnkit.style      lesson 07: style transfer (Gatys et al. 2015)
    cnnkit.medical    lesson 08: diabetic retinopathy
    cnnkit.music      lessons 09–10: genres from spectrograms, cold-start recommendation

Submodules load on first use, and ``import cnnkit`` imports no TensorFlow, so the NumPy-only lessons
start at once::

    >>> import sys, cnnkit
    >>> cnnkit.ops.output_size(32, 3, stride=1, padding="same")
    32
    >>> "tensorflow" in sys.modules and "cnnkit.models" not in sys.modules  # nothing imported TF yet
    False

Importing cnnkit also arranges for TensorFlow's C++ start-up banner (the oneDNN and "no CUDA driver"
lines that absl writes to stderr before any log level applies) to be held back when TensorFlow is
first imported, by you or by cnnkit, and replayed if the import fails or the process dies in it, so
notebook outputs stay readable and a fatal message is never lost (see :mod:`cnnkit._tf`).

It also sets ``TF_CPP_MIN_LOG_LEVEL=3`` when you have not set it yourself, for the whole process: TensorFlow's
C++ INFO, WARNING and ERROR log lines (device placement, XLA, cuDNN autotuning notes) stay hidden for the rest
of the session; FATAL ones, which come before a crash, still print. To see them, set it to 0 before the first
``import tensorflow`` (``os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"``); ``CNNKIT_QUIET_TF=0`` (before
``import cnnkit``) turns both the banner hook and this default off.
"""
import lazy_loader as _lazy

from cnnkit import _tf

__version__ = "0.2.0"

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=[
    "data", "device", "exercises", "explain", "images", "kernels", "medical", "metrics", "models", "music", "ops",
    "pretrained", "style", "training", "transfer_learning", "viz",
])

_tf.quiet_tensorflow_import()
