"""Exercises of lesson 04 (dense layers, the loss, gradient descent, why images need convolutions).

In the notebook: ``from cnnkit.exercises import lesson04 as ex``, then ``ex.q1.check(answer);``::

    >>> from cnnkit.exercises import lesson04 as ex
    >>> ex.q1.check(-np.log(0.7))
    ✓ Correct.
    True
    >>> ex.q2.check(lambda w, g, lr: w - lr * g)
    ✓ Correct.
    True
    >>> ex.q3.check([1.46, 8.18])                       # two decimals, worked on paper
    ✓ Correct.
    True
    >>> ex.q4.check([4, 8])
    ✓ Correct.
    True
"""
import numbers

import numpy as np

from cnnkit._checks import Int, Number, contract
from cnnkit.exercises._core import Exercise

__all__ = ["q1", "q2", "q3", "q4", "gradient_steps", "aligned_shifts"]


def _number(answer, what):
    """``answer`` as a float, or a sentence saying why it is not a number (strings and bools are not).

    A NumPy or TensorFlow scalar counts (``-tf.math.log(0.7)``, a Keras loss): anything with ``__array__``.
    """
    if isinstance(answer, (str, bytes, bool, np.bool_)) or not (
            isinstance(answer, (numbers.Real, np.ndarray)) or hasattr(answer, "__array__")):
        return None, f"expected {what} as a number, got {answer!r} ({type(answer).__name__})."
    if np.asarray(answer).dtype.kind not in "iuf":
        return None, f"expected {what} as a number, got {answer!r} ({type(answer).__name__})."
    a = np.asarray(answer, dtype=float)
    if a.ndim != 0:
        return None, f"expected one number ({what}), got an array of shape {a.shape}."
    return float(a), None


def _cross_entropy_test(answer):
    value, problem = _number(answer, "the loss")
    if problem:
        return problem
    right = -np.log(0.7)
    if abs(value - right) <= 5e-4:
        return None
    if abs(value + right) <= 5e-4:
        return "that is log(0.7), which is negative: the loss is −log of the probability."
    if abs(value + np.log10(0.7)) <= 5e-4:
        return "that is −log₁₀(0.7): the cross-entropy uses the natural logarithm (np.log)."
    if any(abs(value + np.log(p)) <= 5e-4 for p in (0.1, 0.2)):
        return "that is −log of another class's probability: the true class is 1, whose probability is 0.7."
    return f"expected −log(p(true class)), to 3 decimals; got {value:g}."


q1 = Exercise(
    "Cross-entropy by hand: a network gives the probabilities [0.1, 0.7, 0.2] to one image whose true class is 1. "
    "What is its loss (natural logarithm, to at least 3 decimals)?",
    test=_cross_entropy_test,
    hint="The loss of one example is −log of the probability the network gives to the true class.",
    solution="answer = -np.log(0.7)\nprint(round(answer, 4))   # 0.3567",
)


def _check_sgd_step(answer):
    """None when ``answer(weights, gradients, learning_rate)`` is one plain gradient-descent update."""
    if not callable(answer):
        return f"expected a function sgd_step(weights, gradients, learning_rate), got {type(answer).__name__}."
    w = np.array([[0.5, -1.0], [2.0, 0.0]])
    g = np.array([[1.0, -2.0], [0.5, 4.0]])
    for lr in (0.1, 0.25):                     # two learning rates: a step that hard-codes 0.1 fails the second
        try:
            out = answer(w.copy(), g, lr)
        except Exception as error:  # noqa: BLE001  the learner's code: say what it raised
            return f"sgd_step raised {type(error).__name__}: {error}"
        if out is None or out is Ellipsis:
            return "sgd_step returns nothing yet: write its body so that it returns the new weights."
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            return f"sgd_step must return the new weights as an array, got {type(out).__name__}."
        expected = w - lr * g
        if out.shape != expected.shape:
            return f"sgd_step must return the new weights, shape {expected.shape}, got shape {out.shape}."
        if np.allclose(out, w + lr * g):
            return "the weights moved up the gradient: subtract learning_rate × gradient, don't add it."
        if np.allclose(out, -lr * g) or np.allclose(out, lr * g):
            return "that is the step, not the new weights: return weights − learning_rate × gradients."
        if np.allclose(out, w - g):
            return "the step ignores the learning rate: multiply the gradient by learning_rate."
        if lr != 0.1 and np.allclose(out, w - 0.1 * g):
            return "the step uses a fixed 0.1 whatever learning_rate is passed: use the argument."
        if not np.allclose(out, expected):
            return "the new weights should be weights − learning_rate × gradients."
    return None


q2 = Exercise(
    "Write sgd_step(weights, gradients, learning_rate) that returns the weights after one step of plain "
    "gradient descent (what SGD does for every weight of the network).",
    test=_check_sgd_step,
    hint="The gradient points to where the loss grows; step the other way, learning_rate times as far.",
    solution=("def sgd_step(weights, gradients, learning_rate):\n    return weights - learning_rate * gradients\n\n"
              "answer = sgd_step"),
)


@contract(learning_rate=Number(), steps=Int(low=1), start=Number())
def gradient_steps(learning_rate, *, steps=3, start=0.0):
    """``w`` after each of ``steps`` gradient-descent steps on the loss ``(w − 3)²`` from ``start``.

    Args:
        learning_rate: the step size.
        steps: how many steps.
        start: the first ``w``.

    Returns:
        The list of ``w`` after step 1, 2, …

    Example:
        >>> [round(w, 3) for w in gradient_steps(0.1)]
        [0.6, 1.08, 1.464]
    """
    w, out = float(start), []
    for _ in range(steps):
        w -= learning_rate * 2 * (w - 3)
        out.append(w)
    return out


