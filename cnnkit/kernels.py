"""Classic hand-made image filters (kernels) as float32 arrays — what a CNN learns by itself later.

    >>> from cnnkit import kernels
    >>> kernels.get("sobel_x")
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]], dtype=float32)
    >>> sorted(kernels.KERNELS)[:3]
    ['box_blur', 'emboss', 'gaussian_blur']

Blurs sum to 1 (they keep the brightness), edge detectors sum to 0 (flat regions give 0),
sharpen = identity + (identity - blur) sums to 1.
"""
import numpy as np
from cnnkit._checks import Choice, contract


def _k(rows, scale=1.0):
    return (np.array(rows, dtype=np.float64) * scale).astype(np.float32)


identity = _k([[0, 0, 0],
               [0, 1, 0],
               [0, 0, 0]])
box_blur = _k(np.ones((3, 3)), 1 / 9)
gaussian_blur = _k([[1, 2, 1],
                    [2, 4, 2],
                    [1, 2, 1]], 1 / 16)
gaussian_blur_5x5 = _k(np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]), 1 / 256)
sharpen = _k([[0, -1, 0],
              [-1, 5, -1],
              [0, -1, 0]])
outline = _k([[-1, -1, -1],
              [-1, 8, -1],
              [-1, -1, -1]])
laplacian = _k([[0, 1, 0],
                [1, -4, 1],
                [0, 1, 0]])
sobel_x = _k([[-1, 0, 1],        # responds to vertical edges (brightness changing left → right)
              [-2, 0, 2],
              [-1, 0, 1]])
sobel_y = _k([[-1, -2, -1],      # responds to horizontal edges (brightness changing top → bottom)
              [0, 0, 0],
              [1, 2, 1]])
emboss = _k([[-2, -1, 0],
             [-1, 1, 1],
             [0, 1, 2]])

#: name -> kernel (a fresh copy is returned by :func:`get`)
KERNELS = {
    "identity": identity,
    "box_blur": box_blur,
    "gaussian_blur": gaussian_blur,
    "gaussian_blur_5x5": gaussian_blur_5x5,
    "sharpen": sharpen,
    "outline": outline,
    "laplacian": laplacian,
    "sobel_x": sobel_x,
    "sobel_y": sobel_y,
    "emboss": emboss,
}
for _kernel in KERNELS.values():
    _kernel.flags.writeable = False  # the module-level kernels are shared: never edit them in place


@contract(name=Choice(*KERNELS).describe(f"a kernel name (str); known kernels: {', '.join(KERNELS)}"))
def get(name):
    """A writable copy of the kernel called ``name`` (a key of :data:`KERNELS`).

    Args:
        name: a kernel name (``"sobel_x"``, ``"box_blur"``…).

    Returns:
        A float32 array you may change (the module's kernels are read-only).

    Raises:
        TypeError: ``name`` is not a str.
        ValueError: an unknown name (the message lists the known ones).

    Example:
        >>> get("box_blur").sum().round(6)
        np.float32(1.0)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a kernel name (str), got {name!r}; known kernels: {', '.join(KERNELS)}")
    if name not in KERNELS:
        raise ValueError(f"name {name!r} is not a known kernel; known kernels: {', '.join(KERNELS)}")
    return KERNELS[name].copy()
