"""Exercises of lesson 02 (convolution): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

``WINDOW``, ``KERNEL`` and ``BIAS`` are the data of the multi-channel exercise (``q3``); :func:`edge` draws the
soft edges on which the diagonal-kernel check (``q2``) scores a kernel.

    >>> from cnnkit.exercises import lesson02
    >>> lesson02.q1.check((10, 11))
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit._checks import Number, contract
from cnnkit.exercises._core import Exercise, choose
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

#: the edges the diagonal-kernel check scores, by the direction in which they get brighter (0° right, 90° down)
EDGES = {0: "a vertical edge, bright on the right", 45: "the diagonal edge, bright towards the bottom-right",
         90: "a horizontal edge, bright below", 135: "the other diagonal, bright towards the bottom-left",
         180: "a vertical edge, bright on the left", 225: "the same diagonal reversed, bright towards the top-left",
         270: "a horizontal edge, bright above", 315: "the other diagonal, bright towards the top-right"}
MARGIN = 1.15   #: the diagonal edge's response must beat every other edge's by this factor


@contract(angle=Number())
def edge(angle):
    """A 15×15 image of a straight, soft (anti-aliased) edge through its centre, getting brighter towards ``angle``.

    Args:
        angle: the direction in which the image gets brighter, in degrees: 0 right, 90 down (rows count
            downwards), 45 towards the bottom-right.

    Returns:
        A 15×15 float array in (0, 1): a logistic ramp about 1.4 pixels wide across the edge.

    Example:
        >>> e = edge(45)
        >>> bool(e[0, 0] < 0.01 and e[-1, -1] > 0.99 and abs(e[7, 7] - 0.5) < 1e-9)
        True
    """
    i, j = np.mgrid[0:15, 0:15] - 7.0
    t = np.deg2rad(angle)
    return 1 / (1 + np.exp(-(j * np.cos(t) + i * np.sin(t)) / 0.7))


def _not_a_kernel(answer):
    if isinstance(answer, (str, bytes, bool)):
        return f"expected a 3×3 array of weights, got {answer!r}."
    try:
        k = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"expected a 3×3 array of weights, got {type(answer).__name__}."
    if k.shape != (3, 3):
        return f"expected a 3×3 kernel, got shape {k.shape}."
    if not np.isfinite(k).all():
        return "the kernel holds NaN or infinite weights."
    return None


def _diagonal_test(answer):
    from cnnkit.ops import conv2d

    problem = _not_a_kernel(answer)
    if problem:
        return problem
    k = np.asarray(answer, dtype=float)
    if abs(k.sum()) > 1e-6 * max(1.0, np.abs(k).max()):
        return f"its weights sum to {k.sum():g}: a flat region would not give 0, as an edge detector's should."
    peak = {angle: float(conv2d(edge(angle), k).max()) for angle in EDGES}
    target = peak.pop(45)
    rival = max(peak, key=peak.get)
    if target <= 1e-9 * max(1.0, np.abs(k).max()):
        return f"it gives no positive response to {EDGES[45]}; it answers most to {EDGES[rival]}."
    if target < MARGIN * peak[rival]:
        return (f"it answers {EDGES[rival]} ({peak[rival]:.2f}) about as strongly as {EDGES[45]} "
                f"({target:.2f}; needed: {MARGIN}× more), so it does not single out that edge.")
    return None


q2 = Exercise(
    "Design a 3×3 edge detector (weights summing to 0, so a flat region gives 0) that responds to a diagonal edge "
    "that gets brighter towards the bottom-right (top-left dark, bottom-right bright) more than to any other edge, "
    "by at least 15 %: vertical, horizontal, the other diagonal, or the "
    "same diagonal with dark and bright swapped. Apply it to the photo and compare with sobel_x.",
    test=_diagonal_test,
    hint="Negative weights towards the top-left corner, positive towards the bottom-right, summing to 0. "
         "A kernel that reads the same after a half turn cannot tell dark→bright from bright→dark.",
    solution="""answer = np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], dtype=np.float32)  # emboss minus its centre
