"""One container for every train / validation / test split, and one stratified (optionally grouped) splitter.

    >>> import numpy as np
    >>> from cnnkit.data import split_arrays, split_indices
    >>> x, y = np.zeros((100, 4, 4, 1)), np.repeat(np.arange(4), 25)
    >>> s = split_arrays(x, y, ["a", "b", "c", "d"], val=0.2, test=0.2, seed=0)
    >>> len(s.train), len(s.val), len(s.test)
    (60, 20, 20)
    >>> train, val, test = split_indices(y, val=0.2, test=0.2, seed=0)   # the same cut, as indices
    >>> len(train), len(val), len(test)
    (60, 20, 20)

Every part keeps each class's share (*stratified*). With ``groups`` (a patient, a song, an artist per
item) every group lands whole in one part, so no group leaks between train and test.
"""
from dataclasses import dataclass, field

import numpy as np

from cnnkit._checks import Any_, Array, Fraction, Labels, Seed, Seq, Str, check_fraction, check_seed, contract

PARTS = ("train", "val", "test")
_PART = Any_("a part is whatever the data is: a Split, an index array, a loader's own object")


@contract(x=Array(finite=False, empty=True), y=Labels(empty=True))
@dataclass
class Split:
    """One part of a dataset: inputs ``x`` and integer labels ``y`` (``x[i]`` has label ``y[i]``).

    Args:
        x: the inputs, one per item (any array with a first axis: images, features, waveforms).
        y: the integer labels, one per item (indices into the :class:`Splits`' ``class_names``).

    Raises:
        ValueError: when ``x`` and ``y`` hold different numbers of items.

    Example:
        >>> part = Split(np.zeros((3, 2)), np.array([0, 1, 1]))
        >>> len(part), part.x.shape
        (3, (3, 2))
        >>> x, y = part                                        # unpacks like a pair
        >>> y.tolist()
        [0, 1, 1]
    """

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} items but y has {len(self.y)}")

    def __len__(self):
        return len(self.y)

    def __iter__(self):  # allows ``x, y = data.train``
        return iter((self.x, self.y))


@contract(train=_PART, val=_PART, test=_PART, class_names=Seq(Str(empty=True), min_len=0))
@dataclass
class Splits:
    """Train / validation / test parts and the class names (``class_names[label]``).

    A part is whatever the data is: a :class:`Split` of arrays, an array of indices, a loader's own
    object. Unpack it (``train, val, test = splits``) or index it by name (``splits["val"]``).

    Args:
        train: the training part.
        val: the validation part (may be empty).
        test: the test part (may be empty).
        class_names: the name of each class, ``class_names[label]``; ``n_classes`` is its length.

    Example:
        >>> s = Splits(np.arange(6), np.arange(6, 8), np.arange(8, 10), class_names=["no", "yes"])
        >>> s
        Splits(train=6, val=2, test=2, classes=['no', 'yes'])
        >>> train, val, test = s
        >>> s["val"].tolist(), s.n_classes
        ([6, 7], 2)
    """

    train: object
    val: object
    test: object
    class_names: list = field(default_factory=list)

    @property
    def n_classes(self):
        return len(self.class_names)

    def __iter__(self):
        return iter((self.train, self.val, self.test))

    def __getitem__(self, name):
        if name not in PARTS:
            raise KeyError(f"a Splits has the parts {PARTS}, not {name!r}")
        return getattr(self, name)

    def items(self):
        """``(name, part)`` for train, val and test."""
        return [(name, getattr(self, name)) for name in PARTS]

    def __repr__(self):
        sizes = ", ".join(f"{name}={len(part)}" for name, part in self.items())
        shape = getattr(getattr(self.train, "x", None), "shape", None)
        item = f", item shape={tuple(shape[1:])}" if shape is not None else ""
        classes = f", classes={list(self.class_names)}" if len(self.class_names) else ""
        return f"Splits({sizes}{item}{classes})"


def _check_fractions(val, test):
    val, test = check_fraction(val, "val"), check_fraction(test, "test")
    if val + test >= 1:
        raise ValueError(f"val={val:g} and test={test:g} leave nothing to train on (val + test must be < 1)")
    return val, test


@contract(labels=Labels(), val=Fraction(), test=Fraction(), seed=Seed(), groups=Array(ndim=1, numeric=False) | None,
          class_names=Seq(Str(empty=True), min_len=0) | None)
