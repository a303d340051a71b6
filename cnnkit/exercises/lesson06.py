"""Exercises of lesson 06 (transfer learning), checked by ``check()``.

The first answer depends on the notebook's network, so the notebook calls :func:`setup` with its settings; the
module's own ``q1``–``q3`` are built for the CPU defaults::

    >>> from cnnkit.exercises import lesson06 as ex
    >>> _ = ex.setup(filters=16, n_classes=2)
    >>> ex.q1.check((66, 16_656))
    ✓ Correct.
    True
    >>> ex.q2.check("bc")
    ✓ Correct.
    True
"""
import numbers

import numpy as np

from cnnkit._checks import Array, Int, contract
from cnnkit.exercises._core import Exercise, letters

__all__ = ["q1", "q2", "q3", "setup", "clouds", "cut_at_block2", "frechet_distance"]


def _conv_block(c_in, c_out):
    """The weights of one block of two 3×3 convolutions: (3·3·c_in + 1)·c_out + (3·3·c_out + 1)·c_out."""
    return (9 * c_in + 1) * c_out + (9 * c_out + 1) * c_out


def _whole_pair(answer, what):
    if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__len__") or len(answer) != 2:
        return None, f"expected a pair ({what}), got {answer!r}."
    out = []
    for v in answer:
        if isinstance(v, (str, bytes, bool, np.bool_)) or not isinstance(v, numbers.Real) or float(v) != round(float(v)):
            return None, f"expected two whole numbers ({what}), got {answer!r}."
        out.append(int(round(float(v))))
    return tuple(out), None


@contract(filters=Int(low=1), n_classes=Int(low=2))
def cut_at_block2(*, filters, n_classes):
    """Exercise: the trainable and the frozen weights of a new head on ``block2_pool``'s features.

    Args:
        filters: block 1's filters in the pretrained network (block 2 has twice as many).
        n_classes: the target task's classes.

    Returns:
        The :class:`Exercise`.

    Example:
        >>> q = cut_at_block2(filters=16, n_classes=2)
        >>> q.check((66, 16_656))                              # (32 + 1) · 2 trained, blocks 1 + 2 frozen
        ✓ Correct.
        True
        >>> q.check((16_656, 66))
        ✗ Not yet: the two are swapped: (trainable, frozen).
        False
    """
    c2 = 2 * filters
    head = (c2 + 1) * n_classes
    frozen = _conv_block(3, filters) + _conv_block(filters, c2)
    block3_head = (2 * c2 + 1) * n_classes

    def test(answer):
        got, problem = _whole_pair(answer, "trainable, frozen")
        if problem:
            return problem
        if got == (head, frozen):
            return None
        if got == (frozen, head):
            return "the two are swapped: (trainable, frozen)."
        if got[0] == block3_head:
            return f"that is the head on block3_pool ({2 * c2} maps); block2_pool has {c2}."
        if got[0] == c2 * n_classes:
            return "each class score has a bias too: (maps + 1) · classes."
        if got[0] == head and got[1] != frozen:
            return (f"the head is right; the frozen part is blocks 1 and 2 only (two convolutions each): "
                    f"(3·3·3 + 1)·{filters} + (3·3·{filters} + 1)·{filters} + …")
        if got[0] > head * 4:
            return "global average pooling turns each map into one number before the head: no flatten."
        return f"the head sees one number per map of block2_pool ({c2} maps) and has one bias per class."

    return Exercise(
        f"Cut earlier: put the new head (global average pooling → class scores, {n_classes} classes) on "
        f"block2_pool's features instead of block3_pool's. How many weights does it train, and how many stay "
        f"frozen? Answer (trainable, frozen); count by hand, then check with models.transfer.",
        test=test,
        hint="Block 2 outputs 2 · FILTERS maps. The frozen part is everything up to block2_pool: blocks 1 and 2.",
        solution=(f"early = models.feature_extractor(base, 'block2_pool')\n"
                  f"net = models.transfer(early, {n_classes})\n"
                  f"trainable = sum(int(np.prod(w.shape)) for w in net.trainable_weights)\n"
                  f"answer = (trainable, net.count_params() - trainable)\n"
                  f"print(answer)   # ({head}, {frozen:,}): ({c2} + 1) · {n_classes} and blocks 1 + 2"),
    )


