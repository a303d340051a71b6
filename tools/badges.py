"""Launch buttons (Colab, Kaggle, Binder) and Colab set-up cells, generated from one template.

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


def update(paths=None):
    """Rewrite the badge line and the clone address in each notebook, and the badges in README.md."""
    import nbformat

    paths = paths or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            new = cell.source
            if cell.cell_type == "markdown":
                new = BADGE_LINE.sub(badges(path.name), new, count=1)
            elif '"google.colab" in sys.modules' in new:
                new = CLONE.sub(clone_url(), new)
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
