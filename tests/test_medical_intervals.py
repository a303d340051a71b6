"""Bootstrap intervals by item and by cluster, and of a difference on shared resamples, against brute force."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from cnnkit import metrics
from cnnkit.medical import bootstrap_difference, bootstrap_interval, grading


def accuracy(y, p):
    return float(np.mean(np.asarray(y) == np.asarray(p)))


def data(n=80, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.where(rng.random(n) < 0.8, y, 1 - y)
    return y, p


def brute_force(statistic, arrays, n_boot, level, seed, groups=None):
    """The percentile bootstrap written out: the same draws, one resample at a time."""
    rng = np.random.default_rng(seed)
    n, values, dropped = len(arrays[0]), [], 0
    ids = None if groups is None else np.unique(groups)
    for _ in range(n_boot):
        if ids is None:
            idx = rng.integers(0, n, n)
        else:
            drawn = ids[rng.integers(0, len(ids), len(ids))]
            idx = np.concatenate([np.flatnonzero(groups == g) for g in drawn])
        try:
            values.append(statistic(*(a[idx] for a in arrays)))
        except ValueError:
            dropped += 1
    return np.percentile(values, [50 * (1 - level), 50 * (1 + level)]), dropped


def test_by_item_equals_the_loop_written_out():
    y, p = data()
    ci = bootstrap_interval(accuracy, y, p, n_boot=300, level=0.9, seed=4)
    (low, high), dropped = brute_force(accuracy, [y, p], 300, 0.9, 4)
    assert ci.value == accuracy(y, p) and (ci.low, ci.high) == pytest.approx((low, high)) and ci.dropped == dropped == 0
    assert ci.method == "bootstrap by item" and ci.n_boot == 300 and ci.level == 0.9


def test_by_group_equals_the_loop_written_out_and_keeps_groups_whole():
    y, p = data(60, seed=1)
    groups = np.repeat(np.arange(20), 3)[np.random.default_rng(2).permutation(60)]      # groups in any order
    ci = bootstrap_interval(accuracy, y, p, groups=groups, n_boot=300, seed=5)
    (low, high), _ = brute_force(accuracy, [y, p], 300, 0.95, 5, groups=groups)
    assert (ci.low, ci.high) == pytest.approx((low, high)) and ci.method == "bootstrap by group"


def test_singleton_groups_give_the_item_bootstrap():
    y, p = data()
    assert tuple(bootstrap_interval(accuracy, y, p, groups=np.arange(len(y)), n_boot=200, seed=3)) == \
        tuple(bootstrap_interval(accuracy, y, p, n_boot=200, seed=3))


def test_a_duplicated_eye_is_one_witness_only_with_the_cluster_bootstrap():
    """Each eye photographed twice: by photo the interval shrinks about √2, by eye it is the single-photo one."""
    y, p = data(100, seed=7)
    y2, p2, eye = np.repeat(y, 2), np.repeat(p, 2), np.repeat(np.arange(100), 2)
    once = bootstrap_interval(accuracy, y, p, n_boot=400, seed=9)
    by_eye = bootstrap_interval(accuracy, y2, p2, groups=eye, n_boot=400, seed=9)
    by_photo = bootstrap_interval(accuracy, y2, p2, n_boot=400, seed=9)
    assert tuple(by_eye) == pytest.approx(tuple(once))
    ratio = (by_photo.high - by_photo.low) / (by_eye.high - by_eye.low)
    assert 0.55 < ratio < 0.85                      # ≈ 1/√2 = 0.71: twice the photos, no more information


def test_undefined_resamples_are_counted_not_hidden():
    y = np.array([0] * 37 + [1] * 3)
    s = np.linspace(0, 1, 40)
    ci = bootstrap_interval(metrics.roc_auc, y, s, n_boot=500, seed=0)     # some resamples draw no positive
    _, dropped = brute_force(metrics.roc_auc, [y, s], 500, 0.95, 0)
    assert ci.dropped == dropped > 0 and f"{dropped} of 500 resamples undefined" in repr(ci)
    with pytest.raises(ValueError, match="undefined on every one of the 5"):
        bootstrap_interval(lambda a: float("nan"), y, n_boot=5)


def test_bootstrap_difference_scores_both_models_on_the_same_resamples():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 120)
    a, b = y + rng.normal(0, 0.6, 120), y + rng.normal(0, 1.2, 120)
    d = bootstrap_difference(metrics.roc_auc, y, a, b, n_boot=300, seed=2)
    assert d.value == pytest.approx(roc_auc_score(y, a) - roc_auc_score(y, b))
    (low, high), _ = brute_force(lambda yy, aa, bb: roc_auc_score(yy, aa) - roc_auc_score(yy, bb), [y, a, b], 300,
                                 0.95, 2)
    assert (d.low, d.high) == pytest.approx((low, high))
    assert d.low > 0                                # the less noisy score wins on the same eyes
    with pytest.raises(ValueError, match="aligned"):
        bootstrap_difference(metrics.roc_auc, y, a, b[:-1])


def test_the_bootstrap_returns_the_shared_interval_type_and_keeps_its_old_home():
    y, p = data()
    ci = bootstrap_interval(accuracy, y, p, n_boot=50, seed=0)
    d = bootstrap_difference(accuracy, y, p, 1 - p, n_boot=50)
    assert type(ci) is metrics.Interval and type(d) is metrics.Interval and ci.method == "bootstrap by item"
    assert grading.bootstrap_interval is bootstrap_interval


def test_bad_arguments_name_themselves():
    y, p = data()
    with pytest.raises(ValueError, match="same length"):
        bootstrap_interval(accuracy, y, p[:-1])
    with pytest.raises(ValueError, match="groups"):
        bootstrap_interval(accuracy, y, p, groups=[0, 1])
    with pytest.raises(ValueError, match="level"):
        bootstrap_interval(accuracy, y, p, level=1.0)
    with pytest.raises(TypeError, match="statistic"):
        bootstrap_interval("accuracy", y, p)
