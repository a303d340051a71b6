"""The notebooks' set-up cell (``tools.badges.setup_source``) as Colab, Kaggle and a local Jupyter run it.

Quick tests run the cell with ``subprocess.run`` recorded (nothing is cloned or installed) for each place, and
check that ``python -m tools.badges`` rewrites only that cell in a notebook. The slow test runs it for real in
fresh virtual environments (see its docstring for what it proves and what it does not).
"""
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import tools.badges as badges
from tools.badges import SETUP_MARK, project, setup_source

REPO = Path(__file__).resolve().parent.parent

_PROBE = r"""
import importlib.util, json, os, subprocess, sys, types
calls = []
def run(args, **kw):
    calls.append(list(args))
    return types.SimpleNamespace(returncode={clone_rc} if args[:2] == ["git", "clone"] else 0)
subprocess.run = run
if {colab}:
    sys.modules["google.colab"] = types.ModuleType("google.colab")
if {missing}:   # as on a fresh runtime: cnnkit not installed yet
    find = importlib.util.find_spec
    importlib.util.find_spec = lambda name, *a: None if name == "cnnkit" else find(name, *a)
before = list(sys.path)
result = {{"calls": calls}}
try:
    exec(compile({source!r}, "setup", "exec"), {{"__name__": "__main__"}})
except Exception as err:
    result["error"] = [type(err).__name__, str(err)]
result["added_to_path"] = [p for p in sys.path if p not in before]
print(json.dumps(result))
"""


def probe(*, colab=False, kaggle=False, missing=True, clone_rc=0, tmp_path):
    """Run the set-up cell in a fresh interpreter with ``subprocess.run`` recorded; its calls, error and path."""
    env = {k: v for k, v in os.environ.items() if k not in ("KAGGLE_KERNEL_RUN_TYPE", "CNNKIT_REPO", "CNNKIT_BRANCH")}
    if kaggle:
        env["KAGGLE_KERNEL_RUN_TYPE"] = "Interactive"
    env["PYTHONPATH"] = str(REPO)
    code = _PROBE.format(colab=colab, missing=missing, clone_rc=clone_rc, source=setup_source())
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env,
                         cwd=tmp_path, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("place", ["colab", "kaggle"])
def test_on_colab_and_kaggle_the_cell_clones_the_course_and_installs_it(place, tmp_path):
    found = probe(colab=place == "colab", kaggle=place == "kaggle", tmp_path=tmp_path)
    repository, branch = project()
    home = str(tmp_path / "cnnkit-course")
    assert found["calls"] == [
        ["git", "clone", "-q", "--depth", "1", "--branch", branch, f"{repository}.git", home],
        [sys.executable, "-m", "pip", "install", "-q", "-e", home],
    ]
    assert found["added_to_path"] == [home] and "error" not in found


def test_a_failed_clone_on_kaggle_says_to_switch_internet_on(tmp_path):
    found = probe(kaggle=True, clone_rc=128, tmp_path=tmp_path)
    assert found["error"][0] == "RuntimeError" and "Internet" in found["error"][1]
    assert len(found["calls"]) == 1, "nothing is installed after a failed clone"
    on_colab = probe(colab=True, clone_rc=128, tmp_path=tmp_path)
    assert "could not clone" in on_colab["error"][1] and "GitHub" in on_colab["error"][1]


def test_a_local_kernel_without_cnnkit_is_told_what_to_run(tmp_path):
    found = probe(tmp_path=tmp_path)
    name, message = found["error"]
    assert name == "ModuleNotFoundError" and found["calls"] == []
    assert f"{sys.executable} -m pip install -e ." in message and "restart the kernel" in message


def test_where_cnnkit_is_installed_the_cell_does_nothing(tmp_path):
    for place in ({}, {"colab": True}, {"kaggle": True}):
        found = probe(missing=False, tmp_path=tmp_path, **place)
        assert found == {"calls": [], "added_to_path": []}, place


def test_an_existing_clone_is_installed_not_cloned_again(tmp_path):
    (tmp_path / "cnnkit-course").mkdir()
    (tmp_path / "cnnkit-course" / "pyproject.toml").write_text("")
    found = probe(colab=True, tmp_path=tmp_path)
    assert [c[:4] for c in found["calls"]] == [[sys.executable, "-m", "pip", "install"]]


