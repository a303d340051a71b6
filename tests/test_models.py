"""cnnkit.models: shapes, parameter counts (checked against arithmetic done by hand), names, freezing."""
import cnnkit  # noqa: F401  (before keras: quiet TF start-up)
import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit import models


def conv_params(k, c_in, c_out):
    """A k×k convolution: one k·k·c_in weight vector plus one bias per output channel."""
    return (k * k * c_in + 1) * c_out


def dense_params(n_in, n_out):
    """A dense layer: one weight per input per unit, plus one bias per unit."""
    return (n_in + 1) * n_out


def n_trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


# --------------------------------------------------------------------------------------------- mlp
def test_mlp_parameter_count_by_hand():
    net = models.mlp((8, 8, 1), n_classes=10, hidden=(32, 16))
    # flatten 8·8·1 = 64 → 32 → 16 → 10
    assert net.count_params() == (64 + 1) * 32 + (32 + 1) * 16 + (16 + 1) * 10 == 2778
    assert net.output_shape == (None, 10)
    assert [l.name for l in net.layers] == ["image", "flatten", "dense1", "dense2", "class_scores", "probabilities"]


def test_mlp_without_hidden_layers_is_a_linear_classifier():
    net = models.mlp((4, 4, 3), n_classes=2, hidden=())
    assert net.count_params() == (4 * 4 * 3 + 1) * 2 == 98


def test_mlp_dropout_layers_are_named_and_add_no_weights():
    plain = models.mlp((6, 6, 1), 3, hidden=(8, 4))
    dropped = models.mlp((6, 6, 1), 3, hidden=(8, 4), dropout=0.5)
    assert {"dropout1", "dropout2"} <= {l.name for l in dropped.layers}
    assert dropped.count_params() == plain.count_params()


