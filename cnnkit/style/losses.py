"""The losses of neural style transfer (Gatys, Ecker & Bethge 2015) and the VGG19 features they compare.

    >>> import numpy as np
    >>> from cnnkit.style.losses import gram_matrix
    >>> f = np.ones((1, 4, 4, 2), "float32")          # a batch of one 4×4 map with 2 channels
    >>> gram_matrix(f).numpy()[0]                      # channel co-occurrence, divided by H·W = 16
    array([[1., 1.],
           [1., 1.]], dtype=float32)

Normalisation (written so sizes do not change the balance between terms):

* ``gram_matrix(F) = FᵀF / M`` with ``F`` the M×N matrix of one layer (M = H·W positions, N channels).
* ``style_loss = ¼ · mean((G − A)²)`` over the N² entries, which is exactly the paper's
  ``E_l = 1/(4·N²·M²) · Σ(Ĝ − Â)²`` for un-normalised Grams ``Ĝ = FᵀF``. The TF tutorial's per-layer loss is
  ``mean((G − A)²)``, four times this, so its ``style_weight`` 1e-2 equals 4e-2 here.
* ``content_loss = mean((F − P)²)``: the paper's ``½·Σ(F − P)²`` divided by ``N·M/2`` (as the TF tutorial).
* ``total_variation_loss = Σ|x[i+1, j] − x[i, j]| + Σ|x[i, j+1] − x[i, j]|`` per image, as
  ``tf.image.total_variation``; :class:`StyleContentLoss` divides it by H·W, so all three terms are means
  and α, β, γ weigh the same at 64 px as at 512 px (a sum would make γ 64× heavier at 512 px than at 64 px).
"""
import os

import keras
import numpy as np
import tensorflow as tf

from cnnkit._checks import (Array, Bool, Callable_, Choice, Instance, Number, PathLike, Seed, Seq, Str, check_bool,
                            check_choice, check_number, check_path, contract, int_seed)
from cnnkit._checks import Image as ImageRule

#: the paper's style layers (conv1_1 … conv5_1), equally weighted
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
#: the paper's content layer (conv4_2)
CONTENT_LAYERS = ("block4_conv2",)
#: α, β, γ for VGG19 features: the TF tutorial's 1e4 and 1e-2 (×4, see above), and its TV weight 30 on a sum,
#: made a mean at 256 × 256 (30 · 256²)
DEFAULT_WEIGHTS = (1e4, 4e-2, 30.0 * 256 ** 2)
#: feature maps: a B×H×W×C (or H×W×C) array or tensor
_FEATURES = (Instance("tensorflow.Tensor", "tensorflow.Variable") | Array(ndim=(3, 4))).describe(
    "B×H×W×C (or H×W×C) feature maps, an array or a tensor")
_GRAM = (Instance("tensorflow.Tensor", "tensorflow.Variable") | Array(ndim=(2, 3))).describe(
    "a B×C×C (or C×C) Gram matrix, an array or a tensor")
#: which VGG19 weights: "imagenet", a weights file, or None for seeded random weights
_WEIGHTS = (Choice("imagenet") | PathLike()).describe("'imagenet', None or a weights-file path") | None
#: a content or style image: a 1×H×W×3 (or H×W×3) image in [0, 1] (or tensor)
_PICTURE = (Instance("tensorflow.Tensor", "tensorflow.Variable") | ImageRule(ndim=(3, 4), channels=(3,))).describe(
    "an H×W×3 or 1×H×W×3 image (uint8, or float in [0, 1]) or tensor")
_VGG19_CONVS = tuple(f"block{b}_conv{c}" for b, n in zip(range(1, 6), (2, 2, 4, 4, 4)) for c in range(1, n + 1))


def _features(x, name="features"):
    x = tf.convert_to_tensor(x, tf.float32)
    if x.shape.rank == 3:
        x = x[None]
    if x.shape.rank != 4:
        raise ValueError(f"{name} must be H×W×C or B×H×W×C, got shape {tuple(x.shape)}")
    return x


def _unit_float(image, name):
    """An image array by the one dtype rule (uint8 scaled to [0, 1]); a tensor as it is."""
    if isinstance(image, (tf.Tensor, tf.Variable)):
        return image
    from cnnkit.images import as_float

    return as_float(image, name)


