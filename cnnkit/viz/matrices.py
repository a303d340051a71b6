"""Figures of small arrays for lessons 01–03: a matrix with its values, feature maps side by side, kernels.

Every function draws with matplotlib (headless-safe), returns the Figure and never calls
``plt.show()`` — the notebook does::

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_matrix(np.arange(12).reshape(3, 4), title="a 3×4 matrix")
    >>> len(fig.axes[0].texts)          # every value is written on its cell
    12
"""
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import (Array, Bool, Instance, Int, Mapping, Number, Seq, Str, check_bool, check_int, check_number,
                            contract)
from cnnkit.viz._draw import CELL_INCHES, DIVERGING, MAX_WRITTEN, _bound, _draw_matrix, _matrix
from cnnkit.viz._layout import grid


_KERNELS = "a dict or a kh×kw, kh×kw×F or kh×kw×C×F array"
#: a matplotlib colour map: a name or a Colormap
_CMAP = (Str() | Instance("matplotlib.colors.Colormap")).describe("a matplotlib colour map name or Colormap")


@contract(matrix=Array(ndim=2), title=Str(empty=True) | None, cmap=_CMAP, vmin=Number() | None, vmax=Number() | None,
          decimals=Int(low=0))
def show_matrix(matrix, *, title=None, cmap="gray", vmin=None, vmax=None, decimals=2):
    """A small 2-D array drawn as an image with every value written on its cell.

    Args:
        matrix: an H×W numeric array of at most 24×24 (crop big images first).
        title: the axes title (None: its shape and dtype).
        cmap: a matplotlib colour map.
        vmin: fix the bottom of the colour scale (e.g. 0; None: the matrix's min).
        vmax: fix the top of the colour scale (e.g. 255; None: the matrix's max).
        decimals: digits written for non-integers.

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: an empty matrix, or one larger than 24×24.

    Example:
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


@contract(maps=(Array(ndim=(3, 4)) | Seq(Array(ndim=2))).describe("H×W×F (or 1×H×W×F) maps, or a list of H×W arrays"),
          titles=Seq(Str(empty=True), min_len=0, what="a list of titles") | None, ncols=Int(low=1), cmap=_CMAP,
          max_maps=Int(low=1), vmin=Number() | None, vmax=Number() | None, shared=Bool(), centered=Bool(),
          colorbar=Bool(), values=Bool())
def show_feature_maps(maps, *, titles=None, ncols=4, cmap="gray", max_maps=32, vmin=None, vmax=None,
                      shared=False, centered=False, colorbar=False, values=False):
    """Feature maps side by side, one panel per map, each coloured from its own minimum to its maximum.

    The place for data of any numeric range (feature maps, Gram matrices, differences); photos go to
    :func:`show_images`.

    Args:
        maps: an H×W×F array (or 1×H×W×F, as Keras returns for one image, or a list of H×W arrays).
        titles: one per map (None: ``map k``).
        ncols: panels per row.
        cmap: a matplotlib colour map.
        max_maps: draw at most this many (the title then says so).
        vmin: with ``vmax``, one fixed scale for every panel (e.g. 0, 255 for pixel channels).
        vmax: the top of that scale.
        shared: give every panel the same scale (the min and max over all maps), where magnitudes are compared.
        centered: centre each scale on zero (±max|value|, shared or per map) on a diverging map (blue
            negative, white 0, red positive; ``cmap`` then defaults to it).
        colorbar: a colorbar per panel.
        values: write each value on its cell (maps up to 24×24).

    Returns:
        The matplotlib Figure.

    Example:
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


@contract(kernels=(Mapping(Str(), Array(ndim=2)) | Array(ndim=(2, 3, 4)).describe(_KERNELS)).describe(_KERNELS),
          ncols=Int(low=1), decimals=Int(low=0), max_kernels=Int(low=1))
def show_kernels(kernels, *, ncols=5, decimals=2, max_kernels=64):
    """Kernels with their values, one panel each, blue (negative) to red (positive), white at zero.

    Args:
        kernels: a dict name → kh×kw array, a kh×kw array, kh×kw×F, or kh×kw×C×F (one row per input channel
            C, as a Keras ``Conv2D`` kernel).
        ncols: panels per row (a 4-D kernel sets it to F).
        decimals: digits written on kernels up to 7×7.
        max_kernels: draw at most this many.

    Returns:
        The matplotlib Figure.

    Example:
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
