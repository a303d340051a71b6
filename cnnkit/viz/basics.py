"""Figures for lessons 01–03: pixel matrices, one convolution step, feature maps, kernels, pooling.

Every function draws with matplotlib (headless-safe), returns the Figure and never calls
``plt.show()`` — the notebook does::

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_matrix(np.arange(12).reshape(3, 4), title="a 3×4 matrix")
    >>> len(fig.axes[0].texts)          # every value is written on its cell
    12
"""
import base64
import io

import matplotlib.patches as patches
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import check_array, check_bool, check_int, check_number
from cnnkit.images import as_float
from cnnkit.ops import conv2d, pad_same, pool2d, to_pair
from cnnkit.viz._layout import grid

MAX_WRITTEN = 24          # matrices up to 24×24 get every value written on its cell
CELL_INCHES = 0.42
HIGHLIGHT = "tab:red"
DIVERGING = "RdBu_r"      # signed values: blue negative, white zero, red positive (bounds ±max|value|)
PADDING = "tab:orange"    # hatching of the zeros that padding adds around an image


# ---------------------------------------------------------------- helpers
def _matrix(x, name, max_side=None):
    a = check_array(x, name, ndim=2)
    if a.size == 0:
        raise ValueError(f"{name} is empty (shape {a.shape})")
    if max_side is not None and max(a.shape) > max_side:
        raise ValueError(f"{name} is {a.shape[0]}×{a.shape[1]}: too big to write every value; "
                         f"crop it to at most {max_side}×{max_side} first, e.g. {name}[:16, :16]")
    return a


def _fmt(a, decimals):
    if np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.bool_) or np.all(a == np.round(a)):
        return "{:.0f}"
    return "{:.%df}" % decimals


