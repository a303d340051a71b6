"""Exercises of lesson 00 (setup and GPU): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> from cnnkit.exercises import lesson00
    >>> lesson00.q1.check(8)
    ✓ Correct.
    True
"""
from cnnkit.exercises._core import Exercise, yes_no

q1 = Exercise(
    "A product of two n×n matrices costs 2·n³ operations. By how many times does the work grow when n doubles "
    "(e.g. from 512 to 1024)? Answer a number; then time both sizes with time_matmul and see whether the time "
    "follows.",
    expected=8,
    hint="Write 2·(2n)³ and divide by 2·n³.",
    solution="""answer = 2 * 1024**3 / (2 * 512**3)
print(answer)                                   # 8.0
previous = None
for n in (128, 256, 512, 1024):
    seconds = time_matmul("/CPU:0", n=n, repeats=3).min()       # the best of 3 repeats
    ratio = f", {seconds / previous:4.1f}× the time of n/2" if previous else ""
    print(f"n={n:>5}: {seconds * 1e3:8.2f} ms, {gflops(n, seconds):6.1f} GFLOP/s{ratio}")
    previous = seconds
# Where the ratio is below 8, fixed overheads (calling TensorFlow, memory traffic) still weigh; where it nears 8,
# the arithmetic dominates and GFLOP/s levels off at what your CPU can do.""",
)


def _device_test(answer):
    import tensorflow as tf

    if not isinstance(answer, str):
        return f"give the device as a string, such as the .device of a tensor, got {type(answer).__name__}."
    default = tf.DeviceSpec.from_string(tf.zeros(1).device)
    try:
        # describe() lists physical devices; a tensor's .device names the logical one of the same type and index
        given = tf.DeviceSpec.from_string(answer.strip().replace("physical_device:", "device:"))
    except ValueError:
        return (f"{answer!r} is not a device string; they look like '/CPU:0', '/GPU:0' or "
                "'/job:localhost/replica:0/task:0/device:CPU:0' (the long form .device gives).")
    where = f"{default.device_type}:{default.device_index}"
    if given.device_type is None:
        return (f"{answer!r} names no device type: a device string says CPU or GPU and an index, "
                f"as in '/{where}'.")
    if given.device_type != default.device_type:
        return (f"a tensor created outside any tf.device block lives on {where} here, not on a "
                f"{given.device_type} (TensorFlow's default placement: the GPU when it sees one).")
    if given.device_index is None:
        return f"which {given.device_type}? A device string ends with its index, as in '/{where}'."
    if given.device_index != default.device_index:
        return f"it lives on {where}, not on {given.device_type}:{given.device_index}."
    return None


q2 = Exercise(
    "Create a tensor without any `with tf.device(...)` block. Where does it live? Answer with a device string "
    "(its `.device`, or a short form such as '/CPU:0').",
    test=_device_test,
    hint="Every tensor has a .device attribute; compare with one made inside `with tf.device('/CPU:0'):`.",
    solution="""with tf.device("/CPU:0"):
    c = tf.zeros(3)
d = tf.zeros(3)
print(c.device, "|", d.device)
answer = d.device
# c is on the CPU; d is on the GPU when TensorFlow sees one (its default placement), otherwise on the CPU.
# '/job:localhost/replica:0/task:0/device:CPU:0', '/device:CPU:0' and '/CPU:0' name the same device.""",
)

q3 = Exercise(
    "Call set_seed(0), then draw np.random.rand(2) twice in a row. Are the two draws equal? Answer True or False.",
    test=yes_no(False, "the second draw takes the next numbers of the sequence that set_seed(0) started."),
    hint="Seeding fixes the *sequence* of random numbers; where in the sequence is the second draw?",
    solution="""set_seed(0)
first, second = np.random.rand(2), np.random.rand(2)
print(first, second, np.array_equal(first, second))     # two different pairs: False
answer = False
# The second draw takes the next numbers of the same sequence. To get the first pair again, seed again.""",
)

q4 = Exercise(
    "Reasoning: `keras.random.uniform((3,), seed=1)` is given an int seed. WITHOUT calling set_seed in between, "
    "are two such draws equal? (True or False.) What does that say about a check that uses an int seed to "
    "show that set_seed works?",
    test=yes_no(True, "with an int seed the draw depends on that seed only, whatever the global state."),
    hint="Try it before you answer: draw twice with seed=1, and call np.random.rand(5) in between.",
    solution="""a = keras.random.uniform((3,), seed=1).numpy()
np.random.rand(5)                                       # disturb the global generators
b = keras.random.uniform((3,), seed=1).numpy()
print(a, b, np.array_equal(a, b))                       # True, with no set_seed at all
answer = True
# An int seed makes the draw stateless, so such a check passes with or without set_seed and proves nothing.
# The global generator is what set_seed resets: draw WITHOUT a seed (keras.random.uniform((3,))).""",
)
