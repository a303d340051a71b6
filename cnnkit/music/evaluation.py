"""Honest numbers for a genre classifier: intervals that count songs, per-class recall, spreads over seeds.

A test set of 60 songs cut into 360 slices holds 60 independent things, not 360: slices of a song share its
key, tempo, instruments and mix. :func:`clustered_accuracy` gives slice accuracy a standard error that counts
songs; :func:`wilson_interval` gives a song accuracy its 95 % interval (Wilson's score interval stays inside
[0, 1] and keeps its coverage near 0 and 1, where the Wald interval ``p ± 1.96 √(p(1 − p)/n)`` does not);
:func:`seed_interval` gives a mean over a few training seeds (or paired differences) its t interval;
:func:`paired_change` tests whether one system's answers on the same songs changed (exact McNemar).
``wilson_interval`` and ``seed_interval`` are :mod:`cnnkit.metrics`' own (one definition each, re-exported here
so that ``evaluation.wilson_interval`` reads as part of this toolbox).

    >>> import numpy as np
    >>> low, high = wilson_interval(58, 60)
    >>> round(low, 3), round(high, 3)
    (0.886, 0.991)
    >>> from cnnkit import metrics
    >>> wilson_interval is metrics.wilson_interval and seed_interval is metrics.seed_interval
    True
    >>> accuracy, se = clustered_accuracy([1, 1, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1])     # songs 2/3 and 2/3 right
    >>> round(accuracy, 3), round(se, 3)
    (0.667, 0.0)
"""
import numpy as np

from cnnkit._checks import Array, Int, Labels, Mask, contract
from cnnkit.metrics import seed_interval, wilson_interval  # noqa: F401  (re-exported: one definition each)


@contract(correct=Array(ndim=1, low=0, high=1), groups=Array(ndim=1, numeric=False))
def clustered_accuracy(correct, groups):
    """Slice accuracy and a standard error that counts songs: slices of one song are not independent.

    The accuracy is the share of right slices; its standard error treats each song (``groups``) as one draw,
    the cluster-robust (ratio-estimator) form
    ``√(G / (G − 1) · Σ_g (c_g − a · m_g)²) / Σ_g m_g``, with ``c_g`` right slices out of ``m_g`` in song ``g``,
    ``a`` the accuracy and ``G`` the number of songs. With equally many slices per song it is the standard error
    of the per-song accuracies, ``std(ddof=1) / √G``.

    Args:
        correct: one entry per slice, 1 (or True) when the slice was classified right, else 0.
        groups: the song of each slice (any labels); at least two songs.

    Returns:
        ``(accuracy, standard_error)``.

    Example:
        >>> clustered_accuracy([1, 1, 1, 0], ["a", "a", "b", "b"])
        (0.75, 0.25)
    """
    correct = np.asarray(correct, dtype=np.float64)
    groups = np.asarray(groups)
    if len(groups) != len(correct):
        raise ValueError(f"groups must name the song of each slice ({len(correct)}), got {len(groups)}")
    _, song = np.unique(groups, return_inverse=True)
    n_songs = song.max() + 1
    if n_songs < 2:
        raise ValueError("groups must hold at least two songs for a standard error")
    right, size = np.bincount(song, weights=correct), np.bincount(song).astype(np.float64)
    accuracy = right.sum() / size.sum()
    se = np.sqrt(n_songs / (n_songs - 1) * ((right - accuracy * size) ** 2).sum()) / size.sum()
    return float(accuracy), float(se)


@contract(y_true=Labels(), y_pred=Labels(), n_classes=Int(low=1) | None)
def per_class_recall(y_true, y_pred, *, n_classes=None):
    """The share of each class's items predicted as that class (NaN for a class with no items).

    Args:
        y_true: the true labels, one per item.
        y_pred: the predicted labels.
        n_classes: how many classes (default: the largest label + 1).

    Returns:
        ``(n_classes,)`` float64, the diagonal of the row-normalised confusion matrix (what
        ``sklearn.metrics.recall_score(..., average=None)`` gives for the classes present).

    Example:
        >>> per_class_recall([0, 0, 1, 1], [0, 1, 1, 1]).tolist()
        [0.5, 1.0]
    """
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have one entry per item, got {y_true.shape} and {y_pred.shape}")
    k = int(max(y_true.max(), y_pred.max()) + 1) if n_classes is None else n_classes
    if max(y_true.max(), y_pred.max()) >= k:
        raise ValueError(f"labels must be below n_classes = {k}")
    totals = np.bincount(y_true, minlength=k).astype(np.float64)
    right = np.bincount(y_true[y_true == y_pred], minlength=k)
    return np.divide(right, totals, out=np.full(k, np.nan), where=totals > 0)


@contract(before=Mask(ndim=1), after=Mask(ndim=1))
def paired_change(before, after):
    """Did a change (an ablation, another model) move the answers on the same items? The exact McNemar test.

    Only the items whose correctness changed count: ``lost`` were right before and wrong after, ``gained`` the
    reverse. Under "no change", each of them is a fair coin, so the two-sided p-value is
    ``scipy.stats.binomtest(lost, lost + gained, 0.5).pvalue`` (1.0 when nothing changed).

    Args:
        before: one entry per item, True when it was right before the change.
        after: the same items after the change.

    Returns:
        ``(lost, gained, p_value)``.

    Example:
        >>> lost, gained, p = paired_change([1, 1, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 1, 0])
        >>> lost, gained, round(p, 3)
        (6, 0, 0.031)
    """
    from scipy.stats import binomtest

    before, after = np.asarray(before, dtype=bool), np.asarray(after, dtype=bool)
    if before.shape != after.shape:
        raise ValueError(f"before and after must describe the same items, got {before.shape} and {after.shape}")
    lost, gained = int((before & ~after).sum()), int((~before & after).sum())
    p = binomtest(lost, lost + gained, 0.5).pvalue if lost + gained else 1.0
    return lost, gained, float(p)
