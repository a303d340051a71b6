"""Grading diabetic retinopathy: referable decisions, ordinal scores and kappa-tuned thresholds.

Built on the by-hand metrics of :mod:`cnnkit.metrics` and checked against scikit-learn in
``tests/test_metrics.py``::

    >>> from cnnkit.medical import grading
    >>> y_true, y_pred = [0, 0, 1, 2, 4, 3], [0, 1, 1, 2, 3, 3]
    >>> grading.referable_sensitivity_specificity(y_true, y_pred)      # grade >= 2 is "referable"
    (1.0, 1.0)
    >>> thresholds = grading.optimise_thresholds(y_true, [0.1, 0.7, 1.2, 2.1, 3.9, 2.8])
    >>> grading.apply_thresholds([0.1, 0.7, 1.2, 2.1, 3.9, 2.8], thresholds).tolist()
    [0, 0, 1, 2, 4, 3]

Grades are integers 0 no DR … 4 proliferative.
"""
import numpy as np

from cnnkit.metrics import _labels, _labels_and_scores, _pair, quadratic_kappa

#: grades at or above this are "referable" diabetic retinopathy (moderate or worse)
REFERABLE_GRADE = 2


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
