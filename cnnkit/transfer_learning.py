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
"""
import numpy as np

from cnnkit.data.splits import Split


def _count(split, fraction, count):
    n = len(split)
    if (fraction is None) == (count is None):
        raise ValueError("give exactly one of fraction or count")
    if fraction is not None:
        if not 0 < fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
        return max(1, int(round(fraction * n)))
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or not 1 <= count <= n:
        raise ValueError(f"count must be an integer from 1 to the split's size {n}, got {count!r}")
    return int(count)


def labelled_subset(split, fraction=None, count=None, seed=0):
    """The labelled examples you can afford: ``count`` items of ``split`` (or a ``fraction`` of them).

    Stratified: every class present gets one example first, then each class in proportion to its
    size. A bigger budget with the same seed contains the smaller one, so curves over budgets are
    smooth. Raises ValueError when the budget cannot hold one example per class.

        >>> import numpy as np
        >>> from cnnkit.data.splits import Split
        >>> few = labelled_subset(Split(np.zeros((100, 2)), np.repeat([0, 1], 50)), count=10)
        >>> np.bincount(few.y).tolist()
        [5, 5]
    """
    y = np.asarray(split.y)
    k = _count(split, fraction, count)
    classes = np.unique(y)
    if k < len(classes):
        raise ValueError(f"a budget of {k} labelled examples cannot hold one of each of the {len(classes)} classes")
    rng = np.random.default_rng(seed)
    first = np.zeros(len(y), bool)
    share = np.empty(len(y))
    for label in classes:
        idx = rng.permutation(np.flatnonzero(y == label))
        first[idx[0]] = True
        share[idx] = (np.arange(len(idx)) + 0.5) / len(idx)   # how far into its class an item comes
    order = np.lexsort((rng.random(len(y)), share, ~first))  # firsts, then by share, ties at random
    pick = order[:k]
    return Split(np.asarray(split.x)[pick], y[pick])


def fit_and_score(model, train, test, steps=200, batch_size=32, learning_rate=1e-3, seed=0):
    """Compile ``model``, train it for ``steps`` batches drawn from ``train`` (reshuffled, repeated), return test accuracy.

    A fixed number of steps (not epochs) gives every label budget the same amount of training.
    ``train`` and ``test`` are :class:`~cnnkit.data.splits.Split` (or ``(x, y)`` pairs).
    """
    import tensorflow as tf

    from cnnkit.models import compile_model

    for name, value in (("steps", steps), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    x, y = train
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"train must hold as many labels as inputs, at least one; got {len(x)} inputs, {len(y)} labels")
    compile_model(model, learning_rate=learning_rate)
    batches = (tf.data.Dataset.from_tensor_slices((np.asarray(x, np.float32), np.asarray(y)))
               .shuffle(len(x), seed=seed, reshuffle_each_iteration=True).repeat().batch(int(batch_size)))
    model.fit(batches, epochs=1, steps_per_epoch=int(steps), shuffle=False, verbose=0)
    x_test, y_test = test
    return float(model.evaluate(np.asarray(x_test, np.float32), np.asarray(y_test), verbose=0,
                                return_dict=True)["accuracy"])


def learning_curve(builders, data, fractions=(0.01, 0.02, 0.05, 0.1), seed=0, **fit_kwargs):
    """Test accuracy of each builder's model trained on growing labelled subsets of ``data.train``.

    ``builders`` maps a name to a function ``n_classes -> uncompiled keras.Model`` (a fresh model per
    call), or to a pair ``(function, {fit_and_score keyword: value})`` for settings of that model
    alone, e.g. a bigger learning rate for a lone head. ``data`` is a
    :class:`~cnnkit.data.splits.Splits`. Every model is built after ``set_seed(seed)`` and trained
    with :func:`fit_and_score` (``fit_kwargs`` go there). Returns a pandas DataFrame: one row per
    fraction, columns ``fraction``, ``labelled`` and one per builder.
    """
    import pandas as pd

    from cnnkit.device import set_seed

    if not builders:
        raise ValueError("builders must name at least one model builder")
    plans = {}
    for name, plan in builders.items():
        build, own = plan if isinstance(plan, tuple) else (plan, {})
        if not callable(build) or not isinstance(own, dict):
            raise ValueError(f"builders[{name!r}] must be a function or a (function, dict of fit settings) pair")
        plans[name] = (build, {**fit_kwargs, **own})
    rows = []
    for fraction in fractions:
        few = labelled_subset(data.train, fraction=fraction, seed=seed)
        row = {"fraction": fraction, "labelled": len(few)}
        for name, (build, settings) in plans.items():
            set_seed(seed)
            row[name] = fit_and_score(build(data.n_classes), few, data.test, seed=seed, **settings)
        rows.append(row)
    return pd.DataFrame(rows)
