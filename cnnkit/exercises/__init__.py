"""Exercises that check themselves (Kaggle Learn's pattern): ``check()``, ``hint()`` and ``solution()``.

Each lesson has a module, ``cnnkit.exercises.lessonNN``, with one :class:`Exercise` per exercise::

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
from cnnkit.exercises._core import Exercise

__all__ = ["Exercise"]
