"""Exercises of lesson 02 (convolution): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

``WINDOW``, ``KERNEL`` and ``BIAS`` are the data of the multi-channel exercise (``q4``).

    >>> from cnnkit.exercises import lesson02
    >>> lesson02.q1.check((10, 11))
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise
from cnnkit.kernels import get as _kernel

q1 = Exercise(
    "Predict the output side of a 5×5 kernel with stride 3 on a 32×32 image, with 'valid' and with 'same' "
    "padding. Answer (valid_side, same_side), then check with conv2d.",
    expected=(10, 11),
    hint="'valid': ⌊(n − k)/s⌋ + 1; 'same': ⌈n/s⌉.",
    solution="""answer = ((32 - 5) // 3 + 1, -(-32 // 3))
x = np.zeros((32, 32))
print(answer, conv2d(x, np.ones((5, 5)), stride=3).shape, conv2d(x, np.ones((5, 5)), stride=3, padding="same").shape)
# (10, 11) (10, 10) (11, 11)""",
)


def _edges(n=9):
    i, j = np.mgrid[0:n, 0:n]
    return {"diagonal": (i + j >= n).astype(float), "vertical": (j >= n // 2).astype(float),
            "horizontal": (i >= n // 2).astype(float)}


def _diagonal_test(answer):
    from cnnkit.ops import conv2d

    k = np.asarray(answer, dtype=float)
    if k.shape != (3, 3):
        return f"expected a 3×3 kernel, got shape {k.shape}."
    if abs(k.sum()) > 1e-6:
        return f"its weights sum to {k.sum():g}: a flat region would not give 0, as an edge detector should."
    peak = {name: conv2d(image, k).max() for name, image in _edges().items()}
    if peak["diagonal"] <= 0:
        return "it does not respond to a diagonal edge with the top-left dark and the bottom-right bright."
    if peak["diagonal"] <= max(peak["vertical"], peak["horizontal"]):
        return (f"it responds at least as strongly to a vertical ({peak['vertical']:g}) or horizontal "
                f"({peak['horizontal']:g}) edge as to the diagonal one ({peak['diagonal']:g}).")
    return None


q2 = Exercise(
    "Design a 3×3 kernel that responds to diagonal edges (top-left dark, bottom-right bright) more than to "
    "vertical or horizontal ones, apply it to the photo and compare with sobel_x.",
    test=_diagonal_test,
    hint="Negative weights towards the top-left corner, positive towards the bottom-right, summing to 0.",
    solution="""answer = np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], dtype=np.float32)  # emboss minus its centre
print("weights sum:", answer.sum())
fig = viz.show_feature_maps([conv2d(photo, answer, padding="same"), filtered["sobel_x"]],
                            titles=["diagonal", "sobel_x"], ncols=2, shared=True, centered=True, colorbar=True)
plt.show()""",
)

q3 = Exercise(
    "A true (mathematician's) convolution flips the kernel first: k[::-1, ::-1]. What does the flip turn sobel_x "
    "into? Answer the flipped kernel, then compare conv2d with sobel_x and with its flip.",
    expected=-_kernel("sobel_x"),
    hint="Flip a matrix whose left column is negative and right column positive, left to right.",
    solution="""answer = kernels.get("sobel_x")[::-1, ::-1]
print(answer)                                           # -sobel_x: the flipped map is the negative
for name in ["sobel_x", "gaussian_blur"]:
    k = kernels.get(name)
    print(name, "flip changes nothing:", np.allclose(conv2d(photo, k), conv2d(photo, k[::-1, ::-1])))
# sobel_x False, gaussian_blur True (a symmetric kernel is its own flip)""",
)

_rng = np.random.default_rng(2)
WINDOW = _rng.integers(0, 10, size=(3, 3, 3)).astype(np.float32)       #: a 3×3 window of an RGB image
KERNEL = np.stack([_kernel("sobel_x"), -_kernel("sobel_x"), _kernel("sobel_y") / 2], axis=-1).astype(np.float32)
BIAS = 0.5

q4 = Exercise(
    "Reasoning, multi-channel convolution by hand: one filter of a Conv2D on an RGB input has a 3×3 kernel per "
    "channel (`KERNEL[:, :, c]`, all three different) and one bias. Compute its output on `WINDOW` (3×3×3) "
    "with `BIAS`: multiply per channel, add the three sums and the bias. Then check with keras Conv2D.",
    expected=float((WINDOW * KERNEL).sum() + BIAS),
    hint="out = Σ_c Σ_(r,s) WINDOW[r, s, c] · KERNEL[r, s, c] + BIAS: one number, not three.",
    solution="""from cnnkit.exercises.lesson02 import BIAS, KERNEL, WINDOW
per_channel = [float((WINDOW[:, :, c] * KERNEL[:, :, c]).sum()) for c in range(3)]
answer = sum(per_channel) + BIAS
layer = keras.layers.Conv2D(1, 3, name="one_filter")
layer.build((None, 3, 3, 3))
layer.set_weights([KERNEL[:, :, :, None], np.array([BIAS], np.float32)])
print("per channel:", per_channel, "+ bias", BIAS, "=", answer)
print("keras Conv2D:", float(layer(WINDOW[None]).numpy().ravel()[0]))""",
)
