"""Users are the sample: per-user hits and a bootstrap interval of the lift over random, paired across recommenders.

A hit rate is a mean over users, so its uncertainty comes from *which* users you happened to test.
:func:`user_hits` keeps each user's result (hit or not, and a random top k's chance of a hit);
:func:`bootstrap_lift` resamples the users with replacement, the same resamples for every recommender,
and reads each lift (hit rate ÷ random's) and each difference of lifts off the resampled values
(a percentile interval). Pairing matters: two recommenders scored on the same users share those users'
difficulty, so their difference is far less noisy than either lift.

    >>> import numpy as np
    >>> hits = {"good": np.r_[np.ones(30), np.zeros(70)], "blind": np.r_[np.ones(10), np.zeros(90)]}
    >>> table = bootstrap_lift(hits, np.full(100, 0.1), reference="blind", n_boot=500, seed=0)
    >>> table.round(3).loc["good", ["lift", "diff"]].tolist()              # 0.3 / 0.1, and 3 - 1
    [3.0, 2.0]
    >>> bool(table.loc["good", "diff_low"] > 0)                             # the lead is not the users' noise
    True
"""
import numpy as np

from cnnkit._checks import Array, Fraction, Int, Mapping, Seed, Str, check_seed, contract

from ._common import CANDIDATES, EXCLUDE, RELEVANT, SCORES, check_scores
from .ranking import _rank, _relevant_allowed

__all__ = ["bootstrap_lift", "user_hits"]

#: a per-user value in [0, 1], NaN for a user with nothing to find
PER_USER = Array(ndim=1, finite=False, low=0, high=1).describe("a 1-D array of per-user values in [0, 1] (NaN allowed)")


@contract(scores=SCORES, relevant=RELEVANT, k=Int(low=1), candidates=CANDIDATES, exclude=EXCLUDE, seed=Seed())
def user_hits(scores, relevant, *, k=10, candidates=None, exclude=None, seed=0):
    """Each user's hit (a relevant item in their top ``k``) and a random top ``k``'s chance of one.

    The users, the ranking and its tie-breaking are those of :func:`~.ranking.hit_rate_at_k` and
    :func:`~.ranking.random_hit_rate`: ``np.nanmean`` of the two results gives exactly those two numbers.
    For a user with ``n`` allowed items of which ``r`` are relevant the chance is
    ``1 − C(n − r, k) / C(n, k)`` (``k / n`` for one relevant item).

    Args:
        scores: ``(n_users, n_items)`` scores (``-inf`` allowed).
        relevant: boolean ``(n_users, n_items)``, the items to find.
        k: the length of each user's list.
        candidates: boolean per item, the pool ranked; None: every item.
        exclude: boolean per user × item, items removed for that user; None: none.
        seed: an int, ``SeedSequence`` or ``Generator`` breaking ties at random (as in ``hit_rate_at_k``).

    Returns:
        ``(hits, chance)``: two float arrays of shape ``(n_users,)``; ``hits`` is 1.0 or 0.0, and both are
        NaN for a user with no relevant allowed item (not evaluated).

    Raises:
        ValueError: no user has a relevant allowed item.

    Example:
        >>> hits, chance = user_hits([[0.9, 0.1, 0.5], [0.2, 0.8, 0.1], [1, 1, 1]], [[0, 0, 1], [0, 0, 1], [0, 0, 0]], k=2)
        >>> hits.tolist(), chance.round(3).tolist()                           # 2 of 3 items: chance 2/3
        ([1.0, 0.0, nan], [0.667, 0.667, nan])
    """
    from scipy.stats import hypergeom     # here: scipy.stats takes a moment to import

    scores = check_scores(scores)
    relevant, allowed, users = _relevant_allowed(relevant, scores.shape, candidates, exclude)
    top = _rank(scores[users], allowed[users], min(k, scores.shape[1]), seed)
    hits = np.full(scores.shape[0], np.nan)
    hits[users] = np.take_along_axis(relevant[users], top, axis=1).any(axis=1)
    r, n = relevant[users].sum(axis=1), allowed[users].sum(axis=1)
    chance = np.full(scores.shape[0], np.nan)
    chance[users] = 1 - hypergeom.pmf(0, n, r, np.minimum(k, n))
    return hits, chance


