"""The course as a static website, built offline from the committed notebooks (Sphinx + MyST-NB).

``python -m tools.site`` writes the site into ``build/site/`` (git-ignored); open ``build/site/index.html``
or serve the folder (``python -m http.server -d build/site``). Nothing is executed: the pages show the
outputs committed in ``notebooks/``. Nothing is fetched, at build time or when a page is read: MathJax is the
copy that the ``sphinx-mathjax-offline`` package ships, the theme's fonts and scripts ship with the theme,
and the search index is Sphinx's own ``searchindex.js``.

The pieces, each a plain function that the tests call on its own:

- :func:`transform_notebook` turns a committed notebook into the page's notebook: the badge line becomes
  launch buttons (:func:`launch_links`, the same URLs as ``tools.badges``), and an ipywidgets output, which
  needs a running kernel, becomes a note that points at the static figure drawn beside it.
- :func:`count_figures` counts a notebook's image outputs: the figures its page must show.
- :func:`rewrite_link` maps a link written in the repository (``notebooks/02_convolution.ipynb``,
  ``../datasets/README.md``) to the page that shows it, or to the file on GitHub.
- :func:`public_api` walks ``cnnkit``'s ``__all__`` lists for the package reference.
- :func:`write_sources` lays out the Sphinx project in ``build/site-src/``; :func:`build` runs Sphinx.
"""
import copy
import html
import importlib
import inspect
import json
import posixpath
import re
import shutil
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
NOTEBOOKS = REPO / "notebooks"
SOURCE = REPO / "build" / "site-src"
OUT = REPO / "build" / "site"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SETUP_MARK = "# Setup: "      # how the set-up cell starts (tools.badges.SETUP_MARK)
BADGE_LINE = re.compile(r"^\[!\[Open In Colab\].*$", re.M)
BADGE = re.compile(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)\s]+)\)")
LINK = re.compile(r"(!?)(\[[^\]]*\]\(|href=\")([^)\"\s]+)")
# where a file of the repository is shown on the site (repository path -> site path)
SITE_PATHS = {"README.md": "index.md", "datasets/README.md": "datasets.md"}
LAUNCH_LABELS = {"Open In Colab": "Open in Colab", "Open In Kaggle": "Open in Kaggle", "Launch Binder": "Launch Binder"}


def lesson_paths():
    """The course's notebooks, in order: ``notebooks/NN_*.ipynb``."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def launch_links(name, *, repository=None, branch=None):
    """``[(label, url), ...]``: the launch buttons of ``notebooks/<name>``, parsed from ``tools.badges.badges``.

    The site builds no URL of its own, so its buttons point exactly where the notebooks' badges point::

        >>> launch_links("02_convolution.ipynb", repository="https://github.com/o/r", branch="main")[0]
        ('Open in Colab', 'https://colab.research.google.com/github/o/r/blob/main/notebooks/02_convolution.ipynb')
    """
    from tools.badges import badges

    return [(LAUNCH_LABELS.get(label, label), url)
            for label, url in BADGE.findall(badges(name, repository=repository, branch=branch))]


def badge_urls(text):
    """The URLs of the launch badges in Markdown ``text`` (the badge line the notebooks carry), in order.

        >>> badge_urls("[![Open In Colab](https://x/badge.svg)](https://colab/nb) and text")
        ['https://colab/nb']
    """
    return [url for _, url in BADGE.findall(text)]


def launch_buttons_html(name, *, repository=None, branch=None):
    """The launch buttons of ``notebooks/<name>`` as an HTML block (plain links: no image, nothing fetched)."""
    links = " ".join(f'<a class="launch-button" href="{html.escape(url)}">{html.escape(label)}</a>'
                     for label, url in launch_links(name, repository=repository, branch=branch))
    return f'<div class="launch-buttons">{links}</div>'


def _outputs(nb):
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            yield from cell.get("outputs", [])


def is_widget_output(output):
    """True for an output that is an ipywidgets view (it renders only with a running kernel)."""
    return WIDGET_MIME in output.get("data", {})


def is_figure_output(output):
    """True for an output that shows an image (and is not a widget view, whose page shows a note instead)."""
    data = output.get("data", {})
    return not is_widget_output(output) and any(mime in data for mime in IMAGE_MIMES)


def count_figures(nb):
    """How many image outputs the notebook ``nb`` (a dict as read from JSON) holds: the figures its page shows.

        >>> png = {"output_type": "display_data", "data": {"image/png": "iVBO", "text/plain": "<Figure>"}}
        >>> widget = {"output_type": "display_data", "data": {WIDGET_MIME: {}, "text/plain": "VBox()"}}
        >>> count_figures({"cells": [{"cell_type": "code", "outputs": [png, widget, png]}]})
        2
    """
    return sum(is_figure_output(o) for o in _outputs(nb))


def count_widgets(nb):
    """How many ipywidgets outputs the notebook ``nb`` holds."""
    return sum(is_widget_output(o) for o in _outputs(nb))


def _has_figure(cell):
    return cell is not None and cell["cell_type"] == "code" and any(map(is_figure_output, cell.get("outputs", [])))


def fallback_position(cells, index):
    """Where the static figure of the widget in ``cells[index]`` is: ``"below"``, ``"above"`` or ``None``.

    The course draws it in the code cell right after the widget (lesson 02) or right before (lesson 04).
    """
    after = cells[index + 1] if index + 1 < len(cells) else None
    before = cells[index - 1] if index > 0 else None
    own = any(map(is_figure_output, cells[index].get("outputs", [])))
    return "here" if own else "below" if _has_figure(after) else "above" if _has_figure(before) else None


def widget_note_html(name, position, *, repository=None, branch=None):
    """The note that replaces a widget's output on the page: what it needs and where to run it."""
    where = {"below": "The figure below shows it as saved in the notebook.",
             "above": "The figure above shows it as saved in the notebook.",
             "here": "The figure in this output shows it as saved in the notebook.",
             None: "The saved notebook has no static picture of it."}[position]
    colab = dict(launch_links(name, repository=repository, branch=branch))["Open in Colab"]
    return (f'<div class="widget-fallback"><p><strong>Interactive widget.</strong> Its controls need a running '
            f'Python kernel, so they cannot move on this page. {where}</p>'
            f'<p><a class="launch-button" href="{html.escape(colab)}">Open in Colab to use it</a></p></div>')


