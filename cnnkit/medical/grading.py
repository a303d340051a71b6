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

from cnnkit._checks import Array, Fraction, Int, Labels, Number, check_array, check_int, check_number, contract
from cnnkit._checks.labels import check_label_pair, check_labels, check_labels_and_scores
from cnnkit.medical.grades import REFERABLE_GRADE
from cnnkit.medical.intervals import bootstrap_interval  # noqa: F401  (its old home; see intervals)
from cnnkit.metrics import quadratic_kappa


@contract(y=Labels(), grade=Int(low=1))
def referable(y, *, grade=REFERABLE_GRADE):
    """1 where a grade is referable (``≥ grade``, moderate DR or worse by default), else 0.

    Args:
        y: integer grades.
        grade: the lowest referable grade (2: moderate DR or worse).

    Returns:
        An int64 array of 0 and 1, one per grade.

    Example:
        >>> referable([0, 1, 2, 4]).tolist(), referable([0, 1, 2, 4], grade=1).tolist()
        ([0, 0, 1, 1], [0, 1, 1, 1])
    """
    return (check_labels(y, "y") >= check_int(grade, "grade", low=1)).astype(np.int64)


@contract(y_true=Labels(), y_pred=Labels(), grade=Int(low=1))
def referable_sensitivity_specificity(y_true, y_pred, *, grade=REFERABLE_GRADE):
    """Sensitivity and specificity of "refer" (grade ≥ ``grade``) decisions made from predicted grades.

    Sensitivity = referable eyes caught / all referable eyes; specificity = healthy-enough eyes left
    alone / all of them.

    Args:
        y_true: the true integer grades.
        y_pred: the predicted integer grades, one per eye.
        grade: the lowest referable grade (2: moderate DR or worse).

    Returns:
        ``(sensitivity, specificity)``, two floats.

    Raises:
        ValueError: ``y_true`` lacks referable or non-referable eyes.

    Example:
        >>> referable_sensitivity_specificity([0, 1, 2, 3], [0, 2, 2, 1])
        (0.5, 0.5)
    """
    grade = check_int(grade, "grade", low=1)
    y_true, y_pred, _ = check_label_pair(y_true, y_pred)
    truth, call = y_true >= grade, y_pred >= grade
    if truth.all() or not truth.any():
        raise ValueError(f"y_true needs both referable (grade ≥ {grade}) and non-referable eyes "
                         f"to define sensitivity and specificity; it has {int(truth.sum())} of {len(truth)} referable")
    sensitivity = np.sum(truth & call) / np.sum(truth)
    specificity = np.sum(~truth & ~call) / np.sum(~truth)
    return float(sensitivity), float(specificity)


def _probabilities(probabilities):
    p = check_array(probabilities, "probabilities", ndim=2).astype(np.float64)
    if p.shape[1] < 2:
        raise ValueError(f"probabilities must be N × n_classes with n_classes ≥ 2, got shape {p.shape}")
    return p


@contract(probabilities=Array(ndim=2, low=0))
def expected_grade(probabilities):
    """One ordinal score per item from class probabilities (N × K): ``Σ_k k · p_k``.

    Args:
        probabilities: ``(N, K)`` class probabilities, one row per item, K ≥ 2.

    Returns:
        A float array of N scores in [0, K - 1].

    Example:
        >>> expected_grade([[0.5, 0.5, 0, 0, 0], [0, 0, 0, 0.5, 0.5]]).tolist()
        [0.5, 3.5]
    """
    p = _probabilities(probabilities)
    return p @ np.arange(p.shape[1])


@contract(probabilities=Array(ndim=2, low=0), grade=Int(low=1))
def referable_probability(probabilities, *, grade=REFERABLE_GRADE):
    """Probability of referable DR from class probabilities (N × K): ``Σ_{k ≥ grade} p_k``.

    Args:
        probabilities: ``(N, K)`` class probabilities, one row per item.
        grade: the lowest referable grade (< K).

    Returns:
        A float array of N probabilities.

    Example:
        >>> referable_probability([[0.5, 0.25, 0.25, 0, 0]]).tolist()
        [0.25]
    """
    p = _probabilities(probabilities)
    grade = check_int(grade, "grade", low=1, high=p.shape[1] - 1)
    return p[:, grade:].sum(axis=1)


@contract(scores=Array(), thresholds=Array(ndim=1))
def apply_thresholds(scores, thresholds):
    """Grades from continuous scores: the number of ``thresholds`` each score reaches (``score >= t``).

    Args:
        scores: finite numbers (any shape).
        thresholds: a non-empty increasing sequence of cut points.

    Returns:
        An int64 array of ``scores``' shape.

    Raises:
        ValueError: thresholds that do not increase.

    Example:
        >>> apply_thresholds([0.2, 0.5, 2.7], [0.5, 1.5, 2.5, 3.5]).tolist()
        [0, 1, 3]
    """
    scores = check_array(scores, "scores").astype(np.float64)
    thresholds = check_array(thresholds, "thresholds", ndim=1).astype(np.float64)
    if len(thresholds) == 0 or np.any(np.diff(thresholds) < 0):
        raise ValueError(f"thresholds must be a non-empty increasing 1-D sequence, got {thresholds!r}")
    return np.digitize(scores, thresholds).astype(np.int64)


@contract(y_true=Labels(), scores=Array(ndim=1), n_classes=Int(low=2) | None, initial=Array(ndim=1) | None,
          candidates=Int(low=1), passes=Int(low=1))
