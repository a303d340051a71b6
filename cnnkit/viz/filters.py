"""Figures for lessons 04–06: what a trained network learned (its kernels and its feature maps).

Every function draws with matplotlib (headless-safe), returns the Figure and never calls
``plt.show()`` — the notebook does::

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> k = np.zeros((3, 3, 1, 2)); k[1, 1, 0, 0] = 1.0
    >>> fig = viz.compare_filters([k, -k], titles=["before", "after"])
    >>> fig.axes[0].images[0].get_clim()
    (-1.0, 1.0)
"""
import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import (Any_, Array, Bool, Choice, Int, KerasModel, Seq, Str, check_array, check_choice, check_int,
                            contract)
from cnnkit.viz._layout import grid


def _unit(a):
    """Rescale ``a`` to [0, 1] (a constant array becomes 0.5)."""
    lo, hi = float(np.min(a)), float(np.max(a))
    return np.full_like(a, 0.5, dtype=float) if hi == lo else (a - lo) / (hi - lo)


_LAYER = (Str() | Int()).describe("a layer name or an integer index")
_TITLES = Seq(Any_("a title: anything str() prints")) | None


@contract(model=KerasModel(), layer=_LAYER, max_filters=Int(low=1), ncols=Int(low=1), channel=Int(low=0) | None)
def show_learned_filters(model, layer, *, max_filters=32, ncols=8, channel=None):
    """Draw the kernels of a trained convolution layer, one small image per filter.

    A first layer on RGB input (and ``channel=None``) shows each 3-channel kernel in colour, deeper layers in
    grey. Each filter is rescaled on its own so its pattern (edge, blob, colour) is visible.

    Args:
        model: a Keras model.
        layer: the convolution's name or index.
        max_filters: draw at most this many.
        ncols: panels per row.
        channel: the input channel to draw (None: the mean over input channels).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: the layer is not a 2-D convolution.

    Example:
        >>> import keras
        >>> net = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(6, 3, name="conv")])
        >>> fig = show_learned_filters(net, "conv", ncols=3)
        >>> len(fig.axes), fig.axes[0].images[0].get_array().shape
        (6, (3, 3, 3))
    """
    from cnnkit.models import find_layer

    target = find_layer(model, layer)
    weights = target.get_weights()
    if not weights or np.ndim(weights[0]) != 4:
        raise ValueError(f"layer {target.name!r} is not a 2-D convolution (it has no kh×kw×in×out kernel)")
    kernel = np.asarray(weights[0])
    n = min(check_int(max_filters, "max_filters", low=1), kernel.shape[-1])
    ncols = check_int(ncols, "ncols", low=1)
    if channel is not None:
        channel = check_int(channel, "channel", low=0, high=kernel.shape[2] - 1)
    colour = kernel.shape[2] == 3 and channel is None
    fig, axes = grid(n, ncols, panel=0.9, extra_height=0.4)
    for i, ax in enumerate(axes):
        ax.axis("off")
        k = kernel[..., i]
        if colour:
            ax.imshow(_unit(k), interpolation="nearest")
        else:
            k = k.mean(axis=-1) if channel is None else k[..., channel]
            ax.imshow(_unit(k), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(str(i), fontsize=7)
    kh, kw, cin, cout = kernel.shape
    fig.suptitle(f"{target.name}: {n} of {cout} filters ({kh}×{kw}×{cin})", fontsize=9)
    fig.tight_layout()
    return fig


@contract(kernels=Seq(Array(ndim=4)), titles=_TITLES, max_filters=Int(low=1), channel_names=_TITLES)
def compare_filters(kernels, *, titles=None, max_filters=8, channel_names=None):
    """Convolution kernels side by side on ONE zero-centred colour scale (e.g. before and after training).

    Each array gets C rows, one per input channel; every panel shares one blue–white–red scale centred on
    zero (white is 0), with one colorbar, so that sizes compare between panels and between arrays.

    Args:
        kernels: a list of kh×kw×C×F arrays of the same shape (a Keras ``Conv2D`` kernel, e.g.
            ``layer.get_weights()[0]`` before and after ``fit``).
        titles: one per array (None: "0", "1", …).
        max_filters: draw the first this many filters (columns).
        channel_names: one name per input channel (e.g. ``("R", "G", "B")``; None: "ch 0", "ch 1", …).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: arrays of different shapes, or titles that do not name each array.

    Example:
        >>> k = np.zeros((3, 3, 2, 4)); k[0, 0, 0, 0] = -2.0
        >>> fig = compare_filters([k, 2 * k], titles=["before", "after"], max_filters=3)
        >>> len(fig.axes) - 1, fig.axes[0].images[0].get_clim()      # 2 arrays × 2 channels × 3 filters, ±4
        (12, (-4.0, 4.0))
        >>> fig.axes[0].get_ylabel(), fig.axes[3].get_ylabel()
        ('before\\nch 0', 'ch 1')
    """
    if isinstance(kernels, np.ndarray) or not isinstance(kernels, (list, tuple)) or not kernels:
        raise TypeError("kernels must be a non-empty list of kh×kw×C×F arrays")
    arrays = [check_array(k, f"kernels[{i}]", ndim=4) for i, k in enumerate(kernels)]
    if any(a.shape != arrays[0].shape for a in arrays):
        raise ValueError(f"kernels must all have one shape, got {[a.shape for a in arrays]}")
    titles = [str(i) for i in range(len(arrays))] if titles is None else [str(t) for t in titles]
    if len(titles) != len(arrays):
        raise ValueError(f"titles must name each of the {len(arrays)} kernels, got {len(titles)}")
    kh, kw, cin, cout = arrays[0].shape
    names = [f"ch {c}" for c in range(cin)] if channel_names is None else [str(c) for c in channel_names]
    if len(names) != cin:
        raise ValueError(f"channel_names must name each of the {cin} input channels, got {len(names)}")
    n = min(check_int(max_filters, "max_filters", low=1), cout)
    bound = max(float(np.abs(a[..., :n]).max()) for a in arrays) or 1.0
    rows = len(arrays) * cin
    fig, axes = plt.subplots(rows, n, figsize=(0.75 * n + 2.0, 0.75 * rows + 0.7), squeeze=False,
                             layout="constrained")
    for i, (a, title) in enumerate(zip(arrays, titles)):
        for c in range(cin):
            for f in range(n):
                ax = axes[i * cin + c, f]
                shown = ax.imshow(a[:, :, c, f], cmap="RdBu_r", vmin=-bound, vmax=bound, interpolation="nearest")
                ax.set_xticks([])
                ax.set_yticks([])
                if i * cin + c == 0:
                    ax.set_title(f"filter {f}", fontsize=7)
                if f == 0:
                    ax.set_ylabel(f"{title}\n{names[c]}" if c == 0 else names[c], fontsize=7, rotation=0,
                                  ha="right", va="center")
    fig.colorbar(shown, ax=axes.ravel().tolist(), fraction=0.04, pad=0.02).ax.tick_params(labelsize=7)
    fig.suptitle(f"{n} of {cout} filters ({kh}×{kw}×{cin}), one colour scale: ±{bound:.2g} (white 0)", fontsize=9)
    return fig


@contract(kernels=Seq(Array(ndim=4)), titles=_TITLES, max_filters=Int(low=1))
def show_filter_history(kernels, *, titles=None, max_filters=8):
    """First-layer RGB kernels at several moments (rows), each drawn as one colour tile on one shared scale.

    Each tile shows a kh×kw×3 kernel as a small colour image, ``0.5 + k / (2·bound)`` per channel with one
    ``bound`` (the largest ``|weight|`` anywhere): mid-grey is 0 in every channel, a brighter red means a larger
    positive red weight. A kernel whose three channels are equal is grey (it sees brightness, not colour);
    CS231n draws AlexNet's first layer this way.

    Args:
        kernels: a list of kh×kw×3×F arrays (e.g. a ``Conv2D`` kernel on RGB input, saved after some epochs).
        titles: one per row.
        max_filters: the columns.

    Returns:
        The matplotlib Figure.

    Example:
        >>> k = np.zeros((3, 3, 3, 4)); k[:, 0] = -1.0; k[:, 2] = 1.0          # a vertical edge, grey
        >>> fig = show_filter_history([0 * k, k], titles=["start", "later"], max_filters=2)
        >>> tile = fig.axes[2].images[0].get_array()
        >>> tile.shape, float(tile[0, 0, 0]), float(tile[0, 2, 0]), fig.axes[2].get_ylabel()
        ((3, 3, 3), 0.0, 1.0, 'later')
    """
    if isinstance(kernels, np.ndarray) or not isinstance(kernels, (list, tuple)) or not kernels:
        raise TypeError("kernels must be a non-empty list of kh×kw×3×F arrays")
    arrays = [check_array(k, f"kernels[{i}]", ndim=4) for i, k in enumerate(kernels)]
    if any(a.shape != arrays[0].shape for a in arrays) or arrays[0].shape[2] != 3:
        raise ValueError(f"kernels must all be kh×kw×3×F of one shape, got {[a.shape for a in arrays]}")
    titles = [str(i) for i in range(len(arrays))] if titles is None else [str(t) for t in titles]
    if len(titles) != len(arrays):
        raise ValueError(f"titles must name each of the {len(arrays)} kernels, got {len(titles)}")
    n = min(check_int(max_filters, "max_filters", low=1), arrays[0].shape[3])
    bound = max(float(np.abs(a[..., :n]).max()) for a in arrays) or 1.0
    fig, axes = plt.subplots(len(arrays), n, figsize=(0.7 * n + 1.3, 0.7 * len(arrays) + 0.5), squeeze=False,
                             layout="constrained")
    for r, (a, title) in enumerate(zip(arrays, titles)):
        for f in range(n):
            ax = axes[r, f]
            ax.imshow(np.clip(0.5 + a[:, :, :, f] / (2 * bound), 0, 1), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"filter {f}", fontsize=7)
        axes[r, 0].set_ylabel(title, fontsize=7, rotation=0, ha="right", va="center")
    kh, kw = arrays[0].shape[:2]
    fig.suptitle(f"{kh}×{kw}×3 kernels as colour tiles, one scale (±{bound:.2g}; mid-grey = 0)", fontsize=9)
    return fig


@contract(model=KerasModel(), image=Array(), layers=(_LAYER | Seq(_LAYER)).describe("a layer name or index, or a list"),
          max_maps=Int(low=1), cmap=Str(), show_input=Bool(), scale=Choice("each", "row"))
def show_activations(model, image, layers, *, max_maps=8, cmap="viridis", show_input=False, scale="each"):
    """Feed one image through a model and draw the first feature maps of each chosen layer.

    Args:
        model: a Keras model.
        image: one input (H×W×C, as the model takes it, without the batch axis).
        layers: a layer name or index, or a list of them; one row each, a flat (dense) output drawn as one strip.
        max_maps: maps drawn per layer.
        cmap: a matplotlib colour map.
        show_input: also draw the image itself, in the first column (pixels on a fixed 0–1 scale), with the
            layers' maps beside it.
        scale: ``"each"`` colours every map from its own minimum to its maximum (patterns show, magnitudes do
            not compare); ``"row"`` gives the maps of one layer one colour scale, from 0 (or the row's
            smallest value, if negative) to its largest, with a colorbar, so they compare within the row.

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: an image the model does not take, or no layer named.

    Example:
        >>> import keras
        >>> net = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, name="conv"),
        ...                         keras.layers.Flatten(name="flat")])
        >>> fig = show_activations(net, np.ones((8, 8, 1)), ["conv", "flat"], max_maps=2)
        >>> [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
        ['conv 6×6×4', 'flat (144 values)']
        >>> fig = show_activations(net, np.ones((8, 8, 1)), "conv", max_maps=2, show_input=True, scale="row")
        >>> fig.axes[0].get_title(), fig.axes[1].images[0].get_clim() == fig.axes[2].images[0].get_clim()
        ('input', True)
    """
    import keras

    image = check_array(image, "image", dtype="float32")
    scale = check_choice(scale, "scale", ("each", "row"))
    if image.ndim != len(model.input_shape) - 1:
        raise ValueError(f"image must be one input of shape {tuple(model.input_shape[1:])}, got {image.shape}")
    if isinstance(layers, (str, int)):
        layers = [layers]
    from cnnkit.models import find_layer

    targets = [find_layer(model, l, argument="layers") for l in layers]
    if not targets:
        raise ValueError("layers must name at least one layer")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # a list would warn on a tensor call
    probe = keras.Model(inputs, [t.output for t in targets])
    outputs = probe(image[None], training=False)
    outputs = [np.asarray(o)[0] for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]
    cols = check_int(max_maps, "max_maps", low=1)
    first = 1 if show_input else 0                     # the column where the maps start
    bar = scale == "row"                               # a narrow last column for the rows' colorbars
    fig = plt.figure(figsize=((cols + first) * 1.1 + (0.5 if bar else 0), len(targets) * 1.3))
    grid = fig.add_gridspec(len(targets), cols + first + bar, width_ratios=[1] * (cols + first) + [0.12] * bar)
    if show_input:
        ax = fig.add_subplot(grid[0, 0])
        shown = image if image.ndim == 3 and image.shape[-1] in (3, 4) else image.reshape(image.shape[:2])
        ax.imshow(np.clip(shown, 0, 1), cmap=None if shown.ndim == 3 else "gray", vmin=0, vmax=1,
                  interpolation="nearest")
        ax.set_title("input", fontsize=7)
        ax.axis("off")
    for r, (target, out) in enumerate(zip(targets, outputs)):
        limits = {} if scale == "each" else {"vmin": min(0.0, float(out.min())), "vmax": float(out.max())}
        if out.ndim == 3:  # feature maps: one panel per channel
            for c in range(min(cols, out.shape[-1])):
                ax = fig.add_subplot(grid[r, first + c])
                shown = ax.imshow(out[..., c], cmap=cmap, interpolation="nearest", **limits)
                ax.axis("off")
                if c == 0:
                    ax.set_title(f"{target.name} {'×'.join(map(str, out.shape))}", fontsize=7, loc="left")
            if bar:
                fig.colorbar(shown, cax=fig.add_subplot(grid[r, -1])).ax.tick_params(labelsize=6)
        else:  # a vector (dense layer): one strip across the row
            ax = fig.add_subplot(grid[r, first:cols + first])
            ax.imshow(out.reshape(1, -1), cmap=cmap, aspect="auto", interpolation="nearest", **limits)
            ax.set_yticks([])
            ax.tick_params(labelsize=6)
            ax.set_title(f"{target.name} ({out.size} values)", fontsize=7, loc="left")
    fig.suptitle(f"activations of {model.name}", fontsize=9)
    return fig