print("weights sum:", answer.sum())
for angle in (0, 45, 90, 225):                          # ex.edge(angle): the soft edges the check uses
    print(f"edge bright towards {angle:>3}°: strongest response {conv2d(ex.edge(angle), answer).max():.2f}")
fig = viz.show_feature_maps([conv2d(photo, answer, padding="same"), filtered["sobel_x"]],
                            titles=["diagonal", "sobel_x"], ncols=2, shared=True, centered=True, colorbar=True)
plt.show()
# It answers the 45° edge most, its neighbours at 0° and 90° less, the reversed edge (225°) not at all.""",
)

_rng = np.random.default_rng(2)
WINDOW = _rng.integers(0, 10, size=(3, 3, 3)).astype(np.float32)       #: a 3×3 window of an RGB image
KERNEL = np.stack([_kernel("sobel_x"), -_kernel("sobel_x"), _kernel("sobel_y") / 2], axis=-1).astype(np.float32)
BIAS = 0.5
_OUTPUT = float((WINDOW * KERNEL).sum() + BIAS)


def _multi_channel_test(answer):
    if isinstance(answer, (list, tuple, np.ndarray)) and np.size(answer) == 3:
        return "one filter gives ONE number per position: add the three channel sums, then the bias."
    problem = Exercise("the filter's output", expected=_OUTPUT, rtol=1e-4, atol=1e-4)._problem(answer)
    if problem is None:
        return None
    try:
        value = float(np.asarray(answer, dtype=float))
    except (TypeError, ValueError):
        return problem
    if np.isclose(value, _OUTPUT - BIAS, atol=1e-4):
        return "close: the bias is missing (it is added once, after the three channel sums)."
    if np.isclose(value, _OUTPUT + 2 * BIAS, atol=1e-4):
        return "the bias counts once per filter, not once per channel."
    return problem


q3 = Exercise(
    "Multi-channel convolution by hand: one filter of a Conv2D on an RGB input has a 3×3 kernel per channel "
    "(`KERNEL[:, :, c]`, all three different) and one bias. Compute its output on `WINDOW` (3×3×3) with "
    "`BIAS`: multiply per channel, add the three sums and the bias. Then check with keras Conv2D.",
    test=_multi_channel_test,
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

FLIP_NAMES = ["sobel_x", "sobel_y", "gaussian_blur", "laplacian", "sharpen", "emboss"]   #: the kernels of q4

q4 = Exercise(
    "Reasoning: a mathematician's convolution flips the kernel first (k[::-1, ::-1]); deep learning's does not. "
    f"For which of {', '.join(FLIP_NAMES)} does the flip change the feature map? Decide from each kernel's "
    "numbers (kernels.get(name)), answer the list of names, then check with conv2d.",
    test=choose([n for n in FLIP_NAMES if not np.array_equal(_kernel(n), _kernel(n)[::-1, ::-1])], FLIP_NAMES,
                why={"sobel_x": "Flipped, sobel_x becomes -sobel_x: its map changes sign.",
                     "sobel_y": "Flipped, sobel_y becomes -sobel_y: its map changes sign.",
                     "gaussian_blur": "It reads the same after a half turn: its flip is itself.",
                     "laplacian": "It reads the same after a half turn: its flip is itself.",
                     "sharpen": "It reads the same after a half turn: its flip is itself.",
                     "emboss": "Flipped, its dark-to-bright diagonal points the other way."}),
    hint="k[::-1, ::-1] turns the grid half a turn. Which kernels read the same after a half turn?",
    solution="""names = ["sobel_x", "sobel_y", "gaussian_blur", "laplacian", "sharpen", "emboss"]
for name in names:
    k = kernels.get(name)
    print(f"{name:>13}: flip changes the map: {not np.allclose(conv2d(photo, k), conv2d(photo, k[::-1, ::-1]))}")
answer = [name for name in names if not np.array_equal(kernels.get(name), kernels.get(name)[::-1, ::-1])]
print(answer)
# A kernel that reads the same after a half turn is its own flip. sobel_x and sobel_y become their negatives,
# emboss points the other way. A network would simply learn the flipped kernel, which is why libraries skip it.""",
)
