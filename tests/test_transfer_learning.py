"""cnnkit.transfer_learning: stratified label budgets, fixed-step training, learning curves."""
import cnnkit  # noqa: F401  (before keras: quiet TF start-up)
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit import models
from cnnkit import transfer_learning as tl
from cnnkit.data.splits import Split, Splits


def tagged(y):
    """A split whose x rows carry their own index and label, so a subset can be checked row by row."""
    y = np.asarray(y)
    x = np.stack([np.arange(len(y)), y], axis=1)
    return Split(x, y)


# -------------------------------------------------------------------------------- labelled_subset
def test_balanced_budget_takes_equal_counts_and_keeps_pairs():
    split = tagged(np.repeat([0, 1, 2], 40))
    few = tl.labelled_subset(split, count=12, seed=3)
    assert len(few) == 12
    assert np.bincount(few.y).tolist() == [4, 4, 4]
    np.testing.assert_array_equal(few.x[:, 1], few.y)            # every image keeps its own label
    assert len(np.unique(few.x[:, 0])) == 12                      # no image twice


def test_fraction_rounds_to_a_count():
    split = tagged(np.repeat([0, 1], 420))
    assert len(tl.labelled_subset(split, fraction=0.05)) == round(0.05 * 840) == 42
    assert len(tl.labelled_subset(split, fraction=1.0)) == 840


def test_every_class_gets_one_even_when_rare():
    y = np.array([0] * 500 + [1] * 3 + [2] * 1)
    few = tl.labelled_subset(tagged(y), count=5, seed=0)
    assert set(few.y.tolist()) == {0, 1, 2}


def test_bigger_budgets_contain_smaller_ones_and_seed_repeats():
    split = tagged(np.repeat([0, 1, 2, 3], 25))
    small = tl.labelled_subset(split, count=8, seed=5)
    big = tl.labelled_subset(split, count=30, seed=5)
    assert set(small.x[:, 0]) <= set(big.x[:, 0])
    np.testing.assert_array_equal(small.x, tl.labelled_subset(split, count=8, seed=5).x)
    assert set(small.x[:, 0]) != set(tl.labelled_subset(split, count=8, seed=6).x[:, 0])


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 60), min_size=1, max_size=6), data=st.data())
def test_budget_is_stratified_for_any_class_sizes(sizes, data):
    y = np.repeat(np.arange(len(sizes)), sizes)
    k = data.draw(st.integers(len(sizes), len(y)))
    few = tl.labelled_subset(tagged(y), count=k, seed=data.draw(st.integers(0, 10)))
    counts = np.bincount(few.y, minlength=len(sizes))
    assert len(few) == k and counts.min() >= 1
    assert len(np.unique(few.x[:, 0])) == k
    np.testing.assert_array_equal(few.x[:, 1], few.y)
    # one per class first (that one may over-represent a tiny class); beyond it every class is cut at the
    # same fraction of itself: no class's last pick lies further into it than another's first unpicked item
    n = np.asarray(sizes)
    for a in range(len(n)):
        for b in range(len(n)):
            if counts[a] >= 2 and counts[b] < n[b]:
                assert (counts[a] - 0.5) / n[a] <= (counts[b] + 0.5) / n[b] + 1e-12, (a, b, counts, sizes)


@pytest.mark.parametrize("kwargs, word", [
    ({}, "exactly one"), ({"fraction": 0.1, "count": 3}, "exactly one"),
    ({"fraction": 0}, "fraction"), ({"fraction": 1.5}, "fraction"),
    ({"count": 0}, "count"), ({"count": 101}, "count"), ({"count": 2.0}, "count"), ({"count": True}, "count"),
    ({"count": 2}, "one of each of the 3 classes"), ({"fraction": 0.01}, "one of each"),
])
def test_labelled_subset_rejects_bad_budgets(kwargs, word):
    with pytest.raises(ValueError, match=word):
        tl.labelled_subset(tagged(np.arange(100) % 3), **kwargs)


