"""The course website's pieces (tools/site), fast: no Sphinx build, no browser (those are in test_site_browser.py)."""
import json
import re

import pytest

from tools import site
from tools.badges import BADGE_LINE, badges

KW = dict(repository="https://github.com/o/r", branch="main")
PNG = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBO", "text/plain": ["<Figure>"]}}
WIDGET = {"output_type": "execute_result", "metadata": {}, "execution_count": 3,
          "data": {site.WIDGET_MIME: {"model_id": "x"}, "text/plain": ["VBox(children=…)"]}}


def code(*outputs):
    return {"cell_type": "code", "metadata": {}, "source": "x", "outputs": list(outputs), "execution_count": 1}


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def committed():
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in site.lesson_paths()]


# ---- counting figures ----

def test_count_figures_counts_every_image_kind_and_nothing_else():
    jpeg = {"output_type": "execute_result", "data": {"image/jpeg": "/9j/", "text/plain": "<PIL>"}}
    svg = {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>"}}
    stream = {"output_type": "stream", "name": "stdout", "text": "image/png\n"}
    html = {"output_type": "display_data", "data": {"text/html": "<img src='data:image/png;base64,'>"}}
    error = {"output_type": "error", "ename": "E", "evalue": "", "traceback": []}
    nb = {"cells": [markdown("![x](y.png)"), code(PNG, jpeg), code(svg, stream, html, error), code(WIDGET)]}
    assert site.count_figures(nb) == 3
    assert site.count_widgets(nb) == 1


def test_a_widget_with_a_picture_in_its_bundle_is_not_a_figure():
    both = {"output_type": "display_data", "data": {site.WIDGET_MIME: {}, "image/png": "iVBO"}}
    assert site.count_figures({"cells": [code(both)]}) == 0
    assert site.count_widgets({"cells": [code(both)]}) == 1


# ---- widgets: where the static figure is, and the note ----

@pytest.mark.parametrize("cells, expected", [
    ([code(WIDGET), code(PNG)], "below"),                         # lesson 02: the frame drawn right after
    ([code(PNG), code(WIDGET)], "above"),                         # lesson 04: the default figure drawn right before
    ([code(PNG), code(WIDGET), code(PNG)], "below"),              # after wins
    ([code(PNG), markdown("text"), code(WIDGET), markdown("text")], None),   # not next to it: no claim
    ([code(WIDGET)], None),
    ([code(WIDGET, PNG)], "here"),
])
def test_fallback_position(cells, expected):
    index = next(i for i, c in enumerate(cells) if c["cell_type"] == "code" and WIDGET in c["outputs"])
    assert site.fallback_position(cells, index) == expected


@pytest.mark.parametrize("position, words", [("below", "figure below"), ("above", "figure above"),
                                             (None, "no static picture")])
def test_widget_note_says_it_needs_a_kernel_and_links_to_colab(position, words):
    note = site.widget_note_html("02_convolution.ipynb", position, **KW)
    assert "running Python kernel" in note and words in note
    assert 'href="https://colab.research.google.com/github/o/r/blob/main/notebooks/02_convolution.ipynb"' in note
    assert "<img" not in note


def test_transform_replaces_widgets_keeps_figures_and_leaves_the_original_alone():
    nb = {"metadata": {"widgets": {"state": {}}, "kernelspec": {}},
          "cells": [markdown("# 04 · T\n\nOverview.\n\n" + badges("04_dense_layers.ipynb", **KW)),
                    code(PNG), code(WIDGET), markdown("Next")]}
    before = json.dumps(nb)
    page = site.transform_notebook(nb, "04_dense_layers.ipynb", **KW)
    assert json.dumps(nb) == before
    assert "widgets" not in page["metadata"] and "kernelspec" in page["metadata"]
    assert site.count_widgets(page) == 0 and site.count_figures(page) == site.count_figures(nb) == 1
    note = page["cells"][2]["outputs"][0]
    assert note["output_type"] == "display_data" and "figure above" in note["data"]["text/html"]


def test_transform_turns_the_badge_line_into_launch_buttons_with_the_same_urls():
    line = badges("02_convolution.ipynb", **KW)
    nb = {"metadata": {}, "cells": [markdown(f"# 02 · Convolution\n\nOverview.\n\n{line}\n\n**Learning objectives**")]}
    md = site.transform_notebook(nb, "02_convolution.ipynb", **KW)["cells"][0]["source"]
    assert "badge" not in md and ".svg" not in md          # no remote badge images on the page
    assert re.findall(r'class="launch-button" href="([^"]+)"', md) == site.badge_urls(line)
    assert md.index("Overview") < md.index("launch-buttons") < md.index("Learning objectives")


def test_transform_folds_the_setup_cell_and_nothing_else():
    from tools.badges import SETUP_MARK, setup_source

    assert site.SETUP_MARK == SETUP_MARK
    nb = {"metadata": {}, "cells": [markdown("# 03 · P"), dict(code(), source=setup_source(**KW)),
                                    dict(code(), metadata={"tags": ["parameters"]})]}
    page = site.transform_notebook(nb, "03_pooling.ipynb", **KW)
    assert page["cells"][1]["metadata"]["tags"] == ["hide-input"]
    assert page["cells"][2]["metadata"]["tags"] == ["parameters"]


def test_transform_adds_launch_buttons_under_the_title_when_the_badge_line_is_missing():
    nb = {"metadata": {}, "cells": [markdown("# 03 · Pooling\nOverview.")]}
    md = site.transform_notebook(nb, "03_pooling.ipynb", **KW)["cells"][0]["source"]
    assert md.startswith("# 03 · Pooling\n\n<div class=\"launch-buttons\">") and md.endswith("Overview.")


@pytest.mark.parametrize("name, nb", committed(), ids=[n for n, _ in committed()])
def test_every_committed_notebook_transforms_cleanly(name, nb):
    page = site.transform_notebook(nb, name)
    assert site.WIDGET_MIME not in json.dumps(page) and "colab-badge.svg" not in json.dumps(page)
    assert site.count_figures(page) == site.count_figures(nb)
    notes = [o for c in page["cells"] for o in c.get("outputs", [])
             if 'class="widget-fallback"' in o.get("data", {}).get("text/html", "")]
    assert len(notes) == site.count_widgets(nb)
    # the buttons go where the committed badges go
    badge_line = next((m.group(0) for c in nb["cells"] if c["cell_type"] == "markdown"
                       for m in [BADGE_LINE.search("".join(c["source"]))] if m), None)
    expected = site.badge_urls(badge_line) if badge_line else [u for _, u in site.launch_links(name)]
    markdown_text = "\n".join(c["source"] for c in page["cells"] if c["cell_type"] == "markdown")
    buttons = re.search(r'<div class="launch-buttons">(.*?)</div>', markdown_text).group(1)
    assert re.findall(r'href="([^"]+)"', buttons) == expected
    assert expected == [u for _, u in site.launch_links(name)]


# ---- links ----

@pytest.mark.parametrize("target, source, expected", [
    ("notebooks/02_convolution.ipynb", "README.md", "lessons/02_convolution.ipynb"),
    ("datasets/README.md#gtzan", "README.md", "datasets.md#gtzan"),
    ("04_dense_layers.ipynb", "notebooks/03_pooling.ipynb", "04_dense_layers.ipynb"),
    ("../datasets/README.md", "notebooks/09_music_genres.ipynb", "../datasets.md"),
    ("../README.md", "notebooks/00_setup_and_gpu.ipynb", "../index.md"),
    ("../notebooks/01_images_as_matrices.ipynb", "datasets/README.md", "lessons/01_images_as_matrices.ipynb"),
    ("CONTRIBUTING.md", "README.md", "https://github.com/o/r/blob/main/CONTRIBUTING.md"),
    ("../cnnkit/ops.py", "notebooks/02_convolution.ipynb", "https://github.com/o/r/blob/main/cnnkit/ops.py"),
    ("benchmarks/", "README.md", "https://github.com/o/r/tree/main/benchmarks"),
    ("cnnkit", "README.md", "https://github.com/o/r/tree/main/cnnkit"),
    ("https://keras.io/api/#x", "README.md", "https://keras.io/api/#x"),
    ("mailto:a@b.c", "README.md", "mailto:a@b.c"),
    ("#recap", "notebooks/02_convolution.ipynb", "#recap"),
    ("../../elsewhere.md", "notebooks/02_convolution.ipynb", "../../elsewhere.md"),
])
def test_rewrite_link(target, source, expected):
    assert site.rewrite_link(target, source, **KW) == expected


def test_rewrite_links_leaves_images_and_code_free_text_alone():
    text = "See [cards](datasets/README.md), ![fig](figs/a.png) and <a href=\"CONTRIBUTING.md\">rules</a>."
    assert site.rewrite_links(text, "README.md", **KW) == (
        "See [cards](datasets.md), ![fig](figs/a.png) and "
        '<a href="https://github.com/o/r/blob/main/CONTRIBUTING.md">rules</a>.')


# ---- the home page ----

def test_home_page_has_every_lesson_its_buttons_and_the_ways_to_run_it():
    readme = (site.REPO / "README.md").read_text(encoding="utf-8")
    lessons = [(name, site.notebook_title(nb)) for name, nb in committed()]
    page = site.home_page(readme, lessons)
    title, intro, _ = site.readme_sections(readme)
    assert page.startswith(f"# {title.split(' — ')[0]}\n") and intro.splitlines()[0] in page
    for name, _ in lessons:
        assert f"(lessons/{name})" in page
        for _, url in site.launch_links(name):
            assert f'href="{url}"' in page
    for way in ("Colab", "Kaggle", "Binder", "own machine", "pip install -r requirements.txt"):
        assert way in page
    assert "colab-badge.svg" not in page and "](notebooks/" not in page


def test_readme_sections_splits_at_level_two_headings():
    title, intro, sections = site.readme_sections("# T\n\nIntro.\n\n## A\n\na\n### a1\n\n## B\nb\n")
    assert (title, intro, sections) == ("T", "Intro.", {"A": "a\n### a1", "B": "b"})


# ---- the package reference ----

def test_public_api_walks_all_lists_once_each():
    entries = site.public_api("cnnkit.music.recommend")
    names = [e.qualname for e in entries if e.kind != "module"]
    import cnnkit.music.recommend as rec

    assert sorted(names) == sorted(f"cnnkit.music.recommend.{n}" for n in rec.__all__)
    assert len(set(names)) == len(names)


def test_api_pages_have_a_directive_per_entry_and_an_index():
    entries = [site.ApiEntry("cnnkit.x", "", "module", "cnnkit.x"),
               site.ApiEntry("cnnkit.x", "f", "function", "cnnkit.x"),
               site.ApiEntry("cnnkit.x", "C", "class", "cnnkit.x"),
               site.ApiEntry("cnnkit.x.sub", "", "module", "cnnkit.x"),
               site.ApiEntry("cnnkit.x.sub", "g", "function", "cnnkit.x"),
               site.ApiEntry("cnnkit.x", "K", "data", "cnnkit.x")]
    pages = site.api_pages(entries)
    assert set(pages) == {"index.rst", "cnnkit.x.rst"}
    page = pages["cnnkit.x.rst"]
    for line in (".. automodule:: cnnkit.x", ".. autofunction:: cnnkit.x.f", ".. autoclass:: cnnkit.x.C",
                 ".. automodule:: cnnkit.x.sub", ".. autofunction:: cnnkit.x.sub.g", ".. autodata:: cnnkit.x.K"):
        assert line in page
    assert ":doc:`cnnkit.x`" in pages["index.rst"] and "     - 3" in pages["index.rst"]


def test_the_site_extra_ships_mathjax():
    pytest.importorskip("sphinx", reason='the [site] extra is not installed (pip install -e ".[site]")')
    from tools.site import ext

    try:
        folder = ext.mathjax_source()
    except RuntimeError as err:
        pytest.skip(str(err))
    assert (folder / ext.MATHJAX_ENTRY).stat().st_size > 100_000
    assert (folder / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_a_constant_never_shows_its_types_docstring():
    from tools.site.ext import drop_type_docstring

    lines = dict.__doc__.splitlines()
    drop_type_docstring(None, "data", "cnnkit.x.TABLE", {"a": 1}, {}, lines)
    assert lines == []
    own = ["Grades, mildest first."]
    drop_type_docstring(None, "data", "cnnkit.x.GRADES", ("a", "b"), {}, own)     # a tuple's doc is not this
    drop_type_docstring(None, "function", "cnnkit.x.f", len, {}, own)
    assert own == ["Grades, mildest first."]
    from cnnkit.exercises import Exercise, lesson04                 # an exercise (q1), as napoleon rewrote its doc
    rewritten = ["a question, how to check an answer, a hint and a solution.", "",
                 ":param question: what to do, in one or two sentences.", ":type: One exercise"]
    assert Exercise.__doc__.startswith("One exercise: a question, how to check an answer, a hint and a solution.")
    drop_type_docstring(None, "data", "cnnkit.exercises.lesson04.q1", lesson04.q1, {}, rewritten)
    assert rewritten == []
