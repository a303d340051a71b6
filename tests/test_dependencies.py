"""Every third-party import is declared in the right place, and requirements.txt says what pyproject.toml says.

The places (pyproject.toml): what the package and the notebooks import goes in ``dependencies`` (so that
``pip install -e .`` alone gives a working course, as on Colab and Kaggle); what only the tests, the tools and
contributors need goes in an extra (``lab``, ``test``, ``dev``; ``site`` for the web site's tools).
requirements.txt holds the same packages with tested ranges and installs ``-e .[dev]``.
"""
import ast
import importlib.metadata
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (the test extra installs it there)
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
# import names whose distribution is not installed here (the site's tools, say) and differs from the import
KNOWN = {"PIL": "pillow", "sklearn": "scikit-learn", "skimage": "scikit-image", "IPython": "ipython",
         "yaml": "pyyaml", "bs4": "beautifulsoup4"}
LOCAL = {"cnnkit", "tools", "tests", "benchmarks", "conftest"}
# a script may import a sibling script of its folder (benchmarks/style_race.py imports style_quality)
#: standard-library modules newer than the oldest supported Python (3.10): importable only behind a version check
#: (test_no_unguarded_import_of_a_module_python_310_lacks), and not third-party on 3.10 either
NEWER_THAN_310 = {"tomllib", "wsgiref.types"}
LOCAL |= {p.stem for folder in ("benchmarks", "tools") for p in (REPO / folder).glob("*.py")}


def _name(requirement):
    """``'scikit-learn>=1.4,<2'`` → ``'scikit-learn'`` (normalised as pip does)."""
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _lower(requirement):
    found = re.search(r">=\s*([\d.]+)", requirement)
    return tuple(int(p) for p in found.group(1).split(".")) if found else None


@lru_cache(maxsize=None)
def _project():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _declared(*extras):
    project = _project()
    found = {_name(r): r for r in project["dependencies"]}
    for extra in extras:
        found.update({_name(r): r for r in project.get("optional-dependencies", {}).get(extra, [])
                      if _name(r) != "cnnkit"})
    return found


def _requirements_txt():
    lines = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def _imports(source):
    tree = ast.parse(source)
    names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    names |= {node.module.split(".")[0] for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    return {n for n in names if n not in sys.stdlib_module_names and n not in NEWER_THAN_310 and n not in LOCAL
            and not n.startswith("_")}


@lru_cache(maxsize=None)
def _providers():
    return importlib.metadata.packages_distributions()


def _distributions(import_name):
    providers = _providers().get(import_name)
    names = set(providers or [KNOWN.get(import_name, import_name)])
    return {_name(n) for n in names}


def _undeclared(files, declared, root=REPO):
    missing = []
    for path in files:
        if path.suffix == ".ipynb":
            from IPython.core.inputtransformer2 import TransformerManager   # magics → Python, as the kernel does

            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            names = set()
            for cell in cells:
                if cell["cell_type"] == "code":
                    try:
                        names |= _imports(TransformerManager().transform_cell("".join(cell["source"])))
                    except SyntaxError:       # a cell that does not run is the notebook tests' concern
                        continue
        else:
            names = _imports(path.read_text(encoding="utf-8"))
        for name in sorted(names):
            if not _distributions(name) & set(declared):
                missing.append(f"{path.relative_to(root)} imports {name}")
    return missing


def _files(folder, pattern="*.py"):
    return sorted(p for p in (REPO / folder).rglob(pattern) if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("folder, pattern, extras", [
    ("cnnkit", "*.py", ()),                         # the package: pip install -e . must be enough
    ("notebooks", "[0-9][0-9]_*.ipynb", ()),       # the lessons: likewise
    ("tests", "*.py", ("test",)),
    ("benchmarks", "*.py", ("test",)),
    ("tools", "*.py", ("test", "dev", "lab", "site")),
])
def test_every_third_party_import_is_declared_in_the_right_place(folder, pattern, extras):
    files = _files(folder, pattern)
    if not files:
        pytest.skip(f"no {pattern} in {folder}/")
    missing = _undeclared(files, _declared(*extras))
    assert not missing, (f"declare these in pyproject.toml's {'dependencies' if not extras else extras} "
                         f"(and requirements.txt): {missing}")


def test_the_checker_catches_an_undeclared_import(tmp_path):
    assert _imports("import numpy\nimport h5py\nfrom selenium import webdriver\nimport os\nfrom . import x\n") == {
        "numpy", "h5py", "selenium"}
    assert _distributions("sklearn") == {"scikit-learn"} and _distributions("PIL") == {"pillow"}
    declared = _declared()
    assert "h5py" not in declared and "selenium" not in declared      # test-only: not in the course's list
    assert "h5py" in _declared("test")
    probe = tmp_path / "probe.py"
    probe.write_text("import h5py\nimport numpy\n")
    assert _undeclared([probe], declared, root=tmp_path) == ["probe.py imports h5py"]
    assert _undeclared([probe], _declared("test"), root=tmp_path) == []


def test_requirements_txt_lists_what_pyproject_declares_with_tested_ranges():
    pinned = {_name(r): r for r in _requirements_txt() if not r.startswith("-")}
    wanted = _declared("lab", "test", "dev")
    assert set(pinned) == set(wanted), (
        f"only in requirements.txt: {sorted(set(pinned) - set(wanted))}; "
        f"only in pyproject.toml: {sorted(set(wanted) - set(pinned))}")
    for name, line in pinned.items():
        assert "<" in line, f"requirements.txt: {line!r} needs an upper bound (< next major)"
        low, floor = _lower(line), _lower(wanted[name])
        assert low is not None and (floor is None or low >= floor), (
            f"requirements.txt's {line!r} allows less than pyproject's {wanted[name]!r}")
    assert _requirements_txt()[-1] == "-e .[dev]", "requirements.txt must end by installing the course with its extras"


def test_dev_extra_holds_the_lab_and_test_extras():
    extras = _project()["optional-dependencies"]
    assert {"lab", "test", "dev"} <= set(extras)
    assert "cnnkit[lab,test]" in extras["dev"]
    assert not _declared().keys() & {"pytest", "jupyterlab", "nbval", "selenium"}, "test tools are not the course's"


def test_supported_pythons_are_declared_once_and_said_in_the_readme():
    spec = _project()["requires-python"]
    assert spec.replace(" ", "") == ">=3.10,<3.14", spec
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "3.10–3.13" in readme, "README must state the supported Pythons"
    for minor in (10, 11, 12, 13):
        assert (REPO / f"requirements-lock-py3{minor}.txt").is_file(), f"no lock for Python 3.{minor}"



@pytest.mark.parametrize("folder", ["cnnkit", "tools", "tests", "benchmarks"])
def test_no_unguarded_import_of_a_module_python_310_lacks(folder):
    """``import tomllib`` at the top of a test broke collection on Python 3.10 (found by running the suite there)."""
    bad = []
    for path in sorted((REPO / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {id(n) for node in ast.walk(tree) if isinstance(node, (ast.If, ast.Try))
                   for n in ast.walk(node)}
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n in NEWER_THAN_310 for n in names) and id(node) not in guarded:
                bad.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not bad, f"guard these imports with a version check (Python 3.10 is supported): {bad}"
