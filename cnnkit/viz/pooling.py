"""Lesson 03's pooling figure: the windows on a small input and the pooled output with its values.

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_pooling(np.arange(16.0).reshape(4, 4), size=2, mode="average")
    >>> fig.axes[1].get_title()
    'average pool 2×2, stride 2 → 2×2'
"""
import matplotlib.patches as patches
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import Array, Choice, Int, Pair, check_int, contract
from cnnkit.ops import pool2d, to_pair
from cnnkit.viz._draw import MAX_WRITTEN, _box, _draw_matrix, _matrix, _pair_text


#: a window or a stride: an int or a (rows, cols) pair, as cnnkit.ops.pool2d takes
_STEP = (Int(low=1) | Pair(Int(low=1), what="an int or a (rows, cols) pair of ints ≥ 1")).describe(
    "an int or a (rows, cols) pair of ints ≥ 1")


@contract(x=Array(ndim=2), size=_STEP, mode=Choice("max", "average"), stride=_STEP | None, decimals=Int(low=0))
def show_pooling(x, *, size=2, mode="max", stride=None, decimals=2):
    """Pooling of a small H×W array: the windows on the input and the pooled output with its values.

    The picked maximum is circled (``mode="max"``); for ``"average"`` every cell of a window counts, so only
    the window's box is drawn (no tint: each cell keeps the gray of its value, as in the output).

    Args:
        x: an H×W array of at most 24×24.
        size: the pooling window, an int or a (rows, cols) pair, as :func:`cnnkit.ops.pool2d`.
        mode: ``"max"`` or ``"average"``.
        stride: the same kinds (None: ``size``).
        decimals: digits written.

    Returns:
        The matplotlib Figure (input on the left, output on the right).

    Example:
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
