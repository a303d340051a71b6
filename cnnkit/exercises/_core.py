"""The :class:`Exercise` type behind every lesson's self-checking exercises, and tests for verdict answers.

An exercise compares an answer with an ``expected`` value, or runs a ``test`` function. Two ready-made tests
cover the answers of reasoning exercises: :func:`yes_no` (a True/False verdict) and :func:`choose` (one name,
or a set of names, from a fixed list)::

    >>> q = Exercise("Which pooling keeps an isolated peak whole?", test=choose("max", ["max", "average"]))
    >>> q.check("Max")
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit._checks import Any_, Bool, Callable_, Number, Seq, Str, contract

_NUMBER_TYPES = (int, float, complex, np.number, list, tuple, np.ndarray)


def _not_a_number(answer):
    """Why ``answer`` cannot stand for a number or an array of numbers (None when it can)."""
    if isinstance(answer, (str, bytes)):
        return f"expected a number, got the text {answer!r}: write it without quotes."
    if isinstance(answer, (bool, np.bool_)):
        return f"expected a number, got {answer!r} (a True/False verdict)."
    if isinstance(answer, (list, tuple)):
        for item in answer:
            problem = _not_a_number(item)
            if problem is not None:
                return problem
    if isinstance(answer, np.ndarray) and answer.dtype.kind in "bUSO":
        return f"expected numbers, got an array of dtype {answer.dtype}."
    return None


@contract(question=Str(), expected=Any_("the right answer may be any value: a number, a string, an array"),
          test=Callable_() | None, hint=Str(empty=True), solution=Str(empty=True), rtol=Number(low=0),
          atol=Number(low=0))
class Exercise:
    """One exercise: a question, how to check an answer, a hint and a solution.

    Args:
        question: what to do, in one or two sentences (shown by ``print(exercise)``).
        expected: the right answer (a number, a sequence or an array; compared to ``rtol``/``atol``;
            a list, a tuple and an array of the same numbers are the same answer, text such as ``"8"`` is
            not a number), True/False (a verdict), or None when ``test`` decides.
        test: a function ``test(answer) -> None | str``: None when ``answer`` is right, else a sentence
            saying what is wrong (for answers with many right forms: a kernel, a model, a figure's data).
        hint: a nudge that does not give the answer away.
        solution: the code (or reasoning) of one right answer; when it quotes numbers it prints them.
        rtol, atol: tolerances for numeric answers.

    Raises:
        ValueError: when neither ``expected`` nor ``test`` is given.

    Example:
        >>> q1 = Exercise("Add two and two.", expected=4, hint="Count.", solution="answer = 2 + 2")
        >>> q1.check("4")
        ✗ Not yet: expected a number, got the text '4': write it without quotes.
        False
        >>> q1.check(4.0)
        ✓ Correct.
        True
    """

    def __init__(self, question, *, expected=None, test=None, hint="", solution="", rtol=1e-5, atol=1e-8):
        if expected is None and test is None:
            raise ValueError("an Exercise needs expected= or test=")
        self.question, self.expected, self.test = question, expected, test
        self._hint, self._solution, self.rtol, self.atol = hint, solution, rtol, atol

    def __repr__(self):
        return f"Exercise: {self.question}"

    def _problem(self, answer):
        if answer is None or answer is Ellipsis:
            return "no answer yet: replace the ____ (or ...) with your answer and run the cell again."
        if self.test is not None:
            return self.test(answer)
        expected = self.expected
        if isinstance(expected, (bool, np.bool_)):
            if not isinstance(answer, (bool, np.bool_)):
                return f"expected True or False, got {answer!r}."
            return None if bool(answer) == bool(expected) else f"expected {bool(expected)}, got {bool(answer)}."
        if isinstance(expected, str) or not isinstance(expected, _NUMBER_TYPES):
            return None if answer == expected else f"expected {expected!r}, got {answer!r}."
        problem = _not_a_number(answer)
        if problem is not None:
            return problem
        try:
            a, e = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
        except (TypeError, ValueError):
            return f"expected a number or an array like {expected!r}, got {type(answer).__name__}."
        if a.shape != e.shape:
            return f"expected shape {e.shape}, got shape {a.shape}."
        if not np.allclose(a, e, rtol=self.rtol, atol=self.atol):
            if e.ndim == 0:
                return f"expected {float(e):g}, got {float(a):g}."
            worst = np.unravel_index(np.argmax(np.abs(a - e)), e.shape)
            return (f"the values differ, most at index {tuple(int(i) for i in worst)}: "
                    f"expected {e[worst]:g}, got {a[worst]:g}.")
        return None

    def check(self, answer):
        """Print ✓ or what is wrong with ``answer``; return True when it is right."""
        problem = self._problem(answer)
        print("✓ Correct." if problem is None else f"✗ Not yet: {problem}")
        return problem is None

    def hint(self):
        """Print the hint."""
        print(f"Hint: {self._hint}" if self._hint else "No hint for this one: try the solution's first line.")

    def solution(self):
        """Print a solution."""
        print(f"Solution:\n{self._solution}")


@contract(expected=Bool(), why=Str())
def yes_no(expected, why):
    """A ``test`` for a True/False verdict that says ``why`` when the answer is the other one.

    Args:
        expected: the right verdict.
        why: the sentence printed after "not True:" (or "not False:") for the wrong verdict.

    Returns:
        A function ``test(answer) -> None | str`` for :class:`Exercise`; ``"yes"``, ``1`` and other
        stand-ins for a verdict are refused (answer True or False).

    Example:
        >>> test = yes_no(False, "the second draw continues the sequence.")
        >>> test(False) is None, test(True), test("no")
        (True, 'not True: the second draw continues the sequence.', "answer True or False, got 'no'.")
    """
    def test(answer):
        if not isinstance(answer, (bool, np.bool_)):
            return f"answer True or False, got {answer!r}."
        return None if bool(answer) == expected else f"not {bool(answer)}: {why}"
    return test


def _name(value):
    return value.strip().lower() if isinstance(value, str) else None


@contract(expected=Str() | Seq(Str(), min_len=0), options=Seq(Str(), min_len=2), why=Any_(
    "a dict from option to the sentence shown when that option is chosen wrongly (or left out)") | None)
def choose(expected, options, *, why=None):
    """A ``test`` for answers picked from ``options``: one name, or a set of names.

    Case and surrounding spaces do not matter (``"Max "`` is ``"max"``). With a str ``expected`` the
    answer is one name; with a list ``expected`` it is a set of names in any order (a list, tuple or set;
    an empty one when no option is right), and a single name counts as a set of one.

    Args:
        expected: the right name, or the list of right names.
        options: every name the learner may give (the right ones included).
        why: optional sentences, by option, printed when that option is wrongly chosen or wrongly left out.

    Returns:
        A function ``test(answer) -> None | str`` for :class:`Exercise`.

    Raises:
        ValueError: when ``expected`` names something that is not in ``options``.

    Example:
        >>> test = choose(["max", "average"], ["subsample", "max", "average"])
        >>> test({"Average", "max"}) is None, test(["max"])
        (True, "not yet all of them: 'average' belongs in the answer too.")
    """
    options = [o.strip().lower() for o in options]
    many = not isinstance(expected, str)
    right = {_name(e) for e in ([expected] if not many else expected)}
    if not right <= set(options):
        raise ValueError(f"expected must be among options {options}, got {expected!r}")
    why = {k.strip().lower(): v for k, v in (why or {}).items()}

    def because(name):
        return f" {why[name]}" if name in why else ""

    def test(answer):
        if isinstance(answer, str):
            given = [answer]
        elif many and isinstance(answer, (list, tuple, set, frozenset)):
            given = list(answer)
        else:
            form = "a name" if not many else "a list of names (or [] for none)"
            return f"answer {form} from {options}, got {answer!r}."
        names = [_name(g) for g in given]
        unknown = [g for g, n in zip(given, names) if n not in options]
        if unknown:
            return f"{unknown[0]!r} is not one of {options}."
        chosen = set(names)
        wrong = sorted(chosen - right, key=options.index)
        if wrong:
            return f"not {wrong[0]!r}.{because(wrong[0])}"
        missing = sorted(right - chosen, key=options.index)
        if missing:
            return f"not yet all of them: {missing[0]!r} belongs in the answer too.{because(missing[0])}"
        return None
    return test


def letters(value, allowed):
    """A set of letters from ``allowed`` given as "bcd", "b, c, d", ["b", "c"] or {"b"}; None when it is not one.

    >>> sorted(letters("B, d", "abcd")), letters("bx", "abcd"), letters(3, "abcd")
    (['b', 'd'], None, None)
    """
    if isinstance(value, str):
        items = [c for c in value.lower() if c.isalpha()]
    elif isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        items = [v.strip().lower() for v in value]
    else:
        return None
    return set(items) if set(items) <= set(allowed) else None