def test_mlp_outputs_probabilities():
    net = models.mlp((5, 5, 2), n_classes=4, hidden=(7,))
    p = net.predict(np.random.default_rng(0).random((3, 5, 5, 2), dtype=np.float32), verbose=0)
    assert p.shape == (3, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


# --------------------------------------------------------------------------------------------- cnn
def test_cnn_default_parameter_count_by_hand():
    net = models.cnn((32, 32, 3), n_classes=4)   # 3 blocks × 2 convs, 32/64/128 filters, fc 128
    by_layer = {
        "block1_conv1": (3 * 3 * 3 + 1) * 32,      # 896
        "block1_conv2": (3 * 3 * 32 + 1) * 32,     # 9,248
        "block2_conv1": (3 * 3 * 32 + 1) * 64,     # 18,496
        "block2_conv2": (3 * 3 * 64 + 1) * 64,     # 36,928
        "block3_conv1": (3 * 3 * 64 + 1) * 128,    # 73,856
        "block3_conv2": (3 * 3 * 128 + 1) * 128,   # 147,584
        "fc": (4 * 4 * 128 + 1) * 128,             # 32 → 16 → 8 → 4 after three pools: 262,272
        "class_scores": (128 + 1) * 4,             # 516
    }
    for name, count in by_layer.items():
        assert net.get_layer(name).count_params() == count, name
    assert net.count_params() == sum(by_layer.values()) == 549_796
    assert net.get_layer("block3_pool").output.shape == (None, 4, 4, 128)
    assert net.output_shape == (None, 4)


def test_cnn_layer_names_follow_the_lesson():
    net = models.cnn((16, 16, 1), n_classes=3, blocks=2, convs_per_block=1, filters=4, dense=8)
    assert [l.name for l in net.layers] == [
        "image",
        "block1_conv1", "block1_relu1", "block1_pool",
        "block2_conv1", "block2_relu1", "block2_pool",
        "flatten", "fc", "class_scores", "probabilities",
    ]
    assert net.name == "cnn_2blocks"


def test_cnn_gap_head_and_no_dense_layer():
    net = models.cnn((28, 20, 1), n_classes=5, blocks=2, convs_per_block=1, filters=8, dense=0,
                     kernel_size=5, head="gap")
    # 5×5 convs: 1 → 8, 8 → 16; GAP leaves 16 features; no fc layer
    assert net.count_params() == (5 * 5 * 1 + 1) * 8 + (5 * 5 * 8 + 1) * 16 + (16 + 1) * 5 == 3509
    assert net.get_layer("block2_pool").output.shape == (None, 7, 5, 16)   # 28×20 → 14×10 → 7×5
    assert "fc" not in {l.name for l in net.layers}


def test_cnn_odd_sizes_floor_at_each_pool():
    net = models.cnn((33, 17, 3), n_classes=2, blocks=3, convs_per_block=1, filters=2, dense=3)
    # 33 → 16 → 8 → 4 and 17 → 8 → 4 → 2; filters 2, 4, 8
    assert net.get_layer("flatten").output.shape == (None, 4 * 2 * 8)
    assert net.get_layer("fc").count_params() == (4 * 2 * 8 + 1) * 3


def expected_cnn_params(h, w, c, n, blocks, convs, filters, dense, k, head):
    total, c_in = 0, c
    for b in range(blocks):
        c_out = filters * 2 ** b
        total += conv_params(k, c_in, c_out) + (convs - 1) * conv_params(k, c_out, c_out)
        c_in, h, w = c_out, h // 2, w // 2
    features = c_in if head == "gap" else h * w * c_in
    if dense:
        total += dense_params(features, dense)
        features = dense
    return total + dense_params(features, n)


@settings(max_examples=15, deadline=None)
@given(
    h=st.integers(8, 40), w=st.integers(8, 40), c=st.integers(1, 4), n=st.integers(2, 7),
    blocks=st.integers(1, 3), convs=st.integers(1, 3), filters=st.integers(1, 8),
    dense=st.sampled_from([0, 5, 16]), k=st.sampled_from([1, 3, 5]), head=st.sampled_from(["flatten", "gap"]),
)
def test_cnn_parameter_count_matches_the_formula(h, w, c, n, blocks, convs, filters, dense, k, head):
    net = models.cnn((h, w, c), n, blocks=blocks, convs_per_block=convs, filters=filters, dense=dense,
                     kernel_size=k, head=head)
    assert net.count_params() == expected_cnn_params(h, w, c, n, blocks, convs, filters, dense, k, head)
    assert net.output_shape == (None, n)
    assert net.get_layer(f"block{blocks}_pool").output.shape == (
        None, h // 2 ** blocks, w // 2 ** blocks, filters * 2 ** (blocks - 1))


def test_cnn_predicts_one_probability_row_per_image():
    net = models.cnn((16, 16, 3), n_classes=3, blocks=2, filters=4, dense=8)
    p = net.predict(np.zeros((2, 16, 16, 3), np.float32), verbose=0)
    assert p.shape == (2, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


# ------------------------------------------------------------------------------- feature_extractor
@pytest.fixture
def small_cnn():
    # block1: 3 → 8, block2: 8 → 16 (3×3 convs), 16×16 → 8×8 → 4×4, fc 32
    return models.cnn((16, 16, 3), n_classes=4, blocks=2, convs_per_block=2, filters=8, dense=32, name="base")


def test_feature_extractor_by_name_and_index(small_cnn):
    by_name = models.feature_extractor(small_cnn, "block2_pool")
    index = [l.name for l in small_cnn.layers].index("block2_pool")
    by_index = models.feature_extractor(small_cnn, index)
    assert by_name.output_shape == by_index.output_shape == (None, 4, 4, 16)
    assert by_name.name == "base_to_block2_pool"
    assert models.feature_extractor(small_cnn, -3).output_shape == (None, 32)   # fc
    x = np.random.default_rng(1).random((2, 16, 16, 3), dtype=np.float32)
    np.testing.assert_allclose(by_name.predict(x, verbose=0), by_index.predict(x, verbose=0))


def test_feature_extractor_shares_the_trained_weights(small_cnn):
    features = models.feature_extractor(small_cnn, "block1_relu2")
    assert features.get_layer("block1_conv1") is small_cnn.get_layer("block1_conv1")
    assert features.count_params() == conv_params(3, 3, 8) + conv_params(3, 8, 8)
    # it computes exactly the intermediate output of the full network
    x = np.random.default_rng(2).random((1, 16, 16, 3), dtype=np.float32)
    probe = keras.Model(small_cnn.inputs, small_cnn.get_layer("block1_relu2").output)
    np.testing.assert_allclose(features.predict(x, verbose=0), probe.predict(x, verbose=0))


@pytest.mark.parametrize("layer, error, match", [
    ("block9_conv1", ValueError, "layer 'block9_conv1' is not a layer of model 'base'; its layers are"),
    (99, ValueError, "layer=99 is out of range"), (-99, ValueError, "layer=-99 is out of range"),
    (1.5, TypeError, "layer must be a layer name or an integer index"),
    (None, TypeError, "layer must be a layer name"), (True, TypeError, "layer must be a layer name"),
])
def test_feature_extractor_rejects_unknown_layers(small_cnn, layer, error, match):
    with pytest.raises(error, match=match):
        models.feature_extractor(small_cnn, layer)


def test_find_layer_by_name_and_by_index(small_cnn):
    assert models.find_layer(small_cnn, "fc") is small_cnn.get_layer("fc")
    assert models.find_layer(small_cnn, np.int64(1)) is small_cnn.layers[1]
    assert models.find_layer(small_cnn, -1).name == "probabilities"
    with pytest.raises(ValueError, match="^trainable_from 'x' is not a layer"):
        models.find_layer(small_cnn, "x", argument="trainable_from")


# ---------------------------------------------------------------------------------------- transfer
def test_transfer_frozen_trains_only_the_new_head(small_cnn):
    features = models.feature_extractor(small_cnn, "block2_pool")
    net = models.transfer(features, n_classes=3)
    # 4×4×16 features → GAP → 16 → class scores for 3 classes
    assert n_trainable(net) == (16 + 1) * 3 == 51
    assert len(net.trainable_weights) == 2   # class_scores kernel and bias
    assert net.count_params() == features.count_params() + 51
    assert not any(l.trainable for l in net.get_layer(features.name).layers if l.weights)
    assert all(l.trainable for l in features.layers)   # the caller's backbone keeps its flags
    assert {"gap", "dropout", "class_scores", "probabilities"} <= {l.name for l in net.layers}
    assert net.output_shape == (None, 3)


def test_transfer_with_a_dense_layer_in_the_head(small_cnn):
    features = models.feature_extractor(small_cnn, "block2_pool")
    net = models.transfer(features, n_classes=5, dense=10, dropout=0)
    assert n_trainable(net) == (16 + 1) * 10 + (10 + 1) * 5 == 225
    assert "dropout" not in {l.name for l in net.layers}


def test_transfer_fine_tuning_by_name_and_by_index_agree(small_cnn):
    features = models.feature_extractor(small_cnn, "block2_pool")
    names = [l.name for l in features.layers]
    head = (16 + 1) * 3
    last_block = conv_params(3, 8, 16) + conv_params(3, 16, 16)   # block2_conv1 + block2_conv2

    by_name = models.transfer(features, 3, trainable_from="block2_conv1")
    assert n_trainable(by_name) == last_block + head == 1168 + 2320 + 51
    assert len(by_name.trainable_weights) == 2 * 2 + 2

    by_index = models.transfer(features, 3, trainable_from=names.index("block2_conv1"))
    assert n_trainable(by_index) == last_block + head

    by_negative = models.transfer(features, 3, trainable_from=names.index("block2_conv1") - len(names))
    assert n_trainable(by_negative) == last_block + head

    everything = models.transfer(features, 3, trainable_from=0)
    assert n_trainable(everything) == features.count_params() + head

    # a shared backbone (copy_backbone=False) carries the latest flags: freezing again resets them
    shared = models.transfer(features, 3, trainable_from=0, copy_backbone=False)
    assert n_trainable(shared) == features.count_params() + head
    frozen = models.transfer(features, 3, copy_backbone=False)
    assert n_trainable(frozen) == head and n_trainable(shared) == head


def test_transfer_on_vector_and_sequence_features(small_cnn):
    vector = models.feature_extractor(small_cnn, "fc")          # (None, 32): used as is
    assert n_trainable(models.transfer(vector, 2)) == (32 + 1) * 2
    seq_in = keras.Input((6, 4), name="seq")
    seq = keras.Model(seq_in, keras.layers.Dense(3, name="proj")(seq_in), name="seq_model")   # (None, 6, 3)
    net = models.transfer(seq, 2)
    assert "flatten" in {l.name for l in net.layers}
    assert n_trainable(net) == (6 * 3 + 1) * 2


@pytest.mark.parametrize("trainable_from, error", [
    ("nope", ValueError), (50, ValueError), (-50, ValueError), (2.0, TypeError), (True, TypeError),
])
def test_transfer_rejects_bad_trainable_from(small_cnn, trainable_from, error):
    features = models.feature_extractor(small_cnn, "block2_pool")
    with pytest.raises(error, match="^trainable_from"):
        models.transfer(features, 3, trainable_from=trainable_from)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_classes": 1}, ValueError, "n_classes must be ≥ 2"),
    ({"dense": -1}, ValueError, "dense must be ≥ 0"),
    ({"dropout": 1.0}, ValueError, "dropout must be in"),
    ({"copy_backbone": 1}, TypeError, "copy_backbone must be True or False"),
])
def test_transfer_rejects_bad_settings(small_cnn, kwargs, error, match):
    features = models.feature_extractor(small_cnn, "block2_pool")
    with pytest.raises(error, match=match):
        models.transfer(features, **{"n_classes": 3, **kwargs})


def test_transfer_rejects_a_backbone_that_is_not_a_model():
    with pytest.raises(TypeError, match="backbone must be a keras.Model, got Dense"):
        models.transfer(keras.layers.Dense(3), 2)


def fine_tune_once(net):
    rng = np.random.default_rng(0)
    models.compile_model(net, learning_rate=0.05)
    net.fit(rng.random((16, 16, 16, 3), dtype=np.float32), rng.integers(0, 3, 16), epochs=1, verbose=0)


def test_transfer_leaves_the_callers_backbone_unchanged(small_cnn):
    # defect 15: fine-tuning used to train the caller's backbone in place, so the next model built
    # from it (the next label budget of a learning curve) started from weights tuned on the last one
    features = models.feature_extractor(small_cnn, "block2_pool")
    before = [w.copy() for w in features.get_weights()]
    net = models.transfer(features, 3, trainable_from=0)
    copy = net.get_layer(features.name)
    assert copy is not features
    assert [l.name for l in copy.layers] == [l.name for l in features.layers]    # names kept
    for a, b in zip(copy.get_weights(), before):                                 # same starting values
        np.testing.assert_array_equal(a, b)
    fine_tune_once(net)
    for a, b in zip(features.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(copy.get_layer("block1_conv1").kernel.numpy(), before[0])   # the copy trained


def test_transfer_without_a_copy_fine_tunes_the_backbone_in_place(small_cnn):
    features = models.feature_extractor(small_cnn, "block2_pool")
    before = features.get_layer("block1_conv1").kernel.numpy().copy()
    net = models.transfer(features, 3, trainable_from=0, copy_backbone=False)
    assert net.get_layer(features.name) is features
    fine_tune_once(net)
    assert not np.array_equal(features.get_layer("block1_conv1").kernel.numpy(), before)


def test_transfer_copies_a_nested_backbone_with_its_input_name():
    inputs = keras.Input((8, 8, 3), name="pixels")
    inner = models.cnn((8, 8, 3), 2, blocks=1, filters=2, dense=0, name="inner")
    outer = keras.Model(inputs, models.feature_extractor(inner, "block1_pool")(inputs), name="outer")
    copy = models.transfer(outer, 2).get_layer("outer")
    assert [l.name for l in copy.layers] == ["pixels", "inner_to_block1_pool"]
    for a, b in zip(copy.get_weights(), outer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_transfer_keeps_batch_norm_statistics_while_fine_tuning():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.BatchNormalization(name="bn")(x)
    net = models.compile_model(models.transfer(keras.Model(inputs, x, name="bn_backbone"), 2, trainable_from=0))
    backbone = net.get_layer("bn_backbone")   # the copy that is trained
    before = backbone.get_layer("bn").moving_mean.numpy().copy()
    kernel_before = backbone.get_layer("conv").kernel.numpy().copy()
    rng = np.random.default_rng(0)
    net.fit(rng.random((16, 8, 8, 1), dtype=np.float32) * 5 + 3, rng.integers(0, 2, 16), epochs=1, verbose=0)
    np.testing.assert_array_equal(backbone.get_layer("bn").moving_mean.numpy(), before)
    assert not backbone.get_layer("bn").trainable   # kept frozen: runs in inference mode
    assert not np.array_equal(backbone.get_layer("conv").kernel.numpy(), kernel_before)   # but it did train


# ----------------------------------------------------------------------------------- compile_model
def test_compile_model_defaults_and_training():
    net = models.compile_model(models.mlp((4,), 2, hidden=(8,)), learning_rate=0.01)
    assert isinstance(net.optimizer, keras.optimizers.Adam)
    assert float(net.optimizer.learning_rate.numpy()) == pytest.approx(0.01)
    assert net.loss == "sparse_categorical_crossentropy"
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype(int)
    history = net.fit(x, y, epochs=3, verbose=0)
    assert set(history.history) >= {"loss", "accuracy"}
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_compile_model_other_optimizer():
    net = models.compile_model(models.mlp((4,), 2), optimizer="sgd", learning_rate=0.1)
    assert isinstance(net.optimizer, keras.optimizers.SGD)


def test_compile_model_accepts_a_schedule():
    """The optimizer follows the schedule: 0.1 at step 0, half of it after 10 steps (a constant would stay 0.1)."""
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    net = models.compile_model(models.mlp((4,), 2, hidden=(4,)), learning_rate=schedule)
    assert float(net.optimizer.learning_rate) == pytest.approx(0.1)
    x, y = np.random.default_rng(0).normal(size=(40, 4)).astype("float32"), np.arange(40) % 2
    net.fit(x, y, batch_size=4, epochs=1, verbose=0)                    # 10 steps
    assert int(net.optimizer.iterations) == 10
    assert float(net.optimizer.learning_rate) == pytest.approx(float(schedule(10)))
    assert float(schedule(10)) == pytest.approx(0.05)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"learning_rate": 0}, ValueError, "learning_rate"), ({"learning_rate": -1e-3}, ValueError, "learning_rate"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate"), ({"learning_rate": True}, TypeError, "learning_rate"),
    ({"optimizer": "not_an_optimizer"}, ValueError, "optimizer"), ({"optimizer": None}, TypeError, "optimizer"),
])
def test_compile_model_rejects_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=f"^{word}"):
        models.compile_model(models.mlp((4,), 2), **kwargs)