def transform_notebook(nb, name, *, repository=None, branch=None):
    """The notebook that the page of ``notebooks/<name>`` shows, made from the committed ``nb`` (not modified).

    - the badge line becomes launch buttons (HTML links, no remote badge images; added under the title
      when the notebook has none);
    - each ipywidgets output becomes a note (``widget_note_html``); the notebook's saved widget state is
      dropped, so no page loads the widget JavaScript from a CDN;
    - the set-up cell's code (the same installer in every lesson) is folded away (``hide-input``);
    - links to other files of the repository go to their page on the site or to GitHub (``rewrite_link``).

        >>> text = "# 02 · T\\n\\n[![Open In Colab](b.svg)](u)\\n\\nSee [x](../datasets/README.md)"
        >>> widget = {"output_type": "display_data", "data": {WIDGET_MIME: {}}}
        >>> nb = {"metadata": {"widgets": {}}, "cells": [{"cell_type": "markdown", "source": text},
        ...                                              {"cell_type": "code", "source": "w", "outputs": [widget]}]}
        >>> page = transform_notebook(nb, "02_convolution.ipynb", repository="https://github.com/o/r", branch="main")
        >>> md = page["cells"][0]["source"]
        >>> 'class="launch-buttons"' in md, "b.svg" in md, "(../datasets.md)" in md, "widgets" in page["metadata"]
        (True, False, True, False)
        >>> list(page["cells"][1]["outputs"][0]["data"])
        ['text/html']
    """
    page = copy.deepcopy(nb)
    page.setdefault("metadata", {}).pop("widgets", None)
    buttons = launch_buttons_html(name, repository=repository, branch=branch)
    placed = False
    cells = page["cells"]
    for i, cell in enumerate(cells):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            if not placed and BADGE_LINE.search(source):
                source = BADGE_LINE.sub(lambda _: buttons, source, count=1)
                placed = True
            source = rewrite_links(source, f"notebooks/{name}", repository=repository, branch=branch)
        cell["source"] = source
        if cell["cell_type"] == "code" and source.startswith(SETUP_MARK):
            # the installer cell (the same in every lesson) folds away behind a "Show code" toggle
            cell["metadata"] = {**cell.get("metadata", {}),
                                "tags": [*cell.get("metadata", {}).get("tags", []), "hide-input"]}
        if cell["cell_type"] == "code":
            position = fallback_position(cells, i)
            cell["outputs"] = [
                {"output_type": "display_data", "metadata": {},
                 "data": {"text/html": widget_note_html(name, position, repository=repository, branch=branch)}}
                if is_widget_output(out) else out
                for out in cell.get("outputs", [])]
    if not placed:
        first = next((c for c in cells if c["cell_type"] == "markdown"), None)
        if first is None:
            cells.insert(0, {"cell_type": "markdown", "metadata": {}, "source": buttons})
        else:
            head, _, rest = first["source"].partition("\n")
            first["source"] = (f"{head}\n\n{buttons}\n\n{rest}" if head.startswith("# ")
                               else f"{buttons}\n\n{head}\n{rest}")
    return page


