"""Do features the course trains itself rebuild bold styles from noise better than random ones? (issue 18, tried)

    python benchmarks/style_trained_encoder.py   # 12 syntheses, training (~2 min), 12 more (~15 min in all)

benchmarks/style_texture_ceiling.py found that the random pyramid's Gram matrices cannot rebuild swirls, mosaic or
checks from noise (texture 1.34, 1.04, 0.78 after 60 steps; the goal is ≤ 0.5), so no weighting of content against
style can reach the texture goal on those styles. ImageNet VGG19 is the known remedy, and CI has no network to
fetch it. Here the course trains its own features: a small all-convolutional classifier (3×3 convolutions 32, 32,
pool, 64, 64, pool, 128, then global average pooling and one dense layer) learns to tell the six procedural styles,
scikit-image's three gray textures (brick, gravel, grass) and photos apart, from 64-px crops of style images no
tuning or held-out pair uses (styles drawn with seeds 10-49; the pairs use seeds 0-5; the textures and photos
themselves are shared, as they are few). Its five ReLU maps then take the place of the pyramid's levels in the same
style term (normalised Grams, equal weights) and the same pure synthesis as the ceiling (α 0, no edge term, 60 L-BFGS
steps from seeded noise, 256 px). Rows: the package's random pyramid; the same network untrained (its seeded initial
weights); trained; trained and run on each of the pyramid's first four levels (the image halved 0-3 times, the
maps after the second, fourth and fifth convolutions), to reach the scales the pyramid reaches. Judged by the
texture statistic of cnnkit.style.quality, on the tuning pairs only.
"""
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)
import keras

from cnnkit import style
from cnnkit.images import SAMPLE_NAMES, load_image
from cnnkit.style import make_style_image
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.patterns import STYLE_NAMES
from cnnkit.style.quality import TUNING_PAIRS
from style_texture_ceiling import run as ceiling_run

TEXTURES = ("brick", "gravel", "grass")
PHOTOS = tuple(n for n in SAMPLE_NAMES if n not in TEXTURES)
CROP, TRAIN_SEEDS, VAL_SEEDS = 64, range(10, 50), range(50, 55)


def _pool(style_seeds):
    """(uint8 image, class) pairs: every procedural style at ``style_seeds`` (one image per seed), then each texture
    repeated half as often and the photos (class 6 + 3 = 9) repeated so that they are about as many as one style's
    images (40 seeds: 40 per style, 20 per texture, 36 photos)."""
    pool = [(make_style_image(n, size=256, seed=s), k) for k, n in enumerate(STYLE_NAMES) for s in style_seeds]
    per_class = len(style_seeds)
    pool += [(style.as_rgb_image(t), len(STYLE_NAMES) + j) for j, t in enumerate(TEXTURES)] * (per_class // 2)
    photos = [style.fit_size(load_image(p), 256) for p in PHOTOS]
    return pool + [(p, len(STYLE_NAMES) + len(TEXTURES)) for p in photos] * max(1, per_class // len(photos))


def crops(pool, n, rng):
    """``n`` random CROP-px crops (float in [0, 1], half of them mirrored) and their classes."""
    x, y = np.empty((n, CROP, CROP, 3), np.float32), np.empty(n, np.int64)
    for i in range(n):
        img, y[i] = pool[rng.integers(len(pool))]
        r, c = rng.integers(img.shape[0] - CROP + 1), rng.integers(img.shape[1] - CROP + 1)
        x[i] = img[r:r + CROP, c:c + CROP] / np.float32(255)
        if rng.random() < 0.5:
            x[i] = x[i, :, ::-1]
    return x, y


def build(n_classes):
    """(classifier, encoder): the encoder maps a B×H×W×3 batch in [0, 1] to the classifier's five ReLU maps."""
    inputs = keras.Input((None, None, 3))
    x, maps = keras.layers.Rescaling(1.0, offset=-0.5)(inputs), []
    for i, (filters, pool) in enumerate(((32, False), (32, True), (64, False), (64, True), (128, False))):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv{i}")(x)
        maps.append(x)
        if pool:
            x = keras.layers.AveragePooling2D(2)(x)
    logits = keras.layers.Dense(n_classes)(keras.layers.GlobalAveragePooling2D()(x))
    return keras.Model(inputs, logits), keras.Model(inputs, maps)


class EncoderFeatures:
    """An extractor for cnnkit.style.losses.StyleContentLoss: the encoder's maps (``maps`` of them) as style layers,
    on the first ``levels`` images of the pyramid (1: the image itself), with the pyramid's α, β, γ and loss options
    (normalised Grams: one β for every style), its levels' weights not (equal weights here)."""

    default_weights = PyramidExtractor.default_weights
    loss_options = PyramidExtractor.loss_options

    def __init__(self, encoder, *, levels=1, maps=(0, 1, 2, 3, 4)):
        self.encoder, self.levels, self.maps = encoder, levels, maps
        self.pyramid = PyramidExtractor(levels=levels).pyramid

    def __call__(self, images):
        feats = [f for image in self.pyramid(images)[:self.levels]
                 for i, f in enumerate(self.encoder(image)) if i in self.maps]
        return feats, feats[-1:]


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    classifier, encoder = build(len(STYLE_NAMES) + len(TEXTURES) + 1)

    def synthesise(extractor):     # the ceiling's pure synthesis from noise on every tuning pair
        return [ceiling_run(p, n, s, "noise", 60, 0.0, extractor=extractor) for p, n, s in TUNING_PAIRS]

    results = {"the package's random pyramid (5 levels, 96 maps each)": synthesise(None),
               "the encoder, untrained (seeded initial weights)": synthesise(EncoderFeatures(encoder))}
    x, y = crops(_pool(TRAIN_SEEDS), 12000, rng)
    x_val, y_val = crops(_pool(VAL_SEEDS), 1000, rng)
    classifier.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                       metrics=["accuracy"])
    t = time.perf_counter()
    history = classifier.fit(x, y, batch_size=64, epochs=3, validation_data=(x_val, y_val), verbose=0)
    print(f"encoder trained: 3 epochs of {len(x)} crops in {time.perf_counter() - t:.0f} s; accuracy on crops of "
          f"styles drawn with unseen seeds (50-54) and of the same textures and photos: "
          f"{history.history['val_accuracy'][-1]:.2f} (the most frequent class: "
          f"{np.bincount(y_val).max() / len(y_val):.2f} of the crops)\n")
    results["the encoder, trained"] = synthesise(EncoderFeatures(encoder))
    results["the encoder, trained, on 4 pyramid levels"] = synthesise(
        EncoderFeatures(encoder, levels=4, maps=(1, 3, 4)))
    print("| features | " + " | ".join(f"{p} × {n}{f' ({s})' if s else ''}" for p, n, s in TUNING_PAIRS)
          + " | texture ≤ 0.5 | mean texture |")
    print("|---|" + "---|" * len(TUNING_PAIRS) + "---:|---:|")
    for label, scores in results.items():
        print(f"| {label} | " + " | ".join(f"{r['texture']:.2f}" for r in scores)
              + f" | {sum(r['texture'] <= 0.5 for r in scores)} | {np.mean([r['texture'] for r in scores]):.2f} |")
    print("\n(texture statistic per tuning pair, from seeded noise, 60 L-BFGS steps, α = 0: no photo to keep.)")


if __name__ == "__main__":
    main()