# ------------------------------------------------------------------ python -m tools.badges patches one cell
def _notebook(setup):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · Test\n\n[![Open In Colab](old badge)"),
                nbformat.v4.new_code_cell(setup),
                nbformat.v4.new_code_cell("x = 'Ünïcode ✓ \"quoted\"'\nprint(x)", execution_count=2,
                                          outputs=[nbformat.v4.new_output("stream", text="Ünïcode\n")])]
    nb.cells[2].metadata["tags"] = ["nbval-check-output"]
    return nb


def test_update_rewrites_only_the_setup_cell_and_the_badge_byte_for_byte(tmp_path, monkeypatch):
    home = tmp_path / "repo"
    (home / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", home / "pyproject.toml")
    (home / "README.md").write_text("no table here\n")
    monkeypatch.setattr(badges, "REPO", home)
    path = home / "notebooks" / "99_test.ipynb"
    old_setup, old_badge = SETUP_MARK + "an older template\nimport cnnkit", "# 99 · Test\n\n[![Open In Colab](old badge)"
    # bytes nbformat would not write (no final newline, an unsorted key): a re-serialised file would lose them
    before = nbformat.writes(_notebook(old_setup)).replace('"nbformat": 4,', '"nbformat":4,').rstrip("\n")
    path.write_text(before, encoding="utf-8")
    badges.update([path])
    after = path.read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[1].source == setup_source() and nb.cells[0].source.endswith(badges.badges("99_test.ipynb"))
    undone = badges._patch_source(badges._patch_source(after, setup_source(), old_setup), nb.cells[0].source, old_badge)
    assert undone == before, "only the two sources changed, every other byte is as it was"
    badges.update([path])
    assert path.read_text(encoding="utf-8") == after, "a second run changes nothing"


def test_patch_source_leaves_an_equal_text_in_outputs_alone():
    nb = _notebook("same text")
    nb.cells[2].outputs[0].text = "same text"
    raw = nbformat.writes(nb)
    patched = badges._patch_source(raw, "same text", "new\ntext")
    again = nbformat.reads(patched, as_version=4)
    assert again.cells[1].source == "new\ntext" and again.cells[2].outputs[0].text == "same text"
    with pytest.raises(ValueError, match="no cell"):
        badges._patch_source(raw, "absent", "x")


# ------------------------------------------------------------------ the real thing, in fresh environments
def _copy_distribution(name, site_packages):
    """Copy an installed distribution's files (package and .dist-info) from this environment into another's."""
    dist = importlib.metadata.distribution(name)
    for file in dist.files or ():
        if file.parts[0] == ".." or "__pycache__" in file.parts:
            continue                                        # scripts in bin/, byte code
        source = Path(dist.locate_file(file))
        if source.is_file():
            target = site_packages / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _fresh_venv(path):
    """A new virtual environment with pip and only what ``import cnnkit`` and an offline editable build need."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=300)
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    for name in ("lazy_loader", "packaging", "setuptools"):
        _copy_distribution(name, Path(purelib))
    return python


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "KAGGLE_", "CNNKIT_REPO", "CNNKIT_BRANCH", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_NO_DEPS="1", PIP_NO_BUILD_ISOLATION="0",
               PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


_RUN_CELL = r"""
import sys, types
if sys.argv[2] == "colab":
    sys.modules["google.colab"] = types.ModuleType("google.colab")   # what a Colab kernel has imported
exec(compile(open(sys.argv[1], encoding="utf-8").read(), "setup-cell", "exec"), {"__name__": "__main__"})
import cnnkit
print("CNNKIT", cnnkit.__file__)
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.skipif(sys.platform == "win32", reason="the fresh-venv layout here is POSIX's")
def test_setup_cell_installs_the_course_in_a_fresh_environment_as_colab_and_kaggle(tmp_path):
    """The set-up cell, run in fresh virtual environments without cnnkit, once as Colab and once as Kaggle.

    What it proves: from a Python where ``import cnnkit`` fails, the cell's own code (the exact text the notebooks
    carry) clones the course (``CNNKIT_REPO`` points at a clone of this checkout's HEAD, on a branch named by
    ``CNNKIT_BRANCH``), installs it with pip in editable mode, makes ``import cnnkit`` work in the same kernel
    (from the clone), and a fresh process of that environment then imports cnnkit from the clone too (the install
    holds). Run again, the cell does nothing. Where neither Colab nor Kaggle is detected, the same environment gets
    the ModuleNotFoundError naming its own Python.

    What it does not prove: that GitHub, Colab or Kaggle behave as simulated. Colab is recognised by a fake
    ``google.colab`` module and Kaggle by ``KAGGLE_KERNEL_RUN_TYPE``, the markers those kernels carry; the clone is
    local; and to stay fast and offline the environments are given cnnkit's import-time needs (lazy_loader,
    packaging) and the build tool (setuptools) copied from this one, while the cell's
    ``pip install -e`` runs with ``PIP_NO_DEPS`` and no index, so cnnkit's dependency list (TensorFlow…) is not
    installed here: tests/test_dependencies.py and the README's install cover that.
    """
    have = tuple(int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    if have < (77, 0):   # pyproject's build-system; the test extra installs it
        pytest.skip(f"the offline build needs setuptools >= 77 here, found {importlib.metadata.version('setuptools')}")
    origin = tmp_path / "origin"
    subprocess.run(["git", "clone", "-q", str(REPO), str(origin)], check=True, timeout=300)
    subprocess.run(["git", "-C", str(origin), "checkout", "-q", "-B", "setup-cell-test"], check=True)
    cell = tmp_path / "setup_cell.py"
    cell.write_text(setup_source(), encoding="utf-8")
    runner = tmp_path / "run_cell.py"
    runner.write_text(_RUN_CELL, encoding="utf-8")
    for place in ("colab", "kaggle"):
        python = _fresh_venv(tmp_path / f"venv-{place}")
        work = tmp_path / place / ("kaggle/working" if place == "kaggle" else "content")
        work.mkdir(parents=True)
        env = _clean_env(CNNKIT_REPO=origin.as_uri(), CNNKIT_BRANCH="setup-cell-test",
                         **({"KAGGLE_KERNEL_RUN_TYPE": "Interactive"} if place == "kaggle" else {}))
        missing = subprocess.run([str(python), "-c", "import cnnkit"], capture_output=True, text=True, cwd=work,
                                 env=_clean_env())
        assert missing.returncode != 0 and "No module named 'cnnkit'" in missing.stderr, "cnnkit must be missing"

        local = subprocess.run([str(python), str(runner), str(cell), "local"], capture_output=True, text=True,
                               cwd=work, env=_clean_env(), timeout=120)
        assert local.returncode != 0 and f"{python} -m pip install -e ." in local.stderr, local.stderr[-2000:]

        first = subprocess.run([str(python), str(runner), str(cell), place], capture_output=True, text=True,
                               cwd=work, env=env, timeout=600)
        assert first.returncode == 0, f"{place}: {first.stdout[-2000:]}\n{first.stderr[-3000:]}"
        home = work / "cnnkit-course"
        assert f"CNNKIT {home / 'cnnkit' / '__init__.py'}" in first.stdout, first.stdout
        assert "Fetching the course" in first.stdout

        elsewhere = tmp_path / place / "elsewhere"
        elsewhere.mkdir()
        fresh = subprocess.run([str(python), "-c", "import cnnkit, importlib.metadata as m; "
                                "print(cnnkit.__file__); print(m.version('cnnkit'))"],
                               capture_output=True, text=True, cwd=elsewhere, env=_clean_env(), timeout=120)
        assert fresh.returncode == 0, fresh.stderr[-2000:]
        assert fresh.stdout.split() == [str(home / "cnnkit" / "__init__.py"), _version()], fresh.stdout

        again = subprocess.run([str(python), str(runner), str(cell), place], capture_output=True, text=True,
                               cwd=work, env=env, timeout=120)
        assert again.returncode == 0 and "Fetching" not in again.stdout, again.stderr[-2000:]


def _version():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    return next(line.split('"')[1] for line in text.splitlines() if line.startswith("version = "))
