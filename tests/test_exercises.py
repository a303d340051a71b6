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


def test_text_and_verdicts_are_not_numbers(capsys):
    q = Exercise("how many?", expected=8)
    assert q.check(8) and q.check(8.0) and q.check(np.int64(8))
    assert not q.check("8") and not q.check(True) and not q.check(["8"])
    out = capsys.readouterr().out
    assert "got the text '8': write it without quotes" in out and "got True (a True/False verdict)" in out
    pair = Exercise("a pair", expected=(10, 11))
    assert pair.check([10, 11]) and pair.check(np.array([10, 11])) and not pair.check(("10", "11"))
    assert not pair.check(np.array(["10", "11"]))
    assert "expected numbers, got an array of dtype <U2" in capsys.readouterr().out


def test_yes_no_checks_a_verdict_and_says_why():
    from cnnkit.exercises._core import yes_no

    test = yes_no(True, "an int seed makes the draw stateless.")
    assert test(True) is None and test(np.bool_(True)) is None
    assert test(False) == "not False: an int seed makes the draw stateless."
    assert test(1) == "answer True or False, got 1." and test("True") == "answer True or False, got 'True'."
    with pytest.raises(TypeError, match="expected must be True or False"):
        yes_no(1, "why")


def test_choose_one_name_or_a_set_of_names():
    from cnnkit.exercises._core import choose

    one = choose("green", ["red", "green", "blue"], why={"red": "red averages less."})
    assert one(" Green") is None and one("GREEN") is None
    assert one("red") == "not 'red'. red averages less." and one("blue") == "not 'blue'."
    assert one(["green"]).startswith("answer a name from") and one("yellow").startswith("'yellow' is not one of")
    many = choose(["max", "average"], ["subsample", "max", "average"])
    assert many(["average", "max"]) is None and many({"MAX", "average"}) is None and many(("max", "average")) is None
    assert many("max") == "not yet all of them: 'average' belongs in the answer too."
    assert many(["max", "average", "subsample"]) == "not 'subsample'."
    assert many(0).startswith("answer a list of names (or [] for none)")
    none = choose([], ["a", "b"])
    assert none([]) is None and none(["a"]) == "not 'a'."
    with pytest.raises(ValueError, match="expected must be among options"):
        choose("mean", ["max", "average"])
    with pytest.raises(TypeError, match="options must be a list or tuple"):
        choose("max", "max average")


def test_an_exercise_refuses_bad_arguments_before_use():
    with pytest.raises(TypeError, match="question must be"):
        Exercise(4, expected=4)
    with pytest.raises(ValueError, match="rtol must be"):
        Exercise("q", expected=4, rtol=-1)
    with pytest.raises(TypeError, match="test must be"):
        Exercise("q", test="a string")
