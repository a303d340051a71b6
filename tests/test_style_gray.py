"""A gray style gives a gray result: stylize averages the start over its channels and takes the loss on each step's
channel mean (the random filters mix the channels, and left alone they paint coloured speckle on a gray texture);
a coloured style is optimised as before."""
import numpy as np
import pytest
import tensorflow as tf

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.images import load_image
from cnnkit.style import GRAY_LEVELS, is_gray, make_style_image
from cnnkit.style.engine import _on_gray
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.losses import StyleContentLoss


@pytest.fixture(scope="module")
def pyramid():
    return PyramidExtractor(levels=3, filters=8, seed=0)


def _channel_spread(image):
    image = image.astype(int)
    return int((image.max(axis=-1) - image.min(axis=-1)).max())


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_a_gray_texture_on_a_colour_photo_gives_a_gray_result(pyramid, optimizer):
    grass = style.fit_size(load_image("grass"), 64)
    r = style.stylize("chelsea", grass, max_side=64, steps=8, extractor=pyramid, optimizer=optimizer, progress=False)
    assert _channel_spread(r.image) == 0
    assert r.image.std() > 5                                            # gray, not blank
    assert r.history["total"][-1] != r.history["total"][0]              # it was optimised


def test_a_coloured_start_is_made_gray_too(pyramid):
    start = np.random.default_rng(0).uniform(size=(43, 64, 3)).astype(np.float32)   # chelsea at 64 px: 43 × 64
    r = style.stylize("chelsea", style.fit_size(load_image("brick"), 64), max_side=64, steps=2, init=start,
                      extractor=pyramid, progress=False)
    assert _channel_spread(r.image) == 0


def test_a_coloured_style_still_gives_colour(pyramid):
    r = style.stylize("chelsea", make_style_image("swirls", size=64), max_side=64, steps=8, extractor=pyramid,
                      progress=False)
    assert _channel_spread(r.image) > 50


def test_the_gray_loss_has_the_same_gradient_in_every_channel(pyramid):
    rng = np.random.default_rng(1)
    gray_style = np.repeat(rng.uniform(size=(1, 32, 32, 1)), 3, axis=-1)
    loss = StyleContentLoss(pyramid, rng.uniform(size=(1, 32, 32, 3)), gray_style)
    x = tf.constant(rng.uniform(size=(1, 32, 32, 3)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = _on_gray(loss)(x)[0]
    g = tape.gradient(total, x).numpy()
    assert np.abs(g).max() > 0
    assert np.array_equal(g[..., 0], g[..., 1]) and np.array_equal(g[..., 0], g[..., 2])
    gray = tf.repeat(tf.reduce_mean(x, axis=-1, keepdims=True), 3, axis=-1)
    assert float(total) == pytest.approx(float(loss(gray)[0]))       # the loss of the channel mean, no other change


def test_is_gray_at_and_past_its_tolerance():
    base = np.full((4, 4, 3), 100, np.uint8)
    assert is_gray(base) and is_gray("camera") and is_gray("brick")
    near, far = base.copy(), base.copy()
    near[0, 0, 2] += GRAY_LEVELS
    far[0, 0, 2] += GRAY_LEVELS + 1                                     # one pixel, one level more
    assert is_gray(near) and not is_gray(far)
    assert not is_gray("chelsea") and not is_gray(make_style_image("stripes", size=32))
    assert is_gray(np.full((3, 3), 0.25))                               # a 2-D float image is gray by construction


@pytest.mark.parametrize("bad, error", [(3, TypeError), (np.zeros((4, 4, 2), np.uint8), ValueError),
                                        (np.full((2, 2, 3), 2.0), ValueError), ("no_such_sample", ValueError)])
def test_is_gray_rejects_what_is_not_an_image(bad, error):
    with pytest.raises(error, match="image"):
        is_gray(bad)
