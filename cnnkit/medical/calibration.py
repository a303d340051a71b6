"""Calibration: does ``p(grade ≥ 2) = 0.3`` mean that 30 % of such eyes are referable?

- :func:`reliability_curve`: the eyes binned by predicted probability, and in each bin the mean prediction
  against the observed share of positives (the reliability diagram; sklearn's ``calibration_curve`` plus
  the bin counts);
- :func:`expected_calibration_error`: the bins' gaps ``|observed − predicted|`` averaged with the bins'
  shares of eyes (ECE; 0 is perfectly calibrated);
- :func:`shift_priors`: Bayes' rule for a change of class frequencies (Saerens et al. 2002). A network
  trained with class weights, or on a set richer in disease than the screened population, outputs
  probabilities for the frequencies it was trained at; ``p'_k ∝ p_k · new_k / old_k`` moves them to another.

    >>> y, p = [0, 0, 1, 1, 1], [0.1, 0.3, 0.6, 0.8, 0.9]
    >>> curve = reliability_curve(y, p, n_bins=2)
    >>> curve.observed.tolist(), curve.predicted.round(2).tolist(), curve.counts.tolist()
    ([0.0, 1.0], [0.2, 0.77], [2, 3])
    >>> round(expected_calibration_error(y, p, n_bins=2), 3)    # (2·0.2 + 3·0.233) / 5
    0.22
"""
from dataclasses import dataclass

import numpy as np

from cnnkit._checks import Array, Choice, Int, Labels, contract
from cnnkit._checks.labels import check_labels_and_scores

__all__ = ["ReliabilityCurve", "expected_calibration_error", "reliability_curve", "shift_priors"]

_ROUNDING = 1e-5                                     # how far past [0, 1] a probability may stray by rounding


@contract(predicted=Array(ndim=1, low=0, high=1, empty=True), observed=Array(ndim=1, low=0, high=1, empty=True),
          counts=Array(ndim=1, integer=True, low=0, empty=True), edges=Array(ndim=1))
@dataclass(frozen=True)
class ReliabilityCurve:
    """The non-empty bins of a reliability diagram, in increasing order of prediction.

    Args:
        predicted: the mean predicted probability of each bin's items.
        observed: the share of each bin's items that are positive.
        counts: how many items each bin holds.
        edges: the ``n_bins + 1`` bin edges.

    Example:
        >>> curve = reliability_curve([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2)
        >>> curve.predicted.tolist(), curve.observed.tolist(), curve.counts.tolist()
        ([0.2, 0.75], [0.0, 1.0], [2, 2])
    """

    predicted: np.ndarray
    observed: np.ndarray
    counts: np.ndarray
    edges: np.ndarray


def _binned(y_true, prob, n_bins, strategy):
    y_true, prob = check_labels_and_scores(y_true, prob)
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError(f"y_true must be binary 0/1, got labels {np.unique(y_true).tolist()} (binarise first, "
                         "e.g. grading.referable(grades))")
    if prob.min() < -_ROUNDING or prob.max() > 1 + _ROUNDING:
        raise ValueError(f"prob must be probabilities in [0, 1], got [{prob.min():g}, {prob.max():g}]")
    prob = np.clip(prob, 0.0, 1.0)                  # a sum of float32 probabilities can pass 1 by a rounding error
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    else:  # equal counts, as sklearn's "quantile"
        edges = np.percentile(prob, np.linspace(0, 100, n_bins + 1))
    # sklearn's rule: bins are (low, high], the first one [0, high]: the bin is the number of inner edges < p
    which = np.searchsorted(edges[1:-1], prob, side="left")
    return y_true, prob, which, edges


@contract(y_true=Labels(high=1), prob=Array(ndim=1, low=-_ROUNDING, high=1 + _ROUNDING), n_bins=Int(low=1),
          strategy=Choice("uniform", "quantile"))
