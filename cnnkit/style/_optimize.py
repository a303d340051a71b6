"""The optimisers behind :func:`~cnnkit.style.engine.stylize` (plumbing): L-BFGS-B (scipy) and a Keras optimizer
(Adam) on an image's pixels, each feeding every step's image and loss parts to a recorder."""
import sys
import time

import numpy as np
import tensorflow as tf


def _progress(total, enabled):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="style transfer", file=sys.stdout, leave=False)


def _value_and_grad(loss):
    @tf.function(reduce_retracing=True)
    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            parts = loss(x)
        return parts, tape.gradient(parts[0], x)

    return value_and_grad


def _check_finite(parts, step):
    from cnnkit.style.engine import NonFiniteLossError   # defined with stylize, raised here

    if not all(np.isfinite(float(p)) for p in parts):
        raise NonFiniteLossError(
            f"loss became non-finite at step {step} (total, content, style, tv = {[float(p) for p in parts]}); "
            "lower the learning rate or the loss weights, or check the weights file")


#: L-BFGS-B minimises the loss times one constant, fixed at the start so that the largest pixel gradient is this (in
#: pixel units, of a range of 1); the minimum is the same. On a problem bounded on every side scipy's L-BFGS-B takes
#: the projected gradient itself as its first step, so at the offline loss's own scale (about 1, spread over 10⁵
#: pixels) that step is ~10⁻⁶ of a pixel's range, the float32 loss barely changes along it, and the run can stall:
#: coffee × dots (seed 1), 256 px, 60 iterations: 0.61 → 0.56 unscaled, → 0.0084 scaled (any first step from 0.01
#: to 1 gave 0.0084-0.0085; chelsea × swirls: 0.0077 either way).
LBFGS_FIRST_STEP = 0.1


def _run_lbfgs(loss, x0, steps, record):
    from scipy.optimize import Bounds, minimize

    value_and_grad = _value_and_grad(loss)
    shape = x0.shape
    last = {}

    def fun(flat):
        parts, grad = value_and_grad(tf.constant(flat.reshape(shape), tf.float32))
        parts = [float(p) for p in parts]
        _check_finite(parts, len(record.history["total"]))
        grad = grad.numpy().astype(np.float64).ravel()
        if "scale" not in last:         # once, at the start: see LBFGS_FIRST_STEP (a flat start: no rescaling)
            steepest = float(np.abs(grad).max())
            last["scale"] = LBFGS_FIRST_STEP / steepest if steepest > 0 else 1.0
        last["x"], last["parts"] = flat.copy(), parts
        if not record.history["total"]:  # the starting image is step 0
            record(flat.reshape(shape), parts)
        return parts[0] * last["scale"], grad * last["scale"]

    def callback(xk):
        if not np.array_equal(last.get("x"), xk):  # scipy accepted a point it did not evaluate last
            fun(xk)
        record(xk.reshape(shape), last["parts"])
        if record.done:
            raise StopIteration

    minimize(fun, x0.astype(np.float64).ravel(), jac=True, method="L-BFGS-B", callback=callback,
             bounds=Bounds(0.0, 1.0),  # no tolerance stop: `steps` iterations whatever the loss's scale
             options={"maxiter": steps, "maxfun": 2 * steps + 20, "maxcor": 20, "ftol": 0.0, "gtol": 0.0})


def _run_adam(loss, x0, steps, record, opt):
    """``steps`` steps of a Keras optimizer ``opt`` (Adam in stylize) on the pixels, clipped to [0, 1] after each."""
    image = tf.Variable(x0, dtype=tf.float32)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            parts = loss(image)
        opt.apply_gradients([(tape.gradient(parts[0], image), image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
        return parts

    for i in range(steps + 1):  # step() returns the loss of the image before its update
        before = image.numpy()
        parts = [float(p) for p in (step() if i < steps else loss(image))]
        _check_finite(parts, i)
        record(before, parts)
        if record.done:
            break


class _Recorder:
    """Collects the loss history, the wall time and every ``frame_every``-th image, and ticks the progress bar."""

    def __init__(self, steps, frame_every, progress, stop_loss=None):
        self.stop_loss = stop_loss
        self.history = {k: [] for k in ("total", "content", "style", "tv", "time")}
        self.frames, self.frame_every, self.bar = [], frame_every, _progress(steps, progress)
        self.last_image = None
        self.start = time.perf_counter()

    def __call__(self, image, parts):
        for k, v in zip(("total", "content", "style", "tv"), parts):
            self.history[k].append(float(v))
        self.history["time"].append(time.perf_counter() - self.start)
        self.last_image = np.array(image)
        n = len(self.history["total"]) - 1  # steps taken
        if self.frame_every and n % self.frame_every == 0:
            self.frames.append((n, _to_uint8_image(self.last_image)))
        self.done = self.stop_loss is not None and parts[0] <= self.stop_loss
        if self.bar is not None and n > 0:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{parts[0]:.4g}")


def _to_uint8_image(x):
    return np.round(np.clip(np.asarray(x, np.float32).reshape(np.shape(x)[-3:]), 0, 1) * 255).astype(np.uint8)
