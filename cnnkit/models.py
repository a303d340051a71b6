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


def _is_int(value):
    return not isinstance(value, bool) and hasattr(value, "__index__")


def _check_classes(n_classes):
    if not _is_int(n_classes) or int(n_classes) < 2:
        raise ValueError(f"n_classes must be an integer ≥ 2, got {n_classes!r}")
    return int(n_classes)


def _check_units(values, name):
    """Positive integer layer sizes (``hidden``, ``dense``…) or a ValueError naming ``name``."""
    values = tuple(values)
    if any(not _is_int(v) or int(v) < 1 for v in values):
        raise ValueError(f"{name} must be positive integers, got {values!r}")
    return tuple(int(v) for v in values)


def _layer_index(model, layer, name):
    """Index in ``model.layers`` of ``layer`` (a name, or an index that may be negative)."""
    names = [l.name for l in model.layers]
    if isinstance(layer, str):
        if layer not in names:
            raise ValueError(f"{name}={layer!r} is not a layer of {model.name!r}; its layers are {names}")
        return names.index(layer)
    if not _is_int(layer):
        raise ValueError(f"{name} must be a layer name or an integer index, got {layer!r}")
    index = int(layer)
    if not -len(names) <= index < len(names):
        raise ValueError(f"{name}={index} is out of range for {model.name!r}, which has {len(names)} layers")
    return index % len(names)


def _head(x, n_classes):
    scores = layers.Dense(n_classes, name="class_scores")(x)
    return layers.Activation("softmax", name="probabilities")(scores)


def mlp(input_shape, n_classes, hidden=(128, 64), dropout=0.0, name="mlp"):
    """A flattening feed-forward baseline: Flatten → Dense+ReLU per entry of ``hidden`` → class scores."""
    input_shape = _check_shape(input_shape, len(tuple(input_shape)) or 1)
    n_classes = _check_classes(n_classes)
    hidden = _check_units(hidden, "hidden")
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.Flatten(name="flatten")(inputs)
    for i, units in enumerate(hidden, start=1):
        x = layers.Dense(units, activation="relu", name=f"dense{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dropout{i}")(x)
    return keras.Model(inputs, _head(x, n_classes), name=name)


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
    _check_units([kernel_size], "kernel_size")
    if not all(_is_int(v) and v >= 1 for v in (blocks, convs_per_block, filters)):
        raise ValueError(f"blocks, convs_per_block and filters must be ≥ 1, got {blocks}, {convs_per_block}, {filters}")
    if head not in ("flatten", "gap"):
        raise ValueError(f"head must be 'flatten' or 'gap', got {head!r}")
    if dense:
        _check_units([dense], "dense")
    smallest = min((d for d in input_shape[:2] if d is not None), default=None)
    if smallest is not None and smallest < 2 ** blocks:
        raise ValueError(f"blocks={blocks} halves the image {blocks} times, so input_shape needs height and "
                         f"width ≥ {2 ** blocks}; got {input_shape!r}")
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
    target = model.layers[_layer_index(model, layer, "layer")]
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # a plain tensor in, a plain tensor out
    return keras.Model(inputs, target.output, name=name or f"{model.name}_to_{target.name}")


def _set_trainable(backbone, trainable_from):
    if trainable_from is None:
        backbone.trainable = False
        return
    start = _layer_index(backbone, trainable_from, "trainable_from")
    backbone.trainable = True
    for i, layer in enumerate(backbone.layers):
        layer.trainable = i >= start
    _freeze_batch_norm(backbone)


def _freeze_batch_norm(layer):
    """Keep every BatchNormalization inside ``layer`` frozen, so it runs in inference mode.

    Keras 3 passes the outer ``fit()``'s ``training=True`` down to a nested model even when it was
    called with ``training=False``; a frozen batch-norm layer ignores it and keeps its statistics.
    """
    if isinstance(layer, layers.BatchNormalization):
        layer.trainable = False
    for sub in getattr(layer, "layers", []):
        _freeze_batch_norm(sub)


def transfer(backbone, n_classes, trainable_from=None, dense=0, dropout=0.2, name="transfer"):
    """A new classification head on a reused ``backbone`` (a ``keras.Model`` that outputs features).

    ``trainable_from=None`` freezes the whole backbone; a layer name or index unfreezes that layer
    and every later one (fine-tuning), except batch-norm layers, which stay frozen in inference
    mode so their statistics are kept (the usual fine-tuning recipe). The flags are set on ``backbone`` itself, so every
    model sharing it sees the latest setting: build, train, then build the next.

        >>> base = cnn((32, 32, 3), n_classes=4)                                    # doctest: +SKIP
        >>> features = feature_extractor(base, "block3_pool")                        # doctest: +SKIP
        >>> head_only = transfer(features, n_classes=3)                              # doctest: +SKIP
        >>> fine_tune = transfer(features, n_classes=3, trainable_from="block3_conv1")  # doctest: +SKIP
    """
    if not isinstance(backbone, keras.Model):
        raise ValueError(f"backbone must be a keras.Model, got {type(backbone).__name__}")
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
    if isinstance(learning_rate, (int, float)) and not learning_rate > 0:  # a schedule passes as is
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    try:
        opt = keras.optimizers.get({"class_name": optimizer, "config": {"learning_rate": learning_rate}})
    except (ValueError, TypeError) as err:
        raise ValueError(f"optimizer {optimizer!r} is not a Keras optimizer name (e.g. 'adam', 'sgd')") from err
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return model
