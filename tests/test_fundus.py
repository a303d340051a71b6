"""The synthetic fundus generator: determinism, shapes, APTOS class frequencies, lesions per grade."""
import numpy as np
import pytest

from cnnkit.medical import GRADE_NAMES, make_fundus, render_fundus
from cnnkit.medical.fundus import APTOS_COUNTS, LESION_KINDS, QUADRANTS

SEEDS = range(8)


def lesions_of(grade, size=96, seeds=SEEDS, nuisance=1.0):
    return [render_fundus(grade, size, np.random.default_rng(s), nuisance)[1] for s in seeds]


def all_labels(data):
    return np.concatenate([data.train.y, data.val.y, data.test.y])


def test_same_seed_same_images_other_seed_other_images():
    a, b, c = make_fundus(40, size=40, seed=3), make_fundus(40, size=40, seed=3), make_fundus(40, size=40, seed=4)
    np.testing.assert_array_equal(a.train.x, b.train.x)
    np.testing.assert_array_equal(a.test.y, b.test.y)
    assert not np.array_equal(a.train.x, c.train.x)
    img1, les1 = render_fundus(3, 64, 11)
    img2, les2 = render_fundus(3, 64, 11)
    np.testing.assert_array_equal(img1, img2)
    np.testing.assert_array_equal(les1.mask, les2.mask)


@pytest.mark.parametrize("size", [32, 77, 160])
def test_shapes_dtypes_and_range(size):
    data = make_fundus(20, size=size, seed=0, val=0.2, test=0.2)
    assert data.train.x.shape[1:] == (size, size, 3) and data.train.x.dtype == np.float32
    assert 0.0 <= data.train.x.min() and data.train.x.max() <= 1.0
    assert data.class_names == GRADE_NAMES and data.n_classes == 5
    assert len(data.train) + len(data.val) + len(data.test) == 20
    as_bytes = make_fundus(20, size=size, seed=0, val=0.2, test=0.2, dtype="uint8")
    assert as_bytes.train.x.dtype == np.uint8
    np.testing.assert_array_equal(as_bytes.train.x, np.round(data.train.x * 255).astype(np.uint8))


def test_camera_field_is_black_outside_and_retina_is_orange_red():
    img, les = render_fundus(0, 128, 0)
    assert img[0, 0].max() == 0 and img[-1, -1].max() == 0  # corners outside the field
    cx, cy = les.centre
    yy, xx = np.mgrid[:128, :128]
    retina = np.hypot(xx + 0.5 - cx, yy + 0.5 - cy) < 0.8 * les.radius
    r, g, b = (img[retina][:, k].mean() for k in range(3))
    assert r > g > b  # orange-red


def test_default_class_frequencies_follow_aptos():
    n = 300
    labels = all_labels(make_fundus(n, size=32, seed=0))
    expected = n * np.array(APTOS_COUNTS) / sum(APTOS_COUNTS)
    assert np.abs(np.bincount(labels, minlength=5) - expected).max() < 1  # largest-remainder rounding
    assert np.bincount(labels).argmax() == 0 and np.bincount(labels)[3] < np.bincount(labels)[2]


def test_weights_and_exact_counts():
    assert np.bincount(all_labels(make_fundus(50, size=32, grade_weights=(1, 1, 1, 1, 1)))).tolist() == [10] * 5
    assert np.bincount(all_labels(make_fundus(None, size=32, class_counts=[3, 0, 2, 1, 4])),
                       minlength=5).tolist() == [3, 0, 2, 1, 4]


def test_grade_0_has_no_lesions():
    for les in lesions_of(0):
        assert all(les.total(kind) == 0 for kind in LESION_KINDS)
        assert not les.mask.any()


def test_grade_1_has_microaneurysms_only():
    for les in lesions_of(1):
        assert 1 <= les.total("microaneurysm") <= 8
        assert all(les.total(kind) == 0 for kind in LESION_KINDS if kind != "microaneurysm")
        assert set(np.unique(les.mask)) <= {0, LESION_KINDS.index("microaneurysm") + 1}


