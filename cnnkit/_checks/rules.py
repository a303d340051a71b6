"""Contract rules: what one argument may be, said once, checked before any work.

A rule checks one value and raises ``TypeError`` (wrong type) or ``ValueError`` (wrong value) naming the
argument. It also knows one valid ``example()`` and the ``bad_values()`` it must refuse, so the contract sweep
(``tests/test_contracts.py``) can feed every public function bad arguments without hand-written cases::

    >>> from cnnkit._checks import Int, Seq
    >>> Int(low=1).check(3, "n")
    3
    >>> (Int(low=1) | None).check(None, "n") is None
    True
    >>> Seq(Int()).check("abc", "sizes")
    Traceback (most recent call last):
    ...
    TypeError: sizes must be a list or tuple of an integer, got 'abc' (str)

This module holds the base class and the combinators (:class:`OneOf`, :class:`Any_`); the rules themselves
live in :mod:`~cnnkit._checks.scalars` (numbers, flags, seeds, choices, strings),
:mod:`~cnnkit._checks.arrays` (arrays, masks, labels, images) and :mod:`~cnnkit._checks.objects` (paths,
sequences, mappings, instances, callables).
"""
from cnnkit._checks import values as _v

_SENTINEL = object()
#: what a rule may raise for a refused value (a missing path is refused like a bad value)
REFUSALS = (TypeError, ValueError, FileNotFoundError)


def _describe(value):
    return _v._describe(value)


def _describe_short(value):
    return _v._describe(value)


def _bounds(low, high, low_open=False, high_open=False):
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '≥'} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '≤'} {high:g}")
    return f" {' and '.join(parts)}" if parts else ""


class Rule:
    """What one argument may be. Subclasses set ``what`` and implement ``check`` and ``example``."""

    what = "a value"
    _described = False

    def check(self, value, name):
        """Return ``value`` when it fits, else raise ``TypeError``/``ValueError`` naming ``name``."""
        raise NotImplementedError

    def example(self):
        """One value that fits (the sweep's stand-in for the other arguments)."""
        raise NotImplementedError

    def bad_values(self):
        """Values this rule must refuse: wrong type, NaN, empty, negative, a string for a list, a truthy non-bool."""
        return []

    def describe(self, what):
        """Say in messages what the argument must be, in the caller's words (returns the rule)::

            rule = (Choice("edge", "wrap") | Number()).describe("'edge', 'wrap' or a number")
        """
        self.what, self._described = what, True
        return self

    label_from = None

    def named_by(self, argument):
        """Name the argument in messages by the value of another one, e.g. ``image=Image().named_by("name")``
        for ``as_rgb(image, name="content")``, whose errors say ``content``. Returns the rule."""
        self.label_from = argument
        return self

    def accepts(self, value):
        """Whether ``check`` lets ``value`` through."""
        try:
            self.check(value, "value")
        except REFUSALS:
            return False
        return True

    def __or__(self, other):
        return OneOf(self, other)

    def __ror__(self, other):
        return OneOf(other, self)

    def __repr__(self):
        return f"{type(self).__name__}({self.what})"


class _NoneRule(Rule):
    what = "None"

    def check(self, value, name):
        if value is not None:
            raise TypeError(f"{name} must be None, got {_describe(value)}")
        return value

    def example(self):
        return None


def _rule(r):
    if r is None:
        return _NoneRule()
    if not isinstance(r, Rule):
        raise TypeError(f"a contract rule must be a Rule or None, got {_describe(r)}")
    return r


class Any_(Rule):   # noqa: N801
    """No check, with the reason written down (the sweep lists these)."""

    def __init__(self, why, *, example=_SENTINEL):
        self.why, self._example = why, example
        self.what = f"anything ({why})"

    def check(self, value, name):
        return value

    def example(self):
        return None if self._example is _SENTINEL else self._example


class OneOf(Rule):
    """Any of several rules (``Int() | None`` builds one)."""

    def __init__(self, *rules):
        flat = []
        for r in map(_rule, rules):      # (a | b) | c is one choice of three, unless (a | b) was described
            flat.extend(r.rules if isinstance(r, OneOf) and not r._described else [r])
        self.rules = tuple(flat)
        self.what = " or ".join(r.what for r in self.rules)

    def check(self, value, name):
        errors, from_choice = [], []
        for r in self.rules:
            try:
                return r.check(value, name)
            except REFUSALS as err:
                if value is None or not isinstance(r, _NoneRule):    # "must be None" says nothing useful
                    errors.append(err)
                    if getattr(r, "options", None) is not None:
                        from_choice.append(err)
        if len(errors) == 1:
            raise errors[0]
        others = [e for e in errors if e not in from_choice and not isinstance(e, TypeError)]
        if from_choice and len(others) == 1:     # not one of the named options, and wrong as the other kind too:
            raise others[0]                      # say what is wrong with it as that kind (a path, a number)
        inside = [e for e in errors if f"{name}[" in str(e)]
        if len(inside) == 1:            # the right container with a wrong item: name the item
            raise inside[0]
        missing = [e for e in errors if isinstance(e, FileNotFoundError)]
        if missing:                     # a path that is not there: the most specific thing to say
            raise missing[0]
        value_errors = [e for e in errors if not isinstance(e, TypeError)]
        if len(value_errors) == 1:      # the right kind of thing with a wrong value: say what was wrong
            raise value_errors[0]
        raise (ValueError if value_errors else TypeError)(
            f"{name} must be {self.what}, got {_describe_short(value)}") from None

    def example(self):
        for r in self.rules:                # the first rule that can make one (an abstract class cannot)
            if not isinstance(r, _NoneRule):
                try:
                    return r.example()
                except Exception:          # noqa: BLE001 - try the next rule, or None
                    continue
        return None

    def bad_values(self):
        seen, bad = set(), []
        for r in self.rules:
            for v in r.bad_values():
                key = (type(v).__name__, repr(v))
                if key not in seen and not self.accepts(v):
                    seen.add(key)
                    bad.append(v)
        return bad
