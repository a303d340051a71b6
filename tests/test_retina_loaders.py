"""APTOS and EyePACS loaders on tiny fake folders made here: every kind of bad item is named, none lost silently."""
import numpy as np
import pytest
from PIL import Image

import cnnkit  # noqa: F401  (quiet TensorFlow before it loads)
from cnnkit.data import LoadReport, Splits
from cnnkit.medical import load_aptos, load_eyepacs, render_fundus

LAYOUTS = {  # loader -> (csv name, id column, label column, image folder, extension, PIL format)
    "aptos": (load_aptos, "train.csv", "id_code", "diagnosis", "train_images", ".png", "PNG"),
    "eyepacs": (load_eyepacs, "trainLabels.csv", "image", "level", "train", ".jpeg", "JPEG"),
}


def make_folder(root, layout, rows, corrupt=(), skip_files=(), columns=None, shapes=None):
    """Write a fake dataset: ``rows`` = [(id, label text)], real fundus images except ``corrupt`` ids
    (garbage bytes) and ``skip_files`` ids (no file at all)."""
    _, csv_name, id_col, label_col, folder, ext, fmt = LAYOUTS[layout]
    (root / folder).mkdir(parents=True)
    header = columns or f"{id_col},{label_col}"
    (root / csv_name).write_text(header + "\n" + "".join(f"{i},{lab}\n" for i, lab in rows))
    for k, (item, _) in enumerate(rows):
        path = root / folder / f"{item}{ext}"
        if item in skip_files or path.exists():
            continue
        if item in corrupt:
            path.write_bytes(b"\x89PNG not really an image" * 3)
            continue
        img, _ = render_fundus(k % 5, size=48, seed=k)
        h, w = (shapes or {}).get(item, (48, 48))
        pil = Image.fromarray((img * 255).astype(np.uint8)).resize((w, h))
        pil.save(path, fmt)
    return root


GOOD = [("a1", "0"), ("b2", "1"), ("c3", "2"), ("d4", "3"), ("e5", "4"), ("f6", "2.0"), ("g7", " 0 ")]
BAD = [("x1", "7"), ("x2", "mild"), ("x3", "1"), ("x4", "2"), ("a1", "0"), ("c3", "4"), ("", "1")]


@pytest.fixture(params=sorted(LAYOUTS))
def messy(request, tmp_path):
    """A folder with 7 good rows, a bad label (7), a non-integer label, a corrupt file (x3), a missing file
    (x4), a duplicate with the same label (a1) and one with a conflicting label (c3), and an empty id."""
    layout = request.param
    make_folder(tmp_path, layout, GOOD + BAD, corrupt={"x3"}, skip_files={"x4"})
    return layout, tmp_path


def test_strict_raises_naming_every_kind_of_problem(messy):
    layout, root = messy
    loader = LAYOUTS[layout][0]
    with pytest.raises(ValueError, match=f"{layout}: 8 of 14 items cannot be used: .*strict=False") as err:
        loader(root, size=32)
    text = str(err.value)
    for piece in ("2 bad labels", "x1", "'7'", "x2", "'mild'", "1 unreadable image: x3", "1 missing image: x4",
                  "3 duplicate ids", "a1", "c3 (line", "labels 2 and 4", "1 bad row"):
        assert piece in text, piece


def test_non_strict_skips_prints_and_yields_the_rest(messy, capsys):
    layout, root = messy
    data = LAYOUTS[layout][0](root, strict=False, size=32, batch_size=4, shuffle=False)
    printed = capsys.readouterr().out
    csv_name = LAYOUTS[layout][1]
    assert f"{layout}: 14 items in {root / csv_name}, kept 6, skipped 8: " in printed
    assert "x3" in printed and "x4" in printed
    # c3 has two conflicting grades: both rows dropped; a1's repeated identical row is dropped once
    assert sorted(data.ids) == ["a1", "b2", "d4", "e5", "f6", "g7"]
    assert data.n == 6 and data.class_counts.tolist() == [2, 1, 1, 1, 1]
    assert isinstance(data.report, LoadReport) and data.report.kept == 6 and data.report.n_skipped == 8
    assert data.report.found == 14 and str(data.report) in printed
    assert sorted(data.report.problems) == ["bad label", "bad row", "duplicate id", "missing image", "unreadable image"]
    assert ("missing image", "x4", f"no {LAYOUTS[layout][4]}/x4{LAYOUTS[layout][5]}") in data.report.skipped
    images, labels = [], []
    for x, y in data.dataset:
        images.append(x.numpy())
        labels.append(y.numpy())
    images, labels = np.concatenate(images), np.concatenate(labels)
    assert images.shape == (6, 32, 32, 3) and images.dtype == np.float32
    assert 0 <= images.min() and images.max() <= 1 and images.max() > 0.3
    np.testing.assert_array_equal(labels, data.labels)  # shuffle=False keeps the CSV order


