"""Evaluate recommenders on one candidate pool: hit rate, lift over random, AUC and mAP@k, side by side.

A hit rate means nothing without its pool: finding one song among 10 candidates is easy, among 230
hard. :func:`compare_on_pool` scores every recommender on the *same* users, held-out songs and
candidates, and divides each hit rate by the random recommender's on that pool (the **lift**).
:func:`mean_auc` and :func:`map_at_k` are the two metrics of van den Oord, Dieleman & Schrauwen (2013).

    >>> import numpy as np
    >>> relevant = np.eye(4, dtype=bool)                         # user u looks for song u
    >>> perfect = np.eye(4)                                      # … and this recommender knows it
    >>> table = compare_on_pool({"perfect": perfect, "blind": np.zeros((4, 4))}, relevant, k=1)
    >>> table.round(2).to_dict("index")["perfect"]
    {'hit_rate': 1.0, 'lift': 4.0, 'auc': 1.0}
    >>> table.attrs["pool"]                                      # candidates per user
    4.0
"""
import numpy as np

from cnnkit._checks import Array, Int, Labels, Mapping, Seed, Str, check_int, check_size, contract

from ._common import CANDIDATES, EXCLUDE, PLAYS, RELEVANT, SCORES, check_plays, check_scores
from .ranking import _allowed, _rank, _relevant_allowed, hit_rate_at_k, random_hit_rate


@contract(scores=SCORES, relevant=RELEVANT, candidates=CANDIDATES, exclude=EXCLUDE)
def mean_auc(scores, relevant, *, candidates=None, exclude=None):
    """Mean over users of the ROC AUC of their scores: P(a relevant song outscores an irrelevant one).

    Ties count one half; users without both a relevant and an irrelevant allowed item are skipped. A
    random recommender has an expected AUC of 0.5, a perfect one 1.

    Args:
        scores: ``(n_users, n_items)`` scores; ``-inf`` (an item masked out) is allowed, as everywhere in
            the recommend modules.
        relevant: boolean ``(n_users, n_items)``, the items to find.
        candidates: boolean per item, the pool ranked (as in :func:`~.ranking.hit_rate_at_k`); None: all.
        exclude: boolean per user × item, items removed for that user; None: none.

    Returns:
        The mean AUC, a float in [0, 1].

    Raises:
        ValueError: no user has both a relevant and an irrelevant allowed item.

    Example:
        >>> mean_auc([[0.9, 0.1, 0.5], [0.2, 0.2, 0.1]], [[1, 0, 0], [1, 0, 0]])    # 1 and (1 + 0.5) / 2
        0.875
        >>> mean_auc([[0.9, -np.inf, 0.5]], [[1, 0, 0]])                          # a masked item ranks last
        1.0
    """
    from scipy.stats import rankdata

    from cnnkit.metrics import roc_auc

    scores = check_scores(scores)
    relevant, allowed, users = _relevant_allowed(relevant, scores.shape, candidates, exclude)
    aucs = []
    for u in users:
        s, r = scores[u, allowed[u]], relevant[u, allowed[u]]
        if r.all():
            continue
        # the course's by-hand AUC (ties count one half) on the scores' ranks, which keep their order and ties
        # and are finite: -inf ("never recommend this one") is the lowest rank
        aucs.append(roc_auc(r.astype(np.int64), rankdata(s)))
    if not aucs:
        raise ValueError("no user has both a relevant and an irrelevant allowed item: AUC is undefined")
    return float(np.mean(aucs))


