"""Model builders for the course: functional API, every layer named, returned uncompiled.

    >>> from cnnkit import models
    >>> net = models.compile_model(models.cnn((32, 32, 3), 4, blocks=2))
    >>> [layer.name for layer in net.layers][:4]
    ['image', 'block1_conv1', 'block1_relu1', 'block1_conv2']
    >>> net.count_params()   # convs 896 + 9,248 + 18,496 + 36,928, fc (8·8·64 + 1)·128, scores 129·4
    590500

Each classifier ends in a ``class_scores`` layer (one raw score per class, the "1 × 1 × N" of the
lesson) followed by a ``probabilities`` softmax layer.
"""
import numbers

import keras
from keras import layers

from cnnkit._checks import (Bool, Callable_, Choice, Fraction, Instance, Int, KerasModel, Number, Seq, Str, check_bool,
                            check_choice, check_fraction, check_int, check_number, contract)


_LEARNING_RATE = (Number(low=0, low_open=True) | Instance("keras.optimizers.schedules.LearningRateSchedule")).describe(
    "a number > 0 or a keras LearningRateSchedule")
_METRICS = Seq(Str() | Callable_(), min_len=0,
               what="a list of Keras metric names or objects (one metric is still a list: ['accuracy'])")


def _check_shape(input_shape, ndim=None):
    """``input_shape`` as a tuple of sizes ≥ 1 (``None`` for a free size), ``ndim`` of them when given."""
    try:
        shape = tuple(input_shape)
    except TypeError:
        raise TypeError(f"input_shape must be a tuple of sizes, got {input_shape!r}") from None
    if (ndim is not None and len(shape) != ndim) or not shape:
        raise ValueError(f"input_shape must be {ndim or 'one or more'} sizes, got {input_shape!r}")
    return tuple(None if d is None else check_int(d, f"input_shape[{i}]", low=1) for i, d in enumerate(shape))


def _head(x, n_classes, *, dense=0, dropout=0.0):
    """The classifier tail: [``fc`` Dense+ReLU] → [``dropout``] → ``class_scores`` → ``probabilities``."""
    if dense:
        x = layers.Dense(dense, activation="relu", name="fc")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    scores = layers.Dense(n_classes, name="class_scores")(x)
    return layers.Activation("softmax", name="probabilities")(scores)


@contract(model=KerasModel(), layer=(Str() | Int()).describe("a layer name or an integer index").named_by("argument"),
          argument=Str())
def find_layer(model, layer, *, argument="layer"):
    """The layer of ``model`` named ``layer`` (a str), or at index ``layer`` (an int, negative from the end).

    Args:
        model: a Keras model.
        layer: a layer name or an integer index.
        argument: the name error messages give ``layer`` (e.g. ``"trainable_from"``).

    Returns:
        The Keras layer.

    Raises:
        TypeError: ``layer`` is neither a name nor an int.
        ValueError: an unknown name or an index out of range (the message lists the model's layers).

    Example:
        >>> net = cnn((16, 16, 1), 3, blocks=1, filters=2, dense=0)
        >>> find_layer(net, "block1_pool").name, find_layer(net, -1).name
        ('block1_pool', 'probabilities')
    """
    names = [l.name for l in model.layers]
    if isinstance(layer, str):
        if layer not in names:
            raise ValueError(f"{argument} {layer!r} is not a layer of model {model.name!r}; its layers are {names}")
        return model.layers[names.index(layer)]
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral):
        raise TypeError(f"{argument} must be a layer name or an integer index, got {layer!r}")
    index = int(layer)
    if not -len(names) <= index < len(names):
        raise ValueError(f"{argument}={index} is out of range for model {model.name!r}, which has {len(names)} layers")
    return model.layers[index]


@contract(input_shape=Seq(Int(low=1) | None, what="a tuple of sizes (None for a free size)"), n_classes=Int(low=2),
          hidden=Seq(Int(low=1), min_len=0, what="a list of hidden layer sizes"), dropout=Fraction(), name=Str())
def mlp(input_shape, n_classes, *, hidden=(128, 64), dropout=0.0, name="mlp"):
    """A flattening feed-forward baseline: Flatten → Dense+ReLU per entry of ``hidden`` → class scores.

    Args:
        input_shape: one item's shape (any number of dimensions; None for a free size).
        n_classes: the number of classes (≥ 2).
        hidden: the units of each hidden layer, a list (``()`` gives a linear classifier).
        dropout: the rate after each hidden layer (0 for none).
        name: the model's name.

    Returns:
        An uncompiled ``keras.Model`` ending in ``class_scores`` → ``probabilities``.

    Example:
        >>> net = mlp((8, 8, 1), 10, hidden=(32, 16))
        >>> net.count_params()     # (64 + 1)·32 + (32 + 1)·16 + (16 + 1)·10
        2778
    """
    input_shape = _check_shape(input_shape)
    n_classes = check_int(n_classes, "n_classes", low=2)
    hidden = tuple(check_int(units, f"hidden[{i}]", low=1) for i, units in enumerate(hidden))
    dropout = check_fraction(dropout, "dropout")
    inputs = keras.Input(shape=input_shape, name="image")
    x = layers.Flatten(name="flatten")(inputs)
    for i, units in enumerate(hidden, start=1):
        x = layers.Dense(units, activation="relu", name=f"dense{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dropout{i}")(x)
    return keras.Model(inputs, _head(x, n_classes), name=name)


