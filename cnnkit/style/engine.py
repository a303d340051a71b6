"""Neural style transfer (Gatys, Ecker & Bethge 2015): paint a content photo in the texture of a style image::

    result = stylize("chelsea", make_style_image("swirls"), max_side=256, steps=100)   # see stylize's example

``stylize`` minimises ``α·content + β·style + γ·tv`` (see :mod:`cnnkit.style.losses` for the normalisation)
over the pixels of an image in [0, 1], with L-BFGS-B (the paper; scipy, pixels bounded to [0, 1], the loss and
its gradient one compiled TensorFlow function) or Adam (Keras' defaults but the learning rate; clipped).
"""
import time
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from cnnkit._checks import (Any_, Bool, Callable_, Choice, Instance, Int, Mapping, Number, PathLike, Seed, Seq, Str,
                            check_int, check_number, contract, int_seed)
from cnnkit._checks import Image as ImageRule
from cnnkit.style._optimize import _Recorder, _run_adam, _run_lbfgs, _to_uint8_image
from cnnkit.style.content import _LUMA
from cnnkit.style.extractors import EXTRACTORS, make_extractor
from cnnkit.style.imaging import _PICTURE, MAX_SIDE, MIN_SIDE, as_rgb_image, fit_size, is_gray, preserve_colors
from cnnkit.style.losses import StyleContentLoss
from cnnkit.style.vgg import CONTENT_LAYERS, STYLE_LAYERS
_LAYERS = Seq(Str(), min_len=0, what="a sequence of VGG19 layer names")
_INIT = (Choice("content", "noise", "style", "mix") | ImageRule(ndim=3, channels=(3,))).describe(
    "'content', 'noise', 'style', 'mix' or an H×W×3 image") | None
#: Adam's learning rate in stylize (pixel units): the best of a grid (0.02, 0.05, 0.1, 0.2) on the tuning pairs, by the
#: loss left after 240 steps (benchmarks/style_race.py; a first grid, 0.005-0.05, had its best at the top end)
ADAM_LEARNING_RATE = 0.1
_OPTIMIZER = (Choice("lbfgs", "adam") | Instance("keras.optimizers.Optimizer")).describe(
    "'lbfgs', 'adam' or a Keras optimizer")


def _gray(image):
    """A uint8 H×W×3 image's luminance (Rec. 601 weights) copied to its three channels."""
    luma = np.round(image.astype(np.float32) @ np.float32(_LUMA)).clip(0, 255).astype(np.uint8)
    return np.repeat(luma[..., None], 3, axis=-1)


