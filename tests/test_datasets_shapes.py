"""cnnkit.data.make_shapes: determinism, balance, ranges, splits, class subsets, bad input, shifting."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnkit.data
from cnnkit.data.shapes import SHAPE_CLASSES, render_shapes, shift_images
from cnnkit.data.shapes import make_shapes as shapes


def test_same_seed_same_arrays_other_seed_other_arrays():
    a, b, c = shapes(200, seed=3), shapes(200, seed=3), shapes(200, seed=4)
    for part in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(a, part).x, getattr(b, part).x)
        np.testing.assert_array_equal(getattr(a, part).y, getattr(b, part).y)
    assert not np.array_equal(a.train.x, c.train.x)


def test_balanced_types_ranges_and_split_sizes():
    data = shapes(1000, size=20, seed=0, val=0.1, test=0.2)
    k = len(SHAPE_CLASSES)
    assert data.class_names == list(SHAPE_CLASSES)
    assert (len(data.train), len(data.val), len(data.test)) == (700, 100, 200)
    for part in (data.train, data.val, data.test):
        assert part.x.dtype == np.float32 and part.x.shape[1:] == (20, 20, 3)
        assert part.x.min() >= 0.0 and part.x.max() <= 1.0
        assert np.issubdtype(part.y.dtype, np.integer)
        counts = np.bincount(part.y, minlength=k)
        assert counts.max() - counts.min() <= 1  # every split is balanced


def test_uneven_n_stays_balanced_within_one():
    data = shapes(103, size=16, classes=("circle", "square", "cross"), val=0, test=0)
    counts = np.bincount(data.train.y)
    assert counts.sum() == 103 and counts.max() - counts.min() <= 1


@settings(max_examples=10, deadline=None)
@given(classes=st.lists(st.sampled_from(SHAPE_CLASSES), min_size=1, max_size=5, unique=True),
       size=st.integers(16, 48))
def test_any_class_subset_and_size(classes, size):
    data = shapes(10 * len(classes), size=size, classes=classes, seed=1)
    assert data.class_names == list(classes)
    assert data.train.x.shape[1:] == (size, size, 3)
    assert set(np.unique(data.train.y)) == set(range(len(classes)))


def test_lazy_names_from_the_datasets_package():
    for _ in range(2):  # the second look-up must not find a module of the same name
        assert cnnkit.data.make_shapes is shapes and cnnkit.data.SHAPE_CLASSES == SHAPE_CLASSES
        assert cnnkit.data.shift_images is shift_images


def test_each_class_draws_a_different_figure():
    # same centre/size/rotation/colours for every class: only the outline differs
    imgs = {name: render_shapes([name], size=32, seed=0, center_jitter=0, noise=0)[0]
            for name in SHAPE_CLASSES}
    names = list(imgs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(imgs[a] - imgs[b]).sum() > 5, (a, b)


def test_shapes_cover_a_sensible_area_and_stay_inside():
    imgs = render_shapes(list(SHAPE_CLASSES) * 20, size=32, seed=0, noise=0)
    bright = imgs.max(axis=-1) >= 0.5  # foreground channels are ≥ 0.5 at full coverage, background < 0.3
    area = bright.mean(axis=(1, 2))
    assert area.min() > 0.02 and area.max() < 0.6
    border = np.concatenate([bright[:, 0], bright[:, -1], bright[:, :, 0], bright[:, :, -1]], axis=1)
    assert not border.any()


def test_center_jitter_zero_centres_and_jitter_moves():
    def centres(jitter):
        imgs = render_shapes(["circle"] * 50, size=32, seed=2, center_jitter=jitter, noise=0)
        mask = imgs.max(axis=-1) >= 0.5
        ys, xs = np.arange(32)[:, None], np.arange(32)[None, :]
        return np.stack([(mask * xs).sum((1, 2)) / mask.sum((1, 2)), (mask * ys).sum((1, 2)) / mask.sum((1, 2))], 1)
    assert np.abs(centres(0.0) - 16).max() < 0.6
    assert np.abs(centres(0.25) - 16).max() > 3


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 3}, ValueError, "n must be ≥ 5"), ({"n": 100.0}, TypeError, "n must be an integer"),
    ({"n": True}, TypeError, "n must be an integer"), ({"n": 100, "size": 8}, ValueError, "size must be ≥ 16"),
    ({"n": 100, "size": 32.5}, TypeError, "size must be an integer"),
    ({"n": 100, "classes": ("circle", "hexagon")}, ValueError, "hexagon"),
    ({"n": 100, "classes": ()}, ValueError, r"classes must be .*\(at least 1 item\), got \(\)"),
    ({"n": 100, "classes": ("ring", "ring")}, ValueError, "classes must not repeat"),
    ({"n": 100, "classes": 3}, TypeError, "classes must be a shape name"),
    ({"n": 100, "noise": -1}, ValueError, "noise must be in"),
    ({"n": 100, "noise": "lots"}, TypeError, "noise must be a number"),
    ({"n": 100, "center_jitter": 0.9}, ValueError, "center_jitter must be in"),
    ({"n": 100, "center_jitter": None}, TypeError, "center_jitter must be a number"),
    ({"n": 100, "scale": (0.4, 0.2)}, ValueError, "scale must be .low, high. with low ≤ high"),
    ({"n": 100, "scale": (0.2,)}, ValueError, "scale must be a .low, high. pair"),
    ({"n": 100, "scale": "big"}, TypeError, "scale must be a .low, high. pair"),
    ({"n": 100, "scale": (0.01, 0.2)}, ValueError, r"scale\[0\] must be in"),
    ({"n": 100, "val": 0.6, "test": 0.6}, ValueError, "val=0.6 and test=0.6 leave nothing"),
    ({"n": 100, "seed": -2}, ValueError, "seed must be ≥ 0"),
    ({"n": 100, "seed": "a"}, TypeError, "seed must be an int"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        shapes(**kwargs)


def test_seed_forms_and_keyword_only_options():
    def images(data):
        return {img.tobytes() for part in data for img in part.x}

    by_int = shapes(50, size=16, seed=4)
    assert images(shapes(50, size=16, seed=np.random.default_rng(4))) == images(by_int)   # the same drawings
    seq = np.random.SeedSequence(4)
    a, b = shapes(50, size=16, seed=seq), shapes(50, size=16, seed=seq)                 # seq is not consumed
    np.testing.assert_array_equal(a.train.x, b.train.x)
    assert images(a) == images(by_int)
    with pytest.raises(TypeError, match="positional"):
        shapes(50, 16)
    with pytest.raises(TypeError, match="positional"):
        render_shapes(["ring"], 16, 0)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"names": "ring"}, TypeError, "names must be a sequence"), ({"names": ["ring", "star"]}, ValueError,
                                                                r"names\[1\] must be one of.*'star'"),
    ({"size": 4}, ValueError, "size must be ≥ 8"), ({"seed": 1.5}, TypeError, "seed must be an int"),
    ({"noise": 2}, ValueError, "noise must be in"),
])
def test_render_shapes_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        render_shapes(**{"names": ["ring"], "size": 16, "seed": 0, **kwargs})


def test_a_single_class_name_string_is_one_class():
    assert shapes(20, classes="cross").class_names == ["cross"]


@settings(max_examples=30, deadline=None)
@given(dx=st.integers(-7, 7), dy=st.integers(-7, 7), channels=st.sampled_from([None, 1, 3]))
def test_shift_matches_roll_on_the_inside_and_fill_outside(dx, dy, channels):
    shape = (2, 6, 7) if channels is None else (2, 6, 7, channels)
    x = np.random.default_rng(0).random(shape)
    wrapped = shift_images(x, dx, dy, fill="wrap")
    np.testing.assert_array_equal(wrapped, np.roll(x, (dy, dx), axis=(1, 2)))
    filled = shift_images(x, dx, dy, fill=-1.0)
    h, w = 6, 7
    for i in range(h):
        for j in range(w):
            si, sj = i - dy, j - dx
            expected = x[:, si, sj] if 0 <= si < h and 0 <= sj < w else np.full_like(x[:, 0, 0], -1.0)
            np.testing.assert_array_equal(filled[:, i, j], expected)
            edge = x[:, min(max(si, 0), h - 1), min(max(sj, 0), w - 1)]
            np.testing.assert_array_equal(shift_images(x, dx, dy)[:, i, j], edge)


def test_shift_leaves_the_input_untouched_and_zero_shift_is_identity():
    x = np.random.default_rng(1).random((3, 5, 5, 3)).astype(np.float32)
    before = x.copy()
    out = shift_images(x, 2, -1, fill=0.0)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(shift_images(x, 0, 0), x)
    assert out.dtype == np.float32 and out.shape == x.shape


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((np.zeros((4, 4)), 1, 1), {}, ValueError, "x must be a batch"),
    ((np.zeros((1, 4, 4)), 1.5, 0), {}, TypeError, "dx must be an integer"),
    ((np.zeros((1, 4, 4)), 0, "2"), {}, TypeError, "dy must be an integer"),
    ((np.zeros((1, 4, 4)), 1, 1), {"fill": "mirror"}, ValueError, "fill must be one of 'edge', 'wrap'"),
    ((np.zeros((1, 4, 4)), 1, 1), {"fill": None}, TypeError, "fill must be 'edge', 'wrap' or a number"),
    ((np.zeros((1, 4, 4)), 1, 1, "edge"), {}, TypeError, "positional"),
])
def test_shift_bad_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        shift_images(*args, **kwargs)


def test_clutter_zero_leaves_the_images_as_before_and_clutter_draws_strokes():
    names = list(SHAPE_CLASSES) * 4
    plain = render_shapes(names, size=24, seed=5)
    np.testing.assert_array_equal(render_shapes(names, size=24, seed=5, clutter=0), plain)
    busy = render_shapes(names, size=24, seed=5, clutter=4, noise=0)
    clean = render_shapes(names, size=24, seed=5, noise=0)
    # the background of a clean image is one flat colour; strokes add bright pixels to it
    flat_pixels = (np.abs(clean - clean[:, :1, :1]).max(axis=-1) < 1e-6).mean()
    busy_flat = (np.abs(busy - busy[:, :1, :1]).max(axis=-1) < 1e-6).mean()
    assert flat_pixels > 0.5 and busy_flat < flat_pixels - 0.1
    np.testing.assert_array_equal(render_shapes(names, size=24, seed=5, clutter=4, noise=0), busy)  # seeded


def test_clutter_strokes_run_behind_the_shape():
    # a shape drawn at the centre with no jitter: its inside pixels are the shape's colour with or without strokes
    clean = render_shapes(["square"] * 30, size=32, seed=2, center_jitter=0, noise=0, scale=(0.3, 0.3))
    busy = render_shapes(["square"] * 30, size=32, seed=2, center_jitter=0, noise=0, scale=(0.3, 0.3), clutter=8)
    centre = (slice(None), slice(14, 18), slice(14, 18))
    np.testing.assert_allclose(busy[centre], clean[centre], atol=1e-6)
    assert not np.allclose(busy, clean)


def test_make_shapes_passes_clutter_and_checks_it():
    hard = shapes(100, size=16, seed=0, clutter=3)
    easy = shapes(100, size=16, seed=0)
    np.testing.assert_array_equal(hard.train.y, easy.train.y)     # the same labels, different drawings
    assert not np.array_equal(hard.train.x, easy.train.x)
    with pytest.raises(ValueError, match="clutter must be ≤ 32"):
        shapes(100, clutter=33)
    with pytest.raises(TypeError, match="clutter must be an integer"):
        shapes(100, clutter=1.5)
    with pytest.raises(ValueError, match="clutter must be ≥ 0"):
        render_shapes(["ring"], size=16, seed=0, clutter=-1)
