import numpy as np
import pytest

from cnnkit.style import STYLE_NAMES, make_style_image


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_each_style_is_deterministic_uint8_rgb(name):
    a, b = make_style_image(name, size=48, seed=3), make_style_image(name, size=48, seed=3)
    assert a.shape == (48, 48, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, make_style_image(name, size=48, seed=4))


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_styles_are_colourful_textures(name):
    img = make_style_image(name, size=64).astype(float)
    assert img.std() > 25  # not flat
    assert np.abs(img[..., 0] - img[..., 2]).mean() > 10  # not gray
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 20


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_rectangular_sizes_and_same_picture_at_two_resolutions(name):
    assert make_style_image(name, size=(40, 72)).shape == (40, 72, 3)
    small = make_style_image(name, size=32).astype(float)
    big = make_style_image(name, size=128).astype(float).reshape(32, 4, 32, 4, 3).mean(axis=(1, 3))
    other = make_style_image(name, size=32, seed=1).astype(float)
    assert np.abs(small - big).mean() < np.abs(other - big).mean()  # resolution-independent picture


@pytest.mark.parametrize("kwargs, match", [
    ({"name": "cubism"}, "unknown style name"), ({"size": 4}, "size"), ({"size": (10, "x")}, "size"),
    ({"size": 10**5}, "size"), ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"),
])
def test_bad_arguments(kwargs, match):
    args = {"name": "swirls", "size": 32, "seed": 0, **kwargs}
    with pytest.raises(ValueError, match=match):
        make_style_image(args.pop("name"), **args)
