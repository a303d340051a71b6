"""cnnkit.viz basics draw headless, return the figure, and show the right axes and numbers."""
import matplotlib

matplotlib.use("Agg")

import cnnkit  # noqa: E402,F401
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnkit import kernels, viz  # noqa: E402
from cnnkit.ops import conv2d, pool2d  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_show_matrix_writes_every_value_on_its_cell():
    m = np.array([[0, 128, 255], [10, 20, 30]], dtype=np.uint8)
    fig = viz.show_matrix(m, title="pixels")
    assert isinstance(fig, matplotlib.figure.Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "pixels"
    assert texts(ax) == ["0", "128", "255", "10", "20", "30"]
    # the darkest cell gets white text, the brightest black text (readable on gray)
    assert ax.texts[0].get_color() == "white" and ax.texts[2].get_color() == "black"


def test_show_matrix_floats_use_decimals_and_big_input_is_refused():
    fig = viz.show_matrix(np.array([[0.25, 0.5]]), decimals=1)
    assert texts(fig.axes[0]) == ["0.2", "0.5"]
    with pytest.raises(ValueError, match="matrix is 30×30.*crop"):
        viz.show_matrix(np.zeros((30, 30)))
    with pytest.raises(ValueError, match=r"matrix must be 2-D, got shape \(3, 3, 3\)"):
        viz.show_matrix(np.zeros((3, 3, 3)))
    with pytest.raises(ValueError, match=r"matrix is empty"):
        viz.show_matrix(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="matrix must be a numeric array"):
        viz.show_matrix([["a", "b"]])
    with pytest.raises(TypeError, match="decimals must be an integer"):
        viz.show_matrix(np.eye(2), decimals=1.5)


def test_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional argument"):
        viz.show_matrix(np.eye(2), "title")
    with pytest.raises(TypeError, match="positional argument"):
        viz.show_images([np.eye(2)], ["title"])


def test_show_convolution_step_shows_window_kernel_products_and_output_cell():
    image = np.arange(25.0).reshape(5, 5)
    kernel = kernels.get("sobel_x")
    fig = viz.show_convolution_step(image, kernel, 1, 2)
    image_ax, window_ax, kernel_ax, products_ax, out_ax = fig.axes[:5]
    window = image[1:4, 2:5]
    expected = conv2d(image, kernel)[1, 2]
    assert texts(window_ax) == [f"{v:.0f}" for v in window.ravel()]
    assert texts(kernel_ax) == [f"{v:.0f}" for v in kernel.ravel()]
    assert texts(products_ax) == [f"{v + 0.0:.0f}" for v in (window * kernel).ravel()]
    assert f"sum {expected:.0f}" in products_ax.get_title()
    assert out_ax.get_title() == f"output[1, 2] = {expected:.0f}"
    assert "row 1, col 2" in image_ax.get_title()
    assert len(out_ax.patches) == 1 and len(image_ax.patches) == 1        # the boxes; no padding to hatch


def test_show_convolution_step_with_stride_and_same_padding():
    image = np.arange(16.0).reshape(4, 4)
    fig = viz.show_convolution_step(image, np.ones((3, 3)), 1, 1, stride=2, padding="same")
    image_ax, window_ax, _, _, out_ax = fig.axes[:5]
    # TF "same", stride 2: one zero row/column at the bottom/right only → 5×5 padded image
    assert image_ax.get_title().startswith("padded image") and len(image_ax.texts) == 25
    assert "row 2, col 2" in image_ax.get_title()
    expected = conv2d(image, np.ones((3, 3)), stride=2, padding="same")[1, 1]
    assert out_ax.get_title() == f"output[1, 1] = {expected:.0f}"


def test_show_convolution_step_with_a_pair_of_strides():
    image = np.arange(30.0).reshape(5, 6)
    fig = viz.show_convolution_step(image, np.ones((2, 2)), 1, 2, stride=(2, 1))
    image_ax, _, _, _, out_ax = fig.axes[:5]
    assert "row 2, col 2" in image_ax.get_title()
    expected = conv2d(image, np.ones((2, 2)), stride=(2, 1))[1, 2]
    assert out_ax.get_title() == f"output[1, 2] = {expected:.0f}"
    assert "stride (2, 1)" in fig._suptitle.get_text()


def clim(ax):
    return ax.images[0].get_clim()


def test_convolution_step_scales_tell_the_truth():
    image = np.arange(16.0).reshape(4, 4) + 2                # values 2..17: no zero in the image
    kernel = np.array([[1.0, -2.0], [0.5, 0.0]])
    fig = viz.show_convolution_step(image, kernel, 1, 0, padding="same")
    image_ax, window_ax, kernel_ax, products_ax, out_ax = fig.axes[:5]
    # window and image on one gray scale (the padded image's, zeros included)
    assert clim(window_ax) == clim(image_ax) == (0.0, 17.0)
    # signed panels: a diverging map centred on zero, so 0 is its middle colour
    for ax in (kernel_ax, products_ax, out_ax):
        low, high = clim(ax)
        assert low == -high and ax.images[0].get_cmap().name == "RdBu_r"
    assert clim(kernel_ax) == (-2.0, 2.0)
    # the products' and output's scales span every step, so they do not change from step to step
    padded = np.pad(image, ((0, 1), (0, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (2, 2))
    assert clim(products_ax)[1] == np.abs(windows * kernel).max()
    other = viz.show_convolution_step(image, kernel, 3, 3, padding="same")
    assert clim(other.axes[3]) == clim(products_ax) and clim(other.axes[4]) == clim(out_ax)
    assert len(fig.axes) == 8                                # colorbars for kernel, products, output


def test_padding_zeros_are_hatched_and_the_output_fills_up_to_the_step():
    image = np.zeros((4, 4))                                 # image zeros and padding zeros alike in value
    fig = viz.show_convolution_step(image, np.ones((3, 3)), 0, 1, padding="same")
    image_ax, window_ax, _, _, out_ax = fig.axes[:5]
    hatched = [p for p in image_ax.patches if p.get_hatch()]
    assert len(hatched) == 6 * 6 - 4 * 4                     # exactly the padding ring is hatched
    assert {(p.get_x() + 0.5, p.get_y() + 0.5) for p in hatched} >= {(0, 0), (5, 5), (0, 3)}
    assert len([p for p in window_ax.patches if p.get_hatch()]) == 3     # the window's top row is padding
    shown = out_ax.images[0].get_array()
    assert shown.mask.sum() == 16 - 2 and not shown.mask.ravel()[:2].any()   # steps 0 and 1 done, 14 to come
    assert len(out_ax.texts) == 2
    full = viz.show_convolution_step(image, np.ones((3, 3)), 0, 1, padding="same", full_output=True)
    assert not np.ma.getmaskarray(full.axes[4].images[0].get_array()).any()
    valid = viz.show_convolution_step(image, np.ones((3, 3)), 0, 0)
    assert not [p for p in valid.axes[0].patches if p.get_hatch()]
    with pytest.raises(TypeError, match="full_output must be True or False"):
        viz.show_convolution_step(image, np.ones((3, 3)), 0, 0, full_output=1)


def frame(w):
    return w.output.outputs[0]["data"]["image/png"]


@pytest.mark.slow   # imports TensorFlow (the widget checks itself against tf.nn.conv2d)
def test_convolution_stepper_slider_moves_the_window():
    image = np.arange(36.0).reshape(6, 6)
    kernel = kernels.get("sobel_x")
    w = viz.convolution_stepper(image, kernel, stride=2, padding="same")
    expected = conv2d(image, kernel, stride=2, padding="same")
    assert (w.slider.min, w.slider.max) == (1, expected.size) and (w.play.min, w.play.max) == (1, expected.size)
    assert (w.link.source, w.link.target) == ((w.play, "value"), (w.slider, "value"))   # play moves the slider
    frames = [frame(w)]
    for cell in (2, expected.size):
        w.slider.value = cell
        i, j = divmod(cell - 1, expected.shape[1])
        assert w.text.value == f"cell {cell} of {expected.size}: output[{i}, {j}] = {expected[i, j]:.0f}"
        assert w.check.value.startswith(f"the {cell} cells so far, by hand, equal tf.nn.conv2d")
        assert w.check.value.endswith("✓")
        frames.append(frame(w))
    assert len(set(frames)) == 3 and len(w.output.outputs) == 1       # a new frame each step, one at a time
    with pytest.raises(ValueError, match="padding"):
        viz.convolution_stepper(image, kernel, padding="full")


@pytest.mark.slow   # imports TensorFlow (the widget checks itself against tf.nn.conv2d)
def test_convolution_stepper_three_channels_bias_stride_and_padding_controls():
    import tensorflow as tf

    rgb = np.random.default_rng(0).integers(0, 3, (5, 5, 3)).astype(float)
    kernel = np.random.default_rng(1).integers(-1, 2, (3, 3, 3)).astype(float)
    w = viz.convolution_stepper(rgb, kernel, bias=1.0)
    assert w.stride.value == (1, 1) and w.padding.value == "valid" and w.slider.max == 9
    assert w.check.value.startswith("the 1 cell so far, by hand, equal")
    for stride, padding in [((2, 2), "same"), ((1, 1), "same"), ((2, 2), "valid")]:
        w.stride.value, w.padding.value = stride, padding
        library = tf.nn.conv2d(rgb[None].astype(np.float32), kernel[..., None].astype(np.float32), list(stride),
                               padding.upper()).numpy()[0, :, :, 0] + 1.0
        np.testing.assert_allclose(w.cells, library, atol=1e-5)         # the widget's by-hand cells = TF's
        np.testing.assert_allclose(w.cells, conv2d(rgb, kernel, stride=stride, padding=padding) + 1.0)
        assert w.slider.value == 1 and w.slider.max == w.play.max == library.size
        w.slider.value = w.slider.max
        i, j = divmod(w.slider.max - 1, library.shape[1])
        assert w.text.value.startswith(f"cell {library.size} of {library.size}: output[{i}, {j}] = ")
        assert w.text.value.endswith(f" + 1 (bias) = {library[i, j]:.0f}")
        assert "equal tf.nn.conv2d" in w.check.value and w.check.value.endswith("✓")
    assert len(viz.convolution_stepper(rgb, kernel, stride=3).stride.options) == 3      # a stride of its own
    with pytest.raises(ValueError, match=r"kernel must be kh×kw×3"):
        viz.convolution_stepper(rgb, kernel[:, :, 0])


@pytest.mark.slow   # imports TensorFlow (the widget checks itself against tf.nn.conv2d)
def test_convolution_stepper_shows_frames_with_the_portable_idiom(monkeypatch):
    """In a kernel, each frame goes through ``with output: clear_output(wait=True); display(image)``."""
    import IPython.display

    from cnnkit.viz import stepper

    calls = []
    monkeypatch.setattr(stepper, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "clear_output", lambda wait=False: calls.append(("clear", wait)))
    monkeypatch.setattr(IPython.display, "display", lambda obj: calls.append(("display", obj)))
    w = viz.convolution_stepper(np.arange(16.0).reshape(4, 4), np.ones((2, 2)))
    w.slider.value = 2
    assert [c[0] for c in calls] == ["clear", "display"] * 2 and all(c[1] for c in calls if c[0] == "clear")
    shown = calls[-1][1]
    assert isinstance(shown, IPython.display.Image) and shown.data == w.frame and w.frame[:4] == b"\x89PNG"


def test_show_convolution_step_three_channels_and_a_bias():
    rgb = np.stack([np.eye(4), np.ones((4, 4)), np.arange(16.0).reshape(4, 4)], axis=-1)
    kernel = np.stack([kernels.get("sobel_x"), np.ones((3, 3)), -np.eye(3)], axis=-1)
    fig = viz.show_convolution_step(rgb, kernel, 1, 0, bias=-2.0)
    rows, out_ax = [fig.axes[4 * c:4 * c + 4] for c in range(3)], fig.axes[12]
    window = rgb[1:4, 0:3]
    sums = [float((window[:, :, c] * kernel[:, :, c]).sum()) for c in range(3)]
    expected = conv2d(rgb, kernel)[1, 0] - 2.0
    assert sum(sums) - 2.0 == pytest.approx(expected)
    for c, (image_ax, window_ax, kernel_ax, products_ax) in enumerate(rows):
        assert image_ax.get_title().startswith(f"channel {c}: image")
        assert texts(window_ax) == [f"{v:.0f}" for v in window[:, :, c].ravel()]
        assert kernel_ax.get_title() == f"× kernel[:, :, {c}]"
        assert products_ax.get_title() == f"= products (sum {sums[c]:.0f})"
    assert out_ax.get_title() == (f"output[1, 0] = {sums[0]:.0f} + {sums[1]:.0f} − {-sums[2]:.0f} − 2 (bias) "
                                  f"= {expected:.0f}")
    # one gray scale for every channel, one diverging scale for every kernel slice
    assert len({clim(row[0]) for row in rows}) == 1 and len({clim(row[2]) for row in rows}) == 1
    assert "add up every channel and the bias" in fig._suptitle.get_text()
    one = viz.show_convolution_step(rgb[:, :, 1], np.ones((3, 3)), 0, 0, bias=0.5)
    assert one.axes[4].get_title() == "output[0, 0] = 9.00 + 0.50 (bias) = 9.50"
    with pytest.raises(ValueError, match="at most 4"):
        viz.show_convolution_step(np.zeros((4, 4, 5)), np.zeros((3, 3, 5)), 0, 0)


def test_feature_maps_fixed_shared_and_centred_scales():
    patch = np.array([[[199, 67, 22], [226, 103, 68]]], dtype=np.uint8)      # 1×2×3: R high, G and B low
    fig = viz.show_feature_maps(patch, vmin=0, vmax=255, colorbar=True, values=True)
    assert [clim(ax) for ax in fig.axes[:3]] == [(0.0, 255.0)] * 3 and len(fig.axes) == 6
    assert texts(fig.axes[0]) == ["199", "226"]
    maps = [np.array([[0.0, 1.0]]), np.array([[-3.0, 2.0]])]
    assert [clim(ax) for ax in viz.show_feature_maps(maps).axes] == [(0.0, 1.0), (-3.0, 2.0)]
    assert [clim(ax) for ax in viz.show_feature_maps(maps, shared=True).axes] == [(-3.0, 2.0)] * 2
    centred = viz.show_feature_maps(maps, centered=True)
    assert [clim(ax) for ax in centred.axes] == [(-1.0, 1.0), (-3.0, 3.0)]
    assert centred.axes[0].images[0].get_cmap().name == "RdBu_r"
    with pytest.raises(ValueError, match="vmin must be below vmax"):
        viz.show_feature_maps(maps, vmin=1, vmax=0)
    with pytest.raises(TypeError, match="shared must be True or False"):
        viz.show_feature_maps(maps, shared="yes")


@pytest.mark.parametrize("i, j, name", [(2, 0, "i"), (0, 2, "j")])
def test_show_convolution_step_refuses_positions_outside_the_output(i, j, name):
    with pytest.raises(ValueError, match=rf"{name} must be an output position in 0\.\.1 \(output is 2×2\)"):
        viz.show_convolution_step(np.zeros((4, 4)), np.ones((3, 3)), i, j)
    with pytest.raises(ValueError, match=r"j must be ≥ 0, got -1"):
        viz.show_convolution_step(np.zeros((4, 4)), np.ones((3, 3)), 0, -1)


def test_show_convolution_step_refuses_non_integer_positions():
    with pytest.raises(TypeError, match=r"i must be an integer, got 0\.5"):
        viz.show_convolution_step(np.zeros((4, 4)), np.ones((3, 3)), 0.5, 0)
    with pytest.raises(TypeError, match=r"j must be an integer, got True"):
        viz.show_convolution_step(np.zeros((4, 4)), np.ones((3, 3)), 0, True)


def test_show_feature_maps_one_panel_per_map_with_titles():
    maps = np.random.default_rng(0).normal(size=(1, 8, 8, 5))
    fig = viz.show_feature_maps(maps, ncols=2)
    assert [ax.get_title() for ax in fig.axes] == [f"map {k}" for k in range(5)]
    fig = viz.show_feature_maps([np.zeros((4, 4)), np.ones((4, 4))], titles=["a", "b"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    with pytest.raises(ValueError, match="titles has 1 entries for 2 maps"):
        viz.show_feature_maps([np.zeros((4, 4)), np.ones((4, 4))], titles=["a"])
    with pytest.raises(ValueError, match="maps must be"):
        viz.show_feature_maps(np.zeros((2, 2, 2, 2, 2)))
    with pytest.raises(ValueError, match="ncols must be ≥ 1"):
        viz.show_feature_maps(maps, ncols=0)
    with pytest.raises(TypeError, match="max_maps must be an integer"):
        viz.show_feature_maps(maps, max_maps=2.0)


def test_feature_maps_and_kernels_beyond_the_limit_say_what_is_shown():
    fig = viz.show_feature_maps(np.zeros((4, 4, 40)), max_maps=8)
    assert len(fig.axes) == 8 and "first 8 of 40 maps" in fig._suptitle.get_text()
    fig = viz.show_kernels(np.zeros((3, 3, 2, 50)), max_kernels=10)
    assert len(fig.axes) == 10 and "first 10 of 100 kernels" in fig._suptitle.get_text()


def test_show_kernels_dict_and_arrays():
    fig = viz.show_kernels(kernels.KERNELS)
    assert [ax.get_title() for ax in fig.axes] == list(kernels.KERNELS)
    sobel_ax = fig.axes[list(kernels.KERNELS).index("sobel_x")]
    assert texts(sobel_ax) == ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]
    assert len(viz.show_kernels(np.zeros((3, 3, 4))).axes) == 4
    assert len(viz.show_kernels(np.zeros((3, 3, 2, 3))).axes) == 6
    with pytest.raises(ValueError, match=r"kernels must be a dict or a kh×kw.*got shape \(3,\)"):
        viz.show_kernels(np.zeros(3))
    with pytest.raises(ValueError, match="kernels must hold at least 1 entry, got 0"):
        viz.show_kernels({})


@pytest.mark.parametrize("mode", ["max", "average"])
def test_show_pooling_marks_windows_and_writes_the_pooled_values(mode):
    x = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [2, 6, 3, 1]], dtype=float)
    fig = viz.show_pooling(x, size=2, mode=mode)
    left, right = fig.axes
    expected = pool2d(x, size=2, mode=mode)
    assert texts(right) == [("{:.0f}" if mode == "max" else "{:.2f}").format(v) for v in expected.ravel()]
    assert right.get_title() == f"{mode} pool 2×2, stride 2 → 2×2"
    if mode == "max":  # one circle on each window's maximum
        circles = [p for p in left.patches if isinstance(p, matplotlib.patches.Circle)]
        centers = sorted((round(c.center[1]), round(c.center[0])) for c in circles)
        assert centers == [(1, 0), (1, 3), (2, 2), (3, 1)]
    else:              # no tinted fill over the input's gray cells: only the four windows' outlines
        assert len(left.patches) == 4 and not any(p.get_fill() for p in left.patches)
    assert left.images[0].get_clim() == right.images[0].get_clim()     # input and output on one gray scale
    with pytest.raises(ValueError, match="mode.*median"):
        viz.show_pooling(x, mode="median")


def test_show_pooling_overlapping_and_rectangular_windows():
    x = np.arange(20.0).reshape(4, 5)
    fig = viz.show_pooling(x, size=(2, 3), stride=(1, 2), mode="max")
    left, right = fig.axes
    expected = pool2d(x, size=(2, 3), stride=(1, 2))
    assert right.get_title() == "max pool 2×3, stride (1, 2) → 3×2"
    assert texts(right) == [f"{v:.0f}" for v in expected.ravel()]
    with pytest.raises(ValueError, match="size.*0"):
        viz.show_pooling(x, size=0)


def test_show_images_gray_and_colour_titles_and_shapes():
    fig = viz.show_images([np.zeros((5, 5)), np.ones((6, 6, 3)), np.zeros((4, 4), np.uint8)], titles=["g", "c", "u"])
    assert [ax.get_title() for ax in fig.axes] == ["g", "c", "u"]
    assert len(viz.show_images(np.zeros((5, 5, 3), np.uint8)).axes) == 1
    assert [ax.get_title() for ax in viz.show_images(np.zeros((2, 4, 4, 3))).axes] == ["(4, 4, 3)"] * 2
    with pytest.raises(ValueError, match="titles has 1 entries for 2 images"):
        viz.show_images([np.zeros((2, 2))] * 2, titles=["x"])
    with pytest.raises(ValueError, match=r"images\[0\] must be H×W, H×W×1, H×W×3 or H×W×4, got shape \(2, 2, 7"):
        viz.show_images([np.zeros((2, 2, 7))])
    with pytest.raises(ValueError, match=r"images must be an image, a list of images or an N×H×W×C batch, got \[\]"):
        viz.show_images([])


def drawn(fig, k=0):
    """What panel ``k`` shows, on a 0..1 scale: (pixels, vmin, vmax) of its image."""
    image = fig.axes[k].images[0]
    return np.asarray(image.get_array()), *image.get_clim()


def test_show_images_draws_on_the_dtype_scale_not_the_pixel_range():
    dark = np.array([[0, 50], [100, 64]], np.uint8)          # a dark gray photo stays dark
    pixels, vmin, vmax = drawn(viz.show_images(dark))
    assert (vmin, vmax) == (0.0, 1.0)
    np.testing.assert_allclose(pixels, dark / 255.0, rtol=1e-6)
    dim16 = np.full((2, 2, 3), 200, np.uint16)               # 16-bit: 200 of 65535 is nearly black
    np.testing.assert_allclose(drawn(viz.show_images(dim16))[0], 200 / 65535.0, rtol=1e-5)
    grey = np.full((3, 3, 3), 0.5, np.float32)               # a float colour image in [0, 1] is drawn as it is
    np.testing.assert_allclose(drawn(viz.show_images(grey))[0], grey)
    np.testing.assert_allclose(drawn(viz.show_images(np.array([[True, False]])))[0], [[1.0, 0.0]])


def test_show_images_refuses_floats_outside_0_1_and_other_integer_dtypes():
    rgb = np.random.default_rng(0).normal(size=(6, 6, 3))     # was min-max rescaled: a guess
    with pytest.raises(ValueError, match=r"images\[1\] is a float image, so its values must lie in \[0, 1\]"):
        viz.show_images([np.zeros((4, 4)), rgb])
    with pytest.raises(ValueError, match=r"images\[0\] is a float image.*found \[0, 255\]"):
        viz.show_images([np.array([[0.0, 255.0]])])
    with pytest.raises(TypeError, match=r"images\[0\] has dtype int64"):
        viz.show_images([np.arange(4).reshape(2, 2)])


def test_figures_are_returned_not_shown(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(1))
    viz.show_matrix(np.eye(2))
    viz.show_pooling(np.eye(4))
    assert shown == []
