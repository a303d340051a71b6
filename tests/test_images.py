"""cnnkit.images: bundled photos by name, any image file normalised to uint8 RGB (or gray), clear errors."""
import numpy as np
import pytest
from PIL import Image

from cnnkit.images import SAMPLE_NAMES, as_float, as_rgb, as_uint8, load_image


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
def test_shorter_side_sets_the_shorter_side_and_keeps_the_aspect_ratio(size):
    full = load_image("coffee")                     # 400×600: landscape
    small = load_image("coffee", shorter_side=size)
    assert min(small.shape[:2]) == size
    assert small.shape[1] / small.shape[0] == pytest.approx(full.shape[1] / full.shape[0], abs=1.0 / size + 1e-9)
    assert small.dtype == np.uint8 and small.shape[2] == 3


def test_shape_gives_exactly_that_shape_and_gray_drops_the_channels():
    assert load_image("chelsea", shape=(30, 50)).shape == (30, 50, 3)
    assert load_image("chelsea", shape=(30, 50), gray=True).shape == (30, 50)
    assert load_image("camera", shape=[16, 16], gray=True).dtype == np.uint8


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
    assert load_image(path, shorter_side=10).shape == (20, 10, 3)


# ----------------------------------------------------------------- bad input
def test_missing_file_raises_file_not_found_naming_it(tmp_path):
    path = tmp_path / "nope.png"
    with pytest.raises(FileNotFoundError, match=r"no such path: .*nope\.png"):
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


@pytest.mark.parametrize("kwargs, error, message", [
    ({"shorter_side": 0}, ValueError, "shorter_side must be ≥ 1"),
    ({"shorter_side": -5}, ValueError, "shorter_side must be ≥ 1"),
    ({"shorter_side": "big"}, TypeError, "shorter_side must be an integer"),
    ({"shorter_side": (10, 10)}, TypeError, "shorter_side must be an integer"),
    ({"shape": (0, 10)}, ValueError, r"shape\[0\] must be ≥ 1"),
    ({"shape": (10, -1)}, ValueError, r"shape\[1\] must be ≥ 1"),
    ({"shape": (1, 2, 3)}, ValueError, r"shape must be a \(height, width\) pair"),
    ({"shape": 64}, TypeError, r"shape must be a \(height, width\) pair.*shorter_side"),
    ({"shape": (10.5, 10)}, TypeError, r"shape\[0\] must be an integer"),
    ({"shape": (8, 8), "shorter_side": 8}, ValueError, "shorter_side or shape, not both"),
])
def test_bad_sizes_are_refused_naming_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        load_image("camera", **kwargs)


def test_size_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        load_image("camera", 64)


def test_bad_argument_type_is_refused():
    with pytest.raises(TypeError, match="name_or_path must be a sample name or a file path"):
        load_image(42)


# ----------------------------------------------------------------- the dtype rule (defect 1)
def pixel(value, dtype):
    """as_rgb of a 1×1 image holding ``value``: its (equal) channel value."""
    out = as_rgb(np.full((1, 1), value, dtype))
    assert out.shape == (1, 1, 3) and out.dtype == np.uint8 and len(set(out[0, 0].tolist())) == 1
    return int(out[0, 0, 0])


def test_uint16_arrays_are_scaled_by_bit_depth_so_brighter_stays_brighter():
    values = [0, 100, 128, 129, 200, 255, 256, 300, 1000, 32768, 65535]
    got = [pixel(v, np.uint16) for v in values]
    assert got == [round(v / 257) for v in values] == [0, 0, 0, 1, 1, 1, 1, 1, 4, 128, 255]
    assert pixel(300, np.uint16) >= pixel(200, np.uint16)   # the old value guess gave 1 < 200


def test_dark_uint16_array_is_not_read_as_8_bit():
    dark = np.array([[0, 128], [129, 255]], np.uint16)      # max ≤ 255: still 16-bit pixels
    assert as_rgb(dark)[..., 0].tolist() == [[0, 0], [1, 1]]
    assert as_uint8(dark).tolist() == [[0, 0], [1, 1]]
    np.testing.assert_allclose(as_float(dark), dark / 65535.0, rtol=1e-6)


