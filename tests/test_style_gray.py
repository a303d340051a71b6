"""A gray style gives a gray result: stylize returns the luminance of what it optimised (in colour: the random filters
mix the channels and leave coloured speckle on a gray texture), frames too; a coloured style, or preserve_color,
is returned as before."""
import numpy as np
import pytest

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.images import load_image
from cnnkit.style import GRAY_LEVELS, is_gray, make_style_image
from cnnkit.style._optimize import _Recorder, _run_lbfgs, _to_uint8_image
from cnnkit.style.engine import _initial_image
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.losses import StyleContentLoss


@pytest.fixture(scope="module")
def pyramid():
    return PyramidExtractor(levels=3, filters=8, seed=0)


def _channel_spread(image):
    image = image.astype(int)
    return int((image.max(axis=-1) - image.min(axis=-1)).max())


def _run(pyramid, style_rgb, **options):
    return style.stylize("chelsea", style_rgb, max_side=64, style_side=64, steps=8, extractor=pyramid, progress=False,
                         **options)


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_a_gray_texture_on_a_colour_photo_gives_a_gray_result(pyramid, optimizer):
    r = _run(pyramid, style.fit_size(load_image("grass"), 64), optimizer=optimizer, frame_every=4)
    assert _channel_spread(r.image) == 0
    assert r.image.std() > 5                                            # gray, not blank
    assert [step for step, _ in r.frames] == [0, 4, 8]
    assert all(_channel_spread(frame) == 0 for _, frame in r.frames)


def test_the_gray_result_is_the_luminance_of_the_colour_optimisation(pyramid):
    brick = style.fit_size(load_image("brick"), 64)
    content = style.fit_size(load_image("chelsea"), 64)
    loss = StyleContentLoss(pyramid, content[None] / np.float32(255), brick[None] / np.float32(255))
    record = _Recorder(8, 0, False)
    _run_lbfgs(loss, _initial_image("mix", content, brick, 0), 8, record)
    coloured = _to_uint8_image(record.last_image).astype(np.float32)
    assert _channel_spread(coloured.astype(np.uint8)) > 10              # the speckle the gray result removes
    luma = coloured @ np.float32([0.299, 0.587, 0.114])
    gray = _run(pyramid, brick)
    assert np.abs(gray.image[..., 0] - luma).mean() < 0.5                # Rec. 601 weights (a plain mean: ~1.4)
    assert np.allclose(gray.history["total"], record.history["total"], rtol=1e-3)   # the colour run's own history


def test_a_coloured_style_and_preserve_color_keep_their_colour(pyramid):
    assert _channel_spread(_run(pyramid, make_style_image("swirls", size=64)).image) > 50
    kept = _run(pyramid, style.fit_size(load_image("gravel"), 64), preserve_color=True)
    assert _channel_spread(kept.image) > 20                             # the photo's colours, as asked


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
