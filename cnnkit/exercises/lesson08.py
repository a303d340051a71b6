"""Exercises of lesson 08 (medical imaging), checked by ``check()``.

Each exercise is made from the notebook's own data, so the expected answer is computed, never typed::

    >>> import numpy as np
    >>> from cnnkit.exercises import lesson08
    >>> q1 = lesson08.image_split_leak(np.arange(40) % 5, seed=1)
    >>> q1.check(q1.expected)
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit._checks import check_number
from cnnkit.data.splits import split_indices
from cnnkit.exercises._core import Exercise
from cnnkit.medical import grading

__all__ = ["image_split_leak", "screening_threshold", "threshold_on_test"]


def image_split_leak(labels, *, seed, val=0.15, test=0.15):
    """Exercise: how many test eyes have the other eye of their patient in training, after a split by image."""
    labels = np.asarray(labels)
    patient = np.arange(len(labels)) // 2
    cut = split_indices(labels, val=val, test=test, seed=seed)
    expected = int(np.isin(patient[cut.test], patient[cut.train]).sum())
    return Exercise(
        f"Patients: eyes 2k and 2k + 1 belong to patient k. Split the {len(labels)} eyes by image with "
        f"split_indices(labels_all, val={val}, test={test}, seed={seed}). How many test eyes have the other eye of "
        f"their patient in the training part?",
        expected=expected,
        hint="patient_of[cut.test] are the test eyes' patients; np.isin tells which of them also have an eye in "
             "cut.train.",
        solution=(f"cut = split_indices(labels_all, val={val}, test={test}, seed={seed})\n"
                  f"print(int(np.isin(patient_of[cut.test], patient_of[cut.train]).sum()))   # {expected}\n"
                  f"# with groups=patient_of the answer is 0: both eyes go to one part"),
    )


def screening_threshold(y_val, val_score, *, sensitivity):
    """Exercise: the highest threshold on p(grade ≥ 2) that reaches a target validation sensitivity, by hand."""
    target = check_number(sensitivity, "sensitivity", low=0, high=1)
    expected = grading.operating_threshold(y_val, val_score, sensitivity=target)
    n_ref = int((np.asarray(y_val) >= 2).sum())
    need = int(np.ceil(target * n_ref - 1e-9))
    return Exercise(
        f"By hand, without grading.operating_threshold: what is the highest threshold t on the validation scores "
        f"p(grade ≥ 2) such that referring every eye with score ≥ t catches at least {target:.1%} of the {n_ref} "
        f"referable validation eyes?",
        expected=expected,
        hint=f"You must catch {need} referable eyes: sort their scores from high to low and take the {need}-th.",
        solution=(f"ref = np.sort(val_score[y_val >= 2])[::-1]\n"
                  f"t = ref[{need} - 1]\n"
                  f"print(t, grading.operating_threshold(y_val, val_score, sensitivity={target}))"
                  f"   # {expected:.6f} twice"),
    )


def threshold_on_test(y_test, test_score, *, sensitivity):
    """Exercise: the test sensitivity of a threshold chosen on the test split itself (why it is not reported)."""
    target = check_number(sensitivity, "sensitivity", low=0, high=1)
    t = grading.operating_threshold(y_test, test_score, sensitivity=target)
    expected = grading.sensitivity_specificity_at(y_test, test_score, t)[0]
    return Exercise(
        f"Choose the high-sensitivity threshold (target {target:.1%}) on the **test** scores instead of validation. "
        f"What test sensitivity does it reach? (Then say why this number must not be reported.)",
        expected=expected,
        hint="grading.operating_threshold(y_test, score, sensitivity=...) then grading.sensitivity_specificity_at.",
        solution=("t_cheat = grading.operating_threshold(y_test, score, sensitivity=SENS_TARGET)\n"
                  f"print(grading.sensitivity_specificity_at(y_test, score, t_cheat)[0])   # {expected:.4f}\n"
                  "# ≥ the target by construction on the eyes it was chosen on: it says nothing about new eyes.\n"
                  "# The validation-chosen threshold in the table shows how the target holds on unseen eyes."),
    )
