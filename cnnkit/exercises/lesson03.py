"""Exercises of lesson 03 (pooling): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

``FMAP5`` is the 5×5 map of the overlapping-pooling exercise (``q1``).

    >>> from cnnkit.exercises import lesson03
    >>> lesson03.q3.check((5, 1024))
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise, choose

FMAP5 = np.array([[1, 0, 2, 1, 0],
                  [3, 8, 0, 4, 1],
                  [0, 2, 5, 1, 3],
                  [1, 6, 0, 2, 0],
                  [2, 0, 1, 7, 1]], dtype=np.float32)     #: a 5×5 feature map whose 3×3 windows overlap

_POOLED = np.array([[8.0, 5.0], [6.0, 7.0]])             # 3×3 windows, stride 2: rows/columns 0..2 and 2..4


def _overlap_test(answer):
    problem = Exercise("the pooled map", expected=_POOLED)._problem(answer)
    if problem is None:
        return None
    shape = np.shape(answer)
    if shape == (3, 3):
        a = np.asarray(answer, dtype=float)
        if np.array_equal(a, [[FMAP5[r:r + 3, c:c + 3].max() for c in range(3)] for r in range(3)]):
            return "that is stride 1 (3×3 windows at every position); with stride 2 the windows start at 0 and 2."
        return ("a 3×3 result has windows hanging over the border ('same' padding); without padding a 3×3 window "
                "with stride 2 fits ⌊(5 − 3)/2⌋ + 1 = 2 times per side.")
    if shape == (1, 1) or shape == ():
        return "with stride 2 a 3×3 window fits twice per side, at 0 and at 2: ⌊(5 − 3)/2⌋ + 1 = 2."
    if shape == (2, 2):
        a = np.asarray(answer, dtype=float)
        if np.array_equal(a, [[8, 4], [6, 5]]):
            return "those are 2×2 windows; the windows here are 3×3 and overlap in row 2 and column 2."
        if np.allclose(a, [[FMAP5[r:r + 3, c:c + 3].mean() for c in (0, 2)] for r in (0, 2)]):
            return "those are the windows' averages; max pooling keeps each window's largest value."
    return problem


q1 = Exercise(
    "Overlapping pooling: compute a 3×3 max pool with stride 2 of the 5×5 map `ex.FMAP5` by hand (answer the "
    "pooled array), then check with pool2d and keras.layers.MaxPooling2D(3, strides=2).",
    test=_overlap_test,
    hint="How many 3×3 windows fit with stride 2 on a side of 5? ⌊(5 − 3)/2⌋ + 1. Row 2 and column 2 belong to "
         "two windows each.",
    solution="""fmap5 = ex.FMAP5
answer = np.array([[fmap5[r:r + 3, c:c + 3].max() for c in (0, 2)] for r in (0, 2)])
print(answer)
print(pool2d(fmap5, size=3, stride=2))
print(keras.layers.MaxPooling2D(3, strides=2)(fmap5[None, :, :, None]).numpy()[0, :, :, 0])
# The 5 at the centre is counted by all four windows and wins the top-right one.""",
)

q2 = Exercise(
    "Max vs average: a 2×2 window holds one strong, isolated response, [[0, 0], [0, 8]]. What do max and "
    "average pooling keep? Answer (max, average).",
    expected=(8.0, 2.0),
    hint="The mean of four numbers of which three are 0.",
    solution="""window = np.array([[0, 0], [0, 8]], dtype=np.float32)
answer = (float(window.max()), float(window.mean()))
print("max keeps", answer[0], "| average keeps", answer[1], "(the response diluted 4×)")
# Max keeps a strong, isolated response whole; average dilutes it by the window's size. Both forgive the
# response moving inside the window (section 5 measures how much).""",
)

q3 = Exercise(
    "How many 2×2 pools bring a 224×224 map down to 7×7, and by how much does that divide the weights of a dense "
    "layer with 512 units reading 64 maps? Answer (pools, factor).",
    expected=(5, 1024),
    hint="224 / 7 = 32 = 2 to the power of …; the dense weights scale with H × W.",
    solution="""pools = int(np.log2(224 // 7))
factor = (224 * 224 * 64 * 512) // (7 * 7 * 64 * 512)
answer = (pools, factor)
print(answer)                                           # (5, 1024): 32² = 1024""",
)

POOLINGS = ["subsample", "max", "average"]   #: the operations of q4

q4 = Exercise(
    "Reasoning, aliasing: a feature map of vertical stripes one pixel wide (x[:, j] = j % 2) moves one pixel "
    "to the right. Which of 'subsample' (x[::2, ::2]), 'max' (2×2 max pool) and 'average' (2×2 average "
    "pool) give exactly the same output before and after the shift? Predict, answer the list of names, then "
    "check with pool2d.",
    test=choose(["max", "average"], POOLINGS, why={
        "subsample": "Subsampling keeps the even columns: all 0 before the shift, all 1 after it.",
        "max": "Every 2×2 window holds one 0-column and one 1-column, before and after: the max is 1 both times.",
        "average": "Every 2×2 window holds one 0-column and one 1-column: the mean is 0.5 both times."}),
    hint="Write out one row, 0 1 0 1 0 1, and the same row shifted, 1 0 1 0 1 0. What does each operation keep?",
    solution="""x = np.tile(np.arange(8) % 2, (8, 1)).astype(np.float32)   # stripes: 0 1 0 1 ...
moved = np.roll(x, 1, axis=1)                                    # one pixel to the right
outputs = {"subsample": lambda f: f[::2, ::2], "max": lambda f: pool2d(f, 2),
           "average": lambda f: pool2d(f, 2, mode="average")}
for name, pool in outputs.items():
    print(f"{name:>9}: before {pool(x)[0]}, after {pool(moved)[0]}")
answer = [name for name, pool in outputs.items() if np.array_equal(pool(x), pool(moved))]
print(answer)
# Subsampling without looking at the neighbours aliases: a pattern finer than its step flips completely with a
# one-pixel shift. Aggregating over the window (max or mean) first removes that; blurring before subsampling
# (Zhang 2019, section 5) is the same idea.""",
)
