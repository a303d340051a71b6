"""What the offline content term keeps of a photo: its layout (brightness at a coarse pyramid level) and its edges
(where the brightness changes, at a finer level), each compared up to contrast by :func:`layout_loss`.

    >>> import numpy as np
    >>> step = np.zeros((1, 64, 64, 3), "float32"); step[:, :, 32:] = 1.0      # dark left half, bright right half
    >>> round(float(layout_loss(luminance_layout(1 - step), luminance_layout(step))), 3)   # the layout inverted
    2.0
    >>> round(float(layout_loss(luminance_edges(1 - step), luminance_edges(step))), 3)     # the same outline
    0.0
"""
import numpy as np
import tensorflow as tf

from cnnkit._checks import Array, Instance, Int, Number, contract

__all__ = ["EDGE_SIDE", "auto_edge_level", "layout_loss", "luminance_edges", "luminance_layout"]

#: ``edge_level="auto"`` compares the outlines at the pyramid level whose longer side is closest to this many pixels
#: (level 1 at 256 px, 2 at 512 px, never 0), so the term keeps the same outlines at every size, as the edge statistic
#: of :mod:`cnnkit.style.quality` does (its blur is a fraction of the side)
EDGE_SIDE = 128
#: feature maps or images: a B×H×W×C (or H×W×C) array or tensor
_FEATURES = (Instance("tensorflow.Tensor", "tensorflow.Variable") | Array(ndim=(3, 4))).describe(
    "B×H×W×C (or H×W×C) feature maps, an array or a tensor")
# a 5-tap binomial blur, applied before each halving (a Gaussian pyramid)
_BINOMIAL = np.array([1, 4, 6, 4, 1], np.float32) / 16
_LUMA = (0.299, 0.587, 0.114)


def _features(x, name="features"):
    x = tf.convert_to_tensor(x, tf.float32)
    if x.shape.rank == 3:
        x = x[None]
    if x.shape.rank != 4:
        raise ValueError(f"{name} must be H×W×C or B×H×W×C, got shape {tuple(x.shape)}")
    return x


def _blur_halve(images):
    """One pyramid step: a 5×5 binomial blur (edges mirrored) and every second pixel, per channel."""
    x = _features(images, "images")
    c = x.shape[-1]
    kernel = tf.constant(np.tile((_BINOMIAL[:, None] * _BINOMIAL[None, :])[:, :, None, None], (1, 1, c, 1)))
    return tf.nn.depthwise_conv2d(tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], mode="SYMMETRIC"), kernel,
                                  strides=[1, 2, 2, 1], padding="VALID")


@contract(images=_FEATURES, level=Int(low=0, high=8))
def luminance_layout(images, *, level=2):
    """The layout of an image: its brightness at pyramid ``level`` (blurred and halved ``level`` times), mean removed.

    It is what ``content="layout"`` keeps: where the photo is bright or dark, at a scale where the style's finer
    texture is free to change.

    Args:
        images: a B×H×W×3 batch (or one H×W×3 image) in [0, 1].
        level: how many times to blur and halve (0: full resolution; 2: a quarter of each side).

    Returns:
        A B×h×w×1 tensor.

    Example:
        >>> luminance_layout(np.zeros((1, 64, 48, 3), "float32"), level=2).shape
        TensorShape([1, 16, 12, 1])
    """
    x = _features(images, "images")
    lum = tf.tensordot(x, tf.constant(_LUMA), axes=1)[..., None]
    for _ in range(level):
        lum = _blur_halve(lum)
    return lum - tf.reduce_mean(lum, axis=[1, 2, 3], keepdims=True)