_PARTS = {"a": "the kernels of block 1 in the copy the model trains",
          "b": "the kernels of block 3 in that copy",
          "c": "the new class_scores layer",
          "d": "the kernels of `features`, the network you passed in"}


def _letters(value):
    return letters(value, _PARTS)


def _trainable_test(answer):
    got = _letters(answer)
    if got is None:
        return 'expected letters from a, b, c, d, e.g. "ad" or ["a", "d"].'
    problems = []
    if "a" in got:
        problems.append("(a) stays frozen: trainable_from='block3_conv1' unfreezes block 3 and everything after it")
    if "b" not in got:
        problems.append("(b) changes: block 3 is unfrozen, so fit() updates its kernels")
    if "c" not in got:
        problems.append("(c) changes: the new head always trains")
    if "d" in got:
        problems.append("(d) stays as it was: models.transfer builds on a copy of the backbone (copy_backbone=True)")
    return None if not problems else "; ".join(problems) + "."


q2 = Exercise(
    "Fine-tuning: you build step2 = models.transfer(features, n, trainable_from='block3_conv1') and fit it. Which "
    "of these change? (a) " + _PARTS["a"] + "; (b) " + _PARTS["b"] + "; (c) " + _PARTS["c"] + "; (d) "
    + _PARTS["d"] + ". Answer the letters, e.g. \"ad\".",
    test=_trainable_test,
    hint="trainable_from unfreezes that layer and every later one; and models.transfer copies the backbone.",
    solution=('answer = "bc"\n'
              "# Block 3 and the head train; blocks 1 and 2 stay frozen; and because models.transfer builds on a copy,\n"
              "# the features model you passed in is untouched (section 5 checks every kernel it names)."),
)


