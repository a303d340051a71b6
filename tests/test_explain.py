import numpy as np
import pytest

import cnnkit  # noqa: F401  (quiet TensorFlow first)
import keras
import tensorflow as tf

from cnnkit import explain, metrics, models
from cnnkit.device import set_seed


@pytest.fixture(scope="module")
def small_cnn():
    set_seed(0)
    return models.cnn((16, 16, 3), n_classes=3, blocks=2, convs_per_block=1, filters=4, dense=8)


def negative_conv_model():
    """A model whose only convolution outputs ≤ 0 everywhere (all-zero kernel, bias −1)."""
    inputs = keras.Input((12, 12, 3), name="image")
    conv = keras.layers.Conv2D(2, 3, padding="same", name="conv", kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant(-1.0))(inputs)
    flat = keras.layers.GlobalAveragePooling2D(name="gap")(conv)
    scores = keras.layers.Dense(2, name="class_scores", kernel_initializer="ones")(flat)
    return keras.Model(inputs, keras.layers.Activation("softmax", name="probabilities")(scores))


def test_last_conv_layer_is_the_rectified_output_of_the_last_convolution(small_cnn):
    # Grad-CAM reads rectified maps (Selvaraju et al. 2017; keras-io reads block14_sepconv2_act):
    # models.cnn puts ReLU in its own layer, so the answer is that layer, not block2_conv1 before it
    assert explain.last_conv_layer(small_cnn) == "block2_relu1"
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(2, 3, name="conv_a")(inputs)
    x = keras.layers.BatchNormalization(name="bn")(x)
    x = keras.layers.ReLU(name="relu_a")(x)
    x = keras.layers.Conv2D(2, 3, activation="relu", name="conv_b")(x)     # its ReLU is built in
    x = keras.layers.GlobalAveragePooling2D()(x)
    built_in = keras.Model(inputs, keras.layers.Dense(2)(x))
    assert explain.last_conv_layer(built_in) == "conv_b"
    chain = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(
        built_in.get_layer("relu_a").output)))
    assert explain.last_conv_layer(chain) == "relu_a"                     # conv → BatchNorm → ReLU
    bn_only = keras.Model(inputs, keras.layers.Flatten()(built_in.get_layer("bn").output))
    assert explain.last_conv_layer(bn_only) == "conv_a"                   # no activation follows: the conv


def test_default_grad_cam_weights_the_post_relu_maps(small_cnn):
    image = np.random.default_rng(3).random((16, 16, 3)).astype("float32")
    default = explain.grad_cam(small_cnn, image, class_index=1)
    np.testing.assert_array_equal(default, explain.grad_cam(small_cnn, image, layer="block2_relu1", class_index=1))
    # by hand on the rectified maps
    probe = keras.Model(small_cnn.inputs[0], [small_cnn.get_layer("block2_relu1").output,
                                              small_cnn.get_layer("class_scores").output])
    x = tf.constant(image[None])
    with tf.GradientTape() as tape:
        maps, scores = probe(x)
        score = scores[:, 1]
    grads = tape.gradient(score, maps)
    cam = tf.nn.relu(tf.reduce_sum(tf.reduce_mean(grads, axis=(1, 2), keepdims=True) * maps, axis=-1))
    assert float(tf.reduce_min(maps)) >= 0.0                                # rectified: no negative activations
    cam = tf.image.resize(cam[..., None], (16, 16), method="bilinear")[0, ..., 0].numpy()
    np.testing.assert_allclose(default, cam / cam.max(), atol=1e-5)


def test_heat_share():
    heat = np.zeros((2, 4, 4))
    heat[0, 0, 0], heat[0, 3, 3] = 3.0, 1.0
    region = np.zeros((2, 4, 4), bool)
    region[:, 0, 0] = True
    share = explain.heat_share(heat, region)
    assert share[0] == 0.75 and np.isnan(share[1])                          # an all-zero map has no share
    assert float(explain.heat_share(np.ones((4, 4)), region[0])) == 1 / 16
    with pytest.raises(TypeError, match="region must be a boolean mask"):
        explain.heat_share(heat, region.astype(int))
    np.testing.assert_array_equal(explain.heat_share(heat, region[0]), share)   # one H × W mask for every map
    with pytest.raises(ValueError, match="the same shape"):
        explain.heat_share(heat, region[0, :3])
    with pytest.raises(ValueError, match="heat must be ≥ 0"):
        explain.heat_share(-heat, region)
    mlp = models.mlp((4, 4, 1), n_classes=2)
    with pytest.raises(ValueError, match="no convolution layer"):
        explain.last_conv_layer(mlp)