@contract(features=_FEATURES)
def gram_matrix(features):
    """Channel co-occurrences ``FᵀF / (H·W)`` of feature maps (the style representation).

    Arguments:
        features: B×H×W×C (or H×W×C, given a batch of one) feature maps.

    Returns a B×C×C float32 tensor (see the module example).
    """
    f = _features(features)
    positions = tf.cast(tf.shape(f)[1] * tf.shape(f)[2], tf.float32)
    return tf.einsum("bijc,bijd->bcd", f, f) / positions


@contract(features=_FEATURES, target=_FEATURES)
def content_loss(features, target):
    """``mean((F − P)²)``: how far ``features`` are from the content image's features.

    Arguments:
        features, target: feature maps of the same H×W×C (B×H×W×C or H×W×C).

        >>> float(content_loss(np.zeros((2, 2, 3)), np.ones((2, 2, 3))))
        1.0
    """
    f, p = _features(features), _features(target, "target")
    if f.shape[1:] != p.shape[1:]:
        raise ValueError(f"features {tuple(f.shape)} and target {tuple(p.shape)} must have the same shape")
    return tf.reduce_mean(tf.square(f - p))


@contract(features=_FEATURES, target_gram=_GRAM)
def style_loss(features, target_gram):
    """``¼·mean((G − A)²)`` between the Gram matrix of ``features`` and the style's (the paper's E_l).

    Arguments:
        features: B×H×W×C (or H×W×C) feature maps of the image being optimised.
        target_gram: the style image's C×C (or B×C×C) :func:`gram_matrix` at the same layer.

        >>> float(style_loss(np.ones((4, 4, 2)), np.zeros((2, 2))))   # G is all ones: ¼·mean(1²)
        0.25
    """
    g = gram_matrix(features)
    a = tf.convert_to_tensor(target_gram, tf.float32)
    if g.shape[-1] != a.shape[-1]:
        raise ValueError(f"features have {g.shape[-1]} channels but target_gram is {tuple(a.shape)}")
    return 0.25 * tf.reduce_mean(tf.square(g - a))


@contract(images=_FEATURES)
def total_variation_loss(images):
    """Sum of absolute differences between neighbouring pixels, per image (as ``tf.image.total_variation``).

    Arguments:
        images: a B×H×W×C batch (or one H×W×C image). Returns a tensor of B sums.

        >>> total_variation_loss(np.array([[[0.0], [1.0]], [[0.0], [1.0]]])).numpy()   # two steps of 1
        array([2.], dtype=float32)
    """
    x = _features(images, "images")
    dy = tf.reduce_sum(tf.abs(x[:, 1:, :, :] - x[:, :-1, :, :]), axis=[1, 2, 3])
    dx = tf.reduce_sum(tf.abs(x[:, :, 1:, :] - x[:, :, :-1, :]), axis=[1, 2, 3])
    return dy + dx


# VGG19 trunks built so far, keyed on the weights actually obtained: ("imagenet",), ("file", path, mtime) or
# ("random", seed). An offline fallback is stored as the random trunk it is, never under ("imagenet",).
_TRUNKS = {}


def _he_reinit(model, seed):
    """Seeded He-normal kernels, zero biases: activations keep their scale through the ReLUs."""
    for i, layer in enumerate(l for l in model.layers if isinstance(l, keras.layers.Conv2D)):
        kernel, bias = layer.get_weights()
        init = keras.initializers.HeNormal(seed=int(seed) * 100 + i)
        layer.set_weights([np.asarray(init(kernel.shape)), np.zeros_like(bias)])


def _trunk_key(weights, seed):
    """The cache key of the trunk that ``weights`` asks for (checking ``weights`` on the way)."""
    if weights is None:
        return ("random", seed)
    if isinstance(weights, str) and weights == "imagenet":
        return ("imagenet",)
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError(f"weights must be 'imagenet', None or a weights-file path, got {type(weights).__name__}")
    path = check_path(weights, "weights").resolve()
    return ("file", str(path), path.stat().st_mtime_ns)


