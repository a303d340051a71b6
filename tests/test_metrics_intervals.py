"""cnnkit.metrics intervals: Wilson's interval, the t interval over seeds, the paired-seed difference, against scipy."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cnnkit import metrics


def _wilson_by_roots(k, n, z):
    """The two roots of (p̂ − p)² = z² p (1 − p) / n, a quadratic in p: an independent route to Wilson's ends."""
    p_hat = k / n
    a = 1 + z * z / n
    b = -(2 * p_hat + z * z / n)
    c = p_hat * p_hat
    return sorted(np.roots([a, b, c]).real)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_equals_scipy_and_the_quadratic_roots(case, level):
    k, n = case
    low, high = metrics.wilson_interval(k, n, level=level)
    ci = stats.binomtest(k, n).proportion_ci(level, method="wilson")
    assert low == pytest.approx(ci.low, abs=1e-9) and high == pytest.approx(ci.high, abs=1e-9)
    z = stats.norm.ppf(0.5 + level / 2)
    roots = _wilson_by_roots(k, n, z)
    assert low == pytest.approx(max(0.0, roots[0]), abs=1e-7) and high == pytest.approx(min(1.0, roots[1]), abs=1e-7)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_wilson_ends_are_exact_and_the_interval_shrinks_with_n():
    assert metrics.wilson_interval(0, 50)[0] == 0.0 and metrics.wilson_interval(50, 50)[1] == 1.0
    widths = [np.subtract(*metrics.wilson_interval(n // 2, n)[::-1]) for n in (30, 300, 3000)]
    assert widths[0] > widths[1] > widths[2] > 0
    # the Wald interval of 300 / 300 has width 0; Wilson's does not
    assert metrics.wilson_interval(300, 300)[0] < 0.99


def test_wilson_covers_about_95_percent_of_simulated_accuracies():
    rng = np.random.default_rng(0)
    p, n = 0.76, 300
    hits = [lo <= p <= hi for lo, hi in (metrics.wilson_interval(int(k), n) for k in rng.binomial(n, p, 4000))]
    assert 0.93 < np.mean(hits) < 0.97


def test_accuracy_interval_is_the_accuracy_and_its_wilson_interval():
    y_true, y_pred = [0, 1, 2, 2, 1, 0, 0, 1], [0, 1, 1, 2, 1, 2, 0, 1]
    acc, low, high = metrics.accuracy_interval(y_true, y_pred)
    assert acc == metrics.accuracy(y_true, y_pred) == 0.75
    assert (low, high) == metrics.wilson_interval(6, 8)


def test_paired_difference_equals_scipy_ttest_rel_and_the_formula():
    rng = np.random.default_rng(1)
    a = rng.normal(0.8, 0.05, 5)
    b = a - rng.normal(0.03, 0.02, 5)
    mean, low, high = metrics.paired_difference(a, b)
    ci = stats.ttest_rel(a, b).confidence_interval(0.95)
    assert mean == pytest.approx(np.mean(a - b)) and low == pytest.approx(ci.low) and high == pytest.approx(ci.high)
    d = a - b                                            # by hand, with ddof = 1 and t(4) = 2.776
    half = 2.7764451051977987 * d.std(ddof=1) / np.sqrt(5)
    assert (low, high) == pytest.approx((d.mean() - half, d.mean() + half))


def test_pairing_removes_what_the_seeds_share():
    # seed-to-seed swings shared by both models (the split, the initial draw) cancel in the paired interval
    shared = np.array([0.0, 0.10, -0.08])
    a, b = 0.80 + shared + [0.01, 0.0, 0.005], 0.75 + shared
    _, low, _ = metrics.paired_difference(a, b)
    assert low > 0
    unpaired = stats.ttest_ind(a, b).confidence_interval(0.95)
    assert unpaired.low < 0 < unpaired.high               # the same numbers, unpaired, span 0


def test_bad_input_is_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="successes must be at most n"):
        metrics.wilson_interval(5, 4)
    with pytest.raises(ValueError, match="n"):
        metrics.wilson_interval(0, 0)
    with pytest.raises(TypeError, match="successes"):
        metrics.wilson_interval(2.5, 4)
    with pytest.raises(ValueError, match="level"):
        metrics.wilson_interval(2, 4, level=1.5)
    with pytest.raises(ValueError, match="one score per seed"):
        metrics.paired_difference([0.1, 0.2, 0.3], [0.1, 0.2])
    with pytest.raises(ValueError, match="at least two runs"):
        metrics.paired_difference([0.1], [0.2])
    with pytest.raises(ValueError, match="same length|labels"):
        metrics.accuracy_interval([0, 1, 1], [0, 1])


def test_seed_interval_is_scipys_t_interval_of_the_values_or_the_paired_differences():
    values, base = np.array([0.84, 0.86, 0.78, 0.81]), np.array([0.80, 0.83, 0.79, 0.76])
    ci = metrics.seed_interval(values, level=0.9)
    low, high = stats.t.interval(0.9, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert (ci.value, ci.low, ci.high) == pytest.approx((values.mean(), low, high))
    assert ci.method == "t over 4 seeds" and ci.level == 0.9 and ci.n_boot is None
    diff = metrics.seed_interval(values, baseline=base)
    d = values - base
    assert (diff.low, diff.high) == pytest.approx(stats.t.interval(0.95, 3, loc=d.mean(), scale=stats.sem(d)))
    # a paired difference over seeds is the same computation: one formula, two ways to call it
    assert metrics.paired_difference(values, base) == tuple(diff)
    shifted = metrics.seed_interval(values, baseline=0.8)                  # one number for every seed
    assert tuple(shifted) == pytest.approx(tuple(np.subtract(metrics.seed_interval(values), 0.8)))
    with pytest.raises(ValueError, match="at least 2"):
        metrics.seed_interval([0.8])
    with pytest.raises(ValueError, match="baseline"):
        metrics.seed_interval(values, baseline=[1, 2])
    with pytest.raises(ValueError, match="baseline"):
        metrics.seed_interval(values, baseline=[np.nan] * 4)


def test_interval_unpacks_like_a_tuple_pickles_and_says_how_it_was_made():
    import pickle

    ci = metrics.Interval(0.5, 0.4, 0.6, level=0.95, method="t over 3 seeds")
    value, low, high = ci                                    # callers that unpack three numbers keep working
    assert (value, low, high) == (0.5, 0.4, 0.6) == (ci.value, ci.low, ci.high)
    assert isinstance(ci, tuple) and len(ci) == 3 and ci[1:] == (0.4, 0.6)
    assert repr(ci) == "Interval(0.5 [0.4, 0.6], 95 % t over 3 seeds)"
    again = pickle.loads(pickle.dumps(ci))
    assert tuple(again) == tuple(ci) and (again.method, again.level, again.n_boot) == (ci.method, 0.95, None)
    mean, low, high = metrics.seed_interval([1.0, 2.0, 3.0])
    assert (round(mean, 2), round(low, 2), round(high, 2)) == (2.0, -0.48, 4.48)
