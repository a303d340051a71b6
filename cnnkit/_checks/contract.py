"""The ``contract`` decorator: each argument's rule declared beside the signature, checked before the body runs.

Modelled on scikit-learn's ``validate_params``. The rules live in :mod:`cnnkit._checks.rules`; the checks run in
signature order on the arguments the caller passed (defaults are checked once, by the contract sweep in
``tests/test_contracts.py``), so a bad argument never reaches a download, a model build or a file read::

    >>> from cnnkit._checks import Bool, Int, contract
    >>> @contract(n=Int(low=1), gray=Bool())
    ... def f(n, *, gray=False):
    ...     return n
    >>> f(3)
    3
    >>> f(3, gray="no")
    Traceback (most recent call last):
    ...
    TypeError: gray must be True or False, got 'no' (str)

On a class, ``contract`` checks the arguments of ``__init__`` (put it above ``@dataclass``), or of ``__new__``
when only that is defined (a ``namedtuple``, a ``tuple`` subclass).
"""
import functools
import inspect

from cnnkit._checks.rules import _rule

_VAR_POSITIONAL, _VAR_KEYWORD = inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD


def contract(**rules):
    """Decorate a function (or a class's ``__init__``) with one rule per argument name."""
    rules = {name: _rule(r) for name, r in rules.items()}

    def decorate(obj):
        if isinstance(obj, type):       # the arguments of __init__, or of __new__ for a tuple-like class
            target = "__init__" if any("__init__" in vars(k) for k in obj.__mro__[:-1]) else "__new__"
            checked = decorate(getattr(obj, target))
            setattr(obj, target, staticmethod(checked) if target == "__new__" else checked)
            obj.__contract__, obj.__contract_target__ = checked.__contract__, target
            return obj
        sig = inspect.signature(obj)
        unknown = sorted(set(rules) - set(sig.parameters))
        if unknown:
            raise TypeError(f"the contract of {obj.__qualname__} names no parameter of it: {unknown}")
        kinds = {p.name: p.kind for p in sig.parameters.values()}

        @functools.wraps(obj)
        def checked(*args, **kwargs):
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as err:
                raise TypeError(f"{obj.__qualname__}(): {err}") from None
            for param, value in bound.arguments.items():
                rule = rules.get(param)
                if rule is None:
                    continue
                label = bound.arguments.get(rule.label_from) if rule.label_from else None
                name = label if isinstance(label, str) and label.strip() else param   # the caller's word for it
                if kinds[param] is _VAR_POSITIONAL:
                    for i, v in enumerate(value):
                        rule.check(v, f"{name}[{i}]")
                elif kinds[param] is _VAR_KEYWORD:
                    for key, v in value.items():
                        rule.check(v, key)
                else:
                    rule.check(value, name)
            return obj(*args, **kwargs)

        checked.__contract__ = rules
        checked.__signature__ = sig          # for tools that do not follow __wrapped__ (getfullargspec, Keras)
        return checked

    return decorate
