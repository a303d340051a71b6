"""cnnkit.music.evaluation against independent computations: scipy's Wilson interval and t interval, a
cluster-robust sandwich written with matrices, scikit-learn's per-class recall."""
import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import recall_score

from cnnkit.music.evaluation import (clustered_accuracy, paired_change, per_class_recall, seed_interval,
                                     wilson_interval)


@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (58, 60), (60, 60), (150, 360)])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_matches_scipy(k, n, level):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    np.testing.assert_allclose(wilson_interval(k, n, level=level), (ci.low, ci.high), atol=1e-12)


def test_wilson_refuses_more_successes_than_items():
    with pytest.raises(ValueError, match="successes must be at most n"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="level"):
        wilson_interval(1, 10, level=1.5)


def _sandwich_se(correct, groups):
    """Cluster-robust standard error of an intercept-only regression (the mean), with G/(G−1)."""
    y = np.asarray(correct, float)
    X = np.ones((len(y), 1))
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    labels = np.unique(groups)
    meat = sum(np.outer(X[groups == g].T @ e[groups == g], X[groups == g].T @ e[groups == g]) for g in labels)
    g = len(labels)
    return float(beta[0]), float(np.sqrt(g / (g - 1) * (bread @ meat @ bread)[0, 0]))


def test_clustered_accuracy_matches_the_sandwich_with_unequal_songs():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(25), rng.integers(1, 9, size=25))
    correct = (rng.random(len(groups)) < 0.7).astype(int)
    np.testing.assert_allclose(clustered_accuracy(correct, groups), _sandwich_se(correct, groups), rtol=1e-10)


def test_clustered_accuracy_equal_songs_is_the_se_of_song_accuracies_and_wider_than_binomial():
    rng = np.random.default_rng(1)
    song_skill = rng.random(60) < 0.8                                  # whole songs right or wrong, mostly
    correct = np.repeat(song_skill, 6) & (rng.random(360) < 0.95)
    groups = np.repeat(np.arange(60), 6)
    acc, se = clustered_accuracy(correct, groups)
    per_song = correct.reshape(60, 6).mean(axis=1)
    assert np.isclose(acc, correct.mean())
    assert np.isclose(se, per_song.std(ddof=1) / np.sqrt(60))
    assert se > 1.5 * np.sqrt(acc * (1 - acc) / 360)                # the slices are not 360 independent draws


def test_clustered_accuracy_needs_two_songs_and_matching_lengths():
    with pytest.raises(ValueError, match="at least two songs"):
        clustered_accuracy([1, 0], [3, 3])
    with pytest.raises(ValueError, match="groups must name the song of each slice"):
        clustered_accuracy([1, 0, 1], [0, 1])


def test_per_class_recall_matches_sklearn():
    rng = np.random.default_rng(2)
    y, p = rng.integers(0, 6, 200), rng.integers(0, 6, 200)
    np.testing.assert_allclose(per_class_recall(y, p, n_classes=6),
                               recall_score(y, p, labels=range(6), average=None, zero_division=0))
    recall = per_class_recall([0, 0, 2], [0, 1, 2], n_classes=4)
    assert recall[0] == 0.5 and recall[2] == 1 and np.isnan(recall[1]) and np.isnan(recall[3])
    with pytest.raises(ValueError, match="below n_classes"):
        per_class_recall([0, 5], [0, 1], n_classes=3)


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_seed_interval_matches_scipy_t(level):
    values = np.array([0.82, 0.75, 0.91, 0.78])
    low, high = stats.t.interval(level, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    np.testing.assert_allclose(seed_interval(values, level=level), (values.mean(), low, high))
    with pytest.raises(ValueError, match="at least 2"):
        seed_interval([0.5])


@pytest.mark.parametrize("lost, gained", [(6, 0), (7, 3), (2, 2), (0, 5), (12, 4)])
def test_paired_change_is_the_exact_mcnemar_test(lost, gained):
    rng = np.random.default_rng(lost * 10 + gained)
    same_right, same_wrong = 30, 8
    before = np.array([1] * lost + [0] * gained + [1] * same_right + [0] * same_wrong, bool)
    after = np.array([0] * lost + [1] * gained + [1] * same_right + [0] * same_wrong, bool)
    order = rng.permutation(len(before))
    got = paired_change(before[order], after[order])
    n = lost + gained
    expected = min(1.0, 2 * stats.binom.cdf(min(lost, gained), n, 0.5))     # the two-sided exact p, by hand
    assert got[:2] == (lost, gained) and np.isclose(got[2], expected)


def test_paired_change_without_changes_and_with_mismatched_items():
    assert paired_change([True, False], [True, False]) == (0, 0, 1.0)
    with pytest.raises(ValueError, match="the same items"):
        paired_change([True, False], [True])