def optimise_thresholds(y_true, scores, *, n_classes=None, initial=None, candidates=200, passes=5):
    """Cut points on a regression / ordinal output that maximise quadratic kappa on ``(y_true, scores)``.

    Each threshold improves in turn (coordinate ascent), trying cut points between its neighbours taken
    from the scores themselves; it stops when a sweep improves nothing. Tune on the validation split,
    then report on the test split with :func:`apply_thresholds`.

    Args:
        y_true: integer grades.
        scores: one number per item.
        n_classes: the number of grades (None: the largest grade + 1).
        initial: the ``n_classes - 1`` starting cuts (None: ``0.5, 1.5, …``, i.e. rounding).
        candidates: the most cut points tried per threshold.
        passes: the most sweeps.

    Returns:
        A float array of ``n_classes - 1`` increasing thresholds.

    Raises:
        ValueError: ``n_classes`` below a label, or ``initial`` of the wrong length.

    Example:
        >>> optimise_thresholds([0, 0, 1, 1, 2], [0.1, 0.9, 1.2, 1.3, 1.9]).tolist()   # rounding calls 0.9 a 1
        [1.05, 1.5]
    """
    y_true, scores = check_labels_and_scores(y_true, scores)
    k = check_int(n_classes, "n_classes", low=2) if n_classes is not None else int(y_true.max()) + 1
    candidates, passes = check_int(candidates, "candidates", low=1), check_int(passes, "passes", low=1)
    if k < 2 or y_true.max() >= k:
        raise ValueError(f"n_classes={k} must be ≥ 2 and above every label (max {int(y_true.max())})")
    t = np.arange(k - 1) + 0.5 if initial is None else np.sort(check_array(initial, "initial", ndim=1)).astype(float)
    if t.shape != (k - 1,):
        raise ValueError(f"initial must hold n_classes - 1 = {k - 1} thresholds, got {len(t)}")
    distinct = np.unique(scores)
    cuts = np.r_[distinct[0] - 1.0, (distinct[1:] + distinct[:-1]) / 2, distinct[-1] + 1.0]

    def kappa(th):
        value = quadratic_kappa(y_true, apply_thresholds(scores, th), n_classes=k)
        return -np.inf if np.isnan(value) else value

    best = kappa(t)
    for _ in range(passes):
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


@contract(y_true=Labels(), scores=Array(ndim=1), sensitivity=Fraction(allow_one=True) | None,
          specificity=Fraction(allow_one=True) | None, grade=Int(low=1))
def operating_threshold(y_true, scores, *, sensitivity=None, specificity=None, grade=REFERABLE_GRADE):
    """The threshold on a referable score (e.g. ``p(grade ≥ 2)``) that meets a target sensitivity or specificity.

    "Refer" means ``score >= t``. Choose it on the validation split and report both rates on the test split
    with :func:`sensitivity_specificity_at` — the two operating points of Gulshan et al. 2016.

    Args:
        y_true: integer grades.
        scores: one number per eye, higher = more likely referable.
        sensitivity: the target of a screening point: the **highest** threshold whose sensitivity on these
            eyes is at least that (give this or ``specificity``).
        specificity: the target of a confirmation point: the **lowest** threshold whose specificity is at
            least that.
        grade: the lowest referable grade (2: moderate DR or worse).

    Returns:
        The threshold, a float.

    Raises:
        ValueError: not exactly one target, or ``y_true`` without both referable and non-referable eyes.

    Example:
        >>> y, s = [0, 0, 1, 2, 3, 4], [0.1, 0.4, 0.6, 0.5, 0.8, 0.9]
        >>> float(operating_threshold(y, s, sensitivity=1.0)), float(operating_threshold(y, s, specificity=1.0))
        (0.5, 0.7)
    """
    y_true, scores = check_labels_and_scores(y_true, scores)
    truth = y_true >= check_int(grade, "grade", low=1)
    if truth.all() or not truth.any():
        raise ValueError(f"y_true needs both referable (grade ≥ {grade}) and non-referable eyes")
    if (sensitivity is None) == (specificity is None):
        raise ValueError("give exactly one of sensitivity= or specificity=")
    if sensitivity is not None:
        target = check_number(sensitivity, "sensitivity", low=0, high=1)
        positives = np.sort(scores[truth])[::-1]                 # catching the k highest needs t <= k-th score
        k = max(int(np.ceil(target * len(positives) - 1e-9)), 1)
        return float(positives[k - 1])
    target = check_number(specificity, "specificity", low=0, high=1)
    negatives = np.sort(scores[~truth])
    k = int(np.ceil(target * len(negatives) - 1e-9))           # the k lowest negatives must stay below t
    if k == 0:
        return float(negatives[0])
    above = negatives[k - 1]
    nxt = scores[scores > above]
    return float((above + nxt.min()) / 2) if len(nxt) else float(np.nextafter(above, np.inf))


@contract(y_true=Labels(), scores=Array(ndim=1), threshold=Number(), grade=Int(low=1))
def sensitivity_specificity_at(y_true, scores, threshold, *, grade=REFERABLE_GRADE):
    """Referable sensitivity and specificity when eyes with ``scores >= threshold`` are referred.

    Args:
        y_true: integer grades.
        scores: one number per eye.
        threshold: the cut point.
        grade: the lowest referable grade (2: moderate DR or worse).

    Returns:
        ``(sensitivity, specificity)``, two floats.

    Example:
        >>> sensitivity_specificity_at([0, 0, 2, 3], [0.1, 0.6, 0.7, 0.4], 0.5)
        (0.5, 0.5)
    """
    y_true, scores = check_labels_and_scores(y_true, scores)
    threshold = check_number(threshold, "threshold")
    calls = np.where(scores >= threshold, grade, 0)
    return referable_sensitivity_specificity(y_true, calls, grade=grade)