@contract(scores=SCORES, relevant=RELEVANT, k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE, seed=Seed())
def map_at_k(scores, relevant, *, k=10, candidates=None, exclude=None, seed=0):
    """Mean average precision at ``k``: the mean over users of AP@k = Σᵢ P(i)·relᵢ / min(r, k).

    ``P(i)`` is the precision of the top ``i``, ``relᵢ`` whether item ``i`` is relevant, ``r`` the
    user's relevant allowed items.

    Args:
        scores: ``(n_users, n_items)`` scores (``-inf`` allowed).
        relevant: boolean ``(n_users, n_items)``, the items to find.
        k: the length of each user's list.
        candidates: boolean per item, the pool ranked (as in :func:`~.ranking.hit_rate_at_k`); None: all.
        exclude: boolean per user × item, items removed for that user; None: none.
        seed: an int, ``SeedSequence`` or ``Generator`` breaking ties at random.

    Returns:
        The mAP@k, a float in [0, 1].

    Example:
        >>> map_at_k([[0.9, 0.8, 0.1]], [[1, 0, 1]], k=3)         # (1/1 + 2/3) / 2
        0.8333333333333333
    """
    scores = check_scores(scores)
    k = check_int(k, "k", low=1)
    relevant, allowed, users = _relevant_allowed(relevant, scores.shape, candidates, exclude)
    k = min(k, scores.shape[1])
    top = _rank(scores[users], allowed[users], k, seed)
    hits = np.take_along_axis(relevant[users], top, axis=1) & np.take_along_axis(allowed[users], top, axis=1)
    precision = np.cumsum(hits, axis=1) / np.arange(1, k + 1)
    ap = (precision * hits).sum(axis=1) / np.minimum(relevant[users].sum(axis=1), k)
    return float(ap.mean())


@contract(scores=Mapping(Str(), SCORES).describe("a non-empty dict {name: score matrix}"), relevant=RELEVANT,
          k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE, seed=Seed())
def compare_on_pool(scores, relevant, *, k=10, candidates=None, exclude=None, seed=0):
    """A table of recommenders evaluated on one pool: hit rate@k, lift over random, mean AUC.

    Args:
        scores: ``{name: (n_users, n_items) scores}``, one entry per recommender (``-inf`` allowed).
        relevant: boolean ``(n_users, n_items)``, the held-out songs to find (e.g. from
            :func:`~.histories.leave_one_out`).
        k: the length of each user's list, the same for every row.
        candidates: boolean per item, the pool ranked (as in :func:`~.ranking.hit_rate_at_k`); None: all.
        exclude: boolean per user × item, items removed for that user; None: none.
        seed: an int, ``SeedSequence`` or ``Generator`` breaking ties at random.

    Returns:
        A ``pandas.DataFrame`` indexed by name, with a first row ``"random (expected)"`` (the closed form
        :func:`~.ranking.random_hit_rate`, lift 1, AUC 0.5), columns ``hit_rate``, ``lift`` (hit rate /
        random's) and ``auc`` (:func:`mean_auc`); ``table.attrs["pool"]`` is the mean number of candidates
        per evaluated user.

    Example:
        >>> relevant = np.eye(4, dtype=bool)                         # user u looks for song u
        >>> table = compare_on_pool({"perfect": np.eye(4), "worst": -np.eye(4)}, relevant, k=1)
        >>> table.round(2)["lift"].to_dict()
        {'random (expected)': 1.0, 'perfect': 4.0, 'worst': 0.0}
    """
    import pandas as pd

    if not isinstance(scores, dict) or not scores:
        raise TypeError(f"scores must be a non-empty dict {{name: score matrix}}, got {type(scores).__name__}")
    relevant = np.asarray(relevant)
    if relevant.ndim != 2:
        raise ValueError(f"relevant must be a (n_users, n_items) boolean matrix, got shape {relevant.shape}")
    chance = random_hit_rate(relevant, k=k, candidates=candidates, exclude=exclude)
    rows = {"random (expected)": (chance, 1.0, 0.5)}
    for name, s in scores.items():
        if np.shape(s) != relevant.shape:
            raise ValueError(f"scores[{name!r}] must have the shape of relevant {relevant.shape}, got {np.shape(s)}")
        hit = hit_rate_at_k(s, relevant, k=k, candidates=candidates, exclude=exclude, seed=seed)
        rows[name] = (hit, hit / chance, mean_auc(s, relevant, candidates=candidates, exclude=exclude))
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["hit_rate", "lift", "auc"])
    _, _, users = _relevant_allowed(relevant, relevant.shape, candidates, exclude)
    table.attrs["pool"] = float(_allowed(relevant.shape, candidates, exclude)[users].sum(axis=1).mean())
    return table


