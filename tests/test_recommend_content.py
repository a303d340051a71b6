"""cnnkit.music.recommend.content: cosine neighbours and normalisation against scikit-learn, content scores,
the audio → factors ridge regressor (the scikit-learn estimator contract) and hybrid blending."""
import dataclasses

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from cnnkit.music import recommend as rec

GENRES = np.repeat(np.arange(4), 20)


def test_normalize_rows_matches_sklearn_normalize():
    from sklearn.preprocessing import normalize

    x = np.random.default_rng(0).normal(size=(20, 5))
    x[3] = 0.0
    np.testing.assert_allclose(rec.normalize_rows(x), normalize(x), atol=1e-15)
    assert not rec.normalize_rows(x)[3].any()
    tiny = np.array([[1e-13, 0.0]])                       # the old eps=1e-12 floor left this at 0.1
    np.testing.assert_allclose(rec.normalize_rows(tiny), [[1.0, 0.0]])
    with pytest.raises(ValueError, match="x must be 2-D"):
        rec.normalize_rows(np.ones(3))


def test_nearest_songs_match_sklearn_cosine_neighbours():
    from sklearn.neighbors import NearestNeighbors

    emb = np.random.default_rng(0).normal(size=(30, 5))
    idx, sim = rec.nearest_songs(emb, 4, k=5, center=False)
    nn = NearestNeighbors(n_neighbors=6, metric="cosine").fit(emb)
    dist, ref = nn.kneighbors(emb[4:5])
    np.testing.assert_array_equal(idx, ref[0][1:])
    np.testing.assert_allclose(sim, 1 - dist[0][1:], atol=1e-12)
    centred = emb - emb.mean(axis=0)
    idx, sim = rec.nearest_songs(emb, 4, k=5)                        # centred by default
    dist, ref = NearestNeighbors(n_neighbors=6, metric="cosine").fit(centred).kneighbors(centred[4:5])
    np.testing.assert_array_equal(idx, ref[0][1:])
    np.testing.assert_allclose(sim, 1 - dist[0][1:], atol=1e-12)
    idx, _ = rec.nearest_songs(emb, 4, k=30, exclude_self=False)
    assert idx[0] == 4 and sorted(idx) == list(range(30))


def test_centring_spreads_the_cosines_of_positive_features():
    """Issue 20, 10.3: uncentred ReLU embeddings gave cosines of 0.986-0.997 for every neighbour."""
    rng = np.random.default_rng(3)
    emb = 5.0 + np.abs(rng.normal(size=(40, 8)))                     # all positive, a large common part
    _, raw = rec.nearest_songs(emb, 0, k=39, center=False)
    _, centred = rec.nearest_songs(emb, 0, k=39)
    assert raw.min() > 0.95 and centred.min() < 0 < centred.max()


@pytest.mark.parametrize("query, kwargs, error, message", [
    (30, {}, ValueError, "query must be ≤ 29"),
    (-1, {}, ValueError, "query must be ≥ 0"),
    (1.0, {}, TypeError, "query must be an integer"),
    (1, {"k": 30}, ValueError, "k must be ≤ 29"),
    (1, {"k": 0}, ValueError, "k must be ≥ 1"),
])
def test_nearest_songs_check_their_arguments(query, kwargs, error, message):
    with pytest.raises(error, match=message):
        rec.nearest_songs(np.random.default_rng(0).normal(size=(30, 5)), query, **kwargs)


def test_content_scores_find_songs_of_the_genres_a_user_played():
    emb = np.eye(4)[GENRES] + 0.05 * np.random.default_rng(0).normal(size=(80, 4))
    plays = np.zeros((3, 80), dtype=int)
    plays[0, [0, 1]] = 3              # genre 0
    plays[1, [45, 50]] = 1            # genre 2
    scores = rec.content_scores(plays, emb)
    top = rec.top_k(scores, 10, exclude=plays > 0)
    assert (GENRES[top[0]] == 0).all() and (GENRES[top[1]] == 2).all()
    assert not scores[2].any()        # no plays, no profile
    with pytest.raises(ValueError, match=r"embeddings must have one row per song \(80\)"):
        rec.content_scores(plays, emb[:5])
    with pytest.raises(TypeError, match="positional"):
        rec.content_scores(plays, emb, False)


