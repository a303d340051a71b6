"""Figures for lessons 04–06: how training went and what a trained network decides.

Training curves (``plot_history``), confusion matrices (``show_confusion``) and 2-D decision
boundaries (``plot_decision_boundary``); the kernels and feature maps are in :mod:`cnnkit.viz.filters`.
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

from cnnkit._checks import (Any_, Array, Bool, Instance, Int, Labels, Number, Seq, Str, check_array, check_int,
                            check_number, contract)

_NAMES = Seq(Any_("a name: anything str() prints")) | None


@contract(history=Any_("a keras History or a dict of metric -> values per epoch (checked in the body)"),
          metrics=(Str() | Seq(Str())) | None)
def plot_history(history, *, metrics=None):
    """Plot training curves, one panel per metric, the validation curve next to the training one.

    Args:
        history: a ``keras.callbacks.History`` (what ``fit`` returns) or its ``.history`` dict of metric → one
            value per epoch.
        metrics: the metrics to draw (None: every one, ``loss`` first).

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError: not a History or a dict.
        ValueError: an empty history, or a metric it lacks.

    Example:
        >>> fig = plot_history({"loss": [1.0, 0.6], "val_loss": [1.1, 0.8], "accuracy": [0.5, 0.7]})
        >>> [ax.get_title() for ax in fig.axes], [line.get_label() for line in fig.axes[0].lines]
        (['loss', 'accuracy'], ['train', 'validation'])
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"history must be a keras History or a dict of metric -> values per epoch, "
                        f"got {type(history).__name__}")
    if not logs:
        raise ValueError("history is empty: it has no metric")
    if isinstance(metrics, str):
        metrics = [metrics]
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


@contract(y_true=Labels(), y_pred=Array(ndim=(1, 2)), labels=_NAMES, title=Str() | None)
def show_confusion(y_true, y_pred, *, labels=None, title=None):
    """Confusion matrix as counts and normalised by true class (rows sum to 1), side by side.

    Args:
        y_true: the class indices (0, 1, …).
        y_pred: predicted class indices, or per-class scores/probabilities (N×K, its argmax is used).
        labels: the class names (None: 0, 1, …).
        title: a title above both panels (kept clear of theirs).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: arrays of different lengths, or fewer names than classes.

    Example:
        >>> fig = show_confusion([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]], labels=["cat", "dog"])
        >>> fig.axes[0].images[0].get_array().tolist()
        [[1, 0], [1, 1]]
    """
    from sklearn.metrics import confusion_matrix

    y_true = _labels(y_true, "y_true")
    y_pred = check_array(y_pred, "y_pred", ndim=(1, 2))
    y_pred = _labels(y_pred.argmax(axis=1) if y_pred.ndim == 2 else y_pred, "y_pred")
    if len(y_true) != len(y_pred) or len(y_true) == 0:
        raise ValueError("y_true and y_pred must be non-empty and the same length, "
                         f"got {len(y_true)} and {len(y_pred)}")
    k = int(max(y_true.max(), y_pred.max()) + 1)
    labels = [str(i) for i in range(k)] if labels is None else [str(l) for l in labels]
    if len(labels) < k:
        raise ValueError(f"labels names {len(labels)} classes but the data has class index {k - 1}")
    k = len(labels)
    counts = confusion_matrix(y_true, y_pred, labels=np.arange(k))
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    side = max(2.8, 0.45 * k + 1.5)
    fig, axes = plt.subplots(1, 2, figsize=(2 * side + 0.8, side))
    for ax, matrix, panel, fmt in ((axes[0], counts, "counts", "{:d}"),
                                   (axes[1], rates, "normalised by true class", "{:.2f}")):
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=matrix.max() or 1)
        ax.set_title(panel)
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
    if title:
        fig.suptitle(str(title), fontsize=9)
        fig.tight_layout(rect=(0, 0, 1, 0.94))
    else:
        fig.tight_layout()
    return fig


def _labels(y, name):
    """Class indices as a 1-D int array: whole numbers ≥ 0."""
    a = check_array(y, name).ravel()
    if a.size and (np.any(a < 0) or np.any(a != np.round(a))):
        raise ValueError(f"{name} must hold class indices (whole numbers ≥ 0), got values such as "
                         f"{a[(a < 0) | (a != np.round(a))][:3].tolist()}")
    return a.astype(int)


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
    raise TypeError("model must be a keras Model, a scikit-learn classifier or a function of an (N, 2) array, "
                    f"got {type(model).__name__}")


def _hidden_preactivations(model, points):
    """Each hidden ReLU layer's pre-activation ``h · W + b`` on ``points``, from the weights of a Dense stack."""
    import keras

    kept = (keras.layers.InputLayer, keras.layers.Flatten, keras.layers.Dropout, keras.layers.Dense,
            keras.layers.Activation)
    layers = getattr(model, "layers", None) or []
    dense = [layer for layer in layers if isinstance(layer, keras.layers.Dense)]
    plain = all(isinstance(layer, kept) for layer in layers) and len(dense) >= 2
    if not plain or any(getattr(layer.activation, "__name__", "") != "relu" for layer in dense[:-1]):
        raise ValueError("folds=True needs a stack of Dense layers with ReLU hidden layers (models.mlp), "
                         f"got model {getattr(model, 'name', model)!r}")
    h, out = points.astype(np.float64), []
    for layer in dense[:-1]:
        w, b = layer.get_weights()
        z = h @ w + b
        out.append(z)
        h = np.maximum(z, 0.0)
    return out


