"""Lessons 09 and 10's exercises: each accepts the right answer in its equivalent forms and refuses the plausible
wrong ones; every expected value is also computed here with the library the notebook checks against."""
import numpy as np
import pytest
from scipy import stats

from cnnkit.exercises import lesson09, lesson10
from cnnkit.music import audio
from cnnkit.music import recommend as rec
from cnnkit.music.evaluation import wilson_interval


def _ok(q, answer, capsys):
    right = q.check(answer)
    capsys.readouterr()
    return right


# ---------------------------------------------------------------- lesson 09
def test_q1_slices_match_the_slicer(capsys):
    n = len(audio.slice_spectrogram(np.zeros((8, 323)), width=64, hop=32))
    dropped = 323 - ((n - 1) * 32 + 64)
    for right in [(n, dropped), [9, 3], np.array([9, 3]), (9.0, 3.0)]:
        assert _ok(lesson09.q1, right, capsys)
    # padding, no overlap, 323 % 32, ⌊330750 / 1024⌋ = 322 frames (the centred frame forgotten), the pair swapped…
    for wrong in [(10, 0), (5, 3), (9, 35), (8, 35), (10, 3), (9, 2), (3, 9), 9, "9, 3"]:
        assert not _ok(lesson09.q1, wrong, capsys)


def test_q2_sibling_share_matches_a_simulation(capsys):
    rng = np.random.default_rng(0)
    to_test = rng.random((200_000, 5)) < 0.25
    with_sibling = (~to_test[:, 1:]).any(axis=1)[to_test[:, 0]].mean()     # slice 0 in test: a sibling in train?
    assert abs(with_sibling - lesson09.q2.expected) < 2e-3
    for right in [0.996, 0.9961, 1 - 0.25 ** 4, np.float32(0.996)]:
        assert _ok(lesson09.q2, right, capsys)
    for wrong in [0.75, 0.25 ** 4, 1 - 0.25 ** 5, 1 - 0.75 ** 4, 0.999, 1.0, 99.6, "0.996", True]:
        assert not _ok(lesson09.q2, wrong, capsys)


def test_q3_wilson_matches_scipy(capsys):
    ci = stats.binomtest(57, 60).proportion_ci(method="wilson")
    np.testing.assert_allclose(wilson_interval(57, 60), (ci.low, ci.high))
    for right in [(ci.low, ci.high), [0.86, 0.98], np.array([0.863, 0.983]), wilson_interval(57, 60)]:
        assert _ok(lesson09.q3, right, capsys)
    p = 57 / 60
    wald = (p - 1.96 * np.sqrt(p * (1 - p) / 60), p + 1.96 * np.sqrt(p * (1 - p) / 60))
    slices = wilson_interval(270, 300)
    slice_wald = (0.9 - 1.96 * np.sqrt(0.09 / 300), 0.9 + 1.96 * np.sqrt(0.09 / 300))
    exact = stats.binomtest(57, 60).proportion_ci(method="exact")               # Clopper-Pearson, not Wilson
    corrected = stats.binomtest(57, 60).proportion_ci(method="wilsoncc")         # Wilson with continuity correction
    jeffreys = stats.beta.ppf([0.025, 0.975], 57.5, 3.5)
    for wrong in [wald, slices, slice_wald, (0.95, 0.95), 0.95, (0.9, 1.0), (exact.low, exact.high), (0.86, 0.99),
                  (corrected.low, corrected.high), tuple(jeffreys), (86.3, 98.3), (0.983, 0.863)]:
        assert not _ok(lesson09.q3, wrong, capsys)


def test_q4_horse_verdict(capsys):
    for right in [["eq", "tone"], ("tone", "EQ"), {" Eq ", "TONE"}]:
        assert _ok(lesson09.q4, right, capsys)
    for wrong in [["eq"], ["tone"], ["drums", "eq", "tone"], ["tempo", "eq", "tone"], ["instruments"], [],
                  "eq", ["eq", "pitch"]]:
        assert not _ok(lesson09.q4, wrong, capsys)
    lesson09.q4.check(["tempo", "eq", "tone"])
    assert "own tempo range" in capsys.readouterr().out                 # says why tempo is a genre cue here


