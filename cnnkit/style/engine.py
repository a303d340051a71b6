"""Neural style transfer (Gatys, Ecker & Bethge 2015): paint a content photo in the texture of a style image.

    >>> from cnnkit.style import transfer
    >>> from cnnkit.style import make_style_image
    >>> result = transfer("chelsea", make_style_image("swirls", 128), size=64, steps=20, weights=None)  # doctest: +SKIP
    >>> result.image.shape, result.image.dtype, len(result.history["total"])                    # doctest: +SKIP
    ((64, 85, 3), dtype('uint8'), 20)

``transfer`` minimises ``α·content + β·style + γ·tv`` (see :mod:`cnnkit.style.losses` for the normalisation)
over the pixels of an image in [0, 1], with L-BFGS-B (the paper; scipy, pixels bounded to [0, 1], the loss and
its gradient one compiled TensorFlow function) or Adam (the TF tutorial: lr 0.02, β₁ 0.99, ε 0.1, clipped).
"""
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from cnnkit.style.losses import (CONTENT_LAYERS, STYLE_LAYERS, FeatureExtractor, StyleContentLoss,  # noqa: F401
                                 content_loss, gram_matrix, style_loss, total_variation_loss)

MAX_SIDE = 2048
MIN_SIDE = 32


class NonFiniteLossError(FloatingPointError, ValueError):
    """The loss became NaN or infinite (too large a learning rate or weight, or broken weights)."""


@dataclass
class StyleResult:
    """What :func:`transfer` returns: the uint8 image, the loss history and optional ``(step, image)`` frames.

    ``history[k][i]`` (k in total, content, style, tv — weighted — and time in seconds since the optimisation
    started) belongs to the image after ``i`` steps; entry 0 is the starting image.
    """

    image: np.ndarray
    history: dict
    frames: list = field(default_factory=list)
    source: str = "random"
    setup_seconds: float = 0.0

    @property
    def seconds(self):
        """Wall time of the optimisation (after the setup)."""
        return self.history["time"][-1] if self.history["time"] else 0.0


def as_rgb_image(image, arg="image"):
    """Any image → uint8 H×W×3: a sample name or file path (via :func:`cnnkit.images.load_image`), or an array
    that is gray (H×W or H×W×1), RGB, or RGBA (composited on white), uint8 / integer / float in [0, 1]."""
    from cnnkit.images import as_rgb, load_image

    if isinstance(image, (str, os.PathLike)):
        return load_image(image)
    return as_rgb(image, arg)


def fit_size(image, size, arg="image"):
    """Resize a uint8 RGB image so its longer side is ``size`` (aspect kept, Lanczos)."""
    from PIL import Image

    if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or not MIN_SIDE <= size <= MAX_SIDE:
        raise ValueError(f"size must be an int between {MIN_SIDE} and {MAX_SIDE}, got {size!r}")
    h, w = image.shape[:2]
    scale = size / max(h, w)
    new_h, new_w = max(MIN_SIDE // 2, round(h * scale)), max(MIN_SIDE // 2, round(w * scale))
    if (new_h, new_w) == (h, w):
        return image
    return np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.Resampling.LANCZOS))


def preserve_colors(stylised, content):
    """The luminance of ``stylised`` with the colours (YIQ chroma) of ``content`` (Gatys et al. 2016), uint8."""
    s = tf.image.rgb_to_yiq(tf.convert_to_tensor(stylised, tf.float32) / 255.0)
    c = tf.image.rgb_to_yiq(tf.convert_to_tensor(content, tf.float32) / 255.0)
    if s.shape != c.shape:
        raise ValueError(f"stylised {tuple(s.shape)} and content {tuple(c.shape)} must have the same shape")
    rgb = tf.image.yiq_to_rgb(tf.concat([s[..., :1], c[..., 1:]], axis=-1))
    return np.round(np.clip(rgb.numpy(), 0, 1) * 255).astype(np.uint8)


def _progress(total, enabled):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="style transfer", file=sys.stdout, leave=False)


def _value_and_grad(loss):
    @tf.function(reduce_retracing=True)
    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            parts = loss(x)
        return parts, tape.gradient(parts[0], x)

    return value_and_grad


def _check_finite(parts, step):
    if not all(np.isfinite(float(p)) for p in parts):
        raise NonFiniteLossError(
            f"loss became non-finite at step {step} (total, content, style, tv = {[float(p) for p in parts]}); "
            "lower the learning rate or the loss weights, or check the weights file")


def _run_lbfgs(loss, x0, steps, record):
    from scipy.optimize import minimize

    value_and_grad = _value_and_grad(loss)
    shape = x0.shape
    last = {}

    def fun(flat):
        parts, grad = value_and_grad(tf.constant(flat.reshape(shape), tf.float32))
        parts = [float(p) for p in parts]
        _check_finite(parts, len(record.history["total"]))
        last["x"], last["parts"] = flat.copy(), parts
        if not record.history["total"]:  # the starting image is step 0
            record(flat.reshape(shape), parts)
        return parts[0], grad.numpy().astype(np.float64).ravel()

    def callback(xk):
        if not np.array_equal(last.get("x"), xk):  # scipy accepted a point it did not evaluate last
            fun(xk)
        record(xk.reshape(shape), last["parts"])
        if record.done:
            raise StopIteration

    minimize(fun, x0.astype(np.float64).ravel(), jac=True, method="L-BFGS-B", callback=callback,
             bounds=[(0.0, 1.0)] * x0.size, options={"maxiter": steps, "maxfun": 2 * steps + 20, "maxcor": 20})