@contract(weights=_WEIGHTS, seed=Seed(), quiet=Bool())
def vgg19_trunk(weights="imagenet", *, seed=0, quiet=False):
    """Build VGG19's convolutional part (``include_top=False``), frozen, once per weights obtained.

    Arguments:
        weights: ``"imagenet"`` (Keras' cache, else a bounded download; offline → one printed line and the random
            trunk for ``seed``, which is not kept as the ImageNet one, so the next call tries again), a
            weights-file path, or None (random).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` (one int is drawn from those) seeding random
            weights: He-normal kernels, zero biases (He, Wang & Hopcroft 2016 show
            that random VGG features still carry style; He scaling keeps deep layers from fading out).
        quiet: True to print nothing when ImageNet weights cannot be had.

    Returns ``(model, source)`` with ``source`` ``"imagenet"``, ``"file"`` or ``"random"``. Raises ``TypeError`` or
    ``ValueError`` for a wrong argument and ``FileNotFoundError`` for a missing weights file.

        >>> trunk, source = vgg19_trunk(None, seed=0)
        >>> source, trunk.output_shape, vgg19_trunk(None, seed=0)[0] is trunk
        ('random', (None, None, None, 512), True)
    """
    from cnnkit.pretrained import load_application

    seed = int_seed(seed)
    quiet = check_bool(quiet, "quiet")
    key = _trunk_key(weights, seed)
    if key in _TRUNKS:
        return _TRUNKS[key]
    model, source = load_application("VGG19", weights=weights if key[0] != "file" else key[1], quiet=bool(quiet),
                                     include_top=False)
    if source == "random":
        _he_reinit(model, seed)
    model.trainable = False
    obtained = key if source == key[0] else ("random", seed)  # an ImageNet request that fell back: random
    return _TRUNKS.setdefault(obtained, (model, source))


@contract()
def clear_trunk_cache():
    """Forget the VGG19 trunks :func:`vgg19_trunk` has built (frees their memory; the next call rebuilds).

        >>> clear_trunk_cache()
    """
    _TRUNKS.clear()


def _layer_names(layers, arg):
    if isinstance(layers, str):
        raise TypeError(f"{arg} must be a sequence of layer names, not one string ({layers!r}); "
                        f"write ({layers!r},)")
    layers = tuple(layers)
    unknown = [n for n in layers if n not in _VGG19_CONVS]
    if unknown:
        raise ValueError(f"{arg}: unknown VGG19 layer(s) {unknown}; choose from {', '.join(_VGG19_CONVS)}")
    return layers


@contract(weights=_WEIGHTS, style_layers=Seq(Str(), min_len=0, what="a sequence of VGG19 layer names"),
          content_layers=Seq(Str(), min_len=0, what="a sequence of VGG19 layer names"), pooling=Choice("max", "avg"),
          seed=Seed(), quiet=Bool())
class FeatureExtractor:
    """VGG19 features for style transfer: an image batch in [0, 1] → style-layer and content-layer activations.

    Arguments:
        weights: ``"imagenet"``, a weights-file path or None (seeded random weights); see :func:`vgg19_trunk`.
        style_layers, content_layers: VGG19 convolution names (``"block1_conv1"`` … ``"block5_conv4"``); the
            model stops at the deepest one asked for.
        pooling: ``"max"`` (VGG's) or ``"avg"`` (average pooling, the paper's choice).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` seeding random weights.
        quiet: True to print nothing when ImageNet weights cannot be had.

    The model applies ``keras.applications.vgg19.preprocess_input`` to ``255·x``. ``source`` says where the
    weights came from (``"imagenet"``, ``"file"`` or ``"random"``).

        >>> ex = FeatureExtractor(weights=None)
        >>> style, content = ex(np.zeros((1, 64, 64, 3), "float32"))
        >>> ex.source, tuple(style[0].shape), tuple(content[0].shape)
        ('random', (1, 64, 64, 64), (1, 8, 8, 512))
    """

    default_weights = DEFAULT_WEIGHTS

    def __init__(self, weights="imagenet", *, style_layers=STYLE_LAYERS, content_layers=CONTENT_LAYERS,
                 pooling="max", seed=0, quiet=False):
        self.style_layers = _layer_names(style_layers, "style_layers")
        self.content_layers = _layer_names(content_layers, "content_layers")
        if not self.style_layers and not self.content_layers:
            raise ValueError("style_layers and content_layers cannot both be empty")
        check_choice(pooling, "pooling", ("max", "avg"))
        trunk, self.source = vgg19_trunk(weights, seed=seed, quiet=quiet)
        wanted = set(self.style_layers + self.content_layers)
        deepest = max(_VGG19_CONVS.index(n) for n in wanted)
        inputs = keras.Input((None, None, 3), name="image")
        x = keras.applications.vgg19.preprocess_input(inputs * 255.0)
        outputs = {}
        for layer in trunk.layers[1:]:
            if isinstance(layer, keras.layers.MaxPooling2D) and pooling == "avg":
                layer = keras.layers.AveragePooling2D(2, 2, name=layer.name.replace("pool", "avgpool"))
            x = layer(x)
            if layer.name in wanted:
                outputs[layer.name] = x
            if layer.name == _VGG19_CONVS[deepest]:
                break
        self.model = keras.Model(inputs, [outputs[n] for n in self.style_layers + self.content_layers],
                                 name=f"vgg19_style_{pooling}")

    def __call__(self, images):
        """``(style_features, content_features)``: two lists of B×H×W×C tensors in layer order."""
        out = self.model(_features(images, "images"), training=False)
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        k = len(self.style_layers)
        return out[:k], out[k:]


