"""The synthetic fundus generator: streams and determinism, shapes, class frequencies, lesions per grade."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnkit.medical.fundus as fundus
from cnnkit.medical import GRADE_NAMES, make_fundus, render_fundus
from cnnkit.medical.fundus import LESION_KINDS, QUADRANTS, Lesions
from cnnkit.medical.grades import APTOS_COUNTS

seeds = st.integers(0, 2 ** 32 - 1)
REAL_RENDER, REAL_SPLIT = fundus.render_fundus, fundus.split_arrays


def all_of(data):
    """Every image and label of a Splits, whatever part it landed in."""
    return np.concatenate([p.x for p in data]), np.concatenate([p.y for p in data])


def plans(grade, n=400):
    """``n`` lesion plans of ``grade`` (cheap: no drawing), one per stream."""
    return [fundus._grade_plan(grade, np.random.default_rng(s)) for s in range(n)]


def test_same_seed_same_images_other_seed_other_images():
    a, b, c = make_fundus(40, size=40, seed=3), make_fundus(40, size=40, seed=3), make_fundus(40, size=40, seed=4)
    np.testing.assert_array_equal(a.train.x, b.train.x)
    np.testing.assert_array_equal(a.test.y, b.test.y)
    assert not np.array_equal(a.train.x, c.train.x)
    img1, les1 = render_fundus(3, size=64, seed=11)
    img2, les2 = render_fundus(3, size=64, seed=11)
    np.testing.assert_array_equal(img1, img2)
    np.testing.assert_array_equal(les1.mask, les2.mask)
    assert not np.array_equal(render_fundus(0, size=32)[0], render_fundus(0, size=32)[0])   # seed=None: fresh


def test_seed_forms_int_seed_sequence_and_generator():
    by_int = all_of(make_fundus(12, size=32, seed=5))[0]
    np.testing.assert_array_equal(all_of(make_fundus(12, size=32, seed=np.random.SeedSequence(5)))[0], by_int)
    gen_a, gen_b = (make_fundus(12, size=32, seed=np.random.default_rng(9)) for _ in range(2))
    np.testing.assert_array_equal(all_of(gen_a)[0], all_of(gen_b)[0])          # same Generator state, same set
    img, _ = render_fundus(2, size=48, seed=np.random.default_rng(4))
    np.testing.assert_array_equal(img, render_fundus(2, size=48, seed=4)[0])    # a Generator is used as it is


def test_image_i_does_not_depend_on_n():
    # the review's case: grades of images 0-9 were [2,0,2,0,1,2,0,0,4,0] for n = 10 and [0,2,0,1,0,4,0,2,2,0] for 20
    small_x, small_y = all_of(make_fundus(10, size=32, seed=0, val=0, test=0))
    big_x, big_y = all_of(make_fundus(20, size=32, seed=0, val=0, test=0))
    for img, grade in zip(small_x, small_y):       # the split shuffles: find each image of n = 10 among n = 20
        match = [j for j in range(20) if np.array_equal(big_x[j], img)]
        assert len(match) == 1 and big_y[match[0]] == grade
    labels = fundus._grade_schedule(np.array(APTOS_COUNTS, float), 20)
    assert fundus._grade_schedule(np.array(APTOS_COUNTS, float), 10).tolist() == labels[:10].tolist()


def test_image_i_is_drawn_from_its_own_spawned_stream():
    x, y = all_of(make_fundus(6, size=32, seed=7, grade_weights=(1, 1, 1, 1, 1), val=0, test=0))
    streams = np.random.SeedSequence(7).spawn(2)[0].spawn(6)
    labels = fundus._grade_schedule(np.ones(5), 6)
    for i, (grade, stream) in enumerate(zip(labels, streams)):
        expected, _ = render_fundus(int(grade), size=32, seed=stream)
        assert sum(np.array_equal(expected, img) for img in x) == 1, i


def drawn_by(monkeypatch, **kwargs):
    """``make_fundus(**kwargs)``, recording the grade and seed of each image and the seed of the split."""
    images, split = [], []

    def render(grade, *, seed, **options):
        images.append((grade, seed))
        return REAL_RENDER(grade, seed=seed, **options)

    def split_arrays(*args, seed, **options):
        split.append(seed)
        return REAL_SPLIT(*args, seed=seed, **options)

    monkeypatch.setattr(fundus, "render_fundus", render)
    monkeypatch.setattr(fundus, "split_arrays", split_arrays)
    fundus.make_fundus(**kwargs)
    return images, split


def test_no_stream_is_shared_between_labels_images_and_the_split(monkeypatch):
    images, split = drawn_by(monkeypatch, n=8, size=32, seed=5)
    states = {tuple(np.random.SeedSequence(s.entropy, spawn_key=s.spawn_key).generate_state(4))
              for s in [seed for _, seed in images] + split}
    assert len(images) == 8 and len(split) == 1 and len(states) == 9      # 8 images and the split: 9 streams
    # the labels draw from no stream at all (image 5's stream once was the labels' stream): one schedule for all seeds
    grades = [[grade for grade, _ in drawn_by(monkeypatch, n=8, size=32, seed=s)[0]] for s in (1, 2)]
    assert grades[0] == grades[1] == [grade for grade, _ in images]


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
    img, les = render_fundus(0, size=128, seed=0)
    assert img[0, 0].max() == 0 and img[-1, -1].max() == 0  # corners outside the field
    cx, cy = les.centre
    yy, xx = np.mgrid[:128, :128]
    retina = np.hypot(xx + 0.5 - cx, yy + 0.5 - cy) < 0.8 * les.radius
    r, g, b = (img[retina][:, k].mean() for k in range(3))
    assert r > g > b  # orange-red


def test_default_class_frequencies_follow_aptos():
    n = 150
    labels = all_of(make_fundus(n, size=32, seed=0))[1]
    expected = n * np.array(APTOS_COUNTS) / sum(APTOS_COUNTS)
    assert np.abs(np.bincount(labels, minlength=5) - expected).max() < 1  # the share rounded up or down


@settings(max_examples=40, deadline=None)
@given(weights=st.lists(st.integers(0, 50), min_size=5, max_size=5).filter(any), n=st.integers(1, 300))
def test_every_prefix_of_the_schedule_keeps_each_grade_within_one_of_its_share(weights, n):
    grades = fundus._grade_schedule(np.array(weights, float), n)
    p = np.array(weights) / sum(weights)
    counts = np.cumsum(np.eye(5)[grades], axis=0)                  # counts after 1, 2, … n images
    assert np.abs(counts - np.arange(1, n + 1)[:, None] * p).max() < 1
    assert set(grades.tolist()) <= {k for k in range(5) if weights[k]}


@settings(max_examples=20, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=5, max_size=5).filter(lambda c: sum(c) >= 1))
def test_class_counts_are_exact(counts):
    grades = fundus._grade_schedule(np.array(counts, float), sum(counts))
    assert np.bincount(grades, minlength=5).tolist() == counts


def test_weights_and_exact_counts():
    assert np.bincount(all_of(make_fundus(50, size=32, grade_weights=(1, 1, 1, 1, 1)))[1]).tolist() == [10] * 5
    assert np.bincount(all_of(make_fundus(None, size=32, class_counts=[3, 0, 2, 1, 4]))[1],
                       minlength=5).tolist() == [3, 0, 2, 1, 4]


def test_the_plans_follow_the_clinical_scale():
    assert all(all(p[k] == 0 for k in LESION_KINDS) for p in plans(0))
    for p in plans(1):
        assert 2 <= p["microaneurysm"] <= 6 and all(p[k] == 0 for k in LESION_KINDS if k != "microaneurysm")
    grade2 = plans(2)
    for p in grade2:
        assert p["microaneurysm"] >= 3 and 1 <= p["haemorrhage"] <= 6 and p["cotton_wool_spot"] <= 1
        assert p["venous_beading"] == p["neovascularisation"] == p["preretinal_haemorrhage"] == 0
    assert 0.3 < np.mean([p["hard_exudate"] > 0 for p in grade2]) < 0.7       # exudates in about half
    for p in plans(3):
        assert p["haemorrhage_per_quadrant"].min() >= 5 and p["haemorrhage"] == p["haemorrhage_per_quadrant"].sum()
        assert p["venous_beading"] >= 2 and p["neovascularisation"] == p["preretinal_haemorrhage"] == 0
    grade4 = plans(4)
    assert all(p["neovascularisation"] >= 1 and p["haemorrhage"] >= 3 for p in grade4)
    assert 0.3 < np.mean([p["preretinal_haemorrhage"] for p in grade4]) < 0.7   # "± preretinal haemorrhage"


@settings(max_examples=25, deadline=None)
@given(grade=st.integers(0, 4), seed=seeds, size=st.sampled_from([32, 48, 64]))
def test_the_inventory_matches_the_plan_it_was_drawn_from(grade, seed, size):
    _, les = render_fundus(grade, size=size, seed=seed)
    assert isinstance(les, Lesions) and les.grade == grade and les.mask.shape == (size, size)
    assert all(les.counts[k].shape == (len(QUADRANTS),) for k in LESION_KINDS)
    for kind in LESION_KINDS:
        assert les.total(kind) <= les.planned[kind]                   # a lesion without room is left out
    # the lesions that define a grade always find room
    for kind in ("microaneurysm", "haemorrhage", "neovascularisation", "venous_beading"):
        assert les.total(kind) == les.planned[kind], kind
    drawn = {LESION_KINDS[v - 1] for v in np.unique(les.mask) if v}
    assert drawn <= {k for k in LESION_KINDS if les.total(k)}          # the mask shows only what was counted
    if grade == 0:
        assert not les.mask.any()
    if grade == 3:
        assert les.counts["haemorrhage"].min() >= 5                     # all four quadrants
    if grade == 4:
        assert (les.mask == LESION_KINDS.index("neovascularisation") + 1).any()


def test_inventory_counts_are_per_quadrant_and_lesions_are_visible():
    # the first seed whose severe eye has exudates drawn, so the colour check below always runs
    seed = next(s for s in range(100) if render_fundus(3, size=128, seed=s, nuisance=0.0)[1].total("hard_exudate"))
    img, les = render_fundus(3, size=128, seed=seed, nuisance=0.0)
    haem = les.mask == LESION_KINDS.index("haemorrhage") + 1
    exudate = les.mask == LESION_KINDS.index("hard_exudate") + 1
    cx, cy = les.centre
    yy, xx = np.mgrid[:128, :128]
    retina = (np.hypot(xx + 0.5 - cx, yy + 0.5 - cy) < 0.8 * les.radius) & (les.mask == 0)
    assert haem.any() and exudate.any()
    assert img[haem].mean() < img[retina].mean()  # dark red
    assert img[exudate][:, 1].mean() > img[retina][:, 1].mean()  # yellow: more green than the retina


def test_nuisance_zero_is_clean_and_nuisance_varies_images():
    clean = [render_fundus(0, size=64, seed=s, nuisance=0.0)[1] for s in range(3)]
    assert all(les.nuisance["blur"] == 0 and les.nuisance["rotation"] == 0 for les in clean)
    rotations = {round(render_fundus(0, size=64, seed=s)[1].nuisance["rotation"], 3) for s in range(6)}
    assert len(rotations) == 6


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 0}, ValueError, "n must be ≥ 1"), ({"n": 2.5}, TypeError, "n must be an integer"),
    ({"size": 16}, ValueError, "size must be ≥ 32"), ({"size": 64.0}, TypeError, "size must be an integer"),
    ({"grade_weights": (1, 1, 1)}, ValueError, "grade_weights"), ({"grade_weights": (0, 0, 0, 0, 0)}, ValueError,
                                                                  "grade_weights"),
    ({"grade_weights": (1, -1, 1, 1, 1)}, ValueError, "grade_weights"),
    ({"grade_weights": "even"}, TypeError, "grade_weights must be a 1-D numeric array"),
    ({"class_counts": [1, 2]}, ValueError, "class_counts"), ({"class_counts": [0] * 5}, ValueError, "class_counts"),
    ({"class_counts": [1, 1, 1, 1, 1]}, ValueError, r"n=10 does not match sum\(class_counts\)=5"),
    ({"dtype": "float64"}, ValueError, "dtype"), ({"seed": -1}, ValueError, "seed must be ≥ 0"),
    ({"seed": "0"}, TypeError, "seed must be an int"), ({"val": 0.6, "test": 0.6}, ValueError, "val=0.6 and test=0.6"),
    ({"nuisance": 3}, ValueError, "nuisance"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    args = {"n": 10, "size": 32, **kwargs}
    with pytest.raises(error, match=message):
        make_fundus(**args)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"grade": 5}, ValueError, "grade must be ≤ 4"), ({"grade": -1}, ValueError, "grade must be ≥ 0"),
    ({"grade": 1.0}, TypeError, "grade must be an integer"), ({"grade": True}, TypeError, "grade must be an integer"),
    ({"size": 8}, ValueError, "size must be ≥ 32"), ({"nuisance": -0.5}, ValueError, "nuisance must be in"),
    ({"nuisance": "high"}, TypeError, "nuisance must be a number"), ({"seed": 0.5}, TypeError, "seed must be an int"),
])
def test_render_fundus_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        render_fundus(**{"grade": 0, "size": 64, **kwargs})


def test_lesions_asked_for_an_unknown_kind():
    _, les = render_fundus(1, size=64, seed=0)
    with pytest.raises(ValueError, match="kind must be one of.*'drusen'"):
        les.total("drusen")
    with pytest.raises(ValueError, match="kind must be one of"):
        les.quadrants_with("drusen")


def test_positional_options_are_refused():
    with pytest.raises(TypeError, match="positional"):
        render_fundus(1, 64, 0)
    with pytest.raises(TypeError, match="positional"):
        make_fundus(10, 32)


def test_progress_bar_only_when_asked_or_long(capsys):
    make_fundus(10, size=32, seed=0, progress=True)
    assert "fundus images" in capsys.readouterr().out
    make_fundus(10, size=32, seed=0)                    # a second's work: no bar by default
    assert "fundus images" not in capsys.readouterr().out
    with pytest.raises(TypeError, match="progress must be True or False"):
        make_fundus(10, size=32, progress="yes")


def test_parts_draw_only_the_eyes_asked_for_and_the_same_ones():
    full = make_fundus(60, size=32, seed=3)
    only = make_fundus(60, size=32, seed=3, parts=("test",))
    np.testing.assert_array_equal(only.test.x, full.test.x)
    np.testing.assert_array_equal(only.test.y, full.test.y)
    assert len(only.train) == len(only.val) == 0 and only.train.x.shape[1:] == (32, 32, 3)
    both = make_fundus(60, size=32, seed=3, parts=["val", "test"], camera="handheld")
    np.testing.assert_array_equal(both.val.y, full.val.y)                      # the same eyes, another camera
    assert not np.array_equal(both.val.x, full.val.x)
    with pytest.raises(ValueError, match="parts"):
        make_fundus(20, size=32, parts=("tset",))
    with pytest.raises(TypeError, match="parts"):
        make_fundus(20, size=32, parts="test")
