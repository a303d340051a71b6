import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from cnnkit import metrics
from cnnkit.medical import grading


@st.composite
def label_pairs(draw, max_classes=6, max_n=60):
    k = draw(st.integers(2, max_classes))
    n = draw(st.integers(1, max_n))
    labels = st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
    return k, np.array(draw(labels)), np.array(draw(labels))


@settings(max_examples=200, deadline=None)
@given(label_pairs())
def test_quadratic_kappa_equals_sklearn(case):
    k, y_true, y_pred = case
    ours = metrics.quadratic_kappa(y_true, y_pred, n_classes=k)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")   # sklearn warns where kappa is undefined (NaN)
        theirs = skm.cohen_kappa_score(y_true, y_pred, weights="quadratic", labels=np.arange(k))
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-12)


def test_quadratic_kappa_default_classes_match_sklearn_when_all_present():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 5, 500)
    y_pred = np.clip(y_true + rng.integers(-1, 2, 500), 0, 4)
    assert metrics.quadratic_kappa(y_true, y_pred) == pytest.approx(
        skm.cohen_kappa_score(y_true, y_pred, weights="quadratic"), abs=1e-12)


def test_quadratic_kappa_known_values():
    y = [0, 1, 2, 3, 4]
    assert metrics.quadratic_kappa(y, y) == 1.0
    # a grade off by two costs four times a grade off by one
    off1 = 1 - metrics.quadratic_kappa([0, 2, 4, 0, 2, 4], [1, 2, 4, 0, 2, 4])
    off2 = 1 - metrics.quadratic_kappa([0, 2, 4, 0, 2, 4], [2, 2, 4, 0, 2, 4])
    assert off2 > 3 * off1
    assert np.isnan(metrics.quadratic_kappa([1, 1, 1], [1, 1, 1]))


@settings(max_examples=100, deadline=None)
@given(label_pairs())
def test_confusion_matrix_and_accuracy_equal_sklearn(case):
    k, y_true, y_pred = case
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, n_classes=k),
                                  skm.confusion_matrix(y_true, y_pred, labels=np.arange(k)))
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))


def test_referable_sensitivity_specificity_by_hand():
    y_true = [0, 0, 1, 1, 2, 2, 3, 4]   # referable: last four
    y_pred = [0, 2, 1, 0, 2, 1, 4, 3]   # catches 3 of 4 referable; 1 of 4 false alarms
    sens, spec = grading.referable_sensitivity_specificity(y_true, y_pred)
    assert (sens, spec) == (0.75, 0.75)
    truth, call = grading.referable(y_true), grading.referable(y_pred)
    assert sens == pytest.approx(skm.recall_score(truth, call))
    assert spec == pytest.approx(skm.recall_score(truth, call, pos_label=0))


def test_referable_needs_both_groups():
    with pytest.raises(ValueError, match="y_true needs both referable"):
        grading.referable_sensitivity_specificity([0, 1, 0], [0, 2, 1])


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 80).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.lists(st.integers(0, 6).map(lambda v: v / 2), min_size=n, max_size=n))))   # ties on purpose
def test_roc_curve_and_auc_equal_sklearn(case):
    y, scores = map(np.array, case)
    if y.min() == y.max():
        with pytest.raises(ValueError, match="only one class"):
            metrics.roc_curve(y, scores)
        return
    fpr, tpr, thr = metrics.roc_curve(y, scores)
    sk_fpr, sk_tpr, sk_thr = skm.roc_curve(y, scores, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr)
    np.testing.assert_allclose(tpr, sk_tpr)
    np.testing.assert_array_equal(thr[1:], sk_thr[1:])
    assert metrics.roc_auc(y, scores) == pytest.approx(skm.roc_auc_score(y, scores), abs=1e-12)
    assert metrics.auc(fpr, tpr) == pytest.approx(skm.auc(sk_fpr, sk_tpr), abs=1e-12)


def test_roc_auc_extremes():
    assert metrics.roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert metrics.roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert metrics.roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5