def _pair(answer, what):
    """``answer`` as two floats, or a sentence saying why not."""
    if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__len__"):
        return None, f"expected a list of two numbers [{what}], got {answer!r}."
    try:
        a = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, f"expected a list of two numbers [{what}], got {answer!r}."
    if a.shape != (2,) or any(isinstance(v, (str, bytes, bool, np.bool_)) for v in answer):
        return None, f"expected a list of two numbers [{what}], got {answer!r}."
    return a, None


def _learning_rate_test(answer):
    a, problem = _pair(answer, "w with 0.1, w with 1.1")
    if problem:
        return problem
    small, big = gradient_steps(0.1), gradient_steps(1.1)
    close = lambda x, y: abs(x - y) <= 0.006                       # noqa: E731  2 decimals are enough
    if close(a[0], small[-1]) and close(a[1], big[-1]):
        return None
    if close(a[0], big[-1]) and close(a[1], small[-1]):
        return "the two are swapped: the learning rate 0.1 comes first."
    for k in (0, 1):
        if close(a[0], small[k]) and close(a[1], big[k]):
            return f"those are the weights after {k + 1} step{'s' if k else ''}; take three."
    if close(a[0], gradient_steps(-0.1)[-1]) or close(a[1], gradient_steps(-1.1)[-1]):
        return "the steps went up the gradient: w ← w − learning_rate · 2(w − 3)."
    if close(a[0], small[-1]):
        return f"the weight with 0.1 is right; with 1.1 each step jumps over 3: check {[round(w, 3) for w in big]}."
    return "one step is w ← w − learning_rate · 2(w − 3), three times from w = 0."


q3 = Exercise(
    "The learning rate: the loss L(w) = (w − 3)² has its minimum at w = 3 and the gradient dL/dw = 2(w − 3). "
    "Start at w = 0 and take three gradient steps, once with learning rate 0.1 and once with 1.1. Give the "
    "two final weights as a list [w with 0.1, w with 1.1] (2 decimals are enough). Which one gets closer to 3?",
    test=_learning_rate_test,
    hint="One step is w ← w − learning_rate · 2(w − 3). Write the loop, or do it on paper.",
    solution=("w_small, w_big = 0.0, 0.0\nfor step in range(3):\n"
              "    w_small -= 0.1 * 2 * (w_small - 3)\n    w_big -= 1.1 * 2 * (w_big - 3)\n"
              "answer = [w_small, w_big]\nprint(round(w_small, 3), round(w_big, 3))   # 1.464 8.184\n"
              "# 0.1 creeps towards 3; 1.1 jumps over the minimum further each step (6.6, -1.32, 8.184): "
              "too large a learning rate diverges."),
)


@contract(pools=Int(low=0), max_shift=Int(low=1))
def aligned_shifts(pools, max_shift):
    """The shifts from 1 to ``max_shift`` px after which ``pools`` 2×2 stride-2 pools line up again.

    Args:
        pools: how many stride-2 pooling layers.
        max_shift: the largest shift.

    Returns:
        The list of shifts that are multiples of the total stride ``2 ** pools``.

    Example:
        >>> aligned_shifts(3, 16)
        [8, 16]
    """
    stride = 2 ** pools
    return [s for s in range(1, max_shift + 1) if s % stride == 0]


def _aligned_test(answer):
    if isinstance(answer, (str, bytes, dict)) or not hasattr(answer, "__iter__"):
        return f"expected a list of shifts in pixels, e.g. [3, 5], got {answer!r}."
    values = list(np.asarray(list(answer)).ravel()) if not isinstance(answer, set) else sorted(answer)
    if any(isinstance(v, (str, bytes, bool, np.bool_)) or not isinstance(v, numbers.Real) or v != round(v)
           for v in values):
        return f"expected whole numbers of pixels, got {answer!r}."
    got = sorted({int(v) for v in values})
    right = aligned_shifts(2, 8)
    if got == right:
        return None
    if got == aligned_shifts(3, 8):
        return "8 px is the total stride of three pools; this network has two, so its grids realign every 4 px."
    if got == aligned_shifts(1, 8):
        return "that is the stride of one pool (2); the second pool halves the map again, so shifts of 2 move it by " \
               "half a cell."
    if got == list(range(1, 9)):
        return "convolution is equivariant, but a stride-2 pool is not: a 1-px shift changes what falls in each window."
    if got and set(got) < set(right):
        return "some shifts are missing: every multiple of the total stride lines the grids up."
    return "the grids line up again when the shift is a whole number of final cells: a multiple of 2 × 2 px."


q4 = Exercise(
    "Pooling grids: a CNN with two blocks (two 2×2 max pools of stride 2, then global average pooling) sees test "
    "images shifted right, with wrap, by 1, 2, …, 8 px. After which of these shifts do its pooling windows line "
    "up with the image content exactly as without a shift, so that (borders aside) its pooled features are "
    "unchanged? Answer a list of shifts.",
    test=_aligned_test,
    hint="A shift of s px moves the maps after k stride-2 pools by s / 2^k cells. When is that a whole number?",
    solution=("answer = [s for s in range(1, 9) if s % (2 * 2) == 0]   # [4, 8]\n"
              "# Convolutions move their maps with the image (equivariance). Each stride-2 pool halves the map, so "
              "after two\n# pools a shift of s px is s/4 cells: whole cells for s = 4 and 8, and global average "
              "pooling forgets\n# where they sit. In between, different pixels share each window and the features "
              "change: the dips of section 5,\n# whose network has three pools (period 8)."),
)
