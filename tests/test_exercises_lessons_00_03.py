"""The exercises of lessons 00–03 cannot be fooled: each check passes the right answer in every equivalent form
and refuses at least three plausible wrong answers (the mistakes a learner would make), saying why."""
import os

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
    assert ok and out.startswith("✓"), out
    return out


def fails(q, answer, capsys, why):
    ok = q.check(answer)
    out = capsys.readouterr().out
    assert not ok and out.startswith("✗ Not yet"), out
    assert why in out, out
    return out


def exercises(lesson):
    return [v for k, v in sorted(vars(lesson).items()) if k.startswith("q") and isinstance(v, Exercise)]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_lesson_has_exercises_with_hint_and_solution(lesson, capsys):
    qs = exercises(lesson)
    assert 3 <= len(qs) <= 4
    assert qs[-1].question.startswith("Reasoning")                            # the last one asks you to reason
    for q in qs:
        assert not q.check(...) and not q.check(None)                         # the blank cell is not an answer
        q.hint()
        q.solution()
        out = capsys.readouterr().out
        assert "no answer yet" in out and "Hint: " in out and "Solution:\n" in out and "answer" in out
        assert "print(" in out                                                 # solutions print their numbers
        assert str(q).startswith("Exercise: ")                                 # print(ex.q1) shows the question


# ---------------------------------------------------------------- lesson 00
def test_lesson00_q1_work_grows_eightfold(capsys):
    passes(lesson00.q1, 2 * 1024**3 / (2 * 512**3), capsys)
    passes(lesson00.q1, 8, capsys)
    passes(lesson00.q1, np.float32(8), capsys)
    fails(lesson00.q1, 2, capsys, "expected 8, got 2")                  # n doubles, so the work doubles
    fails(lesson00.q1, 4, capsys, "expected 8, got 4")                  # n², the size of the result
    fails(lesson00.q1, 6, capsys, "expected 8, got 6")                  # 2·3
    fails(lesson00.q1, "8", capsys, "without quotes")                   # text is not a number
    fails(lesson00.q1, True, capsys, "expected a number")


def test_lesson00_q2_every_form_of_the_device_string(capsys):
    import tensorflow as tf

    d = tf.zeros(3).device                                              # '/job:localhost/…/device:CPU:0' here
    assert d.endswith("CPU:0")
    for form in (d, "/CPU:0", "CPU:0", "device:CPU:0", "/device:CPU:0", "/cpu:0", " /CPU:0 ",
                 "/physical_device:CPU:0"):                             # describe() prints the physical name
        passes(lesson00.q2, form, capsys)
    fails(lesson00.q2, "/GPU:0", capsys, "not on a GPU")                # "the default is the GPU"
    fails(lesson00.q2, "/CPU:1", capsys, "not on CPU:1")
    fails(lesson00.q2, "/TPU:0", capsys, "not on a TPU")
    fails(lesson00.q2, "CPU", capsys, "ends with its index")
    fails(lesson00.q2, "", capsys, "names no device type")             # an empty string names nothing
    fails(lesson00.q2, "/job:localhost", capsys, "names no device type")
    fails(lesson00.q2, "tensor.device", capsys, "not a device string")
    fails(lesson00.q2, tf.zeros(3), capsys, "as a string")              # the tensor, not its .device
    fails(lesson00.q2, 0, capsys, "as a string")


def test_lesson00_q3_and_q4_check_a_verdict(capsys):
    from cnnkit.device import set_seed

    set_seed(0)
    first, second = np.random.rand(2), np.random.rand(2)
    passes(lesson00.q3, bool(np.array_equal(first, second)), capsys)
    passes(lesson00.q3, np.array_equal(first, second), capsys)         # a NumPy bool is a verdict too
    fails(lesson00.q3, True, capsys, "not True: the second draw takes the next numbers")
    fails(lesson00.q3, "False", capsys, "answer True or False")
    fails(lesson00.q3, 0, capsys, "answer True or False")
    import keras

    a = keras.random.uniform((3,), seed=1).numpy()
    np.random.rand(5)
    b = keras.random.uniform((3,), seed=1).numpy()
    passes(lesson00.q4, bool(np.array_equal(a, b)), capsys)     # an int seed is stateless
    fails(lesson00.q4, False, capsys, "not False: with an int seed")
    fails(lesson00.q4, "yes", capsys, "answer True or False")
    fails(lesson00.q4, 1, capsys, "answer True or False")


