"""Lesson 02's figure of one convolution step: window, kernel, products and the output cell they make.

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_convolution_step(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), 1, 1)
    >>> fig.axes[4].get_title()
    'output[1, 1] = 90'
"""
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import check_bool, check_int
from cnnkit.ops import conv2d, pad_same, to_pair
from cnnkit.viz._draw import DIVERGING, _bound, _box, _draw_matrix, _fmt, _hatch, _matrix, _pair_text


def _convolution_parts(image, kernel, stride, padding):
    """The checked inputs of a convolution figure: image, kernel, strides, padded image, padding mask, output."""
    image = _matrix(image, "image").astype(np.float64)
    kernel = _matrix(kernel, "kernel").astype(np.float64)
    sh, sw = to_pair(stride, "stride")
    out = conv2d(image, kernel, stride=(sh, sw), padding=padding)      # also checks padding/sizes
    kh, kw = kernel.shape
    padded, is_padding = image, np.zeros(image.shape, bool)
    if padding.lower() == "same":
        pads = (pad_same(image.shape[0], kh, stride=sh), pad_same(image.shape[1], kw, stride=sw))
        padded = np.pad(image, pads)
        is_padding = np.pad(is_padding, pads, constant_values=True)
    return image, kernel, (sh, sw), padded, is_padding, out


def show_convolution_step(image, kernel, i, j, *, stride=1, padding="valid", decimals=2, full_output=False):
    """One convolution step: the window, the kernel, their products and the output cell their sum becomes.

    The window at output position (i, j) is boxed on the image. Image and window share one gray scale;
    the zeros that ``"same"`` padding adds are hatched (orange), so they cannot be taken for the image's
    own zeros. Kernel, products and output are signed: each is drawn on a diverging map centred on zero
    (blue negative, white 0, red positive) with a colorbar. The products' and the output's scales span
    every step (so two steps compare by colour), and the output is filled up to step (i, j) in reading
    order; the cells still to come are gray.

    ``image``, ``kernel``: 2-D (grayscale) arrays; small ones get their values written. ``i``, ``j``: the
    output row and column. ``stride``: an int or a (rows, cols) pair. ``padding``: ``"valid"`` or
    ``"same"`` (as :func:`cnnkit.ops.conv2d`). ``decimals``: digits written for non-integers.
    ``full_output``: draw the whole feature map, not only the cells computed so far.

    >>> fig = show_convolution_step(np.arange(25.0).reshape(5, 5), np.ones((3, 3)), 0, 1)
    >>> fig.axes[4].get_title(), int(np.isnan(fig.axes[4].images[0].get_array().filled(np.nan)).sum())
    ('output[0, 1] = 63', 7)
    """
    image, kernel, (sh, sw), padded, is_padding, out = _convolution_parts(image, kernel, stride, padding)
    for value, name, limit in ((i, "i", out.shape[0]), (j, "j", out.shape[1])):
        if not 0 <= check_int(value, name) < limit:
            raise ValueError(f"{name} must be an output position in 0..{limit - 1} "
                             f"(output is {out.shape[0]}×{out.shape[1]}), got {value!r}")
    decimals = check_int(decimals, "decimals", low=0)
    full_output = check_bool(full_output, "full_output")
    kh, kw = kernel.shape
    r, c = i * sh, j * sw
    window = padded[r:r + kh, c:c + kw]
    products = window * kernel
    total = products.sum() + 0.0
    total_text = _fmt(np.array([total]), decimals).format(total)
    every_window = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw))[::sh, ::sw]
    products_bound = _bound(every_window * kernel)
    shown = out.copy()
    if not full_output:
        shown.ravel()[i * out.shape[1] + j + 1:] = np.nan                 # cells after this step: not yet

    fig, axes = plt.subplots(1, 5, figsize=(15, 3.4), gridspec_kw={"width_ratios": [1.6, 1, 1.2, 1.2, 1.5]})
    name = "padded image" if padding.lower() == "same" else "image"
    gray = dict(vmin=float(padded.min()), vmax=float(padded.max()))
    _draw_matrix(axes[0], padded, f"{name}: window at row {r}, col {c}", decimals=decimals, **gray)
    _hatch(axes[0], is_padding)
    _box(axes[0], r, c, kh, kw)
    _draw_matrix(axes[1], window, "window (same gray scale)", decimals=decimals, **gray)
    _hatch(axes[1], is_padding[r:r + kh, c:c + kw])
    bound = _bound(kernel)
    _draw_matrix(axes[2], kernel, "× kernel", cmap=DIVERGING, vmin=-bound, vmax=bound, decimals=decimals,
                 colorbar=True)
    _draw_matrix(axes[3], products, f"= products (sum {total_text})", cmap=DIVERGING, vmin=-products_bound,
                 vmax=products_bound, decimals=decimals, colorbar=True)
    bound = _bound(out)
    _draw_matrix(axes[4], shown, f"output[{i}, {j}] = {total_text}", cmap=DIVERGING, vmin=-bound, vmax=bound,
                 decimals=decimals, colorbar=True)
    _box(axes[4], i, j, 1, 1)
    pads = ", padding zeros hatched" if is_padding.any() else ""
    fig.suptitle(f"stride {_pair_text(sh, sw)}, padding '{padding}'{pads}: "
                 "multiply element-wise, add up → one output cell", fontsize=11)
    fig.tight_layout()
    return fig
