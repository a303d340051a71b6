"""Where the heavy work runs: pick the GPU when TensorFlow sees one, describe the machine, seed everything.

    >>> from cnnkit.device import pick_device, set_seed
    >>> set_seed(0)
    >>> pick_device() in ("/GPU:0", "/CPU:0")
    True

Notebooks run their heavy cells inside ``with tf.device(pick_device()):``.
"""
import io
import os
import platform
import subprocess

from cnnkit._checks import Bool, Has, Int, PathLike, Seed, Seq, Str, check_bool, check_int, contract, int_seed

COLAB_HINT = "No GPU found. On Colab: Runtime → Change runtime type → Hardware accelerator: GPU."


def _tf():
    import tensorflow as tf  # imported lazily: cnnkit.device is cheap to import

    return tf


def _default_strategy():
    return _tf().distribute.get_strategy()


@contract()
def gpus():
    """The physical GPUs TensorFlow can see (an empty list on a CPU-only machine).

    A broken CUDA install gives an empty list rather than an error, so a CPU lesson still runs.

    Returns:
        A list of TensorFlow ``PhysicalDevice`` objects.

    Example:
        >>> isinstance(gpus(), list)
        True
    """
    try:
        return _tf().config.list_physical_devices("GPU")
    except Exception:  # noqa: BLE001 - a broken CUDA install must not stop a CPU lesson
        return []


@contract()
def has_gpu():
    """True when TensorFlow sees at least one GPU.

    Returns:
        A bool.

    Example:
        >>> has_gpu() == (len(gpus()) > 0)
        True
    """
    return len(gpus()) > 0


@contract()
def pick_device():
    """``"/GPU:0"`` when TensorFlow sees a GPU, else ``"/CPU:0"``: where the heavy cells run.

    Returns:
        A TensorFlow device name, for ``with tf.device(pick_device()):``.

    Example:
        >>> pick_device() in ("/GPU:0", "/CPU:0")
        True
    """
    return "/GPU:0" if has_gpu() else "/CPU:0"


def _gpu_memory_gib():
    """Total memory of each GPU in GiB, in nvidia-smi's order (one query); empty when nvidia-smi is absent."""
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    memory = []
    for line in out.splitlines():
        try:
            memory.append(float(line.strip()) / 1024)
        except ValueError:  # "[N/A]" on some boards
            memory.append(None)
    return memory


def _smi_index(position):
    """nvidia-smi's index of the GPU TensorFlow lists at ``position`` (CUDA_VISIBLE_DEVICES honoured when numeric)."""
    visible = [v.strip() for v in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if v.strip()]
    if visible and all(v.isdigit() for v in visible) and position < len(visible):
        return int(visible[position])
    return position


@contract(file=Has("write", what="a writable text stream (sys.stdout, an open file, io.StringIO())",
                   example=io.StringIO) | None)
