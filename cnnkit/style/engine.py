"""Neural style transfer (Gatys, Ecker & Bethge 2015): paint a content photo in the texture of a style image::

    result = stylize("chelsea", make_style_image("swirls"), max_side=256, steps=100)   # see stylize's example

``stylize`` minimises ``α·content + β·style + γ·tv`` (see :mod:`cnnkit.style.losses` for the normalisation)
over the pixels of an image in [0, 1], with L-BFGS-B (the paper; scipy, pixels bounded to [0, 1], the loss and
its gradient one compiled TensorFlow function) or Adam (the TF tutorial: lr 0.02, β₁ 0.99, ε 0.1, clipped).
"""
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from cnnkit._checks import (Any_, Bool, Callable_, Choice, Int, Mapping, Number, PathLike, Seed, Seq, Str, check_array,
                            check_choice, check_int, check_number, contract, int_seed)
from cnnkit._checks import Image as ImageRule
from cnnkit.style.extractors import EXTRACTORS, make_extractor
from cnnkit.style.losses import CONTENT_LAYERS, DEFAULT_WEIGHTS, STYLE_LAYERS, StyleContentLoss

MAX_SIDE = 2048
MIN_SIDE = 32
#: a content or style image: a sample name, a file path or an image array
_PICTURE = (ImageRule(channels=(1, 3, 4)) | PathLike()).describe(
    "a sample name, an image file path or an image array (uint8, uint16, bool or float in [0, 1])")
_LAYERS = Seq(Str(), min_len=0, what="a sequence of VGG19 layer names")
_INIT = (Choice("content", "noise") | ImageRule(ndim=3, channels=(3,))).describe("'content', 'noise' or an H×W×3 image")


@contract(message=Str())
class NonFiniteLossError(FloatingPointError, ValueError):
    """The loss became NaN or infinite (too large a learning rate or weight, or broken weights).

    Example:
        >>> raise NonFiniteLossError("loss became non-finite at step 3")
        Traceback (most recent call last):
        ...
        cnnkit.style.engine.NonFiniteLossError: loss became non-finite at step 3
    """

    def __init__(self, message):
        super().__init__(message)


@contract(image=ImageRule(ndim=3, channels=(3,)), history=Mapping(Str(), min_len=0), frames=Seq(min_len=0),
          source=Str(), setup_seconds=Number(low=0),
          extractor=Any_("the extractor object used (any callable feature extractor), or None"))
@dataclass
class StyleResult:
    """What :func:`stylize` returns: the uint8 image, the loss history and optional ``(step, image)`` frames.

    ``history[k][i]`` (k in total, content, style, tv — weighted — and time in seconds since the optimisation
    started) belongs to the image after ``i`` steps; entry 0 is the starting image. ``source`` says which
    features were used (``"pyramid"``, ``"imagenet"``, ``"file"``, ``"random"``); ``extractor`` is the extractor
    itself, to reuse in the next call.
    """

    image: np.ndarray
    history: dict
    frames: list = field(default_factory=list)
    source: str = "random"
    setup_seconds: float = 0.0
    extractor: object = None

    @property
    def seconds(self):
        """Wall time of the optimisation (after the setup)."""
        return self.history["time"][-1] if self.history["time"] else 0.0


@contract(image=_PICTURE.named_by("name"), name=Str())
def as_rgb_image(image, *, name="image"):
    """Turn any image into uint8 H×W×3 RGB.

    Arguments:
        image: a sample name or a file path (read by :func:`cnnkit.images.load_image`), or an array that is gray
            (H×W or H×W×1), RGB or RGBA (composited on white), of uint8, uint16, bool or float in [0, 1]
            (scaled by its dtype, see :func:`cnnkit.images.as_rgb`).
        name: what error messages call the image (``"content"``, ``"style"``).

        >>> as_rgb_image(np.zeros((2, 3))).shape, as_rgb_image("camera").shape
        ((2, 3, 3), (512, 512, 3))
    """
    from cnnkit.images import as_rgb, load_image

    if isinstance(image, (str, os.PathLike)):
        try:
            return load_image(image)
        except (FileNotFoundError, ValueError) as err:  # say which argument the name or file came from
            raise type(err)(f"{name}: {err}") from None
    return as_rgb(image, name)


