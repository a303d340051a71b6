"""Style-transfer speed: the TF tutorial's Adam loop against cnnkit's default (L-BFGS-B), same images and weights.

    python benchmarks/style_transfer.py                 # 256×256, baseline 100 Adam steps
    python benchmarks/style_transfer.py --size 128      # quicker

Prints (1) the baseline's final loss and wall time, (2) the wall time cnnkit.style.transfer needs to reach that
loss under the same loss function, and the speed-up, (3) one loss-and-gradient step's achieved GFLOP/s over this
machine's float32 matmul GFLOP/s measured in the same run.
"""
import argparse
import os
import platform
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.device import pick_device, set_seed
from cnnkit.images import load_image
from cnnkit.style.engine import _value_and_grad
from cnnkit.style.losses import FeatureExtractor


def tutorial_loss(extractor, content, style_img, style_weight=1e-2):
    """The TF tutorial's loss, written independently of cnnkit.style.losses (Gram / H·W, mean squares)."""
    def gram(f):
        return tf.einsum("bijc,bijd->bcd", f, f) / tf.cast(tf.shape(f)[1] * tf.shape(f)[2], tf.float32)

    style_targets = [gram(f) for f in extractor(style_img)[0]]
    content_targets = extractor(content)[1]

    def loss(image):
        s_out, c_out = extractor(image)
        s = tf.add_n([tf.reduce_mean((gram(f) - t) ** 2) for f, t in zip(s_out, style_targets)]) * style_weight / len(s_out)
        c = tf.add_n([tf.reduce_mean((f - t) ** 2) for f, t in zip(c_out, content_targets)]) * 1e4 / len(c_out)
        return s + c + 30.0 * tf.reduce_sum(tf.image.total_variation(image))

    return loss


def baseline(extractor, content, style_img, steps, style_weight=1e-2):
    """The tutorial's loop: Adam(0.02, β₁ 0.99, ε 0.1), one compiled train step, clip to [0, 1]."""
    loss = tutorial_loss(extractor, content, style_img, style_weight)
    image = tf.Variable(content)
    opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            value = loss(image)
        opt.apply_gradients([(tape.gradient(value, image), image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))

    start = time.perf_counter()
    for _ in range(steps):
        train_step()
    final = float(loss(image))
    return final, time.perf_counter() - start, loss


def conv_flops(extractor, h, w):
    """Multiply-adds × 2 of the extractor's convolutions on an h×w image (forward only)."""
    total = 0
    for layer in extractor.model.layers:
        if hasattr(layer, "kernel") and len(layer.kernel.shape) == 4:
            total += 2 * np.prod(layer.kernel.shape) * h * w
        if "pool" in layer.name:
            h, w = h // 2, w // 2
    return total


def throughput(extractor, content, style_img, h, w, rounds=5, n=2048):
    """(step GFLOP/s, float32 matmul GFLOP/s, step seconds, step FLOPs), the two timed in alternation so
    that load from other processes hits both alike."""
    loss = style.StyleContentLoss(extractor, content, style_img)
    value_and_grad = _value_and_grad(loss)
    x = tf.constant(content)
    a = tf.random.stateless_normal((n, n), seed=(1, 2))
    b = tf.random.stateless_normal((n, n), seed=(3, 4))
    value_and_grad(x)[1].numpy(), tf.matmul(a, b).numpy()  # warm up (trace, allocate)
    step_times, mm_times = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        value_and_grad(x)[1].numpy()
        step_times.append(time.perf_counter() - t)
        for _ in range(3):
            t = time.perf_counter()
            tf.matmul(a, b).numpy()
            mm_times.append(time.perf_counter() - t)
    # forward + gradient w.r.t. the input (the same convolutions again, transposed); weights get no gradient
    flops = 2 * conv_flops(extractor, h, w)
    step_s = np.median(step_times)
    return flops / step_s / 1e9, 2 * n ** 3 / np.median(mm_times) / 1e9, step_s, flops


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--baseline-steps", type=int, default=100)
    parser.add_argument("--max-steps", type=int, default=100, help="cnnkit's L-BFGS iteration cap")
    parser.add_argument("--weights", default="imagenet", help="'imagenet', a weights file, or 'none' (random)")
    parser.add_argument("--style-weight", type=float, default=1e-2, help="in the tutorial's units (its default 1e-2)")
    args = parser.parse_args()
    set_seed(0)
    n = args.size
    content = (load_image("chelsea", shape=(n, n)) / np.float32(255))[None]
    style_img = (make_style_image("brush_strokes", size=n) / np.float32(255))[None]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; TF {tf.__version__}; device {pick_device()}; image {n}×{n}")
    with tf.device(pick_device()):
        extractor = FeatureExtractor(weights=None if args.weights == "none" else args.weights, seed=0)
        print(f"VGG19 weights: {extractor.source}")
        achieved, mm, step_s, flops = throughput(extractor, content, style_img, n, n)
        print(f"one loss+gradient step: {flops / 1e9:.1f} GFLOP in {step_s:.3f} s = {achieved:.1f} GFLOP/s; "
              f"float32 matmul {mm:.1f} GFLOP/s; ratio {achieved / mm:.2f} (goal ≥ 0.7)")

        base_loss, base_s, loss_fn = baseline(extractor, content, style_img, args.baseline_steps, args.style_weight)
        start_loss = float(loss_fn(tf.constant(content)))
        print(f"baseline (TF tutorial, style weight {args.style_weight:g}, Adam × {args.baseline_steps}): "
              f"loss {start_loss:.4g} at the start (the content image) → {base_loss:.4g} in {base_s:.1f} s")

        result = style.transfer(content[0], style_img[0], max_side=n, steps=args.max_steps, extractor=extractor,
                                progress=False, stop_loss=base_loss,
                                style_weight=4 * args.style_weight)  # cnnkit's style loss is ¼ of the tutorial's
    h = result.history
    reached = next((i for i, v in enumerate(h["total"]) if v <= base_loss), None)
    same = float(loss_fn(tf.constant(result.image[None] / np.float32(255))))
    print(f"cnnkit default (L-BFGS-B): loss {h['total'][-1]:.4g} after {len(h['total']) - 1} iterations "
          f"(tutorial loss of the saved uint8 image: {same:.4g}); setup {result.setup_seconds:.1f} s")
    if reached is None:
        print(f"cnnkit did not reach the baseline's loss in {args.max_steps} iterations ({h['time'][-1]:.1f} s)")
    else:
        t = h["time"][reached]
        print(f"cnnkit reached the baseline's loss after {reached} iterations in {t:.1f} s: "
              f"{base_s / t:.1f}× less time (goal ≥ 4×)")


if __name__ == "__main__":
    main()