# ------------------------------------------------------------------ the regressor (A6)
def test_factor_regressor_matches_sklearn_ridge():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(1)
    e, y = rng.normal(size=(50, 6)), rng.normal(size=(50, 3))
    mine = rec.FactorRegressor(reg=2.5).fit(e, y)
    ref = Ridge(alpha=2.5).fit(e, y)
    np.testing.assert_allclose(mine.coef_, ref.coef_, atol=1e-10)
    np.testing.assert_allclose(mine.intercept_, ref.intercept_, atol=1e-10)
    np.testing.assert_allclose(mine.predict(e[:7]), ref.predict(e[:7]), atol=1e-10)
    assert mine.n_features_in_ == ref.n_features_in_ == 6


def test_factor_regressor_follows_the_estimator_contract():
    assert [f.name for f in dataclasses.fields(rec.FactorRegressor)] == ["reg"]
    with pytest.raises(TypeError, match="weights"):
        rec.FactorRegressor(weights=np.ones((2, 2)))
    with pytest.raises(TypeError, match="positional"):
        rec.FactorRegressor(1.0)
    r = rec.FactorRegressor(reg=0.5)
    assert repr(r) == "FactorRegressor(reg=0.5)" and not [n for n in vars(r) if n.endswith("_")]
    with pytest.raises(NotFittedError, match="This FactorRegressor instance is not fitted yet"):
        r.predict(np.eye(2))
    with pytest.raises(ValueError, match=r"call fit\(embeddings, factors\) first"):   # NotFittedError is a ValueError
        r.predict(np.eye(2))
    assert r.fit(np.eye(3), np.ones((3, 2))) is r
    assert sorted(n for n in vars(r) if n.endswith("_")) == ["coef_", "intercept_", "n_features_in_"]


@pytest.mark.parametrize("reg, e, y, error, message", [
    (-1.0, np.eye(3), np.ones((3, 2)), ValueError, "reg must be in"),
    ("1", np.eye(3), np.ones((3, 2)), TypeError, "reg must be a number"),
    (0.0, np.ones((3, 2)), np.ones((3, 2)), ValueError, "reg=0: the embeddings' covariance is singular"),
    (1.0, np.eye(3), np.ones((2, 2)), ValueError, "embeddings and factors must have the same"),
    (1.0, np.eye(3), np.ones(3), ValueError, "factors must be 2-D"),
])
def test_factor_regressor_checks_its_arguments(reg, e, y, error, message):
    with pytest.raises(error, match=message):
        rec.FactorRegressor(reg=reg).fit(e, y)


def test_factor_regressor_predict_checks_the_embedding_width():
    r = rec.FactorRegressor().fit(np.eye(3), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"embeddings must have 3 columns \(as in fit\)"):
        r.predict(np.ones((2, 4)))


# ------------------------------------------------------------------ hybrid
def test_hybrid_scores_standardise_each_source():
    a = np.array([[1.0, 2.0, 3.0]])
    b = 1000 * np.array([[3.0, 2.0, 1.0]])
    np.testing.assert_allclose(rec.hybrid_scores(a, b), 0.0, atol=1e-12)
    np.testing.assert_allclose(rec.hybrid_scores(a, b, weights=[1, 0]), (a - 2) / np.std(a))
    on_two = rec.hybrid_scores(a, candidates=[False, True, True])
    np.testing.assert_allclose(on_two, [[-3.0, -1.0, 1.0]])      # mean 2.5 and std 0.5 of the candidates


@pytest.mark.parametrize("matrices, kwargs, error, message", [
    ((), {}, ValueError, "at least one score matrix"),
    ((np.ones((1, 3)), np.ones((2, 3))), {}, ValueError, "score_matrices must share one shape"),
    ((np.ones((1, 3)),), {"weights": [1, 2]}, ValueError, "got 2 weights for 1 score matrices"),
    ((np.ones((1, 3)), np.ones((1, 3))), {"weights": [1, -1]}, ValueError, "weights must be ≥ 0"),
    ((np.ones((1, 3)),), {"candidates": [False] * 3}, ValueError, "candidates must select at least one"),
    ((np.ones((1, 3)),), {"candidates": [True]}, ValueError, r"candidates must have shape \(3,\)"),
    ((np.array([[1.0, np.nan, 0.0]]),), {}, ValueError, r"score_matrices\[0\] contains NaN"),
    ((np.array([[1.0, -np.inf, 0.0]]),), {}, ValueError, "score_matrices must be finite"),
])
def test_hybrid_scores_check_their_arguments(matrices, kwargs, error, message):
    with pytest.raises(error, match=message):
        rec.hybrid_scores(*matrices, **kwargs)
