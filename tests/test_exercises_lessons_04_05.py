"""cnnkit.exercises.lesson04 / lesson05: right answers pass, wrong ones fail with a sentence that says why."""
import numpy as np
import pytest

from cnnkit.exercises import Exercise, lesson04, lesson05


def _problem(exercise, answer, capsys):
    ok = exercise.check(answer)
    return ok, capsys.readouterr().out


def test_lesson04_cross_entropy(capsys):
    assert isinstance(lesson04.q1, Exercise)
    assert _problem(lesson04.q1, -np.log(0.7), capsys)[0]
    ok, out = _problem(lesson04.q1, -np.log(0.1), capsys)
    assert not ok and "expected 0.356675" in out


def test_lesson04_sgd_step_accepts_the_update_and_explains_mistakes(capsys):
    assert _problem(lesson04.q2, lambda w, g, lr: w - lr * g, capsys)[0]
    ok, out = _problem(lesson04.q2, lambda w, g, lr: w + lr * g, capsys)
    assert not ok and "moved up the gradient" in out
    ok, out = _problem(lesson04.q2, lambda w, g, lr: w - g, capsys)
    assert not ok and "weights − learning_rate × gradients" in out
    ok, out = _problem(lesson04.q2, lambda w, g, lr: 1 / 0, capsys)
    assert not ok and "ZeroDivisionError" in out
    ok, out = _problem(lesson04.q2, 3.0, capsys)
    assert not ok and "expected a function" in out
    ok, out = _problem(lesson04.q2, lambda w, g, lr: ..., capsys)            # the notebook's empty template
    assert not ok and "returns nothing yet" in out
    ok, out = _problem(lesson04.q2, lambda w, g, lr: "w", capsys)
    assert not ok and "as an array, got str" in out


def test_lesson04_learning_rate_steps_match_a_loop(capsys):
    np.testing.assert_allclose(lesson04.gradient_steps(0.1), [0.6, 1.08, 1.464])
    np.testing.assert_allclose(lesson04.gradient_steps(1.1), [6.6, -1.32, 8.184])
    assert _problem(lesson04.q3, [1.464, 8.184], capsys)[0]
    ok, out = _problem(lesson04.q3, [1.464], capsys)
    assert not ok and "expected shape (2,)" in out
    lesson04.q3.solution()
    assert "1.464 8.184" in capsys.readouterr().out


@pytest.mark.parametrize("filters, dense, head", [(16, 64, "flatten"), (32, 64, "flatten"), (16, 64, "gap"),
                                                  (32, 64, "gap"), (4, 16, "flatten")])
def test_lesson05_parameter_formula_matches_keras(filters, dense, head):
    from cnnkit import models

    net = models.cnn((32, 32, 3), 5, filters=filters, dense=dense, head=head)
    assert lesson05.cnn_parameters(filters=filters, dense=dense, n_classes=5, head=head) == net.count_params()


def test_lesson05_exercises_follow_the_settings(capsys):
    cpu, gpu = lesson05.gap_head(filters=16, dense=64, n_classes=5), lesson05.gap_head(filters=32, dense=64,
                                                                                       n_classes=5)
    assert _problem(cpu, 76_565, capsys)[0] and _problem(gpu, 295_589, capsys)[0]
    ok, out = _problem(gpu, 357_029, capsys)            # the old hard-coded "by hand" count at GPU defaults
    assert not ok and "expected 295589" in out
    assert _problem(lesson05.flatten_size(size=64, filters=32, dense=64), (8192, 524_352), capsys)[0]
    ok, out = _problem(lesson05.flatten_size(size=64, filters=16, dense=64), (1024, 65_600), capsys)
    assert not ok and "differ" in out


def test_lesson05_pooling_reasoning(capsys):
    q = lesson05.pooling_parameters(filters=16, dense=64, n_classes=5)
    assert _problem(q, (138_005, 138_005), capsys)[0]
    ok, out = _problem(q, (138_005, 100), capsys)
    assert not ok and "pooling has no weights" in out
    ok, out = _problem(q, (1, 1), capsys)
    assert not ok and "138,005" in out
    ok, out = _problem(q, "same", capsys)
    assert not ok and "expected a pair" in out


def test_lesson05_more_filters_reads_the_measured_table(capsys):
    q = lesson05.more_filters({4: [0.5, 0.52, 0.48], 8: [0.6, 0.62, 0.58], 16: [0.7, 0.75, 0.65]})
    assert _problem(q, 16, capsys)[0]
    ok, out = _problem(q, 4, capsys)
    assert not ok and "expected 16, got 4" in out
    q.solution()
    out = capsys.readouterr().out
    assert " 16 filters: 0.700 ± 0.041" in out and "is larger than" in out
    with pytest.raises(TypeError, match="results must be a dict"):
        lesson05.more_filters([0.5, 0.6])