@contract(message=Str())
class NonFiniteLossError(FloatingPointError, ValueError):
    """The loss became NaN or infinite (too large a learning rate or weight, or broken weights).

    Args:
        message: what became non-finite, and at which step.

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

    Args:
        image: the result, a uint8 H×W×3 array.
        history: ``history[k][i]`` (k in total, content, style, tv — weighted — and time in seconds since the
            optimisation started) belongs to the image after ``i`` steps; entry 0 is the starting image.
        frames: ``(step, image)`` pairs kept every ``frame_every`` steps (empty: none).
        source: which features were used (``"pyramid"``, ``"imagenet"``, ``"file"``, ``"random"``).
        setup_seconds: the wall time spent before the optimisation (building the extractor and the targets).
        extractor: the extractor itself, to reuse in the next call (or None).

    ``seconds`` is the wall time of the optimisation (after the setup).

    Example:
        >>> r = StyleResult(np.zeros((2, 2, 3), np.uint8), {"total": [1.0, 0.5], "time": [0.0, 0.25]})
        >>> r.seconds, r.source, r.frames
        (0.25, 'random', [])
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


def _style_tiles(style_rgb, shape):
    """The style image repeated (mirrored at each repeat, so no seams) and cropped to ``shape`` (H×W×3), in [0, 1]."""
    h, w = shape[:2]
    reps = (-(-h // style_rgb.shape[0]) + 1, -(-w // style_rgb.shape[1]) + 1)
    mirrored = np.concatenate([style_rgb, style_rgb[::-1]], axis=0)
    mirrored = np.concatenate([mirrored, mirrored[:, ::-1]], axis=1)
    return (np.tile(mirrored, (reps[0], reps[1], 1))[:h, :w] / 255.0).astype(np.float32)


def _initial_image(init, content_rgb, style_rgb, seed):
    if isinstance(init, str):
        if init == "content":
            return (content_rgb[None] / 255.0).astype(np.float32)
        if init == "noise":
            return np.random.default_rng(seed).uniform(0, 1, (1, *content_rgb.shape)).astype(np.float32)
        tiles = _style_tiles(style_rgb, content_rgb.shape)
        return (tiles if init == "style" else 0.5 * tiles + 0.5 * content_rgb / np.float32(255))[None]
    from cnnkit.images import as_float

    x0 = as_float(init, "init")                                     # the one dtype rule: uint8 or float in [0, 1]
    if x0.shape != content_rgb.shape:
        raise ValueError(f"init array must have the resized content's shape {content_rgb.shape}, got {x0.shape}")
    return x0[None]


@contract(content=_PICTURE, style=_PICTURE, max_side=Int(low=MIN_SIDE, high=MAX_SIDE), steps=Int(low=1),
          content_weight=Number(low=0) | None, style_weight=Number(low=0) | None, tv_weight=Number(low=0) | None,
          optimizer=_OPTIMIZER, init=_INIT, preserve_color=Bool(),
          extractor=(Choice(*EXTRACTORS) | Callable_()).describe("'auto', 'vgg19', 'pyramid' or an extractor") | None,
          weights=(Choice("imagenet") | PathLike()).describe("'imagenet', None or a weights-file path") | None,
          style_side=Int(low=MIN_SIDE, high=MAX_SIDE), style_layers=_LAYERS, content_layers=_LAYERS,
          pooling=Choice("max", "avg"), layer_weights=Seq(Number(low=0)) | None,
          loss_options=Mapping(Str(), min_len=0) | None,
          learning_rate=Number(low=0, low_open=True), frame_every=Int(low=0), stop_loss=Number() | None,
          progress=Bool(), seed=Seed(), device=Str() | None)
def stylize(content, style, *, max_side=256, steps=100, content_weight=None, style_weight=None, tv_weight=None,
            optimizer="lbfgs", init=None, preserve_color=False, extractor="auto", weights="imagenet",
            style_side=256, style_layers=STYLE_LAYERS, content_layers=CONTENT_LAYERS, pooling="max",
            layer_weights=None, loss_options=None, learning_rate=ADAM_LEARNING_RATE, frame_every=0, stop_loss=None,
            progress=True, seed=0, device=None):
    """Optimise an image so its content matches ``content``'s and its Gram matrices match ``style``'s.

    Args:
        content, style: a sample name, a file path, or an image array (see :func:`~cnnkit.style.imaging.as_rgb_image`).
        max_side: the longer side of the result in pixels (32 to 2048): the content is resized to it, aspect kept.
        steps: L-BFGS iterations or Adam steps (≥ 1).
        content_weight, style_weight, tv_weight: α, β, γ of ``α·content + β·style + γ·tv`` (finite, ≥ 0; None:
            the extractor's ``default_weights``); the loss is the extractor's
            (:class:`~cnnkit.style.losses.StyleContentLoss` with its ``loss_options``).
        optimizer: ``"lbfgs"`` (L-BFGS-B, pixels bounded to [0, 1], on the loss rescaled once so its largest pixel
            gradient at the start is ``style._optimize.LBFGS_FIRST_STEP``: the same minimum, but a first step that
            moves the pixels whatever the loss's scale), ``"adam"`` (Keras' Adam at ``learning_rate``,
            its default β₁ and ε, pixels clipped to [0, 1]) or a Keras optimizer object (e.g. the TF tutorial's
            ``Adam(0.02, beta_1=0.99, epsilon=0.1)``).
        init: the start: ``"content"`` (the photo), ``"noise"`` (seeded uniform noise), ``"style"`` (the style
            image tiled, mirrored at each repeat, cropped to the photo's size), ``"mix"`` (half photo, half tiled
            style), or an H×W×3 image of the resized content's shape; None: the extractor's ``default_init``
            (``"content"`` for VGG19, ``"mix"`` for the offline pyramid).
        preserve_color: True to keep the content's colours (:func:`~cnnkit.style.imaging.preserve_colors`).
            Otherwise, with a gray style (:func:`~cnnkit.style.imaging.is_gray`: scikit-image's brick, gravel,
            grass), the result and the kept frames are their luminance in three channels, gray like the style:
            the optimisation runs in colour (the history is its loss), and the features mix the channels, so it
            leaves coloured speckle the style does not have (``benchmarks/style_texture_parts.py --gray``).
        extractor: ``"auto"`` (VGG19 with ImageNet or file ``weights`` when they can be had, else the random
            multi-scale filters of :class:`~cnnkit.style.extractors.PyramidExtractor`; one printed line says
            which and why), ``"vgg19"``, ``"pyramid"``, or an extractor object to reuse (see
            :func:`~cnnkit.style.extractors.make_extractor`).
        weights: ``"imagenet"``, a weights file, or None (random VGG19, with ``extractor="vgg19"``); with
            ``style_layers``, ``content_layers`` and ``pooling`` it builds VGG19.
        style_layers, content_layers: the VGG19 layers of the style and content terms (default the paper's
            :data:`~cnnkit.style.vgg.STYLE_LAYERS` and :data:`~cnnkit.style.vgg.CONTENT_LAYERS`), when VGG19 is
            built here.
        pooling: ``"max"`` (VGG's) or ``"avg"`` (the paper's), when VGG19 is built here.
        style_side: the style image's longer side in pixels (32 to 2048), on its own terms: its Gram matrices
            depend on the scale its strokes have, not on the content's size.
        layer_weights: one weight per style layer (None: the extractor's ``default_layer_weights``, else equal).
        loss_options: overrides of the extractor's ``loss_options`` (``normalize_style``, ``content_term``,
            ``content_level``, ``tv``, ``edge_weight``, ``edge_level``, ``edge_blur``; see
            :class:`~cnnkit.style.losses.StyleContentLoss`), e.g. ``{"tv": "anisotropic"}`` or
            ``{"edge_weight": 0.0}`` (the layout alone as content).
        learning_rate: Adam's step size, in pixel units (with ``optimizer="adam"``).
        frame_every: keep every k-th image in ``result.frames`` (0: none).
        stop_loss: end the run once the total loss is at or below this (None: run all steps).
        progress: show a progress bar.
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` (one int is drawn from those) seeding the
            random weights or filters and the noise start.
        device: a TensorFlow device name; None picks one (:func:`cnnkit.device.pick_device`).

    Returns:
        A :class:`StyleResult`: the uint8 H×W×3 image (the resized content's shape), the loss history (entry 0
        the start, then one entry per step), the kept frames, the features' source and the extractor.

    Raises:
        TypeError, ValueError: naming a wrong argument.
        NonFiniteLossError: when the loss stops being finite.

    Example:
        >>> from cnnkit.style import make_style_image
        >>> result = stylize("chelsea", make_style_image("swirls", size=64), max_side=32, steps=3,
        ...                  extractor="pyramid", progress=False)
        extractor: random multi-scale filters (5 levels, 3/5/7 px, 32 per size), as asked
        >>> result.image.shape, result.image.dtype, len(result.history["total"]), result.source
        ((21, 32, 3), dtype('uint8'), 4, 'pyramid')
    """
    import keras

    from cnnkit.device import pick_device

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
        loss = StyleContentLoss(extractor, content_rgb[None] / np.float32(255), style_rgb[None] / np.float32(255),
                                content_weight=content_weight, style_weight=style_weight, tv_weight=tv_weight,
                                layer_weights=layer_weights, **(loss_options or {}))
        x0 = _initial_image(getattr(extractor, "default_init", "content") if init is None else init, content_rgb,
                            style_rgb, seed)
        setup = time.perf_counter() - t0
        record = _Recorder(steps, frame_every, progress, stop_loss)
        try:
            if isinstance(optimizer, str) and optimizer == "lbfgs":
                _run_lbfgs(loss, x0, steps, record)
            else:
                opt = keras.optimizers.Adam(learning_rate) if isinstance(optimizer, str) else optimizer
                _run_adam(loss, x0, steps, record, opt)
        finally:
            if record.bar is not None:
                record.bar.close()
    final, frames = _to_uint8_image(record.last_image), record.frames
    if preserve_color:
        final = preserve_colors(final, content_rgb)
    elif is_gray(style_rgb):                  # a gray style: a gray result (see ``preserve_color``)
        final, frames = _gray(final), [(step, _gray(frame)) for step, frame in frames]
    return StyleResult(final, record.history, frames, getattr(extractor, "source", "custom"), setup, extractor)
