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
"""
import importlib
import os
import sys

import numpy as np

from cnnkit._checks import values as _v

_SENTINEL = object()


def _describe(value):
    return _v._describe(value)


class Rule:
    """What one argument may be. Subclasses set ``what`` and implement ``check`` and ``example``."""

    what = "a value"

    def check(self, value, name):
        """Return ``value`` when it fits, else raise ``TypeError``/``ValueError`` naming ``name``."""
        raise NotImplementedError

    def example(self):
        """One value that fits (the sweep's stand-in for the other arguments)."""
        raise NotImplementedError

    def bad_values(self):
        """Values this rule must refuse: wrong type, NaN, empty, negative, a string for a list, a truthy non-bool."""
        return []

    def accepts(self, value):
        try:
            self.check(value, "value")
        except (TypeError, ValueError, FileNotFoundError):
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


def _bounds(low, high, low_open=False, high_open=False):
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '≥'} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '≤'} {high:g}")
    return f" {' and '.join(parts)}" if parts else ""


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

    def __init__(self, *, low=None, high=None, low_open=False, high_open=False):
        self.low, self.high, self.low_open, self.high_open = low, high, low_open, high_open
        self.what = "a finite number" + _bounds(low, high, low_open, high_open)

    def check(self, value, name):
        return _v.check_number(value, name, low=self.low, high=self.high, low_open=self.low_open,
                               high_open=self.high_open)

    def example(self):
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        if self.low is not None:
            return self.low + 1.0
        return self.high - 1.0 if self.high is not None else 1.0

    def bad_values(self):
        bad = ["1", True, float("nan"), float("inf"), None]
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
    """A seed: an int ≥ 0, a ``numpy.random.SeedSequence`` or a ``numpy.random.Generator``."""

    what = "an int ≥ 0, a numpy SeedSequence or a numpy Generator"

    def check(self, value, name):
        _v.check_seed(value, name)
        return value

    def example(self):
        return 0

    def bad_values(self):
        return ["0", 1.5, -1, True, None]


class Choice(Rule):
    """One of a fixed set of options (strings, numbers or None)."""

    def __init__(self, *options):
        if not options:
            raise ValueError("Choice needs at least one option")
        self.options = tuple(options)
        self.what = "one of " + ", ".join(map(repr, options))

    def check(self, value, name):
        if isinstance(value, (list, dict, set, np.ndarray)) or not any(
                value is o or (type(value) is type(o) and value == o) for o in self.options):
            raise ValueError(f"{name} must be one of {', '.join(map(repr, self.options))}; got {value!r}")
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


class Array(Rule):
    """A numeric array-like with ``ndim`` dimensions (an int or a tuple), finite, non-empty, within bounds."""

    def __init__(self, *, ndim=None, finite=True, empty=False, low=None, high=None, integer=False):
        self.ndim = (ndim,) if isinstance(ndim, int) else (None if ndim is None else tuple(ndim))
        self.finite, self.empty, self.low, self.high, self.integer = finite, empty, low, high, integer
        dims = "" if self.ndim is None else f"{' or '.join(map(str, self.ndim))}-D "
        kind = "integer" if integer else "numeric"
        self.what = f"{'an' if not dims and integer else 'a'} {dims}{kind} array" + _bounds(low, high)

    def check(self, value, name):
        if isinstance(value, (str, bytes)):
            raise TypeError(f"{name} must be {self.what}, got {_describe(value)}")
        a = _v.check_array(value, name, ndim=self.ndim, finite=self.finite)
        if not self.empty and a.size == 0:
            raise ValueError(f"{name} must not be empty, got shape {a.shape}")
        if self.integer and not np.issubdtype(a.dtype, np.integer) and not np.all(np.mod(a, 1) == 0):
            raise ValueError(f"{name} must hold whole numbers (labels or indices)")
        if self.low is not None and a.size and a.min() < self.low:
            raise ValueError(f"{name} must be ≥ {self.low:g}, got a minimum of {a.min():g}")
        if self.high is not None and a.size and a.max() > self.high:
            raise ValueError(f"{name} must be ≤ {self.high:g}, got a maximum of {a.max():g}")
        return value

    def _shape(self, extra=0):
        nd = 2 if self.ndim is None else self.ndim[0]
        return (3,) * (nd + extra)

    def example(self):
        fill = self.low if self.low is not None else (self.high if self.high is not None else 0)
        return np.full(self._shape(), fill, dtype=np.int64 if self.integer else np.float32)

    def bad_values(self):
        bad = ["abc", None, [["a"]]]
        if self.finite:
            bad.append(np.full(self._shape(), np.nan, np.float32))
        if self.ndim is not None:
            bad.append(np.zeros(self._shape(extra=1) if max(self.ndim) < 5 else (3,) * 6, np.float32))
        if not self.empty:
            bad.append(np.zeros((0,) * (1 if self.ndim is None else self.ndim[0]), np.float32))
        if self.low is not None:
            bad.append(np.full(self._shape(), self.low - 1, np.float32))
        if self.high is not None:
            bad.append(np.full(self._shape(), self.high + 1, np.float32))
        if self.integer:
            bad.append(np.full(self._shape(), (self.low or 0) + 0.5, np.float32))
        return [b for b in bad if not self.accepts(b)]