def test_localisation_ratio_is_one_for_a_flat_map_and_equals_the_loop():
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:32, :32] + 0.5
    field = np.hypot(yy - 16, xx - 16) < 0.9 * 16
    lesion = (rng.random((3, 32, 32)) < 0.05) & field
    flat = np.ones((3, 32, 32))
    np.testing.assert_allclose(explain.localisation_ratio(flat, lesion, within=field), 1.0)
    # mixing domains (image heat share over field area share) gives a flat map the field's area share
    mixed = explain.heat_share(flat, lesion) / (lesion.sum(axis=(1, 2)) / field.sum())
    np.testing.assert_allclose(mixed, field.mean())
    heat = rng.random((3, 32, 32)) ** 3
    for h, m, r in zip(heat, lesion, explain.localisation_ratio(heat, lesion, within=field)):
        on, everywhere = 0.0, 0.0
        for i in range(32):
            for j in range(32):
                if field[i, j]:
                    everywhere += h[i, j]
                    on += h[i, j] * m[i, j]
        assert r == pytest.approx((on / everywhere) / (m.sum() / field.sum()))
    assert np.isnan(explain.localisation_ratio(np.zeros((32, 32)), lesion[0], within=field))       # no heat
    assert np.isnan(explain.localisation_ratio(heat[0], np.zeros((32, 32), bool), within=field))   # no region
    assert float(explain.localisation_ratio(heat[0], lesion[0])) == pytest.approx(
        float(explain.heat_share(heat[0], lesion[0]) / lesion[0].mean()))                      # within: all


def test_grad_cam_shape_range_and_batch(small_cnn):
    rng = np.random.default_rng(0)
    image = rng.random((16, 16, 3)).astype("float32")
    heat = explain.grad_cam(small_cnn, image)
    assert heat.shape == (16, 16) and heat.dtype == np.float32
    assert np.isfinite(heat).all() and heat.min() >= 0 and heat.max() <= 1
    assert heat.max() in (0.0, 1.0)   # normalised by its peak (or empty)
    batch = explain.grad_cam(small_cnn, np.stack([image, image[::-1]]), class_index=[0, 2])
    assert batch.shape == (2, 16, 16)
    np.testing.assert_allclose(batch[0], explain.grad_cam(small_cnn, image, class_index=0), atol=1e-6)


def test_grad_cam_matches_a_by_hand_computation(small_cnn):
    """Recompute Grad-CAM by hand with a GradientTape over the layer's output and compare."""
    rng = np.random.default_rng(1)
    image = rng.random((1, 16, 16, 3)).astype("float32")
    probe = keras.Model(small_cnn.inputs[0], [small_cnn.get_layer("block1_conv1").output,
                                           small_cnn.get_layer("class_scores").output])
    with tf.GradientTape() as tape:
        maps, scores = probe(image)
        score = scores[0, 1]
    grads = tape.gradient(score, maps).numpy()[0]
    cam = np.maximum((grads.mean(axis=(0, 1)) * maps.numpy()[0]).sum(-1), 0)   # block1 is full size
    expected = cam / cam.max() if cam.max() > 0 else cam
    ours = explain.grad_cam(small_cnn, image[0], layer="block1_conv1", class_index=1)
    np.testing.assert_allclose(ours, expected, atol=1e-5)


def test_grad_cam_all_negative_map_gives_zeros_not_nan():
    model = negative_conv_model()
    image = np.random.default_rng(0).random((12, 12, 3)).astype("float32")
    conv_out = keras.Model(model.inputs[0], model.get_layer("conv").output)(image[None]).numpy()
    assert conv_out.max() <= 0   # the situation under test
    heat = explain.grad_cam(model, image, class_index=0)
    assert heat.shape == (12, 12)
    assert not np.isnan(heat).any() and np.all(heat == 0)


