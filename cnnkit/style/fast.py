"""Instant stylisation (Johnson, Alahi & Fei-Fei 2016): one small network per style, trained once, then one pass.

Optimising pixels (:func:`~cnnkit.style.engine.stylize`) takes seconds per picture. A *transformation network*
instead learns to stylise any photo: it is trained on photo crops with the same loss the optimisation minimises
(the content of its input, the style's Gram matrices, smoothness), after which stylising is one forward pass.
The course ships networks trained on photos that come with scikit-image (``tools/train_stylizer.py`` made them;
its command and loss curve are stored beside each weights file)::

    >>> from cnnkit.style.fast import FAST_STYLES, load_stylizer
    >>> FAST_STYLES
    ('stripes', 'mosaic')
    >>> stylizer = load_stylizer("stripes")
    >>> stylizer("chelsea", max_side=64).shape
    (43, 64, 3)

The network (:func:`build_transformer`): a 5×5 and a 3×3 convolution with stride 2 (¼ of the pixels, 2·width
channels), residual blocks of two 3×3 convolutions there, then two ×2 upsamplings each followed by a convolution,
instance normalisation after every convolution but the last, and a sigmoid to [0, 1].
"""
import json
import os
from pathlib import Path

import numpy as np

from cnnkit._checks import Any_, Instance, Int, Mapping, Number, PathLike, Seed, Seq, Str, contract, int_seed
from cnnkit._checks import Image as ImageRule

#: the styles with trained weights in ``cnnkit/style/weights/``
FAST_STYLES = ("stripes", "mosaic")
WEIGHTS_DIR = Path(__file__).parent / "weights"
_PICTURE = (ImageRule(channels=(1, 3, 4)) | PathLike()).describe(
    "a sample name, an image file path or an image array (uint8, uint16, bool or float in [0, 1])")


@contract(width=Int(low=1, high=256), blocks=Int(low=0, high=16), seed=Seed())
def build_transformer(*, width=16, blocks=3, seed=0):
    """The transformation network: an image batch in [0, 1] (any size) → a stylised batch of the same size.

    Args:
        width: channels at half resolution (twice as many at a quarter, where the residual blocks work).
        blocks: residual blocks at a quarter of the resolution.
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` for the initial weights.

    Returns:
        An uncompiled ``keras.Model`` for sides that are multiples of 4 (:class:`FastStylizer` pads other sizes).

    Example:
        >>> net = build_transformer(width=4, blocks=1)
        >>> tuple(net(np.zeros((1, 32, 44, 3), "float32")).shape)
        (1, 32, 44, 3)
    """
    import keras

    seed = int_seed(seed)
    init = iter(keras.initializers.GlorotUniform(seed=seed * 100 + i) for i in range(100))

    count = iter(range(1, 100))

    def conv(x, filters, size, stride=1, norm=True, relu=True):      # named layers: weights load by name
        i = next(count)
        x = keras.layers.Conv2D(filters, size, strides=stride, padding="same", kernel_initializer=next(init),
                                name=f"conv{i}")(x)
        if norm:
            x = keras.layers.GroupNormalization(groups=-1, epsilon=1e-3, name=f"instance_norm{i}")(x)
        return keras.layers.ReLU(name=f"relu{i}")(x) if relu else x

    inputs = keras.Input((None, None, 3), name="image")
    x = conv(keras.layers.Rescaling(1.0, offset=-0.5, name="centre")(inputs), width, 5, 2)
    x = conv(x, 2 * width, 3, 2)
    for b in range(blocks):
        y = conv(x, 2 * width, 3)
        x = keras.layers.Add(name=f"residual{b + 1}")([x, conv(y, 2 * width, 3, relu=False)])
    x = conv(keras.layers.UpSampling2D(2, name="up1")(x), width, 3)
    x = keras.layers.UpSampling2D(2, name="up2")(x)
    x = conv(x, 3, 5, norm=False, relu=False)
    outputs = keras.layers.Activation("sigmoid", name="to_01")(x)
    return keras.Model(inputs, outputs, name=f"transformer_{width}x{blocks}")


