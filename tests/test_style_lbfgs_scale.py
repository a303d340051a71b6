"""L-BFGS-B in stylize does not depend on the loss's scale: the loss is rescaled once at the start (the first step moves
the pixels), so the same loss times 1000 takes the same path, and a loss of scale ~1 does not stall."""
import numpy as np
import pytest

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style._optimize import LBFGS_FIRST_STEP
from cnnkit.style.extractors import PyramidExtractor


@pytest.fixture(scope="module")
def pyramid():
    return PyramidExtractor(levels=3, filters=8, seed=0)


def _run(pyramid, k, **kw):
    return style.stylize("coffee", make_style_image("dots", size=64, seed=1), max_side=64, steps=15,
                         extractor=pyramid, content_weight=0.03 * k, style_weight=k, tv_weight=0.01 * k,
                         progress=False, **kw)


def test_the_same_loss_times_1000_takes_the_same_path(pyramid):
    one, thousand = _run(pyramid, 1.0), _run(pyramid, 1000.0)
    a, b = np.array(one.history["total"]), np.array(thousand.history["total"]) / 1000
    assert a[0] == pytest.approx(b[0], rel=1e-5)                       # the history is the loss as asked, unscaled
    assert np.allclose(a, b, rtol=0.05)                                 # the same losses step by step
    assert np.abs(one.image.astype(int) - thousand.image.astype(int)).mean() < 1.0


def test_a_loss_of_scale_one_does_not_stall(pyramid):
    r = _run(pyramid, 1.0)
    assert r.history["total"][-1] < 0.3 * r.history["total"][0]       # unscaled, scipy moved it by under 10 %
    assert 0 < LBFGS_FIRST_STEP <= 1