# ---------------------------------------------------------------- lesson 01
def test_lesson01_q1_either_pixel_convention(capsys):
    half = np.zeros((64, 64), np.uint8)
    half[:, 32:] = 255
    passes(lesson01.q1, half, capsys)
    passes(lesson01.q1, half / 255.0, capsys)                           # float in [0, 1]: the same picture
    passes(lesson01.q1, (half / 255).astype(np.float32), capsys)
    passes(lesson01.q1, half[:, :, None], capsys)                       # H×W×1
    passes(lesson01.q1, half > 0, capsys)                               # a bool image
    fails(lesson01.q1, half.T, capsys, "black on top and white below")  # rows and columns swapped
    fails(lesson01.q1, 255 - half, capsys, "the LEFT half is black")
    shifted = np.zeros((64, 64), np.uint8)
    shifted[:, 31:] = 255                                               # off by one
    fails(lesson01.q1, shifted, capsys, "column 31 is not")
    fails(lesson01.q1, half.astype(np.float32), capsys, "0..1 scale")   # float holding 255
    fails(lesson01.q1, (half > 0).astype(np.uint8), capsys, "white is 255")
    fails(lesson01.q1, half.astype(np.int64), capsys, "not an image dtype")
    fails(lesson01.q1, np.zeros((64, 64, 3), np.uint8), capsys, "shape (64, 64, 3)")
    fails(lesson01.q1, half[:, :32], capsys, "shape (64, 32)")


def test_lesson01_q2_brightest_channel(capsys):
    rgb = load_image("astronaut")
    names = ["red", "green", "blue"]
    means = rgb.reshape(-1, 3).mean(axis=0)
    brightest = names[int(np.argmax(means))]
    passes(lesson01.q2, brightest, capsys)
    passes(lesson01.q2, f" {brightest.upper()} ", capsys)
    for other in (n for n in names if n != brightest):
        fails(lesson01.q2, other, capsys, f"{other} averages {means[names.index(other)]:.1f}")
    fails(lesson01.q2, "yellow", capsys, "not one of")
    fails(lesson01.q2, int(np.argmax(means)), capsys, "answer a name")


def test_lesson01_q3_negative_in_either_convention(capsys):
    rgb = load_image("astronaut")
    passes(lesson01.q3, 255 - rgb, capsys)
    passes(lesson01.q3, ~rgb, capsys)                                   # bitwise not of a uint8 is 255 - x
    passes(lesson01.q3, 1.0 - rgb / 255.0, capsys)                      # the float picture
    fails(lesson01.q3, rgb, capsys, "not the negative")
    fails(lesson01.q3, -rgb, capsys, "-rgb wraps around")
    fails(lesson01.q3, rgb[:, :, ::-1], capsys, "not the negative")     # BGR, not a negative
    fails(lesson01.q3, 255.0 - rgb, capsys, "0..1 scale")               # floats in 0..255
    fails(lesson01.q3, 255 - rgb.astype(np.int64), capsys, "not an image dtype")
    fails(lesson01.q3, (255 - rgb)[:, :, 0], capsys, "expected the photo's shape")


