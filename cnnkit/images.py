"""Load a photo as a NumPy array: a bundled sample by name, or any image file by path.

    >>> from cnnkit.images import load_image, SAMPLE_NAMES
    >>> load_image("camera").shape, load_image("camera").dtype
    ((512, 512, 3), dtype('uint8'))
    >>> load_image("coffee", size=128).shape        # the shorter side becomes 128, aspect kept
    (128, 192, 3)
    >>> load_image("coffee", size=(64, 64), gray=True).shape
    (64, 64)

Every image comes back as ``uint8``: H×W×3 RGB, or H×W when ``gray=True``. RGBA (composited on
white), palette, 16-bit, grayscale and EXIF-rotated files are normalised to that.
"""
import os

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError


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


#: bundled real photos: name -> loader (scikit-image, scikit-learn and matplotlib sample data)
SAMPLES = {
    "camera": _skimage("camera"),
    "astronaut": _skimage("astronaut"),
    "coffee": _skimage("coffee"),
    "chelsea": _skimage("chelsea"),
    "china": _sklearn("china.jpg"),
    "flower": _sklearn("flower.jpg"),
    "grace_hopper": _grace_hopper,
}
SAMPLE_NAMES = tuple(SAMPLES)


def _to_uint8(array):
    """Scale any numeric image array to uint8 (16-bit and float images included)."""
    a = np.asarray(array)
    if a.dtype == np.uint8:
        return a
    if a.dtype == bool:
        return a.astype(np.uint8) * 255
    if np.issubdtype(a.dtype, np.integer):
        top = 65535 if a.max(initial=0) > 255 else 255
        return np.clip(np.round(a.astype(np.float64) * 255.0 / top), 0, 255).astype(np.uint8)
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError("image contains NaN or infinite values")
    if a.max(initial=0) <= 1.0:
        a = a * 255.0
    return np.clip(np.round(a), 0, 255).astype(np.uint8)


def as_rgb(image, arg="image"):
    """An image array → uint8 H×W×3: gray (H×W or H×W×1), RGB, or RGBA (composited on white),
    as uint8, any integer type or float in [0, 1]. ``arg`` names the array in error messages.

        >>> as_rgb(np.zeros((2, 3))).shape
        (2, 3, 3)
    """
    try:
        a = np.asarray(image)
    except Exception as err:  # noqa: BLE001
        raise ValueError(f"{arg} must be an image array, a sample name or a file path ({err})") from err
    if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise ValueError(f"{arg} must be a numeric image array, got dtype {a.dtype}")
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[-1] not in (3, 4)):
        raise ValueError(f"{arg} must be H×W, H×W×1, H×W×3 or H×W×4, got shape {a.shape}")
    if min(a.shape[:2]) < 1:
        raise ValueError(f"{arg} is empty (shape {a.shape})")
    if not np.isfinite(a.astype(np.float64)).all():
        raise ValueError(f"{arg} contains NaN or infinite values")
    a = _to_uint8(a)
    if a.ndim == 2:
        return np.stack([a] * 3, axis=-1)
    if a.shape[-1] == 4:
        alpha = a[..., 3:].astype(np.float64) / 255.0
        return np.round(a[..., :3] * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    return np.ascontiguousarray(a)


def _from_pil(img):
    """Normalise a PIL image: EXIF rotation, RGBA on white, palette/16-bit/gray → uint8 RGB."""
    img = ImageOps.exif_transpose(img)
    if img.mode.startswith("I;16"):  # 16-bit: scale by the bit depth, not by the brightest pixel
        values = np.asarray(img).astype(np.float64) * 255.0 / 65535.0
        return np.stack([np.round(values).astype(np.uint8)] * 3, axis=-1)
    if img.mode in ("I", "F"):
        return np.stack([_to_uint8(np.asarray(img))] * 3, axis=-1)
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(img.convert("RGB"))


def _read_file(path):
    if not os.path.exists(path):
        raise ValueError(f"image file {path!r} does not exist")
    if os.path.isdir(path):
        raise ValueError(f"image path {path!r} is a directory, not an image file")
    if os.path.getsize(path) == 0:
        raise ValueError(f"image file {path!r} is empty")
    try:
        with Image.open(path) as img:
            img.load()
            return _from_pil(img)
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise ValueError(f"image file {path!r} is not a readable image ({err})") from err


def _resize(rgb, size):
    h, w = rgb.shape[:2]
    if isinstance(size, (int, np.integer)):
        if size <= 0:
            raise ValueError(f"size must be positive, got {size}")
        scale = size / min(h, w)
        new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    else:
        try:
            new_h, new_w = (int(s) for s in size)
        except (TypeError, ValueError) as err:
            raise ValueError(f"size must be an int or an (height, width) pair, got {size!r}") from err
        if new_h <= 0 or new_w <= 0:
            raise ValueError(f"size must be positive, got {size!r}")
    if (new_h, new_w) == (h, w):
        return rgb
    return np.asarray(Image.fromarray(rgb).resize((new_w, new_h), Image.Resampling.LANCZOS))


def load_image(name_or_path, size=None, gray=False):
    """Load a bundled photo (see ``SAMPLE_NAMES``) or an image file as a uint8 array.

    ``size``: an int makes the shorter side that long (aspect ratio kept); a pair ``(h, w)`` gives
    that exact shape. ``gray=True`` returns H×W luminance (ITU-R 601, as PIL's "L" mode).
    Raises ``ValueError`` naming the file or name when it is missing, empty, corrupt or unknown.
    """
    if isinstance(name_or_path, (str, os.PathLike)) and str(name_or_path) in SAMPLES:
        rgb = as_rgb(SAMPLES[str(name_or_path)](), str(name_or_path))
    elif isinstance(name_or_path, (str, os.PathLike)):
        path = os.fspath(name_or_path)
        if not os.path.exists(path) and os.sep not in path and "." not in os.path.basename(path):
            raise ValueError(f"unknown image name {path!r}; known names: {', '.join(SAMPLE_NAMES)} "
                             "(or give a path to an image file)")
        rgb = _read_file(path)
    else:
        raise ValueError(f"name_or_path must be a sample name or a file path, got {type(name_or_path).__name__}")
    if size is not None:
        rgb = _resize(rgb, size)
    if gray:
        return np.asarray(Image.fromarray(rgb).convert("L"))
    return np.ascontiguousarray(rgb)