def _draw_matrix(ax, a, title=None, cmap="gray", vmin=None, vmax=None, write=True, decimals=2, fontsize=None,
                 colorbar=False):
    """imshow ``a`` on ``ax`` and (when ``write``) write each value on its cell in a readable colour.

    NaN cells (not computed yet) are drawn light gray and left blank. Returns the image (for a colorbar).
    """
    a = np.asarray(a, dtype=np.float64) if np.asarray(a).dtype == bool else np.asarray(a)
    known = a[np.isfinite(a)] if np.issubdtype(a.dtype, np.floating) else a
    vmin = (float(np.min(known)) if known.size else 0.0) if vmin is None else vmin
    vmax = (float(np.max(known)) if known.size else 1.0) if vmax is None else vmax
    colormap = plt.get_cmap(cmap).with_extremes(bad="0.88")
    image = ax.imshow(np.ma.masked_invalid(a) if np.issubdtype(a.dtype, np.floating) else a, cmap=colormap,
                      vmin=vmin, vmax=vmax, interpolation="nearest")
    if write and max(a.shape) <= MAX_WRITTEN:
        fmt = _fmt(known if known.size else np.zeros(1), decimals)
        size = fontsize or max(5, min(11, 130 // max(a.shape)))
        span = (vmax - vmin) or 1.0
        for (r, c), v in np.ndenumerate(a):
            if not np.isfinite(v):
                continue
            red, green, blue, _ = colormap(float(np.clip((v - vmin) / span, 0, 1)))
            dark_cell = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(c, r, fmt.format(v + 0.0), ha="center", va="center", fontsize=size,
                    color="white" if dark_cell else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return image


def _bound(*arrays):
    """The symmetric colour bound ±max|value| of a zero-centred diverging map (1 when all are 0)."""
    finite = [np.abs(a[np.isfinite(a)]) for a in map(np.asarray, arrays)]
    return max((float(f.max()) for f in finite if f.size), default=0.0) or 1.0


def _box(ax, row, col, height, width, color=HIGHLIGHT, lw=2.5, fill=False, alpha=1.0):
    ax.add_patch(patches.Rectangle((col - 0.5, row - 0.5), width, height, fill=fill,
                                   edgecolor=color, facecolor=color if fill else "none", lw=lw, alpha=alpha))


def _pair_text(a, b):
    return f"{a}" if a == b else f"({a}, {b})"


# ---------------------------------------------------------------- the figures
def show_matrix(matrix, *, title=None, cmap="gray", vmin=None, vmax=None, decimals=2):
    """A small 2-D array drawn as an image with every value written on its cell.

    ``matrix``: an H×W numeric array of at most 24×24 (crop big images first). ``title``: the axes title
    (default: its shape and dtype). ``cmap``: a matplotlib colour map. ``vmin``/``vmax``: fix the colour
    scale (e.g. 0, 255; default: the matrix's min and max). ``decimals``: digits written for non-integers.

    >>> fig = show_matrix(np.eye(3, dtype=np.uint8) * 255, vmin=0, vmax=255)
    >>> [t.get_text() for t in fig.axes[0].texts][:3], fig.axes[0].get_title()
    (['255', '0', '0'], '3×3 uint8')
    """
    a = _matrix(matrix, "matrix", max_side=MAX_WRITTEN)
    decimals = check_int(decimals, "decimals", low=0)
    h, w = a.shape
    fig, ax = plt.subplots(figsize=(max(2.0, w * CELL_INCHES), max(2.0, h * CELL_INCHES) + 0.4))
    _draw_matrix(ax, a, title=title or f"{h}×{w} {a.dtype}", cmap=cmap, vmin=vmin, vmax=vmax, decimals=decimals)
    fig.tight_layout()
    return fig


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


def _hatch(ax, mask, row0=0, col0=0):
    """Hatch the cells of ``mask`` (the zeros that padding added), offset by (row0, col0) on ``ax``."""
    for r, c in zip(*np.nonzero(mask)):
        ax.add_patch(patches.Rectangle((c + col0 - 0.5, r + row0 - 0.5), 1, 1, fill=False, hatch="////",
                                       edgecolor=PADDING, lw=0))


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


def convolution_stepper(image, kernel, *, stride=1, padding="valid", decimals=2):
    """A slider that moves the window over the image and redraws :func:`show_convolution_step` (ipywidgets).

    Each step of the slider is one output cell in reading order: the window, the products, their sum and
    the feature map filled up to that cell follow. In a notebook, ``display`` the widget it returns (the
    last expression of a cell does). Arguments as :func:`show_convolution_step`.

    Returns an ``ipywidgets.VBox``: ``.slider`` (an ``IntSlider``, 0 … number of output cells − 1),
    ``.text`` (an ``HTML`` line with the sum) and ``.output`` (an ``Output`` holding the figure).

    >>> w = convolution_stepper(np.arange(16.0).reshape(4, 4), np.ones((3, 3)))
    >>> w.slider.max, w.text.value
    (3, 'step 0: output[0, 0] = 45')
    >>> w.slider.value = 3
    >>> w.text.value, w.output.outputs[0]["data"]["text/plain"]
    ('step 3: output[1, 1] = 90', '<convolution step 3>')
    """
    import ipywidgets as widgets

    image, kernel, stride, _, _, out = _convolution_parts(image, kernel, stride, padding)
    decimals = check_int(decimals, "decimals", low=0)
    slider = widgets.IntSlider(value=0, min=0, max=out.size - 1, step=1, description="step",
                               continuous_update=False, layout=widgets.Layout(width="60%"))
    text = widgets.HTML()
    output = widgets.Output()

    def draw(change=None):
        i, j = divmod(slider.value, out.shape[1])
        value = _fmt(out, decimals).format(out[i, j] + 0.0)
        text.value = f"step {slider.value}: output[{i}, {j}] = {value}"
        fig = show_convolution_step(image, kernel, i, j, stride=stride, padding=padding, decimals=decimals)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=80)
        plt.close(fig)
        # the frame goes straight into the Output widget's outputs: it shows in a live notebook and stays
        # inspectable where no kernel captures output (a test, a script)
        output.outputs = ({"output_type": "display_data", "metadata": {},
                           "data": {"image/png": base64.b64encode(png.getvalue()).decode("ascii"),
                                    "text/plain": f"<convolution step {slider.value}>"}},)

    slider.observe(draw, names="value")
    draw()
    box = widgets.VBox([widgets.HBox([slider, text]), output])
    box.slider, box.text, box.output = slider, text, output
    return box


def show_feature_maps(maps, *, titles=None, ncols=4, cmap="gray", max_maps=32, vmin=None, vmax=None,
                      shared=False, centered=False, colorbar=False, values=False):
    """Feature maps side by side, one panel per map, each coloured from its own minimum to its maximum.

    ``maps``: an H×W×F array (or 1×H×W×F, as Keras returns for one image, or a list of H×W arrays) of
    any numeric range — the place for data (feature maps, Gram matrices, differences); photos go to
    :func:`show_images`. ``titles``: one per map (default: ``map k``). ``ncols``: panels per row.
    ``cmap``: a matplotlib colour map. ``max_maps``: draw at most this many (the title then says so).

    Scales, where magnitudes are compared: ``vmin``/``vmax`` fix one scale for every panel (e.g. 0, 255
    for pixel channels); ``shared=True`` gives every panel the same scale (the min and max over all maps);
    ``centered=True`` centres each scale on zero (±max|value|, shared or per map) on a diverging map
    (blue negative, white 0, red positive; ``cmap`` then defaults to it). ``colorbar``: a colorbar per
    panel. ``values``: write each value on its cell (maps up to 24×24).

    >>> fig = show_feature_maps(np.zeros((8, 8, 3)), titles=["a", "b", "c"])
    >>> [ax.get_title() for ax in fig.axes]
    ['a', 'b', 'c']
    >>> fig = show_feature_maps([np.array([[-1.0, 2.0]]), np.array([[0.5, 4.0]])], shared=True, centered=True)
    >>> [fig.axes[k].images[0].get_clim() for k in (0, 1)]
    [(-4.0, 4.0), (-4.0, 4.0)]
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
    ncols = check_int(ncols, "ncols", low=1)
    shared, centered, colorbar, values = (check_bool(v, n) for v, n in (
        (shared, "shared"), (centered, "centered"), (colorbar, "colorbar"), (values, "values")))
    fixed = [check_number(v, n) if v is not None else None for v, n in ((vmin, "vmin"), (vmax, "vmax"))]
    if None not in fixed and fixed[0] >= fixed[1]:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin}, vmax={vmax}")
    total = len(arrays)
    arrays = arrays[:check_int(max_maps, "max_maps", low=1)]
    if titles is None:
        titles = [f"map {k}" for k in range(len(arrays))]
    titles = list(titles)
    if len(titles) < len(arrays):
        raise ValueError(f"titles has {len(titles)} entries for {len(arrays)} maps")
    if centered and cmap == "gray":
        cmap = DIVERGING
    everything = np.concatenate([m.ravel().astype(np.float64) for m in arrays])
    fig, axes = grid(len(arrays), ncols, panel=2.6 if colorbar else 2.2)
    for ax, m, t in zip(axes, arrays, titles):
        scope = everything if shared else m.astype(np.float64)
        if centered:
            low, high = -_bound(scope), _bound(scope)
        else:
            low, high = float(np.nanmin(scope)), float(np.nanmax(scope))
        low, high = fixed[0] if fixed[0] is not None else low, fixed[1] if fixed[1] is not None else high
        _draw_matrix(ax, m, t, cmap=cmap, vmin=low, vmax=high, write=values and max(m.shape) <= MAX_WRITTEN,
                     colorbar=colorbar)
        ax.axis("off")
    if total > len(arrays):
        fig.suptitle(f"the first {len(arrays)} of {total} maps (max_maps={len(arrays)})", fontsize=10)
    fig.tight_layout()
    return fig


def show_kernels(kernels, *, ncols=5, decimals=2, max_kernels=64):
    """Kernels with their values, one panel each, blue (negative) to red (positive), white at zero.

    ``kernels``: a dict name → kh×kw array, a kh×kw array, kh×kw×F, or kh×kw×C×F (one row per input
    channel C, as a Keras ``Conv2D`` kernel). ``ncols``: panels per row (a 4-D kernel sets it to F).
    ``decimals``: digits written on kernels up to 7×7. ``max_kernels``: draw at most this many.

    >>> from cnnkit.kernels import KERNELS
    >>> fig = show_kernels({k: KERNELS[k] for k in ("sobel_x", "sobel_y")})
    >>> [ax.get_title() for ax in fig.axes]
    ['sobel_x', 'sobel_y']
    """
    ncols = check_int(ncols, "ncols", low=1)
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
    decimals = check_int(decimals, "decimals", low=0)
    items = items[:check_int(max_kernels, "max_kernels", low=1)]
    fig, axes = grid(len(items), check_int(ncols, "ncols", low=1), panel=2.0)
    if total > len(items):
        fig.suptitle(f"the first {len(items)} of {total} kernels (max_kernels={len(items)})", fontsize=10)
    for ax, (title, k) in zip(axes, items):
        bound = float(np.abs(k).max()) or 1.0
        _draw_matrix(ax, k, title, cmap=DIVERGING, vmin=-bound, vmax=bound, write=max(k.shape) <= 7,
                     decimals=decimals, fontsize=8 if max(k.shape) > 3 else 10)
    fig.tight_layout()
    return fig


def show_pooling(x, *, size=2, mode="max", stride=None, decimals=2):
    """Pooling of a small H×W array: the windows on the input and the pooled output with its values.

    The picked maximum is circled (``mode="max"``); for ``"average"`` every cell of a window counts, so only
    the window's box is drawn (no tint: each cell keeps the gray of its value, as in the output). ``x``: an H×W
    array of at most 24×24. ``size``: the pooling window, an int or a (rows, cols) pair, as
    :func:`cnnkit.ops.pool2d`. ``stride``: the same kinds (default: ``size``). ``decimals``: digits written.

    >>> fig = show_pooling(np.arange(16.0).reshape(4, 4), size=2, mode="max")
    >>> fig.axes[1].get_title()
    'max pool 2×2, stride 2 → 2×2'
    """
    a = _matrix(x, "x", max_side=MAX_WRITTEN).astype(np.float64)
    decimals = check_int(decimals, "decimals", low=0)
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
    _draw_matrix(right, out, f"{mode} pool {ph}×{pw}, stride {_pair_text(sh, sw)} → {out_h}×{out_w}",
                 decimals=decimals, vmin=float(a.min()), vmax=float(a.max()))
    for i in range(out_h):
        for j in range(out_w):
            _box(right, i, j, 1, 1, color=colors((i * out_w + j) % 10), lw=2)
    fig.tight_layout()
    return fig


def show_images(images, *, titles=None, ncols=None, cmap="gray", panel=3.0):
    """Images side by side, each with its title, on the scale its dtype sets (as :mod:`cnnkit.images`).

    ``images``: one image or a list (or an N×H×W×C batch) of them. H×W (or H×W×1) is drawn in ``cmap``,
    H×W×3 and H×W×4 in colour. Each must be uint8 (0..255), uint16, bool or float in [0, 1]: black is 0
    and white the dtype's maximum, whatever the pixels hold, so a dark photo stays dark (a float image
    outside [0, 1] is refused; draw data of any range, such as feature maps, with :func:`show_feature_maps`).
    ``titles``: one per image (default: its shape). ``ncols``: panels per row (default: all in one row).
    ``cmap``: the colour map of gray images. ``panel``: the side of each panel in inches.

    >>> fig = show_images([np.zeros((4, 4)), np.ones((4, 4, 3))], titles=["black", "white"])
    >>> [ax.get_title() for ax in fig.axes]
    ['black', 'white']
    >>> show_images(np.full((4, 4), 2.0))                   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: images[0] is a float image, so its values must lie in [0, 1]; found [2, 2] ...
    """
    if isinstance(images, np.ndarray) and images.ndim in (2, 3) and not (images.ndim == 3 and images.shape[2] > 4):
        images = [images]
    images = list(images)
    if not images:
        raise ValueError("images is empty")
    titles = [f"{np.shape(im)}" for im in images] if titles is None else list(titles)
    if len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries for {len(images)} images")
    shown = []
    for k, im in enumerate(images):
        im = as_float(im, f"images[{k}]")
        if im.ndim == 3 and im.shape[2] == 1:
            im = im[:, :, 0]
        if im.ndim not in (2, 3) or (im.ndim == 3 and im.shape[2] not in (3, 4)) or im.size == 0:
            raise ValueError(f"images[{k}] must be H×W, H×W×1, H×W×3 or H×W×4, got shape {im.shape}")
        shown.append(im)
    fig, axes = grid(len(shown), check_int(ncols or len(shown), "ncols", low=1),
                     panel=check_number(panel, "panel", low=0, low_open=True))
    for ax, im, title in zip(axes, shown, titles):
        if im.ndim == 2:
            ax.imshow(im, cmap=cmap, vmin=0.0, vmax=1.0)
        else:
            ax.imshow(im)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    return fig
