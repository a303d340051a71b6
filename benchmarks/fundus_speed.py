"""How fast the lesson-08 data is made and the lesson-08 grader trains: what notebook 08's time budget pays for.

    python benchmarks/fundus_speed.py               # fundus images, Ben Graham, one test part, grader epochs
    python benchmarks/fundus_speed.py --repeat 3    # best of 3

Prints wall time and CPU time (process time: every core the process used, meaningful on a busy machine) for each
case, items per CPU second, and the machine it ran on. The grader cases train notebook 08's CNN (standardise →
three conv/ReLU/pool blocks of 8, 16, 32 filters → GAP → 64 → 5) for a few epochs on 1,120 Ben Graham images, the
training part of ``N_IMAGES = 1600``, at 48 px (the notebook's CPU default) and at 64 px.
"""
import argparse
import os
import platform
import time

import numpy as np

from cnnkit.medical import make_fundus
from cnnkit.medical.graham import ben_graham

CASES = ((2_000, 128), (500, 256))
GRADER_SIZES, GRADER_EPOCHS, GRADER_IMAGES = (48, 64), 4, 1_120


def timed(fn, repeat):
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        best_wall, best_cpu = min(best_wall, time.perf_counter() - wall), min(best_cpu, time.process_time() - cpu)
    return out, best_wall, best_cpu


def grader(size):
    import keras

    inputs = keras.Input((size, size, 3))
    x = keras.layers.Normalization(mean=0.5, variance=0.01)(inputs)
    for b in range(3):
        x = keras.layers.Conv2D(8 * 2 ** b, 3, padding="same")(x)
        x = keras.layers.MaxPooling2D(2)(keras.layers.Activation("relu")(x))
    x = keras.layers.Dense(64, activation="relu")(keras.layers.GlobalAveragePooling2D()(x))
    net = keras.Model(inputs, keras.layers.Dense(5, activation="softmax")(x))
    net.compile(optimizer=keras.optimizers.Adam(4e-3), loss="sparse_categorical_crossentropy")
    return net


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the best is reported")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
          f" · load average {os.getloadavg()[0]:.1f}")
    print(f"{'task':<44} {'wall s':>8} {'CPU s':>8} {'items/s (CPU)':>14}")
    for n, size in CASES:
        data, wall, cpu = timed(lambda: make_fundus(n, size=size, seed=0, progress=False), args.repeat)
        print(f"{f'make_fundus({n:,}, size={size})':<44} {wall:>8.2f} {cpu:>8.2f} {n / cpu:>14,.0f}")
        photos = np.round(data.train.x[:200] * 255).astype(np.uint8)
        _, wall, cpu = timed(lambda: [ben_graham(p, radius=size // 2) for p in photos], args.repeat)
        print(f"{f'ben_graham × 200 at {size}²':<44} {wall:>8.2f} {cpu:>8.2f} {200 / cpu:>14,.0f}")
    part, wall, cpu = timed(lambda: make_fundus(1_600, size=48, seed=0, camera="handheld", parts=("test",)),
                            args.repeat)
    print(f"{'make_fundus(1,600, size=48, parts=(test,))':<44} {wall:>8.2f} {cpu:>8.2f} {len(part.test) / cpu:>14,.0f}")
    import cnnkit  # noqa: F401  (before TensorFlow: keeps its start-up log quiet)
    rng = np.random.default_rng(0)
    for size in GRADER_SIZES:
        x = (0.5 + 0.1 * rng.standard_normal((GRADER_IMAGES, size, size, 3))).astype("float32")
        y = rng.integers(0, 5, GRADER_IMAGES)
        net = grader(size)
        net.fit(x, y, batch_size=32, epochs=1, verbose=0)              # build and trace outside the timing
        _, wall, cpu = timed(lambda: net.fit(x, y, batch_size=32, epochs=GRADER_EPOCHS, verbose=0), args.repeat)
        label = f"grader, {GRADER_EPOCHS} epochs × {GRADER_IMAGES:,} images at {size}²"
        print(f"{label:<44} {wall:>8.2f} {cpu:>8.2f} {GRADER_EPOCHS * GRADER_IMAGES / cpu:>14,.0f}")


if __name__ == "__main__":
    main()