def test_grad_cam_bad_arguments(small_cnn):
    image = np.zeros((16, 16, 3), "float32")
    with pytest.raises(ValueError, match="class_index must be in 0..2"):
        explain.grad_cam(small_cnn, image, class_index=3)
    with pytest.raises(ValueError, match="layer 'nope'"):
        explain.grad_cam(small_cnn, image, layer="nope")
    with pytest.raises(ValueError, match="must output feature maps"):
        explain.grad_cam(small_cnn, image, layer="fc")
    with pytest.raises(ValueError, match=r"image must be H × W × C or N × H × W × C, got shape \(16, 16\)"):
        explain.grad_cam(small_cnn, np.zeros((16, 16)))
    with pytest.raises(ValueError, match="class_index has 1 entries for 2 images"):
        explain.grad_cam(small_cnn, np.stack([image, image]), class_index=[0])
    with pytest.raises(TypeError, match=r"class_index must be .*, got 1\.5"):
        explain.grad_cam(small_cnn, image, class_index=1.5)
    with pytest.raises(TypeError, match="positional argument"):
        explain.grad_cam(small_cnn, image, "block1_conv1")


def test_overlay_range_and_shapes():
    image = (np.random.default_rng(0).random((8, 8, 3)) * 255).astype("uint8")
    heat = np.linspace(0, 1, 64).reshape(8, 8)
    out = explain.overlay(image, heat)
    assert out.shape == (8, 8, 3) and out.min() >= 0 and out.max() <= 1
    np.testing.assert_allclose(explain.overlay(image, heat, alpha=0.0), image / 255.0, atol=1e-6)
    assert explain.overlay(image[..., 0], heat).shape == (8, 8, 3)
    with pytest.raises(ValueError, match=r"heatmap has shape \(4, 8\) but the image is \(8, 8\)"):
        explain.overlay(image, heat[:4])
    with pytest.raises(ValueError, match=r"heatmap must be ≤ 1, got 2"):
        explain.overlay(image, heat * 2)
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\], got 1\.5"):
        explain.overlay(image, heat, alpha=1.5)


def test_overlay_scales_the_image_by_its_dtype_not_its_values():
    heat = np.zeros((2, 2))
    dim = np.array([[0, 1], [1, 0]], np.uint8)                 # uint8 1 is nearly black, not white
    np.testing.assert_allclose(explain.overlay(dim, heat, alpha=0.0)[..., 0], dim / 255.0, atol=1e-7)
    deep = np.full((2, 2, 3), 32768, np.uint16)                 # 16-bit: mid gray, not clipped to white
    np.testing.assert_allclose(explain.overlay(deep, heat, alpha=0.0), 32768 / 65535.0, atol=1e-6)
    grey = np.full((2, 2, 3), 0.25, np.float32)                 # floats in [0, 1] as they are
    np.testing.assert_allclose(explain.overlay(grey, heat, alpha=0.0), grey)
    with pytest.raises(ValueError, match=r"image is a float image, so its values must lie in \[0, 1\]; found \[1.02"):
        explain.overlay(np.full((2, 2, 3), 1.02), heat)         # was divided by 255: almost black
    with pytest.raises(TypeError, match="image has dtype int64"):
        explain.overlay(np.full((2, 2), 100), heat)


def _loss(model, x, y):
    fn = explain.default_loss(model)
    return float(tf.reduce_mean(fn(y, model(x, training=False))))


def test_fgsm_moves_each_pixel_at_most_epsilon_and_raises_the_loss(small_cnn):
    rng = np.random.default_rng(2)
    x = rng.uniform(0.2, 0.8, (8, 16, 16, 3)).astype("float32")
    y = rng.integers(0, 3, 8)
    eps = 0.01
    adv = explain.fgsm(small_cnn, x, y, epsilon=eps)
    assert adv.shape == x.shape and adv.dtype == np.float32
    assert np.abs(adv - x).max() <= eps + 1e-6
    assert np.abs(adv - x).max() > 0
    assert _loss(small_cnn, adv, y) > _loss(small_cnn, x, y)
    single = explain.fgsm(small_cnn, x[0], y[0], epsilon=eps)
    np.testing.assert_allclose(single, adv[0], atol=1e-6)


