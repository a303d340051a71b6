"""cnnkit.music.recommend.ranking: top-k, hit rate and recall against brute force, the random baseline, popularity."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit.music import recommend as rec
from cnnkit.music.recommend._common import TIE_STREAM

GENRES = np.repeat(np.arange(4), 20)


def _brute_force(scores, relevant, k, allowed, tie_break):
    """Per-user Python reference: sort allowed items by (score desc, tie_break asc)."""
    hit, recall = [], []
    for u in range(scores.shape[0]):
        items = [i for i in range(scores.shape[1]) if allowed[u, i]]
        rel = {i for i in items if relevant[u, i]}
        if not rel:
            continue
        ranked = sorted(items, key=lambda i: (-scores[u, i], tie_break[u, i]))[:k]
        found = len(rel.intersection(ranked))
        hit.append(found > 0)
        recall.append(found / len(rel))
    return float(np.mean(hit)), float(np.mean(recall))


def _random_problem(seed, n_users, n_items):
    rng = np.random.default_rng(seed)
    relevant = rng.random((n_users, n_items)) < 0.3
    relevant[0, 0] = True
    candidates = rng.random(n_items) < 0.8
    exclude = rng.random((n_users, n_items)) < 0.2       # may hide relevant items, or leave < k allowed
    return rng, relevant, candidates, exclude


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7), st.integers(4, 12), st.integers(1, 4), st.integers(0, 10_000), st.booleans())
def test_hit_rate_and_recall_match_brute_force(n_users, n_items, k, seed, integer_scores):
    rng, relevant, candidates, exclude = _random_problem(seed, n_users, n_items)
    scores = rng.integers(0, 3, (n_users, n_items)).astype(float) if integer_scores else rng.normal(size=(n_users, n_items))
    allowed = candidates[None, :] & ~exclude
    users = np.flatnonzero((relevant & allowed).any(axis=1))
    options = {"k": k, "candidates": candidates, "exclude": exclude, "seed": seed}
    if len(users) == 0:
        with pytest.raises(ValueError, match="nothing to evaluate"):
            rec.hit_rate_at_k(scores, relevant, **options)
        return
    hit, recall = _brute_force(scores[users], relevant[users], k, allowed[users],
                               np.random.default_rng([seed, TIE_STREAM]).random((len(users), n_items)))
    assert rec.hit_rate_at_k(scores, relevant, **options) == pytest.approx(hit)
    assert rec.recall_at_k(scores, relevant, **options) == pytest.approx(recall)


def test_top_k_is_best_first_and_respects_candidates_and_exclusions():
    scores = np.array([[0.1, 0.9, 0.5, 0.7], [0.4, 0.3, 0.2, 0.1]])
    np.testing.assert_array_equal(rec.top_k(scores, 2), [[1, 3], [0, 1]])
    exclude = np.array([[False, True, False, False], [True, False, False, False]])
    np.testing.assert_array_equal(rec.top_k(scores, 2, exclude=exclude), [[3, 2], [1, 2]])
    np.testing.assert_array_equal(rec.top_k(scores, 1, candidates=[True, False, True, False]), [[2], [0]])


def test_exhaustive_small_top_k_against_itertools():
    """top_k's hits equal the best achievable subset sums when scores are distinct."""
    scores = np.array([[0.3, 0.1, 0.8, 0.5, 0.2]])
    best = max(itertools.combinations(range(5), 3), key=lambda c: scores[0, list(c)].sum())
    assert set(rec.top_k(scores, 3)[0]) == set(best)


def test_ties_follow_the_seed_in_every_form():
    flat = np.zeros((20, 30))
    by_int = rec.top_k(flat, 5, seed=4)
    np.testing.assert_array_equal(rec.top_k(flat, 5, seed=np.random.SeedSequence(4)), by_int)
    assert not np.array_equal(rec.top_k(flat, 5, seed=5), by_int)
    np.testing.assert_array_equal(rec.top_k(flat, 5, seed=np.random.default_rng(9)),
                                  rec.top_k(flat, 5, seed=np.random.default_rng(9)))


