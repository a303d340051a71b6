"""Convolution and pooling by hand, in NumPy, written to be read — the core of lessons 02 and 03.

A CNN's "convolution" is really **cross-correlation**: the kernel slides over the image *without*
being flipped, and each output cell is the sum of the element-wise products of the kernel and the
window under it. (A mathematician's convolution flips the kernel first.) TensorFlow, Keras and
PyTorch all compute cross-correlation, and so does :func:`conv2d` here.

    >>> import numpy as np
    >>> from cnnkit.ops import conv2d, pool2d, output_size
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> conv2d(image, np.ones((3, 3))).tolist()              # each cell: the sum of a 3×3 window
    [[45.0, 54.0], [81.0, 90.0]]
    >>> pool2d(image, size=2, mode="max").tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> output_size(32, 3, stride=2, padding="same"), output_size(32, 3, stride=2, padding="valid")
    (16, 15)

The results equal ``tf.nn.conv2d`` and ``keras.layers.MaxPooling2D`` / ``AveragePooling2D``
(``tests/test_ops.py`` checks it on random shapes, strides and both paddings).
"""
import math

import numpy as np

from cnnkit._checks import (Array, Choice, Int, Pair, Str, check_array, check_choice, check_int, check_side_pair,
                            contract)

PADDINGS = ("valid", "same")
POOL_MODES = ("max", "average")
_PADDING = Choice(*PADDINGS, ignore_case=True)
_STEP = (Int(low=1) | Pair(Int(low=1), what="an int or a (rows, cols) pair of ints ≥ 1")).describe(
    "an int or a (rows, cols) pair of ints ≥ 1")


