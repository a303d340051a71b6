"""Lesson 07's exercises: each check passes the right answer and its equivalent forms, and fails ≥ 3 plausible wrong
answers with a reason; the claims the answers rest on are computed here where that is quick."""
import numpy as np
import pytest

from cnnkit.exercises import Exercise
from cnnkit.exercises import lesson07 as ex


def passes(q, answer, capsys):
    ok = q.check(answer)
    out = capsys.readouterr().out
    assert ok and "✓" in out, out


def fails(q, answer, capsys, why=""):
    ok = q.check(answer)
    out = capsys.readouterr().out
    assert not ok and "✗ Not yet" in out, out
    assert why in out, out


def test_the_module_has_four_exercises_with_hints_and_printing_solutions(capsys):
    qs = [getattr(ex, f"q{i}") for i in range(1, 5)]
    assert all(isinstance(q, Exercise) for q in qs)
    assert sum(q.question.startswith("Reasoning") for q in qs) >= 2
    for q in qs:
        q.hint()
        q.solution()
        out = capsys.readouterr().out
        assert out.startswith("Hint: ") and "Solution:\n" in out and "answer = " in out and "print(" in out


@pytest.mark.parametrize("answer", ["block2_conv2", "Block2_Conv2", " block2_conv2 "])
def test_q1_right_forms(answer, capsys):
    passes(ex.q1, answer, capsys)


@pytest.mark.parametrize("answer, why", [
    ("block5_conv2", "four poolings"),                 # the deeper layer: the mistake the exercise is about
    ("conv4_2", "is not one of"),                      # the paper's content layer, not an option here
    (2, "answer a name"),                              # the block number
    (["block2_conv2"], "answer a name"),               # a list for one name
])
def test_q1_wrong_answers(answer, why, capsys):
    fails(ex.q1, answer, capsys, why)


@pytest.mark.parametrize("answer", [True, np.bool_(True)])
def test_q2_right_forms(answer, capsys):
    passes(ex.q2, answer, capsys)


@pytest.mark.parametrize("answer, why", [(False, "not mirror-symmetric"),         # "a Gram forgets all geometry"
                                         ("yes", "answer True or False"), (1, "answer True or False"),
                                         ("True", "answer True or False")])
def test_q2_wrong_answers(answer, why, capsys):
    fails(ex.q2, answer, capsys, why)


def _level2_error(extractor, a, b):
    from cnnkit.style.losses import gram_matrix

    ga, gb = (gram_matrix(extractor(im[None] / np.float32(255))[0][2]).numpy()[0] for im in (a, b))
    return float(np.mean((ga - gb) ** 2) / np.mean(gb ** 2))


def test_q2_claim_holds_a_flip_changes_the_gram_far_more_than_a_shift():
    from cnnkit.style import make_style_image
    from cnnkit.style.extractors import PyramidExtractor

    ex2 = PyramidExtractor(seed=0)
    stripes = make_style_image("stripes", size=128, seed=0)
    flipped = _level2_error(ex2, stripes[:, ::-1], stripes)
    shifted = _level2_error(ex2, np.roll(stripes, 128 // 3, axis=1), stripes)
    assert flipped > 20 * shifted and flipped > 0.05, (flipped, shifted)
    rows = np.random.default_rng(0).random((50, 8))        # and shuffling positions changes nothing
    perm = rows[np.random.default_rng(1).permutation(50)]
    np.testing.assert_allclose(rows.T @ rows, perm.T @ perm, atol=1e-12)


def _q3_ratios():
    from cnnkit.style.losses import total_variation_loss

    i, j = np.mgrid[0:64, 0:64]
    vertical = np.clip(0.5 + (j - 32) / 4, 0, 1).astype("float32")[..., None]
    diagonal = np.clip(0.5 + (i - j) / (4 * np.sqrt(2)), 0, 1).astype("float32")[..., None]
    out = []
    for iso in (False, True):
        per = [float(total_variation_loss(img, isotropic=iso)[0]) / length
               for img, length in ((diagonal, 64 * np.sqrt(2)), (vertical, 64))]
        out.append(per[0] / per[1])
    return out


@pytest.mark.parametrize("answer", [np.sqrt(2), 1.4142, 1.41, np.float32(1.414), "computed"])
def test_q3_right_forms(answer, capsys):
    if isinstance(answer, str):
        answer = _q3_ratios()[0]               # the solution's own computation
    passes(ex.q3, answer, capsys)


@pytest.mark.parametrize("answer", [
    1.0,            # the isotropic answer (or "TV does not care about direction")
    2.0,            # |dx| + |dy| counted without dividing by the diagonal's longer length
    1 / np.sqrt(2),  # the ratio upside down
    "sqrt(2)",      # a string, not a number
])
def test_q3_wrong_answers(answer, capsys):
    fails(ex.q3, answer, capsys)


def test_q3_claim_holds_and_isotropic_tv_does_not_prefer_the_axes():
    aniso, iso = _q3_ratios()
    assert abs(aniso - np.sqrt(2)) < 0.05 * np.sqrt(2)
    assert abs(iso - 1) < 0.05


@pytest.mark.parametrize("answer", [False, np.bool_(False)])
def test_q4_right_forms(answer, capsys):
    passes(ex.q4, answer, capsys)


@pytest.mark.parametrize("answer, why", [(True, "ε = 0.1 sets the denominator"),   # "Adam is Adam"
                                         ("no", "answer True or False"), (0, "answer True or False"),
                                         (0.1, "answer True or False")])
def test_q4_wrong_answers(answer, why, capsys):
    fails(ex.q4, answer, capsys, why)


@pytest.mark.slow
def test_q4_claim_holds_the_tutorials_adam_barely_moves_this_loss():
    import keras

    from cnnkit import style
    from cnnkit.style import make_style_image
    from cnnkit.style.extractors import PyramidExtractor

    ratios = {}
    for name, opt in (("tutorial", keras.optimizers.Adam(0.02, beta_1=0.99, epsilon=0.1)), ("default", "adam")):
        r = style.stylize("chelsea", make_style_image("swirls", size=128), max_side=64, steps=30,
                          extractor=PyramidExtractor(seed=0), optimizer=opt, progress=False)
        ratios[name] = r.history["total"][-1] / r.history["total"][0]
    assert ratios["tutorial"] > 0.9 and ratios["default"] < 0.5, ratios


def test_q1_solution_builds_a_content_only_loss():
    """q1's solution passes style_layers=(): the loss then has no style term (no layer weights to check)."""
    from cnnkit.style.losses import StyleContentLoss
    from cnnkit.style.vgg import FeatureExtractor

    vgg = FeatureExtractor(weights=None, style_layers=(), content_layers=("block2_conv2",), quiet=True)
    photo = np.random.default_rng(0).uniform(size=(1, 32, 32, 3)).astype("float32")
    loss = StyleContentLoss(vgg, photo, photo, content_weight=1.0, style_weight=0.0, tv_weight=0.0)
    assert loss.layer_weights == []
    total, content, style_term, _tv = loss(np.full_like(photo, 0.5))
    assert float(style_term) == 0.0 and float(content) > 0 and float(total) == float(content)
    with pytest.raises(ValueError, match="layer_weights must hold 0 weights"):
        StyleContentLoss(vgg, photo, photo, layer_weights=[1.0])