class Path(Rule):
    """A path (``str`` or ``os.PathLike``); with ``kind`` "file", "dir" or "any" it must exist."""

    def __init__(self, *, kind=None):
        self.kind = kind
        self.what = {None: "a path", "file": "an existing file", "dir": "an existing folder",
                     "any": "an existing path"}[kind]

    def check(self, value, name):
        if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
            raise TypeError(f"{name} must be a path (str or os.PathLike), got {_describe(value)}")
        if not str(value).strip():
            raise ValueError(f"{name} must not be an empty path")
        if self.kind is not None:
            _v.check_path(value, name, kind=self.kind)
        return value

    def example(self):
        return {None: "cnnkit-contract-example", "file": __file__, "dir": os.path.dirname(__file__),
                "any": __file__}[self.kind]

    def bad_values(self):
        bad = [3, None, ["a"], ""]
        return bad + (["/no/such/cnnkit/path"] if self.kind else [])


class Seq(Rule):
    """A list or tuple (never a string) of ``min_len``..``max_len`` items, each checked by ``item``."""

    def __init__(self, item=None, *, min_len=1, max_len=None):
        self.item = None if item is None else _rule(item)
        self.min_len, self.max_len = min_len, max_len
        self.what = "a list or tuple" + (f" of {self.item.what}" if self.item is not None else "")

    def check(self, value, name):
        if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple, range, np.ndarray)):
            raise TypeError(f"{name} must be {self.what}, got {_describe(value)}")
        if isinstance(value, np.ndarray) and value.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {value.shape}")
        n = len(value)
        if n < self.min_len or (self.max_len is not None and n > self.max_len):
            size = f"{self.min_len}..{self.max_len}" if self.max_len is not None else f"at least {self.min_len}"
            raise ValueError(f"{name} must hold {size} items, got {n}")
        if self.item is not None:
            for i, v in enumerate(value):
                self.item.check(v, f"{name}[{i}]")
        return value

    def example(self):
        return [self.item.example() if self.item is not None else 1] * max(self.min_len, 1)

    def bad_values(self):
        bad = ["abc", 3, None]
        bad += [[]] if self.min_len > 0 else []
        if self.item is not None and self.item.bad_values():
            bad.append([self.item.bad_values()[0]] * max(self.min_len, 1))
        return [b for b in bad if not self.accepts(b)]


def _resolve(t):
    """A type, or ``"module.Name"`` looked up only if that module is already imported (no TF import for a check)."""
    if isinstance(t, type):
        return t
    module, _, attr = t.rpartition(".")
    if module.split(".")[0] not in sys.modules:
        return None
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


class Instance(Rule):
    """An instance of one of ``types`` (classes, or ``"module.Class"`` strings resolved lazily)."""

    def __init__(self, *types, what=None, example=None):
        self.types, self._example = types, example
        self.what = what or "a " + " or a ".join(t if isinstance(t, str) else t.__name__ for t in types)

    def check(self, value, name):
        classes = tuple(c for c in map(_resolve, self.types) if c is not None)
        if not classes or not isinstance(value, classes):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        return value

    def example(self):
        if self._example is not None:
            return self._example()
        cls = _resolve(self.types[0]) if not isinstance(self.types[0], str) else _resolve_importing(self.types[0])
        return cls.__new__(cls)

    def bad_values(self):
        return [v for v in (object(), "x", 3, None) if not self.accepts(v)]


def _resolve_importing(t):
    module, _, attr = t.rpartition(".")
    importlib.import_module(module)
    return _resolve(t)


def _describe_short(value):
    text = repr(value)
    return f"{text[:60]}… ({type(value).__name__})" if len(text) > 60 else _describe(value)


class Callable_(Rule):   # noqa: N801
    """Something to call (a function, a layer, a lambda)."""

    what = "callable"

    def check(self, value, name):
        if not callable(value):
            raise TypeError(f"{name} must be callable, got {_describe_short(value)}")
        return value

    def example(self):
        return lambda *a, **k: None

    def bad_values(self):
        return [3, "f", None]


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
        for r in map(_rule, rules):
            flat.extend(r.rules if isinstance(r, OneOf) else [r])
        self.rules = tuple(flat)
        self.what = " or ".join(r.what for r in self.rules)

    def check(self, value, name):
        errors = []
        for r in self.rules:
            try:
                return r.check(value, name)
            except (TypeError, ValueError, FileNotFoundError) as err:
                errors.append(err)
        value_errors = [e for e in errors if not isinstance(e, TypeError)]
        if len(value_errors) == 1:      # the right kind of thing with a wrong value: say what was wrong
            raise value_errors[0]
        raise (ValueError if value_errors else TypeError)(
            f"{name} must be {self.what}, got {_describe_short(value)}") from None

    def example(self):
        return next((r.example() for r in self.rules if not isinstance(r, _NoneRule)), None)

    def bad_values(self):
        seen, bad = set(), []
        for r in self.rules:
            for v in r.bad_values():
                key = (type(v).__name__, repr(v))
                if key not in seen and not self.accepts(v):
                    seen.add(key)
                    bad.append(v)
        return bad
