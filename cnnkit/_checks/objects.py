"""Rules for things that are not numbers or arrays: paths, sequences, mappings, instances, callables.

    >>> from cnnkit._checks import Instance, Mapping, Seq, Str
    >>> Seq(Str(), min_len=1).check(("accuracy",), "metrics")
    ('accuracy',)
    >>> Mapping(Str()).check(["a"], "transforms")
    Traceback (most recent call last):
    ...
    TypeError: transforms must be a dict with keys a non-empty string, got ['a'] (list)
    >>> Instance("keras.Model").what          # a type named by a string never imports its module to check
    'a keras.Model'
"""
import importlib
import os
import sys
import types

import numpy as np

from cnnkit._checks import values as _v
from cnnkit._checks.rules import Rule, _describe_short, _rule


#: strings refused as paths: a flag written as a string (cache="false") would otherwise name a file "false"
_FLAGS = {"true", "false", "none", "yes", "no", "on", "off"}


class PathLike(Rule):
    """A path (``str`` or ``os.PathLike``); with ``kind`` "file", "dir" or "any" it must exist."""

    def __init__(self, *, kind=None):
        self.kind = kind
        self.what = {None: "a path", "file": "an existing file", "dir": "an existing folder",
                     "any": "an existing path"}[kind] + " (str or os.PathLike)"

    def check(self, value, name):
        if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        text = str(os.fspath(value)).strip()
        if not text:
            raise ValueError(f"{name} must not be an empty path")
        if isinstance(value, str) and text.lower() in _FLAGS:
            raise ValueError(f"{name}={value!r} looks like a flag, not a path: pass True/False (or None) "
                             "for the setting, or a path that says where")
        if self.kind is not None:
            _v.check_path(value, name, kind=self.kind)
        return value

    def example(self):
        return {None: "cnnkit-contract-example", "file": __file__, "dir": os.path.dirname(__file__),
                "any": __file__}[self.kind]

    def bad_values(self):
        bad = [3, None, ["a"], "", b"x", "false"]
        return bad + (["/no/such/cnnkit/path"] if self.kind else [])


class Seq(Rule):
    """A list or tuple (never a string) of ``min_len``..``max_len`` items, each checked by ``item``."""

    def __init__(self, item=None, *, min_len=1, max_len=None, what=None):
        self.item = None if item is None else _rule(item)
        self.min_len, self.max_len = min_len, max_len
        self.what = what or ("a list or tuple" + (f" of {self.item.what}" if self.item is not None else ""))

    def check(self, value, name):
        if isinstance(value, (str, bytes, dict, set)) or not isinstance(value, (list, tuple, range, np.ndarray)):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        if isinstance(value, np.ndarray) and value.ndim != 1:     # an array of another shape is another kind
            raise TypeError(f"{name} must be {self.what} (one-dimensional), got an array of shape {value.shape}")
        n = len(value)
        if n < self.min_len or (self.max_len is not None and n > self.max_len):
            size = (f"exactly {self.min_len}" if self.min_len == self.max_len else
                    f"{self.min_len}..{self.max_len}" if self.max_len is not None else f"at least {self.min_len}")
            items = "item" if (self.max_len or self.min_len) == 1 else "items"
            raise ValueError(f"{name} must be {self.what} ({size} {items}), got {_describe_short(value)}")
        if self.item is not None:
            for i, v in enumerate(value):
                self.item.check(v, f"{name}[{i}]")
        return value

    def example(self):
        return [self.item.example() if self.item is not None else 1] * max(self.min_len, 1)

    def bad_values(self):
        bad = ["abc", 3, None, {"a": 1}]
        bad += [[]] if self.min_len > 0 else []
        if self.max_len is not None:
            bad.append([self.example()[0]] * (self.max_len + 1))
        if self.item is not None and self.item.bad_values():
            bad.append([self.item.bad_values()[0]] * max(self.min_len, 1))
        return [b for b in bad if not self.accepts(b)]


