"""Listening histories: synthetic play counts, the cold-start split, and leave-one-out targets.

    >>> import numpy as np
    >>> from cnnkit.music import recommend as rec
    >>> plays = rec.make_listening_histories(200, np.repeat(np.arange(4), 10), seed=0)   # (200 users, 40 songs)
    >>> split = rec.cold_start_split(plays, n_cold=8, seed=0)      # 8 songs lose all their plays
    >>> int(split.train[:, split.cold_mask].sum()), split.test.shape
    (0, (200, 40))
"""
from dataclasses import dataclass

import numpy as np

from cnnkit._checks import (Array, Bool, Fraction, Int, Labels, Number, Seed, check_bool, check_fraction, check_int,
                            check_number, check_seed, contract)

from ._common import HOLD_OUT_STREAM, PLAYS, check_plays, stream


def _check_genres(song_genres, n_genres):
    genres = np.asarray(song_genres)
    if genres.ndim != 1 or len(genres) == 0:
        raise ValueError(f"song_genres must be a non-empty 1-D array of genre labels, got shape {genres.shape}")
    if genres.dtype == bool or not np.issubdtype(genres.dtype, np.integer):
        raise TypeError(f"song_genres must hold integer genre labels, got dtype {genres.dtype}")
    if genres.min() < 0:
        raise ValueError(f"song_genres must hold genre labels ≥ 0, got {genres.min()}")
    if n_genres is None:
        return genres, int(genres.max()) + 1
    n_genres = check_int(n_genres, "n_genres", low=1)
    if n_genres <= genres.max():
        raise ValueError(f"n_genres={n_genres} but song_genres contains the label {genres.max()}")
    return genres, n_genres


@contract(n_users=Int(low=1), song_genres=Labels(), n_genres=Int(low=1) | None, favourite_genres=Int(low=1),
          exploration=Fraction(allow_one=True), popularity_skew=Number(low=0), songs_per_user=Number(low=1),
          plays_per_song=Number(low=1), seed=Seed(), return_tastes=Bool())
def make_listening_histories(n_users, song_genres, *, n_genres=None, favourite_genres=2, exploration=0.05,
                             popularity_skew=1.0, songs_per_user=20, plays_per_song=3.0, seed=0,
                             return_tastes=False):
    """Synthetic play counts, shape ``(n_users, n_songs)``: users with genre tastes, skewed popularity.

    Each user likes 1..``favourite_genres`` genres (random weights) and spreads ``exploration`` of their
    taste over all genres. Song ``i`` has popularity ``rank_i ** -popularity_skew`` (Zipf; 0 = all
    equal). A user picks about ``songs_per_user`` distinct songs (1 + Poisson), each with probability
    ∝ taste[genre] × popularity, without replacement, and plays each a geometric number of times
    (≥ 1, mean ``plays_per_song``).

    Args:
        n_users: the number of users (≥ 1).
        song_genres: each song's integer genre (``n_songs = len(song_genres)``).
        n_genres: the number of genres (None: the largest label + 1).
        favourite_genres: the most genres a user likes (1..``n_genres``).
        exploration: the share of a user's taste spread over all genres, in [0, 1].
        popularity_skew: the Zipf exponent of song popularity (≥ 0; 0: all equal).
        songs_per_user: the mean number of distinct songs a user plays (≥ 1).
        plays_per_song: the mean plays of a played song (≥ 1).
        seed: an int, ``SeedSequence`` or ``Generator``.
        return_tastes: also return the ``(n_users, n_genres)`` taste matrix (rows sum to 1).

    Returns:
        An int32 ``(n_users, n_songs)`` play-count matrix, or ``(plays, tastes)`` with ``return_tastes``.

    Example:
        >>> plays = make_listening_histories(50, [0, 0, 1, 1, 2, 2], songs_per_user=3, seed=1)
        >>> plays.shape, int((plays > 0).sum(axis=1).min()) >= 1
        ((50, 6), True)
        >>> plays, tastes = make_listening_histories(5, [0, 1, 1], seed=1, return_tastes=True)
        >>> tastes.shape, bool(np.allclose(tastes.sum(axis=1), 1))
        ((5, 2), True)
    """
    n_users = check_int(n_users, "n_users", low=1)
    song_genres, n_genres = _check_genres(song_genres, n_genres)
    favourite_genres = check_int(favourite_genres, "favourite_genres", low=1, high=n_genres)
    exploration = check_fraction(exploration, "exploration", allow_one=True)
    popularity_skew = check_number(popularity_skew, "popularity_skew", low=0)
    songs_per_user = check_number(songs_per_user, "songs_per_user", low=1)
    plays_per_song = check_number(plays_per_song, "plays_per_song", low=1)
    return_tastes = check_bool(return_tastes, "return_tastes")
    rng = check_seed(seed)
    n_songs = len(song_genres)

    tastes = np.zeros((n_users, n_genres))
    for u in range(n_users):
        liked = rng.choice(n_genres, size=rng.integers(1, favourite_genres + 1), replace=False)
        tastes[u, liked] = rng.dirichlet(np.ones(len(liked)))
    tastes = (1 - exploration) * tastes + exploration / n_genres

    ranks = rng.permutation(n_songs) + 1
    popularity = ranks.astype(float) ** -popularity_skew
    weights = tastes[:, song_genres] * popularity                     # (n_users, n_songs)

    # Sampling without replacement, vectorised: the top-n of log(weight) + Gumbel noise.
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    possible = (weights > 0).sum(axis=1)                              # exploration=0 rules some out
    n_picked = np.clip(1 + rng.poisson(songs_per_user - 1, size=n_users), 1, possible)
    order = np.argsort(-keys, axis=1)
    picked = np.arange(n_songs)[None, :] < n_picked[:, None]           # first n_picked of each row
    plays = np.zeros((n_users, n_songs), dtype=np.int32)
    counts = rng.geometric(1.0 / plays_per_song, size=(n_users, n_songs)).astype(np.int32)
    np.put_along_axis(plays, order, np.where(picked, counts, 0), axis=1)
    return (plays, tastes) if return_tastes else plays


