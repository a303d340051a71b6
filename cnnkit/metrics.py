"""Classification metrics by hand: accuracy, confusion matrix, quadratic kappa, ROC and AUC.

Every function is checked against scikit-learn in ``tests/test_metrics.py``::

    >>> from cnnkit import metrics
    >>> y_true, y_pred = [0, 0, 1, 2, 4, 3], [0, 1, 1, 2, 3, 3]
    >>> round(metrics.quadratic_kappa(y_true, y_pred), 4)
    0.9032
    >>> round(metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 2)
    0.75

How sure a number on a few hundred items is: :func:`wilson_interval` and :func:`accuracy_interval` give an
accuracy its 95 % interval, :func:`paired_difference` the interval of a difference over paired seeds::

    >>> [round(v, 3) for v in metrics.accuracy_interval([0, 1, 1, 0], [0, 1, 1, 1])]
    [0.75, 0.301, 0.954]

Labels are integers ``0 .. n_classes - 1``. The diabetic-retinopathy helpers built on these
(referable grades, thresholds) live in :mod:`cnnkit.medical.grading`.
"""
import numpy as np

from cnnkit._checks import Array, Fraction, Int, Labels, check_array, check_size, contract
from cnnkit._checks.labels import check_label_pair as _pair
from cnnkit._checks.labels import check_labels_and_scores as _labels_and_scores


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


@contract(successes=Int(low=0), n=Int(low=1), level=Fraction(allow_zero=False))
def wilson_interval(successes, n, *, level=0.95):
    """Wilson's score interval for a proportion: ``successes`` right out of ``n`` independent items.

    It is the set of proportions ``p`` that the observed share ``p̂ = successes / n`` does not reject at
    ``level``: the roots of ``(p̂ − p)² = z² p (1 − p) / n``. Unlike the Wald interval ``p̂ ± z √(p̂(1 − p̂)/n)``
    it stays inside [0, 1] and keeps its coverage near 0 and 1 (an accuracy of 300 / 300 still gets an interval).

    Args:
        successes: how many of the ``n`` items were right (0..n).
        n: how many items were scored.
        level: the coverage, in (0, 1).

    Returns:
        ``(low, high)``; the same as ``scipy.stats.binomtest(successes, n).proportion_ci(level, method="wilson")``.

    Raises:
        ValueError: when ``successes > n``.

    Example:
        >>> [round(v, 3) for v in wilson_interval(227, 300)]      # 75.7 % of 300 test images
        [0.705, 0.802]
        >>> [round(v, 3) for v in wilson_interval(300, 300)]
        [0.987, 1.0]
    """
    from scipy.stats import norm

    if successes > n:
        raise ValueError(f"successes must be at most n = {n}, got {successes}")
    z = float(norm.ppf(0.5 + level / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if successes == 0 else max(0.0, centre - half)     # the ends are exact at 0 and n
    high = 1.0 if successes == n else min(1.0, centre + half)
    return float(low), float(high)


@contract(y_true=Labels(), y_pred=Labels(), level=Fraction(allow_zero=False))
def accuracy_interval(y_true, y_pred, *, level=0.95):
    """An accuracy and its Wilson interval: ``(accuracy, low, high)``, each test item counted once.

    Args:
        y_true: the true labels, one per item.
        y_pred: the predicted labels (same length).
        level: the interval's coverage, in (0, 1).

    Returns:
        ``(accuracy, low, high)``, see :func:`wilson_interval`.

    Example:
        >>> [round(v, 3) for v in accuracy_interval([0, 1, 2, 2], [0, 1, 1, 2])]
        [0.75, 0.301, 0.954]
    """
    y_true, y_pred, _ = _pair(y_true, y_pred)
    right = int(np.sum(y_true == y_pred))
    return (right / len(y_true), *wilson_interval(right, len(y_true), level=level))


@contract(a=Array(ndim=1), b=Array(ndim=1), level=Fraction(allow_zero=False))
def paired_difference(a, b, *, level=0.95):
    """The mean of ``a − b`` over paired runs (the same seeds) and its Student-t interval.

    Pairing removes what the two runs of one seed share (the same split, the same initial draw), so the
    interval is that of the per-seed differences: ``mean ± t · std(ddof=1) / √n``, ``t`` the quantile for
    ``n − 1`` degrees of freedom (4.30 for three seeds at 95 %). An interval that excludes 0 is a difference
    the seeds cannot explain; one that spans 0 is not a finding.

    Args:
        a: one score per seed for the first model.
        b: one score per seed for the second model, seed for seed (same length, at least 2).
        level: the coverage, in (0, 1).

    Returns:
        ``(mean, low, high)`` of the differences ``a − b``.

    Raises:
        ValueError: when ``a`` and ``b`` differ in length or hold fewer than two runs.

    Example:
        >>> [round(v, 3) for v in paired_difference([0.80, 0.85, 0.90], [0.70, 0.80, 0.82])]
        [0.077, 0.014, 0.139]
    """
    from scipy.stats import t

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if len(a) != len(b):
        raise ValueError(f"a and b must hold one score per seed, seed for seed; got {len(a)} and {len(b)}")
    if len(a) < 2:
        raise ValueError(f"a and b must hold at least two runs each for an interval, got {len(a)}")
    d = a - b
    mean, se = float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))
    half = float(t.ppf(0.5 + level / 2, len(d) - 1)) * se
    return mean, mean - half, mean + half
