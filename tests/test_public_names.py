"""No two public things share a name (issue 17 §3): a name exported from two modules is one object.

Every public module of cnnkit is walked: those reached through each namespace's ``__all__`` (lazy_loader's
``attach`` lists its submodules and re-exported names there) and every other module file whose dotted path has
no part starting with ``_`` (e.g. ``cnnkit.explain.gradcam``, whose namespace re-exports its names but does not
list it). What a module exports is its ``__all__``, or, for a module without one, the functions and classes of
cnnkit it holds (defined there or imported from another cnnkit module: a re-export must be the same object too).
A namespace may re-export a submodule's object (``cnnkit.medical.make_fundus`` is
``cnnkit.medical.fundus.make_fundus``); what fails is a second definition under the same name.

The lesson modules ``cnnkit.exercises.lessonNN`` are left out of the comparison **with each other**: each lesson
has its own ``q1``, ``q2``… and its own ``setup`` (the objects a notebook's exercises section checks against),
and a learner reaches them only through one lesson at a time (``from cnnkit.exercises import lesson05 as ex``).
Their names are still compared with the rest of the package, so a lesson's helper cannot shadow a library function.
"""
import importlib
import importlib.util
import inspect
import pkgutil
import re
import types
from pathlib import Path

import pytest

import cnnkit

#: per-lesson exercise modules: ``q1``, ``setup``… may differ from lesson to lesson (see the module docstring)
LESSON = re.compile(r"cnnkit\.exercises\.lesson\d\d")


def _public(dotted):
    return dotted.startswith("cnnkit") and not any(part.startswith("_") for part in dotted.split("."))


def public_modules():
    """``{name: module}`` for every public module of cnnkit, through the ``__all__`` lists and the files."""
    modules = {}

    def walk(name):
        if name in modules:
            return
        module = modules[name] = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            value = getattr(module, attr)               # lazy_loader imports it here
            if isinstance(value, types.ModuleType) and _public(value.__name__):
                walk(value.__name__)

    walk("cnnkit")
    for info in pkgutil.walk_packages(cnnkit.__path__, "cnnkit."):
        if _public(info.name):
            walk(info.name)
    return dict(sorted(modules.items()))


def exported(module):
    """``{name: object}`` that ``module`` exports: its ``__all__``, else the cnnkit functions and classes it holds."""
    names = getattr(module, "__all__", None)
    if names is not None:
        values = {name: getattr(module, name) for name in names}
    else:
        values = {name: value for name, value in vars(module).items()
                  if not name.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value))
                  and str(getattr(value, "__module__", "")).startswith("cnnkit")}
    return {name: value for name, value in values.items() if not isinstance(value, types.ModuleType)}


def clashes(modules):
    """``{name: [[modules exporting one object], [modules exporting another], …]}`` for a name bound to ≥ 2 objects.

    Lesson modules (:data:`LESSON`) are compared with the rest of the package, not with each other.
    """
    owners = {}                                          # name -> id(object) -> [module names]
    for module_name, module in modules.items():
        for name, value in exported(module).items():
            owners.setdefault(name, {}).setdefault(id(value), []).append(module_name)
    out = {}
    for name, by_object in owners.items():
        groups = list(by_object.values())
        package = [g for g in groups if not all(LESSON.fullmatch(m) for m in g)]
        if len(package) > 1 or (package and len(groups) > len(package)):
            out[name] = sorted(groups)
    return out


MODULES = public_modules()


def test_the_walk_reaches_every_application_and_lesson():
    for name in ("cnnkit.metrics", "cnnkit.medical.intervals", "cnnkit.music.evaluation", "cnnkit.style",
                 "cnnkit.explain.gradcam", "cnnkit.music.recommend.als", "cnnkit.exercises.lesson05"):
        assert name in MODULES
    assert not [m for m in MODULES if not _public(m)]


