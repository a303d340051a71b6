"""cnnkit.exercises.Exercise: check() says what is wrong, hint() and solution() print."""
import numpy as np
import pytest

from cnnkit.exercises import Exercise


def test_numbers_and_arrays_are_compared_with_tolerance(capsys):
    q = Exercise("2 × 3", expected=6, hint="multiply", solution="answer = 2 * 3")
    assert q.check(6.0000001) and not q.check(7)
    assert "expected 6, got 7" in capsys.readouterr().out
    grid = Exercise("a grid", expected=np.arange(4).reshape(2, 2))
    assert not grid.check(np.zeros((3, 3)))
    assert "expected shape (2, 2), got shape (3, 3)" in capsys.readouterr().out
    assert not grid.check([[0, 1], [2, 5]])
    assert "most at index (1, 1): expected 3, got 5" in capsys.readouterr().out


def test_a_property_test_and_a_missing_answer(capsys):
    q = Exercise("an even number", test=lambda a: None if a % 2 == 0 else f"{a} is odd.")
    assert q.check(4) and not q.check(3)
    assert "3 is odd." in capsys.readouterr().out
    assert not q.check(None) and not q.check(...)
    assert capsys.readouterr().out.count("no answer yet") == 2


def test_hint_and_solution_print(capsys):
    q = Exercise("q", expected="max", hint="the largest", solution="answer = 'max'")
    q.hint(), q.solution()
    out = capsys.readouterr().out
    assert "Hint: the largest" in out and "answer = 'max'" in out
    assert q.check("max") and not q.check("mean")


def test_an_exercise_needs_a_way_to_check():
    with pytest.raises(ValueError, match="needs expected= or test="):
        Exercise("q")


def test_true_or_false_answers_are_compared_as_such(capsys):
    q = Exercise("Is max pooling shift-invariant for a 1-pixel shift?", expected=False)
    assert q.check(False) and not q.check(True) and not q.check(0)
    out = capsys.readouterr().out
    assert "expected False, got True" in out and "expected True or False, got 0" in out
