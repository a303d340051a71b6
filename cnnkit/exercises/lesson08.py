"""Exercises of lesson 08 (medical imaging): ``ex.q1.check(answer)``, ``ex.q1.hint()``, ``ex.q1.solution()``.

The exercises are made from the notebook's own data, so the expected answers are computed, never typed:
:func:`setup` builds ``q1``–``q4`` from the run and returns this module (``ex = lesson08.setup(...)``); until
then they are built from a small example::

    >>> import numpy as np
    >>> from cnnkit.exercises import lesson08 as ex
    >>> q1 = ex.image_split_leak(np.arange(40) % 5, seed=1)
    >>> q1.check(q1.expected)
    ✓ Correct.
    True
    >>> ex.q4.check(0.2)                                       # the example's PPV is not 0.2
    ✗ Not yet: expected 0.452381, got 0.2.
    False
"""
import sys

import numpy as np

from cnnkit._checks import Array, Fraction, Int, Labels, Number, Seed, contract
from cnnkit.data.splits import split_indices
from cnnkit.exercises._core import Exercise
from cnnkit.medical import grading
from cnnkit.medical.screening import predictive_values

__all__ = ["image_split_leak", "screening_ppv", "screening_threshold", "setup", "threshold_on_test"]

_RATE = Number(low=0, high=1)


@contract(labels=Labels(), seed=Seed(), val=Fraction(), test=Fraction())
def image_split_leak(labels, *, seed, val=0.15, test=0.15):
    """Exercise: how many test eyes have the other eye of their patient in training, after a split by image.

    Args:
        labels: the grade of every eye; eyes ``2k`` and ``2k + 1`` are patient ``k``.
        seed: the split's seed.
        val: the validation share.
        test: the test share.

    Returns:
        An :class:`~cnnkit.exercises._core.Exercise`.

    Example:
        >>> image_split_leak(np.arange(40) % 5, seed=1).expected > 0
        True
    """
    labels = np.asarray(labels)
    patient = np.arange(len(labels)) // 2
    cut = split_indices(labels, val=val, test=test, seed=seed)
    expected = int(np.isin(patient[cut.test], patient[cut.train]).sum())
    return Exercise(
        f"Patients: eyes 2k and 2k + 1 belong to patient k. Split the {len(labels)} eyes by image with "
        f"split_indices(labels_all, val={val}, test={test}, seed={seed}). How many test eyes have the other eye of "
        f"their patient in the training part?",
        expected=expected, rtol=0, atol=0,
        hint="patient_of[cut.test] are the test eyes' patients; np.isin tells which of them also have an eye in "
             "cut.train.",
        solution=(f"cut = split_indices(labels_all, val={val}, test={test}, seed={seed})\n"
                  f"answer = int(np.isin(patient_of[cut.test], patient_of[cut.train]).sum())   # {expected}\n"
                  f"# with groups=patient_of the answer is 0: both eyes go to one part"),
    )


@contract(y_val=Labels(), val_score=Array(ndim=1), sensitivity=_RATE)
def screening_threshold(y_val, val_score, *, sensitivity):
    """Exercise: the highest threshold on p(grade ≥ 2) that reaches a target validation sensitivity, by hand.

    Args:
        y_val: the validation grades.
        val_score: the validation scores p(grade ≥ 2).
        sensitivity: the target sensitivity.

    Returns:
        An :class:`~cnnkit.exercises._core.Exercise`.

    Example:
        >>> screening_threshold([0, 2, 3, 4], [0.1, 0.3, 0.6, 0.9], sensitivity=0.6).expected
        0.6
    """
    expected = grading.operating_threshold(y_val, val_score, sensitivity=sensitivity)
    n_ref = int((np.asarray(y_val) >= 2).sum())
    need = int(np.ceil(sensitivity * n_ref - 1e-9))
    return Exercise(
        f"By hand, without grading.operating_threshold: what is the highest threshold t on the validation scores "
        f"p(grade ≥ 2) such that referring every eye with score ≥ t catches at least {sensitivity:.1%} of the {n_ref} "
        f"referable validation eyes?",
        expected=expected, rtol=0, atol=1e-7,
        hint=f"You must catch {need} referable eyes: sort their scores from high to low and take the {need}-th.",
        solution=(f"ref = np.sort(val_score[y_val >= 2])[::-1]\n"
                  f"answer = ref[{need} - 1]\n"
                  f"print(answer, grading.operating_threshold(y_val, val_score, sensitivity={sensitivity}))"
                  f"   # {expected:.6f} twice"),
    )


@contract(y_test=Labels(), test_score=Array(ndim=1), sensitivity=_RATE)
def threshold_on_test(y_test, test_score, *, sensitivity):
    """Exercise: the test sensitivity of a threshold chosen on the test split itself (why it is not reported).

    Args:
        y_test: the test grades.
        test_score: the test scores p(grade ≥ 2).
        sensitivity: the target sensitivity.

    Returns:
        An :class:`~cnnkit.exercises._core.Exercise`.

    Example:
        >>> threshold_on_test([0, 2, 3, 4], [0.1, 0.3, 0.6, 0.9], sensitivity=0.6).expected
        0.6666666666666666
    """
    t = grading.operating_threshold(y_test, test_score, sensitivity=sensitivity)
    expected = grading.sensitivity_specificity_at(y_test, test_score, t)[0]
    return Exercise(
        f"Choose the high-sensitivity threshold (target {sensitivity:.1%}) on the **test** scores instead of "
        f"validation. What test sensitivity does it reach? (Then say why this number must not be reported.)",
        expected=expected, rtol=0, atol=1e-9,
        hint="grading.operating_threshold(y_test, score, sensitivity=...) then grading.sensitivity_specificity_at.",
        solution=("t_cheat = grading.operating_threshold(y_test, score, sensitivity=SENS_TARGET)\n"
                  "answer = grading.sensitivity_specificity_at(y_test, score, t_cheat)[0]"
                  f"   # {expected:.4f}\n"
                  "# ≥ the target by construction on the eyes it was chosen on: it says nothing about new eyes.\n"
                  "# The validation-chosen threshold in the table shows how the target holds on unseen eyes."),
    )