def test_roc_rejects_grades_and_nan():
    with pytest.raises(ValueError, match="binary"):
        metrics.roc_curve([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="finite"):
        metrics.roc_curve([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="shape"):
        metrics.roc_curve([0, 1], [0.1])


def test_probability_helpers():
    p = np.array([[0.7, 0.2, 0.1, 0.0, 0.0], [0.0, 0.1, 0.2, 0.3, 0.4]])
    np.testing.assert_allclose(grading.expected_grade(p), [0.4, 3.0])
    np.testing.assert_allclose(grading.referable_probability(p), [0.1, 0.9])


def test_apply_thresholds_counts_thresholds_reached():
    grades = grading.apply_thresholds([-1, 0.5, 0.49, 1.7, 9], [0.5, 1.5, 2.5, 3.5])
    assert grades.tolist() == [0, 1, 0, 2, 4]
    with pytest.raises(ValueError, match="increasing"):
        grading.apply_thresholds([1.0], [2.0, 1.0])


def test_optimise_thresholds_beats_rounding_on_a_shifted_regressor():
    rng = np.random.default_rng(1)
    y = rng.choice(5, size=600, p=[0.49, 0.1, 0.27, 0.06, 0.08])
    scores = 0.6 * y + 0.3 + rng.normal(0, 0.25, size=600)   # squeezed and shifted: rounding is poor
    rounded = metrics.quadratic_kappa(y, grading.apply_thresholds(scores, [0.5, 1.5, 2.5, 3.5]), n_classes=5)
    t = grading.optimise_thresholds(y, scores, n_classes=5)
    tuned = metrics.quadratic_kappa(y, grading.apply_thresholds(scores, t), n_classes=5)
    assert t.shape == (4,) and np.all(np.diff(t) >= 0)
    assert tuned > rounded + 0.05
    # the ideal cuts sit halfway between the class means 0.3, 0.9, 1.5, 2.1, 2.7 (± the noise)
    np.testing.assert_allclose(t, [0.6, 1.2, 1.8, 2.4], atol=0.2)


def test_optimise_thresholds_separable_scores_reach_kappa_one():
    y = np.array([0, 0, 1, 1, 2, 2, 3, 4])
    scores = np.array([10, 11, 20, 21, 30, 31, 40, 50.0])
    t = grading.optimise_thresholds(y, scores)
    assert metrics.quadratic_kappa(y, grading.apply_thresholds(scores, t)) == 1.0


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="y_pred has 2"):
        metrics.quadratic_kappa([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="y_true must hold integer"):
        metrics.accuracy([0.5, 1], [0, 1])
    with pytest.raises(ValueError, match="n_classes=2"):
        metrics.confusion_matrix([0, 3], [0, 1], n_classes=2)
    with pytest.raises(ValueError, match="initial must hold"):
        grading.optimise_thresholds([0, 1, 2], [0.0, 1.0, 2.0], initial=[0.5])
    with pytest.raises(ValueError, match="y_true is empty"):
        metrics.accuracy([], [])
    with pytest.raises(ValueError, match="y_pred must hold labels ≥ 0"):
        metrics.accuracy([0, 1], [0, -1])
    with pytest.raises(ValueError, match="y_true must be 1-D"):
        metrics.accuracy([[0, 1]], [0, 1])


def test_wrong_types_raise_type_error_naming_the_argument():
    with pytest.raises(TypeError, match="^y_true must be a numeric array"):
        metrics.accuracy(["a", "b"], [0, 1])
    with pytest.raises(TypeError, match="^n_classes must be an integer"):
        metrics.confusion_matrix([0, 1], [0, 1], n_classes=2.0)
    with pytest.raises(TypeError, match="^scores must be a numeric array"):
        metrics.roc_auc([0, 1], ["low", "high"])
    with pytest.raises(TypeError, match="positional"):
        metrics.quadratic_kappa([0, 1], [0, 1], 2)
    with pytest.raises(TypeError, match="positional"):
        metrics.confusion_matrix([0, 1], [0, 1], 2)


def test_bool_labels_count_as_zero_and_one():
    assert metrics.confusion_matrix([True, False], [True, True]).tolist() == [[0, 1], [0, 1]]


@given(st.integers(0, 10_000), st.floats(0.05, 1.0))
@settings(max_examples=40, deadline=None)
def test_operating_thresholds_meet_their_target_on_the_data_they_were_chosen_on(seed, target):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 5, 40)
    y[:2] = [0, 3]                                                   # both groups present
    s = np.round(rng.random(40) + 0.3 * (y >= 2), 2)                 # ties included
    t_sens = grading.operating_threshold(y, s, sensitivity=target)
    sens, _ = grading.sensitivity_specificity_at(y, s, t_sens)
    assert sens >= target - 1e-12
    # the highest such threshold: any higher score as threshold misses the target
    higher = s[s > t_sens]
    if len(higher):
        assert grading.sensitivity_specificity_at(y, s, higher.min())[0] < target
    t_spec = grading.operating_threshold(y, s, specificity=target)
    _, spec = grading.sensitivity_specificity_at(y, s, t_spec)
    assert spec >= target - 1e-12
    lower = s[s < t_spec]                                            # the lowest such threshold
    if len(lower):
        assert grading.sensitivity_specificity_at(y, s, lower.max())[1] < target


def test_sensitivity_specificity_at_matches_sklearn():
    rng = np.random.default_rng(0)
    y, s = rng.integers(0, 5, 200), rng.random(200)
    sens, spec = grading.sensitivity_specificity_at(y, s, 0.3)
    truth, call = y >= 2, s >= 0.3
    assert sens == skm.recall_score(truth, call) and spec == skm.recall_score(truth, call, pos_label=0)
    with pytest.raises(ValueError, match="exactly one of sensitivity= or specificity="):
        grading.operating_threshold(y, s)
    with pytest.raises(ValueError, match="sensitivity"):
        grading.operating_threshold(y, s, sensitivity=1.5)
    with pytest.raises(ValueError, match="both referable"):
        grading.operating_threshold([0, 1], [0.2, 0.3], specificity=0.9)


def test_bootstrap_interval_covers_the_value_and_shrinks_with_n():
    rng = np.random.default_rng(1)
    widths = []
    for n in (50, 800):
        y = rng.integers(0, 2, n)
        p = np.where(rng.random(n) < 0.8, y, 1 - y)
        value, low, high = grading.bootstrap_interval(metrics.accuracy, y, p, n_boot=300, seed=0)
        assert low <= value <= high and value == metrics.accuracy(y, p)
        widths.append(high - low)
    assert widths[1] < widths[0] / 2                                  # about 1/√16 = 1/4 as wide
    again = grading.bootstrap_interval(metrics.accuracy, y, p, n_boot=300, seed=0)
    assert again == (value, low, high)                                # seeded
    # resamples where the statistic is undefined (one class only) are left out, not fatal
    y = np.r_[np.zeros(9, int), 2]
    out = grading.bootstrap_interval(lambda t, s: metrics.roc_auc(t >= 2, s), y, np.linspace(0, 1, 10), n_boot=50)
    assert out[0] == 1.0
    with pytest.raises(ValueError, match="same length"):
        grading.bootstrap_interval(metrics.accuracy, [0, 1], [0])
    with pytest.raises(ValueError, match="level"):
        grading.bootstrap_interval(metrics.accuracy, [0, 1], [0, 1], level=1.0)
