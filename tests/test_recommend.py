"""cnnkit.music.recommend: histories, implicit ALS, ranking metrics against brute force, cold start, content."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit.music import recommend as rec

GENRES = np.repeat(np.arange(4), 20)


# ------------------------------------------------------------------ listening histories
def test_histories_are_deterministic_and_seed_dependent():
    a = rec.listening_histories(60, GENRES, seed=3)
    b = rec.listening_histories(60, GENRES, seed=3)
    c = rec.listening_histories(60, GENRES, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (60, 80) and a.dtype == np.int32 and a.min() >= 0
    assert (a > 0).sum(axis=1).min() >= 1


def test_histories_follow_tastes_and_popularity():
    plays, tastes = rec.listening_histories(400, GENRES, seed=0, exploration=0.0, favourite_genres=1,
                                            return_tastes=True)
    np.testing.assert_allclose(tastes.sum(axis=1), 1.0)
    liked = tastes.argmax(axis=1)
    # with one favourite genre and no exploration, every play is in the user's genre
    assert np.all(GENRES[np.nonzero(plays)[1]] == liked[np.nonzero(plays)[0]])
    skewed = (rec.listening_histories(400, GENRES, seed=0, popularity_skew=1.5) > 0).sum(axis=0)
    flat = (rec.listening_histories(400, GENRES, seed=0, popularity_skew=0.0) > 0).sum(axis=0)
    assert skewed.max() / skewed.mean() > 2 * flat.max() / flat.mean()


@pytest.mark.parametrize("kwargs, word", [
    ({"song_genres": []}, "song_genres"), ({"song_genres": [0.5, 1.0]}, "song_genres"),
    ({"song_genres": [0, 3], "n_genres": 2}, "n_genres"), ({"favourite_genres": 9}, "favourite_genres"),
    ({"n_users": 0}, "n_users"), ({"exploration": 2}, "exploration"),
])
def test_histories_reject_bad_input(kwargs, word):
    args = {"n_users": 5, "song_genres": GENRES, **kwargs}
    with pytest.raises(ValueError, match=word):
        rec.listening_histories(**args)


# ------------------------------------------------------------------ cold start
def test_cold_songs_have_no_plays_in_train_and_all_of_them_in_test():
    plays = rec.listening_histories(100, GENRES, seed=1)
    split = rec.cold_start_split(plays, n_cold=15, seed=0)
    assert len(split.cold_items) == 15 and split.cold_mask.sum() == 15
    assert split.train[:, split.cold_items].sum() == 0
    assert split.test[:, ~split.cold_mask].sum() == 0
    np.testing.assert_array_equal(split.train + split.test, plays)
    assert (plays[:, split.cold_items].sum(axis=0) > 0).all()      # they were played before the split
    np.testing.assert_array_equal(split.cold_items, rec.cold_start_split(plays, 15, seed=0).cold_items)
    with pytest.raises(ValueError, match="n_cold"):
        rec.cold_start_split(plays, n_cold=80)


def test_leave_one_out_picks_one_played_song_per_user():
    test = np.array([[0, 2, 1, 0], [0, 0, 0, 0], [3, 0, 0, 0]])
    relevant, exclude = rec.leave_one_out(test, seed=0)
    assert relevant.sum(axis=1).tolist() == [1, 0, 1]
    assert relevant[2, 0] and (relevant <= (test > 0)).all()
    np.testing.assert_array_equal(relevant | exclude, test > 0)
    assert not (relevant & exclude).any()


# ------------------------------------------------------------------ ALS
def test_als_loss_never_increases_and_matches_implicit_loss():
    plays = rec.listening_histories(80, GENRES, seed=2)
    als = rec.ImplicitALS(factors=6, iterations=8, reg=0.5, alpha=5.0, seed=0).fit(plays)
    losses = np.array(als.loss_history)
    assert np.all(np.diff(losses) <= 1e-6 * losses[:-1])
    assert losses[-1] < 0.7 * losses[0]
    assert math.isclose(losses[-1], rec.implicit_loss(plays, als.user_factors, als.item_factors, 5.0, 0.5))


def test_als_update_is_the_weighted_least_squares_solution():
    """One user's closed-form update equals a brute-force weighted ridge solve (numpy lstsq)."""
    rng = np.random.default_rng(0)
    items = rng.normal(size=(12, 3))
    plays = rng.poisson(0.7, size=(1, 12))
    conf, pref = rec.confidence(plays, 4.0), (plays > 0).astype(float)
    x = rec.als_step(items, conf, pref, reg=0.3)[0]
    w = np.sqrt(conf[0])
    a = np.vstack([items * w[:, None], np.sqrt(0.3) * np.eye(3)])
    b = np.concatenate([pref[0] * w, np.zeros(3)])
    np.testing.assert_allclose(x, np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-10)


