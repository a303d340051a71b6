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


@pytest.mark.parametrize("answer", [False, np.bool_(False)])
def test_q2_right_forms(answer, capsys):
    passes(ex.q2, answer, capsys)


@pytest.mark.parametrize("answer, why", [(True, "does not depend on the order"), ("no", "answer True or False"),
                                         (0, "answer True or False"), ("False", "answer True or False")])
def test_q2_wrong_answers(answer, why, capsys):
    fails(ex.q2, answer, capsys, why)


def test_q2_claim_holds():
    rng = np.random.default_rng(0)
    f = rng.normal(size=(30, 4))
    shuffled = f[rng.permutation(30)]
    np.testing.assert_allclose(f.T @ f / 30, shuffled.T @ shuffled / 30, atol=1e-12)


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


@pytest.mark.parametrize("answer", ["coarse", "Coarse ", "COARSE"])
def test_q4_right_forms(answer, capsys):
    passes(ex.q4, answer, capsys)


@pytest.mark.parametrize("answer, why", [("finest", "3–7 px wide"), ("both", "is not one of"),
                                         (3, "answer a name"), ("level0", "is not one of")])
def test_q4_wrong_answers(answer, why, capsys):
    fails(ex.q4, answer, capsys, why)