def test_clean_folder_loads_with_ben_graham_and_aspect_kept(tmp_path):
    rows = [(f"img{i}", str(i % 5)) for i in range(10)]
    make_folder(tmp_path, "aptos", rows, shapes={"img0": (30, 48)})
    data = load_aptos(tmp_path, size=40, batch_size=3, ben_graham=True, seed=1)
    batches = list(data.dataset)
    assert [b[0].shape[0] for b in batches] == [3, 3, 3, 1]
    x = np.concatenate([b[0].numpy() for b in batches])
    assert x.shape == (10, 40, 40, 3)
    assert abs(float(x[:, 0, 0].mean()) - 128 / 255) < 0.01  # Graham's grey surround
    assert sorted(np.concatenate([b[1].numpy() for b in batches]).tolist()) == sorted(data.labels.tolist())
    plain = load_aptos(tmp_path, size=40, batch_size=10, shuffle=False, cache=False)
    first = next(iter(plain.dataset))[0].numpy()[0]  # img0 is 48 wide, 30 high: black bands top and bottom
    assert first[0].max() < 0.05 and first[20].max() > 0.2


def test_missing_csv_folder_or_columns(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"aptos: root: no such folder: {tmp_path / 'nowhere'}"):
        load_aptos(tmp_path / "nowhere")
    (tmp_path / "train_images").mkdir()
    with pytest.raises(FileNotFoundError, match=f"aptos: label file '{tmp_path / 'train.csv'}' not found"):
        load_aptos(tmp_path)
    (tmp_path / "train.csv").write_text("id,grade\na,1\n")
    with pytest.raises(ValueError, match=r"columns \['id', 'grade'\].*'id_code'.*'diagnosis'"):
        load_aptos(tmp_path)
    eye = make_folder(tmp_path / "eye", "eyepacs", [("1_left", "0")], columns="image,diagnosis")
    with pytest.raises(ValueError, match="missing \\['level'\\]"):
        load_eyepacs(eye)
    img_less = tmp_path / "noimg"
    img_less.mkdir()
    (img_less / "trainLabels.csv").write_text("image,level\n1_left,0\n")
    with pytest.raises(FileNotFoundError, match=f"eyepacs: image folder '{img_less / 'train'}' not found"):
        load_eyepacs(img_less)


def test_everything_bad_is_an_error_even_when_not_strict(tmp_path, capsys):
    make_folder(tmp_path, "eyepacs", [("1_left", "9"), ("1_right", "x")])
    with pytest.raises(ValueError, match="no usable images"):
        load_eyepacs(tmp_path, strict=False)