def _run_adam(loss, x0, steps, record, learning_rate):
    import keras

    image = tf.Variable(x0, dtype=tf.float32)
    opt = keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.99, epsilon=1e-1)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            parts = loss(image)
        opt.apply_gradients([(tape.gradient(parts[0], image), image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return parts

    for i in range(steps + 1):  # step() returns the loss of the image before its update
        before = image.numpy()
        parts = [float(p) for p in (step() if i < steps else loss(image))]
        _check_finite(parts, i)
        record(before, parts)
        if record.done:
            break


class _Recorder:
    """Collects the loss history, the wall time and every ``frame_every``-th image, and ticks the progress bar."""

    def __init__(self, steps, frame_every, progress, stop_loss=None):
        self.stop_loss = stop_loss
        self.history = {k: [] for k in ("total", "content", "style", "tv", "time")}
        self.frames, self.frame_every, self.bar = [], frame_every, _progress(steps, progress)
        self.last_image = None
        self.start = time.perf_counter()

    def __call__(self, image, parts):
        for k, v in zip(("total", "content", "style", "tv"), parts):
            self.history[k].append(float(v))
        self.history["time"].append(time.perf_counter() - self.start)
        self.last_image = np.array(image)
        n = len(self.history["total"]) - 1  # steps taken
        if self.frame_every and n % self.frame_every == 0:
            self.frames.append((n, _to_uint8_image(self.last_image)))
        self.done = self.stop_loss is not None and parts[0] <= self.stop_loss
        if self.bar is not None and n > 0:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{parts[0]:.4g}")


def _to_uint8_image(x):
    return np.round(np.clip(np.asarray(x, np.float32).reshape(np.shape(x)[-3:]), 0, 1) * 255).astype(np.uint8)


def _initial_image(init, content_rgb, seed):
    if isinstance(init, str):
        if init == "content":
            return (content_rgb[None] / 255.0).astype(np.float32)
        return np.random.default_rng(seed).uniform(0, 1, (1, *content_rgb.shape)).astype(np.float32)
    x0 = np.asarray(init, np.float32)
    if x0.shape != content_rgb.shape:
        raise ValueError(f"init array must have the resized content's shape {content_rgb.shape}, got {x0.shape}")
    if not np.isfinite(x0).all() or x0.min() < 0 or x0.max() > 1:
        raise ValueError("init array must hold finite values in [0, 1]")
    return x0[None]


def transfer(content, style, *, size=256, steps=100, content_weight=1e4, style_weight=4e-2, tv_weight=30.0,
             optimizer="lbfgs", init="content", preserve_color=False, weights="imagenet",
             style_layers=STYLE_LAYERS, content_layers=CONTENT_LAYERS, pooling="max", learning_rate=0.02,
             frame_every=0, stop_loss=None, progress=True, seed=0, extractor=None, device=None):
    """Optimise an image so its VGG19 features match ``content`` and its Gram matrices match ``style``.

    ``content`` / ``style``: a sample name, a file path, or an array (gray, RGB or RGBA; uint8 or float in [0, 1]).
    The content is resized so its longer side is ``size``; the style to the same longer side (its Grams do not
    depend on its size). ``steps``: L-BFGS iterations or Adam steps. ``init``: start from the content, from
    seeded uniform noise, or from an H×W×3 float array in [0, 1] of the resized content's shape. ``weights``:
    ``"imagenet"`` (offline → one line and seeded random weights), a weights file, or None. ``frame_every=k`` keeps every k-th image in ``result.frames``; ``stop_loss`` ends the run
    once the total loss is at or below it. Pass ``extractor`` (a
    :class:`FeatureExtractor`) to reuse one across calls. Returns a :class:`StyleResult`.
    Raises ``ValueError`` for bad arguments and :class:`NonFiniteLossError` when the loss stops being finite.
    """
    from cnnkit.device import pick_device

    if optimizer not in ("lbfgs", "adam"):
        raise ValueError(f"optimizer must be 'lbfgs' or 'adam', got {optimizer!r}")
    if isinstance(init, str) and init not in ("content", "noise"):
        raise ValueError(f"init must be 'content', 'noise' or an image array, got {init!r}")
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if not isinstance(frame_every, (int, np.integer)) or frame_every < 0:
        raise ValueError(f"frame_every must be a non-negative integer, got {frame_every!r}")
    if not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    content_rgb = fit_size(as_rgb_image(content, "content"), size, "content")
    style_rgb = fit_size(as_rgb_image(style, "style"), size, "style")
    t0 = time.perf_counter()
    with tf.device(device or pick_device()):
        if extractor is None:
            extractor = FeatureExtractor(weights, style_layers, content_layers, pooling, seed=seed)
        loss = StyleContentLoss(extractor, content_rgb[None] / np.float32(255), style_rgb[None] / np.float32(255),
                                content_weight, style_weight, tv_weight)
        x0 = _initial_image(init, content_rgb, seed)
        setup = time.perf_counter() - t0
        record = _Recorder(steps, frame_every, progress, stop_loss)
        try:
            if optimizer == "lbfgs":
                _run_lbfgs(loss, x0, steps, record)
            else:
                _run_adam(loss, x0, steps, record, learning_rate)
        finally:
            if record.bar is not None:
                record.bar.close()
    final = _to_uint8_image(record.last_image)
    if preserve_color:
        final = preserve_colors(final, content_rgb)
    return StyleResult(final, record.history, record.frames, extractor.source, setup)

