"""cnnkit.training: a run killed with SIGKILL resumes and ends with the weights of an uninterrupted run."""
import os
import signal
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from cnnkit import training

# A small model trained for 5 epochs with every callback on; KILL_AFTER kills the process (SIGKILL, as a
# disconnect or an out-of-memory kill would) at the end of that epoch, after the backup was written.
SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import cnnkit, keras, tensorflow as tf
    from cnnkit import training

    keras.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    run, kill_after = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int64")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dropout(0.2), keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")

    class Kill(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == kill_after:
                os.kill(os.getpid(), signal.SIGKILL)

    model.fit(x, y, epochs=5, batch_size=32, validation_split=0.25, verbose=0,
              callbacks=training.callbacks(run, seed=0) + [Kill()])
    np.save(os.path.join(run, "final.npy"), np.concatenate([w.ravel() for w in model.get_weights()]))
""")


def train(run, kill_after=-1):
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    return subprocess.run([sys.executable, "-c", SCRIPT, str(run), str(kill_after)], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_weights_bit_for_bit(tmp_path):
    whole = train(tmp_path / "whole")
    assert whole.returncode == 0, whole.stderr[-2000:]

    killed = train(tmp_path / "resumed", kill_after=1)              # dies at the end of the 2nd epoch
    assert killed.returncode == -signal.SIGKILL
    assert not (tmp_path / "resumed" / "final.npy").exists()
    assert training.read_log(tmp_path / "resumed")["epoch"].tolist() == [0, 1]

    resumed = train(tmp_path / "resumed")                            # the same command, run again
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert training.read_log(tmp_path / "resumed")["epoch"].tolist() == [0, 1, 2, 3, 4]  # epochs 2-4 only
    a, b = np.load(tmp_path / "whole" / "final.npy"), np.load(tmp_path / "resumed" / "final.npy")
    np.testing.assert_array_equal(a, b)                              # bit for bit
    assert training.best_epoch(tmp_path / "whole") == training.best_epoch(tmp_path / "resumed")


def test_callbacks_choose_what_they_make(tmp_path):
    names = [type(c).__name__ for c in training.callbacks(tmp_path)]
    assert names == ["BackupAndRestore", "ModelCheckpoint", "TensorBoard", "CSVLogger"]
    assert type(training.callbacks(tmp_path, seed=3)[0]).__name__ == "EpochSeed"
    assert [type(c).__name__ for c in training.callbacks(tmp_path, backup=False, tensorboard=False)] == [
        "ModelCheckpoint", "CSVLogger"]


def test_bad_arguments_name_themselves(tmp_path):
    with pytest.raises(TypeError, match="run must be a folder path"):
        training.callbacks(42)
    with pytest.raises(ValueError, match="mode must be one of"):
        training.callbacks(tmp_path, mode="largest")
    with pytest.raises(ValueError, match="name must be one folder name"):
        training.run_dir("a/b", root=tmp_path)
    with pytest.raises(FileNotFoundError, match="has no best.weights.h5"):
        training.restore_best(keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]), tmp_path)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        training.restore_best(None, tmp_path)
    with pytest.raises(FileNotFoundError, match="has no history.csv"):
        training.read_log(tmp_path)


def test_run_dir_prefers_google_drive_on_colab(tmp_path, monkeypatch):
    drive = tmp_path / "MyDrive"
    monkeypatch.setattr(training, "COLAB_DRIVE", drive)
    monkeypatch.chdir(tmp_path)
    assert training.run_dir("a") == tmp_path / "runs" / "a" or training.run_dir("a").resolve() == tmp_path / "runs" / "a"
    drive.mkdir()
    assert training.run_dir("a") == drive / "cnnkit-runs" / "a"