def test_grade_2_adds_haemorrhages_and_exudates_but_is_not_severe():
    exudates = 0
    for les in lesions_of(2, seeds=range(12)):
        assert les.total("microaneurysm") > 0 and les.total("haemorrhage") >= 1
        assert les.total("haemorrhage") < 20 and les.quadrants_with("haemorrhage") <= 4
        assert les.total("venous_beading") == les.total("neovascularisation") == 0
        assert les.total("preretinal_haemorrhage") == 0
        exudates += les.total("hard_exudate") > 0
    assert exudates >= 4  # hard exudates are common in moderate DR


def test_grade_3_has_haemorrhages_in_all_four_quadrants_and_venous_beading():
    for les in lesions_of(3):
        assert les.quadrants_with("haemorrhage") == 4 and les.counts["haemorrhage"].min() >= 5
        assert les.total("venous_beading") >= 2
        assert les.total("neovascularisation") == 0 and les.total("preretinal_haemorrhage") == 0


def test_grade_4_has_neovascularisation():
    preretinal = 0
    for les in lesions_of(4, seeds=range(12)):
        assert les.total("neovascularisation") >= 1
        assert (les.mask == LESION_KINDS.index("neovascularisation") + 1).any()
        preretinal += les.total("preretinal_haemorrhage")
    assert preretinal >= 1  # "± preretinal haemorrhage": some have it


def test_inventory_counts_are_per_quadrant_and_lesions_are_visible():
    img, les = render_fundus(3, 128, 5, nuisance=0.0)
    assert all(les.counts[k].shape == (len(QUADRANTS),) for k in LESION_KINDS)
    haem = les.mask == LESION_KINDS.index("haemorrhage") + 1
    exudate = les.mask == LESION_KINDS.index("hard_exudate") + 1
    cx, cy = les.centre
    yy, xx = np.mgrid[:128, :128]
    retina = (np.hypot(xx + 0.5 - cx, yy + 0.5 - cy) < 0.8 * les.radius) & (les.mask == 0)
    assert img[haem].mean() < img[retina].mean()  # dark red
    if exudate.any():
        assert img[exudate][:, 1].mean() > img[retina][:, 1].mean()  # yellow: more green than the retina


def test_nuisance_zero_is_clean_and_nuisance_varies_images():
    clean = [render_fundus(0, 64, s, nuisance=0.0)[1] for s in range(3)]
    assert all(les.nuisance["blur"] == 0 and les.nuisance["rotation"] == 0 for les in clean)
    rotations = {round(render_fundus(0, 64, s)[1].nuisance["rotation"], 3) for s in range(6)}
    assert len(rotations) == 6


@pytest.mark.parametrize("kwargs, word", [
    ({"n": 0}, "n"), ({"n": 2.5}, "n"), ({"size": 16}, "size"), ({"size": 64.0}, "size"),
    ({"grade_weights": (1, 1, 1)}, "grade_weights"), ({"grade_weights": (0, 0, 0, 0, 0)}, "grade_weights"),
    ({"grade_weights": (1, -1, 1, 1, 1)}, "grade_weights"), ({"class_counts": [1, 2]}, "class_counts"),
    ({"class_counts": [1, 1, 1, 1, 1]}, "class_counts"),  # n=10 does not match the sum 5
    ({"dtype": "float64"}, "dtype"), ({"seed": -1}, "seed"), ({"val": 0.6, "test": 0.6}, "val"),
])
def test_bad_arguments_raise_clear_errors(kwargs, word):
    args = {"n": 10, "size": 32, **kwargs}
    with pytest.raises(ValueError, match=word):
        make_fundus(**args)


@pytest.mark.parametrize("kwargs, word", [
    ({"grade": 5}, "grade"), ({"grade": -1}, "grade"), ({"grade": 1.0}, "grade"), ({"grade": True}, "grade"),
    ({"size": 8}, "size"), ({"nuisance": -0.5}, "nuisance"), ({"nuisance": "high"}, "nuisance"),
])
def test_render_fundus_bad_arguments(kwargs, word):
    with pytest.raises(ValueError, match=word):
        render_fundus(**{"grade": 0, "size": 64, **kwargs})
    with pytest.raises(ValueError, match="kind"):
        render_fundus(1, 64, 0)[1].total("drusen")