def test_lesson01_q4_which_uint8_operations_wrap(capsys):
    x = np.arange(256).astype(np.uint8)
    exact = x.astype(int)
    safe = [k for k, (got, want) in {"a": (255 - x, 255 - exact), "b": (x + 50, exact + 50), "c": (x // 2, exact // 2),
                                     "d": (x * 2, exact * 2), "e": (x - 10, exact - 10)}.items()
            if np.array_equal(got, want)]
    passes(lesson01.q4, safe, capsys)
    passes(lesson01.q4, ("C", "a"), capsys)                             # any order, any case, a tuple or a set
    passes(lesson01.q4, {"a", "c"}, capsys)
    fails(lesson01.q4, ["a"], capsys, "'c' belongs in the answer too")
    fails(lesson01.q4, ["a", "b", "c"], capsys, "not 'b'. 250 + 50 = 300")
    fails(lesson01.q4, ["a", "c", "e"], capsys, "not 'e'. 5 - 10 = -5 wraps to 251")
    fails(lesson01.q4, ["a", "c", "d"], capsys, "200 * 2 = 400 wraps to 144")
    fails(lesson01.q4, "abcde", capsys, "not one of")
    fails(lesson01.q4, 44, capsys, "answer a list of names")


# ---------------------------------------------------------------- lesson 02
def test_lesson02_q1_output_sides(capsys):
    x = np.zeros((32, 32))
    sides = (conv2d(x, np.ones((5, 5)), stride=3).shape[0],
             conv2d(x, np.ones((5, 5)), stride=3, padding="same").shape[0])
    passes(lesson02.q1, sides, capsys)
    passes(lesson02.q1, [10, 11], capsys)
    passes(lesson02.q1, np.array([10.0, 11.0]), capsys)
    fails(lesson02.q1, (9, 11), capsys, "most at index (0,)")           # forgot the + 1
    fails(lesson02.q1, (28, 32), capsys, "expected 11, got 32")         # stride ignored
    fails(lesson02.q1, (11, 10), capsys, "values differ")               # swapped
    fails(lesson02.q1, (10, 10), capsys, "expected 11, got 10")         # 'same' rounded down
    fails(lesson02.q1, 10, capsys, "expected shape (2,)")
    fails(lesson02.q1, ("10", "11"), capsys, "without quotes")


DIAGONAL = np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], dtype=np.float32)


def test_the_diagonal_check_scores_soft_edges():
    e = lesson02.edge(45)
    assert e.shape == (15, 15) and np.allclose(e, e.T) and e[0, 0] < 0.01 < 0.99 < e[-1, -1]
    np.testing.assert_allclose(lesson02.edge(225), 1 - e, atol=1e-12)   # the reversed edge
    # the by-hand conv2d the check uses agrees with TensorFlow's on these edges
    import tensorflow as tf

    tf_map = tf.nn.conv2d(e[None, :, :, None], DIAGONAL.astype(np.float64)[:, :, None, None], 1, "VALID")
    np.testing.assert_allclose(conv2d(e, DIAGONAL), tf_map.numpy()[0, :, :, 0], atol=1e-9)


def test_lesson02_q2_only_a_directed_diagonal_edge_detector(capsys):
    assert "weights summing to 0" in lesson02.q2.question                # what the check demands is asked
    assert lesson02.MARGIN == 1.15 and "by at least 15 %" in lesson02.q2.question
    passes(lesson02.q2, DIAGONAL, capsys)
    passes(lesson02.q2, DIAGONAL.tolist(), capsys)
    passes(lesson02.q2, DIAGONAL / 8, capsys)                            # any positive scale
    passes(lesson02.q2, get("sobel_x") + get("sobel_y"), capsys)        # the two Sobels added
    passes(lesson02.q2, [[-1, -1, 0], [-1, 0, 1], [0, 1, 1]], capsys)    # Prewitt's diagonal
    passes(lesson02.q2, [[-1, 0, 0], [0, 0, 0], [0, 0, 1]], capsys)      # the simplest difference
    laplacian = [[0, -1, 0], [-1, 4, -1], [0, -1, 0]]                    # no direction at all
    fails(lesson02.q2, laplacian, capsys, "does not single out that edge")
    line = [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]]                       # a main-diagonal LINE detector
    fails(lesson02.q2, line, capsys, "does not single out that edge")
    fails(lesson02.q2, get("sobel_x"), capsys, "a vertical edge, bright on the right")
    fails(lesson02.q2, get("sobel_y"), capsys, "a horizontal edge, bright below")
    fails(lesson02.q2, -DIAGONAL, capsys, "no positive response")        # the polarity reversed
    fails(lesson02.q2, DIAGONAL[:, ::-1], capsys, "no positive response")   # the other diagonal
    fails(lesson02.q2, get("outline"), capsys, "does not single out that edge")
    fails(lesson02.q2, get("emboss"), capsys, "weights sum to 1")
    fails(lesson02.q2, np.ones((5, 5)), capsys, "3×3 kernel")
    fails(lesson02.q2, "diagonal", capsys, "3×3 array")


