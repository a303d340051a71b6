import tracemalloc

import numpy as np
import pytest

from cnnkit.style import STYLE_NAMES, make_style_image
from cnnkit.style.patterns import _PALETTE, _grid


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


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "cubism"}, ValueError, "name must be one of"), ({"name": 3}, TypeError, "name must be one of"),
    ({"size": 4}, ValueError, "size must have sides between 8 and 4096"),
    ({"size": (10, "x")}, TypeError, r"size\[1\] must be an integer"),
    ({"size": (10, 20, 30)}, ValueError, r"size must be an int or a \(height, width\) pair"),
    ({"size": 10**5}, ValueError, "size must have sides between 8 and 4096"),
    ({"size": 32.0}, TypeError, "size must be an int"),
    ({"seed": -1}, ValueError, "seed must be ≥ 0"), ({"seed": 1.5}, TypeError, "seed must be an int"),
])
def test_bad_arguments(kwargs, error, match):
    args = {"name": "swirls", "size": 32, "seed": 0, **kwargs}
    with pytest.raises(error, match=match):
        make_style_image(args.pop("name"), **args)


def test_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        make_style_image("swirls", 32)


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_seed_takes_an_int_a_seed_sequence_or_a_generator(name):
    by_int = make_style_image(name, size=24, seed=5)
    np.testing.assert_array_equal(make_style_image(name, size=24, seed=np.random.SeedSequence(5)), by_int)
    child = np.random.SeedSequence(5).spawn(1)[0]
    assert not np.array_equal(make_style_image(name, size=24, seed=child), by_int)
    first, again = np.random.default_rng(9), np.random.default_rng(9)
    a = make_style_image(name, size=24, seed=first)
    np.testing.assert_array_equal(make_style_image(name, size=24, seed=again), a)  # same state, same picture
    assert not np.array_equal(make_style_image(name, size=24, seed=first), a)  # the Generator advanced


def _dense_mosaic(h, w, rng):
    """The mosaic as cnnkit 0.1 drew it, with a dense pixels × tiles distance matrix (the reference)."""
    y, x = _grid(h, w)
    n = int(140 * (h * w) / min(h, w) ** 2)
    seeds = np.stack([rng.uniform(0, h / min(h, w), n), rng.uniform(0, w / min(h, w), n)], axis=1)
    colors = _PALETTE[rng.integers(1, len(_PALETTE) - 1, n)] + rng.normal(0, 18, (n, 3))
    d = (y.ravel()[:, None] - seeds[None, :, 0]) ** 2 + (x.ravel()[:, None] - seeds[None, :, 1]) ** 2
    two = np.partition(d, 1, axis=1)[:, :2]
    nearest = d.argmin(axis=1)
    edge = (np.sqrt(two[:, 1]) - np.sqrt(two[:, 0])) < 0.012
    rgb = colors[nearest]
    rgb[edge] = _PALETTE[-1]
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8).reshape(h, w, 3)


@pytest.mark.parametrize("size, seed", [(8, 0), (64, 1), ((48, 80), 2), ((90, 30), 3), (128, 4)])
def test_mosaic_is_the_same_picture_as_the_dense_reference(size, seed):
    h, w = (size, size) if isinstance(size, int) else size
    reference = _dense_mosaic(h, w, np.random.default_rng([seed, STYLE_NAMES.index("mosaic")]))
    np.testing.assert_array_equal(make_style_image("mosaic", size=size, seed=seed), reference)


def test_mosaic_memory_at_1024_pixels_stays_under_300_mib():
    # issue 10, defect 6: the pixels × tiles distance matrix alone was 1.1 GiB at 1024² (37 GiB at 4096²)
    tracemalloc.start()
    try:
        image = make_style_image("mosaic", size=1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert image.shape == (1024, 1024, 3)
    assert peak <= 300 * 2**20, f"peak {peak / 2**20:.0f} MiB"
