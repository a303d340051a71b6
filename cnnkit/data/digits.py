"""scikit-learn's bundled handwritten digits (1,797 images of 8 × 8), optionally upscaled: no download.

    >>> from cnnkit.data import load_digits
    >>> data = load_digits(size=16, seed=0)
    >>> data.train.x.shape[1:], data.train.x.dtype.name, data.class_names[:3]
    ((16, 16, 1), 'float32', ['0', '1', '2'])
    >>> len(data.train) + len(data.val) + len(data.test)
    1797

Use it where a lesson wants real handwriting offline (the stand-in for MNIST, which needs a download).
"""
import numpy as np

from cnnkit._checks import Fraction, Int, Seed, check_int, check_size, contract
from cnnkit.data.splits import split_arrays


@contract(size=Int(low=8) | None, seed=Seed(), val=Fraction(), test=Fraction())
def load_digits(*, size=None, seed=0, val=0.15, test=0.15):
    """The 8 × 8 digits as float32 images in [0, 1] of shape ``size × size × 1``, split into train / val / test.

    Args:
        size: the square side to upscale to (an int ≥ 8), or None to keep 8 × 8. Upscaling is bilinear
            (``skimage.transform.resize``), so strokes stay smooth.
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` for the split.
        val: the share held out for validation (stratified by digit).
        test: the share held out for test (stratified by digit).

    Returns:
        A :class:`~cnnkit.data.Splits` of :class:`~cnnkit.data.Split` parts, class names ``"0"`` … ``"9"``.

    Example:
        >>> data = load_digits(size=16, seed=0)
        >>> data.train.x.shape[1:], data.class_names[:3], len(data.train) + len(data.val) + len(data.test)
        ((16, 16, 1), ['0', '1', '2'], 1797)
    """
    from sklearn.datasets import load_digits as sklearn_digits

    if size is not None:
        size = check_int(size, "size", low=8)
        check_size(1797 * size * size * 4 * 3, "size", size, f"1,797 digits of {size} × {size} (with the resizing)")
    bunch = sklearn_digits()
    images = bunch.images.astype(np.float32) / np.float32(16)  # pixel values are 0..16
    if size is not None and size != 8:
        from skimage.transform import resize

        images = resize(images, (len(images), size, size), order=1, anti_aliasing=False,
                        preserve_range=True).astype(np.float32)
    images = np.clip(images, 0.0, 1.0)[..., None]
    names = [str(t) for t in bunch.target_names]
    return split_arrays(images, bunch.target.astype(np.int64), names, val=val, test=test, seed=seed)
