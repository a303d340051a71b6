"""Intervals a reviewer accepts: the percentile bootstrap, by eye or by patient, for one model or a difference.

- :func:`bootstrap_interval` resamples **items** (eyes), or **clusters** with ``groups=`` (patients: both eyes
  of a person, or several photos of one eye, go in and out of a resample together, so a correlated pair does
  not count as two independent witnesses);
- :func:`paired_difference` puts two models on the **same** resampled eyes and bootstraps the difference of
  their scores (ΔAUC, Δκ): the test of "A beats B", not "each seed of A lies above B's interval";
- :func:`seed_interval` is the t interval of a mean over a few training seeds (paired seeds: pass the
  per-seed differences).

Each returns an :class:`Interval`, a ``(value, low, high)`` tuple that also says how it was made::

    >>> from cnnkit import metrics
    >>> y, a, b = [0, 1, 2, 2, 3, 4] * 10, [0, 1, 2, 1, 3, 4] * 10, [0, 0, 2, 1, 2, 4] * 10
    >>> value, low, high = bootstrap_interval(metrics.accuracy, y, a, n_boot=200, seed=0)
    >>> round(value, 3), low < value < high
    (0.833, True)
    >>> d = paired_difference(metrics.accuracy, y, a, b, n_boot=200, seed=0)
    >>> round(d.value, 3), d.low > 0                      # A is right more often, on the same eyes
    (0.333, True)
"""
import numpy as np

from cnnkit._checks import Any_, Array, Callable_, Fraction, Int, Number, Seed, Str, check_seed, contract

__all__ = ["Interval", "bootstrap_interval", "paired_difference", "seed_interval"]


@contract(value=Number(finite=False), low=Number(finite=False), high=Number(finite=False),
          level=Fraction(allow_zero=False), method=Str(), n_boot=Int(low=1) | None, dropped=Int(low=0))
class Interval(tuple):
    """A statistic and its interval, ``(value, low, high)``, with how it was made.

    Unpacks as three numbers (``value, low, high = interval``); the attributes say the rest.

    Args:
        value: the statistic on the data as they are (NaN allowed).
        low: the interval's lower end.
        high: the interval's upper end.
        level: the coverage, in (0, 1).
        method: how it was made (``"bootstrap by item"``, ``"bootstrap by group"``, ``"t over seeds"``).
        n_boot: resamples drawn (None for a t interval).
        dropped: resamples on which the statistic was undefined and which were left out (e.g. no referable
            eye drawn).

    Example:
        >>> interval = Interval(0.8, 0.7, 0.9, level=0.95, method="bootstrap by item", n_boot=1000, dropped=3)
        >>> interval.low, interval.dropped, interval
        (0.7, 3, Interval(0.8 [0.7, 0.9], 95 % bootstrap by item, 3 of 1000 resamples undefined))
    """

    def __new__(cls, value, low, high, *, level, method, n_boot=None, dropped=0):
        self = super().__new__(cls, (float(value), float(low), float(high)))
        self.level, self.method, self.n_boot, self.dropped = level, method, n_boot, dropped
        return self

    value = property(lambda self: self[0], doc="the statistic on the data as they are")
    low = property(lambda self: self[1], doc="the interval's lower end")
    high = property(lambda self: self[2], doc="the interval's upper end")

    def __repr__(self):
        made = f"{self.level:.0%}".replace("%", " %") + f" {self.method}"
        if self.n_boot is not None:
            made += f", {self.dropped} of {self.n_boot} resamples undefined"
        return f"Interval({self.value:.4g} [{self.low:.4g}, {self.high:.4g}], {made})"

    def __reduce__(self):
        return (_rebuild, (tuple(self), self.level, self.method, self.n_boot, self.dropped))


def _rebuild(values, level, method, n_boot, dropped):
    return Interval(*values, level=level, method=method, n_boot=n_boot, dropped=dropped)


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
        An :class:`Interval` ``(value, low, high)``; its ``dropped`` counts the resamples on which the
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
def paired_difference(statistic, y_true, pred_a, pred_b, *, groups=None, n_boot=1000, level=0.95, seed=0):
    """``statistic(y_true, pred_a) − statistic(y_true, pred_b)`` and its bootstrap interval on shared resamples.

    Both models are scored on the **same** resampled eyes in every resample, so what the eyes have in common
    (a hard eye is hard for both) cancels, and the interval is that of the difference itself. An interval
    that excludes 0 says A and B differ on eyes like these; one that straddles 0 says the test set cannot
    tell them apart.

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
        An :class:`Interval` of the difference A − B.

    Example:
        >>> from cnnkit import metrics
        >>> y = np.array([0, 0, 1, 1] * 15)
        >>> a, b = np.array([0.1, 0.4, 0.35, 0.8] * 15), np.array([0.5, 0.4, 0.3, 0.6] * 15)
        >>> d = paired_difference(metrics.roc_auc, y, a, b, n_boot=300, seed=1)
        >>> round(d.value, 3), round(metrics.roc_auc(y, a) - metrics.roc_auc(y, b), 3)
        (0.25, 0.25)
    """
    y_true, pred_a, pred_b = (np.asarray(v) for v in (y_true, pred_a, pred_b))
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError(f"y_true, pred_a and pred_b must be aligned, got lengths {len(y_true)}, {len(pred_a)}, "
                         f"{len(pred_b)}")
    return bootstrap_interval(lambda y, a, b: statistic(y, a) - statistic(y, b), y_true, pred_a, pred_b,
                              groups=groups, n_boot=n_boot, level=level, seed=seed)


@contract(values=Array(ndim=1), level=Fraction(allow_zero=False), baseline=Any_(
    "a number or one per seed, checked in the body against the values' length", example=None))
def seed_interval(values, *, level=0.95, baseline=None):
    """The mean over training seeds and its t interval (ddof = 1), of the values or of ``values − baseline``.

    With a few seeds the spread of a mean is estimated from the seeds themselves, so the interval uses
    Student's t with ``n − 1`` degrees of freedom: with 3 seeds it is ±4.30 standard errors wide, not ±1.96.
    Pass ``baseline`` (one number per seed, e.g. the other method trained with the same seeds) to get the
    interval of the paired difference.

    Args:
        values: one number per seed (at least 2).
        level: the interval's coverage, in (0, 1).
        baseline: None, one number, or one number per seed to subtract first.

    Returns:
        An :class:`Interval` ``(mean, low, high)`` (method ``"t over seeds"``).

    Example:
        >>> ci = seed_interval([0.84, 0.86, 0.78])
        >>> round(ci.value, 3), round(ci.low, 3), round(ci.high, 3)
        (0.827, 0.723, 0.93)
    """
    from scipy import stats

    values = np.asarray(values, dtype=np.float64)
    if baseline is not None:
        base = np.asarray(baseline, dtype=np.float64)
        if base.ndim > 1 or (base.ndim == 1 and base.shape != values.shape) or not np.all(np.isfinite(base)):
            raise ValueError(f"baseline must be a finite number or one per seed ({len(values)}), got {baseline!r}")
        values = values - base
    if len(values) < 2:
        raise ValueError(f"values must hold at least 2 seeds for a spread, got {len(values)}")
    mean, sem = values.mean(), values.std(ddof=1) / np.sqrt(len(values))
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * sem
    return Interval(mean, mean - half, mean + half, level=level, method=f"t over {len(values)} seeds")