@contract(model=Any_("a Keras model, a scikit-learn classifier or a function of an (N, 2) array (checked when called)"),
          X=Array(ndim=2), y=Labels(), resolution=Int(low=2), margin=Number(low=0),
          ax=Instance("matplotlib.axes.Axes") | None, title=Str() | None, folds=Bool(), class_names=_NAMES,
          colorbar=Bool(), legend=Bool())
def plot_decision_boundary(model, X, y, *, resolution=150, margin=0.5, ax=None, title=None, folds=False,
                           class_names=None, colorbar=False, legend=True):
    """Shade the plane by what a model predicts, draw its decision boundary, and scatter the labelled points.

    Two classes: the shade is p(class 1) on a fixed 0–1 scale (white at 0.5) and the boundary, where
    p = 0.5, is a solid black line: one straight line for a linear model. More classes: each region in its
    class's colour, the boundaries in black.

    Args:
        model: a Keras model, a scikit-learn classifier or a function of an (N, 2) array; its output is class
            probabilities (N×K) or one probability per point.
        X: the N×2 points.
        y: their class indices.
        resolution: grid points per axis.
        margin: added around the points.
        ax: draw into these axes (of a larger figure) instead of a new figure.
        title: the axes title.
        folds: for a Keras stack of Dense layers with ReLU hidden layers (``models.mlp``), also draw where each
            hidden neuron switches on (its pre-activation is 0): dashed for the first hidden layer (straight
            lines), dotted for deeper ones (bent lines).
        class_names: the legend's names for the classes (default "class 0", "class 1", …).
        colorbar: add a colorbar for p(class 1) (two classes).
        legend: add a legend (the classes, the boundary and the folds) under the axes.

    Returns:
        The Figure.

    Example:
        >>> fig = plot_decision_boundary(lambda p: p[:, 0] > 0, [[-1, 0], [1, 0]], [0, 1], resolution=20)
        >>> [float(v) for v in fig.axes[0].get_xlim()], fig.axes[0].get_xlabel()
        ([-1.5, 1.5], 'x₁')
        >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        ['class 0', 'class 1', 'p = 0.5']
    """
    X, y = check_array(X, "X", dtype="float32"), _labels(y, "y")
    resolution = check_int(resolution, "resolution", low=2)
    margin = check_number(margin, "margin", low=0)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must be an (N, 2) array of 2-D points, got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.c_[gx.ravel(), gy.ravel()].astype("float32")
    scores = _class_scores(model, grid).astype(float)
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    k = int(max(scores.shape[1] if scores.ndim == 2 else 2, y.max() + 1))
    names = [f"class {i}" for i in range(k)] if class_names is None else [str(c) for c in class_names]
    if len(names) < k:
        raise ValueError(f"class_names names {len(names)} classes but there are {k}")
    pre = _hidden_preactivations(model, grid) if folds else []
    if ax is None:
        fig, ax = plt.subplots(figsize=(3.8, 3.4))
    else:
        fig = ax.figure
    if k == 2:
        p1 = scores[:, 1] if scores.ndim == 2 else scores
        colours = plt.get_cmap("RdBu_r")([0.15, 0.85])
        shade = ax.contourf(gx, gy, p1.reshape(gx.shape), levels=np.linspace(0, 1, 11), cmap="RdBu_r", vmin=0,
                            vmax=1, alpha=0.55)
        if p1.min() < 0.5 < p1.max():
            ax.contour(gx, gy, p1.reshape(gx.shape), levels=[0.5], colors="black", linewidths=1.8)
        if colorbar:
            fig.colorbar(shade, ax=ax, fraction=0.046, pad=0.04, label=f"p({names[1]})").ax.tick_params(labelsize=7)
    else:
        grid_class = scores.argmax(axis=1)
        colours = plt.get_cmap("tab10")(np.arange(k) % 10)
        ax.contourf(gx, gy, grid_class.reshape(gx.shape), levels=np.arange(k + 1) - 0.5, colors=colours, alpha=0.3)
        ax.contour(gx, gy, grid_class.reshape(gx.shape), levels=np.arange(k) + 0.5, colors="black", linewidths=1)
    for depth, z in enumerate(pre):
        for unit in range(z.shape[1]):
            values = z[:, unit].reshape(gx.shape)
            if values.min() < 0 < values.max():
                ax.contour(gx, gy, values, levels=[0.0], colors="0.2", linewidths=1.0 if depth == 0 else 1.3,
                           linestyles="--" if depth == 0 else ":")
    for c in range(k):
        pick = y == c
        if pick.any():
            ax.scatter(X[pick, 0], X[pick, 1], color=colours[c], s=9, edgecolors="k", linewidths=0.25, label=names[c])
    handles, labels = ax.get_legend_handles_labels()
    from matplotlib.lines import Line2D

    handles.append(Line2D([], [], color="black", lw=1.8))
    labels.append("p = 0.5" if k == 2 else "boundary")
    if pre:
        handles.append(Line2D([], [], color="0.25", lw=0.9, ls="--"))
        labels.append("folds (layer 1)" + (", deeper dotted" if len(pre) > 1 else ""))
    if legend:
        ax.legend(handles, labels, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                  frameon=False)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.set_xlabel("x₁", fontsize=8)
    ax.set_ylabel("x₂", fontsize=8)
    ax.tick_params(labelsize=6)
    if title:
        ax.set_title(title, fontsize=9)
    return fig
