"""cnnkit.exercises.lesson04 / lesson05: the right answer and its equivalent forms pass; plausible wrong answers fail,
each with a sentence that says why."""
import numpy as np
import pytest
from scipy import stats

from cnnkit.exercises import Exercise, lesson04, lesson05


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
    """A stand-in for a TensorFlow scalar (``-tf.math.log(0.7)``, a Keras loss): it converts with ``__array__``."""

    def __init__(self, value, dtype="float32"):
        self.value, self.dtype = value, dtype

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype or self.dtype)


# ---- lesson 04 ---------------------------------------------------------------------------------------------------

def test_lesson04_cross_entropy(capsys):
    assert isinstance(lesson04.q1, Exercise)
    _accepts(lesson04.q1, [-np.log(0.7), 0.357, 0.3567, np.float32(-np.log(0.7)), np.array(-np.log(0.7)),
                           _Scalar(-np.log(0.7))], capsys)
    _rejects(lesson04.q1, [(_Scalar(np.log(0.7)), "negative"), (_Scalar(True, "bool"), "as a number"),
                           (_Scalar(-np.log2(0.7)), "expected −log")], capsys)
    _rejects(lesson04.q1, [(np.log(0.7), "negative"), (-np.log10(0.7), "natural logarithm"),
                           (-np.log(0.1), "another class"), (-np.log(0.2), "another class"),
                           (0.3, "expected −log"), ("0.357", "as a number"), (True, "as a number"),
                           ([0.357], "as a number"), (None, "no answer yet"), (..., "no answer yet")], capsys)


def test_lesson04_sgd_step_accepts_the_update_and_explains_mistakes(capsys):
    def in_place(w, g, lr):
        w -= lr * g
        return w

    _accepts(lesson04.q2, [lambda w, g, lr: w - lr * g, in_place, lambda w, g, lr: (w - lr * g).tolist(),
                           lambda w, g, lr: w + (-lr) * g], capsys)
    _rejects(lesson04.q2, [(lambda w, g, lr: w + lr * g, "moved up the gradient"),
                           (lambda w, g, lr: w - g, "ignores the learning rate"),
                           (lambda w, g, lr: -lr * g, "the step, not the new weights"),
                           (lambda w, g, lr: w - 0.1 * g, "a fixed 0.1"),           # the lr of section 2, copied
                           (lambda w, g, lr: w - lr * g ** 2, "weights − learning_rate × gradients"),
                           (lambda w, g, lr: 1 / 0, "ZeroDivisionError"), (3.0, "expected a function"),
                           (lambda w, g, lr: ..., "returns nothing yet"),
                           (lambda w, g, lr: "w", "as an array, got str"),
                           (lambda w, g, lr: w[0] - lr * g[0], "shape (2, 2)")], capsys)


def test_lesson04_learning_rate_accepts_paper_precision_and_names_the_mistake(capsys):
    np.testing.assert_allclose(lesson04.gradient_steps(0.1), [0.6, 1.08, 1.464])
    np.testing.assert_allclose(lesson04.gradient_steps(1.1), [6.6, -1.32, 8.184])
    _accepts(lesson04.q3, [[1.464, 8.184], (1.46, 8.18), np.array([1.464, 8.184]), [1.4640001, 8.184],
                           [lesson04.gradient_steps(0.1)[-1], lesson04.gradient_steps(1.1)[-1]]], capsys)
    _rejects(lesson04.q3, [([8.184, 1.464], "swapped"), ([0.6, 6.6], "after 1 step"), ([1.08, -1.32], "after 2 steps"),
                           ([-0.6, 8.184], "one step is"), ([1.5, 8.2], "one step is"),
                           ([1.464, 6.6], "the weight with 0.1 is right"), ([1.464], "two numbers"),
                           ("1.464, 8.184", "two numbers"), (["1.464", "8.184"], "two numbers"), (1.464, "two numbers"),
                           ([lesson04.gradient_steps(-0.1)[-1], 0.0], "went up the gradient")], capsys)
    lesson04.q3.solution()
    assert "1.464 8.184" in capsys.readouterr().out


def test_lesson04_pooling_grids_realign_at_multiples_of_the_total_stride(capsys):
    assert lesson04.aligned_shifts(2, 8) == [4, 8] and lesson04.aligned_shifts(3, 16) == [8, 16]
    _accepts(lesson04.q4, [[4, 8], (8, 4), {4, 8}, np.array([4, 8]), [4.0, 8.0], [4, 8, 8]], capsys)
    _rejects(lesson04.q4, [([8], "three pools"), ([2, 4, 6, 8], "one pool"), (list(range(1, 9)), "equivariant"),
                           ([4], "missing"), ([], "multiple of 2 × 2"), ([3, 6], "multiple of 2 × 2"),
                           (["4", "8"], "whole numbers"), ([4.5, 8], "whole numbers"), ("4, 8", "list of shifts"),
                           (4, "list of shifts")], capsys)


# ---- lesson 05 ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("filters, dense, head", [(16, 64, "flatten"), (32, 64, "flatten"), (16, 64, "gap"),
                                                  (8, 32, "gap"), (4, 16, "flatten")])
