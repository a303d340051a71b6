"""Colab readiness and house rules, checked on every committed notebook (no kernel needed)."""
import re
from pathlib import Path

import nbformat
import pytest

from tools.badges import SETUP_MARK, badges, clone_url, project, setup_source
from tools.notebook_runner import problems

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# the lessons that train networks or optimise images benefit from a GPU runtime on Colab
GPU_LESSONS = {f"{n:02d}" for n in range(5, 11)}

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")


def _load(path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, _load(request.param)


def test_valid_nbformat(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3", f"{path.name}: kernelspec must be python3"


def test_launch_badges_come_from_the_one_template(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), f"{path.name}: must open with a title"
    assert badges(path.name) in first.source.splitlines(), (
        f"{path.name}: the launch badges differ from tools.badges (run `python -m tools.badges`)")
    repository, branch = project()
    assert f"{repository.removeprefix('https://github.com/')}/blob/{branch}/notebooks/{path.name}" in badges(path.name)


def test_setup_cell_clones_the_repository_of_pyproject(notebook):
    path, nb = notebook
    assert clone_url() in _setup_source(nb, path), f"{path.name}: the set-up cell does not clone {clone_url()}"


def _setup_source(nb, path):
    first = _code_cells(nb)[0]
    assert first.source == setup_source(), f"{path.name}: the set-up cell differs from tools.badges (run `python -m tools.badges`)"
    return first.source


def test_setup_cell_is_the_first_code_cell(notebook):
    # what the cell does on Colab, on Kaggle and locally is tested once, on the template: tests/test_setup_cell.py
    path, nb = notebook
    assert _code_cells(nb)[0].source.startswith(SETUP_MARK), f"{path.name}: the first code cell must be the set-up cell"
    assert _setup_source(nb, path).rstrip().endswith("import cnnkit  # noqa: E402  first, so TensorFlow's start-up "
                                                    "log stays out of your outputs whatever you import next")


def test_parameters_cell_depends_on_device(notebook):
    path, nb = notebook
    tagged = [c for c in _code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: want exactly one cell tagged 'parameters', found {len(tagged)}"
    assert "pick_device" in tagged[0].source or "ON_GPU" in tagged[0].source


def test_gpu_accelerator_metadata(notebook):
    path, nb = notebook
    if path.name[:2] in GPU_LESSONS:
        assert nb.metadata.get("accelerator") == "GPU", f"{path.name}: set metadata accelerator: GPU for Colab"


def test_template_sections(notebook):
    path, nb = notebook
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"learning objectives", text, re.I), f"{path.name}: no learning objectives"
    assert re.search(r"^##+ .*recap", text, re.I | re.M), f"{path.name}: no recap section"
    assert re.search(r"^##+ .*exercises", text, re.I | re.M), f"{path.name}: no exercises section"
    assert re.search(r"<details>\s*<summary>[^<]*Solution", text), f"{path.name}: exercise solutions belong in <details>"
    index = NOTEBOOKS.index(path)
    if index + 1 < len(NOTEBOOKS):
        nxt = NOTEBOOKS[index + 1].name
        assert f"({nxt})" in text, f"{path.name}: no link to the next notebook {nxt}"


def test_executed_cleanly_and_small(notebook):
    path, _ = notebook
    assert problems(path) == [], f"{path.name}: {problems(path)}"


def test_readme_lists_every_notebook_with_its_badge():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme, f"README does not link {path.name}"
        assert badges(path.name) in readme, f"README's badges for {path.name} differ from tools.badges"


def test_ci_runs_the_readme_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("pip install -r requirements.txt", "pytest"):
        assert command in readme, f"README lacks `{command}`"
        assert re.search(rf"^\s*{re.escape(command)}\s*$", ci, re.M), f".ci/run does not run `{command}`"
    assert "python3 -m venv" in ci, ".ci/run must use a fresh virtual environment"
