"""Model builders for the course: functional API, every layer named, returned uncompiled.

    >>> from cnnkit import models
    >>> net = models.cnn((32, 32, 3), n_classes=4, blocks=2)          # doctest: +SKIP
    >>> models.compile_model(net)                                       # doctest: +SKIP
    >>> [layer.name for layer in net.layers][:4]                        # doctest: +SKIP
    ['image', 'block1_conv1', 'block1_relu1', 'block1_conv2']

Each classifier ends in a ``class_scores`` layer (one raw score per class, the "1 × 1 × N" of the
lesson) followed by a ``probabilities`` softmax layer.
"""
import keras
from keras import layers


def _check_shape(input_shape, ndim, name="input_shape"):
    shape = tuple(input_shape)
    if len(shape) != ndim or any((d is not None and int(d) <= 0) for d in shape):
        raise ValueError(f"{name} must be {ndim} positive sizes, got {input_shape!r}")
    return shape


def _check_classes(n_classes):
    if int(n_classes) < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes!r}")
    return int(n_classes)


def _head(x, n_classes):
    scores = layers.Dense(n_classes, name="class_scores")(x)
    return layers.Activation("softmax", name="probabilities")(scores)


def mlp(input_shape, n_classes, hidden=(128, 64), dropout=0.0, name="mlp"):
    """A flattening feed-forward baseline: Flatten → Dense+ReLU per entry of ``hidden`` → class scores."""
    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = layers.Flatten(name="flatten")(inputs)
    for i, units in enumerate(hidden, start=1):
        x = layers.Dense(int(units), activation="relu", name=f"dense{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dropout{i}")(x)
    return keras.Model(inputs, _head(x, _check_classes(n_classes)), name=name)


def cnn(input_shape, n_classes, blocks=3, convs_per_block=2, filters=32, dense=128,
        kernel_size=3, head="flatten", dropout=0.0, name=None):
    """The lesson's network: (CONV → RELU → … → POOL) × ``blocks`` → fully connected → class scores.

    Block ``b`` (1-based) has ``convs_per_block`` 'same'-padded convolutions of
    ``filters * 2**(b-1)`` filters, each followed by its own ReLU layer, then a 2×2 max pool.
    ``head="flatten"`` (the classic FC head) or ``"gap"`` (global average pooling, fewer weights).
    ``dense=0`` puts the class scores right after the flatten/GAP.
    """
    input_shape = _check_shape(input_shape, 3)
    n_classes = _check_classes(n_classes)
    if blocks < 1 or convs_per_block < 1 or filters < 1:
        raise ValueError(f"blocks, convs_per_block and filters must be ≥ 1, got {blocks}, {convs_per_block}, {filters}")
    if head not in ("flatten", "gap"):
        raise ValueError(f"head must be 'flatten' or 'gap', got {head!r}")
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    for b in range(1, blocks + 1):
        for c in range(1, convs_per_block + 1):
            x = layers.Conv2D(filters * 2 ** (b - 1), kernel_size, padding="same", name=f"block{b}_conv{c}")(x)
            x = layers.Activation("relu", name=f"block{b}_relu{c}")(x)
        x = layers.MaxPooling2D(2, name=f"block{b}_pool")(x)
    x = layers.Flatten(name="flatten")(x) if head == "flatten" else layers.GlobalAveragePooling2D(name="gap")(x)
    if dense:
        x = layers.Dense(int(dense), activation="relu", name="fc")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    return keras.Model(inputs, _head(x, n_classes), name=name or f"cnn_{blocks}blocks")


def feature_extractor(model, layer, name=None):
    """A model that maps ``model``'s input to the output of ``layer`` (a name or an index).

    Use it to reuse a trained network's features (transfer learning, embeddings).
    """
    try:
        target = model.get_layer(layer) if isinstance(layer, str) else model.layers[layer]
    except (ValueError, IndexError) as err:
        names = [l.name for l in model.layers]
        raise ValueError(f"model {model.name!r} has no layer {layer!r}; its layers are {names}") from err
    return keras.Model(model.inputs, target.output, name=name or f"{model.name}_to_{target.name}")


def _set_trainable(backbone, trainable_from):
    if trainable_from is None:
        backbone.trainable = False
        return
    names = [l.name for l in backbone.layers]
    if isinstance(trainable_from, str):
        if trainable_from not in names:
            raise ValueError(f"trainable_from={trainable_from!r} is not a layer of {backbone.name!r}: {names}")
        start = names.index(trainable_from)
    else:
        start = int(trainable_from) % len(names) if trainable_from < 0 else int(trainable_from)
    backbone.trainable = True
    for i, layer in enumerate(backbone.layers):
        layer.trainable = i >= start


def transfer(backbone, n_classes, trainable_from=None, dense=0, dropout=0.2, name="transfer"):
    """A new classification head on a reused ``backbone`` (a ``keras.Model`` that outputs features).

    ``trainable_from=None`` freezes the whole backbone; a layer name or index unfreezes that layer
    and every later one (fine-tuning). The backbone runs in inference mode (``training=False``) so
    its batch-norm statistics, if any, are kept.
    """
    n_classes = _check_classes(n_classes)
    _set_trainable(backbone, trainable_from)
    inputs = keras.Input(shape=tuple(backbone.input_shape[1:]), name="image")
    x = backbone(inputs, training=False)
    if len(x.shape) == 4:
        x = layers.GlobalAveragePooling2D(name="gap")(x)
    elif len(x.shape) > 2:
        x = layers.Flatten(name="flatten")(x)
    if dense:
        x = layers.Dense(int(dense), activation="relu", name="fc")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    return keras.Model(inputs, _head(x, n_classes), name=name)


def compile_model(model, learning_rate=1e-3, optimizer="adam", metrics=("accuracy",)):
    """Compile a classifier with sensible defaults: Adam, sparse categorical cross-entropy, accuracy.

    Returns the model, so ``compile_model(cnn(...)).fit(...)`` reads well.
    """
    opt = keras.optimizers.get({"class_name": optimizer, "config": {"learning_rate": learning_rate}})
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return model
