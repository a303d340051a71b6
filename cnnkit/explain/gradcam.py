"""Grad-CAM (Selvaraju et al. 2017): where in an image the evidence for a class lies, and how to measure it.

    >>> import numpy as np
    >>> from cnnkit import explain, models
    >>> net = models.cnn((16, 16, 3), 3, blocks=1, filters=4, dense=0)
    >>> heat = explain.grad_cam(net, np.ones((16, 16, 3), "float32"))      # H × W, values in [0, 1]
    >>> heat.shape, explain.overlay(np.ones((16, 16, 3)), heat).shape
    ((16, 16), (16, 16, 3))
"""
import numpy as np

from cnnkit._checks import (Array, Image, Int, KerasModel, Labels, Number, Str, check_array, check_int, check_number,
                            contract)
from cnnkit.explain._common import _batch, _keras
from cnnkit.images import as_float

__all__ = ["grad_cam", "last_conv_layer", "overlay"]


def _is_conv(layer):
    name = type(layer).__name__
    return "Conv" in name and "Transpose" not in name


def _rank(layer):
    try:
        return len(layer.output.shape)
    except (AttributeError, ValueError):
        return 0


_ELEMENTWISE = ("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU", "BatchNormalization")
_ACTIVATIONS = ("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU")


def _feeds(previous, layer):
    """True when ``layer`` takes ``previous``'s output as its (only) input."""
    try:
        return layer.input is previous.output
    except (AttributeError, ValueError):
        return False


@contract(model=KerasModel())
def last_conv_layer(model):
    """The name of the layer Grad-CAM looks at by default: the last convolution's **rectified** output.

    Grad-CAM weights *rectified* feature maps (Selvaraju et al. 2017; the keras-io example reads
    ``block14_sepconv2_act``): when the last top-level convolution with a 4-D output is followed by its own
    activation layer (``conv → ReLU`` or ``conv → BatchNorm → ReLU``, as in :func:`cnnkit.models.cnn`), the
    answer is that activation layer; a convolution with a built-in activation is its own answer. A nested
    model (a reused backbone) ending in feature maps counts as a convolution. Pre-activation maps would let
    channels with negative weights and negative values add heat over flat regions and padded borders.

    Args:
        model: a Keras model.

    Returns:
        The layer's name.

    Raises:
        ValueError: the model has no convolution with a 4-D output.

    Example:
        >>> from cnnkit import models
        >>> last_conv_layer(models.cnn((16, 16, 3), 3, blocks=2, filters=4, dense=0))
        'block2_relu2'
    """
    keras = _keras()
    layers = model.layers
    for i in range(len(layers) - 1, -1, -1):
        layer = layers[i]
        if _rank(layer) != 4:
            continue
        if isinstance(layer, keras.Model):
            return layer.name
        if _is_conv(layer):
            chosen, previous = layer, layer
            for following in layers[i + 1:]:
                if type(following).__name__ not in _ELEMENTWISE or not _feeds(previous, following):
                    break
                if type(following).__name__ in _ACTIVATIONS:
                    chosen = following
                previous = following
            return chosen.name
    raise ValueError(f"model {model.name!r} has no convolution layer with a 4-D output for Grad-CAM; "
                     f"its layers are {[l.name for l in model.layers]}")


def _score_tensor(model):
    """The pre-softmax class scores when the model has a ``class_scores`` layer, else its output."""
    try:
        return model.get_layer("class_scores").output
    except ValueError:
        return model.outputs[0]


@contract(model=KerasModel(), image=Array(ndim=(3, 4)).describe("H × W × C or N × H × W × C"),
          layer=Str() | None, class_index=(Int(low=0) | Labels()).describe("a class index, or one per image") | None)
