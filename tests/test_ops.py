"""cnnkit.ops by hand == TensorFlow / Keras, on random shapes, strides, kernels and both paddings."""
import cnnkit  # noqa: F401  (quiet TensorFlow import)
import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit.ops import conv2d, output_size, pad_same, pool2d, relu, to_pair

SETTINGS = settings(max_examples=60, deadline=None)
TOL = dict(rtol=1e-5, atol=1e-5)


@st.composite
def conv_case(draw, channels=True):
    """A random image, kernel, stride and padding that TensorFlow accepts."""
    padding = draw(st.sampled_from(["valid", "same"]))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    low_h, low_w = (1, 1) if padding == "same" else (kh, kw)
    h, w = draw(st.integers(low_h, 12)), draw(st.integers(low_w, 12))
    stride = draw(st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if channels:
        c, f = draw(st.integers(1, 3)), draw(st.integers(1, 4))
        image = rng.uniform(-1, 1, (h, w, c)).astype(np.float32)
        kernel = rng.uniform(-1, 1, (kh, kw, c, f)).astype(np.float32)
    else:
        image = rng.uniform(-1, 1, (h, w)).astype(np.float32)
        kernel = rng.uniform(-1, 1, (kh, kw)).astype(np.float32)
    return image, kernel, stride, padding


def tf_conv(image, kernel, stride, padding):
    """tf.nn.conv2d on one H×W×C image with a kh×kw×C×F kernel."""
    strides = [stride, stride] if isinstance(stride, int) else list(stride)
    return tf.nn.conv2d(image[None], kernel, strides=strides, padding=padding.upper())[0].numpy()


@SETTINGS
@given(conv_case(channels=True))
def test_conv2d_multichannel_equals_tf_nn_conv2d(case):
    image, kernel, stride, padding = case
    ours = conv2d(image, kernel, stride=stride, padding=padding)
    theirs = tf_conv(image, kernel, stride, padding)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, **TOL)


@SETTINGS
@given(conv_case(channels=False))
def test_conv2d_single_channel_equals_tf_nn_conv2d(case):
    image, kernel, stride, padding = case
    ours = conv2d(image, kernel, stride=stride, padding=padding)
    theirs = tf_conv(image[:, :, None], kernel[:, :, None, None], stride, padding)[:, :, 0]
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    assert ours.shape == theirs.shape == (output_size(image.shape[0], kernel.shape[0], stride=sh, padding=padding),
                                          output_size(image.shape[1], kernel.shape[1], stride=sw, padding=padding))
    np.testing.assert_allclose(ours, theirs, **TOL)


