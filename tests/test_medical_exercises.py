"""Lesson 08's exercises: each is checked against the right answer, its equivalent forms and ≥ 3 plausible wrong ones."""
import numpy as np
import pytest

from cnnkit.data.splits import split_indices
from cnnkit.exercises import lesson08
from cnnkit.medical import grading, screening


def quiet(q, answer):
    """``q.check(answer)`` without its printout (the tests look at the verdict)."""
    return q._problem(answer) is None


@pytest.fixture(scope="module")
def run():
    rng = np.random.default_rng(0)
    y = rng.choice(5, size=600, p=[0.49, 0.1, 0.27, 0.05, 0.09])
    s = np.clip(0.3 * (y >= 2) + 0.7 * rng.random(600), 0, 1)
    return {"labels": np.arange(400) % 5, "y_val": y[:300], "val_score": s[:300], "y_test": y[300:],
            "test_score": s[300:]}


def test_q1_leak_count(run):
    q = lesson08.image_split_leak(run["labels"], seed=3)
    patient = np.arange(400) // 2
    cut = split_indices(run["labels"], val=0.15, test=0.15, seed=3)
    right = int(np.isin(patient[cut.test], patient[cut.train]).sum())
    assert right > 0 and quiet(q, right) and quiet(q, float(right)) and quiet(q, np.int64(right))
    by_patient = split_indices(run["labels"], val=0.15, test=0.15, seed=3, groups=patient)
    wrong = [0,                                                            # split by patient instead
             int(np.isin(patient[by_patient.test], patient[by_patient.train]).sum()),
             len(cut.test),                                                # every test eye
             int(np.isin(patient[cut.train], patient[cut.test]).sum()),    # counted from the training side
             right + 1]
    for w in wrong:
        assert w == right or not quiet(q, w)
    assert sum(w != right for w in wrong) >= 3


def test_q2_threshold_by_hand(run):
    y, s = run["y_val"], run["val_score"]
    q = lesson08.screening_threshold(y, s, sensitivity=0.975)
    ref = np.sort(s[y >= 2])[::-1]
    k = int(np.ceil(0.975 * len(ref)))
    by_hand = ref[k - 1]
    assert quiet(q, by_hand) and quiet(q, float(by_hand)) and quiet(q, np.float32(by_hand).item())
    assert by_hand == grading.operating_threshold(y, s, sensitivity=0.975)
    wrong = [ref[k],                                  # one past: catches one eye fewer than needed… or the next
             ref[k - 2],                              # one too early
             np.quantile(s[y >= 2], 0.025),           # a quantile, not an order statistic
             np.sort(s)[::-1][k - 1],                 # sorted all eyes, not the referable ones
             0.975]                                   # the target itself
    assert sum(not quiet(q, w) for w in wrong) >= 4


def test_q3_threshold_on_test_meets_its_target_by_construction(run):
    y, s = run["y_test"], run["test_score"]
    q = lesson08.threshold_on_test(y, s, sensitivity=0.975)
    t = grading.operating_threshold(y, s, sensitivity=0.975)
    right = grading.sensitivity_specificity_at(y, s, t)[0]
    assert q.expected >= 0.975 and quiet(q, right) and quiet(q, np.float64(right))
    t_val = grading.operating_threshold(run["y_val"], run["val_score"], sensitivity=0.975)
    wrong = [grading.sensitivity_specificity_at(y, s, t_val)[0],       # the honest, validation-chosen number
             0.975,                                                    # the target, not the measurement
             grading.sensitivity_specificity_at(y, s, t)[1],           # specificity
             1.0]
    assert sum(w != right and not quiet(q, w) for w in wrong) >= 3


def test_q4_ppv_at_the_screening_prevalence():
    q = lesson08.screening_ppv(0.964, 0.794, prevalence=0.08, test_prevalence=0.41)
    right = 0.964 * 0.08 / (0.964 * 0.08 + 0.206 * 0.92)
    per_thousand = (0.964 * 80) / (0.964 * 80 + 0.206 * 920)                 # counting 1,000 people
    assert quiet(q, right) and quiet(q, per_thousand) and quiet(q, round(right, 3))
    assert quiet(q, screening.predictive_values(0.964, 0.794, prevalence=0.08)[0])
    wrong = [screening.predictive_values(0.964, 0.794, prevalence=0.41)[0],   # the test set's prevalence
             screening.predictive_values(0.964, 0.794, prevalence=0.08)[1],   # NPV
             0.964,                                                            # sensitivity
             0.964 * 0.08,                                                     # forgot the false referrals
             100 * right]                                                      # a percentage
    assert all(not quiet(q, w) for w in wrong)


def test_setup_rebuilds_every_question_from_the_run(run, capsys):
    ex = lesson08.setup(labels=run["labels"], leak_seed=5, y_val=run["y_val"], val_score=run["val_score"],
                        y_test=run["y_test"], test_score=run["test_score"], sensitivity=0.975,
                        operating_point=(0.9, 0.85), prevalence=0.1)
    assert ex is lesson08 and ex.q1.expected == lesson08.image_split_leak(run["labels"], seed=5).expected
    assert ex.q4.expected == pytest.approx(screening.predictive_values(0.9, 0.85, prevalence=0.1)[0])
    assert not ex.q1.check(...) and "Not yet" in capsys.readouterr().out
    with pytest.raises(ValueError, match="operating_point"):
        lesson08.setup(labels=run["labels"], leak_seed=5, y_val=run["y_val"], val_score=run["val_score"],
                       y_test=run["y_test"], test_score=run["test_score"], sensitivity=0.975,
                       operating_point=(0.9, 1.5), prevalence=0.1)
