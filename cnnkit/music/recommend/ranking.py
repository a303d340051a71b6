"""Ranking and its metrics: top-k lists, hit rate and recall at k, the random baseline, popularity bias.

Ties are broken in a seeded random order, so a recommender that scores everything equal is
exactly random, and :func:`random_hit_rate` is its expected hit rate:

    >>> import numpy as np
    >>> relevant = np.random.default_rng(0).random((2000, 30)) < 0.1
    >>> measured = hit_rate_at_k(np.zeros((2000, 30)), relevant, k=3, seed=0)
    >>> bool(abs(measured - random_hit_rate(relevant, k=3)) < 0.03)
    True
"""
import numpy as np

from cnnkit._checks import Array, Fraction, Int, Seed, check_fraction, check_int, contract

from ._common import (CANDIDATES, EXCLUDE, PLAYS, RELEVANT, SCORES, TIE_STREAM, check_mask, check_plays, check_scores,
                      stream)


def _allowed(shape, candidates, exclude):
    """Items each user may be recommended: ``candidates`` (per item) and not ``exclude`` (per user × item)."""
    allowed = np.ones(shape, dtype=bool)
    if candidates is not None:
        allowed &= check_mask(candidates, "candidates", (shape[1],))[None, :]
    if exclude is not None:
        allowed &= ~check_mask(exclude, "exclude", shape)
    return allowed


def _rank(scores, allowed, k, seed):
    """Best-first item indices per row (allowed items first), ties in a seeded random order."""
    scores = np.where(allowed, scores, -np.inf)
    tie_break = stream(seed, TIE_STREAM).random(scores.shape)            # per-user random order
    return np.lexsort((tie_break, -scores), axis=1)[:, :k]


@contract(scores=SCORES, k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE, seed=Seed())
def top_k(scores, k=10, *, candidates=None, exclude=None, seed=0):
    """The ``k`` best-scored item indices per user, best first, shape ``(n_users, k)``.

    Args:
        scores: ``(n_users, n_items)`` scores (``-inf`` allowed, NaN refused).
        k: how many items per user; every user must keep at least ``k`` allowed items.
        candidates: boolean per item: the ranking is limited to those (e.g. the cold songs); None: all.
        exclude: boolean per user × item: items removed for that user (e.g. songs already played).
        seed: an int, ``SeedSequence`` or ``Generator`` breaking ties at random, so equal scores rank at random.

    Returns:
        An int array ``(n_users, k)``.

    Raises:
        ValueError: a user with fewer than ``k`` allowed items.

    Example:
        >>> top_k([[0.1, 0.9, 0.5]], k=2).tolist()
        [[1, 2]]
        >>> top_k([[0.1, 0.9, 0.5]], k=1, candidates=[True, False, True]).tolist()
        [[2]]
    """
    scores = check_scores(scores)
    k = check_int(k, "k", low=1)
    allowed = _allowed(scores.shape, candidates, exclude)
    fewest = int(allowed.sum(axis=1).min())
    if k > fewest:
        raise ValueError(f"k must be at most the number of allowed items per user ({fewest}), got {k}")
    return _rank(scores, allowed, k, seed)


def _relevant_allowed(relevant, shape, candidates, exclude):
    relevant = check_mask(relevant, "relevant", shape)
    allowed = _allowed(shape, candidates, exclude)
    relevant = relevant & allowed
    users = np.flatnonzero(relevant.any(axis=1))                         # users with something to find
    if len(users) == 0:
        raise ValueError("no user has a relevant item among the allowed candidates: nothing to evaluate")
    return relevant, allowed, users


def _hits(scores, relevant, k, candidates, exclude, seed):
    """Relevant items found in each evaluated user's top ``k`` allowed items, and how many there were.

    Only relevant items that are allowed count; users with none are skipped. A user with fewer
    than ``k`` allowed items simply gets a shorter list.
    """
    scores = check_scores(scores)
    k = check_int(k, "k", low=1)
    relevant, allowed, users = _relevant_allowed(relevant, scores.shape, candidates, exclude)
    top = _rank(scores[users], allowed[users], min(k, scores.shape[1]), seed)
    hits = np.take_along_axis(relevant[users], top, axis=1).sum(axis=1)
    return hits, relevant[users].sum(axis=1)


