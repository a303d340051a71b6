"""Exercises of lesson 04 (dense layers, the loss and one step of gradient descent), checked by ``check()``.

    >>> from cnnkit.exercises import lesson04
    >>> lesson04.q1.check(-np.log(0.7))
    ✓ Correct.
    True
    >>> lesson04.q2.check(lambda w, g, lr: w - lr * g)
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise

__all__ = ["q1", "q2", "q3", "gradient_steps"]

q1 = Exercise(
    "Cross-entropy by hand: a network gives the probabilities [0.1, 0.7, 0.2] to one image whose true class is 1. "
    "What is its loss (natural logarithm)?",
    expected=float(-np.log(0.7)),
    hint="The loss of one example is −log of the probability the network gives to the true class.",
    solution="loss = -np.log(0.7)\nprint(round(loss, 4))   # 0.3567",
)


def _check_sgd_step(answer):
    """None when ``answer(weights, gradients, learning_rate)`` is one plain gradient-descent update."""
    if not callable(answer):
        return f"expected a function sgd_step(weights, gradients, learning_rate), got {type(answer).__name__}."
    w = np.array([[0.5, -1.0], [2.0, 0.0]])
    g = np.array([[1.0, -2.0], [0.5, 4.0]])
    try:
        out = answer(w.copy(), g, 0.1)
    except Exception as error:  # the learner's code: say what it raised
        return f"sgd_step raised {type(error).__name__}: {error}"
    if out is None or out is Ellipsis:
        return "sgd_step returns nothing yet: write its body so that it returns the new weights."
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return f"sgd_step must return the new weights as an array, got {type(out).__name__}."
    expected = w - 0.1 * g
    if out.shape != expected.shape:
        return f"sgd_step must return the new weights, shape {expected.shape}, got shape {out.shape}."
    if np.allclose(out, w + 0.1 * g):
        return "the weights moved up the gradient: subtract learning_rate × gradient, don't add it."
    if not np.allclose(out, expected):
        return "the new weights should be weights − learning_rate × gradients."
    return None


q2 = Exercise(
    "Write sgd_step(weights, gradients, learning_rate) that returns the weights after one step of plain "
    "gradient descent (what SGD does for every weight of the network).",
    test=_check_sgd_step,
    hint="The gradient points to where the loss grows; step the other way, learning_rate times as far.",
    solution="def sgd_step(weights, gradients, learning_rate):\n    return weights - learning_rate * gradients",
)


def gradient_steps(learning_rate, *, steps=3, start=0.0):
    """``w`` after ``steps`` gradient-descent steps on the loss ``(w − 3)²`` from ``start``, one per step.

        >>> [round(w, 3) for w in gradient_steps(0.1)]
        [0.6, 1.08, 1.464]
    """
    w, out = float(start), []
    for _ in range(steps):
        w -= learning_rate * 2 * (w - 3)
        out.append(w)
    return out


q3 = Exercise(
    "The learning rate: the loss L(w) = (w − 3)² has its minimum at w = 3 and the gradient dL/dw = 2(w − 3). "
    "Start at w = 0 and take three gradient steps, once with learning rate 0.1 and once with 1.1. Give the "
    "two final weights as a list [w with 0.1, w with 1.1]. Which one gets closer to 3?",
    expected=[gradient_steps(0.1)[-1], gradient_steps(1.1)[-1]],
    hint="One step is w ← w − learning_rate · 2(w − 3). Write the loop, or do it on paper.",
    solution=("w_small, w_big = 0.0, 0.0\nfor step in range(3):\n"
              "    w_small -= 0.1 * 2 * (w_small - 3)\n    w_big -= 1.1 * 2 * (w_big - 3)\n"
              "print(round(w_small, 3), round(w_big, 3))   # 1.464 8.184\n"
              "# 0.1 creeps towards 3; 1.1 jumps over the minimum further each step (6.6, -1.32, 8.184): "
              "too large a learning rate diverges."),
)
