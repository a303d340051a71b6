"""APTOS and EyePACS loaders on tiny fake folders made here: every kind of bad item is named, none lost silently."""
import numpy as np
import pytest
from PIL import Image

import cnnkit  # noqa: F401  (quiet TensorFlow before it loads)
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
        img, _ = render_fundus(k % 5, 48, k)
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
    with pytest.raises(ValueError) as err:
        loader(root, size=32)
    text = str(err.value)
    assert f"{layout}: 14 rows" in text and "strict=False" in text
    for piece in ("2 bad labels", "x1", "'7'", "x2", "'mild'", "1 unreadable image: x3", "1 missing image: x4",
                  "3 duplicate ids", "a1", "c3 (line", "labels 2 and 4", "1 bad row"):
        assert piece in text, piece


def test_non_strict_skips_prints_and_yields_the_rest(messy, capsys):
    layout, root = messy
    data = LAYOUTS[layout][0](root, strict=False, size=32, batch_size=4, shuffle=False)
    printed = capsys.readouterr().out
    assert "14 rows in" in printed and "kept 6, skipped 8" in printed and "x3" in printed and "x4" in printed
    # c3 has two conflicting grades: both rows dropped; a1's repeated identical row is dropped once
    assert sorted(data.ids) == ["a1", "b2", "d4", "e5", "f6", "g7"]
    assert data.n == 6 and data.class_counts.tolist() == [2, 1, 1, 1, 1]
    assert data.report.kept == 6 and data.report.skipped == 8
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
    with pytest.raises(FileNotFoundError, match="root folder"):
        load_aptos(tmp_path / "nowhere")
    (tmp_path / "train_images").mkdir()
    with pytest.raises(FileNotFoundError, match="train.csv"):
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
    with pytest.raises(FileNotFoundError, match="image folder"):
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


@pytest.mark.parametrize("kwargs, word", [
    ({"size": 4}, "size"), ({"batch_size": 0}, "batch_size"), ({"cache": 3}, "cache"), ({"check": "full"}, "check"),
])
def test_bad_arguments(tmp_path, kwargs, word):
    make_folder(tmp_path, "aptos", [("a", "0")])
    with pytest.raises(ValueError, match=word):
        load_aptos(tmp_path, **kwargs)
    with pytest.raises(ValueError, match="root"):
        load_aptos(42)


def test_split_keeps_both_eyes_of_a_patient_together(tmp_path):
    rows = [(f"{p}_{eye}", str((p + (eye == "right")) % 5)) for p in range(1, 21) for eye in ("left", "right")]
    make_folder(tmp_path, "eyepacs", rows)
    data = load_eyepacs(tmp_path, size=24, batch_size=8)
    parts = data.split(val=0.2, test=0.2, seed=0)
    seen = {name: {i.rsplit("_", 1)[0] for i in part.ids} for name, part in parts.items()}
    assert not (seen["train"] & seen["val"] or seen["train"] & seen["test"] or seen["val"] & seen["test"])
    assert sum(p.n for p in parts.values()) == 40 and all(p.n % 2 == 0 for p in parts.values())
    assert sorted(sum((p.ids for p in parts.values()), [])) == sorted(data.ids)
    for name, part in parts.items():
        x = np.concatenate([b[0].numpy() for b in part.dataset])
        y = np.concatenate([b[1].numpy() for b in part.dataset])
        assert x.shape == (part.n, 24, 24, 3)
        if name != "train":  # only train is shuffled: val and test keep their order
            np.testing.assert_array_equal(y, part.labels)
    with pytest.raises(ValueError, match="val"):
        data.split(val=0.7, test=0.5)


def test_a_black_image_fails_ben_graham_with_its_name(tmp_path):
    import tensorflow as tf

    make_folder(tmp_path, "aptos", [("ok", "0"), ("dark", "1")])
    Image.fromarray(np.zeros((40, 40, 3), np.uint8)).save(tmp_path / "train_images" / "dark.png")
    data = load_aptos(tmp_path, size=32, ben_graham=True, shuffle=False)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dark.png.*no eye"):
        list(data.dataset)