# ---------------------------------------------------------------- argument checks
@contract(value=_STEP.named_by("name"), name=Str())
def to_pair(value, name="value"):
    """A window's or a stride's ``(rows, cols)`` from an int ≥ 1 or a pair of them.

    Args:
        value: an int ≥ 1, or a pair (list, tuple, 1-D array) of them.
        name: the argument's name in the error messages.

    Returns:
        ``(rows, cols)``, two ints.

    Raises:
        TypeError: not an int or a pair of ints.
        ValueError: a value below 1, or a sequence that is not a pair.

    Example:
        >>> to_pair(2, "stride"), to_pair((1, 3), "stride")
        ((2, 2), (1, 3))
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return check_side_pair(value, name)


def _padding(padding):
    if not isinstance(padding, str):
        raise TypeError(f"padding must be 'valid' or 'same', got {padding!r}")
    return check_choice(padding.lower(), "padding", PADDINGS)


def _array(x, name):
    """A non-empty, finite, numeric array as float64."""
    a = check_array(x, name)
    if a.size == 0:
        raise ValueError(f"{name} is empty (shape {a.shape})")
    return a.astype(np.float64)


# ---------------------------------------------------------------- sizes and padding
@contract(n=Int(low=1), k=Int(low=1), stride=Int(low=1), padding=_PADDING)
def output_size(n, k, *, stride=1, padding="valid"):
    """How many positions a window of size ``k`` takes along an input of size ``n``, moving by ``stride``.

    ``padding="valid"`` (no padding): ``floor((n - k) / stride) + 1``. ``"same"`` (zero padding as
    TensorFlow): ``ceil(n / stride)`` — with stride 1 the output keeps the input's size.

    Args:
        n: the input's size (≥ 1).
        k: the window's size (≥ 1).
        stride: the step (≥ 1).
        padding: ``"valid"`` or ``"same"`` (any case).

    Returns:
        The output size, an int.

    Raises:
        ValueError: ``k > n`` with ``padding="valid"``.

    Example:
        >>> output_size(6, 3), output_size(6, 3, padding="same"), output_size(7, 3, stride=2)
        (4, 6, 3)
    """
    n, k, stride = check_int(n, "n", low=1), check_int(k, "k", low=1), check_int(stride, "stride", low=1)
    padding = _padding(padding)
    if padding == "same":
        return math.ceil(n / stride)
    if k > n:
        raise ValueError(f"window size k={k} is larger than the input size n={n} with padding='valid'")
    return (n - k) // stride + 1


@contract(n=Int(low=1), k=Int(low=1), stride=Int(low=1))
def pad_same(n, k, *, stride=1):
    """TensorFlow's ``"same"`` padding along one axis: ``(before, after)`` zeros.

    The total is whatever makes ``ceil(n / stride)`` windows fit; when it is odd, the extra zero goes
    **after** (bottom / right), e.g. ``pad_same(6, 3, stride=2) == (0, 1)``.

    Args:
        n: the input's size.
        k: the window's size.
        stride: the step.

    Returns:
        ``(before, after)``, two ints.

    Example:
        >>> pad_same(5, 3), pad_same(6, 3, stride=2), pad_same(4, 4)
        ((1, 1), (0, 1), (1, 2))
    """
    out = output_size(n, k, stride=stride, padding="same")
    total = max((out - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


@contract(x=Array(finite=False, empty=True))
def relu(x):
    """Rectified linear unit: negative values of ``x`` become 0, the rest pass unchanged.

    Args:
        x: any numeric array (or number).

    Returns:
        An array of ``x``'s shape.

    Example:
        >>> relu(np.array([-2.0, 0.0, 3.0])).tolist()
        [0.0, 0.0, 3.0]
    """
    return np.maximum(np.asarray(x), 0)


# ---------------------------------------------------------------- convolution
def _as_hwcf(image, kernel):
    """Bring image to H×W×C and kernel to kh×kw×C×F; say whether to drop the F axis at the end."""
    if image.ndim not in (2, 3):
        raise ValueError(f"image must be H×W or H×W×C, got shape {image.shape}")
    if kernel.ndim not in (2, 3, 4):
        raise ValueError(f"kernel must be kh×kw, kh×kw×C or kh×kw×C×F, got shape {kernel.shape}")
    single_map = kernel.ndim < 4
    if image.ndim == 2:
        image = image[:, :, None]
    if kernel.ndim == 2:
        kernel = kernel[:, :, None, None]
    elif kernel.ndim == 3:
        kernel = kernel[:, :, :, None]
    if kernel.shape[2] != image.shape[2]:
        raise ValueError(f"kernel has {kernel.shape[2]} input channels (shape {kernel.shape}) but the "
                         f"image has {image.shape[2]} (shape {image.shape}); use a kh×kw×C×F kernel")
    return image, kernel, single_map


@contract(image=Array(ndim=(2, 3)), kernel=Array(ndim=(2, 3, 4)), stride=_STEP, padding=_PADDING)
def conv2d(image, kernel, *, stride=1, padding="valid"):
    """Slide ``kernel`` over ``image``: each output cell = sum(window * kernel). Cross-correlation.

    Shapes: H×W with kh×kw → H'×W'; H×W×C with kh×kw×C×F → H'×W'×F (F feature maps; a kh×kw×C kernel
    gives one H'×W' map), H' = ``output_size(H, kh, stride=stride, padding=padding)``.

    Args:
        image: H×W or H×W×C, finite numbers.
        kernel: kh×kw, kh×kw×C or kh×kw×C×F.
        stride: an int ≥ 1 or a (rows, cols) pair of them.
        padding: ``"valid"`` (no padding) or ``"same"`` (zeros as TensorFlow: extra at the bottom/right).

    Returns:
        A float32 array, like ``tf.nn.conv2d``.

    Raises:
        ValueError: channels that do not match, or a kernel larger than the image with ``"valid"``.

    Example:
        >>> edge = np.array([[1.0, 0.0, -1.0]] * 3)
        >>> conv2d(np.tile([0.0, 0.0, 9.0, 9.0], (3, 1)), edge).tolist()
        [[-27.0, -27.0]]
    """
    image = _array(image, "image")
    kernel = _array(kernel, "kernel")
    x, w, single_map = _as_hwcf(image, kernel)
    padding = _padding(padding)
    sh, sw = to_pair(stride, "stride")
    (h, wd, _), (kh, kw, _, n_maps) = x.shape, w.shape
    if padding == "valid" and (kh > h or kw > wd):
        raise ValueError(f"kernel {kh}×{kw} is larger than the image {h}×{wd} with padding='valid'")
    out_h = output_size(h, kh, stride=sh, padding=padding)
    out_w = output_size(wd, kw, stride=sw, padding=padding)
    if padding == "same":                                                  # zeros around the image
        x = np.pad(x, (pad_same(h, kh, stride=sh), pad_same(wd, kw, stride=sw), (0, 0)))

    out = np.zeros((out_h, out_w, n_maps))
    for i in range(out_h):
        for j in range(out_w):
            window = x[i * sh: i * sh + kh, j * sw: j * sw + kw, :]              # kh×kw×C
            out[i, j, :] = (window[:, :, :, None] * w).sum(axis=(0, 1, 2))    # one value per map
    if single_map:
        out = out[:, :, 0]
    return out.astype(np.float32)


# ---------------------------------------------------------------- pooling
@contract(x=Array(ndim=(2, 3)), size=_STEP, stride=_STEP | None, mode=Choice(*POOL_MODES), padding=_PADDING)
def pool2d(x, size=2, *, stride=None, mode="max", padding="valid"):
    """Max or average pooling of ``x``, an H×W or H×W×C array, each channel on its own.

    With ``padding="same"`` the windows at the bottom/right edge hang over the image; only the real pixels
    count — the max of those, or their **average** (divided by how many real pixels the window holds, not
    by the window size), as Keras does.

    Args:
        x: H×W or H×W×C, finite numbers.
        size: the window, an int ≥ 1 or a (rows, cols) pair of them.
        stride: the step, an int ≥ 1 or a (rows, cols) pair of them (None: ``size``, windows side by side).
        mode: ``"max"`` or ``"average"``.
        padding: ``"valid"`` or ``"same"``.

    Returns:
        A float32 array, H'×W'(×C).

    Example:
        >>> pool2d(np.array([[1.0, 2.0, 3.0]]), size=2, mode="average", padding="same").tolist()
        [[1.5, 3.0]]
    """
    x = _array(x, "x")
    if x.ndim not in (2, 3):
        raise ValueError(f"x must be H×W or H×W×C, got shape {x.shape}")
    mode = check_choice(mode, "mode", POOL_MODES)
    padding = _padding(padding)
    ph, pw = to_pair(size, "size")
    sh, sw = to_pair(size if stride is None else stride, "stride")
    h, w = x.shape[:2]
    if padding == "valid" and (ph > h or pw > w):
        raise ValueError(f"pool size {ph}×{pw} is larger than the input {h}×{w} with padding='valid'")
    out_h = output_size(h, ph, stride=sh, padding=padding)
    out_w = output_size(w, pw, stride=sw, padding=padding)
    top, left = (pad_same(h, ph, stride=sh)[0], pad_same(w, pw, stride=sw)[0]) if padding == "same" else (0, 0)

    reduce = np.max if mode == "max" else np.mean
    out = np.zeros((out_h, out_w) + x.shape[2:])
    for i in range(out_h):
        for j in range(out_w):
            r0, c0 = i * sh - top, j * sw - left                  # window corner, may be outside
            rows = slice(max(r0, 0), min(r0 + ph, h))             # keep only the real pixels
            cols = slice(max(c0, 0), min(c0 + pw, w))
            out[i, j] = reduce(x[rows, cols], axis=(0, 1))
    return out.astype(np.float32)
