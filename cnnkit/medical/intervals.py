"""Intervals a reviewer accepts: the percentile bootstrap, by eye or by patient, for one model or a difference.

- :func:`bootstrap_interval` resamples **items** (eyes), or **clusters** with ``groups=`` (patients: both eyes
  of a person, or several photos of one eye, go in and out of a resample together, so a correlated pair does
  not count as two independent witnesses);
- :func:`bootstrap_difference` puts two models on the **same** resampled eyes and bootstraps the difference of
  their scores (ΔAUC, Δκ): the test of "A beats B", not "each seed of A lies above B's interval".

Each returns a :class:`cnnkit.metrics.Interval`, a ``(value, low, high)`` tuple that also says how it was made.
The t interval of a mean over a few training seeds (or of paired per-seed differences) is
:func:`cnnkit.metrics.seed_interval`, which returns the same type::

    >>> from cnnkit import metrics
    >>> y, a, b = [0, 1, 2, 2, 3, 4] * 10, [0, 1, 2, 1, 3, 4] * 10, [0, 0, 2, 1, 2, 4] * 10
    >>> value, low, high = bootstrap_interval(metrics.accuracy, y, a, n_boot=200, seed=0)
    >>> round(value, 3), low < value < high
    (0.833, True)
    >>> d = bootstrap_difference(metrics.accuracy, y, a, b, n_boot=200, seed=0)
    >>> round(d.value, 3), d.low > 0                      # A is right more often, on the same eyes
    (0.333, True)
"""
import numpy as np

from cnnkit._checks import Array, Callable_, Fraction, Int, Seed, check_seed, contract
from cnnkit.metrics import Interval

__all__ = ["bootstrap_difference", "bootstrap_interval"]


def _aligned(arrays, groups):
    arrays = [np.asarray(a) for a in arrays]
    if not arrays or any(len(a) != len(arrays[0]) for a in arrays) or len(arrays[0]) == 0:
        raise ValueError("arrays must be one or more non-empty arrays of the same length")
    if groups is None:
        return arrays, None
    groups = np.asarray(groups)
    if groups.shape != (len(arrays[0]),):
        raise ValueError(f"groups must hold one id per item ({len(arrays[0])}), got shape {groups.shape}")
    _, member = np.unique(groups, return_inverse=True)
    return arrays, member.reshape(-1)


def _resample(rng, n, member):
    """Indices of one bootstrap resample: ``n`` items, or as many groups as there are, each with all its items."""
    if member is None:
        return rng.integers(0, n, n)
    k = member.max() + 1
    order = np.argsort(member, kind="stable")
    starts = np.r_[0, np.cumsum(np.bincount(member, minlength=k))]
    drawn = rng.integers(0, k, k)
    return np.concatenate([order[starts[g]:starts[g + 1]] for g in drawn])


@contract(statistic=Callable_(), arrays=Array(ndim=(1, 2), finite=False, nan=True, numeric=False),
          groups=Array(ndim=1, numeric=False) | None, n_boot=Int(low=1), level=Fraction(allow_zero=False),
          seed=Seed())
