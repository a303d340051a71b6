"""The :class:`Exercise` type behind every lesson's self-checking exercises."""
import numpy as np


class Exercise:
    """One exercise: a question, how to check an answer, a hint and a solution.

    Args:
        question: what to do, in one or two sentences (shown by ``print(exercise)``).
        expected: the right answer (a number, a sequence or an array; compared to ``rtol``/``atol``),
            or None when ``test`` decides.
        test: a function ``test(answer) -> None | str``: None when ``answer`` is right, else a sentence
            saying what is wrong (for answers with many right forms: a kernel, a model, a figure's data).
        hint: a nudge that does not give the answer away.
        solution: the code (or reasoning) of one right answer; when it quotes numbers it prints them.
        rtol, atol: tolerances for numeric answers.
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
        if isinstance(expected, str) or not isinstance(expected, (int, float, complex, np.number, list, tuple,
                                                                    np.ndarray)):
            return None if answer == expected else f"expected {expected!r}, got {answer!r}."
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
            return f"the values differ, most at index {tuple(int(i) for i in worst)}: expected {e[worst]:g}, got {a[worst]:g}."
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
