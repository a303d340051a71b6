"""Learning from few labels: pick k labelled examples, train for a fixed number of steps, score.

Compare a reused (transferred) network with one trained from scratch as the label budget grows::

    >>> from cnnkit import models, transfer_learning as tl                      # doctest: +SKIP
    >>> few = tl.labelled_subset(data.train, fraction=0.05, seed=0)             # doctest: +SKIP
    >>> tl.fit_and_score(models.transfer(features, 2), few, data.test)          # doctest: +SKIP
    0.98
    >>> tl.learning_curve({"transfer": lambda n: models.transfer(features, n),
    ...                    "scratch": lambda n: models.cnn((32, 32, 3), n)}, data)  # doctest: +SKIP
       fraction  labelled  transfer  scratch
    0      0.01        14     0.950    0.500
    ...

(Skipped: they need a trained ``features`` network and a real ``data`` set; the function examples
below run on small arrays.)
"""
import numpy as np

from cnnkit._checks import (Any_, Callable_, Fraction, Instance, Int, KerasModel, Labels, Mapping, Number, Pair, Seed,
                            Seq, Str, check_fraction, check_int, check_seed, contract, int_seed, seed_sequence)
from cnnkit.data.splits import Split, Splits

_BUILDER = (Callable_() | Pair()).describe("a function (a model builder) or a (function, dict of fit settings) pair")
_FIT_KWARGS = Any_("fit_and_score's keywords (steps, batch_size, learning_rate): their names are checked here, "
                   "their values there")


def _pair(split, name):
    """``split``'s ``(x, y)`` as arrays, with ``y`` one integer label per item of ``x``."""
    x, y = split
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim != 1:
        hint = " (one-hot? pass y.argmax(axis=1))" if y.ndim == 2 else ""
        raise ValueError(f"{name}: y must hold one integer label per item (1-D), got shape {y.shape}{hint}")
    Labels(empty=True).check(y, f"{name}: y")
    if x.ndim == 0 or len(x) != len(y):
        raise ValueError(f"{name}: x and y must hold one item per label, got {len(x) if x.ndim else 0} inputs "
                         f"and {len(y)} labels")
    return x, y


def _count(n, fraction, count):
    if (fraction is None) == (count is None):
        raise ValueError(f"give exactly one of fraction or count, got fraction={fraction!r}, count={count!r}")
    if fraction is not None:
        fraction = check_fraction(fraction, "fraction", allow_zero=False, allow_one=True)
        return max(1, int(round(fraction * n)))
    return check_int(count, "count", low=1, high=n)


@contract(split=(Instance(Split) | Pair()).describe("a Split or an (x, y) pair"),
          fraction=Fraction(allow_zero=False, allow_one=True) | None, count=Int(low=1) | None, seed=Seed())
def labelled_subset(split, *, fraction=None, count=None, seed=0):
    """The labelled examples you can afford: ``count`` items of ``split`` (or a ``fraction`` of them).

    Stratified: every class present gets one example first, then each class in proportion to its size. A
    bigger budget with the same int or SeedSequence seed contains the smaller one, so curves over budgets
    are smooth.

    Args:
        split: a :class:`~cnnkit.data.splits.Split` or an ``(x, y)`` pair, ``y`` one integer label per item.
        fraction: the share to keep, in (0, 1], rounded to a count (give this or ``count``).
        count: how many to keep, 1 to ``len(split)``.
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` (a Generator's stream advances).

    Returns:
        A :class:`~cnnkit.data.splits.Split`.

    Raises:
        ValueError: not exactly one of ``fraction`` and ``count``, a budget that cannot hold one example per
            class, or labels that are not one per item (one-hot labels, mismatched lengths).

    Example:
        >>> import numpy as np
        >>> few = labelled_subset(Split(np.zeros((100, 2)), np.repeat([0, 1], 50)), count=10)
        >>> np.bincount(few.y).tolist()
        [5, 5]
    """
    x, y = _pair(split, "split")
    k = _count(len(y), fraction, count)
    rng = check_seed(seed)
    classes = np.unique(y)
    if k < len(classes):
        raise ValueError(f"a budget of {k} labelled examples cannot hold one of each of the {len(classes)} classes")
    first = np.zeros(len(y), bool)
    share = np.empty(len(y))
    for label in classes:
        idx = rng.permutation(np.flatnonzero(y == label))
        first[idx[0]] = True
        share[idx] = (np.arange(len(idx)) + 0.5) / len(idx)   # how far into its class an item comes
    order = np.lexsort((rng.random(len(y)), share, ~first))  # firsts, then by share, ties at random
    pick = order[:k]
    return Split(x[pick], y[pick])


@contract(model=KerasModel(), train=(Instance(Split) | Pair()).describe("a Split or an (x, y) pair"),
          test=(Instance(Split) | Pair()).describe("a Split or an (x, y) pair"), steps=Int(low=1),
          batch_size=Int(low=1), learning_rate=Number(low=0, low_open=True), seed=Seed())