def test_fgsm_clips_to_the_pixel_range_and_handles_logits_and_regression():
    set_seed(3)
    inputs = keras.Input((6, 6, 1))
    hidden = keras.layers.Flatten()(keras.layers.Conv2D(2, 3, name="conv")(inputs))
    logits = keras.Model(inputs, keras.layers.Dense(3)(hidden))
    regressor = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    x = np.random.default_rng(3).random((4, 6, 6, 1)).astype("float32")
    assert not explain.adversarial._outputs_probabilities(logits)
    for model, y in ((logits, np.array([0, 1, 2, 1])), (regressor, np.array([[0.0], [1], [2], [3]]))):
        adv = explain.fgsm(model, x, y, epsilon=0.3)
        assert adv.min() == 0 and adv.max() == 1               # ±0.3 from values in [0, 1): some clipped
        assert _loss(model, explain.fgsm(model, x, y, epsilon=0.01), y) > _loss(model, x, y)
    assert explain.fgsm(logits, x, [0, 1, 2, 1], epsilon=0.3, clip=None).max() > 1
    with pytest.raises(ValueError, match=r"epsilon must be in \[0, inf\], got -0\.1"):
        explain.fgsm(logits, x, [0, 1, 2, 1], epsilon=-0.1)
    with pytest.raises(ValueError, match="labels has 2 entries but images has 4"):
        explain.fgsm(logits, x, [0, 1], epsilon=0.1)
    with pytest.raises(TypeError, match="positional argument"):
        explain.fgsm(logits, x, [0, 1, 2, 1], 0.1)
    with pytest.raises(TypeError, match="clip must be a \\(low, high\\) pair or None"):
        explain.fgsm(logits, x, [0, 1, 2, 1], epsilon=0.1, clip=1.0)


def test_rotate_and_brightness_transforms():
    x = np.zeros((2, 9, 9, 1), "float32")
    x[:, 4, 6] = 1.0                        # a dot right of the centre
    turned = explain.rotate(90)(x)
    assert turned.shape == x.shape
    assert np.unravel_index(np.argmax(turned[0, ..., 0]), (9, 9)) in ((2, 4), (6, 4))   # moved above/below
    np.testing.assert_allclose(explain.rotate(0)(x), x)
    np.testing.assert_allclose(explain.brightness(delta=0.3)(x).max(), 1.0)
    np.testing.assert_allclose(explain.brightness(delta=0.3)(x).min(), 0.3)
    np.testing.assert_allclose(explain.brightness(factor=0.5)(x).max(), 0.5)
    np.testing.assert_allclose(explain.brightness(factor=0.5)(x).min(), 0.0)   # black stays black
    with pytest.raises(ValueError, match=r"factor must be in \[0, inf\], got -1"):
        explain.brightness(factor=-1)
    with pytest.raises(TypeError, match="degrees must be a number"):
        explain.rotate("30")


def test_robustness_reports_original_and_each_transform(small_cnn):
    rng = np.random.default_rng(4)
    x = rng.random((10, 16, 16, 3)).astype("float32")
    y = np.argmax(small_cnn.predict(x, verbose=0), axis=-1)    # labels the model gets right
    out = explain.robustness(small_cnn, x, y, {"flip": lambda b: b[:, :, ::-1], "dark": explain.brightness(delta=-0.5)})
    assert list(out) == ["original", "flip", "dark"]
    assert out["original"] == 1.0
    flipped = np.argmax(small_cnn.predict(x[:, :, ::-1], verbose=0), axis=-1)
    assert out["flip"] == pytest.approx(metrics.accuracy(y, flipped))
    both = explain.robustness({"a": small_cnn, "b": small_cnn}, x, y, {"dark": explain.brightness(delta=-0.5)},
                              preprocess=lambda b: b[:, :, ::-1])
    assert both["a"] == both["b"] and both["a"]["original"] == pytest.approx(out["flip"])
    with pytest.raises(ValueError, match=r"transform 'crop' changed the batch shape"):
        explain.robustness(small_cnn, x, y, {"crop": lambda b: b[:, :8]})
    with pytest.raises(TypeError, match=r"transforms must be a dict.*\(list\)"):
        explain.robustness(small_cnn, x, y, [explain.rotate(10)])
    with pytest.raises(ValueError, match="batch_size must be ≥ 1"):
        explain.robustness(small_cnn, x, y, {}, batch_size=0)


def test_targeted_fgsm_lowers_the_loss_of_the_target(small_cnn):
    x = np.random.default_rng(5).random((8, 16, 16, 3)).astype("float32")
    target = np.zeros(8, int)
    loss = keras.losses.SparseCategoricalCrossentropy()
    before = float(loss(target, small_cnn.predict(x, verbose=0)))
    towards = explain.fgsm(small_cnn, x, target, epsilon=0.05, targeted=True)
    away = explain.fgsm(small_cnn, x, target, epsilon=0.05)
    assert float(loss(target, small_cnn.predict(towards, verbose=0))) < before
    assert float(loss(target, small_cnn.predict(away, verbose=0))) > before
    assert np.abs(towards - x).max() <= 0.05 + 1e-6
    with pytest.raises(TypeError, match="targeted must be True or False"):
        explain.fgsm(small_cnn, x, target, epsilon=0.05, targeted="yes")
