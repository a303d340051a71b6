"""Input-pipeline overhead: a training step fed by cnnkit's tf.data loaders vs the same step on tensors in memory.

For each real-data route, files are generated into a temporary folder in the real layout — APTOS 2019
(``train.csv`` + ``train_images/*.png``) from ``cnnkit.medical.make_fundus`` and GTZAN
(``genres/<genre>/<genre>.000NN.wav``) from ``cnnkit.music.make_songs`` — and loaded with the course's
loaders at their default batch sizes. The same model then trains for one epoch

- on batches already in memory (``model.train_on_batch`` on tensors collected beforehand): the compute;
- fed by the pipeline without a cache (decoding every file each epoch, prefetching while the model trains);
- fed by the pipeline from its cache (decoded once; shuffled and prefetched).

Each is timed ``--repeat`` times in turn and the fastest kept, so a busy machine slows all three alike.
Overhead = pipeline time / in-memory time − 1. The goal is ≤ 10 % at the default batch sizes.

    python benchmarks/input_pipeline.py                 # both routes, the notebooks' CPU-default models
    python benchmarks/input_pipeline.py --images 320 --songs 40
"""
import argparse
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

import cnnkit  # noqa: F401  (quiet TensorFlow)


def timed_epoch(model, batches):
    start = time.perf_counter()
    n = 0
    for x, y in batches:
        model.train_on_batch(x, y)
        n += 1
    return time.perf_counter() - start, n


def run(name, build, make_dataset, repeat):
    """One route: the fastest of ``repeat`` epochs each way, measured in turn so that load hits all alike."""
    import tensorflow as tf

    model = build()
    cold_ds = make_dataset(cache=False)
    warm_ds = make_dataset(cache=True)
    memory = [(tf.constant(x), tf.constant(y)) for x, y in cold_ds]
    model.train_on_batch(*memory[0])                                      # trace once, outside the clocks
    timed_epoch(model, warm_ds)                                           # fills the cache
    t_memory, t_cold, t_warm = [], [], []
    for _ in range(repeat):
        t_memory.append(timed_epoch(model, memory)[0])
        t_cold.append(timed_epoch(model, cold_ds)[0])                     # decodes every file
        t_warm.append(timed_epoch(model, warm_ds)[0])                     # from the cache
    t_memory, t_cold, t_warm, n = min(t_memory), min(t_cold), min(t_warm), len(memory)
    print(f"{name:<34} {n:>7} {t_memory:>11.2f} {t_cold:>11.2f} {t_cold / t_memory - 1:>+9.1%} "
          f"{t_warm:>11.2f} {t_warm / t_memory - 1:>+9.1%}")
    return t_memory, t_cold, t_warm, n


def retina_route(folder, n_images, size, repeat):
    import keras
    from PIL import Image

    from cnnkit import models
    from cnnkit.medical import load_aptos, make_fundus

    data = make_fundus(n_images, size=size, seed=0, val=0, test=0, dtype="uint8")
    (folder / "train_images").mkdir()
    rows = ["id_code,diagnosis"]
    for i, (img, grade) in enumerate(zip(data.train.x, data.train.y)):
        Image.fromarray(img).save(folder / "train_images" / f"img{i:05d}.png")
        rows.append(f"img{i:05d},{int(grade)}")
    (folder / "train.csv").write_text("\n".join(rows) + "\n")

    def build():
        model = models.cnn((size, size, 3), 5, blocks=3, filters=16, dense=64)
        models.compile_model(model)
        return model

    def make_dataset(cache):
        return load_aptos(folder, size=size, cache=cache, shuffle=True, seed=0).dataset

    keras.utils.set_random_seed(0)
    return run(f"APTOS layout: {n_images} PNGs, {size} px", build, make_dataset, repeat)


def music_route(folder, n_songs, duration, repeat):
    import keras

    from cnnkit import models
    from cnnkit.music import load_gtzan, make_songs, slice_dataset

    make_songs(n_songs, duration=duration, seed=0, progress=False).to_wav(folder)
    index = load_gtzan(folder, split=None)          # made-up clips: not in the fault-filtered lists

    def build():
        model = models.cnn((64, 64, 1), len(index.genres), blocks=3, filters=16, dense=64)
        models.compile_model(model)
        return model

    def make_dataset(cache):
        return slice_dataset(index, n_mels=64, width=64, cache=cache, shuffle=True, seed=0)

    keras.utils.set_random_seed(0)
    return run(f"GTZAN layout: {n_songs} songs × {duration:g} s", build, make_dataset, repeat)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=480, help="fundus images written as PNG")
    parser.add_argument("--size", type=int, default=128, help="their side in pixels (notebook 08's CPU default)")
    parser.add_argument("--songs", type=int, default=48, help="songs written as WAV")
    parser.add_argument("--duration", type=float, default=30.0, help="their length in seconds (GTZAN's clips: 30)")
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed each way (the fastest is kept)")
    args = parser.parse_args()
    import tensorflow as tf

    print(f"{platform.machine()} · {platform.processor() or '?'} · TensorFlow {tf.__version__} · "
          f"{len(tf.config.list_physical_devices('GPU'))} GPU(s)")
    print(f"{'route':<34} {'batches':>7} {'in memory s':>11} {'no cache s':>11} {'overhead':>9} "
          f"{'cached s':>11} {'overhead':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "aptos").mkdir()
        retina_route(Path(tmp) / "aptos", args.images, args.size, args.repeat)
        (Path(tmp) / "gtzan").mkdir()
        music_route(Path(tmp) / "gtzan", args.songs, args.duration, args.repeat)


if __name__ == "__main__":
    main()