def test_floats_must_lie_in_0_1_and_1_is_white():
    assert pixel(1.0, np.float64) == 255 and pixel(0.5, np.float32) == 128 and pixel(0.0, np.float16) == 0
    with pytest.raises(ValueError, match=r"photo is a float image.*\[0, 1\]; found \[1.001, 1.001\]"):
        as_rgb(np.full((2, 2), 1.001), "photo")
    with pytest.raises(ValueError, match=r"image is a float image.*found \[-0.5, 0\]"):
        as_rgb(np.array([[-0.5, 0.0]]))
    with pytest.raises(ValueError, match=r"image is a float image.*found \[0, 255\]"):
        as_float(np.array([[0.0, 255.0]]))


def test_bool_is_black_and_white_and_uint8_passes_unchanged():
    assert as_rgb(np.array([[False, True]]))[..., 0].tolist() == [[0, 255]]
    img = np.arange(256, dtype=np.uint8).reshape(16, 16)
    np.testing.assert_array_equal(as_rgb(img)[..., 2], img)
    assert as_uint8(img) is img


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint32, np.uint64, np.complex64])
def test_other_dtypes_are_refused_not_guessed(dtype):
    with pytest.raises(TypeError, match=rf"content has dtype {np.dtype(dtype)}.*astype\(np.uint8\)"):
        as_rgb(np.full((2, 2), 100, dtype), "content")


def test_bad_arrays_are_named():
    with pytest.raises(ValueError, match="style contains NaN"):
        as_rgb(np.array([[0.5, np.nan]]), "style")
    with pytest.raises(TypeError, match="style must be a numeric array"):
        as_rgb([["a", "b"]], "style")
    with pytest.raises(ValueError, match=r"style must be H×W, H×W×1, H×W×3 or H×W×4, got shape \(2, 2, 5\)"):
        as_rgb(np.zeros((2, 2, 5)), "style")
    with pytest.raises(ValueError, match=r"style is empty"):
        as_rgb(np.zeros((0, 3)), "style")


def test_rgba_array_is_composited_on_white():
    rgba = np.array([[[1.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]])
    assert as_rgb(rgba).tolist() == [[[255, 0, 0], [255, 255, 255]]]


def test_dark_16bit_png_is_scaled_by_bit_depth(tmp_path):
    path = tmp_path / "dark16.png"
    Image.fromarray(np.array([[0, 128], [129, 255]], np.uint16)).save(path)   # max ≤ 255, stored as 16-bit
    with Image.open(path) as check:
        assert check.mode == "I;16"
    assert load_image(path, gray=True).tolist() == [[0, 0], [1, 1]]          # 255/257 → 1, not 255


def test_mode_I_tiff_is_read_as_16_bit(tmp_path):
    path = tmp_path / "dark32.tif"
    Image.fromarray(np.array([[0, 200], [300, 65535]], np.int32)).save(path)
    with Image.open(path) as check:
        assert check.mode == "I"
    assert load_image(path)[..., 0].tolist() == [[0, 1], [1, 255]]
    small = tmp_path / "200.tif"
    Image.fromarray(np.full((2, 2), 200, np.int32)).save(small)
    assert (load_image(small) == 1).all()                                      # not 200


def test_mode_I_tiff_beyond_16_bit_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "deep32.tif"
    Image.fromarray(np.array([[0, 70000]], np.int32)).save(path)
    with pytest.raises(ValueError, match=r"deep32\.tif.*\[0, 70000\].*0\.\.65535"):
        load_image(path)


def test_mode_F_tiff_follows_the_float_rule(tmp_path):
    path = tmp_path / "float.tif"
    Image.fromarray(np.array([[0.0, 0.5], [1.0, 0.25]], np.float32)).save(path)
    assert load_image(path)[..., 1].tolist() == [[0, 128], [255, 64]]
    bright = tmp_path / "bright.tif"
    Image.fromarray(np.array([[0.0, 2.0]], np.float32)).save(bright)
    with pytest.raises(ValueError, match=r"bright\.tif.*float image.*\[0, 2\]"):
        load_image(bright)
