"""cnnkit.transfer_learning: stratified label budgets, fixed-step training, learning curves."""
import cnnkit  # noqa: F401  (before keras: quiet TF start-up)
import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit import models
from cnnkit import transfer_learning as tl
from cnnkit.data.splits import Split, Splits
from cnnkit.device import set_seed


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


def test_labelled_subset_takes_every_seed_form_and_pairs():
    split = tagged(np.repeat([0, 1, 2, 3], 25))
    by_int = tl.labelled_subset(split, count=8, seed=5)
    by_generator = tl.labelled_subset(split, count=8, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(by_int.x, by_generator.x)          # default_rng(5) either way
    sequence = np.random.SeedSequence(7)
    small = tl.labelled_subset(split, count=8, seed=sequence)
    big = tl.labelled_subset(tuple(split), count=30, seed=sequence)  # an (x, y) pair works too
    assert set(small.x[:, 0]) <= set(big.x[:, 0])                    # a SeedSequence nests budgets as an int does


@pytest.mark.parametrize("kwargs, error, word", [
    ({}, ValueError, "give exactly one of fraction or count"),
    ({"fraction": 0.1, "count": 3}, ValueError, "give exactly one of fraction or count"),
    ({"fraction": 0}, ValueError, "fraction"), ({"fraction": 1.5}, ValueError, "fraction"),
    ({"fraction": "half"}, TypeError, "fraction"),
    ({"count": 0}, ValueError, "count"), ({"count": 101}, ValueError, "count must be ≤ 100"),
    ({"count": 2.0}, TypeError, "count"), ({"count": True}, TypeError, "count"),
    ({"count": 2}, ValueError, "a budget of 2 .* one of each of the 3 classes"),
    ({"fraction": 0.01}, ValueError, "a budget of 1 .* one of each"),
    ({"count": 3, "seed": -1}, ValueError, "seed"), ({"count": 3, "seed": "0"}, TypeError, "seed"),
])
def test_labelled_subset_rejects_bad_budgets(kwargs, error, word):
    with pytest.raises(error, match=f"^{word}"):
        tl.labelled_subset(tagged(np.arange(100) % 3), **kwargs)


def test_labelled_subset_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        tl.labelled_subset(tagged(np.arange(10) % 2), 0.5)


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


def flipped(split):
    return Split(split.x, 1 - split.y)


def test_fit_and_score_learns_the_labels_it_is_given():
    # the same initial weights (set_seed) trained on y and on 1 - y: an untrained (or broken) fit scores
    # a + (1 - a) = 1 over the two, so both above 0.9 means each fit learned its own labels
    train, test = blobs(40, 0), blobs(200, 1)
    scores = []
    for labels in (lambda s: s, flipped):
        set_seed(3)
        net = models.mlp((4,), 2, hidden=())
        scores.append(tl.fit_and_score(net, labels(train), labels(test), steps=60, batch_size=8, learning_rate=0.1))
    assert min(scores) > 0.9, scores


@pytest.mark.slow
def test_fit_and_score_accepts_pairs_and_a_seed_sequence():
    scores = []
    for train, test in [(blobs(10, 0), blobs(50, 1)), (tuple(blobs(10, 0)), tuple(blobs(50, 1)))]:
        set_seed(0)
        scores.append(tl.fit_and_score(models.mlp((4,), 2, hidden=(3,)), train, test, steps=5,
                                       seed=np.random.SeedSequence(4)))
    assert scores[0] == scores[1]                      # a pair is the same data as a Split


@pytest.mark.parametrize("kwargs, error, word", [
    ({"steps": 0}, ValueError, "steps"), ({"batch_size": -1}, ValueError, "batch_size"),
    ({"steps": 2.5}, TypeError, "steps"), ({"seed": -1}, ValueError, "seed"), ({"seed": 0.5}, TypeError, "seed"),
    ({"learning_rate": 0}, ValueError, "learning_rate"),
])
def test_fit_and_score_rejects_bad_settings(kwargs, error, word):
    with pytest.raises(error, match=f"^{word}"):
        tl.fit_and_score(models.mlp((4,), 2), blobs(10, 0), blobs(10, 1), **kwargs)


def test_fit_and_score_rejects_empty_or_mismatched_training_data():
    with pytest.raises(ValueError, match="^train must hold at least one labelled item"):
        tl.fit_and_score(models.mlp((4,), 2), (np.zeros((0, 4)), np.zeros(0)), blobs(10, 1))
    with pytest.raises(ValueError, match="^train: x and y must hold one item per label, got 3 inputs and 2 labels"):
        tl.fit_and_score(models.mlp((4,), 2), (np.zeros((3, 4)), np.zeros(2)), blobs(10, 1))
    with pytest.raises(TypeError, match="positional"):
        tl.fit_and_score(models.mlp((4,), 2), blobs(10, 0), blobs(10, 1), 5)


# --------------------------------------------------------------------------------- learning_curve
@pytest.mark.slow
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
    assert curve["fraction"].tolist() == [0.1, 0.5]
    assert [int(m.optimizer.iterations.numpy()) for m in built["small"]] == [3, 3]
    assert [int(m.optimizer.iterations.numpy()) for m in built["big"]] == [7, 7]   # its own setting wins
    assert len({id(m) for m in built["small"]}) == 2                                 # a fresh model per budget


@pytest.mark.slow
def test_learning_curve_scores_each_exact_budget():
    # every value is fit_and_score of a model built after set_seed(seed), trained on labelled_subset's budget
    data = Splits(blobs(60, 0), blobs(10, 1), blobs(40, 2), ["a", "b"])
    build = {"mlp": lambda n: models.mlp((4,), n, hidden=(4,))}
    curve = tl.learning_curve(build, data, fractions=(0.1, 0.5), seed=2, steps=6, learning_rate=0.05)
    by_hand = []
    for fraction in (0.1, 0.5):
        few = tl.labelled_subset(data.train, fraction=fraction, seed=2)
        set_seed(2)
        by_hand.append(tl.fit_and_score(models.mlp((4,), 2, hidden=(4,)), few, data.test, steps=6,
                                        learning_rate=0.05, seed=2))
    assert curve["mlp"].tolist() == by_hand
    assert by_hand[0] != by_hand[1]   # the budgets differ, so do the scores (a curve of one budget would not)


def test_learning_curve_with_a_fine_tuning_builder_starts_every_budget_from_the_same_backbone():
    # defect 15: the builder's transfer() fine-tuned the shared backbone in place, so the second
    # budget started from weights already tuned on the first
    data = Splits(blobs(60, 0), blobs(10, 1), blobs(40, 2), ["a", "b"])
    inputs = keras.Input((4,), name="x")
    backbone = keras.Model(inputs, keras.layers.Dense(6, activation="relu", name="proj")(inputs), name="backbone")
    before = [w.copy() for w in backbone.get_weights()]
    tl.learning_curve({"ft": lambda n: models.transfer(backbone, n, trainable_from=0, dropout=0)}, data,
                      fractions=(0.2, 0.5), steps=5, learning_rate=0.1)
    for a, b in zip(backbone.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_learning_curve_is_repeatable_with_a_generator_seed():
    data = Splits(blobs(60, 0), blobs(10, 1), blobs(40, 2), ["a", "b"])
    build = {"mlp": lambda n: models.mlp((4,), n, hidden=(4,))}
    first = tl.learning_curve(build, data, fractions=(0.2,), seed=np.random.default_rng(1), steps=4)
    second = tl.learning_curve(build, data, fractions=(0.2,), seed=np.random.default_rng(1), steps=4)
    assert first.equals(second)


@pytest.mark.parametrize("builders, error, match", [
    ({}, ValueError, "^builders must hold at least 1 entry"),
    ([len], TypeError, "^builders must be a dict"),
    ({"x": "not a function"}, TypeError, r"^builders\['x'\] must be a function"),
    ({"x": (len, "not a dict")}, TypeError, r"^builders\['x'\] must be a function"),
])
def test_learning_curve_rejects_bad_builders(builders, error, match):
    data = Splits(blobs(20, 0), blobs(4, 1), blobs(8, 2), ["a", "b"])
    with pytest.raises(error, match=match):
        tl.learning_curve(builders, data, fractions=(0.5,))


def test_learning_curve_rejects_a_bad_fraction_or_seed():
    data = Splits(blobs(20, 0), blobs(4, 1), blobs(8, 2), ["a", "b"])
    build = {"mlp": lambda n: models.mlp((4,), n)}
    with pytest.raises(ValueError, match=r"^fractions\[0\] must be in"):
        tl.learning_curve(build, data, fractions=(1.5,))
    with pytest.raises(TypeError, match="^seed must be"):
        tl.learning_curve(build, data, fractions=(0.5,), seed=1.0)