@contract(extractor=Callable_(), content=_PICTURE, style=_PICTURE, content_weight=Number(low=0),
          style_weight=Number(low=0), tv_weight=Number(low=0))
class StyleContentLoss:
    """``α·content + β·style + γ·tv`` of an image batch in [0, 1], with the targets computed once here.

    Arguments:
        extractor: a :class:`FeatureExtractor`.
        content, style: the content and style images, 1×H×W×3 (or H×W×3) floats in [0, 1]; sizes may differ.
        content_weight, style_weight, tv_weight: α, β, γ, finite and ≥ 0.

    Layers are weighted equally (``1/len(layers)`` each). Every term is a mean: the content term over positions
    and channels, the style term over Gram entries (Grams are divided by H·W), the total variation divided by
    H·W. So α, β, γ keep their balance whatever the image size. Calling it on an image batch returns
    ``(total, content, style, tv)``, already weighted, as scalar tensors.

        >>> ex = FeatureExtractor(weights=None)
        >>> photo = np.full((1, 32, 32, 3), 0.5, "float32")
        >>> loss = StyleContentLoss(ex, photo, np.random.default_rng(0).uniform(size=(1, 32, 32, 3)))
        >>> total, content, style, tv = loss(photo)                    # the photo itself: no content or tv loss
        >>> float(content), float(tv), float(style) > 0
        (0.0, 0.0, True)
    """

    def __init__(self, extractor, content, style, *, content_weight=1e4, style_weight=4e-2,
                 tv_weight=DEFAULT_WEIGHTS[2]):
        if not callable(extractor):
            raise TypeError(f"extractor must be a FeatureExtractor (or a callable like one), got {extractor!r}")
        self.extractor = extractor
        self.content_weight = check_number(content_weight, "content_weight", low=0)
        self.style_weight = check_number(style_weight, "style_weight", low=0)
        self.tv_weight = check_number(tv_weight, "tv_weight", low=0)
        style_feats, _ = extractor(_unit_float(style, "style"))
        _, content_feats = extractor(_unit_float(content, "content"))
        self.style_targets = [gram_matrix(f) for f in style_feats]
        self.content_targets = [tf.identity(f) for f in content_feats]

    def __call__(self, images):
        style_feats, content_feats = self.extractor(images)
        zero = tf.constant(0.0)
        c = tf.add_n([content_loss(f, p) for f, p in zip(content_feats, self.content_targets)]) / len(content_feats) \
            if content_feats else zero
        s = tf.add_n([style_loss(f, a) for f, a in zip(style_feats, self.style_targets)]) / len(style_feats) \
            if style_feats else zero
        x = _features(images, "images")
        tv = tf.reduce_sum(total_variation_loss(x)) / tf.cast(tf.shape(x)[1] * tf.shape(x)[2], tf.float32)
        c, s, tv = self.content_weight * c, self.style_weight * s, self.tv_weight * tv
        return c + s + tv, c, s, tv
