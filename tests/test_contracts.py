"""The contract sweep (issue 17 §1): every public callable declares a rule for every argument, and refuses bad ones.

For each public function and class (every name in each namespace's ``__all__``, recursively through the
submodules listed there; for a module without ``__all__``, the public names it defines) and each of its
parameters, every bad value that parameter's rule lists, plus a generic set (wrong type, NaN, empty,
negative, wrong shape, a string for a list, a truthy non-bool: each kept only where the rule refuses it), is
passed to the **real** callable, the other arguments taken from their rules' examples. Each call must end in a
``TypeError`` or ``ValueError`` (``FileNotFoundError`` for a path that must exist) whose message names the
argument, raised from ``cnnkit/_checks`` before the function's body started: never a TensorFlow, NumPy or PIL
message, never after work began. ``python -m tests.test_contracts`` prints the number of cases.
"""
import dataclasses
import importlib
import inspect
import math
import re
from pathlib import Path

import numpy as np
import pytest

import cnnkit
from cnnkit._checks import REFUSALS, Any_, Rule

CHECKS = Path(cnnkit.__file__).parent / "_checks"
#: at least this many bad-argument calls (a drop means contracts or rules were lost)
FLOOR = 12000
#: generic bad values tried on every parameter whose rule refuses them
GENERIC = {
    "object()": object(), "NaN": math.nan, "empty string": "", "empty list": [], "-1": -1,
    "6-D array": np.zeros((2,) * 6), "a string for a list": "abc", "truthy non-bool 'no'": "no",
    "truthy non-bool 2": 2, "None": None, "1-D NaN array": np.array([np.nan, 1.0]),
}


def _public_names(module):
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [k for k, v in vars(module).items()
            if not k.startswith("_") and getattr(v, "__module__", None) == module.__name__]


def public_callables():
    """``{qualified name: callable}`` for every public function and class of cnnkit, each once."""
    found, seen, done = {}, set(), set()

    def walk(name):
        if name in done:
            return
        done.add(name)
        module = importlib.import_module(name)
        for attr in _public_names(module):
            value = getattr(module, attr)
            if inspect.ismodule(value):
                if value.__name__.startswith("cnnkit.") and not value.__name__.startswith("cnnkit._"):
                    walk(value.__name__)
                continue
            if not callable(value) or not str(getattr(value, "__module__", "")).startswith("cnnkit"):
                continue
            key = (value.__module__, value.__qualname__)
            if key not in seen:
                seen.add(key)
                found[f"{value.__module__}.{value.__qualname__}"] = value
    for sub in cnnkit.__all__:
        walk(f"cnnkit.{sub}")
    return dict(sorted(found.items()))


CALLABLES = public_callables()


def _target(obj):
    """What a call runs first: the function, or the class's ``__init__`` (``__new__`` for a tuple-like class)."""
    if not isinstance(obj, type):
        return obj
    return getattr(obj, getattr(obj, "__contract_target__", "__init__"))


def _parameters(obj):
    """The parameters a caller passes (``self`` / ``cls`` left out for a class)."""
    params = list(inspect.signature(_target(obj)).parameters.values())
    if isinstance(obj, type) and params and params[0].name in ("self", "cls", "_cls"):
        params = params[1:]
    return params


def _contract(obj):
    return getattr(_target(obj), "__contract__", None)


def _body(obj):
    """The code object of the wrapped function (its body must never start for a refused argument)."""
    return inspect.unwrap(_target(obj)).__code__


def cases(name, obj):
    """``(parameter, label, bad value, kwargs)`` for every bad-argument call of ``obj``."""
    rules = _contract(obj)
    params = _parameters(obj)
    out = []
    for p in params:
        rule = rules.get(p.name)
        if rule is None:                # reported by the first test; nothing to feed here
            continue
        bad = [(f"rule: {_label(v)}", v) for v in rule.bad_values()]
        bad += [(f"generic: {label}", v) for label, v in GENERIC.items() if not rule.accepts(v)]
        for label, value in bad:
            out.append((p.name, label, value))
    return out


