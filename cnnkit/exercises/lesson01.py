"""Exercises of lesson 01 (images as matrices): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> from cnnkit.exercises import lesson01
    >>> lesson01.q4.check(["a", "c"])
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise, choose


def _half_test(answer):
    a = np.asarray(answer)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]                                              # H×W×1 is the same gray image
    if a.shape != (64, 64):
        return f"expected a 64×64 matrix (H×W, one channel), got shape {a.shape}."
    if a.dtype == np.uint8:
        white = 255
    elif a.dtype == bool:
        white = True
    elif np.issubdtype(a.dtype, np.floating):
        white = 1.0
        if a.max() > 1:
            return (f"a float image lives on the 0..1 scale (white is 1.0), but yours reaches {a.max():g}: "
                    "use uint8 for 0..255, or divide by 255.")
    else:
        return (f"dtype {a.dtype} is not an image dtype: use uint8 (0 black … 255 white) or float "
                "(0.0 black … 1.0 white).")
    if a.dtype == np.uint8 and a.max() == 1:
        return "on the uint8 scale white is 255; 1 is almost black."
    black, bright = a == 0, a == white
    if black[:32].all() and bright[32:].all():
        return "that is black on top and white below: the halves are the columns, a[:, 32:], not the rows."
    if bright[:, :32].all() and black[:, 32:].all():
        return "the other way round: the LEFT half is black."
    if not black[:, :32].all():
        column = int(np.argmin(black.all(0)[:32]))
        return f"the left half (columns 0..31) must be 0 (black) everywhere; column {column} is not."
    if not bright[:, 32:].all():
        column = 32 + int(np.argmin(bright.all(0)[32:]))
        return f"the right half (columns 32..63) must be white ({white!r}) everywhere; column {column} is not."
    return None


q1 = Exercise(
    "Make a 64×64 grayscale image that is black on the left half and white on the right half. "
    "What shape and dtype does it need? (Either pixel convention of this lesson will do: uint8 in 0..255 or "
    "float in [0, 1].)",
    test=_half_test,
    hint="Start from np.zeros((64, 64), dtype=np.uint8) and set the right half by slicing (rows first, columns "
         "second).",
    solution="""half = np.zeros((64, 64), dtype=np.uint8)
half[:, 32:] = 255                                      # every row, columns 32..63
print(half.shape, half.dtype, half[0, 30:34])           # (64, 64) uint8 [  0   0 255 255]
fig = viz.show_images([half, half / 255.0], titles=["uint8: 0 | 255", "float: 0.0 | 1.0"])
plt.show()
answer = half                                           # half / 255.0 is the same picture""",
)

_CHANNELS = ["red", "green", "blue"]


def _astronaut():
    from cnnkit.images import load_image

    return load_image("astronaut")


def _brightest_test(answer):
    means = _astronaut().reshape(-1, 3).mean(axis=0)
    why = {name: f"{name} averages {m:.1f}, but another channel is brighter on average."
           for name, m in zip(_CHANNELS, means)}
    return choose(_CHANNELS[int(np.argmax(means))], _CHANNELS, why=why)(answer)


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
    if a.dtype == np.uint8:
        if np.array_equal(a, 255 - rgb):
            return None
        if np.array_equal(a, (256 - rgb.astype(int)) % 256):
            return "-rgb wraps around on uint8 (0 stays 0, 1 becomes 255): black must become 255."
        return "not the negative: black (0) must become white (255) and white black."
    if np.issubdtype(a.dtype, np.floating):
        if a.max() > 1 or a.min() < 0:
            return (f"a float image lives on the 0..1 scale, yours spans {a.min():g}..{a.max():g}: compute "
                    "255 - rgb on uint8, or 1 - rgb / 255 on floats.")
        if np.allclose(a, 1 - rgb / 255.0, atol=0.5 / 255):
            return None
        return "not the negative: black (0.0) must become white (1.0) and white black."
    return (f"dtype {a.dtype} is not an image dtype: keep uint8 like the photo (255 - rgb stays uint8), or "
            "use floats in [0, 1].")


q3 = Exercise(
    "Make the astronaut photo's negative (dark becomes bright) with one line of arithmetic on the uint8 pixels.",
    test=_negative_test,
    hint="Which number minus 0 gives 255, and minus 255 gives 0?",
    solution="""answer = 255 - rgb                                      # stays in 0..255, no overflow
negative_float = 1.0 - scaled                           # the same picture on floats in [0, 1]
print(answer.dtype, np.array_equal(answer, (negative_float * 255).round().astype(np.uint8)))""",
)

_OPERATIONS = {"a": "255 - rgb", "b": "rgb + 50", "c": "rgb // 2", "d": "rgb * 2", "e": "rgb - 10"}

q4 = Exercise(
    "Reasoning: which of these are safe on uint8 pixels (0..255), that is, never wrap around? "
    "(a) 255 - rgb, (b) rgb + 50, (c) rgb // 2, (d) rgb * 2, (e) rgb - 10. Answer the list of letters, "
    "e.g. ['b', 'e']. Decide first, then test your verdict on np.array([0, 5, 200, 250, 255], np.uint8).",
    test=choose(["a", "c"], list(_OPERATIONS), why={
        "a": "255 - x lies in 0..255 for every x in 0..255: it never wraps.",
        "b": "250 + 50 = 300 does not fit in a uint8: it wraps to 44.",
        "c": "Halving gives 0..127: it never wraps.",
        "d": "200 * 2 = 400 wraps to 144.",
        "e": "5 - 10 = -5 wraps to 251.",
    }),
    hint="For each one, try the extremes 0 and 255: does the result stay in 0..255?",
    solution="""x = np.array([0, 5, 200, 250, 255], np.uint8)
for letter, (uint8_result, exact) in {"a": (255 - x, 255 - x.astype(int)), "b": (x + 50, x.astype(int) + 50),
                                      "c": (x // 2, x.astype(int) // 2), "d": (x * 2, x.astype(int) * 2),
                                      "e": (x - 10, x.astype(int) - 10)}.items():
    print(letter, uint8_result, "safe" if np.array_equal(uint8_result, exact) else f"wraps (exact: {exact})")
answer = ["a", "c"]
# uint8 arithmetic is taken modulo 256, with no error and no warning: 250 + 50 gives 44, so bright pixels turn dark.
# Convert to a wider type (or to float) first: np.clip(rgb.astype(int) + 50, 0, 255).astype(np.uint8).""",
)