@contract(a=Array(ndim=2), b=Array(ndim=2))
def frechet_distance(a, b):
    """The Fréchet distance between two clouds of feature vectors, each summarised by its mean and covariance.

    ``‖μ_a − μ_b‖² + trace(Σ_a + Σ_b − 2 (Σ_a Σ_b)^½)``: the formula of the FID (Heusel et al. 2017), here on a
    network's pooled features. 0 for two clouds with the same mean and covariance. The cross term is computed as
    ``trace((Σ_a^½ Σ_b Σ_a^½)^½)``, equal to ``trace(scipy.linalg.sqrtm(Σ_a Σ_b))`` and exact for singular
    covariances too.

    Args:
        a: N×D features of one set of images.
        b: M×D features of another (same D).

    Returns:
        The distance, a float ≥ 0.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(500, 3))
        >>> round(frechet_distance(x, x), 6), round(frechet_distance(x, x + [2.0, 0, 0]), 3)
        (0.0, 4.0)
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must have the same number of features, got {a.shape[1]} and {b.shape[1]}")
    mean = a.mean(axis=0) - b.mean(axis=0)
    cov_a, cov_b = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    # trace((Σa Σb)^½) = trace((Σa^½ Σb Σa^½)^½): a symmetric matrix, so its eigenvalues are real and ≥ 0, which
    # stays exact where a feature never varies (a ReLU channel that never fires makes Σa singular)
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0, None)).sum()
    return float(max(0.0, mean @ mean + np.trace(cov_a) + np.trace(cov_b) - 2 * cross))


def _example_clouds():
    rng = np.random.default_rng(8)       # two clouds whose features correlate in opposite directions
    a = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.9], [0.9, 1.0]], 400)
    b = rng.multivariate_normal([1.0, -0.5], [[2.0, -1.2], [-1.2, 1.0]], 400)
    return a.astype(np.float32), b.astype(np.float32)


def _frechet_test(answer):
    if isinstance(answer, (str, bytes, bool, np.bool_)) or not (
            isinstance(answer, (numbers.Complex, np.ndarray)) or hasattr(answer, "__array__")) \
            or np.ndim(answer) != 0 or np.asarray(answer).dtype.kind not in "iufc":
        return f"expected one number, got {answer!r}."
    number = np.asarray(answer)
    if abs(number.imag) > 1e-6 * max(1.0, abs(number.real)):
        return "the answer has an imaginary part: sqrtm returns complex numbers, take the real part (.real)."
    value = float(number.real)
    a, b = _example_clouds()
    right = frechet_distance(a, b)
    close = lambda x: abs(value - x) <= 1e-3 * max(1.0, abs(x))       # noqa: E731
    if close(right):
        return None
    mean = a.mean(0) - b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    if close(float(mean @ mean)):
        return "that is only the means' part: add the covariances' part, trace(Σa + Σb − 2·sqrtm(Σa Σb))."
    if close(float(np.sqrt(mean @ mean))) or close(float(np.sqrt(right))):
        return "the Fréchet distance here is the squared form: no square root over the whole."
    if close(float(mean @ mean + np.trace(cov_a + cov_b))):
        return "the cross term is missing: subtract 2·trace(sqrtm(Σa Σb))."
    sd = a.std(axis=0) - b.std(axis=0)
    if close(float(mean @ mean + sd @ sd)):
        return "that treats the features as independent (stds only): use the full covariance matrices."
    from scipy import linalg

    roots = np.trace(linalg.sqrtm(cov_a) @ linalg.sqrtm(cov_b)).real
    if close(float(mean @ mean + np.trace(cov_a + cov_b) - 2 * roots)):
        return ("that is trace(sqrtm(Σa) · sqrtm(Σb)), which equals trace(sqrtm(Σa Σb)) only when the two matrices "
                "commute; these do not: take the square root of the product.")
    if close(float(mean @ mean + np.trace(cov_a + cov_b) - np.trace(linalg.sqrtm(cov_a @ cov_b)).real)):
        return "the cross term counts twice: − 2·trace(sqrtm(Σa Σb))."
    biased_a, biased_b = np.cov(a, rowvar=False, bias=True), np.cov(b, rowvar=False, bias=True)
    if close(float(mean @ mean + np.trace(biased_a + biased_b - 2 * linalg.sqrtm(biased_a @ biased_b).real))):
        return "that divides the covariances by n (bias=True, ddof = 0): np.cov's default divides by n − 1."
    return "‖μa − μb‖² + trace(Σa + Σb − 2·sqrtm(Σa Σb)), with np.cov(…, rowvar=False) and scipy.linalg.sqrtm."


q3 = Exercise(
    "The Fréchet distance by hand: for the two clouds a, b = ex.clouds() (400 points each, 2 features), compute "
    "‖μa − μb‖² + trace(Σa + Σb − 2·(Σa Σb)^½) with NumPy (np.cov with rowvar=False) and scipy.linalg.sqrtm. "
    "Then check it against ex.frechet_distance(a, b), the function section 4 uses.",
    test=_frechet_test,
    hint="Means with a.mean(axis=0); covariances with np.cov(a, rowvar=False); the matrix square root is "
         "scipy.linalg.sqrtm (take its real part).",
    solution=("from scipy import linalg\n"
              "a, b = ex.clouds()\n"
              "mean = a.mean(axis=0) - b.mean(axis=0)\n"
              "cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)\n"
              "answer = mean @ mean + np.trace(cov_a + cov_b - 2 * linalg.sqrtm(cov_a @ cov_b).real)\n"
              "print(answer, ex.frechet_distance(a, b))"),
)


@contract()
def clouds():
    """The two 2-D feature clouds of exercise 3: ``(a, b)``, 400 × 2 float32 each.

    Returns:
        ``(a, b)``.

    Example:
        >>> a, b = clouds()
        >>> a.shape, b.shape
        ((400, 2), (400, 2))
    """
    return _example_clouds()


@contract(filters=Int(low=1), n_classes=Int(low=2))
def setup(*, filters=16, n_classes=2):
    """Build ``q1`` for the notebook's network; returns the module.

    Args:
        filters: block 1's filters of the pretrained network.
        n_classes: the target task's classes.

    Returns:
        This module, with ``q1`` rebuilt.

    Example:
        >>> ex = setup(filters=8, n_classes=3)
        >>> ex.q1.check((51, 4296))                            # (16 + 1) · 3 trained; blocks 1 + 2 frozen
        ✓ Correct.
        True
        >>> _ = setup()                                        # back to the defaults
    """
    import sys

    module = sys.modules[__name__]
    module.q1 = cut_at_block2(filters=filters, n_classes=n_classes)
    return module


q1 = None
setup()
