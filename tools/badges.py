"""Launch buttons (Colab, Kaggle, Binder) and the notebooks' set-up cell, generated from one template.

The repository's address lives in one place, ``[project.urls] Repository`` in pyproject.toml (and the
branch in ``[tool.cnnkit] branch``). This module builds every badge and every notebook's clone command
from it; ``python -m tools.badges`` rewrites them in the notebooks and in README.md, and
``tests/test_notebook_readiness.py`` checks that what is committed is what this module generates.

    >>> badges("02_convolution.ipynb", repository="https://github.com/o/r", branch="main").split(") [")[0]
    '[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/o/r/blob/main/notebooks/02_convolution.ipynb'
"""
import re
import sys
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BADGE_LINE = re.compile(r"^\[!\[Open In Colab\].*$", re.M)
CLONE = re.compile(r'"https://github\.com/[\w.-]+/[\w.-]+\.git"')


def project():
    """``(repository URL, branch)`` from pyproject.toml."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")   # (tomllib is Python ≥ 3.11 only)
    repository = re.search(r'^Repository = "([^"]+)"', text, re.M).group(1)
    branch = re.search(r'^\[tool\.cnnkit\]\s*\nbranch = "([^"]+)"', text, re.M).group(1)
    return repository.rstrip("/"), branch


def badges(name, *, repository=None, branch=None):
    """The launch badges of ``notebooks/<name>`` as one Markdown line: Colab, Kaggle, Binder."""
    if repository is None or branch is None:
        repository, branch = project()
    slug = repository.removeprefix("https://github.com/")
    path = f"notebooks/{name}"
    colab = f"https://colab.research.google.com/github/{slug}/blob/{branch}/{path}"
    kaggle = f"https://kaggle.com/kernels/welcome?src={repository}/blob/{branch}/{path}"
    binder = f"https://mybinder.org/v2/gh/{slug}/{branch}?labpath={quote(path, safe='')}"
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab}) "
            f"[![Open In Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)]({kaggle}) "
            f"[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder})")


def clone_url():
    """The ``git clone`` address the Colab set-up cells use, quoted as it appears in their code."""
    return f'"{project()[0]}.git"'


SETUP_MARK = "# Setup: "
_SETUP = """\
# Setup: on Colab and Kaggle this fetches the course and installs cnnkit; where cnnkit is installed it does nothing.
import importlib.util
import os
import sys

REPO = "{repository}.git"
BRANCH = "{branch}"
if importlib.util.find_spec("cnnkit") is None:
    if "google.colab" not in sys.modules and "KAGGLE_KERNEL_RUN_TYPE" not in os.environ:
        raise ModuleNotFoundError(
            "cnnkit is not installed in this kernel's Python. In a terminal, in the folder you cloned the course "
            "into, run `python3 -m pip install -e .`, then restart the kernel (or start Jupyter from there).")
    import subprocess
    home = os.path.abspath("cnnkit-course")  # /content/cnnkit-course on Colab, /kaggle/working/… on Kaggle
    if not os.path.isdir(home):
        clone = ["git", "clone", "-q", "--depth", "1", "--branch", BRANCH, os.environ.get("CNNKIT_REPO", REPO), home]
        if subprocess.run(clone).returncode != 0:
            raise RuntimeError("could not clone the course: on Kaggle, switch Internet on in the notebook's settings "
                               "(Settings -> Internet), then run this cell again")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", home], check=True)
    sys.path.insert(0, home)
import cnnkit  # noqa: E402  first, so TensorFlow's start-up log stays out of your outputs whatever you import next"""


def setup_source(*, repository=None, branch=None):
    """The set-up cell every notebook opens with: installs the course on Colab and Kaggle, checks elsewhere.

        >>> src = setup_source(repository="https://github.com/o/r", branch="main")
        >>> 'REPO = "https://github.com/o/r.git"' in src, src.startswith(SETUP_MARK)
        (True, True)
    """
    if repository is None or branch is None:
        repository, branch = project()
    return _SETUP.format(repository=repository, branch=branch)


def update(paths=None):
    """Rewrite the badge line and the set-up cell in each notebook, and the badges in README.md."""
    import nbformat

    paths = paths or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            new = cell.source
            if cell.cell_type == "markdown":
                new = BADGE_LINE.sub(badges(path.name), new, count=1)
            elif new.startswith(SETUP_MARK):
                new = setup_source()
            changed |= new != cell.source
            cell.source = new
        if changed:
            nbformat.write(nb, path)
            print(f"updated {path.name}")
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = re.sub(r"\| \[!\[Open In Colab\][^\n]*?notebooks/(\d\d_[\w.-]+\.ipynb)\)[^|\n]* \|",
                 lambda m: f"| {badges(m.group(1))} |", text)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("updated README.md")


if __name__ == "__main__":
    update([Path(p) for p in sys.argv[1:]] or None)
