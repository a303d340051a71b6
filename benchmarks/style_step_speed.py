"""The speed of one style-transfer step (loss and gradient on the offline pyramid), four ways, against matmul FLOP/s.

    python benchmarks/style_step_speed.py                  # 256 px (notebook 07's CPU default), 15 repeats each
    python benchmarks/style_step_speed.py --repeats 30

One step = the loss of cnnkit.style (StyleContentLoss with the pyramid's options) and its gradient with respect to
the pixels, on chelsea at 256 × 170 with the swirls style. Variants:
  separate — each level filters with three convolutions (3×3, 5×5, 7×7) and concatenates (PyramidExtractor's
             original code);
  fused    — one 7×7 convolution per level whose kernel stacks the three banks, zero-padded to 7×7 (the same
             numbers, one op instead of three and a concatenation; 2.0× the multiply-adds, of which the zeros);
  XLA      — either one compiled with tf.function(jit_compile=True).
Channels-first (NCHW) is not a variant: TensorFlow's CPU convolutions take NHWC only.
The useful FLOPs (the three banks' multiply-adds ×2, the Gram products, ×2 for the gradient) are the same for all;
each variant's step is timed in alternation with a 2048² float32 matmul, so load from other processes hits both.
"""
import argparse
import os
import platform
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit.style import fit_size, make_style_image
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.imaging import as_rgb_image
from cnnkit.style.losses import StyleContentLoss


def useful_flops(ex, h, w):
    """Forward multiply-adds ×2 of the three banks and the Grams over all levels, ×2 for the gradient."""
    total, c = 0, len(ex.sizes) * ex.filters
    for _ in range(ex.levels):
        total += sum(2 * k * k * 3 * ex.filters * h * w for k in ex.sizes) + 2 * h * w * c * c
        h, w = (h + 1) // 2, (w + 1) // 2
    return 2 * total


class Separate(PyramidExtractor):
    """Three convolutions and a concatenation per level (the original layout)."""

    def level_features(self, image):
        x = image - 0.5
        return tf.nn.relu(tf.concat([tf.nn.conv2d(x, w, 1, "SAME") for w in self.kernels], axis=-1))


class Fused(PyramidExtractor):
    """One 7×7 convolution per level: the banks zero-padded to the largest size and stacked."""

    def __init__(self, **kw):
        super().__init__(**kw)
        k = max(self.sizes)
        self.fused = tf.concat([tf.pad(w, [[(k - s) // 2] * 2, [(k - s) // 2] * 2, [0, 0], [0, 0]])
                                for w, s in zip(self.kernels, self.sizes)], axis=-1)

    def level_features(self, image):
        return tf.nn.relu(tf.nn.conv2d(image - 0.5, self.fused, 1, "SAME"))


def step_fn(loss, jit):
    @tf.function(jit_compile=jit)
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = loss(x)[0]
        return total, tape.gradient(total, x)

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    content = (fit_size(as_rgb_image("chelsea"), args.size) / np.float32(255))[None]
    style_img = (make_style_image("swirls", size=256) / np.float32(255))[None]
    h, w = content.shape[1:3]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, TF {tf.__version__}, "
          f"load {os.getloadavg()[0]:.1f}; image {h}×{w}")
    a = tf.random.stateless_normal((2048, 2048), seed=(1, 2))
    b = tf.random.stateless_normal((2048, 2048), seed=(3, 4))
    tf.matmul(a, b).numpy()
    variants = {}
    for name, cls in (("separate", Separate), ("fused", Fused)):
        ex = cls(seed=0)
        loss = StyleContentLoss(ex, content, style_img)
        for jit in (False, True):
            variants[f"{name}{', XLA' if jit else ''}"] = (step_fn(loss, jit), ex)
    x = tf.constant(content)
    ref = None
    flops = useful_flops(Separate(seed=0), h, w)
    print(f"useful FLOPs per step: {flops / 1e9:.2f} G\n")
    print("| variant | same loss | step ms (min / median) | GFLOP/s (median) | matmul GFLOP/s (median) | ratio |")
    print("|---|:---:|---:|---:|---:|---:|")
    for name, (fn, ex) in variants.items():
        t = time.perf_counter()
        value = float(fn(x)[0])
        compile_s = time.perf_counter() - t
        ref = value if ref is None else ref
        steps, mms = [], []
        for _ in range(args.repeats):
            t = time.perf_counter()
            fn(x)[1].numpy()
            steps.append(time.perf_counter() - t)
            t = time.perf_counter()
            tf.matmul(a, b).numpy()
            mms.append(time.perf_counter() - t)
        med, mm = np.median(steps), 2 * 2048 ** 3 / np.median(mms) / 1e9
        print(f"| {name} | {'yes' if abs(value - ref) <= 1e-4 * abs(ref) else f'no ({value:.5g})'} | "
              f"{1e3 * min(steps):.0f} / {1e3 * med:.0f} | {flops / med / 1e9:.1f} | {mm:.1f} | "
              f"{flops / med / 1e9 / mm:.2f} |  (first call {compile_s:.1f} s)", flush=True)
    print(f"\nload {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
