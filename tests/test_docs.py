"""The documents a new user follows: README's set-up, the dataset cards, CONTRIBUTING's commands, against the repo."""
import importlib
import re
import sys
from pathlib import Path

import pytest

from cnnkit import _weights

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CARDS = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _fenced(text):
    return "\n".join(re.findall(r"```(?:bash)?\n(.*?)```", text, re.S))


def test_readme_setup_clones_enters_and_uses_python3():
    commands = _fenced(README.split("## Set up and take the course")[1].split("## ")[0]).splitlines()
    repository = PROJECT["urls"]["Repository"]
    assert commands[0] == f"git clone {repository}.git"
    assert commands[1] == f"cd {repository.rsplit('/', 1)[1]}"
    assert commands[2] == "python3 -m venv .venv", "plain `python` is not on every machine before the venv exists"
    assert "pip install -r requirements.txt" in commands and "python -m pip install --upgrade pip" in "\n".join(
        commands)


def test_readme_names_the_supported_pythons_the_extras_and_the_locks():
    assert "3.10–3.13" in README and PROJECT["requires-python"] == ">=3.10,<3.14"
    for extra in PROJECT["optional-dependencies"]:
        assert f'pip install -e ".[{extra}]"' in README, f"README does not say how to install the {extra} extra"
    for minor in (10, 11, 12, 13):
        assert f"py3{minor}" in README and (REPO / f"requirements-lock-py3{minor}.txt").is_file()
    assert "requirements-lock.txt" not in README + CONTRIBUTING, "the single lock is gone: one per Python"


def test_readme_says_how_kaggle_and_colab_get_the_course():
    section = README.split("## Colab, Kaggle and GPUs")[1].split("\n## ")[0]
    assert "Kaggle" in section and "Internet" in section and "cnnkit-course/" in section


def test_ci_installs_what_the_readme_says():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^python3 -m venv ", ci, re.M)
    assert re.search(r"^python -m pip install (-q )?--upgrade pip$", ci, re.M)
    assert re.search(r"^pip install -r requirements\.txt$", ci, re.M)


def test_paths_named_in_the_documents_exist():
    text = README + CARDS + CONTRIBUTING
    named = set(re.findall(r"`((?:cnnkit|tools|tests|benchmarks)/[\w/.-]+\.py)`", text))
    named |= set(re.findall(r"\(`((?:cnnkit|tools|tests)/[\w/.-]+\.py)`\)", text))
    assert named, "the check found no paths to check"
    missing = sorted(p for p in named if not (REPO / p).is_file())
    assert not missing, f"named in README/CONTRIBUTING/datasets/README.md but absent: {missing}"


def test_names_on_the_dataset_cards_resolve():
    names = set(re.findall(r"`(cnnkit(?:\.\w+)+)(?:\(|`)", CARDS))
    assert len(names) > 10
    broken = []
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                broken.append(name)
            break
        else:
            broken.append(name)
    assert not broken, f"datasets/README.md names what does not exist: {broken}"


def test_every_imagenet_file_the_lessons_load_has_a_card():
    for app in ("VGG19", "MobileNetV2"):
        assert re.search(rf"^## {app} ImageNet weights", CARDS, re.M), f"no card for {app}'s ImageNet weights"
    lesson_06 = _weights.weights_file("MobileNetV2", False, input_shape=(96, 96, 3))[0]
    assert lesson_06 in CARDS
    for size in (64, 128):   # lesson 08's CPU and GPU SIZE
        name = _weights.weights_file("MobileNetV2", False, input_shape=(size, size, 3), alpha=0.35)[0]
        assert name.replace("mobilenet_v2_weights_tf_dim_ordering_tf_kernels", "…") in CARDS


def test_the_eyepacs_card_unzips_the_labels():
    card = CARDS.split("EyePACS (lesson 08")[1].split("\n## ")[0]
    assert "trainLabels.csv.zip" in card and re.search(r"unzip .*trainLabels\.csv\.zip", card)


@pytest.mark.parametrize("path", ["datasets/aptos2019", "datasets/eyepacs", "datasets/gtzan", "datasets/fma"])
def test_card_paths_are_from_the_course_folder_and_say_so(path):
    assert f'"{path}"' in CARDS or f"`{path}" in CARDS
    assert "from the course's folder" in CARDS.split("## ")[0], "the cards must say where their paths start"
