"""Grading metrics by hand: accuracy, confusion matrix, quadratic kappa, referable-DR sensitivity/specificity,
ROC and AUC, and kappa-tuned thresholds for regression / ordinal outputs.

Every function is checked against scikit-learn in ``tests/test_metrics.py``::

    >>> from cnnkit import metrics
    >>> y_true, y_pred = [0, 0, 1, 2, 4, 3], [0, 1, 1, 2, 3, 3]
    >>> round(metrics.quadratic_kappa(y_true, y_pred), 4)
    0.9032
    >>> metrics.referable_sensitivity_specificity(y_true, y_pred)      # grade >= 2 is "referable"
    (1.0, 1.0)
    >>> thresholds = metrics.optimise_thresholds(y_true, [0.1, 0.7, 1.2, 2.1, 3.9, 2.8])
    >>> metrics.apply_thresholds([0.1, 0.7, 1.2, 2.1, 3.9, 2.8], thresholds).tolist()
    [0, 0, 1, 2, 4, 3]

Labels are integers ``0 .. n_classes - 1`` (for diabetic retinopathy: 0 no DR … 4 proliferative).
"""
import numpy as np

#: grades at or above this are "referable" diabetic retinopathy (moderate or worse)
REFERABLE_GRADE = 2


def _labels(y, name):
    y = np.asarray(y)
    if y.ndim != 1 or len(y) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of labels, got shape {y.shape}")
    if y.dtype == bool:
        return y.astype(np.int64)
    if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        raise ValueError(f"{name} must hold integer labels, got {y[:5]!r}…")
    if y.min() < 0:
        raise ValueError(f"{name} must hold labels ≥ 0, got {int(y.min())}")
    return y.astype(np.int64)


def _pair(y_true, y_pred, n_classes=None):
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    top = int(max(y_true.max(), y_pred.max())) + 1
    if n_classes is None:
        n_classes = top
    elif int(n_classes) < top:
        raise ValueError(f"n_classes={n_classes} but the labels go up to {top - 1}")
    return y_true, y_pred, int(n_classes)


def accuracy(y_true, y_pred):
    """Fraction of labels predicted exactly: ``mean(y_true == y_pred)``."""
    y_true, y_pred, _ = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Counts ``C[i, j]`` of items of true class ``i`` predicted as ``j`` (rows: truth, columns: prediction).

    ``n_classes`` defaults to the largest label + 1, so absent classes still get a row and column
    when you pass it.

        >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
        [[1, 0], [1, 1]]
    """
    y_true, y_pred, k = _pair(y_true, y_pred, n_classes)
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


def quadratic_kappa(y_true, y_pred, n_classes=None):
    """Cohen's kappa with quadratic weights — the Kaggle / APTOS diabetic-retinopathy score.

    ``κ = 1 − Σ W·O / Σ W·E`` with ``O`` the confusion matrix, ``E`` the matrix expected by chance
    (outer product of the two label histograms divided by N) and ``W[i, j] = (i − j)²``: a grade
    off by two costs four times a grade off by one. 1 is perfect agreement, 0 chance level.

    Equals ``sklearn.metrics.cohen_kappa_score(y_true, y_pred, weights="quadratic",
    labels=range(n_classes))`` (sklearn's default ``labels`` are only those present, which changes
    the weights when a grade is missing). Undefined (NaN, as in sklearn) when chance agreement is
    already perfect, e.g. when every label is the same class.
    """
    y_true, y_pred, k = _pair(y_true, y_pred, n_classes)
    observed = confusion_matrix(y_true, y_pred, k).astype(np.float64)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    grades = np.arange(k)
    weights = (grades[:, None] - grades[None, :]) ** 2
    chance = float((weights * expected).sum())
    if chance == 0:
        return float("nan")
    return float(1.0 - (weights * observed).sum() / chance)


def referable(y, grade=REFERABLE_GRADE):
    """1 where a grade is referable (``≥ grade``, moderate DR or worse by default), else 0."""
    return (_labels(y, "y") >= int(grade)).astype(np.int64)


def referable_sensitivity_specificity(y_true, y_pred, grade=REFERABLE_GRADE):
    """Sensitivity and specificity of "refer" (grade ≥ ``grade``) decisions made from predicted grades.

    Sensitivity = referable eyes caught / all referable eyes; specificity = healthy-enough eyes
    left alone / all of them. Raises ``ValueError`` when ``y_true`` lacks one of the two groups.
    """
    y_true, y_pred, _ = _pair(y_true, y_pred)
    truth, call = y_true >= grade, y_pred >= grade
    if truth.all() or not truth.any():
        raise ValueError(f"y_true needs both referable (grade ≥ {grade}) and non-referable eyes "
                         f"to define sensitivity and specificity; it has {int(truth.sum())} of {len(truth)} referable")
    sensitivity = np.sum(truth & call) / np.sum(truth)
    specificity = np.sum(~truth & ~call) / np.sum(~truth)
    return float(sensitivity), float(specificity)


def _labels_and_scores(y_true, scores):
    """``y_true`` as integer labels and ``scores`` as finite floats of the same shape."""
    y_true = _labels(y_true, "y_true")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != y_true.shape:
        raise ValueError(f"scores has shape {scores.shape} but y_true has {y_true.shape}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores must be finite numbers (found NaN or inf)")
    return y_true, scores


def _binary_scores(y_true, scores):
    y_true, scores = _labels_and_scores(y_true, scores)
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError(f"y_true must be binary 0/1 for a ROC curve, got labels {np.unique(y_true).tolist()} "
                         "(use metrics.referable(grades) to binarise DR grades)")
    if y_true.min() == y_true.max():
        raise ValueError("y_true has only one class; a ROC curve needs positives and negatives")
    return y_true, scores


def roc_curve(y_true, scores):
    """False- and true-positive rates for every threshold on ``scores`` (higher score = more positive).

    Returns ``(fpr, tpr, thresholds)``: at ``thresholds[i]`` you call "positive" every item with
    ``score >= thresholds[i]``. The first threshold is ``inf`` (nobody positive), as in sklearn's
    ``roc_curve(..., drop_intermediate=False)``.
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


