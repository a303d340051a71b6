"""cnnkit.images: bundled photos by name, any image file normalised to uint8 RGB (or gray), clear errors."""
import numpy as np
import pytest
from PIL import Image

from cnnkit.images import SAMPLE_NAMES, load_image


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_loads_as_uint8_rgb_and_gray(name):
    rgb = load_image(name)
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3
    assert min(rgb.shape[:2]) >= 64 and rgb.max() > rgb.min()
    gray = load_image(name, gray=True)
    assert gray.dtype == np.uint8 and gray.shape == rgb.shape[:2]


def test_required_sample_names_are_there():
    assert {"camera", "astronaut", "coffee", "chelsea", "china", "flower", "grace_hopper"} <= set(SAMPLE_NAMES)


@pytest.mark.parametrize("size", [32, 100, 129])
def test_int_size_sets_the_shorter_side_and_keeps_the_aspect_ratio(size):
    full = load_image("coffee")                     # 400×600: landscape
    small = load_image("coffee", size=size)
    assert min(small.shape[:2]) == size
    assert small.shape[1] / small.shape[0] == pytest.approx(full.shape[1] / full.shape[0], abs=1.0 / size + 1e-9)
    assert small.dtype == np.uint8 and small.shape[2] == 3


def test_pair_size_gives_exactly_that_shape_and_gray_drops_the_channels():
    assert load_image("chelsea", size=(30, 50)).shape == (30, 50, 3)
    assert load_image("chelsea", size=(30, 50), gray=True).shape == (30, 50)
    assert load_image("camera", size=(16, 16), gray=True).dtype == np.uint8


def test_gray_is_itu_601_luminance():
    rgb = load_image("astronaut").astype(np.float64)
    expected = rgb @ np.array([0.299, 0.587, 0.114])
    assert np.abs(load_image("astronaut", gray=True) - expected).max() <= 1.0


# ----------------------------------------------------------------- files of every kind
def test_rgba_png_is_composited_on_white(tmp_path):
    rgba = np.zeros((4, 6, 4), np.uint8)
    rgba[..., 0] = 255                               # red everywhere …
    rgba[:2, :, 3] = 255                             # … opaque in the top half, transparent below
    path = tmp_path / "rgba.png"
    Image.fromarray(rgba, "RGBA").save(path)
    out = load_image(str(path))
    assert out.shape == (4, 6, 3) and out.dtype == np.uint8
    assert (out[:2] == [255, 0, 0]).all() and (out[2:] == [255, 255, 255]).all()


def test_palette_png_with_and_without_transparency(tmp_path):
    index = np.array([[0, 1], [1, 0]], np.uint8)
    img = Image.fromarray(index, "P")
    img.putpalette([0, 0, 255, 0, 255, 0] + [0] * 762)
    path = tmp_path / "palette.png"
    img.save(path)
    out = load_image(path)                           # a pathlib.Path works too
    assert out.tolist() == [[[0, 0, 255], [0, 255, 0]], [[0, 255, 0], [0, 0, 255]]]
    path_t = tmp_path / "palette_transparent.png"
    img.save(path_t, transparency=0)                 # colour 0 (blue) becomes transparent → white
    out_t = load_image(path_t)
    assert out_t[0, 0].tolist() == [255, 255, 255] and out_t[0, 1].tolist() == [0, 255, 0]


def test_16_bit_png_is_scaled_to_8_bit(tmp_path):
    values = np.array([[0, 32768], [65535, 1028]], np.uint16)
    path = tmp_path / "deep.png"
    Image.fromarray(values).save(path)
    with Image.open(path) as check:
        assert check.mode.startswith("I")          # really stored with 16 bits
    out = load_image(path)
    assert out.dtype == np.uint8 and out.shape == (2, 2, 3)
    assert out[..., 0].tolist() == [[0, 128], [255, 4]]
    assert load_image(path, gray=True).tolist() == [[0, 128], [255, 4]]


def test_grayscale_png_becomes_three_equal_channels(tmp_path):
    gray = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    path = tmp_path / "gray.png"
    Image.fromarray(gray, "L").save(path)
    out = load_image(path)
    assert out.shape == (3, 4, 3)
    for c in range(3):
        np.testing.assert_array_equal(out[..., c], gray)
    np.testing.assert_array_equal(load_image(path, gray=True), gray)


def test_exif_orientation_6_jpeg_is_rotated(tmp_path):
    img = np.zeros((20, 40, 3), np.uint8)           # stored 20 high × 40 wide
    img[:, :20] = [255, 255, 255]                    # left half white
    exif = Image.Exif()
    exif[0x0112] = 6                                 # "rotate 90° clockwise to display"
    path = tmp_path / "rotated.jpg"
    Image.fromarray(img).save(path, exif=exif, quality=95)
    out = load_image(path)
    assert out.shape == (40, 20, 3)                  # displayed upright: 40 high × 20 wide
    # turned clockwise, the stored left half is now on top
    assert out[:15].mean() > 200 and out[25:].mean() < 50
    assert load_image(path, size=10).shape == (20, 10, 3)


# ----------------------------------------------------------------- bad input
def test_missing_file_is_named(tmp_path):
    path = tmp_path / "nope.png"
    with pytest.raises(ValueError, match=r"nope\.png.*does not exist"):
        load_image(path)


def test_empty_file_is_named(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.png.*is empty"):
        load_image(path)


def test_corrupt_image_is_named(tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(np.zeros((32, 32, 3), np.uint8) + 100).save(good)
    data = good.read_bytes()
    bad = tmp_path / "truncated.png"
    bad.write_bytes(data[: len(data) // 2])          # a PNG cut in half
    with pytest.raises(ValueError, match=r"truncated\.png.*not a readable image"):
        load_image(bad)
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 20)  # JPEG magic, then nonsense
    with pytest.raises(ValueError, match=r"garbage\.jpg"):
        load_image(garbage)


def test_non_image_file_and_directory_are_named(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a picture\n")
    with pytest.raises(ValueError, match=r"notes\.txt.*not a readable image"):
        load_image(text)
    with pytest.raises(ValueError, match="directory"):
        load_image(tmp_path)


def test_unknown_name_lists_the_known_names():
    with pytest.raises(ValueError, match=r"unknown image name 'kitten'.*camera.*grace_hopper"):
        load_image("kitten")


@pytest.mark.parametrize("size", [0, -5, (0, 10), (10, -1), "big", (1, 2, 3)])
def test_bad_size_is_refused(size):
    with pytest.raises(ValueError, match="size"):
        load_image("camera", size=size)


def test_bad_argument_type_is_refused():
    with pytest.raises(ValueError, match="name_or_path"):
        load_image(42)


def test_dark_16bit_png_is_scaled_by_bit_depth(tmp_path):
    from PIL import Image

    path = tmp_path / "dark16.png"
    Image.fromarray(np.array([[0, 200], [255, 65535]], np.uint16)).save(path)
    gray = load_image(path, gray=True)
    assert gray.tolist() == [[0, 1], [1, 255]]  # 200/65535·255 ≈ 0.8 → 1, not 200
