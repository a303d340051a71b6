"""Per-user hits and the bootstrap interval of the lift over users (paired across recommenders)."""
import numpy as np
import pytest
from scipy import stats

from cnnkit.music import recommend as rec


def _pool(seed=0):
    genres = np.repeat(np.arange(4), 15)
    plays = rec.make_listening_histories(300, genres, songs_per_user=10, seed=seed)
    split = rec.cold_start_split(plays, n_cold=20, seed=seed)
    relevant, others = rec.leave_one_out(split.test, seed=seed)
    return genres, split, relevant, others


def test_user_hits_average_to_hit_rate_and_random_hit_rate():
    genres, split, relevant, others = _pool()
    cold = split.cold_mask
    scores = rec.genre_scores(split.train, genres)
    hits, chance = rec.user_hits(scores, relevant, k=5, candidates=cold, exclude=others, seed=3)
    assert np.nanmean(hits) == pytest.approx(
        rec.hit_rate_at_k(scores, relevant, k=5, candidates=cold, exclude=others, seed=3), abs=1e-12)
    assert np.nanmean(chance) == pytest.approx(
        rec.random_hit_rate(relevant, k=5, candidates=cold, exclude=others), abs=1e-12)
    # independently: the users evaluated are those with a held-out cold song, and with one relevant song among
    # n allowed ones a random top 5 finds it with probability 5 / n
    allowed = cold[None, :] & ~others
    evaluated = (relevant & allowed).any(axis=1)
    np.testing.assert_array_equal(~np.isnan(hits), evaluated)
    np.testing.assert_allclose(chance[evaluated], 5 / allowed[evaluated].sum(axis=1))
    # a hit by hand: the held-out song ranks among the user's 5 best allowed songs (users whose tie straddles the cut,
    # broken at random, are left out)
    checked = 0
    for u in np.flatnonzero(evaluated):
        s = np.where(allowed[u], scores[u], -np.inf)
        target = int(np.flatnonzero(relevant[u])[0])
        better, tied = int((s > s[target]).sum()), int((s == s[target]).sum())
        if better >= 5 or better + tied <= 5:
            assert hits[u] == float(better < 5)
            checked += 1
    assert checked > 50


def test_user_hits_with_several_relevant_items_uses_the_hypergeometric_chance():
    relevant = np.array([[1, 1, 0, 0, 0], [0, 0, 0, 0, 0]], bool)
    hits, chance = rec.user_hits(np.zeros((2, 5)), relevant, k=2)
    assert chance[0] == pytest.approx(1 - (3 * 2) / (5 * 4))           # 1 - C(3, 2) / C(5, 2) = 0.7
    assert np.isnan(hits[1]) and np.isnan(chance[1])


def test_bootstrap_lift_point_is_compare_on_pool_lift():
    genres, split, relevant, others = _pool(seed=1)
    cold = split.cold_mask
    scores = {"genre tag": rec.genre_scores(split.train, genres), "zeros": np.zeros(relevant.shape)}
    table = rec.compare_on_pool(scores, relevant, k=5, candidates=cold, exclude=others, seed=0)
    per_user = {name: rec.user_hits(s, relevant, k=5, candidates=cold, exclude=others, seed=0) for name, s in
                scores.items()}
    chance = per_user["zeros"][1]
    boot = rec.bootstrap_lift({name: h for name, (h, _) in per_user.items()}, chance, n_boot=200, seed=0)
    for name in scores:
        assert boot.loc[name, "lift"] == pytest.approx(table.loc[name, "lift"], rel=1e-12)
        assert boot.loc[name, "low"] <= boot.loc[name, "lift"] <= boot.loc[name, "high"]
    assert boot.attrs["n_users"] == int((~np.isnan(chance)).sum()) and boot.attrs["n_boot"] == 200


def test_bootstrap_lift_interval_matches_scipy_paired_percentile_bootstrap():
    rng = np.random.default_rng(0)
    n = 400
    chance = rng.uniform(0.05, 0.15, n)
    a = (rng.random(n) < 0.4).astype(float)
    b = np.where(rng.random(n) < 0.8, a, 1 - a)                        # shares most users' outcomes with a
    table = rec.bootstrap_lift({"a": a, "b": b}, chance, reference="b", n_boot=4000, seed=1)
    ratio = stats.bootstrap((a, chance), lambda h, c, axis=-1: h.mean(axis) / c.mean(axis), paired=True,
                            vectorized=True, method="percentile", n_resamples=4000, random_state=2)
    width = table.loc["a", "high"] - table.loc["a", "low"]
    assert abs(table.loc["a", "low"] - ratio.confidence_interval.low) < 0.06 * width
    assert abs(table.loc["a", "high"] - ratio.confidence_interval.high) < 0.06 * width
    diff = stats.bootstrap((a, b, chance), lambda x, y, c, axis=-1: (x.mean(axis) - y.mean(axis)) / c.mean(axis),
                           paired=True, vectorized=True, method="percentile", n_resamples=4000, random_state=2)
    d_width = table.loc["a", "diff_high"] - table.loc["a", "diff_low"]
    assert table.loc["a", "diff"] == pytest.approx((a.mean() - b.mean()) / chance.mean())
    assert abs(table.loc["a", "diff_low"] - diff.confidence_interval.low) < 0.06 * d_width
    assert abs(table.loc["a", "diff_high"] - diff.confidence_interval.high) < 0.06 * d_width
    assert table.loc["b", "diff"] == 0 and table.loc["b", "diff_low"] == 0 == table.loc["b", "diff_high"]
    # pairing: the difference of two recommenders that share users varies less than either lift
    assert d_width < width


def test_bootstrap_lift_is_seeded_and_skips_users_not_evaluated():
    hits = {"a": np.array([1, 0, np.nan, 1, 0, 1.0])}
    chance = np.array([0.2, 0.2, np.nan, 0.2, 0.2, 0.2])
    one = rec.bootstrap_lift(hits, chance, n_boot=300, seed=5)
    assert one.equals(rec.bootstrap_lift(hits, chance, n_boot=300, seed=5))
    assert one.loc["a", "lift"] == pytest.approx(0.6 / 0.2) and one.attrs["n_users"] == 5


@pytest.mark.parametrize("hits, chance, reference, message", [
    ({"a": [1, 0, 1]}, [0.1, 0.1], None, "one value per user"),
    ({"a": [1, np.nan, 1]}, [0.1, 0.1, 0.1], None, "NaN exactly where chance is NaN"),
    ({"a": [1, 0]}, [0.1, 0.0], None, "chance must be > 0"),
    ({"a": [1, np.nan]}, [0.1, np.nan], None, "at least two evaluated users"),
    ({"a": [1, 0]}, [0.1, 0.1], "b", "reference must be one of"),
])
def test_bootstrap_lift_refuses_inconsistent_input(hits, chance, reference, message):
    with pytest.raises(ValueError, match=message):
        rec.bootstrap_lift(hits, chance, reference=reference, n_boot=10)