def site_path(repo_path):
    """The site's source path of a repository file (``None`` for a file the site does not show).

        >>> site_path("notebooks/05_building_a_cnn.ipynb"), site_path("datasets/README.md"), site_path("setup.cfg")
        ('lessons/05_building_a_cnn.ipynb', 'datasets.md', None)
    """
    if re.fullmatch(r"notebooks/\d\d_[\w.-]+\.ipynb", repo_path):
        return "lessons/" + repo_path.split("/", 1)[1]
    return SITE_PATHS.get(repo_path)


def rewrite_link(target, source, *, repository=None, branch=None):
    """Where a link written in repository file ``source`` to ``target`` goes on the site.

    Web addresses and anchors stay; a file the site shows becomes a relative link to its page; any other
    repository file or folder becomes its address on GitHub (``blob``; ``tree`` for a folder)::

        >>> kw = dict(repository="https://github.com/o/r", branch="main")
        >>> rewrite_link("notebooks/02_convolution.ipynb#stride", "README.md", **kw)
        'lessons/02_convolution.ipynb#stride'
        >>> rewrite_link("03_pooling.ipynb", "notebooks/02_convolution.ipynb", **kw)
        '03_pooling.ipynb'
        >>> rewrite_link("../datasets/README.md", "notebooks/02_convolution.ipynb", **kw)
        '../datasets.md'
        >>> rewrite_link("benchmarks/README.md", "README.md", **kw)
        'https://github.com/o/r/blob/main/benchmarks/README.md'
        >>> rewrite_link("https://keras.io/", "README.md", **kw), rewrite_link("#top", "README.md", **kw)
        ('https://keras.io/', '#top')
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
        return target
    path, hash_, anchor = target.partition("#")
    if not path:
        return target
    repo_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if repo_path.startswith("../"):
        return target
    shown = site_path(repo_path)
    if shown is not None:
        here = posixpath.dirname(site_path(source) or source)
        return posixpath.relpath(shown, here or ".") + hash_ + anchor
    if repository is None or branch is None:
        from tools.badges import project

        repository, branch = project()
    kind = "tree" if (REPO / repo_path).is_dir() or path.endswith("/") else "blob"
    return f"{repository}/{kind}/{branch}/{repo_path.rstrip('/')}" + hash_ + anchor


def rewrite_links(text, source, *, repository=None, branch=None):
    """``rewrite_link`` applied to every Markdown link and ``href`` in ``text``, written in file ``source``.

    Images (``![alt](path)``) keep their path: a picture must never become a page on GitHub.

        >>> rewrite_links('[a](../datasets/README.md) ![b](x.png) <a href="04_dense_layers.ipynb">',
        ...               "notebooks/03_pooling.ipynb", repository="https://github.com/o/r", branch="main")
        '[a](../datasets.md) ![b](x.png) <a href="04_dense_layers.ipynb">'
    """
    def one(m):
        if m.group(1):
            return m.group(0)
        return m.group(2) + rewrite_link(m.group(3), source, repository=repository, branch=branch)

    return LINK.sub(one, text)


def notebook_title(nb):
    """The first ``# `` heading of a notebook (its page title), or ``None``."""
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            match = re.search(r"^# (.+)$", source, re.M)
            if match:
                return match.group(1).strip()
    return None


def readme_sections(text):
    """``(title, intro, {heading: body})`` of a Markdown file split at its ``## `` headings."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    head = parts[0].strip()
    title, _, intro = head.partition("\n")
    sections = {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    return title.lstrip("# ").strip(), intro.strip(), sections


def _what_you_do(sections):
    """``{notebook file name: "what you do"}`` from the README's table of notebooks (empty if it moved)."""
    table = next((body for heading, body in sections.items() if "notebook" in heading.lower()), "")
    found = {}
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        match = re.search(r"notebooks/(\d\d_[\w.-]+\.ipynb)", row)
        if match and len(cells) >= 3:
            found[match.group(1)] = cells[2]
    return found


