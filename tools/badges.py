"""Launch buttons (Colab, Kaggle, Binder) and the notebooks' set-up cell, generated from one template.

The repository's address lives in one place, ``[project.urls] Repository`` in pyproject.toml (and the
branch in ``[tool.cnnkit] branch``). This module builds every badge and every notebook's clone command
from it; ``python -m tools.badges`` rewrites them in the notebooks and in README.md, and
``tests/test_notebook_readiness.py`` checks that what is committed is what this module generates.

    >>> badges("02_convolution.ipynb", repository="https://github.com/o/r", branch="main").split(") [")[0]
    '[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/o/r/blob/main/notebooks/02_convolution.ipynb'
"""
import json
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
# What the cell does where: Colab ("google.colab" is imported in its kernels) and Kaggle (its kernels set
# KAGGLE_KERNEL_RUN_TYPE, "Interactive" or "Batch"; the working folder is /kaggle/working) get the course cloned
# into ./cnnkit-course and installed with pip (-e, so its notebooks and data folders are there too); a running
# kernel does not read the new install's .pth file, hence the sys.path line. Anywhere else a missing cnnkit is a
# ModuleNotFoundError that names this kernel's Python and what to run. CNNKIT_REPO and CNNKIT_BRANCH override the
# address and branch (tests/test_setup_cell.py points them at a local clone). The last line imports cnnkit first,
# so TensorFlow's start-up log stays out of the outputs whatever the notebook imports next.
_SETUP = """\
# Setup: on Colab and Kaggle this fetches the course and installs cnnkit; where cnnkit is installed it does nothing.
import importlib.util
import os
import sys

REPO = "{repository}.git"
BRANCH = "{branch}"
if importlib.util.find_spec("cnnkit") is None:
    ON_KAGGLE = "KAGGLE_KERNEL_RUN_TYPE" in os.environ
    if "google.colab" not in sys.modules and not ON_KAGGLE:
        raise ModuleNotFoundError(
            f"cnnkit is not installed for this notebook's Python ({{sys.executable}}). In a terminal, in the folder "
            f"you cloned the course into, run:  {{sys.executable}} -m pip install -e .  and restart the kernel "
            "(or start Jupyter from the course's virtual environment: README.md, 'Set up and take the course').")
    import subprocess
    home = os.path.abspath("cnnkit-course")  # /content/cnnkit-course on Colab, /kaggle/working/… on Kaggle
    if not os.path.isfile(os.path.join(home, "pyproject.toml")):
        url = os.environ.get("CNNKIT_REPO", REPO)
        print(f"Fetching the course from {{url}} into {{home}} and installing cnnkit (once per session)…")
        clone = ["git", "clone", "-q", "--depth", "1", "--branch", os.environ.get("CNNKIT_BRANCH", BRANCH), url, home]
        if subprocess.run(clone).returncode != 0:
            raise RuntimeError(f"could not clone the course from {{url}}: " + (
                "switch Internet on in the notebook's settings (Settings -> Internet), then run this cell again"
                if ON_KAGGLE else "check that this runtime can reach GitHub, then run this cell again"))
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


def _source_lines(text):
    """A cell's source as nbformat writes it: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def _patch_source(raw, old, new):
    """``raw`` (a notebook's JSON text) with the one cell source equal to ``old`` replaced by ``new``.

    Only that ``"source"`` value changes, written as nbformat writes it (a list of lines, one per line, at the
    indentation the file already uses): every other byte of the file (outputs, metadata, cells another engineer
    is editing) stays as it is.
    """
    decoder = json.JSONDecoder()
    key = '"source": '
    at = raw.find(key)
    while at != -1:
        start = at + len(key)
        value, end = decoder.raw_decode(raw, start)
        if ("".join(value) if isinstance(value, list) else value) == old:
            line_start = raw.rfind("\n", 0, at) + 1
            indent = raw[line_start:at]
            items = _source_lines(new)
            if not items:
                return raw[:start] + "[]" + raw[end:]
            inner = indent + " "
            body = ",\n".join(inner + json.dumps(item, ensure_ascii=False) for item in items)
            return raw[:start] + "[\n" + body + "\n" + indent + "]" + raw[end:]
        at = raw.find(key, end)
    raise ValueError("no cell with that source")


def update(paths=None):
    """Rewrite the badge line and the set-up cell in each notebook, and the badges in README.md.

    A notebook is patched in place, cell source by cell source (:func:`_patch_source`), never re-serialised:
    outputs and the cells other people are editing keep every byte.
    """
    paths = paths or sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        raw = Path(path).read_text(encoding="utf-8")
        cells = json.loads(raw)["cells"]
        patched = raw
        setup_done = False
        for cell in cells:
            old = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            new = old
            if cell["cell_type"] == "markdown":
                new = BADGE_LINE.sub(lambda m: badges(Path(path).name), old, count=1)
            elif cell["cell_type"] == "code" and not setup_done:
                setup_done = True       # the first code cell is the set-up cell
                if old.startswith(SETUP_MARK):
                    new = setup_source()
            if new != old:
                patched = _patch_source(patched, old, new)
        if patched != raw:
            Path(path).write_text(patched, encoding="utf-8")
            print(f"updated {Path(path).name}")
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = re.sub(r"\| \[!\[Open In Colab\][^\n]*?notebooks/(\d\d_[\w.-]+\.ipynb)\)[^|\n]* \|",
                 lambda m: f"| {badges(m.group(1))} |", text)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("updated README.md")


if __name__ == "__main__":
    update([Path(p) for p in sys.argv[1:]] or None)
