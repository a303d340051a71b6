"""Figures for lessons 01–03: pixel matrices, one convolution step, feature maps, kernels, pooling.

Every function draws with matplotlib (headless-safe), returns the Figure and never calls
``plt.show()`` — the notebook does::

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_matrix(np.arange(12).reshape(3, 4), title="a 3×4 matrix")
    >>> len(fig.axes[0].texts)          # every value is written on its cell
    12
"""
import matplotlib.patches as patches
import matplotlib.pyplot as plt
import numpy as np

from cnnkit.ops import conv2d, pad_same, pool2d, to_pair

MAX_WRITTEN = 24          # matrices up to 24×24 get every value written on its cell
CELL_INCHES = 0.42
HIGHLIGHT = "tab:red"


# ---------------------------------------------------------------- helpers
def _matrix(x, name, max_side=None):
    try:
        a = np.asarray(x)
    except Exception as err:  # noqa: BLE001 - ragged lists
        raise ValueError(f"{name} must be a numeric 2-D array ({err})") from None
    if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise ValueError(f"{name} must be a numeric 2-D array, got dtype {a.dtype}")
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (H×W), got shape {a.shape}")
    if max_side is not None and max(a.shape) > max_side:
        raise ValueError(f"{name} is {a.shape[0]}×{a.shape[1]}: too big to write every value; "
                         f"crop it to at most {max_side}×{max_side} first, e.g. {name}[:16, :16]")
    return a


def _fmt(a, decimals):
    if np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.bool_) or np.all(a == np.round(a)):
        return "{:.0f}"
    return "{:.%df}" % decimals


