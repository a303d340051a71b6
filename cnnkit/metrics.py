"""Classification metrics by hand (accuracy, confusion matrix, quadratic kappa, ROC and AUC) and their intervals.

Every function is checked against scikit-learn in ``tests/test_metrics.py``::

    >>> from cnnkit import metrics
    >>> y_true, y_pred = [0, 0, 1, 2, 4, 3], [0, 1, 1, 2, 3, 3]
    >>> round(metrics.quadratic_kappa(y_true, y_pred), 4)
    0.9032
    >>> round(metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 2)
    0.75

How sure a number on a few hundred items is (the course's one home for these intervals; the applications use
the same objects): :func:`wilson_interval` and :func:`accuracy_interval` give an accuracy its 95 % interval,
:func:`seed_interval` a mean over a few training seeds its t interval (an :class:`Interval`, which unpacks as
``(value, low, high)``), and :func:`paired_difference` the t interval of a difference over paired seeds::

    >>> [round(v, 3) for v in metrics.accuracy_interval([0, 1, 1, 0], [0, 1, 1, 1])]
    [0.75, 0.301, 0.954]
    >>> mean, low, high = metrics.seed_interval([0.84, 0.86, 0.78])
    >>> round(mean, 3), round(low, 3), round(high, 3)
    (0.827, 0.723, 0.93)

Labels are integers ``0 .. n_classes - 1``. The diabetic-retinopathy helpers built on these
(referable grades, thresholds) live in :mod:`cnnkit.medical.grading`.
"""
import numpy as np

from cnnkit._checks import Array, Int, Labels, check_array, check_size, contract
from cnnkit._checks.labels import check_label_pair as _pair
from cnnkit._checks.labels import check_labels_and_scores as _labels_and_scores
from cnnkit._intervals import (
    Interval,
    accuracy_interval,
    paired_difference,
    seed_interval,
    wilson_interval,
)

__all__ = ["Interval", "accuracy", "accuracy_interval", "auc", "confusion_matrix", "paired_difference",
           "quadratic_kappa", "roc_auc", "roc_curve", "seed_interval", "wilson_interval"]


@contract(y_true=Labels(), y_pred=Labels())
def accuracy(y_true, y_pred):
    """Fraction of labels predicted exactly: ``mean(y_true == y_pred)``.

    Args:
        y_true: the true integer labels ≥ 0, one per item.
        y_pred: the predicted integer labels ≥ 0, one per item.

    Returns:
        The accuracy, a float in [0, 1].

    Raises:
        ValueError: the two differ in length, or hold something other than labels ≥ 0.

    Example:
        >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2])
        0.75
    """
    y_true, y_pred, _ = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


@contract(y_true=Labels(), y_pred=Labels(), n_classes=Int(low=1) | None)
def confusion_matrix(y_true, y_pred, *, n_classes=None):
    """Counts ``C[i, j]`` of items of true class ``i`` predicted as ``j`` (rows: truth, columns: prediction).

    Args:
        y_true: the true integer labels ≥ 0, one per item.
        y_pred: the predicted integer labels ≥ 0, one per item.
        n_classes: the number of classes (None: the largest label + 1); pass it so that classes absent
            from both still get a row and a column.

    Returns:
        An int array ``(n_classes, n_classes)``.

    Raises:
        ValueError: ``n_classes`` below a label, or a label range whose matrix would not fit in memory.

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
        [[1, 0], [1, 1]]
        >>> confusion_matrix([0, 1, 1], [0, 1, 0], n_classes=3).tolist()
        [[1, 0, 0], [1, 1, 0], [0, 0, 0]]
    """
    y_true, y_pred, k = _pair(y_true, y_pred, n_classes)
    check_size(8 * k * k, "n_classes" if n_classes is not None else "the largest label + 1", k,
               f"a {k} × {k} matrix of counts")
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