@contract(model=Instance("keras.Model"), name=Str(), info=Mapping(Str(), min_len=0) | None)
class FastStylizer:
    """A trained transformation network for one style: ``stylizer(photo)`` → the stylised photo, one pass.

    Args:
        model: a Keras model from :func:`build_transformer` with trained weights (see :func:`load_stylizer`).
        name: the style's name.
        info: what training recorded (a dict: command, steps, seconds, loss curve), or None.

    Calling it takes a photo (a sample name, a file path or an array) and ``max_side`` (None: as it is) and returns
    uint8 H×W×3; :meth:`batch` stylises a float batch B×H×W×3 in [0, 1] as a tensor (what a frame rate measures).

    Example:
        >>> stylizer = load_stylizer("stripes")
        >>> stylizer
        FastStylizer('stripes', 67683 weights)
        >>> stylizer(np.zeros((30, 50, 3), np.uint8)).shape         # any size; sides padded to a multiple of 4
        (30, 50, 3)
    """

    def __init__(self, model, name, info=None):
        import tensorflow as tf

        self.model, self.name, self.info = model, name, info or {}
        self._run = tf.function(lambda x: model(x, training=False), reduce_retracing=True)

    def batch(self, images):
        """Stylise a B×H×W×3 float batch in [0, 1]; returns a tensor of the same shape.

        Sides that are not multiples of 4 are mirrored out to the next one and cropped back.
        """
        import tensorflow as tf

        x = tf.convert_to_tensor(images, tf.float32)
        h, w = x.shape[1], x.shape[2]
        if h % 4 or w % 4:
            x = tf.pad(x, [[0, 0], [0, -h % 4], [0, -w % 4], [0, 0]], mode="SYMMETRIC")
            return self._run(x)[:, :h, :w]
        return self._run(x)

    def __call__(self, image, *, max_side=None):
        from cnnkit.style.imaging import as_rgb_image, fit_size

        rgb = as_rgb_image(image, name="image")
        if max_side is not None:
            rgb = fit_size(rgb, max_side)
        out = self.batch(rgb[None] / np.float32(255)).numpy()[0]
        return np.round(np.clip(out, 0, 1) * 255).astype(np.uint8)

    def __repr__(self):
        return f"FastStylizer({self.name!r}, {self.model.count_params()} weights)"


@contract(name=Str(), path=PathLike() | None)
def load_stylizer(name, *, path=None):
    """Load the trained transformation network for one style.

    Args:
        name: one of :data:`FAST_STYLES` (shipped with the course), or any name with ``path``.
        path: a folder holding ``{name}.weights.h5`` and ``{name}.json`` (None: the package's weights).

    Returns:
        A :class:`FastStylizer`.

    Raises:
        ValueError: an unknown ``name`` without ``path``.
        FileNotFoundError: the weights file is missing.

    Example:
        >>> load_stylizer("mosaic").info["style"]
        'mosaic'
    """
    folder = Path(path) if path is not None else WEIGHTS_DIR
    if path is None and name not in FAST_STYLES:
        raise ValueError(f"name must be one of {', '.join(map(repr, FAST_STYLES))} (or give path=), got {name!r}")
    weights, meta = folder / f"{name}.weights.h5", folder / f"{name}.json"
    if not weights.exists():
        raise FileNotFoundError(f"no weights for style {name!r}: {weights} is missing")
    info = json.loads(meta.read_text()) if meta.exists() else {}
    model = build_transformer(**info.get("architecture", {}))
    model.load_weights(str(weights))
    return FastStylizer(model, name, info)


def _crops(photos, crop, side, batch, rng):
    """``batch`` random crops (crop × crop, flipped at random) of the photos, each resized to longer side ``side``."""
    out = np.empty((batch, crop, crop, 3), np.float32)
    for i in range(batch):
        p = photos[rng.integers(len(photos))]
        y, x = rng.integers(0, p.shape[0] - crop + 1), rng.integers(0, p.shape[1] - crop + 1)
        c = p[y:y + crop, x:x + crop]
        out[i] = c[:, ::-1] if rng.random() < 0.5 else c
    return out


@contract(style=_PICTURE, photos=Seq(_PICTURE), steps=Int(low=1), crop=Int(low=32, high=1024),
          side=Int(low=32, high=2048), batch=Int(low=1), learning_rate=Number(low=0, low_open=True),
          content_weight=Number(low=0), style_weight=Number(low=0), tv_weight=Number(low=0), width=Int(low=1),
          blocks=Int(low=0), seed=Seed(), log_every=Int(low=0))
