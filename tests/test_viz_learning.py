"""cnnkit.viz.learning and viz.filters: every figure draws headless from tiny models, and refuses bad input."""
import cnnkit  # noqa: F401  (quiet TensorFlow first)
import matplotlib

matplotlib.use("Agg")
import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402

from cnnkit import models, viz  # noqa: E402
from cnnkit.device import set_seed  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def tiny_cnn():
    set_seed(0)
    return models.cnn((12, 12, 3), n_classes=3, blocks=1, filters=4, dense=5)


def test_learned_filters_colour_first_layer_and_grey_deeper(tiny_cnn):
    fig = viz.show_learned_filters(tiny_cnn, "block1_conv1")
    images = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(images) == 4 and images[0].shape == (3, 3, 3)  # RGB kernels
    kernel = tiny_cnn.get_layer("block1_conv1").get_weights()[0][..., 0]
    expected = (kernel - kernel.min()) / (kernel.max() - kernel.min())
    np.testing.assert_allclose(images[0], expected, rtol=1e-6)
    deeper = viz.show_learned_filters(tiny_cnn, "block1_conv2", max_filters=2)
    grey = [ax.images[0].get_array() for ax in deeper.axes if ax.images]
    assert len(grey) == 2 and grey[0].shape == (3, 3)


def test_learned_filters_reject_non_conv_and_unknown_layers(tiny_cnn):
    with pytest.raises(ValueError, match="layer 'fc' is not a 2-D convolution"):
        viz.show_learned_filters(tiny_cnn, "fc")
    with pytest.raises(ValueError, match="no_such_layer.*its layers are"):
        viz.show_learned_filters(tiny_cnn, "no_such_layer")
    with pytest.raises(ValueError, match="max_filters must be ≥ 1"):
        viz.show_learned_filters(tiny_cnn, "block1_conv1", max_filters=0)
    with pytest.raises(ValueError, match="channel must be ≤ 2"):
        viz.show_learned_filters(tiny_cnn, "block1_conv1", channel=3)
    with pytest.raises(TypeError, match="ncols must be an integer"):
        viz.show_learned_filters(tiny_cnn, "block1_conv1", ncols=2.5)


def test_learned_filters_grid_has_one_panel_per_filter(tiny_cnn):
    fig = viz.show_learned_filters(tiny_cnn, "block1_conv1", ncols=3)      # 4 filters: 3 + 1, no empty cells
    assert len(fig.axes) == 4
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 3)
    one_channel = viz.show_learned_filters(tiny_cnn, "block1_conv1", channel=1)
    kernel = tiny_cnn.get_layer("block1_conv1").get_weights()[0][:, :, 1, 0]
    expected = (kernel - kernel.min()) / (kernel.max() - kernel.min())
    np.testing.assert_allclose(one_channel.axes[0].images[0].get_array(), expected, rtol=1e-6)


def test_activations_rows_match_the_layer_outputs(tiny_cnn):
    image = np.random.default_rng(0).random((12, 12, 3)).astype("float32")
    fig = viz.show_activations(tiny_cnn, image, ["block1_relu1", "block1_pool", "fc"], max_maps=3)
    maps = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert [m.shape for m in maps] == [(12, 12)] * 3 + [(6, 6)] * 3 + [(1, 5)]
    probe = keras.Model(tiny_cnn.inputs[0], tiny_cnn.get_layer("block1_relu1").output)
    np.testing.assert_allclose(maps[0], np.asarray(probe(image[None]))[0, ..., 0], atol=1e-6)


def test_activations_bad_image_shape(tiny_cnn):
    with pytest.raises(ValueError, match="image must be one input"):
        viz.show_activations(tiny_cnn, np.zeros((1, 12, 12, 3)), ["block1_conv1"])
    with pytest.raises(ValueError, match="max_maps must be ≥ 1"):
        viz.show_activations(tiny_cnn, np.zeros((12, 12, 3)), ["block1_conv1"], max_maps=0)
    with pytest.raises(ValueError, match="layers must be .*at least 1 item"):
        viz.show_activations(tiny_cnn, np.zeros((12, 12, 3)), [])


