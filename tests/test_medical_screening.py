"""Calibration, predictive values at a prevalence and simulated graders, each against an independent computation:
scikit-learn, a loop written out, Bayes' rule by hand, a simulated population."""
import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import cohen_kappa_score, precision_score

from cnnkit.medical import calibration, graders, screening


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [3, 10])
def test_reliability_curve_is_sklearns_calibration_curve(strategy, n_bins):
    rng = np.random.default_rng(n_bins)
    prob = np.r_[rng.random(300), [0.0, 1.0, 0.1, 0.2, 0.5]]            # values on the bin edges too
    y = (rng.random(len(prob)) < prob ** 1.5).astype(int)
    curve = calibration.reliability_curve(y, prob, n_bins=n_bins, strategy=strategy)
    observed, predicted = calibration_curve(y, prob, n_bins=n_bins, strategy=strategy)
    np.testing.assert_allclose(curve.observed, observed)
    np.testing.assert_allclose(curve.predicted, predicted)
    assert curve.counts.sum() == len(prob) and len(curve.edges) == n_bins + 1


def test_expected_calibration_error_equals_the_loop_written_out():
    rng = np.random.default_rng(0)
    prob = rng.random(500)
    y = (rng.random(500) < np.clip(prob + 0.15, 0, 1)).astype(int)       # under-confident by 0.15
    total = 0.0
    for b in range(10):                                                # bins (b/10, (b+1)/10], the first [0, 0.1]
        low, high = b / 10, (b + 1) / 10
        inside = (prob > low) & (prob <= high) if b else (prob <= high)
        if inside.any():
            total += inside.sum() / len(prob) * abs(y[inside].mean() - prob[inside].mean())
    assert calibration.expected_calibration_error(y, prob) == pytest.approx(total)
    assert 0.08 < total < 0.2


def test_shift_priors_is_bayes_rule_by_hand():
    # two Gaussian classes: the exact posterior at one prior, moved, equals the exact posterior at another
    x = np.linspace(-3, 3, 13)
    like0, like1 = np.exp(-(x + 1) ** 2 / 2), np.exp(-(x - 1) ** 2 / 2)
    posterior = lambda prior: np.stack([like0 * (1 - prior), like1 * prior], 1) / \
        (like0 * (1 - prior) + like1 * prior)[:, None]
    moved = calibration.shift_priors(posterior(0.41), old=[0.59, 0.41], new=[0.92, 0.08])
    np.testing.assert_allclose(moved, posterior(0.08))
    same = posterior(0.3)
    np.testing.assert_allclose(calibration.shift_priors(same, old=[7, 3], new=[0.7, 0.3]), same)
    with pytest.raises(ValueError, match="old"):
        calibration.shift_priors(same, old=[1, 1, 1], new=[0.5, 0.5])


def test_predictive_values_by_bayes_rule_and_by_counting():
    sens, spec, prev = 0.9, 0.95, 0.08
    ppv, npv = screening.predictive_values(sens, spec, prevalence=prev)
    assert ppv == pytest.approx(sens * prev / (sens * prev + (1 - spec) * (1 - prev)))
    # a population of 10,000 with exactly these rates, counted by scikit-learn
    y = np.r_[np.ones(800), np.zeros(9200)].astype(int)
    call = np.r_[np.ones(720), np.zeros(80), np.ones(460), np.zeros(8740)].astype(int)
    assert ppv == pytest.approx(precision_score(y, call))
    assert npv == pytest.approx(precision_score(1 - y, 1 - call))
    out = screening.screening_outcomes(sens, spec, prevalence=prev, n=10_000)
    assert (out["referred"], out["rightly referred"], out["needless referrals"], out["missed"]) == (1180, 720, 460, 80)
    assert out["referred"] + out["missed"] + out["rightly reassured"] == 10_000          # everyone, once


def test_predictive_values_match_a_simulated_screening_population():
    rng = np.random.default_rng(1)
    sick = rng.random(400_000) < 0.07
    referred = np.where(sick, rng.random(sick.size) < 0.87, rng.random(sick.size) > 0.91)
    ppv, npv = screening.predictive_values(0.87, 0.91, prevalence=0.07)
    assert sick[referred].mean() == pytest.approx(ppv, abs=0.005)
    assert (~sick[~referred]).mean() == pytest.approx(npv, abs=0.001)


def test_nobody_referred_gives_an_undefined_ppv():
    ppv, npv = screening.predictive_values(0.0, 1.0, prevalence=0.1)
    assert np.isnan(ppv) and npv == pytest.approx(0.9)


def test_simulated_graders_follow_their_confusion():
    c = graders.neighbour_confusion(0.3)
    np.testing.assert_allclose(c.sum(axis=1), 1)
    truth = np.repeat(np.arange(5), 4000)
    reads = graders.simulate_graders(truth, c, n_graders=2, seed=0)
    observed = np.stack([np.bincount(reads[truth == g].ravel(), minlength=5) / (2 * 4000) for g in range(5)])
    np.testing.assert_allclose(observed, c, atol=0.015)
    assert (reads[:, 0] != reads[:, 1]).mean() > 0.3                    # the two graders are independent


def test_median_grade_is_the_majority_of_three():
    rng = np.random.default_rng(2)
    reads = rng.integers(0, 5, (300, 3))
    median = graders.median_grade(reads)
    np.testing.assert_array_equal(median, np.median(reads, axis=1).astype(int))
    for row, m in zip(reads, median):
        values, counts = np.unique(row, return_counts=True)
        if counts.max() >= 2:
            assert m == values[counts.argmax()]


@pytest.mark.parametrize("n_graders", [1, 3])
def test_kappa_ceiling_is_what_a_large_sample_measures(n_graders):
    prevalence = np.array([1805, 370, 999, 193, 295]) / 3662
    c = graders.neighbour_confusion(0.25)
    truth = np.random.default_rng(3).choice(5, size=60_000, p=prevalence)
    reference = graders.median_grade(graders.simulate_graders(truth, c, n_graders=n_graders, seed=4))
    sampled = cohen_kappa_score(truth, reference, weights="quadratic")
    assert graders.kappa_ceiling(prevalence, c, n_graders=n_graders) == pytest.approx(sampled, abs=0.005)


def test_more_graders_raise_the_ceiling_and_exact_graders_reach_one():
    prevalence = [0.5, 0.1, 0.25, 0.05, 0.1]
    c = graders.neighbour_confusion(0.3)
    assert graders.kappa_ceiling(prevalence, np.eye(5)) == pytest.approx(1.0)
    one, three, five = (graders.kappa_ceiling(prevalence, c, n_graders=g) for g in (1, 3, 5))
    assert one < three < five < 1
    with pytest.raises(ValueError, match="confusion"):
        graders.simulate_graders([0, 1], [[0.5, 0.4], [0.1, 0.9]])


def test_a_probability_past_one_by_rounding_is_clipped_not_refused():
    p = np.float32([0.2, 0.3, 0.5]).sum(dtype=np.float32) + np.float32([0, 1e-7])           # sums of float32
    assert calibration.expected_calibration_error([1, 1], p) == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="prob"):
        calibration.reliability_curve([0, 1], [0.2, 1.1])
