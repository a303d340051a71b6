"""Training runs that survive an interruption, and that you can watch: the four Keras callbacks, set up once.

A Colab session can disconnect in the middle of a long ``fit``. With :func:`callbacks`, re-running the
same cell resumes where the run stopped (``BackupAndRestore``), the best validation epoch is kept
(``ModelCheckpoint``), and the curves go to TensorBoard and to a CSV file::

    >>> import numpy as np, keras
    >>> from cnnkit import training
    >>> run = training.run_dir("doc-example", root=getfixture("tmp_path"))
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    >>> model.compile("sgd", "sparse_categorical_crossentropy")
    >>> x, y = np.random.default_rng(0).normal(size=(32, 4)), np.arange(32) % 2
    >>> history = model.fit(x, y, validation_split=0.25, epochs=3, verbose=0,
    ...                     callbacks=training.callbacks(run, tensorboard=False))
    >>> training.read_log(run)["epoch"].tolist()
    [0, 1, 2]
    >>> training.restore_best(model, run) in (0, 1, 2)        # the best validation epoch's weights
    True

Resume after a crash: run the same ``fit(..., callbacks=training.callbacks(run))`` again; Keras reloads
the last finished epoch from ``run/backup`` and goes on. The backup is deleted when a run finishes, so
a finished run that you start again trains from the start (and its CSV log starts again too).
"""
import json
import os
from pathlib import Path

from cnnkit._checks import Bool, Choice, KerasModel, PathLike, Seed, Str, check_choice, contract, int_seed

#: where :func:`run_dir` puts runs on Colab when Google Drive is mounted (they survive the session)
COLAB_DRIVE = Path("/content/drive/MyDrive")
_RUN = PathLike().describe("a folder path (str or os.PathLike)")


@contract(name=Str(), root=PathLike() | None)
def run_dir(name, *, root=None):
    """The folder of the run called ``name``: under ``root`` if given, else Google Drive on Colab, else ``runs/``.

    On Colab with Drive mounted (``from google.colab import drive; drive.mount("/content/drive")``) the
    folder is ``MyDrive/cnnkit-runs/<name>``, so checkpoints outlive a disconnected session; otherwise
    it is ``runs/<name>`` beside the notebook. The folder is created.

    Args:
        name: one folder name (no ``/``, ``.`` or ``..``: a run stays inside its root).
        root: the folder that holds the runs, or None for the default above.

    Returns:
        The run's folder, a :class:`pathlib.Path`.

    Raises:
        TypeError: ``name`` is not a string.
        ValueError: ``name`` is not one folder name.

    Example:
        >>> run_dir("05_cnn", root="/tmp/cnnkit-doc").as_posix()
        '/tmp/cnnkit-doc/05_cnn'
    """
    if name.strip() in (".", "..") or any(sep in name for sep in ("/", "\\", os.sep, os.altsep) if sep):
        raise ValueError(f"name must be one folder name inside root (no '/', '\\', '.' or '..'), got {name!r}")
    if root is None:
        root = COLAB_DRIVE / "cnnkit-runs" if COLAB_DRIVE.is_dir() else Path("runs")
    path = Path(root).expanduser() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


@contract(run=_RUN, backup=Bool(), best=Bool(), tensorboard=Bool(), csv=Bool(), monitor=Str(),
          mode=Choice("auto", "min", "max"), seed=Seed() | None)
def callbacks(run, *, backup=True, best=True, tensorboard=True, csv=True, monitor="val_loss", mode="auto", seed=None):
    """Keras callbacks that make the run in folder ``run`` resumable, keep its best epoch and log it.

    Evaluate the best epoch, not the last: ``restore_best(model, run)`` after ``fit``.

    Args:
        run: the run's folder (a ``str`` or ``Path``; see :func:`run_dir`), created if missing.
        backup: ``BackupAndRestore(run/backup)`` — after a crash or a disconnect, the same ``fit`` call
            resumes from the last finished epoch (weights, optimizer state and epoch number).
        best: ``ModelCheckpoint(run/best.weights.h5, monitor, save_best_only=True)`` — the weights of
            the best epoch by ``monitor`` (load them with :func:`restore_best`).
        tensorboard: ``TensorBoard(run/logs)`` — open with ``%load_ext tensorboard`` then
            ``%tensorboard --logdir runs`` (JupyterLab and Colab alike).
        csv: ``CSVLogger(run/history.csv)`` — one row per epoch (read it with :func:`read_log`); appended
            to while resuming, started afresh otherwise.
        monitor: the logged quantity that picks the best epoch (``"val_loss"``, ``"val_accuracy"``…).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (Keras' rule: maximise accuracies and AUCs).
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` (one int is drawn from those), or None:
            re-seed Python, NumPy and Keras with ``seed + epoch`` at the start of every epoch, so the
            shuffles and dropout masks of epoch *k* are the same whether the run went straight through
            or was resumed — with op determinism (``cnnkit.device.set_seed(seed, deterministic=True)``)
            a resumed run then ends with the very weights of an uninterrupted one.

    Returns:
        A list of Keras callbacks for ``fit(callbacks=...)``.

    Example:
        >>> run = run_dir("doc-callbacks", root=getfixture("tmp_path"))
        >>> [type(c).__name__ for c in callbacks(run, tensorboard=False, seed=0)]
        ['EpochSeed', 'BackupAndRestore', 'ModelCheckpoint', 'CSVLogger']
    """
    import keras

    if not isinstance(run, (str, os.PathLike)):
        raise TypeError(f"run must be a folder path (str or Path), got {type(run).__name__}")
    check_choice(mode, "mode", ("auto", "min", "max"))
    run = Path(run)
    run.mkdir(parents=True, exist_ok=True)
    resuming = (run / "backup").is_dir() and any((run / "backup").iterdir())
    out = [_epoch_seeder(int_seed(seed))] if seed is not None else []
    if backup:
        out.append(keras.callbacks.BackupAndRestore(str(run / "backup")))
    if best:
        out.append(keras.callbacks.ModelCheckpoint(str(run / "best.weights.h5"), monitor=monitor, mode=mode,
                                                   save_best_only=True, save_weights_only=True))
        (run / "best.json").write_text(json.dumps({"monitor": monitor, "mode": mode}))
    if tensorboard:
        out.append(keras.callbacks.TensorBoard(log_dir=str(run / "logs")))
    if csv:
        out.append(keras.callbacks.CSVLogger(str(run / "history.csv"), append=resuming))
    return out