def test_lesson05_parameter_formula_matches_keras(filters, dense, head):
    from cnnkit import models

    net = models.cnn((24, 24, 3), 5, filters=filters, dense=dense, head=head)
    assert lesson05.cnn_parameters(size=24, filters=filters, dense=dense, n_classes=5, head=head) == \
        net.count_params()


def test_lesson05_gap_head_follows_the_settings(capsys):
    cpu, gpu = lesson05.gap_head(filters=8, dense=32, n_classes=5, size=24), \
        lesson05.gap_head(filters=32, dense=64, n_classes=5, size=32)
    cpu_right = lesson05.cnn_parameters(size=24, filters=8, dense=32, head="gap")
    assert cpu_right == 19_405
    _accepts(cpu, [19_405, 19405.0, np.int64(19_405)], capsys)
    _accepts(gpu, [295_589], capsys)
    _rejects(cpu, [(27_597, "flatten network"), (19_405 - 32, "bias per unit"), ("19405", "whole number"),
                   (19_405.5, "whole number"), (True, "whole number"), (20_000, "only fc changes"),
                   (lesson05.cnn_parameters(size=24, filters=8, dense=0, head="gap"), "keeps its fc")], capsys)
    _rejects(gpu, [(357_029, "only fc changes")], capsys)


def test_lesson05_flatten_size(capsys):
    q = lesson05.flatten_size(size=48, filters=8, dense=32)
    _accepts(q, [(1152, 36_896), [1152, 36896], np.array([1152, 36896]), (1152.0, 36896.0)], capsys)
    _rejects(q, [((36_896, 1152), "swapped"), ((1152, 1152 * 32), "bias per unit"), ((4608, 4609 * 32), "not 4"),
                 ((288, 289 * 32), "at 24 px"), (("1152", "36896"), "whole number"), ((1152,), "a pair"),
                 ("1152, 36896", "a pair"), ((1000, 2000), "the last maps are")], capsys)


def test_lesson05_which_changes_alter_the_parameter_count(capsys):
    _accepts(lesson05.q3, [("bcd", "c"), ("b, c, d", ["c"]), (["d", "c", "b"], {"c"}),
                           {"flatten": "bcd", "gap": "c"}, ("BCD", "C")], capsys)
    _rejects(lesson05.q3, [(("abcd", "c"), "pooling layer has no weights"), (("bc", "c"), "(b) and (d)"),
                           (("bcd", "cd"), "with GAP"), (("bcd", "bcd"), "with GAP"), (("bd", ""), "(c) changes"),
                           (("bcd", "e"), "letters from a, b, c, d"), ("bcd", "expected a pair"),
                           ((1, 2), "letters from")], capsys)


def test_lesson05_paired_interval_rejects_the_usual_statistics_mistakes(capsys):
    results = {4: [0.64, 0.47, 0.52], 8: [0.76, 0.643, 0.67], 16: [0.70, 0.55, 0.57]}   # seeds that move together
    q = lesson05.paired_filters(results)
    d = np.subtract(results[16], results[4])
    right = stats.ttest_rel(results[16], results[4]).confidence_interval(0.95)
    assert lesson05.paired_interval(results[16], results[4]) == pytest.approx((right.low, right.high))
    _accepts(q, [(right.low, right.high), [round(right.low, 3), round(right.high, 3)],
                 np.array([right.low, right.high])], capsys)
    t, n = stats.t.ppf(0.975, 2), 3
    ddof0 = (d.mean() - t * d.std() / np.sqrt(n), d.mean() + t * d.std() / np.sqrt(n))
    z = (d.mean() - 1.96 * d.std(ddof=1) / np.sqrt(n), d.mean() + 1.96 * d.std(ddof=1) / np.sqrt(n))
    welch = stats.ttest_ind(results[16], results[4], equal_var=False).confidence_interval(0.95)
    _rejects(q, [(ddof0, "ddof = 0"), (z, "1.96"), ((welch.low, welch.high), "paired"),
                 ((-right.high, -right.low), "fewer − more"), ((0.0, 1.0), "d = more − fewer"),
                 ("(0.01, 0.2)", "a pair"),
                 ((right.low,), "a pair"), (("a", "b"), "two numbers")], capsys)
    q.solution()
    assert "answer = (" in capsys.readouterr().out
    with pytest.raises(ValueError, match="one accuracy per seed"):
        lesson05.paired_filters({4: [0.5, 0.6], 16: [0.7, 0.8, 0.9]})


def test_lesson05_setup_rebuilds_the_settings_dependent_exercises(capsys):
    module = lesson05.setup(filters=16, dense=64, n_classes=5, size=32, results={4: [0.5, 0.6, 0.55],
                                                                                 16: [0.6, 0.72, 0.61]})
    assert module is lesson05
    _accepts(lesson05.q1, [76_565], capsys)
    _accepts(lesson05.q2, [(4096, 262_208)], capsys)
    assert "16 − 4 filters" in repr(lesson05.q4)
    lesson05.setup()                                    # back to the CPU defaults for the other tests
    _accepts(lesson05.q1, [19_405], capsys)
