"""Lesson 08's exercises: the expected answers are the library's, and wrong answers are told apart."""
import numpy as np

from cnnkit.exercises import lesson08
from cnnkit.medical import grading


def test_image_split_leak_counts_twins_and_rejects_zero(capsys):
    labels = np.arange(200) % 5
    q = lesson08.image_split_leak(labels, seed=3)
    assert q.expected > 0 and q.check(q.expected) and not q.check(0)
    assert "✗ Not yet" in capsys.readouterr().out


def test_screening_threshold_by_hand_equals_the_library():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 5, 120)
    s = rng.random(120) + 0.5 * (y >= 2)
    q = lesson08.screening_threshold(y, s, sensitivity=0.9)
    ref = np.sort(s[y >= 2])[::-1]
    by_hand = ref[int(np.ceil(0.9 * (y >= 2).sum())) - 1]
    assert q.check(by_hand) and not q.check(by_hand + 0.01)


def test_threshold_on_test_meets_its_target_by_construction():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 5, 150)
    s = rng.random(150) + 0.3 * (y >= 2)
    q = lesson08.threshold_on_test(y, s, sensitivity=0.975)
    assert q.expected >= 0.975 and q.check(q.expected)
    t = grading.operating_threshold(y, s, sensitivity=0.975)
    assert q.check(grading.sensitivity_specificity_at(y, s, t)[0])