@pytest.mark.parametrize("call, error, message", [
    (lambda s: rec.top_k(s, 5), ValueError, r"k must be at most the number of allowed items per user \(4\)"),
    (lambda s: rec.top_k(s, 0), ValueError, "k must be ≥ 1"),
    (lambda s: rec.top_k(s, 2.0), TypeError, "k must be an integer"),
    (lambda s: rec.top_k(s, 2, candidates=[True, False]), ValueError, r"candidates must have shape \(4,\)"),
    (lambda s: rec.top_k(s, 1, candidates=[0, 2, 3, 1]), TypeError, "candidates must be a boolean mask"),
    (lambda s: rec.top_k(s, 2, exclude=[False] * 4), ValueError, r"exclude must be a boolean \(n_users, n_items\)"),
    (lambda s: rec.top_k(s, 2, seed=-1), ValueError, "seed must be ≥ 0"),
    (lambda s: rec.top_k(np.full((2, 4), np.nan), 2), ValueError, "scores contains NaN"),
    (lambda s: rec.top_k(s, 2, None), TypeError, "positional"),
    (lambda s: rec.hit_rate_at_k(s, s > 0, 2), TypeError, "positional"),
    (lambda s: rec.recall_at_k(s, np.ones((3, 2)), k=1), ValueError, r"relevant must have shape \(2, 4\)"),
    (lambda s: rec.hit_rate_at_k(s, np.zeros((2, 4)), k=1), ValueError, "no user has a relevant item"),
    (lambda s: rec.hit_rate_at_k(s, s > 0, k=0), ValueError, "k must be ≥ 1"),
])
def test_ranking_arguments_are_checked(call, error, message):
    with pytest.raises(error, match=message):
        call(np.array([[0.1, 0.9, 0.5, 0.7], [0.4, 0.3, 0.2, 0.1]]))


# ------------------------------------------------------------------ the random baseline
def _old_product_loop(relevant, k, allowed):
    """The former implementation: Π_j (n - r - j) / (n - j), the chance that k random picks all miss."""
    r, n = (relevant & allowed).sum(axis=1), allowed.sum(axis=1)
    n, r = n[r > 0], r[r > 0]
    miss = np.ones(len(r))
    for j in range(k):
        miss *= np.clip(n - r - j, 0, None) / np.maximum(n - j, 1)
    return float((1 - miss).mean())


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(2, 15), st.integers(1, 20), st.integers(0, 10_000))
def test_random_hit_rate_equals_the_product_formula_and_the_binomial_one(n_users, n_items, k, seed):
    _, relevant, candidates, exclude = _random_problem(seed, n_users, n_items)
    allowed = candidates[None, :] & ~exclude
    if not (relevant & allowed).any():
        with pytest.raises(ValueError, match="nothing to evaluate"):
            rec.random_hit_rate(relevant, k=k, candidates=candidates, exclude=exclude)
        return
    measured = rec.random_hit_rate(relevant, k=k, candidates=candidates, exclude=exclude)
    assert measured == pytest.approx(_old_product_loop(relevant, k, allowed), abs=1e-12)
    per_user = [1 - math.comb(int(n - r), min(k, int(n))) / math.comb(int(n), min(k, int(n)))
                for r, n in zip((relevant & allowed).sum(axis=1), allowed.sum(axis=1)) if r > 0]
    assert measured == pytest.approx(np.mean(per_user), abs=1e-12)


def test_random_hit_rate_matches_a_simulation_of_random_rankings():
    rng = np.random.default_rng(0)
    relevant = rng.random((50, 12)) < 0.15
    candidates = np.arange(12) < 10
    expected = rec.random_hit_rate(relevant, k=3, candidates=candidates)
    runs = [rec.hit_rate_at_k(np.zeros((50, 12)), relevant, k=3, candidates=candidates, seed=s) for s in range(400)]
    assert np.mean(runs) == pytest.approx(expected, abs=0.01)      # 400 × ~45 users: sd ≈ 0.0035
    # exact values on small cases: 1 relevant among 4, k=2 -> 1/2; 2 among 4 -> 1 - C(2,2)/C(4,2) = 5/6
    assert rec.random_hit_rate(np.array([[1, 0, 0, 0]]), k=2) == pytest.approx(0.5)
    assert rec.random_hit_rate(np.array([[1, 1, 0, 0]]), k=2) == pytest.approx(5 / 6)
    assert rec.random_hit_rate(np.array([[1, 0, 0, 0]]), k=9) == 1.0          # k beyond the items: always a hit


@pytest.mark.parametrize("kwargs, error, message", [
    # the old loop broadcast these silently (a 1-item mask, a per-item exclude) instead of checking shapes
    ({"candidates": [True]}, ValueError, r"candidates must have shape \(4,\)"),
    ({"exclude": [False, True, False, False]}, ValueError, r"exclude must be a boolean \(n_users, n_items\)"),
    ({"k": 0}, ValueError, "k must be ≥ 1"),
    ({"k": 1.5}, TypeError, "k must be an integer"),
])
def test_random_hit_rate_checks_shapes_like_the_metrics(kwargs, error, message):
    with pytest.raises(error, match=message):
        rec.random_hit_rate(np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=bool), **kwargs)


