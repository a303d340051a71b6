"""Lesson 02's figure of one convolution step: window, kernel, products and the output cell they make.

One channel (an H×W image, a kh×kw kernel) or several (H×W×C with kh×kw×C: one row per channel, the channel
sums and the bias added into one output cell, as a ``Conv2D`` filter does)::

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_convolution_step(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), 1, 1)
    >>> fig.axes[4].get_title()
    'output[1, 1] = 90'
"""
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import Array, Bool, Choice, Int, Number, Pair, check_bool, check_int, contract
from cnnkit.ops import conv2d, pad_same, to_pair
from cnnkit.viz._draw import DIVERGING, _bound, _box, _draw_matrix, _fmt, _hatch, _matrix, _pair_text

#: the rules of a convolution figure's arguments, shared with :func:`cnnkit.viz.convolution_stepper`
RULES = dict(image=Array(ndim=(2, 3)), kernel=Array(ndim=(2, 3)), bias=Number(),
             stride=Int(low=1) | Pair(Int(low=1)), padding=Choice("valid", "same", ignore_case=True),
             decimals=Int(low=0))


def _convolution_parts(image, kernel, stride, padding, bias=0.0):
    """The checked inputs of a convolution figure, always with a channel axis.

    Returns image (H×W×C), kernel (kh×kw×C), strides, padded image (H'×W'×C), padding mask (H'×W'), the
    output map with the bias (H_out×W_out) and whether the input had a channel axis.
    """
    image, kernel = np.asarray(image), np.asarray(kernel)
    channels = image.ndim == 3
    if channels:
        if kernel.ndim != 3 or kernel.shape[2] != image.shape[2]:
            raise ValueError(f"kernel must be kh×kw×{image.shape[2]} for an H×W×{image.shape[2]} image (one "
                             f"kh×kw grid per channel), got shape {kernel.shape}")
        if image.shape[2] > 4:
            raise ValueError(f"image has {image.shape[2]} channels: the figure draws at most 4 (one row each)")
        image = np.stack([_matrix(image[:, :, c], "image") for c in range(image.shape[2])], axis=-1)
    else:
        image = _matrix(image, "image")[:, :, None]
        kernel = _matrix(kernel, "kernel")[:, :, None]
    image, kernel = image.astype(np.float64), kernel.astype(np.float64)
    sh, sw = to_pair(stride, "stride")
    out = conv2d(image, kernel, stride=(sh, sw), padding=padding) + float(bias)   # also checks padding/sizes
    kh, kw = kernel.shape[:2]
    padded, is_padding = image, np.zeros(image.shape[:2], bool)
    if padding.lower() == "same":
        pads = (pad_same(image.shape[0], kh, stride=sh), pad_same(image.shape[1], kw, stride=sw))
        padded = np.pad(image, pads + ((0, 0),))
        is_padding = np.pad(is_padding, pads, constant_values=True)
    return image, kernel, (sh, sw), padded, is_padding, out, channels


def _sum_text(values, fmt):
    """``values`` written as a sum, e.g. ``−4 + 5 − 2 + 1`` (``fmt`` formats one number)."""
    text = ""
    for k, v in enumerate(values):
        number = fmt.format(abs(v) + 0.0)
        text += ("−" if v < 0 else "") + number if k == 0 else (" − " if v < 0 else " + ") + number
    return text