@contract(scores=SCORES, relevant=RELEVANT, k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE, seed=Seed())
def hit_rate_at_k(scores, relevant, *, k=10, candidates=None, exclude=None, seed=0):
    """Fraction of users (with ≥ 1 relevant allowed item) who find ≥ 1 relevant item in their top ``k``.

    Relevant items that are not allowed do not count, and users with none left are skipped.

    Args:
        scores: ``(n_users, n_items)`` scores (``-inf`` allowed).
        relevant: boolean ``(n_users, n_items)``, the items to find.
        k: the length of each user's list.
        candidates: boolean per item: the ranking is limited to those (e.g. the cold songs); None: all.
        exclude: boolean per user × item: items removed for that user (e.g. songs already played).
        seed: an int, ``SeedSequence`` or ``Generator`` breaking ties at random, so equal scores rank at random.

    Returns:
        The hit rate, a float in [0, 1].

    Raises:
        ValueError: no user has a relevant allowed item.

    Example:
        >>> hit_rate_at_k([[0.9, 0.1, 0.5], [0.2, 0.8, 0.1]], [[0, 0, 1], [0, 0, 1]], k=2)
        0.5
    """
    hits, _ = _hits(scores, relevant, k, candidates, exclude, seed)
    return float((hits > 0).mean())


@contract(scores=SCORES, relevant=RELEVANT, k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE, seed=Seed())
def recall_at_k(scores, relevant, *, k=10, candidates=None, exclude=None, seed=0):
    """Mean over users (with ≥ 1 relevant allowed item) of (relevant items in top ``k``) / (relevant items).

    Args:
        scores: as in :func:`hit_rate_at_k`.
        relevant: as in :func:`hit_rate_at_k`.
        k: as in :func:`hit_rate_at_k`.
        candidates: boolean per item: the ranking is limited to those (e.g. the cold songs); None: all.
        exclude: boolean per user × item: items removed for that user (e.g. songs already played).
        seed: an int, ``SeedSequence`` or ``Generator`` breaking ties at random, so equal scores rank at random.

    Returns:
        The mean recall, a float in [0, 1].

    Example:
        >>> recall_at_k([[0.9, 0.1, 0.5, 0.0]], [[1, 1, 0, 0]], k=2)
        0.5
    """
    hits, n_relevant = _hits(scores, relevant, k, candidates, exclude, seed)
    return float((hits / n_relevant).mean())


@contract(relevant=RELEVANT, k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE)
def random_hit_rate(relevant, *, k=10, candidates=None, exclude=None):
    """Expected hit rate@k of a recommender that ranks the allowed items at random (the honest baseline).

    For a user with ``n`` allowed items of which ``r`` are relevant, a random top ``k`` is a draw of
    ``k`` items without replacement, so the number of relevant ones found is hypergeometric and

        P(hit) = 1 - P(none found) = 1 - C(n - r, k) / C(n, k) = 1 - hypergeom.pmf(0, n, r, k)

    (``scipy.stats.hypergeom(M=n, n=r, N=k)``; ``k`` is capped at ``n``: a list of every allowed item
    always hits). The result is the mean over users with ``r ≥ 1``, the users :func:`hit_rate_at_k`
    evaluates.

    Args:
        relevant: boolean ``(n_users, n_items)``, the items to find.
        k: the length of each user's list.
        candidates: as in :func:`top_k`.
        exclude: as in :func:`top_k`.

    Returns:
        The expected hit rate, a float in [0, 1].

    Example:
        >>> random_hit_rate([[1, 0, 0, 0], [1, 1, 0, 0]], k=2)     # 1/2 and 1 - C(2, 2)/C(4, 2) = 5/6
        0.6666666666666667
    """
    from scipy.stats import hypergeom     # here: scipy.stats takes a moment to import

    relevant = np.asarray(relevant)
    if relevant.ndim != 2:
        raise ValueError(f"relevant must be a (n_users, n_items) boolean matrix, got shape {relevant.shape}")
    k = check_int(k, "k", low=1)
    relevant, allowed, users = _relevant_allowed(relevant, relevant.shape, candidates, exclude)
    r, n = relevant[users].sum(axis=1), allowed[users].sum(axis=1)
    return float((1 - hypergeom.pmf(0, n, r, np.minimum(k, n))).mean())