def _draw_matrix(ax, a, title=None, cmap="gray", vmin=None, vmax=None, write=True, decimals=2, fontsize=None):
    """imshow ``a`` on ``ax`` and (when ``write``) write each value on its cell in a readable colour."""
    a = np.asarray(a)
    vmin = float(np.min(a)) if vmin is None else vmin
    vmax = float(np.max(a)) if vmax is None else vmax
    ax.imshow(a, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    if write and max(a.shape) <= MAX_WRITTEN:
        fmt = _fmt(a, decimals)
        size = fontsize or max(5, min(11, 130 // max(a.shape)))
        colormap, span = plt.get_cmap(cmap), (vmax - vmin) or 1.0
        for (r, c), v in np.ndenumerate(a):
            red, green, blue, _ = colormap(float(np.clip((v - vmin) / span, 0, 1)))
            dark_cell = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(c, r, fmt.format(v + 0.0), ha="center", va="center", fontsize=size,
                    color="white" if dark_cell else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)


def _grid(n, ncols, panel=2.2):
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel * ncols, panel * nrows + 0.3), squeeze=False)
    for ax in axes.flat[n:]:
        ax.remove()
    return fig, list(axes.flat[:n])


def _box(ax, row, col, height, width, color=HIGHLIGHT, lw=2.5, fill=False, alpha=1.0):
    ax.add_patch(patches.Rectangle((col - 0.5, row - 0.5), width, height, fill=fill,
                                   edgecolor=color, facecolor=color if fill else "none", lw=lw, alpha=alpha))


def _pair_text(a, b):
    return f"{a}" if a == b else f"({a}, {b})"


def _positive_int(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


# ---------------------------------------------------------------- the figures
def show_matrix(matrix, title=None, cmap="gray", vmin=None, vmax=None, decimals=2):
    """A small 2-D array drawn as an image with every value written on its cell.

    Crop big images first (at most 24×24). ``vmin``/``vmax`` fix the colour scale (e.g. 0, 255).

    >>> fig = show_matrix(np.eye(3, dtype=np.uint8) * 255, vmin=0, vmax=255)
    """
    a = _matrix(matrix, "matrix", max_side=MAX_WRITTEN)
    h, w = a.shape
    fig, ax = plt.subplots(figsize=(max(2.0, w * CELL_INCHES), max(2.0, h * CELL_INCHES) + 0.4))
    _draw_matrix(ax, a, title=title or f"{h}×{w} {a.dtype}", cmap=cmap, vmin=vmin, vmax=vmax, decimals=decimals)
    fig.tight_layout()
    return fig


def show_convolution_step(image, kernel, i, j, stride=1, padding="valid", decimals=2):
    """One step of a convolution: the window at output position (i, j), the kernel, their element-wise
    products, and the sum that becomes output cell (i, j) — highlighted in the whole feature map.

    ``image`` and ``kernel`` are 2-D (grayscale); small images get their values written. ``stride``
    is an int or a (rows, cols) pair; ``padding`` is ``"valid"`` or ``"same"`` (as :func:`cnnkit.ops.conv2d`).

    >>> fig = show_convolution_step(np.arange(25.0).reshape(5, 5), np.ones((3, 3)), 0, 1)
    >>> fig.axes[-1].get_title()
    'output[0, 1] = 63'
    """
    image = _matrix(image, "image").astype(np.float64)
    kernel = _matrix(kernel, "kernel").astype(np.float64)
    sh, sw = to_pair(stride, "stride")
    out = conv2d(image, kernel, stride=(sh, sw), padding=padding)      # also checks padding/sizes
    for value, name, limit in ((i, "i", out.shape[0]), (j, "j", out.shape[1])):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
                or not 0 <= value < limit:
            raise ValueError(f"{name} must be an output position in 0..{limit - 1} "
                             f"(output is {out.shape[0]}×{out.shape[1]}), got {value!r}")
    kh, kw = kernel.shape
    padded = image
    if padding.lower() == "same":
        padded = np.pad(image, (pad_same(image.shape[0], kh, sh), pad_same(image.shape[1], kw, sw)))
    r, c = i * sh, j * sw
    window = padded[r:r + kh, c:c + kw]
    products = window * kernel
    total = products.sum() + 0.0
    total_text = _fmt(np.array([total]), decimals).format(total)

    fig, axes = plt.subplots(1, 5, figsize=(14, 3.3), gridspec_kw={"width_ratios": [1.6, 1, 1, 1, 1.3]})
    name = "padded image" if padded is not image else "image"
    _draw_matrix(axes[0], padded, f"{name}: window at row {r}, col {c}", decimals=decimals)
    _box(axes[0], r, c, kh, kw)
    _draw_matrix(axes[1], window, "window", decimals=decimals)
    _draw_matrix(axes[2], kernel, "× kernel", cmap="coolwarm", decimals=decimals)
    _draw_matrix(axes[3], products, f"= products (sum {total_text})", cmap="coolwarm", decimals=decimals)
    _draw_matrix(axes[4], out, f"output[{i}, {j}] = {total_text}",
                 cmap="viridis", decimals=decimals)
    _box(axes[4], i, j, 1, 1)
    fig.suptitle(f"stride {_pair_text(sh, sw)}, padding '{padding}': "
                 "multiply element-wise, add up → one output cell", fontsize=11)
    fig.tight_layout()
    return fig


def show_feature_maps(maps, titles=None, ncols=4, cmap="gray", max_maps=32):
    """Feature maps side by side: an H×W×F array (or a list of H×W arrays), one panel per map.

    >>> fig = show_feature_maps(np.zeros((8, 8, 3)), titles=["a", "b", "c"])
    >>> [ax.get_title() for ax in fig.axes]
    ['a', 'b', 'c']
    """
    if isinstance(maps, (list, tuple)):
        arrays = [_matrix(m, f"maps[{k}]") for k, m in enumerate(maps)]
    else:
        a = np.asarray(maps)
        if a.ndim == 2:
            a = a[:, :, None]
        if a.ndim == 4 and a.shape[0] == 1:
            a = a[0]                                              # a batch of one, as Keras returns
        if a.ndim != 3 or a.size == 0:
            raise ValueError(f"maps must be H×W×F (or 1×H×W×F, or a list of H×W arrays), got shape {a.shape}")
        arrays = [_matrix(a[:, :, k], f"maps[..., {k}]") for k in range(a.shape[2])]
    if not arrays:
        raise ValueError("maps is empty")
    ncols = _positive_int(ncols, "ncols")
    total = len(arrays)
    arrays = arrays[:_positive_int(max_maps, "max_maps")]
    if titles is None:
        titles = [f"map {k}" for k in range(len(arrays))]
    titles = list(titles)
    if len(titles) < len(arrays):
        raise ValueError(f"titles has {len(titles)} entries for {len(arrays)} maps")
    fig, axes = _grid(len(arrays), ncols)
    for ax, m, t in zip(axes, arrays, titles):
        ax.imshow(m, cmap=cmap)
        ax.set_title(t, fontsize=10)
        ax.axis("off")
    if total > len(arrays):
        fig.suptitle(f"the first {len(arrays)} of {total} maps (max_maps={len(arrays)})", fontsize=10)
    fig.tight_layout()
    return fig


def show_kernels(kernels, ncols=5, decimals=2, max_kernels=64):
    """Kernels with their values: a dict name → kh×kw, a kh×kw array, kh×kw×F, or kh×kw×C×F (one row per C).

    >>> from cnnkit.kernels import KERNELS
    >>> fig = show_kernels({k: KERNELS[k] for k in ("sobel_x", "sobel_y")})
    >>> [ax.get_title() for ax in fig.axes]
    ['sobel_x', 'sobel_y']
    """
    if isinstance(kernels, dict):
        if not kernels:
            raise ValueError("kernels is an empty dict")
        items = [(str(k), _matrix(v, f"kernels[{k!r}]")) for k, v in kernels.items()]
    else:
        a = np.asarray(kernels)
        if a.ndim == 2:
            items = [("kernel", _matrix(a, "kernels"))]
        elif a.ndim == 3:
            items = [(f"filter {f}", _matrix(a[:, :, f], "kernels")) for f in range(a.shape[2])]
        elif a.ndim == 4:
            ncols = a.shape[3]
            items = [(f"filter {f}, ch {c}" if a.shape[2] > 1 else f"filter {f}", _matrix(a[:, :, c, f], "kernels"))
                     for c in range(a.shape[2]) for f in range(a.shape[3])]
        else:
            raise ValueError("kernels must be a dict or a kh×kw, kh×kw×F or kh×kw×C×F array, "
                             f"got shape {a.shape}")
        if not items:
            raise ValueError(f"kernels is empty (shape {a.shape})")
    total = len(items)
    items = items[:_positive_int(max_kernels, "max_kernels")]
    fig, axes = _grid(len(items), _positive_int(ncols, "ncols"), panel=2.0)
    if total > len(items):
        fig.suptitle(f"the first {len(items)} of {total} kernels (max_kernels={len(items)})", fontsize=10)
    for ax, (title, k) in zip(axes, items):
        bound = float(np.abs(k).max()) or 1.0
        _draw_matrix(ax, k, title, cmap="coolwarm", vmin=-bound, vmax=bound, write=max(k.shape) <= 7,
                     decimals=decimals, fontsize=8 if max(k.shape) > 3 else 10)
    fig.tight_layout()
    return fig


def show_pooling(x, size=2, mode="max", stride=None, decimals=2):
    """Pooling of a small H×W array: the window grid on the input (the picked max circled, or the
    window shaded for the average) and the pooled output with its values. ``size`` and ``stride``
    (default: ``size``) are ints or (rows, cols) pairs.

    >>> fig = show_pooling(np.arange(16.0).reshape(4, 4), size=2, mode="max")
    >>> fig.axes[1].get_title()
    'max pool 2×2, stride 2 → 2×2'
    """
    a = _matrix(x, "x", max_side=MAX_WRITTEN).astype(np.float64)
    ph, pw = to_pair(size, "size")
    sh, sw = (ph, pw) if stride is None else to_pair(stride, "stride")
    out = pool2d(a, size=(ph, pw), stride=(sh, sw), mode=mode)          # checks mode and sizes
    out_h, out_w = out.shape
    colors = plt.get_cmap("tab10")

    size_inches = (max(5.0, 0.5 * (a.shape[1] + out_w) + 2), max(2.6, 0.45 * a.shape[0] + 0.8))
    fig, (left, right) = plt.subplots(1, 2, figsize=size_inches, gridspec_kw={"width_ratios": [a.shape[1], out_w]})
    _draw_matrix(left, a, f"input {a.shape[0]}×{a.shape[1]}", decimals=decimals)
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * sh, j * sw
            color = colors((i * out_w + j) % 10)
            _box(left, r, c, ph, pw, color=color, lw=2)
            if mode == "max":
                window = a[r:r + ph, c:c + pw]
                pr, pc = np.unravel_index(np.argmax(window), window.shape)
                left.add_patch(patches.Circle((c + pc, r + pr), 0.42, fill=False, edgecolor=color, lw=2.5))
            else:
                _box(left, r, c, ph, pw, color=color, fill=True, alpha=0.18, lw=0)
    _draw_matrix(right, out, f"{mode} pool {ph}×{pw}, stride {_pair_text(sh, sw)} → {out_h}×{out_w}",
                 decimals=decimals, vmin=float(a.min()), vmax=float(a.max()))
    for i in range(out_h):
        for j in range(out_w):
            _box(right, i, j, 1, 1, color=colors((i * out_w + j) % 10), lw=2)
    fig.tight_layout()
    return fig


def show_images(images, titles=None, ncols=None, cmap="gray", panel=3.0):
    """Images side by side (H×W in ``cmap``, H×W×3 in colour), each with its title and shape.

    >>> fig = show_images([np.zeros((4, 4)), np.ones((4, 4, 3))], titles=["black", "white"])
    >>> [ax.get_title() for ax in fig.axes]
    ['black', 'white']
    """
    if isinstance(images, np.ndarray) and images.ndim in (2, 3) and not (images.ndim == 3 and images.shape[2] > 4):
        images = [images]
    images = list(images)
    if not images:
        raise ValueError("images is empty")
    titles = [f"{np.shape(im)}" for im in images] if titles is None else list(titles)
    if len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries for {len(images)} images")
    fig, axes = _grid(len(images), _positive_int(ncols or len(images), "ncols"), panel=panel)
    for k, (ax, im, title) in enumerate(zip(axes, images, titles)):
        im = np.asarray(im)
        if im.ndim == 3 and im.shape[2] == 1:
            im = im[:, :, 0]
        if im.ndim not in (2, 3) or (im.ndim == 3 and im.shape[2] not in (3, 4)) or im.size == 0:
            raise ValueError(f"images[{k}] must be H×W or H×W×3, got shape {im.shape}")
        if im.ndim == 3 and im.dtype != np.uint8:
            im = im.astype(np.float64)
            lo, hi = im.min(), im.max()
            if lo < 0 or hi > 1:                  # rescale instead of letting matplotlib clip (and warn)
                im = (im - lo) / (hi - lo or 1.0)
        ax.imshow(im, cmap=cmap if im.ndim == 2 else None)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    return fig