def _epoch_seeder(seed):
    import keras

    class EpochSeed(keras.callbacks.Callback):
        """Seed Python, NumPy and Keras with ``seed + epoch`` when each epoch begins.

        Layers that draw random numbers (Dropout, noise, augmentation) own a ``SeedGenerator`` whose
        state is not part of the saved weights; each is reset to ``[seed + epoch, k]`` (k = its rank)
        so a resumed epoch draws the same masks.
        """

        def on_epoch_begin(self, epoch, logs=None):
            keras.utils.set_random_seed(seed + epoch)
            for k, generator in enumerate(_seed_generators(self.model)):
                generator.state.assign(keras.ops.convert_to_tensor([seed + epoch, k], dtype=generator.state.dtype))

    return EpochSeed()


def _seed_generators(model):
    """Every ``keras.random.SeedGenerator`` held by a layer of ``model`` (nested models included), in order."""
    import keras

    found, stack, seen = [], [model], set()
    while stack:
        layer = stack.pop(0)
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        for value in vars(layer).values():
            if isinstance(value, keras.random.SeedGenerator) and id(value) not in seen:
                seen.add(id(value))
                found.append(value)
        stack.extend(getattr(layer, "layers", []))
    return found


@contract(model=KerasModel(), run=_RUN)
def restore_best(model, run):
    """Load the best epoch's weights (saved by :func:`callbacks`) into ``model``; return that epoch (0-based).

    Args:
        model: the Keras model that was trained with ``callbacks(run, best=True)``.
        run: the run's folder.

    Returns:
        The 0-based epoch whose weights were loaded (None without a CSV log to tell it).

    Raises:
        FileNotFoundError: the run has no ``best.weights.h5`` (trained without ``best=True`` or without a
            validation set).

    Example:
        >>> import keras, numpy as np
        >>> run = run_dir("doc-restore", root=getfixture("tmp_path"))
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
        >>> model.compile("sgd", "sparse_categorical_crossentropy")
        >>> x, y = np.random.default_rng(0).normal(size=(16, 2)), np.arange(16) % 2
        >>> _ = model.fit(x, y, validation_split=0.25, epochs=2, verbose=0,
        ...               callbacks=callbacks(run, tensorboard=False))
        >>> restore_best(model, run) in (0, 1)
        True
    """
    path = Path(run) / "best.weights.h5"
    if not path.is_file():
        raise FileNotFoundError(f"run {str(run)!r} has no best.weights.h5: was it trained with "
                                "training.callbacks(run, best=True) and a validation set?")
    model.load_weights(str(path))
    return best_epoch(run)


@contract(run=_RUN)
def best_epoch(run):
    """The 0-based epoch whose weights ``best.weights.h5`` holds, read from the CSV log (None without one).

    Args:
        run: the run's folder.

    Returns:
        The epoch (an int), or None when the run has no ``best.json`` or no ``history.csv``.

    Example:
        >>> best_epoch("/no/such/run") is None
        True
    """
    settings, log = Path(run) / "best.json", Path(run) / "history.csv"
    if not settings.is_file() or not log.is_file():
        return None
    settings = json.loads(settings.read_text())
    values = read_log(run).set_index("epoch")[settings["monitor"]]
    mode = settings["mode"]
    if mode == "auto":  # Keras' rule: maximise accuracies and AUCs, minimise the rest
        mode = "max" if any(k in settings["monitor"] for k in ("acc", "auc", "fmeasure")) else "min"
    return int(values.idxmax() if mode == "max" else values.idxmin())


@contract(run=_RUN)
def read_log(run):
    """The CSV log of the run (one row per epoch, columns ``epoch``, ``loss``, ``val_loss``…) as a DataFrame.

    Args:
        run: the run's folder.

    Returns:
        A ``pandas.DataFrame`` with one row per finished epoch.

    Raises:
        FileNotFoundError: the run has no ``history.csv`` (train with ``callbacks(run, csv=True)``).

    Example:
        >>> run = run_dir("doc-log", root=getfixture("tmp_path"))
        >>> import pandas as pd
        >>> pd.DataFrame({"epoch": [0, 1], "loss": [0.9, 0.7], "val_loss": [1.0, 0.8]}).to_csv(
        ...     run / "history.csv", index=False)                 # what CSVLogger writes
        >>> read_log(run)["val_loss"].tolist()
        [1.0, 0.8]
    """
    import pandas as pd

    path = Path(run) / "history.csv"
    if not path.is_file():
        raise FileNotFoundError(f"run {str(run)!r} has no history.csv (train with training.callbacks(run, csv=True))")
    return pd.read_csv(path)