def test_decode_check_catches_a_truncated_file(tmp_path):
    make_folder(tmp_path, "aptos", [("a", "0"), ("b", "1")])
    data = (tmp_path / "train_images" / "b.png").read_bytes()
    (tmp_path / "train_images" / "b.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="unreadable image: b"):
        load_aptos(tmp_path, check="decode")


@pytest.mark.parametrize("kwargs, error, message", [
    ({"size": 4}, ValueError, "size must be ≥ 8"), ({"size": 32.0}, TypeError, "size must be an integer"),
    ({"batch_size": 0}, ValueError, "batch_size must be ≥ 1"), ({"cache": 3}, TypeError, "cache must be True"),
    ({"check": "full"}, ValueError, "check must be one of 'verify', 'decode', None"),
    ({"strict": "no"}, TypeError, "strict must be True or False"),
    ({"workers": 0}, ValueError, "workers must be ≥ 1"),
    ({"seed": -1}, ValueError, "seed must be ≥ 0"), ({"seed": "0"}, TypeError, "seed must be an int"),
])
def test_bad_arguments(tmp_path, kwargs, error, message):
    make_folder(tmp_path, "aptos", [("a", "0")])
    with pytest.raises(error, match=message):
        load_aptos(tmp_path, **kwargs)


def test_a_root_that_is_not_a_path_and_positional_options():
    with pytest.raises(TypeError, match="root must be a path"):
        load_aptos(42)
    with pytest.raises(TypeError, match="positional"):
        load_eyepacs("somewhere", False)


def test_split_keeps_both_eyes_of_a_patient_together(tmp_path):
    rows = [(f"{p}_{eye}", str((p + (eye == "right")) % 5)) for p in range(1, 21) for eye in ("left", "right")]
    make_folder(tmp_path, "eyepacs", rows)
    data = load_eyepacs(tmp_path, size=24, batch_size=8)
    parts = data.split(val=0.2, test=0.2, seed=0)
    assert isinstance(parts, Splits) and parts.class_names == data.class_names and parts["train"] is parts.train
    seen = {name: {i.rsplit("_", 1)[0] for i in part.ids} for name, part in parts.items()}
    assert not (seen["train"] & seen["val"] or seen["train"] & seen["test"] or seen["val"] & seen["test"])
    # worse eyes: 4 patients each of grades 1-3, 8 of grade 4 -> val and test take 1, 1, 1 and 2 patients
    assert [p.n for p in parts] == [20, 10, 10]
    assert sorted(sum((p.ids for p in parts), [])) == sorted(data.ids)
    for name, part in parts.items():
        assert part.patients == [i.rsplit("_", 1)[0] for i in part.ids]
        x = np.concatenate([b[0].numpy() for b in part.dataset])
        y = np.concatenate([b[1].numpy() for b in part.dataset])
        assert x.shape == (part.n, 24, 24, 3)
        if name != "train":  # only train is shuffled: val and test keep their order
            np.testing.assert_array_equal(y, part.labels)
    train, val, test = data.split(val=0.2, test=0.2, seed=np.random.SeedSequence(0))
    assert train.n + val.n + test.n == 40
    with pytest.raises(ValueError, match="val=0.7 and test=0.5 leave nothing to train on"):
        data.split(val=0.7, test=0.5)
    with pytest.raises(TypeError, match="positional"):
        data.split(0.2, 0.2)


def test_split_names_a_grade_too_rare_to_keep_a_training_patient(tmp_path):
    rows = [(f"{p}_{eye}", "0") for p in range(1, 11) for eye in ("left", "right")]
    rows += [("11_left", "4"), ("11_right", "3"), ("12_left", "0"), ("12_right", "4")]    # two grade-4 patients
    make_folder(tmp_path, "eyepacs", rows)
    data = load_eyepacs(tmp_path, size=24)
    assert data.split(val=0.1, test=0.1).train.class_counts.tolist() == [17, 0, 0, 1, 2]   # both stay in train
    with pytest.raises(ValueError, match="class '4 proliferative' has 2 groups, too few"):
        data.split(val=0.3, test=0.3)


def test_aptos_has_no_patient_ids_so_each_image_is_its_own_group(tmp_path):
    rows = [(f"{p}_{eye}", str(p % 2)) for p in range(6) for eye in ("left", "right")]   # EyePACS-like names
    make_folder(tmp_path, "aptos", rows)
    data = load_aptos(tmp_path, size=24)
    assert data.patients == data.ids
    # 6 images per grade, each its own group: 1 to val and 1 to test (as 3 patients per grade it would be 4 / 4 / 4)
    assert [p.n for p in data.split(val=0.2, test=0.2, seed=1)] == [8, 2, 2]


def test_a_black_image_fails_ben_graham_with_its_name(tmp_path):
    import tensorflow as tf

    make_folder(tmp_path, "aptos", [("ok", "0"), ("dark", "1")])
    Image.fromarray(np.zeros((40, 40, 3), np.uint8)).save(tmp_path / "train_images" / "dark.png")
    data = load_aptos(tmp_path, size=32, ben_graham=True, shuffle=False)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dark.png.*no eye"):
        list(data.dataset)
