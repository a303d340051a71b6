"""Load a photo as a NumPy array (a bundled sample by name, or any image file by path) and turn image
arrays into displayable ones by one rule: the *dtype* says what white is, never the pixel values.

    >>> from cnnkit.images import load_image, SAMPLE_NAMES
    >>> load_image("camera").shape, load_image("camera").dtype
    ((512, 512, 3), dtype('uint8'))
    >>> load_image("coffee", shorter_side=128).shape        # aspect ratio kept
    (128, 192, 3)
    >>> load_image("coffee", shape=(64, 64), gray=True).shape
    (64, 64)

Every image comes back as ``uint8``: H×W×3 RGB, or H×W when ``gray=True``. RGBA (composited on
white), palette, 16-bit, grayscale and EXIF-rotated files are normalised to that.

The dtype rule (as :func:`skimage.util.img_as_ubyte`, except that uint16 is rounded, ``÷ 257``):

=================  ==========================  =========================================
dtype              white is                    anything else
=================  ==========================  =========================================
``uint8``          255                         —
``uint16``         65535 (``÷ 257``, rounded)  —
``bool``           ``True``                    —
float (any width)  1.0                         values outside [0, 1] raise ``ValueError``
other integers     —                           ``TypeError``: say what the numbers mean
=================  ==========================  =========================================

Other integer dtypes (int32, int64, …) are refused rather than guessed: the same numbers can be 8-bit
or 16-bit pixels. Convert them first (``a.astype(np.uint8)`` for values in 0..255, ``a.astype(np.uint16)``
for 16-bit ones). An image file in PIL's 32-bit mode ``"I"`` is read as 16-bit when its values lie in
0..65535, and refused otherwise; mode ``"F"`` (float) files follow the float rule.
"""
import os

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnnkit._checks import Bool, Int, Pair, PathLike, Str, check_image, check_int, check_path, check_side_pair, contract
from cnnkit._checks import Image as ImageRule   # PIL's Image is the other one


def _skimage(name):
    def load():
        import skimage.data

        return getattr(skimage.data, name)()

    return load


def _sklearn(filename):
    def load():
        from sklearn.datasets import load_sample_image

        return load_sample_image(filename)

    return load


def _grace_hopper():
    import matplotlib.cbook

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
        return np.asarray(Image.open(f).convert("RGB"))


def _motorcycle():
    import skimage.data

    return skimage.data.stereo_motorcycle()[0]       # the left view of a stereo pair


#: bundled real photos: name -> loader (scikit-image, scikit-learn and matplotlib sample data)
SAMPLES = {
    "camera": _skimage("camera"),
    "astronaut": _skimage("astronaut"),
    "coffee": _skimage("coffee"),
    "chelsea": _skimage("chelsea"),
    "china": _sklearn("china.jpg"),
    "flower": _sklearn("flower.jpg"),
    "grace_hopper": _grace_hopper,
    "rocket": _skimage("rocket"),
    "motorcycle": _motorcycle,
    "brick": _skimage("brick"),    # gray textures (lesson 07's held-out styles)
    "gravel": _skimage("gravel"),
    "grass": _skimage("grass"),
}
SAMPLE_NAMES = tuple(SAMPLES)


# ----------------------------------------------------------------- the dtype rule
def _white(image, name):
    """``(array, white)``: ``image`` as a numeric array and the value that means white for its dtype
    (:func:`cnnkit._checks.check_image`, the one rule every image consumer goes through)."""
    return check_image(image, name)


