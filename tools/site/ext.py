"""A Sphinx extension for the course site: MathJax 3 from a local copy, never from a CDN; clean constants.

The copy is the one the ``sphinx-mathjax-offline`` package (a ``[site]`` extra) ships on PyPI: MathJax's
``tex-chtml.js`` with its fonts and the TeX extensions it loads on demand. Only those parts are copied into
``_static/mathjax/`` (about 10 MB of its 24), and ``mathjax_path`` points at them.
"""
import shutil
from pathlib import Path

MATHJAX_ENTRY = "tex-chtml.js"
# the other combined builds and the SVG/node outputs are never loaded by tex-chtml.js
MATHJAX_SKIP = ("tex-svg*", "tex-mml-*", "tex-chtml-full*", "mml-*", "node-main.js", "svg", "svg.js")


def mathjax_source():
    """The folder of the MathJax copy that ``sphinx-mathjax-offline`` installed."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        folder = Path(distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax"))
    except PackageNotFoundError:
        folder = None
    if folder is None or not (folder / MATHJAX_ENTRY).is_file():
        raise RuntimeError('MathJax not found: install the site\'s extra, pip install -e ".[site]"')
    return folder


def copy_mathjax(app, exc):
    if exc is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "mathjax"
        if not (target / MATHJAX_ENTRY).is_file():
            shutil.copytree(mathjax_source(), target, ignore=shutil.ignore_patterns(*MATHJAX_SKIP),
                            dirs_exist_ok=True)


def drop_type_docstring(app, what, name, obj, options, lines):
    """A constant (``cnnkit.medical.CAMERAS``, a dict) shows its own doc comment, never its type's (``dict``'s)."""
    type_doc = getattr(type(obj), "__doc__", None)
    if not isinstance(type_doc, str):
        return
    own = [line.strip() for line in lines if line.strip()]
    of_type = [line.strip() for line in type_doc.splitlines() if line.strip()]
    if what not in ("data", "attribute") or not own or not of_type:
        return
    # napoleon reads a type's summary "One exercise: a question…" as "type: description" and moves the type last
    described = of_type[0].split(":", 1)[1].strip() if ":" in of_type[0] else None
    if own[:2] == of_type[:2] or own[0] == described:
        lines.clear()


def setup(app):
    mathjax_source()   # fail early, with the install command, where the copy is missing
    app.config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    app.connect("build-finished", copy_mathjax)
    app.connect("autodoc-process-docstring", drop_type_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