@contract(y_true=Labels(), y_pred=Labels(), n_classes=Int(low=1) | None)
def quadratic_kappa(y_true, y_pred, *, n_classes=None):
    """Cohen's kappa with quadratic weights, the agreement score for ordered grades (Kaggle / APTOS).

    ``κ = 1 − Σ W·O / Σ W·E`` with ``O`` the confusion matrix, ``E`` the matrix expected by chance
    (outer product of the two label histograms divided by N) and ``W[i, j] = (i − j)²``: a grade
    off by two costs four times a grade off by one. 1 is perfect agreement, 0 chance level.

    Equals ``sklearn.metrics.cohen_kappa_score(y_true, y_pred, weights="quadratic",
    labels=range(n_classes))`` (sklearn's default ``labels`` are only those present, which changes
    the weights when a grade is missing).

    Args:
        y_true: the true integer grades ≥ 0.
        y_pred: the predicted integer grades ≥ 0, one per item.
        n_classes: the number of grades, which sets the weights' scale (None: the largest grade + 1).

    Returns:
        Kappa, a float ≤ 1; NaN (as in sklearn) when chance agreement is already perfect, e.g. when every
        label is the same class.

    Example:
        >>> quadratic_kappa([0, 1, 2, 3], [0, 1, 2, 3]), round(quadratic_kappa([0, 1, 2, 3], [1, 1, 2, 3]), 3)
        (1.0, 0.875)
    """
    y_true, y_pred, k = _pair(y_true, y_pred, n_classes)
    observed = confusion_matrix(y_true, y_pred, n_classes=k).astype(np.float64)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    grades = np.arange(k)
    weights = (grades[:, None] - grades[None, :]) ** 2
    chance = float((weights * expected).sum())
    if chance == 0:
        return float("nan")
    return float(1.0 - (weights * observed).sum() / chance)


def _binary_scores(y_true, scores):
    y_true, scores = _labels_and_scores(y_true, scores)
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError(f"y_true must be binary 0/1 for a ROC curve, got labels {np.unique(y_true).tolist()} "
                         "(binarise first, e.g. cnnkit.medical.grading.referable(grades))")
    if y_true.min() == y_true.max():
        raise ValueError("y_true has only one class; a ROC curve needs positives and negatives")
    return y_true, scores


@contract(y_true=Labels(), scores=Array(ndim=1))
def roc_curve(y_true, scores):
    """False- and true-positive rates for every threshold on ``scores`` (higher score = more positive).

    At ``thresholds[i]`` you call "positive" every item with ``score >= thresholds[i]``. The first
    threshold is ``inf`` (nobody positive), as in sklearn's ``roc_curve(..., drop_intermediate=False)``.

    Args:
        y_true: 0/1 labels with both classes present.
        scores: one finite score per item.

    Returns:
        ``(fpr, tpr, thresholds)``, three float arrays of the same length.

    Raises:
        ValueError: labels other than 0/1, only one class, or scores of another length or not finite.

    Example:
        >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> fpr.tolist(), tpr.tolist(), thresholds.tolist()
        ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], [inf, 0.8, 0.4, 0.35, 0.1])
    """
    y_true, scores = _binary_scores(y_true, scores)
    order = np.argsort(-scores, kind="mergesort")
    scores, y_true = scores[order], y_true[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]   # end index of each distinct score
    tp = np.cumsum(y_true)[last_of_tie]
    fp = (last_of_tie + 1) - tp
    tpr = np.r_[0.0, tp / tp[-1]]
    fpr = np.r_[0.0, fp / fp[-1]]
    return fpr, tpr, np.r_[np.inf, scores[last_of_tie]]


@contract(x=Array(ndim=1), y=Array(ndim=1))
def auc(x, y):
    """Area under a curve by the trapezoid rule, e.g. ``auc(fpr, tpr)``.

    Args:
        x: the abscissae, sorted (up or down).
        y: the curve's values there (same length ≥ 2).

    Returns:
        The area, a float ≥ 0.

    Raises:
        ValueError: ``x`` not sorted, or ``x`` and ``y`` of different lengths.

    Example:
        >>> auc([0.0, 0.5, 1.0], [0.0, 1.0, 1.0])
        0.75
    """
    x, y = check_array(x, "x").astype(np.float64), check_array(y, "y").astype(np.float64)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError(f"x and y must be 1-D of the same length ≥ 2, got {x.shape} and {y.shape}")
    dx = np.diff(x)
    if not (np.all(dx >= 0) or np.all(dx <= 0)):
        raise ValueError("x must be monotonic (sorted) to integrate")
    area = float(np.sum(dx * (y[1:] + y[:-1]) / 2))
    return abs(area)


@contract(y_true=Labels(), scores=Array(ndim=1))
def roc_auc(y_true, scores):
    """Area under the ROC curve: the chance that a random positive scores above a random negative.

    Ties count one half.

    Args:
        y_true: 0/1 labels with both classes present.
        scores: one finite score per item (higher means more likely positive).

    Returns:
        The AUC, a float in [0, 1].

    Example:
        >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
    """
    fpr, tpr, _ = roc_curve(y_true, scores)
    return auc(fpr, tpr)