def home_page(readme, lessons, *, repository=None, branch=None):
    """The home page (MyST Markdown) from the README's text and ``[(file name, title), ...]`` of the lessons."""
    title, intro, sections = readme_sections(readme)
    what = _what_you_do(sections)

    def section(heading, name):
        body = sections.get(name)
        return f"## {heading}\n\n{rewrite_links(body, 'README.md', repository=repository, branch=branch)}\n" \
            if body else ""

    rows = ["| # | Lesson | What you do | Run it |", "|---|---|---|---|"]
    for name, lesson_title in lessons:
        number, _, rest = lesson_title.partition(" · ")
        links = " ".join(f'<a class="launch-button" href="{html.escape(url)}">{html.escape(label.split()[-1])}</a>'
                         for label, url in launch_links(name, repository=repository, branch=branch))
        rows.append(f"| {number} | [{rest or lesson_title}](lessons/{name}) | {what.get(name, '')} | {links} |")
    toctree = "\n".join(f"lessons/{name}" for name, _ in lessons)
    name, _, tagline = title.partition(" — ")       # a short title for the navigation, the rest as a lead line
    return "\n".join([
        f"# {name}", "", f"*{tagline[:1].upper()}{tagline[1:]}.*" if tagline else "", "",
        rewrite_links(intro, "README.md", repository=repository, branch=branch), "",
        "## The path through the course", "",
        ("Read the lessons in order: each one uses what the ones before it built. Every page shows the outputs of "
         "one real run of its notebook; to run it yourself, open it in Colab, Kaggle or Binder with the buttons "
         "(on its page too), or on your own machine as described below."), "",
        *rows, "",
        "## How to run it", "",
        ("- **Colab**: the *Colab* button opens the notebook; its first cell installs the course. From lesson 05 on, "
         "choose *Runtime → Change runtime type → GPU*."),
        ("- **Kaggle**: the *Kaggle* button imports the notebook; switch *Internet* on in the notebook's settings so "
         "its first cell can install the course."),
        "- **Binder**: the *Binder* button starts JupyterLab with the course installed (CPU only, slower to start).",
        "- **Your own machine**: see below.", "",
        section("Run it on your own machine", "Set up and take the course"),
        section("Colab and GPUs", "Colab and GPUs"),
        section("The package", "The package").replace("## The package\n\n",
                                                       "## The package\n\nThe [reference](api/index) lists every "
                                                       "public function, from its docstring.\n\n"),
        section("Datasets", "Datasets"),
        "```{toctree}", ":caption: Lessons", ":hidden:", "", toctree, "```", "",
        "```{toctree}", ":caption: Reference", ":hidden:", "", "datasets", "api/index", "```", ""])


# ---- the package reference ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ApiEntry:
    """One public object of cnnkit: where it is documented (``module.name``) and what it is."""
    module: str
    name: str
    kind: str          # "module", "function", "class" or "data"
    section: str       # the top-level namespace it is listed under (``cnnkit.data``)

    @property
    def qualname(self):
        return f"{self.module}.{self.name}"


def _kind(obj):
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def _public_names(module):
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    # a module without __all__: what it defines itself, not what it imports
    return sorted(n for n, obj in vars(module).items()
                  if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                  and getattr(obj, "__module__", None) == module.__name__)


def public_api(package="cnnkit"):
    """Every public object of ``package``, walking each (sub)package's ``__all__`` (lazy_loader resolves names).

    A name re-exported by a package is documented there once (its shortest public path), not again in the
    submodule that defines it. A module without ``__all__`` contributes the functions and classes it defines.
    """
    root = importlib.import_module(package)
    entries, seen_objects, seen_modules = [], set(), set()
    queue = [(root, None)]
    while queue:
        module, section = queue.pop(0)
        if module.__name__ in seen_modules:
            continue
        seen_modules.add(module.__name__)
        entries.append(ApiEntry(module.__name__, "", "module", section or module.__name__))
        submodules = []
        for name in _public_names(module):
            try:
                obj = getattr(module, name)
            except (ImportError, AttributeError) as err:
                raise RuntimeError(f"the package reference needs {module.__name__}.{name} (it is in "
                                   f"{module.__name__}.__all__), which does not import: {err}") from err
            if isinstance(obj, types.ModuleType):
                if obj.__name__.startswith(package + "."):
                    submodules.append((obj, section or obj.__name__))
                continue
            if id(obj) in seen_objects:
                continue
            seen_objects.add(id(obj))
            entries.append(ApiEntry(module.__name__, name, _kind(obj), section or module.__name__))
        queue.extend(submodules)
    return entries


