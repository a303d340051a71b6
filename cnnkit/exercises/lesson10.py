"""Exercises of lesson 10 (music recommendation), checked by ``check()``; made from the notebook's settings::

    >>> from cnnkit.exercises import lesson10
    >>> lesson10.random_hit_rate(n_candidates=115, k=10).check(0.087)
    ✓ Correct.
    True
    >>> lesson10.lift(hit_rate=0.47, n_candidates=115, k=10).check(5.4)
    ✓ Correct.
    True
"""
from cnnkit._checks import check_int, check_number
from cnnkit.exercises._core import Exercise

__all__ = ["lift", "random_hit_rate"]


def random_hit_rate(*, n_candidates, k):
    """Exercise: the hit rate@k of a random ranking, one relevant song among ``n_candidates``."""
    n, k = check_int(n_candidates, "n_candidates", low=1), check_int(k, "k", low=1)
    expected = min(k, n) / n
    return Exercise(
        f"A user has {n} candidate songs, one of which is the hidden song, and a random recommender shows {k} of them. "
        f"What is the probability that the hidden song is among them (three decimals)? "
        f"Check with rec.random_hit_rate.",
        expected=expected, rtol=0, atol=6e-4,
        hint=f"Every candidate is equally likely to be in the random top {k}.",
        solution=(f"print(round({k} / {n}, 3))   # {expected:.3f}\n"
                  f"relevant = np.zeros((1, {n}), bool); relevant[0, 0] = True\n"
                  f"print(rec.random_hit_rate(relevant, k={k}))"),
    )


def lift(*, hit_rate, n_candidates, k):
    """Exercise: a hit rate's lift over random on a pool of ``n_candidates`` (one relevant song each)."""
    hit = check_number(hit_rate, "hit_rate", low=0, high=1)
    n, k = check_int(n_candidates, "n_candidates", low=1), check_int(k, "k", low=1)
    expected = hit / (min(k, n) / n)
    return Exercise(
        f"A recommender finds the hidden song in its top {k} for {hit:.0%} of the users, each ranking {n} candidates. "
        f"What is its lift over random (one decimal)?",
        expected=expected, rtol=0, atol=0.051,
        hint="Lift = hit rate ÷ the random recommender's hit rate on the same pool.",
        solution=f"print(round({hit} / ({k} / {n}), 1))   # {expected:.1f}",
    )
