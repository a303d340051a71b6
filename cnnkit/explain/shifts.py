"""Everyday shifts and a model's score under them: rotations, exposure changes, any batch transform.

    >>> import numpy as np
    >>> from cnnkit import explain
    >>> explain.brightness(factor=0.5)(np.array([0.5, 1.0])).tolist()
    [0.25, 0.5]
"""
import numpy as np

from cnnkit._checks import (Array, Callable_, Int, KerasModel, Mapping, Number, Pair, Str, check_array, check_int,
                            check_number, contract)

__all__ = ["brightness", "robustness", "rotate"]


@contract(degrees=Number())
def rotate(degrees):
    """A transform for :func:`robustness`: rotate a batch (N × H × W × C) about its centre.

    The corners are filled with 0 (black, like the fundus border); the batch keeps its shape.

    Args:
        degrees: the angle, counter-clockwise.

    Returns:
        A function of a batch, named ``rotate(<degrees>)``.

    Example:
        >>> dot = np.zeros((1, 3, 3, 1)); dot[0, 1, 2] = 1          # right of the centre
        >>> rotate(90)(dot)[0, ..., 0].round(2).tolist()            # now above it
        [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    from scipy import ndimage

    degrees = check_number(degrees, "degrees")

    def transform(x):
        return ndimage.rotate(np.asarray(x, np.float32), degrees, axes=(2, 1), reshape=False,
                              order=1, mode="constant", cval=0.0)

    transform.__name__ = f"rotate({degrees})"
    return transform


@contract(delta=Number(), factor=Number(low=0), clip=Pair(Number(), what="a (low, high) pair or None") | None)
def brightness(*, delta=0.0, factor=1.0, clip=(0.0, 1.0)):
    """A transform for :func:`robustness`: ``x · factor + delta`` (exposure and offset), then clip.

    ``brightness(factor=0.6)`` darkens a photo but keeps its black surround black.

    Args:
        delta: added to every pixel.
        factor: multiplies every pixel (≥ 0).
        clip: the (low, high) pixel range, ``low ≤ high``, or None.

    Returns:
        A function of a batch.

    Raises:
        ValueError: ``clip`` with low above high.

    Example:
        >>> brightness(factor=0.5)(np.array([0.0, 0.5, 1.0])).tolist()
        [0.0, 0.25, 0.5]
        >>> brightness(delta=0.25)(np.array([0.0, 0.5, 0.8])).tolist()    # clipped to [0, 1]
        [0.25, 0.75, 1.0]
    """
    delta = check_number(delta, "delta")
    factor = check_number(factor, "factor", low=0)
    if clip is not None and (not isinstance(clip, (tuple, list)) or len(clip) != 2):
        raise TypeError(f"clip must be a (low, high) pair or None, got {clip!r}")
    if clip is not None and clip[0] > clip[1]:
        raise ValueError(f"clip must be (low, high) with low ≤ high, got {clip!r}")

    def transform(x):
        out = np.asarray(x, np.float32) * np.float32(factor) + np.float32(delta)
        return np.clip(out, *clip) if clip is not None else out

    transform.__name__ = f"brightness(delta={delta:+}, factor={factor})"
    return transform


@contract(model=(KerasModel() | Mapping(Str(), KerasModel())).describe("a keras.Model or a dict {name: keras.Model}"),
          x=Array(ndim=4).describe("a batch N × H × W × C"), y=Array(ndim=1),
          transforms=Mapping(Str(), Callable_(), min_len=0), preprocess=Callable_() | None,
          to_labels=Callable_() | None, score=Callable_() | None, batch_size=Int(low=1))
def robustness(model, x, y, transforms, *, preprocess=None, to_labels=None, score=None, batch_size=64):
    """Score a model on ``x`` and on each transformed copy: ``{"original": …, name: …}``.

    Args:
        model: a Keras model, or a dict ``{name: model}`` (each transformed batch is then made once and you
            get ``{name: {transform: score}}``).
        x: a batch N × H × W × C.
        y: its N labels.
        transforms: ``{name: function(batch) -> batch}`` (e.g. :func:`rotate`, :func:`brightness`); the name
            ``"original"`` is reserved for the untouched batch.
        preprocess: maps a transformed batch to what the model eats (e.g. Ben Graham's method), so you can
            shift the raw photos; None: nothing.
        to_labels: turns model outputs into labels (None: argmax).
        score: ``score(y_true, y_pred)`` (None: accuracy; pass e.g. ``cnnkit.metrics.quadratic_kappa``).
        batch_size: passed to ``model.predict``.

    Returns:
        ``{transform: score}`` (the first is ``"original"``), or ``{model name: {transform: score}}``.

    Raises:
        ValueError: a transform that changes the batch's shape, or one named ``"original"``.

    Example:
        >>> from cnnkit import models
        >>> net = models.cnn((8, 8, 1), 3, blocks=1, filters=2, dense=0)
        >>> x = np.random.default_rng(0).random((6, 8, 8, 1)).astype("float32")
        >>> y = net.predict(x, verbose=0).argmax(axis=1)               # labels the model gets right
        >>> result = robustness(net, x, y, {"flipped": lambda b: b[:, :, ::-1]})
        >>> list(result), result["original"]
        (['original', 'flipped'], 1.0)
    """
    from cnnkit import metrics

    x = check_array(x, "x", dtype=np.float32)
    y = np.asarray(y)
    if x.ndim != 4 or len(x) != len(y):
        raise ValueError(f"x must be N × H × W × C with one label per image, got {x.shape} and {len(y)} labels")
    if not isinstance(transforms, dict):
        raise TypeError("transforms must be a dict {name: function(batch) -> batch}, "
                        f"got {type(transforms).__name__}")
    batch_size = check_int(batch_size, "batch_size", low=1)
    if "original" in transforms:
        raise ValueError("transforms must not use the name 'original': it is the score on the untouched batch; "
                         "call that transform something else")
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