def train_stylizer(style, photos, *, steps=1500, crop=128, side=256, batch=4, learning_rate=2e-3,
                   content_weight=1.0, style_weight=1.0, tv_weight=0.01, width=16, blocks=3, seed=0, log_every=100):
    """Train a transformation network for ``style`` on random crops of ``photos`` (Johnson et al. 2016's recipe).

    The loss is :class:`~cnnkit.style.losses.StyleContentLoss`'s with the offline pyramid
    (:class:`~cnnkit.style.extractors.PyramidExtractor`, seed 0): the layout of each crop, the style's normalised
    Grams, isotropic TV; Adam at ``learning_rate``.

    Args:
        style: the style image (a name, a path or an array), used at longer side ``side``.
        photos: the training photos (names, paths or arrays), each resized to longer side ``side``.
        steps: Adam steps.
        crop: the side of the square training crops.
        side: the longer side photos and style are resized to (the scale the network learns the texture at).
        batch: crops per step.
        learning_rate: Adam's step size.
        content_weight: α, the layout term's weight.
        style_weight: β, the style term's weight.
        tv_weight: γ, the smoothness term's weight.
        width: the network's width (see :func:`build_transformer`).
        blocks: its residual blocks.
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` for the weights and the crops.
        log_every: print the mean loss every this many steps (0: never).

    Returns:
        ``(stylizer, history)``: a :class:`FastStylizer` and ``{"step": [...], "loss": [...], "seconds": s}``.

    Example:
        >>> from cnnkit.style import make_style_image
        >>> st, hist = train_stylizer(make_style_image("dots", size=64), ["coffee"], steps=2, crop=32, side=64,
        ...                           batch=1, width=4, blocks=0, log_every=0)
        >>> len(hist["loss"]), st(np.zeros((8, 12, 3), np.uint8)).shape
        (2, (8, 12, 3))
    """
    import time

    import keras
    import tensorflow as tf

    from cnnkit.style.extractors import PyramidExtractor
    from cnnkit.style.imaging import as_rgb_image, fit_size
    from cnnkit.style.losses import gram_matrix, layout_loss, luminance_layout, style_loss, total_variation_loss

    seed = int_seed(seed)
    rng = np.random.default_rng([seed, 2016])
    style_rgb = fit_size(as_rgb_image(style, name="style"), side) / np.float32(255)
    pool = [fit_size(as_rgb_image(p, name="photos"), side) / np.float32(255) for p in photos]
    if any(min(p.shape[:2]) < crop for p in pool):
        raise ValueError(f"crop {crop} is larger than a photo resized to longer side {side}")
    ex = PyramidExtractor(seed=0)
    targets = [gram_matrix(f) for f in ex(style_rgb[None])[0]]
    scales = [0.25 * float(tf.reduce_mean(tf.square(a))) for a in targets]
    net = build_transformer(width=width, blocks=blocks, seed=seed)
    opt = keras.optimizers.Adam(learning_rate)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            y = net(x, training=True)
            c = layout_loss(luminance_layout(y, level=ex.content_level), luminance_layout(x, level=ex.content_level))
            s = tf.add_n([style_loss(f, a) / n for f, a, n in zip(ex(y)[0], targets, scales)]) / len(targets)
            tv = tf.reduce_mean(total_variation_loss(y, isotropic=True)) / float(crop * crop)
            loss = content_weight * c + style_weight * s + tv_weight * tv
        opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
        return loss

    history, start = {"step": [], "loss": []}, time.perf_counter()
    for i in range(1, steps + 1):
        history["step"].append(i)
        history["loss"].append(float(step(tf.constant(_crops(pool, crop, side, batch, rng)))))
        if log_every and i % log_every == 0:
            print(f"step {i}: loss {np.mean(history['loss'][-log_every:]):.4f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    history["seconds"] = time.perf_counter() - start
    info = {"architecture": {"width": width, "blocks": blocks}, "steps": steps, "crop": crop, "side": side,
            "batch": batch, "learning_rate": learning_rate, "weights": [content_weight, style_weight, tv_weight]}
    return FastStylizer(net, "custom", info), history


@contract(stylizer=Instance(FastStylizer), folder=PathLike(), name=Str(),
          info=Any_("JSON-serialisable facts to store with the weights (command, seconds, loss curve)"))
def save_stylizer(stylizer, folder, name, **info):
    """Write ``{name}.weights.h5`` and ``{name}.json`` (the training record plus ``info``) into ``folder``.

    Args:
        stylizer: a :class:`FastStylizer` (e.g. from :func:`train_stylizer`).
        folder: where to write (created if missing).
        name: the style's name, the files' stem.
        **info: JSON-serialisable facts stored beside the training record.

    Example:
        >>> import tempfile
        >>> st = FastStylizer(build_transformer(width=2, blocks=0), "tiny")
        >>> folder = tempfile.mkdtemp()
        >>> save_stylizer(st, folder, "tiny", note="a test")
        >>> load_stylizer("tiny", path=folder).info["note"]
        'a test'
    """
    os.makedirs(folder, exist_ok=True)
    stylizer.model.save_weights(os.path.join(folder, f"{name}.weights.h5"))
    width, blocks = (int(v) for v in stylizer.model.name.rsplit("_", 1)[-1].split("x"))   # transformer_{w}x{b}
    with open(os.path.join(folder, f"{name}.json"), "w") as f:
        json.dump({**stylizer.info, "architecture": {"width": width, "blocks": blocks}, **info}, f, indent=1)