@pytest.mark.slow
def test_history_from_keras_fit_and_from_dict():
    set_seed(0)
    net = models.compile_model(models.mlp((4,), 2, hidden=(3,)))
    x, y = np.random.default_rng(0).random((16, 4)), np.arange(16) % 2
    history = net.fit(x, y, validation_split=0.25, epochs=2, verbose=0)
    fig = viz.plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(line.get_ydata()) for line in fig.axes[0].lines] == [2, 2]
    fig = viz.plot_history({"loss": [3.0, 2.0, 1.0]})
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), [3.0, 2.0, 1.0])


def test_history_bad_input():
    with pytest.raises(ValueError, match="history is empty"):
        viz.plot_history({})
    with pytest.raises(TypeError, match="history must be a keras History or a dict.*got list"):
        viz.plot_history([1, 2])
    with pytest.raises(ValueError, match=r"history has no metric \['accuracy'\]; it has \['loss'\]"):
        viz.plot_history({"loss": [1.0]}, metrics=["accuracy"])
    with pytest.raises(TypeError, match="positional argument"):
        viz.plot_history({"loss": [1.0]}, ["loss"])


def test_confusion_counts_and_rates_match_sklearn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    fig = viz.show_confusion(y_true, y_pred, labels=list("abcd"))
    counts, rates = (ax.images[0].get_array() for ax in fig.axes[:2])
    expected = confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_allclose(rates, expected / expected.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(np.asarray(rates).sum(axis=1), 1.0)


def test_confusion_accepts_probabilities_and_absent_classes():
    probs = np.eye(3)[[0, 1, 1]]
    fig = viz.show_confusion([0, 1, 1], probs, labels=["x", "y", "z"])
    counts = fig.axes[0].images[0].get_array()
    np.testing.assert_array_equal(counts, [[1, 0, 0], [0, 2, 0], [0, 0, 0]])  # class z never occurs


def test_confusion_bad_input():
    with pytest.raises(ValueError, match="y_true and y_pred must be non-empty and the same length, got 2 and 1"):
        viz.show_confusion([0, 1], [0])
    with pytest.raises(ValueError, match="labels names 2 classes but the data has class index 2"):
        viz.show_confusion([0, 1, 2], [0, 1, 2], labels=["a", "b"])
    with pytest.raises(ValueError, match=r"y_true must hold labels ≥ 0, got -1"):
        viz.show_confusion([0, -1], [0, 1])
    with pytest.raises(ValueError, match=r"y_pred must hold class indices.*\[0.5\]"):
        viz.show_confusion([0, 1], [0, 0.5])


def test_decision_boundary_colours_the_plane_by_prediction():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
    y = (X[:, 0] > 0).astype(int)

    def right_half(points):
        return (points[:, 0] > 0).astype(float)

    fig = viz.plot_decision_boundary(right_half, X, y, resolution=20)
    ax = fig.axes[0]
    assert len(ax.collections) >= 2  # filled regions + points
    fig2, axes = plt.subplots(1, 2)
    set_seed(0)
    net = models.mlp((2,), 2, hidden=(4,))
    assert viz.plot_decision_boundary(net, X, y, ax=axes[1], title="mlp", resolution=10) is fig2
    assert axes[1].get_title() == "mlp"


def test_decision_boundary_sklearn_classifier():
    from sklearn.linear_model import LogisticRegression

    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, 1] > 0).astype(int)
    fig = viz.plot_decision_boundary(LogisticRegression().fit(X, y), X, y, resolution=10)
    assert fig.axes


def test_decision_boundary_bad_input():
    with pytest.raises(ValueError, match=r"X must be an \(N, 2\) array"):
        viz.plot_decision_boundary(lambda p: p[:, 0], np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="X has 5 points but y has 4 labels"):
        viz.plot_decision_boundary(lambda p: p[:, 0], np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="resolution must be ≥ 2"):
        viz.plot_decision_boundary(lambda p: p[:, 0], np.zeros((5, 2)), np.zeros(5), resolution=1)
    with pytest.raises(ValueError, match="margin must be in"):
        viz.plot_decision_boundary(lambda p: p[:, 0], np.zeros((5, 2)), np.zeros(5), margin=-1)
    with pytest.raises(TypeError, match="model must be a keras Model.*got str"):
        viz.plot_decision_boundary("not a model", np.zeros((5, 2)), np.zeros(5))