def test_conv2d_equals_keras_conv2d_with_the_same_weights():
    rng = np.random.default_rng(3)
    image = rng.uniform(0, 1, (10, 11, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    layer = keras.layers.Conv2D(4, 3, strides=2, padding="same", use_bias=False)
    layer.build((None, 10, 11, 3))
    layer.set_weights([kernel])
    np.testing.assert_allclose(conv2d(image, kernel, stride=2, padding="same"),
                               layer(image[None])[0].numpy(), **TOL)


def test_conv2d_same_with_stride_two_pads_more_at_the_bottom_right():
    # 4×4 image, 3×3 kernel, stride 2, "same": total padding 1, all of it at the bottom/right
    assert pad_same(4, 3, stride=2) == (0, 1)
    image = np.arange(16, dtype=np.float32).reshape(4, 4)
    corner = np.zeros((3, 3), np.float32)
    corner[0, 0] = 1.0  # picks the window's top-left pixel
    # no padding on top/left, so the windows start at rows/cols 0 and 2
    assert conv2d(image, corner, stride=2, padding="same").tolist() == [[0.0, 2.0], [8.0, 10.0]]


def test_conv2d_is_cross_correlation_not_flipped():
    image = np.zeros((3, 3))
    image[1, 1] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    # an impulse under a cross-correlation gives the kernel back flipped; a true convolution would not
    np.testing.assert_array_equal(conv2d(image, kernel, padding="same"), kernel[::-1, ::-1])


def test_conv2d_one_filter_over_channels_and_integer_input():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (6, 7, 3)).astype(np.uint8)
    kernel = rng.normal(size=(3, 3, 3)).astype(np.float32)
    out = conv2d(image, kernel)
    assert out.shape == (4, 5) and out.dtype == np.float32
    np.testing.assert_allclose(out, conv2d(image, kernel[..., None])[:, :, 0])
    np.testing.assert_allclose(out, tf_conv(image.astype(np.float32), kernel[..., None], 1, "valid")[:, :, 0],
                               rtol=1e-5, atol=1e-3)


@st.composite
def pool_case(draw):
    padding = draw(st.sampled_from(["valid", "same"]))
    size = draw(st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    ph, pw = (size, size) if isinstance(size, int) else size
    low_h, low_w = (1, 1) if padding == "same" else (ph, pw)
    h, w, c = draw(st.integers(low_h, 11)), draw(st.integers(low_w, 11)), draw(st.integers(1, 3))
    stride = draw(st.one_of(st.none(), st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    seed = draw(st.integers(0, 2**32 - 1))
    x = np.random.default_rng(seed).uniform(-1, 1, (h, w, c)).astype(np.float32)
    return x, size, stride, padding


@SETTINGS
@given(pool_case(), st.sampled_from(["max", "average"]))
def test_pool2d_equals_keras_pooling_layers(case, mode):
    x, size, stride, padding = case
    layer_class = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    theirs = layer_class(pool_size=size, strides=stride, padding=padding)(x[None])[0].numpy()
    ours = pool2d(x, size=size, stride=stride, mode=mode, padding=padding)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, **TOL)
    # H×W input gives the same numbers as one channel
    np.testing.assert_allclose(pool2d(x[:, :, 0], size, stride=stride, mode=mode, padding=padding), ours[:, :, 0], **TOL)


def test_average_pool_same_divides_edge_windows_by_real_pixels():
    x = np.array([[1.0, 2.0, 3.0],
                  [4.0, 5.0, 6.0],
                  [7.0, 8.0, 9.0]])
    out = pool2d(x, size=2, mode="average", padding="same")
    # windows: full 2×2, right column (2 real pixels), bottom row (2), corner (1)
    assert out.tolist() == [[3.0, 4.5], [7.5, 9.0]]


def test_max_pool_same_ignores_padding_even_when_all_values_are_negative():
    x = -np.arange(1.0, 10.0).reshape(3, 3)
    assert pool2d(x, size=2, mode="max", padding="same").tolist() == [[-1.0, -3.0], [-7.0, -9.0]]


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 40), k=st.integers(1, 7), stride=st.integers(1, 5),
       padding=st.sampled_from(["valid", "same"]))
def test_output_size_matches_tensorflow_and_pad_same_is_tensorflows(n, k, stride, padding):
    if padding == "valid" and k > n:
        with pytest.raises(ValueError, match="larger than the input"):
            output_size(n, k, stride=stride, padding=padding)
        return
    image = tf.zeros((1, n, 1, 1))
    kernel = tf.zeros((k, 1, 1, 1))
    expected = tf.nn.conv2d(image, kernel, strides=[stride, 1], padding=padding.upper()).shape[1]
    assert output_size(n, k, stride=stride, padding=padding) == expected
    before, after = pad_same(n, k, stride=stride)
    assert before <= after <= before + 1
    assert (n + before + after - k) // stride + 1 == output_size(n, k, stride=stride, padding="same")


def test_output_size_formulas():
    assert output_size(28, 5) == 24
    assert output_size(28, 5, padding="same") == 28
    assert output_size(28, 5, stride=2) == 12
    assert output_size(28, 5, stride=2, padding="SAME") == 14


def test_to_pair():
    assert to_pair(3, "stride") == (3, 3)
    assert to_pair((1, 2), "stride") == (1, 2)
    assert to_pair(np.int64(2), "size") == (2, 2)
    assert to_pair(np.array([3, 1]), "size") == (3, 1)
    for bad, match in ((0, r"stride must be ≥ 1"), ((1, 0), r"stride\[1\] must be ≥ 1"),
                       ((1,), "stride must be an int or a")):
        with pytest.raises(ValueError, match=f"^{match}"):
            to_pair(bad, "stride")
    for bad, match in (("2", "stride must be an int"), (2.0, "stride must be an int"),
                       (None, "stride must be an int"), ((True, 1), r"stride\[0\] must be an integer")):
        with pytest.raises(TypeError, match=f"^{match}"):
            to_pair(bad, "stride")


def test_relu():
    x = np.array([[-1.5, 0.0], [2.0, -0.1]])
    np.testing.assert_array_equal(relu(x), [[0.0, 0.0], [2.0, 0.0]])
    np.testing.assert_array_equal(relu(x), tf.nn.relu(x).numpy())


@pytest.mark.parametrize("call, match", [
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), padding="full"), "padding"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), stride=0), "stride"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), stride=(1, 2, 3)), "stride"),
    (lambda: conv2d(np.zeros(4), np.zeros((3, 3))), "image"),
    (lambda: conv2d(np.zeros((1, 4, 4, 1)), np.zeros((3, 3))), "image"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros(3)), "kernel"),
    (lambda: conv2d(np.zeros((4, 4, 3)), np.zeros((3, 3, 2, 1))), "channels"),
    (lambda: conv2d(np.zeros((4, 4, 3)), np.zeros((3, 3))), "channels"),
    (lambda: conv2d(np.zeros((2, 2)), np.zeros((3, 3))), "larger than the image"),
    (lambda: conv2d(np.zeros((0, 4)), np.zeros((3, 3))), "image is empty"),
    (lambda: conv2d(np.full((4, 4), np.nan), np.zeros((3, 3))), "image contains NaN"),
    (lambda: pool2d(np.zeros((4, 4)), mode="min"), "mode"),
    (lambda: pool2d(np.zeros((4, 4)), size=0), "size"),
    (lambda: pool2d(np.zeros((4, 4)), stride=-1), "stride"),
    (lambda: pool2d(np.zeros((1, 4, 4, 1))), "x must be"),
    (lambda: pool2d(np.zeros((1, 1)), size=2), "larger than the input"),
    (lambda: output_size(0, 3), "n must be"),
    (lambda: output_size(5, 2, stride=0), "stride must be"),
    (lambda: output_size(5, 2, padding="causal"), "padding"),
    (lambda: pad_same(5, 0), "k must be"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), stride=1.5), "stride"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), stride=True), "stride"),
    (lambda: conv2d([["a", "b"]], np.zeros((1, 1))), "image must be a numeric"),
    (lambda: conv2d(np.zeros((4, 4)), [[1, 2], [3]]), "kernel must be a numeric"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), padding=None), "padding"),
    (lambda: pool2d(np.zeros((4, 4)), padding=None), "padding"),
    (lambda: pool2d(np.zeros((4, 4)), size=2.0), "size"),
    (lambda: output_size(5, 2.0), "k must be"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), 1), "positional"),
    (lambda: pool2d(np.zeros((4, 4)), 2, 2), "positional"),
    (lambda: output_size(5, 2, 2), "positional"),
    (lambda: pad_same(5, 2, 2), "positional"),
])
def test_bad_types_raise_type_error_naming_the_argument(call, match):
    with pytest.raises(TypeError, match=match):
        call()
