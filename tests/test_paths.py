"""Relative data paths: from the working directory, then from the course's folder; the error lists every place tried.

Fake course layouts in temporary folders (a pyproject.toml naming ``cnnkit``, ``datasets/``, ``notebooks/``).
"""
from pathlib import Path

import numpy as np
import pytest

from cnnkit import _paths
from cnnkit.data import find_data

REPO = Path(__file__).resolve().parent.parent


def course(tmp_path, name="cnnkit"):
    """A fake clone of the course: ``pyproject.toml``, ``notebooks/`` and an empty ``datasets/``."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    (root / "datasets").mkdir()
    (root / "pyproject.toml").write_text(f'[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "{name}"\n')
    return root.resolve()


def test_a_card_path_is_found_from_the_notebooks_folder(tmp_path, monkeypatch):
    root = course(tmp_path)
    (root / "datasets" / "aptos2019").mkdir()
    monkeypatch.chdir(root / "notebooks")
    assert find_data("datasets/aptos2019") == root / "datasets" / "aptos2019"
    monkeypatch.chdir(root)
    assert find_data("datasets/aptos2019") == root / "datasets" / "aptos2019"
    monkeypatch.chdir(root / "datasets")                       # deeper still: the walk goes up to the course
    assert find_data("datasets/aptos2019") == root / "datasets" / "aptos2019"


def test_the_working_directory_comes_first(tmp_path, monkeypatch):
    root = course(tmp_path)
    (root / "datasets" / "gtzan").mkdir()
    (root / "notebooks" / "datasets" / "gtzan").mkdir(parents=True)
    monkeypatch.chdir(root / "notebooks")
    assert find_data("datasets/gtzan") == root / "notebooks" / "datasets" / "gtzan"
    assert find_data("../datasets/gtzan") == root / "datasets" / "gtzan"


def test_only_the_course_pyproject_marks_the_root(tmp_path, monkeypatch):
    root = course(tmp_path)
    (root / "datasets" / "fma").mkdir()
    other = root / "notebooks" / "project"                     # someone else's project inside the course
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "not-cnnkit"\n')
    monkeypatch.chdir(other)
    assert find_data("datasets/fma") == root / "datasets" / "fma"
    assert _paths.course_roots(other)[0] == root


def test_missing_everywhere_names_every_place_tried(tmp_path, monkeypatch):
    root = course(tmp_path)
    monkeypatch.chdir(root / "notebooks")
    with pytest.raises(FileNotFoundError) as err:
        find_data("datasets/aptos2019")
    message = str(err.value)
    assert str(root / "notebooks" / "datasets" / "aptos2019") in message
    assert str(root / "datasets" / "aptos2019") in message
    assert "working directory" in message and "course's folder" in message


def test_outside_any_course_the_installed_clone_is_tried(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    places = _paths.candidates("datasets/nowhere")
    assert places[0] == tmp_path.resolve() / "datasets" / "nowhere"
    # this checkout is an editable install of the course: the folder above the package is a course root
    assert REPO / "datasets" / "nowhere" in places
    monkeypatch.setattr(_paths, "__file__", str(tmp_path / "site-packages" / "cnnkit" / "_paths.py"))
    assert _paths.candidates("datasets/nowhere") == [tmp_path.resolve() / "datasets" / "nowhere"]  # a wheel install
    with pytest.raises(FileNotFoundError, match=r"path: no such folder: .*datasets/nowhere$"):
        find_data("datasets/nowhere")


def test_absolute_and_home_paths_are_only_themselves(tmp_path, monkeypatch):
    root = course(tmp_path)
    monkeypatch.chdir(root / "notebooks")
    assert _paths.candidates(root / "datasets") == [root / "datasets"]
    monkeypatch.setenv("HOME", str(root))
    assert find_data("~/datasets") == root / "datasets"
    assert find_data(Path("pyproject.toml"), kind="file") == root / "pyproject.toml"
    with pytest.raises(FileNotFoundError, match="no such file"):
        find_data("datasets", kind="file")


@pytest.mark.parametrize("bad, error", [(3, TypeError), (None, TypeError), (["a"], TypeError), ("", ValueError),
                                        (True, TypeError)])
def test_find_data_refuses_what_is_not_a_path(bad, error):
    with pytest.raises(error, match="path"):
        find_data(bad)
    with pytest.raises(ValueError, match="kind"):
        find_data(".", kind="folder")


# ---------------------------------------------------------------------------------- the loaders use the rule
def test_load_gtzan_finds_a_card_path_from_notebooks(tmp_path, monkeypatch):
    from cnnkit.music import load_gtzan, make_songs

    root = course(tmp_path)
    make_songs(2, duration=0.5, sr=8000, genres=["jazz", "rock"], seed=0).to_wav(root / "datasets" / "gtzan")
    monkeypatch.chdir(root / "notebooks")
    songs = load_gtzan("datasets/gtzan", split=None)
    assert len(songs.paths) == 2 and all(str(p).startswith(str(root / "datasets" / "gtzan")) for p in songs.paths)
    with pytest.raises(FileNotFoundError, match=r"tried .*notebooks/datasets/fma, .*course/datasets/fma"):
        __import__("cnnkit.music", fromlist=["load_fma"]).load_fma("datasets/fma")


@pytest.mark.parametrize("loader, dataset", [("load_aptos", "aptos"), ("load_eyepacs", "eyepacs")])
def test_retina_loaders_name_their_dataset_and_every_place_tried(loader, dataset, tmp_path, monkeypatch):
    import cnnkit.medical

    root = course(tmp_path)
    monkeypatch.chdir(root / "notebooks")
    with pytest.raises(FileNotFoundError) as err:
        getattr(cnnkit.medical, loader)("datasets/aptos2019")
    message = str(err.value)
    assert message.startswith(f"{dataset}: root: no such folder: datasets/aptos2019")
    assert str(root / "datasets" / "aptos2019") in message and "datasets/README.md" in message


@pytest.mark.slow
def test_load_aptos_reads_a_card_path_from_notebooks(tmp_path, monkeypatch):
    from PIL import Image

    from cnnkit.medical import load_aptos

    root = course(tmp_path)
    aptos = root / "datasets" / "aptos2019"
    (aptos / "train_images").mkdir(parents=True)
    rows = ["id_code,diagnosis"]
    for i in range(5):
        Image.fromarray(np.full((24, 24, 3), 40 * i, dtype=np.uint8)).save(aptos / "train_images" / f"eye{i}.png")
        rows.append(f"eye{i},{i}")
    (aptos / "train.csv").write_text("\n".join(rows) + "\n")
    monkeypatch.chdir(root / "notebooks")
    assert (find_data("datasets/aptos2019") / "train.csv").is_file()   # what notebook 08's switch asks
    data = load_aptos("datasets/aptos2019", size=16, cache=False)
    assert data.n == 5 and sorted(data.labels.tolist()) == [0, 1, 2, 3, 4]