def test_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        models.cnn((32, 32, 3), 4, 2)
    with pytest.raises(TypeError, match="positional"):
        models.mlp((4,), 2, (8,))
    with pytest.raises(TypeError, match="positional"):
        models.compile_model(models.mlp((4,), 2), 0.01)


# ----------------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("kwargs, error, word", [
    ({"input_shape": (32, 32)}, ValueError, "input_shape"),
    ({"input_shape": (32, 0, 3)}, ValueError, r"input_shape\[1\]"),
    ({"input_shape": 32}, TypeError, "input_shape"),
    ({"n_classes": 1}, ValueError, "n_classes"),
    ({"n_classes": 2.5}, TypeError, "n_classes"),
    ({"blocks": 0}, ValueError, "blocks"),
    ({"blocks": True}, TypeError, "blocks"),
    ({"convs_per_block": 0}, ValueError, "convs_per_block"),
    ({"filters": -4}, ValueError, "filters"),
    ({"head": "avg"}, ValueError, "head"),
    ({"dense": -1}, ValueError, "dense"),
    ({"dropout": 1.0}, ValueError, "dropout"),
    ({"kernel_size": 0}, ValueError, "kernel_size"),
    ({"blocks": 6}, ValueError, "blocks=6"),                     # 32 px cannot be halved 6 times
    ({"input_shape": (7, 64, 3), "blocks": 3}, ValueError, "blocks=3 .* ≥ 8"),
])
def test_cnn_rejects_bad_arguments(kwargs, error, word):
    args = {"input_shape": (32, 32, 3), "n_classes": 4, **kwargs}
    with pytest.raises(error, match=f"^{word}"):
        models.cnn(**args)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"input_shape": ()}, ValueError, "input_shape"),
    ({"input_shape": (8, -1)}, ValueError, r"input_shape\[1\]"),
    ({"n_classes": 0}, ValueError, "n_classes"),
    ({"hidden": (16, 0)}, ValueError, r"hidden\[1\]"),
    ({"hidden": (16.5,)}, TypeError, r"hidden\[0\]"),
    ({"dropout": -0.1}, ValueError, "dropout"),
])
def test_mlp_rejects_bad_arguments(kwargs, error, word):
    args = {"input_shape": (8, 8), "n_classes": 3, **kwargs}
    with pytest.raises(error, match=f"^{word}"):
        models.mlp(**args)