@contract(hits=Mapping(Str(), PER_USER).describe("a non-empty dict {name: per-user hits}"), chance=PER_USER,
          reference=Str() | None, n_boot=Int(low=10), level=Fraction(allow_zero=False), seed=Seed())
def bootstrap_lift(hits, chance, *, reference=None, n_boot=2000, level=0.95, seed=0):
    """Each recommender's lift over random with a percentile-bootstrap interval over users, paired across rows.

    The lift of a set of users is ``mean(hits) / mean(chance)`` over them (the hit rate ÷ random's expected
    hit rate on the same pool). Each of ``n_boot`` resamples draws the users with replacement, **the same users
    for every recommender**, so a difference of two lifts is computed on shared users (paired).

    Args:
        hits: ``{name: per-user hits}``, each of shape ``(n_users,)`` with values in [0, 1] (a user's hit, or
            their mean over several held-out draws), NaN exactly where ``chance`` is NaN (users not evaluated).
        chance: per user, a random top k's probability of a hit (e.g. from :func:`user_hits`), > 0.
        reference: the name of a row to compare every row with (``diff`` = lift − the reference's lift), or None.
        n_boot: the number of bootstrap resamples (≥ 10; a few thousand for a stable 95 % interval).
        level: the interval's coverage, in (0, 1).
        seed: an int, ``SeedSequence`` or ``Generator`` for the resamples.

    Returns:
        A ``pandas.DataFrame`` indexed by name with columns ``lift``, ``low``, ``high`` and, with a
        ``reference``, ``diff``, ``diff_low``, ``diff_high``; ``attrs`` holds ``n_users``, ``n_boot``, ``level``.

    Raises:
        ValueError: arrays of different lengths or NaN in different users, a chance of 0, fewer than two
            users, or a ``reference`` that is not a key of ``hits``.

    Example:
        >>> table = bootstrap_lift({"a": [1, 0, 1, 0]}, [0.25, 0.25, 0.25, 0.25], n_boot=200, seed=0)
        >>> float(table.loc["a", "lift"]), bool(table.loc["a", "low"] < 2 < table.loc["a", "high"])
        (2.0, True)
    """
    import pandas as pd

    chance = np.asarray(chance, dtype=float)
    users = ~np.isnan(chance)
    names = list(hits)
    h = np.stack([np.asarray(hits[name], dtype=float) for name in names]) if all(
        np.shape(hits[name]) == chance.shape for name in names) else None
    if h is None:
        raise ValueError(f"hits must hold one value per user, as chance ({len(chance)}), for every name; got "
                         f"{ {name: np.shape(v) for name, v in hits.items()} }")
    if (np.isnan(h) != ~users[None, :]).any():
        raise ValueError("hits must be NaN exactly where chance is NaN (the users not evaluated)")
    if users.sum() < 2:
        raise ValueError(f"chance must hold at least two evaluated users (not NaN), got {int(users.sum())}")
    if (chance[users] == 0).any():
        raise ValueError("chance must be > 0 for every evaluated user: a lift over a chance of 0 is undefined")
    if reference is not None and reference not in hits:
        raise ValueError(f"reference must be one of the names in hits {names}, got {reference!r}")
    h, c, n = h[:, users], chance[users], int(users.sum())
    rng = check_seed(seed)
    lifts = np.empty((n_boot, len(names)))
    for start in range(0, n_boot, 256):                       # resample counts in blocks: bounded memory
        stop = min(start + 256, n_boot)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=stop - start).astype(float)
        lifts[start:stop] = (counts @ h.T) / (counts @ c)[:, None]
    tails = [50 * (1 - level), 50 * (1 + level)]
    point = h.mean(axis=1) / c.mean()
    low, high = np.percentile(lifts, tails, axis=0)
    table = pd.DataFrame({"lift": point, "low": low, "high": high}, index=names)
    if reference is not None:
        j = names.index(reference)
        table["diff"] = point - point[j]
        table["diff_low"], table["diff_high"] = np.percentile(lifts - lifts[:, [j]], tails, axis=0)
    table.attrs.update(n_users=n, n_boot=n_boot, level=level)
    return table