@contract(i=Int(low=0), j=Int(low=0), full_output=Bool(), **RULES)
def show_convolution_step(image, kernel, i, j, *, bias=0.0, stride=1, padding="valid", decimals=2,
                          full_output=False):
    """One convolution step: the window, the kernel, their products and the output cell their sum becomes.

    The window at output position (i, j) is boxed on the image. Image and window share one gray scale;
    the zeros that ``"same"`` padding adds are hatched (orange), so they cannot be taken for the image's
    own zeros. Kernel, products and output are signed: each is drawn on a diverging map centred on zero
    (blue negative, white 0, red positive) with a colorbar. The products' and the output's scales span
    every step (so two steps compare by colour), and the output is filled up to step (i, j) in reading
    order; the cells still to come are gray. With several channels each gets a row (image, window, kernel
    and products on scales shared by every channel), and the output cell is the channel sums plus ``bias``.

    Args:
        image: an H×W (grayscale) or H×W×C array (C ≤ 4); small ones get their values written.
        kernel: kh×kw, or kh×kw×C for an H×W×C image (one filter: one grid per channel).
        i, j: the output row and column.
        bias: the number added to the window's sum (a filter's bias).
        stride: an int or a (rows, cols) pair.
        padding: ``"valid"`` or ``"same"`` (as :func:`cnnkit.ops.conv2d`).
        decimals: digits written for non-integers.
        full_output: draw the whole feature map, not only the cells computed so far.

    Returns:
        The Figure: axes 0–4 are image, window, kernel, products and output for one channel; with C
        channels, rows of four (image, window, kernel, products) per channel, then the output.

    Raises:
        ValueError: for (i, j) outside the output, or a kernel whose channels differ from the image's.

    Example:
        >>> fig = show_convolution_step(np.arange(25.0).reshape(5, 5), np.ones((3, 3)), 0, 1)
        >>> fig.axes[4].get_title(), int(np.isnan(fig.axes[4].images[0].get_array().filled(np.nan)).sum())
        ('output[0, 1] = 63', 7)
        >>> rgb = np.stack([np.eye(4), np.ones((4, 4)), np.zeros((4, 4))], axis=-1)
        >>> fig = show_convolution_step(rgb, np.ones((3, 3, 3)), 0, 0, bias=1.0)
        >>> fig.axes[3].get_title(), fig.axes[12].get_title()
        ('= products (sum 3)', 'output[0, 0] = 3 + 9 + 0 + 1 (bias) = 13')
    """
    image, kernel, (sh, sw), padded, is_padding, out, channels = _convolution_parts(image, kernel, stride, padding,
                                                                                     bias)
    for value, name, limit in ((i, "i", out.shape[0]), (j, "j", out.shape[1])):
        if not 0 <= check_int(value, name) < limit:
            raise ValueError(f"{name} must be an output position in 0..{limit - 1} "
                             f"(output is {out.shape[0]}×{out.shape[1]}), got {value!r}")
    decimals = check_int(decimals, "decimals", low=0)
    full_output = check_bool(full_output, "full_output")
    kh, kw, n_channels = kernel.shape
    r, c = i * sh, j * sw
    window = padded[r:r + kh, c:c + kw]
    products = window * kernel
    sums = products.sum(axis=(0, 1)) + 0.0
    total = float(sums.sum() + bias) + 0.0
    fmt = _fmt(np.concatenate([out.ravel(), sums, [float(bias)]]), decimals)
    total_text = fmt.format(total)
    every_window = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(0, 1))[::sh, ::sw]
    products_bound = _bound(every_window * np.moveaxis(kernel, -1, 0))
    shown = out.copy()
    if not full_output:
        shown.ravel()[i * out.shape[1] + j + 1:] = np.nan                 # cells after this step: not yet
    if not channels and bias == 0:
        output_title = f"output[{i}, {j}] = {total_text}"
    elif not channels:
        output_title = f"output[{i}, {j}] = {_sum_text([sums[0], bias], fmt)} (bias) = {total_text}"
    else:
        output_title = f"output[{i}, {j}] = {_sum_text(list(sums) + [float(bias)], fmt)} (bias) = {total_text}"

    if channels:
        fig = plt.figure(figsize=(13, 2.2 * n_channels + 0.6))
        layout = fig.add_gridspec(n_channels, 5, width_ratios=[1.6, 1, 1.2, 1.2, 1.7])
        rows = [[fig.add_subplot(layout[ch, col]) for col in range(4)] for ch in range(n_channels)]
        out_ax = fig.add_subplot(layout[:, 4])
    else:
        fig, axes = plt.subplots(1, 5, figsize=(15, 3.4), gridspec_kw={"width_ratios": [1.6, 1, 1.2, 1.2, 1.5]})
        rows, out_ax = [list(axes[:4])], axes[4]
    name = "padded image" if padding.lower() == "same" else "image"
    gray = dict(vmin=float(padded.min()), vmax=float(padded.max()))
    kernel_bound = _bound(kernel)
    for ch, (image_ax, window_ax, kernel_ax, products_ax) in enumerate(rows):
        where = f"channel {ch}: " if channels else ""
        _draw_matrix(image_ax, padded[:, :, ch], f"{where}{name}, window at row {r}, col {c}" if channels
                     else f"{name}: window at row {r}, col {c}", decimals=decimals, **gray)
        _hatch(image_ax, is_padding)
        _box(image_ax, r, c, kh, kw)
        _draw_matrix(window_ax, window[:, :, ch], "window (same gray scale)", decimals=decimals, **gray)
        _hatch(window_ax, is_padding[r:r + kh, c:c + kw])
        _draw_matrix(kernel_ax, kernel[:, :, ch], f"× kernel{f'[:, :, {ch}]' if channels else ''}", cmap=DIVERGING,
                     vmin=-kernel_bound, vmax=kernel_bound, decimals=decimals, colorbar=True)
        _draw_matrix(products_ax, products[:, :, ch], f"= products (sum {fmt.format(sums[ch])})", cmap=DIVERGING,
                     vmin=-products_bound, vmax=products_bound, decimals=decimals, colorbar=True)
    bound = _bound(out)
    _draw_matrix(out_ax, shown, output_title, cmap=DIVERGING, vmin=-bound, vmax=bound, decimals=decimals,
                 colorbar=True)
    if channels:
        out_ax.title.set_fontsize(9)
    _box(out_ax, i, j, 1, 1)
    pads = ", padding zeros hatched" if is_padding.any() else ""
    what = ("multiply element-wise, add up every channel and the bias → one output cell" if channels
            else "multiply element-wise, add up → one output cell")
    fig.suptitle(f"stride {_pair_text(sh, sw)}, padding '{padding}'{pads}: {what}", fontsize=11)
    fig.tight_layout()
    return fig
