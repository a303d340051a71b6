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
  ``tf.image.total_variation``.
"""
import keras
import numpy as np
import tensorflow as tf

#: the paper's style layers (conv1_1 … conv5_1), equally weighted
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
#: the paper's content layer (conv4_2)
CONTENT_LAYERS = ("block4_conv2",)
_VGG19_CONVS = tuple(f"block{b}_conv{c}" for b, n in zip(range(1, 6), (2, 2, 4, 4, 4)) for c in range(1, n + 1))


def _features(x, name="features"):
    x = tf.convert_to_tensor(x, tf.float32)
    if x.shape.rank == 3:
        x = x[None]
    if x.shape.rank != 4:
        raise ValueError(f"{name} must be H×W×C or B×H×W×C, got shape {tuple(x.shape)}")
    return x


def gram_matrix(features):
    """Channel co-occurrences ``FᵀF / (H·W)`` of B×H×W×C features → B×C×C (an H×W×C input gets a batch of 1)."""
    f = _features(features)
    positions = tf.cast(tf.shape(f)[1] * tf.shape(f)[2], tf.float32)
    return tf.einsum("bijc,bijd->bcd", f, f) / positions


def content_loss(features, target):
    """``mean((F − P)²)``: how far ``features`` are from the content ``target`` features (same shape)."""
    f, p = _features(features), _features(target, "target")
    if f.shape[1:] != p.shape[1:]:
        raise ValueError(f"features {tuple(f.shape)} and target {tuple(p.shape)} must have the same shape")
    return tf.reduce_mean(tf.square(f - p))


def style_loss(features, target_gram):
    """``¼·mean((G − A)²)`` between the Gram of ``features`` and ``target_gram`` (the paper's E_l, see module doc)."""
    g = gram_matrix(features)
    a = tf.convert_to_tensor(target_gram, tf.float32)
    if g.shape[-1] != a.shape[-1]:
        raise ValueError(f"features have {g.shape[-1]} channels but target_gram is {tuple(a.shape)}")
    return 0.25 * tf.reduce_mean(tf.square(g - a))


def total_variation_loss(images):
    """Sum of absolute differences between neighbouring pixels, per image (equals ``tf.image.total_variation``)."""
    x = _features(images, "images")
    dy = tf.reduce_sum(tf.abs(x[:, 1:, :, :] - x[:, :-1, :, :]), axis=[1, 2, 3])
    dx = tf.reduce_sum(tf.abs(x[:, :, 1:, :] - x[:, :, :-1, :]), axis=[1, 2, 3])
    return dy + dx


_TRUNKS = {}


def _he_reinit(model, seed):
    """Seeded He-normal kernels, zero biases: activations keep their scale through the ReLUs."""
    for i, layer in enumerate(l for l in model.layers if isinstance(l, keras.layers.Conv2D)):
        kernel, bias = layer.get_weights()
        init = keras.initializers.HeNormal(seed=int(seed) * 100 + i)
        layer.set_weights([np.asarray(init(kernel.shape)), np.zeros_like(bias)])


def vgg19_trunk(weights="imagenet", seed=0, quiet=False):
    """VGG19's convolutional part (``include_top=False``) and where its weights came from, built once per arguments.

    ``weights``: ``"imagenet"`` (Keras' download and cache; offline → one printed line and random weights),
    a weights-file path, or None. Random weights are seeded He-normal (He, Wang & Hopcroft 2016 show that
    random VGG features still carry style; He scaling keeps deep layers from fading out).
    """
    from cnnkit.pretrained import load_application

    key = (str(weights), int(seed))
    if key not in _TRUNKS:
        model, source = load_application("VGG19", weights=weights, quiet=quiet, include_top=False)
        if source == "random":
            _he_reinit(model, seed)
        model.trainable = False
        _TRUNKS[key] = (model, source)
    return _TRUNKS[key]


class FeatureExtractor:
    """VGG19 features for style transfer: an image batch in [0, 1] → style-layer and content-layer activations.

        >>> ex = FeatureExtractor(weights=None)                         # doctest: +SKIP
        >>> style, content = ex(np.zeros((1, 64, 64, 3), "float32"))    # doctest: +SKIP
        >>> [tuple(s.shape) for s in style][0], tuple(content[0].shape) # doctest: +SKIP
        ((1, 64, 64, 64), (1, 8, 8, 512))

    The model applies ``keras.applications.vgg19.preprocess_input`` to ``255·x`` and stops at the deepest layer
    asked for. ``pooling="avg"`` swaps VGG's max pooling for average pooling (the paper's choice).
    """

    def __init__(self, weights="imagenet", style_layers=STYLE_LAYERS, content_layers=CONTENT_LAYERS,
                 pooling="max", seed=0, quiet=False):
        self.style_layers, self.content_layers = tuple(style_layers), tuple(content_layers)
        for arg, layers in (("style_layers", self.style_layers), ("content_layers", self.content_layers)):
            unknown = [n for n in layers if n not in _VGG19_CONVS]
            if unknown:
                raise ValueError(f"{arg}: unknown VGG19 layer(s) {unknown}; choose from {', '.join(_VGG19_CONVS)}")
        if not self.style_layers and not self.content_layers:
            raise ValueError("style_layers and content_layers cannot both be empty")
        if pooling not in ("max", "avg"):
            raise ValueError(f"pooling must be 'max' or 'avg', got {pooling!r}")
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


class StyleContentLoss:
    """``α·content + β·style + γ·tv`` of an image batch in [0, 1], with the targets computed once here.

    Layers are weighted equally (``1/len(layers)`` each). Calling it returns ``(total, content, style, tv)``,
    already weighted, as scalar tensors.
    """

    def __init__(self, extractor, content, style, content_weight=1e4, style_weight=4e-2, tv_weight=30.0):
        self.extractor = extractor
        self.content_weight, self.style_weight, self.tv_weight = float(content_weight), float(style_weight), \
            float(tv_weight)
        for arg, w in (("content_weight", content_weight), ("style_weight", style_weight), ("tv_weight", tv_weight)):
            if not np.isfinite(w) or w < 0:
                raise ValueError(f"{arg} must be a finite non-negative number, got {w!r}")
        style_feats, _ = extractor(style)
        _, content_feats = extractor(content)
        self.style_targets = [gram_matrix(f) for f in style_feats]
        self.content_targets = [tf.identity(f) for f in content_feats]

    def __call__(self, images):
        style_feats, content_feats = self.extractor(images)
        zero = tf.constant(0.0)
        c = tf.add_n([content_loss(f, p) for f, p in zip(content_feats, self.content_targets)]) / len(content_feats) \
            if content_feats else zero
        s = tf.add_n([style_loss(f, a) for f, a in zip(style_feats, self.style_targets)]) / len(style_feats) \
            if style_feats else zero
        tv = tf.reduce_sum(total_variation_loss(images))
        c, s, tv = self.content_weight * c, self.style_weight * s, self.tv_weight * tv
        return c + s + tv, c, s, tv