def describe(file=None):
    """Print the versions, the devices, each GPU's name and memory, and a hint when there is no GPU.

    GPU memory comes from one ``nvidia-smi`` query, matched to TensorFlow's GPUs by position (None without
    nvidia-smi).

    Args:
        file: where to print, a writable text stream (None: ``sys.stdout``).

    Returns:
        A dict of what it printed (``python``, ``tensorflow``, ``keras``, ``keras_backend``, ``cpu_cores``,
        ``devices``, ``gpus`` as ``[{"name", "memory_gib"}]``, ``device``, ``versions``).

    Example:
        >>> import io
        >>> info = describe(file=io.StringIO())
        >>> info["device"] == pick_device() and len(info["gpus"]) == len(gpus())
        True
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
    found = gpus()
    memory = _gpu_memory_gib() if found else []
    for position, gpu in enumerate(found):
        try:
            details = tf.config.experimental.get_device_details(gpu) or {}
        except Exception:  # noqa: BLE001 - details are optional
            details = {}
        index = _smi_index(position)
        info["gpus"].append({"name": details.get("device_name", gpu.name),
                             "memory_gib": memory[index] if index < len(memory) else None})
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
    info["versions"] = versions()
    drift = [(name, have, want) for name, (have, want) in info["versions"].items() if want and have != want]
    lines.append(f"Versions (installed / verified by the last green CI run, {LOCK_FILE}): " + ", ".join(
        f"{name} {have or 'missing'}" + (f" / {want}" if want and have != want else " ✓" if want else "")
        for name, (have, want) in info["versions"].items()))
    if drift:
        lines.append(f"If something breaks, `pip install -r {LOCK_FILE}` installs the verified versions.")
    print("\n".join(lines), file=file)
    return info


#: the lock file of this Python (one per supported version: requirements-lock-py310.txt … py313)
LOCK_FILE = f"requirements-lock-py3{platform.python_version_tuple()[1]}.txt"
#: the packages whose versions :func:`describe` compares with the lock file
KEY_PACKAGES = ("tensorflow", "keras", "numpy", "scipy", "scikit-learn", "librosa", "matplotlib", "jupyterlab")


@contract(packages=Seq(Str(), what="a list of package names"), lock=PathLike() | None)
def versions(packages=KEY_PACKAGES, lock=None):
    """``{package: (installed version or None, verified version or None)}`` for the course's key packages.

    The verified versions are read from this Python's lock file, ``requirements-lock-py3XX.txt``
    (:data:`LOCK_FILE`, the exact versions of the last green CI run), found beside the repository's
    ``requirements.txt`` when cnnkit is installed from a clone; None when there is no lock file (a wheel
    install).

    Args:
        packages: a list of package names (as pip knows them).
        lock: a lock file to read instead (None: this Python's, beside the repository).

    Returns:
        A dict ``{name: (installed or None, verified or None)}``.

    Example:
        >>> v = versions(("numpy",))
        >>> import numpy; v["numpy"][0] == numpy.__version__
        True
    """
    from importlib import metadata
    from pathlib import Path

    lock = Path(__file__).resolve().parent.parent / LOCK_FILE if lock is None else Path(lock)
    pinned = {}
    if lock.is_file():
        for line in lock.read_text(encoding="utf-8").splitlines():
            name, sep, version = line.strip().partition("==")
            if sep:
                pinned[name.lower().replace("_", "-")] = version.split(";")[0].strip()
    out = {}
    for name in packages:
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        out[name] = (have, pinned.get(name.lower().replace("_", "-")))
    return out


@contract(devices=Seq(Str(), min_len=0, what="a list of device names") | None)
def strategy(devices=None):
    """The ``tf.distribute`` strategy for this machine: data parallelism over every GPU when there are two or more.

    Build and compile the model inside ``with strategy.scope():`` and feed ``fit`` a global batch of
    :func:`global_batch_size` examples: each replica takes its share, computes its gradients, and the
    gradients are summed across replicas (all-reduce) before every replica applies the same update. One
    host only: ``MultiWorkerMirroredStrategy`` fails with Keras 3 (keras-team/keras#20585); across hosts,
    use Keras' own distribution API on the JAX backend (``keras.distribution.DataParallel``).

    Args:
        devices: a list of the devices to mirror over (e.g. ``["/GPU:0", "/GPU:1"]``, or two logical CPUs to
            try it on a laptop; one name alone is still a list: ``["/CPU:0"]``); None means every GPU
            TensorFlow sees.

    Returns:
        ``tf.distribute.MirroredStrategy(devices)`` for two or more devices, else the default strategy (one
        device; ``strategy.scope()`` then changes nothing).

    Example:
        >>> strategy().num_replicas_in_sync >= 1
        True
    """
    tf = _tf()
    if devices is None:
        devices = [d.name for d in tf.config.list_logical_devices("GPU")]
    devices = list(devices)
    if len(devices) < 2:
        return tf.distribute.get_strategy()
    return tf.distribute.MirroredStrategy(devices=devices)


@contract(per_replica=Int(low=1),
          strategy=Has("num_replicas_in_sync", what="a tf.distribute strategy", example=_default_strategy) | None)
def global_batch_size(per_replica, strategy=None):
    """The batch to give ``fit``: ``per_replica`` examples on each of the strategy's replicas.

    Args:
        per_replica: examples per replica (≥ 1).
        strategy: a ``tf.distribute`` strategy (anything with ``num_replicas_in_sync``), or None for one device.

    Returns:
        ``per_replica × replicas``, an int.

    Example:
        >>> global_batch_size(32)        # one device
        32
    """
    per_replica = check_int(per_replica, "per_replica", low=1)
    replicas = 1 if strategy is None else strategy.num_replicas_in_sync
    return per_replica * replicas


@contract(seed=Seed(), deterministic=Bool())
def set_seed(seed=42, *, deterministic=False):
    """Seed Python's ``random``, NumPy's global generator and TensorFlow/Keras, so a run can be repeated.

    It calls ``keras.utils.set_random_seed(seed)``, which seeds ``random``, ``numpy.random`` and
    ``tf.random`` and resets Keras' global seed generator (``keras.random`` draws). It does not set
    ``PYTHONHASHSEED``: that only takes effect when set before Python starts.

    Args:
        seed: an int in ``[0, 2**32 - 1]``, a NumPy ``SeedSequence`` or ``Generator`` (one 32-bit word is
            drawn from those, as :func:`cnnkit._checks.int_seed` does).
        deterministic: also call ``tf.config.experimental.enable_op_determinism()``, so that TensorFlow ops
            (cuDNN convolutions on a GPU included) give the same result on every run. Slower on a GPU; it
            stays on for the rest of the process (TensorFlow cannot turn it off), and ops without a
            deterministic kernel then raise an error instead of running. With False the setting is left as
            it is.

    Example:
        >>> import numpy as np
        >>> set_seed(7); a = np.random.rand()
        >>> set_seed(7); a == np.random.rand()
        True
    """
    seed = check_int(int_seed(seed), "seed", low=0, high=2**32 - 1)
    deterministic = check_bool(deterministic, "deterministic")
    import keras

    keras.utils.set_random_seed(seed)
    # Keras < 3.13 (the newest on Python 3.10 is 3.12) keeps its global seed generator across set_random_seed, so
    # unseeded keras.random draws and initializers would not repeat; drop it as newer Keras does.
    from keras.src.backend.common import global_state

    global_state.set_global_attribute("global_seed_generator", None)
    if deterministic:
        _tf().config.experimental.enable_op_determinism()