def test_compare_filters_one_zero_centred_scale_for_all_panels():
    rng = np.random.default_rng(0)
    before, after = rng.normal(0, 0.1, (3, 3, 3, 6)), rng.normal(0, 0.5, (3, 3, 3, 6))
    fig = viz.filters.compare_filters([before, after], titles=["before", "after"], max_filters=4)
    panels = [ax for ax in fig.axes if ax.images]
    bound = max(np.abs(before[..., :4]).max(), np.abs(after[..., :4]).max())
    assert len(panels) == 2 * 3 * 4
    assert all(np.allclose(ax.images[0].get_clim(), (-bound, bound)) for ax in panels)
    np.testing.assert_allclose(panels[3 * 4].images[0].get_array(), after[:, :, 0, 0])   # after, channel 0
    assert panels[0].get_ylabel() == "before\nch 0" and panels[0].images[0].get_cmap().name == "RdBu_r"
    named = viz.compare_filters([before, after], titles=["before", "after"], channel_names=("R", "G", "B"))
    labels = [ax.get_ylabel() for ax in named.axes if ax.images and ax.get_ylabel()]
    assert labels == ["before\nR", "G", "B", "after\nR", "G", "B"]
    with pytest.raises(ValueError, match="channel_names must name each of the 3"):
        viz.compare_filters([before], channel_names=("R", "G"))


def test_compare_filters_bad_input():
    k = np.zeros((3, 3, 1, 2))
    with pytest.raises(TypeError, match=r"kernels must be a list .*got an array of shape"):   # one array, not a list
        viz.filters.compare_filters(k)
    with pytest.raises(ValueError, match="kernels must all have one shape"):
        viz.filters.compare_filters([k, np.zeros((3, 3, 1, 3))])
    with pytest.raises(ValueError, match="titles must name each"):
        viz.filters.compare_filters([k, k], titles=["one"])
    with pytest.raises(ValueError, match=r"kernels\[0\] must be 4-D"):
        viz.filters.compare_filters([np.zeros((3, 3))])


def test_activations_with_the_input_and_one_scale_per_row(tiny_cnn):
    image = np.random.default_rng(1).random((12, 12, 3)).astype("float32")
    fig = viz.show_activations(tiny_cnn, image, ["block1_relu1", "block1_pool"], max_maps=3, show_input=True,
                               scale="row")
    assert fig.axes[0].get_title() == "input"
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), image)
    probe = keras.Model(tiny_cnn.inputs[0], tiny_cnn.get_layer("block1_relu1").output)
    top = float(np.asarray(probe(image[None]))[0, ..., :].max())
    row = [ax for ax in fig.axes[1:4]]
    assert all(np.allclose(ax.images[0].get_clim(), (0.0, top)) for ax in row)
    with pytest.raises(ValueError, match="scale must be one of 'each', 'row'"):
        viz.show_activations(tiny_cnn, image, "block1_relu1", scale="shared")


def test_filter_history_draws_each_kernel_as_one_colour_tile_on_one_scale():
    rng = np.random.default_rng(0)
    start, later = rng.normal(0, 0.1, (3, 3, 3, 5)), rng.normal(0, 0.4, (3, 3, 3, 5))
    fig = viz.show_filter_history([start, later], titles=["untrained", "trained"], max_filters=4)
    tiles = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    bound = max(np.abs(start[..., :4]).max(), np.abs(later[..., :4]).max())
    assert len(tiles) == 8 and tiles[0].shape == (3, 3, 3)
    np.testing.assert_allclose(tiles[4], np.clip(0.5 + later[..., 0] / (2 * bound), 0, 1))
    grey = np.repeat(rng.normal(0, 1, (3, 3, 1, 1)), 3, axis=2)              # equal channels: a grey tile
    tile = viz.show_filter_history([grey]).axes[0].images[0].get_array()
    assert np.allclose(tile[..., 0], tile[..., 1]) and np.allclose(tile[..., 1], tile[..., 2])
    with pytest.raises(ValueError, match="kh×kw×3×F"):
        viz.show_filter_history([np.zeros((3, 3, 1, 2))])
    with pytest.raises(TypeError, match=r"kernels must be a list .*got an array of shape \(3, 3, 3, 5\)"):
        viz.show_filter_history(start)


def test_activations_row_colorbars_do_not_shrink_the_last_map(tiny_cnn):
    image = np.random.default_rng(2).random((12, 12, 3)).astype("float32")
    fig = viz.show_activations(tiny_cnn, image, ["block1_relu1"], max_maps=3, scale="row")
    fig.canvas.draw()
    maps = [ax for ax in fig.axes if ax.images]
    widths = [ax.get_position().width for ax in maps]
    assert len(maps) == 3 and max(widths) - min(widths) < 1e-6                # the colorbar has its own column


