"""cnnkit.music.recommend.als: implicit ALS against lstsq, its loss, and the scikit-learn estimator contract."""
import dataclasses
import math

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from cnnkit.music import recommend as rec

GENRES = np.repeat(np.arange(4), 20)


def test_als_loss_never_increases_and_matches_implicit_loss():
    plays = rec.make_listening_histories(80, GENRES, seed=2)
    als = rec.ImplicitALS(factors=6, iterations=8, reg=0.5, alpha=5.0, seed=0).fit(plays)
    losses = np.array(als.loss_history_)
    assert np.all(np.diff(losses) <= 1e-6 * losses[:-1])
    assert losses[-1] < 0.7 * losses[0]
    assert math.isclose(losses[-1], rec.implicit_loss(plays, als.user_factors_, als.item_factors_,
                                                      alpha=5.0, reg=0.5))


def test_als_update_is_the_weighted_least_squares_solution():
    """One user's closed-form update equals a brute-force weighted ridge solve (numpy lstsq)."""
    rng = np.random.default_rng(0)
    items = rng.normal(size=(12, 3))
    plays = rng.poisson(0.7, size=(1, 12))
    conf, pref = rec.confidence(plays, alpha=4.0), (plays > 0).astype(float)
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
    np.testing.assert_array_equal(als.scores([3, 25]), scores[[3, 25]])


def test_als_accepts_a_scipy_sparse_matrix():
    from scipy import sparse

    plays = rec.make_listening_histories(40, GENRES, seed=3)
    dense = rec.ImplicitALS(factors=3, iterations=2).fit(plays)
    sparse_fit = rec.ImplicitALS(factors=3, iterations=2).fit(sparse.csr_matrix(plays))
    np.testing.assert_allclose(dense.item_factors_, sparse_fit.item_factors_)


def test_als_gives_never_played_songs_the_zero_vector_and_is_deterministic():
    plays = rec.make_listening_histories(50, GENRES, seed=0)
    plays[:, [3, 7]] = 0
    a = rec.ImplicitALS(factors=4, iterations=3, seed=5).fit(plays)
    b = rec.ImplicitALS(factors=4, iterations=3, seed=np.random.SeedSequence(5)).fit(plays)
    np.testing.assert_array_equal(a.item_factors_, b.item_factors_)
    assert np.abs(a.item_factors_[[3, 7]]).max() == 0.0


# ------------------------------------------------------------------ the scikit-learn estimator contract (A6)
def test_als_hyper_parameters_are_keyword_only_and_learned_attributes_are_not_constructor_fields():
    assert [f.name for f in dataclasses.fields(rec.ImplicitALS)] == ["factors", "reg", "alpha", "iterations", "seed"]
    with pytest.raises(TypeError, match="user_factors"):
        rec.ImplicitALS(user_factors=np.ones((2, 2)))
    with pytest.raises(TypeError, match="positional"):
        rec.ImplicitALS(8)
    als = rec.ImplicitALS(factors=2, iterations=2)
    assert repr(als) == "ImplicitALS(factors=2, reg=0.1, alpha=10.0, iterations=2, seed=0)"
    assert not [name for name in vars(als) if name.endswith("_")]            # nothing learned yet
    assert als.fit(np.eye(3)) is als                                          # fit returns self
    learned = sorted(name for name in vars(als) if name.endswith("_"))
    assert learned == ["item_factors_", "loss_history_", "user_factors_"]


def test_als_used_before_fit_raises_not_fitted_error_naming_it():
    als = rec.ImplicitALS()
    with pytest.raises(NotFittedError, match="This ImplicitALS instance is not fitted yet"):
        als.scores()
    with pytest.raises(ValueError, match=r"call fit\(plays\) first"):           # NotFittedError is a ValueError
        als.scores([0])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"factors": 0}, ValueError, "factors must be ≥ 1"),
    ({"factors": 2.5}, TypeError, "factors must be an integer"),
    ({"iterations": 0}, ValueError, "iterations must be ≥ 1"),
    ({"reg": 0.0}, ValueError, "reg must be in"),
    ({"reg": "0.1"}, TypeError, "reg must be a number"),
    ({"alpha": -1.0}, ValueError, "alpha must be in"),
    ({"seed": "0"}, TypeError, "seed must be an int"),
])
def test_als_checks_its_hyper_parameters_in_fit(kwargs, error, message):
    with pytest.raises(error, match=message):
        rec.ImplicitALS(**kwargs).fit(np.eye(3))


def test_als_scores_check_the_users():
    als = rec.ImplicitALS(factors=1, iterations=1).fit(np.eye(3))
    with pytest.raises(ValueError, match=r"users must be indices in 0\.\.2"):
        als.scores([0, 3])
    with pytest.raises(ValueError, match="users must hold integers"):
        als.scores([0.5])
    with pytest.raises(ValueError, match="plays must hold play counts ≥ 0"):
        rec.ImplicitALS().fit(-np.ones((2, 2)))


# ------------------------------------------------------------------ the building blocks' arguments
def test_building_blocks_check_their_arguments():
    with pytest.raises(ValueError, match="alpha must be in"):
        rec.confidence(np.eye(2), alpha=-1)
    with pytest.raises(TypeError, match="positional"):
        rec.confidence(np.eye(2), 1.0)
    with pytest.raises(TypeError, match="positional"):
        rec.als_step(np.eye(2), np.ones((1, 2)), np.ones((1, 2)), 0.1)
    with pytest.raises(ValueError, match=r"conf \(1, 3\) and preference \(1, 3\) must both be \(m, 2\)"):
        rec.als_step(np.eye(2), np.ones((1, 3)), np.ones((1, 3)), reg=0.1)
    with pytest.raises(ValueError, match="reg must be in"):
        rec.als_step(np.eye(2), np.ones((1, 2)), np.ones((1, 2)), reg=-1)
    with pytest.raises(ValueError, match=r"user_factors \(2, 1\) and item_factors \(2, 2\)"):
        rec.implicit_loss(np.eye(2), np.ones((2, 1)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="reg must be in"):
        rec.implicit_loss(np.eye(2), np.ones((2, 1)), np.ones((2, 1)), reg=-0.5)
