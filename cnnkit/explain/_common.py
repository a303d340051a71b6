"""What the explain modules share: the lazy Keras import and the image-batch check."""
import numpy as np

from cnnkit._checks import check_array


def _keras():
    import keras

    return keras


def _batch(images, name="image"):
    x = check_array(images, name, dtype=np.float32)
    if x.ndim not in (3, 4):
        raise ValueError(f"{name} must be H × W × C or N × H × W × C, got shape {x.shape}")
    return x, x.ndim == 3