@contract(image=ImageRule(ndim=3, channels=(3,)), max_side=Int(low=MIN_SIDE, high=MAX_SIDE))
def fit_size(image, max_side):
    """Resize a uint8 RGB image so its longer side is ``max_side`` pixels (aspect kept, Lanczos).

    Arguments:
        image: a uint8 H×W×3 array (see :func:`as_rgb_image`).
        max_side: the new longer side, an int from 32 to 2048. The shorter side is rounded, and at least 16.

        >>> fit_size(np.zeros((300, 150, 3), np.uint8), 128).shape
        (128, 64, 3)
    """
    from PIL import Image

    max_side = check_int(max_side, "max_side", low=MIN_SIDE, high=MAX_SIDE)
    image = check_array(image, "image", ndim=3)
    if image.dtype != np.uint8 or image.shape[-1] != 3:
        raise ValueError(f"image must be uint8 H×W×3 (see as_rgb_image), got {image.dtype} {image.shape}")
    h, w = image.shape[:2]
    scale = max_side / max(h, w)
    new_h, new_w = max(MIN_SIDE // 2, round(h * scale)), max(MIN_SIDE // 2, round(w * scale))
    if (new_h, new_w) == (h, w):
        return image
    return np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.Resampling.LANCZOS))


@contract(stylised=ImageRule(ndim=3, channels=(3,)), content=ImageRule(ndim=3, channels=(3,)))
def preserve_colors(stylised, content):
    """Keep the luminance of ``stylised`` and take the colours (YIQ chroma) of ``content`` (Gatys et al. 2016).

    Arguments:
        stylised, content: uint8 H×W×3 images of the same shape. Returns uint8 H×W×3.

        >>> gray = np.full((1, 2, 3), 128, np.uint8)
        >>> preserve_colors(gray, np.array([[[200, 60, 60], [60, 60, 200]]], np.uint8))[0].tolist()  # red, blue
        [[226, 86, 86], [112, 112, 252]]
    """
    from cnnkit.images import as_float

    s = tf.image.rgb_to_yiq(as_float(stylised, "stylised"))        # the one dtype rule: uint8 or float in [0, 1]
    c = tf.image.rgb_to_yiq(as_float(content, "content"))
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
    from scipy.optimize import Bounds, minimize

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
             bounds=Bounds(0.0, 1.0),  # no tolerance stop: `steps` iterations whatever the loss's scale
             options={"maxiter": steps, "maxfun": 2 * steps + 20, "maxcor": 20, "ftol": 0.0, "gtol": 0.0})


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
        if check_choice(init, "init", ("content", "noise")) == "content":
            return (content_rgb[None] / 255.0).astype(np.float32)
        return np.random.default_rng(seed).uniform(0, 1, (1, *content_rgb.shape)).astype(np.float32)
    from cnnkit.images import as_float

    x0 = as_float(init, "init")                                     # the one dtype rule: uint8 or float in [0, 1]
    if x0.shape != content_rgb.shape:
        raise ValueError(f"init array must have the resized content's shape {content_rgb.shape}, got {x0.shape}")
    return x0[None]


@contract(content=_PICTURE, style=_PICTURE, max_side=Int(low=MIN_SIDE, high=MAX_SIDE), steps=Int(low=1),
          content_weight=Number(low=0) | None, style_weight=Number(low=0) | None, tv_weight=Number(low=0) | None,
          optimizer=Choice("lbfgs", "adam"),
          init=_INIT,
          preserve_color=Bool(),
          extractor=(Choice(*EXTRACTORS) | Callable_()).describe("'auto', 'vgg19', 'pyramid' or an extractor") | None,
          weights=(Choice("imagenet") | PathLike()).describe("'imagenet', None or a weights-file path") | None,
          style_side=Int(low=MIN_SIDE, high=MAX_SIDE), style_layers=_LAYERS, content_layers=_LAYERS,
          pooling=Choice("max", "avg"),
          learning_rate=Number(low=0, low_open=True), frame_every=Int(low=0), stop_loss=Number() | None,
          progress=Bool(), seed=Seed(), device=Str() | None)