# ---------------------------------------------------------------- lesson 10
def test_q1_lift(capsys):
    relevant = np.zeros((1, 116), bool)
    relevant[0, 0] = True
    expected = 0.48 / rec.random_hit_rate(relevant, k=10)
    assert np.isclose(expected, lesson10.q1.expected)
    for right in [expected, 5.6, 5.57, 0.48 * 11.6, np.float32(5.6)]:
        assert _ok(lesson10.q1, right, capsys)
    relative = (0.48 - 10 / 116) / (10 / 116)                          # the improvement, not the ratio
    with_replacement = 0.48 / (1 - (115 / 116) ** 10)                  # ten independent draws, not without replacement
    for wrong in [0.48, 4.8, 0.48 * 10, 5.7, 1 / expected, relative, with_replacement, 5.5, 10 / 116, "5.6"]:
        assert not _ok(lesson10.q1, wrong, capsys)


def test_q2_denominator_matches_popularity_bias(capsys):
    plays = np.zeros((100, 3), dtype=int)
    plays[:60, 0] = plays[:40, 1] = 1                                  # songs 0, 1 warm; song 2 new (no listeners)
    top = np.array([[0], [1]] * 50)                                    # a blind recommender of the warm songs
    everything = rec.popularity_bias(top, plays)["popularity_lift"]
    pooled = rec.popularity_bias(top, plays, candidates=[True, True, False])["popularity_lift"]
    assert np.isclose(everything, 1.5) and np.isclose(pooled, 1.0)
    for right in [1.5, 3 / 2, np.float32(1.5), 1.50]:
        assert _ok(lesson10.q2, right, capsys)
    for wrong in [1.0, 2 / 3, 3.0, 0.5, "1.5"]:
        assert not _ok(lesson10.q2, wrong, capsys)


def test_q3_one_target_is_not_enough(capsys):
    assert _ok(lesson10.q3, False, capsys) and _ok(lesson10.q3, np.False_, capsys)
    for wrong in [True, "no", 0, "False", None]:
        assert not _ok(lesson10.q3, wrong, capsys)


def test_q4_pools_and_oracles_statements_hold(capsys):
    # (c) and (d), computed: shrinking the pool raises the hit rate of the same scores; on one pool lift = hit / chance
    genres = np.repeat(np.arange(4), 15)
    plays = rec.make_listening_histories(300, genres, songs_per_user=10, seed=0)
    split = rec.cold_start_split(plays, n_cold=24, seed=0)
    relevant, others = rec.leave_one_out(split.test, seed=0)
    scores = {"genre tag": rec.genre_scores(split.train, genres), "popularity": rec.popularity_scores(split.train)}
    wide = rec.hit_rate_at_k(scores["genre tag"], relevant, k=5, exclude=others, seed=0)
    narrow = rec.hit_rate_at_k(scores["genre tag"], relevant, k=5, candidates=split.cold_mask, exclude=others, seed=0)
    assert narrow > wide
    table = rec.compare_on_pool(scores, relevant, k=5, candidates=split.cold_mask, exclude=others, seed=0)
    assert list(table.sort_values("hit_rate").index) == list(table.sort_values("lift").index)
    # (b): the same scores on two pools give two lifts, so a lift from another pool ranks nothing
    wide_table = rec.compare_on_pool(scores, relevant, k=5, exclude=others, seed=0)
    assert not np.isclose(wide_table.loc["genre tag", "lift"], table.loc["genre tag", "lift"])
    for right in ["cd", "dc", "C, D", "c d", ["c", "d"], ("d", "c"), {"c", "d"}, ["C ", " d"]]:
        assert _ok(lesson10.q4, right, capsys)
    # the oracle taken for a result, pools compared across, one true statement forgotten, everything, nothing…
    for wrong in ["acd", "bcd", "abcd", "c", "d", "ab", "a", "", [], "cdx", "e", 3, None, True]:
        assert not _ok(lesson10.q4, wrong, capsys)
    lesson10.q4.check("acd")
    assert "release day" in capsys.readouterr().out                    # says why the oracle is no result
    lesson10.q4.check("bcd")
    assert "own pool" in capsys.readouterr().out


@pytest.mark.parametrize("module", [lesson09, lesson10])
def test_every_exercise_has_a_hint_and_a_solution(module, capsys):
    for name in ("q1", "q2", "q3", "q4"):
        q = getattr(module, name)
        q.hint()
        q.solution()
        out = capsys.readouterr().out
        assert "Hint:" in out and "answer" in out
