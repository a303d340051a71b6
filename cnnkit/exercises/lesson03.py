"""Exercises of lesson 03 (pooling): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> from cnnkit.exercises import lesson03
    >>> lesson03.q3.check((5, 1024))
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise

FMAP = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [2, 6, 3, 1]], dtype=np.float32)  #: the lesson's 4×4 map

q1 = Exercise(
    "Overlapping pooling: compute a 3×3 max pool with stride 2 of the 4×4 `fmap` by hand (answer the pooled "
    "array), then check with pool2d and keras.layers.MaxPooling2D(3, strides=2).",
    expected=np.array([[7.0]]),
    hint="How many 3×3 windows fit with stride 2 on a side of 4? ⌊(4 − 3)/2⌋ + 1.",
    solution="""answer = np.array([[fmap[:3, :3].max()]])               # the only window: the top-left 3×3
print(answer, pool2d(fmap, size=3, stride=2))
print(keras.layers.MaxPooling2D(3, strides=2)(fmap[None, :, :, None]).numpy()[0, :, :, 0])""",
)

q2 = Exercise(
    "Reasoning, max vs average pooling: a 2×2 window holds one strong, isolated response, [[0, 0], [0, 8]]. "
    "What do max and average pooling keep? Answer (max, average). Then repeat the translation measurement with "
    "average pooling: is it more or less invariant than max pooling?",
    expected=(8.0, 2.0),
    hint="The mean of four numbers of which three are 0.",
    solution="""window = np.array([[0, 0], [0, 8]], dtype=np.float32)
answer = (float(window.max()), float(window.mean()))
print("max keeps", answer[0], "| average keeps", answer[1], "(the response diluted 4×)")
for size in (2, 4, 8):
    for mode in ("max", "average"):
        changes = [relative_change(pool2d(original, size, mode=mode), pool2d(s, size, mode=mode)) for s in shifted_1px]
        print(f"{size}×{size} {mode:>7}: change after 1 px {np.mean(changes):.0%}")
# Both forgive shifts that are small compared with the window, by similar amounts (compare the printed pairs).
# What differs is what they keep: max keeps a strong, isolated response whole; average dilutes it.""",
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