def stylize(content, style, *, max_side=256, steps=100, content_weight=None, style_weight=None, tv_weight=None,
            optimizer="lbfgs", init="content", preserve_color=False, extractor="auto", weights="imagenet",
            style_side=256, style_layers=STYLE_LAYERS, content_layers=CONTENT_LAYERS, pooling="max",
            learning_rate=0.02, frame_every=0, stop_loss=None, progress=True, seed=0, device=None):
    """Optimise an image so its features match ``content``'s and its Gram matrices match ``style``'s.

    Arguments:
        content, style: a sample name, a file path, or an image array (see :func:`as_rgb_image`).
        max_side: the longer side of the result in pixels (32 to 2048): the content is resized to it, aspect kept.
        steps: L-BFGS iterations or Adam steps (≥ 1).
        content_weight, style_weight, tv_weight: α, β, γ of ``α·content + β·style + γ·tv`` (finite, ≥ 0; None:
            the extractor's ``default_weights``). Every term is a mean over positions, so the balance does
            not change with ``max_side`` (see :class:`~cnnkit.style.losses.StyleContentLoss`).
        optimizer: ``"lbfgs"`` (L-BFGS-B, pixels bounded to [0, 1]) or ``"adam"`` (the TF tutorial's settings,
            with ``learning_rate``).
        init: ``"content"``, ``"noise"`` (seeded uniform noise) or an H×W×3 float array in [0, 1] of the resized
            content's shape.
        preserve_color: True to keep the content's colours (:func:`preserve_colors`).
        extractor: ``"auto"`` (VGG19 with ImageNet or file ``weights`` when they can be had, else the random
            multi-scale filters of :class:`~cnnkit.style.extractors.PyramidExtractor`; one printed line says
            which and why), ``"vgg19"``, ``"pyramid"``, or an extractor object to reuse (see
            :func:`~cnnkit.style.extractors.make_extractor`).
        weights: ``"imagenet"``, a weights file, or None (random VGG19, with ``extractor="vgg19"``); with
            ``style_layers``, ``content_layers`` and ``pooling`` it builds VGG19.
        style_side: the style image's longer side in pixels (32 to 2048), on its own terms: its Gram matrices
            depend on the scale its strokes have, not on the content's size.
        frame_every: keep every k-th image in ``result.frames`` (0: none).
        stop_loss: end the run once the total loss is at or below this (None: run all steps).
        progress: show a progress bar.
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` (one int is drawn from those) seeding the
            random weights or filters and the noise start.
        device: a TensorFlow device name; None picks one (:func:`cnnkit.device.pick_device`).

    Returns a :class:`StyleResult`. Raises ``TypeError`` / ``ValueError`` naming a wrong argument, and
    :class:`NonFiniteLossError` when the loss stops being finite.

        >>> from cnnkit.style import make_style_image
        >>> result = stylize("chelsea", make_style_image("swirls", size=64), max_side=32, steps=3,
        ...                  extractor="pyramid", progress=False)
        extractor: random multi-scale filters (5 levels, 3/5/7 px, 32 per size), as asked
        >>> result.image.shape, result.image.dtype, len(result.history["total"]), result.source
        ((21, 32, 3), dtype('uint8'), 4, 'pyramid')
    """
    from cnnkit.device import pick_device

    check_choice(optimizer, "optimizer", ("lbfgs", "adam"))
    if isinstance(init, str):
        check_choice(init, "init", ("content", "noise"))
    steps = check_int(steps, "steps", low=1)
    frame_every = check_int(frame_every, "frame_every", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    if stop_loss is not None:
        stop_loss = check_number(stop_loss, "stop_loss")
    seed = int_seed(seed)
    max_side = check_int(max_side, "max_side", low=MIN_SIDE, high=MAX_SIDE)
    style_side = check_int(style_side, "style_side", low=MIN_SIDE, high=MAX_SIDE)
    content_rgb = fit_size(as_rgb_image(content, name="content"), max_side)
    style_rgb = fit_size(as_rgb_image(style, name="style"), style_side)
    t0 = time.perf_counter()
    with tf.device(device or pick_device()):
        if extractor is None or isinstance(extractor, str):
            kind = "auto" if extractor is None else extractor
            options = {} if kind == "pyramid" else dict(style_layers=style_layers, content_layers=content_layers,
                                                        pooling=pooling)
            extractor = make_extractor(kind, weights=weights, seed=seed, **options)
        elif not callable(extractor):
            raise TypeError(f"extractor must be 'auto', 'vgg19', 'pyramid' or an extractor, got {extractor!r}")
        alpha, beta, gamma = getattr(extractor, "default_weights", DEFAULT_WEIGHTS)
        loss = StyleContentLoss(extractor, content_rgb[None] / np.float32(255), style_rgb[None] / np.float32(255),
                                content_weight=alpha if content_weight is None else content_weight,
                                style_weight=beta if style_weight is None else style_weight,
                                tv_weight=gamma if tv_weight is None else tv_weight)
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
    return StyleResult(final, record.history, record.frames, getattr(extractor, "source", "custom"), setup, extractor)