def _must_exist(rule):
    """Whether ``rule`` (or one of its alternatives) asks for a path that exists (then FileNotFoundError is right)."""
    return getattr(rule, "kind", None) is not None or any(_must_exist(r) for r in getattr(rule, "rules", ()))


def _label(value):
    text = repr(value).replace("\n", " ")
    return text if len(text) < 40 else text[:37] + "…"


def _call(obj, params, rules, target, value):
    """Call ``obj`` with ``value`` for ``target`` and every other required argument from its rule's example.

    Arguments go by keyword, except positional-only ones and those before a ``*args`` (by position).
    """
    args, kwargs = [], {}
    positional = any(p.kind is p.VAR_POSITIONAL for p in params)
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            positional = False
            if p.name == target:
                args.append(value)
            continue
        if p.name == target:
            v = value
        elif p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD:
            v = rules[p.name].example() if p.name in rules else None
        elif positional and p.kind is p.POSITIONAL_OR_KEYWORD:
            v = p.default
        else:
            continue
        if p.kind is p.POSITIONAL_ONLY or (positional and p.kind is p.POSITIONAL_OR_KEYWORD):
            args.append(v)
        else:
            kwargs[p.name] = v              # a **kwargs parameter gets one entry under its own name
    return obj(*args, **kwargs)


ALL_CASES = {name: cases(name, obj) for name, obj in CALLABLES.items() if _contract(obj) is not None}


@pytest.mark.parametrize("name", list(CALLABLES))
def test_every_parameter_has_a_rule_and_every_default_satisfies_it(name):
    obj = CALLABLES[name]
    rules = _contract(obj)
    assert rules is not None, f"{name} has no @contract"
    params = {p.name: p for p in _parameters(obj)}
    assert set(rules) == set(params), f"{name}: parameters without a rule {sorted(set(params) - set(rules))}"
    for p in params.values():
        assert isinstance(rules[p.name], Rule)
        if isinstance(rules[p.name], Any_):
            assert len(rules[p.name].why) > 10, f"{name}({p.name}): Any_ needs a real reason"
        if p.default is not inspect.Parameter.empty and p.default is not dataclasses._HAS_DEFAULT_FACTORY:
            rules[p.name].check(p.default, p.name)      # the default satisfies its own rule


@pytest.mark.parametrize("name", list(CALLABLES))
def test_bad_arguments_are_refused_by_name_before_any_work(name):
    obj = CALLABLES[name]
    rules = _contract(obj)
    assert rules is not None, f"{name} has no @contract"
    params, body, failures = _parameters(obj), _body(obj), []
    for target, label, value in ALL_CASES[name]:
        try:
            _call(obj, params, rules, target, value)
        except REFUSALS as err:
            tb = err.__traceback__
            frames = []
            while tb is not None:
                frames.append(tb.tb_frame.f_code)
                tb = tb.tb_next
            where = Path(frames[-1].co_filename).resolve()
            problem = (None if CHECKS in where.parents else f"raised from {where.name}:{frames[-1].co_name}") or \
                (f"the body ran ({body.co_name})" if body in frames else None) or \
                (None if re.search(rf"(?<![\w]){re.escape(target)}(?![\w])", str(err))
                 else f"the message does not name {target!r}: {err}") or \
                (None if not isinstance(err, FileNotFoundError) or _must_exist(rules[target])
                 else f"FileNotFoundError for a rule that takes no existing path: {err}")
            if problem:
                failures.append(f"{target} = {label}: {problem}")
        except Exception as err:  # noqa: BLE001 - the point: anything else is a failure to report
            failures.append(f"{target} = {label}: {type(err).__name__}: {err}")
        else:
            failures.append(f"{target} = {label}: accepted")
    assert not failures, f"{name}:\n  " + "\n  ".join(failures)


def test_the_sweep_tries_enough_cases():
    n = sum(len(c) for c in ALL_CASES.values())
    print(f"contract sweep: {len(CALLABLES)} public callables, {n} bad-argument calls")
    assert n >= FLOOR            # (a callable without a contract is reported by the first test)


if __name__ == "__main__":
    print(f"{len(CALLABLES)} public callables, {sum(len(c) for c in ALL_CASES.values())} bad-argument calls")
