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

PADDINGS = ("valid", "same")
POOL_MODES = ("max", "average")


# ---------------------------------------------------------------- argument checks
def to_pair(value, name="value"):
    """A positive int or a pair of them → ``(rows, cols)``; ``ValueError`` naming ``name`` otherwise.

    >>> to_pair(2, "stride"), to_pair((1, 3), "stride")
    ((2, 2), (1, 3))
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a positive int or a pair of positive ints, got {value!r}")
    if isinstance(value, (int, np.integer)):
        value = (value, value)
    try:
        rows, cols = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive int or a pair of positive ints, got {value!r}") from None
    for v in (rows, cols):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int or a pair of positive ints, got {value!r}")
    return int(rows), int(cols)


def _padding(padding):
    if not isinstance(padding, str) or padding.lower() not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return padding.lower()


def _array(x, name):
    """A non-empty, finite, numeric array as float64."""
    try:
        a = np.asarray(x)
    except Exception as err:  # noqa: BLE001 - ragged lists and the like
        raise ValueError(f"{name} must be a numeric array ({err})") from None
    if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise ValueError(f"{name} must be a numeric array, got dtype {a.dtype}")
    if a.size == 0:
        raise ValueError(f"{name} is empty (shape {a.shape})")
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return a


# ---------------------------------------------------------------- sizes and padding
def output_size(n, k, stride=1, padding="valid"):
    """How many positions a window of size ``k`` takes along an input of size ``n``.

    ``"valid"`` (no padding): ``floor((n - k) / stride) + 1``.
    ``"same"`` (zero padding as TensorFlow): ``ceil(n / stride)`` — with stride 1 the output
    keeps the input's size.

    >>> output_size(6, 3), output_size(6, 3, padding="same"), output_size(7, 3, stride=2)
    (4, 6, 3)
    """
    for value, name in ((n, "n"), (k, "k"), (stride, "stride")):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    padding = _padding(padding)
    if padding == "same":
        return math.ceil(n / stride)
    if k > n:
        raise ValueError(f"window size k={k} is larger than the input size n={n} with padding='valid'")
    return (n - k) // stride + 1


def pad_same(n, k, stride=1):
    """TensorFlow's ``"same"`` padding along one axis: ``(before, after)`` zeros.

    The total is whatever makes ``ceil(n / stride)`` windows fit; when it is odd, the extra zero
    goes **after** (bottom / right), e.g. ``pad_same(6, 3, 2) == (0, 1)``.

    >>> pad_same(5, 3), pad_same(6, 3, stride=2), pad_same(4, 4)
    ((1, 1), (0, 1), (1, 2))
    """
    out = output_size(n, k, stride, "same")
    total = max((out - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


def relu(x):
    """Rectified linear unit: negative values become 0, the rest pass unchanged.

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


def conv2d(image, kernel, stride=1, padding="valid"):
    """Slide ``kernel`` over ``image``: each output cell = sum(window * kernel). Cross-correlation.

    Shapes: H×W with kh×kw → H'×W'; H×W×C with kh×kw×C×F → H'×W'×F (F feature maps; a
    kh×kw×C kernel gives one H'×W' map). ``stride``: an int or a (rows, cols) pair. ``padding``:
    ``"valid"`` (no padding) or ``"same"`` (zeros as TensorFlow: extra at the bottom/right).
    H' = ``output_size(H, kh, stride, padding)``. Returns float32, like ``tf.nn.conv2d``.

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
    out_h, out_w = output_size(h, kh, sh, padding), output_size(wd, kw, sw, padding)
    if padding == "same":
        x = np.pad(x, (pad_same(h, kh, sh), pad_same(wd, kw, sw), (0, 0)))  # zeros around the image

    out = np.zeros((out_h, out_w, n_maps))
    for i in range(out_h):
        for j in range(out_w):
            window = x[i * sh: i * sh + kh, j * sw: j * sw + kw, :]              # kh×kw×C
            out[i, j, :] = (window[:, :, :, None] * w).sum(axis=(0, 1, 2))    # one value per map
    if single_map:
        out = out[:, :, 0]
    return out.astype(np.float32)


# ---------------------------------------------------------------- pooling
def pool2d(x, size=2, stride=None, mode="max", padding="valid"):
    """Max or average pooling of an H×W or H×W×C array, each channel on its own.

    ``size`` and ``stride`` (default: ``size``, windows side by side) are ints or (rows, cols)
    pairs. With ``padding="same"`` the windows at the bottom/right edge hang over the image;
    only the real pixels count — the max of those, or their **average** (divided by how many
    real pixels the window holds, not by the window size), as Keras does.

    >>> pool2d(np.array([[1.0, 2.0, 3.0]]), size=2, mode="average", padding="same").tolist()
    [[1.5, 3.0]]
    """
    x = _array(x, "x")
    if x.ndim not in (2, 3):
        raise ValueError(f"x must be H×W or H×W×C, got shape {x.shape}")
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be 'max' or 'average', got {mode!r}")
    padding = _padding(padding)
    ph, pw = to_pair(size, "size")
    sh, sw = to_pair(size if stride is None else stride, "stride")
    h, w = x.shape[:2]
    if padding == "valid" and (ph > h or pw > w):
        raise ValueError(f"pool size {ph}×{pw} is larger than the input {h}×{w} with padding='valid'")
    out_h, out_w = output_size(h, ph, sh, padding), output_size(w, pw, sw, padding)
    top, left = (pad_same(h, ph, sh)[0], pad_same(w, pw, sw)[0]) if padding == "same" else (0, 0)

    reduce = np.max if mode == "max" else np.mean
    out = np.zeros((out_h, out_w) + x.shape[2:])
    for i in range(out_h):
        for j in range(out_w):
            r0, c0 = i * sh - top, j * sw - left                  # window corner, may be outside
            rows = slice(max(r0, 0), min(r0 + ph, h))             # keep only the real pixels
            cols = slice(max(c0, 0), min(c0 + pw, w))
            out[i, j] = reduce(x[rows, cols], axis=(0, 1))
    return out.astype(np.float32)
