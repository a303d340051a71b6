"""Figures for lessons 04–06: what a trained network learned and how its training went.

Every function draws with matplotlib (headless-safe), returns the Figure and never calls
``plt.show()`` — the notebook does::

    >>> from cnnkit import viz
    >>> fig = viz.plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss']
    >>> fig = viz.show_confusion([0, 1, 1, 2], [0, 1, 2, 2], labels=["a", "b", "c"])
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['counts', 'normalised by true class']
"""
import matplotlib.pyplot as plt
import numpy as np


def _layer(model, layer):
    try:
        return model.get_layer(layer) if isinstance(layer, str) else model.layers[layer]
    except (ValueError, IndexError, TypeError):
        names = [l.name for l in model.layers]
        raise ValueError(f"layer {layer!r} is not in model {model.name!r}; its layers are {names}") from None


def _grid(n, cols):
    cols = max(1, min(cols, n))
    rows = int(np.ceil(n / cols))
    return rows, cols


def _unit(a):
    """Rescale ``a`` to [0, 1] (a constant array becomes 0.5)."""
    lo, hi = float(np.min(a)), float(np.max(a))
    return np.full_like(a, 0.5, dtype=float) if hi == lo else (a - lo) / (hi - lo)


def show_learned_filters(model, layer, max_filters=32, cols=8, channel=None):
    """Draw the kernels of convolution ``layer`` (name or index), one small image per filter.

    A first layer on RGB input shows each 3-channel kernel in colour; deeper layers show one input
    ``channel`` of each kernel (default: the mean over input channels) in grey. Each filter is
    rescaled on its own so its pattern (edge, blob, colour) is visible.
    """
    target = _layer(model, layer)
    weights = target.get_weights()
    if not weights or np.ndim(weights[0]) != 4:
        raise ValueError(f"layer {target.name!r} is not a 2-D convolution (it has no kh×kw×in×out kernel)")
    kernel = np.asarray(weights[0])
    n = min(int(max_filters), kernel.shape[-1])
    if n < 1:
        raise ValueError(f"max_filters must be ≥ 1, got {max_filters!r}")
    colour = kernel.shape[2] == 3 and channel is None
    rows, cols = _grid(n, cols)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 0.9, rows * 0.9 + 0.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        k = kernel[..., i]
        if colour:
            ax.imshow(_unit(k), interpolation="nearest")
        else:
            k = k.mean(axis=-1) if channel is None else k[..., int(channel)]
            ax.imshow(_unit(k), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(str(i), fontsize=7)
    kh, kw, cin, cout = kernel.shape
    fig.suptitle(f"{target.name}: {n} of {cout} filters ({kh}×{kw}×{cin})", fontsize=9)
    fig.tight_layout()
    return fig


def show_activations(model, image, layers, max_maps=8, cmap="viridis"):
    """Feed one ``image`` (H×W×C) through ``model`` and draw the first ``max_maps`` maps of each layer.

    One row per entry of ``layers`` (names or indices); a flat (dense) output is drawn as one strip.
    """
    import keras

    image = np.asarray(image, dtype="float32")
    if image.ndim != len(model.input_shape) - 1:
        raise ValueError(f"image must be one input of shape {tuple(model.input_shape[1:])}, got {image.shape}")
    if isinstance(layers, (str, int)):
        layers = [layers]
    targets = [_layer(model, l) for l in layers]
    if not targets:
        raise ValueError("layers must name at least one layer")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs  # a list would warn on a tensor call
    probe = keras.Model(inputs, [t.output for t in targets])
    outputs = probe(image[None], training=False)
    outputs = [np.asarray(o)[0] for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]
    cols = max(1, int(max_maps))
    fig = plt.figure(figsize=(cols * 1.1, len(targets) * 1.3))
    grid = fig.add_gridspec(len(targets), cols)
    for r, (target, out) in enumerate(zip(targets, outputs)):
        if out.ndim == 3:  # feature maps: one panel per channel
            for c in range(min(cols, out.shape[-1])):
                ax = fig.add_subplot(grid[r, c])
                ax.imshow(out[..., c], cmap=cmap, interpolation="nearest")
                ax.axis("off")
                if c == 0:
                    ax.set_title(f"{target.name} {'×'.join(map(str, out.shape))}", fontsize=7, loc="left")
        else:  # a vector (dense layer): one strip across the row
            ax = fig.add_subplot(grid[r, :])
            ax.imshow(out.reshape(1, -1), cmap=cmap, aspect="auto", interpolation="nearest")
            ax.set_yticks([])
            ax.tick_params(labelsize=6)
            ax.set_title(f"{target.name} ({out.size} values)", fontsize=7, loc="left")
    fig.suptitle(f"activations of {model.name}", fontsize=9)
    return fig


def plot_history(history, metrics=None):
    """Plot training curves from a ``keras.callbacks.History`` or its ``.history`` dict.

    One panel per metric (``loss``, ``accuracy``…), the ``val_`` curve next to the training one.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError("history must be a keras History or a non-empty dict of metric -> values per epoch")
    names = metrics or [k for k in logs if not k.startswith("val_")] or [k[4:] for k in logs]
    names = sorted(names, key=lambda m: m != "loss")  # loss first, the rest in their order
    missing = [m for m in names if m not in logs and f"val_{m}" not in logs]
    if missing:
        raise ValueError(f"history has no metric {missing}; it has {sorted(logs)}")
    fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 2.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        for key, label in ((name, "train"), (f"val_{name}", "validation")):
            if key in logs:
                values = np.asarray(logs[key], dtype=float)
                ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def show_confusion(y_true, y_pred, labels=None):
    """Confusion matrix as counts and normalised by true class (rows sum to 1), side by side.

    ``y_pred`` may be class indices or per-class scores/probabilities (its argmax is used).
    """
    from sklearn.metrics import confusion_matrix

    y_true = np.asarray(y_true).astype(int).ravel()
    y_pred = np.asarray(y_pred)
    if y_pred.ndim == 2:
        y_pred = y_pred.argmax(axis=1)
    y_pred = y_pred.astype(int).ravel()
    if len(y_true) != len(y_pred) or len(y_true) == 0:
        raise ValueError(f"y_true and y_pred must be non-empty and the same length, got {len(y_true)} and {len(y_pred)}")
    k = int(max(y_true.max(), y_pred.max()) + 1)
    labels = [str(i) for i in range(k)] if labels is None else [str(l) for l in labels]
    if len(labels) < k:
        raise ValueError(f"labels names {len(labels)} classes but the data has class index {k - 1}")
    k = len(labels)
    counts = confusion_matrix(y_true, y_pred, labels=np.arange(k))
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    side = max(2.8, 0.45 * k + 1.5)
    fig, axes = plt.subplots(1, 2, figsize=(2 * side + 0.8, side))
    for ax, matrix, title, fmt in ((axes[0], counts, "counts", "{:d}"),
                                   (axes[1], rates, "normalised by true class", "{:.2f}")):
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=matrix.max() or 1)
        ax.set_title(title)
        ax.set_xticks(range(k), labels, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(k), labels, fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        if k <= 20:
            for i in range(k):
                for j in range(k):
                    dark = matrix[i, j] > 0.6 * (matrix.max() or 1)
                    ax.text(j, i, fmt.format(matrix[i, j]), ha="center", va="center", fontsize=7,
                            color="white" if dark else "black")
    fig.tight_layout()
    return fig


def _class_scores(model, points):
    if hasattr(model, "predict_proba"):  # scikit-learn classifiers
        return np.asarray(model.predict_proba(points))
    if hasattr(model, "predict"):
        try:
            return np.asarray(model.predict(points, verbose=0))
        except TypeError:
            return np.asarray(model.predict(points))
    if callable(model):
        return np.asarray(model(points))
    raise ValueError("model must be a keras Model, a scikit-learn classifier or a function of an (N, 2) array")


def plot_decision_boundary(model, X, y, resolution=150, margin=0.5, ax=None, title=None):
    """Colour the plane by the class ``model`` predicts and scatter the points ``X`` (N×2) by label ``y``.

    ``model`` is a Keras model, a scikit-learn classifier or a function; its output is class
    probabilities (argmax) or one score per point (threshold 0.5). Pass ``ax`` to draw into a grid.
    """
    X, y = np.asarray(X, dtype="float32"), np.asarray(y).astype(int).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must be an (N, 2) array of 2-D points, got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], int(resolution)), np.linspace(lo[1], hi[1], int(resolution)))
    scores = _class_scores(model, np.c_[gx.ravel(), gy.ravel()].astype("float32"))
    if scores.ndim == 2 and scores.shape[1] > 1:
        grid_class = scores.argmax(axis=1)
    else:
        grid_class = (scores.ravel() >= 0.5).astype(int)
    k = int(max(grid_class.max(), y.max()) + 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(3.6, 3.4))
    else:
        fig = ax.figure
    cmap = plt.get_cmap("coolwarm" if k == 2 else "tab10")
    levels = np.arange(k + 1) - 0.5
    ax.contourf(gx, gy, grid_class.reshape(gx.shape), levels=levels, cmap=cmap, alpha=0.35,
                vmin=-0.5, vmax=k - 0.5)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=k - 0.5, s=8, edgecolors="k", linewidths=0.2)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return fig
