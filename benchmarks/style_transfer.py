"""Style-transfer speed: the TF tutorial's Adam loop against cnnkit's default (L-BFGS-B), same extractor and images.

    python benchmarks/style_transfer.py                 # 256 px (notebook 07's CPU default), 100 Adam steps
    python benchmarks/style_transfer.py --size 128      # quicker

Both minimise the same loss (cnnkit.style.StyleContentLoss with the extractor's default weights) from the photo.
The stylisation score is the style term (the Gram distance, weighted as in the loss). Prints (1) the score the
tutorial's algorithm reaches (Adam lr 0.02, β₁ 0.99, ε 0.1, 100 steps, clip to [0, 1]) and its wall time, (2) the
wall time cnnkit.style.stylize's default needs to reach that score, and the ratio, (3) one loss-and-gradient step's
achieved GFLOP/s over this machine's float32 matmul GFLOP/s, measured in the same run.
"""
import argparse
import os
import platform
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.device import pick_device, set_seed
from cnnkit.style import make_style_image
from cnnkit.style._optimize import _value_and_grad
from cnnkit.style.imaging import as_rgb_image, fit_size
from cnnkit.style.extractors import PyramidExtractor, describe_extractor, make_extractor
from cnnkit.style.losses import DEFAULT_WEIGHTS, StyleContentLoss


def baseline(loss, content, steps, scale=1.0):
    """The tutorial's loop: Adam(0.02, β₁ 0.99, ε 0.1), one compiled train step, clip to [0, 1].

    ``scale`` multiplies the loss Adam sees: Adam ignores the loss's scale except through ε, and ε = 0.1 was set for
    the tutorial's loss, whose gradients are large; a loss of a few units has per-pixel gradients far below 0.1, and
    then ε, not the gradient's size, sets the step. Returns the style term (the score) of the final image and the
    wall time of the steps."""
    image = tf.Variable(content)
    opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            total = scale * loss(image)[0]
        opt.apply_gradients([(tape.gradient(total, image), image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))

    start = time.perf_counter()
    for _ in range(steps):
        train_step()
    seconds = time.perf_counter() - start
    return float(loss(image)[2]), seconds


def step_flops(extractor, h, w):
    """FLOPs of one loss-and-gradient step on an h×w image: 2 × the forward's (the gradient with respect to the
    pixels repeats every convolution, transposed, and every Gram product); the forward counts the convolutions,
    and for the pyramid also the Gram matrices (M·C² multiply-adds per level)."""
    total = 0
    if isinstance(extractor, PyramidExtractor):
        c = len(extractor.sizes) * extractor.filters
        for _ in range(extractor.levels):
            total += sum(2 * k * k * 3 * extractor.filters * h * w for k in extractor.sizes) + 2 * h * w * c * c
            h, w = (h + 1) // 2, (w + 1) // 2
        return 2 * total
    for layer in extractor.model.layers:
        if hasattr(layer, "kernel") and len(layer.kernel.shape) == 4:
            total += 2 * np.prod(layer.kernel.shape) * h * w
        if "pool" in layer.name:
            h, w = h // 2, w // 2
    return 2 * total


def throughput(loss, content, flops, rounds=5, n=2048):
    """(step GFLOP/s, float32 matmul GFLOP/s, step seconds), the two timed in alternation so that load from
    other processes hits both alike."""
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
    step_s = np.median(step_times)
    return flops / step_s / 1e9, 2 * n ** 3 / np.median(mm_times) / 1e9, step_s


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--baseline-steps", type=int, default=100)
    parser.add_argument("--max-steps", type=int, default=60, help="cnnkit's L-BFGS iteration cap")
    parser.add_argument("--extractor", default="auto", help="'auto' (offline: the pyramid), 'pyramid' or 'vgg19'")
    parser.add_argument("--style", default="swirls")
    parser.add_argument("--loss-scale", type=float, default=1.0,
                        help="multiply the loss Adam sees (Adam's ε = 0.1 assumes the tutorial's large gradients)")
    args = parser.parse_args()
    set_seed(0)
    content = (fit_size(as_rgb_image("chelsea"), args.size) / np.float32(255))[None]
    style_img = (make_style_image(args.style, size=256) / np.float32(255))[None]
    h, w = content.shape[1:3]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; TF {tf.__version__}; device {pick_device()}; image {h}×{w}, "
          f"style {args.style} 256×256")
    with tf.device(pick_device()):
        extractor = make_extractor(args.extractor, weights="imagenet")
        alpha, beta, gamma = getattr(extractor, "default_weights", DEFAULT_WEIGHTS)
        loss = StyleContentLoss(extractor, content, style_img, content_weight=alpha, style_weight=beta,
                                tv_weight=gamma)
        flops = step_flops(extractor, h, w)
        achieved, mm, step_s = throughput(loss, content, flops)
        print(f"one loss+gradient step: {flops / 1e9:.2f} GFLOP in {step_s:.3f} s = {achieved:.1f} GFLOP/s; "
              f"float32 matmul {mm:.1f} GFLOP/s; ratio {achieved / mm:.2f} (goal ≥ 0.7)")

        start_score = float(loss(tf.constant(content))[2])
        base_score, base_s = baseline(loss, content, args.baseline_steps, args.loss_scale)
        print(f"baseline (TF tutorial's Adam × {args.baseline_steps}, same loss × {args.loss_scale:g}): "
              f"style term {start_score:.4g} at "
              f"the photo → {base_score:.4g} in {base_s:.1f} s")
        result = style.stylize(content[0], style_img[0], max_side=max(h, w), style_side=256,
                               steps=args.max_steps, extractor=extractor, progress=False)
    hist = result.history
    reached = next((i for i, v in enumerate(hist["style"]) if v <= base_score), None)
    print(f"cnnkit default (L-BFGS-B): style term {hist['style'][-1]:.4g} after {len(hist['style']) - 1} "
          f"iterations ({hist['time'][-1]:.1f} s); setup {result.setup_seconds:.1f} s")
    if reached is None:
        print(f"cnnkit did not reach the baseline's score in {args.max_steps} iterations")
    else:
        t = hist["time"][reached]
        print(f"cnnkit reached the baseline's score after {reached} iterations in {t:.1f} s: "
              f"{base_s / t:.1f}× less time (goal ≥ 4×)")


if __name__ == "__main__":
    main()