def reliability_curve(y_true, prob, *, n_bins=10, strategy="uniform"):
    """Observed share of positives against the mean prediction, per bin of predicted probability.

    Args:
        y_true: 0/1 labels (e.g. ``grading.referable(grades)``).
        prob: predicted probabilities of the positive class, in [0, 1].
        n_bins: how many bins.
        strategy: ``"uniform"`` (equal widths on [0, 1]) or ``"quantile"`` (equal counts), as in
            ``sklearn.calibration.calibration_curve``.

    Returns:
        A :class:`ReliabilityCurve` of the non-empty bins: ``observed`` and ``predicted`` equal sklearn's
        ``calibration_curve(y_true, prob, n_bins=n_bins, strategy=strategy)``.

    Example:
        >>> curve = reliability_curve([0, 1, 1, 0], [0.05, 0.95, 0.85, 0.15], n_bins=5)
        >>> curve.observed.tolist(), curve.counts.tolist(), curve.edges[:2].tolist()
        ([0.0, 1.0], [2, 2], [0.0, 0.2])
    """
    y_true, prob, which, edges = _binned(y_true, prob, n_bins, strategy)
    counts = np.bincount(which, minlength=n_bins)
    sums = np.bincount(which, weights=prob, minlength=n_bins)
    positives = np.bincount(which, weights=y_true, minlength=n_bins)
    full = counts > 0
    return ReliabilityCurve(sums[full] / counts[full], positives[full] / counts[full], counts[full], edges)


@contract(y_true=Labels(high=1), prob=Array(ndim=1, low=-_ROUNDING, high=1 + _ROUNDING), n_bins=Int(low=1),
          strategy=Choice("uniform", "quantile"))
def expected_calibration_error(y_true, prob, *, n_bins=10, strategy="uniform"):
    """Expected calibration error: ``Σ_b (n_b / N) · |observed_b − predicted_b|`` over the bins of
    :func:`reliability_curve` (Naeini et al. 2015; Guo et al. 2017).

    0 means every bin's predictions match its observed frequency. It depends on the binning, and on a few
    hundred eyes its own sampling error is a few hundredths: give it an interval
    (:func:`cnnkit.medical.bootstrap_interval`).

    Args:
        y_true: 0/1 labels.
        prob: predicted probabilities of the positive class, in [0, 1].
        n_bins: how many bins.
        strategy: ``"uniform"`` or ``"quantile"``.

    Returns:
        A float in [0, 1].

    Example:
        >>> expected_calibration_error([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])      # right on average
        0.0
        >>> expected_calibration_error([0, 0, 0, 0], [0.9, 0.9, 0.9, 0.9])      # overconfident
        0.9
    """
    curve = reliability_curve(y_true, prob, n_bins=n_bins, strategy=strategy)
    return float(np.sum(curve.counts * np.abs(curve.observed - curve.predicted)) / curve.counts.sum())


def _priors(values, name, k):
    p = np.asarray(values, dtype=np.float64)
    if p.shape != (k,) or not np.all(np.isfinite(p)) or (p < 0).any() or p.sum() <= 0:
        raise ValueError(f"{name} must be {k} non-negative class frequencies (one per column of probabilities), "
                         f"not all zero, got {values!r}")
    return p / p.sum()


@contract(probabilities=Array(ndim=2, low=-_ROUNDING, high=1 + _ROUNDING), old=Array(ndim=1, low=0), new=Array(ndim=1, low=0))
def shift_priors(probabilities, *, old, new):
    """Class probabilities moved from the class frequencies ``old`` to ``new`` by Bayes' rule.

    A classifier's output is ``p(k | x) ∝ p(x | k) · old_k``; the same eye in a population with frequencies
    ``new`` has ``p'(k | x) ∝ p(x | k) · new_k ∝ p(k | x) · new_k / old_k`` (Saerens, Latinne & Decaestecker
    2002). Use it for a network trained with class weights (its effective frequencies are the weighted
    ones) and for a screening population with less disease than the training set. It assumes the pictures
    of each grade look the same in both populations (a prior shift, not a camera shift).

    Args:
        probabilities: N × K rows of class probabilities (each row sums to 1).
        old: the K class frequencies the probabilities are calibrated to (need not sum to 1).
        new: the K class frequencies of the target population.

    Returns:
        N × K probabilities (rows sum to 1).

    Example:
        >>> shift_priors([[0.5, 0.5]], old=[0.5, 0.5], new=[0.9, 0.1]).round(2).tolist()
        [[0.9, 0.1]]
    """
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 0.0, 1.0)
    if p.shape[1] < 2:
        raise ValueError(f"probabilities must be N × K with K ≥ 2 classes, got shape {p.shape}")
    old, new = _priors(old, "old", p.shape[1]), _priors(new, "new", p.shape[1])
    if ((old == 0) & (new > 0)).any():
        raise ValueError("old gives a class frequency 0 that new does not: its probabilities cannot be rescaled")
    ratio = np.divide(new, old, out=np.zeros_like(new), where=old > 0)
    moved = p * ratio
    total = moved.sum(axis=1, keepdims=True)
    if (total <= 0).any():
        raise ValueError("a row of probabilities puts all its mass on classes that new gives frequency 0")
    return moved / total
