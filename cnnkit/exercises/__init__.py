"""Exercises that check themselves (Kaggle Learn's pattern): ``check()``, ``hint()`` and ``solution()``.

Each lesson has a module, ``cnnkit.exercises.lessonNN`` (``from cnnkit.exercises import lesson05 as ex``), with
one :class:`Exercise` per exercise (``ex.q1``, ``ex.q2``…; the same names in every lesson, each its own)::

    >>> from cnnkit.exercises import Exercise
    >>> q1 = Exercise("Add two and two.", expected=4, hint="Count on your fingers.", solution="answer = 2 + 2")
    >>> q1.check(5)
    ✗ Not yet: expected 4, got 5.
    False
    >>> q1.check(4)
    ✓ Correct.
    True

``check`` compares with an expected value (arrays to a tolerance) or runs a property function that
returns None when the answer is right, or a sentence saying what is wrong.
"""
import lazy_loader as _lazy

from cnnkit.exercises._core import Exercise

# one module per lesson, loaded on first use (listed in ``__all__`` so the package's sweeps reach them)
__all__ = ["Exercise", "lesson00", "lesson01", "lesson02", "lesson03", "lesson04", "lesson05", "lesson06", "lesson07",
           "lesson08", "lesson09", "lesson10"]
__getattr__, __dir__, _ = _lazy.attach(__name__, submodules=__all__[1:])
