"""Exercises of lesson 09 (music genres): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> from cnnkit.exercises import lesson09
    >>> lesson09.q1.check((9, 3))
    ✓ Correct.
    True
    >>> lesson09.q4.check(["EQ", "tone"])
    ✓ Correct.
    True
"""
from cnnkit.exercises._core import Exercise, choose

q1 = Exercise(
    "A 15-second song at 22,050 Hz, framed every HOP = 1024 samples (centred frames), has a mel spectrogram of "
    "1 + ⌊330750 / 1024⌋ = 323 frames. You cut slices of WIDTH = 64 frames, a new one every 32 frames (the training "
    "overlap). How many slices do you get, and how many frames at the end belong to no slice? Answer "
    "(slices, dropped frames), then check with audio.slice_spectrogram.",
    expected=(9, 3),
    hint="Slice i starts at frame 32 · i and must end by the last frame: 32 · i + 64 ≤ 323.",
    solution="""n = (323 - 64) // 32 + 1                      # 9 slices: the last starts at frame 256
dropped = 323 - ((n - 1) * 32 + 64)              # 3 frames after frame 320
answer = (n, dropped)
print(answer, len(audio.slice_spectrogram(np.zeros((8, 323)), width=64, hop=32)))""",
)

q2 = Exercise(
    "Every song gives 5 slices, and a slice-wise split sends each slice to test with probability 0.25, "
    "independently. What share of the test slices come from a song with at least one slice in training? "
    "(Three decimals.)",
    expected=1 - 0.25 ** 4, rtol=0, atol=6e-4,
    hint="A test slice has no sibling in training only if the song's 4 other slices all went to test too.",
    solution="""answer = 1 - 0.25 ** 4          # 0.996: section 4 measures about the same on the real slices
print(round(answer, 3))""",
)

q3 = Exercise(
    "A CNN classifies 57 of its 60 test songs right (and 270 of their 300 slices). Give the 95 % Wilson interval of "
    "its song accuracy, (low, high), to two decimals: the songs are the independent draws, not the slices. Check "
    "with evaluation.wilson_interval and scipy.stats.binomtest(57, 60).proportion_ci(method='wilson').",
    expected=(0.863, 0.983), rtol=0, atol=0.006,
    hint="Wilson: centre (p + z²/2n) / (1 + z²/n), half-width z·√(p(1 − p)/n + z²/4n²) / (1 + z²/n), "
         "with p = 57/60, n = 60, z = 1.96.",
    solution="""p, n, z = 57 / 60, 60, 1.96
centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / (1 + z ** 2 / n)
answer = (centre - half, centre + half)          # (0.863, 0.983)
print(answer, evaluation.wilson_interval(57, 60))
# Wald's p ± 1.96·√(p(1 − p)/n) gives (0.895, 1.005): past 100 %. Counting the 300 slices as independent
# would make it far too narrow.""",
)

q4 = Exercise(
    "Reasoning, Sturm's horse test on the synthetic genres: which of these changes to a test song should leave "
    "the answer of a classifier that hears the genre the way the synthesiser defines it unchanged? Answer the "
    "list of names from 'drums' (drums muted), 'instruments' (swapped with another genre's), 'tempo' "
    "(× 0.8), 'EQ' (a ±1.5 dB/octave tilt), 'tone' (a steady tone 10 dB below the music).",
    test=choose(["eq", "tone"], ["drums", "instruments", "tempo", "eq", "tone"], why={
        "drums": "each synthetic genre has its own drum pattern (four-on-the-floor, backbeat, one drop…): muting "
                 "them takes genre information away, so a drop there is not a horse.",
        "instruments": "each genre has its own instruments: swapping them changes a cue the genre is made of.",
        "tempo": "each synthetic genre has its own tempo range, so tempo is a genre cue here (on real music, "
                 "Sturm, Kereliuk & Larsen found a system whose accuracy fell or rose sharply with tempo changes of "
                 "at most ±6 %).",
        "eq": "an EQ changes the recording's tone, not a note, a drum or the rhythm.",
        "tone": "a steady tone is in no genre's recipe: a system that follows it is a horse.",
    }),
    hint="Ask of each change: is it part of how make_songs builds a genre (the STYLES table), or only of how "
         "the song was recorded?",
    solution="""answer = ["EQ", "tone"]
# drums, instruments and tempo are ingredients of the synthetic genres: removing them may lower accuracy
# honestly. An EQ tilt and an unrelated tone change nothing a genre is made of, so a system whose answers
# move with them uses something other than the music: section 10 measures both.""",
)