def test_lesson02_q3_multi_channel_by_hand_equals_keras(capsys):
    import keras

    w, k, b = lesson02.WINDOW, lesson02.KERNEL, lesson02.BIAS
    assert w.shape == k.shape == (3, 3, 3) and not np.allclose(k[:, :, 0], k[:, :, 1])
    per_channel = [float((w[:, :, c] * k[:, :, c]).sum()) for c in range(3)]
    by_hand = sum(per_channel) + b
    layer = keras.layers.Conv2D(1, 3)
    layer.build((None, 3, 3, 3))
    layer.set_weights([k[:, :, :, None], np.array([b], np.float32)])
    assert layer(w[None]).numpy().ravel()[0] == pytest.approx(by_hand, abs=1e-4)
    passes(lesson02.q3, by_hand, capsys)
    passes(lesson02.q3, np.float32(by_hand), capsys)
    passes(lesson02.q3, layer(w[None]).numpy().ravel()[0], capsys)
    fails(lesson02.q3, by_hand - b, capsys, "the bias is missing")
    fails(lesson02.q3, by_hand + 2 * b, capsys, "once per filter")               # a bias per channel
    fails(lesson02.q3, per_channel, capsys, "ONE number")                        # three sums, not added
    fails(lesson02.q3, per_channel[0] * 3 + b, capsys, "expected")               # the gray-bank mistake
    fails(lesson02.q3, float((w * k).mean()) + b, capsys, "expected")            # a mean, not a sum


def test_lesson02_q4_which_kernels_the_flip_changes(capsys):
    changed = [n for n in lesson02.FLIP_NAMES
               if not np.allclose(conv2d(np.random.default_rng(0).random((9, 9)), get(n)),
                                  conv2d(np.random.default_rng(0).random((9, 9)), get(n)[::-1, ::-1]))]
    assert changed == ["sobel_x", "sobel_y", "emboss"]
    passes(lesson02.q4, changed, capsys)
    passes(lesson02.q4, ("Emboss", "sobel_y", "sobel_x"), capsys)
    fails(lesson02.q4, ["sobel_x"], capsys, "'sobel_y' belongs in the answer too")
    fails(lesson02.q4, ["sobel_x", "sobel_y"], capsys, "'emboss' belongs in the answer too")
    fails(lesson02.q4, changed + ["laplacian"], capsys, "its flip is itself")
    fails(lesson02.q4, lesson02.FLIP_NAMES, capsys, "not 'gaussian_blur'")
    fails(lesson02.q4, [], capsys, "belongs in the answer too")
    fails(lesson02.q4, -get("sobel_x"), capsys, "answer a list of names")      # q3's old answer


# ---------------------------------------------------------------- lesson 03
def test_lesson03_q1_overlapping_windows(capsys):
    import keras

    fmap5 = lesson03.FMAP5
    expected = pool2d(fmap5, size=3, stride=2)
    np.testing.assert_array_equal(expected,
                                  keras.layers.MaxPooling2D(3, strides=2)(fmap5[None, :, :, None])[0, :, :, 0])
    passes(lesson03.q1, expected, capsys)
    passes(lesson03.q1, expected.astype(int).tolist(), capsys)
    fails(lesson03.q1, pool2d(fmap5, size=2), capsys, "those are 2×2 windows")
    fails(lesson03.q1, pool2d(fmap5, size=3, stride=1), capsys, "that is stride 1")
    fails(lesson03.q1, pool2d(fmap5, size=3, stride=2, padding="same"), capsys, "'same' padding")   # padding='same'
    fails(lesson03.q1, pool2d(fmap5, size=2, padding="same"), capsys, "'same' padding")
    fails(lesson03.q1, pool2d(fmap5, size=3, stride=2, mode="average"), capsys, "averages")
    fails(lesson03.q1, fmap5.max(), capsys, "fits twice per side")
    fails(lesson03.q1, [[8, 4], [6, 7]], capsys, "most at index (0, 1)")


def test_lesson03_q2_what_max_and_average_keep(capsys):
    window = np.array([[0, 0], [0, 8]], np.float32)
    passes(lesson03.q2, (pool2d(window, 2)[0, 0], pool2d(window, 2, mode="average")[0, 0]), capsys)
    passes(lesson03.q2, [8, 2], capsys)
    fails(lesson03.q2, (8, 8), capsys, "expected 2, got 8")
    fails(lesson03.q2, (2, 8), capsys, "values differ")
    fails(lesson03.q2, (8, 0), capsys, "expected 2, got 0")              # the median
    fails(lesson03.q2, 8, capsys, "expected shape (2,)")