def fit_and_score(model, train, test, *, steps=200, batch_size=32, learning_rate=1e-3, seed=0):
    """Compile ``model``, train it for ``steps`` batches drawn from ``train``, return its test accuracy.

    ``train`` is reshuffled and repeated into batches: a fixed number of steps (not epochs) gives every
    label budget the same amount of training.

    Args:
        model: an uncompiled (or compiled: it is compiled again) Keras classifier.
        train: a :class:`~cnnkit.data.splits.Split` or an ``(x, y)`` pair, ``y`` one integer label per item.
        test: a :class:`~cnnkit.data.splits.Split` or an ``(x, y)`` pair, ``y`` one integer label per item.
        steps: training batches (≥ 1).
        batch_size: items per batch.
        learning_rate: Adam's, through :func:`cnnkit.models.compile_model`.
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` for the shuffle.

    Returns:
        The test accuracy, a float.

    Raises:
        ValueError: an empty ``train``, or labels that are not one per item.

    Example:
        >>> from cnnkit import models
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(40, 2)).astype("float32"); y = (x[:, 0] > 0).astype(int)
        >>> acc = fit_and_score(models.mlp((2,), 2, hidden=()), (x, y), (x, y), steps=40, learning_rate=0.1)
        >>> acc > 0.9
        True
    """
    import tensorflow as tf

    from cnnkit.models import compile_model

    steps = check_int(steps, "steps", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    seed = int_seed(seed)
    x, y = _pair(train, "train")
    if len(x) == 0:
        raise ValueError("train must hold at least one labelled item, got none")
    x_test, y_test = _pair(test, "test")
    compile_model(model, learning_rate=learning_rate)
    batches = (tf.data.Dataset.from_tensor_slices((np.asarray(x, np.float32), np.asarray(y)))
               .shuffle(len(x), seed=seed, reshuffle_each_iteration=True).repeat().batch(batch_size))
    model.fit(batches, epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0)
    return float(model.evaluate(np.asarray(x_test, np.float32), np.asarray(y_test), verbose=0,
                                return_dict=True)["accuracy"])


def _plans(builders, fit_kwargs):
    if not isinstance(builders, dict):
        raise TypeError(f"builders must be a dict of name → model builder, got {type(builders).__name__}")
    if not builders:
        raise ValueError("builders must name at least one model builder")
    plans = {}
    for name, plan in builders.items():
        build, own = plan if isinstance(plan, tuple) else (plan, {})
        if not callable(build) or not isinstance(own, dict):
            raise TypeError(f"builders[{name!r}] must be a function or a (function, dict of fit settings) pair")
        plans[name] = (build, {**fit_kwargs, **own})
    return plans


@contract(builders=Mapping(Str(), _BUILDER), data=Instance(Splits), seed=Seed(), fit_kwargs=_FIT_KWARGS,
          fractions=Seq(Fraction(allow_zero=False, allow_one=True), what="a list of label budgets in (0, 1]"))
def learning_curve(builders, data, *, fractions=(0.01, 0.02, 0.05, 0.1), seed=0, **fit_kwargs):
    """Test accuracy of each builder's model trained on growing labelled subsets of ``data.train``.

    Every budget is drawn with the same ``seed`` (so they nest); every model is built after ``set_seed``
    and trained with :func:`fit_and_score`.

    Args:
        builders: ``{name: function}`` with ``function(n_classes) -> uncompiled keras.Model`` (a fresh model
            per call), or ``{name: (function, {fit_and_score keyword: value})}`` for settings of that model
            alone, e.g. a bigger learning rate for a lone head.
        data: a :class:`~cnnkit.data.splits.Splits` of :class:`~cnnkit.data.splits.Split`.
        fractions: the label budgets, as fractions of ``data.train`` (see :func:`labelled_subset`).
        seed: an int, a NumPy ``SeedSequence`` or ``Generator``.
        **fit_kwargs: :func:`fit_and_score`'s ``steps``, ``batch_size``, ``learning_rate`` (others are refused
            before any training).

    Returns:
        A ``pandas.DataFrame``: one row per fraction, columns ``fraction``, ``labelled`` and one per builder.

    Example:
        >>> from cnnkit import models
        >>> from cnnkit.data.splits import Splits
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(60, 2)).astype("float32"); y = (x[:, 0] > 0).astype(int)
        >>> data = Splits(Split(x[:40], y[:40]), Split(x[:0], y[:0]), Split(x[40:], y[40:]), ["neg", "pos"])
        >>> curve = learning_curve({"linear": lambda n: models.mlp((2,), n, hidden=())}, data,
        ...                        fractions=(0.1, 0.5), steps=5)
        >>> curve["labelled"].tolist(), list(curve.columns)
        ([4, 20], ['fraction', 'labelled', 'linear'])
    """
    import pandas as pd

    from cnnkit.device import set_seed

    unknown = sorted(set(fit_kwargs) - {"steps", "batch_size", "learning_rate"})
    if unknown:
        raise TypeError(f"learning_curve got unknown keyword(s) {unknown}: the fit settings are steps, batch_size "
                        "and learning_rate (see fit_and_score)")
    plans = _plans(builders, fit_kwargs)
    if isinstance(seed, np.random.Generator):   # one draw, then the same streams for every budget
        seed = seed_sequence(seed)
    tf_seed = int_seed(seed)
    rows = []
    for fraction in fractions:
        few = labelled_subset(data.train, fraction=fraction, seed=seed)
        row = {"fraction": fraction, "labelled": len(few)}
        for name, (build, settings) in plans.items():
            set_seed(tf_seed)
            row[name] = fit_and_score(build(data.n_classes), few, data.test, seed=tf_seed, **settings)
        rows.append(row)
    return pd.DataFrame(rows)