@contract(images=_FEATURES, level=Int(low=0, high=8), blur=Number(low=0, high=64))
def luminance_edges(images, *, level=1, blur=0.0):
    """Where an image's brightness changes: the gradient magnitude of its luminance at pyramid ``level``, mean removed.

    Compared with :func:`layout_loss` (up to contrast), it asks for the photo's outlines, not for the brightness on
    either side of them, so a style may repaint both sides in its own colours. With ``blur`` > 0 the magnitudes are
    averaged over a neighbourhood first: how *much* the brightness changes around each place (an edge density), so a
    fine texture spread evenly over a flat part of the photo adds a constant, which the correlation ignores, instead
    of a pixel-by-pixel pattern that the photo does not have.

    Args:
        images: a B×H×W×3 batch (or one H×W×3 image) in [0, 1].
        level: how many times to blur and halve first (1: half of each side, so single-pixel grain does not count).
        blur: σ (0 to 64, in pixels of ``level``) of a Gaussian over the magnitudes; 0: none. Near the borders only
            the pixels inside count (a normalised convolution), so any size works.

    Returns:
        A B×(h−1)×(w−1)×1 tensor: ``√(dy² + dx² + 10⁻⁶)`` of neighbouring pixels, blurred, minus its mean.

    Example:
        >>> step = np.zeros((1, 8, 8, 3), "float32"); step[:, :, 4:] = 1.0     # a vertical edge
        >>> e = luminance_edges(step, level=0).numpy()[0, :, :, 0]
        >>> int(np.argmax(e[0])), e.shape                                     # strongest where it steps
        (3, (7, 7))
    """
    lum = luminance_layout(images, level=level)          # its mean removed: the differences are the same
    dy, dx = lum[:, 1:, :-1] - lum[:, :-1, :-1], lum[:, :-1, 1:] - lum[:, :-1, :-1]
    magnitude = tf.sqrt(dy * dy + dx * dx + 1e-6)
    if blur > 0:
        magnitude = _gaussian_blur(magnitude, float(blur))
    return magnitude - tf.reduce_mean(magnitude, axis=[1, 2, 3], keepdims=True)


def _gaussian_blur(maps, sigma):
    """A separable Gaussian (σ px, 3σ each side) over B×H×W×1 maps, divided by the kernel's part inside the map."""
    r = max(1, int(np.ceil(3 * sigma)))
    k = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma * sigma)).astype(np.float32)
    k /= k.sum()
    ky, kx = tf.constant(k.reshape(-1, 1, 1, 1)), tf.constant(k.reshape(1, -1, 1, 1))

    def conv(x):
        return tf.nn.conv2d(tf.nn.conv2d(x, ky, 1, "SAME"), kx, 1, "SAME")

    return conv(maps) / conv(tf.ones_like(maps[:1]))


@contract(side=Int(low=1))
def auto_edge_level(side):
    """The pyramid level whose longer side is nearest :data:`EDGE_SIDE` px, and at least 1, for a longer side ``side``.

    Level 1 at the tuning's 256 px, 2 at 512 px, so the term looks at the same outlines at every size, as the edge
    statistic does. Never level 0: at full resolution the differences between neighbouring pixels are mostly grain
    (in notebook 07's α/β sweep at 128 px, before the blur of ``edge_blur``, level 0 kept the rocket's outlines
    worse than level 1: edge correlation 0.41 against 0.75 at the default α).

    Args:
        side: the image's longer side in pixels (≥ 1).

    Returns:
        An int from 1 to 8: what ``edge_level="auto"`` uses.

    Example:
        >>> [auto_edge_level(s) for s in (96, 256, 512, 2048)]
        [1, 1, 2, 4]
    """
    return max(1, min(8, int(round(float(np.log2(side / EDGE_SIDE))))))


@contract(layout=_FEATURES, target=_FEATURES)
def layout_loss(layout, target):
    """``1 − corr``: how much of ``target``'s map is missing from ``layout`` (0 kept, 1 gone, 2 inverted).

    Args:
        layout: a :func:`luminance_layout` (or :func:`luminance_edges`) map, B×h×w×1.
        target: the photo's map of the same size; the correlation is averaged over the batch.

    Returns:
        A scalar tensor; the contrast of either map does not count.

    Example:
        >>> ramp = np.linspace(-1, 1, 16, dtype="float32").reshape(1, 4, 4, 1)
        >>> abs(round(float(layout_loss(3 * ramp, ramp)), 6)), float(layout_loss(-ramp, ramp))
        (0.0, 2.0)
    """
    a, p = _features(layout, "layout"), _features(target, "target")
    corr = tf.reduce_sum(a * p, axis=[1, 2, 3]) / tf.sqrt(
        tf.reduce_sum(a * a, axis=[1, 2, 3]) * tf.reduce_sum(p * p, axis=[1, 2, 3]) + 1e-12)
    return 1.0 - tf.reduce_mean(corr)