def bootstrap_interval(statistic, *arrays, groups=None, n_boot=1000, level=0.95, seed=0):
    """A statistic and its percentile-bootstrap interval, by item or by group (cluster bootstrap).

    Args:
        statistic: ``statistic(*arrays)`` returns one number (e.g. ``metrics.roc_auc``).
        *arrays: aligned per item (labels, predictions, scores), resampled together.
        groups: one id per item (a patient, an eye): whole groups are drawn with replacement, as many as
            there are, so items of one group stay together. None: items are drawn one by one.
        n_boot: how many resamples.
        level: the interval's coverage, in (0, 1): 0.95 gives the 2.5th and 97.5th percentiles.
        seed: an int, ``SeedSequence`` or ``Generator``.

    Returns:
        A :class:`cnnkit.metrics.Interval` ``(value, low, high)``; its ``dropped`` counts the resamples on which the
        statistic was undefined (it raised ``ValueError`` or gave NaN, e.g. no referable eye drawn),
        which are left out.

    Raises:
        ValueError: the arrays differ in length or are empty, or the statistic is undefined on every resample.

    Example:
        >>> y, p = np.array([0, 1] * 20), np.array([0, 1] * 20)
        >>> p[:4] = 1 - p[:4]                                  # 4 of 40 wrong
        >>> ci = bootstrap_interval(lambda a, b: float(np.mean(a == b)), y, p, groups=np.arange(40) // 2, seed=0)
        >>> ci.value, ci.method, ci.low < 0.9 < ci.high
        (0.9, 'bootstrap by group', True)
    """
    arrays, member = _aligned(arrays, groups)
    rng = check_seed(seed)
    value = float(statistic(*arrays))
    n, values = len(arrays[0]), []
    for _ in range(n_boot):
        idx = _resample(rng, n, member)
        try:
            v = float(statistic(*(a[idx] for a in arrays)))
        except ValueError:
            continue
        if np.isfinite(v):
            values.append(v)
    if not values:
        raise ValueError(f"the statistic was undefined on every one of the {n_boot} bootstrap resamples")
    low, high = np.percentile(values, [50 * (1 - level), 50 * (1 + level)])
    return Interval(value, low, high, level=level, method=f"bootstrap by {'item' if member is None else 'group'}",
                    n_boot=n_boot, dropped=n_boot - len(values))


@contract(statistic=Callable_(), y_true=Array(ndim=1, finite=False, numeric=False),
          pred_a=Array(ndim=(1, 2), finite=False), pred_b=Array(ndim=(1, 2), finite=False),
          groups=Array(ndim=1, numeric=False) | None, n_boot=Int(low=1), level=Fraction(allow_zero=False),
          seed=Seed())
def bootstrap_difference(statistic, y_true, pred_a, pred_b, *, groups=None, n_boot=1000, level=0.95, seed=0):
    """``statistic(y_true, pred_a) − statistic(y_true, pred_b)`` and its bootstrap interval on shared resamples.

    Both models are scored on the **same** resampled eyes in every resample, so what the eyes have in common
    (a hard eye is hard for both) cancels, and the interval is that of the difference itself. An interval
    that excludes 0 says A and B differ on eyes like these; one that straddles 0 says the test set cannot
    tell them apart. (Over a few training seeds, one score per seed and model, the difference's interval is
    Student's t instead: :func:`cnnkit.metrics.paired_difference`.)

    Args:
        statistic: ``statistic(y_true, predictions)`` returns one number (AUC, kappa, sensitivity…).
        y_true: the labels, one per eye.
        pred_a: model A's predictions or scores, aligned with ``y_true``.
        pred_b: model B's, aligned with ``y_true`` (the same eyes; e.g. the same eyes photographed by
            another camera, for an external test).
        groups: patient ids for a cluster bootstrap (see :func:`bootstrap_interval`), or None.
        n_boot: how many resamples.
        level: the interval's coverage, in (0, 1).
        seed: an int, ``SeedSequence`` or ``Generator``.

    Returns:
        A :class:`cnnkit.metrics.Interval` of the difference A − B.

    Example:
        >>> from cnnkit import metrics
        >>> y = np.array([0, 0, 1, 1] * 15)
        >>> a, b = np.array([0.1, 0.4, 0.35, 0.8] * 15), np.array([0.5, 0.4, 0.3, 0.6] * 15)
        >>> d = bootstrap_difference(metrics.roc_auc, y, a, b, n_boot=300, seed=1)
        >>> round(d.value, 3), round(metrics.roc_auc(y, a) - metrics.roc_auc(y, b), 3)
        (0.25, 0.25)
    """
    y_true, pred_a, pred_b = (np.asarray(v) for v in (y_true, pred_a, pred_b))
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError(f"y_true, pred_a and pred_b must be aligned, got lengths {len(y_true)}, {len(pred_a)}, "
                         f"{len(pred_b)}")
    return bootstrap_interval(lambda y, a, b: statistic(y, a) - statistic(y, b), y_true, pred_a, pred_b,
                              groups=groups, n_boot=n_boot, level=level, seed=seed)