@contract(sensitivity=_RATE, specificity=_RATE, prevalence=Fraction(allow_zero=False),
          test_prevalence=Fraction(allow_zero=False))
def screening_ppv(sensitivity, specificity, *, prevalence, test_prevalence):
    """Exercise: the positive predictive value of a measured operating point at a screening prevalence (Bayes).

    Args:
        sensitivity: the test sensitivity at the operating point.
        specificity: the test specificity there.
        prevalence: the referable share of the screened population.
        test_prevalence: the referable share of the test set (to tell that mistake apart).

    Returns:
        An :class:`~cnnkit.exercises._core.Exercise` (answers within 0.0005 count, so three decimals do).

    Example:
        >>> round(screening_ppv(0.9, 0.9, prevalence=0.08, test_prevalence=0.4).expected, 3)
        0.439
    """
    expected, _ = predictive_values(sensitivity, specificity, prevalence=prevalence)
    at_test, _ = predictive_values(sensitivity, specificity, prevalence=test_prevalence)
    return Exercise(
        f"At the high-sensitivity point the network refers {sensitivity:.1%} of the referable test eyes and leaves "
        f"alone {specificity:.1%} of the others. A screening programme sees {prevalence:.0%} referable people. Of "
        f"the people it refers, what share need the referral (the positive predictive value, as a fraction)? "
        f"Use Bayes' rule (or count 1,000 people), then check with screening.predictive_values.",
        expected=expected, rtol=0, atol=5e-4,
        hint=f"Of 1,000 people, {prevalence * 1000:.0f} are referable and {sensitivity:.1%} of them are referred; "
             f"{(1 - prevalence) * 1000:.0f} are not, and {1 - specificity:.1%} of them are referred too.",
        solution=(f"sick, well = {prevalence} * 1000, (1 - {prevalence}) * 1000\n"
                  f"answer = {sensitivity:.6f} * sick / ({sensitivity:.6f} * sick + (1 - {specificity:.6f}) * well)"
                  f"   # {expected:.3f}\n"
                  f"# at the test set's {test_prevalence:.0%} it would be {at_test:.3f}: the same network, another "
                  f"population"),
    )


@contract(labels=Labels(), leak_seed=Seed(), y_val=Labels(), val_score=Array(ndim=1), y_test=Labels(),
          test_score=Array(ndim=1), sensitivity=_RATE, operating_point=Array(shape=(2,), low=0, high=1),
          prevalence=Fraction(allow_zero=False))
def setup(*, labels, leak_seed, y_val, val_score, y_test, test_score, sensitivity, operating_point, prevalence):
    """Build ``q1``–``q4`` from the notebook's run; returns this module (``ex = lesson08.setup(...)``).

    Args:
        labels: the grades of all eyes (q1).
        leak_seed: the seed of the split by image (q1).
        y_val: validation grades (q2).
        val_score: validation scores p(grade ≥ 2) (q2).
        y_test: test grades (q3, q4).
        test_score: test scores p(grade ≥ 2) (q3).
        sensitivity: the target sensitivity (q2, q3).
        operating_point: the (sensitivity, specificity) measured on test at the high-sensitivity point (q4).
        prevalence: the screening population's referable share (q4).

    Returns:
        This module, with ``q1``–``q4`` rebuilt.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> y = rng.integers(0, 5, 60); s = rng.random(60)
        >>> ex = setup(labels=y, leak_seed=1, y_val=y, val_score=s, y_test=y, test_score=s, sensitivity=0.9,
        ...            operating_point=(0.9, 0.8), prevalence=0.08)
        >>> ex.q1.expected == image_split_leak(y, seed=1).expected
        True
    """
    module = sys.modules[__name__]
    module.q1 = image_split_leak(labels, seed=leak_seed)
    module.q2 = screening_threshold(y_val, val_score, sensitivity=sensitivity)
    module.q3 = threshold_on_test(y_test, test_score, sensitivity=sensitivity)
    sens, spec = (float(v) for v in np.asarray(operating_point))
    module.q4 = screening_ppv(sens, spec, prevalence=prevalence,
                              test_prevalence=float(np.mean(np.asarray(y_test) >= 2)))
    return module


def _example():
    rng = np.random.default_rng(8)
    y = rng.choice(5, size=300, p=[0.49, 0.1, 0.27, 0.05, 0.09])
    s = np.clip(0.25 * (y >= 2) + 0.6 * rng.random(300), 0, 1)
    return setup(labels=np.arange(200) % 5, leak_seed=1, y_val=y[:150], val_score=s[:150], y_test=y[150:],
                 test_score=s[150:], sensitivity=0.975, operating_point=(0.95, 0.9), prevalence=0.08)


q1 = q2 = q3 = q4 = None
_example()
