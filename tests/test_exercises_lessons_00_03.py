"""The exercises of lessons 00–03: each solution's answer passes check(), a wrong answer fails and says why."""
import numpy as np
import pytest

from cnnkit.exercises import Exercise, lesson00, lesson01, lesson02, lesson03
from cnnkit.images import load_image
from cnnkit.kernels import get
from cnnkit.ops import conv2d, pool2d

LESSONS = (lesson00, lesson01, lesson02, lesson03)


def passes(q, answer, capsys):
    ok = q.check(answer)
    out = capsys.readouterr().out
    assert ok and "✓" in out, out
    return out


def fails(q, answer, capsys, why):
    ok = q.check(answer)
    out = capsys.readouterr().out
    assert not ok and "✗ Not yet" in out, out
    assert why in out, out
    return out


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_lesson_has_exercises_with_hint_and_solution(lesson, capsys):
    exercises = [v for k, v in vars(lesson).items() if k.startswith("q") and isinstance(v, Exercise)]
    assert 3 <= len(exercises) <= 4
    assert any(q.question.startswith("Reasoning") for q in exercises)       # one reasoning exercise each
    for q in exercises:
        q.hint()
        q.solution()
        out = capsys.readouterr().out
        assert out.startswith("Hint: ") and "Solution:\n" in out and "answer" in out
        assert "print(" in out                                                 # solutions print their numbers


def test_lesson00(capsys):
    passes(lesson00.q1, 2 * 1024**3 / (2 * 512**3), capsys)
    fails(lesson00.q1, 2, capsys, "expected 8, got 2")
    import tensorflow as tf

    passes(lesson00.q2, tf.zeros(3).device, capsys)
    fails(lesson00.q2, "/job:nowhere/device:TPU:7", capsys, "lives on")
    fails(lesson00.q2, 0, capsys, "as a string")
    from cnnkit.device import set_seed

    set_seed(0)
    first, second = np.random.rand(2), np.random.rand(2)
    passes(lesson00.q3, bool(np.array_equal(first, second)), capsys)
    fails(lesson00.q3, True, capsys, "not True: the second draw takes the next numbers")
    fails(lesson00.q3, "no", capsys, "answer True or False")
    import keras

    a = keras.random.uniform((3,), seed=1).numpy()
    np.random.rand(5)
    b = keras.random.uniform((3,), seed=1).numpy()
    passes(lesson00.q4, bool(np.array_equal(a, b)), capsys)     # an int seed is stateless
    fails(lesson00.q4, False, capsys, "not False: with an int seed")


def test_lesson01(capsys):
    half = np.zeros((64, 64), np.uint8)
    half[:, 32:] = 255
    passes(lesson01.q1, half, capsys)
    fails(lesson01.q1, half.astype(np.float32), capsys, "dtype uint8")
    fails(lesson01.q1, half[:, ::-1], capsys, "left half")
    fails(lesson01.q1, np.zeros((64, 64, 3), np.uint8), capsys, "shape (64, 64, 3)")
    rgb = load_image("astronaut")
    names = ["red", "green", "blue"]
    brightest = names[int(np.argmax(rgb.reshape(-1, 3).mean(axis=0)))]
    passes(lesson01.q2, brightest, capsys)
    fails(lesson01.q2, next(n for n in names if n != brightest), capsys, "another channel is brighter")
    fails(lesson01.q2, "yellow", capsys, "one of")
    passes(lesson01.q3, 255 - rgb, capsys)
    fails(lesson01.q3, (1.0 - rgb / 255.0), capsys, "expected uint8")
    fails(lesson01.q3, rgb, capsys, "not the negative")
    passes(lesson01.q4, (np.array([250], np.uint8) + np.array([50], np.uint8))[0], capsys)
    fails(lesson01.q4, 300, capsys, "expected 44, got 300")


def test_lesson02(capsys):
    x = np.zeros((32, 32))
    sides = (conv2d(x, np.ones((5, 5)), stride=3).shape[0],
             conv2d(x, np.ones((5, 5)), stride=3, padding="same").shape[0])
    passes(lesson02.q1, sides, capsys)
    fails(lesson02.q1, (9, 11), capsys, "most at index (0,)")
    diagonal = np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], dtype=np.float32)
    passes(lesson02.q2, diagonal, capsys)
    fails(lesson02.q2, get("sobel_x"), capsys, "at least as strongly to a vertical")
    fails(lesson02.q2, -diagonal, capsys, "does not respond to a diagonal edge")
    fails(lesson02.q2, get("emboss"), capsys, "weights sum to 1")
    fails(lesson02.q2, np.ones((5, 5)), capsys, "3×3 kernel")
    passes(lesson02.q3, get("sobel_x")[::-1, ::-1], capsys)
    fails(lesson02.q3, get("sobel_x"), capsys, "values differ")
    # multi-channel by hand, checked against Keras Conv2D (three different kernels per channel, a bias)
    import keras

    w, k, b = lesson02.WINDOW, lesson02.KERNEL, lesson02.BIAS
    assert w.shape == k.shape == (3, 3, 3) and not np.allclose(k[:, :, 0], k[:, :, 1])
    by_hand = sum(float((w[:, :, c] * k[:, :, c]).sum()) for c in range(3)) + b
    layer = keras.layers.Conv2D(1, 3)
    layer.build((None, 3, 3, 3))
    layer.set_weights([k[:, :, :, None], np.array([b], np.float32)])
    assert layer(w[None]).numpy().ravel()[0] == pytest.approx(by_hand, abs=1e-4)
    passes(lesson02.q4, by_hand, capsys)
    fails(lesson02.q4, by_hand - b, capsys, "expected")                          # the bias forgotten
    fails(lesson02.q4, float((w[:, :, 0] * k[:, :, 0]).sum()) * 3 + b, capsys, "expected")   # the grey-bank mistake


def test_lesson03(capsys):
    passes(lesson03.q1, pool2d(lesson03.FMAP, size=3, stride=2), capsys)
    fails(lesson03.q1, pool2d(lesson03.FMAP, size=2), capsys, "expected shape (1, 1), got shape (2, 2)")
    window = np.array([[0, 0], [0, 8]], np.float32)
    passes(lesson03.q2, (pool2d(window, 2)[0, 0], pool2d(window, 2, mode="average")[0, 0]), capsys)
    fails(lesson03.q2, (8, 8), capsys, "expected 2, got 8")
    passes(lesson03.q3, (5, 224 * 224 // (7 * 7)), capsys)
    fails(lesson03.q3, (5, 32), capsys, "expected 1024, got 32")