@contract(top_items=Array(integer=True, low=0, noun="song indices").describe("an array of song indices"), plays=PLAYS,
          head_fraction=Fraction(allow_zero=False), candidates=CANDIDATES)
def popularity_bias(top_items, plays, *, head_fraction=0.1, candidates=None):
    """How much a recommender favours already-popular songs, popularity being a song's listener count.

    A song's popularity is its number of *listeners* (users with at least one play in ``plays``,
    ``(n_users, n_songs)``), not its total plays: one fan replaying a song a hundred times does
    not make it popular. Every figure is relative to the songs the recommender chose from,
    ``candidates`` (boolean per song; default all): a pool that holds songs nobody has played (new
    releases) has a lower mean popularity than its played part, so dividing by the mean of every
    song would make a popularity-blind recommender of played songs look biased.

    Args:
        top_items: the recommended song indices (any shape, e.g. the ``(n_users, k)`` output of
            :func:`top_k`), all among the candidates.
        plays: ``(n_users, n_songs)`` play counts that define popularity.
        head_fraction: the share of the candidates, in (0, 1), that forms the "head" (the most listened).
        candidates: boolean per song, the pool the recommendations were drawn from; None: every song.

    Returns:
        A dict with ``head_share`` (the fraction of recommendations in the head; a popularity-blind
        recommender gets about ``head_fraction``), ``coverage`` (the fraction of candidates recommended
        to anyone) and ``popularity_lift`` (mean listeners of a recommended song / mean listeners of a
        candidate; about 1 for a popularity-blind recommender).

    Example:
        >>> plays = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [1, 0, 0, 9]])   # listeners 3, 1, 0, 1
        >>> popularity_bias([[0], [0], [3]], plays, head_fraction=0.25)
        {'head_share': 0.6666666666666666, 'coverage': 0.5, 'popularity_lift': 1.8666666666666667}
        >>> round(popularity_bias([[0], [0], [3]], plays, head_fraction=0.25, candidates=[1, 1, 0, 1])["popularity_lift"], 3)
        1.4
    """
    plays = check_plays(plays)
    n_songs = plays.shape[1]
    top_items = np.asarray(top_items)
    if top_items.size == 0 or top_items.dtype == bool or not np.issubdtype(top_items.dtype, np.integer):
        raise TypeError(f"top_items must be a non-empty array of song indices (integers), got "
                        f"{top_items.dtype} of shape {top_items.shape}")
    if top_items.min() < 0 or top_items.max() >= n_songs:
        raise ValueError(f"top_items must be song indices in 0..{n_songs - 1}, got values in "
                         f"{top_items.min()}..{top_items.max()}")
    head_fraction = check_fraction(head_fraction, "head_fraction", allow_zero=False)
    pool = np.ones(n_songs, dtype=bool) if candidates is None else check_mask(candidates, "candidates", (n_songs,))
    if not pool[top_items].all():
        raise ValueError("top_items must all be candidates: the figures are relative to the pool they came from")
    listeners = (plays > 0).sum(axis=0)
    if listeners[pool].sum() == 0:
        raise ValueError("no candidate song has a listener in plays: popularity is undefined")
    members = np.flatnonzero(pool)
    n_head = max(1, int(round(head_fraction * len(members))))
    head = np.zeros(n_songs, dtype=bool)
    head[members[np.argsort(-listeners[members], kind="stable")[:n_head]]] = True
    return {"head_share": float(head[top_items].mean()),
            "coverage": float(len(np.unique(top_items)) / len(members)),
            "popularity_lift": float(listeners[top_items].mean() / listeners[pool].mean())}
