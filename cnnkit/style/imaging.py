"""Pictures in and out of style transfer: any image as uint8 RGB, resized by its longer side, colours kept.

    >>> import numpy as np
    >>> fit_size(as_rgb_image("chelsea"), 128).shape          # 300×451 photo, longer side 128, aspect kept
    (85, 128, 3)
"""
import os

import numpy as np
import tensorflow as tf

from cnnkit._checks import Int, PathLike, Str, check_array, check_int, contract
from cnnkit._checks import Image as ImageRule

MAX_SIDE = 2048
MIN_SIDE = 32
#: a content or style image: a sample name, a file path or an image array
_PICTURE = (ImageRule(channels=(1, 3, 4)) | PathLike()).describe(
    "a sample name, an image file path or an image array (uint8, uint16, bool or float in [0, 1])")


@contract(image=_PICTURE.named_by("name"), name=Str())
def as_rgb_image(image, *, name="image"):
    """Turn any image into uint8 H×W×3 RGB.

    Args:
        image: a sample name or a file path (read by :func:`cnnkit.images.load_image`), or an array that is gray
            (H×W or H×W×1), RGB or RGBA (composited on white), of uint8, uint16, bool or float in [0, 1]
            (scaled by its dtype, see :func:`cnnkit.images.as_rgb`).
        name: what error messages call the image (``"content"``, ``"style"``).

    Returns:
        A uint8 H×W×3 RGB array, at the image's own size.

    Raises:
        FileNotFoundError, ValueError: for a missing file or an unknown sample name (the message starts with
            ``name``), and ``TypeError`` / ``ValueError`` for an array of the wrong dtype, shape or range.

    Example:
        >>> as_rgb_image(np.zeros((2, 3))).shape, as_rgb_image("camera").shape
        ((2, 3, 3), (512, 512, 3))
    """
    from cnnkit.images import as_rgb, load_image

    if isinstance(image, (str, os.PathLike)):
        try:
            return load_image(image)
        except (FileNotFoundError, ValueError) as err:  # say which argument the name or file came from
            raise type(err)(f"{name}: {err}") from None
    return as_rgb(image, name)


#: an RGB image whose three channels differ by at most this many levels (of 255) at every pixel is gray: scikit-image's
#: brick, gravel and grass exactly, a gray JPEG within its rounding; stylize keeps a gray style's result gray
GRAY_LEVELS = 3


@contract(image=_PICTURE)
def is_gray(image):
    """True when an image's RGB channels differ by at most :data:`GRAY_LEVELS` (of 255) at every pixel.

    Args:
        image: anything :func:`as_rgb_image` takes (a sample name, a file path, an array).

    Returns:
        A bool: whether the image, as uint8 RGB, has no colour beyond ``GRAY_LEVELS`` levels anywhere.

    Example:
        >>> is_gray("camera"), is_gray("chelsea"), is_gray(np.array([[[0.5, 0.5, 0.52]]]))
        (True, False, False)
    """
    image = as_rgb_image(image).astype(np.int16)
    return bool((image.max(axis=-1) - image.min(axis=-1)).max() <= GRAY_LEVELS)


@contract(image=ImageRule(ndim=3, channels=(3,)), max_side=Int(low=MIN_SIDE, high=MAX_SIDE))
def fit_size(image, max_side):
    """Resize a uint8 RGB image so its longer side is ``max_side`` pixels (aspect kept, Lanczos).

    Args:
        image: a uint8 H×W×3 array (see :func:`as_rgb_image`).
        max_side: the new longer side, an int from 32 to 2048. The shorter side is rounded, and at least 16.

    Returns:
        A uint8 h×w×3 array with ``max(h, w) == max_side`` (``image`` itself when it has that size already).

    Example:
        >>> fit_size(np.zeros((300, 150, 3), np.uint8), 128).shape
        (128, 64, 3)
    """
    from PIL import Image

    max_side = check_int(max_side, "max_side", low=MIN_SIDE, high=MAX_SIDE)
    image = check_array(image, "image", ndim=3)
    if image.dtype != np.uint8 or image.shape[-1] != 3:
        raise ValueError(f"image must be uint8 H×W×3 (see as_rgb_image), got {image.dtype} {image.shape}")
    h, w = image.shape[:2]
    scale = max_side / max(h, w)
    new_h, new_w = max(MIN_SIDE // 2, round(h * scale)), max(MIN_SIDE // 2, round(w * scale))
    if (new_h, new_w) == (h, w):
        return image
    return np.asarray(Image.fromarray(image).resize((new_w, new_h), Image.Resampling.LANCZOS))


@contract(stylised=ImageRule(ndim=3, channels=(3,)), content=ImageRule(ndim=3, channels=(3,)))
def preserve_colors(stylised, content):
    """Keep the luminance of ``stylised`` and take the colours (YIQ chroma) of ``content`` (Gatys et al. 2016).

    Args:
        stylised, content: uint8 H×W×3 images of the same shape.

    Returns:
        A uint8 H×W×3 array: the luminance (Y) of ``stylised`` with the chroma (I, Q) of ``content``.

    Example:
        >>> gray = np.full((1, 2, 3), 128, np.uint8)
        >>> preserve_colors(gray, np.array([[[200, 60, 60], [60, 60, 200]]], np.uint8))[0].tolist()  # red, blue
        [[226, 86, 86], [112, 112, 252]]
    """
    from cnnkit.images import as_float

    s = tf.image.rgb_to_yiq(as_float(stylised, "stylised"))        # the one dtype rule: uint8 or float in [0, 1]
    c = tf.image.rgb_to_yiq(as_float(content, "content"))
    if s.shape != c.shape:
        raise ValueError(f"stylised {tuple(s.shape)} and content {tuple(c.shape)} must have the same shape")
    rgb = tf.image.yiq_to_rgb(tf.concat([s[..., :1], c[..., 1:]], axis=-1))
    return np.round(np.clip(rgb.numpy(), 0, 1) * 255).astype(np.uint8)
