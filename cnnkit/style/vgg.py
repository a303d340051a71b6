"""VGG19 features for style transfer (Gatys, Ecker & Bethge 2015): the paper's network, its layers and weights.

With ImageNet weights (Keras' cache or one bounded download) this is the paper's extractor; offline it is seeded
random weights, which carry little more than a style's palette at its shallow layers and noise at the paper's
deeper ones (notebook 07, section 12).

    >>> STYLE_LAYERS[0], CONTENT_LAYERS
    ('block1_conv1', ('block4_conv2',))
"""
import os

import keras
import numpy as np

from cnnkit._checks import (Bool, Choice, PathLike, Seed, Seq, Str, check_bool, check_choice, check_path, contract,
                            int_seed)
from cnnkit.style.losses import DEFAULT_WEIGHTS, _features

#: the paper's style layers (conv1_1 … conv5_1), equally weighted
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
#: the paper's content layer (conv4_2)
CONTENT_LAYERS = ("block4_conv2",)
#: which VGG19 weights: "imagenet", a weights file, or None for seeded random weights
_WEIGHTS = (Choice("imagenet") | PathLike()).describe("'imagenet', None or a weights-file path") | None
_VGG19_CONVS = tuple(f"block{b}_conv{c}" for b, n in zip(range(1, 6), (2, 2, 4, 4, 4)) for c in range(1, n + 1))


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

    Args:
        weights: ``"imagenet"`` (Keras' cache, else a bounded download; offline → one printed line and the random
            trunk for ``seed``, which is not kept as the ImageNet one, so the next call tries again), a
            weights-file path, or None (random).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` (one int is drawn from those) seeding random
            weights: He-normal kernels, zero biases (He, Wang & Hopcroft 2016 show
            that random VGG features still carry style; He scaling keeps deep layers from fading out).
        quiet: True to print nothing when ImageNet weights cannot be had.

    Returns:
        ``(model, source)``: the frozen Keras model (B×H×W×3 inputs in VGG's preprocessing → B×h×w×512, its last
        pooling's output), the same object for the same weights, and ``source``, ``"imagenet"``, ``"file"`` or
        ``"random"``.

    Raises:
        TypeError, ValueError: for a wrong argument.
        FileNotFoundError: for a missing weights file.

    Example:
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

    Example:
        >>> trunk, _ = vgg19_trunk(None, seed=0)
        >>> clear_trunk_cache()
        >>> vgg19_trunk(None, seed=0)[0] is trunk                 # rebuilt: a new model
        False
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

    Args:
        weights: ``"imagenet"``, a weights-file path or None (seeded random weights); see :func:`vgg19_trunk`.
        style_layers, content_layers: VGG19 convolution names (``"block1_conv1"`` … ``"block5_conv4"``); the
            model stops at the deepest one asked for.
        pooling: ``"max"`` (VGG's) or ``"avg"`` (average pooling, the paper's choice).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` seeding random weights.
        quiet: True to print nothing when ImageNet weights cannot be had.

    The model applies ``keras.applications.vgg19.preprocess_input`` to ``255·x``. ``source`` says where the
    weights came from (``"imagenet"``, ``"file"`` or ``"random"``).

    Example:
        >>> ex = FeatureExtractor(weights=None)
        >>> style, content = ex(np.zeros((1, 64, 64, 3), "float32"))
        >>> ex.source, tuple(style[0].shape), tuple(content[0].shape)
        ('random', (1, 64, 64, 64), (1, 8, 8, 512))
    """

    default_weights = DEFAULT_WEIGHTS
    #: the paper's loss: raw Grams, content features, anisotropic TV, start from the photo
    loss_options = {"normalize_style": False, "content": "features", "tv": "anisotropic"}
    default_init = "content"

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