@contract(input_shape=Seq(Int(low=1) | None, min_len=3, max_len=3, what="a (height, width, channels) tuple"),
          n_classes=Int(low=2), blocks=Int(low=1), convs_per_block=Int(low=1), filters=Int(low=1), dense=Int(low=0),
          kernel_size=Int(low=1), head=Choice("flatten", "gap"), dropout=Fraction(), name=Str() | None)
def cnn(input_shape, n_classes, *, blocks=3, convs_per_block=2, filters=32, dense=128,
        kernel_size=3, head="flatten", dropout=0.0, name=None):
    """The lesson's network: (CONV → RELU → … → POOL) × ``blocks`` → fully connected → class scores.

    Block ``b`` (1-based) has ``convs_per_block`` 'same'-padded ``kernel_size`` × ``kernel_size``
    convolutions of ``filters * 2**(b-1)`` filters, each followed by its own ReLU layer, then a 2×2 max pool.

    Args:
        input_shape: (height, width, channels); height and width ≥ ``2**blocks`` (or None).
        n_classes: the number of classes (≥ 2).
        blocks: convolution blocks (≥ 1).
        convs_per_block: convolutions per block (≥ 1).
        filters: the filters of block 1 (doubling each block).
        dense: the units of the ``fc`` layer (0 puts the class scores right after the flatten/GAP).
        kernel_size: the convolutions' side.
        head: ``"flatten"`` (the classic FC head) or ``"gap"`` (global average pooling, fewer weights).
        dropout: the rate before the class scores.
        name: the model's name (None: ``cnn_<blocks>blocks``).

    Returns:
        An uncompiled ``keras.Model``.

    Raises:
        ValueError: an image too small for that many halvings.

    Example:
        >>> net = cnn((28, 20, 1), 5, blocks=2, convs_per_block=1, filters=8, dense=0, kernel_size=5, head="gap")
        >>> net.get_layer("block2_pool").output.shape, net.count_params()
        ((None, 7, 5, 16), 3509)
    """
    input_shape = _check_shape(input_shape, 3)
    n_classes = check_int(n_classes, "n_classes", low=2)
    blocks = check_int(blocks, "blocks", low=1)
    convs_per_block = check_int(convs_per_block, "convs_per_block", low=1)
    filters = check_int(filters, "filters", low=1)
    kernel_size = check_int(kernel_size, "kernel_size", low=1)
    dense = check_int(dense, "dense", low=0)
    dropout = check_fraction(dropout, "dropout")
    head = check_choice(head, "head", ("flatten", "gap"))
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
    return keras.Model(inputs, _head(x, n_classes, dense=dense, dropout=dropout), name=name or f"cnn_{blocks}blocks")


@contract(model=KerasModel(), layer=(Str() | Int()).describe("a layer name or an integer index"), name=Str() | None)
def feature_extractor(model, layer, *, name=None):
    """A model that maps ``model``'s input to the output of ``layer`` (a name or an index).

    Use it to reuse a trained network's features (transfer learning, embeddings); it shares ``model``'s
    layers and weights.

    Args:
        model: a Keras model.
        layer: a layer name or an integer index.
        name: the new model's name (None: ``<model>_to_<layer>``).

    Returns:
        A ``keras.Model``.

    Example:
        >>> features = feature_extractor(cnn((32, 32, 3), 4, blocks=2), "block2_pool")
        >>> features.name, features.output_shape
        ('cnn_2blocks_to_block2_pool', (None, 8, 8, 64))
    """
    target = find_layer(model, layer)
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # a plain tensor in, a plain tensor out
    return keras.Model(inputs, target.output, name=name or f"{model.name}_to_{target.name}")


def _copy(backbone):
    """A copy of ``backbone`` with its own weights (the same values), layer names kept."""
    try:
        if isinstance(backbone, keras.Sequential) or not getattr(backbone, "inputs", None):
            clone = keras.models.clone_model(backbone)
        else:  # name the new inputs after the old input layers (clone_model would use the tensors' names)
            by_tensor = {id(l.output): l.name for l in backbone.layers if isinstance(l, layers.InputLayer)}
            inputs = [keras.Input(batch_shape=t.shape, dtype=t.dtype, name=by_tensor.get(id(t)))
                      for t in backbone.inputs]
            clone = keras.models.clone_model(backbone, input_tensors=inputs[0] if len(inputs) == 1 else inputs)
        clone.set_weights(backbone.get_weights())
    except (ValueError, TypeError, NotImplementedError) as err:
        raise ValueError(f"backbone {backbone.name!r} cannot be copied ({err}); build it anew for each "
                         "model, or pass copy_backbone=False to share (and fine-tune) it") from err
    return clone