def split_indices(labels, *, val=0.15, test=0.15, seed=0, groups=None, class_names=None):
    """Stratified train / val / test **indices** into ``labels``; with ``groups``, whole groups per part.

    Each class is cut in the same proportions (``round(n · test)`` to test, ``round(n · val)`` to
    val, the rest to train). With ``groups`` (one id per item: a patient, a song, an artist) the
    groups are cut instead, each stratified by its *highest* label (a patient by the worse eye), and
    every item follows its group, so no group is in two parts.

    Args:
        labels: one integer label ≥ 0 per item.
        val: the share of each class that goes to validation, in [0, 1).
        test: the share of each class that goes to test, in [0, 1); ``val + test < 1``.
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` (a Generator's stream advances).
        groups: one id per item (numbers or strings), or None for items on their own.
        class_names: the name of each class, or None; labels beyond it are refused.

    Returns:
        A :class:`Splits` of sorted ``int`` index arrays (``class_names`` kept).

    Raises:
        ValueError: a class too small to keep one training item (or group), a part asked for
            (``val`` or ``test`` > 0) that rounds to nothing in every class (pass 0 for none), or a
            label that ``class_names`` does not name.

    Example:
        >>> s = split_indices([0, 0, 0, 0, 1, 1, 1, 1], val=0.25, test=0.25, seed=1,
        ...                   groups=["a", "a", "b", "c", "d", "d", "e", "f"])
        >>> [part.tolist() for part in s]     # items 0, 1 (group a) together, and 4, 5 (group d)
        [[3, 6], [2, 4, 5], [0, 1, 7]]
    """
    val, test = _check_fractions(val, test)
    rng = check_seed(seed)
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) == 0:
        raise ValueError(f"labels must be a non-empty 1-D array, got shape {labels.shape}")
    labels = labels.astype(np.int64)
    if class_names is not None and labels.max() >= len(class_names):
        raise ValueError(f"labels holds the class {int(labels.max())} but class_names names only "
                         f"{len(class_names)} classes (0..{len(class_names) - 1})")
    if groups is None:
        member = np.arange(len(labels))
        group_label = labels
    else:
        groups = np.asarray(groups)
        if groups.shape != labels.shape:
            raise ValueError(f"groups must have one id per item: labels has shape {labels.shape}, "
                             f"groups {groups.shape}")
        _, member = np.unique(groups, return_inverse=True)
        member = member.reshape(-1)
        order = np.lexsort((labels, member))                   # by group, then label: each group's last is its highest
        last = np.r_[member[order][1:] != member[order][:-1], True]
        group_label = labels[order][last]
    part_of = np.zeros(len(group_label), dtype=int)            # 0 train, 1 val, 2 test
    for label in np.unique(group_label):
        g = rng.permutation(np.flatnonzero(group_label == label))
        n_test, n_val = int(round(len(g) * test)), int(round(len(g) * val))
        if n_test + n_val >= len(g):
            name = class_names[int(label)] if class_names is not None else label.item()
            what = "groups" if groups is not None else "items"
            raise ValueError(f"class {name!r} has {len(g)} {what}, too few to keep one for training after "
                             f"val={val:g} and test={test:g} take {n_val} and {n_test}; lower val/test or add data")
        part_of[g[:n_test]], part_of[g[n_test:n_test + n_val]] = 2, 1
    item_part = part_of[member]
    parts = [np.flatnonzero(item_part == k) for k in range(3)]
    what = "groups" if groups is not None else "items"
    for k, (name, share) in ((1, ("val", val)), (2, ("test", test))):
        if share > 0 and len(parts[k]) == 0:    # asked for, but every class rounded it to nothing
            raise ValueError(f"{name}={share:g} of {len(group_label)} {what} rounds to an empty {name} part in every "
                             f"class; ask for a larger {name}, pass {name}=0 for none, or add data")
    return Splits(*parts, class_names=list(class_names) if class_names is not None else [])


@contract(x=Array(finite=False), y=Labels(), class_names=Seq(Str(empty=True), min_len=0), val=Fraction(),
          test=Fraction(), seed=Seed(), groups=Array(ndim=1, numeric=False) | None)
def split_arrays(x, y, class_names, *, val=0.15, test=0.15, seed=0, groups=None):
    """Cut ``x, y`` into a stratified :class:`Splits` of :class:`Split` parts, each shuffled with ``seed``.

    Every class is split in the same proportions, so a balanced set stays balanced in each part; with
    ``groups`` no group (patient, song) is in two parts (see :func:`split_indices`).

    Args:
        x: the inputs, one per item.
        y: one integer label per item, each naming a class of ``class_names``.
        class_names: the name of each class.
        val: the share of each class for validation, in [0, 1).
        test: the share of each class for test, in [0, 1).
        seed: an int, a NumPy ``SeedSequence`` or ``Generator``.
        groups: one id per item, kept whole in one part, or None.

    Returns:
        A :class:`Splits` of :class:`Split` parts with ``class_names``.

    Raises:
        ValueError: as :func:`split_indices`, and when ``x`` and ``y`` differ in length.

    Example:
        >>> x, y = np.arange(20.0).reshape(10, 2), np.repeat([0, 1], 5)
        >>> s = split_arrays(x, y, ["cat", "dog"], val=0.2, test=0.2, seed=0)
        >>> s
        Splits(train=6, val=2, test=2, item shape=(2,), classes=['cat', 'dog'])
        >>> np.bincount(s.val.y).tolist()                        # one of each class: stratified
        [1, 1]
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} items but y has {len(y)}")
    if y.max() >= len(class_names):
        raise ValueError(f"y holds the class {int(y.max())} but class_names names only {len(class_names)} classes "
                         f"(0..{len(class_names) - 1})")
    rng = check_seed(seed)
    idx = split_indices(y, val=val, test=test, seed=rng, groups=groups, class_names=list(class_names))
    parts = [Split(x[i], y[i]) for i in (rng.permutation(i) for i in idx)]
    return Splits(*parts, class_names=list(class_names))
