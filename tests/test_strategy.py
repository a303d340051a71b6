"""cnnkit.device.strategy: data parallelism over replicas gives the same step as one device.

Two logical CPU devices stand in for two GPUs (on one CPU this shows correctness, not speed). The check
runs in a subprocess because logical devices must be configured before TensorFlow starts.
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    import cnnkit, keras, tensorflow as tf
    from cnnkit import device

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")

    def one_step(strategy, batch):
        keras.utils.set_random_seed(0)
        with strategy.scope():
            model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(2, activation="softmax")])
            model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
        history = model.fit(x, y, batch_size=batch, epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
        return strategy.num_replicas_in_sync, history.history["loss"][0], model.get_weights()

    mirrored, default = device.strategy(devices=["/CPU:0", "/CPU:1"]), device.strategy()
    b2, b1 = device.global_batch_size(8, mirrored), device.global_batch_size(8, default)
    r2, loss2, w2 = one_step(mirrored, b2)   # 8 examples per replica, 16 in all
    r1, loss1, w1 = one_step(default, b2)    # the same 16 examples on one device
    print(json.dumps({"replicas": [r2, r1], "batch": [b2, b1], "kind": type(mirrored).__name__,
                      "default": type(default).__name__,
                      "loss_diff": abs(loss2 - loss1),
                      "weight_diff": max(float(np.abs(a - b).max()) for a, b in zip(w2, w1))}))
""")


@pytest.mark.slow
def test_two_replicas_take_the_same_step_as_one_device():
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["kind"] == "MirroredStrategy" and result["replicas"] == [2, 1]
    assert result["batch"] == [16, 8]                # the global batch scales with the replicas
    assert result["default"] != "MirroredStrategy"   # one GPU or none: the default strategy
    assert result["loss_diff"] < 1e-5 and result["weight_diff"] < 1e-5, result
