"""Rules for one scalar: integers, numbers, shares, flags, seeds, fixed choices, strings.

    >>> from cnnkit._checks import Bool, Choice, Fraction
    >>> Fraction().check(0.2, "val")
    0.2
    >>> Choice("max", "average").check("mean", "mode")
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of 'max', 'average'; got 'mean'
    >>> Bool().check("no", "gray")
    Traceback (most recent call last):
    ...
    TypeError: gray must be True or False, got 'no' (str)
"""
import numpy as np

from cnnkit._checks import values as _v
from cnnkit._checks.rules import Rule, _bounds, _describe


class Int(Rule):
    """An integer (NumPy integers too, never ``bool``) within ``[low, high]``."""

    def __init__(self, *, low=None, high=None):
        self.low, self.high = low, high
        self.what = "an integer" + _bounds(low, high)

    def check(self, value, name):
        return _v.check_int(value, name, low=self.low, high=self.high)

    def example(self):
        return next(c for c in (1, self.low, self.high, 0) if c is not None and self.accepts(c))

    def bad_values(self):
        bad = [1.5, "3", True, float("nan"), None]
        bad += [self.low - 1] if self.low is not None else []
        bad += [self.high + 1] if self.high is not None else []
        return bad


class Number(Rule):
    """A finite real number (not ``bool``) within the bounds, each end closed unless ``*_open``."""

    def __init__(self, *, low=None, high=None, low_open=False, high_open=False, finite=True):
        self.low, self.high, self.low_open, self.high_open, self.finite = low, high, low_open, high_open, finite
        self.what = ("a finite number" if finite else "a number (NaN and ±inf allowed)") + \
            _bounds(low, high, low_open, high_open)

    def check(self, value, name):
        if not self.finite and isinstance(value, (float, np.floating)) and not np.isfinite(value):
            return value
        return _v.check_number(value, name, low=self.low, high=self.high, low_open=self.low_open,
                               high_open=self.high_open)

    def example(self):
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        if self.low is not None:
            return self.low + 1.0
        return self.high - 1.0 if self.high is not None else 1.0

    def bad_values(self):
        bad = ["1", True, None, 1 + 2j] + ([float("nan"), float("inf")] if self.finite else [])
        bad += [self.low - 1 if not self.low_open else self.low] if self.low is not None else []
        bad += [self.high + 1 if not self.high_open else self.high] if self.high is not None else []
        return bad


def Fraction(*, allow_zero=True, allow_one=False):   # noqa: N802  (reads as a rule, like the others)
    """A share: a number in ``[0, 1)`` by default; ``(0, …`` without zero, ``…, 1]`` with one."""
    return Number(low=0.0, high=1.0, low_open=not allow_zero, high_open=not allow_one)


class Bool(Rule):
    """``True`` or ``False`` (NumPy booleans too); ``0``, ``1`` and ``"no"`` are refused."""

    what = "True or False"

    def check(self, value, name):
        return _v.check_bool(value, name)

    def example(self):
        return True

    def bad_values(self):
        return ["no", "False", 1, 0, None]


class Seed(Rule):
    """A seed: an int ≥ 0, a ``numpy.random.SeedSequence`` or a ``numpy.random.Generator``.

    Entry points that hand the seed to TensorFlow or Keras turn it into one int with
    :func:`cnnkit._checks.int_seed`, so they take the same three forms.
    """

    what = "an int ≥ 0, a numpy SeedSequence or a numpy Generator"

    def check(self, value, name):
        _v.check_seed(value, name)
        return value

    def example(self):
        return 0

    def bad_values(self):
        return ["0", 1.5, -1, True, None, np.random.RandomState(0)]


class Choice(Rule):
    """One of a fixed set of options (strings, numbers or None); ``ignore_case`` for names like ``"SAME"``."""

    def __init__(self, *options, ignore_case=False):
        if not options:
            raise ValueError("Choice needs at least one option")
        self.options, self.ignore_case = tuple(options), ignore_case
        self.what = "one of " + ", ".join(map(repr, options))

    def _fold(self, value):
        return value.lower() if self.ignore_case and isinstance(value, str) else value

    @staticmethod
    def _same(value, option):
        if isinstance(value, (bool, np.bool_)) or isinstance(option, bool) or option is None or value is None:
            return value is option                  # True is not 1, None is only None
        if isinstance(option, str):
            return isinstance(value, str) and value == option             # numpy str too
        return isinstance(value, (int, float, np.integer, np.floating)) and value == option

    def _kind(self, value):
        """Whether ``value`` is of a type some option has (else the mistake is its type, not its value)."""
        if isinstance(value, str):
            return any(isinstance(o, str) for o in self.options)
        if isinstance(value, (bool, np.bool_)) or value is None:
            return any(o is value or isinstance(o, bool) for o in self.options)
        if isinstance(value, (int, float, np.integer, np.floating)):
            return any(isinstance(o, (int, float)) and not isinstance(o, bool) for o in self.options)
        return False

    def check(self, value, name):
        folded = self._fold(value)
        if not self._kind(value) or not any(self._same(folded, o) for o in self.options):
            got = repr(value) if isinstance(value, str) else _describe(value)
            error = ValueError if self._kind(value) else TypeError
            want = self.what if self._described else f"one of {', '.join(map(repr, self.options))}"
            raise error(f"{name} must be {want}; got {got}")
        return value

    def example(self):
        return self.options[0]

    def bad_values(self):
        return [v for v in ("__no_such_option__", 3.5, ["x"], True) if not self.accepts(v)]


class Str(Rule):
    """A ``str`` (not bytes), non-empty unless ``empty=True``."""

    def __init__(self, *, empty=False):
        self.empty = empty
        self.what = "a string" if empty else "a non-empty string"

    def check(self, value, name):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {_describe(value)}")
        if not self.empty and not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        return value

    def example(self):
        return "x"

    def bad_values(self):
        return [3, b"x", ["x"], None] + ([] if self.empty else ["", "  "])
