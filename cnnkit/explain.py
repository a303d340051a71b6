"""Look inside and stress a trained image classifier: Grad-CAM heat maps, FGSM adversarial images,
and accuracy under rotations / brightness shifts.

    >>> from cnnkit import explain
    >>> heat = explain.grad_cam(model, image)   # H × W, values in [0, 1]   # doctest: +SKIP
    >>> picture = explain.overlay(image, heat)             # doctest: +SKIP
    >>> x_adv = explain.fgsm(model, x, y, epsilon=2 / 255)  # doctest: +SKIP
    >>> explain.robustness(model, x, y, {"rotate 30°": explain.rotate(30)})   # doctest: +SKIP
    {'original': 0.91, 'rotate 30°': 0.64}

Images are float arrays (H × W × C, or N × H × W × C for a batch) in the range the model was trained on.
"""
import numpy as np


def _keras():
    import keras

    return keras


def _is_conv(layer):
    name = type(layer).__name__
    return "Conv" in name and "Transpose" not in name


def _rank(layer):
    try:
        return len(layer.output.shape)
    except (AttributeError, ValueError):
        return 0


def last_conv_layer(model):
    """The name of ``model``'s last top-level layer with a 4-D output that is a convolution, or a nested
    model (a reused backbone) ending in feature maps; Grad-CAM looks there by default."""
    keras = _keras()
    for layer in reversed(model.layers):
        if _rank(layer) == 4 and (_is_conv(layer) or isinstance(layer, keras.Model)):
            return layer.name
    raise ValueError(f"model {model.name!r} has no convolution layer with a 4-D output for Grad-CAM; "
                     f"its layers are {[l.name for l in model.layers]}")


def _score_tensor(model):
    """The pre-softmax class scores when the model has a ``class_scores`` layer, else its output."""
    try:
        return model.get_layer("class_scores").output
    except ValueError:
        return model.outputs[0]


def _batch(images, name="image"):
    x = np.asarray(images, dtype=np.float32)
    if x.ndim not in (3, 4):
        raise ValueError(f"{name} must be H × W × C or N × H × W × C, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or inf")
    return x, x.ndim == 3


def grad_cam(model, image, layer=None, class_index=None):
    """Grad-CAM heat map: where in ``image`` the evidence for a class lies, in [0, 1] at the image size.

    Takes the feature maps ``A_k`` of ``layer`` (default: :func:`last_conv_layer`), weights each by
    the average gradient of the class score with respect to it, ``α_k = mean(∂y_c / ∂A_k)``, sums
    ``ReLU(Σ_k α_k A_k)``, upsamples bilinearly and divides by the maximum. The class score is the
    ``class_scores`` layer (before softmax) when there is one; ``class_index`` defaults to the
    predicted class (use 0 for a one-output regression model). A map with no positive evidence is
    all zeros, never NaN.

    ``image``: H × W × C gives an H × W map; a batch N × H × W × C gives N × H × W maps
    (``class_index`` may then be one index per image).
    """
    import tensorflow as tf

    keras = _keras()
    x, single = _batch(image)
    x = x[None] if single else x
    if len(model.inputs) != 1:
        raise ValueError(f"grad_cam needs a one-input model; {model.name!r} has {len(model.inputs)}")
    name = layer or last_conv_layer(model)
    try:
        target = model.get_layer(name)
    except ValueError as err:
        raise ValueError(f"layer {name!r} is not a layer of {model.name!r}") from err
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
            chosen = tf.constant(np.broadcast_to(np.asarray(class_index, dtype=np.int32), (len(x),)))
            if np.any(chosen.numpy() < 0) or np.any(chosen.numpy() >= n_out):
                raise ValueError(f"class_index must be in 0..{n_out - 1}, got {class_index!r}")
        score = tf.gather(scores, chosen, axis=-1, batch_dims=1)
    grads = tape.gradient(score, maps)
    weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * maps, axis=-1))[..., None]
    cam = tf.image.resize(cam, x.shape[1:3], method="bilinear")[..., 0].numpy()
    peak = cam.reshape(len(cam), -1).max(axis=1).reshape(-1, 1, 1)
    cam = np.divide(cam, peak, out=np.zeros_like(cam), where=peak > 0)
    cam = np.clip(cam, 0.0, 1.0).astype(np.float32)
    return cam[0] if single else cam