@contract(train=Array(ndim=2, low=0), test=Array(ndim=2, low=0), cold_items=Labels(empty=True))
@dataclass
class ColdStartSplit:
    """Plays split for a cold-start test: ``train`` lacks every play of the ``cold_items``, ``test`` holds them.

    Args:
        train: ``(n_users, n_songs)`` play counts with the cold songs' plays removed.
        test: ``(n_users, n_songs)`` play counts of the cold songs only (and nothing else).
        cold_items: the indices of the cold (held-out) songs.

    Example:
        >>> s = ColdStartSplit(np.array([[1, 0]]), np.array([[0, 2]]), np.array([1]))
        >>> s.cold_mask.tolist()
        [False, True]
    """

    train: np.ndarray
    test: np.ndarray
    cold_items: np.ndarray

    @property
    def cold_mask(self):
        """Boolean ``(n_songs,)``: True for the cold (held-out, never played in train) songs."""
        mask = np.zeros(self.train.shape[1], dtype=bool)
        mask[self.cold_items] = True
        return mask


@contract(plays=PLAYS, n_cold=Int(low=1), seed=Seed())
def cold_start_split(plays, *, n_cold, seed=0):
    """Pick ``n_cold`` songs at random among the played ones and move all their plays to ``test``.

    Args:
        plays: an ``(n_users, n_songs)`` matrix of play counts (dense or scipy.sparse).
        n_cold: how many songs go cold; at least one played song stays warm, so it must be below the
            number of played songs.
        seed: an int, ``SeedSequence`` or ``Generator`` that picks the songs.

    Returns:
        A :class:`ColdStartSplit`.

    Raises:
        ValueError: ``n_cold`` would leave no played song warm.

    Example:
        >>> s = cold_start_split(np.eye(4, dtype=int) + 1, n_cold=1, seed=0)
        >>> int(s.train[:, s.cold_items].sum()), bool(s.test.sum() == s.test[:, s.cold_items].sum())
        (0, True)
    """
    plays = check_plays(plays)
    n_cold = check_int(n_cold, "n_cold", low=1)
    played = np.flatnonzero(plays.sum(axis=0) > 0)
    if n_cold >= len(played):
        raise ValueError(f"n_cold must be below the {len(played)} songs with plays (one must stay warm), "
                         f"got {n_cold}")
    cold = np.sort(check_seed(seed).choice(played, size=n_cold, replace=False))
    train, test = plays.copy(), np.zeros_like(plays)
    test[:, cold], train[:, cold] = plays[:, cold], 0
    return ColdStartSplit(train, test, cold)


@contract(test=PLAYS, seed=Seed())
def leave_one_out(test, *, seed=0):
    """Pick one played song per user from ``test`` plays → ``(relevant, exclude)`` boolean matrices.

    ``relevant`` marks the one held-out song; ``exclude`` marks the user's other played test songs, so
    each user's target competes only with songs they never played (leave-one-out protocol). Users with
    no test plays get an all-False row (the metrics skip them).

    Args:
        test: an ``(n_users, n_songs)`` play-count matrix.
        seed: an int, ``SeedSequence`` or ``Generator`` that picks the song.

    Returns:
        ``(relevant, exclude)``, two boolean ``(n_users, n_songs)`` matrices.

    Example:
        >>> relevant, exclude = leave_one_out([[0, 2, 1], [0, 0, 0]], seed=0)
        >>> relevant.sum(axis=1).tolist(), (relevant | exclude).tolist()
        ([1, 0], [[False, True, True], [False, False, False]])
    """
    played = check_plays(test, "test") > 0
    keys = np.where(played, stream(seed, HOLD_OUT_STREAM).random(played.shape), -1.0)
    relevant = np.zeros_like(played)
    users = np.flatnonzero(played.any(axis=1))
    relevant[users, keys[users].argmax(axis=1)] = True
    return relevant, played & ~relevant
