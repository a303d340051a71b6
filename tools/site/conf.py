"""Sphinx settings of the course website (``python -m tools.site`` builds it; see tools/site/__init__.py).

Also usable by hand, after ``python -m tools.site`` wrote the sources:
``sphinx-build -c tools/site build/site-src build/site``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))   # the repository: tools, cnnkit

from tools.badges import project as _project

_repository, _branch = _project()

project = "cnnkit"
html_title = "cnnkit course"
author = "the cnnkit course authors"
copyright = "the cnnkit course authors, MIT licence"

extensions = [
    "myst_nb",                 # notebooks and MyST Markdown pages (reads the committed outputs)
    "sphinx.ext.autodoc",      # the package reference, from the docstrings
    "sphinx.ext.napoleon",     # Google-style docstrings (Args:, Returns:, Raises:, Example:)
    "sphinx.ext.mathjax",
    "tools.site.ext",          # a local MathJax copy, the launch-button styles
]

# ---- notebooks: nothing is executed, nothing is fetched ----
nb_execution_mode = "off"      # the pages show the outputs committed in notebooks/
nb_ipywidgets_js = {}          # no widget JavaScript from a CDN: widget outputs become a note (transform_notebook)
nb_merge_streams = True
# the one folded cell is each lesson's set-up cell (transform_notebook tags it hide-input)
nb_code_prompt_show = "Show the set-up cell (it installs the course on Colab and Kaggle)"
nb_code_prompt_hide = "Hide the set-up cell"
nb_output_stderr = "show"
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

# ---- the package reference ----
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# ---- HTML: a book layout; everything it loads ships in the output folder ----
html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": _repository,
    "repository_branch": _branch,
    "use_repository_button": True,     # a plain link to GitHub (the icon font ships with the theme)
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "show_prev_next": True,
    "navigation_with_keys": False,
    "navbar_persistent": [],           # one search box, in the sidebar (not a second one in a top bar)
}
html_static_path = [str(Path(__file__).resolve().parent / "static")]
html_css_files = ["site.css"]
html_favicon = str(Path(__file__).resolve().parent / "static" / "favicon.svg")
html_context = {"default_mode": "light"}   # light first (figures are drawn on white); the reader can switch
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None
exclude_patterns = ["**.ipynb_checkpoints"]