def test_decision_boundary_draws_the_line_the_folds_and_a_legend():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
    y = (X[:, 0] > 0).astype(int)

    def soft(points):                                      # p(class 1) rises from left to right
        return 1 / (1 + np.exp(-3 * points[:, 0]))

    fig = viz.plot_decision_boundary(soft, X, y, resolution=30, class_names=["left", "right"], colorbar=True)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "x₁" and ax.get_ylabel() == "x₂"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["left", "right", "p = 0.5"]
    line = [c for c in ax.collections if type(c).__name__ in ("QuadContourSet", "ContourSet")
            and list(getattr(c, "levels", [])) == [0.5]]
    assert line, "the p = 0.5 boundary is drawn"
    x_at_boundary = np.concatenate([p.vertices[:, 0] for p in line[0].get_paths()])
    np.testing.assert_allclose(x_at_boundary, 0.0, atol=0.2)                   # where soft(p) = 0.5
    assert len(fig.axes) == 2                                                  # the colorbar
    set_seed(0)
    net = models.mlp((2,), 2, hidden=(3, 2))
    fig = viz.plot_decision_boundary(net, X, y, resolution=20, folds=True, legend=False)
    folds = [c for c in fig.axes[0].collections if list(getattr(c, "levels", [])) == [0.0]]
    w1, b1 = net.get_layer("dense1").get_weights()
    grid = np.c_[np.linspace(-2.5, 2.5, 50), np.zeros(50)]
    crossing = [np.any(np.diff(np.sign(grid @ w1[:, j] + b1[j])) != 0) for j in range(3)]
    assert len(folds) >= 1 and fig.axes[0].get_legend() is None
    assert sum(crossing) <= len(folds) <= 5
    with pytest.raises(ValueError, match="folds=True needs a stack of Dense layers"):
        viz.plot_decision_boundary(soft, X, y, folds=True)


def test_confusion_title_sits_above_both_panels():
    fig = viz.show_confusion([0, 1, 1], [0, 1, 0], labels=["a", "b"], title="shifted by 4 px")
    fig.canvas.draw()
    assert fig._suptitle.get_text() == "shifted by 4 px"
    top = max(ax.title.get_window_extent().y1 for ax in fig.axes[:2])
    assert fig._suptitle.get_window_extent().y0 > top


@pytest.mark.parametrize("name", ["circles", "xor", "gaussians", "spiral"])
def test_make_plane_is_balanced_seeded_and_separable_by_its_rule(name):
    X, y = viz.make_plane(name, 200, noise=0.0, seed=3)
    X2, _ = viz.make_plane(name, 200, noise=0.0, seed=3)
    assert X.shape == (200, 2) and X.dtype == np.float32 and np.bincount(y).tolist() == [100, 100]
    np.testing.assert_array_equal(X, X2)
    if name == "xor":
        assert np.all((X[:, 0] * X[:, 1] > 0) == (y == 1))
    if name == "circles":
        r = np.hypot(X[:, 0], X[:, 1])
        assert r[y == 1].max() < r[y == 0].min()
    with pytest.raises(ValueError, match="name"):
        viz.make_plane("moons", 10)


@pytest.mark.slow
def test_playground_trains_forward_goes_back_and_rebuilds():
    w = viz.playground(frames=3, epochs_per_frame=2, points=80, neurons=2)
    assert w.epoch.max == 6 and w.epoch.step == 2 and "epoch 0 of 6" in w.text.value
    first_frame, first_text = w.frame, w.text.value
    w.epoch.value = 4                                                     # trains two frames
    assert len(w.history["loss"]) == 5 and "epoch 4 of 6" in w.text.value and w.frame != first_frame
    trained = [v.copy() for v in w.net.get_weights()]
    w.epoch.value = 0                                                     # back: the weights epoch 0 had
    assert w.text.value == first_text and len(w.history["loss"]) == 5
    assert not all(np.array_equal(a, b) for a, b in zip(trained, w.net.get_weights()))
    w.neurons.value = 5                                                   # a new network, back at epoch 0
    assert "1 × 5 ReLU neurons" in w.text.value and len(w.history["loss"]) == 1 and w.epoch.value == 0
    w.dataset.value = "xor"
    assert w.text.value.startswith("xor")
    assert w.output.outputs and "image/png" in w.output.outputs[0]["data"]