def test_random_hit_rate_refuses_an_empty_evaluation_and_positional_options():
    with pytest.raises(ValueError, match="no user has a relevant item"):      # was nan and a RuntimeWarning
        rec.random_hit_rate(np.zeros((2, 4), dtype=bool), k=1)
    with pytest.raises(ValueError, match="relevant must be a"):
        rec.random_hit_rate(np.ones(4, dtype=bool), k=1)
    with pytest.raises(TypeError, match="positional"):
        rec.random_hit_rate(np.ones((2, 4), dtype=bool), 2)


# ------------------------------------------------------------------ popularity bias
def test_popularity_bias_of_a_popularity_recommender_is_maximal():
    plays = rec.make_listening_histories(200, GENRES, seed=0)
    listeners = (plays > 0).sum(axis=0)
    top = rec.top_k(np.tile(listeners, (200, 1)), k=8)
    bias = rec.popularity_bias(top, plays, head_fraction=0.1)
    assert bias["head_share"] == 1.0 and bias["coverage"] == pytest.approx(8 / 80)
    assert bias["popularity_lift"] == pytest.approx(listeners[top[0]].mean() / listeners.mean())
    rnd = rec.popularity_bias(rec.top_k(np.zeros((200, 80)), k=8), plays, head_fraction=0.1)
    assert rnd["head_share"] == pytest.approx(0.1, abs=0.03) and rnd["coverage"] == 1.0


def test_popularity_is_the_listener_count_not_the_play_count():
    plays = np.zeros((4, 10), dtype=int)
    plays[0, 0] = 100                       # one fan replays song 0: most plays, one listener
    plays[:, 1] = 1                         # song 1: four listeners, fewest plays among the played
    bias = rec.popularity_bias([[1]], plays, head_fraction=0.1)
    assert bias["head_share"] == 1.0 and bias["popularity_lift"] == pytest.approx(4 / 0.5)
    assert rec.popularity_bias([[0]], plays, head_fraction=0.1)["head_share"] == 0.0


def test_popularity_bias_is_relative_to_the_candidate_pool():
    """Issue 20, 10.1: songs nobody played (new releases) in the denominator made random look biased (×1.39)."""
    plays = rec.make_listening_histories(300, GENRES, seed=1)
    split = rec.cold_start_split(plays, n_cold=20, seed=1)
    warm = ~split.cold_mask
    random_top = rec.top_k(np.zeros(plays.shape), k=8, candidates=warm, exclude=split.train > 0, seed=0)
    listeners = (split.train > 0).sum(axis=0)
    pooled = rec.popularity_bias(random_top, split.train, candidates=warm)
    assert pooled["popularity_lift"] == pytest.approx(listeners[random_top].mean() / listeners[warm].mean())
    assert pooled["popularity_lift"] == pytest.approx(1.0, abs=0.1)                 # blind to popularity
    everything = rec.popularity_bias(random_top, split.train)
    assert everything["popularity_lift"] == pytest.approx(listeners[random_top].mean() / listeners.mean())
    assert everything["popularity_lift"] > 1.15                                     # the old, misleading figure
    head = np.argsort(-listeners[warm], kind="stable")[:round(0.1 * warm.sum())]
    assert pooled["head_share"] == pytest.approx(np.isin(random_top, np.flatnonzero(warm)[head]).mean())
    assert pooled["coverage"] == pytest.approx(len(np.unique(random_top)) / warm.sum())
    with pytest.raises(ValueError, match="top_items must all be candidates"):
        rec.popularity_bias(random_top, split.train, candidates=split.cold_mask)


@pytest.mark.parametrize("top, kwargs, error, message", [
    ([[-1]], {}, ValueError, r"top_items must hold song indices ≥ 0, got -1"),   # was silently the last song
    ([[4]], {}, ValueError, r"top_items must be song indices in 0\.\.3"),
    ([[0.5]], {}, ValueError, "top_items must hold integers"),
    ([[0]], {"head_fraction": 1.0}, ValueError, "head_fraction must be in"),
    ([[0]], {"head_fraction": "0.1"}, TypeError, "head_fraction must be a number"),
])
def test_popularity_bias_checks_its_arguments(top, kwargs, error, message):
    with pytest.raises(error, match=message):
        rec.popularity_bias(top, np.eye(4, dtype=int), **kwargs)