def grad_cam(model, image, *, layer=None, class_index=None):
    """Grad-CAM heat map: where in ``image`` the evidence for a class lies, in [0, 1] at the image size.

    Takes the feature maps ``A_k`` of ``layer`` (default: :func:`last_conv_layer`, the last convolution after
    its ReLU), weights each by the average gradient of the class score with respect to it,
    ``α_k = mean(∂y_c / ∂A_k)``, sums ``ReLU(Σ_k α_k A_k)``, upsamples bilinearly and divides by the maximum.
    The class score is the ``class_scores`` layer (before softmax) when there is one. A map with no positive
    evidence is all zeros, never NaN.

    Args:
        model: a one-input Keras model.
        image: H × W × C (gives an H × W map) or a batch N × H × W × C (gives N × H × W maps), in the range
            the model was trained on.
        layer: the name of the layer whose feature maps are weighted (None: :func:`last_conv_layer`).
        class_index: the class, or one per image (None: the predicted class; 0 for a one-output regression
            model).

    Returns:
        A float32 array in [0, 1], H × W or N × H × W.

    Raises:
        ValueError: a model with several inputs, a layer without feature maps, or a class index out of range.

    Example:
        >>> from cnnkit import models
        >>> net = models.cnn((16, 16, 3), 3, blocks=1, filters=4, dense=0)
        >>> heat = grad_cam(net, np.ones((2, 16, 16, 3), "float32"), class_index=[0, 2])
        >>> heat.shape, bool(heat.min() >= 0 and heat.max() <= 1)
        ((2, 16, 16), True)
    """
    import tensorflow as tf

    keras = _keras()
    x, single = _batch(image)
    x = x[None] if single else x
    if len(model.inputs) != 1:
        raise ValueError(f"grad_cam needs a one-input model; {model.name!r} has {len(model.inputs)}")
    from cnnkit.models import find_layer

    name = last_conv_layer(model) if layer is None else layer
    target = find_layer(model, name)
    name = target.name
    if _rank(target) != 4:
        raise ValueError(f"layer {name!r} must output feature maps (N × H × W × C), got {target.output.shape}")
    probe = keras.Model(model.inputs[0], [target.output, _score_tensor(model)])
    inputs = tf.constant(x)
    with tf.GradientTape() as tape:
        maps, scores = probe(inputs, training=False)
        n_out = scores.shape[-1]
        if class_index is None:
            chosen = tf.argmax(scores, axis=-1, output_type=tf.int32)
        else:
            chosen = tf.constant(_class_indices(class_index, len(x), n_out))
        score = tf.gather(scores, chosen, axis=-1, batch_dims=1)
    grads = tape.gradient(score, maps)
    weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * maps, axis=-1))[..., None]
    cam = tf.image.resize(cam, x.shape[1:3], method="bilinear")[..., 0].numpy()
    peak = cam.reshape(len(cam), -1).max(axis=1).reshape(-1, 1, 1)
    cam = np.divide(cam, peak, out=np.zeros_like(cam), where=peak > 0)
    cam = np.clip(cam, 0.0, 1.0).astype(np.float32)
    return cam[0] if single else cam


def _class_indices(class_index, n, n_out):
    """``class_index`` (one int, or one per image) as ``n`` int32 indices in ``0..n_out - 1``."""
    if np.ndim(class_index) == 0:
        indices = [check_int(class_index, "class_index")]
    else:
        indices = [check_int(c, f"class_index[{k}]") for k, c in enumerate(class_index)]
        if len(indices) != n:
            raise ValueError(f"class_index has {len(indices)} entries for {n} images")
    if any(not 0 <= c < n_out for c in indices):
        raise ValueError(f"class_index must be in 0..{n_out - 1}, got {class_index!r}")
    return np.broadcast_to(np.asarray(indices, dtype=np.int32), (n,))


@contract(image=Image(channels=(1, 3)), heatmap=Array(ndim=2, low=0, high=1), alpha=Number(low=0, high=1), cmap=Str())
def overlay(image, heatmap, *, alpha=0.45, cmap="jet"):
    """An image with a heat map drawn over it in colour: an H × W × 3 float image in [0, 1] for ``imshow``.

    Args:
        image: H × W, H × W × 1 or H × W × 3, scaled by its dtype as everywhere in cnnkit (:mod:`cnnkit.images`:
            uint8 0..255, uint16, bool, or float in [0, 1]; a float outside [0, 1] is refused, not guessed).
        heatmap: H × W in [0, 1], e.g. from :func:`grad_cam`.
        alpha: the weight of the heat colours (0 shows the image alone).
        cmap: a matplotlib colour map name.

    Returns:
        A float array H × W × 3 in [0, 1].

    Raises:
        ValueError: a heat map of another size, or an unknown colour map.

    Example:
        >>> picture = overlay(np.zeros((2, 2), np.uint8), np.array([[0.0, 1.0], [0.5, 1.0]]), alpha=0.5)
        >>> picture.shape, picture[0, 1].round(2).tolist()            # black image, hottest cell: half red
        ((2, 2, 3), [0.25, 0.0, 0.0])
    """
    import matplotlib

    img = as_float(image, "image")
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    if img.ndim != 3 or img.shape[-1] != 3:
        raise ValueError(f"image must be H × W, H × W × 1 or H × W × 3, got shape {np.shape(image)}")
    heat = check_array(heatmap, "heatmap", dtype=np.float32)
    if heat.shape != img.shape[:2]:
        raise ValueError(f"heatmap has shape {heat.shape} but the image is {img.shape[:2]}")
    if heat.size and (heat.min() < 0 or heat.max() > 1):
        raise ValueError(f"heatmap must lie in [0, 1], found [{float(heat.min()):g}, {float(heat.max()):g}]")
    alpha = check_number(alpha, "alpha", low=0, high=1)
    try:
        colour_map = matplotlib.colormaps[cmap]
    except KeyError:
        raise ValueError(f"cmap {cmap!r} is not a matplotlib colour map") from None
    colours = colour_map(heat)[..., :3]
    return np.clip((1 - alpha) * img + alpha * colours, 0.0, 1.0)