def test_lesson03_q3_pools_and_savings(capsys):
    passes(lesson03.q3, (5, 224 * 224 // (7 * 7)), capsys)
    passes(lesson03.q3, [5.0, 1024.0], capsys)
    fails(lesson03.q3, (5, 32), capsys, "expected 1024, got 32")          # the side, not the area
    fails(lesson03.q3, (32, 1024), capsys, "expected 5, got 32")
    fails(lesson03.q3, (4, 1024), capsys, "expected 5, got 4")
    fails(lesson03.q3, (5, 1024 * 64), capsys, "expected 1024")           # the maps counted as well


def test_lesson03_q4_which_poolings_alias(capsys):
    x = np.tile(np.arange(8) % 2, (8, 1)).astype(np.float32)
    moved = np.roll(x, 1, axis=1)
    ops = {"subsample": lambda f: f[::2, ::2], "max": lambda f: pool2d(f, 2),
           "average": lambda f: pool2d(f, 2, mode="average")}
    unchanged = [name for name, op in ops.items() if np.array_equal(op(x), op(moved))]
    passes(lesson03.q4, unchanged, capsys)
    passes(lesson03.q4, {"Average", "max"}, capsys)
    fails(lesson03.q4, ["max"], capsys, "'average' belongs in the answer too")
    fails(lesson03.q4, ["average"], capsys, "'max' belongs in the answer too")
    fails(lesson03.q4, ["subsample", "max", "average"], capsys, "all 0 before the shift, all 1 after")
    fails(lesson03.q4, [], capsys, "belongs in the answer too")
    fails(lesson03.q4, ["blur"], capsys, "not one of")


# ---------------------------------------------------------------- the notebooks ask what the modules check
NOTEBOOK_OF = {lesson00: "00_setup_and_gpu", lesson01: "01_images_as_matrices", lesson02: "02_convolution",
               lesson03: "03_pooling"}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_each_notebook_shows_the_question_and_solution_its_check_uses(lesson):
    """Exercise N's markdown holds the module's question and, in <details>, its solution, word for word."""
    import json

    from tools.notebook_runner import NOTEBOOKS

    nb = json.loads((NOTEBOOKS / f"{NOTEBOOK_OF[lesson]}.ipynb").read_text(encoding="utf-8"))
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    for n, q in enumerate(exercises(lesson), start=1):
        cell = [m for m in markdown if m.startswith(f"**{n}.** ")]
        assert len(cell) == 1, f"exercise {n}: {len(cell)} markdown cells start with **{n}.**"
        assert cell[0].startswith(f"**{n}.** {q.question}\n"), f"exercise {n}: the question differs from q{n}'s"
        assert f"<details><summary>Solution</summary>\n\n```python\n{q._solution}\n```\n</details>" in cell[0], \
            f"exercise {n}: the solution differs from q{n}'s"


# ---------------------------------------------------------------- the solutions, run where the learner runs them
# Opt-in: in 2 of 5 full runs here nbclient and its kernel both sat idle, waiting on each other, for over ten minutes
# inside this test (py-spy on both; ipykernel 7.4 and 6.31 alike), and nbclient's cell timeout did not fire; one such
# wait would take CI past its time. The solutions' text and checks are tested above without a kernel.
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CNNKIT_SOLUTIONS_IN_NOTEBOOKS"),
                    reason="opt-in (CNNKIT_SOLUTIONS_IN_NOTEBOOKS=1): nbclient waits forever at random here")
@pytest.mark.parametrize("notebook, lesson", [("00_setup_and_gpu", lesson00), ("01_images_as_matrices", lesson01),
                                              ("02_convolution", lesson02), ("03_pooling", lesson03)],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_each_solution_passes_its_check_inside_its_notebook(notebook, lesson, tmp_path):
    """Run the notebook, then every printed solution in its namespace: each must pass its own check."""
    import nbformat
    from nbclient import NotebookClient

    from tools.notebook_runner import NOTEBOOKS

    nb = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4)
    for n, q in enumerate(exercises(lesson), start=1):
        code = f"answer = None\n{q._solution}\nassert ex.q{n}.check(answer), 'solution {n} fails its check'"
        nb.cells.append(nbformat.v4.new_code_cell(code))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()   # raises on a failing cell
    checked = [c for c in nb.cells[-len(exercises(lesson)):]]
    assert all("✓ Correct." in "".join(o.get("text", "") for o in c.outputs) for c in checked)