# ---------------------------------------------------------------------------------- fit_and_score
def blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.normal(size=(n, 4)).astype("float32") + 3.0 * y[:, None]
    return Split(x, y)


def test_fit_and_score_learns_an_easy_problem_in_exactly_steps_batches():
    net = models.mlp((4,), 2, hidden=(8,))
    acc = tl.fit_and_score(net, blobs(20, 0), blobs(200, 1), steps=60, batch_size=8, learning_rate=1e-2)
    assert int(net.optimizer.iterations.numpy()) == 60
    assert 0.9 <= acc <= 1.0 and isinstance(acc, float)


def test_fit_and_score_accepts_pairs():
    acc = tl.fit_and_score(models.mlp((4,), 2, hidden=()), tuple(blobs(10, 0)), tuple(blobs(50, 1)), steps=5)
    assert 0.0 <= acc <= 1.0


@pytest.mark.parametrize("kwargs, word", [({"steps": 0}, "steps"), ({"batch_size": -1}, "batch_size"),
                                          ({"steps": 2.5}, "steps")])
def test_fit_and_score_rejects_bad_settings(kwargs, word):
    with pytest.raises(ValueError, match=word):
        tl.fit_and_score(models.mlp((4,), 2), blobs(10, 0), blobs(10, 1), **kwargs)


def test_fit_and_score_rejects_empty_or_mismatched_training_data():
    with pytest.raises(ValueError, match="train"):
        tl.fit_and_score(models.mlp((4,), 2), (np.zeros((0, 4)), np.zeros(0)), blobs(10, 1))
    with pytest.raises(ValueError, match="train"):
        tl.fit_and_score(models.mlp((4,), 2), (np.zeros((3, 4)), np.zeros(2)), blobs(10, 1))


# --------------------------------------------------------------------------------- learning_curve
def test_learning_curve_rows_columns_and_per_model_settings():
    data = Splits(blobs(100, 0), blobs(20, 1), blobs(60, 2), ["a", "b"])
    built = {"small": [], "big": []}

    def builder(name):
        def build(n_classes):
            net = models.mlp((4,), n_classes, hidden=(4,), name=name)
            built[name].append(net)
            return net
        return build

    curve = tl.learning_curve({"small": builder("small"), "big": (builder("big"), {"steps": 7})}, data,
                              fractions=(0.1, 0.5), seed=0, steps=3, learning_rate=1e-2)
    assert list(curve.columns) == ["fraction", "labelled", "small", "big"]
    assert curve["labelled"].tolist() == [10, 50]
    assert curve[["small", "big"]].to_numpy().min() >= 0 and curve[["small", "big"]].to_numpy().max() <= 1
    assert [int(m.optimizer.iterations.numpy()) for m in built["small"]] == [3, 3]
    assert [int(m.optimizer.iterations.numpy()) for m in built["big"]] == [7, 7]   # its own setting wins
    assert len({id(m) for m in built["small"]}) == 2                                 # a fresh model per budget


def test_learning_curve_is_repeatable():
    data = Splits(blobs(60, 0), blobs(10, 1), blobs(40, 2), ["a", "b"])
    build = {"mlp": lambda n: models.mlp((4,), n, hidden=(4,))}
    first = tl.learning_curve(build, data, fractions=(0.2,), seed=1, steps=4)
    second = tl.learning_curve(build, data, fractions=(0.2,), seed=1, steps=4)
    assert first.equals(second)


@pytest.mark.parametrize("builders", [{}, {"x": "not a function"}, {"x": (len, "not a dict")}])
def test_learning_curve_rejects_bad_builders(builders):
    data = Splits(blobs(20, 0), blobs(4, 1), blobs(8, 2), ["a", "b"])
    with pytest.raises(ValueError, match="builders"):
        tl.learning_curve(builders, data, fractions=(0.5,))