def auc(x, y):
    """Area under a curve by the trapezoid rule (``x`` monotonic), e.g. ``auc(fpr, tpr)``."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError(f"x and y must be 1-D of the same length ≥ 2, got {x.shape} and {y.shape}")
    dx = np.diff(x)
    if not (np.all(dx >= 0) or np.all(dx <= 0)):
        raise ValueError("x must be monotonic (sorted) to integrate")
    area = float(np.sum(dx * (y[1:] + y[:-1]) / 2))
    return abs(area)


def roc_auc(y_true, scores):
    """Area under the ROC curve: the chance that a random positive scores above a random negative."""
    fpr, tpr, _ = roc_curve(y_true, scores)
    return auc(fpr, tpr)


def expected_grade(probabilities):
    """Turn class probabilities (N × K) into one ordinal score per item: ``Σ_k k · p_k``."""
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"probabilities must be N × n_classes, got shape {p.shape}")
    return p @ np.arange(p.shape[1])


def referable_probability(probabilities, grade=REFERABLE_GRADE):
    """Probability of referable DR from class probabilities (N × K): ``Σ_{k ≥ grade} p_k``."""
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or not 0 < grade < p.shape[1]:
        raise ValueError(f"probabilities must be N × n_classes with n_classes > grade={grade}, got {p.shape}")
    return p[:, grade:].sum(axis=1)


def apply_thresholds(scores, thresholds):
    """Grades from continuous scores: the number of ``thresholds`` each score reaches (``score >= t``)."""
    scores = np.asarray(scores, dtype=np.float64)
    thresholds = np.asarray(thresholds, dtype=np.float64)
    if thresholds.ndim != 1 or len(thresholds) == 0 or np.any(np.diff(thresholds) < 0):
        raise ValueError(f"thresholds must be a non-empty increasing 1-D sequence, got {thresholds!r}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores must be finite numbers (found NaN or inf)")
    return np.digitize(scores, thresholds).astype(np.int64)


def optimise_thresholds(y_true, scores, n_classes=None, initial=None, candidates=200, passes=5):
    """Cut points on a regression / ordinal output that maximise quadratic kappa on ``(y_true, scores)``.

    Start from ``initial`` (default ``0.5, 1.5, …``, i.e. rounding) and improve one threshold at a
    time (coordinate ascent), trying up to ``candidates`` cut points between its neighbours taken
    from the scores themselves; stop after ``passes`` sweeps or when nothing improves. Tune on the
    validation split, then report on the test split with :func:`apply_thresholds`.
    """
    y_true, scores = _labels_and_scores(y_true, scores)
    k = int(n_classes) if n_classes is not None else int(y_true.max()) + 1
    if k < 2 or y_true.max() >= k:
        raise ValueError(f"n_classes={k} must be ≥ 2 and above every label (max {int(y_true.max())})")
    t = np.arange(k - 1) + 0.5 if initial is None else np.sort(np.asarray(initial, dtype=np.float64))
    if t.shape != (k - 1,):
        raise ValueError(f"initial must hold n_classes - 1 = {k - 1} thresholds, got {len(t)}")
    distinct = np.unique(scores)
    cuts = np.r_[distinct[0] - 1.0, (distinct[1:] + distinct[:-1]) / 2, distinct[-1] + 1.0]

    def kappa(th):
        value = quadratic_kappa(y_true, apply_thresholds(scores, th), k)
        return -np.inf if np.isnan(value) else value

    best = kappa(t)
    for _ in range(int(passes)):
        improved = False
        for i in range(k - 1):
            low = t[i - 1] if i > 0 else -np.inf
            high = t[i + 1] if i < k - 2 else np.inf
            options = cuts[(cuts >= low) & (cuts <= high)]
            if len(options) > candidates:
                options = options[np.linspace(0, len(options) - 1, candidates).round().astype(int)]
            for c in options:
                trial = t.copy()
                trial[i] = c
                value = kappa(trial)
                if value > best + 1e-12:
                    best, t, improved = value, trial, True
        if not improved:
            break
    return t
