"""Exercises of lesson 01 (images as matrices): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> import numpy as np
    >>> from cnnkit.exercises import lesson01
    >>> lesson01.q4.check((np.array([250], np.uint8) + np.array([50], np.uint8))[0])
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise


def _half_test(answer):
    a = np.asarray(answer)
    if a.shape != (64, 64):
        return f"expected a 64×64 matrix (H×W, one channel), got shape {a.shape}."
    if a.dtype != np.uint8:
        return f"expected dtype uint8 (0..255), got {a.dtype}."
    if (a[:, :32] != 0).any():
        return "the left half (columns 0..31) must be 0 (black) everywhere."
    if (a[:, 32:] != 255).any():
        return "the right half (columns 32..63) must be 255 (white) everywhere."
    return None


q1 = Exercise(
    "Make a 64×64 image that is black on the left half and white on the right half. "
    "What shape and dtype does it need?",
    test=_half_test,
    hint="Start from np.zeros((64, 64), dtype=np.uint8) and set the right half with slicing.",
    solution="""half = np.zeros((64, 64), dtype=np.uint8)
half[:, 32:] = 255
print(half.shape, half.dtype, half[0, 30:34])           # (64, 64) uint8 [  0   0 255 255]
fig = viz.show_images([half], titles=["black | white"])
plt.show()
answer = half""",
)


def _astronaut():
    from cnnkit.images import load_image

    return load_image("astronaut")


def _brightest_test(answer):
    names = ["red", "green", "blue"]
    if answer not in names:
        return f"answer with one of {names}, got {answer!r}."
    means = _astronaut().reshape(-1, 3).mean(axis=0)
    best = names[int(np.argmax(means))]
    if answer != best:
        return f"{answer} averages {means[names.index(answer)]:.1f}, but another channel is brighter on average."
    return None


q2 = Exercise(
    "Which channel of the astronaut photo is brightest on average: 'red', 'green' or 'blue'? Compute the means.",
    test=_brightest_test,
    hint="rgb.mean(axis=(0, 1)) gives the three channel means at once.",
    solution="""means = rgb.mean(axis=(0, 1))
print({name: round(float(m), 1) for name, m in zip(["red", "green", "blue"], means)})
answer = ["red", "green", "blue"][int(np.argmax(means))]
print("brightest:", answer)""",
)


def _negative_test(answer):
    a = np.asarray(answer)
    rgb = _astronaut()
    if a.shape != rgb.shape:
        return f"expected the photo's shape {rgb.shape}, got {a.shape}."
    if a.dtype != np.uint8:
        return f"expected uint8 like the photo, got {a.dtype} (did you compute on floats?)."
    if not np.array_equal(a, 255 - rgb):
        return "not the negative: black (0) must become white (255) and white black."
    return None


q3 = Exercise(
    "Make the astronaut photo's negative (dark becomes bright) with one line of arithmetic on the uint8 pixels.",
    test=_negative_test,
    hint="Which number minus 0 gives 255, and minus 255 gives 0?",
    solution="""answer = 255 - rgb                                      # stays in 0..255, no overflow
negative_float = 1.0 - scaled                           # the same on floats in [0, 1]
print(answer.dtype, np.array_equal(answer, (negative_float * 255).round().astype(np.uint8)))""",
)

q4 = Exercise(
    "Reasoning: why is `255 - rgb` safe on uint8 pixels but `rgb + 50` is not? Compute the uint8 sum 250 + 50 "
    "(np.array([250], np.uint8) + np.array([50], np.uint8)).",
    expected=44,
    hint="A uint8 holds 0..255; results are taken modulo 256.",
    solution="""answer = (np.array([250], np.uint8) + np.array([50], np.uint8))[0]
print(answer)                                           # 300 - 256 = 44, no error, no warning
# 255 - x stays in 0..255 for every x in 0..255; x + 50 goes past 255 for x > 205 and wraps around,
# so bright pixels turn dark. Convert to a wider type (or to float) first: np.clip(rgb.astype(int) + 50, 0, 255).""",
)
