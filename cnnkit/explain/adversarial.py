"""Adversarial images: the fast gradient sign method (Goodfellow et al. 2015), untargeted and targeted.

    >>> import numpy as np
    >>> from cnnkit import explain, models
    >>> net = models.cnn((8, 8, 1), 3, blocks=1, filters=2, dense=0)
    >>> x = np.zeros((8, 8, 1), "float32")
    >>> bool(np.abs(explain.fgsm(net, x, 0, epsilon=2 / 255) - x).max() <= 2 / 255 + 1e-6)
    True
"""
import numpy as np

from cnnkit._checks import Array, Bool, Callable_, KerasModel, Number, Pair, check_bool, check_number, contract
from cnnkit.explain._common import _batch, _keras

__all__ = ["default_loss", "fgsm"]


def _outputs_probabilities(model):
    keras = _keras()
    activation = getattr(model.layers[-1], "activation", None)
    return activation in (keras.activations.softmax, keras.activations.sigmoid) or \
        getattr(activation, "__name__", "") in ("softmax", "sigmoid")


@contract(model=KerasModel())
def default_loss(model):
    """The loss FGSM climbs for ``model``, per example.

    Cross-entropy for a classifier (from probabilities or from logits, as its last layer says), squared
    error for a one-output regression model.

    Args:
        model: a Keras model.

    Returns:
        A Keras loss with ``reduction="none"``.

    Example:
        >>> from cnnkit import models
        >>> type(default_loss(models.cnn((8, 8, 1), 3, blocks=1, filters=2, dense=0))).__name__
        'SparseCategoricalCrossentropy'
    """
    keras = _keras()
    if model.outputs[0].shape[-1] == 1:
        return keras.losses.MeanSquaredError(reduction="none")
    return keras.losses.SparseCategoricalCrossentropy(from_logits=not _outputs_probabilities(model),
                                                      reduction="none")


@contract(model=KerasModel(), images=Array(ndim=(3, 4)).describe("H × W × C or N × H × W × C"),
          labels=Array().describe("a label (a class index, or a target for a one-output model) or one per image"),
          epsilon=Number(low=0), loss=Callable_() | None, clip=Pair(Number(), what="a (low, high) pair or None") | None,
          targeted=Bool())
def fgsm(model, images, labels, *, epsilon, loss=None, clip=(0.0, 1.0), targeted=False):
    """Fast gradient sign method: ``x + ε · sign(∇_x loss(y, model(x)))``, clipped to ``clip``.

    Each pixel moves by at most ``epsilon`` (L∞), in the direction that raises the loss fastest. With
    ``targeted=True``, ``labels`` are the classes to push towards and the step goes *down* their loss:
    ``x − ε · sign(∇_x loss(target, model(x)))`` (Kurakin et al. 2017's one-step targeted attack).

    Args:
        model: a Keras model.
        images: one image (H × W × C) or a batch.
        labels: its label, or one per image (class indices of the model, or targets of a one-output model).
        epsilon: the step (≥ 0).
        loss: a per-example Keras loss (None: :func:`default_loss`).
        clip: the (low, high) pixel range, or None for no clipping.
        targeted: push towards ``labels`` instead of away from them.

    Returns:
        A float32 array shaped like ``images``.

    Raises:
        ValueError: labels outside the model's classes, or as many labels as images not given.

    Example:
        >>> from cnnkit import models
        >>> net = models.cnn((8, 8, 1), 3, blocks=1, filters=2, dense=0)
        >>> x = np.random.default_rng(0).random((8, 8, 1)).astype("float32")
        >>> adv = fgsm(net, x, 1, epsilon=0.01)
        >>> adv.shape, bool(np.abs(adv - x).max() <= 0.01 + 1e-6)
        ((8, 8, 1), True)
    """
    import tensorflow as tf

    epsilon = check_number(epsilon, "epsilon", low=0)
    targeted = check_bool(targeted, "targeted")
    if clip is not None:
        if not isinstance(clip, (tuple, list)) or len(clip) != 2:
            raise TypeError(f"clip must be a (low, high) pair or None, got {clip!r}")
        low, high = check_number(clip[0], "clip[0]"), check_number(clip[1], "clip[1]")
        if low > high:
            raise ValueError(f"clip must be (low, high) with low ≤ high, got {clip!r}")
    x, single = _batch(images, "images")
    x = x[None] if single else x
    y = np.asarray(labels)
    y = y.reshape(1, *y.shape) if single else y
    if len(y) != len(x):
        raise ValueError(f"labels has {len(y)} entries but images has {len(x)}")
    n_out = model.outputs[0].shape[-1] if getattr(model, "outputs", None) else None
    if loss is None and n_out is not None and n_out > 1:    # class labels for the cross-entropy: check them here
        bad = (y != np.round(y)) | (y < 0) | (y >= n_out)
        if bad.any():
            raise ValueError(f"labels must be class indices in 0..{n_out - 1} for a model with {n_out} outputs, "
                             f"got {y[bad].ravel()[:5].tolist()}")
    loss_fn = loss or default_loss(model)
    inputs = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        value = tf.reduce_sum(loss_fn(tf.constant(y), model(inputs, training=False)))
    step = epsilon * tf.sign(tape.gradient(value, inputs)).numpy()
    adv = x - step if targeted else x + step
    if clip is not None:
        adv = np.clip(adv, low, high)
    adv = adv.astype(np.float32)
    return adv[0] if single else adv
