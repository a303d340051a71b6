"""Same-pool evaluation (compare_on_pool), AUC, mAP@k, the popularity and genre-tag baselines, Gini."""
import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from cnnkit.music import recommend as rec


def _setup(seed=0):
    genres = np.repeat(np.arange(4), 15)
    plays = rec.make_listening_histories(200, genres, songs_per_user=10, seed=seed)
    split = rec.cold_start_split(plays, n_cold=20, seed=seed)
    relevant, others = rec.leave_one_out(split.test, seed=seed)
    return genres, split, relevant, others


def test_compare_on_pool_scores_every_recommender_on_the_same_pool():
    genres, split, relevant, others = _setup()
    cold = split.cold_mask
    oracle = relevant.astype(float)                                      # knows the held-out song
    scores = {"oracle": oracle, "zeros": np.zeros(relevant.shape),
              "genre tag": rec.genre_scores(split.train, genres)}
    table = rec.compare_on_pool(scores, relevant, k=5, candidates=cold, exclude=others, seed=0)
    chance = rec.random_hit_rate(relevant, k=5, candidates=cold, exclude=others)
    assert list(table.index) == ["random (expected)", "oracle", "zeros", "genre tag"]
    assert table.loc["random (expected)", "hit_rate"] == pytest.approx(chance)
    assert table.loc["oracle", "hit_rate"] == 1.0 and table.loc["oracle", "auc"] == 1.0
    assert table.loc["oracle", "lift"] == pytest.approx(1 / chance)
    assert table.loc["zeros", "auc"] == 0.5                               # ties count one half
    # lift is hit rate over the random hit rate of this very pool
    np.testing.assert_allclose(table["lift"], table["hit_rate"] / chance)
    # the pool: cold songs a user did not play, plus the held-out one
    allowed = cold[None, :] & ~others
    users = (relevant & allowed).any(axis=1)
    assert table.attrs["pool"] == pytest.approx(allowed[users].sum(axis=1).mean())
    assert table.attrs["pool"] < cold.sum()
    # the same scores on a larger pool (every song) give a lower random hit rate and another lift
    wide = rec.compare_on_pool({"genre tag": scores["genre tag"]}, relevant, k=5, exclude=others, seed=0)
    assert wide.attrs["pool"] > table.attrs["pool"]
    assert wide.loc["random (expected)", "hit_rate"] < chance


def test_genre_tags_beat_random_when_listeners_choose_by_genre():
    genres, split, relevant, others = _setup(seed=1)
    table = rec.compare_on_pool({"genre tag": rec.genre_scores(split.train, genres)}, relevant, k=5,
                                candidates=split.cold_mask, exclude=others)
    assert table.loc["genre tag", "lift"] > 1.5 and table.loc["genre tag", "auc"] > 0.7


def test_compare_on_pool_refuses_bad_input():
    relevant = np.eye(3, dtype=bool)
    with pytest.raises(TypeError, match="scores must be a non-empty dict"):
        rec.compare_on_pool([np.eye(3)], relevant, k=1)
    with pytest.raises(ValueError, match=r"scores\['a'\] must have the shape of relevant"):
        rec.compare_on_pool({"a": np.eye(2)}, relevant, k=1)


def test_mean_auc_and_map_at_k_match_scikit_learn_per_user():
    rng = np.random.default_rng(0)
    scores, relevant = rng.normal(size=(20, 15)), rng.random((20, 15)) < 0.3
    relevant[:, 0] = True
    relevant[:, 1] = False
    expected_auc = np.mean([roc_auc_score(r, s) for r, s in zip(relevant, scores)])
    assert rec.mean_auc(scores, relevant) == pytest.approx(expected_auc)
    # with k = all items, AP@k is scikit-learn's average precision
    expected_ap = np.mean([average_precision_score(r, s) for r, s in zip(relevant, scores)])
    assert rec.map_at_k(scores, relevant, k=15) == pytest.approx(expected_ap)
    assert rec.map_at_k(relevant.astype(float), relevant, k=3) == 1.0


def test_popularity_counts_listeners_and_gini_measures_concentration():
    plays = np.array([[3, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(rec.popularity_scores(plays, n_users=1), [[2, 0, 1]])
    assert rec.gini([1, 1, 1]) == 0.0
    assert rec.gini([0, 0, 1, 9]) > rec.gini([1, 2, 3, 4]) > 0
    with pytest.raises(ValueError, match="counts must be a non-empty"):
        rec.gini([0, 0])
    with pytest.raises(ValueError, match="song_genres must hold one non-negative integer tag per song"):
        rec.genre_scores(plays, [0, 1])
