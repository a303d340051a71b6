"""cnnkit.data.splits: the one splitter (stratified, optionally grouped) and the one split container."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit.data import Split, Splits, split_arrays, split_indices


def test_a_class_too_small_to_keep_a_training_item_is_named():
    # the review's case: 50 of one class, 2 of another, val = test = 0.3 used to give the small class 0 / 1 / 1
    labels = np.array([0] * 50 + [1] * 2)
    with pytest.raises(ValueError, match=r"class 'rare' has 2 items, too few to keep one for training"):
        split_indices(labels, val=0.3, test=0.3, seed=0, class_names=["common", "rare"])
    with pytest.raises(ValueError, match=r"class 1 has 2 items"):
        split_indices(labels, val=0.3, test=0.3, seed=0)
    with pytest.raises(ValueError, match=r"class 'rare' has 2 items"):
        split_arrays(np.zeros((52, 2)), labels, ["common", "rare"], val=0.3, test=0.3)


def test_every_class_keeps_a_training_item_when_it_can():
    labels = np.array([0] * 50 + [1] * 3)
    train, val, test = split_indices(labels, val=0.3, test=0.3, seed=0)
    assert set(labels[train]) == {0, 1}
    assert np.bincount(labels[train]).tolist() == [20, 1]


@pytest.mark.parametrize("val, test", [(0.2, 0.1), (0.15, 0.15), (0.0, 0.25), (0.3, 0.0), (0.0, 0.0)])
def test_each_class_is_cut_in_the_same_proportions(val, test):
    labels = np.repeat([0, 1, 2], [100, 40, 60])
    parts = split_indices(labels, val=val, test=test, seed=3)
    for k, n in enumerate([100, 40, 60]):
        n_test, n_val = round(n * test), round(n * val)
        assert [int((labels[p] == k).sum()) for p in parts] == [n - n_val - n_test, n_val, n_test]


def test_indices_are_a_sorted_partition_of_every_item():
    labels = np.random.default_rng(0).integers(0, 4, 97)
    parts = split_indices(labels, val=0.2, test=0.2, seed=1)
    joined = np.concatenate(list(parts))
    assert sorted(joined.tolist()) == list(range(97))
    assert all(np.all(np.diff(p) > 0) and p.dtype.kind == "i" for p in parts)


def test_groups_stay_whole_and_are_stratified_by_their_highest_label():
    # patient p has two eyes; patient 0-9 both grade 0; patients 10-19 one eye 0 and one eye 3
    labels = np.array([0, 0] * 10 + [0, 3] * 10)
    patients = np.repeat(np.arange(20), 2)
    parts = split_indices(labels, val=0.2, test=0.2, seed=0, groups=patients)
    seen = [set(patients[p]) for p in parts]
    assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])
    for part, (n_healthy, n_sick) in zip(parts, [(6, 6), (2, 2), (2, 2)]):
        worse = {p: labels[patients == p].max() for p in set(patients[part])}
        assert sorted(worse.values()).count(0) == n_healthy and sorted(worse.values()).count(3) == n_sick


def test_groups_too_few_for_a_class_are_named_as_groups():
    labels = np.array([0] * 20 + [1] * 4)
    groups = np.r_[np.arange(20), [100, 100, 101, 101]]          # class 1: two patients, four images
    with pytest.raises(ValueError, match=r"class 1 has 2 groups"):
        split_indices(labels, val=0.3, test=0.3, seed=0, groups=groups)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), n=st.integers(1, 60), n_groups=st.integers(1, 20),
       val=st.sampled_from([0.0, 0.1, 0.2, 0.3]), test=st.sampled_from([0.0, 0.1, 0.25]))
def test_no_group_straddles_two_parts(data, n, n_groups, val, test):
    groups = np.array(data.draw(st.lists(st.integers(0, n_groups - 1), min_size=n, max_size=n)))
    labels = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    try:
        parts = split_indices(labels, val=val, test=test, seed=data.draw(st.integers(0, 2 ** 32)), groups=groups)
    except ValueError as err:            # legitimate only when some class has too few groups, or a part rounds to 0
        assert "too few to keep one for training" in str(err) or "rounds to an empty" in str(err)
        return
    owners = [set(groups[p]) for p in parts]
    assert not (owners[0] & owners[1] or owners[0] & owners[2] or owners[1] & owners[2])
    assert sorted(np.concatenate(list(parts)).tolist()) == list(range(n))
    worst = {g: labels[groups == g].max() for g in set(groups)}
    assert {worst[g] for g in owners[0]} == set(worst.values())     # every class keeps a training group


def test_seed_forms_int_seed_sequence_and_generator():
    labels = np.repeat(np.arange(3), 30)
    by_int = [p.tolist() for p in split_indices(labels, seed=7)]
    assert [p.tolist() for p in split_indices(labels, seed=7)] == by_int                     # reproducible
    assert [p.tolist() for p in split_indices(labels, seed=np.int64(7))] == by_int
    assert [p.tolist() for p in split_indices(labels, seed=np.random.SeedSequence(7))] == by_int
    assert [p.tolist() for p in split_indices(labels, seed=np.random.default_rng(7))] == by_int
    assert [p.tolist() for p in split_indices(labels, seed=8)] != by_int
    rng = np.random.default_rng(7)                  # a Generator is used as it is: its stream advances
    first, second = split_indices(labels, seed=rng), split_indices(labels, seed=rng)
    assert [p.tolist() for p in first] != [p.tolist() for p in second]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"val": 1.5}, ValueError, r"val must be in \[0, 1\), got 1.5"),
    ({"test": -0.1}, ValueError, r"test must be in \[0, 1\)"),
    ({"val": 0.5, "test": 0.5}, ValueError, r"val=0.5 and test=0.5 leave nothing to train on"),
    ({"val": "0.2"}, TypeError, r"val must be a number"),
    ({"test": None}, TypeError, r"test must be a number"),
    ({"val": float("nan")}, ValueError, r"val must be finite"),
    ({"seed": -1}, ValueError, r"seed must be ≥ 0"),
    ({"seed": 1.5}, TypeError, r"seed must be an int"),
    ({"seed": True}, TypeError, r"seed must be an int"),
    ({"groups": [0, 1]}, ValueError, r"groups must have one id per item"),
])
def test_bad_arguments_name_themselves(kwargs, error, message):
    with pytest.raises(error, match=message):
        split_indices(np.repeat([0, 1], 10), **kwargs)


def test_bad_labels_and_mismatched_arrays():
    with pytest.raises(ValueError, match=r"labels must be 1-D, got shape \(4, 2\)"):
        split_indices(np.zeros((4, 2), int))
    with pytest.raises(ValueError, match=r"labels is empty"):
        split_indices([])
    with pytest.raises(ValueError, match=r"x has 3 items but y has 4"):
        split_arrays(np.zeros((3, 2)), [0, 1, 0, 1], ["a", "b"])
    with pytest.raises(ValueError, match=r"x has 2 items but y has 3"):
        Split(np.zeros((2, 1)), np.zeros(3))


def test_split_arrays_keeps_pairs_together_and_matches_split_indices():
    y = np.repeat(np.arange(4), 25)
    x = np.arange(100)[:, None] * np.ones((1, 3))          # row i remembers its index
    s = split_arrays(x, y, ["a", "b", "c", "d"], val=0.2, test=0.2, seed=5)
    assert [len(p) for p in s] == [60, 20, 20] and s.class_names == ["a", "b", "c", "d"] and s.n_classes == 4
    for part in s:
        np.testing.assert_array_equal(part.y, y[part.x[:, 0].astype(int)])
    assert not np.all(np.diff(s.train.x[:, 0]) > 0)         # parts are shuffled, not sorted
    idx = split_indices(y, val=0.2, test=0.2, seed=np.random.default_rng(5), class_names=list("abcd"))
    for part, index in zip(s, idx):
        assert sorted(part.x[:, 0].astype(int).tolist()) == index.tolist()


def test_splits_unpacks_indexes_by_name_and_lists_items():
    s = split_arrays(np.zeros((40, 2)), np.repeat([0, 1], 20), ["no", "yes"], val=0.25, test=0.25, seed=0)
    train, val, test = s
    assert train is s.train and val is s["val"] and test is s["test"]
    x, y = s["train"]                                      # a Split unpacks too
    assert x is s.train.x and y is s.train.y
    assert [name for name, _ in s.items()] == ["train", "val", "test"]
    assert repr(s) == "Splits(train=20, val=10, test=10, item shape=(2,), classes=['no', 'yes'])"
    with pytest.raises(KeyError, match=r"not 'validation'"):
        s["validation"]
    indices = split_indices(np.repeat([0, 1], 5), val=0.2, test=0.2)
    assert repr(indices) == "Splits(train=6, val=2, test=2)"
