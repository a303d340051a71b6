"""cnnkit.music.recommend.histories: synthetic listening histories, the cold-start split, leave-one-out."""
import numpy as np
import pytest

from cnnkit.music import recommend as rec

GENRES = np.repeat(np.arange(4), 20)


def test_histories_are_deterministic_and_seed_dependent():
    a = rec.make_listening_histories(60, GENRES, seed=3)
    b = rec.make_listening_histories(60, GENRES, seed=3)
    c = rec.make_listening_histories(60, GENRES, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (60, 80) and a.dtype == np.int32 and a.min() >= 0
    assert (a > 0).sum(axis=1).min() >= 1


def test_histories_take_every_seed_form():
    by_int = rec.make_listening_histories(30, GENRES, seed=3)
    np.testing.assert_array_equal(rec.make_listening_histories(30, GENRES, seed=np.random.default_rng(3)), by_int)
    np.testing.assert_array_equal(rec.make_listening_histories(30, GENRES, seed=np.random.SeedSequence(3)), by_int)
    np.testing.assert_array_equal(rec.make_listening_histories(30, GENRES, seed=np.int64(3)), by_int)


def test_histories_follow_tastes_and_popularity():
    plays, tastes = rec.make_listening_histories(400, GENRES, seed=0, exploration=0.0, favourite_genres=1,
                                                 return_tastes=True)
    np.testing.assert_allclose(tastes.sum(axis=1), 1.0)
    liked = tastes.argmax(axis=1)
    # with one favourite genre and no exploration, every play is in the user's genre
    assert np.all(GENRES[np.nonzero(plays)[1]] == liked[np.nonzero(plays)[0]])
    skewed = (rec.make_listening_histories(400, GENRES, seed=0, popularity_skew=1.5) > 0).sum(axis=0)
    flat = (rec.make_listening_histories(400, GENRES, seed=0, popularity_skew=0.0) > 0).sum(axis=0)
    assert skewed.max() / skewed.mean() > 2 * flat.max() / flat.mean()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"song_genres": []}, ValueError, "song_genres is empty"),
    ({"song_genres": [0.5, 1.0]}, ValueError, "song_genres must hold integers"),
    ({"song_genres": [0, -1]}, ValueError, "song_genres must hold labels ≥ 0"),
    ({"song_genres": [0, 3], "n_genres": 2}, ValueError, "n_genres=2"),
    ({"favourite_genres": 9}, ValueError, "favourite_genres must be ≤ 4"),
    ({"n_users": 0}, ValueError, "n_users must be ≥ 1"),
    ({"n_users": 2.5}, TypeError, "n_users must be an integer"),
    ({"n_users": True}, TypeError, "n_users must be an integer"),
    ({"exploration": 2}, ValueError, "exploration must be in"),
    ({"popularity_skew": -1}, ValueError, "popularity_skew must be in"),
    ({"songs_per_user": 0.5}, ValueError, "songs_per_user must be in"),
    ({"plays_per_song": "3"}, TypeError, "plays_per_song must be a number"),
    ({"return_tastes": "yes"}, TypeError, "return_tastes must be True or False"),
    ({"seed": -1}, ValueError, "seed must be ≥ 0"),
    ({"seed": 1.5}, TypeError, "seed must be an int"),
])
def test_histories_reject_bad_input(kwargs, error, message):
    args = {"n_users": 5, "song_genres": GENRES, **kwargs}
    with pytest.raises(error, match=message):
        rec.make_listening_histories(**args)


def test_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        rec.make_listening_histories(5, GENRES, None)
    with pytest.raises(TypeError, match="positional"):
        rec.cold_start_split(np.ones((3, 3)), 1)
    with pytest.raises(TypeError, match="positional"):
        rec.leave_one_out(np.ones((3, 3)), 0)


# ------------------------------------------------------------------ cold start
def test_cold_songs_have_no_plays_in_train_and_all_of_them_in_test():
    plays = rec.make_listening_histories(100, GENRES, seed=1)
    split = rec.cold_start_split(plays, n_cold=15, seed=0)
    assert len(split.cold_items) == 15 and split.cold_mask.sum() == 15
    assert split.train[:, split.cold_items].sum() == 0
    assert split.test[:, ~split.cold_mask].sum() == 0
    np.testing.assert_array_equal(split.train + split.test, plays)
    assert (plays[:, split.cold_items].sum(axis=0) > 0).all()      # they were played before the split
    np.testing.assert_array_equal(split.cold_items, rec.cold_start_split(plays, n_cold=15, seed=0).cold_items)


def test_cold_start_split_accepts_scipy_sparse_and_picks_only_played_songs():
    from scipy import sparse

    plays = np.zeros((4, 6), dtype=int)
    plays[:, [1, 4]] = 2
    split = rec.cold_start_split(sparse.csr_matrix(plays), n_cold=1, seed=0)
    assert split.cold_items.tolist() in ([1], [4])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_cold": 80}, ValueError, "n_cold must be below the 80 songs with plays"),
    ({"n_cold": 0}, ValueError, "n_cold must be ≥ 1"),
    ({"n_cold": 2.0}, TypeError, "n_cold must be an integer"),
    ({"n_cold": 2, "seed": "0"}, TypeError, "seed must be an int"),
])
def test_cold_start_split_rejects_bad_arguments(kwargs, error, message):
    plays = rec.make_listening_histories(100, GENRES, seed=1)
    with pytest.raises(error, match=message):
        rec.cold_start_split(plays, **kwargs)


@pytest.mark.parametrize("plays, error, message", [
    (-np.ones((2, 2)), ValueError, "plays must hold play counts ≥ 0, got -1"),
    (np.ones(3), ValueError, r"plays must be an \(n_users, n_songs\) matrix of play counts"),
    (np.zeros((0, 3)), ValueError, r"plays is empty \(shape \(0, 3\)\)"),
    ([[1, np.nan]], ValueError, "plays contains NaN"),
    ([["a", "b"]], TypeError, "plays must be a numeric array"),
])
def test_play_matrices_are_checked(plays, error, message):
    with pytest.raises(error, match=message):
        rec.cold_start_split(plays, n_cold=1)


# ------------------------------------------------------------------ leave one out
def test_leave_one_out_picks_one_played_song_per_user():
    test = np.array([[0, 2, 1, 0], [0, 0, 0, 0], [3, 0, 0, 0]])
    relevant, exclude = rec.leave_one_out(test, seed=0)
    assert relevant.sum(axis=1).tolist() == [1, 0, 1]
    assert relevant[2, 0] and (relevant <= (test > 0)).all()
    np.testing.assert_array_equal(relevant | exclude, test > 0)
    assert not (relevant & exclude).any()


def test_leave_one_out_is_seeded_in_every_seed_form():
    test = rec.make_listening_histories(50, GENRES, seed=0)
    by_int = rec.leave_one_out(test, seed=7)[0]
    np.testing.assert_array_equal(rec.leave_one_out(test, seed=np.random.SeedSequence(7))[0], by_int)
    assert not np.array_equal(rec.leave_one_out(test, seed=8)[0], by_int)
    a = rec.leave_one_out(test, seed=np.random.default_rng(1))[0]
    b = rec.leave_one_out(test, seed=np.random.default_rng(1))[0]
    np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="seed must be"):
        rec.leave_one_out(test, seed=None)
    with pytest.raises(ValueError, match="test must hold play counts ≥ 0"):
        rec.leave_one_out(-test)
