"""How sure a number is: Wilson's interval for an accuracy, Student's t for a mean over seeds or a paired difference.

These are defined here, once, and published by :mod:`cnnkit.metrics` (their one public home, as scikit-learn's
``sklearn.metrics`` publishes its private ``_classification`` module): import them from there. The applications
use the same objects (:mod:`cnnkit.music.evaluation` re-exports :func:`wilson_interval` and :func:`seed_interval`;
the bootstrap intervals of :mod:`cnnkit.medical.intervals` return an :class:`Interval`).
"""
import numpy as np

from cnnkit._checks import Any_, Array, Fraction, Int, Labels, Number, Str, contract
from cnnkit._checks.labels import check_label_pair as _pair


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
        method: how it was made (``"bootstrap by item"``, ``"bootstrap by group"``, ``"t over 3 seeds"``).
        n_boot: resamples drawn (None for a t interval).
        dropped: resamples on which the statistic was undefined and which were left out (e.g. no referable
            eye drawn).

    Example:
        >>> interval = Interval(0.8, 0.7, 0.9, level=0.95, method="bootstrap by item", n_boot=1000, dropped=3)
        >>> interval.low, interval.dropped, interval
        (0.7, 3, Interval(0.8 [0.7, 0.9], 95 % bootstrap by item, 3 of 1000 resamples undefined))
        >>> value, low, high = interval                    # a tuple of three floats
        >>> value, tuple(interval) == (0.8, 0.7, 0.9)
        (0.8, True)
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


@contract(successes=Int(low=0), n=Int(low=1), level=Fraction(allow_zero=False))
def wilson_interval(successes, n, *, level=0.95):
    """Wilson's score interval for a proportion: ``successes`` right out of ``n`` independent items.

    It is the set of proportions ``p`` that the observed share ``p̂ = successes / n`` does not reject at
    ``level``: the roots of ``(p̂ − p)² = z² p (1 − p) / n``. Unlike the Wald interval ``p̂ ± z √(p̂(1 − p̂)/n)``
    it stays inside [0, 1] and keeps its coverage near 0 and 1 (an accuracy of 300 / 300 still gets an interval).
    Count independent items: songs, not the slices cut from them; patients, not both eyes of each.

    Args:
        successes: how many of the ``n`` items were right (0..n).
        n: how many items were scored.
        level: the coverage, in (0, 1).

    Returns:
        ``(low, high)``; the same as
        ``scipy.stats.binomtest(successes, n).proportion_ci(level, method="wilson")``.

    Raises:
        ValueError: when ``successes > n``.

    Example:
        >>> [round(v, 3) for v in wilson_interval(227, 300)]      # 75.7 % of 300 test images
        [0.705, 0.802]
        >>> [round(v, 3) for v in wilson_interval(300, 300)]
        [0.987, 1.0]
    """
    from scipy.stats import norm

    if successes > n:
        raise ValueError(f"successes must be at most n = {n}, got {successes}")
    z = float(norm.ppf(0.5 + level / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if successes == 0 else max(0.0, centre - half)     # the ends are exact at 0 and n
    high = 1.0 if successes == n else min(1.0, centre + half)
    return float(low), float(high)


@contract(y_true=Labels(), y_pred=Labels(), level=Fraction(allow_zero=False))
def accuracy_interval(y_true, y_pred, *, level=0.95):
    """An accuracy and its Wilson interval: ``(accuracy, low, high)``, each test item counted once.

    Args:
        y_true: the true labels, one per item.
        y_pred: the predicted labels (same length).
        level: the interval's coverage, in (0, 1).

    Returns:
        ``(accuracy, low, high)``, see :func:`wilson_interval`.

    Example:
        >>> [round(v, 3) for v in accuracy_interval([0, 1, 2, 2], [0, 1, 1, 2])]
        [0.75, 0.301, 0.954]
    """
    y_true, y_pred, _ = _pair(y_true, y_pred)
    right = int(np.sum(y_true == y_pred))
    return (right / len(y_true), *wilson_interval(right, len(y_true), level=level))


@contract(values=Array(ndim=1), level=Fraction(allow_zero=False), baseline=Any_(
    "a number or one per seed, checked in the body against the values' length", example=None))
def seed_interval(values, *, level=0.95, baseline=None):
    """The mean over training seeds and its t interval (ddof = 1), of the values or of ``values − baseline``.

    With a few seeds the spread of a mean is estimated from the seeds themselves, so the interval uses
    Student's t with ``n − 1`` degrees of freedom: ``mean ± t · std(ddof=1) / √n``, with 3 seeds ±4.30
    standard errors wide at 95 %, not ±1.96. Pass ``baseline`` (one number per seed, e.g. the other method
    trained with the same seeds) to get the interval of the paired difference.

    Args:
        values: one number per seed (at least 2).
        level: the interval's coverage, in (0, 1).
        baseline: None, one number, or one number per seed to subtract first.

    Returns:
        An :class:`Interval` ``(mean, low, high)`` (method ``"t over n seeds"``), as ``scipy.stats.t.interval``
        gives.

    Raises:
        ValueError: fewer than 2 values, or a baseline that is neither one number nor one per seed.

    Example:
        >>> ci = seed_interval([0.84, 0.86, 0.78])
        >>> round(ci.value, 3), round(ci.low, 3), round(ci.high, 3)
        (0.827, 0.723, 0.93)
        >>> mean, low, high = seed_interval([0.84, 0.86, 0.78], baseline=[0.80, 0.83, 0.79])
        >>> round(mean, 3), low < 0 < high                 # the paired difference spans 0
        (0.02, True)
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


@contract(a=Array(ndim=1), b=Array(ndim=1), level=Fraction(allow_zero=False))
def paired_difference(a, b, *, level=0.95):
    """The mean of ``a − b`` over paired runs (the same seeds) and its Student-t interval.

    Pairing removes what the two runs of one seed share (the same split, the same initial draw), so the
    interval is that of the per-seed differences: :func:`seed_interval` of ``a`` with ``baseline=b``,
    ``mean ± t · std(ddof=1) / √n``, ``t`` the quantile for ``n − 1`` degrees of freedom (4.30 for three seeds
    at 95 %). An interval that excludes 0 is a difference the seeds cannot explain; one that spans 0 is not a
    finding. (For the difference of a statistic between two models on resampled test items, see
    :func:`cnnkit.medical.bootstrap_difference`.)

    Args:
        a: one score per seed for the first model.
        b: one score per seed for the second model, seed for seed (same length, at least 2).
        level: the coverage, in (0, 1).

    Returns:
        ``(mean, low, high)`` of the differences ``a − b``, a tuple of three floats.

    Raises:
        ValueError: when ``a`` and ``b`` differ in length or hold fewer than two runs.

    Example:
        >>> [round(v, 3) for v in paired_difference([0.80, 0.85, 0.90], [0.70, 0.80, 0.82])]
        [0.077, 0.014, 0.139]
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if len(a) != len(b):
        raise ValueError(f"a and b must hold one score per seed, seed for seed; got {len(a)} and {len(b)}")
    if len(a) < 2:
        raise ValueError(f"a and b must hold at least two runs each for an interval, got {len(a)}")
    return tuple(seed_interval(a, level=level, baseline=b))