def _set_trainable(backbone, trainable_from):
    if trainable_from is None:
        backbone.trainable = False
        return
    start = backbone.layers.index(find_layer(backbone, trainable_from, argument="trainable_from"))
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


@contract(backbone=KerasModel(), n_classes=Int(low=2),
          trainable_from=(Str() | Int()).describe("a layer name or an integer index") | None, dense=Int(low=0),
          dropout=Fraction(), copy_backbone=Bool(), name=Str())
def transfer(backbone, n_classes, *, trainable_from=None, dense=0, dropout=0.2, copy_backbone=True,
             name="transfer"):
    """A new classification head on a reused ``backbone`` (a ``keras.Model`` that outputs features).

    4-D features are averaged (``gap``), other ranks flattened. ``copy_backbone=True`` (the default)
    builds the model on a copy of ``backbone`` (same layer names and weight values, its own variables,
    reachable as ``model.get_layer(backbone.name)``): training never changes the caller's backbone, so
    every model built from it starts from the same weights. ``copy_backbone=False`` shares it: its flags
    are set and its weights trained in place.

    Args:
        backbone: a Keras model that outputs features.
        n_classes: the number of classes (≥ 2).
        trainable_from: None freezes the whole backbone; a layer name or index unfreezes that layer and
            every later one (fine-tuning), except batch-norm layers, which stay frozen in inference mode so
            their statistics are kept (the usual fine-tuning recipe).
        dense: the units of an ``fc`` layer (0: none).
        dropout: the rate before the class scores.
        copy_backbone: build on a copy (True) or on the backbone itself (False).
        name: the model's name.

    Returns:
        An uncompiled ``keras.Model``.

    Raises:
        ValueError: the backbone cannot be copied, or ``trainable_from`` is not one of its layers.

    Example:
        >>> features = feature_extractor(cnn((32, 32, 3), 4, blocks=2), "block2_pool")
        >>> head_only = transfer(features, 3)                  # GAP → 64 features → 3 scores
        >>> [w.path for w in head_only.trainable_weights]
        ['class_scores/kernel', 'class_scores/bias']
        >>> fine_tune = transfer(features, 3, trainable_from="block2_conv1")
        >>> [layer.name for layer in fine_tune.get_layer(features.name).layers if layer.trainable and layer.weights]
        ['block2_conv1', 'block2_conv2']
        >>> features.trainable        # the caller's backbone is left as it was
        True
    """
    if not isinstance(backbone, keras.Model):
        raise TypeError(f"backbone must be a keras.Model, got {type(backbone).__name__}")
    n_classes = check_int(n_classes, "n_classes", low=2)
    dense = check_int(dense, "dense", low=0)
    dropout = check_fraction(dropout, "dropout")
    copy_backbone = check_bool(copy_backbone, "copy_backbone")
    if trainable_from is not None:
        find_layer(backbone, trainable_from, argument="trainable_from")   # check before copying
    if copy_backbone:
        backbone = _copy(backbone)
    _set_trainable(backbone, trainable_from)
    inputs = keras.Input(shape=tuple(backbone.input_shape[1:]), name="image")
    x = backbone(inputs, training=False)
    if len(x.shape) == 4:
        x = layers.GlobalAveragePooling2D(name="gap")(x)
    elif len(x.shape) > 2:
        x = layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, _head(x, n_classes, dense=dense, dropout=dropout), name=name)


@contract(model=KerasModel(), learning_rate=_LEARNING_RATE, optimizer=Str(), metrics=_METRICS)
def compile_model(model, *, learning_rate=1e-3, optimizer="adam", metrics=("accuracy",)):
    """Compile a classifier with sensible defaults: Adam, sparse categorical cross-entropy, accuracy.

    Args:
        model: a Keras model.
        learning_rate: a number > 0 or a ``keras.optimizers.schedules.LearningRateSchedule``.
        optimizer: a Keras optimizer name (``"adam"``, ``"sgd"``, ``"rmsprop"``…).
        metrics: a list of Keras metric names or objects, even for one (``metrics=["accuracy"]``; a bare
            string is refused, not split into letters).

    Returns:
        The model, so ``compile_model(cnn(...)).fit(...)`` reads well.

    Raises:
        ValueError: an unknown optimizer name.

    Example:
        >>> net = compile_model(mlp((4,), 2, hidden=(8,)), learning_rate=0.01, optimizer="sgd")
        >>> type(net.optimizer).__name__, net.loss
        ('SGD', 'sparse_categorical_crossentropy')
    """
    if not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be a Keras optimizer name (str), got {optimizer!r}")
    try:
        opt = keras.optimizers.get({"class_name": optimizer, "config": {"learning_rate": learning_rate}})
    except (ValueError, TypeError) as err:
        raise ValueError(f"optimizer {optimizer!r} is not a Keras optimizer name (e.g. 'adam', 'sgd')") from err
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return model