def test_als_recovers_a_low_rank_block_structure():
    # two user groups × two song groups: each group plays only its own block
    plays = np.zeros((40, 30), dtype=int)
    plays[:20, :15], plays[20:, 15:] = 3, 2
    als = rec.ImplicitALS(factors=2, iterations=10, reg=0.01, seed=1).fit(plays)
    scores = als.scores()
    np.testing.assert_allclose(scores, (plays > 0).astype(float), atol=0.05)
    assert np.linalg.matrix_rank(scores, tol=1e-6) == 2


def test_als_accepts_a_scipy_sparse_matrix():
    from scipy import sparse

    plays = rec.listening_histories(40, GENRES, seed=3)
    dense = rec.ImplicitALS(factors=3, iterations=2).fit(plays)
    sparse_fit = rec.ImplicitALS(factors=3, iterations=2).fit(sparse.csr_matrix(plays))
    np.testing.assert_allclose(dense.item_factors, sparse_fit.item_factors)


def test_als_gives_never_played_songs_the_zero_vector_and_is_deterministic():
    plays = rec.listening_histories(50, GENRES, seed=0)
    plays[:, [3, 7]] = 0
    a = rec.ImplicitALS(factors=4, iterations=3, seed=5).fit(plays)
    b = rec.ImplicitALS(factors=4, iterations=3, seed=5).fit(plays)
    np.testing.assert_array_equal(a.item_factors, b.item_factors)
    assert np.abs(a.item_factors[[3, 7]]).max() == 0.0
    with pytest.raises(ValueError, match="not fitted"):
        rec.ImplicitALS().scores()
    with pytest.raises(ValueError, match="plays"):
        rec.ImplicitALS().fit(-np.ones((2, 2)))


# ------------------------------------------------------------------ ranking metrics vs brute force
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


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7), st.integers(4, 12), st.integers(1, 4), st.integers(0, 10_000), st.booleans())
def test_hit_rate_and_recall_match_brute_force(n_users, n_items, k, seed, integer_scores):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 3, (n_users, n_items)).astype(float) if integer_scores else rng.normal(size=(n_users, n_items))
    relevant = rng.random((n_users, n_items)) < 0.3
    relevant[0, 0] = True
    candidates = rng.random(n_items) < 0.8
    exclude = rng.random((n_users, n_items)) < 0.2       # may hide relevant items, or leave < k allowed
    allowed = candidates[None, :] & ~exclude
    users = np.flatnonzero((relevant & allowed).any(axis=1))
    if len(users) == 0:
        with pytest.raises(ValueError, match="nothing to evaluate"):
            rec.hit_rate_at_k(scores, relevant, k, candidates, exclude, seed=seed)
        return
    hit, recall = _brute_force(scores[users], relevant[users], k, allowed[users],
                               np.random.default_rng([seed, rec._TIE_STREAM]).random((len(users), n_items)))
    assert rec.hit_rate_at_k(scores, relevant, k, candidates, exclude, seed=seed) == pytest.approx(hit)
    assert rec.recall_at_k(scores, relevant, k, candidates, exclude, seed=seed) == pytest.approx(recall)


def test_top_k_is_best_first_and_respects_candidates_and_exclusions():
    scores = np.array([[0.1, 0.9, 0.5, 0.7], [0.4, 0.3, 0.2, 0.1]])
    np.testing.assert_array_equal(rec.top_k(scores, 2), [[1, 3], [0, 1]])
    exclude = np.array([[False, True, False, False], [True, False, False, False]])
    np.testing.assert_array_equal(rec.top_k(scores, 2, exclude=exclude), [[3, 2], [1, 2]])
    np.testing.assert_array_equal(rec.top_k(scores, 1, candidates=[True, False, True, False]), [[2], [0]])
    with pytest.raises(ValueError, match="k must be"):
        rec.top_k(scores, 5)