def api_pages(entries):
    """``{file name: reStructuredText}`` of the reference: an index and one page per top-level namespace."""
    sections = {}
    for entry in entries:
        sections.setdefault(entry.section, []).append(entry)
    pages = {}
    for section, items in sorted(sections.items()):
        lines = [section, "=" * len(section), ""]
        for entry in items:
            if entry.kind == "module":
                if entry.module != section:
                    lines += ["", entry.module, "-" * len(entry.module), ""]
                lines += [f".. automodule:: {entry.module}", "   :no-members:", ""]
                continue
            directive = {"function": "autofunction", "class": "autoclass", "data": "autodata"}[entry.kind]
            lines.append(f".. {directive}:: {entry.qualname}")
            if entry.kind == "class":
                lines.append("   :members:")
            lines.append("")
        pages[f"{section}.rst"] = "\n".join(lines)
    counts = {s: sum(e.kind in ("function", "class") for e in items) for s, items in sections.items()}
    index = ["Package reference", "=================", "",
             ("Every public function and class of ``cnnkit``, generated from the docstrings: each namespace's "
              "``__all__``, and for a module without one, what it defines. ``import cnnkit`` loads nothing; "
              "each namespace loads on first use."), "",
             ".. list-table::", "   :header-rows: 1", "", "   * - namespace", "     - functions and classes"]
    for section in sorted(sections):
        index += [f"   * - :doc:`{section}`", f"     - {counts[section]}"]
    index += ["", ".. toctree::", "   :hidden:", ""] + [f"   {s}" for s in sorted(sections)] + [""]
    pages["index.rst"] = "\n".join(index)
    return pages


# ---- the build ------------------------------------------------------------------------------------------------------

def _write(path, text):
    """Write ``text`` unless the file already holds it (unchanged files keep their time: Sphinx skips them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_sources(src=SOURCE):
    """Lay out the Sphinx project in ``src``: home, lessons, dataset cards, reference. Returns the page names."""
    from tools.badges import project

    repository, branch = project()
    src = Path(src)
    wanted = set()
    lessons = []
    for path in lesson_paths():
        nb = json.loads(path.read_text(encoding="utf-8"))
        page = transform_notebook(nb, path.name, repository=repository, branch=branch)
        _write(src / "lessons" / path.name, json.dumps(page, ensure_ascii=False, indent=1) + "\n")
        wanted.add(f"lessons/{path.name}")
        lessons.append((path.name, notebook_title(nb) or path.stem))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    _write(src / "index.md", home_page(readme, lessons, repository=repository, branch=branch))
    cards = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
    _write(src / "datasets.md", rewrite_links(cards, "datasets/README.md", repository=repository, branch=branch))
    wanted |= {"index.md", "datasets.md"}
    entries = public_api()
    for name, text in api_pages(entries).items():
        _write(src / "api" / name, text)
        wanted.add(f"api/{name}")
    # what the reference must show, for the browser test to check against the built pages
    _write(src / "api-entries.json", json.dumps([e.qualname for e in entries if e.kind != "module"], indent=0))
    for stale in [p for p in src.rglob("*") if p.is_file() and p.suffix in (".md", ".rst", ".ipynb")]:
        if stale.relative_to(src).as_posix() not in wanted:
            stale.unlink()
    return sorted(wanted)


@dataclass
class BuildResult:
    """What :func:`build` made: the output folder, its HTML pages, the seconds it took, Sphinx's warnings."""
    out: Path
    pages: list
    seconds: float
    warnings: list


def build(out=OUT, *, src=SOURCE, quiet=False, fresh=False):
    """Build the site into ``out`` (from the committed notebooks; nothing executed, nothing downloaded)."""
    import io

    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace

    start = time.perf_counter()
    out, src = Path(out), Path(src)
    doctrees = src.parent / (src.name + "-doctrees")
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
    write_sources(src)
    warnings = io.StringIO()
    nocolor()                      # plain text in the warnings we return
    with docutils_namespace():
        app = Sphinx(str(src), str(HERE), str(out), str(doctrees), "html",
                     status=None if quiet else sys.stdout, warning=warnings,
                     freshenv=fresh, keep_going=True)
        app.build()
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "_static" not in p.parts)
    found = [line for line in warnings.getvalue().splitlines() if line.strip()]
    return BuildResult(out, pages, time.perf_counter() - start, found)