def overlay(image, heatmap, alpha=0.45, cmap="jet"):
    """``image`` (H × W × 3 or H × W, uint8 or float) blended with ``heatmap`` (H × W in [0, 1]) drawn in
    ``cmap``; returns an H × W × 3 float image in [0, 1] ready for ``plt.imshow``."""
    import matplotlib

    img = np.asarray(image, dtype=np.float32)
    heat = np.asarray(heatmap, dtype=np.float32)
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    if img.ndim != 3 or img.shape[-1] != 3:
        raise ValueError(f"image must be H × W, H × W × 1 or H × W × 3, got shape {np.shape(image)}")
    if heat.shape != img.shape[:2]:
        raise ValueError(f"heatmap has shape {heat.shape} but the image is {img.shape[:2]}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    if img.max() > 1.0:
        img = img / 255.0
    colours = matplotlib.colormaps[cmap](np.clip(heat, 0, 1))[..., :3]
    return np.clip((1 - alpha) * img + alpha * colours, 0.0, 1.0)


def _outputs_probabilities(model):
    keras = _keras()
    activation = getattr(model.layers[-1], "activation", None)
    return activation in (keras.activations.softmax, keras.activations.sigmoid) or \
        getattr(activation, "__name__", "") in ("softmax", "sigmoid")


def default_loss(model):
    """The loss FGSM climbs: cross-entropy for a classifier (probabilities or logits), squared error for a
    one-output regression model."""
    keras = _keras()
    if model.outputs[0].shape[-1] == 1:
        return keras.losses.MeanSquaredError(reduction="none")
    return keras.losses.SparseCategoricalCrossentropy(from_logits=not _outputs_probabilities(model),
                                                      reduction="none")


def fgsm(model, images, labels, epsilon, loss=None, clip=(0.0, 1.0)):
    """Fast gradient sign method: ``x + ε · sign(∇_x loss(y, model(x)))``, clipped to ``clip``.

    Each pixel moves by at most ``epsilon`` (L∞), in the direction that raises the loss fastest.
    ``loss`` defaults to :func:`default_loss`; ``clip=None`` keeps values unclipped. Returns an array
    shaped like ``images``.
    """
    import tensorflow as tf

    if not np.isscalar(epsilon) or not np.isfinite(epsilon) or epsilon < 0:
        raise ValueError(f"epsilon must be a finite number ≥ 0, got {epsilon!r}")
    x, single = _batch(images, "images")
    x = x[None] if single else x
    y = np.asarray(labels)
    y = y.reshape(1, *y.shape) if single else y
    if len(y) != len(x):
        raise ValueError(f"labels has {len(y)} entries but images has {len(x)}")
    loss_fn = loss or default_loss(model)
    inputs = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        value = tf.reduce_sum(loss_fn(tf.constant(y), model(inputs, training=False)))
    step = epsilon * tf.sign(tape.gradient(value, inputs)).numpy()
    adv = x + step
    if clip is not None:
        adv = np.clip(adv, clip[0], clip[1])
    adv = adv.astype(np.float32)
    return adv[0] if single else adv


def rotate(degrees):
    """A transform for :func:`robustness`: rotate a batch (N × H × W × C) by ``degrees`` about the centre,
    filling the corners with 0 (black, like the fundus border)."""
    from scipy import ndimage

    def transform(x):
        return ndimage.rotate(np.asarray(x, np.float32), degrees, axes=(2, 1), reshape=False,
                              order=1, mode="constant", cval=0.0)

    transform.__name__ = f"rotate({degrees})"
    return transform


def brightness(delta=0.0, factor=1.0, clip=(0.0, 1.0)):
    """A transform for :func:`robustness`: ``x · factor + delta`` (exposure and offset, images in [0, 1]),
    then clip. ``brightness(factor=0.6)`` darkens a photo but keeps its black surround black."""

    def transform(x):
        out = np.asarray(x, np.float32) * np.float32(factor) + np.float32(delta)
        return np.clip(out, *clip) if clip is not None else out

    transform.__name__ = f"brightness(delta={delta:+}, factor={factor})"
    return transform


def robustness(model, x, y, transforms, preprocess=None, to_labels=None, score=None, batch_size=64):
    """Score a model on ``x`` and on each transformed copy: ``{"original": …, name: …}``.

    ``transforms`` maps a name to a function of a batch (e.g. :func:`rotate`, :func:`brightness`).
    ``preprocess`` (optional) maps a transformed batch to what the model eats (e.g. Ben Graham's
    method), so you can shift the raw photos. ``to_labels`` turns model outputs into labels
    (default: argmax); ``score(y_true, y_pred)`` defaults to accuracy (pass e.g.
    ``cnnkit.metrics.quadratic_kappa``). ``model`` may be a dict ``{name: model}``: each transformed
    batch is then made once and you get ``{name: {transform: score}}``.
    """
    from cnnkit import metrics

    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if x.ndim != 4 or len(x) != len(y):
        raise ValueError(f"x must be N × H × W × C with one label per image, got {x.shape} and {len(y)} labels")
    if not isinstance(transforms, dict):
        raise ValueError("transforms must be a dict {name: function(batch) -> batch}")
    named = model if isinstance(model, dict) else {"model": model}
    to_labels = to_labels or (lambda out: np.argmax(out, axis=-1))
    score = score or metrics.accuracy
    results = {name: {} for name in named}
    for t_name, fn in {"original": None, **transforms}.items():
        xt = x if fn is None else np.asarray(fn(x), dtype=np.float32)
        if xt.shape != x.shape:
            raise ValueError(f"transform {t_name!r} changed the batch shape {x.shape} to {xt.shape}")
        if preprocess is not None:
            xt = np.asarray(preprocess(xt), dtype=np.float32)
        for m_name, m in named.items():
            results[m_name][t_name] = float(score(y, to_labels(m.predict(xt, batch_size=batch_size, verbose=0))))
    return results if isinstance(model, dict) else results["model"]
