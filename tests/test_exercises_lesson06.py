"""cnnkit.exercises.lesson06: the right answer and its equivalent forms pass; plausible wrong answers fail, each with
a sentence that says why."""
import numpy as np
import pytest
from scipy import linalg

from cnnkit.exercises import Exercise, lesson06


def _check(exercise, answer, capsys):
    ok = exercise.check(answer)
    return ok, capsys.readouterr().out


def _accepts(exercise, answers, capsys):
    for answer in answers:
        ok, out = _check(exercise, answer, capsys)
        assert ok, f"rejected the right answer {answer!r}: {out}"


def _rejects(exercise, cases, capsys):
    for answer, reason in cases:
        ok, out = _check(exercise, answer, capsys)
        assert not ok, f"accepted the wrong answer {answer!r}"
        assert reason in out, f"{answer!r}: expected {reason!r} in {out!r}"


class _Scalar:
    """A stand-in for a TensorFlow scalar: it converts with ``__array__``."""

    def __init__(self, value, dtype="float64"):
        self.value, self.dtype = value, dtype

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype or self.dtype)


def test_cut_at_block2_counts_the_head_and_the_frozen_blocks(capsys):
    q = lesson06.cut_at_block2(filters=16, n_classes=2)
    assert isinstance(q, Exercise)
    head, frozen = (32 + 1) * 2, (27 + 1) * 16 + (144 + 1) * 16 + (144 + 1) * 32 + (288 + 1) * 32
    assert (head, frozen) == (66, 16_656)
    _accepts(q, [(66, 16_656), [66, 16656], np.array([66, 16656]), (66.0, 16656.0)], capsys)
    _rejects(q, [((16_656, 66), "swapped"), ((130, 72_080), "block3_pool"), ((64, 16_656), "bias too"),
                 ((66, 72_080), "blocks 1 and 2"), (((8 * 8 * 32 + 1) * 2, 16_656), "no flatten"),
                 (("66", "16656"), "whole numbers"), (66, "a pair"), ((66.5, 16656), "whole numbers")], capsys)


@pytest.mark.slow
def test_cut_at_block2_matches_keras():
    from cnnkit import models

    base = models.cnn((32, 32, 3), 3, blocks=3, filters=16, dense=64)
    net = models.transfer(models.feature_extractor(base, "block2_pool"), 2)
    trainable = sum(int(np.prod(w.shape)) for w in net.trainable_weights)
    assert lesson06.cut_at_block2(filters=16, n_classes=2).check((trainable, net.count_params() - trainable))


def test_setup_follows_the_network(capsys):
    lesson06.setup(filters=8, n_classes=3)
    _accepts(lesson06.q1, [((16 + 1) * 3, (27 + 1) * 8 + (72 + 1) * 8 + (72 + 1) * 16 + (144 + 1) * 16)], capsys)
    lesson06.setup()
    _accepts(lesson06.q1, [(66, 16_656)], capsys)


def test_which_parts_fine_tuning_changes(capsys):
    _accepts(lesson06.q2, ["bc", "cb", "b, c", ["b", "c"], {"c", "b"}, "BC"], capsys)
    _rejects(lesson06.q2, [("abc", "(a) stays frozen"), ("c", "(b) changes"), ("b", "(c) changes"),
                           ("bcd", "(d) stays as it was"), ("abcd", "(a) stays frozen"), ("bx", "letters from"),
                           (2, "letters from")], capsys)


def test_frechet_distance_equals_the_formula_and_is_a_distance():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(300, 4)), rng.normal(size=(300, 4)) * [1, 2, 1, 1] + [0, 0, 1, 0]
    mean = a.mean(0) - b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    by_hand = mean @ mean + np.trace(ca + cb - 2 * linalg.sqrtm(ca @ cb).real)
    assert lesson06.frechet_distance(a, b) == pytest.approx(by_hand)
    assert lesson06.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    assert lesson06.frechet_distance(a, b) == pytest.approx(lesson06.frechet_distance(b, a), rel=1e-6)
    # for two Gaussians with known parameters it approaches ‖Δμ‖² + Σ (σa − σb)² (diagonal covariances)
    big_a, big_b = rng.normal(size=(20000, 2)), rng.normal(size=(20000, 2)) * [3.0, 1.0] + [2.0, 0.0]
    assert lesson06.frechet_distance(big_a, big_b) == pytest.approx(4.0 + 4.0, rel=0.05)
    with pytest.raises(ValueError, match="same number of features"):
        lesson06.frechet_distance(a, b[:, :3])


def test_frechet_by_hand_rejects_the_usual_shortcuts(capsys):
    a, b = lesson06.clouds()
    right = lesson06.frechet_distance(a, b)
    mean = a.mean(0) - b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    by_scipy = mean @ mean + np.trace(ca + cb - 2 * linalg.sqrtm(ca @ cb))           # complex dtype, 0 imaginary
    _accepts(lesson06.q3, [right, np.float32(right), np.array(right), round(right, 4), by_scipy, _Scalar(right)],
             capsys)
    sd = a.std(0) - b.std(0)
    roots = np.trace(linalg.sqrtm(ca) @ linalg.sqrtm(cb)).real
    biased_a, biased_b = np.cov(a, rowvar=False, bias=True), np.cov(b, rowvar=False, bias=True)
    ddof0 = mean @ mean + np.trace(biased_a + biased_b - 2 * linalg.sqrtm(biased_a @ biased_b).real)
    _rejects(lesson06.q3, [(float(mean @ mean + np.trace(ca + cb) - 2 * roots), "only when the two matrices commute"),
                           (float(mean @ mean + np.trace(ca + cb - linalg.sqrtm(ca @ cb).real)), "counts twice"),
                           (float(ddof0), "bias=True"), (_Scalar("4.1", "U3"), "one number"),
                           (complex(right, 0.5), "imaginary part")], capsys)
    _rejects(lesson06.q3, [(float(mean @ mean), "only the means' part"), (float(np.sqrt(right)), "no square root"),
                           (float(mean @ mean + np.trace(ca + cb)), "cross term is missing"),
                           (float(mean @ mean + sd @ sd), "full covariance"), (str(right), "one number"),
                           ([right], "one number"), (right + 1.0, "‖μa − μb‖²")], capsys)


def test_frechet_distance_is_exact_when_a_feature_never_varies():
    from scipy import linalg
    rng = np.random.default_rng(1)
    a = np.c_[rng.normal(size=(200, 2)), np.zeros(200)]                  # a dead ReLU channel: always 0
    b = np.c_[rng.normal(size=(200, 2)) + 1.0, np.zeros(200)]
    mean = a.mean(0) - b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    reduced = mean[:2] @ mean[:2] + np.trace(ca[:2, :2] + cb[:2, :2] - 2 * linalg.sqrtm(ca[:2, :2] @ cb[:2, :2]).real)
    assert lesson06.frechet_distance(a, b) == pytest.approx(reduced, rel=1e-6)
