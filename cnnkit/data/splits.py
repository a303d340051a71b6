"""The one return type of every offline dataset: train / validation / test arrays plus class names.

    >>> import numpy as np
    >>> from cnnkit.data.splits import split_arrays
    >>> x, y = np.zeros((100, 4, 4, 1)), np.repeat(np.arange(4), 25)
    >>> s = split_arrays(x, y, ["a", "b", "c", "d"], val=0.2, test=0.2, seed=0)
    >>> len(s.train.x), len(s.val.x), len(s.test.x)
    (60, 20, 20)
"""
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Split:
    """One part of a dataset: inputs ``x`` and integer labels ``y`` (``x[i]`` has label ``y[i]``)."""

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} items but y has {len(self.y)}")

    def __len__(self):
        return len(self.y)

    def __iter__(self):  # allows ``x, y = data.train``
        return iter((self.x, self.y))


@dataclass
class Splits:
    """Train / validation / test splits and the names of the classes (``class_names[label]``)."""

    train: Split
    val: Split
    test: Split
    class_names: list = field(default_factory=list)

    @property
    def n_classes(self):
        return len(self.class_names)

    def __repr__(self):
        shape = tuple(self.train.x.shape[1:])
        return (f"Splits(train={len(self.train)}, val={len(self.val)}, test={len(self.test)}, "
                f"item shape={shape}, classes={list(self.class_names)})")


def stratified_parts(labels, val, test, rng):
    """Per-class index chunks for train / val / test: each class is cut in the same proportions.

    Returns ``{"train": [...], "val": [...], "test": [...]}``, each a list of index arrays (one per
    class), drawn with the NumPy Generator ``rng``.
    """
    if not (0 <= val < 1 and 0 <= test < 1 and val + test < 1):
        raise ValueError(f"val={val} and test={test} must be fractions in [0, 1) with val + test < 1")
    labels = np.asarray(labels)
    parts = {"train": [], "val": [], "test": []}
    for label in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == label))
        n_test, n_val = int(round(len(idx) * test)), int(round(len(idx) * val))
        parts["test"].append(idx[:n_test])
        parts["val"].append(idx[n_test:n_test + n_val])
        parts["train"].append(idx[n_test + n_val:])
    return parts


def split_arrays(x, y, class_names, val=0.15, test=0.15, seed=0):
    """Shuffle ``x, y`` with ``seed`` and cut them into a stratified :class:`Splits`.

    Every class is split in the same proportions, so a balanced set stays balanced in each part.
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} items but y has {len(y)}")
    rng = np.random.default_rng(seed)
    parts = stratified_parts(y, val, test, rng)
    out = {}
    for name, chunks in parts.items():
        idx = rng.permutation(np.concatenate(chunks)) if chunks else np.array([], dtype=int)
        out[name] = Split(x[idx], y[idx])
    return Splits(out["train"], out["val"], out["test"], list(class_names))