@contract(image=ImageRule(ndim=None).named_by("name"), name=Str())
def as_uint8(image, name="image"):
    """``image`` as ``uint8`` of the same shape, scaled by its dtype (see the table above).

    Args:
        image: an array of uint8, uint16, bool or float in [0, 1], any shape.
        name: what error messages call the array (``"content"``, ``"style"``…).

    Returns:
        A uint8 array of ``image``'s shape.

    Raises:
        TypeError: another integer dtype (say what the numbers mean: convert it first).
        ValueError: a float image outside [0, 1], or NaN.

    Example:
        >>> as_uint8(np.array([200, 300, 65535], np.uint16)).tolist()     # ÷ 257: 300 stays brighter than 200
        [1, 1, 255]
        >>> as_uint8(np.array([0.0, 0.5, 1.0])).tolist()
        [0, 128, 255]
        >>> as_uint8(np.array([1.001]))                       # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: image is a float image, so its values must lie in [0, 1]; found [1.001, 1.001] ...
    """
    a, white = _white(image, name)
    if white == 255:
        return a
    if white == 65535:
        return ((a.astype(np.uint32) + 128) // 257).astype(np.uint8)       # round(a / 257), no ties
    return np.round(a.astype(np.float64) * (255.0 / white)).astype(np.uint8)


@contract(image=ImageRule(ndim=None).named_by("name"), name=Str())
def as_float(image, name="image"):
    """``image`` as ``float32`` in [0, 1] of the same shape, scaled by its dtype (see the table above).

    Args:
        image: an array of uint8, uint16, bool or float in [0, 1], any shape.
        name: what error messages call the array.

    Returns:
        A float32 array of ``image``'s shape, in [0, 1].

    Raises:
        TypeError: another integer dtype.
        ValueError: a float image outside [0, 1], or NaN.

    Example:
        >>> as_float(np.array([0, 51, 255], np.uint8)).tolist()
        [0.0, 0.20000000298023224, 1.0]
        >>> as_float(np.arange(3, dtype=np.int64))            # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: image has dtype int64; an image must be uint8 (0..255), uint16 (0..65535), bool or float in [0, 1]...
    """
    a, white = _white(image, name)
    return (a.astype(np.float32) / np.float32(white)) if white != 1 else a.astype(np.float32)


@contract(image=ImageRule().named_by("name"), name=Str())
def as_rgb(image, name="image"):
    """An image array as uint8 H×W×3, scaled by its dtype (see the table above).

    Args:
        image: gray (H×W or H×W×1), RGB (H×W×3) or RGBA (H×W×4, composited on white), of uint8, uint16,
            bool or float in [0, 1].
        name: what error messages call the array.

    Returns:
        A contiguous uint8 array H×W×3.

    Raises:
        TypeError: another integer dtype.
        ValueError: another shape, an empty image, a float outside [0, 1], or NaN.

    Example:
        >>> as_rgb(np.zeros((2, 3))).shape
        (2, 3, 3)
        >>> as_rgb(np.full((1, 1), 1.0))[0, 0].tolist(), as_rgb(np.full((1, 1), 300, np.uint16))[0, 0].tolist()
        ([255, 255, 255], [1, 1, 1])
    """
    a = as_uint8(image, name)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[-1] not in (3, 4)):
        raise ValueError(f"{name} must be H×W, H×W×1, H×W×3 or H×W×4, got shape {a.shape}")
    if min(a.shape[:2]) < 1:
        raise ValueError(f"{name} is empty (shape {a.shape})")
    if a.ndim == 2:
        return np.stack([a] * 3, axis=-1)
    if a.shape[-1] == 4:
        alpha = a[..., 3:].astype(np.float64) / 255.0
        return np.round(a[..., :3] * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    return np.ascontiguousarray(a)


# ----------------------------------------------------------------- files
def _from_pil(img, name):
    """Normalise a PIL image: EXIF rotation, RGBA on white, palette/16-bit/gray → uint8 RGB."""
    img = ImageOps.exif_transpose(img)
    if img.mode.startswith("I;16"):
        return as_rgb(np.asarray(img).astype(np.uint16), name)
    if img.mode == "I":                              # 32-bit signed: read as 16-bit when it fits
        low, high = img.getextrema()
        if low < 0 or high > 65535:
            raise ValueError(f"{name} holds 32-bit integers in [{low}, {high}]; only 0..65535 (16-bit) "
                             "images are supported")
        return as_rgb(np.asarray(img).astype(np.uint16), name)
    if img.mode == "F":
        return as_rgb(np.asarray(img), name)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(img.convert("RGB"))


def _read_file(path):
    path = check_path(path, "image file", kind="any")
    if path.is_dir():
        raise ValueError(f"image path '{path}' is a directory, not an image file")
    if path.stat().st_size == 0:
        raise ValueError(f"image file '{path}' is empty")
    try:
        with Image.open(path) as img:
            img.load()
            return _from_pil(img, f"image file '{path}'")
    except Image.DecompressionBombError as err:     # PIL's guard against decompression bombs, with the file named
        raise ValueError(f"image file '{path}' is too large to open safely ({err})") from err
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise ValueError(f"image file '{path}' is not a readable image ({err})") from err


def _resize(rgb, new_h, new_w):
    if (new_h, new_w) == rgb.shape[:2]:
        return rgb
    return np.asarray(Image.fromarray(rgb).resize((new_w, new_h), Image.Resampling.LANCZOS))


@contract(name_or_path=PathLike().describe("a sample name or a file path (str or os.PathLike)"),
          shorter_side=Int(low=1) | None, gray=Bool(),
          shape=Pair(Int(low=1), what="a (height, width) pair (shorter_side= takes an int)") | None)
def load_image(name_or_path, *, shorter_side=None, shape=None, gray=False):
    """Load a bundled photo (see ``SAMPLE_NAMES``) or an image file as a uint8 array.

    Args:
        name_or_path: a sample name or the path of an image file (str or ``os.PathLike``).
        shorter_side: an int; the shorter side becomes that long, the aspect ratio is kept.
        shape: a ``(height, width)`` pair; the image is resized to exactly that (give at most one of the two).
        gray: return H×W luminance (ITU-R 601, as PIL's "L" mode) instead of H×W×3 RGB.

    Returns:
        A uint8 array, H×W×3 RGB (or H×W with ``gray=True``).

    Raises:
        FileNotFoundError: a missing file.
        ValueError: an unknown name, an empty, corrupt, too large or out-of-range file (each names the file
            or name), or both ``shorter_side`` and ``shape``.

    Example:
        >>> load_image("chelsea", shorter_side=30).shape
        (30, 45, 3)
        >>> load_image("no_such_folder/cat.png")
        Traceback (most recent call last):
        ...
        FileNotFoundError: image file: no such path: no_such_folder/cat.png
    """
    if shorter_side is not None and shape is not None:
        raise ValueError(f"give shorter_side or shape, not both (got {shorter_side!r} and {shape!r})")
    if shorter_side is not None:
        shorter_side = check_int(shorter_side, "shorter_side", low=1)
    if shape is not None:
        if not isinstance(shape, (tuple, list)):
            raise TypeError(f"shape must be a (height, width) pair, got {shape!r} (shorter_side= takes an int)")
        if len(shape) != 2:
            raise ValueError(f"shape must be a (height, width) pair, got {shape!r}")
        shape = check_side_pair(shape, "shape")
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError("name_or_path must be a sample name or a file path (str or os.PathLike), got "
                        f"{type(name_or_path).__name__}")
    text = os.fspath(name_or_path)
    if text in SAMPLES:
        rgb = as_rgb(SAMPLES[text](), text)
    else:
        if not os.path.exists(text) and os.sep not in text and "/" not in text \
                and "." not in os.path.basename(text):
            raise ValueError(f"unknown image name {text!r}; known names: {', '.join(SAMPLE_NAMES)} "
                             "(or give a path to an image file)")
        rgb = _read_file(text)
    if shorter_side is not None:
        h, w = rgb.shape[:2]
        scale = shorter_side / min(h, w)
        rgb = _resize(rgb, max(1, round(h * scale)), max(1, round(w * scale)))
    elif shape is not None:
        rgb = _resize(rgb, *shape)
    if gray:
        return np.asarray(Image.fromarray(rgb).convert("L"))
    return np.ascontiguousarray(rgb)