def Pair(item=None, *, what=None):   # noqa: N802  (reads as a rule, like the others)
    """Two items, e.g. a ``(low, high)`` range or a ``(height, width)`` size."""
    return Seq(item, min_len=2, max_len=2, what=what or ("a pair" + (f" of {_rule(item).what}" if item else "")))


class Mapping(Rule):
    """A dict whose keys follow ``key`` and values follow ``value`` (either may be None: any), ``min_len`` entries."""

    def __init__(self, key=None, value=None, *, min_len=1):
        self.key = None if key is None else _rule(key)
        self.value = None if value is None else _rule(value)
        self.min_len = min_len
        self.what = "a dict" + (f" with keys {self.key.what}" if self.key else "") + \
            (f" and values {self.value.what}" if self.value else "")

    def check(self, value, name):
        if not isinstance(value, dict):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        if len(value) < self.min_len:
            raise ValueError(f"{name} must hold at least {self.min_len} entr{'y' if self.min_len == 1 else 'ies'}, "
                             f"got {len(value)}")
        for k, v in value.items():
            if self.key is not None:
                self.key.check(k, f"a key of {name}")
            if self.value is not None:
                self.value.check(v, f"{name}[{k!r}]")
        return value

    def example(self):
        key = self.key.example() if self.key is not None else "x"
        return {key: self.value.example() if self.value is not None else 1}

    def bad_values(self):
        bad = [["a"], "abc", None, 3] + ([{}] if self.min_len else [])
        if self.value is not None and self.value.bad_values():
            bad.append({self.key.example() if self.key is not None else "x": self.value.bad_values()[0]})
        return [b for b in bad if not self.accepts(b)]


def _resolve(t):
    """A type, or ``"module.Name"`` looked up only if its module is already imported (no TF import for a check)."""
    if isinstance(t, type):
        return t
    parts = t.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module = sys.modules.get(".".join(parts[:i]))
        if module is not None:
            obj = module
            try:
                for part in parts[i:]:
                    obj = getattr(obj, part)
            except AttributeError:
                return None
            return obj
    return None        # an instance of a class from a module nobody imported cannot exist


def _resolve_importing(t):
    if isinstance(t, type):
        return t
    importlib.import_module(t.rpartition(".")[0])
    return _resolve(t)


class Instance(Rule):
    """An instance of one of ``types`` (classes, or ``"module.Class"`` strings resolved lazily)."""

    def __init__(self, *types, what=None, example=None):
        self.types, self._example, self._made = types, example, None
        self.what = what or "a " + " or a ".join(t if isinstance(t, str) else t.__name__ for t in types)

    def check(self, value, name):
        classes = tuple(c for c in map(_resolve, self.types) if c is not None)
        if not classes or not isinstance(value, classes):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        return value

    def example(self):
        if self._made is None:
            if self._example is not None:
                self._made = self._example()
            else:
                cls = _resolve_importing(self.types[0])
                self._made = cls.__new__(cls)
        return self._made

    def bad_values(self):
        return [v for v in (object(), "x", 3, None) if not self.accepts(v)]


def _tiny_model():
    import keras

    inputs = keras.Input((8, 8, 3), name="image")
    x = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, keras.layers.Dense(2, name="class_scores")(x), name="contract_example")


def KerasModel(what="a keras.Model"):   # noqa: N802  (reads as a rule, like the others)
    """A ``keras.Model`` (checked without importing Keras: a model cannot exist before Keras is imported)."""
    return Instance("keras.Model", what=what, example=_tiny_model)


class Has(Rule):
    """Anything with the given attributes or methods (duck typing), e.g. ``Has("write")`` for a text stream."""

    def __init__(self, *attributes, what=None, example=None):
        self.attributes, self._example = attributes, example
        self.what = what or "an object with " + ", ".join(f".{m}" for m in attributes)

    def check(self, value, name):
        if value is None or not all(hasattr(value, m) for m in self.attributes):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        return value

    def example(self):
        if self._example is not None:
            return self._example()
        return types.SimpleNamespace(**{a: [] for a in self.attributes})   # has them, and nothing else

    def bad_values(self):
        return [v for v in (3, "x", None, object()) if not self.accepts(v)]


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