@contract(plays=PLAYS, n_users=Int(low=1) | None)
def popularity_scores(plays, *, n_users=None):
    """The "most popular" recommender: every user scores a song by its number of listeners in ``plays``.

    A song nobody played scores 0: a new release has no popularity yet.

    Args:
        plays: ``(n_users, n_songs)`` play counts.
        n_users: the rows of the result (None: as many as ``plays``).

    Returns:
        A float array ``(n_users, n_songs)``, every row the same.

    Example:
        >>> popularity_scores([[1, 0, 3], [2, 0, 0]]).tolist()
        [[2.0, 0.0, 1.0], [2.0, 0.0, 1.0]]
    """
    plays = check_plays(plays)
    n_users = plays.shape[0] if n_users is None else check_int(n_users, "n_users", low=1)
    return np.tile((plays > 0).sum(axis=0).astype(float), (n_users, 1))


@contract(plays=PLAYS, song_genres=Labels())
def genre_scores(plays, song_genres):
    """The genre-tag recommender: a user scores a song by the share of their played songs in its genre.

    A new release's genre tag is known on release day, so this needs no audio and no plays of the candidates.

    Args:
        plays: ``(n_users, n_songs)`` play counts.
        song_genres: one integer genre tag per song.

    Returns:
        A float array ``(n_users, n_songs)``.

    Raises:
        ValueError: ``song_genres`` does not hold one tag per song, or its range would not fit in memory.

    Example:
        >>> genre_scores([[1, 1, 0, 0], [0, 0, 0, 5]], [0, 0, 1, 1]).tolist()
        [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]
    """
    plays = check_plays(plays)
    genres = np.asarray(song_genres)
    if genres.shape != (plays.shape[1],) or not np.issubdtype(genres.dtype, np.integer) or genres.min() < 0:
        raise ValueError(f"song_genres must hold one non-negative integer tag per song ({plays.shape[1]}), "
                         f"got shape {genres.shape} and dtype {genres.dtype}")
    n_genres = int(genres.max()) + 1
    check_size(8.0 * 2 * (len(genres) + plays.shape[0]) * n_genres, "song_genres", f"labels up to {n_genres - 1}",
               "the per-genre matrices")
    onehot = np.zeros((len(genres), n_genres))                      # (n_songs, n_genres)
    onehot[np.arange(len(genres)), genres] = 1.0
    per_genre = (plays > 0).astype(float) @ onehot
    share = per_genre / np.maximum(per_genre.sum(axis=1, keepdims=True), 1)
    return share @ onehot.T


@contract(counts=Array(ndim=1, low=0).describe("a 1-D array of non-negative counts"))
def gini(counts):
    """The Gini index of how often each item was recommended: 0 = all items equally, → 1 = one item only.

    Unlike coverage ("was it recommended to anyone?"), it keeps measuring concentration once every
    item has been recommended at least once (Fleder & Hosanagar 2009).

    Args:
        counts: how often each item was recommended (non-negative, not all 0, no NaN).

    Returns:
        The Gini index, a float in [0, 1).

    Raises:
        ValueError: every count is 0.

    Example:
        >>> gini([5, 5, 5, 5]), round(gini([0, 0, 0, 20]), 2)
        (0.0, 0.75)
    """
    x = np.sort(np.asarray(counts, dtype=float))
    if x.ndim != 1 or len(x) == 0 or (x < 0).any() or x.sum() == 0:
        raise ValueError("counts must be a non-empty 1-D array of non-negative counts, not all 0")
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))