def test_equal_scores_rank_at_random_and_match_the_expected_random_hit_rate():
    rng = np.random.default_rng(0)
    relevant = rng.random((3000, 40)) < 0.05
    measured = rec.hit_rate_at_k(np.zeros((3000, 40)), relevant, k=5)
    assert measured == pytest.approx(rec.random_hit_rate(relevant, k=5), abs=0.03)
    # exact formula on one small case: 1 relevant among 4, k=2 -> 1/2
    assert rec.random_hit_rate(np.array([[1, 0, 0, 0]]), k=2) == pytest.approx(0.5)
    assert rec.random_hit_rate(np.array([[1, 1, 0, 0]]), k=2) == pytest.approx(1 - math.comb(2, 2) / math.comb(4, 2))


def test_metrics_reject_users_without_anything_to_find():
    with pytest.raises(ValueError, match="relevant"):
        rec.hit_rate_at_k(np.zeros((2, 3)), np.zeros((2, 3)), k=1)
    with pytest.raises(ValueError, match="shape"):
        rec.recall_at_k(np.zeros((2, 3)), np.ones((3, 2)), k=1)


def test_popularity_bias_of_a_popularity_recommender_is_maximal():
    plays = rec.listening_histories(200, GENRES, seed=0)
    listeners = (plays > 0).sum(axis=0)
    top = rec.top_k(np.tile(listeners, (200, 1)), k=8)
    bias = rec.popularity_bias(top, plays, head_fraction=0.1)
    assert bias["head_share"] == 1.0 and bias["coverage"] == pytest.approx(8 / 80)
    assert bias["popularity_lift"] > 1
    rnd = rec.popularity_bias(rec.top_k(np.zeros((200, 80)), k=8), plays, head_fraction=0.1)
    assert rnd["head_share"] == pytest.approx(0.1, abs=0.03) and rnd["coverage"] == 1.0


# ------------------------------------------------------------------ content based, regressor, hybrid
def test_nearest_songs_match_sklearn_cosine_neighbours():
    from sklearn.neighbors import NearestNeighbors

    emb = np.random.default_rng(0).normal(size=(30, 5))
    idx, sim = rec.nearest_songs(emb, query=4, k=5)
    nn = NearestNeighbors(n_neighbors=6, metric="cosine").fit(emb)
    dist, ref = nn.kneighbors(emb[4:5])
    np.testing.assert_array_equal(idx, ref[0][1:])
    np.testing.assert_allclose(sim, 1 - dist[0][1:], atol=1e-12)


def test_content_scores_find_songs_of_the_genres_a_user_played():
    emb = np.eye(4)[GENRES] + 0.05 * np.random.default_rng(0).normal(size=(80, 4))
    plays = np.zeros((2, 80), dtype=int)
    plays[0, [0, 1]] = 3              # genre 0
    plays[1, [45, 50]] = 1            # genre 2
    top = rec.top_k(rec.content_scores(plays, emb), k=10, exclude=plays > 0)
    assert (GENRES[top[0]] == 0).all() and (GENRES[top[1]] == 2).all()
    with pytest.raises(ValueError, match="embeddings"):
        rec.content_scores(plays, emb[:5])


def test_factor_regressor_matches_sklearn_ridge():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(1)
    e, y = rng.normal(size=(50, 6)), rng.normal(size=(50, 3))
    mine = rec.FactorRegressor(reg=2.5).fit(e, y)
    ref = Ridge(alpha=2.5).fit(e, y)
    np.testing.assert_allclose(mine.predict(e[:7]), ref.predict(e[:7]), atol=1e-10)
    with pytest.raises(ValueError, match="not fitted"):
        rec.FactorRegressor().predict(e)


def test_hybrid_scores_standardise_each_source():
    a = np.array([[1.0, 2.0, 3.0]])
    b = 1000 * np.array([[3.0, 2.0, 1.0]])
    np.testing.assert_allclose(rec.hybrid_scores(a, b), 0.0, atol=1e-12)
    np.testing.assert_allclose(rec.hybrid_scores(a, b, weights=[1, 0]), (a - 2) / np.std(a))
    with pytest.raises(ValueError, match="shape"):
        rec.hybrid_scores(a, np.ones((2, 3)))


def test_exhaustive_small_top_k_against_itertools():
    """top_k's hits equal the best achievable subset sums when scores are distinct."""
    scores = np.array([[0.3, 0.1, 0.8, 0.5, 0.2]])
    best = max(itertools.combinations(range(5), 3), key=lambda c: scores[0, list(c)].sum())
    assert set(rec.top_k(scores, 3)[0]) == set(best)
