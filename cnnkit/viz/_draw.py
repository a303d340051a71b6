"""Drawing helpers shared by the figures of :mod:`cnnkit.viz`: a matrix with its values written on the cells,
symmetric colour bounds for signed data, boxes and hatching.

    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> image = _draw_matrix(ax, np.array([[1, -2]]), cmap=DIVERGING, vmin=-_bound([1, -2]), vmax=2)
    >>> [t.get_text() for t in ax.texts], image.get_clim()
    (['1', '-2'], (-2.0, 2.0))
    >>> plt.close(fig)
"""
import matplotlib.patches as patches
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import check_array

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


def _hatch(ax, mask, row0=0, col0=0):
    """Hatch the cells of ``mask`` (the zeros that padding added), offset by (row0, col0) on ``ax``."""
    for r, c in zip(*np.nonzero(mask)):
        ax.add_patch(patches.Rectangle((c + col0 - 0.5, r + row0 - 0.5), 1, 1, fill=False, hatch="////",
                                       edgecolor=PADDING, lw=0))