def test_no_name_is_bound_to_two_objects():
    found = clashes(MODULES)
    assert not found, "one name, two objects: " + "; ".join(
        f"{name} in " + " vs ".join("/".join(group) for group in groups) for name, groups in sorted(found.items()))


def _fake(name, **attrs):
    module = types.ModuleType(name)
    module.__all__ = list(attrs)
    vars(module).update(attrs)
    return module


def _function(module_name):
    def wilson_interval(successes, n):
        return successes / n
    wilson_interval.__module__ = module_name
    return wilson_interval


def test_clashes_finds_a_second_definition_and_allows_a_reexport():
    one, two = _function("cnnkit.metrics"), _function("cnnkit.music.evaluation")
    a, b = _fake("cnnkit.metrics", wilson_interval=one), _fake("cnnkit.music.evaluation", wilson_interval=two)
    assert clashes({"cnnkit.metrics": a, "cnnkit.music.evaluation": b}) == {
        "wilson_interval": [["cnnkit.metrics"], ["cnnkit.music.evaluation"]]}
    again = _fake("cnnkit.music.evaluation", wilson_interval=one)            # the same object, re-exported
    assert clashes({"cnnkit.metrics": a, "cnnkit.music.evaluation": again}) == {}
    # a module without __all__: the cnnkit functions it holds count, imported ones included
    bare = types.ModuleType("cnnkit.medical.intervals")
    bare.wilson_interval = two
    assert list(clashes({"cnnkit.metrics": a, "cnnkit.medical.intervals": bare})) == ["wilson_interval"]


def test_lessons_may_reuse_q1_and_setup_but_not_a_package_name():
    q1, q1_other, setup, setup_other = object(), object(), _function("x"), _function("y")
    lessons = {"cnnkit.exercises.lesson05": _fake("cnnkit.exercises.lesson05", q1=q1, setup=setup),
               "cnnkit.exercises.lesson06": _fake("cnnkit.exercises.lesson06", q1=q1_other, setup=setup_other)}
    assert clashes(lessons) == {}
    shadow = _fake("cnnkit.exercises.lesson09", wilson_interval=_function("cnnkit.exercises.lesson09"))
    metrics = _fake("cnnkit.metrics", wilson_interval=_function("cnnkit.metrics"))
    assert list(clashes({**lessons, "cnnkit.exercises.lesson09": shadow, "cnnkit.metrics": metrics})) == [
        "wilson_interval"]


def test_the_interval_statistics_have_one_definition_each():
    from cnnkit import metrics
    from cnnkit.medical import intervals
    from cnnkit.music import evaluation

    assert intervals.Interval is metrics.Interval               # bootstrap_interval returns the shared type
    assert evaluation.wilson_interval is metrics.wilson_interval
    assert evaluation.seed_interval is metrics.seed_interval
    assert intervals.bootstrap_difference is not metrics.paired_difference
    assert not hasattr(intervals, "paired_difference")           # renamed, no shim
    for name in ("Interval", "wilson_interval", "accuracy_interval", "paired_difference", "seed_interval"):
        assert name in metrics.__all__


def test_the_contract_sweep_sees_the_lesson_modules():
    spec = importlib.util.spec_from_file_location("_contract_sweep", Path(__file__).with_name("test_contracts.py"))
    sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sweep)
    lessons = sorted(m for m in MODULES if LESSON.fullmatch(m))
    assert len(lessons) >= 11
    assert set(lessons) <= {f"cnnkit.exercises.{name}" for name in cnnkit.exercises.__all__}
    for name in ("cnnkit.exercises.lesson02.edge", "cnnkit.exercises.lesson05.paired_interval",
                 "cnnkit.exercises.lesson06.frechet_distance", "cnnkit.exercises.lesson08.screening_ppv"):
        assert name in sweep.CALLABLES


@pytest.mark.parametrize("name", [m for m in MODULES if LESSON.fullmatch(m)])
def test_each_lesson_module_is_listed_by_the_exercises_namespace(name):
    assert name.rsplit(".", 1)[1] in cnnkit.exercises.__all__
