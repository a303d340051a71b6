"""Graders who disagree: simulated grading noise, a reference standard from several graders, and the κ ceiling.

The synthetic grades are exact: the generator drew the lesions. Real labels come from people, who confuse
neighbouring grades (most often by missing a microaneurysm: Krause et al. 2018), so the label a model is
scored against is itself noisy, and even a perfect model cannot reach κ = 1 against it. This module

- builds a grader's confusion between neighbouring grades (:func:`neighbour_confusion`),
- draws independent graders' reads of every eye (:func:`simulate_graders`),
- combines them into a reference standard, the median read (:func:`median_grade`; with three graders it is
  the majority grade whenever two agree),
- and computes, without sampling, the quadratic κ that a perfect model (the true grades) would score against
  one grader or against the median of several (:func:`kappa_ceiling`): the ceiling the labels impose.

    >>> confusion = neighbour_confusion(0.2)
    >>> confusion[0].round(2).tolist(), confusion[2].round(2).tolist()      # an edge grade and a middle one
    ([0.9, 0.1, 0.0, 0.0, 0.0], [0.0, 0.1, 0.8, 0.1, 0.0])
    >>> reads = simulate_graders([0, 2, 4, 2], confusion, n_graders=3, seed=0)
    >>> reads.shape, median_grade(reads).shape
    ((4, 3), (4,))
"""
import itertools

import numpy as np

from cnnkit._checks import Array, Fraction, Int, Labels, Seed, check_seed, contract
from cnnkit._checks.labels import check_labels
from cnnkit.medical.grades import N_GRADES

__all__ = ["kappa_ceiling", "median_grade", "neighbour_confusion", "simulate_graders"]


@contract(p=Fraction(allow_one=True), n_grades=Int(low=2))
def neighbour_confusion(p, *, n_grades=N_GRADES):
    """A grader's confusion matrix: each true grade is read as a neighbouring grade with probability ``p``.

    Half of ``p`` goes to the grade below and half to the grade above; at the ends of the scale only one
    neighbour exists, so those grades are misread with probability ``p / 2``.

    Args:
        p: the chance of misreading a middle grade as a neighbour, in [0, 1].
        n_grades: how many grades (5 for the international clinical DR scale).

    Returns:
        An ``n_grades × n_grades`` row-stochastic matrix: ``C[true, read]``.

    Example:
        >>> neighbour_confusion(0.5, n_grades=3).tolist()
        [[0.75, 0.25, 0.0], [0.25, 0.5, 0.25], [0.0, 0.25, 0.75]]
    """
    c = np.zeros((n_grades, n_grades))
    for k in range(n_grades):
        if k > 0:
            c[k, k - 1] = p / 2
        if k < n_grades - 1:
            c[k, k + 1] = p / 2
        c[k, k] = 1 - c[k].sum()
    return c


def _confusion(confusion):
    c = np.asarray(confusion, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] != c.shape[1] or (c < 0).any() or not np.allclose(c.sum(axis=1), 1):
        raise ValueError(f"confusion must be a square matrix whose rows are probabilities (sum to 1), got "
                         f"shape {c.shape}")
    return c


@contract(grades=Labels(), confusion=Array(ndim=2, low=0, high=1), n_graders=Int(low=1), seed=Seed())
def simulate_graders(grades, confusion, *, n_graders=3, seed=0):
    """Independent graders' reads of each eye: grader ``j`` reads eye ``i`` as ``k`` with ``confusion[grades[i], k]``.

    Args:
        grades: the true grade of each eye.
        confusion: the K × K grader confusion matrix (e.g. :func:`neighbour_confusion`); K above every grade.
        n_graders: how many graders read every eye.
        seed: an int, ``SeedSequence`` or ``Generator``.

    Returns:
        An N × ``n_graders`` int array of reads.

    Example:
        >>> simulate_graders([0, 4], neighbour_confusion(0.0), n_graders=2).tolist()     # perfect graders
        [[0, 0], [4, 4]]
    """
    grades = check_labels(grades, "grades")
    c = _confusion(confusion)
    if grades.max() >= len(c):
        raise ValueError(f"confusion has {len(c)} grades but grades go up to {int(grades.max())}")
    rng = check_seed(seed)
    cumulative = np.cumsum(c, axis=1)
    draws = rng.random((len(grades), n_graders))
    reads = (draws[..., None] > cumulative[grades][:, None, :]).sum(axis=-1)
    return np.minimum(reads, len(c) - 1).astype(np.int64)


@contract(reads=Array(ndim=2, integer=True, low=0))
def median_grade(reads):
    """The reference grade of each eye from several graders' reads: the median (lower median for an even count).

    With three graders the median is the grade two of them agree on, and the middle read when all three
    differ: a majority decision on an ordered scale (Gulshan et al. 2016 used the majority decision of at
    least 7 ophthalmologists; Krause et al. 2018 an adjudicated consensus of retinal specialists).

    Args:
        reads: an N × G array of integer grades (one column per grader).

    Returns:
        N int grades.

    Example:
        >>> median_grade([[1, 1, 3], [0, 2, 4], [2, 3, 3]]).tolist()
        [1, 2, 3]
    """
    reads = np.sort(np.asarray(reads, dtype=np.int64), axis=1)
    return reads[:, (reads.shape[1] - 1) // 2].copy()


def _kappa_of_joint(joint):
    """Quadratic κ of a K × K joint distribution of (rater A, rater B)."""
    k = len(joint)
    w = (np.arange(k)[:, None] - np.arange(k)[None, :]) ** 2
    chance = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return float(1 - (w * joint).sum() / (w * chance).sum())


@contract(prevalence=Array(ndim=1, low=0), confusion=Array(ndim=2, low=0, high=1), n_graders=Int(low=1, high=7))
def kappa_ceiling(prevalence, confusion, *, n_graders=1):
    """The quadratic κ a perfect model scores against a noisy reference: the true grades against the reference.

    Exact, not simulated: with ``n_graders`` independent graders of confusion ``C`` and the reference their
    median (:func:`median_grade`), the reference's confusion ``R[t, r]`` is summed over every combination of
    reads, and κ is computed from the joint distribution ``prevalence[t] · R[t, r]``: the value the κ of a
    large sample approaches.

    Args:
        prevalence: the share of eyes of each true grade (K numbers, normalised here).
        confusion: the K × K confusion of one grader.
        n_graders: how many graders the median is taken over (1 to 7).

    Returns:
        A float: κ(true grades, reference).

    Example:
        >>> round(kappa_ceiling([0.5, 0.1, 0.25, 0.05, 0.1], neighbour_confusion(0.0)), 3)      # exact graders
        1.0
        >>> one, three = (kappa_ceiling([0.5, 0.1, 0.25, 0.05, 0.1], neighbour_confusion(0.3), n_graders=g)
        ...               for g in (1, 3))
        >>> bool(one < three < 1)                               # three graders' median is a better reference
        True
    """
    c = _confusion(confusion)
    prior = np.asarray(prevalence, dtype=np.float64)
    if prior.shape != (len(c),) or prior.sum() <= 0:
        raise ValueError(f"prevalence must hold one share per grade ({len(c)}), not all zero, got {prevalence!r}")
    prior = prior / prior.sum()
    k = len(c)
    reference = np.zeros((k, k))
    for combo in itertools.product(range(k), repeat=n_graders):
        r = sorted(combo)[(n_graders - 1) // 2]
        reference[:, r] += np.prod(c[:, combo], axis=1)
    return _kappa_of_joint(prior[:, None] * reference)
