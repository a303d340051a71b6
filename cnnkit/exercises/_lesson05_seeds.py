"""Lesson 05's seed comparison (plumbing of :mod:`cnnkit.exercises.lesson05`, which publishes it): the paired
interval of two networks' accuracies over the same seeds, and ``q4``, which checks it against the usual mistakes.

Import these from ``lesson05`` (their public home, where the contract sweep and the reference name them)::

    >>> from cnnkit.exercises import lesson05 as ex
    >>> ex.paired_interval is paired_interval and ex.paired_filters is paired_filters
    True
"""
import numbers

import numpy as np

from cnnkit._checks import Int, Mapping, Seq, contract
from cnnkit._checks import Number as _Number
from cnnkit.exercises._core import Exercise


def _published(func):
    """Name ``func`` by its public home, ``lesson05`` (as NumPy's ``set_module`` does)."""
    func.__module__ = "cnnkit.exercises.lesson05"
    return func


@_published
@contract(a=Seq(_Number(), min_len=2), b=Seq(_Number(), min_len=2))
def paired_interval(a, b):
    """The 95 % t interval of the mean of ``a − b`` over paired seeds (ddof = 1): ``(low, high)``.

    Args:
        a: one accuracy per seed.
        b: one accuracy per seed, seed for seed.

    Returns:
        ``(low, high)``, as :func:`cnnkit.metrics.paired_difference` gives.

    Example:
        >>> [round(v, 3) for v in paired_interval([0.8, 0.85, 0.9], [0.7, 0.8, 0.82])]
        [0.014, 0.139]
    """
    from cnnkit.metrics import paired_difference

    return paired_difference(a, b)[1:]


def _intervals_wrong(a, b):
    """The plausible wrong intervals: population std, the normal quantile, unpaired, reversed."""
    from scipy import stats

    d = np.asarray(a, float) - np.asarray(b, float)
    n, t = len(d), stats.t.ppf(0.975, len(d) - 1)
    se1, se0 = d.std(ddof=1) / np.sqrt(n), d.std(ddof=0) / np.sqrt(n)
    unpaired = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    return {"ddof": (d.mean() - t * se0, d.mean() + t * se0),
            "z": (d.mean() - 1.96 * se1, d.mean() + 1.96 * se1),
            "unpaired": (float(unpaired.low), float(unpaired.high)),
            "reversed": (-d.mean() - t * se1, -d.mean() + t * se1),
            "no sqrt": (d.mean() - t * d.std(ddof=1), d.mean() + t * d.std(ddof=1))}


_WRONG = {"ddof": "that used the population std (ddof = 0): with a few seeds, use std(ddof=1).",
          "z": "that used 1.96, the normal quantile: with n seeds, use Student's t with n − 1 degrees of freedom.",
          "unpaired": "that treats the two lists as independent: the seeds are paired, so take the per-seed "
                      "differences first.",
          "reversed": "that is the interval of (fewer − more): take (more filters − fewer filters).",
          "no sqrt": "the standard error divides the std by √n."}


@_published
@contract(results=Mapping(Int(low=1), Seq(_Number(), min_len=2)))
def paired_filters(results):
    """Exercise: the paired 95 % interval of (most filters − fewest filters) from the measured ``results``.

    Args:
        results: ``{filters: [validation accuracy per seed]}``, the seeds in the same order for each.

    Returns:
        The :class:`Exercise`.

    Example:
        >>> q = paired_filters({4: [0.64, 0.47, 0.52], 16: [0.70, 0.55, 0.57]})
        >>> q.check(paired_interval([0.70, 0.55, 0.57], [0.64, 0.47, 0.52]))
        ✓ Correct.
        True
    """
    table = {int(k): [float(v) for v in vals] for k, vals in results.items()}
    lengths = {len(v) for v in table.values()}
    if len(table) < 2 or len(lengths) != 1:
        raise ValueError("results must hold at least two filter counts with one accuracy per seed each, "
                         f"the same seeds for each; got {results!r}")
    more, fewer = max(table), min(table)
    right = paired_interval(table[more], table[fewer])
    wrong = _intervals_wrong(table[more], table[fewer])
    verdict = "excludes 0: a difference the seeds do not explain" if right[0] > 0 or right[1] < 0 else \
        "contains 0: these seeds cannot tell the two apart"

    def test(answer):
        if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__len__") or len(answer) != 2:
            return f"expected a pair (low, high), got {answer!r}."
        if any(isinstance(v, (str, bytes, bool, np.bool_)) or not isinstance(v, numbers.Real) for v in answer):
            return f"expected two numbers (low, high), got {answer!r}."
        got = tuple(float(v) for v in answer)
        close = lambda x, y: all(abs(p - q) <= 2e-3 for p, q in zip(x, y))       # noqa: E731  3 decimals
        if close(got, right):
            return None
        for key, interval in wrong.items():
            if close(got, interval):
                return _WRONG[key]
        return "d = more − fewer per seed; mean(d) ± t · std(d, ddof=1) / √n, t = stats.t.ppf(0.975, n − 1)."

    lines = [f"{k:>3} filters: " + ", ".join(f"{v:.3f}" for v in table[k]) for k in sorted(table)]
    return Exercise(
        f"Paired seeds: section 7 trained {more} and {fewer} filters with the same seeds. Compute the 95 % interval "
        f"of the mean difference ({more} − {fewer} filters) in validation accuracy from the per-seed differences "
        f"(ddof = 1, Student's t), by hand with NumPy and scipy.stats.t.ppf; answer (low, high). Does it exclude 0?",
        test=test,
        hint="Subtract seed by seed, then mean ± t · std(ddof=1) / √n with t = scipy.stats.t.ppf(0.975, n − 1).",
        solution="\n".join(
            [f"d = np.array(results[3, {more}]) - np.array(results[3, {fewer}])",
             "half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))",
             "answer = (d.mean() - half, d.mean() + half)",
             f"# per seed:  {' | '.join(lines)}",
             f"# answer = ({right[0]:.3f}, {right[1]:.3f}): it {verdict}."]),
    )
