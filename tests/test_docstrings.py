"""One docstring format across the package (issue 17 §3): Google style, with a runnable example.

Every public function and class (the contract sweep's list) has a summary line, an ``Args:`` section naming each
parameter, a ``Returns:`` section when it returns something, and an ``Example:`` with a ``>>>`` line that runs
(``pytest --doctest-modules`` runs them; a network-only line may be skipped, but not every line). Modules still
being converted are listed in ``NOT_YET``, so the list can only shrink.
"""
import ast
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path

import pytest

# the contract sweep's list of public callables (loaded by path: tests/ is not a package)
_spec = importlib.util.spec_from_file_location("_contract_sweep", Path(__file__).with_name("test_contracts.py"))
_sweep = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sweep)
CALLABLES, _parameters = _sweep.CALLABLES, _sweep._parameters

#: modules whose docstrings are not converted yet (issue 17 §3; remove a module once it passes)
NOT_YET = set()


def _returns_a_value(obj):
    if isinstance(obj, type):
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(obj))))
    except (OSError, TypeError):
        return False
    func = tree.body[0]
    nested = {id(n) for f in ast.walk(func) if f is not func and isinstance(f, (ast.FunctionDef, ast.Lambda))
              for n in ast.walk(f)}
    return any(isinstance(n, ast.Return) and n.value is not None and id(n) not in nested for n in ast.walk(func))


def problems(obj):
    """What the docstring of ``obj`` lacks, as a list of short sentences."""
    doc = inspect.getdoc(obj) or ""
    out = []
    if not doc or not doc.splitlines()[0].strip():
        return ["no summary line"]
    sections = set(re.findall(r"^(Args|Returns|Yields|Raises|Example|Examples|Note|Attributes):\s*$", doc, re.M))
    params = [p.name for p in _parameters(obj)]
    if params:
        if "Args" not in sections:
            out.append("no Args: section")
        else:
            args = doc.split("Args:", 1)[1]
            args = re.split(r"^\S", args, maxsplit=1, flags=re.M)[0]          # up to the next section
            named = set()
            for entry in re.findall(r"^    (\*{0,2}[\w, *]+?)(?: \([^)]*\))?:", args, re.M):
                named |= {n.strip().lstrip("*") for n in entry.split(",")}
            missing = [p for p in params if p not in named]
            if missing:
                out.append(f"Args: lacks {missing}")
    if _returns_a_value(obj) and not sections & {"Returns", "Yields"}:
        out.append("no Returns: section")
    if not sections & {"Example", "Examples"}:
        out.append("no Example: section")
    runnable = [line for line in doc.splitlines() if line.strip().startswith(">>>") and "+SKIP" not in line]
    if not runnable:
        out.append("no runnable >>> line")
    return out


CONVERTED = {name: obj for name, obj in CALLABLES.items() if obj.__module__ not in NOT_YET}


@pytest.mark.parametrize("name", list(CONVERTED))
def test_google_style_docstring_with_a_runnable_example(name):
    found = problems(CONVERTED[name])
    assert not found, f"{name}: " + "; ".join(found)


def test_not_yet_lists_only_modules_that_still_need_it():
    """Once a module passes, it leaves NOT_YET (the list only shrinks)."""
    present = {o.__module__ for o in CALLABLES.values()}
    done = [m for m in NOT_YET & present if all(not problems(o) for o in CALLABLES.values() if o.__module__ == m)]
    assert not done, f"these modules pass now: remove them from NOT_YET: {sorted(done)}"
